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
}

/// Runs `actionkit fixtures`.
pub fn run(args: &FixturesArgs, printer: &Printer) -> CommandResult {
    match &args.command {
        FixturesCommand::New(new) => run_new(new, printer),
    }
}

fn run_new(args: &NewArgs, printer: &Printer) -> CommandResult {
    let manifest = manifest::Manifest::load(&args.project).map_err(CommandError::input)?;
    let event = complete_event(args)?;
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

/// The sample event with the arguments applied.
pub fn complete_event(args: &NewArgs) -> Result<Value, CommandError> {
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
        }
    }

    #[test]
    fn paths_are_set_and_unset_deterministically() {
        let event =
            complete_event(&args(&["user.app_metadata.is_admin=true", "user.app_metadata.tier=gold"], &["user.email"]))
                .unwrap();
        assert_eq!(event["user"]["app_metadata"]["is_admin"], true);
        assert_eq!(event["user"]["app_metadata"]["tier"], "gold");
        assert!(event["user"].get("email").is_none());
        assert_eq!(event["organization"]["name"], "globex");
        assert_eq!(event["resource_server"]["identifier"], "https://api.example.com");
        assert_eq!(
            event,
            complete_event(&args(&["user.app_metadata.is_admin=true", "user.app_metadata.tier=gold"], &["user.email"]))
                .unwrap()
        );
        let id = event["organization"]["id"].as_str().unwrap();
        assert!(id.starts_with("org_") && id.len() == 20, "{id}");
    }

    #[test]
    fn bad_paths_are_input_errors() {
        assert!(complete_event(&args(&["user..x=1"], &[])).is_err());
        assert!(complete_event(&args(&["user.email_verified.x=1"], &[])).is_err(), "a bool is not an object");
        assert!(complete_event(&args(&["novalue"], &[])).is_err());
        assert!(complete_event(&args(&[], &["user.nothing"])).is_err());
    }
}
