//! `kubectl describe`'s machinery, byte for byte as kubectl 1.33 prints it: the parts of
//! `kubernetes/kubectl:pkg/describe/describe.go` that know no kind. Each kind's describer
//! lives in `src/kinds/<kind>/describe.rs`; the sections several kinds share (events,
//! containers, volumes, the pod template, the generic describer) in `src/kinds/common/describe/`.
//!
//! Mechanics reproduced exactly:
//! - describe.go's *prefix writer* [`Pw`] (level n = 2n leading spaces, `Key:\tvalue` pairs), with
//!   kubectl's terminal escaping (ESC → `^[`, CR → `\r`), fed through the Go tabwriter clone
//!   [`crate::print::tabwriter`] with the [`DESCRIBE`] configuration (minwidth 0, tabwidth 8,
//!   padding 2): runs of lines containing TABs are aligned as one block.
//! - Times are RFC 1123 with numeric zone (`Mon, 02 Jan 2006 15:04:05 -0700`), in UTC
//!   (`+0000`); a missing time prints Go's zero time `Mon, 01 Jan 0001 00:00:00 +0000`.
//! - Go map iteration order (Secret / ConfigMap data, LimitRange resources) is random in
//!   kubectl; here it is sorted by key so output is deterministic.
//! - JSON fields read as Go zero values when missing; Go's `%v`, `%q` and `sort.Sort`
//!   ([`go_sort`], a pdqsort port, so unstable orderings match kubectl's).

mod pdqsort;
pub mod quantity;

pub use quantity::*;

use jiff::Timestamp;
use serde_json::Map;
use serde_json::Value;

use crate::print::age::parse_timestamp;
use crate::print::tabwriter::DESCRIBE;
use crate::print::tabwriter::Writer;

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

/// describe.go's `prefixWriter` (+ `nestedPrefixWriter` through `nest`) over either the
/// describe tabwriter or a plain buffer.
pub struct Pw {
    tab: Option<Writer>,
    raw: String,
    /// Extra levels of a nested writer (`nestedPrefixWriter`).
    pub nest: usize,
}

impl Pw {
    pub fn tabbed() -> Pw {
        Pw {
            tab: Some(Writer::new(DESCRIBE)),
            raw: String::new(),
            nest: 0,
        }
    }

    pub fn raw() -> Pw {
        Pw {
            tab: None,
            raw: String::new(),
            nest: 0,
        }
    }

    pub fn emit(&mut self, text: &str) {
        // printers.WriteEscaped
        let escaped = text.replace('\x1b', "^[").replace('\r', "\\r");
        match &mut self.tab {
            Some(t) => t.write(&escaped),
            None => self.raw.push_str(&escaped),
        }
    }

    /// `Write(level, ...)`: the text after `2 * level` spaces.
    pub fn w(&mut self, level: usize, text: &str) {
        let prefix = "  ".repeat(level + self.nest);
        self.emit(&format!("{prefix}{text}"));
    }

    /// `WriteLine(text)`: the text and a newline (a nested writer indents it).
    pub fn line(&mut self, text: &str) {
        let prefix = "  ".repeat(self.nest);
        self.emit(&format!("{prefix}{text}\n"));
    }

    pub fn flush(&mut self) {
        if let Some(t) = &mut self.tab {
            t.flush();
        }
    }

    pub fn finish(mut self) -> String {
        match &mut self.tab {
            Some(t) => {
                t.flush();
                t.take_output()
            }
            None => self.raw,
        }
    }
}

pub fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.as_object()?.get(*p)?;
        if cur.is_null() {
            return None;
        }
    }
    Some(cur)
}

pub fn opt_s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

pub fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    opt_s(v, path).unwrap_or("")
}

pub fn opt_i(v: &Value, path: &[&str]) -> Option<i64> {
    let x = get(v, path)?;
    x.as_i64().or_else(|| x.as_f64().map(|f| f as i64))
}

pub fn i(v: &Value, path: &[&str]) -> i64 {
    opt_i(v, path).unwrap_or(0)
}

pub fn opt_b(v: &Value, path: &[&str]) -> Option<bool> {
    get(v, path).and_then(Value::as_bool)
}

pub fn b(v: &Value, path: &[&str]) -> bool {
    opt_b(v, path).unwrap_or(false)
}

pub fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

pub fn obj<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    get(v, path).and_then(Value::as_object)
}

/// A scalar as Go's `%v` of the string it would decode to.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A `map[string]string` as sorted pairs.
pub fn string_map(v: Option<&Value>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect(),
        _ => Vec::new(),
    };
    pairs.sort();
    pairs
}

/// Go's `%v` of a `[]string`: `[a b]`.
pub fn go_slice(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(scalar).collect();
    format!("[{}]", parts.join(" "))
}

pub fn go_bool(v: bool) -> &'static str {
    if v { "true" } else { "false" }
}

/// describe.go `printBool`.
pub fn print_bool(v: bool) -> &'static str {
    if v { "True" } else { "False" }
}

/// describe.go `printBoolPtr`.
pub fn print_bool_ptr(v: Option<bool>) -> &'static str {
    match v {
        Some(v) => print_bool(v),
        None => "<unset>",
    }
}

/// Go's `%q` for a plain string (the one in util).
pub use crate::util::go_quote;

/// An IntOrString's `String()` (`<nil>` when absent).
pub fn int_or_string(v: Option<&Value>) -> String {
    match v {
        None => "<nil>".to_string(),
        Some(v) => scalar(v),
    }
}

/// `time.Time.Format(time.RFC1123Z)` in UTC; missing/invalid → Go's zero time.
pub fn rfc1123z(ts: Option<&str>) -> String {
    match parse_timestamp(ts) {
        Some(t) => format!("{} +0000", t.strftime("%a, %d %b %Y %H:%M:%S")),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

pub fn time_at(v: &Value, path: &[&str]) -> String {
    rfc1123z(opt_s(v, path))
}

/// Go's `%v` of a decoded JSON value.
pub fn go_value(v: &Value) -> String {
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
pub fn go_float(f: f64) -> String {
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

/// `printLabelsMultilineWithIndent`.
pub fn labels_multiline_indent(
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
pub fn labels_multiline(w: &mut Pw, title: &str, labels: Option<&Value>) {
    labels_multiline_indent(w, "", title, "\t", labels);
}

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub const MAX_ANNOTATION_LEN: usize = 140;

pub fn shorten(s: &str, max: usize) -> String {
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
pub fn annotations_multiline(w: &mut Pw, title: &str, annotations: Option<&Value>) {
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

/// Go's `sort.Sort` / `sort.Slice` (pattern-defeating quicksort, not stable), so that equal
/// keys end up in the same order as in kubectl.
pub fn go_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let limit = usize::BITS - n.leading_zeros();
    pdqsort::sort(v, &less, 0, n, limit as usize);
}

/// `int64(float64(a) / float64(b) * 100)` as Go on amd64 computes it (NaN/Inf → MinInt64).
pub fn percent(a: i128, b: i128) -> i64 {
    let f = a as f64 / b as f64 * 100.0;
    if f.is_finite() { f as i64 } else { i64::MIN }
}
