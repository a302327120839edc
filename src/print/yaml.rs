//! YAML output exactly as `kubectl ... -o yaml` prints it.
//!
//! kubectl marshals an object to JSON, then converts JSON to YAML with
//! `sigs.k8s.io/yaml.JSONToYAML` (v1.4.0), which parses the JSON with go-yaml v2
//! and re-emits it with go-yaml v2's libyaml-derived emitter. This module is a
//! port of the parts of that pipeline that a JSON document can reach:
//!
//! - map keys sorted with go-yaml's "natural" key order (`a9` before `a10`);
//! - 2-space indentation, block sequences under a mapping key not indented;
//! - empty containers in flow style (`{}` / `[]`);
//! - go-yaml's scalar style choice: plain when the string would read back as a
//!   string under YAML 1.1 (`resolve` + base-60 check), double-quoted when it would
//!   read back as something else (`"yes"`, `"123"`, `"2024-01-01T00:00:00Z"`),
//!   single-quoted when plain is unsafe for syntax reasons (`'a: b'`), literal
//!   block scalars (`|`, `|-`, `|+`) for multi-line strings, double quotes with
//!   escapes for control/non-printable characters;
//! - line folding of long plain/quoted scalars at column 80 (`best_width`);
//! - numbers re-typed the way the JSON → YAML round trip does (`1.0` → `1`,
//!   `1234567.5` → `1.2345675e+06`).
//!
//! Use [`to_yaml`] for one object and [`to_yaml_stream`] for several objects
//! printed by one command (kubectl's YAML printer writes `---` between them).
//!
//! Round-trip details reproduced: a raw U+0085 (NEL, which Go's JSON encoder does
//! not escape) is folded by the YAML scanner (one NEL → space); integers beyond
//! int64 are printed as floats (unstructured objects only hold int64/float64).
//! Known differences: strings with characters go-yaml's reader rejects (U+007F,
//! C1 controls other than NEL, U+FFFE, U+FFFF) make kubectl fail with
//! `yaml: control characters are not allowed`, while we print them escaped; and
//! for the rare key sets on which go-yaml's key order is not transitive, kubectl's
//! order is random and ours is fixed (see `key_less`). Floats are formatted from
//! the `f64` as given; parse JSON with serde_json's `float_roundtrip` feature if
//! the exact decimal of parsed input matters.

use serde_json::Value;

/// Renders one JSON value as kubectl's `-o yaml` would. The text ends with `\n`
/// (except in go-yaml's own corner case of a block scalar ending in U+2028/U+2029).
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::new();
    e.node(v, false, false);
    // DOCUMENT-END (implicit): just terminate the last line.
    e.write_indent();
    e.out
}

/// Renders several objects the way kubectl's YAML printer does when it prints
/// more than one object: each document after the first is preceded by `---\n`.
pub fn to_yaml_stream(docs: &[Value]) -> String {
    docs.iter().map(to_yaml).collect::<Vec<_>>().join("---\n")
}

/// kubectl's `-o yaml` of a `kind: List` written an item at a time: the same bytes as
/// [`to_yaml`] of the whole List (`apiVersion`, `items`, `kind`, `metadata`), without holding
/// the items.
#[derive(Default)]
pub struct YamlListWriter {
    e: Option<Emitter>,
}

impl YamlListWriter {
    /// Starts the List: its root mapping and the `apiVersion` entry.
    fn begin() -> Emitter {
        let mut e = Emitter::new();
        e.mapping_context = false;
        e.simple_key_context = false;
        e.increase_indent(false, false);
        e.entry("apiVersion", &Value::String("v1".into()));
        e
    }

    /// Writes one item (the first one opens `items:`).
    pub fn item(&mut self, w: &mut impl std::io::Write, v: &Value) -> std::io::Result<()> {
        let e = self.e.get_or_insert_with(|| {
            let mut e = Self::begin();
            e.key("items");
            // The sequence node under a mapping key (as `node` opens a non-empty array).
            e.mapping_context = true;
            e.simple_key_context = false;
            let indentless = e.mapping_context && !e.indention;
            e.increase_indent(false, indentless);
            e
        });
        e.write_indent();
        e.write_indicator("-", true, false, true);
        e.node(v, false, false);
        w.write_all(std::mem::take(&mut e.out).as_bytes())
    }

    /// Closes the List (`items: []` when no item was written).
    pub fn finish(self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut e = match self.e {
            Some(mut e) => {
                e.pop_indent();
                e
            }
            None => {
                let mut e = Self::begin();
                e.entry("items", &Value::Array(vec![]));
                e
            }
        };
        e.entry("kind", &Value::String("List".into()));
        e.entry("metadata", &serde_json::json!({"resourceVersion": ""}));
        e.pop_indent();
        e.write_indent();
        w.write_all(e.out.as_bytes())
    }
}

// ---------------------------------------------------------------------------
// Scalar style selection (go-yaml v2 encode.go stringv / resolve.go)

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The YAML text and requested style of a JSON scalar.
fn scalar_of(v: &Value) -> (String, Style) {
    match v {
        Value::Null => ("null".to_string(), Style::Plain),
        Value::Bool(b) => (b.to_string(), Style::Plain),
        Value::Number(n) => {
            // Unstructured objects hold JSON numbers as int64 or float64 only:
            // an integer beyond int64 is a float64 by the time it is printed.
            let s = if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                float_text(u as f64)
            } else {
                float_text(n.as_f64().unwrap_or(0.0))
            };
            (s, Style::Plain)
        }
        Value::String(s) => {
            let s = fold_nel(s);
            let st = string_style(&s);
            (s, st)
        }
        // Containers are not scalars; callers never pass them here.
        Value::Array(_) | Value::Object(_) => (String::new(), Style::Plain),
    }
}

/// JSONToYAML re-reads Go's JSON text with the YAML scanner. Go's JSON encoder
/// leaves U+0085 (NEL) unescaped, and inside a double-quoted YAML scalar a raw
/// NEL is a line break that gets folded together with the raw spaces around it:
/// one NEL becomes a space, n > 1 NELs become n-1 newlines.
fn fold_nel(s: &str) -> String {
    if !s.contains('\u{85}') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c != ' ' && c != '\u{85}' {
            out.push(c);
            chars.next();
            continue;
        }
        let mut whitespaces = 0usize;
        let mut leading_blanks = false;
        let mut trailing = 0usize;
        while let Some(&c) = chars.peek() {
            match c {
                ' ' if !leading_blanks => whitespaces += 1,
                ' ' => {}
                '\u{85}' if !leading_blanks => {
                    whitespaces = 0;
                    leading_blanks = true;
                }
                '\u{85}' => trailing += 1,
                _ => break,
            }
            chars.next();
        }
        if leading_blanks {
            if trailing == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', trailing));
            }
        } else {
            out.extend(std::iter::repeat_n(' ', whitespaces));
        }
    }
    out
}

/// go-yaml's `stringv`: literal for multi-line, plain if it reads back as a
/// string, else double-quoted.
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolves_to_str(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

/// What a float64 looks like after Go's `json.Marshal` → go-yaml `resolve` →
/// go-yaml `floatv` round trip.
fn float_text(x: f64) -> String {
    if !x.is_finite() {
        // Not representable in JSON; serde_json never produces it.
        return if x.is_nan() {
            ".nan".into()
        } else if x > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let (neg, digits, dp) = shortest_digits(x);
    let abs = x.abs();
    // encoding/json: 'f' format unless the exponent is extreme.
    let json_uses_f = abs == 0.0 || (1e-6..1e21).contains(&abs);
    if json_uses_f && dp >= digits.len() as i32 {
        // The JSON text is an integer: go-yaml reads it back as int64 / uint64
        // when it fits, else as a float.
        let mut t = String::new();
        if neg {
            t.push('-');
        }
        t.push_str(&digits);
        for _ in 0..(dp - digits.len() as i32) {
            t.push('0');
        }
        if let Ok(i) = t.parse::<i64>() {
            return i.to_string();
        }
        if !neg && let Ok(u) = t.parse::<u64>() {
            return u.to_string();
        }
    }
    go_format_g(neg, &digits, dp)
}

/// Shortest round-trip decimal digits of `x`: (negative, digits, decimal point
/// position) such that |x| = 0.digits × 10^dp.
fn shortest_digits(x: f64) -> (bool, String, i32) {
    let neg = x.is_sign_negative();
    if x == 0.0 {
        return (neg, "0".to_string(), 1);
    }
    let e = format!("{:e}", x.abs()); // e.g. "1.2345675e6"
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    (neg, digits.to_string(), exp + 1)
}

/// Go's `strconv.FormatFloat(x, 'g', -1, 64)` from shortest digits.
fn go_format_g(neg: bool, digits: &str, dp: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        // %e with shortest precision.
        let (first, rest) = digits.split_at(1);
        s.push_str(first);
        if !rest.is_empty() {
            s.push('.');
            s.push_str(rest);
        }
        s.push('e');
        s.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            s.push('0');
        }
        s.push_str(&a.to_string());
    } else if dp <= 0 {
        s.push_str("0.");
        for _ in 0..(-dp) {
            s.push('0');
        }
        s.push_str(digits);
    } else if dp as usize >= digits.len() {
        s.push_str(digits);
        for _ in 0..(dp as usize - digits.len()) {
            s.push('0');
        }
    } else {
        s.push_str(&digits[..dp as usize]);
        s.push('.');
        s.push_str(&digits[dp as usize..]);
    }
    s
}

