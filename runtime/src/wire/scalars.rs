//! How one member's value is read: the tolerant reading responses get, and the strict reading
//! that follows the spec's types exactly.
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

use serde_json::{Number, Value};

use super::{Decoding, Reader, WireValue};
use crate::datetime::{Date, DateTime};
use crate::sensitive::Sensitive;

/// Integers of at most this magnitude convert to and from f64 exactly.
const EXACT_IN_F64: u64 = 1 << 53;

fn tolerant(reader: &Reader) -> bool {
    reader.decoding() == Decoding::Tolerant
}

impl WireValue for String {
    fn to_wire(&self) -> Value {
        Value::String(self.clone())
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        const EXPECTED: &str = "a string";
        match value {
            Value::String(s) => Some(s),
            Value::Number(n) if tolerant(reader) => number_text(&n).or_else(|| {
                reader.wrong_value(
                    &Value::Number(n),
                    "a number of at most 15 significant digits, to keep as text",
                )
            }),
            Value::Bool(b) if tolerant(reader) => Some(b.to_string()),
            other => reader.wrong_type(&other, EXPECTED),
        }
    }
}

/// A number's text, when it is exact: integers digit for digit; a float in its shortest form
/// when it has at most 15 significant digits, which survive the trip through f64 unchanged (a
/// longer one, or an integer too large for 64 bits that the parser made a float, may not).
fn number_text(n: &Number) -> Option<String> {
    if n.is_i64() || n.is_u64() {
        return Some(n.to_string());
    }
    let text = n.as_f64()?.to_string();
    (significant_digits(&text) <= 15).then_some(text)
}

/// The significant digits of a plain decimal text (`-0.00120` has 3: `120` less its trailing zero).
fn significant_digits(text: &str) -> usize {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

impl WireValue for bool {
    fn to_wire(&self) -> Value {
        Value::Bool(*self)
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        const EXPECTED: &str = "a boolean (or 0 or 1)";
        match value {
            Value::Bool(b) => Some(b),
            Value::Number(n) if tolerant(reader) && !n.is_f64() => match n.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => reader.wrong_value(&Value::Number(n), EXPECTED),
            },
            other if tolerant(reader) => reader.wrong_type(&other, EXPECTED),
            other => reader.wrong_type(&other, "a boolean"),
        }
    }
}

impl WireValue for f64 {
    fn to_wire(&self) -> Value {
        Value::from(*self)
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        const EXPECTED: &str = "a number (or a string holding one)";
        match value {
            Value::Number(n) if !tolerant(reader) => n.as_f64(),
            Value::Number(n) => {
                // Integers beyond 2^53 would be rounded: refused.
                let exact = match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => u <= EXACT_IN_F64,
                    (None, Some(i)) => i.unsigned_abs() <= EXACT_IN_F64,
                    (None, None) => true,
                };
                match n.as_f64() {
                    Some(f) if exact => Some(f),
                    _ => reader.wrong_value(&Value::Number(n), "a number that f64 holds exactly"),
                }
            }
            Value::String(s) if tolerant(reader) => match s.parse::<f64>() {
                Ok(f) if f.is_finite() => Some(f),
                _ => reader.wrong_value(&Value::String(s), EXPECTED),
            },
            other if tolerant(reader) => reader.wrong_type(&other, EXPECTED),
            other => reader.wrong_type(&other, "a number"),
        }
    }
}

/// Integer types: read from an integer, an integral float in range, or a string holding an
/// integer.
macro_rules! integer_value {
    ($ty:ty, $strict:literal, $tolerant:literal) => {
        impl WireValue for $ty {
            fn to_wire(&self) -> Value {
                Value::from(*self)
            }

            fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
                let expected = if tolerant(reader) { $tolerant } else { $strict };
                let number = match value {
                    Value::Number(n) => n,
                    Value::String(s) if tolerant(reader) => {
                        return match s.parse::<$ty>() {
                            Ok(v) => Some(v),
                            Err(_) => reader.wrong_value(&Value::String(s), expected),
                        };
                    }
                    other => return reader.wrong_type(&other, expected),
                };
                if let Some(i) = number.as_i64() {
                    return <$ty>::try_from(i)
                        .ok()
                        .or_else(|| reader.wrong_value(&Value::Number(number), expected));
                }
                if let Some(u) = number.as_u64() {
                    return <$ty>::try_from(u)
                        .ok()
                        .or_else(|| reader.wrong_value(&Value::Number(number), expected));
                }
                // A float. Exact only: an integral value below 2^53 in magnitude, which the parser
                // (with serde_json's `float_roundtrip`) reads exactly; from 2^53 on, neighbouring
                // integers share one f64, so they are refused, as is an integer too long for 64
                // bits that the parser hands over as f64.
                let f = number.as_f64().unwrap_or(f64::NAN);
                let fits = f.fract() == 0.0 && f.abs() < EXACT_IN_F64 as f64 && f >= <$ty>::MIN as f64;
                if fits && tolerant(reader) {
                    Some(f as $ty)
                } else if tolerant(reader) {
                    reader.wrong_value(&Value::Number(number), expected)
                } else {
                    reader.wrong_type(&Value::Number(number), expected)
                }
            }
        }
    };
}

integer_value!(i64, "an integer", "an integer (or a string holding one)");
integer_value!(
    u64,
    "a non-negative integer",
    "a non-negative integer (or a string holding one)"
);

impl<T: WireValue> WireValue for Vec<T> {
    fn to_wire(&self) -> Value {
        Value::Array(self.iter().map(T::to_wire).collect())
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        let items = match value {
            Value::Array(items) => items,
            other => return reader.wrong_type(&other, "a list"),
        };
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            out.push(reader.element(index, item)?);
        }
        Some(out)
    }
}

