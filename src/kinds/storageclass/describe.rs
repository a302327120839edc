//! `kubectl describe` for StorageClass: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::cells::format_labels;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_storage_class(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_storage_class(w: &mut Pw, sc: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(sc, &["metadata", "name"])));
    let default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| s(sc, &["metadata", "annotations", k]) == "true");
    w.w(
        0,
        &format!("IsDefaultClass:\t{}\n", if default { "Yes" } else { "No" }),
    );
    w.w(
        0,
        &format!(
            "Annotations:\t{}\n",
            format_labels(get(sc, &["metadata", "annotations"]))
        ),
    );
    w.w(0, &format!("Provisioner:\t{}\n", s(sc, &["provisioner"])));
    w.w(
        0,
        &format!("Parameters:\t{}\n", format_labels(get(sc, &["parameters"]))),
    );
    w.w(
        0,
        &format!(
            "AllowVolumeExpansion:\t{}\n",
            print_bool_ptr(opt_b(sc, &["allowVolumeExpansion"]))
        ),
    );
    let opts = arr(sc, &["mountOptions"]);
    if opts.is_empty() {
        w.w(0, "MountOptions:\t<none>\n");
    } else {
        w.w(0, "MountOptions:\n");
        for o in opts {
            w.w(1, &format!("{}\n", scalar(o)));
        }
    }
    if let Some(p) = opt_s(sc, &["reclaimPolicy"]) {
        w.w(0, &format!("ReclaimPolicy:\t{p}\n"));
    }
    if let Some(m) = opt_s(sc, &["volumeBindingMode"]) {
        w.w(0, &format!("VolumeBindingMode:\t{m}\n"));
    }
    if let Some(topos) = get(sc, &["allowedTopologies"]).and_then(Value::as_array) {
        w.w(0, "AllowedTopologies:\t");
        if topos.is_empty() {
            w.line("<none>");
        } else {
            w.line("");
            for (n, term) in topos.iter().enumerate() {
                w.w(1, &format!("Term {n}:\t"));
                let reqs = arr(term, &["matchLabelExpressions"]);
                if reqs.is_empty() {
                    w.line("<none>");
                    continue;
                }
                for (k, r) in reqs.iter().enumerate() {
                    if k != 0 {
                        w.w(1, "\t");
                    }
                    let mut text = format!("{} in", s(r, &["key"]));
                    let values: Vec<String> = arr(r, &["values"]).iter().map(scalar).collect();
                    if !values.is_empty() {
                        text = format!("{text} [{}]", values.join(", "));
                    }
                    w.w(0, &format!("{text}\n"));
                }
            }
        }
    }
    describe_events(w, ctx.events, ctx.now);
}
