//! Accounts, territories, memberships and tokens over the database: the server's implementation
//! of [`AccountsBackend`] for the pages, plus the operations the CLI runs with full rights.
//! Every check goes through [`crate::auth::authorize`]; every security event is audited.

use app::accounts::{
    AccountError, AccountsBackend, AdminOverview, CurrentUser, DocumentInfo, DocumentKind,
    DocumentSummary, MemberRow, MyTerritory, Portfolio, PortfolioFilter, Role, SignedIn,
    TerritoryLevel, TerritoryPage, TerritoryRow, TokenRow, UserRow, Viewer,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use std::{collections::HashMap, time::Instant};

use crate::{
    auth::{
        SESSION_COOKIE, SESSION_DAYS, authorize,
        password::{self, MIN_LENGTH},
        rate_limit::{Limits, LoginLimiter},
        secret,
    },
    documents,
    store::{
        StoreError,
        entities::{api_token, audit_log, document, membership, session, territory, user},
    },
};

pub struct Accounts {
    db: DatabaseConnection,
    limiter: LoginLimiter,
}

/// Lower-cased and trimmed; refused unless it looks like an address.
pub fn normalize_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace)
        && email.matches('@').count() == 1;
    if valid {
        Ok(email)
    } else {
        Err(AccountError::Invalid {
            field: "email".into(),
        })
    }
}

