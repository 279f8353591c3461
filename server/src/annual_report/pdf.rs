//! The annual report as a paginated PDF (A4): a title page, a contents page with page numbers,
//! one section per page onwards, the summary in sentences, tables, vector charts (paths, not
//! images) and the definitions; every page after the title carries "pagina N van M". Made with
//! krilla (PDF writing, subset font embedding) and Liberation Sans (SIL OFL, `server/fonts/`), so
//! the output does not depend on the fonts of the machine. Layout happens in two passes: blocks
//! are placed on pages first, so the contents page knows where every section starts.

use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use shared::lhso::{Behaviour, Consequence, LhsoCell};
use shared::nl::{decimal, grouped};
use shared::report::{self, CellCount, Realisation, Volume};

use super::AnnualReport;

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Bold.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.5;
const LINE: f32 = 15.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const BOTTOM: f32 = PAGE_H - MARGIN - 20.0;

const GREEN: (u8, u8, u8) = (0x14, 0x53, 0x2d);
const GREY: (u8, u8, u8) = (0xb9, 0xbf, 0xb9);
const MUTED: (u8, u8, u8) = (0x4a, 0x4f, 0x4a);
const RULE: (u8, u8, u8) = (0xdf, 0xe3, 0xde);
const AMBER: (u8, u8, u8) = (0x8a, 0x5a, 0x00);
const INK: (u8, u8, u8) = (0x11, 0x11, 0x11);

/// One face: its PDF font and its advance widths for measuring.
struct Face {
    font: Font,
    bytes: &'static [u8],
}

static FACES: LazyLock<(Face, Face)> = LazyLock::new(|| {
    let face = |bytes: &'static [u8]| Face {
        font: Font::new(bytes.into(), 0).expect("the bundled font parses"),
        bytes,
    };
    (face(REGULAR_TTF), face(BOLD_TTF))
});

impl Face {
    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::new(self.bytes) else {
            return 0.0;
        };
        let upem = f32::from(font.head().map_or(1000, |h| h.units_per_em()));
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units: f32 = text
            .chars()
            .map(|c| {
                metrics
                    .advance_width(charmap.map(c).unwrap_or_default())
                    .unwrap_or(0.0)
            })
            .sum();
        units / upem * size
    }
}

use skrifa::raw::TableProvider;

/// Words of `text` broken into lines no wider than `width`.
fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if face.width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// What the document consists of, before it is placed on pages.
enum Block {
    /// A numbered section heading; starts a new page.
    Section(String),
    Paragraph {
        text: String,
        size: f32,
        muted: bool,
    },
    Table {
        caption: String,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        first_width: f32,
    },
    Bars(Vec<(String, Volume, Volume)>),
    Progress(Box<Realisation>),
    Lhso(Vec<(String, Vec<CellCount>)>),
}

impl Block {
    fn height(&self) -> f32 {
        let (regular, bold) = &*FACES;
        match self {
            Block::Section(_) => 40.0,
            Block::Paragraph { text, size, .. } => {
                let face = regular;
                wrap(face, text, *size, CONTENT_W).len() as f32 * (size * 1.45) + 8.0
            }
            Block::Table {
                rows,
                first_width,
                header,
                ..
            } => {
                let header_h = if header.iter().any(|h| !h.is_empty()) {
                    18.0
                } else {
                    0.0
                };
                let lines: usize = rows
                    .iter()
                    .map(|r| wrap(bold, &r[0], BODY, *first_width - 6.0).len().max(1))
                    .sum();
                24.0 + header_h + lines as f32 * LINE + rows.len() as f32 * 4.0 + 10.0
            }
            Block::Bars(rows) => rows.len() as f32 * 22.0 + 30.0,
            Block::Progress(_) => 230.0,
            Block::Lhso(_) => 180.0,
        }
    }
}

/// A block placed on a page at a height.
struct Placed<'a> {
    block: &'a Block,
    y: f32,
}

fn color((r, g, b): (u8, u8, u8)) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

fn fill(surface: &mut Surface<'_>, c: (u8, u8, u8)) {
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: color(c).into(),
        ..Fill::default()
    }));
}

