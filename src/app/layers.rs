//! Every registered layer (docs/architecture.md § 4). A new popup, dialog or form is one file
//! here and one entry in [`REGISTRY`]: the entry names its drafts and how a person opens it,
//! which is how the draft restore and the property test over all layers find it.

pub mod admin_ask;
pub mod break_glass;
pub mod case_form;
pub mod conf_dialog;
pub mod conf_menu;
pub mod conflict;
pub mod consent;
pub mod coop_form;
pub mod doc_menu;
pub mod dpo_form;
pub mod early_help;
pub mod handover;
pub mod help;
pub mod note;
pub mod planning_form;
pub mod question;
pub mod record_form;
pub mod referral_form;
pub mod restrict;
pub mod rota_form;
pub mod ssh_keys;
pub mod staff_form;
pub mod step_dialog;
pub mod step_menu;
pub mod transfer;
pub mod withdrawal;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear};

use super::App;
use crate::model::draft::Draft;
use crate::widgets::centered;

/// One registered layer.
pub struct Registration {
    /// The layer's name ([`super::layer::Layer::name`]).
    pub name: &'static str,
    /// The form name under which its drafts are stored, if it keeps drafts.
    pub draft_form: Option<&'static str>,
    /// Reopens it from a draft; false when the record is gone or no longer visible.
    pub restore: Option<fn(&mut App, &Draft) -> bool>,
    /// Opens it on the demo data the way a person would (who, and how); None for layers
    /// that take no text. The property test over all layers uses this.
    pub example: Option<Example>,
}

/// How a person opens a layer on the demo data.
pub struct Example {
    /// The demo login that opens it.
    pub login: &'static str,
    /// Opens it; false when the demo data offers no way.
    pub open: fn(&mut App) -> bool,
}

/// All layers.
pub const REGISTRY: &[Registration] = &[
    Registration {
        name: early_help::OBSERVE,
        draft_form: Some(early_help::OBSERVE),
        restore: Some(early_help::restore_observe),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: early_help::example_observe,
        }),
    },
    Registration {
        name: early_help::STEP,
        draft_form: Some(early_help::STEP),
        restore: Some(early_help::restore_step),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: early_help::example_step,
        }),
    },
    Registration {
        name: early_help::MENU,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: handover::NAME,
        draft_form: Some(handover::NAME),
        restore: Some(handover::restore),
        example: Some(Example {
            login: "dabrowska",
            open: handover::example,
        }),
    },
    Registration {
        name: handover::MENU,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: withdrawal::NAME,
        draft_form: Some(withdrawal::NAME),
        restore: Some(withdrawal::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: withdrawal::example,
        }),
    },
    Registration {
        name: withdrawal::MENU,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: rota_form::NAME,
        draft_form: Some(rota_form::NAME),
        restore: Some(rota_form::restore),
        example: Some(Example {
            login: "tueshaus",
            open: rota_form::example,
        }),
    },
    Registration {
        name: record_form::MENU,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: "record-guardian",
        draft_form: Some("record-guardian"),
        restore: Some(record_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: record_form::example_guardian,
        }),
    },
    Registration {
        name: "record-child",
        draft_form: Some("record-child"),
        restore: Some(record_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: record_form::example_child,
        }),
    },
    Registration {
        name: "record-measure",
        draft_form: Some("record-measure"),
        restore: Some(record_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: record_form::example_measure,
        }),
    },
    Registration {
        name: help::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: question::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: case_form::NAME,
        draft_form: Some(super::form::DRAFT_FORM),
        restore: Some(case_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: case_form::example,
        }),
    },
    Registration {
        name: note::NAME,
        draft_form: Some(note::NAME),
        restore: Some(note::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: note::example,
        }),
    },
    Registration {
        name: consent::NAME,
        draft_form: Some(consent::NAME),
        restore: Some(consent::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: consent::example,
        }),
    },
    Registration {
        name: conflict::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: restrict::NAME,
        draft_form: None,
        restore: None,
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: restrict::example,
        }),
    },
    Registration {
        name: break_glass::NAME,
        draft_form: None,
        restore: None,
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: break_glass::example,
        }),
    },
    Registration {
        name: dpo_form::NAME,
        draft_form: None,
        restore: None,
        example: Some(Example {
            login: "wiemers",
            open: dpo_form::example,
        }),
    },
    Registration {
        name: transfer::NAME,
        draft_form: None,
        restore: None,
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: transfer::example,
        }),
    },
    Registration {
        name: conf_menu::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: conf_dialog::NAME,
        draft_form: Some(conf_dialog::MINUTES_DRAFT),
        restore: Some(conf_dialog::restore),
        example: Some(Example {
            login: conf_dialog::EXAMPLE_LOGIN,
            open: conf_dialog::example,
        }),
    },
    Registration {
        name: conf_dialog::POSTPONE_NAME,
        draft_form: Some(conf_dialog::POSTPONE_DRAFT),
        restore: Some(conf_dialog::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: conf_dialog::example_postpone,
        }),
    },
    Registration {
        name: conf_dialog::AGENDA_NAME,
        draft_form: Some(conf_dialog::AGENDA_NAME),
        restore: Some(conf_dialog::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: conf_dialog::example_agenda,
        }),
    },
    Registration {
        name: conf_dialog::ADDENDUM_NAME,
        draft_form: Some(conf_dialog::ADDENDUM_NAME),
        restore: Some(conf_dialog::restore),
        example: None,
    },
    Registration {
        name: conf_dialog::CANCEL_NAME,
        draft_form: Some(conf_dialog::CANCEL_DRAFT),
        restore: Some(conf_dialog::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: conf_dialog::example_cancel,
        }),
    },
    Registration {
        name: planning_form::NAME,
        draft_form: Some(planning_form::CONFERENCE_DRAFT),
        restore: Some(planning_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: planning_form::example,
        }),
    },
    Registration {
        name: referral_form::NAME,
        draft_form: Some(referral_form::REFERRAL_DRAFT),
        restore: Some(referral_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: referral_form::example,
        }),
    },
    Registration {
        name: step_menu::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: step_dialog::ADDENDUM,
        draft_form: Some(step_dialog::ADDENDUM_DRAFT),
        restore: Some(step_dialog::restore),
        example: Some(Example {
            login: crate::demo::DEMO_USER,
            open: step_dialog::addendum_example,
        }),
    },
    Registration {
        name: step_dialog::CONSULT_REQUEST,
        draft_form: Some(step_dialog::CONSULT_DRAFT),
        restore: Some(step_dialog::restore),
        example: Some(Example {
            login: "karaca",
            open: step_dialog::consult_request_example,
        }),
    },
    Registration {
        name: step_dialog::CONSULT_ADVICE,
        draft_form: Some(step_dialog::ADVICE_DRAFT),
        restore: Some(step_dialog::restore),
        example: Some(Example {
            login: "pieper",
            open: step_dialog::advice_example,
        }),
    },
    Registration {
        name: step_dialog::NAME,
        draft_form: Some(step_dialog::STEP_DRAFT),
        restore: Some(step_dialog::restore),
        example: Some(Example {
            login: "dabrowska",
            open: step_dialog::step_example,
        }),
    },
    Registration {
        name: staff_form::NAME,
        draft_form: Some(staff_form::NAME),
        restore: Some(staff_form::restore),
        example: Some(Example {
            login: crate::demo::DEMO_JA_ADMIN,
            open: staff_form::example,
        }),
    },
    Registration {
        name: ssh_keys::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: ssh_keys::ADD_NAME,
        draft_form: None,
        restore: None,
        example: Some(Example {
            login: crate::demo::DEMO_JA_ADMIN,
            open: ssh_keys::example,
        }),
    },
    Registration {
        name: admin_ask::NAME,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: referral_form::SEND_ASK,
        draft_form: None,
        restore: None,
        example: None,
    },
    Registration {
        name: "coop-plenary",
        draft_form: Some("coop-plenary"),
        restore: Some(coop_form::restore),
        example: Some(Example {
            login: "schwering",
            open: coop_form::example_plenary,
        }),
    },
    Registration {
        name: "coop-decision",
        draft_form: Some("coop-decision"),
        restore: Some(coop_form::restore),
        example: Some(Example {
            login: "schwering",
            open: coop_form::example_decision,
        }),
    },
    Registration {
        name: "coop-meeting",
        draft_form: Some("coop-meeting"),
        restore: Some(coop_form::restore),
        example: Some(Example {
            login: "schwering",
            open: coop_form::example_meeting,
        }),
    },
    Registration {
        name: "coop-training",
        draft_form: Some("coop-training"),
        restore: Some(coop_form::restore),
        example: Some(Example {
            login: "tueshaus",
            open: coop_form::example_training,
        }),
    },
    Registration {
        name: "coop-hospitation",
        draft_form: Some("coop-hospitation"),
        restore: Some(coop_form::restore),
        example: Some(Example {
            login: "tueshaus",
            open: coop_form::example_hospitation,
        }),
    },
    Registration {
        name: "coop-agreement",
        draft_form: Some("coop-agreement"),
        restore: Some(coop_form::restore),
        example: Some(Example {
            login: "schwering",
            open: coop_form::example_agreement,
        }),
    },
];

