//! `experiment`: the page's training engine and models, natively and at full scale.
//!
//! ```text
//! cargo run --release --bin experiment -- --preset paper-cifar10 --data ~/cifar-10-batches-bin
//! cargo run --bin experiment -- --preset quick-spiral --seeds 1,2,3 --out runs.csv
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use burn::prelude::*;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use resnet_playground::data::{Split, cifar, mnist, spiral};
use resnet_playground::export::{self, Ordering, RunsFile};
use resnet_playground::model::NetConfig;
use resnet_playground::presets::{self, Preset};
use resnet_playground::settings::{DatasetKind, Settings};
use resnet_playground::train::{Record, RunInfo, Trainer};

#[derive(Parser, Debug)]
#[command(about = "Train plain and residual nets side by side, as the page does, natively.")]
struct Args {
    /// browser-default, mnist-cnn, quick-spiral or paper-cifar10
    #[arg(long, default_value = "browser-default")]
    preset: String,
    /// Shallow and deep depth, e.g. 20,56 (default: the preset's)
    #[arg(long)]
    depths: Option<String>,
    /// plain, residual or both (default: the preset's)
    #[arg(long)]
    shortcuts: Option<String>,
    /// Seeds to repeat every run with, e.g. 1,2,3
    #[arg(long, default_value = "1", value_delimiter = ',')]
    seeds: Vec<u64>,
    /// Steps per run (default: the preset's)
    #[arg(long)]
    steps: Option<usize>,
    /// cpu or wgpu (a GPU through Vulkan, Metal or DX12)
    #[arg(long, default_value = "cpu")]
    backend: String,
    /// CIFAR-10 folder with data_batch_*.bin and test_batch.bin, or an MNIST asset file
    #[arg(long)]
    data: Option<PathBuf>,
    /// Write every record to this file: .json or .csv (the page's Download format)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the runs and their parameter counts, then exit without training
    #[arg(long)]
    dry_run: bool,
}

fn main() {
    if let Err(message) = run(Args::parse()) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), String> {
    let preset = configure(&args)?;
    let settings = &preset.settings;
    let specs = settings.run_specs();
    let (item_shape, classes) = match settings.dataset {
        DatasetKind::Mnist => (vec![1, 28, 28], 10),
        DatasetKind::Spiral => (vec![2], spiral::CLASSES),
        DatasetKind::Cifar10 => (vec![3, 32, 32], 10),
    };
    println!("preset {} — {}", preset.name, settings.to_query());
    for spec in &specs {
        let net = NetConfig::new(spec.family, spec.depth, spec.shortcuts, &item_shape)
            .with_num_classes(classes)
            .init(0, &Device::flex())
            .map_err(|e| e.to_string())?;
        println!(
            "  {:<14} {} depth {:>3}  {:>9} parameters",
            spec.id(),
            spec.family.name(),
            spec.depth,
            net.parameters()
        );
    }
    if args.dry_run {
        return Ok(());
    }

    let device = device(&args.backend)?;
    let data = load(settings, args.data.as_deref())?;
    let mut file = RunsFile::new(settings.clone());
    let mut finals = Vec::new();
    for &seed in &args.seeds {
        let mut preset = preset.clone();
        preset.settings.seed = seed;
        let (records, runs) = train(&preset, data.clone(), &device)?;
        let suffix = if args.seeds.len() > 1 {
            format!("-seed{seed}")
        } else {
            String::new()
        };
        for info in runs {
            let run: Vec<&Record> = records.iter().filter(|r| r.run == info.id).collect();
            let seconds = run.iter().map(|r| r.ms).sum::<f64>() / 1000.0;
            if let Some(last) = run.last() {
                finals.push(Final {
                    seed,
                    parameters: info.parameters,
                    seconds,
                    record: (*last).clone(),
                });
            }
        }
        file.records.extend(records.into_iter().map(|mut record| {
            record.run.push_str(&suffix);
            record
        }));
    }
    print_summary(&finals);
    if let Some(path) = &args.out {
        export::write(path, &file)?;
        println!("wrote {} records to {}", file.records.len(), path.display());
    }
    Ok(())
}

/// A run's last record, for the summary table.
struct Final {
    seed: u64,
    parameters: usize,
    seconds: f64,
    record: Record,
}

