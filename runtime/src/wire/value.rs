//! How one wire value is read: the tolerant reading of scalars that responses get, and the
//! strict reading that follows the spec's types exactly.
//!
//! Services send numbers where their descriptions say strings and the reverse (an `int` sent as
//! `1.0` or `"1"`, an id documented as a string sent as a number). [`Decoding::Tolerant`]
//! accepts such a value when it converts without losing anything:
//!
//! | member type | also accepts |
//! |---|---|
//! | integer (`i64`, `u64`) | a string holding an integer (`"42"`), a float with no fraction (`42.0`) below 2^53 in magnitude and in range |
//! | `f64` | a string holding a finite number (`"1.5"`); integers only up to 2^53 in magnitude, which f64 holds exactly |
//! | string | a number (kept as its text: integers digit for digit, other numbers of at most 15 significant digits in their shortest form, `1.50` as `"1.5"`) or a boolean (`"true"`) |
//! | `bool` | the numbers `0` and `1` |
//!
//! Anything else is an error: a fraction for an integer member, a string that is not a number,
//! a number out of range or too long to convert exactly, `2` for a boolean. One loss no decoder
//! can see: a JSON number with more digits than f64 holds (`3.0000000000000001`) is rounded by
//! the JSON parser before any member reads it. [`Decoding::Strict`] accepts only the JSON types the
//! spec names.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Unexpected, Visitor};
use serde::Deserialize;

use crate::datetime::{Date, DateTime};
use crate::sensitive::Sensitive;

/// How wire values are read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decoding {
    /// Accept values that convert to the member's type without loss (see the module docs).
    /// What `serde` deserialization of generated types and every client call use.
    #[default]
    Tolerant,
    /// Accept only the JSON type the spec gives each member: for tests that check that a body
    /// (a stand-in's, a fixture's) follows the spec exactly.
    Strict,
}

/// A type a generated struct's field can hold, read with a [`Decoding`].
///
/// Implemented for the scalars, [`DateTime`], `Sensitive<String>`, `Vec<T>`, `Box<T>`, and (by
/// [`wire_serde!`](crate::wire_serde)) every generated struct.
pub trait WireValue: Sized {
    /// Reads one value from `deserializer`.
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error>;
}

/// Reads a `T` with a [`Decoding`]: the seed form of [`WireValue::read`].
pub(crate) struct ValueSeed<T>(pub(crate) Decoding, pub(crate) PhantomData<T>);

impl<'de, T: WireValue> DeserializeSeed<'de> for ValueSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::read(deserializer, self.0)
    }
}

/// Reads an `Option<T>`: `null` is `None`.
pub(crate) struct OptionSeed<T>(pub(crate) Decoding, pub(crate) PhantomData<T>);

impl<'de, T: WireValue> DeserializeSeed<'de> for OptionSeed<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(OptionVisitor::<T>(self.0, PhantomData))
    }
}

struct OptionVisitor<T>(Decoding, PhantomData<T>);

impl<'de, T: WireValue> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::read(deserializer, self.0).map(Some)
    }
}

/// Reads an optional text tolerantly, for `#[serde(deserialize_with)]` on members the runtime
/// reads itself (`RequestId`, `Error.Code`, `Error.Message`): a request id sent as a number
/// must not fail an answer whose output decodes.
pub(crate) fn optional_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    OptionSeed::<String>(Decoding::Tolerant, PhantomData).deserialize(deserializer)
}

impl<T: WireValue> WireValue for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ListVisitor::<T>(decoding, PhantomData))
    }
}

struct ListVisitor<T>(Decoding, PhantomData<T>);

impl<'de, T: WireValue> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The hint comes from the input: cap it so a hostile length cannot reserve much.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(ValueSeed::<T>(self.0, PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
}

impl<T: WireValue> WireValue for Box<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
        T::read(deserializer, decoding).map(Box::new)
    }
}

impl WireValue for Sensitive<String> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
        String::read(deserializer, decoding).map(Sensitive::new)
    }
}

impl WireValue for DateTime {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, _decoding: Decoding) -> Result<Self, D::Error> {
        DateTime::deserialize(deserializer)
    }
}

impl WireValue for Date {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, _decoding: Decoding) -> Result<Self, D::Error> {
        Date::deserialize(deserializer)
    }
}

impl WireValue for String {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
        match decoding {
            Decoding::Strict => String::deserialize(deserializer),
            Decoding::Tolerant => deserializer.deserialize_any(TextVisitor),
        }
    }
}

/// A string, or a number or boolean kept as its text.
struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (or a number or boolean, kept as text)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // `Display` of f64 is the shortest text that reads back as the same number. A decimal of
        // at most 15 significant digits survives the trip through f64 digit for digit; a longer
        // one (or an integer too large for 64 bits, which the parser hands over as f64) may not,
        // so it is refused rather than changed.
        let text = v.to_string();
        if significant_digits(&text) <= 15 {
            Ok(text)
        } else {
            Err(E::invalid_value(
                Unexpected::Float(v),
                &"a number of at most 15 significant digits, to keep as text",
            ))
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl WireValue for bool {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
        match decoding {
            Decoding::Strict => bool::deserialize(deserializer),
            Decoding::Tolerant => deserializer.deserialize_any(BoolVisitor),
        }
    }
}

