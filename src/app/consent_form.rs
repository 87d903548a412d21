//! The consent form ("Einwilligung erfassen"): rows of the shared form engine
//! ([`RowEditor`]) in the order of the paper form, keyed by the fields' stable codes.
//! Checked against the rules of docs/domain.md 5.2 before it is saved; the problems are
//! shown at their rows.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use crate::app::rows::{RowEditor, RowItem, options};
use crate::domain::consent::{
    Consent, ConsentForm as Form, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    RepresentationReason,
};
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::text::sanitize;
use crate::domain::validation::{Problem, ValidationError};
use crate::domain::{Agency, CaseId, Field};
use crate::strings::Strings;

/// The statuses a consent can be recorded with.
pub const STATUS_CHOICES: [ConsentStatus; 3] = [
    ConsentStatus::Granted,
    ConsentStatus::Refused,
    ConsentStatus::Draft,
];

/// Keys of the three information ticks (purpose, consequences of refusal, revocability).
pub const INFO_KEYS: [&str; 3] = [
    "info_ticks.purpose",
    "info_ticks.refusal",
    "info_ticks.revocable",
];

/// The key of a tick of a group field: `purposes.conference`, `recipients.ja` …
fn tick_key(group: Field, code: &str) -> String {
    format!("{}.{code}", group.code())
}

/// The keys in the order of the form; drafts written before the form had keys named its
/// rows by number in this order.
fn keys_in_order() -> Vec<String> {
    let mut keys: Vec<String> = [
        Field::Status,
        Field::DeclaredBy,
        Field::RepresentationReason,
        Field::InsightChecked,
        Field::SignedOn,
        Field::ConsentForm,
        Field::DocumentRef,
    ]
    .iter()
    .map(|f| f.code().to_string())
    .collect();
    keys.extend(
        Purpose::ALL
            .iter()
            .map(|p| tick_key(Field::Purposes, p.code())),
    );
    keys.extend(
        DataCategory::ALL
            .iter()
            .map(|c| tick_key(Field::Categories, c.code())),
    );
    keys.extend(
        Agency::ALL
            .iter()
            .map(|a| tick_key(Field::Recipients, a.code())),
    );
    keys.push(Field::ValidFrom.code().to_string());
    keys.push(Field::ValidUntil.code().to_string());
    keys.extend(INFO_KEYS.iter().map(|k| (*k).to_string()));
    keys
}

