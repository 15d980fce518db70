use burn::prelude::*;
use pollster::block_on;
use resnet_playground::data::spiral;
use resnet_playground::model::Family;
use resnet_playground::train::{RunSpec, TrainConfig, Trainer};
#[test]
fn explore() {
    let data = spiral::generate(1, 3000, 1000);
    let specs: Vec<RunSpec> = [(4, false), (60, false), (4, true), (60, true)]
        .iter()
        .map(|&(d, s)| RunSpec {
            family: Family::Mlp,
            depth: d,
            shortcuts: s,
        })
        .collect();
    let config = TrainConfig {
        learning_rate: 0.02,
        batch_size: 128,
        seed: 1,
        eval_every: 50,
        diagnose_every: 10,
        ..TrainConfig::default()
    };
    let mut t = Trainer::new(config, data, &specs, &Device::flex()).unwrap();
    let s = std::time::Instant::now();
    for _ in 0..25 {
        block_on(t.step(None)).unwrap();
    }
    println!("25 steps {:?}", s.elapsed());
    for size in [48, 32, 24] {
        let s = std::time::Instant::now();
        block_on(t.boundaries(size)).unwrap();
        println!("boundaries {size} {:?}", s.elapsed());
    }
}
