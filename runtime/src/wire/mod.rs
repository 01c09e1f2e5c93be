//! Lean serde support for generated structs.
//!
//! `#[derive(Serialize, Deserialize)]` expands, per struct, to a field enum, visitors and
//! per-field code that is generic over the serializer; for an API of hundreds of structs that is
//! most of the generated crate's `cargo check` time. Instead each generated struct
//! implements [`WireStruct`], whose two methods are not generic:
//!
//! - [`WireStruct::write_fields`] lists the fields to write, each as a type-erased
//!   `&dyn erased_serde::Serialize` (unset optional fields are left out);
//! - [`WireStruct::slot`] hands out the builder field that a wire name fills, as a
//!   `&mut dyn` [`Slot`].
//!
//! The generic `Serialize`/`Deserialize` plumbing is written once here ([`serialize_struct`],
//! [`deserialize_struct`]). Unknown fields are skipped, `null` and missing optional fields become
//! `None`, and a missing required field is an error naming it. Values are read tolerantly
//! ([`Decoding`], in [`value`]): a number sent as a string, or the reverse, is accepted when it
//! converts without loss. [`from_str`] decodes with either [`Decoding`] and names the failing
//! member's path (`Zones[3].Area`) in its error.

mod decode;
pub mod value;

pub(crate) use decode::from_str_located;
pub use decode::{from_str, DecodeError};
pub use value::{Decoding, WireValue};

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};

use crate::validation::ValidationError;
use value::OptionSeed;

/// A generated struct that serializes from a field list and deserializes through its builder.
pub trait WireStruct: Sized {
    /// The builder that collects fields.
    type Builder: Default;
    /// The struct's name, for error messages.
    const NAME: &'static str;

    /// Adds each field to write to `out`, in order, under its wire name.
    fn write_fields<'a>(&'a self, out: &mut Fields<'a>);

    /// The builder field that wire name `key` fills, or `None` when the struct has no such field.
    fn slot<'b>(builder: &'b mut Self::Builder, key: &str) -> Option<&'b mut dyn Slot>;

    /// Builds the struct once every field was read; fails when a required field is missing.
    fn finish(builder: Self::Builder) -> Result<Self, ValidationError>;
}

/// Implements `serde::Serialize`, `serde::Deserialize` and [`WireValue`] for a [`WireStruct`] by
/// delegating to [`serialize_struct`], [`deserialize_struct`] and [`read_struct`].
///
/// Serde's traits are foreign to the generated crate, so each struct needs its own two impls;
/// this writes them in one line of generated code instead of twenty.
///
/// ```
/// # use tencentcloud_runtime::wire::{Fields, Slot, WireStruct};
/// # use tencentcloud_runtime::ValidationError;
/// #[derive(Debug, Default, PartialEq)]
/// struct Ping {
///     zone: Option<String>,
/// }
///
/// impl WireStruct for Ping {
///     type Builder = Ping;
///     const NAME: &'static str = "Ping";
///     fn write_fields<'a>(&'a self, out: &mut Fields<'a>) {
///         out.optional("Zone", &self.zone);
///     }
///     fn slot<'b>(builder: &'b mut Ping, key: &str) -> Option<&'b mut dyn Slot> {
///         match key {
///             "Zone" => Some(&mut builder.zone),
///             _ => None,
///         }
///     }
///     fn finish(builder: Ping) -> Result<Ping, ValidationError> {
///         Ok(builder)
///     }
/// }
///
/// tencentcloud_runtime::wire_serde!(Ping);
///
/// let ping: Ping = serde_json::from_str(r#"{"Zone": "zone-1"}"#).unwrap();
/// assert_eq!(serde_json::to_string(&ping).unwrap(), r#"{"Zone":"zone-1"}"#);
/// ```
#[macro_export]
macro_rules! wire_serde {
    ($ty:ident) => {
        impl $crate::wire::__serde::Serialize for $ty {
            fn serialize<S: $crate::wire::__serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $crate::wire::serialize_struct(self, serializer)
            }
        }

        impl<'de> $crate::wire::__serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::wire::__serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::wire::deserialize_struct(deserializer)
            }
        }

        impl $crate::wire::WireValue for $ty {
            fn read<'de, D: $crate::wire::__serde::Deserializer<'de>>(
                deserializer: D,
                decoding: $crate::wire::Decoding,
            ) -> Result<Self, D::Error> {
                $crate::wire::read_struct(deserializer, decoding)
            }
        }
    };
}

