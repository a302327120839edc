//! `kubesim rollout history|undo|status|pause|resume|restart` for Deployments (and
//! history/undo/status/restart for StatefulSets and DaemonSets), as kubectl's polymorphic
//! helpers do them.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::Ptr;
use crate::api::kinds::KindInfo;
use crate::api::{Api, fmt_time, name_of};
use crate::controllers::daemonset;
use crate::controllers::deployment;
use crate::controllers::history;
use crate::controllers::statefulset;
use crate::print::output::Format;
use crate::util::fields::Fields;
use clap::{Args, Subcommand};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use serde_json::{Value, json};
use std::io::Write;

#[derive(Subcommand, Debug, Clone)]
pub enum RolloutCmd {
    /// View rollout history
    History(HistoryArgs),
    /// Undo a previous rollout
    Undo(UndoArgs),
    /// Show the status of the rollout
    Status(StatusArgs),
    /// Mark the provided resource as paused
    Pause(ChangeArgs),
    /// Resume a paused resource
    Resume(ChangeArgs),
    /// Restart a resource
    Restart(ChangeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct Targets {
    /// TYPE NAME | TYPE/NAME
    #[arg(value_name = "RESOURCE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// Filename identifying the resource
    #[arg(short = 'f', long)]
    pub filename: Vec<String>,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// Process the directory used in -f, --filename recursively
    #[arg(short = 'R', long)]
    pub recursive: bool,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "output",
    flags::usage("Output format: json|yaml|name|jsonpath=... (prints the revisions' ReplicaSets)")
))]
pub struct HistoryArgs {
    #[command(flatten)]
    pub t: Targets,
    /// See the details, including podTemplate of the revision specified
    #[arg(long, default_value_t = 0)]
    pub revision: i64,
    #[command(flatten)]
    pub output: flags::OutputFlags,
}

#[derive(Args, Debug, Clone)]
pub struct UndoArgs {
    #[command(flatten)]
    pub t: Targets,
    /// The revision to rollback to. Default to 0 (last revision).
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub to_revision: i64,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
}

/// `rollout pause|resume|restart`.
#[derive(Args, Debug, Clone)]
pub struct ChangeArgs {
    #[command(flatten)]
    pub t: Targets,
    #[command(flatten)]
    pub output: flags::OutputFlags,
}

#[derive(Args, Debug, Clone)]
pub struct StatusArgs {
    #[command(flatten)]
    pub t: Targets,
    /// Watch the status of the rollout until it's done
    #[arg(short = 'w', long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub watch: bool,
    /// Pin to a specific revision for showing its status. Defaults to 0 (last revision).
    #[arg(long, default_value_t = 0)]
    pub revision: i64,
    /// The length of time to wait before ending watch, zero means never (e.g. 5m)
    #[arg(long, default_value = "0s", value_parser = super::goflags::GoDuration)]
    pub timeout: String,
}

pub fn run(ctx: &Ctx, cmd: RolloutCmd, out: &mut Out) -> CliResult {
    match cmd {
        RolloutCmd::History(a) => history(ctx, a, out),
        RolloutCmd::Undo(a) => undo(ctx, a, out),
        RolloutCmd::Status(a) => status(ctx, a, out),
        RolloutCmd::Pause(a) => pause_resume(ctx, a, out, true),
        RolloutCmd::Resume(a) => pause_resume(ctx, a, out, false),
        RolloutCmd::Restart(a) => restart(ctx, a, out),
    }
}

/// The objects the arguments name (kind, namespace, name).
fn targets(
    ctx: &Ctx,
    api: &mut Api,
    t: &Targets,
) -> Result<Vec<(&'static KindInfo, String, String)>, CliError> {
    let ns = ctx.namespace()?;
    let mut out = Vec::new();
    if !t.filename.is_empty() {
        for m in resources::load(&t.filename, t.recursive)? {
            let (d, ons) = super::apply::decode_manifest(&m, ctx, "getting")?;
            out.push((d.info, ons, name_of(&d.object).to_string()));
        }
        return Ok(out);
    }
    if t.args.is_empty() {
        return Err(CliError::raw(resources::NO_RESOURCES_GIVEN));
    }
    let selector = super::resources::label_selector(t.selector.as_deref())?;
    for g in resources::parse(&t.args)? {
        match g.names {
            Some(names) => {
                for n in names {
                    api.get(g.info, &ns, &n)?;
                    out.push((g.info, ns.clone(), n));
                }
            }
            None => {
                for o in api.list(g.info, Some(&ns))? {
                    if selector
                        .as_ref()
                        .is_none_or(|s| s.matches_value(o.pointer("/metadata/labels")))
                    {
                        out.push((g.info, ns.clone(), name_of(&o).to_string()));
                    }
                }
            }
        }
    }
    if out.is_empty() {
        return Err(CliError::raw(format!(
            "No resources found in {ns} namespace."
        )));
    }
    Ok(out)
}