fn invalid(field: &str) -> AccountError {
    AccountError::Invalid {
        field: field.to_owned(),
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn summary(d: document::Model) -> DocumentSummary {
    DocumentSummary {
        url: format!("automerge:{}", d.id),
        kind: d.kind.parse().unwrap_or(DocumentKind::Diagnosis),
        id: d.id,
        territory: d.territory_id,
        title: d.title,
        created_at: rfc3339(d.created_at),
    }
}

fn territory_row(t: territory::Model) -> TerritoryRow {
    TerritoryRow {
        id: t.id,
        level: t.level.parse().unwrap_or(TerritoryLevel::Commune),
        name: t.name,
        parent_id: t.parent_id,
    }
}

impl Accounts {
    pub fn new(db: DatabaseConnection, limits: Limits) -> Self {
        password::prepare_dummy();
        Self {
            db,
            limiter: LoginLimiter::new(limits),
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Appends one security event to the audit log. A failure to audit is logged, not fatal.
    pub async fn audit(
        &self,
        event: &str,
        actor: Option<i32>,
        subject: Option<String>,
        viewer: Option<&Viewer>,
        detail: Option<String>,
    ) {
        let row = audit_log::ActiveModel {
            at: Set(Utc::now()),
            event: Set(event.to_owned()),
            actor_id: Set(actor),
            subject: Set(subject),
            ip: Set(viewer.and_then(|v| v.ip).map(|ip| ip.to_string())),
            detail: Set(detail),
            ..Default::default()
        };
        if let Err(e) = row.insert(&self.db).await {
            tracing::error!(error = %e, event, "cannot write the audit log");
        }
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<user::Model>, StoreError> {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .map_err(StoreError::from)
    }

    // ---- operations with full rights (CLI, and the admin pages after their check) ----

    pub async fn create_user_as_admin(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        is_admin: bool,
        actor: Option<i32>,
    ) -> Result<i32, AccountError> {
        let email = normalize_email(email)?;
        if password.chars().count() < MIN_LENGTH {
            return Err(invalid("password"));
        }
        let display_name = match display_name.trim() {
            "" => email.split('@').next().unwrap_or_default().to_owned(),
            name => name.to_owned(),
        };
        if self.user_by_email(&email).await?.is_some() {
            return Err(AccountError::DuplicateEmail);
        }
        let hash = password::hash(password).map_err(|e| {
            tracing::error!(error = %e);
            AccountError::Internal
        })?;
        let inserted = user::ActiveModel {
            email: Set(email.clone()),
            display_name: Set(display_name),
            preferred_language: Set("fr".to_owned()),
            password_hash: Set(hash),
            is_admin: Set(is_admin),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        let user = match inserted {
            Ok(u) => u,
            // Lost a race with another insert of the same email.
            Err(_) if self.user_by_email(&email).await?.is_some() => {
                return Err(AccountError::DuplicateEmail);
            }
            Err(e) => return Err(StoreError::from(e).into()),
        };
        self.audit(
            "user_created",
            actor,
            Some(email),
            None,
            is_admin.then(|| "admin".to_owned()),
        )
        .await;
        Ok(user.id)
    }

    /// Replaces a user's password (the demo loader uses it to print fresh passwords).
    pub async fn set_password(&self, email: &str, password: &str) -> Result<(), AccountError> {
        let email = normalize_email(email)?;
        let u = self
            .user_by_email(&email)
            .await?
            .ok_or_else(|| AccountError::UnknownUser(email.clone()))?;
        let hash = password::hash(password).map_err(|_| AccountError::Internal)?;
        let mut active: user::ActiveModel = u.into();
        active.password_hash = Set(hash);
        active.update(&self.db).await.map_err(StoreError::from)?;
        Ok(())
    }

    pub async fn create_territory_as_admin(
        &self,
        name: &str,
        level: TerritoryLevel,
        parent: Option<i32>,
        actor: Option<i32>,
    ) -> Result<i32, AccountError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(invalid("name"));
        }
        if let Some(parent) = parent
            && territory::Entity::find_by_id(parent)
                .one(&self.db)
                .await
                .map_err(StoreError::from)?
                .is_none()
        {
            return Err(invalid("parent"));
        }
        let t = territory::ActiveModel {
            name: Set(name.to_owned()),
            level: Set(level.as_str().to_owned()),
            parent_id: Set(parent),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from)?;
        self.audit(
            "territory_created",
            actor,
            Some(format!("territory {}", t.id)),
            None,
            Some(t.name),
        )
        .await;
        Ok(t.id)
    }

    pub async fn find_territory_by_name(&self, name: &str) -> Result<Option<i32>, AccountError> {
        Ok(territory::Entity::find()
            .filter(territory::Column::Name.eq(name))
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .map(|t| t.id))
    }

    /// Adds a member, or changes the role of an existing one.
    pub async fn put_member_as_admin(
        &self,
        territory_id: i32,
        email: &str,
        role: Role,
        actor: Option<i32>,
        viewer: Option<&Viewer>,
    ) -> Result<bool, AccountError> {
        let email = normalize_email(email)?;
        if territory::Entity::find_by_id(territory_id)
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .is_none()
        {
            return Err(AccountError::NotFound);
        }
        let u = self
            .user_by_email(&email)
            .await?
            .ok_or_else(|| AccountError::UnknownUser(email.clone()))?;
        let existing = membership::Entity::find_by_id((u.id, territory_id))
            .one(&self.db)
            .await
            .map_err(StoreError::from)?;
        let created = existing.is_none();
        let previous = existing.as_ref().map(|m| m.role.clone());
        match existing {
            Some(m) => {
                let mut active: membership::ActiveModel = m.into();
                active.role = Set(role.as_str().to_owned());
                active.update(&self.db).await.map_err(StoreError::from)?;
            }
            None => {
                membership::ActiveModel {
                    user_id: Set(u.id),
                    territory_id: Set(territory_id),
                    role: Set(role.as_str().to_owned()),
                    created_at: Set(Utc::now()),
                }
                .insert(&self.db)
                .await
                .map_err(StoreError::from)?;
            }
        }
        let detail = match previous {
            Some(before) => format!("{before} -> {role}"),
            None => format!("added as {role}"),
        };
        self.audit(
            "role_change",
            actor,
            Some(format!("{email} in territory {territory_id}")),
            viewer,
            Some(detail),
        )
        .await;
        Ok(created)
    }

    pub async fn create_token(
        &self,
        email: &str,
        name: &str,
    ) -> Result<(i32, String), AccountError> {
        let email = normalize_email(email)?;
        let u = self
            .user_by_email(&email)
            .await?
            .ok_or_else(|| AccountError::UnknownUser(email.clone()))?;
        let token = secret::generate("trn_");
        let name = match name.trim() {
            "" => "cli".to_owned(),
            n => n.to_owned(),
        };
        let row = api_token::ActiveModel {
            user_id: Set(u.id),
            name: Set(name.clone()),
            token_hash: Set(secret::digest(&token)),
            created_at: Set(Utc::now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from)?;
        self.audit(
            "token_created",
            Some(u.id),
            Some(format!("token {}", row.id)),
            None,
            Some(name),
        )
        .await;
        Ok((row.id, token))
    }

    pub async fn revoke_token_as_admin(
        &self,
        id: i32,
        actor: Option<i32>,
        viewer: Option<&Viewer>,
    ) -> Result<(), AccountError> {
        let t = api_token::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .ok_or(AccountError::NotFound)?;
        if t.revoked_at.is_none() {
            let mut active: api_token::ActiveModel = t.into();
            active.revoked_at = Set(Some(Utc::now()));
            active.update(&self.db).await.map_err(StoreError::from)?;
            self.audit(
                "token_revoked",
                actor,
                Some(format!("token {id}")),
                viewer,
                None,
            )
            .await;
        }
        Ok(())
    }

    pub async fn users(&self) -> Result<Vec<UserRow>, AccountError> {
        let rows = user::Entity::find()
            .order_by_asc(user::Column::Email)
            .all(&self.db)
            .await
            .map_err(StoreError::from)?;
        Ok(rows
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                is_admin: u.is_admin,
            })
            .collect())
    }

    pub async fn members(&self, territory_id: Option<i32>) -> Result<Vec<MemberRow>, AccountError> {
        let mut query = membership::Entity::find();
        if let Some(t) = territory_id {
            query = query.filter(membership::Column::TerritoryId.eq(t));
        }
        let memberships = query.all(&self.db).await.map_err(StoreError::from)?;
        let users: HashMap<i32, user::Model> = user::Entity::find()
            .all(&self.db)
            .await
            .map_err(StoreError::from)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let territories: HashMap<i32, territory::Model> = territory::Entity::find()
            .all(&self.db)
            .await
            .map_err(StoreError::from)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let mut rows: Vec<MemberRow> = memberships
            .into_iter()
            .filter_map(|m| {
                let u = users.get(&m.user_id)?;
                let t = territories.get(&m.territory_id)?;
                Some(MemberRow {
                    territory_id: t.id,
                    territory_name: t.name.clone(),
                    user_id: u.id,
                    email: u.email.clone(),
                    display_name: u.display_name.clone(),
                    role: m.role.parse().ok()?,
                })
            })
            .collect();
        rows.sort_by(|a, b| {
            a.territory_name
                .cmp(&b.territory_name)
                .then(a.email.cmp(&b.email))
        });
        Ok(rows)
    }

    pub async fn territories(&self) -> Result<Vec<TerritoryRow>, AccountError> {
        Ok(territory::Entity::find()
            .order_by_asc(territory::Column::Name)
            .all(&self.db)
            .await
            .map_err(StoreError::from)?
            .into_iter()
            .map(territory_row)
            .collect())
    }

    pub async fn tokens(&self) -> Result<Vec<TokenRow>, AccountError> {
        let users: HashMap<i32, String> = user::Entity::find()
            .all(&self.db)
            .await
            .map_err(StoreError::from)?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect();
        Ok(api_token::Entity::find()
            .order_by_asc(api_token::Column::Id)
            .all(&self.db)
            .await
            .map_err(StoreError::from)?
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                user_email: users.get(&t.user_id).cloned().unwrap_or_default(),
                name: t.name,
                created_at: rfc3339(t.created_at),
                last_used_at: t.last_used_at.map(rfc3339),
                revoked_at: t.revoked_at.map(rfc3339),
            })
            .collect())
    }

    /// The documents of a territory, for a viewer allowed to read them.
    pub async fn list_documents(
        &self,
        viewer: &Viewer,
        territory_id: i32,
    ) -> Result<Vec<DocumentSummary>, AccountError> {
        let user = authorize::signed_in(viewer)?;
        let role = authorize::role_in(&self.db, user.id, territory_id).await?;
        authorize::read(viewer, role)?;
        Ok(document::Entity::find()
            .filter(document::Column::TerritoryId.eq(territory_id))
            .order_by_asc(document::Column::CreatedAt)
            .all(&self.db)
            .await
            .map_err(StoreError::from)?
            .into_iter()
            .map(summary)
            .collect())
    }

    fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
        format!(
            "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
            if secure { "; Secure" } else { "" }
        )
    }
}

