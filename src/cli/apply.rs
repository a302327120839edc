//! `kubesim apply -f`, `create -f` and `replace -f`: manifests into the cluster, with
//! kubectl's client-side three-way merge for apply.

use super::flags;
use super::resources::{self, Manifest};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::decode::{self, Decoded};
use crate::api::errors::ApiError;
use crate::api::kinds::KindInfo;
use crate::api::{Api, name_of};
use crate::print::output::{Format, name_form, print_structured};
use crate::util::fields::{Fields, ShapeError};
use clap::Args;
use serde_json::{Map, Value, json};
use std::io::Write;

/// The annotation where `kubectl apply` keeps the configuration it last applied.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

#[derive(Args, Debug, Clone)]
#[command(mut_arg(
    "filename",
    flags::required("The files that contain the configurations to apply")
))]
#[command(mut_arg("output", flags::usage("Output format: json|yaml|name")))]
pub struct ApplyArgs {
    #[command(flatten)]
    pub files: flags::FilenameFlags,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    #[command(flatten)]
    pub validate: flags::ValidateFlags,
    #[command(flatten)]
    pub record: super::goflags::RecordFlag,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg("output", flags::usage("Output format: json|yaml|name")))]
pub struct ReplaceArgs {
    /// The files that contain the configurations to replace
    #[arg(short = 'f', long)]
    pub filename: Vec<String>,
    #[command(flatten)]
    pub dry_run: flags::DryRunFlags,
    /// Process the directory used in -f, --filename recursively
    #[arg(short = 'R', long)]
    pub recursive: bool,
    #[command(flatten)]
    pub output: flags::OutputFlags,
    #[command(flatten)]
    pub validate: flags::ValidateFlags,
    /// If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.
    #[arg(long)]
    pub save_config: bool,
    #[command(flatten)]
    pub managed: super::goflags::ManagedFieldsFlags,
}

/// The suffix kubectl adds to operation words in dry-run mode.
pub fn dry_suffix(mode: Option<&str>) -> &'static str {
    match mode {
        Some("client") => " (dry run)",
        Some("server") => " (server dry run)",
        _ => "",
    }
}

/// Decodes one manifest strictly and works out its namespace, in kubectl's words on failure.
pub fn decode_manifest(m: &Manifest, ctx: &Ctx, verb: &str) -> Result<(Decoded, String), CliError> {
    let obj = &m.object;
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut missing = Vec::new();
    if api_version.is_empty() {
        missing.push("apiVersion not set");
    }
    if kind.is_empty() {
        missing.push("kind not set");
    }
    if !missing.is_empty() {
        let list = if missing.len() == 1 {
            missing[0].to_string()
        } else {
            format!("[{}]", missing.join(", "))
        };
        return Err(CliError::msg(format!(
            "error validating \"{}\": error validating data: {list}; if you choose to ignore these errors, turn validation off with --validate=false",
            m.source
        )));
    }
    let d = decode::strict_decode(obj.clone()).map_err(|e| match e {
        decode::DecodeError::Api(api) => CliError::raw(
            api.kubectl_message_in(Some(&format!("error when {verb} \"{}\"", m.source))),
        ),
        other => CliError::msg(other.with_source(&m.source)),
    })?;
    let ns = target_namespace(d.info, &d.object, ctx)?;
    Ok((d, ns))
}

/// The namespace an object of a manifest goes to: none for a cluster-scoped kind, else
/// `-n` (which must agree with the object's own), the object's, or the kubeconfig's
/// ([`Ctx::namespace`]: the current context's, or `default`).
pub(super) fn target_namespace(
    info: &KindInfo,
    obj: &Value,
    ctx: &Ctx,
) -> Result<String, CliError> {
    let file_ns = obj
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let ns = if !info.namespaced {
        String::new()
    } else if let Some(flag_ns) = &ctx.global.namespace {
        if !file_ns.is_empty() && &file_ns != flag_ns {
            return Err(CliError::msg(format!(
                "the namespace from the provided object \"{file_ns}\" does not match the namespace \"{flag_ns}\". You must pass '--namespace={file_ns}' to perform this operation."
            )));
        }
        flag_ns.clone()
    } else if file_ns.is_empty() {
        ctx.namespace()?
    } else {
        file_ns
    };
    Ok(ns)
}

