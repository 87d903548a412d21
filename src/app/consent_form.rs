//! The consent form ("Einwilligung erfassen"): one row per choice, tick or text, in the
//! order of the paper form. Checked against the rules of docs/domain.md 5.2 before it is saved.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use crate::domain::consent::{
    Consent, ConsentForm as Form, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    RepresentationReason,
};
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::text::sanitize;
use crate::domain::validation::{Problem, ValidationError};
use crate::domain::{Agency, CaseId, Field};

/// The statuses a consent can be recorded with.
pub const STATUS_CHOICES: [ConsentStatus; 3] = [
    ConsentStatus::Granted,
    ConsentStatus::Refused,
    ConsentStatus::Draft,
];

/// One row of the form.
#[derive(Debug)]
pub enum Row {
    /// "Erklärt durch" (index into `DeclaredBy::ALL`).
    DeclaredBy(usize),
    /// "Grund der Vertretung" (None or index into `RepresentationReason::ALL`).
    Reason(Option<usize>),
    /// "Einsichtsfähigkeit geprüft".
    Insight(bool),
    /// "Erteilt am".
    SignedOn(Box<TextArea<'static>>),
    /// "Form" (index into `ConsentForm::ALL`).
    Form(usize),
    /// "Beleg".
    Document(Box<TextArea<'static>>),
    /// One purpose, ticked or not.
    Purpose(Purpose, bool),
    /// One data category.
    Category(DataCategory, bool),
    /// One recipient agency.
    Recipient(Agency, bool),
    /// "Gültig ab".
    ValidFrom(Box<TextArea<'static>>),
    /// "Gültig bis".
    ValidUntil(Box<TextArea<'static>>),
    /// One of the three information ticks (0 purpose, 1 refusal, 2 revocability).
    Info(usize, bool),
    /// "Status" (index into [`STATUS_CHOICES`]).
    Status(usize),
}

impl Row {
    /// The field the row belongs to (for messages).
    pub fn field(&self) -> Field {
        match self {
            Row::DeclaredBy(_) => Field::DeclaredBy,
            Row::Reason(_) => Field::RepresentationReason,
            Row::Insight(_) => Field::InsightChecked,
            Row::SignedOn(_) => Field::SignedOn,
            Row::Form(_) => Field::ConsentForm,
            Row::Document(_) => Field::DocumentRef,
            Row::Purpose(..) => Field::Purposes,
            Row::Category(..) => Field::Categories,
            Row::Recipient(..) => Field::Recipients,
            Row::ValidFrom(_) => Field::ValidFrom,
            Row::ValidUntil(_) => Field::ValidUntil,
            Row::Info(..) => Field::InfoTicks,
            Row::Status(_) => Field::Status,
        }
    }

    /// Whether typed characters go into this row.
    pub fn takes_text(&self) -> bool {
        matches!(
            self,
            Row::SignedOn(_) | Row::Document(_) | Row::ValidFrom(_) | Row::ValidUntil(_)
        )
    }

    /// The typed text of a text row, as typed.
    pub fn lines_joined(&self) -> String {
        match self {
            Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a) => {
                a.lines().join(" ")
            }
            _ => String::new(),
        }
    }

    fn text(&self) -> String {
        match self {
            Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a) => {
                sanitize(a.lines().join(" ").trim(), false)
            }
            _ => String::new(),
        }
    }
}

fn text_area(value: &str) -> Box<TextArea<'static>> {
    let mut a = TextArea::new(vec![value.to_string()]);
    a.move_cursor(ratatui_textarea::CursorMove::End);
    Box::new(a)
}

/// The consent form of one case.
#[derive(Debug)]
pub struct ConsentEditor {
    /// The case.
    pub case: CaseId,
    /// Birth date of the young person (who may declare depends on the age).
    pub birth: NaiveDate,
    /// The rows.
    pub rows: Vec<Row>,
    /// The highlighted row.
    pub cursor: usize,
    /// Problems of the last save attempt.
    pub errors: Vec<ValidationError>,
}

impl ConsentEditor {
    /// A new consent for `case`: signed today, valid for 12 months, to the partner agency,
    /// for the case conference and mutual information, master data ticked.
    pub fn new(case: CaseId, birth: NaiveDate, own: Agency, today: NaiveDate) -> ConsentEditor {
        let until =
            today.checked_add_months(Months::new(12)).unwrap_or(today) - chrono::Duration::days(1);
        let mut rows = vec![
            Row::Status(0),
            Row::DeclaredBy(0),
            Row::Reason(None),
            Row::Insight(false),
            Row::SignedOn(text_area(&format_german_date(today))),
            Row::Form(0),
            Row::Document(text_area("")),
        ];
        rows.extend(Purpose::ALL.iter().map(|p| {
            Row::Purpose(
                *p,
                matches!(p, Purpose::Conference | Purpose::MutualInformation),
            )
        }));
        rows.extend(
            DataCategory::ALL
                .iter()
                .map(|c| Row::Category(*c, *c == DataCategory::MasterData)),
        );
        rows.extend(
            Agency::ALL
                .iter()
                .map(|a| Row::Recipient(*a, *a == own.partner())),
        );
        rows.push(Row::ValidFrom(text_area(&format_german_date(today))));
        rows.push(Row::ValidUntil(text_area(&format_german_date(until))));
        rows.extend((0..3).map(|i| Row::Info(i, false)));
        ConsentEditor {
            case,
            birth,
            rows,
            cursor: 0,
            errors: Vec::new(),
        }
    }

