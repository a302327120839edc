//! `kubectl get pods`: the columns and the function that fills them.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: || crate::print::columns::columns("Pod"),
    row: |obj, now, wide| crate::print::columns::row_for("Pod", obj, now, wide),
    name_column: 0,
};
