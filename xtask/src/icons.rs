//! The app icon, drawn in code so it needs no design tool: a white magnifying lens with a check
//! mark on deep green. `maskable` fills the whole square and keeps the mark inside the safe zone.

use std::path::Path;

use image::{Rgba, RgbaImage};

const GREEN: [u8; 3] = [0x14, 0x53, 0x2d];

pub fn write_all(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    render(192, false).save(dir.join("icon-192.png"))?;
    render(512, false).save(dir.join("icon-512.png"))?;
    render(512, true).save(dir.join("icon-maskable-512.png"))?;
    println!("icons written to {}", dir.display());
    Ok(())
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// Coverage of one sample point in unit coordinates: (background, mark).
fn sample(x: f64, y: f64, maskable: bool) -> (bool, bool) {
    let background = if maskable {
        true
    } else {
        // Rounded square with corner radius 0.18.
        let r = 0.18;
        let cx = x.clamp(r, 1.0 - r);
        let cy = y.clamp(r, 1.0 - r);
        (x - cx).powi(2) + (y - cy).powi(2) <= r * r
    };
    // The mark lives in a 0..1 box scaled into the safe zone for maskable icons.
    let scale = if maskable { 0.62 } else { 0.8 };
    let (u, v) = ((x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5);
    let lens = ((u - 0.44).powi(2) + (v - 0.42).powi(2)).sqrt();
    let ring = (lens - 0.27).abs() <= 0.055;
    let handle = segment_distance((u, v), (0.64, 0.63), (0.84, 0.84)) <= 0.07;
    let check = segment_distance((u, v), (0.31, 0.43), (0.41, 0.53)) <= 0.045
        || segment_distance((u, v), (0.41, 0.53), (0.58, 0.33)) <= 0.045;
    (background, background && (ring || handle || check))
}

fn render(size: u32, maskable: bool) -> RgbaImage {
    const SS: u32 = 4;
    RgbaImage::from_fn(size, size, |px, py| {
        let (mut bg, mut mark) = (0u32, 0u32);
        for sy in 0..SS {
            for sx in 0..SS {
                let x = (f64::from(px) + (f64::from(sx) + 0.5) / f64::from(SS)) / f64::from(size);
                let y = (f64::from(py) + (f64::from(sy) + 0.5) / f64::from(SS)) / f64::from(size);
                let (b, m) = sample(x, y, maskable);
                bg += u32::from(b);
                mark += u32::from(m);
            }
        }
        let n = SS * SS;
        let alpha = (bg * 255 / n) as u8;
        let mix = |c: u8| -> u8 {
            let white = f64::from(mark) / f64::from(bg.max(1));
            (f64::from(c) * (1.0 - white) + 255.0 * white).round() as u8
        };
        Rgba([mix(GREEN[0]), mix(GREEN[1]), mix(GREEN[2]), alpha])
    })
}
