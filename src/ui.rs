//! Drawing: `render(frame, &App)` is a pure function of the state. No queries, no files.
//!
//! May use: `domain` types, `action`, `keymap` (reverse map), theme, strings, and the state
//! types of `app`. Must not use: `Store`, rusqlite, files, processes.
//!
//! ```text
//! ┌ F2 Fälle │ F3 Konferenzen │ … ───────────────── top bar (1 row)
//! │ screen body                                    (height − 3 rows)
//! │ status line: messages and errors               (1 row)
//! └ footer: key hints from the keymap              (1 row)
//! ```

pub mod report;
pub mod screens;

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::Action;
use crate::app::screens::cp::CpView;
use crate::app::{App, CasesView, Screen};
use crate::keymap::Context;
use crate::widgets::{self, MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen.
pub fn render(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        frame.render_widget(Paragraph::new(app.strings.too_small), area);
        return;
    }
    let announced = announcement(app);
    let status_rows = status_rows(app, area, announced.as_deref());
    let [top, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(frame, app, top);
    match app.screen {
        Screen::Cases => match app.cases.view {
            CasesView::List => screens::cases::render(frame, app, body),
            CasesView::File => screens::file::render(frame, app, body),
        },
        Screen::ChildProtection => screens::cp::render(frame, app, body),
        Screen::Conferences => screens::conf::render(frame, app, body),
        Screen::OnCall => screens::cp::render_oncall(frame, app, body),
        Screen::Cooperation => screens::coop::render(frame, app, body),
        Screen::Admin => screens::admin::render(frame, app, body),
        Screen::Dpo => screens::dpo::render(frame, app, body),
    }
    // Accessible mode: the terminal cursor follows the focus (docs/accessibility.md).
    let mut focus = app
        .theme
        .accessible
        .then(|| focus_in(frame.buffer_mut(), None, body))
        .flatten();
    render_footer(frame, app, footer);
    // The idle line (who is logged in, or a waiting escalation) lies under any popup.
    if app.status.is_none() {
        render_status(frame, app, status, announced.as_deref());
    }
    // A message is read whole, also while a popup is open: the popup keeps to the rows
    // above it, and the message is drawn last (issue #16).
    let full = if app.status.is_some() && !app.layers.is_empty() {
        Rect {
            height: status.y.saturating_sub(area.y),
            ..area
        }
    } else {
        area
    };
    let areas = crate::app::layer::Areas { full, body };
    // Accessible mode: a popup stands alone, no screen text beside it on its lines, so
    // that each line reads as one thing (docs/accessibility.md).
    if app.theme.accessible && !app.layers.is_empty() {
        frame.render_widget(ratatui::widgets::Clear, body);
    }
    for layer in &app.layers {
        let before = app.theme.accessible.then(|| frame.buffer_mut().clone());
        layer.render(frame, app, areas);
        if let Some(before) = before {
            focus = focus_in(frame.buffer_mut(), Some(&before), area).or(focus);
        }
    }
    if app.status.is_some() {
        render_status(frame, app, status, None);
    }
    if let Some(at) = focus {
        frame.set_cursor_position(at);
    }
}

/// Where the terminal cursor goes in accessible mode: the text caret `▏` of the focused
/// field, else the marker `▶` of the focused row, else (for a popup without either, a
/// question) the first cell the popup drew — looked for in `area` among the cells that
/// differ from `before` (all cells without it). Screen readers and braille displays read
/// the line under the cursor.
fn focus_in(
    buf: &ratatui::buffer::Buffer,
    before: Option<&ratatui::buffer::Buffer>,
    area: Rect,
) -> Option<ratatui::layout::Position> {
    use ratatui::layout::Position;
    let (mut marker, mut first) = (None, None);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &buf[(x, y)];
            if before.is_some_and(|b| b[(x, y)] == *cell) {
                continue;
            }
            match cell.symbol() {
                "▏" => return Some(Position { x, y }),
                "▶" if marker.is_none() => marker = Some(Position { x, y }),
                s if first.is_none() && before.is_some() && !s.trim().is_empty() => {
                    first = Some(Position { x, y });
                }
                _ => {}
            }
        }
    }
    marker.or(first)
}

