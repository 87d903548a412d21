//! The case form: one row of the form engine (`app::rows`, docs/architecture.md § 4) per
//! editable value, keyed by `Field::code()`, with parsing and validation by the domain and
//! the problem kept at its field. Typed text never leaves the form until it is saved or the
//! user confirms discarding it.

mod merge;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::rows::{Kind, RowEditor, RowItem};
use crate::action::Action;
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::text::sanitize;
use crate::domain::validation::{Problem, ValidationError};
use crate::domain::{
    Agency, CaseId, CaseStatus, ClosureReason, CoopCase, Field, Gender, PersonId, ReasonCode,
    Staff, StaffId, YoungPerson,
};
use crate::keymap::Context;
use crate::strings::Strings;

/// A value of a choice field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Gender.
    Gender(Gender),
    /// Case status.
    Status(CaseStatus),
    /// Agency (case lead).
    Agency(Agency),
    /// Staff member or unassigned.
    Staff(Option<StaffId>),
    /// Closure reason or none.
    Closure(Option<ClosureReason>),
}

impl Choice {
    /// Stable text form ("gender:w", "staff:12", "staff:" for unassigned).
    pub fn encode(self) -> String {
        match self {
            Choice::Gender(g) => format!("gender:{}", g.code()),
            Choice::Status(s) => format!("status:{}", s.code()),
            Choice::Agency(a) => format!("agency:{}", a.code()),
            Choice::Staff(s) => format!("staff:{}", s.map(|s| s.0.to_string()).unwrap_or_default()),
            Choice::Closure(c) => {
                format!("closure:{}", c.map(ClosureReason::code).unwrap_or_default())
            }
        }
    }

    /// Parses the stable text form.
    pub fn decode(s: &str) -> Option<Choice> {
        let (kind, v) = s.split_once(':')?;
        match kind {
            "gender" => Gender::from_code(v).map(Choice::Gender),
            "status" => CaseStatus::from_code(v).map(Choice::Status),
            "agency" => Agency::from_code(v).map(Choice::Agency),
            "staff" if v.is_empty() => Some(Choice::Staff(None)),
            "staff" => v.parse().ok().map(|id| Choice::Staff(Some(StaffId(id)))),
            "closure" if v.is_empty() => Some(Choice::Closure(None)),
            "closure" => ClosureReason::from_code(v).map(|c| Choice::Closure(Some(c))),
            _ => None,
        }
    }
}

/// Name of the case form in drafts.
pub const DRAFT_FORM: &str = crate::model::draft::CASE_DRAFT;

/// A field that this form and someone else's save changed differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    /// The field.
    pub field: Field,
    /// This form's value (stable text form).
    pub mine: String,
    /// The stored value saved by the other person.
    pub theirs: String,
    /// The person's choice.
    pub keep_mine: bool,
}

/// The form for creating or editing a case.
#[derive(Debug)]
pub struct CaseForm {
    /// The case as loaded, or the template of a new case (owner, dates).
    pub base: CoopCase,
    /// Whether the form creates a new case.
    pub is_new: bool,
    /// The fields in tab order, one row each, keyed by `Field::code()`; a choice's option
    /// codes are `Choice::encode`, the reasons' the ticked `ReasonCode` codes.
    pub editor: RowEditor,
    /// Problems found at the last save attempt.
    pub errors: Vec<ValidationError>,
    /// A message that stays above the form (e.g. a save conflict).
    pub banner: Option<String>,
    /// Names of staff that appear as choices.
    pub staff_names: Vec<(StaffId, String)>,
    /// Fields shown but not written by this person (person data of the partner agency).
    pub readonly: Vec<Field>,
    /// Of those, the ones the person may not even read (shown as withheld).
    pub withheld: Vec<Field>,
    /// Read-only fields that hold data received from the partner agency by transfer
    /// (the others are read-only because the rules say so, docs/access.md A7).
    pub received: Vec<Field>,
    /// The draft key of a new case: negative and unique, so that several unsaved new cases
    /// of one person keep separate drafts (0 for an edit: the case id is used).
    pub draft_key: i64,
    /// The values the form was opened with (or rebased onto after a conflict): what
    /// "unsaved" and the three-way merge of a conflict compare against.
    pub base_values: Vec<(Field, String)>,
    /// The texts of labels, options and messages.
    pub strings: &'static Strings,
}

/// What an empty `field` shows: the date format where a date is typed, "–" where nothing
/// can be typed (a read-only field, the reasons).
fn placeholder(s: &Strings, field: Field, readonly: bool) -> Option<&'static str> {
    match field {
        _ if readonly => Some(s.none),
        Field::BirthDate | Field::NextReview => Some(s.date_hint),
        Field::Reasons => Some(s.none),
        _ => None,
    }
}

