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
use crate::model::{Family, GrowError, ModelError, Net, NetConfig, Responses};
use crate::rng::Rng;
pub use metrics::{ErrorWindow, LayerStats, Record};
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
    #[error(transparent)]
    Grow(#[from] GrowError),
    #[error("no run {0} is training")]
    UnknownRun(String),
    #[error("decision boundaries need 2-D inputs such as the spirals")]
    NotTwoDimensional,
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
    /// The run this one was grown from by inserting identity blocks, if it was.
    pub grown_from: Option<String>,
    /// Whether its blocks' shortcuts are on now (always false for a plain net).
    pub shortcuts_on: bool,
    /// What happened to the run while it trained, for the charts to mark.
    pub events: Vec<RunEvent>,
}

/// Something done to a run while it trained: grown, shortcuts switched off or on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunEvent {
    /// Steps the run had taken when it happened.
    pub step: usize,
    pub what: String,
}

/// A grid of class probabilities over the input plane, for a 2-D data set.
#[derive(Debug, Clone, Serialize)]
pub struct Boundary {
    pub run: String,
    pub step: usize,
    /// Points along each side of the square grid.
    pub size: usize,
    /// The grid spans [-extent, extent] on both axes.
    pub extent: f64,
    pub classes: usize,
    /// `size × size × classes` probabilities, row by row from the top (largest y) left.
    pub probabilities: Vec<f32>,
}

struct Run {
    /// The name in records: [`RunSpec::id`], or for a grown run `residual-30-from-6`.
    id: String,
    spec: RunSpec,
    net: Net,
    optimizer: burn::optim::ModuleOptimizer,
    /// Steps taken so far; also the index of the next batch.
    step: usize,
    errors: ErrorWindow,
    diverged: bool,
    generation: u32,
    grown_from: Option<String>,
    events: Vec<RunEvent>,
}

