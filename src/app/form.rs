//! The case form: one field per editable value, focus ring, parsing and validation with the
//! problem kept at its field. Typed text never leaves the form until it is saved or the user
//! confirms discarding it.

mod merge;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::text::sanitize;
use crate::domain::validation::{Problem, ValidationError};
use crate::domain::{
    Agency, CaseId, CaseStatus, ClosureReason, CoopCase, Field, Gender, PersonId, ReasonCode,
    Staff, StaffId, YoungPerson,
};
use crate::keymap::Context;

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

/// What kind of input a field takes.
#[derive(Debug)]
pub enum FieldKind {
    /// Free text, single or multi-line.
    Text {
        /// The editor (boxed: it is much larger than the other kinds).
        area: Box<TextArea<'static>>,
        /// Whether Enter makes a new line.
        multiline: bool,
    },
    /// One of a fixed list.
    Choice {
        /// The options.
        options: Vec<Choice>,
        /// Index of the chosen option.
        index: usize,
    },
    /// Several of a fixed list.
    Multi {
        /// The options.
        options: Vec<ReasonCode>,
        /// Which are ticked.
        ticked: Vec<bool>,
        /// The highlighted option.
        cursor: usize,
    },
}

/// One field of a form.
#[derive(Debug)]
pub struct FormField {
    /// Which field.
    pub id: Field,
    /// Its input.
    pub kind: FieldKind,
}

