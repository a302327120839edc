//! `kubectl describe` for ConfigMap: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_config_map(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_config_map(w: &mut Pw, cm: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(cm, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(cm, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(cm, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(cm, &["metadata", "annotations"]));
    w.w(0, "\nData\n====\n");
    for (k, v) in string_map(get(cm, &["data"])) {
        w.w(0, &format!("{k}:\n----\n"));
        w.w(0, &format!("{v}\n"));
        w.w(0, "\n");
    }
    w.w(0, "\nBinaryData\n====\n");
    if let Some(m) = obj(cm, &["binaryData"]) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            w.w(0, &format!("{k}: {} bytes\n", decoded(&m[k]).len()));
        }
    }
    w.w(0, "\n");
    describe_events(w, ctx.events, ctx.now);
}
