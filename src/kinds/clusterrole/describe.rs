//! `kubectl describe` for ClusterRole: describe.go's `ClusterRoleDescriber`, whose body is the
//! RoleDescriber's.

use crate::kinds::Describer;
use crate::kinds::common::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| crate::kinds::role::describe::describe_role(w, obj)),
    related: no_related,
    events_by_name: false,
};