/// The kind of a manifest, found as kubectl's RESTMapper finds it for an object it does not
/// decode (`--local`, `--validate=false`): by apiVersion and kind, or by kind alone when the
/// object has no apiVersion. A kind kubesim does not serve is [`decode_manifest`]'s error.
pub fn kind_of_manifest(
    m: &Manifest,
    ctx: &Ctx,
    verb: &str,
) -> Result<&'static KindInfo, CliError> {
    let s = |k: &str| m.object.get(k).and_then(Value::as_str).unwrap_or("");
    let found = match s("apiVersion") {
        "" => crate::api::kinds::by_kind(s("kind")),
        v => crate::api::kinds::by_api_version_kind(v, s("kind")),
    };
    match found {
        Some(k) => Ok(k),
        None => decode_manifest(m, ctx, verb).map(|(d, _)| d.info),
    }
}

/// What `create --dry-run=client` prints for a manifest: the object as read (kubectl's
/// unstructured object: no defaults, no zero values, unknown fields kept), its namespace set
/// as kubectl's resource builder sets it. With validation off nothing but the kind is looked
/// at (an object without `apiVersion` is found by its kind, as kubectl's RESTMapper finds it).
pub(super) fn client_dry_object(
    m: &Manifest,
    ctx: &Ctx,
    validation: Validation,
    verb: &str,
) -> Result<(&'static KindInfo, Value), CliError> {
    let info = if validation == Validation::Ignore {
        kind_of_manifest(m, ctx, verb)?
    } else {
        decode_manifest(m, ctx, verb)?.0.info
    };
    let ns = target_namespace(info, &m.object, ctx)?;
    let mut obj = m.object.clone();
    if !ns.is_empty() {
        obj.set("/metadata/namespace", Value::from(ns))?;
    }
    Ok((info, obj))
}

pub use super::flags::{Validation, parse_validate};

/// The API server's strict field validation of a request body: an error (strict), a warning
/// per field (warn), or nothing (ignore; the fields were already dropped by decoding).
pub fn check_fields(
    d: &Decoded,
    m: &Manifest,
    verb: &str,
    mode: Validation,
    out: &mut Out,
) -> CliResult {
    if d.unknown_fields.is_empty() {
        return Ok(());
    }
    match mode {
        Validation::Strict => {
            let e = decode::unknown_fields_error(d.info, &d.unknown_fields);
            Err(CliError::raw(e.kubectl_message_in(Some(&format!(
                "error when {verb} \"{}\"",
                m.source
            )))))
        }
        Validation::Warn => {
            for f in &d.unknown_fields {
                out.warn(&format!("unknown field \"{f}\""));
            }
            Ok(())
        }
        Validation::Ignore => Ok(()),
    }
}

/// The JSON kubectl stores in the last-applied annotation: [`modified_configuration`],
/// compact, keys sorted, with a trailing newline.
pub fn last_applied_of(manifest: &Value, ns: &str) -> String {
    serde_json::to_string(&modified_configuration(manifest, ns)).expect("json") + "\n"
}

/// kubectl's `GetModifiedConfiguration(obj, false, ...)` of the object as its resource
/// builder hands it over: the manifest with its namespace `ns` set (none for a
/// cluster-scoped kind), its annotations without the last-applied one — `{}` when it has no
/// other.
pub fn modified_configuration(manifest: &Value, ns: &str) -> Value {
    let mut m = manifest.clone();
    if let Some(md) = m.get_mut("metadata").and_then(Value::as_object_mut) {
        if !ns.is_empty() {
            md.insert("namespace".into(), json!(ns));
        }
        match md.get_mut("annotations").and_then(Value::as_object_mut) {
            Some(a) => {
                a.remove(LAST_APPLIED);
            }
            None => {
                md.insert("annotations".into(), json!({}));
            }
        }
    }
    m
}

