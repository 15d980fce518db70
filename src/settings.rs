//! The page's one state object: every setting, its default, and its URL form.
//!
//! Parsing never fails: a bad value is clamped or replaced by its default, and a warning in
//! plain words says so, for the page to show.

use serde::{Deserialize, Serialize};

use crate::model::Family;
use crate::train::{OptimizerKind, RunSpec, TrainConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetKind {
    Mnist,
    Spiral,
    /// The user's own CIFAR-10 batch files (see [`crate::data::cifar`]).
    Cifar10,
}

/// Which kinds of block train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shortcuts {
    Plain,
    Residual,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendChoice {
    /// WebGPU on a hardware adapter; the CPU backend when the only adapter is a software one.
    Auto,
    Webgpu,
    Cpu,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub dataset: DatasetKind,
    pub arch: Family,
    /// The shallow and the deep depth, shallow first.
    pub depths: [usize; 2],
    pub shortcuts: Shortcuts,
    pub lr: f64,
    pub batch: usize,
    pub optimizer: OptimizerKind,
    pub seed: u64,
    pub backend: BackendChoice,
    /// Stop after this many steps per run; 0 trains until paused.
    pub steps: usize,
    pub autostart: bool,
    /// Steps at which the learning rate is divided by 10 (the paper: 32k and 48k).
    pub drops: Vec<usize>,
    /// Pad, crop and flip training images (the paper's CIFAR-10 augmentation).
    pub augment: bool,
}

/// URL parameters about how the page looks, not what it trains (`embed`, `theme`, …): the page
/// reads and checks them itself (`www/js/page-params.js`), so training settings leave them be.
pub const PAGE_KEYS: [&str; 4] = ["embed", "hide", "controls", "theme"];

pub const BATCH_RANGE: (usize, usize) = (8, 512);
pub const LR_RANGE: (f64, f64) = (1e-5, 1.0);
pub const STEPS_MAX: usize = 1_000_000;
pub const SEED_MAX: u64 = u32::MAX as u64;
/// Learning-rate drops a schedule may have.
pub const DROPS_MAX: usize = 8;

impl Default for Settings {
    fn default() -> Self {
        Self {
            dataset: DatasetKind::Mnist,
            arch: Family::Mlp,
            depths: default_depths(Family::Mlp),
            shortcuts: Shortcuts::Both,
            lr: default_lr(OptimizerKind::Sgd),
            batch: 128,
            optimizer: OptimizerKind::Sgd,
            seed: 1,
            backend: BackendChoice::Auto,
            steps: 0,
            autostart: false,
            drops: Vec::new(),
            augment: false,
        }
    }
}

pub fn default_depths(arch: Family) -> [usize; 2] {
    match arch {
        Family::Cnn => [8, 20],
        Family::Mlp => [6, 30],
    }
}

pub fn default_lr(optimizer: OptimizerKind) -> f64 {
    match optimizer {
        // Measured with the `experiment` CLI (README, "What is measured").
        OptimizerKind::Sgd => 0.02,
        OptimizerKind::Adam => 0.001,
    }
}

/// The depths a slider offers: every depth the family has, up to a size a browser can train.
pub fn depth_choices(arch: Family) -> Vec<usize> {
    let max_blocks = match arch {
        Family::Cnn => 18, // ResNet-110, the paper's deepest CIFAR-10 net of Fig. 6
        Family::Mlp => 49, // depth 100
    };
    (1..=max_blocks).map(|n| arch.depth_for_blocks(n)).collect()
}

/// Settings read from a URL query, with what had to be changed to read them.
#[derive(Debug, Clone, Serialize)]
pub struct Parsed {
    pub settings: Settings,
    pub warnings: Vec<String>,
    /// The canonical query string for these settings.
    pub query: String,
    /// Depths the sliders offer for the chosen family.
    pub depth_choices: Vec<usize>,
}

impl Settings {
    /// Read a query string such as `?arch=cnn&depths=8,20` (the leading `?` is optional).
    pub fn parse(query: &str) -> Parsed {
        let mut settings = Settings::default();
        let mut warnings = Vec::new();
        let pairs: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key), decode(value))
            })
            .collect();
        let get = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);

        // Choices first: the defaults of later values (depths, learning rate) depend on them.
        if let Some(v) = get("dataset") {
            settings.dataset = choice(v, "dataset", settings.dataset, &mut warnings);
        }
        if let Some(v) = get("arch") {
            settings.arch = choice(v, "arch", settings.arch, &mut warnings);
        }
        if let Some(v) = get("optimizer") {
            settings.optimizer = choice(v, "optimizer", settings.optimizer, &mut warnings);
        }
        if let Some(v) = get("shortcuts") {
            settings.shortcuts = choice(v, "shortcuts", settings.shortcuts, &mut warnings);
        }
        if let Some(v) = get("backend") {
            settings.backend = choice(v, "backend", settings.backend, &mut warnings);
        }
        settings.depths = default_depths(settings.arch);
        settings.lr = default_lr(settings.optimizer);
        if let Some(v) = get("depths") {
            settings.depths = parse_depths(v, settings.arch, &mut warnings);
        }
        if let Some(v) = get("lr") {
            settings.lr = number(v, "lr", settings.lr, LR_RANGE, &mut warnings);
        }
        if let Some(v) = get("batch") {
            let range = (BATCH_RANGE.0 as f64, BATCH_RANGE.1 as f64);
            settings.batch =
                number(v, "batch", settings.batch as f64, range, &mut warnings).round() as usize;
        }
        if let Some(v) = get("seed") {
            settings.seed = number(
                v,
                "seed",
                settings.seed as f64,
                (0.0, SEED_MAX as f64),
                &mut warnings,
            )
            .round() as u64;
        }
        if let Some(v) = get("steps") {
            settings.steps =
                number(v, "steps", 0.0, (0.0, STEPS_MAX as f64), &mut warnings).round() as usize;
        }
        if let Some(v) = get("autostart") {
            settings.autostart = flag(v, "autostart", &mut warnings);
        }
        if let Some(v) = get("augment") {
            settings.augment = flag(v, "augment", &mut warnings);
        }
        if let Some(v) = get("drops") {
            settings.drops = parse_drops(v, &mut warnings);
        }
        const KNOWN: [&str; 13] = [
            "dataset",
            "arch",
            "depths",
            "shortcuts",
            "lr",
            "batch",
            "optimizer",
            "seed",
            "backend",
            "steps",
            "autostart",
            "drops",
            "augment",
        ];
        for (key, _) in &pairs {
            if !KNOWN.contains(&key.as_str()) && !PAGE_KEYS.contains(&key.as_str()) {
                warnings.push(format!("unknown parameter “{}” ignored", shown(key)));
            }
        }
        settings.into_parsed(warnings)
    }

    /// Check settings that came from anywhere (the page's controls, a saved file).
    pub fn validated(self) -> Parsed {
        Settings::parse(&self.to_query())
    }

    fn into_parsed(self, warnings: Vec<String>) -> Parsed {
        Parsed {
            query: self.to_query(),
            depth_choices: depth_choices(self.arch),
            settings: self,
            warnings,
        }
    }

    /// The canonical query; `drops` and `augment` only where set, so that the everyday
    /// settings keep their short URL.
    pub fn to_query(&self) -> String {
        let mut query = format!(
            "dataset={}&arch={}&depths={},{}&shortcuts={}&lr={}&batch={}&optimizer={}&seed={}\
             &backend={}&steps={}&autostart={}",
            name(&self.dataset),
            self.arch.name(),
            self.depths[0],
            self.depths[1],
            name(&self.shortcuts),
            self.lr,
            self.batch,
            name(&self.optimizer),
            self.seed,
            name(&self.backend),
            self.steps,
            u8::from(self.autostart),
        );
        if !self.drops.is_empty() {
            let drops: Vec<String> = self.drops.iter().map(usize::to_string).collect();
            query.push_str(&format!("&drops={}", drops.join(",")));
        }
        if self.augment {
            query.push_str("&augment=1");
        }
        query
    }

    /// The runs these settings train, shallow before deep, plain before residual.
    pub fn run_specs(&self) -> Vec<RunSpec> {
        let kinds: &[bool] = match self.shortcuts {
            Shortcuts::Plain => &[false],
            Shortcuts::Residual => &[true],
            Shortcuts::Both => &[false, true],
        };
        kinds
            .iter()
            .flat_map(|&shortcuts| {
                self.depths.map(|depth| RunSpec {
                    family: self.arch,
                    depth,
                    shortcuts,
                })
            })
            .collect()
    }

    pub fn train_config(&self) -> TrainConfig {
        TrainConfig {
            optimizer: self.optimizer,
            learning_rate: self.lr,
            batch_size: self.batch,
            seed: self.seed,
            learning_rate_drops: self.drops.clone(),
            augment: self.augment,
            ..TrainConfig::default()
        }
    }
}

fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("settings enums serialise as strings")
}

fn choice<T: Serialize + for<'de> Deserialize<'de>>(
    value: &str,
    key: &str,
    default: T,
    warnings: &mut Vec<String>,
) -> T {
    match serde_json::from_value(serde_json::Value::String(value.to_lowercase())) {
        Ok(parsed) => parsed,
        Err(_) => {
            warnings.push(format!(
                "{key}={} is not a known choice; using {}",
                shown(value),
                name(&default)
            ));
            default
        }
    }
}

fn flag(value: &str, key: &str, warnings: &mut Vec<String>) -> bool {
    match value {
        "1" | "true" | "yes" | "" => true,
        "0" | "false" | "no" => false,
        _ => {
            warnings.push(format!("{key}={} is not 1 or 0; using 0", shown(value)));
            false
        }
    }
}

/// `32000,48000`: whole steps from 1 to [`STEPS_MAX`], at most [`DROPS_MAX`], in order;
/// anything else is left out with a warning.
fn parse_drops(value: &str, warnings: &mut Vec<String>) -> Vec<usize> {
    let mut drops = Vec::new();
    for part in value.split(',').filter(|p| !p.trim().is_empty()) {
        match part.trim().parse::<usize>() {
            Ok(step) if (1..=STEPS_MAX).contains(&step) => drops.push(step),
            _ => warnings.push(format!(
                "drops: {} is not a step from 1 to {STEPS_MAX}; left out",
                shown(part)
            )),
        }
    }
    drops.sort_unstable();
    drops.dedup();
    if drops.len() > DROPS_MAX {
        warnings.push(format!(
            "drops: more than {DROPS_MAX} learning-rate drops; keeping the first {DROPS_MAX}"
        ));
        drops.truncate(DROPS_MAX);
    }
    drops
}

