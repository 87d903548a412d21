//! Early help for young parents on F4 (`h`; docs/early-help.md): the observation form with
//! the decision guide, the menu of the steps this person may take on the highlighted
//! request (`m`), and the small form of each step. Every form keeps a draft while it holds
//! input, a problem stands at its field, and a colleague's save in between is named.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;

use super::step_menu::{Menu, MenuStep};
use crate::action::Action;
use crate::app::App;
use crate::app::layer::{Areas, Layer, Outcome};
use crate::app::rows::{RowEditor, RowItem, contexts, options};
use crate::domain::consent::{ConsentForm, DeclaredBy};
use crate::domain::date::{format_german_date, parse_german_date};
use crate::domain::early_help::{
    ChildBand, Concern, ContactPref, EhData, EhSide, EhState, EhStep, HelpKind, MAX_CHILDREN,
    Outcome as EhOutcome, Path, guide, needs_reason,
};
use crate::domain::referral::{IndicatorArea, Rating, key};
use crate::domain::refusal::Refusal;
use crate::keymap::Context;
use crate::model::draft::{Draft, REFERRAL_DRAFT};
use crate::model::early_help::{EhChild, EhConsent, EhObservation, EhRequest, EhTalk};
use crate::storage::StorageError;
use crate::storage::early_help::{MAX_LINE, MAX_TEXT};

/// Registry name and draft form of the observation form (record 0).
pub const OBSERVE: &str = "eh-observe";
/// Registry name and draft form of a step's form (record: the request).
pub const STEP: &str = "eh-step";
/// The menu's registry name.
pub const MENU: &str = "eh-menu";
/// Draft key of the step.
const STEP_KEY: &str = "_step";

/// Keys of the observation form.
mod k {
    pub const PARENT: &str = "parent_name";
    pub const CONTACT: &str = "parent_contact";
    pub const CASE: &str = "case_no";
    pub const WEIGHTY: &str = "weighty";
    pub const ACUTE: &str = "acute";
    pub const PATH: &str = "path";
    pub const REASON: &str = "reason";
    pub const FIRST_NAME: &str = "first_name";
    pub const BAND: &str = "band";
}

/// The menu of `m` on the early-help list.
pub type EhMenu = Menu<EhStep>;

/// The highlighted request of the early-help list.
fn selected(app: &App) -> Option<&EhRequest> {
    app.cp.eh_rows.get(app.cp.eh_cursor)
}

impl MenuStep for EhStep {
    const NAME: &'static str = MENU;

    fn offered(app: &App) -> Vec<Self> {
        selected(app).map_or_else(Vec::new, |r| r.steps.clone())
    }

    fn none_offered(app: &App) -> &'static str {
        app.strings.early_help.none
    }

    fn title(app: &App) -> &'static str {
        app.strings.early_help.title
    }

    fn label(self, app: &App) -> String {
        (app.strings.early_help.step)(self).to_string()
    }

    fn start(self, app: &mut App) {
        open_step(app, self, None);
    }
}

fn yes_no(app: &App) -> Vec<(String, String)> {
    let e = app.strings.early_help;
    vec![
        ("0".to_string(), e.yes_no[1].to_string()),
        ("1".to_string(), e.yes_no[0].to_string()),
    ]
}

fn date_row(app: &App, key: &str, value: &str) -> RowItem {
    RowItem::line(key, (app.strings.early_help.field)(key), value)
        .with_max(10)
        .with_placeholder(app.strings.date_hint)
}

// ---------------------------------------------------------------------------------------
// The observation form with the decision guide.

/// The ratings typed into the form, per child.
fn ratings_of(v: &BTreeMap<String, String>, count: usize) -> Vec<(usize, IndicatorArea, Rating)> {
    let mut out = Vec::new();
    for i in 0..count {
        for a in IndicatorArea::ALL {
            if let Some(r) = v
                .get(&key::indicator(i, *a))
                .and_then(|c| Rating::from_code(c))
            {
                out.push((i, *a, r));
            }
        }
    }
    out
}

fn child_count(v: &BTreeMap<String, String>) -> usize {
    v.get(key::CHILDREN)
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_CHILDREN)
}

