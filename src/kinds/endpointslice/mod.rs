//! EndpointSlice (discovery.k8s.io/v1): everything kubesim knows about the kind, in one place.

mod describe;
mod strategy;
mod table;

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::discovery::v1::EndpointSlice;

/// The kind's name as the API spells it; a constant, so a `match` on a change's kind names
/// it by path and a typo does not compile.
pub const NAME: &str = "EndpointSlice";

/// `kubernetes.io/service-name`: the Service a slice belongs to.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// `endpointslice.kubernetes.io/managed-by`: the controller that manages a slice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "discovery.k8s.io",
    version: "v1",
    plural: "endpointslices",
    singular: "endpointslice",
    short_names: &[],
    namespaced: true,
    in_all: false,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    go_zero_fields: None,
    strategy: strategy::STRATEGY,
    decode: super::typed::decode_as::<Object>,
    base64_field: None,
};
