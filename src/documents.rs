//! Documents people sign and keep (docs/documents.md): a document is a title and a list of
//! blocks — headings, paragraphs, labelled fields, list items, signature lines — laid out
//! on A4 and written as a tagged PDF (headings, paragraphs and their reading order, the
//! document language), with DejaVu Sans embedded as a subset: it covers the German,
//! Turkish, Polish and Arabic names of the people Tandem serves (licence in
//! `assets/fonts/LICENSE-DejaVu.txt`). Every page carries who made it, when, and
//! "Vertraulich – Sozialdaten" (docs/domain.md 5.8) as a footer the reading order skips.
//!
//! No external program takes part (the kiosk rule, docs/architecture.md § 7): krilla
//! writes the PDF, rustybuzz measures the lines, unicode-bidi orders right-to-left runs.
//!
//! May use: `domain`, `model`, `strings`. No storage, no files.

pub mod conference;
pub mod consent;
pub mod receipt;
pub mod report;
pub mod subject;

use std::num::NonZeroU16;
use std::sync::{Arc, LazyLock};

use chrono::{Datelike as _, NaiveDateTime, Timelike as _};
use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, SpanTag, TableHeaderScope, Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, TextDirection};
use unicode_bidi::{BidiInfo, Level};

/// DejaVu Sans, regular.
static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The fonts for krilla and their faces for measuring, parsed once.
struct Fonts {
    regular: Font,
    bold: Font,
    regular_face: rustybuzz::Face<'static>,
    bold_face: rustybuzz::Face<'static>,
}

static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: Font::new(Arc::new(REGULAR.to_vec()).into(), 0)?,
        bold: Font::new(Arc::new(BOLD.to_vec()).into(), 0)?,
        regular_face: rustybuzz::Face::from_slice(REGULAR, 0)?,
        bold_face: rustybuzz::Face::from_slice(BOLD, 0)?,
    })
});

/// One line of stored text for a document: control characters and line breaks removed,
/// trimmed; "–" when nothing is left.
pub(crate) fn clean(t: &str) -> String {
    let t = crate::domain::text::sanitize(t.trim(), false);
    if t.is_empty() { "–".to_string() } else { t }
}

/// "Sabine Brinkmann, Jobcenter": who made a document (German).
pub fn author(s: &crate::strings::Strings, me: &crate::domain::Staff) -> String {
    format!(
        "{}, {}",
        crate::domain::text::sanitize(&me.display_name(), false),
        (s.agency)(me.agency)
    )
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading (level 2; the title is level 1).
    Heading(String),
    /// A heading inside a section (level 3).
    Subheading(String),
    /// A paragraph.
    Para(String),
    /// A labelled value: "Label: value" in one paragraph, so a reader hears them together.
    Field(String, String),
    /// A list item ("• text").
    Item(String),
    /// A line to sign on, with its caption beneath ("Ort, Datum, Unterschrift …").
    Signature(String),
    /// A table: the column heads, then the rows; the first column is the row's label
    /// (wrapped), the others are values set flush right. Tagged as a table with header
    /// cells, so a screen reader reads it row by row with the column names.
    Table {
        /// Column heads (the first one heads the labels).
        head: Vec<String>,
        /// The rows.
        rows: Vec<TableRow>,
    },
    /// A horizontal bar chart, tagged as a figure whose alternative text names every bar.
    Bars {
        /// What the chart shows (the start of the alternative text).
        title: String,
        /// Label and value per bar; None: a value that may not be drawn to scale (it is
        /// shown as `shown` only).
        bars: Vec<Bar>,
    },
}

/// One row of a [`Block::Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The cells, as many as the table's heads.
    pub cells: Vec<String>,
    /// A total row (set in bold).
    pub total: bool,
}

/// One bar of a [`Block::Bars`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// The bar's label.
    pub label: String,
    /// Its length as a count; None when it may not be drawn (a suppressed count).
    pub value: Option<u64>,
    /// The value as printed ("12", "< 3").
    pub shown: String,
}

/// A document before it is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The title (heading level 1 and the PDF's title).
    pub title: String,
    /// Its language ("de").
    pub lang: &'static str,
    /// Who made it ("Sabine Brinkmann, Jobcenter").
    pub author: String,
    /// When (Berlin time).
    pub made_at: NaiveDateTime,
    /// The body.
    pub blocks: Vec<Block>,
}

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocError {
    /// The embedded font could not be read (a broken build).
    Font,
    /// krilla refused the document.
    Pdf(String),
}

