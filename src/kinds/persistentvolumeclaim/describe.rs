//! `kubectl describe persistentvolumeclaims`.

use crate::kinds::Describer;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| crate::print::describe::describe("PersistentVolumeClaim", obj, ctx),
};