    /// The highlighted row.
    pub fn current(&self) -> Option<&Row> {
        self.rows.get(self.cursor)
    }

    /// Moves the highlight by one row (wrapping).
    pub fn step(&mut self, forward: bool) {
        let n = self.rows.len().max(1);
        self.cursor = if forward {
            (self.cursor + 1) % n
        } else {
            (self.cursor + n - 1) % n
        };
    }

    /// Ticks, unticks or cycles the highlighted row.
    pub fn toggle(&mut self, forward: bool) {
        let cycle = |i: usize, n: usize| {
            if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        if let Some(row) = self.rows.get_mut(self.cursor) {
            match row {
                Row::DeclaredBy(i) => *i = cycle(*i, DeclaredBy::ALL.len()),
                Row::Reason(r) => {
                    let n = RepresentationReason::ALL.len() + 1;
                    let i = r.map_or(0, |x| x + 1);
                    let next = cycle(i, n);
                    *r = next.checked_sub(1);
                }
                Row::Form(i) => *i = cycle(*i, Form::ALL.len()),
                Row::Status(i) => *i = cycle(*i, STATUS_CHOICES.len()),
                Row::Insight(b)
                | Row::Purpose(_, b)
                | Row::Category(_, b)
                | Row::Recipient(_, b)
                | Row::Info(_, b) => {
                    *b = !*b;
                }
                _ => {}
            }
        }
    }

    /// Gives a key to the highlighted text row.
    pub fn input(&mut self, key: KeyEvent) {
        if let Some(Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a)) =
            self.rows.get_mut(self.cursor)
        {
            a.input(key);
            if a.lines().len() > 1 {
                let joined = a.lines().join(" ");
                **a = TextArea::new(vec![joined]);
                a.move_cursor(ratatui_textarea::CursorMove::End);
            }
        }
    }

    /// Pasted text into the highlighted text row (one line: line breaks become spaces).
    pub fn paste(&mut self, text: &str) {
        if let Some(Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a)) =
            self.rows.get_mut(self.cursor)
        {
            a.insert_str(sanitize(&text.replace(['\r', '\n'], " "), false));
        }
    }

    /// The highlighted row's text, if it is a text row.
    pub fn current_text(&self) -> Option<String> {
        self.current()
            .filter(|r| r.takes_text())
            .map(Row::lines_joined)
    }