impl FormField {
    fn text(id: Field, value: &str, multiline: bool) -> FormField {
        let lines: Vec<String> = if multiline {
            value.split('\n').map(str::to_string).collect()
        } else {
            vec![value.to_string()]
        };
        let mut area = TextArea::new(lines);
        if multiline {
            area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        FormField {
            id,
            kind: FieldKind::Text {
                area: Box::new(area),
                multiline,
            },
        }
    }

    fn choice(id: Field, options: Vec<Choice>, current: Choice) -> FormField {
        let index = options.iter().position(|o| *o == current).unwrap_or(0);
        FormField {
            id,
            kind: FieldKind::Choice { options, index },
        }
    }

    /// The text of a text field (lines joined by newlines); empty for other kinds.
    pub fn text_value(&self) -> String {
        match &self.kind {
            FieldKind::Text { area, .. } => area.lines().join("\n"),
            _ => String::new(),
        }
    }

    fn choice_value(&self) -> Option<Choice> {
        match &self.kind {
            FieldKind::Choice { options, index } => options.get(*index).copied(),
            _ => None,
        }
    }

    /// The value in a stable text form: the text itself, a choice's code, or the ticked
    /// codes of a multi-choice. Used for "unsaved" detection, drafts and conflicts.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text { .. } => self.text_value(),
            FieldKind::Choice { options, index } => {
                options.get(*index).map(|c| c.encode()).unwrap_or_default()
            }
            FieldKind::Multi {
                options, ticked, ..
            } => options
                .iter()
                .zip(ticked)
                .filter(|(_, t)| **t)
                .map(|(r, _)| r.code())
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// Sets the value from its stable text form. A choice that is no longer offered (for
    /// example a staff member who left) is added rather than dropped.
    pub fn set_value(&mut self, value: &str) {
        match &mut self.kind {
            FieldKind::Text { area, multiline } => {
                let lines: Vec<String> = if *multiline {
                    value.split('\n').map(str::to_string).collect()
                } else {
                    vec![value.replace('\n', " ")]
                };
                let wrap = area.wrap_mode();
                **area = TextArea::new(lines);
                area.set_wrap_mode(wrap);
                area.move_cursor(ratatui_textarea::CursorMove::Bottom);
                area.move_cursor(ratatui_textarea::CursorMove::End);
            }
            FieldKind::Choice { options, index } => {
                if let Some(choice) = Choice::decode(value) {
                    if let Some(i) = options.iter().position(|o| *o == choice) {
                        *index = i;
                    } else if matches!(choice, Choice::Staff(_) | Choice::Closure(_)) {
                        options.push(choice);
                        *index = options.len() - 1;
                    }
                }
            }
            FieldKind::Multi {
                options, ticked, ..
            } => {
                let chosen = ReasonCode::split(value);
                for (o, t) in options.iter().zip(ticked.iter_mut()) {
                    *t = chosen.contains(o);
                }
            }
        }
    }
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
    /// The fields in tab order.
    pub fields: Vec<FormField>,
    /// Index of the focused field.
    pub focus: usize,
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
}

impl CaseForm {
    /// An empty form for a new case, owned by `me`'s agency and assigned to `me`.
    pub fn new_case(me: &Staff, jc: &[Staff], ja: &[Staff], today: NaiveDate) -> CaseForm {
        let mut case = CaseForm::empty_case(today);
        case.owner = me.agency;
        case.lead = me.agency;
        case.jc_staff = (me.agency == Agency::Jobcenter).then_some(me.id);
        case.ja_staff = (me.agency == Agency::Jugendamt).then_some(me.id);
        let mut form = CaseForm::build_fields(&case, true, jc, ja);
        // A new form starts with an empty birth date rather than today's.
        if let Some(f) = form.fields.iter_mut().find(|f| f.id == Field::BirthDate) {
            *f = FormField::text(Field::BirthDate, "", false);
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
    pub fn edit(case: &CoopCase, jc: &[Staff], ja: &[Staff]) -> CaseForm {
        CaseForm::build_fields(case, false, jc, ja)
    }

    fn build_fields(case: &CoopCase, is_new: bool, jc: &[Staff], ja: &[Staff]) -> CaseForm {
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
        let fields = vec![
            FormField::text(Field::Surname, &p.surname, false),
            FormField::text(Field::GivenNames, &p.given_names, false),
            FormField::text(Field::BirthDate, &format_german_date(p.birth_date), false),
            FormField::choice(
                Field::Gender,
                Gender::ALL.into_iter().map(Choice::Gender).collect(),
                Choice::Gender(p.gender),
            ),
            FormField::text(Field::Address, &p.address, false),
            FormField::text(Field::Phone, &p.phone, false),
            FormField::text(Field::Email, &p.email, false),
            FormField::text(Field::JcCustomerNo, &p.jc_customer_no, false),
            FormField::text(Field::BgNo, &p.bg_no, false),
            FormField::text(Field::JaFileNo, &p.ja_file_no, false),
            FormField::choice(
                Field::Status,
                statuses.into_iter().map(Choice::Status).collect(),
                Choice::Status(case.status),
            ),
            FormField::choice(
                Field::ClosureReason,
                closure,
                Choice::Closure(case.closure_reason),
            ),
            FormField {
                id: Field::Reasons,
                kind: FieldKind::Multi {
                    options: ReasonCode::ALL.to_vec(),
                    ticked: ReasonCode::ALL
                        .iter()
                        .map(|r| case.reasons.contains(r))
                        .collect(),
                    cursor: 0,
                },
            },
            FormField::text(Field::Question, &case.question, true),
            FormField::choice(
                Field::Lead,
                Agency::ALL.into_iter().map(Choice::Agency).collect(),
                Choice::Agency(case.lead),
            ),
            FormField::choice(
                Field::JcStaff,
                staff_options(jc, case.jc_staff),
                Choice::Staff(case.jc_staff),
            ),
            FormField::choice(
                Field::JaStaff,
                staff_options(ja, case.ja_staff),
                Choice::Staff(case.ja_staff),
            ),
            FormField::text(
                Field::NextReview,
                &case.next_review.map(format_german_date).unwrap_or_default(),
                false,
            ),
        ];
        let staff_names = jc
            .iter()
            .chain(ja)
            .map(|s| (s.id, format!("{} {}", s.given_name, s.surname)))
            .collect();
        let mut form = CaseForm {
            base: case.clone(),
            is_new,
            fields,
            focus: 0,
            errors: Vec::new(),
            banner: None,
            staff_names,
            readonly: Vec::new(),
            withheld: Vec::new(),
            received: Vec::new(),
            draft_key: 0,
            base_values: Vec::new(),
        };
        form.base_values = form.values();
        form
    }

    /// Every field's value in stable text form.
    pub fn values(&self) -> Vec<(Field, String)> {
        self.fields.iter().map(|f| (f.id, f.value())).collect()
    }

    /// Sets fields from stable text values (a draft, or choices after a conflict).
    pub fn apply_values(&mut self, values: &[(Field, String)]) {
        for (field, value) in values {
            if let Some(f) = self.fields.iter_mut().find(|f| f.id == *field) {
                f.set_value(value);
            }
        }
    }

    /// The value of one field in stable text form.
    pub fn value_of(&self, field: Field) -> Option<String> {
        self.fields
            .iter()
            .find(|f| f.id == field)
            .map(FormField::value)
    }

    /// Whether anything differs from the loaded (or empty) state.
    pub fn is_dirty(&self) -> bool {
        self.values() != self.base_values
    }

    /// The focused field.
    pub fn focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus)
    }

    /// The keymap context of the focused field, if it has one.
    pub fn field_context(&self) -> Option<Context> {
        match self.focused().map(|f| &f.kind) {
            Some(FieldKind::Text {
                multiline: false, ..
            }) => Some(Context::Text),
            Some(FieldKind::Choice { .. } | FieldKind::Multi { .. }) => Some(Context::Field),
            _ => None,
        }
    }

    /// Whether the focused field takes typed text.
    pub fn takes_text(&self) -> bool {
        matches!(
            self.focused().map(|f| &f.kind),
            Some(FieldKind::Text { .. })
        )
    }

    /// Moves the focus to the next field (wrapping).
    pub fn next_field(&mut self) {
        self.step_focus(1);
    }

