//! What a pod requests and a node offers, in the units the scheduler compares (millicores for
//! `cpu`, whole units for the rest): `resourcehelper.PodRequests` over the containers, init
//! containers, sidecars and `spec.overhead`. Quantities are parsed by
//! [`crate::util::quantity::Quantity`] ([`parse_quantity`], [`parse_quantity_milli`]).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as KQuantity;

use crate::util::quantity::Quantity;

/// Default cpu request (millicores) the scorers assume for a container without one.
pub const DEFAULT_MILLI_CPU_REQUEST: i128 = 100;
/// Default memory request (bytes) the scorers assume for a container without one (200Mi).
pub const DEFAULT_MEMORY_REQUEST: i128 = 200 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

/// Parses a Kubernetes quantity (`2`, `0.5`, `100m`, `64Mi`, `1G`, `1e3`, `128974848`;
/// surrounding whitespace ignored, as the API decodes one) into whole units, rounding up like
/// `Quantity.Value()` (`100m` → 1). `None` if malformed or out of range.
pub fn parse_quantity(s: &str) -> Option<i128> {
    Quantity::parse(s.trim()).ok().map(|q| q.value())
}

/// Parses a Kubernetes quantity into thousandths, rounding up like `Quantity.MilliValue()`:
/// the unit for cpu (`100m` → 100, `0.5` → 500, `2` → 2000).
pub fn parse_quantity_milli(s: &str) -> Option<i128> {
    Quantity::parse(s.trim()).ok().map(|q| q.milli_value())
}

/// The amount of one named resource in the unit the scheduler compares: millicores for `cpu`,
/// whole units (bytes, count) for everything else. Malformed quantities count 0.
pub fn resource_amount(name: &str, q: &KQuantity) -> i128 {
    let v = if name == "cpu" {
        parse_quantity_milli(&q.0)
    } else {
        parse_quantity(&q.0)
    };
    v.unwrap_or(0)
}

/// Resource amounts by name (`cpu` in millicores, others in units).
pub type Resources = BTreeMap<String, i128>;
pub(super) fn container_requests(r: Option<&ResourceRequirements>, non_zero: bool) -> Resources {
    let mut out = Resources::new();
    if let Some(r) = r {
        if let Some(limits) = &r.limits {
            for (k, q) in limits {
                out.insert(k.clone(), resource_amount(k, q));
            }
        }
        if let Some(reqs) = &r.requests {
            for (k, q) in reqs {
                out.insert(k.clone(), resource_amount(k, q));
            }
        }
    }
    if non_zero {
        out.entry("cpu".into()).or_insert(DEFAULT_MILLI_CPU_REQUEST);
        out.entry("memory".into()).or_insert(DEFAULT_MEMORY_REQUEST);
    }
    out
}

/// `add_into(acc, &container_requests(r, non_zero))` without building the container's map.
pub(super) fn add_container(acc: &mut Resources, r: Option<&ResourceRequirements>, non_zero: bool) {
    let limits = r.and_then(|r| r.limits.as_ref());
    let requests = r.and_then(|r| r.requests.as_ref());
    let mut add = |k: &str, v: i128| match acc.get_mut(k) {
        Some(e) => *e += v,
        None => {
            acc.insert(k.to_string(), v);
        }
    };
    // A request wins over the limit of the same resource.
    for (k, q) in limits.into_iter().flatten() {
        if !requests.is_some_and(|m| m.contains_key(k)) {
            add(k, resource_amount(k, q));
        }
    }
    for (k, q) in requests.into_iter().flatten() {
        add(k, resource_amount(k, q));
    }
    if non_zero {
        let listed = |k: &str| {
            limits.is_some_and(|m| m.contains_key(k)) || requests.is_some_and(|m| m.contains_key(k))
        };
        if !listed("cpu") {
            add("cpu", DEFAULT_MILLI_CPU_REQUEST);
        }
        if !listed("memory") {
            add("memory", DEFAULT_MEMORY_REQUEST);
        }
    }
}

pub(super) fn add_into(acc: &mut Resources, r: &Resources) {
    for (k, v) in r {
        *acc.entry(k.clone()).or_insert(0) += v;
    }
}

pub(super) fn max_into(acc: &mut Resources, r: &Resources) {
    for (k, v) in r {
        let e = acc.entry(k.clone()).or_insert(0);
        if *v > *e {
            *e = *v;
        }
    }
}

