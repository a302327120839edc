//! kubectl's generic (unstructured) describer: every field of the object, recursively. Kinds
//! without a dedicated describer in describe.go use it ([`GENERIC`]).

use serde_json::Map;
use serde_json::Value;

use crate::kinds::common::describe::*;
use crate::print::describe::*;

/// The generic describer, for kinds describe.go has no describer for.
pub(crate) const GENERIC: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_generic(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

pub(crate) fn describe_generic(w: &mut Pw, o: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(o, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(o, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(o, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(o, &["metadata", "annotations"]));
    if let Some(m) = o.as_object() {
        let skip = [
            ".metadata.managedFields",
            ".metadata.name",
            ".metadata.namespace",
            ".metadata.labels",
            ".metadata.annotations",
        ];
        unstructured(w, 0, m, "", &skip);
    }
    describe_events(w, ctx.events, ctx.now);
}

pub(crate) fn unstructured(
    w: &mut Pw,
    level: usize,
    content: &Map<String, Value>,
    skip_prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let value = &content[field];
        let skip_expr = format!("{skip_prefix}.{field}");
        if skip.contains(&skip_expr.as_str()) {
            continue;
        }
        match value {
            Value::Object(m) => {
                w.w(level, &format!("{}:\n", smart_label(field)));
                unstructured(w, level + 1, m, &skip_expr, skip);
            }
            Value::Array(a) => {
                w.w(level, &format!("{}:\n", smart_label(field)));
                for child in a {
                    match child {
                        Value::Object(m) => unstructured(w, level + 1, m, &skip_expr, skip),
                        other => w.w(level + 1, &format!("{}\n", go_value(other))),
                    }
                }
            }
            other => w.w(
                level,
                &format!("{}:\t{}\n", smart_label(field), go_value(other)),
            ),
        }
    }
}

/// describe.go `smartLabelFor`: `apiVersion` → `API Version`, `creationTimestamp` →
/// `Creation Timestamp`.
pub(crate) fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let acronyms = ["API", "URL", "UID", "OSB", "GUID"];
    let parts: Vec<String> = camelcase_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if acronyms.contains(&upper.as_str()) {
                upper
            } else {
                let mut cs = p.chars();
                match cs.next() {
                    Some(c) => c.to_uppercase().collect::<String>() + cs.as_str(),
                    None => String::new(),
                }
            }
        })
        .collect();
    parts.join(" ")
}

/// `github.com/fatih/camelcase.Split`.
pub(crate) fn camelcase_split(src: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in src.chars() {
        let k = class(c);
        if k == last
            && let Some(r) = runs.last_mut()
        {
            r.push(c);
        } else {
            runs.push(vec![c]);
        }
        last = k;
    }
    for n in 0..runs.len().saturating_sub(1) {
        let (a, b) = (runs[n].clone(), runs[n + 1].clone());
        if a.last().is_some_and(|c| c.is_uppercase()) && b.first().is_some_and(|c| c.is_lowercase())
        {
            let moved = *a.last().unwrap_or(&' ');
            runs[n].pop();
            runs[n + 1].insert(0, moved);
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}
