//! What happens without a key: the autosave deadline, the look for other sessions' saves
//! (`PRAGMA data_version`), the new day at Berlin midnight, the idle lock, and the re-check
//! of the own staff record (a deactivated account locks its running session).

use std::time::{Duration, Instant};

use super::screens::cases::CasesView;
use super::{App, Screen, layers, screens};

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
    /// How often the session re-reads its own staff record: deactivated, or roles or
    /// Stelle changed, it locks (drafts kept) within this time (docs/access.md A11).
    pub staff_check: Duration,
    /// Whether the case list's count and rank wait for idle time (a terminal session's
    /// event loop does that work; [`crate::app::App::settle`]), so that neither the first
    /// frame nor a keystroke waits for the count of a long list (docs/performance.md § 2).
    /// Off, every reload counts at once.
    pub defer_counts: bool,
    /// With `defer_counts`: how long after the last key the count runs.
    pub count_pause: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            autosave: Duration::from_secs(2),
            refresh: Duration::from_secs(1),
            idle_lock: Duration::from_mins(15),
            draft_expiry_days: 14,
            staff_check: Duration::from_secs(30),
            defer_counts: false,
            count_pause: Duration::from_millis(300),
        }
    }
}

impl App {
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
            Screen::Cases | Screen::Cooperation | Screen::Admin | Screen::Dpo => {}
        }
        self.needs_redraw = true;
    }

    /// How long until the next deadline, from `now`.
    pub fn next_deadline(&self, now: Instant) -> Duration {
        let mut next = self.refreshed_at + self.timing.refresh;
        next = next.min(self.last_input + self.timing.idle_lock);
        next = next.min(self.staff_checked_at + self.timing.staff_check);
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
            // A deadline passes without anyone saving: escalations are read again every
            // half minute (docs/casework.md § 6).
            if self.me.agency == crate::domain::Agency::Jugendamt
                && self
                    .cp
                    .escalations_at
                    .is_none_or(|t| now.saturating_duration_since(t) >= Duration::from_secs(30))
            {
                self.refresh_escalations();
                self.reload_rota();
            }
        }
        if now >= self.staff_checked_at + self.timing.staff_check {
            self.staff_checked_at = now;
            self.check_staff();
        }
        if !self.quit && now >= self.last_input + self.timing.idle_lock {
            self.lock();
        }
    }

    /// Re-reads the own staff record. Deactivated (or with other roles or another Stelle
    /// than at login: the session's rights were computed for those), the session locks like
    /// at inactivity, its draft kept, with an audit row saying why. A database error leaves
    /// the session as it is until the next check.
    pub fn check_staff(&mut self) {
        let reason = match self.store.staff_by_id(self.me.id) {
            Ok(Some(s)) if s.active && s.roles == self.me.roles && s.agency == self.me.agency => {
                return;
            }
            Ok(Some(s)) if s.active => crate::storage::audit::detail::ACCESS_CHANGED,
            Ok(_) => crate::storage::audit::detail::DEACTIVATED,
            Err(e) => {
                tracing::warn!(error = %e, "staff record not re-checked");
                return;
            }
        };
        let entry = crate::storage::audit::AuditEntry::new(
            crate::storage::audit::AuditAction::IdleLock,
            crate::storage::audit::object::SESSION,
        )
        .by(&self.me)
        .detail(reason);
        if let Err(e) = self.store.record_event(&entry) {
            tracing::error!(error = %e, "access lock not logged");
        }
        self.access_revoked = true;
        self.lock();
        tracing::info!(reason, "session locked: staff record changed");
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
        if self.screen == Screen::Conferences {
            // A conference cancelled or moved by a colleague shows at once (#23).
            self.reload_conf();
        }
        if self.screen == Screen::Cooperation
            && self.coop.section != crate::app::screens::coop::CoopSection::Report
        {
            // A colleague's plenary, meeting or hospitation shows at once; the report is
            // computed only when its section is shown (each computation is audited).
            self.reload_coop();
        }
        if self.screen == Screen::Admin {
            // A colleague's change of a staff record, a key or a grant shows at once.
            self.reload_admin();
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
        self.refresh_layers();
        self.needs_redraw = true;
    }

    /// Ends the session after inactivity: the draft is written, case data leaves the
    /// screen, and the loop ends.
    pub fn lock(&mut self) {
        self.publish_draft(true);
        self.layers.clear();
        self.cases.file = None;
        self.cp = screens::cp::CpState::default();
        self.admin = screens::admin::AdminState::default();
        self.dpo = screens::dpo::DpoState::default();
        self.cases.list.rows.clear();
        self.locked = true;
        self.quit = true;
        self.needs_redraw = true;
        tracing::info!("idle lock");
    }
}
