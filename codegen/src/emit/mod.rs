//! Emission: the model to Rust token streams, one file at a time.
//!
//! [`files`] lists every file to generate with what goes in it; [`emit_file`] builds one file's
//! tokens. Each submodule emits one kind of file. Paths are relative to the generated crate's
//! `src/`. Files are independent, so the caller may emit them on several threads; the caller
//! keeps them in a `BTreeMap`, so the output is the same whatever the order of work.

mod client;
mod crate_root;
mod errors;
mod models;
mod operations;
mod service;
mod text;
pub(crate) mod util;
mod waiters;

use proc_macro2::TokenStream;

use crate::model::Model;

/// The folders and files under `src/` that the generator owns: a generated file found there that
/// the spec no longer produces is removed. Anything else (your own modules) is left alone.
pub const OWNED_PATHS: &[&str] = &["models", "errors", "operations", "waiters", "client.rs", "service.rs"];

/// What one generated file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    /// `models/{struct}.rs`, by index into `Model::structs`.
    Struct(usize),
    /// `models/{enum}.rs`, by index into `Model::enums`.
    Enum(usize),
    /// `models/empty_response.rs`: the answer every action whose answer holds only the request
    /// id shares.
    EmptyResponse,
    /// `models/mod.rs`.
    ModelsMod,
    /// `errors/common.rs`.
    CommonErrors,
    /// `errors/general.rs`: the error of actions that list no codes of their own.
    GeneralErrors,
    /// `errors/{action}.rs`, by index into `Model::actions`; only for actions that list codes.
    ActionErrors(usize),
    /// `errors/mod.rs`.
    ErrorsMod,
    /// `operations/{action}.rs`, by index into `Model::actions`.
    Operation(usize),
    /// `operations/mod.rs`.
    OperationsMod,
    /// `waiters/{waiter}.rs`, by index into `Model::waiters`.
    Waiter(usize),
    /// `waiters/mod.rs`.
    WaitersMod,
    /// `client.rs`.
    Client,
    /// `lib.rs`.
    CrateRoot,
    /// `service.rs`.
    Service,
}

/// Every file to generate, with its path under `src/`.
pub fn files(model: &Model) -> Vec<(String, File)> {
    let mut out = Vec::with_capacity(model.structs.len() + 2 * model.actions.len() + 7);
    for (i, s) in model.structs.iter().enumerate() {
        if !model.is_empty_response(crate::model::StructId(i)) {
            out.push((format!("models/{}.rs", s.module), File::Struct(i)));
        }
    }
    for (i, e) in model.enums.iter().enumerate() {
        out.push((format!("models/{}.rs", e.module), File::Enum(i)));
    }
    if model.actions.iter().any(|a| model.is_empty_response(a.response)) {
        out.push(("models/empty_response.rs".to_owned(), File::EmptyResponse));
    }
    out.push(("models/mod.rs".to_owned(), File::ModelsMod));
    out.push(("errors/common.rs".to_owned(), File::CommonErrors));
    out.push(("errors/general.rs".to_owned(), File::GeneralErrors));
    for (i, a) in model.actions.iter().enumerate() {
        if !a.errors.is_empty() {
            out.push((format!("errors/{}.rs", a.module), File::ActionErrors(i)));
        }
        out.push((format!("operations/{}.rs", a.module), File::Operation(i)));
    }
    out.push(("errors/mod.rs".to_owned(), File::ErrorsMod));
    out.push(("operations/mod.rs".to_owned(), File::OperationsMod));
    for (i, w) in model.waiters.iter().enumerate() {
        out.push((format!("waiters/{}.rs", w.module), File::Waiter(i)));
    }
    out.push(("waiters/mod.rs".to_owned(), File::WaitersMod));
    out.push(("client.rs".to_owned(), File::Client));
    out.push(("lib.rs".to_owned(), File::CrateRoot));
    out.push(("service.rs".to_owned(), File::Service));
    out
}

pub use util::DocText;

/// One emitted file: tokens for `prettyplease`, with the doc text their placeholders stand for
/// (see [`DocText`]), or text written directly (macro invocations, which `prettyplease` prints
/// on one line).
pub enum Emitted {
    /// Tokens to format.
    Tokens(TokenStream, DocText),
    /// Finished text, less the header.
    Text(String),
}

/// The content of one file.
pub fn emit_file(model: &Model, file: File) -> Emitted {
    let mut d = DocText::default();
    let tokens = match file {
        File::Struct(i) => return Emitted::Text(models::emit_struct(&model.structs[i])),
        File::Enum(i) => return Emitted::Text(models::emit_enum(&model.enums[i])),
        File::EmptyResponse => return Emitted::Text(models::empty_response()),
        File::ModelsMod => return Emitted::Text(models::mod_file(model)),
        File::CommonErrors => errors::common(model, &mut d),
        File::GeneralErrors => return Emitted::Text(errors::general()),
        File::ActionErrors(i) => return Emitted::Text(errors::action(&model.actions[i])),
        File::ErrorsMod => return Emitted::Text(errors::mod_file(model)),
        File::Operation(i) => operations::operation(model, &model.actions[i], &mut d),
        File::OperationsMod => operations::mod_file(model, &mut d),
        File::Waiter(i) => waiters::waiter(model, &model.waiters[i], &mut d),
        File::WaitersMod => waiters::mod_file(model, &mut d),
        File::Client => client::emit(model, &mut d),
        File::CrateRoot => crate_root::emit(model, &mut d),
        File::Service => service::emit(model, &mut d),
    };
    Emitted::Tokens(tokens, d)
}
