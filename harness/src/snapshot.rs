//! Outcome snapshots in insta's `.snap` file format, for `actionkit test`.
//!
//! One snapshot per fixture: `fixtures/snapshots/<fixture>.snap`. A changed or new outcome is
//! written next to it as `.snap.new` (insta's pending format), so `cargo insta review` works on
//! them as it does on insta's own, and `actionkit test --update` accepts them without cargo.
//! Timings are left out of snapshots: they are the only part of an [`Outcome`] that is not
//! deterministic.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Outcome;

/// The snapshot directory's name inside the fixtures directory.
pub const SNAPSHOT_DIR: &str = "snapshots";

/// Where the snapshot of `fixture` lives.
pub fn snapshot_path(fixture: &Path) -> PathBuf {
    let dir = fixture.parent().unwrap_or(Path::new("."));
    let stem = fixture.file_stem().map_or_else(|| "fixture".into(), |s| s.to_string_lossy().into_owned());
    dir.join(SNAPSHOT_DIR).join(format!("{stem}.snap"))
}

/// The pending (`.snap.new`) path next to a snapshot.
pub fn pending_path(snapshot: &Path) -> PathBuf {
    let mut name = snapshot.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

/// The deterministic part of an outcome, as snapshotted: everything but `stats`.
pub fn snapshot_value(outcome: &Outcome) -> Value {
    let mut value = serde_json::to_value(outcome).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.remove("stats");
    }
    value
}

/// The body of a snapshot: pretty JSON, two-space indented, as `insta::assert_json_snapshot!`.
pub fn snapshot_body(outcome: &Outcome) -> String {
    serde_json::to_string_pretty(&snapshot_value(outcome)).unwrap_or_default()
}

/// A whole `.snap` file: insta's front matter, then the body.
pub fn render_snapshot(body: &str, input_file: &str, description: &str) -> String {
    format!(
        "---\nsource: actionkit test\ndescription: {}\nexpression: outcome\ninput_file: {}\n---\n{}\n",
        yaml_scalar(description),
        yaml_scalar(input_file),
        body.trim_end()
    )
}

/// The body of an existing `.snap` file (what follows the front matter), or `None` if the
/// file does not exist.
///
/// # Errors
///
/// [`std::io::Error`] when the file exists but cannot be read, or has no front matter.
pub fn read_snapshot_body(path: &Path) -> std::io::Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let body = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body.trim_end().to_string())
        .ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "not an insta snapshot (no `---` front matter)")
        })?;
    Ok(Some(body))
}

/// How an outcome compares with its stored snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// Identical.
    Same,
    /// No snapshot yet.
    New,
    /// Different; the unified diff, old to new.
    Changed(String),
}

/// Compares a new snapshot body with the stored one.
pub fn compare(stored: Option<&str>, new: &str) -> Comparison {
    match stored {
        None => Comparison::New,
        Some(old) if old.trim_end() == new.trim_end() => Comparison::Same,
        Some(old) => Comparison::Changed(
            similar::TextDiff::from_lines(old.trim_end(), new.trim_end())
                .unified_diff()
                .context_radius(3)
                .header("stored snapshot", "this run")
                .to_string(),
        ),
    }
}

fn yaml_scalar(text: &str) -> String {
    // Plain scalars are fine for paths and names; quote (JSON strings are valid YAML) otherwise.
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || " ._/-()".contains(c))
        && !text.starts_with(' ')
        && !text.ends_with(' ');
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_insta_front_matter() {
        let dir = std::env::temp_dir().join(format!("harness-snap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.snap");
        let body = "{\n  \"calls\": []\n}";
        std::fs::write(&path, render_snapshot(body, "fixtures/a.json", "outcome of a: 1 call")).unwrap();
        let stored = read_snapshot_body(&path).unwrap().unwrap();
        assert_eq!(stored, body);
        assert_eq!(compare(Some(&stored), body), Comparison::Same);
        assert!(matches!(compare(Some(&stored), "{}"), Comparison::Changed(d) if d.contains("-  \"calls\": []")));
        assert_eq!(compare(None, body), Comparison::New);
        assert_eq!(read_snapshot_body(&dir.join("missing.snap")).unwrap(), None);
        std::fs::write(&path, "no front matter").unwrap();
        assert!(read_snapshot_body(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn paths() {
        let snap = snapshot_path(Path::new("p/fixtures/admin.json"));
        assert_eq!(snap, PathBuf::from("p/fixtures/snapshots/admin.snap"));
        assert_eq!(pending_path(&snap), PathBuf::from("p/fixtures/snapshots/admin.snap.new"));
        assert_eq!(yaml_scalar("outcome: x"), "\"outcome: x\"");
    }
}
