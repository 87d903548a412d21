//! The application: state, the one update step, and the event loop. The only module with
//! effects: it is where keys, the store and the screen meet.
//!
//! May use: everything.

pub mod conf;
pub mod consent_form;
pub mod cp;
pub mod form;
pub mod layer;
pub mod layers;
pub mod list;
pub mod rows;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui_textarea::TextArea;

use crate::action::Action;
use crate::domain::access::Relation;
use crate::domain::list::ListScope;
use crate::domain::{Agency, CaseId, CoopCase, Staff};
use crate::keymap::{Context, Key, Keymap};
use crate::storage::casefile::CaseFileView;
use crate::storage::{Draft, StorageError, Store};
use crate::strings::Strings;
use crate::theme::Theme;
pub use form::{CaseForm, FieldConflict};
pub use layers::question::{Ask, Question};
pub use list::CaseList;

/// The top-level screens (function keys F2…F6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// "Fälle".
    Cases,
    /// "Konferenzen".
    Conferences,
    /// "Kinderschutz".
    ChildProtection,
    /// "Kooperation".
    Cooperation,
    /// "Bereitschaft".
    OnCall,
}

impl Screen {
    /// All screens in tab order.
    pub const ALL: [Screen; 5] = [
        Screen::Cases,
        Screen::Conferences,
        Screen::ChildProtection,
        Screen::Cooperation,
        Screen::OnCall,
    ];
}

/// What the case screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasesView {
    /// The list.
    List,
    /// One case file.
    File,
    /// The form (new or edit).
    Form,
}

/// A layer above the screen that takes keys first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Popup {
    /// A save conflict: per field, keep this form's value or take the stored one.
    Conflict {
        /// The highlighted conflict.
        cursor: usize,
    },
    /// Break-glass: a reason is needed to open a case outside the caseload.
    BreakGlass {
        /// The case.
        case: CaseId,
        /// The highlighted reason.
        cursor: usize,
    },
    /// The preview of a transfer to the partner agency.
    Transfer,
    /// A note being written.
    Note,
    /// A consent being recorded.
    Consent,
    /// The step menu of a referral.
    StepMenu,
    /// The fields of a referral step.
    StepDialog,
    /// The step menu of a conference.
    ConfMenu,
    /// The fields of a conference step.
    ConfDialog,
}

/// Deadlines of a session; every one is a configuration value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Typed text reaches the draft table at most this long after the last change.
    pub autosave: Duration,
    /// How often other sessions' saves are looked for (`PRAGMA data_version`).
    pub refresh: Duration,
    /// Without input for this long the session ends, drafts kept.
    pub idle_lock: Duration,
    /// Drafts older than this many days are deleted.
    pub draft_expiry_days: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            autosave: Duration::from_secs(2),
            refresh: Duration::from_secs(1),
            idle_lock: Duration::from_mins(15),
            draft_expiry_days: 14,
        }
    }
}

/// The reasons offered for break-glass access (the free-text "Sonstiges" is not offered
/// here: it needs a text field in the box).
pub const BREAK_GLASS_CHOICES: [crate::domain::casefile::BreakGlassReason; 3] = [
    crate::domain::casefile::BreakGlassReason::UnlistedDeputy,
    crate::domain::casefile::BreakGlassReason::ChildProtection,
    crate::domain::casefile::BreakGlassReason::PersonAsked,
];

/// How far the case file scrolls (lines); the longest demo file has under 150.
const FILE_SCROLL_MAX: u16 = 1000;

/// Name of the note box in drafts (the record is the case).
const NOTE_DRAFT: &str = "note";

/// Key under which a draft remembers the focused field.
const FOCUS_KEY: &str = "__focus";

/// The latest drafts of every open layer, published after every edit for the hang-up path,
/// which saves them on a connection of its own.
pub type SharedDraft = Arc<Mutex<Vec<Draft>>>;

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMsg {
    /// The text.
    pub text: String,
    /// Whether it reports a problem.
    pub error: bool,
}

/// An open case file: what the viewer may see of it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The case file as the access rules let the viewer see it.
    pub view: CaseFileView,
    /// First line shown.
    pub scroll: u16,
}

impl CaseFile {
    /// The case (person fields the viewer may not read are empty).
    pub fn case(&self) -> &CoopCase {
        &self.view.case
    }
}

/// A transfer shown before it happens: the fields with their values, and the consent it
/// would rest on (None: no consent covers it).
pub type TransferPreview = (
    Vec<(crate::domain::Field, String)>,
    Option<crate::domain::consent::ConsentId>,
);

/// The note being written.
#[derive(Debug)]
pub struct NoteDraft {
    /// The case.
    pub case: CaseId,
    /// The text.
    pub text: TextArea<'static>,
    /// Marked as entrusted (§ 65 SGB VIII; Jugendamt only).
    pub entrusted: bool,
}

/// The whole state of one Tandem session.
pub struct App {
    store: Store,
    /// The logged-in staff member.
    pub me: Staff,
    /// UI texts.
    pub strings: &'static Strings,
    /// Key bindings.
    pub keymap: Keymap,
    /// Colours (or none).
    pub theme: Theme,
    /// Today's date (fixed in tests).
    pub today: NaiveDate,
    /// Current screen.
    pub screen: Screen,
    /// What the case screen shows.
    pub view: CasesView,
    /// The case list.
    pub list: CaseList,
    /// The filter input.
    pub filter_input: TextArea<'static>,
    /// The open case file.
    pub file: Option<CaseFile>,
    /// The open form.
    pub form: Option<CaseForm>,
    /// The open layers (popups, dialogs, menus, forms), bottom first.
    pub layers: Vec<Box<dyn layer::Layer>>,
    /// The popup, if any.
    pub popup: Option<Popup>,
    /// The status line.
    pub status: Option<StatusMsg>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Set when the session should end.
    pub quit: bool,
    /// Set when the next frame must be drawn.
    pub needs_redraw: bool,
    /// Deadlines.
    pub timing: Timing,
    /// Drafts waiting to be offered, newest first.
    pub offers: Vec<Draft>,
    /// Open conflicts of the last save.
    pub conflicts: Vec<FieldConflict>,
    /// Who saved the conflicting version.
    pub conflict_by: Option<String>,
    /// Set when the session ended because of inactivity.
    pub locked: bool,
    /// The transfer shown in the preview: fields with values, and the consent it rests on.
    pub transfer: Option<TransferPreview>,
    /// The note being written.
    pub note: Option<NoteDraft>,
    /// The consent being recorded.
    pub consent: Option<consent_form::ConsentEditor>,
    /// The child-protection screens.
    pub cp: cp::CpState,
    /// The conference screen.
    pub conf: conf::ConfState,
    /// Child-protection settings (numbers, deadlines, closure days).
    pub cp_settings: cp::CpSettings,
    /// A fixed clock for tests; None: the system clock.
    pub fixed_now: Option<chrono::DateTime<chrono::Utc>>,
    shared_draft: SharedDraft,
    written_draft: Vec<Draft>,
    draft_written_at: Instant,
    last_input: Instant,
    refreshed_at: Instant,
    data_version: i64,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("me", &self.me.login)
            .field("screen", &self.screen)
            .field("view", &self.view)
            .finish_non_exhaustive()
    }
}

