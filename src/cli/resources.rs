//! Resource arguments and manifests as kubectl takes them: `TYPE [NAME...]`, `TYPE1,TYPE2`,
//! `TYPE/NAME...`, `all`, and `-f FILE|DIR|-` (with `-R`).

use super::{CliError, read_source};
use crate::api::decode;
use crate::api::kinds::{self, ALL_ORDER, KindInfo};
use serde_json::Value;
use std::path::Path;

/// One type the user asked for, with the names given (`None`: every object of the type).
#[derive(Debug, Clone)]
pub struct Group {
    pub info: &'static KindInfo,
    pub names: Option<Vec<String>>,
}

fn resolve(t: &str) -> Result<&'static KindInfo, CliError> {
    kinds::resolve(t).ok_or_else(|| {
        let bare = t.split('.').next().unwrap_or(t);
        CliError::msg(format!(
            "the server doesn't have a resource type \"{bare}\""
        ))
    })
}

fn resolve_types(list: &str) -> Result<Vec<&'static KindInfo>, CliError> {
    let mut out = Vec::new();
    for t in list.split(',').filter(|t| !t.is_empty()) {
        if t.eq_ignore_ascii_case("all") {
            out.extend(ALL_ORDER.iter().copied());
        } else {
            out.push(resolve(t)?);
        }
    }
    Ok(out)
}

/// Parses positional resource arguments into groups, in the order given.
pub fn parse(args: &[String]) -> Result<Vec<Group>, CliError> {
    if args.is_empty() {
        return Ok(vec![]);
    }
    let slash = args.iter().any(|a| a.contains('/'));
    if slash {
        if !args[0].contains('/') {
            return Err(CliError::msg(
                "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubesim get resource/<resource_name>' instead of 'kubesim get resource resource/<resource_name>'",
            ));
        }
        let mut groups: Vec<Group> = Vec::new();
        for a in args {
            let parts: Vec<&str> = a.split('/').collect();
            if parts.len() > 2 {
                return Err(CliError::msg(
                    "arguments in resource/name form may not have more than one slash",
                ));
            }
            if parts.len() != 2 || parts[0].is_empty() || parts[1].is_empty() {
                return Err(CliError::msg(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            let info = resolve(parts[0])?;
            match groups.last_mut() {
                Some(g) if g.info == info => g
                    .names
                    .get_or_insert_with(Vec::new)
                    .push(parts[1].to_string()),
                _ => groups.push(Group {
                    info,
                    names: Some(vec![parts[1].to_string()]),
                }),
            }
        }
        return Ok(groups);
    }
    let types = resolve_types(&args[0])?;
    let names: Vec<String> = args[1..].to_vec();
    Ok(types
        .into_iter()
        .map(|info| Group {
            info,
            names: if names.is_empty() {
                None
            } else {
                Some(names.clone())
            },
        })
        .collect())
}

/// Whether the user named more than one type (kubectl then prefixes names with the kind).
pub fn several_types(args: &[String], groups: &[Group]) -> bool {
    if args
        .first()
        .is_some_and(|a| a.contains(',') || a.eq_ignore_ascii_case("all"))
    {
        return true;
    }
    let mut kinds: Vec<&str> = groups.iter().map(|g| g.info.kind).collect();
    kinds.dedup();
    kinds.len() > 1
}

/// One object read from a manifest, with where it came from (`x.yaml`, `STDIN`).
#[derive(Debug, Clone)]
pub struct Manifest {
    pub source: String,
    pub object: Value,
}

fn is_manifest_file(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml") | Some("json")
    )
}

/// The manifest files of `dir` (and, with `-R`, of its subdirectories), sorted, as
/// kubectl's `filepath.Walk` finds them: a symbolic link is an entry of its own, never a
/// directory to descend into (so no link can make a loop); a link to a manifest file is read.
fn collect_dir(dir: &Path, recursive: bool, out: &mut Vec<String>) -> Result<(), CliError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| CliError::msg(format!("error reading {}: {e}", dir.display())))?
        .flatten()
        .map(|e| (e.path(), e.file_type().ok()))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, ty) in entries {
        if ty.is_some_and(|t| t.is_dir()) {
            if recursive {
                collect_dir(&p, recursive, out)?;
            }
        } else if is_manifest_file(&p) && !p.is_dir() {
            out.push(p.to_string_lossy().to_string());
        }
    }
    Ok(())
}

