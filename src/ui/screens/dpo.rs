//! The data-protection officer's screen ("Datenschutz", F8): sections of metadata, never
//! case content (docs/dpo.md).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::app::screens::dpo::DpoSection;
use crate::domain::text::sanitize;
use crate::domain::tz::format_stored;
use crate::model::dpo::{AuditFilter, AuditLine};
use crate::widgets::{abbreviate, shorten};

/// ```text
/// Protokoll │ Notf… │ Abge… │ Über… │ Kind… │ Prüf… │ Aufb…
/// Kein Filter  (/ filtern nach Person, Fall, Aktion, Zeitraum)      37 Einträge
///   Zeit             Person       Aktion             Objekt        Details
/// ▶ 25.11.2026 10:00 brinkmann    Notfallzugriff     Fall 12       other
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let [tabs, head, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    render_sections(frame, app, tabs);
    let s = app.strings.dpo;
    let st = &app.dpo;
    match st.section {
        DpoSection::Audit => {
            let filter = if st.filter.is_empty() {
                s.no_filter.to_string()
            } else {
                (s.filter_line)(&filter_text(app, &st.filter))
            };
            header(frame, app, head, &filter, st.audit.len());
            audit_table(frame, app, body, &st.audit);
        }
        DpoSection::Refused => {
            header(frame, app, head, "", st.refused.len());
            audit_table(frame, app, body, &st.refused);
        }
        DpoSection::Grants => {
            header(frame, app, head, "", st.grants.len());
            grants(frame, app, body);
        }
        DpoSection::Transfers => {
            header(frame, app, head, "", st.transfers.len());
            transfers(frame, app, body);
        }
        DpoSection::Referrals => {
            header(frame, app, head, s.no_content_note, usize::MAX);
            referrals(frame, app, body);
        }
        DpoSection::Chain => {
            header(frame, app, head, "", usize::MAX);
            chain(frame, app, body);
        }
        DpoSection::Retention => {
            header(frame, app, head, "", usize::MAX);
            retention(frame, app, body);
        }
    }
}

/// The section bar: every title when there is room, else the current one in full and
/// the others cut to four letters.
fn render_sections(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.dpo;
    let current = app.dpo.section.index();
    // A lead has the one section.
    if app.grant_review_only() {
        frame.render_widget(
            Paragraph::new(Line::styled(s.sections[current], app.theme.tab_active())),
            area,
        );
        return;
    }
    let full: usize = s
        .sections
        .iter()
        .map(|t| t.chars().count() + 3)
        .sum::<usize>()
        - 3;
    let compact = full > usize::from(area.width);
    let mut spans = Vec::new();
    for (i, title) in s.sections.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(
                format!(" {} ", app.theme.separator()),
                app.theme.dim(),
            ));
        }
        let text = if compact && i != current && title.chars().count() > 5 {
            let short: String = title.chars().take(4).collect();
            format!("{short}…")
        } else {
            (*title).to_string()
        };
        if i == current {
            spans.push(Span::styled(text, app.theme.tab_active()));
        } else {
            spans.push(Span::raw(text));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The line under the sections: a note on the left, the count on the right (none for
/// `usize::MAX`).
fn header(frame: &mut Frame<'_>, app: &App, area: Rect, left: &str, count: usize) {
    let s = app.strings.dpo;
    let right = if count == usize::MAX {
        String::new()
    } else {
        (s.count)(count, crate::model::dpo::AUDIT_LIMIT)
    };
    let width = usize::from(area.width);
    let left = abbreviate(left, width.saturating_sub(right.chars().count() + 1));
    let gap = width.saturating_sub(left.chars().count() + right.chars().count());
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{left}{}{right}", " ".repeat(gap)),
            app.theme.header(),
        )),
        area,
    );
}

fn filter_text(app: &App, f: &AuditFilter) -> String {
    let s = app.strings.dpo;
    let mut parts = Vec::new();
    if let Some(l) = &f.staff {
        parts.push(format!("{} {}", s.filter_parts[0], sanitize(l, false)));
    }
    if let Some(n) = f.case_no {
        parts.push((s.case_no)(n));
    }
    if let Some(a) = &f.action {
        parts.push(format!("{} {}", s.filter_parts[2], (s.action_label)(a)));
    }
    if let Some(d) = f.from {
        parts.push(format!("{} {}", s.filter_parts[3], d.format("%d.%m.%Y")));
    }
    if let Some(d) = f.to {
        parts.push(format!("{} {}", s.filter_parts[4], d.format("%d.%m.%Y")));
    }
    parts.join(", ")
}

/// The first row shown so that the cursor stays in view.
fn first_row(cursor: usize, visible: usize) -> usize {
    cursor.saturating_sub(visible.saturating_sub(1))
}

fn when(at: &str) -> String {
    format_stored(at).unwrap_or_default()
}

fn object(app: &App, r: &AuditLine) -> String {
    match (r.object_type.as_str(), r.object_id) {
        ("coop_case", Some(id)) => (app.strings.dpo.case_no)(id),
        (t, Some(id)) => format!("{t} {id}"),
        (t, None) => t.to_string(),
    }
}

