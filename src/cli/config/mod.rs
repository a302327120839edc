//! `kubectl config`: the kubeconfig of [`kubeconfig`] (kind's, as the state's cluster would
//! have it) viewed and changed as kubectl views and changes a kubeconfig file. What may change
//! is the contexts — their namespaces above all (`set-context --current --namespace=NS`, the
//! namespace every verb then works in) — and which one is current; the cluster and the user
//! are kubesim's one cluster and user, so the subcommands that edit clusters, users or
//! arbitrary properties are errors that say so.
//!
//! A change touches only the state's manifest (the `kubeconfig` setting of `meta.json`): no
//! object, no clock, no controller runs.

pub mod kubeconfig;

use super::flags;
use super::{CliError, CliResult, Ctx, Out};
use crate::print::output::{Format, NameForm};
use crate::print::tabwriter;
use crate::store::{Access, Store};
use clap::{Args, Subcommand};
use kubeconfig::{Context, KubeConfig, NAME};
use std::io::Write;

#[derive(Subcommand, Debug, Clone)]
pub enum ConfigCmd {
    /// Display the current-context
    CurrentContext(AnyArgs),
    /// Delete the specified cluster from the kubeconfig
    DeleteCluster(FixedArgs),
    /// Delete the specified context from the kubeconfig
    DeleteContext(AnyArgs),
    /// Delete the specified user from the kubeconfig
    DeleteUser(FixedArgs),
    /// Display clusters defined in the kubeconfig
    GetClusters(AnyArgs),
    /// Describe one or many contexts
    GetContexts(GetContextsArgs),
    /// Display users defined in the kubeconfig
    GetUsers(AnyArgs),
    /// Rename a context from the kubeconfig file
    RenameContext(AnyArgs),
    /// Set an individual value in a kubeconfig file
    Set(FixedArgs),
    /// Set a cluster entry in kubeconfig
    SetCluster(FixedArgs),
    /// Set a context entry in kubeconfig
    SetContext(SetContextArgs),
    /// Set a user entry in kubeconfig
    SetCredentials(FixedArgs),
    /// Unset an individual value in a kubeconfig file
    Unset(FixedArgs),
    /// Set the current-context in a kubeconfig file
    #[command(visible_alias = "use")]
    UseContext(ContextArgs),
    /// Display merged kubeconfig settings or a specified kubeconfig file
    View(ViewArgs),
}

/// Words the subcommand checks itself, as kubectl's do.
#[derive(Args, Debug, Clone)]
pub struct AnyArgs {
    #[arg(value_name = "ARGS")]
    pub args: Vec<String>,
}

/// Context names (completed from the kubeconfig's).
#[derive(Args, Debug, Clone)]
pub struct ContextArgs {
    #[arg(value_name = "CONTEXT_NAME", add = super::completion::contexts())]
    pub args: Vec<String>,
}

