//! API-server validation: the field errors a Kubernetes 1.33 API server returns for an invalid
//! create or update, with the server's field paths and messages.
//!
//! [`validate`] runs after defaulting, on the object in its JSON form (`serde_json::Value`,
//! camelCase); `old` is `Some(previous)` on updates. The caller wraps a non-empty result in
//! `ApiError::invalid(kind, group, name, errors)`. Sources: `pkg/apis/core/validation`,
//! `pkg/apis/apps/validation`, `pkg/apis/batch/validation`, `pkg/apis/storage/validation`,
//! apimachinery `pkg/api/validation/objectmeta.go` and `pkg/util/validation/validation.go`.
//! Go iterates maps in random order; here map entries are checked in key order.
//!
//! Known approximations: values the Go code renders with `%#v` of a large struct (a Job's
//! `spec.template` on update, a PV's capacity) are abbreviated, and the diff appended to the
//! Pod/PVC "may not change" messages is left out; resource quantities are compared numerically
//! but printed as written.

use super::errors::{BadValue, FieldError, FieldErrorType};
use crate::api::Ptr;
use serde_json::{Map, Value};

const IMMUTABLE: &str = "field is immutable";
const NEGATIVE: &str = "must be greater than or equal to 0";
const MAX_SECRET_SIZE: usize = 1024 * 1024;
const TOTAL_ANNOTATION_SIZE: usize = 256 * 1024;

/// Validates `obj` (create when `old` is `None`, update otherwise) and returns every failure, in
/// the API server's order.
pub fn validate(obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut e = Errs::default();
    let meta = obj.get("metadata").unwrap_or(&Value::Null);
    let name_rule = match kind {
        "Namespace" | "StatefulSet" => NameRule::Label,
        "Service" => NameRule::Dns1035,
        _ => NameRule::Subdomain,
    };
    let namespaced = super::kinds::by_kind(kind).is_none_or(|k| k.namespaced);
    validate_object_meta(&mut e, meta, name_rule, namespaced);
    if let Some(old) = old {
        validate_object_meta_update(&mut e, meta, old.get("metadata").unwrap_or(&Value::Null));
    }
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let old_spec = old.map(|o| o.get("spec").unwrap_or(&Value::Null));
    match kind {
        "Pod" => {
            pod_spec(&mut e, spec, "spec");
            if let Some(os) = old_spec {
                pod_update(&mut e, spec, os);
            }
        }
        "ReplicationController" => rc(&mut e, spec),
        "ReplicaSet" | "Deployment" | "DaemonSet" | "StatefulSet" => {
            apps(&mut e, kind, spec, old_spec)
        }
        "Job" => {
            job_spec(&mut e, spec, "spec", true);
            if let Some(os) = old_spec {
                immutable(&mut e, spec, os, "selector", "spec.selector", selector_go);
                if spec.get("template") != os.get("template") {
                    e.invalid(
                        "spec.template",
                        BadValue::Raw("core.PodTemplateSpec{...}".into()),
                        IMMUTABLE,
                    );
                }
            }
        }
        "CronJob" => cronjob(&mut e, obj, spec),
        "ConfigMap" => configmap(&mut e, obj, old),
        "Secret" => secret(&mut e, obj, old),
        "Service" => service(&mut e, spec, old_spec),
        "PersistentVolumeClaim" => {
            pvc_spec(&mut e, spec, "spec");
            if let Some(os) = old_spec {
                let strip = |s: &Value| {
                    let mut s = s.clone();
                    if let Some(m) = s.pointer_mut("/resources").and_then(Value::as_object_mut) {
                        m.remove("requests");
                    }
                    if let Some(m) = s.as_object_mut() {
                        m.remove("volumeAttributesClassName");
                        if os.get("volumeName").is_none() {
                            m.remove("volumeName");
                        }
                    }
                    s
                };
                if strip(spec) != strip(os) {
                    e.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
                }
            }
        }
        "PersistentVolume" => pv(&mut e, spec),
        "StorageClass" => storage_class(&mut e, obj, old),
        "Lease" => lease_spec(&mut e, spec),
        "Namespace" => {}
        "ResourceQuota" => {
            for key in ["hard", "used"] {
                let root = if key == "hard" { "spec" } else { "status" };
                if let Some(m) = obj
                    .ptr(&format!("/{root}/{key}"))
                    .and_then(Value::as_object)
                {
                    for (k, v) in m {
                        quantity_nonneg(&mut e, &format!("{root}.{key}[{k}]"), v);
                    }
                }
            }
        }
        _ => {}
    }
    e.0
}

/// The 1.27+ warnings for workload names that are valid subdomains but not DNS labels
/// (`Warning: metadata.name: this is used in Pod names and hostnames, ...`).
pub fn name_warnings(kind: &str, name: &str) -> Vec<String> {
    let what = match kind {
        "Pod" => "this is used in the Pod's hostname",
        "Deployment" | "ReplicaSet" | "ReplicationController" | "Job" | "CronJob" => {
            "this is used in Pod names and hostnames"
        }
        _ => return Vec::new(),
    };
    let msgs = is_dns1123_label(name);
    if msgs.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "metadata.name: {what}, which can result in surprising behavior; a DNS label is recommended: [{}]",
        msgs.join(" ")
    )]
}

// ---------------------------------------------------------------------------------------------
// Error list

#[derive(Default)]
struct Errs(Vec<FieldError>);

