//! JSON request bodies whose errors name the field: `observations[2].value:
//! invalid type: string "x", expected a decimal` rather than serde's
//! "data did not match any variant".

use crate::error::{ApiError, WebError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// Like [`axum::Json`], with errors that name the field (400) and the size
/// limit (413).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::TooLarge(format!("the body is too large: {}", e.body_text()))
            } else {
                WebError::BadRequest(format!("the body cannot be read: {}", e.body_text()))
            }
        })?;
        Ok(ApiJson(parse(&bytes)?))
    }
}

/// Parses a JSON body; the error names the field where it went wrong.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let shape = matches!(inner.classify(), serde_json::error::Category::Data);
        WebError::BadRequest(if !shape {
            format!("the body is not valid JSON: {inner}")
        } else if path == "." || path == "?" || path.is_empty() {
            format!("the body is not valid JSON of the expected shape: {inner}")
        } else {
            format!("field `{path}`: {inner}")
        })
    })?;
    de.end()
        .map_err(|e| WebError::BadRequest(format!("the body has text after its JSON value: {e}")))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Row {
        code: String,
        value: i32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        rows: Vec<Row>,
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse::<Body>(br#"{"rows": [{"code": "a", "value": 1}, {"code": "b", "value": "x"}]}"#).unwrap_err();
        assert!(e.to_string().starts_with("field `rows[1].value`: invalid type"), "{e}");
        let e = parse::<Body>(br#"{"rows": [{"value": 1}]}"#).unwrap_err();
        assert!(
            e.to_string().contains("rows[0]") && e.to_string().contains("`code`"),
            "{e}"
        );
        let e = parse::<Body>(b"{").unwrap_err();
        assert!(e.to_string().contains("not valid JSON"), "{e}");
        let e = parse::<Body>(br#""x""#).unwrap_err();
        assert!(e.to_string().contains("expected shape"), "{e}");
        assert!(parse::<Body>(br#"{"rows": []} x"#).is_err());
        assert_eq!(parse::<Body>(br#"{"rows": []}"#).unwrap().rows.len(), 0);
    }
}
