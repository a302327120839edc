//! Reading manifests the way kubectl and the API server do.
//!
//! Two stages, as in Kubernetes:
//!
//! 1. [`parse_documents`] is kubectl's side: it splits a file into documents (YAML `---`
//!    separators exactly as apimachinery's `YAMLReader` does, or a JSON stream when the data
//!    starts with `{`), reads each YAML document with YAML 1.1 scalars (`yes`/`no`/`y`/`n`/`on`/`off`
//!    are booleans, `0777` is octal) into a `serde_json::Value`, rejects duplicate keys and alias
//!    bombs, checks `apiVersion`/`kind` as kubectl's client-side validation does, and flattens
//!    `kind: List` (and any `*List` with `items`) into its items.
//! 2. [`strict_decode`] is the API server's side: it maps `apiVersion`+`kind` to a
//!    [`KindInfo`], decodes into the matching k8s-openapi type (reporting type errors in the
//!    server's Go `encoding/json` words and collecting unknown field paths), and returns the
//!    canonical object (through the typed struct and back, keys sorted).
//!
//! ```ignore
//! for doc in parse_documents(bytes, "x.yaml")? {
//!     let d = strict_decode(doc).map_err(|e| e.with_source("x.yaml"))?;
//!     if !d.unknown_fields.is_empty() {
//!         return Err(unknown_fields_error(d.info, &d.unknown_fields));
//!     }
//!     store(d.object);
//! }
//! ```
//!
//! Error texts follow kubectl 1.33 (`error parsing x.yaml: error converting YAML to JSON: yaml:
//! line 5: mapping values are not allowed in this context`, `error validating "x.yaml": ...`) and
//! the API server (`Deployment in version "v1" cannot be handled as a Deployment: json: cannot
//! unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`).
//!
//! Known approximations: YAML syntax error messages are translated from serde-saphyr's to
//! go-yaml's for the common cases only, and line numbers follow serde-saphyr's positions with
//! go-yaml's parser/scanner line convention; Go type names of named string types
//! (`v1.RestartPolicy`) render as `string`, and `ResourceList` as `map[string]resource.Quantity`.
//! Duplicate mapping keys are rejected (go-yaml v2 in non-strict mode, which kubectl uses, would
//! keep the last one).

use std::fmt;

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::api::errors::ApiError;
use crate::api::kinds::{self, KindInfo};
use crate::kinds::typed::{Decode, DecodeFailure};

/// A failure to read or decode a manifest. `Display` gives the text kubectl prints after its
/// `error: ` prefix (for [`DecodeError::Api`], the full kubectl line for the server error).
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeError {
    /// `error parsing <source>: <message>` (syntax errors, bad document separators).
    Parse { source: String, message: String },
    /// kubectl's client-side validation: `error validating "<source>": error validating data:
    /// <errors>; if you choose to ignore these errors, turn validation off with --validate=false`.
    Validate { source: String, errors: Vec<String> },
    /// No served kind for the object's apiVersion/kind (kubectl's RESTMapper failure).
    /// `source` is empty until the caller sets it with [`DecodeError::with_source`].
    NoKindMatch {
        source: String,
        name: String,
        namespace: String,
        kind: String,
        api_version: String,
    },
    /// The API server refused to decode the object (BadRequest).
    Api(ApiError),
}

impl DecodeError {
    /// Sets the file name shown in a [`DecodeError::NoKindMatch`] message (`from "f.yaml"`).
    pub fn with_source(self, source: &str) -> Self {
        match self {
            DecodeError::NoKindMatch {
                name,
                namespace,
                kind,
                api_version,
                ..
            } => DecodeError::NoKindMatch {
                source: source.to_string(),
                name,
                namespace,
                kind,
                api_version,
            },
            other => other,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Parse { source, message } => {
                write!(f, "error parsing {source}: {message}")
            }
            DecodeError::Validate { source, errors } => {
                let body = if errors.len() == 1 {
                    errors[0].clone()
                } else {
                    format!("[{}]", errors.join(", "))
                };
                write!(
                    f,
                    "error validating \"{source}\": error validating data: {body}; if you choose to ignore these errors, turn validation off with --validate=false"
                )
            }
            DecodeError::NoKindMatch {
                source,
                name,
                namespace,
                kind,
                api_version,
            } => write!(
                f,
                "resource mapping not found for name: {} namespace: {} from {}: no matches for kind {} in version {}\nensure CRDs are installed first",
                go_q(name),
                go_q(namespace),
                go_q(source),
                go_q(kind),
                go_q(api_version)
            ),
            DecodeError::Api(e) => write!(f, "{}", e.kubectl_message()),
        }
    }
}

impl std::error::Error for DecodeError {}

fn go_q(s: &str) -> String {
    crate::api::errors::go_quote(s)
}

/// Reads every object in a manifest file: YAML (multi-document), a JSON object or a stream of
/// JSON objects. Empty documents are skipped; `List` kinds are flattened into their items. Each
/// document must be a mapping with string `apiVersion` and `kind` (kubectl's validation).
/// The first failing document fails the whole call.
pub fn parse_documents(data: &[u8], source: &str) -> Result<Vec<Value>, DecodeError> {
    let mut out = Vec::new();
    for doc in parse_documents_unchecked(data, source)? {
        validate_document(&doc, source)?;
        flatten_into(doc, &mut out);
    }
    Ok(out)
}

/// The documents of a file as parsed, empty ones left out, neither checked for apiVersion
/// and kind nor Lists flattened (`--validate=false`: see [`flatten_list`]).
pub fn parse_documents_unchecked(data: &[u8], source: &str) -> Result<Vec<Value>, DecodeError> {
    let docs = if starts_with_json_object(data) {
        parse_json_stream(data, source)?
    } else {
        parse_yaml_stream(data, source)?
    };
    let mut out = Vec::new();
    for mut doc in docs {
        normalize_numbers(&mut doc);
        if !doc.is_null() {
            out.push(doc);
        }
    }
    Ok(out)
}

