//! `actionkit fixtures new NAME`: a fixture whose event has every field Auth0's post-login
//! event has (`auth0_platform::event::SAMPLE_EVENT_JSON`), with realistic fixed values, changed
//! where asked (`--set PATH=VALUE`, `--unset PATH`, `--org NAME`, `--audience URL`). The same
//! arguments always write the same bytes.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::printer::{OutputFormat, Printer};
use crate::{CommandError, CommandResult, Exit};

/// Arguments of `actionkit fixtures`.
#[derive(Debug, Args)]
pub struct FixturesArgs {
    #[command(subcommand)]
    pub command: FixturesCommand,
}

/// What `actionkit fixtures` does.
#[derive(Debug, Subcommand)]
pub enum FixturesCommand {
    /// Write a fixture with a complete post-login event (every field Auth0 sends).
    New(NewArgs),
    /// Turn the log lines of a capturing Action (`build --capture`) into fixtures, one per
    /// distinct login as the policy sees it.
    Import(ImportArgs),
}

/// Arguments of `actionkit fixtures import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Log exports to read: Real-time Logs or log-stream JSON lines, or the dashboard's text;
    /// `-` reads stdin.
    #[arg(value_name = "LOGS", required = true)]
    pub logs: Vec<PathBuf>,
    /// The project directory (holding `actionkit.toml`).
    #[arg(long, value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Where the fixtures go [default: PROJECT/captured]; `actionkit diff --fixtures DIR` replays them.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Arguments of `actionkit fixtures new`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  actionkit fixtures new admin --set user.app_metadata.is_admin=true --org acme
  actionkit fixtures new other-api --audience https://api.example.com --unset organization
  actionkit fixtures new no-email --unset user.email --set 'user.app_metadata.roles=[\"a\",\"b\"]'")]
pub struct NewArgs {
    /// The fixture's name: writes FIXTURES/NAME.json.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The project directory (holding `actionkit.toml`).
    #[arg(long, value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Set a dotted path to a value: JSON when it parses as JSON (`true`, `3`, `["a"]`), else a
    /// string. Repeatable; applied after --org and --audience.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Remove a dotted path (e.g. `organization` for a login outside any organization). Repeatable.
    #[arg(long = "unset", value_name = "PATH")]
    pub unset: Vec<String>,
    /// The organization the user logs in to (name; its id is derived from it).
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// The API the login asks a token for (`resource_server.identifier`, `request.query.audience`).
    #[arg(long, value_name = "URL")]
    pub audience: Option<String>,
    /// Replace an existing fixture of that name.
    #[arg(long)]
    pub force: bool,
    /// Start from a captured login (`fixtures import`): the paths the policy reads as captured,
    /// every other field from the complete sample, so it decides as the captured login did.
    #[arg(long, value_name = "FIXTURE")]
    pub from: Option<PathBuf>,
}

/// Runs `actionkit fixtures`.
pub fn run(args: &FixturesArgs, printer: &Printer) -> CommandResult {
    match &args.command {
        FixturesCommand::New(new) => run_new(new, printer),
        FixturesCommand::Import(import) => run_import(import, printer),
    }
}

fn run_new(args: &NewArgs, printer: &Printer) -> CommandResult {
    let manifest = manifest::Manifest::load(&args.project).map_err(CommandError::input)?;
    let event = match &args.from {
        None => complete_event(args, None)?,
        Some(from) => {
            let Some(project) = crate::inputs::load_project(&args.project, &Printer::quiet())? else {
                return Err(anyhow::anyhow!("the project's policy has errors; `actionkit check` shows them").into());
            };
            let captured = harness::Fixture::from_file(from)
                .with_context(|| format!("failed to read the captured login `{}`", from.display()))?;
            let captured = Value::Object(captured.event().clone());
            complete_event(args, Some((&captured, &project.compiled.policy.paths)))?
        }
    };
    let file_name = if args.name.ends_with(".json") { args.name.clone() } else { format!("{}.json", args.name) };
    if file_name.contains(['/', '\\']) || file_name.starts_with('.') {
        return Err(anyhow::anyhow!("`{}` is not a fixture name (no directories, no leading `.`)", args.name).into());
    }
    let dir = args.project.join(&manifest.action.fixtures);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let path = dir.join(&file_name);
    if path.exists() && !args.force {
        return Err(anyhow::anyhow!("`{}` exists; pass --force to replace it", path.display()).into());
    }
    let mut text = serde_json::to_string_pretty(&event).context("rendering the event")?;
    text.push('\n');
    std::fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    match printer.format() {
        OutputFormat::Json => printer.json(&serde_json::json!({ "fixture": path })),
        OutputFormat::Text => printer.out(path.display()),
    }
    printer.status("Next", format_args!("`actionkit test {}` records its snapshot as new", args.project.display()));
    Ok(Exit::Success)
}

