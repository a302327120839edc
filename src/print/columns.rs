//! The server-side table printers behind `kubectl get`, as Kubernetes 1.33 defines them.
//!
//! A port of `kubernetes/kubernetes:pkg/printers/internalversion/printers.go` (`AddHandlers` and
//! the `printX` functions) for every kind kubesim serves, working directly on objects in the
//! API's JSON form (`serde_json::Value`, camelCase, as the API server stores them). Missing
//! fields never panic: they read as Go zero values (empty string, 0, empty list), with
//! API-server defaulting applied where a missing value would otherwise print differently
//! (`replicas` → 1, service `type` → `ClusterIP`, port `protocol` → `TCP`).
//!
//! Usage, for one group of objects of the same kind:
//! 1. [`columns`] gives the column set (header + whether it is a wide, priority ≠ 0, column);
//! 2. [`row`] (or [`row_for`] when the caller knows whether `-o wide` is on) gives one cell
//!    per column, wide ones included;
//! 3. the caller drops the cells of wide columns unless `-o wide`, then adds the
//!    NAMESPACE / label / kind-prefix decorations and aligns with the tabwriter.
//!
//! Kinds without a printer in `printers.go` (LimitRange) get the API server's default table
//! (`NAME`, `CREATED AT` with an RFC 3339 time); kinds unknown to kubesim get `NAME`, `AGE`.
//!
//! Also exported, for other printers and `describe`: [`format_labels`] (labels.FormatLabels),
//! [`format_label_selector`] (metav1.FormatLabelSelector), [`label_selector_string`] (the
//! `LabelSelectorAsSelector(..).String()` form), [`access_modes`] (GetAccessModesAsString),
//! [`layout_container_cells`] (the CONTAINERS / IMAGES wide cells), [`pod_status`] and
//! [`canonical_quantity`] (`resource.Quantity.String()`; every quantity cell goes through it).
//! [`name_column`] says which column gets the `<kind>/` prefix (not always the first: Event).

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::Value;

use super::age::{age, parse_timestamp, since};

/// One column of a `kubectl get` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header as kubectl prints it: the column name upper-cased (`UP-TO-DATE`, `PORT(S)`).
    pub header: &'static str,
    /// A priority ≠ 0 column, printed only with `-o wide`.
    pub wide: bool,
}

const fn n(header: &'static str) -> Column {
    Column {
        header,
        wide: false,
    }
}

const fn w(header: &'static str) -> Column {
    Column { header, wide: true }
}

/// The columns `kubectl get` shows for `kind` (the Kind string, e.g. `Deployment`), wide ones
/// included and in definition order (Event interleaves them). Unknown kinds get `NAME`, `AGE`.
pub fn columns(kind: &str) -> Vec<Column> {
    match kind {
        "Pod" => vec![
            n("NAME"),
            n("READY"),
            n("STATUS"),
            n("RESTARTS"),
            n("AGE"),
            w("IP"),
            w("NODE"),
            w("NOMINATED NODE"),
            w("READINESS GATES"),
        ],
        "ReplicationController" | "ReplicaSet" => vec![
            n("NAME"),
            n("DESIRED"),
            n("CURRENT"),
            n("READY"),
            n("AGE"),
            w("CONTAINERS"),
            w("IMAGES"),
            w("SELECTOR"),
        ],
        "Deployment" => vec![
            n("NAME"),
            n("READY"),
            n("UP-TO-DATE"),
            n("AVAILABLE"),
            n("AGE"),
            w("CONTAINERS"),
            w("IMAGES"),
            w("SELECTOR"),
        ],
        "StatefulSet" => vec![
            n("NAME"),
            n("READY"),
            n("AGE"),
            w("CONTAINERS"),
            w("IMAGES"),
        ],
        "DaemonSet" => vec![
            n("NAME"),
            n("DESIRED"),
            n("CURRENT"),
            n("READY"),
            n("UP-TO-DATE"),
            n("AVAILABLE"),
            n("NODE SELECTOR"),
            n("AGE"),
            w("CONTAINERS"),
            w("IMAGES"),
            w("SELECTOR"),
        ],
        "Job" => vec![
            n("NAME"),
            n("STATUS"),
            n("COMPLETIONS"),
            n("DURATION"),
            n("AGE"),
            w("CONTAINERS"),
            w("IMAGES"),
            w("SELECTOR"),
        ],
        "CronJob" => vec![
            n("NAME"),
            n("SCHEDULE"),
            n("TIMEZONE"),
            n("SUSPEND"),
            n("ACTIVE"),
            n("LAST SCHEDULE"),
            n("AGE"),
            w("CONTAINERS"),
            w("IMAGES"),
            w("SELECTOR"),
        ],
        "ConfigMap" => vec![n("NAME"), n("DATA"), n("AGE")],
        "Secret" => vec![n("NAME"), n("TYPE"), n("DATA"), n("AGE")],
        "PersistentVolumeClaim" => vec![
            n("NAME"),
            n("STATUS"),
            n("VOLUME"),
            n("CAPACITY"),
            n("ACCESS MODES"),
            n("STORAGECLASS"),
            n("VOLUMEATTRIBUTESCLASS"),
            n("AGE"),
            w("VOLUMEMODE"),
        ],
        "PersistentVolume" => vec![
            n("NAME"),
            n("CAPACITY"),
            n("ACCESS MODES"),
            n("RECLAIM POLICY"),
            n("STATUS"),
            n("CLAIM"),
            n("STORAGECLASS"),
            n("VOLUMEATTRIBUTESCLASS"),
            n("REASON"),
            n("AGE"),
            w("VOLUMEMODE"),
        ],
        "StorageClass" => vec![
            n("NAME"),
            n("PROVISIONER"),
            n("RECLAIMPOLICY"),
            n("VOLUMEBINDINGMODE"),
            n("ALLOWVOLUMEEXPANSION"),
            n("AGE"),
        ],
        "Node" => vec![
            n("NAME"),
            n("STATUS"),
            n("ROLES"),
            n("AGE"),
            n("VERSION"),
            w("INTERNAL-IP"),
            w("EXTERNAL-IP"),
            w("OS-IMAGE"),
            w("KERNEL-VERSION"),
            w("CONTAINER-RUNTIME"),
        ],
        "Namespace" => vec![n("NAME"), n("STATUS"), n("AGE")],
        "Service" => vec![
            n("NAME"),
            n("TYPE"),
            n("CLUSTER-IP"),
            n("EXTERNAL-IP"),
            n("PORT(S)"),
            n("AGE"),
            w("SELECTOR"),
        ],
        "Endpoints" => vec![n("NAME"), n("ENDPOINTS"), n("AGE")],
        "ServiceAccount" => vec![n("NAME"), n("SECRETS"), n("AGE")],
        "ResourceQuota" => vec![n("NAME"), n("REQUEST"), n("LIMIT"), n("AGE")],
        "Event" => vec![
            n("LAST SEEN"),
            n("TYPE"),
            n("REASON"),
            n("OBJECT"),
            w("SUBOBJECT"),
            w("SOURCE"),
            n("MESSAGE"),
            w("FIRST SEEN"),
            w("COUNT"),
            w("NAME"),
        ],
        "ControllerRevision" => vec![n("NAME"), n("CONTROLLER"), n("REVISION"), n("AGE")],
        "Lease" => vec![n("NAME"), n("HOLDER"), n("AGE")],
        // No printer in printers.go: the API server's default table convertor.
        "LimitRange" => vec![n("NAME"), n("CREATED AT")],
        _ => vec![n("NAME"), n("AGE")],
    }
}

/// Index (into [`columns`]) of the column kubectl prefixes with `<kind>/` when several kinds
/// are printed together or with `--show-kind`: the first column the server marks with format
/// `name`. That is NAME (index 0) for every kind except Event, whose NAME is its last, wide
/// column (so a non-wide event table gets no prefix at all).
pub fn name_column(kind: &str) -> usize {
    match kind {
        "Event" => 9,
        _ => 0,
    }
}

/// One row for `obj` (of Kind `kind`): a cell per [`columns`] entry, wide cells included.
///
/// Equivalent to `row_for(kind, obj, now, false)`: the only cell that depends on `-o wide`
/// is a LoadBalancer Service's EXTERNAL-IP (clipped to 16 characters unless wide), so callers
/// printing `-o wide` should use [`row_for`] with `wide = true`.
pub fn row(kind: &str, obj: &Value, now: Timestamp) -> Vec<String> {
    row_for(kind, obj, now, false)
}

/// Like [`row`], but told whether the table is printed with `-o wide` (the server printers'
/// `GenerateOptions.Wide`), which only changes a LoadBalancer Service's EXTERNAL-IP clipping.
pub fn row_for(kind: &str, obj: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    match kind {
        "Pod" => pod_row(obj, now),
        "ReplicationController" => replication_controller_row(obj, now),
        "ReplicaSet" => replica_set_row(obj, now),
        "Deployment" => deployment_row(obj, now),
        "StatefulSet" => stateful_set_row(obj, now),
        "DaemonSet" => daemon_set_row(obj, now),
        "Job" => job_row(obj, now),
        "CronJob" => cron_job_row(obj, now),
        "ConfigMap" => vec![
            name(obj),
            (len_of(obj, &["data"]) + len_of(obj, &["binaryData"])).to_string(),
            creation_age(obj, now),
        ],
        "Secret" => vec![
            name(obj),
            string(obj, &["type"]).to_string(),
            len_of(obj, &["data"]).to_string(),
            creation_age(obj, now),
        ],
        "PersistentVolumeClaim" => pvc_row(obj, now),
        "PersistentVolume" => pv_row(obj, now),
        "StorageClass" => storage_class_row(obj, now),
        "Node" => node_row(obj, now),
        "Namespace" => vec![
            name(obj),
            string(obj, &["status", "phase"]).to_string(),
            creation_age(obj, now),
        ],
        "Service" => service_row(obj, now, wide),
        "Endpoints" => vec![name(obj), format_endpoints(obj), creation_age(obj, now)],
        "ServiceAccount" => vec![
            name(obj),
            list(obj, &["secrets"]).len().to_string(),
            creation_age(obj, now),
        ],
        "ResourceQuota" => resource_quota_row(obj, now),
        "Event" => event_row(obj, now),
        "ControllerRevision" => controller_revision_row(obj, now),
        "LimitRange" => vec![name(obj), created_at(obj)],
        "Lease" => vec![
            name(obj),
            string(obj, &["spec", "holderIdentity"]).to_string(),
            creation_age(obj, now),
        ],
        _ => vec![name(obj), creation_age(obj, now)],
    }
}

// ---------------------------------------------------------------------------------------------
// JSON access helpers: Go zero values for anything missing or of the wrong type.

/// The value at `path`, treating JSON `null` as absent (a nil pointer in Go).
fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// The string at `path`, or `""`.
fn string<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    get(v, path).and_then(Value::as_str).unwrap_or("")
}

/// The string at `path` if present (even if empty).
fn opt_string<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

/// The integer at `path`, if present.
fn opt_int(v: &Value, path: &[&str]) -> Option<i64> {
    get(v, path).and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|f| f as i64)))
}

/// The integer at `path`, or 0.
fn int(v: &Value, path: &[&str]) -> i64 {
    opt_int(v, path).unwrap_or(0)
}

/// The boolean at `path`, if present.
fn opt_bool(v: &Value, path: &[&str]) -> Option<bool> {
    get(v, path).and_then(Value::as_bool)
}

/// The array at `path`, or an empty slice.
fn list<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The number of entries of the map (or array) at `path`.
fn len_of(v: &Value, path: &[&str]) -> usize {
    match get(v, path) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

/// A scalar rendered the way Go's `%v` / `string(x)` would show it in a cell.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A resource quantity cell: Go's `Quantity.String()`, i.e. the canonical form
/// ([`canonical_quantity`]: `0.5` → `500m`, `1024Mi` → `1Gi`); a missing one is the zero
/// quantity `0`; an unparseable one is shown verbatim.
fn quantity(v: Option<&Value>) -> String {
    let raw = match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return "0".to_string(),
    };
    canonical_quantity(&raw).unwrap_or(raw)
}