/// Reads every `-f` argument into objects, in order. Parse errors stop everything (as kubectl
/// does before sending anything).
pub fn load(files: &[String], recursive: bool) -> Result<Vec<Manifest>, CliError> {
    load_with(files, recursive, true)
}

/// [`load`]; with `validate` false (`--validate=false`) a document is only decoded as
/// kubectl's unstructured decoder decodes it: it must be an object with a `kind`, and
/// nothing else is checked.
pub fn load_with(
    files: &[String],
    recursive: bool,
    validate: bool,
) -> Result<Vec<Manifest>, CliError> {
    check_filenames(files)?;
    let mut paths = Vec::new();
    for f in files {
        if f != "-" && Path::new(f).is_dir() {
            collect_dir(Path::new(f), recursive, &mut paths)?;
        } else {
            paths.push(f.clone());
        }
    }
    let mut out = Vec::new();
    for p in paths {
        let data = read_source(&p)?;
        let source = if p == "-" {
            "STDIN".to_string()
        } else {
            p.clone()
        };
        let docs = if validate {
            decode::parse_documents(&data, &source).map_err(CliError::msg)?
        } else {
            let mut docs = Vec::new();
            for d in decode::parse_documents_unchecked(&data, &source).map_err(CliError::msg)? {
                unstructured_check(&d, &source)?;
                docs.extend(decode::flatten_list(d));
            }
            docs
        };
        for d in docs {
            out.push(Manifest {
                source: source.clone(),
                object: d,
            });
        }
    }
    Ok(out)
}

/// What kubectl's builder refuses before it reads anything (cli-runtime's `FilenameParam` and
/// `Path`): a URL that does not parse, a path that does not exist. One is `error: ...`;
/// several, one a line without the prefix (kubectl's `MultipleErrors` of an aggregate).
fn check_filenames(files: &[String]) -> Result<(), CliError> {
    let errs: Vec<String> = files
        .iter()
        .filter(|f| *f != "-")
        .filter_map(|f| {
            if super::docs_examples::is_url(f) {
                super::docs_examples::invalid(f)
            } else if std::fs::metadata(f).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
            {
                Some(format!(
                    "the path {} does not exist",
                    crate::util::go_quote(f)
                ))
            } else {
                None
            }
        })
        .collect();
    match errs.as_slice() {
        [] => Ok(()),
        [one] => Err(CliError::msg(one)),
        _ => Err(CliError::raw(errs.join("\n"))),
    }
}

/// What kubectl's unstructured decoder refuses in a document when validation is off: one
/// that is not an object, or has no `kind`.
pub(super) fn unstructured_check(doc: &Value, source: &str) -> Result<(), CliError> {
    let go_type = match doc {
        Value::Object(m) => {
            return match m.get("kind") {
                Some(Value::String(k)) if !k.is_empty() => Ok(()),
                _ => Err(CliError::msg(format!(
                    "unable to decode {source:?}: Object 'Kind' is missing in '{}'",
                    serde_json::to_string(doc).unwrap_or_default()
                ))),
            };
        }
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Null => return Ok(()),
    };
    Err(CliError::msg(format!(
        "unable to decode {source:?}: json: cannot unmarshal {go_type} into Go value of type unstructured.detector"
    )))
}

/// kubectl's message when a command that needs objects got neither arguments nor files.
pub const NO_RESOURCES_GIVEN: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// One object a mutating command acts on.
#[derive(Debug, Clone)]
pub struct Target {
    pub info: &'static KindInfo,
    pub namespace: String,
    pub name: String,
    /// The manifest it came from (`-f`), for kubectl's `error when ... "<file>"` wrapping.
    pub source: Option<String>,
}

/// How a mutating command names its objects: `TYPE NAME...`, `TYPE/NAME...`, `-f`, or a type
/// with `-l` / `--field-selector` / `--all`.
pub struct Selection<'a> {
    pub args: &'a [String],
    pub filename: &'a [String],
    pub recursive: bool,
    pub selector: Option<&'a crate::api::selector::Selector>,
    pub fields: Option<&'a crate::api::selector::FieldSelector>,
    pub all: bool,
    pub all_namespaces: bool,
    /// The verb for `error when <verb> "<file>"` (`deleting`, `labeling`, ...).
    pub verb: &'a str,
}

