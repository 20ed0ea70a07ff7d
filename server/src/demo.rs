//! The demo territory: the rural commune of Bni Drar, in the prefecture of Oujda-Angad
//! (Oriental region), with an admin and a member of every role. Running it again keeps what
//! exists and gives every demo account a fresh password, printed once. The commune gets a
//! shared diagnosis with realistic content the first time.

use app::accounts::{AccountError, DocumentKind, Role, TerritoryLevel};
use app::model::{action_plan, diagnosis};
use rand::{Rng, distr::Alphanumeric};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{accounts::Accounts, documents, store::entities::document};

/// One demo account and the password it was given.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Option<Role>,
    pub password: String,
}

const PEOPLE: [(&str, &str, Option<Role>); 5] = [
    ("admin@terrain.demo", "Administration Terrain", None),
    (
        "salma.benali@terrain.demo",
        "Salma Benali",
        Some(Role::Coach),
    ),
    (
        "youssef.elidrissi@terrain.demo",
        "Youssef El Idrissi",
        Some(Role::Coach),
    ),
    (
        "karim.ouahbi@terrain.demo",
        "Karim Ouahbi",
        Some(Role::Field),
    ),
    (
        "nadia.cherkaoui@terrain.demo",
        "Nadia Cherkaoui",
        Some(Role::Manager),
    ),
];

fn password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(14)
        .map(char::from)
        .collect()
}

async fn territory(
    accounts: &Accounts,
    name: &str,
    level: TerritoryLevel,
    parent: Option<i32>,
) -> Result<i32, AccountError> {
    match accounts.find_territory_by_name(name).await? {
        Some(id) => Ok(id),
        None => {
            accounts
                .create_territory_as_admin(name, level, parent, None)
                .await
        }
    }
}

/// Loads (or refreshes) the demo; answers the commune's id and the accounts.
pub async fn load(accounts: &Accounts) -> Result<(i32, Vec<DemoAccount>), AccountError> {
    let region = territory(
        accounts,
        "Région de l'Oriental",
        TerritoryLevel::Region,
        None,
    )
    .await?;
    let prefecture = territory(
        accounts,
        "Préfecture d'Oujda-Angad",
        TerritoryLevel::Province,
        Some(region),
    )
    .await?;
    let commune = territory(
        accounts,
        "Commune de Bni Drar",
        TerritoryLevel::Commune,
        Some(prefecture),
    )
    .await?;

    let mut out = Vec::new();
    for (email, name, role) in PEOPLE {
        let pw = password();
        match accounts
            .create_user_as_admin(email, name, &pw, role.is_none(), None)
            .await
        {
            Ok(_) => {}
            Err(AccountError::DuplicateEmail) => accounts.set_password(email, &pw).await?,
            Err(e) => return Err(e),
        }
        if let Some(role) = role {
            accounts
                .put_member_as_admin(commune, email, role, None, None)
                .await?;
            if role == Role::Manager {
                accounts
                    .put_member_as_admin(prefecture, email, role, None, None)
                    .await?;
            }
        }
        out.push(DemoAccount {
            email,
            name,
            role,
            password: pw,
        });
    }
    diagnosis_document(accounts, commune).await?;
    Ok((commune, out))
}

/// The commune's shared diagnosis, created once with the demo content (about 40 actors, 80 ties
/// and 8 issues with positions), and its action plan drawing on it; later runs keep whatever
/// people have edited since.
async fn diagnosis_document(accounts: &Accounts, commune: i32) -> Result<(), AccountError> {
    let db = accounts.db();
    let find = |kind: DocumentKind| {
        document::Entity::find()
            .filter(document::Column::TerritoryId.eq(commune))
            .filter(document::Column::Kind.eq(kind.as_str()))
            .one(db)
    };
    let diagnosis_id = match find(DocumentKind::Diagnosis)
        .await
        .map_err(crate::store::StoreError::from)?
    {
        Some(row) => row.id,
        None => {
            let content = diagnosis::demo::demo_diagnosis();
            let seed = |doc: &mut automerge::AutoCommit| diagnosis::doc::write(doc, &content);
            documents::create(
                db,
                commune,
                DocumentKind::Diagnosis,
                &content.title,
                None,
                Some(&seed),
            )
            .await?
            .id
        }
    };
    if find(DocumentKind::ActionPlan)
        .await
        .map_err(crate::store::StoreError::from)?
        .is_none()
    {
        let plan = action_plan::demo::demo_action_plan(&diagnosis_id);
        let seed = |doc: &mut automerge::AutoCommit| action_plan::doc::write(doc, &plan);
        documents::create(
            db,
            commune,
            DocumentKind::ActionPlan,
            &plan.title,
            None,
            Some(&seed),
        )
        .await?;
    }
    Ok(())
}
