//! `kubesim set serviceaccount|resources|selector|subject` (staging/src/k8s.io/kubectl/pkg/cmd/
//! set): each a change to an object, made on the files' objects with `--local` (printed, never
//! stored) or on the state's objects, with kubectl's messages.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::kinds::KindInfo;
use crate::print::output::{Format, name_form, print_structured};
use crate::util::fields::Fields;
use clap::Args;
use serde_json::{Map, Value, json};
use std::io::Write;

/// The flags every `set` verb has (`set image` too); each verb words `--local` and `-f` as
/// kubectl does with `mut_arg`.
#[derive(Args, Debug, Clone)]
pub struct SetFlags {
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    /// Select all resources, in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    /// If true, set will NOT contact api-server but run locally (each verb names itself)
    #[arg(long)]
    pub local: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage(
        "Filename, directory, or URL to files identifying the resource to get from a server"
    )
))]
#[command(mut_arg(
    "local",
    flags::usage("If true, set serviceaccount will NOT contact api-server but run locally")
))]
pub struct SetServiceAccountArgs {
    /// (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage(
        "Filename, directory, or URL to files identifying the resource to get from a server"
    )
))]
#[command(mut_arg(
    "local",
    flags::usage("If true, set resources will NOT contact api-server but run locally")
))]
pub struct SetResourcesArgs {
    /// (-f FILENAME | TYPE NAME)
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards
    #[arg(short = 'c', long, default_value = "*")]
    pub containers: String,
    /// The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges.
    #[arg(long, default_value = "")]
    pub limits: String,
    /// The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges.
    #[arg(long, default_value = "")]
    pub requests: String,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg("filename", flags::usage("identifying the resource")))]
#[command(mut_arg(
    "local",
    flags::usage("If true, annotation will NOT contact api-server but run locally")
))]
pub struct SetSelectorArgs {
    /// (-f FILENAME | TYPE NAME) EXPRESSIONS
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub set: SetFlags,
    /// If non-empty, the selectors update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.
    #[arg(long, default_value = "")]
    pub resource_version: String,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files the resource to update the subjects")
))]
#[command(mut_arg(
    "local",
    flags::usage("If true, set subject will NOT contact api-server but run locally")
))]
pub struct SetSubjectArgs {
    /// (-f FILENAME | TYPE NAME)
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub set: SetFlags,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// Usernames to bind to the role
    #[arg(long)]
    pub user: Vec<String>,
    /// Groups to bind to the role
    #[arg(long)]
    pub group: Vec<String>,
    /// Service accounts to bind to the role
    #[arg(long)]
    pub serviceaccount: Vec<String>,
}

/// A change to one object: whether it changed it, or the object's error.
pub(super) type Change<'a> = dyn Fn(&mut Value) -> Result<bool, String> + 'a;

/// What one verb does: its past tense (`serviceaccount updated`), the prefix of a failed
/// patch, and the change.
pub(super) struct Verb<'a> {
    pub done: &'static str,
    pub failed: &'static str,
    pub change: &'a Change<'a>,
    pub cause: Option<String>,
    pub local_ignores_args: bool,
}

