//! The yearly report as a document (docs/report.md; docs/documents.md § 3): the same
//! sections, tables and notes as F5 and `tandem report`, each table as a tagged table
//! beside the previous year, and each table that F5 draws as bars or a sparkline as a bar
//! chart with its values as the figure's alternative text. Every figure goes through the
//! report's suppression: a hidden count is printed as "< 3" and drawn as no bar, never to
//! scale.

use chrono::NaiveDateTime;

use super::{Bar, Block, Doc, TableRow};
use crate::domain::stats::{self, Shown};
use crate::model::report::{Chart, Label, Matrix, Row, Table, Value, YearReport};
use crate::strings::Strings;
use crate::strings::coop::{label_text, value_text};

/// A row's label with its unit ("Tage bis zur Konferenz, Median, Arbeitstage").
fn row_label(s: &Strings, row: &Row) -> String {
    let label = label_text(s, &row.label);
    match &row.values[0] {
        Value::Median { unit, .. } => format!("{label}, {}", (s.coop.unit)(unit)),
        _ => label,
    }
}

fn table_block(s: &Strings, r: &YearReport, t: &Table) -> Block {
    Block::Table {
        head: vec![String::new(), r.year.to_string(), (r.year - 1).to_string()],
        rows: t
            .rows
            .iter()
            .map(|row| TableRow {
                cells: vec![
                    row_label(s, row),
                    value_text(s, r, &row.values[0]),
                    value_text(s, r, &row.values[1]),
                ],
                total: row.total,
            })
            .collect(),
    }
}

/// The bars of a table's parts (its rows without the total), this year's values.
fn chart_block(s: &Strings, r: &YearReport, t: &Table, title: &str) -> Block {
    Block::Bars {
        title: format!("{title} {}", r.year),
        bars: t
            .rows
            .iter()
            .filter(|row| !row.total)
            .map(|row| Bar {
                label: label_text(s, &row.label),
                value: match &row.values[0] {
                    Value::Count(id) => match r.count(*id) {
                        Shown::Value(n) => Some(n),
                        _ => None,
                    },
                    _ => None,
                },
                shown: value_text(s, r, &row.values[0]),
            })
            .collect(),
    }
}

fn matrix_block(s: &Strings, r: &YearReport, m: &Matrix) -> Block {
    let cell = |id: usize| stats::label(r.count(id), r.threshold);
    let mut head = vec![String::new()];
    // The short column names F5 uses ("JC", "JA", …), so that five columns fit.
    head.extend(m.columns.iter().map(|c| match c {
        Label::Code("responsible", code) => (s.coop.code_label)("responsible_short", code),
        other => label_text(s, other),
    }));
    head.push("Σ".to_string());
    let mut rows: Vec<TableRow> = m
        .rows
        .iter()
        .map(|(label, ids, total)| {
            let mut cells = vec![label_text(s, label)];
            cells.extend(ids.iter().map(|id| cell(*id)));
            cells.push(cell(*total));
            TableRow {
                cells,
                total: false,
            }
        })
        .collect();
    let mut totals = vec!["Σ".to_string()];
    totals.extend(m.totals.iter().map(|id| cell(*id)));
    totals.push(cell(m.grand));
    rows.push(TableRow {
        cells: totals,
        total: true,
    });
    Block::Table { head, rows }
}

/// The yearly report `r` as a document, made by `author` at `made_at`. `s` is the German
/// strings table (documents are German).
pub fn yearly(s: &Strings, r: &YearReport, author: &str, made_at: NaiveDateTime) -> Doc {
    let mut blocks = vec![Block::Para((s.coop.legend)(r.threshold))];
    for section in &r.sections {
        let title = (s.coop.report_label)(section.key);
        blocks.push(Block::Heading(title.to_string()));
        for note in &section.notes {
            blocks.push(Block::Para((s.coop.report_label)(note).to_string()));
            if *note == "measures_matrix_note"
                && let Some(m) = &r.matrix
            {
                blocks.push(matrix_block(s, r, m));
            }
        }
        for t in &section.tables {
            let name = if t.key.is_empty() {
                title
            } else {
                let name = (s.coop.report_label)(t.key);
                blocks.push(Block::Para(name.to_string()));
                name
            };
            blocks.push(table_block(s, r, t));
            if t.chart != Chart::None && t.rows.iter().any(|row| !row.total) {
                blocks.push(chart_block(s, r, t, name));
            }
        }
    }
    blocks.push(Block::Para(s.coop.report_footer.to_string()));
    Doc {
        title: (s.coop.report_title)(r.year),
        lang: "de",
        author: author.to_string(),
        made_at,
        blocks,
    }
}
