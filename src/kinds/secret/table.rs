//! `kubectl get secrets`: the columns and the function that fills them.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: || crate::print::columns::columns("Secret"),
    row: |obj, now, wide| crate::print::columns::row_for("Secret", obj, now, wide),
    name_column: 0,
};
