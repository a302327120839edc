//! Label and field selectors, ported from apimachinery 1.33 (`pkg/labels/selector.go`,
//! `pkg/fields/selector.go`) with the same grammar, canonical `String()` forms and error texts.
//!
//! ```ignore
//! let sel = Selector::parse("app=web,tier in (fe,be),!canary")?;
//! assert!(sel.matches(&labels));
//! assert_eq!(sel.to_string(), "!canary,app=web,tier in (be,fe)");
//!
//! let fs = FieldSelector::parse("status.phase=Running,spec.nodeName!=")?;
//! fs.check_supported("Pod")?; // the apiserver's "field label not supported: ..." otherwise
//! assert!(fs.matches(&pod_json));
//! ```
//!
//! Label selector parse errors are apimachinery's (`unable to parse requirement: ...`,
//! `found ',', expected: identifier after ','`); the API server returns them as a BadRequest.

use crate::util::go_quote;
use crate::util::ptr::Ptr;
use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde_json::Value;

/// A requirement operator (apimachinery `selection.Operator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One `key op values` term.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

impl Requirement {
    /// apimachinery's `NewRequirement`: validates key, operator arity and values; the error is
    /// the aggregate of field errors.
    fn new(key: &str, op: Op, values: Vec<String>) -> Result<Requirement, String> {
        let mut errs: Vec<String> = Vec::new();
        if let Some(e) = validate_label_key(key, "key") {
            errs.push(e);
        }
        let vals_go = || {
            let q: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
            if values.is_empty() {
                "[]string(nil)".to_string()
            } else {
                format!("[]string{{{}}}", q.join(", "))
            }
        };
        match op {
            Op::In | Op::NotIn => {
                if values.is_empty() {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'in', 'notin' operators, values set can't be empty",
                        vals_go()
                    ));
                }
            }
            Op::Equals | Op::DoubleEquals | Op::NotEquals => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: exact-match compatibility requires one single value",
                        vals_go()
                    ));
                }
            }
            Op::Exists | Op::DoesNotExist => {
                if !values.is_empty() {
                    errs.push(format!(
                        "values: Invalid value: {}: values set must be empty for exists and does not exist",
                        vals_go()
                    ));
                }
            }
            Op::GreaterThan | Op::LessThan => {
                if values.len() != 1 {
                    errs.push(format!(
                        "values: Invalid value: {}: for 'Gt', 'Lt' operators, exactly one value is required",
                        vals_go()
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    if v.parse::<i64>().is_err() {
                        errs.push(format!(
                            "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                            go_quote(v)
                        ));
                    }
                }
            }
        }
        for (i, v) in values.iter().enumerate() {
            let msgs = label_value_errors(v);
            if !msgs.is_empty() {
                errs.push(format!(
                    "values[{i}][{key}]: Invalid value: {}: {}",
                    go_quote(v),
                    msgs.join("; ")
                ));
            }
        }
        if errs.is_empty() {
            Ok(Requirement {
                key: key.to_string(),
                op,
                values,
            })
        } else {
            Err(aggregate(errs))
        }
    }

    fn matches(&self, get: &dyn Fn(&str) -> Option<String>) -> bool {
        match self.op {
            Op::In | Op::Equals | Op::DoubleEquals => {
                get(&self.key).is_some_and(|v| self.values.contains(&v))
            }
            Op::NotIn | Op::NotEquals => get(&self.key).is_none_or(|v| !self.values.contains(&v)),
            Op::Exists => get(&self.key).is_some(),
            Op::DoesNotExist => get(&self.key).is_none(),
            Op::GreaterThan | Op::LessThan => {
                let Some(Ok(have)) = get(&self.key).map(|v| v.parse::<i64>()) else {
                    return false;
                };
                let [want] = self.values.as_slice() else {
                    return false;
                };
                let Ok(want) = want.parse::<i64>() else {
                    return false;
                };
                if self.op == Op::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Op::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        match self.op {
            Op::Equals => f.write_str("=")?,
            Op::DoubleEquals => f.write_str("==")?,
            Op::NotEquals => f.write_str("!=")?,
            Op::In => f.write_str(" in ")?,
            Op::NotIn => f.write_str(" notin ")?,
            Op::GreaterThan => f.write_str(">")?,
            Op::LessThan => f.write_str("<")?,
            Op::Exists | Op::DoesNotExist => return Ok(()),
        }
        let set = matches!(self.op, Op::In | Op::NotIn);
        if set {
            f.write_str("(")?;
        }
        let mut vals = self.values.clone();
        vals.sort();
        f.write_str(&vals.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A label selector: the AND of its requirements, sorted by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    reqs: Vec<Requirement>,
    /// `labels.Nothing()`: matches no object.
    nothing: bool,
}

impl Selector {
    /// Parses kubectl's `-l` syntax (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`,
    /// `!a`, `a>1`, `a<1`, comma-joined). Errors are apimachinery's texts.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut p = Parser::new(s);
        let mut reqs = p.parse()?;
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector {
            reqs,
            nothing: false,
        })
    }

    /// metav1 `ParseToLabelSelector`: `=`/`==` terms become `matchLabels`, the others
    /// `matchExpressions` (values sorted); the two lists are left out when empty, as the
    /// typed struct prints them.
    pub fn parse_to_label_selector(s: &str) -> Result<Value, String> {
        let reqs = Selector::parse(s)
            .map_err(|e| format!("couldn't parse the selector string \"{s}\": {e}"))?
            .reqs;
        let mut labels = serde_json::Map::new();
        let mut exprs = Vec::new();
        for r in reqs {
            let op = match r.op {
                Op::Equals | Op::DoubleEquals => {
                    labels.insert(r.key, Value::String(r.values[0].clone()));
                    continue;
                }
                Op::In => "In",
                Op::NotIn => "NotIn",
                Op::NotEquals => {
                    return Err("\"!=\" is not a valid label selector operator".into());
                }
                Op::Exists => "Exists",
                Op::DoesNotExist => "DoesNotExist",
                Op::GreaterThan => return Err("\"gt\" isn't supported in label selectors".into()),
                Op::LessThan => return Err("\"lt\" isn't supported in label selectors".into()),
            };
            let mut values = r.values;
            values.sort();
            values.dedup();
            let mut e = serde_json::Map::new();
            e.insert("key".into(), Value::String(r.key));
            e.insert("operator".into(), Value::String(op.into()));
            if !values.is_empty() {
                e.insert("values".into(), serde_json::json!(values));
            }
            exprs.push(Value::Object(e));
        }
        let mut out = serde_json::Map::new();
        if !labels.is_empty() {
            out.insert("matchLabels".into(), Value::Object(labels));
        }
        if !exprs.is_empty() {
            out.insert("matchExpressions".into(), Value::Array(exprs));
        }
        Ok(Value::Object(out))
    }

    /// metav1 `LabelSelectorAsSelector`: matchLabels as `=` requirements, matchExpressions
    /// (`In`, `NotIn`, `Exists`, `DoesNotExist`). An empty selector matches everything.
    pub fn from_label_selector(ls: &LabelSelector) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        if let Some(m) = &ls.match_labels {
            for (k, v) in m {
                reqs.push(Requirement::new(k, Op::Equals, vec![v.clone()])?);
            }
        }
        for e in ls.match_expressions.iter().flatten() {
            let op = match e.operator.as_str() {
                "In" => Op::In,
                "NotIn" => Op::NotIn,
                "Exists" => Op::Exists,
                "DoesNotExist" => Op::DoesNotExist,
                other => {
                    return Err(format!(
                        "{} is not a valid label selector operator",
                        go_quote(other)
                    ));
                }
            };
            reqs.push(Requirement::new(
                &e.key,
                op,
                e.values.clone().unwrap_or_default(),
            )?);
        }
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector {
            reqs,
            nothing: false,
        })
    }

    /// An equality selector from a map (ReplicationController / Service style); no validation,
    /// as apimachinery's `SelectorFromSet`. An empty map matches everything.
    pub fn from_map(m: &BTreeMap<String, String>) -> Selector {
        Selector {
            reqs: m
                .iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    op: Op::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
            nothing: false,
        }
    }

    /// The selector that matches everything (`labels.Everything()`).
    pub fn everything() -> Selector {
        Selector {
            reqs: Vec::new(),
            nothing: false,
        }
    }

    /// The selector that matches nothing (`labels.Nothing()`, e.g. for a nil LabelSelector).
    pub fn nothing() -> Selector {
        Selector {
            reqs: Vec::new(),
            nothing: true,
        }
    }

    /// True when the selector does not restrict anything (no requirements).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.reqs.is_empty()
    }

    /// True when every requirement matches these labels.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.nothing
            && self
                .reqs
                .iter()
                .all(|r| r.matches(&|k| labels.get(k).cloned()))
    }

    /// [`matches`](Self::matches) over labels given as a JSON object (`metadata.labels`);
    /// `None`, null or a non-object means no labels. Non-string values are not labels.
    pub fn matches_value(&self, labels: Option<&Value>) -> bool {
        let map = labels.and_then(Value::as_object);
        let get = |k: &str| {
            map.and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        !self.nothing && self.reqs.iter().all(|r| r.matches(&get))
    }
}

