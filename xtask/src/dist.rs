//! Builds both front doors into `dist/`: the inspector's PWA (the `app` crate: wasm bundle through
//! wasm-bindgen, content-hashed assets with brotli and gzip siblings, the app shell, the manifest
//! and the service worker whose cache name carries the build hash, so a new build replaces the old
//! cache on tablets) and the office (the `office` crate, into `dist/office/index.html` with its
//! own hashed assets; online only, so neither precached nor in the service worker's list).
//!
//! `--bench-build` builds the same bundle with the app's `bench` feature (benchmark exports such
//! as `bench_rank_sites`) into `target/dist-bench/` instead, so `dist/` never holds them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

use crate::cargo;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Dev,
    Release,
}

/// Sizes of the built wasm module, for docs/BENCHMARKS.md (compressed sizes only for release).
pub struct BundleSizes {
    pub wasm_raw: usize,
    pub wasm_gzip: Option<usize>,
    pub wasm_brotli: Option<usize>,
}

/// What the bundle is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The PWA that ships, into `dist/`.
    Shipped,
    /// The PWA plus the app's `bench` feature (benchmark exports), into `target/dist-bench/`.
    Bench,
}

impl Variant {
    /// The output folder, relative to the workspace root.
    pub fn out_dir(self) -> &'static str {
        match self {
            Variant::Shipped => "dist",
            Variant::Bench => "target/dist-bench",
        }
    }

    fn staging_dir(self) -> &'static str {
        match self {
            Variant::Shipped => "target/dist-staging",
            Variant::Bench => "target/dist-bench-staging",
        }
    }
}

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Builds the shipped PWA into `dist/`.
pub fn build(root: &Path, profile: Profile) -> anyhow::Result<BundleSizes> {
    build_variant(root, profile, Variant::Shipped)
}

pub fn build_variant(
    root: &Path,
    profile: Profile,
    variant: Variant,
) -> anyhow::Result<BundleSizes> {
    ensure_wasm_target()?;
    if profile == Profile::Release {
        ensure_rust_src();
    }
    let staging = root.join(variant.staging_dir());
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(staging.join("dist/assets"))?;
    let dist = staging.join("dist");
    // Precompressed siblings are for what ships; a dev build is served compressed on the fly.
    let compress = profile == Profile::Release;
    let assets = dist.join("assets");
    let features: &[&str] = if variant == Variant::Bench {
        &["--features", "bench"]
    } else {
        &[]
    };
    let (wasm, js, wasm_bytes) = wasm_bundle(root, profile, &staging, "app", features, compress)?;
    let css = put_hashed(
        &assets,
        "app",
        "css",
        &fs::read(root.join("style/app.css"))?,
        compress,
    )?;
    let mut icons = Vec::new();
    for name in ["icon-192", "icon-512", "icon-maskable-512"] {
        let bytes = fs::read(root.join("app/public/icons").join(format!("{name}.png")))
            .with_context(|| format!("icon {name}: run `cargo xtask icons`"))?;
        icons.push(put_hashed(&assets, name, "png", &bytes, compress)?);
    }

    let manifest = fs::read_to_string(root.join("app/public/manifest.webmanifest"))?
        .replace("{{ICON_192}}", &icons[0])
        .replace("{{ICON_512}}", &icons[1])
        .replace("{{ICON_MASKABLE_512}}", &icons[2]);
    fs::write(dist.join("manifest.webmanifest"), &manifest)?;
    let index = fs::read_to_string(root.join("app/index.html"))?
        .replace("{{APP_JS}}", &js)
        .replace("{{APP_WASM}}", &wasm)
        .replace("{{APP_CSS}}", &css)
        .replace("{{ICON_192}}", &icons[0]);
    fs::write(dist.join("index.html"), &index)?;

    // The cache name changes whenever anything the shell consists of changes.
    let mut precache: Vec<String> = vec!["/".into(), "/manifest.webmanifest".into()];
    precache.extend([&js, &wasm, &css].into_iter().chain(icons.iter()).cloned());
    let build_hash = short_hash(format!("{index}{manifest}{}", precache.join(",")).as_bytes());
    let precache_json = format!(
        "[{}]",
        precache
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let sw = fs::read_to_string(root.join("app/public/sw.js"))?
        .replace("{{BUILD_HASH}}", &build_hash)
        .replace("{{PRECACHE}}", &precache_json);
    fs::write(dist.join("sw.js"), sw)?;

    // The office door: its own module and shell, the same stylesheet and icons.
    let (office_wasm, office_js, office_bytes) =
        wasm_bundle(root, profile, &staging, "office", &[], compress)?;
    fs::create_dir_all(dist.join("office"))?;
    let office_index = fs::read_to_string(root.join("office/index.html"))?
        .replace("{{APP_JS}}", &office_js)
        .replace("{{APP_WASM}}", &office_wasm)
        .replace("{{APP_CSS}}", &css)
        .replace("{{ICON_192}}", &icons[0]);
    fs::write(dist.join("office/index.html"), office_index)?;

    let target = root.join(variant.out_dir());
    let _ = fs::remove_dir_all(&target);
    fs::rename(&dist, &target)
        .with_context(|| format!("moving the bundle into {}", variant.out_dir()))?;

    let size_of = |asset: &str, ext: &str| {
        fs::metadata(target.join(format!("{}.{ext}", asset.trim_start_matches('/'))))
            .ok()
            .map(|m| m.len() as usize)
    };
    let sizes = BundleSizes {
        wasm_raw: wasm_bytes.len(),
        wasm_gzip: size_of(&wasm, "gz"),
        wasm_brotli: size_of(&wasm, "br"),
    };
    let kb = |n: Option<usize>| n.map_or("-".to_owned(), |n| format!("{:.1}", n as f64 / 1024.0));
    println!(
        "{}/ built (build {build_hash}): inspector wasm {} KB raw, {} KB gzip, {} KB brotli; \
         office wasm {} KB raw, {} KB brotli",
        variant.out_dir(),
        kb(Some(sizes.wasm_raw)),
        kb(sizes.wasm_gzip),
        kb(sizes.wasm_brotli),
        kb(Some(office_bytes.len())),
        kb(size_of(&office_wasm, "br")),
    );
    Ok(sizes)
}

/// Builds one wasm crate (`app` or `office`) and runs wasm-bindgen on it; returns the hashed
/// URL paths of its module and JS glue, and the module's bytes.
fn wasm_bundle(
    root: &Path,
    profile: Profile,
    staging: &Path,
    krate: &str,
    features: &[&str],
    compress: bool,
) -> anyhow::Result<(String, String, Vec<u8>)> {
    let mut args = vec!["build", "-p", krate, "--lib", "--target", WASM_TARGET];
    if profile == Profile::Release {
        args.push("--release");
    }
    args.extend(features);
    let target_dir = if profile == Profile::Release {
        release_wasm_build(root, &args)?
    } else {
        cargo(root, &args)?;
        root.join("target")
    };
    let profile_dir = if profile == Profile::Release {
        "release"
    } else {
        "debug"
    };
    let wasm_in = target_dir
        .join(WASM_TARGET)
        .join(profile_dir)
        .join(format!("{krate}.wasm"));
    let out = staging.join(format!("bindgen-{krate}"));
    fs::create_dir_all(&out)?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&wasm_in)
        .web(true)?
        .typescript(false)
        .keep_debug(false)
        // The name and producers sections only help debuggers; stripping them halves the module.
        .remove_name_section(profile == Profile::Release)
        .remove_producers_section(true);
    bindgen
        .generate(&out)
        .with_context(|| format!("wasm-bindgen of {krate}"))?;
    let assets = staging.join("dist/assets");
    let wasm_bytes = fs::read(out.join(format!("{krate}_bg.wasm")))?;
    let wasm = put_hashed(
        &assets,
        &format!("{krate}_bg"),
        "wasm",
        &wasm_bytes,
        compress,
    )?;
    let js = put_hashed(
        &assets,
        krate,
        "js",
        &fs::read(out.join(format!("{krate}.js")))?,
        compress,
    )?;
    Ok((wasm, js, wasm_bytes))
}

