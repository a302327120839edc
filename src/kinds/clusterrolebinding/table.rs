//! `kubectl get clusterrolebindings`: printers.go's `clusterRoleBindingColumnDefinitions`,
//! the RoleBinding's.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: crate::kinds::rolebinding::table::COLUMNS,
    row: crate::kinds::rolebinding::table::row,
    name_column: 0,
};
