//! The bottom layer: pure helpers every other layer may use, and that import nothing of the
//! crate above them.
//!
//! - [`quantity`]: apimachinery's `resource.Quantity`, exact.
//! - [`selector`]: label and field selectors (parse, match, `String()`).
//! - [`image`]: container image references (name, tag, digest, Docker Hub normalisation).
//! - [`ptr`]: the JSON-pointer walker [`Ptr`](ptr::Ptr).
//! - [`fields`]: checked writes into JSON objects ([`Fields`](fields::Fields)), never `obj[key] = v`.
//! - [`names`]: the deterministic name, uid and number generators, one source per purpose.
//! - [`go_quote`]: Go's `%q`.

pub mod fields;
pub mod image;
pub mod names;
pub mod ptr;
pub mod quantity;
pub mod selector;

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