/// A table of the list shown with its cursor; `cells` makes a row's cells.
fn table<T>(
    frame: &mut Frame<'_>,
    app: &App,
    area: Rect,
    heads: &[&str],
    widths: &[Constraint],
    rows: &[T],
    cells: impl Fn(&T) -> Vec<String>,
) {
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(app.strings.dpo.empty, app.theme.dim())),
            area,
        );
        return;
    }
    // Each cell is abbreviated to its column with "…", never cut silently.
    let fixed: usize = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => usize::from(*n) + 1,
            _ => 1,
        })
        .sum::<usize>()
        + 2;
    let rest = usize::from(area.width).saturating_sub(fixed);
    let room: Vec<usize> = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => usize::from(*n),
            _ => rest,
        })
        .collect();
    let visible = usize::from(area.height.saturating_sub(1)).max(1);
    let first = first_row(app.dpo.cursor, visible);
    let lines = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, r)| {
            let selected = i == app.dpo.cursor;
            let mut c = vec![Cell::from(if selected { "▶" } else { " " })];
            c.extend(
                cells(r)
                    .into_iter()
                    .zip(&room)
                    .map(|(t, w)| Cell::from(shorten(&sanitize(&t, false), *w))),
            );
            let row = Row::new(c);
            if selected {
                row.style(app.theme.selected())
            } else {
                row
            }
        });
    let mut head = vec![String::new()];
    head.extend(heads.iter().map(|h| (*h).to_string()));
    let mut w = vec![Constraint::Length(1)];
    w.extend_from_slice(widths);
    let t = Table::new(lines, w)
        .header(Row::new(head).style(app.theme.header()))
        .column_spacing(1);
    frame.render_widget(t, area);
}

fn audit_table(frame: &mut Frame<'_>, app: &App, area: Rect, rows: &[AuditLine]) {
    let s = app.strings.dpo;
    table(
        frame,
        app,
        area,
        &s.audit_columns,
        &[
            Constraint::Length(16),
            Constraint::Length(11),
            Constraint::Length(15),
            Constraint::Length(20),
            Constraint::Min(4),
        ],
        rows,
        |r| audit_cells(app, r),
    );
}

