//! The information at benefit withdrawal in a case file (`l`; docs/casework.md § 9): a
//! menu of the steps this person may take now, and the small form of the two steps that
//! carry fields (opening the review, proposing the decision). Confirming and returning a
//! proposal take no fields. The form keeps a draft naming the case, the step and the
//! version it rests on; a problem stands at its field; a colleague's save in between is
//! named and the form rests on it.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::step_menu::{Menu, MenuStep};
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts};
use crate::domain::withdrawal::{
    Decision, MAX_MINORS, NoInfoGround, WithdrawalStatus, WithdrawalStep, may_confirm, may_review,
    missing,
};
use crate::domain::{CaseId, StaffId};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::model::referral::WithdrawalNotice;
use crate::storage::StorageError;
use crate::storage::withdrawal::Proposal;

/// Registry name and the form name of its drafts (the record is the case).
pub const NAME: &str = "withdrawal";
/// The menu's registry name.
pub const MENU: &str = "withdrawal-menu";
/// Draft key of the step.
const STEP_KEY: &str = "_step";
/// Draft key of the review a proposal belongs to.
const NOTICE_KEY: &str = "_notice";

/// The menu of `l`.
pub type WithdrawalMenu = Menu<WithdrawalStep>;

/// The newest review of the open file.
fn latest(app: &App) -> Option<&WithdrawalNotice> {
    app.cases
        .file
        .as_ref()
        .and_then(|f| f.view.withdrawals.first())
}

impl MenuStep for WithdrawalStep {
    const NAME: &'static str = MENU;

    fn offered(app: &App) -> Vec<Self> {
        let me = &app.me;
        let worker = app.works_on_file() && may_review(me);
        match latest(app) {
            Some(n) if n.pending() => {
                let first = n.decided_by.as_ref().map_or(StaffId(0), |d| d.0);
                if n.second_by.as_ref().map(|s| s.0) == Some(me.id) && may_confirm(first, me) {
                    vec![WithdrawalStep::Confirm, WithdrawalStep::Decline]
                } else {
                    Vec::new()
                }
            }
            Some(n) if n.status == WithdrawalStatus::InReview && worker => {
                vec![WithdrawalStep::Propose]
            }
            _ if worker => vec![WithdrawalStep::Open],
            _ => Vec::new(),
        }
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.withdrawal.none
    }

    fn title(app: &App) -> &'static str {
        app.strings.withdrawal.title
    }

    fn label(self, app: &App) -> String {
        (app.strings.withdrawal.step)(self).to_string()
    }

    fn start(self, app: &mut App) {
        match self {
            WithdrawalStep::Confirm | WithdrawalStep::Decline => {
                confirm(app, self == WithdrawalStep::Confirm);
            }
            _ => {
                open(app, self, None);
            }
        }
    }
}

/// `l` in a case file: the steps, when the site switched the information on.
pub fn open_menu(app: &mut App) {
    if !app.cp_settings.feature_withdrawal_notice {
        app.refused(crate::domain::refusal::Refusal::FeatureOff);
        return;
    }
    WithdrawalMenu::open(app);
}

/// The lead confirms the proposal or returns it.
fn confirm(app: &mut App, accept: bool) {
    let Some((case, id, version)) = latest(app).map(|n| (n.case, n.id, n.version)) else {
        return;
    };
    let me = app.me.clone();
    match app.store().confirm_withdrawal(&me, id, version, accept) {
        Ok(()) => {
            app.open_file(case);
            app.set_status(app.strings.withdrawal.saved.to_string(), false);
        }
        Err(StorageError::Refused(r)) => {
            app.refused(r);
            app.open_file(case);
        }
        Err(e) => {
            app.report::<()>(Err(e));
            app.open_file(case);
        }
    }
}

/// A step's form.
#[derive(Debug)]
pub struct WithdrawalForm {
    /// The case.
    pub case: CaseId,
    /// The step (open or propose).
    pub step: WithdrawalStep,
    /// The review it rests on (propose) and its version.
    pub notice: Option<(i64, i64)>,
    /// The rows.
    pub editor: RowEditor,
    initial: BTreeMap<String, String>,
}

