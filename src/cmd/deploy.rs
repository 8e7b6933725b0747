//! `actionkit deploy [PROJECT] [--plan | --apply]`: put the generated Action live on an Auth0
//! tenant. Reads the live state, prints the plan (stdout), and with `--apply` carries it out
//! (status on stderr). See `docs/deploy.md`.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use deploy::express::{self, Action, ExpressDesired, ExpressPlan, Mode};
use deploy::{self, Dependency, DeployError, Desired, PlanOptions, PollPolicy, SecretValues, TriggerRef};
use manifest::ExpressConfigurationSection;

use crate::printer::{OutputFormat, Printer};
use crate::suite::ShipGate;
use crate::tenant::{client, for_environment, TenantArgs};
use crate::{CommandError, CommandResult, Exit};

/// Arguments of `actionkit deploy`. Credentials come from the environment only
/// (`AUTH0_CLIENT_ID` + `AUTH0_CLIENT_SECRET`, or `AUTH0_ACCESS_TOKEN`), never from flags, so
/// they do not end up in shell history or process lists.
#[derive(Debug, Args)]
#[command(after_help = crate::tenant::CREDENTIALS_HELP)]
pub struct DeployArgs {
    /// The project directory (holding `actionkit.toml`).
    #[arg(value_name = "PROJECT", default_value = ".")]
    pub project: PathBuf,
    /// Print what would change and change nothing (the default when not on a terminal).
    #[arg(long, conflicts_with = "apply")]
    pub plan: bool,
    /// Same as `--plan`.
    #[arg(long, conflicts_with = "apply")]
    pub dry_run: bool,
    /// Carry out the plan without asking.
    #[arg(long)]
    pub apply: bool,
    /// Remove what deploy put on the tenant: unbind the Action (other bindings keep their
    /// order), delete it and, with `[express_configuration]`, the OIN client, its grant, the
    /// role and the API. Plans like a deploy; writes only with `--apply`.
    #[arg(long, conflicts_with_all = ["rotate_secrets", "authoritative"])]
    pub destroy: bool,
    /// Put the code of an earlier deployed version (its number) live again. Plans like a deploy;
    /// writes only with `--apply`. The next deploy ships the project's code again.
    #[arg(long, value_name = "VERSION", conflicts_with_all = ["rotate_secrets", "authoritative", "destroy"])]
    pub rollback: Option<u64>,
    /// Exit codes as Terraform's `plan -detailed-exitcode`: 0 no changes, 2 changes present, 1
    /// error (for CI jobs that act on whether the tenant is up to date).
    #[arg(long, conflicts_with = "apply")]
    pub detailed_exitcode: bool,
    /// The tenant and how to talk to it.
    #[command(flatten)]
    pub tenant: TenantArgs,
    /// Make the post-login flow exactly this Action, unbinding every other one.
    #[arg(long)]
    pub authoritative: bool,
    /// Deploy even though inline tests or fixture snapshots fail (says so loudly).
    #[arg(long)]
    pub allow_failing_tests: bool,
    /// Send every secret value again (Auth0 cannot show values, so this is how to change one).
    #[arg(long)]
    pub rotate_secrets: bool,
    /// Let secrets go that the tenant has and the policy no longer reads (Auth0 erases them when
    /// the list is sent without them). Without it they are kept.
    #[arg(long)]
    pub retire_secrets: bool,
    /// Give up waiting for a build or deploy after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 360, env = "ACTIONKIT_BUILD_TIMEOUT")]
    pub build_timeout: u64,
    /// First pause between build polls in milliseconds (tests make it small).
    #[arg(long, hide = true, default_value_t = 500, env = "ACTIONKIT_POLL_MS")]
    pub poll_ms: u64,
}

/// Runs `actionkit deploy`.
pub fn run(args: &DeployArgs, printer: &Printer) -> CommandResult {
    let result = run_deploy(args, printer);
    if !args.detailed_exitcode {
        return result;
    }
    // Terraform's codes: whatever went wrong is 1, never 2 ("changes present") or 3.
    match result {
        Ok(Exit::Failure) => Ok(Exit::Detailed(DETAILED_ERROR)),
        Err(err) if !matches!(err.exit(), Exit::Detailed(_)) => {
            if !err.reported() {
                printer.diagnostic(err.diagnostic());
            }
            Err(CommandError::silent(Exit::Detailed(DETAILED_ERROR)))
        }
        other => other,
    }
}

