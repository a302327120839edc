//! kubectl's output formats.

pub mod age;
pub mod cells;
pub mod custom_columns;
pub mod describe;
pub mod jsonpath;
pub mod output;
pub mod tabwriter;
pub mod yaml;
