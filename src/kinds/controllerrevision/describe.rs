//! `kubectl describe controllerrevisions`.

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| crate::print::describe::describe("ControllerRevision", obj, ctx),
};
