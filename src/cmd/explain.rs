//! `actionkit explain [PROJECT] --event EVENT.json [--ir]`: what the policy decides for one
//! event, and why (the per-rule trace and the rules that determined the result).

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use policy::disasm;

use crate::inputs::{load_compiled, load_event};
use crate::printer::{OutputFormat, Printer};
use crate::trace::{decision_line, determined_by, trace_lines};
use crate::{CommandResult, Exit};

/// Arguments of `actionkit explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The project directory (its `actionkit.toml` names the policy), or a policy file.
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub policy: PathBuf,
    /// The post-login event as JSON (an Auth0 event, or `{"event": {...}}`).
    #[arg(long, value_name = "EVENT")]
    pub event: Option<PathBuf>,
    /// Print the compiled policy's IR disassembly.
    #[arg(long)]
    pub ir: bool,
}

/// Runs `actionkit explain`.
pub fn run(args: &ExplainArgs, printer: &Printer) -> CommandResult {
    let Some((_, compiled)) = load_compiled(&args.policy, printer)? else {
        return Ok(Exit::Failure);
    };
    let json = printer.format() == OutputFormat::Json;
    let ir = args.ir.then(|| disasm::disassemble(&compiled.policy).trim_end().to_string());
    if let (Some(ir), false) = (&ir, json) {
        printer.out(ir);
    }
    let Some(event_path) = &args.event else {
        if let Some(ir) = ir {
            if json {
                printer.json(&serde_json::json!({ "ir": ir }));
            }
            return Ok(Exit::Success);
        }
        return Err(anyhow::anyhow!("`--event EVENT.json` is required (or `--ir` to print the compiled policy)").into());
    };
    let event = load_event(event_path)?;
    // Exactly what the built Action decides in Auth0 for this event.
    let outcome = policy::event::decide_as_the_action_does(&compiled.policy, &event);
    if json {
        let mut json: serde_json::Value = serde_json::from_str(&outcome.to_json()).context("engine output")?;
        if let Some(ir) = ir {
            json["ir"] = ir.into();
        }
        printer.json(&json);
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
        let args = ExplainArgs { policy, event: Some(event), ir: false };
        let err = run(&args, &Printer::quiet()).expect_err("bad JSON");
        assert_eq!(err.exit(), Exit::Input);
        let mut text = String::new();
        miette::NarratableReportHandler::new().render_report(&mut text, err.diagnostic()).unwrap();
        assert!(text.contains("at line 2, column 4"), "{text}");
    }

    #[test]
    fn explain_runs_on_a_wrapped_event() {
        let dir = tempfile::tempdir().expect("tempdir");
        let policy = write(dir.path(), "policy.toml", POLICY);
        let event = write(dir.path(), "event.json", r#"{"event": {"resource_server": {"identifier": "api"}}}"#);
        let args = ExplainArgs { policy: dir.path().to_path_buf(), event: Some(event), ir: true };
        assert_eq!(run(&args, &Printer::quiet()).ok(), Some(Exit::Success));
        let _ = policy;
    }
}
