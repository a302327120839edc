//! `kubesim label` and `kubesim annotate`, as kubectl's label.go and annotate.go do them:
//! `key=value` sets, `key-` removes, `--overwrite`, `--all`, `-l`, `--field-selector`,
//! `--list`, `--local`, `--dry-run`, `--resource-version`, and their errors and messages.

use super::flags;
use super::resources;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::kinds::KindInfo;
use crate::controllers::deployment::util::CHANGE_CAUSE_ANNOTATION;
use crate::util::fields::Fields;
use clap::Args;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "field_selector",
    flags::usage("Selector (field query) to filter on, supports '=', '==', and '!='")
))]
#[command(mut_arg(
    "filename",
    flags::usage("Filename identifying the resource to update")
))]
pub struct LabelArgs {
    /// TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE/NAME KEY=VAL ... (KEY- removes)
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// If true, allow labels/annotations to be overwritten
    #[arg(long)]
    pub overwrite: bool,
    /// If true, display the labels/annotations for a given resource
    #[arg(long)]
    pub list: bool,
    /// If true, the command will NOT contact api-server but run locally
    #[arg(long)]
    pub local: bool,
    /// Select all resources, in the namespace of the specified resource types
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub selector: flags::SelectorFlags,
    #[command(flatten)]
    pub field_selector: flags::FieldSelectorFlags,
    /// If true, check the specified action in all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    /// If non-empty, the update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.
    #[arg(long)]
    pub resource_version: Option<String>,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

/// Which map the command edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Labels,
    Annotations,
}

impl Which {
    fn field(self) -> &'static str {
        match self {
            Which::Labels => "labels",
            Which::Annotations => "annotations",
        }
    }
}

/// What the arguments ask: keys to set and keys to remove.
#[derive(Debug, Default, PartialEq)]
struct Changes {
    set: BTreeMap<String, String>,
    remove: Vec<String>,
}

/// kubectl's `GetResourcesAndPairs`: resource arguments first, then the pairs.
fn split_args(args: &[String], noun: &str) -> Result<(Vec<String>, Vec<String>), CliError> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for s in args {
        let pair = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (pairs.is_empty(), pair) {
            (_, true) => pairs.push(s.clone()),
            (true, false) => resources.push(s.clone()),
            (false, false) => {
                return Err(CliError::msg(format!(
                    "all resources must be specified before {noun} changes: {s}"
                )));
            }
        }
    }
    Ok((resources, pairs))
}

/// label.go's `parseLabels`.
fn parse_labels(pairs: &[String]) -> Result<Changes, CliError> {
    let mut c = Changes::default();
    for spec in pairs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            if parts.len() != 2 {
                return Err(CliError::msg(format!("invalid label spec: {spec}")));
            }
            let errs = crate::api::validate::is_valid_label_value(parts[1]);
            if !errs.is_empty() {
                return Err(CliError::msg(format!(
                    "invalid label value: {spec:?}: {}",
                    errs.join(";")
                )));
            }
            c.set.insert(parts[0].to_string(), parts[1].to_string());
        } else if let Some(k) = spec.strip_suffix('-') {
            c.remove.push(k.to_string());
        } else {
            return Err(CliError::msg(format!("unknown label spec: {spec}")));
        }
    }
    if c.remove.iter().any(|k| c.set.contains_key(k)) {
        return Err(CliError::msg(
            "can not both modify and remove a label in the same command",
        ));
    }
    Ok(c)
}

/// annotate.go's `parseAnnotations` (cmdutil's `ParsePairs`) and `validateAnnotations`.
fn parse_annotations(pairs: &[String]) -> Result<Changes, CliError> {
    let mut c = Changes::default();
    let mut invalid: Vec<&str> = Vec::new();
    for p in pairs {
        if p.contains('=') && !p.starts_with('=') {
            let (k, v) = p.split_once('=').expect("has =");
            c.set.insert(k.to_string(), v.to_string());
        } else if p.ends_with('-') && p != "-" {
            c.remove.push(p[..p.len() - 1].to_string());
        } else {
            invalid.push(p);
        }
    }
    if !invalid.is_empty() {
        return Err(CliError::msg(format!(
            "invalid annotation format: {}",
            invalid.join(", ")
        )));
    }
    let both: Vec<&str> = c
        .remove
        .iter()
        .filter(|k| c.set.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(CliError::msg(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        )));
    }
    Ok(c)
}

