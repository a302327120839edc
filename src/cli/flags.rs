//! The flag groups verbs share, as cli-runtime shares its flag groups (`FileNameFlags`,
//! `PrintFlags`' `-o`, `AddDryRunFlag`, the label/field selector flags): each a small
//! `clap::Args` struct a verb flattens where the flag sits in its help
//! (`#[command(flatten)]`), with the parsing that goes with it.
//!
//! As in kubectl, a verb words a flag's help for itself (`-f`: "The files that contain the
//! configurations to apply"): it keeps the group's definition and replaces only the text, with
//! `#[command(mut_arg("filename", usage("...")))]` on the verb's struct.

use super::CliError;
use super::resources::{self, Manifest};
use crate::print::output::Format;
use clap::Arg;

/// A verb's own help text for a flag of a shared group (for `mut_arg`).
pub fn usage(text: &'static str) -> impl FnOnce(Arg) -> Arg {
    move |a| a.help(text)
}

/// [`usage`], and the verb cannot do without the flag (`apply -f`).
pub fn required(text: &'static str) -> impl FnOnce(Arg) -> Arg {
    move |a| a.help(text).required(true)
}

/// `-f/--filename` and `-R/--recursive` (cli-runtime's `FileNameFlags`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilenameFlags {
    /// Filename, directory, or URL to files identifying the resource
    #[arg(short = 'f', long)]
    pub filename: Vec<String>,
    /// Process the directory used in -f, --filename recursively
    #[arg(short = 'R', long)]
    pub recursive: bool,
}

impl FilenameFlags {
    /// Whether any `-f` was given.
    pub fn is_empty(&self) -> bool {
        self.filename.is_empty()
    }

    /// The manifests the files hold (directories walked, recursively with `-R`).
    pub fn load(&self) -> Result<Vec<Manifest>, CliError> {
        resources::load(&self.filename, self.recursive)
    }
}

/// `-o/--output`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct OutputFlags {
    /// Output format: json|yaml|name|jsonpath=...|go-template=...
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].
    #[arg(long)]
    pub template: Option<String>,
    /// If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub allow_missing_template_keys: bool,
}

impl OutputFlags {
    /// The `-o` value as given.
    pub fn as_deref(&self) -> Option<&str> {
        self.output.as_deref()
    }

    /// Whether `-o` was given (or `--template`, which alone means `-o go-template`).
    pub fn is_some(&self) -> bool {
        self.spec().is_some()
    }

    /// The `-o` value with `--template` folded in as cli-runtime folds it: `--template`
    /// gives the template of `-o jsonpath|go-template|template` and their `-file` forms,
    /// and alone means `-o go-template`.
    pub fn spec(&self) -> Option<String> {
        let t = self.template.as_deref().filter(|t| !t.is_empty());
        match (&self.output, t) {
            (Some(o), Some(t))
                if matches!(
                    o.as_str(),
                    "jsonpath"
                        | "jsonpath-file"
                        | "jsonpath-as-json"
                        | "go-template"
                        | "go-template-file"
                        | "template"
                        | "templatefile"
                ) =>
            {
                Some(format!("{o}={t}"))
            }
            (None, Some(t)) => Some(format!("go-template={t}")),
            (o, _) => o.clone(),
        }
    }

    /// Every `-o` format (`get`'s tables too), `--template` and
    /// `--allow-missing-template-keys` applied.
    pub fn parse_all(&self) -> Result<Format, CliError> {
        let mut f = Format::parse(self.spec().as_deref())?;
        if let Format::GoTemplate { allow_missing, .. } | Format::JsonPath(_, allow_missing, _) =
            &mut f
        {
            *allow_missing = self.allow_missing_template_keys;
        }
        Ok(f)
    }

    /// The parsed `-o` of a verb that prints the objects it changed or would create
    /// (cli-runtime's `PrintFlags`: `-o json|yaml|name|jsonpath=...`; none is the verb's
    /// `created`/`labeled` line). Table formats (`wide`, `custom-columns`) are kubectl's
    /// "unable to match a printer" error, as any format it does not know.
    pub fn format(&self) -> Result<Format, CliError> {
        let Some(o) = self.spec() else {
            return Ok(Format::Table);
        };
        match self.parse_all() {
            Ok(Format::Wide | Format::CustomColumns(_)) => Err(no_printer(&o)),
            Err(e) if e.text.contains("unable to match a printer") => Err(no_printer(&o)),
            r => r,
        }
    }
}

