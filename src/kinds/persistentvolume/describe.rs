//! `kubectl describe` for PersistentVolume: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::age::age;
use crate::print::cells::access_modes;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_pv(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_pv(w: &mut Pw, pv: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(pv, &["metadata", "name"])));
    labels_multiline(w, "Labels", get(pv, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(pv, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Finalizers:\t{}\n",
            go_slice(arr(pv, &["metadata", "finalizers"]))
        ),
    );
    let class = opt_s(
        pv,
        &[
            "metadata",
            "annotations",
            "volume.beta.kubernetes.io/storage-class",
        ],
    )
    .unwrap_or_else(|| s(pv, &["spec", "storageClassName"]));
    w.w(0, &format!("StorageClass:\t{class}\n"));
    if get(pv, &["metadata", "deletionTimestamp"]).is_some() {
        w.w(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(opt_s(pv, &["metadata", "deletionTimestamp"]), ctx.now)
            ),
        );
    } else {
        w.w(0, &format!("Status:\t{}\n", s(pv, &["status", "phase"])));
    }
    match get(pv, &["spec", "claimRef"]) {
        Some(c) => w.w(
            0,
            &format!("Claim:\t{}/{}\n", s(c, &["namespace"]), s(c, &["name"])),
        ),
        None => w.w(0, "Claim:\t\n"),
    }
    w.w(
        0,
        &format!(
            "Reclaim Policy:\t{}\n",
            s(pv, &["spec", "persistentVolumeReclaimPolicy"])
        ),
    );
    w.w(
        0,
        &format!(
            "Access Modes:\t{}\n",
            access_modes(get(pv, &["spec", "accessModes"]))
        ),
    );
    if let Some(m) = opt_s(pv, &["spec", "volumeMode"]) {
        w.w(0, &format!("VolumeMode:\t{m}\n"));
    }
    w.w(
        0,
        &format!(
            "Capacity:\t{}\n",
            quantity_string(get(pv, &["spec", "capacity", "storage"]))
        ),
    );
    w.w(0, "Node Affinity:\t");
    match get(pv, &["spec", "nodeAffinity", "required"]) {
        None => w.line("<none>"),
        Some(req) => {
            w.line("");
            w.w(1, "Required Terms:\t");
            let terms = arr(req, &["nodeSelectorTerms"]);
            if terms.is_empty() {
                w.line("<none>");
            } else {
                w.line("");
                for (n, term) in terms.iter().enumerate() {
                    w.w(2, &format!("Term {n}:\t"));
                    let exprs = arr(term, &["matchExpressions"]);
                    if exprs.is_empty() {
                        w.line("<none>");
                        continue;
                    }
                    for (k, e) in exprs.iter().enumerate() {
                        if k != 0 {
                            w.w(2, "\t");
                        }
                        let mut text =
                            format!("{} {}", s(e, &["key"]), s(e, &["operator"]).to_lowercase());
                        let values: Vec<String> = arr(e, &["values"]).iter().map(scalar).collect();
                        if !values.is_empty() {
                            text = format!("{text} [{}]", values.join(", "));
                        }
                        w.w(0, &format!("{text}\n"));
                    }
                }
            }
        }
    }
    w.w(0, &format!("Message:\t{}\n", s(pv, &["status", "message"])));
    w.w(0, "Source:\n");
    volume_source(w, get(pv, &["spec"]).unwrap_or(&Value::Null), true);
    describe_events(w, ctx.events, ctx.now);
}
