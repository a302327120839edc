//! `kubectl describe` for PersistentVolumeClaim: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::age::age;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_pvc(w, obj, ctx)),
    related,
    events_by_name: false,
};

/// What kubectl lists alongside a claim: the pods of its namespace (`Used By`).
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    api.list(
        &crate::kinds::pod::KIND,
        Some(s(obj, &["metadata", "namespace"])),
    )
}

fn describe_pvc(w: &mut Pw, pvc: &Value, ctx: &DescribeCtx) {
    if get(pvc, &["metadata", "deletionTimestamp"]).is_some() {
        // printPersistentVolumeClaim with the Terminating status in place of the phase.
        w.w(0, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
        w.w(
            0,
            &format!("Namespace:\t{}\n", s(pvc, &["metadata", "namespace"])),
        );
        w.w(0, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
        w.w(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(opt_s(pvc, &["metadata", "deletionTimestamp"]), ctx.now)
            ),
        );
        let mut rest = pvc.clone();
        if let Some(m) = rest.pointer_mut("/metadata").and_then(Value::as_object_mut) {
            m.remove("deletionTimestamp");
        }
        // Volume onwards, identical to the non-terminating layout.
        let mut tail = Pw::raw();
        print_pvc(&mut tail, &rest, true);
        let text = tail.finish();
        let from = text.find("Volume:").unwrap_or(0);
        w.emit(&text[from..]);
    } else {
        print_pvc(w, pvc, true);
    }
    let name = s(pvc, &["metadata", "name"]);
    let pods: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| matches!(s(o, &["kind"]), "" | "Pod"))
        .collect();
    let mut used: Vec<&Value> = Vec::new();
    for p in &pods {
        for v in arr(p, &["spec", "volumes"]) {
            if get(v, &["persistentVolumeClaim"]).is_some()
                && s(v, &["persistentVolumeClaim", "claimName"]) == name
            {
                used.push(p);
            }
        }
    }
    for r in arr(pvc, &["metadata", "ownerReferences"]) {
        if s(r, &["kind"]) != "Pod" {
            continue;
        }
        let uid = s(r, &["uid"]);
        if let Some(p) = pods.iter().find(|p| s(p, &["metadata", "uid"]) == uid)
            && !used.iter().any(|u| s(u, &["metadata", "uid"]) == uid)
        {
            used.push(p);
        }
    }
    pods_multiline(w, "Used By", &used);
    let conditions = arr(pvc, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(
            1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.w(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    time_at(c, &["lastProbeTime"]),
                    time_at(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    describe_events(w, ctx.events, ctx.now);
}
