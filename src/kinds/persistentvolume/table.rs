//! `kubectl get persistentvolumes`: the columns and the function that fills them.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: || crate::print::columns::columns("PersistentVolume"),
    row: |obj, now, wide| crate::print::columns::row_for("PersistentVolume", obj, now, wide),
    name_column: 0,
};
