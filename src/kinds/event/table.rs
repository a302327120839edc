//! `kubectl get events`: the columns and the function that fills them.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: || crate::print::columns::columns("Event"),
    row: |obj, now, wide| crate::print::columns::row_for("Event", obj, now, wide),
    name_column: 9,
};