fn deployment_and_rss(
    api: &mut Api,
    ns: &str,
    name: &str,
) -> Result<(Deployment, Vec<ReplicaSet>), CliError> {
    let dv = api.get(&crate::kinds::deployment::KIND, ns, name)?;
    let d: Deployment = serde_json::from_value(dv).map_err(CliError::msg)?;
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let rss: Vec<ReplicaSet> = api
        .list_controlled(&crate::kinds::replicaset::KIND, ns, &uid)?
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();
    Ok((d, rss))
}

fn history(ctx: &Ctx, a: HistoryArgs, out: &mut Out) -> CliResult {
    let fmt = match a.output.as_deref() {
        Some(o) => Some(Format::parse(Some(o))?),
        None => None,
    };
    let mut api = ctx.open_read()?;
    for (info, ns, name) in targets(ctx, &mut api, &a.t)? {
        if uses_revisions(info) {
            revisions_history(&mut api, out, fmt.as_ref(), info, &ns, &name, a.revision)?;
            continue;
        }
        if info != &crate::kinds::deployment::KIND {
            out.error(CliError::msg(format!(
                "no history viewer has been implemented for \"{}\"",
                qualified_kind(info)
            )));
            continue;
        }
        let (d, rss) = deployment_and_rss(&mut api, &ns, &name)?;
        let refs: Vec<&ReplicaSet> = rss.iter().collect();
        if let Some(fmt) = &fmt {
            print_revisions(&mut api, out, fmt, &d, &refs, a.revision)?;
            continue;
        }
        if a.revision > 0 {
            let t = deployment::history_revision(&d, &refs, a.revision).map_err(CliError::msg)?;
            let tv = serde_json::to_value(&t).map_err(CliError::msg)?;
            writeln!(
                out.out,
                "{} with revision #{}",
                info.name_form() + "/" + &name,
                a.revision
            )?;
            out.out.write_all(
                crate::kinds::common::describe::rollout_history_template(&tv).as_bytes(),
            )?;
            writeln!(out.out)?;
        } else {
            let entries = deployment::history(&d, &refs).map_err(CliError::msg)?;
            writeln!(out.out, "{}/{name} ", info.name_form())?;
            writeln!(out.out, "{}", deployment::history_table(&entries))?;
        }
    }
    Ok(())
}

/// `rollout history -o FORMAT`: the ReplicaSets of the revisions (of one with `--revision`),
/// oldest revision first, as kubectl's `GetHistory` hands them to the printer.
fn print_revisions(
    api: &mut Api,
    out: &mut Out,
    fmt: &Format,
    d: &Deployment,
    rss: &[&ReplicaSet],
    revision: i64,
) -> CliResult {
    let info = &crate::kinds::replicaset::KIND;
    let (old, new) = deployment::kubectl_replica_sets(d, rss).map_err(CliError::msg)?;
    let mut by_rev: std::collections::BTreeMap<i64, &ReplicaSet> = Default::default();
    for rs in old.into_iter().chain(new) {
        by_rev.insert(deployment::util::rs_revision(rs).unwrap_or(0), rs);
    }
    let chosen: Vec<&ReplicaSet> = if revision > 0 {
        vec![
            by_rev
                .get(&revision)
                .copied()
                .ok_or_else(|| CliError::msg("unable to find the specified revision"))?,
        ]
    } else {
        by_rev.into_values().collect()
    };
    for rs in chosen {
        let name = rs.metadata.name.clone().unwrap_or_default();
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let obj = api.get(info, &ns, &name)?;
        super::apply::report(out, fmt, info, &obj, "")?;
    }
    Ok(())
}

