//! `kubectl describe secrets`.

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| crate::print::describe::describe("Secret", obj, ctx),
};
