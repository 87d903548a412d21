//! The yearly report ("Jahresbericht", docs/report.md): counts only, each beside the
//! previous year, with every count below the threshold shown as "< 3" and secondary
//! suppression across every table that prints a total (docs/report.md § 3). No figure
//! names or leads to a person or a case.
//!
//! The store fills a [`Builder`]; [`Builder::finish`] runs the suppression once over all
//! counts of both years, so a count printed in several tables (the persons served, the
//! referrals of the year) is hidden everywhere or nowhere.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::stats::{self, CellId, Constraint, Shown};

/// Which column: the report's year or the one before.
pub const YEARS: usize = 2;

/// How a row's label is found in the string tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// A fixed label (`report_label` of the strings).
    Key(&'static str),
    /// A code of a list (`family` names the list, e.g. "closure", "urgency").
    Code(&'static str, String),
    /// A commitment of the agreement, in its own words.
    Text(String),
}

/// One value of a row for one year.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A count of people or records (suppressed by the rules).
    Count(CellId),
    /// A median over `n` items (withheld when `n` is small or hidden).
    Median {
        /// The count the median is taken over.
        n: CellId,
        /// The median.
        value: Option<f64>,
        /// Unit: "days", "wd" (working days) or "hours".
        unit: &'static str,
    },
    /// A share `num / den` (withheld when either part is hidden or small).
    Share {
        /// Numerator.
        num: CellId,
        /// Denominator.
        den: CellId,
    },
    /// A mean `num / den` with one decimal (conferences per case).
    Mean {
        /// Numerator.
        num: CellId,
        /// Denominator.
        den: CellId,
    },
    /// A date (the plenary's); none: not set.
    Date(Option<NaiveDate>),
    /// A quantity that is no count of people (hours, days), printed as is.
    Amount(f64),
    /// Reached or not (a commitment counted once a year).
    Reached(bool),
    /// Nothing to show (the figure did not exist that year).
    None,
}

/// What a table draws beside its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// No chart.
    None,
    /// Horizontal bars of the year's parts.
    Bars,
    /// One sparkline line of the year's parts (months, quarters).
    Spark,
}

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its label.
    pub label: Label,
    /// Whether this row is the total of the table's other count rows.
    pub total: bool,
    /// This year, the previous year.
    pub values: [Value; YEARS],
}

/// One table of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its heading (a `report_label` key); empty: none.
    pub key: &'static str,
    /// Its rows.
    pub rows: Vec<Row>,
    /// Its chart.
    pub chart: Chart,
}

/// One section: a figure of docs/report.md § 2.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its heading (a `report_label` key).
    pub key: &'static str,
    /// Its tables.
    pub tables: Vec<Table>,
    /// Lines of explanation (`report_label` keys), e.g. "not recorded yet".
    pub notes: Vec<&'static str>,
}

/// A two-way table of this year (measures: category × responsible), with row, column
/// and grand totals; each line is a sum the suppression protects.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Column labels.
    pub columns: Vec<Label>,
    /// Rows: label, the cells, the row total.
    pub rows: Vec<(Label, Vec<CellId>, CellId)>,
    /// Column totals.
    pub totals: Vec<CellId>,
    /// The grand total.
    pub grand: CellId,
}

/// The report of one year, suppression applied.
#[derive(Debug, Clone, PartialEq)]
pub struct YearReport {
    /// The year.
    pub year: i32,
    /// Counts below this are "< t".
    pub threshold: u64,
    /// Whether the child-protection figures are in (leads and DSBs, docs/report.md § 4).
    pub child_protection: bool,
    /// The sections in order.
    pub sections: Vec<Section>,
    /// The measures' two-way table (section "measures").
    pub matrix: Option<Matrix>,
    /// What each count is shown as.
    pub shown: Vec<Shown>,
    /// The counts (never printed where `shown` hides them).
    values: Vec<u64>,
    /// Every printed sum: a part of each table and its total (for the property test's own
    /// check that nothing hidden can be solved for).
    pub constraints: Vec<Constraint>,
}

impl YearReport {
    /// How count `id` is shown.
    pub fn count(&self, id: CellId) -> Shown {
        self.shown.get(id).copied().unwrap_or(Shown::Withheld)
    }

    /// The median, if it may be printed.
    pub fn median(&self, n: CellId, value: Option<f64>) -> Option<f64> {
        match self.count(n) {
            Shown::Value(k) if stats::median_allowed(k, self.threshold) => value,
            _ => None,
        }
    }

    /// The share `num/den` in per cent, if it may be printed.
    pub fn share(&self, num: CellId, den: CellId) -> Option<f64> {
        match (self.count(num), self.count(den)) {
            (Shown::Value(a), Shown::Value(b))
                if b > 0 && stats::ratio_allowed(a, b, self.threshold) =>
            {
                Some(ratio(a, b) * 100.0)
            }
            _ => None,
        }
    }

    /// The mean `num/den`, if it may be printed.
    pub fn mean(&self, num: CellId, den: CellId) -> Option<f64> {
        match (self.count(num), self.count(den)) {
            (Shown::Value(a), Shown::Value(b)) if b > 0 => Some(ratio(a, b)),
            _ => None,
        }
    }