/// The kinds whose history is ControllerRevisions (kubectl's StatefulSet and DaemonSet
/// history viewers and rollbackers).
fn uses_revisions(info: &KindInfo) -> bool {
    info == &crate::kinds::statefulset::KIND || info == &crate::kinds::daemonset::KIND
}

/// `rollout history` of a StatefulSet or DaemonSet: its ControllerRevisions (kubectl's
/// `printHistory`; with `-o`, the object as each revision restores it, oldest first).
fn revisions_history(
    api: &mut Api,
    out: &mut Out,
    fmt: Option<&Format>,
    info: &'static KindInfo,
    ns: &str,
    name: &str,
    revision: i64,
) -> CliResult {
    let (set, revs) = history::history(api, info, ns, name)?;
    let mut by_rev: std::collections::BTreeMap<i64, &Value> = Default::default();
    for r in &revs {
        by_rev.insert(r.get("revision").and_then(Value::as_i64).unwrap_or(0), r);
    }
    let chosen = |revision: i64| -> Result<Vec<&Value>, CliError> {
        if revision > 0 {
            Ok(vec![by_rev.get(&revision).copied().ok_or_else(|| {
                CliError::msg("unable to find the specified revision")
            })?])
        } else {
            Ok(by_rev.values().copied().collect())
        }
    };
    if let Some(fmt) = fmt {
        for r in chosen(revision)? {
            super::apply::report(out, fmt, info, &history::apply_revision(&set, r), "")?;
        }
        return Ok(());
    }
    if by_rev.is_empty() {
        // kubectl's printHistory with no revisions at all.
        let with = if revision > 0 {
            format!("with revision #{revision}")
        } else {
            String::new()
        };
        writeln!(out.out, "{}/{name} {with}", info.name_form())?;
        writeln!(out.out, "No rollout history found.")?;
        return Ok(());
    }
    if revision > 0 {
        let r = chosen(revision)?[0];
        let applied = history::apply_revision(&set, r);
        let t = applied.ptr("/spec/template").cloned().unwrap_or(json!({}));
        writeln!(
            out.out,
            "{}/{name} with revision #{revision}",
            info.name_form()
        )?;
        out.out
            .write_all(crate::kinds::common::describe::rollout_history_template(&t).as_bytes())?;
        writeln!(out.out)?;
        return Ok(());
    }
    let entries: Vec<deployment::HistoryEntry> = by_rev
        .iter()
        .map(|(rev, r)| deployment::HistoryEntry {
            revision: *rev,
            replica_set: name_of(r).to_string(),
            change_cause: r
                .ptr("/metadata/annotations/kubernetes.io~1change-cause")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            template: Default::default(),
        })
        .collect();
    writeln!(out.out, "{}/{name} ", info.name_form())?;
    writeln!(out.out, "{}", deployment::history_table(&entries))?;
    Ok(())
}

/// `rollout undo` of a StatefulSet or DaemonSet (kubectl's `StatefulSetRollbacker`,
/// `DaemonSetRollbacker`): the template becomes the revision's; the controller then rolls the
/// pods.
fn revisions_undo(
    api: &mut Api,
    out: &mut Out,
    fmt: &Format,
    info: &'static KindInfo,
    (ns, name): (&str, &str),
    to_revision: i64,
    dry: Option<&str>,
) -> CliResult {
    let not_found = || {
        CliError::msg(format!(
            "unable to find specified revision {to_revision} in history"
        ))
    };
    if to_revision < 0 {
        return Err(not_found());
    }
    let (set, revs) = history::history(api, info, ns, name)?;
    if to_revision == 0 && revs.len() <= 1 {
        return Err(CliError::msg("no last revision to roll back to"));
    }
    let target = if to_revision == 0 {
        &revs[revs.len() - 2]
    } else {
        revs.iter()
            .find(|r| r.get("revision").and_then(Value::as_i64) == Some(to_revision))
            .ok_or_else(not_found)?
    };
    let suffix = super::apply::dry_suffix(dry);
    if dry == Some("client") {
        let applied = history::apply_revision(&set, target);
        let t = applied.ptr("/spec/template").cloned().unwrap_or(json!({}));
        let op = format!(
            "will roll back to {}{suffix}",
            crate::kinds::common::describe::rollout_history_template(&t)
        );
        return super::apply::report(out, fmt, info, &set, &op);
    }
    if history::matches_revision(&set, target) {
        let op = format!(
            "skipped rollback (current template already matches revision {to_revision}){suffix}"
        );
        return super::apply::report(out, fmt, info, &set, &op);
    }
    if dry.is_none() {
        api.update(info, ns, history::apply_revision(&set, target))?;
    }
    super::apply::report(out, fmt, info, &set, &format!("rolled back{suffix}"))
}

