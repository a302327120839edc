//! The values a template handles and Go's `fmt` over them (`Sprint`, `Sprintln`,
//! `Sprintf` with Go's verbs, flags, widths and its `%!d(string=x)` complaints), for the
//! types kubectl's decoded objects hold: `map[string]interface {}`, `[]interface {}`,
//! `string`, `int64`, `float64`, `bool`, nil, and the template's own `int` constants.

use crate::print::jsonpath::{fmt_e, fmt_f, go_float_v, shortest_digits};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A Go value as reflect sees it. `boxed`: the value sits in an `interface {}` (what a map
/// or slice element of decoded JSON is until a pipeline unwraps it).
#[derive(Debug, Clone)]
pub enum V<'a> {
    /// The zero `reflect.Value` (missing key, unset variable).
    Invalid,
    /// A nil `interface {}` (JSON null); only ever boxed.
    Nil,
    Bool(bool),
    /// Go `int` (number constants, `len`, range indexes).
    Int(i64),
    /// `int64` (integers of the decoded object).
    I64(i64),
    /// `uint8` (a byte of a string, from `index`).
    U8(u8),
    F64(f64),
    Str(Cow<'a, str>),
    Map(&'a Map<String, Value>),
    Arr(&'a [Value]),
}

#[derive(Debug, Clone)]
pub struct Val<'a> {
    pub v: V<'a>,
    pub boxed: bool,
}

impl<'a> Val<'a> {
    pub fn new(v: V<'a>) -> Val<'a> {
        Val { v, boxed: false }
    }
    pub fn invalid() -> Val<'a> {
        Val::new(V::Invalid)
    }
    /// A decoded JSON value as kubectl's `map[string]interface{}` holds it (apimachinery's
    /// json: integers that fit are int64, other numbers float64).
    pub fn json(v: &'a Value, boxed: bool) -> Val<'a> {
        let v = match v {
            Value::Null => V::Nil,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => V::I64(i),
                None => V::F64(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => V::Str(Cow::Borrowed(s)),
            Value::Array(a) => V::Arr(a),
            Value::Object(m) => V::Map(m),
        };
        if let V::Nil = v {
            return Val { v, boxed: true };
        }
        Val { v, boxed }
    }
    pub fn is_valid(&self) -> bool {
        !matches!(self.v, V::Invalid)
    }
    /// `indirectInterface`: the concrete value out of its interface (a nil one is invalid).
    pub fn unbox(self) -> Val<'a> {
        match self.v {
            V::Nil => Val::invalid(),
            v => Val { v, boxed: false },
        }
    }
    /// `reflect.Value.Type().String()`.
    pub fn type_name(&self) -> &'static str {
        if self.boxed {
            return "interface {}";
        }
        self.v.type_name()
    }
}

impl V<'_> {
    pub fn type_name(&self) -> &'static str {
        match self {
            V::Invalid | V::Nil => "<nil>",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::I64(_) => "int64",
            V::U8(_) => "uint8",
            V::F64(_) => "float64",
            V::Str(_) => "string",
            V::Map(_) => "map[string]interface {}",
            V::Arr(_) => "[]interface {}",
        }
    }
    fn is_string(&self) -> bool {
        matches!(self, V::Str(_))
    }
}

/// `unicode.IsPrint`.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    let format = matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}');
    !(c.is_control() || c.is_whitespace() || ('\u{e000}'..='\u{f8ff}').contains(&c) || format)
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    quote_with(s, '"', false)
}

