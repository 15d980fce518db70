//! The paper's CIFAR-10 network (He et al. 2015, section 4.2), plain or residual.
//!
//! A 3×3 convolution, then three stages of `n` basic blocks with 16, 32 and 64 channels on
//! feature maps of decreasing size (stride 2 where a stage starts), global average pooling and
//! one linear layer. BatchNorm follows every convolution; convolutions have no bias.

use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;
use burn::tensor::s;

use super::init::{fan_in_uniform, he_normal};
use super::{ModelError, NetConfig, Responses};
use crate::rng::Rng;

/// Channels of the three stages (the paper's {16, 32, 64}).
pub const STAGE_CHANNELS: [usize; 3] = [16, 32, 64];

/// Two 3×3 convolutions, with or without the identity shortcut around them.
#[derive(Module, Debug)]
pub struct BasicBlock {
    pub conv1: Conv2d,
    pub bn1: BatchNorm,
    pub conv2: Conv2d,
    pub bn2: BatchNorm,
    pub stride: usize,
    pub out_channels: usize,
    pub shortcuts: bool,
}

impl BasicBlock {
    pub fn new(
        in_channels: usize,
        out_channels: usize,
        stride: usize,
        shortcuts: bool,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        Self {
            conv1: conv3x3(in_channels, out_channels, stride, rng, device),
            bn1: BatchNormConfig::new(out_channels).init(device),
            conv2: conv3x3(out_channels, out_channels, 1, rng, device),
            bn2: BatchNormConfig::new(out_channels).init(device),
            stride,
            out_channels,
            shortcuts,
        }
    }

    /// A residual block of `channels` that passes what reaches it through unchanged: its
    /// branch's last BatchNorm scale is zero, so F(x) = 0 and `relu(0 + x) = x` for the
    /// non-negative `x` a block sees after a ReLU (see [`super::grow`]).
    pub fn identity_init(channels: usize, rng: &mut Rng, device: &Device) -> Self {
        let mut block = Self::new(channels, channels, 1, true, rng, device);
        block.bn2.gamma = burn::module::Param::from_tensor(Tensor::zeros([channels], device));
        block
    }

    /// `[batch, in_channels, h, w]` in, `[batch, out_channels, h / stride, w / stride]` out.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        self.forward_traced(x, &mut Responses::off())
    }

    /// [`Self::forward`], recording both convolutions' responses (after BatchNorm, before the
    /// ReLU or the addition: the paper's Fig. 7).
    pub fn forward_traced(&self, x: Tensor<4>, responses: &mut Responses) -> Tensor<4> {
        let branch = self.bn1.forward(self.conv1.forward(x.clone()));
        responses.record(&branch);
        let branch = self.bn2.forward(self.conv2.forward(relu(branch)));
        responses.record(&branch);

        let out = match self.shortcuts {
            // H(x) = F(x) + x: the layers learn only the residual F, so an identity costs nothing.
            true => branch + self.identity(x),
            false => branch,
        };
        relu(out)
    }

    /// The shortcut, the paper's option A: the identity, subsampled and zero-padded with extra
    /// channels where the shape changes, so that it adds no parameters.
    fn identity(&self, x: Tensor<4>) -> Tensor<4> {
        let x = match self.stride {
            1 => x,
            _ => x.slice(s![.., .., ..;self.stride as isize, ..;self.stride as isize]),
        };
        let [batch, channels, height, width] = x.dims();
        match self.out_channels - channels {
            0 => x,
            extra => {
                let zeros = Tensor::zeros([batch, extra, height, width], &x.device());
                Tensor::cat(vec![x, zeros], 1)
            }
        }
    }
}

/// The whole network.
#[derive(Module, Debug)]
pub struct Cnn {
    pub stem: Conv2d,
    pub stem_bn: BatchNorm,
    pub blocks: Vec<BasicBlock>,
    pub head: Linear,
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

impl Cnn {
    pub(super) fn new(
        config: &NetConfig,
        blocks_per_stage: usize,
        rng: &mut Rng,
        device: &Device,
    ) -> Result<Self, ModelError> {
        let &[channels, height, width] = config.item_shape.as_slice() else {
            return Err(ModelError::NotAnImage(config.item_shape.clone()));
        };
        let stem = conv3x3(channels, STAGE_CHANNELS[0], 1, rng, device);
        let mut blocks = Vec::new();
        let mut in_channels = STAGE_CHANNELS[0];
        for (stage, &out_channels) in STAGE_CHANNELS.iter().enumerate() {
            for i in 0..blocks_per_stage {
                let stride = if stage > 0 && i == 0 { 2 } else { 1 };
                blocks.push(BasicBlock::new(
                    in_channels,
                    out_channels,
                    stride,
                    config.shortcuts,
                    rng,
                    device,
                ));
                in_channels = out_channels;
            }
        }
        let mut head = LinearConfig::new(in_channels, config.num_classes).init(device);
        head.weight = fan_in_uniform([in_channels, config.num_classes], in_channels, rng, device);
        head.bias = Some(fan_in_uniform(
            [config.num_classes],
            in_channels,
            rng,
            device,
        ));
        Ok(Self {
            stem,
            stem_bn: BatchNormConfig::new(STAGE_CHANNELS[0]).init(device),
            blocks,
            head,
            channels,
            height,
            width,
        })
    }

    /// `[batch, channels × height × width]` in, `[batch, classes]` logits out.
    pub fn forward(&self, inputs: Tensor<2>, responses: &mut Responses) -> Tensor<2> {
        let [batch, _] = inputs.dims();
        let x = inputs.reshape([batch, self.channels, self.height, self.width]);

        let mut x = relu(self.stem_bn.forward(self.stem.forward(x))); // [B, 16, H, W]
        for block in &self.blocks {
            x = block.forward_traced(x, responses);
        } // [B, 64, H/4, W/4]

        let [_, channels, _, _] = x.dims();
        let x = x.mean_dim(3).mean_dim(2).reshape([batch, channels]); // global average pool
        self.head.forward(x) // [B, classes]
    }
}

fn conv3x3(
    in_channels: usize,
    out_channels: usize,
    stride: usize,
    rng: &mut Rng,
    device: &Device,
) -> Conv2d {
    let mut conv = Conv2dConfig::new([in_channels, out_channels], [3, 3])
        .with_stride([stride, stride])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_bias(false)
        .init(device);
    conv.weight = he_normal(
        [out_channels, in_channels, 3, 3],
        in_channels * 9,
        rng,
        device,
    );
    conv
}
