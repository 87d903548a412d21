//! The application: state, the one update step, and the event loop. The only module with
//! effects: it is where keys, the store and the screen meet.
//!
//! May use: everything.

pub mod consent_form;
mod documents;
mod drafts;
pub mod form;
pub mod layer;
pub mod layers;
pub mod list;
pub mod rows;
pub mod screens;
mod ticks;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::action::Action;
use crate::domain::{Agency, Staff};
use crate::keymap::{Context, Key, Keymap};
use crate::model::draft::{Draft, SessionId};
use crate::storage::{StorageError, Store};
use crate::strings::Strings;
use crate::theme::Theme;
pub use drafts::{SharedDraft, save_shared_draft};
pub use form::{CaseForm, FieldConflict};
pub use layers::question::{Ask, Question};
pub use list::CaseList;
pub use screens::cases::{CaseFile, CasesView};
pub use ticks::Timing;

/// The top-level screens (function keys F2…F8).
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
    /// "Verwaltung" (staff administration; shown to admins only).
    Admin,
    /// "Datenschutz" (the DSB's screen; shown to the role `dpo` only).
    Dpo,
}

impl Screen {
    /// All screens in tab order.
    pub const ALL: [Screen; 7] = [
        Screen::Cases,
        Screen::Conferences,
        Screen::ChildProtection,
        Screen::Cooperation,
        Screen::OnCall,
        Screen::Admin,
        Screen::Dpo,
    ];

    /// The screens `me` has a tab for, in tab order: "Verwaltung" only for the `admin`
    /// role (docs/access.md A11), "Datenschutz" only for the roles `dpo` and `lead` (a
    /// lead sees there only the break-glass accesses of the own staff); a DSB without a
    /// case role has no case tabs at all (docs/access.md A13).
    pub fn visible(me: &Staff) -> Vec<Screen> {
        use crate::domain::Role;
        let dpo_only = me.has_role(Role::Dpo) && !me.may_see_cases();
        Screen::ALL
            .into_iter()
            .filter(|s| match s {
                Screen::Admin => me.has_role(Role::Admin),
                // A lead reviews the break-glass accesses of the own staff there (A4).
                Screen::Dpo => me.has_role(Role::Dpo) || me.has_role(Role::Lead),
                // The cooperation holds no case content; the DSB reads its report there.
                Screen::Cooperation => true,
                _ => !dpo_only,
            })
            .collect()
    }

    /// The action that shows this screen.
    pub fn action(self) -> Action {
        match self {
            Screen::Cases => Action::ScreenCases,
            Screen::Conferences => Action::ScreenConferences,
            Screen::ChildProtection => Action::ScreenChildProtection,
            Screen::Cooperation => Action::ScreenCooperation,
            Screen::OnCall => Action::ScreenOnCall,
            Screen::Admin => Action::ScreenAdmin,
            Screen::Dpo => Action::ScreenDpo,
        }
    }

    /// The screen's tab title in the language of `s`.
    pub fn title(self, s: &Strings) -> &'static str {
        let t = &s.screen_titles;
        match self {
            Screen::Cases => t.cases,
            Screen::Conferences => t.conferences,
            Screen::ChildProtection => t.child_protection,
            Screen::Cooperation => t.cooperation,
            Screen::OnCall => t.on_call,
            Screen::Admin => t.admin,
            Screen::Dpo => t.dpo,
        }
    }
}

