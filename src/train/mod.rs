//! The training engine: several runs in lockstep on one device.
//!
//! Nothing here knows about browsers. The engine takes a device and never makes one, and every
//! tensor read is async, so the same code trains natively in tests and on WebGPU in a worker.

pub mod check;
mod metrics;
mod optimizer;

use std::collections::HashMap;

use burn::optim::GradientsParams;
use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use serde::Serialize;

use crate::data::{Batch, BatchOrder, Split};
use crate::model::{Family, ModelError, Net, NetConfig};
use crate::rng::Rng;
pub use metrics::{ErrorWindow, Record};
pub use optimizer::{OptimizerKind, TrainConfig};

/// What one run trains: a family, a depth, and whether its blocks have shortcuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RunSpec {
    pub family: Family,
    pub depth: usize,
    pub shortcuts: bool,
}

impl RunSpec {
    /// `plain-20`, `residual-56`: the run's name in records, CSV files and the page.
    pub fn id(&self) -> String {
        format!("{}-{}", shortcuts_name(self.shortcuts), self.depth)
    }
}

/// `plain` or `residual`, spelled the same everywhere.
pub fn shortcuts_name(shortcuts: bool) -> &'static str {
    if shortcuts { "residual" } else { "plain" }
}

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the data set is empty")]
    NoData,
    #[error("the backend failed while reading a result: {0}")]
    Backend(String),
}

/// A run as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub id: String,
    pub shortcuts: &'static str,
    pub depth: usize,
    pub family: &'static str,
    pub parameters: usize,
    /// Bumped each time the run restarts from scratch, so a chart can drop its old curve.
    pub generation: u32,
}

struct Run {
    spec: RunSpec,
    net: Net,
    optimizer: burn::optim::ModuleOptimizer,
    /// Steps taken so far; also the index of the next batch.
    step: usize,
    errors: ErrorWindow,
    diverged: bool,
    generation: u32,
}

/// Runs trained in lockstep on the same batches.
pub struct Trainer {
    config: TrainConfig,
    data: Split,
    order: BatchOrder,
    device: Device,
    runs: Vec<Run>,
    generations: u32,
}

impl Trainer {
    /// `device` gets autodiff here; plain and residual runs of the same depth start from the
    /// same weights (both are drawn from `config.seed`).
    pub fn new(
        config: TrainConfig,
        data: Split,
        specs: &[RunSpec],
        device: &Device,
    ) -> Result<Self, TrainError> {
        if data.train.is_empty() || data.test.is_empty() {
            return Err(TrainError::NoData);
        }
        let order = BatchOrder::new(config.seed, data.train.len(), config.batch_size);
        let mut trainer = Self {
            config,
            data,
            order,
            device: device.clone().autodiff(),
            runs: Vec::new(),
            generations: 0,
        };
        trainer.set_runs(specs)?;
        Ok(trainer)
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Make the runs `specs`: runs already training keep going, new ones start at step 0.
    pub fn set_runs(&mut self, specs: &[RunSpec]) -> Result<(), TrainError> {
        let mut old: Vec<Run> = std::mem::take(&mut self.runs);
        for spec in specs {
            match old.iter().position(|run| run.spec == *spec) {
                Some(i) => self.runs.push(old.swap_remove(i)),
                None => {
                    let run = self.new_run(*spec)?;
                    self.runs.push(run);
                }
            }
        }
        Ok(())
    }

    fn new_run(&mut self, spec: RunSpec) -> Result<Run, TrainError> {
        let net = NetConfig::new(
            spec.family,
            spec.depth,
            spec.shortcuts,
            &self.data.train.item_shape,
        )
        .with_num_classes(self.data.train.num_classes)
        .init(self.config.seed, &self.device)?;
        self.generations += 1;
        let window = ErrorWindow::new(self.order.steps_per_epoch().min(metrics::MAX_WINDOW));
        Ok(Run {
            spec,
            net,
            optimizer: self.config.optimizer(),
            step: 0,
            errors: window,
            diverged: false,
            generation: self.generations,
        })
    }

    pub fn runs(&self) -> Vec<RunInfo> {
        self.runs
            .iter()
            .map(|run| RunInfo {
                id: run.spec.id(),
                shortcuts: shortcuts_name(run.spec.shortcuts),
                depth: run.spec.depth,
                family: run.spec.family.name(),
                parameters: run.net.parameters(),
                generation: run.generation,
            })
            .collect()
    }

    /// Whether every run has reached `limit` steps or diverged.
    pub fn is_done(&self, limit: Option<usize>) -> bool {
        self.runs
            .iter()
            .all(|run| run.diverged || limit.is_some_and(|l| run.step >= l))
    }

    /// One step of every run that is neither diverged nor past `limit`; a record for each.
    pub async fn step(&mut self, limit: Option<usize>) -> Result<Vec<Record>, TrainError> {
        let mut batches: HashMap<usize, Batch> = HashMap::new();
        let mut records = Vec::with_capacity(self.runs.len());
        for i in 0..self.runs.len() {
            let run = &self.runs[i];
            if run.diverged || limit.is_some_and(|l| run.step >= l) {
                continue;
            }
            let step = run.step;
            let batch = batches
                .entry(step)
                .or_insert_with(|| {
                    // Augmentation too depends only on the seed and the step: lockstep holds.
                    let mut rng = Rng::stream(self.config.seed, 0xA0_6000 + step as u64);
                    let augment = self.config.augment.then_some(&mut rng);
                    let indices = self.order.indices(step);
                    self.data
                        .train
                        .batch_augmented(&indices, augment, &self.device)
                })
                .clone();
            let learning_rate = self.config.learning_rate_at(step);
            let eval_every = self.config.eval_every;
            let mut record = train_step(&mut self.runs[i], batch, learning_rate).await?;
            let run = &self.runs[i];
            if !run.diverged && (run.step % eval_every == 0 || limit == Some(run.step)) {
                record.test_error = Some(test_error(&run.net, &self.data, &self.device).await?);
            }
            records.push(record);
        }
        Ok(records)
    }
}

/// Cross-entropy between logits and one-hot targets: `[batch, classes]` each, `[1]` out.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let log_probs = log_softmax(logits, 1);
    (log_probs * targets).sum_dim(1).mean().neg()
}

