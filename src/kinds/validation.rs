//! API-server validation: the field errors a Kubernetes 1.33 API server returns for an invalid
//! create or update, with the server's field paths and messages.
//!
//! [`validate`] runs after defaulting, on the object in its JSON form (`serde_json::Value`,
//! camelCase); `old` is `Some(previous)` on updates. It checks the object metadata, then runs
//! the kind's rules (`Strategy::validate` in `src/kinds/<kind>/strategy.rs`); this module holds
//! what several kinds share (names, labels, selectors, pod specs and templates, workloads,
//! claims). The caller wraps a non-empty result in
//! `ApiError::invalid(kind, group, name, errors)`. Sources: `pkg/apis/core/validation`,
//! `pkg/apis/apps/validation`, `pkg/apis/batch/validation`, `pkg/apis/storage/validation`,
//! apimachinery `pkg/api/validation/objectmeta.go` and `pkg/util/validation/validation.go`.
//! Go iterates maps in random order; here map entries are checked in key order.
//!
//! Known approximations: values the Go code renders with `%#v` of a large struct (a Job's
//! `spec.template` on update, a PV's capacity) are abbreviated, and the diff appended to the
//! Pod/PVC "may not change" messages is left out; resource quantities are compared numerically
//! but printed as written.

use crate::kinds::Kind;
pub(crate) use crate::kinds::field::{BadValue, FieldError, FieldErrorType};
pub(crate) use crate::util::ptr::Ptr;
use crate::util::quantity::Quantity;
use crate::util::selector::Selector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::{Map, Value};

pub(crate) const IMMUTABLE: &str = "field is immutable";
pub(crate) const NEGATIVE: &str = "must be greater than or equal to 0";
pub(crate) const MAX_SECRET_SIZE: usize = 1024 * 1024;
pub(crate) const TOTAL_ANNOTATION_SIZE: usize = 256 * 1024;

/// Validates `obj` as a `kind` (create when `old` is `None`, update otherwise) and returns every
/// failure, in the API server's order: the object metadata, then the kind's own rules
/// (`Strategy::validate`).
pub fn validate(kind: &Kind, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut e = Errs::default();
    let meta = obj.get("metadata").unwrap_or(&Value::Null);
    validate_object_meta(&mut e, meta, kind.strategy.name_rule, kind.namespaced);
    if let Some(old) = old {
        validate_object_meta_update(&mut e, meta, old.get("metadata").unwrap_or(&Value::Null));
    }
    if let Some(rules) = kind.strategy.validate {
        rules(&mut e, obj, old);
    }
    e.0
}