#[async_trait::async_trait]
impl AccountsBackend for Accounts {
    async fn login(
        &self,
        viewer: &Viewer,
        email: &str,
        password_given: &str,
    ) -> Result<SignedIn, AccountError> {
        let account = email.trim().to_lowercase();
        let now = Instant::now();
        if let Err(wait) = self.limiter.check(viewer.ip, &account, now) {
            self.audit(
                "login_rate_limited",
                None,
                Some(account),
                Some(viewer),
                None,
            )
            .await;
            return Err(AccountError::RateLimited {
                retry_after_secs: wait.as_secs(),
            });
        }
        let found = self.user_by_email(&account).await?;
        let hash_matches = {
            let password_given = password_given.to_owned();
            let stored = found.as_ref().map(|u| u.password_hash.clone());
            // argon2 is CPU-bound: keep it off the async workers.
            tokio::task::spawn_blocking(move || match stored {
                Some(phc) => password::verify(&phc, &password_given),
                None => {
                    password::verify_dummy(&password_given);
                    false
                }
            })
            .await
            .map_err(|_| AccountError::Internal)?
        };
        let Some(u) = found.filter(|_| hash_matches) else {
            self.limiter.record_failure(viewer.ip, &account, now);
            self.audit("login_failed", None, Some(account), Some(viewer), None)
                .await;
            return Err(AccountError::InvalidCredentials);
        };
        self.limiter.record_success(&account);
        let secret_value = secret::generate("");
        let now_utc = Utc::now();
        session::ActiveModel {
            id: Set(secret::digest(&secret_value)),
            user_id: Set(u.id),
            created_at: Set(now_utc),
            expires_at: Set(now_utc + chrono::Duration::days(SESSION_DAYS)),
            last_seen_at: Set(now_utc),
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from)?;
        self.audit(
            "login",
            Some(u.id),
            Some(u.email.clone()),
            Some(viewer),
            None,
        )
        .await;
        Ok(SignedIn {
            set_cookie: Self::session_cookie(&secret_value, SESSION_DAYS * 86_400, viewer.secure),
            user: CurrentUser {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                is_admin: u.is_admin,
                preferred_language: u.preferred_language,
            },
        })
    }

