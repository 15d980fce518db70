//! Interleaved 2-D spirals: a small, fast classification task for MLP runs.

use super::{Dataset, Split};
use crate::rng::Rng;

/// Number of spiral arms, one class each.
pub const CLASSES: usize = 3;

/// `train` + `test` points on [`CLASSES`] spiral arms from `seed`.
pub fn generate(seed: u64, train: usize, test: usize) -> Split {
    let mut rng = Rng::stream(seed, 0x5912_A1);
    let mut make = |len: usize| {
        let mut features = Vec::with_capacity(len * 2);
        let mut labels = Vec::with_capacity(len);
        for _ in 0..len {
            let class = rng.below(CLASSES);
            // As in CS231n's spiral data: radius grows along the arm while the angle turns
            // 4 radians, with noise in the angle.
            let radius = rng.uniform();
            let angle = 4.0 * radius
                + class as f64 * std::f64::consts::TAU / CLASSES as f64
                + 0.2 * rng.normal();
            features.push((radius * angle.sin()) as f32);
            features.push((radius * angle.cos()) as f32);
            labels.push(class as u8);
        }
        Dataset {
            features,
            labels,
            item_shape: vec![2],
            num_classes: CLASSES,
        }
    };
    let train = make(train);
    let test = make(test);
    Split { train, test }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_balanced() {
        let a = generate(1, 900, 300);
        assert_eq!(a.train.features, generate(1, 900, 300).train.features);
        assert_ne!(a.train.features, generate(2, 900, 300).train.features);
        for class in 0..CLASSES as u8 {
            let count = a.train.labels.iter().filter(|&&l| l == class).count();
            assert!((200..400).contains(&count), "class {class}: {count} points");
        }
        assert!(a.train.features.iter().all(|x| x.abs() <= 1.0));
    }
}
