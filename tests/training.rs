//! The training engine on the CPU backend: learning, lockstep, restarts, divergence.

use burn::prelude::*;
use pollster::block_on;
use resnet_playground::data::{Split, mnist, spiral};
use resnet_playground::model::Family;
use resnet_playground::train::{OptimizerKind, Record, RunSpec, TrainConfig, Trainer};

fn spec(family: Family, depth: usize, shortcuts: bool) -> RunSpec {
    RunSpec {
        family,
        depth,
        shortcuts,
    }
}

fn config(learning_rate: f64, batch_size: usize) -> TrainConfig {
    TrainConfig {
        learning_rate,
        batch_size,
        seed: 11,
        eval_every: 10,
        ..TrainConfig::default()
    }
}

fn train(trainer: &mut Trainer, steps: usize) -> Vec<Record> {
    (0..steps)
        .flat_map(|_| block_on(trainer.step(None)).expect("a step"))
        .collect()
}

fn losses(records: &[Record], run: &str) -> Vec<f64> {
    records
        .iter()
        .filter(|r| r.run == run)
        .map(|r| r.train_loss)
        .collect()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The first 600 real digits (500 to train on, 100 to test), from the shipped asset.
fn small_mnist() -> Split {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/mnist.bin"))
        .expect("www/data/mnist.bin (run `node www/tools/make-mnist.mjs`)");
    let mut split = mnist::parse(&bytes).expect("a valid asset");
    split.train.labels.truncate(500);
    split.train.features.truncate(500 * 784);
    split.test.labels.truncate(100);
    split.test.features.truncate(100 * 784);
    split
}

#[test]
fn the_loss_falls_on_spirals_plain_and_residual() {
    let data = spiral::generate(4, 1200, 300);
    let specs = [spec(Family::Mlp, 6, false), spec(Family::Mlp, 6, true)];
    let mut trainer = Trainer::new(config(0.05, 32), data, &specs, &Device::flex()).unwrap();
    let records = train(&mut trainer, 120);
    for run in ["plain-6", "residual-6"] {
        let l = losses(&records, run);
        assert_eq!(l.len(), 120);
        let (first, last) = (mean(&l[..10]), mean(&l[l.len() - 10..]));
        assert!(last < 0.7 * first, "{run}: loss {first:.3} → {last:.3}");
    }
    let tested: Vec<_> = records
        .iter()
        .filter_map(|r| r.test_error.map(|e| (r.step, e)))
        .collect();
    assert!(
        tested
            .iter()
            .all(|&(step, e)| step % 10 == 0 && (0.0..=1.0).contains(&e))
    );
    assert_eq!(tested.len(), 2 * 12);
}

#[test]
fn the_loss_falls_on_real_digits_with_the_cnn() {
    let specs = [spec(Family::Cnn, 8, false), spec(Family::Cnn, 8, true)];
    let mut trainer =
        Trainer::new(config(0.05, 32), small_mnist(), &specs, &Device::flex()).unwrap();
    let records = train(&mut trainer, 40);
    for run in ["plain-8", "residual-8"] {
        let l = losses(&records, run);
        let (first, last) = (mean(&l[..5]), mean(&l[l.len() - 5..]));
        assert!(last < 0.85 * first, "{run}: loss {first:.3} → {last:.3}");
    }
}

#[test]
fn runs_see_the_same_batches_whatever_runs_beside_them() {
    let data = spiral::generate(4, 600, 100);
    let (plain, residual) = (spec(Family::Mlp, 6, false), spec(Family::Mlp, 6, true));
    let device = Device::flex();
    let mut both =
        Trainer::new(config(0.05, 16), data.clone(), &[plain, residual], &device).unwrap();
    let mut alone = Trainer::new(config(0.05, 16), data.clone(), &[residual], &device).unwrap();
    let (with_plain, without) = (train(&mut both, 8), train(&mut alone, 8));
    assert_eq!(
        losses(&with_plain, "residual-6"),
        losses(&without, "residual-6")
    );

    // A run restarted mid-way sees, at each of its steps, the batch any run saw at that step:
    // after the change, plain-8 trains exactly as a fresh plain-8 does; residual-6 goes on.
    let deeper = spec(Family::Mlp, 8, false);
    both.set_runs(&[deeper, residual]).unwrap();
    let after = train(&mut both, 5);
    let residual_steps: Vec<_> = after
        .iter()
        .filter(|r| r.run == "residual-6")
        .map(|r| r.step)
        .collect();
    assert_eq!(residual_steps, vec![9, 10, 11, 12, 13]);
    let mut fresh = Trainer::new(config(0.05, 16), data, &[deeper], &device).unwrap();
    assert_eq!(
        losses(&after, "plain-8"),
        losses(&train(&mut fresh, 5), "plain-8")
    );
    assert_eq!(
        both.runs()[0].generation,
        3,
        "plain-8 is the third run made"
    );
}

#[test]
fn a_nan_loss_marks_only_that_run_diverged() {
    let data = spiral::generate(4, 600, 100);
    let mut cfg = config(1e30, 16);
    cfg.optimizer = OptimizerKind::Sgd;
    let specs = [spec(Family::Mlp, 4, false)];
    let mut trainer = Trainer::new(cfg, data, &specs, &Device::flex()).unwrap();
    let records = train(&mut trainer, 6);
    let last = records.last().expect("at least one record");
    assert!(last.diverged && !last.train_loss.is_finite(), "{last:?}");
    assert!(records.iter().take(records.len() - 1).all(|r| !r.diverged));
    assert!(trainer.is_done(None), "a diverged run takes no more steps");
}

#[test]
fn training_stops_at_the_step_limit() {
    let data = spiral::generate(4, 600, 100);
    let mut trainer = Trainer::new(
        config(0.05, 16),
        data,
        &[spec(Family::Mlp, 4, true)],
        &Device::flex(),
    )
    .unwrap();
    let mut steps = 0;
    while !trainer.is_done(Some(7)) {
        let records = block_on(trainer.step(Some(7))).unwrap();
        steps += records.len();
        if records.last().unwrap().step == 7 {
            assert!(
                records[0].test_error.is_some(),
                "the last step is always tested"
            );
        }
    }
    assert_eq!(steps, 7);
}

#[test]
fn the_gpu_check_accepts_a_backend_that_agrees() {
    let cpu = Device::flex();
    assert_eq!(
        block_on(resnet_playground::train::check::backend_agrees(&cpu, &cpu)),
        Ok(())
    );
}
