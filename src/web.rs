//! The browser side: what `www/worker.js` calls. All browser-only code lives here.
//!
//! The worker owns one [`Session`] at a time and calls [`Session::step`] in a loop, posting the
//! records to the page. Errors cross into JavaScript as `Error`s with plain-words messages.

use std::cell::RefCell;
use std::rc::Rc;

use burn::prelude::*;
use wasm_bindgen::prelude::*;

use crate::data::{Split, cifar, mnist, spiral};
use crate::presets;
use crate::settings::{DatasetKind, Settings};
use crate::train::{TrainConfig, Trainer, check};

/// The page's layer diagnostics: per-layer gradient norms and responses every this many steps.
const DIAGNOSE_EVERY: usize = 10;

thread_local! {
    /// The device every session trains on. A wgpu runtime is set up once per worker.
    static DEVICE: RefCell<Option<Device>> = const { RefCell::new(None) };
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    let _ = console_log::init_with_level(log::Level::Info);
}

/// Read a URL query; never fails (see [`Settings::parse`]).
#[wasm_bindgen(js_name = parseSettings)]
pub fn parse_settings(query: &str) -> Result<JsValue, JsError> {
    to_js(&Settings::parse(query))
}

/// Check settings from the page's controls: the same rules as the URL.
#[wasm_bindgen(js_name = validateSettings)]
pub fn validate_settings(settings: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = serde_wasm_bindgen::from_value(settings)
        .map_err(|e| JsError::new(&format!("settings not understood: {e}")))?;
    to_js(&settings.validated())
}

/// The named presets, as `[{name, label, query}]`: the page applies one by parsing its query.
#[wasm_bindgen(js_name = presetList)]
pub fn preset_list() -> Result<JsValue, JsError> {
    #[derive(serde::Serialize)]
    struct Item {
        name: &'static str,
        label: &'static str,
        query: String,
    }
    let items: Vec<Item> = presets::all()
        .into_iter()
        .map(|p| Item {
            name: p.name,
            label: p.label,
            query: p.settings.to_query(),
        })
        .collect();
    to_js(&items)
}

/// Set up the backend: `"webgpu"` or `"cpu"`. WebGPU is checked against the CPU backend on a
/// small known answer first; a mismatch is an error, so the worker can fall back.
#[wasm_bindgen(js_name = initBackend)]
pub async fn init_backend(backend: String) -> Result<(), JsError> {
    let device = match backend.as_str() {
        "webgpu" => {
            let device = Device::wgpu_options()
                .init_async()
                .await
                .map_err(|e| JsError::new(&format!("WebGPU could not start: {e}")))?;
            log::info!("WebGPU device ready; checking it against the CPU backend");
            check::backend_agrees(&device, &Device::flex())
                .await
                .map_err(|e| JsError::new(&format!("WebGPU computes wrong results: {e}")))?;
            device
        }
        "cpu" => Device::flex(),
        other => return Err(JsError::new(&format!("unknown backend {other}"))),
    };
    log::info!("{backend} backend ready");
    DEVICE.with(|d| *d.borrow_mut() = Some(device));
    Ok(())
}

/// The runs of one set of settings, training in lockstep.
#[wasm_bindgen]
pub struct Session {
    trainer: Rc<RefCell<Trainer>>,
    settings: Settings,
}

