//! The controllers of kube-controller-manager, each a client of the API.
//!
//! A controller has an event handler ([`Controller::on_change`]) that maps a watch event to
//! the keys it must look at, and a level-triggered [`Controller::sync`] that reads the world
//! through the API, decides, and writes through the API. The engine (`crate::engine`) owns the
//! queues, the timers and the order in which controllers run.

pub mod cronjob;
pub mod cronjobs;
pub mod daemonset;
pub mod deployment;
pub mod deployments;
pub mod endpoints;
pub mod endpointslice;
pub mod endpointutil;
pub mod garbagecollector;
pub mod history;
pub mod job;
pub mod jobs;
pub mod local_path;
pub mod namespace;
pub mod nodelifecycle;
pub mod podautoscaler;
pub mod podgc;
pub mod podutil;
pub mod replicaset;
pub mod replication;
pub mod resourcequota;
pub mod serviceaccount;
pub mod statefulset;
pub mod ttlafterfinished;
pub mod volume_expand;
pub mod volume_protection;
pub mod volumes;

/// The trait and the key helpers live in the engine, which drives every loop.
pub use crate::engine::{Controller, key_of, split_key};

/// Every controller of kube-controller-manager, in the order they run within a tick (the
/// scheduler and the kubelets follow them: `cli::cluster` assembles the whole list).
pub fn all() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(namespace::NamespaceController),
        Box::new(serviceaccount::ServiceAccountController),
        Box::new(serviceaccount::RootCaPublisher),
        Box::new(resourcequota::ResourceQuotaController),
        Box::new(deployments::DeploymentController),
        Box::new(replication::ReplicaSetController::new(
            replicaset::RsKind::ReplicationController,
        )),
        Box::new(replication::ReplicaSetController::new(
            replicaset::RsKind::ReplicaSet,
        )),
        Box::new(statefulset::StatefulSetController::default()),
        Box::new(daemonset::DaemonSetController::default()),
        Box::new(cronjobs::CronJobController),
        Box::new(jobs::JobController),
        Box::new(ttlafterfinished::TtlAfterFinishedController),
        Box::new(podautoscaler::HorizontalController),
        Box::new(garbagecollector::GarbageCollector),
        Box::new(nodelifecycle::NodeLifecycleController),
        Box::new(nodelifecycle::TaintEvictionController::default()),
        Box::new(podgc::PodGcController),
        Box::new(endpoints::EndpointsController),
        Box::new(endpointslice::EndpointSliceController),
        Box::new(volumes::PersistentVolumeController),
        Box::new(volume_protection::PvcProtectionController),
        Box::new(volume_protection::PvProtectionController),
        Box::new(volume_expand::ExpandController),
        // Not kube-controller-manager's: kind's external provisioner (see local_path.rs).
        Box::new(local_path::LocalPathProvisioner),
    ]
}

#[cfg(test)]
mod glue_tests;