/// What the guide shows for `v`, and the path taken (the guide's unless another was chosen).
fn guidance(v: &BTreeMap<String, String>) -> (crate::domain::early_help::Guidance, Path) {
    let ratings: Vec<Rating> = ratings_of(v, child_count(v)).iter().map(|r| r.2).collect();
    let flag = |k: &str| v.get(k).is_some_and(|x| x == "1");
    let g = guide(&ratings, flag(k::WEIGHTY), flag(k::ACUTE));
    let chosen = v
        .get(k::PATH)
        .and_then(|c| Path::from_code(c))
        .unwrap_or(g.path);
    (g, chosen)
}

/// The rows of the observation form for the typed values `v`: the guide's words follow
/// the ratings as they are typed.
fn observe_rows(app: &App, v: &BTreeMap<String, String>) -> Vec<RowItem> {
    let e = app.strings.early_help;
    let cp = app.strings.cp;
    let f = e.field;
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let count = child_count(v);
    let mut rows = vec![
        RowItem::heading(cp.sections[1]),
        RowItem::choice(
            key::CHILDREN,
            f("children"),
            (1..=MAX_CHILDREN)
                .map(|n| (n.to_string(), n.to_string()))
                .collect(),
            &count.to_string(),
        ),
    ];
    for i in 0..count {
        rows.push(RowItem::heading(&(e.child)(i + 1)));
        let fk = key::child(i, k::FIRST_NAME);
        rows.push(RowItem::line(&fk, f(k::FIRST_NAME), get(&fk)).with_max(MAX_LINE));
        let bk = key::child(i, k::BAND);
        rows.push(RowItem::choice(
            &bk,
            f(k::BAND),
            options(ChildBand::ALL, ChildBand::code, e.band, Some("–")),
            get(&bk),
        ));
        for a in IndicatorArea::ALL {
            let ik = key::indicator(i, *a);
            rows.push(RowItem::choice(
                &ik,
                (cp.area)(*a),
                options(Rating::ALL, Rating::code, cp.rating, Some(e.unrated)),
                get(&ik),
            ));
        }
    }
    rows.push(RowItem::choice(
        k::WEIGHTY,
        f(k::WEIGHTY),
        yes_no(app),
        get(k::WEIGHTY),
    ));
    rows.push(RowItem::choice(
        k::ACUTE,
        f(k::ACUTE),
        yes_no(app),
        get(k::ACUTE),
    ));
    // The guide's words stand above the rows (see `ObserveForm::render`); here the choice.
    rows.push(RowItem::heading(e.guide));
    let (g, _) = guidance(v);
    let mut paths = vec![(String::new(), (e.path)(g.path).to_string())];
    paths.extend(
        Path::ALL
            .iter()
            .filter(|p| **p != g.path)
            .map(|p| (p.code().to_string(), (e.path)(*p).to_string())),
    );
    rows.push(RowItem::choice(k::PATH, f(k::PATH), paths, get(k::PATH)));
    // The reason and the parent's rows stay whatever the ratings say, so that nothing typed
    // disappears when the guide changes its mind; only early help keeps the parent's rows,
    // and the reason is asked for only where the worker leaves the guide's path.
    rows.push(RowItem::text(k::REASON, f(k::REASON), get(k::REASON)).with_max(MAX_TEXT));
    rows.push(RowItem::heading(e.parent_heading));
    rows.push(RowItem::line(k::PARENT, f(k::PARENT), get(k::PARENT)).with_max(MAX_LINE));
    rows.push(RowItem::line(k::CONTACT, f(k::CONTACT), get(k::CONTACT)).with_max(MAX_LINE));
    rows.push(RowItem::line(k::CASE, f(k::CASE), get(k::CASE)).with_max(12));
    rows.push(RowItem::text(key::FACTS, f("facts"), get(key::FACTS)).with_max(MAX_TEXT));
    rows
}

/// The open observation form.
#[derive(Debug)]
pub struct ObserveForm {
    /// Its rows.
    pub editor: RowEditor,
}

impl ObserveForm {
    /// Opens the form with `values` from a draft (or none).
    pub fn open(app: &mut App, values: &BTreeMap<String, String>) {
        let mut editor = RowEditor::new(observe_rows(app, values));
        editor.dirty = !values.is_empty();
        if let Some(f) = values.get(crate::app::FOCUS_KEY) {
            editor.focus(f);
        }
        app.push(ObserveForm { editor });
    }

