//! `kubesim label` and `kubesim annotate`: `key=value` sets, `key-` removes, `--overwrite`,
//! `--all`, `-l`, as kubectl does.

use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::print::output::Format;
use clap::Args;
use serde_json::{Value, json};

#[derive(Args, Debug, Clone)]
pub struct LabelArgs {
    /// TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE/NAME KEY=VAL ... (KEY- removes)
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// If true, allow labels/annotations to be overwritten
    #[arg(long)]
    pub overwrite: bool,
    /// Select all resources, in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    /// Selector (label query) to filter on
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// If true, check the specified action in all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Filename identifying the resource to update
    #[arg(short = 'f', long)]
    pub filename: Vec<String>,
    /// Output format: json|yaml|name
    #[arg(short = 'o', long)]
    pub output: Option<String>,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

/// Which map the command edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Labels,
    Annotations,
}

pub fn run(ctx: &Ctx, a: LabelArgs, out: &mut Out, which: Which) -> CliResult {
    let fmt = Format::parse(a.output.as_deref())?;
    let (field, noun, verb) = match which {
        Which::Labels => ("labels", "label", "labeled"),
        Which::Annotations => ("annotations", "annotation", "annotated"),
    };
    // Split resource arguments from key=value / key- arguments.
    let mut res_args = Vec::new();
    let mut changes: Vec<(String, Option<String>)> = Vec::new();
    for x in &a.args {
        if let Some((k, v)) = x.split_once('=') {
            changes.push((k.to_string(), Some(v.to_string())));
        } else if let Some(k) = x.strip_suffix('-') {
            changes.push((k.to_string(), None));
        } else {
            if !changes.is_empty() {
                return Err(CliError::msg(format!(
                    "all resources must be specified before {noun} changes: {x}"
                )));
            }
            res_args.push(x.clone());
        }
    }
    if changes.is_empty() {
        return Err(CliError::msg(format!(
            "at least one {noun} update is required"
        )));
    }
    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let cause = a.record.cause();
    let mut api = ctx.open_write()?;
    let sel = resources::Selection {
        args: &res_args,
        filename: &a.filename,
        recursive: false,
        selector: selector.as_ref(),
        fields: None,
        all: a.all,
        all_namespaces: a.all_namespaces,
        verb: "labeling",
    };
    let targets = resources::select(ctx, &mut api, &sel)?;
    for resources::Target {
        info,
        namespace: tns,
        name,
        ..
    } in targets
    {
        let r = (|| -> CliResult {
            let mut obj = api.get(info, &tns, &name)?;
            // kubectl's annotate records the change cause before it edits the annotations
            // (so a cause alone is a change); label records it only with a change of labels.
            let recorded =
                which == Which::Annotations && super::goflags::record(&mut obj, cause.as_deref());
            let mut map = obj
                .pointer(&format!("/metadata/{field}"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let before = map.clone();
            for (k, v) in &changes {
                match v {
                    Some(v) => {
                        if !a.overwrite
                            && let Some(old) = map.get(k)
                            && old.as_str() != Some(v)
                        {
                            return Err(CliError::msg(format!(
                                "'{k}' already has a value ({}), and --overwrite is false",
                                old.as_str().unwrap_or("")
                            )));
                        }
                        map.insert(k.clone(), json!(v));
                    }
                    None => {
                        map.remove(k);
                    }
                }
            }
            let op = if which == Which::Annotations {
                // kubectl's annotate has no "not annotated".
                verb.to_string()
            } else if map == before {
                format!("not {verb}")
            } else if which == Which::Labels
                && map.len() < before.len()
                && changes.iter().all(|(_, v)| v.is_none())
            {
                "unlabeled".to_string()
            } else {
                verb.to_string()
            };
            if which == Which::Labels && map != before {
                super::goflags::record(&mut obj, cause.as_deref());
            }
            if map != before || recorded {
                if map.is_empty() {
                    obj["metadata"]
                        .as_object_mut()
                        .expect("object")
                        .remove(field);
                } else {
                    obj["metadata"][field] = Value::Object(map);
                }
                obj["metadata"]
                    .as_object_mut()
                    .expect("object")
                    .remove("resourceVersion");
                obj = api.update(info, &tns, obj)?;
            }
            super::apply::report(out, &fmt, info, &obj, &op)?;
            Ok(())
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish(api)?;
    Ok(())
}