fn run_deploy(args: &DeployArgs, printer: &Printer) -> CommandResult {
    if args.destroy || args.rollback.is_some() {
        // Taking down or rolling back needs neither the policy nor its tests: the manifest
        // names the Action, the tenant keeps its versions.
        let manifest = manifest::Manifest::load(&args.project)
            .and_then(|m| for_environment(m, &args.tenant))
            .map_err(CommandError::input)?;
        let result = match args.rollback {
            Some(number) => rollback(args, printer, &manifest, number),
            None => destroy(args, printer, &manifest),
        };
        return exit_of(args, result);
    }
    let Some(mut project) = crate::inputs::load_project(&args.project, printer)? else {
        return Ok(Exit::Failure);
    };
    project.manifest = for_environment(project.manifest, &args.tenant).map_err(CommandError::input)?;
    let Some(code) = crate::suite::render(&project, printer) else {
        return Ok(Exit::Failure);
    };
    // What fails its tests does not ship. A plan still shows what would change, and says that
    // an apply would be refused.
    let gate = crate::suite::ship_gate(&project, &code, printer)?;
    let shippable = if args.apply {
        if !gate.allows(args.allow_failing_tests, "deploy", printer) {
            return Ok(Exit::Failure);
        }
        true
    } else {
        if let (ShipGate::Fail(count), false) = (&gate, args.allow_failing_tests) {
            printer.warn(format_args!("{count}: an apply would be refused (--allow-failing-tests overrides)"));
        }
        gate == ShipGate::Pass || args.allow_failing_tests
    };
    let manifest = &project.manifest;
    let desired = Desired {
        name: manifest.action.name.clone(),
        code,
        runtime: manifest.action.runtime.clone(),
        trigger: TriggerRef { id: POST_LOGIN.into(), version: "v3".into() },
        secret_names: project.compiled.policy.secrets.clone(),
        position: manifest.deploy.binding.clone(),
        // Sorted by name (a BTreeMap), as the plan compares them.
        dependencies: manifest
            .action
            .dependencies
            .iter()
            .map(|(name, version)| Dependency { name: name.clone(), version: version.clone() })
            .collect(),
    };
    let env_file = manifest.deploy.secrets_env_file.as_ref().map(|f| project.dir.join(f));
    let express = manifest.express_configuration.as_ref().map(|section| (section, project.dir.as_path()));
    exit_of(args, deploy(args, shippable, printer, &desired, env_file, express))
}

/// The exit code of a deploy, destroy or rollback run (a plan with changes is Terraform's 2 with
/// `--detailed-exitcode`).
fn exit_of(args: &DeployArgs, result: Result<Outcome, DeployError>) -> CommandResult {
    match result {
        Ok(Outcome::UpToDate) => Ok(Exit::Success),
        Ok(Outcome::Planned) if args.detailed_exitcode => Ok(Exit::Detailed(DETAILED_CHANGES)),
        Ok(Outcome::Planned | Outcome::Applied) => Ok(Exit::Success),
        Err(err) => Err(crate::tenant::command_error(err)),
    }
}

