//! The EndpointSlice controller (pkg/controller/endpointslice over the staging
//! `k8s.io/endpointslice` reconciler, `endpointslice-controller.k8s.io`): for each Service
//! with a selector, EndpointSlices (`<svc>-<5 chars>`, owned by the Service) that list the
//! selected pods — every pod with an IP, terminating ones included, with its ready / serving /
//! terminating conditions, node, zone and target — grouped by their resolved port set, at
//! most 100 endpoints a slice; a placeholder slice (no ports, no endpoints) when there is
//! nothing to list. A deleted Service's slices go with it through the garbage collector.
//!
//! The pure part ([`desired_endpoints`], [`reconcile`]) follows upstream's reconciler; the
//! glue reads and writes through the Api only.

use std::collections::{BTreeMap, BTreeSet};

use super::endpointutil::*;
use super::{Controller, podutil, split_key};
use crate::api::errors::ApiError;
use crate::api::{Api, Change, DeleteOptions, fmt_time, name_of, namespace_of, parse_time};
use crate::engine::SyncResult;
use crate::kinds::endpointslice::{MANAGED_BY_LABEL, SERVICE_NAME_LABEL};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use serde_json::{Value, json};

/// The controller's name in the managed-by label.
pub const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";
/// `--max-endpoints-per-slice`.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;
const HEADLESS: &str = "service.kubernetes.io/headless";
const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

pub struct EndpointSliceController;

/// One group of endpoints sharing a port set (upstream's `endpointMeta` + desired set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub ports: Vec<EndpointPort>,
    pub endpoints: Vec<Endpoint>,
}

/// `NewPortMapKey`: the port set, order aside.
fn port_key(ports: &[EndpointPort]) -> String {
    let mut k: Vec<String> = ports
        .iter()
        .map(|p| {
            format!(
                "{}/{}/{}/{}",
                p.name.as_deref().unwrap_or(""),
                p.port.unwrap_or(0),
                p.protocol.as_deref().unwrap_or(""),
                p.app_protocol.as_deref().unwrap_or("")
            )
        })
        .collect();
    k.sort();
    k.join(",")
}

/// `getEndpointPorts`: the Service's ports resolved against `pod` (unresolvable ones left
/// out; a headless Service may have none).
fn endpoint_ports(svc: &Service, pod: &Pod) -> Vec<EndpointPort> {
    let spec = svc.spec.clone().unwrap_or_default();
    let ports = spec.ports.unwrap_or_default();
    if ports.is_empty() && is_headless(svc) {
        return vec![];
    }
    ports
        .iter()
        .filter_map(|sp| {
            let num = find_port(pod, sp)?;
            Some(EndpointPort {
                name: Some(sp.name.clone().unwrap_or_default()),
                port: Some(num),
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                app_protocol: sp.app_protocol.clone(),
            })
        })
        .collect()
}

/// `podToEndpoint`. `zone` is the node's `topology.kubernetes.io/zone` label.
fn pod_to_endpoint(svc: &Service, pod: &Pod, ip: &str, zone: Option<String>) -> Endpoint {
    let serving = podutil::is_pod_ready(pod);
    let terminating = pod.metadata.deletion_timestamp.is_some();
    let publish = svc
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    let ready = publish || (serving && !terminating);
    Endpoint {
        addresses: vec![ip.to_string()],
        conditions: Some(EndpointConditions {
            ready: Some(ready),
            serving: Some(serving),
            terminating: Some(terminating),
        }),
        target_ref: Some(pod_ref(pod)),
        node_name: pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .filter(|n| !n.is_empty()),
        zone: zone.filter(|z| !z.is_empty()),
        hostname: hostname_for(pod, svc).map(str::to_string),
        ..Default::default()
    }
}

