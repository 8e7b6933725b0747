//! `actionkit check POLICY`: compile a policy, print every diagnostic, run its inline tests.

use std::path::PathBuf;

use clap::Args;
use policy::TestRun;

use crate::inputs::load_compiled;
use crate::printer::{plural, Printer};
use crate::trace::test_diff;
use crate::Exit;

/// Arguments of `actionkit check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The policy file, or a project directory (its `actionkit.toml` names the policy).
    #[arg(value_name = "POLICY", default_value = ".")]
    pub policy: PathBuf,
    /// Run only the inline test called NAME.
    #[arg(long = "test", value_name = "NAME")]
    pub test: Option<String>,
}

/// Runs `actionkit check`.
pub fn run(args: &CheckArgs, printer: &Printer) -> anyhow::Result<Exit> {
    let Some((path, compiled)) = load_compiled(&args.policy, printer)? else {
        return Ok(Exit::Failure);
    };
    let name = path.display().to_string();
    let runs = compiled.run_tests_named(args.test.as_deref());
    if let (Some(wanted), true) = (&args.test, runs.is_empty()) {
        let names: Vec<String> = compiled.tests.iter().map(|t| format!("`{}`", t.name)).collect();
        anyhow::bail!(
            "no inline test called `{wanted}` in `{name}` (its tests: {})",
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        );
    }
    let failed: Vec<&TestRun> = runs.iter().filter(|r| !r.passed).collect();
    for run in &failed {
        printer.error(format_args!("test `{}` failed ({})", run.name, run.location));
        eprint!("{}", test_diff(run));
    }
    let rules = compiled.policy.rules.len();
    let passed = runs.len() - failed.len();
    let mut summary = format!("{name}: {rules} rule{}, {passed} test{} passed", plural(rules), plural(passed));
    if !failed.is_empty() {
        summary.push_str(&format!(", {} failed", failed.len()));
    }
    if !compiled.warnings.is_empty() {
        let w = compiled.warnings.len();
        summary.push_str(&format!(", {w} warning{}", plural(w)));
    }
    printer.out(summary);
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
    use crate::printer::ColorChoice;

    fn check(text: &str) -> anyhow::Result<Exit> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("policy.toml"), text)?;
        run(&CheckArgs { policy: dir.path().to_path_buf(), test: None }, &Printer::new(ColorChoice::Never, true))
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
        let missing = run(
            &CheckArgs { policy: PathBuf::from("/nonexistent/policy.toml"), test: None },
            &Printer::new(ColorChoice::Never, true),
        );
        assert!(missing.is_err());
    }
}