/// `--destroy`: plan the removal, print it, and with `--apply` carry it out.
fn destroy(args: &DeployArgs, printer: &Printer, manifest: &manifest::Manifest) -> Result<Outcome, DeployError> {
    let client = client(&args.tenant, printer)?;
    let express = match &manifest.express_configuration {
        // The key file is not needed to remove the client that holds the key.
        Some(section) => {
            let section = ExpressConfigurationSection { public_key: None, ..section.clone() };
            Some(ExpressDesired::from_manifest(&section, &args.project, &client.config().audience)?)
        }
        None => None,
    };
    let plan = deploy::destroy::plan_destroy(&client, &manifest.action.name, POST_LOGIN, express.as_ref())?;
    match printer.format() {
        OutputFormat::Text => printer.out(format_args!("{}", plan.to_string().trim_end())),
        OutputFormat::Json => printer.json(&serde_json::json!({ "destroy": plan, "changes": plan.has_changes() })),
    }
    if !plan.has_changes() {
        printer.status("Up to date", format_args!("nothing of `{}` is left on the tenant", manifest.action.name));
        return Ok(Outcome::UpToDate);
    }
    if !should_apply(args) {
        printer.status("Planned", "no changes made; run `actionkit deploy --destroy --apply` to carry out this plan");
        return Ok(Outcome::Planned);
    }
    let progress = |verb: &str, message: &str| printer.status(verb, message);
    deploy::destroy::destroy(&client, &plan, &progress)?;
    let writes = client.writes();
    printer.status(
        "Destroyed",
        format_args!("`{}`: {writes} write{}", manifest.action.name, crate::printer::plural(writes as usize)),
    );
    Ok(Outcome::Applied)
}

/// `--rollback N`: plan putting version N's code live again, print it, and with `--apply` do it.
fn rollback(
    args: &DeployArgs,
    printer: &Printer,
    manifest: &manifest::Manifest,
    number: u64,
) -> Result<Outcome, DeployError> {
    let client = client(&args.tenant, printer)?;
    let plan = deploy::plan_rollback(&client, &manifest.action.name, number)?;
    match printer.format() {
        OutputFormat::Text => printer.out(format_args!("{}", plan.to_string().trim_end())),
        OutputFormat::Json => printer.json(&serde_json::json!({ "rollback": plan, "changes": !plan.unchanged })),
    }
    if plan.unchanged {
        printer.status("Up to date", format_args!("version {number}'s code is live"));
        return Ok(Outcome::UpToDate);
    }
    if !should_apply(args) {
        printer
            .status("Planned", "no changes made; run `actionkit deploy --rollback N --apply` to carry out this plan");
        return Ok(Outcome::Planned);
    }
    let progress = |verb: &str, message: &str| printer.status(verb, message);
    deploy::rollback(&client, &plan, poll_policy(args), &progress)?;
    Ok(Outcome::Applied)
}

fn poll_policy(args: &DeployArgs) -> PollPolicy {
    PollPolicy {
        initial: Duration::from_millis(args.poll_ms),
        max: Duration::from_millis(args.poll_ms.saturating_mul(10)).min(Duration::from_secs(5)),
        timeout: Duration::from_secs(args.build_timeout),
    }
}

/// The trigger the Action is made for and bound to.
const POST_LOGIN: &str = "post-login";

/// `--detailed-exitcode`: Terraform's code for a plan with changes.
const DETAILED_CHANGES: u8 = 2;
/// `--detailed-exitcode`: Terraform's code for an error.
const DETAILED_ERROR: u8 = 1;

/// How a deploy run ended.
enum Outcome {
    /// Nothing to change.
    UpToDate,
    /// Changes planned, none made.
    Planned,
    /// Changes made.
    Applied,
}

