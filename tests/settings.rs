//! The URL state: every bad value is clamped or replaced, with a warning.

use resnet_playground::model::Family;
use resnet_playground::settings::{BackendChoice, Settings, Shortcuts, default_depths};
use resnet_playground::train::OptimizerKind;

#[test]
fn no_parameters_gives_the_defaults_and_no_warnings() {
    let parsed = Settings::parse("");
    assert_eq!(parsed.settings, Settings::default());
    assert!(parsed.warnings.is_empty());
    assert_eq!(
        Settings::parse(&parsed.query).settings,
        parsed.settings,
        "round trip"
    );
}

#[test]
fn good_values_are_read() {
    let parsed = Settings::parse(
        "?dataset=spiral&arch=cnn&depths=20,56&shortcuts=plain&lr=0.01&batch=128\
         &optimizer=adam&seed=7&backend=cpu&steps=500&autostart=1",
    );
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let s = parsed.settings;
    assert_eq!(
        (s.arch, s.depths, s.shortcuts),
        (Family::Cnn, [20, 56], Shortcuts::Plain)
    );
    assert_eq!(
        (s.lr, s.batch, s.optimizer, s.seed),
        (0.01, 128, OptimizerKind::Adam, 7)
    );
    assert_eq!(
        (s.backend, s.steps, s.autostart),
        (BackendChoice::Cpu, 500, true)
    );
    assert_eq!(s.run_specs().len(), 2);
}

#[test]
fn bad_values_are_clamped_or_replaced_with_a_warning_each() {
    let parsed = Settings::parse(
        "depths=abc&lr=NaN&batch=-5&arch=resnet&backend=quantum&steps=1e99&seed=x&bogus=1",
    );
    let s = &parsed.settings;
    assert_eq!(s.depths, default_depths(s.arch));
    assert_eq!(s.lr, Settings::default().lr);
    assert_eq!(s.batch, 8);
    assert_eq!(s.arch, Family::Mlp);
    assert_eq!(s.backend, BackendChoice::Auto);
    assert_eq!(s.steps, 1_000_000);
    assert_eq!(parsed.warnings.len(), 8, "{:#?}", parsed.warnings);
}

#[test]
fn depths_snap_to_the_family_and_are_ordered() {
    let parsed = Settings::parse("arch=cnn&depths=57,21");
    assert_eq!(parsed.settings.depths, [20, 56]);
    assert_eq!(parsed.warnings.len(), 2);
    let huge = Settings::parse("arch=cnn&depths=8,100000000");
    assert_eq!(huge.settings.depths, [8, 110]);
    let same = Settings::parse("arch=mlp&depths=6,6");
    assert_eq!(same.settings.depths, default_depths(Family::Mlp));
    assert!(!same.warnings.is_empty());
}

#[test]
fn percent_encoding_is_decoded() {
    let parsed = Settings::parse("depths=8%2C20&arch=cnn");
    assert_eq!(parsed.settings.depths, [8, 20]);
    assert!(Settings::parse("arch=%E2%9C%93&lr=%").warnings.len() == 2);
}

#[test]
fn warnings_quote_values_short_and_without_control_characters() {
    let long = format!("lr={}", "9".repeat(10_000));
    let parsed = Settings::parse(&long);
    assert_eq!(
        parsed.settings.lr, 1.0,
        "a huge number is clamped, not replaced"
    );
    assert!(
        parsed.warnings[0].chars().count() < 100,
        "{}",
        parsed.warnings[0]
    );
    let rtl = Settings::parse("dataset=%E2%80%AEspiral%00");
    assert!(!rtl.warnings[0].contains('\u{202E}') && !rtl.warnings[0].contains('\0'));
    assert_eq!(Settings::parse("steps=1e400").settings.steps, 1_000_000);
}

#[test]
fn page_parameters_are_left_to_the_page() {
    let parsed = Settings::parse("?embed=1&hide=seed,lr&theme=dark&controls=depths&bogus=2");
    assert_eq!(parsed.settings, Settings::default());
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    assert!(parsed.warnings[0].contains("bogus"));
    assert!(
        !parsed.query.contains("embed"),
        "training settings' query: {}",
        parsed.query
    );
}

#[test]
fn a_learning_rate_schedule_and_augmentation_come_from_the_url() {
    let parsed = Settings::parse("?drops=48000,32000,32000&augment=1");
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(
        parsed.settings.drops,
        vec![32_000, 48_000],
        "sorted, once each"
    );
    assert!(parsed.settings.augment);
    assert!(
        parsed.query.ends_with("&drops=32000,48000&augment=1"),
        "{}",
        parsed.query
    );
    let config = parsed.settings.train_config();
    assert_eq!(
        (
            config.learning_rate_at(31_999),
            config.learning_rate_at(32_000)
        ),
        (0.02, 0.002)
    );
    assert!(config.augment);

    let parsed = Settings::parse("?drops=0,-5,abc,2000000,100&augment=maybe");
    assert_eq!(parsed.settings.drops, vec![100]);
    assert!(!parsed.settings.augment);
    assert_eq!(parsed.warnings.len(), 5, "{:?}", parsed.warnings);
    let many: Vec<String> = (1..=20).map(|i| (i * 100).to_string()).collect();
    let parsed = Settings::parse(&format!("drops={}", many.join(",")));
    assert_eq!(parsed.settings.drops.len(), 8);
    assert_eq!(parsed.warnings.len(), 1);
    assert!(
        !Settings::parse("").query.contains("drops"),
        "no schedule, no parameter"
    );
}
