//! Plain and residual networks: one model per family, one `shortcuts` flag.
//!
//! Depth counts weight layers, as in He et al. 2015: a stem layer, two layers per block and
//! a classifier. The `cnn` family has three stages of `n` blocks, so depth 6n + 2
//! (20, 32, 44, 56, 110 are the paper's CIFAR-10 nets); the `mlp` family has one stage,
//! so depth 2n + 2.

pub mod cnn;
mod grow;
mod init;
pub mod mlp;

use burn::module::{ModuleVisitor, Param};
use burn::prelude::*;
use burn::tensor::Gradients;
use serde::{Deserialize, Serialize};

pub use cnn::{BasicBlock, Cnn};
pub use grow::GrowError;
pub use mlp::{DenseBlock, Mlp};

/// A family of networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// The paper's CIFAR-10 layout: 3×3 convolutions, BatchNorm, global average pooling.
    Cnn,
    /// Fully connected blocks.
    Mlp,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Cnn => "cnn",
            Family::Mlp => "mlp",
        }
    }

    /// Blocks for a depth, or `None` if no net of this family has that depth.
    pub fn blocks_for_depth(self, depth: usize) -> Option<usize> {
        let (layers_per_stage_step, fixed) = match self {
            Family::Cnn => (6, 2),
            Family::Mlp => (2, 2),
        };
        let n = depth.checked_sub(fixed)? / layers_per_stage_step;
        (n >= 1 && n * layers_per_stage_step + fixed == depth).then_some(n)
    }

    /// The depth of a net with `n` blocks per stage.
    pub fn depth_for_blocks(self, n: usize) -> usize {
        match self {
            Family::Cnn => 6 * n + 2,
            Family::Mlp => 2 * n + 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("no {family} net has depth {depth}")]
    BadDepth { family: &'static str, depth: usize },
    #[error("the cnn family needs image input [channels, height, width], not {0:?}")]
    NotAnImage(Vec<usize>),
}

/// Everything that decides a network's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct NetConfig {
    pub family: Family,
    pub depth: usize,
    /// Residual blocks (`true`) or plain blocks (`false`): the only difference between them.
    pub shortcuts: bool,
    /// Shape of one input example (see [`crate::data::Dataset::item_shape`]).
    pub item_shape: Vec<usize>,
    pub num_classes: usize,
    /// Width of the `mlp` family's hidden layers.
    pub mlp_width: usize,
    /// BatchNorm after each `mlp` hidden layer (always on in the `cnn` family, as in the paper).
    pub mlp_batch_norm: bool,
}

impl NetConfig {
    pub fn new(family: Family, depth: usize, shortcuts: bool, item_shape: &[usize]) -> Self {
        Self {
            family,
            depth,
            shortcuts,
            item_shape: item_shape.to_vec(),
            num_classes: 10,
            mlp_width: 64,
            mlp_batch_norm: true,
        }
    }

    pub fn with_num_classes(mut self, num_classes: usize) -> Self {
        self.num_classes = num_classes;
        self
    }

    /// Build the network with weights drawn from `seed`: the same seed gives the same weights,
    /// with or without shortcuts.
    pub fn init(&self, seed: u64, device: &Device) -> Result<Net, ModelError> {
        let blocks = self
            .family
            .blocks_for_depth(self.depth)
            .ok_or(ModelError::BadDepth {
                family: self.family.name(),
                depth: self.depth,
            })?;
        let mut rng = crate::rng::Rng::stream(seed, 0x1417);
        Ok(match self.family {
            Family::Cnn => Net::Cnn(Cnn::new(self, blocks, &mut rng, device)?),
            Family::Mlp => Net::Mlp(Mlp::new(self, blocks, &mut rng, device)),
        })
    }
}

/// A network of either family.
#[derive(Module, Debug)]
pub enum Net {
    Cnn(Cnn),
    Mlp(Mlp),
}

