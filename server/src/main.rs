//! `terrain`: serve, migrate, and (later) administer Terrain from the command line.
#![forbid(unsafe_code)]

use clap::Parser;
use server::{
    Settings,
    cli::{Cli, Command},
    db,
    settings::LogFormat,
    startup,
};
use std::{io::IsTerminal, process::ExitCode};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.clone()) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    init_logging(settings.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => return fail(&e),
    };
    match runtime.block_on(run(cli, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&*e),
    }
}

/// One line on stderr saying what went wrong and what to fix; no panic trace.
fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("terrain: {e}");
    ExitCode::FAILURE
}

async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(?settings, "starting");
            let db = db::connect_and_migrate(&settings.database_url).await?;
            let listener = startup::bind(settings.addr).await?;
            let addr = listener.local_addr()?;
            let state = startup::state(&settings, db);
            // Tests and scripts read this line to learn the port when TERRAIN_ADDR ends in :0.
            println!("terrain listening on http://{addr}");
            tracing::info!(%addr, "listening");
            startup::serve(state, listener, startup::shutdown_signal()).await?;
            tracing::info!("stopped");
        }
        Command::Migrate => {
            db::connect_and_migrate(&settings.database_url).await?;
            println!("migrations applied");
        }
    }
    Ok(())
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("TERRAIN_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
