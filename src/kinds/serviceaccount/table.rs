//! `kubectl get serviceaccounts`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("SECRETS"), n("AGE")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(obj),
        list(obj, &["secrets"]).len().to_string(),
        creation_age(obj, now),
    ]
}
