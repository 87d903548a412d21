//! The data-protection officer's screen ("Datenschutz", F8, docs/dpo.md, docs/access.md
//! A13): the audit log of the own Stelle with a filter, the break-glass accesses and their
//! review, refused accesses, the transfer log, referral counts, the chain check and the
//! retention review with its runs. Shown only to the role `dpo`; it holds no case content.
//! The filter and the review are a box (`app/layers/dpo_form.rs`); every rule is the
//! store's.
//!
//! Each section is read when it is shown (one audit row per read) and not re-read by the
//! one-second look for other sessions' saves: two DSB sessions would otherwise write each
//! other a read row every second.

use crate::action::Action;
use crate::app::layers::dpo_form::DpoForm;
use crate::app::{App, Screen};
use crate::domain::Role;
use crate::model::dpo::{
    AuditFilter, AuditLine, ChainStatus, GrantLine, ReferralStats, RetentionOverview, TransferLine,
};

/// The sections, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DpoSection {
    /// "Protokoll": the audit log, filtered.
    #[default]
    Audit,
    /// "Notfallzugriffe": break-glass accesses and their review.
    Grants,
    /// "Abgelehnt": refused accesses and logins.
    Refused,
    /// "Übermittlungen": the transfer log.
    Transfers,
    /// "Kinderschutz": referral counts.
    Referrals,
    /// "Prüfkette": the chain check.
    Chain,
    /// "Aufbewahrung": the retention review and the runs.
    Retention,
}

impl DpoSection {
    /// Every section, in tab order.
    pub const ALL: [DpoSection; 7] = [
        DpoSection::Audit,
        DpoSection::Grants,
        DpoSection::Refused,
        DpoSection::Transfers,
        DpoSection::Referrals,
        DpoSection::Chain,
        DpoSection::Retention,
    ];

    /// Its position in [`DpoSection::ALL`].
    pub fn index(self) -> usize {
        DpoSection::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or_default()
    }
}

/// State of the DSB's screen.
#[derive(Debug, Default)]
pub struct DpoState {
    /// The section shown.
    pub section: DpoSection,
    /// The audit log's filter.
    pub filter: AuditFilter,
    /// The audit rows (Protokoll).
    pub audit: Vec<AuditLine>,
    /// The break-glass accesses.
    pub grants: Vec<GrantLine>,
    /// Refused accesses.
    pub refused: Vec<AuditLine>,
    /// The transfer log.
    pub transfers: Vec<TransferLine>,
    /// Referral counts.
    pub referrals: Option<ReferralStats>,
    /// The chain check.
    pub chain: Option<ChainStatus>,
    /// Retention.
    pub retention: Option<RetentionOverview>,
    /// Logins of the own Stelle (the filter's choice).
    pub logins: Vec<String>,
    /// The highlighted row of the list shown.
    pub cursor: usize,
    /// A run whose release waits for a second `f` (deleting asks first).
    pub release_armed: Option<i64>,
}

impl DpoState {
    /// Rows of the list shown (0 for the summaries).
    pub fn len(&self) -> usize {
        match self.section {
            DpoSection::Audit => self.audit.len(),
            DpoSection::Grants => self.grants.len(),
            DpoSection::Refused => self.refused.len(),
            DpoSection::Transfers => self.transfers.len(),
            DpoSection::Referrals | DpoSection::Chain => 0,
            DpoSection::Retention => self.retention.as_ref().map_or(0, |r| r.runs.len()),
        }
    }

    /// Whether the list shown is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The highlighted break-glass access.
    pub fn selected_grant(&self) -> Option<&GrantLine> {
        (self.section == DpoSection::Grants)
            .then(|| self.grants.get(self.cursor))
            .flatten()
    }
}

impl App {
    /// Whether `me` is a DSB without any case role: such a person has only the DSB's
    /// screen (and the administration, if also admin); the case screens say so.
    pub fn dpo_only(&self) -> bool {
        self.me.has_role(Role::Dpo) && !self.me.may_see_cases()
    }

    /// Whether `me` is a lead who is no DSB: the screen shows such a person only the
    /// break-glass accesses of the own staff, to review (docs/access.md A4, A13).
    pub fn grant_review_only(&self) -> bool {
        !self.me.has_role(Role::Dpo) && self.me.has_role(Role::Lead)
    }

    /// F8: the DSB's screen, for DSBs (and, with the break-glass accesses only, for leads);
    /// anyone else is told so and stays.
    pub(crate) fn show_dpo(&mut self) {
        if self.grant_review_only() {
            self.dpo.section = DpoSection::Grants;
        } else if !self.me.has_role(Role::Dpo) {
            self.set_status(self.strings.dpo.only_dpo.to_string(), true);
            return;
        }
        let again = self.screen == Screen::Dpo;
        self.screen = Screen::Dpo;
        if !again {
            self.reload_dpo();
        }
    }