/// The sample event with `--org` and `--audience`, then the policy's paths as `captured` (with
/// `--from`), then `--set` and `--unset`, which win over everything.
pub fn complete_event(args: &NewArgs, captured: Option<(&Value, &[String])>) -> Result<Value, CommandError> {
    let mut event: Value =
        serde_json::from_str(auth0_platform::event::SAMPLE_EVENT_JSON).context("the bundled sample event")?;
    if let Some(name) = &args.org {
        let id = format!("org_{}", &hex(&Sha256::digest(name.as_bytes()))[..16]);
        set(&mut event, "organization.id", Value::String(id))?;
        set(&mut event, "organization.name", Value::String(name.clone()))?;
        set(&mut event, "organization.display_name", Value::String(name.clone()))?;
    }
    if let Some(audience) = &args.audience {
        set(&mut event, "resource_server.identifier", Value::String(audience.clone()))?;
        set(&mut event, "request.query.audience", Value::String(audience.clone()))?;
    }
    if let Some((captured, paths)) = captured {
        event = from_capture(event, captured, paths);
    }
    for assignment in &args.set {
        let Some((path, text)) = assignment.split_once('=') else {
            return Err(anyhow::anyhow!("`--set {assignment}`: expected PATH=VALUE").into());
        };
        let value = serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()));
        set(&mut event, path.trim(), value)?;
    }
    for path in &args.unset {
        unset(&mut event, path.trim())?;
    }
    Ok(event)
}

