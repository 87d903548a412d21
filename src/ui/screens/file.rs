//! The case file ("Fallakte") of one case: what this issue's fields hold; later issues add
//! consent, measures and the timeline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::App;
use crate::domain::Field;
use crate::domain::date::format_german_date;

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
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("  {label:<label_w$} "), theme.label()),
            Span::raw(value),
        ])
    };
    let section = |title: &str| Line::styled(title.to_string(), theme.header());
    let f = |field: Field| (s.field)(field);
    let reasons = case
        .reasons
        .iter()
        .map(|r| (s.reason)(*r))
        .collect::<Vec<_>>()
        .join(", ");
    let mut lines = vec![
        section(s.file_sections[0]),
        row(f(Field::Surname), p.surname.clone()),
        row(f(Field::GivenNames), p.given_names.clone()),
        row(
            f(Field::BirthDate),
            format!(
                "{} ({})",
                format_german_date(p.birth_date),
                (s.years)(p.age_on(app.today))
            ),
        ),
        row(s.u25_end, format_german_date(p.u25_end())),
        row(f(Field::Gender), (s.gender)(p.gender).to_string()),
        row(f(Field::Address), or_none(&p.address)),
        row(f(Field::Phone), or_none(&p.phone)),
        row(f(Field::Email), or_none(&p.email)),
        row(f(Field::JcCustomerNo), or_none(&p.jc_customer_no)),
        row(f(Field::BgNo), or_none(&p.bg_no)),
        row(f(Field::JaFileNo), or_none(&p.ja_file_no)),
        Line::raw(""),
        section(s.file_sections[1]),
        row(f(Field::Status), (s.status)(case.status).to_string()),
        row(f(Field::Reasons), or_none(&reasons)),
    ];
    let question: Vec<&str> = case.question.lines().collect();
    if question.is_empty() {
        lines.push(row(f(Field::Question), none()));
    }
    for (i, q) in question.iter().enumerate() {
        let label = if i == 0 { f(Field::Question) } else { "" };
        lines.push(row(label, (*q).to_string()));
    }
    lines.extend([
        row(s.opened_on, format_german_date(case.opened_on)),
        row(
            f(Field::NextReview),
            case.next_review.map_or_else(none, format_german_date),
        ),
    ]);
    if let Some(closed) = case.closed_on {
        lines.push(row(s.closed_on, format_german_date(closed)));
    }
    if let Some(reason) = case.closure_reason {
        lines.push(row(
            f(Field::ClosureReason),
            (s.closure)(reason).to_string(),
        ));
    }
    lines.extend([
        Line::raw(""),
        section(s.file_sections[2]),
        row(s.owner, (s.agency)(case.owner).to_string()),
        row(f(Field::Lead), (s.agency)(case.lead).to_string()),
        row(
            f(Field::JcStaff),
            file.jc_name
                .clone()
                .unwrap_or_else(|| s.unassigned.to_string()),
        ),
        row(
            f(Field::JaStaff),
            file.ja_name
                .clone()
                .unwrap_or_else(|| s.unassigned.to_string()),
        ),
    ]);
    let block = Block::default()
        .borders(Borders::TOP)
        .title(format!(" {}: {} ", s.case_file, p.display_name()))
        .title_style(theme.header());
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((file.scroll, 0)),
        area,
    );
}