    fn reshape(&mut self, app: &App) {
        let rows = observe_rows(app, &self.editor.values());
        self.editor.replace_rows(rows);
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let v = self.editor.values();
        let e = app.strings.early_help;
        let (g, chosen) = guidance(&v);
        let reason = v.get(k::REASON).cloned().unwrap_or_default();
        let mut errors = Vec::new();
        if needs_reason(g, chosen) && reason.trim().is_empty() {
            errors.push((k::REASON.to_string(), e.reason_needed.to_string()));
        }
        let count = child_count(&v);
        let mut children = Vec::new();
        for i in 0..count {
            let name = v
                .get(&key::child(i, k::FIRST_NAME))
                .cloned()
                .unwrap_or_default();
            let band = v
                .get(&key::child(i, k::BAND))
                .and_then(|c| ChildBand::from_code(c));
            match band {
                Some(band) => children.push(EhChild {
                    first_name: name,
                    band,
                }),
                None if chosen == Path::EarlyHelp => errors.push((
                    key::child(i, k::BAND),
                    app.strings.casework.required.to_string(),
                )),
                None => {}
            }
        }
        // The case number matters only where early help keeps it.
        let typed_case = if chosen == Path::EarlyHelp {
            v.get(k::CASE).map_or("", |c| c.trim())
        } else {
            ""
        };
        let case_id = match typed_case {
            "" => None,
            c => match c.parse::<i64>() {
                Ok(n) if n > 0 => Some(crate::domain::CaseId(n)),
                _ => {
                    errors.push((
                        k::CASE.to_string(),
                        (app.strings.problem)(
                            &crate::domain::validation::Problem::CaseNumber,
                            app.strings,
                        ),
                    ));
                    None
                }
            },
        };
        if chosen == Path::EarlyHelp && v.get(k::PARENT).is_none_or(|p| p.trim().is_empty()) {
            errors.push((
                k::PARENT.to_string(),
                app.strings.casework.required.to_string(),
            ));
        }
        if let Some((_, msg)) = errors.first() {
            app.set_status(msg.clone(), true);
            self.editor.set_errors(errors);
            return Outcome::Keep;
        }
        let me = app.me.clone();
        let ratings = ratings_of(&v, count);
        let flag = |k: &str| v.get(k).is_some_and(|x| x == "1");
        if chosen == Path::EarlyHelp {
            let obs = EhObservation {
                parent_name: v.get(k::PARENT).cloned().unwrap_or_default(),
                parent_contact: v.get(k::CONTACT).cloned().unwrap_or_default(),
                case_id,
                children,
                ratings,
                weighty: flag(k::WEIGHTY),
                acute: flag(k::ACUTE),
                facts: v.get(key::FACTS).cloned().unwrap_or_default(),
                reason,
            };
            return match app.store().eh_observe(&me, &obs) {
                Ok(id) => {
                    app.forget_draft_of(OBSERVE, 0);
                    app.show_early_help(Some(id));
                    app.set_status(e.saved.to_string(), false);
                    Outcome::Close
                }
                Err(err) => self.refused(app, err),
            };
        }
        // Another path keeps no person data: only the codes and the reason.
        let only: Vec<Rating> = ratings.iter().map(|r| r.2).collect();
        if chosen == Path::Referral && has_referral_draft(app) {
            return self.refused(app, StorageError::Refused(Refusal::EarlyHelpDraftExists));
        }
        if let Err(err) = app.store().eh_record_path(
            &me,
            &only,
            flag(k::WEIGHTY),
            flag(k::ACUTE),
            chosen,
            &reason,
        ) {
            return self.refused(app, err);
        }
        app.forget_draft_of(OBSERVE, 0);
        match chosen {
            Path::Nothing => app.set_status(e.nothing_stored.to_string(), false),
            Path::Consult => {
                crate::app::layers::step_dialog::StepDialog::start(
                    app,
                    crate::strings::cp::MenuItem::ConsultRequest,
                );
                app.set_status(e.path_recorded.to_string(), false);
            }
            Path::Referral | Path::EarlyHelp => {
                let values = carried_to_referral(&v, count);
                crate::app::layers::referral_form::ReferralForm::open(app, &values);
                app.set_status(e.path_recorded.to_string(), false);
            }
        }
        Outcome::Close
    }

    fn refused(&mut self, app: &mut App, err: StorageError) -> Outcome {
        match err {
            StorageError::Refused(r) => {
                let msg = app.refused(r);
                let at = match r {
                    Refusal::ReasonNeeded => k::REASON,
                    Refusal::NoCase => k::CASE,
                    Refusal::NameNeeded => k::PARENT,
                    _ => "",
                };
                if at.is_empty() {
                    super::error_at_first_field(&mut self.editor, msg);
                } else {
                    self.editor.set_errors(vec![(at.to_string(), msg)]);
                }
            }
            e => app.report::<()>(Err(e)),
        }
        Outcome::Keep
    }
}