/// The `serde` this crate implements against, for [`wire_serde!`].
#[doc(hidden)]
pub use serde as __serde;

/// The fields of one struct to serialize, by wire name, in order.
pub struct Fields<'a> {
    entries: Vec<(&'static str, &'a dyn erased_serde::Serialize)>,
}

impl<'a> Fields<'a> {
    /// Adds a field that is always written.
    pub fn required<T: serde::Serialize>(&mut self, name: &'static str, value: &'a T) {
        self.entries.push((name, value));
    }

    /// Adds a field that is written only when set: unset fields are left out, never sent as
    /// `null`.
    pub fn optional<T: serde::Serialize>(&mut self, name: &'static str, value: &'a Option<T>) {
        if let Some(value) = value {
            self.entries.push((name, value));
        }
    }
}

/// Serializes a [`WireStruct`] as a map (a JSON object) of its fields.
pub fn serialize_struct<T: WireStruct, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut fields = Fields { entries: Vec::new() };
    value.write_fields(&mut fields);
    let mut map = serializer.serialize_map(Some(fields.entries.len()))?;
    for (name, value) in fields.entries {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// A builder field that one wire value fills: `Option<T>` for any [`WireValue`] `T`, where
/// `null` reads as `None`.
pub trait Slot {
    /// Reads the value from `deserializer` into this field.
    fn fill(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'_>,
        decoding: Decoding,
    ) -> Result<(), erased_serde::Error>;
}

impl<T: WireValue> Slot for Option<T> {
    fn fill(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'_>,
        decoding: Decoding,
    ) -> Result<(), erased_serde::Error> {
        *self = OptionSeed::<T>(decoding, PhantomData).deserialize(deserializer)?;
        Ok(())
    }
}

/// Deserializes a [`WireStruct`] from a map (a JSON object), reading values tolerantly.
pub fn deserialize_struct<'de, D: Deserializer<'de>, T: WireStruct>(deserializer: D) -> Result<T, D::Error> {
    read_struct(deserializer, Decoding::Tolerant)
}

/// Deserializes a [`WireStruct`] from a map (a JSON object), reading values with `decoding`.
pub fn read_struct<'de, D: Deserializer<'de>, T: WireStruct>(
    deserializer: D,
    decoding: Decoding,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor::<T>(decoding, PhantomData))
}

struct StructVisitor<T>(Decoding, PhantomData<T>);

impl<'de, T: WireStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut builder = T::Builder::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match T::slot(&mut builder, &key.0) {
                Some(slot) => map.next_value_seed(SlotSeed(slot, self.0))?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        T::finish(builder).map_err(|e| {
            let missing: Vec<&str> = e.violations.iter().map(|v| v.member.as_str()).collect();
            de::Error::custom(format_args!("{}: missing field {}", T::NAME, missing.join(", ")))
        })
    }
}

/// Reads one value into a [`Slot`], through an erased deserializer.
struct SlotSeed<'b>(&'b mut dyn Slot, Decoding);

impl<'de> DeserializeSeed<'de> for SlotSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.fill(&mut erased, self.1).map_err(de::Error::custom)
    }
}

