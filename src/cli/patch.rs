//! `kubesim patch TYPE NAME -p PATCH [--type strategic|merge|json]`: the patch applied as the
//! API server applies it (crate::api::patch), then validated and stored like any update, with
//! kubectl's `patched` / `patched (no change)` and its errors (kubectl/pkg/cmd/patch).

use super::apply::{dry_suffix, report};
use super::create::GenFlags;
use super::flags;
use super::flags::Validation;
use super::resources::{self, Selection};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::errors::{ApiError, BadValue, FieldError};
use crate::api::patch;
use crate::util::fields::Fields;
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::usage("Filename identifying the resource to update")
))]
pub struct PatchArgs {
    /// TYPE NAME | TYPE/NAME
    #[arg(value_name = "ARGS", add = super::completion::resource_args())]
    pub args: Vec<String>,
    /// The patch to be applied to the resource JSON file.
    #[arg(short = 'p', long, allow_hyphen_values = true)]
    pub patch: Option<String>,
    /// A file containing a patch to be applied to the resource.
    #[arg(long)]
    pub patch_file: Option<String>,
    /// The type of patch being provided; one of [json merge strategic]
    #[arg(long = "type", default_value = "strategic")]
    pub type_: String,
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    /// If true, patch will operate on the content of the file, not the server-side resource.
    #[arg(long)]
    pub local: bool,
    #[command(flatten)]
    pub flags: GenFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Strategic,
    Merge,
    Json,
}

/// What Go's `encoding/json` says about text serde_json rejected (the server unmarshals the
/// patch with it).
fn go_json_error(text: &str, e: &serde_json::Error) -> String {
    if e.is_eof() {
        return "unexpected end of JSON input".into();
    }
    let col = e.column().saturating_sub(1);
    let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let c = line.chars().nth(col).unwrap_or(' ');
    let msg = e.to_string();
    let what = if msg.starts_with("key must be a string") {
        "looking for beginning of object key string"
    } else if msg.starts_with("trailing characters") {
        "after top-level value"
    } else if msg.starts_with("expected `,` or `}`") {
        "after object key:value pair"
    } else if msg.starts_with("expected `,` or `]`") {
        "after array element"
    } else if msg.starts_with("expected `:`") {
        "after object key"
    } else {
        "looking for beginning of value"
    };
    format!("invalid character '{c}' {what}")
}

/// Go's `%+v` of a value decoded into `interface{}` (`map[spec:map[replicas:x]]`).
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => crate::print::jsonpath::go_float_v(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_v(&m[k.as_str()])))
                .collect();
            format!("map[{}]", inner.join(" "))
        }
    }
}

/// The server decodes the patched object into its type (strictly, as kubectl asks by default):
/// a failure is `The  "" is invalid: patch: Invalid value: ...` over the patch (strategic) or
/// the patched object (merge, json).
fn decode_patched(kind: Kind, obj: Value, p: &Value) -> Result<Value, CliError> {
    let shown = match kind {
        Kind::Strategic => go_v(p),
        _ => serde_json::to_string(&obj).unwrap_or_default(),
    };
    Ok(decode_checked(obj, &shown, Validation::Strict)?.0)
}

/// The patched object as the server decodes it under `--validate` (edit's PATCH): unknown
/// fields an Invalid error (strict), warnings on the API (warn), or dropped (ignore).
pub(super) fn decode_for_validation(
    obj: Value,
    p: &Value,
    validation: Validation,
    api: &mut crate::api::Api,
) -> Result<Value, ApiError> {
    let (obj, unknown) = decode_checked(obj, &go_v(p), validation)?;
    if validation == Validation::Warn {
        api.warnings
            .extend(unknown.iter().map(|f| format!("unknown field \"{f}\"")));
    }
    Ok(obj)
}