/// Whether `app`'s person keeps an unsent referral draft (one per person).
fn has_referral_draft(app: &App) -> bool {
    app.store()
        .drafts_for(app.me.id)
        .unwrap_or_default()
        .iter()
        .any(|d| d.form == REFERRAL_DRAFT && d.record_id == 0)
}

/// The referral form's values for what the observation form holds: the children's first
/// names and the ratings, never retyped.
fn carried_to_referral(v: &BTreeMap<String, String>, count: usize) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    out.insert(key::CHILDREN.to_string(), count.to_string());
    for i in 0..count {
        if let Some(n) = v
            .get(&key::child(i, k::FIRST_NAME))
            .filter(|n| !n.is_empty())
        {
            out.insert(key::child(i, "given_names"), n.clone());
        }
    }
    for (i, a, r) in ratings_of(v, count) {
        out.insert(key::indicator(i, a), r.code().to_string());
    }
    if let Some(f) = v.get(key::FACTS).filter(|f| !f.is_empty()) {
        out.insert(key::FACTS.to_string(), f.clone());
    }
    out
}

impl Layer for ObserveForm {
    fn name(&self) -> &'static str {
        OBSERVE
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
            if changed.is_some() {
                self.reshape(app);
            }
            return Outcome::Keep;
        }
        match action {
            Action::Save => self.save(app),
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
        self.editor
            .dirty
            .then(|| Draft::new(app.me.id, OBSERVE, 0, self.editor.values_with_focus()))
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(OBSERVE, 0);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
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
    /// ┌ Frühe Hilfen: Beobachtung ───────────────────┐
    /// │ Der Wegweiser zeigt, welcher Weg passt – …   │
    /// │▶Anzahl Kinder                          ◀ 1 ▶ │
    /// └──────────────────────────────────────────────┘
    /// ```
    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        use ratatui::layout::{Constraint, Layout};
        use ratatui::text::Line;
        use ratatui::widgets::Paragraph;
        let e = app.strings.early_help;
        let area = areas.full;
        let inner = super::boxed(
            frame,
            app.theme,
            area,
            (
                area.width.saturating_sub(2).max(1),
                area.height.saturating_sub(2).max(1),
            ),
            e.observe_title,
        );
        let (g, chosen) = guidance(&self.editor.values());
        let width = usize::from(inner.width.max(10));
        let mut lines: Vec<Line<'_>> = Vec::new();
        if g.phone_first {
            let s = &app.cp_settings;
            let phone = (e.phone_first)(&s.office_phone, &s.oncall_phone, &s.after_hours_route);
            for l in crate::widgets::wrap_words(&phone, width) {
                lines.push(Line::styled(l, app.theme.error()));
            }
        }
        let mut text = format!("{}: {} — {}", e.guide, (e.path)(g.path), (e.why)(g.path));
        if let Some(also) = g.also {
            text.push(' ');
            text.push_str(&(e.also)((e.path)(also)));
        }
        if chosen != g.path {
            text.push(' ');
            text.push_str(e.reason_needed);
        }
        for l in crate::widgets::wrap_words(&text, width) {
            lines.push(Line::styled(l, app.theme.key()));
        }
        // The guide takes at most half the box; the reminder that it does not decide
        // comes when there is room.
        let room = usize::from(inner.height / 2).max(1);
        let hint = crate::widgets::wrap_words(e.observe_hint, width);
        if lines.len() + hint.len() <= room {
            lines.extend(hint.into_iter().map(|l| Line::styled(l, app.theme.dim())));
        }
        lines.truncate(room);
        let want = u16::try_from(lines.len()).unwrap_or(1);
        let [guide_area, body] =
            Layout::vertical([Constraint::Length(want), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(lines), guide_area);
        crate::widgets::rows::render_rows(frame, app.theme, &self.editor, body);
    }

    /// Ctrl+S goes on along the path taken: it reads "Weiter".
    fn footer_label(&self, app: &App, action: Action) -> Option<&'static str> {
        (action == Action::Save).then_some(app.strings.early_help.next_key)
    }
}

/// Reopens the observation form from its draft.
pub fn restore_observe(app: &mut App, draft: &Draft) -> bool {
    app.show_early_help(None);
    ObserveForm::open(app, &draft.values);
    true
}

