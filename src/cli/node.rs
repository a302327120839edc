//! `kubesim cordon`, `uncordon` and `taint`: a node's `spec.unschedulable` and `spec.taints`,
//! with kubectl's arguments, messages and errors (kubectl/pkg/cmd/drain, pkg/cmd/taint).

use super::apply::{dry_suffix, report};
use super::flags;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::Api;
use crate::api::kinds::{self, KindInfo};
use crate::api::selector::Selector;
use crate::print::output::Format;
use crate::util::fields::Fields;
use clap::Args;
use serde_json::{Value, json};
use std::io::Write;

#[derive(Args, Debug, Clone)]
pub struct CordonArgs {
    /// The nodes (NAME or node/NAME)
    #[arg(value_name = "NODE", add = super::completion::node_names())]
    pub nodes: Vec<String>,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
}

#[derive(Args, Debug, Clone)]
pub struct TaintArgs {
    /// node NAME... KEY_1=VAL_1:TAINT_EFFECT_1 ... (KEY:EFFECT- or KEY- removes)
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints
    #[arg(long)]
    pub overwrite: bool,
    /// Select all nodes in the cluster
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub flags: super::create::GenFlags,
    #[command(flatten)]
    pub validate: flags::ValidateFlags,
}

fn node_kind() -> &'static KindInfo {
    &crate::kinds::node::KIND
}

/// kubectl's usage error: the message, then where help is.
fn usage(verb: &str, msg: &str) -> CliError {
    super::cobra::usage_error(verb, msg)
}

/// The nodes named (`NAME` or `node/NAME`) or selected by `selector`, read before anything
/// changes: one that does not exist fails the whole command, as kubectl's builder does.
fn nodes(
    api: &mut Api,
    names: &[String],
    selector: Option<&Selector>,
) -> Result<Vec<Value>, CliError> {
    let info = node_kind();
    let mut out = Vec::new();
    if let Some(sel) = selector {
        for o in api.list(info, None)? {
            if sel.matches_value(o.pointer("/metadata/labels")) {
                out.push(o);
            }
        }
        return Ok(out);
    }
    for n in names {
        let name = match n.split_once('/') {
            Some((t, name)) => {
                let k = kinds::resolve(t).ok_or_else(|| {
                    CliError::msg(format!("the server doesn't have a resource type \"{t}\""))
                })?;
                if k != &crate::kinds::node::KIND {
                    return Err(CliError::msg(format!(
                        "error: expected resource of type node, got \"{}\"",
                        k.plural
                    )));
                }
                name
            }
            None => n.as_str(),
        };
        out.push(api.get(info, "", name)?);
    }
    Ok(out)
}

/// `kubesim cordon` (`desired` = true) and `kubesim uncordon`.
pub fn run_cordon(ctx: &Ctx, a: CordonArgs, out: &mut Out, desired: bool) -> CliResult {
    let verb = if desired { "cordon" } else { "uncordon" };
    if a.nodes.is_empty() && a.selector.as_deref().is_none() {
        return Err(usage(verb, &format!("USAGE: {verb} NODE [flags]")));
    }
    if !a.nodes.is_empty() && a.selector.is_some() {
        return Err(usage(
            verb,
            "error: cannot specify both a node name and a --selector option",
        ));
    }
    let dry = a.dry_run.mode()?;
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let mut api = ctx.open_write()?;
    let targets = nodes(&mut api, &a.nodes, selector.as_ref())?;
    set_unschedulable(&mut api, targets, desired, dry, out)?;
    ctx.finish(api)
}

/// `RunCordonOrUncordon`: sets (or clears) `spec.unschedulable` where it differs, printing
/// `node/X cordoned` or `node/X already cordoned`; returns the nodes as they are now.
fn set_unschedulable(
    api: &mut Api,
    targets: Vec<Value>,
    desired: bool,
    dry: Option<&str>,
    out: &mut Out,
) -> Result<Vec<Value>, CliError> {
    let verb = if desired { "cordon" } else { "uncordon" };
    let info = node_kind();
    let mut now = Vec::new();
    for mut node in targets {
        let is = node.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
        let op = if is == desired {
            format!("already {verb}ed")
        } else {
            if dry.is_none() {
                if desired {
                    if !node.get("spec").is_some_and(Value::is_object) {
                        node.set("/spec", json!({}))?;
                    }
                    node.set("/spec/unschedulable", json!(true))?;
                } else if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
                    spec.remove("unschedulable");
                }
                node = api.update(info, "", node)?;
            }
            format!("{verb}ed")
        };
        report(
            out,
            &Format::Table,
            info,
            &node,
            &format!("{op}{}", dry_suffix(dry)),
        )?;
        now.push(node);
    }
    Ok(now)
}

