//! `kubesim describe`: kubectl's detailed views, with each object's events and the objects
//! kubectl shows alongside it (a Deployment's ReplicaSets, a node's pods, ...).

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::errors::ApiError;
use crate::api::kinds::KindInfo;
use crate::api::{Api, EventHead, name_of, namespace_of};
use crate::kinds::Kind;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::describe::DescribeCtx;
use clap::Args;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename, directory, or URL to files containing the resource to describe")
))]
pub struct DescribeArgs {
    /// (TYPE [NAME_PREFIX] | TYPE/NAME)
    #[arg(value_name = "TYPE", add = super::completion::resource_args())]
    pub args: Vec<String>,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    /// Return large lists in chunks rather than all at once (kubesim reads its state whole; accepted)
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub chunk_size: i64,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    /// If present, list the requested object(s) across all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// If true, display events related to the described object
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub show_events: bool,
}

/// The API as describers read it (their related objects).
struct ApiLookup<'a>(&'a mut Api);

impl Lookup for ApiLookup<'_> {
    fn list(&mut self, kind: &'static Kind, ns: Option<&str>) -> Result<Vec<Value>, LookupError> {
        Ok(self.0.list(kind, ns)?)
    }
    fn list_controlled(
        &mut self,
        kind: &'static Kind,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<Value>, LookupError> {
        Ok(self.0.list_controlled(kind, ns, uid)?)
    }
    fn try_get(
        &mut self,
        kind: &'static Kind,
        ns: &str,
        name: &str,
    ) -> Result<Option<Value>, LookupError> {
        Ok(self.0.try_get(kind, ns, name)?)
    }
    fn for_each_on_node(
        &mut self,
        kind: &'static Kind,
        node: &str,
        f: &mut dyn FnMut(&Value),
    ) -> Result<(), LookupError> {
        Ok(self.0.for_each_on_node(kind, node, f)?)
    }
}

/// What kubectl shows alongside an object: the kind's describer fetches it.
fn related(api: &mut Api, info: &KindInfo, obj: &Value) -> Result<Vec<Value>, CliError> {
    (info.describer.related)(obj, &mut ApiLookup(api)).map_err(|e| match e.downcast::<ApiError>() {
        Ok(e) => CliError::from(*e),
        Err(e) => CliError::msg(e.to_string()),
    })
}