/// Example (a Jobcenter U25 worker): F4, `h`, `n`, Tab to the first text field.
pub fn example_observe(app: &mut App) -> bool {
    app.update(Action::ScreenChildProtection);
    app.update(Action::EarlyHelp);
    app.update(Action::NewCase);
    for _ in 0..6 {
        match app.layer::<ObserveForm>() {
            Some(f) if f.takes_text() => return app.top_layer() == Some(OBSERVE),
            Some(_) => app.update(Action::NextField),
            None => return false,
        }
    }
    false
}

// ---------------------------------------------------------------------------------------
// The steps.

/// A step's form.
#[derive(Debug)]
pub struct EhForm {
    /// The request.
    pub id: i64,
    /// The version it rests on.
    pub version: i64,
    /// The step.
    pub step: EhStep,
    /// Its rows.
    pub editor: RowEditor,
    initial: BTreeMap<String, String>,
}

/// The rows of `step` on `r`, with `values` from a draft where given.
fn step_rows(
    app: &App,
    step: EhStep,
    r: &EhRequest,
    values: Option<&BTreeMap<String, String>>,
) -> Vec<RowItem> {
    let e = app.strings.early_help;
    let f = e.field;
    let today = format_german_date(app.today());
    let get = |k: &str, default: &str| {
        values
            .and_then(|v| v.get(k).cloned())
            .unwrap_or_else(|| default.to_string())
    };
    match step {
        EhStep::Talk => vec![
            date_row(app, "talk_on", &get("talk_on", &today)),
            RowItem::multi(
                "concerns",
                f("concerns"),
                options(Concern::ALL, Concern::code, e.concern, None),
                &get(
                    "concerns",
                    &Concern::join(r.concerns.as_deref().unwrap_or_default()),
                ),
            ),
            RowItem::text(
                "own_words",
                f("own_words"),
                &get("own_words", r.own_words.as_deref().unwrap_or_default()),
            )
            .with_max(MAX_TEXT),
            RowItem::multi(
                "contact_pref",
                f("contact_pref"),
                options(ContactPref::ALL, ContactPref::code, e.pref, None),
                &get(
                    "contact_pref",
                    &ContactPref::join(r.contact_pref.as_deref().unwrap_or_default()),
                ),
            ),
            RowItem::line(
                "best_times",
                f("best_times"),
                &get("best_times", r.best_times.as_deref().unwrap_or_default()),
            )
            .with_max(MAX_LINE),
        ],
        EhStep::Consent => {
            let s = app.strings;
            vec![
                date_row(app, "signed_on", &get("signed_on", &today)),
                RowItem::choice(
                    "declared_by",
                    f("declared_by"),
                    options(DeclaredBy::ALL, DeclaredBy::code, s.declared_by, None),
                    &get("declared_by", DeclaredBy::YoungPerson.code()),
                ),
                RowItem::choice(
                    "form",
                    f("form"),
                    options(ConsentForm::ALL, ConsentForm::code, s.consent_form, None),
                    &get("form", ConsentForm::Written.code()),
                ),
                RowItem::line("document_ref", f("document_ref"), &get("document_ref", ""))
                    .with_max(MAX_LINE),
                RowItem::multi(
                    "data",
                    f("data"),
                    options(EhData::ALL, EhData::code, e.data, None),
                    &get("data", EhData::Contact.code()),
                ),
                RowItem::choice(
                    "feedback",
                    f("feedback"),
                    yes_no(app),
                    &get("feedback", "0"),
                ),
            ]
        }
        EhStep::Decline => vec![
            date_row(app, "declined_on", &get("declined_on", &today)),
            date_row(app, "follow_up_on", &get("follow_up_on", "")),
            RowItem::notice("offer", e.declined_offer),
        ],
        EhStep::Send => {
            let data = r
                .consent
                .as_ref()
                .map(|c| {
                    c.data
                        .iter()
                        .map(|d| (e.data)(*d))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let feedback = r.consent.as_ref().is_some_and(|c| c.feedback);
            vec![RowItem::notice(
                "summary",
                &(e.send_summary)(&data, feedback),
            )]
        }
        EhStep::Take | EhStep::Convert => {
            vec![RowItem::notice("summary", (e.step)(step))]
        }
        EhStep::Contact => vec![date_row(
            app,
            "first_contact_on",
            &get("first_contact_on", &today),
        )],
        EhStep::Close if r.side == EhSide::EarlyHelp && r.state != EhState::Withdrawn => vec![
            RowItem::choice(
                "outcome",
                f("outcome"),
                // Before a first contact, only "no contact made" can be the outcome.
                options(
                    if r.state == EhState::Taken {
                        &[EhOutcome::NoContact]
                    } else {
                        EhOutcome::ALL
                    },
                    EhOutcome::code,
                    e.outcome,
                    Some("–"),
                ),
                &get("outcome", ""),
            ),
            RowItem::choice(
                "help_kind",
                f("help_kind"),
                options(HelpKind::ALL, HelpKind::code, e.help, Some("–")),
                &get("help_kind", ""),
            ),
        ],
        EhStep::Close => vec![RowItem::notice("summary", (e.step)(step))],
        EhStep::Revoke => vec![date_row(app, "revoked_on", &get("revoked_on", &today))],
        EhStep::Joint => {
            let (day, time, room) = r.joint.as_ref().map_or_else(
                || (String::new(), String::new(), String::new()),
                |(s, _, room)| {
                    (
                        format_german_date(s.date()),
                        s.format("%H:%M").to_string(),
                        room.clone(),
                    )
                },
            );
            vec![
                date_row(app, "joint_day", &get("joint_day", &day)),
                RowItem::line("joint_time", f("joint_time"), &get("joint_time", &time)).with_max(5),
                RowItem::choice(
                    "joint_minutes",
                    f("joint_minutes"),
                    ["30", "45", "60", "90", "120"]
                        .iter()
                        .map(|m| ((*m).to_string(), format!("{m} min")))
                        .collect(),
                    &get("joint_minutes", "60"),
                ),
                RowItem::line("room", f("room"), &get("room", &room)).with_max(MAX_LINE),
            ]
        }
    }
}

/// Opens `step`'s form on the highlighted request (with `values` from a draft).
fn open_step(app: &mut App, step: EhStep, values: Option<&BTreeMap<String, String>>) -> bool {
    let Some(r) = selected(app).cloned() else {
        return false;
    };
    let editor = RowEditor::new(step_rows(app, step, &r, values));
    let initial = if values.is_some() {
        BTreeMap::new()
    } else {
        editor.values()
    };
    app.push(EhForm {
        id: r.id,
        version: r.version,
        step,
        editor,
        initial,
    });
    true
}

impl EhForm {
    fn date(
        &self,
        app: &App,
        key: &str,
        errors: &mut Vec<(String, String)>,
    ) -> Option<chrono::NaiveDate> {
        let text = self.editor.value(key);
        if text.trim().is_empty() {
            return None;
        }
        match parse_german_date(&text) {
            Ok(d) => Some(d),
            Err(p) => {
                errors.push((key.to_string(), (app.strings.problem)(&p, app.strings)));
                None
            }
        }
    }

    fn required(app: &App, key: &str, errors: &mut Vec<(String, String)>) {
        errors.push((key.to_string(), app.strings.casework.required.to_string()));
    }

    fn save(&mut self, app: &mut App) -> Outcome {
        let me = app.me.clone();
        let mut errors = Vec::new();
        let (id, version) = (self.id, self.version);
        let v = |k: &str| self.editor.value(k);
        let store = app.store();
        let res: Result<(), StorageError> = match self.step {
            EhStep::Talk => {
                let on = self.date(app, "talk_on", &mut errors);
                if on.is_none() {
                    Self::required(app, "talk_on", &mut errors);
                }
                let concerns = Concern::split(&v("concerns"));
                if concerns.is_empty() {
                    Self::required(app, "concerns", &mut errors);
                }
                match on {
                    Some(talk_on) if errors.is_empty() => store.eh_talk(
                        &me,
                        id,
                        version,
                        &EhTalk {
                            talk_on,
                            concerns,
                            own_words: v("own_words"),
                            contact_pref: ContactPref::split(&v("contact_pref")),
                            best_times: v("best_times"),
                        },
                    ),
                    _ => Ok(()),
                }
            }
            EhStep::Consent => {
                let on = self.date(app, "signed_on", &mut errors);
                if on.is_none() {
                    Self::required(app, "signed_on", &mut errors);
                }
                let data = EhData::split(&v("data"));
                match on {
                    Some(signed_on) if errors.is_empty() => store.eh_consent(
                        &me,
                        id,
                        version,
                        &EhConsent {
                            signed_on,
                            declared_by: DeclaredBy::from_code(&v("declared_by"))
                                .unwrap_or(DeclaredBy::YoungPerson),
                            form: ConsentForm::from_code(&v("form"))
                                .unwrap_or(ConsentForm::Written),
                            document_ref: v("document_ref"),
                            data,
                            feedback: v("feedback") == "1",
                        },
                    ),
                    _ => Ok(()),
                }
            }
            EhStep::Decline => {
                let on = self.date(app, "declined_on", &mut errors);
                if on.is_none() {
                    Self::required(app, "declined_on", &mut errors);
                }
                let follow = self.date(app, "follow_up_on", &mut errors);
                match on {
                    Some(on) if errors.is_empty() => store.eh_decline(&me, id, version, on, follow),
                    _ => Ok(()),
                }
            }
            EhStep::Send => store.eh_send(&me, id, version),
            EhStep::Take => store.eh_take(&me, id, version),
            EhStep::Contact => {
                let on = self.date(app, "first_contact_on", &mut errors);
                match on {
                    Some(on) if errors.is_empty() => store.eh_first_contact(&me, id, version, on),
                    _ => {
                        if on.is_none() && errors.is_empty() {
                            Self::required(app, "first_contact_on", &mut errors);
                        }
                        Ok(())
                    }
                }
            }
            EhStep::Close => {
                let outcome = EhOutcome::from_code(&v("outcome"));
                let has_rows = self.editor.rows.iter().any(|r| r.key == "outcome");
                if has_rows && outcome.is_none() {
                    Self::required(app, "outcome", &mut errors);
                }
                if outcome == Some(EhOutcome::Accepted)
                    && HelpKind::from_code(&v("help_kind")).is_none()
                {
                    Self::required(app, "help_kind", &mut errors);
                }
                if errors.is_empty() {
                    store.eh_close(
                        &me,
                        id,
                        version,
                        outcome.map(|o| (o, HelpKind::from_code(&v("help_kind")))),
                    )
                } else {
                    Ok(())
                }
            }
            EhStep::Revoke => {
                let on = self.date(app, "revoked_on", &mut errors);
                match on {
                    Some(on) if errors.is_empty() => store.eh_revoke(&me, id, version, on),
                    _ => {
                        if on.is_none() && errors.is_empty() {
                            Self::required(app, "revoked_on", &mut errors);
                        }
                        Ok(())
                    }
                }
            }
            EhStep::Joint => {
                let day = self.date(app, "joint_day", &mut errors);
                if day.is_none() && errors.is_empty() {
                    Self::required(app, "joint_day", &mut errors);
                }
                let time = chrono::NaiveTime::parse_from_str(v("joint_time").trim(), "%H:%M");
                if time.is_err() {
                    errors.push((
                        "joint_time".to_string(),
                        app.strings.early_help.bad_time.to_string(),
                    ));
                }
                let minutes = v("joint_minutes").parse::<u32>().unwrap_or(60);
                match (day, time) {
                    (Some(d), Ok(t)) if errors.is_empty() => store
                        .eh_book_joint(&me, id, version, d.and_time(t), minutes, &v("room"))
                        .map(|_| ()),
                    _ => Ok(()),
                }
            }
            EhStep::Convert => {
                let session = app.session.clone();
                match store.eh_convert(&me, &session, id, version) {
                    Ok(values) => {
                        app.forget_draft_of(STEP, id);
                        crate::app::layers::referral_form::ReferralForm::open(app, &values);
                        app.set_status(app.strings.early_help.path_recorded.to_string(), false);
                        return Outcome::Close;
                    }
                    Err(e) => Err(e),
                }
            }
        };
        if let Some((_, msg)) = errors.first() {
            app.set_status(msg.clone(), true);
            self.editor.set_errors(errors);
            return Outcome::Keep;
        }
        match res {
            Ok(()) if self.step == EhStep::Joint => {
                app.forget_draft_of(STEP, id);
                app.show_early_help(Some(id));
                write_joint_ics(app, id);
                Outcome::Close
            }
            Ok(()) => {
                app.forget_draft_of(STEP, id);
                app.show_early_help(Some(id));
                app.set_status(app.strings.early_help.saved.to_string(), false);
                Outcome::Close
            }
            Err(StorageError::Refused(r)) => {
                let msg = app.refused(r);
                let at = match r {
                    Refusal::EarlyHelpContact => "data",
                    Refusal::EarlyHelpConcern => "concerns",
                    Refusal::Clash | Refusal::DateOutOfRange if self.step == EhStep::Joint => {
                        "joint_time"
                    }
                    _ => "",
                };
                if at.is_empty() {
                    super::error_at_first_field(&mut self.editor, msg);
                } else {
                    self.editor.set_errors(vec![(at.to_string(), msg)]);
                }
                Outcome::Keep
            }
            Err(StorageError::Conflict { by, at }) => {
                app.report::<()>(Err(StorageError::Conflict { by, at }));
                // The next save rests on what the colleague stored.
                app.show_early_help(Some(id));
                if let Some(r) = app.cp.eh_rows.iter().find(|r| r.id == id) {
                    self.version = r.version;
                }
                Outcome::Keep
            }
            Err(e) => {
                app.report::<()>(Err(e));
                Outcome::Keep
            }
        }
    }
}

/// Writes the calendar file of request `id`'s joint appointment to
/// `$TANDEM_DATA/export/fruehe-hilfen-<id>.ics` (docs/architecture.md § 7: generated names
/// in the export directory only) and says where.
fn write_joint_ics(app: &mut App, id: i64) {
    use std::os::unix::fs::DirBuilderExt as _;
    let now = app.now();
    let host = app.conf_settings.uid_host.clone();
    let me = app.me.clone();
    match crate::export::early_help_ics(app.store(), &me, id, now, &host) {
        Ok(text) => {
            let dir = crate::config::data_dir().join("export");
            let path = dir.join(format!("fruehe-hilfen-{id}.ics"));
            let written = std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .and_then(|()| crate::export::write_private_atomically(&path, text.as_bytes()));
            match written {
                Ok(()) => app.set_status(
                    (app.strings.early_help.joint_booked)(&path.display().to_string()),
                    false,
                ),
                Err(e) => {
                    tracing::warn!(error = %e, "calendar file not written");
                    app.set_status(app.strings.early_help.saved.to_string(), false);
                }
            }
        }
        Err(e) => app.report::<()>(Err(e)),
    }
}

impl Layer for EhForm {
    fn name(&self) -> &'static str {
        STEP
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
            let mut d = Draft::new(app.me.id, STEP, self.id, values);
            d.base_version = self.version;
            d
        })
    }

    fn discard(&mut self, app: &mut App) {
        app.forget_draft_of(STEP, self.id);
    }

    fn field_text(&self) -> Option<String> {
        self.editor.focused_text()
    }

    fn footer(&self, _app: &App) -> Vec<Action> {
        vec![Action::Save, Action::Cancel, Action::NextField]
    }

    fn render(&self, frame: &mut Frame<'_>, app: &App, areas: Areas) {
        let e = app.strings.early_help;
        let title = format!("FH-{}: {}", self.id, (e.step)(self.step));
        super::render_hinted_form(
            frame,
            app,
            (areas.full, 16),
            &title,
            e.step_hint,
            &self.editor,
        );
    }
}

