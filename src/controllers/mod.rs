//! The controllers of kube-controller-manager, each a client of the API.
//!
//! A controller has an event handler ([`Controller::on_change`]) that maps a watch event to
//! the keys it must look at, and a level-triggered [`Controller::sync`] that reads the world
//! through the API, decides, and writes through the API. The engine (`crate::engine`) owns the
//! queues, the timers and the order in which controllers run.

pub mod deployment;
pub mod deployments;
pub mod garbagecollector;
pub mod namespace;
pub mod nodelifecycle;
pub mod podgc;
pub mod podutil;
pub mod replicaset;
pub mod replication;
pub mod serviceaccount;
pub mod statefulset;

use crate::api::errors::ApiError;
use crate::api::{Api, Change};
use crate::engine::SyncResult;

/// One control loop.
pub trait Controller {
    /// The name kube-controller-manager gives it (`replicaset-controller`); events and the
    /// step trace are attributed to it.
    fn name(&self) -> &'static str;
    /// Adds the keys (usually `namespace/name`) this change concerns.
    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>);
    /// Brings the object behind `key` to its desired state.
    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError>;
}

/// Every controller, in the order they run within a tick.
pub fn all() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(namespace::NamespaceController),
        Box::new(serviceaccount::ServiceAccountController),
        Box::new(serviceaccount::RootCaPublisher),
        Box::new(deployments::DeploymentController),
        Box::new(replication::ReplicaSetController::new(
            replicaset::RsKind::ReplicationController,
        )),
        Box::new(replication::ReplicaSetController::new(
            replicaset::RsKind::ReplicaSet,
        )),
        Box::new(statefulset::StatefulSetController),
        Box::new(garbagecollector::GarbageCollector),
        Box::new(nodelifecycle::NodeLifecycleController),
        Box::new(nodelifecycle::TaintEvictionController::default()),
        Box::new(podgc::PodGcController),
        Box::new(crate::sim::schedule_loop::Scheduler::default()),
        Box::new(crate::sim::kubelet_loop::Kubelets::default()),
    ]
}

/// Splits a `namespace/name` key.
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or(("", key))
}

/// `namespace/name` of an object.
pub fn key_of(obj: &serde_json::Value) -> String {
    format!(
        "{}/{}",
        crate::api::namespace_of(obj),
        crate::api::name_of(obj)
    )
}

#[cfg(test)]
mod glue_tests;
