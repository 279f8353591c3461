//! The `schouw` command: a thin CLI around the server library.

use clap::{Parser, Subcommand};

use server::config::Config;
use server::{demo, AppState};

#[derive(Parser)]
#[command(
    name = "schouw",
    version,
    about = "Schouw: toezicht in het veld, voor omgevingsdiensten"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app (SCHOUW_ADDR, SCHOUW_DATA, SCHOUW_DATABASE_URL, SCHOUW_DIST).
    Serve {
        /// Load the demo region (Omgevingsdienst Achterhoek) when the database has no sites yet.
        #[arg(long)]
        demo: bool,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit trail; exits non-zero when it is broken.
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let config = Config::from_env()?;
            let db = server::db::Db::open(&config).await?;
            match server::audit::verify(&db.pool).await? {
                server::audit::Verification::Intact { entries } => {
                    println!("Audittrail intact: {entries} regels, keten klopt.");
                    Ok(())
                }
                server::audit::Verification::BrokenAt { seq, reason } => {
                    anyhow::bail!("Audittrail verbroken bij regel {seq}: {reason}.")
                }
            }
        }
        Command::Serve { demo: with_demo } => {
            let config = Config::from_env()?;
            let state = AppState::new(config.clone()).await?;
            if with_demo {
                let today = chrono::Local::now().date_naive();
                if let Some(summary) = demo::load_if_empty(&state.db, today).await? {
                    println!("{summary}");
                }
                // Every start plans the days that have no plan yet, so the demo always shows
                // today and the coming working days.
                let planned =
                    server::planning::ensure_planned(&state.db, today, demo::PLAN_WORKDAYS).await?;
                println!("{planned}");
            }
            let listener = tokio::net::TcpListener::bind(config.addr).await?;
            let addr = listener.local_addr()?;
            // Tests and scripts read this line to find a port chosen by the OS.
            println!("Schouw luistert op http://{addr}");
            if with_demo {
                println!("{}", demo::accounts_help());
            }
            server::serve(listener, state).await
        }
    }
}
