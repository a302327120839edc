//! What the Endpoints and EndpointSlice controllers share (upstream
//! `pkg/controller/util/endpoint` and `staging/src/k8s.io/endpointslice/util`): which pods
//! count, how a Service port resolves against a pod, the hostname rule, the trigger time.

use super::podutil;
use crate::api::{Api, name_of, namespace_of};
use crate::util::selector::Selector;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{ObjectReference, Pod, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
use std::collections::BTreeMap;

/// `ShouldPodBeInEndpoints`: not terminal, has an IP, and not terminating unless tolerated.
pub fn should_pod_be_in_endpoints(pod: &Pod, include_terminating: bool) -> bool {
    if podutil::is_pod_terminal(pod) || pod_ip(pod).is_none() {
        return false;
    }
    include_terminating || pod.metadata.deletion_timestamp.is_none()
}

pub fn pod_ip(pod: &Pod) -> Option<&str> {
    let st = pod.status.as_ref()?;
    st.pod_ip
        .as_deref()
        .filter(|ip| !ip.is_empty())
        .or_else(|| st.pod_ips.as_ref()?.first().map(|p| p.ip.as_str()))
}

/// `FindPort`: a named targetPort is looked up among the pod's container ports (same
/// protocol); a number is used as is; an absent targetPort means the Service port.
pub fn find_port(pod: &Pod, sp: &ServicePort) -> Option<i32> {
    let proto = sp.protocol.as_deref().unwrap_or("TCP");
    match &sp.target_port {
        None => Some(sp.port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => {
            let spec = pod.spec.as_ref()?;
            let sidecars = spec
                .init_containers
                .iter()
                .flatten()
                .filter(|c| c.restart_policy.as_deref() == Some("Always"));
            spec.containers
                .iter()
                .chain(sidecars)
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| {
                    p.name.as_deref() == Some(name.as_str())
                        && p.protocol.as_deref().unwrap_or("TCP") == proto
                })
                .map(|p| p.container_port)
        }
    }
}

/// A headless Service (`clusterIP: None`).
pub fn is_headless(svc: &Service) -> bool {
    svc.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None")
}

/// `ShouldSetHostname`: the pod's hostname, when its subdomain names the Service (same
/// namespace).
pub fn hostname_for<'a>(pod: &'a Pod, svc: &Service) -> Option<&'a str> {
    let spec = pod.spec.as_ref()?;
    spec.hostname
        .as_deref()
        .filter(|h| !h.is_empty())
        .filter(|_| {
            spec.subdomain.as_deref() == svc.metadata.name.as_deref()
                && pod.metadata.namespace == svc.metadata.namespace
        })
}

/// The trigger time to record: on the first sync (`previous == None`) the earliest of the
/// Service's creation and the pods' Ready transitions; afterwards the earliest Ready
/// transition later than the previously recorded time; `None` removes the annotation.
pub fn trigger_time(
    svc: &Service,
    pods: &[Pod],
    previous: Option<Option<Timestamp>>,
) -> Option<Timestamp> {
    let pod_times = pods.iter().filter_map(|p| {
        podutil::pod_ready_condition(p)
            .and_then(|c| c.last_transition_time.as_ref())
            .map(|t| t.0)
    });
    match previous {
        None => {
            let created = svc.metadata.creation_timestamp.as_ref().map(|t| t.0);
            created.into_iter().chain(pod_times).min()
        }
        Some(last) => pod_times.filter(|t| last.is_none_or(|l| *t > l)).min(),
    }
}

/// The keys (`ns/name`) of the Services whose selector matches `pod`.
pub fn service_key_for_pod(api: &mut Api, pod: &Value, keys: &mut Vec<String>) {
    let ns = namespace_of(pod);
    let labels = pod.pointer("/metadata/labels");
    let Ok(svcs) = api.list_ref(&crate::kinds::service::KIND, Some(ns)) else {
        return;
    };
    for svc in svcs {
        let Some(sel) = svc.pointer("/spec/selector").and_then(Value::as_object) else {
            continue;
        };
        let map: BTreeMap<String, String> = sel
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect();
        if Selector::from_map(&map).matches_value(labels) {
            keys.push(format!("{ns}/{}", name_of(svc)));
        }
    }
}

/// The Service (decoded) and the pods its selector matches, for the controllers that list
/// them; `None` for an ExternalName Service or one without a selector (left alone).
pub fn service_and_pods(
    api: &mut Api,
    ns: &str,
    svc: Value,
    key: &str,
) -> Result<Option<(Service, Vec<Pod>)>, crate::api::errors::ApiError> {
    let svc: Service = serde_json::from_value(svc)
        .map_err(|e| crate::api::errors::ApiError::bad_request(format!("service {key}: {e}")))?;
    let spec = svc.spec.clone().unwrap_or_default();
    if spec.type_.as_deref() == Some("ExternalName") {
        return Ok(None);
    }
    let Some(selector) = spec.selector.as_ref() else {
        return Ok(None);
    };
    let sel = Selector::from_map(selector);
    let mut pods: Vec<Pod> = Vec::new();
    for p in api.list_ref(&crate::kinds::pod::KIND, Some(ns))? {
        if sel.matches_value(p.pointer("/metadata/labels"))
            && let Ok(pod) = serde_json::from_value::<Pod>(p.clone())
        {
            pods.push(pod);
        }
    }
    Ok(Some((svc, pods)))
}

/// The endpoint's `targetRef`: the pod.
pub fn pod_ref(pod: &Pod) -> ObjectReference {
    ObjectReference {
        kind: Some("Pod".into()),
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        ..Default::default()
    }
}
