//! CIFAR-10 from the user's files, tested on small files made here in the official format.

use resnet_playground::data::cifar::{self, CifarError, RECORD};

/// `records` records: label `i % 10`, every pixel of channel c equal to `base + c`.
fn batch_file(records: usize, base: u8) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(records * RECORD);
    for i in 0..records {
        bytes.push((i % 10) as u8);
        for channel in 0..3u8 {
            bytes.extend(std::iter::repeat_n(base + 40 * channel + i as u8, 1024));
        }
    }
    bytes
}

#[test]
fn batch_files_load_into_a_normalised_split() {
    let files = vec![
        ("data_batch_1.bin".to_string(), batch_file(20, 10)),
        ("data_batch_2.bin".to_string(), batch_file(10, 30)),
        (
            "cifar-10-batches-bin/test_batch.bin".to_string(),
            batch_file(5, 20),
        ),
    ];
    let split = cifar::load(&files).expect("valid files");
    assert_eq!((split.train.len(), split.test.len()), (30, 5));
    assert_eq!(split.train.item_shape, vec![3, 32, 32]);
    assert_eq!(&split.test.labels, &[0, 1, 2, 3, 4]);
    // Every channel of the training set has mean 0 and standard deviation 1.
    for channel in 0..3 {
        let values: Vec<f64> = (0..30)
            .flat_map(|i| {
                let start = i * 3072 + channel * 1024;
                split.train.features[start..start + 1024]
                    .iter()
                    .map(|&v| v as f64)
            })
            .collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
        assert!(
            mean.abs() < 1e-4 && (var - 1.0).abs() < 1e-3,
            "channel {channel}: {mean} {var}"
        );
    }
}

#[test]
fn wrong_files_give_clear_errors() {
    let good = batch_file(3, 0);
    let load = |name: &str, bytes: Vec<u8>| {
        cifar::load(&[
            (name.to_string(), bytes),
            ("test_batch.bin".into(), batch_file(1, 0)),
        ])
    };
    let err = load("data_batch_1.bin", good[..good.len() - 7].to_vec()).unwrap_err();
    assert!(matches!(err, CifarError::WrongSize { .. }));
    assert!(
        err.to_string().contains("not a CIFAR-10 batch file"),
        "{err}"
    );

    let mut bad_label = good.clone();
    bad_label[RECORD] = 10;
    assert_eq!(
        load("data_batch_1.bin", bad_label).unwrap_err(),
        CifarError::BadLabel {
            name: "data_batch_1.bin".into(),
            record: 1,
            label: 10
        }
    );
    assert!(matches!(
        load("data_batch_1.bin", vec![]).unwrap_err(),
        CifarError::Empty { .. }
    ));
    let only_test = cifar::load(&[("test_batch.bin".into(), good)]).unwrap_err();
    assert_eq!(only_test, CifarError::Missing("training"));
}