/// The significant digits of a plain decimal text (`-0.00120` has 3: `120` less its trailing zero).
fn significant_digits(text: &str) -> usize {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Integers of at most this magnitude convert to and from f64 exactly.
const EXACT_IN_F64: u64 = 1 << 53;

/// `true`/`false`, or `1`/`0`.
struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean (or 0 or 1)")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::invalid_value(Unexpected::Signed(v), &self)),
        }
    }
}

impl WireValue for f64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
        match decoding {
            Decoding::Strict => f64::deserialize(deserializer),
            Decoding::Tolerant => deserializer.deserialize_any(FloatVisitor),
        }
    }
}

/// A number, or a string holding a finite one.
struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number (or a string holding one)")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    // Integers beyond 2^53 would be rounded: refused, where serde's own f64 rounds them.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        if v.unsigned_abs() <= EXACT_IN_F64 {
            Ok(v as f64)
        } else {
            Err(E::invalid_value(
                Unexpected::Signed(v),
                &"a number that f64 holds exactly",
            ))
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        if v <= EXACT_IN_F64 {
            Ok(v as f64)
        } else {
            Err(E::invalid_value(
                Unexpected::Unsigned(v),
                &"a number that f64 holds exactly",
            ))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

/// Integer types: read from an integer, an integral float in range, or a string holding an
/// integer.
macro_rules! integer_value {
    ($ty:ty, $visitor:ident, $what:literal) => {
        impl WireValue for $ty {
            fn read<'de, D: Deserializer<'de>>(deserializer: D, decoding: Decoding) -> Result<Self, D::Error> {
                match decoding {
                    Decoding::Strict => <$ty>::deserialize(deserializer),
                    Decoding::Tolerant => deserializer.deserialize_any($visitor),
                }
            }
        }

        struct $visitor;

        impl Visitor<'_> for $visitor {
            type Value = $ty;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($what)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                <$ty>::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                // Exact only: an integral value below 2^53 in magnitude, which the parser (with
                // serde_json's `float_roundtrip`) reads exactly; from 2^53 on, neighbouring
                // integers share one f64 (`9007199254740993.0` reads as ...992), so they are
                // refused, as is an integer too long for 64 bits that the parser hands over as f64.
                let fits = v.fract() == 0.0 && v.abs() < EXACT_IN_F64 as f64 && v >= <$ty>::MIN as f64;
                if fits {
                    Ok(v as $ty)
                } else {
                    Err(E::invalid_value(Unexpected::Float(v), &self))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                v.parse::<$ty>()
                    .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
            }
        }
    };
}

integer_value!(i64, I64Visitor, "an integer (or a string holding one)");
integer_value!(u64, U64Visitor, "a non-negative integer (or a string holding one)");

#[cfg(test)]
mod tests {
    use super::*;

    fn tolerant<T: WireValue>(json: &str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        T::read(&mut de, Decoding::Tolerant).map_err(|e| e.to_string())
    }

    fn strict<T: WireValue>(json: &str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        T::read(&mut de, Decoding::Strict).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_accept_lossless_forms_only() {
        assert_eq!(tolerant::<i64>("42"), Ok(42));
        assert_eq!(tolerant::<i64>("-7"), Ok(-7));
        assert_eq!(tolerant::<i64>("\"42\""), Ok(42));
        assert_eq!(tolerant::<i64>("\"-9223372036854775808\""), Ok(i64::MIN));
        assert_eq!(tolerant::<i64>("3.0"), Ok(3));
        assert_eq!(tolerant::<u64>("\"18446744073709551615\""), Ok(u64::MAX));
        assert_eq!(
            tolerant::<i64>("3.5"),
            Err(
                "invalid value: floating point `3.5`, expected an integer (or a string holding one) at line 1 column 3"
                    .into()
            )
        );
        assert_eq!(
            tolerant::<i64>("\"12ab\""),
            Err(
                "invalid value: string \"12ab\", expected an integer (or a string holding one) at line 1 column 6"
                    .into()
            )
        );
        assert_eq!(
            tolerant::<i64>("\"4.0\""),
            Err(
                "invalid value: string \"4.0\", expected an integer (or a string holding one) at line 1 column 5"
                    .into()
            )
        );
        assert_eq!(
            tolerant::<u64>("-1"),
            Err("invalid value: integer `-1`, expected a non-negative integer (or a string holding one) at line 1 column 2".into())
        );
        assert_eq!(
            tolerant::<i64>("9223372036854775808"),
            Err("invalid value: integer `9223372036854775808`, expected an integer (or a string holding one) at line 1 column 19".into())
        );
        // Beyond 2^53 a float may not be the integer its text says: refused.
        assert!(tolerant::<i64>("9223372036854775808.0").is_err());
        assert!(tolerant::<i64>("-9223372036854775809").is_err());
        assert!(tolerant::<i64>("9007199254740993.0").is_err());
        assert!(tolerant::<i64>("9007199254740992.0").is_err());
        assert_eq!(tolerant::<i64>("-9007199254740991.0"), Ok(-(1 << 53) + 1));
        assert_eq!(tolerant::<i64>("3990103978655834.0"), Ok(3990103978655834));
        assert_eq!(tolerant::<u64>("-0.0"), Ok(0));
        assert!(tolerant::<i64>("true").is_err());
        assert!(tolerant::<i64>("1e400").is_err());
    }

    #[test]
    fn floats_accept_numeric_strings() {
        assert_eq!(tolerant::<f64>("1.5"), Ok(1.5));
        assert_eq!(tolerant::<f64>("2"), Ok(2.0));
        assert_eq!(tolerant::<f64>("\"0.25\""), Ok(0.25));
        assert_eq!(
            tolerant::<f64>("\"NaN\""),
            Err("invalid value: string \"NaN\", expected a number (or a string holding one) at line 1 column 5".into())
        );
        assert!(tolerant::<f64>("\"inf\"").is_err());
        assert_eq!(tolerant::<f64>("9007199254740992"), Ok(9007199254740992.0));
        assert!(tolerant::<f64>("9007199254740993").is_err());
        assert!(tolerant::<f64>("-9007199254740993").is_err());
        assert!(tolerant::<f64>("\"\"").is_err());
    }

    #[test]
    fn strings_keep_the_text_of_numbers_and_booleans() {
        assert_eq!(tolerant::<String>("\"zone-1\""), Ok("zone-1".into()));
        assert_eq!(
            tolerant::<String>("12345678901234567890"),
            Ok("12345678901234567890".into())
        );
        assert_eq!(tolerant::<String>("-3"), Ok("-3".into()));
        assert_eq!(tolerant::<String>("1.50"), Ok("1.5".into()));
        assert_eq!(tolerant::<String>("-0.00120"), Ok("-0.0012".into()));
        assert_eq!(tolerant::<String>("12345678901234.5"), Ok("12345678901234.5".into()));
        // Too many digits to come through f64 unchanged: refused, not rounded.
        assert!(tolerant::<String>("1234567890123456.7").is_err());
        assert!(tolerant::<String>("123456789012345678901234").is_err());
        assert!(tolerant::<String>("-9223372036854775809").is_err());
        assert_eq!(tolerant::<String>("true"), Ok("true".into()));
        assert_eq!(
            tolerant::<String>("[1]"),
            Err(
                "invalid type: sequence, expected a string (or a number or boolean, kept as text) at line 1 column 1"
                    .into()
            )
        );
    }

    #[test]
    fn booleans_accept_zero_and_one() {
        assert_eq!(tolerant::<bool>("true"), Ok(true));
        assert_eq!(tolerant::<bool>("0"), Ok(false));
        assert_eq!(tolerant::<bool>("1"), Ok(true));
        assert_eq!(
            tolerant::<bool>("2"),
            Err("invalid value: integer `2`, expected a boolean (or 0 or 1) at line 1 column 1".into())
        );
        assert!(tolerant::<bool>("\"true\"").is_err());
    }

    #[test]
    fn lists_and_options_pass_the_decoding_down() {
        assert_eq!(tolerant::<Vec<i64>>("[1, \"2\", 3.0]"), Ok(vec![1, 2, 3]));
        assert!(strict::<Vec<i64>>("[1, \"2\"]").is_err());
        let mut de = serde_json::Deserializer::from_str("null");
        assert_eq!(
            OptionSeed::<i64>(Decoding::Tolerant, PhantomData)
                .deserialize(&mut de)
                .map_err(|e| e.to_string()),
            Ok(None)
        );
        let mut de = serde_json::Deserializer::from_str("\"5\"");
        assert_eq!(
            OptionSeed::<i64>(Decoding::Tolerant, PhantomData)
                .deserialize(&mut de)
                .map_err(|e| e.to_string()),
            Ok(Some(5))
        );
    }

    #[test]
    fn strict_decoding_takes_only_the_spec_types() {
        assert_eq!(strict::<i64>("42"), Ok(42));
        assert_eq!(
            strict::<i64>("\"42\""),
            Err("invalid type: string \"42\", expected i64 at line 1 column 4".into())
        );
        assert!(strict::<String>("5").is_err());
        assert!(strict::<bool>("1").is_err());
        assert!(strict::<f64>("\"1.5\"").is_err());
        let secret = tolerant::<Sensitive<String>>("77").map(Sensitive::into_secret);
        assert_eq!(secret, Ok("77".into()));
    }
}
