//! What the examples share: the choice between the real service and the local stand-in, and the
//! error type their `main` returns.

#![allow(dead_code)]

use std::fmt;

use generated_client::credentials::{ENV_SECRET_ID, ENV_SECRET_KEY};
use generated_client::{Client, Credentials};
use teo_stand_in::StandIn;

/// Whether credentials are in the environment, so the example should call the real service.
pub fn have_credentials() -> bool {
    std::env::var_os(ENV_SECRET_ID).is_some() || std::env::var_os(ENV_SECRET_KEY).is_some()
}

/// A client for `stand_in`, with the credentials it accepts.
pub fn stand_in_client(stand_in: &StandIn) -> Result<Client, Failure> {
    println!(
        "{ENV_SECRET_ID} / {ENV_SECRET_KEY} are not set: using the local TEO stand-in at {}.",
        stand_in.endpoint()
    );
    Ok(Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .build()?)
}

/// The value of a required environment variable when running against the service.
pub fn required_var(name: &str, what: &str) -> Result<String, Failure> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        _ => Err(Failure(format!(
            "{name} is not set. With {ENV_SECRET_ID} / {ENV_SECRET_KEY} set, this example calls the real TEO \
             service and needs {name}: {what}. Unset the credentials to run against the local stand-in."
        ))),
    }
}

/// Why an example stopped. `Debug` prints the plain message, which is what `main` shows when it
/// returns an error.
pub struct Failure(pub String);

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.to_string())
    }
}