/// The items of a List (recursively), or the object itself.
pub fn flatten_list(doc: Value) -> Vec<Value> {
    let mut out = Vec::new();
    flatten_into(doc, &mut out);
    out
}

fn starts_with_json_object(data: &[u8]) -> bool {
    data.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

fn parse_json_stream(data: &[u8], source: &str) -> Result<Vec<Value>, DecodeError> {
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<Value>();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(v)) => out.push(v),
            Some(Err(e)) => {
                let message = if e.is_eof() {
                    "unexpected EOF".to_string()
                } else {
                    // Go: `json: offset N: invalid character 'x' ...`; the offset is just past
                    // the offending byte.
                    let offset = stream.byte_offset();
                    let bad = data
                        .get(offset..)
                        .and_then(|rest| rest.iter().position(|b| !b.is_ascii_whitespace()))
                        .map(|p| offset + p);
                    match bad.and_then(|i| data.get(i).map(|b| (i, *b))) {
                        Some((i, b)) => format!(
                            "json: offset {}: invalid character '{}' looking for beginning of value",
                            i + 1,
                            b as char
                        ),
                        None => format!("json: {e}"),
                    }
                };
                return Err(DecodeError::Parse {
                    source: source.to_string(),
                    message,
                });
            }
        }
    }
    Ok(out)
}

/// Splits a YAML stream into documents as apimachinery's `YAMLReader` does: a line starting
/// with `---` ends the current document; only spaces or a comment may follow the marker.
fn split_yaml(text: &str) -> Result<Vec<String>, String> {
    let mut docs = Vec::new();
    let mut buf = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(format!("invalid Yaml document separator: {trimmed}"));
            }
            if !buf.is_empty() {
                docs.push(std::mem::take(&mut buf));
            }
            continue;
        }
        buf.push_str(line);
    }
    if !buf.is_empty() {
        docs.push(buf);
    }
    Ok(docs)
}

/// serde-saphyr options matching go-yaml v2 as closely as possible, with a budget that stops
/// alias bombs and oversized documents quickly.
fn yaml_options() -> serde_saphyr::Options {
    let mut opts = serde_saphyr::Options::default();
    opts.legacy_octal_numbers = true;
    opts.strict_booleans = false;
    opts.with_snippet = false;
    // go-yaml v2's Unmarshal (not UnmarshalStrict, which kubectl does not use): a key given
    // twice keeps its last value.
    opts.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::LastWins;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 100_000;
    budget.max_events = 400_000;
    budget.max_aliases = 10_000;
    budget.max_depth = 128;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    opts.budget = Some(budget);
    opts.alias_limits.max_total_replayed_events = 50_000;
    opts
}

/// go-yaml's reader (`yaml_parser_update_buffer`) on the first invalid UTF-8 sequence, which
/// starts at `at`: its problem text (a reader error carries no line).
fn go_yaml_utf8_problem(data: &[u8], at: usize) -> &'static str {
    let octet = data[at];
    let width = match octet {
        o if o & 0x80 == 0 => 1,
        o if o & 0xE0 == 0xC0 => 2,
        o if o & 0xF0 == 0xE0 => 3,
        o if o & 0xF8 == 0xF0 => 4,
        _ => return "invalid leading UTF-8 octet",
    };
    if data.len() - at < width {
        return "incomplete UTF-8 octet sequence";
    }
    let mut value = u32::from(match width {
        2 => octet & 0x1F,
        3 => octet & 0x0F,
        _ => octet & 0x07,
    });
    for &o in &data[at + 1..at + width] {
        if o & 0xC0 != 0x80 {
            return "invalid trailing UTF-8 octet";
        }
        value = (value << 6) + u32::from(o & 0x3F);
    }
    let shortest = match width {
        2 => value >= 0x80,
        3 => value >= 0x800,
        _ => value >= 0x10000,
    };
    if !shortest {
        return "invalid length of a UTF-8 sequence";
    }
    // Surrogates and values past U+10FFFF.
    "invalid Unicode character"
}

fn parse_yaml_stream(data: &[u8], source: &str) -> Result<Vec<Value>, DecodeError> {
    let parse_err = |message: String| DecodeError::Parse {
        source: source.to_string(),
        message,
    };
    let text = std::str::from_utf8(data).map_err(|e| {
        parse_err(format!(
            "error converting YAML to JSON: yaml: {}",
            go_yaml_utf8_problem(data, e.valid_up_to())
        ))
    })?;
    let chunks = split_yaml(text).map_err(parse_err)?;
    let opts = yaml_options();
    let mut out = Vec::new();
    for chunk in chunks {
        let docs: Vec<Value> =
            serde_saphyr::from_slice_multiple_with_options(chunk.as_bytes(), opts.clone())
                .map_err(|e| {
                    parse_err(format!(
                        "error converting YAML to JSON: {}",
                        go_yaml_message(&e, &chunk)
                    ))
                })?;
        out.extend(docs);
    }
    Ok(out)
}

/// apimachinery's `yaml.ToJSON` of one document: text that looks like JSON (starts with `{`
/// or `[` after blanks) is returned as is, to be parsed as JSON; otherwise the YAML is
/// converted, or the error is go-yaml's (`yaml: line 1: ...`).
pub fn yaml_to_json(text: &str) -> Result<Option<Value>, String> {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return Ok(None);
    }
    let docs: Vec<Value> =
        serde_saphyr::from_slice_multiple_with_options(text.as_bytes(), yaml_options())
            .map_err(|e| go_yaml_message(&e, text))?;
    Ok(Some(docs.into_iter().next().unwrap_or(Value::Null)))
}

