//! Child protection: the list (inbox), one referral, the anonymous consultations, and the
//! on-call view (F6). The referral form, the step menu and the step dialogs draw themselves
//! as layers (`app/layers/referral_form.rs`, `step_menu.rs`, `step_dialog.rs`).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::screens::cp::CpView;
use crate::domain::date::{age_on, format_german_date};
use crate::domain::early_help::{EhSide, EhState};
use crate::domain::referral::{DeadlineState, StepAnswer, format_due};
use crate::domain::text::sanitize;
use crate::domain::tz;
use crate::model::early_help::EhRequest;
use crate::model::referral::ReferralRow;
use crate::strings::cp::CpField;
use crate::widgets::wrap_words;

fn clean(s: &str) -> String {
    sanitize(s, false)
}

fn children_text(app: &App, row: &ReferralRow) -> String {
    let today = tz::to_local(app.now()).date();
    row.children
        .iter()
        .map(|(name, birth)| match birth {
            Some(b) => format!("{} ({})", clean(name), age_on(*b, today)),
            None => clean(name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn deadline_span(app: &App, row: &ReferralRow, now: DateTime<Utc>) -> Span<'static> {
    let s = app.strings.cp;
    match row.deadline {
        Some(d) => {
            let minutes = d.remaining(now).num_minutes();
            let text = format!("{}: {}", (s.clock)(d.clock), (s.remaining)(minutes));
            let style = match d.state(now) {
                DeadlineState::Overdue => app.theme.error(),
                DeadlineState::Soon => app.theme.key(),
                DeadlineState::Ok => Style::default(),
            };
            let marker = match d.state(now) {
                DeadlineState::Overdue => "!! ",
                DeadlineState::Soon => "! ",
                DeadlineState::Ok => "",
            };
            Span::styled(format!("{marker}{text}"), style)
        }
        None => Span::raw(
            row.feedback
                .map_or_else(String::new, |f| (s.feedback)(f).to_string()),
        ),
    }
}

fn urgency_span(app: &App, row: &ReferralRow) -> Span<'static> {
    let s = app.strings.cp;
    let label = row
        .class
        .map_or_else(|| (s.urgency)(row.urgency), |c| (s.class)(c));
    let style = if row.urgency == crate::domain::referral::Urgency::Acute {
        app.theme.error()
    } else {
        Style::default()
    };
    Span::styled(label.to_string(), style)
}

/// The child-protection screen.
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    match app.cp.view {
        CpView::List => render_list(frame, app, area),
        CpView::Detail => render_detail(frame, app, area),
    }
}

/// ```text
/// Eingang Kinderschutz · 4 offen
/// ▶ akut      Emily (3), Noah (0)   Gesendet     !! Eingang: überfällig 11 Std.
///             Meldung von Sabine Brinkmann · 24.11.2026 22:10
/// ```
fn render_list(frame: &mut Frame<'_>, app: &App, area: Rect) {
    if app.cp.eh_mode {
        render_early_help(frame, app, area);
        return;
    }
    if app.cp.withdrawals_mode {
        render_withdrawals(frame, app, area);
        return;
    }
    if app.cp.consults_mode {
        render_consults(frame, app, area);
        return;
    }
    let s = app.strings.cp;
    let now = app.now();
    let ja = app.me.agency == crate::domain::Agency::Jugendamt;
    let title = if ja { s.titles.inbox } else { s.titles.list };
    let open = app.cp.rows.iter().filter(|r| r.status.is_open()).count();
    let mut lines = vec![Line::styled(
        format!("{title} · {open}/{}", app.cp.rows.len()),
        app.theme.header(),
    )];
    // New information at benefit withdrawal waits for its receipt (docs/casework.md § 9).
    let new = app
        .cp
        .withdrawals
        .iter()
        .filter(|n| ja && n.ja_ref.is_none())
        .count();
    if new > 0 {
        lines.push(Line::styled(
            (app.strings.withdrawal.new_count)(new),
            app.theme.error(),
        ));
    }
    // The reporter's overdue akut referral: the warning and the numbers come first.
    if let Some(w) = app.reporter_overdue_warning(&app.cp.rows) {
        for l in crate::widgets::wrap_words(&w, usize::from(area.width.max(1))) {
            lines.push(Line::styled(l, app.theme.error()));
        }
    }
    if app.cp.rows.is_empty() {
        lines.push(Line::raw(s.empty));
    }
    // Each referral: its first line flows onto a second one rather than run off the edge
    // (a deadline or "ESKALIERT" is never cut), then the dim line of who and when.
    let width = usize::from(area.width);
    let blocks: Vec<Vec<Line<'static>>> = app
        .cp
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let selected = i == app.cp.cursor;
            let marker = if selected { "▶ " } else { "  " };
            let mut groups = vec![
                vec![Span::raw(marker), urgency_span(app, row)],
                vec![Span::raw(children_text(app, row))],
                vec![Span::styled(
                    (s.status)(row.status).to_string(),
                    app.theme.label(),
                )],
            ];
            // The reporter sees the deadline only when her akut referral is overdue.
            let mut warn = Vec::new();
            if ja || crate::app::screens::cp::is_reporter_overdue(row, now) {
                warn.push(deadline_span(app, row, now));
            } else if let Some(f) = row.feedback {
                warn.push(Span::raw((s.feedback)(f).to_string()));
            }
            if row.escalated {
                warn.push(Span::styled(
                    format!("  {}", s.escalated),
                    app.theme.error(),
                ));
            }
            groups.push(warn);
            let mut block = crate::widgets::flow(groups, width, 4);
            if selected {
                block = block
                    .into_iter()
                    .map(|l| l.style(app.theme.selected()))
                    .collect();
            }
            let mut second = format!(
                "    {} · {}",
                tz::format_local(row.sent_at),
                clean(&row.reporter)
            );
            if let Some(r) = &row.ja_ref {
                let _ = write!(second, " · {r}");
            }
            if let Some((step, who)) = &row.pending {
                second.push_str(" · ");
                second.push_str(&(s.waiting)((s.four_eyes)(*step), &clean(who)));
            }
            block.push(Line::styled(second, app.theme.dim()));
            block
        })
        .collect();
    let room = usize::from(area.height).saturating_sub(lines.len());
    lines.extend(crate::widgets::window(
        blocks,
        app.cp.cursor,
        room,
        app.strings.more_below,
        app.theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

/// ```text
/// Kinderschutz-Mitteilung KS-2026-0012 · akut · Eingegangen
/// Meldende Fachkraft: Sabine Brinkmann · 02366 0300 41 · erreichbar bis 23:30
/// Kinder: Emily (3) – bei der Mutter …
/// Tatsachen …
/// ```
fn render_detail(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some(r) = app.cp.detail.as_ref() else {
        return;
    };
    let s = app.strings.cp;
    let now = app.now();
    let width = usize::from(area.width.max(20));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let head = format!(
        "{}{} · {} · {}",
        s.titles.detail,
        r.row
            .ja_ref
            .as_ref()
            .map(|x| format!(" {x}"))
            .unwrap_or_default(),
        r.row
            .class
            .map_or_else(|| (s.urgency)(r.row.urgency), |c| (s.class)(c)),
        (s.status)(r.row.status)
    );
    lines.push(Line::styled(head, app.theme.header()));
    if r.row.deadline.is_some() {
        let mut spans = vec![deadline_span(app, &r.row, now)];
        if let Some(d) = r.row.deadline {
            spans.push(Span::raw(format!(" {}", (s.until)(&format_due(d.due)))));
        }
        if r.row.escalated {
            spans.push(Span::styled(
                format!("  {}", s.escalated),
                app.theme.error(),
            ));
        }
        lines.push(Line::from(spans));
    }
    if let Some(ja) = &r.ja
        && let Some(p) = &ja.pending
    {
        lines.push(Line::styled(
            (s.waiting)((s.four_eyes)(p.step), &clean(&p.by_name)),
            app.theme.key(),
        ));
    }
    let heading = |lines: &mut Vec<Line<'static>>, t: &str| {
        lines.push(Line::raw(""));
        lines.push(Line::styled(t.to_string(), app.theme.label()));
    };
    let para = |lines: &mut Vec<Line<'static>>, t: &str| {
        for l in t.split('\n') {
            for w in wrap_words(&clean(l), width.saturating_sub(2)) {
                lines.push(Line::raw(format!("  {w}")));
            }
        }
    };
    heading(&mut lines, s.detail[0]);
    para(
        &mut lines,
        &format!(
            "{} · {} · {} {}",
            r.row.reporter, r.input.reporter_phone, s.reachable, r.input.reachable_until
        ),
    );
    para(
        &mut lines,
        &format!(
            "{}: {} · {}",
            (s.label)(CpField::LegalBasis),
            (s.basis)(r.input.legal_basis),
            tz::format_local(r.row.sent_at)
        ),
    );
    if let Some((t, who)) = &r.input.phoned_ahead {
        para(
            &mut lines,
            &format!(
                "{}: {} · {}",
                (s.label)(CpField::PhonedAt),
                t.format("%d.%m.%Y %H:%M"),
                who
            ),
        );
    }
    heading(&mut lines, s.detail[1]);
    let today = tz::to_local(now).date();
    for (i, c) in r.input.children.iter().enumerate() {
        let age = c
            .birth_date
            .map(|b| format!(" ({}, {})", format_german_date(b), age_on(b, today)))
            .unwrap_or_default();
        let result =
            r.ja.as_ref()
                .and_then(|j| j.results.get(i).copied().flatten())
                .map(|x| format!(" · {}", (s.result)(x)))
                .unwrap_or_default();
        para(
            &mut lines,
            &format!(
                "{} {}{age} – {}{}{result}",
                c.given_names,
                c.surname,
                c.whereabouts,
                if c.custody.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", c.custody)
                }
            ),
        );
    }
    if !r.input.household.is_empty() {
        para(
            &mut lines,
            &format!("{}: {}", (s.label)(CpField::Household), r.input.household),
        );
    }
    heading(&mut lines, s.detail[2]);
    para(&mut lines, &r.input.facts);
    if !r.input.verbatim.is_empty() {
        para(&mut lines, &format!("„{}“", r.input.verbatim));
    }
    if !r.input.assessment.is_empty() {
        heading(&mut lines, s.detail[3]);
        para(&mut lines, &r.input.assessment);
    }
    if !r.input.indicators.is_empty() {
        heading(&mut lines, s.detail[4]);
        // Per child, named by given name (docs/casework.md § 6).
        for (i, child) in r.input.children.iter().enumerate() {
            let mine: Vec<_> = r.input.indicators.iter().filter(|x| x.0 == i).collect();
            if mine.is_empty() {
                continue;
            }
            para(&mut lines, &format!("{}:", clean(&child.given_names)));
            for (_, a, rating) in mine {
                para(
                    &mut lines,
                    &format!("  {} {}", (s.rating)(*rating), (s.area)(*a)),
                );
            }
        }
    }
    heading(&mut lines, s.detail[5]);
    for (step, answer) in &r.input.steps {
        let a = match answer {
            StepAnswer::Yes(d) => format!(
                "{} {}",
                s.yes_no_step[0].trim_end_matches(" …"),
                format_german_date(*d)
            ),
            StepAnswer::No(why) => format!("{} {}", s.yes_no_step[1].trim_end_matches(" …"), why),
        };
        para(&mut lines, &format!("{}: {a}", (s.step)(*step)));
    }
    if let Some(ja) = &r.ja {
        heading(&mut lines, s.detail[6]);
        if let Some(who) = &ja.received_by {
            para(&mut lines, &format!("{} · {}", (s.event)("receive"), who));
        }
        if let Some(n) = ja.next_step {
            para(&mut lines, &format!("→ {}", (s.next_step)(n)));
        }
        if let Some(due) = ja.contact_due {
            para(
                &mut lines,
                &format!(
                    "{}: {}",
                    (s.clock)(crate::domain::referral::Clock::Contact),
                    format_due(due)
                ),
            );
        }
        if let Some(f) = ja.follow_up {
            para(
                &mut lines,
                &format!("{}: {}", (s.event)("record_measures"), (s.follow_up)(f)),
            );
        }
        if let Some(t) = &ja.forwarded_to {
            para(&mut lines, &format!("{}: {t}", (s.event)("forward")));
        }
    }
    if r.row.feedback.is_some() || r.receipt_sent_at.is_some() {
        heading(&mut lines, s.detail[8]);
        if let Some(t) = r.receipt_sent_at {
            para(
                &mut lines,
                &format!("{} {}", (s.event)("receipt_sent"), tz::format_local(t)),
            );
        }
        if let Some(f) = r.row.feedback {
            para(&mut lines, (s.feedback)(f));
        }
        if let Some((confirmed, active)) = r.feedback_answer {
            let yn = if confirmed {
                app.strings.yes
            } else {
                app.strings.no
            };
            para(
                &mut lines,
                &format!(
                    "{}: {yn} · {}: {}",
                    s.dialog[4],
                    s.dialog[5],
                    (s.ja_active)(active)
                ),
            );
        }
        if let Some(why) = &r.feedback_reason {
            para(&mut lines, &format!("{}: {why}", s.dialog[2]));
        }
    }
    heading(&mut lines, s.detail[7]);
    for e in &r.events {
        let mut t = format!("{} {}", tz::format_local(e.at), (s.event)(&e.kind));
        if !e.by.is_empty() {
            let _ = write!(t, " · {}", e.by);
        }
        if let Some(sec) = &e.second {
            let _ = write!(t, " + {sec}");
        }
        if !e.detail.is_empty()
            && matches!(
                e.kind.as_str(),
                "addendum" | "forward" | "feedback_not_permitted"
            )
        {
            let _ = write!(t, ": {}", e.detail);
        }
        para(&mut lines, &t);
    }
    let scroll = app
        .cp
        .scroll
        .min(u16::try_from(lines.len().saturating_sub(1)).unwrap_or(0));
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

