//! The conference screen (F3): agenda, week view and one conference. The planning form, the
//! step menu and the step dialogs are layers and draw themselves (docs/architecture.md § 4).

use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::app::screens::conf::{AgendaItem, ConfView};
use crate::domain::date::format_german_date;
use crate::domain::schedule::week_of;
use crate::domain::text::sanitize;
use crate::domain::tz;
use crate::strings::conf::ConfField;
use crate::widgets::wrap_words;

fn clean(s: &str) -> String {
    sanitize(s, false)
}

/// The conference screen.
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    match app.conf.view {
        ConfView::Agenda => render_agenda(frame, app, area),
        ConfView::Week => render_week(frame, app, area),
        ConfView::Detail => render_detail(frame, app, area),
    }
}

/// The one-line text of an agenda item (without the date).
fn item_text(app: &App, item: &AgendaItem) -> String {
    let s = app.strings.conf;
    match item {
        AgendaItem::Conference(i) => {
            let Some(r) = app.conf.rows.get(*i) else {
                return String::new();
            };
            let time = match (r.start, r.end()) {
                (Some(a), Some(b)) => format!("{}–{}", a.format("%H:%M"), b.format("%H:%M")),
                _ => "––:––".to_string(),
            };
            let who = if r.anonymised {
                s.anonymised.to_string()
            } else if r.person.is_empty() {
                (s.case_no)(r.case_id.0)
            } else {
                clean(&r.person)
            };
            let place = if r.location.is_empty() {
                String::new()
            } else {
                format!(" · {}", clean(&r.location))
            };
            // Most important first: narrow terminals shorten the end of the line.
            format!(
                "{time}  {} · {} – {who}{place}",
                (s.kind)(r.kind),
                (s.status)(r.status)
            )
        }
        AgendaItem::Appointment(i) => {
            let Some(a) = app.conf.mine.get(*i) else {
                return String::new();
            };
            let time = if a.end - a.start >= Duration::hours(23) {
                s.all_day.to_string()
            } else {
                format!("{}–{}", a.start.format("%H:%M"), a.end.format("%H:%M"))
            };
            let title = if a.title.is_empty() {
                (s.appointment)(a.kind).to_string()
            } else {
                clean(&a.title)
            };
            format!("{time}  {title}")
        }
    }
}

fn day_heading(app: &App, d: NaiveDate) -> String {
    let wd = app.strings.conf.weekdays[d.weekday().num_days_from_monday() as usize];
    format!("{wd} {}", format_german_date(d))
}

/// ```text
/// Termine und Fallkonferenzen
/// Di 01.12.2026
/// ▶ 10:00–11:30  Folgekonferenz – Müller, Jana · Raum 2.14 · Eingeladen
///   14:00–15:30  Besprechung
/// ```
fn render_agenda(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.conf;
    let mut lines: Vec<Line<'static>> = vec![Line::styled(s.titles.agenda, app.theme.header())];
    if app.conf.items.is_empty() {
        lines.push(Line::raw(s.empty));
    }
    let mut cursor_line = 0;
    let mut last_day: Option<Option<NaiveDate>> = None;
    for (i, item) in app.conf.items.iter().enumerate() {
        let work = i < app.conf.open_work;
        let day = app.item_start(item).map(|t| t.date());
        if work && i == 0 {
            // The work list: minutes or approval outstanding, each with its day.
            lines.push(Line::styled(s.open_work, app.theme.label()));
        } else if !work && last_day != Some(day) {
            let text = day.map_or_else(|| "–".to_string(), |d| day_heading(app, d));
            lines.push(Line::styled(text, app.theme.label()));
            last_day = Some(day);
        }
        let selected = i == app.conf.cursor;
        if selected {
            cursor_line = lines.len();
        }
        let dated = if work {
            day.map(|d| format!("{} ", d.format("%d.%m.")))
                .unwrap_or_default()
        } else {
            String::new()
        };
        lines.push(item_line(app, item, (selected, &dated), area.width));
    }
    scrolled(frame, lines, cursor_line, area);
}

