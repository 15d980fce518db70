//! What the page's insight panel shows: per-layer gradient norms and responses, growing a net
//! by identity blocks, switching shortcuts off live, decision boundaries.

use burn::prelude::*;
use pollster::block_on;
use resnet_playground::data::{Split, spiral};
use resnet_playground::model::{Family, GrowError, Net, NetConfig, Responses};
use resnet_playground::train::{Record, RunSpec, TrainConfig, TrainError, Trainer};

fn spec(family: Family, depth: usize, shortcuts: bool) -> RunSpec {
    RunSpec {
        family,
        depth,
        shortcuts,
    }
}

fn config(diagnose_every: usize) -> TrainConfig {
    TrainConfig {
        learning_rate: 0.05,
        batch_size: 32,
        seed: 3,
        eval_every: 1000,
        diagnose_every,
        ..TrainConfig::default()
    }
}

fn train(trainer: &mut Trainer, steps: usize) -> Vec<Record> {
    (0..steps)
        .flat_map(|_| block_on(trainer.step(None)).expect("a step"))
        .collect()
}

fn record<'a>(records: &'a [Record], run: &str, step: usize) -> &'a Record {
    records
        .iter()
        .find(|r| r.run == run && r.step == step)
        .unwrap_or_else(|| panic!("no record of {run} at step {step}"))
}

/// What a record says about the net (not how long the step took).
fn numbers(records: &[Record]) -> Vec<(String, usize, f64, Option<f64>)> {
    records
        .iter()
        .map(|r| (r.run.clone(), r.step, r.train_loss, r.train_error))
        .collect()
}

fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().try_into_vec_as::<f32>().unwrap()
}

fn spirals() -> Split {
    spiral::generate(4, 900, 200)
}

/// Random inputs of `features` values each, some negative (the stem sees raw data).
fn inputs(batch: usize, features: usize, device: &Device) -> Tensor<2> {
    let mut rng = resnet_playground::rng::Rng::new(9);
    let x: Vec<f32> = (0..batch * features).map(|_| rng.normal() as f32).collect();
    Tensor::from_data(TensorData::new(x, [batch, features]), device)
}

/// Largest difference between two nets' logits, relative to the largest logit.
fn relative_gap(a: Tensor<2>, b: Tensor<2>) -> f32 {
    let (a, b) = (values(a), values(b));
    let scale = a.iter().fold(0f32, |m, v| m.max(v.abs())).max(1e-6);
    let gap = a
        .iter()
        .zip(&b)
        .fold(0f32, |m, (x, y)| m.max((x - y).abs()));
    gap / scale
}

#[test]
fn a_grown_net_computes_the_same_function() {
    let device = Device::flex();
    for (family, from, to, shortcuts, shape) in [
        (Family::Mlp, 6, 14, true, vec![2]),
        (Family::Mlp, 6, 14, false, vec![2]),
        (Family::Cnn, 8, 14, true, vec![1, 12, 12]),
    ] {
        let net = NetConfig::new(family, from, shortcuts, &shape)
            .init(7, &device)
            .unwrap();
        let grown = net.grown(to, shortcuts, 1, &device).expect("it grows");
        let want = family.blocks_for_depth(to).unwrap() * if family == Family::Cnn { 3 } else { 1 };
        assert_eq!(grown.blocks(), want, "{family:?} {from}→{to}");
        assert!(grown.parameters() > net.parameters());
        let x = inputs(16, shape.iter().product(), &device);
        // In training mode (BatchNorm on batch statistics) and at test time alike. The new
        // blocks are exact identities (x·I, 0·x̂ + 0, relu of a non-negative x), so only
        // float rounding could tell the nets apart; 1e-5 of the largest logit leaves room for
        // that and nothing more.
        let gap = relative_gap(net.forward(x.clone()), grown.forward(x.clone()));
        assert!(gap <= 1e-5, "{family:?} {from}→{to} training mode: {gap}");
        let gap = relative_gap(net.valid().forward(x.clone()), grown.valid().forward(x));
        assert!(gap <= 1e-5, "{family:?} {from}→{to} test mode: {gap}");
    }
}

#[test]
fn growth_refuses_what_it_cannot_do() {
    let device = Device::flex();
    let mlp = NetConfig::new(Family::Mlp, 10, true, &[2])
        .init(1, &device)
        .unwrap();
    assert_eq!(
        mlp.grown(6, true, 1, &device).err(),
        Some(GrowError::NotDeeper { from: 10, to: 6 })
    );
    assert!(matches!(
        mlp.grown(11, true, 1, &device),
        Err(GrowError::BadDepth { depth: 11, .. })
    ));
    let plain_cnn = NetConfig::new(Family::Cnn, 8, false, &[1, 8, 8])
        .init(1, &device)
        .unwrap();
    assert_eq!(
        plain_cnn.grown(14, false, 1, &device).err(),
        Some(GrowError::PlainCnn)
    );
}

