//! The simulated node side of the cluster: the scheduler and the kubelet, each a pure decision
//! module plus a loop that talks to the API.

pub mod kubelet;
pub mod scheduler;
