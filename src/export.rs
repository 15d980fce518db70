//! Runs files: what the page's Download and the `experiment` CLI write, and the page can load
//! back as reference curves. One schema, as CSV or JSON.

use serde::Serialize;

use crate::settings::Settings;
use crate::train::Record;

/// The CSV header; errors are fractions in [0, 1], empty where not measured.
pub const CSV_HEADER: &str = "run,shortcuts,depth,step,train_loss,train_error,test_error,ms";

#[derive(Debug, Clone, Serialize)]
pub struct RunsFile {
    pub settings: Settings,
    pub records: Vec<Record>,
}

impl RunsFile {
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            records: Vec::new(),
        }
    }

    pub fn to_csv(&self) -> String {
        let optional = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        let mut csv = format!("{CSV_HEADER}\n");
        for r in &self.records {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                r.run,
                r.shortcuts,
                r.depth,
                r.step,
                r.train_loss,
                optional(r.train_error),
                optional(r.test_error),
                r.ms
            ));
        }
        csv
    }
}

/// Write `file` as JSON or CSV, by the path's extension.
pub fn write(path: &std::path::Path, file: &RunsFile) -> Result<(), String> {
    let text = match path.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::to_string(file).map_err(|e| e.to_string())?,
        Some("csv") => file.to_csv(),
        _ => {
            return Err(format!(
                "{}: the output must end in .json or .csv",
                path.display()
            ));
        }
    };
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// How far above the shallow residual net the deep one may end and still count as "at" it:
/// half a percentage point, about the noise of the running training error (its window holds
/// 50 batches, a few thousand examples, so one example is 0.02–0.03 points).
pub const AT_TOLERANCE: f64 = 0.005;

/// The degradation ordering at the end of one seed's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ordering {
    /// The deep plain net ends with a higher training error than the shallow plain net.
    pub plain_degrades: bool,
    /// The deep residual net ends at or below the shallow residual net (within
    /// [`AT_TOLERANCE`]).
    pub residual_improves: bool,
}

impl Ordering {
    /// From the last record of each of the four runs (shallow and deep, plain and residual);
    /// `None` if any is missing or diverged.
    pub fn of<'a>(finals: impl Iterator<Item = &'a Record>) -> Option<Ordering> {
        let finals: Vec<&Record> = finals.collect();
        let error = |shortcuts: &str, deep: bool| {
            let mut runs: Vec<&&Record> = finals
                .iter()
                .filter(|r| r.shortcuts == shortcuts && !r.diverged)
                .collect();
            runs.sort_by_key(|r| r.depth);
            let run = if deep { runs.last() } else { runs.first() };
            run.filter(|_| runs.len() == 2).and_then(|r| r.train_error)
        };
        Some(Ordering {
            plain_degrades: error("plain", true)? > error("plain", false)?,
            residual_improves: error("residual", true)? <= error("residual", false)? + AT_TOLERANCE,
        })
    }

    /// One line: how many seeds show each half of the effect.
    pub fn verdict(orderings: &[Ordering]) -> String {
        if orderings.is_empty() {
            return "verdict: needs a shallow and a deep run of both kinds to judge".into();
        }
        let n = orderings.len();
        let plain = orderings.iter().filter(|o| o.plain_degrades).count();
        let residual = orderings.iter().filter(|o| o.residual_improves).count();
        let shown = if plain == n && residual == n {
            "shown"
        } else {
            "not shown"
        };
        format!(
            "verdict: degradation {shown} — deep plain above shallow plain in {plain} of {n} \
             seeds; deep residual at or below shallow residual in {residual} of {n}"
        )
    }
}
