//! Cell helpers for the server-side table printers behind `kubectl get`, ported from
//! `kubernetes/kubernetes:pkg/printers/internalversion/printers.go`. Each kind's table (its
//! columns beside the `printX` function that fills them) lives in `src/kinds/<kind>/table.rs`;
//! this module holds what those share and knows no kind: the [`Column`] type, JSON access that
//! reads missing fields as Go zero values (empty string, 0, empty list), quantities
//! ([`canonical_quantity`], `resource.Quantity.String()`), [`format_labels`]
//! (labels.FormatLabels), [`format_label_selector`] (metav1.FormatLabelSelector),
//! [`label_selector_string`], [`access_modes`] (GetAccessModesAsString),
//! [`layout_container_cells`] (the CONTAINERS / IMAGES wide cells) and the AGE cells.

use jiff::Timestamp;
use serde_json::Value;

use super::age::age;

/// One column of a `kubectl get` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header as kubectl prints it: the column name upper-cased (`UP-TO-DATE`, `PORT(S)`).
    pub header: &'static str,
    /// A priority ≠ 0 column, printed only with `-o wide`.
    pub wide: bool,
}

/// A column printed always.
pub const fn n(header: &'static str) -> Column {
    Column {
        header,
        wide: false,
    }
}

/// A column printed only with `-o wide`.
pub const fn w(header: &'static str) -> Column {
    Column { header, wide: true }
}

/// The value at `path`, treating JSON `null` as absent (a nil pointer in Go).
pub fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// The string at `path`, or `""`.
pub fn string<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    get(v, path).and_then(Value::as_str).unwrap_or("")
}

/// The string at `path` if present (even if empty).
pub fn opt_string<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    get(v, path).and_then(Value::as_str)
}

/// The integer at `path`, if present.
pub fn opt_int(v: &Value, path: &[&str]) -> Option<i64> {
    get(v, path).and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|f| f as i64)))
}

/// The integer at `path`, or 0.
pub fn int(v: &Value, path: &[&str]) -> i64 {
    opt_int(v, path).unwrap_or(0)
}

/// The boolean at `path`, if present.
pub fn opt_bool(v: &Value, path: &[&str]) -> Option<bool> {
    get(v, path).and_then(Value::as_bool)
}

/// The array at `path`, or an empty slice.
pub fn list<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The number of entries of the map (or array) at `path`.
pub fn len_of(v: &Value, path: &[&str]) -> usize {
    match get(v, path) {
        Some(Value::Object(m)) => m.len(),
        Some(Value::Array(a)) => a.len(),
        _ => 0,
    }
}

/// A scalar rendered the way Go's `%v` / `string(x)` would show it in a cell.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A resource quantity cell: Go's `Quantity.String()`, i.e. the canonical form
/// ([`canonical_quantity`]: `0.5` → `500m`, `1024Mi` → `1Gi`); a missing one is the zero
/// quantity `0`; an unparseable one is shown verbatim.
pub fn quantity(v: Option<&Value>) -> String {
    let raw = match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return "0".to_string(),
    };
    canonical_quantity(&raw).unwrap_or(raw)
}

/// apimachinery `resource.Quantity` canonical form (`ParseQuantity` + `String()`), which is
/// util::quantity's, of the trimmed text (the server's `UnmarshalJSON` trims): decimal
/// values get the largest SI suffix that keeps an integer mantissa (`1500m` → `1500m`,
/// `1000m` → `1`, `0.5` → `500m`, `2000` → `2k`), binary ones (`Ki`..`Ei`) the largest
/// power-of-1024 suffix (`1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`) unless the value is below 1024
/// or not whole (then decimal), exponent forms stay exponents (`1e6` → `1e6`). `None` when `s`
/// is not a quantity or is beyond the exact range.
pub fn canonical_quantity(s: &str) -> Option<String> {
    crate::util::quantity::canonical(s.trim())
}

pub fn name(obj: &Value) -> String {
    string(obj, &["metadata", "name"]).to_string()
}

/// AGE: HumanDuration since `metadata.creationTimestamp`, `<unknown>` when zero.
pub fn creation_age(obj: &Value, now: Timestamp) -> String {
    age(opt_string(obj, &["metadata", "creationTimestamp"]), now)
}

/// The default table convertor's CREATED AT cell: creationTimestamp in UTC, RFC 3339.
pub fn created_at(obj: &Value) -> String {
    let ts = opt_string(obj, &["metadata", "creationTimestamp"])
        .and_then(|s| s.trim().parse::<Timestamp>().ok());
    match ts {
        Some(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => "0001-01-01T00:00:00Z".to_string(),
    }
}

pub fn is_deleting(obj: &Value) -> bool {
    get(obj, &["metadata", "deletionTimestamp"]).is_some()
}

pub fn annotation<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    get(obj, &["metadata", "annotations", key]).and_then(Value::as_str)
}

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
pub struct InvalidSelector;

/// `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key, joined by `,`
/// (`app=web`, `tier in (a,b)`, `env notin (x)`, `k`, `!k`). Both a missing and an empty
/// selector give the empty string; an invalid one (bad operator, bad key/value, wrong number
/// of values) is an error.
pub fn selector_string(sel: Option<&Value>) -> Result<String, InvalidSelector> {
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
pub fn is_qualified_name(s: &str) -> bool {
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
pub fn is_valid_label_value(s: &str) -> bool {
    s.is_empty() || (s.len() <= 63 && is_label_chars(s))
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` on a non-empty string.
pub fn is_label_chars(s: &str) -> bool {
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
pub fn is_dns1123_subdomain(s: &str) -> bool {
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

/// `hasJobCondition`: the first condition of that type decides.
pub fn has_condition(conditions: &[Value], ty: &str) -> bool {
    condition_status(conditions, ty) == Some("True")
}

/// Go's `strings.TrimSpace` (Unicode white space).
pub fn trim_go_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

pub fn condition_status<'a>(conditions: &'a [Value], ty: &str) -> Option<&'a str> {
    conditions
        .iter()
        .find(|c| string(c, &["type"]) == ty)
        .map(|c| string(c, &["status"]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            // ParseQuantity reads no digits as 0.
            ("Gi", "0"),
            (".", "0"),
        ];
        for (input, want) in cases {
            assert_eq!(canonical_quantity(input).as_deref(), Some(want), "{input}");
        }
        for bad in [
            "", "abc", "1.2.3", "1Gb", "1e", "1e+", "--1", "1 Gi", "1e30",
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