/// Runs a set verb over `-f` objects (`--local`) or the state's objects (`TYPE NAME`, `-f`,
/// `--all`, `-l`), as kubectl's set commands do with `CalculatePatches`: an object that does
/// not change prints nothing; an object's error is `error: <kind>/<name> <error>`.
pub(super) fn run_set(
    ctx: &Ctx,
    f: &SetFlags,
    res_args: &[String],
    selector: Option<&str>,
    verb: Verb,
    out: &mut Out,
) -> CliResult {
    let fmt = f.output.format()?;
    let dry = f.dry_run.mode()?;
    if f.local {
        // `set serviceaccount` leaves its resource arguments to the builder, which ignores
        // them locally; the others refuse them.
        if !res_args.is_empty() && !verb.local_ignores_args {
            return Err(CliError::msg(
                "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
            ));
        }
        if f.files.is_empty() {
            return Err(CliError::msg(
                "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            ));
        }
        let mut errors = Vec::new();
        for m in f.files.load()? {
            let mut obj = m.object.clone();
            let info = crate::api::kinds::by_api_version_kind(
                obj.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
                obj.get("kind").and_then(Value::as_str).unwrap_or(""),
            )
            .ok_or_else(|| CliError::msg("unable to decode the object"))?;
            match (verb.change)(&mut obj) {
                Err(e) => errors.push(object_error(&super::set::local_object_name(info, &obj), e)),
                Ok(false) => {}
                Ok(true) => {
                    super::goflags::record(&mut obj, verb.cause.as_deref());
                    crate::kinds::common::client::go_zero_fields(&mut obj);
                    print_local(out, &fmt, info, obj, verb.done)?;
                }
            }
        }
        return aggregate(errors);
    }
    if f.files.is_empty() && res_args.is_empty() && !f.all {
        return Err(CliError::msg(
            "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        ));
    }
    let selector = super::resources::label_selector(selector)?;
    let mut api = ctx.open_write()?;
    let sel = resources::Selection {
        args: res_args,
        filename: &f.files.filename,
        recursive: f.files.recursive,
        selector: selector.as_ref(),
        fields: None,
        all: f.all,
        all_namespaces: false,
        verb: "patching",
    };
    let targets = resources::select(ctx, &mut api, &sel)?;
    let mut errors = Vec::new();
    for resources::Target {
        info,
        namespace: tns,
        name,
        ..
    } in targets
    {
        let mut obj = api.get(info, &tns, &name)?;
        match (verb.change)(&mut obj) {
            // The server's objects carry their mapping: `info.ObjectName()` is
            // `<resource>/<name>`.
            Err(e) => errors.push(object_error(&format!("{}/{name}", info.plural), e)),
            Ok(false) => {}
            Ok(true) => {
                super::goflags::record(&mut obj, verb.cause.as_deref());
                if dry == Some("client") {
                    print_local(out, &fmt, info, obj, verb.done)?;
                    continue;
                }
                match api.update(info, &tns, obj) {
                    Ok(updated) => {
                        super::apply::report(out, &fmt, info, &updated, verb.done)?;
                    }
                    Err(e) => errors.push(format!("{}{}", verb.failed, e.message)),
                }
            }
        }
    }
    ctx.finish_unless_dry(api, dry)?;
    aggregate(errors)
}

/// An object's error as kubectl collects it: `error: <kind>/<name> <error>` for the change's
/// errors, verbatim for the ones kubectl's change function reports itself (`error: ...`).
fn object_error(name: &str, e: String) -> String {
    if e.starts_with("error: ") {
        e
    } else {
        format!("error: {name} {e}\n")
    }
}

/// `utilerrors.NewAggregate` as `cmdutil.CheckErr` prints it: one error alone, several each
/// followed by a blank line (`MultipleErrors`).
fn aggregate(errors: Vec<String>) -> CliResult {
    match errors.len() {
        0 => Ok(()),
        1 => Err(CliError::msg(errors[0].trim_end())),
        _ => {
            let all: Vec<&str> = errors.iter().map(|e| e.trim_end()).collect();
            Err(CliError::raw(all.join("\n\n") + "\n"))
        }
    }
}

fn print_local(
    out: &mut Out,
    fmt: &Format,
    info: &'static KindInfo,
    obj: Value,
    done: &str,
) -> CliResult {
    match fmt {
        Format::Table | Format::Wide => writeln!(out.out, "{} {done}", name_form(info, &obj))?,
        Format::Yaml => out.yaml_doc(&obj)?,
        Format::Json => out
            .out
            .write_all(crate::print::output::json_text_typed(&obj).as_bytes())?,
        f => out
            .out
            .write_all(print_structured(f, &[(info, obj)], true)?.as_bytes())?,
    }
    Ok(())
}

/// The pod spec of a workload or pod (`UpdatePodSpecForObject`), or kubectl's error.
pub(super) fn pod_spec(obj: &mut Value) -> Result<&mut Value, String> {
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let ptr = super::set::pod_spec_pointer(&kind).ok_or_else(|| super::set::not_a_pod(obj))?;
    if obj.pointer(ptr).is_none() {
        obj.set(ptr, json!({})).map_err(|e| e.to_string())?;
    }
    obj.pointer_mut(ptr)
        .ok_or_else(|| "no pod spec".to_string())
}

/// The `(-f FILENAME | TYPE NAME) VALUE` split: with `-f` the value is the first argument,
/// otherwise the last, after the resource arguments.
fn split_value(args: &[String], files: bool) -> (Vec<String>, Option<String>) {
    let mut args = args.to_vec();
    if files {
        let v = (!args.is_empty()).then(|| args.remove(0));
        (args, v)
    } else {
        let v = args.pop();
        (args, v)
    }
}

pub fn set_serviceaccount(ctx: &Ctx, a: SetServiceAccountArgs, out: &mut Out) -> CliResult {
    let (res_args, sa) = split_value(&a.args, !a.set.files.is_empty());
    let Some(sa) = sa.filter(|_| !a.args.is_empty()) else {
        return Err(CliError::msg("serviceaccount is required"));
    };
    let change = |obj: &mut Value| -> Result<bool, String> {
        let spec = pod_spec(obj)?;
        if spec.get("serviceAccountName").and_then(Value::as_str) == Some(sa.as_str()) {
            return Ok(false);
        }
        spec.set("/serviceAccountName", json!(sa))
            .map_err(|e| e.to_string())?;
        Ok(true)
    };
    let verb = Verb {
        done: "serviceaccount updated",
        failed: "failed to patch ServiceAccountName ",
        change: &change,
        cause: a.record.cause(),
        local_ignores_args: true,
    };
    run_set(ctx, &a.set, &res_args, None, verb, out)
}

/// `HandleResourceRequirementsV1`'s list parsing: `name=quantity,...`, the quantities in
/// their canonical form.
fn resource_list(s: &str) -> Result<Map<String, Value>, CliError> {
    let mut m = Map::new();
    if s.is_empty() {
        return Ok(m);
    }
    for pair in s.split(',') {
        let (k, v) = pair
            .split_once('=')
            .filter(|(k, v)| !k.is_empty() && !v.is_empty())
            .ok_or_else(|| {
                CliError::msg(format!(
                    "Invalid argument syntax {pair}, expected <resource>=<value>"
                ))
            })?;
        let q = crate::util::quantity::canonical(v)
            .ok_or_else(|| CliError::msg("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"))?;
        m.insert(k.to_string(), json!(q));
    }
    Ok(m)
}

/// Go's `path.Match` for the container selector: `*`, `?` and literal characters.
pub(super) fn glob(pattern: &str, name: &str) -> bool {
    fn m(p: &[u8], n: &[u8]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some(b'*') => (0..=n.len()).any(|i| !n[..i].contains(&b'/') && m(&p[1..], &n[i..])),
            Some(b'?') => !n.is_empty() && n[0] != b'/' && m(&p[1..], &n[1..]),
            Some(c) => n.first() == Some(c) && m(&p[1..], &n[1..]),
        }
    }
    m(pattern.as_bytes(), name.as_bytes())
}

pub fn set_resources(ctx: &Ctx, a: SetResourcesArgs, out: &mut Out) -> CliResult {
    if a.set.local && a.set.dry_run.mode()? == Some("server") {
        return Err(CliError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    if a.set.all && a.selector.selector.is_some() {
        return Err(CliError::msg(
            "cannot set --all and --selector at the same time",
        ));
    }
    if a.limits.is_empty() && a.requests.is_empty() {
        return Err(CliError::msg(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    let (limits, requests) = (resource_list(&a.limits)?, resource_list(&a.requests)?);
    let selector = a.containers.clone();
    let change = |obj: &mut Value| -> Result<bool, String> {
        let before = obj.clone();
        let spec = pod_spec(obj)?;
        let mut found = false;
        for field in ["containers", "initContainers"] {
            let Some(cs) = spec.get_mut(field).and_then(Value::as_array_mut) else {
                continue;
            };
            for c in cs.iter_mut().filter(|c| {
                glob(
                    &selector,
                    c.get("name").and_then(Value::as_str).unwrap_or(""),
                )
            }) {
                found = true;
                for (key, list) in [("limits", &limits), ("requests", &requests)] {
                    for (k, v) in list {
                        c.set(&format!("/resources/{key}/{k}"), v.clone())
                            .map_err(|e| e.to_string())?;
                    }
                }
            }
        }
        if !found {
            return Err(format!("error: unable to find container named {selector}"));
        }
        Ok(*obj != before)
    };
    let verb = Verb {
        done: "resource requirements updated",
        failed: "failed to patch resources update to pod template ",
        change: &change,
        cause: a.record.cause(),
        local_ignores_args: false,
    };
    run_set(
        ctx,
        &a.set,
        &a.args,
        a.selector.selector.as_deref(),
        verb,
        out,
    )
}

pub fn set_selector(ctx: &Ctx, a: SetSelectorArgs, out: &mut Out) -> CliResult {
    let (res_args, expr) = split_value(&a.args, !a.set.files.is_empty());
    let Some(expr) = expr.filter(|_| !a.args.is_empty()) else {
        return Err(CliError::msg("one selector is required"));
    };
    let sel =
        crate::util::selector::Selector::parse_to_label_selector(&expr).map_err(CliError::msg)?;
    // Go's `%v` of the []LabelSelectorRequirement a Service cannot hold.
    let exprs: Vec<Value> = sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let labels = sel.get("matchLabels").cloned().unwrap_or(json!({}));
    let rv = a.resource_version.clone();
    let change = |obj: &mut Value| -> Result<bool, String> {
        if obj.get("kind").and_then(Value::as_str) != Some(crate::kinds::service::NAME) {
            return Err("error: setting a selector is only supported for Services".into());
        }
        if !exprs.is_empty() {
            return Err(format!(
                "error: match expression {} not supported on this object",
                super::expose::go_requirements(&exprs, false)
            ));
        }
        if !rv.is_empty() {
            obj.set("/metadata/resourceVersion", json!(rv))
                .map_err(|e| e.to_string())?;
        }
        obj.set("/spec/selector", labels.clone())
            .map_err(|e| e.to_string())?;
        Ok(true)
    };
    let verb = Verb {
        done: "selector updated",
        failed: "",
        change: &change,
        cause: None,
        local_ignores_args: false,
    };
    run_set(ctx, &a.set, &res_args, None, verb, out)
}

pub fn set_subject(ctx: &Ctx, a: SetSubjectArgs, out: &mut Out) -> CliResult {
    if a.set.all && a.selector.selector.is_some() {
        return Err(CliError::msg(
            "cannot set --all and --selector at the same time",
        ));
    }
    if a.user.is_empty() && a.group.is_empty() && a.serviceaccount.is_empty() {
        return Err(CliError::msg(
            "you must specify at least one value of user, group or serviceaccount",
        ));
    }
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v.dedup();
        v
    };
    let ns = ctx.namespace()?;
    let mut subjects = Vec::new();
    for u in sorted(&a.user) {
        subjects.push(json!({"kind": "User", "apiGroup": crate::kinds::role::GROUP, "name": u}));
    }
    for g in sorted(&a.group) {
        subjects.push(json!({"kind": "Group", "apiGroup": crate::kinds::role::GROUP, "name": g}));
    }
    for sa in sorted(&a.serviceaccount) {
        let tokens: Vec<&str> = sa.split(':').collect();
        if tokens.len() != 2 || tokens[1].is_empty() {
            return Err(CliError::msg("serviceaccount must be <namespace>:<name>"));
        }
        let sns = if tokens[0].is_empty() {
            ns.as_str()
        } else {
            tokens[0]
        };
        subjects.push(json!({"kind": "ServiceAccount", "name": tokens[1], "namespace": sns}));
    }
    let change = |obj: &mut Value| -> Result<bool, String> {
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind != crate::kinds::rolebinding::NAME && kind != crate::kinds::clusterrolebinding::NAME
        {
            return Err(
                "setting subjects is only supported for RoleBinding/ClusterRoleBinding".into(),
            );
        }
        let mut list = obj
            .get("subjects")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut changed = false;
        for s in &subjects {
            if !list.contains(s) {
                list.push(s.clone());
                changed = true;
            }
        }
        if changed {
            obj.set("/subjects", Value::Array(list))
                .map_err(|e| e.to_string())?;
        }
        Ok(changed)
    };
    let verb = Verb {
        done: "subjects updated",
        failed: "failed to patch subjects to rolebinding: ",
        change: &change,
        cause: None,
        local_ignores_args: false,
    };
    run_set(
        ctx,
        &a.set,
        &a.args,
        a.selector.selector.as_deref(),
        verb,
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_globs() {
        assert!(glob("*", "nginx"));
        assert!(glob("ng*", "nginx"));
        assert!(glob("ngin?", "nginx"));
        assert!(!glob("web", "nginx"));
        assert!(!glob("ngin?", "nginxx"));
    }
}