#[derive(Args, Debug, Clone)]
pub struct DrainArgs {
    /// The nodes (NAME or node/NAME)
    #[arg(value_name = "NODE", add = super::completion::node_names())]
    pub nodes: Vec<String>,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// Continue even if there are pods that do not declare a controller.
    #[arg(long)]
    pub force: bool,
    /// Ignore DaemonSet-managed pods.
    #[arg(long)]
    pub ignore_daemonsets: bool,
    /// Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).
    #[arg(long)]
    pub delete_emptydir_data: bool,
    /// Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub grace_period: i64,
    /// Label selector to filter pods on the node
    #[arg(long)]
    pub pod_selector: Option<String>,
    /// Force drain to use delete, even if eviction is supported.
    #[arg(long)]
    pub disable_eviction: bool,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
}

/// What `drain` decides for one pod on the node (kubectl/pkg/drain/filters.go).
#[derive(Debug, PartialEq, Eq)]
enum PodFate {
    Delete,
    Skip,
    Warn(bool, String),
    Fail(String),
}

/// The filters in kubectl's order (deleted-skip, DaemonSet, mirror, local storage,
/// unreplicated), as `filterPods` runs them: on while a filter lets the pod be deleted, the
/// last status standing decides (so a later "okay" drops an earlier warning, as in kubectl).
fn pod_fate(
    pod: &Value,
    a: &DrainArgs,
    mut daemonset_exists: impl FnMut(&str, &str) -> bool,
) -> PodFate {
    let finished = matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    );
    let controller = pod
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .and_then(|refs| {
            refs.iter()
                .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))
        });
    let daemonset = |exists: &mut dyn FnMut(&str, &str) -> bool| {
        let Some(c) = controller else {
            return PodFate::Delete;
        };
        if c.get("kind").and_then(Value::as_str) != Some("DaemonSet")
            || c.get("apiVersion").and_then(Value::as_str) != Some("apps/v1")
            || finished
        {
            return PodFate::Delete;
        }
        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
        if !exists(crate::api::namespace_of(pod), name) {
            let e = format!("daemonsets.apps \"{name}\" not found");
            return if a.force {
                PodFate::Warn(true, e)
            } else {
                PodFate::Fail(e)
            };
        }
        if !a.ignore_daemonsets {
            return PodFate::Fail(
                "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)".into(),
            );
        }
        PodFate::Warn(false, "ignoring DaemonSet-managed Pods".into())
    };
    let mirror = || {
        if pod
            .pointer("/metadata/annotations/kubernetes.io~1config.mirror")
            .is_some()
        {
            PodFate::Skip
        } else {
            PodFate::Delete
        }
    };
    let local_storage = || {
        let local = pod
            .pointer("/spec/volumes")
            .and_then(Value::as_array)
            .is_some_and(|vs| vs.iter().any(|v| v.get("emptyDir").is_some()));
        if !local || finished {
            PodFate::Delete
        } else if !a.delete_emptydir_data {
            PodFate::Fail("Pods with local storage (use --delete-emptydir-data to override)".into())
        } else {
            PodFate::Warn(true, "deleting Pods with local storage".into())
        }
    };
    let unreplicated = || {
        if finished || controller.is_some() {
            PodFate::Delete
        } else if a.force {
            PodFate::Warn(true, "deleting Pods that declare no controller".into())
        } else {
            PodFate::Fail("Pods that declare no controller (use --force to override)".into())
        }
    };
    let deletes = |f: &PodFate| matches!(f, PodFate::Delete | PodFate::Warn(true, _));
    let mut status = daemonset(&mut daemonset_exists);
    if !deletes(&status) {
        return status;
    }
    for filter in [
        &mirror as &dyn Fn() -> PodFate,
        &local_storage,
        &unreplicated,
    ] {
        status = filter();
        if !deletes(&status) {
            return status;
        }
    }
    status
}

