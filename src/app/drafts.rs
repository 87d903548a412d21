//! Draft bookkeeping of a session (docs/architecture.md § 4): every open layer's draft is
//! published after each key, written by the autosave and by the hang-up path, offered at
//! the next login and restored through the layer registry.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::layers::question::{Ask, Question};
use super::{App, FOCUS_KEY, form, layers};
use crate::domain::CaseId;
use crate::model::draft::{Draft, SessionId};
use crate::model::notice::Notice;
use crate::storage::Store;

/// The latest drafts of every open layer, published after every edit for the hang-up path,
/// which saves them on a connection of its own.
pub type SharedDraft = Arc<Mutex<Vec<Draft>>>;

impl App {
    /// Ends the session and hands back the store (tests hand it to the next login).
    pub fn into_store(mut self) -> Store {
        let res = self.store.end_session(&self.session);
        self.report(res);
        self.session = SessionId::none();
        let empty = Store::detached().expect("an empty in-memory database opens");
        std::mem::replace(&mut self.store, empty)
    }

    /// Deletes expired drafts (and says so), and collects the drafts of ended sessions to
    /// offer at login; a draft of a case the person may no longer see is deleted, not
    /// offered.
    pub(super) fn load_offers(&mut self) {
        let purged = self
            .store
            .purge_expired_drafts(self.timing.draft_expiry_days);
        self.report(purged);
        match self.store.take_notices(self.me.id) {
            Ok(notices) if !notices.is_empty() => {
                let s = self.strings;
                let days = self.timing.draft_expiry_days;
                let text: Vec<String> = notices
                    .iter()
                    .map(|n| match n {
                        Notice::DraftsExpired(count) => (s.drafts_expired)(*count, days),
                        Notice::ApprovalCleared {
                            held_on,
                            case,
                            by,
                            at,
                        } => (s.approval_cleared)(
                            &held_on
                                .map(crate::domain::date::format_german_date)
                                .unwrap_or_default(),
                            case.0,
                            by,
                            at,
                        ),
                        Notice::ProposalCleared {
                            step,
                            reference,
                            at,
                        } => (s.proposal_cleared)((s.cp.four_eyes)(*step), reference, at),
                    })
                    .collect();
                self.set_status(text.join(" "), false);
            }
            Ok(_) => {}
            Err(e) => self.report::<()>(Err(e)),
        }
        // Consents revoked while the person was away, and what of the received data they
        // must no longer use (docs/casework.md § 3).
        match self.store.take_revocation_notices(&self.me) {
            Ok(receipts) if !receipts.is_empty() => {
                let s = self.strings;
                let text: Vec<String> = receipts
                    .iter()
                    .map(|r| {
                        (s.casework.revoked_notice)(
                            &crate::domain::date::format_german_date(r.revoked_on),
                            r.case.0,
                            &crate::strings::casework::receipt_words(s, r),
                        )
                    })
                    .collect();
                let before = self
                    .status
                    .as_ref()
                    .map(|m| m.text.clone())
                    .unwrap_or_default();
                let joined = if before.is_empty() {
                    text.join(" ")
                } else {
                    format!("{before} {}", text.join(" "))
                };
                self.login_notices.clone_from(&joined);
                self.set_status(joined, true);
            }
            Ok(_) => {}
            Err(e) => self.report::<()>(Err(e)),
        }
        // An unsent referral draft untouched for 30 days (docs/domain.md 4.5).
        match self.store.stale_referral_draft(self.me.id) {
            Ok(Some(days)) => {
                let alert = (self.strings.casework.stale_referral_draft)(days);
                let before = self
                    .status
                    .as_ref()
                    .map(|m| m.text.clone())
                    .unwrap_or_default();
                let joined = if before.is_empty() {
                    alert
                } else {
                    format!("{before} {alert}")
                };
                self.login_notices.clone_from(&joined);
                self.set_status(joined, true);
            }
            Ok(None) => {}
            Err(e) => self.report::<()>(Err(e)),
        }
        let res = self.store.forget_ended_sessions(self.me.id);
        self.report(res);
        match self.store.drafts_offered(&self.me) {
            Ok(drafts) => {
                // A draft of a case the person may no longer see (unassigned, consent
                // revoked) is deleted, not offered: its title alone would show data.
                for (session, d) in drafts {
                    let gone = match d.form.as_str() {
                        _ if d.record_id <= 0 => false,
                        form::DRAFT_FORM | layers::note::NAME | layers::consent::NAME => {
                            match self.store.load_case(&self.me, CaseId(d.record_id)) {
                                Ok(_) => false,
                                // A restricted case keeps its drafts, not offered, until the
                                // restriction is lifted (docs/access.md A12).
                                Err(crate::storage::StorageError::Refused(
                                    crate::domain::refusal::Refusal::Restricted,
                                )) => continue,
                                Err(_) => true,
                            }
                        }
                        // Other drafts name nothing in their offer; restoring checks access.
                        _ => false,
                    };
                    if gone {
                        let res =
                            self.store
                                .delete_draft(&session, self.me.id, &d.form, d.record_id);
                        self.report(res);
                    } else {
                        self.offers.push((session, d));
                    }
                }
            }
            Err(e) => self.report::<()>(Err(e)),
        }
        if !self.offers.is_empty() {
            self.push(Ask::new(Question::RestoreDraft));
        }
    }