fn text(
    surface: &mut Surface<'_>,
    face: &Face,
    x: f32,
    y: f32,
    size: f32,
    c: (u8, u8, u8),
    s: &str,
) {
    fill(surface, c);
    surface.draw_text(
        Point::from_xy(x, y),
        face.font.clone(),
        size,
        s,
        false,
        TextDirection::Auto,
    );
}

fn text_right(
    surface: &mut Surface<'_>,
    face: &Face,
    right: f32,
    y: f32,
    size: f32,
    c: (u8, u8, u8),
    s: &str,
) {
    let w = face.width(s, size);
    text(surface, face, right - w, y, size, c, s);
}

fn rect(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, c: (u8, u8, u8)) {
    let Some(r) = Rect::from_xywh(x, y, w.max(0.1), h.max(0.1)) else {
        return;
    };
    let mut pb = PathBuilder::new();
    pb.push_rect(r);
    if let Some(path) = pb.finish() {
        fill(surface, c);
        surface.draw_path(&path);
    }
}

fn line(
    surface: &mut Surface<'_>,
    points: &[(f32, f32)],
    c: (u8, u8, u8),
    width: f32,
    dash: Option<Vec<f32>>,
) {
    let mut pb = PathBuilder::new();
    for (i, (x, y)) in points.iter().enumerate() {
        if i == 0 {
            pb.move_to(*x, *y);
        } else {
            pb.line_to(*x, *y);
        }
    }
    let Some(path) = pb.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: color(c).into(),
        width,
        dash: dash.map(|array| StrokeDash { array, offset: 0.0 }),
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

fn draw_block(surface: &mut Surface<'_>, block: &Block, top: f32) {
    let (regular, bold) = &*FACES;
    match block {
        Block::Section(title) => {
            text(surface, bold, MARGIN, top + 20.0, 16.0, GREEN, title);
            rect(surface, MARGIN, top + 28.0, CONTENT_W, 0.8, RULE);
        }
        Block::Paragraph {
            text: t,
            size,
            muted,
        } => {
            let c = if *muted { MUTED } else { INK };
            for (i, l) in wrap(regular, t, *size, CONTENT_W).iter().enumerate() {
                text(
                    surface,
                    regular,
                    MARGIN,
                    top + size + i as f32 * size * 1.45,
                    *size,
                    c,
                    l,
                );
            }
        }
        Block::Table {
            caption,
            header,
            rows,
            first_width,
        } => {
            text(surface, bold, MARGIN, top + 14.0, BODY, INK, caption);
            let cols = header.len().max(1);
            let rest = (CONTENT_W - first_width) / (cols - 1).max(1) as f32;
            let right = |col: usize| MARGIN + first_width + rest * col as f32;
            let mut y = top + 18.0;
            if header.iter().any(|h| !h.is_empty()) {
                y += 18.0;
                for (col, h) in header.iter().enumerate().skip(1) {
                    text_right(surface, bold, right(col), y, 8.0, MUTED, h);
                }
            }
            rect(surface, MARGIN, y + 5.0, CONTENT_W, 0.8, RULE);
            y += 5.0;
            for row in rows {
                let label = wrap(bold, &row[0], BODY, first_width - 6.0);
                for (i, l) in label.iter().enumerate() {
                    text(
                        surface,
                        regular,
                        MARGIN,
                        y + LINE + i as f32 * LINE,
                        BODY,
                        INK,
                        l,
                    );
                }
                for (col, cell) in row.iter().enumerate().skip(1) {
                    text_right(surface, regular, right(col), y + LINE, BODY, INK, cell);
                }
                y += label.len().max(1) as f32 * LINE + 4.0;
                rect(surface, MARGIN, y + 1.0, CONTENT_W, 0.5, RULE);
            }
        }
        Block::Bars(rows) => {
            let label_w = 140.0;
            let max = rows
                .iter()
                .map(|(_, p, r)| p.count.max(r.count))
                .max()
                .unwrap_or(0)
                .max(1) as f32;
            let scale = (CONTENT_W - label_w - 70.0) / max;
            for (i, (name, p, r)) in rows.iter().enumerate() {
                let y = top + i as f32 * 22.0;
                text_right(
                    surface,
                    regular,
                    MARGIN + label_w - 6.0,
                    y + 14.0,
                    9.0,
                    MUTED,
                    name,
                );
                rect(
                    surface,
                    MARGIN + label_w,
                    y + 3.0,
                    p.count as f32 * scale,
                    8.0,
                    GREY,
                );
                rect(
                    surface,
                    MARGIN + label_w,
                    y + 12.0,
                    r.count as f32 * scale,
                    8.0,
                    GREEN,
                );
                let value = format!(
                    "{} / {}",
                    grouped(r.count as f64, 0),
                    grouped(p.count as f64, 0)
                );
                text(
                    surface,
                    regular,
                    MARGIN + label_w + p.count.max(r.count) as f32 * scale + 5.0,
                    y + 16.0,
                    8.5,
                    MUTED,
                    &value,
                );
            }
            let y = top + rows.len() as f32 * 22.0 + 14.0;
            legend(surface, y, &[(GREY, "Gepland"), (GREEN, "Uitgevoerd")]);
        }
        Block::Progress(r) => progress(surface, r, top),
        Block::Lhso(grids) => {
            for (i, (caption, cells)) in grids.iter().enumerate() {
                lhso_grid(surface, caption, cells, MARGIN + i as f32 * 240.0, top);
            }
        }
    }
}

fn legend(surface: &mut Surface<'_>, y: f32, items: &[((u8, u8, u8), &str)]) {
    let (regular, _) = &*FACES;
    let mut x = MARGIN;
    for (c, label) in items {
        rect(surface, x, y - 8.0, 10.0, 10.0, *c);
        text(surface, regular, x + 14.0, y, 9.0, MUTED, label);
        x += 24.0 + regular.width(label, 9.0);
    }
}

fn progress(surface: &mut Surface<'_>, r: &Realisation, top: f32) {
    let (regular, _) = &*FACES;
    let (left, h) = (MARGIN + 40.0, 180.0);
    let w = CONTENT_W - 40.0;
    let max = r
        .progress
        .iter()
        .map(|p| p.planned.max(p.realised.unwrap_or(0) as f64))
        .fold(1.0, f64::max)
        .max(r.forecast.map_or(0.0, |f| f.count as f64)) as f32;
    let x = |m: f64| left + w * m as f32 / 12.0;
    let y = |v: f64| top + h - h * v as f32 / max;
    for i in 0..=4 {
        let v = f64::from(max) * f64::from(i) / 4.0;
        line(surface, &[(left, y(v)), (left + w, y(v))], RULE, 0.6, None);
        text_right(
            surface,
            regular,
            left - 6.0,
            y(v) + 3.0,
            8.0,
            MUTED,
            &grouped(v, 0),
        );
    }
    for (i, m) in [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ]
    .iter()
    .enumerate()
    {
        text_right(
            surface,
            regular,
            x(i as f64 + 1.0),
            top + h + 14.0,
            8.0,
            MUTED,
            m,
        );
    }
    let planned: Vec<(f32, f32)> = std::iter::once((x(0.0), y(0.0)))
        .chain(
            r.progress
                .iter()
                .map(|p| (x(f64::from(p.month)), y(p.planned))),
        )
        .collect();
    line(
        surface,
        &planned,
        (0x8a, 0x8f, 0x8a),
        2.0,
        Some(vec![5.0, 3.0]),
    );
    let realised: Vec<(f32, f32)> = report::realised_curve(r)
        .into_iter()
        .map(|(m, v)| (x(m), y(v)))
        .collect();
    line(surface, &realised, GREEN, 2.5, None);
    if let Some(((m1, v1), (m2, v2))) = report::forecast_segment(r) {
        line(
            surface,
            &[(x(m1), y(v1)), (x(m2), y(v2))],
            AMBER,
            1.5,
            Some(vec![2.0, 2.0]),
        );
    }
    legend(
        surface,
        top + h + 34.0,
        &[
            ((0x8a, 0x8f, 0x8a), "Gepland (gelijk verdeeld)"),
            (GREEN, "Uitgevoerd"),
            (AMBER, "Prognose"),
        ],
    );
}

fn lhso_grid(surface: &mut Surface<'_>, caption: &str, cells: &[CellCount], left: f32, top: f32) {
    let (regular, bold) = &*FACES;
    let total: i64 = cells.iter().map(|c| c.count).sum();
    let max = cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    text(
        surface,
        bold,
        left,
        top + 12.0,
        BODY,
        INK,
        &format!("{caption} ({})", grouped(total as f64, 0)),
    );
    let size = 26.0;
    let (gx, gy) = (left + 22.0, top + 34.0);
    for (i, b) in Behaviour::ALL.into_iter().enumerate() {
        text(
            surface,
            bold,
            gx + i as f32 * size + 9.0,
            gy - 4.0,
            9.0,
            MUTED,
            &b.letter().to_string(),
        );
    }
    for (row, c) in Consequence::ALL.into_iter().rev().enumerate() {
        let y = gy + row as f32 * size;
        text(
            surface,
            bold,
            left + 8.0,
            y + 17.0,
            9.0,
            MUTED,
            &c.digit().to_string(),
        );
        for (col, b) in Behaviour::ALL.into_iter().enumerate() {
            let n = cells
                .iter()
                .find(|x| x.cell == LhsoCell::new(c, b))
                .map_or(0, |x| x.count);
            let level = if n == 0 { 0 } else { 1 + (n * 4 / max).min(3) };
            let (bg, fg) = match level {
                0 => ((0xff, 0xff, 0xff), MUTED),
                1 => ((0xe6, 0xf2, 0xea), INK),
                2 => ((0xb7, 0xdc, 0xc3), INK),
                3 => ((0x2f, 0x7d, 0x4d), (0xff, 0xff, 0xff)),
                _ => (GREEN, (0xff, 0xff, 0xff)),
            };
            let x = gx + col as f32 * size;
            rect(surface, x, y, size - 1.0, size - 1.0, bg);
            text_right(
                surface,
                regular,
                x + size - 6.0,
                y + 17.0,
                9.0,
                fg,
                &n.to_string(),
            );
        }
    }
    text(
        surface,
        regular,
        left,
        gy + 4.0 * size + 14.0,
        8.0,
        MUTED,
        "Rijen: gevolg (1-4); kolommen: gedrag (A-D).",
    );
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".to_owned(), |v| format!("{} %", decimal(v, 1)))
}

fn volume_rows(rows: &[(String, Volume, Volume)]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|(name, p, r)| {
            vec![
                name.clone(),
                grouped(p.count as f64, 0),
                grouped(r.count as f64, 0),
                pct(report::percent(r.count, p.count)),
                grouped(p.hours, 1),
                grouped(r.hours, 1),
            ]
        })
        .collect()
}

