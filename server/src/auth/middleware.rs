//! Runs before every request: works out who is asking (session cookie or API token) into a
//! [`Viewer`] in the request's extensions, and refuses cross-site state-changing requests.
//!
//! CSRF defence: session cookies are `SameSite=Lax`, and every POST/PUT/PATCH/DELETE that relies
//! on a cookie must come from this site — `Sec-Fetch-Site` must be `same-origin` or `none` when
//! the browser sends it, else `Origin` must match `Host`. Requests with neither header do not come
//! from a browser page, so they carry no ambient cookie risk. Requests authenticated by a bearer
//! token are exempt: a token is never sent implicitly.

use app::accounts::{AccountError, CurrentUser, Viewer};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use std::net::SocketAddr;

use super::{SESSION_COOKIE, SESSION_DAYS, secret};
use crate::{
    state::AppState,
    store::{
        StoreError,
        entities::{api_token, session, user},
    },
};

pub async fn resolve_viewer(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let headers = request.headers();
    let secure = state.settings.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes() == b"https");
    let bearer = bearer_token(headers, request.uri().query(), request.uri().path());
    let session_secret = cookie(headers, SESSION_COOKIE);

    let mut viewer = Viewer {
        ip,
        secure,
        ..Viewer::default()
    };
    let resolved = match (&bearer, &session_secret) {
        (Some(token), _) => {
            viewer.by_token = true;
            by_token(&state.db, token)
                .await
                .map(|found| found.map(|u| (u, None)))
        }
        (None, Some(secret)) => by_session(&state.db, secret).await,
        (None, None) => Ok(None),
    };
    match resolved {
        Ok(Some((user, session_id))) => {
            viewer.user = Some(user);
            viewer.session_id = session_id;
        }
        Ok(None) => {}
        Err(e) => {
            tracing::error!(error = %e, "resolving the viewer");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
        }
    }

    if !viewer.by_token && is_state_changing(request.method()) && !same_site(request.headers()) {
        let locale = crate::i18n::request_locale(request.headers());
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            AccountError::CrossSite.message(locale),
        )
            .into_response();
    }
    request.extensions_mut().insert(viewer);
    next.run(request).await
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// See the module documentation.
pub fn same_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or_default();
            let host = host.to_str().unwrap_or_default();
            origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
        }
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// `Authorization: Bearer …`, or `?token=…` on the sync endpoint (WebSocket clients cannot set
/// headers from a browser).
fn bearer_token(headers: &HeaderMap, query: Option<&str>, path: &str) -> Option<String> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    if path == "/sync" {
        return query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
            .map(str::to_owned);
    }
    None
}

/// The value of one cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

fn current(u: user::Model) -> CurrentUser {
    CurrentUser {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        is_admin: u.is_admin,
        preferred_language: u.preferred_language,
    }
}

async fn by_session(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<(CurrentUser, Option<String>)>, StoreError> {
    let id = secret::digest(secret);
    let Some(s) = session::Entity::find_by_id(id.clone()).one(db).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if s.expires_at <= now {
        session::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(s.user_id).one(db).await? else {
        return Ok(None);
    };
    // Sliding expiry, written at most every few minutes.
    if now - s.last_seen_at > chrono::Duration::minutes(5) {
        let mut active: session::ActiveModel = s.into();
        active.last_seen_at = Set(now);
        active.expires_at = Set(now + chrono::Duration::days(SESSION_DAYS));
        active.update(db).await?;
    }
    Ok(Some((current(u), Some(id))))
}

async fn by_token(db: &DatabaseConnection, token: &str) -> Result<Option<CurrentUser>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(secret::digest(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if t.revoked_at.is_some() {
        return Ok(None);
    }
    let Some(u) = user::Entity::find_by_id(t.user_id).one(db).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    if t.last_used_at
        .is_none_or(|at| now - at > chrono::Duration::seconds(60))
    {
        let mut active: api_token::ActiveModel = t.into();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(Some(current(u)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_site_rules() {
        assert!(same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!same_site(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://a"),
            ("host", "a")
        ])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(
            same_site(&headers(&[])),
            "no browser, no ambient cookie risk"
        );
    }

    #[test]
    fn tokens_from_header_or_sync_query() {
        let h = headers(&[("authorization", "Bearer trn_abc")]);
        assert_eq!(
            bearer_token(&h, None, "/api/documents").as_deref(),
            Some("trn_abc")
        );
        let none = HeaderMap::new();
        assert_eq!(
            bearer_token(&none, Some("a=1&token=trn_q"), "/sync").as_deref(),
            Some("trn_q")
        );
        assert_eq!(
            bearer_token(&none, Some("token=trn_q"), "/api/documents"),
            None
        );
        let h = headers(&[("cookie", "a=1; terrain_session=s3cret; b=2")]);
        assert_eq!(cookie(&h, "terrain_session").as_deref(), Some("s3cret"));
    }
}
