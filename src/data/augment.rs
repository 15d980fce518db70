//! The paper's CIFAR-10 augmentation (section 4.2): pad 4 pixels on each side, take a random
//! crop of the original size, and flip it horizontally half of the time.

use crate::rng::Rng;

pub const PAD: usize = 4;

/// Augment one `[channels, height, width]` image in place.
pub fn pad_crop_flip(image: &mut [f32], shape: [usize; 3], rng: &mut Rng) {
    let [channels, height, width] = shape;
    // The crop's top-left corner in the padded image, and the flip.
    let (dy, dx) = (rng.below(2 * PAD + 1), rng.below(2 * PAD + 1));
    let flip = rng.below(2) == 1;
    let source = image.to_vec();
    for c in 0..channels {
        for i in 0..height {
            for j in 0..width {
                let (y, x) = (
                    (i + dy) as isize - PAD as isize,
                    (j + dx) as isize - PAD as isize,
                );
                let x = if flip { width as isize - 1 - x } else { x };
                let inside = (0..height as isize).contains(&y) && (0..width as isize).contains(&x);
                image[(c * height + i) * width + j] = if inside {
                    source[(c * height + y as usize) * width + x as usize]
                } else {
                    0.0 // the padding: zero, the mean after normalisation
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_are_shifted_copies_with_zero_borders() {
        let shape = [1, 6, 6];
        let original: Vec<f32> = (1..=36).map(|v| v as f32).collect();
        let mut shifted_or_flipped = 0;
        for seed in 0..20 {
            let mut image = original.clone();
            pad_crop_flip(&mut image, shape, &mut Rng::new(seed));
            // Every value is zero or one of the originals; the multiset is a sub-multiset.
            assert!(image.iter().all(|&v| v == 0.0 || original.contains(&v)));
            if image != original {
                shifted_or_flipped += 1;
            }
        }
        assert!(shifted_or_flipped >= 15);
    }
}