fn volume_table(caption: &str, rows: &[(String, Volume, Volume)]) -> Block {
    Block::Table {
        caption: caption.to_owned(),
        header: [
            "",
            "Gepland",
            "Uitgevoerd",
            "%",
            "Uren gepland",
            "Uren uitgevoerd",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: volume_rows(rows),
        first_width: 150.0,
    }
}

fn definition(key: &str) -> Block {
    let text = report::definitions()
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, t)| *t);
    Block::Paragraph {
        text: text.to_owned(),
        size: 9.0,
        muted: true,
    }
}

/// Each focus point's goal, then its indicator against the target.
fn focus_point_blocks(report: &AnnualReport) -> Vec<Block> {
    let r = &report.realisation;
    if r.by_focus_point.is_empty() {
        return vec![Block::Paragraph {
            text: "Het programma van dit jaar heeft geen speerpunten.".into(),
            size: BODY,
            muted: false,
        }];
    }
    let mut blocks: Vec<Block> = r
        .by_focus_point
        .iter()
        .map(|f| Block::Paragraph {
            text: if f.goal.is_empty() {
                f.title.clone()
            } else {
                format!("{}: {}", f.title, f.goal)
            },
            size: BODY,
            muted: false,
        })
        .collect();
    blocks.push(Block::Table {
        caption: "Speerpunten: indicator en doel".into(),
        // The indicator goes with the title: the other columns are narrow figures.
        header: ["Speerpunt en indicator", "Doel", "Gemeten", "Oordeel"]
            .map(str::to_owned)
            .to_vec(),
        rows: report
            .focus_point_rows()
            .into_iter()
            .map(|[title, indicator, target, value, verdict, ..]| {
                vec![
                    format!("{title}: {}", indicator.to_lowercase()),
                    target,
                    value,
                    verdict,
                ]
            })
            .collect(),
        first_width: 280.0,
    });
    blocks.push(definition("focus_points"));
    blocks
}