/// The configuration last applied to a live object (its last-applied annotation, parsed),
/// the `original` of apply's three-way merge.
pub fn last_applied_in(live: &Value) -> Option<Value> {
    live.pointer(&format!(
        "/metadata/annotations/{}",
        LAST_APPLIED.replace('/', "~1")
    ))
    .and_then(Value::as_str)
    .and_then(|s| serde_json::from_str(s).ok())
}

/// Sets `metadata.annotations[key]` (a wrong shape on the way is an error, not replaced).
pub fn set_annotation(obj: &mut Value, key: &str, val: &str) -> Result<(), ShapeError> {
    obj.fields_at("/metadata/annotations")?
        .insert(key.to_string(), json!(val));
    Ok(())
}

/// kubectl's `CreateApplyAnnotation` on an unstructured object (`--save-config`): the
/// object itself (`GetModifiedConfiguration`: its annotations made `{}` when it has none,
/// the old configuration left out), compact, kept in the last-applied annotation.
pub fn save_configuration(obj: &mut Value) -> Result<(), ShapeError> {
    obj.fields_at("/metadata/annotations")?.remove(LAST_APPLIED);
    let config = serde_json::to_string(&*obj).unwrap_or_default() + "\n";
    set_annotation(obj, LAST_APPLIED, &config)
}

/// kubectl's `CreateOrUpdateAnnotation`: with `--save-config` the configuration is saved;
/// without, it is brought up to date only where the object already carries one.
pub fn create_or_update_annotation(save_config: bool, obj: &mut Value) -> Result<(), ShapeError> {
    let has = obj
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(LAST_APPLIED))
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if save_config || has {
        save_configuration(obj)?;
    }
    Ok(())
}

/// The last-applied configuration `create -f` and `replace -f` send: kubectl's
/// [`create_or_update_annotation`] on the object as read (its namespace set as the resource
/// builder sets it), or none when it keeps none.
fn configuration_from_file(
    m: &Manifest,
    ns: &str,
    save_config: bool,
) -> Result<Option<String>, ShapeError> {
    let mut obj = m.object.clone();
    if !ns.is_empty() {
        obj.set("/metadata/namespace", Value::from(ns))?;
    }
    create_or_update_annotation(save_config, &mut obj)?;
    Ok(obj
        .pointer("/metadata/annotations")
        .and_then(|an| an.get(LAST_APPLIED))
        .and_then(Value::as_str)
        .map(str::to_string))
}

/// The strategic-merge key of a list field, from the Kubernetes API's patch tags.
fn merge_key(path: &[String], field: &str) -> Option<&'static str> {
    let in_pod = path
        .iter()
        .any(|p| p == "containers" || p == "initContainers" || p == "ephemeralContainers");
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets" => Some("name"),
        "env" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ports" if in_pod => Some("containerPort"),
        "ports" => Some("port"),
        "hostAliases" => Some("ip"),
        "ownerReferences" => Some("uid"),
        "conditions" => Some("type"),
        _ => None,
    }
}

