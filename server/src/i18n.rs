//! The language of server-made messages (API errors, refusals): the language cookie, then
//! `Accept-Language`, then French.

use app::i18n::Locale;
use axum::http::{HeaderMap, header};

use crate::auth::middleware::cookie;

pub fn request_locale(headers: &HeaderMap) -> Locale {
    let chosen = cookie(headers, app::locale::LOCALE_COOKIE);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    app::locale::choose(chosen.as_deref(), accept)
}
