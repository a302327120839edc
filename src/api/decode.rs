//! STUB (replaced by the decode module): minimal manifest reading.
use super::errors::ApiError;
use super::kinds::{self, KindInfo};
use serde_json::Value;

#[derive(Debug)]
pub struct DecodeError(pub String);
impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub struct Decoded {
    pub info: &'static KindInfo,
    pub object: Value,
    pub unknown_fields: Vec<String>,
}

pub fn parse_documents(data: &[u8], source: &str) -> Result<Vec<Value>, DecodeError> {
    let s = std::str::from_utf8(data)
        .map_err(|e| DecodeError(format!("error parsing {source}: {e}")))?;
    let docs: Vec<Value> = serde_saphyr::from_multiple(s)
        .map_err(|e| DecodeError(format!("error parsing {source}: {e}")))?;
    let mut out = Vec::new();
    for d in docs {
        if d.is_null() {
            continue;
        }
        if d.get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"))
            && let Some(items) = d.get("items").and_then(Value::as_array)
        {
            out.extend(items.iter().cloned());
            continue;
        }
        out.push(d);
    }
    Ok(out)
}

pub fn strict_decode(obj: Value) -> Result<Decoded, DecodeError> {
    let av = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let k = obj.get("kind").and_then(Value::as_str).unwrap_or_default();
    let info = kinds::by_api_version_kind(av, k)
        .ok_or_else(|| DecodeError(format!("no matches for kind \"{k}\" in version \"{av}\"")))?;
    Ok(Decoded {
        info,
        object: obj,
        unknown_fields: vec![],
    })
}

pub fn unknown_fields_error(info: &KindInfo, fields: &[String]) -> ApiError {
    let list: Vec<String> = fields
        .iter()
        .map(|f| format!("unknown field \"{f}\""))
        .collect();
    ApiError::bad_request(format!(
        "{k} in version \"{v}\" cannot be handled as a {k}: strict decoding error: {}",
        list.join(", "),
        k = info.kind,
        v = info.version
    ))
}