fn open(app: &mut App, step: WithdrawalStep, values: Option<&BTreeMap<String, String>>) -> bool {
    let Some(f) = app.cases.file.as_ref() else {
        return false;
    };
    let case = f.case().id;
    let bg = f.case().person.bg_no.clone();
    let open_review = latest(app).filter(|n| n.status == WithdrawalStatus::InReview);
    let notice = open_review.map(|n| (n.id, n.version));
    // A proposal the lead returned keeps its words for the next one.
    let (stored_reason, stored_basis) = open_review.map_or((String::new(), String::new()), |n| {
        (n.reason.clone(), n.legal_basis.clone())
    });
    let w = app.strings.withdrawal;
    let get = |k: &str, default: &str| {
        values
            .and_then(|v| v.get(k).cloned())
            .unwrap_or_else(|| default.to_string())
    };
    let rows = match step {
        WithdrawalStep::Open => vec![
            RowItem::line("bg_no", (w.field)("bg_no"), &get("bg_no", &bg)),
            RowItem::line(
                "minors_count",
                (w.field)("minors_count"),
                &get("minors_count", ""),
            ),
        ],
        WithdrawalStep::Propose => {
            if notice.is_none() {
                return false;
            }
            // Every choice starts unchosen ("–"): the decision is made, never defaulted.
            let unchosen = || vec![(String::new(), "–".to_string())];
            let mut leads = unchosen();
            leads.extend(
                app.store
                    .active_staff()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|s| may_confirm(app.me.id, s))
                    .map(|s| (s.id.0.to_string(), s.display_name())),
            );
            let mut bases = unchosen();
            bases.extend(
                app.cp_settings
                    .withdrawal_legal_bases
                    .iter()
                    .map(|b| (b.clone(), b.clone())),
            );
            let mut decisions = unchosen();
            decisions.extend(
                Decision::ALL
                    .iter()
                    .map(|d| (d.code().to_string(), (w.decision)(*d).to_string())),
            );
            let mut grounds = unchosen();
            grounds.extend(
                NoInfoGround::ALL
                    .iter()
                    .map(|g| (g.code().to_string(), (w.ground)(*g).to_string())),
            );
            vec![
                RowItem::choice(
                    "decision",
                    (w.field)("decision"),
                    decisions,
                    &get("decision", ""),
                ),
                RowItem::choice("ground", (w.field)("ground"), grounds, &get("ground", "")),
                RowItem::text(
                    "reason",
                    (w.field)("reason"),
                    &get("reason", &stored_reason),
                )
                .with_max(crate::storage::withdrawal::MAX_REASON),
                RowItem::choice(
                    "legal_basis",
                    (w.field)("legal_basis"),
                    bases,
                    &get("legal_basis", &stored_basis),
                ),
                RowItem::choice("second", (w.field)("second"), leads, &get("second", "")),
            ]
        }
        WithdrawalStep::Confirm | WithdrawalStep::Decline | WithdrawalStep::Receive => {
            return false;
        }
    };
    let editor = RowEditor::new(rows);
    let initial = if values.is_some() {
        BTreeMap::new()
    } else {
        editor.values()
    };
    app.push(WithdrawalForm {
        case,
        step,
        notice,
        editor,
        initial,
    });
    true
}

/// Reopens a step's form from its draft, on the version it rested on.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    let Some(step) = draft
        .values
        .get(STEP_KEY)
        .and_then(|s| WithdrawalStep::from_code(s))
    else {
        return false;
    };
    let case = CaseId(draft.record_id);
    app.screen = crate::app::Screen::Cases;
    app.open_file(case);
    if app.cases.file.as_ref().map(|f| f.case().id) != Some(case) {
        return false;
    }
    if !open(app, step, Some(&draft.values)) {
        return false;
    }
    if let Some(f) = app.layer_mut::<WithdrawalForm>() {
        // The draft rests on its own review and version: a review decided meanwhile (or a
        // newer one) makes the save a conflict, never a proposal on another review.
        let id = draft
            .values
            .get(NOTICE_KEY)
            .and_then(|v| v.parse::<i64>().ok());
        f.notice = match (f.step, id) {
            (WithdrawalStep::Propose, Some(id)) => Some((id, draft.base_version)),
            (WithdrawalStep::Propose, None) => None,
            _ => f.notice,
        };
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            f.editor.focus(k);
        }
    }
    true
}