impl<'a> Selection<'a> {
    /// `TYPE NAME...`, `TYPE/NAME...` or `-f` only (no selectors): `patch`, `edit`.
    pub fn named(
        args: &'a [String],
        files: &'a super::flags::FilenameFlags,
        verb: &'a str,
    ) -> Self {
        Selection {
            args,
            filename: &files.filename,
            recursive: files.recursive,
            selector: None,
            fields: None,
            all: false,
            all_namespaces: false,
            verb,
        }
    }

    /// Whether the objects are chosen by listing (so missing ones are not errors).
    pub fn listing(&self) -> bool {
        self.all || self.selector.is_some() || self.fields.is_some()
    }
}

/// Resolves a selection into the objects it names, in argument order.
pub fn select(
    ctx: &super::Ctx,
    api: &mut crate::api::Api,
    sel: &Selection,
) -> Result<Vec<Target>, CliError> {
    let ns = ctx.namespace()?;
    let mut out = Vec::new();
    if !sel.filename.is_empty() {
        for m in load(sel.filename, sel.recursive)? {
            let (d, ons) = super::apply::decode_manifest(&m, ctx, sel.verb)?;
            out.push(Target {
                info: d.info,
                namespace: ons,
                name: crate::api::name_of(&d.object).to_string(),
                source: Some(m.source.clone()),
            });
        }
        return Ok(out);
    }
    if sel.args.is_empty() {
        return Err(CliError::raw(NO_RESOURCES_GIVEN));
    }
    for g in parse(sel.args)? {
        match g.names {
            Some(names) => out.extend(names.into_iter().map(|name| Target {
                info: g.info,
                namespace: ns.clone(),
                name,
                source: None,
            })),
            None => {
                if !sel.listing() {
                    return Err(CliError::msg(
                        "resource(s) were provided, but no name was specified",
                    ));
                }
                let list_ns = if sel.all_namespaces {
                    None
                } else {
                    Some(ns.as_str())
                };
                // Only the names are kept: objects at rest stay so (selecting 10 pods of
                // 10,000 neither copies the rest nor has the commit write them out again).
                api.for_each_listed(g.info, list_ns, |o| {
                    let labels = o.pointer("/metadata/labels");
                    if sel.selector.is_some_and(|s| !s.matches_value(labels))
                        || sel.fields.is_some_and(|f| !f.matches(o))
                    {
                        return;
                    }
                    out.push(Target {
                        info: g.info,
                        namespace: crate::api::namespace_of(o).to_string(),
                        name: crate::api::name_of(o).to_string(),
                        source: None,
                    });
                })?;
            }
        }
    }
    Ok(out)
}

/// The objects `TYPE NAME` / `TYPE/NAME` arguments name, read from the state (each must
/// exist): what `expose` and `autoscale` build from.
pub fn named_objects(
    ctx: &super::Ctx,
    args: &[String],
    verb: &str,
) -> Result<Vec<(&'static KindInfo, serde_json::Value)>, CliError> {
    let mut api = ctx.open_read()?;
    let sel = Selection {
        args,
        filename: &[],
        recursive: false,
        selector: None,
        fields: None,
        all: false,
        all_namespaces: false,
        verb,
    };
    let mut out = Vec::new();
    for t in select(ctx, &mut api, &sel)? {
        let obj = api.get(t.info, &t.namespace, &t.name)?;
        out.push((t.info, obj));
    }
    Ok(out)
}

/// `-l` as kubectl parses it (its parse errors are kubectl's words).
pub fn label_selector(s: Option<&str>) -> Result<Option<crate::api::selector::Selector>, CliError> {
    s.map(crate::api::selector::Selector::parse)
        .transpose()
        .map_err(CliError::msg)
}

/// `--field-selector` as kubectl parses it.
pub fn field_selector(
    s: Option<&str>,
) -> Result<Option<crate::api::selector::FieldSelector>, CliError> {
    s.map(crate::api::selector::FieldSelector::parse)
        .transpose()
        .map_err(CliError::msg)
}