/// The label of a choice as the person reads it.
fn choice_label(s: &Strings, staff_names: &[(StaffId, String)], c: Choice) -> String {
    match c {
        Choice::Gender(g) => (s.gender)(g).to_string(),
        Choice::Status(st) => (s.status)(st).to_string(),
        Choice::Agency(a) => (s.agency)(a).to_string(),
        Choice::Staff(None) => s.unassigned.to_string(),
        Choice::Closure(None) => s.none.to_string(),
        Choice::Staff(Some(id)) => staff_names
            .iter()
            .find(|(x, _)| *x == id)
            .map_or("?", |(_, n)| n.as_str())
            .to_string(),
        Choice::Closure(Some(r)) => (s.closure)(r).to_string(),
    }
}

impl CaseForm {
    /// An empty form for a new case, owned by `me`'s agency and assigned to `me`.
    pub fn new_case(
        me: &Staff,
        jc: &[Staff],
        ja: &[Staff],
        today: NaiveDate,
        s: &'static Strings,
    ) -> CaseForm {
        let mut case = CaseForm::empty_case(today);
        case.owner = me.agency;
        case.lead = me.agency;
        case.jc_staff = (me.agency == Agency::Jobcenter).then_some(me.id);
        case.ja_staff = (me.agency == Agency::Jugendamt).then_some(me.id);
        let mut form = CaseForm::build_fields(&case, true, jc, ja, s);
        // A new form starts with an empty birth date rather than today's.
        if let Some(r) = form.row_mut(Field::BirthDate) {
            r.set_value("");
        }
        form.draft_key = -chrono::Utc::now().timestamp_millis().max(1);
        form.base_values = form.values();
        // The other agency's number, its caseworker and the Fallführung (the creating
        // agency's) are not typed here (docs/access.md A7).
        form.set_readonly(
            crate::domain::access::readonly_case_fields(me.agency, me.agency, me.agency, true),
            Vec::new(),
        );
        form
    }

    /// A form filled with `case` for editing.
    pub fn edit(case: &CoopCase, jc: &[Staff], ja: &[Staff], s: &'static Strings) -> CaseForm {
        CaseForm::build_fields(case, false, jc, ja, s)
    }

    fn build_fields(
        case: &CoopCase,
        is_new: bool,
        jc: &[Staff],
        ja: &[Staff],
        s: &'static Strings,
    ) -> CaseForm {
        let p = &case.person;
        let statuses = if is_new {
            vec![
                CaseStatus::Requested,
                CaseStatus::ConsentPending,
                CaseStatus::Active,
            ]
        } else {
            case.status.choices_from()
        };
        let staff_options = |list: &[Staff], current: Option<StaffId>| {
            let mut opts = vec![Choice::Staff(None)];
            opts.extend(list.iter().map(|s| Choice::Staff(Some(s.id))));
            if let Some(id) = current
                && !list.iter().any(|s| s.id == id)
            {
                // Keep an assignment to someone no longer in the list (inactive).
                opts.push(Choice::Staff(Some(id)));
            }
            opts
        };
        let mut closure = vec![Choice::Closure(None)];
        closure.extend(
            ClosureReason::ALL
                .into_iter()
                .map(|c| Choice::Closure(Some(c))),
        );
        let staff_names: Vec<(StaffId, String)> = jc
            .iter()
            .chain(ja)
            .map(|s| (s.id, format!("{} {}", s.given_name, s.surname)))
            .collect();
        let line = |f: Field, v: &str| {
            RowItem::line(f.code(), (s.field)(f), v).with_max(crate::domain::case::MAX_SHORT)
        };
        let choice = |f: Field, options: Vec<Choice>, current: Choice| {
            let options = options
                .into_iter()
                .map(|c| (c.encode(), choice_label(s, &staff_names, c)))
                .collect();
            RowItem::choice(f.code(), (s.field)(f), options, &current.encode())
                .with_hint(s.choice_hint)
        };
        let reasons = ReasonCode::ALL
            .iter()
            .map(|r| (r.code().to_string(), (s.reason)(*r).to_string()))
            .collect();
        let ticked: Vec<&str> = case.reasons.iter().map(|r| r.code()).collect();
        let rows = vec![
            line(Field::Surname, &p.surname),
            line(Field::GivenNames, &p.given_names),
            line(Field::BirthDate, &format_german_date(p.birth_date)),
            choice(
                Field::Gender,
                Gender::ALL.into_iter().map(Choice::Gender).collect(),
                Choice::Gender(p.gender),
            ),
            line(Field::Address, &p.address),
            line(Field::Phone, &p.phone),
            line(Field::Email, &p.email),
            line(Field::JcCustomerNo, &p.jc_customer_no),
            line(Field::BgNo, &p.bg_no),
            line(Field::JaFileNo, &p.ja_file_no),
            choice(
                Field::Status,
                statuses.into_iter().map(Choice::Status).collect(),
                Choice::Status(case.status),
            ),
            choice(
                Field::ClosureReason,
                closure,
                Choice::Closure(case.closure_reason),
            ),
            RowItem::multi(
                Field::Reasons.code(),
                (s.field)(Field::Reasons),
                reasons,
                &ticked.join(","),
            )
            .with_hint(s.multi_hint),
            RowItem::text(
                Field::Question.code(),
                (s.field)(Field::Question),
                &case.question,
            )
            .with_max(crate::domain::case::MAX_LONG),
            choice(
                Field::Lead,
                Agency::ALL.into_iter().map(Choice::Agency).collect(),
                Choice::Agency(case.lead),
            ),
            choice(
                Field::JcStaff,
                staff_options(jc, case.jc_staff),
                Choice::Staff(case.jc_staff),
            ),
            choice(
                Field::JaStaff,
                staff_options(ja, case.ja_staff),
                Choice::Staff(case.ja_staff),
            ),
            line(
                Field::NextReview,
                &case.next_review.map(format_german_date).unwrap_or_default(),
            ),
        ];
        let mut form = CaseForm {
            base: case.clone(),
            is_new,
            editor: RowEditor::new(rows),
            errors: Vec::new(),
            banner: None,
            staff_names,
            readonly: Vec::new(),
            withheld: Vec::new(),
            received: Vec::new(),
            draft_key: 0,
            base_values: Vec::new(),
            strings: s,
        };
        form.mark_rows();
        form.base_values = form.values();
        form
    }

