//! Service ClusterIP and NodePort allocation, as the 1.33 API server does it
//! (`pkg/registry/core/service/storage/alloc.go` over `ipallocator` (IPAddress-backed, KEP-1880)
//! and `portallocator`): kind's service range 10.96.0.0/16 (the `kubernetes` Service at .1),
//! NodePorts 30000–32767. Dynamic values are drawn at random (a seeded stream of
//! `util::names`, so a state replays the same) from the upper subrange first (KEP-3070: the
//! lower one is kept for static requests such as kube-dns's 10.96.0.10), then the lower one;
//! a requested value is honoured unless taken or out of range. "Taken" is what the stored
//! Services hold, so pinned IPs and ports are never handed out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Api;
use super::errors::{ApiError, BadValue, FieldError, Reason};
use crate::kinds::validation::go_strings;
use crate::util::fields::Fields;
use crate::util::ptr::Ptr;

/// kind's `--service-cluster-ip-range` (kind `pkg/apis/config/v1alpha4/default.go`).
pub const SERVICE_CIDR: &str = "10.96.0.0/16";
const CIDR_BASE: u32 = 0x0a60_0000; // 10.96.0.0
const CIDR_BITS: u32 = 16;
/// `--service-node-port-range`.
pub const NODE_PORT_BASE: u64 = 30000;
pub const NODE_PORT_SIZE: u64 = 2768;

/// `calculateRangeOffset`: the size of the lower subrange kept for static allocation.
pub fn range_offset(size: u64, min: u64, max: u64, step: u64) -> u64 {
    if size < min {
        return 0;
    }
    (size / step).clamp(min, max)
}

/// `randomScanStrategyWithOffset.AllocateBit` (ports) and `allocateNextService`'s two
/// `ipIterator` passes (IPs), which are the same walk: a random start in the upper subrange
/// `[offset, size)`, wrapping within it, then a random start in `[0, offset)`. `rand(n)` is
/// a number in `[0, n)`.
pub fn random_scan(
    size: u64,
    offset: u64,
    taken: impl Fn(u64) -> bool,
    mut rand: impl FnMut(u64) -> u64,
) -> Option<u64> {
    let upper = size.saturating_sub(offset);
    if upper > 0 {
        let start = rand(upper);
        for i in 0..upper {
            let at = offset + (start + i) % upper;
            if !taken(at) {
                return Some(at);
            }
        }
    }
    if offset > 0 {
        let start = rand(offset);
        for i in 0..offset {
            let at = (start + i) % offset;
            if !taken(at) {
                return Some(at);
            }
        }
    }
    None
}

fn ip_string(ip: u32) -> String {
    std::net::Ipv4Addr::from(ip).to_string()
}

/// The usable addresses of the service range: `.0` and the broadcast address excluded
/// (`hostsPerNetwork`), index 0 = 10.96.0.1.
fn ip_size() -> u64 {
    (1u64 << (32 - CIDR_BITS)) - 2
}

/// `rangeOffset` of the IP allocator: min(max(16, size/16), 256) of the CIDR's size.
fn ip_offset() -> u64 {
    range_offset(1u64 << (32 - CIDR_BITS), 16, 256, 16)
}

/// `rangeOffset` of the port allocator: min(max(16, size/32), 128).
fn port_offset() -> u64 {
    range_offset(NODE_PORT_SIZE, 16, 128, 32)
}

/// Why a requested ClusterIP cannot be had (the allocator's error text).
pub fn check_ip(ip: &str, used: &BTreeSet<String>) -> Result<(), String> {
    let Ok(addr) = ip.parse::<std::net::Ipv4Addr>() else {
        return Err("the provided network does not match the current range".into());
    };
    let n = u32::from(addr);
    let mask = !0u32 << (32 - CIDR_BITS);
    if n & mask != CIDR_BASE {
        // The MetaAllocator finds no ServiceCIDR holding the address.
        return Err("the provided network does not match the current range".into());
    }
    let host = n & !mask;
    if host == 0 || host == !mask {
        return Err(format!(
            "the provided IP ({addr}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
        ));
    }
    if used.contains(&addr.to_string()) {
        return Err("provided IP is already allocated".into());
    }
    Ok(())
}

