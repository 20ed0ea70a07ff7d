//! The account data pages and the API exchange, shared by server and browser.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A member's role in one territory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the diagnosis and the plans: reads and writes.
    Coach,
    /// Captures meetings and measurements in the field: reads and writes.
    Field,
    /// Follows plans and indicators: reads only.
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Coach, Role::Field, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Coach => "coach",
            Role::Field => "field",
            Role::Manager => "manager",
        }
    }

    /// Whether this role may change a territory's documents.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Coach | Role::Field)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| s.to_owned())
    }
}

/// Where a territory sits in Morocco's administrative levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TerritoryLevel {
    Commune,
    Province,
    Region,
}

impl TerritoryLevel {
    pub const ALL: [TerritoryLevel; 3] = [
        TerritoryLevel::Commune,
        TerritoryLevel::Province,
        TerritoryLevel::Region,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TerritoryLevel::Commune => "commune",
            TerritoryLevel::Province => "province",
            TerritoryLevel::Region => "region",
        }
    }
}

impl FromStr for TerritoryLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TerritoryLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| s.to_owned())
    }
}

/// The kinds of collaborative document a territory holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Diagnosis,
    ActionPlan,
    Meeting,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Diagnosis,
        DocumentKind::ActionPlan,
        DocumentKind::Meeting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Diagnosis => "diagnosis",
            DocumentKind::ActionPlan => "action_plan",
            DocumentKind::Meeting => "meeting",
        }
    }
}

impl FromStr for DocumentKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| s.to_owned())
    }
}

/// The signed-in user, as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub preferred_language: String,
}

/// One of the signed-in user's territories, with their role there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTerritory {
    pub id: i32,
    pub name: String,
    pub level: TerritoryLevel,
    pub role: Role,
    pub documents: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryRow {
    pub id: i32,
    pub name: String,
    pub level: TerritoryLevel,
    pub parent_id: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub territory_id: i32,
    pub territory_name: String,
    pub user_id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i32,
    pub user_email: String,
    pub name: String,
    /// RFC 3339 timestamps.
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// Everything the admin area shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub territories: Vec<TerritoryRow>,
    pub users: Vec<UserRow>,
    pub members: Vec<MemberRow>,
    pub tokens: Vec<TokenRow>,
}

/// A registered document, as `GET /api/documents` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// The automerge-repo document id (bs58check of 16 bytes).
    pub id: String,
    /// `automerge:<id>`.
    pub url: String,
    pub territory: i32,
    pub kind: DocumentKind,
    pub title: String,
    pub created_at: String,
}

/// A territory page: the territory, the viewer's role there, its documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryPage {
    pub territory: TerritoryRow,
    pub role: Role,
    pub documents: Vec<DocumentSummary>,
}

/// What a document's page needs before the document itself arrives over sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub document: DocumentSummary,
    pub territory: TerritoryRow,
    pub role: Role,
    /// The viewer's name, recorded as the author of their changes.
    pub me: String,
}

impl DocumentInfo {
    /// Coaches and field teams edit; managers only read (the sync server refuses their changes).
    pub fn can_write(&self) -> bool {
        self.role.can_write()
    }
}

/// What the managers' portfolio shows: filters chosen on the page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioFilter {
    pub territory: Option<i32>,
    /// An action status ("planned", "in_progress", …), or every status.
    pub status: Option<String>,
    /// Actions due on or after / before or on these ISO dates.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One action, from the read model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioAction {
    pub document: String,
    pub item: String,
    pub territory: i32,
    pub territory_name: String,
    pub orientation: String,
    pub title: String,
    pub lead: String,
    pub status: String,
    pub progress: f64,
    pub start: String,
    pub due: String,
    pub budget: f64,
    pub committed: f64,
    pub late: bool,
}

/// One indicator, from the read model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioIndicator {
    pub document: String,
    pub item: String,
    pub territory: i32,
    pub territory_name: String,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub current: Option<f64>,
    pub target: Option<f64>,
    pub target_period: String,
    pub progress: Option<f64>,
}

/// The portfolio across the viewer's territories.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    /// Every territory the viewer belongs to (id, name), for the filter.
    pub territories: Vec<(i32, String)>,
    pub actions: Vec<PortfolioAction>,
    pub indicators: Vec<PortfolioIndicator>,
    /// The server's date (ISO), against which lateness is judged.
    pub today: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_only_coaches_and_field_teams_write() {
        assert_eq!("coach".parse::<Role>(), Ok(Role::Coach));
        assert_eq!("field".parse::<Role>(), Ok(Role::Field));
        assert_eq!("manager".parse::<Role>(), Ok(Role::Manager));
        assert_eq!("boss".parse::<Role>(), Err("boss".to_owned()));
        assert!(Role::Coach.can_write() && Role::Field.can_write());
        assert!(!Role::Manager.can_write());
    }

    #[test]
    fn document_kinds_use_the_api_spelling() {
        assert_eq!(
            serde_json::to_string(&DocumentKind::ActionPlan).unwrap(),
            "\"action_plan\""
        );
        assert_eq!("meeting".parse::<DocumentKind>(), Ok(DocumentKind::Meeting));
    }
}