impl<T: WireValue> WireValue for Box<T> {
    fn to_wire(&self) -> Value {
        T::to_wire(self)
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        T::from_wire(value, reader).map(Box::new)
    }
}

impl WireValue for Sensitive<String> {
    fn to_wire(&self) -> Value {
        self.expose_secret().to_wire()
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        // A sensitive value is never quoted in an error: a wrong one is named by its type only.
        match value {
            Value::String(s) => Some(Sensitive::new(s)),
            Value::Number(n) if tolerant(reader) => match number_text(&n) {
                Some(text) => Some(Sensitive::new(text)),
                None => reader.fail("invalid value: a number too long to keep as text, expected a string"),
            },
            Value::Bool(b) if tolerant(reader) => Some(Sensitive::new(b.to_string())),
            Value::Array(_) | Value::Object(_) | Value::Null => reader.wrong_type(&value, "a string"),
            _ => reader.fail("invalid type: a value that is not a string, expected a string"),
        }
    }
}

impl WireValue for DateTime {
    fn to_wire(&self) -> Value {
        Value::String(self.as_str().to_owned())
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        match value {
            Value::String(s) => Some(DateTime::from(s)),
            other => reader.wrong_type(&other, "a date and time"),
        }
    }
}

impl WireValue for Date {
    fn to_wire(&self) -> Value {
        Value::String(self.as_str().to_owned())
    }

    fn from_wire(value: Value, reader: &mut Reader) -> Option<Self> {
        match value {
            Value::String(s) => Some(Date::from(s)),
            other => reader.wrong_type(&other, "a date"),
        }
    }
}

/// Any JSON, kept as sent: for callers that handle values the spec does not type.
impl WireValue for Value {
    fn to_wire(&self) -> Value {
        self.clone()
    }

    fn from_wire(value: Value, _reader: &mut Reader) -> Option<Self> {
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::from_str;
    use super::*;

    fn tolerant<T: WireValue>(json: &str) -> Result<T, String> {
        from_str(json, Decoding::Tolerant).map_err(|e| e.to_string())
    }

    fn strict<T: WireValue>(json: &str) -> Result<T, String> {
        from_str(json, Decoding::Strict).map_err(|e| e.to_string())
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
            Err("invalid value: floating point `3.5`, expected an integer (or a string holding one)".into())
        );
        assert_eq!(
            tolerant::<i64>("\"12ab\""),
            Err("invalid value: string \"12ab\", expected an integer (or a string holding one)".into())
        );
        assert!(tolerant::<i64>("\"4.0\"").is_err());
        assert_eq!(
            tolerant::<u64>("-1"),
            Err("invalid value: integer `-1`, expected a non-negative integer (or a string holding one)".into())
        );
        assert!(tolerant::<i64>("9223372036854775808").is_err());
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
            Err("invalid value: string \"NaN\", expected a number (or a string holding one)".into())
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
            Err("invalid type: sequence, expected a string".into())
        );
    }

    #[test]
    fn booleans_accept_zero_and_one() {
        assert_eq!(tolerant::<bool>("true"), Ok(true));
        assert_eq!(tolerant::<bool>("0"), Ok(false));
        assert_eq!(tolerant::<bool>("1"), Ok(true));
        assert_eq!(
            tolerant::<bool>("2"),
            Err("invalid value: integer `2`, expected a boolean (or 0 or 1)".into())
        );
        assert!(tolerant::<bool>("\"true\"").is_err());
        assert!(tolerant::<bool>("1.0").is_err());
    }

    #[test]
    fn lists_pass_the_decoding_down_and_name_the_index() {
        assert_eq!(tolerant::<Vec<i64>>("[1, \"2\", 3.0]"), Ok(vec![1, 2, 3]));
        assert_eq!(
            strict::<Vec<i64>>("[1, \"2\"]"),
            Err("[1]: invalid type: string \"2\", expected an integer".into())
        );
        assert_eq!(
            tolerant::<Vec<i64>>("[1, null]"),
            Err("[1]: invalid type: null, expected an integer (or a string holding one)".into())
        );
    }

    #[test]
    fn strict_decoding_takes_only_the_spec_types() {
        assert_eq!(strict::<i64>("42"), Ok(42));
        assert_eq!(
            strict::<i64>("\"42\""),
            Err("invalid type: string \"42\", expected an integer".into())
        );
        assert!(strict::<i64>("4.0").is_err());
        assert!(strict::<String>("5").is_err());
        assert!(strict::<bool>("1").is_err());
        assert!(strict::<f64>("\"1.5\"").is_err());
        assert_eq!(strict::<f64>("2"), Ok(2.0));
    }

    #[test]
    fn a_wrong_secret_is_never_quoted() {
        let secret = tolerant::<Sensitive<String>>("77").map(Sensitive::into_secret);
        assert_eq!(secret, Ok("77".into()));
        let err = strict::<Sensitive<String>>("77").unwrap_err();
        assert!(!err.contains("77"), "{err}");
        let err = tolerant::<Sensitive<String>>("[\"hunter2\"]").unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn written_values_read_back() {
        let values: Vec<Value> = vec![
            String::from("a").to_wire(),
            7_i64.to_wire(),
            u64::MAX.to_wire(),
            1.5_f64.to_wire(),
            true.to_wire(),
            Sensitive::new(String::from("s")).to_wire(),
            DateTime::from("2024-01-01T00:00:00Z").to_wire(),
        ];
        assert_eq!(
            serde_json::to_string(&values).unwrap(),
            r#"["a",7,18446744073709551615,1.5,true,"s","2024-01-01T00:00:00Z"]"#
        );
        assert_eq!(f64::NAN.to_wire(), Value::Null);
    }
}
