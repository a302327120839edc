//! `kubectl describe` for Secret: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| describe_secret(w, obj)),
    related: no_related,
    events_by_name: false,
};

fn describe_secret(w: &mut Pw, secret: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(secret, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(secret, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(secret, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(secret, &["metadata", "annotations"]));
    let ty = s(secret, &["type"]);
    w.w(0, &format!("\nType:\t{ty}\n"));
    w.w(0, "\nData\n====\n");
    if let Some(m) = obj(secret, &["data"]) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            let bytes = decoded(&m[k]);
            if k == "token" && ty == "kubernetes.io/service-account-token" {
                w.w(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&bytes)));
            } else {
                w.w(0, &format!("{k}:\t{} bytes\n", bytes.len()));
            }
        }
    }
}
