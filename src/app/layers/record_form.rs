//! The case file's own records (docs/casework.md § 1): `a` in a case file opens a menu of
//! what this person may record there — a new custody holder, child or agreement, or one of
//! the existing ones to change or end — and each opens a form of the shared row engine.
//!
//! Every form keeps a draft under its kind's form name (`record-guardian`, …) naming the
//! record (its id, or minus the case id for a new one) and the version it rests on, so
//! nothing typed is lost on a dropped link. A problem stands at its field in German; a
//! colleague's save in between is a conflict that names who saved and keeps the input —
//! the next save replaces theirs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::step_menu::{Menu, MenuStep};
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::domain::CaseId;
use crate::domain::casefile::{
    Child, ChildRelation, Custody, Guardian, Measure, MeasureStatus, Relation as Kin, Responsible,
};
use crate::domain::coop::MeasureCategory;
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::storage::StorageError;
use crate::storage::records::{MAX_LINE, MAX_TEXT, RecordKind};

/// Key of the notice after a conflict.
const CONFLICT_NOTICE: &str = "conflict";

/// What a form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A custody holder.
    Guardian,
    /// A child.
    Child,
    /// An agreed measure.
    Measure,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 3] = [Kind::Guardian, Kind::Child, Kind::Measure];

    /// The layer's name and the form name of its drafts.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Guardian => "record-guardian",
            Kind::Child => "record-child",
            Kind::Measure => "record-measure",
        }
    }

    fn index(self) -> usize {
        match self {
            Kind::Guardian => 0,
            Kind::Child => 1,
            Kind::Measure => 2,
        }
    }

    fn store_kind(self) -> RecordKind {
        match self {
            Kind::Guardian => RecordKind::Guardian,
            Kind::Child => RecordKind::Child,
            Kind::Measure => RecordKind::Measure,
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The kind index (0 custody holder, 1 child, 2 agreement) of a record form's draft name.
pub fn draft_kind(form: &str) -> Option<usize> {
    Kind::from_name(form).map(Kind::index)
}

/// One entry of the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRecord {
    /// A new record of a kind.
    New(Kind),
    /// An existing record to change or end.
    Edit(Kind, i64),
}

/// The menu's registry name.
pub const MENU: &str = "record-menu";

/// The menu of `a`.
pub type RecordMenu = Menu<FileRecord>;

/// Whether the person may record family data on the open file: assigned or deputy of the
/// case owner's agency (docs/access.md A3, A7).
fn may_record_family(app: &App) -> bool {
    app.works_on_file()
        && app
            .cases
            .file
            .as_ref()
            .is_some_and(|f| f.case().owner == app.me.agency)
}

impl MenuStep for FileRecord {
    const NAME: &'static str = MENU;

    fn offered(app: &App) -> Vec<Self> {
        let Some(f) = app.cases.file.as_ref() else {
            return Vec::new();
        };
        if !app.works_on_file() {
            return Vec::new();
        }
        let mut v = Vec::new();
        let family = may_record_family(app);
        if family {
            v.extend([
                FileRecord::New(Kind::Guardian),
                FileRecord::New(Kind::Child),
            ]);
        }
        v.push(FileRecord::New(Kind::Measure));
        if family {
            let g = f.view.guardians.iter().flatten();
            v.extend(g.map(|g| FileRecord::Edit(Kind::Guardian, g.id)));
            let c = f.view.children.iter().flatten();
            v.extend(c.map(|c| FileRecord::Edit(Kind::Child, c.id)));
        }
        // A measure's words are its owner's (docs/access.md A3); the partner sets its state.
        v.extend(
            f.view
                .measures
                .iter()
                .filter(|m| {
                    app.store()
                        .record_meta(RecordKind::Measure, m.id)
                        .is_ok_and(|meta| meta.owner == app.me.agency)
                })
                .map(|m| FileRecord::Edit(Kind::Measure, m.id)),
        );
        v
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.casework.menu_none
    }

    fn title(app: &App) -> &'static str {
        app.strings.casework.menu_title
    }

    fn label(self, app: &App) -> String {
        let c = app.strings.casework;
        match self {
            FileRecord::New(k) => c.menu_new[k.index()].to_string(),
            FileRecord::Edit(k, id) => {
                let name = record_name(app, k, id).unwrap_or_default();
                (c.menu_edit)(k.index(), &sanitize(&name, false))
            }
        }
    }

    fn start(self, app: &mut App) {
        let _ = match self {
            FileRecord::New(k) => open(app, k, None),
            FileRecord::Edit(k, id) => open(app, k, Some(id)),
        };
    }
}

