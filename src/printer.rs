//! Where the CLI's words go, one way for every command:
//!
//! - **stdout** carries results only: text, or with `--format json` exactly one JSON document.
//! - **stderr** carries status lines, warnings, errors and diagnostics: coloured text, or with
//!   `--error-format json` one JSON object per line, nothing else.
//!
//! Colour goes through `anstream`, so `--color`, `NO_COLOR`, `CLICOLOR` and `CLICOLOR_FORCE`
//! are honoured as specified and styles never count toward column widths.

use std::io::Write;

use anstyle::{AnsiColor, Style};

/// When to colour stderr (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal, unless `NO_COLOR` or `CLICOLOR=0` says otherwise
    /// (`CLICOLOR_FORCE` colours even when it is not).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// How results are printed on stdout (`--format`), as a command sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// Text for people.
    #[default]
    Text,
    /// One JSON document, for scripts and CI (schemas: docs/cli.md).
    Json,
}

/// The values of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FormatArg {
    /// Text for people.
    #[default]
    #[value(alias = "human")]
    Text,
    /// One JSON document, for scripts and CI (schemas: docs/cli.md).
    Json,
    /// A Markdown summary, for a pull-request comment (`diff` only).
    Markdown,
}

/// How diagnostics, warnings and status lines are rendered on stderr (`--error-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ErrorFormat {
    /// miette's graphical report: source excerpt, labelled span, help.
    #[default]
    Human,
    /// The same information as plain sentences (screen readers, simple logs).
    Plain,
    /// One JSON object per line: diagnostics as miette writes them (`message`, `code`,
    /// `severity`, `help`, `labels`, `causes`), status lines as `{"severity": "info", "status",
    /// "message"}`.
    Json,
}

/// Width of the right-aligned status word, as Cargo's.
const STATUS_WIDTH: usize = 12;

const STATUS: Style = AnsiColor::Green.on_default().bold();
const FAILED: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();

/// The CLI's output channel.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    quiet: bool,
    format: FormatArg,
    error_format: ErrorFormat,
}

impl Printer {
    /// A printer for `--color WHEN`; `quiet` silences status lines and warnings. Sets the
    /// process-wide colour choice `anstream` applies to stderr and stdout.
    pub fn new(choice: ColorChoice, quiet: bool) -> Printer {
        let global = match choice {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        };
        global.write_global();
        Printer { quiet, format: FormatArg::Text, error_format: ErrorFormat::Human }
    }

    /// A printer that prints no status line (for work a command does on the side).
    pub fn quiet() -> Printer {
        Printer { quiet: true, format: FormatArg::Text, error_format: ErrorFormat::Human }
    }

    /// The same printer with results in `format` and diagnostics in `error_format`.
    pub fn with_formats(self, format: FormatArg, error_format: ErrorFormat) -> Printer {
        Printer { format, error_format, ..self }
    }

    /// How results go to stdout: JSON, or text (Markdown is text for all but `diff`, and `main`
    /// refuses it for the others).
    pub fn format(&self) -> OutputFormat {
        match self.format {
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Text | FormatArg::Markdown => OutputFormat::Text,
        }
    }

    /// Whether `--format markdown` was asked for.
    pub fn markdown(&self) -> bool {
        self.format == FormatArg::Markdown
    }

    /// Whether stderr gets colour (after `--color` and the environment).
    fn stderr_colored(&self) -> bool {
        anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
    }

    /// A result line on stdout.
    pub fn out(&self, line: impl std::fmt::Display) {
        let mut stdout = anstream::stdout().lock();
        // A closed pipe (`actionkit ... | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{line}");
    }

    /// The one JSON document of `--format json` on stdout.
    pub fn json(&self, value: &serde_json::Value) {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
        self.out(text);
    }

    fn line(&self, severity: &str, status: Option<&str>, style: Style, word: &str, message: &str) {
        let mut stderr = anstream::stderr().lock();
        let _ = if self.error_format == ErrorFormat::Json {
            let mut object = serde_json::json!({ "severity": severity, "message": message });
            if let Some(status) = status {
                object["status"] = status.into();
            }
            writeln!(stderr, "{object}")
        } else if status.is_some() {
            // Padded inside the style, so escape codes never shift the columns.
            writeln!(stderr, "{style}{word:>STATUS_WIDTH$}{style:#} {message}")
        } else {
            writeln!(stderr, "{style}{word}{style:#} {message}")
        };
    }

    /// A status line on stderr, with a bold green word right-aligned like Cargo's (`Built`).
    pub fn status(&self, word: &str, message: impl std::fmt::Display) {
        if !self.quiet {
            self.line("info", Some(word), STATUS, word, &message.to_string());
        }
    }

    /// A failed result, aligned with [`Printer::status`] lines (`FAILED name ...`), never silenced.
    pub fn failed(&self, word: &str, message: impl std::fmt::Display) {
        self.line("error", Some(word), FAILED, word, &message.to_string());
    }

    /// Lines that belong to the line printed before (a diff, a trace), indented under it.
    pub fn detail(&self, text: &str) {
        if self.error_format == ErrorFormat::Json {
            // Already part of the JSON object of the result it explains.
            return;
        }
        let mut stderr = anstream::stderr().lock();
        for line in text.lines() {
            let _ = writeln!(stderr, "{:STATUS_WIDTH$} {line}", "");
        }
    }

    /// `warning: ...` on stderr.
    pub fn warn(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            self.line("warning", None, WARNING, "warning:", &message.to_string());
        }
    }

    /// `error: ...` on stderr (never silenced).
    pub fn error(&self, message: impl std::fmt::Display) {
        self.line("error", None, ERROR, "error:", &message.to_string());
    }

    /// A diagnostic (policy, manifest, tenant or input problem) on stderr: its message, labelled
    /// source span, causes and help.
    pub fn diagnostic(&self, diagnostic: &dyn miette::Diagnostic) {
        let mut stderr = anstream::stderr().lock();
        let _ = stderr.write_all(self.render_diagnostic(diagnostic).as_bytes());
    }

    /// The text [`Printer::diagnostic`] prints.
    pub fn render_diagnostic(&self, diagnostic: &dyn miette::Diagnostic) -> String {
        let mut out = String::new();
        let rendered = match self.error_format {
            ErrorFormat::Human => {
                let theme = if self.stderr_colored() {
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
                self.diagnostic(warning);
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_are_padded_outside_their_escape_codes() {
        let styled = format!("{STATUS}{:>STATUS_WIDTH$}{STATUS:#}", "ok");
        let plain: String = anstream::adapter::strip_str(&styled).to_string();
        assert_eq!(plain, format!("{:>STATUS_WIDTH$}", "ok"));
        let failed = format!("{FAILED}{:>STATUS_WIDTH$}{FAILED:#}", "FAILED");
        assert_eq!(anstream::adapter::strip_str(&failed).to_string().len(), STATUS_WIDTH);
    }
}
