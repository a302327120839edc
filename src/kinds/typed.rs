//! A kind's k8s-openapi type behind a plain fn pointer ([`Decode`]), so that the registry can
//! hold every kind's type and the API decode any kind without a match on its name.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why [`decode_as`] failed.
#[derive(Debug)]
pub enum DecodeFailure {
    /// The object does not fit the type: serde's error and the path where it happened.
    Type(serde_path_to_error::Error<serde_json::Error>),
    /// The typed object did not serialize back (not expected to happen).
    Encode(serde_json::Error),
}

/// Decodes an object into the kind's type, pushing the paths of fields the type does not know
/// to `unknown` (`spec.template.spec.containers[0].imagee`), and returns it as JSON again:
/// canonical, keys sorted.
pub type Decode = fn(&Value, &mut Vec<String>) -> Result<Value, DecodeFailure>;

/// [`Decode`] for the k8s-openapi type `T`: `decode: typed::decode_as::<Object>` in a kind.
pub fn decode_as<T: DeserializeOwned + Serialize>(
    obj: &Value,
    unknown: &mut Vec<String>,
) -> Result<Value, DecodeFailure> {
    let mut cb = |path: serde_ignored::Path<'_>| unknown.push(render_ignored(&path));
    let de = serde_ignored::Deserializer::new(obj, &mut cb);
    let typed: T = serde_path_to_error::deserialize(de).map_err(DecodeFailure::Type)?;
    serde_json::to_value(&typed).map_err(DecodeFailure::Encode)
}

fn render_ignored(path: &serde_ignored::Path<'_>) -> String {
    match path {
        serde_ignored::Path::Root => String::new(),
        serde_ignored::Path::Seq { parent, index } => {
            format!("{}[{index}]", render_ignored(parent))
        }
        serde_ignored::Path::Map { parent, key } => {
            let p = render_ignored(parent);
            if p.is_empty() {
                key.clone()
            } else {
                format!("{p}.{key}")
            }
        }
        serde_ignored::Path::Some { parent }
        | serde_ignored::Path::NewtypeStruct { parent }
        | serde_ignored::Path::NewtypeVariant { parent } => render_ignored(parent),
    }
}
