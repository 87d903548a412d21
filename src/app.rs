//! The application: state, the one update step, and the event loop. The only module with
//! effects: it is where keys, the store and the screen meet.
//!
//! May use: everything.

pub mod consent_form;
pub mod form;
pub mod layer;
pub mod layers;
pub mod list;
pub mod rows;
pub mod screens;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::action::Action;
use crate::domain::{Agency, CaseId, Staff};
use crate::keymap::{Context, Key, Keymap};
use crate::storage::{Draft, StorageError, Store};
use crate::strings::Strings;
use crate::theme::Theme;
pub use form::{CaseForm, FieldConflict};
pub use layers::question::{Ask, Question};
pub use list::CaseList;
pub use screens::cases::{CaseFile, CasesView};

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

/// Key under which a draft remembers the focused field.
pub(crate) const FOCUS_KEY: &str = layers::case_form::FOCUS_KEY;

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
    /// Current screen.
    pub screen: Screen,
    /// The Cases screen.
    pub cases: screens::cases::CasesScreen,
    /// The open layers (popups, dialogs, menus, forms), bottom first.
    pub layers: Vec<Box<dyn layer::Layer>>,
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
    /// Set when the session ended because of inactivity.
    pub locked: bool,
    /// The child-protection screens.
    pub cp: screens::cp::CpState,
    /// The conference screen.
    pub conf: screens::conf::ConfState,
    /// Child-protection settings (numbers, deadlines, closure days).
    pub cp_settings: screens::cp::CpSettings,
    /// The day the screens were last computed for; a new day recomputes them.
    shown_day: NaiveDate,
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
            .field("view", &self.cases.view)
            .finish_non_exhaustive()
    }
}

