//! The yearly report as lines of text (docs/report.md § 5): the same lines are the F5
//! report view and `tandem report --format text`. Tables beside the previous year, bar
//! charts and sparklines drawn with block characters, so that they read without colour.
//! Every count goes through `stats::label`: a hidden count is never printed as a number,
//! and a bar or a spark of a hidden count is drawn as `·`, never to scale.

use unicode_width::UnicodeWidthStr;

use crate::domain::stats::{self, Shown};
use crate::model::report::{Chart, Label, Matrix, Row, Table, Value, YearReport};
use crate::strings::Strings;
pub use crate::strings::coop::{label_text, value_text};
use crate::widgets::{shorten, wrap_words};

/// Width of a value column.
const COL: usize = 11;

/// The unit of a row's values, if they carry one.
fn unit_of(row: &Row) -> Option<&'static str> {
    match &row.values[0] {
        Value::Median { unit, .. } => Some(unit),
        _ => None,
    }
}

fn pad_left(text: &str, w: usize) -> String {
    let t = shorten(text, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(t.width())))
}

fn pad_right(text: &str, w: usize) -> String {
    let t = shorten(text, w);
    format!("{t}{}", " ".repeat(w.saturating_sub(t.width())))
}

fn visible(r: &YearReport, v: &Value) -> Option<u64> {
    match v {
        Value::Count(id) => match r.count(*id) {
            Shown::Value(n) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

const EIGHTHS: [&str; 8] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"];
const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn bar(n: u64, max: u64, width: usize) -> String {
    if max == 0 || width == 0 {
        return String::new();
    }
    let eighths = ((n as f64 / max as f64) * (width * 8) as f64).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push_str(EIGHTHS[eighths % 8 - 1]);
    }
    out
}

fn table_lines(
    s: &Strings,
    r: &YearReport,
    t: &Table,
    (width, charts): (usize, bool),
    out: &mut Vec<String>,
) {
    if !t.key.is_empty() {
        out.push(format!(" {}", (s.coop.report_label)(t.key)));
    }
    let bars = charts && t.chart == Chart::Bars && width >= 60;
    // Values stand in the same two columns in every table; a bar table gives its labels 26
    // columns and draws the bars between label and values.
    let label_w = if bars {
        26
    } else {
        width.saturating_sub(2 * COL)
    };
    let bar_w = if bars {
        width.saturating_sub(label_w + 2 * COL + 1)
    } else {
        0
    };
    let parts: Vec<&Row> = t.rows.iter().filter(|row| !row.total).collect();
    let max = parts
        .iter()
        .filter_map(|row| visible(r, &row.values[0]))
        .max()
        .unwrap_or(0);
    for row in &t.rows {
        let mut label = label_text(s, &row.label);
        if let Some(u) = unit_of(row) {
            label = format!("{label}, {}", (s.coop.unit)(u));
        }
        let indent = if row.total { "  " } else { "   " };
        let (a, b) = (
            value_text(s, r, &row.values[0]),
            value_text(s, r, &row.values[1]),
        );
        let values = if matches!(row.values[0], Value::Reached(_)) {
            pad_left(&a, 2 * COL)
        } else {
            format!("{}{}", pad_left(&a, COL), pad_left(&b, COL))
        };
        let mut line = format!(
            "{indent}{}",
            pad_right(&label, label_w.saturating_sub(indent.len()))
        );
        if bars {
            let drawn = match visible(r, &row.values[0]) {
                _ if row.total => String::new(),
                Some(n) => bar(n, max, bar_w.saturating_sub(1)),
                None if matches!(row.values[0], Value::Count(_)) => "·".to_string(),
                None => String::new(),
            };
            line.push(' ');
            line.push_str(&pad_right(&drawn, bar_w));
        }
        line.push_str(&values);
        out.push(line.trim_end().to_string());
    }
    if t.chart == Chart::Spark {
        let spark: String = parts
            .iter()
            .map(|row| match visible(r, &row.values[0]) {
                Some(0) => ' ',
                Some(n) if max > 0 => {
                    let i = usize::try_from(n.saturating_mul(7) / max).unwrap_or(7);
                    SPARKS[i.min(7)]
                }
                _ => '·',
            })
            .collect();
        let first = parts
            .first()
            .map(|row| label_text(s, &row.label))
            .unwrap_or_default();
        let last = parts
            .last()
            .map(|row| label_text(s, &row.label))
            .unwrap_or_default();
        out.push(format!("   {first} {spark} {last}"));
    }
}

/// A matrix column's label, short enough for its column.
fn short_column(s: &Strings, label: &Label) -> String {
    match label {
        Label::Code("responsible", code) => (s.coop.code_label)("responsible_short", code),
        other => label_text(s, other),
    }
}

fn matrix_lines(s: &Strings, r: &YearReport, m: &Matrix, width: usize, out: &mut Vec<String>) {
    let col = 7;
    let n = m.columns.len() + 1;
    let label_w = width.saturating_sub(3 + n * col).max(8);
    let head: String = m
        .columns
        .iter()
        .map(|c| pad_left(&short_column(s, c), col))
        .chain(std::iter::once(pad_left("Σ", col)))
        .collect();
    out.push(format!("   {}{head}", " ".repeat(label_w)));
    let cell = |id: usize| pad_left(&stats::label(r.count(id), r.threshold), col);
    for (label, ids, total) in &m.rows {
        let cells: String = ids.iter().map(|id| cell(*id)).collect();
        out.push(format!(
            "   {}{cells}{}",
            pad_right(&label_text(s, label), label_w),
            cell(*total)
        ));
    }
    let totals: String = m.totals.iter().map(|id| cell(*id)).collect();
    out.push(format!(
        "   {}{totals}{}",
        pad_right("Σ", label_w),
        cell(m.grand)
    ));
}

/// The report as lines of at most `width` columns (at least 40); `charts` draws the bars
/// (not in accessible mode, where the numbers beside them say it all; docs/accessibility.md).
pub fn lines(s: &Strings, r: &YearReport, width: u16, charts: bool) -> Vec<String> {
    let width = usize::from(width.max(40));
    let mut out = vec![(s.coop.report_title)(r.year)];
    out.extend(wrap_words(&(s.coop.legend)(r.threshold), width));
    for section in &r.sections {
        out.push(String::new());
        let title = (s.coop.report_label)(section.key);
        let years = format!(
            "{}{}",
            pad_left(&r.year.to_string(), COL),
            pad_left(&(r.year - 1).to_string(), COL)
        );
        out.push(format!(
            "{}{years}",
            pad_right(title, width.saturating_sub(2 * COL))
        ));
        for note in &section.notes {
            for l in wrap_words((s.coop.report_label)(note), width.saturating_sub(1)) {
                out.push(format!(" {l}"));
            }
            if *note == "measures_matrix_note"
                && let Some(m) = &r.matrix
            {
                matrix_lines(s, r, m, width, &mut out);
            }
        }
        for t in &section.tables {
            table_lines(s, r, t, (width, charts), &mut out);
        }
    }
    out.push(String::new());
    out.extend(wrap_words(s.coop.report_footer, width));
    out
}