    async fn logout(&self, viewer: &Viewer) -> Result<String, AccountError> {
        if let Some(id) = &viewer.session_id {
            session::Entity::delete_by_id(id.clone())
                .exec(&self.db)
                .await
                .map_err(StoreError::from)?;
            self.audit(
                "logout",
                viewer.user.as_ref().map(|u| u.id),
                None,
                Some(viewer),
                None,
            )
            .await;
        }
        Ok(Self::session_cookie("", 0, viewer.secure))
    }

    async fn my_territories(&self, viewer: &Viewer) -> Result<Vec<MyTerritory>, AccountError> {
        let user = authorize::signed_in(viewer)?;
        let memberships = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user.id))
            .all(&self.db)
            .await
            .map_err(StoreError::from)?;
        let mut out = Vec::with_capacity(memberships.len());
        for m in memberships {
            let Some(t) = territory::Entity::find_by_id(m.territory_id)
                .one(&self.db)
                .await
                .map_err(StoreError::from)?
            else {
                continue;
            };
            let Ok(role) = m.role.parse() else { continue };
            let documents = document::Entity::find()
                .filter(document::Column::TerritoryId.eq(t.id))
                .count(&self.db)
                .await
                .map_err(StoreError::from)?;
            out.push(MyTerritory {
                id: t.id,
                level: t.level.parse().unwrap_or(TerritoryLevel::Commune),
                name: t.name,
                role,
                documents,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn territory_page(
        &self,
        viewer: &Viewer,
        territory_id: i32,
    ) -> Result<TerritoryPage, AccountError> {
        let user = authorize::signed_in(viewer)?;
        let role = authorize::role_in(&self.db, user.id, territory_id).await?;
        let role = authorize::read(viewer, role)?;
        let t = territory::Entity::find_by_id(territory_id)
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .ok_or(AccountError::NotFound)?;
        Ok(TerritoryPage {
            territory: territory_row(t),
            role,
            documents: self.list_documents(viewer, territory_id).await?,
        })
    }

    async fn portfolio(
        &self,
        viewer: &Viewer,
        filter: PortfolioFilter,
    ) -> Result<Portfolio, AccountError> {
        crate::portfolio::query(&self.db, viewer, &filter).await
    }

    async fn document_page(&self, viewer: &Viewer, id: &str) -> Result<DocumentInfo, AccountError> {
        let user = authorize::signed_in(viewer)?;
        let row = document::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .ok_or(AccountError::NotFound)?;
        let role = authorize::role_in(&self.db, user.id, row.territory_id).await?;
        let role = authorize::read(viewer, role)?;
        let t = territory::Entity::find_by_id(row.territory_id)
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .ok_or(AccountError::NotFound)?;
        Ok(DocumentInfo {
            document: summary(row),
            territory: territory_row(t),
            role,
            me: user.display_name.clone(),
        })
    }

    async fn create_document(
        &self,
        viewer: &Viewer,
        territory_id: i32,
        kind: DocumentKind,
        title: &str,
    ) -> Result<DocumentSummary, AccountError> {
        let user = authorize::signed_in(viewer)?;
        let role = authorize::role_in(&self.db, user.id, territory_id).await?;
        authorize::write(viewer, role)?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(invalid("title"));
        }
        let row =
            documents::create(&self.db, territory_id, kind, title, Some(user.id), None).await?;
        Ok(summary(row))
    }

    async fn admin_overview(&self, viewer: &Viewer) -> Result<AdminOverview, AccountError> {
        authorize::admin(viewer)?;
        Ok(AdminOverview {
            territories: self.territories().await?,
            users: self.users().await?,
            members: self.members(None).await?,
            tokens: self.tokens().await?,
        })
    }

    async fn create_territory(
        &self,
        viewer: &Viewer,
        name: &str,
        level: TerritoryLevel,
        parent: Option<i32>,
    ) -> Result<i32, AccountError> {
        let admin = authorize::admin(viewer)?;
        self.create_territory_as_admin(name, level, parent, Some(admin.id))
            .await
    }

    async fn create_user(
        &self,
        viewer: &Viewer,
        email: &str,
        display_name: &str,
        password_given: &str,
        is_admin: bool,
    ) -> Result<i32, AccountError> {
        let admin = authorize::admin(viewer)?;
        self.create_user_as_admin(
            email,
            display_name,
            password_given,
            is_admin,
            Some(admin.id),
        )
        .await
    }

    async fn add_member(
        &self,
        viewer: &Viewer,
        territory_id: i32,
        email: &str,
        role: Role,
    ) -> Result<(), AccountError> {
        let admin = authorize::admin(viewer)?;
        let created = self
            .put_member_as_admin(territory_id, email, role, Some(admin.id), Some(viewer))
            .await?;
        if created {
            Ok(())
        } else {
            Err(AccountError::AlreadyMember)
        }
    }

    async fn set_role(
        &self,
        viewer: &Viewer,
        territory_id: i32,
        user_id: i32,
        role: Role,
    ) -> Result<(), AccountError> {
        let admin = authorize::admin(viewer)?;
        let u = user::Entity::find_by_id(user_id)
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .ok_or(AccountError::NotFound)?;
        if membership::Entity::find_by_id((user_id, territory_id))
            .one(&self.db)
            .await
            .map_err(StoreError::from)?
            .is_none()
        {
            return Err(AccountError::NotFound);
        }
        self.put_member_as_admin(territory_id, &u.email, role, Some(admin.id), Some(viewer))
            .await
            .map(|_| ())
    }

    async fn remove_member(
        &self,
        viewer: &Viewer,
        territory_id: i32,
        user_id: i32,
    ) -> Result<(), AccountError> {
        let admin = authorize::admin(viewer)?;
        let result = membership::Entity::delete_by_id((user_id, territory_id))
            .exec(&self.db)
            .await
            .map_err(StoreError::from)?;
        if result.rows_affected == 0 {
            return Err(AccountError::NotFound);
        }
        self.audit(
            "role_change",
            Some(admin.id),
            Some(format!("user {user_id} in territory {territory_id}")),
            Some(viewer),
            Some("removed".to_owned()),
        )
        .await;
        Ok(())
    }

    async fn revoke_token(&self, viewer: &Viewer, token: i32) -> Result<(), AccountError> {
        let admin = authorize::admin(viewer)?;
        self.revoke_token_as_admin(token, Some(admin.id), Some(viewer))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            normalize_email("  Coach@Oujda.MA ").unwrap(),
            "coach@oujda.ma"
        );
        for bad in [
            "", "no-at", "a@b", "a@@b.c", "@b.c", "a b@c.d", "a@.c", "a@c.",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
