//! The simulated node side of the cluster: the scheduler and the kubelet.
