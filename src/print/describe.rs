//! `kubectl describe`, byte for byte as kubectl 1.33 prints it.
//!
//! A port of `kubernetes/kubectl:pkg/describe/describe.go` (tag v0.33.x) working on objects in
//! the API's JSON form (`serde_json::Value`, camelCase, as the API server stores and returns
//! them). Everything is a pure function: the current time, the object's events and the related
//! objects kubectl would have listed are passed in through [`DescribeCtx`].
//!
//! Mechanics reproduced exactly:
//! - describe.go's *prefix writer* (level n = 2n leading spaces, `Key:\tvalue` pairs), with
//!   kubectl's terminal escaping (ESC → `^[`, CR → `\r`), fed through the Go tabwriter clone
//!   [`crate::print::tabwriter`] with the [`DESCRIBE`] configuration (minwidth 0, tabwidth 8,
//!   padding 2): runs of lines containing TABs are aligned as one block.
//! - `DescribeEvents` flushes the writer before its table, so the table aligns on its own; an
//!   empty event list is the single line `Events:\t<none>` joining the preceding block.
//! - Times are RFC 1123 with numeric zone (`Mon, 02 Jan 2006 15:04:05 -0700`), in UTC
//!   (`+0000`); a missing time prints Go's zero time `Mon, 01 Jan 0001 00:00:00 +0000`.
//! - Go map iteration order (Secret / ConfigMap data, LimitRange resources) is random in
//!   kubectl; here it is sorted by key so output is deterministic.
//!
//! Entry points:
//! - [`describe`]: one object of a given kind (Pod, Deployment, ReplicaSet,
//!   ReplicationController, Node, Job, CronJob, DaemonSet, StatefulSet, ConfigMap, Secret,
//!   Namespace, Service, ServiceAccount, Endpoints, PersistentVolumeClaim, PersistentVolume,
//!   StorageClass, ResourceQuota; any other kind gets kubectl's generic, unstructured
//!   describer).
//! - [`describe_pod_template`]: the `Pod Template:` section (`DescribePodTemplate`), aligned.
//! - [`rollout_history_template`]: the same text with raw TABs, as
//!   `kubectl rollout history --revision=N` prints it.
//!
//! ```text
//! let ctx = DescribeCtx { now, events: &events, related: &replica_sets };
//! print!("{}", describe("Deployment", &deploy, &ctx));
//! ```

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use jiff::Timestamp;
use serde_json::{Map, Value};

use super::age::{age, parse_timestamp, since};
use super::cells::{
    canonical_quantity, format_label_selector, format_labels, label_selector_string,
};
use super::tabwriter::{DESCRIBE, Writer};

/// Everything `describe` needs besides the object itself.
#[derive(Clone, Copy, Debug)]
pub struct DescribeCtx<'a> {
    /// The current (virtual) time: event ages, `Terminating (lasts ...)`, node pod ages.
    pub now: Timestamp,
    /// Events whose involvedObject is this object (any order; sorted here as kubectl does).
    /// For a Node, pass both the events referring to its UID and those referring to its name.
    pub events: &'a [Value],
    /// Related objects kubectl lists while describing:
    /// - Deployment: its ReplicaSets (only those controlled by it are used);
    /// - ReplicaSet / ReplicationController / DaemonSet / StatefulSet: pods (those controlled
    ///   by it are counted for `Pods Status`);
    /// - Node: the non-terminated pods on it, plus optionally its `Lease` object (an object
    ///   with `"kind": "Lease"`); without one the `Lease:` line reports it as not found;
    /// - Service: its `EndpointSlice`s, or its `Endpoints` object (converted);
    /// - PersistentVolumeClaim: the pods of its namespace (`Used By`);
    /// - Namespace: its `ResourceQuota` and `LimitRange` objects (by `kind`);
    /// - ServiceAccount: the secrets of its namespace.
    pub related: &'a [Value],
}

/// Describes one object of the given kind (`"Pod"`, `"Deployment"`, ...), exactly as
/// `kubectl describe` prints it (text ends with `\n`). Unknown kinds use kubectl's generic
/// describer (every field of the object, recursively).
pub fn describe(kind: &str, obj: &Value, ctx: &DescribeCtx) -> String {
    let mut w = Pw::tabbed();
    match kind {
        "Pod" => describe_pod(&mut w, obj, ctx),
        "Deployment" => describe_deployment(&mut w, obj, ctx),
        "ReplicaSet" => describe_replica_set(&mut w, obj, ctx),
        "ReplicationController" => describe_replication_controller(&mut w, obj, ctx),
        "Node" => describe_node(&mut w, obj, ctx),
        "Job" => describe_job(&mut w, obj, ctx),
        "CronJob" => describe_cron_job(&mut w, obj, ctx),
        "DaemonSet" => describe_daemon_set(&mut w, obj, ctx),
        "StatefulSet" => describe_stateful_set(&mut w, obj, ctx),
        "ConfigMap" => describe_config_map(&mut w, obj, ctx),
        "Secret" => describe_secret(&mut w, obj),
        "Namespace" => describe_namespace(&mut w, obj, ctx),
        "Service" => describe_service(&mut w, obj, ctx),
        "ServiceAccount" => describe_service_account(&mut w, obj, ctx),
        "Endpoints" => describe_endpoints(&mut w, obj, ctx),
        "PersistentVolumeClaim" => describe_pvc(&mut w, obj, ctx),
        "PersistentVolume" => describe_pv(&mut w, obj, ctx),
        "StorageClass" => describe_storage_class(&mut w, obj, ctx),
        "ResourceQuota" => describe_quota(&mut w, obj),
        _ => describe_generic(&mut w, obj, ctx),
    }
    w.finish()
}

/// `DescribePodTemplate` on its own: the `Pod Template:` section of a Deployment /
/// ReplicaSet / ReplicationController / Job / DaemonSet / StatefulSet description, aligned
/// with the describe tabwriter. `template` is a PodTemplateSpec (`metadata` + `spec`).
pub fn describe_pod_template(template: &Value) -> String {
    let mut w = Pw::tabbed();
    pod_template(&mut w, Some(template));
    w.finish()
}

/// The body of `kubectl rollout history <deploy> --revision=N`: `DescribePodTemplate` written
/// straight to a buffer, so TABs stay raw (no alignment). The caller prints the
/// `<kind>.<group>/<name> with revision #N` line before it and one `\n` after it; for a
/// Deployment it first sets the template annotation `kubernetes.io/change-cause` from the
/// ReplicaSet's annotation when that is non-empty (as kubectl's history viewer does).
pub fn rollout_history_template(template: &Value) -> String {
    let mut w = Pw::raw();
    pod_template(&mut w, Some(template));
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// The prefix writer.

/// describe.go's `prefixWriter` (+ `nestedPrefixWriter` through `nest`) over either the
/// describe tabwriter or a plain buffer.
struct Pw {
    tab: Option<Writer>,
    raw: String,
    nest: usize,
}

impl Pw {
    fn tabbed() -> Pw {
        Pw {
            tab: Some(Writer::new(DESCRIBE)),
            raw: String::new(),
            nest: 0,
        }
    }

    fn raw() -> Pw {
        Pw {
            tab: None,
            raw: String::new(),
            nest: 0,
        }
    }

    fn emit(&mut self, text: &str) {
        // printers.WriteEscaped
        let escaped = text.replace('\x1b', "^[").replace('\r', "\\r");
        match &mut self.tab {
            Some(t) => t.write(&escaped),
            None => self.raw.push_str(&escaped),
        }
    }

    /// `Write(level, ...)`: the text after `2 * level` spaces.
    fn w(&mut self, level: usize, text: &str) {
        let prefix = "  ".repeat(level + self.nest);
        self.emit(&format!("{prefix}{text}"));
    }

    /// `WriteLine(text)`: the text and a newline (a nested writer indents it).
    fn line(&mut self, text: &str) {
        let prefix = "  ".repeat(self.nest);
        self.emit(&format!("{prefix}{text}\n"));
    }

    fn flush(&mut self) {
        if let Some(t) = &mut self.tab {
            t.flush();
        }
    }

    fn finish(mut self) -> String {
        match &mut self.tab {
            Some(t) => {
                t.flush();
                t.take_output()
            }
            None => self.raw,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON access (missing fields read as Go zero values).

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.as_object()?.get(*p)?;
        if cur.is_null() {
            return None;
        }
    }
    Some(cur)
}

fn opt_s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    opt_s(v, path).unwrap_or("")
}

fn opt_i(v: &Value, path: &[&str]) -> Option<i64> {
    let x = get(v, path)?;
    x.as_i64().or_else(|| x.as_f64().map(|f| f as i64))
}

fn i(v: &Value, path: &[&str]) -> i64 {
    opt_i(v, path).unwrap_or(0)
}

fn opt_b(v: &Value, path: &[&str]) -> Option<bool> {
    get(v, path).and_then(Value::as_bool)
}

fn b(v: &Value, path: &[&str]) -> bool {
    opt_b(v, path).unwrap_or(false)
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn obj<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    get(v, path).and_then(Value::as_object)
}

/// A scalar as Go's `%v` of the string it would decode to.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A `map[string]string` as sorted pairs.
fn string_map(v: Option<&Value>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect(),
        _ => Vec::new(),
    };
    pairs.sort();
    pairs
}

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_slice(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(scalar).collect();
    format!("[{}]", parts.join(" "))
}

fn go_bool(v: bool) -> &'static str {
    if v { "true" } else { "false" }
}

/// describe.go `printBool`.
fn print_bool(v: bool) -> &'static str {
    if v { "True" } else { "False" }
}

/// describe.go `printBoolPtr`.
fn print_bool_ptr(v: Option<bool>) -> &'static str {
    match v {
        Some(v) => print_bool(v),
        None => "<unset>",
    }
}

/// Go's `%q` for a plain string.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An IntOrString's `String()` (`<nil>` when absent).
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        None => "<nil>".to_string(),
        Some(v) => scalar(v),
    }
}

