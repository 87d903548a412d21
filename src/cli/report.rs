//! `tandem report --year 2026 [--format text|csv|json] [--out FILE]`: the yearly report
//! without the TUI, for cron and the office software (docs/report.md § 5). The acting
//! person is `--user` (a lead or a DSB); the figures are the ones F5 shows, suppressed the
//! same way. CSV is for a German spreadsheet: UTF-8 with BOM, `;`, decimal comma, CR LF,
//! formula-like text neutralised.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{Value as Json, json};

use super::{EXIT_FAILURE, authenticate, db_message, fail, log_session_end, out};
use crate::config::Config;
use crate::domain::refusal::Refusal;
use crate::domain::stats::{self, Shown, csv};
use crate::domain::{Role, Staff};
use crate::model::report::{Label, Value, YearReport};
use crate::storage::{OpenMode, StorageError, Store};
use crate::strings::Strings;
use crate::ui::report::{label_text, lines};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// The lines of the F5 report view (80 columns).
    #[default]
    Text,
    /// Semicolon-separated values for a German spreadsheet.
    Csv,
    /// JSON: sections, tables, rows, two values each.
    Json,
}

/// `tandem report …`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The calendar year (default: the previous year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Output file, written atomically with mode 0600 (default: standard output); an
    /// existing file is not replaced.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
}

/// Whether `me` sees the child-protection figures (docs/report.md § 4).
pub fn sees_child_protection(config: &Config, me: &Staff) -> bool {
    config
        .report_child_protection
        .iter()
        .any(|r: &Role| me.has_role(*r))
}

/// The report of `year` for `me`, as configured.
pub fn compute(
    store: &Store,
    config: &Config,
    me: &Staff,
    year: i32,
) -> Result<YearReport, StorageError> {
    store.year_report(
        me,
        year,
        config.report_min_cell,
        sees_child_protection(config, me),
        &config.child_protection.calendar(),
    )
}

fn kind(v: &Value, de: bool) -> &'static str {
    let pick = |d, e| if de { d } else { e };
    match v {
        Value::Count(_) => pick("Anzahl", "count"),
        Value::Median { .. } => pick("Median", "median"),
        Value::Share { .. } => pick("Anteil %", "share %"),
        Value::Mean { .. } => pick("Mittelwert", "mean"),
        Value::Date(_) => pick("Datum", "date"),
        Value::Amount(_) => pick("Menge", "amount"),
        Value::Reached(_) => pick("Zusage", "commitment"),
        Value::None => "",
    }
}

/// One value as a CSV cell: numbers with a decimal comma, hidden counts as text.
fn csv_value(s: &Strings, r: &YearReport, v: &Value) -> String {
    match v {
        Value::Count(id) => csv::csv_shown(r.count(*id), r.threshold),
        Value::Median { n, value, .. } => r
            .median(*n, *value)
            .map_or_else(|| "–".into(), |m| csv::decimal_comma(m, 1)),
        Value::Share { num, den } => r
            .share(*num, *den)
            .map_or_else(|| "–".into(), |p| csv::decimal_comma(p, 0)),
        Value::Mean { num, den } => r
            .mean(*num, *den)
            .map_or_else(|| "–".into(), |m| csv::decimal_comma(m, 1)),
        Value::Date(d) => d.map_or_else(String::new, |d| d.format("%d.%m.%Y").to_string()),
        Value::Amount(a) => csv::decimal_comma(*a, 1),
        Value::Reached(ok) => csv::csv_cell(s.coop.reached[usize::from(!ok)]),
        Value::None => String::new(),
    }
}

/// The report as CSV (with BOM).
pub fn to_csv(s: &Strings, r: &YearReport) -> String {
    let de = s.coop.decimal_comma;
    let mut text = String::from(csv::CSV_BOM);
    let head = if de {
        ["Bereich", "Tabelle", "Zeile", "Art"]
    } else {
        ["Section", "Table", "Row", "Kind"]
    };
    let mut cells: Vec<String> = head.iter().map(|h| csv::csv_cell(h)).collect();
    cells.push(csv::csv_number(i128::from(r.year)));
    cells.push(csv::csv_number(i128::from(r.year - 1)));
    text.push_str(&csv::csv_line(&cells));
    for section in &r.sections {
        let title = (s.coop.report_label)(section.key);
        for t in &section.tables {
            let table = if t.key.is_empty() {
                ""
            } else {
                (s.coop.report_label)(t.key)
            };
            for row in &t.rows {
                let cells = vec![
                    csv::csv_cell(title),
                    csv::csv_cell(table),
                    csv::csv_cell(&label_text(s, &row.label)),
                    csv::csv_cell(kind(&row.values[0], de)),
                    csv_value(s, r, &row.values[0]),
                    csv_value(s, r, &row.values[1]),
                ];
                text.push_str(&csv::csv_line(&cells));
            }
        }
        if section.key == "measures"
            && let Some(m) = &r.matrix
        {
            let table = (s.coop.report_label)("measures_matrix_note").trim_end_matches(':');
            for (label, ids, total) in &m.rows {
                let row = label_text(s, label);
                for (col, id) in m.columns.iter().zip(ids) {
                    let name = format!("{row} / {}", label_text(s, col));
                    text.push_str(&csv::csv_line(&[
                        csv::csv_cell(title),
                        csv::csv_cell(table),
                        csv::csv_cell(&name),
                        csv::csv_cell(kind(&Value::Count(*id), de)),
                        csv::csv_shown(r.count(*id), r.threshold),
                        String::new(),
                    ]));
                }
                text.push_str(&csv::csv_line(&[
                    csv::csv_cell(title),
                    csv::csv_cell(table),
                    csv::csv_cell(&format!("{row} / Σ")),
                    csv::csv_cell(kind(&Value::Count(*total), de)),
                    csv::csv_shown(r.count(*total), r.threshold),
                    String::new(),
                ]));
            }
            for (col, id) in m.columns.iter().zip(&m.totals) {
                text.push_str(&csv::csv_line(&[
                    csv::csv_cell(title),
                    csv::csv_cell(table),
                    csv::csv_cell(&format!("Σ / {}", label_text(s, col))),
                    csv::csv_cell(kind(&Value::Count(*id), de)),
                    csv::csv_shown(r.count(*id), r.threshold),
                    String::new(),
                ]));
            }
        }
    }
    text
}