/// The short name of a record in the open file (a measure by its first words).
fn record_name(app: &App, kind: Kind, id: i64) -> Option<String> {
    let v = &app.cases.file.as_ref()?.view;
    let ended = |d: Option<NaiveDate>| {
        d.map(|d| {
            format!(
                " ({})",
                (app.strings.casework.ended)(&format_german_date(d))
            )
        })
        .unwrap_or_default()
    };
    match kind {
        Kind::Guardian => v
            .guardians
            .iter()
            .flatten()
            .find(|g| g.id == id)
            .map(|g| format!("{}{}", g.name, ended(g.ended_on))),
        Kind::Child => v
            .children
            .iter()
            .flatten()
            .find(|c| c.id == id)
            .map(|c| format!("{}{}", c.name, ended(c.ended_on))),
        Kind::Measure => v.measures.iter().find(|m| m.id == id).map(|m| {
            let t: String = m.text.chars().take(40).collect();
            if m.text.chars().count() > 40 {
                format!("{t}…")
            } else {
                t
            }
        }),
    }
}

/// `a` in a case file: the menu (or the reason nothing may be recorded here).
pub fn open_menu(app: &mut App) {
    RecordMenu::open(app);
}

/// A form for a custody holder, child or measure.
#[derive(Debug)]
pub struct RecordForm {
    /// What it edits.
    pub kind: Kind,
    /// The case.
    pub case: CaseId,
    /// The record's id (None: new).
    pub record: Option<i64>,
    /// The version the form rests on (0: new).
    pub version: i64,
    /// The rows.
    pub editor: RowEditor,
    initial: BTreeMap<String, String>,
}

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|x| (code(*x).to_string(), label(*x).to_string()))
        .collect()
}

/// The choices of "Verantwortlich": the case's staff of both agencies, every other
/// caseworker, the young person, someone outside.
fn responsible_options(app: &App) -> Vec<(String, String)> {
    let c = app.strings.casework;
    let mut staff: Vec<_> = app
        .store()
        .active_staff()
        .unwrap_or_default()
        .into_iter()
        .filter(crate::domain::Staff::may_see_cases)
        .collect();
    staff.sort_by(|a, b| {
        a.agency
            .code()
            .cmp(b.agency.code())
            .then(a.surname.cmp(&b.surname))
            .then(a.given_name.cmp(&b.given_name))
    });
    let mut v = vec![
        ("young".to_string(), c.responsible_young.to_string()),
        ("external".to_string(), c.responsible_external.to_string()),
    ];
    v.extend(staff.into_iter().map(|s| {
        (
            format!("staff:{}", s.id.0),
            format!(
                "{} ({})",
                sanitize(&s.display_name(), false),
                (app.strings.agency)(s.agency)
            ),
        )
    }));
    v
}

