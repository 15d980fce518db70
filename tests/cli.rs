//! The `experiment` command, run as a user would.

use std::process::Command;

fn experiment(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_experiment"))
        .args(args)
        .output()
        .expect("the experiment binary runs");
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[test]
fn dry_run_lists_the_papers_networks_with_their_parameters() {
    let (ok, out) = experiment(&[
        "--preset",
        "paper-cifar10",
        "--depths",
        "20,110",
        "--dry-run",
    ]);
    assert!(ok, "{out}");
    assert!(
        out.contains("lr=0.1&") && out.contains("&drops=32000,48000&augment=1"),
        "the paper's schedule and augmentation:\n{out}"
    );
    for line in ["plain-20", "residual-20", "plain-110", "residual-110"] {
        assert!(out.contains(line), "{line} missing from:\n{out}");
    }
    assert!(
        out.contains("269722"),
        "ResNet-20 has 269,722 parameters:\n{out}"
    );
    assert!(!out.contains("verdict"), "a dry run trains nothing");
}

#[test]
fn a_short_run_writes_the_pages_csv_and_a_verdict() {
    let dir = std::env::temp_dir().join(format!("resnet-playground-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("runs.csv");
    let (ok, text) = experiment(&[
        "--preset",
        "quick-spiral",
        "--depths",
        "4,8",
        "--steps",
        "20",
        "--seeds",
        "1,2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    assert!(
        text.contains("verdict:") && text.contains("of 2 seeds"),
        "{text}"
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("run,shortcuts,depth,step,train_loss,train_error,test_error,ms")
    );
    assert_eq!(
        lines.count(),
        2 * 4 * 20,
        "two seeds × four runs × 20 steps"
    );
    assert!(csv.contains("\nresidual-8-seed2,residual,8,20,"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_arguments_are_refused_in_plain_words() {
    let (ok, out) = experiment(&["--preset", "nope"]);
    assert!(!ok && out.contains("no preset nope"), "{out}");
    let (ok, out) = experiment(&["--preset", "paper-cifar10", "--data", "/nonexistent"]);
    assert!(!ok && out.contains("/nonexistent"), "{out}");
}

#[test]
fn the_verdict_reads_the_ordering_from_the_last_records() {
    use resnet_playground::export::Ordering;
    use resnet_playground::train::Record;
    let record = |shortcuts: &'static str, depth, error| Record {
        run: format!("{shortcuts}-{depth}"),
        shortcuts,
        depth,
        step: 100,
        train_loss: 0.1,
        train_error: Some(error),
        test_error: None,
        ms: 1.0,
        diverged: false,
        layers: None,
    };
    let shown = [
        record("plain", 8, 0.01),
        record("plain", 20, 0.05),
        record("residual", 8, 0.010),
        record("residual", 20, 0.012),
    ];
    let ordering = Ordering::of(shown.iter()).unwrap();
    assert!(ordering.plain_degrades && ordering.residual_improves);
    let reversed = [
        record("plain", 8, 0.05),
        record("plain", 20, 0.01),
        record("residual", 8, 0.01),
        record("residual", 20, 0.05),
    ];
    let ordering = Ordering::of(reversed.iter()).unwrap();
    assert!(!ordering.plain_degrades && !ordering.residual_improves);
    assert!(
        Ordering::of(shown[..3].iter()).is_none(),
        "a missing run cannot be judged"
    );
    assert!(Ordering::verdict(&[ordering]).contains("not shown"));
}

#[test]
fn dry_run_counts_the_nets_of_the_chosen_data_set() {
    // Spirals have 3 classes: the head of plain-4 is 64 × 3 + 3, not 64 × 10 + 10.
    let (ok, out) = experiment(&["--preset", "quick-spiral", "--dry-run"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("8899 parameters"),
        "plain-4 on spirals:\n{out}"
    );
    assert!(!out.contains("9354"), "a 10-class head:\n{out}");
}
