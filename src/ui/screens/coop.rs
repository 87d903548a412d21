//! F5 Kooperation (docs/cooperation.md): the sections as tabs, the year, the alerts, then
//! the section as lines; the selected record in reverse video, kept in view. No colour
//! carries meaning: every state is a word.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::screens::coop::CoopSection;
use crate::domain::Agency;
use crate::domain::text::sanitize;
use crate::model::coop::{CoopAlert, CoopYear, Participant};
use crate::strings::Strings;
use crate::strings::coop::number;
use crate::widgets::{shorten, wrap_words};

/// ```text
/// Große Runde │ Besp… │ Fort… │ Hosp… │ Vere… │ Jahr…                       2026
/// ⚠ Die Kooperationsvereinbarung ist bis 09.01.2027 zu überprüfen.
/// Große Runde 2026 · Durchgeführt
/// ▶ Termin  Do 12.11.2026 13:00, 150 Min. · Rathaus Herten, Ratssaal
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let st = &app.coop;
    let alerts: Vec<String> = st
        .data
        .as_ref()
        .map(|d| {
            d.alerts
                .iter()
                .map(|a| alert_text(app.strings, a))
                .collect()
        })
        .unwrap_or_default();
    let alert_rows = u16::try_from(alerts.len())
        .unwrap_or(0)
        .min(area.height / 4);
    let [tabs, alert_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(alert_rows),
        Constraint::Min(1),
    ])
    .areas(area);
    render_sections(frame, app, tabs);
    let alert_lines: Vec<Line> = alerts
        .iter()
        .map(|a| Line::styled(shorten(a, usize::from(area.width)), app.theme.error()))
        .collect();
    frame.render_widget(Paragraph::new(alert_lines), alert_area);
    if let Some(msg) = &st.refused
        && (st.section == CoopSection::Report || st.data.is_none())
    {
        let lines: Vec<Line> = wrap_words(msg, usize::from(body.width))
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), body);
        return;
    }
    let width = usize::from(body.width);
    if st.section == CoopSection::Report {
        let Some(r) = &st.report else { return };
        let lines = crate::ui::report::lines(app.strings, r, body.width, !app.theme.accessible);
        let h = usize::from(body.height);
        let top = st.scroll.min(lines.len().saturating_sub(h));
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(top)
            .take(h)
            .map(|l| Line::from(shorten(&l, width)))
            .collect();
        frame.render_widget(Paragraph::new(shown), body);
        return;
    }
    let Some(d) = &st.data else { return };
    let rows = match st.section {
        CoopSection::Plenary => plenary(app.strings, d, width),
        CoopSection::Meetings => meetings(app.strings, d),
        CoopSection::Trainings => trainings(app.strings, d),
        CoopSection::Hospitations => hospitations(app.strings, d),
        CoopSection::Agreement => agreement(app.strings, d, width),
        CoopSection::Report => Vec::new(),
    };
    draw(frame, app, body, rows);
}