    /// The true count behind `id`, for the store's own tests of the figures (never for
    /// display: everything printed goes through [`YearReport::count`]).
    pub fn raw(&self, id: CellId) -> Option<u64> {
        self.values.get(id).copied()
    }

    /// The row labelled `key` of section `section` (for tests and the agenda).
    pub fn row(&self, section: &str, key: &str) -> Option<&Row> {
        self.sections
            .iter()
            .filter(|s| s.key == section)
            .flat_map(|s| s.tables.iter())
            .flat_map(|t| t.rows.iter())
            .find(|r| match &r.label {
                Label::Key(k) => *k == key,
                Label::Code(_, c) => c == key,
                Label::Text(t) => t == key,
            })
    }
}

#[allow(clippy::cast_precision_loss)]
fn ratio(a: u64, b: u64) -> f64 {
    a as f64 / b as f64
}

/// Collects the counts and tables of a report, then suppresses.
#[derive(Debug, Default)]
pub struct Builder {
    values: Vec<u64>,
    keys: HashMap<String, CellId>,
    constraints: Vec<Constraint>,
    sections: Vec<Section>,
    matrix: Option<Matrix>,
}

impl Builder {
    /// An empty report.
    pub fn new() -> Self {
        Builder::default()
    }

    /// The count named `key` (shared: a second call with the same key is the same cell).
    pub fn count(&mut self, key: &str, value: u64) -> CellId {
        if let Some(&id) = self.keys.get(key) {
            debug_assert_eq!(self.values[id], value, "{key}: one count, two values");
            return id;
        }
        let id = self.values.len();
        self.values.push(value);
        self.keys.insert(key.to_string(), id);
        id
    }

    /// `total` is the sum of `parts` (a line of a table).
    pub fn sum(&mut self, total: CellId, parts: Vec<CellId>) {
        self.constraints.push(Constraint { total, parts });
    }

    /// Adds a section.
    pub fn section(&mut self, section: Section) {
        self.sections.push(section);
    }

    /// Sets the two-way table.
    pub fn matrix(&mut self, m: Matrix) {
        self.matrix = Some(m);
    }

    /// Applies the suppression and returns the report.
    pub fn finish(self, year: i32, threshold: u64, child_protection: bool) -> YearReport {
        let threshold = stats::effective_threshold(threshold);
        let shown = stats::suppress(&self.values, &self.constraints, threshold);
        YearReport {
            year,
            threshold,
            child_protection,
            sections: self.sections,
            matrix: self.matrix,
            shown,
            values: self.values,
            constraints: self.constraints,
        }
    }
}

/// The report's headline figures, the commitments' results, as German agenda items of the
/// plenary (docs/cooperation.md § 3). `label` prints a count as the report does, so a
/// hidden count stays "< 3" or "x" on the agenda too.
pub fn agenda_items(r: &YearReport, label: &dyn Fn(Shown) -> String) -> Vec<String> {
    let count = |section: &str, key: &str| -> String {
        match r.row(section, key).map(|row| &row.values[0]) {
            Some(Value::Count(id)) => label(r.count(*id)),
            _ => "–".to_string(),
        }
    };
    let y = r.year;
    let mut items = vec![
        format!(
            "Jahresbericht {y}: {} junge Menschen gemeinsam betreut, {} Fälle eröffnet, {} abgeschlossen",
            count("persons", "persons_total"),
            count("cases", "cases_opened"),
            count("cases", "cases_closed"),
        ),
        format!(
            "Fallkonferenzen {y}: {} durchgeführt, {} abgesagt",
            count("conferences", "conf_held"),
            count("conferences", "conf_cancelled"),
        ),
    ];
    if r.child_protection {
        items.push(format!(
            "Kinderschutz {y}: {} Mitteilungen, {} betroffene Kinder",
            count("referrals", "cp_referrals"),
            count("referrals", "cp_children"),
        ));
    }
    items.push(format!(
        "Kooperationsstruktur {y}: {} Besprechungen, {} Fortbildungen, {} Hospitationen",
        count("structure", "struct_meetings"),
        count("structure", "struct_trainings"),
        count("structure", "struct_hospitations"),
    ));
    for section in r.sections.iter().filter(|s| s.key == "commitments") {
        for row in section.tables.iter().flat_map(|t| t.rows.iter()) {
            let Label::Text(text) = &row.label else {
                continue;
            };
            let result = match &row.values[0] {
                Value::Share { num, den } => r.share(*num, *den).map_or_else(
                    || {
                        format!(
                            "{} von {} eingehalten",
                            label(r.count(*num)),
                            label(r.count(*den))
                        )
                    },
                    |p| format!("{p:.0} % eingehalten"),
                ),
                Value::Reached(true) => "erreicht".to_string(),
                Value::Reached(false) => "nicht erreicht".to_string(),
                _ => continue,
            };
            items.push(format!("Zusage „{}“: {result}", text.trim_end_matches('.')));
        }
    }
    items
        .into_iter()
        .map(|t| t.chars().take(300).collect())
        .collect()
}
