//! `kubectl describe` for Namespace: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_namespace(w, obj, ctx)),
    related,
    events_by_name: false,
};

/// What kubectl lists alongside a namespace: its ResourceQuotas and LimitRanges.
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    let name = s(obj, &["metadata", "name"]);
    let mut v = api.list(&crate::kinds::resourcequota::KIND, Some(name))?;
    v.extend(api.list(&crate::kinds::limitrange::KIND, Some(name))?);
    Ok(v)
}

fn describe_namespace(w: &mut Pw, ns: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ns, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(ns, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ns, &["metadata", "annotations"]));
    w.w(0, &format!("Status:\t{}\n", s(ns, &["status", "phase"])));
    let conditions = arr(ns, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    time_at(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    w.w(0, "\n");
    let mut quotas: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| s(o, &["kind"]) == "ResourceQuota")
        .collect();
    if quotas.is_empty() {
        w.w(0, "No resource quota.\n");
    } else {
        go_sort(&mut quotas, |a, b| {
            s(a, &["metadata", "name"]) < s(b, &["metadata", "name"])
        });
        w.w(0, "Resource Quotas\n");
        for q in quotas {
            w.w(1, &format!("Name:\t{}\n", s(q, &["metadata", "name"])));
            let scopes = sorted_scopes(q);
            if !scopes.is_empty() {
                w.w(1, &format!("Scopes:\t{}\n", scopes.join(", ")));
                for scope in &scopes {
                    let help = help_text_for_scope(scope);
                    if !help.is_empty() {
                        w.w(1, &format!("* {help}\n"));
                    }
                }
            }
            w.w(1, "Resource\tUsed\tHard\n");
            w.w(1, "--------\t---\t---\n");
            if let Some(hard) = obj(q, &["status", "hard"]) {
                let mut names: Vec<&String> = hard.keys().collect();
                names.sort();
                for n in names {
                    w.w(
                        1,
                        &format!(
                            "{n}\t{}\t{}\n",
                            quantity_string(get(q, &["status", "used", n])),
                            quantity_string(hard.get(n))
                        ),
                    );
                }
            }
        }
    }
    w.w(0, "\n");
    let ranges: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| s(o, &["kind"]) == "LimitRange")
        .collect();
    if ranges.is_empty() {
        w.w(0, "No LimitRange resource.\n");
        return;
    }
    w.w(
        0,
        "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    w.w(
        0,
        " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    for lr in ranges {
        crate::kinds::limitrange::limit_range_rows(w, lr, " ");
    }
}