/// A breach of the parsing budget ([`yaml_options`]) in words, never the parser's debug
/// form (`budget breached: Depth { depth: 129 }`): the limit that was passed.
fn budget_message(msg: &str) -> String {
    let what = msg
        .trim_start_matches("budget breached:")
        .trim_start()
        .split([' ', '{', '('])
        .next()
        .unwrap_or("");
    let b = yaml_options().budget.unwrap_or_default();
    match what {
        "Depth" => format!("yaml: exceeded max depth of {}", b.max_depth),
        "Nodes" => format!(
            "yaml: document is too large: more than {} values",
            b.max_nodes
        ),
        "Events" => format!(
            "yaml: document is too large: more than {} parser events",
            b.max_events
        ),
        "ScalarBytes" => format!(
            "yaml: document is too large: more than {} MiB of text in its values",
            b.max_total_scalar_bytes >> 20
        ),
        "Documents" => format!("yaml: too many documents: more than {}", b.max_documents),
        "Anchors" => format!("yaml: too many anchors: more than {}", b.max_anchors),
        _ => "yaml: document exceeds the parser's limits".to_string(),
    }
}

/// Renders a serde-saphyr error the way go-yaml v2 words it (`yaml: line N: <problem>`).
/// go-yaml prints the 1-based line for scanner errors and the 0-based line for parser errors,
/// and no line at all when that number is 0.
fn go_yaml_message(e: &serde_saphyr::Error, chunk: &str) -> String {
    let raw = e.without_snippet().to_string();
    // Strip serde-saphyr's ` at line N, column M` and anything after it.
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let loc = e.location();
    let line = loc.as_ref().map(|l| l.line() as usize).unwrap_or(0);
    let column = loc.as_ref().map(|l| l.column() as usize).unwrap_or(0);
    let with_line = |n: usize, problem: &str| {
        if n == 0 {
            format!("yaml: {problem}")
        } else {
            format!("yaml: line {n}: {problem}")
        }
    };
    let scanner = |problem: &str| with_line(scanner_line(line), problem);
    if msg.starts_with("budget breached") || msg.contains("alias replay") {
        if raw.contains("used at") || msg.contains("alias") {
            return "yaml: document contains excessive aliasing".to_string();
        }
        return budget_message(&msg);
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!(
            "yaml: unmarshal errors:\n  line {line}: key {} already set in map",
            go_q(key)
        );
    }
    if msg.starts_with("non-finite float") {
        let v = if msg.contains("-.inf") || msg.contains("-.Inf") || msg.contains("-.INF") {
            "-Inf"
        } else if msg.to_ascii_lowercase().contains("nan") {
            "NaN"
        } else {
            "+Inf"
        };
        return format!("json: unsupported value: {v}");
    }
    if msg == "alias references unknown anchor" {
        let name = alias_name_at(chunk, line, column);
        return format!("yaml: unknown anchor '{name}' referenced");
    }
    if msg.starts_with("unexpected character") {
        return scanner("found character that cannot start any token");
    }
    if msg.contains("found a tab") {
        return with_line(line + 1, "found a tab character that violates indentation");
    }
    if msg == "invalid indentation in multiline quoted scalar" {
        // An unclosed quote: go-yaml scans to the end of the stream and reports its line.
        let end_line = chunk.matches('\n').count() + 1;
        return with_line(end_line, "found unexpected end of stream");
    }
    if msg.contains("tabs disallowed") {
        return scanner("found character that cannot start any token");
    }
    if msg.contains("simple key expected ':'") {
        // go-yaml finds the key impossible at the next line's token.
        return with_line(line + 1, "could not find expected ':'");
    }
    if let Some(b) = msg.strip_prefix("unclosed bracket '") {
        let close = if b.starts_with('{') { '}' } else { ']' };
        return with_line(line, &format!("did not find expected ',' or '{close}'"));
    }
    // Parser errors: `while parsing X, did not find expected Y` → 0-based line.
    if let Some(i) = msg.find("did not find expected") {
        return with_line(line.saturating_sub(1), &msg[i..]);
    }
    scanner(&msg)
}

/// go-yaml's line for a scanner error found on 1-based `line`: the same number, or none on
/// the first line.
fn scanner_line(line: usize) -> usize {
    if line <= 1 { 0 } else { line }
}

/// The anchor name of the alias (`*name`) at 1-based line/column of `chunk`.
fn alias_name_at(chunk: &str, line: usize, column: usize) -> String {
    let Some(l) = chunk.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let start = column.saturating_sub(1);
    let rest: String = l.chars().skip(start).collect();
    let rest = rest.strip_prefix('*').unwrap_or(&rest);
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '[' | '{'))
        .collect()
}

/// Turns integral floats into integers, as Go's YAML→JSON conversion followed by
/// `json.Marshal` does (`3.0` and `1e3` are sent as `3` and `1000`).
fn normalize_numbers(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if n.is_f64()
                && let Some(f) = n.as_f64()
                && f.is_finite()
                && f.fract() == 0.0
                && f.abs() < 1e21
            {
                if f >= i64::MIN as f64 && f < i64::MAX as f64 {
                    *v = Value::from(f as i64);
                } else if f >= 0.0 && f < u64::MAX as f64 {
                    *v = Value::from(f as u64);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_numbers),
        Value::Object(m) => m.values_mut().for_each(normalize_numbers),
        _ => {}
    }
}

/// kubectl's `getObjectKind`: the object must be a map with string apiVersion and kind.
fn object_kind_errors(v: &Value) -> Vec<String> {
    let Some(m) = v.as_object() else {
        return vec!["invalid object to validate".to_string()];
    };
    let mut errs = Vec::new();
    match m.get("apiVersion") {
        None | Some(Value::Null) => errs.push("apiVersion not set".to_string()),
        Some(Value::String(s)) => {
            if s.matches('/').count() > 1 {
                errs.push(format!("unexpected GroupVersion string: {s}"));
            }
        }
        Some(_) => errs.push("apiVersion isn't string type".to_string()),
    }
    match m.get("kind") {
        None | Some(Value::Null) => errs.push("kind not set".to_string()),
        Some(Value::String(_)) => {}
        Some(_) => errs.push("kind isn't string type".to_string()),
    }
    errs
}