    fn row(&self, field: Field) -> Option<&RowItem> {
        self.editor.rows.iter().find(|r| r.key == field.code())
    }

    fn row_mut(&mut self, field: Field) -> Option<&mut RowItem> {
        self.editor.rows.iter_mut().find(|r| r.key == field.code())
    }

    /// Every field's value in stable text form.
    pub fn values(&self) -> Vec<(Field, String)> {
        self.editor
            .rows
            .iter()
            .filter_map(|r| Some((Field::from_code(&r.key)?, r.value()?)))
            .collect()
    }

    /// Sets fields from stable text values (a draft, or choices after a conflict). A choice
    /// that is no longer offered (for example a staff member who left) is added rather than
    /// dropped.
    pub fn apply_values(&mut self, values: &[(Field, String)]) {
        let (s, names) = (self.strings, self.staff_names.clone());
        for (field, value) in values {
            let Some(row) = self.row_mut(*field) else {
                continue;
            };
            if let Kind::Choice { options, .. } = &mut row.kind
                && !options.iter().any(|(c, _)| c == value)
                && let Some(c @ (Choice::Staff(_) | Choice::Closure(_))) = Choice::decode(value)
            {
                options.push((value.clone(), choice_label(s, &names, c)));
            }
            row.set_value(value);
        }
    }

    /// The value of one field in stable text form.
    pub fn value_of(&self, field: Field) -> Option<String> {
        self.row(field).and_then(RowItem::value)
    }