/// kubectl's client-side apply: the live object with the changes between the last applied
/// configuration (`original`) and the new manifest (`modified`) merged in, lists of
/// structs merged by their strategic-merge keys.
pub fn three_way(
    original: Option<&Value>,
    modified: &Value,
    live: &Value,
    path: &mut Vec<String>,
) -> Value {
    match (modified, live) {
        (Value::Object(m), Value::Object(l)) => {
            let mut out: Map<String, Value> = l.clone();
            for (k, mv) in m {
                if mv.is_null() {
                    out.remove(k);
                    continue;
                }
                let ov = original.and_then(|o| o.get(k));
                let lv = l.get(k).cloned().unwrap_or(Value::Null);
                path.push(k.clone());
                let merged = match (mv, &lv) {
                    (Value::Array(ma), Value::Array(la)) => match merge_key(path, k) {
                        Some(key) => merge_list(ov.and_then(Value::as_array), ma, la, key, path),
                        None => mv.clone(),
                    },
                    _ => three_way(ov, mv, &lv, path),
                };
                path.pop();
                out.insert(k.clone(), merged);
            }
            if let Some(Value::Object(o)) = original {
                for k in o.keys() {
                    if !m.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            Value::Object(out)
        }
        _ => modified.clone(),
    }
}

fn merge_list(
    original: Option<&Vec<Value>>,
    modified: &[Value],
    live: &[Value],
    key: &str,
    path: &mut Vec<String>,
) -> Value {
    let k_of = |v: &Value| v.get(key).cloned();
    let mut out: Vec<Value> = Vec::new();
    // Items of the manifest, merged into their live counterparts, in manifest order.
    for mv in modified {
        let k = k_of(mv);
        let lv = live.iter().find(|l| k.is_some() && k_of(l) == k);
        let ov = original.and_then(|o| o.iter().find(|x| k.is_some() && k_of(x) == k));
        out.push(match lv {
            Some(lv) => three_way(ov, mv, lv, path),
            None => mv.clone(),
        });
    }
    // Live items the user never applied stay; those removed from the manifest go.
    for lv in live {
        let k = k_of(lv);
        let in_modified = modified.iter().any(|m| k_of(m) == k);
        let was_applied = original.is_some_and(|o| o.iter().any(|x| k_of(x) == k));
        if !in_modified && !was_applied {
            out.push(lv.clone());
        }
    }
    Value::Array(out)
}

fn context(verb: &str, source: &str) -> String {
    format!("error when {verb} \"{source}\"")
}

/// Prints `<kind>/<name> <op>` or the object in `-o` format.
pub fn report(
    out: &mut Out,
    fmt: &Format,
    info: &'static KindInfo,
    obj: &Value,
    op: &str,
) -> CliResult {
    match fmt {
        Format::Table | Format::Wide => writeln!(out.out, "{} {op}", name_form(info, obj))?,
        Format::Yaml => out.yaml_doc(obj)?,
        f => out
            .out
            .write_all(print_structured(f, &[(info, obj.clone())], true)?.as_bytes())?,
    }
    Ok(())
}

pub fn run_apply(ctx: &Ctx, a: ApplyArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    let validation = a.validate.mode()?;
    let mut manifests = a.files.load()?;
    if manifests.is_empty() {
        return Err(CliError::msg("no objects passed to apply"));
    }
    // kubectl records the change cause in the object before it computes the configuration
    // it keeps as last applied, so the annotation is in both.
    if let Some(cause) = a.record.cause() {
        for m in &mut manifests {
            super::goflags::record(&mut m.object, Some(&cause));
        }
    }
    let mut api = ctx.open_write()?;
    for m in &manifests {
        if let Err(e) = apply_one(ctx, &mut api, m, &fmt, dry, validation, out) {
            out.error(e);
        }
    }
    print_warnings(&mut api, out);
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

/// Prints and clears the API's warnings.
pub fn print_warnings(api: &mut Api, out: &mut Out) {
    for w in std::mem::take(&mut api.warnings) {
        out.warn(&w);
    }
}

fn apply_one(
    ctx: &Ctx,
    api: &mut Api,
    m: &Manifest,
    fmt: &Format,
    dry: Option<&str>,
    validation: Validation,
    out: &mut Out,
) -> CliResult {
    let (d, ns) = decode_manifest(m, ctx, "creating")?;
    check_fields(&d, m, "creating", validation, out)?;
    let info = d.info;
    let name = name_of(&d.object).to_string();
    let applied = last_applied_of(&m.object, &ns);
    let live = if name.is_empty() {
        None
    } else {
        api.try_get(info, &ns, &name)?
    };
    match live {
        None => {
            let mut obj = d.object.clone();
            set_annotation(&mut obj, LAST_APPLIED, &applied)?;
            let created = if dry == Some("client") {
                let mut o = obj;
                crate::kinds::common::client::go_zero_fields(&mut o);
                o
            } else {
                api.create(info, &ns, obj).map_err(|e| {
                    CliError::raw(e.kubectl_message_in(Some(&context("creating", &m.source))))
                })?
            };
            print_warnings(api, out);
            report(
                out,
                fmt,
                info,
                &created,
                &format!("created{}", dry_suffix(dry)),
            )
        }
        Some(live) => {
            let original = last_applied_in(&live);
            if original.is_none() {
                out.warn(&format!(
                    "resource {}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                    info.plural
                ));
            }
            // The object as kubectl's builder hands it over: its namespace set.
            let mut modified = d.object.clone();
            if !ns.is_empty() {
                modified.set("/metadata/namespace", json!(ns))?;
            }
            set_annotation(&mut modified, LAST_APPLIED, &applied)?;
            let mut merged = three_way(original.as_ref(), &modified, &live, &mut Vec::new());
            // The manifest's own explicit nulls always make a patch (kubectl's quirk).
            let has_nulls = contains_null(&m.object);
            merged.set(
                "/metadata/resourceVersion",
                live["metadata"]["resourceVersion"].clone(),
            )?;
            let mut probe = merged.clone();
            crate::api::defaults::apply_defaults(&mut probe);
            if probe == live && !has_nulls {
                return report(
                    out,
                    fmt,
                    info,
                    &live,
                    &format!("unchanged{}", dry_suffix(dry)),
                );
            }
            let updated = if dry == Some("client") {
                merged
            } else {
                api.update(info, &ns, merged).map_err(|e: ApiError| {
                    if e.reason == crate::api::errors::Reason::Invalid {
                        CliError::from(e)
                    } else {
                        CliError::raw(e.kubectl_message_in(Some(&context("applying", &m.source))))
                    }
                })?
            };
            report(
                out,
                fmt,
                info,
                &updated,
                &format!("configured{}", dry_suffix(dry)),
            )
        }
    }
}

fn contains_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.values().any(contains_null),
        Value::Array(a) => a.iter().any(contains_null),
        _ => false,
    }
}

/// `create -f`: every object must be new.
#[allow(clippy::too_many_arguments)]
pub fn create_from_files(
    ctx: &Ctx,
    files: &[String],
    recursive: bool,
    fmt: &Format,
    dry: Option<&str>,
    save_config: bool,
    validation: Validation,
    cause: Option<&str>,
    out: &mut Out,
) -> CliResult {
    let manifests = resources::load_with(files, recursive, validation != Validation::Ignore)?;
    if manifests.is_empty() {
        return Err(CliError::msg("no objects passed to create"));
    }
    if dry == Some("client") {
        for m in &manifests {
            let r = (|| -> CliResult {
                let (info, mut obj) = client_dry_object(m, ctx, validation, "creating")?;
                create_or_update_annotation(save_config, &mut obj)?;
                super::goflags::record(&mut obj, cause);
                report(out, fmt, info, &obj, "created (dry run)")
            })();
            if let Err(e) = r {
                out.error(e);
            }
        }
        return Ok(());
    }
    let mut api = ctx.open_write()?;
    for m in &manifests {
        let r = (|| -> CliResult {
            let (d, ns) = decode_manifest(m, ctx, "creating")?;
            check_fields(&d, m, "creating", validation, out)?;
            let mut obj = d.object;
            if let Some(config) = configuration_from_file(m, &ns, save_config)? {
                set_annotation(&mut obj, LAST_APPLIED, &config)?;
            }
            // After the saved configuration, as kubectl does: it does not hold the cause.
            super::goflags::record(&mut obj, cause);
            let created = api.create(d.info, &ns, obj).map_err(|e| {
                CliError::raw(e.kubectl_message_in(Some(&context("creating", &m.source))))
            })?;
            print_warnings(&mut api, out);
            report(
                out,
                fmt,
                d.info,
                &created,
                &format!("created{}", dry_suffix(dry)),
            )
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

pub fn run_replace(ctx: &Ctx, a: ReplaceArgs, out: &mut Out) -> CliResult {
    let fmt = a.output.format()?;
    let dry = a.dry_run.mode()?;
    let op = format!("replaced{}", dry_suffix(dry));
    let validation = a.validate.mode()?;
    if a.filename.is_empty() {
        return Err(CliError::msg("must specify one of -f and -k"));
    }
    let manifests =
        resources::load_with(&a.filename, a.recursive, validation != Validation::Ignore)?;
    if manifests.is_empty() {
        return Err(CliError::msg("no objects passed to replace"));
    }
    if dry == Some("client") {
        // kubectl prints the object from the file as it would send it (its unstructured
        // form: unknown fields kept when validation is off), without asking the server.
        for m in &manifests {
            let r = (|| -> CliResult {
                let (info, mut obj) = client_dry_object(m, ctx, validation, "replacing")?;
                create_or_update_annotation(a.save_config, &mut obj)?;
                report(out, &fmt, info, &obj, &op)
            })();
            if let Err(e) = r {
                out.error(e);
            }
        }
        return Ok(());
    }
    let mut api = ctx.open_write()?;
    for m in &manifests {
        let r = (|| -> CliResult {
            let (d, ns) = decode_manifest(m, ctx, "replacing")?;
            check_fields(&d, m, "replacing", validation, out)?;
            let mut obj = d.object;
            if let Some(config) = configuration_from_file(m, &ns, a.save_config)? {
                set_annotation(&mut obj, LAST_APPLIED, &config)?;
            }
            let updated = api.update(d.info, &ns, obj).map_err(|e| {
                CliError::raw(e.kubectl_message_in(Some(&context("replacing", &m.source))))
            })?;
            report(out, &fmt, d.info, &updated, &op)
        })();
        if let Err(e) = r {
            out.error(e);
        }
    }
    ctx.finish_unless_dry(api, dry)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_merges_containers_by_name_and_drops_removed_fields() {
        let original = json!({"spec": {"replicas": 2, "containers": [{"name": "a", "image": "x:1", "args": ["1"]}]}});
        let modified = json!({"spec": {"containers": [{"name": "a", "image": "x:2"}]}});
        let live = json!({"spec": {"replicas": 2, "paused": false,
            "containers": [{"name": "a", "image": "x:1", "args": ["1"], "imagePullPolicy": "IfNotPresent"},
                           {"name": "sidecar", "image": "s"}]}});
        let got = three_way(Some(&original), &modified, &live, &mut Vec::new());
        assert_eq!(
            got,
            json!({"spec": {"paused": false, "containers": [
                {"name": "a", "image": "x:2", "imagePullPolicy": "IfNotPresent"},
                {"name": "sidecar", "image": "s"}]}})
        );
    }

    #[test]
    fn last_applied_is_compact_json_without_itself() {
        let m = json!({"metadata": {"name": "x", "annotations": {LAST_APPLIED: "old"}}, "kind": "ConfigMap"});
        assert_eq!(
            last_applied_of(&m, ""),
            "{\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"x\"}}\n"
        );
        // The docs page's (declarative-config): the builder's namespace, annotations `{}`.
        let m = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx-deployment"}});
        assert_eq!(
            last_applied_of(&m, "default"),
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"nginx-deployment\",\"namespace\":\"default\"}}\n"
        );
        let m = json!({"metadata": {"name": "x", "annotations": {"a": "b"}}});
        assert_eq!(
            last_applied_of(&m, "ns"),
            "{\"metadata\":{\"annotations\":{\"a\":\"b\"},\"name\":\"x\",\"namespace\":\"ns\"}}\n"
        );
    }
}