#[wasm_bindgen]
impl Session {
    /// `mnist` holds the bytes of `data/mnist.bin` when the settings ask for MNIST; `cifar`
    /// the user's CIFAR-10 batch files, as an array of `{name, bytes: Uint8Array}`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        settings: JsValue,
        mnist: Option<Vec<u8>>,
        cifar: JsValue,
    ) -> Result<Session, JsError> {
        let settings: Settings = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| JsError::new(&format!("settings not understood: {e}")))?;
        let settings = settings.validated().settings;
        let device = DEVICE
            .with(|d| d.borrow().clone())
            .ok_or_else(|| JsError::new("initBackend must finish before a session starts"))?;
        let data: Split = match settings.dataset {
            DatasetKind::Mnist => {
                let bytes = mnist.ok_or_else(|| JsError::new("the MNIST file was not loaded"))?;
                mnist::parse(&bytes).map_err(|e| JsError::new(&e.to_string()))?
            }
            DatasetKind::Spiral => spiral::generate(settings.seed, 3000, 1000),
            DatasetKind::Cifar10 => {
                cifar::load(&named_files(cifar)?).map_err(|e| JsError::new(&e.to_string()))?
            }
        };
        let config = TrainConfig {
            diagnose_every: DIAGNOSE_EVERY,
            ..settings.train_config()
        };
        let trainer = Trainer::new(config, data, &settings.run_specs(), &device)
            .map_err(|e| JsError::new(&e.to_string()))?;
        log::info!("session started: {}", settings.to_query());
        Ok(Session {
            trainer: Rc::new(RefCell::new(trainer)),
            settings,
        })
    }

    /// The runs, as `{id, shortcuts, depth, family, parameters, generation}` objects.
    pub fn runs(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.borrow().runs())
    }

    /// Change depths or shortcuts while training: unchanged runs keep going, others restart.
    /// Returns `false` when other settings changed too; then the caller starts a new session.
    #[wasm_bindgen(js_name = applyLive)]
    pub fn apply_live(&mut self, settings: JsValue) -> Result<bool, JsError> {
        let next: Settings = serde_wasm_bindgen::from_value(settings)
            .map_err(|e| JsError::new(&format!("settings not understood: {e}")))?;
        let next = next.validated().settings;
        let live = Settings {
            depths: next.depths,
            shortcuts: next.shortcuts,
            steps: next.steps,
            autostart: next.autostart,
            backend: next.backend,
            ..self.settings.clone()
        };
        if live != next {
            return Ok(false);
        }
        self.trainer
            .borrow_mut()
            .set_runs(&next.run_specs())
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.settings = next;
        Ok(true)
    }

    /// Whether every run reached the step limit or diverged.
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.trainer.borrow().is_done(self.step_limit())
    }

    /// One lockstep step of every run; resolves to an array of records.
    pub fn step(&self) -> js_sys::Promise {
        let trainer = self.trainer.clone();
        let limit = self.step_limit();
        wasm_bindgen_futures::future_to_promise(async move {
            // The worker awaits each step before the next, so this borrow is never contended.
            let mut trainer = trainer.borrow_mut();
            let records = trainer
                .step(limit)
                .await
                .map_err(|e| JsError::new(&e.to_string()))?;
            Ok(to_js(&records)?)
        })
    }

    /// Grow the run `source` to `depth` layers with identity blocks, as a new run beside the
    /// others (see [`Trainer::grow`]); returns its id.
    pub fn grow(&self, source: &str, depth: usize) -> Result<String, JsError> {
        if self.is_done() {
            return Err(JsError::new(
                "the runs have finished: raise the step limit, or Start again and grow while \
                 they train",
            ));
        }
        self.trainer
            .borrow_mut()
            .grow(source, depth)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Switch the residual runs' shortcuts off or on, keeping their weights.
    #[wasm_bindgen(js_name = setShortcuts)]
    pub fn set_shortcuts(&self, on: bool) {
        self.trainer.borrow_mut().set_shortcuts(on);
    }

    /// Whether the data are 2-D points, whose decision boundaries can be drawn.
    #[wasm_bindgen(js_name = hasPlane)]
    pub fn has_plane(&self) -> bool {
        self.settings.dataset == DatasetKind::Spiral
    }

    /// Up to `count` held-out points of 2-D data, as `{points: [x0, y0, x1, y1, …], labels}`,
    /// to draw over the decision boundaries.
    #[wasm_bindgen(js_name = planePoints)]
    pub fn plane_points(&self, count: usize) -> Result<JsValue, JsError> {
        #[derive(serde::Serialize)]
        struct Points<'a> {
            points: &'a [f32],
            labels: &'a [u8],
        }
        let trainer = self.trainer.borrow();
        let test = &trainer.data().test;
        let count = count.min(test.len());
        to_js(&Points {
            points: &test.features[..2 * count],
            labels: &test.labels[..count],
        })
    }

    /// Each run's class probabilities on a `size × size` grid (2-D data only); resolves to an
    /// array of `{run, step, size, extent, classes, probabilities: Float32Array}`.
    pub fn boundaries(&self, size: usize) -> js_sys::Promise {
        let trainer = self.trainer.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let trainer = trainer.borrow();
            let boundaries = trainer
                .boundaries(size)
                .await
                .map_err(|e| JsError::new(&e.to_string()))?;
            let list = js_sys::Array::new();
            for boundary in &boundaries {
                // The grid as one typed array, copied once: serde_wasm_bindgen made a JS number
                // of each value, which took 8–28 s for four 48×48 grids (measured; now 0.2 s).
                let item = to_js(&serde_json::json!({
                    "run": boundary.run, "step": boundary.step, "size": boundary.size,
                    "extent": boundary.extent, "classes": boundary.classes,
                }))?;
                let probabilities = js_sys::Float32Array::from(&boundary.probabilities[..]);
                js_sys::Reflect::set(&item, &"probabilities".into(), &probabilities)
                    .map_err(|_| JsError::new("could not build a boundary object"))?;
                list.push(&item);
            }
            Ok(list.into())
        })
    }

    fn step_limit(&self) -> Option<usize> {
        (self.settings.steps > 0).then_some(self.settings.steps)
    }
}

/// `[{name, bytes}]` from JavaScript.
fn named_files(files: JsValue) -> Result<Vec<(String, Vec<u8>)>, JsError> {
    if files.is_undefined() || files.is_null() {
        return Err(JsError::new(
            "CIFAR-10 needs your batch files: choose or drop them first",
        ));
    }
    let field = |file: &JsValue, key: &str| js_sys::Reflect::get(file, &JsValue::from_str(key));
    js_sys::Array::from(&files)
        .iter()
        .map(|file| {
            let name = field(&file, "name").ok().and_then(|n| n.as_string());
            let bytes = field(&file, "bytes")
                .ok()
                .filter(|b| b.is_instance_of::<js_sys::Uint8Array>());
            match (name, bytes) {
                (Some(name), Some(bytes)) => Ok((name, js_sys::Uint8Array::from(bytes).to_vec())),
                _ => Err(JsError::new(
                    "a CIFAR-10 file is not a {name, bytes} object",
                )),
            }
        })
        .collect()
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
