//! The Jobcenter's referral form (Kinderschutz-Mitteilung, docs/domain.md 4.5): a
//! full-screen layer over the child-protection screen. The urgency and the number of
//! children shape it; the domain checks it at the fields; one unsent referral per person
//! is kept as a draft (`REFERRAL_DRAFT`, record 0).

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts, options};
use crate::app::screens::cp::{CpSettings, CpView};
use crate::domain::referral::{
    IndicatorArea, LegalBasis, PriorStep, Rating, ReferralInput, SecrecyHolder, StepAnswer,
    Urgency, key,
};
use crate::keymap::Context;
use crate::model::draft::Draft;
use crate::storage::StorageError;
use crate::strings::cp::{CpField, CpStrings};
use crate::widgets::rows::render_rows;

/// Registry name.
pub const NAME: &str = "referral-form";

/// Name of the referral form in drafts (record 0: one unsent referral per person).
pub use crate::model::draft::REFERRAL_DRAFT;

/// The open referral form.
#[derive(Debug)]
pub struct ReferralForm {
    /// Its rows.
    pub editor: RowEditor,
    /// The early-help request this referral was turned from (docs/early-help.md § 7): the
    /// request links to the referral once it is sent.
    pub early_help: Option<i64>,
}

impl ReferralForm {
    /// Opens the form on the child-protection screen, with `values` from a draft (or none).
    pub fn open(app: &mut App, values: &BTreeMap<String, String>) {
        let rows = referral_rows(app.strings.cp, &app.cp_settings, values);
        let mut editor = RowEditor::new(rows);
        editor.dirty = !values.is_empty();
        if let Some(k) = values.get(crate::app::FOCUS_KEY) {
            editor.focus(k);
        }
        let early_help = values
            .get(crate::storage::early_help::DRAFT_KEY)
            .and_then(|v| v.parse::<i64>().ok());
        app.screen = crate::app::Screen::ChildProtection;
        app.cp.view = CpView::List;
        app.cp.eh_mode = false;
        app.push(ReferralForm { editor, early_help });
    }

    /// Rebuilds the rows when a choice changed the form's shape (urgency, children).
    fn reshape(&mut self, app: &App, changed: &str) {
        if changed != key::URGENCY && changed != key::CHILDREN {
            return;
        }
        let rows = referral_rows(app.strings.cp, &app.cp_settings, &self.editor.values());
        self.editor.replace_rows(rows);
    }

    /// Checks the form; the problems are shown at their fields when it is not complete.
    fn check(&mut self, app: &mut App) -> Option<ReferralInput> {
        let values = self.editor.values();
        let local = crate::domain::tz::to_local(app.now());
        match ReferralInput::from_values(&values, local) {
            Ok(input) => Some(input),
            Err(problems) => {
                let msgs = problems
                    .into_iter()
                    .map(|(k, p)| (k, (app.strings.problem)(&p, app.strings)))
                    .collect();
                self.editor.set_errors(msgs);
                app.set_status(app.strings.cp.check_send.to_string(), true);
                None
            }
        }
    }

    /// Checks the form and, when it is complete, asks once with a summary of what goes to
    /// the Jugendamt ([`SendAsk`]); the form and its draft stay as they are.
    fn ask_to_send(&mut self, app: &mut App) {
        if let Some(input) = self.check(app) {
            let text = send_summary(app.strings.cp, app.strings, &input);
            app.push(SendAsk { text });
        }
    }

    /// Checks and sends the referral; true when it was sent (the form then closes on the
    /// sent referral).
    fn send(&mut self, app: &mut App) -> bool {
        let now = app.now();
        let Some(input) = self.check(app) else {
            return false;
        };
        match app.store.send_referral(&app.me, &input, now) {
            Ok(id) => {
                app.forget_draft_of(REFERRAL_DRAFT, 0);
                if let Some(eh) = self.early_help {
                    let me = app.me.clone();
                    let linked = app.store.eh_link_referral(&me, eh, id);
                    app.report(linked);
                }
                app.reload_cp();
                app.load_referral(id, true);
                app.set_status(app.strings.cp.sent.to_string(), false);
                true
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                self.editor.set_errors(vec![(key::CASE.to_string(), msg)]);
                false
            }
            Err(e) => {
                app.report::<()>(Err(e));
                false
            }
        }
    }
}

