//! What can go wrong with accounts, as one serializable type the pages translate and the API
//! turns into a status code and a translated message.

use crate::i18n::Locale;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AccountError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("cross-site request refused")]
    CrossSite,
    #[error("email already registered")]
    DuplicateEmail,
    #[error("already a member")]
    AlreadyMember,
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    #[error("unknown user {0:?}")]
    UnknownUser(String),
    #[error("invalid {field}")]
    Invalid { field: String },
    #[error("internal error")]
    Internal,
    /// Transport problems between the page and the server (offline, bad response).
    #[error("request failed: {0}")]
    Transport(String),
}

impl AccountError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AccountError::NotSignedIn | AccountError::InvalidCredentials => 401,
            AccountError::Forbidden | AccountError::CrossSite => 403,
            AccountError::NotFound => 404,
            AccountError::RateLimited { .. } => 429,
            AccountError::DuplicateEmail | AccountError::AlreadyMember => 409,
            AccountError::UnknownRole(_)
            | AccountError::UnknownUser(_)
            | AccountError::Invalid { .. } => 400,
            AccountError::Internal | AccountError::Transport(_) => 500,
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::NotSignedIn => "not_signed_in",
            AccountError::Forbidden => "forbidden",
            AccountError::NotFound => "not_found",
            AccountError::InvalidCredentials => "invalid_credentials",
            AccountError::RateLimited { .. } => "rate_limited",
            AccountError::CrossSite => "cross_site",
            AccountError::DuplicateEmail => "duplicate_email",
            AccountError::AlreadyMember => "already_member",
            AccountError::UnknownRole(_) => "unknown_role",
            AccountError::UnknownUser(_) => "unknown_user",
            AccountError::Invalid { .. } => "invalid",
            AccountError::Internal => "internal",
            AccountError::Transport(_) => "transport",
        }
    }

    /// The message a person reads, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        use crate::i18n::*;
        match self {
            AccountError::NotSignedIn => td_string!(locale, errors.not_signed_in).to_owned(),
            AccountError::Forbidden => td_string!(locale, errors.forbidden).to_owned(),
            AccountError::NotFound => td_string!(locale, errors.not_found).to_owned(),
            AccountError::InvalidCredentials => {
                td_string!(locale, errors.invalid_credentials).to_owned()
            }
            AccountError::RateLimited { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                td_string!(locale, errors.rate_limited, minutes).to_string()
            }
            AccountError::CrossSite => td_string!(locale, errors.cross_site).to_owned(),
            AccountError::DuplicateEmail => td_string!(locale, errors.duplicate_email).to_owned(),
            AccountError::AlreadyMember => td_string!(locale, errors.already_member).to_owned(),
            AccountError::UnknownRole(role) => {
                td_string!(locale, errors.unknown_role, role = role.clone()).to_string()
            }
            AccountError::UnknownUser(email) => {
                td_string!(locale, errors.unknown_user, email = email.clone()).to_string()
            }
            AccountError::Invalid { field } => {
                td_string!(locale, errors.invalid_field, field = field.clone()).to_string()
            }
            AccountError::Internal => td_string!(locale, errors.internal).to_owned(),
            AccountError::Transport(_) => td_string!(locale, errors.transport).to_owned(),
        }
    }
}

impl FromServerFnError for AccountError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The form did not match the function's arguments: name what is wrong.
            ServerFnErrorErr::Args(why) | ServerFnErrorErr::MissingArg(why) => {
                let field = why
                    .split_once("missing field `")
                    .and_then(|(_, rest)| rest.split('`').next())
                    .unwrap_or("form")
                    .to_owned();
                AccountError::Invalid { field }
            }
            other => AccountError::Transport(other.to_string()),
        }
    }
}
