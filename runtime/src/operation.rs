//! The glue between a generated operation error enum and the runtime.

use crate::error::UnmodeledError;
use crate::value::Struct;

/// Implemented by each generated `<Operation>Error` enum: one variant per
/// modeled error (in the order of `Operation::errors`) plus `Unmodeled`.
pub trait OperationError: Sized {
    /// A default value of the modeled error at `index` in `Operation::errors`.
    fn modeled(index: usize) -> Option<Self>;
    /// The modeled error's fields, for the parser to fill.
    fn modeled_mut(&mut self) -> Option<&mut dyn Struct>;
    /// The call failed before a service error could be read.
    fn sdk(error: crate::error::SdkError) -> Self;
    /// An error the model does not describe.
    fn unmodeled(error: UnmodeledError) -> Self;
}