/// One line of a list of appointments: the marker, `dated` and the item's text, most
/// important first; what does not fit is shortened at a word, never cut.
fn item_line(
    app: &App,
    item: &AgendaItem,
    (selected, dated): (bool, &str),
    width: u16,
) -> Line<'static> {
    let text = crate::widgets::shorten(
        &format!(
            "{}{dated}{}",
            if selected { "▶ " } else { "  " },
            item_text(app, item)
        ),
        usize::from(width),
    );
    if selected {
        Line::styled(text, app.theme.selected())
    } else {
        Line::raw(text)
    }
}

/// `lines` in `area`, scrolled so that line `cursor_line` is shown.
fn scrolled(frame: &mut Frame<'_>, lines: Vec<Line<'static>>, cursor_line: usize, area: Rect) {
    let h = usize::from(area.height.max(1));
    let top = cursor_line.saturating_sub(h.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(top).unwrap_or(0), 0)),
        area,
    );
}

/// ```text
/// Woche 30.11.2026 – 06.12.2026            Bild↑/Bild↓ Woche · w Liste
/// Mo 30.11.   │Di 01.12.   │Mi 02.12.   │Do 03.12.   │Fr 04.12.
/// 09:00 Bespr │10:00 Folge │            │            │
/// ```
fn render_week(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.conf;
    let today = tz::to_local(app.now()).date();
    let monday = app.conf.week.unwrap_or_else(|| week_of(today).0);
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(
                    "{} {} – {}   ",
                    s.titles.week,
                    format_german_date(monday),
                    format_german_date(monday + Duration::days(6))
                ),
                app.theme.header(),
            ),
            Span::styled(s.week_hint, app.theme.dim()),
        ])),
        title,
    );
    // Weekdays always; the weekend only when something is on it.
    let has_weekend = app.conf.items.iter().any(|it| {
        app.item_start(it).is_some_and(|t| {
            t.date() >= monday + Duration::days(5) && t.date() <= monday + Duration::days(6)
        })
    });
    let days = if has_weekend { 7 } else { 5 };
    if app.theme.accessible {
        week_linear(frame, app, body, (monday, days));
        return;
    }
    let cols = Layout::horizontal(vec![Constraint::Ratio(1, days); days as usize]).split(body);
    for d in 0..days {
        let day = monday + Duration::days(i64::from(d));
        let col = cols[d as usize];
        let w = usize::from(col.width.saturating_sub(1)).max(1);
        let head_style = if day == today {
            app.theme.tab_active()
        } else {
            app.theme.label()
        };
        let wd = s.weekdays[day.weekday().num_days_from_monday() as usize];
        let mut lines = vec![Line::styled(
            format!("{wd} {}", day.format("%d.%m."))
                .chars()
                .take(w)
                .collect::<String>(),
            head_style,
        )];
        if let Some(h) = crate::domain::calendar::WorkCalendar::holiday(day) {
            lines.push(Line::styled(
                (s.holiday)(h).chars().take(w).collect::<String>(),
                app.theme.dim(),
            ));
        }
        for (i, item) in app.conf.items.iter().enumerate() {
            if app.item_start(item).map(|t| t.date()) != Some(day) {
                continue;
            }
            // Two lines per item: the time, then what it is.
            let full = item_text(app, item);
            let (time, what) = full.split_once("  ").unwrap_or((full.as_str(), ""));
            let style = if i == app.conf.cursor {
                app.theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::styled(
                time.chars().take(w).collect::<String>(),
                style,
            ));
            lines.push(Line::styled(
                format!(" {}", what.trim())
                    .chars()
                    .take(w)
                    .collect::<String>(),
                style,
            ));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(Block::default().borders(app.theme.borders(Borders::RIGHT))),
            col,
        );
    }
}

