//! The Endpoints controller (pkg/controller/endpoint, `endpoint-controller`): for each Service
//! with a selector, an Endpoints object of the same name whose subsets list the selected pods
//! (ready ones under `addresses`, the others under `notReadyAddresses`) with the Service's
//! ports resolved against each pod. Services without a selector (and ExternalName ones) are
//! left alone; a deleted Service takes its Endpoints with it.
//!
//! The pure part ([`desired_subsets`]; the trigger time is `endpointutil`'s) follows
//! upstream; the glue reads and writes through the Api only.

use std::collections::BTreeMap;

use super::endpointutil::*;
use super::{Controller, podutil, split_key};
use crate::api::errors::ApiError;
use crate::api::{Api, Change, DeleteOptions, fmt_time, name_of, namespace_of, parse_time};
use crate::engine::SyncResult;
use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset, Pod, Service};
use serde_json::{Value, json};

const COMPONENT: &str = "endpoint-controller";
/// `endpoints.kubernetes.io/last-change-trigger-time`.
pub const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
const MANAGED_BY: &str = "endpoints.kubernetes.io/managed-by";
const HEADLESS: &str = "service.kubernetes.io/headless";

pub struct EndpointsController;

fn address(svc: &Service, pod: &Pod, ip: &str) -> EndpointAddress {
    let spec = pod.spec.as_ref();
    let hostname = hostname_for(pod, svc);
    EndpointAddress {
        ip: ip.to_string(),
        hostname: hostname.map(str::to_string),
        node_name: spec.and_then(|s| s.node_name.clone()),
        target_ref: Some(pod_ref(pod)),
    }
}

/// The subsets the controller writes for `svc` over the pods its selector matched
/// (`syncService` then `RepackSubsets`, sorted as `SortSubsets` would, by value).
pub fn desired_subsets(svc: &Service, pods: &[Pod]) -> Vec<EndpointSubset> {
    let spec = svc.spec.clone().unwrap_or_default();
    let tolerate = spec.publish_not_ready_addresses.unwrap_or(false);
    let ports = spec.ports.unwrap_or_default();
    // (ip, uid) → (address, ready, ports)
    type Entry = (EndpointAddress, bool, Vec<EndpointPort>);
    let mut by_addr: BTreeMap<(String, String), Entry> = BTreeMap::new();
    for pod in pods {
        if !should_pod_be_in_endpoints(pod, tolerate) {
            continue;
        }
        let Some(ip) = pod_ip(pod) else { continue };
        let ready = tolerate || podutil::is_pod_ready(pod);
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        if ports.is_empty() {
            if is_headless(svc) {
                by_addr.insert(
                    (ip.to_string(), uid),
                    (address(svc, pod, ip), ready, vec![]),
                );
            }
            continue;
        }
        for sp in &ports {
            let Some(num) = find_port(pod, sp) else {
                continue;
            };
            let epp = EndpointPort {
                name: sp.name.clone().filter(|n| !n.is_empty()),
                port: num,
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                app_protocol: sp.app_protocol.clone(),
            };
            by_addr
                .entry((ip.to_string(), uid.clone()))
                .or_insert_with(|| (address(svc, pod, ip), ready, vec![]))
                .2
                .push(epp);
        }
    }
    // RepackSubsets: addresses with identical port sets share a subset.
    let port_key = |ps: &[EndpointPort]| -> Vec<(String, i32, String)> {
        let mut k: Vec<_> = ps
            .iter()
            .map(|p| {
                (
                    p.name.clone().unwrap_or_default(),
                    p.port,
                    p.protocol.clone().unwrap_or_default(),
                )
            })
            .collect();
        k.sort();
        k
    };
    let mut groups: BTreeMap<Vec<(String, i32, String)>, EndpointSubset> = BTreeMap::new();
    for (_, (addr, ready, mut ps)) in by_addr {
        ps.sort_by_key(|p| (p.name.clone(), p.port, p.protocol.clone()));
        let sub = groups
            .entry(port_key(&ps))
            .or_insert_with(|| EndpointSubset {
                ports: (!ps.is_empty()).then_some(ps),
                ..Default::default()
            });
        let list = if ready {
            &mut sub.addresses
        } else {
            &mut sub.not_ready_addresses
        };
        list.get_or_insert_with(Vec::new).push(addr);
    }
    groups.into_values().collect()
}

fn labels_for(svc: &Service) -> BTreeMap<String, String> {
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    if is_headless(svc) {
        labels.insert(HEADLESS.into(), String::new());
    } else {
        labels.remove(HEADLESS);
    }
    labels.insert(MANAGED_BY.into(), COMPONENT.into());
    labels
}

