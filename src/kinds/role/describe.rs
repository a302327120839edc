//! `kubectl describe` for Role (and ClusterRole): describe.go's `RoleDescriber` with
//! kubectl/pkg/util/rbac's `BreakdownRule`, `CompactRules` and `SortableRuleSlice`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| describe_role(w, obj)),
    related: no_related,
    events_by_name: false,
};

/// A policy rule's five lists, in `PolicyRule`'s field order.
#[derive(Clone, Default, PartialEq)]
struct Rule {
    verbs: Vec<String>,
    api_groups: Vec<String>,
    resources: Vec<String>,
    resource_names: Vec<String>,
    non_resource_urls: Vec<String>,
}

impl Rule {
    fn of(v: &Value) -> Rule {
        let list = |k: &str| arr(v, &[k]).iter().map(scalar).collect::<Vec<_>>();
        Rule {
            verbs: list("verbs"),
            api_groups: list("apiGroups"),
            resources: list("resources"),
            resource_names: list("resourceNames"),
            non_resource_urls: list("nonResourceURLs"),
        }
    }

    /// The generated `PolicyRule.String()`, the sort key of `SortableRuleSlice`.
    fn go_string(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.api_groups),
            go_list(&self.resources),
            go_list(&self.resource_names),
            go_list(&self.non_resource_urls)
        )
    }
}

/// `fmt`'s `%v` of a `[]string`.
fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

/// `rbac.BreakdownRule`: one rule per group, resource, verb (and resource name), then one per
/// non-resource URL and verb.
fn breakdown(rule: &Rule) -> Vec<Rule> {
    let one = |s: &String| vec![s.clone()];
    let mut out = Vec::new();
    for g in &rule.api_groups {
        for r in &rule.resources {
            for v in &rule.verbs {
                let base = Rule {
                    verbs: one(v),
                    api_groups: one(g),
                    resources: one(r),
                    ..Rule::default()
                };
                if rule.resource_names.is_empty() {
                    out.push(base);
                } else {
                    for n in &rule.resource_names {
                        out.push(Rule {
                            resource_names: one(n),
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    for u in &rule.non_resource_urls {
        for v in &rule.verbs {
            out.push(Rule {
                verbs: one(v),
                non_resource_urls: one(u),
                ..Rule::default()
            });
        }
    }
    out
}

/// `rbac.CompactRules` then `sort.Stable(SortableRuleSlice)`: rules of one group, resource
/// and resource name merge their verbs.
fn compact(rules: Vec<Rule>) -> Vec<Rule> {
    let mut out: Vec<Rule> = Vec::new();
    let mut simple: Vec<Rule> = Vec::new();
    for r in rules {
        let is_simple = r.resource_names.len() <= 1
            && r.non_resource_urls.is_empty()
            && r.api_groups.len() == 1
            && r.resources.len() == 1;
        if !is_simple {
            out.push(r);
            continue;
        }
        let same = |s: &&mut Rule| {
            s.api_groups == r.api_groups
                && s.resources == r.resources
                && s.resource_names == r.resource_names
        };
        match simple.iter_mut().find(same) {
            Some(s) => s.verbs.extend(r.verbs),
            None => simple.push(r),
        }
    }
    out.extend(simple);
    let mut keyed: Vec<(String, Rule)> = out.into_iter().map(|r| (r.go_string(), r)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// describe.go `CombineResourceGroup`.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let (res, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut out = res.to_string();
    if let Some(g) = groups.first().filter(|g| !g.is_empty()) {
        out = format!("{out}.{g}");
    }
    if let Some(s) = sub {
        out = format!("{out}/{s}");
    }
    out
}

/// The Role and ClusterRole describer (the two are the same in describe.go).
pub(crate) fn describe_role(w: &mut Pw, role: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(role, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(role, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(role, &["metadata", "annotations"]));
    let rules: Vec<Rule> = arr(role, &["rules"])
        .iter()
        .flat_map(|r| breakdown(&Rule::of(r)))
        .collect();
    w.w(0, "PolicyRule:\n");
    w.w(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.w(1, "---------\t-----------------\t--------------\t-----\n");
    for r in compact(rules) {
        w.w(
            1,
            &format!(
                "{}\t{}\t{}\t{}\n",
                combine_resource_group(&r.resources, &r.api_groups),
                go_list(&r.non_resource_urls),
                go_list(&r.resource_names),
                go_list(&r.verbs)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    #[test]
    fn describes_rules_broken_down_and_compacted() {
        let role = json!({"metadata": {"name": "pod-reader", "namespace": "default"},
        "rules": [
            {"verbs": ["get", "list"], "apiGroups": ["", "apps"], "resources": ["pods", "deployments/scale"]},
            {"verbs": ["get"], "apiGroups": [""], "resources": ["pods"], "resourceNames": ["a", "b"]},
            {"verbs": ["get"], "nonResourceURLs": ["/healthz"]}
        ]});
        assert_eq!(
            (DESCRIBER.print)(&role, &ctx(&[], &[])),
            "Name:         pod-reader
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources               Non-Resource URLs  Resource Names  Verbs
  ---------               -----------------  --------------  -----
  deployments/scale       []                 []              [get list]
  pods                    []                 []              [get list]
  deployments.apps/scale  []                 []              [get list]
  pods.apps               []                 []              [get list]
                          [/healthz]         []              [get]
  pods                    []                 [a]             [get]
  pods                    []                 [b]             [get]
"
        );
    }
}