/// apimachinery `resource.Quantity` canonical form (`ParseQuantity` + `String()`): decimal
/// values get the largest SI suffix that keeps an integer mantissa (`1500m` → `1500m`,
/// `1000m` → `1`, `0.5` → `500m`, `2000` → `2k`), binary ones (`Ki`..`Ei`) the largest
/// power-of-1024 suffix (`1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`) unless the value is below 1024
/// or not whole (then decimal), exponent forms stay exponents (`1e6` → `1e6`). Precision finer
/// than `1n` rounds up. `None` when `s` is not a quantity or overflows.
pub fn canonical_quantity(s: &str) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Format {
        DecimalSi,
        BinarySi,
        DecimalExponent,
    }
    let s = s.trim();
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let num_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(num_end);
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if (int_part.is_empty() && frac_part.is_empty()) || frac_part.contains('.') {
        return None;
    }
    // value = mantissa × 10^exp10 × 1024^exp1024
    let mut mantissa: i128 = 0;
    for d in int_part.bytes().chain(frac_part.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(d - b'0'))?;
    }
    let mut exp10: i32 = -i32::try_from(frac_part.len()).ok()?;
    let (format, exp1024) = match suffix {
        "" => (Format::DecimalSi, 0),
        "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            exp10 += match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                _ => 18,
            };
            (Format::DecimalSi, 0)
        }
        "Ki" => (Format::BinarySi, 1),
        "Mi" => (Format::BinarySi, 2),
        "Gi" => (Format::BinarySi, 3),
        "Ti" => (Format::BinarySi, 4),
        "Pi" => (Format::BinarySi, 5),
        "Ei" => (Format::BinarySi, 6),
        _ => {
            let exp = suffix.strip_prefix(['e', 'E'])?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            exp10 = exp10.checked_add(exp.parse::<i32>().ok()?)?;
            (Format::DecimalExponent, 0)
        }
    };
    for _ in 0..exp1024 {
        mantissa = mantissa.checked_mul(1024)?;
    }
    // Nothing finer than nano: round up (away from zero).
    while exp10 < -9 {
        let rem = mantissa % 10;
        mantissa = mantissa / 10 + i128::from(rem != 0);
        exp10 += 1;
    }
    if mantissa == 0 {
        return Some("0".to_string());
    }
    let sign = if negative { "-" } else { "" };

    let mut format = format;
    if format == Format::BinarySi {
        // Whole value (scale 0) and |v| ≥ 1024, else shown as DecimalSI.
        let mut whole = Some(mantissa);
        if exp10 < 0 {
            let div = 10i128.checked_pow(exp10.unsigned_abs())?;
            whole = (mantissa % div == 0).then_some(mantissa / div);
        } else {
            for _ in 0..exp10 {
                whole = whole.and_then(|w| w.checked_mul(10));
            }
        }
        match whole {
            Some(w) if w >= 1024 => {
                let mut w = w;
                let mut e = 0usize;
                while w % 1024 == 0 && e < 6 {
                    w /= 1024;
                    e += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e];
                return Some(format!("{sign}{w}{suffix}"));
            }
            _ => format = Format::DecimalSi,
        }
    }

    // Decimal: strip factors of 10, then lower the exponent to a multiple of 3.
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exp10 += 1;
    }
    match exp10.rem_euclid(3) {
        1 => {
            mantissa = mantissa.checked_mul(10)?;
            exp10 -= 1;
        }
        2 => {
            mantissa = mantissa.checked_mul(100)?;
            exp10 -= 2;
        }
        _ => {}
    }
    let suffix = match format {
        Format::DecimalExponent if exp10 == 0 => String::new(),
        Format::DecimalExponent => format!("e{exp10}"),
        _ => match exp10 {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return None,
        }
        .to_string(),
    };
    Some(format!("{sign}{mantissa}{suffix}"))
}

fn name(obj: &Value) -> String {
    string(obj, &["metadata", "name"]).to_string()
}

/// AGE: HumanDuration since `metadata.creationTimestamp`, `<unknown>` when zero.
fn creation_age(obj: &Value, now: Timestamp) -> String {
    age(opt_string(obj, &["metadata", "creationTimestamp"]), now)
}

/// The default table convertor's CREATED AT cell: creationTimestamp in UTC, RFC 3339.
fn created_at(obj: &Value) -> String {
    let ts = opt_string(obj, &["metadata", "creationTimestamp"])
        .and_then(|s| s.trim().parse::<Timestamp>().ok());
    match ts {
        Some(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => "0001-01-01T00:00:00Z".to_string(),
    }
}

fn is_deleting(obj: &Value) -> bool {
    get(obj, &["metadata", "deletionTimestamp"]).is_some()
}

fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    get(obj, &["metadata", "annotations", key]).and_then(Value::as_str)
}

/// A non-negative-or-defaulted `spec.replicas` (API defaulting sets 1 when unset).
fn replicas(obj: &Value) -> i64 {
    opt_int(obj, &["spec", "replicas"]).unwrap_or(1)
}

// ---------------------------------------------------------------------------------------------
// Shared formatting helpers.

/// apimachinery `labels.FormatLabels`: `k=v` pairs sorted (as whole strings) and joined by
/// `,`, or `<none>` when there are none. Accepts a JSON object (labels, nodeSelector, RC
/// selector); anything else counts as empty.
pub fn format_labels(labels: Option<&Value>) -> String {
    let mut pairs: Vec<String> = match labels {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", scalar(v)))
            .collect(),
        _ => Vec::new(),
    };
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs.sort();
    pairs.join(",")
}

/// Why a label selector could not be turned into a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
struct InvalidSelector;