    /// The options of a choice field (empty for other fields).
    pub fn options_of(&self, field: Field) -> Vec<Choice> {
        match self.row(field).map(|r| &r.kind) {
            Some(Kind::Choice { options, .. }) => options
                .iter()
                .filter_map(|(c, _)| Choice::decode(c))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A value of `field` in stable text form as the person reads it.
    pub fn display_value(&self, field: Field, value: &str) -> String {
        let s = self.strings;
        let row = self.row(field);
        if let Some(r) = row
            && matches!(r.kind, Kind::Choice { .. })
            && r.option_label(value).is_none()
            && let Some(c) = Choice::decode(value)
        {
            return choice_label(s, &self.staff_names, c);
        }
        let shown = row.map_or_else(|| value.to_string(), |r| r.display(value));
        if shown.is_empty() {
            s.none.to_string()
        } else {
            shown
        }
    }

    /// Whether anything differs from the loaded (or empty) state.
    pub fn is_dirty(&self) -> bool {
        self.values() != self.base_values
    }

    /// The focused field.
    pub fn focused_field(&self) -> Option<Field> {
        self.editor.current().and_then(|r| Field::from_code(&r.key))
    }

    /// The position of the focused field in tab order (kept in drafts).
    pub fn focus_index(&self) -> usize {
        self.editor.cursor
    }

    /// Moves the focus to the field at `index` in tab order (the last if beyond).
    pub fn set_focus_index(&mut self, index: usize) {
        self.editor.cursor = index.min(self.editor.rows.len().saturating_sub(1));
    }

    /// How many fields the form has.
    pub fn field_count(&self) -> usize {
        self.editor.rows.len()
    }

    /// The keymap contexts of the focused field, then the form's and the global ones.
    pub fn contexts(&self) -> Vec<Context> {
        super::rows::contexts(Some(&self.editor))
    }

    /// Whether the focused field takes typed text.
    pub fn takes_text(&self) -> bool {
        self.editor.current().is_some_and(RowItem::takes_text)
    }

    /// The text of the focused field if it takes text, else empty.
    pub fn focused_text(&self) -> String {
        self.editor
            .current()
            .filter(|r| r.takes_text())
            .and_then(RowItem::value)
            .unwrap_or_default()
    }

    /// Marks fields as read-only (`withheld` ones are not even shown) and moves the focus to
    /// the first field this person may write.
    pub fn set_readonly(&mut self, readonly: Vec<Field>, withheld: Vec<Field>) {
        self.readonly = readonly;
        self.withheld = withheld;
        self.mark_rows();
        if self.editor.current().is_some_and(|r| r.readonly) {
            self.editor.step(true);
        }
    }

    /// Marks read-only fields that hold data received from the partner agency.
    pub fn set_received(&mut self, received: Vec<Field>) {
        self.received = received;
        self.mark_rows();
    }

    /// Puts the read-only, withheld and received marks and what an empty field shows on
    /// the rows: a read-only row says whether it was received or cannot be changed here, a
    /// withheld one never shows its value.
    fn mark_rows(&mut self) {
        let s = self.strings;
        for r in &mut self.editor.rows {
            let Some(f) = Field::from_code(&r.key) else {
                continue;
            };
            r.readonly = self.readonly.contains(&f);
            r.placeholder = placeholder(s, f, r.readonly).map(str::to_string);
            r.withheld = r.readonly && self.withheld.contains(&f);
            r.mask = r.withheld.then(|| s.withheld.to_string());
            r.note = (r.readonly && !r.withheld).then(|| {
                if self.received.contains(&f) {
                    s.received_marker
                } else {
                    s.locked_marker
                }
                .to_string()
            });
        }
    }

    /// Moves the focus to `field`.
    pub fn focus_field(&mut self, field: Field) {
        self.editor.focus(field.code());
    }

    /// The keys every row form shares (moving between fields, choices, ticks); false when
    /// `action` is not one of them.
    pub fn update(&mut self, action: Action) -> bool {
        if self.editor.navigate(action).is_none() {
            return false;
        }
        if matches!(
            action,
            Action::ChoiceNext | Action::ChoicePrev | Action::Toggle
        ) {
            self.clear_error_at_focus();
        }
        true
    }

    /// Gives a key to the focused text field.
    pub fn input(&mut self, key: KeyEvent) {
        self.editor.input(key);
        self.clear_error_at_focus();
    }

    /// Inserts pasted text into the focused text field, without control characters; a
    /// single-line field gets the lines joined by spaces.
    pub fn paste(&mut self, text: &str) {
        self.editor.paste(text);
        self.clear_error_at_focus();
    }

    fn clear_error_at_focus(&mut self) {
        if let Some(id) = self.focused_field() {
            self.errors.retain(|e| e.field != id);
            self.editor.errors.remove(id.code());
        }
    }

    /// The problem shown at `field`, if any.
    pub fn error_at(&self, field: Field) -> Option<&Problem> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.problem)
    }

    /// Keeps `errors` (in tab order) at their fields and moves the focus to the first.
    fn set_field_errors(&mut self, errors: Vec<ValidationError>) {
        let s = self.strings;
        self.editor.set_errors(
            errors
                .iter()
                .map(|e| (e.field.code().to_string(), (s.problem)(&e.problem, s)))
                .collect(),
        );
        self.errors = errors;
    }

    fn text_of(&self, field: Field) -> String {
        sanitize(self.value_of(field).unwrap_or_default().trim(), true)
    }

    fn choice_of(&self, field: Field) -> Option<Choice> {
        self.value_of(field).and_then(|v| Choice::decode(&v))
    }

