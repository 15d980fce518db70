//! Growing a trained net deeper by inserting blocks that compute the identity.
//!
//! The paper's argument (He et al. 2015, section 1) as an experiment: a deeper net can copy a
//! shallower one and make its extra layers identities, so it should never train worse. The
//! grown net computes exactly the function of the net it was grown from; keep training it beside
//! a deep net trained from scratch and compare.

use burn::prelude::*;

use super::cnn::{BasicBlock, STAGE_CHANNELS};
use super::mlp::DenseBlock;
use super::{Family, Net};
use crate::rng::Rng;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrowError {
    #[error("no {family} net has depth {depth}")]
    BadDepth { family: &'static str, depth: usize },
    #[error("a net can only grow deeper: {from} layers to {to}")]
    NotDeeper { from: usize, to: usize },
    #[error(
        "a plain cnn cannot grow by identity: BatchNorm follows every convolution and \
         renormalises whatever an identity kernel passes on"
    )]
    PlainCnn,
}

impl Net {
    /// This net made `depth` layers deep by appending identity blocks: at the end of the `mlp`
    /// family's one stage, at the end of each of the `cnn` family's three stages (where the
    /// shapes match). `shortcuts` says which kind of identity block to add (see
    /// [`DenseBlock::identity_init`] and [`BasicBlock::identity_init`]); the new blocks' other
    /// weights come from `seed`.
    pub fn grown(
        &self,
        depth: usize,
        shortcuts: bool,
        seed: u64,
        device: &Device,
    ) -> Result<Net, GrowError> {
        let family = match self {
            Net::Cnn(_) => Family::Cnn,
            Net::Mlp(_) => Family::Mlp,
        };
        let bad_depth = GrowError::BadDepth {
            family: family.name(),
            depth,
        };
        let blocks = family.blocks_for_depth(depth).ok_or(bad_depth)?;
        let stages = match family {
            Family::Cnn => STAGE_CHANNELS.len(),
            Family::Mlp => 1,
        };
        let old_blocks = self.blocks() / stages;
        if blocks <= old_blocks {
            return Err(GrowError::NotDeeper {
                from: family.depth_for_blocks(old_blocks),
                to: depth,
            });
        }
        let mut rng = Rng::stream(seed, 0x6_40_77);
        let mut grown = self.clone();
        match &mut grown {
            Net::Mlp(net) => {
                let width = net.stem.weight.val().dims()[1];
                let batch_norm = net.stem_bn.is_some();
                for _ in old_blocks..blocks {
                    let block =
                        DenseBlock::identity_init(width, batch_norm, shortcuts, &mut rng, device);
                    net.blocks.push(block);
                }
            }
            Net::Cnn(net) => {
                if !shortcuts {
                    return Err(GrowError::PlainCnn);
                }
                let mut old = std::mem::take(&mut net.blocks).into_iter();
                for channels in STAGE_CHANNELS {
                    net.blocks.extend(old.by_ref().take(old_blocks));
                    for _ in old_blocks..blocks {
                        net.blocks
                            .push(BasicBlock::identity_init(channels, &mut rng, device));
                    }
                }
            }
        }
        Ok(grown)
    }
}