impl Layer for ReferralForm {
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
        if let Some(changed) = self.editor.navigate(action) {
            if let Some(k) = changed {
                self.reshape(app, &k);
            }
            return Outcome::Keep;
        }
        match action {
            Action::Save => {
                self.ask_to_send(app);
                Outcome::Keep
            }
            // Not dirty (the stack asks before discarding input): back to the list.
            Action::Cancel => {
                self.discard(app);
                Outcome::Close
            }
            _ => Outcome::Keep,
        }
    }

    fn is_dirty(&self) -> bool {
        self.editor.dirty
    }

    fn draft(&self, app: &App) -> Option<Draft> {
        if !self.editor.dirty {
            return None;
        }
        let mut values = self.editor.values_with_focus();
        if let Some(eh) = self.early_help {
            values.insert(
                crate::storage::early_help::DRAFT_KEY.to_string(),
                eh.to_string(),
            );
        }
        Some(Draft::new(app.me.id, REFERRAL_DRAFT, 0, values))
    }

    /// Forgets the draft; the list is shown again.
    fn discard(&mut self, app: &mut App) {
        app.cp.view = CpView::List;
        app.forget_draft_of(REFERRAL_DRAFT, 0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    /// Ctrl+S sends (after a question): it reads "Senden"; the draft is kept by itself.
    fn footer_label(&self, app: &App, action: Action) -> Option<&'static str> {
        (action == Action::Save).then_some(app.strings.cp.send_key)
    }

    /// "Saving" the draft is implicit: the footer says so where there is room.
    fn footer_note(&self, app: &App) -> Option<&'static str> {
        Some(app.strings.cp.draft_kept)
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![
            Action::Save,
            Action::Cancel,
            Action::NextField,
            Action::ChoiceNext,
            Action::Help,
        ]
    }

    /// ```text
    /// Kinderschutz-Mitteilung ●
    /// ── Dringlichkeit ─────────────
    /// ▶Dringlichkeit                  ◀ akut ▶
    ///  ZUERST ANRUFEN …
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let area = areas.body;
        frame.render_widget(Clear, area);
        let [title, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let marker = if self.editor.dirty {
            app.strings.unsaved_marker
        } else {
            ""
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{}{marker}", app.strings.cp.titles.form),
                app.theme.header(),
            )),
            title,
        );
        render_rows(frame, app.theme, &self.editor, body);
    }
}

/// The question before sending: the number of children with their given names, the
/// urgency, the prior steps answered yes or no, and for akut whom the reporter phoned when.
fn send_summary(cp: &CpStrings, s: &crate::strings::Strings, input: &ReferralInput) -> String {
    let names = input
        .children
        .iter()
        .map(|c| crate::domain::text::sanitize(&c.given_names, false))
        .collect::<Vec<_>>()
        .join(", ");
    let steps = input
        .steps
        .iter()
        .map(|(st, a)| {
            let yn = match a {
                StepAnswer::Yes(_) => s.yes,
                StepAnswer::No(_) => s.no,
            };
            format!("{}: {yn}", (cp.step)(*st))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let (to, at) = match &input.phoned_ahead {
        Some((at, to)) if input.urgency == Urgency::Acute => (
            crate::domain::text::sanitize(to, false),
            at.format("%d.%m.%Y %H:%M").to_string(),
        ),
        _ => (String::new(), String::new()),
    };
    (cp.confirm_send)(
        input.children.len(),
        &names,
        (cp.urgency)(input.urgency),
        &steps,
        &to,
        &at,
    )
}

/// Registry name of the send question.
pub const SEND_ASK: &str = "referral-send-question";

/// The question before a referral goes to the Jugendamt: "j" sends, "n" or Esc returns to
/// the form with everything kept.
#[derive(Debug)]
pub struct SendAsk {
    /// The question with its summary.
    pub text: String,
}

impl Layer for SendAsk {
    fn name(&self) -> &'static str {
        SEND_ASK
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn input(&mut self, _app: &mut App, _key: KeyEvent) {}

    fn paste(&mut self, _app: &mut App, _text: &str) {}

    fn update(&mut self, app: &mut App, action: Action) -> Outcome {
        match action {
            Action::Confirm => {
                // The form is beneath: it checks again and sends, closing on success.
                app.with_top(|layer, app| {
                    let any = layer as &mut dyn std::any::Any;
                    let sent = any
                        .downcast_mut::<ReferralForm>()
                        .is_some_and(|form| form.send(app));
                    if sent { Outcome::Close } else { Outcome::Keep }
                });
                Outcome::Close
            }
            Action::Deny | Action::Cancel => Outcome::Close,
            _ => Outcome::Keep,
        }
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Confirm, Action::Deny]
    }

    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        super::question::draw_question(frame, app, areas, self.text.clone());
    }
}

/// Reopens the form from its draft.
pub fn restore(app: &mut App, draft: &Draft) -> bool {
    ReferralForm::open(app, &draft.values);
    true
}

/// Example (a Jobcenter U25 worker, e.g. "brinkmann"): F4, `n`, Tab to the first text
/// field.
pub fn example(app: &mut App) -> bool {
    app.update(Action::ScreenChildProtection);
    app.update(Action::NewCase);
    for _ in 0..8 {
        match app.layer::<ReferralForm>() {
            Some(f) if f.takes_text() => return app.top_layer() == Some(NAME),
            Some(_) => app.update(Action::NextField),
            None => return false,
        }
    }
    false
}