    /// Moves the focus to the previous field (wrapping).
    pub fn prev_field(&mut self) {
        self.step_focus(self.fields.len().saturating_sub(1));
    }

    /// Moves the focus by `by` (mod the number of fields), skipping read-only fields.
    fn step_focus(&mut self, by: usize) {
        let n = self.fields.len();
        for _ in 0..n {
            self.focus = (self.focus + by) % n;
            if !self.is_readonly(self.focus) {
                return;
            }
        }
    }

    fn is_readonly(&self, i: usize) -> bool {
        self.fields
            .get(i)
            .is_some_and(|f| self.readonly.contains(&f.id))
    }

    /// Marks fields as read-only (`withheld` ones are not even shown) and moves the focus to
    /// the first field this person may write.
    pub fn set_readonly(&mut self, readonly: Vec<Field>, withheld: Vec<Field>) {
        self.readonly = readonly;
        self.withheld = withheld;
        if self.is_readonly(self.focus) {
            self.next_field();
        }
    }

    /// Moves the focus to `field`.
    pub fn focus_field(&mut self, field: Field) {
        if let Some(i) = self.fields.iter().position(|f| f.id == field) {
            self.focus = i;
        }
    }

    /// Steps a choice (by ±1) or moves the cursor of a multi-choice.
    pub fn choice_step(&mut self, forward: bool) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut f.kind {
            FieldKind::Choice { options, index } if !options.is_empty() => {
                let n = options.len();
                *index = if forward {
                    (*index + 1) % n
                } else {
                    (*index + n - 1) % n
                };
            }
            FieldKind::Multi {
                options, cursor, ..
            } if !options.is_empty() => {
                let n = options.len();
                *cursor = if forward {
                    (*cursor + 1) % n
                } else {
                    (*cursor + n - 1) % n
                };
            }
            _ => {}
        }
        self.clear_error_at_focus();
    }

    /// Ticks or unticks the highlighted option of a multi-choice.
    pub fn toggle(&mut self) {
        if let Some(FormField {
            kind: FieldKind::Multi { ticked, cursor, .. },
            ..
        }) = self.fields.get_mut(self.focus)
            && let Some(t) = ticked.get_mut(*cursor)
        {
            *t = !*t;
        }
        self.clear_error_at_focus();
    }

    /// Gives a key to the focused text field.
    pub fn input(&mut self, key: KeyEvent) {
        if let Some(FormField {
            kind: FieldKind::Text { area, multiline },
            ..
        }) = self.fields.get_mut(self.focus)
            && area.input(key)
            && !*multiline
            && area.lines().len() > 1
        {
            let joined = area.lines().join(" ");
            **area = TextArea::new(vec![joined]);
            area.move_cursor(ratatui_textarea::CursorMove::End);
        }
        self.clear_error_at_focus();
    }

    /// Inserts pasted text into the focused text field, without control characters; a
    /// single-line field gets the lines joined by spaces.
    pub fn paste(&mut self, text: &str) {
        if let Some(FormField {
            kind: FieldKind::Text { area, multiline },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let clean = sanitize(&text.replace("\r\n", "\n").replace('\r', "\n"), *multiline);
            let clean = if *multiline {
                clean
            } else {
                sanitize(&clean.replace('\n', " "), false)
            };
            area.insert_str(clean);
        }
        self.clear_error_at_focus();
    }

    fn clear_error_at_focus(&mut self) {
        if let Some(id) = self.focused().map(|f| f.id) {
            self.errors.retain(|e| e.field != id);
        }
    }

    /// The problem shown at `field`, if any.
    pub fn error_at(&self, field: Field) -> Option<&Problem> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.problem)
    }

    fn text_of(&self, field: Field) -> String {
        self.fields
            .iter()
            .find(|f| f.id == field)
            .map(|f| sanitize(f.text_value().trim(), true))
            .unwrap_or_default()
    }

    fn choice_of(&self, field: Field) -> Option<Choice> {
        self.fields
            .iter()
            .find(|f| f.id == field)
            .and_then(FormField::choice_value)
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
        if let Some(FieldKind::Multi {
            options, ticked, ..
        }) = self
            .fields
            .iter()
            .find(|f| f.id == Field::Reasons)
            .map(|f| &f.kind)
        {
            case.reasons = options
                .iter()
                .zip(ticked)
                .filter(|(_, t)| **t)
                .map(|(r, _)| *r)
                .collect();
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
            self.errors.clear();
            Some(case)
        } else {
            let order = |f: Field| {
                self.fields
                    .iter()
                    .position(|x| x.id == f)
                    .unwrap_or(usize::MAX)
            };
            errors.sort_by_key(|e| order(e.field));
            if let Some(first) = errors.first() {
                self.focus = order(first.field).min(self.fields.len().saturating_sub(1));
            }
            self.errors = errors;
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
