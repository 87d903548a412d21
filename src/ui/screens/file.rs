//! The case file ("Fallakte"): the young person, the case, who is responsible, consents and
//! whether sharing is allowed, custody holders, children, measures, notes, transfers, one
//! merged timeline and the alerts — exactly as far as the access rules let the viewer see.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::domain::Field;
use crate::domain::casefile::Responsible;
use crate::domain::date::format_german_date;
use crate::strings::TimelineEvent;
use crate::widgets::wrap_words;

/// ```text
/// ┌ Fallakte: Müller, Jana · zuständig ─────────────────────────┐
/// │ Hinweise        Einwilligung endet am 03.12.2026            │
/// │ Weitergabe an die Partnerstelle erlaubt bis 03.12.2026      │
/// │ Junge Person                                                │
/// │   Nachname               Müller                             │
/// │   Kundennummer JC        – nicht übermittelt –              │
/// │ Kooperationsfall · Zuständigkeit · Einwilligungen · …       │
/// │ Verlauf   12.11.2026  Notiz von Sabine Brinkmann            │
/// └─────────────────────────────────────────────────────────────┘
/// ```
pub fn render(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let Some(file) = &app.cases.file else { return };
    let s = app.strings;
    let theme = app.theme;
    let v = &file.view;
    let case = &v.case;
    let p = &case.person;
    let today = app.today();
    let none = || s.none.to_string();
    let label_w = 22;
    // Values wrap under the value column, never back under the labels; they come from
    // the database and pass the sanitiser (docs/architecture.md § 6).
    let value_width = usize::from(area.width).saturating_sub(label_w + 3).max(10);
    let rows = |label: &str, value: String| -> Vec<Line<'static>> {
        wrap_words(&crate::domain::text::sanitize(&value, false), value_width)
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
    let name = |id| v.staff_names.get(&id).cloned().unwrap_or_else(none);
    // A person field: withheld, received from the partner, or own.
    let shown = |field: Field, value: String| -> String {
        if v.hidden.contains(&field) {
            s.withheld.to_string()
        } else if value.is_empty() {
            none()
        } else if v.received.contains(&field) {
            format!("{value}{}", s.received_marker)
        } else {
            value
        }
    };
    // A disputed field keeps its value, marked (docs/access.md A12).
    let shown = |field: Field, value: String| -> String {
        let text = shown(field, value);
        if v.disputed.contains(&field) {
            format!("{text} {}", s.restrict.disputed)
        } else {
            text
        }
    };
    let more = s.file_more_sections;
    let mut lines: Vec<Line<'static>> = Vec::new();

    // A restricted case says so first (docs/access.md A12).
    if let Some((reason, at)) = v.restriction {
        let since = at.format("%d.%m.%Y").to_string();
        lines.push(Line::styled(
            (s.restrict.banner)(&since, (s.restrict.reason)(reason)),
            theme.error(),
        ));
        lines.push(Line::raw(""));
    }
    if !v.alerts.is_empty() {
        lines.push(section(more[7]));
        for a in &v.alerts {
            lines.push(Line::styled(
                format!("  ⚠ {}", (s.alert)(*a)),
                theme.error(),
            ));
        }
    }
    // What a revoked consent had carried here must no longer be used (docs/casework.md § 3).
    for r in &v.revoked_received {
        lines.push(Line::styled(
            format!(
                "⚠ {}",
                (s.casework.revoked_in_file)(&format_german_date(r.revoked_on))
            ),
            theme.error(),
        ));
        lines.extend(rows("", crate::strings::casework::receipt_words(s, r)));
        lines.push(Line::raw(""));
    }
    let until = v.sharing_until(today).map(format_german_date);
    lines.push(Line::styled((s.sharing)(until.as_deref()), theme.info()));
    lines.push(Line::raw(""));

    lines.push(section(s.file_sections[0]));
    let birth = if v.hidden.contains(&Field::BirthDate) {
        String::new()
    } else {
        format!(
            "{} ({})",
            format_german_date(p.birth_date),
            (s.years)(p.age_on(today))
        )
    };
    let mut entries: Vec<(&str, String)> = vec![
        (f(Field::Surname), shown(Field::Surname, p.surname.clone())),
        (
            f(Field::GivenNames),
            shown(Field::GivenNames, p.given_names.clone()),
        ),
        (f(Field::BirthDate), shown(Field::BirthDate, birth)),
    ];
    if !v.hidden.contains(&Field::BirthDate) {
        entries.push((s.u25_end, format_german_date(p.u25_end())));
    }
    let gender = if v.hidden.contains(&Field::Gender) {
        String::new()
    } else {
        (s.gender)(p.gender).to_string()
    };
    entries.extend([
        (f(Field::Gender), shown(Field::Gender, gender)),
        (f(Field::Address), shown(Field::Address, p.address.clone())),
        (f(Field::Phone), shown(Field::Phone, p.phone.clone())),
        (f(Field::Email), shown(Field::Email, p.email.clone())),
        (
            f(Field::JcCustomerNo),
            shown(Field::JcCustomerNo, p.jc_customer_no.clone()),
        ),
        (f(Field::BgNo), shown(Field::BgNo, p.bg_no.clone())),
        (
            f(Field::JaFileNo),
            shown(Field::JaFileNo, p.ja_file_no.clone()),
        ),
    ]);
    lines.extend(entries.drain(..).flat_map(|(l, v)| rows(l, v)));
    lines.push(Line::raw(""));

    lines.push(section(s.file_sections[1]));
    let reasons = case
        .reasons
        .iter()
        .map(|r| (s.reason)(*r))
        .collect::<Vec<_>>()
        .join(", ");
    entries.push((f(Field::Status), (s.status)(case.status).to_string()));
    entries.push((f(Field::Reasons), shown(Field::Reasons, reasons)));
    if case.question.is_empty() || v.hidden.contains(&Field::Question) {
        entries.push((f(Field::Question), shown(Field::Question, String::new())));
    } else {
        for (i, q) in case.question.lines().enumerate() {
            let value = if i == 0 && v.received.contains(&Field::Question) {
                format!("{q}{}", s.received_marker)
            } else {
                q.to_string()
            };
            entries.push((if i == 0 { f(Field::Question) } else { "" }, value));
        }
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
    let with_deputy = |staff: Option<crate::domain::StaffId>,
                       deputy: Option<crate::domain::StaffId>| match staff {
        None => s.unassigned.to_string(),
        Some(id) => match deputy {
            Some(d) => format!("{} ({}: {})", name(id), s.deputy, name(d)),
            None => name(id),
        },
    };
    entries.extend([
        (s.owner, (s.agency)(case.owner).to_string()),
        (f(Field::Lead), (s.agency)(case.lead).to_string()),
        (f(Field::JcStaff), with_deputy(case.jc_staff, v.deputies.0)),
        (f(Field::JaStaff), with_deputy(case.ja_staff, v.deputies.1)),
    ]);
    lines.extend(entries.drain(..).flat_map(|(l, v)| rows(l, v)));
    lines.push(Line::raw(""));

    lines.push(section(more[0]));
    if v.consents.is_empty() {
        lines.extend(rows("", none()));
    }
    for c in &v.consents {
        let status = (s.consent_status)(c.effective_status(today, p.birth_date));
        let declarant = if v.declarant_withheld.contains(&c.id) {
            s.declarant_withheld
        } else {
            (s.declared_by)(c.declared_by)
        };
        let head = format!(
            "{status}: {} – {} · {declarant}",
            format_german_date(c.valid_from),
            format_german_date(c.valid_until),
        );
        lines.extend(rows(&format_german_date(c.signed_on), head));
        let purposes = c
            .purposes
            .iter()
            .map(|x| (s.purpose)(*x))
            .collect::<Vec<_>>()
            .join(", ");
        let cats = c
            .categories
            .iter()
            .map(|x| (s.category)(*x))
            .collect::<Vec<_>>()
            .join(", ");
        let to = c
            .recipient_agencies
            .iter()
            .map(|a| (s.agency)(*a))
            .collect::<Vec<_>>()
            .join(", ");
        lines.extend(rows(f(Field::Purposes), purposes));
        lines.extend(rows(f(Field::Categories), cats));
        lines.extend(rows(f(Field::Recipients), to));
    }
    lines.push(Line::raw(""));

    // The hand-over Jugendamt → Jobcenter (docs/casework.md § 3a).
    if let Some(h) = &v.handover {
        let c = s.casework;
        let f = c.handover_fields;
        lines.push(section(c.handover_title[0]));
        lines.extend(rows(
            c.handover_state,
            (c.handover_status)(h.status).to_string(),
        ));
        if let Some(t) = h.help_type {
            lines.extend(rows(f[0], (c.help_type)(t).to_string()));
        }
        if let Some(end) = h.planned_end {
            lines.extend(rows(
                f[1].split(" (").next().unwrap_or(f[1]),
                format_german_date(end),
            ));
            lines.extend(rows(
                f[2],
                format_german_date(crate::domain::handover::check_due(end)),
            ));
        }
        if !h.hilfeplan_ref.is_empty() {
            lines.extend(rows(f[3], h.hilfeplan_ref.clone()));
        }
        if let Some(d) = h.applied_on {
            lines.extend(rows(f[4], format_german_date(d)));
        }
        if let Some(d) = h.handed_over_on {
            lines.extend(rows(f[5], format_german_date(d)));
        }
        if !h.reason.is_empty() {
            lines.extend(rows(f[6], h.reason.clone()));
        }
        if let Some((due, planned)) = h.conference {
            let text = (c.handover_conference)(&format_german_date(due), planned, today > due);
            let style = if !planned && today > due {
                theme.error()
            } else {
                theme.dim()
            };
            lines.push(Line::styled(format!("  {text}"), style));
        }
        lines.push(Line::raw(""));
    }
    // The information at benefit withdrawal, the Jobcenter's own (docs/casework.md § 9).
    if !v.withdrawals.is_empty() {
        let w = s.withdrawal;
        lines.push(section(w.title));
        for n in v.withdrawals.iter().take(3) {
            for (label, text) in withdrawal_rows(s, n) {
                lines.extend(rows(label, text));
            }
            lines.push(Line::raw(""));
        }
    }
    if let Some(guardians) = &v.guardians {
        lines.push(section(more[1]));
        if guardians.is_empty() {
            lines.extend(rows("", none()));
        }
        for g in guardians {
            let mut text = format!("{}, {}", g.name, (s.custody)(g.custody));
            if !g.phone.is_empty() {
                text.push_str(", ");
                text.push_str(&g.phone);
            }
            if g.do_not_contact {
                text.push_str(" · ");
                text.push_str(s.do_not_contact);
            }
            if let Some(d) = g.ended_on {
                text.push_str(" · ");
                text.push_str(&(s.casework.ended)(&format_german_date(d)));
            }
            lines.extend(rows((s.kin)(g.relation), text));
        }
        lines.push(Line::raw(""));
    }
    if let Some(children) = &v.children
        && !children.is_empty()
    {
        lines.push(section(more[2]));
        for c in children {
            let mut text = format!(
                "{} ({}), {}",
                c.name,
                (s.years)(crate::domain::date::age_on(c.birth_date, today)),
                c.whereabouts
            );
            if let Some(d) = c.ended_on {
                text.push_str(" · ");
                text.push_str(&(s.casework.ended)(&format_german_date(d)));
            }
            lines.extend(rows(&format_german_date(c.birth_date), text));
        }
        lines.push(Line::raw(""));
    }

    lines.push(section(more[3]));
    if v.measures.is_empty() {
        lines.extend(rows("", none()));
    }
    for m in &v.measures {
        let who = match &m.responsible {
            Responsible::Staff(_, id) => name(*id),
            Responsible::YoungPerson => s.young_person.to_string(),
            Responsible::External(n) => n.clone(),
        };
        // Accessible mode says it in a word (docs/accessibility.md § 2).
        let marker = match (m.is_overdue(today), app.theme.accessible) {
            (false, _) => String::new(),
            (true, true) => format!("{} ", s.words.overdue),
            (true, false) => "⚠ ".to_string(),
        };
        let text = format!(
            "{marker}{} · {} · {}",
            m.text,
            who,
            (s.measure_status)(m.status)
        );
        lines.extend(rows(&format_german_date(m.due_on), text));
    }
    lines.push(Line::raw(""));

    lines.push(section(more[4]));
    if v.notes.is_empty() && v.withheld_notes.is_empty() {
        lines.extend(rows("", none()));
    }
    for n in &v.notes {
        let mut label = format!("{} {}", n.at.format("%d.%m.%Y"), name(n.author));
        if n.entrusted {
            label = format!("{label} · {}", s.entrusted);
        }
        lines.push(Line::styled(format!("  {label}"), theme.label()));
        for part in crate::domain::text::sanitize(&n.text, true).lines() {
            for w in wrap_words(part, usize::from(area.width).saturating_sub(6).max(10)) {
                lines.push(Line::raw(format!("    {w}")));
            }
        }
    }
    if !v.withheld_notes.is_empty() {
        let dates = v
            .withheld_notes
            .iter()
            .map(|d| d.format("%d.%m.%Y").to_string())
            .collect::<Vec<_>>()
            .join(", ");
        lines.extend(rows("", (s.withheld_notes)(v.withheld_notes.len(), &dates)));
    }
    lines.push(Line::raw(""));

    lines.push(section(more[5]));
    if v.transfers.is_empty() {
        lines.extend(rows("", none()));
    }
    for t in &v.transfers {
        let fields = t
            .fields
            .iter()
            .map(|x| (s.field)(*x))
            .collect::<Vec<_>>()
            .join(", ");
        let basis = match t.basis {
            crate::domain::casefile::TransferBasis::Consent(_) => s.basis_consent.to_string(),
            crate::domain::casefile::TransferBasis::Statute(b) => (s.statute)(b).to_string(),
        };
        let text = format!(
            "{} → {}: {fields} ({basis}; {})",
            (s.agency_short)(t.from),
            (s.agency_short)(t.to),
            name(t.decided_by)
        );
        lines.extend(rows(&t.at.format("%d.%m.%Y %H:%M").to_string(), text));
    }
    lines.push(Line::raw(""));

    if !v.grants.is_empty() {
        lines.push(section(s.grants_title));
        for (who, reason, at) in &v.grants {
            let text = format!("{} · {}", name(*who), (s.break_glass_reason)(*reason));
            lines.extend(rows(&at.format("%d.%m.%Y %H:%M").to_string(), text));
        }
        lines.push(Line::raw(""));
    }

    lines.push(section(more[6]));
    let mut events: Vec<(chrono::NaiveDate, String)> =
        vec![(case.opened_on, (s.timeline)(TimelineEvent::Opened))];
    for c in &v.consents {
        events.push((
            c.signed_on,
            (s.timeline)(TimelineEvent::ConsentSigned((s.declared_by)(c.declared_by))),
        ));
        if let Some(r) = c.revoked_on {
            events.push((r, (s.timeline)(TimelineEvent::ConsentRevoked)));
        }
    }
    for t in &v.transfers {
        events.push((
            t.at.date(),
            (s.timeline)(TimelineEvent::Transfer((s.agency)(t.to), t.fields.len())),
        ));
    }
    for m in &v.measures {
        events.push((
            m.due_on,
            (s.timeline)(TimelineEvent::MeasureDue(
                &m.text,
                (s.measure_status)(m.status),
            )),
        ));
    }
    for n in &v.notes {
        events.push((
            n.at.date(),
            (s.timeline)(TimelineEvent::Note(&name(n.author))),
        ));
    }
    events.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (d, text) in events {
        lines.extend(rows(&format_german_date(d), text));
    }

    let title = if v.hidden.contains(&Field::Surname) {
        s.withheld.to_string()
    } else {
        // Block titles, like table cells, let bidi controls through.
        crate::domain::text::sanitize(&p.display_name(), false)
    };
    let block = Block::default()
        .borders(app.theme.borders(Borders::TOP))
        .title(format!(
            " {}: {} · {} ",
            s.case_file,
            title,
            (s.relation)(v.relation)
        ))
        .title_style(theme.header());
    // A file longer than the screen says so on its last row (issue #16).
    let inner_h = usize::from(area.height.saturating_sub(1));
    let top = usize::from(file.scroll);
    let below = lines.len().saturating_sub(top + inner_h);
    if below > 0 && inner_h > 0 {
        lines.truncate(top + inner_h - 1);
        lines.push(Line::styled((s.more_below)(below + 1), theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((file.scroll, 0)),
        area,
    );
}

/// The rows of one review in the case file: state, BG, minors, the decision with its
/// ground, reason and basis, who decided and confirmed, and the Jugendamt's receipt.
pub fn withdrawal_rows(
    s: &crate::strings::Strings,
    n: &crate::model::referral::WithdrawalNotice,
) -> Vec<(&'static str, String)> {
    let w = s.withdrawal;
    let at = |t: &chrono::NaiveDateTime| t.format("%d.%m.%Y %H:%M").to_string();
    let mut out = vec![
        (s.casework.handover_state, (w.status)(n.status).to_string()),
        ((w.field)("bg_no"), n.bg_no.clone()),
        ((w.field)("minors_count"), n.minors_count.to_string()),
        (
            (w.field)("opened"),
            format!("{} ({})", at(&n.opened.1), n.opened.0),
        ),
    ];
    // A proposal the lead returned shows nothing of it: its words wait in the next form.
    let Some(d) = n.decision else {
        return out;
    };
    let mut text = (w.decision)(d).to_string();
    if let Some(g) = n.ground {
        text = format!("{text}: {}", (w.ground)(g));
    }
    out.push(((w.field)("decision"), text));
    if !n.reason.is_empty() {
        out.push(((w.field)("reason"), n.reason.clone()));
    }
    if !n.legal_basis.is_empty() {
        out.push(((w.field)("legal_basis"), n.legal_basis.clone()));
    }
    if let Some((_, who)) = &n.decided_by {
        out.push(((w.field)("decided_by"), who.clone()));
    }
    match (&n.second_by, n.pending()) {
        (Some((_, who)), true) => out.push(((w.field)("pending_with"), who.clone())),
        (Some((_, who)), false) => {
            let when = n.decided_at.as_ref().map(at).unwrap_or_default();
            out.push(((w.field)("second_by"), format!("{who} ({when})")));
        }
        (None, _) => {}
    }
    if let (Some(no), Some((who, when))) = (&n.ja_ref, &n.received) {
        out.push(((w.field)("received"), format!("{no}, {} ({who})", at(when))));
    }
    out
}
