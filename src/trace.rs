//! How decisions and traces are shown to people, shared by `check` (failed inline tests) and
//! `explain`.

use action_core::{Decision, Outcome, RuleResult, Trace};
use policy::TestRun;

/// Which rules decided the outcome: the denying rule if one denied, else the rules that held
/// (or why no rule mattered).
pub fn determined_by(policy: &action_core::ir::Policy, outcome: &Outcome) -> String {
    let applied: Vec<&str> = outcome.applied_rules().collect();
    // A rule whose condition failed restricts as if it held (unless `on_error = "skip"`).
    let failed = |id: &str| {
        outcome.trace.iter().any(|t| matches!(t, Trace::Rule { id: i, result: RuleResult::Error { .. } } if i == id))
    };
    let denying = policy.rules.iter().find(|r| {
        r.deny.is_some()
            && (applied.contains(&r.id.as_str()) || (failed(&r.id) && r.on_error == action_core::ir::OnError::Restrict))
    });
    if let Some(rule) = denying {
        let how = if applied.contains(&rule.id.as_str()) { "deny" } else { "deny, its condition failed: fail closed" };
        return format!("rule `{}` ({how})", rule.id);
    }
    let gate_closed = outcome.trace.iter().any(|t| matches!(t, Trace::Gate { matched: false, .. }));
    if gate_closed {
        return "the gate (the request is not for this API)".into();
    }
    let fail_closed = outcome.trace.iter().any(|t| matches!(t, Trace::Note { source, .. } if source == "scopes"));
    let rules = applied.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
    match (applied.is_empty(), fail_closed) {
        (true, true) => "no rule held, so no scope was granted (fail closed)".into(),
        (true, false) => "no rule held".into(),
        (false, true) => format!("rules {rules} held but granted no scope (fail closed)"),
        (false, false) => format!("rules {rules}"),
    }
}

/// A decision as one readable line.
pub fn decision_line(d: &Decision) -> String {
    match d {
        Decision::SetClaim { token, name, value } => {
            format!(
                "set_claim {} {name:?} = {}",
                if *token == action_core::Token::Access { "access" } else { "id" },
                value.to_json()
            )
        }
        Decision::AddScope { scope } => format!("add_scope {scope}"),
        Decision::RemoveScope { scope } => format!("remove_scope {scope}"),
        Decision::Deny { reason } => format!("deny {reason:?}"),
        Decision::Fail { message } => format!("fail {message:?}"),
        Decision::MultifactorEnable { provider } => format!("multifactor_enable {provider}"),
        Decision::ChallengeWith { factor } => format!("challenge_with {factor}"),
        Decision::EnrollWith { factor } => format!("enroll_with {factor}"),
    }
}

/// The trace as readable lines (`rule admins: true`, `error [rule:x] ... => ...`,
/// `note [mfa] ...`).
pub fn trace_lines(outcome: &Outcome) -> Vec<String> {
    outcome
        .trace
        .iter()
        .map(|t| match t {
            Trace::Gate { api, matched } => {
                format!("gate {api}: {}", if *matched { "matched" } else { "not requested, nothing to do" })
            }
            Trace::Rule { id, result } => match result {
                RuleResult::True => format!("rule {id}: true"),
                RuleResult::False => format!("rule {id}: false"),
                RuleResult::Error { message } => format!("rule {id}: error: {message}"),
            },
            Trace::Error { source, message, effect } => format!("error [{source}] {message} => {effect}"),
            Trace::Note { source, message } => format!("note [{source}] {message}"),
        })
        .collect()
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
    for step in trace_lines(&run.actual) {
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

    #[test]
    fn diff_marks_missing_and_extra_lines() {
        let a: Vec<String> = ["x", "y", "z"].map(String::from).to_vec();
        let b: Vec<String> = ["x", "z", "w"].map(String::from).to_vec();
        assert_eq!(diff(&a, &b), [(' ', "x"), ('-', "y"), (' ', "z"), ('+', "w")]);
    }
}