    /// What the first offered draft is about and when it was last saved (local time).
    pub fn offer_label(&self) -> Option<(String, String)> {
        let (_, d) = self.offers.first()?;
        Some(self.draft_label(d))
    }

    /// What draft `d` is about ("Protokoll, Fallkonferenz 24.11.2026, Fall 6") and when it
    /// was last saved (local time).
    pub fn draft_label(&self, d: &Draft) -> (String, String) {
        let step = layers::step_dialog::draft_title(self.strings, d);
        // Each offer names what it belongs to (a case number, a conference's day), never a
        // person beyond what the case form's draft may still show (docs/access.md A8).
        let s = self.strings;
        let for_case = |what: &str, case: Option<i64>| match case.filter(|c| *c > 0) {
            Some(c) => (s.offer_for_case)(what, c),
            None => what.to_string(),
        };
        let case_no = d.values.get("case_no").and_then(|v| v.trim().parse().ok());
        let what = match (d.values.get("surname"), d.values.get("given_names")) {
            _ if d.form == layers::note::NAME => for_case(s.note_title, Some(d.record_id)),
            _ if d.form == layers::staff_form::NAME => layers::staff_form::draft_title(s, d),
            _ if d.form == layers::consent::NAME => for_case(s.consent_title, Some(d.record_id)),
            _ if d.form == layers::referral_form::REFERRAL_DRAFT => s.cp.draft_name.to_string(),
            // The case file's own records, the hand-over and the rota (docs/casework.md).
            _ if layers::record_form::draft_kind(&d.form).is_some() => {
                let k = layers::record_form::draft_kind(&d.form).unwrap_or(0);
                if d.record_id < 0 {
                    for_case(s.casework.title_new[k], Some(-d.record_id))
                } else {
                    s.casework.title_edit[k].to_string()
                }
            }
            _ if d.form == layers::handover::NAME => {
                for_case(s.casework.handover_title[1], Some(d.record_id))
            }
            _ if d.form == layers::withdrawal::NAME => {
                for_case(s.withdrawal.title, Some(d.record_id))
            }
            _ if d.form == layers::rota_form::NAME => s.casework.rota_form[0].to_string(),
            _ if d.form == layers::planning_form::CONFERENCE_DRAFT => {
                for_case(s.conf.titles.form, case_no)
            }
            _ if layers::conf_dialog::draft_title(self, &d.form).is_some() => {
                let minutes = layers::conf_dialog::draft_title(self, &d.form).unwrap_or_default();
                match (
                    d.values.get(layers::conf_dialog::HELD_ON_KEY),
                    d.values
                        .get(layers::conf_dialog::CASE_KEY)
                        .and_then(|c| c.parse().ok()),
                ) {
                    (Some(day), Some(case)) => (s.offer_minutes)(minutes, day, case),
                    _ => minutes.to_string(),
                }
            }
            _ if step.is_some() => step.unwrap_or_default(),
            (Some(sur), Some(given)) if !sur.is_empty() => format!("{sur}, {given}"),
            // An edit whose draft holds no name (the person's fields are read-only or
            // withheld for this person) is named by its case, never "Neuer Fall".
            _ if d.form == form::DRAFT_FORM && d.record_id > 0 => {
                for_case(s.edit_case, Some(d.record_id))
            }
            _ => self.strings.new_case.to_string(),
        };
        let when = chrono::DateTime::parse_from_rfc3339(&d.updated_at)
            .map(|t| {
                crate::domain::tz::to_local(t.with_timezone(&chrono::Utc))
                    .format("%d.%m.%Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        (crate::domain::text::sanitize(&what, false), when)
    }

    /// A form was opened whose record has a draft the person kept for later at login: say
    /// so once, so that the kept draft is not thought lost (it stays, and is offered again
    /// at the next login; #23 defect 10).
    fn mention_kept_draft(&mut self, drafts: &[Draft]) {
        let same = |a: &Draft, b: &Draft| a.form == b.form && a.record_id == b.record_id;
        let Some(kept) = self
            .kept
            .iter()
            .find(|(_, k)| drafts.iter().any(|d| same(d, k)))
            .map(|(_, k)| k.clone())
        else {
            return;
        };
        self.kept.retain(|(_, k)| !same(k, &kept));
        let (what, when) = self.draft_label(&kept);
        let text = (self.strings.draft_kept_for_later)(&what, &when);
        self.set_status_held(text, true, std::time::Duration::from_secs(10));
    }

    /// The handle through which the hang-up path reads the latest draft.
    pub fn shared_draft(&self) -> SharedDraft {
        Arc::clone(&self.shared_draft)
    }

    /// After a key or paste: publish the form's draft; write it at once when the focus
    /// moved to another field, otherwise when the autosave deadline comes.
    pub(super) fn after_input(&mut self) {
        let focus = self.case_form().map(form::CaseForm::focus_index);
        let focus_changed = focus != self.written_focus();
        self.publish_draft(focus_changed);
    }

    pub(super) fn written_focus(&self) -> Option<usize> {
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
        if !self.kept.is_empty() {
            self.mention_kept_draft(&drafts);
        }
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
    pub(super) fn write_draft(&mut self) {
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
                key(w) == key(d)
                    && w.values == d.values
                    && w.base_values == d.base_values
                    && w.base_version == d.base_version
            });
            if !same && let Err(e) = self.store.save_draft(&self.session, d) {
                tracing::warn!(error = %e, "draft not written");
                if let crate::storage::StorageError::Refused(r) = e {
                    // For good (a value over every limit, from an old draft): the stored
                    // draft stays, the others are written, and this one is tried again
                    // when it changes, not at every tick.
                    self.refused(r);
                    continue;
                }
                // The draft stays published and is written again at the next deadline.
                self.draft_written_at = Instant::now();
                return;
            }
        }
        for w in &self.written_draft {
            if !current.iter().any(|d| key(d) == key(w))
                && let Err(e) =
                    self.store
                        .delete_draft(&self.session, self.me.id, &w.form, w.record_id)
            {
                tracing::warn!(error = %e, "draft not deleted");
                return;
            }
        }
        self.written_draft = current;
        self.draft_written_at = Instant::now();
    }

    /// Whether the published drafts differ from the ones last written.
    pub(super) fn draft_pending(&self) -> bool {
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
                d.base_version,
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
        let res = self
            .store
            .delete_draft(&self.session, self.me.id, form, record);
        self.report(res);
    }

    /// Restores an offered draft of the ended session `from`: it becomes this session's
    /// draft first, so that saving or discarding the form here deletes it, and another
    /// session never finds it again.
    pub(crate) fn restore_offer(&mut self, from: &SessionId, draft: &Draft) {
        let res = self.store.take_over_draft(
            self.me.id,
            from,
            &self.session,
            &draft.form,
            draft.record_id,
        );
        self.report(res);
        if let Some(restore) = layers::by_draft_form(&draft.form).and_then(|r| r.restore) {
            if restore(self, draft) {
                self.written_draft.push(draft.clone());
                self.publish_draft(false);
                self.set_status(self.strings.draft_restored.to_string(), false);
            } else {
                let res = self.store.delete_draft(
                    &self.session,
                    self.me.id,
                    &draft.form,
                    draft.record_id,
                );
                self.report(res);
                self.set_status(self.strings.draft_not_restorable.to_string(), true);
            }
        }
    }
}

impl Drop for App {
    /// The session has ended: its drafts are offered at the next login. (A killed process
    /// never gets here; the store sees its process gone, docs/architecture.md § 4.)
    fn drop(&mut self) {
        if self.session == SessionId::none() {
            return;
        }
        if let Err(e) = self.store.end_session(&self.session) {
            tracing::warn!(error = %e, "session end not recorded");
        }
    }
}

/// Writes the latest published drafts of `session` on a connection of its own (the hang-up
/// path, which runs on another thread while the main one may be stuck in the terminal).
/// `key` is the database key the session was opened with (resolved once at start).
pub fn save_shared_draft(
    shared: &SharedDraft,
    session: &SessionId,
    path: &std::path::Path,
    key: Option<&crate::storage::DbKey>,
) {
    let drafts = shared.lock().map(|d| d.clone()).unwrap_or_default();
    if drafts.is_empty() {
        return;
    }
    let Ok(store) = Store::open_keyed(path, crate::storage::OpenMode::Existing, key) else {
        tracing::error!("drafts not saved on hang-up: database not opened");
        return;
    };
    for draft in &drafts {
        if let Err(e) = store.save_draft(session, draft) {
            tracing::error!(error = %e, form = %draft.form, "draft not saved on hang-up");
        }
    }
}