fn render_sections(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.coop;
    let current = app.coop.section.index();
    let year = (s.year_line)(app.coop.year);
    let room = usize::from(area.width).saturating_sub(year.chars().count() + 1);
    let full: usize = s
        .sections
        .iter()
        .map(|t| t.chars().count() + 3)
        .sum::<usize>()
        - 3;
    let compact = full > room;
    let short: usize = s
        .sections
        .iter()
        .enumerate()
        .map(|(i, t)| if i == current { t.chars().count() } else { 5 } + 3)
        .sum::<usize>()
        - 3;
    if compact && short > usize::from(area.width) {
        // Too narrow even for the short tabs: the section shown, its place, the year.
        let text = format!(
            "{} ({}/{}) · {year}",
            s.sections[current],
            current + 1,
            s.sections.len()
        );
        frame.render_widget(
            Paragraph::new(Line::styled(
                shorten(&text, usize::from(area.width)),
                app.theme.tab_active(),
            )),
            area,
        );
        return;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, title) in s.sections.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(
                format!(" {} ", app.theme.separator()),
                app.theme.dim(),
            ));
            used += 3;
        }
        let text = if compact && i != current && title.chars().count() > 5 {
            let short: String = title.chars().take(4).collect();
            format!("{short}…")
        } else {
            (*title).to_string()
        };
        used += text.chars().count();
        if i == current {
            spans.push(Span::styled(text, app.theme.tab_active()));
        } else {
            spans.push(Span::raw(text));
        }
    }
    let gap = usize::from(area.width).saturating_sub(used + year.chars().count());
    if gap > 0 {
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(year, app.theme.header()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn alert_text(s: &Strings, a: &CoopAlert) -> String {
    match a {
        CoopAlert::PlenaryDateMissing(y) => (s.coop.alert_plenary_date)(*y),
        CoopAlert::ReviewDue(d) => (s.coop.alert_review)(&d.format("%d.%m.%Y").to_string()),
        CoopAlert::DecisionsOverdue(n) => (s.coop.alert_decisions)(*n),
    }
}

/// One line of a section: its text, its style and the row it selects (if any).
struct Item {
    text: String,
    heading: bool,
    row: Option<usize>,
}

fn line(text: impl Into<String>) -> Item {
    Item {
        text: text.into(),
        heading: false,
        row: None,
    }
}

fn heading(text: impl Into<String>) -> Item {
    Item {
        text: text.into(),
        heading: true,
        row: None,
    }
}

fn row(text: impl Into<String>, i: usize) -> Item {
    Item {
        text: text.into(),
        heading: false,
        row: Some(i),
    }
}

/// Draws the lines, the selected row marked and kept in view.
fn draw(frame: &mut Frame<'_>, app: &App, area: Rect, items: Vec<Item>) {
    let h = usize::from(area.height);
    let w = usize::from(area.width);
    let at = items
        .iter()
        .position(|i| i.row == Some(app.coop.cursor))
        .unwrap_or(0);
    let top = if at >= h { at + 1 - h } else { 0 };
    let lines: Vec<Line> = items
        .into_iter()
        .skip(top)
        .take(h)
        .map(|i| {
            let selected = i.row.is_some() && i.row == Some(app.coop.cursor);
            let marker = match (i.row, selected) {
                (Some(_), true) => "▶ ",
                (Some(_), false) => "  ",
                (None, _) => "",
            };
            let text = shorten(&format!("{marker}{}", sanitize(&i.text, false)), w);
            let style = if selected {
                app.theme.selected()
            } else if i.heading {
                app.theme.header()
            } else {
                Style::default()
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn names(list: &[Participant], stelle: Agency) -> String {
    list.iter()
        .filter(|p| p.stelle == stelle)
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

fn when(t: chrono::NaiveDateTime) -> String {
    t.format("%d.%m.%Y %H:%M").to_string()
}

fn plenary(s: &Strings, d: &CoopYear, width: usize) -> Vec<Item> {
    let c = s.coop;
    let l = c.plenary_labels;
    let mut out = Vec::new();
    let Some(p) = &d.plenary else {
        out.push(row((c.no_plenary)(d.year), 0));
        if !d.carried.is_empty() {
            out.push(heading(l[7]));
            for (i, dec) in d.carried.iter().enumerate() {
                push_decision(&mut out, s, dec, i + 1);
            }
        }
        return out;
    };
    let date = p.start.map_or_else(
        || c.not_set.to_string(),
        |t| format!("{}, {} Min.", when(t), p.duration_min),
    );
    out.push(row(
        format!(
            "{} {} · {} · {date}",
            c.sections[0],
            p.year,
            (c.plenary_status)(p.status)
        ),
        0,
    ));
    if !p.location.is_empty() {
        out.push(line(format!("  {}: {}", l[1], p.location)));
    }
    for (code, stelle) in [("JC", Agency::Jobcenter), ("JA", Agency::Jugendamt)] {
        let n = names(&p.participants, stelle);
        if !n.is_empty() {
            for (i, part) in wrap_words(&format!("{}: {code} {n}", l[3]), width.saturating_sub(2))
                .into_iter()
                .enumerate()
            {
                out.push(line(format!(
                    "{}{part}",
                    if i == 0 { "  " } else { "    " }
                )));
            }
        }
    }
    if let Some(by) = &p.approved_by {
        out.push(line(format!("  {}: {by}", l[8])));
    }
    out.push(heading(l[4]));
    for item in &p.agenda {
        out.push(line(format!("  {:>2}. {}", item.no, item.title)));
    }
    if !p.minutes.trim().is_empty() {
        out.push(heading(l[5]));
        for m in p.minutes.lines().take(4) {
            out.push(line(format!("  {m}")));
        }
    }
    out.push(heading(l[6]));
    let mut i = 1;
    for dec in &p.decisions {
        push_decision(&mut out, s, dec, i);
        i += 1;
    }
    if !d.carried.is_empty() {
        out.push(heading(l[7]));
        for dec in &d.carried {
            push_decision(&mut out, s, dec, i);
            i += 1;
        }
    }
    out
}

/// A decision: its state and words on the selectable line, who and by when below it.
fn push_decision(out: &mut Vec<Item>, s: &Strings, d: &crate::model::coop::Decision, i: usize) {
    out.push(row(
        format!("[{}] {}", (s.coop.decision_status)(d.status), d.text),
        i,
    ));
    let due = d
        .due_on
        .map(|x| format!(" · {} {}", s.coop.due, x.format("%d.%m.%Y")))
        .unwrap_or_default();
    out.push(line(format!("      {}{due}", d.owner)));
}

fn meetings(s: &Strings, d: &CoopYear) -> Vec<Item> {
    let c = s.coop;
    if d.meetings.is_empty() {
        return vec![line(c.empty)];
    }
    let mut out = Vec::new();
    for (i, m) in d.meetings.iter().enumerate() {
        out.push(row(
            format!(
                "{} · {} · {} ({}, {} {})",
                m.start.format("%d.%m.%Y"),
                (c.event_status)(m.status),
                m.title,
                (c.meeting_kind)(m.kind),
                m.participants.len(),
                c.meeting_columns[4]
            ),
            i,
        ));
    }
    out
}

fn trainings(s: &Strings, d: &CoopYear) -> Vec<Item> {
    let c = s.coop;
    if d.trainings.is_empty() {
        return vec![line(c.empty)];
    }
    let mut out = Vec::new();
    let (mut jc, mut ja) = (0u64, 0u64);
    for (i, t) in d.trainings.iter().enumerate() {
        if t.status == crate::domain::coop::EventStatus::Held {
            jc += t.participant_tenths(Agency::Jobcenter);
            ja += t.participant_tenths(Agency::Jugendamt);
        }
        let joint = if t.joint {
            format!(", {}", c.training_columns[4])
        } else {
            String::new()
        };
        out.push(row(
            format!(
                "{} · {} · {} ({} {}, {}{joint})",
                t.start.format("%d.%m.%Y"),
                (c.event_status)(t.status),
                t.title,
                number(c.decimal_comma, f64::from(t.hours_tenths) / 10.0, 1),
                c.training_columns[2],
                (c.training_format)(t.format),
            ),
            i,
        ));
    }
    #[allow(clippy::cast_precision_loss)]
    let hours = |t: u64| number(c.decimal_comma, t as f64 / 10.0, 1);
    out.push(line(""));
    out.push(line((c.participant_hours)(&hours(jc), &hours(ja))));
    out
}

fn hospitations(s: &Strings, d: &CoopYear) -> Vec<Item> {
    let c = s.coop;
    let mut out = Vec::new();
    if d.hospitations.is_empty() {
        out.push(line(c.empty));
    }
    for (i, h) in d.hospitations.iter().enumerate() {
        let pledge = h.pledge_on.map_or_else(
            || format!("{}: –", c.hospitation_columns[5]),
            |p| format!("{} {}", c.hospitation_columns[5], p.format("%d.%m.%Y")),
        );
        out.push(row(
            format!(
                "{}–{} · {} · {} → {} · {} ({}, {pledge})",
                h.from.format("%d.%m."),
                h.to.format("%d.%m.%Y"),
                (c.hospitation_status)(h.status),
                (s.agency_short)(h.home),
                (s.agency_short)(h.host),
                h.guest,
                (c.days)(h.days),
            ),
            i,
        ));
    }
    let (a, b) = d.reciprocity();
    out.push(line(""));
    out.push(line((c.reciprocity)(a, b)));
    out
}

fn agreement(s: &Strings, d: &CoopYear, width: usize) -> Vec<Item> {
    let c = s.coop;
    let l = c.agreement_labels;
    if d.agreements.is_empty() {
        return vec![line(c.empty)];
    }
    let mut out = Vec::new();
    for (i, a) in d.agreements.iter().enumerate() {
        let review = a.review_on.map_or_else(String::new, |r| {
            format!(" · {} {}", l[4], r.format("%d.%m.%Y"))
        });
        out.push(row(
            format!(
                "{} · {} {}{review}",
                a.label,
                l[1],
                a.valid_from.format("%d.%m.%Y")
            ),
            i,
        ));
        for (label, text) in [(l[2], &a.signatories), (l[3], &a.annexes)] {
            if !text.is_empty() {
                for (k, part) in wrap_words(&format!("{label}: {text}"), width.saturating_sub(4))
                    .into_iter()
                    .enumerate()
                {
                    out.push(line(format!(
                        "{}{part}",
                        if k == 0 { "    " } else { "      " }
                    )));
                }
            }
        }
        if !a.commitments.is_empty() {
            out.push(line(format!("    {}:", l[5])));
            for k in &a.commitments {
                out.push(line(format!("      – {}", k.text)));
            }
        }
    }
    out
}
