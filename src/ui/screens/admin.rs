//! The administration screen ("Verwaltung", F7): the staff of the admin's own Stelle and
//! the open four-eyes grants. No case content.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use crate::app::App;
use crate::app::screens::admin::AdminView;
use crate::domain::text::sanitize;
use crate::model::admin::StaffRow;
use crate::widgets::abbreviate;

/// The roles of a row as the person reads them.
fn roles(app: &App, r: &StaffRow) -> String {
    r.roles
        .iter()
        .map(|x| (app.strings.role)(*x))
        .collect::<Vec<_>>()
        .join(", ")
}

fn functions(app: &App, r: &StaffRow) -> String {
    r.functions
        .iter()
        .map(|f| (app.strings.admin.function)(*f))
        .collect::<Vec<_>>()
        .join(", ")
}

/// ```text
/// Mitarbeitende · Jugendamt · 14
///   Anmeldung   Name                 Rollen          Funktionen  Status      Schlüssel
/// ▶ aksoy       Aksoy, Leyla         Jugendamt Fach…             aktiv               0
///   neumann     Neumann, Lea         Jugendamt Fach… Eingang …   deaktiviert         1
/// ── Lea Neumann (neumann): Rollen … · Funktionen … · wartet: Administration
/// 1 Rolle wartet auf Bestätigung durch eine zweite Administration (g: Freigaben).
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    match app.admin.view {
        AdminView::Staff => render_staff(frame, app, area),
        AdminView::Grants => render_grants(frame, app, area),
    }
}

fn render_staff(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.admin;
    let theme = app.theme;
    let state = &app.admin;
    let [title, table_area, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(2),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::styled(
            (s.staff_title)((app.strings.agency)(app.me.agency), state.rows.len()),
            theme.header(),
        )),
        title,
    );
    // The role and function columns share what is left (3:2); a longer list is
    // abbreviated by rule ("Jugendamt Fachkr."), never cut mid-word: the line below the
    // table shows it in full.
    let rest = usize::from(table_area.width).saturating_sub(1 + 11 + 20 + 11 + 5 + 6);
    let roles_w = rest * 3 / 5;
    let functions_w = rest - roles_w;
    let visible = usize::from(table_area.height.saturating_sub(1)).max(1);
    let first = state.cursor.saturating_sub(visible.saturating_sub(1));
    let rows = state
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, r)| {
            let selected = i == state.cursor;
            let active = if r.active { s.active } else { s.deactivated };
            // Table cells pass zero-width format characters through to the terminal:
            // sanitise what comes from the database.
            let row = Row::new(vec![
                Cell::from(if selected { "▶" } else { " " }),
                Cell::from(sanitize(&r.login, false)),
                Cell::from(sanitize(&format!("{}, {}", r.surname, r.given_name), false)),
                Cell::from(abbreviate(&roles(app, r), roles_w)),
                Cell::from(abbreviate(&functions(app, r), functions_w)),
                Cell::from(active),
                Cell::from(format!("{:>5}", r.keys)),
            ]);
            match (selected, r.active) {
                (true, _) => row.style(theme.selected()),
                (false, false) => row.style(theme.dim()),
                (false, true) => row,
            }
        });
    let mut header = vec![String::new()];
    header.extend(s.columns.iter().map(|c| (*c).to_string()));
    let widths = [
        Constraint::Length(1),
        Constraint::Length(11),
        Constraint::Length(20),
        Constraint::Length(u16::try_from(roles_w).unwrap_or(0)),
        Constraint::Length(u16::try_from(functions_w).unwrap_or(0)),
        Constraint::Length(11),
        Constraint::Length(5),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header()))
        .column_spacing(1);
    frame.render_widget(table, table_area);
    // The highlighted person in full (the columns cut long role lists), and the grants
    // that wait.
    let mut lines = Vec::new();
    if let Some(r) = state.selected() {
        let mut parts = vec![roles(app, r)];
        let f = functions(app, r);
        if !f.is_empty() {
            parts.push(f);
        }
        if !r.pending.is_empty() {
            let waiting: Vec<&str> = r.pending.iter().map(|x| (app.strings.role)(*x)).collect();
            parts.push((s.waiting)(&waiting.join(", ")));
        }
        lines.push(Line::styled(
            sanitize(
                &format!("{} ({}): {}", r.display_name(), r.login, parts.join(" · ")),
                false,
            ),
            theme.dim(),
        ));
    }
    if !state.grants.is_empty() {
        lines.push(Line::styled(
            (s.grants_waiting)(state.grants.len()),
            theme.info(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), detail);
}

/// ```text
/// Offene Freigaben (Vier-Augen-Prinzip)
/// ▶ Administration für neumann · beantragt von rademacher am 25.11.2026 10:00
/// ```
fn render_grants(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings.admin;
    let state = &app.admin;
    let mut lines = vec![Line::styled(s.grants_title, app.theme.header())];
    if state.grants.is_empty() {
        lines.push(Line::styled(s.grants_empty, app.theme.dim()));
    }
    let visible = usize::from(area.height.saturating_sub(1)).max(1);
    let first = state.grant_cursor.saturating_sub(visible.saturating_sub(1));
    for (i, g) in state.grants.iter().enumerate().skip(first).take(visible) {
        let selected = i == state.grant_cursor;
        let at = crate::domain::tz::format_stored(&g.requested_at).unwrap_or_default();
        let text = (s.grant_line)(
            (app.strings.role)(g.role),
            &sanitize(&g.login, false),
            &sanitize(&g.requested_by, false),
            &at,
        );
        let mut line = Line::raw(format!("{}{text}", if selected { "▶ " } else { "  " }));
        if selected {
            line = line.style(app.theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Accessible mode's announcement of the selected staff member: every column with its name,
/// roles and functions in full (docs/accessibility.md § 2).
pub fn announced(app: &App) -> Option<String> {
    let s = app.strings.admin;
    if app.admin.view != AdminView::Staff {
        return None;
    }
    let r = app.admin.rows.get(app.admin.cursor)?;
    let cells = vec![
        sanitize(&r.login, false),
        sanitize(&format!("{}, {}", r.surname, r.given_name), false),
        roles(app, r),
        functions(app, r),
        (if r.active { s.active } else { s.deactivated }).to_string(),
        r.keys.to_string(),
    ];
    Some(crate::widgets::announce(&s.columns, &cells))
}
