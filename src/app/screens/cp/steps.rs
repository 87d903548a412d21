//! The steps of a referral and of an anonymous consultation (docs/domain.md 4.5, 4.6): the
//! step menu and the dialogs that collect their fields are layers; this is where they
//! reach the store.

use std::collections::BTreeMap;

use crate::app::App;
use crate::domain::StaffId;
use crate::domain::referral::{AgeBand, ConsultResult, FourEyesStep, Step};
use crate::storage::StorageError;
use crate::strings::cp::MenuItem;

impl App {
    /// Runs step `item` of the open referral (or of the highlighted consultation) with the
    /// dialog's `values`; true when it was recorded.
    pub(crate) fn run_step(&mut self, item: MenuItem, values: &BTreeMap<String, String>) -> bool {
        if matches!(item, MenuItem::ConsultRequest | MenuItem::ConsultAdvise) {
            return self.run_consult(item, values);
        }
        let Some(r) = self.cp.detail.as_ref() else {
            return false;
        };
        let (id, version) = (r.row.id, r.row.version);
        let now = self.now();
        let cal = self.cp_settings.calendar();
        let d = self.cp_settings.deadlines;
        let text = values.get("text").cloned().unwrap_or_default();
        let second = values
            .get("second")
            .and_then(|v| v.parse::<i64>().ok())
            .map(StaffId);
        let me = self.me.clone();
        let store = &self.store;
        let single = |step: Step, detail: &str| {
            store.referral_single(&me, id, version, step, detail, now, &cal, &d)
        };
        let propose = |step: FourEyesStep, payload: &BTreeMap<String, String>| {
            store.propose_referral_step(&me, id, version, step, payload, second, now, &cal, &d)
        };
        let res = match item {
            MenuItem::Receive => single(Step::Receive, ""),
            MenuItem::Forward => single(Step::Forward, &text),
            MenuItem::Clarify => single(Step::StartClarification, ""),
            MenuItem::Measures => single(
                Step::RecordMeasures,
                values.get("follow_up").map_or("", String::as_str),
            ),
            MenuItem::Close => single(Step::Close, ""),
            MenuItem::FeedbackNotPermitted => single(Step::FeedbackNotPermitted, &text),
            MenuItem::Triage => propose(FourEyesStep::Triage, values),
            MenuItem::CloseAtTriage => propose(FourEyesStep::CloseAtTriage, values),
            MenuItem::Assess => propose(FourEyesStep::Assessment, values),
            MenuItem::Feedback => propose(FourEyesStep::ContentFeedback, values),
            MenuItem::Confirm => store.confirm_referral_step(&me, id, version, true, now, &cal, &d),
            MenuItem::Decline => {
                store.confirm_referral_step(&me, id, version, false, now, &cal, &d)
            }
            MenuItem::Addendum => store.add_referral_addendum(&me, id, &text, now),
            MenuItem::ConsultRequest | MenuItem::ConsultAdvise => return false,
        };
        match res {
            Ok(()) => {
                let who = second
                    .and_then(|s| {
                        self.cp
                            .colleagues
                            .iter()
                            .find(|(i, _)| *i == s)
                            .map(|(_, n)| n.clone())
                    })
                    .or_else(|| values.get("second").cloned())
                    .unwrap_or_default();
                let msg = if matches!(
                    item,
                    MenuItem::Triage
                        | MenuItem::CloseAtTriage
                        | MenuItem::Assess
                        | MenuItem::Feedback
                ) {
                    (self.strings.cp.proposed)(&who)
                } else {
                    self.strings.cp.done.to_string()
                };
                self.reload_cp();
                self.load_referral(id, false);
                self.set_status(msg, false);
                true
            }
            Err(StorageError::Refused(r)) => {
                self.refused(r);
                false
            }
            Err(e) => {
                let conflict = matches!(e, StorageError::Conflict { .. });
                self.report::<()>(Err(e));
                self.reload_cp();
                if conflict {
                    self.load_referral(id, false);
                    if item == MenuItem::Receive {
                        self.say_already_received();
                    }
                }
                false
            }
        }
    }

    /// After "Eingang erfassen" lost to a colleague: who recorded the receipt, when and
    /// under which number, instead of a bare "changed meanwhile".
    fn say_already_received(&mut self) {
        let Some(r) = self.cp.detail.as_ref() else {
            return;
        };
        let by = r.ja.as_ref().and_then(|j| j.received_by.clone());
        if let (Some(by), Some(at), Some(no)) = (by, r.received_at, r.row.ja_ref.clone()) {
            let at = crate::domain::tz::format_local(at);
            self.set_status((self.strings.cp.already_received)(&by, &at, &no), true);
        }
    }

    /// Requests an anonymous consultation, or records the advice on the highlighted one.
    fn run_consult(&mut self, item: MenuItem, values: &BTreeMap<String, String>) -> bool {
        let now = self.now();
        let text = values.get("text").cloned().unwrap_or_default();
        let res = if item == MenuItem::ConsultRequest {
            let band = values
                .get("band")
                .and_then(|b| AgeBand::from_code(b))
                .unwrap_or(AgeBand::A0);
            self.store
                .request_consult(&self.me, band, &text, now)
                .map(|_| ())
        } else {
            let Some(c) = self.cp.consults.get(self.cp.consult_cursor) else {
                return false;
            };
            let result = values
                .get("result")
                .and_then(|r| ConsultResult::from_code(r))
                .unwrap_or(ConsultResult::NoAction);
            self.store
                .advise_consult(&self.me, c.id, c.version, result, &text, now)
        };
        match res {
            Ok(()) => {
                self.reload_cp();
                self.set_status(self.strings.cp.consult_saved.to_string(), false);
                true
            }
            Err(StorageError::Refused(r)) => {
                self.refused(r);
                false
            }
            Err(e) => {
                self.report::<()>(Err(e));
                self.reload_cp();
                false
            }
        }
    }
}
