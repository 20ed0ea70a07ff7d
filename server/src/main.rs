//! `terrain`: serve, migrate, and (later) administer Terrain from the command line.
#![forbid(unsafe_code)]

use clap::Parser;
use server::{
    Settings,
    accounts::Accounts,
    cli::{Cli, Command, MemberCommand, TerritoryCommand, TokenCommand, UserCommand},
    db, demo,
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
        admin => {
            let db = db::connect_and_migrate(&settings.database_url).await?;
            let accounts = Accounts::new(db, settings.login_limits());
            run_admin(&accounts, admin).await?;
        }
    }
    Ok(())
}

/// The administration commands. Errors are account errors, printed in English.
async fn run_admin(accounts: &Accounts, command: Command) -> anyhow::Result<()> {
    let english = app::i18n::Locale::en;
    let fail = |e: app::accounts::AccountError| anyhow::anyhow!(e.message(english));
    match command {
        Command::Territory(TerritoryCommand::Add {
            name,
            level,
            parent,
        }) => {
            let id = accounts
                .create_territory_as_admin(&name, level.into(), parent, None)
                .await
                .map_err(fail)?;
            println!("created territory {name:?} with id {id}");
        }
        Command::Territory(TerritoryCommand::List) => {
            for t in accounts.territories().await.map_err(fail)? {
                let parent = t
                    .parent_id
                    .map(|p| format!(" (in {p})"))
                    .unwrap_or_default();
                println!("{}\t{}\t{}{parent}", t.id, t.level.as_str(), t.name);
            }
        }
        Command::User(UserCommand::Add {
            email,
            password,
            name,
            admin,
        }) => {
            let id = accounts
                .create_user_as_admin(&email, &name, &password, admin, None)
                .await
                .map_err(fail)?;
            println!("created user {email} with id {id}");
        }
        Command::User(UserCommand::List) => {
            for u in accounts.users().await.map_err(fail)? {
                let admin = if u.is_admin { "\tadmin" } else { "" };
                println!("{}\t{}\t{}{admin}", u.id, u.email, u.display_name);
            }
        }
        Command::Member(MemberCommand::Add {
            territory,
            email,
            role,
        }) => {
            let created = accounts
                .put_member_as_admin(territory, &email, role.into(), None, None)
                .await
                .map_err(fail)?;
            let role: app::accounts::Role = role.into();
            let verb = if created { "added" } else { "changed" };
            println!("{verb}: {email} is {role} in territory {territory}");
        }
        Command::Member(MemberCommand::List { territory }) => {
            for m in accounts.members(territory).await.map_err(fail)? {
                println!(
                    "{}\t{}\t{}\t{}",
                    m.territory_id, m.territory_name, m.email, m.role
                );
            }
        }
        Command::Token(TokenCommand::Create { email, name }) => {
            let (id, token) = accounts.create_token(&email, &name).await.map_err(fail)?;
            println!("created token {id} for {email}; it is shown only this once: {token}");
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            accounts
                .revoke_token_as_admin(id, None, None)
                .await
                .map_err(fail)?;
            println!("revoked token {id}");
        }
        Command::Token(TokenCommand::List) => {
            for t in accounts.tokens().await.map_err(fail)? {
                let state = match (&t.revoked_at, &t.last_used_at) {
                    (Some(at), _) => format!("revoked {at}"),
                    (None, Some(at)) => format!("last used {at}"),
                    (None, None) => "never used".to_owned(),
                };
                println!("{}\t{}\t{}\t{state}", t.id, t.user_email, t.name);
            }
        }
        Command::Demo => {
            let (commune, people) = demo::load(accounts).await.map_err(fail)?;
            println!(
                "demo territory: Commune de Bni Drar (id {commune}), Préfecture d'Oujda-Angad, Région de l'Oriental"
            );
            println!("sign in at /login with one of these (passwords are new on every run):");
            for p in people {
                let role = p.role.map(|r| r.as_str()).unwrap_or("admin");
                println!(
                    "  {:<8} {:<32} {:<20} {}",
                    role, p.email, p.name, p.password
                );
            }
        }
        Command::Serve | Command::Migrate => {}
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
