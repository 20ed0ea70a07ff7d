//! The `terrain` command line.

use clap::{Parser, Subcommand};
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
}
