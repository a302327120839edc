//! What several kinds share: table helpers and describer sections that know kinds (workload
//! templates, containers, volumes, events), the [`lookup::Lookup`] trait describers read
//! related objects through, the client-side printing quirks ([`client`]), and the tests that walk every kind's table and describer.

pub mod client;
pub mod describe;
pub mod lookup;
pub mod table;