/// A draft of the numbered rows of earlier versions ("00" → "0", "03" → "true"), in keys
/// and codes; None when `values` is not such a draft.
fn from_numbered(values: &BTreeMap<String, String>) -> Option<BTreeMap<String, String>> {
    if values.is_empty() || !values.keys().all(|k| k.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let index = |v: &str| v.parse::<usize>().ok();
    let code_at = |all: &[&'static str], v: &str| index(v).and_then(|i| all.get(i).copied());
    let statuses: Vec<&str> = STATUS_CHOICES.iter().map(|c| c.code()).collect();
    let declared: Vec<&str> = DeclaredBy::ALL.iter().map(|c| c.code()).collect();
    let reasons: Vec<&str> = RepresentationReason::ALL.iter().map(|c| c.code()).collect();
    let forms: Vec<&str> = Form::ALL.iter().map(|c| c.code()).collect();
    let mut out = BTreeMap::new();
    for (i, key) in keys_in_order().into_iter().enumerate() {
        let Some(v) = values.get(&format!("{i:02}")) else {
            continue;
        };
        let converted = match i {
            0 => code_at(&statuses, v).map(str::to_string),
            1 => code_at(&declared, v).map(str::to_string),
            2 => Some(code_at(&reasons, v).unwrap_or_default().to_string()),
            5 => code_at(&forms, v).map(str::to_string),
            4 | 6 => Some(v.clone()),
            _ if v == "true" => Some("1".to_string()),
            _ if v == "false" => Some("0".to_string()),
            _ => Some(v.clone()),
        };
        if let Some(c) = converted {
            out.insert(key, c);
        }
    }
    Some(out)
}

/// The consent form of one case.
#[derive(Debug)]
pub struct ConsentEditor {
    /// The case.
    pub case: CaseId,
    /// Birth date of the young person (who may declare depends on the age).
    pub birth: NaiveDate,
    /// The rows, their values (the draft) and the messages at them.
    pub rows: RowEditor,
    /// Problems of the last save attempt.
    pub problems: Vec<ValidationError>,
}

impl ConsentEditor {
    /// A new consent for `case`: signed today, valid for 12 months, to the partner agency,
    /// for the case conference and mutual information, master data ticked.
    pub fn new(
        case: CaseId,
        birth: NaiveDate,
        own: Agency,
        today: NaiveDate,
        s: &Strings,
    ) -> ConsentEditor {
        let until =
            today.checked_add_months(Months::new(12)).unwrap_or(today) - chrono::Duration::days(1);
        let label = |f: Field| (s.field)(f);
        let code = |f: Field| f.code();
        let tick = |b: bool| if b { "1" } else { "0" };
        let mut rows = vec![
            RowItem::choice(
                code(Field::Status),
                label(Field::Status),
                options(&STATUS_CHOICES, ConsentStatus::code, s.consent_status, None),
                "",
            ),
            RowItem::choice(
                code(Field::DeclaredBy),
                label(Field::DeclaredBy),
                options(DeclaredBy::ALL, DeclaredBy::code, s.declared_by, None),
                "",
            ),
            RowItem::choice(
                code(Field::RepresentationReason),
                label(Field::RepresentationReason),
                options(
                    RepresentationReason::ALL,
                    RepresentationReason::code,
                    s.representation,
                    Some(s.none),
                ),
                "",
            ),
            RowItem::tick(
                code(Field::InsightChecked),
                label(Field::InsightChecked),
                "0",
            ),
            RowItem::line(
                code(Field::SignedOn),
                label(Field::SignedOn),
                &format_german_date(today),
            ),
            RowItem::choice(
                code(Field::ConsentForm),
                label(Field::ConsentForm),
                options(Form::ALL, Form::code, s.consent_form, None),
                "",
            ),
            RowItem::line(code(Field::DocumentRef), label(Field::DocumentRef), ""),
            RowItem::heading(label(Field::Purposes)),
        ];
        rows.extend(Purpose::ALL.iter().map(|p| {
            let on = matches!(p, Purpose::Conference | Purpose::MutualInformation);
            RowItem::tick(
                &tick_key(Field::Purposes, p.code()),
                (s.purpose)(*p),
                tick(on),
            )
        }));
        rows.push(RowItem::heading(label(Field::Categories)));
        rows.extend(DataCategory::ALL.iter().map(|c| {
            RowItem::tick(
                &tick_key(Field::Categories, c.code()),
                (s.category)(*c),
                tick(*c == DataCategory::MasterData),
            )
        }));
        rows.push(RowItem::heading(label(Field::Recipients)));
        rows.extend(Agency::ALL.iter().map(|a| {
            RowItem::tick(
                &tick_key(Field::Recipients, a.code()),
                (s.agency)(*a),
                tick(*a == own.partner()),
            )
        }));
        rows.push(RowItem::line(
            code(Field::ValidFrom),
            label(Field::ValidFrom),
            &format_german_date(today),
        ));
        rows.push(RowItem::line(
            code(Field::ValidUntil),
            label(Field::ValidUntil),
            &format_german_date(until),
        ));
        rows.push(RowItem::heading(label(Field::InfoTicks)));
        let info = [s.info_purpose, s.info_refusal, s.info_revocable];
        rows.extend(
            INFO_KEYS
                .iter()
                .zip(info)
                .map(|(k, text)| RowItem::tick(k, text, "0")),
        );
        ConsentEditor {
            case,
            birth,
            rows: RowEditor::new(rows),
            problems: Vec::new(),
        }
    }

    /// The key of the row where the messages of `field` are shown (the first tick of a
    /// group of ticks).
    pub fn key_of(field: Field) -> String {
        let code = field.code();
        let prefix = format!("{code}.");
        keys_in_order()
            .into_iter()
            .find(|k| k == code || k.starts_with(&prefix))
            .unwrap_or_else(|| code.to_string())
    }

    /// The row of `field` (its first tick for a group), if the form has one.
    pub fn row_of(&self, field: Field) -> Option<usize> {
        let key = Self::key_of(field);
        self.rows.rows.iter().position(|r| r.key == key)
    }

    /// Every value by key (the draft).
    pub fn values(&self) -> BTreeMap<String, String> {
        self.rows.values()
    }

    /// Puts back the values of [`ConsentEditor::values`], or of a draft of the numbered
    /// rows of earlier versions.
    pub fn set_values(&mut self, values: &BTreeMap<String, String>) {
        match from_numbered(values) {
            Some(converted) => self.rows.set_values(&converted),
            None => self.rows.set_values(values),
        }
    }

    /// The problem shown at `field`, if any.
    pub fn error_at(&self, field: Field) -> Option<&Problem> {
        self.problems
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.problem)
    }

    fn text(&self, field: Field) -> String {
        sanitize(self.rows.value(field.code()).trim(), false)
    }

    fn ticked<T: Copy>(&self, group: Field, all: &[T], code: fn(T) -> &'static str) -> Vec<T> {
        all.iter()
            .copied()
            .filter(|x| self.rows.value(&tick_key(group, code(*x))) == "1")
            .collect()
    }

    /// Builds and checks the consent. On failure the problems stay at their rows (texts
    /// of `s`) and the cursor goes to the first.
    pub fn build(&mut self, recorded_by: Agency, today: NaiveDate, s: &Strings) -> Option<Consent> {
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
        let v = |f: Field| self.rows.value(f.code());
        let info = |i: usize| self.rows.value(INFO_KEYS[i]) == "1";
        let mut c = Consent {
            id: ConsentId(0),
            case_id: self.case.0,
            recorded_by,
            declared_by: DeclaredBy::from_code(&v(Field::DeclaredBy))
                .unwrap_or(DeclaredBy::YoungPerson),
            representation_reason: RepresentationReason::from_code(&v(Field::RepresentationReason)),
            insight_checked: v(Field::InsightChecked) == "1",
            signed_on: today,
            form: Form::from_code(&v(Field::ConsentForm)).unwrap_or(Form::Written),
            document_ref: self.text(Field::DocumentRef),
            purposes: self.ticked(Field::Purposes, Purpose::ALL, Purpose::code),
            categories: self.ticked(Field::Categories, DataCategory::ALL, DataCategory::code),
            recipient_agencies: self.ticked(Field::Recipients, &Agency::ALL, Agency::code),
            recipient_staff: Vec::new(),
            external_recipients: String::new(),
            recurring: false,
            valid_from: today,
            valid_until: today,
            info_purpose: info(0),
            info_refusal: info(1),
            info_revocable: info(2),
            status: ConsentStatus::from_code(&v(Field::Status)).unwrap_or(ConsentStatus::Granted),
            revoked_on: None,
            revoked_how: None,
            version: 1,
        };
        let signed = date_of(Field::SignedOn, self.text(Field::SignedOn));
        let from = date_of(Field::ValidFrom, self.text(Field::ValidFrom));
        let until = date_of(Field::ValidUntil, self.text(Field::ValidUntil));
        if let (Some(signed), Some(from), Some(until)) = (signed, from, until) {
            c.signed_on = signed;
            c.valid_from = from;
            c.valid_until = until;
            if let Err(e) = c.validate(self.birth, today) {
                errors.extend(e);
            }
        }
        let len = c.document_ref.chars().count();
        if len > crate::domain::case::MAX_SHORT {
            errors.push(ValidationError::new(
                Field::DocumentRef,
                Problem::TooLong {
                    max: crate::domain::case::MAX_SHORT,
                    len,
                },
            ));
        }
        let mut messages: Vec<(String, String)> = Vec::new();
        for e in &errors {
            let key = Self::key_of(e.field);
            if !messages.iter().any(|(k, _)| *k == key) {
                messages.push((key, (s.problem)(&e.problem, s)));
            }
        }
        self.rows.set_errors(messages);
        self.problems = errors;
        self.problems.is_empty().then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numbered_draft_of_earlier_versions_comes_back_in_keys() {
        let s = Strings::get(crate::strings::Lang::De);
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let mut e = ConsentEditor::new(CaseId(1), today, Agency::Jobcenter, today, s);
        let old: BTreeMap<String, String> = [
            ("00", "1"),
            ("02", "0"),
            ("03", "true"),
            ("06", "Scan-17"),
            ("07", "false"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
        e.set_values(&old);
        let v = e.values();
        assert_eq!(v["status"], "refused");
        assert_eq!(v["representation_reason"], "under_15");
        assert_eq!(v["insight_checked"], "1");
        assert_eq!(v["document_ref"], "Scan-17");
        assert_eq!(v[&tick_key(Field::Purposes, Purpose::ALL[0].code())], "0");
        assert_eq!(ConsentEditor::key_of(Field::InfoTicks), INFO_KEYS[0]);
    }
}