/// The registration that stores drafts under `form`.
pub fn by_draft_form(form: &str) -> Option<&'static Registration> {
    REGISTRY.iter().find(|r| r.draft_form == Some(form))
}

/// A framed box of `w`×`h` centred in `area`; returns the inside.
pub(crate) fn boxed(
    frame: &mut Frame<'_>,
    theme: crate::theme::Theme,
    area: Rect,
    (w, h): (u16, u16),
    title: &str,
) -> Rect {
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(theme.borders(Borders::ALL))
        .title(format!(" {title} "));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// A form of rows in a box nearly as wide as the screen and at most `max_h` high, with a
/// two-line hint above its rows (the case file's record, hand-over, withdrawal and rota
/// forms).
pub(crate) fn render_hinted_form(
    frame: &mut Frame<'_>,
    app: &App,
    (area, max_h): (Rect, u16),
    title: &str,
    hint: &str,
    editor: &super::rows::RowEditor,
) {
    let inner = boxed(
        frame,
        app.theme,
        area,
        (
            area.width.saturating_sub(2).max(1),
            area.height.saturating_sub(2).clamp(1, max_h.max(1)),
        ),
        title,
    );
    let [hint_area, body] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(2),
        ratatui::layout::Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(
        ratatui::widgets::Paragraph::new(hint)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .style(app.theme.dim()),
        hint_area,
    );
    crate::widgets::rows::render_rows(frame, app.theme, editor, body);
}

/// Puts a refusal's message at the first field of `editor` (a refusal of the store that
/// belongs to no one field).
pub(crate) fn error_at_first_field(editor: &mut super::rows::RowEditor, msg: String) {
    let key = editor
        .rows
        .iter()
        .find(|r| r.focusable())
        .map(|r| r.key.clone())
        .unwrap_or_default();
    editor.set_errors(vec![(key, msg)]);
}

/// Opens the first case file of the caseload, as `Enter` on the list does (examples).
pub(crate) fn open_first_case(app: &mut App) -> bool {
    let Some(id) = app.cases.list.current().map(|r| r.id) else {
        return false;
    };
    app.open_file(id);
    app.cases.file.as_ref().is_some_and(|f| f.case().id == id)
}