/// `time.Time.Format(time.RFC1123Z)` in UTC; missing/invalid → Go's zero time.
fn rfc1123z(ts: Option<&str>) -> String {
    match parse_timestamp(ts) {
        Some(t) => format!("{} +0000", t.strftime("%a, %d %b %Y %H:%M:%S")),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

fn time_at(v: &Value, path: &[&str]) -> String {
    rfc1123z(opt_s(v, path))
}

/// `metav1.GetControllerOf`.
fn controller_ref(o: &Value) -> Option<&Value> {
    arr(o, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| b(r, &["controller"]))
}

/// describe.go `printController`: `Kind/name` of the controller owner, or empty.
fn print_controller(o: &Value) -> String {
    match controller_ref(o) {
        Some(r) => format!("{}/{}", s(r, &["kind"]), s(r, &["name"])),
        None => String::new(),
    }
}

/// Whether `child` is controlled by `owner` (`metav1.IsControlledBy`: same UID; objects
/// without UIDs fall back to kind + name).
fn is_controlled_by(child: &Value, owner: &Value, owner_kind: &str) -> bool {
    let Some(r) = controller_ref(child) else {
        return false;
    };
    let owner_uid = s(owner, &["metadata", "uid"]);
    if !owner_uid.is_empty() {
        return s(r, &["uid"]) == owner_uid;
    }
    s(r, &["kind"]) == owner_kind && s(r, &["name"]) == s(owner, &["metadata", "name"])
}

fn quantity_string(v: Option<&Value>) -> String {
    match v {
        None => "0".to_string(),
        Some(v) => {
            let raw = scalar(v);
            canonical_quantity(&raw).unwrap_or(raw)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// resource.Quantity arithmetic (enough for sums, comparisons and MilliValue / Value).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QFmt {
    Decimal,
    Binary,
    Exponent,
}

/// A quantity held in nano units, with the format `String()` renders it in.
#[derive(Clone, Copy, Debug)]
struct Qty {
    nano: i128,
    fmt: QFmt,
}

const NANO: i128 = 1_000_000_000;

fn ceil_div(a: i128, b: i128) -> i128 {
    a.div_euclid(b) + i128::from(a.rem_euclid(b) != 0)
}

impl Qty {
    fn zero() -> Qty {
        Qty {
            nano: 0,
            fmt: QFmt::Decimal,
        }
    }

    fn parse(s: &str) -> Option<Qty> {
        let s = s.trim();
        let (neg, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, suffix) = rest.split_at(end);
        let (ip, fp) = num.split_once('.').unwrap_or((num, ""));
        if (ip.is_empty() && fp.is_empty()) || fp.contains('.') {
            return None;
        }
        let mut mant: i128 = 0;
        for d in ip.bytes().chain(fp.bytes()) {
            mant = mant.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
        }
        let mut exp10: i64 = -(fp.len() as i64);
        let (fmt, exp1024) = match suffix {
            "" => (QFmt::Decimal, 0),
            "n" => (QFmt::Decimal, -9),
            "u" => (QFmt::Decimal, -6),
            "m" => (QFmt::Decimal, -3),
            "k" => (QFmt::Decimal, 3),
            "M" => (QFmt::Decimal, 6),
            "G" => (QFmt::Decimal, 9),
            "T" => (QFmt::Decimal, 12),
            "P" => (QFmt::Decimal, 15),
            "E" => (QFmt::Decimal, 18),
            "Ki" => (QFmt::Binary, 1),
            "Mi" => (QFmt::Binary, 2),
            "Gi" => (QFmt::Binary, 3),
            "Ti" => (QFmt::Binary, 4),
            "Pi" => (QFmt::Binary, 5),
            "Ei" => (QFmt::Binary, 6),
            _ => {
                let e = suffix.strip_prefix(['e', 'E'])?;
                (QFmt::Exponent, 100 + e.parse::<i64>().ok()?)
            }
        };
        let exp1024 = match fmt {
            QFmt::Decimal => {
                exp10 += exp1024;
                0
            }
            QFmt::Exponent => {
                exp10 += exp1024 - 100;
                0
            }
            QFmt::Binary => exp1024,
        };
        for _ in 0..exp1024 {
            mant = mant.checked_mul(1024)?;
        }
        let mut e = exp10 + 9;
        while e < 0 {
            let rem = mant % 10;
            mant = mant / 10 + i128::from(rem != 0);
            e += 1;
        }
        for _ in 0..e {
            mant = mant.checked_mul(10)?;
        }
        Some(Qty {
            nano: if neg { -mant } else { mant },
            fmt,
        })
    }

    fn of(v: Option<&Value>) -> Qty {
        v.and_then(|v| Qty::parse(&scalar(v)))
            .unwrap_or_else(Qty::zero)
    }

    fn add(&mut self, y: Qty) {
        if self.nano == 0 {
            self.fmt = y.fmt;
        }
        self.nano += y.nano;
    }

    fn milli(&self) -> i128 {
        ceil_div(self.nano, 1_000_000)
    }

    fn value(&self) -> i128 {
        ceil_div(self.nano, NANO)
    }

    fn string(&self) -> String {
        let n = self.nano;
        if self.fmt == QFmt::Binary && n % NANO == 0 && (n / NANO).abs() >= 1024 {
            let mut w = n / NANO;
            let mut e = 0;
            while w % 1024 == 0 && e < 6 {
                w /= 1024;
                e += 1;
            }
            return format!("{w}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e]);
        }
        let text = if self.fmt == QFmt::Exponent {
            format!("{n}e-9")
        } else {
            format!("{n}n")
        };
        canonical_quantity(&text).unwrap_or_else(|| "0".to_string())
    }
}

/// A ResourceList as name → quantity.
type ResList = BTreeMap<String, Qty>;

fn res_list(v: Option<&Value>) -> ResList {
    match v {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), Qty::of(Some(v))))
            .collect(),
        _ => ResList::new(),
    }
}

fn add_list(list: &mut ResList, new: &ResList) {
    for (k, q) in new {
        match list.get_mut(k) {
            Some(v) => v.add(*q),
            None => {
                list.insert(k.clone(), *q);
            }
        }
    }
}

fn max_list(list: &mut ResList, new: &ResList) {
    for (k, q) in new {
        match list.get(k) {
            Some(v) if q.nano <= v.nano => {}
            _ => {
                list.insert(k.clone(), *q);
            }
        }
    }
}

/// kubectl `resourcehelper.PodRequestsAndLimits` (container statuses' resized resources are
/// not considered).
fn pod_requests_and_limits(pod: &Value) -> (ResList, ResList) {
    let mut reqs = ResList::new();
    let mut limits = ResList::new();
    for c in arr(pod, &["spec", "containers"]) {
        add_list(&mut reqs, &res_list(get(c, &["resources", "requests"])));
        add_list(&mut limits, &res_list(get(c, &["resources", "limits"])));
    }
    let mut restartable_reqs = ResList::new();
    let mut restartable_limits = ResList::new();
    let mut init_reqs = ResList::new();
    let mut init_limits = ResList::new();
    for c in arr(pod, &["spec", "initContainers"]) {
        let creq = res_list(get(c, &["resources", "requests"]));
        let clim = res_list(get(c, &["resources", "limits"]));
        if s(c, &["restartPolicy"]) == "Always" {
            add_list(&mut reqs, &creq);
            add_list(&mut restartable_reqs, &creq);
            max_list(&mut init_reqs, &restartable_reqs.clone());
            add_list(&mut limits, &clim);
            add_list(&mut restartable_limits, &clim);
            max_list(&mut init_limits, &restartable_limits.clone());
        } else {
            let mut tmp = ResList::new();
            add_list(&mut tmp, &creq);
            add_list(&mut tmp, &restartable_reqs);
            max_list(&mut init_reqs, &tmp);
            let mut tmp = ResList::new();
            add_list(&mut tmp, &clim);
            add_list(&mut tmp, &restartable_limits);
            max_list(&mut init_limits, &tmp);
        }
    }
    max_list(&mut reqs, &init_reqs);
    max_list(&mut limits, &init_limits);
    let overhead = res_list(get(pod, &["spec", "overhead"]));
    add_list(&mut reqs, &overhead);
    for (k, q) in &overhead {
        if let Some(v) = limits.get_mut(k)
            && v.nano != 0
        {
            v.add(*q);
        }
    }
    (reqs, limits)
}

/// kubectl `qos.GetPodQOS`: `status.qosClass`, else computed from requests and limits.
fn pod_qos(pod: &Value) -> String {
    let status = s(pod, &["status", "qosClass"]);
    if !status.is_empty() {
        return status.to_string();
    }
    let supported = |k: &str| k == "cpu" || k == "memory";
    let mut requests = ResList::new();
    let mut limits = ResList::new();
    let mut guaranteed = true;
    let process = |list: &mut ResList, new: &ResList| {
        for (k, q) in new {
            if supported(k) && q.nano > 0 {
                match list.get_mut(k) {
                    Some(v) => v.add(*q),
                    None => {
                        list.insert(k.clone(), *q);
                    }
                }
            }
        }
    };
    let has_both = |l: &ResList| {
        ["cpu", "memory"]
            .iter()
            .all(|k| l.get(*k).is_some_and(|q| q.nano > 0))
    };
    if let Some(r) = get(pod, &["spec", "resources"]) {
        process(&mut requests, &res_list(get(r, &["requests"])));
        if let Some(l) = get(r, &["limits"]) {
            let l = res_list(Some(l));
            process(&mut limits, &l);
            if !has_both(&l) {
                guaranteed = false;
            }
        }
    } else {
        let all = arr(pod, &["spec", "containers"])
            .iter()
            .chain(arr(pod, &["spec", "initContainers"]));
        for c in all {
            process(&mut requests, &res_list(get(c, &["resources", "requests"])));
            let l = res_list(get(c, &["resources", "limits"]));
            process(&mut limits, &l);
            if !has_both(&l) {
                guaranteed = false;
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".to_string();
    }
    if guaranteed {
        for (k, q) in &requests {
            match limits.get(k) {
                Some(l) if l.nano == q.nano => {}
                _ => {
                    guaranteed = false;
                    break;
                }
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".to_string()
    } else {
        "Burstable".to_string()
    }
}

/// `int64(float64(a) / float64(b) * 100)` as Go on amd64 computes it (NaN/Inf → MinInt64).
fn percent(a: i128, b: i128) -> i64 {
    let f = a as f64 / b as f64 * 100.0;
    if f.is_finite() { f as i64 } else { i64::MIN }
}

// ---------------------------------------------------------------------------------------------
// Shared printers.

/// `printLabelsMultilineWithIndent`.
fn labels_multiline_indent(
    w: &mut Pw,
    initial: &str,
    title: &str,
    inner: &str,
    labels: Option<&Value>,
) {
    w.w(0, &format!("{initial}{title}:{inner}"));
    let pairs = string_map(labels);
    if pairs.is_empty() {
        w.line("<none>");
        return;
    }
    for (n, (k, v)) in pairs.iter().enumerate() {
        if n != 0 {
            w.w(0, initial);
            w.w(0, inner);
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

/// `printLabelsMultiline`.
fn labels_multiline(w: &mut Pw, title: &str, labels: Option<&Value>) {
    labels_multiline_indent(w, "", title, "\t", labels);
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
const MAX_ANNOTATION_LEN: usize = 140;

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

/// `printAnnotationsMultiline`.
fn annotations_multiline(w: &mut Pw, title: &str, annotations: Option<&Value>) {
    w.w(0, &format!("{title}:\t"));
    let pairs: Vec<(String, String)> = string_map(annotations)
        .into_iter()
        .filter(|(k, _)| k != LAST_APPLIED)
        .collect();
    if pairs.is_empty() {
        w.line("<none>");
        return;
    }
    let indent = "\t";
    for (n, (key, value)) in pairs.iter().enumerate() {
        if n != 0 {
            w.w(0, indent);
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.w(0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.w(
                    0,
                    &format!("{indent}  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.w(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `printTaintsMultilineWithIndent`.
fn taints_multiline(w: &mut Pw, title: &str, taints: &[Value]) {
    w.w(0, &format!("{title}:\t"));
    if taints.is_empty() {
        w.line("<none>");
        return;
    }
    let mut taints: Vec<&Value> = taints.iter().collect();
    let key = |t: &Value| format!("{},{}", s(t, &["effect"]), s(t, &["key"]));
    go_sort(&mut taints, |a, b| key(a) < key(b));
    for (n, t) in taints.iter().enumerate() {
        if n != 0 {
            w.w(0, "");
            w.w(0, "\t");
        }
        let (k, v, e) = (s(t, &["key"]), s(t, &["value"]), s(t, &["effect"]));
        if v.is_empty() {
            w.w(0, &format!("{k}:{e}\n"));
        } else {
            w.w(0, &format!("{k}={v}:{e}\n"));
        }
    }
}

/// `printTolerationsMultilineWithIndent`.
fn tolerations_multiline(w: &mut Pw, initial: &str, title: &str, tolerations: &[Value]) {
    w.w(0, &format!("{initial}{title}:\t"));
    if tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut tols: Vec<&Value> = tolerations.iter().collect();
    go_sort(&mut tols, |a, b| s(a, &["key"]) < s(b, &["key"]));
    for (n, t) in tols.iter().enumerate() {
        if n != 0 {
            w.w(0, initial);
            w.w(0, "\t");
        }
        let (key, value, effect) = (s(t, &["key"]), s(t, &["value"]), s(t, &["effect"]));
        let mut text = key.to_string();
        if !value.is_empty() {
            text.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            text.push_str(&format!(":{effect}"));
        }
        if s(t, &["operator"]) == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                text.push_str(" op=Exists");
            } else {
                text.push_str("op=Exists");
            }
        }
        if let Some(secs) = opt_i(t, &["tolerationSeconds"]) {
            text.push_str(&format!(" for {secs}s"));
        }
        text.push('\n');
        w.w(0, &text);
    }
}

/// `printPodsMultilineWithIndent` (pod names, sorted).
fn pods_multiline(w: &mut Pw, title: &str, pods: &[&Value]) {
    w.w(0, &format!("{title}:\t"));
    if pods.is_empty() {
        w.line("<none>");
        return;
    }
    let mut pods = pods.to_vec();
    go_sort(&mut pods, |a, b| {
        s(a, &["metadata", "name"]) < s(b, &["metadata", "name"])
    });
    for (n, p) in pods.iter().enumerate() {
        if n != 0 {
            w.w(0, "");
            w.w(0, "\t");
        }
        w.w(0, &format!("{}\n", s(p, &["metadata", "name"])));
    }
}

/// `DescribeEvents`.
fn describe_events(w: &mut Pw, events: &[Value], now: Timestamp) {
    if events.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut evs: Vec<&Value> = events.iter().collect();
    // API list order (by namespace, name), then kubectl's sort by lastTimestamp.
    evs.sort_by(|a, b| {
        (
            s(a, &["metadata", "namespace"]),
            s(a, &["metadata", "name"]),
        )
            .cmp(&(
                s(b, &["metadata", "namespace"]),
                s(b, &["metadata", "name"]),
            ))
    });
    let last = |e: &Value| parse_timestamp(opt_s(e, &["lastTimestamp"]));
    go_sort(&mut evs, |a, b| last(a) < last(b));
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for e in evs {
        let first_since = match parse_timestamp(opt_s(e, &["eventTime"])) {
            Some(t) => since(t, now),
            None => age(opt_s(e, &["firstTimestamp"]), now),
        };
        let count = i(e, &["count"]);
        let interval = if let Some(series) = get(e, &["series"]) {
            format!(
                "{} (x{} over {})",
                age(opt_s(series, &["lastObservedTime"]), now),
                i(series, &["count"]),
                first_since
            )
        } else if count > 1 {
            format!(
                "{} (x{} over {})",
                age(opt_s(e, &["lastTimestamp"]), now),
                count,
                first_since
            )
        } else {
            first_since
        };
        let mut source = s(e, &["source", "component"]);
        if source.is_empty() {
            source = s(e, &["reportingComponent"]);
        }
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                s(e, &["type"]),
                s(e, &["reason"]),
                interval,
                source,
                s(e, &["message"]).trim()
            ),
        );
    }
}

/// Go's `sort.Sort` / `sort.Slice` (pattern-defeating quicksort, not stable), so that equal
/// keys end up in the same order as in kubectl.
fn go_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let limit = usize::BITS - n.leading_zeros();
    pdqsort::sort(v, &less, 0, n, limit as usize);
}

// ---------------------------------------------------------------------------------------------
// Containers, volumes, pod template.

/// `describeContainers`.
fn describe_containers(
    w: &mut Pw,
    label: &str,
    containers: &[Value],
    statuses: &[Value],
    pod: Option<&Value>,
    space: &str,
) {
    let mut by_name: BTreeMap<&str, &Value> = BTreeMap::new();
    for st in statuses {
        by_name.insert(s(st, &["name"]), st);
    }
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    for c in containers {
        let status = by_name.get(s(c, &["name"])).copied();
        container_basic_info(w, c, status, space);
        container_command(w, c);
        if let Some(st) = status {
            describe_status(w, "State", get(st, &["state"]));
            if get(st, &["lastState", "terminated"]).is_some() {
                describe_status(w, "Last State", get(st, &["lastState"]));
            }
            w.w(2, &format!("Ready:\t{}\n", print_bool(b(st, &["ready"]))));
            w.w(
                2,
                &format!("Restart Count:\t{}\n", i(st, &["restartCount"])),
            );
        }
        describe_resources(w, get(c, &["resources"]), 2);
        for (field, title) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if let Some(p) = get(c, &[field]) {
                w.w(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        if !arr(c, &["envFrom"]).is_empty() {
            container_env_from(w, c);
        }
        container_env(w, c, pod);
        container_volumes(w, c);
    }
}

fn container_basic_info(w: &mut Pw, c: &Value, status: Option<&Value>, space: &str) {
    let ni = if space.is_empty() { "" } else { " " };
    w.w(1, &format!("{ni}{}:\n", s(c, &["name"])));
    if let Some(st) = status {
        w.w(2, &format!("Container ID:\t{}\n", s(st, &["containerID"])));
    }
    w.w(2, &format!("Image:\t{}\n", s(c, &["image"])));
    if let Some(st) = status {
        w.w(2, &format!("Image ID:\t{}\n", s(st, &["imageID"])));
    }
    let ports = arr(c, &["ports"]);
    let proto = |p: &Value| opt_s(p, &["protocol"]).unwrap_or("TCP").to_string();
    let cports: Vec<String> = ports
        .iter()
        .map(|p| format!("{}/{}", i(p, &["containerPort"]), proto(p)))
        .collect();
    let hports: Vec<String> = ports
        .iter()
        .map(|p| format!("{}/{}", i(p, &["hostPort"]), proto(p)))
        .collect();
    let cp = cports.join(", ");
    if cp.contains(',') {
        w.w(2, &format!("Ports:\t{cp}\n"));
    } else {
        w.w(2, &format!("Port:\t{}\n", or_none(&cp)));
    }
    let hp = hports.join(", ");
    if hp.contains(',') {
        w.w(2, &format!("Host Ports:\t{hp}\n"));
    } else {
        w.w(2, &format!("Host Port:\t{}\n", or_none(&hp)));
    }
    if let Some(sp) = get(c, &["securityContext", "seccompProfile"]) {
        let t = s(sp, &["type"]);
        w.w(2, &format!("SeccompProfile:\t{t}\n"));
        if t == "Localhost" {
            w.w(
                3,
                &format!("LocalhostProfile:\t{}\n", s(sp, &["localhostProfile"])),
            );
        }
    }
}

fn or_none(v: &str) -> &str {
    if v.is_empty() { "<none>" } else { v }
}

fn container_command(w: &mut Pw, c: &Value) {
    for (field, title) in [("command", "Command"), ("args", "Args")] {
        let items = arr(c, &[field]);
        if !items.is_empty() {
            w.w(2, &format!("{title}:\n"));
            for item in items {
                for line in scalar(item).split('\n') {
                    w.w(3, &format!("{line}\n"));
                }
            }
        }
    }
}

/// `describeResources`.
fn describe_resources(w: &mut Pw, resources: Option<&Value>, level: usize) {
    let Some(r) = resources else {
        return;
    };
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let Some(m) = obj(r, &[field]) else {
            continue;
        };
        if m.is_empty() {
            continue;
        }
        w.w(level, &format!("{title}:\n"));
        let mut names: Vec<&String> = m.keys().collect();
        names.sort();
        for n in names {
            w.w(level + 1, &format!("{n}:\t{}\n", quantity_string(m.get(n))));
        }
    }
}

/// `describeStatus`.
fn describe_status(w: &mut Pw, name: &str, state: Option<&Value>) {
    let st = state.unwrap_or(&Value::Null);
    if let Some(r) = get(st, &["running"]) {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(3, &format!("Started:\t{}\n", time_at(r, &["startedAt"])));
    } else if let Some(wt) = get(st, &["waiting"]) {
        w.w(2, &format!("{name}:\tWaiting\n"));
        let reason = s(wt, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = get(st, &["terminated"]) {
        w.w(2, &format!("{name}:\tTerminated\n"));
        let reason = s(t, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
        let message = s(t, &["message"]);
        if !message.is_empty() {
            w.w(3, &format!("Message:\t{message}\n"));
        }
        w.w(3, &format!("Exit Code:\t{}\n", i(t, &["exitCode"])));
        let signal = i(t, &["signal"]);
        if signal > 0 {
            w.w(3, &format!("Signal:\t{signal}\n"));
        }
        w.w(3, &format!("Started:\t{}\n", time_at(t, &["startedAt"])));
        w.w(3, &format!("Finished:\t{}\n", time_at(t, &["finishedAt"])));
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `DescribeProbe`: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
pub fn describe_probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        i(p, &["initialDelaySeconds"]),
        i(p, &["timeoutSeconds"]),
        i(p, &["periodSeconds"]),
        i(p, &["successThreshold"]),
        i(p, &["failureThreshold"])
    );
    if let Some(e) = get(p, &["exec"]) {
        return format!("exec {} {attrs}", go_slice(arr(e, &["command"])));
    }
    if let Some(h) = get(p, &["httpGet"]) {
        let scheme = s(h, &["scheme"]).to_lowercase();
        let port = get(h, &["port"]).map(scalar).unwrap_or_default();
        let host = s(h, &["host"]);
        let hostport = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!(
            "http-get {} {attrs}",
            go_url(&scheme, &hostport, s(h, &["path"]))
        );
    }
    if let Some(t) = get(p, &["tcpSocket"]) {
        let port = get(t, &["port"]).map(scalar).unwrap_or_default();
        return format!("tcp-socket {}:{port} {attrs}", s(t, &["host"]));
    }
    if let Some(g) = get(p, &["grpc"]) {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            i(g, &["port"]),
            s(g, &["service"])
        );
    }
    format!("unknown {attrs}")
}

/// Go's `(&url.URL{Scheme, Host, Path}).String()`.
fn go_url(scheme: &str, host: &str, path: &str) -> String {
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(scheme);
        out.push(':');
    }
    if !scheme.is_empty() || !host.is_empty() {
        if !host.is_empty() || !path.is_empty() {
            out.push_str("//");
        }
        out.push_str(&escape_url(host, true));
    }
    if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
        out.push('/');
    }
    out.push_str(&escape_url(path, false));
    out
}

fn escape_url(s: &str, host: bool) -> String {
    let mut out = String::new();
    for byte in s.bytes() {
        let c = byte as char;
        let keep = c.is_ascii_alphanumeric()
            || matches!(c, '-' | '_' | '.' | '~')
            || if host {
                matches!(
                    c,
                    '!' | '$'
                        | '&'
                        | '\''
                        | '('
                        | ')'
                        | '*'
                        | '+'
                        | ','
                        | ';'
                        | '='
                        | ':'
                        | '['
                        | ']'
                        | '<'
                        | '>'
                        | '"'
                )
            } else {
                matches!(c, '$' | '&' | '+' | ',' | '/' | ':' | ';' | '=' | '@')
            };
        if keep {
            out.push(c);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn container_env_from(w: &mut Pw, c: &Value) {
    w.w(2, "Environment Variables from:\n");
    for e in arr(c, &["envFrom"]) {
        let (from, r) = if let Some(r) = get(e, &["configMapRef"]) {
            ("ConfigMap", Some(r))
        } else if let Some(r) = get(e, &["secretRef"]) {
            ("Secret", Some(r))
        } else {
            ("", None)
        };
        let name = r.map(|r| s(r, &["name"])).unwrap_or("");
        let optional = r.map(|r| b(r, &["optional"])).unwrap_or(false);
        let prefix = s(e, &["prefix"]);
        if prefix.is_empty() {
            w.w(
                3,
                &format!("{name}\t{from}\tOptional: {}\n", go_bool(optional)),
            );
        } else {
            w.w(
                3,
                &format!(
                    "{name}\t{from} with prefix '{prefix}'\tOptional: {}\n",
                    go_bool(optional)
                ),
            );
        }
    }
}

/// `EnvValueRetriever`: kubectl's scheme only converts `metadata.name` and
/// `metadata.namespace` field labels, so every other field path resolves to "".
fn resolve_field_ref(pod: Option<&Value>, fr: &Value) -> String {
    let Some(pod) = pod else {
        return String::new();
    };
    if s(fr, &["apiVersion"]).matches('/').count() > 1 {
        return String::new();
    }
    match s(fr, &["fieldPath"]) {
        "metadata.name" => s(pod, &["metadata", "name"]).to_string(),
        "metadata.namespace" => s(pod, &["metadata", "namespace"]).to_string(),
        _ => String::new(),
    }
}

/// `resourcehelper.ExtractContainerResourceValue`.
fn container_resource_value(rf: &Value, c: &Value) -> Option<String> {
    let mut divisor = Qty::of(get(rf, &["divisor"]));
    if divisor.nano == 0 {
        divisor = Qty {
            nano: NANO,
            fmt: QFmt::Decimal,
        };
    }
    let res = s(rf, &["resource"]);
    let (section, name) = res.split_once('.')?;
    let section = match section {
        "limits" => "limits",
        "requests" => "requests",
        _ => return None,
    };
    let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage");
    if !standard && !name.starts_with("hugepages-") {
        return None;
    }
    let q = Qty::of(get(c, &["resources", section, name]));
    let v = if name == "cpu" {
        (q.milli() as f64 / divisor.milli() as f64).ceil()
    } else {
        (q.value() as f64 / divisor.value() as f64).ceil()
    };
    Some(if v.is_finite() {
        (v as i64).to_string()
    } else {
        i64::MIN.to_string()
    })
}

fn container_env(w: &mut Pw, c: &Value, pod: Option<&Value>) {
    let env = arr(c, &["env"]);
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.w(2, &format!("Environment:{none}\n"));
    for e in env {
        let name = s(e, &["name"]);
        let Some(vf) = get(e, &["valueFrom"]) else {
            for (n, line) in s(e, &["value"]).split('\n').enumerate() {
                if n == 0 {
                    w.w(3, &format!("{name}:\t{line}\n"));
                } else {
                    w.w(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(fr) = get(vf, &["fieldRef"]) {
            let value = resolve_field_ref(pod, fr);
            w.w(
                3,
                &format!(
                    "{name}:\t{value} ({}:{})\n",
                    s(fr, &["apiVersion"]),
                    s(fr, &["fieldPath"])
                ),
            );
        } else if let Some(rf) = get(vf, &["resourceFieldRef"]) {
            let mut value = container_resource_value(rf, c).unwrap_or_default();
            let res = s(rf, &["resource"]);
            if value == "0" && (res == "limits.cpu" || res == "limits.memory") {
                value = "node allocatable".to_string();
            }
            w.w(3, &format!("{name}:\t{value} ({res})\n"));
        } else if let Some(r) = get(vf, &["secretKeyRef"]) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    s(r, &["key"]),
                    s(r, &["name"]),
                    go_bool(b(r, &["optional"]))
                ),
            );
        } else if let Some(r) = get(vf, &["configMapKeyRef"]) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    s(r, &["key"]),
                    s(r, &["name"]),
                    go_bool(b(r, &["optional"]))
                ),
            );
        }
    }
}

fn container_volumes(w: &mut Pw, c: &Value) {
    let mounts = arr(c, &["volumeMounts"]);
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.w(2, &format!("Mounts:{none}\n"));
    let mut mounts: Vec<&Value> = mounts.iter().collect();
    go_sort(&mut mounts, |a, b| {
        s(a, &["mountPath"]) < s(b, &["mountPath"])
    });
    for m in mounts {
        let mut flags = vec![if b(m, &["readOnly"]) { "ro" } else { "rw" }.to_string()];
        let sub = s(m, &["subPath"]);
        if !sub.is_empty() {
            flags.push(format!("path={}", go_quote(sub)));
        }
        w.w(
            3,
            &format!(
                "{} from {} ({})\n",
                s(m, &["mountPath"]),
                s(m, &["name"]),
                flags.join(",")
            ),
        );
    }
    let devices = arr(c, &["volumeDevices"]);
    if !devices.is_empty() {
        w.w(2, &format!("Devices:{none}\n"));
        let mut devices: Vec<&Value> = devices.iter().collect();
        go_sort(&mut devices, |a, b| {
            s(a, &["devicePath"]) < s(b, &["devicePath"])
        });
        for d in devices {
            w.w(
                3,
                &format!("{} from {}\n", s(d, &["devicePath"]), s(d, &["name"])),
            );
        }
    }
}

/// `describeVolumes`.
fn describe_volumes(w: &mut Pw, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    for v in volumes {
        let ni = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{ni}{}:\n", s(v, &["name"])));
        volume_source(w, v, false);
    }
}

/// One volume source (pod volume or, with `pv`, a PersistentVolume's source).
fn volume_source(w: &mut Pw, v: &Value, pv: bool) {
    if let Some(h) = get(v, &["hostPath"]) {
        w.w(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                s(h, &["path"]),
                opt_s(h, &["type"]).unwrap_or("<none>")
            ),
        );
    } else if let Some(e) = get(v, &["emptyDir"]).filter(|_| !pv) {
        let limit = Qty::of(get(e, &["sizeLimit"]));
        let size = if get(e, &["sizeLimit"]).is_some() && limit.nano > 0 {
            quantity_string(get(e, &["sizeLimit"]))
        } else {
            "<unset>".to_string()
        };
        w.w(
            2,
            &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                s(e, &["medium"])
            ),
        );
    } else if let Some(g) = get(v, &["gcePersistentDisk"]) {
        w.w(
            2,
            &format!(
                "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n    PDName:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                s(g, &["pdName"]),
                s(g, &["fsType"]),
                i(g, &["partition"]),
                go_bool(b(g, &["readOnly"]))
            ),
        );
    } else if let Some(a) = get(v, &["awsElasticBlockStore"]) {
        w.w(
            2,
            &format!(
                "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)\n    VolumeID:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                s(a, &["volumeID"]),
                s(a, &["fsType"]),
                i(a, &["partition"]),
                go_bool(b(a, &["readOnly"]))
            ),
        );
    } else if let Some(g) = get(v, &["gitRepo"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t{}\n    Revision:\t{}\n",
                s(g, &["repository"]),
                s(g, &["revision"])
            ),
        );
    } else if let Some(sec) = get(v, &["secret"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s(sec, &["secretName"]),
                go_bool(b(sec, &["optional"]))
            ),
        );
    } else if let Some(cm) = get(v, &["configMap"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                s(cm, &["name"]),
                go_bool(b(cm, &["optional"]))
            ),
        );
    } else if let Some(n) = get(v, &["nfs"]) {
        w.w(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                s(n, &["server"]),
                s(n, &["path"]),
                go_bool(b(n, &["readOnly"]))
            ),
        );
    } else if let Some(c) = get(v, &["persistentVolumeClaim"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                s(c, &["claimName"]),
                go_bool(b(c, &["readOnly"]))
            ),
        );
    } else if let Some(e) = get(v, &["ephemeral"]).filter(|_| !pv) {
        w.w(
            2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
        );
        if let Some(t) = get(e, &["volumeClaimTemplate"]) {
            w.nest += 2;
            print_pvc(w, t, false);
            w.nest -= 2;
        }
    } else if let Some(d) = get(v, &["downwardAPI"]).filter(|_| !pv) {
        w.w(
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in arr(d, &["items"]) {
            if let Some(f) = get(item, &["fieldRef"]) {
                w.w(
                    3,
                    &format!("{} -> {}\n", s(f, &["fieldPath"]), s(item, &["path"])),
                );
            }
            if let Some(r) = get(item, &["resourceFieldRef"]) {
                w.w(
                    3,
                    &format!("{} -> {}\n", s(r, &["resource"]), s(item, &["path"])),
                );
            }
        }
    } else if let Some(p) = get(v, &["projected"]).filter(|_| !pv) {
        w.w(
            2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
        );
        for src in arr(p, &["sources"]) {
            if let Some(sec) = get(src, &["secret"]) {
                w.w(
                    2,
                    &format!(
                        "SecretName:\t{}\n    Optional:\t{}\n",
                        s(sec, &["name"]),
                        go_bool(b(sec, &["optional"]))
                    ),
                );
            } else if get(src, &["downwardAPI"]).is_some() {
                w.w(2, "DownwardAPI:\ttrue\n");
            } else if let Some(cm) = get(src, &["configMap"]) {
                w.w(
                    2,
                    &format!(
                        "ConfigMapName:\t{}\n    Optional:\t{}\n",
                        s(cm, &["name"]),
                        go_bool(b(cm, &["optional"]))
                    ),
                );
            } else if let Some(t) = get(src, &["serviceAccountToken"]) {
                w.w(
                    2,
                    &format!(
                        "TokenExpirationSeconds:\t{}\n",
                        i(t, &["expirationSeconds"])
                    ),
                );
            }
        }
    } else if let Some(l) = get(v, &["local"]).filter(|_| pv) {
        w.w(
            2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                s(l, &["path"])
            ),
        );
    } else if let Some(c) = get(v, &["csi"]) {
        if pv {
            w.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                    s(c, &["driver"]),
                    s(c, &["fsType"]),
                    s(c, &["volumeHandle"]),
                    go_bool(b(c, &["readOnly"]))
                ),
            );
        } else {
            w.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    s(c, &["driver"]),
                    s(c, &["fsType"]),
                    go_bool(b(c, &["readOnly"]))
                ),
            );
        }
        csi_attributes(w, get(c, &["volumeAttributes"]));
    } else if let Some(im) = get(v, &["image"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                s(im, &["reference"]),
                s(im, &["pullPolicy"])
            ),
        );
    } else {
        w.w(1, "<unknown>\n");
    }
}

/// `printCSIPersistentVolumeAttributesMultilineIndent`.
fn csi_attributes(w: &mut Pw, attrs: Option<&Value>) {
    w.w(2, "VolumeAttributes:\t");
    let pairs = string_map(attrs);
    if pairs.is_empty() {
        w.line("<none>");
        return;
    }
    for (n, (k, v)) in pairs.iter().enumerate() {
        if n != 0 {
            w.w(2, "");
            w.w(2, "\t");
        }
        let line = format!("{k}={v}");
        if line.len() > MAX_ANNOTATION_LEN {
            let mut cut = MAX_ANNOTATION_LEN;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            w.w(2, &format!("{}...\n", &line[..cut]));
        } else {
            w.w(2, &format!("{line}\n"));
        }
    }
}

/// `describeTopologySpreadConstraints`.
fn topology_spread(w: &mut Pw, tscs: &[Value], space: &str) {
    if tscs.is_empty() {
        return;
    }
    let mut tscs: Vec<&Value> = tscs.iter().collect();
    go_sort(&mut tscs, |a, b| {
        s(a, &["topologyKey"]) < s(b, &["topologyKey"])
    });
    w.w(0, &format!("{space}Topology Spread Constraints:\t"));
    for (n, t) in tscs.iter().enumerate() {
        if n != 0 {
            w.w(0, space);
            w.w(0, "\t");
        }
        let mut text = format!(
            "{}:{} when max skew {} is exceeded",
            s(t, &["topologyKey"]),
            s(t, &["whenUnsatisfiable"]),
            i(t, &["maxSkew"])
        );
        if let Some(sel) = get(t, &["labelSelector"]) {
            text.push_str(&format!(
                " for selector {}",
                format_label_selector(Some(sel))
            ));
        }
        text.push('\n');
        w.w(0, &text);
    }
}

/// `DescribePodTemplate`.
fn pod_template(w: &mut Pw, template: Option<&Value>) {
    w.w(0, "Pod Template:\n");
    let Some(t) = template else {
        w.w(1, "<unset>");
        return;
    };
    labels_multiline(w, "  Labels", get(t, &["metadata", "labels"]));
    if obj(t, &["metadata", "annotations"]).is_some_and(|m| !m.is_empty()) {
        annotations_multiline(w, "  Annotations", get(t, &["metadata", "annotations"]));
    }
    let sa = s(t, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    let init = arr(t, &["spec", "initContainers"]);
    if !init.is_empty() {
        describe_containers(w, "Init Containers", init, &[], None, "  ");
    }
    describe_containers(
        w,
        "Containers",
        arr(t, &["spec", "containers"]),
        &[],
        None,
        "  ",
    );
    describe_volumes(w, arr(t, &["spec", "volumes"]), "  ");
    topology_spread(w, arr(t, &["spec", "topologySpreadConstraints"]), "  ");
    let pc = s(t, &["spec", "priorityClassName"]);
    if !pc.is_empty() {
        w.w(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(w, "  Node-Selectors", get(t, &["spec", "nodeSelector"]));
    tolerations_multiline(w, "", "  Tolerations", arr(t, &["spec", "tolerations"]));
}

// ---------------------------------------------------------------------------------------------
// Pod.

fn describe_pod(w: &mut Pw, pod: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(pod, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(pod, &["metadata", "namespace"])),
    );
    if let Some(p) = opt_i(pod, &["spec", "priority"]) {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    let pcn = s(pod, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        w.w(0, &format!("Priority Class Name:\t{pcn}\n"));
    }
    let rcn = s(pod, &["spec", "runtimeClassName"]);
    if !rcn.is_empty() {
        w.w(0, &format!("Runtime Class Name:\t{rcn}\n"));
    }
    let sa = s(pod, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(0, &format!("Service Account:\t{sa}\n"));
    }
    let node = s(pod, &["spec", "nodeName"]);
    if node.is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(
            0,
            &format!("Node:\t{node}/{}\n", s(pod, &["status", "hostIP"])),
        );
    }
    if get(pod, &["status", "startTime"]).is_some() {
        w.w(
            0,
            &format!("Start Time:\t{}\n", time_at(pod, &["status", "startTime"])),
        );
    }
    labels_multiline(w, "Labels", get(pod, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(pod, &["metadata", "annotations"]));
    let phase = s(pod, &["status", "phase"]);
    if get(pod, &["metadata", "deletionTimestamp"]).is_some()
        && phase != "Failed"
        && phase != "Succeeded"
    {
        w.w(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(opt_s(pod, &["metadata", "deletionTimestamp"]), ctx.now)
            ),
        );
        w.w(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                i(pod, &["metadata", "deletionGracePeriodSeconds"])
            ),
        );
    } else {
        w.w(0, &format!("Status:\t{phase}\n"));
    }
    let reason = s(pod, &["status", "reason"]);
    if !reason.is_empty() {
        w.w(0, &format!("Reason:\t{reason}\n"));
    }
    let message = s(pod, &["status", "message"]);
    if !message.is_empty() {
        w.w(0, &format!("Message:\t{message}\n"));
    }
    if let Some(sp) = get(pod, &["spec", "securityContext", "seccompProfile"]) {
        let t = s(sp, &["type"]);
        w.w(0, &format!("SeccompProfile:\t{t}\n"));
        if t == "Localhost" {
            w.w(
                0,
                &format!("LocalhostProfile:\t{}\n", s(sp, &["localhostProfile"])),
            );
        }
    }
    w.w(0, &format!("IP:\t{}\n", s(pod, &["status", "podIP"])));
    let ips = arr(pod, &["status", "podIPs"]);
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.w(1, &format!("IP:\t{}\n", s(ip, &["ip"])));
        }
    }
    let controlled_by = print_controller(pod);
    if !controlled_by.is_empty() {
        w.w(0, &format!("Controlled By:\t{controlled_by}\n"));
    }
    let nominated = s(pod, &["status", "nominatedNodeName"]);
    if !nominated.is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    if let Some(r) = get(pod, &["spec", "resources"]) {
        w.w(0, "Resources:\n");
        describe_resources(w, Some(r), 1);
    }
    let init = arr(pod, &["spec", "initContainers"]);
    if !init.is_empty() {
        describe_containers(
            w,
            "Init Containers",
            init,
            arr(pod, &["status", "initContainerStatuses"]),
            Some(pod),
            "",
        );
    }
    describe_containers(
        w,
        "Containers",
        arr(pod, &["spec", "containers"]),
        arr(pod, &["status", "containerStatuses"]),
        Some(pod),
        "",
    );
    let eph = arr(pod, &["spec", "ephemeralContainers"]);
    if !eph.is_empty() {
        describe_containers(
            w,
            "Ephemeral Containers",
            eph,
            arr(pod, &["status", "ephemeralContainerStatuses"]),
            Some(pod),
            "",
        );
    }
    let conditions = arr(pod, &["status", "conditions"]);
    let gates = arr(pod, &["spec", "readinessGates"]);
    if !gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let t = s(g, &["conditionType"]);
            let status = conditions
                .iter()
                .find(|c| s(c, &["type"]) == t)
                .map(|c| s(c, &["status"]))
                .unwrap_or("<none>");
            w.w(1, &format!("{t} \t{status} \n"));
        }
    }
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.w(
                1,
                &format!("{} \t{} \n", s(c, &["type"]), s(c, &["status"])),
            );
        }
    }
    describe_volumes(w, arr(pod, &["spec", "volumes"]), "");
    w.w(0, &format!("QoS Class:\t{}\n", pod_qos(pod)));
    labels_multiline(w, "Node-Selectors", get(pod, &["spec", "nodeSelector"]));
    tolerations_multiline(w, "", "Tolerations", arr(pod, &["spec", "tolerations"]));
    topology_spread(w, arr(pod, &["spec", "topologySpreadConstraints"]), "");
    describe_events(w, ctx.events, ctx.now);
}

