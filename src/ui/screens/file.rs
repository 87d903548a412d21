//! The case file ("Fallakte") of one case: what this issue's fields hold; later issues add
//! consent, measures and the timeline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::domain::Field;
use crate::domain::date::format_german_date;
use crate::ui::widgets::wrap_words;

/// ```text
/// ┌ Fallakte: Müller, Jana ───────────────────────────┐
/// │ Junge Person                                      │
/// │   Geburtsdatum   03.12.2006 (19 Jahre)            │
/// │   …                                               │
/// │ Kooperationsfall                                  │
/// │   Status         Aktiv                            │
/// │ Zuständigkeit                                     │
/// │   Fachkraft Jobcenter  Carla Brinkmann            │
/// └───────────────────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some(file) = &app.file else { return };
    let s = app.strings;
    let theme = app.theme;
    let case = &file.case;
    let p = &case.person;
    let none = || s.none.to_string();
    let or_none = |v: &str| if v.is_empty() { none() } else { v.to_string() };
    let label_w = 22;
    // Values wrap under the value column, never back under the labels.
    let value_width = usize::from(area.width).saturating_sub(label_w + 3).max(10);
    let rows = |label: &str, value: String| -> Vec<Line<'static>> {
        wrap_words(&value, value_width)
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let label = if i == 0 { label } else { "" };
                Line::from(vec![
                    Span::styled(format!("  {label:<label_w$} "), theme.label()),
                    Span::raw(part),
                ])
            })
            .collect()
    };
    let section = |title: &str| Line::styled(title.to_string(), theme.header());
    let f = |field: Field| (s.field)(field);
    let reasons = case
        .reasons
        .iter()
        .map(|r| (s.reason)(*r))
        .collect::<Vec<_>>()
        .join(", ");
    let mut entries: Vec<(&str, String)> = vec![
        (f(Field::Surname), p.surname.clone()),
        (f(Field::GivenNames), p.given_names.clone()),
        (
            f(Field::BirthDate),
            format!(
                "{} ({})",
                format_german_date(p.birth_date),
                (s.years)(p.age_on(app.today))
            ),
        ),
        (s.u25_end, format_german_date(p.u25_end())),
        (f(Field::Gender), (s.gender)(p.gender).to_string()),
        (f(Field::Address), or_none(&p.address)),
        (f(Field::Phone), or_none(&p.phone)),
        (f(Field::Email), or_none(&p.email)),
        (f(Field::JcCustomerNo), or_none(&p.jc_customer_no)),
        (f(Field::BgNo), or_none(&p.bg_no)),
        (f(Field::JaFileNo), or_none(&p.ja_file_no)),
    ];
    let mut lines = vec![section(s.file_sections[0])];
    lines.extend(entries.drain(..).flat_map(|(l, v)| rows(l, v)));
    lines.push(Line::raw(""));
    lines.push(section(s.file_sections[1]));
    entries.push((f(Field::Status), (s.status)(case.status).to_string()));
    entries.push((f(Field::Reasons), or_none(&reasons)));
    if case.question.is_empty() {
        entries.push((f(Field::Question), none()));
    }
    for (i, q) in case.question.lines().enumerate() {
        entries.push((if i == 0 { f(Field::Question) } else { "" }, q.to_string()));
    }
    entries.push((s.opened_on, format_german_date(case.opened_on)));
    entries.push((
        f(Field::NextReview),
        case.next_review.map_or_else(none, format_german_date),
    ));
    if let Some(closed) = case.closed_on {
        entries.push((s.closed_on, format_german_date(closed)));
    }
    if let Some(reason) = case.closure_reason {
        entries.push((f(Field::ClosureReason), (s.closure)(reason).to_string()));
    }
    lines.extend(entries.drain(..).flat_map(|(l, v)| rows(l, v)));
    lines.push(Line::raw(""));
    lines.push(section(s.file_sections[2]));
    let unassigned = || s.unassigned.to_string();
    entries.extend([
        (s.owner, (s.agency)(case.owner).to_string()),
        (f(Field::Lead), (s.agency)(case.lead).to_string()),
        (
            f(Field::JcStaff),
            file.jc_name.clone().unwrap_or_else(unassigned),
        ),
        (
            f(Field::JaStaff),
            file.ja_name.clone().unwrap_or_else(unassigned),
        ),
    ]);
    lines.extend(entries.drain(..).flat_map(|(l, v)| rows(l, v)));
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {}: {} ", s.case_file, p.display_name()))
        .title_style(theme.header());
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((file.scroll, 0)),
        area,
    );
}
