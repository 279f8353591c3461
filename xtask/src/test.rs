//! `cargo xtask test`: every test the README promises, installing what a fresh machine lacks
//! (the wasm target, Debian's chromium, the npm packages of the browser tests). The end-to-end
//! tests run on SQLite and PostgreSQL; without `SCHOUW_TEST_POSTGRES_URL` they use the local
//! server at [`DEFAULT_POSTGRES_URL`], and their PostgreSQL halves fail when none is reachable.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};

use crate::{cargo, dist};

/// The PostgreSQL server the tests create their databases on when `SCHOUW_TEST_POSTGRES_URL` is
/// unset (trust authentication on localhost, as Debian's packaged server and `.ci/run` have it).
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn run(root: &Path) -> anyhow::Result<()> {
    ensure_chromium()?;
    ensure_node_packages(&root.join("tests/browser"))?;
    dist::build(root, dist::Profile::Release)?;
    cargo(root, &["build", "-p", "server", "--bin", "schouw"])?;
    let postgres = std::env::var("SCHOUW_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned());
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo_bin)
        .arg("test")
        .current_dir(root)
        .env("SCHOUW_TEST_POSTGRES_URL", &postgres)
        .status()
        .context("running cargo test")?;
    if !status.success() {
        bail!("cargo test failed ({status})");
    }
    // Files, not the folder: from Node 21 on a folder argument is loaded as a module.
    let mut files: Vec<String> = std::fs::read_dir(root.join("tests/browser"))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/browser/{name}"))
        .collect();
    files.sort();
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .args(&files)
        .current_dir(root)
        .env("SCHOUW_BIN", root.join("target/debug/schouw"))
        .env("SCHOUW_DIST", root.join("dist"))
        .status()
        .context("running node --test (is Node.js installed?)")?;
    if !status.success() {
        bail!("browser tests failed");
    }
    println!("all tests passed");
    Ok(())
}

/// Debian's chromium for the browser tests and poppler-utils (`pdfinfo`, `pdftoppm`) for the tests
/// that open the annual report's PDF.
fn ensure_chromium() -> anyhow::Result<()> {
    let missing: Vec<&str> = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/pdfinfo", "poppler-utils"),
    ]
    .into_iter()
    .filter(|(path, _)| !Path::new(path).exists())
    .map(|(_, package)| package)
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!(
        "installing Debian's {} for the tests",
        missing.join(" and ")
    );
    let mut install = vec!["install", "-y"];
    install.extend(&missing);
    for args in [&["update"][..], &install[..]] {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("apt-get")?;
        if !status.success() {
            bail!("apt-get {} failed", args.join(" "));
        }
    }
    Ok(())
}

fn ensure_node_packages(dir: &Path) -> anyhow::Result<()> {
    if dir.join("node_modules/playwright-core").exists() {
        return Ok(());
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .status()
        .context("npm ci")?;
    if !status.success() {
        bail!("npm ci in {} failed", dir.display());
    }
    Ok(())
}