/// Example (a Jobcenter U25 worker, on a site that switched the information on): the
/// review's first form on a case of her caseload.
pub fn example(app: &mut App) -> bool {
    app.cp_settings.feature_withdrawal_notice = true;
    if app.store().set_withdrawal_notice(true).is_err() || !super::open_first_case(app) {
        return false;
    }
    open(app, WithdrawalStep::Open, None) && app.top_layer() == Some(NAME)
}

impl WithdrawalForm {
    fn errors(&self, app: &App) -> Vec<(String, String)> {
        let w = app.strings.withdrawal;
        let required = app.strings.casework.required;
        let mut errors = Vec::new();
        if self.step == WithdrawalStep::Open {
            if self.editor.value("bg_no").trim().is_empty() {
                errors.push(("bg_no".to_string(), required.to_string()));
            }
            if self
                .editor
                .value("minors_count")
                .trim()
                .parse::<u8>()
                .map_or(true, |n| n > MAX_MINORS)
            {
                errors.push(("minors_count".to_string(), w.bad_count.to_string()));
            }
        } else {
            let v = |k: &str| self.editor.value(k);
            for key in missing(
                Decision::from_code(&v("decision")),
                NoInfoGround::from_code(&v("ground")),
                &v("reason"),
                &v("legal_basis"),
            ) {
                errors.push((key.to_string(), required.to_string()));
            }
            if v("second").parse::<i64>().is_err() {
                errors.push(("second".to_string(), required.to_string()));
            }
        }
        errors
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let errors = self.errors(app);
        if let Some((_, msg)) = errors.first() {
            app.set_status(msg.clone(), true);
            self.editor.set_errors(errors);
            return Outcome::Keep;
        }
        let me = app.me.clone();
        let v = |k: &str| self.editor.value(k);
        let res = if self.step == WithdrawalStep::Open {
            let minors = v("minors_count").trim().parse::<u8>().unwrap_or(0);
            app.store()
                .open_withdrawal(&me, self.case, &v("bg_no"), minors)
                .map(|_| ())
        } else if let Some((id, version)) = self.notice {
            let p = Proposal {
                decision: Decision::from_code(&v("decision")),
                ground: NoInfoGround::from_code(&v("ground")),
                reason: v("reason"),
                legal_basis: v("legal_basis"),
                second: v("second").parse::<i64>().ok().map(StaffId),
            };
            app.store().propose_withdrawal(&me, id, version, &p)
        } else {
            // The review was decided meanwhile: nothing left to propose on.
            Err(StorageError::Refused(
                crate::domain::refusal::Refusal::ReferralWrongState,
            ))
        };
        match res {
            Ok(()) => {
                app.forget_draft_of(NAME, self.case.0);
                app.open_file(self.case);
                app.set_status(app.strings.withdrawal.saved.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                super::error_at_first_field(&mut self.editor, msg);
                Outcome::Keep
            }
            Err(StorageError::Conflict { by, at }) => {
                app.report::<()>(Err(StorageError::Conflict { by, at }));
                app.open_file(self.case);
                // The next save rests on what the colleague stored, on the same review only;
                // a review decided meanwhile leaves nothing to propose on.
                let same = self.notice.map(|(id, _)| id);
                self.notice = latest(app)
                    .filter(|n| n.status == WithdrawalStatus::InReview && Some(n.id) == same)
                    .map(|n| (n.id, n.version));
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

impl Layer for WithdrawalForm {
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
            Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.values() != self.initial
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        self.is_dirty().then(|| {
            let mut values = self.editor.values_with_focus();
            values.insert(STEP_KEY.to_string(), self.step.code().to_string());
            if let Some((id, _)) = self.notice {
                values.insert(NOTICE_KEY.to_string(), id.to_string());
            }
            let mut d = Draft::new(app.me.id, NAME, self.case.0, values);
            d.base_version = self.notice.map_or(0, |(_, v)| v);
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(NAME, self.case.0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::NextField]
    }

    /// ```text
    /// ┌ Entscheidung vorschlagen ────────────────────┐
    /// │ Nie automatisch: eine begründete …           │
    /// │▶Entscheidung            ◀ Keine Information ▶│
    /// └──────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let w = app.strings.withdrawal;
        let title = format!("{}: {}", w.title, (w.step)(self.step));
        super::render_hinted_form(
            frame,
            app,
            (areas.full, 14),
            &title,
            w.form_hint,
            &self.editor,
        );
    }
}
