//! Emission: the model to Rust token streams, one file each, collected in path order.
//!
//! Each submodule emits one kind of file. Paths are relative to the generated crate's `src/`.
//! A `BTreeMap` keeps the file order, and so the output, deterministic.

mod client;
mod errors;
mod models;
mod operations;
mod service;
mod util;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::model::Model;

/// Emits every generated file as tokens, keyed by path under `src/`.
pub fn emit(model: &Model) -> BTreeMap<String, TokenStream> {
    let mut files = BTreeMap::new();
    models::emit(model, &mut files);
    errors::emit(model, &mut files);
    operations::emit(model, &mut files);
    files.insert("client.rs".to_owned(), client::emit(model));
    files.insert("service.rs".to_owned(), service::emit(model));
    files
}