/// kubectl's error for an `-o` cli-runtime's `PrintFlags` has no printer for.
pub fn no_printer(o: &str) -> CliError {
    CliError::msg(format!(
        "unable to match a printer suitable for the output format \"{o}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
    ))
}

/// `--dry-run[=none|client|server]` (bare `--dry-run` is `client`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DryRunFlags {
    /// Must be "none", "server", or "client"
    #[arg(long, default_missing_value = "unchanged", num_args = 0..=1, require_equals = true)]
    pub dry_run: Option<String>,
}

impl DryRunFlags {
    /// The `--dry-run` value as given.
    pub fn as_deref(&self) -> Option<&str> {
        self.dry_run.as_deref()
    }

    /// `None` for a real request, else `client` or `server`; kubectl's error for other values.
    pub fn mode(&self) -> Result<Option<&'static str>, CliError> {
        dry_run_mode(self.as_deref())
    }
}

/// Parses `--dry-run` (`none`, `client`, `server`).
pub fn dry_run_mode(v: Option<&str>) -> Result<Option<&'static str>, CliError> {
    match v {
        None | Some("none") => Ok(None),
        Some("client") => Ok(Some("client")),
        // pflag's NoOptDefVal: a bare `--dry-run`.
        Some("unchanged") => {
            klog_warning(
                "helpers.go:703",
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            );
            Ok(Some("client"))
        }
        Some("true") => {
            klog_warning(
                "helpers.go:717",
                "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.",
            );
            Ok(Some("client"))
        }
        Some("server") => Ok(Some("server")),
        Some(o) => Err(CliError::msg(format!(
            "Invalid dry-run value ({o}). Must be \"none\", \"server\", or \"client\"."
        ))),
    }
}

/// A warning as kubectl's klog writes it on stderr: `W1207 21:50:31.001423   26429 file:line] msg`
/// (month and day, local time to the microsecond, the thread id, the source line).
pub fn klog_warning(source: &str, msg: &str) {
    let now = jiff::Zoned::now();
    eprintln!(
        "W{} {:>7} {source}] {msg}",
        now.strftime("%m%d %H:%M:%S%.6f"),
        std::process::id()
    );
}

/// `-l/--selector`, the label query.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SelectorFlags {
    /// Selector (label query) to filter on
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
}

impl SelectorFlags {
    /// The `-l` value as given.
    pub fn as_deref(&self) -> Option<&str> {
        self.selector.as_deref()
    }

    /// Whether `-l` was given.
    pub fn is_some(&self) -> bool {
        self.selector.is_some()
    }
}

/// `--field-selector`, the field query.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FieldSelectorFlags {
    /// Selector (field query) to filter on
    #[arg(long)]
    pub field_selector: Option<String>,
}

impl FieldSelectorFlags {
    /// The `--field-selector` value as given.
    pub fn as_deref(&self) -> Option<&str> {
        self.field_selector.as_deref()
    }

    /// Whether `--field-selector` was given.
    pub fn is_some(&self) -> bool {
        self.field_selector.is_some()
    }
}

/// `--validate[=strict|warn|ignore|true|false]` (cmdutil's `AddValidateFlags`; bare
/// `--validate` is `strict`).
#[derive(clap::Args, Debug, Clone)]
pub struct ValidateFlags {
    /// Must be one of: strict (or true), warn, ignore (or false)
    #[arg(long, default_value = "strict", default_missing_value = "strict", num_args = 0..=1, require_equals = true)]
    pub validate: String,
}

impl ValidateFlags {
    /// The validation directive, or kubectl's error for a value it does not know.
    pub fn mode(&self) -> Result<Validation, CliError> {
        parse_validate(&self.validate)
    }
}

/// `--validate`: what to do with unknown fields (server-side field validation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    Strict,
    Warn,
    Ignore,
}

/// Parses `--validate` as cmdutil's `GetValidationDirective`: first as Go's
/// `strconv.ParseBool` (`1`, `t`, `TRUE`, `False`, ...), then by name.
pub fn parse_validate(v: &str) -> Result<Validation, CliError> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "strict" => Ok(Validation::Strict),
        "0" | "f" | "F" | "FALSE" | "false" | "False" | "ignore" => Ok(Validation::Ignore),
        "warn" => Ok(Validation::Warn),
        o => Err(CliError::msg(format!(
            "invalid - validate option \"{o}\"; must be one of: strict (or true), warn, ignore (or false)"
        ))),
    }
}
