//! CIFAR-10 from the user's own files, in the official binary format.
//!
//! Each of `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin` holds 10,000 records of
//! 3,073 bytes: a label (0–9), then a 32×32 image as 1,024 red, 1,024 green and 1,024 blue
//! bytes, row-major (<https://www.cs.toronto.edu/~kriz/cifar.html>). Any whole number of
//! records is accepted, so a few records make a test file.

use super::{Dataset, Split};

pub const SIDE: usize = 32;
pub const CHANNELS: usize = 3;
pub const PIXELS: usize = CHANNELS * SIDE * SIDE;
pub const RECORD: usize = 1 + PIXELS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CifarError {
    #[error("{name} is empty")]
    Empty { name: String },
    #[error(
        "{name} is not a CIFAR-10 batch file: {len} bytes is not a whole number of \
         {RECORD}-byte records"
    )]
    WrongSize { name: String, len: usize },
    #[error("{name} is not a CIFAR-10 batch file: record {record} has label {label}")]
    BadLabel {
        name: String,
        record: usize,
        label: u8,
    },
    #[error("no {0} file was given (data_batch_*.bin to train on, test_batch.bin to test on)")]
    Missing(&'static str),
}

/// One batch file, checked: its labels and its pixels.
pub struct RawBatch {
    pub labels: Vec<u8>,
    pub pixels: Vec<u8>,
}

pub fn parse_batch(name: &str, bytes: &[u8]) -> Result<RawBatch, CifarError> {
    if bytes.is_empty() {
        return Err(CifarError::Empty { name: name.into() });
    }
    if bytes.len() % RECORD != 0 {
        return Err(CifarError::WrongSize {
            name: name.into(),
            len: bytes.len(),
        });
    }
    let records = bytes.len() / RECORD;
    let mut labels = Vec::with_capacity(records);
    let mut pixels = Vec::with_capacity(records * PIXELS);
    for (record, chunk) in bytes.chunks_exact(RECORD).enumerate() {
        let label = chunk[0];
        if label > 9 {
            return Err(CifarError::BadLabel {
                name: name.into(),
                record,
                label,
            });
        }
        labels.push(label);
        pixels.extend_from_slice(&chunk[1..]);
    }
    Ok(RawBatch { labels, pixels })
}

/// Files named `test_batch*` are the test set; every other file is training data.
pub fn is_test_file(name: &str) -> bool {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .starts_with("test_batch")
}

/// Build the split from named files, normalising each channel by the training set's mean and
/// standard deviation (as common reproductions of the paper do).
pub fn load(files: &[(String, Vec<u8>)]) -> Result<Split, CifarError> {
    let (mut train, mut test) = (RawBatch::empty(), RawBatch::empty());
    for (name, bytes) in files {
        let batch = parse_batch(name, bytes)?;
        let target = if is_test_file(name) {
            &mut test
        } else {
            &mut train
        };
        target.labels.extend(batch.labels);
        target.pixels.extend(batch.pixels);
    }
    if train.labels.is_empty() {
        return Err(CifarError::Missing("training"));
    }
    if test.labels.is_empty() {
        return Err(CifarError::Missing("test"));
    }
    let stats = channel_stats(&train.pixels);
    Ok(Split {
        train: train.normalised(&stats),
        test: test.normalised(&stats),
    })
}

impl RawBatch {
    fn empty() -> Self {
        Self {
            labels: Vec::new(),
            pixels: Vec::new(),
        }
    }

    fn normalised(self, stats: &[(f32, f32); CHANNELS]) -> Dataset {
        let features = self
            .pixels
            .chunks_exact(SIDE * SIDE)
            .enumerate()
            .flat_map(|(plane, values)| {
                let (mean, std) = stats[plane % CHANNELS];
                values.iter().map(move |&p| (p as f32 / 255.0 - mean) / std)
            })
            .collect();
        Dataset {
            features,
            labels: self.labels,
            item_shape: vec![CHANNELS, SIDE, SIDE],
            num_classes: 10,
        }
    }
}

/// Mean and standard deviation of each channel, pixels scaled to [0, 1].
fn channel_stats(pixels: &[u8]) -> [(f32, f32); CHANNELS] {
    let mut sums = [(0f64, 0f64, 0usize); CHANNELS];
    for (plane, values) in pixels.chunks_exact(SIDE * SIDE).enumerate() {
        let sum = &mut sums[plane % CHANNELS];
        for &p in values {
            let x = p as f64 / 255.0;
            sum.0 += x;
            sum.1 += x * x;
            sum.2 += 1;
        }
    }
    sums.map(|(total, squares, n)| {
        let mean = total / n as f64;
        let std = (squares / n as f64 - mean * mean).max(0.0).sqrt();
        (mean as f32, std.max(1e-3) as f32)
    })
}