/// A field name, borrowed from the input when possible.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Checker;

    #[derive(Debug, PartialEq)]
    struct Zone {
        id: String,
        name: Option<String>,
        ports: Option<Vec<u64>>,
    }

    #[derive(Default)]
    struct ZoneBuilder {
        id: Option<String>,
        name: Option<String>,
        ports: Option<Vec<u64>>,
    }

    impl WireStruct for Zone {
        type Builder = ZoneBuilder;
        const NAME: &'static str = "Zone";

        fn write_fields<'a>(&'a self, out: &mut Fields<'a>) {
            out.required("Id", &self.id);
            out.optional("Name", &self.name);
            out.optional("Ports", &self.ports);
        }

        fn slot<'b>(b: &'b mut ZoneBuilder, key: &str) -> Option<&'b mut dyn Slot> {
            let slot: &mut dyn Slot = match key {
                "Id" => &mut b.id,
                "Name" => &mut b.name,
                "Ports" => &mut b.ports,
                _ => return None,
            };
            Some(slot)
        }

        fn finish(b: ZoneBuilder) -> Result<Self, ValidationError> {
            match b.id {
                Some(id) => Ok(Zone {
                    id,
                    name: b.name,
                    ports: b.ports,
                }),
                None => {
                    let mut c = Checker::default();
                    c.required("Id", false);
                    Err(c.into_error("Zone"))
                }
            }
        }
    }

    impl<'de> de::Deserialize<'de> for Zone {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_struct(d)
        }
    }

    impl WireValue for Zone {
        fn read<'de, D: Deserializer<'de>>(d: D, decoding: Decoding) -> Result<Self, D::Error> {
            read_struct(d, decoding)
        }
    }

    impl serde::Serialize for Zone {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_struct(self, s)
        }
    }

    #[test]
    fn skips_unknown_fields_and_accepts_null_or_missing_optionals() {
        let z: Zone =
            serde_json::from_str(r#"{"Extra": {"a": [1, 2]}, "Id": "zone-1", "Name": null, "Ports": [443]}"#).unwrap();
        assert_eq!(
            z,
            Zone {
                id: "zone-1".into(),
                name: None,
                ports: Some(vec![443]),
            }
        );
        let z: Zone = serde_json::from_str(r#"{"Id": "zone-\u0031"}"#).unwrap();
        assert_eq!(z.id, "zone-1");
        assert_eq!(z.ports, None);
    }

    #[test]
    fn names_a_missing_required_field() {
        let err = serde_json::from_str::<Zone>(r#"{"Name": "n"}"#).unwrap_err();
        assert_eq!(err.to_string(), "Zone: missing field Id at line 1 column 13");
    }

    #[test]
    fn reads_lossless_conversions_and_names_the_path_of_a_lossy_one() {
        let z: Zone = serde_json::from_str(r#"{"Id": 5, "Ports": ["443", 80.0]}"#).unwrap();
        assert_eq!(z.id, "5");
        assert_eq!(z.ports, Some(vec![443, 80]));
        let err = from_str::<Zone>(r#"{"Id": "z", "Ports": [80, 1.5]}"#, Decoding::Tolerant).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Ports[1]: invalid value: floating point `1.5`, expected a non-negative integer (or a string holding one) at line 1 column 29"
        );
        assert_eq!(err.path, "Ports[1]");
    }

    #[test]
    fn strict_decoding_reaches_nested_values() {
        let err = from_str::<Zone>(r#"{"Id": "z", "Ports": ["443"]}"#, Decoding::Strict).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Ports[0]: invalid type: string \"443\", expected u64 at line 1 column 27"
        );
        let err = from_str::<Zone>(r#"{"Id": 5}"#, Decoding::Strict).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Id: invalid type: integer `5`, expected a string at line 1 column 8"
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_has_no_path() {
        let err = from_str::<Zone>("[1]", Decoding::Tolerant).unwrap_err();
        assert_eq!(err.path, "");
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected a Zone object at line 1 column 0"
        );
        let err = from_str::<Zone>(r#"{"Id": "z"} x"#, Decoding::Tolerant).unwrap_err();
        assert_eq!(err.to_string(), "trailing characters at line 1 column 13");
    }

    #[test]
    fn writes_set_fields_in_order_and_leaves_unset_ones_out() {
        let z = Zone {
            id: "zone-1".into(),
            name: None,
            ports: Some(vec![80, 443]),
        };
        assert_eq!(
            serde_json::to_string(&z).unwrap(),
            r#"{"Id":"zone-1","Ports":[80,443]}"#
        );
        let back: Zone = serde_json::from_str(&serde_json::to_string(&z).unwrap()).unwrap();
        assert_eq!(back, z);
    }
}
