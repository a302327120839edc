//! `kubectl describe` for Lease: describe.go has no describer for the kind, so kubectl uses its
//! generic one (every field of the object, recursively).

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = crate::kinds::common::describe::generic::GENERIC;
