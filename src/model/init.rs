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
    let values = (0..shape.iter().product::<usize>())
        .map(|_| (rng.normal() * std) as f32)
        .collect::<Vec<_>>();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// Uniform in ±1/√fan_in: the usual default for a classifier layer (PyTorch's `nn.Linear`).
pub fn fan_in_uniform<const D: usize>(
    shape: [usize; D],
    fan_in: usize,
    rng: &mut Rng,
    device: &Device,
) -> Param<Tensor<D>> {
    let bound = 1.0 / (fan_in as f64).sqrt();
    let values = (0..shape.iter().product::<usize>())
        .map(|_| ((2.0 * rng.uniform() - 1.0) * bound) as f32)
        .collect::<Vec<_>>();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}
