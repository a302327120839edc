//! `kubectl describe` for ServiceAccount: describe.go's describer for the kind.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_service_account(w, obj, ctx)),
    related,
    events_by_name: false,
};

/// What kubectl lists alongside a service account: the secrets of its namespace.
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    api.list(
        &crate::kinds::secret::KIND,
        Some(s(obj, &["metadata", "namespace"])),
    )
}

fn describe_service_account(w: &mut Pw, sa: &Value, ctx: &DescribeCtx) {
    let name = s(sa, &["metadata", "name"]);
    let uid = s(sa, &["metadata", "uid"]);
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(sa, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(sa, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(sa, &["metadata", "annotations"]));
    let secrets: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|o| matches!(s(o, &["kind"]), "" | "Secret"))
        .collect();
    let existing: BTreeSet<&str> = secrets
        .iter()
        .map(|o| s(o, &["metadata", "name"]))
        .collect();
    let tokens: Vec<&str> = secrets
        .iter()
        .filter(|o| {
            s(o, &["type"]) == "kubernetes.io/service-account-token"
                && s(
                    o,
                    &[
                        "metadata",
                        "annotations",
                        "kubernetes.io/service-account.name",
                    ],
                ) == name
                && s(
                    o,
                    &[
                        "metadata",
                        "annotations",
                        "kubernetes.io/service-account.uid",
                    ],
                ) == uid
        })
        .map(|o| s(o, &["metadata", "name"]))
        .collect();
    let names =
        |field: &str| -> Vec<&str> { arr(sa, &[field]).iter().map(|r| s(r, &["name"])).collect() };
    let pull = names("imagePullSecrets");
    let mount = names("secrets");
    let missing: BTreeSet<&str> = mount
        .iter()
        .chain(pull.iter())
        .filter(|n| !existing.contains(*n))
        .copied()
        .collect();
    // Headers in sorted order ("Image pull secrets:" < "Mountable secrets: " < "Tokens: ").
    for (header, list) in [
        ("Image pull secrets:", &pull),
        ("Mountable secrets: ", &mount),
        ("Tokens:            ", &tokens),
    ] {
        if list.is_empty() {
            w.w(0, &format!("{header}\t<none>\n"));
            continue;
        }
        let mut prefix = header;
        for n in list.iter() {
            if missing.contains(n) {
                w.w(0, &format!("{prefix}\t{n} (not found)\n"));
            } else {
                w.w(0, &format!("{prefix}\t{n}\n"));
            }
            prefix = "                   ";
        }
    }
    describe_events(w, ctx.events, ctx.now);
}
