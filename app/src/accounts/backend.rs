//! The seam between the pages' server functions and the server: the server implements
//! [`AccountsBackend`] over its database and provides it as a Leptos context; a middleware
//! resolves who is asking into a [`Viewer`] in the request's extensions.

use super::{
    AccountError, AdminOverview, CurrentUser, DocumentInfo, DocumentKind, DocumentSummary,
    MyTerritory, Portfolio, PortfolioFilter, Role, TerritoryLevel, TerritoryPage,
};
use std::{net::IpAddr, sync::Arc};

/// Who is making a request, resolved once per request by the server.
#[derive(Clone, Debug, Default)]
pub struct Viewer {
    pub user: Option<CurrentUser>,
    /// The hashed id of the session behind the cookie, if signed in by cookie.
    pub session_id: Option<String>,
    /// True when authenticated by an API token rather than a session cookie.
    pub by_token: bool,
    pub ip: Option<IpAddr>,
    /// Served over https: cookies get `Secure`.
    pub secure: bool,
}

impl Viewer {
    pub fn user(&self) -> Result<&CurrentUser, AccountError> {
        self.user.as_ref().ok_or(AccountError::NotSignedIn)
    }

    pub fn admin(&self) -> Result<&CurrentUser, AccountError> {
        let user = self.user()?;
        if user.is_admin {
            Ok(user)
        } else {
            Err(AccountError::Forbidden)
        }
    }
}

/// A new session: the cookie to set.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub set_cookie: String,
    pub user: CurrentUser,
}

#[async_trait::async_trait]
pub trait AccountsBackend: Send + Sync {
    async fn login(
        &self,
        viewer: &Viewer,
        email: &str,
        password: &str,
    ) -> Result<SignedIn, AccountError>;
    /// Ends the viewer's session; answers the cookie that clears it.
    async fn logout(&self, viewer: &Viewer) -> Result<String, AccountError>;
    async fn my_territories(&self, viewer: &Viewer) -> Result<Vec<MyTerritory>, AccountError>;
    async fn territory_page(
        &self,
        viewer: &Viewer,
        territory: i32,
    ) -> Result<TerritoryPage, AccountError>;
    /// Actions and indicators across the viewer's territories, from the read model.
    async fn portfolio(
        &self,
        viewer: &Viewer,
        filter: PortfolioFilter,
    ) -> Result<Portfolio, AccountError>;
    async fn document_page(
        &self,
        viewer: &Viewer,
        document: &str,
    ) -> Result<DocumentInfo, AccountError>;
    async fn create_document(
        &self,
        viewer: &Viewer,
        territory: i32,
        kind: DocumentKind,
        title: &str,
    ) -> Result<DocumentSummary, AccountError>;
    async fn admin_overview(&self, viewer: &Viewer) -> Result<AdminOverview, AccountError>;
    async fn create_territory(
        &self,
        viewer: &Viewer,
        name: &str,
        level: TerritoryLevel,
        parent: Option<i32>,
    ) -> Result<i32, AccountError>;
    async fn create_user(
        &self,
        viewer: &Viewer,
        email: &str,
        display_name: &str,
        password: &str,
        is_admin: bool,
    ) -> Result<i32, AccountError>;
    async fn add_member(
        &self,
        viewer: &Viewer,
        territory: i32,
        email: &str,
        role: Role,
    ) -> Result<(), AccountError>;
    async fn set_role(
        &self,
        viewer: &Viewer,
        territory: i32,
        user: i32,
        role: Role,
    ) -> Result<(), AccountError>;
    async fn remove_member(
        &self,
        viewer: &Viewer,
        territory: i32,
        user: i32,
    ) -> Result<(), AccountError>;
    async fn revoke_token(&self, viewer: &Viewer, token: i32) -> Result<(), AccountError>;
}

/// How the backend is shared through Leptos contexts.
pub type SharedBackend = Arc<dyn AccountsBackend>;

/// The backend and the viewer of the request being served.
pub fn request_context() -> Result<(SharedBackend, Viewer), AccountError> {
    use leptos::prelude::use_context;
    let backend = use_context::<SharedBackend>().ok_or(AccountError::Internal)?;
    let viewer = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .unwrap_or_default();
    Ok((backend, viewer))
}
