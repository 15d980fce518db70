//! Training hyperparameters and the optimizers they build.

use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, SgdConfig};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// SGD with momentum 0.9, the paper's optimizer (section 3.4).
    Sgd,
    Adam,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    pub learning_rate: f64,
    /// Steps at which the learning rate is divided by 10 (the paper: 32k and 48k).
    pub learning_rate_drops: Vec<usize>,
    pub momentum: f64,
    /// L2 penalty (the paper: 1e-4).
    pub weight_decay: f64,
    pub batch_size: usize,
    pub seed: u64,
    /// Measure the test error every this many steps.
    pub eval_every: usize,
    /// Pad, crop and flip training images (the paper's CIFAR-10 augmentation).
    pub augment: bool,
    /// Measure per-layer gradient norms and responses every this many steps; 0: never.
    pub diagnose_every: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            optimizer: OptimizerKind::Sgd,
            learning_rate: 0.1,
            learning_rate_drops: Vec::new(),
            momentum: 0.9,
            weight_decay: 1e-4,
            batch_size: 64,
            seed: 1,
            eval_every: 50,
            augment: false,
            diagnose_every: 0,
        }
    }
}

impl TrainConfig {
    pub fn learning_rate_at(&self, step: usize) -> f64 {
        let drops = self
            .learning_rate_drops
            .iter()
            .filter(|&&d| step >= d)
            .count();
        self.learning_rate / 10f64.powi(drops as i32)
    }

    pub(super) fn optimizer(&self) -> ModuleOptimizer {
        let weight_decay =
            (self.weight_decay > 0.0).then(|| WeightDecayConfig::new(self.weight_decay as f32));
        match self.optimizer {
            OptimizerKind::Sgd => SgdConfig::new()
                .with_momentum(Some(MomentumConfig {
                    momentum: self.momentum,
                    dampening: 0.0,
                    nesterov: false,
                }))
                .with_weight_decay(weight_decay)
                .init(),
            OptimizerKind::Adam => AdamConfig::new().with_weight_decay(weight_decay).init(),
        }
    }
}
