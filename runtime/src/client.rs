//! The HTTP client generated clients delegate to.
//!
//! PLACEHOLDER being replaced by the client work (see ARCHITECTURE.md): only
//! the signatures here are the contract generated code relies on.

use crate::error::SdkError;
use crate::operation::OperationError;
use crate::schema::{Operation, Service};
use crate::value::Struct;

/// Client settings: region, endpoint, credentials, protocol, retries, timeouts.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// A client for one service; cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    service: &'static Service,
    config: Config,
}

impl Client {
    pub fn new(service: &'static Service, config: Config) -> Client {
        Client { service, config }
    }

    /// Calls `op` with `input` and parses the response into `O` or the error into `E`.
    pub async fn call<O, E>(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
    ) -> Result<O, E>
    where
        O: Struct + Default + Send,
        E: OperationError + Send,
    {
        let _ = (input, &self.config, self.service);
        Err(E::sdk(SdkError::Unsupported(format!(
            "{} is not implemented yet",
            op.name
        ))))
    }
}
