//! Password hashing (argon2id) and the password rules.

use crate::error::FieldErrors;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

pub fn hash(password: &str) -> Result<String, crate::error::AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| crate::error::AppError::Internal(format!("password hashing: {e}")))
}

/// [`hash`] on the blocking thread pool (argon2 is deliberately slow).
pub async fn hash_blocking(password: String) -> Result<String, crate::error::AppError> {
    actix_web::web::block(move || hash(&password))
        .await
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))?
}

pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spend the time a real verification takes, so unknown usernames answer as slowly.
pub fn verify_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("not-a-real-password").unwrap_or_default());
    let _ = verify(password, stored);
}

/// Check a new password against the rules; errors go to `field`.
pub fn check_new(
    password: &str,
    confirm: Option<&str>,
    min_len: usize,
    field: &str,
    errors: &mut FieldErrors,
) {
    if password.chars().count() < min_len {
        errors.add_with(field, "password-too-short", &[("min", min_len.to_string())]);
    } else if password.chars().count() > crate::web::forms::max::PASSWORD {
        let max = crate::web::forms::max::PASSWORD.to_string();
        errors.add_with(field, "field-too-long", &[("max", max)]);
    }
    if let Some(c) = confirm {
        if c != password {
            errors.add("confirm", "password-mismatch");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn rules() {
        let mut e = FieldErrors::new();
        check_new("short", Some("short"), 10, "password", &mut e);
        assert!(e.has("password"));
        let mut e = FieldErrors::new();
        check_new("long enough pw", Some("different"), 10, "password", &mut e);
        assert!(e.has("confirm") && !e.has("password"));
    }
}