/// The map the command edits, as it is in `obj`.
fn map_of(obj: &Value, which: Which) -> Map<String, Value> {
    obj.pointer(&format!("/metadata/{}", which.field()))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Applies the changes to `obj` (label.go's `labelFunc`, annotate.go's `updateAnnotations`),
/// with the `--overwrite` check; returns the keys actually set and actually removed.
fn edit(
    obj: &mut Value,
    which: Which,
    c: &Changes,
    overwrite: bool,
) -> Result<(BTreeSet<String>, BTreeSet<String>), CliError> {
    let mut map = map_of(obj, which);
    if !overwrite {
        let clashes: Vec<(&String, &str)> = c
            .set
            .iter()
            .filter(|(k, _)| which == Which::Labels || k.as_str() != CHANGE_CAUSE_ANNOTATION)
            .filter_map(|(k, v)| {
                let cur = map.get(k)?.as_str().unwrap_or_default();
                (cur != v).then_some((k, cur))
            })
            .collect();
        match (which, clashes.as_slice()) {
            (_, []) => {}
            (Which::Labels, [(k, cur)]) => {
                return Err(CliError::msg(format!(
                    "'{k}' already has a value ({cur}), and --overwrite is false"
                )));
            }
            (Which::Labels, many) => {
                // utilerrors' aggregate of several errors.
                let msgs: Vec<String> = many
                    .iter()
                    .map(|(k, cur)| {
                        format!("'{k}' already has a value ({cur}), and --overwrite is false")
                    })
                    .collect();
                return Err(CliError::msg(format!("[{}]", msgs.join(", "))));
            }
            (Which::Annotations, many) => {
                let msgs: Vec<String> = many
                    .iter()
                    .map(|(k, cur)| format!("'{k}' already has a value ({cur})"))
                    .collect();
                return Err(CliError::msg(format!(
                    "--overwrite is false but found the following declared annotation(s): {}",
                    msgs.join("; ")
                )));
            }
        }
    }
    let mut added = BTreeSet::new();
    let mut removed = BTreeSet::new();
    for (k, v) in &c.set {
        if map.get(k).and_then(Value::as_str) != Some(v) {
            map.insert(k.clone(), json!(v));
            added.insert(k.clone());
        }
    }
    for k in &c.remove {
        if map.remove(k).is_some() {
            removed.insert(k.clone());
        }
    }
    // kubectl's SetLabels/SetAnnotations with the edited map: empty, it is `labels: {}`.
    if let Some(md) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        md.insert(which.field().to_string(), Value::Object(map));
    }
    Ok((added, removed))
}

/// label.go's `updateDataChangeMsg`; annotate always says "annotated".
fn message(which: Which, added: &BTreeSet<String>, removed: &BTreeSet<String>) -> &'static str {
    match which {
        Which::Annotations => "annotated",
        Which::Labels => match (added.is_empty(), removed.is_empty()) {
            (false, false) => "modified",
            (false, true) => "labeled",
            (true, false) => "unlabeled",
            (true, true) => "not labeled",
        },
    }
}

/// `--list`: the keys and values (kubectl prints Go's map order, which varies; sorted here),
/// under a heading when more than one object may be listed.
fn print_list(
    out: &mut Out,
    which: Which,
    info: &KindInfo,
    obj: &Value,
    single: bool,
) -> CliResult {
    let indent = if single { "" } else { " " };
    if !single {
        writeln!(
            out.out,
            "Listing {} for {}.{}/{}:",
            which.field(),
            info.kind,
            info.group,
            crate::api::name_of(obj)
        )?;
    }
    for (k, v) in map_of(obj, which) {
        writeln!(out.out, "{indent}{k}={}", v.as_str().unwrap_or_default())?;
    }
    Ok(())
}

/// kubectl's checks of what a label/annotate run targets, before it reads anything: `--all`
/// excludes the selectors, `--local` takes files only, and something must change.
fn check_targets(
    a: &LabelArgs,
    which: Which,
    res_args: &[String],
    changes: &Changes,
    dry: Option<&str>,
) -> CliResult {
    let noun = match which {
        Which::Labels => "label",
        Which::Annotations => "annotation",
    };
    if a.all && a.selector.is_some() {
        return Err(CliError::msg(
            "cannot set --all and --selector at the same time",
        ));
    }
    if a.all && a.field_selector.is_some() {
        return Err(CliError::msg(
            "cannot set --all and --field-selector at the same time",
        ));
    }
    let file_word = match which {
        Which::Labels => "pod.yaml or --filename=pod.json",
        Which::Annotations => "rsrc.yaml or --filename=rsrc.json",
    };
    if a.local {
        if dry == Some("server") {
            return Err(CliError::msg(
                "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
            ));
        }
        if !res_args.is_empty() {
            return Err(CliError::msg(format!(
                "can only use local files by -f {file_word} when --local=true is set"
            )));
        }
        if a.files.filename.is_empty() {
            return Err(CliError::msg(format!(
                "one or more files must be specified as -f {file_word}"
            )));
        }
    } else if res_args.is_empty() && a.files.filename.is_empty() {
        return Err(CliError::msg(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        ));
    }
    if changes.set.is_empty() && changes.remove.is_empty() && !a.list {
        return Err(CliError::msg(format!(
            "at least one {noun} update is required"
        )));
    }
    Ok(())
}

