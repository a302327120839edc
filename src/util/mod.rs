//! The bottom layer: pure helpers every other layer may use, and that import nothing of the
//! crate above them.
//!
//! - [`quantity`]: apimachinery's `resource.Quantity`, exact.
//! - [`selector`]: label and field selectors (parse, match, `String()`).
//! - [`image`]: container image references (name, tag, digest, Docker Hub normalisation).
//! - [`ptr`]: the JSON-pointer walker [`Ptr`](ptr::Ptr).
//! - [`fields`]: checked writes into JSON objects ([`Fields`](fields::Fields)), never `obj[key] = v`.
//! - [`names`]: the deterministic name, uid and number generators, one source per purpose.
//! - [`go_quote`]: Go's `%q`; [`go_parse_duration`]: Go's `time.ParseDuration`.
//! - [`go_base64_decode`]: Go's `base64.StdEncoding.DecodeString` with its error offsets.
//! - [`cron`]: robfig/cron v3's standard schedule parser and its `Next` (CronJob schedules).

pub mod cron;
pub mod fields;
pub mod image;
pub mod names;
pub mod ptr;
pub mod quantity;
pub mod selector;
pub mod sha256;

/// Go's `%q` for the strings we meet: double quotes, with `"` and `\` escaped and control
/// characters in Go's escape forms.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `time.ParseDuration`, with its error words (`time: invalid duration "x"`,
/// `time: missing unit in duration "5"`, `time: unknown unit "d" in duration "5d"`).
pub fn go_parse_duration(orig: &str) -> Result<jiff::SignedDuration, String> {
    let q = |s: &str| format!("{s:?}");
    let invalid = || format!("time: invalid duration {}", q(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(rest) = s.strip_prefix(['-', '+']) {
        neg = s.starts_with('-');
        s = rest;
    }
    if s == "0" {
        return Ok(jiff::SignedDuration::ZERO);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !s.is_empty() {
        let digits = |x: &str| x.find(|c: char| !c.is_ascii_digit()).unwrap_or(x.len());
        if !s.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
            return Err(invalid());
        }
        let n = digits(s);
        let (int, rest) = s.split_at(n);
        s = rest;
        let mut frac = "";
        if let Some(rest) = s.strip_prefix('.') {
            let m = digits(rest);
            frac = &rest[..m];
            s = &rest[m..];
        }
        if int.is_empty() && frac.is_empty() {
            return Err(invalid());
        }
        let u = s
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if u == 0 {
            return Err(format!("time: missing unit in duration {}", q(orig)));
        }
        let (unit, rest) = s.split_at(u);
        s = rest;
        let nanos: f64 = match unit {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    q(unit),
                    q(orig)
                ));
            }
        };
        let value: f64 = format!("{}.{}", if int.is_empty() { "0" } else { int }, frac)
            .parse()
            .map_err(|_| invalid())?;
        total += value * nanos;
        if total > i64::MAX as f64 {
            return Err(invalid());
        }
    }
    let d = jiff::SignedDuration::from_nanos(total as i64);
    Ok(if neg { -d } else { d })
}

/// Go's `base64.StdEncoding.Decode` (non-strict: `\r`/`\n` ignored, trailing bits not checked).
/// Returns the decoded bytes, or the byte offset Go reports in `illegal base64 data at input
/// byte N`.
pub fn go_base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
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
