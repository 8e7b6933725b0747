//! `actionkit check POLICY`: compile a policy, print every diagnostic, run its inline tests.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;
use codegen::policy::{compile, Compiled, Diagnostics, TestRun};

use crate::printer::Printer;
use crate::Exit;

/// Arguments of `actionkit check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The policy file, or a project directory (its `actionkit.toml` names the policy).
    #[arg(value_name = "POLICY", default_value = ".")]
    pub policy: PathBuf,
}

/// The policy file named by `path`: the path itself; for a project directory, the policy its
/// `actionkit.toml` names, or `policy.toml` inside it when there is no manifest.
pub fn policy_path(path: &Path) -> anyhow::Result<PathBuf> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    if path.join("actionkit.toml").is_file() {
        let manifest = codegen::manifest::Manifest::load(path)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("failed to read the manifest of `{}`", path.display()))?;
        return Ok(path.join(manifest.action.policy));
    }
    Ok(path.join("policy.toml"))
}

/// Reads a policy file with context for the error.
pub fn read_policy(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read policy `{}`", path.display()))
}

/// Prints every error and warning of a policy that failed to compile, then a count.
pub fn print_diagnostics(printer: &Printer, name: &str, diags: &Diagnostics) {
    for d in diags.iter() {
        eprint!("{}", printer.render_diagnostic(d));
    }
    let (e, w) = (diags.errors().len(), diags.warnings().len());
    printer.error(format_args!(
        "{name}: {e} error{}{}",
        plural(e),
        if w > 0 { format!(", {w} warning{}", plural(w)) } else { String::new() }
    ));
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Reads and compiles the policy named by a `POLICY|DIR` argument, printing its diagnostics and
/// warnings. `None` when it has errors.
pub fn load_compiled(arg: &Path, printer: &Printer) -> anyhow::Result<Option<(PathBuf, Compiled)>> {
    let path = policy_path(arg)?;
    let text = read_policy(&path)?;
    let name = path.display().to_string();
    match compile(&text, &name) {
        Ok(compiled) => {
            printer.policy_warnings(&compiled);
            Ok(Some((path, compiled)))
        }
        Err(diags) => {
            print_diagnostics(printer, &name, &diags);
            Ok(None)
        }
    }
}

/// Runs `actionkit check`.
pub fn run(args: &CheckArgs, printer: &Printer) -> anyhow::Result<Exit> {
    let Some((path, compiled)) = load_compiled(&args.policy, printer)? else {
        return Ok(Exit::Failure);
    };
    let name = path.display().to_string();
    let runs = compiled.run_tests();
    let failed: Vec<&TestRun> = runs.iter().filter(|r| !r.passed).collect();
    for run in &failed {
        printer.error(format_args!("test `{}` failed", run.name));
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

/// A line diff of expected vs actual decisions (one decision per line, as JSON), plus the trace.
pub fn test_diff(run: &TestRun) -> String {
    let line = |d: &action_core::Decision| serde_json::to_string(d).unwrap_or_else(|_| format!("{d:?}"));
    let expected: Vec<String> = run.expected.iter().map(line).collect();
    let actual: Vec<String> = run.actual.decisions.iter().map(line).collect();
    let mut out = String::from("  decisions (- expected, + actual):\n");
    for (sign, text) in diff(&expected, &actual) {
        out.push_str(&format!("    {sign} {text}\n"));
    }
    out.push_str("  trace:\n");
    for step in crate::cmd::explain::trace_lines(&run.actual) {
        out.push_str(&format!("    {step}\n"));
    }
    out
}

/// A longest-common-subsequence diff: `' '` same, `'-'` only in `a`, `'+'` only in `b`.
fn diff<'a>(a: &'a [String], b: &'a [String]) -> Vec<(char, &'a str)> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((' ', a[i].as_str()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', a[i].as_str()));
            i += 1;
        } else {
            out.push(('+', b[j].as_str()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::ColorChoice;

    fn check(text: &str) -> anyhow::Result<Exit> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("policy.toml"), text)?;
        run(&CheckArgs { policy: dir.path().to_path_buf() }, &Printer::new(ColorChoice::Never, true))
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
            &CheckArgs { policy: PathBuf::from("/nonexistent/policy.toml") },
            &Printer::new(ColorChoice::Never, true),
        );
        assert!(missing.is_err());
    }

    #[test]
    fn diff_marks_missing_and_extra_lines() {
        let a: Vec<String> = ["x", "y", "z"].map(String::from).to_vec();
        let b: Vec<String> = ["x", "z", "w"].map(String::from).to_vec();
        assert_eq!(diff(&a, &b), [(' ', "x"), ('-', "y"), (' ', "z"), ('+', "w")]);
    }
}
