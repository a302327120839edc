//! The Kubernetes 1.33 API schema that `explain` reads: the definitions of the kinds kubesim
//! serves and of every type they reference (descriptions, types, properties, required lists,
//! enums), as the 1.33 OpenAPI v3 documents have them. `schema.json` is built by
//! `tools/explain_schema.py` (from PyPI's kubernetes-validate 1.33.1 and the k8s-openapi
//! crate) and included in the binary (~470 KB); it is parsed on first use.
//!
//! The shapes follow the OpenAPI v3 documents the API server serves: a property that refers
//! to a type and has its own description is `{"description", "allOf": [{"$ref"}]}`, so the
//! renderer sees what kubectl's template sees.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

const SCHEMA: &str = include_str!("schema.json");

/// One schema node of the OpenAPI document, reduced to what `explain` reads.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    /// The bare definition name (`io.k8s.api.core.v1.PodSpec`).
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub all_of: Vec<Node>,
    #[serde(default)]
    pub items: Option<Box<Node>>,
    #[serde(default)]
    pub additional_properties: Option<Box<Node>>,
    /// Sorted by name, as a Go template ranges over a map.
    #[serde(default)]
    pub properties: BTreeMap<String, Node>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default, rename = "enum")]
    pub enum_: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct KindEntry {
    group: String,
    version: String,
    kind: String,
    definition: String,
}

#[derive(Debug, Deserialize)]
struct Document {
    kinds: Vec<KindEntry>,
    definitions: BTreeMap<String, Node>,
}

/// The schema document.
#[derive(Debug)]
pub struct Schema {
    kinds: Vec<KindEntry>,
    definitions: BTreeMap<String, Node>,
}

impl Schema {
    /// Parses a document of the shape `schema.json` has (also the unit tests' small ones).
    pub fn parse(text: &str) -> Result<Schema, serde_json::Error> {
        let doc: Document = serde_json::from_str(text)?;
        let definitions = doc
            .definitions
            .into_iter()
            .map(|(name, mut node)| {
                wrap_described_refs(&mut node);
                (name, node)
            })
            .collect();
        Ok(Schema {
            kinds: doc.kinds,
            definitions,
        })
    }

    /// The top-level definition of a kind, when the schema has it.
    pub fn kind(&self, group: &str, version: &str, kind: &str) -> Option<&Node> {
        let entry = self
            .kinds
            .iter()
            .find(|k| k.group == group && k.version == version && k.kind == kind)?;
        self.definitions.get(&entry.definition)
    }

    /// Whether the document holds anything of this group/version (kubectl asks the server for
    /// `/openapi/v3/apis/<group>/<version>`).
    pub fn has_group_version(&self, group: &str, version: &str) -> bool {
        self.kinds
            .iter()
            .any(|k| k.group == group && k.version == version)
    }

    /// The definition a `$ref` names.
    pub fn definition(&self, name: &str) -> Option<&Node> {
        self.definitions.get(name)
    }

    /// The object a node stands for: through its reference, its single `allOf`, array items
    /// and map values, to the node that has the properties.
    pub fn object_of<'a>(&'a self, mut node: &'a Node) -> &'a Node {
        for _ in 0..16 {
            node = if let Some(r) = self.resolve_ref(node) {
                r
            } else if let Some(inner) = node.all_of.first() {
                inner
            } else if let Some(i) = &node.items {
                i
            } else if let Some(m) = &node.additional_properties {
                m
            } else {
                break;
            };
        }
        node
    }

    /// The field names at a dotted path under a node (for completion): `None` when a name on
    /// the way does not exist.
    pub fn fields_at<'a>(&'a self, node: &'a Node, path: &[&str]) -> Option<Vec<&'a str>> {
        let mut node = self.object_of(node);
        for name in path {
            node = self.object_of(node.properties.get(*name)?);
        }
        Some(node.properties.keys().map(String::as_str).collect())
    }

    /// kubectl's `resolveRef`: the node a node's `$ref` names, if any.
    pub fn resolve_ref<'a>(&'a self, node: &Node) -> Option<&'a Node> {
        node.reference.as_deref().and_then(|r| self.definition(r))
    }
}

/// `{"description": d, "$ref": r}` (JSON Schema 2020-12 allows the sibling) becomes
/// `{"description": d, "allOf": [{"$ref": r}]}`, as in the OpenAPI v3 documents.
fn wrap_described_refs(node: &mut Node) {
    for child in node.properties.values_mut() {
        if child.reference.is_some() && child.description.is_some() {
            let reference = child.reference.take();
            child.all_of.push(Node {
                reference,
                ..Node::default()
            });
        }
        wrap_described_refs(child);
    }
    for child in node
        .items
        .iter_mut()
        .chain(node.additional_properties.iter_mut())
    {
        wrap_described_refs(child);
    }
    for child in &mut node.all_of {
        wrap_described_refs(child);
    }
}

/// The built-in 1.33 schema, parsed once.
pub fn builtin() -> &'static Schema {
    static SCHEMA_DOC: OnceLock<Schema> = OnceLock::new();
    SCHEMA_DOC.get_or_init(|| Schema::parse(SCHEMA).expect("schema.json is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_kind_has_its_schema() {
        let schema = builtin();
        for k in crate::kinds::KINDS {
            assert!(
                schema.kind(k.group, k.version, k.kind).is_some(),
                "{} has no schema",
                k.kind
            );
        }
    }

    #[test]
    fn every_reference_resolves() {
        fn walk(schema: &Schema, node: &Node, at: &str) {
            if let Some(r) = &node.reference {
                assert!(schema.definition(r).is_some(), "{at}: {r}");
            }
            for (name, child) in &node.properties {
                walk(schema, child, &format!("{at}.{name}"));
            }
            for child in node
                .items
                .iter()
                .chain(node.additional_properties.iter())
                .map(|b| &**b)
                .chain(node.all_of.iter())
            {
                walk(schema, child, at);
            }
        }
        let schema = builtin();
        for (name, node) in &schema.definitions {
            walk(schema, node, name);
        }
    }

    #[test]
    fn fields_at_follows_references_lists_and_maps() {
        let schema = builtin();
        let pod = schema.kind("", "v1", "Pod").unwrap();
        let fields = schema.fields_at(pod, &["spec", "containers"]).unwrap();
        assert!(fields.contains(&"image") && fields.contains(&"livenessProbe"));
        assert!(schema.fields_at(pod, &["spec", "nope"]).is_none());
    }

    #[test]
    fn described_references_are_wrapped_in_all_of() {
        let pod = builtin().kind("", "v1", "Pod").unwrap();
        let spec = &pod.properties["spec"];
        assert!(spec.reference.is_none());
        assert_eq!(
            spec.all_of[0].reference.as_deref(),
            Some("io.k8s.api.core.v1.PodSpec")
        );
        assert!(
            spec.description
                .as_deref()
                .unwrap()
                .starts_with("Specification")
        );
    }
}
