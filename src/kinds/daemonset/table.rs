//! `kubectl get daemonsets`: the columns and the function that fills them.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: || crate::print::columns::columns("DaemonSet"),
    row: |obj, now, wide| crate::print::columns::row_for("DaemonSet", obj, now, wide),
    name_column: 0,
};
