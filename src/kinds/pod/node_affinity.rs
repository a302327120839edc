//! A pod's required node affinity against a node (component-helpers'
//! `scheduling/corev1/nodeaffinity`: `GetRequiredNodeAffinity(pod).Match(node)`): the
//! `nodeSelector` (every label equal) and the required node selector terms (terms ORed,
//! requirements ANDed; `matchFields` on `metadata.name`). Shared by the scheduler's
//! NodeAffinity plugin and the DaemonSet controller.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm};

/// A label (or field) requirement against the node's value for its key.
pub fn requirement_matches(req: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = req.values.as_deref().unwrap_or(&[]);
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), [bound]) = (value, values) else {
                return false;
            };
            let (Ok(v), Ok(bound)) = (v.parse::<i64>(), bound.parse::<i64>()) else {
                return false;
            };
            if req.operator == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// A node selector term against a node's labels and name (`matchFields` on `metadata.name`,
/// `In`/`NotIn` only); a term with no requirement matches nothing.
pub fn term_matches(
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    name: Option<&str>,
) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs
        .iter()
        .all(|r| requirement_matches(r, labels.get(&r.key).map(String::as_str)))
        && fields.iter().all(|r| {
            r.key == "metadata.name"
                && matches!(r.operator.as_str(), "In" | "NotIn")
                && requirement_matches(r, name)
        })
}

/// `nodeSelector` (every label equal) and the required node affinity (terms ORed,
/// requirements ANDed) against a node's labels and name.
pub fn node_affinity_allows(
    node_selector: Option<&BTreeMap<String, String>>,
    node_affinity: Option<&NodeAffinity>,
    labels: &BTreeMap<String, String>,
    name: Option<&str>,
) -> bool {
    if let Some(sel) = node_selector
        && !sel.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    if let Some(req) = node_affinity.and_then(|na| {
        na.required_during_scheduling_ignored_during_execution
            .as_ref()
    }) && !req
        .node_selector_terms
        .iter()
        .any(|t| term_matches(t, labels, name))
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    fn term(v: serde_json::Value) -> NodeSelectorTerm {
        NodeSelectorTerm::deserialize(v).unwrap()
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    // nodeaffinity_test.go's TestNodeSelectorMatch / TestRequiredNodeAffinity cases.
    #[test]
    fn terms_match_labels_and_fields_as_upstream() {
        let l = labels(&[("foo", "bar"), ("n", "5")]);
        let cases = [
            (
                json!({"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}]}),
                true,
            ),
            (
                json!({"matchExpressions": [{"key": "foo", "operator": "NotIn", "values": ["bar"]}]}),
                false,
            ),
            (
                json!({"matchExpressions": [{"key": "x", "operator": "NotIn", "values": ["bar"]}]}),
                true,
            ),
            (
                json!({"matchExpressions": [{"key": "foo", "operator": "Exists"}]}),
                true,
            ),
            (
                json!({"matchExpressions": [{"key": "foo", "operator": "DoesNotExist"}]}),
                false,
            ),
            (
                json!({"matchExpressions": [{"key": "n", "operator": "Gt", "values": ["4"]}]}),
                true,
            ),
            (
                json!({"matchExpressions": [{"key": "n", "operator": "Lt", "values": ["4"]}]}),
                false,
            ),
            (
                json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}),
                true,
            ),
            (
                json!({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-2"]}]}),
                false,
            ),
            (
                json!({"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["node-2"]}]}),
                true,
            ),
            (
                json!({"matchFields": [{"key": "metadata.name", "operator": "Exists"}]}),
                false,
            ),
            (
                json!({"matchFields": [{"key": "metadata.uid", "operator": "In", "values": ["node-1"]}]}),
                false,
            ),
            (
                json!({"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}],
                    "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-2"]}]}),
                false,
            ),
            (json!({}), false),
        ];
        for (t, want) in cases {
            assert_eq!(
                term_matches(&term(t.clone()), &l, Some("node-1")),
                want,
                "{t}"
            );
        }
    }

    #[test]
    fn node_selector_and_required_terms_are_anded_terms_ored() {
        let l = labels(&[("foo", "bar")]);
        let sel = labels(&[("foo", "bar")]);
        let na = NodeAffinity::deserialize(json!({
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["other"]}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}
            ]}
        }))
        .unwrap();
        assert!(node_affinity_allows(
            Some(&sel),
            Some(&na),
            &l,
            Some("node-1")
        ));
        assert!(!node_affinity_allows(
            Some(&sel),
            Some(&na),
            &l,
            Some("node-2")
        ));
        let other = labels(&[("foo", "baz")]);
        assert!(!node_affinity_allows(
            Some(&other),
            None,
            &l,
            Some("node-1")
        ));
        assert!(node_affinity_allows(None, None, &l, None));
    }
}