    /// Reads the section shown (one audit row).
    pub(crate) fn reload_dpo(&mut self) {
        if self.grant_review_only() {
            self.dpo.section = DpoSection::Grants;
        } else if !self.me.has_role(Role::Dpo) {
            return;
        }
        let me = self.me.clone();
        let res = match self.dpo.section {
            DpoSection::Audit => {
                if self.dpo.logins.is_empty() {
                    match self.store.dpo_staff_logins(&me) {
                        Ok(l) => self.dpo.logins = l,
                        Err(e) => return self.report::<()>(Err(e)),
                    }
                }
                self.store
                    .dpo_audit(&me, &self.dpo.filter)
                    .map(|r| self.dpo.audit = r)
            }
            DpoSection::Grants => self.store.dpo_grants(&me).map(|r| self.dpo.grants = r),
            DpoSection::Refused => self
                .store
                .dpo_refused_accesses(&me)
                .map(|r| self.dpo.refused = r),
            DpoSection::Transfers => self
                .store
                .dpo_transfers(&me)
                .map(|r| self.dpo.transfers = r),
            DpoSection::Referrals => self
                .store
                .dpo_referral_stats(&me)
                .map(|r| self.dpo.referrals = Some(r)),
            DpoSection::Chain => self.store.dpo_chain(&me).map(|r| self.dpo.chain = Some(r)),
            DpoSection::Retention => self
                .store
                .dpo_retention(&me)
                .map(|r| self.dpo.retention = Some(r)),
        };
        self.report(res);
        self.dpo.cursor = self.dpo.cursor.min(self.dpo.len().saturating_sub(1));
    }

    /// Shows `section` and reads it.
    pub(crate) fn dpo_section(&mut self, section: DpoSection) {
        self.dpo.section = section;
        self.dpo.cursor = 0;
        self.reload_dpo();
    }

    /// Keys on the DSB's screen (a lead's context binds only moving and reviewing).
    pub(crate) fn update_dpo(&mut self, action: Action) {
        if self.grant_review_only()
            && !matches!(
                action,
                Action::Up
                    | Action::Down
                    | Action::First
                    | Action::Last
                    | Action::PageUp
                    | Action::PageDown
                    | Action::DpoReview
            )
        {
            return;
        }
        let armed = self.dpo.release_armed.take();
        let last = self.dpo.len().saturating_sub(1);
        let cursor = &mut self.dpo.cursor;
        match action {
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::First => *cursor = 0,
            Action::Last => *cursor = last,
            Action::PageDown => *cursor = (*cursor + 10).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(10),
            Action::DpoNext | Action::DpoPrev => {
                let n = DpoSection::ALL.len();
                let i = self.dpo.section.index();
                let next = if action == Action::DpoNext {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.dpo_section(DpoSection::ALL[next]);
            }
            Action::Filter => {
                if self.dpo.section != DpoSection::Audit {
                    self.dpo_section(DpoSection::Audit);
                }
                let form = DpoForm::filter(self);
                self.push(form);
            }
            Action::ClearFilter if self.dpo.section == DpoSection::Audit => {
                self.dpo.filter = AuditFilter::default();
                self.dpo.cursor = 0;
                self.reload_dpo();
            }
            Action::DpoReview => {
                let Some(g) = self.dpo.selected_grant().cloned() else {
                    self.set_status(self.strings.dpo.no_grant.to_string(), true);
                    return;
                };
                let form = DpoForm::review(self, &g);
                self.push(form);
            }
            Action::DpoRelease => self.release_run(armed),
            Action::DpoExport => {
                let form = DpoForm::export(self);
                self.push(form);
            }
            _ => {}
        }
    }

    /// `f` on the retention section: asks, and a second `f` releases the newest planned
    /// run (the store checks that the DSB did not plan it herself).
    fn release_run(&mut self, armed: Option<i64>) {
        if self.dpo.section != DpoSection::Retention {
            self.dpo_section(DpoSection::Retention);
        }
        let pending = self
            .dpo
            .retention
            .as_ref()
            .and_then(|r| r.runs.iter().find(|run| run.executed_at.is_none()))
            .map(|run| run.id);
        let Some(id) = pending else {
            self.set_status(self.strings.dpo.no_pending_run.to_string(), true);
            return;
        };
        if armed != Some(id) {
            self.dpo.release_armed = Some(id);
            self.set_status((self.strings.dpo.ask_release)(id), true);
            return;
        }
        let me = self.me.clone();
        match self.store.approve_deletion_run(&me, id) {
            Ok(run) => {
                let n = run.deleted.iter().map(|(_, n)| *n).sum::<usize>();
                self.set_status((self.strings.dpo.run_released)(id, n), false);
                self.reload_dpo();
            }
            Err(e) => self.report::<()>(Err(e)),
        }
    }
}