fn grants(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.dpo;
    let [list, detail] = Layout::vertical([Constraint::Min(2), Constraint::Length(2)]).areas(area);
    table(
        frame,
        app,
        list,
        &s.grant_columns,
        &[
            Constraint::Length(16),
            Constraint::Length(11),
            Constraint::Length(8),
            Constraint::Length(22),
            Constraint::Min(8),
        ],
        &app.dpo.grants,
        |g| grant_cells(app, g),
    );
    if let Some(r) = app.dpo.selected_grant().and_then(|g| g.review.as_ref()) {
        let verdict = s.verdicts[usize::from(r.verdict == crate::model::dpo::Verdict::Unjustified)];
        let text = (s.review_line)(verdict, &r.by, &when(&r.at), &r.comment);
        frame.render_widget(
            Paragraph::new(Line::styled(sanitize(&text, false), app.theme.dim()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            detail,
        );
    }
}

fn transfers(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.dpo;
    table(
        frame,
        app,
        area,
        &s.transfer_columns,
        &[
            Constraint::Length(16),
            Constraint::Length(9),
            Constraint::Length(5),
            Constraint::Min(10),
            Constraint::Length(9),
            Constraint::Length(10),
        ],
        &app.dpo.transfers,
        transfer_cells,
    );
}

fn referrals(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.dpo;
    let Some(st) = &app.dpo.referrals else {
        return;
    };
    let mut lines = vec![Line::styled(s.by_urgency, app.theme.header())];
    for (code, all, open) in &st.by_urgency {
        lines.push(Line::raw(format!(
            "  {}",
            (s.urgency_line)((s.urgency)(code), *all, *open)
        )));
    }
    lines.push(Line::styled(s.by_state, app.theme.header()));
    let states: Vec<String> = st
        .by_state
        .iter()
        .map(|(code, n)| format!("{} {n}", (s.state)(code)))
        .collect();
    lines.push(Line::raw(format!("  {}", states.join(" · "))));
    lines.push(Line::raw(format!(
        "  {}",
        (s.receipt)(st.receipt.0, st.receipt.1, st.receipt.2)
    )));
    if app.me.agency == crate::domain::Agency::Jugendamt {
        lines.push(Line::raw(format!(
            "  {}",
            (s.contact)(st.contact.0, st.contact.1, st.contact.2)
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}

fn chain(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.dpo;
    let Some(c) = &app.dpo.chain else {
        return;
    };
    let mut lines = vec![match c.first_bad {
        None => Line::styled((s.chain_ok)(c.rows, c.triggers), app.theme.info()),
        Some(seq) => Line::styled((s.chain_bad)(seq), app.theme.error()),
    }];
    for f in &c.findings {
        lines.push(Line::styled((s.finding)(f), app.theme.error()));
    }
    lines.push(Line::styled(s.evidence, app.theme.header()));
    for (table, rows) in &c.evidence {
        lines.push(Line::raw(format!("  {}", (s.evidence_line)(table, *rows))));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn retention(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.dpo;
    let Some(r) = &app.dpo.retention else {
        return;
    };
    let mut lines = vec![Line::styled(s.due_title, app.theme.header())];
    for (class, due, held) in &r.due {
        lines.push(Line::raw(format!(
            "  {}",
            (s.due_line)((s.class)(class), *due, *held)
        )));
    }
    lines.push(Line::raw(format!("  {}", (s.holds)(r.holds))));
    lines.push(Line::styled(s.restrictions_title, app.theme.header()));
    if r.restrictions.is_empty() {
        lines.push(Line::styled(
            format!("  {}", s.no_restrictions),
            app.theme.dim(),
        ));
    }
    for x in &r.restrictions {
        let text = (s.restriction_line)(
            x.case_no,
            (app.strings.restrict.reason)(x.reason),
            &x.by,
            &x.since,
        );
        lines.push(Line::raw(format!("  {}", sanitize(&text, false))));
    }
    lines.push(Line::styled(s.runs_title, app.theme.header()));
    if r.runs.is_empty() {
        lines.push(Line::styled(format!("  {}", s.no_runs), app.theme.dim()));
    }
    let room = usize::from(area.height).saturating_sub(lines.len()).max(1);
    let first = first_row(app.dpo.cursor, room);
    for (i, run) in r.runs.iter().enumerate().skip(first).take(room) {
        let day = run.planned_for.format("%d.%m.%Y").to_string();
        let text = match (&run.approved_by, &run.executed_at) {
            (Some(second), Some(at)) => (s.run_done)(
                run.id,
                &day,
                &run.requested_by,
                second,
                &when(at),
                run.deleted,
            ),
            _ => (s.run_planned)(run.id, &day, &run.requested_by, run.planned),
        };
        let selected = i == app.dpo.cursor;
        let line = Line::raw(format!(
            "{}{}",
            if selected { "▶ " } else { "  " },
            sanitize(&text, false)
        ));
        lines.push(if selected {
            line.style(app.theme.selected())
        } else {
            line
        });
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}

/// An audit row's cells: when, who, action, object, codes.
fn audit_cells(app: &App, r: &AuditLine) -> Vec<String> {
    let s = app.strings.dpo;
    // Codes, in parentheses: the detail code and the changed fields' names.
    let mut codes: Vec<String> = r.detail.iter().cloned().collect();
    codes.extend(r.fields.iter().cloned());
    let detail = if codes.is_empty() {
        String::new()
    } else {
        format!("({})", codes.join(", "))
    };
    vec![
        when(&r.at),
        r.login.clone().unwrap_or_else(|| "–".into()),
        (s.action_label)(&r.action),
        object(app, r),
        detail,
    ]
}

/// A break-glass grant's cells: when, who, case, reason, review.
fn grant_cells(app: &App, g: &crate::model::dpo::GrantLine) -> Vec<String> {
    let s = app.strings.dpo;
    let mut reason = (app.strings.break_glass_reason)(g.reason).to_string();
    if g.has_text {
        reason = format!("{reason} {}", s.text_withheld);
    }
    let review = match &g.review {
        Some(r) => s.verdicts[usize::from(r.verdict == crate::model::dpo::Verdict::Unjustified)]
            .to_string(),
        None => s.unreviewed.to_string(),
    };
    vec![
        when(&g.granted_at),
        g.login.clone(),
        g.case_no.to_string(),
        reason,
        review,
    ]
}

/// A transfer's cells: when, direction, case, fields, basis, by whom.
fn transfer_cells(t: &crate::model::dpo::TransferLine) -> Vec<String> {
    vec![
        when(&t.at),
        format!(
            "{} → {}",
            t.from.code().to_uppercase(),
            t.to.code().to_uppercase()
        ),
        t.case_no.to_string(),
        // How many, then which (shortened with "…" where they do not fit).
        format!("{}: {}", t.fields.len(), t.fields.join(", ")),
        t.basis.clone(),
        t.by.clone(),
    ]
}

/// Accessible mode's announcement of the selected row of a table section, every cell with
/// its column's name (docs/accessibility.md § 2).
pub fn announced(app: &App) -> Option<String> {
    let s = app.strings.dpo;
    let st = &app.dpo;
    let (heads, cells): (&[&str], Vec<String>) = match st.section {
        DpoSection::Audit => (&s.audit_columns, audit_cells(app, st.audit.get(st.cursor)?)),
        DpoSection::Refused => (
            &s.audit_columns,
            audit_cells(app, st.refused.get(st.cursor)?),
        ),
        DpoSection::Grants => (
            &s.grant_columns,
            grant_cells(app, st.grants.get(st.cursor)?),
        ),
        DpoSection::Transfers => (
            &s.transfer_columns,
            transfer_cells(st.transfers.get(st.cursor)?),
        ),
        DpoSection::Referrals | DpoSection::Chain | DpoSection::Retention => return None,
    };
    let cells: Vec<String> = cells.iter().map(|c| sanitize(c, false)).collect();
    Some(crate::widgets::announce(heads, &cells))
}
