//! The SSH keys of one staff member (`k` on the administration screen): a list of
//! fingerprints, `a` adds a key by pasting or typing the line of its `.pub` file (checked
//! at once; a bad key is explained at the field), `x`/Entf removes the highlighted one
//! after a question. The store checks that the acting person administers the owner's Stelle.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::admin_ask::{AdminAsk, AdminQuestion};
use super::boxed;
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::domain::text::sanitize;
use crate::keymap::Context;
use crate::model::admin::StaffRow;
use crate::storage::ssh_keys::{KeyAdminError, KeyProblem, KeyRow, PublicKey, RSA_MIN_BITS};
use crate::strings::Strings;
use crate::widgets::rows::render_rows;

/// Registry name of the key list.
pub const NAME: &str = "ssh-keys";

/// Registry name of the box that adds a key.
pub const ADD_NAME: &str = "ssh-key-add";

/// Key of the key line in the add box.
const KEY: &str = "key";

/// The line for a key that cannot be used (shared with `tandem staff key add`).
pub fn key_problem(s: &Strings, p: &KeyProblem) -> String {
    let t = s.ssh;
    match p {
        KeyProblem::Empty => t.key_empty.to_string(),
        KeyProblem::PrivateKey => t.key_private.to_string(),
        KeyProblem::SeveralKeys => t.key_several.to_string(),
        KeyProblem::UnknownType(w) => (t.key_unknown_type)(w),
        KeyProblem::Malformed => t.key_malformed.to_string(),
        KeyProblem::RsaTooShort(bits) => (t.key_rsa_short)(*bits, RSA_MIN_BITS),
    }
}

/// The text of a refused key change (`subject`: the fingerprint or login concerned), also
/// put in the status line.
pub(crate) fn report(app: &mut App, e: KeyAdminError, subject: &str) -> String {
    let t = app.strings.ssh;
    let msg = match e {
        KeyAdminError::NotAdmin => t.not_admin.to_string(),
        KeyAdminError::OtherAgency => t.other_agency.to_string(),
        KeyAdminError::NotFound if subject.starts_with("SHA256:") => (t.no_such_key)(subject),
        KeyAdminError::NotFound => (t.no_such_login)(subject),
        KeyAdminError::Duplicate => t.duplicate_key.to_string(),
        KeyAdminError::NotEmpty => t.init_not_empty.to_string(),
        KeyAdminError::Storage(e) => {
            app.report::<()>(Err(e));
            return app
                .status
                .as_ref()
                .map(|m| m.text.clone())
                .unwrap_or_default();
        }
    };
    app.set_status(msg.clone(), true);
    msg
}

/// The active keys of `login` (empty, with the reason in the status line, when refused).
pub(crate) fn load(app: &mut App, login: &str) -> Vec<KeyRow> {
    let me = app.me.clone();
    match app.store.list_ssh_keys(&me, Some(login)) {
        Ok(keys) => keys,
        Err(e) => {
            report(app, e, login);
            Vec::new()
        }
    }
}

/// Opens the key list of `row`.
pub fn open(app: &mut App, row: &StaffRow) {
    let keys = load(app, &row.login);
    app.push(KeyList {
        login: row.login.clone(),
        name: row.display_name(),
        keys,
        cursor: 0,
    });
}

/// The keys of one person.
#[derive(Debug)]
pub struct KeyList {
    /// The owner's login.
    pub login: String,
    /// The owner's name.
    pub name: String,
    /// Their active keys.
    pub keys: Vec<KeyRow>,
    /// Highlighted key.
    pub cursor: usize,
}

impl KeyList {
    /// Replaces the keys shown (after a change), keeping the highlight in range.
    pub fn set_keys(&mut self, keys: Vec<KeyRow>) {
        self.keys = keys;
        self.cursor = self.cursor.min(self.keys.len().saturating_sub(1));
    }
}

