//! Tolerations against taints (`k8s.io/api/core/v1`'s `Toleration.ToleratesTaint`), shared by
//! the scheduler's TaintToleration plugin, the kubelet's admission and the taint eviction
//! controller.

use k8s_openapi::api::core::v1::{Taint, Toleration};

/// `Toleration.ToleratesTaint`: effect and key must match (empty means any), operator `Exists`
/// matches any value, `Equal` (or empty) needs equal values.
#[inline]
pub fn toleration_tolerates(t: &Toleration, taint: &Taint) -> bool {
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty())
        && e != taint.effect
    {
        return false;
    }
    if let Some(k) = t.key.as_deref().filter(|k| !k.is_empty())
        && k != taint.key
    {
        return false;
    }
    match t.operator.as_deref().unwrap_or("") {
        "" | "Equal" => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        "Exists" => true,
        _ => false,
    }
}

/// Whether any of `tolerations` tolerates the taint.
#[inline]
pub fn tolerated(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| toleration_tolerates(t, taint))
}