/// The flags of the size build: Leptos type-erases views (`erase_components`, also set for every
/// wasm build in `.cargo/config.toml`), and a panic traps at once instead of formatting a message
/// (`-Cpanic=immediate-abort`), which drops core's formatting and panic-location machinery.
const SIZE_RUSTFLAGS: &str = "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort";

/// Builds a browser bundle for release with the standard library compiled from source for size
/// (`-Zbuild-std` with `optimize_for_size` and immediate-abort panics; measured in
/// docs/BENCHMARKS.md "Two front doors": 348.7 -> 326.8 KB brotli for the inspector). These are
/// unstable cargo flags, allowed on the pinned stable toolchain by `RUSTC_BOOTSTRAP=1` and needing
/// the `rust-src` component (rust-toolchain.toml). Its own target directory keeps the normal wasm
/// checks from rebuilding the standard library. If the toolchain refuses the flags (a newer
/// toolchain renamed one), the plain release build runs instead, with a warning: the bundle is
/// then larger but correct. Returns the target directory holding the module.
fn release_wasm_build(root: &Path, args: &[&str]) -> anyhow::Result<PathBuf> {
    let size_dir = "target/wasm-size";
    let mut size_args = args.to_vec();
    size_args.extend([
        "-Zbuild-std=std,panic_abort",
        "-Zbuild-std-features=optimize_for_size",
        "--target-dir",
        size_dir,
    ]);
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo_bin)
        .args(&size_args)
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", SIZE_RUSTFLAGS)
        .status()
        .context("running cargo for the size build")?;
    if status.success() {
        return Ok(root.join(size_dir));
    }
    eprintln!(
        "warning: the size build (-Zbuild-std, immediate-abort panics) failed; building with the \
         prebuilt standard library instead (a larger bundle)"
    );
    cargo(root, args)?;
    Ok(root.join("target"))
}

/// The standard library's source, for the size build (`release_wasm_build`); without it that
/// build falls back to the plain one, so a failure here is only a warning.
fn ensure_rust_src() {
    let ok = Command::new("rustup")
        .args(["component", "add", "rust-src"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("warning: rustup could not add rust-src; release bundles use the prebuilt standard library");
    }
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    if let Ok(out) = installed {
        if String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l.trim() == WASM_TARGET)
        {
            return Ok(());
        }
        let status = Command::new("rustup")
            .args(["target", "add", WASM_TARGET])
            .status()?;
        if !status.success() {
            bail!("rustup target add {WASM_TARGET} failed");
        }
    }
    Ok(())
}

fn short_hash(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..6])
}

/// Writes `assets/<stem>-<hash>.<ext>` plus precompressed `.br` and `.gz` siblings; returns the URL path.
fn put_hashed(
    assets: &Path,
    stem: &str,
    ext: &str,
    bytes: &[u8],
    compress: bool,
) -> anyhow::Result<String> {
    let name = format!("{stem}-{}.{ext}", short_hash(bytes));
    let path: PathBuf = assets.join(&name);
    fs::write(&path, bytes)?;
    if compress && ext != "png" {
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            w.write_all(bytes)?;
        }
        fs::write(assets.join(format!("{name}.br")), br)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes)?;
        fs::write(assets.join(format!("{name}.gz")), gz.finish()?)?;
    }
    Ok(format!("/assets/{name}"))
}
