//! The glue between generated error enums and the runtime.

use crate::error::{ErrorShape, SdkError, UnmodeledError};

/// Implemented by each generated `<Operation>Error` enum: one variant per
/// error the operation lists (in the order of `Operation::errors`), then
/// `Unlisted` (an error shape of the service the operation does not list,
/// as the crate-level [`ServiceError`] enum), `Unmodeled` and `Sdk`.
pub trait OperationError: Sized {
    /// A blank value of the listed error at `index` in `Operation::errors`.
    fn modeled(index: usize) -> Option<Self>;
    /// A blank value of the service's error at `index` in `Service::errors`,
    /// held as an unlisted error.
    fn unlisted(index: usize) -> Option<Self>;
    /// The modeled error's fields and metadata, for the parser to fill.
    fn modeled_mut(&mut self) -> Option<&mut dyn ErrorShape>;
    /// The call failed before a service error could be read.
    fn sdk(error: SdkError) -> Self;
    /// An error whose code names no error shape of the service.
    fn unmodeled(error: UnmodeledError) -> Self;
}

/// Implemented by each generated crate's `Error` enum: one variant per
/// error shape of the service (in the order of `Service::errors`), then
/// `Unmodeled` and `Sdk`. Every operation error converts into it.
pub trait ServiceError: Sized {
    /// A blank value of the service's error at `index` in `Service::errors`.
    fn modeled(index: usize) -> Option<Self>;
    /// The modeled error's fields and metadata, for the parser to fill.
    fn modeled_mut(&mut self) -> Option<&mut dyn ErrorShape>;
}