impl Layer for KeyList {
    fn name(&self) -> &'static str {
        NAME
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Keys, Context::Global]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        let last = self.keys.len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::KeyAdd => {
                let add = KeyAdd::new(app.strings, &self.login, &self.name);
                app.push(add);
            }
            Action::KeyRemove => {
                if let Some(k) = self.keys.get(self.cursor) {
                    let ask = AdminAsk::new(
                        app,
                        AdminQuestion::RemoveKey(k.fingerprint.clone()),
                        &k.fingerprint,
                        &self.name,
                    );
                    app.push(ask);
                }
            }
            Action::Back | Action::Cancel => return Outcome::Close,
            _ => {}
        }
        Outcome::Keep
    }

    fn refresh(&mut self, app: &mut App) {
        let keys = load(app, &self.login);
        self.set_keys(keys);
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::KeyAdd,
            Action::KeyRemove,
            Action::Back,
            Action::Help,
        ]
    }

    /// ```text
    /// ┌ SSH-Schlüssel von Lea Neumann ─────────────────────────────┐
    /// │▶SHA256:kVx…  ssh-ed25519  lea@laptop        25.11.2026      │
    /// │ SHA256:P0q…  ecdsa-sha2-nistp256  lea@büro  20.11.2026      │
    /// └─────────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings.admin;
        let area = areas.body;
        let inner = boxed(
            frame,
            app.theme,
            area,
            (
                area.width.saturating_sub(2).max(1),
                area.height.saturating_sub(2).max(1),
            ),
            &sanitize(&(s.keys_title)(&self.name), false),
        );
        let mut lines = Vec::new();
        if self.keys.is_empty() {
            lines.push(Line::styled(s.keys_empty, app.theme.dim()));
        }
        let visible = usize::from(inner.height).max(1);
        let first = self.cursor.saturating_sub(visible.saturating_sub(1));
        for (i, k) in self.keys.iter().enumerate().skip(first).take(visible) {
            let day = crate::storage::parse_ts(&k.added_at)
                .map(|t| {
                    crate::domain::tz::to_local(t)
                        .format("%d.%m.%Y")
                        .to_string()
                })
                .unwrap_or_default();
            let text = format!(
                "{}{}  {}  {}  {day}",
                if i == self.cursor { "▶" } else { " " },
                k.fingerprint,
                k.algorithm,
                sanitize(&k.comment, false)
            );
            let mut line = Line::raw(text);
            if i == self.cursor {
                line = line.style(app.theme.selected());
            }
            lines.push(line);
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// The box that adds a key: one line for the `.pub` file's content.
#[derive(Debug)]
pub struct KeyAdd {
    /// The owner's login.
    pub login: String,
    /// The owner's name.
    pub name: String,
    /// The one row.
    pub editor: RowEditor,
}

/// The most characters of a pasted public key line.
const KEY_LINE_MAX: usize = 8192;

impl KeyAdd {
    fn new(s: &Strings, login: &str, name: &str) -> KeyAdd {
        // A public key line: an RSA key of 16384 bits is some 2800 characters.
        let row = RowItem::line(KEY, s.admin.key_label, "")
            .with_placeholder(s.admin.key_placeholder)
            .with_limit(KEY_LINE_MAX);
        KeyAdd {
            login: login.to_string(),
            name: name.to_string(),
            editor: RowEditor::new(vec![row]),
        }
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let text = self.editor.value(KEY);
        let key = match PublicKey::parse(&text) {
            Ok(k) => k,
            Err(p) => {
                let msg = key_problem(app.strings, &p);
                app.set_status(msg.clone(), true);
                self.editor.set_errors(vec![(KEY.to_string(), msg)]);
                return Outcome::Keep;
            }
        };
        let me = app.me.clone();
        match app.store.add_ssh_key(&me, &self.login, &key) {
            Ok(()) => {
                let keys = load(app, &self.login);
                if let Some(list) = app.layer_mut::<KeyList>() {
                    list.set_keys(keys);
                }
                app.reload_admin();
                let msg = (app.strings.ssh.key_added)(&key.fingerprint, &self.login);
                app.set_status(msg, false);
                Outcome::Close
            }
            Err(e) => {
                let msg = report(app, e, &self.login);
                self.editor.set_errors(vec![(KEY.to_string(), msg)]);
                Outcome::Keep
            }
        }
    }
}

/// Opens the administration as the demo's Jugendamt admin, the key list of the first
/// person and the box that adds a key, as F7, `k` and `a` do.
pub fn example(app: &mut App) -> bool {
    app.update(Action::ScreenAdmin);
    app.update(Action::SshKeys);
    app.update(Action::KeyAdd);
    app.top_layer() == Some(ADD_NAME)
}

impl Layer for KeyAdd {
    fn name(&self) -> &'static str {
        ADD_NAME
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
        // A `.pub` file pasted whole may end in a line break: one line. Nothing else is
        // taken away (a space pasted into the middle of the line stays); the key is
        // trimmed when it is read.
        self.editor.paste(text.trim_end_matches(['\n', '\r']));
    }

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        if self.editor.navigate(action).is_some() {
            return Outcome::Keep;
        }
        match action {
            Action::Save => self.save(app),
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        !self.editor.value(KEY).trim().is_empty()
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel]
    }

    /// ```text
    /// ┌ SSH-Schlüssel für Lea Neumann hinzufügen ───────────────────┐
    /// │ Die Zeile aus der Datei mit der Endung .pub einfügen …      │
    /// │ ssh-ed25519 AAAA… name@rechner                              │
    /// │ ⚠ Das ist ein privater Schlüssel. …                          │
    /// └─────────────────────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let s = app.strings.admin;
        let area = areas.full;
        let inner = boxed(
            frame,
            app.theme,
            area,
            (area.width.saturating_sub(4).max(1), 9.min(area.height)),
            &sanitize(&(s.key_add_title)(&self.name), false),
        );
        let [hint, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(s.key_hint)
                .wrap(Wrap { trim: true })
                .style(app.theme.dim()),
            hint,
        );
        render_rows(frame, app.theme, &self.editor, body);
    }
}
