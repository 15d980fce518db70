//! Data sets and the lockstep batch order.
//!
//! A [`Dataset`] is held flat in host memory: every example is a row of `f32` features and a
//! class label. Models reshape rows into images themselves, so one batch type serves every
//! family of network.

pub mod augment;
pub mod cifar;
pub mod mnist;
pub mod spiral;

use burn::prelude::*;

use crate::rng::Rng;

/// Examples as flat rows of features, with their class labels.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// `len × features` values, row after row.
    pub features: Vec<f32>,
    pub labels: Vec<u8>,
    /// The shape of one example: `[channels, height, width]` for images, `[features]` otherwise.
    pub item_shape: Vec<usize>,
    pub num_classes: usize,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of features in one example.
    pub fn row_len(&self) -> usize {
        self.item_shape.iter().product()
    }

    /// The examples at `indices`, as tensors on `device`.
    pub fn batch(&self, indices: &[usize], device: &Device) -> Batch {
        self.batch_augmented(indices, None, device)
    }

    /// The same, each image padded, cropped and flipped at random when `augment` is given
    /// (see [`augment`]).
    pub fn batch_augmented(
        &self,
        indices: &[usize],
        mut augment: Option<&mut Rng>,
        device: &Device,
    ) -> Batch {
        let row = self.row_len();
        let mut features = Vec::with_capacity(indices.len() * row);
        let mut one_hot = vec![0.0f32; indices.len() * self.num_classes];
        let mut labels = Vec::with_capacity(indices.len());
        for (i, &index) in indices.iter().enumerate() {
            features.extend_from_slice(&self.features[index * row..(index + 1) * row]);
            if let (Some(rng), &[c, h, w]) = (augment.as_deref_mut(), self.item_shape.as_slice()) {
                let start = features.len() - row;
                augment::pad_crop_flip(&mut features[start..], [c, h, w], rng);
            }
            let label = self.labels[index] as usize;
            one_hot[i * self.num_classes + label] = 1.0;
            labels.push(label as i64);
        }
        let n = indices.len();
        Batch {
            inputs: Tensor::from_data(TensorData::new(features, [n, row]), device),
            targets: Tensor::from_data(TensorData::new(one_hot, [n, self.num_classes]), device),
            labels: Tensor::from_data(TensorData::new(labels, [n]), device),
        }
    }
}

/// One batch on a device.
#[derive(Debug, Clone)]
pub struct Batch {
    /// `[batch, features]`: flat rows; image models reshape them.
    pub inputs: Tensor<2>,
    /// `[batch, classes]`: one-hot targets for the loss.
    pub targets: Tensor<2>,
    /// `[batch]`: class indices for counting errors.
    pub labels: Tensor<1, Int>,
}

/// A training set and its held-out test set.
#[derive(Debug, Clone)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
}

/// Which batch each training step sees: a fresh seeded permutation of the training set every
/// epoch, the last partial batch dropped.
///
/// The batch depends only on the seed and the step number. That is what keeps runs in lockstep:
/// every run sees the same examples at the same step, also a run restarted mid-way.
#[derive(Debug, Clone)]
pub struct BatchOrder {
    seed: u64,
    len: usize,
    batch_size: usize,
    cached: Option<(usize, Vec<usize>)>,
}

impl BatchOrder {
    pub fn new(seed: u64, len: usize, batch_size: usize) -> Self {
        assert!(len > 0, "a batch order needs a non-empty data set");
        Self {
            seed,
            len,
            batch_size: batch_size.clamp(1, len),
            cached: None,
        }
    }

    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    pub fn steps_per_epoch(&self) -> usize {
        self.len / self.batch_size
    }

    /// The indices of the examples seen at `step` (counted from 0).
    pub fn indices(&mut self, step: usize) -> Vec<usize> {
        let epoch = step / self.steps_per_epoch();
        let offset = (step % self.steps_per_epoch()) * self.batch_size;
        let permutation = match &self.cached {
            Some((cached_epoch, permutation)) if *cached_epoch == epoch => permutation,
            _ => {
                let mut permutation: Vec<usize> = (0..self.len).collect();
                Rng::stream(self.seed, 0xBA7C_0000 + epoch as u64).shuffle(&mut permutation);
                &self.cached.insert((epoch, permutation)).1
            }
        };
        permutation[offset..offset + self.batch_size].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_epoch_is_a_permutation_and_epochs_differ() {
        let mut order = BatchOrder::new(3, 10, 3);
        assert_eq!(order.steps_per_epoch(), 3);
        let epoch0: Vec<usize> = (0..3).flat_map(|s| order.indices(s)).collect();
        let mut seen = epoch0.clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 9, "no example twice within an epoch");
        let epoch1: Vec<usize> = (3..6).flat_map(|s| order.indices(s)).collect();
        assert_ne!(epoch0, epoch1);
    }

    #[test]
    fn the_batch_depends_only_on_seed_and_step() {
        let mut a = BatchOrder::new(5, 100, 8);
        let mut b = BatchOrder::new(5, 100, 8);
        let late = a.indices(40);
        let _ = b.indices(3); // b took a different path to step 40
        assert_eq!(b.indices(40), late);
        assert_ne!(BatchOrder::new(6, 100, 8).indices(40), late);
    }
}