/// The endpoints the Service's pods give, grouped by port set (keyed by [`port_key`]).
/// `node_zone(name)` is `None` for a missing node (its pods are skipped unless not-ready
/// addresses are published), else the node's zone label.
pub fn desired_endpoints(
    svc: &Service,
    pods: &[Pod],
    node_zone: impl Fn(&str) -> Option<Option<String>>,
) -> BTreeMap<String, Group> {
    let publish = svc
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    let mut out: BTreeMap<String, Group> = BTreeMap::new();
    for pod in pods {
        if !should_pod_be_in_endpoints(pod, true) {
            continue;
        }
        let Some(ip) = pod_ip(pod) else { continue };
        let node = pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .unwrap_or("");
        let zone = match node_zone(node) {
            Some(z) => z,
            None if publish => None,
            None => continue,
        };
        let ports = endpoint_ports(svc, pod);
        let g = out.entry(port_key(&ports)).or_insert_with(|| Group {
            ports: ports.clone(),
            endpoints: vec![],
        });
        g.endpoints.push(pod_to_endpoint(svc, pod, ip, zone));
    }
    for g in out.values_mut() {
        g.endpoints.sort_by_key(endpoint_key);
    }
    out
}

/// What identifies an endpoint across syncs (upstream hashes the endpoint's identity).
fn endpoint_key(e: &Endpoint) -> (String, String) {
    (
        e.addresses.first().cloned().unwrap_or_default(),
        e.target_ref
            .as_ref()
            .and_then(|r| r.uid.clone())
            .unwrap_or_default(),
    )
}

/// The slices' labels (`setEndpointSliceLabels`): the Service's, minus the reserved keys,
/// plus the service name, the managing controller and the headless marker.
pub fn slice_labels(svc: &Service) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = svc
        .metadata
        .labels
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != SERVICE_NAME_LABEL && k != MANAGED_BY_LABEL && k != HEADLESS)
        .collect();
    if is_headless(svc) {
        labels.insert(HEADLESS.into(), String::new());
    }
    labels.insert(
        SERVICE_NAME_LABEL.into(),
        svc.metadata.name.clone().unwrap_or_default(),
    );
    labels.insert(MANAGED_BY_LABEL.into(), CONTROLLER_NAME.into());
    labels
}

/// What [`reconcile`] decides: slices to create (no name: `generateName` gives it), to
/// update (the whole new slice), to delete (names).
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub create: Vec<EndpointSlice>,
    pub update: Vec<EndpointSlice>,
    pub delete: Vec<String>,
}

fn owned_by(slice: &EndpointSlice, svc: &Service) -> bool {
    slice.metadata.owner_references.iter().flatten().any(|r| {
        r.controller == Some(true)
            && r.kind == "Service"
            && r.api_version == "v1"
            && Some(&r.uid) == svc.metadata.uid.as_ref()
    })
}

