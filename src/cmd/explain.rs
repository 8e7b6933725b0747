//! `actionkit explain POLICY --event EVENT.json [--json] [--ir]`: what the policy decides for one
//! event, and why (the per-rule trace and the rules that determined the result).

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use policy::disasm;

use crate::inputs::{load_compiled, load_event};
use crate::printer::Printer;
use crate::trace::{decision_line, determined_by, trace_lines};
use crate::Exit;

/// Arguments of `actionkit explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The policy file, or a project directory (its `actionkit.toml` names the policy).
    #[arg(value_name = "POLICY")]
    pub policy: PathBuf,
    /// The post-login event as JSON (an Auth0 event, or `{"event": {...}}`).
    #[arg(long, value_name = "EVENT")]
    pub event: Option<PathBuf>,
    /// Print the outcome (decisions and trace) as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the compiled policy's IR disassembly.
    #[arg(long)]
    pub ir: bool,
}

/// Runs `actionkit explain`.
pub fn run(args: &ExplainArgs, printer: &Printer) -> anyhow::Result<Exit> {
    let Some((_, compiled)) = load_compiled(&args.policy, printer)? else {
        return Ok(Exit::Failure);
    };
    if args.ir {
        printer.out(disasm::disassemble(&compiled.policy).trim_end());
    }
    let Some(event_path) = &args.event else {
        if args.ir {
            return Ok(Exit::Success);
        }
        anyhow::bail!("`--event EVENT.json` is required (or `--ir` to print the compiled policy)");
    };
    let event = load_event(event_path)?;
    // Exactly what the built Action decides in Auth0 for this event.
    let outcome = policy::event::decide_as_the_action_does(&compiled.policy, &event);
    if args.json {
        let json: serde_json::Value = serde_json::from_str(&outcome.to_json()).context("engine output")?;
        printer.out(serde_json::to_string_pretty(&json).context("engine output")?);
        return Ok(Exit::Success);
    }
    printer.out("decisions:");
    if outcome.decisions.is_empty() {
        printer.out("  (none: the Action leaves the login untouched)");
    }
    for (i, d) in outcome.decisions.iter().enumerate() {
        printer.out(format_args!("  {}. {}", i + 1, decision_line(d)));
    }
    printer.out("trace:");
    for line in trace_lines(&outcome) {
        let located = match line.strip_prefix("rule ").and_then(|rest| rest.split(':').next()) {
            Some(id) => compiled
                .rules
                .iter()
                .find(|r| r.id == id)
                .map_or(line.clone(), |r| format!("{line}    ({})", r.location)),
            None => line.clone(),
        };
        printer.out(format_args!("  {located}"));
    }
    printer.out(format_args!("determined by: {}", determined_by(&compiled.policy, &outcome)));
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::ColorChoice;

    fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("temp file");
        path
    }

    const POLICY: &str =
        "version = 1\n[api]\nidentifier = \"api\"\n[[rule]]\nid = \"all\"\nwhen = 'true'\ngrant = [\"s\"]\n";

    #[test]
    fn malformed_event_reports_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let policy = write(dir.path(), "policy.toml", POLICY);
        let event = write(dir.path(), "event.json", "{\"a\": [1,\n 2,, 3]}");
        let args = ExplainArgs { policy, event: Some(event), json: false, ir: false };
        let err = run(&args, &Printer::new(ColorChoice::Never, true)).expect_err("bad JSON");
        assert!(format!("{err:#}").contains("at line 2, column 4"), "{err:#}");
    }

    #[test]
    fn explain_runs_on_a_wrapped_event() {
        let dir = tempfile::tempdir().expect("tempdir");
        let policy = write(dir.path(), "policy.toml", POLICY);
        let event = write(dir.path(), "event.json", r#"{"event": {"resource_server": {"identifier": "api"}}}"#);
        let args = ExplainArgs { policy: dir.path().to_path_buf(), event: Some(event), json: true, ir: true };
        assert_eq!(run(&args, &Printer::new(ColorChoice::Never, true)).ok(), Some(Exit::Success));
        let _ = policy;
    }
}
