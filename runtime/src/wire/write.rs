//! Writing generated types as JSON.

use serde_json::{Map, Value};

use super::WireValue;

/// The members of one JSON object, written by a generated struct's `to_wire`. Unset optional
/// members are left out, never sent as `null`.
#[derive(Debug, Default)]
pub struct ObjectWriter {
    members: Map<String, Value>,
}

impl ObjectWriter {
    /// An object with no members yet.
    pub fn new() -> ObjectWriter {
        ObjectWriter::default()
    }

    /// Writes a member that is always present.
    pub fn put<T: WireValue>(&mut self, name: &'static str, value: &T) {
        self.members.insert(name.to_owned(), value.to_wire());
    }

    /// Writes a member when it is set.
    pub fn put_opt<T: WireValue>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.put(name, value);
        }
    }

    /// The object.
    pub fn finish(self) -> Value {
        Value::Object(self.members)
    }
}

/// `value` as a JSON value.
pub fn to_value<T: WireValue>(value: &T) -> Value {
    value.to_wire()
}

/// `value` as JSON text.
///
/// ```
/// assert_eq!(tencentcloud_runtime::wire::to_vec(&vec![1_i64, 2]), b"[1,2]");
/// ```
pub fn to_vec<T: WireValue>(value: &T) -> Vec<u8> {
    // Writing a `Value` to memory cannot fail: its keys are strings and it holds no
    // non-finite floats (those become `null` when the value is made).
    serde_json::to_vec(&value.to_wire()).unwrap_or_default()
}