/// A complete event that the policy sees as it saw `captured`: along every path it reads, the
/// captured value where the capture has one, and the sample's object removed where the capture
/// shows there was none (a pruned event keeps every object on the way to a read path).
pub fn from_capture(mut sample: Value, captured: &Value, paths: &[String]) -> Value {
    for path in paths {
        let parts: Vec<&str> = path.split('.').collect();
        let (mut from, mut to) = (captured, &mut sample);
        for (i, part) in parts.iter().enumerate() {
            let Some(next) = from.get(*part) else {
                // Absent in the login: absent in the fixture too.
                if let Some(map) = to.as_object_mut() {
                    map.shift_remove(*part);
                }
                break;
            };
            let leaf = i + 1 == parts.len() || !next.is_object();
            let Some(map) = to.as_object_mut() else { break };
            if leaf {
                map.insert((*part).to_string(), next.clone());
                break;
            }
            let slot = map.entry((*part).to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            from = next;
            to = slot;
        }
    }
    sample
}

const CAPTURE_MARKER: &str = "actionkit-capture ";

fn run_import(args: &ImportArgs, printer: &Printer) -> CommandResult {
    let manifest = manifest::Manifest::load(&args.project).map_err(CommandError::input)?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| args.project.join("captured"));
    let mut lines = 0usize;
    let mut records = Vec::new();
    let mut foreign = 0usize;
    for source in &args.logs {
        let text = if source.as_os_str() == "-" {
            std::io::read_to_string(std::io::stdin()).context("reading stdin")?
        } else {
            std::fs::read_to_string(source).with_context(|| format!("cannot read `{}`", source.display()))?
        };
        for (number, line) in text.lines().enumerate() {
            lines += 1;
            for record in capture_records(line) {
                let record = record.map_err(|e| anyhow::anyhow!("{}:{}: {e}", source.display(), number + 1))?;
                if record.get("action").and_then(Value::as_str) != Some(manifest.action.name.as_str()) {
                    foreign += 1;
                    continue;
                }
                records.push(record["event"].clone());
            }
        }
    }
    std::fs::create_dir_all(&out_dir).with_context(|| format!("cannot create `{}`", out_dir.display()))?;
    let mut distinct = std::collections::BTreeMap::new();
    for event in records.iter() {
        let key = canonical(event);
        distinct.entry(hex(&Sha256::digest(key.as_bytes()))[..12].to_string()).or_insert(event);
    }
    let (mut written, mut present) = (0usize, 0usize);
    for (id, event) in &distinct {
        let path = out_dir.join(format!("captured-{id}.json"));
        if path.exists() {
            present += 1;
            continue;
        }
        let fixture = serde_json::json!({
            "description": "a login captured by the Action (actionkit build --capture), as its policy saw it",
            "event": event,
        });
        let mut text = serde_json::to_string_pretty(&fixture).context("rendering a fixture")?;
        text.push('\n');
        std::fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
        written += 1;
    }
    match printer.format() {
        OutputFormat::Json => printer.json(&serde_json::json!({
            "lines": lines,
            "captured": records.len(),
            "other_actions": foreign,
            "distinct": distinct.len(),
            "written": written,
            "already_present": present,
            "out_dir": out_dir,
        })),
        OutputFormat::Text => printer.out(format_args!(
            "{lines} lines: {} captured logins ({} distinct as the policy sees them): {written} new fixtures in `{}`, {present} already there",
            records.len(),
            distinct.len(),
            out_dir.display()
        )),
    }
    if foreign > 0 {
        printer.warn(format_args!("{foreign} captured logins of other Actions were skipped"));
    }
    if records.is_empty() {
        printer.warn("no capture line found: was the Action built with `actionkit build --capture`?");
    }
    printer.status(
        "Next",
        format_args!("actionkit diff {} --against main --fixtures {}", args.project.display(), out_dir.display()),
    );
    Ok(Exit::Success)
}

