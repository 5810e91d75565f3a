//! The edge where text enters: every form field and every JSON string of a
//! request is refused (400, naming the field) when it holds a NUL
//! character, which PostgreSQL cannot store in text and SQLite would keep
//! silently. One check here gives the same answer on both backends for
//! every page and API route, before any handler runs.

use crate::error::WebError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;

/// The largest form or JSON body read (the upload limit of the router).
pub(crate) const MAX_BODY: usize = 16 << 20;

fn nul_refused(field: &str) -> WebError {
    WebError::BadRequest(format!(
        "字段 `{field}` 含有 NUL 字符（U+0000），无法保存，请删除后重试 / field `{field}` contains a NUL character \
         (U+0000), which cannot be stored; remove it and try again"
    ))
}

/// The first form field (by name) whose name or value holds a NUL.
pub(crate) fn nul_in_form(body: &[u8]) -> Option<String> {
    // A NUL arrives as `%00` or as a raw byte: nothing to decode otherwise.
    let fast = body.contains(&0) || body.windows(3).any(|w| w == b"%00");
    if !fast {
        return None;
    }
    crate::serde_urlencoded_pairs(&String::from_utf8_lossy(body))
        .into_iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', "\\0"))
}

/// The path (`observations[0].note`) of the first JSON string or key that
/// holds a NUL.
pub(crate) fn nul_in_json(body: &[u8]) -> Option<String> {
    // In valid JSON a NUL can only be written `\u0000`.
    if !body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    fn walk(v: &Value, path: &mut String) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().enumerate().any(|(i, x)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = walk(x, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            Value::Object(map) => map.iter().any(|(k, x)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k.replace('\0', "\\0"));
                let found = k.contains('\0') || walk(x, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    // Invalid JSON is left to the handler's parser, which names the error.
    let value: Value = serde_json::from_slice(body).ok()?;
    let mut path = String::new();
    walk(&value, &mut path).then(|| if path.is_empty() { ".".into() } else { path })
}

/// Refuses a form or JSON body with a NUL character in any text.
pub(crate) async fn text_layer(req: Request, next: Next) -> Response {
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.to_ascii_lowercase())
        .unwrap_or_default();
    let form = kind.starts_with("application/x-www-form-urlencoded");
    let json = kind.starts_with("application/json") || kind.contains("+json");
    if !(form || json) || !crate::is_write(req.method()) {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let lang = crate::request_lang(req.headers(), req.uri().query());
    let fail = |e: WebError| if api { e.json() } else { e.page(lang, false) };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return fail(WebError::TooLarge(format!(
                "请求过大：最多 {} MiB / the request is too large: at most {} MiB",
                MAX_BODY >> 20,
                MAX_BODY >> 20
            )))
        }
    };
    let bad = if form { nul_in_form(&bytes) } else { nul_in_json(&bytes) };
    if let Some(field) = bad {
        return fail(nul_refused(&field));
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_and_named() {
        assert_eq!(nul_in_form(b"csrf=x&note=a%00b"), Some("note".into()));
        assert_eq!(nul_in_form(b"note=a%2500b"), None, "an escaped percent is text");
        assert_eq!(nul_in_form(b"note=ab"), None);
        assert_eq!(
            nul_in_json(br#"{"observations": [{"note": "ok"}, {"note": "a\u0000b"}]}"#),
            Some("observations[1].note".into())
        );
        assert_eq!(nul_in_json(br#"{"body": "x\\u0000"}"#), None, "an escaped backslash");
        assert_eq!(nul_in_json(br#"["\u0000"]"#), Some("[0]".into()));
        assert_eq!(nul_in_json(br#"{"body": "fine"}"#), None);
    }
}