// ---------------------------------------------------------------------------------------------
// Workloads.

/// Running / Waiting / Succeeded / Failed counts of the pods controlled by `owner`.
fn pod_status_counts(owner: &Value, kind: &str, pods: &[Value]) -> (usize, usize, usize, usize) {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in pods {
        if !matches!(s(p, &["kind"]), "" | "Pod") {
            continue;
        }
        if !is_controlled_by(p, owner, kind) {
            continue;
        }
        match s(p, &["status", "phase"]) {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    (running, waiting, succeeded, failed)
}

fn pods_status_line(counts: (usize, usize, usize, usize)) -> String {
    format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        counts.0, counts.1, counts.2, counts.3
    )
}

/// Condition table of Deployment / ReplicaSet / ReplicationController.
fn workload_conditions(w: &mut Pw, o: &Value) {
    let conditions = arr(o, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.w(1, "----\t------\t------\n");
    for c in conditions {
        w.w(
            1,
            &format!(
                "{} \t{}\t{}\n",
                s(c, &["type"]),
                s(c, &["status"]),
                s(c, &["reason"])
            ),
        );
    }
}

fn replicas(o: &Value) -> i64 {
    opt_i(o, &["spec", "replicas"]).unwrap_or(1)
}

/// The template without its `pod-template-hash` label, nulls and empty lists / maps (the
/// semantic equality kubectl's `equalIgnoreHash` uses).
fn normalized_template(t: Option<&Value>) -> Value {
    fn clean(v: &Value) -> Option<Value> {
        match v {
            Value::Null => None,
            Value::Array(a) if a.is_empty() => None,
            Value::Array(a) => Some(Value::Array(a.iter().filter_map(clean).collect())),
            Value::Object(m) => {
                let m: Map<String, Value> = m
                    .iter()
                    .filter_map(|(k, v)| clean(v).map(|v| (k.clone(), v)))
                    .collect();
                Some(Value::Object(m))
            }
            other => Some(other.clone()),
        }
    }
    let mut t = t.and_then(clean).unwrap_or(Value::Null);
    if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
        for key in ["labels", "annotations"] {
            if let Some(Value::Object(m)) = meta.get_mut(key) {
                if key == "labels" {
                    m.remove("pod-template-hash");
                }
                if m.is_empty() {
                    meta.remove(key);
                }
            }
        }
        if meta.is_empty() {
            t.as_object_mut().map(|o| o.remove("metadata"));
        }
    }
    t
}

fn describe_deployment(w: &mut Pw, d: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(d, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(d, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(d, &["metadata", "creationTimestamp"])
        ),
    );
    labels_multiline(w, "Labels", get(d, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(d, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(d, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            replicas(d),
            i(d, &["status", "updatedReplicas"]),
            i(d, &["status", "replicas"]),
            i(d, &["status", "availableReplicas"]),
            i(d, &["status", "unavailableReplicas"])
        ),
    );
    w.w(
        0,
        &format!("StrategyType:\t{}\n", s(d, &["spec", "strategy", "type"])),
    );
    w.w(
        0,
        &format!("MinReadySeconds:\t{}\n", i(d, &["spec", "minReadySeconds"])),
    );
    if let Some(ru) = get(d, &["spec", "strategy", "rollingUpdate"]) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(get(ru, &["maxUnavailable"])),
                int_or_string(get(ru, &["maxSurge"]))
            ),
        );
    }
    pod_template(w, get(d, &["spec", "template"]));
    workload_conditions(w, d);

    // deploymentutil.GetAllReplicaSetsInChunks: owned RSs sorted by creation time (name as
    // tie-break); the new one is the oldest whose template matches, the rest are old.
    let mut owned: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|rs| {
            matches!(s(rs, &["kind"]), "" | "ReplicaSet") && is_controlled_by(rs, d, "Deployment")
        })
        .collect();
    let created = |rs: &Value| parse_timestamp(opt_s(rs, &["metadata", "creationTimestamp"]));
    go_sort(&mut owned, |a, b| {
        let (ca, cb) = (created(a), created(b));
        if ca == cb {
            s(a, &["metadata", "name"]) < s(b, &["metadata", "name"])
        } else {
            ca < cb
        }
    });
    let want = normalized_template(get(d, &["spec", "template"]));
    let new_rs = owned
        .iter()
        .position(|rs| normalized_template(get(rs, &["spec", "template"])) == want);
    let show = |list: &[&Value]| {
        let parts: Vec<String> = list
            .iter()
            .map(|rs| {
                format!(
                    "{} ({}/{} replicas created)",
                    s(rs, &["metadata", "name"]),
                    i(rs, &["status", "replicas"]),
                    replicas(rs)
                )
            })
            .collect();
        if parts.is_empty() {
            "<none>".to_string()
        } else {
            parts.join(", ")
        }
    };
    if !owned.is_empty() {
        let old: Vec<&Value> = owned
            .iter()
            .enumerate()
            .filter(|(n, _)| Some(*n) != new_rs)
            .map(|(_, rs)| *rs)
            .collect();
        let new: Vec<&Value> = new_rs.map(|n| owned[n]).into_iter().collect();
        w.w(0, &format!("OldReplicaSets:\t{}\n", show(&old)));
        w.w(0, &format!("NewReplicaSet:\t{}\n", show(&new)));
    }
    describe_events(w, ctx.events, ctx.now);
}

