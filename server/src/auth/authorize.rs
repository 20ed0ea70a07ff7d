//! Terrain's one authorization module: every page, server function, API call and (next) sync
//! message asks it. The rules:
//! - members of a territory read its documents; coaches and field teams also write them;
//!   managers only read;
//! - admins manage territories, members, users and tokens; document content stays with members;
//! - anyone else is told "not found" for a territory's documents, so its existence does not leak;
//! - anonymous callers are asked to sign in.

use app::accounts::{AccountError, CurrentUser, Role, Viewer};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::store::{StoreError, entities::membership};

pub use app::sync::Access;

/// The access to a territory's documents that a membership role grants.
pub fn access_of(role: Option<Role>) -> Access {
    match role {
        None => Access::None,
        Some(r) if r.can_write() => Access::Write,
        Some(_) => Access::Read,
    }
}

/// Requires a signed-in viewer.
pub fn signed_in(viewer: &Viewer) -> Result<&CurrentUser, AccountError> {
    viewer.user()
}

/// Requires an admin.
pub fn admin(viewer: &Viewer) -> Result<&CurrentUser, AccountError> {
    viewer.admin()
}

/// Reading a territory's documents: needs a membership. Admins who are not members are refused
/// openly (they know the territory exists); everyone else gets "not found".
pub fn read(viewer: &Viewer, role: Option<Role>) -> Result<Role, AccountError> {
    let user = viewer.user()?;
    match role {
        Some(role) => Ok(role),
        None if user.is_admin => Err(AccountError::Forbidden),
        None => Err(AccountError::NotFound),
    }
}

/// Writing a territory's documents: coaches and field teams only.
pub fn write(viewer: &Viewer, role: Option<Role>) -> Result<Role, AccountError> {
    let role = read(viewer, role)?;
    if role.can_write() {
        Ok(role)
    } else {
        Err(AccountError::Forbidden)
    }
}

/// The viewer's role in a territory, from the database.
pub async fn role_in(
    db: &DatabaseConnection,
    user: i32,
    territory: i32,
) -> Result<Option<Role>, StoreError> {
    let row = membership::Entity::find_by_id((user, territory))
        .one(db)
        .await?;
    Ok(row.and_then(|m| m.role.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(is_admin: bool) -> Viewer {
        Viewer {
            user: Some(CurrentUser {
                id: 1,
                email: "a@x".into(),
                display_name: "A".into(),
                is_admin,
                preferred_language: "fr".into(),
            }),
            ..Viewer::default()
        }
    }

    #[test]
    fn the_rules() {
        use AccountError::*;
        let anon = Viewer::default();
        let member = viewer(false);
        let admin = viewer(true);
        assert_eq!(read(&anon, Some(Role::Coach)), Err(NotSignedIn));
        assert_eq!(read(&member, None), Err(NotFound));
        assert_eq!(read(&admin, None), Err(Forbidden));
        for role in Role::ALL {
            assert_eq!(read(&member, Some(role)), Ok(role));
        }
        assert_eq!(write(&member, Some(Role::Coach)), Ok(Role::Coach));
        assert_eq!(write(&member, Some(Role::Field)), Ok(Role::Field));
        assert_eq!(write(&member, Some(Role::Manager)), Err(Forbidden));
        assert_eq!(write(&member, None), Err(NotFound));
        assert_eq!(access_of(Some(Role::Manager)), Access::Read);
        assert_eq!(access_of(Some(Role::Field)), Access::Write);
        assert_eq!(access_of(None), Access::None);
        assert!(super::admin(&member).is_err() && super::admin(&admin).is_ok());
    }
}