fn number(
    value: &str,
    key: &str,
    default: f64,
    (min, max): (f64, f64),
    warnings: &mut Vec<String>,
) -> f64 {
    let shown = shown(value);
    // Too large for a float (`1e400`, or 10,000 nines) reads as infinity: clamped like `1e9`.
    match value.trim().parse::<f64>() {
        Ok(x) if x < min => {
            warnings.push(format!("{key}={shown} is below {min}; using {min}"));
            min
        }
        Ok(x) if x > max => {
            warnings.push(format!("{key}={shown} is above {max}; using {max}"));
            max
        }
        Ok(x) if x.is_finite() => x,
        _ => {
            warnings.push(format!("{key}={shown} is not a number; using {default}"));
            default
        }
    }
}

/// A value as a warning quotes it: at most 40 characters, without control or direction
/// characters (a right-to-left override would turn the whole warning around).
fn shown(value: &str) -> String {
    const DIRECTION: [std::ops::RangeInclusive<char>; 3] = [
        '\u{200E}'..='\u{200F}',
        '\u{202A}'..='\u{202E}',
        '\u{2066}'..='\u{2069}',
    ];
    let direction = |c: char| DIRECTION.iter().any(|range| range.contains(&c));
    let clean: String = value
        .chars()
        .filter(|&c| !c.is_control() && !direction(c))
        .collect();
    match clean.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
    }
}

fn parse_depths(value: &str, arch: Family, warnings: &mut Vec<String>) -> [usize; 2] {
    let choices = depth_choices(arch);
    let default = default_depths(arch);
    let numbers: Vec<f64> = value
        .split(',')
        .filter_map(|d| d.trim().parse::<f64>().ok())
        .filter(|d| d.is_finite())
        .collect();
    if numbers.len() != 2 || value.split(',').count() != 2 {
        warnings.push(format!(
            "depths={} is not two depths (e.g. depths={},{}); using those",
            shown(value),
            default[0],
            default[1]
        ));
        return default;
    }
    let mut depths = [0; 2];
    for (slot, &wanted) in depths.iter_mut().zip(&numbers) {
        let nearest = *choices
            .iter()
            .min_by(|a, b| {
                ((**a as f64) - wanted)
                    .abs()
                    .total_cmp(&((**b as f64) - wanted).abs())
            })
            .expect("every family has depths");
        if nearest as f64 != wanted {
            warnings.push(format!(
                "no {} net has depth {wanted}; using {nearest}",
                arch.name()
            ));
        }
        *slot = nearest;
    }
    depths.sort_unstable();
    if depths[0] == depths[1] {
        warnings.push(format!(
            "depths={} names one depth twice; using {},{}",
            shown(value),
            default[0],
            default[1]
        ));
        return default;
    }
    depths
}

/// Percent-decoding of one query component (`+` is a space).
fn decode(component: &str) -> String {
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