/// go-yaml v2 `resolve("", s)` returns the `!!str` tag.
fn resolves_to_str(s: &str) -> bool {
    let b = s.as_bytes();
    let hint = match b.first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return true,
    };
    const MAP: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if MAP.contains(&s) {
        return false;
    }
    match hint {
        b'.' => go_parse_float(s).is_none(),
        b'D' | b'S' => {
            if is_yaml_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain, 0).is_some() || go_parse_uint(&plain, 0).is_some() {
                return false;
            }
            if is_yaml_style_float(&plain) && go_parse_float(&plain).is_some() {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if go_parse_int(rest, 2).is_some() || go_parse_uint(rest, 2).is_some() {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && go_parse_int(&format!("-{rest}"), 2).is_some()
            {
                return false;
            }
            true
        }
        _ => true, // 'M': the map lookup above was all there is.
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // [0-5]?[0-9]: one digit, or two digits with the first in 0-5.
        let d1 = b.get(i).is_some_and(u8::is_ascii_digit);
        let d2 = b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if d1 && d2 && b[i] <= b'5' {
            i += 2;
        } else if d1 {
            i += 1;
        } else {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Go's `underscoreOK` (strconv): underscores only between digits / after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        b = &b[1..];
    }
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseUint(s, base, 64)` for base 0 (Go literal prefixes) or 2.
fn go_parse_uint(s: &str, base: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let (mut base, mut digits) = (base, s);
    let base0 = base == 0;
    if base0 {
        base = 10;
        let b = s.as_bytes();
        if b[0] == b'0' {
            if b.len() >= 3 && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
                base = match b[1].to_ascii_lowercase() {
                    b'b' => 2,
                    b'o' => 8,
                    _ => 16,
                };
                digits = &s[2..];
            } else {
                base = 8;
                digits = &s[1..];
            }
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for c in digits.chars() {
        if c == '_' && base0 {
            underscores = true;
            continue;
        }
        let d = c.to_digit(36)?;
        if d >= base {
            return None;
        }
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    if underscores && !underscore_ok(s) {
        return None;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, base, 64)` (base 0 or 2).
fn go_parse_int(s: &str, base: u32) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint(body, base)?;
    if neg {
        if u > 1u64 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `strconv.ParseFloat(s, 64)` succeeds (decimal syntax, underscores per
/// Go rules, `inf`/`nan` words, hex floats; overflow to ±Inf is an error).
fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity") {
        return Some(f64::INFINITY);
    }
    if lower == "nan" && body.len() == s.len() {
        return Some(f64::NAN);
    }
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let cb = clean.strip_prefix(['+', '-']).unwrap_or(&clean);
    if cb.len() > 2 && cb.as_bytes()[..2].eq_ignore_ascii_case(b"0x") {
        return parse_hex_float(cb);
    }
    // Decimal: digits [. digits] [e [sign] digits], at least one mantissa digit.
    let b = cb.as_bytes();
    let mut i = 0;
    let mut nd = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        nd += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            nd += 1;
        }
    }
    if nd == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == st {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = clean.parse().ok()?;
    if f.is_infinite() { None } else { Some(f) }
}

/// Hex float body after the sign (`0x1.8p3`); Go requires the `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let b = &s.as_bytes()[2..];
    let mut i = 0;
    let mut mant: f64 = 0.0;
    let mut nd = 0;
    let mut frac_digits = 0i32;
    let mut seen_dot = false;
    while i < b.len() {
        let c = b[i];
        if c == b'.' && !seen_dot {
            seen_dot = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            mant = mant * 16.0 + d as f64;
            nd += 1;
            if seen_dot {
                frac_digits += 1;
            }
        } else {
            break;
        }
        i += 1;
    }
    if nd == 0 || i >= b.len() || (b[i] != b'p' && b[i] != b'P') {
        return None;
    }
    i += 1;
    let exp_str = std::str::from_utf8(&b[i..]).ok()?;
    let digits = exp_str.strip_prefix(['+', '-']).unwrap_or(exp_str);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let e: i32 = exp_str.parse().unwrap_or(if exp_str.starts_with('-') {
        -100000
    } else {
        100000
    });
    let f = mant * 2f64.powi(e.saturating_sub(frac_digits * 4));
    if f.is_infinite() { None } else { Some(f) }
}

// ---------------------------------------------------------------------------
// Timestamps (go-yaml v2 parseTimestamp with Go's time.Parse semantics)

/// go-yaml's `parseTimestamp`: YYYY- prefix, then one of four `time.Parse` layouts.
fn is_yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    const LAYOUTS: &[&[Tok]] = &[
        &[Tok::Date, Tok::Lit(b'T'), Tok::Time, Tok::Frac, Tok::Zone],
        &[Tok::Date, Tok::Lit(b't'), Tok::Time, Tok::Frac, Tok::Zone],
        &[Tok::Date, Tok::Lit(b' '), Tok::Time, Tok::Frac],
        &[Tok::Date],
    ];
    LAYOUTS.iter().any(|l| go_time_parse(l, b))
}

#[derive(Clone, Copy)]
enum Tok {
    /// `2006-1-2`
    Date,
    /// `15:4:5`
    Time,
    /// `.999999999`
    Frac,
    /// `Z07:00`
    Zone,
    Lit(u8),
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(v: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = v.first().filter(|c| c.is_ascii_digit())?;
    match v.get(1).filter(|c| c.is_ascii_digit()) {
        Some(d1) => Some(((d0 - b'0') as u32 * 10 + (d1 - b'0') as u32, &v[2..])),
        None => Some(((d0 - b'0') as u32, &v[1..])),
    }
}

fn expect(v: &[u8], c: u8) -> Option<&[u8]> {
    if v.first() == Some(&c) {
        Some(&v[1..])
    } else {
        None
    }
}

fn go_time_parse(layout: &[Tok], value: &[u8]) -> bool {
    let mut v = value;
    let mut ymd: Option<(u32, u32, u32)> = None;
    for tok in layout {
        let r = (|| -> Option<&[u8]> {
            match tok {
                Tok::Date => {
                    if v.len() < 4 || !v[..4].iter().all(u8::is_ascii_digit) {
                        return None;
                    }
                    let y: u32 = std::str::from_utf8(&v[..4]).ok()?.parse().ok()?;
                    let r = expect(&v[4..], b'-')?;
                    let (m, r) = getnum(r)?;
                    if !(1..=12).contains(&m) {
                        return None;
                    }
                    let r = expect(r, b'-')?;
                    let (d, r) = getnum(r)?;
                    ymd = Some((y, m, d));
                    Some(r)
                }
                Tok::Time => {
                    let (h, r) = getnum(v)?;
                    if h >= 24 {
                        return None;
                    }
                    let r = expect(r, b':')?;
                    let (mi, r) = getnum(r)?;
                    if mi >= 60 {
                        return None;
                    }
                    let r = expect(r, b':')?;
                    let (s, r) = getnum(r)?;
                    if s >= 60 {
                        return None;
                    }
                    Some(r)
                }
                Tok::Frac => {
                    if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && v[1].is_ascii_digit() {
                        let n = 1 + v[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        Some(&v[n..])
                    } else {
                        Some(v)
                    }
                }
                Tok::Zone => {
                    if v.first() == Some(&b'Z') {
                        return Some(&v[1..]);
                    }
                    if v.len() < 6 || v[3] != b':' || !matches!(v[0], b'+' | b'-') {
                        return None;
                    }
                    let two = |x: &[u8]| -> Option<u32> {
                        (x[0].is_ascii_digit() && x[1].is_ascii_digit())
                            .then(|| (x[0] - b'0') as u32 * 10 + (x[1] - b'0') as u32)
                    };
                    let hh = two(&v[1..3])?;
                    let mm = two(&v[4..6])?;
                    if hh > 24 || mm > 60 {
                        return None;
                    }
                    Some(&v[6..])
                }
                Tok::Lit(b' ') => {
                    // A layout space matches one or more spaces.
                    if v.first() != Some(&b' ') {
                        return None;
                    }
                    let n = v.iter().take_while(|&&c| c == b' ').count();
                    Some(&v[n..])
                }
                Tok::Lit(c) => expect(v, *c),
            }
        })();
        match r {
            Some(rest) => v = rest,
            None => return false,
        }
    }
    if !v.is_empty() {
        return false;
    }
    let Some((y, m, d)) = ymd else { return false };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let dim = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=dim).contains(&d)
}

// ---------------------------------------------------------------------------
// Map key order (go-yaml v2 sorter.go keyList.Less, for string keys)
//
// This order is not transitive when digit runs meet letters (`1a`, `9`, `10`);
// go-yaml then sorts Go's randomly ordered map keys, so kubectl's own output
// varies from run to run. We stay deterministic (merge sort over the
// byte-sorted keys) and match kubectl whenever its order is well defined.

fn go_is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        // Approximation of unicode.IsLetter (category L) for non-ASCII.
        c.is_alphabetic() && !c.is_numeric()
    }
}

fn go_is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        // unicode.IsDigit is not emulated for non-ASCII digits (rare in keys).
        false
    }
}

fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = go_is_letter(ar[i]);
        let bl = go_is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i as isize - 1;
            while j >= 0 && go_is_digit(ar[j as usize]) {
                if ar[j as usize] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < ar.len() && go_is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && go_is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Stable merge sort of map entries by [`key_less`]; never panics even if the
/// predicate is not a total order.
fn sort_entries<T>(v: &mut Vec<(String, T)>) {
    if v.len() <= 1 {
        return;
    }
    let mid = v.len() / 2;
    let mut right = v.split_off(mid);
    sort_entries(v);
    sort_entries(&mut right);
    let left = std::mem::take(v);
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        let take_right = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => key_less(&b.0, &a.0),
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        let next = if take_right { r.next() } else { l.next() };
        v.extend(next);
    }
}

// ---------------------------------------------------------------------------
// The emitter (go-yaml v2 emitterc.go, restricted to what JSON can produce)

const BEST_INDENT: isize = 2;
const BEST_WIDTH: usize = 80;

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn width(c: u8) -> usize {
    if c & 0x80 == 0 {
        1
    } else if c & 0xE0 == 0xC0 {
        2
    } else if c & 0xF0 == 0xE0 {
        3
    } else if c & 0xF8 == 0xF0 {
        4
    } else {
        1
    }
}

fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}

fn is_blank(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}

fn is_break(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    c == b'\r'
        || c == b'\n'
        || c == 0xC2 && at(b, i + 1) == 0x85
        || c == 0xE2 && at(b, i + 1) == 0x80 && matches!(at(b, i + 2), 0xA8 | 0xA9)
}

fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || at(b, i) == 0
}

fn is_printable(b: &[u8], i: usize) -> bool {
    let c = at(b, i);
    let c1 = at(b, i + 1);
    let c2 = at(b, i + 2);
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && c1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && c1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
}

fn is_bom_at_start(b: &[u8]) -> bool {
    b.starts_with(&[0xEF, 0xBB, 0xBF])
}

