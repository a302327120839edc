//! `kubectl describe` for Endpoints: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_endpoints(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn describe_endpoints(w: &mut Pw, ep: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(ep, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(ep, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(ep, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(ep, &["metadata", "annotations"]));
    w.w(0, "Subsets:\n");
    for sub in arr(ep, &["subsets"]) {
        for (field, title) in [
            ("addresses", "Addresses"),
            ("notReadyAddresses", "NotReadyAddresses"),
        ] {
            let ips: Vec<&str> = arr(sub, &[field]).iter().map(|a| s(a, &["ip"])).collect();
            w.w(1, &format!("{title}:\t{}\n", or_none(&ips.join(","))));
        }
        let ports = arr(sub, &["ports"]);
        if !ports.is_empty() {
            w.w(1, "Ports:\n");
            w.w(2, "Name\tPort\tProtocol\n");
            w.w(2, "----\t----\t--------\n");
            for p in ports {
                w.w(
                    2,
                    &format!(
                        "{}\t{}\t{}\n",
                        or_none(s(p, &["name"])).replace("<none>", "<unset>"),
                        i(p, &["port"]),
                        opt_s(p, &["protocol"]).unwrap_or("TCP")
                    ),
                );
            }
        }
        w.w(0, "\n");
    }
    describe_events(w, ctx.events, ctx.now);
}
