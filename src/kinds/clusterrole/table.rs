//! `kubectl get clusterroles`: printers.go's `roleColumnDefinitions` and `printClusterRole`,
//! the Role's.

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("CREATED AT")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row: crate::kinds::role::table_row,
    name_column: 0,
};
