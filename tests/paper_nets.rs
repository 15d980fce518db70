//! The `cnn` family at the paper's depths is the paper's CIFAR-10 network (He et al. 2015,
//! section 4.2 and Table 6): counted here by hand from the layer shapes.

use burn::prelude::*;
use resnet_playground::model::{Family, NetConfig};

/// Weights of a 3×3 convolution (no bias) followed by BatchNorm (scale and shift).
fn conv_bn(inputs: usize, outputs: usize) -> usize {
    inputs * outputs * 3 * 3 + 2 * outputs
}

/// The paper's layout: a 16-channel stem on RGB, three stages of `n` blocks of two conv-BNs
/// with 16, 32, 64 channels (option-A shortcuts add nothing), a 64 → 10 linear classifier.
fn paper_parameters(n: usize) -> usize {
    let stem = conv_bn(3, 16);
    let stage = |inputs: usize, width: usize| {
        let first = conv_bn(inputs, width) + conv_bn(width, width);
        let rest = (n - 1) * 2 * conv_bn(width, width);
        first + rest
    };
    let classifier = 64 * 10 + 10;
    stem + stage(16, 16) + stage(16, 32) + stage(32, 64) + classifier
}

#[test]
fn parameter_counts_match_the_papers_table_6() {
    // Table 6: 0.27M, 0.46M, 0.66M, 0.85M, 1.7M.
    let table = [(20, 0.27), (32, 0.46), (44, 0.66), (56, 0.85), (110, 1.7)];
    let device = Device::flex();
    for (depth, millions) in table {
        let n = (depth - 2) / 6;
        let by_hand = paper_parameters(n);
        println!("ResNet-{depth}: {by_hand} parameters (paper: {millions}M)");
        let rounded = (by_hand as f64 / 1e6 * 100.0).round() / 100.0;
        let paper_precision = if depth == 110 {
            (rounded * 10.0).round() / 10.0
        } else {
            rounded
        };
        assert_eq!(paper_precision, millions, "ResNet-{depth}");
        for shortcuts in [false, true] {
            let net = NetConfig::new(Family::Cnn, depth, shortcuts, &[3, 32, 32])
                .init(1, &device)
                .unwrap();
            assert_eq!(
                net.parameters(),
                by_hand,
                "depth {depth}, shortcuts {shortcuts}"
            );
        }
    }
}
