//! The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job (a
//! `Complete` or `Failed` condition that is True) with `spec.ttlSecondsAfterFinished` is
//! deleted, with Foreground propagation, once that many seconds have passed since the
//! condition's `lastTransitionTime`. It records no events.

use super::{Controller, split_key};
use crate::api::errors::ApiError;
use crate::api::{Api, Change, DeleteOptions, Op, Propagation, Ptr, name_of, namespace_of};
use crate::engine::SyncResult;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

pub struct TtlAfterFinishedController;

const COMPONENT: &str = "ttl-after-finished-controller";

/// When a finished Job expires (`timeLeft`'s `expireAt`): `None` when the Job has no TTL,
/// is being deleted or has not finished.
pub fn expire_at(job: &Value) -> Option<Timestamp> {
    if job.ptr("/metadata/deletionTimestamp").is_some() {
        return None;
    }
    let ttl = job.ptr("/spec/ttlSecondsAfterFinished")?.as_i64()?;
    let finished = job
        .ptr("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| {
            matches!(
                c.get("type").and_then(Value::as_str),
                Some("Complete" | "Failed")
            ) && c.get("status").and_then(Value::as_str) == Some("True")
        })?;
    let at: Timestamp = finished.get("lastTransitionTime")?.as_str()?.parse().ok()?;
    Some(at + SignedDuration::from_secs(ttl))
}

impl Controller for TtlAfterFinishedController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        if change.info == &crate::kinds::job::KIND
            && change.op != Op::Deleted
            && expire_at(&change.object).is_some()
        {
            keys.push(format!(
                "{}/{}",
                namespace_of(&change.object),
                name_of(&change.object)
            ));
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let info = &crate::kinds::job::KIND;
        let Some(expire) = api.try_get_ref(info, ns, name)?.and_then(expire_at) else {
            return Ok(SyncResult::default());
        };
        let now = api.now();
        if expire > now {
            // Patient: settling does not wait for a TTL to run out.
            return Ok(SyncResult {
                requeue_after: vec![(now.duration_until(expire), false)],
                ..Default::default()
            });
        }
        api.delete_if_present(
            info,
            ns,
            name,
            DeleteOptions {
                propagation: Some(Propagation::Foreground),
                grace_period: None,
            },
        )?;
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fields::Fields;
    use serde_json::json;

    fn job(ttl: Option<i64>, cond: Option<&str>) -> Value {
        let mut j = json!({"metadata": {"name": "j"}, "spec": {}, "status": {}});
        if let Some(t) = ttl {
            j.set("/spec/ttlSecondsAfterFinished", json!(t)).unwrap();
        }
        if let Some(c) = cond {
            j.set(
                "/status/conditions",
                json!([{"type": c, "status": "True",
                "lastTransitionTime": "2025-06-01T12:00:00Z"}]),
            )
            .unwrap();
        }
        j
    }

    #[test]
    fn time_left_follows_upstream() {
        // TestTimeLeft: not finished / no TTL → nothing to clean up.
        assert_eq!(expire_at(&job(Some(100), None)), None);
        assert_eq!(expire_at(&job(None, Some("Complete"))), None);
        let at: Timestamp = "2025-06-01T12:00:00Z".parse().unwrap();
        // ttl 0 → expires at once; ttl 10 → 10 s later.
        assert_eq!(expire_at(&job(Some(0), Some("Complete"))), Some(at));
        assert_eq!(
            expire_at(&job(Some(10), Some("Failed"))),
            Some(at + SignedDuration::from_secs(10))
        );
        // SuccessCriteriaMet alone is not finished.
        assert_eq!(expire_at(&job(Some(10), Some("SuccessCriteriaMet"))), None);
        let mut deleting = job(Some(0), Some("Complete"));
        deleting
            .set("/metadata/deletionTimestamp", json!("2025-06-01T12:00:01Z"))
            .unwrap();
        assert_eq!(expire_at(&deleting), None);
    }
}
