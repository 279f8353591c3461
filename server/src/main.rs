//! The `schouw` command: a thin CLI around the server library.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use server::config::Config;
use server::{demo, AppState};

#[derive(Parser)]
#[command(
    name = "schouw",
    version,
    about = "Schouw: toezicht in het veld, voor omgevingsdiensten"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the app.
    Serve {
        /// Load the demo region (Omgevingsdienst Achterhoek) when the database has no sites yet.
        #[arg(long)]
        demo: bool,
    },
    /// Import or update sites from a CSV file (into the configured database).
    ///
    /// Columns (header row; `;` or `,` separated; UTF-8, optionally with BOM): key, name, street,
    /// house_number, postcode, city, municipality_code (CBS code such as GM0197 or PV25), sector,
    /// activities (codes separated by `|`), and either lat+lon (WGS84) or x+y (RD New).
    ///
    /// All or nothing: the whole file is validated first; if any row is rejected, nothing is
    /// written and every rejected row is listed (line, column, reason), so a corrected file can
    /// simply be imported again. Sites are matched on `key` within the agency: re-importing the
    /// same file changes nothing, a changed row updates the site and raises its version. Exits
    /// non-zero when rows were rejected.
    ImportSites {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Code of the agency the sites belong to; may be left out when there is only one.
        #[arg(long)]
        agency: Option<String>,
    },
    /// Load a large synthetic agency into an empty database, for measuring the office figures at
    /// the scale of the biggest omgevingsdiensten (docs/BENCHMARKS.md). The default size gives
    /// about 600,000 inspections in ten years with some two million findings. Accounts as in the
    /// demo, plus `inspecteur13` and up.
    Generate {
        /// Number of sites.
        #[arg(long, default_value_t = demo::Scale::LARGE.sites)]
        sites: usize,
        /// Years of history before today.
        #[arg(long, default_value_t = demo::Scale::LARGE.years)]
        years: i64,
    },
    /// Reports, for scheduled runs.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Write the annual report (Omgevingsbesluit art. 13.11) of a year to a file.
    Annual {
        #[arg(long)]
        year: i32,
        /// Only this authority (its id); the whole region when left out.
        #[arg(long)]
        authority: Option<uuid::Uuid>,
        /// `pdf`, `html`, `xlsx` or `csv`.
        #[arg(long, default_value = "html")]
        format: String,
        /// Code of the agency; may be left out when there is only one.
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit trail; exits non-zero when it is broken.
    Verify,
}

fn main() -> anyhow::Result<()> {
    with_fixed_mmap_threshold();
    // Blob parts are written through tokio's blocking pool. Its default of 512 threads lets a burst
    // of uploads start hundreds of threads, each with its own malloc arena: that, not the data,
    // drove peak memory in the 200-device load test. 32 keep two cores and a disk busy.
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(32)
        .build()?
        .block_on(run())
}

/// glibc's malloc raises its mmap threshold each time a large block is freed, after which 256 KB
/// upload buffers come from per-thread arenas that fragment and never shrink: the server reached
/// 331 MB peak in the 200-device load test, 95 MB with the threshold fixed (docs/BENCHMARKS.md).
/// glibc reads the setting only at process start, so the server starts itself once more with it
/// (same process id: `exec` replaces the image). An operator's own setting is kept.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn with_fixed_mmap_threshold() {
    use std::os::unix::process::CommandExt;
    const VAR: &str = "MALLOC_MMAP_THRESHOLD_";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(VAR, "131072")
        .exec();
    // Only reached when the exec failed: run with glibc's defaults.
    eprintln!("note: could not restart with a fixed mmap threshold ({error}); going on");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn with_fixed_mmap_threshold() {}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let matches = server::config::empty_env_is_unset(Cli::command()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let config = cli.config;
    match cli.command {
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
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
        Command::Report {
            command:
                ReportCommand::Annual {
                    year,
                    authority,
                    format,
                    agency,
                    out,
                },
        } => {
            let format =
                server::annual_report::Format::from_extension(&format).ok_or_else(|| {
                    anyhow::anyhow!("onbekend formaat {format:?}: kies pdf, html, xlsx of csv")
                })?;
            let db = server::db::Db::open(&config).await?;
            let agency_id =
                server::db::reports::agency_by_code(&db.pool, agency.as_deref()).await?;
            let authority = authority.map(|a| a.to_string());
            let today = chrono::Local::now().date_naive();
            let report =
                server::api::annual_report(&db, &agency_id, authority.as_deref(), year, today)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            std::fs::write(&out, format.render(&report)?)?;
            println!("Jaarverslag {year} geschreven naar {}.", out.display());
            Ok(())
        }
        Command::Generate { sites, years } => {
            let db = server::db::Db::open(&config).await?;
            let today = chrono::Local::now().date_naive();
            let scale = demo::Scale {
                sites,
                years,
                ..demo::Scale::LARGE
            };
            match demo::load_scaled_if_empty(&db, today, scale).await? {
                Some(summary) => println!("{summary}"),
                None => anyhow::bail!("de database bevat al locaties: kies een lege database"),
            }
            Ok(())
        }
        Command::ImportSites { file, agency } => {
            let db = server::db::Db::open(&config).await?;
            let report = server::import::import_file(&db, &file, agency.as_deref()).await?;
            print!("{}", report.summary_nl());
            if !report.written {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Serve { demo: with_demo } => {
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
            // The running year's report facts in memory, so the first report is fast too.
            tokio::spawn(server::report_cache::warm(
                state.db.clone(),
                chrono::Datelike::year(&chrono::Local::now().date_naive()),
            ));
            // The planner keeps the coming days planned and today's due re-inspections on it.
            tokio::spawn(server::planning::keep_planned(
                state.db.clone(),
                demo::PLAN_WORKDAYS,
            ));
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