fn deploy(
    args: &DeployArgs,
    shippable: bool,
    printer: &Printer,
    desired: &Desired,
    env_file: Option<PathBuf>,
    express: Option<(&ExpressConfigurationSection, &Path)>,
) -> Result<Outcome, DeployError> {
    let client = client(&args.tenant, printer)?;
    // Read and check the setup's inputs (the .pem) before the first request.
    let express = match express {
        Some((section, dir)) => Some(ExpressDesired::from_manifest(section, dir, &client.config().audience)?),
        None => None,
    };
    let live = deploy::read_live(&client, &desired.name, &desired.trigger.id)?;
    // Values for our names and for names already on the tenant (to keep those when the list
    // must be re-sent).
    let mut names: BTreeSet<String> = desired.secret_names.iter().cloned().collect();
    if let Some(action) = &live.action {
        names.extend(action.secrets.iter().map(|s| s.name.clone()));
    }
    let names: Vec<String> = names.into_iter().collect();
    // A plan needs secret names only: pull-request jobs have no secrets, and a secrets file
    // that is not there is the same as one without values. Applying checks every value.
    let plan_only = !args.apply;
    let env_file = env_file.filter(|file| !plan_only || file.is_file());
    let values = SecretValues::load(&names, env_file.as_deref(), |n| std::env::var(n).ok())?;
    let options = PlanOptions {
        rotate_secrets: args.rotate_secrets,
        authoritative: args.authoritative,
        plan_only,
        retire_secrets: args.retire_secrets,
    };
    let plan = deploy::plan(desired, &live, &values, options)?;
    // Missing values are notes in a plan; such a plan is never offered for applying.
    let shippable = shippable && !plan.values_missing;
    let express_plan = match &express {
        Some(d) => Some(express::reconcile(&client, d, Mode::Plan)?),
        None => None,
    };
    let setup_changes = express_plan.as_ref().is_some_and(ExpressPlan::has_changes);
    match printer.format() {
        OutputFormat::Text => {
            printer.out(format_args!("{}", plan.to_string().trim_end()));
            if let Some(setup) = &express_plan {
                printer.out(format_args!("{}", setup.to_string().trim_end()));
            }
        }
        OutputFormat::Json => {
            let json = serde_json::json!({
                "action": plan,
                "express_configuration": express_plan,
                "changes": plan.has_changes() || setup_changes,
                "notes": plan.notes,
            });
            printer.json(&json);
        }
    }
    if !plan.has_changes() && !setup_changes {
        printer.status("Up to date", format_args!("`{}` is deployed and bound; nothing to do", desired.name));
        return Ok(Outcome::UpToDate);
    }
    // Without `--apply`, a project whose tests fail is never offered for applying.
    if !shippable || !should_apply(args) {
        printer.status("Planned", "no changes made; run `actionkit deploy --apply` to carry out this plan");
        return Ok(Outcome::Planned);
    }
    // Auth0 has no ETags: plan again just before writing and refuse if anything moved since the
    // plan was read (or shown to a person), so no write rests on a stale read: a secret added
    // meanwhile would be erased by a whole-list PATCH, a scope added meanwhile dropped.
    let again = deploy::read_live(&client, &desired.name, &desired.trigger.id)?;
    if deploy::plan(desired, &again, &values, options)? != plan {
        return Err(DeployError::Changed {
            what: format!("Action `{}` or the {} flow", desired.name, desired.trigger.id),
        });
    }
    if let Some(d) = &express {
        if Some(express::reconcile(&client, d, Mode::Plan)?) != express_plan {
            return Err(DeployError::Changed { what: "the Express Configuration setup".into() });
        }
    }
    let poll = poll_policy(args);
    let progress = |verb: &str, message: &str| printer.status(verb, message);
    let mut summary = String::new();
    if plan.has_changes() {
        let report = deploy::apply(&client, desired, &plan, &values, poll, &progress)?;
        let version = report.deployed_version.map(|v| format!(", version {v} live")).unwrap_or_default();
        summary = format!("`{}` ({}){version}", desired.name, report.action_id);
    }
    if let (Some(d), true) = (&express, setup_changes) {
        // Re-read and write in one pass: the setup may have changed since the plan.
        let done = express::reconcile(&client, d, Mode::Apply)?;
        for change in &done.0 {
            match change.action {
                Action::Create => printer.status("Created", change.label()),
                Action::Update => printer.status("Updated", change.label()),
                Action::Unchanged | Action::ReadOnly => {}
            }
        }
        if summary.is_empty() {
            summary = "the Express Configuration setup".into();
        }
    }
    let writes = client.writes();
    printer.status("Applied", format_args!("{summary}: {writes} write{}", crate::printer::plural(writes as usize)));
    Ok(Outcome::Applied)
}

/// `--apply` applies; `--plan`/`--dry-run` or no terminal only plan; on a terminal, ask.
fn should_apply(args: &DeployArgs) -> bool {
    if args.apply {
        return true;
    }
    if args.plan || args.dry_run || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprint!("Apply this plan? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes")
}