impl Errs {
    fn required(&mut self, f: &str, d: &str) {
        self.0.push(FieldError::required(f, d));
    }
    fn invalid(&mut self, f: &str, v: BadValue, d: &str) {
        self.0.push(FieldError::invalid(f, v, d));
    }
    fn unsupported(&mut self, f: &str, v: &str, sup: &[&str]) {
        self.0
            .push(FieldError::unsupported(f, BadValue::Str(v.into()), sup));
    }
    fn forbidden(&mut self, f: &str, d: &str) {
        self.0.push(FieldError::forbidden(f, d));
    }
    fn duplicate(&mut self, f: &str, v: &str) {
        self.0
            .push(FieldError::duplicate(f, BadValue::Str(v.into())));
    }
    fn not_found(&mut self, f: &str, v: &str) {
        self.0.push(FieldError {
            field: f.into(),
            kind: FieldErrorType::NotFound,
            value: Some(BadValue::Str(v.into())),
            detail: String::new(),
        });
    }
    fn too_long(&mut self, f: &str, max: usize) {
        self.0.push(FieldError::too_long(
            f,
            format!("may not be more than {max} bytes"),
        ));
    }
    fn nonneg(&mut self, f: &str, v: Option<&Value>) {
        if let Some(n) = v.and_then(Value::as_i64)
            && n < 0
        {
            self.invalid(f, BadValue::Int(n), NEGATIVE);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// apimachinery pkg/util/validation

fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut m = format!("{msg} (e.g. ");
    for (i, ex) in examples.iter().enumerate() {
        if i > 0 {
            m.push_str(" or ");
        }
        m.push_str(&format!("'{ex}', "));
    }
    m.push_str(&format!("regex used for validation is '{fmt}')"));
    m
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

fn lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && lower_alnum(b[0])
        && lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| lower_alnum(c) || c == b'-')
}

fn matches_subdomain(s: &str) -> bool {
    s.split('.').all(matches_label)
}

fn is_dns1123_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_label(v) {
        if matches_subdomain(v) {
            errs.push("must not contain dots".into());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

fn is_dns1123_subdomain(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_subdomain(v) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

fn is_dns1035_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push(max_len_error(63));
    }
    let b = v.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_lowercase()
        && lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| lower_alnum(c) || c == b'-');
    if !ok {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

fn matches_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    let an = |c: u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && an(b[0])
        && an(b[b.len() - 1])
        && b.iter()
            .all(|&c| an(c) || c == b'-' || c == b'_' || c == b'.')
}

pub(crate) fn is_qualified_name(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = v.split('/').collect();
    let name = match parts.len() {
        1 => parts[0],
        2 => {
            let prefix = parts[0];
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".into());
            } else {
                for m in is_dns1123_subdomain(prefix) {
                    errs.push(format!("prefix part {m}"));
                }
            }
            parts[1]
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".into());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

pub(crate) fn is_valid_label_value(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !v.is_empty() && !matches_qualified_name_part(v) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

fn is_config_map_key(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push(max_len_error(253));
    }
    let ok = !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.');
    if !ok {
        errs.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match v {
        "." => errs.push("must not be '.'".into()),
        ".." => errs.push("must not be '..'".into()),
        _ if v.starts_with("..") => errs.push("must not start with '..'".into()),
        _ => {}
    }
    errs
}

fn is_valid_port_num(p: i64) -> Vec<String> {
    if (1..=65535).contains(&p) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".into()]
    }
}

fn is_valid_port_name(p: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if p.len() > 15 {
        errs.push(max_len_error(15));
    }
    if p.is_empty() || !p.bytes().all(|c| lower_alnum(c) || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !p.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if p.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if p.starts_with('-') || p.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

// ---------------------------------------------------------------------------------------------
// Object metadata

#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Label,
    Dns1035,
}

fn name_msgs(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    // `maskTrailingDash` for generateName prefixes.
    let n = if prefix && name.len() > 1 && name.ends_with('-') {
        format!("{}a", &name[..name.len() - 1])
    } else {
        name.to_string()
    };
    match rule {
        NameRule::Subdomain => is_dns1123_subdomain(&n),
        NameRule::Label => is_dns1123_label(&n),
        NameRule::Dns1035 => is_dns1035_label(&n),
    }
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn validate_object_meta(e: &mut Errs, meta: &Value, rule: NameRule, namespaced: bool) {
    let gen_name = str_at(meta, "generateName");
    if !gen_name.is_empty() {
        for m in name_msgs(rule, gen_name, true) {
            e.invalid("metadata.generateName", BadValue::Str(gen_name.into()), &m);
        }
    }
    let name = str_at(meta, "name");
    if name.is_empty() {
        e.required("metadata.name", "name or generateName is required");
    } else {
        for m in name_msgs(rule, name, false) {
            e.invalid("metadata.name", BadValue::Str(name.into()), &m);
        }
    }
    let ns = str_at(meta, "namespace");
    if namespaced {
        if !ns.is_empty() {
            for m in is_dns1123_label(ns) {
                e.invalid("metadata.namespace", BadValue::Str(ns.into()), &m);
            }
        }
    } else if !ns.is_empty() {
        e.forbidden("metadata.namespace", "not allowed on this type");
    }
    labels(e, meta.get("labels"), "metadata.labels");
    annotations(e, meta.get("annotations"), "metadata.annotations");
    for f in meta
        .get("finalizers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        for m in is_qualified_name(f) {
            e.invalid("metadata.finalizers", BadValue::Str(f.into()), &m);
        }
    }
}

fn validate_object_meta_update(e: &mut Errs, new: &Value, old: &Value) {
    for key in ["name", "namespace", "uid"] {
        let (n, o) = (str_at(new, key), str_at(old, key));
        if n != o {
            e.invalid(
                &format!("metadata.{key}"),
                BadValue::Str(n.into()),
                IMMUTABLE,
            );
        }
    }
}

fn labels(e: &mut Errs, v: Option<&Value>, path: &str) {
    let Some(m) = v.and_then(Value::as_object) else {
        return;
    };
    for (k, v) in m {
        for msg in is_qualified_name(k) {
            e.invalid(path, BadValue::Str(k.clone()), &msg);
        }
        let v = v.as_str().unwrap_or("");
        for msg in is_valid_label_value(v) {
            e.invalid(path, BadValue::Str(v.into()), &msg);
        }
    }
}

fn annotations(e: &mut Errs, v: Option<&Value>, path: &str) {
    let Some(m) = v.and_then(Value::as_object) else {
        return;
    };
    let mut total = 0;
    for (k, v) in m {
        for msg in is_qualified_name(&k.to_lowercase()) {
            e.invalid(path, BadValue::Str(k.clone()), &msg);
        }
        total += k.len() + v.as_str().map_or(0, str::len);
    }
    if total > TOTAL_ANNOTATION_SIZE {
        e.too_long(path, TOTAL_ANNOTATION_SIZE);
    }
}

// ---------------------------------------------------------------------------------------------
// Go renderings of values

/// `%#v` of a `map[string]string` (keys sorted, as Go's fmt does).
fn go_map(v: Option<&Value>) -> String {
    match v.and_then(Value::as_object) {
        None => "map[string]string(nil)".into(),
        Some(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", go_q(k), go_q(v.as_str().unwrap_or(""))))
                .collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

fn go_q(s: &str) -> String {
    super::errors::go_quote(s)
}

fn go_strings(v: Option<&Value>) -> String {
    match v.and_then(Value::as_array) {
        None => "[]string(nil)".into(),
        Some(a) => {
            let items: Vec<String> = a.iter().map(|s| go_q(s.as_str().unwrap_or(""))).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
    }
}

/// `%#v` of a dereferenced `*metav1.LabelSelector`.
fn selector_go(v: Option<&Value>) -> String {
    let v = v.unwrap_or(&Value::Null);
    let exprs = match v.get("matchExpressions").and_then(Value::as_array) {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(a) => {
            let items: Vec<String> = a
                .iter()
                .map(|r| {
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        go_q(str_at(r, "key")),
                        go_q(str_at(r, "operator")),
                        go_strings(r.get("values"))
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        go_map(v.get("matchLabels")),
        exprs
    )
}

fn immutable(
    e: &mut Errs,
    new: &Value,
    old: &Value,
    key: &str,
    path: &str,
    render: fn(Option<&Value>) -> String,
) {
    if new.get(key) != old.get(key) {
        e.invalid(path, BadValue::Raw(render(new.get(key))), IMMUTABLE);
    }
}

// ---------------------------------------------------------------------------------------------
// Label selectors

fn label_selector(e: &mut Errs, sel: &Value, path: &str) {
    labels(e, sel.get("matchLabels"), &format!("{path}.matchLabels"));
    for (i, r) in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let p = format!("{path}.matchExpressions[{i}]");
        let vals = r.get("values").and_then(Value::as_array);
        let n = vals.map_or(0, Vec::len);
        match str_at(r, "operator") {
            "In" | "NotIn" => {
                if n == 0 {
                    e.required(
                        &format!("{p}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if n > 0 {
                    e.forbidden(
                        &format!("{p}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            op => e.invalid(
                &format!("{p}.operator"),
                BadValue::Str(op.into()),
                "not a valid selector operator",
            ),
        }
        let key = str_at(r, "key");
        for m in is_qualified_name(key) {
            e.invalid(&format!("{p}.key"), BadValue::Str(key.into()), &m);
        }
        for (j, v) in vals.into_iter().flatten().enumerate() {
            let v = v.as_str().unwrap_or("");
            for m in is_valid_label_value(v) {
                e.invalid(&format!("{p}.values[{j}]"), BadValue::Str(v.into()), &m);
            }
        }
    }
}

/// Whether a label selector (`None` selects nothing) matches `labels`; `None` when the selector
/// selects everything (empty).
fn selector_matches(sel: Option<&Value>, labels: Option<&Value>) -> Option<bool> {
    let Some(sel) = sel.filter(|s| s.is_object()) else {
        return Some(false);
    };
    let empty_map = Map::new();
    let labels = labels.and_then(Value::as_object).unwrap_or(&empty_map);
    let ml = sel.get("matchLabels").and_then(Value::as_object);
    let me = sel.get("matchExpressions").and_then(Value::as_array);
    if ml.is_none_or(Map::is_empty) && me.is_none_or(Vec::is_empty) {
        return None;
    }
    for (k, v) in ml.into_iter().flatten() {
        if labels.get(k) != Some(v) {
            return Some(false);
        }
    }
    for r in me.into_iter().flatten() {
        let key = str_at(r, "key");
        let vals: Vec<&str> = r
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let have = labels.get(key).and_then(Value::as_str);
        let ok = match str_at(r, "operator") {
            "In" => have.is_some_and(|h| vals.contains(&h)),
            "NotIn" => have.is_none_or(|h| !vals.contains(&h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

fn template_match(e: &mut Errs, sel: Option<&Value>, template: &Value, tpath: &str) {
    let tl = template.ptr("/metadata/labels");
    if selector_matches(sel, tl) == Some(false) {
        e.invalid(
            &format!("{tpath}.metadata.labels"),
            BadValue::Raw(go_map(tl)),
            "`selector` does not match template `labels`",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Pod specs

fn pod_template(e: &mut Errs, t: &Value, path: &str) {
    let meta = t.get("metadata").unwrap_or(&Value::Null);
    labels(e, meta.get("labels"), &format!("{path}.labels"));
    annotations(e, meta.get("annotations"), &format!("{path}.annotations"));
    let spec = t.get("spec").unwrap_or(&Value::Null);
    pod_spec(e, spec, &format!("{path}.spec"));
    if spec
        .get("ephemeralContainers")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        e.forbidden(
            &format!("{path}.spec.ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        );
    }
}

fn pod_spec(e: &mut Errs, s: &Value, path: &str) {
    // Volumes first; only valid ones can be mounted.
    let mut vols: Vec<String> = Vec::new();
    for (i, v) in arr(s, "volumes").enumerate() {
        let mut el = Errs::default();
        let p = format!("{path}.volumes[{i}]");
        let name = str_at(v, "name");
        if name.is_empty() {
            el.required(&format!("{p}.name"), "");
        } else {
            for m in is_dns1123_label(name) {
                el.invalid(&format!("{p}.name"), BadValue::Str(name.into()), &m);
            }
        }
        if vols.iter().any(|n| n == name) {
            el.duplicate(&format!("{p}.name"), name);
        }
        if el.0.is_empty() {
            vols.push(name.to_string());
        } else {
            e.0.extend(el.0);
        }
    }
    let cpath = format!("{path}.containers");
    let containers: Vec<&Value> = arr(s, "containers").collect();
    if containers.is_empty() {
        e.required(&cpath, "");
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        let p = format!("{cpath}[{i}]");
        container(e, c, &p, &vols);
        let n = str_at(c, "name");
        if names.contains(&n) {
            e.duplicate(&format!("{p}.name"), n);
        } else {
            names.push(n);
        }
        if c.get("restartPolicy").is_some() {
            e.forbidden(
                &format!("{p}.restartPolicy"),
                "may not be set for non-init containers",
            );
        }
    }
    for (i, c) in arr(s, "initContainers").enumerate() {
        let p = format!("{path}.initContainers[{i}]");
        container(e, c, &p, &vols);
        let n = str_at(c, "name");
        if names.contains(&n) {
            e.duplicate(&format!("{p}.name"), n);
        } else {
            names.push(n);
        }
    }
    let rp = str_at(s, "restartPolicy");
    match rp {
        "Always" | "OnFailure" | "Never" => {}
        "" => e.required(&format!("{path}.restartPolicy"), ""),
        _ => e.unsupported(
            &format!("{path}.restartPolicy"),
            rp,
            &["Always", "OnFailure", "Never"],
        ),
    }
    let dp = str_at(s, "dnsPolicy");
    match dp {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => e.required(&format!("{path}.dnsPolicy"), ""),
        _ => e.unsupported(
            &format!("{path}.dnsPolicy"),
            dp,
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        ),
    }
    labels(e, s.get("nodeSelector"), &format!("{path}.nodeSelector"));
    let sa = str_at(s, "serviceAccountName");
    if !sa.is_empty() {
        for m in is_dns1123_subdomain(sa) {
            e.invalid(
                &format!("{path}.serviceAccountName"),
                BadValue::Str(sa.into()),
                &m,
            );
        }
    }
    if let Some(ads) = s.get("activeDeadlineSeconds").and_then(Value::as_i64)
        && !(1..=i32::MAX as i64).contains(&ads)
    {
        e.invalid(
            &format!("{path}.activeDeadlineSeconds"),
            BadValue::Int(ads),
            "must be between 1 and 2147483647, inclusive",
        );
    }
}

fn container(e: &mut Errs, c: &Value, p: &str, vols: &[String]) {
    let name = str_at(c, "name");
    if name.is_empty() {
        e.required(&format!("{p}.name"), "");
    } else {
        for m in is_dns1123_label(name) {
            e.invalid(&format!("{p}.name"), BadValue::Str(name.into()), &m);
        }
    }
    if str_at(c, "image").is_empty() {
        e.required(&format!("{p}.image"), "");
    }
    let tmp = str_at(c, "terminationMessagePolicy");
    match tmp {
        "File" | "FallbackToLogsOnError" => {}
        "" => e.required(&format!("{p}.terminationMessagePolicy"), ""),
        _ => e.unsupported(
            &format!("{p}.terminationMessagePolicy"),
            tmp,
            &["File", "FallbackToLogsOnError"],
        ),
    }
    // Ports.
    let mut port_names: Vec<&str> = Vec::new();
    for (i, port) in arr(c, "ports").enumerate() {
        let pp = format!("{p}.ports[{i}]");
        let pn = str_at(port, "name");
        if !pn.is_empty() {
            let msgs = is_valid_port_name(pn);
            if !msgs.is_empty() {
                for m in msgs {
                    e.invalid(&format!("{pp}.name"), BadValue::Str(pn.into()), &m);
                }
            } else if port_names.contains(&pn) {
                e.duplicate(&format!("{pp}.name"), pn);
            } else {
                port_names.push(pn);
            }
        }
        let cp = port
            .get("containerPort")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if cp == 0 {
            e.required(&format!("{pp}.containerPort"), "");
        } else {
            for m in is_valid_port_num(cp) {
                e.invalid(&format!("{pp}.containerPort"), BadValue::Int(cp), &m);
            }
        }
        let hp = port.get("hostPort").and_then(Value::as_i64).unwrap_or(0);
        if hp != 0 {
            for m in is_valid_port_num(hp) {
                e.invalid(&format!("{pp}.hostPort"), BadValue::Int(hp), &m);
            }
        }
        protocol(e, port, &pp);
    }
    // Env.
    for (i, ev) in arr(c, "env").enumerate() {
        let n = str_at(ev, "name");
        let np = format!("{p}.env[{i}].name");
        if n.is_empty() {
            e.required(&np, "");
        } else if n
            .chars()
            .any(|ch| !ch.is_ascii() || ch.is_ascii_control() || ch == '=')
        {
            e.invalid(
                &np,
                BadValue::Str(n.into()),
                "a valid environment variable name must consist only of printable ASCII characters other than '='",
            );
        }
    }
    // Volume mounts.
    let mut mount_points: Vec<&str> = Vec::new();
    for (i, m) in arr(c, "volumeMounts").enumerate() {
        let mp = format!("{p}.volumeMounts[{i}]");
        let n = str_at(m, "name");
        if n.is_empty() {
            e.required(&format!("{mp}.name"), "");
        }
        if !vols.iter().any(|v| v == n) {
            e.not_found(&format!("{mp}.name"), n);
        }
        let path = str_at(m, "mountPath");
        if path.is_empty() {
            e.required(&format!("{mp}.mountPath"), "");
        }
        if mount_points.contains(&path) {
            e.invalid(
                &format!("{mp}.mountPath"),
                BadValue::Str(path.into()),
                "must be unique",
            );
        }
        mount_points.push(path);
    }
    let pull = str_at(c, "imagePullPolicy");
    match pull {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => e.required(&format!("{p}.imagePullPolicy"), ""),
        _ => e.unsupported(
            &format!("{p}.imagePullPolicy"),
            pull,
            &["Always", "IfNotPresent", "Never"],
        ),
    }
    resources(
        e,
        c.get("resources").unwrap_or(&Value::Null),
        &format!("{p}.resources"),
    );
}

fn protocol(e: &mut Errs, port: &Value, pp: &str) {
    let proto = str_at(port, "protocol");
    match proto {
        "TCP" | "UDP" | "SCTP" => {}
        "" => e.required(&format!("{pp}.protocol"), ""),
        _ => e.unsupported(&format!("{pp}.protocol"), proto, &["SCTP", "TCP", "UDP"]),
    }
}

fn resources(e: &mut Errs, r: &Value, p: &str) {
    let lim = r.get("limits").and_then(Value::as_object);
    let req = r.get("requests").and_then(Value::as_object);
    for (k, q) in lim.into_iter().flatten() {
        quantity_nonneg(e, &format!("{p}.limits[{k}]"), q);
    }
    for (k, q) in req.into_iter().flatten() {
        quantity_nonneg(e, &format!("{p}.requests[{k}]"), q);
        let Some(l) = lim.and_then(|m| m.get(k)) else {
            continue;
        };
        let (Some(qv), Some(lv)) = (parse_quantity(q), parse_quantity(l)) else {
            continue;
        };
        let overcommit = !k.starts_with("hugepages-")
            && k.contains('/') == k.starts_with("kubernetes.io/")
            || k == "cpu"
            || k == "memory"
            || k == "ephemeral-storage";
        let qs = quantity_str(q);
        let ls = quantity_str(l);
        if qv != lv && !overcommit {
            e.invalid(
                &format!("{p}.requests"),
                BadValue::Str(qs),
                &format!("must be equal to {k} limit of {ls}"),
            );
        } else if qv > lv {
            e.invalid(
                &format!("{p}.requests"),
                BadValue::Str(qs),
                &format!("must be less than or equal to {k} limit of {ls}"),
            );
        }
    }
}

fn quantity_str(q: &Value) -> String {
    match q {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn quantity_nonneg(e: &mut Errs, path: &str, q: &Value) {
    if parse_quantity(q).is_some_and(|v| v < 0.0) {
        e.invalid(path, BadValue::Str(quantity_str(q)), NEGATIVE);
    }
}

/// A Kubernetes quantity as a number (`500m` → 0.5, `1Gi` → 1073741824).
fn parse_quantity(q: &Value) -> Option<f64> {
    let s = match q {
        Value::String(s) => s.as_str(),
        Value::Number(n) => return n.as_f64(),
        _ => return None,
    };
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        x if x.starts_with(['e', 'E']) => 10f64.powi(x[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * mult)
}

const UPDATABLE_POD_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn pod_update(e: &mut Errs, new: &Value, old: &Value) {
    // Blank out what may change, then compare.
    let normalise = |s: &Value, other: &Value| {
        let mut s = s.clone();
        if let Some(m) = s.as_object_mut() {
            for k in ["activeDeadlineSeconds", "ephemeralContainers", "nodeName"] {
                m.remove(k);
            }
            // Tolerations: additions only.
            if let (Some(n), Some(o)) = (
                m.get("tolerations").and_then(Value::as_array),
                other.get("tolerations").and_then(Value::as_array),
            ) && o.iter().all(|t| n.contains(t))
            {
                m.remove("tolerations");
            } else if other.get("tolerations").is_none() {
                m.remove("tolerations");
            }
            if m.get("terminationGracePeriodSeconds") == Some(&Value::from(1))
                && other
                    .get("terminationGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .is_some_and(|g| g < 0)
            {
                m.remove("terminationGracePeriodSeconds");
            }
        }
        for k in ["containers", "initContainers"] {
            if let Some(a) = s.get_mut(k).and_then(Value::as_array_mut) {
                for c in a {
                    if let Some(cm) = c.as_object_mut() {
                        cm.remove("image");
                    }
                }
            }
        }
        s
    };
    let mut n = normalise(new, old);
    let mut o = normalise(old, new);
    // Tolerations may only grow: compare the old list against the new one's prefix-free set.
    if let (Some(nm), Some(om)) = (n.as_object_mut(), o.as_object_mut()) {
        nm.remove("tolerations");
        let old_t = old.get("tolerations").and_then(Value::as_array);
        let new_t = new.get("tolerations").and_then(Value::as_array);
        let removed = old_t
            .into_iter()
            .flatten()
            .any(|t| !new_t.is_some_and(|nt| nt.contains(t)));
        om.remove("tolerations");
        if removed {
            om.insert("tolerations".into(), Value::Bool(true));
        }
        // Node binding may be set once.
        if old.get("nodeName").is_some() && new.get("nodeName") != old.get("nodeName") {
            om.insert("nodeName".into(), Value::Bool(true));
        }
        let ads_ok = match (
            new.get("activeDeadlineSeconds").and_then(Value::as_i64),
            old.get("activeDeadlineSeconds").and_then(Value::as_i64),
        ) {
            (Some(_), None) => true,
            (Some(a), Some(b)) => a <= b,
            (None, None) => true,
            (None, Some(_)) => false,
        };
        if !ads_ok {
            om.insert("activeDeadlineSeconds".into(), Value::Bool(true));
        }
    }
    if n != o {
        e.forbidden(
            "spec",
            &format!("pod updates may not change fields other than {UPDATABLE_POD_FIELDS}"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Workloads

fn rc(e: &mut Errs, s: &Value) {
    e.nonneg("spec.replicas", s.get("replicas"));
    e.nonneg("spec.minReadySeconds", s.get("minReadySeconds"));
    let sel = s.get("selector").and_then(Value::as_object);
    if sel.is_none_or(Map::is_empty) {
        e.required("spec.selector", "");
    } else {
        labels(e, s.get("selector"), "spec.selector");
    }
    match s.get("template").filter(|t| t.is_object()) {
        None => e.required("spec.template", ""),
        Some(t) => {
            if let Some(sel) = sel.filter(|m| !m.is_empty()) {
                let tl = t.ptr("/metadata/labels").and_then(Value::as_object);
                let ok = sel
                    .iter()
                    .all(|(k, v)| tl.and_then(|l| l.get(k)) == Some(v));
                if !ok {
                    e.invalid(
                        "spec.template.metadata.labels",
                        BadValue::Raw(go_map(t.ptr("/metadata/labels"))),
                        "`selector` does not match template `labels`",
                    );
                }
            }
            pod_template(e, t, "spec.template");
            replica_template_rules(e, t, "spec.template", "ReplicationController");
        }
    }
}

fn replica_template_rules(e: &mut Errs, t: &Value, path: &str, what: &str) {
    let rp = t
        .ptr("/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("");
    if rp != "Always" {
        e.unsupported(&format!("{path}.spec.restartPolicy"), rp, &["Always"]);
    }
    if t.ptr("/spec/activeDeadlineSeconds").is_some() {
        e.forbidden(
            &format!("{path}.spec.activeDeadlineSeconds"),
            &format!("activeDeadlineSeconds in {what} is not Supported"),
        );
    }
}

fn apps(e: &mut Errs, kind: &str, s: &Value, old: Option<&Value>) {
    if kind != "DaemonSet" {
        e.nonneg("spec.replicas", s.get("replicas"));
    }
    let sel = s.get("selector").filter(|v| v.is_object());
    match sel {
        None => e.required("spec.selector", ""),
        Some(sv) => {
            label_selector(e, sv, "spec.selector");
            if selector_matches(Some(sv), None).is_none() {
                let what = match kind {
                    "Deployment" => "deployment",
                    "ReplicaSet" => "replicaset",
                    "DaemonSet" => "daemonset",
                    _ => "statefulset",
                };
                e.invalid(
                    "spec.selector",
                    BadValue::Raw(selector_go(Some(sv))),
                    &format!("empty selector is invalid for {what}"),
                );
            }
        }
    }
    let t = s.get("template").unwrap_or(&Value::Null);
    if kind == "StatefulSet" {
        template_match(e, sel, t, "spec.template");
        // ValidatePodTemplateSpecForStatefulSet: labels and annotations only. The pod spec is
        // left to the pods (its volumes would miss those of the claim templates), so a bad
        // one shows as the controller's FailedCreate events.
        let meta = t.get("metadata").unwrap_or(&Value::Null);
        labels(e, meta.get("labels"), "spec.template.labels");
        annotations(e, meta.get("annotations"), "spec.template.annotations");
        let rp = t
            .ptr("/spec/restartPolicy")
            .and_then(Value::as_str)
            .unwrap_or("");
        if rp != "Always" {
            e.unsupported("spec.template.spec.restartPolicy", rp, &["Always"]);
        }
        if t.ptr("/spec/activeDeadlineSeconds").is_some() {
            e.forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in StatefulSet is not Supported",
            );
        }
        let pmp = str_at(s, "podManagementPolicy");
        if !matches!(pmp, "OrderedReady" | "Parallel") {
            e.unsupported(
                "spec.podManagementPolicy",
                pmp,
                &["OrderedReady", "Parallel"],
            );
        }
        let us = s.get("updateStrategy").unwrap_or(&Value::Null);
        let ty = str_at(us, "type");
        if !matches!(ty, "RollingUpdate" | "OnDelete") {
            e.unsupported(
                "spec.updateStrategy.type",
                ty,
                &["RollingUpdate", "OnDelete"],
            );
        }
        e.nonneg(
            "spec.updateStrategy.rollingUpdate.partition",
            us.ptr("/rollingUpdate/partition"),
        );
    } else if kind == "DaemonSet" {
        template_match(e, sel, t, "spec.template");
        pod_template(e, t, "spec.template");
        let rp = t
            .ptr("/spec/restartPolicy")
            .and_then(Value::as_str)
            .unwrap_or("");
        if rp != "Always" {
            e.unsupported("spec.template.spec.restartPolicy", rp, &["Always"]);
        }
        let us = s.get("updateStrategy").unwrap_or(&Value::Null);
        let ty = str_at(us, "type");
        if !matches!(ty, "RollingUpdate" | "OnDelete") {
            e.unsupported("spec.updateStrategy", ty, &["OnDelete", "RollingUpdate"]);
        }
        if ty == "RollingUpdate" {
            let mu = us.ptr("/rollingUpdate/maxUnavailable");
            let ms = us.ptr("/rollingUpdate/maxSurge");
            int_or_percent(e, mu, "spec.updateStrategy.rollingUpdate.maxUnavailable");
            int_or_percent(e, ms, "spec.updateStrategy.rollingUpdate.maxSurge");
            if iop_value(mu) == 0 && iop_value(ms) == 0 {
                e.invalid(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable",
                    iop_bad(mu),
                    "may not be 0 when `maxSurge` is 0",
                );
            }
            not_over_100(e, mu, "spec.updateStrategy.rollingUpdate.maxUnavailable");
        }
    } else {
        template_match(e, sel, t, "spec.template");
        pod_template(e, t, "spec.template");
        replica_template_rules(
            e,
            t,
            "spec.template",
            if kind == "Deployment" {
                "ReplicaSet"
            } else {
                kind
            },
        );
    }
    e.nonneg("spec.minReadySeconds", s.get("minReadySeconds"));
    e.nonneg("spec.revisionHistoryLimit", s.get("revisionHistoryLimit"));
    if kind == "Deployment" {
        let st = s.get("strategy").unwrap_or(&Value::Null);
        match str_at(st, "type") {
            "Recreate" => {
                if st.get("rollingUpdate").is_some() {
                    e.forbidden(
                        "spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'",
                    );
                }
            }
            "RollingUpdate" => {
                let mu = st.ptr("/rollingUpdate/maxUnavailable");
                let ms = st.ptr("/rollingUpdate/maxSurge");
                int_or_percent(e, mu, "spec.strategy.rollingUpdate.maxUnavailable");
                int_or_percent(e, ms, "spec.strategy.rollingUpdate.maxSurge");
                if iop_value(mu) == 0 && iop_value(ms) == 0 {
                    e.invalid(
                        "spec.strategy.rollingUpdate.maxUnavailable",
                        iop_bad(mu),
                        "may not be 0 when `maxSurge` is 0",
                    );
                }
                not_over_100(e, mu, "spec.strategy.rollingUpdate.maxUnavailable");
            }
            other => e.unsupported("spec.strategy.type", other, &["Recreate", "RollingUpdate"]),
        }
        if let Some(pds) = s.get("progressDeadlineSeconds").and_then(Value::as_i64) {
            e.nonneg(
                "spec.progressDeadlineSeconds",
                s.get("progressDeadlineSeconds"),
            );
            let mrs = s
                .get("minReadySeconds")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if pds <= mrs {
                e.invalid(
                    "spec.progressDeadlineSeconds",
                    BadValue::Int(pds),
                    "must be greater than minReadySeconds",
                );
            }
        }
    }
    if let Some(old) = old {
        if kind == "StatefulSet" {
            let strip = |s: &Value| {
                let mut s = s.clone();
                if let Some(m) = s.as_object_mut() {
                    for k in [
                        "replicas",
                        "ordinals",
                        "template",
                        "updateStrategy",
                        "persistentVolumeClaimRetentionPolicy",
                        "minReadySeconds",
                    ] {
                        m.remove(k);
                    }
                }
                s
            };
            if strip(s) != strip(old) {
                e.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
            }
        } else {
            immutable(e, s, old, "selector", "spec.selector", selector_go);
        }
    }
}

/// An int-or-string as the Go `intstr.IntOrString` `%#v` renders it.
fn iop_bad(v: Option<&Value>) -> BadValue {
    match v {
        Some(Value::String(s)) => BadValue::Raw(format!(
            "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
            go_q(s)
        )),
        Some(Value::Number(n)) => BadValue::Raw(format!(
            "intstr.IntOrString{{Type:0, IntVal:{}, StrVal:\"\"}}",
            n
        )),
        _ => BadValue::Raw("intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}".into()),
    }
}

fn percent(s: &str) -> Option<i64> {
    let n = s.strip_suffix('%')?;
    if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn iop_value(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::String(s)) => percent(s).unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    }
}

fn int_or_percent(e: &mut Errs, v: Option<&Value>, path: &str) {
    match v {
        Some(Value::String(s)) if percent(s).is_none() => {
            e.invalid(path, iop_bad(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        }
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64()
                && i < 0
            {
                e.invalid(path, BadValue::Int(i), NEGATIVE);
            }
        }
        _ => {}
    }
}

fn not_over_100(e: &mut Errs, v: Option<&Value>, path: &str) {
    if let Some(Value::String(s)) = v
        && percent(s).is_some_and(|p| p > 100)
    {
        e.invalid(path, iop_bad(v), "must not be greater than 100%");
    }
}

fn job_spec(e: &mut Errs, s: &Value, path: &str, with_selector: bool) {
    for k in [
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
    ] {
        e.nonneg(&format!("{path}.{k}"), s.get(k));
    }
    let cm = str_at(s, "completionMode");
    if !cm.is_empty() && !matches!(cm, "NonIndexed" | "Indexed") {
        e.unsupported(
            &format!("{path}.completionMode"),
            cm,
            &["NonIndexed", "Indexed"],
        );
    }
    if cm == "Indexed" && s.get("completions").is_none() {
        e.required(
            &format!("{path}.completions"),
            "when completion mode is Indexed",
        );
    }
    let t = s.get("template").unwrap_or(&Value::Null);
    pod_template(e, t, &format!("{path}.template"));
    let rp = t
        .ptr("/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("");
    let rpp = format!("{path}.template.spec.restartPolicy");
    if rp == "Always" || rp.is_empty() {
        e.required(&rpp, "valid values: \"OnFailure\", \"Never\"");
    } else if rp != "OnFailure" && rp != "Never" {
        e.unsupported(&rpp, rp, &["OnFailure", "Never"]);
    }
    if with_selector {
        let sel = s.get("selector").filter(|v| v.is_object());
        match sel {
            None => e.required(&format!("{path}.selector"), ""),
            Some(sv) => label_selector(e, sv, &format!("{path}.selector")),
        }
        template_match(e, sel, t, &format!("{path}.template"));
    }
}

fn cronjob(e: &mut Errs, obj: &Value, s: &Value) {
    let name = obj
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.len() > 52 {
        e.invalid(
            "metadata.name",
            BadValue::Str(name.into()),
            "must be no more than 52 characters",
        );
    }
    let sched = str_at(s, "schedule");
    if sched.is_empty() {
        e.required("spec.schedule", "");
    } else if sched.contains("TZ") {
        e.invalid(
            "spec.schedule",
            BadValue::Str(sched.into()),
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        );
    } else if let Err(m) = parse_cron(sched) {
        e.invalid("spec.schedule", BadValue::Str(sched.into()), &m);
    }
    let cp = str_at(s, "concurrencyPolicy");
    match cp {
        "Allow" | "Forbid" | "Replace" => {}
        "" => e.required("spec.concurrencyPolicy", ""),
        _ => e.unsupported(
            "spec.concurrencyPolicy",
            cp,
            &["Allow", "Forbid", "Replace"],
        ),
    }
    for k in [
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ] {
        e.nonneg(&format!("spec.{k}"), s.get(k));
    }
    let jt = s.get("jobTemplate").unwrap_or(&Value::Null);
    let jmeta = jt.get("metadata").unwrap_or(&Value::Null);
    labels(e, jmeta.get("labels"), "spec.jobTemplate.metadata.labels");
    annotations(
        e,
        jmeta.get("annotations"),
        "spec.jobTemplate.metadata.annotations",
    );
    job_spec(
        e,
        jt.get("spec").unwrap_or(&Value::Null),
        "spec.jobTemplate.spec",
        false,
    );
}

/// robfig/cron `ParseStandard`: 5 fields or a descriptor; returns robfig's error text.
fn parse_cron(s: &str) -> Result<(), String> {
    if let Some(d) = s.strip_prefix('@') {
        return match d {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => {
                Ok(())
            }
            _ if d.starts_with("every ") => Ok(()),
            _ => Err(format!("unrecognized descriptor: {s}")),
        };
    }
    let fields: Vec<&str> = s.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    let bounds = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];
    let names: [&[&str]; 5] = [
        &[],
        &[],
        &[],
        &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
        &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    ];
    for (i, f) in fields.iter().enumerate() {
        let (min, max) = bounds[i];
        for part in f.split(',') {
            let (range, step) = match part.split_once('/') {
                Some((r, st)) => (r, Some(st)),
                None => (part, None),
            };
            let num = |x: &str| -> Result<i64, String> {
                if let Some(pos) = names[i].iter().position(|n| n.eq_ignore_ascii_case(x)) {
                    return Ok(pos as i64 + if i == 3 { 1 } else { 0 });
                }
                x.parse::<u32>().map(i64::from).map_err(|_| {
                    format!(
                        "failed to parse int from {x}: strconv.Atoi: parsing {}: invalid syntax",
                        go_q(x)
                    )
                })
            };
            let (lo, hi) = if range == "*" || range == "?" {
                (min, max)
            } else if let Some((a, b)) = range.split_once('-') {
                (num(a)?, num(b)?)
            } else {
                let v = num(range)?;
                (v, if step.is_some() { max } else { v })
            };
            if let Some(st) = step {
                let n = num(st)?;
                if n == 0 {
                    return Err(format!("step of range should be a positive number: {part}"));
                }
            }
            if lo < min {
                return Err(format!(
                    "beginning of range ({lo}) below minimum ({min}): {part}"
                ));
            }
            if hi > max {
                return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
            }
            if lo > hi {
                return Err(format!(
                    "beginning of range ({lo}) beyond end of range ({hi}): {part}"
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// ConfigMap, Secret

fn configmap(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let mut total = 0;
    let data = obj.get("data").and_then(Value::as_object);
    let bin = obj.get("binaryData").and_then(Value::as_object);
    for (k, v) in data.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.invalid(&format!("data[{k}]"), BadValue::Str(k.clone()), &m);
        }
        if bin.is_some_and(|b| b.contains_key(k)) {
            e.invalid(
                &format!("data[{k}]"),
                BadValue::Str(k.clone()),
                "duplicate of key present in binaryData",
            );
        }
        total += v.as_str().map_or(0, str::len);
    }
    for (k, v) in bin.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.invalid(&format!("binaryData[{k}]"), BadValue::Str(k.clone()), &m);
        }
        total += v.as_str().map_or(0, |s| s.len() * 3 / 4);
    }
    if total > MAX_SECRET_SIZE {
        e.too_long("", MAX_SECRET_SIZE);
    }
    if let Some(old) = old {
        immutable_data(e, obj, old, &["data", "binaryData"]);
    }
}

fn immutable_data(e: &mut Errs, obj: &Value, old: &Value, keys: &[&str]) {
    if old.get("immutable") != Some(&Value::Bool(true)) {
        return;
    }
    if obj.get("immutable") != Some(&Value::Bool(true)) {
        e.forbidden("immutable", "field is immutable when `immutable` is set");
    }
    for k in keys {
        let empty = |v: Option<&Value>| v.and_then(Value::as_object).is_none_or(Map::is_empty);
        let same = obj.get(*k) == old.get(*k) || (empty(obj.get(*k)) && empty(old.get(*k)));
        if !same {
            e.forbidden(k, "field is immutable when `immutable` is set");
        }
    }
}

fn secret(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let data = obj.get("data").and_then(Value::as_object);
    let mut total = 0;
    for (k, v) in data.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.invalid(&format!("data[{k}]"), BadValue::Str(k.clone()), &m);
        }
        total += v.as_str().map_or(0, |s| s.len() * 3 / 4);
    }
    if total > MAX_SECRET_SIZE {
        e.too_long("data", MAX_SECRET_SIZE);
    }
    let has = |k: &str| data.is_some_and(|d| d.contains_key(k));
    let ty = str_at(obj, "type");
    match ty {
        "kubernetes.io/service-account-token" => {
            let ann = obj.ptr("/metadata/annotations/kubernetes.io~1service-account.name");
            if ann.and_then(Value::as_str).is_none_or(str::is_empty) {
                e.required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                    "",
                );
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => {
            e.required("data[.dockercfg]", "");
        }
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            e.required("data[.dockerconfigjson]", "");
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            e.required("data[username]", "");
            e.required("data[password]", "");
        }
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => {
            e.required("data[ssh-privatekey]", "");
        }
        "kubernetes.io/tls" => {
            if !has("tls.crt") {
                e.required("data[tls.crt]", "");
            }
            if !has("tls.key") {
                e.required("data[tls.key]", "");
            }
        }
        _ => {}
    }
    if let Some(old) = old {
        let ot = str_at(old, "type");
        if ot != ty {
            e.invalid("type", BadValue::Str(ty.into()), IMMUTABLE);
        }
        immutable_data(e, obj, old, &["data"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Service, storage

fn service(e: &mut Errs, s: &Value, old: Option<&Value>) {
    let ty = str_at(s, "type");
    let headless = str_at(s, "clusterIP") == "None";
    let ports: Vec<&Value> = arr(s, "ports").collect();
    if ports.is_empty() && !headless && ty != "ExternalName" {
        e.required("spec.ports", "");
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        let n = str_at(p, "name");
        if ports.len() > 1 && n.is_empty() {
            e.required(&format!("{pp}.name"), "");
        } else if !n.is_empty() {
            for m in is_dns1123_label(n) {
                e.invalid(&format!("{pp}.name"), BadValue::Str(n.into()), &m);
            }
            if names.contains(&n) {
                e.duplicate(&format!("{pp}.name"), n);
            } else {
                names.push(n);
            }
        }
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        for m in is_valid_port_num(port) {
            e.invalid(&format!("{pp}.port"), BadValue::Int(port), &m);
        }
        protocol(e, p, &pp);
        match p.get("targetPort") {
            Some(Value::Number(n)) => {
                let n = n.as_i64().unwrap_or(0);
                for m in is_valid_port_num(n) {
                    e.invalid(&format!("{pp}.targetPort"), BadValue::Int(n), &m);
                }
            }
            Some(Value::String(t)) => {
                for m in is_valid_port_name(t) {
                    e.invalid(&format!("{pp}.targetPort"), BadValue::Str(t.clone()), &m);
                }
            }
            _ => {}
        }
    }
    match ty {
        "ClusterIP" | "ExternalName" | "LoadBalancer" | "NodePort" => {}
        "" => e.required("spec.type", ""),
        _ => e.unsupported(
            "spec.type",
            ty,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ),
    }
    let sa = str_at(s, "sessionAffinity");
    match sa {
        "ClientIP" | "None" => {}
        "" => e.required("spec.sessionAffinity", ""),
        _ => e.unsupported("spec.sessionAffinity", sa, &["ClientIP", "None"]),
    }
    if ty == "ExternalName" {
        let en = str_at(s, "externalName");
        if en.is_empty() {
            e.required("spec.externalName", "");
        }
    }
    if let Some(sel) = s.get("selector") {
        labels(e, Some(sel), "spec.selector");
    }
    if let Some(old) = old {
        let oip = str_at(old, "clusterIP");
        let nip = str_at(s, "clusterIP");
        if !oip.is_empty()
            && str_at(old, "type") != "ExternalName"
            && ty != "ExternalName"
            && nip != oip
        {
            e.invalid(
                "spec.clusterIPs[0]",
                BadValue::Raw(go_strings(s.get("clusterIPs"))),
                "may not change once set",
            );
        }
    }
}

const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

fn access_modes(e: &mut Errs, s: &Value, path: &str) {
    let modes: Vec<&str> = arr(s, "accessModes").filter_map(Value::as_str).collect();
    for m in &modes {
        if !ACCESS_MODES.contains(m) {
            e.unsupported(&format!("{path}.accessModes"), m, ACCESS_MODES);
        }
    }
}

fn pvc_spec(e: &mut Errs, s: &Value, path: &str) {
    if arr(s, "accessModes").next().is_none() {
        e.required(
            &format!("{path}.accessModes"),
            "at least 1 access mode is required",
        );
    }
    access_modes(e, s, path);
    match s.ptr("/resources/requests/storage") {
        None => e.required(&format!("{path}.resources[storage]"), ""),
        Some(q) => {
            let rp = format!("{path}.resources.requests[storage]");
            quantity_nonneg(e, &rp, q);
            if parse_quantity(q).is_some_and(|v| v <= 0.0) {
                e.invalid(
                    &rp,
                    BadValue::Str(quantity_str(q)),
                    "must be greater than zero",
                );
            }
        }
    }
    let vm = str_at(s, "volumeMode");
    if !vm.is_empty() && !matches!(vm, "Block" | "Filesystem") {
        e.unsupported(&format!("{path}.volumeMode"), vm, &["Block", "Filesystem"]);
    }
}

fn pv(e: &mut Errs, s: &Value) {
    if arr(s, "accessModes").next().is_none() {
        e.required("spec.accessModes", "");
    }
    access_modes(e, s, "spec");
    let cap = s.get("capacity").and_then(Value::as_object);
    match cap {
        None => e.required("spec.capacity", ""),
        Some(c) if c.is_empty() => e.required("spec.capacity", ""),
        Some(c) => {
            if !c.contains_key("storage") || c.len() > 1 {
                let keys: Vec<String> = c
                    .iter()
                    .map(|(k, v)| format!("{}:{}", go_q(k), quantity_str(v)))
                    .collect();
                e.0.push(FieldError::unsupported(
                    "spec.capacity",
                    BadValue::Raw(format!("core.ResourceList{{{}}}", keys.join(", "))),
                    &["storage"],
                ));
            }
            for (k, v) in c {
                quantity_nonneg(e, &format!("spec.capacity[{k}]"), v);
            }
        }
    }
    let rp = str_at(s, "persistentVolumeReclaimPolicy");
    if !rp.is_empty() && !matches!(rp, "Delete" | "Recycle" | "Retain") {
        e.unsupported(
            "spec.persistentVolumeReclaimPolicy",
            rp,
            &["Delete", "Recycle", "Retain"],
        );
    }
    const SOURCES: &[&str] = &[
        "hostPath",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "glusterfs",
        "nfs",
        "rbd",
        "quobyte",
        "cinder",
        "cephfs",
        "iscsi",
        "fc",
        "flocker",
        "flexVolume",
        "azureFile",
        "vsphereVolume",
        "azureDisk",
        "photonPersistentDisk",
        "portworxVolume",
        "scaleIO",
        "local",
        "storageos",
        "csi",
    ];
    if !SOURCES.iter().any(|k| s.get(*k).is_some()) {
        e.required("spec", "must specify a volume type");
    }
}

fn storage_class(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let prov = str_at(obj, "provisioner");
    if prov.is_empty() {
        e.required("provisioner", "");
    } else {
        for m in is_qualified_name(&prov.to_lowercase()) {
            e.invalid("provisioner", BadValue::Str(prov.into()), &m);
        }
    }
    let rp = str_at(obj, "reclaimPolicy");
    if !rp.is_empty() && !matches!(rp, "Delete" | "Retain") {
        e.unsupported("reclaimPolicy", rp, &["Delete", "Retain"]);
    }
    let vbm = str_at(obj, "volumeBindingMode");
    if !vbm.is_empty() && !matches!(vbm, "Immediate" | "WaitForFirstConsumer") {
        e.unsupported(
            "volumeBindingMode",
            vbm,
            &["Immediate", "WaitForFirstConsumer"],
        );
    }
    if let Some(old) = old {
        let empty = |v: Option<&Value>| v.and_then(Value::as_object).is_none_or(Map::is_empty);
        let (np, op) = (obj.get("parameters"), old.get("parameters"));
        if np != op && !(empty(np) && empty(op)) {
            e.forbidden("parameters", "updates to parameters are forbidden.");
        }
        if prov != str_at(old, "provisioner") {
            e.forbidden("provisioner", "updates to provisioner are forbidden.");
        }
        if obj.get("reclaimPolicy") != old.get("reclaimPolicy") {
            e.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
        }
        if obj.get("volumeBindingMode") != old.get("volumeBindingMode") {
            e.invalid("volumeBindingMode", BadValue::Str(vbm.into()), IMMUTABLE);
        }
    }
}

/// `pkg/apis/coordination/validation`: ValidateLeaseSpec.
fn lease_spec(e: &mut Errs, spec: &Value) {
    if let Some(n) = spec.get("leaseDurationSeconds").and_then(Value::as_i64)
        && n <= 0
    {
        e.invalid(
            "spec.leaseDurationSeconds",
            BadValue::Int(n),
            "must be greater than 0",
        );
    }
    e.nonneg("spec.leaseTransitions", spec.get("leaseTransitions"));
    // strategy and preferredHolder belong to CoordinatedLeaderElection, off by default in
    // 1.33: the registry drops them before validation (defaults.rs).
}

fn arr<'a>(v: &'a Value, key: &str) -> std::slice::Iter<'a, Value> {
    match v.get(key).and_then(Value::as_array) {
        Some(a) => a.iter(),
        None => [].iter(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::defaults::apply_defaults;
    use super::super::errors::ApiError;
    use super::*;
    use serde_json::json;

    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    fn deploy(name: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}})
    }

    fn pod(spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": spec})
    }

    /// Defaults, validates and renders as kubectl would (empty when valid).
    fn msg(mut obj: Value, old: Option<Value>) -> String {
        apply_defaults(&mut obj);
        let kind = obj["kind"].as_str().unwrap_or("").to_string();
        let group = super::super::kinds::by_kind(&kind).map_or("", |k| k.group);
        let name = obj
            .ptr("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let old = old.map(|mut o| {
            apply_defaults(&mut o);
            o
        });
        let errs = validate(&obj, old.as_ref());
        if errs.is_empty() {
            return String::new();
        }
        ApiError::invalid(&kind, group, &name, errs).kubectl_message()
    }

    fn with(mut v: Value, ptr: &str, new: Value) -> Value {
        let (parent, key) = ptr.rsplit_once('/').expect("pointer");
        v.pointer_mut(parent).expect("parent")[key] = new;
        v
    }

    #[test]
    fn metadata_names() {
        let cases: Vec<(Value, String)> = vec![
            (deploy("web"), String::new()),
            (
                deploy("Foo_Bar"),
                format!("The Deployment \"Foo_Bar\" is invalid: metadata.name: Invalid value: \"Foo_Bar\": {SUBDOMAIN_MSG}"),
            ),
            (
                with(deploy("x"), "/metadata/name", json!("")),
                "The Deployment \"\" is invalid: metadata.name: Required value: name or generateName is required".into(),
            ),
            (
                json!({"kind": "Namespace", "metadata": {"name": "a.b"}}),
                "The Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": must not contain dots".into(),
            ),
            (
                json!({"kind": "Service", "metadata": {"name": "1web", "namespace": "d"}, "spec": {"ports": [{"port": 80}]}}),
                "The Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".into(),
            ),
            (
                json!({"kind": "StatefulSet", "metadata": {"name": "Web", "namespace": "d"},
                    "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
                format!("The StatefulSet \"Web\" is invalid: metadata.name: Invalid value: \"Web\": {LABEL_MSG}"),
            ),
            (
                with(deploy("web"), "/metadata/labels", json!({"app": "x".repeat(64)})),
                format!("The Deployment \"web\" is invalid: metadata.labels: Invalid value: \"{}\": must be no more than 63 characters", "x".repeat(64)),
            ),
            (
                with(deploy("web"), "/metadata/labels", json!({"-bad": "ok"})),
                "The Deployment \"web\" is invalid: metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".into(),
            ),
            (
                with(deploy("web"), "/metadata/annotations", json!({"a/b/c": "x"})),
                "The Deployment \"web\" is invalid: metadata.annotations: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')".into(),
            ),
            (
                with(deploy("web"), "/metadata/annotations", json!({"big": "x".repeat(262145)})),
                "The Deployment \"web\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes".into(),
            ),
        ];
        for (obj, want) in cases {
            assert_eq!(msg(obj, None), want);
        }
        assert_eq!(
            msg(deploy(&"a".repeat(254)), None),
            format!(
                "The Deployment \"{0}\" is invalid: metadata.name: Invalid value: \"{0}\": must be no more than 253 characters",
                "a".repeat(254)
            )
        );
    }

    #[test]
    fn pod_specs() {
        let cases = vec![
            (
                pod(json!({"containers": []})),
                "The Pod \"p\" is invalid: spec.containers: Required value",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]}),
                ),
                "The Pod \"p\" is invalid: spec.containers[1].name: Duplicate value: \"a\"",
            ),
            (
                pod(json!({"containers": [{"name": "a"}]})),
                "The Pod \"p\" is invalid: spec.containers[0].image: Required value",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 70000, "protocol": "HTTP"}]}]}),
                ),
                "The Pod \"p\" is invalid: \n* spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ),
            (
                pod(
                    json!({"restartPolicy": "Sometimes", "containers": [{"name": "a", "image": "x"}]}),
                ),
                "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]}),
                ),
                "The Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
            ),
            (
                pod(
                    json!({"containers": [{"name": "a", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}),
                ),
                "The Pod \"p\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            ),
            (
                pod(
                    json!({"volumes": [{"name": "v"}, {"name": "v"}], "containers": [{"name": "a", "image": "x"}]}),
                ),
                "The Pod \"p\" is invalid: spec.volumes[1].name: Duplicate value: \"v\"",
            ),
            (
                pod(
                    json!({"containers": [{"name": "Web", "image": "x", "env": [{"name": "A=B"}]}]}),
                ),
                "The Pod \"p\" is invalid: \n* spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n* spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            ),
        ];
        for (obj, want) in cases {
            assert_eq!(msg(obj, None), want);
        }
    }

    #[test]
    fn workloads() {
        let no_sel = {
            let mut d = deploy("web");
            d["spec"].as_object_mut().unwrap().remove("selector");
            d
        };
        let cases = vec![
            (
                with(deploy("web"), "/spec/replicas", json!(-1)),
                "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0".to_string(),
            ),
            (
                with(deploy("web"), "/spec/selector", json!({"matchLabels": {"app": "other"}})),
                "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`".into(),
            ),
            (
                no_sel,
                "The Deployment \"web\" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`".into(),
            ),
            (
                with(deploy("web"), "/spec/selector", json!({})),
                "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment".into(),
            ),
            (
                with(deploy("web"), "/spec/strategy", json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}})),
                "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0".into(),
            ),
            (
                with(deploy("web"), "/spec/strategy", json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "150%"}})),
                "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%".into(),
            ),
            (
                with(deploy("web"), "/spec/template/spec/restartPolicy", json!("Never")),
                "The Deployment \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"".into(),
            ),
        ];
        for (obj, want) in cases {
            assert_eq!(msg(obj, None), want);
        }
        // Immutable selector on update.
        let old = deploy("web");
        let mut new = with(
            deploy("web"),
            "/spec/selector",
            json!({"matchLabels": {"app": "web2"}}),
        );
        new["spec"]["template"]["metadata"]["labels"] = json!({"app": "web2"});
        assert_eq!(
            msg(new, Some(old)),
            "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        );
    }

    fn job(restart: &str) -> Value {
        json!({"kind": "Job", "metadata": {"name": "pi", "namespace": "d"},
            "spec": {"selector": {"matchLabels": {"x": "y"}}, "template": {"metadata": {"labels": {"x": "y"}},
                "spec": {"restartPolicy": restart, "containers": [{"name": "pi", "image": "perl"}]}}}})
    }

    #[test]
    fn jobs_and_cronjobs() {
        assert_eq!(msg(job("Never"), None), "");
        assert_eq!(
            msg(job("Always"), None),
            "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        );
        assert_eq!(
            msg(with(job("Never"), "/spec/backoffLimit", json!(-1)), None),
            "The Job \"pi\" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"
        );
        let cj = |name: &str, sched: &str| {
            json!({"kind": "CronJob", "metadata": {"name": name, "namespace": "d"},
                "spec": {"schedule": sched, "jobTemplate": {"spec": {"template": {"spec": {
                    "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}}})
        };
        assert_eq!(msg(cj("c", "*/5 * * * *"), None), "");
        assert_eq!(msg(cj("c", "@hourly"), None), "");
        assert_eq!(
            msg(cj("c", "foo"), None),
            "The CronJob \"c\" is invalid: spec.schedule: Invalid value: \"foo\": expected exactly 5 fields, found 1: [foo]"
        );
        assert_eq!(
            msg(cj("c", "0 0 * * 7"), None),
            "The CronJob \"c\" is invalid: spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7"
        );
        let long = "a".repeat(53);
        assert_eq!(
            msg(cj(&long, "* * * * *"), None),
            format!(
                "The CronJob \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 52 characters"
            )
        );
        // Job update: selector immutable.
        let old = job("Never");
        let new = with(
            job("Never"),
            "/spec/selector/matchLabels",
            json!({"x": "y", "z": "w"}),
        );
        let new = with(
            new,
            "/spec/template/metadata/labels",
            json!({"x": "y", "z": "w"}),
        );
        let m = msg(new, Some(old));
        assert!(m.contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"x\":\"y\", \"z\":\"w\"}"), "{m}");
        assert!(
            m.contains(
                "spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"
            ),
            "{m}"
        );
    }

    #[test]
    fn configmaps_and_secrets() {
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"bad key": "v"}});
        assert_eq!(
            msg(cm, None),
            "The ConfigMap \"c\" is invalid: data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        );
        let big = json!({"kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d"}, "data": {"k": "x".repeat(1048577)}});
        assert_eq!(
            msg(big, None),
            "The ConfigMap \"c\" is invalid: : Too long: may not be more than 1048576 bytes"
        );
        let tls = json!({"kind": "Secret", "type": "kubernetes.io/tls", "metadata": {"name": "s", "namespace": "d"}, "data": {"tls.crt": "eA=="}});
        assert_eq!(
            msg(tls, None),
            "The Secret \"s\" is invalid: data[tls.key]: Required value"
        );
        let old = json!({"kind": "ConfigMap", "immutable": true, "metadata": {"name": "c", "namespace": "d"}, "data": {"a": "1"}});
        let new = json!({"kind": "ConfigMap", "immutable": true, "metadata": {"name": "c", "namespace": "d"}, "data": {"a": "2"}});
        assert_eq!(
            msg(new, Some(old)),
            "The ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set"
        );
    }

    #[test]
    fn services_and_storage() {
        let svc = json!({"kind": "Service", "metadata": {"name": "web", "namespace": "d"},
            "spec": {"ports": [{"port": 80}, {"port": 0, "name": "b"}]}});
        assert_eq!(
            msg(svc, None),
            "The Service \"web\" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
        let pvc = json!({"kind": "PersistentVolumeClaim", "metadata": {"name": "c", "namespace": "d"}, "spec": {}});
        assert_eq!(
            msg(pvc, None),
            "The PersistentVolumeClaim \"c\" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value"
        );
        let old = json!({"kind": "StorageClass", "metadata": {"name": "s"}, "provisioner": "a.io/x", "parameters": {"a": "1"}});
        let new = json!({"kind": "StorageClass", "metadata": {"name": "s"}, "provisioner": "a.io/x", "parameters": {"a": "2"}});
        assert_eq!(
            msg(new, Some(old)),
            "The StorageClass \"s\" is invalid: parameters: Forbidden: updates to parameters are forbidden."
        );
        let old_pod = pod(json!({"containers": [{"name": "a", "image": "x:1"}]}));
        let img = pod(json!({"containers": [{"name": "a", "image": "x:2"}]}));
        assert_eq!(msg(img, Some(old_pod.clone())), "");
        let port = pod(
            json!({"containers": [{"name": "a", "image": "x:1", "ports": [{"containerPort": 80}]}]}),
        );
        assert_eq!(
            msg(port, Some(old_pod)),
            format!(
                "The Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than {UPDATABLE_POD_FIELDS}"
            )
        );
    }

    #[test]
    fn warnings() {
        assert_eq!(name_warnings("Deployment", "web"), Vec::<String>::new());
        assert_eq!(
            name_warnings("Deployment", "web.v1"),
            vec!["metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]".to_string()]
        );
        assert_eq!(
            name_warnings("Pod", "a.b"),
            vec!["metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]".to_string()]
        );
        assert!(name_warnings("ConfigMap", "a.b").is_empty());
    }
}