impl RecordForm {
    fn rows(app: &App, kind: Kind, v: &BTreeMap<String, String>, editing: bool) -> Vec<RowItem> {
        let s = app.strings;
        let c = s.casework;
        let f = c.field;
        let get = |k: &str| v.get(k).cloned().unwrap_or_default();
        let line = |k: &str| RowItem::line(k, f(k), &get(k)).with_max(MAX_LINE);
        let date = |k: &str| RowItem::line(k, f(k), &get(k)).with_placeholder(s.date_hint);
        match kind {
            Kind::Guardian => {
                let mut rows = vec![
                    line("name"),
                    RowItem::choice(
                        "relation",
                        f("relation"),
                        options(Kin::ALL, Kin::code, s.kin),
                        &get("relation"),
                    ),
                    RowItem::choice(
                        "custody",
                        f("custody"),
                        options(Custody::ALL, Custody::code, s.custody),
                        &get("custody"),
                    ),
                    line("phone"),
                    RowItem::tick(
                        "do_not_contact",
                        f("do_not_contact"),
                        &get("do_not_contact"),
                    ),
                ];
                if editing {
                    rows.push(date("ended_on"));
                }
                rows
            }
            Kind::Child => {
                let mut rows = vec![
                    line("name"),
                    date("birth"),
                    RowItem::choice(
                        "child_relation",
                        f("child_relation"),
                        options(ChildRelation::ALL, ChildRelation::code, c.child_relation),
                        &get("child_relation"),
                    ),
                    line("whereabouts"),
                ];
                if editing {
                    rows.push(date("ended_on"));
                }
                rows
            }
            Kind::Measure => {
                let mut categories = vec![(String::new(), c.no_category.to_string())];
                categories.extend(options(
                    MeasureCategory::ALL,
                    MeasureCategory::code,
                    c.category,
                ));
                let statuses: &[MeasureStatus] = if editing {
                    MeasureStatus::ALL
                } else {
                    &[MeasureStatus::Open, MeasureStatus::InProgress]
                };
                vec![
                    RowItem::text("text", f("text"), &get("text")).with_max(MAX_TEXT),
                    RowItem::choice("category", f("category"), categories, &get("category")),
                    RowItem::choice(
                        "responsible",
                        f("responsible"),
                        responsible_options(app),
                        &get("responsible"),
                    ),
                    line("external"),
                    date("due"),
                    RowItem::choice(
                        "status",
                        f("status"),
                        options(statuses, MeasureStatus::code, s.measure_status),
                        &get("status"),
                    ),
                    RowItem::text("result", f("result"), &get("result")).with_max(MAX_TEXT),
                ]
            }
        }
    }

    fn new(
        app: &App,
        kind: Kind,
        case: CaseId,
        record: Option<i64>,
        version: i64,
        values: &BTreeMap<String, String>,
    ) -> RecordForm {
        let editor = RowEditor::new(RecordForm::rows(app, kind, values, record.is_some()));
        let initial = editor.values();
        RecordForm {
            kind,
            case,
            record,
            version,
            editor,
            initial,
        }
    }

    /// The draft's record: the id, or minus the case for a new record.
    fn draft_record(&self) -> i64 {
        self.record.unwrap_or(-self.case.0)
    }

    fn text(&self, k: &str) -> String {
        sanitize(self.editor.value(k).trim(), false)
    }

