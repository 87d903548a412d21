//! The staff form of the administration (`n` new, `e` edit): login, names, office e-mail
//! and phone, roles and functions valid for the Stelle, the deputy. Kept as a draft naming
//! its record (the staff id, or [`NEW_RECORD`] for a new person) and the version it rests
//! on, so nothing typed is lost; a colleague's save in between is a conflict that names who
//! saved, shows what is stored now and keeps the input (docs/architecture.md § 4).

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

use super::boxed;
use crate::action::Action;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::app::{App, Screen};
use crate::domain::refusal::Refusal;
use crate::domain::text::sanitize;
use crate::domain::{Role, StaffId};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::model::referral::Function;
use crate::storage::StorageError;
use crate::storage::staff_admin::{StaffDetails, StaffEdit, StaffEntry};
use crate::strings::Strings;
use crate::widgets::rows::render_rows;

/// Registry name, and the form name of its drafts.
pub const NAME: &str = "staff-form";

/// The record of a new person's draft.
pub const NEW_RECORD: i64 = -1;

/// Keys of the rows, in form order (the labels of `AdminStrings::labels`).
pub const KEYS: [&str; 8] = [
    "login",
    "surname",
    "given_name",
    "email",
    "phone",
    "roles",
    "functions",
    "deputy",
];

/// Key of the notice after a conflict.
const CONFLICT_NOTICE: &str = "conflict";

/// The staff form.
#[derive(Debug)]
pub struct StaffForm {
    /// The staff member, or [`NEW_RECORD`].
    pub record: i64,
    /// The version the form rests on (0 for a new person).
    pub version: i64,
    /// The rows.
    pub editor: RowEditor,
    /// The values it was opened with (dirty = changed since).
    initial: BTreeMap<String, String>,
    /// The title.
    title: String,
}

fn codes<T: Copy + PartialEq>(all: &[T], code: fn(T) -> &'static str, pick: &[T]) -> String {
    all.iter()
        .filter(|x| pick.contains(x))
        .map(|x| code(*x))
        .collect::<Vec<_>>()
        .join(",")
}

/// The rows of the form for a person of `agency` (`record`: who, to leave out of the
/// deputies), holding `values`.
fn rows(app: &App, record: i64, values: &BTreeMap<String, String>) -> Vec<RowItem> {
    let s = app.strings;
    let a = s.admin;
    let agency = app.me.agency;
    let v = |k: &str| values.get(k).map_or("", String::as_str);
    let roles: Vec<(String, String)> = Role::ALL
        .into_iter()
        .filter(|r| r.valid_for(agency))
        .map(|r| (r.code().to_string(), (s.role)(r).to_string()))
        .collect();
    let functions: Vec<(String, String)> = Function::ALL
        .into_iter()
        .filter(|f| f.valid_for(agency))
        .map(|f| (f.code().to_string(), (a.function)(f).to_string()))
        .collect();
    let mut deputies = vec![(String::new(), a.no_deputy.to_string())];
    deputies.extend(
        app.admin
            .rows
            .iter()
            .filter(|r| r.id.0 != record && r.active)
            .map(|r| {
                (
                    r.id.0.to_string(),
                    sanitize(&format!("{} ({})", r.display_name(), r.login), false),
                )
            }),
    );
    let mut login = RowItem::line(KEYS[0], a.labels[0], v(KEYS[0]));
    login.readonly = record != NEW_RECORD;
    vec![
        login,
        RowItem::line(KEYS[1], a.labels[1], v(KEYS[1])),
        RowItem::line(KEYS[2], a.labels[2], v(KEYS[2])),
        RowItem::line(KEYS[3], a.labels[3], v(KEYS[3])),
        RowItem::line(KEYS[4], a.labels[4], v(KEYS[4])),
        RowItem::multi(KEYS[5], a.labels[5], roles, v(KEYS[5])).with_hint(s.multi_hint),
        RowItem::multi(KEYS[6], a.labels[6], functions, v(KEYS[6])).with_hint(s.multi_hint),
        RowItem::choice(KEYS[7], a.labels[7], deputies, v(KEYS[7])).with_hint(s.choice_hint),
    ]
}

