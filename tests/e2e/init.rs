//! `actionkit init`: every preset gives a project that checks and builds out of the box.

use crate::util::{actionkit, run};

#[test]
fn every_preset_checks_and_builds() {
    for preset in ["express-configure", "okta-express-configure"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("project");
        let dir_arg = dir.to_str().unwrap();
        let init = run(&["init", dir_arg, "--preset", preset, "--name", "my-action"]);
        assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
        let check = run(&["check", dir_arg]);
        assert!(check.status.success(), "{preset}: {}", String::from_utf8_lossy(&check.stderr));
        let build = run(&["build", dir_arg]);
        assert!(build.status.success(), "{preset}: {}", String::from_utf8_lossy(&build.stderr));
        assert!(dir.join("dist/my-action.js").is_file());
    }
}

#[test]
fn unknown_presets_and_non_empty_directories_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let output = actionkit().args(["init", tmp.path().to_str().unwrap(), "--preset", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value 'nope'"));

    std::fs::write(tmp.path().join("mine.txt"), "x").unwrap();
    let output = run(&["init", tmp.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("already exists and is not empty"));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}