/// Result of libyaml's `yaml_emitter_analyze_scalar`.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze_scalar(value: &[u8]) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with(b"---") || value.starts_with(b"...") {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    while i < value.len() {
        let w = width(value[i]);
        let followed_by_whitespace = i + w >= value.len() || is_blank(value, i + w);
        if i == 0 {
            match value[i] {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' if followed_by_whitespace => block_indicators = true,
                b'-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match value[i] {
                b':' if followed_by_whitespace => block_indicators = true,
                b'#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(value, i) {
            special_characters = true;
        }
        if is_space(value, i) {
            if i == 0 {
                leading_space = true;
            }
            if i + w == value.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(value, i) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + w == value.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(value, i);
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    out: String,
    column: usize,
    indent: isize,
    indents: Vec<isize>,
    whitespace: bool,
    indention: bool,
    mapping_context: bool,
    simple_key_context: bool,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            mapping_context: false,
            simple_key_context: false,
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Copies one UTF-8 character at `*i` (column advances by one).
    fn write(&mut self, v: &[u8], i: &mut usize) {
        let w = width(v[*i]).min(v.len() - *i);
        self.out
            .push_str(std::str::from_utf8(&v[*i..*i + w]).unwrap_or("\u{FFFD}"));
        self.column += 1;
        *i += w;
    }

    fn write_all(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            self.write(b, &mut i);
        }
    }

    fn write_break(&mut self, v: &[u8], i: &mut usize) {
        if v[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(v, i);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        self.write_all(ind);
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    /// Emits a node; `mapping` / `simple_key` are libyaml's node contexts (the
    /// root and sequence contexts do not influence the output of JSON values).
    fn node(&mut self, v: &Value, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match v {
            Value::Array(a) if a.is_empty() => self.empty_flow("[", "]"),
            Value::Object(m) if m.is_empty() => self.empty_flow("{", "}"),
            Value::Array(a) => {
                let indentless = self.mapping_context && !self.indention;
                self.increase_indent(false, indentless);
                for item in a {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, false, false);
                }
                self.pop_indent();
            }
            Value::Object(m) => {
                self.increase_indent(false, false);
                let mut entries: Vec<(String, &Value)> =
                    m.iter().map(|(k, v)| (fold_nel(k), v)).collect();
                sort_entries(&mut entries);
                for (kf, val) in entries {
                    self.entry(&kf, val);
                }
                self.pop_indent();
            }
            _ => {
                let (s, style) = scalar_of(v);
                self.scalar(&s, style);
            }
        }
    }

    /// One `key: value` entry of a block mapping (the key already NEL-folded).
    fn entry(&mut self, kf: &str, val: &Value) {
        self.key(kf);
        self.node(val, true, false);
    }

    /// A block mapping's key and its `:` (simple, or `?` complex for long/multi-line keys).
    fn key(&mut self, kf: &str) {
        self.write_indent();
        let kv = kf.as_bytes();
        let simple = !analyze_scalar(kv).multiline && kv.len() <= 128;
        if simple {
            self.mapping_context = true;
            self.simple_key_context = true;
            self.scalar(kf, string_style(kf));
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indicator("?", true, false, true);
            self.mapping_context = true;
            self.simple_key_context = false;
            self.scalar(kf, string_style(kf));
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style) {
        let v = value.as_bytes();
        let a = analyze_scalar(v);
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain
            && (!a.block_plain_allowed || (v.is_empty() && self.simple_key_context))
        {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.simple_key_context) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(v, allow_breaks),
            Style::Single => self.write_single(v, allow_breaks),
            Style::Double => self.write_double(v, allow_breaks),
            Style::Literal => self.write_literal(v),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, v: &[u8], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            if is_space(v, i) {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !is_space(v, i + 1) {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else if is_break(v, i) {
                if !breaks && v[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(v, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, v: &[u8], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            if is_space(v, i) {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i < v.len() - 1
                    && !is_space(v, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else if is_break(v, i) {
                if !breaks && v[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if v[i] == b'\'' {
                    self.put('\'');
                }
                self.write(v, &mut i);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, v: &[u8], allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        let bom = is_bom_at_start(v);
        let mut i = 0;
        while i < v.len() {
            if !is_printable(v, i) || bom || is_break(v, i) || v[i] == b'"' || v[i] == b'\\' {
                let w = width(v[i]).min(v.len() - i);
                let ch = std::str::from_utf8(&v[i..i + w])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .unwrap_or('\u{FFFD}');
                i += w;
                self.put('\\');
                let cp = ch as u32;
                match cp {
                    0x00 => self.put('0'),
                    0x07 => self.put('a'),
                    0x08 => self.put('b'),
                    0x09 => self.put('t'),
                    0x0A => self.put('n'),
                    0x0B => self.put('v'),
                    0x0C => self.put('f'),
                    0x0D => self.put('r'),
                    0x1B => self.put('e'),
                    0x22 => self.put('"'),
                    0x5C => self.put('\\'),
                    0x85 => self.put('N'),
                    0xA0 => self.put('_'),
                    0x2028 => self.put('L'),
                    0x2029 => self.put('P'),
                    _ => {
                        let (c, n) = if cp <= 0xFF {
                            ('x', 2)
                        } else if cp <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(c);
                        for k in (0..n).rev() {
                            let d = (cp >> (k * 4)) & 0xF;
                            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if is_space(v, i) {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i < v.len() - 1 {
                    self.write_indent();
                    if is_space(v, i + 1) {
                        self.put('\\');
                    }
                    i += 1;
                } else {
                    self.write(v, &mut i);
                }
                spaces = true;
            } else {
                self.write(v, &mut i);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, v: &[u8]) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints.
        if is_space(v, 0) || is_break(v, 0) {
            self.write_indicator("2", false, false, false);
        }
        let chomp = if v.is_empty() {
            Some("-")
        } else {
            let mut i = v.len() - 1;
            while i > 0 && v[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(v, i) {
                Some("-")
            } else if i == 0 {
                Some("+")
            } else {
                i -= 1;
                while i > 0 && v[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                if is_break(v, i) { Some("+") } else { None }
            }
        };
        if let Some(c) = chomp {
            self.write_indicator(c, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < v.len() {
            if is_break(v, i) {
                self.write_break(v, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(v, &mut i);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_yaml_list_written_an_item_at_a_time_is_the_list_printed_whole() {
        let long = "word ".repeat(40);
        let items = [
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": {}},
                   "spec": {"containers": [{"name": "c", "args": ["sleep", "10"], "env": []}]}}),
            json!({"kind": "ConfigMap", "data": {"long": long, "multi": "line one\nline two\n",
                   "yes": "yes", "n": 1.5, "list": [[1, 2], {"k": null}]}}),
            json!({"kind": "Event", "message": format!("{long}\u{85}end"), "count": 3}),
            json!([]),
            json!("a scalar item"),
        ];
        for n in 0..=items.len() {
            let part = &items[..n];
            let whole = to_yaml(&json!({
                "apiVersion": "v1",
                "items": part,
                "kind": "List",
                "metadata": {"resourceVersion": ""},
            }));
            let mut w = YamlListWriter::default();
            let mut out = Vec::new();
            for it in part {
                w.item(&mut out, it).unwrap();
            }
            w.finish(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{n} items");
        }
    }

    // Expected outputs below were captured from kubectl v1.33.1
    // (`kubectl label --local -f in.json zzlabel=x -o yaml`), byte for byte.

    /// Each value `v` is printed as `data: {k000: v}`; the expected text is the
    /// `k000` entry of kubectl's output (indent 2, so folding columns match).
    const STRING_CASES: &[(&str, &str)] = &[
        ("yes", "  k000: \"yes\"\n"),
        ("Yes", "  k000: \"Yes\"\n"),
        ("YES", "  k000: \"YES\"\n"),
        ("y", "  k000: \"y\"\n"),
        ("Y", "  k000: \"Y\"\n"),
        ("n", "  k000: \"n\"\n"),
        ("no", "  k000: \"no\"\n"),
        ("on", "  k000: \"on\"\n"),
        ("off", "  k000: \"off\"\n"),
        ("On", "  k000: \"On\"\n"),
        ("OFF", "  k000: \"OFF\"\n"),
        ("true", "  k000: \"true\"\n"),
        ("True", "  k000: \"True\"\n"),
        ("TRUE", "  k000: \"TRUE\"\n"),
        ("false", "  k000: \"false\"\n"),
        ("null", "  k000: \"null\"\n"),
        ("Null", "  k000: \"Null\"\n"),
        ("NULL", "  k000: \"NULL\"\n"),
        ("~", "  k000: \"~\"\n"),
        ("", "  k000: \"\"\n"),
        ("0777", "  k000: \"0777\"\n"),
        ("0", "  k000: \"0\"\n"),
        ("00", "  k000: \"00\"\n"),
        ("08", "  k000: \"08\"\n"),
        ("09", "  k000: \"09\"\n"),
        ("0x1F", "  k000: \"0x1F\"\n"),
        ("0o17", "  k000: \"0o17\"\n"),
        ("0b101", "  k000: \"0b101\"\n"),
        ("-0b101", "  k000: \"-0b101\"\n"),
        ("0b+1", "  k000: \"0b+1\"\n"),
        ("0b-1", "  k000: \"0b-1\"\n"),
        ("+1", "  k000: \"+1\"\n"),
        ("-1", "  k000: \"-1\"\n"),
        ("1_000", "  k000: \"1_000\"\n"),
        ("_1", "  k000: _1\n"),
        ("1_", "  k000: \"1_\"\n"),
        ("1__2", "  k000: \"1__2\"\n"),
        ("123", "  k000: \"123\"\n"),
        ("-123", "  k000: \"-123\"\n"),
        ("1.5", "  k000: \"1.5\"\n"),
        ("1.", "  k000: \"1.\"\n"),
        ("1.e3", "  k000: \"1.e3\"\n"),
        (".5", "  k000: \".5\"\n"),
        (".5e3", "  k000: \".5e3\"\n"),
        (".", "  k000: .\n"),
        ("..", "  k000: ..\n"),
        ("...", "  k000: '...'\n"),
        ("---", "  k000: '---'\n"),
        ("--- a", "  k000: '--- a'\n"),
        ("1e3", "  k000: \"1e3\"\n"),
        ("1E3", "  k000: \"1E3\"\n"),
        ("1e400", "  k000: 1e400\n"),
        ("1e-400", "  k000: \"1e-400\"\n"),
        ("1e", "  k000: 1e\n"),
        ("e3", "  k000: e3\n"),
        (".inf", "  k000: \".inf\"\n"),
        (".Inf", "  k000: \".Inf\"\n"),
        (".iNf", "  k000: .iNf\n"),
        ("+.inf", "  k000: \"+.inf\"\n"),
        ("-.inf", "  k000: \"-.inf\"\n"),
        (".nan", "  k000: \".nan\"\n"),
        (".NaN", "  k000: \".NaN\"\n"),
        ("nan", "  k000: nan\n"),
        ("inf", "  k000: inf\n"),
        ("Infinity", "  k000: Infinity\n"),
        ("1:20", "  k000: \"1:20\"\n"),
        ("1:20:30", "  k000: \"1:20:30\"\n"),
        ("-1:20", "  k000: \"-1:20\"\n"),
        ("+1:2", "  k000: \"+1:2\"\n"),
        ("1:60", "  k000: 1:60\n"),
        ("1:2.5", "  k000: \"1:2.5\"\n"),
        ("1:2_3", "  k000: 1:2_3\n"),
        ("190:20:30.15", "  k000: \"190:20:30.15\"\n"),
        ("1:", "  k000: '1:'\n"),
        ("1:a", "  k000: 1:a\n"),
        ("2024-01-01", "  k000: \"2024-01-01\"\n"),
        ("2024-1-1", "  k000: \"2024-1-1\"\n"),
        ("2024-02-30", "  k000: 2024-02-30\n"),
        ("2024-02-29", "  k000: \"2024-02-29\"\n"),
        ("2023-02-29", "  k000: 2023-02-29\n"),
        ("2024-01-01T00:00:00Z", "  k000: \"2024-01-01T00:00:00Z\"\n"),
        ("2024-01-01t00:00:00Z", "  k000: \"2024-01-01t00:00:00Z\"\n"),
        (
            "2024-01-01T00:00:00.123Z",
            "  k000: \"2024-01-01T00:00:00.123Z\"\n",
        ),
        (
            "2024-01-01T00:00:00,5Z",
            "  k000: \"2024-01-01T00:00:00,5Z\"\n",
        ),
        (
            "2024-01-01T00:00:00+05:30",
            "  k000: \"2024-01-01T00:00:00+05:30\"\n",
        ),
        (
            "2024-01-01T00:00:00+0530",
            "  k000: 2024-01-01T00:00:00+0530\n",
        ),
        ("2024-01-01 10:00:00", "  k000: \"2024-01-01 10:00:00\"\n"),
        ("2024-01-01  10:00:00", "  k000: \"2024-01-01  10:00:00\"\n"),
        ("2024-01-01 10:00:00Z", "  k000: 2024-01-01 10:00:00Z\n"),
        ("2024-1-1T1:2:3Z", "  k000: \"2024-1-1T1:2:3Z\"\n"),
        ("2024-13-01", "  k000: 2024-13-01\n"),
        ("2024-01-01T24:00:00Z", "  k000: 2024-01-01T24:00:00Z\n"),
        ("12024-01-01", "  k000: 12024-01-01\n"),
        ("2024-01-01x", "  k000: 2024-01-01x\n"),
        ("<<", "  k000: <<\n"),
        ("=", "  k000: =\n"),
        ("a: b", "  k000: 'a: b'\n"),
        ("a:b", "  k000: a:b\n"),
        ("a :b", "  k000: a :b\n"),
        (":a", "  k000: :a\n"),
        (": a", "  k000: ': a'\n"),
        ("a:", "  k000: 'a:'\n"),
        ("?a", "  k000: ?a\n"),
        ("? a", "  k000: '? a'\n"),
        ("-a", "  k000: -a\n"),
        ("- x", "  k000: '- x'\n"),
        ("-", "  k000: '-'\n"),
        ("#a", "  k000: '#a'\n"),
        ("a#b", "  k000: a#b\n"),
        ("a #b", "  k000: 'a #b'\n"),
        ("a# b", "  k000: a# b\n"),
        ("*star", "  k000: '*star'\n"),
        ("&anc", "  k000: '&anc'\n"),
        ("!tag", "  k000: '!tag'\n"),
        ("|pipe", "  k000: '|pipe'\n"),
        (">gt", "  k000: '>gt'\n"),
        ("'sq", "  k000: '''sq'\n"),
        ("\"dq", "  k000: '\"dq'\n"),
        ("%p", "  k000: '%p'\n"),
        ("@at", "  k000: '@at'\n"),
        ("`bt", "  k000: '`bt'\n"),
        (",c", "  k000: ',c'\n"),
        ("[a", "  k000: '[a'\n"),
        ("]a", "  k000: ']a'\n"),
        ("{a", "  k000: '{a'\n"),
        ("}a", "  k000: '}a'\n"),
        ("a,b", "  k000: a,b\n"),
        ("a[b]", "  k000: a[b]\n"),
        ("a{b}", "  k000: a{b}\n"),
        (" lead", "  k000: ' lead'\n"),
        ("trail ", "  k000: 'trail '\n"),
        ("  both  ", "  k000: '  both  '\n"),
        ("a  b", "  k000: a  b\n"),
        ("a\tb", "  k000: \"a\\tb\"\n"),
        ("\t", "  k000: \"\\t\"\n"),
        ("tab\t", "  k000: \"tab\\t\"\n"),
        ("a\nb", "  k000: |-\n    a\n    b\n"),
        ("a\n", "  k000: |\n    a\n"),
        ("a\n\n", "  k000: |+\n    a\n\n"),
        ("\n", "  k000: |2+\n\n"),
        ("\na", "  k000: |2-\n\n    a\n"),
        ("a\n\nb\n", "  k000: |\n    a\n\n    b\n"),
        ("a\n b", "  k000: |-\n    a\n     b\n"),
        (" a\nb", "  k000: |2-\n     a\n    b\n"),
        ("a \nb", "  k000: \"a \\nb\"\n"),
        ("a\n\n\n", "  k000: |+\n    a\n\n\n"),
        ("\r", "  k000: \"\\r\"\n"),
        ("a\rb", "  k000: \"a\\rb\"\n"),
        ("a\r\nb", "  k000: \"a\\r\\nb\"\n"),
        ("\u{e9}", "  k000: \u{e9}\n"),
        ("\u{f1}and\u{fa}", "  k000: \u{f1}and\u{fa}\n"),
        (
            "\u{65e5}\u{672c}\u{8a9e}",
            "  k000: \u{65e5}\u{672c}\u{8a9e}\n",
        ),
        ("\u{1f600}", "  k000: \"\\U0001F600\"\n"),
        ("a\u{1f600}b", "  k000: \"a\\U0001F600b\"\n"),
        ("\u{85}", "  k000: ' '\n"),
        ("a\u{85}b", "  k000: a b\n"),
        ("\u{a0}", "  k000: \u{a0}\n"),
        ("a\u{a0}b", "  k000: a\u{a0}b\n"),
        ("\u{2028}", "  k000: '\u{2028}'\n"),
        ("a\u{2028}b", "  k000: 'a\u{2028}    b'\n"),
        ("\u{2029}", "  k000: '\u{2029}'\n"),
        ("\u{feff}", "  k000: \"\\uFEFF\"\n"),
        ("\u{feff}ab", "  k000: \"\\uFEFF\\x61\\x62\"\n"),
        ("a\u{feff}b", "  k000: \"a\\uFEFFb\"\n"),
        ("\u{0}", "  k000: \"\\0\"\n"),
        ("\u{1}", "  k000: \"\\x01\"\n"),
        ("\u{1b}[0m", "  k000: \"\\e[0m\"\n"),
        ("a\\b", "  k000: a\\b\n"),
        ("a\"b", "  k000: a\"b\n"),
        ("a'b", "  k000: a'b\n"),
        ("it's", "  k000: it's\n"),
        ("\u{8}", "  k000: \"\\b\"\n"),
        ("\u{b}", "  k000: \"\\v\"\n"),
        ("\u{c}", "  k000: \"\\f\"\n"),
        ("0.0.0.0", "  k000: 0.0.0.0\n"),
        ("10.0.0.1:8080", "  k000: 10.0.0.1:8080\n"),
        ("http://x:80/a?b=c#d", "  k000: http://x:80/a?b=c#d\n"),
        ("nginx:1.25", "  k000: nginx:1.25\n"),
        ("k=v,k2=v2", "  k000: k=v,k2=v2\n"),
        ("500m", "  k000: 500m\n"),
        ("1Gi", "  k000: 1Gi\n"),
        ("1e+3", "  k000: \"1e+3\"\n"),
        ("+1e3", "  k000: \"+1e3\"\n"),
        ("-.5", "  k000: \"-.5\"\n"),
        ("+.5", "  k000: \"+.5\"\n"),
        ("1.2.3", "  k000: 1.2.3\n"),
        ("0x", "  k000: 0x\n"),
        ("0xG", "  k000: 0xG\n"),
        ("0o8", "  k000: 0o8\n"),
        ("1_0.5", "  k000: \"1_0.5\"\n"),
        ("._5", "  k000: ._5\n"),
        (".5_5", "  k000: \".5_5\"\n"),
        ("0_1", "  k000: \"0_1\"\n"),
        (":", "  k000: ':'\n"),
        ("::", "  k000: '::'\n"),
        ("a::b", "  k000: a::b\n"),
        ("#", "  k000: '#'\n"),
        ("&", "  k000: '&'\n"),
        ("*", "  k000: '*'\n"),
        ("!", "  k000: '!'\n"),
        ("|", "  k000: '|'\n"),
        (">", "  k000: '>'\n"),
        ("?", "  k000: '?'\n"),
        ("-1-", "  k000: -1-\n"),
        ("tRue", "  k000: tRue\n"),
        ("yEs", "  k000: yEs\n"),
        ("nO", "  k000: nO\n"),
        (
            "word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39",
            "  k000: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35\n    word36 word37 word38 word39\n",
        ),
        (
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "  k000: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
        ),
        (
            "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy z",
            "  k000: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n    z\n",
        ),
        (
            "a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb c",
            "  k000: a bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n    c\n",
        ),
        (
            "'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39",
            "  k000: '''word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35\n    word36 word37 word38 word39'\n",
        ),
        (
            "\"word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39\t",
            "  k000: \"\\\"word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35\n    word36 word37 word38 word39\\t\"\n",
        ),
        (
            "- word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35 word36 word37 word38 word39",
            "  k000: '- word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\n    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\n    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35\n    word36 word37 word38 word39'\n",
        ),
        ("-y\n\nab>", "  k000: |-\n    -y\n\n    ab>\n"),
        ("\u{2028}`", "  k000: '\u{2028}    `'\n"),
        ("?", "  k000: '?'\n"),
        (" word[,", "  k000: ' word[,'\n"),
        ("1word", "  k000: 1word\n"),
        ("[a@:0    `a", "  k000: '[a@:0    `a'\n"),
        ("`ya0 %#_,-", "  k000: '`ya0 %#_,-'\n"),
        (":@\u{e9}%\tx1`@  ", "  k000: \":@\u{e9}%\\tx1`@  \"\n"),
        ("\u{2028}x1%b", "  k000: '\u{2028}    x1%b'\n"),
        (
            "a\\\"*>[\u{1f600}!`!",
            "  k000: \"a\\\\\\\"*>[\\U0001F600!`!\"\n",
        ),
        ("\u{e9}1\t1word@", "  k000: \"\u{e9}1\\t1word@\"\n"),
        ("|*\r{_", "  k000: \"|*\\r{_\"\n"),
        ("b:?,\n\r-*, ", "  k000: \"b:?,\\n\\r-*, \"\n"),
        (
            "b%@\u{1f600}\r\u{85}~*`!b",
            "  k000: \"b%@\\U0001F600\\r ~*`!b\"\n",
        ),
        (
            "worde&\u{65e5}\u{672c}ba\u{e9}\n\n@{_\u{feff}\u{65e5}\u{672c}\u{85}",
            "  k000: \"worde&\u{65e5}\u{672c}ba\u{e9}\\n\\n@{_\\uFEFF\u{65e5}\u{672c} \"\n",
        ),
        ("!", "  k000: '!'\n"),
        ("\n\\:*a\"", "  k000: |2-\n\n    \\:*a\"\n"),
        (
            "_#1yy*word\n{y%e#",
            "  k000: |-\n    _#1yy*word\n    {y%e#\n",
        ),
        (
            "[%e,\u{85}\u{feff}0-word\t-0\u{65e5}\u{672c}0",
            "  k000: \"[%e, \\uFEFF0-word\\t-0\u{65e5}\u{672c}0\"\n",
        ),
        ("*", "  k000: '*'\n"),
        (
            "`\t._ -,>\u{2028}\\@\u{1f600}#?",
            "  k000: \"`\\t._ -,>\\L\\\\@\\U0001F600#?\"\n",
        ),
        ("\n\na!%yyyyx1&", "  k000: |2-\n\n\n    a!%yyyyx1&\n"),
        ("ya'b\"{\n:\r~a", "  k000: \"ya'b\\\"{\\n:\\r~a\"\n"),
        (" @", "  k000: ' @'\n"),
        (">x1\u{2028}", "  k000: '>x1\u{2028}'\n"),
        (
            " b\"\\\u{feff}-  .\u{85}~",
            "  k000: \" b\\\"\\\\\\uFEFF-  . ~\"\n",
        ),
        ("&::*!&", "  k000: '&::*!&'\n"),
        ("\u{e9}word-x1\r.&\n", "  k000: \"\u{e9}word-x1\\r.&\\n\"\n"),
        (
            " \"|\u{2028}-> |\u{e9}",
            "  k000: ' \"|\u{2028}    -> |\u{e9}'\n",
        ),
        (
            "word.|\u{2028}\n\u{85}0>>?\r",
            "  k000: \"word.|\\L\\n 0>>?\\r\"\n",
        ),
        ("0\\'1y0'|*\u{85} ", "  k000: '0\\''1y0''|* '\n"),
        ("e", "  k000: e\n"),
        (
            ".'~\u{85}{\u{85}\u{2028}word",
            "  k000: \".'~ { \\Lword\"\n",
        ),
        ("x10&'", "  k000: x10&'\n"),
        ("\"&\\\\ &", "  k000: '\"&\\\\ &'\n"),
        (
            "\u{85}\n\nword\u{65e5}\u{672c}:\u{feff}'&\t[  ",
            "  k000: \" \\n\\nword\u{65e5}\u{672c}:\\uFEFF'&\\t[  \"\n",
        ),
        ("wordy!yword\n", "  k000: |\n    wordy!yword\n"),
        ("# -", "  k000: '# -'\n"),
        (
            "!\n\n-\\~&\u{65e5}\u{672c}\u{85}-%",
            "  k000: |-\n    !\n\n    -\\~&\u{65e5}\u{672c} -%\n",
        ),
        ("#  \n\nx1|#['", "  k000: \"#  \\n\\nx1|#['\"\n"),
        (
            "\" .\"_?1`\u{1f600}.>,#a",
            "  k000: \"\\\" .\\\"_?1`\\U0001F600.>,#a\"\n",
        ),
        (
            "\u{85}!\u{65e5}\u{672c}`|,?#>-|?",
            "  k000: ' !\u{65e5}\u{672c}`|,?#>-|?'\n",
        ),
        ("{", "  k000: '{'\n"),
        (
            "\t~ -\t-&\\:%a\u{1f600}|",
            "  k000: \"\\t~ -\\t-&\\\\:%a\\U0001F600|\"\n",
        ),
        ("%&x1%a1'e ", "  k000: '%&x1%a1''e '\n"),
        (
            "x1?{% b{\u{1f600}\\?~?'",
            "  k000: \"x1?{% b{\\U0001F600\\\\?~?'\"\n",
        ),
        ("e{?>&?1|.%'{", "  k000: e{?>&?1|.%'{\n"),
        (",:y", "  k000: ',:y'\n"),
        (
            "\u{1f600}b\u{65e5}\u{672c}1[b\"\u{65e5}\u{672c}",
            "  k000: \"\\U0001F600b\u{65e5}\u{672c}1[b\\\"\u{65e5}\u{672c}\"\n",
        ),
        (
            ":-\n\n\u{65e5}\u{672c}\u{2028}",
            "  k000: |\n    :-\n\n    \u{65e5}\u{672c}\u{2028}",
        ),
        (".#!", "  k000: .#!\n"),
        ("x1y*\n", "  k000: |\n    x1y*\n"),
        (
            "0\n[?y\r,'\u{85}\u{1f600}word",
            "  k000: \"0\\n[?y\\r,' \\U0001F600word\"\n",
        ),
        (
            "\u{2028} \r%!{ \u{feff}\r|\\_",
            "  k000: \"\\L \\r%!{ \\uFEFF\\r|\\\\_\"\n",
        ),
        ("b:0x1word.e \t", "  k000: \"b:0x1word.e \\t\"\n"),
        ("#[.y-", "  k000: '#[.y-'\n"),
        (
            "?@*\u{1f600}wordea\t[",
            "  k000: \"?@*\\U0001F600wordea\\t[\"\n",
        ),
        ("e ", "  k000: 'e '\n"),
        ("word.word~0b.:! \r", "  k000: \"word.word~0b.:! \\r\"\n"),
        (",e\\# |1:\n", "  k000: |\n    ,e\\# |1:\n"),
        (
            "word \u{e9} \u{e9} xxxxxxxxxxxxxxxxx a:b word it's a a a #x xxxxxxxxxxxxxxxxxx a:b a:b q\"q a:b q\"q \u{e9} xxxxxxxxxxxxxxxxxxxxxxx it's word it's word bb \u{e9} word",
            "  k000: 'word \u{e9} \u{e9} xxxxxxxxxxxxxxxxx a:b word it''s a a a #x xxxxxxxxxxxxxxxxxx a:b\n    a:b q\"q a:b q\"q \u{e9} xxxxxxxxxxxxxxxxxxxxxxx it''s word it''s word bb \u{e9} word'\n",
        ),
        (
            "xxxxxxxxxxxxxxxxxxxx \u{e9} a:b word a:b \u{e9} it's it's a \u{e9} it's a q\"q a:b #x xxxxxxxxxxxxxxxxxxxxx #x a \u{e9} bb q\"q a a \u{e9} xxxxxxxxxxxxxxxxxxxxx  word ",
            "  k000: 'xxxxxxxxxxxxxxxxxxxx \u{e9} a:b word a:b \u{e9} it''s it''s a \u{e9} it''s a q\"q a:b #x\n    xxxxxxxxxxxxxxxxxxxxx #x a \u{e9} bb q\"q a a \u{e9} xxxxxxxxxxxxxxxxxxxxx  word '\n",
        ),
        (
            " word #x q\"q #x #x #x a  xxxxxxxxxxxxxxxxxxxxxxxxxx a word it's q\"q a:b a a #x xxxxxxxxxxxxxxxxxxxxxx \u{e9} a:b bb #x #x #x a:b bb \u{e9}",
            "  k000: ' word #x q\"q #x #x #x a  xxxxxxxxxxxxxxxxxxxxxxxxxx a word it''s q\"q a:b\n    a a #x xxxxxxxxxxxxxxxxxxxxxx \u{e9} a:b bb #x #x #x a:b bb \u{e9}'\n",
        ),
        (
            "q\"q a:b \u{e9} a xxxxxxxxxxxxxxxxxxxx  it's \u{e9}  a a \u{e9} bb xxxxxxxxxxxxxxxxxxxxxxx a:b #x a:b a:b bb #x \u{e9} a:b \u{e9} bb #x \u{e9} xxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  word #x it's  #x bb it's a:b a:b a",
            "  k000: 'q\"q a:b \u{e9} a xxxxxxxxxxxxxxxxxxxx  it''s \u{e9}  a a \u{e9} bb xxxxxxxxxxxxxxxxxxxxxxx\n    a:b #x a:b a:b bb #x \u{e9} a:b \u{e9} bb #x \u{e9} xxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  word\n    #x it''s  #x bb it''s a:b a:b a'\n",
        ),
        (
            "q\"q q\"q bb it's it's it's q\"q xxxx a \u{e9} it's q\"q  it's q\"q \u{e9} a bb \u{e9} word \u{e9} #x xxxxxxxxxxx it's q\"q a q\"q #x xxxxxxxxxxxxxxxxxx bb q\"q  word \u{e9} a #x word q\"q \u{e9} \u{e9} \u{e9} xxxxxxxxxxxxx a:b q\"q word word xxx a:b xxxxxxxxxxxxxxxxxx it's a:b word xxxxxxxxxxxxxxxxxx bb it's bb",
            "  k000: 'q\"q q\"q bb it''s it''s it''s q\"q xxxx a \u{e9} it''s q\"q  it''s q\"q \u{e9} a bb \u{e9} word\n    \u{e9} #x xxxxxxxxxxx it''s q\"q a q\"q #x xxxxxxxxxxxxxxxxxx bb q\"q  word \u{e9} a #x word\n    q\"q \u{e9} \u{e9} \u{e9} xxxxxxxxxxxxx a:b q\"q word word xxx a:b xxxxxxxxxxxxxxxxxx it''s a:b\n    word xxxxxxxxxxxxxxxxxx bb it''s bb'\n",
        ),
        (
            "q\"q q\"q #x q\"q it's a \u{e9} it's #x xxxxxxxxxxxxxxxxx \u{e9}",
            "  k000: 'q\"q q\"q #x q\"q it''s a \u{e9} it''s #x xxxxxxxxxxxxxxxxx \u{e9}'\n",
        ),
        (
            "a  a  a:b a:b bb #x a:b xxxxxxxxxxxxxxx bb word #x bb a:b #x a word  a \u{e9} \u{e9} q\"q bb bb #x xxxxxxxxxxxxxxxxxxx \u{e9}  a \u{e9}",
            "  k000: 'a  a  a:b a:b bb #x a:b xxxxxxxxxxxxxxx bb word #x bb a:b #x a word  a \u{e9}\n    \u{e9} q\"q bb bb #x xxxxxxxxxxxxxxxxxxx \u{e9}  a \u{e9}'\n",
        ),
        (
            "xxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxx q\"q \u{e9} a a:b q\"q \u{e9} q\"q it's a:b it's q\"q q\"q a \u{e9} #x xxx xxxxxxxxxxxxxxxx xxxxxxxxxx a:b \u{e9} \u{e9}   xxxxxx q\"q a word q\"q xx  q\"q a q\"q it's bb word xxxxxxxxxxx #x",
            "  k000: 'xxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxx q\"q \u{e9} a a:b q\"q \u{e9} q\"q it''s a:b it''s\n    q\"q q\"q a \u{e9} #x xxx xxxxxxxxxxxxxxxx xxxxxxxxxx a:b \u{e9} \u{e9}   xxxxxx q\"q a word q\"q\n    xx  q\"q a q\"q it''s bb word xxxxxxxxxxx #x'\n",
        ),
        (
            "a:b bb bb bb q\"q bb xxxxxxxxxxxxxxxxxx it's \u{e9} q\"q a a:b it's a:b it's a:b q\"q q\"q q\"q a:b a xxxxxxxxx bb  it's it's a it's \u{e9} a  bb x",
            "  k000: a:b bb bb bb q\"q bb xxxxxxxxxxxxxxxxxx it's \u{e9} q\"q a a:b it's a:b it's a:b\n    q\"q q\"q q\"q a:b a xxxxxxxxx bb  it's it's a it's \u{e9} a  bb x\n",
        ),
        (
            "- \u{e9} q\"q a:b a:b a \u{e9} word xxxxxxxxxxxxxxxxxxxx it's it's  #x q\"q word q\"q a #x it's q\"q bb \u{e9} bb bb a:b a:b xxxxxx q\"q  xxxxxxxxxxxxxxxxxxxxxxxxxxxxx #x bb \u{e9} \u{e9} \u{e9}\n",
            "  k000: |\n    - \u{e9} q\"q a:b a:b a \u{e9} word xxxxxxxxxxxxxxxxxxxx it's it's  #x q\"q word q\"q a #x it's q\"q bb \u{e9} bb bb a:b a:b xxxxxx q\"q  xxxxxxxxxxxxxxxxxxxxxxxxxxxxx #x bb \u{e9} \u{e9} \u{e9}\n",
        ),
        (
            " it's q\"q xxxxxxxxx #x bb a:b bb a:b xxxxxxxxxxxxxxxxxxxxxxxxxxxxx a:b it's \u{e9} bb xx  bb #x word",
            "  k000: ' it''s q\"q xxxxxxxxx #x bb a:b bb a:b xxxxxxxxxxxxxxxxxxxxxxxxxxxxx a:b it''s\n    \u{e9} bb xx  bb #x word'\n",
        ),
        (
            "'  xxxxxxxxxxxx it's word xx a xxxxxxxxxxxxxxxxxxxx a it's ",
            "  k000: '''  xxxxxxxxxxxx it''s word xx a xxxxxxxxxxxxxxxxxxxx a it''s '\n",
        ),
        (
            "#x bb bb q\"q #x #x word \u{e9} \u{e9} \u{e9} a  it's q\"q it's xxxxxxxxxxxxxxxxxxxxx q\"q a word bb bb  it's word a #x q\"q  it's #x word \u{e9} #x bb q\"q xxxxxxxxxxxxxxxx word a a:b a q\"q  word xxxxxxxxxxxxxxxxxxxxx q\"q xxxxxxxxxxxxxxxxxxxx a:b  a #x q\"q bb xxxxx xxxxxxxxxxxxxxxxxxxxxxxx #x a it's q\"q a:b \u{e9}",
            "  k000: '#x bb bb q\"q #x #x word \u{e9} \u{e9} \u{e9} a  it''s q\"q it''s xxxxxxxxxxxxxxxxxxxxx q\"q\n    a word bb bb  it''s word a #x q\"q  it''s #x word \u{e9} #x bb q\"q xxxxxxxxxxxxxxxx\n    word a a:b a q\"q  word xxxxxxxxxxxxxxxxxxxxx q\"q xxxxxxxxxxxxxxxxxxxx a:b  a #x\n    q\"q bb xxxxx xxxxxxxxxxxxxxxxxxxxxxxx #x a it''s q\"q a:b \u{e9}'\n",
        ),
        (
            "a:b a:b a  a:b a:b  a:b word a:b bb word q\"q bb a:b #x a word it's #x a #x q\"q word bb bb word a:b word xxxxxxxxxxxxxxxxxxxxxx it's \u{e9} it's  a:b \u{e9} a:b   xxxxxxxxxxxxxxxxx it's xx q\"q \u{e9} it's q\"q \u{e9} #x it's a:b #x bb",
            "  k000: 'a:b a:b a  a:b a:b  a:b word a:b bb word q\"q bb a:b #x a word it''s #x a\n    #x q\"q word bb bb word a:b word xxxxxxxxxxxxxxxxxxxxxx it''s \u{e9} it''s  a:b \u{e9} a:b   xxxxxxxxxxxxxxxxx\n    it''s xx q\"q \u{e9} it''s q\"q \u{e9} #x it''s a:b #x bb'\n",
        ),
        (
            "- q\"q \n it's bb xxxxxxxxxxxxxxx  a #x \u{e9}  it's a a word  q\"q #x a a:b  a a  \u{e9} #x #x q\"q \u{e9} word it's a:b word x",
            "  k000: \"- q\\\"q \\n it's bb xxxxxxxxxxxxxxx  a #x \u{e9}  it's a a word  q\\\"q #x a a:b  a\n    a  \u{e9} #x #x q\\\"q \u{e9} word it's a:b word x\"\n",
        ),
        (
            "yes q\"q\n\u{e9} a #x it's   #x a:b word a a a word word bb  xxxxxxxxxxxxxxxxxx q\"q #x #x q\"q  #x bb a a:b #x q\"q q\"q a:b a:b xxxxxx \u{e9} a it's \u{e9} a #x q\"q #x \u{e9} xxxxxxxxxxxxxxxxxxxxx #x word xxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxxxxxx it's q\"q  q\"q #x a:b #x a a xxxxxxxxxxxxxx \u{e9} xxxxxxxxxxxxxxxxxxxxxxxxxx \t",
            "  k000: \"yes q\\\"q\\n\u{e9} a #x it's   #x a:b word a a a word word bb  xxxxxxxxxxxxxxxxxx\n    q\\\"q #x #x q\\\"q  #x bb a a:b #x q\\\"q q\\\"q a:b a:b xxxxxx \u{e9} a it's \u{e9} a #x q\\\"q\n    #x \u{e9} xxxxxxxxxxxxxxxxxxxxx #x word xxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxxxxxx it's\n    q\\\"q  q\\\"q #x a:b #x a a xxxxxxxxxxxxxx \u{e9} xxxxxxxxxxxxxxxxxxxxxxxxxx \\t\"\n",
        ),
        (
            "'word a a a bb a  it's #x bb q\"q xxxx xxxxxxx a bb \u{e9} bb bb xxxxxxxxxxxxxxxxxxxxxxxxxx it's",
            "  k000: '''word a a a bb a  it''s #x bb q\"q xxxx xxxxxxx a bb \u{e9} bb bb xxxxxxxxxxxxxxxxxxxxxxxxxx\n    it''s'\n",
        ),
        (
            "yes it's it's  a:b \u{e9} a q\"q q\"q bb a:b a  bb",
            "  k000: yes it's it's  a:b \u{e9} a q\"q q\"q bb a:b a  bb\n",
        ),
        (
            "a it's bb word  #x  \u{e9} xxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxx word bb #x bb it's bb q\"q bb a xxxxxxxxxxxx \u{e9} #x word xxxxxxxxxxxxx word   a",
            "  k000: 'a it''s bb word  #x  \u{e9} xxxxxxxxxxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxxxxxxxx\n    word bb #x bb it''s bb q\"q bb a xxxxxxxxxxxx \u{e9} #x word xxxxxxxxxxxxx word   a'\n",
        ),
        (
            "#x it's a:b \u{e9} xxxxxxxxxxxxxxxxxxx it's xxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxx \u{e9}  word it's #x word it's \u{e9} bb bb q\"q word \u{e9} \u{e9} \u{e9} bb bb xxxxxxxxx q\"q a q\"q q\"q xxxxxxxxxxxxxxxxxxxxxxx \u{e9} a \u{e9} q\"q x q\"q ",
            "  k000: '#x it''s a:b \u{e9} xxxxxxxxxxxxxxxxxxx it''s xxxxxxxxxxxxxxx xxxxxxxxxxxxxxxxx\n    \u{e9}  word it''s #x word it''s \u{e9} bb bb q\"q word \u{e9} \u{e9} \u{e9} bb bb xxxxxxxxx q\"q a q\"q q\"q\n    xxxxxxxxxxxxxxxxxxxxxxx \u{e9} a \u{e9} q\"q x q\"q '\n",
        ),
        (
            " \nxxxxxxxxxxxxxxxxxxxxxxxxxxxx \nword bb q\"q \u{e9} bb q\"q q\"q word q\"q a:b  q\"q word it's a a:b bb \u{e9} xxxxxxxxxxxxxxxxxx xxxxxx it's  #x a:b a it's it's a:b word #x bb  a \u{e9} q\"q a q\"q q\"q it's \u{e9} xxxx q\"q xxxxxxxxxxxxxxxxx q\"q xxxxxxxxxxxxxxx word bb xxxxxxxxxxxxxxxxxxxxxxxxxx #x xxxxxxxxxxxxxxxxxxxxxxxx word q\"q \u{e9} #x",
            "  k000: \" \\nxxxxxxxxxxxxxxxxxxxxxxxxxxxx \\nword bb q\\\"q \u{e9} bb q\\\"q q\\\"q word q\\\"q a:b\n    \\ q\\\"q word it's a a:b bb \u{e9} xxxxxxxxxxxxxxxxxx xxxxxx it's  #x a:b a it's it's\n    a:b word #x bb  a \u{e9} q\\\"q a q\\\"q q\\\"q it's \u{e9} xxxx q\\\"q xxxxxxxxxxxxxxxxx q\\\"q xxxxxxxxxxxxxxx\n    word bb xxxxxxxxxxxxxxxxxxxxxxxxxx #x xxxxxxxxxxxxxxxxxxxxxxxx word q\\\"q \u{e9} #x\"\n",
        ),
        (
            "q\"q \u{e9} word a \u{e9} xxxxxxxxxxxx \u{e9} a:b q\"q bb it's \u{e9} q\"q bb  it's word it's  a bb \u{e9}   xxxxx a:b word\t",
            "  k000: \"q\\\"q \u{e9} word a \u{e9} xxxxxxxxxxxx \u{e9} a:b q\\\"q bb it's \u{e9} q\\\"q bb  it's word it's\n    \\ a bb \u{e9}   xxxxx a:b word\\t\"\n",
        ),
        (
            "\"#x \u{e9} a:b xxxxxxxxxxxxxxxxxxxxxxx bb a:b bb bb q\"q word a:b a a:b word a:b a:b #x a it's  \u{e9} a:b q\"q bb it's a  it's bb a:b word xx q\"q word bb it's a:b #x xxxxxxxxxxxxxxxxxx q\"q q\"q #x \u{e9} it's a:b it's \u{e9} #x xxxxxxxxxxxx a:b bb xxxxxxxxxxx \u{e9}  bb a #x q\"q  q\"q",
            "  k000: '\"#x \u{e9} a:b xxxxxxxxxxxxxxxxxxxxxxx bb a:b bb bb q\"q word a:b a a:b word a:b\n    a:b #x a it''s  \u{e9} a:b q\"q bb it''s a  it''s bb a:b word xx q\"q word bb it''s a:b\n    #x xxxxxxxxxxxxxxxxxx q\"q q\"q #x \u{e9} it''s a:b it''s \u{e9} #x xxxxxxxxxxxx a:b bb xxxxxxxxxxx\n    \u{e9}  bb a #x q\"q  q\"q'\n",
        ),
        (
            "123 #x \n#x q\"q word  bb a a:b word word a bb a word \u{e9} \u{e9} \u{e9} q\"q it's q\"q  a  a bb q\"q q\"q bb q\"q  word q\"q bb a:b word a a bb bb bb a:b \u{e9}  a:b word a word bb #x a:b \u{e9} a",
            "  k000: \"123 #x \\n#x q\\\"q word  bb a a:b word word a bb a word \u{e9} \u{e9} \u{e9} q\\\"q it's q\\\"q\n    \\ a  a bb q\\\"q q\\\"q bb q\\\"q  word q\\\"q bb a:b word a a bb bb bb a:b \u{e9}  a:b word\n    a word bb #x a:b \u{e9} a\"\n",
        ),
        (
            "q\"q \u{e9}  a:b a it's a:b word bb word q\"q q\"q a:b  \u{e9} a   a word \u{e9} q\"q xxxxxxxxxxxxxxxxxxxxxxxxxxxxx q\"q q\"q xxxxxxxxxxxxxxxxxxxx a:b a \u{e9} q\"q  a word  \u{e9} #x a:b #x #x a:b q\"q xxxxxxx  q\"q xxxxxxxxxxxxxxx \u{e9} a q\"q #x:",
            "  k000: 'q\"q \u{e9}  a:b a it''s a:b word bb word q\"q q\"q a:b  \u{e9} a   a word \u{e9} q\"q xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n    q\"q q\"q xxxxxxxxxxxxxxxxxxxx a:b a \u{e9} q\"q  a word  \u{e9} #x a:b #x #x a:b q\"q xxxxxxx  q\"q\n    xxxxxxxxxxxxxxx \u{e9} a q\"q #x:'\n",
        ),
    ];

    #[test]
    fn string_scalars_match_kubectl() {
        for (v, want) in STRING_CASES {
            let got = to_yaml(&json!({ "data": { "k000": v } }));
            assert_eq!(got, format!("data:\n{want}"), "value {v:?}");
        }
    }

    #[test]
    #[allow(clippy::excessive_precision)]
    fn numbers_match_kubectl() {
        let cases = [
            (json!(0i64), "0"),
            (json!(-0.0), "0"),
            (json!(1i64), "1"),
            (json!(-1i64), "-1"),
            (json!(1.0), "1"),
            (json!(1.5), "1.5"),
            (json!(-1.5), "-1.5"),
            (json!(0.1), "0.1"),
            (json!(1e3), "1000"),
            (json!(1e21), "1e+21"),
            (json!(1e20), "1e+20"),
            (json!(1e22), "1e+22"),
            (json!(1e-6), "1e-06"),
            (json!(1e-7), "1e-07"),
            (json!(1.5e-7), "1.5e-07"),
            (json!(0.0001), "0.0001"),
            (json!(0.00001), "1e-05"),
            (json!(123456.7), "123456.7"),
            (json!(1234567.5), "1.2345675e+06"),
            (json!(100000i64), "100000"),
            (json!(1000000.0), "1000000"),
            (json!(1e7), "10000000"),
            (json!(9007199254740993.0), "9007199254740992"),
            (json!(9223372036854775807i64), "9223372036854775807"),
            (json!(-9223372036854775808i64), "-9223372036854775808"),
            (json!(9223372036854775808u64), "9223372036854776000"),
            (json!(18446744073709551615u64), "1.8446744073709552e+19"),
            (json!(1.7976931348623157e308), "1.7976931348623157e+308"),
            (json!(5e-324), "5e-324"),
            (json!(2.5e-5), "2.5e-05"),
            (json!(0.3), "0.3"),
            (json!(12e-5), "0.00012"),
            (json!(4.4e-25), "4.4e-25"),
            (json!(3e30), "3e+30"),
            (json!(999999.9), "999999.9"),
            (json!(9999999.0), "9999999"),
            (json!(-524070745.81621724), "-5.2407074581621724e+08"),
            (json!(88458450.59190369), "8.845845059190369e+07"),
            (json!(-260089666.9038415), "-2.600896669038415e+08"),
            (json!(207840077.192389), "2.07840077192389e+08"),
            (json!(251440608.21610808), "2.5144060821610808e+08"),
            (json!(-868942281.5203738), "-8.689422815203738e+08"),
            (json!(2e28), "2e+28"),
            (json!(61e-14), "6.1e-13"),
            (json!(71e-16), "7.1e-15"),
            (json!(25e15), "25000000000000000"),
            (json!(61e4), "610000"),
            (json!(71e0), "71"),
            (json!(51e10), "510000000000"),
            (json!(20e-16), "2e-15"),
        ];
        for (v, want) in cases {
            assert_eq!(to_yaml(&json!([v])), format!("- {want}\n"), "{v}");
        }
    }

    #[test]
    fn key_order_and_key_styles() {
        let keys = [
            "a10", "a9", "a09", "a009", "b1c2", "b1c10", "0", "00", "1", "10", "9", "A", "a", "_a",
            "-a", ".a", "a.b", "a-b", "a_b", "Z", "ab1", "ab01", "ab001", "x0y", "x00y", "x1y",
            "e", "\u{e9}", "n", "yes", "", "1:2", "a b", "a: b", "x\ny",
        ];
        let mut m = serde_json::Map::new();
        for k in keys {
            m.insert(k.to_string(), json!("v"));
        }
        m.insert("k".repeat(129), json!("v"));
        let want = concat!(
            "\"\": v\n-a: v\n.a: v\n_a: v\n\"0\": v\n\"00\": v\n\"1\": v\n\"1:2\": v\n",
            "\"9\": v\n\"10\": v\nA: v\nZ: v\na: v\na b: v\na-b: v\na.b: v\n'a: b': v\n",
            "a_b: v\na9: v\na09: v\na009: v\na10: v\nab1: v\nab01: v\nab001: v\nb1c2: v\n",
            "b1c10: v\ne: v\n? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
            "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n: v\n\"n\": v\n",
            "? |-\n  x\n  y\n: v\nx00y: v\nx0y: v\nx1y: v\n\"yes\": v\n\u{e9}: v\n",
        );
        assert_eq!(to_yaml(&Value::Object(m)), want);
    }

    #[test]
    fn deployment_matches_kubectl() {
        // kubectl create deployment web --image=nginx --replicas=2 --port=80 --dry-run=client
        let v = json!({
            "kind": "Deployment", "apiVersion": "apps/v1",
            "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx",
                        "ports": [{"containerPort": 80}], "resources": {}}]}
                },
                "strategy": {}
            },
            "status": {}
        });
        let want = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        ports:
        - containerPort: 80
        resources: {}
status: {}
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn nested_sequences_and_empty_containers() {
        let v = json!({"m": [[1, 2], [], {}, [[true]], {"a": [null]}], "n": {}, "o": []});
        let want = "\
m:
- - 1
  - 2
- []
- {}
- - - true
- a:
  - null
\"n\": {}
o: []
";
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn list_and_stream() {
        let empty = json!({"apiVersion": "v1", "items": [], "kind": "List",
            "metadata": {"resourceVersion": ""}});
        assert_eq!(
            to_yaml(&empty),
            "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
        );
        let list = json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
            "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]});
        assert_eq!(
            to_yaml(&list),
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
        );
        // `set image --local -f two-docs.yaml -o yaml` prints `---` between objects only.
        let a = json!({"kind": "ConfigMap", "metadata": {"name": "a"}});
        let b = json!({"kind": "ConfigMap", "metadata": {"name": "b"}});
        assert_eq!(
            to_yaml_stream(&[a.clone(), b]),
            "kind: ConfigMap\nmetadata:\n  name: a\n---\nkind: ConfigMap\nmetadata:\n  name: b\n"
        );
        assert_eq!(to_yaml_stream(std::slice::from_ref(&a)), to_yaml(&a));
        assert_eq!(to_yaml_stream(&[]), "");
    }

    #[test]
    fn timestamps_are_quoted() {
        let v = json!({"t": "2024-01-01T00:00:00Z", "d": "2024-1-1", "bad": "2024-02-30", "x": "2024-01-01x"});
        assert_eq!(
            to_yaml(&v),
            "bad: 2024-02-30\nd: \"2024-1-1\"\nt: \"2024-01-01T00:00:00Z\"\nx: 2024-01-01x\n"
        );
    }

    #[test]
    fn nel_is_folded_like_the_json_round_trip() {
        assert_eq!(fold_nel("a \u{85} b"), "a b");
        assert_eq!(fold_nel("a\u{85}\u{85}\u{85}b"), "a\n\nb");
        assert_eq!(to_yaml(&json!({"k": "\u{85}"})), "k: ' '\n");
    }

    #[test]
    fn resolver_helpers() {
        assert!(!resolves_to_str("0x1F"));
        assert!(!resolves_to_str("1_000"));
        assert!(resolves_to_str("1e400"));
        assert!(resolves_to_str("<<"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:60"));
        assert!(key_less("a9", "a10"));
        assert!(!key_less("a10", "a9"));
    }
}
