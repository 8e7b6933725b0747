//! `actionkit diff [PROJECT] --against REV|DIR`: what a policy change does to real logins before
//! it ships. Decides every fixture (recorded logins, any number) with the policy as it was and as
//! it is, exactly as the built Action decides in Auth0 (`policy::event::decide_as_the_action_does`,
//! the same path as `explain`), and reports each login whose outcome changes, grouped by change:
//! `12 logins lose express_configure:scim (now: rule contractors-no-scim (deny))`.
//!
//! `--format json` gives every changed login; `--format markdown` a summary table for a pull
//! request. Exit codes as every command: 0 no login changes, 1 some do (CI gates on it), 2 bad
//! input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use action_core::{Decision, Outcome};
use anyhow::Context as _;
use clap::Args;
use policy::Compiled;

use crate::printer::{plural, OutputFormat, Printer};
use crate::trace::{decision_line, determined_by};
use crate::{CommandError, CommandResult, Exit};

/// Arguments of `actionkit diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The project as it is now (holding `actionkit.toml`), or a policy file.
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// The version to compare with: another project directory or policy file, a git revision
    /// of this project (`main`, `HEAD~1`, a commit), or `live`: the Action deployed on the tenant
    /// (its compiled policy, read from its code; tenant options below).
    #[arg(long, value_name = "REV|DIR|live")]
    pub against: String,
    /// The logins to decide: a directory of fixtures (JSON events) [default: the project's].
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// The tenant, for `--against live`.
    #[command(flatten)]
    pub tenant: crate::tenant::TenantArgs,
}

/// One login whose outcome changes.
#[derive(Debug)]
struct ChangedLogin {
    fixture: PathBuf,
    before: Vec<String>,
    after: Vec<String>,
    changes: Vec<String>,
    cause: String,
}