/// The events about each object (by uid; for a kind whose describer says so, a Node, also by
/// kind and name), reading every Event once
/// for all of them: `describe rs` over 1,000 ReplicaSets and 60,000 Events parses the
/// Events it shows, not 1,000 copies of all of them.
fn events_of(
    api: &mut Api,
    objs: &[(&'static KindInfo, Value)],
) -> Result<Vec<Vec<Value>>, CliError> {
    let ev = &crate::kinds::event::KIND;
    let mut out: Vec<Vec<Value>> = vec![Vec::new(); objs.len()];
    // What each object is known by in an Event's involvedObject.
    let mut by_uid: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    // Events live in their object's namespace; a cluster-scoped object's in any.
    let mut namespaces: Vec<String> = Vec::new();
    let mut every_ns = false;
    for (i, (info, obj)) in objs.iter().enumerate() {
        let uid = obj
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !uid.is_empty() {
            by_uid.entry(uid).or_default().push(i);
        }
        if info.describer.events_by_name {
            by_name
                .entry((info.kind, name_of(obj)))
                .or_default()
                .push(i);
        }
        if info.namespaced {
            namespaces.push(namespace_of(obj).to_string());
        } else {
            every_ns = true;
        }
    }
    if by_uid.is_empty() && by_name.is_empty() {
        return Ok(out);
    }
    if every_ns {
        namespaces = api.namespaces_of(ev);
    }
    namespaces.sort();
    namespaces.dedup();
    // With one object to look for, most Events are passed over without parsing them: its
    // uid (or node name) must appear in the text. Names and uids need no JSON escaping.
    let needle: Option<&str> = match (by_uid.len(), by_name.len()) {
        (1, 0) => by_uid.keys().next().copied(),
        (0, 1) => by_name.keys().next().map(|k| k.1),
        _ => None,
    };
    let mut bad: Option<String> = None;
    for ns in &namespaces {
        api.for_each_text(ev, ns, |text| {
            if needle.is_some_and(|n| !text.contains(n)) {
                return;
            }
            let Ok(e) = serde_json::from_str::<EventHead>(text) else {
                return;
            };
            let io = &e.involved_object;
            let mut hits: Vec<usize> = by_uid.get(&*io.uid).cloned().unwrap_or_default();
            if let Some(n) = by_name.get(&(&*io.kind, &*io.name)) {
                hits.extend(n);
            }
            if hits.is_empty() {
                return;
            }
            hits.sort_unstable();
            hits.dedup();
            match serde_json::from_str::<Value>(text) {
                Ok(v) => {
                    for i in hits {
                        out[i].push(v.clone());
                    }
                }
                Err(err) => bad = Some(err.to_string()),
            }
        })?;
    }
    if let Some(err) = bad {
        return Err(CliError::msg(format!("cannot read an Event: {err}")));
    }
    Ok(out)
}

pub fn run(ctx: &Ctx, a: DescribeArgs, out: &mut Out) -> CliResult {
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let ns = ctx.namespace()?;
    let mut api = ctx.open_read()?;
    let mut objs: Vec<(&'static KindInfo, Value)> = Vec::new();
    let mut errors: Vec<CliError> = Vec::new();
    let mut kinds: Vec<&'static KindInfo> = Vec::new();
    if !a.files.filename.is_empty() {
        for m in a.files.load()? {
            let (d, ons) = super::apply::decode_manifest(&m, ctx, "describing")?;
            match api.get(d.info, &ons, name_of(&d.object)) {
                Ok(o) => objs.push((d.info, o)),
                Err(e) => errors.push(e.into()),
            }
        }
    } else {
        if a.args.is_empty() {
            return Err(CliError::raw(
                "You must specify the type of resource to describe. Use \"kubesim api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubesim describe -h' for help and examples",
            ));
        }
        for g in resources::parse(&a.args)? {
            kinds.push(g.info);
            let list_ns = if a.all_namespaces {
                None
            } else {
                Some(ns.as_str())
            };
            match g.names {
                Some(names) => {
                    for n in names {
                        match api.get(g.info, &ns, &n) {
                            Ok(o) => objs.push((g.info, o)),
                            Err(e) => {
                                // kubectl falls back to every object whose name starts with NAME.
                                let prefixed: Vec<Value> = api
                                    .list(g.info, list_ns)?
                                    .into_iter()
                                    .filter(|o| name_of(o).starts_with(n.as_str()))
                                    .collect();
                                if prefixed.is_empty() {
                                    errors.push(e.into());
                                }
                                objs.extend(prefixed.into_iter().map(|o| (g.info, o)));
                            }
                        }
                    }
                }
                None => {
                    for o in api.list(g.info, list_ns)? {
                        if selector
                            .as_ref()
                            .is_none_or(|s| s.matches_value(o.pointer("/metadata/labels")))
                        {
                            objs.push((g.info, o));
                        }
                    }
                }
            }
        }
    }
    let now = api.now();
    let mut first = true;
    let mut events = if a.show_events {
        events_of(&mut api, &objs)?
    } else {
        vec![Vec::new(); objs.len()]
    };
    for (i, (info, obj)) in objs.iter().enumerate() {
        let rel = related(&mut api, info, obj)?;
        let evs = std::mem::take(&mut events[i]);
        let text = (info.describer.print)(
            obj,
            &DescribeCtx {
                now,
                events: &evs,
                related: &rel,
            },
        );
        if !first {
            out.out.write_all(b"\n\n")?;
        }
        out.out.write_all(text.as_bytes())?;
        first = false;
    }
    if objs.is_empty() && errors.is_empty() {
        out.out.flush()?;
        if a.all_namespaces {
            writeln!(out.err, "No resources found")?;
        } else {
            writeln!(out.err, "No resources found in {ns} namespace.")?;
        }
    }
    let _ = kinds;
    for e in errors {
        out.error(e);
    }
    Ok(())
}
