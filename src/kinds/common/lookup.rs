//! How a describer reads the objects it shows alongside the one it describes (a Deployment's
//! ReplicaSets, a node's pods, a namespace's quotas). Kinds sit below the API, so they ask
//! through this trait, which the API's caller implements.

use serde_json::Value;

use crate::kinds::Kind;

/// Why a lookup failed: the implementor's own error (the API's), boxed so that the kinds need
/// not know its type; the caller takes it back out unchanged.
pub type LookupError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Read access to the objects of the API, as a describer needs it.
pub trait Lookup {
    /// Every object of `kind` in namespace `ns` (all namespaces when `None`).
    fn list(&mut self, kind: &'static Kind, ns: Option<&str>) -> Result<Vec<Value>, LookupError>;
    /// The objects of `kind` in `ns` whose controller owner has this uid.
    fn list_controlled(
        &mut self,
        kind: &'static Kind,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<Value>, LookupError>;
    /// The object `ns/name` of `kind`, or `None` when it does not exist.
    fn try_get(
        &mut self,
        kind: &'static Kind,
        ns: &str,
        name: &str,
    ) -> Result<Option<Value>, LookupError>;
    /// Calls `f` with each object of `kind` bound to node `node` (pods, by the node index).
    fn for_each_on_node(
        &mut self,
        kind: &'static Kind,
        node: &str,
        f: &mut dyn FnMut(&Value),
    ) -> Result<(), LookupError>;
}

/// The related objects of a workload's describer: the pods it controls (`Pods Status`).
pub fn controlled_pods(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    let meta = |k: &str| {
        obj.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    api.list_controlled(&crate::kinds::pod::KIND, meta("namespace"), meta("uid"))
}