/// Runs trained in lockstep on the same batches.
pub struct Trainer {
    config: TrainConfig,
    data: Split,
    order: BatchOrder,
    device: Device,
    runs: Vec<Run>,
    generations: u32,
    /// Residual runs' shortcuts are on (they can be switched off live, keeping the weights).
    shortcuts_on: bool,
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
            shortcuts_on: true,
        };
        trainer.set_runs(specs)?;
        Ok(trainer)
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn data(&self) -> &Split {
        &self.data
    }

    /// Make the runs `specs`: runs already training keep going, new ones start at step 0, and
    /// grown runs end.
    pub fn set_runs(&mut self, specs: &[RunSpec]) -> Result<(), TrainError> {
        let mut old: Vec<Run> = std::mem::take(&mut self.runs);
        for spec in specs {
            let kept = |run: &Run| run.spec == *spec && run.grown_from.is_none();
            match old.iter().position(kept) {
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
        let mut net = net;
        let mut events = Vec::new();
        if spec.shortcuts && !self.shortcuts_on {
            net.set_shortcuts(false);
            events.push(RunEvent {
                step: 0,
                what: "shortcuts off".into(),
            });
        }
        Ok(Run {
            id: spec.id(),
            spec,
            net,
            optimizer: self.config.optimizer(),
            step: 0,
            errors: window,
            diverged: false,
            generation: self.generations,
            grown_from: None,
            events,
        })
    }

    /// Grow the run `source` to `depth` layers by inserting identity blocks (see
    /// [`Net::grown`]), as a new run that goes on from the source's step, on the same batches,
    /// with a fresh optimizer; a run grown before from the same source to the same depth is
    /// replaced. Returns the new run's id.
    pub fn grow(&mut self, source: &str, depth: usize) -> Result<String, TrainError> {
        let from = self
            .runs
            .iter()
            .find(|run| run.id == source)
            .ok_or_else(|| TrainError::UnknownRun(source.to_owned()))?;
        let seed = self.config.seed ^ (from.step as u64).rotate_left(32);
        let net = from
            .net
            .grown(depth, from.spec.shortcuts, seed, &self.device)?;
        let spec = RunSpec { depth, ..from.spec };
        let id = format!("{}-from-{}", spec.id(), from.spec.depth);
        let run = Run {
            id: id.clone(),
            spec,
            net,
            optimizer: self.config.optimizer(),
            step: from.step,
            errors: from.errors.clone(),
            diverged: from.diverged,
            generation: self.generations + 1,
            grown_from: Some(from.id.clone()),
            events: vec![RunEvent {
                step: from.step,
                what: format!("grown from {} layers", from.spec.depth),
            }],
        };
        self.generations += 1;
        self.runs.retain(|run| run.id != id);
        self.runs.push(run);
        Ok(id)
    }

    /// Switch the residual runs' shortcuts off or on, keeping every weight: what does a trained
    /// net owe to its shortcuts? Runs made later follow the same switch.
    pub fn set_shortcuts(&mut self, on: bool) {
        if on == self.shortcuts_on {
            return;
        }
        self.shortcuts_on = on;
        for run in self.runs.iter_mut().filter(|run| run.spec.shortcuts) {
            run.net.set_shortcuts(on);
            let what = if on { "shortcuts on" } else { "shortcuts off" };
            run.events.push(RunEvent {
                step: run.step,
                what: what.into(),
            });
        }
    }

    pub fn runs(&self) -> Vec<RunInfo> {
        self.runs
            .iter()
            .map(|run| RunInfo {
                id: run.id.clone(),
                shortcuts: shortcuts_name(run.spec.shortcuts),
                depth: run.spec.depth,
                family: run.spec.family.name(),
                parameters: run.net.parameters(),
                generation: run.generation,
                grown_from: run.grown_from.clone(),
                shortcuts_on: run.spec.shortcuts && self.shortcuts_on,
                events: run.events.clone(),
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
            let every = self.config.diagnose_every;
            let diagnose = every > 0 && step % every == 0;
            let mut record = train_step(&mut self.runs[i], batch, learning_rate, diagnose).await?;
            let run = &self.runs[i];
            if !run.diverged && (run.step % eval_every == 0 || limit == Some(run.step)) {
                record.test_error = Some(test_error(&run.net, &self.data, &self.device).await?);
            }
            records.push(record);
        }
        Ok(records)
    }

    /// Each run's class probabilities on a `size × size` grid over the input plane (2-D data
    /// only), with BatchNorm's running statistics, as at test time. One read for all runs.
    pub async fn boundaries(&self, size: usize) -> Result<Vec<Boundary>, TrainError> {
        const EXTENT: f64 = 1.2; // the spirals lie within the unit disc
        if self.data.train.item_shape != [2] {
            return Err(TrainError::NotTwoDimensional);
        }
        let device = self.device.clone().without_autodiff();
        let step = 2.0 * EXTENT / (size.max(2) - 1) as f64;
        let points: Vec<f32> = (0..size * size)
            .flat_map(|i| {
                let (row, column) = (i / size, i % size);
                let (x, y) = (-EXTENT + column as f64 * step, EXTENT - row as f64 * step);
                [x as f32, y as f32]
            })
            .collect();
        let grid = Tensor::<2>::from_data(TensorData::new(points, [size * size, 2]), &device);
        let probabilities: Vec<Tensor<1>> = self
            .runs
            .iter()
            .map(|run| {
                let logits = run.net.valid().forward(grid.clone());
                burn::tensor::activation::softmax(logits, 1).flatten(0, 1)
            })
            .collect();
        if probabilities.is_empty() {
            return Ok(Vec::new());
        }
        let values = read_floats(probabilities).await?;
        let classes = self.data.train.num_classes;
        let per_run = size * size * classes;
        Ok(self
            .runs
            .iter()
            .zip(values.chunks(per_run))
            .map(|(run, chunk)| Boundary {
                run: run.id.clone(),
                step: run.step,
                size,
                extent: EXTENT,
                classes,
                probabilities: chunk.to_vec(),
            })
            .collect())
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

/// One step of one run; with `diagnose`, also each block's gradient norm and each layer's
/// response (see [`LayerStats`]).
async fn train_step(
    run: &mut Run,
    batch: Batch,
    learning_rate: f64,
    diagnose: bool,
) -> Result<Record, TrainError> {
    let started = web_time::Instant::now();
    let batch_size = batch.labels.dims()[0];
    let mut responses = if diagnose {
        Responses::on()
    } else {
        Responses::off()
    };

    let logits = run.net.forward_traced(batch.inputs, &mut responses); // forward
    let loss = cross_entropy(logits.clone(), batch.targets); // loss
    let wrong = count_wrong(logits.detach(), batch.labels);
    let gradients = loss.backward(); // backward
    let norms = match diagnose {
        true => run.net.block_gradient_norms(&gradients),
        false => Vec::new(),
    };
    let gradients = GradientsParams::from_grads(gradients, &run.net); // per-parameter gradients
    run.net = run
        .optimizer
        .step(learning_rate, run.net.clone(), gradients); // optimizer step

    // One read per step, of every number: each read waits for the device.
    let (blocks, responses) = (norms.len(), responses.into_vec());
    let values =
        read_floats([vec![loss.inner(), wrong.inner()], norms, responses].concat()).await?;
    let (loss, wrong) = (values[0] as f64, values[1] as f64);
    let as_f64 = |values: &[f32]| values.iter().map(|&v| v as f64).collect();
    let layers = diagnose.then(|| LayerStats {
        gradient_norms: as_f64(&values[2..2 + blocks]),
        responses: as_f64(&values[2 + blocks..]),
    });

    run.step += 1;
    run.diverged = !loss.is_finite();
    run.errors.push(wrong, batch_size as f64);
    Ok(Record {
        run: run.id.clone(),
        shortcuts: shortcuts_name(run.spec.shortcuts),
        depth: run.spec.depth,
        step: run.step,
        train_loss: loss,
        train_error: run.errors.error(),
        test_error: None,
        ms: started.elapsed().as_secs_f64() * 1000.0,
        diverged: run.diverged,
        layers,
    })
}

/// The values of `tensors`, one after another, in one read from the device (each read waits
/// for it; in the browser a read must be async).
async fn read_floats(tensors: Vec<Tensor<1>>) -> Result<Vec<f32>, TrainError> {
    Tensor::cat(tensors, 0)
        .into_data_async()
        .await
        .map_err(|e| TrainError::Backend(format!("{e:?}")))?
        .try_into_vec_as::<f32>()
        .map_err(|e| TrainError::Backend(format!("{e:?}")))
}

/// Examples a forward pass at test time takes at once.
const EVAL_CHUNK: usize = 500;

/// Error rate on the whole test set, with BatchNorm's running statistics.
async fn test_error(net: &Net, data: &Split, device: &Device) -> Result<f64, TrainError> {
    let net = net.valid();
    let device = device.clone().without_autodiff();
    let indices: Vec<usize> = (0..data.test.len()).collect();
    let wrong = indices
        .chunks(EVAL_CHUNK)
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
