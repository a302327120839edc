//! Taints and tolerations as the API types define them (`k8s.io/api/core/v1/toleration.go`),
//! shared by the scheduler, the kubelet's admission and the node lifecycle controller.

use k8s_openapi::api::core::v1::{Taint, Toleration};

/// `Toleration.ToleratesTaint`: effect and key must match (empty means any), operator `Exists`
/// matches any value, `Equal` (or empty) needs equal values.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: Some(value.into()),
            effect: effect.into(),
            ..Default::default()
        }
    }

    fn tol(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: Some(key.into()),
            operator: Some(op.into()),
            value: Some(value.into()),
            effect: Some(effect.into()),
            ..Default::default()
        }
    }

    #[test]
    fn tolerates_taint() {
        let t = taint("k", "v", "NoExecute");
        assert!(toleration_tolerates(
            &tol("k", "Equal", "v", "NoExecute"),
            &t
        ));
        assert!(toleration_tolerates(&tol("k", "", "v", ""), &t));
        assert!(toleration_tolerates(&tol("", "Exists", "", ""), &t));
        assert!(!toleration_tolerates(&tol("k", "Equal", "w", ""), &t));
        assert!(!toleration_tolerates(
            &tol("k", "Exists", "", "NoSchedule"),
            &t
        ));
        assert!(!toleration_tolerates(&tol("other", "Exists", "", ""), &t));
        assert!(!toleration_tolerates(&tol("k", "Gt", "v", ""), &t));
    }
}