/// `applyPatchToObject`'s decoding: the object and the unknown fields it had, or the
/// server's Invalid error over `shown` (`patch: Invalid value: "<shown>": <cause>`).
fn decode_checked(
    obj: Value,
    shown: &str,
    validation: Validation,
) -> Result<(Value, Vec<String>), ApiError> {
    let invalid = |cause: String| {
        ApiError::invalid(
            "",
            "",
            "",
            vec![FieldError::invalid(
                "patch",
                BadValue::Str(shown.to_string()),
                cause,
            )],
        )
    };
    match crate::api::decode::strict_decode(obj.clone()) {
        Ok(d) if d.unknown_fields.is_empty() => Ok((obj, Vec::new())),
        Ok(d) if validation == Validation::Strict => {
            let list: Vec<String> = d
                .unknown_fields
                .iter()
                .map(|f| format!("unknown field {}", crate::print::jsonpath::go_quote(f)))
                .collect();
            Err(invalid(format!(
                "strict decoding error: {}",
                list.join(", ")
            )))
        }
        Ok(d) => Ok((d.object, d.unknown_fields)),
        Err(crate::api::decode::DecodeError::Api(e)) => {
            let cause = e
                .message
                .split_once(": ")
                .map(|(_, c)| c.to_string())
                .unwrap_or(e.message.clone());
            Err(invalid(cause))
        }
        Err(e) => Err(ApiError::bad_request(e.to_string())),
    }
}

/// The patch as JSON: YAML is converted first; JSON-looking text is parsed as JSON.
fn patch_value(text: &str, shown: &str) -> Result<Value, CliError> {
    match crate::api::decode::yaml_to_json(text).map_err(|e| {
        CliError::msg(format!(
            "unable to parse {}: {e}",
            crate::print::jsonpath::go_quote(shown)
        ))
    })? {
        Some(v) => Ok(v),
        None => serde_json::from_str(text).map_err(|e| {
            CliError::raw(format!(
                "Error from server (BadRequest): {}",
                go_json_error(text, &e)
            ))
        }),
    }
}

/// Applies the patch to `obj` on the client (`--local`): the patch libraries' own words.
fn apply_patch_local(kind: Kind, obj_kind: &str, obj: &mut Value, p: &Value) -> CliResult {
    match kind {
        Kind::Json => patch::json_patch(obj, p).map_err(|e| CliError::msg(e.message)),
        Kind::Strategic if !p.is_object() => Err(CliError::msg("invalid JSON document")),
        Kind::Strategic => {
            patch::strategic_merge_patch(obj_kind, obj, p).map_err(|e| CliError::msg(e.0))
        }
        Kind::Merge => apply_patch(kind, obj_kind, obj, p),
    }
}

/// Applies the patch to `obj` as the server would.
fn apply_patch(kind: Kind, obj_kind: &str, obj: &mut Value, p: &Value) -> Result<(), CliError> {
    match kind {
        Kind::Merge => {
            patch::merge_patch(obj, p);
            Ok(())
        }
        Kind::Json => patch::json_patch(obj, p).map_err(|e| {
            if e.decode {
                CliError::raw(format!("Error from server (BadRequest): {}", e.message))
            } else {
                CliError::raw(
                    "The request is invalid: the server rejected our request due to an error in our request",
                )
            }
        }),
        Kind::Strategic => {
            if !p.is_object() {
                return Err(CliError::raw(
                    "Error from server (BadRequest): invalid JSON document",
                ));
            }
            patch::strategic_merge_patch(obj_kind, obj, p)
                .map_err(|e| CliError::raw(format!("Error from server: {}", e.0)))
        }
    }
}

/// The object a patch makes of the stored `before`, as the server applies and decodes it; the
/// patch may not move the object (its name and namespace stay).
pub(super) fn patched(
    kind: Kind,
    info: &crate::api::kinds::KindInfo,
    before: &Value,
    p: &Value,
) -> Result<Value, CliError> {
    let mut obj = before.clone();
    apply_patch(kind, info.kind, &mut obj, p)?;
    let mut obj = decode_patched(kind, obj, p)?;
    obj.set("/metadata/name", before["metadata"]["name"].clone())?;
    if info.namespaced {
        obj.set(
            "/metadata/namespace",
            before["metadata"]["namespace"].clone(),
        )?;
    }
    Ok(obj)
}