impl Controller for EndpointsController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let info = change.info;
        if info == &crate::kinds::service::KIND || info == &crate::kinds::endpoints::KIND {
            keys.push(format!(
                "{}/{}",
                namespace_of(&change.object),
                name_of(&change.object)
            ));
        } else if info == &crate::kinds::pod::KIND {
            service_key_for_pod(api, &change.object, keys);
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let ep_kind = &crate::kinds::endpoints::KIND;
        let Some(svc) = api.try_get(&crate::kinds::service::KIND, ns, name)? else {
            // The Service is gone: so are the Endpoints it had.
            let managed = api.try_get_ref(ep_kind, ns, name)?.is_some_and(|ep| {
                ep.pointer(&format!(
                    "/metadata/labels/{}",
                    MANAGED_BY.replace('/', "~1")
                ))
                .and_then(Value::as_str)
                    == Some(COMPONENT)
            });
            if managed {
                api.delete_if_present(ep_kind, ns, name, DeleteOptions::default())?;
            }
            return Ok(SyncResult::default());
        };
        let Some((svc, pods)) = service_and_pods(api, ns, svc, key)? else {
            return Ok(SyncResult::default());
        };
        let subsets = desired_subsets(&svc, &pods);
        let labels = labels_for(&svc);
        let subsets_v = serde_json::to_value(&subsets).unwrap_or(Value::Null);
        let labels_v = serde_json::to_value(&labels).unwrap_or(Value::Null);
        let existing = api.try_get(ep_kind, ns, name)?;
        let previous = existing.as_ref().map(|ep| {
            ep.pointer(&format!(
                "/metadata/annotations/{}",
                TRIGGER_TIME.replace('/', "~1")
            ))
            .and_then(Value::as_str)
            .and_then(parse_time)
        });
        if let Some(ep) = &existing {
            let cur_subsets = ep.get("subsets").cloned().unwrap_or(json!([]));
            let cur_labels = ep.pointer("/metadata/labels").cloned().unwrap_or(json!({}));
            if cur_subsets == subsets_v && cur_labels == labels_v {
                return Ok(SyncResult::default());
            }
        }
        let trigger = trigger_time(&svc, &pods, previous);
        let mut annotations = existing
            .as_ref()
            .and_then(|ep| ep.pointer("/metadata/annotations"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        match trigger {
            Some(t) => annotations.insert(TRIGGER_TIME.into(), json!(fmt_time(t))),
            None => annotations.remove(TRIGGER_TIME),
        };
        match existing {
            None => {
                let mut meta = json!({"name": name, "labels": labels_v});
                if !annotations.is_empty()
                    && let Some(m) = meta.as_object_mut()
                {
                    m.insert("annotations".into(), Value::Object(annotations));
                }
                api.create(
                    ep_kind,
                    ns,
                    json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta,
                           "subsets": subsets_v}),
                )?;
            }
            Some(mut ep) => {
                if let Some(m) = ep.get_mut("metadata").and_then(Value::as_object_mut) {
                    m.insert("labels".into(), labels_v);
                    if annotations.is_empty() {
                        m.remove("annotations");
                    } else {
                        m.insert("annotations".into(), Value::Object(annotations));
                    }
                }
                if let Some(o) = ep.as_object_mut() {
                    o.insert("subsets".into(), subsets_v);
                }
                api.update(ep_kind, ns, ep)?;
            }
        }
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn svc(v: Value) -> Service {
        serde_json::from_value(v).unwrap()
    }

    fn pod(name: &str, ip: &str, ready: bool, ports: Value) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}")},
            "spec": {"nodeName": "node-1", "containers": [{"name": "c", "ports": ports}]},
            "status": {"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready",
                "status": if ready {"True"} else {"False"},
                "lastTransitionTime": "2025-06-01T12:00:05Z"}]}
        }))
        .unwrap()
    }

    #[test]
    fn headless_without_ports_gives_one_subset_without_ports() {
        // endpoints_controller_test.go: headless service, no ports, pod0 at 1.2.3.4.
        let s = svc(json!({"metadata": {"name": "foo", "namespace": "default"},
            "spec": {"clusterIP": "None", "selector": {"foo": "bar"}, "ports": []}}));
        let subsets = desired_subsets(&s, &[pod("pod0", "1.2.3.4", true, json!([]))]);
        let v = serde_json::to_value(&subsets).unwrap();
        assert_eq!(v[0]["addresses"][0]["ip"], "1.2.3.4");
        assert_eq!(v[0]["addresses"][0]["targetRef"]["name"], "pod0");
        assert_eq!(v[0]["addresses"][0]["targetRef"]["kind"], "Pod");
        assert!(v[0].get("ports").is_none());
        let labels = labels_for(&s);
        assert_eq!(labels[HEADLESS], "");
        assert_eq!(labels[MANAGED_BY], COMPONENT);
        // Not headless and no ports: nothing.
        let s2 = svc(json!({"metadata": {"name": "foo"}, "spec": {"selector": {"a": "b"}}}));
        assert!(desired_subsets(&s2, &[pod("p", "1.2.3.4", true, json!([]))]).is_empty());
        assert!(!labels_for(&s2).contains_key(HEADLESS));
    }

    #[test]
    fn named_target_port_resolves_and_unresolvable_pods_are_left_out() {
        let s = svc(
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"a": "b"},
            "ports": [{"name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"}]}}),
        );
        let a = pod(
            "a",
            "10.244.1.5",
            true,
            json!([{"name": "web", "containerPort": 8080}]),
        );
        let b = pod(
            "b",
            "10.244.1.6",
            true,
            json!([{"name": "other", "containerPort": 9090}]),
        );
        let v = serde_json::to_value(desired_subsets(&s, &[a, b])).unwrap();
        assert_eq!(
            v,
            json!([{"addresses": [{"ip": "10.244.1.5", "nodeName": "node-1",
                "targetRef": {"kind": "Pod", "namespace": "default", "name": "a", "uid": "uid-a"}}],
                "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}])
        );
    }

    #[test]
    fn not_ready_terminating_and_published_pods() {
        let s = svc(
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"a": "b"},
            "ports": [{"port": 80, "targetPort": 8080}]}}),
        );
        let nr = pod("nr", "10.0.0.2", false, json!([]));
        let v = serde_json::to_value(desired_subsets(&s, std::slice::from_ref(&nr))).unwrap();
        assert_eq!(v[0]["notReadyAddresses"][0]["ip"], "10.0.0.2");
        assert!(v[0].get("addresses").is_none());
        let mut term = pod("t", "10.0.0.3", true, json!([]));
        term.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                "2025-06-01T12:00:00Z".parse().unwrap(),
            ));
        assert!(desired_subsets(&s, std::slice::from_ref(&term)).is_empty());
        // publishNotReadyAddresses: everything (terminating included) is an address.
        let p = svc(
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"a": "b"},
            "publishNotReadyAddresses": true, "ports": [{"port": 80}]}}),
        );
        let v = serde_json::to_value(desired_subsets(&p, &[nr, term])).unwrap();
        assert_eq!(v[0]["addresses"].as_array().unwrap().len(), 2);
        assert_eq!(v[0]["ports"][0]["port"], 80);
        // No IP, or terminal: excluded.
        let mut noip = pod("n", "", true, json!([]));
        noip.status.as_mut().unwrap().pod_ip = None;
        assert!(!should_pod_be_in_endpoints(&noip, true));
    }

    #[test]
    fn pods_with_different_ports_get_separate_subsets() {
        let s = svc(
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"a": "b"},
            "ports": [{"port": 80, "targetPort": "http"}]}}),
        );
        let a = pod(
            "a",
            "10.0.0.1",
            true,
            json!([{"name": "http", "containerPort": 80}]),
        );
        let b = pod(
            "b",
            "10.0.0.2",
            true,
            json!([{"name": "http", "containerPort": 8080}]),
        );
        let c = pod(
            "c",
            "10.0.0.3",
            true,
            json!([{"name": "http", "containerPort": 80}]),
        );
        let v = serde_json::to_value(desired_subsets(&s, &[c, b, a])).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 2);
        assert_eq!(v[0]["addresses"][0]["ip"], "10.0.0.1");
        assert_eq!(v[0]["addresses"][1]["ip"], "10.0.0.3");
        assert_eq!(v[1]["ports"][0]["port"], 8080);
    }

    #[test]
    fn trigger_time_first_sync_then_changed_pods_only() {
        let s = svc(json!({"metadata": {"name": "web",
            "creationTimestamp": "2025-06-01T12:00:00Z"}, "spec": {}}));
        let p = pod("a", "10.0.0.1", true, json!([]));
        let created: Timestamp = "2025-06-01T12:00:00Z".parse().unwrap();
        let ready: Timestamp = "2025-06-01T12:00:05Z".parse().unwrap();
        assert_eq!(
            trigger_time(&s, std::slice::from_ref(&p), None),
            Some(created)
        );
        assert_eq!(
            trigger_time(&s, std::slice::from_ref(&p), Some(Some(created))),
            Some(ready)
        );
        assert_eq!(
            trigger_time(&s, std::slice::from_ref(&p), Some(Some(ready))),
            None
        );
        assert_eq!(trigger_time(&s, &[], Some(None)), None);
    }
}
