//! Where the CLI's words go: results on stdout, status, warnings and errors on stderr, with
//! bold coloured status words (`error:` red, `warning:` yellow) when stderr is a terminal.

use std::io::{IsTerminal, Write};

/// When to colour stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How diagnostics (policy and manifest problems) are rendered on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ErrorFormat {
    /// miette's graphical report: source excerpt, labelled span, help.
    #[default]
    Human,
    /// The same information as plain sentences (screen readers, simple logs).
    Plain,
    /// One JSON object per diagnostic (message, code, severity, help, labels with offsets).
    Json,
}

/// The CLI's output channel.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    color: bool,
    quiet: bool,
    error_format: ErrorFormat,
}

impl Printer {
    /// A printer for the given colour choice; `quiet` silences status lines.
    pub fn new(choice: ColorChoice, quiet: bool) -> Printer {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
        };
        Printer { color, quiet, error_format: ErrorFormat::Human }
    }

    /// The same printer rendering diagnostics in `format`.
    pub fn with_error_format(self, error_format: ErrorFormat) -> Printer {
        Printer { error_format, ..self }
    }

    fn word(&self, word: &str, ansi: &str) -> String {
        if self.color {
            format!("\x1b[1;{ansi}m{word}\x1b[0m")
        } else {
            word.to_string()
        }
    }

    /// A result line on stdout.
    pub fn out(&self, line: impl std::fmt::Display) {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`actionkit ... | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{line}");
    }

    /// A status line on stderr, with a bold green verb like Cargo's (`Built`, `Passed`).
    pub fn status(&self, verb: &str, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{:>12} {message}", self.word(verb, "32"));
        }
    }

    /// `warning: ...` on stderr.
    pub fn warn(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{} {message}", self.word("warning:", "33"));
        }
    }

    /// `error: ...` on stderr (never silenced).
    pub fn error(&self, message: impl std::fmt::Display) {
        eprintln!("{} {message}", self.word("error:", "31"));
    }

    /// A miette diagnostic (policy or manifest problem), rendered graphically on stderr with
    /// its labelled source span and help.
    pub fn diagnostic(&self, diagnostic: impl miette::Diagnostic + Send + Sync + 'static) {
        eprint!("{}", self.render_diagnostic(&diagnostic));
    }

    /// The text [`Printer::diagnostic`] prints.
    pub fn render_diagnostic(&self, diagnostic: &dyn miette::Diagnostic) -> String {
        let mut out = String::new();
        let rendered = match self.error_format {
            ErrorFormat::Human => {
                let theme = if self.color {
                    miette::GraphicalTheme::unicode()
                } else {
                    miette::GraphicalTheme::unicode_nocolor()
                };
                miette::GraphicalReportHandler::new_themed(theme).with_width(100).render_report(&mut out, diagnostic)
            }
            ErrorFormat::Plain => miette::NarratableReportHandler::new().render_report(&mut out, diagnostic),
            ErrorFormat::Json => {
                let result = miette::JSONReportHandler::new().render_report(&mut out, diagnostic);
                out.push('\n');
                result
            }
        };
        if rendered.is_err() {
            out = format!("error: {diagnostic}\n");
        }
        out
    }

    /// The warnings of a policy that compiled.
    pub fn policy_warnings(&self, compiled: &policy::Compiled) {
        if !self.quiet {
            for warning in &compiled.warnings {
                eprint!("{}", self.render_diagnostic(warning));
            }
        }
    }

    /// A fatal error with its chain of causes, uv-style.
    pub fn fatal(&self, err: &anyhow::Error) {
        self.error(err);
        for cause in err.chain().skip(1) {
            eprintln!("  {} {cause}", self.word("Caused by:", "1"));
        }
    }
}

/// The plural `s` of a count's noun: `1 error`, `2 errors`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