pub fn run(ctx: &Ctx, a: PatchArgs, out: &mut Out) -> CliResult {
    let fmt = a.flags.output.format()?;
    let dry = a.flags.dry_run.mode()?;
    if a.patch.is_some() && a.patch_file.is_some() {
        return Err(CliError::msg(
            "cannot specify --patch and --patch-file together",
        ));
    }
    if a.patch.as_deref().unwrap_or("").is_empty() && a.patch_file.is_none() {
        return Err(CliError::msg(
            "must specify --patch or --patch-file containing the contents of the patch",
        ));
    }
    if a.local && !a.args.is_empty() {
        return Err(CliError::msg("cannot specify --local and server resources"));
    }
    if a.local && dry == Some("server") {
        return Err(CliError::msg(
            "cannot specify --local and --dry-run=server - did you mean --dry-run=client?",
        ));
    }
    let kind = match a.type_.to_lowercase().as_str() {
        "strategic" => Kind::Strategic,
        "merge" => Kind::Merge,
        "json" => Kind::Json,
        _ => {
            return Err(CliError::msg(format!(
                "--type must be one of [json merge strategic], not \"{}\"",
                a.type_
            )));
        }
    };
    let text = match &a.patch_file {
        Some(f) => super::read_file_limited(std::path::Path::new(f))
            .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
            .map_err(|e| {
                let why = match e.kind() {
                    // Go's *PathError.
                    std::io::ErrorKind::NotFound => {
                        format!("open {f}: no such file or directory")
                    }
                    _ => e.to_string(),
                };
                CliError::msg(format!("unable to read patch file: {why}"))
            })?,
        None => a.patch.clone().unwrap_or_default(),
    };
    let p = match patch_value(&text, a.patch.as_deref().unwrap_or("")) {
        // On the client the patch libraries refuse what is not JSON, in their words.
        Err(e) if a.local => {
            let server = e.text.strip_prefix("Error from server (BadRequest): ");
            return Err(match (kind, server) {
                (Kind::Strategic, Some(_)) => CliError::msg("invalid JSON document"),
                (Kind::Merge, Some(_)) => CliError::msg("Invalid JSON Patch"),
                (_, Some(m)) => CliError::msg(m),
                (_, None) => e,
            });
        }
        r => r?,
    };
    if a.local {
        // The files' objects, patched on the client and printed, nothing stored.
        if a.files.filename.is_empty() {
            return Err(CliError::raw(resources::NO_RESOURCES_GIVEN));
        }
        let manifests = resources::load_with(&a.files.filename, a.files.recursive, false)?;
        if manifests.is_empty() {
            return Err(CliError::msg("no objects passed to patch"));
        }
        for m in manifests {
            let info = super::apply::kind_of_manifest(&m, ctx, "patching")?;
            let mut obj = m.object.clone();
            let before = obj.clone();
            apply_patch_local(kind, info.kind, &mut obj, &p)?;
            let op = if obj == before {
                "patched (no change)"
            } else {
                "patched"
            };
            // kubectl makes a printer per object: no `---` between them.
            out.yaml_docs = 0;
            report(out, &fmt, info, &obj, &format!("{op}{}", dry_suffix(dry)))?;
        }
        return Ok(());
    }
    let mut api = ctx.open_write()?;
    let sel = Selection::named(&a.args, &a.files, "patching");
    let targets = resources::select(ctx, &mut api, &sel)?;
    if targets.is_empty() {
        return Err(CliError::msg("no objects passed to patch"));
    }
    let cause = a.record.cause();
    for t in targets {
        let r = (|| -> CliResult {
            let before = api.get(t.info, &t.namespace, &t.name)?;
            let obj = patched(kind, t.info, &before, &p)?;
            let changed = obj != before;
            let mut stored = if dry.is_some() || !changed {
                obj
            } else {
                api.update(t.info, &t.namespace, obj)?
            };
            // kubectl records the change cause with a second patch, even after a patch that
            // changed nothing (the message still says "no change").
            if dry.is_none() && super::goflags::record(&mut stored, cause.as_deref()) {
                stored = api.update(t.info, &t.namespace, stored)?;
            }
            let op = if changed {
                "patched"
            } else {
                "patched (no change)"
            };
            report(
                out,
                &fmt,
                t.info,
                &stored,
                &format!("{op}{}", dry_suffix(dry)),
            )
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish(api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_reads_as_go_encoding_json_words_it() {
        let e = |t: &str| {
            let err = serde_json::from_str::<Value>(t).unwrap_err();
            go_json_error(t, &err)
        };
        assert_eq!(
            e("{bad"),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(e("{\"a\":1"), "unexpected end of JSON input");
        assert_eq!(
            e("{\"a\":1}x"),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(e("{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(e("[1 2]"), "invalid character '2' after array element");
        assert_eq!(
            e("{\"a\":?}"),
            "invalid character '?' looking for beginning of value"
        );
    }
}