fn qualified_kind(info: &KindInfo) -> String {
    if info.group.is_empty() {
        info.kind.to_string()
    } else {
        format!("{}.{}", info.kind, info.group)
    }
}

fn undo(ctx: &Ctx, a: UndoArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    let suffix = super::apply::dry_suffix(dry);
    let mut api = ctx.open_write()?;
    for (info, ns, name) in targets(ctx, &mut api, &a.t)? {
        if uses_revisions(info) {
            if let Err(e) =
                revisions_undo(&mut api, out, &fmt, info, (&ns, &name), a.to_revision, dry)
            {
                out.error(e);
            }
            continue;
        }
        if info != &crate::kinds::deployment::KIND {
            out.error(CliError::msg(format!(
                "no rollbacker has been implemented for \"{}\"",
                qualified_kind(info)
            )));
            continue;
        }
        // kubectl prints the Deployment as it read it before the rollback.
        let before = api.get(info, &ns, &name)?;
        let (d, rss) = deployment_and_rss(&mut api, &ns, &name)?;
        let refs: Vec<&ReplicaSet> = rss.iter().collect();
        if dry == Some("client") {
            // The template it would roll back to, described (kubectl's printTemplate).
            let t =
                deployment::rollback_template(&d, &refs, a.to_revision).map_err(CliError::msg)?;
            let tv = serde_json::to_value(&t).map_err(CliError::msg)?;
            let op = crate::kinds::common::describe::rollout_history_template(&tv);
            super::apply::report(out, &fmt, info, &before, &format!("{op}{suffix}"))?;
            continue;
        }
        match deployment::rollback(&d, &refs, a.to_revision).map_err(CliError::msg)? {
            deployment::RollbackOutcome::Skipped(rev) => {
                let op = format!(
                    "skipped rollback (current template already matches revision {rev}){suffix}"
                );
                super::apply::report(out, &fmt, info, &before, &op)?;
            }
            deployment::RollbackOutcome::RolledBack(nd) => {
                if dry.is_none() {
                    let mut cur = before.clone();
                    let want = serde_json::to_value(&*nd).map_err(CliError::msg)?;
                    cur.set(
                        "/spec/template",
                        want.pointer("/spec/template").cloned().unwrap_or(json!({})),
                    )?;
                    cur.set(
                        "/metadata/annotations",
                        want.pointer("/metadata/annotations")
                            .cloned()
                            .unwrap_or(json!({})),
                    )?;
                    api.update(info, &ns, cur)?;
                }
                super::apply::report(out, &fmt, info, &before, &format!("rolled back{suffix}"))?;
            }
        }
    }
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

fn status(ctx: &Ctx, a: StatusArgs, out: &mut Out) -> CliResult {
    let timeout = super::sim::parse_duration(&a.timeout)?;
    let mut api = ctx.open_write()?;
    let ts = targets(ctx, &mut api, &a.t)?;
    let (info, ns, name) = ts.into_iter().next().expect("non-empty");
    if !matches!(info.kind, "Deployment" | "StatefulSet" | "DaemonSet") {
        return Err(CliError::msg(format!(
            "no status viewer has been implemented for {}",
            qualified_kind(info)
        )));
    }
    let start = api.now();
    // Without a timeout, watch for at most a day of virtual time.
    let limit = if timeout.is_zero() {
        start + jiff::SignedDuration::from_hours(24)
    } else {
        start + timeout
    };
    // Every version of the object the watch log shows is judged, as kubectl's watch sees each
    // status write (a rollout step may pass through a state within one tick).
    api.keep_changes = true;
    let judge = |dv: Value| -> Result<(String, bool, Option<String>), CliError> {
        Ok(if info == &crate::kinds::statefulset::KIND {
            let s: StatefulSet = serde_json::from_value(dv).map_err(CliError::msg)?;
            statefulset::rollout_status(&s)
        } else if info == &crate::kinds::daemonset::KIND {
            let d: DaemonSet = serde_json::from_value(dv).map_err(CliError::msg)?;
            daemonset::rollout_status(&d)
        } else {
            let d: Deployment = serde_json::from_value(dv).map_err(CliError::msg)?;
            deployment::rollout_status_at_revision(&d, a.revision)
        })
    };
    let mut last = String::new();
    let mut versions: Vec<Option<Value>> = vec![api.try_get(info, &ns, &name)?];
    let result = 'watch: loop {
        for v in versions.drain(..) {
            let Some(dv) = v else {
                break 'watch Err(CliError::msg("object has been deleted"));
            };
            let (line, done, err) = judge(dv)?;
            if let Some(e) = err {
                break 'watch Err(CliError::msg(e));
            }
            if line != last {
                write!(out.out, "{line}")?;
                if !line.ends_with('\n') {
                    writeln!(out.out)?;
                }
                out.out.flush()?;
                last = line;
            }
            if done || !a.watch {
                break 'watch Ok(());
            }
        }
        let seen = api.changes.len();
        if !crate::engine::run_next(&mut api, &crate::cli::cluster::PLANE, limit, false)? {
            if !timeout.is_zero() {
                api.set_now(limit);
            }
            // Without a timeout nothing will ever change: a real kubectl would wait forever.
            break Err(CliError::msg("timed out waiting for the condition"));
        }
        versions = api.changes[seen..]
            .iter()
            .filter(|c| {
                c.info == info
                    && name_of(&c.object) == name
                    && crate::api::namespace_of(&c.object) == ns
            })
            .map(|c| (c.op != crate::api::Op::Deleted).then(|| (*c.object).clone()))
            .collect();
    };
    api.commit()?;
    result
}