/// Messages with the pods they concern (`msg: ns/a, ns/b`), in the order first seen.
fn grouped(items: &[(String, String)]) -> Vec<(&str, Vec<String>)> {
    let mut out: Vec<(&str, Vec<String>)> = Vec::new();
    for (m, p) in items {
        match out.iter_mut().find(|(k, _)| k == m) {
            Some((_, v)) => v.push(p.clone()),
            None => out.push((m.as_str(), vec![p.clone()])),
        }
    }
    out
}

/// `kubesim drain`: cordon, then evict (or delete) the node's pods and wait until they are
/// gone, as kubectl does.
pub fn run_drain(ctx: &Ctx, a: DrainArgs, out: &mut Out) -> CliResult {
    if a.nodes.is_empty() && a.selector.as_deref().is_none() {
        return Err(usage("drain", "USAGE: drain NODE [flags]"));
    }
    if !a.nodes.is_empty() && a.selector.is_some() {
        return Err(usage(
            "drain",
            "error: cannot specify both a node name and a --selector option",
        ));
    }
    let dry = a.dry_run.mode()?;
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let pod_selector = match a.pod_selector.as_deref() {
        Some(s) => Some(super::resources::label_selector(Some(s)).map_err(|_| {
            CliError::msg("--pod-selector=<pod_selector> must be a valid label selector")
        })?)
        .flatten(),
        None => None,
    };
    let mut api = ctx.open_write()?;
    let targets = nodes(&mut api, &a.nodes, selector.as_ref())?;
    let targets = set_unschedulable(&mut api, targets, true, dry, out)?;
    let pod_info = &crate::kinds::pod::KIND;
    let ds_info = &crate::kinds::daemonset::KIND;
    let mut fatal: Vec<String> = Vec::new();
    let mut remaining: Vec<String> = Vec::new();
    for node in &targets {
        let node_name = crate::api::name_of(node).to_string();
        let mut pods: Vec<Value> = Vec::new();
        api.for_each_on_node(pod_info, &node_name, |p| {
            if pod_selector
                .as_ref()
                .is_none_or(|s| s.matches_value(p.pointer("/metadata/labels")))
            {
                pods.push(p.clone());
            }
        })?;
        pods.sort_by(|x, y| {
            (crate::api::namespace_of(x), crate::api::name_of(x))
                .cmp(&(crate::api::namespace_of(y), crate::api::name_of(y)))
        });
        let mut delete: Vec<(String, String)> = Vec::new();
        let mut warnings: Vec<(String, String)> = Vec::new();
        let mut errors: Vec<(String, String)> = Vec::new();
        for p in &pods {
            let id = (
                crate::api::namespace_of(p).to_string(),
                crate::api::name_of(p).to_string(),
            );
            let fate = pod_fate(p, &a, |ns, n| {
                api.try_get_ref(ds_info, ns, n).ok().flatten().is_some()
            });
            match fate {
                PodFate::Delete => delete.push(id),
                PodFate::Skip => {}
                PodFate::Warn(del, m) => {
                    warnings.push((m, format!("{}/{}", id.0, id.1)));
                    if del {
                        delete.push(id);
                    }
                }
                PodFate::Fail(m) => errors.push((m, format!("{}/{}", id.0, id.1))),
            }
        }
        if !errors.is_empty() {
            let errs: Vec<String> = grouped(&errors)
                .into_iter()
                .map(|(m, ps)| format!("cannot delete {m}: {}", ps.join(", ")))
                .collect();
            let msg = if errs.len() == 1 {
                errs[0].clone()
            } else {
                format!("[{}]", errs.join(", "))
            };
            out.error(CliError::msg(format!(
                "unable to drain node \"{node_name}\" due to error: {msg}, continuing command..."
            )));
            fatal.push(msg);
            remaining.push(node_name);
            continue;
        }
        if !warnings.is_empty() {
            let w: Vec<String> = grouped(&warnings)
                .into_iter()
                .map(|(m, ps)| format!("{m}: {}", ps.join(", ")))
                .collect();
            out.warn(&w.join("; "));
        }
        if dry == Some("client") {
            for (ns, n) in &delete {
                writeln!(out.out, "evicting pod {ns}/{n} (dry run)")?;
            }
        } else {
            let evicting = !a.disable_eviction;
            for (ns, n) in &delete {
                if evicting {
                    match dry {
                        Some(_) => writeln!(out.out, "evicting pod {ns}/{n} (server dry run)")?,
                        None => writeln!(out.out, "evicting pod {ns}/{n}")?,
                    }
                }
                if dry.is_none() {
                    evict_or_delete(&mut api, ns, n, evicting, a.grace_period)?;
                }
            }
            if dry.is_none() {
                // Wait, as kubectl polls, until every pod is gone (its graceful termination
                // runs on the virtual clock).
                crate::engine::settle(&mut api, &crate::cli::cluster::PLANE, 3600)?;
                for (ns, n) in &delete {
                    let gone = api.try_get_ref(pod_info, ns, n)?.is_none();
                    let verb = match (evicting, gone) {
                        (true, true) => "evicted",
                        (true, false) => "eviction failed",
                        (false, true) => "deleted",
                        (false, false) => "deletion failed",
                    };
                    writeln!(out.out, "pod/{n} {verb}")?;
                }
            }
        }
        report(
            out,
            &Format::Table,
            node_kind(),
            node,
            &format!("drained{}", dry_suffix(dry)),
        )?;
    }
    if !remaining.is_empty() {
        let _ = out.out.flush();
        let mut text = String::from("There are pending nodes to be drained:\n");
        for n in &remaining {
            text.push_str(&format!(" {n}\n"));
        }
        let _ = out.err.write_all(text.as_bytes());
    }
    ctx.finish(api)?;
    match fatal.len() {
        0 => Ok(()),
        1 => Err(CliError::msg(fatal.remove(0))),
        _ => Err(CliError::msg(format!("[{}]", fatal.join(", ")))),
    }
}

