//! `actionkit check POLICY`: compile a policy, print every diagnostic, run its inline tests.

use std::path::PathBuf;

use clap::Args;
use policy::TestRun;

use crate::inputs::load_compiled;
use crate::printer::{plural, OutputFormat, Printer};
use crate::trace::test_diff;
use crate::{CommandError, CommandResult, Exit};

/// Arguments of `actionkit check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project directory (its `actionkit.toml` names the policy), or a policy file.
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub policy: PathBuf,
    /// Run only the inline test called NAME.
    #[arg(long = "test", value_name = "NAME")]
    pub test: Option<String>,
}

/// Runs `actionkit check`.
pub fn run(args: &CheckArgs, printer: &Printer) -> CommandResult {
    let Some((path, compiled)) = load_compiled(&args.policy, printer)? else {
        if printer.format() == OutputFormat::Json {
            let path = crate::inputs::policy_path(&args.policy)?;
            printer.json(&serde_json::json!({ "policy": path, "compiled": false, "tests": [] }));
        }
        return Ok(Exit::Failure);
    };
    let name = path.display().to_string();
    let runs = compiled.run_tests_named(args.test.as_deref());
    if let (Some(wanted), true) = (&args.test, runs.is_empty()) {
        let names: Vec<String> = compiled.tests.iter().map(|t| format!("`{}`", t.name)).collect();
        return Err(CommandError::from(anyhow::anyhow!(
            "no inline test called `{wanted}` in `{name}` (its tests: {})",
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        )));
    }
    // An inline event missing a field Auth0 always sends, that a rule reads, tests a login that
    // never happens.
    for test in compiled.tests.iter().filter(|t| runs.iter().any(|r| r.name == t.name)) {
        let unsent = policy::event::unsent_fields_read(&compiled.policy, &test.event);
        if let Some(warning) = crate::suite::unsent_warning(&unsent, true) {
            printer.warn(format_args!("inline test `{}` ({}): {warning}", test.name, test.location));
        }
    }
    let failed: Vec<&TestRun> = runs.iter().filter(|r| !r.passed).collect();
    for run in &failed {
        printer.error(format_args!("test `{}` failed ({})", run.name, run.location));
        printer.detail(&test_diff(run));
    }
    let rules = compiled.policy.rules.len();
    let passed = runs.len() - failed.len();
    match printer.format() {
        OutputFormat::Json => printer.json(&serde_json::json!({
            "policy": name,
            "compiled": true,
            "rules": rules,
            "warnings": compiled.warnings.len(),
            "tests": runs.iter().map(|r| serde_json::json!({
                "name": r.name,
                "location": r.location,
                "passed": r.passed,
                "diff": (!r.passed).then(|| test_diff(r)),
            })).collect::<Vec<_>>(),
        })),
        OutputFormat::Text => {
            let mut summary = format!("{name}: {rules} rule{}, {passed} test{} passed", plural(rules), plural(passed));
            if !failed.is_empty() {
                summary.push_str(&format!(", {} failed", failed.len()));
            }
            if !compiled.warnings.is_empty() {
                let w = compiled.warnings.len();
                summary.push_str(&format!(", {w} warning{}", plural(w)));
            }
            printer.out(summary);
        }
    }
    if failed.is_empty() {
        Ok(Exit::Success)
    } else {
        printer.status("Hint", format_args!("run `actionkit explain {name} --event EVENT.json` to see why"));
        Ok(Exit::Failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Exit, CommandError> {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("policy.toml"), text).expect("policy file");
        run(&CheckArgs { policy: dir.path().to_path_buf(), test: None }, &Printer::quiet())
    }

    const HEAD: &str =
        "version = 1\n[api]\nidentifier = \"api\"\n[[rule]]\nid = \"all\"\nwhen = 'true'\ngrant = [\"s\"]\n";

    #[test]
    fn exit_codes() {
        let pass = "[[test]]\nname = \"t\"\nevent = { resource_server = { identifier = \"api\" } }\nexpect = [{ type = \"add_scope\", scope = \"s\" }]\n";
        assert_eq!(check(&format!("{HEAD}{pass}")).ok(), Some(Exit::Success));
        let fail = pass.replace("add_scope", "remove_scope");
        assert_eq!(check(&format!("{HEAD}{fail}")).ok(), Some(Exit::Failure));
        assert_eq!(check("version = 2\n").ok(), Some(Exit::Failure));
        let missing =
            run(&CheckArgs { policy: PathBuf::from("/nonexistent/policy.toml"), test: None }, &Printer::quiet());
        assert_eq!(missing.err().map(|e| e.exit()), Some(Exit::Input));
    }
}