#[test]
fn the_loss_does_not_jump_when_a_trained_run_grows() {
    for shortcuts in [true, false] {
        let source = spec(Family::Mlp, 6, shortcuts);
        let mut trainer = Trainer::new(config(0), spirals(), &[source], &Device::flex()).unwrap();
        train(&mut trainer, 30);
        let grown = trainer.grow(&source.id(), 20).expect("it grows");
        assert_eq!(
            grown,
            format!("{}-from-6", spec(Family::Mlp, 20, shortcuts).id())
        );
        let info = trainer.runs();
        assert_eq!(info[1].grown_from.as_deref(), Some(source.id().as_str()));
        assert_eq!(info[1].events[0].step, 30);

        let records = train(&mut trainer, 3);
        // Step 31: both nets compute the same function on the same batch, so the loss of the
        // grown net is the loss the source has there (float rounding aside: 1e-5 relative).
        let (before, after) = (
            record(&records, &source.id(), 31).train_loss,
            record(&records, &grown, 31).train_loss,
        );
        assert!(
            (before - after).abs() <= 1e-5 * before,
            "{grown}: {before} → {after}"
        );
        // After that they part: the grown net has new layers to train, and a fresh optimizer.
        assert_ne!(
            record(&records, &source.id(), 33).train_loss,
            record(&records, &grown, 33).train_loss
        );
        // Its running training error carried on from the source's.
        assert!(record(&records, &grown, 31).train_error.is_some());
    }
}

#[test]
fn layer_stats_come_every_few_steps_one_per_block_and_two_per_block() {
    let specs = [spec(Family::Mlp, 6, false), spec(Family::Mlp, 10, true)];
    let mut trainer = Trainer::new(config(4), spirals(), &specs, &Device::flex()).unwrap();
    let records = train(&mut trainer, 9);
    for r in &records {
        let blocks = (r.depth - 2) / 2;
        match &r.layers {
            Some(layers) => {
                assert_eq!(
                    r.step % 4,
                    1,
                    "measured on steps 0, 4, 8 (reported as 1, 5, 9)"
                );
                assert_eq!(layers.gradient_norms.len(), blocks);
                assert_eq!(layers.responses.len(), 2 * blocks);
                assert!(
                    layers
                        .gradient_norms
                        .iter()
                        .all(|g| g.is_finite() && *g > 0.0)
                );
                // In training mode BatchNorm scales each unit to unit variance and gamma
                // starts at 1, so at step 1 every response is 1 (to BatchNorm's epsilon).
                if r.step == 1 {
                    for std in &layers.responses {
                        assert!((std - 1.0).abs() < 1e-2, "{}: response {std}", r.run);
                    }
                }
            }
            None => assert_ne!(r.step % 4, 1, "{} at {}", r.run, r.step),
        }
    }
}

#[test]
fn gradient_norms_are_the_norms_of_the_blocks_weight_gradients() {
    let device = Device::flex().autodiff();
    let net = NetConfig::new(Family::Mlp, 8, false, &[2])
        .init(2, &device)
        .unwrap();
    let x = inputs(8, 2, &device);
    let loss = net.forward(x).square().mean();
    let gradients = loss.backward();
    let norms: Vec<f32> = net
        .block_gradient_norms(&gradients)
        .into_iter()
        .flat_map(values)
        .collect();
    let Net::Mlp(mlp) = &net else { unreachable!() };
    for (block, norm) in mlp.blocks.iter().zip(&norms) {
        let squares: f32 = [&block.fc1.weight, &block.fc2.weight]
            .iter()
            .flat_map(|w| values(w.val().grad(&gradients).expect("a gradient")))
            .map(|g| g * g)
            .sum();
        assert!(
            (squares.sqrt() - norm).abs() <= 1e-5 * norm,
            "{} vs {norm}",
            squares.sqrt()
        );
    }
}

#[test]
fn identity_blocks_start_with_no_gradient_and_no_response() {
    // F(x) = 0·x̂: nothing in the branch reaches the loss until its last scale moves, so the
    // grown blocks' weights get exactly zero gradient, and their second response is exactly 0.
    let source = spec(Family::Mlp, 6, true);
    let mut trainer = Trainer::new(config(1), spirals(), &[source], &Device::flex()).unwrap();
    train(&mut trainer, 5);
    let grown = trainer.grow("residual-6", 10).unwrap();
    let records = train(&mut trainer, 1);
    let layers = record(&records, &grown, 6).layers.as_ref().unwrap();
    assert_eq!(layers.gradient_norms.len(), 4);
    assert!(layers.gradient_norms[..2].iter().all(|&g| g > 0.0));
    assert_eq!(&layers.gradient_norms[2..], &[0.0, 0.0]);
    assert_eq!((layers.responses[5], layers.responses[7]), (0.0, 0.0));
}

