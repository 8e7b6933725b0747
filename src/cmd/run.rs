//! `actionkit run ACTION.js... --event EVENT.json`: runs one Action (or several, as a
//! flow in bound order) on one event in the harness and prints what it did. npm packages an
//! Action requires are found as Node finds them for that file (`node_modules` beside it or above).
//!
//! Exit codes: 0 when the run completed, whatever the Action decided (denied and redirected
//! included); 1 when the Action threw, failed to load or hit a limit; 2 for bad input.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use harness::{Action, Fixture, Harness, Limits, Outcome, Status};
use serde_json::Value;

use crate::printer::{OutputFormat, Printer};
use crate::{CommandResult, Exit};

/// Arguments of `actionkit run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The Action file; several files run as one flow, in the order given.
    #[arg(value_name = "ACTION", required = true)]
    pub actions: Vec<PathBuf>,
    /// The event fixture: the `event` JSON as Auth0's tester shows it, or `{"event": ..., "fetch": [...]}`.
    #[arg(long, value_name = "EVENT")]
    pub event: PathBuf,
    /// Time budget of the trigger execution, in milliseconds (Auth0: 20000).
    #[arg(long, value_name = "MS", default_value_t = 20_000)]
    pub timeout_ms: u64,
}

/// Runs `actionkit run`.
pub fn run(args: &RunArgs, printer: &Printer) -> CommandResult {
    let actions = args
        .actions
        .iter()
        .map(|path| Action::from_file(path).with_context(|| format!("failed to load action `{}`", path.display())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let fixture =
        Fixture::from_file(&args.event).with_context(|| format!("failed to read event `{}`", args.event.display()))?;
    let limits = Limits { time_budget: Duration::from_millis(args.timeout_ms), ..Limits::default() };
    let outcome = Harness::with_limits(limits).run_flow(&actions, &fixture).context("the harness failed")?;

    match printer.format() {
        // The whole Outcome (schema: docs/outcome.md).
        OutputFormat::Json => printer.json(&outcome.to_json()),
        OutputFormat::Text => print_summary(&outcome, printer),
    }
    let names: Vec<String> = args.actions.iter().map(|p| p.display().to_string()).collect();
    printer.status(
        "Ran",
        format_args!("{} on `{}` in {:.1}ms", names.join(", "), args.event.display(), outcome.stats.duration_ms),
    );
    Ok(if outcome.status == Status::Failed { Exit::Failure } else { Exit::Success })
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(119).collect::<String>())
    } else {
        text
    }
}

fn print_summary(outcome: &Outcome, printer: &Printer) {
    let status =
        serde_json::to_value(outcome.status).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    match (&outcome.error, &outcome.denied) {
        (Some(error), _) => {
            let name = error.name.as_deref().map(|n| format!("{n}: ")).unwrap_or_default();
            let place = error.action.as_deref().map(|a| format!(" in `{a}`")).unwrap_or_default();
            let kind =
                serde_json::to_value(error.kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
            printer.out(format_args!("status: {status} ({kind}{place}) {name}{}", error.message));
            if let Some(location) = &error.location {
                printer.out(format_args!("  at {location}"));
            }
        }
        (None, Some(denied)) => {
            printer.out(format_args!("status: {status} ({}: {})", denied.error, compact(&denied.reason)))
        }
        _ => printer.out(format_args!("status: {status}")),
    }
    if !outcome.calls.is_empty() {
        printer.out("calls:");
        for call in &outcome.calls {
            let args: Vec<String> = call.args.iter().map(compact).collect();
            let mut notes = Vec::new();
            if let Some(threw) = &call.threw {
                notes.push(format!("threw: {threw}"));
            }
            if call.discarded {
                notes.push("discarded".into());
            }
            if call.late {
                notes.push("late, dropped".into());
            }
            let notes = if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join("; ")) };
            printer.out(format_args!("  {:>3} {}({}){notes}", call.seq, call.method, args.join(", ")));
        }
    }
    for (label, token) in [("access token", &outcome.access_token), ("id token", &outcome.id_token)] {
        for (name, value) in &token.claims {
            printer.out(format_args!("{label} claim {name} = {}", compact(value)));
        }
    }
    if let Some(scopes) = &outcome.access_token.scopes {
        if !scopes.added.is_empty() {
            printer.out(format_args!("scopes added: {}", scopes.added.join(" ")));
        }
        if !scopes.removed.is_empty() {
            printer.out(format_args!("scopes removed: {}", scopes.removed.join(" ")));
        }
    }
    for dropped in &outcome.dropped_claims {
        printer.out(format_args!(
            "dropped {} claim {} ({})",
            dropped.token.replace('_', " "),
            dropped.claim,
            dropped.reason
        ));
    }
    if let Some(enable) = &outcome.mfa.enable {
        printer.out(format_args!("mfa enable: {}", compact(enable)));
    }
    for step in &outcome.mfa.steps {
        let passed =
            step.factor.as_ref().map(|factor| format!(", passed with {}", compact(factor))).unwrap_or_default();
        printer.out(format_args!("mfa {}: {}{passed}", step.command, compact(&Value::Array(step.factors.clone()))));
    }
    if let Some(redirect) = &outcome.redirect {
        printer.out(format_args!("redirect: {}", redirect.url));
    }
    if let Some(prompt) = &outcome.prompt {
        printer.out(format_args!("form: {}", compact(&prompt.id)));
    }
    for (label, changes) in
        [("app_metadata", &outcome.user.app_metadata), ("user_metadata", &outcome.user.user_metadata)]
    {
        for (key, value) in changes {
            printer.out(format_args!("{label}.{key} = {}", compact(value)));
        }
    }
    if !outcome.logs.is_empty() {
        printer.out("logs:");
        for line in &outcome.logs {
            printer.out(format_args!("  [{}] {}", line.level, line.message));
        }
    }
}