/// The eviction subresource (condition `DisruptionTarget` reason `EvictionByEvictionAPI`, then
/// a graceful delete) or a plain delete (`--disable-eviction`).
fn evict_or_delete(
    api: &mut Api,
    ns: &str,
    name: &str,
    evicting: bool,
    grace: i64,
) -> Result<(), CliError> {
    let info = &crate::kinds::pod::KIND;
    let Some(mut pod) = api.try_get(info, ns, name)? else {
        return Ok(());
    };
    if evicting && pod.pointer("/metadata/deletionTimestamp").is_none() {
        let now = crate::api::fmt_time(api.now());
        crate::api::set_condition(
            &mut pod,
            "DisruptionTarget",
            "True",
            Some("EvictionByEvictionAPI"),
            Some("Eviction API: evicting"),
            &now,
        )?;
        api.update_status(info, ns, pod)?;
    }
    let opts = crate::api::DeleteOptions {
        propagation: None,
        grace_period: (grace >= 0).then_some(grace),
    };
    Ok(api.delete_if_present(info, ns, name, opts)?)
}

/// One taint as `kubectl taint` takes it: `key[=value]:effect` to add, `key[:effect]-` to
/// remove.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TaintSpec {
    key: String,
    value: String,
    effect: String,
}

impl TaintSpec {
    /// `Taint.ToString()`.
    fn to_go_string(&self) -> String {
        match (self.effect.is_empty(), self.value.is_empty()) {
            (true, true) => self.key.clone(),
            (true, false) => format!("{}={}:", self.key, self.value),
            (false, true) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }

    /// `Taint.MatchTaint`: same key and effect.
    fn matches(&self, t: &Value) -> bool {
        t.get("key").and_then(Value::as_str).unwrap_or("") == self.key
            && t.get("effect").and_then(Value::as_str).unwrap_or("") == self.effect
    }

    fn to_value(&self) -> Value {
        let mut t = serde_json::Map::new();
        t.insert("effect".into(), json!(self.effect));
        t.insert("key".into(), json!(self.key));
        if !self.value.is_empty() {
            t.insert("value".into(), json!(self.value));
        }
        Value::Object(t)
    }
}

/// `parseTaint`.
fn parse_taint(st: &str) -> Result<TaintSpec, String> {
    let parts: Vec<&str> = st.split(':').collect();
    let (key, value, effect) = match parts.len() {
        1 => (parts[0].to_string(), String::new(), String::new()),
        2 => {
            let effect = parts[1];
            if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                return Err(format!(
                    "invalid taint effect: {effect}, unsupported taint effect"
                ));
            }
            let kv: Vec<&str> = parts[0].split('=').collect();
            if kv.len() > 2 {
                return Err(format!("invalid taint spec: {st}"));
            }
            let value = kv.get(1).copied().unwrap_or("");
            let errs = crate::api::validate::is_valid_label_value(value);
            if kv.len() == 2 && !errs.is_empty() {
                return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
            }
            (kv[0].to_string(), value.to_string(), effect.to_string())
        }
        _ => return Err(format!("invalid taint spec: {st}")),
    };
    let errs = crate::api::validate::is_qualified_name(&key);
    if !errs.is_empty() {
        return Err(format!("invalid taint spec: {st}, {}", errs.join("; ")));
    }
    Ok(TaintSpec { key, value, effect })
}

