//! `kubectl describe` for PriorityClass: describe.go's `describePriorityClass`.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::cells::format_labels;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_priority_class(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_priority_class(w: &mut Pw, pc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(pc, &["metadata", "name"])));
    w.w(0, &format!("Value:\t{}\n", i(pc, &["value"])));
    w.w(
        0,
        &format!("GlobalDefault:\t{}\n", b(pc, &["globalDefault"])),
    );
    w.w(
        0,
        &format!("PreemptionPolicy:\t{}\n", s(pc, &["preemptionPolicy"])),
    );
    w.w(0, &format!("Description:\t{}\n", s(pc, &["description"])));
    w.w(
        0,
        &format!(
            "Annotations:\t{}\n",
            format_labels(get(pc, &["metadata", "annotations"]))
        ),
    );
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    #[test]
    fn describes_a_priority_class() {
        let pc = json!({"metadata": {"name": "high", "annotations": {"a": "b"}},
                        "value": 1000, "preemptionPolicy": "Never", "description": "high priority"});
        assert_eq!(
            (DESCRIBER.print)(&pc, &ctx(&[], &[])),
            "Name:              high\nValue:             1000\nGlobalDefault:     false\nPreemptionPolicy:  Never\nDescription:       high priority\nAnnotations:       a=b\nEvents:            <none>\n"
        );
    }
}