impl std::error::Error for DocError {}

impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocError::Font => f.write_str("the embedded font cannot be read"),
            DocError::Pdf(e) => write!(f, "PDF: {e}"),
        }
    }
}

// A4 in points, margins, sizes.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 64.0;
const BOTTOM: f32 = PAGE_H - 72.0;
const TITLE_SIZE: f32 = 17.0;
const HEADING_SIZE: f32 = 12.5;
const BODY_SIZE: f32 = 10.5;
const FOOTER_SIZE: f32 = 8.0;

/// What a group of lines is in the tag tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Heading,
    Subheading,
    Para,
    /// A cell of table `table`, row `row` (row 0: the heads).
    Cell {
        table: usize,
        row: usize,
    },
    /// Figure `n` of the layout's alternative texts.
    Figure(usize),
}

/// One line placed on a page.
#[derive(Debug, Clone)]
struct Placed {
    page: usize,
    x: f32,
    /// Baseline.
    y: f32,
    size: f32,
    bold: bool,
    text: String,
    /// Index into the groups.
    group: usize,
}

/// A signature line placed on a page.
#[derive(Debug, Clone, Copy)]
struct Rule {
    page: usize,
    y: f32,
    width: f32,
}

/// The width of `text` at `size` points.
fn width(face: &rustybuzz::Face<'_>, text: &str, size: f32) -> f32 {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(face, &[], buffer);
    let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    let per_em = face.units_per_em().max(1);
    #[allow(clippy::cast_precision_loss, reason = "font units are small integers")]
    let w = units as f32 * size / per_em as f32;
    w
}

/// Breaks `text` into lines no wider than `room` at `size`: at spaces, a word longer than
/// the line at characters. Line breaks in the text are kept.
fn wrap(face: &rustybuzz::Face<'_>, text: &str, size: f32, room: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(face, &candidate, size) <= room {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            let mut part = String::new();
            for c in word.chars() {
                part.push(c);
                if width(face, &part, size) > room && part.chars().count() > 1 {
                    part.pop();
                    lines.push(std::mem::take(&mut part));
                    part.push(c);
                }
            }
            line = part;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The laid-out document: lines and rules per page, and what each group is.
struct Layout {
    lines: Vec<Placed>,
    rules: Vec<Rule>,
    groups: Vec<Kind>,
    pages: usize,
    /// Filled bars: page, x, y (top), width, height, group.
    boxes: Vec<(usize, f32, f32, f32, f32, usize)>,
    /// The alternative text of each figure.
    alts: Vec<String>,
}

fn layout(doc: &Doc, fonts: &Fonts) -> Layout {
    let mut out = Layout {
        lines: Vec::new(),
        rules: Vec::new(),
        groups: Vec::new(),
        pages: 1,
        boxes: Vec::new(),
        alts: Vec::new(),
    };
    let room = PAGE_W - 2.0 * MARGIN;
    let mut y = MARGIN;
    let mut page = 0;
    let put = |out: &mut Layout,
               y: &mut f32,
               page: &mut usize,
               kind: Kind,
               text: &str,
               size: f32,
               bold: bool,
               indent: f32| {
        let face = if bold {
            &fonts.bold_face
        } else {
            &fonts.regular_face
        };
        let group = out.groups.len();
        out.groups.push(kind);
        let leading = size * 1.4;
        let lines = wrap(face, text, size, room - indent);
        if matches!(kind, Kind::Heading | Kind::Subheading) {
            // A heading stays whole and with the start of what it heads.
            #[allow(clippy::cast_precision_loss, reason = "a few lines")]
            let need = lines.len() as f32 * leading + 3.0 * BODY_SIZE * 1.4;
            room_for(out, y, page, need);
        }
        for line in lines {
            if *y + leading > BOTTOM {
                *page += 1;
                out.pages = *page + 1;
                *y = MARGIN;
            }
            *y += leading;
            out.lines.push(Placed {
                page: *page,
                x: MARGIN + indent,
                y: *y,
                size,
                bold,
                text: line,
                group,
            });
        }
    };
    put(
        &mut out,
        &mut y,
        &mut page,
        Kind::Title,
        &doc.title,
        TITLE_SIZE,
        true,
        0.0,
    );
    y += 8.0;
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => {
                y += 10.0;
                put(
                    &mut out,
                    &mut y,
                    &mut page,
                    Kind::Heading,
                    text,
                    HEADING_SIZE,
                    true,
                    0.0,
                );
                y += 2.0;
            }
            Block::Subheading(text) => {
                y += 6.0;
                put(
                    &mut out,
                    &mut y,
                    &mut page,
                    Kind::Subheading,
                    text,
                    BODY_SIZE + 0.5,
                    true,
                    0.0,
                );
                y += 1.0;
            }
            Block::Para(text) => {
                put(
                    &mut out,
                    &mut y,
                    &mut page,
                    Kind::Para,
                    text,
                    BODY_SIZE,
                    false,
                    0.0,
                );
                y += 4.0;
            }
            Block::Field(label, value) => {
                let text = format!("{label}: {value}");
                put(
                    &mut out,
                    &mut y,
                    &mut page,
                    Kind::Para,
                    &text,
                    BODY_SIZE,
                    false,
                    0.0,
                );
                y += 1.0;
            }
            Block::Item(text) => {
                let text = format!("• {text}");
                put(
                    &mut out,
                    &mut y,
                    &mut page,
                    Kind::Para,
                    &text,
                    BODY_SIZE,
                    false,
                    12.0,
                );
            }
            Block::Signature(caption) => {
                // Room to sign, the line, the caption beneath.
                if y + 60.0 > BOTTOM {
                    page += 1;
                    out.pages = page + 1;
                    y = MARGIN;
                }
                y += 40.0;
                out.rules.push(Rule {
                    page,
                    y,
                    width: 240.0,
                });
                put(
                    &mut out,
                    &mut y,
                    &mut page,
                    Kind::Para,
                    caption,
                    FOOTER_SIZE + 1.0,
                    false,
                    0.0,
                );
            }
            Block::Table { head, rows } => {
                table(&mut out, &mut y, &mut page, fonts, head, rows);
                y += 6.0;
            }
            Block::Bars { title, bars } => {
                chart(&mut out, &mut y, &mut page, fonts, title, bars);
                y += 6.0;
            }
        }
    }
    out
}

