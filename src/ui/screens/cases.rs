//! The case list ("Fälle").

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::domain::date::{age_on, format_german_date};
use crate::domain::text::sanitize;
use crate::model::list::SortColumn;
use unicode_width::UnicodeWidthStr;

/// ```text
/// Fall 3 von 250 · Name ▲                    Filter: müll▏
///   Name                 Alter Status        Fachkraft JC Fachkraft JA Termin
/// ▶ Müller, Jana            19 Aktiv         C. Brinkmann H. Karaca    03.12.2026
///   …only the rows that fit are fetched and built
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings;
    let theme = app.theme;
    let list = &app.cases.list;
    let [title, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);

    let sort_idx = SortColumn::ALL
        .iter()
        .position(|c| *c == list.sort())
        .unwrap_or(0);
    let arrow = if list.query.descending { "▼" } else { "▲" };
    // Accessible mode names the order in words, in the title line alone.
    let order = if theme.accessible {
        format!(" ({})", s.words.sort[usize::from(list.query.descending)])
    } else {
        format!(" {arrow}")
    };
    let mut spans = vec![
        Span::styled(
            // Low-bandwidth mode leaves the position out: a movement moves the marker alone.
            if theme.low_bandwidth {
                (s.list_count)(list.shown_total())
            } else {
                (s.list_position)(list.position(), list.shown_total())
            },
            theme.header(),
        ),
        Span::raw(format!(" · {}{order}", s.columns[sort_idx])),
    ];
    if list.query.scope == crate::model::list::ListScope::Agency {
        spans.push(Span::styled(format!(" · {}", s.scope_agency), theme.key()));
    }
    if let Some(number) = &list.lookup {
        spans.push(Span::raw("   "));
        spans.push(Span::styled(s.lookup_label, theme.label()));
        spans.push(Span::styled(number.clone(), theme.focus()));
        spans.push(Span::styled(" ", theme.cursor()));
    } else if list.filtering || !list.query.filter.is_empty() {
        spans.push(Span::raw("   "));
        spans.push(Span::styled(s.filter_label, theme.label()));
        spans.push(Span::styled(
            list.query.filter.clone(),
            if list.filtering {
                theme.focus()
            } else {
                theme.key()
            },
        ));
        if list.filtering {
            spans.push(Span::styled(" ", theme.cursor()));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), title);

    if list.rows.is_empty() {
        let text = if list.query.filter.is_empty() {
            s.no_cases
        } else {
            s.no_match
        };
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            table_area,
        );
        return;
    }

    // Narrow terminals drop the staff and date columns rather than squeeze the name.
    let w = area.width;
    let show_staff = w >= 70;
    let show_next = w >= 50;
    // The status column is as wide as its longest short label: no status is cut.
    let status_w = crate::domain::CaseStatus::ALL
        .iter()
        .map(|c| (s.status_short)(*c).width())
        .max()
        .unwrap_or(14);
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Min(12),
        Constraint::Length(5),
        Constraint::Length(u16::try_from(status_w).unwrap_or(14)),
    ];
    let mut header = vec![
        String::new(),
        s.columns[0].to_string(),
        s.columns[1].to_string(),
        s.columns[2].to_string(),
    ];
    if show_staff {
        widths.extend([Constraint::Length(12), Constraint::Length(12)]);
        header.extend([s.columns[3].to_string(), s.columns[4].to_string()]);
    }
    if show_next {
        widths.push(Constraint::Length(10));
        header.push(s.columns[5].to_string());
    }
    let sorted_header = match list.sort() {
        SortColumn::Name => Some(1),
        SortColumn::Age => Some(2),
        SortColumn::Status => Some(3),
        SortColumn::JcStaff if show_staff => Some(4),
        SortColumn::JaStaff if show_staff => Some(5),
        SortColumn::NextDate if show_next => Some(if show_staff { 6 } else { 4 }),
        _ => None,
    };
    if let Some(h) = sorted_header
        .filter(|_| !theme.accessible)
        .and_then(|t| header.get_mut(t))
    {
        h.push_str(arrow);
    }
    let rows = list.rows.iter().enumerate().map(|(i, r)| {
        let selected = i == list.selected;
        let [name, age, status, jc, ja, next] = texts(app, r);
        let mut cells = vec![
            // Accessible mode leaves the ⚠ out: the announcement names the alerts in words
            // (docs/accessibility.md § 2).
            Cell::from(match (selected, r.alerts.is_empty() || theme.accessible) {
                (true, _) => "▶",
                (false, false) => "⚠",
                (false, true) => " ",
            }),
            // The selected name's style covers its letters, not the column's blanks.
            Cell::from(Span::styled(
                name,
                if selected {
                    theme.selected_name()
                } else {
                    ratatui::style::Style::new()
                },
            )),
            Cell::from(format!("{age:>5}")),
            Cell::from(status),
        ];
        if show_staff {
            cells.push(Cell::from(jc));
            cells.push(Cell::from(ja));
        }
        if show_next {
            cells.push(Cell::from(next));
        }
        // The selection is the marker and the name's style, not a full-width bar: a
        // movement then rewrites two short cells (docs/performance.md § 4).
        Row::new(cells)
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header()))
        .column_spacing(1);
    frame.render_widget(table, table_area);
}

/// A row's cells as text: name, age, status, the two staff, the next date. Table cells
/// pass zero-width format characters (bidi overrides) through to the terminal, unlike
/// Paragraph: what comes from the database is sanitised.
fn texts(app: &App, r: &crate::model::list::CaseRow) -> [String; 6] {
    let s = app.strings;
    [
        match r.name.as_deref() {
            Some(n) => sanitize(n, false),
            // A restricted case says so; its name is withheld like an untransferred one
            // (docs/access.md A12).
            None if r.restricted => s.restrict.row.to_string(),
            None => s.withheld.to_string(),
        },
        r.birth_date.map_or_else(
            || s.none.to_string(),
            |b| age_on(b, app.today()).to_string(),
        ),
        (s.status_short)(r.status).to_string(),
        sanitize(&r.jc_staff, false),
        sanitize(&r.ja_staff, false),
        r.next_date
            .map_or_else(|| s.none.to_string(), format_german_date),
    ]
}

/// Accessible mode's announcement of the selected case: every column with its name, the
/// alerts in words after the name (docs/accessibility.md § 2).
pub fn announced(app: &App) -> Option<String> {
    let s = app.strings;
    let row = app.cases.list.current()?;
    // The alerts right after the name: on a small terminal the end may not fit.
    let mut heads = s.columns.to_vec();
    let mut cells = texts(app, row).to_vec();
    heads.insert(1, s.words.alerts);
    cells.insert(
        1,
        row.alerts
            .iter()
            .map(|a| (s.alert)(*a))
            .collect::<Vec<_>>()
            .join(", "),
    );
    Some(crate::widgets::announce(&heads, &cells))
}