impl App {
    /// A session for `me` on `store`, sized `size`.
    pub fn new(
        store: Store,
        me: Staff,
        strings: &'static Strings,
        keymap: Keymap,
        theme: Theme,
        size: (u16, u16),
        timing: Timing,
    ) -> App {
        let now = Instant::now();
        let today = store.clock().today();
        let mut app = App {
            store,
            me,
            strings,
            keymap,
            theme,
            screen: Screen::Cases,
            cases: screens::cases::CasesScreen::default(),
            layers: Vec::new(),
            status: None,
            size,
            quit: false,
            needs_redraw: true,
            timing,
            offers: Vec::new(),
            locked: false,
            cp: screens::cp::CpState::default(),
            conf: screens::conf::ConfState::default(),
            cp_settings: screens::cp::CpSettings::default(),
            shown_day: today,
            shared_draft: Arc::new(Mutex::new(Vec::new())),
            written_draft: Vec::new(),
            draft_written_at: now,
            last_input: now,
            refreshed_at: now,
            data_version: 0,
        };
        app.cases.list.page = crate::widgets::list_rows(size.1);
        app.cases.list.query.today = today;
        let res = app.cases.list.reload_first(&app.store, &app.me);
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
                        form::DRAFT_FORM | layers::note::NAME | layers::consent::NAME => {
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
    pub fn set_cp_settings(&mut self, settings: screens::cp::CpSettings) {
        self.cp_settings = settings;
        self.login_banner();
    }

    /// The Jugendamt's login line: counts of waiting and overdue referrals, never names
    /// (docs/domain.md 5.8).
    fn login_banner(&mut self) {
        if self.me.agency != Agency::Jugendamt || !self.layers.is_empty() {
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
        let step = layers::step_dialog::draft_title(self.strings, d);
        let what = match (d.values.get("surname"), d.values.get("given_names")) {
            _ if d.form == layers::note::NAME => self.strings.note_title.to_string(),
            _ if d.form == layers::consent::NAME => self.strings.consent_title.to_string(),
            _ if d.form == layers::referral_form::REFERRAL_DRAFT => {
                self.strings.cp.draft_name.to_string()
            }
            _ if d.form == layers::planning_form::CONFERENCE_DRAFT => {
                self.strings.conf.titles[2].to_string()
            }
            _ if d.form == layers::conf_dialog::MINUTES_DRAFT => {
                self.strings.conf.label("minutes").to_string()
            }
            _ if step.is_some() => step.unwrap_or_default(),
            (Some(sur), Some(given)) if !sur.is_empty() => format!("{sur}, {given}"),
            _ => self.strings.new_case.to_string(),
        };
        let when = chrono::DateTime::parse_from_rfc3339(&d.updated_at)
            .map(|t| {
                crate::domain::tz::to_local(t.with_timezone(&chrono::Utc))
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        Some((crate::domain::text::sanitize(&what, false), when))
    }

    /// The open case form, if any.
    pub fn case_form(&self) -> Option<&CaseForm> {
        self.layer::<layers::case_form::CaseFormLayer>()
            .map(|l| &l.form)
    }

    /// The open case form, to change (tests).
    pub fn case_form_mut(&mut self) -> Option<&mut CaseForm> {
        self.layer_mut::<layers::case_form::CaseFormLayer>()
            .map(|l| &mut l.form)
    }

    /// The session's clock: the store's, Berlin time, fixed in tests (docs/architecture.md
    /// § 4). Every "today", deadline, age and calendar comes from it.
    pub fn clock(&self) -> &crate::domain::Clock {
        self.store.clock()
    }

    /// Today in Berlin.
    pub fn today(&self) -> NaiveDate {
        self.store.clock().today()
    }

    /// The current instant.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.store.clock().now()
    }

    /// After midnight (Berlin): the day changed under an open session, so everything
    /// computed for "today" (ages, alerts, deadlines, the agenda) is computed again.
    fn roll_day(&mut self) {
        let today = self.today();
        if today == self.shown_day {
            return;
        }
        self.shown_day = today;
        self.cases.list.query.today = today;
        let res = self.cases.list.refresh(&self.store, &self.me, None);
        self.report(res);
        if let Some(id) = self.cases.file.as_ref().map(|f| f.case().id) {
            let scroll = self.cases.file.as_ref().map_or(0, |f| f.scroll);
            self.open_file(id);
            if let Some(f) = self.cases.file.as_mut() {
                f.scroll = scroll;
            }
        }
        match self.screen {
            Screen::Conferences => self.reload_conf(),
            Screen::ChildProtection | Screen::OnCall => self.reload_cp(),
            Screen::Cases | Screen::Cooperation => {}
        }
        self.needs_redraw = true;
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
        match self.screen {
            Screen::ChildProtection => {
                return match self.cp.view {
                    screens::cp::CpView::List => vec![Context::List, Context::Global],
                    screens::cp::CpView::Detail => vec![Context::File, Context::Global],
                };
            }
            Screen::OnCall => return vec![Context::List, Context::Global],
            Screen::Conferences => {
                return match self.conf.view {
                    screens::conf::ConfView::Agenda | screens::conf::ConfView::Week => {
                        vec![Context::List, Context::Global]
                    }
                    screens::conf::ConfView::Detail => vec![Context::File, Context::Global],
                };
            }
            Screen::Cases => {}
            Screen::Cooperation => return vec![Context::Global],
        }
        match self.cases.view {
            CasesView::List if self.cases.list.filtering => vec![Context::Filter, Context::Global],
            CasesView::List => vec![Context::List, Context::Global],
            CasesView::File => vec![Context::File, Context::Global],
        }
    }

    /// Whether typed characters go to a text field now.
    pub fn text_input_active(&self) -> bool {
        if let Some(top) = self.layers.last() {
            return top.takes_text();
        }
        self.screen == Screen::Cases
            && match self.cases.view {
                CasesView::List => self.cases.list.filtering,
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
        if self.cases.view == CasesView::List
            && self.cases.list.filtering
            && self.cases.filter_input.input(ev)
        {
            self.apply_filter_text();
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
        if self.cases.view == CasesView::List {
            let clean = crate::domain::text::sanitize(&text.replace(['\n', '\r'], " "), false);
            self.cases.filter_input.insert_str(clean);
            self.apply_filter_text();
        }
    }

    /// Takes a new terminal size.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.needs_redraw = true;
        let res = self
            .cases
            .list
            .resize(&self.store, &self.me, crate::widgets::list_rows(h));
        self.report(res);
    }

    fn too_small(&self) -> bool {
        self.size.0 < crate::widgets::MIN_WIDTH || self.size.1 < crate::widgets::MIN_HEIGHT
    }

    /// Whether unsaved input exists anywhere.
    pub fn has_unsaved(&self) -> bool {
        self.layers.iter().any(|l| l.is_dirty())
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
            _ => match self.screen {
                Screen::Cases => self.update_cases(action),
                Screen::ChildProtection => self.update_cp(action),
                Screen::OnCall => self.update_oncall(action),
                Screen::Conferences => self.update_conf(action),
                Screen::Cooperation => {}
            },
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
        let focus = self.case_form().map(|f| f.focus);
        let focus_changed = focus != self.written_focus();
        self.publish_draft(focus_changed);
    }

    fn written_focus(&self) -> Option<usize> {
        let written = self
            .written_draft
            .iter()
            .find(|d| d.form == form::DRAFT_FORM)?;
        written.values.get(FOCUS_KEY).and_then(|v| v.parse().ok())
    }

    /// Publishes the drafts of every open layer (and of the forms not yet layers) and
    /// writes them when `now` or due (docs/architecture.md § 4: every open layer keeps its
    /// own draft).
    pub(crate) fn publish_draft(&mut self, now: bool) {
        let drafts: Vec<Draft> = self.layers.iter().filter_map(|l| l.draft(self)).collect();
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
            let same = self.written_draft.iter().any(|w| {
                key(w) == key(d) && w.values == d.values && w.base_values == d.base_values
            });
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
        let key = |d: &Draft| {
            (
                d.form.clone(),
                d.record_id,
                d.values.clone(),
                d.base_values.clone(),
            )
        };
        current.iter().map(key).collect::<Vec<_>>()
            != self.written_draft.iter().map(key).collect::<Vec<_>>()
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
        }
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
            self.roll_day();
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
            && !self.has_layer::<layers::referral_form::ReferralForm>()
        {
            self.reload_cp();
        }
        let res = self.cases.list.refresh(&self.store, &self.me, None);
        self.report(res);
        if self.cases.view == CasesView::File
            && let Some(id) = self.cases.file.as_ref().map(|f| f.case().id)
        {
            let scroll = self.cases.file.as_ref().map_or(0, |f| f.scroll);
            self.open_file(id);
            if let Some(f) = self.cases.file.as_mut() {
                f.scroll = scroll;
            }
        }
        self.needs_redraw = true;
    }

    /// Ends the session after inactivity: the draft is written, case data leaves the
    /// screen, and the loop ends.
    pub fn lock(&mut self) {
        self.publish_draft(true);
        self.layers.clear();
        self.cases.file = None;
        self.cp = screens::cp::CpState::default();
        self.cases.list.rows.clear();
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