/// Whatever kubectl's subcommand takes (flags included): kubesim refuses it whole.
#[derive(Args, Debug, Clone)]
pub struct FixedArgs {
    #[arg(
        value_name = "ARGS",
        allow_hyphen_values = true,
        trailing_var_arg = true
    )]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct ViewArgs {
    /// Remove all information not used by current-context from the output
    #[arg(long)]
    pub minify: bool,
    /// Display raw byte data and sensitive data
    #[arg(long)]
    pub raw: bool,
    /// Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)
    #[arg(long)]
    pub flatten: bool,
    /// Merge the full hierarchy of kubeconfig files
    #[arg(long, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub merge: Option<bool>,
    /// Output format. One of: (json, yaml, name, go-template, go-template-file, template,
    /// templatefile, jsonpath, jsonpath-as-json, jsonpath-file), with `--template` and
    /// `--allow-missing-template-keys` as every printing verb has them.
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[arg(value_name = "ARGS", hide = true)]
    pub args: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct GetContextsArgs {
    /// When using the default or custom-column output format, don't print headers (default print headers).
    #[arg(long)]
    pub no_headers: bool,
    /// Output format. One of: name
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    /// Context names
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct SetContextArgs {
    /// cluster for the context entry in kubeconfig
    #[arg(long)]
    pub cluster: Option<String>,
    /// Modify the current context
    #[arg(long)]
    pub current: bool,
    /// user for the context entry in kubeconfig
    #[arg(long)]
    pub user: Option<String>,
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

pub fn run(ctx: &Ctx, cmd: ConfigCmd, out: &mut Out) -> CliResult {
    let dir = ctx.state_dir();
    match cmd {
        ConfigCmd::View(a) => view(ctx, a, out),
        ConfigCmd::CurrentContext(_) => {
            let k = KubeConfig::load(&dir)?;
            if k.current_context.is_empty() {
                return Err(CliError::msg("current-context is not set"));
            }
            writeln!(out.out, "{}", k.current_context)?;
            Ok(())
        }
        ConfigCmd::GetContexts(a) => get_contexts(ctx, a, out),
        ConfigCmd::GetClusters(_) | ConfigCmd::GetUsers(_) => {
            KubeConfig::load(&dir)?;
            writeln!(out.out, "NAME\n{NAME}")?;
            Ok(())
        }
        ConfigCmd::SetContext(a) => set_context(ctx, a, out),
        ConfigCmd::UseContext(a) => {
            let [name] = a.args.as_slice() else {
                return help_error(USE_CONTEXT_HELP, &a.args, out);
            };
            update(ctx, out, |k| {
                if !k.contexts.contains_key(name) {
                    return Err(CliError::msg(format!(
                        "no context exists with the name: {}",
                        crate::util::go_quote(name)
                    )));
                }
                k.current_context = name.clone();
                Ok(format!("Switched to context \"{name}\".\n"))
            })
        }
        ConfigCmd::DeleteContext(a) => {
            let [name] = a.args.as_slice() else {
                out.out.write_all(DELETE_CONTEXT_HELP.as_bytes())?;
                return Ok(());
            };
            let at = dir.display().to_string();
            let mut was_current = false;
            update(ctx, out, |k| {
                if k.contexts.remove(name).is_none() {
                    return Err(CliError::msg(format!(
                        "cannot delete context {name}, not in {at}"
                    )));
                }
                was_current = k.current_context == *name;
                Ok(format!("deleted context {name} from {at}\n"))
            })?;
            if was_current {
                // kubectl says so on stderr and leaves current-context naming it.
                writeln!(
                    out.err,
                    "warning: this removed your active context, use \"kubesim config use-context\" to select a different one"
                )?;
            }
            Ok(())
        }
        ConfigCmd::RenameContext(a) => {
            let [old, new] = a.args.as_slice() else {
                return help_error(RENAME_CONTEXT_HELP, &a.args, out);
            };
            let at = dir.display().to_string();
            update(ctx, out, |k| {
                let Some(c) = k.contexts.get(old).cloned() else {
                    return Err(CliError::msg(format!(
                        "cannot rename the context \"{old}\", it's not in {at}"
                    )));
                };
                if k.contexts.contains_key(new) {
                    return Err(CliError::msg(format!(
                        "cannot rename the context \"{old}\", the context \"{new}\" already exists in {at}"
                    )));
                }
                k.contexts.remove(old);
                k.contexts.insert(new.clone(), c);
                if k.current_context == *old {
                    k.current_context = new.clone();
                }
                Ok(format!("Context \"{old}\" renamed to \"{new}\".\n"))
            })
        }
        ConfigCmd::SetCluster(_) | ConfigCmd::DeleteCluster(_) => Err(fixed("clusters")),
        ConfigCmd::SetCredentials(_) | ConfigCmd::DeleteUser(_) => Err(fixed("users")),
        ConfigCmd::Set(_) | ConfigCmd::Unset(_) => Err(CliError::msg(format!(
            "kubesim keeps no kubeconfig file to set properties in: its kubeconfig is the simulated cluster's ({NAME}); change a context with `kubesim config set-context`, the current one with `kubesim config use-context`"
        ))),
    }
}

/// The error of the subcommands that would change kubesim's one cluster or user.
fn fixed(plural: &str) -> CliError {
    CliError::msg(format!(
        "kubesim keeps no kubeconfig file: its kubeconfig has the simulated cluster's one cluster and one user, both \"{NAME}\", and its {plural} cannot be set or deleted; contexts can (`kubesim config set-context NAME --cluster={NAME} --user={NAME} --namespace=NS`)"
    ))
}

pub const USE_CONTEXT_HELP: &str = include_str!("../help/config-use-context.txt");
pub const SET_CONTEXT_HELP: &str = include_str!("../help/config-set-context.txt");
pub const RENAME_CONTEXT_HELP: &str = include_str!("../help/config-rename-context.txt");
pub const DELETE_CONTEXT_HELP: &str = include_str!("../help/config-delete-context.txt");

/// kubectl's answer to a subcommand given the wrong number of words: its help on stdout,
/// then `error: Unexpected args: [...]`.
fn help_error(help: &str, args: &[String], out: &mut Out) -> CliResult {
    out.out.write_all(help.as_bytes())?;
    Err(CliError::msg(format!(
        "Unexpected args: [{}]",
        args.join(" ")
    )))
}

/// Changes the state's kubeconfig: `change` edits it and returns the line to print. Only the
/// manifest's setting is written (a state is made first when there is none, as any command
/// makes one); a change that changes nothing writes nothing.
fn update(
    ctx: &Ctx,
    out: &mut Out,
    change: impl FnOnce(&mut KubeConfig) -> Result<String, CliError>,
) -> CliResult {
    let dir = ctx.state_dir();
    super::hold_output();
    let mut store = match Store::open(&dir, Access::Write)? {
        Some(s) => s,
        None => {
            drop(super::cluster::open(&dir, Access::Write)?);
            Store::open(&dir, Access::Write)?.ok_or_else(|| {
                CliError::msg(format!("the state at {} disappeared", dir.display()))
            })?
        }
    };
    let mut k = KubeConfig::from_settings(&store.meta.settings).map_err(|e| {
        CliError::msg(format!(
            "the state at {} is corrupt ({}: {e}); run `kubesim reset` to start over",
            dir.display(),
            dir.join("meta.json").display()
        ))
    })?;
    let before = store.meta.settings.clone();
    let said = change(&mut k)?;
    k.to_settings(&mut store.meta.settings);
    if store.meta.settings != before {
        store.touch_meta();
        store.commit()?;
    }
    out.out.write_all(said.as_bytes())?;
    Ok(())
}

fn set_context(ctx: &Ctx, a: SetContextArgs, out: &mut Out) -> CliResult {
    // set-context's own --namespace shadows the global one, and has no `-n`.
    if let Some(n) = std::env::args()
        .skip(1)
        .take_while(|w| w != "--")
        .find(|w| w.starts_with("-n"))
    {
        return Err(CliError::msg(format!(
            "unknown shorthand flag: 'n' in {n}\nSee 'kubesim config set-context --help' for usage."
        )));
    }
    if a.names.len() > 1 {
        return help_error(SET_CONTEXT_HELP, &a.names, out);
    }
    let given = a.names.first().cloned().unwrap_or_default();
    if a.current && !given.is_empty() {
        return Err(CliError::msg(
            "you cannot specify both a context name and --current",
        ));
    }
    if !a.current && given.is_empty() {
        return Err(CliError::msg(
            "you must specify a non-empty context name or --current",
        ));
    }
    for (flag, v) in [("cluster", &a.cluster), ("user", &a.user)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty() && *v != NAME) {
            return Err(CliError::msg(format!(
                "kubesim simulates one cluster with one user, both named \"{NAME}\": --{flag}={v} names none of them (a context's {flag} is \"{NAME}\")"
            )));
        }
    }
    let namespace = ctx.global.namespace.clone();
    update(ctx, out, |k| {
        let name = if a.current {
            if k.current_context.is_empty() {
                return Err(CliError::msg("no current context is set"));
            }
            k.current_context.clone()
        } else {
            given
        };
        let existed = k.contexts.contains_key(&name);
        let c = k.contexts.entry(name.clone()).or_insert_with(|| Context {
            cluster: String::new(),
            user: String::new(),
            namespace: String::new(),
        });
        if let Some(v) = a.cluster {
            c.cluster = v;
        }
        if let Some(v) = a.user {
            c.user = v;
        }
        if let Some(v) = namespace {
            c.namespace = v;
        }
        let how = if existed { "modified" } else { "created" };
        Ok(format!("Context \"{name}\" {how}.\n"))
    })
}

fn get_contexts(ctx: &Ctx, a: GetContextsArgs, out: &mut Out) -> CliResult {
    let name_only = match a.output.as_deref() {
        None | Some("") => false,
        Some("name") => true,
        Some(o) => {
            return Err(CliError::msg(format!(
                "--output {o} is not available in kubesim config get-contexts; resetting to default output format"
            )));
        }
    };
    let k = KubeConfig::load(&ctx.state_dir())?;
    let mut errors = Vec::new();
    let mut shown: Vec<&String> = Vec::new();
    if a.names.is_empty() {
        shown.extend(k.contexts.keys());
    } else {
        for n in &a.names {
            match k.contexts.get_key_value(n) {
                Some((key, _)) => shown.push(key),
                None => errors.push(format!("context {n} not found")),
            }
        }
        shown.sort();
    }
    if name_only {
        for n in shown {
            writeln!(out.out, "{n}")?;
        }
    } else {
        let mut rows: Vec<Vec<String>> = Vec::new();
        if !a.no_headers {
            rows.push(
                ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                    .map(String::from)
                    .to_vec(),
            );
        }
        for n in shown {
            let c = &k.contexts[n];
            let mark = if *n == k.current_context { "*" } else { " " };
            rows.push(vec![
                mark.to_string(),
                n.clone(),
                c.cluster.clone(),
                c.user.clone(),
                c.namespace.clone(),
            ]);
        }
        // printers.GetNewTabWriter, as `get` tables.
        out.out.write_all(tabwriter::table(&rows).as_bytes())?;
    }
    aggregate(errors)
}

/// utilerrors.NewAggregate as kubectl's CheckErr prints it: one error as `error: msg`,
/// several as their messages, one a line.
fn aggregate(errors: Vec<String>) -> CliResult {
    match errors.len() {
        0 => Ok(()),
        1 => Err(CliError::msg(&errors[0])),
        _ => Err(CliError::raw(errors.join("\n"))),
    }
}

/// The `config/<unknown>` of `-o name`: a Config has no name.
struct ConfigName;

impl NameForm for ConfigName {
    fn name_form(&self) -> String {
        "config".to_string()
    }
}

fn view(ctx: &Ctx, a: ViewArgs, out: &mut Out) -> CliResult {
    if !a.args.is_empty() {
        return Err(super::cobra::usage_error(
            "config view",
            &format!("unexpected arguments: [{}]", a.args.join(" ")),
        ));
    }
    if a.merge == Some(false) {
        return Err(CliError::msg(
            "if merge==false a precise file must be specified",
        ));
    }
    // yaml unless `-o` or `--template` (alone: go-template) says otherwise.
    let mut output = a.output.clone();
    if !output.is_some() {
        output.output = Some("yaml".to_string());
    }
    let fmt = output.format()?;
    let v = ctx.kubeconfig()?.view(a.minify, a.raw || a.flatten)?;
    let text = match fmt {
        Format::Json => crate::print::output::json_text(&v),
        Format::Name => "config/<unknown>\n".to_string(),
        fmt => {
            let value = serde_json::to_value(&v).expect("serializable");
            crate::print::output::print_structured(&fmt, &[(&ConfigName, value)], true)?
        }
    };
    out.out.write_all(text.as_bytes())?;
    Ok(())
}