/// `resourcehelper.PodRequests` over the containers' resources: app containers, init
/// containers with whether they are restartable sidecars, and `spec.overhead`.
pub(super) fn requests_of<'a>(
    containers: impl Iterator<Item = Option<&'a ResourceRequirements>>,
    init_containers: impl Iterator<Item = (Option<&'a ResourceRequirements>, bool)>,
    overhead: Option<&BTreeMap<String, KQuantity>>,
    non_zero: bool,
) -> Resources {
    let mut reqs = Resources::new();
    for c in containers {
        add_container(&mut reqs, c, non_zero);
    }
    let mut restartable = Resources::new();
    let mut init_max = Resources::new();
    for (c, sidecar) in init_containers {
        let creq = container_requests(c, non_zero);
        let effective = if sidecar {
            add_into(&mut reqs, &creq);
            add_into(&mut restartable, &creq);
            restartable.clone()
        } else {
            let mut tmp = creq;
            add_into(&mut tmp, &restartable);
            tmp
        };
        max_into(&mut init_max, &effective);
    }
    max_into(&mut reqs, &init_max);
    if let Some(overhead) = overhead {
        for (k, q) in overhead {
            *reqs.entry(k.clone()).or_insert(0) += resource_amount(k, q);
        }
    }
    reqs
}

/// The pod's effective requests as `resourcehelper.PodRequests` computes them. With
/// `non_zero`, containers lacking a cpu/memory request count 100m / 200Mi (the scorers' view).
pub fn pod_requests(pod: &Pod, non_zero: bool) -> Resources {
    let Some(spec) = &pod.spec else {
        return Resources::new();
    };
    requests_of(
        spec.containers.iter().map(|c| c.resources.as_ref()),
        spec.init_containers.iter().flatten().map(|c| {
            (
                c.resources.as_ref(),
                is_sidecar(c.restart_policy.as_deref()),
            )
        }),
        spec.overhead.as_ref(),
        non_zero,
    )
}

pub(super) fn is_sidecar(restart_policy: Option<&str>) -> bool {
    restart_policy == Some("Always")
}

/// The resources a node offers to pods (`status.allocatable`) in scheduler units.
pub fn node_allocatable(node: &Node) -> Resources {
    let mut out = Resources::new();
    if let Some(a) = node.status.as_ref().and_then(|s| s.allocatable.as_ref()) {
        for (k, q) in a {
            out.insert(k.clone(), resource_amount(k, q));
        }
    }
    out
}

pub(super) fn amount(r: &Resources, k: &str) -> i128 {
    r.get(k).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::testing::*;

    #[test]
    fn quantities() {
        let cases: &[(&str, Option<i128>, Option<i128>)] = &[
            ("100m", Some(1), Some(100)),
            ("0.5", Some(1), Some(500)),
            ("2", Some(2), Some(2000)),
            ("64Mi", Some(67_108_864), Some(67_108_864_000)),
            ("1G", Some(1_000_000_000), Some(1_000_000_000_000)),
            ("128974848", Some(128_974_848), Some(128_974_848_000)),
            ("1e3", Some(1000), Some(1_000_000)),
            ("1E3", Some(1000), Some(1_000_000)),
            ("1.5Gi", Some(1_610_612_736), Some(1_610_612_736_000)),
            ("129e6", Some(129_000_000), Some(129_000_000_000)),
            ("123Mi", Some(128_974_848), Some(128_974_848_000)),
            ("1k", Some(1000), Some(1_000_000)),
            ("1Ki", Some(1024), Some(1_024_000)),
            ("250m", Some(1), Some(250)),
            ("1n", Some(1), Some(1)),
            ("0", Some(0), Some(0)),
            ("-1", Some(-1), Some(-1000)),
            (".5", Some(1), Some(500)),
            ("", None, None),
            ("abc", None, None),
            ("1Qi", None, None),
            ("1e", None, None),
            // Upstream's ParseQuantity reads a missing number as 0 (this copy's own parser
            // refused it; the amount counted 0 either way).
            ("m", Some(0), Some(0)),
        ];
        for (s, v, mv) in cases {
            assert_eq!(parse_quantity(s), *v, "value of {s:?}");
            assert_eq!(parse_quantity_milli(s), *mv, "milli of {s:?}");
        }
    }

    #[test]
    fn container_sums_match_the_maps() {
        let mut rng = Rng::new(7);
        for i in 0..300 {
            let p = random_pod(&mut rng, i);
            let spec = p.spec.as_ref().unwrap();
            for c in spec
                .containers
                .iter()
                .chain(spec.init_containers.iter().flatten())
            {
                for non_zero in [false, true] {
                    let mut a = Resources::from([("cpu".into(), 5), ("x".into(), 1)]);
                    let mut b = a.clone();
                    add_container(&mut a, c.resources.as_ref(), non_zero);
                    add_into(&mut b, &container_requests(c.resources.as_ref(), non_zero));
                    assert_eq!(a, b, "{c:?}");
                }
            }
        }
    }
}