fn is_list(v: &Value) -> bool {
    v.get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.ends_with("List"))
        && (v.get("items").is_some() || v.get("kind").and_then(Value::as_str) == Some("List"))
}

fn validate_document(doc: &Value, source: &str) -> Result<(), DecodeError> {
    let mut errors = object_kind_errors(doc);
    if errors.is_empty() && is_list(doc) {
        match doc.get("items").and_then(Value::as_array) {
            None => errors.push("invalid object to validate".to_string()),
            Some(items) => {
                for item in items {
                    errors.extend(object_kind_errors(item));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::Validate {
            source: source.to_string(),
            errors,
        })
    }
}

fn flatten_into(doc: Value, out: &mut Vec<Value>) {
    if is_list(&doc) {
        if let Value::Object(mut m) = doc
            && let Some(Value::Array(items)) = m.remove("items")
        {
            for item in items {
                flatten_into(item, out);
            }
        }
        return;
    }
    out.push(doc);
}

/// The result of [`strict_decode`].
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The kind the object's apiVersion/kind resolved to.
    pub info: &'static KindInfo,
    /// The canonical object: through the typed k8s-openapi struct and back, keys sorted.
    pub object: Value,
    /// Paths of fields the type does not know (`spec.template.spec.containers[0].imagee`),
    /// in the order met (keys sorted, as the server sees kubectl's JSON).
    pub unknown_fields: Vec<String>,
}

/// Decodes one object as the API server does: resolves apiVersion+kind, decodes into the
/// k8s-openapi type, and returns the canonical object and unknown field paths. Errors are
/// [`DecodeError::NoKindMatch`] (set its file with [`DecodeError::with_source`]) or
/// [`DecodeError::Api`] (BadRequest, the server's words).
pub fn strict_decode(obj: Value) -> Result<Decoded, DecodeError> {
    let mut obj = obj;
    normalize_numbers(&mut obj);
    let api_version = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let kind = obj
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    // The other served version of a kind, converted as the API server converts it.
    if api_version == crate::kinds::horizontalpodautoscaler::V1
        && kind == crate::kinds::horizontalpodautoscaler::NAME
    {
        crate::kinds::horizontalpodautoscaler::from_v1(&mut obj);
        return strict_decode(obj);
    }
    let Some(info) = kinds::by_api_version_kind(&api_version, &kind) else {
        let meta = |k: &str| {
            obj.get("metadata")
                .and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        return Err(DecodeError::NoKindMatch {
            source: String::new(),
            name: meta("name"),
            namespace: meta("namespace"),
            kind,
            api_version,
        });
    };
    if let Some(field) = info.base64_field
        && let Some(Value::Object(data)) = obj.get_mut(field)
    {
        for v in data.values_mut() {
            if let Value::String(s) = v {
                match go_base64_decode(s.as_bytes()) {
                    Ok(bytes) => *s = base64::engine::general_purpose::STANDARD.encode(bytes),
                    Err(offset) => {
                        return Err(DecodeError::Api(cannot_handle(
                            info,
                            &format!("illegal base64 data at input byte {offset}"),
                        )));
                    }
                }
            }
        }
    }
    let (object, unknown_fields) = decode_typed(info, &obj)?;
    if let Some(e) = invalid_quantity(&object) {
        return Err(DecodeError::Api(cannot_handle(info, &e.to_string())));
    }
    Ok(Decoded {
        info,
        object,
        unknown_fields,
    })
}

/// The maps whose values are `resource.Quantity` in the served kinds (resource requirements,
/// capacities, quota, limit ranges, allocated resources), and the single quantities.
const QUANTITY_MAPS: &[&str] = &[
    "requests",
    "limits",
    "capacity",
    "allocatable",
    "allocatedResources",
    "hard",
    "used",
    "max",
    "min",
    "default",
    "defaultRequest",
    "maxLimitRequestRatio",
];
const QUANTITY_FIELDS: &[&str] = &["sizeLimit", "divisor"];

/// `Quantity.UnmarshalJSON` on every quantity of a decoded object: `ParseQuantity` of the
/// trimmed text. Its format and suffix errors fail the decoding as on the server
/// (`quantities must match the regular expression ...`); a value beyond util::quantity's exact
/// range (`1e30`), which the server keeps as an inf.Dec, passes.
fn invalid_quantity(v: &Value) -> Option<crate::util::quantity::QuantityError> {
    use crate::util::quantity::{Quantity, QuantityError};
    let check = |q: &Value| match q {
        Value::String(s) => match Quantity::parse(s.trim()) {
            Err(e @ (QuantityError::FormatWrong | QuantityError::Suffix)) => Some(e),
            _ => None,
        },
        _ => None,
    };
    match v {
        Value::Object(m) => m.iter().find_map(|(k, c)| match c {
            Value::Object(q) if QUANTITY_MAPS.contains(&k.as_str()) => {
                q.values().find_map(&check).or_else(|| invalid_quantity(c))
            }
            Value::String(_) if QUANTITY_FIELDS.contains(&k.as_str()) => check(c),
            _ => invalid_quantity(c),
        }),
        Value::Array(a) => a.iter().find_map(invalid_quantity),
        _ => None,
    }
}

/// The server's BadRequest for unknown fields under strict field validation:
/// `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error:
/// unknown field "spec.replica", unknown field "..."`.
pub fn unknown_fields_error(info: &KindInfo, fields: &[String]) -> ApiError {
    let list: Vec<String> = fields
        .iter()
        .map(|f| format!("unknown field {}", go_q(f)))
        .collect();
    cannot_handle(info, &format!("strict decoding error: {}", list.join(", ")))
}

fn cannot_handle(info: &KindInfo, why: &str) -> ApiError {
    ApiError::bad_request(format!(
        "{} in version {} cannot be handled as a {}: {why}",
        info.kind,
        go_q(info.version),
        info.kind
    ))
}

/// Decodes through the kind's k8s-openapi type ([`KindInfo::decode`]), rendering a type error
/// in the server's Go words.
fn decode_typed(info: &'static KindInfo, obj: &Value) -> Result<(Value, Vec<String>), DecodeError> {
    let mut unknown = Vec::new();
    match (info.decode)(obj, &mut unknown) {
        Ok(object) => Ok((object, unknown)),
        Err(DecodeFailure::Encode(e)) => Err(DecodeError::Api(ApiError::new(
            crate::api::errors::Reason::InternalError,
            e.to_string(),
        ))),
        Err(DecodeFailure::Type(e)) => {
            let segs: Vec<Seg> = e.path().iter().map(Seg::from).collect();
            let inner = e.into_inner().to_string();
            let why = go_json_error(info, obj, &segs, &inner);
            Err(DecodeError::Api(cannot_handle(info, &why)))
        }
    }
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl From<&serde_path_to_error::Segment> for Seg {
    fn from(s: &serde_path_to_error::Segment) -> Self {
        match s {
            serde_path_to_error::Segment::Seq { index } => Seg::Index(*index),
            serde_path_to_error::Segment::Map { key } => Seg::Key(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Seg::Key(variant.clone()),
            serde_path_to_error::Segment::Unknown => Seg::Key("?".to_string()),
        }
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// What serde's `expected ...` says the type at `path` is, found by replacing that node with a
/// value no container accepts (`true`, then `0`) and decoding again.
fn probe_expected(decode: Decode, obj: &Value, path: &[Seg], with: Value) -> Option<String> {
    let mut copy = obj.clone();
    *node_mut(&mut copy, path)? = with;
    let mut sink = Vec::new();
    let Err(DecodeFailure::Type(err)) = decode(&copy, &mut sink) else {
        return None;
    };
    let segs: Vec<Seg> = err.path().iter().map(Seg::from).collect();
    let msg = err.into_inner().to_string();
    let expected = msg.rsplit_once(", expected ")?.1.to_string();
    (segs == path).then_some(expected)
}

/// The serde "expected" text of the node at `path`, when the node is a container or leaf whose
/// type rejects a boolean or a number.
fn expected_at(decode: Decode, obj: &Value, path: &[Seg]) -> Option<String> {
    probe_expected(decode, obj, path, Value::Bool(true))
        .or_else(|| probe_expected(decode, obj, path, Value::from(0)))
}

/// Go's name for the type serde describes as `expected` at `path`.
fn go_type(decode: Decode, obj: &Value, path: &[Seg], expected: &str, depth: usize) -> String {
    let elem = |probe: Value, seg: Seg| -> String {
        if depth > 4 {
            return "interface {}".to_string();
        }
        let mut copy = obj.clone();
        let Some(node) = node_mut(&mut copy, path) else {
            return "interface {}".to_string();
        };
        *node = probe;
        let mut sub = path.to_vec();
        sub.push(seg);
        match expected_at(decode, &copy, &sub) {
            Some(e) => go_type(decode, &copy, &sub, &e, depth + 1),
            None => "interface {}".to_string(),
        }
    };
    match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "u64" => "uint64".into(),
        "f64" => "float64".into(),
        "f32" => "float32".into(),
        "a string" | "a borrowed string" | "a character" => "string".into(),
        "a boolean" => "bool".into(),
        "a base64-encoded string" => "[]uint8".into(),
        "Quantity" => "resource.Quantity".into(),
        "IntOrString" => "intstr.IntOrString".into(),
        "a sequence" => format!("[]{}", elem(Value::Array(vec![Value::Null]), Seg::Index(0))),
        "a map" => {
            let mut m = Map::new();
            m.insert("k".to_string(), Value::Null);
            format!(
                "map[string]{}",
                elem(Value::Object(m), Seg::Key("k".into()))
            )
        }
        other if other.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => {
            format!("v1.{}", other.split_whitespace().last().unwrap_or(other))
        }
        other => other.to_string(),
    }
}

/// Go's `UnmarshalTypeError.Value` for serde's `invalid type: <unexpected>` text.
fn go_value(unexpected: &str, go_ty: &str) -> String {
    let numeric_target = go_ty.starts_with("int") || go_ty.starts_with("uint");
    if let Some(lit) = unexpected
        .strip_prefix("integer `")
        .or_else(|| unexpected.strip_prefix("floating point `"))
    {
        let lit = lit.trim_end_matches('`');
        return if numeric_target {
            format!("number {lit}")
        } else {
            "number".to_string()
        };
    }
    if unexpected.starts_with("string") {
        "string".into()
    } else if unexpected.starts_with("boolean") {
        "bool".into()
    } else if unexpected.starts_with("sequence") {
        "array".into()
    } else if unexpected.starts_with("map") {
        "object".into()
    } else if unexpected.starts_with("null") || unexpected.starts_with("unit") {
        "null".into()
    } else {
        unexpected.to_string()
    }
}

/// Renders a typed-decoding failure as Go's `encoding/json` would (as used by the apiserver):
/// `json: cannot unmarshal <value> into Go struct field <Struct>.<json.path> of type <type>`.
/// The struct is the innermost Go struct holding the field; the path lists JSON field names
/// from the root, without map keys or indices.
fn go_json_error(info: &KindInfo, obj: &Value, segs: &[Seg], inner: &str) -> String {
    let (unexpected, expected) = if let Some(rest) = inner
        .strip_prefix("invalid type: ")
        .or_else(|| inner.strip_prefix("invalid value: "))
    {
        match rest.rsplit_once(", expected ") {
            Some((u, e)) => (u.to_string(), e.to_string()),
            None => return inner.to_string(),
        }
    } else {
        return inner.to_string();
    };
    let ty = go_type(info.decode, obj, segs, &expected, 0);
    let value = go_value(&unexpected, &ty);
    let mut struct_name = info.kind.to_string();
    let mut fields: Vec<String> = Vec::new();
    for k in 0..segs.len() {
        let parent = if k == 0 {
            Some(info.kind.to_string())
        } else {
            expected_at(info.decode, obj, &segs[..k])
        };
        match (&segs[k], parent.as_deref()) {
            (Seg::Key(key), Some(p))
                if p.chars().next().is_some_and(|c| c.is_ascii_uppercase()) =>
            {
                struct_name = p.to_string();
                fields.push(key.clone());
            }
            _ => {}
        }
    }
    if fields.is_empty() {
        format!("json: cannot unmarshal {value} into Go value of type {ty}")
    } else {
        format!(
            "json: cannot unmarshal {value} into Go struct field {struct_name}.{} of type {ty}",
            fields.join(".")
        )
    }
}

/// Go's `base64.StdEncoding.Decode` (non-strict: `\r`/`\n` ignored, trailing bits not checked).
/// Returns the decoded bytes, or the byte offset Go reports in `illegal base64 data at input
/// byte N`.
fn go_base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    fn val(c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0usize;
    while si < src.len() {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4usize;
        let mut j = 0usize;
        let mut trailing_err: Option<usize> = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = val(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            // Padding.
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing_err = Some(si);
            }
            dlen = j;
            break;
        }
        let v = (u32::from(dbuf[0]) << 18)
            | (u32::from(dbuf[1]) << 12)
            | (u32::from(dbuf[2]) << 6)
            | u32::from(dbuf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(off) = trailing_err {
            return Err(off);
        }
        if dlen < 4 {
            return Ok(out);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(s: &str) -> Result<Vec<Value>, String> {
        parse_documents(s.as_bytes(), "x.yaml").map_err(|e| e.to_string())
    }

    fn decode_err(v: Value) -> String {
        match strict_decode(v) {
            Err(DecodeError::Api(e)) => e.message,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    /// Issue 13/16: quantities are parsed on decoding, as `Quantity.UnmarshalJSON` does.
    #[test]
    fn invalid_quantities_fail_decoding() {
        let pod = |q: &str| {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                   "spec": {"containers": [{"name": "c", "image": "i",
                       "resources": {"requests": {"memory": q}}}],
                       "volumes": [{"name": "v", "emptyDir": {"sizeLimit": "1Gi"}}]}})
        };
        let re = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
        for bad in ["lots", "2Qi", "1.5 GB"] {
            assert_eq!(
                decode_err(pod(bad)),
                format!("Pod in version \"v1\" cannot be handled as a Pod: {re}")
            );
        }
        assert_eq!(
            decode_err(pod("2kk")),
            "Pod in version \"v1\" cannot be handled as a Pod: unable to parse quantity's suffix"
        );
        // ParseQuantity reads a bare suffix as 0 (no digits: "0"), and trims.
        for ok in ["Gi", " 2Gi ", "1e30", "0.5", "100m"] {
            assert!(strict_decode(pod(ok)).is_ok(), "{ok}");
        }
        let mut bad_volume = pod("1Gi");
        *bad_volume
            .pointer_mut("/spec/volumes/0/emptyDir/sizeLimit")
            .unwrap() = json!("x");
        assert_eq!(
            decode_err(bad_volume),
            format!("Pod in version \"v1\" cannot be handled as a Pod: {re}")
        );
        // A LimitRange's maps, a Node's capacity.
        let lr = json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"},
            "spec": {"limits": [{"type": "Container", "default": {"cpu": "lots"}}]}});
        assert!(decode_err(lr).ends_with(re));
        let node = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"},
            "status": {"capacity": {"pods": "110"}}});
        assert!(strict_decode(node).is_ok());
    }

    #[test]
    fn multi_document_yaml_skips_empty_documents() {
        let docs = parse(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\n--- # c\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n...\n",
        )
        .unwrap();
        let names: Vec<&str> = docs
            .iter()
            .map(|d| d["metadata"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(parse("").unwrap(), Vec::<Value>::new());
        assert_eq!(parse("~\n").unwrap(), Vec::<Value>::new());
    }

    #[test]
    fn lists_are_flattened() {
        let docs = parse(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n",
        )
        .unwrap();
        let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["ConfigMap", "Secret", "ConfigMap"]);
        assert_eq!(
            parse("apiVersion: v1\nkind: List\nitems: []\n")
                .unwrap()
                .len(),
            0
        );
    }

    #[test]
    fn json_object_and_stream() {
        let one = parse_documents(
            br#"  {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"n":"1"}}"#,
            "x.json",
        )
        .unwrap();
        assert_eq!(one.len(), 1);
        let stream = parse_documents(
            b"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}\n{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}\n",
            "x.json",
        )
        .unwrap();
        assert_eq!(stream.len(), 2);
        assert_eq!(stream[1]["metadata"]["name"], "b");
        let eof = parse_documents(b"{\"a\": 1}\n{\"b\": 2\n", "t.yaml").unwrap_err();
        assert_eq!(eof.to_string(), "error parsing t.yaml: unexpected EOF");
    }

    #[test]
    fn yaml_1_1_scalars() {
        let docs = parse(
            "apiVersion: v1\nkind: X\nv: {a: y, b: on, c: 0777, d: 1_000, e: 0x1F, f: 1e3, g: .5, h: ~, i: 2001-12-14, j: 3.0, k: NO, l: off, m: 1:20, n: \"yes\"}\n",
        )
        .unwrap();
        assert_eq!(
            docs[0]["v"],
            json!({"a": true, "b": true, "c": 511, "d": 1000, "e": 31, "f": 1000, "g": 0.5, "h": null,
                   "i": "2001-12-14", "j": 3, "k": false, "l": false, "m": "1:20", "n": "yes"})
        );
        assert!(docs[0]["v"]["j"].is_i64());
    }

    #[test]
    fn yaml_syntax_errors_in_kubectl_words() {
        // Each expectation checked against kubectl 1.33 (`create -f t.yaml --dry-run=client`).
        let cases = [
            (
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  foo: bar: baz\n",
                "line 5: mapping values are not allowed in this context",
            ),
            (
                "a: b: c\n",
                "mapping values are not allowed in this context",
            ),
            ("a:\n  b: c\n d: e\n", "line 2: did not find expected key"),
            (
                "a:\n- b\n  c\n- d: e\n f: g\n",
                "line 4: did not find expected key",
            ),
            ("- a\nb: c\n", "line 1: did not find expected '-' indicator"),
            ("a: {b: 1\n", "line 1: did not find expected ',' or '}'"),
            ("a: \"x\n", "line 2: found unexpected end of stream"),
            ("a: @b\n", "found character that cannot start any token"),
            (
                "a: &x {b: 1}\nc: *x\nd: *y\n",
                "unknown anchor 'y' referenced",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse(input).unwrap_err(),
                format!("error parsing x.yaml: error converting YAML to JSON: yaml: {want}"),
                "{input:?}"
            );
        }
        // Line numbers count from the start of the document, as kubectl splits first.
        assert_eq!(
            parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\na: b\n  c: d\n")
                .unwrap_err(),
            "error parsing x.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
        );
        assert_eq!(
            parse("apiVersion: v1\nkind: ConfigMap\n--- {a: 1}\n").unwrap_err(),
            "error parsing x.yaml: invalid Yaml document separator: {a: 1}"
        );
    }

    #[test]
    fn budget_breaches_are_words_not_debug_output() {
        // A document past the depth limit (parsed on a main-thread-sized stack, as the
        // binary parses it), and one past the scalar-bytes limit.
        let deep = format!("a: {}1{}", "[".repeat(130), "]".repeat(130));
        let e = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || parse(&deep).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert!(e.ends_with("yaml: exceeded max depth of 128"), "{e}");
        let big = format!("a: {}\nb: {}\n", "x".repeat(9 << 20), "y".repeat(9 << 20));
        let e = parse(&big).unwrap_err();
        assert!(
            e.ends_with("yaml: document is too large: more than 16 MiB of text in its values"),
            "{e}"
        );
        for raw in [
            "budget breached: Nodes { nodes: 100001 }",
            "budget breached: Events { events: 400001 }",
            "budget breached: Whatever { x: 1 }",
        ] {
            let m = budget_message(raw);
            assert!(!m.contains('{') && m.starts_with("yaml: "), "{m}");
        }
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        // kubectl 1.33 `label -f F --local a=b -o yaml` on a ConfigMap with `data` given
        // twice printed the second.
        let docs = parse(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: z\ndata:\n  a: \"1\"\ndata:\n  b: \"2\"\n",
        )
        .unwrap();
        assert_eq!(docs[0]["metadata"]["name"], "z");
        assert_eq!(docs[0]["data"], serde_json::json!({"b": "2"}));
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut s = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            s.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
        }
        // Not timed (a loaded machine made a wall-clock bound flaky): expanding these aliases
        // would build 9^9 strings, so getting the budget's error at all proves it fails fast.
        let err = parse(&s).unwrap_err();
        assert_eq!(
            err,
            "error parsing x.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing"
        );
        // Ordinary aliases and merge keys still work.
        let ok =
            parse("apiVersion: v1\nkind: X\nb: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(ok[0]["d"], json!({"x": 1, "y": 3}));
    }

    #[test]
    fn missing_api_version_and_kind() {
        let tail =
            "; if you choose to ignore these errors, turn validation off with --validate=false";
        let cases = [
            (
                "metadata:\n  name: x\n",
                "[apiVersion not set, kind not set]",
            ),
            ("apiVersion: v1\nmetadata: {}\n", "kind not set"),
            ("kind: ConfigMap\n", "apiVersion not set"),
            (
                "apiVersion: 1\nkind: ConfigMap\n",
                "apiVersion isn't string type",
            ),
            ("apiVersion: v1\nkind: 5\n", "kind isn't string type"),
            (
                "apiVersion: a/b/c\nkind: ConfigMap\n",
                "unexpected GroupVersion string: a/b/c",
            ),
            ("- a\n- b\n", "invalid object to validate"),
            ("just a string\n", "invalid object to validate"),
            ("apiVersion: v1\nkind: List\n", "invalid object to validate"),
            (
                "apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n",
                "apiVersion not set",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse(input).unwrap_err(),
                format!("error validating \"x.yaml\": error validating data: {want}{tail}"),
                "{input:?}"
            );
        }
    }

    #[test]
    fn yes_no_into_configmap_data_is_a_type_error() {
        let docs =
            parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: yes\n")
                .unwrap();
        assert_eq!(
            decode_err(docs[0].clone()),
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string"
        );
        let labels = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": true}}});
        assert_eq!(
            decode_err(labels),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"
        );
    }

    #[test]
    fn type_errors_read_like_the_apiserver() {
        let d = |spec: Value| json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec});
        let p = "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal";
        assert_eq!(
            decode_err(d(json!({"replicas": "3"}))),
            format!("{p} string into Go struct field DeploymentSpec.spec.replicas of type int32")
        );
        assert_eq!(
            decode_err(d(json!({"replicas": 3.5}))),
            format!(
                "{p} number 3.5 into Go struct field DeploymentSpec.spec.replicas of type int32"
            )
        );
        assert_eq!(
            decode_err(d(json!({"replicas": 3_000_000_000u64}))),
            format!(
                "{p} number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"
            )
        );
        assert_eq!(
            decode_err(d(json!("x"))),
            format!("{p} string into Go struct field Deployment.spec of type v1.DeploymentSpec")
        );
        assert_eq!(
            decode_err(d(json!({"template": {"spec": {"containers": "nginx"}}}))),
            format!(
                "{p} string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"
            )
        );
        assert_eq!(
            decode_err(d(
                json!({"template": {"spec": {"containers": [{"name": "c", "image": 5}]}}})
            )),
            format!(
                "{p} number into Go struct field Container.spec.template.spec.containers.image of type string"
            )
        );
        assert_eq!(
            decode_err(d(
                json!({"template": {"spec": {"containers": [{"name": "c", "args": [1]}]}}})
            )),
            format!(
                "{p} number into Go struct field Container.spec.template.spec.containers.args of type string"
            )
        );
        assert_eq!(
            decode_err(d(json!({"selector": {"matchLabels": []}}))),
            format!(
                "{p} array into Go struct field LabelSelector.spec.selector.matchLabels of type map[string]string"
            )
        );
    }

    #[test]
    fn unknown_fields_at_depth() {
        let d = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "labelz": {}},
            "spec": {"replica": 2, "template": {"spec": {"containers": [{"name": "c", "image": "i"}, {"name": "e", "imagee": "x"}]}}}
        });
        let got = strict_decode(d).unwrap();
        assert_eq!(
            got.unknown_fields,
            [
                "metadata.labelz",
                "spec.replica",
                "spec.template.spec.containers[1].imagee"
            ]
        );
        let e = unknown_fields_error(got.info, &got.unknown_fields);
        assert_eq!(e.reason, crate::api::errors::Reason::BadRequest);
        assert_eq!(
            e.message,
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"metadata.labelz\", unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[1].imagee\""
        );
        // Canonical output drops them.
        assert!(got.object["spec"].get("replica").is_none());
    }

    #[test]
    fn unknown_kind() {
        let e =
            strict_decode(json!({"apiVersion": "v1", "kind": "Gizmo", "metadata": {"name": "x"}}))
                .unwrap_err()
                .with_source("f.yaml");
        assert_eq!(
            e.to_string(),
            "resource mapping not found for name: \"x\" namespace: \"\" from \"f.yaml\": no matches for kind \"Gizmo\" in version \"v1\"\nensure CRDs are installed first"
        );
        let e = strict_decode(json!({"apiVersion": "apps/v1beta2", "kind": "Deployment", "metadata": {"name": "n", "namespace": "ns"}}))
            .unwrap_err()
            .with_source("d.yaml");
        assert_eq!(
            e.to_string(),
            "resource mapping not found for name: \"n\" namespace: \"ns\" from \"d.yaml\": no matches for kind \"Deployment\" in version \"apps/v1beta2\"\nensure CRDs are installed first"
        );
    }

    #[test]
    fn secret_base64_as_go_reads_it() {
        let s = |data: Value| json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": data});
        let got = strict_decode(s(json!({"a": "aGVs\nbG8=\n", "b": "aGk=", "c": "aGl="}))).unwrap();
        assert_eq!(
            got.object["data"],
            json!({"a": "aGVsbG8=", "b": "aGk=", "c": "aGk="})
        );
        assert_eq!(
            decode_err(s(json!({"a": "abcd$"}))),
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4"
        );
        assert_eq!(
            decode_err(s(json!({"a": "abc"}))),
            "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0"
        );
        assert_eq!(go_base64_decode(b"aGk=x"), Err(4));
        assert_eq!(go_base64_decode(b"a==="), Err(1));
        assert_eq!(go_base64_decode(b"aG=="), Ok(b"h".to_vec()));
        assert_eq!(go_base64_decode(b"aG="), Err(3));
        assert_eq!(go_base64_decode(b""), Ok(vec![]));
        assert_eq!(
            decode_err(s(json!({"a": 5}))),
            "Secret in version \"v1\" cannot be handled as a Secret: json: cannot unmarshal number into Go struct field Secret.data of type []uint8"
        );
    }

    #[test]
    fn full_deployment_round_trip() {
        let yaml = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
  labels: {app: web}
  annotations: {note: "yes"}
spec:
  replicas: 3
  revisionHistoryLimit: 10
  selector:
    matchLabels: {app: web}
    matchExpressions:
    - {key: tier, operator: In, values: [fe]}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web, tier: fe}
    spec:
      restartPolicy: Always
      terminationGracePeriodSeconds: 30
      containers:
      - name: nginx
        image: nginx:1.27
        args: ["-g", "daemon off;"]
        ports:
        - {containerPort: 80, protocol: TCP}
        env:
        - {name: A, value: "1"}
        resources:
          limits: {cpu: 500m, memory: 128Mi}
          requests: {cpu: 0.25, memory: 64Mi}
        readinessProbe:
          httpGet: {path: /, port: 80}
          periodSeconds: 5
