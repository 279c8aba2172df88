//! One error type for the whole application. Handlers return `AppError`; the web layer turns
//! it into an HTML page or `application/problem+json` in the user's language (see
//! `web::errors`). Nothing internal reaches the page: 5xx details go to the log only.

use serde::Serialize;

/// A message for one form or JSON field: a translation key plus its arguments.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub key: String,
    pub args: Vec<(String, String)>,
}

/// Field errors collected while validating input.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, key: &str) {
        self.0.push(FieldError {
            field: field.into(),
            key: key.into(),
            args: vec![],
        });
    }
    pub fn add_with(&mut self, field: &str, key: &str, args: &[(&str, String)]) {
        self.0.push(FieldError {
            field: field.into(),
            key: key.into(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
    /// `Ok(())` when empty, else the errors as `AppError::Validation`.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("login required")]
    Unauthorized,
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: i64 },
    /// A bad request; the string is a translation key.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(FieldErrors),
    /// A conflict with existing data; the string is a translation key.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record changed since the device saw it: its server version and the choices
    /// (`web::changed`).
    #[error("changed meanwhile: {}", .0.kind.as_str())]
    Changed(Box<crate::web::changed::Changed>),
    #[error("{0}")]
    Config(String),
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The translation key of the page/problem title.
    pub fn title_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::Unauthorized => "error-unauthorized",
            AppError::Csrf => "error-csrf",
            AppError::TooManyRequests { .. } => "error-too-many",
            AppError::BadRequest(_) => "error-bad-request",
            AppError::Validation(_) => "error-validation",
            AppError::Conflict(_) => "error-conflict",
            AppError::Changed(_) => "conflict-title",
            _ => "error-internal",
        }
    }

    /// A more specific translation key for the detail, when there is one.
    pub fn detail_key(&self) -> Option<&str> {
        match self {
            AppError::BadRequest(k) | AppError::Conflict(k) => Some(k.as_str()),
            AppError::Changed(c) => Some(c.kind.detail_key()),
            _ => None,
        }
    }

    /// Map a unique-constraint violation to a conflict with the given message key.
    /// A unique-key violation as an error on one form field (a taken number, say).
    pub fn on_unique_field(self, field: &str, key: &str) -> AppError {
        match self {
            AppError::Db(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                let mut e = FieldErrors::new();
                e.add(field, key);
                AppError::Validation(e)
            }
            other => other,
        }
    }

    pub fn on_unique(self, key: &str) -> AppError {
        match self {
            AppError::Db(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => AppError::Conflict(key.to_string()),
            other => other,
        }
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::Internal(e.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