/// `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key, joined by `,`
/// (`app=web`, `tier in (a,b)`, `env notin (x)`, `k`, `!k`). Both a missing and an empty
/// selector give the empty string; an invalid one (bad operator, bad key/value, wrong number
/// of values) is an error.
fn selector_string(sel: Option<&Value>) -> Result<String, InvalidSelector> {
    let Some(sel) = sel else {
        return Ok(String::new()); // labels.Nothing()
    };
    let match_labels = match get(sel, &["matchLabels"]) {
        Some(Value::Object(m)) => m.iter().collect::<Vec<_>>(),
        Some(_) => return Err(InvalidSelector),
        None => Vec::new(),
    };
    let exprs = list(sel, &["matchExpressions"]);
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in match_labels {
        let v = v.as_str().ok_or(InvalidSelector)?;
        if !is_qualified_name(k) || !is_valid_label_value(v) {
            return Err(InvalidSelector);
        }
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for expr in exprs {
        let key = string(expr, &["key"]);
        let mut values = Vec::new();
        for v in list(expr, &["values"]) {
            values.push(v.as_str().ok_or(InvalidSelector)?.to_string());
        }
        if !is_qualified_name(key) || !values.iter().all(|v| is_valid_label_value(v)) {
            return Err(InvalidSelector);
        }
        let rendered = match string(expr, &["operator"]) {
            op @ ("In" | "NotIn") => {
                if values.is_empty() {
                    return Err(InvalidSelector);
                }
                values.sort();
                let word = if op == "In" { "in" } else { "notin" };
                format!("{key} {word} ({})", values.join(","))
            }
            op @ ("Exists" | "DoesNotExist") => {
                if !values.is_empty() {
                    return Err(InvalidSelector);
                }
                if op == "Exists" {
                    key.to_string()
                } else {
                    format!("!{key}")
                }
            }
            _ => return Err(InvalidSelector),
        };
        reqs.push((key.to_string(), rendered));
    }
    // selector.Add sorts requirements by key.
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(reqs
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Vec<_>>()
        .join(","))
}

/// apimachinery `metav1.FormatLabelSelector`: the selector string, `<none>` when it selects
/// nothing or everything (missing / empty), `<error>` when it is invalid.
pub fn format_label_selector(sel: Option<&Value>) -> String {
    match selector_string(sel) {
        Ok(s) if s.is_empty() => "<none>".to_string(),
        Ok(s) => s,
        Err(InvalidSelector) => "<error>".to_string(),
    }
}

/// The Deployment printer's wide SELECTOR: `LabelSelectorAsSelector(sel).String()`, i.e. the
/// same text as [`format_label_selector`] but empty for a missing/empty selector and
/// `<invalid>` for an invalid one.
pub fn label_selector_string(sel: Option<&Value>) -> String {
    selector_string(sel).unwrap_or_else(|InvalidSelector| "<invalid>".to_string())
}

/// core helper `GetAccessModesAsString`: the access modes of a PV/PVC (a JSON array of
/// strings) abbreviated, de-duplicated, in the fixed order `RWO,ROX,RWX,RWOP`.
pub fn access_modes(modes: Option<&Value>) -> String {
    let modes: Vec<&str> = modes
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| modes.contains(mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

/// `layoutContainerCells`: the CONTAINERS and IMAGES wide cells for a list of containers
/// (names / images in spec order joined by `,`).
pub fn layout_container_cells(containers: &[Value]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| string(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| string(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

/// validation.IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63
/// alphanumerics with `-`, `_`, `.` inside.
fn is_qualified_name(s: &str) -> bool {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if name.contains('/') {
        return false;
    }
    if let Some(p) = prefix
        && (p.is_empty() || !is_dns1123_subdomain(p))
    {
        return false;
    }
    !name.is_empty() && name.len() <= 63 && is_label_chars(name)
}

/// validation.IsValidLabelValue: empty, or ≤ 63 alphanumerics with `-`, `_`, `.` inside.
fn is_valid_label_value(s: &str) -> bool {
    s.is_empty() || (s.len() <= 63 && is_label_chars(s))
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` on a non-empty string.
fn is_label_chars(s: &str) -> bool {
    let b = s.as_bytes();
    let Some((&first, &last)) = b.first().zip(b.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// validation.IsDNS1123Subdomain.
fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            match (b.first(), b.last()) {
                (Some(f), Some(l)) => {
                    (f.is_ascii_lowercase() || f.is_ascii_digit())
                        && (l.is_ascii_lowercase() || l.is_ascii_digit())
                        && b.iter()
                            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                }
                _ => false,
            }
        })
}

// ---------------------------------------------------------------------------------------------
// Pod.

/// The pod printer's READY, STATUS and RESTARTS cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStatusCells {
    /// `<ready>/<total>`.
    pub ready: String,
    /// The aggregate status (`Running`, `Init:0/1`, `CrashLoopBackOff`, `Terminating`, ...).
    pub status: String,
    /// Restart count, with `(<age> ago)` of the latest container termination when > 0.
    pub restarts: String,
}

/// `lastState.terminated.finishedAt` of a container status, if any.
fn last_termination(cs: &Value) -> Option<Timestamp> {
    parse_timestamp(opt_string(cs, &["lastState", "terminated", "finishedAt"]))
}

fn bump_latest(latest: &mut Option<Timestamp>, t: Option<Timestamp>) {
    if let Some(t) = t
        && latest.is_none_or(|l| l < t)
    {
        *latest = Some(t);
    }
}

fn condition_status<'a>(conditions: &'a [Value], ty: &str) -> Option<&'a str> {
    conditions
        .iter()
        .find(|c| string(c, &["type"]) == ty)
        .map(|c| string(c, &["status"]))
}

/// The READY / STATUS / RESTARTS computation of `printPod` (init containers, sidecars,
/// `Completed` → `Running`/`NotReady`, Terminating, `N (Xm ago)`).
pub fn pod_status(pod: &Value, now: Timestamp) -> PodStatusCells {
    let phase = string(pod, &["status", "phase"]);
    let status_reason = string(pod, &["status", "reason"]);
    let conditions = list(pod, &["status", "conditions"]);
    let init_specs = list(pod, &["spec", "initContainers"]);
    let is_sidecar = |name: &str| {
        init_specs
            .iter()
            .rev()
            .find(|c| string(c, &["name"]) == name)
            .is_some_and(|c| string(c, &["restartPolicy"]) == "Always")
    };

    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut total = list(pod, &["spec", "containers"]).len();
    let mut ready = 0usize;
    let mut last_restart: Option<Timestamp> = None;
    let mut last_sidecar_restart: Option<Timestamp> = None;

    let mut reason = if status_reason.is_empty() {
        phase.to_string()
    } else {
        status_reason.to_string()
    };
    for c in conditions {
        if string(c, &["type"]) == "PodScheduled" && string(c, &["reason"]) == "SchedulingGated" {
            reason = "SchedulingGated".to_string();
        }
    }

    total += init_specs
        .iter()
        .filter(|c| string(c, &["restartPolicy"]) == "Always")
        .count();

    let mut initializing = false;
    for (i, cs) in list(pod, &["status", "initContainerStatuses"])
        .iter()
        .enumerate()
    {
        let restart_count = int(cs, &["restartCount"]);
        restarts += restart_count;
        bump_latest(&mut last_restart, last_termination(cs));
        let sidecar = is_sidecar(string(cs, &["name"]));
        if sidecar {
            sidecar_restarts += restart_count;
            bump_latest(&mut last_sidecar_restart, last_termination(cs));
        }
        let terminated = get(cs, &["state", "terminated"]);
        let waiting_reason = string(cs, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| int(t, &["exitCode"]) == 0) {
            continue;
        }
        if sidecar && opt_bool(cs, &["started"]) == Some(true) {
            if opt_bool(cs, &["ready"]) == Some(true) {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            let r = string(t, &["reason"]);
            reason = if !r.is_empty() {
                format!("Init:{r}")
            } else if int(t, &["signal"]) != 0 {
                format!("Init:Signal:{}", int(t, &["signal"]))
            } else {
                format!("Init:ExitCode:{}", int(t, &["exitCode"]))
            };
        } else if get(cs, &["state", "waiting"]).is_some()
            && !waiting_reason.is_empty()
            && waiting_reason != "PodInitializing"
        {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{}/{}", i, init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_status(conditions, "Initialized") == Some("True") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for cs in list(pod, &["status", "containerStatuses"]).iter().rev() {
            restarts += int(cs, &["restartCount"]);
            bump_latest(&mut last_restart, last_termination(cs));
            let waiting = get(cs, &["state", "waiting"]);
            let terminated = get(cs, &["state", "terminated"]);
            let waiting_reason = waiting.map(|w| string(w, &["reason"])).unwrap_or("");
            let terminated_reason = terminated.map(|t| string(t, &["reason"])).unwrap_or("");
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if !terminated_reason.is_empty() {
                reason = terminated_reason.to_string();
            } else if let Some(t) = terminated {
                reason = if int(t, &["signal"]) != 0 {
                    format!("Signal:{}", int(t, &["signal"]))
                } else {
                    format!("ExitCode:{}", int(t, &["exitCode"]))
                };
            } else if opt_bool(cs, &["ready"]) == Some(true)
                && get(cs, &["state", "running"]).is_some()
            {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_status(conditions, "Ready") == Some("True") {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    if is_deleting(pod) && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if is_deleting(pod) && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    let restarts = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", since(t, now)),
        _ => restarts.to_string(),
    };
    PodStatusCells {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
    }
}

fn pod_row(pod: &Value, now: Timestamp) -> Vec<String> {
    let cells = pod_status(pod, now);
    // v1 → internal conversion: a non-empty podIP is authoritative over podIPs.
    let mut ip = string(pod, &["status", "podIP"]).to_string();
    if ip.is_empty()
        && let Some(first) = list(pod, &["status", "podIPs"]).first()
    {
        ip = string(first, &["ip"]).to_string();
    }
    let or_none = |s: &str| {
        if s.is_empty() {
            "<none>".to_string()
        } else {
            s.to_string()
        }
    };
    let gates = list(pod, &["spec", "readinessGates"]);
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conditions = list(pod, &["status", "conditions"]);
        let true_count = gates
            .iter()
            .filter(|g| condition_status(conditions, string(g, &["conditionType"])) == Some("True"))
            .count();
        format!("{true_count}/{}", gates.len())
    };
    vec![
        name(pod),
        cells.ready,
        cells.status,
        cells.restarts,
        creation_age(pod, now),
        or_none(&ip),
        or_none(string(pod, &["spec", "nodeName"])),
        or_none(string(pod, &["status", "nominatedNodeName"])),
        readiness_gates,
    ]
}

// ---------------------------------------------------------------------------------------------
// Workloads.

fn template_containers<'a>(obj: &'a Value, template: &[&str]) -> &'a [Value] {
    let mut path: Vec<&str> = template.to_vec();
    path.extend(["spec", "containers"]);
    list(obj, &path)
}

fn replication_controller_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        replicas(obj).to_string(),
        int(obj, &["status", "replicas"]).to_string(),
        int(obj, &["status", "readyReplicas"]).to_string(),
        creation_age(obj, now),
        names,
        images,
        format_labels(get(obj, &["spec", "selector"])),
    ]
}

fn replica_set_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        replicas(obj).to_string(),
        int(obj, &["status", "replicas"]).to_string(),
        int(obj, &["status", "readyReplicas"]).to_string(),
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "selector"])),
    ]
}

fn deployment_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        format!(
            "{}/{}",
            int(obj, &["status", "readyReplicas"]),
            replicas(obj)
        ),
        int(obj, &["status", "updatedReplicas"]).to_string(),
        int(obj, &["status", "availableReplicas"]).to_string(),
        creation_age(obj, now),
        names,
        images,
        label_selector_string(get(obj, &["spec", "selector"])),
    ]
}

fn stateful_set_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        format!(
            "{}/{}",
            int(obj, &["status", "readyReplicas"]),
            replicas(obj)
        ),
        creation_age(obj, now),
        names,
        images,
    ]
}

fn daemon_set_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        int(obj, &["status", "desiredNumberScheduled"]).to_string(),
        int(obj, &["status", "currentNumberScheduled"]).to_string(),
        int(obj, &["status", "numberReady"]).to_string(),
        int(obj, &["status", "updatedNumberScheduled"]).to_string(),
        int(obj, &["status", "numberAvailable"]).to_string(),
        format_labels(get(obj, &["spec", "template", "spec", "nodeSelector"])),
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "selector"])),
    ]
}

/// `hasJobCondition`: the first condition of that type decides.
fn has_condition(conditions: &[Value], ty: &str) -> bool {
    condition_status(conditions, ty) == Some("True")
}

fn job_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let succeeded = int(obj, &["status", "succeeded"]);
    let completions = match opt_int(obj, &["spec", "completions"]) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let parallelism = opt_int(obj, &["spec", "parallelism"]).unwrap_or(0);
            if parallelism > 1 {
                format!("{succeeded}/1 of {parallelism}")
            } else {
                format!("{succeeded}/1")
            }
        }
    };
    let start = parse_timestamp(opt_string(obj, &["status", "startTime"]));
    let completion = parse_timestamp(opt_string(obj, &["status", "completionTime"]));
    let duration = match (start, completion) {
        (None, _) => String::new(),
        (Some(s), None) => since(s, now),
        (Some(s), Some(c)) => since(s, c),
    };
    let conditions = list(obj, &["status", "conditions"]);
    let status = if has_condition(conditions, "Complete") {
        "Complete"
    } else if has_condition(conditions, "Failed") {
        "Failed"
    } else if is_deleting(obj) {
        "Terminating"
    } else if has_condition(conditions, "Suspended") {
        "Suspended"
    } else if has_condition(conditions, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        status.to_string(),
        completions,
        duration,
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "selector"])),
    ]
}

fn cron_job_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let last_schedule = match opt_string(obj, &["status", "lastScheduleTime"]) {
        Some(ts) => age(Some(ts), now),
        None => "<none>".to_string(),
    };
    let suspend = match opt_bool(obj, &["spec", "suspend"]) {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    };
    let (names, images) = layout_container_cells(template_containers(
        obj,
        &["spec", "jobTemplate", "spec", "template"],
    ));
    vec![
        name(obj),
        string(obj, &["spec", "schedule"]).to_string(),
        opt_string(obj, &["spec", "timeZone"])
            .unwrap_or("<none>")
            .to_string(),
        suspend.to_string(),
        list(obj, &["status", "active"]).len().to_string(),
        last_schedule,
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "jobTemplate", "spec", "selector"])),
    ]
}

fn controller_revision_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let controller = list(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| opt_bool(r, &["controller"]) == Some(true))
        .map(|r| {
            let api_version = string(r, &["apiVersion"]);
            let group = match api_version.split_once('/') {
                Some((g, _)) => g,
                None => "",
            };
            let kind = string(r, &["kind"]);
            let ref_name = string(r, &["name"]);
            if group.is_empty() && kind.is_empty() {
                ref_name.to_string()
            } else if group.is_empty() {
                format!("{}/{ref_name}", kind.to_lowercase())
            } else {
                format!(
                    "{}.{}/{ref_name}",
                    kind.to_lowercase(),
                    group.to_lowercase()
                )
            }
        })
        .unwrap_or_else(|| "<none>".to_string());
    vec![
        name(obj),
        controller,
        int(obj, &["revision"]).to_string(),
        creation_age(obj, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Storage.

/// `volume.beta.kubernetes.io/storage-class` wins over spec.storageClassName.
fn storage_class_of(obj: &Value) -> &str {
    annotation(obj, "volume.beta.kubernetes.io/storage-class")
        .unwrap_or_else(|| string(obj, &["spec", "storageClassName"]))
}

fn pvc_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let phase = if is_deleting(obj) {
        "Terminating"
    } else {
        string(obj, &["status", "phase"])
    };
    let volume_name = string(obj, &["spec", "volumeName"]);
    let (capacity, modes) = if volume_name.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity(get(obj, &["status", "capacity", "storage"])),
            access_modes(get(obj, &["status", "accessModes"])),
        )
    };
    vec![
        name(obj),
        phase.to_string(),
        volume_name.to_string(),
        capacity,
        modes,
        storage_class_of(obj).to_string(),
        opt_string(obj, &["spec", "volumeAttributesClassName"])
            .unwrap_or("<unset>")
            .to_string(),
        creation_age(obj, now),
        opt_string(obj, &["spec", "volumeMode"])
            .unwrap_or("<unset>")
            .to_string(),
    ]
}

fn pv_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let claim = match get(obj, &["spec", "claimRef"]) {
        Some(r) => format!("{}/{}", string(r, &["namespace"]), string(r, &["name"])),
        None => String::new(),
    };
    let phase = if is_deleting(obj) {
        "Terminating"
    } else {
        string(obj, &["status", "phase"])
    };
    vec![
        name(obj),
        quantity(get(obj, &["spec", "capacity", "storage"])),
        access_modes(get(obj, &["spec", "accessModes"])),
        string(obj, &["spec", "persistentVolumeReclaimPolicy"]).to_string(),
        phase.to_string(),
        claim,
        storage_class_of(obj).to_string(),
        opt_string(obj, &["spec", "volumeAttributesClassName"])
            .unwrap_or("<unset>")
            .to_string(),
        string(obj, &["status", "reason"]).to_string(),
        creation_age(obj, now),
        opt_string(obj, &["spec", "volumeMode"])
            .unwrap_or("<unset>")
            .to_string(),
    ]
}

fn storage_class_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let is_default = annotation(obj, "storageclass.kubernetes.io/is-default-class") == Some("true")
        || annotation(obj, "storageclass.beta.kubernetes.io/is-default-class") == Some("true");
    let mut display = name(obj);
    if is_default {
        display.push_str(" (default)");
    }
    vec![
        display,
        string(obj, &["provisioner"]).to_string(),
        opt_string(obj, &["reclaimPolicy"])
            .unwrap_or("Delete")
            .to_string(),
        opt_string(obj, &["volumeBindingMode"])
            .unwrap_or("Immediate")
            .to_string(),
        opt_bool(obj, &["allowVolumeExpansion"])
            .unwrap_or(false)
            .to_string(),
        creation_age(obj, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Cluster.

fn node_row(obj: &Value, now: Timestamp) -> Vec<String> {
    // A map keyed by condition type: the last Ready condition wins.
    let ready = list(obj, &["status", "conditions"])
        .iter()
        .rev()
        .find(|c| string(c, &["type"]) == "Ready");
    let mut status = vec![match ready {
        Some(c) if string(c, &["status"]) == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if opt_bool(obj, &["spec", "unschedulable"]) == Some(true) {
        status.push("SchedulingDisabled");
    }

    let mut roles = BTreeSet::new();
    if let Some(Value::Object(labels)) = get(obj, &["metadata", "labels"]) {
        for (k, v) in labels {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                if !role.is_empty() {
                    roles.insert(role.to_string());
                }
            } else if k == "kubernetes.io/role" {
                let v = scalar(v);
                if !v.is_empty() {
                    roles.insert(v);
                }
            }
        }
    }
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.into_iter().collect::<Vec<_>>().join(",")
    };

    let address = |ty: &str| {
        list(obj, &["status", "addresses"])
            .iter()
            .find(|a| string(a, &["type"]) == ty)
            .map(|a| string(a, &["address"]).to_string())
            .unwrap_or_else(|| "<none>".to_string())
    };
    let info = |field: &str| {
        let v = string(obj, &["status", "nodeInfo", field]);
        if v.is_empty() {
            "<unknown>".to_string()
        } else {
            v.to_string()
        }
    };
    vec![
        name(obj),
        status.join(","),
        roles,
        creation_age(obj, now),
        string(obj, &["status", "nodeInfo", "kubeletVersion"]).to_string(),
        address("InternalIP"),
        address("ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ]
}

fn resource_quota_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let mut request = Vec::new();
    let mut limit = Vec::new();
    if let Some(Value::Object(hard)) = get(obj, &["status", "hard"]) {
        // serde_json maps are sorted by key, like SortableResourceNames.
        let mut names: Vec<&String> = hard.keys().collect();
        names.sort();
        for resource in names {
            let used = quantity(get(obj, &["status", "used", resource.as_str()]));
            let entry = format!("{resource}: {used}/{}", quantity(hard.get(resource)));
            let mut pieces = resource.split('.');
            let is_limit = pieces.next() == Some("limits") && pieces.next().is_some();
            if is_limit {
                limit.push(entry);
            } else {
                request.push(entry);
            }
        }
    }
    vec![
        name(obj),
        request.join(", "),
        limit.join(", "),
        creation_age(obj, now),
    ]
}

// ---------------------------------------------------------------------------------------------
// Networking.

fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `formatEndpoints(ep, nil)`: up to 3 `ip:port` entries, then ` + N more...`.
fn format_endpoints(obj: &Value) -> String {
    let subsets = list(obj, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut out: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for ss in subsets {
        let addresses = list(ss, &["addresses"]);
        let ports = list(ss, &["ports"]);
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if out.len() == MAX {
                    more = true;
                    break;
                }
                out.push(string(a, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if out.len() == MAX {
                    more = true;
                    break;
                }
                out.push(join_host_port(string(a, &["ip"]), int(port, &["port"])));
            }
        }
    }
    let joined = out.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

const LOAD_BALANCER_WIDTH: usize = 16;

/// `loadBalancerStatusStringer`: sorted, de-duplicated ingress IPs/hostnames, clipped to 16
/// characters (13 + `...`) unless wide.
fn load_balancer_status(obj: &Value, wide: bool) -> String {
    let set: BTreeSet<&str> = list(obj, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            let ip = string(i, &["ip"]);
            let host = string(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip)
            } else if !host.is_empty() {
                Some(host)
            } else {
                None
            }
        })
        .collect();
    let r = set.into_iter().collect::<Vec<_>>().join(",");
    if !wide && r.len() > LOAD_BALANCER_WIDTH {
        let clipped: String = r.chars().take(LOAD_BALANCER_WIDTH - 3).collect();
        return format!("{clipped}...");
    }
    r
}

fn service_row(obj: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    let svc_type = opt_string(obj, &["spec", "type"]).unwrap_or("ClusterIP");
    // v1 → internal conversion: clusterIP fills clusterIPs when the latter is empty.
    let cluster_ips = list(obj, &["spec", "clusterIPs"]);
    let cluster_ip = match cluster_ips.first() {
        Some(ip) => scalar(ip),
        None => {
            let ip = string(obj, &["spec", "clusterIP"]);
            if ip.is_empty() {
                "<none>".to_string()
            } else {
                ip.to_string()
            }
        }
    };
    let external_ips: Vec<String> = list(obj, &["spec", "externalIPs"])
        .iter()
        .map(scalar)
        .collect();
    let external = match svc_type {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_status(obj, wide);
            if !external_ips.is_empty() {
                let mut results: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    results.extend(lb.split(',').map(str::to_string));
                }
                results.extend(external_ips);
                results.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_string()
            }
        }
        "ExternalName" => string(obj, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    };
    let ports: Vec<String> = list(obj, &["spec", "ports"])
        .iter()
        .map(|p| {
            let port = int(p, &["port"]);
            let protocol = opt_string(p, &["protocol"]).unwrap_or("TCP");
            let node_port = int(p, &["nodePort"]);
            if node_port > 0 {
                format!("{port}:{node_port}/{protocol}")
            } else {
                format!("{port}/{protocol}")
            }
        })
        .collect();
    let ports = if ports.is_empty() {
        "<none>".to_string()
    } else {
        ports.join(",")
    };
    vec![
        name(obj),
        svc_type.to_string(),
        cluster_ip,
        external,
        ports,
        creation_age(obj, now),
        format_labels(get(obj, &["spec", "selector"])),
    ]
}

// ---------------------------------------------------------------------------------------------
// Events.

fn event_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let first_seen = match parse_timestamp(opt_string(obj, &["firstTimestamp"])) {
        Some(t) => since(t, now),
        None => age(opt_string(obj, &["eventTime"]), now),
    };
    let mut last_seen = match parse_timestamp(opt_string(obj, &["lastTimestamp"])) {
        Some(t) => since(t, now),
        None => first_seen.clone(),
    };
    let mut count = int(obj, &["count"]);
    if let Some(series) = get(obj, &["series"]) {
        last_seen = age(opt_string(series, &["lastObservedTime"]), now);
        count = int(series, &["count"]);
    } else if count == 0 {
        count = 1;
    }
    let kind = string(obj, &["involvedObject", "kind"]).to_lowercase();
    let involved_name = string(obj, &["involvedObject", "name"]);
    let target = if involved_name.is_empty() {
        kind
    } else {
        format!("{kind}/{involved_name}")
    };
    let component = [
        string(obj, &["source", "component"]),
        string(obj, &["reportingComponent"]),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("");
    let host = [
        string(obj, &["source", "host"]),
        string(obj, &["reportingInstance"]),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("");
    let source = if host.is_empty() {
        component.to_string()
    } else {
        format!("{component}, {host}")
    };
    vec![
        last_seen,
        string(obj, &["type"]).to_string(),
        string(obj, &["reason"]).to_string(),
        target,
        string(obj, &["involvedObject", "fieldPath"]).to_string(),
        source,
        trim_go_space(string(obj, &["message"])).to_string(),
        first_seen,
        count.to_string(),
        name(obj),
    ]
}

/// Go's `strings.TrimSpace` (Unicode white space).
fn trim_go_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The virtual "now" of every test.
    fn now() -> Timestamp {
        "2025-06-01T12:00:00Z".parse().unwrap()
    }

    /// The non-wide and the wide cells of `obj`, as kubectl would keep them.
    fn cells(kind: &str, obj: &Value) -> (Vec<String>, Vec<String>) {
        let cols = columns(kind);
        let narrow_row = row(kind, obj, now());
        let wide_row = row_for(kind, obj, now(), true);
        assert_eq!(cols.len(), narrow_row.len(), "{kind}: one cell per column");
        assert_eq!(cols.len(), wide_row.len(), "{kind}: one cell per column");
        let narrow = cols
            .iter()
            .zip(narrow_row)
            .filter(|(c, _)| !c.wide)
            .map(|(_, v)| v)
            .collect();
        (narrow, wide_row)
    }

    fn narrow(kind: &str, obj: &Value) -> Vec<String> {
        cells(kind, obj).0
    }

    fn wide(kind: &str, obj: &Value) -> Vec<String> {
        cells(kind, obj).1
    }

    fn headers(kind: &str) -> Vec<&'static str> {
        columns(kind).iter().map(|c| c.header).collect()
    }

    fn wide_headers(kind: &str) -> Vec<&'static str> {
        columns(kind)
            .iter()
            .filter(|c| c.wide)
            .map(|c| c.header)
            .collect()
    }

    // ---- columns --------------------------------------------------------------------------

    #[test]
    fn column_sets() {
        assert_eq!(
            headers("Pod"),
            [
                "NAME",
                "READY",
                "STATUS",
                "RESTARTS",
                "AGE",
                "IP",
                "NODE",
                "NOMINATED NODE",
                "READINESS GATES"
            ]
        );
        assert_eq!(
            wide_headers("Pod"),
            ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
        );
        assert_eq!(
            headers("Deployment"),
            [
                "NAME",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "AGE",
                "CONTAINERS",
                "IMAGES",
                "SELECTOR"
            ]
        );
        assert_eq!(
            headers("ResourceQuota"),
            ["NAME", "REQUEST", "LIMIT", "AGE"]
        );
        assert_eq!(
            headers("Event"),
            [
                "LAST SEEN",
                "TYPE",
                "REASON",
                "OBJECT",
                "SUBOBJECT",
                "SOURCE",
                "MESSAGE",
                "FIRST SEEN",
                "COUNT",
                "NAME"
            ]
        );
        assert_eq!(
            wide_headers("Event"),
            ["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"]
        );
        assert_eq!(
            headers("CronJob"),
            [
                "NAME",
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE",
                "CONTAINERS",
                "IMAGES",
                "SELECTOR"
            ]
        );
        assert_eq!(
            headers("PersistentVolume"),
            [
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
                "VOLUMEMODE"
            ]
        );
        assert_eq!(headers("LimitRange"), ["NAME", "CREATED AT"]);
        assert_eq!(headers("Widget"), ["NAME", "AGE"]);
        assert_eq!(wide_headers("StatefulSet"), ["CONTAINERS", "IMAGES"]);
        assert_eq!(
            wide_headers("Node"),
            [
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME"
            ]
        );
    }

    #[test]
    fn name_columns() {
        assert_eq!(name_column("Pod"), 0);
        assert_eq!(name_column("LimitRange"), 0);
        let event = columns("Event");
        assert_eq!(event[name_column("Event")], w("NAME"));
    }

    #[test]
    fn every_kind_survives_an_empty_object() {
        let kinds = [
            "Pod",
            "ReplicationController",
            "ReplicaSet",
            "Deployment",
            "StatefulSet",
            "DaemonSet",
            "Job",
            "CronJob",
            "ConfigMap",
            "Secret",
            "PersistentVolumeClaim",
            "PersistentVolume",
            "StorageClass",
            "Node",
            "Namespace",
            "Service",
            "Endpoints",
            "ServiceAccount",
            "ResourceQuota",
            "Event",
            "ControllerRevision",
            "LimitRange",
            "Lease",
            "Widget",
        ];
        for kind in kinds {
            for obj in [json!({}), json!(null), json!({"metadata": null, "spec": 3})] {
                let (_, all) = cells(kind, &obj);
                assert!(!all.is_empty(), "{kind}");
            }
        }
        assert_eq!(narrow("Pod", &json!({})), ["", "0/0", "", "0", "<unknown>"]);
        assert_eq!(
            narrow("Deployment", &json!({})),
            ["", "0/1", "0", "0", "<unknown>"]
        );
    }

    // ---- Pod ------------------------------------------------------------------------------

    fn pod(spec: Value, status: Value) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default",
                         "creationTimestamp": "2025-06-01T10:36:00Z"},
            "spec": spec,
            "status": status,
        })
    }

    fn containers(names: &[&str]) -> Value {
        Value::Array(
            names
                .iter()
                .map(|n| json!({"name": n, "image": format!("{n}:1.0")}))
                .collect(),
        )
    }

    #[test]
    fn pod_running() {
        let p = json!({
            "metadata": {"name": "nginx-7854ff8877-abcde", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}], "nodeName": "node1"},
            "status": {
                "phase": "Running",
                "podIP": "10.244.0.5",
                "podIPs": [{"ip": "10.244.0.5"}],
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{
                    "name": "nginx", "ready": true, "restartCount": 0, "started": true,
                    "state": {"running": {"startedAt": "2025-06-01T11:55:00Z"}}
                }]
            }
        });
        assert_eq!(
            wide("Pod", &p),
            [
                "nginx-7854ff8877-abcde",
                "1/1",
                "Running",
                "0",
                "5m12s",
                "10.244.0.5",
                "node1",
                "<none>",
                "<none>"
            ]
        );
    }

    #[test]
    fn pod_crash_loop_back_off_with_last_restart() {
        let p = pod(
            json!({"containers": containers(&["web"]), "nodeName": "node1",
                   "readinessGates": [{"conditionType": "example.com/lb"},
                                      {"conditionType": "example.com/dns"}]}),
            json!({
                "phase": "Running",
                "podIPs": [{"ip": "10.244.0.6"}],
                "nominatedNodeName": "node2",
                "conditions": [
                    {"type": "Ready", "status": "False"},
                    {"type": "example.com/lb", "status": "True"},
                    {"type": "example.com/dns", "status": "False"}
                ],
                "containerStatuses": [{
                    "name": "web", "ready": false, "restartCount": 5, "started": false,
                    "state": {"waiting": {"reason": "CrashLoopBackOff",
                                          "message": "back-off 2m40s restarting failed container"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                 "startedAt": "2025-06-01T11:57:55Z",
                                                 "finishedAt": "2025-06-01T11:58:00Z"}}
                }]
            }),
        );
        assert_eq!(
            wide("Pod", &p),
            [
                "web",
                "0/1",
                "CrashLoopBackOff",
                "5 (2m ago)",
                "84m",
                "10.244.0.6",
                "node1",
                "node2",
                "1/2"
            ]
        );
    }

    #[test]
    fn pod_pending_and_creating() {
        let pending = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Pending"}),
        );
        assert_eq!(
            wide("Pod", &pending),
            [
                "web", "0/1", "Pending", "0", "84m", "<none>", "<none>", "<none>", "<none>"
            ]
        );
        let creating = pod(
            json!({"containers": containers(&["a", "b"]), "nodeName": "node1"}),
            json!({"phase": "Pending", "containerStatuses": [
                {"name": "a", "ready": false, "restartCount": 0,
                 "state": {"waiting": {"reason": "ContainerCreating"}}},
                {"name": "b", "ready": false, "restartCount": 0,
                 "state": {"waiting": {"reason": "ContainerCreating"}}}
            ]}),
        );
        assert_eq!(
            narrow("Pod", &creating),
            ["web", "0/2", "ContainerCreating", "0", "84m"]
        );
        let gated = pod(
            json!({"containers": containers(&["web"]), "schedulingGates": [{"name": "g"}]}),
            json!({"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
        );
        assert_eq!(narrow("Pod", &gated)[2], "SchedulingGated");
        let evicted = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Failed", "reason": "Evicted"}),
        );
        assert_eq!(narrow("Pod", &evicted)[2], "Evicted");
    }

    #[test]
    fn pod_first_container_has_the_final_say() {
        // Statuses are walked last to first: the first container's reason wins.
        let p = pod(
            json!({"containers": containers(&["a", "b"])}),
            json!({"phase": "Running", "containerStatuses": [
                {"name": "a", "ready": false, "restartCount": 1,
                 "state": {"waiting": {"reason": "ImagePullBackOff"}}},
                {"name": "b", "ready": false, "restartCount": 2,
                 "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                 "lastState": {"terminated": {"exitCode": 2, "finishedAt": "2025-06-01T11:54:48Z"}}}
            ]}),
        );
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/2", "ImagePullBackOff", "3 (5m12s ago)", "84m"]
        );
    }

    #[test]
    fn pod_terminated_containers() {
        let status = |state: Value| {
            pod(
                json!({"containers": containers(&["job"]), "restartPolicy": "Never"}),
                json!({"phase": "Failed", "containerStatuses": [
                    {"name": "job", "ready": false, "restartCount": 0, "state": state}]}),
            )
        };
        let row_status = |state: Value| narrow("Pod", &status(state))[2].clone();
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 1, "reason": "Error"}})),
            "Error"
        );
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 137, "reason": "OOMKilled"}})),
            "OOMKilled"
        );
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 3}})),
            "ExitCode:3"
        );
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 137, "signal": 9}})),
            "Signal:9"
        );
        let succeeded = pod(
            json!({"containers": containers(&["job"]), "restartPolicy": "Never"}),
            json!({"phase": "Succeeded", "containerStatuses": [
                {"name": "job", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        );
        assert_eq!(
            narrow("Pod", &succeeded),
            ["web", "0/1", "Completed", "0", "84m"]
        );
    }

    #[test]
    fn pod_completed_but_still_running() {
        let p = |ready: &str| {
            pod(
                json!({"containers": containers(&["main", "helper"])}),
                json!({"phase": "Running",
                       "conditions": [{"type": "Ready", "status": ready}],
                       "containerStatuses": [
                    {"name": "main", "ready": false, "restartCount": 0,
                     "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                    {"name": "helper", "ready": true, "restartCount": 0,
                     "state": {"running": {"startedAt": "2025-06-01T11:00:00Z"}}}
                ]}),
            )
        };
        assert_eq!(
            narrow("Pod", &p("False")),
            ["web", "1/2", "NotReady", "0", "84m"]
        );
        assert_eq!(
            narrow("Pod", &p("True")),
            ["web", "1/2", "Running", "0", "84m"]
        );
    }

    #[test]
    fn pod_init_containers() {
        let spec = json!({"initContainers": containers(&["init-a", "init-b"]),
                          "containers": containers(&["web"])});
        let main_waiting = json!([{"name": "web", "ready": false, "restartCount": 0,
                                   "state": {"waiting": {"reason": "PodInitializing"}}}]);
        let with_init = |init: Value| {
            pod(
                spec.clone(),
                json!({"phase": "Pending",
                       "conditions": [{"type": "Initialized", "status": "False"}],
                       "initContainerStatuses": init,
                       "containerStatuses": main_waiting}),
            )
        };
        // First init container running.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 0,
             "state": {"running": {"startedAt": "2025-06-01T11:59:00Z"}}},
            {"name": "init-b", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "PodInitializing"}}}
        ]));
        assert_eq!(narrow("Pod", &p), ["web", "0/1", "Init:0/2", "0", "84m"]);
        // First done, second running.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 0,
             "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "init-b", "ready": false, "restartCount": 0,
             "state": {"running": {}}}
        ]));
        assert_eq!(narrow("Pod", &p)[2], "Init:1/2");
        // Crash looping init container: restarts counted, with the last restart age.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 4,
             "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                          "finishedAt": "2025-06-01T11:59:15Z"}}},
            {"name": "init-b", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "PodInitializing"}}}
        ]));
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/1", "Init:CrashLoopBackOff", "4 (45s ago)", "84m"]
        );
        // Failed init container.
        let failed = |term: Value| {
            let p = with_init(json!([
                {"name": "init-a", "ready": false, "restartCount": 0,
                 "state": {"terminated": term}}
            ]));
            narrow("Pod", &p)[2].clone()
        };
        assert_eq!(
            failed(json!({"exitCode": 1, "reason": "Error"})),
            "Init:Error"
        );
        assert_eq!(failed(json!({"exitCode": 2})), "Init:ExitCode:2");
        assert_eq!(
            failed(json!({"exitCode": 143, "signal": 15})),
            "Init:Signal:15"
        );
        // Image pull failure.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ErrImagePull"}}}
        ]));
        assert_eq!(narrow("Pod", &p)[2], "Init:ErrImagePull");
        // All init containers done: main container statuses take over.
        let p = pod(
            spec.clone(),
            json!({"phase": "Pending",
                   "conditions": [{"type": "Initialized", "status": "True"}],
                   "initContainerStatuses": [
                       {"name": "init-a", "ready": true, "restartCount": 1,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                       {"name": "init-b", "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
                   "containerStatuses": main_waiting}),
        );
        // Regular init container restarts no longer count once initialised.
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/1", "PodInitializing", "0", "84m"]
        );
    }

    #[test]
    fn pod_sidecar_containers() {
        let spec = json!({
            "initContainers": [
                {"name": "setup", "image": "busybox"},
                {"name": "proxy", "image": "envoy", "restartPolicy": "Always"}
            ],
            "containers": containers(&["web"])
        });
        let p = pod(
            spec.clone(),
            json!({"phase": "Running",
                   "conditions": [{"type": "Initialized", "status": "True"},
                                  {"type": "Ready", "status": "True"}],
                   "initContainerStatuses": [
                       {"name": "setup", "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                       {"name": "proxy", "ready": true, "restartCount": 2, "started": true,
                        "state": {"running": {}},
                        "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                     "finishedAt": "2025-06-01T11:50:00Z"}}}],
                   "containerStatuses": [
                       {"name": "web", "ready": true, "restartCount": 1, "started": true,
                        "state": {"running": {}},
                        "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                     "finishedAt": "2025-06-01T11:40:00Z"}}}]}),
        );
        assert_eq!(
            narrow("Pod", &p),
            ["web", "2/2", "Running", "3 (10m ago)", "84m"]
        );
        // Sidecar started but not ready while the main container is still being created.
        let p = pod(
            spec,
            json!({"phase": "Pending",
                   "conditions": [{"type": "Initialized", "status": "True"}],
                   "initContainerStatuses": [
                       {"name": "setup", "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                       {"name": "proxy", "ready": false, "restartCount": 0, "started": true,
                        "state": {"running": {}}}],
                   "containerStatuses": [
                       {"name": "web", "ready": false, "restartCount": 0,
                        "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
        );
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/2", "ContainerCreating", "0", "84m"]
        );
    }

    #[test]
    fn pod_terminating() {
        let running = json!({"phase": "Running", "containerStatuses": [
            {"name": "web", "ready": true, "restartCount": 0, "state": {"running": {}}}]});
        let mut p = pod(json!({"containers": containers(&["web"])}), running);
        p["metadata"]["deletionTimestamp"] = json!("2025-06-01T12:00:30Z");
        assert_eq!(narrow("Pod", &p), ["web", "1/1", "Terminating", "0", "84m"]);
        // Terminal pods keep their status while being deleted (since 1.31).
        let mut done = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Succeeded", "containerStatuses": [
                {"name": "web", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        );
        done["metadata"]["deletionTimestamp"] = json!("2025-06-01T12:00:30Z");
        assert_eq!(narrow("Pod", &done)[2], "Completed");
        // NodeLost pods being deleted are Unknown.
        let mut lost = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Running", "reason": "NodeLost"}),
        );
        lost["metadata"]["deletionTimestamp"] = json!("2025-06-01T12:00:30Z");
        assert_eq!(narrow("Pod", &lost)[2], "Unknown");
    }

    #[test]
    fn pod_ip_prefers_pod_ip() {
        let p = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Running", "podIP": "10.0.0.9",
                   "podIPs": [{"ip": "fd00::9"}]}),
        );
        assert_eq!(wide("Pod", &p)[5], "10.0.0.9");
        let p = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Running", "podIPs": [{"ip": "fd00::9"}, {"ip": "10.0.0.9"}]}),
        );
        assert_eq!(wide("Pod", &p)[5], "fd00::9");
    }

    // ---- Workloads ------------------------------------------------------------------------

    fn template(containers: Value) -> Value {
        json!({"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": containers}})
    }

    #[test]
    fn replication_controller() {
        let rc = json!({
            "metadata": {"name": "a", "creationTimestamp": "2025-06-01T08:40:00Z"},
            "spec": {"replicas": 1, "selector": {"app": "a"},
                     "template": template(json!([{"name": "a", "image": "nginx:1.25"}]))},
            "status": {"replicas": 1, "readyReplicas": 1}
        });
        assert_eq!(
            narrow("ReplicationController", &rc),
            ["a", "1", "1", "1", "3h20m"]
        );
        assert_eq!(
            wide("ReplicationController", &rc),
            ["a", "1", "1", "1", "3h20m", "a", "nginx:1.25", "app=a"]
        );
    }

    #[test]
    fn replica_set() {
        let rs = json!({
            "metadata": {"name": "nginx-7854ff8877", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"replicas": 3,
                     "selector": {"matchLabels": {"pod-template-hash": "7854ff8877", "app": "nginx"}},
                     "template": template(json!([
                         {"name": "nginx", "image": "nginx:1.25"},
                         {"name": "sidecar", "image": "busybox:1.36"}]))},
            "status": {"replicas": 3, "readyReplicas": 2, "availableReplicas": 2}
        });
        assert_eq!(
            wide("ReplicaSet", &rs),
            [
                "nginx-7854ff8877",
                "3",
                "3",
                "2",
                "12d",
                "nginx,sidecar",
                "nginx:1.25,busybox:1.36",
                "app=nginx,pod-template-hash=7854ff8877"
            ]
        );
        let scaled_down =
            json!({"metadata": {"name": "old"}, "spec": {"replicas": 0}, "status": {}});
        assert_eq!(
            narrow("ReplicaSet", &scaled_down),
            ["old", "0", "0", "0", "<unknown>"]
        );
    }

    #[test]
    fn deployment() {
        let d = json!({
            "metadata": {"name": "nginx", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                     "template": template(json!([{"name": "nginx", "image": "nginx:1.25"}]))},
            "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
                       "availableReplicas": 3}
        });
        assert_eq!(narrow("Deployment", &d), ["nginx", "3/3", "3", "3", "12d"]);
        assert_eq!(
            wide("Deployment", &d),
            [
                "nginx",
                "3/3",
                "3",
                "3",
                "12d",
                "nginx",
                "nginx:1.25",
                "app=nginx"
            ]
        );
        // Rolling out: new pods not ready yet.
        let rolling = json!({
            "metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:59:15Z"},
            "spec": {"replicas": 4,
                     "selector": {"matchExpressions": [
                         {"key": "tier", "operator": "In", "values": ["web", "frontend"]}]}},
            "status": {"replicas": 5, "updatedReplicas": 2, "readyReplicas": 3,
                       "availableReplicas": 3}
        });
        assert_eq!(
            wide("Deployment", &rolling),
            [
                "web",
                "3/4",
                "2",
                "3",
                "45s",
                "",
                "",
                "tier in (frontend,web)"
            ]
        );
        // Empty selector prints an empty cell, an invalid one `<invalid>`.
        let empty = json!({"metadata": {"name": "e"}, "spec": {"replicas": 1, "selector": {}}});
        assert_eq!(wide("Deployment", &empty)[7], "");
        let invalid = json!({"metadata": {"name": "i"}, "spec": {"selector": {
            "matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}}});
        assert_eq!(wide("Deployment", &invalid)[7], "<invalid>");
    }

    #[test]
    fn stateful_set() {
        let s = json!({
            "metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:50:00Z"},
            "spec": {"replicas": 3, "serviceName": "web",
                     "selector": {"matchLabels": {"app": "web"}},
                     "template": template(json!([{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]))},
            "status": {"replicas": 2, "readyReplicas": 2}
        });
        assert_eq!(narrow("StatefulSet", &s), ["web", "2/3", "10m"]);
        assert_eq!(
            wide("StatefulSet", &s),
            [
                "web",
                "2/3",
                "10m",
                "nginx",
                "registry.k8s.io/nginx-slim:0.24"
            ]
        );
    }

    #[test]
    fn daemon_set() {
        let ds = json!({
            "metadata": {"name": "fluentd", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"selector": {"matchLabels": {"name": "fluentd"}},
                     "template": {"metadata": {"labels": {"name": "fluentd"}},
                                  "spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                           "containers": [{"name": "fluentd", "image": "fluentd:v1.16"}]}}},
            "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                       "updatedNumberScheduled": 3, "numberAvailable": 2}
        });
        assert_eq!(
            wide("DaemonSet", &ds),
            [
                "fluentd",
                "3",
                "3",
                "2",
                "3",
                "2",
                "kubernetes.io/os=linux",
                "12d",
                "fluentd",
                "fluentd:v1.16",
                "name=fluentd"
            ]
        );
        let bare = json!({"metadata": {"name": "x"}, "spec": {"template": {"spec": {}}}});
        assert_eq!(
            narrow("DaemonSet", &bare),
            ["x", "0", "0", "0", "0", "0", "<none>", "<unknown>"]
        );
    }

    fn job(spec: Value, status: Value) -> Value {
        let mut spec = spec;
        spec["selector"] = json!({"matchLabels": {
            "batch.kubernetes.io/controller-uid": "8c5f2b1e-0d3a-4c7b-9a61-2f4e5d6c7b8a"}});
        spec["template"] = json!({"spec": {"restartPolicy": "Never",
            "containers": [{"name": "pi", "image": "perl:5.34.0"}]}});
        json!({"metadata": {"name": "pi", "creationTimestamp": "2025-06-01T11:50:00Z"},
               "spec": spec, "status": status})
    }

    #[test]
    fn job_rows() {
        let complete = job(
            json!({"completions": 1, "parallelism": 1}),
            json!({"succeeded": 1, "startTime": "2025-06-01T11:50:00Z",
                   "completionTime": "2025-06-01T11:50:42Z",
                   "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                                  {"type": "Complete", "status": "True"}]}),
        );
        assert_eq!(
            wide("Job", &complete),
            [
                "pi",
                "Complete",
                "1/1",
                "42s",
                "10m",
                "pi",
                "perl:5.34.0",
                "batch.kubernetes.io/controller-uid=8c5f2b1e-0d3a-4c7b-9a61-2f4e5d6c7b8a"
            ]
        );
        // Work queue: no completions, parallelism 3, still running.
        let queue = job(
            json!({"parallelism": 3}),
            json!({"active": 3, "startTime": "2025-06-01T11:54:48Z"}),
        );
        assert_eq!(
            narrow("Job", &queue),
            ["pi", "Running", "0/1 of 3", "5m12s", "10m"]
        );
        let fixed = job(
            json!({"completions": 5, "parallelism": 2}),
            json!({"succeeded": 2, "active": 2, "startTime": "2025-06-01T11:50:00Z"}),
        );
        assert_eq!(
            narrow("Job", &fixed),
            ["pi", "Running", "2/5", "10m", "10m"]
        );
        let not_started = job(
            json!({"completions": 1, "suspend": true}),
            json!({
            "conditions": [{"type": "Suspended", "status": "True"}]}),
        );
        assert_eq!(
            narrow("Job", &not_started),
            ["pi", "Suspended", "0/1", "", "10m"]
        );
        let failed = job(
            json!({"completions": 1, "backoffLimit": 0}),
            json!({"failed": 1, "startTime": "2025-06-01T11:50:00Z",
                   "conditions": [{"type": "FailureTarget", "status": "True"},
                                  {"type": "Failed", "status": "True"}]}),
        );
        assert_eq!(narrow("Job", &failed)[1], "Failed");
        let failing = job(
            json!({"completions": 1}),
            json!({"startTime": "2025-06-01T11:50:00Z",
                   "conditions": [{"type": "FailureTarget", "status": "True"}]}),
        );
        assert_eq!(narrow("Job", &failing)[1], "FailureTarget");
        let mut deleting = job(json!({"completions": 1}), json!({}));
        deleting["metadata"]["deletionTimestamp"] = json!("2025-06-01T12:00:00Z");
        assert_eq!(narrow("Job", &deleting)[1], "Terminating");
    }

    #[test]
    fn cron_job() {
        let cj = json!({
            "metadata": {"name": "hello", "creationTimestamp": "2025-06-01T11:50:00Z"},
            "spec": {"schedule": "*/1 * * * *", "suspend": false,
                     "jobTemplate": {"spec": {"template": {"spec": {
                         "restartPolicy": "OnFailure",
                         "containers": [{"name": "hello", "image": "busybox:1.28"}]}}}}},
            "status": {"active": [{"kind": "Job", "name": "hello-29144399"}],
                       "lastScheduleTime": "2025-06-01T11:59:15Z"}
        });
        assert_eq!(
            wide("CronJob", &cj),
            [
                "hello",
                "*/1 * * * *",
                "<none>",
                "False",
                "1",
                "45s",
                "10m",
                "hello",
                "busybox:1.28",
                "<none>"
            ]
        );
        let never = json!({"metadata": {"name": "n"},
                           "spec": {"schedule": "@daily", "timeZone": "Etc/UTC", "suspend": true}});
        assert_eq!(
            narrow("CronJob", &never),
            ["n", "@daily", "Etc/UTC", "True", "0", "<none>", "<unknown>"]
        );
        let unset = json!({"metadata": {"name": "u"}, "spec": {"schedule": "0 0 * * *"}});
        assert_eq!(narrow("CronJob", &unset)[3], "<unset>");
    }

    #[test]
    fn controller_revision() {
        let cr = json!({
            "metadata": {"name": "fluentd-6d5f8b7c9", "creationTimestamp": "2025-05-20T12:00:00Z",
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet",
                                              "name": "fluentd", "uid": "u", "controller": true,
                                              "blockOwnerDeletion": true}]},
            "revision": 2
        });
        assert_eq!(
            narrow("ControllerRevision", &cr),
            ["fluentd-6d5f8b7c9", "daemonset.apps/fluentd", "2", "12d"]
        );
        let core = json!({"metadata": {"name": "x", "ownerReferences": [
            {"apiVersion": "v1", "kind": "Widget", "name": "w", "controller": false},
            {"apiVersion": "v1", "kind": "Widget", "name": "v", "controller": true}]},
            "revision": 1});
        assert_eq!(narrow("ControllerRevision", &core)[1], "widget/v");
        let orphan = json!({"metadata": {"name": "o"}, "revision": 7});
        assert_eq!(
            narrow("ControllerRevision", &orphan),
            ["o", "<none>", "7", "<unknown>"]
        );
    }

    // ---- Config and storage ---------------------------------------------------------------

    #[test]
    fn config_map_and_secret() {
        let cm = json!({"metadata": {"name": "kube-root-ca.crt", "creationTimestamp": "2025-05-20T12:00:00Z"},
                        "data": {"ca.crt": "-----BEGIN CERTIFICATE-----"}});
        assert_eq!(narrow("ConfigMap", &cm), ["kube-root-ca.crt", "1", "12d"]);
        let bin = json!({"metadata": {"name": "mixed"}, "data": {"a": "1", "b": "2"},
                         "binaryData": {"c": "AAE="}});
        assert_eq!(narrow("ConfigMap", &bin)[1], "3");
        let empty = json!({"metadata": {"name": "empty"}});
        assert_eq!(narrow("ConfigMap", &empty)[1], "0");

        let s = json!({"metadata": {"name": "db-pass", "creationTimestamp": "2025-06-01T11:59:15Z"},
                       "type": "Opaque", "data": {"user": "YWRtaW4=", "password": "czNjcjN0"}});
        assert_eq!(narrow("Secret", &s), ["db-pass", "Opaque", "2", "45s"]);
        let tls = json!({"metadata": {"name": "tls"}, "type": "kubernetes.io/tls",
                         "data": {"tls.crt": "", "tls.key": ""}});
        assert_eq!(narrow("Secret", &tls)[1..3], ["kubernetes.io/tls", "2"]);
    }

    #[test]
    fn persistent_volume_claim() {
        let unbound = json!({
            "metadata": {"name": "data", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                     "volumeMode": "Filesystem",
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Pending"}
        });
        assert_eq!(
            wide("PersistentVolumeClaim", &unbound),
            [
                "data",
                "Pending",
                "",
                "",
                "",
                "standard",
                "<unset>",
                "5m12s",
                "Filesystem"
            ]
        );
        let bound = json!({
            "metadata": {"name": "data", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                     "volumeMode": "Filesystem", "volumeName": "pvc-3f6c7a52",
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce", "ReadWriteMany"],
                       "capacity": {"storage": "2Gi"}}
        });
        assert_eq!(
            wide("PersistentVolumeClaim", &bound),
            [
                "data",
                "Bound",
                "pvc-3f6c7a52",
                "2Gi",
                "RWO,RWX",
                "standard",
                "<unset>",
                "5m12s",
                "Filesystem"
            ]
        );
        let mut deleting = bound.clone();
        deleting["metadata"]["deletionTimestamp"] = json!("2025-06-01T12:00:00Z");
        deleting["metadata"]["annotations"] =
            json!({"volume.beta.kubernetes.io/storage-class": "legacy"});
        deleting["spec"]["volumeAttributesClassName"] = json!("gold");
        deleting["spec"]["volumeMode"] = Value::Null;
        assert_eq!(
            wide("PersistentVolumeClaim", &deleting),
            [
                "data",
                "Terminating",
                "pvc-3f6c7a52",
                "2Gi",
                "RWO,RWX",
                "legacy",
                "gold",
                "5m12s",
                "<unset>"
            ]
        );
        // Bound without status.capacity: the zero quantity.
        let no_cap = json!({"metadata": {"name": "x"}, "spec": {"volumeName": "pv1"}});
        assert_eq!(
            narrow("PersistentVolumeClaim", &no_cap),
            ["x", "", "pv1", "0", "", "", "<unset>", "<unknown>"]
        );
    }

    #[test]
    fn persistent_volume() {
        let pv = json!({
            "metadata": {"name": "pvc-3f6c7a52", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                     "volumeMode": "Filesystem",
                     "claimRef": {"kind": "PersistentVolumeClaim", "namespace": "default",
                                  "name": "data", "uid": "3f6c7a52"},
                     "hostPath": {"path": "/tmp/pv"}},
            "status": {"phase": "Bound"}
        });
        assert_eq!(
            wide("PersistentVolume", &pv),
            [
                "pvc-3f6c7a52",
                "1Gi",
                "RWO",
                "Delete",
                "Bound",
                "default/data",
                "standard",
                "<unset>",
                "",
                "5m12s",
                "Filesystem"
            ]
        );
        let failed = json!({
            "metadata": {"name": "old", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"capacity": {"storage": "5Gi"},
                     "accessModes": ["ReadWriteOncePod", "ReadOnlyMany", "ReadOnlyMany"],
                     "persistentVolumeReclaimPolicy": "Recycle"},
            "status": {"phase": "Failed", "reason": "VolumeFailedRecycle"}
        });
        assert_eq!(
            narrow("PersistentVolume", &failed),
            [
                "old",
                "5Gi",
                "ROX,RWOP",
                "Recycle",
                "Failed",
                "",
                "",
                "<unset>",
                "VolumeFailedRecycle",
                "12d"
            ]
        );
    }

    #[test]
    fn storage_class() {
        let sc = json!({
            "metadata": {"name": "standard", "creationTimestamp": "2025-05-20T12:00:00Z",
                         "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer"
        });
        assert_eq!(
            narrow("StorageClass", &sc),
            [
                "standard (default)",
                "rancher.io/local-path",
                "Delete",
                "WaitForFirstConsumer",
                "false",
                "12d"
            ]
        );
        let beta = json!({
            "metadata": {"name": "fast",
                         "annotations": {"storageclass.beta.kubernetes.io/is-default-class": "true"}},
            "provisioner": "ebs.csi.aws.com", "allowVolumeExpansion": true
        });
        assert_eq!(
            narrow("StorageClass", &beta),
            [
                "fast (default)",
                "ebs.csi.aws.com",
                "Delete",
                "Immediate",
                "true",
                "<unknown>"
            ]
        );
        let not_default = json!({"metadata": {"name": "slow", "annotations": {
            "storageclass.kubernetes.io/is-default-class": "false"}},
            "provisioner": "p", "reclaimPolicy": "Retain"});
        assert_eq!(
            narrow("StorageClass", &not_default)[..3],
            ["slow", "p", "Retain"]
        );
    }

    // ---- Cluster --------------------------------------------------------------------------

    fn node(labels: Value, unschedulable: bool, conditions: Value) -> Value {
        json!({
            "metadata": {"name": "node1", "creationTimestamp": "2025-05-20T12:00:00Z",
                         "labels": labels},
            "spec": {"unschedulable": unschedulable},
            "status": {
                "conditions": conditions,
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"},
                              {"type": "Hostname", "address": "node1"}],
                "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Debian GNU/Linux 12 (bookworm)",
                             "kernelVersion": "6.8.0-1017-gcp",
                             "containerRuntimeVersion": "containerd://2.1.1"}
            }
        })
    }

    #[test]
    fn node_rows() {
        let ready = json!([{"type": "MemoryPressure", "status": "False"},
                           {"type": "Ready", "status": "True"}]);
        let cp = node(
            json!({"kubernetes.io/hostname": "node1",
                   "node-role.kubernetes.io/control-plane": "",
                   "node-role.kubernetes.io/master": ""}),
            false,
            ready.clone(),
        );
        assert_eq!(
            wide("Node", &cp),
            [
                "node1",
                "Ready",
                "control-plane,master",
                "12d",
                "v1.33.1",
                "172.18.0.2",
                "<none>",
                "Debian GNU/Linux 12 (bookworm)",
                "6.8.0-1017-gcp",
                "containerd://2.1.1"
            ]
        );
        let cordoned = node(json!({"kubernetes.io/role": "worker"}), true, ready);
        assert_eq!(
            narrow("Node", &cordoned),
            [
                "node1",
                "Ready,SchedulingDisabled",
                "worker",
                "12d",
                "v1.33.1"
            ]
        );
        let not_ready = node(
            json!({}),
            false,
            json!([{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown"}]),
        );
        assert_eq!(narrow("Node", &not_ready)[1..3], ["NotReady", "<none>"]);
        let unknown = node(json!({"node-role.kubernetes.io/": "x"}), true, json!([]));
        assert_eq!(
            narrow("Node", &unknown)[1..3],
            ["Unknown,SchedulingDisabled", "<none>"]
        );
        let bare = json!({"metadata": {"name": "n"}});
        assert_eq!(
            wide("Node", &bare),
            [
                "n",
                "Unknown",
                "<none>",
                "<unknown>",
                "",
                "<none>",
                "<none>",
                "<unknown>",
                "<unknown>",
                "<unknown>"
            ]
        );
    }

    #[test]
    fn namespace_and_service_account() {
        let ns = json!({"metadata": {"name": "default", "creationTimestamp": "2025-05-20T12:00:00Z"},
                        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
        assert_eq!(narrow("Namespace", &ns), ["default", "Active", "12d"]);
        let mut gone = ns.clone();
        gone["status"]["phase"] = json!("Terminating");
        assert_eq!(narrow("Namespace", &gone)[1], "Terminating");

        let sa =
            json!({"metadata": {"name": "default", "creationTimestamp": "2025-05-20T12:00:00Z"}});
        assert_eq!(narrow("ServiceAccount", &sa), ["default", "0", "12d"]);
        let with = json!({"metadata": {"name": "build"}, "secrets": [{"name": "build-token"}]});
        assert_eq!(narrow("ServiceAccount", &with)[1], "1");
    }

    #[test]
    fn resource_quota() {
        let q = json!({
            "metadata": {"name": "compute", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"hard": {}},
            "status": {
                "hard": {"pods": "4", "requests.cpu": "1", "requests.memory": "1Gi",
                         "limits.cpu": "2", "limits.memory": "2Gi", "configmaps": "10"},
                "used": {"pods": "2", "requests.cpu": "500m", "requests.memory": "128Mi",
                         "limits.cpu": "1", "limits.memory": "256Mi", "configmaps": "1"}
            }
        });
        assert_eq!(
            narrow("ResourceQuota", &q),
            [
                "compute",
                "configmaps: 1/10, pods: 2/4, requests.cpu: 500m/1, requests.memory: 128Mi/1Gi",
                "limits.cpu: 1/2, limits.memory: 256Mi/2Gi",
                "5m12s"
            ]
        );
        // Not yet reconciled: nothing in status; unused resources count as 0.
        let fresh = json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "4"}}});
        assert_eq!(narrow("ResourceQuota", &fresh), ["q", "", "", "<unknown>"]);
        let partial = json!({"metadata": {"name": "q"},
                             "status": {"hard": {"limits": "1", "services": "2"}}});
        assert_eq!(
            narrow("ResourceQuota", &partial)[1..3],
            ["limits: 0/1, services: 0/2", ""]
        );
    }

    #[test]
    fn limit_range_uses_the_default_table() {
        let lr = json!({"metadata": {"name": "mem-limit-range",
                                     "creationTimestamp": "2025-05-20T12:00:00Z"},
                        "spec": {"limits": [{"type": "Container", "default": {"memory": "512Mi"}}]}});
        assert_eq!(
            narrow("LimitRange", &lr),
            ["mem-limit-range", "2025-05-20T12:00:00Z"]
        );
        let offset =
            json!({"metadata": {"name": "x", "creationTimestamp": "2025-05-20T14:00:00+02:00"}});
        assert_eq!(narrow("LimitRange", &offset)[1], "2025-05-20T12:00:00Z");
        // printLease: the holder, blank when unset.
        let lease = json!({"metadata": {"name": "n1", "creationTimestamp": "2025-05-20T11:00:00Z"},
            "spec": {"holderIdentity": "n1", "leaseDurationSeconds": 40}});
        assert_eq!(headers("Lease"), ["NAME", "HOLDER", "AGE"]);
        assert_eq!(narrow("Lease", &lease)[..2], ["n1", "n1"]);
        assert_eq!(
            narrow("Lease", &json!({"metadata": {"name": "x"}, "spec": {}}))[1],
            ""
        );
        assert_eq!(
            narrow("LimitRange", &json!({"metadata": {"name": "z"}}))[1],
            "0001-01-01T00:00:00Z"
        );
    }

    #[test]
    fn unknown_kind() {
        let obj = json!({"metadata": {"name": "w", "creationTimestamp": "2025-06-01T11:59:15Z"}});
        assert_eq!(narrow("Widget", &obj), ["w", "45s"]);
    }

    // ---- Networking -----------------------------------------------------------------------

    fn service(spec: Value, status: Value) -> Value {
        json!({"metadata": {"name": "web", "creationTimestamp": "2025-05-20T12:00:00Z"},
               "spec": spec, "status": status})
    }

    #[test]
    fn service_rows() {
        let kubernetes = json!({
            "metadata": {"name": "kubernetes", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]},
            "status": {"loadBalancer": {}}
        });
        assert_eq!(
            wide("Service", &kubernetes),
            [
                "kubernetes",
                "ClusterIP",
                "10.96.0.1",
                "<none>",
                "443/TCP",
                "12d",
                "<none>"
            ]
        );
        let node_port = service(
            json!({"type": "NodePort", "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
                   "selector": {"app": "web", "tier": "fe"},
                   "externalIPs": ["192.0.2.10", "192.0.2.11"],
                   "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"},
                             {"port": 443, "nodePort": 30443, "protocol": "TCP"},
                             {"port": 53, "protocol": "UDP"}]}),
            json!({}),
        );
        assert_eq!(
            wide("Service", &node_port),
            [
                "web",
                "NodePort",
                "10.96.12.7",
                "192.0.2.10,192.0.2.11",
                "80:30080/TCP,443:30443/TCP,53/UDP",
                "12d",
                "app=web,tier=fe"
            ]
        );
        let pending = service(
            json!({"type": "LoadBalancer", "clusterIPs": ["10.96.5.5"],
                   "ports": [{"port": 80, "nodePort": 31234, "protocol": "TCP"}]}),
            json!({"loadBalancer": {}}),
        );
        assert_eq!(
            narrow("Service", &pending),
            [
                "web",
                "LoadBalancer",
                "10.96.5.5",
                "<pending>",
                "80:31234/TCP",
                "12d"
            ]
        );
        let lb = service(
            json!({"type": "LoadBalancer", "clusterIPs": ["10.96.5.5"],
                   "ports": [{"port": 80, "nodePort": 31234}]}),
            json!({"loadBalancer": {"ingress": [
                {"ip": "203.0.113.20"}, {"hostname": "lb.example.com"}, {"ip": "203.0.113.10"},
                {"ip": "203.0.113.10"}]}}),
        );
        assert_eq!(narrow("Service", &lb)[3], "203.0.113.10,...");
        assert_eq!(
            wide("Service", &lb)[3],
            "203.0.113.10,203.0.113.20,lb.example.com"
        );
        let short_lb = service(
            json!({"type": "LoadBalancer", "externalIPs": ["198.51.100.1"]}),
            json!({"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}),
        );
        assert_eq!(
            narrow("Service", &short_lb)[2..5],
            ["<none>", "203.0.113.10,198.51.100.1", "<none>"]
        );
        let external_name = service(
            json!({"type": "ExternalName", "externalName": "db.example.com"}),
            json!({}),
        );
        assert_eq!(
            narrow("Service", &external_name),
            [
                "web",
                "ExternalName",
                "<none>",
                "db.example.com",
                "<none>",
                "12d"
            ]
        );
        let headless = service(
            json!({"clusterIP": "None", "clusterIPs": ["None"], "selector": {"app": "db"},
                   "ports": [{"port": 5432}]}),
            json!({}),
        );
        assert_eq!(
            wide("Service", &headless),
            [
                "web",
                "ClusterIP",
                "None",
                "<none>",
                "5432/TCP",
                "12d",
                "app=db"
            ]
        );
    }

    fn endpoints(subsets: Value) -> Value {
        json!({"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:54:48Z"},
               "subsets": subsets})
    }

    #[test]
    fn endpoints_rows() {
        let five = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}, {"ip": "10.244.0.7"},
                          {"ip": "10.244.1.2"}, {"ip": "10.244.1.3"}],
            "notReadyAddresses": [{"ip": "10.244.2.9"}],
            "ports": [{"port": 80, "protocol": "TCP"}]
        }]));
        assert_eq!(
            narrow("Endpoints", &five),
            [
                "web",
                "10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 2 more...",
                "5m12s"
            ]
        );
        let three = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}, {"ip": "10.244.0.7"}],
            "ports": [{"port": 8080}]}]));
        assert_eq!(
            narrow("Endpoints", &three)[1],
            "10.244.0.5:8080,10.244.0.6:8080,10.244.0.7:8080"
        );
        let two_ports = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}],
            "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]}]));
        assert_eq!(
            narrow("Endpoints", &two_ports)[1],
            "10.244.0.5:80,10.244.0.6:80,10.244.0.5:443 + 1 more..."
        );
        let headless = endpoints(json!([{"addresses": [{"ip": "10.244.0.5"}, {"ip": "fd00::5"}]}]));
        assert_eq!(narrow("Endpoints", &headless)[1], "10.244.0.5,fd00::5");
        let v6 = endpoints(json!([{"addresses": [{"ip": "fd00::5"}], "ports": [{"port": 80}]}]));
        assert_eq!(narrow("Endpoints", &v6)[1], "[fd00::5]:80");
        let none =
            json!({"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:54:48Z"}});
        assert_eq!(narrow("Endpoints", &none), ["web", "<none>", "5m12s"]);
        let only_not_ready = endpoints(json!([{"notReadyAddresses": [{"ip": "10.244.0.5"}],
                                               "ports": [{"port": 80}]}]));
        assert_eq!(narrow("Endpoints", &only_not_ready)[1], "");
    }

    // ---- Events ---------------------------------------------------------------------------

    #[test]
    fn event_rows() {
        let ev = json!({
            "metadata": {"name": "web.17f1c2a3b4c5d6e7", "namespace": "default",
                         "creationTimestamp": "2025-06-01T11:50:00Z"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web",
                               "apiVersion": "v1", "fieldPath": "spec.containers{web}"},
            "reason": "BackOff",
            "message": "Back-off restarting failed container web in pod web_default(uid)\n",
            "source": {"component": "kubelet", "host": "node1"},
            "firstTimestamp": "2025-06-01T11:50:00Z",
            "lastTimestamp": "2025-06-01T11:58:00Z",
            "count": 12,
            "type": "Warning"
        });
        assert_eq!(
            narrow("Event", &ev),
            [
                "2m",
                "Warning",
                "BackOff",
                "pod/web",
                "Back-off restarting failed container web in pod web_default(uid)"
            ]
        );
        assert_eq!(
            wide("Event", &ev),
            [
                "2m",
                "Warning",
                "BackOff",
                "pod/web",
                "spec.containers{web}",
                "kubelet, node1",
                "Back-off restarting failed container web in pod web_default(uid)",
                "10m",
                "12",
                "web.17f1c2a3b4c5d6e7"
            ]
        );
        // A controller event: no host, count 1.
        let scaled = json!({
            "metadata": {"name": "nginx.1"},
            "involvedObject": {"kind": "Deployment", "name": "nginx", "apiVersion": "apps/v1"},
            "reason": "ScalingReplicaSet",
            "message": "Scaled up replica set nginx-7854ff8877 from 0 to 3",
            "source": {"component": "deployment-controller"},
            "firstTimestamp": "2025-06-01T11:54:48Z",
            "lastTimestamp": "2025-06-01T11:54:48Z",
            "count": 1,
            "type": "Normal"
        });
        assert_eq!(
            wide("Event", &scaled),
            [
                "5m12s",
                "Normal",
                "ScalingReplicaSet",
                "deployment/nginx",
                "",
                "deployment-controller",
                "Scaled up replica set nginx-7854ff8877 from 0 to 3",
                "5m12s",
                "1",
                "nginx.1"
            ]
        );
        // events.k8s.io-style event: eventTime only, reporting fields, series.
        let series = json!({
            "metadata": {"name": "n.2"},
            "involvedObject": {"kind": "Node", "name": "node1"},
            "reason": "NodeNotReady",
            "message": "  Node node1 status is now: NodeNotReady  ",
            "reportingComponent": "node-controller",
            "reportingInstance": "cp-1",
            "eventTime": "2025-06-01T11:50:00.123456Z",
            "series": {"count": 4, "lastObservedTime": "2025-06-01T11:59:15.000001Z"},
            "type": "Normal"
        });
        // 44.999999 s: truncated, never rounded.
        assert_eq!(
            wide("Event", &series),
            [
                "44s",
                "Normal",
                "NodeNotReady",
                "node/node1",
                "",
                "node-controller, cp-1",
                "Node node1 status is now: NodeNotReady",
                "9m59s",
                "4",
                "n.2"
            ]
        );
        // No last timestamp: LAST SEEN falls back to FIRST SEEN; no count: 1; no name: kind.
        let bare = json!({"metadata": {"name": "b"}, "involvedObject": {"kind": "Namespace"},
                          "firstTimestamp": "2025-06-01T11:50:00Z", "type": "Normal"});
        assert_eq!(
            wide("Event", &bare),
            [
                "10m",
                "Normal",
                "",
                "namespace",
                "",
                "",
                "",
                "10m",
                "1",
                "b"
            ]
        );
        let timeless = json!({"metadata": {"name": "t"}});
        assert_eq!(wide("Event", &timeless)[0], "<unknown>");
        assert_eq!(wide("Event", &timeless)[7], "<unknown>");
    }

    // ---- Helpers --------------------------------------------------------------------------

    #[test]
    fn format_labels_sorts_pairs() {
        assert_eq!(format_labels(None), "<none>");
        assert_eq!(format_labels(Some(&json!({}))), "<none>");
        assert_eq!(format_labels(Some(&json!("x"))), "<none>");
        assert_eq!(
            format_labels(Some(
                &json!({"run": "web", "app": "nginx", "pod-template-hash": "7854ff8877"})
            )),
            "app=nginx,pod-template-hash=7854ff8877,run=web"
        );
        // Sorted as whole `k=v` strings: `a.b=2` sorts before `a=1`.
        assert_eq!(
            format_labels(Some(&json!({"a": "1", "a.b": "2"}))),
            "a.b=2,a=1"
        );
        assert_eq!(format_labels(Some(&json!({"empty": ""}))), "empty=");
    }

    #[test]
    fn format_label_selector_forms() {
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        assert_eq!(
            format_label_selector(Some(&json!({"matchLabels": {}, "matchExpressions": []}))),
            "<none>"
        );
        assert_eq!(
            format_label_selector(Some(&json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "NotIn", "values": ["z", "b"]},
                {"key": "env", "operator": "In", "values": ["prod"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "example.com/managed", "operator": "Exists"}
            ]}))),
            "app=web,!canary,env in (prod),example.com/managed,tier notin (b,z)"
        );
        let bad = [
            json!({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
            json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}),
            json!({"matchLabels": {"bad key": "v"}}),
            json!({"matchLabels": {"k": "-v"}}),
            json!({"matchLabels": {"Example.com/k": "v"}}),
        ];
        for sel in bad {
            assert_eq!(format_label_selector(Some(&sel)), "<error>", "{sel}");
        }
        assert_eq!(
            format_label_selector(Some(
                &json!({"matchLabels": {"k8s.io/app_name.x": "A-1_b.c"}})
            )),
            "k8s.io/app_name.x=A-1_b.c"
        );
        assert_eq!(label_selector_string(None), "");
        assert_eq!(
            label_selector_string(Some(&json!({"matchLabels": {"app": "nginx"}}))),
            "app=nginx"
        );
    }

    #[test]
    fn access_mode_abbreviations() {
        assert_eq!(access_modes(None), "");
        assert_eq!(access_modes(Some(&json!([]))), "");
        assert_eq!(
            access_modes(Some(&json!([
                "ReadWriteOncePod",
                "ReadWriteMany",
                "ReadOnlyMany",
                "ReadWriteOnce",
                "ReadWriteOnce"
            ]))),
            "RWO,ROX,RWX,RWOP"
        );
        assert_eq!(access_modes(Some(&json!(["Bogus", "ReadOnlyMany"]))), "ROX");
    }

    #[test]
    fn canonical_quantities() {
        let cases = [
            ("0", "0"),
            ("0Gi", "0"),
            ("-0.0", "0"),
            ("1", "1"),
            ("500m", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("0.5", "500m"),
            ("0.1", "100m"),
            ("2000", "2k"),
            ("1200", "1200"),
            ("12000", "12k"),
            ("100Mi", "100Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("1Ki", "1Ki"),
            ("1000Ki", "1000Ki"),
            ("2048", "2048"),
            ("128974848", "128974848"),
            ("1G", "1G"),
            ("1000M", "1G"),
            ("1e3", "1e3"),
            ("1E6", "1e6"),
            ("1500e0", "1500"),
            ("10e2", "1e3"),
            ("1.5e-3", "1500e-6"),
            ("1E", "1E"),
            ("+5", "5"),
            ("-1.5Gi", "-1536Mi"),
            ("1.", "1"),
            (".5", "500m"),
            ("0.0000000001", "1n"),
            ("1.0000000001", "1000000001n"),
            (" 2Gi ", "2Gi"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical_quantity(input).as_deref(), Some(want), "{input}");
        }
        for bad in [
            "", "abc", "1.2.3", "Gi", "1Gb", "1e", "1e+", "--1", "1 Gi", ".",
        ] {
            assert_eq!(canonical_quantity(bad), None, "{bad:?}");
        }
        assert_eq!(quantity(None), "0");
        assert_eq!(quantity(Some(&json!(3))), "3");
        assert_eq!(quantity(Some(&json!("2048Mi"))), "2Gi");
        assert_eq!(quantity(Some(&json!("lots"))), "lots");
    }

    #[test]
    fn container_cells() {
        let cs = [json!({"name": "a", "image": "x:1"}), json!({"name": "b"})];
        assert_eq!(
            layout_container_cells(&cs),
            ("a,b".to_string(), "x:1,".to_string())
        );
        assert_eq!(layout_container_cells(&[]), (String::new(), String::new()));
    }
}
