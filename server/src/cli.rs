//! The `terrain` command line.

use app::accounts::{Role, TerritoryLevel};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "terrain",
    version,
    about = "Terrain: the territorial coaching tool"
)]
pub struct Cli {
    /// A TOML settings file (also TERRAIN_CONFIG); environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Territories: add, list.
    #[command(subcommand)]
    Territory(TerritoryCommand),
    /// Users: add, list.
    #[command(subcommand)]
    User(UserCommand),
    /// Memberships: add (or change a role), list.
    #[command(subcommand)]
    Member(MemberCommand),
    /// API tokens: create, revoke, list.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Load the demo territory (Bni Drar in the prefecture of Oujda-Angad) with a member of
    /// every role, and print their (fresh) passwords.
    Demo,
}

#[derive(Debug, Subcommand)]
pub enum TerritoryCommand {
    /// Create a territory; prints its id as the last word.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "commune")]
        level: LevelArg,
        /// The id of the enclosing territory.
        #[arg(long)]
        parent: Option<i32>,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Display name (defaults to the part of the email before @).
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long)]
        admin: bool,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Make a user a member of a territory with a role (or change their role).
    Add {
        #[arg(long)]
        territory: i32,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    List {
        #[arg(long)]
        territory: Option<i32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; prints the token as the last word (shown only once).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke a token by its id (see `token list`).
    Revoke {
        #[arg(long)]
        id: i32,
    },
    List,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Coach,
    Field,
    Manager,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Coach => Role::Coach,
            RoleArg::Field => Role::Field,
            RoleArg::Manager => Role::Manager,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LevelArg {
    Commune,
    Province,
    Region,
}

impl From<LevelArg> for TerritoryLevel {
    fn from(l: LevelArg) -> Self {
        match l {
            LevelArg::Commune => TerritoryLevel::Commune,
            LevelArg::Province => TerritoryLevel::Province,
            LevelArg::Region => TerritoryLevel::Region,
        }
    }
}
