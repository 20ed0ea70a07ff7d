//! Server functions behind the account pages. Each resolves the backend and the viewer from the
//! request and leaves every decision (authentication, authorization, validation) to the server's
//! single authorization module. The server gives a failed call its HTTP status (401, 403, 404,
//! 429, …) from the error, see `AccountError::status`.

use super::{
    AccountError, AdminOverview, CurrentUser, DocumentInfo, DocumentSummary, MyTerritory,
    Portfolio, TerritoryPage,
};
#[cfg(feature = "ssr")]
use super::{DocumentKind, PortfolioFilter, Role, TerritoryLevel};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::backend::request_context;

#[cfg(feature = "ssr")]
fn parse<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, AccountError> {
    value.parse().map_err(|_| AccountError::Invalid {
        field: field.to_owned(),
    })
}

/// Only same-site paths are followed after signing in.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/territories".to_owned(),
    }
}

#[server(prefix = "/fn", endpoint = "whoami")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AccountError> {
    let (_, viewer) = request_context()?;
    Ok(viewer.user)
}

#[server(prefix = "/fn", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AccountError> {
    let (backend, viewer) = request_context()?;
    let signed_in = backend.login(&viewer, &email, &password).await?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&signed_in.set_cookie)
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "logout")]
pub async fn logout() -> Result<(), AccountError> {
    let (backend, viewer) = request_context()?;
    let clear = backend.logout(&viewer).await?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&clear)
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "my_territories")]
pub async fn my_territories() -> Result<Vec<MyTerritory>, AccountError> {
    let (backend, viewer) = request_context()?;
    backend.my_territories(&viewer).await
}

#[server(prefix = "/fn", endpoint = "territory_overview")]
pub async fn territory_overview(id: i32) -> Result<TerritoryPage, AccountError> {
    let (backend, viewer) = request_context()?;
    backend.territory_page(&viewer, id).await
}

#[server(prefix = "/fn", endpoint = "portfolio")]
pub async fn portfolio_overview(
    territory: Option<i32>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Portfolio, AccountError> {
    let (backend, viewer) = request_context()?;
    let filter = PortfolioFilter {
        territory,
        status,
        from,
        to,
    };
    backend.portfolio(&viewer, filter).await
}

#[server(prefix = "/fn", endpoint = "document_page")]
pub async fn document_page(id: String) -> Result<DocumentInfo, AccountError> {
    let (backend, viewer) = request_context()?;
    backend.document_page(&viewer, &id).await
}

#[server(prefix = "/fn", endpoint = "create_document")]
pub async fn create_document(
    territory: i32,
    kind: String,
    title: String,
) -> Result<DocumentSummary, AccountError> {
    let (backend, viewer) = request_context()?;
    let kind: DocumentKind = parse("kind", &kind)?;
    backend
        .create_document(&viewer, territory, kind, &title)
        .await
}

#[server(prefix = "/fn", endpoint = "admin_overview")]
pub async fn admin_dashboard() -> Result<AdminOverview, AccountError> {
    let (backend, viewer) = request_context()?;
    backend.admin_overview(&viewer).await
}

#[server(prefix = "/fn", endpoint = "admin_create_territory")]
pub async fn admin_create_territory(
    name: String,
    level: String,
    parent: Option<String>,
) -> Result<i32, AccountError> {
    let (backend, viewer) = request_context()?;
    let level: TerritoryLevel = parse("level", &level)?;
    let parent = match parent.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(parse::<i32>("parent", p)?),
    };
    backend
        .create_territory(&viewer, &name, level, parent)
        .await
}

#[server(prefix = "/fn", endpoint = "admin_create_user")]
pub async fn admin_create_user(
    email: String,
    display_name: String,
    password: String,
    is_admin: Option<String>,
) -> Result<i32, AccountError> {
    let (backend, viewer) = request_context()?;
    backend
        .create_user(
            &viewer,
            &email,
            &display_name,
            &password,
            is_admin.is_some(),
        )
        .await
}

#[server(prefix = "/fn", endpoint = "admin_add_member")]
pub async fn admin_add_member(
    territory: i32,
    email: String,
    role: String,
) -> Result<(), AccountError> {
    let (backend, viewer) = request_context()?;
    let role: Role = role.parse().map_err(AccountError::UnknownRole)?;
    backend.add_member(&viewer, territory, &email, role).await
}

#[server(prefix = "/fn", endpoint = "admin_set_role")]
pub async fn admin_set_role(territory: i32, user: i32, role: String) -> Result<(), AccountError> {
    let (backend, viewer) = request_context()?;
    let role: Role = role.parse().map_err(AccountError::UnknownRole)?;
    backend.set_role(&viewer, territory, user, role).await
}

#[server(prefix = "/fn", endpoint = "admin_remove_member")]
pub async fn admin_remove_member(territory: i32, user: i32) -> Result<(), AccountError> {
    let (backend, viewer) = request_context()?;
    backend.remove_member(&viewer, territory, user).await
}

#[server(prefix = "/fn", endpoint = "admin_revoke_token")]
pub async fn admin_revoke_token(id: i32) -> Result<(), AccountError> {
    let (backend, viewer) = request_context()?;
    backend.revoke_token(&viewer, id).await
}