/// Accessible mode's announcement for the idle status line: the selected row of a table
/// read with its column names (docs/accessibility.md § 2); none under a popup.
fn announcement(app: &App) -> Option<String> {
    if !app.theme.accessible || !app.layers.is_empty() {
        return None;
    }
    match app.screen {
        Screen::Cases if app.cases.view == CasesView::List => screens::cases::announced(app),
        Screen::Admin => screens::admin::announced(app),
        Screen::Dpo if !app.grant_review_only() => screens::dpo::announced(app),
        _ => None,
    }
}

/// The rows of the status line: one, or as many as the message (or accessible mode's
/// announcement) needs wrapped at whole words (at most [`STATUS_MAX_ROWS`], and the body
/// keeps a row).
fn status_rows(app: &App, area: Rect, announced: Option<&str>) -> u16 {
    let text = match (&app.status, announced) {
        (Some(msg), _) => msg.text.as_str(),
        (None, Some(a)) if app.escalation_text().is_none() => a,
        (None, _) => return 1,
    };
    let lines = widgets::wrap_words(text, area.width.into()).len();
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .min(STATUS_MAX_ROWS)
        .min(area.height.saturating_sub(3))
        .max(1)
}

fn render_tabs(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let s = app.strings;
    let mut spans = Vec::new();
    // "Verwaltung" only for administrators (docs/access.md A11).
    let tabs: Vec<(bool, String, &str)> = Screen::visible(&app.me)
        .into_iter()
        .map(|screen| {
            let title = screen.title(s);
            let key = widgets::first_key(&app.keymap, &[Context::Global], screen.action())
                .map(|k| widgets::key_label(&k, &s.keys))
                .unwrap_or_default();
            (screen == app.screen, key, title)
        })
        .collect();
    let full: usize = tabs
        .iter()
        .map(|(_, k, t)| k.chars().count() + t.chars().count() + 4)
        .sum();
    // Too narrow for every title: only the current screen keeps its title, so that every
    // key (F6 Bereitschaft above all) stays visible.
    let compact = full.saturating_sub(1) > usize::from(area.width);
    for (active, key, title) in tabs {
        let style = if active {
            app.theme.tab_active()
        } else {
            app.theme.bar()
        };
        let text = if compact && !active {
            format!(" {key} ")
        } else if active && app.theme.accessible {
            // Not by reverse video alone: the active tab in brackets.
            format!("[{key} {title}]")
        } else {
            format!(" {key} {title} ")
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(app.theme.separator()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The first `rows` of wrapped `lines`; when some are left over, the last one shown ends in
/// "…", so that a text too long for a small terminal is never cut without a sign.
fn fit_rows(mut lines: Vec<String>, rows: u16, width: u16) -> Vec<String> {
    let rows = usize::from(rows.max(1));
    if lines.len() > rows {
        lines.truncate(rows);
        if let Some(last) = lines.last_mut() {
            *last = widgets::shorten(&format!("{last} …"), usize::from(width));
        }
    }
    lines
}

/// The most rows a long message takes; the body gives them up.
const STATUS_MAX_ROWS: u16 = 4;

/// The status line: the latest message, otherwise who is logged in (right-aligned). A
/// message wider than the line is wrapped at whole words over the rows
/// [`status_rows`] gave it (until the next key clears it), so that a warning, a refusal or
/// a notice such as a cleared approval is read whole, never cut off mid-word.
fn render_status(frame: &mut Frame<'_>, app: &App, area: Rect, announced: Option<&str>) {
    // Accessible mode: the selected row read with its column names, in place of who is
    // logged in (docs/accessibility.md § 2).
    if let Some(text) = announced
        && app.status.is_none()
        && app.escalation_text().is_none()
    {
        let lines: Vec<Line<'_>> = fit_rows(
            widgets::wrap_words(text, area.width.into()),
            area.height,
            area.width,
        )
        .into_iter()
        .map(Line::raw)
        .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let line = match &app.status {
        Some(msg) => {
            let style = if msg.error {
                app.theme.error()
            } else {
                app.theme.info()
            };
            let lines: Vec<Line<'_>> = fit_rows(
                widgets::wrap_words(&msg.text, area.width.into()),
                area.height,
                area.width,
            )
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect();
            frame.render_widget(ratatui::widgets::Clear, area);
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
        // A waiting escalation stays in the idle status line until it is acknowledged
        // (docs/casework.md § 6): one row, the key first, the rest shortened to the width.
        None if app.escalation_text().is_some() => {
            let text = app.escalation_text().unwrap_or_default();
            let width = usize::from(area.width);
            let shown: String = if text.chars().count() > width {
                let mut t: String = text.chars().take(width.saturating_sub(1)).collect();
                t.push('…');
                t
            } else {
                text
            };
            frame.render_widget(Paragraph::new(Line::styled(shown, app.theme.error())), area);
            return;
        }
        None => Line::styled(
            format!(
                "{} · {}",
                app.me.display_name(),
                (app.strings.agency)(app.me.agency)
            ),
            app.theme.dim(),
        )
        .right_aligned(),
    };
    frame.render_widget(Paragraph::new(line), area);
    // The selected case's alerts, on the left of the idle status line; not in
    // low-bandwidth mode, where a movement moves the marker alone (the ⚠ column says which
    // rows have alerts, the case file names them; docs/performance.md § 4).
    if app.status.is_none()
        && !app.theme.low_bandwidth
        && app.layers.is_empty()
        && app.screen == Screen::Cases
        && app.cases.view == CasesView::List
        && let Some(row) = app.cases.list.current()
        && !row.alerts.is_empty()
    {
        let who = app.me.display_name().chars().count()
            + (app.strings.agency)(app.me.agency).chars().count()
            + 4;
        let left = Rect {
            width: area
                .width
                .saturating_sub(u16::try_from(who).unwrap_or(area.width)),
            ..area
        };
        // Whole alerts only; those that do not fit are counted ("+1"), never cut.
        let alerts: Vec<String> = row.alerts.iter().map(|a| (app.strings.alert)(*a)).collect();
        let mut text = String::from("⚠");
        for (n, alert) in alerts.iter().enumerate() {
            let sep = if n == 0 { " " } else { " · " };
            let rest = alerts.len() - n - 1;
            let more = if rest > 0 {
                format!(" · +{rest}")
            } else {
                String::new()
            };
            let candidate = format!("{text}{sep}{alert}");
            if candidate.chars().count() + more.chars().count() > usize::from(left.width) {
                let _ = write!(text, "{sep}+{}", alerts.len() - n);
                break;
            }
            text = candidate;
        }
        frame.render_widget(Paragraph::new(Line::styled(text, app.theme.error())), left);
    }
}

fn render_footer(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let contexts = app.contexts();
    let top: Vec<Action>;
    let list: Vec<Action>;
    let actions: &[Action] = match (app.screen, app.cases.view) {
        _ if !app.layers.is_empty() => {
            top = app.layers.last().map(|l| l.footer(app)).unwrap_or_default();
            &top
        }
        (Screen::Cases, CasesView::List) if app.cases.list.filtering => {
            &[Action::FilterDone, Action::ClearFilter, Action::Help]
        }
        (Screen::Cases, CasesView::List) => {
            // "Neuer Fall" only for those who may create cases (docs/access.md A7).
            list = [
                Action::Open,
                Action::Filter,
                Action::NewCase,
                Action::Edit,
                Action::Help,
                Action::Quit,
                Action::SortNext,
            ]
            .into_iter()
            .filter(|a| *a != Action::NewCase || app.me.may_create_cases())
            .collect();
            &list
        }
        (Screen::Cases, CasesView::File) => &[
            Action::Back,
            Action::Edit,
            Action::PlanConference,
            Action::NewNote,
            Action::NewConsent,
            Action::Transfer,
            Action::RevokeConsent,
            Action::Help,
            Action::Quit,
        ],
        (Screen::Conferences, _) => match app.conf.view {
            crate::app::screens::conf::ConfView::Agenda
            | crate::app::screens::conf::ConfView::Week => &[
                Action::Open,
                Action::NewCase,
                Action::ToggleWeek,
                Action::Help,
                Action::Quit,
            ],
            crate::app::screens::conf::ConfView::Detail => &[
                Action::Back,
                Action::StepMenu,
                Action::Document,
                Action::Down,
                Action::Help,
                Action::Quit,
            ],
        },
        (Screen::ChildProtection, _) => match app.cp.view {
            // Early help (docs/early-help.md): the steps of the highlighted request.
            CpView::List if app.cp.eh_mode => {
                if app.me.agency == crate::domain::Agency::Jobcenter {
                    &[
                        Action::StepMenu,
                        Action::NewCase,
                        Action::EarlyHelp,
                        Action::ToggleConsults,
                        Action::Help,
                        Action::Quit,
                    ]
                } else {
                    &[
                        Action::StepMenu,
                        Action::EarlyHelp,
                        Action::ToggleConsults,
                        Action::Help,
                        Action::Quit,
                    ]
                }
            }
            // With the information at benefit withdrawal switched on: `l` beside `b`.
            CpView::List if app.cp_settings.feature_withdrawal_notice => {
                if app.cp.withdrawals_mode {
                    &[
                        Action::Open,
                        Action::ToggleConsults,
                        Action::Withdrawal,
                        Action::Help,
                        Action::Quit,
                    ]
                } else if app.me.agency == crate::domain::Agency::Jobcenter {
                    &[
                        Action::Open,
                        Action::NewCase,
                        Action::ToggleConsults,
                        Action::Withdrawal,
                        Action::Help,
                        Action::Quit,
                    ]
                } else {
                    &[
                        Action::Open,
                        Action::ToggleConsults,
                        Action::Withdrawal,
                        Action::ScreenOnCall,
                        Action::Help,
                        Action::Quit,
                    ]
                }
            }
            CpView::List if app.me.agency == crate::domain::Agency::Jobcenter => &[
                Action::Open,
                Action::NewCase,
                Action::ToggleConsults,
                Action::EarlyHelp,
                Action::Help,
                Action::Quit,
            ],
            CpView::List if app.sees_early_help() => &[
                Action::Open,
                Action::ToggleConsults,
                Action::EarlyHelp,
                Action::ScreenOnCall,
                Action::Help,
                Action::Quit,
            ],
            CpView::List => &[
                Action::Open,
                Action::ToggleConsults,
                Action::ScreenOnCall,
                Action::Help,
                Action::Quit,
            ],
            CpView::Detail => &[
                Action::Back,
                Action::StepMenu,
                Action::Document,
                Action::Down,
                Action::Help,
                Action::Quit,
            ],
        },
        // Nothing to open on an empty on-call list (the Jobcenter has none at all).
        (Screen::OnCall, _) if app.cp.oncall.is_empty() => {
            &[Action::ScreenChildProtection, Action::Help, Action::Quit]
        }
        (Screen::OnCall, _) => &[
            Action::Open,
            Action::ScreenChildProtection,
            Action::Help,
            Action::Quit,
        ],
        (Screen::Admin, _) => match app.admin.view {
            crate::app::screens::admin::AdminView::Staff => &[
                Action::AdminNew,
                Action::AdminEdit,
                Action::Deactivate,
                Action::Reactivate,
                Action::SshKeys,
                Action::ToggleGrants,
                Action::Help,
                Action::Quit,
            ],
            crate::app::screens::admin::AdminView::Grants => &[
                Action::GrantConfirm,
                Action::GrantRefuse,
                Action::ToggleGrants,
                Action::Help,
                Action::Quit,
            ],
        },
        (Screen::Dpo, _) if app.grant_review_only() => {
            &[Action::DpoReview, Action::Help, Action::Quit]
        }
        (Screen::Dpo, _) => match app.dpo.section {
            crate::app::screens::dpo::DpoSection::Audit => &[
                Action::DpoNext,
                Action::Filter,
                Action::ClearFilter,
                Action::DpoExport,
                Action::Help,
                Action::Quit,
            ],
            crate::app::screens::dpo::DpoSection::Grants => &[
                Action::DpoNext,
                Action::DpoReview,
                Action::DpoExport,
                Action::Help,
                Action::Quit,
            ],
            crate::app::screens::dpo::DpoSection::Retention => &[
                Action::DpoNext,
                Action::DpoRelease,
                Action::Help,
                Action::Quit,
            ],
            _ => &[
                Action::DpoNext,
                Action::DpoPrev,
                Action::DpoExport,
                Action::Help,
                Action::Quit,
            ],
        },
        (Screen::Cooperation, _) => match app.coop.section {
            crate::app::screens::coop::CoopSection::Report => &[
                Action::CoopNext,
                Action::YearPrev,
                Action::YearNext,
                Action::CoopAgenda,
                Action::Help,
                Action::Quit,
            ],
            crate::app::screens::coop::CoopSection::Plenary => &[
                Action::CoopNext,
                Action::YearPrev,
                Action::Edit,
                Action::CoopStep,
                Action::CoopDecision,
                Action::Help,
                Action::Quit,
            ],
            _ => &[
                Action::CoopNext,
                Action::YearPrev,
                Action::CoopNew,
                Action::Edit,
                Action::CoopStep,
                Action::Help,
                Action::Quit,
            ],
        },
    };
    // A layer may name a key its own way (the referral form's Ctrl+S reads "Senden").
    let top_layer = app.layers.last();
    let labelled: Vec<(Action, &'static str)> = actions
        .iter()
        .map(|a| {
            let own = top_layer
                .and_then(|l| l.footer_label(app, *a))
                .or_else(|| toggled_label(app, *a));
            (*a, own.unwrap_or_else(|| (app.strings.action_short)(*a)))
        })
        .collect();
    let line = widgets::hint_line(
        &app.keymap,
        &contexts,
        &labelled,
        app.text_input_active(),
        app.strings,
        app.theme,
        area.width,
    );
    let mut line = line;
    if let Some(note) = app.layers.last().and_then(|l| l.footer_note(app)) {
        let note = format!(" · {note}");
        if line.width() + note.chars().count() <= usize::from(area.width) {
            line.spans
                .push(ratatui::text::Span::styled(note, app.theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(line), area);
}

/// The footer label of a view toggle while the toggled view is shown: the way back ("w
/// Liste" in the week view, not "w Woche"; #16).
fn toggled_label(app: &App, action: Action) -> Option<&'static str> {
    let toggled = app.layers.is_empty()
        && match action {
            Action::ToggleWeek => {
                app.screen == Screen::Conferences
                    && app.conf.view == crate::app::screens::conf::ConfView::Week
            }
            Action::ToggleConsults => {
                app.screen == Screen::ChildProtection
                    && app.cp.view == CpView::List
                    && app.cp.consults_mode
            }
            Action::Withdrawal => {
                app.screen == Screen::ChildProtection
                    && app.cp.view == CpView::List
                    && app.cp.withdrawals_mode
            }
            Action::EarlyHelp => {
                app.screen == Screen::ChildProtection
                    && app.cp.view == CpView::List
                    && app.cp.eh_mode
            }
            Action::ToggleGrants => {
                app.screen == Screen::Admin
                    && app.admin.view == crate::app::screens::admin::AdminView::Grants
            }
            _ => false,
        };
    toggled.then(|| (app.strings.toggle_back)(action)).flatten()
}

#[cfg(test)]
mod tests {
    use super::fit_rows;

    #[test]
    fn a_text_longer_than_its_rows_ends_in_an_ellipsis() {
        let lines: Vec<String> = ["eins zwei", "drei vier", "fünf"]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(fit_rows(lines.clone(), 3, 10), lines);
        assert_eq!(fit_rows(lines.clone(), 2, 11), ["eins zwei", "drei vier …"]);
        // No room for " …" after the last word: the word gives way.
        assert_eq!(fit_rows(lines, 2, 9), ["eins zwei", "drei…"]);
    }
}