impl Net {
    /// `[batch, features]` flat rows in, `[batch, classes]` logits out.
    pub fn forward(&self, inputs: Tensor<2>) -> Tensor<2> {
        self.forward_traced(inputs, &mut Responses::off())
    }

    /// [`Self::forward`], recording each weight layer's response into `responses`.
    pub fn forward_traced(&self, inputs: Tensor<2>, responses: &mut Responses) -> Tensor<2> {
        match self {
            Net::Cnn(net) => net.forward(inputs, responses),
            Net::Mlp(net) => net.forward(inputs, responses),
        }
    }

    /// Blocks, in order from the input.
    pub fn blocks(&self) -> usize {
        match self {
            Net::Cnn(net) => net.blocks.len(),
            Net::Mlp(net) => net.blocks.len(),
        }
    }

    /// The L2 norm of the gradient of each block's weights (both layers' weight matrices or
    /// kernels together; not BatchNorm's scales and shifts), as `[1]` tensors on the device
    /// without autodiff. A block whose weights had no gradient gets 0.
    pub fn block_gradient_norms(&self, gradients: &Gradients) -> Vec<Tensor<1>> {
        fn squares<const D: usize>(weight: &Param<Tensor<D>>, gradients: &Gradients) -> Tensor<1> {
            match weight.val().grad(gradients) {
                Some(gradient) => gradient.square().sum(),
                None => Tensor::zeros([1], &weight.val().device().without_autodiff()),
            }
        }
        match self {
            Net::Cnn(net) => net
                .blocks
                .iter()
                .map(|b| {
                    (squares(&b.conv1.weight, gradients) + squares(&b.conv2.weight, gradients))
                        .sqrt()
                })
                .collect(),
            Net::Mlp(net) => net
                .blocks
                .iter()
                .map(|b| {
                    (squares(&b.fc1.weight, gradients) + squares(&b.fc2.weight, gradients)).sqrt()
                })
                .collect(),
        }
    }

    /// Trainable parameters: weights, biases, BatchNorm's scales and shifts. Burn's
    /// `num_params` also counts BatchNorm's running statistics, which the paper does not.
    pub fn parameters(&self) -> usize {
        let mut count = ParameterCount::default();
        self.visit(&mut count);
        count.total
    }

    /// Switch every block's shortcut on or off, keeping the weights.
    pub fn set_shortcuts(&mut self, shortcuts: bool) {
        match self {
            Net::Cnn(net) => net.blocks.iter_mut().for_each(|b| b.shortcuts = shortcuts),
            Net::Mlp(net) => net.blocks.iter_mut().for_each(|b| b.shortcuts = shortcuts),
        }
    }
}

/// The standard deviation of each weight layer's output during a forward pass, after
/// BatchNorm and before the ReLU or the addition: the "layer responses" of He et al. 2015,
/// Fig. 7. Off (records nothing) in ordinary training steps.
#[derive(Default)]
pub struct Responses(Option<Vec<Tensor<1>>>);

impl Responses {
    pub fn off() -> Self {
        Self(None)
    }

    pub fn on() -> Self {
        Self(Some(Vec::new()))
    }

    /// The std over every element of `output` (a `[1]` tensor, out of the autodiff graph).
    pub fn record<const D: usize>(&mut self, output: &Tensor<D>) {
        if let Some(stds) = &mut self.0 {
            let flat: Tensor<1> = output.clone().inner().flatten(0, D - 1);
            stds.push(flat.var_bias(0).sqrt());
        }
    }

    /// What was recorded, one `[1]` tensor per weight layer, from the input side.
    pub fn into_vec(self) -> Vec<Tensor<1>> {
        self.0.unwrap_or_default()
    }
}

#[derive(Default)]
struct ParameterCount {
    fields: Vec<String>,
    total: usize,
}

impl ModuleVisitor for ParameterCount {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.fields.push(name.to_owned());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.fields.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if !self
            .fields
            .last()
            .is_some_and(|field| field.starts_with("running_"))
        {
            self.total += param.lazy_shape().num_elements();
        }
    }
}
