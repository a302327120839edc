//! The JSON-pointer walker every layer reads objects with.

use serde_json::Value;

/// `Value::pointer` without its per-token allocations (serde_json unescapes every token into
/// a new `String`); the same semantics (RFC 6901, array indices as serde_json parses them).
pub trait Ptr {
    fn ptr(&self, path: &str) -> Option<&Value>;
}

impl Ptr for Value {
    fn ptr(&self, path: &str) -> Option<&Value> {
        if path.contains('~') {
            return self.pointer(path);
        }
        if path.is_empty() {
            return Some(self);
        }
        let rest = path.strip_prefix('/')?;
        let mut target = self;
        for token in rest.split('/') {
            target = match target {
                Value::Object(m) => m.get(token)?,
                Value::Array(a) => {
                    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                        return None;
                    }
                    a.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(target)
    }
}