/// The values of a stored record.
fn values_of(d: &StaffDetails) -> BTreeMap<String, String> {
    [
        (KEYS[0], d.staff.login.clone()),
        (KEYS[1], d.staff.surname.clone()),
        (KEYS[2], d.staff.given_name.clone()),
        (KEYS[3], d.email.clone()),
        (KEYS[4], d.phone.clone()),
        (KEYS[5], codes(&Role::ALL, Role::code, &d.staff.roles)),
        (KEYS[6], codes(&Function::ALL, Function::code, &d.functions)),
        (
            KEYS[7],
            d.deputy.map(|id| id.0.to_string()).unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// A stored record in one line, for the conflict notice.
fn summary(s: &Strings, d: &StaffDetails) -> String {
    let roles: Vec<&str> = d.staff.roles.iter().map(|r| (s.role)(*r)).collect();
    let state = if d.staff.active {
        s.admin.active
    } else {
        s.admin.deactivated
    };
    sanitize(
        &[
            d.staff.display_name(),
            d.email.clone(),
            d.phone.clone(),
            roles.join(", "),
            state.to_string(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
        false,
    )
}

/// The title of a staff draft offered at login ("Neue Mitarbeiterin …" or the name).
pub fn draft_title(s: &Strings, d: &Draft) -> String {
    if d.record_id == NEW_RECORD {
        return s.admin.new_title.to_string();
    }
    let name = format!(
        "{} {}",
        d.values.get(KEYS[2]).map_or("", String::as_str),
        d.values.get(KEYS[1]).map_or("", String::as_str)
    );
    (s.admin.edit_title)(name.trim())
}

impl StaffForm {
    fn new(app: &App, record: i64, version: i64, values: &BTreeMap<String, String>) -> StaffForm {
        let editor = RowEditor::new(rows(app, record, values));
        let initial = editor.values();
        let title = if record == NEW_RECORD {
            app.strings.admin.new_title.to_string()
        } else {
            let name = format!(
                "{} {}",
                values.get(KEYS[2]).map_or("", String::as_str),
                values.get(KEYS[1]).map_or("", String::as_str)
            );
            (app.strings.admin.edit_title)(&sanitize(name.trim(), false))
        };
        StaffForm {
            record,
            version,
            editor,
            initial,
            title,
        }
    }

    fn multi<T>(&self, key: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
        self.editor
            .value(key)
            .split(',')
            .filter_map(parse)
            .collect()
    }

    fn text(&self, key: &str) -> String {
        sanitize(self.editor.value(key).trim(), false)
    }

    fn deputy(&self) -> Option<StaffId> {
        self.editor.value(KEYS[7]).parse().ok().map(StaffId)
    }

    /// The row a refusal is about.
    fn field_of(r: Refusal) -> &'static str {
        match r {
            Refusal::LoginInvalid | Refusal::LoginTaken => KEYS[0],
            Refusal::NameNeeded => KEYS[1],
            Refusal::DeputyAgency => KEYS[7],
            _ => KEYS[5],
        }
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let me = app.me.clone();
        let roles: Vec<Role> = self.multi(KEYS[5], Role::from_code);
        let functions: Vec<Function> = self.multi(KEYS[6], Function::from_code);
        let login = self.text(KEYS[0]);
        let res = if self.record == NEW_RECORD {
            let entry = StaffEntry {
                login: login.clone(),
                surname: self.text(KEYS[1]),
                given_name: self.text(KEYS[2]),
                agency: me.agency,
                roles: roles.clone(),
                functions,
                email: self.text(KEYS[3]),
                phone: self.text(KEYS[4]),
                deputy: self.deputy(),
            };
            app.store.add_staff(&me, &entry)
        } else {
            let edit = StaffEdit {
                surname: Some(self.text(KEYS[1])),
                given_name: Some(self.text(KEYS[2])),
                email: Some(self.text(KEYS[3])),
                phone: Some(self.text(KEYS[4])),
                roles: Some(roles.clone()),
                functions: Some(functions),
                deputy: Some(self.deputy()),
            };
            app.store
                .edit_staff(&me, StaffId(self.record), self.version, &edit)
        };
        match res {
            Ok(done) => {
                app.forget_draft_of(NAME, self.record);
                app.reload_admin();
                app.admin.select_login(&login);
                let waiting: Vec<&str> = roles
                    .iter()
                    .filter(|r| {
                        app.admin
                            .selected()
                            .is_some_and(|row| row.pending.contains(r))
                    })
                    .map(|r| (app.strings.role)(*r))
                    .collect();
                let msg = if done.pending.is_empty() || waiting.is_empty() {
                    (app.strings.admin.saved)(&login)
                } else {
                    (app.strings.admin.saved_pending)(&login, &waiting.join(", "))
                };
                app.set_status(msg, false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                self.editor
                    .set_errors(vec![(StaffForm::field_of(r).to_string(), msg)]);
                Outcome::Keep
            }
            Err(StorageError::Conflict { by, at: stored_at }) => {
                let at = stored_at
                    .as_deref()
                    .and_then(crate::domain::tz::format_stored);
                app.report::<()>(Err(StorageError::Conflict {
                    by: by.clone(),
                    at: stored_at,
                }));
                app.reload_admin();
                match app.store.staff_details(&me, StaffId(self.record)) {
                    Ok(now) => {
                        self.version = now.version;
                        let notice = (app.strings.admin.changed_meanwhile)(
                            by.as_deref(),
                            at.as_deref(),
                            &summary(app.strings, &now),
                        );
                        let focused = self.editor.current().map(|r| r.key.clone());
                        let mut rows = std::mem::take(&mut self.editor.rows);
                        rows.retain(|r| r.key != CONFLICT_NOTICE);
                        rows.insert(0, RowItem::notice(CONFLICT_NOTICE, &notice));
                        self.editor.replace_rows(rows);
                        if let Some(k) = focused {
                            self.editor.focus(&k);
                        }
                    }
                    Err(e) => app.report::<()>(Err(e)),
                }
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

/// Opens the form for a new person of the admin's Stelle (`n`).
pub fn open_new(app: &mut App) {
    let form = StaffForm::new(app, NEW_RECORD, 0, &BTreeMap::new());
    app.push(form);
}

/// Opens the form on staff member `id` (`e`); false when the store refuses.
pub fn open_edit(app: &mut App, id: StaffId) -> bool {
    let me = app.me.clone();
    match app.store.staff_details(&me, id) {
        Ok(d) => {
            let form = StaffForm::new(app, id.0, d.version, &values_of(&d));
            app.push(form);
            true
        }
        Err(e) => {
            app.report::<()>(Err(e));
            false
        }
    }
}

/// Reopens a staff form that was being filled in when the session ended: on the version it
/// rested on, so a colleague's save in between is met as a conflict.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    if !app.me.has_role(Role::Admin) {
        return false;
    }
    app.show_admin();
    if app.screen != Screen::Admin {
        return false;
    }
    if draft.record_id != NEW_RECORD && !open_edit(app, StaffId(draft.record_id)) {
        return false;
    }
    if draft.record_id == NEW_RECORD {
        open_new(app);
    }
    if let Some(f) = app.layer_mut::<StaffForm>() {
        if draft.record_id != NEW_RECORD {
            f.version = draft.base_version;
        }
        f.editor.set_values(&draft.values);
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            f.editor.focus(k);
        }
    }
    true
}

/// Opens the administration as the demo's Jugendamt admin and the form for a new person,
/// as F7 and `n` do.
pub fn example(app: &mut App) -> bool {
    app.update(Action::ScreenAdmin);
    app.update(Action::AdminNew);
    app.top_layer() == Some(NAME)
}

impl Layer for StaffForm {
    fn name(&self) -> &'static str {
        NAME
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
            let mut d = Draft::new(
                app.me.id,
                NAME,
                self.record,
                self.editor.values_with_focus(),
            );
            d.base_version = self.version;
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, self.record);
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
    /// ┌ Neue Mitarbeiterin / neuer Mitarbeiter ────────────────────┐
    /// │ Tab nächstes Feld, Leertaste an/aus, … Strg+S speichern …  │
    /// │▶Anmeldename                    neumann                      │
    /// │ Nachname                       Neumann                      │
    /// │ Rollen                         [x] Jugendamt Fachkraft …    │
    /// │ Vertretung                     keine                        │
    /// └─────────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.full;
        let inner = boxed(
            frame,
            app.theme,
            area,
            (
                area.width.saturating_sub(2).max(1),
                area.height.saturating_sub(2).max(1),
            ),
            &self.title,
        );
        let [hint, body] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(app.strings.admin.form_hint)
                .wrap(Wrap { trim: true })
                .style(app.theme.dim()),
            hint,
        );
        render_rows(frame, app.theme, &self.editor, body);
    }
}