fn describe_replica_set(w: &mut Pw, rs: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(rs, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(rs, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(get(rs, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(rs, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(rs, &["metadata", "annotations"]));
    let controlled_by = print_controller(rs);
    if !controlled_by.is_empty() {
        w.w(0, &format!("Controlled By:\t{controlled_by}\n"));
    }
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            i(rs, &["status", "replicas"]),
            replicas(rs)
        ),
    );
    w.w(
        0,
        &pods_status_line(pod_status_counts(rs, "ReplicaSet", ctx.related)),
    );
    pod_template(w, get(rs, &["spec", "template"]).or(Some(&Value::Null)));
    workload_conditions(w, rs);
    describe_events(w, ctx.events, ctx.now);
}

fn describe_replication_controller(w: &mut Pw, rc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(rc, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(rc, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_labels(get(rc, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(rc, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(rc, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            i(rc, &["status", "replicas"]),
            replicas(rc)
        ),
    );
    w.w(
        0,
        &pods_status_line(pod_status_counts(rc, "ReplicationController", ctx.related)),
    );
    pod_template(w, get(rc, &["spec", "template"]));
    workload_conditions(w, rc);
    describe_events(w, ctx.events, ctx.now);
}

fn describe_job(w: &mut Pw, job: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(job, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(job, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(job, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(job, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(job, &["metadata", "annotations"]));
    let controlled_by = print_controller(job);
    if !controlled_by.is_empty() {
        w.w(0, &format!("Controlled By:\t{controlled_by}\n"));
    }
    if let Some(p) = opt_i(job, &["spec", "parallelism"]) {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match opt_i(job, &["spec", "completions"]) {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    let mode = opt_s(job, &["spec", "completionMode"]);
    if let Some(m) = mode {
        w.w(0, &format!("Completion Mode:\t{m}\n"));
    }
    if let Some(v) = opt_b(job, &["spec", "suspend"]) {
        w.w(0, &format!("Suspend:\t{}\n", go_bool(v)));
    }
    if let Some(v) = opt_i(job, &["spec", "backoffLimit"]) {
        w.w(0, &format!("Backoff Limit:\t{v}\n"));
    }
    if let Some(v) = opt_i(job, &["spec", "ttlSecondsAfterFinished"]) {
        w.w(0, &format!("TTL Seconds After Finished:\t{v}\n"));
    }
    let start = parse_timestamp(opt_s(job, &["status", "startTime"]));
    let done = parse_timestamp(opt_s(job, &["status", "completionTime"]));
    if get(job, &["status", "startTime"]).is_some() {
        w.w(
            0,
            &format!("Start Time:\t{}\n", time_at(job, &["status", "startTime"])),
        );
    }
    if get(job, &["status", "completionTime"]).is_some() {
        w.w(
            0,
            &format!(
                "Completed At:\t{}\n",
                time_at(job, &["status", "completionTime"])
            ),
        );
    }
    if let (Some(st), Some(ct)) = (start, done) {
        w.w(0, &format!("Duration:\t{}\n", since(st, ct)));
    }
    if let Some(v) = opt_i(job, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{v}s\n"));
    }
    let (active, succeeded, failed) = (
        i(job, &["status", "active"]),
        i(job, &["status", "succeeded"]),
        i(job, &["status", "failed"]),
    );
    match opt_i(job, &["status", "ready"]) {
        None => w.w(
            0,
            &format!(
                "Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"
            ),
        ),
        Some(ready) => w.w(
            0,
            &format!(
                "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed\n"
            ),
        ),
    }
    if mode == Some("Indexed") {
        w.w(
            0,
            &format!(
                "Completed Indexes:\t{}\n",
                cap_indexes(s(job, &["status", "completedIndexes"]), 50)
            ),
        );
    }
    pod_template(w, get(job, &["spec", "template"]).or(Some(&Value::Null)));
    describe_events(w, ctx.events, ctx.now);
}

/// describe.go `capIndexesListOrNone`.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    let bytes = indexes.as_bytes();
    let mut ix = soft_limit;
    while ix < bytes.len() && bytes[ix] != b',' {
        ix += 1;
    }
    if ix >= bytes.len() {
        return indexes.to_string();
    }
    format!("{}...", &indexes[..=ix])
}

fn describe_cron_job(w: &mut Pw, cj: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(cj, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(cj, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(cj, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(cj, &["metadata", "annotations"]));
    w.w(0, &format!("Schedule:\t{}\n", s(cj, &["spec", "schedule"])));
    w.w(
        0,
        &format!(
            "Concurrency Policy:\t{}\n",
            s(cj, &["spec", "concurrencyPolicy"])
        ),
    );
    w.w(
        0,
        &format!(
            "Suspend:\t{}\n",
            print_bool_ptr(opt_b(cj, &["spec", "suspend"]))
        ),
    );
    for (field, title) in [
        ("successfulJobsHistoryLimit", "Successful Job History Limit"),
        ("failedJobsHistoryLimit", "Failed Job History Limit"),
    ] {
        match opt_i(cj, &["spec", field]) {
            Some(v) => w.w(0, &format!("{title}:\t{v}\n")),
            None => w.w(0, &format!("{title}:\t<unset>\n")),
        }
    }
    match opt_i(cj, &["spec", "startingDeadlineSeconds"]) {
        Some(v) => w.w(0, &format!("Starting Deadline Seconds:\t{v}s\n")),
        None => w.w(0, "Starting Deadline Seconds:\t<unset>\n"),
    }
    let jt = get(cj, &["spec", "jobTemplate"]).unwrap_or(&Value::Null);
    match get(jt, &["spec", "selector"]) {
        Some(sel) => w.w(
            0,
            &format!("Selector:\t{}\n", label_selector_string(Some(sel))),
        ),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    for (field, title) in [
        ("parallelism", "Parallelism"),
        ("completions", "Completions"),
    ] {
        match opt_i(jt, &["spec", field]) {
            Some(v) => w.w(0, &format!("{title}:\t{v}\n")),
            None => w.w(0, &format!("{title}:\t<unset>\n")),
        }
    }
    if let Some(v) = opt_i(jt, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{v}s\n"));
    }
    pod_template(w, get(jt, &["spec", "template"]).or(Some(&Value::Null)));
    if get(cj, &["status", "lastScheduleTime"]).is_some() {
        w.w(
            0,
            &format!(
                "Last Schedule Time:\t{}\n",
                time_at(cj, &["status", "lastScheduleTime"])
            ),
        );
    } else {
        w.w(0, "Last Schedule Time:\t<unset>\n");
    }
    w.w(0, "Active Jobs:\t");
    let active = arr(cj, &["status", "active"]);
    if active.is_empty() {
        w.line("<none>");
    } else {
        for (n, j) in active.iter().enumerate() {
            if n != 0 {
                w.w(0, ", ");
            }
            w.w(0, s(j, &["name"]));
        }
        w.line("");
    }
    describe_events(w, ctx.events, ctx.now);
}

fn describe_daemon_set(w: &mut Pw, ds: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ds, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ds, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(ds, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            format_labels(get(ds, &["spec", "template", "spec", "nodeSelector"]))
        ),
    );
    labels_multiline(w, "Labels", get(ds, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ds, &["metadata", "annotations"]));
    for (field, title) in [
        (
            "desiredNumberScheduled",
            "Desired Number of Nodes Scheduled",
        ),
        (
            "currentNumberScheduled",
            "Current Number of Nodes Scheduled",
        ),
        (
            "updatedNumberScheduled",
            "Number of Nodes Scheduled with Up-to-date Pods",
        ),
        (
            "numberAvailable",
            "Number of Nodes Scheduled with Available Pods",
        ),
        ("numberMisscheduled", "Number of Nodes Misscheduled"),
    ] {
        w.w(0, &format!("{title}: {}\n", i(ds, &["status", field])));
    }
    w.w(
        0,
        &pods_status_line(pod_status_counts(ds, "DaemonSet", ctx.related)),
    );
    pod_template(w, get(ds, &["spec", "template"]).or(Some(&Value::Null)));
    describe_events(w, ctx.events, ctx.now);
}

fn describe_stateful_set(w: &mut Pw, ss: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ss, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ss, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(ss, &["metadata", "creationTimestamp"])
        ),
    );
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(ss, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", get(ss, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ss, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            replicas(ss),
            i(ss, &["status", "replicas"])
        ),
    );
    w.w(
        0,
        &format!(
            "Update Strategy:\t{}\n",
            s(ss, &["spec", "updateStrategy", "type"])
        ),
    );
    if let Some(ru) = get(ss, &["spec", "updateStrategy", "rollingUpdate"])
        && let Some(p) = opt_i(ru, &["partition"])
    {
        w.w(1, &format!("Partition:\t{p}\n"));
        if let Some(mu) = get(ru, &["maxUnavailable"]) {
            w.w(1, &format!("MaxUnavailable:\t{}\n", scalar(mu)));
        }
    }
    w.w(
        0,
        &pods_status_line(pod_status_counts(ss, "StatefulSet", ctx.related)),
    );
    pod_template(w, get(ss, &["spec", "template"]).or(Some(&Value::Null)));
    let templates = arr(ss, &["spec", "volumeClaimTemplates"]);
    if templates.is_empty() {
        w.w(0, "Volume Claims:\t<none>\n");
    } else {
        w.w(0, "Volume Claims:\n");
        for pvc in templates {
            w.w(1, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
            w.w(1, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
            labels_multiline_indent(w, "  ", "Labels", "\t", get(pvc, &["metadata", "labels"]));
            labels_multiline_indent(
                w,
                "  ",
                "Annotations",
                "\t",
                get(pvc, &["metadata", "annotations"]),
            );
            match get(pvc, &["spec", "resources", "requests", "storage"]) {
                Some(q) => w.w(1, &format!("Capacity:\t{}\n", quantity_string(Some(q)))),
                None => w.w(1, "Capacity:\t<default>\n"),
            }
            w.w(
                1,
                &format!(
                    "Access Modes:\t{}\n",
                    go_slice(arr(pvc, &["spec", "accessModes"]))
                ),
            );
        }
    }
    describe_events(w, ctx.events, ctx.now);
}

// ---------------------------------------------------------------------------------------------
// Node.

fn describe_node(w: &mut Pw, node: &Value, ctx: &DescribeCtx) {
    let name = s(node, &["metadata", "name"]);
    w.w(0, &format!("Name:\t{name}\n"));
    let mut roles = BTreeSet::new();
    for (k, v) in string_map(get(node, &["metadata", "labels"])) {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v);
        }
    }
    let roles: Vec<String> = roles.into_iter().collect();
    w.w(0, &format!("Roles:\t{}\n", or_none(&roles.join(","))));
    labels_multiline(w, "Labels", get(node, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(node, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(node, &["metadata", "creationTimestamp"])
        ),
    );
    taints_multiline(w, "Taints", arr(node, &["spec", "taints"]));
    w.w(
        0,
        &format!(
            "Unschedulable:\t{}\n",
            go_bool(b(node, &["spec", "unschedulable"]))
        ),
    );
    match ctx.related.iter().find(|o| s(o, &["kind"]) == "Lease") {
        Some(lease) => {
            w.w(0, "Lease:\n");
            w.w(
                1,
                &format!(
                    "HolderIdentity:\t{}\n",
                    opt_s(lease, &["spec", "holderIdentity"]).unwrap_or("<unset>")
                ),
            );
            for (field, title) in [("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")] {
                let t = match get(lease, &["spec", field]) {
                    Some(_) => time_at(lease, &["spec", field]),
                    None => "<unset>".to_string(),
                };
                w.w(1, &format!("{title}:\t{t}\n"));
            }
        }
        None => w.w(
            0,
            &format!(
                "Lease:\tFailed to get lease: leases.coordination.k8s.io {} not found\n",
                go_quote(name)
            ),
        ),
    }
    let conditions = arr(node, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.w(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    time_at(c, &["lastHeartbeatTime"]),
                    time_at(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    w.w(0, "Addresses:\n");
    for a in arr(node, &["status", "addresses"]) {
        w.w(
            1,
            &format!("{}:\t{}\n", s(a, &["type"]), s(a, &["address"])),
        );
    }
    for (field, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        if let Some(m) = obj(node, &["status", field])
            && !m.is_empty()
        {
            w.w(0, &format!("{title}:\n"));
            let mut names: Vec<&String> = m.keys().collect();
            names.sort();
            for n in names {
                w.w(0, &format!("  {n}:\t{}\n", quantity_string(m.get(n))));
            }
        }
    }
    w.w(0, "System Info:\n");
    for (field, title) in [
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ] {
        w.w(
            0,
            &format!("  {title}:\t{}\n", s(node, &["status", "nodeInfo", field])),
        );
    }
    let pod_cidr = s(node, &["spec", "podCIDR"]);
    if !pod_cidr.is_empty() {
        w.w(0, &format!("PodCIDR:\t{pod_cidr}\n"));
    }
    let cidrs: Vec<String> = arr(node, &["spec", "podCIDRs"])
        .iter()
        .map(scalar)
        .collect();
    if !cidrs.is_empty() {
        w.w(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    let provider = s(node, &["spec", "providerID"]);
    if !provider.is_empty() {
        w.w(0, &format!("ProviderID:\t{provider}\n"));
    }
    node_resources(w, node, ctx);
    describe_events(w, ctx.events, ctx.now);
}

/// `describeNodeResource`.
fn node_resources(w: &mut Pw, node: &Value, ctx: &DescribeCtx) {
    let mut pods: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|p| matches!(s(p, &["kind"]), "" | "Pod"))
        .filter(|p| !matches!(s(p, &["status", "phase"]), "Succeeded" | "Failed"))
        .collect();
    // The API lists pods in key order: namespace, then name.
    pods.sort_by(|a, b| {
        (
            s(a, &["metadata", "namespace"]),
            s(a, &["metadata", "name"]),
        )
            .cmp(&(
                s(b, &["metadata", "namespace"]),
                s(b, &["metadata", "name"]),
            ))
    });
    w.w(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.w(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.w(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let allocatable = match obj(node, &["status", "allocatable"]) {
        Some(m) if !m.is_empty() => res_list(get(node, &["status", "allocatable"])),
        _ => res_list(get(node, &["status", "capacity"])),
    };
    let alloc = |k: &str| allocatable.get(k).copied().unwrap_or_else(Qty::zero);
    let (acpu, amem, aeph) = (
        alloc("cpu").milli(),
        alloc("memory").value(),
        alloc("ephemeral-storage").value(),
    );
    let mut total_reqs = ResList::new();
    let mut total_limits = ResList::new();
    for pod in &pods {
        let (req, lim) = pod_requests_and_limits(pod);
        let q = |l: &ResList, k: &str| l.get(k).copied().unwrap_or_else(Qty::zero);
        let (cr, cl, mr, ml) = (
            q(&req, "cpu"),
            q(&lim, "cpu"),
            q(&req, "memory"),
            q(&lim, "memory"),
        );
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                s(pod, &["metadata", "namespace"]),
                s(pod, &["metadata", "name"]),
                cr.string(),
                percent(cr.milli(), acpu),
                cl.string(),
                percent(cl.milli(), acpu),
                mr.string(),
                percent(mr.value(), amem),
                ml.string(),
                percent(ml.value(), amem),
                age(opt_s(pod, &["metadata", "creationTimestamp"]), ctx.now)
            ),
        );
        add_list(&mut total_reqs, &req);
        add_list(&mut total_limits, &lim);
    }
    w.w(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    let q = |l: &ResList, k: &str| l.get(k).copied().unwrap_or_else(Qty::zero);
    let frac = |num: i128, den: i128| if den != 0 { percent(num, den) } else { 0 };
    let (cr, cl) = (q(&total_reqs, "cpu"), q(&total_limits, "cpu"));
    w.w(
        1,
        &format!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            cr.string(),
            frac(cr.milli(), acpu),
            cl.string(),
            frac(cl.milli(), acpu)
        ),
    );
    let (mr, ml) = (q(&total_reqs, "memory"), q(&total_limits, "memory"));
    w.w(
        1,
        &format!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            mr.string(),
            frac(mr.value(), amem),
            ml.string(),
            frac(ml.value(), amem)
        ),
    );
    let (er, el) = (
        q(&total_reqs, "ephemeral-storage"),
        q(&total_limits, "ephemeral-storage"),
    );
    w.w(
        1,
        &format!(
            "ephemeral-storage\t{} ({}%)\t{} ({}%)\n",
            er.string(),
            frac(er.value(), aeph),
            el.string(),
            frac(el.value(), aeph)
        ),
    );
    let mut huge = Vec::new();
    let mut ext = Vec::new();
    for k in allocatable.keys() {
        if k.starts_with("hugepages-") {
            huge.push(k.as_str());
        } else if !matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage" | "pods") {
            ext.push(k.as_str());
        }
    }
    for k in huge {
        let (r, l, a) = (q(&total_reqs, k), q(&total_limits, k), alloc(k).value());
        w.w(
            1,
            &format!(
                "{k}\t{} ({}%)\t{} ({}%)\n",
                r.string(),
                frac(r.value(), a),
                l.string(),
                frac(l.value(), a)
            ),
        );
    }
    for k in ext {
        w.w(
            1,
            &format!(
                "{k}\t{}\t{}\n",
                q(&total_reqs, k).string(),
                q(&total_limits, k).string()
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Config and storage kinds.

/// Decoded length of a base64 value (`[]byte` fields).
fn decoded(v: &Value) -> Vec<u8> {
    let text: String = scalar(v).chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(text.as_bytes())
        .unwrap_or_else(|_| text.into_bytes())
}

fn describe_config_map(w: &mut Pw, cm: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(cm, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(cm, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(cm, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(cm, &["metadata", "annotations"]));
    w.w(0, "\nData\n====\n");
    for (k, v) in string_map(get(cm, &["data"])) {
        w.w(0, &format!("{k}:\n----\n"));
        w.w(0, &format!("{v}\n"));
        w.w(0, "\n");
    }
    w.w(0, "\nBinaryData\n====\n");
    if let Some(m) = obj(cm, &["binaryData"]) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            w.w(0, &format!("{k}: {} bytes\n", decoded(&m[k]).len()));
        }
    }
    w.w(0, "\n");
    describe_events(w, ctx.events, ctx.now);
}

fn describe_secret(w: &mut Pw, secret: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(secret, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(secret, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(secret, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(secret, &["metadata", "annotations"]));
    let ty = s(secret, &["type"]);
    w.w(0, &format!("\nType:\t{ty}\n"));
    w.w(0, "\nData\n====\n");
    if let Some(m) = obj(secret, &["data"]) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            let bytes = decoded(&m[k]);
            if k == "token" && ty == "kubernetes.io/service-account-token" {
                w.w(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&bytes)));
            } else {
                w.w(0, &format!("{k}:\t{} bytes\n", bytes.len()));
            }
        }
    }
}

fn help_text_for_scope(scope: &str) -> &'static str {
    match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service."
        }
        _ => "",
    }
}

fn sorted_scopes(q: &Value) -> Vec<String> {
    let mut scopes: Vec<String> = arr(q, &["spec", "scopes"]).iter().map(scalar).collect();
    scopes.sort();
    scopes
}

fn describe_namespace(w: &mut Pw, ns: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ns, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(ns, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ns, &["metadata", "annotations"]));
    w.w(0, &format!("Status:\t{}\n", s(ns, &["status", "phase"])));
    let conditions = arr(ns, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    time_at(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    w.w(0, "\n");
    let mut quotas: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| s(o, &["kind"]) == "ResourceQuota")
        .collect();
    if quotas.is_empty() {
        w.w(0, "No resource quota.\n");
    } else {
        go_sort(&mut quotas, |a, b| {
            s(a, &["metadata", "name"]) < s(b, &["metadata", "name"])
        });
        w.w(0, "Resource Quotas\n");
        for q in quotas {
            w.w(1, &format!("Name:\t{}\n", s(q, &["metadata", "name"])));
            let scopes = sorted_scopes(q);
            if !scopes.is_empty() {
                w.w(1, &format!("Scopes:\t{}\n", scopes.join(", ")));
                for scope in &scopes {
                    let help = help_text_for_scope(scope);
                    if !help.is_empty() {
                        w.w(1, &format!("* {help}\n"));
                    }
                }
            }
            w.w(1, "Resource\tUsed\tHard\n");
            w.w(1, "--------\t---\t---\n");
            if let Some(hard) = obj(q, &["status", "hard"]) {
                let mut names: Vec<&String> = hard.keys().collect();
                names.sort();
                for n in names {
                    w.w(
                        1,
                        &format!(
                            "{n}\t{}\t{}\n",
                            quantity_string(get(q, &["status", "used", n])),
                            quantity_string(hard.get(n))
                        ),
                    );
                }
            }
        }
    }
    w.w(0, "\n");
    let ranges: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| s(o, &["kind"]) == "LimitRange")
        .collect();
    if ranges.is_empty() {
        w.w(0, "No LimitRange resource.\n");
        return;
    }
    w.w(
        0,
        "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    w.w(
        0,
        " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    for lr in ranges {
        for item in arr(lr, &["spec", "limits"]) {
            let fields = [
                "min",
                "max",
                "defaultRequest",
                "default",
                "maxLimitRequestRatio",
            ];
            let mut names = BTreeSet::new();
            for f in fields {
                if let Some(m) = obj(item, &[f]) {
                    names.extend(m.keys().cloned());
                }
            }
            for n in names {
                let cell = |f: &str| match get(item, &[f, n.as_str()]) {
                    Some(v) => quantity_string(Some(v)),
                    None => "-".to_string(),
                };
                w.w(
                    0,
                    &format!(
                        " {}\t{n}\t{}\t{}\t{}\t{}\t{}\n",
                        s(item, &["type"]),
                        cell("min"),
                        cell("max"),
                        cell("defaultRequest"),
                        cell("default"),
                        cell("maxLimitRequestRatio")
                    ),
                );
            }
        }
    }
}

fn describe_quota(w: &mut Pw, q: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(q, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(q, &["metadata", "namespace"])),
    );
    let scopes = sorted_scopes(q);
    if !scopes.is_empty() {
        w.w(0, &format!("Scopes:\t{}\n", scopes.join(", ")));
        for scope in &scopes {
            let help = help_text_for_scope(scope);
            if !help.is_empty() {
                w.w(0, &format!(" * {help}\n"));
            }
        }
    }
    w.w(0, "Resource\tUsed\tHard\n");
    w.w(0, "--------\t----\t----\n");
    if let Some(hard) = obj(q, &["status", "hard"]) {
        let mut names: Vec<&String> = hard.keys().collect();
        names.sort();
        for n in names {
            let h = Qty::of(hard.get(n));
            let mut u = Qty::of(get(q, &["status", "used", n]));
            if u.fmt != h.fmt {
                u = Qty {
                    nano: u.value() * NANO,
                    fmt: h.fmt,
                };
            }
            w.w(0, &format!("{n}\t{}\t{}\n", u.string(), h.string()));
        }
    }
}

/// `formatEndpointSlices` for one service port name (`None` = all ports).
fn format_endpoints(slices: &[Value], port: Option<&str>) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    let ready = |e: &Value| opt_b(e, &["conditions", "ready"]).unwrap_or(true);
    let first_addr = |e: &Value| {
        arr(e, &["addresses"])
            .first()
            .map(scalar)
            .unwrap_or_default()
    };
    for sl in slices {
        let ports = arr(sl, &["ports"]);
        if ports.is_empty() {
            for e in arr(sl, &["endpoints"]) {
                if list.len() == max {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(first_addr(e));
                }
                count += 1;
            }
        } else {
            for p in ports {
                if port.is_some_and(|name| name != s(p, &["name"])) {
                    continue;
                }
                for e in arr(sl, &["endpoints"]) {
                    if list.len() == max {
                        more = true;
                    }
                    if !ready(e) {
                        continue;
                    }
                    if !more {
                        let addr = first_addr(e);
                        let pn = i(p, &["port"]);
                        list.push(if addr.contains(':') {
                            format!("[{addr}]:{pn}")
                        } else {
                            format!("{addr}:{pn}")
                        });
                    }
                    count += 1;
                }
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

/// EndpointSlices from `related`, with an `Endpoints` object converted to one slice per
/// subset (ready and not-ready addresses, the subset's ports).
fn endpoint_slices(related: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for o in related {
        match s(o, &["kind"]) {
            "EndpointSlice" => out.push(o.clone()),
            "Endpoints" => {
                let subsets = arr(o, &["subsets"]);
                if subsets.is_empty() {
                    out.push(serde_json::json!({}));
                }
                for sub in subsets {
                    let mut eps = Vec::new();
                    for (field, ready) in [("addresses", true), ("notReadyAddresses", false)] {
                        for a in arr(sub, &[field]) {
                            eps.push(serde_json::json!({
                                "addresses": [s(a, &["ip"])],
                                "conditions": {"ready": ready},
                            }));
                        }
                    }
                    let ports: Vec<Value> = arr(sub, &["ports"])
                        .iter()
                        .map(|p| serde_json::json!({"name": s(p, &["name"]), "port": i(p, &["port"])}))
                        .collect();
                    out.push(serde_json::json!({"endpoints": eps, "ports": ports}));
                }
            }
            _ => {}
        }
    }
    out
}

fn describe_service(w: &mut Pw, svc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(svc, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(svc, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(svc, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(svc, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_labels(get(svc, &["spec", "selector"]))
        ),
    );
    w.w(0, &format!("Type:\t{}\n", s(svc, &["spec", "type"])));
    if let Some(p) = opt_s(svc, &["spec", "ipFamilyPolicy"]) {
        w.w(0, &format!("IP Family Policy:\t{p}\n"));
    }
    let families: Vec<String> = arr(svc, &["spec", "ipFamilies"])
        .iter()
        .map(scalar)
        .collect();
    w.w(
        0,
        &format!("IP Families:\t{}\n", or_none(&families.join(","))),
    );
    w.w(0, &format!("IP:\t{}\n", s(svc, &["spec", "clusterIP"])));
    let ips: Vec<String> = arr(svc, &["spec", "clusterIPs"])
        .iter()
        .map(scalar)
        .collect();
    w.w(0, &format!("IPs:\t{}\n", or_none(&ips.join(","))));
    let ext: Vec<String> = arr(svc, &["spec", "externalIPs"])
        .iter()
        .map(scalar)
        .collect();
    if !ext.is_empty() {
        w.w(0, &format!("External IPs:\t{}\n", ext.join(",")));
    }
    let lbip = s(svc, &["spec", "loadBalancerIP"]);
    if !lbip.is_empty() {
        w.w(0, &format!("Desired LoadBalancer IP:\t{lbip}\n"));
    }
    let ext_name = s(svc, &["spec", "externalName"]);
    if !ext_name.is_empty() {
        w.w(0, &format!("External Name:\t{ext_name}\n"));
    }
    let ingress = arr(svc, &["status", "loadBalancer", "ingress"]);
    if !ingress.is_empty() {
        let parts: Vec<String> = ingress
            .iter()
            .map(|g| {
                let ip = s(g, &["ip"]);
                if ip.is_empty() {
                    s(g, &["hostname"]).to_string()
                } else if let Some(mode) = opt_s(g, &["ipMode"]) {
                    format!("{ip} ({mode})")
                } else {
                    ip.to_string()
                }
            })
            .collect();
        w.w(0, &format!("LoadBalancer Ingress:\t{}\n", parts.join(", ")));
    }
    let slices = endpoint_slices(ctx.related);
    for p in arr(svc, &["spec", "ports"]) {
        let raw_name = s(p, &["name"]);
        let name = if raw_name.is_empty() {
            "<unset>"
        } else {
            raw_name
        };
        let proto = opt_s(p, &["protocol"]).unwrap_or("TCP");
        w.w(0, &format!("Port:\t{name}\t{}/{proto}\n", i(p, &["port"])));
        let target = match get(p, &["targetPort"]) {
            Some(t) => scalar(t),
            None => "0".to_string(),
        };
        w.w(0, &format!("TargetPort:\t{target}/{proto}\n"));
        let node_port = i(p, &["nodePort"]);
        if node_port != 0 {
            w.w(0, &format!("NodePort:\t{name}\t{node_port}/{proto}\n"));
        }
        w.w(
            0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoints(&slices, Some(raw_name))
            ),
        );
    }
    w.w(
        0,
        &format!(
            "Session Affinity:\t{}\n",
            s(svc, &["spec", "sessionAffinity"])
        ),
    );
    let etp = s(svc, &["spec", "externalTrafficPolicy"]);
    if !etp.is_empty() {
        w.w(0, &format!("External Traffic Policy:\t{etp}\n"));
    }
    if let Some(itp) = opt_s(svc, &["spec", "internalTrafficPolicy"]) {
        w.w(0, &format!("Internal Traffic Policy:\t{itp}\n"));
    }
    let hc = i(svc, &["spec", "healthCheckNodePort"]);
    if hc != 0 {
        w.w(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    let ranges: Vec<String> = arr(svc, &["spec", "loadBalancerSourceRanges"])
        .iter()
        .map(scalar)
        .collect();
    if !ranges.is_empty() {
        w.w(
            0,
            &format!("LoadBalancer Source Ranges:\t{}\n", ranges.join(",")),
        );
    }
    describe_events(w, ctx.events, ctx.now);
}

fn describe_endpoints(w: &mut Pw, ep: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ep, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ep, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(ep, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ep, &["metadata", "annotations"]));
    w.w(0, "Subsets:\n");
    for sub in arr(ep, &["subsets"]) {
        for (field, title) in [
            ("addresses", "Addresses"),
            ("notReadyAddresses", "NotReadyAddresses"),
        ] {
            let ips: Vec<&str> = arr(sub, &[field]).iter().map(|a| s(a, &["ip"])).collect();
            w.w(1, &format!("{title}:\t{}\n", or_none(&ips.join(","))));
        }
        let ports = arr(sub, &["ports"]);
        if !ports.is_empty() {
            w.w(1, "Ports:\n");
            w.w(2, "Name\tPort\tProtocol\n");
            w.w(2, "----\t----\t--------\n");
            for p in ports {
                w.w(
                    2,
                    &format!(
                        "{}\t{}\t{}\n",
                        or_none(s(p, &["name"])).replace("<none>", "<unset>"),
                        i(p, &["port"]),
                        opt_s(p, &["protocol"]).unwrap_or("TCP")
                    ),
                );
            }
        }
        w.w(0, "\n");
    }
    describe_events(w, ctx.events, ctx.now);
}

fn describe_service_account(w: &mut Pw, sa: &Value, ctx: &DescribeCtx) {
    let name = s(sa, &["metadata", "name"]);
    let uid = s(sa, &["metadata", "uid"]);
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(sa, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(sa, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(sa, &["metadata", "annotations"]));
    let secrets: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| matches!(s(o, &["kind"]), "" | "Secret"))
        .collect();
    let existing: BTreeSet<&str> = secrets
        .iter()
        .map(|o| s(o, &["metadata", "name"]))
        .collect();
    let tokens: Vec<&str> = secrets
        .iter()
        .filter(|o| {
            s(o, &["type"]) == "kubernetes.io/service-account-token"
                && s(
                    o,
                    &[
                        "metadata",
                        "annotations",
                        "kubernetes.io/service-account.name",
                    ],
                ) == name
                && s(
                    o,
                    &[
                        "metadata",
                        "annotations",
                        "kubernetes.io/service-account.uid",
                    ],
                ) == uid
        })
        .map(|o| s(o, &["metadata", "name"]))
        .collect();
    let names =
        |field: &str| -> Vec<&str> { arr(sa, &[field]).iter().map(|r| s(r, &["name"])).collect() };
    let pull = names("imagePullSecrets");
    let mount = names("secrets");
    let missing: BTreeSet<&str> = mount
        .iter()
        .chain(pull.iter())
        .filter(|n| !existing.contains(*n))
        .copied()
        .collect();
    // Headers in sorted order ("Image pull secrets:" < "Mountable secrets: " < "Tokens: ").
    for (header, list) in [
        ("Image pull secrets:", &pull),
        ("Mountable secrets: ", &mount),
        ("Tokens:            ", &tokens),
    ] {
        if list.is_empty() {
            w.w(0, &format!("{header}\t<none>\n"));
            continue;
        }
        let mut prefix = header;
        for n in list.iter() {
            if missing.contains(n) {
                w.w(0, &format!("{prefix}\t{n} (not found)\n"));
            } else {
                w.w(0, &format!("{prefix}\t{n}\n"));
            }
            prefix = "                   ";
        }
    }
    describe_events(w, ctx.events, ctx.now);
}

/// `storageutil.GetPersistentVolumeClaimClass`.
fn pvc_class(pvc: &Value) -> String {
    if let Some(c) = opt_s(
        pvc,
        &[
            "metadata",
            "annotations",
            "volume.beta.kubernetes.io/storage-class",
        ],
    ) {
        return c.to_string();
    }
    s(pvc, &["spec", "storageClassName"]).to_string()
}

/// `printPersistentVolumeClaim` (a full PVC, or an ephemeral volume's claim template).
fn print_pvc(w: &mut Pw, pvc: &Value, full: bool) {
    if full {
        w.w(0, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
        w.w(
            0,
            &format!("Namespace:\t{}\n", s(pvc, &["metadata", "namespace"])),
        );
    }
    w.w(0, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
    if full {
        if get(pvc, &["metadata", "deletionTimestamp"]).is_some() {
            // No `now` here: the caller (describe_pvc) prints the terminating status.
        } else {
            w.w(0, &format!("Status:\t{}\n", s(pvc, &["status", "phase"])));
        }
    }
    let volume = s(pvc, &["spec", "volumeName"]);
    w.w(0, &format!("Volume:\t{volume}\n"));
    labels_multiline(w, "Labels", get(pvc, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(pvc, &["metadata", "annotations"]));
    if full {
        w.w(
            0,
            &format!(
                "Finalizers:\t{}\n",
                go_slice(arr(pvc, &["metadata", "finalizers"]))
            ),
        );
    }
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity_string(get(pvc, &["status", "capacity", "storage"])),
            super::cells::access_modes(get(pvc, &["status", "accessModes"])),
        )
    };
    w.w(0, &format!("Capacity:\t{capacity}\n"));
    w.w(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(m) = opt_s(pvc, &["spec", "volumeMode"]) {
        w.w(0, &format!("VolumeMode:\t{m}\n"));
    }
    if let Some(ds) = get(pvc, &["spec", "dataSource"]) {
        w.w(0, "DataSource:\n");
        if let Some(g) = opt_s(ds, &["apiGroup"]) {
            w.w(1, &format!("APIGroup:\t{g}\n"));
        }
        w.w(1, &format!("Kind:\t{}\n", s(ds, &["kind"])));
        w.w(1, &format!("Name:\t{}\n", s(ds, &["name"])));
    }
}

fn describe_pvc(w: &mut Pw, pvc: &Value, ctx: &DescribeCtx) {
    if get(pvc, &["metadata", "deletionTimestamp"]).is_some() {
        // printPersistentVolumeClaim with the Terminating status in place of the phase.
        w.w(0, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
        w.w(
            0,
            &format!("Namespace:\t{}\n", s(pvc, &["metadata", "namespace"])),
        );
        w.w(0, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
        w.w(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(opt_s(pvc, &["metadata", "deletionTimestamp"]), ctx.now)
            ),
        );
        let mut rest = pvc.clone();
        rest.as_object_mut().map(|o| o.remove("metadata"));
        if let Some(m) = get(pvc, &["metadata"]) {
            let mut m = m.clone();
            m.as_object_mut().map(|o| o.remove("deletionTimestamp"));
            rest["metadata"] = m;
        }
        // Volume onwards, identical to the non-terminating layout.
        let mut tail = Pw {
            tab: None,
            raw: String::new(),
            nest: 0,
        };
        print_pvc(&mut tail, &rest, true);
        let text = tail.finish();
        let from = text.find("Volume:").unwrap_or(0);
        w.emit(&text[from..]);
    } else {
        print_pvc(w, pvc, true);
    }
    let name = s(pvc, &["metadata", "name"]);
    let pods: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| matches!(s(o, &["kind"]), "" | "Pod"))
        .collect();
    let mut used: Vec<&Value> = Vec::new();
    for p in &pods {
        for v in arr(p, &["spec", "volumes"]) {
            if get(v, &["persistentVolumeClaim"]).is_some()
                && s(v, &["persistentVolumeClaim", "claimName"]) == name
            {
                used.push(p);
            }
        }
    }
    for r in arr(pvc, &["metadata", "ownerReferences"]) {
        if s(r, &["kind"]) != "Pod" {
            continue;
        }
        let uid = s(r, &["uid"]);
        if let Some(p) = pods.iter().find(|p| s(p, &["metadata", "uid"]) == uid)
            && !used.iter().any(|u| s(u, &["metadata", "uid"]) == uid)
        {
            used.push(p);
        }
    }
    pods_multiline(w, "Used By", &used);
    let conditions = arr(pvc, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(
            1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.w(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    time_at(c, &["lastProbeTime"]),
                    time_at(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    describe_events(w, ctx.events, ctx.now);
}

fn describe_pv(w: &mut Pw, pv: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(pv, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(pv, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(pv, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Finalizers:\t{}\n",
            go_slice(arr(pv, &["metadata", "finalizers"]))
        ),
    );
    let class = opt_s(
        pv,
        &[
            "metadata",
            "annotations",
            "volume.beta.kubernetes.io/storage-class",
        ],
    )
    .unwrap_or_else(|| s(pv, &["spec", "storageClassName"]));
    w.w(0, &format!("StorageClass:\t{class}\n"));
    if get(pv, &["metadata", "deletionTimestamp"]).is_some() {
        w.w(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(opt_s(pv, &["metadata", "deletionTimestamp"]), ctx.now)
            ),
        );
    } else {
        w.w(0, &format!("Status:\t{}\n", s(pv, &["status", "phase"])));
    }
    match get(pv, &["spec", "claimRef"]) {
        Some(c) => w.w(
            0,
            &format!("Claim:\t{}/{}\n", s(c, &["namespace"]), s(c, &["name"])),
        ),
        None => w.w(0, "Claim:\t\n"),
    }
    w.w(
        0,
        &format!(
            "Reclaim Policy:\t{}\n",
            s(pv, &["spec", "persistentVolumeReclaimPolicy"])
        ),
    );
    w.w(
        0,
        &format!(
            "Access Modes:\t{}\n",
            super::cells::access_modes(get(pv, &["spec", "accessModes"]))
        ),
    );
    if let Some(m) = opt_s(pv, &["spec", "volumeMode"]) {
        w.w(0, &format!("VolumeMode:\t{m}\n"));
    }
    w.w(
        0,
        &format!(
            "Capacity:\t{}\n",
            quantity_string(get(pv, &["spec", "capacity", "storage"]))
        ),
    );
    w.w(0, "Node Affinity:\t");
    match get(pv, &["spec", "nodeAffinity", "required"]) {
        None => w.line("<none>"),
        Some(req) => {
            w.line("");
            w.w(1, "Required Terms:\t");
            let terms = arr(req, &["nodeSelectorTerms"]);
            if terms.is_empty() {
                w.line("<none>");
            } else {
                w.line("");
                for (n, term) in terms.iter().enumerate() {
                    w.w(2, &format!("Term {n}:\t"));
                    let exprs = arr(term, &["matchExpressions"]);
                    if exprs.is_empty() {
                        w.line("<none>");
                        continue;
                    }
                    for (k, e) in exprs.iter().enumerate() {
                        if k != 0 {
                            w.w(2, "\t");
                        }
                        let mut text =
                            format!("{} {}", s(e, &["key"]), s(e, &["operator"]).to_lowercase());
                        let values: Vec<String> = arr(e, &["values"]).iter().map(scalar).collect();
                        if !values.is_empty() {
                            text = format!("{text} [{}]", values.join(", "));
                        }
                        w.w(0, &format!("{text}\n"));
                    }
                }
            }
        }
    }
    w.w(0, &format!("Message:\t{}\n", s(pv, &["status", "message"])));
    w.w(0, "Source:\n");
    volume_source(w, get(pv, &["spec"]).unwrap_or(&Value::Null), true);
    describe_events(w, ctx.events, ctx.now);
}

fn describe_storage_class(w: &mut Pw, sc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(sc, &["metadata", "name"])));
    let default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| s(sc, &["metadata", "annotations", k]) == "true");
    w.w(
        0,
        &format!("IsDefaultClass:\t{}\n", if default { "Yes" } else { "No" }),
    );
    w.w(
        0,
        &format!(
            "Annotations:\t{}\n",
            format_labels(get(sc, &["metadata", "annotations"]))
        ),
    );
    w.w(0, &format!("Provisioner:\t{}\n", s(sc, &["provisioner"])));
    w.w(
        0,
        &format!("Parameters:\t{}\n", format_labels(get(sc, &["parameters"]))),
    );
    w.w(
        0,
        &format!(
            "AllowVolumeExpansion:\t{}\n",
            print_bool_ptr(opt_b(sc, &["allowVolumeExpansion"]))
        ),
    );
    let opts = arr(sc, &["mountOptions"]);
    if opts.is_empty() {
        w.w(0, "MountOptions:\t<none>\n");
    } else {
        w.w(0, "MountOptions:\n");
        for o in opts {
            w.w(1, &format!("{}\n", scalar(o)));
        }
    }
    if let Some(p) = opt_s(sc, &["reclaimPolicy"]) {
        w.w(0, &format!("ReclaimPolicy:\t{p}\n"));
    }
    if let Some(m) = opt_s(sc, &["volumeBindingMode"]) {
        w.w(0, &format!("VolumeBindingMode:\t{m}\n"));
    }
    if let Some(topos) = get(sc, &["allowedTopologies"]).and_then(Value::as_array) {
        w.w(0, "AllowedTopologies:\t");
        if topos.is_empty() {
            w.line("<none>");
        } else {
            w.line("");
            for (n, term) in topos.iter().enumerate() {
                w.w(1, &format!("Term {n}:\t"));
                let reqs = arr(term, &["matchLabelExpressions"]);
                if reqs.is_empty() {
                    w.line("<none>");
                    continue;
                }
                for (k, r) in reqs.iter().enumerate() {
                    if k != 0 {
                        w.w(1, "\t");
                    }
                    let mut text = format!("{} in", s(r, &["key"]));
                    let values: Vec<String> = arr(r, &["values"]).iter().map(scalar).collect();
                    if !values.is_empty() {
                        text = format!("{text} [{}]", values.join(", "));
                    }
                    w.w(0, &format!("{text}\n"));
                }
            }
        }
    }
    describe_events(w, ctx.events, ctx.now);
}

// ---------------------------------------------------------------------------------------------
// Generic (unstructured) describer.

fn describe_generic(w: &mut Pw, o: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(o, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(o, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(o, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(o, &["metadata", "annotations"]));
    if let Some(m) = o.as_object() {
        let skip = [
            ".metadata.managedFields",
            ".metadata.name",
            ".metadata.namespace",
            ".metadata.labels",
            ".metadata.annotations",
        ];
        unstructured(w, 0, m, "", &skip);
    }
    describe_events(w, ctx.events, ctx.now);
}

/// Go's `%v` of a decoded JSON value.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => go_bool(*b).to_string(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                go_float(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_value).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_value(&m[*k])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`, exponent for ≥ 1e21).
fn go_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e21).contains(&abs) {
        let text = format!("{f:e}");
        let (mant, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

fn unstructured(
    w: &mut Pw,
    level: usize,
    content: &Map<String, Value>,
    skip_prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let value = &content[field];
        let skip_expr = format!("{skip_prefix}.{field}");
        if skip.contains(&skip_expr.as_str()) {
            continue;
        }
        match value {
            Value::Object(m) => {
                w.w(level, &format!("{}:\n", smart_label(field)));
                unstructured(w, level + 1, m, &skip_expr, skip);
            }
            Value::Array(a) => {
                w.w(level, &format!("{}:\n", smart_label(field)));
                for child in a {
                    match child {
                        Value::Object(m) => unstructured(w, level + 1, m, &skip_expr, skip),
                        other => w.w(level + 1, &format!("{}\n", go_value(other))),
                    }
                }
            }
            other => w.w(
                level,
                &format!("{}:\t{}\n", smart_label(field), go_value(other)),
            ),
        }
    }
}

/// describe.go `smartLabelFor`: `apiVersion` → `API Version`, `creationTimestamp` →
/// `Creation Timestamp`.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let acronyms = ["API", "URL", "UID", "OSB", "GUID"];
    let parts: Vec<String> = camelcase_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if acronyms.contains(&upper.as_str()) {
                upper
            } else {
                let mut cs = p.chars();
                match cs.next() {
                    Some(c) => c.to_uppercase().collect::<String>() + cs.as_str(),
                    None => String::new(),
                }
            }
        })
        .collect();
    parts.join(" ")
}

/// `github.com/fatih/camelcase.Split`.
fn camelcase_split(src: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in src.chars() {
        let k = class(c);
        if k == last
            && let Some(r) = runs.last_mut()
        {
            r.push(c);
        } else {
            runs.push(vec![c]);
        }
        last = k;
    }
    for n in 0..runs.len().saturating_sub(1) {
        let (a, b) = (runs[n].clone(), runs[n + 1].clone());
        if a.last().is_some_and(|c| c.is_uppercase()) && b.first().is_some_and(|c| c.is_lowercase())
        {
            let moved = *a.last().unwrap_or(&' ');
            runs[n].pop();
            runs[n + 1].insert(0, moved);
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Go's sort.Sort (pdqsort), so unstable orderings match kubectl's.

mod pdqsort {
    //! A port of Go's `sort.Sort` (`zsortinterface.go`, Go 1.19+), on a slice with a `less`.

    #[derive(PartialEq, Eq, Clone, Copy)]
    enum Hint {
        Unknown,
        Increasing,
        Decreasing,
    }

    pub(super) fn sort<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        limit: usize,
    ) {
        pdq(v, less, a, b, limit);
    }

    fn insertion_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool, a: usize, b: usize) {
        for i in a + 1..b {
            let mut j = i;
            while j > a && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
    }

    fn sift_down<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        lo: usize,
        hi: usize,
        first: usize,
    ) {
        let mut root = lo;
        loop {
            let mut child = 2 * root + 1;
            if child >= hi {
                return;
            }
            if child + 1 < hi && less(&v[first + child], &v[first + child + 1]) {
                child += 1;
            }
            if !less(&v[first + root], &v[first + child]) {
                return;
            }
            v.swap(first + root, first + child);
            root = child;
        }
    }

    fn heap_sort<T: Copy>(v: &mut [T], less: &impl Fn(&T, &T) -> bool, a: usize, b: usize) {
        let first = a;
        let lo = 0;
        let hi = b - a;
        let mut i = (hi - 1) / 2;
        loop {
            sift_down(v, less, i, hi, first);
            if i == 0 {
                break;
            }
            i -= 1;
        }
        let mut i = hi - 1;
        loop {
            v.swap(first, first + i);
            sift_down(v, less, lo, i, first);
            if i == 0 {
                break;
            }
            i -= 1;
        }
    }

    fn pdq<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        mut a: usize,
        mut b: usize,
        mut limit: usize,
    ) {
        const MAX_INSERTION: usize = 12;
        let mut was_balanced = true;
        let mut was_partitioned = true;
        loop {
            let length = b - a;
            if length <= MAX_INSERTION {
                insertion_sort(v, less, a, b);
                return;
            }
            if limit == 0 {
                heap_sort(v, less, a, b);
                return;
            }
            if !was_balanced {
                break_patterns(v, a, b);
                limit -= 1;
            }
            let (mut pivot, mut hint) = choose_pivot(v, less, a, b);
            if hint == Hint::Decreasing {
                reverse_range(v, a, b);
                pivot = (b - 1) - (pivot - a);
                hint = Hint::Increasing;
            }
            if was_balanced
                && was_partitioned
                && hint == Hint::Increasing
                && partial_insertion_sort(v, less, a, b)
            {
                return;
            }
            if a > 0 && !less(&v[a - 1], &v[pivot]) {
                a = partition_equal(v, less, a, b, pivot);
                continue;
            }
            let (mid, already) = partition(v, less, a, b, pivot);
            was_partitioned = already;
            let (left_len, right_len) = (mid - a, b - mid);
            let balance_threshold = length / 8;
            if left_len < right_len {
                was_balanced = left_len >= balance_threshold;
                pdq(v, less, a, mid, limit);
                a = mid + 1;
            } else {
                was_balanced = right_len >= balance_threshold;
                pdq(v, less, mid + 1, b, limit);
                b = mid;
            }
        }
    }

    fn partition<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        pivot: usize,
    ) -> (usize, bool) {
        v.swap(a, pivot);
        let (mut i, mut j) = (a + 1, b - 1);
        while i <= j && less(&v[i], &v[a]) {
            i += 1;
        }
        while i <= j && !less(&v[j], &v[a]) {
            j -= 1;
        }
        if i > j {
            v.swap(j, a);
            return (j, true);
        }
        v.swap(i, j);
        i += 1;
        j -= 1;
        loop {
            while i <= j && less(&v[i], &v[a]) {
                i += 1;
            }
            while i <= j && !less(&v[j], &v[a]) {
                j -= 1;
            }
            if i > j {
                break;
            }
            v.swap(i, j);
            i += 1;
            j -= 1;
        }
        v.swap(j, a);
        (j, false)
    }

    fn partition_equal<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        pivot: usize,
    ) -> usize {
        v.swap(a, pivot);
        let (mut i, mut j) = (a + 1, b - 1);
        loop {
            while i <= j && !less(&v[a], &v[i]) {
                i += 1;
            }
            while i <= j && less(&v[a], &v[j]) {
                j -= 1;
            }
            if i > j {
                break;
            }
            v.swap(i, j);
            i += 1;
            j -= 1;
        }
        i
    }

    fn partial_insertion_sort<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
    ) -> bool {
        const MAX_STEPS: usize = 5;
        const SHORTEST_SHIFTING: usize = 50;
        let mut i = a + 1;
        for _ in 0..MAX_STEPS {
            while i < b && !less(&v[i], &v[i - 1]) {
                i += 1;
            }
            if i == b {
                return true;
            }
            if b - a < SHORTEST_SHIFTING {
                return false;
            }
            v.swap(i, i - 1);
            if i - a >= 2 {
                let mut j = i - 1;
                while j >= 1 {
                    if !less(&v[j], &v[j - 1]) {
                        break;
                    }
                    v.swap(j, j - 1);
                    j -= 1;
                }
            }
            if b - i >= 2 {
                let mut j = i + 1;
                while j < b {
                    if !less(&v[j], &v[j - 1]) {
                        break;
                    }
                    v.swap(j, j - 1);
                    j += 1;
                }
            }
        }
        false
    }

    fn break_patterns<T: Copy>(v: &mut [T], a: usize, b: usize) {
        let length = b - a;
        if length >= 8 {
            let mut random = length as u64;
            let modulus = 1u64 << (u64::BITS - (length as u64).leading_zeros());
            let idx = a + (length / 4) * 2 - 1;
            for i in 0..3 {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                let mut other = (random & (modulus - 1)) as usize;
                if other >= length {
                    other -= length;
                }
                v.swap(idx - 1 + i, a + other);
            }
        }
    }

    fn choose_pivot<T: Copy>(
        v: &mut [T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
    ) -> (usize, Hint) {
        const SHORTEST_NINTHER: usize = 50;
        const MAX_SWAPS: usize = 4 * 3;
        let l = b - a;
        let mut swaps = 0usize;
        let mut i = a + l / 4;
        let mut j = a + l / 4 * 2;
        let mut k = a + l / 4 * 3;
        if l >= 8 {
            if l >= SHORTEST_NINTHER {
                i = median_adjacent(v, less, i, &mut swaps);
                j = median_adjacent(v, less, j, &mut swaps);
                k = median_adjacent(v, less, k, &mut swaps);
            }
            j = median(v, less, i, j, k, &mut swaps);
        }
        match swaps {
            0 => (j, Hint::Increasing),
            MAX_SWAPS => (j, Hint::Decreasing),
            _ => (j, Hint::Unknown),
        }
    }

    fn order2<T: Copy>(
        v: &[T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        swaps: &mut usize,
    ) -> (usize, usize) {
        if less(&v[b], &v[a]) {
            *swaps += 1;
            (b, a)
        } else {
            (a, b)
        }
    }

    fn median<T: Copy>(
        v: &[T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        b: usize,
        c: usize,
        swaps: &mut usize,
    ) -> usize {
        let (a, b) = order2(v, less, a, b, swaps);
        let (b, c) = order2(v, less, b, c, swaps);
        let (_, b) = order2(v, less, a, b, swaps);
        let _ = c;
        b
    }

    fn median_adjacent<T: Copy>(
        v: &[T],
        less: &impl Fn(&T, &T) -> bool,
        a: usize,
        swaps: &mut usize,
    ) -> usize {
        median(v, less, a - 1, a, a + 1, swaps)
    }

    fn reverse_range<T: Copy>(v: &mut [T], a: usize, b: usize) {
        let (mut i, mut j) = (a, b - 1);
        while i < j {
            v.swap(i, j);
            i += 1;
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> Timestamp {
        "2026-11-21T23:40:00Z".parse().unwrap()
    }

    fn ago(secs: i64) -> String {
        let t = now() - jiff::SignedDuration::from_secs(secs);
        t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    fn ctx<'a>(events: &'a [Value], related: &'a [Value]) -> DescribeCtx<'a> {
        DescribeCtx {
            now: now(),
            events,
            related,
        }
    }

    fn nginx_template(image: &str, hash: Option<&str>) -> Value {
        let mut labels = json!({"app": "nginx"});
        if let Some(h) = hash {
            labels["pod-template-hash"] = json!(h);
        }
        json!({
            "metadata": {"labels": labels},
            "spec": {
                "containers": [{
                    "name": "nginx",
                    "image": image,
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "imagePullPolicy": "IfNotPresent"
                }],
                "restartPolicy": "Always",
                "dnsPolicy": "ClusterFirst"
            }
        })
    }

    #[test]
    fn deployment_matches_observed_layout() {
        let deploy = json!({
            "kind": "Deployment",
            "metadata": {
                "name": "nginx", "namespace": "default", "uid": "d-1",
                "creationTimestamp": "2026-11-20T22:36:57Z",
                "labels": {"app": "nginx"},
                "annotations": {"deployment.kubernetes.io/revision": "2"}
            },
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": nginx_template("nginx:1.25", None),
                "strategy": {"type": "RollingUpdate",
                             "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
            },
            "status": {
                "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3,
                "unavailableReplicas": 1,
                "conditions": [
                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                    {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}
                ]
            }
        });
        let owner =
            json!([{"kind": "Deployment", "name": "nginx", "uid": "d-1", "controller": true}]);
        let rs = |name: &str, image: &str, hash: &str, created: &str, n: i64| {
            json!({
                "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": "default", "creationTimestamp": created,
                             "ownerReferences": owner},
                "spec": {"replicas": n, "template": nginx_template(image, Some(hash))},
                "status": {"replicas": n}
            })
        };
        let related = vec![
            rs(
                "nginx-bbb222",
                "nginx:1.25",
                "bbb222",
                "2026-11-21T23:30:00Z",
                3,
            ),
            rs(
                "nginx-aaa111",
                "nginx:1.24",
                "aaa111",
                "2026-11-20T22:36:57Z",
                0,
            ),
            // Not owned: ignored.
            json!({"kind": "ReplicaSet", "metadata": {"name": "other"}, "spec": {}}),
        ];
        let events = vec![
            json!({
                "metadata": {"name": "nginx.2", "namespace": "default"},
                "type": "Normal", "reason": "ScalingReplicaSet",
                "message": "Scaled up replica set nginx-bbb222 to 1",
                "source": {"component": "deployment-controller"},
                "firstTimestamp": ago(401), "lastTimestamp": ago(96), "count": 4
            }),
            json!({
                "metadata": {"name": "nginx.1", "namespace": "default"},
                "type": "Normal", "reason": "ScalingReplicaSet",
                "message": "Scaled up replica set nginx-aaa111 to 3\n",
                "source": {"component": "deployment-controller"},
                "firstTimestamp": ago(61 * 60), "lastTimestamp": ago(61 * 60), "count": 1
            }),
        ];
        let expected = "\
Name:                   nginx
Namespace:              default
CreationTimestamp:      Fri, 20 Nov 2026 22:36:57 +0000
Labels:                 app=nginx
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=nginx
Replicas:               3 desired | 1 updated | 4 total | 3 available | 1 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    ReplicaSetUpdated
OldReplicaSets:  nginx-aaa111 (0/0 replicas created)
NewReplicaSet:   nginx-bbb222 (3/3 replicas created)
Events:
  Type    Reason             Age                  From                   Message
  ----    ------             ----                 ----                   -------
  Normal  ScalingReplicaSet  61m                  deployment-controller  Scaled up replica set nginx-aaa111 to 3
  Normal  ScalingReplicaSet  96s (x4 over 6m41s)  deployment-controller  Scaled up replica set nginx-bbb222 to 1
";
        assert_eq!(
            describe("Deployment", &deploy, &ctx(&events, &related)),
            expected
        );
    }

    fn web_pod() -> Value {
        json!({
            "kind": "Pod",
            "metadata": {
                "name": "web", "namespace": "default", "uid": "p-1",
                "labels": {"tier": "fe", "app": "web"},
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc",
                                     "uid": "rs-1", "controller": true, "blockOwnerDeletion": true}]
            },
            "spec": {
                "priority": 0,
                "serviceAccountName": "default",
                "nodeName": "node1",
                "containers": [{
                    "name": "web", "image": "nginx:1.25",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "env": [{"name": "MODE", "value": "prod"}],
                    "resources": {"requests": {"cpu": "0.1", "memory": "64Mi"}}
                }],
                "tolerations": [
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                     "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                     "effect": "NoExecute", "tolerationSeconds": 300}
                ]
            },
            "status": {
                "phase": "Running",
                "hostIP": "10.0.0.1",
                "podIP": "10.244.0.6",
                "podIPs": [{"ip": "10.244.0.6"}],
                "startTime": "2026-11-21T23:27:04Z",
                "conditions": [
                    {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "False"},
                    {"type": "ContainersReady", "status": "False"},
                    {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [{
                    "name": "web", "ready": false, "restartCount": 5,
                    "image": "nginx:1.25",
                    "imageID": "docker.io/library/nginx@sha256:abc",
                    "containerID": "containerd://123",
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                        "startedAt": "2026-11-21T23:34:54Z", "finishedAt": "2026-11-21T23:34:59Z"}}
                }]
            }
        })
    }

    #[test]
    fn pod_matches_observed_layout() {
        let expected = "\
Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node1/10.0.0.1
Start Time:       Sat, 21 Nov 2026 23:27:04 +0000
Labels:           app=web
                  tier=fe
Annotations:      <none>
Status:           Running
IP:               10.244.0.6
IPs:
  IP:           10.244.0.6
Controlled By:  ReplicaSet/web-abc
Containers:
  web:
    Container ID:   containerd://123
    Image:          nginx:1.25
    Image ID:       docker.io/library/nginx@sha256:abc
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Sat, 21 Nov 2026 23:34:54 +0000
      Finished:     Sat, 21 Nov 2026 23:34:59 +0000
    Ready:          False
    Restart Count:  5
    Requests:
      cpu:     100m
      memory:  64Mi
    Environment:
      MODE:  prod
    Mounts:  <none>
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:            <none>
QoS Class:          Burstable
Node-Selectors:     <none>
Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:             <none>
";
        assert_eq!(describe("Pod", &web_pod(), &ctx(&[], &[])), expected);
    }

    #[test]
    fn rollout_history_template_uses_raw_tabs() {
        let expected = "Pod Template:\n  Labels:\tapp=nginx\n\tpod-template-hash=aaa111\n  Containers:\n   nginx:\n    Image:\tnginx:1.24\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n";
        assert_eq!(
            rollout_history_template(&nginx_template("nginx:1.24", Some("aaa111"))),
            expected
        );
    }

    /// Fixtures checked against the real kubectl 1.33 binary (`describe` against a stub API
    /// server serving these objects): the expected text is kubectl's output, except where
    /// kubectl's own order is random (ConfigMap data, LimitRange resources: sorted here), the
    /// stub differed from a real server (NotFound wording of the Lease, pod list order), or
    /// the wall clock moved a second during the run.
    const ORACLE: &[(&str, &str, &str)] = &[
        (
            "pod",
            r#"{"events":[{"count":1,"firstTimestamp":"2026-11-19T00:14:59Z","involvedObject":{"kind":"Pod","name":"rich","namespace":"default","uid":"u-rich"},"kind":"Event","lastTimestamp":"2026-11-19T00:14:59Z","message":"Successfully assigned default/rich to node1","metadata":{"name":"rich.1","namespace":"default"},"reason":"Scheduled","source":{"component":"default-scheduler"},"type":"Normal"},{"count":7,"firstTimestamp":"2026-11-20T00:04:59Z","involvedObject":{"kind":"Pod","name":"rich","namespace":"default","uid":"u-rich"},"kind":"Event","lastTimestamp":"2026-11-21T23:14:59Z","message":"Back-off restarting failed container","metadata":{"name":"rich.2","namespace":"default"},"reason":"BackOff","source":{"component":"kubelet"},"type":"Warning"},{"count":1,"firstTimestamp":"2026-11-21T22:14:59Z","involvedObject":{"kind":"Pod","name":"rich","namespace":"default","uid":"u-rich"},"kind":"Event","lastTimestamp":"2026-11-21T22:14:59Z","message":"Container image \"app:1\" already present","metadata":{"name":"rich.3","namespace":"default"},"reason":"Pulled","source":{"component":"kubelet"},"type":"Normal"}],"kind":"Pod","now":"2026-11-22T00:15:07Z","obj":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","multi":"line1\nline2\n","short":"v"},"creationTimestamp":"2026-11-19T00:14:59Z","labels":{"app":"rich","pod-template-hash":"abc"},"name":"rich","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"rich-abc","uid":"u-rs"}],"uid":"u-rich"},"spec":{"containers":[{"args":["--port","8080"],"env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}},{"name":"CPU","valueFrom":{"resourceFieldRef":{"divisor":"1m","resource":"limits.cpu"}}},{"name":"MEM","valueFrom":{"resourceFieldRef":{"divisor":"1Mi","resource":"requests.memory"}}},{"name":"PASS","valueFrom":{"secretKeyRef":{"key":"pw","name":"sec"}}},{"name":"MODE","valueFrom":{"configMapKeyRef":{"key":"mode","name":"cfg","optional":true}}},{"name":"MULTI","value":"a\nb"}],"envFrom":[{"configMapRef":{"name":"cfg"}},{"prefix":"S_","secretRef":{"name":"sec","optional":true}}],"image":"app:1","livenessProbe":{"failureThreshold":3,"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":3,"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1},"name":"app","ports":[{"containerPort":8080,"name":"http","protocol":"TCP"},{"containerPort":9090,"hostPort":9090,"protocol":"UDP"}],"readinessProbe":{"exec":{"command":["cat","/tmp/ready"]},"failureThreshold":3,"periodSeconds":5,"successThreshold":1,"timeoutSeconds":1},"resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"500m","memory":"128Mi"}},"startupProbe":{"failureThreshold":30,"periodSeconds":10,"successThreshold":1,"tcpSocket":{"port":"http"},"timeoutSeconds":1},"volumeMounts":[{"mountPath":"/data","name":"data"},{"mountPath":"/etc/cfg","name":"cfg","readOnly":true,"subPath":"app.conf"},{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-x1","readOnly":true}]}],"initContainers":[{"command":["sh","-c","echo hi\nsleep 1"],"image":"busybox","name":"init","resources":{}}],"nodeName":"node1","nodeSelector":{"disk":"ssd","zone":"a"},"priority":1000,"priorityClassName":"high","serviceAccountName":"builder","tolerations":[{"operator":"Exists"},{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"gpu"},{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}],"topologySpreadConstraints":[{"labelSelector":{"matchLabels":{"app":"rich"}},"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}],"volumes":[{"emptyDir":{},"name":"data"},{"emptyDir":{"medium":"Memory","sizeLimit":"1Gi"},"name":"cache"},{"configMap":{"defaultMode":420,"name":"cfg"},"name":"cfg"},{"name":"sec","secret":{"optional":true,"secretName":"sec"}},{"name":"claim","persistentVolumeClaim":{"claimName":"data-claim"}},{"hostPath":{"path":"/var/log","type":"Directory"},"name":"host"},{"downwardAPI":{"items":[{"fieldRef":{"fieldPath":"metadata.labels"},"path":"labels"}]},"name":"dapi"},{"name":"kube-api-access-x1","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}}]},"status":{"conditions":[{"status":"True","type":"PodReadyToStartContainers"},{"status":"True","type":"Initialized"},{"status":"True","type":"Ready"},{"status":"True","type":"ContainersReady"},{"status":"True","type":"PodScheduled"}],"containerStatuses":[{"containerID":"containerd://c1","image":"app:1","imageID":"docker.io/app@sha256:2","lastState":{"terminated":{"exitCode":137,"finishedAt":"2026-11-20T00:14:54Z","message":"killed","reason":"OOMKilled","signal":9,"startedAt":"2026-11-19T00:14:59Z"}},"name":"app","ready":true,"restartCount":1,"state":{"running":{"startedAt":"2026-11-20T00:14:59Z"}}}],"hostIP":"10.0.0.1","initContainerStatuses":[{"containerID":"containerd://i1","image":"busybox","imageID":"docker.io/busybox@sha256:1","name":"init","ready":true,"restartCount":0,"state":{"terminated":{"exitCode":0,"finishedAt":"2026-11-19T00:15:01Z","reason":"Completed","startedAt":"2026-11-19T00:14:59Z"}}}],"phase":"Running","podIP":"10.244.1.5","podIPs":[{"ip":"10.244.1.5"}],"qosClass":"Guaranteed","startTime":"2026-11-19T00:14:59Z"}},"related":[]}"#,
            r#"Name:                 rich
Namespace:            default
Priority:             1000
Priority Class Name:  high
Service Account:      builder
Node:                 node1/10.0.0.1
Start Time:           Thu, 19 Nov 2026 00:14:59 +0000
Labels:               app=rich
                      pod-template-hash=abc
Annotations:          long:
                        xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
                      multi:
                        line1
                        line2
                      short: v
Status:               Running
IP:                   10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/rich-abc
Init Containers:
  init:
    Container ID:  containerd://i1
    Image:         busybox
    Image ID:      docker.io/busybox@sha256:1
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo hi
      sleep 1
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Thu, 19 Nov 2026 00:14:59 +0000
      Finished:     Thu, 19 Nov 2026 00:15:01 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Containers:
  app:
    Container ID:  containerd://c1
    Image:         app:1
    Image ID:      docker.io/app@sha256:2
    Ports:         8080/TCP, 9090/UDP
    Host Ports:    0/TCP, 9090/UDP
    Args:
      --port
      8080
    State:          Running
      Started:      Fri, 20 Nov 2026 00:14:59 +0000
    Last State:     Terminated
      Reason:       OOMKilled
      Message:      killed
      Exit Code:    137
      Signal:       9
      Started:      Thu, 19 Nov 2026 00:14:59 +0000
      Finished:     Fri, 20 Nov 2026 00:14:54 +0000
    Ready:          True
    Restart Count:  1
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:      500m
      memory:   128Mi
    Liveness:   http-get http://:8080/healthz delay=3s timeout=1s period=10s #success=1 #failure=3
    Readiness:  exec [cat /tmp/ready] delay=0s timeout=1s period=5s #success=1 #failure=3
    Startup:    tcp-socket :http delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment Variables from:
      cfg  ConfigMap                Optional: false
      sec  Secret with prefix 'S_'  Optional: true
    Environment:
      POD_NAME:  rich (v1:metadata.name)
      POD_IP:     (v1:status.podIP)
      CPU:       500 (limits.cpu)
      MEM:       128 (requests.memory)
      PASS:      <set to the key 'pw' in secret 'sec'>        Optional: false
      MODE:      <set to the key 'mode' of config map 'cfg'>  Optional: true
      MULTI:     a
                 b
    Mounts:
      /data from data (rw)
      /etc/cfg from cfg (ro,path="app.conf")
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x1 (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  data:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  cache:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     Memory
    SizeLimit:  1Gi
  cfg:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      cfg
    Optional:  false
  sec:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  sec
    Optional:    true
  claim:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  data-claim
    ReadOnly:   false
  host:
    Type:          HostPath (bare host directory volume)
    Path:          /var/log
    HostPathType:  Directory
  dapi:
    Type:  DownwardAPI (a volume populated by information about the pod)
    Items:
      metadata.labels -> labels
  kube-api-access-x1:
    Type:                     Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:   3607
    ConfigMapName:            kube-root-ca.crt
    Optional:                 false
    DownwardAPI:              true
QoS Class:                    Guaranteed
Node-Selectors:               disk=ssd
                              zone=a
Tolerations:                  op=Exists
                              dedicated=gpu:NoSchedule
                              node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Topology Spread Constraints:  zone:DoNotSchedule when max skew 1 is exceeded for selector app=rich
Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  3d                default-scheduler  Successfully assigned default/rich to node1
  Normal   Pulled     120m              kubelet            Container image "app:1" already present
  Warning  BackOff    60m (x7 over 2d)  kubelet            Back-off restarting failed container
"#,
        ),
        (
            "pend",
            r#"{"events":[],"kind":"Pod","now":"2026-11-22T00:15:08Z","obj":{"apiVersion":"v1","kind":"Pod","metadata":{"deletionGracePeriodSeconds":30,"deletionTimestamp":"2026-11-22T00:15:19Z","name":"pend","namespace":"default","uid":"u-pend"},"spec":{"containers":[{"image":"nginx","name":"c","resources":{"requests":{"cpu":"100m"}}}],"readinessGates":[{"conditionType":"example.com/gate"}]},"status":{"conditions":[{"status":"False","type":"PodScheduled"}],"containerStatuses":[{"image":"nginx","imageID":"","name":"c","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}],"message":"0/1 nodes are available","phase":"Pending","reason":"Unschedulable"}},"related":[]}"#,
            r#"Name:                      pend
Namespace:                 default
Node:                      <none>
Labels:                    <none>
Annotations:               <none>
Status:                    Terminating (lasts <invalid>)
Termination Grace Period:  30s
Reason:                    Unschedulable
Message:                   0/1 nodes are available
IP:                        
IPs:                       <none>
Containers:
  c:
    Container ID:   
    Image:          nginx
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
      Reason:       ContainerCreating
    Ready:          False
    Restart Count:  0
    Requests:
      cpu:        100m
    Environment:  <none>
    Mounts:       <none>
Readiness Gates:
  Type               Status
  example.com/gate   <none> 
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
"#,
        ),
        (
            "rs",
            r#"{"events":[{"count":1,"firstTimestamp":"2026-11-21T23:08:19Z","involvedObject":{"kind":"ReplicaSet","name":"web-abc","namespace":"default","uid":"u-rs1"},"kind":"Event","lastTimestamp":"2026-11-21T23:08:19Z","message":"Created pod: web-abc-1","metadata":{"name":"web-abc.1","namespace":"default"},"reason":"SuccessfulCreate","source":{"component":"replicaset-controller"},"type":"Normal"}],"kind":"ReplicaSet","now":"2026-11-22T00:15:09Z","obj":{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"annotations":{"deployment.kubernetes.io/desired-replicas":"3","deployment.kubernetes.io/revision":"1"},"labels":{"app":"web","pod-template-hash":"abc"},"name":"web-abc","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"Deployment","name":"web","uid":"u-d"}],"uid":"u-rs1"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","pod-template-hash":"abc"}},"template":{"metadata":{"annotations":{"note":"hello"},"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"N","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"image":"nginx:1.25","name":"web","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]}],"priorityClassName":"low","serviceAccountName":"sa1","tolerations":[{"effect":"NoSchedule","key":"k","operator":"Equal","value":"v"}],"volumes":[{"emptyDir":{},"name":"v"}]}}},"status":{"conditions":[{"reason":"FailedCreate","status":"True","type":"ReplicaFailure"}],"replicas":3}},"related":[{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-abc-1","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"web-abc","uid":"u-rs1"}],"uid":"u-web-abc-1"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-abc-2","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"web-abc","uid":"u-rs1"}],"uid":"u-web-abc-2"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Pending"}},{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-abc-3","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"web-abc","uid":"u-rs1"}],"uid":"u-web-abc-3"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Failed"}},{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"stray","namespace":"default","ownerReferences":[],"uid":"u-stray"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Running"}}]}"#,
            r#"Name:           web-abc
Namespace:      default
Selector:       app=web,pod-template-hash=abc
Labels:         app=web
                pod-template-hash=abc
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    1 Running / 1 Waiting / 0 Succeeded / 1 Failed
Pod Template:
  Labels:           app=web
  Annotations:      note: hello
  Service Account:  sa1
  Containers:
   web:
    Image:       nginx:1.25
    Ports:       80/TCP, 443/TCP
    Host Ports:  0/TCP, 0/TCP
    Environment:
      A:  1
      N:   (v1:metadata.name)
    Mounts:
      /v from v (rw)
  Volumes:
   v:
    Type:               EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:             
    SizeLimit:          <unset>
  Priority Class Name:  low
  Node-Selectors:       <none>
  Tolerations:          k=v:NoSchedule
Conditions:
  Type             Status  Reason
  ----             ------  ------
  ReplicaFailure   True    FailedCreate
Events:
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
  Normal  SuccessfulCreate  66m   replicaset-controller  Created pod: web-abc-1
"#,
        ),
        (
            "rc",
            r#"{"events":[],"kind":"ReplicationController","now":"2026-11-22T00:15:10Z","obj":{"apiVersion":"v1","kind":"ReplicationController","metadata":{"labels":{"app":"old"},"name":"old","namespace":"default","uid":"u-rc"},"spec":{"replicas":2,"selector":{"app":"old"},"template":{"metadata":{"labels":{"app":"old"}},"spec":{"containers":[{"command":["sleep","3600"],"image":"busybox","name":"c"}]}}},"status":{"replicas":1}},"related":[{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"old-1","namespace":"default","ownerReferences":[{"apiVersion":"v1","controller":true,"kind":"ReplicationController","name":"old","uid":"u-rc"}],"uid":"u-old-1"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Running"}}]}"#,
            r#"Name:         old
Namespace:    default
Selector:     app=old
Labels:       app=old
Annotations:  <none>
Replicas:     1 current / 2 desired
Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=old
  Containers:
   c:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Command:
      sleep
      3600
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
"#,
        ),
        (
            "node",
            r#"{"events":[{"count":1,"firstTimestamp":"2026-11-20T00:14:59Z","involvedObject":{"kind":"Node","name":"node1","namespace":"","uid":"u-node1"},"kind":"Event","lastTimestamp":"2026-11-20T00:14:59Z","message":"Node node1 status is now: NodeReady","metadata":{"name":"node1.1","namespace":"default"},"reason":"NodeReady","source":{"component":"kubelet"},"type":"Normal"}],"kind":"Node","now":"2026-11-22T00:15:11Z","obj":{"apiVersion":"v1","kind":"Node","metadata":{"annotations":{"node.alpha.kubernetes.io/ttl":"0"},"creationTimestamp":"2026-01-02T03:04:05Z","labels":{"kubernetes.io/hostname":"node1","kubernetes.io/os":"linux","node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":""},"name":"node1","uid":"u-node1"},"spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"],"providerID":"kubesim://node1","taints":[{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane"},{"effect":"NoExecute","key":"dedicated","value":"gpu"}]},"status":{"addresses":[{"address":"10.0.0.1","type":"InternalIP"},{"address":"node1","type":"Hostname"}],"allocatable":{"cpu":"3800m","ephemeral-storage":"95Gi","example.com/dongle":"2","hugepages-2Mi":"0","memory":"15Gi","pods":"110"},"capacity":{"cpu":"4","ephemeral-storage":"100Gi","example.com/dongle":"2","hugepages-2Mi":"0","memory":"16Gi","pods":"110"},"conditions":[{"lastHeartbeatTime":"2026-11-22T00:14:29Z","lastTransitionTime":"2026-01-02T03:04:05Z","message":"kubelet has sufficient memory available","reason":"KubeletHasSufficientMemory","status":"False","type":"MemoryPressure"},{"lastHeartbeatTime":"2026-11-22T00:14:29Z","lastTransitionTime":"2026-01-02T03:04:15Z","message":"kubelet is posting ready status","reason":"KubeletReady","status":"True","type":"Ready"}],"nodeInfo":{"architecture":"amd64","bootID":"b1","containerRuntimeVersion":"containerd://1.7","kernelVersion":"6.1","kubeProxyVersion":"","kubeletVersion":"v1.33.0","machineID":"m1","operatingSystem":"linux","osImage":"Ubuntu","systemUUID":"s1"}}},"related":[{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T22:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-1","namespace":"default","ownerReferences":[],"uid":"u-web-1"},"spec":{"containers":[{"image":"x","name":"c","resources":{"limits":{"cpu":"1","memory":"128Mi"},"requests":{"cpu":"250m","memory":"64Mi"}}}],"nodeName":"node1"},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-17T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"dns","namespace":"kube-system","ownerReferences":[],"uid":"u-dns"},"spec":{"containers":[{"image":"x","name":"c","resources":{"limits":{"example.com/dongle":"1","memory":"170Mi"},"requests":{"cpu":"100m","example.com/dongle":"1","memory":"70Mi"}}}],"nodeName":"node1"},"status":{"phase":"Running"}},{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-22T00:13:19Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"bare","namespace":"default","ownerReferences":[],"uid":"u-bare"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Pending"}}]}"#,
            r#"Name:               node1
Roles:              control-plane,worker
Labels:             kubernetes.io/hostname=node1
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
                    node-role.kubernetes.io/worker=
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Fri, 02 Jan 2026 03:04:05 +0000
Taints:             dedicated=gpu:NoExecute
                    node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:              Failed to get lease: leases.coordination.k8s.io "node1" not found
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Sun, 22 Nov 2026 00:14:29 +0000   Fri, 02 Jan 2026 03:04:05 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Sun, 22 Nov 2026 00:14:29 +0000   Fri, 02 Jan 2026 03:04:15 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  10.0.0.1
  Hostname:    node1
Capacity:
  cpu:                 4
  ephemeral-storage:   100Gi
  example.com/dongle:  2
  hugepages-2Mi:       0
  memory:              16Gi
  pods:                110
Allocatable:
  cpu:                 3800m
  ephemeral-storage:   95Gi
  example.com/dongle:  2
  hugepages-2Mi:       0
  memory:              15Gi
  pods:                110
System Info:
  Machine ID:                 m1
  System UUID:                s1
  Boot ID:                    b1
  Kernel Version:             6.1
  OS Image:                   Ubuntu
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://1.7
  Kubelet Version:            v1.33.0
  Kube-Proxy Version:         
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
ProviderID:                   kubesim://node1
Non-terminated Pods:          (3 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     bare     0 (0%)        0 (0%)      0 (0%)           0 (0%)         112s
  default                     web-1    250m (6%)     1 (26%)     64Mi (0%)        128Mi (0%)     120m
  kube-system                 dns      100m (2%)     0 (0%)      70Mi (0%)        170Mi (1%)     5d
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource            Requests    Limits
  --------            --------    ------
  cpu                 350m (9%)   1 (26%)
  memory              134Mi (0%)  298Mi (1%)
  ephemeral-storage   0 (0%)      0 (0%)
  hugepages-2Mi       0 (0%)      0 (0%)
  example.com/dongle  1           1
Events:
  Type    Reason     Age   From     Message
  ----    ------     ----  ----     -------
  Normal  NodeReady  2d    kubelet  Node node1 status is now: NodeReady
"#,
        ),
        (
            "nodelease",
            r#"{"events":[],"kind":"Node","now":"2026-11-22T00:15:11Z","obj":{"apiVersion":"v1","kind":"Node","metadata":{"annotations":{"node.alpha.kubernetes.io/ttl":"0"},"creationTimestamp":"2026-01-02T03:04:05Z","labels":{"kubernetes.io/hostname":"node1","kubernetes.io/os":"linux","node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":""},"name":"node1","uid":"u-node1"},"spec":{"podCIDR":"10.244.1.0/24","podCIDRs":["10.244.1.0/24"],"providerID":"kubesim://node1","taints":[{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane"},{"effect":"NoExecute","key":"dedicated","value":"gpu"}]},"status":{"addresses":[{"address":"10.0.0.1","type":"InternalIP"},{"address":"node1","type":"Hostname"}],"allocatable":{"cpu":"3800m","ephemeral-storage":"95Gi","example.com/dongle":"2","hugepages-2Mi":"0","memory":"15Gi","pods":"110"},"capacity":{"cpu":"4","ephemeral-storage":"100Gi","example.com/dongle":"2","hugepages-2Mi":"0","memory":"16Gi","pods":"110"},"conditions":[{"lastHeartbeatTime":"2026-11-22T00:14:29Z","lastTransitionTime":"2026-01-02T03:04:05Z","message":"kubelet has sufficient memory available","reason":"KubeletHasSufficientMemory","status":"False","type":"MemoryPressure"},{"lastHeartbeatTime":"2026-11-22T00:14:29Z","lastTransitionTime":"2026-01-02T03:04:15Z","message":"kubelet is posting ready status","reason":"KubeletReady","status":"True","type":"Ready"}],"nodeInfo":{"architecture":"amd64","bootID":"b1","containerRuntimeVersion":"containerd://1.7","kernelVersion":"6.1","kubeProxyVersion":"","kubeletVersion":"v1.33.0","machineID":"m1","operatingSystem":"linux","osImage":"Ubuntu","systemUUID":"s1"}}},"related":[{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T22:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-1","namespace":"default","ownerReferences":[],"uid":"u-web-1"},"spec":{"containers":[{"image":"x","name":"c","resources":{"limits":{"cpu":"1","memory":"128Mi"},"requests":{"cpu":"250m","memory":"64Mi"}}}],"nodeName":"node1"},"status":{"phase":"Running"}},{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node1","namespace":"kube-node-lease"},"spec":{"holderIdentity":"node1","leaseDurationSeconds":40,"renewTime":"2026-11-21T23:39:50.123456Z"}}]}"#,
            r#"Name:               node1
Roles:              control-plane,worker
Labels:             kubernetes.io/hostname=node1
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
                    node-role.kubernetes.io/worker=
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Fri, 02 Jan 2026 03:04:05 +0000
Taints:             dedicated=gpu:NoExecute
                    node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  node1
  AcquireTime:     <unset>
  RenewTime:       Sat, 21 Nov 2026 23:39:50 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Sun, 22 Nov 2026 00:14:29 +0000   Fri, 02 Jan 2026 03:04:05 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Sun, 22 Nov 2026 00:14:29 +0000   Fri, 02 Jan 2026 03:04:15 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  10.0.0.1
  Hostname:    node1
Capacity:
  cpu:                 4
  ephemeral-storage:   100Gi
  example.com/dongle:  2
  hugepages-2Mi:       0
  memory:              16Gi
  pods:                110
Allocatable:
  cpu:                 3800m
  ephemeral-storage:   95Gi
  example.com/dongle:  2
  hugepages-2Mi:       0
  memory:              15Gi
  pods:                110
System Info:
  Machine ID:                 m1
  System UUID:                s1
  Boot ID:                    b1
  Kernel Version:             6.1
  OS Image:                   Ubuntu
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://1.7
  Kubelet Version:            v1.33.0
  Kube-Proxy Version:         
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
ProviderID:                   kubesim://node1
Non-terminated Pods:          (1 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     web-1    250m (6%)     1 (26%)     64Mi (0%)        128Mi (0%)     120m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource            Requests   Limits
  --------            --------   ------
  cpu                 250m (6%)  1 (26%)
  memory              64Mi (0%)  128Mi (0%)
  ephemeral-storage   0 (0%)     0 (0%)
  hugepages-2Mi       0 (0%)     0 (0%)
  example.com/dongle  0          0
Events:               <none>
"#,
        ),
        (
            "svc",
            r#"{"events":[],"kind":"Service","now":"2026-11-22T00:15:12Z","obj":{"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default","uid":"u-svc"},"spec":{"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"externalTrafficPolicy":"Cluster","internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","ports":[{"name":"http","nodePort":30080,"port":80,"protocol":"TCP","targetPort":8080},{"name":"metrics","nodePort":30090,"port":9090,"protocol":"TCP","targetPort":"metrics"}],"selector":{"app":"web"},"sessionAffinity":"None","type":"NodePort"},"status":{"loadBalancer":{}}},"related":[{"addressType":"IPv4","apiVersion":"discovery.k8s.io/v1","endpoints":[{"addresses":["10.244.1.1"],"conditions":{"ready":true}},{"addresses":["10.244.1.2"],"conditions":{"ready":true}},{"addresses":["10.244.1.3"],"conditions":{"ready":false}},{"addresses":["10.244.1.4"],"conditions":{"ready":true}},{"addresses":["10.244.1.5"],"conditions":{"ready":true}},{"addresses":["10.244.1.6"],"conditions":{"ready":true}}],"kind":"EndpointSlice","metadata":{"labels":{"kubernetes.io/service-name":"web"},"name":"web-x","namespace":"default"},"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"metrics","port":9091,"protocol":"TCP"}]}]}"#,
            r#"Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.0.10
IPs:                      10.96.0.10
Port:                     http  80/TCP
TargetPort:               8080/TCP
NodePort:                 http  30080/TCP
Endpoints:                10.244.1.1:8080,10.244.1.2:8080,10.244.1.4:8080 + 2 more...
Port:                     metrics  9090/TCP
TargetPort:               metrics/TCP
NodePort:                 metrics  30090/TCP
Endpoints:                10.244.1.1:9091,10.244.1.2:9091,10.244.1.4:9091 + 2 more...
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
"#,
        ),
        (
            "svc2",
            r#"{"events":[],"kind":"Service","now":"2026-11-22T00:15:13Z","obj":{"apiVersion":"v1","kind":"Service","metadata":{"name":"db","namespace":"default"},"spec":{"clusterIP":"None","ports":[{"port":5432,"protocol":"TCP","targetPort":5432}],"selector":{"app":"db"},"sessionAffinity":"None","type":"ClusterIP"}},"related":[]}"#,
            r#"Name:              db
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          app=db
Type:              ClusterIP
IP Families:       <none>
IP:                None
IPs:               <none>
Port:              <unset>  5432/TCP
TargetPort:        5432/TCP
Endpoints:         <none>
Session Affinity:  None
Events:            <none>
"#,
        ),
        (
            "cm",
            r#"{"events":[],"kind":"ConfigMap","now":"2026-11-22T00:15:14Z","obj":{"apiVersion":"v1","binaryData":{"blob":"AAECAwQ="},"data":{"app.conf":"x=1\ny=2\n","mode":"prod"},"kind":"ConfigMap","metadata":{"labels":{"a":"b"},"name":"cfg","namespace":"default"}},"related":[]}"#,
            r#"Name:         cfg
Namespace:    default
Labels:       a=b
Annotations:  <none>

Data
====
app.conf:
----
x=1
y=2


mode:
----
prod


BinaryData
====
blob: 5 bytes

Events:  <none>
"#,
        ),
        (
            "secret",
            r#"{"events":[],"kind":"Secret","now":"2026-11-22T00:15:15Z","obj":{"apiVersion":"v1","data":{"pw":"aHVudGVyMg==","username":"YWRtaW4="},"kind":"Secret","metadata":{"name":"sec","namespace":"default"},"type":"Opaque"},"related":[]}"#,
            r#"Name:         sec
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
pw:        7 bytes
username:  5 bytes
"#,
        ),
        (
            "job",
            r#"{"events":[],"kind":"Job","now":"2026-11-22T00:15:16Z","obj":{"apiVersion":"batch/v1","kind":"Job","metadata":{"labels":{"batch.kubernetes.io/job-name":"pi"},"name":"pi","namespace":"default","ownerReferences":[{"apiVersion":"batch/v1","controller":true,"kind":"CronJob","name":"pi-cron","uid":"u-cj"}],"uid":"u-job"},"spec":{"backoffLimit":6,"completionMode":"Indexed","completions":3,"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u-job"}},"suspend":false,"template":{"metadata":{"labels":{"batch.kubernetes.io/job-name":"pi"}},"spec":{"containers":[{"command":["perl","-e","print 1"],"image":"perl","name":"pi"}],"restartPolicy":"Never"}}},"status":{"completedIndexes":"0-2","completionTime":"2026-11-22T00:09:59Z","ready":0,"startTime":"2026-11-22T00:04:59Z","succeeded":3}},"related":[]}"#,
            r#"Name:               pi
Namespace:          default
Selector:           batch.kubernetes.io/controller-uid=u-job
Labels:             batch.kubernetes.io/job-name=pi
Annotations:        <none>
Controlled By:      CronJob/pi-cron
Parallelism:        1
Completions:        3
Completion Mode:    Indexed
Suspend:            false
Backoff Limit:      6
Start Time:         Sun, 22 Nov 2026 00:04:59 +0000
Completed At:       Sun, 22 Nov 2026 00:09:59 +0000
Duration:           5m
Pods Statuses:      0 Active (0 Ready) / 3 Succeeded / 0 Failed
Completed Indexes:  0-2
Pod Template:
  Labels:  batch.kubernetes.io/job-name=pi
  Containers:
   pi:
    Image:      perl
    Port:       <none>
    Host Port:  <none>
    Command:
      perl
      -e
      print 1
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
"#,
        ),
        (
            "cj",
            r#"{"events":[],"kind":"CronJob","now":"2026-11-22T00:15:17Z","obj":{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"pi-cron","namespace":"default"},"spec":{"concurrencyPolicy":"Allow","failedJobsHistoryLimit":1,"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"image":"perl","name":"pi"}],"restartPolicy":"OnFailure"}}}},"schedule":"*/5 * * * *","successfulJobsHistoryLimit":3,"suspend":false},"status":{"active":[{"kind":"Job","name":"pi-1","namespace":"default"},{"kind":"Job","name":"pi-2","namespace":"default"}],"lastScheduleTime":"2026-11-22T00:12:59Z"}},"related":[]}"#,
            r#"Name:                          pi-cron
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      */5 * * * *
Concurrency Policy:            Allow
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Pod Template:
  Labels:  <none>
  Containers:
   pi:
    Image:           perl
    Port:            <none>
    Host Port:       <none>
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
Last Schedule Time:  Sun, 22 Nov 2026 00:12:59 +0000
Active Jobs:         pi-1, pi-2
Events:              <none>
"#,
        ),
        (
            "ds",
            r#"{"events":[],"kind":"DaemonSet","now":"2026-11-22T00:15:18Z","obj":{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"fluentd","namespace":"default","uid":"u-ds"},"spec":{"selector":{"matchLabels":{"app":"fluentd"}},"template":{"metadata":{"labels":{"app":"fluentd"}},"spec":{"containers":[{"image":"fluentd","name":"f"}],"nodeSelector":{"os":"linux"}}}},"status":{"currentNumberScheduled":2,"desiredNumberScheduled":2,"numberAvailable":1,"numberMisscheduled":0,"updatedNumberScheduled":1}},"related":[{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-21T00:14:59Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"fluentd-a","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","controller":true,"kind":"DaemonSet","name":"fluentd","uid":"u-ds"}],"uid":"u-fluentd-a"},"spec":{"containers":[{"image":"x","name":"c","resources":{}}],"nodeName":"node1"},"status":{"phase":"Running"}}]}"#,
            r#"Name:           fluentd
Namespace:      default
Selector:       app=fluentd
Node-Selector:  os=linux
Labels:         <none>
Annotations:    <none>
Desired Number of Nodes Scheduled: 2
Current Number of Nodes Scheduled: 2
Number of Nodes Scheduled with Up-to-date Pods: 1
Number of Nodes Scheduled with Available Pods: 1
Number of Nodes Misscheduled: 0
Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=fluentd
  Containers:
   f:
    Image:         fluentd
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  os=linux
  Tolerations:     <none>
Events:            <none>
"#,
        ),
        (
            "ss",
            r#"{"events":[],"kind":"StatefulSet","now":"2026-11-22T00:15:19Z","obj":{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"creationTimestamp":"2026-11-01T00:00:00Z","name":"web","namespace":"default","uid":"u-ss"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"image":"postgres","name":"db","volumeMounts":[{"mountPath":"/var/lib/pg","name":"data"}]}]}},"updateStrategy":{"rollingUpdate":{"partition":0},"type":"RollingUpdate"},"volumeClaimTemplates":[{"metadata":{"labels":{"x":"y"},"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"standard"}}]},"status":{"replicas":2}},"related":[]}"#,
            r#"Name:               web
Namespace:          default
CreationTimestamp:  Sun, 01 Nov 2026 00:00:00 +0000
Selector:           app=db
Labels:             <none>
Annotations:        <none>
Replicas:           2 desired | 2 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=db
  Containers:
   db:
    Image:        postgres
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:
      /var/lib/pg from data (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          data
  StorageClass:  standard
  Labels:        x=y
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:          <none>
"#,
        ),
        (
            "pvc",
            r#"{"events":[],"kind":"PersistentVolumeClaim","now":"2026-11-22T00:15:20Z","obj":{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"annotations":{"pv.kubernetes.io/bind-completed":"yes"},"finalizers":["kubernetes.io/pvc-protection"],"name":"data-claim","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"standard","volumeMode":"Filesystem","volumeName":"pv-1"},"status":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"phase":"Bound"}},"related":[{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","multi":"line1\nline2\n","short":"v"},"creationTimestamp":"2026-11-19T00:14:59Z","labels":{"app":"rich","pod-template-hash":"abc"},"name":"rich","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"rich-abc","uid":"u-rs"}],"uid":"u-rich"},"spec":{"containers":[{"args":["--port","8080"],"env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}},{"name":"CPU","valueFrom":{"resourceFieldRef":{"divisor":"1m","resource":"limits.cpu"}}},{"name":"MEM","valueFrom":{"resourceFieldRef":{"divisor":"1Mi","resource":"requests.memory"}}},{"name":"PASS","valueFrom":{"secretKeyRef":{"key":"pw","name":"sec"}}},{"name":"MODE","valueFrom":{"configMapKeyRef":{"key":"mode","name":"cfg","optional":true}}},{"name":"MULTI","value":"a\nb"}],"envFrom":[{"configMapRef":{"name":"cfg"}},{"prefix":"S_","secretRef":{"name":"sec","optional":true}}],"image":"app:1","livenessProbe":{"failureThreshold":3,"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":3,"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1},"name":"app","ports":[{"containerPort":8080,"name":"http","protocol":"TCP"},{"containerPort":9090,"hostPort":9090,"protocol":"UDP"}],"readinessProbe":{"exec":{"command":["cat","/tmp/ready"]},"failureThreshold":3,"periodSeconds":5,"successThreshold":1,"timeoutSeconds":1},"resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"500m","memory":"128Mi"}},"startupProbe":{"failureThreshold":30,"periodSeconds":10,"successThreshold":1,"tcpSocket":{"port":"http"},"timeoutSeconds":1},"volumeMounts":[{"mountPath":"/data","name":"data"},{"mountPath":"/etc/cfg","name":"cfg","readOnly":true,"subPath":"app.conf"},{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"kube-api-access-x1","readOnly":true}]}],"initContainers":[{"command":["sh","-c","echo hi\nsleep 1"],"image":"busybox","name":"init","resources":{}}],"nodeName":"node1","nodeSelector":{"disk":"ssd","zone":"a"},"priority":1000,"priorityClassName":"high","serviceAccountName":"builder","tolerations":[{"operator":"Exists"},{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"gpu"},{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}],"topologySpreadConstraints":[{"labelSelector":{"matchLabels":{"app":"rich"}},"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}],"volumes":[{"emptyDir":{},"name":"data"},{"emptyDir":{"medium":"Memory","sizeLimit":"1Gi"},"name":"cache"},{"configMap":{"defaultMode":420,"name":"cfg"},"name":"cfg"},{"name":"sec","secret":{"optional":true,"secretName":"sec"}},{"name":"claim","persistentVolumeClaim":{"claimName":"data-claim"}},{"hostPath":{"path":"/var/log","type":"Directory"},"name":"host"},{"downwardAPI":{"items":[{"fieldRef":{"fieldPath":"metadata.labels"},"path":"labels"}]},"name":"dapi"},{"name":"kube-api-access-x1","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}}]},"status":{"conditions":[{"status":"True","type":"PodReadyToStartContainers"},{"status":"True","type":"Initialized"},{"status":"True","type":"Ready"},{"status":"True","type":"ContainersReady"},{"status":"True","type":"PodScheduled"}],"containerStatuses":[{"containerID":"containerd://c1","image":"app:1","imageID":"docker.io/app@sha256:2","lastState":{"terminated":{"exitCode":137,"finishedAt":"2026-11-20T00:14:54Z","message":"killed","reason":"OOMKilled","signal":9,"startedAt":"2026-11-19T00:14:59Z"}},"name":"app","ready":true,"restartCount":1,"state":{"running":{"startedAt":"2026-11-20T00:14:59Z"}}}],"hostIP":"10.0.0.1","initContainerStatuses":[{"containerID":"containerd://i1","image":"busybox","imageID":"docker.io/busybox@sha256:1","name":"init","ready":true,"restartCount":0,"state":{"terminated":{"exitCode":0,"finishedAt":"2026-11-19T00:15:01Z","reason":"Completed","startedAt":"2026-11-19T00:14:59Z"}}}],"phase":"Running","podIP":"10.244.1.5","podIPs":[{"ip":"10.244.1.5"}],"qosClass":"Guaranteed","startTime":"2026-11-19T00:14:59Z"}}]}"#,
            r#"Name:          data-claim
Namespace:     default
StorageClass:  standard
Status:        Bound
Volume:        pv-1
Labels:        <none>
Annotations:   pv.kubernetes.io/bind-completed: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      1Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       rich
Events:        <none>
"#,
        ),
        (
            "pv",
            r#"{"events":[],"kind":"PersistentVolume","now":"2026-11-22T00:15:21Z","obj":{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"finalizers":["kubernetes.io/pv-protection"],"name":"pv-1"},"spec":{"accessModes":["ReadWriteOnce","ReadOnlyMany"],"capacity":{"storage":"1Gi"},"claimRef":{"name":"data-claim","namespace":"default"},"hostPath":{"path":"/tmp/pv-1","type":""},"nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["node1","node2"]},{"key":"disk","operator":"Exists"}]}]}},"persistentVolumeReclaimPolicy":"Delete","storageClassName":"standard","volumeMode":"Filesystem"},"status":{"phase":"Bound"}},"related":[]}"#,
            r#"Name:              pv-1
Labels:            <none>
Annotations:       <none>
Finalizers:        [kubernetes.io/pv-protection]
StorageClass:      standard
Status:            Bound
Claim:             default/data-claim
Reclaim Policy:    Delete
Access Modes:      RWO,ROX
VolumeMode:        Filesystem
Capacity:          1Gi
Node Affinity:     
  Required Terms:  
    Term 0:        kubernetes.io/hostname in [node1, node2]
                   disk exists
Message:           
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /tmp/pv-1
    HostPathType:  
Events:            <none>
"#,
        ),
        (
            "sc",
            r#"{"events":[],"kind":"StorageClass","now":"2026-11-22T00:15:22Z","obj":{"allowVolumeExpansion":true,"allowedTopologies":[{"matchLabelExpressions":[{"key":"zone","values":["a","b"]}]}],"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"},"name":"standard"},"parameters":{"type":"ssd"},"provisioner":"kubesim.io/hostpath","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer"},"related":[]}"#,
            r#"Name:                  standard
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           kubesim.io/hostpath
Parameters:            type=ssd
AllowVolumeExpansion:  True
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
AllowedTopologies:     
  Term 0:              zone in [a, b]
Events:                <none>
"#,
        ),
        (
            "ns",
            r#"{"events":[],"kind":"Namespace","now":"2026-11-22T00:15:23Z","obj":{"apiVersion":"v1","kind":"Namespace","metadata":{"labels":{"kubernetes.io/metadata.name":"team"},"name":"team"},"status":{"phase":"Active"}},"related":[{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"team"},"spec":{"hard":{"pods":"10","requests.cpu":"2"},"scopes":["NotBestEffort"]},"status":{"hard":{"pods":"10","requests.cpu":"2","requests.memory":"1Gi"},"used":{"pods":"3","requests.cpu":"500m","requests.memory":"256Mi"}}},{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"lr","namespace":"team"},"spec":{"limits":[{"default":{"cpu":"500m"},"defaultRequest":{"cpu":"100m","memory":"64Mi"},"max":{"memory":"1Gi"},"type":"Container"}]}}]}"#,
            r#"Name:         team
Labels:       kubernetes.io/metadata.name=team
Annotations:  <none>
Status:       Active

Resource Quotas
  Name:    q
  Scopes:  NotBestEffort
  * Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.
  Resource         Used   Hard
  --------         ---    ---
  pods             3      10
  requests.cpu     500m   2
  requests.memory  256Mi  1Gi

Resource Limits
 Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
 ----       --------  ---  ---  ---------------  -------------  -----------------------
 Container  cpu       -    -    100m             500m           -
 Container  memory    -    1Gi  64Mi             -              -
"#,
        ),
        (
            "ns2",
            r#"{"events":[],"kind":"Namespace","now":"2026-11-22T00:15:23Z","obj":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"empty"},"status":{"phase":"Active"}},"related":[]}"#,
            r#"Name:         empty
Labels:       <none>
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"#,
        ),
        (
            "quota",
            r#"{"events":[],"kind":"ResourceQuota","now":"2026-11-22T00:15:24Z","obj":{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"team"},"spec":{"hard":{"pods":"10","requests.cpu":"2"},"scopes":["NotBestEffort"]},"status":{"hard":{"pods":"10","requests.cpu":"2","requests.memory":"1Gi"},"used":{"pods":"3","requests.cpu":"500m","requests.memory":"256Mi"}}},"related":[]}"#,
            r#"Name:       q
Namespace:  team
Scopes:     NotBestEffort
 * Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.
Resource         Used   Hard
--------         ----   ----
pods             3      10
requests.cpu     500m   2
requests.memory  256Mi  1Gi
"#,
        ),
        (
            "sa",
            r#"{"events":[],"kind":"ServiceAccount","now":"2026-11-22T00:15:25Z","obj":{"apiVersion":"v1","imagePullSecrets":[{"name":"regcred"}],"kind":"ServiceAccount","metadata":{"name":"builder","namespace":"default","uid":"u-sa"},"secrets":[{"name":"gone"},{"name":"sec"}]},"related":[{"apiVersion":"v1","data":{"pw":"aHVudGVyMg==","username":"YWRtaW4="},"kind":"Secret","metadata":{"name":"sec","namespace":"default"},"type":"Opaque"}]}"#,
            r#"Name:                builder
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  regcred (not found)
Mountable secrets:   gone (not found)
                     sec
Tokens:              <none>
Events:              <none>
"#,
        ),
        (
            "ep",
            r#"{"events":[],"kind":"Endpoints","now":"2026-11-22T00:15:26Z","obj":{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"default"},"subsets":[{"addresses":[{"ip":"10.244.1.1"},{"ip":"10.244.1.2"}],"notReadyAddresses":[{"ip":"10.244.1.3"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}]},"related":[]}"#,
            r#"Name:         web
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.244.1.1,10.244.1.2
  NotReadyAddresses:  10.244.1.3
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    http     8080  TCP
    <unset>  53    UDP

Events:  <none>
"#,
        ),
        (
            "cr",
            r#"{"events":[],"kind":"ControllerRevision","now":"2026-11-22T00:15:27Z","obj":{"apiVersion":"apps/v1","data":{"spec":{"big":1e+22,"flag":true,"list":["a","b",[1,2]],"nothing":null,"replicas":1.5,"template":{"spec":{"containers":[{"image":"postgres","name":"db","ports":[{"containerPort":5432}]}]}}}},"kind":"ControllerRevision","metadata":{"creationTimestamp":"2026-11-01T00:00:00Z","labels":{"app":"db"},"name":"web-7d","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"StatefulSet","name":"web","uid":"u-ss"}],"resourceVersion":"12","uid":"u-cr"},"revision":1},"related":[]}"#,
            r#"Name:         web-7d
Namespace:    default
Labels:       app=db
Annotations:  <none>
API Version:  apps/v1
Data:
  Spec:
    Big:   1e+22
    Flag:  true
    List:
      a
      b
      [1 2]
    Nothing:   <nil>
    Replicas:  1.5
    Template:
      Spec:
        Containers:
          Image:  postgres
          Name:   db
          Ports:
            Container Port:  5432
Kind:                        ControllerRevision
Metadata:
  Creation Timestamp:  2026-11-01T00:00:00Z
  Owner References:
    API Version:           apps/v1
    Block Owner Deletion:  true
    Controller:            true
    Kind:                  StatefulSet
    Name:                  web
    UID:                   u-ss
  Resource Version:        12
  UID:                     u-cr
Revision:                  1
Events:                    <none>
"#,
        ),
        (
            "deploy",
            r#"{"events":[{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 0","metadata":{"name":"web.00","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 1","metadata":{"name":"web.01","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-21T23:53:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-21T23:53:59Z","message":"msg 2","metadata":{"name":"web.02","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 3","metadata":{"name":"web.03","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 4","metadata":{"name":"web.04","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-21T23:53:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-21T23:53:59Z","message":"msg 5","metadata":{"name":"web.05","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 6","metadata":{"name":"web.06","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 7","metadata":{"name":"web.07","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-21T23:53:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-21T23:53:59Z","message":"msg 8","metadata":{"name":"web.08","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 9","metadata":{"name":"web.09","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 10","metadata":{"name":"web.10","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-21T23:53:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-21T23:53:59Z","message":"msg 11","metadata":{"name":"web.11","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 12","metadata":{"name":"web.12","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 13","metadata":{"name":"web.13","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-21T23:53:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-21T23:53:59Z","message":"msg 14","metadata":{"name":"web.14","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 15","metadata":{"name":"web.15","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 16","metadata":{"name":"web.16","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-21T23:53:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-21T23:53:59Z","message":"msg 17","metadata":{"name":"web.17","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:13:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:13:59Z","message":"msg 18","metadata":{"name":"web.18","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"},{"count":1,"firstTimestamp":"2026-11-22T00:03:59Z","involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u-d"},"kind":"Event","lastTimestamp":"2026-11-22T00:03:59Z","message":"msg 19","metadata":{"name":"web.19","namespace":"default"},"reason":"ScalingReplicaSet","source":{"component":"deployment-controller"},"type":"Normal"}],"kind":"Deployment","now":"2026-11-22T00:15:28Z","obj":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"deployment.kubernetes.io/revision":"1","kubectl.kubernetes.io/last-applied-configuration":"{}"},"creationTimestamp":"2026-11-01T00:00:00Z","labels":{"app":"web"},"name":"web","namespace":"default","uid":"u-d"},"spec":{"minReadySeconds":5,"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":"50%","maxUnavailable":1},"type":"RollingUpdate"},"template":{"metadata":{"annotations":{"note":"hello"},"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"N","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"image":"nginx:1.25","name":"web","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]}],"priorityClassName":"low","serviceAccountName":"sa1","tolerations":[{"effect":"NoSchedule","key":"k","operator":"Equal","value":"v"}],"volumes":[{"emptyDir":{},"name":"v"}]}}},"status":{"availableReplicas":3,"replicas":3,"updatedReplicas":3}},"related":[{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"annotations":{"deployment.kubernetes.io/desired-replicas":"3","deployment.kubernetes.io/revision":"1"},"creationTimestamp":"2026-11-01T00:00:00Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-abc","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"Deployment","name":"web","uid":"u-d"}],"uid":"u-rs1"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","pod-template-hash":"abc"}},"template":{"metadata":{"annotations":{"note":"hello"},"labels":{"app":"web","pod-template-hash":"abc"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"N","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"image":"nginx:1.25","name":"web","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]}],"priorityClassName":"low","serviceAccountName":"sa1","tolerations":[{"effect":"NoSchedule","key":"k","operator":"Equal","value":"v"}],"volumes":[{"emptyDir":{},"name":"v"}]}}},"status":{"conditions":[{"reason":"FailedCreate","status":"True","type":"ReplicaFailure"}],"replicas":3}},{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"annotations":{"deployment.kubernetes.io/desired-replicas":"3","deployment.kubernetes.io/revision":"1"},"creationTimestamp":"2026-10-01T00:00:00Z","labels":{"app":"web","pod-template-hash":"abc"},"name":"web-old","namespace":"default","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"Deployment","name":"web","uid":"u-d"}],"uid":"u-rs0"},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"web","pod-template-hash":"abc"}},"template":{"metadata":{"annotations":{"note":"hello"},"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"N","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],"image":"nginx:1.24","name":"web","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/v","name":"v"}]}],"priorityClassName":"low","serviceAccountName":"sa1","tolerations":[{"effect":"NoSchedule","key":"k","operator":"Equal","value":"v"}],"volumes":[{"emptyDir":{},"name":"v"}]}}},"status":{"replicas":0}}]}"#,
            r#"Name:                   web
Namespace:              default
CreationTimestamp:      Sun, 01 Nov 2026 00:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        5
RollingUpdateStrategy:  1 max unavailable, 50% max surge
Pod Template:
  Labels:           app=web
  Annotations:      note: hello
  Service Account:  sa1
  Containers:
   web:
    Image:       nginx:1.25
    Ports:       80/TCP, 443/TCP
    Host Ports:  0/TCP, 0/TCP
    Environment:
      A:  1
      N:   (v1:metadata.name)
    Mounts:
      /v from v (rw)
  Volumes:
   v:
    Type:               EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:             
    SizeLimit:          <unset>
  Priority Class Name:  low
  Node-Selectors:       <none>
  Tolerations:          k=v:NoSchedule
OldReplicaSets:         web-old (0/0 replicas created)
NewReplicaSet:          web-abc (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  21m   deployment-controller  msg 8
  Normal  ScalingReplicaSet  21m   deployment-controller  msg 17
  Normal  ScalingReplicaSet  21m   deployment-controller  msg 2
  Normal  ScalingReplicaSet  21m   deployment-controller  msg 14
  Normal  ScalingReplicaSet  21m   deployment-controller  msg 11
  Normal  ScalingReplicaSet  21m   deployment-controller  msg 5
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 10
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 16
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 19
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 1
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 7
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 4
  Normal  ScalingReplicaSet  11m   deployment-controller  msg 13
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 12
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 3
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 15
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 0
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 9
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 18
  Normal  ScalingReplicaSet  89s   deployment-controller  msg 6
"#,
        ),
    ];

    #[test]
    fn matches_kubectl_oracle() {
        for (name, scenario, expected) in ORACLE {
            let sc: Value = serde_json::from_str(scenario).unwrap();
            let now: Timestamp = sc["now"].as_str().unwrap().parse().unwrap();
            let events = sc["events"].as_array().cloned().unwrap_or_default();
            let related = sc["related"].as_array().cloned().unwrap_or_default();
            let ctx = DescribeCtx {
                now,
                events: &events,
                related: &related,
            };
            let got = describe(sc["kind"].as_str().unwrap(), &sc["obj"], &ctx);
            assert_eq!(&got, expected, "scenario {name}");
        }
    }

    #[test]
    fn probe_summaries() {
        let cases = [
            (
                json!({"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "timeoutSeconds": 1,
                       "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}),
                "http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3",
            ),
            (
                json!({"httpGet": {"host": "::1", "path": "a b", "port": "web", "scheme": "HTTPS"}}),
                "http-get https://[::1]:web/a%20b delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
            (
                json!({"exec": {"command": ["cat", "/tmp/x"]}, "initialDelaySeconds": 5}),
                "exec [cat /tmp/x] delay=5s timeout=0s period=0s #success=0 #failure=0",
            ),
            (
                json!({"tcpSocket": {"port": 5432}}),
                "tcp-socket :5432 delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
            (
                json!({"grpc": {"port": 9000, "service": "health"}}),
                "grpc <pod>:9000 health delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
        ];
        for (probe, want) in cases {
            assert_eq!(describe_probe(&probe), want);
        }
    }

    #[test]
    fn quantity_sums_keep_the_first_format() {
        let sum = |xs: &[&str]| {
            let mut q = Qty::zero();
            for x in xs {
                q.add(Qty::parse(x).unwrap());
            }
            q.string()
        };
        assert_eq!(sum(&["100m", "250m"]), "350m");
        assert_eq!(sum(&["64Mi", "70Mi"]), "134Mi");
        assert_eq!(sum(&["1", "500m"]), "1500m");
        assert_eq!(sum(&["1Gi", "1Gi"]), "2Gi");
        assert_eq!(sum(&["1000", "1048"]), "2048");
        assert_eq!(sum(&["1Ki", "1000"]), "2024");
        assert_eq!(sum(&[]), "0");
        assert_eq!(Qty::parse("1.5").unwrap().milli(), 1500);
        assert_eq!(Qty::parse("1m").unwrap().value(), 1);
    }

    #[test]
    fn service_endpoints_from_an_endpoints_object() {
        let svc = json!({"metadata": {"name": "web", "namespace": "default"},
            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.5", "sessionAffinity": "None",
                     "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}});
        let ep = json!({"kind": "Endpoints", "metadata": {"name": "web"}, "subsets": [{
            "addresses": [{"ip": "10.244.0.1"}, {"ip": "10.244.0.2"}],
            "notReadyAddresses": [{"ip": "10.244.0.3"}],
            "ports": [{"port": 8080, "protocol": "TCP"}]}]});
        let related = [ep];
        let out = describe("Service", &svc, &ctx(&[], &related));
        assert!(
            out.contains("Endpoints:         10.244.0.1:8080,10.244.0.2:8080\n"),
            "{out}"
        );
        let out = describe("Service", &svc, &ctx(&[], &[]));
        assert!(out.contains("Endpoints:         <none>\n"), "{out}");
    }
}