    /// Reads every field; the problems by field.
    fn read(&self, app: &App) -> Result<Input, Vec<(String, String)>> {
        let c = app.strings.casework;
        let today = app.today();
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut err = |k: &str, m: String| errors.push((k.to_string(), m));
        let line = |k: &str, required: bool, errs: &mut dyn FnMut(&str, String)| {
            let t = self.text(k);
            if required && t.is_empty() {
                errs(k, c.required.to_string());
            } else if t.chars().count() > MAX_LINE {
                errs(k, (c.too_long)(MAX_LINE));
            }
            t
        };
        let long = |k: &str, errs: &mut dyn FnMut(&str, String)| {
            let t = sanitize(self.editor.value(k).trim(), true);
            if t.chars().count() > MAX_TEXT {
                errs(k, (c.too_long)(MAX_TEXT));
            }
            t
        };
        let date = |k: &str, required: bool, errs: &mut dyn FnMut(&str, String)| {
            let t = self.text(k);
            if t.is_empty() {
                if required {
                    errs(k, c.required.to_string());
                }
                return None;
            }
            parse_german_date(&t)
                .map_err(|_| errs(k, c.bad_date.to_string()))
                .ok()
        };
        let input = match self.kind {
            Kind::Guardian => {
                let name = line("name", true, &mut err);
                let phone = line("phone", false, &mut err);
                let ended_on = date("ended_on", false, &mut err);
                Input::Guardian(Guardian {
                    id: self.record.unwrap_or_default(),
                    name,
                    relation: Kin::from_code(&self.editor.value("relation")).unwrap_or(Kin::Other),
                    custody: Custody::from_code(&self.editor.value("custody"))
                        .unwrap_or(Custody::None),
                    phone,
                    do_not_contact: self.editor.value("do_not_contact") == "1",
                    ended_on,
                })
            }
            Kind::Child => {
                let name = line("name", true, &mut err);
                let birth = date("birth", true, &mut err);
                if birth.is_some_and(|b| b > today) {
                    err("birth", c.birth_future.to_string());
                }
                let whereabouts = line("whereabouts", false, &mut err);
                let ended_on = date("ended_on", false, &mut err);
                if let (Some(b), Some(e)) = (birth, ended_on)
                    && e < b
                {
                    err("ended_on", c.end_before_birth.to_string());
                }
                Input::Child(Child {
                    id: self.record.unwrap_or_default(),
                    name,
                    birth_date: birth.unwrap_or(today),
                    relation: ChildRelation::from_code(&self.editor.value("child_relation"))
                        .unwrap_or(ChildRelation::Own),
                    whereabouts,
                    ended_on,
                })
            }
            Kind::Measure => {
                let text = long("text", &mut err);
                if text.is_empty() {
                    err("text", c.required.to_string());
                }
                let external = line("external", false, &mut err);
                let who = self.editor.value("responsible");
                let responsible = match who.as_str() {
                    "young" => Responsible::YoungPerson,
                    w => {
                        if let Some(id) =
                            w.strip_prefix("staff:").and_then(|x| x.parse::<i64>().ok())
                        {
                            let agency = app
                                .store()
                                .staff_by_id(crate::domain::StaffId(id))
                                .ok()
                                .flatten()
                                .map_or(app.me.agency, |s| s.agency);
                            Responsible::Staff(agency, crate::domain::StaffId(id))
                        } else {
                            if external.is_empty() {
                                err("external", c.external_name.to_string());
                            }
                            Responsible::External(external)
                        }
                    }
                };
                let due_on = date("due", true, &mut err);
                let status = MeasureStatus::from_code(&self.editor.value("status"))
                    .unwrap_or(MeasureStatus::Open);
                let result = long("result", &mut err);
                if matches!(status, MeasureStatus::NotDone | MeasureStatus::Dropped)
                    && result.is_empty()
                {
                    err("result", c.result_needed.to_string());
                }
                Input::Measure(
                    Measure {
                        id: self.record.unwrap_or_default(),
                        text,
                        responsible,
                        due_on: due_on.unwrap_or(today),
                        status,
                        result,
                    },
                    MeasureCategory::from_code(&self.editor.value("category")),
                )
            }
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    /// The field a refusal of the store is about.
    fn field_of(&self, r: Refusal) -> &'static str {
        match (self.kind, r) {
            (Kind::Measure, Refusal::ReasonNeeded) => "result",
            (Kind::Measure, Refusal::NameNeeded) => "external",
            (Kind::Measure, _) => "text",
            (Kind::Child, Refusal::DateOutOfRange) => "birth",
            _ => "name",
        }
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let input = match self.read(app) {
            Ok(i) => i,
            Err(errors) => {
                let msg = errors[0].1.clone();
                self.editor.set_errors(errors);
                app.set_status(msg, true);
                return Outcome::Keep;
            }
        };
        let me = app.me.clone();
        let existing = self.record.map(|id| (id, self.version));
        let store = app.store();
        let res = match &input {
            Input::Guardian(g) => store.save_guardian(&me, self.case, existing, g),
            Input::Child(c) => store.save_child(&me, self.case, existing, c),
            Input::Measure(m, cat) => store.save_measure(&me, self.case, existing, m, *cat),
        };
        match res {
            Ok(_) => {
                app.forget_draft_of(self.kind.name(), self.draft_record());
                reshow(app, self.case);
                app.set_status(app.strings.casework.saved.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                self.editor
                    .set_errors(vec![(self.field_of(r).to_string(), msg)]);
                Outcome::Keep
            }
            Err(StorageError::Conflict { by, at }) => {
                let notice = (app.strings.changed_meanwhile)(
                    by.as_deref(),
                    at.as_deref()
                        .and_then(crate::domain::tz::format_stored)
                        .as_deref(),
                );
                app.set_status(notice.clone(), true);
                // The next save replaces what the colleague stored: the form now rests on
                // the stored version, and the input stays as typed.
                if let Ok(meta) = app
                    .store()
                    .record_meta(self.kind.store_kind(), self.record.unwrap_or_default())
                {
                    self.version = meta.version;
                }
                let focused = self.editor.current().map(|r| r.key.clone());
                let mut rows = std::mem::take(&mut self.editor.rows);
                rows.retain(|r| r.key != CONFLICT_NOTICE);
                rows.insert(0, RowItem::notice(CONFLICT_NOTICE, &notice));
                self.editor.replace_rows(rows);
                if let Some(k) = focused {
                    self.editor.focus(&k);
                }
                reshow(app, self.case);
                Outcome::Keep
            }
            Err(StorageError::NotFound) => {
                app.set_status(app.strings.casework.gone.to_string(), true);
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

/// Shows the case file again where it was scrolled to.
fn reshow(app: &mut App, case: CaseId) {
    let scroll = app.cases.file.as_ref().map_or(0, |f| f.scroll);
    app.open_file(case);
    if let Some(f) = app.cases.file.as_mut() {
        f.scroll = scroll;
    }
}

/// What a form hands the store.
enum Input {
    Guardian(Guardian),
    Child(Child),
    Measure(Measure, Option<MeasureCategory>),
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(format_german_date).unwrap_or_default()
}

/// The values of a stored record as the form shows them, from the open file.
fn values_of(app: &App, kind: Kind, id: i64) -> Option<BTreeMap<String, String>> {
    let v = &app.cases.file.as_ref()?.view;
    let mut out = BTreeMap::new();
    let mut put = |k: &str, x: String| {
        out.insert(k.to_string(), x);
    };
    match kind {
        Kind::Guardian => {
            let g = v.guardians.iter().flatten().find(|g| g.id == id)?;
            put("name", g.name.clone());
            put("relation", g.relation.code().into());
            put("custody", g.custody.code().into());
            put("phone", g.phone.clone());
            put(
                "do_not_contact",
                if g.do_not_contact { "1" } else { "0" }.into(),
            );
            put("ended_on", day(g.ended_on));
        }
        Kind::Child => {
            let c = v.children.iter().flatten().find(|c| c.id == id)?;
            put("name", c.name.clone());
            put("birth", format_german_date(c.birth_date));
            put("child_relation", c.relation.code().into());
            put("whereabouts", c.whereabouts.clone());
            put("ended_on", day(c.ended_on));
        }
        Kind::Measure => {
            let m = v.measures.iter().find(|m| m.id == id)?;
            put("text", m.text.clone());
            let category = app.store().measure_category(id).ok().flatten();
            put(
                "category",
                category
                    .map(MeasureCategory::code)
                    .unwrap_or_default()
                    .into(),
            );
            match &m.responsible {
                Responsible::Staff(_, s) => put("responsible", format!("staff:{}", s.0)),
                Responsible::YoungPerson => put("responsible", "young".into()),
                Responsible::External(n) => {
                    put("responsible", "external".into());
                    put("external", n.clone());
                }
            }
            put("due", format_german_date(m.due_on));
            put("status", m.status.code().into());
            put("result", m.result.clone());
        }
    }
    Some(out)
}

/// The values of a new record.
fn defaults(app: &App, kind: Kind) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    let mut put = |k: &str, x: &str| {
        v.insert(k.to_string(), x.to_string());
    };
    match kind {
        Kind::Guardian => {
            put("relation", Kin::Mother.code());
            put("custody", Custody::Joint.code());
            put("do_not_contact", "0");
        }
        Kind::Child => put("child_relation", ChildRelation::Own.code()),
        Kind::Measure => {
            put("responsible", &format!("staff:{}", app.me.id.0));
            put("status", MeasureStatus::Open.code());
        }
    }
    v
}

/// Opens the form of a new record (`id` None) or of record `id` of the open file.
fn open(app: &mut App, kind: Kind, id: Option<i64>) -> bool {
    let Some(case) = app.cases.file.as_ref().map(|f| f.case().id) else {
        return false;
    };
    let (values, version) = match id {
        None => (defaults(app, kind), 0),
        Some(id) => {
            // The values and the version from the same moment: the file is read again, so
            // a colleague's save since it was shown is not saved over unseen.
            reshow(app, case);
            let meta = app.store().record_meta(kind.store_kind(), id);
            match (values_of(app, kind, id), meta) {
                (Some(v), Ok(meta)) if meta.case == case => (v, meta.version),
                _ => {
                    app.set_status(app.strings.casework.gone.to_string(), true);
                    return false;
                }
            }
        }
    };
    let form = RecordForm::new(app, kind, case, id, version, &values);
    app.push(form);
    true
}

/// Reopens a form that was being filled in when the session ended, on the version it
/// rested on; false when the case or the record is gone or no longer visible.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let Some(kind) = Kind::from_name(&draft.form) else {
        return false;
    };
    let (case, id) = if draft.record_id < 0 {
        (CaseId(-draft.record_id), None)
    } else {
        match app.store().record_meta(kind.store_kind(), draft.record_id) {
            Ok(meta) => (meta.case, Some(draft.record_id)),
            Err(_) => return false,
        }
    };
    app.screen = crate::app::Screen::Cases;
    app.open_file(case);
    if app.cases.file.as_ref().map(|f| f.case().id) != Some(case) {
        return false;
    }
    if !open(app, kind, id) {
        return false;
    }
    if let Some(f) = app.layer_mut::<RecordForm>() {
        if draft.base_version > 0 {
            f.version = draft.base_version;
        }
        f.editor.set_values(&draft.values);
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            f.editor.focus(k);
        }
    }
    true
}

fn example_of(app: &mut App, kind: Kind) -> bool {
    if !super::open_first_case(app) {
        return false;
    }
    open(app, kind, None) && app.top_layer() == Some(kind.name())
}

/// Example (a caseworker): a new custody holder.
pub fn example_guardian(app: &mut App) -> bool {
    example_of(app, Kind::Guardian)
}

/// Example (a caseworker): a new child.
pub fn example_child(app: &mut App) -> bool {
    example_of(app, Kind::Child)
}

/// Example (a caseworker): a new agreement.
pub fn example_measure(app: &mut App) -> bool {
    example_of(app, Kind::Measure)
}

impl Layer for RecordForm {
    fn name(&self) -> &'static str {
        self.kind.name()
    }

    fn contexts(&self) -> Vec<Context> {
        contexts(Some(&self.editor))
    }

    fn takes_text(&self) -> bool {
        self.editor.takes_text()
    }

    fn input(&mut self, _app: &mut App, key: KeyEvent) {
        self.editor.input(key);
    }

    fn paste(&mut self, _app: &mut App, text: &str) {
        self.editor.paste(text);
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        if self.editor.navigate(action).is_some() {
            return Outcome::Keep;
        }
        match action {
            Action::Save => self.save(app),
            // Not dirty (the stack asks first when it is).
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.values() != self.initial
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        self.is_dirty().then(|| {
            let values = self.editor.values_with_focus();
            let mut d = Draft::new(app.me.id, self.kind.name(), self.draft_record(), values);
            d.base_version = self.version;
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(self.kind.name(), self.draft_record());
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Save,
            Action::Cancel,
            Action::NextField,
            Action::Toggle,
        ]
    }

    /// ```text
    /// ┌ Neue/r Sorgeberechtigte/r ───────────────────────────────────┐
    /// │ Tab nächstes Feld · Leertaste/←→ Auswahl · Strg+S speichern … │
    /// │▶Name                           Aylin Demir▏                   │
    /// │ Beziehung                      Mutter                         │
    /// └───────────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let c = app.strings.casework;
        let title = if self.record.is_some() {
            c.title_edit[self.kind.index()]
        } else {
            c.title_new[self.kind.index()]
        };
        let most = area.height;
        super::render_hinted_form(frame, app, (area, most), title, c.form_hint, &self.editor);
    }
}