/// Whether a typed `LabelSelector` selects these labels (`LabelSelectorAsSelector` then
/// `Matches`): an empty selector selects everything, an invalid one (an unknown operator, a
/// malformed key or value) nothing.
pub fn label_selector_matches(ls: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    Selector::from_label_selector(ls).is_ok_and(|s| s.matches(labels))
}

impl fmt::Display for Selector {
    /// apimachinery's `String()`: requirements sorted by key, joined with `,`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.reqs.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Error,
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn keyword(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosedPar,
        "," => Tok::Comma,
        "!" => Tok::DoesNotExist,
        "==" => Tok::DoubleEquals,
        "=" => Tok::Equals,
        ">" => Tok::GreaterThan,
        "in" => Tok::In,
        "<" => Tok::LessThan,
        "!=" => Tok::NotEquals,
        "notin" => Tok::NotIn,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// apimachinery's label selector lexer (byte oriented, NUL ends the input).
fn lex(s: &str) -> Vec<(Tok, String)> {
    let b = s.as_bytes();
    let mut pos = 0usize;
    let read = |pos: &mut usize| -> u8 {
        if *pos < b.len() {
            *pos += 1;
            b[*pos - 1]
        } else {
            0
        }
    };
    let mut out = Vec::new();
    loop {
        let mut ch = read(&mut pos);
        while is_ws(ch) {
            ch = read(&mut pos);
        }
        if ch == 0 {
            out.push((Tok::End, String::new()));
            return out;
        }
        pos -= 1;
        if is_special(ch) {
            let mut buf: Vec<u8> = Vec::new();
            let mut last: Option<(Tok, String)> = None;
            loop {
                let c = read(&mut pos);
                if c == 0 {
                    break;
                }
                if is_special(c) {
                    buf.push(c);
                    let s = String::from_utf8_lossy(&buf).into_owned();
                    if let Some(t) = keyword(&s) {
                        last = Some((t, s));
                    } else if last.is_some() {
                        pos -= 1;
                        break;
                    }
                } else {
                    pos -= 1;
                    break;
                }
            }
            match last {
                Some(item) => out.push(item),
                None => out.push((
                    Tok::Error,
                    format!(
                        "error expected: keyword found '{}'",
                        String::from_utf8_lossy(&buf)
                    ),
                )),
            }
        } else {
            let mut buf: Vec<u8> = Vec::new();
            loop {
                let c = read(&mut pos);
                if c == 0 {
                    break;
                }
                if is_special(c) || is_ws(c) {
                    pos -= 1;
                    break;
                }
                buf.push(c);
            }
            let s = String::from_utf8_lossy(&buf).into_owned();
            match keyword(&s) {
                Some(t) => out.push((t, s)),
                None => out.push((Tok::Identifier, s)),
            }
        }
    }
}

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    KeyAndOperator,
    Values,
}

impl Parser {
    fn new(s: &str) -> Parser {
        Parser {
            items: lex(s),
            pos: 0,
        }
    }