/// Runs `actionkit diff`.
pub fn run(args: &DiffArgs, printer: &Printer) -> CommandResult {
    let Some((path, after)) = crate::inputs::load_compiled(&args.project, printer)? else {
        return Ok(Exit::Failure);
    };
    let before = if args.against == "live" {
        live_policy(args, printer)?
    } else {
        baseline(&args.project, &path, &args.against, printer)?.policy
    };
    let fixtures_dir = match &args.fixtures {
        Some(dir) => dir.clone(),
        None => {
            let manifest = manifest::Manifest::load(&args.project).map_err(CommandError::input)?;
            manifest.fixtures_dir(&args.project).map_err(CommandError::input)?
        }
    };
    let fixtures = crate::suite::list_fixtures(&fixtures_dir)?;
    let mut changed = Vec::new();
    for fixture in &fixtures {
        let event = crate::inputs::load_event(fixture)?;
        let old = policy::event::decide_as_the_action_does(&before, &event);
        let new = policy::event::decide_as_the_action_does(&after.policy, &event);
        if old.decisions == new.decisions {
            continue;
        }
        changed.push(ChangedLogin {
            fixture: fixture.clone(),
            before: old.decisions.iter().map(decision_line).collect(),
            after: new.decisions.iter().map(decision_line).collect(),
            changes: changes(&old, &new),
            cause: determined_by(&after.policy, &new),
        });
    }
    let groups = group(&changed);
    match printer.format() {
        OutputFormat::Json => printer.json(&serde_json::json!({
            "against": args.against,
            "compared": fixtures.len(),
            "changed": changed.len(),
            "groups": groups.iter().map(|((change, cause), logins)| serde_json::json!({
                "change": change,
                "now_determined_by": cause,
                "count": logins.len(),
                "logins": logins.iter().map(|l| &l.fixture).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "logins": changed.iter().map(|l| serde_json::json!({
                "fixture": l.fixture,
                "before": l.before,
                "after": l.after,
                "changes": l.changes,
                "now_determined_by": l.cause,
            })).collect::<Vec<_>>(),
        })),
        OutputFormat::Text if printer.markdown() => {
            printer.out(markdown(&args.against, fixtures.len(), &changed, &groups))
        }
        OutputFormat::Text => {
            for ((change, cause), logins) in &groups {
                let n = logins.len();
                printer.out(format_args!("{n} login{} {}: {change} (now: {cause})", plural(n), verb(n)));
                printer.out(format_args!("    {}", examples(logins, &fixtures_dir, 5)));
            }
            let n = changed.len();
            printer.out(format_args!(
                "{} login{} compared against `{}`: {n} changed, {} unchanged",
                fixtures.len(),
                plural(fixtures.len()),
                args.against,
                fixtures.len() - n
            ));
        }
    }
    Ok(if changed.is_empty() { Exit::Success } else { Exit::Failure })
}

fn verb(n: usize) -> &'static str {
    if n == 1 {
        "changes"
    } else {
        "change"
    }
}

/// What changed for one login, in words (scopes, denial, claims, MFA).
fn changes(before: &Outcome, after: &Outcome) -> Vec<String> {
    let scopes = |o: &Outcome| -> Vec<String> {
        o.decisions
            .iter()
            .filter_map(|d| if let Decision::AddScope { scope } = d { Some(scope.clone()) } else { None })
            .collect()
    };
    let denial = |o: &Outcome| {
        o.decisions.iter().find_map(|d| match d {
            Decision::Deny { reason } => Some(format!("denied ({reason:?})")),
            Decision::Fail { message } => Some(format!("failed ({message:?})")),
            _ => None,
        })
    };
    let claims = |o: &Outcome| -> BTreeMap<String, String> {
        o.decisions
            .iter()
            .filter_map(|d| match d {
                Decision::SetClaim { token, name, value } => Some((
                    format!("{} {name}", if *token == action_core::Token::Access { "access" } else { "id" }),
                    value.to_json(),
                )),
                _ => None,
            })
            .collect()
    };
    let mfa = |o: &Outcome| -> Vec<String> {
        o.decisions
            .iter()
            .filter(|d| {
                matches!(
                    d,
                    Decision::MultifactorEnable { .. } | Decision::ChallengeWith { .. } | Decision::EnrollWith { .. }
                )
            })
            .map(decision_line)
            .collect()
    };
    let mut out = Vec::new();
    let (old, new) = (scopes(before), scopes(after));
    for scope in old.iter().filter(|s| !new.contains(s)) {
        out.push(format!("lose {scope}"));
    }
    for scope in new.iter().filter(|s| !old.contains(s)) {
        out.push(format!("gain {scope}"));
    }
    match (denial(before), denial(after)) {
        (None, Some(now)) => out.push(format!("are now {now}")),
        (Some(was), None) => out.push(format!("are no longer {was}")),
        (Some(was), Some(now)) if was != now => out.push(format!("are {now} instead of {was}")),
        _ => {}
    }
    let (old, new) = (claims(before), claims(after));
    for (claim, value) in &new {
        match old.get(claim) {
            None => out.push(format!("gain the {claim} claim")),
            Some(was) if was != value => out.push(format!("get another {claim} claim")),
            _ => {}
        }
    }
    for claim in old.keys().filter(|c| !new.contains_key(*c)) {
        out.push(format!("lose the {claim} claim"));
    }
    let (old, new) = (mfa(before), mfa(after));
    if old != new {
        let show = |steps: &[String]| if steps.is_empty() { "none".to_string() } else { steps.join(", ") };
        out.push(format!("get other MFA steps ({} instead of {})", show(&new), show(&old)));
    }
    if out.is_empty() {
        // Same effects in another order, or another decision kind: still a change.
        out.push("get other decisions".into());
    }
    out
}

type Groups<'a> = BTreeMap<(String, String), Vec<&'a ChangedLogin>>;

/// Logins grouped by each change they undergo and what now determines their outcome; the
/// largest group first.
fn group(changed: &[ChangedLogin]) -> Vec<((String, String), Vec<&ChangedLogin>)> {
    let mut groups: Groups<'_> = BTreeMap::new();
    for login in changed {
        for change in &login.changes {
            groups.entry((change.clone(), login.cause.clone())).or_default().push(login);
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    groups
}

fn examples(logins: &[&ChangedLogin], dir: &Path, max: usize) -> String {
    let names: Vec<String> = logins
        .iter()
        .take(max)
        .map(|l| l.fixture.strip_prefix(dir).unwrap_or(&l.fixture).display().to_string())
        .collect();
    let more = logins.len().saturating_sub(max);
    if more > 0 {
        format!("{} (+{more} more)", names.join(", "))
    } else {
        names.join(", ")
    }
}

fn markdown(
    against: &str,
    compared: usize,
    changed: &[ChangedLogin],
    groups: &[((String, String), Vec<&ChangedLogin>)],
) -> String {
    let mut out = format!("### Policy impact against `{against}`\n\n");
    if changed.is_empty() {
        out.push_str(&format!("No change on {compared} recorded login{}.\n", plural(compared)));
        return out;
    }
    out.push_str(&format!(
        "**{} of {compared} login{} change.**\n\n| logins | change | now determined by |\n|---:|---|---|\n",
        changed.len(),
        plural(compared)
    ));
    for ((change, cause), logins) in groups {
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!("| {} | {} | {} |\n", logins.len(), cell(change), cell(cause)));
    }
    out
}

/// The policy the Action deployed on the tenant decides with: its deployed version's code, the
/// compiled policy read back from it.
fn live_policy(args: &DiffArgs, printer: &Printer) -> Result<action_core::ir::Policy, CommandError> {
    let manifest = manifest::Manifest::load(&args.project).map_err(CommandError::input)?;
    let manifest = crate::tenant::for_environment(manifest, &args.tenant).map_err(CommandError::input)?;
    let name = &manifest.action.name;
    let client = crate::tenant::client(&args.tenant, printer).map_err(crate::tenant::command_error)?;
    let live = deploy::read_live(&client, name, "post-login").map_err(crate::tenant::command_error)?;
    let Some(code) = live.action.and_then(|a| a.deployed_version).and_then(|v| v.code) else {
        return Err(anyhow::anyhow!("Action `{name}` has no deployed version on the tenant to compare with").into());
    };
    // Only the policy that really runs: the IR text is trusted once it is shown to pre-load into
    // exactly the deployed engine module.
    let ir =
        codegen::render::verified_policy_ir_of(&crate::engine_wasm::ENGINE_WASM, &code).map_err(CommandError::input)?;
    action_core::ir::decode(ir.as_bytes())
        .map_err(|e| anyhow::anyhow!("the deployed `{name}`'s compiled policy does not decode ({e:?}); it was built by another actionkit version").into())
}

/// The policy to compare with: a directory or policy file, else a git revision of the project.
fn baseline(project: &Path, policy_now: &Path, against: &str, printer: &Printer) -> Result<Compiled, CommandError> {
    let quiet = Printer::quiet();
    if Path::new(against).exists() {
        return match crate::inputs::load_compiled(Path::new(against), &quiet)? {
            Some((_, compiled)) => Ok(compiled),
            None => {
                Err(anyhow::anyhow!("the policy of `{against}` has errors (`actionkit check {against}` shows them)")
                    .into())
            }
        };
    }
    // The policy file as committed at `against`, found the same way (its manifest, if any).
    let dir =
        if project.is_dir() { project.to_path_buf() } else { project.parent().unwrap_or(Path::new(".")).to_path_buf() };
    let relative = policy_now.strip_prefix(&dir).unwrap_or(policy_now);
    let prefix = git(&dir, &["rev-parse", "--show-prefix"])?;
    let spec = format!("{against}:{}{}", prefix.trim(), relative.display());
    let text = git(&dir, &["show", &spec])?;
    match policy::compile(&text, &spec) {
        Ok(compiled) => Ok(compiled),
        Err(diags) => {
            crate::inputs::print_diagnostics(printer, &spec, &diags);
            Err(anyhow::anyhow!("the policy at `{against}` does not compile").into())
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<String, CommandError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .with_context(|| format!("cannot run `git {}`", args.join(" ")))?;
    if !output.status.success() {
        return Err(anyhow::anyhow!(
            "`git {}` failed: {} (`--against` takes a directory, a policy file or a git revision)",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