/// The sections with their blocks, in order.
fn sections(report: &AnnualReport) -> Vec<(&'static str, Vec<Block>)> {
    let r = &report.realisation;
    let para = |t: String| Block::Paragraph {
        text: t,
        size: BODY,
        muted: false,
    };
    let (authorities, products, groups) = (
        report.authority_rows(),
        report.product_rows(),
        report.task_group_rows(),
    );
    let c = &r.compliance;
    let l = &r.lhso;
    let p = &r.penalties;
    let two = |a: &str, b: String| vec![a.to_owned(), b];
    vec![
        (
            "Samenvatting",
            report::summary(r).into_iter().map(para).collect(),
        ),
        (
            "Realisatie van het uitvoeringsprogramma",
            vec![
                Block::Bars(authorities.clone()),
                volume_table("Per bevoegd gezag", &authorities),
                volume_table("Per product", &products),
                volume_table("Per taakveld", &groups),
                definition("realised"),
            ],
        ),
        ("Doelen en speerpunten", focus_point_blocks(report)),
        (
            "Voortgang over het jaar",
            vec![
                Block::Progress(Box::new(r.clone())),
                para(r.forecast.map_or(String::new(), |f| {
                    format!(
                        "Prognose voor het hele jaar: {} controles ({} van het plan).",
                        grouped(f.count as f64, 0),
                        pct(report::percent(f.count, r.planned.count))
                    )
                })),
                definition("forecast"),
            ],
        ),
        (
            "Naleving",
            vec![
                Block::Table {
                    caption: "Naleving".into(),
                    header: vec![String::new(), String::new()],
                    rows: vec![
                        two("Eerste controles", grouped(c.first_inspections as f64, 0)),
                        two("Naleving bij eerste controle", pct(c.rate_first)),
                        two("Naleving na hercontrole", pct(c.rate_after_reinspection)),
                    ],
                    first_width: 300.0,
                },
                definition("rate_first"),
                definition("rate_after_reinspection"),
            ],
        ),
        (
            "Overtredingen en interventies",
            vec![
                Block::Lhso(vec![
                    ("Alle overtredingen".into(), l.all_violations.clone()),
                    (
                        "Zwaarste per controle".into(),
                        l.heaviest_per_inspection.clone(),
                    ),
                ]),
                Block::Table {
                    caption: "Kengetallen".into(),
                    header: vec![String::new(), String::new()],
                    rows: vec![
                        two("Overtredingen", grouped(l.violations as f64, 0)),
                        two("Recidive", pct(l.repeat_offence_rate)),
                        two("Afwijking van de voorgestelde cel", pct(l.deviation_rate)),
                        two("BOA-aandeel (indicatie 2-3 %)", pct(l.boa_share)),
                    ],
                    first_width: 300.0,
                },
                Block::Table {
                    caption: "Gekozen interventies".into(),
                    header: ["", "Aantal", "Aandeel"].map(str::to_owned).to_vec(),
                    rows: r
                        .interventions
                        .iter()
                        .map(|i| {
                            vec![
                                i.intervention.label_nl().to_owned(),
                                grouped(i.count as f64, 0),
                                pct(report::percent(i.count, l.violations)),
                            ]
                        })
                        .collect(),
                    first_width: 240.0,
                },
                Block::Table {
                    caption: "Dwangsommen".into(),
                    header: ["", "Aantal", "Bedrag"].map(str::to_owned).to_vec(),
                    rows: vec![
                        vec![
                            "Verbeurd".into(),
                            p.forfeited_count.to_string(),
                            format!("€ {}", grouped(p.forfeited_cents as f64 / 100.0, 2)),
                        ],
                        vec![
                            "Ingevorderd".into(),
                            p.collected_count.to_string(),
                            format!("€ {}", grouped(p.collected_cents as f64 / 100.0, 2)),
                        ],
                    ],
                    first_width: 240.0,
                },
                definition("penalties"),
            ],
        ),
        (
            "Definities",
            report::definitions()
                .iter()
                .map(|(_, t)| Block::Paragraph {
                    text: (*t).to_owned(),
                    size: 9.5,
                    muted: false,
                })
                .collect(),
        ),
    ]
}