/// The capture records in one log line: in a JSON line (a log-stream or Real-time Logs export),
/// every string holding the marker; in a text line, the text after the marker.
fn capture_records(line: &str) -> Vec<Result<Value, String>> {
    if !line.contains("actionkit-capture") {
        return Vec::new();
    }
    let mut texts = Vec::new();
    match serde_json::from_str::<Value>(line) {
        Ok(json) => collect_strings(&json, &mut texts),
        Err(_) => texts.push(line.to_string()),
    }
    let mut records = Vec::new();
    for text in texts {
        let mut rest = text.as_str();
        while let Some(at) = rest.find(CAPTURE_MARKER) {
            let after = &rest[at + CAPTURE_MARKER.len()..];
            let mut stream = serde_json::Deserializer::from_str(after).into_iter::<Value>();
            records.push(match stream.next() {
                Some(Ok(record)) if record.get("v") == Some(&Value::from(1)) && record["event"].is_object() => {
                    Ok(record)
                }
                Some(Ok(_)) => Err("a capture record without `v: 1` and an `event` object".to_string()),
                Some(Err(e)) => Err(format!("a malformed capture record: {e}")),
                None => Err("a capture marker without a record".to_string()),
            });
            rest = &after[stream.byte_offset()..];
        }
    }
    records
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if s.contains(CAPTURE_MARKER) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// JSON with object keys sorted: equal events, equal text, whatever their key order.
fn canonical(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

fn set(event: &mut Value, path: &str, value: Value) -> Result<(), CommandError> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(anyhow::anyhow!("`{path}` is not a dotted path like `user.app_metadata.is_admin`").into());
    }
    let mut object = event;
    for (i, part) in parts.iter().enumerate() {
        let Value::Object(map) = object else {
            let parent = parts[..i].join(".");
            return Err(anyhow::anyhow!("cannot set `{path}`: `{parent}` is not an object").into());
        };
        if i + 1 == parts.len() {
            map.insert((*part).to_string(), value);
            return Ok(());
        }
        object = map.entry((*part).to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

fn unset(event: &mut Value, path: &str) -> Result<(), CommandError> {
    let (parent, key) = path.rsplit_once('.').map_or(("", path), |(p, k)| (p, k));
    let mut object = event;
    for part in parent.split('.').filter(|p| !p.is_empty()) {
        object = object.get_mut(part).ok_or_else(|| anyhow::anyhow!("cannot unset `{path}`: no `{part}`"))?;
    }
    match object.as_object_mut().and_then(|map| map.shift_remove(key)) {
        Some(_) => Ok(()),
        None => Err(anyhow::anyhow!("cannot unset `{path}`: the event has no such field").into()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(set: &[&str], unset: &[&str]) -> NewArgs {
        NewArgs {
            name: "x".into(),
            project: PathBuf::from("."),
            set: set.iter().map(|s| s.to_string()).collect(),
            unset: unset.iter().map(|s| s.to_string()).collect(),
            org: Some("globex".into()),
            audience: Some("https://api.example.com".into()),
            force: false,
            from: None,
        }
    }

    #[test]
    fn paths_are_set_and_unset_deterministically() {
        let event = complete_event(
            &args(&["user.app_metadata.is_admin=true", "user.app_metadata.tier=gold"], &["user.email"]),
            None,
        )
        .unwrap();
        assert_eq!(event["user"]["app_metadata"]["is_admin"], true);
        assert_eq!(event["user"]["app_metadata"]["tier"], "gold");
        assert!(event["user"].get("email").is_none());
        assert_eq!(event["organization"]["name"], "globex");
        assert_eq!(event["resource_server"]["identifier"], "https://api.example.com");
        assert_eq!(
            event,
            complete_event(
                &args(&["user.app_metadata.is_admin=true", "user.app_metadata.tier=gold"], &["user.email"]),
                None
            )
            .unwrap()
        );
        let id = event["organization"]["id"].as_str().unwrap();
        assert!(id.starts_with("org_") && id.len() == 20, "{id}");
    }

    #[test]
    fn capture_records_are_found_in_json_and_text_lines() {
        let record = r#"{"v":1,"action":"a","event":{"user":{"app_metadata":{"is_admin":true}}}}"#;
        let text = format!("2025-01-01 12:00:00 log actionkit-capture {record}");
        assert_eq!(capture_records(&text).len(), 1);
        let json = serde_json::json!({ "type": "log", "data": { "details": { "stdout": format!("actionkit-capture {record}\n") } } });
        let found = capture_records(&json.to_string());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].as_ref().unwrap()["event"]["user"]["app_metadata"]["is_admin"], true);
        assert!(capture_records("actionkit-capture {\"v\":2}")[0].is_err());
        assert!(capture_records("nothing here").is_empty());
    }

    #[test]
    fn a_captured_login_keeps_what_the_policy_saw() {
        let sample: Value = serde_json::from_str(auth0_platform::event::SAMPLE_EVENT_JSON).unwrap();
        let captured = serde_json::json!({ "user": { "app_metadata": { "is_admin": true } }, "resource_server": { "identifier": "urn:x" } });
        let paths: Vec<String> =
            ["organization.metadata.domains", "resource_server.identifier", "user.app_metadata.is_admin"]
                .map(String::from)
                .to_vec();
        let event = from_capture(sample, &captured, &paths);
        assert!(event.get("organization").is_none(), "no organization in the login: none in the fixture");
        assert_eq!(event["resource_server"]["identifier"], "urn:x");
        assert_eq!(event["user"]["app_metadata"]["is_admin"], true);
        assert!(event["user"]["email_verified"].is_boolean(), "the rest is complete");
    }

    #[test]
    fn bad_paths_are_input_errors() {
        assert!(complete_event(&args(&["user..x=1"], &[]), None).is_err());
        assert!(complete_event(&args(&["user.email_verified.x=1"], &[]), None).is_err(), "a bool is not an object");
        assert!(complete_event(&args(&["novalue"], &[]), None).is_err());
        assert!(complete_event(&args(&[], &["user.nothing"]), None).is_err());
    }
}
