//! The fields of each step's dialog (docs/domain.md 4.5, 4.6).

use crate::app::App;
use crate::app::rows::{RowItem, options};
use crate::domain::referral::{
    AgeBand, AssessmentResult, Classification, ConsultResult, DirectImpression, FollowUp, JaActive,
    NextStep, is_ja_professional,
};
use crate::domain::{Agency, Role, Staff};
use crate::strings::cp::{CpField, MenuItem};

/// The rows of step `item`'s dialog; None for the steps that are taken at once.
pub(super) fn rows(app: &mut App, item: MenuItem) -> Option<Vec<RowItem>> {
    let s = app.strings.cp;
    Some(match item {
        MenuItem::Receive
        | MenuItem::Clarify
        | MenuItem::Close
        | MenuItem::Confirm
        | MenuItem::Decline => return None,
        MenuItem::Forward => vec![RowItem::line("text", s.dialog[1], "")],
        MenuItem::FeedbackNotPermitted => vec![RowItem::line("text", s.dialog[2], "")],
        MenuItem::Addendum => vec![RowItem::text("text", s.dialog[3], "")],
        MenuItem::ConsultRequest => vec![
            RowItem::choice(
                "band",
                s.consult_fields[0],
                options(AgeBand::ALL, AgeBand::code, s.age_band, None),
                "",
            ),
            RowItem::text("text", s.consult_fields[1], ""),
        ],
        MenuItem::ConsultAdvise => vec![
            RowItem::choice(
                "result",
                s.consult_fields[2],
                options(
                    ConsultResult::ALL,
                    ConsultResult::code,
                    s.consult_result,
                    None,
                ),
                "",
            ),
            RowItem::text("text", s.consult_fields[3], ""),
        ],
        MenuItem::Measures => vec![RowItem::choice(
            "follow_up",
            (s.menu)(MenuItem::Measures),
            options(FollowUp::ALL, FollowUp::code, s.follow_up, None),
            "",
        )],
        MenuItem::Triage => {
            let class = app.cp.detail.as_ref().map_or("", |r| r.row.urgency.code());
            vec![
                RowItem::choice(
                    "class",
                    (s.label)(CpField::Class),
                    options(Classification::ALL, Classification::code, s.class, None),
                    class,
                ),
                RowItem::choice(
                    "next_step",
                    (s.label)(CpField::NextStep),
                    options(NextStep::ALL, NextStep::code, s.next_step, None),
                    "",
                ),
                second_row(app),
            ]
        }
        MenuItem::CloseAtTriage => vec![second_row(app)],
        MenuItem::Assess => assess_rows(app),
        MenuItem::Feedback => feedback_rows(app),
    })
}

/// "Zweite Fachkraft": the colleague asked to confirm a four-eyes step.
fn second_row(app: &mut App) -> RowItem {
    let all = app.store.active_staff().unwrap_or_default();
    let list: Vec<&Staff> = all
        .iter()
        .filter(|s| s.id != app.me.id && is_ja_professional(s))
        .collect();
    app.cp.colleagues = list.iter().map(|s| (s.id, s.display_name())).collect();
    let colleagues = list
        .iter()
        .map(|s| (s.id.0.to_string(), s.display_name()))
        .collect();
    RowItem::choice("second", app.strings.cp.dialog[0], colleagues, "")
}

/// The assessment: the direct impression, a result per child, the second professional.
fn assess_rows(app: &mut App) -> Vec<RowItem> {
    let s = app.strings.cp;
    let mut rows = vec![RowItem::choice(
        "impression",
        (s.label)(CpField::Impression),
        options(
            DirectImpression::ALL,
            DirectImpression::code,
            s.impression,
            None,
        ),
        "",
    )];
    let children: Vec<String> = app
        .cp
        .detail
        .as_ref()
        .map(|r| {
            r.input
                .children
                .iter()
                .map(|c| c.given_names.clone())
                .collect()
        })
        .unwrap_or_default();
    for (i, name) in children.iter().enumerate() {
        rows.push(RowItem::choice(
            &format!("result.{i}"),
            name,
            options(
                AssessmentResult::ALL,
                AssessmentResult::code,
                s.result,
                None,
            ),
            "",
        ));
    }
    rows.push(second_row(app));
    rows
}

/// The feedback to the reporter: confirmed, whether the Jugendamt is active, and the lead
/// who confirms it.
fn feedback_rows(app: &App) -> Vec<RowItem> {
    let s = app.strings.cp;
    let leads: Vec<(String, String)> = app
        .store
        .active_staff()
        .unwrap_or_default()
        .into_iter()
        .filter(|x| x.agency == Agency::Jugendamt && x.has_role(Role::Lead) && x.id != app.me.id)
        .map(|x| (x.id.0.to_string(), x.display_name()))
        .collect();
    vec![
        RowItem::choice(
            "confirmed",
            s.dialog[4],
            vec![
                ("yes".into(), app.strings.yes.into()),
                ("no".into(), app.strings.no.into()),
            ],
            "yes",
        ),
        RowItem::choice(
            "ja_active",
            s.dialog[5],
            options(JaActive::ALL, JaActive::code, s.ja_active, None),
            "",
        ),
        RowItem::choice("second", s.dialog[0], leads, ""),
    ]
}
