//! `kubectl describe` for ClusterRoleBinding: describe.go's `ClusterRoleBindingDescriber`,
//! the RoleBinding's body.

use crate::kinds::Describer;
use crate::kinds::common::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, _ctx| tabbed(|w| crate::kinds::rolebinding::describe::describe_binding(w, obj)),
    related: no_related,
    events_by_name: false,
};
