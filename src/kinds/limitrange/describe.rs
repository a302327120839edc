//! `kubectl describe` for LimitRange: describe.go's `describeLimitRange`, whose rows
//! (`describeLimitRangeSpec`) `describe namespace` shares.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| describe_limit_range(w, obj)),
    related: no_related,
    events_by_name: false,
};

fn describe_limit_range(w: &mut Pw, lr: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(lr, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(lr, &["metadata", "namespace"])),
    );
    w.w(
        0,
        "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    w.w(
        0,
        "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    limit_range_rows(w, lr, "");
}

/// `describeLimitRangeSpec`: a row per item and resource named in any of its fields, `-`
/// where a field lacks it. (describe.go walks a Go map, so its rows come in random order;
/// kubesim sorts them by resource name.)
pub(crate) fn limit_range_rows(w: &mut Pw, lr: &Value, prefix: &str) {
    const FIELDS: [&str; 5] = [
        "min",
        "max",
        "defaultRequest",
        "default",
        "maxLimitRequestRatio",
    ];
    for item in arr(lr, &["spec", "limits"]) {
        let mut names = BTreeSet::new();
        for f in FIELDS {
            if let Some(m) = obj(item, &[f]) {
                names.extend(m.keys().cloned());
            }
        }
        for n in names {
            let cell = |f: &str| match get(item, &[f, n.as_str()]) {
                Some(v) => quantity_string(Some(v)),
                None => "-".to_string(),
            };
            w.w(
                0,
                &format!(
                    "{prefix}{}\t{n}\t{}\t{}\t{}\t{}\t{}\n",
                    s(item, &["type"]),
                    cell("min"),
                    cell("max"),
                    cell("defaultRequest"),
                    cell("default"),
                    cell("maxLimitRequestRatio")
                ),
            );
        }
    }
}
