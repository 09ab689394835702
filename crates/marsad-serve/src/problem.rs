//! Errors as RFC 9457 problem details (`application/problem+json`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One problem: an HTTP status, a short title and the specific detail.
#[derive(Debug, Clone)]
pub struct Problem {
    /// HTTP status.
    pub status: StatusCode,
    /// Short, stable summary of the kind of problem.
    pub title: &'static str,
    /// What went wrong in this request.
    pub detail: String,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem with a status, title and detail.
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            title,
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// 400: a parameter or body is not valid.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad request", detail)
    }

    /// 404: the resource does not exist.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found", detail)
    }

    /// 404: no route has this path.
    pub fn no_route(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "No such route",
            format!("{path} is not part of the API (see /api/v1/openapi.json)"),
        )
    }

    /// 401: no credentials.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "send the write token as `Authorization: Bearer TOKEN`",
        )
    }

    /// 403: wrong credentials, or writes are disabled.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", detail)
    }

    /// 413: the body is larger than the server accepts.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload too large",
            format!("request bodies are limited to {limit} bytes"),
        )
    }

    /// 414: the request target is longer than the server reads.
    pub fn uri_too_long(limit: usize) -> Self {
        Self::new(
            StatusCode::URI_TOO_LONG,
            "URI too long",
            format!("request targets are limited to {limit} bytes"),
        )
    }

    /// 503: the request took longer than the server's limit.
    pub fn timeout() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Timeout",
            "the request took longer than the server's time limit",
        )
    }

    /// 503: a write not committed within the server's time limit; it never will be.
    pub fn write_timeout() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Timeout",
            "the documents were not stored within the server's time limit and never will be; send them again (smaller batches go faster)",
        )
    }

    /// 503: every writer is busy and `queue` writes already wait; try again in `retry_after` s.
    pub fn busy(queue: usize, retry_after: u64) -> Self {
        Problem {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Writes busy",
                format!("{queue} writes are already waiting; nothing was stored, try again in {retry_after} s"),
            )
        }
    }

    /// 500: something failed inside (the detail is logged, not sent).
    pub fn internal(e: impl std::fmt::Display) -> Self {
        eprintln!("marsad: serve: {e}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            "the server failed to answer; see its log",
        )
    }

    /// The response (a named method, so that callers need not import the trait).
    pub fn into_response_owned(self) -> Response {
        self.into_response()
    }
}

impl From<marsad_store::StoreError> for Problem {
    fn from(e: marsad_store::StoreError) -> Self {
        match e {
            marsad_store::StoreError::Unsupported(what) => {
                Self::new(StatusCode::NOT_IMPLEMENTED, "Not implemented", what)
            }
            e => Problem::internal(e),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        let mut r = (self.status, body.to_string()).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"marsad\""),
            );
        }
        r
    }
}
