//! kubesim: `kubectl` plus a whole Kubernetes control plane in one process, over a local state
//! directory and a virtual clock.
//!
//! A tour, from the user inwards:
//! - [`cli`]: one module per verb; parses kubectl's flags, calls the API, prints.
//! - [`print`]: kubectl's output formats (tables through a Go-tabwriter clone, YAML with go-yaml's
//!   quoting, JSON, name, JSONPath, custom columns, describe).
//! - [`api`]: the in-process API server: kinds, strict decoding, defaulting, validation,
//!   admission, metadata, deletion, events. The only door to the state.
//! - [`store`]: the state directory (atomic commits, locking).
//! - [`engine`]: virtual clock, work queues, timers, the `Controller` trait; runs the loops it is
//!   handed (`cli::cluster` assembles them) to convergence.
//! - [`controllers`]: kube-controller-manager's loops, each a client of the API.
//! - [`sim`]: the scheduler and the simulated kubelet.
//! - [`util`]: the pure helpers under everything (Quantity, selectors, image references, `Ptr`).
//!
//! The layers point one way (bottom to top: util; store, print; kinds; api; engine;
//! controllers, sim; cli), as ARCHITECTURE.md draws them; `tests/architecture.rs` fails on an
//! import that runs upward.

pub mod api;
pub mod cli;
pub mod controllers;
pub mod engine;
pub mod kinds;
pub mod print;
pub mod sim;
pub mod store;
pub mod util;
