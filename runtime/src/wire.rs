//! Lean serde support for generated structs.
//!
//! `#[derive(Deserialize)]` expands to a field enum, a visitor with `visit_map` and `visit_seq`,
//! and per-field bookkeeping: for the whole TEO API (896 structs) that is most of the generated
//! crate's compile time. Instead, each generated struct implements [`WireStruct`]: one `match`
//! that stores a field into the struct's builder, and the builder's own `build()`. The map
//! visitor is written once here. Unknown fields are skipped, `null` and missing optional fields
//! become `None`, and a missing required field is an error naming it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::validation::ValidationError;

/// A generated struct that deserializes through its builder.
pub trait WireStruct: Sized {
    /// The builder that collects fields.
    type Builder: Default;
    /// The struct's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of field `key` from `map` into `builder`. Returns `false` (without
    /// reading the value) when the struct has no such field.
    fn read_field<'de, A: MapAccess<'de>>(
        builder: &mut Self::Builder,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Builds the struct once every field was read; fails when a required field is missing.
    fn finish(builder: Self::Builder) -> Result<Self, ValidationError>;
}

/// Deserializes a [`WireStruct`] from a map (a JSON object).
pub fn deserialize_struct<'de, D: Deserializer<'de>, T: WireStruct>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor::<T>(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: WireStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut builder = T::Builder::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if !T::read_field(&mut builder, &key.0, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        T::finish(builder).map_err(|e| {
            let missing: Vec<&str> = e.violations.iter().map(|v| v.member.as_str()).collect();
            de::Error::custom(format_args!("{}: missing field {}", T::NAME, missing.join(", ")))
        })
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
    }

    #[derive(Default)]
    struct ZoneBuilder {
        id: Option<String>,
        name: Option<String>,
    }

    impl WireStruct for Zone {
        type Builder = ZoneBuilder;
        const NAME: &'static str = "Zone";

        fn read_field<'de, A: MapAccess<'de>>(b: &mut ZoneBuilder, key: &str, map: &mut A) -> Result<bool, A::Error> {
            match key {
                "Id" => b.id = map.next_value()?,
                "Name" => b.name = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn finish(b: ZoneBuilder) -> Result<Self, ValidationError> {
            match b.id {
                Some(id) => Ok(Zone { id, name: b.name }),
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

    #[test]
    fn skips_unknown_fields_and_accepts_null_or_missing_optionals() {
        let z: Zone = serde_json::from_str(r#"{"Extra": {"a": [1, 2]}, "Id": "zone-1", "Name": null}"#).unwrap();
        assert_eq!(
            z,
            Zone {
                id: "zone-1".into(),
                name: None
            }
        );
        let z: Zone = serde_json::from_str(r#"{"Id": "zone-\u0031"}"#).unwrap();
        assert_eq!(z.id, "zone-1");
    }

    #[test]
    fn names_a_missing_required_field() {
        let err = serde_json::from_str::<Zone>(r#"{"Name": "n"}"#).unwrap_err();
        assert_eq!(err.to_string(), "Zone: missing field Id at line 1 column 13");
        let err = serde_json::from_str::<Zone>(r#"{"Id": 5}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid type: integer `5`, expected a string"),
            "{err}"
        );
    }
}
