//! `actionkit init [DIR] --preset NAME`: a new project that builds and tests out of the box.

use std::path::PathBuf;

use clap::Args;
use codegen::scaffold::{scaffold, Preset};

use crate::printer::Printer;
use crate::Exit;

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
pub fn run(args: &InitArgs, printer: &Printer) -> anyhow::Result<Exit> {
    let preset = Preset::from(args.preset);
    match scaffold(&args.dir, preset, args.name.as_deref()) {
        Ok(files) => {
            printer.status("Created", format_args!("`{}` from preset `{}`", args.dir.display(), preset.name()));
            for file in files {
                printer.out(args.dir.join(file).display());
            }
            // Record the fixtures' outcomes so `actionkit test` passes out of the box.
            let quiet = Printer::new(crate::printer::ColorChoice::Never, true);
            if !crate::suite::record_snapshots(&args.dir, &quiet)? {
                printer.warn("recording the fixtures' snapshots failed; run `actionkit test` to see why");
                return Ok(Exit::Failure);
            }
            printer.status("Recorded", "the fixtures' outcomes in fixtures/snapshots/");
            printer.status("Next", format_args!("actionkit test {0} && actionkit build {0}", args.dir.display()));
            Ok(Exit::Success)
        }
        Err(err) => {
            printer.diagnostic(err);
            Ok(Exit::Failure)
        }
    }
}