    /// Builds the case from the fields and checks it. On failure every problem is kept at
    /// its field and the focus moves to the first one.
    pub fn build(&mut self, today: NaiveDate) -> Option<CoopCase> {
        let mut errors = Vec::new();
        let mut case = self.base.clone();
        let p = &mut case.person;
        p.surname = self.text_of(Field::Surname);
        p.given_names = self.text_of(Field::GivenNames);
        p.address = self.text_of(Field::Address);
        p.phone = self.text_of(Field::Phone);
        p.email = self.text_of(Field::Email);
        p.jc_customer_no = self.text_of(Field::JcCustomerNo);
        p.bg_no = self.text_of(Field::BgNo);
        p.ja_file_no = self.text_of(Field::JaFileNo);
        let birth = self.text_of(Field::BirthDate);
        let mut birth_ok = true;
        if self.readonly.contains(&Field::BirthDate) {
            // Not this person's to write; the store keeps the stored value.
        } else if birth.is_empty() {
            errors.push(ValidationError::new(Field::BirthDate, Problem::Required));
            birth_ok = false;
        } else {
            match parse_german_date(&birth) {
                Ok(d) => p.birth_date = d,
                Err(problem) => {
                    errors.push(ValidationError::new(Field::BirthDate, problem));
                    birth_ok = false;
                }
            }
        }
        if let Some(Choice::Gender(g)) = self.choice_of(Field::Gender) {
            p.gender = g;
        }
        if let Some(Choice::Status(s)) = self.choice_of(Field::Status) {
            case.status = s;
        }
        if let Some(Choice::Closure(c)) = self.choice_of(Field::ClosureReason) {
            case.closure_reason = c;
        }
        if let Some(Choice::Agency(a)) = self.choice_of(Field::Lead) {
            case.lead = a;
        }
        if let Some(Choice::Staff(s)) = self.choice_of(Field::JcStaff) {
            case.jc_staff = s;
        }
        if let Some(Choice::Staff(s)) = self.choice_of(Field::JaStaff) {
            case.ja_staff = s;
        }
        case.question = self.text_of(Field::Question);
        if let Some(v) = self.value_of(Field::Reasons) {
            case.reasons = ReasonCode::split(&v);
        }
        let review = self.text_of(Field::NextReview);
        case.next_review = None;
        if !review.is_empty() {
            match parse_german_date(&review) {
                Ok(d) => case.next_review = Some(d),
                Err(problem) => errors.push(ValidationError::new(Field::NextReview, problem)),
            }
        }
        case.apply_status_effects(today);
        if let Err(domain_errors) = case.validate((!self.is_new).then_some(self.base.status), today)
        {
            for e in domain_errors {
                // A date that did not parse already has its message.
                let unparsed_birth = e.field == Field::BirthDate && !birth_ok;
                if !unparsed_birth && !errors.iter().any(|x: &ValidationError| x.field == e.field) {
                    errors.push(e);
                }
            }
        }
        // Fields of the partner agency are neither written nor checked here.
        errors.retain(|e| !self.readonly.contains(&e.field));
        if errors.is_empty() {
            self.set_field_errors(Vec::new());
            Some(case)
        } else {
            let order = |f: Field| {
                self.editor
                    .rows
                    .iter()
                    .position(|r| r.key == f.code())
                    .unwrap_or(usize::MAX)
            };
            errors.sort_by_key(|e| order(e.field));
            self.set_field_errors(errors);
            None
        }
    }

    fn empty_case(today: NaiveDate) -> CoopCase {
        CoopCase {
            id: CaseId(0),
            person: YoungPerson {
                id: PersonId(0),
                surname: String::new(),
                given_names: String::new(),
                birth_date: today,
                gender: Gender::Unspecified,
                address: String::new(),
                phone: String::new(),
                email: String::new(),
                jc_customer_no: String::new(),
                bg_no: String::new(),
                ja_file_no: String::new(),
                version: 0,
            },
            owner: Agency::Jobcenter,
            status: CaseStatus::Requested,
            reasons: Vec::new(),
            question: String::new(),
            lead: Agency::Jobcenter,
            jc_staff: None,
            ja_staff: None,
            opened_on: today,
            next_review: None,
            closed_on: None,
            closure_reason: None,
            version: 0,
        }
    }

    /// The record id under which this form's draft is kept.
    pub fn draft_record(&self) -> i64 {
        if self.is_new {
            self.draft_key
        } else {
            self.base.id.0
        }
    }

    /// Display name of a staff choice.
    pub fn staff_name(&self, id: StaffId) -> Option<&str> {
        self.staff_names
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, n)| n.as_str())
    }
}