fn pause_resume(ctx: &Ctx, a: ChangeArgs, out: &mut Out, pause: bool) -> CliResult {
    let fmt = a.output.format()?;
    let mut api = ctx.open_write()?;
    for (info, ns, name) in targets(ctx, &mut api, &a.t)? {
        let r = (|| -> CliResult {
            if info != &crate::kinds::deployment::KIND {
                return Err(CliError::msg(format!(
                    "{}/{name} {} is not supported",
                    info.name_form(),
                    if pause { "pausing" } else { "resuming" }
                )));
            }
            let mut d = api.get(info, &ns, &name)?;
            let paused = d
                .pointer("/spec/paused")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if paused == pause {
                return Err(CliError::msg(format!(
                    "{} \"{name}\" is {}",
                    info.resource(),
                    if pause {
                        "already paused"
                    } else {
                        "not paused"
                    }
                )));
            }
            if pause {
                d.set("/spec/paused", json!(true))?;
            } else if let Some(s) = d.get_mut("spec").and_then(Value::as_object_mut) {
                s.remove("paused");
            }
            let d = api.update(info, &ns, d)?;
            let op = if pause { "paused" } else { "resumed" };
            super::apply::report(out, &fmt, info, &d, op)
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish(api)?;
    Ok(())
}

fn restart(ctx: &Ctx, a: ChangeArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let mut api = ctx.open_write()?;
    for (info, ns, name) in targets(ctx, &mut api, &a.t)? {
        let r = (|| -> CliResult {
            let Some(ptr) = (match info.kind {
                "Deployment" | "DaemonSet" | "StatefulSet" => Some("/spec/template/metadata"),
                _ => None,
            }) else {
                return Err(CliError::msg(format!(
                    "{}/{name} restarting is not supported",
                    info.name_form()
                )));
            };
            let mut d = api.get(info, &ns, &name)?;
            if d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
                return Err(CliError::msg(format!(
                    "{} \"{name}\" can't restart paused deployment (run rollout resume first)",
                    info.resource()
                )));
            }
            let now = fmt_time(api.now());
            let annotations = d.fields_at(&format!("{ptr}/annotations"))?;
            if annotations
                .get("kubectl.kubernetes.io/restartedAt")
                .and_then(Value::as_str)
                == Some(now.as_str())
            {
                return Err(CliError::msg(format!(
                    "failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
                )));
            }
            annotations.insert("kubectl.kubernetes.io/restartedAt".into(), json!(now));
            let d = api.update(info, &ns, d)?;
            super::apply::report(out, &fmt, info, &d, "restarted")
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish(api)?;
    Ok(())
}