/// The next free ClusterIP, or None when the range is full.
pub fn next_ip(used: &BTreeSet<String>, rand: impl FnMut(u64) -> u64) -> Option<String> {
    let first = CIDR_BASE + 1;
    random_scan(
        ip_size(),
        ip_offset(),
        |i| used.contains(&ip_string(first + i as u32)),
        rand,
    )
    .map(|i| ip_string(first + i as u32))
}

/// Why a requested NodePort cannot be had.
pub fn check_port(port: i64, used: &BTreeSet<i64>) -> Result<(), String> {
    let lo = NODE_PORT_BASE as i64;
    let hi = lo + NODE_PORT_SIZE as i64 - 1;
    if port < lo || port > hi {
        return Err(format!(
            "provided port is not in the valid range. The range of valid ports is {lo}-{hi}"
        ));
    }
    if used.contains(&port) {
        return Err("provided port is already allocated".into());
    }
    Ok(())
}

/// The next free NodePort, or None when the range is full.
pub fn next_port(used: &BTreeSet<i64>, rand: impl FnMut(u64) -> u64) -> Option<i64> {
    random_scan(
        NODE_PORT_SIZE,
        port_offset(),
        |i| used.contains(&((NODE_PORT_BASE + i) as i64)),
        rand,
    )
    .map(|i| (NODE_PORT_BASE + i) as i64)
}

fn str_at<'a>(v: &'a Value, p: &str) -> &'a str {
    v.ptr(p).and_then(Value::as_str).unwrap_or("")
}

fn svc_type(svc: &Value) -> &str {
    match str_at(svc, "/spec/type") {
        "" => "ClusterIP",
        t => t,
    }
}

