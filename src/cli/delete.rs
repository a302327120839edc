//! `kubesim delete`: by type and name, `TYPE/NAME`, `-f`, `-l`, `--all`, with kubectl's
//! cascade and grace-period flags and messages.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::{DeleteOptions, Propagation};
use clap::Args;
use std::io::Write;

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files containing the resource to delete")
))]
#[command(mut_arg(
    "output",
    flags::usage("Output mode. Use \"-o name\" for shorter output (resource/name)")
))]
pub struct DeleteArgs {
    /// TYPE [NAME...] | TYPE/NAME ...
    #[arg(value_name = "TYPE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub field_selector: flags::FieldSelectorFlags,
    /// Delete all resources, in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    /// If present, list the requested object(s) across all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Must be "background", "orphan", or "foreground"
    #[arg(long, default_missing_value = "background", num_args = 0..=1, require_equals = true)]
    pub cascade: Option<String>,
    /// Period of time in seconds given to the resource to terminate gracefully
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// If true, resources are signaled for immediate shutdown (same as --grace-period=1)
    #[arg(long)]
    pub now: bool,
    /// If true, immediately remove resources from API and bypass graceful deletion
    #[arg(long)]
    pub force: bool,
    /// If true, wait for resources to be gone before returning
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub wait: bool,
    /// Treat "resource not found" as a successful delete
    #[arg(long)]
    pub ignore_not_found: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    /// If true, delete resource only when user confirms.
    #[arg(short = 'i', long)]
    pub interactive: bool,
}

/// kubectl's `confirmation`: lists what would go and reads one word from stdin; only `y`
/// (any case) goes on.
fn confirmed(out: &mut Out, targets: &[resources::Target]) -> Result<bool, CliError> {
    writeln!(
        out.out,
        "You are about to delete the following {} resource(s):",
        targets.len()
    )?;
    for t in targets {
        writeln!(out.out, "{}/{}", t.info.name_form(), t.name)?;
    }
    write!(out.out, "Do you want to continue? (y/n): ")?;
    // The question must be seen before the answer is read (nothing is committed yet).
    super::release_output(out, true);
    out.out.flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    super::hold_output();
    Ok(line
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("y")))
}

fn propagation(c: Option<&str>) -> Result<Propagation, CliError> {
    match c {
        None | Some("background") | Some("true") => Ok(Propagation::Background),
        Some("foreground") => Ok(Propagation::Foreground),
        Some("orphan") | Some("false") => Ok(Propagation::Orphan),
        Some(o) => Err(CliError::msg(format!(
            "invalid cascade value ({o}). Must be \"background\", \"foreground\", or \"orphan\""
        ))),
    }
}

pub fn run(ctx: &Ctx, a: DeleteArgs, out: &mut Out) -> CliResult {
    let prop = propagation(a.cascade.as_deref())?;
    let dry = a.dry_run.mode()?;
    let name_only = match a.output.as_deref() {
        None | Some("") => false,
        Some("name") => true,
        Some(o) => {
            return Err(CliError::msg(format!(
                "unexpected -o output mode: {o}. We only support '-o name'"
            )));
        }
    };
    let mut grace = if a.grace_period >= 0 {
        Some(a.grace_period)
    } else {
        None
    };
    if a.now {
        if grace.is_some() {
            return Err(CliError::msg(
                "--now and --grace-period cannot be specified together",
            ));
        }
        grace = Some(1);
    }
    if grace == Some(0) && !a.force {
        grace = Some(1);
    }
    if a.force {
        if grace.is_none() {
            grace = Some(0);
        }
        if grace == Some(0) {
            out.out.flush()?;
            writeln!(
                out.err,
                "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely."
            )?;
        }
    }
    let opts = DeleteOptions {
        propagation: Some(prop),
        grace_period: grace,
    };
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let fields = super::resources::field_selector(a.field_selector.as_deref())?;
    // A client dry run only reads; a server dry run deletes in memory and commits nothing.
    let mut api = if dry == Some("client") {
        ctx.open_read()?
    } else {
        ctx.open_write()?
    };
    let sel = resources::Selection {
        args: &a.args,
        filename: &a.files.filename,
        recursive: a.files.recursive,
        selector: selector.as_ref(),
        fields: fields.as_ref(),
        all: a.all,
        all_namespaces: a.all_namespaces,
        verb: "deleting",
    };
    let listing = sel.listing();
    let mut targets = resources::select(ctx, &mut api, &sel)?;
    if targets.is_empty() && listing {
        writeln!(out.out, "No resources found")?;
        return Ok(());
    }
    if a.interactive {
        // The preview reads the objects first: a missing one fails the command (unless
        // --ignore-not-found), and only what exists is offered.
        let mut found = Vec::new();
        for t in targets {
            match api.try_get(t.info, &t.namespace, &t.name)? {
                Some(_) => found.push(t),
                None if a.ignore_not_found || listing => {}
                None => {
                    api.get(t.info, &t.namespace, &t.name)?;
                }
            }
        }
        if found.is_empty() {
            writeln!(out.out, "No resources found")?;
            return Ok(());
        }
        if !confirmed(out, &found)? {
            writeln!(out.out, "deletion is cancelled")?;
            return Ok(());
        }
        targets = found;
    }
    let mut warned = false;
    for resources::Target {
        info,
        namespace: tns,
        name,
        source,
    } in targets
    {
        if !info.namespaced && ctx.global.namespace.is_some() && !warned {
            out.out.flush()?;
            writeln!(
                out.err,
                "warning: deleting cluster-scoped resources, not scoped to the provided namespace"
            )?;
            warned = true;
        }
        let done = if dry == Some("client") {
            api.get(info, &tns, &name).map(drop)
        } else {
            api.delete(info, &tns, &name, opts).map(drop)
        };
        match done {
            Ok(()) => {
                if name_only {
                    writeln!(out.out, "{}/{name}", info.name_form())?;
                } else {
                    let word = if a.force && grace == Some(0) {
                        "force deleted"
                    } else {
                        "deleted"
                    };
                    let suffix = super::apply::dry_suffix(dry);
                    writeln!(out.out, "{} \"{name}\" {word}{suffix}", info.name_form())?;
                }
            }
            Err(e) => {
                if (a.ignore_not_found || listing)
                    && e.reason == crate::api::errors::Reason::NotFound
                {
                    continue;
                }
                let text = match source {
                    Some(s) => e.kubectl_message_in(Some(&format!("error when deleting \"{s}\""))),
                    None => e.kubectl_message(),
                };
                out.error(CliError::raw(text));
            }
        }
    }
    let _ = a.wait;
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}