/// The 1.27+ warning for a workload name that is a valid subdomain but not a DNS label
/// (`Warning: metadata.name: this is used in Pod names and hostnames, ...`); `what` is the
/// kind's `Strategy::name_warning`.
pub fn name_warnings(what: Option<&str>, name: &str) -> Vec<String> {
    let Some(what) = what else {
        return Vec::new();
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

/// `spec` of an object (`null` when absent), and of the old object on updates.
pub(crate) fn specs<'a>(obj: &'a Value, old: Option<&'a Value>) -> (&'a Value, Option<&'a Value>) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    (spec, old.map(|o| o.get("spec").unwrap_or(&Value::Null)))
}

// ---------------------------------------------------------------------------------------------
// Error list

#[derive(Default)]
/// The field errors found so far, in the API server's order.
pub struct Errs(pub Vec<FieldError>);

impl Errs {
    pub(crate) fn required(&mut self, f: &str, d: &str) {
        self.0.push(FieldError::required(f, d));
    }
    pub(crate) fn invalid(&mut self, f: &str, v: BadValue, d: &str) {
        self.0.push(FieldError::invalid(f, v, d));
    }
    pub(crate) fn unsupported(&mut self, f: &str, v: &str, sup: &[&str]) {
        self.0
            .push(FieldError::unsupported(f, BadValue::Str(v.into()), sup));
    }
    pub(crate) fn forbidden(&mut self, f: &str, d: &str) {
        self.0.push(FieldError::forbidden(f, d));
    }
    pub(crate) fn duplicate(&mut self, f: &str, v: &str) {
        self.0
            .push(FieldError::duplicate(f, BadValue::Str(v.into())));
    }
    pub(crate) fn not_found(&mut self, f: &str, v: &str) {
        self.0.push(FieldError {
            field: f.into(),
            kind: FieldErrorType::NotFound,
            value: Some(BadValue::Str(v.into())),
            detail: String::new(),
        });
    }
    pub(crate) fn too_long(&mut self, f: &str, max: usize) {
        self.0.push(FieldError::too_long(
            f,
            format!("may not be more than {max} bytes"),
        ));
    }
    pub(crate) fn nonneg(&mut self, f: &str, v: Option<&Value>) {
        if let Some(n) = v.and_then(Value::as_i64)
            && n < 0
        {
            self.invalid(f, BadValue::Int(n), NEGATIVE);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// apimachinery pkg/util/validation

pub(crate) fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
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

pub(crate) fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

pub(crate) const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
pub(crate) const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
pub(crate) const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
pub(crate) const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

pub(crate) fn lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
pub(crate) fn matches_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && lower_alnum(b[0])
        && lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| lower_alnum(c) || c == b'-')
}

pub(crate) fn matches_subdomain(s: &str) -> bool {
    s.split('.').all(matches_label)
}

pub(crate) fn is_dns1123_label(v: &str) -> Vec<String> {
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

pub(crate) fn is_dns1123_subdomain(v: &str) -> Vec<String> {
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

pub(crate) fn is_dns1035_label(v: &str) -> Vec<String> {
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

pub(crate) fn matches_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    let an = |c: u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && an(b[0])
        && an(b[b.len() - 1])
        && b.iter()
            .all(|&c| an(c) || c == b'-' || c == b'_' || c == b'.')
}

pub fn is_qualified_name(v: &str) -> Vec<String> {
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

pub fn is_valid_label_value(v: &str) -> Vec<String> {
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

pub(crate) fn is_config_map_key(v: &str) -> Vec<String> {
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
    errs.extend(ch_dir_prefix(v));
    errs
}

/// apimachinery's `hasChDirPrefix`: `.`, `..` and a leading `..` are refused.
fn ch_dir_prefix(v: &str) -> Option<String> {
    match v {
        "." => Some("must not be '.'".into()),
        ".." => Some("must not be '..'".into()),
        _ if v.starts_with("..") => Some("must not start with '..'".into()),
        _ => None,
    }
}

/// apimachinery's `IsEnvVarName` (as kubectl checks the keys of `--from-env-file`).
pub(crate) fn is_env_var_name(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let first_ok = v
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'-' || c == b'_' || c == b'.');
    let ok = first_ok
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.');
    if !ok {
        errs.push(regex_error(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
            "[-._a-zA-Z][-._a-zA-Z0-9]*",
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    errs.extend(ch_dir_prefix(v));
    errs
}

pub(crate) fn is_valid_port_num(p: i64) -> Vec<String> {
    if (1..=65535).contains(&p) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".into()]
    }
}

pub(crate) fn is_valid_port_name(p: &str) -> Vec<String> {
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

/// Which name format `metadata.name` must have (`ValidateObjectMeta`'s name validation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    /// `path.IsValidPathSegmentName` (RBAC's `minimalNameRequirements`): not `.` or `..`, no
    /// `/` or `%`.
    PathSegment,
}

pub(crate) fn name_msgs(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    if rule == NameRule::PathSegment {
        return path_segment_name(name, prefix);
    }
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
        NameRule::PathSegment => unreachable!("handled above"),
    }
}

/// `path.IsValidPathSegmentName` (or `IsValidPathSegmentPrefix` for a `generateName`).
pub(crate) fn path_segment_name(name: &str, prefix: bool) -> Vec<String> {
    if !prefix && let Some(bad) = [".", ".."].into_iter().find(|b| *b == name) {
        return vec![format!("may not be '{bad}'")];
    }
    ["/", "%"]
        .into_iter()
        .filter(|c| name.contains(c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

pub(crate) fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn validate_object_meta(e: &mut Errs, meta: &Value, rule: NameRule, namespaced: bool) {
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

pub(crate) fn validate_object_meta_update(e: &mut Errs, new: &Value, old: &Value) {
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

pub(crate) fn labels(e: &mut Errs, v: Option<&Value>, path: &str) {
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

pub(crate) fn annotations(e: &mut Errs, v: Option<&Value>, path: &str) {
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
pub(crate) fn go_map(v: Option<&Value>) -> String {
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

pub(crate) fn go_q(s: &str) -> String {
    crate::util::go_quote(s)
}

pub(crate) fn go_strings(v: Option<&Value>) -> String {
    match v.and_then(Value::as_array) {
        None => "[]string(nil)".into(),
        Some(a) => {
            let items: Vec<String> = a.iter().map(|s| go_q(s.as_str().unwrap_or(""))).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
    }
}

/// `%#v` of a dereferenced `*metav1.LabelSelector`.
pub(crate) fn selector_go(v: Option<&Value>) -> String {
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

pub(crate) fn immutable(
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

pub(crate) fn label_selector(e: &mut Errs, sel: &Value, path: &str) {
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

/// metav1 `LabelSelectorAsSelector` of a selector value (util::selector's, with its errors).
pub(crate) fn as_selector(sel: &Value) -> Result<Selector, String> {
    let ls: LabelSelector = serde_json::from_value(sel.clone()).map_err(|e| e.to_string())?;
    Selector::from_label_selector(&ls)
}

/// Whether a selector selects these labels, as the workloads' validation asks it: `None` when
/// there is nothing to check (an empty selector selects everything; one that does not convert
/// is reported as an invalid label selector instead), `Some(false)` for a missing selector
/// (`labels.Nothing()`).
pub(crate) fn selector_matches(sel: Option<&Value>, labels: Option<&Value>) -> Option<bool> {
    let Some(sel) = sel.filter(|s| s.is_object()) else {
        return Some(false);
    };
    let s = as_selector(sel).ok()?;
    if s.is_empty() {
        return None;
    }
    Some(s.matches_value(labels))
}

pub(crate) fn template_match(e: &mut Errs, sel: Option<&Value>, template: &Value, tpath: &str) {
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

pub(crate) fn pod_template(e: &mut Errs, t: &Value, path: &str) {
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

pub(crate) fn pod_spec(e: &mut Errs, s: &Value, path: &str) {
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

pub(crate) fn container(e: &mut Errs, c: &Value, p: &str, vols: &[String]) {
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

pub(crate) fn protocol(e: &mut Errs, port: &Value, pp: &str) {
    let proto = str_at(port, "protocol");
    match proto {
        "TCP" | "UDP" | "SCTP" => {}
        "" => e.required(&format!("{pp}.protocol"), ""),
        _ => e.unsupported(&format!("{pp}.protocol"), proto, &["SCTP", "TCP", "UDP"]),
    }
}

pub(crate) fn resources(e: &mut Errs, r: &Value, p: &str) {
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

pub(crate) fn quantity_str(q: &Value) -> String {
    match q {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn quantity_nonneg(e: &mut Errs, path: &str, q: &Value) {
    if parse_quantity(q).is_some_and(|v| v.sign() < 0) {
        e.invalid(path, BadValue::Str(quantity_str(q)), NEGATIVE);
    }
}

/// A Kubernetes quantity, exact (`util::quantity`: `100m` and `0.1` compare equal, where an
/// f64 would round); `None` when it does not parse (decoding reports that).
pub(crate) fn parse_quantity(q: &Value) -> Option<Quantity> {
    Quantity::from_json(q)
}

// ---------------------------------------------------------------------------------------------
// Workloads

pub(crate) fn replica_template_rules(e: &mut Errs, t: &Value, path: &str, what: &str) {
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

/// The start of an apps workload's spec validation: `spec.replicas` (`with_replicas`: all
/// but DaemonSet) and the selector, required, valid and not empty (`what`: `deployment`,
/// `replicaset`, `daemonset`, `statefulset`). Returns the selector.
pub(crate) fn workload_selector<'a>(
    e: &mut Errs,
    s: &'a Value,
    what: &str,
    with_replicas: bool,
) -> Option<&'a Value> {
    if with_replicas {
        e.nonneg("spec.replicas", s.get("replicas"));
    }
    let sel = s.get("selector").filter(|v| v.is_object());
    match sel {
        None => e.required("spec.selector", ""),
        Some(sv) => {
            label_selector(e, sv, "spec.selector");
            let count = |k: &str| match sv.get(k) {
                Some(Value::Object(m)) => m.len(),
                Some(Value::Array(a)) => a.len(),
                _ => 0,
            };
            if count("matchLabels") + count("matchExpressions") == 0 {
                e.invalid(
                    "spec.selector",
                    BadValue::Raw(selector_go(Some(sv))),
                    &format!("empty selector is invalid for {what}"),
                );
            }
            if as_selector(sv).is_err() {
                e.invalid(
                    "spec.selector",
                    BadValue::Raw(selector_go(Some(sv))),
                    "invalid label selector",
                );
            }
        }
    }
    sel
}

/// `spec.minReadySeconds` and `spec.revisionHistoryLimit` of an apps workload.
pub(crate) fn workload_limits(e: &mut Errs, s: &Value) {
    e.nonneg("spec.minReadySeconds", s.get("minReadySeconds"));
    e.nonneg("spec.revisionHistoryLimit", s.get("revisionHistoryLimit"));
}

/// An apps workload's `spec.updateStrategy.rollingUpdate` (DaemonSet) or
/// `spec.strategy.rollingUpdate` (Deployment) at `path`: maxUnavailable and maxSurge are
/// ints or percents, not both 0, maxUnavailable at most 100%.
pub(crate) fn rolling_update(e: &mut Errs, st: &Value, path: &str) {
    let mu = st.ptr("/rollingUpdate/maxUnavailable");
    let ms = st.ptr("/rollingUpdate/maxSurge");
    let mu_path = format!("{path}.rollingUpdate.maxUnavailable");
    int_or_percent(e, mu, &mu_path);
    int_or_percent(e, ms, &format!("{path}.rollingUpdate.maxSurge"));
    if iop_value(mu) == 0 && iop_value(ms) == 0 {
        e.invalid(&mu_path, iop_bad(mu), "may not be 0 when `maxSurge` is 0");
    }
    not_over_100(e, mu, &mu_path);
}

/// An int-or-string as the Go `intstr.IntOrString` `%#v` renders it.
pub(crate) fn iop_bad(v: Option<&Value>) -> BadValue {
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

pub(crate) fn percent(s: &str) -> Option<i64> {
    let n = s.strip_suffix('%')?;
    if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

pub(crate) fn iop_value(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::String(s)) => percent(s).unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    }
}

pub(crate) fn int_or_percent(e: &mut Errs, v: Option<&Value>, path: &str) {
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

pub(crate) fn not_over_100(e: &mut Errs, v: Option<&Value>, path: &str) {
    if let Some(Value::String(s)) = v
        && percent(s).is_some_and(|p| p > 100)
    {
        e.invalid(path, iop_bad(v), "must not be greater than 100%");
    }
}

pub(crate) fn job_spec(e: &mut Errs, s: &Value, path: &str, with_selector: bool) {
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

// ---------------------------------------------------------------------------------------------
// ConfigMap, Secret

pub(crate) fn immutable_data(e: &mut Errs, obj: &Value, old: &Value, keys: &[&str]) {
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

// ---------------------------------------------------------------------------------------------
// Service, storage

pub(crate) const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

pub(crate) fn access_modes(e: &mut Errs, s: &Value, path: &str) {
    let modes: Vec<&str> = arr(s, "accessModes").filter_map(Value::as_str).collect();
    for m in &modes {
        if !ACCESS_MODES.contains(m) {
            e.unsupported(&format!("{path}.accessModes"), m, ACCESS_MODES);
        }
    }
}

pub(crate) fn pvc_spec(e: &mut Errs, s: &Value, path: &str) {
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
            if parse_quantity(q).is_some_and(|v| v.sign() <= 0) {
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

pub(crate) fn arr<'a>(v: &'a Value, key: &str) -> std::slice::Iter<'a, Value> {
    match v.get(key).and_then(Value::as_array) {
        Some(a) => a.iter(),
        None => [].iter(),
    }
}