"#;
        let docs = parse_documents(yaml.as_bytes(), "d.yaml").unwrap();
        let got = strict_decode(docs[0].clone()).unwrap();
        assert_eq!(got.info.kind, "Deployment");
        assert!(got.unknown_fields.is_empty(), "{:?}", got.unknown_fields);
        let want: Value = serde_json::from_str(r#"{
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {"annotations": {"note": "yes"}, "labels": {"app": "web"}, "name": "web", "namespace": "prod"},
          "spec": {
            "replicas": 3, "revisionHistoryLimit": 10,
            "selector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe"]}], "matchLabels": {"app": "web"}},
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}, "type": "RollingUpdate"},
            "template": {
              "metadata": {"labels": {"app": "web", "tier": "fe"}},
              "spec": {
                "containers": [{
                  "args": ["-g", "daemon off;"], "env": [{"name": "A", "value": "1"}], "image": "nginx:1.27", "name": "nginx",
                  "ports": [{"containerPort": 80, "protocol": "TCP"}],
                  "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5},
                  "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "0.25", "memory": "64Mi"}}
                }],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30
              }
            }
          }
        }"#).unwrap();
        assert_eq!(got.object, want);
        // Decoding the canonical form again is a fixed point.
        assert_eq!(
            strict_decode(got.object.clone()).unwrap().object,
            got.object
        );
    }

    #[test]
    fn every_kind_decodes() {
        for k in crate::api::kinds::KINDS {
            let got = strict_decode(
                json!({"apiVersion": k.api_version(), "kind": k.kind, "metadata": {"name": "x"}}),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", k.kind));
            assert_eq!(got.info.kind, k.kind);
            assert_eq!(got.object["metadata"]["name"], "x");
        }
    }
}
