//! Fully connected networks, plain or residual: a linear stem, `n` blocks of two linear layers
//! of the same width, and a linear classifier.

use burn::module::Param;
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;

use super::init::{fan_in_uniform, he_normal};
use super::{NetConfig, Responses};
use crate::rng::Rng;

/// Two fully connected layers, with or without the identity shortcut around them.
#[derive(Module, Debug)]
pub struct DenseBlock {
    pub fc1: Linear,
    pub bn1: Option<BatchNorm>,
    pub fc2: Linear,
    pub bn2: Option<BatchNorm>,
    pub shortcuts: bool,
}

impl DenseBlock {
    pub fn new(
        width: usize,
        batch_norm: bool,
        shortcuts: bool,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        let norm = || batch_norm.then(|| BatchNormConfig::new(width).init(device));
        Self {
            fc1: hidden_linear(width, width, !batch_norm, rng, device),
            bn1: norm(),
            fc2: hidden_linear(width, width, !batch_norm, rng, device),
            bn2: norm(),
            shortcuts,
        }
    }

    /// A block that passes what reaches it through unchanged (see [`super::grow`]).
    /// Residual: a fresh block whose branch outputs zero. Plain: both layers the identity
    /// matrix, without BatchNorm (which would renormalise its input), so `relu(I·relu(I·x)) = x`
    /// for the non-negative `x` a block sees after a ReLU.
    pub fn identity_init(
        width: usize,
        batch_norm: bool,
        shortcuts: bool,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        if shortcuts {
            let mut block = Self::new(width, batch_norm, true, rng, device);
            match &mut block.bn2 {
                Some(bn2) => bn2.gamma = Param::from_tensor(Tensor::zeros([width], device)),
                None => {
                    block.fc2.weight = Param::from_tensor(Tensor::zeros([width, width], device))
                }
            }
            block
        } else {
            let eye = || {
                let mut linear = LinearConfig::new(width, width)
                    .with_bias(false)
                    .init(device);
                linear.weight = Param::from_tensor(Tensor::eye(width, device));
                linear
            };
            Self {
                fc1: eye(),
                bn1: None,
                fc2: eye(),
                bn2: None,
                shortcuts: false,
            }
        }
    }

    /// `[batch, width]` in and out.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward_traced(x, &mut Responses::off())
    }

    /// [`Self::forward`], recording both layers' responses (after BatchNorm, before the ReLU
    /// or the addition).
    pub fn forward_traced(&self, x: Tensor<2>, responses: &mut Responses) -> Tensor<2> {
        let branch = normalize(&self.bn1, self.fc1.forward(x.clone()));
        responses.record(&branch);
        let branch = normalize(&self.bn2, self.fc2.forward(relu(branch)));
        responses.record(&branch);

        let out = match self.shortcuts {
            // H(x) = F(x) + x: the layers learn only the residual F, so an identity costs nothing.
            true => branch + x,
            false => branch,
        };
        relu(out)
    }
}

/// The whole network.
#[derive(Module, Debug)]
pub struct Mlp {
    pub stem: Linear,
    pub stem_bn: Option<BatchNorm>,
    pub blocks: Vec<DenseBlock>,
    pub head: Linear,
}

impl Mlp {
    pub(super) fn new(config: &NetConfig, blocks: usize, rng: &mut Rng, device: &Device) -> Self {
        let inputs = config.item_shape.iter().product();
        let (width, batch_norm) = (config.mlp_width, config.mlp_batch_norm);
        let stem = hidden_linear(inputs, width, !batch_norm, rng, device);
        let blocks = (0..blocks)
            .map(|_| DenseBlock::new(width, batch_norm, config.shortcuts, rng, device))
            .collect();
        let mut head = LinearConfig::new(width, config.num_classes).init(device);
        head.weight = fan_in_uniform([width, config.num_classes], width, rng, device);
        head.bias = Some(fan_in_uniform([config.num_classes], width, rng, device));
        Self {
            stem,
            stem_bn: batch_norm.then(|| BatchNormConfig::new(width).init(device)),
            blocks,
            head,
        }
    }

    /// `[batch, features]` in, `[batch, classes]` logits out.
    pub fn forward(&self, inputs: Tensor<2>, responses: &mut Responses) -> Tensor<2> {
        let mut x = relu(normalize(&self.stem_bn, self.stem.forward(inputs))); // [B, width]
        for block in &self.blocks {
            x = block.forward_traced(x, responses);
        }
        self.head.forward(x) // [B, classes]
    }
}

fn normalize(norm: &Option<BatchNorm>, x: Tensor<2>) -> Tensor<2> {
    match norm {
        Some(norm) => norm.forward(x),
        None => x,
    }
}

/// A He-initialised hidden layer; no bias where BatchNorm follows (its shift does that job).
fn hidden_linear(
    inputs: usize,
    outputs: usize,
    bias: bool,
    rng: &mut Rng,
    device: &Device,
) -> Linear {
    let mut linear = LinearConfig::new(inputs, outputs)
        .with_bias(bias)
        .init(device);
    linear.weight = he_normal([inputs, outputs], inputs, rng, device);
    if bias {
        linear.bias = Some(Param::from_tensor(Tensor::zeros([outputs], device)));
    }
    linear
}