/// The preset, with the command line's changes checked by the page's own rules.
fn configure(args: &Args) -> Result<Preset, String> {
    let names: Vec<_> = presets::all().iter().map(|p| p.name).collect();
    let mut preset = presets::find(&args.preset)
        .ok_or_else(|| format!("no preset {}; try {}", args.preset, names.join(", ")))?;
    let mut query = preset.settings.to_query();
    for (key, value) in [("depths", &args.depths), ("shortcuts", &args.shortcuts)] {
        if let Some(value) = value {
            query.push_str(&format!("&{key}={value}"));
        }
    }
    if let Some(steps) = args.steps {
        query.push_str(&format!("&steps={steps}"));
    }
    let parsed = Settings::parse(&query);
    if !parsed.warnings.is_empty() {
        return Err(parsed.warnings.join("; "));
    }
    if parsed.settings.steps == 0 {
        return Err("--steps must be at least 1".into());
    }
    preset.settings = parsed.settings;
    Ok(preset)
}

fn device(backend: &str) -> Result<Device, String> {
    match backend {
        "cpu" => Ok(Device::flex()),
        "wgpu" => Device::wgpu_options()
            .init()
            .map_err(|e| format!("no wgpu device: {e}")),
        other => Err(format!("--backend {other}: use cpu or wgpu")),
    }
}

fn load(settings: &Settings, data: Option<&Path>) -> Result<Split, String> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()));
    match settings.dataset {
        DatasetKind::Spiral => Ok(spiral::generate(settings.seed, 3000, 1000)),
        DatasetKind::Mnist => {
            let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/data/mnist.bin");
            let bytes = read(data.unwrap_or(&default))?;
            mnist::parse(&bytes).map_err(|e| e.to_string())
        }
        DatasetKind::Cifar10 => {
            let dir = data.ok_or("CIFAR-10 needs --data DIR (the cifar-10-batches-bin folder)")?;
            let mut files = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
                let path = entry.map_err(|e| e.to_string())?.path();
                let name = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                if name.ends_with(".bin")
                    && (name.starts_with("data_batch") || cifar::is_test_file(&name))
                {
                    files.push((name, read(&path)?));
                }
            }
            files.sort();
            cifar::load(&files).map_err(|e| e.to_string())
        }
    }
}

fn train(
    preset: &Preset,
    data: Split,
    device: &Device,
) -> Result<(Vec<Record>, Vec<RunInfo>), String> {
    let settings = &preset.settings;
    let mut trainer = Trainer::new(settings.train_config(), data, &settings.run_specs(), device)
        .map_err(|e| e.to_string())?;
    let bar = ProgressBar::new(settings.steps as u64).with_style(
        ProgressStyle::with_template("seed {msg} [{bar:40}] {pos}/{len} steps, {eta} left")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(settings.seed.to_string());
    let mut records = Vec::new();
    let limit = Some(settings.steps);
    while !trainer.is_done(limit) {
        let step = pollster::block_on(trainer.step(limit)).map_err(|e| e.to_string())?;
        bar.set_position(step.iter().map(|r| r.step).max().unwrap_or(0) as u64);
        records.extend(step);
    }
    bar.finish_and_clear();
    Ok((records, trainer.runs()))
}

fn print_summary(finals: &[Final]) {
    println!(
        "\n{:<14} {:>5} {:>5} {:>10} {:>12} {:>11} {:>8}  ",
        "run", "depth", "seed", "parameters", "train err %", "test err %", "time s"
    );
    for f in finals {
        let r = &f.record;
        let diverged = if r.diverged { "diverged" } else { "" };
        println!(
            "{:<14} {:>5} {:>5} {:>10} {:>12} {:>11} {:>8.1}  {diverged}",
            r.run,
            r.depth,
            f.seed,
            f.parameters,
            percent(r.train_error),
            percent(r.test_error),
            f.seconds
        );
    }
    let seeds: BTreeSet<u64> = finals.iter().map(|f| f.seed).collect();
    let orderings: Vec<Ordering> = seeds
        .into_iter()
        .filter_map(|seed| {
            Ordering::of(finals.iter().filter(|f| f.seed == seed).map(|f| &f.record))
        })
        .collect();
    println!("\n{}", Ordering::verdict(&orderings));
}

fn percent(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{:.2}", 100.0 * v))
}
