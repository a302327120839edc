//! `kubectl describe` for Ingress: describe.go's `describeIngressV1` looks up each backend's
//! Endpoints; kubesim prints the generic describer's fields for now.

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = crate::kinds::common::describe::generic::GENERIC;
