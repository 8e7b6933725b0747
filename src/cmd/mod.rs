//! One module per subcommand: `XArgs` (clap) plus `run(&XArgs, &Printer) -> anyhow::Result<Exit>`.