/// `newEndpointSlice`: an unnamed slice of `svc` with `ports`.
fn new_slice(svc: &Service, ports: Vec<EndpointPort>) -> EndpointSlice {
    let name = svc.metadata.name.clone().unwrap_or_default();
    EndpointSlice {
        metadata: ObjectMeta {
            generate_name: Some(format!("{name}-")),
            namespace: svc.metadata.namespace.clone(),
            labels: Some(slice_labels(svc)),
            owner_references: Some(vec![OwnerReference {
                api_version: "v1".into(),
                kind: "Service".into(),
                name,
                uid: svc.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        address_type: "IPv4".into(),
        endpoints: vec![],
        ports: Some(ports),
    }
}

/// `getSliceToFill`: the slice that `n` more endpoints would bring closest to full.
fn slice_to_fill(slices: &[EndpointSlice], n: usize, max: usize) -> Option<usize> {
    let mut closest = max;
    let mut pick = None;
    for (i, s) in slices.iter().enumerate() {
        let filled = n + s.endpoints.len();
        if filled <= max && max - filled < closest {
            closest = max - filled;
            pick = Some(i);
            if closest == 0 {
                break;
            }
        }
    }
    pick
}

/// The reconciler (`reconcile`, `reconcileByAddressType`, `reconcileByPortMapping`,
/// `finalize`) for one Service: keep what is unchanged, update the slices whose endpoints
/// changed (filling the fullest first), put what is left into the unchanged slice it fits
/// best or into new slices of at most `max`, keep one placeholder when nothing else
/// remains, and reuse the names of slices to delete for slices to create.
// Long because: upstream's three reconcile passes and finalize share their bookkeeping.
pub fn reconcile(
    svc: &Service,
    desired: &BTreeMap<String, Group>,
    existing: &[EndpointSlice],
    max: usize,
) -> Plan {
    let labels = slice_labels(svc);
    let mut plan = Plan::default();
    let mut to_delete: Vec<&EndpointSlice> = Vec::new();
    let mut by_key: BTreeMap<String, Vec<&EndpointSlice>> = BTreeMap::new();
    for s in existing {
        if s.address_type == "IPv4" && owned_by(s, svc) {
            by_key
                .entry(port_key(s.ports.as_deref().unwrap_or(&[])))
                .or_default()
                .push(s);
        } else {
            to_delete.push(s);
        }
    }
    for (key, group) in desired {
        let slices = by_key.remove(key).unwrap_or_default();
        let mut want: BTreeMap<(String, String), Endpoint> = group
            .endpoints
            .iter()
            .map(|e| (endpoint_key(e), e.clone()))
            .collect();
        let mut updates: Vec<EndpointSlice> = Vec::new();
        let mut unchanged: Vec<EndpointSlice> = Vec::new();
        // 1. Existing slices: keep their wanted endpoints (as wanted now), drop the rest.
        for s in slices {
            let mut kept = Vec::new();
            let mut changed = false;
            for e in &s.endpoints {
                match want.remove(&endpoint_key(e)) {
                    Some(d) => {
                        changed |= d != *e;
                        kept.push(d);
                    }
                    None => changed = true,
                }
            }
            let labels_changed = s.metadata.labels.as_ref() != Some(&labels);
            if kept.is_empty() && !s.endpoints.is_empty() {
                to_delete.push(s);
            } else if changed || labels_changed {
                let mut n = s.clone();
                n.endpoints = kept;
                n.metadata.labels = Some(labels.clone());
                updates.push(n);
            } else {
                unchanged.push(s.clone());
            }
        }
        let mut rest: Vec<Endpoint> = want.into_values().collect();
        rest.reverse(); // popped from the end: lowest key first
        // 2. Fill the slices being updated, fullest first.
        updates.sort_by_key(|s| std::cmp::Reverse(s.endpoints.len()));
        for s in &mut updates {
            while s.endpoints.len() < max
                && let Some(e) = rest.pop()
            {
                s.endpoints.push(e);
            }
        }
        // 3. The rest: into the unchanged slice it fits best, or new slices.
        while !rest.is_empty() {
            let mut target = None;
            if rest.len() < max && !unchanged.is_empty() {
                target = slice_to_fill(&unchanged, rest.len(), max).map(|i| unchanged.remove(i));
            }
            let mut s = target.unwrap_or_else(|| new_slice(svc, group.ports.clone()));
            while s.endpoints.len() < max
                && let Some(e) = rest.pop()
            {
                s.endpoints.push(e);
            }
            if s.metadata.name.is_some() {
                updates.push(s);
            } else {
                plan.create.push(s);
            }
        }
        plan.update.extend(updates);
    }
    // Port sets no longer wanted.
    for slices in by_key.into_values() {
        to_delete.extend(slices);
    }
    // A placeholder when no slice would remain.
    if existing.len() == to_delete.len() && plan.create.is_empty() {
        let placeholder = new_slice(svc, vec![]);
        let is_placeholder = |s: &EndpointSlice| {
            s.endpoints.is_empty()
                && s.ports.as_deref().unwrap_or(&[]).is_empty()
                && s.address_type == "IPv4"
                && s.metadata.labels == placeholder.metadata.labels
                && owned_by(s, svc)
        };
        if to_delete.len() == 1 && is_placeholder(to_delete[0]) {
            to_delete.clear();
        } else {
            plan.create.push(placeholder);
        }
    }
    // finalize: a slice to create takes the name of one to delete.
    let mut i = 0;
    while i < to_delete.len() {
        let Some(mut slice) = plan.create.pop() else {
            break;
        };
        let old = to_delete[i];
        if old.address_type == slice.address_type && owned_by(old, svc) {
            slice.metadata = ObjectMeta {
                labels: slice.metadata.labels.take(),
                ..old.metadata.clone()
            };
            plan.update.push(slice);
            to_delete.remove(i);
        } else {
            plan.create.push(slice);
            i += 1;
        }
    }
    plan.delete = to_delete
        .iter()
        .filter_map(|s| s.metadata.name.clone())
        .collect();
    plan
}

fn slice_value(slice: &EndpointSlice, trigger: Option<Timestamp>) -> Result<Value, ApiError> {
    let mut v = serde_json::to_value(slice)
        .map_err(|e| ApiError::bad_request(format!("endpointslice: {e}")))?;
    let Some(md) = v.get_mut("metadata").and_then(Value::as_object_mut) else {
        return Ok(v);
    };
    let mut ann = md
        .get("annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    match trigger {
        Some(t) => ann.insert(TRIGGER_TIME.into(), json!(fmt_time(t))),
        None => ann.remove(TRIGGER_TIME),
    };
    if ann.is_empty() {
        md.remove("annotations");
    } else {
        md.insert("annotations".into(), Value::Object(ann));
    }
    Ok(v)
}

impl Controller for EndpointSliceController {
    fn name(&self) -> &'static str {
        "endpointslice-controller"
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let info = change.info;
        let obj = &change.object;
        if info == &crate::kinds::service::KIND {
            keys.push(format!("{}/{}", namespace_of(obj), name_of(obj)));
        } else if info == &crate::kinds::endpointslice::KIND {
            let label = |k: &str| {
                obj.pointer(&format!("/metadata/labels/{}", k.replace('/', "~1")))
                    .and_then(Value::as_str)
            };
            if label(MANAGED_BY_LABEL) == Some(CONTROLLER_NAME)
                && let Some(svc) = label(SERVICE_NAME_LABEL)
            {
                keys.push(format!("{}/{svc}", namespace_of(obj)));
            }
        } else if info == &crate::kinds::pod::KIND {
            service_key_for_pod(api, obj, keys);
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let Some(svc) = api.try_get(&crate::kinds::service::KIND, ns, name)? else {
            // The garbage collector takes the slices of a deleted Service.
            return Ok(SyncResult::default());
        };
        let Some((svc, pods)) = service_and_pods(api, ns, svc, key)? else {
            return Ok(SyncResult::default());
        };
        let node_names: BTreeSet<String> = pods
            .iter()
            .filter_map(|p| p.spec.as_ref()?.node_name.clone())
            .collect();
        let mut zones: BTreeMap<String, Option<String>> = BTreeMap::new();
        for n in node_names {
            if let Some(node) = api.try_get_ref(&crate::kinds::node::KIND, "", &n)? {
                let zone = node
                    .pointer(&format!(
                        "/metadata/labels/{}",
                        ZONE_LABEL.replace('/', "~1")
                    ))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                zones.insert(n, zone);
            }
        }
        let desired = desired_endpoints(&svc, &pods, |n| zones.get(n).cloned());
        let slice_kind = &crate::kinds::endpointslice::KIND;
        let mut existing: Vec<EndpointSlice> = Vec::new();
        for s in api.list_ref(slice_kind, Some(ns))? {
            let label = |k: &str| {
                s.pointer(&format!("/metadata/labels/{}", k.replace('/', "~1")))
                    .and_then(Value::as_str)
            };
            if label(SERVICE_NAME_LABEL) == Some(name)
                && label(MANAGED_BY_LABEL) == Some(CONTROLLER_NAME)
                && let Ok(slice) = serde_json::from_value::<EndpointSlice>(s.clone())
            {
                existing.push(slice);
            }
        }
        let plan = reconcile(&svc, &desired, &existing, MAX_ENDPOINTS_PER_SLICE);
        if plan == Plan::default() {
            return Ok(SyncResult::default());
        }
        // The trigger time: the tracker's, from the slices' last recorded one.
        let previous = if existing.is_empty() {
            None
        } else {
            Some(
                existing
                    .iter()
                    .filter_map(|s| {
                        s.metadata
                            .annotations
                            .as_ref()?
                            .get(TRIGGER_TIME)
                            .and_then(|t| parse_time(t))
                    })
                    .max(),
            )
        };
        let trigger = trigger_time(&svc, &pods, previous);
        for s in &plan.create {
            api.create(slice_kind, ns, slice_value(s, trigger)?)?;
        }
        for s in &plan.update {
            api.update(slice_kind, ns, slice_value(s, trigger)?)?;
        }
        for n in &plan.delete {
            api.delete_if_present(slice_kind, ns, n, DeleteOptions::default())?;
        }
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(v: Value) -> Service {
        serde_json::from_value(v).unwrap()
    }

    fn web() -> Service {
        svc(
            json!({"metadata": {"name": "web", "namespace": "default", "uid": "svc-uid",
            "labels": {"app": "web", "kubernetes.io/service-name": "x"}},
            "spec": {"selector": {"app": "web"}, "clusterIP": "10.96.1.2",
                     "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}}),
        )
    }

    fn pod(name: &str, ip: &str, ready: bool, terminating: bool) -> Pod {
        let deletion = terminating.then_some("2025-06-01T12:00:00Z");
        let v = json!({
            "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}"),
                         "deletionTimestamp": deletion},
            "spec": {"nodeName": "node-1", "containers": [{"name": "c",
                "ports": [{"name": "http", "containerPort": 8080}]}]},
            "status": {"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready",
                "status": if ready {"True"} else {"False"}}]}});
        serde_json::from_value(v).unwrap()
    }

    fn zone_a(_: &str) -> Option<Option<String>> {
        Some(Some("zone-a".into()))
    }

    #[test]
    fn endpoint_conditions_follow_readiness_and_termination() {
        // Reference §12 vectors 3 and 4; podToEndpoint in utils_test.go.
        let pods = [
            pod("a", "10.244.1.5", true, false),
            pod("b", "10.244.1.6", false, false),
            pod("c", "10.244.1.7", true, true),
        ];
        let d = desired_endpoints(&web(), &pods, zone_a);
        assert_eq!(d.len(), 1);
        let g = d.values().next().unwrap();
        assert_eq!(
            serde_json::to_value(&g.ports).unwrap(),
            json!([{"name": "http", "port": 8080, "protocol": "TCP"}])
        );
        let cond = |i: usize| {
            let c = g.endpoints[i].conditions.clone().unwrap();
            (c.ready.unwrap(), c.serving.unwrap(), c.terminating.unwrap())
        };
        assert_eq!(cond(0), (true, true, false));
        assert_eq!(cond(1), (false, false, false));
        assert_eq!(cond(2), (false, true, true));
        let e = serde_json::to_value(&g.endpoints[0]).unwrap();
        assert_eq!(
            e,
            json!({"addresses": ["10.244.1.5"],
                "conditions": {"ready": true, "serving": true, "terminating": false},
                "nodeName": "node-1", "zone": "zone-a",
                "targetRef": {"kind": "Pod", "namespace": "default", "name": "a", "uid": "uid-a"}})
        );
        // A missing node skips the pod unless not-ready addresses are published.
        assert!(desired_endpoints(&web(), &pods, |_| None).is_empty());
    }

    #[test]
    fn labels_drop_reserved_keys_and_mark_headless() {
        let l = slice_labels(&web());
        assert_eq!(
            l,
            BTreeMap::from([
                ("app".to_string(), "web".to_string()),
                (SERVICE_NAME_LABEL.to_string(), "web".to_string()),
                (MANAGED_BY_LABEL.to_string(), CONTROLLER_NAME.to_string()),
            ])
        );
        let h = svc(json!({"metadata": {"name": "h"}, "spec": {"clusterIP": "None"}}));
        assert_eq!(slice_labels(&h)[HEADLESS], "");
    }

    fn named(mut s: EndpointSlice, name: &str) -> EndpointSlice {
        s.metadata.generate_name = None;
        s.metadata.name = Some(name.into());
        s
    }

    #[test]
    fn no_pods_gives_one_placeholder_kept_across_syncs() {
        // Reference §12 vector 6; reconciler_test.go TestReconcileEmpty.
        let plan = reconcile(&web(), &BTreeMap::new(), &[], 100);
        assert_eq!(plan.create.len(), 1);
        let p = &plan.create[0];
        assert!(p.endpoints.is_empty() && p.ports.as_deref() == Some(&[][..]));
        assert_eq!(p.metadata.generate_name.as_deref(), Some("web-"));
        let owner = &p.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (
                owner.kind.as_str(),
                owner.uid.as_str(),
                owner.controller,
                owner.block_owner_deletion
            ),
            ("Service", "svc-uid", Some(true), Some(true))
        );
        let stored = named(p.clone(), "web-abcde");
        let again = reconcile(&web(), &BTreeMap::new(), std::slice::from_ref(&stored), 100);
        assert_eq!(again, Plan::default());
        // Pods arrive: the placeholder's name is reused.
        let d = desired_endpoints(&web(), &[pod("a", "10.244.1.5", true, false)], zone_a);
        let plan = reconcile(&web(), &d, &[stored], 100);
        assert!(plan.create.is_empty() && plan.delete.is_empty());
        assert_eq!(plan.update[0].metadata.name.as_deref(), Some("web-abcde"));
        assert_eq!(plan.update[0].endpoints.len(), 1);
    }

    #[test]
    fn at_most_max_endpoints_a_slice() {
        // Reference §12 vector 5: 250 ready pods -> 100/100/50.
        let pods: Vec<Pod> = (0..250)
            .map(|i| {
                pod(
                    &format!("p{i:03}"),
                    &format!("10.244.{}.{}", i / 200, i % 200 + 1),
                    true,
                    false,
                )
            })
            .collect();
        let d = desired_endpoints(&web(), &pods, zone_a);
        let plan = reconcile(&web(), &d, &[], 100);
        let sizes: Vec<usize> = plan.create.iter().map(|s| s.endpoints.len()).collect();
        assert_eq!(sizes, [100, 100, 50]);
        // One more pod goes into the slice that has room; nothing else is written.
        let slices: Vec<EndpointSlice> = plan
            .create
            .into_iter()
            .enumerate()
            .map(|(i, s)| named(s, &format!("web-{i}")))
            .collect();
        let mut more = pods.clone();
        more.push(pod("q", "10.244.9.9", true, false));
        let d = desired_endpoints(&web(), &more, zone_a);
        let plan = reconcile(&web(), &d, &slices, 100);
        assert!(plan.create.is_empty() && plan.delete.is_empty());
        assert_eq!(plan.update.len(), 1);
        assert_eq!(plan.update[0].metadata.name.as_deref(), Some("web-2"));
        assert_eq!(plan.update[0].endpoints.len(), 51);
        // Removing every pod of one slice deletes it.
        let in_first: BTreeSet<String> = slices[0]
            .endpoints
            .iter()
            .filter_map(|e| e.target_ref.as_ref()?.name.clone())
            .collect();
        let rest: Vec<Pod> = pods
            .iter()
            .filter(|p| !in_first.contains(p.metadata.name.as_deref().unwrap_or("")))
            .cloned()
            .collect();
        let d = desired_endpoints(&web(), &rest, zone_a);
        let plan = reconcile(&web(), &d, &slices, 100);
        assert_eq!(plan.delete, ["web-0"]);
        assert!(plan.update.is_empty() && plan.create.is_empty());
    }

    #[test]
    fn slices_of_other_owners_are_deleted() {
        let mut foreign = new_slice(&web(), vec![]);
        foreign.metadata.owner_references.as_mut().unwrap()[0].uid = "old".into();
        let foreign = named(foreign, "web-old");
        let d = desired_endpoints(&web(), &[pod("a", "10.244.1.5", true, false)], zone_a);
        let plan = reconcile(&web(), &d, &[foreign], 100);
        assert_eq!(plan.delete, ["web-old"]);
        assert_eq!(plan.create.len(), 1);
    }
}
