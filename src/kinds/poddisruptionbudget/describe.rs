//! `kubectl describe` for PodDisruptionBudget: describe.go's `describePodDisruptionBudgetV1`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::cells::format_label_selector;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_pdb(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_pdb(w: &mut Pw, pdb: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(pdb, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(pdb, &["metadata", "namespace"])),
    );
    if let Some(v) = get(pdb, &["spec", "minAvailable"]) {
        w.w(0, &format!("Min available:\t{}\n", scalar(v)));
    } else if let Some(v) = get(pdb, &["spec", "maxUnavailable"]) {
        w.w(0, &format!("Max unavailable:\t{}\n", scalar(v)));
    }
    match get(pdb, &["spec", "selector"]) {
        Some(sel) => w.w(
            0,
            &format!("Selector:\t{}\n", format_label_selector(Some(sel))),
        ),
        None => w.w(0, "Selector:\t<unset>\n"),
    }
    w.w(0, "Status:\n");
    for (label, key) in [
        ("Allowed disruptions", "disruptionsAllowed"),
        ("Current", "currentHealthy"),
        ("Desired", "desiredHealthy"),
        ("Total", "expectedPods"),
    ] {
        w.w(2, &format!("{label}:\t{}\n", i(pdb, &["status", key])));
    }
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    #[test]
    fn describes_a_pdb() {
        let pdb = json!({"metadata": {"name": "zk-pdb", "namespace": "default"},
                         "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "zookeeper"}}},
                         "status": {"disruptionsAllowed": 1, "currentHealthy": 3, "desiredHealthy": 2, "expectedPods": 3}});
        assert_eq!(
            (DESCRIBER.print)(&pdb, &ctx(&[], &[])),
            "Name:             zk-pdb
Namespace:        default
Max unavailable:  1
Selector:         app=zookeeper
Status:
    Allowed disruptions:  1
    Current:              3
    Desired:              2
    Total:                3
Events:                   <none>
"
        );
    }
}
