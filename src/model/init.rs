//! Weight initialisation from the project's own seeded generator (see [`crate::rng`]).

use burn::module::Param;
use burn::prelude::*;

use crate::rng::Rng;

/// He (Kaiming) normal initialisation, std = √(2 / fan_in): He et al. 2015, "Delving Deep into
/// Rectifiers", which the ResNet paper cites for its initialisation (its section 3.4).
pub fn he_normal<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    rng: &mut Rng,
    device: &Device,
) -> Param<Tensor<D>> {
    let std = (2.0 / fan_in as f64).sqrt();
    drawn(shape, device, || rng.normal() * std)
}

/// Uniform in ±1/√fan_in: the usual default for a classifier layer (PyTorch's `nn.Linear`).
pub fn fan_in_uniform<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    rng: &mut Rng,
    device: &Device,
) -> Param<Tensor<D>> {
    let bound = 1.0 / (fan_in as f64).sqrt();
    drawn(shape, device, || (2.0 * rng.uniform() - 1.0) * bound)
}

/// A trainable tensor of `shape` filled, in row-major order, by `draw`.
fn drawn<const D: usize>(
    shape: [usize; D],
    device: &Device,
    mut draw: impl FnMut() -> f64,
) -> Param<Tensor<D>> {
    let values: Vec<f32> = (0..shape.iter().product::<usize>())
        .map(|_| draw() as f32)
        .collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}
