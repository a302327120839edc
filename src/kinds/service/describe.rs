//! `kubectl describe services`.

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| crate::print::describe::describe("Service", obj, ctx),
};
