//! `actionkit init [DIR] --preset NAME`: a new project that builds and tests out of the box.

use std::path::PathBuf;

use clap::Args;
use codegen::scaffold::{scaffold, Preset};

use crate::printer::{OutputFormat, Printer};
use crate::{CommandError, CommandResult, Exit};

/// The presets, as clap values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PresetArg {
    /// Auth0's guide: home-realm discovery domains, scopes from user attributes, MFA.
    ExpressConfigure,
    /// Okta's guide: sp_client_id, management_api_audience and init_login_uri claims.
    OktaExpressConfigure,
}

impl From<PresetArg> for Preset {
    fn from(arg: PresetArg) -> Preset {
        match arg {
            PresetArg::ExpressConfigure => Preset::ExpressConfigure,
            PresetArg::OktaExpressConfigure => Preset::OktaExpressConfigure,
        }
    }
}

/// Arguments of `actionkit init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new project's directory (must not exist, or be empty).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// The preset to start from.
    #[arg(long, value_enum, default_value = "express-configure")]
    pub preset: PresetArg,
    /// The Auth0 Action name [default: the preset's].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// Runs `actionkit init`.
pub fn run(args: &InitArgs, printer: &Printer) -> CommandResult {
    let preset = Preset::from(args.preset);
    let files = scaffold(&args.dir, preset, args.name.as_deref()).map_err(CommandError::input)?;
    printer.status("Created", format_args!("`{}` from preset `{}`", args.dir.display(), preset.name()));
    let paths: Vec<std::path::PathBuf> = files.iter().map(|file| args.dir.join(file)).collect();
    match printer.format() {
        OutputFormat::Json => printer.json(&serde_json::json!({ "project": args.dir, "files": paths })),
        OutputFormat::Text => paths.iter().for_each(|path| printer.out(path.display())),
    }
    // Record the fixtures' outcomes so `actionkit test` passes out of the box.
    if !crate::suite::record_snapshots(&args.dir)? {
        printer.warn("recording the fixtures' snapshots failed; run `actionkit test` to see why");
        return Ok(Exit::Failure);
    }
    printer.status("Recorded", "the fixtures' outcomes in fixtures/snapshots/");
    printer.status("Next", format_args!("actionkit test {0} && actionkit build {0}", args.dir.display()));
    Ok(Exit::Success)
}