/// The node ports a Service holds (its ports' and its health check's).
fn node_ports_of(svc: &Value) -> Vec<i64> {
    let mut out: Vec<i64> = svc
        .ptr("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .filter(|n| *n != 0)
        .collect();
    if let Some(h) = svc.ptr("/spec/healthCheckNodePort").and_then(Value::as_i64)
        && h != 0
    {
        out.push(h);
    }
    out
}

fn cluster_ips_of(svc: &Value) -> Vec<String> {
    let mut out: Vec<String> = svc
        .ptr("/spec/clusterIPs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let ip = str_at(svc, "/spec/clusterIP");
    if !ip.is_empty() && !out.iter().any(|i| i == ip) {
        out.push(ip.to_string());
    }
    out.retain(|i| i != "None" && !i.is_empty());
    out
}

/// The v1 → internal conversion of the ClusterIP pair: `clusterIPs` from `clusterIP` when
/// empty, and `clusterIP` from `clusterIPs[0]`.
pub fn convert_cluster_ips(svc: &mut Value) -> Result<(), ApiError> {
    let ip = str_at(svc, "/spec/clusterIP").to_string();
    let ips: Vec<String> = svc
        .ptr("/spec/clusterIPs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if svc.ptr("/spec").is_none() {
        return Ok(());
    }
    let spec = svc.fields_at("/spec")?;
    if ips.is_empty() && !ip.is_empty() {
        spec.insert("clusterIPs".into(), json!([ip]));
    } else if ip.is_empty() && !ips.is_empty() {
        spec.insert("clusterIP".into(), json!(ips[0]));
    }
    Ok(())
}

fn needs_node_port(ty: &str) -> bool {
    ty == "NodePort" || ty == "LoadBalancer"
}

/// `needsHCNodePort`: a LoadBalancer with externalTrafficPolicy Local.
fn needs_hc_node_port(svc: &Value) -> bool {
    svc_type(svc) == "LoadBalancer" && str_at(svc, "/spec/externalTrafficPolicy") == "Local"
}

/// The nonzero node ports of a Service's ports.
fn port_node_ports(svc: &Value) -> BTreeSet<i64> {
    svc.ptr("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
        .filter(|n| *n != 0)
        .collect()
}

/// `dropTypeDependentFields` (the Service strategy's PrepareForUpdate): on a type change,
/// what the old type had and the new one does not use goes, unless the request changed it.
pub fn drop_type_dependent_fields(new: &mut Value, old: &Value) -> Result<(), ApiError> {
    let (nt, ot) = (svc_type(new).to_string(), svc_type(old).to_string());
    if nt == ot || new.ptr("/spec").is_none() {
        return Ok(());
    }
    let same =
        |k: &str, new: &Value| new.ptr(&format!("/spec/{k}")) == old.ptr(&format!("/spec/{k}"));
    let mut drop: Vec<&str> = Vec::new();
    if ot != "ExternalName" && nt == "ExternalName" {
        if same("clusterIP", new) && same("clusterIPs", new) {
            drop.extend(["clusterIP", "clusterIPs"]);
        }
        if same("ipFamilies", new) {
            drop.push("ipFamilies");
        }
        if same("ipFamilyPolicy", new) {
            drop.push("ipFamilyPolicy");
        }
    }
    let drop_node_ports = needs_node_port(&ot)
        && !needs_node_port(&nt)
        && port_node_ports(old).is_superset(&port_node_ports(new));
    if needs_hc_node_port(old) && !needs_hc_node_port(new) && same("healthCheckNodePort", new) {
        drop.push("healthCheckNodePort");
    }
    if nt != "LoadBalancer" {
        drop.extend(["allocateLoadBalancerNodePorts", "loadBalancerClass"]);
    }
    let external_ips = new
        .ptr("/spec/externalIPs")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let externally_accessible = needs_node_port(&nt) || (nt == "ClusterIP" && external_ips);
    if !externally_accessible {
        drop.push("externalTrafficPolicy");
    }
    if nt == "ExternalName" {
        drop.push("internalTrafficPolicy");
    }
    if drop_node_ports {
        let n = new
            .ptr("/spec/ports")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..n {
            new.fields_at(&format!("/spec/ports/{i}"))?
                .remove("nodePort");
        }
    }
    let spec = new.fields_at("/spec")?;
    for k in drop {
        spec.remove(k);
    }
    Ok(())
}

/// `patchAllocatedValues` (the Service REST's update): a request that leaves out what was
/// allocated keeps it — the cluster IPs while both types have them, a port's node port (by
/// the port's name, unless another port now uses it) while both types have node ports, the
/// health check node port.
pub fn patch_allocated_values(new: &mut Value, old: &Value) -> Result<(), ApiError> {
    let (nt, ot) = (svc_type(new).to_string(), svc_type(old).to_string());
    if new.ptr("/spec").is_none() {
        return Ok(());
    }
    if nt != "ExternalName" && ot != "ExternalName" {
        let spec = new.fields_at("/spec")?;
        for k in ["clusterIP", "clusterIPs"] {
            let empty = match spec.get(k) {
                None | Some(Value::Null) => true,
                Some(Value::String(s)) => s.is_empty(),
                Some(Value::Array(a)) => a.is_empty(),
                _ => false,
            };
            if empty && let Some(v) = old.ptr(&format!("/spec/{k}")) {
                spec.insert(k.into(), v.clone());
            }
        }
    }
    if needs_node_port(&nt) && needs_node_port(&ot) {
        let used: BTreeSet<i64> = port_node_ports(old)
            .intersection(&port_node_ports(new))
            .copied()
            .collect();
        let by_name: BTreeMap<String, i64> = old
            .ptr("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    p.get("nodePort").and_then(Value::as_i64).unwrap_or(0),
                )
            })
            .collect();
        let n = new
            .ptr("/spec/ports")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..n {
            let p = new.fields_at(&format!("/spec/ports/{i}"))?;
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let np = p.get("nodePort").and_then(Value::as_i64).unwrap_or(0);
            if np == 0
                && let Some(o) = by_name.get(&name).filter(|o| **o != 0 && !used.contains(o))
            {
                p.insert("nodePort".into(), json!(o));
            }
        }
    }
    if needs_hc_node_port(old)
        && needs_hc_node_port(new)
        && new.ptr("/spec/healthCheckNodePort").is_none()
        && let Some(h) = old.ptr("/spec/healthCheckNodePort").cloned()
    {
        new.fields_at("/spec")?
            .insert("healthCheckNodePort".into(), h);
    }
    Ok(())
}

impl Api {
    /// What every Service but `except` (namespace, name) holds: cluster IPs, node ports.
    fn service_allocations(
        &mut self,
        except: Option<(&str, &str)>,
    ) -> Result<(BTreeSet<String>, BTreeSet<i64>), ApiError> {
        let mut ips = BTreeSet::new();
        let mut ports = BTreeSet::new();
        for s in self.list(&crate::kinds::service::KIND, None)? {
            let key = (
                str_at(&s, "/metadata/namespace"),
                str_at(&s, "/metadata/name"),
            );
            if except == Some(key) {
                continue;
            }
            ips.extend(cluster_ips_of(&s));
            ports.extend(node_ports_of(&s));
        }
        Ok((ips, ports))
    }

    /// `allocateCreate` / `allocateUpdate`: the Service's cluster IP and node ports, taken
    /// or checked. `old` is the stored Service of an update.
    pub(super) fn allocate_service(
        &mut self,
        ns: &str,
        svc: &mut Value,
        old: Option<&Value>,
    ) -> Result<(), ApiError> {
        if let Some(old) = old {
            drop_type_dependent_fields(svc, old)?;
            patch_allocated_values(svc, old)?;
        }
        convert_cluster_ips(svc)?;
        let name = str_at(svc, "/metadata/name").to_string();
        let ty = svc_type(svc).to_string();
        let (used_ips, used_ports) = self.service_allocations(Some((ns, &name)))?;
        let invalid = |f: FieldError| ApiError::invalid("Service", "", &name, vec![f]);
        // Cluster IPs: on create, and on an update from ExternalName.
        let needs_ip = ty != "ExternalName"
            && old.is_none_or(|o| svc_type(o) == "ExternalName")
            && str_at(svc, "/spec/clusterIP") != "None";
        if needs_ip {
            let requested = str_at(svc, "/spec/clusterIP").to_string();
            let ip = if requested.is_empty() {
                next_ip(&used_ips, |n| self.names.next_u64("clusterip") % n).ok_or_else(|| {
                    ApiError::new(
                        Reason::InternalError,
                        "Internal error occurred: failed to allocate a serviceIP: range is full",
                    )
                })?
            } else {
                if let Err(why) = check_ip(&requested, &used_ips) {
                    return Err(invalid(FieldError::invalid(
                        "spec.clusterIPs",
                        BadValue::Raw(go_strings(svc.ptr("/spec/clusterIPs"))),
                        format!("failed to allocate IP {requested}: {why}"),
                    )));
                }
                requested
            };
            let spec = svc.fields_at("/spec")?;
            spec.insert("clusterIP".into(), json!(ip));
            spec.insert("clusterIPs".into(), json!([ip]));
        }
        if ty != "NodePort" && ty != "LoadBalancer" {
            return Ok(());
        }
        let allocate_all = ty == "NodePort"
            || svc
                .ptr("/spec/allocateLoadBalancerNodePorts")
                .and_then(Value::as_bool)
                != Some(false);
        let old_ports: BTreeSet<i64> = old
            .map(node_ports_of)
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut taken = used_ports;
        let mut by_port: BTreeMap<i64, i64> = BTreeMap::new();
        let n = svc
            .ptr("/spec/ports")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..n {
            let (port, np) = {
                let p = svc.ptr(&format!("/spec/ports/{i}")).unwrap_or(&Value::Null);
                (
                    p.get("port").and_then(Value::as_i64).unwrap_or(0),
                    p.get("nodePort").and_then(Value::as_i64).unwrap_or(0),
                )
            };
            if np == 0 && !allocate_all {
                continue;
            }
            let chosen = if np != 0 {
                if !old_ports.contains(&np)
                    && by_port.values().all(|v| *v != np)
                    && let Err(why) = check_port(np, &taken)
                {
                    return Err(invalid(FieldError::invalid(
                        format!("spec.ports[{i}].nodePort"),
                        BadValue::Int(np),
                        why,
                    )));
                }
                np
            } else if let Some(p) = by_port.get(&port) {
                *p
            } else {
                next_port(&taken, |n| self.names.next_u64("nodeport") % n).ok_or_else(|| {
                    ApiError::new(
                        Reason::InternalError,
                        "Internal error occurred: failed to allocate a nodePort: range is full",
                    )
                })?
            };
            taken.insert(chosen);
            by_port.entry(port).or_insert(chosen);
            svc.fields_at(&format!("/spec/ports/{i}"))?
                .insert("nodePort".into(), json!(chosen));
        }
        // `NeedsHealthCheck`: a LoadBalancer with externalTrafficPolicy Local.
        let needs_hc =
            ty == "LoadBalancer" && str_at(svc, "/spec/externalTrafficPolicy") == "Local";
        let hc = svc
            .ptr("/spec/healthCheckNodePort")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if needs_hc && hc == 0 {
            let p = next_port(&taken, |n| self.names.next_u64("nodeport") % n).ok_or_else(|| {
                ApiError::new(
                    Reason::InternalError,
                    "Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full",
                )
            })?;
            svc.fields_at("/spec")?
                .insert("healthCheckNodePort".into(), json!(p));
        } else if needs_hc && !old_ports.contains(&hc) {
            check_port(hc, &taken).map_err(|why| {
                ApiError::new(
                    Reason::InternalError,
                    format!(
                        "Internal error occurred: failed to allocate requested HealthCheck NodePort {hc}: {why}"
                    ),
                )
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_offsets_as_upstream() {
        // ipallocator TestCalculateRangeOffset / portallocator TestCalculateRangeOffset.
        assert_eq!(ip_offset(), 256); // /16
        assert_eq!(range_offset(256, 16, 256, 16), 16); // /24
        assert_eq!(range_offset(16, 16, 256, 16), 16); // /28: size/16 = 1 -> min
        assert_eq!(range_offset(8, 16, 256, 16), 0); // /29
        assert_eq!(range_offset(1 << 20, 16, 256, 16), 256); // /12
        assert_eq!(port_offset(), 86); // 30000-32767
        assert_eq!(range_offset(100, 16, 128, 32), 16);
        assert_eq!(range_offset(65535, 16, 128, 32), 128);
        assert_eq!(range_offset(10, 16, 128, 32), 0);
    }

    #[test]
    fn dynamic_values_come_from_the_upper_subrange_first() {
        let none = BTreeSet::new();
        // rand(n) = 0: the first address of the upper subrange.
        assert_eq!(next_ip(&none, |_| 0).as_deref(), Some("10.96.1.1"));
        assert_eq!(next_ip(&none, |n| n - 1).as_deref(), Some("10.96.255.254"));
        assert_eq!(next_port(&BTreeSet::new(), |_| 0), Some(30086));
        assert_eq!(next_port(&BTreeSet::new(), |n| n - 1), Some(32767));
        // A taken value moves on, wrapping within the subrange.
        let used: BTreeSet<String> = ["10.96.255.254".to_string()].into();
        assert_eq!(next_ip(&used, |n| n - 1).as_deref(), Some("10.96.1.1"));
    }

    #[test]
    fn a_full_upper_subrange_falls_back_to_the_lower_one() {
        let taken = |i: u64| i >= 86;
        assert_eq!(random_scan(2768, 86, taken, |_| 5), Some(5));
        assert_eq!(random_scan(2768, 86, |_| true, |_| 0), None);
        // A range too small for an offset is scanned whole.
        assert_eq!(random_scan(8, 0, |i| i < 7, |_| 3), Some(7));
    }

    #[test]
    fn requested_ips_are_checked() {
        let used: BTreeSet<String> = ["10.96.0.1".to_string(), "10.96.0.10".to_string()].into();
        assert_eq!(check_ip("10.96.0.20", &used), Ok(()));
        assert_eq!(
            check_ip("10.96.0.10", &used).unwrap_err(),
            "provided IP is already allocated"
        );
        assert_eq!(
            check_ip("10.96.0.0", &used).unwrap_err(),
            "the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/16"
        );
        assert_eq!(
            check_ip("10.96.255.255", &used).unwrap_err(),
            "the provided IP (10.96.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/16"
        );
        assert_eq!(
            check_ip("192.168.0.5", &used).unwrap_err(),
            "the provided network does not match the current range"
        );
        // Pinned addresses are never handed out.
        let all_but_one: BTreeSet<String> = (0..256u32)
            .map(|i| ip_string(CIDR_BASE + 1 + i))
            .filter(|ip| ip != "10.96.0.10")
            .collect();
        let mut used = all_but_one;
        for i in 256..ip_size() as u32 {
            used.insert(ip_string(CIDR_BASE + 1 + i));
        }
        assert_eq!(next_ip(&used, |_| 0).as_deref(), Some("10.96.0.10"));
    }

    #[test]
    fn requested_ports_are_checked() {
        let used: BTreeSet<i64> = [30080].into();
        assert_eq!(check_port(30081, &used), Ok(()));
        assert_eq!(
            check_port(30080, &used).unwrap_err(),
            "provided port is already allocated"
        );
        assert_eq!(
            check_port(80, &used).unwrap_err(),
            "provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
        assert_eq!(
            check_port(32768, &used).unwrap_err(),
            "provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
    }

    #[test]
    fn allocated_values_survive_an_update_that_leaves_them_out() {
        let old = json!({"spec": {"type": "NodePort", "clusterIP": "10.96.3.4",
            "clusterIPs": ["10.96.3.4"], "ports": [{"port": 80, "nodePort": 30080}]}});
        let mut new = json!({"spec": {"type": "NodePort", "ports": [{"port": 80}, {"name": "b", "port": 81}]}});
        patch_allocated_values(&mut new, &old).unwrap();
        assert_eq!(
            new,
            json!({"spec": {"type": "NodePort", "clusterIP": "10.96.3.4",
                "clusterIPs": ["10.96.3.4"], "ports": [{"port": 80, "nodePort": 30080}, {"name": "b", "port": 81}]}})
        );
        let mut cip = json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80}]}});
        patch_allocated_values(&mut cip, &old).unwrap();
        assert_eq!(cip.ptr("/spec/ports/0/nodePort"), None);
        assert_eq!(cip.ptr("/spec/clusterIP"), Some(&json!("10.96.3.4")));
    }

    #[test]
    fn a_type_change_drops_what_the_new_type_does_not_use() {
        // strategy_test.go TestDropTypeDependentFields, a few of its cases.
        let old = json!({"spec": {"type": "NodePort", "clusterIP": "10.96.3.4",
            "clusterIPs": ["10.96.3.4"], "externalTrafficPolicy": "Cluster",
            "ports": [{"port": 80, "nodePort": 30080}]}});
        let mut to_cip = old.clone();
        to_cip.set("/spec/type", json!("ClusterIP")).unwrap();
        drop_type_dependent_fields(&mut to_cip, &old).unwrap();
        assert_eq!(
            to_cip,
            json!({"spec": {"type": "ClusterIP", "clusterIP": "10.96.3.4",
                "clusterIPs": ["10.96.3.4"], "ports": [{"port": 80}]}})
        );
        // A node port the request changed is kept (and validation will refuse it).
        let mut changed = to_cip.clone();
        changed.set("/spec/ports/0/nodePort", json!(30081)).unwrap();
        drop_type_dependent_fields(&mut changed, &old).unwrap();
        assert_eq!(changed.ptr("/spec/ports/0/nodePort"), Some(&json!(30081)));
        let mut to_en = old.clone();
        to_en.set("/spec/type", json!("ExternalName")).unwrap();
        drop_type_dependent_fields(&mut to_en, &old).unwrap();
        assert_eq!(
            to_en,
            json!({"spec": {"type": "ExternalName", "ports": [{"port": 80}]}})
        );
        // The same type: nothing dropped.
        let mut same = old.clone();
        drop_type_dependent_fields(&mut same, &old).unwrap();
        assert_eq!(same, old);
    }
}
