//! What each step reports.

use std::collections::VecDeque;

use serde::Serialize;

/// Longest window, in batches, of the running training error. An epoch of MNIST at batch 64 is
/// 125 batches; a shorter window keeps the curve from lagging far behind the net early on.
pub const MAX_WINDOW: usize = 50;

/// One run's numbers after one step. Errors are fractions in [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    pub run: String,
    pub shortcuts: &'static str,
    pub depth: usize,
    /// Steps taken, counting this one.
    pub step: usize,
    pub train_loss: f64,
    /// Misclassified training examples over the last [`ErrorWindow`] batches (before each
    /// batch's update, as in the paper's curves).
    pub train_error: Option<f64>,
    /// Error on the whole held-out test set, measured every `eval_every` steps.
    pub test_error: Option<f64>,
    /// Wall time of the step, reading its result included.
    pub ms: f64,
    /// The loss became NaN or infinite; the run stops.
    pub diverged: bool,
    /// Per-layer numbers, every `diagnose_every` steps (not in CSV files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layers: Option<LayerStats>,
}

/// What each layer of a net is doing, measured during one training step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerStats {
    /// The L2 norm of the gradient of each block's weights, from the input side: how strongly
    /// the loss still reaches that block.
    pub gradient_norms: Vec<f64>,
    /// The standard deviation of each weight layer's output, after BatchNorm and before the
    /// ReLU or the addition (two per block): He et al. 2015, Fig. 7's "layer responses".
    pub responses: Vec<f64>,
}

/// A running training error over the last `capacity` batches.
#[derive(Debug, Clone)]
pub struct ErrorWindow {
    capacity: usize,
    batches: VecDeque<(f64, f64)>,
    wrong: f64,
    seen: f64,
}

impl ErrorWindow {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            batches: VecDeque::new(),
            wrong: 0.0,
            seen: 0.0,
        }
    }

    pub fn push(&mut self, wrong: f64, seen: f64) {
        if !wrong.is_finite() {
            return;
        }
        self.batches.push_back((wrong, seen));
        self.wrong += wrong;
        self.seen += seen;
        if self.batches.len() > self.capacity {
            let (old_wrong, old_seen) = self.batches.pop_front().expect("the window is not empty");
            self.wrong -= old_wrong;
            self.seen -= old_seen;
        }
    }

    pub fn error(&self) -> Option<f64> {
        (self.seen > 0.0).then(|| self.wrong / self.seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_forgets_old_batches() {
        let mut window = ErrorWindow::new(2);
        assert_eq!(window.error(), None);
        window.push(10.0, 10.0);
        window.push(0.0, 10.0);
        assert_eq!(window.error(), Some(0.5));
        window.push(0.0, 10.0);
        assert_eq!(window.error(), Some(0.0));
    }
}
