//! Workspace-level tests: the data-driven protocol compliance harness.
//!
//! - [`convert`] turns botocore's compliance suites (vendored in
//!   `tests/protocol/`) into service models and drives the generator to emit
//!   one module per suite ([`generate_protocol_modules`], called by
//!   `cargo xtask codegen`).
//! - [`compare`] holds the comparison rules for requests and bodies.
//! - [`runner`] runs every case against the generated modules (the
//!   `protocol_compliance` test target) and reports.
//! - [`endpoints`] runs botocore's endpoint rule-set cases (the
//!   `endpoint_rules` test target for the vendored services, `cargo xtask
//!   scale` for all).

pub mod compare;
pub mod convert;
pub mod endpoints;
pub mod generate;
pub mod runner;

pub use convert::Direction;
pub use generate::generate_protocol_modules;
pub use runner::Suite;
