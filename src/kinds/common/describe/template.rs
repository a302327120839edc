//! `DescribePodTemplate`: the `Pod Template:` section of workload describers, and its raw form
//! for `kubectl rollout history --revision=N`.

use serde_json::Value;

use crate::kinds::common::describe::*;
use crate::print::cells::format_label_selector;
use crate::print::describe::*;

/// `describeTopologySpreadConstraints`.
pub(crate) fn topology_spread(w: &mut Pw, tscs: &[Value], space: &str) {
    if tscs.is_empty() {
        return;
    }
    let mut tscs: Vec<&Value> = tscs.iter().collect();
    go_sort(&mut tscs, |a, b| {
        s(a, &["topologyKey"]) < s(b, &["topologyKey"])
    });
    w.w(0, &format!("{space}Topology Spread Constraints:\t"));
    for (n, t) in tscs.iter().enumerate() {
        if n != 0 {
            w.w(0, space);
            w.w(0, "\t");
        }
        let mut text = format!(
            "{}:{} when max skew {} is exceeded",
            s(t, &["topologyKey"]),
            s(t, &["whenUnsatisfiable"]),
            i(t, &["maxSkew"])
        );
        if let Some(sel) = get(t, &["labelSelector"]) {
            text.push_str(&format!(
                " for selector {}",
                format_label_selector(Some(sel))
            ));
        }
        text.push('\n');
        w.w(0, &text);
    }
}

/// `DescribePodTemplate`.
pub(crate) fn pod_template(w: &mut Pw, template: Option<&Value>) {
    w.w(0, "Pod Template:\n");
    let Some(t) = template else {
        w.w(1, "<unset>");
        return;
    };
    labels_multiline(w, "  Labels", get(t, &["metadata", "labels"]));
    if obj(t, &["metadata", "annotations"]).is_some_and(|m| !m.is_empty()) {
        annotations_multiline(w, "  Annotations", get(t, &["metadata", "annotations"]));
    }
    let sa = s(t, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    let init = arr(t, &["spec", "initContainers"]);
    if !init.is_empty() {
        describe_containers(w, "Init Containers", init, &[], None, "  ");
    }
    describe_containers(
        w,
        "Containers",
        arr(t, &["spec", "containers"]),
        &[],
        None,
        "  ",
    );
    describe_volumes(w, arr(t, &["spec", "volumes"]), "  ");
    topology_spread(w, arr(t, &["spec", "topologySpreadConstraints"]), "  ");
    let pc = s(t, &["spec", "priorityClassName"]);
    if !pc.is_empty() {
        w.w(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(w, "  Node-Selectors", get(t, &["spec", "nodeSelector"]));
    tolerations_multiline(w, "", "  Tolerations", arr(t, &["spec", "tolerations"]));
}

/// The body of `kubectl rollout history <deploy> --revision=N`: `DescribePodTemplate` written
/// straight to a buffer, so TABs stay raw (no alignment). The caller prints the
/// `<kind>.<group>/<name> with revision #N` line before it and one `\n` after it; for a
/// Deployment it first sets the template annotation `kubernetes.io/change-cause` from the
/// ReplicaSet's annotation when that is non-empty (as kubectl's history viewer does).
pub fn rollout_history_template(template: &Value) -> String {
    let mut w = Pw::raw();
    pod_template(&mut w, Some(template));
    w.finish()
}
