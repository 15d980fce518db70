//! A known-answer check of a backend before it trains anything.
//!
//! A GPU backend can fail silently: a shader the browser rejects, or a kernel that computes
//! the wrong thing, gives losses that look like a run diverging. Training one small residual
//! net for two steps on the backend and on the CPU reference, from the same weights and batch,
//! tells a broken backend from a diverging run before any curve is drawn.

use burn::prelude::*;

use super::{OptimizerKind, RunSpec, TrainConfig, Trainer};
use crate::data::{Dataset, Split};
use crate::model::Family;

/// Largest relative difference in loss accepted between the backend and the reference:
/// float32 sums in another order differ by far less.
const TOLERANCE: f64 = 1e-2;

/// `Ok` when `device` trains a small CNN and MLP as `reference` does.
pub async fn backend_agrees(device: &Device, reference: &Device) -> Result<(), String> {
    for family in [Family::Cnn, Family::Mlp] {
        let on_device = losses(family, device).await?;
        let expected = losses(family, reference).await?;
        for (got, want) in on_device.iter().zip(&expected) {
            let relative = (got - want).abs() / want.abs().max(1e-6);
            if !got.is_finite() || relative > TOLERANCE {
                return Err(format!(
                    "the {} check computed loss {got} where the CPU computes {want}",
                    family.name()
                ));
            }
        }
    }
    Ok(())
}

async fn losses(family: Family, device: &Device) -> Result<Vec<f64>, String> {
    let data = tiny_images(16);
    let spec = RunSpec {
        family,
        depth: family.depth_for_blocks(1),
        shortcuts: true,
    };
    let config = TrainConfig {
        optimizer: OptimizerKind::Sgd,
        learning_rate: 0.05,
        batch_size: 8,
        eval_every: usize::MAX,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, data, &[spec], device).map_err(|e| e.to_string())?;
    let mut losses = Vec::new();
    for _ in 0..3 {
        let records = trainer.step(None).await.map_err(|e| e.to_string())?;
        losses.extend(records.iter().map(|r| r.train_loss));
    }
    Ok(losses)
}

/// `len` deterministic 1×8×8 images in 10 classes.
fn tiny_images(len: usize) -> Split {
    let mut rng = crate::rng::Rng::new(99);
    let dataset = Dataset {
        features: (0..len * 64).map(|_| rng.normal() as f32).collect(),
        labels: (0..len).map(|i| (i % 10) as u8).collect(),
        item_shape: vec![1, 8, 8],
        num_classes: 10,
    };
    Split {
        train: dataset.clone(),
        test: dataset,
    }
}