impl App {
    /// A session for `me` on `store`, sized `size`.
    #[expect(
        clippy::too_many_arguments,
        reason = "each is one independent piece of a session; tests and the CLI set all"
    )]
    pub fn new(
        store: Store,
        me: Staff,
        strings: &'static Strings,
        keymap: Keymap,
        theme: Theme,
        today: NaiveDate,
        size: (u16, u16),
        timing: Timing,
    ) -> App {
        let now = Instant::now();
        let mut app = App {
            store,
            me,
            strings,
            keymap,
            theme,
            today,
            screen: Screen::Cases,
            view: CasesView::List,
            list: CaseList::default(),
            filter_input: TextArea::default(),
            file: None,
            form: None,
            layers: Vec::new(),
            popup: None,
            status: None,
            size,
            quit: false,
            needs_redraw: true,
            timing,
            offers: Vec::new(),
            conflicts: Vec::new(),
            conflict_by: None,
            locked: false,
            transfer: None,
            note: None,
            consent: None,
            cp: cp::CpState::default(),
            conf: conf::ConfState::default(),
            cp_settings: cp::CpSettings::default(),
            fixed_now: None,
            shared_draft: Arc::new(Mutex::new(Vec::new())),
            written_draft: Vec::new(),
            draft_written_at: now,
            last_input: now,
            refreshed_at: now,
            data_version: 0,
        };
        app.list.page = crate::widgets::list_rows(size.1);
        app.list.query.today = today;
        let res = app.list.reload_first(&app.store, &app.me);
        app.report(res);
        app.log_list_read(false);
        app.data_version = app.store.data_version().unwrap_or(0);
        let purged = app.store.purge_expired_drafts(timing.draft_expiry_days);
        app.report(purged);
        match app.store.drafts_offered(&app.me) {
            Ok(drafts) => {
                // A draft of a case the person may no longer see (unassigned, consent
                // revoked) is deleted, not offered: its title alone would show data.
                for d in drafts {
                    let gone = match d.form.as_str() {
                        _ if d.record_id <= 0 => false,
                        conf::MINUTES_DRAFT => app.store.conference(&app.me, d.record_id).is_err(),
                        form::DRAFT_FORM | NOTE_DRAFT => {
                            app.store.load_case(&app.me, CaseId(d.record_id)).is_err()
                        }
                        // Other drafts name nothing in their offer; restoring checks access.
                        _ => false,
                    };
                    if gone {
                        let res = app.store.delete_draft(app.me.id, &d.form, d.record_id);
                        app.report(res);
                    } else {
                        app.offers.push(d);
                    }
                }
            }
            Err(e) => app.report::<()>(Err(e)),
        }
        if !app.offers.is_empty() {
            app.push(Ask::new(Question::RestoreDraft));
        }
        app.login_banner();
        app
    }

    /// Takes the site's child-protection settings (numbers, deadlines, closure days).
    pub fn set_cp_settings(&mut self, settings: cp::CpSettings) {
        self.cp_settings = settings;
        self.login_banner();
    }

    /// The Jugendamt's login line: counts of waiting and overdue referrals, never names
    /// (docs/domain.md 5.8).
    fn login_banner(&mut self) {
        if self.me.agency != Agency::Jugendamt || self.popup.is_some() || !self.layers.is_empty() {
            return;
        }
        let cal = self.cp_settings.calendar();
        let counts =
            self.store
                .referral_counts(&self.me, self.now(), &cal, &self.cp_settings.deadlines);
        if let Ok((waiting, overdue)) = counts
            && waiting + overdue > 0
        {
            self.set_status((self.strings.cp.banner)(waiting, overdue), overdue > 0);
        }
    }

    /// What the first offered draft is about and when it was last saved (local time).
    pub fn offer_label(&self) -> Option<(String, String)> {
        let d = self.offers.first()?;
        let what = match (d.values.get("surname"), d.values.get("given_names")) {
            _ if d.form == NOTE_DRAFT => self.strings.note_title.to_string(),
            _ if d.form == cp::REFERRAL_DRAFT => self.strings.cp.draft_name.to_string(),
            _ if d.form == conf::CONFERENCE_DRAFT => self.strings.conf.titles[2].to_string(),
            _ if d.form == conf::MINUTES_DRAFT => self.strings.conf.label("minutes").to_string(),
            _ if d.form == cp::ADDENDUM_DRAFT => {
                (self.strings.cp.menu)(crate::strings::cp::MenuItem::Addendum).to_string()
            }
            _ if d.form == cp::CONSULT_DRAFT => {
                (self.strings.cp.menu)(crate::strings::cp::MenuItem::ConsultRequest).to_string()
            }
            (Some(sur), Some(given)) if !sur.is_empty() => format!("{sur}, {given}"),
            _ => self.strings.new_case.to_string(),
        };
        let when = chrono::DateTime::parse_from_rfc3339(&d.updated_at)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        Some((crate::domain::text::sanitize(&what, false), when))
    }

    /// The handle through which the hang-up path reads the latest draft.
    pub fn shared_draft(&self) -> SharedDraft {
        Arc::clone(&self.shared_draft)
    }

    /// Ends the session and hands back the store (tests hand it to the next login).
    pub fn into_store(self) -> Store {
        self.store
    }

    /// The store (for tests and admin paths; the UI never sees it).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The keymap contexts that apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if let Some(top) = self.layers.last() {
            return top.contexts();
        }
        match self.popup {
            Some(Popup::Conflict { .. }) => return vec![Context::Conflict],
            Some(Popup::BreakGlass { .. }) => return vec![Context::Choice],
            Some(Popup::Transfer) => return vec![Context::Dialog],
            Some(Popup::Note) => return vec![Context::Note, Context::Global],
            Some(Popup::StepMenu | Popup::ConfMenu) => return vec![Context::Choice],
            Some(Popup::ConfDialog) => {
                return App::cp_contexts(self.conf.dialog.as_ref().map(|d| &d.editor));
            }
            Some(Popup::StepDialog) => {
                return App::cp_contexts(self.cp.dialog.as_ref().map(|d| &d.editor));
            }
            Some(Popup::Consent) => {
                let text = self
                    .consent
                    .as_ref()
                    .and_then(|c| c.current())
                    .is_some_and(consent_form::Row::takes_text);
                let field = if text { Context::Text } else { Context::Field };
                return vec![field, Context::Form, Context::Global];
            }
            None => {}
        }
        match self.screen {
            Screen::ChildProtection => {
                return match self.cp.view {
                    cp::CpView::List => vec![Context::List, Context::Global],
                    cp::CpView::Detail => vec![Context::File, Context::Global],
                    cp::CpView::Form => App::cp_contexts(self.cp.form.as_ref()),
                };
            }
            Screen::OnCall => return vec![Context::List, Context::Global],
            Screen::Conferences => {
                return match self.conf.view {
                    conf::ConfView::Agenda | conf::ConfView::Week => {
                        vec![Context::List, Context::Global]
                    }
                    conf::ConfView::Detail => vec![Context::File, Context::Global],
                    conf::ConfView::Form => App::cp_contexts(self.conf.form.as_ref()),
                };
            }
            Screen::Cases => {}
            Screen::Cooperation => return vec![Context::Global],
        }
        match self.view {
            CasesView::List if self.list.filtering => vec![Context::Filter, Context::Global],
            CasesView::List => vec![Context::List, Context::Global],
            CasesView::File => vec![Context::File, Context::Global],
            CasesView::Form => {
                let mut v: Vec<Context> = self
                    .form
                    .as_ref()
                    .and_then(CaseForm::field_context)
                    .into_iter()
                    .collect();
                v.push(Context::Form);
                v.push(Context::Global);
                v
            }
        }
    }

    /// Whether typed characters go to a text field now.
    pub fn text_input_active(&self) -> bool {
        if let Some(top) = self.layers.last() {
            return top.takes_text();
        }
        if self.cp_takes_text() {
            return true;
        }
        if self.popup == Some(Popup::Note) {
            return true;
        }
        if self.popup == Some(Popup::Consent) {
            return self
                .consent
                .as_ref()
                .and_then(|c| c.current())
                .is_some_and(consent_form::Row::takes_text);
        }
        self.popup.is_none()
            && self.screen == Screen::Cases
            && match self.view {
                CasesView::List => self.list.filtering,
                CasesView::Form => self.form.as_ref().is_some_and(CaseForm::takes_text),
                CasesView::File => false,
            }
    }

    /// Handles one terminal event.
    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(*k),
            Event::Resize(w, h) => self.resize(*w, *h),
            Event::Paste(text) => self.paste(text),
            _ => {}
        }
    }

    /// Handles one key: text first where a text field has the focus, else the keymap.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        self.last_input = Instant::now();
        self.handle_key_inner(ev);
        self.after_input();
    }

    fn handle_key_inner(&mut self, ev: KeyEvent) {
        self.needs_redraw = true;
        self.status = None;
        if self.too_small() {
            return;
        }
        let key = Key::from_event(ev);
        let text_mode = self.text_input_active();
        if text_mode && key.is_text() {
            self.type_into_field(ev);
            return;
        }
        match self.keymap.resolve(&self.contexts(), key) {
            Some(action) => self.update(action),
            None if text_mode => self.type_into_field(ev),
            None => {}
        }
    }

    fn type_into_field(&mut self, ev: KeyEvent) {
        if !self.layers.is_empty() {
            self.with_top(|l, app| {
                l.input(app, ev);
                layer::Outcome::Keep
            });
            return;
        }
        if self.cp_takes_text() {
            if let Some(editor) = self.cp_editor_mut() {
                editor.input(ev);
            }
            if self.screen == Screen::Conferences && self.popup.is_none() {
                self.conf_recheck();
            }
            return;
        }
        if self.popup == Some(Popup::Note) {
            if let Some(note) = self.note.as_mut() {
                note.text.input(ev);
            }
            return;
        }
        if self.popup == Some(Popup::Consent) {
            if let Some(c) = self.consent.as_mut() {
                c.input(ev);
            }
            return;
        }
        if self.view == CasesView::List && self.list.filtering {
            if self.filter_input.input(ev) {
                self.apply_filter_text();
            }
        } else if let Some(form) = self.form.as_mut() {
            form.input(ev);
        }
    }

    fn apply_filter_text(&mut self) {
        let text = crate::domain::text::sanitize(&self.filter_input.lines().join(" "), false);
        if self.list.lookup.is_some() {
            // A case number for break-glass: nothing is searched until Enter.
            self.list.lookup = Some(text);
            return;
        }
        let res = self.list.set_filter(&self.store, &self.me, &text);
        self.report(res);
    }

    /// Logs that the case list was shown (docs/access.md A9): the lead's list of the whole
    /// agency, or the own caseload.
    fn log_list_read(&mut self, search: bool) {
        use crate::domain::access::ScreenRead;
        let read = match (search, self.me.has_role(crate::domain::Role::Lead)) {
            (true, _) => ScreenRead::CaseSearch,
            (false, true) => ScreenRead::AgencyList,
            (false, false) => ScreenRead::CaseList,
        };
        self.log_screen(read);
    }

    /// Logs that a list screen was shown (docs/access.md A9).
    pub(crate) fn log_screen(&mut self, read: crate::domain::access::ScreenRead) {
        let res = self.store.log_screen_read(&self.me, read);
        self.report(res);
    }

    /// Enter in the number field: look the case up and, when it lies outside the caseload,
    /// ask for the break-glass reason (docs/access.md A6).
    fn finish_lookup(&mut self) {
        let number = self.list.lookup.take().unwrap_or_default();
        self.list.filtering = false;
        self.filter_input = TextArea::default();
        match self.store.lookup_case(&self.me, &number) {
            Ok(Some(id)) => {
                // Only this opening may ask for break-glass; the reason dialog keeps the id.
                self.list.looked_up = Some(id);
                self.open_file(id);
                self.list.looked_up = None;
            }
            Ok(None) => self.set_status(self.strings.lookup_none.to_string(), true),
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// Pasted text goes to the focused text field only.
    pub fn paste(&mut self, text: &str) {
        self.last_input = Instant::now();
        self.needs_redraw = true;
        self.paste_inner(text);
        self.after_input();
    }

    fn paste_inner(&mut self, text: &str) {
        if !self.text_input_active() {
            return;
        }
        if !self.layers.is_empty() {
            self.with_top(|l, app| {
                l.paste(app, text);
                layer::Outcome::Keep
            });
            return;
        }
        if self.cp_takes_text() {
            if let Some(editor) = self.cp_editor_mut() {
                editor.paste(&crate::domain::text::sanitize(text, true));
            }
            return;
        }
        if self.view == CasesView::List {
            let clean = crate::domain::text::sanitize(&text.replace(['\n', '\r'], " "), false);
            self.filter_input.insert_str(clean);
            self.apply_filter_text();
        } else if let Some(form) = self.form.as_mut() {
            form.paste(text);
        }
    }

    /// Takes a new terminal size.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.needs_redraw = true;
        let res = self.list.resize(&self.store, &self.me, crate::widgets::list_rows(h));
        self.report(res);
    }

    fn too_small(&self) -> bool {
        self.size.0 < crate::widgets::MIN_WIDTH || self.size.1 < crate::widgets::MIN_HEIGHT
    }

    /// Whether unsaved input exists anywhere.
    pub fn has_unsaved(&self) -> bool {
        self.layers.iter().any(|l| l.is_dirty())
            || self.form.as_ref().is_some_and(CaseForm::is_dirty)
            || self.note.as_ref().is_some_and(|n| !n.text.is_empty())
            || self.consent.is_some()
            || self.cp.form.as_ref().is_some_and(|f| f.dirty)
            || self.conf.form.as_ref().is_some_and(|f| f.dirty)
            || self.conf.dialog.as_ref().is_some_and(|d| d.editor.dirty)
            || self.cp.dialog.as_ref().is_some_and(|d| d.editor.dirty)
    }

    /// The one update step: every state change and every effect goes through here.
    pub fn update(&mut self, action: Action) {
        self.needs_redraw = true;
        match action {
            Action::Quit if self.top_layer() != Some(layers::help::NAME) => {
                if self.has_unsaved() {
                    self.push(Ask::new(Question::Quit));
                } else {
                    self.quit = true;
                }
            }
            Action::Help if self.top_layer() != Some(layers::help::NAME) => {
                self.push(layers::help::Help::default());
            }
            Action::Cancel if self.layers.last().is_some_and(|l| l.is_dirty()) => {
                // Every layer with typed input asks before it is discarded.
                self.push(Ask::new(Question::Discard));
            }
            _ if !self.layers.is_empty() => self.with_top(|l, app| l.update(app, action)),
            Action::ScreenCases => {
                if self.screen != Screen::Cases {
                    self.log_list_read(false);
                }
                self.screen = Screen::Cases;
            }
            Action::ScreenConferences => {
                if self.screen != Screen::Conferences {
                    self.log_screen(crate::domain::access::ScreenRead::ConferenceList);
                }
                self.screen = Screen::Conferences;
                self.reload_conf();
            }
            Action::ScreenChildProtection => {
                if self.screen != Screen::ChildProtection {
                    self.log_screen(crate::domain::access::ScreenRead::ReferralList);
                }
                self.screen = Screen::ChildProtection;
                self.reload_cp();
            }
            Action::ScreenCooperation => self.screen = Screen::Cooperation,
            Action::ScreenOnCall => {
                if self.screen != Screen::OnCall {
                    self.log_screen(crate::domain::access::ScreenRead::OnCallList);
                }
                self.screen = Screen::OnCall;
                self.reload_cp();
            }
            Action::Confirm if matches!(self.popup, Some(Popup::Conflict { .. })) => {
                self.update_conflict(action);
            }
            Action::Confirm | Action::Deny
                if matches!(self.popup, Some(Popup::BreakGlass { .. })) =>
            {
                self.update_break_glass(action);
            }
            Action::Confirm | Action::Deny if self.popup == Some(Popup::Transfer) => {
                self.update_transfer(action);
            }
            Action::Confirm | Action::Deny if self.popup == Some(Popup::StepMenu) => {
                self.update_step_menu(action);
            }
            Action::Confirm | Action::Deny if self.popup == Some(Popup::ConfMenu) => {
                self.update_conf_menu(action);
            }
            _ if matches!(self.popup, Some(Popup::Conflict { .. })) => self.update_conflict(action),
            _ if matches!(self.popup, Some(Popup::BreakGlass { .. })) => {
                self.update_break_glass(action);
            }
            _ if self.popup == Some(Popup::Transfer) => self.update_transfer(action),
            _ if self.popup == Some(Popup::Note) => self.update_note(action),
            _ if self.popup == Some(Popup::Consent) => self.update_consent(action),
            _ if self.popup == Some(Popup::StepMenu) => self.update_step_menu(action),
            _ if self.popup == Some(Popup::StepDialog) => self.update_step_dialog(action),
            _ if self.popup == Some(Popup::ConfMenu) => self.update_conf_menu(action),
            _ if self.popup == Some(Popup::ConfDialog) => self.update_conf_dialog(action),
            _ => match self.screen {
                Screen::Cases => self.update_cases(action),
                Screen::ChildProtection => self.update_cp(action),
                Screen::OnCall => self.update_oncall(action),
                Screen::Conferences => self.update_conf(action),
                Screen::Cooperation => {}
            },
        }
    }

    /// Discards the input of the form or box that is not yet a layer (all of them when
    /// quitting).
    pub(crate) fn discard_legacy(&mut self, all: bool) {
        let popup = self.popup.take();
        if all || popup == Some(Popup::Note) {
            if let Some(note) = self.note.take() {
                self.forget_draft_of(NOTE_DRAFT, note.case.0);
            }
        }
        if all || popup == Some(Popup::Consent) {
            self.consent = None;
        }
        if all || popup.is_none() && self.screen == Screen::Cases && self.form.is_some() {
            self.discard_draft();
            if all {
                self.form = None;
            } else {
                self.close_form();
            }
        }
        if all || popup.is_none() && self.screen == Screen::ChildProtection && self.cp.form.is_some() {
            if self.cp.form.is_some() {
                self.discard_referral();
            }
        }
        if all || popup.is_none() && self.screen == Screen::Conferences && self.conf.form.is_some() {
            if self.conf.form.is_some() {
                self.close_conference_form();
                self.forget_draft_of(conf::CONFERENCE_DRAFT, 0);
            }
        }
        if all {
            if let Some(d) = self.conference_draft().or_else(|| self.cp_dialog_draft()) {
                self.forget_draft_of(&d.form, d.record_id);
            }
        } else if popup.is_some() {
            self.popup = popup.filter(|p| !matches!(p, Popup::Note | Popup::Consent));
        }
    }

    fn update_conflict(&mut self, action: Action) {
        let Some(Popup::Conflict { cursor }) = self.popup else {
            return;
        };
        let n = self.conflicts.len();
        match action {
            Action::Up => {
                self.popup = Some(Popup::Conflict {
                    cursor: cursor.saturating_sub(1),
                });
            }
            Action::Down => {
                self.popup = Some(Popup::Conflict {
                    cursor: (cursor + 1).min(n.saturating_sub(1)),
                });
            }
            Action::ChoiceNext | Action::ChoicePrev | Action::Toggle => {
                if let Some(c) = self.conflicts.get_mut(cursor) {
                    c.keep_mine = !c.keep_mine;
                }
            }
            Action::Confirm => {
                let take: Vec<(crate::domain::Field, String)> = self
                    .conflicts
                    .iter()
                    .filter(|c| !c.keep_mine)
                    .map(|c| (c.field, c.theirs.clone()))
                    .collect();
                if let Some(form) = self.form.as_mut() {
                    form.apply_values(&take);
                }
                self.conflicts.clear();
                self.popup = None;
                self.set_status(self.strings.conflict_resolved.to_string(), false);
                self.publish_draft(true);
            }
            _ => {}
        }
    }

    fn update_cases(&mut self, action: Action) {
        let res = match (self.view, action) {
            (CasesView::List, Action::Up) => self.list.up(&self.store, &self.me),
            (CasesView::List, Action::Down) => self.list.down(&self.store, &self.me),
            (CasesView::List, Action::PageUp) => self.list.page_up(&self.store, &self.me),
            (CasesView::List, Action::PageDown) => self.list.page_down(&self.store, &self.me),
            (CasesView::List, Action::First) => self.list.first(&self.store, &self.me),
            (CasesView::List, Action::Last) => self.list.last(&self.store, &self.me),
            (CasesView::List, Action::SortNext) => self.list.sort_next(&self.store, &self.me),
            (CasesView::List, Action::SortReverse) => self.list.sort_reverse(&self.store, &self.me),
            (CasesView::List, Action::ToggleScope) => {
                if !self.me.has_role(crate::domain::Role::Lead) {
                    // The agency's list is the leads'; a caseworker names the case by its
                    // number and gives a reason (docs/access.md A6).
                    self.list.lookup = Some(String::new());
                    self.list.filtering = true;
                    self.filter_input = TextArea::default();
                    self.set_status(self.strings.lookup_hint.to_string(), false);
                    return;
                }
                self.list.query.scope = match self.list.query.scope {
                    ListScope::Caseload => ListScope::Agency,
                    ListScope::Agency => ListScope::Caseload,
                };
                self.log_list_read(false);
                self.list.reload_first(&self.store, &self.me)
            }
            (CasesView::List, Action::Filter) => {
                self.list.filtering = true;
                Ok(())
            }
            (CasesView::List, Action::FilterDone) if self.list.lookup.is_some() => {
                self.finish_lookup();
                Ok(())
            }
            (CasesView::List, Action::FilterDone) => {
                self.list.filtering = false;
                if !self.list.query.filter.is_empty() {
                    self.log_list_read(true);
                }
                Ok(())
            }
            (CasesView::List, Action::ClearFilter) => {
                self.list.filtering = false;
                self.filter_input = TextArea::default();
                if self.list.lookup.take().is_some() {
                    return;
                }
                self.list.set_filter(&self.store, &self.me, "")
            }
            (CasesView::List, Action::Open) => {
                if let Some(id) = self.list.current().map(|r| r.id) {
                    self.open_file(id);
                }
                Ok(())
            }
            (CasesView::List | CasesView::File, Action::NewCase) => {
                self.open_new_form();
                Ok(())
            }
            (CasesView::List, Action::Edit) => {
                if let Some(id) = self.list.current().map(|r| r.id) {
                    self.open_file(id);
                    if self.view == CasesView::File {
                        self.open_edit_form();
                    }
                }
                Ok(())
            }
            (CasesView::File, Action::Edit) => {
                self.open_edit_form();
                Ok(())
            }
            (CasesView::File, Action::Transfer) => {
                self.open_transfer_preview();
                Ok(())
            }
            (CasesView::File, Action::RevokeConsent | Action::NewNote) if !self.works_on_file() => {
                // A team lead or a break-glass access reads only.
                self.set_status(self.strings.read_only.to_string(), true);
                Ok(())
            }
            (CasesView::File, Action::RevokeConsent) => {
                if self.newest_granted_consent().is_some() {
                    self.push(Ask::new(Question::RevokeConsent));
                } else {
                    self.set_status(self.strings.nothing_to_revoke.to_string(), true);
                }
                Ok(())
            }
            (CasesView::File, Action::NewConsent) => {
                if let Some(view) = self.file.as_ref().map(|f| &f.view) {
                    if matches!(view.relation, Relation::Assigned | Relation::Deputy) {
                        // Who may declare depends on the age: check with the real birth
                        // date even where the partner's is withheld from the screen.
                        let birth = self
                            .store
                            .load_case(&self.me, view.case.id)
                            .map_or(view.case.person.birth_date, |c| c.person.birth_date);
                        self.consent = Some(consent_form::ConsentEditor::new(
                            view.case.id,
                            birth,
                            self.me.agency,
                            self.today,
                        ));
                        self.popup = Some(Popup::Consent);
                    } else {
                        self.set_status(self.strings.read_only.to_string(), true);
                    }
                }
                Ok(())
            }
            (CasesView::File, Action::MeasureState) => {
                self.measure_state_from_file();
                Ok(())
            }
            (CasesView::File, Action::PlanConference) => {
                if let Some(id) = self.file.as_ref().map(|f| f.case().id) {
                    self.open_conference_form(Some(id));
                }
                Ok(())
            }
            (CasesView::File, Action::NewNote) => {
                if let Some(case) = self.file.as_ref().map(|f| f.case().id) {
                    self.note = Some(NoteDraft {
                        case,
                        text: TextArea::default(),
                        entrusted: false,
                    });
                    self.popup = Some(Popup::Note);
                }
                Ok(())
            }
            (CasesView::File, Action::Back) => {
                self.view = CasesView::List;
                self.file = None;
                Ok(())
            }
            (CasesView::File, Action::Up) => {
                if let Some(f) = self.file.as_mut() {
                    f.scroll = f.scroll.saturating_sub(1);
                }
                Ok(())
            }
            (CasesView::File, Action::Down | Action::PageDown | Action::PageUp | Action::First) => {
                if let Some(f) = self.file.as_mut() {
                    f.scroll = match action {
                        Action::Down => f.scroll.saturating_add(1),
                        Action::PageDown => f.scroll.saturating_add(10),
                        Action::PageUp => f.scroll.saturating_sub(10),
                        _ => 0,
                    }
                    .min(FILE_SCROLL_MAX);
                }
                Ok(())
            }
            (CasesView::Form, _) => {
                self.update_form(action);
                Ok(())
            }
            _ => Ok(()),
        };
        self.report(res);
    }

    fn update_form(&mut self, action: Action) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match action {
            Action::NextField => form.next_field(),
            Action::PrevField => form.prev_field(),
            Action::ChoiceNext => form.choice_step(true),
            Action::ChoicePrev => form.choice_step(false),
            Action::Toggle => form.toggle(),
            Action::Save => self.save_form(),
            Action::Cancel => {
                if form.is_dirty() {
                    self.push(Ask::new(Question::DiscardLegacy));
                } else {
                    self.close_form();
                }
            }
            _ => {}
        }
    }

    fn caseworkers(&mut self) -> (Vec<Staff>, Vec<Staff>) {
        let jc = self.store.caseworkers(Agency::Jobcenter);
        let ja = self.store.caseworkers(Agency::Jugendamt);
        match (jc, ja) {
            (Ok(jc), Ok(ja)) => (jc, ja),
            (Err(e), _) | (_, Err(e)) => {
                self.report::<()>(Err(e));
                (Vec::new(), Vec::new())
            }
        }
    }

    fn open_new_form(&mut self) {
        let (jc, ja) = self.caseworkers();
        self.form = Some(CaseForm::new_case(&self.me, &jc, &ja, self.today));
        self.view = CasesView::Form;
    }

    fn open_edit_form(&mut self) {
        if let Some(form) = self.edit_form_for_file() {
            self.form = Some(form);
            self.view = CasesView::Form;
        }
    }

    /// The edit form of the open case file, built from what the viewer may see, with the
    /// partner's person data read-only; None (and a message) when they may only read.
    fn edit_form_for_file(&mut self) -> Option<CaseForm> {
        let view = self.file.as_ref().map(|f| f.view.clone())?;
        if !matches!(view.relation, Relation::Assigned | Relation::Deputy) {
            self.set_status(self.strings.read_only.to_string(), true);
            return None;
        }
        let case = view.case;
        // The other agency's fields, its caseworker and a Fallführung the own agency does
        // not hold are read-only (docs/access.md A7); the store refuses them too.
        let readonly = crate::domain::access::readonly_case_fields(
            self.me.agency,
            case.owner,
            case.lead,
            false,
        );
        let (jc, ja) = self.caseworkers();
        let mut form = CaseForm::edit(&case, &jc, &ja);
        form.set_readonly(readonly, view.hidden);
        form.received = view.received;
        Some(form)
    }

    fn close_form(&mut self) {
        let was_new = self.form.as_ref().is_none_or(|f| f.is_new);
        self.form = None;
        if was_new || self.file.is_none() {
            self.view = CasesView::List;
        } else {
            // Show the stored state, which may have changed meanwhile.
            if let Some(id) = self.file.as_ref().map(|f| f.case().id) {
                self.open_file(id);
            }
        }
    }

    /// Shows case file `id`. Opening it is logged as a view (or a refusal); showing the file
    /// that is already open again (after a save, a closed form, another session's save) is
    /// not, so that sessions reloading each other's views cannot log in a loop. A case of
    /// the own agency outside the caseload asks for a break-glass reason first.
    fn open_file(&mut self, id: CaseId) {
        let reshow = self.file.as_ref().is_some_and(|f| f.case().id == id);
        let opened = if reshow {
            Ok(())
        } else {
            self.store.open_case_file(&self.me, id).map(drop)
        };
        let scroll = if reshow {
            self.file.as_ref().map_or(0, |f| f.scroll)
        } else {
            0
        };
        match opened.and_then(|()| self.store.case_file(&self.me, id, self.today)) {
            Ok(view) => {
                self.file = Some(CaseFile { view, scroll });
                self.view = CasesView::File;
            }
            Err(StorageError::NotFound) if !reshow && self.list.looked_up.take() == Some(id) => {
                self.popup = Some(Popup::BreakGlass {
                    case: id,
                    cursor: 0,
                });
            }
            Err(e) => {
                self.view = CasesView::List;
                self.file = None;
                self.report::<()>(Err(e));
            }
        }
    }

    fn update_break_glass(&mut self, action: Action) {
        let Some(Popup::BreakGlass { case, cursor }) = self.popup else {
            return;
        };
        let reasons = BREAK_GLASS_CHOICES;
        match action {
            Action::Up => {
                self.popup = Some(Popup::BreakGlass {
                    case,
                    cursor: cursor.saturating_sub(1),
                });
            }
            Action::Down => {
                self.popup = Some(Popup::BreakGlass {
                    case,
                    cursor: (cursor + 1).min(reasons.len() - 1),
                });
            }
            Action::Confirm => {
                self.popup = None;
                let res = self.store.break_glass(&self.me, case, reasons[cursor], "");
                match res {
                    Ok(()) => self.open_file(case),
                    Err(e) => self.report::<()>(Err(e)),
                }
            }
            Action::Deny => self.popup = None,
            _ => {}
        }
    }

    fn open_transfer_preview(&mut self) {
        let Some(file) = self.file.as_ref() else {
            return;
        };
        let id = file.case().id;
        let birth = file.case().person.birth_date;
        let partner = self.me.agency.partner();
        let consent = file
            .view
            .consents
            .iter()
            .filter(|c| c.is_active(self.today, birth) && c.recipient_agencies.contains(&partner))
            .max_by_key(|c| c.signed_on)
            .map(|c| c.id);
        match self.store.transfer_preview(&self.me, id) {
            Ok(fields) => {
                self.transfer = Some((fields, consent));
                self.popup = Some(Popup::Transfer);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    fn update_transfer(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                self.popup = None;
                let Some((fields, consent)) = self.transfer.take() else {
                    return;
                };
                let Some(id) = self.file.as_ref().map(|f| f.case().id) else {
                    return;
                };
                let Some(consent) = consent else {
                    self.set_status(self.strings.transfer_no_basis.to_string(), true);
                    return;
                };
                // Only what the consent covers goes over; the rest stays.
                let birth = self
                    .file
                    .as_ref()
                    .map(|f| f.case().person.birth_date)
                    .unwrap_or_default();
                let partner = self.me.agency.partner();
                let covered: Vec<crate::domain::Field> = self
                    .file
                    .as_ref()
                    .and_then(|f| f.view.consents.iter().find(|c| c.id == consent))
                    .map(|c| {
                        fields
                            .iter()
                            .map(|(f, _)| *f)
                            .filter(|f| {
                                c.covers(
                                    self.today,
                                    birth,
                                    partner,
                                    None,
                                    crate::domain::casefile::field_category(*f),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let res = self.store.record_transfer(
                    &self.me,
                    id,
                    &covered,
                    "Gegenseitige Information über Hilfen und Maßnahmen",
                    crate::domain::casefile::TransferBasis::Consent(consent),
                    "",
                    self.me.agency == Agency::Jugendamt,
                    self.today,
                );
                match res {
                    Ok(_) => {
                        self.open_file(id);
                        self.set_status(self.strings.transferred.to_string(), false);
                    }
                    Err(StorageError::TransferRefused(_)) => {
                        self.set_status(self.strings.transfer_no_basis.to_string(), true);
                    }
                    Err(e) => self.report::<()>(Err(e)),
                }
            }
            Action::Deny => {
                self.popup = None;
                self.transfer = None;
            }
            _ => {}
        }
    }

    fn newest_granted_consent(&self) -> Option<crate::domain::consent::Consent> {
        let file = self.file.as_ref()?;
        let birth = file.case().person.birth_date;
        file.view
            .consents
            .iter()
            .filter(|c| c.status == crate::domain::consent::ConsentStatus::Granted)
            .max_by_key(|c| (c.is_active(self.today, birth), c.signed_on))
            .cloned()
    }

    /// The newest granted consent, for the revocation question.
    pub fn revocable_consent_date(&self) -> Option<String> {
        self.newest_granted_consent()
            .map(|c| c.signed_on.format("%d.%m.%Y").to_string())
    }

    pub(crate) fn revoke_newest_consent(&mut self) {
        let Some(consent) = self.newest_granted_consent() else {
            return;
        };
        let Some(id) = self.file.as_ref().map(|f| f.case().id) else {
            return;
        };
        let res = self.store.revoke_consent(
            &self.me,
            &consent,
            self.today,
            crate::domain::consent::RevokedHow::Written,
        );
        match res {
            Ok(()) => {
                self.open_file(id);
                self.set_status(self.strings.revoked.to_string(), false);
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }

    /// Whether the viewer works on the open case (assigned or deputy) and may write to it.
    fn works_on_file(&self) -> bool {
        self.file
            .as_ref()
            .is_some_and(|f| matches!(f.view.relation, Relation::Assigned | Relation::Deputy))
    }

    fn update_consent(&mut self, action: Action) {
        let Some(editor) = self.consent.as_mut() else {
            return;
        };
        match action {
            Action::NextField => editor.step(true),
            Action::PrevField => editor.step(false),
            Action::ChoiceNext | Action::Toggle => editor.toggle(true),
            Action::ChoicePrev => editor.toggle(false),
            Action::Save => {
                let Some(consent) = editor.build(self.me.agency, self.today) else {
                    self.set_status(self.strings.check_fields.to_string(), true);
                    return;
                };
                let case = editor.case;
                match self.store.add_consent(&self.me, &consent) {
                    Ok(_) => {
                        self.consent = None;
                        self.popup = None;
                        self.open_file(case);
                        self.set_status(self.strings.consent_saved.to_string(), false);
                    }
                    Err(e) => self.report::<()>(Err(e)),
                }
            }
            Action::Cancel => self.push(Ask::new(Question::DiscardLegacy)),
            _ => {}
        }
    }

    fn update_note(&mut self, action: Action) {
        match action {
            Action::Save => {
                let Some(note) = self.note.take() else { return };
                let text = crate::domain::text::sanitize(note.text.lines().join("\n").trim(), true);
                self.popup = None;
                if text.is_empty() {
                    return;
                }
                match self
                    .store
                    .add_note(&self.me, note.case, &text, note.entrusted)
                {
                    Ok(()) => {
                        self.forget_draft_of(NOTE_DRAFT, note.case.0);
                        self.open_file(note.case);
                        self.set_status(self.strings.note_saved.to_string(), false);
                    }
                    Err(e) => {
                        self.note = Some(note);
                        self.popup = Some(Popup::Note);
                        self.report::<()>(Err(e));
                    }
                }
            }
            Action::ToggleEntrusted if self.me.agency == Agency::Jugendamt => {
                if let Some(n) = self.note.as_mut() {
                    n.entrusted = !n.entrusted;
                }
            }
            Action::Cancel => {
                if self.note.as_ref().is_some_and(|n| !n.text.is_empty()) {
                    self.push(Ask::new(Question::DiscardLegacy));
                } else {
                    self.note = None;
                    self.popup = None;
                }
            }
            _ => {}
        }
    }

    fn save_form(&mut self) {
        let today = self.today;
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let Some(case) = form.build(today) else {
            self.set_status(self.strings.check_fields.to_string(), true);
            return;
        };
        let result = if form.is_new {
            self.store.create_case(&self.me, &case)
        } else {
            self.store.update_case(&self.me, &case).map(|()| case.id)
        };
        match result {
            Ok(id) => {
                let created = form.is_new;
                let record = form.draft_record();
                self.form = None;
                self.forget_draft(record);
                self.open_file(id);
                let res = self.list.refresh(&self.store, &self.me, Some(id));
                self.report(res);
                let msg = if created {
                    self.strings.created
                } else {
                    self.strings.saved
                };
                self.set_status(msg.to_string(), false);
            }
            Err(StorageError::Conflict { by, at }) => {
                let at = at.map(|t| t.replace('T', " ").chars().take(19).collect::<String>());
                let msg = (self.strings.conflict)(by.as_deref(), at.as_deref());
                self.conflict_by = by;
                let id = form.base.id;
                // Rebase onto what this person may see of the stored case, never more.
                match self.store.case_file(&self.me, id, self.today) {
                    Ok(view) => {
                        let (jc, ja) = self.caseworkers();
                        if let Some(form) = self.form.as_mut() {
                            self.conflicts = form.rebase(&view.case, view.hidden, &jc, &ja);
                            form.banner = Some(msg.clone());
                        }
                        if self.conflicts.is_empty() {
                            self.set_status(self.strings.conflict_merged.to_string(), false);
                        } else {
                            self.popup = Some(Popup::Conflict { cursor: 0 });
                            self.set_status(msg, true);
                        }
                        self.publish_draft(true);
                    }
                    Err(e) => self.report::<()>(Err(e)),
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "save failed");
                let msg = if matches!(e, StorageError::NotFound) {
                    self.strings.not_found
                } else {
                    self.strings.save_failed
                };
                self.set_status(msg.to_string(), true);
            }
        }
    }

    pub(crate) fn set_status(&mut self, text: String, error: bool) {
        self.status = Some(StatusMsg { text, error });
    }

    /// Turns a storage error into a German status line; the session keeps running.
    pub(crate) fn report<T>(&mut self, res: Result<T, StorageError>) {
        if let Err(e) = res {
            tracing::warn!(error = %e, "storage error");
            let msg = match e {
                StorageError::NotFound => self.strings.not_found.to_string(),
                StorageError::ReadOnly => self.strings.read_only.to_string(),
                StorageError::Refused(r) => (self.strings.refused)(r),
                _ => self.strings.load_failed.to_string(),
            };
            self.set_status(msg, true);
        }
    }

    /// After a key or paste: publish the form's draft; write it at once when the focus
    /// moved to another field, otherwise when the autosave deadline comes.
    fn after_input(&mut self) {
        let focus = self.form.as_ref().map(|f| f.focus);
        let focus_changed = focus != self.written_focus();
        self.publish_draft(focus_changed);
    }

    fn written_focus(&self) -> Option<usize> {
        let written = self.written_draft.iter().find(|d| d.form == form::DRAFT_FORM)?;
        written.values.get(FOCUS_KEY).and_then(|v| v.parse().ok())
    }

    /// Publishes the drafts of every open layer (and of the forms not yet layers) and
    /// writes them when `now` or due (docs/architecture.md § 4: every open layer keeps its
    /// own draft).
    pub(crate) fn publish_draft(&mut self, now: bool) {
        let note = self
            .note
            .as_ref()
            .filter(|n| self.popup == Some(Popup::Note) && !n.text.is_empty())
            .map(|n| Draft {
                staff_id: self.me.id,
                form: NOTE_DRAFT.to_string(),
                record_id: n.case.0,
                base_version: 0,
                base_person_version: 0,
                values: [
                    ("text".to_string(), n.text.lines().join("\n")),
                    ("entrusted".to_string(), n.entrusted.to_string()),
                ]
                .into_iter()
                .collect(),
                base_values: std::collections::BTreeMap::new(),
                updated_at: String::new(),
            });
        let form = self.form.as_ref().filter(|f| f.is_dirty()).map(|f| {
            let mut d = f.to_draft(self.me.id);
            d.values.insert(FOCUS_KEY.to_string(), f.focus.to_string());
            d
        });
        let mut drafts: Vec<Draft> = self.layers.iter().filter_map(|l| l.draft(self)).collect();
        drafts.extend(
            [
                form,
                note,
                self.referral_draft(),
                self.conference_draft(),
                self.cp_dialog_draft(),
            ]
            .into_iter()
            .flatten(),
        );
        if let Ok(mut shared) = self.shared_draft.lock() {
            shared.clone_from(&drafts);
        }
        let due = self.draft_written_at.elapsed() >= self.timing.autosave;
        if now || due {
            self.write_draft();
        }
    }

    /// Writes the published drafts that differ from what was last written; deletes the
    /// stored ones whose layer closed or holds no input any more.
    fn write_draft(&mut self) {
        if !self.draft_pending() {
            return;
        }
        let current = self
            .shared_draft
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default();
        let key = |d: &Draft| (d.form.clone(), d.record_id);
        for d in &current {
            let same = self
                .written_draft
                .iter()
                .any(|w| key(w) == key(d) && w.values == d.values && w.base_values == d.base_values);
            if !same && let Err(e) = self.store.save_draft(d) {
                // The draft stays published and is written again at the next deadline.
                tracing::warn!(error = %e, "draft not written");
                return;
            }
        }
        for w in &self.written_draft {
            if !current.iter().any(|d| key(d) == key(w))
                && let Err(e) = self.store.delete_draft(self.me.id, &w.form, w.record_id)
            {
                tracing::warn!(error = %e, "draft not deleted");
                return;
            }
        }
        self.written_draft = current;
        self.draft_written_at = Instant::now();
    }

    /// Whether the published drafts differ from the ones last written.
    fn draft_pending(&self) -> bool {
        let current = self
            .shared_draft
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default();
        let key = |d: &Draft| (d.form.clone(), d.record_id, d.values.clone(), d.base_values.clone());
        current.iter().map(key).collect::<Vec<_>>()
            != self.written_draft.iter().map(key).collect::<Vec<_>>()
    }

    /// Forgets the draft of record `record` (0: a new case) after it was saved.
    fn forget_draft(&mut self, record: i64) {
        self.forget_draft_of(form::DRAFT_FORM, record);
    }

    /// Forgets the draft of `form` for `record`.
    pub(crate) fn forget_draft_of(&mut self, form: &str, record: i64) {
        let other = |d: &Draft| d.form != form || d.record_id != record;
        if let Ok(mut shared) = self.shared_draft.lock() {
            shared.retain(other);
        }
        self.written_draft.retain(other);
        let res = self.store.delete_draft(self.me.id, form, record);
        self.report(res);
    }

    /// Drops the open form's draft when the person discards the input.
    fn discard_draft(&mut self) {
        if let Some(form) = &self.form {
            let record = form.draft_record();
            self.forget_draft(record);
        }
    }

    pub(crate) fn restore_draft(&mut self, draft: &Draft) {
        if let Some(restore) = layers::by_draft_form(&draft.form).and_then(|r| r.restore) {
            if restore(self, draft) {
                self.written_draft.push(draft.clone());
                self.publish_draft(false);
                self.set_status(self.strings.draft_restored.to_string(), false);
            } else {
                let res = self
                    .store
                    .delete_draft(self.me.id, &draft.form, draft.record_id);
                self.report(res);
            }
            return;
        }
        if draft.form == NOTE_DRAFT {
            self.restore_note_draft(draft);
            return;
        }
        if matches!(
            draft.form.as_str(),
            conf::CONFERENCE_DRAFT | conf::MINUTES_DRAFT
        ) {
            if self.restore_conference_draft(draft) {
                self.written_draft.push(draft.clone());
                self.publish_draft(false);
                self.set_status(self.strings.draft_restored.to_string(), false);
            } else {
                let res = self
                    .store
                    .delete_draft(self.me.id, &draft.form, draft.record_id);
                self.report(res);
            }
            return;
        }
        if matches!(draft.form.as_str(), cp::ADDENDUM_DRAFT | cp::CONSULT_DRAFT) {
            if self.restore_cp_dialog_draft(draft) {
                self.written_draft.push(draft.clone());
                self.publish_draft(false);
                self.set_status(self.strings.draft_restored.to_string(), false);
            } else {
                let res = self
                    .store
                    .delete_draft(self.me.id, &draft.form, draft.record_id);
                self.report(res);
            }
            return;
        }
        if draft.form == cp::REFERRAL_DRAFT {
            self.open_referral_form(&draft.values);
            self.written_draft.push(draft.clone());
            self.publish_draft(false);
            self.set_status(self.strings.draft_restored.to_string(), false);
            return;
        }
        let (jc, ja) = self.caseworkers();
        let form = if draft.record_id <= 0 {
            let mut form = CaseForm::new_case(&self.me, &jc, &ja, self.today);
            form.draft_key = draft.record_id;
            Some(form)
        } else {
            match self.store.load_case(&self.me, CaseId(draft.record_id)) {
                Ok(case) => {
                    // The same form as when editing: redacted, partner fields read-only.
                    self.open_file(case.id);
                    self.edit_form_for_file()
                }
                Err(e) => {
                    // The case is gone or no longer visible: its draft must not linger.
                    self.report::<()>(Err(e));
                    let res = self
                        .store
                        .delete_draft(self.me.id, &draft.form, draft.record_id);
                    self.report(res);
                    None
                }
            }
        };
        if let Some(mut form) = form {
            form.restore(draft);
            if let Some(focus) = draft
                .values
                .get(FOCUS_KEY)
                .and_then(|v| v.parse::<usize>().ok())
            {
                form.focus = focus.min(form.fields.len().saturating_sub(1));
            }
            self.form = Some(form);
            self.screen = Screen::Cases;
            self.view = CasesView::Form;
            self.written_draft.push(draft.clone());
            self.publish_draft(false);
            self.set_status(self.strings.draft_restored.to_string(), false);
        }
    }

    /// Reopens a note that was being written when the session ended.
    fn restore_note_draft(&mut self, draft: &Draft) {
        let case = CaseId(draft.record_id);
        self.screen = Screen::Cases;
        self.open_file(case);
        if self.file.as_ref().is_none_or(|f| f.case().id != case) {
            // The case is gone or no longer visible: the draft must not linger.
            let res = self
                .store
                .delete_draft(self.me.id, NOTE_DRAFT, draft.record_id);
            self.report(res);
            return;
        }
        let text: Vec<String> = draft
            .values
            .get("text")
            .map(|t| t.split('\n').map(str::to_string).collect())
            .unwrap_or_default();
        let mut area = TextArea::new(text);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.note = Some(NoteDraft {
            case,
            text: area,
            entrusted: draft.values.get("entrusted").is_some_and(|v| v == "true")
                && self.me.agency == Agency::Jugendamt,
        });
        self.popup = Some(Popup::Note);
        self.written_draft.push(draft.clone());
        self.set_status(self.strings.draft_restored.to_string(), false);
    }

    /// Marks the current state as drawn.
    pub fn drawn(&mut self) {
        self.needs_redraw = false;
    }

    /// How long until the next deadline, from `now`.
    pub fn next_deadline(&self, now: Instant) -> Duration {
        let mut next = self.refreshed_at + self.timing.refresh;
        next = next.min(self.last_input + self.timing.idle_lock);
        if self.draft_pending() {
            next = next.min(self.draft_written_at + self.timing.autosave);
        }
        next.saturating_duration_since(now)
    }

    /// Runs what is due at `now`: the draft autosave, the look for other sessions' saves,
    /// and the idle lock. Draws nothing by itself; state that changed sets `needs_redraw`.
    pub fn on_tick(&mut self, now: Instant) {
        if now >= self.draft_written_at + self.timing.autosave {
            self.write_draft();
        }
        if now >= self.refreshed_at + self.timing.refresh {
            self.refreshed_at = now;
            self.refresh_if_changed();
            if matches!(self.screen, Screen::ChildProtection | Screen::OnCall) {
                // Remaining times move with the clock.
                self.needs_redraw = true;
            }
        }
        if now >= self.last_input + self.timing.idle_lock {
            self.lock();
        }
    }

    /// Reloads what is shown when another connection committed, keeping the cursor, the
    /// filter and any form untouched.
    pub fn refresh_if_changed(&mut self) {
        let Ok(version) = self.store.data_version() else {
            return;
        };
        if version == self.data_version {
            return;
        }
        self.data_version = version;
        if matches!(self.screen, Screen::ChildProtection | Screen::OnCall)
            && self.cp.view != cp::CpView::Form
        {
            self.reload_cp();
        }
        let res = self.list.refresh(&self.store, &self.me, None);
        self.report(res);
        if self.view == CasesView::File
            && let Some(id) = self.file.as_ref().map(|f| f.case().id)
        {
            let scroll = self.file.as_ref().map_or(0, |f| f.scroll);
            self.open_file(id);
            if let Some(f) = self.file.as_mut() {
                f.scroll = scroll;
            }
        }
        self.needs_redraw = true;
    }

    /// Ends the session after inactivity: the draft is written, case data leaves the
    /// screen, and the loop ends.
    pub fn lock(&mut self) {
        self.publish_draft(true);
        self.form = None;
        self.file = None;
        self.cp = cp::CpState::default();
        self.list.rows.clear();
        self.popup = None;
        self.locked = true;
        self.quit = true;
        self.needs_redraw = true;
        tracing::info!("idle lock");
    }
}

/// Writes the latest published draft on a connection of its own (the hang-up path, which
/// runs on another thread while the main one may be stuck in the terminal).
pub fn save_shared_draft(shared: &SharedDraft, path: &std::path::Path) {
    let drafts = shared.lock().map(|d| d.clone()).unwrap_or_default();
    if drafts.is_empty() {
        return;
    }
    let Ok(store) = Store::open(path, crate::storage::OpenMode::Existing) else {
        tracing::error!("drafts not saved on hang-up: database not opened");
        return;
    };
    for draft in &drafts {
        if let Err(e) = store.save_draft(draft) {
            tracing::error!(error = %e, form = %draft.form, "draft not saved on hang-up");
        }
    }
}