/// ```text
/// Bereitschaft – offene akute und dringende Mitteilungen
/// ▶ !! Eingang: überfällig 11 Std. 20 Min.  akut  Gesendet
///      Kinder: Emily (3), Noah (0)
///      Meldung: Sabine Brinkmann ☎ 02366 0300 41 bis 23:30
///      Zuletzt: 24.11.2026 22:10 Gesendet
/// ```
pub fn render_oncall(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.cp;
    let now = app.now();
    let width = usize::from(area.width);
    let mut lines = vec![Line::styled(
        s.titles.oncall.chars().take(width).collect::<String>(),
        app.theme.header(),
    )];
    // The reporter has no on-call list, but her overdue akut referral is not "nothing".
    let reporter = if app.me.agency == crate::domain::Agency::Jobcenter {
        app.reporter_overdue_warning(&app.cp.rows)
    } else {
        None
    };
    // Who is on call now and next (docs/casework.md § 5).
    for l in crate::widgets::wrap_words(&app.rota_line(), width.max(1)) {
        lines.push(Line::styled(l, app.theme.dim()));
    }
    let off_shift = app.me.has_role(crate::domain::Role::JaOncall)
        && !app.me.has_role(crate::domain::Role::Lead)
        && !app.cp.on_shift;
    // Outside the shift only the worker's own referrals are listed (docs/casework.md § 5).
    if off_shift {
        for l in crate::widgets::wrap_words(app.strings.casework.off_shift, width.max(1)) {
            lines.push(Line::raw(l));
        }
    }
    if let Some(w) = &reporter {
        for l in crate::widgets::wrap_words(w, width.max(1)) {
            lines.push(Line::styled(l, app.theme.error()));
        }
    } else if app.cp.oncall.is_empty() {
        lines.push(Line::raw(s.oncall_empty));
    }
    let blocks: Vec<Vec<Line<'static>>> = app
        .cp
        .oncall
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let selected = i == app.cp.oncall_cursor;
            // The deadline and "ESKALIERT" first; what does not fit moves to the next line.
            let mut warn = vec![
                Span::raw(if selected { "▶ " } else { "  " }),
                deadline_span(app, row, now),
            ];
            if row.escalated {
                warn.push(Span::styled(
                    format!("  {}", s.escalated),
                    app.theme.error(),
                ));
            }
            let groups = vec![
                warn,
                vec![urgency_span(app, row)],
                vec![Span::raw((s.status)(row.status).to_string())],
            ];
            let mut block = crate::widgets::flow(groups, width, 3);
            if selected {
                block = block
                    .into_iter()
                    .map(|l| l.style(app.theme.selected()))
                    .collect();
            }
            block.push(Line::raw(format!(
                "   {}: {}",
                s.detail[1],
                children_text(app, row)
            )));
            block.push(Line::raw(format!(
                "   {} ☎ {} · {} {}",
                clean(&row.reporter),
                clean(&row.reporter_phone),
                s.reachable,
                clean(&row.reachable_until)
            )));
            let last = row
                .last_step
                .as_ref()
                .map(|(k, t)| format!("   {} {}", tz::format_local(*t), (s.event)(k)))
                .unwrap_or_default();
            block.push(Line::styled(last, app.theme.dim()));
            block
        })
        .collect();
    let room = usize::from(area.height).saturating_sub(lines.len());
    lines.extend(crate::widgets::window(
        blocks,
        app.cp.oncall_cursor,
        room,
        app.strings.more_below,
        app.theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

/// ```text
/// Anonyme Fallberatungen (§ 8b SGB VIII) · 8
/// ▶ AB-2026-0001  3–5 Jahre  Angefragt   25.11.2026 10:30 · Sabine Brinkmann
///   AB-2026-0002  0–2 Jahre  Beraten: weitere Beobachtung
/// ── Sachverhalt … / Empfehlung …
/// ```
fn render_consults(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.cp;
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Min(3)]).areas(area);
    let mut lines = vec![Line::styled(
        format!("{} · {}", s.consults, app.cp.consults.len()),
        app.theme.header(),
    )];
    if app.cp.consults.is_empty() {
        lines.push(Line::raw(s.consults_empty));
    }
    let visible = usize::from(list_area.height.saturating_sub(1)).max(1);
    let first = app
        .cp
        .consult_cursor
        .saturating_sub(visible.saturating_sub(1));
    for (i, c) in app.cp.consults.iter().enumerate().skip(first).take(visible) {
        let selected = i == app.cp.consult_cursor;
        let result = c
            .result
            .map(|r| format!(": {}", (s.consult_result)(r)))
            .unwrap_or_default();
        let text = crate::widgets::shorten(
            &format!(
                "{}{}  {}  {}{result}  · {} · {}",
                if selected { "▶ " } else { "  " },
                c.code,
                (s.age_band)(c.age_band),
                (s.consult_status)(&c.status),
                tz::format_local(c.requested_at),
                clean(&c.requested_by)
            ),
            usize::from(list_area.width),
        );
        lines.push(if selected {
            Line::styled(text, app.theme.selected())
        } else {
            Line::raw(text)
        });
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(c) = app.cp.consults.get(app.cp.consult_cursor) {
        let width = usize::from(detail_area.width.max(20)).saturating_sub(2);
        let mut d = vec![Line::styled(
            s.consult_fields[1].to_string(),
            app.theme.label(),
        )];
        for w in wrap_words(&clean(&c.summary), width) {
            d.push(Line::raw(format!("  {w}")));
        }
        if !c.advice.is_empty() {
            let by = c.advised_by.as_deref().map(clean).unwrap_or_default();
            d.push(Line::styled(
                format!("{} · {by}", s.consult_fields[3]),
                app.theme.label(),
            ));
            for w in wrap_words(&clean(&c.advice), width) {
                d.push(Line::raw(format!("  {w}")));
            }
        }
        frame.render_widget(Paragraph::new(d), detail_area);
    }
}

/// ```text
/// Information bei Leistungsentzug · 2
/// ▶ Neu  Yilmaz, Mehmet (02.03.2004)  Information an das Jugendamt · 07.12.2026 10:00
///   In Prüfung  Krüger, Lea (11.01.2005) · 03.12.2026 09:12
/// Stand                Information an das Jugendamt
/// BG-Nummer            123456
/// ```
fn render_withdrawals(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let w = app.strings.withdrawal;
    let ja = app.me.agency == crate::domain::Agency::Jugendamt;
    // The list takes the lines it needs, at most two fifths; the detail the rest.
    let wanted = u16::try_from(app.cp.withdrawals.len().max(1) + 2).unwrap_or(u16::MAX);
    let [list_area, detail_area] = Layout::vertical([
        Constraint::Length(wanted.min(area.height * 2 / 5).max(2)),
        Constraint::Min(3),
    ])
    .areas(area);
    let mut lines = vec![Line::styled(
        format!("{} · {}", w.title, app.cp.withdrawals.len()),
        app.theme.header(),
    )];
    if app.cp.withdrawals.is_empty() {
        lines.push(Line::raw(w.empty));
    }
    let visible = usize::from(list_area.height.saturating_sub(1)).max(1);
    let first = app
        .cp
        .withdrawal_cursor
        .saturating_sub(visible.saturating_sub(1));
    for (i, n) in app
        .cp
        .withdrawals
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
    {
        let selected = i == app.cp.withdrawal_cursor;
        let state = if ja {
            n.ja_ref.clone().unwrap_or_else(|| w.new.to_string())
        } else {
            (w.status)(n.status).to_string()
        };
        let when = n
            .decided_at
            .unwrap_or(n.opened.1)
            .format("%d.%m.%Y %H:%M")
            .to_string();
        let kind = if ja {
            format!(" {}", w.kind)
        } else {
            String::new()
        };
        let text = crate::widgets::shorten(
            &format!(
                "{}{state}  {} ({}){kind} · {when}",
                if selected { "▶ " } else { "  " },
                clean(&n.person),
                n.birth_date.format("%d.%m.%Y"),
            ),
            usize::from(list_area.width),
        );
        lines.push(if selected {
            Line::styled(text, app.theme.selected())
        } else if ja && n.ja_ref.is_none() {
            Line::styled(text, app.theme.error())
        } else {
            Line::raw(text)
        });
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(n) = app.cp.withdrawals.get(app.cp.withdrawal_cursor) {
        let width = usize::from(detail_area.width.max(20));
        let label_width = 24.min(width / 3);
        let mut d = Vec::new();
        for (label, text) in super::file::withdrawal_rows(app.strings, n) {
            let text = clean(&text);
            let room = width.saturating_sub(label_width + 1).max(8);
            for (k, part) in wrap_words(&text, room).into_iter().enumerate() {
                let head = if k == 0 { label } else { "" };
                d.push(Line::from(vec![
                    Span::styled(format!("{head:<label_width$} "), app.theme.label()),
                    Span::raw(part),
                ]));
            }
        }
        frame.render_widget(Paragraph::new(d), detail_area);
    }
}

/// The last day of a deadline that ends at 24:00 of it, as "30.11.2026".
fn due_day(at: DateTime<Utc>) -> String {
    format_german_date(tz::to_local(at - chrono::Duration::minutes(1)).date())
}

/// The deadline of a request in words, and whether it has passed.
fn eh_due(app: &App, r: &EhRequest) -> Option<(String, bool)> {
    let (kind, at) = r.due?;
    let overdue = at <= app.now();
    Some((
        (app.strings.early_help.due)(kind, &due_day(at), overdue),
        overdue,
    ))
}

/// The label/value rows of one request as its reader may read it; the flag marks a row
/// that needs attention (a revoked consent, a passed deadline).
pub fn eh_detail_rows(app: &App, r: &EhRequest) -> Vec<(&'static str, String, bool)> {
    let e = app.strings.early_help;
    let f = e.field;
    let cp = app.strings.cp;
    let join = |v: Vec<&str>| v.join(", ");
    let mut rows: Vec<(&'static str, String, bool)> = Vec::new();
    // Only the Jobcenter learns whether the referral was sent yet.
    let jc = matches!(r.side, EhSide::Requester | EhSide::JcLead);
    let state = match r.state {
        EhState::Converted if jc => (e.converted)(r.referral_id),
        s => (e.state)(s).to_string(),
    };
    rows.push((f("state"), state, false));
    if let Some(on) = r.revoked_on {
        rows.push(("", (e.revoked)(&format_german_date(on)), true));
    }
    if let Some((text, overdue)) = eh_due(app, r) {
        rows.push((f("due"), text, overdue));
    }
    if let Some(by) = &r.requested_by {
        rows.push((f("requested_by"), clean(by), false));
    }
    if let Some(at) = r.sent_at {
        rows.push((f("sent_at"), tz::format_local(at), false));
    }
    if let Some(by) = &r.taken_by {
        rows.push((f("taken_by"), clean(by), false));
    }
    if let Some(n) = &r.parent_name {
        rows.push((f("parent_name"), clean(n), false));
    }
    if let Some(c) = r.parent_contact.as_deref().filter(|c| !c.is_empty()) {
        rows.push((f("parent_contact"), clean(c), false));
    }
    if let Some(p) = r.contact_pref.as_ref().filter(|p| !p.is_empty()) {
        let mut text = join(p.iter().map(|x| (e.pref)(*x)).collect());
        if let Some(t) = r.best_times.as_deref().filter(|t| !t.is_empty()) {
            let _ = write!(text, " · {}", clean(t));
        }
        rows.push((f("contact_pref"), text, false));
    }
    if let Some(children) = &r.children {
        let text = children
            .iter()
            .map(|c| {
                if c.first_name.is_empty() {
                    (e.band)(c.band).to_string()
                } else {
                    format!("{} ({})", clean(&c.first_name), (e.band)(c.band))
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        rows.push((cp.sections[1], text, false));
    }
    if let Some(c) = r.concerns.as_ref().filter(|c| !c.is_empty()) {
        rows.push((
            f("concerns"),
            join(c.iter().map(|x| (e.concern)(*x)).collect()),
            false,
        ));
    }
    if let Some(w) = r.own_words.as_deref().filter(|w| !w.is_empty()) {
        rows.push((f("own_words"), format!("„{}“", sanitize(w, true)), false));
    }
    if let Some(on) = r.talk_on {
        rows.push((f("talk_on"), format_german_date(on), false));
    }
    if let Some(c) = &r.consent {
        let mut text = format!(
            "{} · {}: {}",
            format_german_date(c.signed_on),
            f("feedback"),
            if c.feedback { e.yes_no[0] } else { e.yes_no[1] }
        );
        if !c.document_ref.is_empty() {
            let _ = write!(text, " · {}", clean(&c.document_ref));
        }
        rows.push((f("signed_on"), text, false));
    }
    if !r.passed_data.is_empty() {
        let text = join(r.passed_data.iter().map(|d| (e.data)(*d)).collect());
        rows.push((f("passed"), text, r.revoked_on.is_some()));
    }
    if let Some(on) = r.declined_on {
        rows.push((f("declined_on"), format_german_date(on), false));
        rows.push(("", e.declined_offer.to_string(), false));
    }
    if let Some(on) = r.follow_up_on {
        rows.push((f("follow_up_on"), format_german_date(on), false));
    }
    if let Some(on) = r.first_contact_on {
        rows.push((f("first_contact_on"), format_german_date(on), false));
    }
    if let Some((start, end, room)) = &r.joint {
        let mut text = format!(
            "{} {}–{}",
            format_german_date(start.date()),
            start.format("%H:%M"),
            end.format("%H:%M")
        );
        if !room.is_empty() {
            let _ = write!(text, " · {}", clean(room));
        }
        rows.push((f("joint"), text, false));
    }
    if let Some(o) = r.outcome {
        let mut text = (e.outcome)(o).to_string();
        if let Some(h) = r.help_kind {
            let _ = write!(text, ": {}", (e.help)(h));
        }
        rows.push((f("outcome"), text, false));
    } else if r.side == EhSide::Requester
        && r.sent_at.is_some()
        && r.consent.as_ref().is_some_and(|c| !c.feedback)
    {
        rows.push((f("outcome"), e.no_feedback.to_string(), false));
    }
    if let Some(ind) = r.indicators.as_ref().filter(|i| !i.is_empty()) {
        let names: Vec<String> = r
            .children
            .as_ref()
            .map(|c| c.iter().map(|c| clean(&c.first_name)).collect())
            .unwrap_or_default();
        let text = ind
            .iter()
            .map(|i| {
                let who = names
                    .get(i.child)
                    .filter(|n| !n.is_empty())
                    .cloned()
                    .unwrap_or_else(|| (e.child)(i.child + 1));
                format!("{who}: {} {}", (cp.area)(i.area), (cp.rating)(i.rating))
            })
            .collect::<Vec<_>>()
            .join("; ");
        rows.push((f("indicators"), text, false));
    }
    if let Some(p) = r.guide_path {
        let mut text = (e.path)(p).to_string();
        if let Some(reason) = r.path_reason.as_deref().filter(|x| !x.is_empty()) {
            let _ = write!(text, " · {}: {}", f("reason"), sanitize(reason, true));
        }
        rows.push((f("guide"), text, false));
    }
    if let Some(facts) = r.facts.as_deref().filter(|x| !x.is_empty()) {
        rows.push((f("facts"), sanitize(facts, true), false));
    }
    rows
}

/// ```text
/// Frühe Hilfen: Kontaktvermittlungen · 3
/// ▶ FH-4  Kontaktanfrage gesendet  Jana Testmann  Übernahme bis 30.11.2026
///   FH-3  Gespräch geführt  Lea Krüger
/// Stand                Kontaktanfrage gesendet
/// Name der Eltern      Jana Testmann
/// ```
fn render_early_help(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let e = app.strings.early_help;
    let ja = app.me.agency == crate::domain::Agency::Jugendamt;
    let wanted = u16::try_from(app.cp.eh_rows.len().max(1) + 2).unwrap_or(u16::MAX);
    let [list_area, detail_area] = Layout::vertical([
        Constraint::Length(wanted.min(area.height * 2 / 5).max(2)),
        Constraint::Min(3),
    ])
    .areas(area);
    let title = if ja { e.inbox } else { e.title };
    let mut head = format!("{title} · {}", app.cp.eh_rows.len());
    let new = app.early_help_new();
    if new > 0 {
        let _ = write!(head, " · {}", (e.new_count)(new));
    }
    let mut lines = vec![Line::styled(head, app.theme.header())];
    if app.cp.eh_rows.is_empty() {
        lines.push(Line::raw(if ja { e.inbox_empty } else { e.empty }));
    }
    let visible = usize::from(list_area.height.saturating_sub(1)).max(1);
    let first = app.cp.eh_cursor.saturating_sub(visible.saturating_sub(1));
    for (i, r) in app.cp.eh_rows.iter().enumerate().skip(first).take(visible) {
        let selected = i == app.cp.eh_cursor;
        let who = r.parent_name.as_deref().map(clean).unwrap_or_default();
        let due = eh_due(app, r);
        let mut text = format!(
            "{}FH-{}  {}  {who}",
            if selected { "▶ " } else { "  " },
            r.id,
            (e.state)(r.state)
        );
        if let Some((d, _)) = &due {
            let _ = write!(text, "  {d}");
        }
        let text = crate::widgets::shorten(&text, usize::from(list_area.width));
        let alert = due.is_some_and(|(_, o)| o)
            || (r.side == EhSide::EarlyHelp && r.state == EhState::Requested);
        lines.push(if selected {
            Line::styled(text, app.theme.selected())
        } else if alert {
            Line::styled(text, app.theme.error())
        } else {
            Line::raw(text)
        });
    }
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(r) = app.cp.eh_rows.get(app.cp.eh_cursor) {
        let width = usize::from(detail_area.width.max(20));
        let label_width = 22.min(width / 3);
        let mut d = Vec::new();
        for (label, text, alert) in eh_detail_rows(app, r) {
            let room = width.saturating_sub(label_width + 1).max(8);
            let style = if alert {
                app.theme.error()
            } else {
                Style::default()
            };
            for (k, part) in wrap_words(&text, room).into_iter().enumerate() {
                let head = if k == 0 { label } else { "" };
                d.push(Line::from(vec![
                    Span::styled(format!("{head:<label_width$} "), app.theme.label()),
                    Span::styled(part, style),
                ]));
            }
        }
        frame.render_widget(Paragraph::new(d), detail_area);
    }
}