fn json_count(r: &YearReport, id: usize) -> Json {
    match r.count(id) {
        Shown::Value(n) => json!(n),
        other => json!(stats::label(other, r.threshold)),
    }
}

fn json_value(r: &YearReport, v: &Value) -> Json {
    match v {
        Value::Count(id) => json!({"count": json_count(r, *id)}),
        Value::Median { n, value, unit } => json!({"median": r.median(*n, *value), "unit": unit}),
        Value::Share { num, den } => json!({"share_percent": r.share(*num, *den)}),
        Value::Mean { num, den } => json!({"mean": r.mean(*num, *den)}),
        Value::Date(d) => json!({"date": d.map(|d| d.to_string())}),
        Value::Amount(a) => json!({"amount": a}),
        Value::Reached(ok) => json!({"reached": ok}),
        Value::None => Json::Null,
    }
}

fn json_label(s: &Strings, l: &Label) -> Json {
    let text = label_text(s, l);
    match l {
        Label::Key(k) => json!({"key": k, "text": text}),
        Label::Code(f, c) => json!({"key": format!("{f}.{c}"), "text": text}),
        Label::Text(_) => json!({"text": text}),
    }
}

/// The report as JSON.
pub fn to_json(s: &Strings, r: &YearReport) -> String {
    let sections: Vec<Json> = r
        .sections
        .iter()
        .map(|sec| {
            let tables: Vec<Json> = sec
                .tables
                .iter()
                .map(|t| {
                    let rows: Vec<Json> = t
                        .rows
                        .iter()
                        .map(|row| {
                            json!({
                                "label": json_label(s, &row.label),
                                "total": row.total,
                                "values": [json_value(r, &row.values[0]), json_value(r, &row.values[1])],
                            })
                        })
                        .collect();
                    json!({"key": t.key, "title": if t.key.is_empty() { "" } else { (s.coop.report_label)(t.key) }, "rows": rows})
                })
                .collect();
            let notes: Vec<&str> = sec.notes.iter().map(|n| (s.coop.report_label)(n)).collect();
            json!({"key": sec.key, "title": (s.coop.report_label)(sec.key), "tables": tables, "notes": notes})
        })
        .collect();
    let matrix = r.matrix.as_ref().map(|m| {
        json!({
            "columns": m.columns.iter().map(|c| json_label(s, c)).collect::<Vec<_>>(),
            "rows": m.rows.iter().map(|(l, ids, t)| json!({
                "label": json_label(s, l),
                "cells": ids.iter().map(|id| json_count(r, *id)).collect::<Vec<_>>(),
                "total": json_count(r, *t),
            })).collect::<Vec<_>>(),
            "totals": m.totals.iter().map(|id| json_count(r, *id)).collect::<Vec<_>>(),
            "grand": json_count(r, m.grand),
        })
    });
    let doc = json!({
        "year": r.year,
        "previous_year": r.year - 1,
        "threshold": r.threshold,
        "child_protection": r.child_protection,
        "sections": sections,
        "measures_matrix": matrix,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The report in `format`.
pub fn render(s: &Strings, r: &YearReport, format: Format) -> String {
    match format {
        Format::Text => {
            let mut t = lines(s, r, 80, true).join("\n");
            t.push('\n');
            t
        }
        Format::Csv => to_csv(s, r),
        Format::Json => {
            let mut t = to_json(s, r);
            t.push('\n');
            t
        }
    }
}

fn error_line(s: &Strings, path: &Path, e: &StorageError) -> String {
    match e {
        StorageError::Refused(Refusal::NotAllowed) => (s.coop.report_only_leads).to_string(),
        StorageError::Refused(r) => (s.refused)(*r).clone(),
        other => db_message(s, path, other),
    }
}

/// Runs `tandem report` as `login`.
pub(super) fn run(
    config: &Config,
    path: &Path,
    login: Option<&str>,
    args: &ReportArgs,
    s: &Strings,
) -> ExitCode {
    let store = match super::ops::open_db(config, path, OpenMode::Existing) {
        Ok(store) => store,
        Err(e) => return fail(&db_message(s, path, &e), EXIT_FAILURE),
    };
    let me = match authenticate(&store, login, s) {
        Ok(me) => me,
        Err(f) => return fail(&f.message, f.exit_code),
    };
    let year = args
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&store.clock().today()) - 1);
    let result = compute(&store, config, &me, year);
    log_session_end(&store, &me, false, false);
    let report = match result {
        Ok(r) => r,
        Err(e) => return fail(&error_line(s, path, &e), EXIT_FAILURE),
    };
    let text = render(s, &report, args.format);
    match &args.out {
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return ExitCode::from(EXIT_FAILURE);
            }
            ExitCode::SUCCESS
        }
        Some(file) => match crate::files::write_new(file, text.as_bytes()) {
            Ok(()) => {
                out(&file.display().to_string());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string(), EXIT_FAILURE),
        },
    }
}