/// `label|annotate --local -f FILE`: each object of the files edited and printed, nothing
/// stored.
#[allow(clippy::too_many_arguments)]
fn run_local(
    ctx: &Ctx,
    a: &LabelArgs,
    out: &mut Out,
    which: Which,
    changes: &Changes,
    fmt: &crate::print::output::Format,
    suffix: &str,
    single_file: bool,
) -> CliResult {
    let manifests = resources::load_with(&a.files.filename, a.files.recursive, false)?;
    let single = single_file && manifests.len() == 1;
    if !single && a.resource_version.is_some() {
        return Err(CliError::msg(
            "--resource-version may only be used with a single resource",
        ));
    }
    for m in manifests {
        let r = (|| -> CliResult {
            let info = super::apply::kind_of_manifest(&m, ctx, "getting")?;
            let mut obj = m.object.clone();
            let (added, removed) = edit(&mut obj, which, changes, a.overwrite)?;
            if let Some(rv) = &a.resource_version {
                obj.set("/metadata/resourceVersion", json!(rv))?;
            }
            if a.list {
                return print_list(out, which, info, &obj, single);
            }
            let op = format!("{}{suffix}", message(which, &added, &removed));
            // kubectl makes a printer per object: no `---` between them.
            out.yaml_docs = 0;
            super::apply::report(out, fmt, info, &obj, &op)
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    Ok(())
}

pub fn run(ctx: &Ctx, a: LabelArgs, out: &mut Out, which: Which) -> CliResult {
    let noun = match which {
        Which::Labels => "label",
        Which::Annotations => "annotation",
    };
    let (res_args, pairs) = split_args(&a.args, noun)?;
    let changes = match which {
        Which::Labels => parse_labels(&pairs)?,
        Which::Annotations => parse_annotations(&pairs)?,
    };
    if a.list && a.output.is_some() {
        return Err(CliError::msg(
            "--list and --output may not be specified together",
        ));
    }
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    check_targets(&a, which, &res_args, &changes, dry)?;
    let cause = a.record.cause();
    let suffix = super::apply::dry_suffix(dry);
    // kubectl's single-item-implied: one object named, or one file.
    let single_file = a.files.filename.len() == 1
        && a.files.filename[0] != "-"
        && !std::path::Path::new(&a.files.filename[0]).is_dir();

    if a.local {
        return run_local(ctx, &a, out, which, &changes, &fmt, suffix, single_file);
    }

    let selector = super::resources::label_selector(a.selector.as_deref())?;
    let fields = super::resources::field_selector(a.field_selector.as_deref())?;
    let mut api = if dry == Some("client") || a.list {
        ctx.open_read()?
    } else {
        ctx.open_write()?
    };
    let sel = resources::Selection {
        args: &res_args,
        filename: &a.files.filename,
        recursive: a.files.recursive,
        selector: selector.as_ref(),
        fields: fields.as_ref(),
        all: a.all,
        all_namespaces: a.all_namespaces,
        verb: "labeling",
    };
    let single = if a.files.filename.is_empty() {
        !sel.listing() && res_args.len() <= 2 && {
            let groups = resources::parse(&res_args)?;
            groups.len() == 1 && groups[0].names.as_ref().is_some_and(|n| n.len() == 1)
        }
    } else {
        single_file
    };
    if !single && a.resource_version.is_some() {
        return Err(CliError::msg(
            "--resource-version may only be used with a single resource",
        ));
    }
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
            let offline = dry == Some("client") || a.list;
            if !offline && which == Which::Labels {
                let have = map_of(&obj, which);
                for k in changes.remove.iter().filter(|k| !have.contains_key(*k)) {
                    writeln!(out.out, "label {k:?} not found.")?;
                }
            }
            // kubectl's annotate records the change cause before it edits the annotations
            // (so a cause alone is a change); label records it after, and sends it only with
            // a change of labels.
            let recorded = !offline
                && which == Which::Annotations
                && super::goflags::record(&mut obj, cause.as_deref());
            let (added, removed) = edit(&mut obj, which, &changes, a.overwrite)?;
            if !offline && which == Which::Labels {
                super::goflags::record(&mut obj, cause.as_deref());
            }
            if let Some(rv) = &a.resource_version {
                obj.set("/metadata/resourceVersion", json!(rv))?;
            }
            let changed = !added.is_empty() || !removed.is_empty() || recorded;
            // A server dry run writes in memory only: the state is not committed.
            if changed && !offline {
                let mut send = obj.clone();
                // An empty map is no map to the server (ObjectMeta's `omitempty`).
                if let Some(md) = send.get_mut("metadata").and_then(Value::as_object_mut)
                    && md
                        .get(which.field())
                        .and_then(Value::as_object)
                        .is_some_and(|m| m.is_empty())
                {
                    md.remove(which.field());
                }
                if a.resource_version.is_none()
                    && let Some(md) = send.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    // A patch: the write is conditional on nothing.
                    md.remove("resourceVersion");
                }
                api.update(info, &tns, send)?;
            }
            if a.list {
                return print_list(out, which, info, &obj, single);
            }
            // kubectl prints the object as it edited it, not as the server returned it,
            // with a printer per object (no `---` between them).
            let op = format!("{}{suffix}", message(which, &added, &removed));
            out.yaml_docs = 0;
            super::apply::report(out, &fmt, info, &obj, &op)
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    if dry.is_none() && !a.list {
        ctx.finish(api)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn resources_come_before_pairs() {
        let (r, p) = split_args(&strs(&["pods", "web", "a=b", "c-"]), "label").unwrap();
        assert_eq!(r, ["pods", "web"]);
        assert_eq!(p, ["a=b", "c-"]);
        // `-` and `=x` are resource words.
        let (r, _) = split_args(&strs(&["-", "=x"]), "label").unwrap();
        assert_eq!(r, ["-", "=x"]);
        let e = split_args(&strs(&["pods", "a=b", "web"]), "label").unwrap_err();
        assert_eq!(
            e.text,
            "error: all resources must be specified before label changes: web"
        );
    }

    #[test]
    fn label_specs_as_kubectl_parses_them() {
        let c = parse_labels(&strs(&["a=b", "c-", "a=d"])).unwrap();
        assert_eq!(c.set["a"], "d");
        assert_eq!(c.remove, ["c"]);
        let err = |s: &[&str]| parse_labels(&strs(s)).unwrap_err().text;
        assert_eq!(err(&["a=b=c"]), "error: invalid label spec: a=b=c");
        assert_eq!(
            err(&["a=b c"]),
            "error: invalid label value: \"a=b c\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        assert_eq!(
            err(&["a=b", "a-"]),
            "error: can not both modify and remove a label in the same command"
        );
    }

    #[test]
    fn annotation_pairs_as_kubectl_parses_them() {
        let c = parse_annotations(&strs(&["a=b=c", "d-"])).unwrap();
        assert_eq!(c.set["a"], "b=c");
        let err = |s: &[&str]| parse_annotations(&strs(s)).unwrap_err().text;
        assert_eq!(
            err(&["a=b", "a-", "c=d", "c-"]),
            "error: can not both modify and remove the following annotation(s) in the same command: a, c"
        );
    }

    #[test]
    fn overwrite_errors_and_messages() {
        let mut obj = json!({"metadata": {"labels": {"a": "1", "b": "2"},
                                          "annotations": {"x": "1", CHANGE_CAUSE_ANNOTATION: "old"}}});
        let c = parse_labels(&strs(&["a=9", "b=9"])).unwrap();
        assert_eq!(
            edit(&mut obj.clone(), Which::Labels, &c, false)
                .unwrap_err()
                .text,
            "error: ['a' already has a value (1), and --overwrite is false, 'b' already has a value (2), and --overwrite is false]"
        );
        let c =
            parse_annotations(&strs(&["x=2", &format!("{CHANGE_CAUSE_ANNOTATION}=new")])).unwrap();
        assert_eq!(
            edit(&mut obj.clone(), Which::Annotations, &c, false)
                .unwrap_err()
                .text,
            "error: --overwrite is false but found the following declared annotation(s): 'x' already has a value (1)"
        );
        // Same value: no clash, nothing added.
        let c = parse_labels(&strs(&["a=1", "b-", "z-"])).unwrap();
        let (added, removed) = edit(&mut obj, Which::Labels, &c, false).unwrap();
        assert!(added.is_empty());
        assert_eq!(removed.into_iter().collect::<Vec<_>>(), ["b"]);
        assert_eq!(obj["metadata"]["labels"], json!({"a": "1"}));
        let set: BTreeSet<String> = ["k".to_string()].into();
        let none = BTreeSet::new();
        assert_eq!(message(Which::Labels, &set, &set), "modified");
        assert_eq!(message(Which::Labels, &set, &none), "labeled");
        assert_eq!(message(Which::Labels, &none, &set), "unlabeled");
        assert_eq!(message(Which::Labels, &none, &none), "not labeled");
        assert_eq!(message(Which::Annotations, &none, &none), "annotated");
    }
}