/// Key under which a draft remembers the focused field.
pub(crate) const FOCUS_KEY: &str = layers::case_form::FOCUS_KEY;

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
    /// What the login said before the child-protection line (expired drafts, revoked
    /// consents), kept in front of that line when it is computed again.
    login_notices: String,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Set when the session should end.
    pub quit: bool,
    /// Set when the next frame must be drawn.
    pub needs_redraw: bool,
    /// Deadlines.
    pub timing: Timing,
    /// Drafts of ended sessions waiting to be offered, newest first, each with the session
    /// that wrote it.
    pub offers: Vec<(SessionId, Draft)>,
    /// Offered drafts the person kept for later; opening the same record says so.
    pub kept: Vec<(SessionId, Draft)>,
    /// This session (its drafts are its own, docs/architecture.md § 4).
    pub session: SessionId,
    /// Set when the session ended because of inactivity.
    pub locked: bool,
    /// Set when the session ended because the account was deactivated or its roles
    /// changed (`locked` is set too; the audit row is written already).
    pub access_revoked: bool,
    /// The child-protection screens.
    pub cp: screens::cp::CpState,
    /// The conference screen.
    pub conf: screens::conf::ConfState,
    /// Child-protection settings (numbers, deadlines, closure days).
    pub cp_settings: screens::cp::CpSettings,
    /// The site's conference settings (UID host, working hours per Stelle).
    pub conf_settings: screens::conf::ConfSettings,
    /// The configured folder for printed documents (docs/documents.md § 2), if any.
    pub export_dir: Option<std::path::PathBuf>,
    /// The administration screen.
    pub admin: screens::admin::AdminState,
    /// The DSB's screen.
    pub dpo: screens::dpo::DpoState,
    /// F5 Kooperation.
    pub coop: screens::coop::CoopState,
    /// The day the screens were last computed for; a new day recomputes them.
    shown_day: NaiveDate,
    shared_draft: SharedDraft,
    written_draft: Vec<Draft>,
    draft_written_at: Instant,
    last_input: Instant,
    refreshed_at: Instant,
    staff_checked_at: Instant,
    data_version: i64,
    /// Set while letters are typed on a field that takes none (a choice, a tick box): the
    /// person is typing a sentence blind, so a space must not change the choice.
    typing_blind: bool,
    /// A status line that must be read stays this long while the person types on.
    status_held_until: Option<Instant>,
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
            login_notices: String::new(),
            size,
            quit: false,
            needs_redraw: true,
            timing,
            offers: Vec::new(),
            kept: Vec::new(),
            session: SessionId::none(),
            locked: false,
            access_revoked: false,
            cp: screens::cp::CpState::default(),
            conf: screens::conf::ConfState::default(),
            cp_settings: screens::cp::CpSettings::default(),
            conf_settings: screens::conf::ConfSettings::default(),
            export_dir: None,
            admin: screens::admin::AdminState::default(),
            dpo: screens::dpo::DpoState::default(),
            coop: screens::coop::CoopState::default(),
            shown_day: today,
            shared_draft: Arc::new(Mutex::new(Vec::new())),
            written_draft: Vec::new(),
            draft_written_at: now,
            last_input: now,
            refreshed_at: now,
            staff_checked_at: now,
            data_version: 0,
            typing_blind: false,
            status_held_until: None,
        };
        match app.store.begin_session(app.me.id) {
            Ok(id) => app.session = id,
            Err(e) => app.report::<()>(Err(e)),
        }
        app.cases.list.page = crate::widgets::list_rows(size.1, app.theme.accessible);
        app.cases.list.defer_counts = app.timing.defer_counts;
        app.cases.list.query.today = today;
        let res = app.cases.list.reload_first(&app.store, &app.me);
        app.report(res);
        // A DSB without a case role has no case list to log (docs/access.md A13).
        if !app.dpo_only() {
            app.log_list_read(false);
        }
        app.data_version = app.store.data_version().unwrap_or(0);
        app.load_offers();
        if app.me.agency == Agency::Jugendamt {
            app.reload_rota();
            app.refresh_escalations();
        }
        app.login_banner();
        // A DSB without a case role starts on her own screen (docs/access.md A13).
        if app.dpo_only() {
            app.show_dpo();
        }
        app
    }

    /// Takes the site's conference settings (UID host, working hours per Stelle).
    pub fn set_conf_settings(&mut self, settings: screens::conf::ConfSettings) {
        let res = self.store.set_ics_titles(settings.ics_titles);
        self.report(res);
        self.conf_settings = settings;
    }

    /// Takes the site's child-protection settings (numbers, deadlines, closure days).
    pub fn set_cp_settings(&mut self, settings: screens::cp::CpSettings) {
        let res = self
            .store
            .set_feedback_lead_signs(settings.feedback_lead_signs);
        self.report(res);
        let res = self
            .store
            .set_withdrawal_notice(settings.feature_withdrawal_notice);
        self.report(res);
        self.cp_settings = settings;
        self.login_banner();
    }

    /// The Jugendamt's login line: counts of waiting and overdue referrals, never names
    /// (docs/domain.md 5.8).
    fn login_banner(&mut self) {
        if !self.layers.is_empty() {
            return;
        }
        self.referral_banner();
        self.withdrawal_banner();
        self.early_help_banner();
    }

    /// The information at benefit withdrawal waiting for this person: a lead's
    /// confirmation, the Jugendamt's receipt (docs/casework.md § 9).
    fn withdrawal_banner(&mut self) {
        if !self.cp_settings.feature_withdrawal_notice {
            return;
        }
        let Ok(list) = self.store.withdrawals_for(&self.me) else {
            return;
        };
        let me = self.me.id;
        let n = list
            .iter()
            .filter(|n| match self.me.agency {
                Agency::Jobcenter => n.pending() && n.second_by.as_ref().is_some_and(|s| s.0 == me),
                Agency::Jugendamt => n.ja_ref.is_none(),
            })
            .count();
        if n == 0 {
            return;
        }
        let line = (self.strings.withdrawal.login)(self.me.agency, n);
        let text = match &self.status {
            Some(m) if m.text.contains(&line) => return,
            Some(m) => format!("{} {line}", m.text),
            None => line,
        };
        self.set_status(text, true);
    }

    /// The referral lines of the login: the reporter's overdue akut referral, the
    /// Jugendamt's waiting and overdue ones with the rota.
    fn referral_banner(&mut self) {
        if self.me.agency == Agency::Jobcenter {
            // The reporter's overdue akut referral: phone now, with the numbers.
            let rows = self.reporter_overdue();
            if let Some(w) = self.reporter_overdue_warning(&rows) {
                // A notice already shown (an expired draft) stays in front of it; an
                // earlier warning (the settings changed) is replaced.
                let text = match &self.status {
                    Some(m) if !m.text.starts_with('⚠') => {
                        let kept = m.text.split(" ⚠ ").next().unwrap_or_default();
                        format!("{kept} {w}")
                    }
                    _ => w,
                };
                self.set_status(text, true);
            }
            return;
        }
        if self.me.agency != Agency::Jugendamt {
            return;
        }
        let cal = self.cp_settings.calendar();
        let counts =
            self.store
                .referral_counts(&self.me, self.now(), &cal, &self.cp_settings.deadlines);
        if let Ok((waiting, overdue)) = counts
            && waiting + overdue > 0
        {
            // Who is on call now and next (docs/casework.md § 5); a waiting escalation
            // stands in the idle line once this line is read (§ 6).
            let banner = format!(
                "{} {}",
                (self.strings.cp.banner)(waiting, overdue),
                self.rota_line()
            );
            let text = if self.login_notices.is_empty() {
                banner
            } else {
                format!("{} {banner}", self.login_notices)
            };
            let error = overdue > 0 || !self.login_notices.is_empty();
            self.set_status(text, error);
        }
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

    /// The store (for tests and admin paths; the UI never sees it).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The keymap contexts that apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if let Some(top) = self.layers.last() {
            return top.contexts();
        }
        // Each screen has contexts of its own, so that the help lists under each only the
        // keys that work there (#16).
        match self.screen {
            Screen::ChildProtection => {
                return match self.cp.view {
                    screens::cp::CpView::List => vec![Context::Referrals, Context::Global],
                    screens::cp::CpView::Detail => vec![Context::Referral, Context::Global],
                };
            }
            Screen::OnCall => return vec![Context::OnCall, Context::Global],
            Screen::Conferences => {
                return match self.conf.view {
                    screens::conf::ConfView::Agenda | screens::conf::ConfView::Week => {
                        vec![Context::Conferences, Context::Global]
                    }
                    screens::conf::ConfView::Detail => vec![Context::Conference, Context::Global],
                };
            }
            Screen::Cases => {}
            Screen::Cooperation => return vec![Context::Coop, Context::Global],
            Screen::Admin => return vec![Context::Admin, Context::Global],
            Screen::Dpo if self.grant_review_only() => {
                return vec![Context::GrantReview, Context::Global];
            }
            Screen::Dpo => return vec![Context::Dpo, Context::Global],
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
        self.say_overflow();
        self.after_input();
    }

    /// Says at the status line why typed or pasted text was not taken (a full field).
    fn say_overflow(&mut self) {
        let text = match rows::take_overflow() {
            Some(rows::Overflow::Full { max }) => (self.strings.field_full)(max),
            Some(rows::Overflow::Paste { max, used, adding }) => {
                (self.strings.paste_refused)(max, used, adding)
            }
            None => return,
        };
        self.set_status(text, true);
    }

    /// A paste longer than any field, dropped by the input reader as it came
    /// (docs/data-exits.md § 5): nothing reaches a field or a draft.
    pub fn paste_too_long(&mut self, bytes: u64) {
        self.last_input = Instant::now();
        self.needs_redraw = true;
        self.set_status((self.strings.paste_too_long)(bytes), true);
    }

    fn handle_key_inner(&mut self, ev: KeyEvent) {
        self.needs_redraw = true;
        if self.status_held_until.is_none_or(|t| Instant::now() >= t) {
            self.status = None;
            self.status_held_until = None;
        }
        if self.too_small() {
            return;
        }
        let key = Key::from_event(ev);
        let text_mode = self.text_input_active();
        if text_mode && key.is_text() {
            self.type_into_field(ev);
            return;
        }
        if self.typed_on_a_choice(key) {
            return;
        }
        match self.keymap.resolve(&self.contexts(), key) {
            Some(action) => self.update(action),
            None if text_mode => self.type_into_field(ev),
            None => {}
        }
    }

    /// A character typed in a form on a field that takes no text (a choice, a tick box):
    /// only the keys of the field itself act (`+`, `-`, Space), and `q` (which asks before
    /// anything unsaved is lost) and `?`; any other character says that the field is a
    /// choice and changes nothing, and the spaces of a sentence typed on like that do not
    /// flip the choice either (#23 defect 10).
    fn typed_on_a_choice(&mut self, key: Key) -> bool {
        let on_choice = self
            .layers
            .last()
            .map(|l| l.contexts())
            .filter(|c| c.contains(&Context::Field));
        let Some(contexts) = on_choice.filter(|_| key.is_text()) else {
            self.typing_blind = false;
            return false;
        };
        let own: Vec<Context> = contexts
            .into_iter()
            .filter(|c| *c != Context::Global)
            .collect();
        let own = self.keymap.resolve(&own, key);
        if own.is_some() && !(own == Some(Action::Toggle) && self.typing_blind) {
            return false;
        }
        // `q` and `?` keep their meaning: quitting asks first when input is unsaved, and
        // help changes nothing.
        let global = self.keymap.resolve(&[Context::Global], key);
        if own.is_none() && matches!(global, Some(Action::Quit | Action::Help)) {
            self.typing_blind = false;
            return false;
        }
        self.typing_blind = true;
        self.set_status(self.strings.typed_on_choice.to_string(), true);
        true
    }

    fn type_into_field(&mut self, ev: KeyEvent) {
        if !self.layers.is_empty() {
            self.with_top(|l, app| {
                l.input(app, ev);
                layer::Outcome::Keep
            });
            return;
        }
        let max = rows::field_limits().line;
        let before = rows::char_count(&self.cases.filter_input);
        if rows::adds_text(ev, false) && before >= max {
            rows::refuse(rows::Overflow::Full { max });
            return;
        }
        if self.cases.view == CasesView::List
            && self.cases.list.filtering
            && self.cases.filter_input.input(ev)
        {
            rows::keep_within(&mut self.cases.filter_input, before, max);
            self.apply_filter_text();
        }
    }

    /// Pasted text goes to the focused text field only.
    pub fn paste(&mut self, text: &str) {
        self.last_input = Instant::now();
        self.needs_redraw = true;
        self.paste_inner(text);
        self.say_overflow();
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
            let max = rows::field_limits().line;
            let (used, adding) = (
                rows::char_count(&self.cases.filter_input),
                clean.chars().count(),
            );
            if used + adding > max {
                rows::refuse(rows::Overflow::Paste { max, used, adding });
                return;
            }
            self.cases.filter_input.insert_str(clean);
            self.apply_filter_text();
        }
    }

    /// Takes a new terminal size.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.needs_redraw = true;
        let res = self.cases.list.resize(
            &self.store,
            &self.me,
            crate::widgets::list_rows(h, self.theme.accessible),
        );
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
                // The keys of where the person is come first (and what it is about).
                let here: Vec<Context> = self
                    .contexts()
                    .into_iter()
                    .filter(|c| *c != Context::Global)
                    .collect();
                self.push(layers::help::Help {
                    scroll: 0,
                    about: here.first().copied(),
                    here,
                });
            }
            Action::Cancel if self.layers.last().is_some_and(|l| l.is_dirty()) => {
                // Every layer with typed input asks before it is discarded.
                self.push(Ask::new(Question::Discard));
            }
            _ if !self.layers.is_empty() => self.with_top(|l, app| l.update(app, action)),
            Action::AckEscalation => self.acknowledge_escalation(),
            // A DSB without a case role has no case screens (docs/access.md A13); F5 holds
            // no case content and carries the yearly report for her (docs/report.md § 1).
            Action::ScreenCases
            | Action::ScreenConferences
            | Action::ScreenChildProtection
            | Action::ScreenOnCall
                if self.dpo_only() =>
            {
                self.set_status(self.strings.dpo.no_case_content.to_string(), true);
            }
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
            Action::ScreenCooperation => self.show_coop(),
            Action::ScreenOnCall => {
                if self.screen != Screen::OnCall {
                    self.log_screen(crate::domain::access::ScreenRead::OnCallList);
                }
                self.screen = Screen::OnCall;
                self.reload_cp();
            }
            Action::ScreenAdmin => self.show_admin(),
            Action::ScreenDpo => self.show_dpo(),
            _ => match self.screen {
                Screen::Cases => self.update_cases(action),
                Screen::ChildProtection => self.update_cp(action),
                Screen::OnCall => self.update_oncall(action),
                Screen::Conferences => self.update_conf(action),
                Screen::Admin => self.update_admin(action),
                Screen::Dpo => self.update_dpo(action),
                Screen::Cooperation => self.update_coop(action),
            },
        }
    }

    pub(crate) fn set_status(&mut self, text: String, error: bool) {
        self.status = Some(StatusMsg { text, error });
        self.status_held_until = None;
    }

    /// A status line that stays for `hold` although the person keeps typing (a notice that
    /// appears while typing would otherwise be gone with the next key).
    pub(crate) fn set_status_held(&mut self, text: String, error: bool, hold: Duration) {
        self.set_status(text, error);
        self.status_held_until = Some(Instant::now() + hold);
    }

    /// Turns a storage error into a German status line; the session keeps running.
    pub(crate) fn report<T>(&mut self, res: Result<T, StorageError>) {
        if let Err(e) = res {
            tracing::warn!(error = %e, "storage error");
            let msg = match e {
                StorageError::NotFound => self.strings.not_found.to_string(),
                StorageError::ReadOnly => self.strings.read_only.to_string(),
                StorageError::Refused(r) => {
                    self.refused(r);
                    return;
                }
                StorageError::Conflict { by, at } => (self.strings.changed_meanwhile)(
                    by.as_deref(),
                    at.as_deref()
                        .and_then(crate::domain::tz::format_stored)
                        .as_deref(),
                ),
                _ => self.strings.load_failed.to_string(),
            };
            self.set_status(msg, true);
        }
    }

    /// Shows why the store refused as an error in the status line and returns the text, so
    /// a form can also put it under the field concerned.
    pub(crate) fn refused(&mut self, r: crate::domain::refusal::Refusal) -> String {
        let msg = (self.strings.refused)(r);
        self.set_status(msg.clone(), true);
        msg
    }

    /// Marks the current state as drawn.
    pub fn drawn(&mut self) {
        self.needs_redraw = false;
    }

    /// When the work that waits for idle time may run: a pause in typing after the last
    /// key ([`Timing::count_pause`]); `None` when nothing waits. A count touches every
    /// match and pushes the pages of the list walk out of the page cache; run between two
    /// keys of a word, it would make the next key read them again (docs/performance.md
    /// § 2.4).
    pub fn settle_at(&self) -> Option<Instant> {
        self.cases
            .list
            .unsettled()
            .then(|| self.last_input + self.timing.count_pause)
    }

    /// Does the work that waits for idle time — the case list's count and rank — and
    /// stops as soon as `stop` says a key is waiting; the rest waits for the next idle
    /// moment (docs/performance.md § 2).
    pub fn settle<F>(&mut self, stop: F)
    where
        F: FnMut() -> bool + Send + Clone + 'static,
    {
        match self.cases.list.settle(&self.store, &self.me, stop) {
            Ok(true) => self.needs_redraw = true,
            Ok(false) => {}
            Err(e) => {
                // Not asked again until the next reload: a broken count must not spin.
                self.cases.list.total_pending = false;
                self.cases.list.offset_pending = false;
                self.report::<()>(Err(e));
            }
        }
    }
}
