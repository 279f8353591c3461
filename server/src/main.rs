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
        Command::Serve { demo: with_demo } => {
            let config = Config::from_env()?;
            let state = AppState::new(config.clone()).await?;
            if with_demo {
                let today = chrono::Local::now().date_naive();
                if let Some(summary) = demo::load_if_empty(&state.db, today).await? {
                    println!("{summary}");
                }
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