/// How many rows of `logits` do not pick their label, as a `[1]` float tensor.
fn count_wrong(logits: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
    let [batch, _] = logits.dims();
    let predicted = logits.argmax(1).reshape([batch]);
    predicted.not_equal(labels).int().sum().float()
}

async fn train_step(run: &mut Run, batch: Batch, learning_rate: f64) -> Result<Record, TrainError> {
    let started = web_time::Instant::now();
    let batch_size = batch.labels.dims()[0];

    let logits = run.net.forward(batch.inputs); // forward
    let loss = cross_entropy(logits.clone(), batch.targets); // loss
    let wrong = count_wrong(logits.detach(), batch.labels);
    let gradients = loss.backward(); // backward
    let gradients = GradientsParams::from_grads(gradients, &run.net); // per-parameter gradients
    run.net = run
        .optimizer
        .step(learning_rate, run.net.clone(), gradients); // optimizer step

    // One read per step, of both numbers: each read waits for the device.
    let values = Tensor::cat(vec![loss.detach(), wrong], 0)
        .into_data_async()
        .await
        .map_err(|e| TrainError::Backend(format!("{e:?}")))?
        .try_into_vec_as::<f32>()
        .map_err(|e| TrainError::Backend(format!("{e:?}")))?;
    let (loss, wrong) = (values[0] as f64, values[1] as f64);

    run.step += 1;
    run.diverged = !loss.is_finite();
    run.errors.push(wrong, batch_size as f64);
    Ok(Record {
        run: run.spec.id(),
        shortcuts: shortcuts_name(run.spec.shortcuts),
        depth: run.spec.depth,
        step: run.step,
        train_loss: loss,
        train_error: run.errors.error(),
        test_error: None,
        ms: started.elapsed().as_secs_f64() * 1000.0,
        diverged: run.diverged,
    })
}

/// Error rate on the whole test set, with BatchNorm's running statistics.
async fn test_error(net: &Net, data: &Split, device: &Device) -> Result<f64, TrainError> {
    const CHUNK: usize = 500;
    let net = net.valid();
    let device = device.clone().without_autodiff();
    let indices: Vec<usize> = (0..data.test.len()).collect();
    let wrong = indices
        .chunks(CHUNK)
        .map(|chunk| {
            let batch = data.test.batch(chunk, &device);
            count_wrong(net.forward(batch.inputs), batch.labels)
        })
        .reduce(|a, b| a + b)
        .ok_or(TrainError::NoData)?;
    let wrong: f32 = wrong
        .into_scalar_async()
        .await
        .map_err(|e| TrainError::Backend(format!("{e:?}")))?;
    Ok(wrong as f64 / data.test.len() as f64)
}
