//! `kubectl describe` for ResourceQuota: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| describe_quota(w, obj)),
    related: no_related,
    events_by_name: false,
};

fn describe_quota(w: &mut Pw, q: &Value) {
    w.w(0, &format!("Name:\t{}\n", s(q, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(q, &["metadata", "namespace"])),
    );
    let scopes = sorted_scopes(q);
    if !scopes.is_empty() {
        w.w(0, &format!("Scopes:\t{}\n", scopes.join(", ")));
        for scope in &scopes {
            let help = help_text_for_scope(scope);
            if !help.is_empty() {
                w.w(0, &format!(" * {help}\n"));
            }
        }
    }
    w.w(0, "Resource\tUsed\tHard\n");
    w.w(0, "--------\t----\t----\n");
    if let Some(hard) = obj(q, &["status", "hard"]) {
        let mut names: Vec<&String> = hard.keys().collect();
        names.sort();
        for n in names {
            let h = Qty::of(hard.get(n));
            let mut u = Qty::of(get(q, &["status", "used", n]));
            if u.fmt != h.fmt {
                u = Qty {
                    nano: u.value() * NANO,
                    fmt: h.fmt,
                };
            }
            w.w(0, &format!("{n}\t{}\t{}\n", u.string(), h.string()));
        }
    }
}