    fn item(&self, i: usize) -> (Tok, String) {
        self.items
            .get(i)
            .cloned()
            .unwrap_or((Tok::End, String::new()))
    }

    fn adjust(t: Tok, ctx: Ctx) -> Tok {
        if ctx == Ctx::Values && matches!(t, Tok::In | Tok::NotIn) {
            Tok::Identifier
        } else {
            t
        }
    }

    fn lookahead(&self, ctx: Ctx) -> (Tok, String) {
        let (t, l) = self.item(self.pos);
        (Self::adjust(t, ctx), l)
    }

    fn consume(&mut self, ctx: Ctx) -> (Tok, String) {
        self.pos += 1;
        let (t, l) = self.item(self.pos - 1);
        (Self::adjust(t, ctx), l)
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Ctx::Values);
            match tok {
                Tok::Identifier | Tok::DoesNotExist => {
                    let r = self
                        .parse_requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    let (t, l) = self.consume(Ctx::Values);
                    match t {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let (t2, l2) = self.lookahead(Ctx::Values);
                            if t2 != Tok::Identifier && t2 != Tok::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Tok::End => return Ok(reqs),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ));
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, op) = self.parse_key_and_infer_operator()?;
        if let Some(op) = op {
            return Requirement::new(&key, op, Vec::new());
        }
        let op = self.parse_operator()?;
        let values = match op {
            Op::In | Op::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        Requirement::new(&key, op, values)
    }

    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<Op>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Ctx::Values);
        if tok == Tok::DoesNotExist {
            op = Some(Op::DoesNotExist);
            (tok, lit) = self.consume(Ctx::Values);
        }
        if tok != Tok::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        if let Some(e) = validate_label_key(&lit, "<nil>") {
            return Err(e);
        }
        let (t, _) = self.lookahead(Ctx::Values);
        if (t == Tok::End || t == Tok::Comma) && op.is_none() {
            op = Some(Op::Exists);
        }
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Op, String> {
        let (tok, lit) = self.consume(Ctx::KeyAndOperator);
        Ok(match tok {
            Tok::In => Op::In,
            Tok::Equals => Op::Equals,
            Tok::DoubleEquals => Op::DoubleEquals,
            Tok::GreaterThan => Op::GreaterThan,
            Tok::LessThan => Op::LessThan,
            Tok::NotIn => Op::NotIn,
            Tok::NotEquals => Op::NotEquals,
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ));
            }
        })
    }

    /// `(a,b,...)`: a sorted set (duplicates dropped, empty strings allowed).
    fn parse_values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Ctx::Values);
        if tok != Tok::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(Ctx::Values);
        match tok {
            Tok::Identifier | Tok::Comma => {
                let s = self.parse_identifiers_list()?;
                let (t, _) = self.consume(Ctx::Values);
                if t != Tok::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(s)
            }
            Tok::ClosedPar => {
                self.consume(Ctx::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<Vec<String>, String> {
        let mut set: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        loop {
            let (tok, lit) = self.consume(Ctx::Values);
            match tok {
                Tok::Identifier => {
                    set.insert(lit);
                    let (t2, l2) = self.lookahead(Ctx::Values);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => return Ok(set.into_iter().collect()),
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        set.insert(String::new());
                    }
                    let (t2, _) = self.lookahead(Ctx::Values);
                    if t2 == Tok::ClosedPar {
                        set.insert(String::new());
                        return Ok(set.into_iter().collect());
                    }
                    if t2 == Tok::Comma {
                        set.insert(String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<Vec<String>, String> {
        let (tok, _) = self.lookahead(Ctx::Values);
        if tok == Tok::End || tok == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(Ctx::Values);
        if tok == Tok::Identifier {
            Ok(vec![lit])
        } else {
            Err(format!("found '{lit}', expected: identifier"))
        }
    }
}

/// utilerrors aggregate formatting: one error bare, several as `[a, b]` (duplicates dropped).
fn aggregate(errs: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    }
}

const QNAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QNAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    let ex: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{re}')",
        ex.join(" or ")
    )
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`
fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
                && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// validation.IsQualifiedName (1.33 wording).
fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                if prefix.len() > 253 {
                    errs.push("prefix part must be no more than 253 characters".to_string());
                }
                if !is_dns1123_subdomain(prefix) {
                    errs.push(format!(
                        "prefix part {}",
                        regex_error(
                            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
                            &["example.com"],
                        )
                    ));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QNAME_ERR, QNAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(QNAME_ERR, QNAME_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

/// validation.IsValidLabelValue.
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `<path>: Invalid value: "<key>": <errors>` when the key is not a valid label key.
fn validate_label_key(key: &str, path: &str) -> Option<String> {
    let errs = qualified_name_errors(key);
    if errs.is_empty() {
        None
    } else {
        Some(format!(
            "{path}: Invalid value: {}: {}",
            go_quote(key),
            errs.join("; ")
        ))
    }
}

/// One `field=value` / `field!=value` term of a field selector.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldTerm {
    field: String,
    value: String,
    equal: bool,
}

/// A field selector (`--field-selector`): the AND of `field=value`, `field==value` and
/// `field!=value` terms, sorted as apimachinery sorts them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector {
    terms: Vec<FieldTerm>,
}

/// apimachinery `fields.EscapeValue`.
fn escape_field_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace('=', "\\=")
}

/// apimachinery `fields.UnescapeValue`.
fn unescape_field_value(s: &str) -> Result<String, String> {
    if !s.contains(['\\', ',', '=']) {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut in_slash = false;
    for c in s.chars() {
        if in_slash {
            match c {
                '\\' | ',' | '=' => out.push(c),
                _ => {
                    return Err(format!(
                        "invalid field selector: invalid escape sequence: \\{c}"
                    ));
                }
            }
            in_slash = false;
            continue;
        }
        match c {
            '\\' => in_slash = true,
            ',' | '=' => {
                return Err(format!(
                    "invalid field selector: unescaped character in value: {}",
                    c as u32
                ));
            }
            _ => out.push(c),
        }
    }
    if in_slash {
        return Err("invalid field selector: invalid escape sequence: \\".to_string());
    }
    Ok(out)
}

fn split_field_terms(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut start = 0;
    let mut in_slash = false;
    for (i, c) in s.char_indices() {
        if in_slash {
            in_slash = false;
        } else if c == '\\' {
            in_slash = true;
        } else if c == ',' {
            terms.push(&s[start..i]);
            start = i + 1;
        }
    }
    terms.push(&s[start..]);
    terms
}

fn split_field_term(term: &str) -> Option<(&str, &str, &str)> {
    for (i, _) in term.char_indices() {
        let rest = &term[i..];
        for op in ["!=", "==", "="] {
            if let Some(rhs) = rest.strip_prefix(op) {
                return Some((&term[..i], op, rhs));
            }
        }
    }
    None
}

impl FieldSelector {
    /// Parses `a=b`, `a==b`, `a!=b`, comma-joined (with `\,` `\=` `\\` escapes in values).
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut parts = split_field_terms(s);
        parts.sort();
        let mut terms = Vec::new();
        for part in parts {
            if part.is_empty() {
                continue;
            }
            let Some((lhs, op, rhs)) = split_field_term(part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            let value = unescape_field_value(rhs)?;
            terms.push(FieldTerm {
                field: lhs.to_string(),
                value,
                equal: op != "!=",
            });
        }
        Ok(FieldSelector { terms })
    }

    /// True when the selector has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when every term matches the object's selectable fields (as the apiserver's
    /// `ToSelectableFields` computes them: a missing field reads as "", booleans as
    /// `true`/`false`, counters as decimal integers).
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms.iter().all(|t| {
            let have = selectable_field(obj, &t.field);
            (have == t.value) == t.equal
        })
    }

    /// Whether the API server accepts these field labels for `kind` (the bare Kind, e.g.
    /// `Pod`). The error is the server's BadRequest message, e.g. `field label not supported:
    /// foo`; kubectl get prints it as `Error from server (BadRequest): Unable to find
    /// "/v1, Resource=pods" that match label selector "", field selector "foo=bar": field label
    /// not supported: foo`.
    pub fn check_supported(&self, kind: &str) -> Result<(), String> {
        for t in &self.terms {
            let f = t.field.as_str();
            let ok = match kind {
                "Pod" => matches!(
                    f,
                    "metadata.name"
                        | "metadata.namespace"
                        | "spec.nodeName"
                        | "spec.restartPolicy"
                        | "spec.schedulerName"
                        | "spec.serviceAccountName"
                        | "spec.hostNetwork"
                        | "status.phase"
                        | "status.podIP"
                        | "status.podIPs"
                        | "status.nominatedNodeName"
                        | "spec.host"
                ),
                "Node" => matches!(f, "metadata.name" | "spec.unschedulable"),
                "ReplicationController" => {
                    matches!(
                        f,
                        "metadata.name" | "metadata.namespace" | "status.replicas"
                    )
                }
                "Event" => matches!(
                    f,
                    "involvedObject.kind"
                        | "involvedObject.namespace"
                        | "involvedObject.name"
                        | "involvedObject.uid"
                        | "involvedObject.apiVersion"
                        | "involvedObject.resourceVersion"
                        | "involvedObject.fieldPath"
                        | "reason"
                        | "reportingComponent"
                        | "source"
                        | "type"
                        | "metadata.namespace"
                        | "metadata.name"
                ),
                "Namespace" => matches!(f, "status.phase" | "metadata.name"),
                "Secret" => matches!(f, "type" | "metadata.namespace" | "metadata.name"),
                "Service" => matches!(
                    f,
                    "metadata.namespace" | "metadata.name" | "spec.clusterIP" | "spec.type"
                ),
                "Job" => {
                    if !matches!(
                        f,
                        "metadata.name" | "metadata.namespace" | "status.successful"
                    ) {
                        return Err(format!(
                            "field label {} not supported for batchv1.Job",
                            go_quote(f)
                        ));
                    }
                    true
                }
                _ => {
                    if !matches!(f, "metadata.name" | "metadata.namespace") {
                        return Err(format!(
                            "{} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                            go_quote(f)
                        ));
                    }
                    true
                }
            };
            if !ok {
                return Err(format!("field label not supported: {f}"));
            }
        }
        Ok(())
    }

    #[cfg(test)]
    fn matches_set(&self, set: &BTreeMap<&str, &str>) -> bool {
        self.terms.iter().all(|t| {
            let have = set.get(t.field.as_str()).copied().unwrap_or("");
            (have == t.value) == t.equal
        })
    }
}

impl fmt::Display for FieldSelector {
    /// apimachinery's `String()`: `field=value` / `field!=value`, escaped, comma-joined.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| {
                format!(
                    "{}{}{}",
                    t.field,
                    if t.equal { "=" } else { "!=" },
                    escape_field_value(&t.value)
                )
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// The value the apiserver's selectable-fields set holds for `field` on `obj`.
fn selectable_field(obj: &Value, field: &str) -> String {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let path = match (kind, field) {
        ("Pod", "spec.host") => "spec.nodeName",
        ("Event", "source") => "source.component",
        ("Event", "reportingComponent") => "reportingController",
        ("Job", "status.successful") => "status.succeeded",
        _ => field,
    };
    if kind == "Pod" && field == "status.podIP" {
        return obj
            .ptr("/status/podIPs/0/ip")
            .or_else(|| obj.ptr("/status/podIP"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
    }
    let mut cur = Some(obj);
    for seg in path.split('.') {
        cur = cur.and_then(|v| v.get(seg));
    }
    match cur {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => match (kind, field) {
            ("Node", "spec.unschedulable") | ("Pod", "spec.hostNetwork") => "false".into(),
            ("ReplicationController", "status.replicas") | ("Job", "status.successful") => {
                "0".into()
            }
            _ => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    // apimachinery pkg/labels/selector_test.go TestSelectorParse.
    #[test]
    fn parse_good_and_bad() {
        for s in [
            "x=a,y=b,z=c",
            "",
            "x!=a,y=b",
            "x=",
            "x= ",
            "x=,z= ",
            "x= ,z= ",
            "!x",
            "x>1",
            "x>1,z<5",
        ] {
            let sel = Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(sel.to_string(), s.replace(' ', ""), "{s}");
        }
        for s in ["x=a||y=b", "x==a==b", "!x=a", "x<a"] {
            assert!(Selector::parse(s).is_err(), "{s}");
        }
        assert_eq!(
            Selector::parse("x=a,a=x").unwrap().to_string(),
            Selector::parse("a=x,x=a").unwrap().to_string()
        );
    }

    #[test]
    fn parse_error_texts() {
        let cases = [
            (
                "x=a||y=b",
                "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ),
            ("x==a==b", "found '==', expected: ',' or 'end of string'"),
            ("!x=a", "found '=', expected: ',' or 'end of string'"),
            (
                "x<a",
                "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
            ),
            ("x,,y", "found ',', expected: identifier after ','"),
            (
                ",x,y",
                "found ',', expected: !, identifier, or 'end of string'",
            ),
            (
                "x nott in (y)",
                "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt",
            ),
            ("a in (xyz),", "found '', expected: identifier after ','"),
            (
                "a in (xyz)b notin ()",
                "found 'b', expected: ',' or 'end of string'",
            ),
            (
                "a in (xyz abc)",
                "unable to parse requirement: found 'abc', expected: ',' or ')'",
            ),
            (
                "a notin(",
                "unable to parse requirement: found '', expected: ',', ')' or identifier",
            ),
            (
                "a (",
                "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt",
            ),
            (
                "(",
                "found '(', expected: !, identifier, or 'end of string'",
            ),
            ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ];
        for (input, want) in cases {
            assert_eq!(Selector::parse(input).unwrap_err(), want, "{input:?}");
        }
        assert_eq!(
            Selector::parse("a/b/c").unwrap_err(),
            "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        );
    }

    // TestSetSelectorParser: valid inputs and their canonical forms.
    #[test]
    fn set_selector_parser() {
        let cases = [
            ("\rx", "x"),
            (
                "this-is-a-dns.domain.com/key-with-dash",
                "this-is-a-dns.domain.com/key-with-dash",
            ),
            (
                "this-is-another-dns.domain.com/key-with-dash in (so,what)",
                "this-is-another-dns.domain.com/key-with-dash in (so,what)",
            ),
            (
                "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
                "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)",
            ),
            ("foo  in\t (abc)", "foo in (abc)"),
            ("x notin\n (abc)", "x notin (abc)"),
            ("x  notin\t\t(abc,def)", "x notin (abc,def)"),
            ("x in (abc,)", "x in (,abc)"),
            ("x in (abc,abc)", "x in (abc)"),
            ("x in ()", "x in ()"),
            ("x in (a,,)", "x in (,a)"),
            ("x in (a,,,,,,)", "x in (,a)"),
            ("x in (a,,a,,a,,a,,)", "x in (,a)"),
            (
                "x notin (abc,,def),bar,z in (),w",
                "bar,w,x notin (,abc,def),z in ()",
            ),
            ("x,y in (a)", "x,y in (a)"),
            ("x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"),
            ("x notin ( )", "x notin ()"),
            ("x notin (, a)", "x notin (,a)"),
            ("a ", "a"),
            ("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"),
            ("x==a", "x==a"),
        ];
        for (input, want) in cases {
            let got = Selector::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(got.to_string(), want, "{input:?}");
        }
    }

    // TestSelectorMatches + TestRequirementSelectorMatching.
    #[test]
    fn matching() {
        let yes = [
            ("", set(&[("x", "y")])),
            ("x=y", set(&[("x", "y")])),
            ("x=y,z=w", set(&[("x", "y"), ("z", "w")])),
            ("x!=y,z!=w", set(&[("x", "z"), ("z", "a")])),
            ("notin=in", set(&[("notin", "in")])),
            ("x", set(&[("x", "z")])),
            ("!x", set(&[("y", "z")])),
            ("x>1", set(&[("x", "2")])),
            ("x<1", set(&[("x", "0")])),
            ("foo=bar,baz=blah", set(&[("foo", "bar"), ("baz", "blah")])),
            (
                "x in (foo),y notin (alpha)",
                set(&[("x", "foo"), ("y", "baz")]),
            ),
            ("x notin (),y", set(&[("y", "")])),
            ("!x,y", set(&[("y", "")])),
            ("z>1", set(&[("z", "2")])),
        ];
        for (s, l) in yes {
            assert!(Selector::parse(s).unwrap().matches(&l), "{s} {l:?}");
        }
        let no = [
            ("x=z", set(&[])),
            ("x=y", set(&[("x", "z")])),
            ("x=y,z=w", set(&[("x", "w"), ("z", "w")])),
            ("x!=y,z!=w", set(&[("x", "z"), ("z", "w")])),
            ("x", set(&[("y", "z")])),
            ("!x", set(&[("x", "z")])),
            ("x>1", set(&[("x", "0")])),
            ("x<1", set(&[("x", "2")])),
            ("foo=blah", set(&[("foo", "bar"), ("baz", "blah")])),
            (
                "x in (foo),y in (alpha)",
                set(&[("x", "foo"), ("y", "baz")]),
            ),
            ("x notin (),!y", set(&[("y", "")])),
            ("x in ()", set(&[("y", "baz")])),
            ("z>1", set(&[("z", "v2")])),
        ];
        for (s, l) in no {
            assert!(!Selector::parse(s).unwrap().matches(&l), "{s} {l:?}");
        }
    }

    #[test]
    fn everything_nothing_and_values() {
        assert!(Selector::everything().is_empty());
        assert!(Selector::everything().matches(&set(&[("x", "y")])));
        assert!(!Selector::nothing().is_empty());
        assert!(!Selector::nothing().matches(&set(&[])));
        assert!(Selector::parse("").unwrap().is_empty());
        let s = Selector::parse("app=web,!canary").unwrap();
        assert!(s.matches_value(Some(&serde_json::json!({"app": "web"}))));
        assert!(!s.matches_value(Some(&serde_json::json!({"app": "web", "canary": "1"}))));
        assert!(!s.matches_value(None));
        assert!(Selector::parse("!a").unwrap().matches_value(None));
    }

    #[test]
    fn from_label_selector_and_map() {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;
        let ls = LabelSelector {
            match_labels: Some([("app".to_string(), "web".to_string())].into()),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: "In".into(),
                    values: Some(vec!["fe".into(), "be".into()]),
                },
                LabelSelectorRequirement {
                    key: "canary".into(),
                    operator: "DoesNotExist".into(),
                    values: None,
                },
            ]),
        };
        let s = Selector::from_label_selector(&ls).unwrap();
        assert_eq!(s.to_string(), "app=web,!canary,tier in (be,fe)");
        assert!(s.matches(&set(&[("app", "web"), ("tier", "be")])));
        assert!(!s.matches(&set(&[("app", "web"), ("tier", "x")])));
        let empty = Selector::from_label_selector(&LabelSelector::default()).unwrap();
        assert!(empty.is_empty() && empty.matches(&set(&[])));
        let bad_op = LabelSelector {
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "a".into(),
                operator: "Equals".into(),
                values: None,
            }]),
            ..Default::default()
        };
        assert_eq!(
            Selector::from_label_selector(&bad_op).unwrap_err(),
            "\"Equals\" is not a valid label selector operator"
        );
        let no_values = LabelSelector {
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "a".into(),
                operator: "In".into(),
                values: None,
            }]),
            ..Default::default()
        };
        assert_eq!(
            Selector::from_label_selector(&no_values).unwrap_err(),
            "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
        );
        let m = Selector::from_map(&set(&[("b", "2"), ("a", "1")]));
        assert_eq!(m.to_string(), "a=1,b=2");
        assert!(Selector::from_map(&set(&[])).is_empty());
    }

    // apimachinery pkg/fields/selector_test.go.
    #[test]
    fn field_selector_parse_and_string() {
        for s in ["x=a,y=b,z=c", "", "x!=a,y=b", r"x=a||y\=b", r"x=a\=\=b"] {
            assert_eq!(FieldSelector::parse(s).unwrap().to_string(), s, "{s}");
        }
        for s in [
            "x=a||y=b",
            "x==a==b",
            "x=a,b",
            "x in (a)",
            "x in (a,b,c)",
            "x",
        ] {
            assert!(FieldSelector::parse(s).is_err(), "{s}");
        }
        assert_eq!(
            FieldSelector::parse("x=a,b").unwrap_err(),
            "invalid selector: 'x=a,b'; can't understand 'b'"
        );
        assert_eq!(
            FieldSelector::parse("x==a==b").unwrap_err(),
            "invalid field selector: unescaped character in value: 61"
        );
        assert_eq!(
            FieldSelector::parse(r"x=\a").unwrap_err(),
            r"invalid field selector: invalid escape sequence: \a"
        );
        assert_eq!(FieldSelector::parse("x==a").unwrap().to_string(), "x=a");
        assert_eq!(
            FieldSelector::parse("x=a,a=x").unwrap().to_string(),
            FieldSelector::parse("a=x,x=a").unwrap().to_string()
        );
        for (raw, esc) in [
            ("", ""),
            ("a", "a"),
            ("=", r"\="),
            (",", r"\,"),
            ("\\", r"\\"),
            (r"\=\,\", r"\\\=\\\,\\"),
        ] {
            assert_eq!(escape_field_value(raw), esc);
            assert_eq!(unescape_field_value(esc).unwrap(), raw);
        }
        for bad in [r"\", r"\\\", r"\a"] {
            assert!(unescape_field_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn field_selector_matches_sets() {
        let m = |s: &str, pairs: &[(&str, &str)]| {
            FieldSelector::parse(s)
                .unwrap()
                .matches_set(&pairs.iter().copied().collect())
        };
        assert!(m("", &[("x", "y")]));
        assert!(m("x=y", &[("x", "y")]));
        assert!(m("x!=y,z!=w", &[("x", "z"), ("z", "a")]));
        assert!(m("notin=in", &[("notin", "in")]));
        assert!(!m("x=y", &[("x", "z")]));
        assert!(!m("x!=y,z!=w", &[("x", "z"), ("z", "w")]));
        let fs = [("foo", "bar"), ("baz", "blah"), ("complex", r"=value\,\")];
        assert!(m(r"foo=bar,baz=blah,complex=\=value\\\,\\", &fs));
        assert!(!m("foo=bar,foobar=bar,baz=blah", &fs));
    }

    #[test]
    fn field_selector_on_objects() {
        let pod = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "default"},
            "spec": {"nodeName": "n1", "restartPolicy": "Always"},
            "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.5"}]}
        });
        let ok = |s: &str| FieldSelector::parse(s).unwrap().matches(&pod);
        assert!(ok("status.phase=Running,metadata.name=p"));
        assert!(ok("spec.nodeName!=n2"));
        assert!(ok("spec.host=n1"));
        assert!(ok("status.podIP=10.0.0.5"));
        assert!(ok("spec.hostNetwork=false"));
        assert!(ok("spec.schedulerName="));
        assert!(!ok("status.phase!=Running"));
        let node = serde_json::json!({"kind": "Node", "metadata": {"name": "n"}, "spec": {}});
        assert!(
            FieldSelector::parse("spec.unschedulable=false")
                .unwrap()
                .matches(&node)
        );
        let ev = serde_json::json!({"kind": "Event", "involvedObject": {"kind": "Pod", "name": "p"}, "source": {"component": "kubelet"}, "type": "Normal"});
        assert!(
            FieldSelector::parse(
                "involvedObject.kind=Pod,involvedObject.name=p,source=kubelet,type=Normal"
            )
            .unwrap()
            .matches(&ev)
        );
        let job = serde_json::json!({"kind": "Job", "status": {"succeeded": 2}});
        assert!(
            FieldSelector::parse("status.successful=2")
                .unwrap()
                .matches(&job)
        );
    }

    #[test]
    fn field_labels_supported_per_kind() {
        let check = |s: &str, kind: &str| FieldSelector::parse(s).unwrap().check_supported(kind);
        assert_eq!(check("status.phase=Running,spec.nodeName=n", "Pod"), Ok(()));
        assert_eq!(
            check("foo=bar", "Pod"),
            Err("field label not supported: foo".into())
        );
        assert_eq!(check("type=Opaque", "Secret"), Ok(()));
        assert_eq!(
            check("metadata.namespace=x", "Node"),
            Err("field label not supported: metadata.namespace".into())
        );
        assert_eq!(check("involvedObject.name=p", "Event"), Ok(()));
        assert_eq!(check("status.successful=1", "Job"), Ok(()));
        assert_eq!(
            check("spec.x=1", "Job"),
            Err("field label \"spec.x\" not supported for batchv1.Job".into())
        );
        assert_eq!(check("metadata.name=d", "Deployment"), Ok(()));
        assert_eq!(
            check("status.replicas=1", "Deployment"),
            Err("\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"".into())
        );
    }
}