#[test]
fn responses_record_nothing_when_off() {
    let device = Device::flex();
    let net = NetConfig::new(Family::Mlp, 6, true, &[2])
        .init(1, &device)
        .unwrap();
    let mut off = Responses::off();
    let mut on = Responses::on();
    net.forward_traced(inputs(4, 2, &device), &mut off);
    net.forward_traced(inputs(4, 2, &device), &mut on);
    assert!(off.into_vec().is_empty());
    assert_eq!(on.into_vec().len(), 4);
}

#[test]
fn shortcuts_switch_off_and_on_keeping_the_weights() {
    let specs = [spec(Family::Mlp, 6, false), spec(Family::Mlp, 10, true)];
    let device = Device::flex();
    let mut toggled = Trainer::new(config(0), spirals(), &specs, &device).unwrap();
    let mut steady = Trainer::new(config(0), spirals(), &specs, &device).unwrap();
    let (a, b) = (train(&mut toggled, 10), train(&mut steady, 10));
    assert_eq!(numbers(&a), numbers(&b));

    toggled.set_shortcuts(false);
    let info = toggled.runs();
    assert!(!info[1].shortcuts_on && info[1].events[0].what == "shortcuts off");
    assert!(
        info[0].events.is_empty(),
        "a plain run has no shortcuts to switch"
    );
    let (a, b) = (train(&mut toggled, 1), train(&mut steady, 1));
    assert_eq!(numbers(&a)[0], numbers(&b)[0], "the plain run is untouched");
    assert_ne!(
        a[1].train_loss, b[1].train_loss,
        "residual-10 without its shortcuts"
    );

    // Off and straight back on, between two steps, changes nothing: the weights were kept.
    let mut twice = Trainer::new(config(0), spirals(), &specs, &device).unwrap();
    train(&mut twice, 10);
    twice.set_shortcuts(false);
    twice.set_shortcuts(true);
    let again = train(&mut twice, 1);
    assert_eq!(
        numbers(&again),
        numbers(&b),
        "on again, the net is the net it was"
    );
    assert!(twice.runs()[1].shortcuts_on);
    assert_eq!(twice.runs()[1].events.len(), 2);
}

#[test]
fn boundaries_give_a_probability_per_class_over_the_plane() {
    let specs = [spec(Family::Mlp, 6, true)];
    let mut trainer = Trainer::new(config(0), spirals(), &specs, &Device::flex()).unwrap();
    train(&mut trainer, 150);
    let boundaries = block_on(trainer.boundaries(12)).unwrap();
    let b = &boundaries[0];
    assert_eq!(
        (b.run.as_str(), b.step, b.size, b.classes),
        ("residual-6", 150, 12, 3)
    );
    assert_eq!(b.probabilities.len(), 12 * 12 * 3);
    for cell in b.probabilities.chunks(3) {
        assert!((cell.iter().sum::<f32>() - 1.0).abs() < 1e-4, "{cell:?}");
    }
    // A trained net splits the plane: every class wins somewhere.
    let winners: std::collections::HashSet<usize> = b
        .probabilities
        .chunks(3)
        .map(|c| (0..3).max_by(|&i, &j| c[i].total_cmp(&c[j])).unwrap())
        .collect();
    assert_eq!(winners.len(), 3);
}

#[test]
fn boundaries_need_two_dimensional_data() {
    let mut reshaped = spirals();
    reshaped.train.item_shape = vec![1, 1, 2];
    reshaped.test.item_shape = vec![1, 1, 2];
    let trainer = Trainer::new(
        config(0),
        reshaped,
        &[spec(Family::Mlp, 4, true)],
        &Device::flex(),
    )
    .unwrap();
    assert!(matches!(
        block_on(trainer.boundaries(4)),
        Err(TrainError::NotTwoDimensional)
    ));
}

#[test]
fn measuring_the_layers_does_not_change_training() {
    let specs = [spec(Family::Mlp, 6, false), spec(Family::Mlp, 10, true)];
    let device = Device::flex();
    let mut measured = Trainer::new(config(1), spirals(), &specs, &device).unwrap();
    let mut plain = Trainer::new(config(0), spirals(), &specs, &device).unwrap();
    let (a, b) = (train(&mut measured, 8), train(&mut plain, 8));
    assert!(a.iter().all(|r| r.layers.is_some()) && b.iter().all(|r| r.layers.is_none()));
    assert_eq!(numbers(&a), numbers(&b));
}