fn quote_with(s: &str, q: char, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if ascii && !c.is_ascii() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(q);
    out
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
    plus_v: bool,
    sharp_v: bool,
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = a.v.is_string();
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        print_arg(&mut out, &a.v, 'v', Flags::default());
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`.
pub fn sprintln(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        print_arg(&mut out, &a.v, 'v', Flags::default());
    }
    out.push('\n');
    out
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut argn = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut f = Flags::default();
        // Flags.
        while let Some(&(_, c)) = chars.peek() {
            match c {
                '#' => f.sharp = true,
                '0' => f.zero = true,
                '+' => f.plus = true,
                '-' => f.minus = true,
                ' ' => f.space = true,
                _ => break,
            }
            chars.next();
        }
        // Width.
        let num = |chars: &mut std::iter::Peekable<std::str::CharIndices>,
                   argn: &mut usize,
                   out: &mut String,
                   what: &str|
         -> Option<usize> {
            if let Some(&(_, '*')) = chars.peek() {
                chars.next();
                let n = match args.get(*argn).map(|a| &a.v) {
                    Some(V::Int(i) | V::I64(i)) if (0..=1_000_000).contains(i) => Some(*i as usize),
                    _ => {
                        out.push_str(&format!("%!({what})"));
                        None
                    }
                };
                *argn += 1;
                return n;
            }
            let mut n: Option<usize> = None;
            while let Some(&(_, d)) = chars.peek() {
                if let Some(v) = d.to_digit(10) {
                    n = Some(n.unwrap_or(0) * 10 + v as usize);
                    chars.next();
                } else {
                    break;
                }
            }
            n
        };
        f.width = num(&mut chars, &mut argn, &mut out, "BADWIDTH");
        if let Some(&(_, '.')) = chars.peek() {
            chars.next();
            f.prec = Some(num(&mut chars, &mut argn, &mut out, "BADPREC").unwrap_or(0));
        }
        if f.minus {
            f.zero = false;
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(argn) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argn += 1;
        if verb == 'v' {
            if f.sharp {
                f.sharp = false;
                f.sharp_v = true;
            }
            if f.plus {
                f.plus = false;
                f.plus_v = true;
            }
        }
        print_arg(&mut out, &arg.v, verb, f);
    }
    if argn < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, a) in args[argn..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(a.v.type_name());
            out.push('=');
            print_arg(&mut out, &a.v, 'v', Flags::default());
        }
        out.push(')');
    }
    out
}

fn pad(out: &mut String, s: &str, f: Flags) {
    let n = s.chars().count();
    let w = f.width.unwrap_or(0);
    if n >= w {
        out.push_str(s);
        return;
    }
    let fill = w - n;
    if f.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else {
        let c = if f.zero { '0' } else { ' ' };
        out.extend(std::iter::repeat_n(c, fill));
        out.push_str(s);
    }
}

/// Pads a number: zero padding goes after the sign.
fn pad_num(out: &mut String, s: &str, f: Flags) {
    if f.zero && !f.minus && f.width.is_some() && f.prec.is_none() {
        let w = f.width.unwrap_or(0);
        let (sign, digits) = match s.chars().next() {
            Some(c @ ('+' | '-' | ' ')) => (Some(c), &s[1..]),
            _ => (None, s),
        };
        let n = s.chars().count();
        if let Some(c) = sign {
            out.push(c);
        }
        if n < w {
            out.extend(std::iter::repeat_n('0', w - n));
        }
        out.push_str(digits);
        return;
    }
    pad(out, s, Flags { zero: false, ..f })
}

fn bad_verb(out: &mut String, v: &V, verb: char) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    match v {
        V::Invalid | V::Nil => out.push_str("<nil>"),
        v => {
            out.push_str(v.type_name());
            out.push('=');
            print_arg(out, v, 'v', Flags::default());
        }
    }
    out.push(')');
}

fn print_arg(out: &mut String, v: &V, verb: char, f: Flags) {
    if matches!(v, V::Invalid | V::Nil) {
        match verb {
            'T' | 'v' => pad(out, "<nil>", f),
            _ => bad_verb(out, v, verb),
        }
        return;
    }
    if verb == 'T' {
        pad(out, v.type_name(), f);
        return;
    }
    print_value(out, v, verb, f, 0);
}

fn print_value(out: &mut String, v: &V, verb: char, f: Flags, depth: usize) {
    match v {
        V::Invalid | V::Nil => {
            if depth == 0 {
                out.push_str("<invalid reflect.Value>");
            } else if f.sharp_v {
                out.push_str("interface {}(nil)");
            } else {
                pad(out, "<nil>", f);
            }
        }
        V::Bool(b) => match verb {
            't' | 'v' => pad(out, if *b { "true" } else { "false" }, f),
            _ => bad_verb(out, v, verb),
        },
        V::Int(i) | V::I64(i) => fmt_int(out, v, *i as i128, verb, f),
        V::U8(u) => fmt_int(out, v, *u as i128, verb, f),
        V::F64(x) => fmt_float(out, v, *x, verb, f),
        V::Str(s) => fmt_string(out, v, s, verb, f),
        V::Map(m) => {
            if f.sharp_v {
                out.push_str("map[string]interface {}{");
            } else {
                out.push_str("map[");
            }
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(if f.sharp_v { ", " } else { " " });
                }
                print_value(out, &V::Str(Cow::Borrowed(k.as_str())), verb, f, depth + 1);
                out.push(':');
                let e = Val::json(&m[*k], true);
                print_value(out, &e.v, verb, f, depth + 1);
            }
            out.push(if f.sharp_v { '}' } else { ']' });
        }
        V::Arr(a) => {
            if f.sharp_v {
                out.push_str("[]interface {}{");
            } else {
                out.push('[');
            }
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(if f.sharp_v { ", " } else { " " });
                }
                let e = Val::json(x, true);
                print_value(out, &e.v, verb, f, depth + 1);
            }
            out.push(if f.sharp_v { '}' } else { ']' });
        }
    }
}

fn fmt_int(out: &mut String, v: &V, i: i128, verb: char, f: Flags) {
    let neg = i < 0;
    let a = i.unsigned_abs();
    let (mut digits, prefix) = match verb {
        'd' | 'v' => (a.to_string(), ""),
        'b' => (format!("{a:b}"), if f.sharp { "0b" } else { "" }),
        'o' => (format!("{a:o}"), if f.sharp { "0" } else { "" }),
        'O' => (format!("{a:o}"), "0o"),
        'x' => (format!("{a:x}"), if f.sharp { "0x" } else { "" }),
        'X' => (format!("{a:X}"), if f.sharp { "0X" } else { "" }),
        'c' => {
            let c = char::from_u32(i as u32).unwrap_or('\u{fffd}');
            return pad(out, &c.to_string(), f);
        }
        'q' => {
            let c = char::from_u32(i as u32).unwrap_or('\u{fffd}');
            return pad(out, &quote_with(&c.to_string(), '\'', f.plus), f);
        }
        'U' => {
            let mut s = format!("U+{:04X}", a);
            if f.sharp
                && let Some(c) = char::from_u32(i as u32)
                && is_print(c)
            {
                s.push_str(&format!(" '{c}'"));
            }
            return pad(out, &s, f);
        }
        _ if f.sharp_v && verb == 'v' => (a.to_string(), ""),
        _ => return bad_verb(out, v, verb),
    };
    if let Some(p) = f.prec {
        if p == 0 && a == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let sign = if neg {
        "-"
    } else if f.plus {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    };
    pad_num(out, &format!("{sign}{prefix}{digits}"), f);
}

/// `strconv.FormatFloat(x, 'e'|'f'|'g', prec, 64)` (prec `None`: shortest).
pub fn format_float(x: f64, verb: char, prec: Option<usize>) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let upper = verb.is_ascii_uppercase();
    let verb = verb.to_ascii_lowercase();
    let s = match (verb, prec) {
        ('g', None) => go_float_v(x),
        ('e', Some(p)) => {
            let s = format!("{:.*e}", p, x);
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
        }
        ('e', None) => {
            if x == 0.0 {
                return if x.is_sign_negative() {
                    "-0e+00"
                } else {
                    "0e+00"
                }
                .into();
            }
            let (d, dp) = shortest_digits(x);
            fmt_e(x < 0.0, &d, dp)
        }
        ('f', Some(p)) => format!("{:.*}", p, x),
        ('f', None) => {
            if x == 0.0 {
                return if x.is_sign_negative() { "-0" } else { "0" }.into();
            }
            let (d, dp) = shortest_digits(x);
            fmt_f(x < 0.0, &d, dp)
        }
        ('g', Some(p)) => {
            let p = p.max(1);
            if x == 0.0 {
                return if x.is_sign_negative() { "-0" } else { "0" }.into();
            }
            let s = format!("{:.*e}", p - 1, x.abs());
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let exp: i32 = e.parse().unwrap_or(0);
            let digits: String = m.chars().filter(|c| *c != '.').collect();
            let digits = digits.trim_end_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let nd = digits.len() as i32;
            let eprec = if p as i32 > nd && nd > exp {
                nd
            } else {
                p as i32
            };
            if exp < -4 || exp >= eprec {
                fmt_e(x < 0.0, digits, exp + 1)
            } else {
                fmt_f(x < 0.0, digits, exp + 1)
            }
        }
        _ => go_float_v(x),
    };
    if upper { s.to_uppercase() } else { s }
}

fn fmt_float(out: &mut String, v: &V, x: f64, verb: char, f: Flags) {
    let mut s = match verb {
        'v' => format_float(x, 'g', f.prec),
        'e' | 'E' | 'f' | 'F' => format_float(x, verb, Some(f.prec.unwrap_or(6))),
        'g' | 'G' => format_float(x, verb, f.prec),
        _ => return bad_verb(out, v, verb),
    };
    if !s.starts_with(['-', '+']) {
        if f.plus {
            s.insert(0, '+');
        } else if f.space {
            s.insert(0, ' ');
        }
    }
    if x.is_infinite() || x.is_nan() {
        return pad(out, &s, Flags { zero: false, ..f });
    }
    pad_num(out, &s, Flags { prec: None, ..f });
}

fn fmt_string(out: &mut String, v: &V, s: &str, verb: char, f: Flags) {
    let s: Cow<str> = match f.prec {
        Some(p) if matches!(verb, 's' | 'v' | 'q' | 'x' | 'X') => {
            Cow::Owned(s.chars().take(p).collect())
        }
        _ => Cow::Borrowed(s),
    };
    match verb {
        'v' if f.sharp_v => pad(out, &quote(&s), f),
        's' | 'v' => pad(out, &s, f),
        'q' => {
            if f.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
                pad(out, &format!("`{s}`"), f)
            } else {
                pad(out, &quote_with(&s, '"', f.plus), f)
            }
        }
        'x' | 'X' => {
            let mut h = String::new();
            for (i, b) in s.bytes().enumerate() {
                if i > 0 && f.space {
                    h.push(' ');
                }
                if f.sharp && (i == 0 || f.space) {
                    h.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    h.push_str(&format!("{b:02x}"));
                } else {
                    h.push_str(&format!("{b:02X}"));
                }
            }
            pad(out, &h, f)
        }
        _ => bad_verb(out, v, verb),
    }
}

/// `%+v` of the object kubectl prints when a template fails.
pub fn sprint_plus_v(v: &Value) -> String {
    let mut out = String::new();
    let val = Val::json(v, false);
    print_arg(
        &mut out,
        &val.v,
        'v',
        Flags {
            plus_v: true,
            ..Flags::default()
        },
    );
    out
}