/// `parseTaints`: the taints to add and to remove.
fn parse_taints(specs: &[String]) -> Result<(Vec<TaintSpec>, Vec<TaintSpec>), String> {
    let mut add: Vec<TaintSpec> = Vec::new();
    let mut remove = Vec::new();
    for s in specs {
        if let Some(r) = s.strip_suffix('-') {
            let t = parse_taint(r)?;
            remove.push(TaintSpec {
                value: String::new(),
                ..t
            });
        } else {
            let t = parse_taint(s)?;
            if t.effect.is_empty() {
                return Err(format!("invalid taint spec: {s}"));
            }
            if add.iter().any(|o| o.key == t.key && o.effect == t.effect) {
                // Go's %v of the Taint struct.
                return Err(format!(
                    "duplicated taints with the same key and effect: {{{} {} {} <nil>}}",
                    t.key, t.value, t.effect
                ));
            }
            add.push(t);
        }
    }
    Ok((add, remove))
}

/// `reorganizeTaints`: the new taints (those added first, then the node's others) and the
/// operation word, or the aggregated "not found" errors.
fn reorganize(
    old: &[Value],
    overwrite: bool,
    add: &[TaintSpec],
    remove: &[TaintSpec],
) -> Result<(&'static str, Vec<Value>), String> {
    let mut new: Vec<Value> = add.iter().map(TaintSpec::to_value).collect();
    for o in old {
        if !add.iter().any(|t| t.matches(o)) {
            new.push(o.clone());
        }
    }
    let added = old.len() != new.len();
    let mut errs = Vec::new();
    let mut deleted = false;
    for r in remove {
        let before = new.len();
        new.retain(|t| {
            if r.effect.is_empty() {
                t.get("key").and_then(Value::as_str).unwrap_or("") != r.key
            } else {
                !r.matches(t)
            }
        });
        deleted = new.len() != before;
        if !deleted {
            errs.push(format!("taint \"{}\" not found", r.to_go_string()));
        }
    }
    match errs.len() {
        0 => {}
        1 => return Err(errs.remove(0)),
        _ => return Err(format!("[{}]", errs.join(", "))),
    }
    let op = if (added && deleted) || overwrite {
        "modified"
    } else if added {
        "tainted"
    } else {
        "untainted"
    };
    Ok((op, new))
}

