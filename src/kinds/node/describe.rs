//! `kubectl describe` for Node: describe.go's describer for the kind.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::age::age;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_node(w, obj, ctx)),
    related,
    events_by_name: true,
};

/// The namespace of the nodes' heartbeat Leases (the kubelet's `kube-node-lease`).
const NODE_LEASE_NS: &str = "kube-node-lease";

/// What kubectl lists alongside a node: its non-terminated pods (found by the store's node
/// index) and its heartbeat Lease, which its kubelet renews.
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    let name = s(obj, &["metadata", "name"]);
    let mut v: Vec<Value> = Vec::new();
    api.for_each_on_node(&crate::kinds::pod::KIND, name, &mut |p| {
        if !matches!(
            p.pointer("/status/phase").and_then(Value::as_str),
            Some("Succeeded") | Some("Failed")
        ) {
            v.push(p.clone());
        }
    })?;
    v.extend(api.try_get(&crate::kinds::lease::KIND, NODE_LEASE_NS, name)?);
    Ok(v)
}

fn describe_node(w: &mut Pw, node: &Value, ctx: &DescribeCtx) {
    let name = s(node, &["metadata", "name"]);
    w.w(0, &format!("Name:\t{name}\n"));
    let mut roles = BTreeSet::new();
    for (k, v) in string_map(get(node, &["metadata", "labels"])) {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v);
        }
    }
    let roles: Vec<String> = roles.into_iter().collect();
    w.w(0, &format!("Roles:\t{}\n", or_none(&roles.join(","))));
    labels_multiline(w, "Labels", get(node, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(node, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(node, &["metadata", "creationTimestamp"])
        ),
    );
    taints_multiline(w, "Taints", arr(node, &["spec", "taints"]));
    w.w(
        0,
        &format!(
            "Unschedulable:\t{}\n",
            go_bool(b(node, &["spec", "unschedulable"]))
        ),
    );
    match ctx.related.iter().find(|o| s(o, &["kind"]) == "Lease") {
        Some(lease) => {
            w.w(0, "Lease:\n");
            w.w(
                1,
                &format!(
                    "HolderIdentity:\t{}\n",
                    opt_s(lease, &["spec", "holderIdentity"]).unwrap_or("<unset>")
                ),
            );
            for (field, title) in [("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")] {
                let t = match get(lease, &["spec", field]) {
                    Some(_) => time_at(lease, &["spec", field]),
                    None => "<unset>".to_string(),
                };
                w.w(1, &format!("{title}:\t{t}\n"));
            }
        }
        None => w.w(
            0,
            &format!(
                "Lease:\tFailed to get lease: leases.coordination.k8s.io {} not found\n",
                go_quote(name)
            ),
        ),
    }
    let conditions = arr(node, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
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
                    time_at(c, &["lastHeartbeatTime"]),
                    time_at(c, &["lastTransitionTime"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    w.w(0, "Addresses:\n");
    for a in arr(node, &["status", "addresses"]) {
        w.w(
            1,
            &format!("{}:\t{}\n", s(a, &["type"]), s(a, &["address"])),
        );
    }
    for (field, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        if let Some(m) = obj(node, &["status", field])
            && !m.is_empty()
        {
            w.w(0, &format!("{title}:\n"));
            let mut names: Vec<&String> = m.keys().collect();
            names.sort();
            for n in names {
                w.w(0, &format!("  {n}:\t{}\n", quantity_string(m.get(n))));
            }
        }
    }
    w.w(0, "System Info:\n");
    for (field, title) in [
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ] {
        w.w(
            0,
            &format!("  {title}:\t{}\n", s(node, &["status", "nodeInfo", field])),
        );
    }
    let pod_cidr = s(node, &["spec", "podCIDR"]);
    if !pod_cidr.is_empty() {
        w.w(0, &format!("PodCIDR:\t{pod_cidr}\n"));
    }
    let cidrs: Vec<String> = arr(node, &["spec", "podCIDRs"])
        .iter()
        .map(scalar)
        .collect();
    if !cidrs.is_empty() {
        w.w(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    let provider = s(node, &["spec", "providerID"]);
    if !provider.is_empty() {
        w.w(0, &format!("ProviderID:\t{provider}\n"));
    }
    node_resources(w, node, ctx);
    describe_events(w, ctx.events, ctx.now);
}

/// `describeNodeResource`.
fn node_resources(w: &mut Pw, node: &Value, ctx: &DescribeCtx) {
    let mut pods: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|p| matches!(s(p, &["kind"]), "" | "Pod"))
        .filter(|p| !matches!(s(p, &["status", "phase"]), "Succeeded" | "Failed"))
        .collect();
    // The API lists pods in key order: namespace, then name.
    pods.sort_by(|a, b| {
        (
            s(a, &["metadata", "namespace"]),
            s(a, &["metadata", "name"]),
        )
            .cmp(&(
                s(b, &["metadata", "namespace"]),
                s(b, &["metadata", "name"]),
            ))
    });
    w.w(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.w(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.w(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let allocatable = match obj(node, &["status", "allocatable"]) {
        Some(m) if !m.is_empty() => res_list(get(node, &["status", "allocatable"])),
        _ => res_list(get(node, &["status", "capacity"])),
    };
    let alloc = |k: &str| allocatable.get(k).copied().unwrap_or_else(Qty::zero);
    let (acpu, amem, aeph) = (
        alloc("cpu").milli(),
        alloc("memory").value(),
        alloc("ephemeral-storage").value(),
    );
    let mut total_reqs = ResList::new();
    let mut total_limits = ResList::new();
    for pod in &pods {
        let (req, lim) = pod_requests_and_limits(pod);
        let q = |l: &ResList, k: &str| l.get(k).copied().unwrap_or_else(Qty::zero);
        let (cr, cl, mr, ml) = (
            q(&req, "cpu"),
            q(&lim, "cpu"),
            q(&req, "memory"),
            q(&lim, "memory"),
        );
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                s(pod, &["metadata", "namespace"]),
                s(pod, &["metadata", "name"]),
                cr.string(),
                percent(cr.milli(), acpu),
                cl.string(),
                percent(cl.milli(), acpu),
                mr.string(),
                percent(mr.value(), amem),
                ml.string(),
                percent(ml.value(), amem),
                age(opt_s(pod, &["metadata", "creationTimestamp"]), ctx.now)
            ),
        );
        add_list(&mut total_reqs, &req);
        add_list(&mut total_limits, &lim);
    }
    w.w(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    let q = |l: &ResList, k: &str| l.get(k).copied().unwrap_or_else(Qty::zero);
    let frac = |num: i128, den: i128| if den != 0 { percent(num, den) } else { 0 };
    let (cr, cl) = (q(&total_reqs, "cpu"), q(&total_limits, "cpu"));
    w.w(
        1,
        &format!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            cr.string(),
            frac(cr.milli(), acpu),
            cl.string(),
            frac(cl.milli(), acpu)
        ),
    );
    let (mr, ml) = (q(&total_reqs, "memory"), q(&total_limits, "memory"));
    w.w(
        1,
        &format!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            mr.string(),
            frac(mr.value(), amem),
            ml.string(),
            frac(ml.value(), amem)
        ),
    );
    let (er, el) = (
        q(&total_reqs, "ephemeral-storage"),
        q(&total_limits, "ephemeral-storage"),
    );
    w.w(
        1,
        &format!(
            "ephemeral-storage\t{} ({}%)\t{} ({}%)\n",
            er.string(),
            frac(er.value(), aeph),
            el.string(),
            frac(el.value(), aeph)
        ),
    );
    let mut huge = Vec::new();
    let mut ext = Vec::new();
    for k in allocatable.keys() {
        if k.starts_with("hugepages-") {
            huge.push(k.as_str());
        } else if !matches!(k.as_str(), "cpu" | "memory" | "ephemeral-storage" | "pods") {
            ext.push(k.as_str());
        }
    }
    for k in huge {
        let (r, l, a) = (q(&total_reqs, k), q(&total_limits, k), alloc(k).value());
        w.w(
            1,
            &format!(
                "{k}\t{} ({}%)\t{} ({}%)\n",
                r.string(),
                frac(r.value(), a),
                l.string(),
                frac(l.value(), a)
            ),
        );
    }
    for k in ext {
        w.w(
            1,
            &format!(
                "{k}\t{}\t{}\n",
                q(&total_reqs, k).string(),
                q(&total_limits, k).string()
            ),
        );
    }
}