/// Reopens a step's form from its draft, on the version it rested on.
pub fn restore_step(app: &mut App, draft: &Draft) -> bool {
    let Some(step) = draft
        .values
        .get(STEP_KEY)
        .and_then(|s| EhStep::from_code(s))
    else {
        return false;
    };
    app.show_early_help(Some(draft.record_id));
    if selected(app).map(|r| r.id) != Some(draft.record_id) {
        return false;
    }
    if !open_step(app, step, Some(&draft.values)) {
        return false;
    }
    if let Some(f) = app.layer_mut::<EhForm>() {
        f.version = draft.base_version;
        if let Some(k) = draft.values.get(crate::app::FOCUS_KEY) {
            f.editor.focus(k);
        }
    }
    true
}

/// Example (the demo worker): F4, `h`, the first request with a talk to record, `m`, the
/// talk, Tab to the parent's own words.
pub fn example_step(app: &mut App) -> bool {
    app.update(Action::ScreenChildProtection);
    app.update(Action::EarlyHelp);
    let Some(at) = app
        .cp
        .eh_rows
        .iter()
        .position(|r| r.side == EhSide::Requester && r.state == EhState::Observed)
    else {
        return false;
    };
    app.cp.eh_cursor = at;
    if !open_step(app, EhStep::Talk, None) {
        return false;
    }
    // Past the date to the parent's own words, the first field of free text.
    for _ in 0..4 {
        match app.layer::<EhForm>() {
            Some(f) if f.editor.current().is_some_and(|r| r.key == "own_words") => {
                return app.top_layer() == Some(STEP);
            }
            Some(_) => app.update(Action::NextField),
            None => return false,
        }
    }
    false
}
