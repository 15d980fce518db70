//! The networks: shapes, parameter counts, and what a shortcut does.

use burn::prelude::*;
use resnet_playground::model::{Family, Net, NetConfig};

fn device() -> Device {
    Device::flex()
}

#[test]
fn both_families_map_a_batch_to_logits() {
    let device = device();
    for (family, depth, item_shape) in [
        (Family::Cnn, 8, vec![1, 28, 28]),
        (Family::Cnn, 14, vec![3, 32, 32]),
        (Family::Mlp, 6, vec![2]),
        (Family::Mlp, 10, vec![1, 28, 28]),
    ] {
        for shortcuts in [false, true] {
            let net = NetConfig::new(family, depth, shortcuts, &item_shape)
                .init(1, &device)
                .expect("a valid depth");
            let features: usize = item_shape.iter().product();
            let logits = net.forward(Tensor::zeros([5, features], &device));
            assert_eq!(logits.dims(), [5, 10], "{family:?}-{depth}");
        }
    }
}

#[test]
fn depths_follow_the_papers_counting() {
    for depth in [8, 14, 20, 32, 44, 56, 110] {
        assert_eq!(Family::Cnn.blocks_for_depth(depth), Some((depth - 2) / 6));
    }
    for bad in [0, 2, 7, 21, 57] {
        assert_eq!(Family::Cnn.blocks_for_depth(bad), None, "cnn depth {bad}");
    }
    assert_eq!(Family::Mlp.blocks_for_depth(6), Some(2));
    assert_eq!(Family::Mlp.blocks_for_depth(7), None);
    assert!(
        NetConfig::new(Family::Cnn, 21, true, &[1, 28, 28])
            .init(1, &device())
            .is_err()
    );
}

#[test]
fn plain_and_residual_nets_have_the_same_parameters() {
    let device = device();
    for (family, depth, shape) in [
        (Family::Cnn, 20, vec![3, 32, 32]),
        (Family::Mlp, 12, vec![2]),
    ] {
        let plain = NetConfig::new(family, depth, false, &shape)
            .init(3, &device)
            .unwrap();
        let residual = NetConfig::new(family, depth, true, &shape)
            .init(3, &device)
            .unwrap();
        assert_eq!(plain.parameters(), residual.parameters());
        // Same seed, same weights: the shortcut is the only difference.
        let x = Tensor::<2>::ones([2, shape.iter().product()], &device);
        let (p, r) = (plain.valid(), residual.valid());
        let first = |net: &Net| match net {
            Net::Cnn(n) => n.stem.weight.val().into_data(),
            Net::Mlp(n) => n.stem.weight.val().into_data(),
        };
        assert_eq!(first(&p), first(&r));
        let _ = (p.forward(x.clone()), r.forward(x));
    }
}

#[test]
fn a_residual_block_with_a_silent_branch_is_the_identity() {
    let device = device();
    let net = NetConfig::new(Family::Cnn, 20, true, &[3, 32, 32])
        .init(5, &device)
        .unwrap();
    let Net::Cnn(mut cnn) = net.valid() else {
        unreachable!()
    };
    // Zero the last BatchNorm's scale and shift: the branch F(x) outputs exactly zero.
    let block = &mut cnn.blocks[1];
    block.bn2.gamma = burn::module::Param::from_tensor(Tensor::zeros([16], &device));
    block.bn2.beta = burn::module::Param::from_tensor(Tensor::zeros([16], &device));
    let mut values = resnet_playground::rng::Rng::new(2);
    // Non-negative input, as every block sees after a ReLU.
    let x: Vec<f32> = (0..2 * 16 * 8 * 8)
        .map(|_| values.uniform() as f32)
        .collect();
    let x = Tensor::<4>::from_data(TensorData::new(x, [2, 16, 8, 8]), &device);

    let out = block.forward(x.clone());
    assert_eq!(
        out.into_data(),
        x.clone().into_data(),
        "residual block ≠ identity"
    );

    block.shortcuts = false;
    let plain = block
        .forward(x)
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap();
    assert!(
        plain.iter().all(|&v| v == 0.0),
        "a plain block with a silent branch outputs 0"
    );
}

#[test]
fn a_stage_change_shortcut_subsamples_and_zero_pads() {
    let device = device();
    let net = NetConfig::new(Family::Cnn, 8, true, &[1, 8, 8])
        .init(5, &device)
        .unwrap();
    let Net::Cnn(mut cnn) = net.valid() else {
        unreachable!()
    };
    let block = &mut cnn.blocks[1]; // 16 → 32 channels, stride 2
    assert_eq!((block.stride, block.out_channels), (2, 32));
    block.bn2.gamma = burn::module::Param::from_tensor(Tensor::zeros([32], &device));
    block.bn2.beta = burn::module::Param::from_tensor(Tensor::zeros([32], &device));
    let x: Vec<f32> = (0..16 * 8 * 8).map(|i| i as f32).collect();
    let x = Tensor::<4>::from_data(TensorData::new(x, [1, 16, 8, 8]), &device);
    let out = block
        .forward(x)
        .into_data()
        .try_into_vec_as::<f32>()
        .unwrap();
    // Channel c < 16 at (i, j) is the input at (2i, 2j); channels 16..32 are zero.
    for c in 0..32 {
        for i in 0..4 {
            for j in 0..4 {
                let want = if c < 16 {
                    (c * 64 + 2 * i * 8 + 2 * j) as f32
                } else {
                    0.0
                };
                assert_eq!(out[c * 16 + i * 4 + j], want, "channel {c} at ({i}, {j})");
            }
        }
    }
}
