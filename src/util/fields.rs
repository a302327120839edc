//! Checked writes into JSON objects: the replacement for index assignment (`obj[key] = v`).
//!
//! `serde_json`'s `IndexMut` panics when the value it writes into is neither an object nor
//! null (assigning `obj[key][name]` where `"metadata": "x"`), and every object kubesim
//! writes may come from a user's patch, a manifest or a hand-edited state. [`Fields`] walks a
//! path (`/metadata/annotations`, the [`Ptr`](super::ptr::Ptr) form), making `{}` where a key
//! is missing or null, and turns any other shape into a [`ShapeError`] naming the field.
//!
//! ```
//! use kubesim::util::fields::Fields;
//! use serde_json::json;
//! let mut o = json!({"metadata": {}});
//! o.set("/metadata/labels/app", json!("web")).unwrap();
//! assert_eq!(o, json!({"metadata": {"labels": {"app": "web"}}}));
//! let mut bad = json!({"metadata": "x"});
//! let e = bad.set("/metadata/name", json!("web")).unwrap_err();
//! assert_eq!(e.to_string(), "metadata: expected an object, found a string");
//! ```

use std::fmt;

use serde_json::{Map, Value};

/// A value of the wrong shape where a write needed an object (or an array element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// The field path as Kubernetes writes it (`spec.containers[0]`; `<object>` for the root).
    pub field: String,
    /// What was there instead (`a string`, `an array`, `no element`).
    pub found: &'static str,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found == "no element" {
            write!(f, "{}: no such element", self.field)
        } else {
            write!(
                f,
                "{}: expected an object, found {}",
                self.field, self.found
            )
        }
    }
}

impl std::error::Error for ShapeError {}

/// How a value's type reads in a [`ShapeError`].
pub fn shape_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn push_field(field: &mut String, token: &str, index: bool) {
    if index {
        field.push('[');
        field.push_str(token);
        field.push(']');
    } else {
        if !field.is_empty() {
            field.push('.');
        }
        field.push_str(token);
    }
}

fn error(field: &str, found: &'static str) -> ShapeError {
    ShapeError {
        field: if field.is_empty() {
            "<object>".to_string()
        } else {
            field.to_string()
        },
        found,
    }
}

/// Checked writes into a JSON value (see the module documentation).
pub trait Fields {
    /// This value as an object to write into: `null` becomes `{}`; any other non-object is an
    /// error.
    fn fields(&mut self) -> Result<&mut Map<String, Value>, ShapeError>;

    /// The object at `path` (`""` is the value itself; `/spec/containers/0` indexes an existing
    /// array element), made `{}` where a key is missing or null.
    fn fields_at(&mut self, path: &str) -> Result<&mut Map<String, Value>, ShapeError>;

    /// Sets the field `path` names (its last token) in the object its parent path names,
    /// returning the value it replaced.
    fn set(&mut self, path: &str, v: Value) -> Result<Option<Value>, ShapeError>;

    /// Removes the field `path` names, if its parent is an object that has it (nothing is
    /// made on the way, and no shape is an error: there is nothing to remove).
    fn unset(&mut self, path: &str) -> Option<Value>;
}

impl Fields for Value {
    fn fields(&mut self) -> Result<&mut Map<String, Value>, ShapeError> {
        self.fields_at("")
    }

    fn fields_at(&mut self, path: &str) -> Result<&mut Map<String, Value>, ShapeError> {
        let mut field = String::new();
        let mut cur = self;
        let tokens = path.strip_prefix('/').unwrap_or(path);
        if !tokens.is_empty() {
            for raw in tokens.split('/') {
                let token = raw.replace("~1", "/").replace("~0", "~");
                if cur.is_null() {
                    *cur = Value::Object(Map::new());
                }
                cur = match cur {
                    Value::Object(m) => {
                        push_field(&mut field, &token, false);
                        m.entry(token).or_insert(Value::Null)
                    }
                    Value::Array(a) => {
                        push_field(&mut field, &token, true);
                        match token.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                            Some(v) => v,
                            None => return Err(error(&field, "no element")),
                        }
                    }
                    other => return Err(error(&field, shape_of(other))),
                };
            }
        }
        if cur.is_null() {
            *cur = Value::Object(Map::new());
        }
        match cur {
            Value::Object(m) => Ok(m),
            other => Err(error(&field, shape_of(other))),
        }
    }

    fn set(&mut self, path: &str, v: Value) -> Result<Option<Value>, ShapeError> {
        let (parent, key) = path.rsplit_once('/').unwrap_or(("", path));
        let key = key.replace("~1", "/").replace("~0", "~");
        Ok(self.fields_at(parent)?.insert(key, v))
    }

    fn unset(&mut self, path: &str) -> Option<Value> {
        let (parent, key) = path.rsplit_once('/').unwrap_or(("", path));
        let parent = if parent.is_empty() {
            Some(self)
        } else if parent.contains('~') {
            self.pointer_mut(parent)
        } else {
            let mut cur = self;
            for token in parent.trim_start_matches('/').split('/') {
                cur = match cur {
                    Value::Object(m) => m.get_mut(token)?,
                    Value::Array(a) => a.get_mut(token.parse::<usize>().ok()?)?,
                    _ => return None,
                };
            }
            Some(cur)
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        parent?.as_object_mut()?.remove(&key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_make_missing_and_null_objects() {
        let mut o = json!({"a": null});
        o.set("/a/b/c", json!(1)).unwrap();
        o.set("/x", json!(2)).unwrap();
        assert_eq!(o, json!({"a": {"b": {"c": 1}}, "x": 2}));
        let mut n = Value::Null;
        n.fields().unwrap().insert("k".into(), json!(true));
        assert_eq!(n, json!({"k": true}));
    }

    #[test]
    fn wrong_shapes_are_errors_naming_the_field() {
        let mut o = json!({"spec": {"containers": ["x"], "n": 3}});
        let e = |o: &mut Value, p: &str| o.set(p, json!(1)).unwrap_err().to_string();
        assert_eq!(
            e(&mut o, "/spec/containers/0/image"),
            "spec.containers[0]: expected an object, found a string"
        );
        assert_eq!(
            e(&mut o, "/spec/containers/1/image"),
            "spec.containers[1]: no such element"
        );
        assert_eq!(
            e(&mut o, "/spec/n/x"),
            "spec.n: expected an object, found a number"
        );
        assert_eq!(
            e(&mut json!([1]), "/k"),
            "<object>: expected an object, found an array"
        );
        assert_eq!(o, json!({"spec": {"containers": ["x"], "n": 3}}));
    }

    #[test]
    fn unset_removes_only_what_is_there() {
        let mut o = json!({"a": {"b": 1, "c": 2}, "s": "x"});
        assert_eq!(o.unset("/a/b"), Some(json!(1)));
        assert_eq!(o.unset("/a/zz"), None);
        assert_eq!(o.unset("/s/x"), None);
        assert_eq!(o.unset("/missing/x"), None);
        assert_eq!(o, json!({"a": {"c": 2}, "s": "x"}));
    }

    #[test]
    fn escaped_tokens_name_keys_with_slashes() {
        let mut o = json!({});
        o.set("/metadata/annotations/example.com~1a", json!("v"))
            .unwrap();
        assert_eq!(
            o,
            json!({"metadata": {"annotations": {"example.com/a": "v"}}})
        );
    }
}
