//! A measurement, not a test: train the page's default runs natively and print the final
//! training errors, to check that the default view shows the degradation ordering.
//! Run with `cargo test --test degradation -- --ignored --nocapture` (minutes).

use burn::prelude::*;
use pollster::block_on;
use resnet_playground::data::{mnist, spiral};
use resnet_playground::settings::{DatasetKind, Settings};
use resnet_playground::train::Trainer;

#[test]
#[ignore = "a measurement that takes minutes; run it by name"]
fn default_view_ordering() {
    let query = std::env::var("QUERY").unwrap_or_default();
    let settings = Settings::parse(&query).settings;
    let steps: usize = std::env::var("STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let data = match settings.dataset {
        DatasetKind::Mnist => {
            let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/mnist.bin"))
                .expect("www/data/mnist.bin");
            mnist::parse(&bytes).unwrap()
        }
        DatasetKind::Spiral => spiral::generate(settings.seed, 3000, 1000),
    };
    let mut trainer = Trainer::new(
        settings.train_config(),
        data,
        &settings.run_specs(),
        &Device::flex(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let mut last = std::collections::BTreeMap::new();
    for step in 1..=steps {
        for r in block_on(trainer.step(Some(steps))).unwrap() {
            last.insert(r.run.clone(), r);
        }
        if step % 100 == 0 {
            let line: Vec<String> = last
                .values()
                .map(|r| {
                    format!(
                        "{} {:.3}/{:.3}",
                        r.run,
                        r.train_error.unwrap_or(f64::NAN),
                        r.test_error.unwrap_or(f64::NAN)
                    )
                })
                .collect();
            eprintln!(
                "step {step} {:.0}s: {}",
                started.elapsed().as_secs_f64(),
                line.join("  ")
            );
        }
    }
}
