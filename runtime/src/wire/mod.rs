//! How generated types meet JSON.
//!
//! A body is parsed once into a [`Value`]; each generated struct then reads its members out of
//! that value, and writes them into one, with two plain functions of [`WireValue`] that the
//! [`model!`](crate::model) macro writes for it. Neither function is generic, and the member
//! conversions are shared by every struct (one `String` reader for the whole crate, not one per
//! struct), so a client of hundreds of structs compiles little code for its wire format: no serde
//! visitor is instantiated per type.
//!
//! Reading is tolerant by default ([`Decoding`], in [`scalars`]): a number sent as a string, or
//! the reverse, is accepted when it converts without loss; unknown members are skipped; `null`
//! and a missing optional member are `None`; a missing required member is an error naming it.
//! Every error names the member's path from the top of the value (`Zones[3].Area`).
//!
//! ```
//! use tencentcloud_runtime::wire::{self, Decoding};
//!
//! assert_eq!(wire::from_str::<Vec<u64>>(r#"[1, "2"]"#, Decoding::Tolerant), Ok(vec![1, 2]));
//! let err = wire::from_str::<Vec<u64>>(r#"[1, "2"]"#, Decoding::Strict).unwrap_err();
//! assert_eq!(err.to_string(), r#"[1]: invalid type: string "2", expected a non-negative integer"#);
//! ```

mod read;
pub mod scalars;
mod write;

pub use read::{from_str, from_value, DecodeError, ObjectReader, Reader};
pub use serde_json::Value;
pub use write::{to_value, to_vec, ObjectWriter};

/// How wire values are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decoding {
    /// Accept values that convert to the member's type without loss (see [`scalars`]). What
    /// every client call uses.
    #[default]
    Tolerant,
    /// Accept only the JSON type the spec gives each member: for tests that check that a body
    /// (a stand-in's, a fixture's) follows the spec exactly.
    Strict,
}

/// A type a generated struct's member can hold: written to a JSON [`Value`] and read back from
/// one.
///
/// Implemented for the scalars, [`DateTime`](crate::DateTime), [`Date`](crate::Date),
/// `Sensitive<String>`, `Vec<T>`, `Box<T>`, and (by [`model!`](crate::model)) every generated
/// struct.
pub trait WireValue: Sized {
    /// The value as JSON.
    fn to_wire(&self) -> Value;

    /// Reads a value, or records in `reader` why it cannot (and returns `None`).
    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self>;
}

/// Implements `serde::Serialize` and `serde::Deserialize` through [`WireValue`], for generated
/// crates' optional `serde` feature: `serialize` writes [`WireValue::to_wire`], `deserialize`
/// reads tolerantly.
pub fn serialize<T: WireValue, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&value.to_wire(), serializer)
}

/// The `Deserialize` half of [`serialize`].
pub fn deserialize<'de, T: WireValue, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    from_value(value, Decoding::Tolerant).map_err(serde::de::Error::custom)
}

/// The `serde` generated crates' `serde` feature implements against.
#[doc(hidden)]
pub use serde as __serde;