/// The rows of the referral form for the typed `values` (the number of children and the
/// urgency shape the form).
pub fn referral_rows(
    s: &CpStrings,
    settings: &CpSettings,
    v: &BTreeMap<String, String>,
) -> Vec<RowItem> {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let or = |k: &str, default: &'static str| {
        if get(k).is_empty() {
            default.to_string()
        } else {
            get(k).to_string()
        }
    };
    let l = s.label;
    let mut rows = vec![
        RowItem::heading(s.sections[0]),
        RowItem::choice(
            key::URGENCY,
            l(CpField::Urgency),
            options(Urgency::ALL, Urgency::code, s.urgency, Some(s.unanswered)),
            get(key::URGENCY),
        ),
    ];
    if get(key::URGENCY) == Urgency::Acute.code() {
        rows.push(RowItem::notice(
            "acute_notice",
            &(s.acute_notice)(
                &settings.office_phone,
                &settings.oncall_phone,
                &settings.after_hours_route,
            ),
        ));
    }
    let line = |f: CpField| {
        RowItem::line(f.key(), l(f), get(f.key())).with_max(crate::domain::referral::MAX_LINE)
    };
    let text = |f: CpField| {
        RowItem::text(f.key(), l(f), get(f.key())).with_max(crate::domain::referral::MAX_TEXT)
    };
    rows.extend([
        line(CpField::PhonedAt),
        line(CpField::PhonedTo),
        line(CpField::ReporterPhone),
        line(CpField::ReachableUntil),
    ]);
    rows.push(RowItem::choice(
        key::SECRECY,
        l(CpField::SecrecyHolder),
        options(SecrecyHolder::ALL, SecrecyHolder::code, s.secrecy, None),
        &or(key::SECRECY, "no"),
    ));
    rows.push(RowItem::choice(
        key::BASIS,
        l(CpField::LegalBasis),
        options(LegalBasis::ALL, LegalBasis::code, s.basis, None),
        &or(key::BASIS, "sgbx_69"),
    ));
    rows.push(line(CpField::CaseNo));
    rows.push(RowItem::heading(s.sections[1]));
    let count = get(key::CHILDREN)
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, crate::domain::referral::MAX_CHILDREN);
    rows.push(RowItem::choice(
        key::CHILDREN,
        l(CpField::Children),
        (1..=crate::domain::referral::MAX_CHILDREN)
            .map(|n| (n.to_string(), n.to_string()))
            .collect(),
        &count.to_string(),
    ));
    for i in 0..count {
        rows.push(RowItem::heading(&(s.child)(i + 1)));
        for f in CpField::CHILD {
            let k = key::child(i, f.key());
            rows.push(RowItem::line(&k, l(f), get(&k)));
        }
    }
    rows.push(text(CpField::Household));
    rows.push(RowItem::heading(s.sections[2]));
    rows.extend([
        line(CpField::ObservedOn),
        text(CpField::Facts),
        text(CpField::Verbatim),
        text(CpField::Assessment),
    ]);
    rows.push(RowItem::heading(s.sections[3]));
    // The indicators of each child (docs/casework.md § 6); a draft from before they were
    // per child fills the first child's.
    for i in 0..count {
        if count > 1 {
            rows.push(RowItem::heading(&(s.child)(i + 1)));
        }
        for a in IndicatorArea::ALL {
            let k = key::indicator(i, *a);
            let mut v = get(&k);
            if v.is_empty() && i == 0 {
                v = get(&key::legacy_indicator(*a));
            }
            rows.push(RowItem::choice(
                &k,
                (s.area)(*a),
                options(Rating::ALL, Rating::code, s.rating, Some("–")),
                v,
            ));
        }
    }
    rows.push(RowItem::heading(s.sections[4]));
    for st in PriorStep::ALL {
        let k = key::step(*st);
        rows.push(RowItem::choice(
            &k,
            (s.step)(*st),
            vec![
                (String::new(), s.unanswered.to_string()),
                ("yes".to_string(), s.yes_no_step[0].to_string()),
                ("no".to_string(), s.yes_no_step[1].to_string()),
            ],
            get(&k),
        ));
        let dk = key::step_detail(*st);
        rows.push(RowItem::line(&dk, l(CpField::StepDetail), get(&dk)));
    }
    rows.push(RowItem::text(
        key::ACTIONS,
        l(CpField::ImmediateActions),
        get(key::ACTIONS),
    ));
    rows.push(RowItem::heading(s.sections[5]));
    for f in [CpField::WantsReceipt, CpField::WantsFeedback] {
        // Both are asked for unless the person untied them.
        let k = f.key();
        let value = if v.contains_key(k) { get(k) } else { "1" };
        rows.push(RowItem::tick(k, l(f), value));
    }
    rows
}
