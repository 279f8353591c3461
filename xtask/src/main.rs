//! Build tasks (the cargo-xtask convention): `cargo xtask <task>`.
//!
//! Nothing to install: the wasm-bindgen step is a library pinned by Cargo.lock, so the bundle is
//! built the same way on every machine, offline but for the package registries.

mod dist;
mod icons;
mod test;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  dist [--dev] [--bench-build]
                 build the PWA (wasm bundle, shell, service worker, manifest) into dist/;
                 --bench-build: with the app's `bench` feature (benchmark exports, see
                 docs/BENCHMARKS.md) into target/dist-bench/ instead, leaving dist/ alone
  run            build the PWA and the server, load the demo region if the database is empty, serve
  test           run every test: unit, property, integration (SQLite, and PostgreSQL when
                 SCHOUW_TEST_POSTGRES_URL is set) and headless-Chromium browser tests
  icons          regenerate the app icons in app/public/icons/";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("dist") => {
            let mut profile = dist::Profile::Release;
            let mut variant = dist::Variant::Shipped;
            for arg in &args[1..] {
                match arg.as_str() {
                    "--dev" => profile = dist::Profile::Dev,
                    "--bench-build" => variant = dist::Variant::Bench,
                    other => {
                        eprintln!("{USAGE}");
                        bail!("unknown option for dist: {other}")
                    }
                }
            }
            dist::build_variant(&root, profile, variant).map(|_| ())
        }
        Some("run") => run(&root),
        Some("test") => test::run(&root),
        Some("icons") => icons::write_all(&root.join("app/public/icons")),
        _ => {
            eprintln!("{USAGE}");
            bail!("unknown task")
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn run(root: &Path) -> anyhow::Result<()> {
    dist::build(root, dist::Profile::Release)?;
    cargo(
        root,
        &[
            "build",
            "--profile",
            "server",
            "-p",
            "server",
            "--bin",
            "schouw",
        ],
    )?;
    let status = Command::new(root.join("target/server/schouw"))
        .args(["serve", "--demo"])
        .current_dir(root)
        .status()
        .context("starting schouw")?;
    if !status.success() {
        bail!("schouw exited with {status}");
    }
    Ok(())
}

/// Runs cargo with the given arguments in the workspace, failing on a non-zero exit.
pub fn cargo(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}