/// Width of a value column of a table.
const VALUE_COL: f32 = 72.0;

/// Moves to a new page when `need` points do not fit below `y`.
fn room_for(out: &mut Layout, y: &mut f32, page: &mut usize, need: f32) {
    if *y + need > BOTTOM {
        *page += 1;
        out.pages = *page + 1;
        *y = MARGIN;
    }
}

/// Lays out a table: the heads in bold, then each row; a row is kept on one page.
fn table(
    out: &mut Layout,
    y: &mut f32,
    page: &mut usize,
    fonts: &Fonts,
    head: &[String],
    rows: &[TableRow],
) {
    let n = out
        .groups
        .iter()
        .filter_map(|k| match k {
            Kind::Cell { table, .. } => Some(*table + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let values = head.len().saturating_sub(1);
    let size = BODY_SIZE - 0.5;
    // Each value column is as wide as its widest cell and a gap (at least `VALUE_COL` for
    // the two years, 44 points for a wider table), so that values never touch; the labels
    // keep at least 140 points.
    let room = PAGE_W - 2.0 * MARGIN;
    let least = if values > 2 { 44.0 } else { VALUE_COL };
    let widest = std::iter::once(head)
        .chain(rows.iter().map(|r| r.cells.as_slice()))
        .flat_map(|cells| cells.iter().skip(1))
        .map(|c| width(&fonts.bold_face, c, size) + 10.0)
        .fold(least, f32::max);
    #[allow(clippy::cast_precision_loss, reason = "a handful of columns")]
    let col = widest.min((room - 140.0) / values.max(1) as f32);
    #[allow(clippy::cast_precision_loss, reason = "a handful of columns")]
    let label_w = room - values as f32 * col;
    let leading = size * 1.35;
    let heads = TableRow {
        cells: head.to_vec(),
        total: true,
    };
    for (r, row) in std::iter::once(&heads).chain(rows).enumerate() {
        let face = if row.total {
            &fonts.bold_face
        } else {
            &fonts.regular_face
        };
        let label = row.cells.first().map_or("", String::as_str);
        let label_lines = wrap(face, label, size, label_w - 8.0);
        #[allow(clippy::cast_precision_loss, reason = "a few lines")]
        let height = label_lines.len().max(1) as f32 * leading;
        // The heads never stand alone at the foot of a page: room for two rows more.
        let need = if r == 0 { 3.0 * height } else { height };
        room_for(out, y, page, need + 2.0);
        let top = *y;
        for (c, cell) in row.cells.iter().enumerate() {
            let group = out.groups.len();
            out.groups.push(Kind::Cell { table: n, row: r });
            let lines = if c == 0 {
                label_lines.clone()
            } else {
                vec![cell.clone()]
            };
            for (i, line) in lines.into_iter().enumerate() {
                #[allow(clippy::cast_precision_loss, reason = "a few lines and columns")]
                let x = if c == 0 {
                    MARGIN
                } else {
                    MARGIN + label_w + c as f32 * col - width(face, &line, size)
                };
                #[allow(clippy::cast_precision_loss, reason = "a few lines")]
                let base = top + (i + 1) as f32 * leading;
                out.lines.push(Placed {
                    page: *page,
                    x,
                    y: base,
                    size,
                    bold: row.total,
                    text: line,
                    group,
                });
            }
        }
        *y = top + height;
        if r == 0 {
            // A thin rule under the heads.
            *y += 2.0;
            out.rules.push(Rule {
                page: *page,
                y: *y,
                width: PAGE_W - 2.0 * MARGIN,
            });
        }
    }
}

/// Lays out a bar chart: one line per bar with its label, the bar to scale of the largest
/// visible value, and the value; a value that may not be drawn gets no bar, only its text.
fn chart(
    out: &mut Layout,
    y: &mut f32,
    page: &mut usize,
    fonts: &Fonts,
    title: &str,
    bars: &[Bar],
) {
    let figure = out.alts.len();
    let alt = format!(
        "{title}: {}",
        bars.iter()
            .map(|b| format!("{} {}", b.label, b.shown))
            .collect::<Vec<_>>()
            .join("; ")
    );
    out.alts.push(alt);
    let group = out.groups.len();
    out.groups.push(Kind::Figure(figure));
    let size = FOOTER_SIZE + 0.5;
    let leading = 13.0;
    let label_w = 180.0;
    let track = PAGE_W - 2.0 * MARGIN - label_w - 40.0;
    let max = bars.iter().filter_map(|b| b.value).max().unwrap_or(0);
    let face = &fonts.regular_face;
    for bar in bars {
        room_for(out, y, page, leading);
        *y += leading;
        // One line per bar: a longer label is cut with "…" (the table above has it whole).
        let parts = wrap(face, &bar.label, size, label_w - 12.0);
        let label = match parts.as_slice() {
            [one] => one.clone(),
            [first, ..] => format!("{first} …"),
            [] => String::new(),
        };
        out.lines.push(Placed {
            page: *page,
            x: MARGIN,
            y: *y,
            size,
            bold: false,
            text: label,
            group,
        });
        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^24")]
        let len = match bar.value {
            Some(v) if max > 0 => track * v as f32 / max as f32,
            _ => 0.0,
        };
        if len > 0.0 {
            out.boxes
                .push((*page, MARGIN + label_w, *y - 8.0, len, 8.5, group));
        }
        out.lines.push(Placed {
            page: *page,
            x: MARGIN + label_w + len + 4.0,
            y: *y,
            size,
            bold: false,
            text: bar.shown.clone(),
            group,
        });
    }
}

/// The footer of page `n` of `of`.
fn footer(doc: &Doc, n: usize, of: usize) -> String {
    format!(
        "Vertraulich – Sozialdaten · erstellt von {} am {} · Seite {n} von {of}",
        doc.author,
        doc.made_at.format("%d.%m.%Y %H:%M"),
    )
}

/// Draws one line from `x` on in visual order. unicode-bidi splits it into runs of one
/// direction — an Arabic name inside a German sentence is one right-to-left run — and each
/// run is shaped in its own direction, so its letters join and read from the right, while
/// the line as a whole stays left to right (the documents are German).
fn draw_line(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    bold: bool,
    x: f32,
    y: f32,
    size: f32,
    text: &str,
) {
    let (font, face) = if bold {
        (&fonts.bold, &fonts.bold_face)
    } else {
        (&fonts.regular, &fonts.regular_face)
    };
    let info = BidiInfo::new(text, Some(Level::ltr()));
    let mut x = x;
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let piece = &text[run.clone()];
            let direction = if levels.get(run.start).is_some_and(Level::is_rtl) {
                TextDirection::RightToLeft
            } else {
                TextDirection::LeftToRight
            };
            surface.draw_text(
                Point::from_xy(x, y),
                font.clone(),
                size,
                piece,
                false,
                direction,
            );
            x += width(face, piece, size);
        }
    }
}

/// The text of a group's lines, joined by spaces.
fn group_text(laid: &Layout, group: usize) -> String {
    laid.lines
        .iter()
        .filter(|l| l.group == group)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The bookmarks (PDF/UA asks for them): the title and each heading, a subheading under
/// the heading before it, each pointing at its first line.
fn outline(laid: &Layout) -> krilla::outline::Outline {
    use krilla::destination::XyzDestination;
    use krilla::outline::{Outline, OutlineNode};
    let mut outline = Outline::new();
    let mut open: Option<OutlineNode> = None;
    for (group, kind) in laid.groups.iter().enumerate() {
        if !matches!(kind, Kind::Title | Kind::Heading | Kind::Subheading) {
            continue;
        }
        let Some(first) = laid.lines.iter().find(|l| l.group == group) else {
            continue;
        };
        let text = group_text(laid, group);
        let at = XyzDestination::new(first.page, Point::from_xy(0.0, first.y - first.size));
        let node = OutlineNode::new(text, at);
        match (kind, open.as_mut()) {
            (Kind::Subheading, Some(parent)) => parent.push_child(node),
            _ => {
                if let Some(done) = open.replace(node) {
                    outline.push_child(done);
                }
            }
        }
    }
    if let Some(done) = open {
        outline.push_child(done);
    }
    outline
}

/// Writes `doc` as a tagged PDF.
pub fn render(doc: &Doc) -> Result<Vec<u8>, DocError> {
    let fonts = FONTS.as_ref().ok_or(DocError::Font)?;
    let laid = layout(doc, fonts);
    // PDF/A-2a (archival, tagged) and PDF/UA-1 (accessible): krilla checks what it can at
    // the end and refuses a document that breaks either (docs/documents.md).
    let configuration = krilla::configure::ConfigurationBuilder::new()
        .with_archival_validator(krilla::configure::Archival::A2_A)
        .with_accessibility_validator(krilla::configure::Accessibility::UA1)
        .finish()
        .map_err(|e| DocError::Pdf(format!("{e:?}")))?;
    let mut document = Document::new_with(krilla::SerializeSettings {
        configuration,
        ..krilla::SerializeSettings::default()
    });
    let made = doc.made_at;
    let when = DateTime::new(u16::try_from(made.year()).unwrap_or(2026))
        .month(u8::try_from(made.month()).unwrap_or(1))
        .day(u8::try_from(made.day()).unwrap_or(1))
        .hour(u8::try_from(made.hour()).unwrap_or(0))
        .minute(u8::try_from(made.minute()).unwrap_or(0));
    document.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language(doc.lang.to_string())
            .authors(vec![doc.author.clone()])
            .creator("Tandem".to_string())
            .creation_date(when),
    );
    document.set_outline(outline(&laid));
    let mut ids: Vec<Vec<krilla::tagging::Identifier>> = vec![Vec::new(); laid.groups.len()];
    for p in 0..laid.pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(DocError::Font)?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for line in laid.lines.iter().filter(|l| l.page == p) {
            let tag = if matches!(laid.groups.get(line.group), Some(Kind::Figure(_))) {
                ContentTag::Other
            } else {
                ContentTag::Span(SpanTag::empty())
            };
            let id = surface.start_tagged(tag);
            draw_line(
                &mut surface,
                fonts,
                line.bold,
                line.x,
                line.y,
                line.size,
                &line.text,
            );
            surface.end_tagged();
            ids[line.group].push(id);
        }
        for &(_, x, top, w, h, group) in laid.boxes.iter().filter(|b| b.0 == p) {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(x, top, w, h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                let id = surface.start_tagged(ContentTag::Other);
                surface.set_fill(Some(Fill {
                    paint: krilla::color::luma::Color::new(90).into(),
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_fill(Some(Fill::default()));
                surface.end_tagged();
                ids[group].push(id);
            }
        }
        for rule in laid.rules.iter().filter(|r| r.page == p) {
            let mut pb = PathBuilder::new();
            pb.move_to(MARGIN, rule.y);
            pb.line_to(MARGIN + rule.width, rule.y);
            if let Some(path) = pb.finish() {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
                surface.set_stroke(Some(Stroke {
                    width: 0.6,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
                surface.end_tagged();
            }
        }
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::Footer,
        )));
        draw_line(
            &mut surface,
            fonts,
            false,
            MARGIN,
            PAGE_H - 40.0,
            FOOTER_SIZE,
            &footer(doc, p + 1, laid.pages),
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    // The reading order: the title, then each heading, paragraph, table and figure as laid
    // out; a table's cells are grouped into its rows, the first row's cells are its heads.
    let mut tree = TagTree::new();
    let mut open: Option<(usize, TagGroup, usize, TagGroup)> = None;
    let close = |open: &mut Option<(usize, TagGroup, usize, TagGroup)>, tree: &mut TagTree| {
        if let Some((_, mut table, _, row)) = open.take() {
            table.push(row);
            tree.push(table);
        }
    };
    for (group_no, (kind, ids)) in laid.groups.iter().zip(ids).enumerate() {
        if let Kind::Cell { table, row } = *kind {
            let tag: TagKind = if row == 0 {
                Tag::TH(TableHeaderScope::Column).into()
            } else {
                Tag::TD.into()
            };
            let mut cell = TagGroup::new(tag);
            for id in ids {
                cell.push(id);
            }
            match &mut open {
                Some((t, _, r, tr)) if *t == table && *r == row => tr.push(cell),
                Some((t, tg, r, tr)) if *t == table => {
                    tg.push(std::mem::replace(tr, TagGroup::new(Tag::TR)));
                    *r = row;
                    tr.push(cell);
                }
                _ => {
                    close(&mut open, &mut tree);
                    let mut tr = TagGroup::new(Tag::TR);
                    tr.push(cell);
                    open = Some((table, TagGroup::new(Tag::Table), row, tr));
                }
            }
            continue;
        }
        close(&mut open, &mut tree);
        if ids.is_empty() {
            continue;
        }
        let mut group = match kind {
            Kind::Title => TagGroup::new(Tag::Hn(NonZeroU16::MIN, Some(doc.title.clone()))),
            // PDF/UA wants each heading's text as its title too.
            Kind::Heading => TagGroup::new(Tag::Hn(
                NonZeroU16::MIN.saturating_add(1),
                Some(group_text(&laid, group_no)),
            )),
            Kind::Subheading => TagGroup::new(Tag::Hn(
                NonZeroU16::MIN.saturating_add(2),
                Some(group_text(&laid, group_no)),
            )),
            Kind::Para | Kind::Cell { .. } => TagGroup::new(Tag::P),
            Kind::Figure(n) => TagGroup::new(Tag::Figure(laid.alts.get(*n).cloned())),
        };
        for id in ids {
            group.push(id);
        }
        tree.push(group);
    }
    close(&mut open, &mut tree);
    document.set_tag_tree(tree);
    document
        .finish()
        .map_err(|e| DocError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(blocks: Vec<Block>) -> Doc {
        Doc {
            title: "Einwilligungserklärung".to_string(),
            lang: "de",
            author: "Sabine Brinkmann".to_string(),
            made_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .expect("a day"),
            blocks,
        }
    }

    #[test]
    fn long_text_wraps_within_the_line_and_keeps_every_word() {
        let fonts = FONTS.as_ref().expect("fonts");
        let text = "Öztürk Çağla Łukasz Wiśniewski محمد ".repeat(20);
        let lines = wrap(&fonts.regular_face, &text, BODY_SIZE, 300.0);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(width(&fonts.regular_face, l, BODY_SIZE) <= 300.0, "{l}");
        }
        assert_eq!(
            lines.join(" ").split_whitespace().count(),
            text.split_whitespace().count()
        );
    }

    #[test]
    fn a_long_document_runs_onto_more_pages_each_with_its_footer() {
        let blocks = (0..120)
            .map(|i| Block::Para(format!("Absatz {i} mit etwas Text.")))
            .collect();
        let d = doc(blocks);
        let fonts = FONTS.as_ref().expect("fonts");
        let laid = layout(&d, fonts);
        assert!(laid.pages > 1);
        assert!(laid.lines.iter().all(|l| l.y <= BOTTOM));
        assert_eq!(footer(&d, 2, 3).split(" · ").count(), 3);
        let pdf = render(&d).expect("a PDF");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