    /// Every row's value in a stable text form, keyed by row number (the draft).
    pub fn values(&self) -> BTreeMap<String, String> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let v = match row {
                    Row::DeclaredBy(k) | Row::Form(k) | Row::Status(k) => k.to_string(),
                    Row::Reason(r) => r.map_or_else(|| "-".to_string(), |k| k.to_string()),
                    Row::Insight(b)
                    | Row::Purpose(_, b)
                    | Row::Category(_, b)
                    | Row::Recipient(_, b)
                    | Row::Info(_, b) => b.to_string(),
                    Row::SignedOn(_)
                    | Row::Document(_)
                    | Row::ValidFrom(_)
                    | Row::ValidUntil(_) => row.lines_joined(),
                };
                (format!("{i:02}"), v)
            })
            .collect()
    }

    /// Puts back the values of [`ConsentEditor::values`].
    pub fn set_values(&mut self, values: &BTreeMap<String, String>) {
        for (i, row) in self.rows.iter_mut().enumerate() {
            let Some(v) = values.get(&format!("{i:02}")) else {
                continue;
            };
            match row {
                Row::DeclaredBy(k) | Row::Form(k) | Row::Status(k) => {
                    *k = v.parse().unwrap_or(*k);
                }
                Row::Reason(r) => *r = v.parse().ok(),
                Row::Insight(b)
                | Row::Purpose(_, b)
                | Row::Category(_, b)
                | Row::Recipient(_, b)
                | Row::Info(_, b) => *b = v == "true",
                Row::SignedOn(a) | Row::Document(a) | Row::ValidFrom(a) | Row::ValidUntil(a) => {
                    *a = text_area(v);
                }
            }
        }
    }

    /// The problem shown at `field`, if any.
    pub fn error_at(&self, field: Field) -> Option<&Problem> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.problem)
    }

    /// Builds and checks the consent. On failure the problems stay at their rows.
    pub fn build(&mut self, recorded_by: Agency, today: NaiveDate) -> Option<Consent> {
        let mut errors = Vec::new();
        let mut date_of = |f: Field, text: String| match parse_german_date(&text) {
            Ok(d) => Some(d),
            Err(p) => {
                errors.push(ValidationError::new(
                    f,
                    if text.is_empty() {
                        Problem::Required
                    } else {
                        p
                    },
                ));
                None
            }
        };
        let mut c = Consent {
            id: ConsentId(0),
            case_id: self.case.0,
            recorded_by,
            declared_by: DeclaredBy::YoungPerson,
            representation_reason: None,
            insight_checked: false,
            signed_on: today,
            form: Form::Written,
            document_ref: String::new(),
            purposes: Vec::new(),
            categories: Vec::new(),
            recipient_agencies: Vec::new(),
            recipient_staff: Vec::new(),
            external_recipients: String::new(),
            recurring: false,
            valid_from: today,
            valid_until: today,
            info_purpose: false,
            info_refusal: false,
            info_revocable: false,
            status: ConsentStatus::Granted,
            revoked_on: None,
            revoked_how: None,
            version: 1,
        };
        let mut dates = (None, None, None);
        for row in &self.rows {
            match row {
                Row::DeclaredBy(i) => c.declared_by = DeclaredBy::ALL[*i],
                Row::Reason(r) => c.representation_reason = r.map(|i| RepresentationReason::ALL[i]),
                Row::Insight(b) => c.insight_checked = *b,
                Row::SignedOn(_) => dates.0 = Some(row.text()),
                Row::Form(i) => c.form = Form::ALL[*i],
                Row::Document(_) => c.document_ref = row.text(),
                Row::Purpose(p, true) => c.purposes.push(*p),
                Row::Category(k, true) => c.categories.push(*k),
                Row::Recipient(a, true) => c.recipient_agencies.push(*a),
                Row::ValidFrom(_) => dates.1 = Some(row.text()),
                Row::ValidUntil(_) => dates.2 = Some(row.text()),
                Row::Info(0, b) => c.info_purpose = *b,
                Row::Info(1, b) => c.info_refusal = *b,
                Row::Info(_, b) => c.info_revocable = *b,
                Row::Status(i) => c.status = STATUS_CHOICES[*i],
                _ => {}
            }
        }
        let signed = date_of(Field::SignedOn, dates.0.unwrap_or_default());
        let from = date_of(Field::ValidFrom, dates.1.unwrap_or_default());
        let until = date_of(Field::ValidUntil, dates.2.unwrap_or_default());
        if let (Some(s), Some(f), Some(u)) = (signed, from, until) {
            c.signed_on = s;
            c.valid_from = f;
            c.valid_until = u;
            if let Err(e) = c.validate(self.birth, today) {
                errors.extend(e);
            }
        }
        if c.document_ref.chars().count() > crate::domain::case::MAX_SHORT {
            errors.push(ValidationError::new(
                Field::DocumentRef,
                Problem::TooLong {
                    max: crate::domain::case::MAX_SHORT,
                    len: c.document_ref.chars().count(),
                },
            ));
        }
        if errors.is_empty() {
            self.errors.clear();
            Some(c)
        } else {
            if let Some(first) = errors.first()
                && let Some(i) = self.rows.iter().position(|r| r.field() == first.field)
            {
                self.cursor = i;
            }
            self.errors = errors;
            None
        }
    }
}
