//! [`string_enum!`](crate::string_enum): the code every generated enumeration repeats, written
//! once, and [`UnknownValue`], what its catch-all variant holds.
//!
//! A member whose value is one of a closed set of strings (a DNS record's type, a task's status)
//! is a generated enum, in the shape aws-sdk-rust gives such sets: a variant per value the spec
//! lists, and `Unknown` holding any other value exactly as the service sent it. So a value
//! Tencent adds after the spec was written still decodes (into `Unknown`) and is sent back
//! unchanged, and a caller may send a value the spec does not list (`"NEW".into()`): the service
//! decides whether it takes it, as it does for every value.

use std::fmt;

/// A value a generated enum does not list, exactly as it was given or sent: what the enum's
/// `Unknown` variant holds.
///
/// Opaque on purpose (as aws-sdk-rust's `UnknownVariantValue`): it is made only by the enum's
/// `From<&str>` and `From<String>`, which turn every listed value into its own variant, so a value
/// has exactly one representation. `Unknown` never holds `"TXT"` where `Txt` is meant, and the
/// derived `PartialEq`, `Eq` and `Hash` agree with comparing the wire strings. Read the value
/// with [`as_str`](Self::as_str) or the enum's own `as_str()`.
///
/// Matching on `Unknown(_)` is allowed but brittle: when a later version of the client lists
/// the value, it moves to a variant of its own and that arm stops matching it. Match the
/// variants you handle and use a wildcard (`_`) for the rest, or compare `as_str()`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value, as sent or given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For [`string_enum!`](crate::string_enum) only: wraps a value the enum does not list.
    /// Wrapping a listed value would give it a second representation.
    #[doc(hidden)]
    pub fn __unlisted(value: String) -> Self {
        UnknownValue(value)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Writes a generated enumeration and everything around it.
///
/// ```
/// tencentcloud_runtime::string_enum! {
///     /// What a record holds.
///     pub enum RecordKind {
///         /// An IPv4 address.
///         A = "A",
///         /// Free text.
///         Txt = "TXT",
///     }
/// }
///
/// use tencentcloud_runtime::wire::{self, Decoding};
/// assert_eq!(RecordKind::from("TXT"), RecordKind::Txt);
/// assert_eq!(RecordKind::Txt.as_str(), "TXT");
/// assert_eq!(RecordKind::values(), &["A", "TXT"]);
/// let new: RecordKind = wire::from_str(r#""HTTPS""#, Decoding::Tolerant).unwrap();
/// assert_eq!(new.as_str(), "HTTPS");
/// assert!(matches!(new, RecordKind::Unknown(_)));
/// assert_eq!(wire::to_value(&new), wire::Value::from("HTTPS"));
/// ```
///
/// Each value is `Variant = "wire"`, with its documentation. `[gate]` after the name, when
/// present, is a `cfg` predicate that every item gets (as in [`model!`](crate::model)).
///
/// The enum is `#[non_exhaustive]` and derives `Clone`, `Debug`, `PartialEq`, `Eq`, `Hash`,
/// `PartialOrd` and `Ord` (in the order the values are listed, `Unknown` last); it has
/// `as_str()`, `values()`, `Display`, `AsRef<str>`, `From<&str>`, `From<String>`, `FromStr`
/// (which never fails), [`WireValue`](crate::wire::WireValue) (a JSON string) and, with the
/// generated crate's `serde` feature, serde's traits (the same string).
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident [$gate:meta] {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// A value the client does not list decodes into `Unknown`, which keeps it as sent, and
        /// is written back unchanged; `From<&str>` makes any value, listed or not, so one the
        /// spec does not list yet can be sent (the service decides whether it accepts it).
        #[cfg($gate)]
        #[cfg_attr(docsrs, doc(cfg($gate)))]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $ty {
            $(
                $(#[$vmeta])*
                #[doc = ""]
                #[doc = concat!("Wire value: `", $value, "`.")]
                $variant,
            )*
            /// A value this version of the client does not list, kept exactly as sent or given.
            /// Match the variants you handle and a wildcard for the rest rather than this
            /// variant: a later version may give the value a variant of its own.
            Unknown($crate::UnknownValue),
        }

        #[cfg($gate)]
        impl $ty {
            /// The value as it is on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the client lists, in the spec's order.
            pub const fn values() -> &'static [&'static str] {
                &[$($value),*]
            }
        }

        #[cfg($gate)]
        impl ::core::convert::From<&str> for $ty {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown($crate::UnknownValue::__unlisted(other.to_owned())),
                }
            }
        }

        #[cfg($gate)]
        impl ::core::convert::From<::std::string::String> for $ty {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown($crate::UnknownValue::__unlisted(value)),
                }
            }
        }

        #[cfg($gate)]
        impl ::core::str::FromStr for $ty {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        #[cfg($gate)]
        impl ::core::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        #[cfg($gate)]
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg($gate)]
        impl $crate::wire::WireValue for $ty {
            #[inline]
            fn to_wire(&self) -> $crate::wire::Value {
                $crate::wire::Value::String(self.as_str().to_owned())
            }

            #[inline]
            fn from_wire(
                value: $crate::wire::Value,
                reader: &mut $crate::wire::Reader,
            ) -> ::core::option::Option<Self> {
                <::std::string::String as $crate::wire::WireValue>::from_wire(value, reader).map(Self::from)
            }
        }

        $crate::__wire_serde!($ty [$gate]);
    };
    // Without a gate: compiled always.
    (
        $(#[$meta:meta])*
        pub enum $ty:ident { $($values:tt)* }
    ) => {
        $crate::string_enum! {
            $(#[$meta])*
            pub enum $ty [all()] { $($values)* }
        }
    };
}

// The macro's serde impls are behind the generated crate's `serde` feature, which the runtime
// itself does not declare.
#[cfg(test)]
#[allow(unexpected_cfgs)]
mod tests {
    use std::collections::HashSet;
    use std::str::FromStr;

    use crate::wire::{self, Decoding};

    crate::string_enum! {
        /// How a task ended, for these tests.
        pub enum TaskStatus {
            /// Done.
            Success = "success",
            /// Failed.
            Failed = "failed",
            /// A value named "unknown" on the wire gets another variant name.
            UnknownValue = "unknown",
        }
    }

    #[test]
    fn listed_values_have_their_variants_and_strings() {
        assert_eq!(TaskStatus::from("success"), TaskStatus::Success);
        assert_eq!(TaskStatus::from("unknown".to_owned()), TaskStatus::UnknownValue);
        assert_eq!(TaskStatus::Failed.as_str(), "failed");
        assert_eq!(TaskStatus::values(), &["success", "failed", "unknown"]);
        assert_eq!(TaskStatus::Success.to_string(), "success");
        assert_eq!(TaskStatus::from_str("failed"), Ok(TaskStatus::Failed));
        assert_eq!(format!("{:?}", TaskStatus::Failed), "Failed");
        let as_ref: &str = TaskStatus::Success.as_ref();
        assert_eq!(as_ref, "success");
    }

    #[test]
    fn an_unlisted_value_is_kept_as_given() {
        let status = TaskStatus::from("Success");
        assert_eq!(status.as_str(), "Success");
        assert_eq!(status.to_string(), "Success");
        assert!(matches!(&status, TaskStatus::Unknown(v) if v.as_str() == "Success"));
        assert_eq!(format!("{status:?}"), "Unknown(UnknownValue(\"Success\"))");
        assert_eq!(
            TaskStatus::from_str("queued").map(|s| s.to_string()),
            Ok("queued".to_owned())
        );
        // One representation per value: an unlisted value built from a String or a &str is equal.
        assert_eq!(TaskStatus::from("queued".to_owned()), TaskStatus::from("queued"));
        assert_ne!(TaskStatus::from("queued"), TaskStatus::from("paused"));
    }

    #[test]
    fn equal_values_hash_alike() {
        let set: HashSet<TaskStatus> = ["success", "failed", "success", "queued", "queued"]
            .into_iter()
            .map(TaskStatus::from)
            .collect();
        assert_eq!(set.len(), 3);
        assert!(set.contains(&TaskStatus::Success));
        assert!(set.contains(&TaskStatus::from("queued".to_owned())));
        assert!(!set.contains(&TaskStatus::UnknownValue));
    }

    #[test]
    fn the_wire_form_is_the_string_and_unknown_values_round_trip() {
        assert_eq!(wire::to_value(&TaskStatus::Failed), wire::Value::from("failed"));
        let known: TaskStatus = wire::from_str(r#""success""#, Decoding::Strict).unwrap();
        assert_eq!(known, TaskStatus::Success);
        let unknown: TaskStatus = wire::from_str(r#""timeout""#, Decoding::Strict).unwrap();
        assert_eq!(unknown.as_str(), "timeout");
        assert_eq!(wire::to_value(&unknown), wire::Value::from("timeout"));
        let list: Vec<TaskStatus> = wire::from_str(r#"["failed", "paused"]"#, Decoding::Strict).unwrap();
        assert_eq!(list[0], TaskStatus::Failed);
        assert_eq!(
            String::from_utf8(wire::to_vec(&list)).unwrap(),
            r#"["failed","paused"]"#
        );
        let err = wire::from_str::<TaskStatus>("3", Decoding::Strict).unwrap_err();
        assert_eq!(err.to_string(), "invalid type: integer `3`, expected a string");
    }

    #[test]
    fn serde_goes_through_the_wire_string() {
        // What the `serde` feature's impls call: serializing writes the string, deserializing
        // reads it back, an unlisted value included.
        let mut out = Vec::new();
        wire::serialize(&TaskStatus::from("paused"), &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#""paused""#);
        let back: TaskStatus = wire::deserialize(&mut serde_json::Deserializer::from_str(r#""paused""#)).unwrap();
        assert_eq!(back, TaskStatus::from("paused"));
        let known: TaskStatus = wire::deserialize(&mut serde_json::Deserializer::from_str(r#""failed""#)).unwrap();
        assert_eq!(known, TaskStatus::Failed);
    }
}
