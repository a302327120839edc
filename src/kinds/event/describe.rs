//! `kubectl describe events`.

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| crate::print::describe::describe("Event", obj, ctx),
};