/// The week in accessible mode: one linear reading order, the days one below the other,
/// each with its items, the selected one marked "▶" (docs/accessibility.md § 2).
fn week_linear(frame: &mut Frame<'_>, app: &App, area: Rect, (monday, days): (NaiveDate, u32)) {
    let s = app.strings.conf;
    let mut lines = Vec::new();
    let mut cursor_line = 0;
    for d in 0..days {
        let day = monday + Duration::days(i64::from(d));
        let mut head = day_heading(app, day);
        if let Some(h) = crate::domain::calendar::WorkCalendar::holiday(day) {
            head = format!("{head} · {}", (s.holiday)(h));
        }
        lines.push(Line::styled(head, app.theme.label()));
        for (i, item) in app.conf.items.iter().enumerate() {
            if app.item_start(item).map(|t| t.date()) != Some(day) {
                continue;
            }
            let selected = i == app.conf.cursor;
            if selected {
                cursor_line = lines.len();
            }
            lines.push(item_line(app, item, (selected, ""), area.width));
        }
    }
    scrolled(frame, lines, cursor_line, area);
}

/// ```text
/// Fallkonferenz · Folgekonferenz · Eingeladen
/// Di 01.12.2026 10:00–11:30 · Raum 2.14 · Fall 12: Müller, Jana
/// Teilnehmende …  Offene Vereinbarungen …  Protokoll …
/// ```
fn render_detail(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some(c) = app.conf.detail.as_ref() else {
        return;
    };
    let s = app.strings.conf;
    let width = usize::from(area.width.max(20)).saturating_sub(2);
    let mut lines: Vec<Line<'static>> = vec![Line::styled(
        format!(
            "{} · {} · {}",
            s.titles.detail,
            (s.kind)(c.kind),
            (s.status)(c.status)
        ),
        app.theme.header(),
    )];
    let when = match (c.start, c.end()) {
        (Some(a), Some(b)) => format!(
            "{} {}–{}",
            day_heading(app, a.date()),
            a.format("%H:%M"),
            b.format("%H:%M")
        ),
        _ => "–".to_string(),
    };
    let who = if c.anonymised {
        s.anonymised.to_string()
    } else {
        clean(&c.person)
    };
    // A conference without a place yet shows none (no empty " ·  · ").
    let place = clean(&c.location);
    let parts = [when, place, format!("{} {who}", (s.case_no)(c.case_id.0))];
    lines.push(Line::raw(
        parts
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" · "),
    ));
    for w in wrap_words(&clean(&c.question), width) {
        lines.push(Line::raw(format!("  {w}")));
    }
    if !c.reason.is_empty() {
        lines.push(Line::raw(format!(
            "  {}: {}",
            s.label(ConfField::Reason),
            clean(&c.reason)
        )));
    }
    // The deadlines of docs/domain.md 4.2, a passed one as an alert.
    let today = crate::domain::tz::to_local(app.now()).date();
    for d in crate::domain::conference::deadlines(
        c.kind,
        c.status,
        c.requested_on,
        c.start.map(|t| t.date()),
        today,
        &app.cp_settings.calendar(),
    ) {
        let style = if d.passed() {
            app.theme.error()
        } else {
            app.theme.dim()
        };
        lines.push(Line::styled(
            format!("  {}", (app.strings.casework.conf_deadline)(d)),
            style,
        ));
    }
    let heading = |lines: &mut Vec<Line<'static>>, t: &str| {
        lines.push(Line::raw(""));
        lines.push(Line::styled(t.to_string(), app.theme.label()));
    };
    heading(&mut lines, s.detail[0]);
    for p in &c.participants {
        let name = if p.participant.role == crate::domain::conference::ParticipantRole::YoungPerson
        {
            s.young_person.to_string()
        } else {
            clean(&p.name)
        };
        let state = if p.no_contact && p.participant.attendance.is_none() {
            app.strings.casework.no_invitation
        } else {
            p.participant.attendance.map_or_else(
                || (s.invitation)(p.participant.invitation),
                |a| (s.attendance)(a),
            )
        };
        lines.push(Line::raw(format!("  {name} · {state}")));
    }
    let measure_line = |m: &crate::model::conference::AgendaMeasure| {
        format!(
            "  [{}] {} · {} {}",
            (s.measure_status)(m.measure.status),
            clean(&m.measure.text),
            s.label(ConfField::Due),
            format_german_date(m.measure.due_on)
        )
    };
    if !app.conf.agenda.0.is_empty() {
        heading(&mut lines, s.detail[1]);
        for m in &app.conf.agenda.0 {
            lines.push(Line::raw(measure_line(m)));
        }
    }
    // The agenda with each item's minutes and decisions (docs/casework.md § 4).
    let cw = app.strings.casework;
    let m = &app.conf.minutes;
    // The proposed agenda is the dialog's to show; the detail shows a stored one.
    if m.stored {
        heading(&mut lines, cw.agenda_heading[0]);
        for item in &m.items {
            lines.push(Line::raw(format!(
                "  {}",
                (cw.item_heading)(item.no, &clean(&item.title))
            )));
            for l in item.minutes.split('\n').filter(|l| !l.trim().is_empty()) {
                for w in wrap_words(&clean(l), width.saturating_sub(4)) {
                    lines.push(Line::raw(format!("      {w}")));
                }
            }
            for d in app
                .conf
                .agenda
                .1
                .iter()
                .filter(|d| d.agenda_no == Some(item.no))
            {
                lines.push(Line::raw(format!("    {}", measure_line(d).trim_start())));
            }
        }
    }
    let loose: Vec<_> = app
        .conf
        .agenda
        .1
        .iter()
        .filter(|d| d.agenda_no.is_none() || !m.items.iter().any(|i| Some(i.no) == d.agenda_no))
        .collect();
    if !loose.is_empty() {
        heading(&mut lines, s.detail[2]);
        for d in loose {
            lines.push(Line::raw(measure_line(d)));
        }
    }
    if !m.areas.is_empty() {
        heading(&mut lines, cw.areas_heading);
        for (a, t) in &m.areas {
            lines.push(Line::raw(format!("  {}:", (cw.area)(*a))));
            for w in wrap_words(&clean(t), width.saturating_sub(4)) {
                lines.push(Line::raw(format!("    {w}")));
            }
        }
    }
    if !m.plain_summary.is_empty() {
        heading(&mut lines, cw.summary);
        for l in m.plain_summary.split('\n') {
            for w in wrap_words(&clean(l), width) {
                lines.push(Line::raw(format!("  {w}")));
            }
        }
    }
    if !c.minutes.is_empty() {
        heading(&mut lines, s.detail[3]);
        for l in c.minutes.split('\n') {
            for w in wrap_words(&clean(l), width) {
                lines.push(Line::raw(format!("  {w}")));
            }
        }
    }
    if let Some((a, b)) = &c.approved {
        lines.push(Line::styled(
            (s.approved)(&clean(a), &clean(b)),
            app.theme.dim(),
        ));
    }
    if !m.addenda.is_empty() {
        heading(&mut lines, cw.addenda_heading);
        for a in &m.addenda {
            let at = a.written.1.format("%d.%m.%Y %H:%M").to_string();
            lines.push(Line::styled(
                format!(
                    "  {}",
                    (cw.addendum_line)(
                        &clean(&a.written.0),
                        &at,
                        a.approved_by.as_deref(),
                        a.approved_second.as_deref()
                    )
                ),
                app.theme.dim(),
            ));
            for l in a.text.split('\n') {
                for w in wrap_words(&clean(l), width.saturating_sub(2)) {
                    lines.push(Line::raw(format!("    {w}")));
                }
            }
        }
    }
    let scroll = app
        .conf
        .scroll
        .min(u16::try_from(lines.len().saturating_sub(1)).unwrap_or(0));
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}
