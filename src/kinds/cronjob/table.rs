//! `kubectl get cronjobs`: the columns and the function that fills them.

use crate::kinds::Table;

pub(super) const TABLE: Table = Table {
    columns: || crate::print::columns::columns("CronJob"),
    row: |obj, now, wide| crate::print::columns::row_for("CronJob", obj, now, wide),
    name_column: 0,
};
