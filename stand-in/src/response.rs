// The JSON bodies the stand-in answers with: the API 3.0 error envelope, the success envelope, and
// `ApiError`, the (code, message) pair every check and action reports failures with.

use serde_json::{json, Map, Value};

/// An API-level failure, answered as HTTP 200 with `Response.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: String,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// `{"Response":{"Error":{"Code":..,"Message":..},"RequestId":..}}`.
pub(crate) fn error_body(error: &ApiError, request_id: &str) -> Vec<u8> {
    let body = json!({
        "Response": {
            "Error": { "Code": error.code, "Message": error.message },
            "RequestId": request_id,
        }
    });
    body.to_string().into_bytes()
}

/// `{"Response":{<fields>,"RequestId":..}}`.
pub(crate) fn success_body(mut fields: Map<String, Value>, request_id: &str) -> Vec<u8> {
    fields.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
    json!({ "Response": fields }).to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelope_has_code_message_and_request_id() {
        let body = error_body(&ApiError::new("InvalidAction", "no such action"), "rid-1");
        let value: Value = serde_json::from_slice(&body).expect("valid JSON");
        assert_eq!(value["Response"]["Error"]["Code"], "InvalidAction");
        assert_eq!(value["Response"]["Error"]["Message"], "no such action");
        assert_eq!(value["Response"]["RequestId"], "rid-1");
    }

    #[test]
    fn success_envelope_adds_request_id_to_fields() {
        let mut fields = Map::new();
        fields.insert("SecretKey".to_owned(), Value::String("k".to_owned()));
        let value: Value = serde_json::from_slice(&success_body(fields, "rid-2")).expect("valid JSON");
        assert_eq!(value, json!({"Response": {"SecretKey": "k", "RequestId": "rid-2"}}));
    }
}