pub fn run_taint(ctx: &Ctx, a: TaintArgs, out: &mut Out) -> CliResult {
    let fmt = a.flags.output.format()?;
    let dry = a.flags.dry_run.mode()?;
    a.validate.mode()?;
    let mut resources: Vec<String> = Vec::new();
    let mut specs: Vec<String> = Vec::new();
    for s in &a.args {
        let is_taint = s.contains('=') || s.contains(':') || s.ends_with('-');
        if is_taint {
            specs.push(s.clone());
        } else if !specs.is_empty() {
            return Err(CliError::msg(format!(
                "all resources must be specified before taint changes: {s}"
            )));
        } else {
            resources.push(s.clone());
        }
    }
    if resources.is_empty() {
        return Err(CliError::msg(
            "one or more resources must be specified as <resource> <name>",
        ));
    }
    if specs.is_empty() {
        return Err(CliError::msg("at least one taint update is required"));
    }
    let (add, remove) = parse_taints(&specs).map_err(|e| usage("taint", &e))?;
    let rtype = resources[0].to_lowercase();
    let k = kinds::resolve(&rtype).ok_or_else(|| {
        CliError::msg(format!(
            "the server doesn't have a resource type \"{rtype}\""
        ))
    })?;
    if k != &crate::kinds::node::KIND {
        return Err(CliError::msg(format!(
            "invalid resource type {rtype}, only node types are supported"
        )));
    }
    let conflicts: Vec<String> = add
        .iter()
        .flat_map(|t| {
            remove
                .iter()
                .filter(move |r| r.key == t.key && (r.effect.is_empty() || r.effect == t.effect))
                .map(|r| format!("{}={}", r.key, r.effect))
        })
        .collect();
    if !conflicts.is_empty() {
        return Err(CliError::msg(format!(
            "can not both modify and remove the following taint(s) in the same command: {}",
            conflicts.join(", ")
        )));
    }
    if a.all && a.selector.is_some() {
        return Err(CliError::msg(
            "setting 'all' parameter with a non empty selector is prohibited",
        ));
    }
    if !a.all && a.selector.as_deref().is_none() && resources.len() < 2 {
        return Err(CliError::msg(
            "at least one resource name must be specified since 'all' parameter is not set",
        ));
    }
    let selector = match (a.all, a.selector.as_deref()) {
        (true, _) => Some(Selector::everything()),
        (false, s) => super::resources::label_selector(s)?,
    };
    let mut api = ctx.open_write()?;
    let names: Vec<String> = resources[1..].to_vec();
    let targets = nodes(&mut api, &names, selector.as_ref())?;
    let info = node_kind();
    for mut node in targets {
        let r = (|| -> CliResult {
            let name = crate::api::name_of(&node).to_string();
            let old: Vec<Value> = node
                .pointer("/spec/taints")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if !a.overwrite {
                let exists: Vec<&str> = add
                    .iter()
                    .filter(|t| old.iter().any(|o| t.matches(o)))
                    .map(|t| t.key.as_str())
                    .collect();
                if !exists.is_empty() {
                    return Err(CliError::msg(format!(
                        "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                        exists.join(",")
                    )));
                }
            }
            let (op, new) = reorganize(&old, a.overwrite, &add, &remove).map_err(CliError::msg)?;
            if new.is_empty() {
                if let Some(spec) = node.get_mut("spec").and_then(Value::as_object_mut) {
                    spec.remove("taints");
                }
            } else {
                if !node.get("spec").is_some_and(Value::is_object) {
                    node.set("/spec", json!({}))?;
                }
                node.set("/spec/taints", Value::Array(new))?;
            }
            if dry.is_none() {
                node = api.update(info, "", node.clone())?;
            }
            report(out, &fmt, info, &node, &format!("{op}{}", dry_suffix(dry)))
        })();
        // kubectl stops at the first node that fails.
        r?;
    }
    ctx.finish(api)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> TaintSpec {
        parse_taint(s).unwrap()
    }

    #[test]
    fn taint_arguments_parse_as_kubectl_parses_them() {
        assert_eq!(
            t("dedicated=special-user:NoSchedule"),
            TaintSpec {
                key: "dedicated".into(),
                value: "special-user".into(),
                effect: "NoSchedule".into()
            }
        );
        assert_eq!(t("bar:NoExecute").to_go_string(), "bar:NoExecute");
        assert_eq!(t("example.com/gpu").to_go_string(), "example.com/gpu");
        assert_eq!(
            parse_taint("a:Sometimes").unwrap_err(),
            "invalid taint effect: Sometimes, unsupported taint effect"
        );
        assert_eq!(
            parse_taint("a=b=c:NoSchedule").unwrap_err(),
            "invalid taint spec: a=b=c:NoSchedule"
        );
        assert_eq!(
            parse_taint("a:b:c").unwrap_err(),
            "invalid taint spec: a:b:c"
        );
        assert!(
            parse_taint("-a:NoSchedule")
                .unwrap_err()
                .starts_with("invalid taint spec: -a:NoSchedule, name part must consist of")
        );
        let specs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // A key without an effect adds nothing; `a=1` is read as a key, and fails as one.
        assert_eq!(
            parse_taints(&specs(&["a"])).unwrap_err(),
            "invalid taint spec: a"
        );
        assert!(
            parse_taints(&specs(&["a=1"]))
                .unwrap_err()
                .starts_with("invalid taint spec: a=1, name part must consist of")
        );
        assert_eq!(
            parse_taints(&specs(&["a=1:NoSchedule", "a=2:NoSchedule"])).unwrap_err(),
            "duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}"
        );
        let (add, remove) =
            parse_taints(&specs(&["a=1:NoSchedule", "b-", "c=x:NoExecute-"])).unwrap();
        assert_eq!(add.len(), 1);
        assert_eq!(remove[0].to_go_string(), "b");
        assert_eq!(remove[1].to_go_string(), "c:NoExecute");
    }

    #[test]
    fn drain_filters_decide_as_kubectl_filter_pods() {
        use clap::Parser;
        #[derive(Parser)]
        struct W {
            #[command(flatten)]
            a: DrainArgs,
        }
        let args = |flags: &[&str]| {
            let mut v = vec!["drain", "n"];
            v.extend_from_slice(flags);
            W::parse_from(v).a
        };
        let owned = |kind: &str, api: &str| {
            json!({"metadata": {"name": "p", "namespace": "default", "ownerReferences": [
                {"kind": kind, "apiVersion": api, "name": "o", "uid": "u", "controller": true}
            ]}})
        };
        let rs = owned("ReplicaSet", "apps/v1");
        let ds = owned("DaemonSet", "apps/v1");
        let bare = json!({"metadata": {"name": "p", "namespace": "default"}});
        let mut scratch = rs.clone();
        scratch
            .set("/spec", json!({"volumes": [{"name": "s", "emptyDir": {}}]}))
            .unwrap();
        let exists = |_: &str, _: &str| true;
        let none = args(&[]);
        assert_eq!(pod_fate(&rs, &none, exists), PodFate::Delete);
        assert_eq!(
            pod_fate(&bare, &none, exists),
            PodFate::Fail("Pods that declare no controller (use --force to override)".into())
        );
        assert_eq!(
            pod_fate(&bare, &args(&["--force"]), exists),
            PodFate::Warn(true, "deleting Pods that declare no controller".into())
        );
        assert_eq!(
            pod_fate(&ds, &none, exists),
            PodFate::Fail("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)".into())
        );
        assert_eq!(
            pod_fate(&ds, &args(&["--ignore-daemonsets"]), exists),
            PodFate::Warn(false, "ignoring DaemonSet-managed Pods".into())
        );
        assert_eq!(
            pod_fate(&ds, &none, |_, _| false),
            PodFate::Fail("daemonsets.apps \"o\" not found".into())
        );
        assert_eq!(
            pod_fate(&scratch, &none, exists),
            PodFate::Fail(
                "Pods with local storage (use --delete-emptydir-data to override)".into()
            )
        );
        // The local-storage warning gives way to the unreplicated filter's "okay".
        assert_eq!(
            pod_fate(&scratch, &args(&["--delete-emptydir-data"]), exists),
            PodFate::Delete
        );
        // Finished pods go whatever they are.
        let mut done = bare.clone();
        done.set("/status", json!({"phase": "Succeeded"})).unwrap();
        assert_eq!(pod_fate(&done, &none, exists), PodFate::Delete);
        let mut mirror = bare.clone();
        mirror
            .set(
                "/metadata/annotations",
                json!({"kubernetes.io/config.mirror": "x"}),
            )
            .unwrap();
        assert_eq!(pod_fate(&mirror, &none, exists), PodFate::Skip);
    }

    #[test]
    fn new_taints_come_first_and_the_operation_word_follows_kubectl() {
        let old = vec![
            json!({"key": "a", "value": "1", "effect": "NoSchedule"}),
            json!({"key": "b", "effect": "NoExecute"}),
        ];
        // Adding: the new taint first, then the node's others.
        let (op, new) = reorganize(&old, false, &[t("c=3:PreferNoSchedule")], &[]).unwrap();
        assert_eq!(op, "tainted");
        let keys: Vec<&str> = new.iter().map(|t| t["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["c", "a", "b"]);
        // Replacing a taint's value with --overwrite.
        let (op, new) = reorganize(&old, true, &[t("a=9:NoSchedule")], &[]).unwrap();
        assert_eq!(op, "modified");
        assert_eq!(
            new[0],
            json!({"key": "a", "value": "9", "effect": "NoSchedule"})
        );
        assert_eq!(new.len(), 2);
        // Removing by key and effect, or by key alone.
        let rm = |s: &str| TaintSpec {
            value: String::new(),
            ..t(s)
        };
        let (op, new) = reorganize(&old, false, &[], &[rm("b:NoExecute")]).unwrap();
        assert_eq!((op, new.len()), ("untainted", 1));
        let (_, new) = reorganize(&old, false, &[], &[rm("a")]).unwrap();
        assert_eq!(new, [json!({"key": "b", "effect": "NoExecute"})]);
        assert_eq!(
            reorganize(&old, false, &[], &[rm("z:NoSchedule")]).unwrap_err(),
            "taint \"z:NoSchedule\" not found"
        );
        // Adding one and removing another: modified.
        let (op, _) = reorganize(&old, false, &[t("c=3:NoSchedule")], &[rm("b")]).unwrap();
        assert_eq!(op, "modified");
    }
}
