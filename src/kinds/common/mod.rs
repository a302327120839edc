//! What several kinds share: table helpers that know kinds (workload templates, storage
//! classes) and the tests that walk every kind's table.

pub mod table;