pub fn render(report: &AnnualReport) -> anyhow::Result<Vec<u8>> {
    let r = &report.realisation;
    let (regular, bold) = &*FACES;
    let sections = sections(report);
    let numbered: Vec<Block> = sections
        .iter()
        .enumerate()
        .map(|(i, (title, _))| Block::Section(format!("{}. {title}", i + 1)))
        .collect();

    // Pass 1: place the blocks. Page 1 is the title, page 2 the contents; each section starts a
    // page of its own.
    let mut pages: Vec<Vec<Placed<'_>>> = Vec::new();
    let mut starts = Vec::new();
    for ((_, blocks), heading) in sections.iter().zip(&numbered) {
        pages.push(vec![Placed {
            block: heading,
            y: MARGIN,
        }]);
        starts.push(pages.len() + 2);
        let mut y = MARGIN + heading.height();
        for block in blocks {
            let h = block.height();
            if y + h > BOTTOM && y > MARGIN + 60.0 {
                pages.push(Vec::new());
                y = MARGIN;
            }
            pages.last_mut().expect("a page").push(Placed { block, y });
            y += h;
        }
    }
    let total = pages.len() + 2;
    let footer = |surface: &mut Surface<'_>, n: usize| {
        let label = format!("Jaarverslag toezicht {} · pagina {n} van {total}", r.year);
        text_right(
            surface,
            regular,
            PAGE_W - MARGIN,
            PAGE_H - MARGIN + 16.0,
            8.0,
            MUTED,
            &label,
        );
    };

    // Pass 2: draw.
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!(
                "Jaarverslag toezicht {}, {}",
                r.year,
                report.subject()
            ))
            .language("nl-NL".to_owned())
            .creator("Schouw".to_owned()),
    );
    let settings = || PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4");
    {
        let mut page = document.start_page_with(settings());
        let mut s = page.surface();
        rect(&mut s, MARGIN, 250.0, CONTENT_W, 6.0, GREEN);
        text(
            &mut s,
            bold,
            MARGIN,
            300.0,
            28.0,
            GREEN,
            &format!("Jaarverslag toezicht {}", r.year),
        );
        text(&mut s, regular, MARGIN, 332.0, 14.0, INK, &report.subject());
        let intro = format!(
            "Verslag over de uitvoering van het uitvoeringsprogramma (Omgevingsbesluit artikel 13.11), gegevens tot en met {}.",
            r.through.format("%d-%m-%Y")
        );
        for (i, l) in wrap(regular, &intro, 11.0, CONTENT_W).iter().enumerate() {
            text(
                &mut s,
                regular,
                MARGIN,
                370.0 + i as f32 * 16.0,
                11.0,
                MUTED,
                l,
            );
        }
        s.finish();
        page.finish();
    }
    {
        let mut page = document.start_page_with(settings());
        let mut s = page.surface();
        text(&mut s, bold, MARGIN, MARGIN + 20.0, 16.0, GREEN, "Inhoud");
        for (i, ((title, _), start)) in sections.iter().zip(&starts).enumerate() {
            let y = MARGIN + 60.0 + i as f32 * 22.0;
            text(
                &mut s,
                regular,
                MARGIN,
                y,
                11.5,
                INK,
                &format!("{}. {title}", i + 1),
            );
            text_right(
                &mut s,
                regular,
                PAGE_W - MARGIN,
                y,
                11.5,
                INK,
                &start.to_string(),
            );
            let from = MARGIN + regular.width(&format!("{}. {title}", i + 1), 11.5) + 8.0;
            let to = PAGE_W - MARGIN - regular.width(&start.to_string(), 11.5) - 8.0;
            line(
                &mut s,
                &[(from, y), (to, y)],
                RULE,
                0.8,
                Some(vec![1.0, 3.0]),
            );
        }
        footer(&mut s, 2);
        s.finish();
        page.finish();
    }
    for (i, placed) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings());
        let mut s = page.surface();
        for p in placed {
            draw_block(&mut s, p.block, p.y);
        }
        footer(&mut s, i + 3);
        s.finish();
        page.finish();
    }
    document.finish().map_err(|e| anyhow::anyhow!("PDF: {e:?}"))
}
