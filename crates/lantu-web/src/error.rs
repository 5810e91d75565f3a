//! The one error type of the web crate, and how it becomes a response: an
//! HTML page for the browser, JSON under `/api/`.

use crate::i18n::{t, Lang};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use lantu_app::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// Logged in, but not allowed (or a reporter touching another
    /// department's data).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Not logged in where a login is needed.
    #[error("login required")]
    LoginRequired { next: String },
    #[error("the form's security token is missing or wrong")]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    /// The request is understood but the state forbids it now (a plan
    /// not ready for adoption); the message says why.
    #[error("{0}")]
    Conflict(String),
    #[error("too many failed logins; retry in {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    /// The server has no turn for this request now (e.g. too many password
    /// checks at once).
    #[error("the server is busy; retry in {retry_after} s")]
    Busy { retry_after: u64 },
    /// A request body over the limit; the message names the limit.
    #[error("{0}")]
    TooLarge(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("{0}")]
    Internal(String),
}

impl From<lantu_app::AppError> for WebError {
    fn from(e: lantu_app::AppError) -> WebError {
        match e {
            lantu_app::AppError::Store(e) => WebError::Store(e),
            lantu_app::AppError::NotFound => WebError::NotFound,
            lantu_app::AppError::Invalid(e) => WebError::BadRequest(e),
            lantu_app::AppError::Forbidden(e) => WebError::Forbidden(e),
            lantu_app::AppError::Internal(e) => WebError::Internal(e),
            e @ lantu_app::AppError::Incomplete(_) => WebError::Conflict(e.to_string()),
            e @ lantu_app::AppError::Refused(_) => WebError::BadRequest(e.to_string()),
            e @ lantu_app::AppError::Unreadable(_) => WebError::BadRequest(e.to_string()),
        }
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::LoginRequired { .. } => StatusCode::UNAUTHORIZED,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Store(e) => match e {
                StoreError::PlanNotFound(_)
                | StoreError::IndicatorNotFound { .. }
                | StoreError::NotFound { .. }
                | StoreError::ObservationNotFound(_)
                | StoreError::FigureNotFound { .. }
                | StoreError::DepartmentNotFound(_) => StatusCode::NOT_FOUND,
                StoreError::NotInPlan { .. } | StoreError::NotInDepartment { .. } => StatusCode::FORBIDDEN,
                StoreError::UnderReview { .. }
                | StoreError::PlanNotAdopted(_)
                | StoreError::StageChanged { .. }
                | StoreError::ChainInUse { .. }
                | StoreError::ChainRequired { .. }
                | StoreError::DepartmentInUse { .. } => StatusCode::CONFLICT,
                StoreError::InvalidPlan(_)
                | StoreError::PlanIdMismatch { .. }
                | StoreError::PlanState { .. }
                | StoreError::ReasonRequired { .. }
                | StoreError::InvalidObservations { .. }
                | StoreError::Transition { .. }
                | StoreError::InvalidInput { .. }
                | StoreError::YearOutsidePlan { .. }
                | StoreError::Account(_)
                | StoreError::UsernameTaken(_)
                | StoreError::DepartmentTaken(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            WebError::Template(_) | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code for the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::NotFound => "not_found",
            WebError::Forbidden(_) => "forbidden",
            WebError::LoginRequired { .. } => "unauthorized",
            WebError::Csrf => "csrf",
            WebError::BadRequest(_) => "bad_request",
            WebError::Conflict(_) => "conflict",
            WebError::TooManyAttempts { .. } => "too_many_attempts",
            WebError::Busy { .. } => "busy",
            WebError::TooLarge(_) => "too_large",
            WebError::Store(_) if self.status() == StatusCode::NOT_FOUND => "not_found",
            WebError::Store(_) if self.status() == StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            WebError::Store(_) if self.status() == StatusCode::FORBIDDEN => "forbidden",
            WebError::Store(_) if self.status() == StatusCode::CONFLICT => "conflict",
            _ => "internal",
        }
    }

    /// What the user reads, in both languages where the message is ours.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            WebError::NotFound => t(lang, "error_not_found").into(),
            WebError::Forbidden(_) => t(lang, "error_forbidden").into(),
            WebError::LoginRequired { .. } => t(lang, "login").into(),
            WebError::Csrf => t(lang, "csrf_refused").into(),
            WebError::BadRequest(m) | WebError::TooLarge(m) | WebError::Conflict(m) => m.clone(),
            WebError::Busy { .. } => t(lang, "server_busy").into(),
            WebError::TooManyAttempts { .. } => t(lang, "login_slowed").into(),
            WebError::Store(e) if self.status() != StatusCode::INTERNAL_SERVER_ERROR => e.to_string(),
            _ => t(lang, "error_server").into(),
        }
    }

    /// A 500 is logged with its cause chain; the request log
    /// ([`crate::request_log`]) logs refusals, with the client's address.
    fn log(&self) {
        if self.status() == StatusCode::INTERNAL_SERVER_ERROR {
            let mut msg = self.to_string();
            let mut src = std::error::Error::source(self);
            while let Some(s) = src {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                src = s.source();
            }
            tracing::error!("{msg}");
        }
    }

    fn add_retry_after(&self, resp: &mut Response) {
        if let WebError::TooManyAttempts { retry_after } | WebError::Busy { retry_after } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
    }

    /// The HTML page for this error.
    pub fn page(&self, lang: Lang, public: bool) -> Response {
        self.log();
        if let WebError::LoginRequired { next } = self {
            let to = format!("/login?next={}", crate::view::enc(next));
            return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
        }
        let status = self.status();
        let ctx = minijinja::context! {
            lang => lang.code(),
            html_lang => lang.html(),
            public => public,
            base => if public { "/public" } else { "" },
            code => status.as_u16(),
            message => self.message(lang),
            asset_version => crate::ASSET_VERSION,
            lang_url => if lang == Lang::Zh { "?lang=en" } else { "?lang=zh" },
        };
        let body = crate::templates::render("error.html", ctx)
            .unwrap_or_else(|_| format!("<!doctype html><meta charset=utf-8><h1>{}</h1>", status.as_u16()));
        let mut resp = (status, axum::response::Html(body)).into_response();
        self.add_retry_after(&mut resp);
        resp.extensions_mut().insert(ErrorCode(self.code()));
        resp
    }

    /// The JSON body for this error.
    pub fn json(&self) -> Response {
        self.log();
        let status = self.status();
        let body = serde_json::json!({ "error": { "code": self.code(), "message": self.message(Lang::En) } });
        let mut resp = (status, axum::Json(body)).into_response();
        self.add_retry_after(&mut resp);
        resp.extensions_mut().insert(ErrorCode(self.code()));
        resp
    }
}

/// The [`WebError::code`] of an error response, for the request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode(pub &'static str);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.page(Lang::Zh, false)
    }
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

/// An error of an HTML page, rendered in the page's language.
#[derive(Debug)]
pub struct PageError {
    pub error: WebError,
    pub lang: Lang,
    pub public: bool,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.error.page(self.lang, self.public)
    }
}
