//! Texts of F5 Kooperation and the yearly report (docs/cooperation.md, docs/report.md),
//! German and English. Both are full struct literals, so a missing field does not compile;
//! the report's keys are checked by a test for both languages (every key the report uses
//! has a text that is not the fallback).

use crate::domain::coop::{
    CommitmentKind, DecisionStatus, EventStatus, HospitationStatus, MeasureCategory, MeetingKind,
    PlenaryStatus, TrainingFormat, TrainingTopic,
};
use crate::domain::referral::{AssessmentResult, Classification, ConsultResult, Urgency};
use crate::domain::{ClosureReason, Gender};
use crate::model::report::{Label, Value, YearReport};
use crate::strings::Strings;

/// The fallback of an unknown report key (a test makes sure none is shown).
pub const UNKNOWN: &str = "?";

/// The texts.
#[derive(Debug)]
pub struct CoopStrings {
    /// Section tabs: plenary, meetings, trainings, hospitations, agreement, report.
    pub sections: [&'static str; 6],
    /// The year line ("Jahr 2026 · ←/→ Bereich · +/- Jahr").
    pub year_line: fn(i32) -> String,
    /// The report is for leads and DSBs.
    pub report_only_leads: &'static str,
    /// Nothing recorded yet.
    pub empty: &'static str,
    /// No plenary planned for the year.
    pub no_plenary: fn(i32) -> String,
    /// Labels of the plenary view: date, location, state, participants, agenda, minutes,
    /// decisions, carried decisions, approved by.
    pub plenary_labels: [&'static str; 9],
    /// Not set.
    pub not_set: &'static str,
    /// Column heads of the meetings: date, kind, title, state, participants.
    pub meeting_columns: [&'static str; 5],
    /// Column heads of the trainings: date, title, hours, format, joint, state, JC, JA.
    pub training_columns: [&'static str; 8],
    /// Column heads of the hospitations: from, to, guest, direction, days, pledge, state.
    pub hospitation_columns: [&'static str; 7],
    /// Reciprocity line (JC→JA done, JA→JC done).
    pub reciprocity: fn(usize, usize) -> String,
    /// Labels of the agreement: version, valid from, signatories, annexes, review,
    /// commitments.
    pub agreement_labels: [&'static str; 6],
    /// Participant hours per Stelle (JC hours, JA hours).
    pub participant_hours: fn(&str, &str) -> String,
    /// Alerts.
    pub alert_plenary_date: fn(i32) -> String,
    /// The agreement's review is due.
    pub alert_review: fn(&str) -> String,
    /// Open decisions past their due day.
    pub alert_decisions: fn(usize) -> String,
    /// States.
    pub plenary_status: fn(PlenaryStatus) -> &'static str,
    /// Decision states.
    pub decision_status: fn(DecisionStatus) -> &'static str,
    /// Meeting and training states.
    pub event_status: fn(EventStatus) -> &'static str,
    /// Hospitation states.
    pub hospitation_status: fn(HospitationStatus) -> &'static str,
    /// Meeting kinds.
    pub meeting_kind: fn(MeetingKind) -> &'static str,
    /// Training formats.
    pub training_format: fn(TrainingFormat) -> &'static str,
    /// Training topics.
    pub training_topic: fn(TrainingTopic) -> &'static str,
    /// Commitment kinds (as the agreement names them by default).
    pub commitment_kind: fn(CommitmentKind) -> &'static str,
    /// The report's title ("Jahresbericht 2026").
    pub report_title: fn(i32) -> String,
    /// The report's legend line (threshold).
    pub legend: fn(u64) -> String,
    /// The note under the report: counts only, no drill-down.
    pub report_footer: &'static str,
    /// Labels of the report's fixed keys (sections, rows, notes).
    pub report_label: fn(&str) -> &'static str,
    /// Labels of coded rows (family, code).
    pub code_label: fn(&str, &str) -> String,
    /// Units of medians and amounts: days, working days, hours.
    pub unit: fn(&str) -> &'static str,
    /// "erreicht" / "nicht erreicht".
    pub reached: [&'static str; 2],
    /// Keys of the F5 screen's footer.
    pub footer: &'static str,
    /// The agenda was filled from the report (how many items).
    pub agenda_from_report: fn(usize) -> String,
    /// Confirmation of a step.
    pub saved: &'static str,
    /// Numbers with a decimal comma (German).
    pub decimal_comma: bool,
    /// Titles of the forms: plenary, decision, meeting, training, hospitation, agreement.
    pub form_titles: [&'static str; 6],
    /// The line over every form.
    pub form_hint: &'static str,
    /// Labels of the form fields, by key.
    pub field: fn(&str) -> &'static str,
    /// A required field is empty.
    pub required: &'static str,
    /// A date that cannot be read.
    pub bad_date: &'static str,
    /// A number that cannot be read or is out of range (min, max).
    pub bad_number: fn(u32, u32) -> String,
    /// The end lies before the start.
    pub end_before_start: &'static str,
    /// The year of the date is not the plenary's.
    pub wrong_year: fn(i32) -> String,
    /// No plenary for the year yet (a decision needs one).
    pub plenary_first: &'static str,
    /// Nothing selected to edit.
    pub nothing_selected: &'static str,
    /// F5 for someone without a case role, lead or DSB role (the administration).
    pub only_staff: &'static str,
    /// "fällig" before a due date.
    pub due: &'static str,
    /// "1 Tag", "3 Tage".
    pub days: fn(u32) -> String,
}

fn de_label(key: &str) -> &'static str {
    match key {
        "persons" => "Gemeinsam betreute junge Menschen",
        "persons_total" => "Junge Menschen insgesamt",
        "persons_new_heading" => "Neu und fortgeführt",
        "persons_new" => "neu im Jahr",
        "persons_continued" => "aus dem Vorjahr fortgeführt",
        "age_heading" => "Altersgruppe (Alter am 31.12.)",
        "gender_heading" => "Geschlecht",
        "parents_heading" => "Junge Eltern",
        "parents_yes" => "junge Eltern",
        "parents_no" => "ohne eigene Kinder",
        "cases" => "Fälle eröffnet / abgeschlossen",
        "cases_opened" => "Fälle eröffnet",
        "cases_closed" => "Fälle abgeschlossen",
        "cases_duration" => "Dauer abgeschlossener Fälle (Median)",
        "consents" => "Einwilligungen",
        "consent_asked" => "erfasst (angefragt)",
        "consent_granted" => "erteilt",
        "consent_refused" => "verweigert",
        "consent_revoked" => "widerrufen",
        "consent_expired" => "abgelaufen",
        "conferences" => "Fallkonferenzen",
        "conf_held" => "durchgeführt",
        "conf_cancelled" => "abgesagt",
        "conf_postponed" => "vertagt",
        "conf_yp_share" => "Anteil mit anwesender junger Person",
        "conf_wd_median" => "Arbeitstage vom Antrag bis zur Konferenz (Median)",
        "conf_per_case" => "Konferenzen je Fall",
        "conf_quarter_heading" => "Durchgeführt je Quartal",
        "measures" => "Vereinbarungen",
        "measures_total" => "fällig im Jahr",
        "measure_outcome_heading" => "Ergebnis der im Jahr fälligen Vereinbarungen",
        "measures_matrix_note" => "Nach Kategorie und Verantwortung (Berichtsjahr):",
        "closure" => "Ergebnisse bei Abschluss",
        "transitions" => "Übergänge JA → JC",
        "trans_due" => "geplantes Hilfeende im Jahr",
        "trans_done" => "mit Übergangskonferenz abgeschlossen",
        "trans_before_share" => "Anteil vor dem geplanten Hilfeende übergeben",
        "trans_note" => {
            "Gezählt über das geplante Hilfeende des Falls und die durchgeführte Übergangskonferenz (§ 36b SGB VIII)."
        }
        "referrals" => "Kinderschutz-Mitteilungen",
        "cp_referrals" => "Mitteilungen",
        "cp_children" => "betroffene Kinder",
        "cp_urgency_heading" => "nach Dringlichkeit",
        "cp_class_heading" => "nach Einstufung des Jugendamts",
        "cp_contact_heading" => "Stunden bis zum Erstkontakt (Median) je Einstufung",
        "cp_month_heading" => "Mitteilungen je Monat",
        "cp_hidden_note" => {
            "Kinderschutz-Zahlen sehen nur Teamleitungen und Datenschutzbeauftragte."
        }
        "results" => "Ergebnisse der Gefährdungseinschätzung (je Kind, Jahr des Abschlusses)",
        "cp_closed_children" => "Kinder abgeschlossener Mitteilungen",
        "feedback" => "Rückmeldungen an das Jobcenter",
        "consults" => "Anonyme Fallberatungen",
        "consults_total" => "Beratungen",
        "early_help" => "Kontaktvermittlungen Frühe Hilfen",
        "eh_requests" => "Kontaktanfragen gesendet",
        "eh_band_heading" => "Kinder nach Alter",
        "eh_children" => "Kinder der Anfragen",
        "eh_declined" => "Einwilligung verweigert",
        "eh_converted" => "in Kinderschutz-Mitteilungen überführt",
        "eh_contacted" => "mit Erstkontakt",
        "eh_wd_median" => "Arbeitstage bis zum Erstkontakt (Median)",
        "structure" => "Kooperationsstruktur",
        "struct_plenary" => "Große Runde am",
        "struct_meetings" => "Besprechungen",
        "struct_trainings" => "Fortbildungen",
        "struct_hours_jc" => "Teilnahmestunden Jobcenter",
        "struct_hours_ja" => "Teilnahmestunden Jugendamt",
        "struct_hospitations" => "Hospitationen",
        "struct_hospitation_days" => "Hospitationstage",
        "struct_jc_to_ja" => "Hospitationen JC → JA",
        "struct_ja_to_jc" => "Hospitationen JA → JC",
        "commitments" => "Zusagen der Kooperationsvereinbarung",
        "commit_kept" => "eingehalten",
        "commit_all" => "insgesamt",
        "commit_none" => "Keine Vereinbarung mit messbaren Zusagen erfasst.",
        _ => UNKNOWN,
    }
}

fn en_label(key: &str) -> &'static str {
    match key {
        "persons" => "Young people served jointly",
        "persons_total" => "Young people in all",
        "persons_new_heading" => "New and continued",
        "persons_new" => "new this year",
        "persons_continued" => "continued from last year",
        "age_heading" => "Age band (age on 31 Dec)",
        "gender_heading" => "Gender",
        "parents_heading" => "Young parents",
        "parents_yes" => "young parents",
        "parents_no" => "without children",
        "cases" => "Cases opened / closed",
        "cases_opened" => "cases opened",
        "cases_closed" => "cases closed",
        "cases_duration" => "duration of closed cases (median)",
        "consents" => "Consents",
        "consent_asked" => "recorded (asked)",
        "consent_granted" => "granted",
        "consent_refused" => "refused",
        "consent_revoked" => "revoked",
        "consent_expired" => "expired",
        "conferences" => "Case conferences",
        "conf_held" => "held",
        "conf_cancelled" => "cancelled",
        "conf_postponed" => "postponed",
        "conf_yp_share" => "share with the young person present",
        "conf_wd_median" => "working days from request to conference (median)",
        "conf_per_case" => "conferences per case",
        "conf_quarter_heading" => "Held per quarter",
        "measures" => "Agreed measures",
        "measures_total" => "due in the year",
        "measure_outcome_heading" => "Outcome of the measures due in the year",
        "measures_matrix_note" => "By category and responsibility (report year):",
        "closure" => "Outcomes at closure",
        "transitions" => "Transitions youth office → jobcenter",
        "trans_due" => "planned end of help in the year",
        "trans_done" => "completed with a transition conference",
        "trans_before_share" => "share handed over before the planned end",
        "trans_note" => {
            "Counted from the case's planned end of help and the transition conference held (§ 36b SGB VIII)."
        }
        "referrals" => "Child-protection referrals",
        "cp_referrals" => "referrals",
        "cp_children" => "children concerned",
        "cp_urgency_heading" => "by urgency",
        "cp_class_heading" => "by the youth office's classification",
        "cp_contact_heading" => "hours to first contact (median) by classification",
        "cp_month_heading" => "referrals per month",
        "cp_hidden_note" => {
            "Child-protection figures are for team leads and data-protection officers only."
        }
        "results" => "Outcomes of the risk assessment (per child, year of closure)",
        "cp_closed_children" => "children of closed referrals",
        "feedback" => "Feedback to the jobcenter",
        "consults" => "Anonymous consultations",
        "consults_total" => "consultations",
        "early_help" => "Early-help contact requests",
        "eh_requests" => "requests sent",
        "eh_band_heading" => "Children by age",
        "eh_children" => "children of the requests",
        "eh_declined" => "consent refused",
        "eh_converted" => "turned into child-protection referrals",
        "eh_contacted" => "with a first contact",
        "eh_wd_median" => "working days to first contact (median)",
        "structure" => "Cooperation structure",
        "struct_plenary" => "plenary held on",
        "struct_meetings" => "meetings",
        "struct_trainings" => "trainings",
        "struct_hours_jc" => "participant hours jobcenter",
        "struct_hours_ja" => "participant hours youth office",
        "struct_hospitations" => "hospitations",
        "struct_hospitation_days" => "hospitation days",
        "struct_jc_to_ja" => "hospitations JC → JA",
        "struct_ja_to_jc" => "hospitations JA → JC",
        "commitments" => "Commitments of the cooperation agreement",
        "commit_kept" => "kept",
        "commit_all" => "in all",
        "commit_none" => "No agreement with measurable commitments recorded.",
        _ => UNKNOWN,
    }
}

pub(crate) fn de_category(c: MeasureCategory) -> &'static str {
    match c {
        MeasureCategory::Sgb2Counselling => "SGB II: Beratung und Vermittlung",
        MeasureCategory::Sgb2_16a => "SGB II: § 16a Kommunale Eingliederungsleistung",
        MeasureCategory::Sgb2_16h => "SGB II: § 16h Schwer erreichbare junge Menschen",
        MeasureCategory::Sgb2_16k => "SGB II: § 16k Ganzheitliche Betreuung",
        MeasureCategory::Training => "Ausbildung/Berufsvorbereitung",
        MeasureCategory::Sgb8_13 => "SGB VIII: § 13 Jugendsozialarbeit",
        MeasureCategory::Sgb8Hze => "SGB VIII: Hilfe zur Erziehung",
        MeasureCategory::Sgb8_35a => "SGB VIII: § 35a Eingliederungshilfe",
        MeasureCategory::Sgb8_41 => "SGB VIII: § 41 Hilfe für junge Volljährige",
        MeasureCategory::Sgb8_41a => "SGB VIII: § 41a Nachbetreuung",
        MeasureCategory::Housing => "Wohnen/§ 22 Abs. 5 SGB II",
        MeasureCategory::Health => "Gesundheit/Therapie",
        MeasureCategory::School => "Schule",
        MeasureCategory::OwnStep => "Eigener Schritt der jungen Person",
        MeasureCategory::Other => "Sonstiges",
    }
}

pub(crate) fn en_category(c: MeasureCategory) -> &'static str {
    match c {
        MeasureCategory::Sgb2Counselling => "SGB II: counselling and placement",
        MeasureCategory::Sgb2_16a => "SGB II: § 16a municipal integration services",
        MeasureCategory::Sgb2_16h => "SGB II: § 16h hard-to-reach young people",
        MeasureCategory::Sgb2_16k => "SGB II: § 16k holistic support",
        MeasureCategory::Training => "Apprenticeship/vocational preparation",
        MeasureCategory::Sgb8_13 => "SGB VIII: § 13 youth social work",
        MeasureCategory::Sgb8Hze => "SGB VIII: educational help",
        MeasureCategory::Sgb8_35a => "SGB VIII: § 35a integration help",
        MeasureCategory::Sgb8_41 => "SGB VIII: § 41 help for young adults",
        MeasureCategory::Sgb8_41a => "SGB VIII: § 41a aftercare",
        MeasureCategory::Housing => "Housing/§ 22 (5) SGB II",
        MeasureCategory::Health => "Health/therapy",
        MeasureCategory::School => "School",
        MeasureCategory::OwnStep => "Young person's own step",
        MeasureCategory::Other => "Other",
    }
}

/// The label of a coded row in `s` (shared by both languages: the lists' own texts).
fn code_label(s: &'static crate::strings::Strings, de: bool, family: &str, code: &str) -> String {
    let pick = |d: &'static str, e: &'static str| if de { d } else { e }.to_string();
    match family {
        "age" => match code {
            "other" => pick("unter 15 oder über 24", "under 15 or over 24"),
            band => band.replace('-', "–"),
        },
        "gender" => {
            Gender::from_code(code).map_or_else(|| code.to_string(), |g| (s.gender)(g).to_string())
        }
        "closure" => ClosureReason::from_code(code).map_or_else(
            || pick("ohne Angabe", "not given"),
            |r| (s.closure)(r).to_string(),
        ),
        "category" => MeasureCategory::from_code(code).map_or_else(
            || pick("ohne Kategorie", "no category"),
            |c| if de { de_category(c) } else { en_category(c) }.to_string(),
        ),
        "responsible" => match code {
            "jc" => pick("Jobcenter", "Jobcenter"),
            "ja" => pick("Jugendamt", "Youth office"),
            "young_person" => pick("junge Person", "young person"),
            _ => pick("extern", "external"),
        },
        "responsible_short" => match code {
            "jc" => "JC".to_string(),
            "ja" => pick("JA", "YO"),
            "young_person" => pick("j. P.", "y. p."),
            _ => pick("extern", "ext."),
        },
        "outcome" => match code {
            "on_time" => pick("erledigt, fristgerecht", "done on time"),
            "late" => pick("erledigt, verspätet", "done late"),
            "not_done" => pick("nicht erledigt", "not done"),
            "dropped" => pick("entfallen", "dropped"),
            _ => pick("noch offen", "still open"),
        },
        "quarter" => format!("Q{code}"),
        "month" => {
            const DE_M: [&str; 12] = [
                "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
            ];
            const EN_M: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let i = code.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1;
            pick(DE_M[i], EN_M[i])
        }
        "urgency" => Urgency::from_code(code)
            .map_or_else(|| code.to_string(), |u| (s.cp.urgency)(u).to_string()),
        "classification" => Classification::from_code(code).map_or_else(
            || pick("noch nicht eingestuft", "not classified yet"),
            |c| (s.cp.class)(c).to_string(),
        ),
        "result" => AssessmentResult::from_code(code).map_or_else(
            || pick("ohne Ergebnis", "no outcome"),
            |r| (s.cp.result)(r).to_string(),
        ),
        "feedback" => match code {
            "given" => pick("erteilt", "given"),
            "not_permitted" => pick("nicht zulässig", "not permitted"),
            _ => pick("offen", "open"),
        },
        "eh_end" => match code {
            "accepted" => pick("Hilfe angenommen", "help accepted"),
            "no_help" => pick(
                "Kontakt – keine Hilfe gewünscht",
                "contact – no help wanted",
            ),
            "no_contact" => pick("kein Kontakt zustande gekommen", "no contact made"),
            "withdrawn" => pick("Einwilligung widerrufen", "consent revoked"),
            "converted" => pick("in Mitteilung überführt", "turned into a referral"),
            _ => pick("noch offen", "still open"),
        },
        "eh_band" => match code {
            "0-2" => pick("0–2 Jahre (auch erwartet)", "0–2 years (also expected)"),
            "3-5" => pick("3–5 Jahre", "3–5 years"),
            _ => pick("6 Jahre und älter", "6 and older"),
        },
        "consult" => ConsultResult::from_code(code).map_or_else(
            || pick("noch offen", "still open"),
            |r| (s.cp.consult_result)(r).to_string(),
        ),
        _ => code.to_string(),
    }
}

fn de_number(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

/// German texts.
pub static DE: CoopStrings = CoopStrings {
    sections: [
        "Große Runde",
        "Besprechungen",
        "Fortbildungen",
        "Hospitationen",
        "Vereinbarung",
        "Jahresbericht",
    ],
    year_line: |y| format!("Jahr {y}"),
    report_only_leads: "Den Jahresbericht sehen Teamleitungen und Datenschutzbeauftragte.",
    empty: "Noch nichts erfasst.",
    no_plenary: |y| format!("Für {y} ist noch keine Große Runde geplant."),
    plenary_labels: [
        "Termin",
        "Ort",
        "Stand",
        "Teilnehmende",
        "Tagesordnung",
        "Protokoll",
        "Beschlüsse",
        "Offene Beschlüsse früherer Jahre",
        "Freigegeben von",
    ],
    not_set: "nicht festgelegt",
    meeting_columns: ["Datum", "Art", "Titel", "Stand", "Teiln."],
    training_columns: [
        "Datum", "Titel", "Std.", "Format", "Gem.", "Stand", "JC", "JA",
    ],
    hospitation_columns: [
        "Von",
        "Bis",
        "Hospitierende/r",
        "Richtung",
        "Tage",
        "Erklärung",
        "Stand",
    ],
    reciprocity: |a, b| format!("Gegenseitigkeit: JC → JA {a} · JA → JC {b} durchgeführt"),
    agreement_labels: [
        "Fassung",
        "Gültig ab",
        "Unterzeichnende",
        "Anlagen",
        "Überprüfung bis",
        "Messbare Zusagen",
    ],
    participant_hours: |jc, ja| format!("Teilnahmestunden: Jobcenter {jc} · Jugendamt {ja}"),
    alert_plenary_date: |y| format!("⚠ Für die Große Runde {y} ist noch kein Termin festgelegt."),
    alert_review: |d| format!("⚠ Die Kooperationsvereinbarung ist bis {d} zu überprüfen."),
    alert_decisions: |n| {
        if n == 1 {
            "⚠ Ein offener Beschluss ist überfällig.".to_string()
        } else {
            format!("⚠ {n} offene Beschlüsse sind überfällig.")
        }
    },
    plenary_status: |s| match s {
        PlenaryStatus::Planned => "Geplant",
        PlenaryStatus::Held => "Durchgeführt",
        PlenaryStatus::MinutesApproved => "Protokoll freigegeben",
        PlenaryStatus::Done => "Beschlüsse umgesetzt",
    },
    decision_status: |s| match s {
        DecisionStatus::Open => "offen",
        DecisionStatus::Done => "umgesetzt",
        DecisionStatus::Dropped => "verworfen",
    },
    event_status: |s| match s {
        EventStatus::Planned => "Geplant",
        EventStatus::Held => "Durchgeführt",
        EventStatus::Cancelled => "Abgesagt",
    },
    hospitation_status: |s| match s {
        HospitationStatus::Agreed => "Vereinbart",
        HospitationStatus::PledgeSigned => "Erklärung liegt vor",
        HospitationStatus::Done => "Durchgeführt",
        HospitationStatus::Feedback => "Rückmeldung erfasst",
        HospitationStatus::Cancelled => "Abgesagt",
    },
    meeting_kind: |k| match k {
        MeetingKind::Team => "Teambesprechung",
        MeetingKind::Leads => "Leitungsrunde",
        MeetingKind::WorkingGroup => "Arbeitsgruppe",
        MeetingKind::Other => "Sonstige",
    },
    training_format: |f| match f {
        TrainingFormat::Presence => "Präsenz",
        TrainingFormat::Online => "online",
    },
    training_topic: |t| match t {
        TrainingTopic::ChildProtection => "Kinderschutz",
        TrainingTopic::DataProtection => "Datenschutz",
        TrainingTopic::SgbII => "SGB II",
        TrainingTopic::SgbVIII => "SGB VIII",
        TrainingTopic::Conversation => "Gesprächsführung",
        TrainingTopic::Intercultural => "Interkulturelle Arbeit",
        TrainingTopic::Other => "Sonstiges",
    },
    commitment_kind: |k| match k {
        CommitmentKind::ConferenceWithin => "Fallkonferenz binnen N Arbeitstagen nach Antrag",
        CommitmentKind::CpFeedbackWithin => "Rückmeldung zur Mitteilung binnen N Arbeitstagen",
        CommitmentKind::CpReceiptWithin => "Eingang der Mitteilung binnen N Arbeitstagen bestätigt",
        CommitmentKind::PlenaryPerYear => "Große Runde einmal im Jahr",
        CommitmentKind::HospitationsPerYear => "N Hospitationen im Jahr",
        CommitmentKind::JointTrainingsPerYear => "N gemeinsame Fortbildungen im Jahr",
    },
    report_title: |y| format!("Jahresbericht {y}"),
    legend: |t| {
        format!(
            "Nur Anzahlen. „< {t}“: weniger als {t} · „x“: gesperrt, damit nichts zurückgerechnet werden kann · „–“: nicht ausweisbar"
        )
    },
    report_footer: "Keine Aufschlüsselung nach Personen oder Fällen.",
    report_label: de_label,
    code_label: |family, code| code_label(&super::de::DE, true, family, code),
    unit: |u| match u {
        "days" => "Tage",
        "wd" => "Arbeitstage",
        "hours" => "Std.",
        _ => "",
    },
    reached: ["erreicht", "nicht erreicht"],
    footer: "←/→ Bereich · +/- Jahr · ↑/↓ Zeile · s Schritt · a TO aus Bericht · ? Hilfe",
    agenda_from_report: |n| {
        format!("{n} Punkte aus dem Jahresbericht auf die Tagesordnung gesetzt.")
    },
    saved: "Gespeichert.",
    decimal_comma: true,
    form_titles: [
        "Große Runde",
        "Beschluss der Großen Runde",
        "Besprechung",
        "Fortbildung",
        "Hospitation",
        "Kooperationsvereinbarung",
    ],
    form_hint: "Tab nächstes Feld · Leertaste/←→ Auswahl · Strg+S speichern · Esc schließen. Eingaben bleiben als Entwurf erhalten.",
    field: |k| match k {
        "start" => "Termin (TT.MM.JJJJ HH:MM)",
        "duration" => "Dauer (Minuten)",
        "location" => "Ort",
        "participants_jc" => "Teilnehmende Jobcenter",
        "participants_ja" => "Teilnehmende Jugendamt",
        "minutes" => "Protokoll",
        "agenda" => "Tagesordnung (ein Punkt je Zeile)",
        "text" => "Beschluss",
        "owner" => "Verantwortlich",
        "due" => "Fällig am (TT.MM.JJJJ)",
        "kind" => "Art",
        "title" => "Titel",
        "topics" => "Themen",
        "results" => "Ergebnisse",
        "status" => "Stand",
        "hours" => "Umfang (Stunden)",
        "organiser" => "Veranstalter",
        "format" => "Format",
        "joint" => "Gemeinsam für beide Stellen",
        "training_topics" => "Themen",
        "guest" => "Hospitierende/r",
        "contact" => "Ansprechperson der Gaststelle",
        "from" => "Von (TT.MM.JJJJ)",
        "to" => "Bis (TT.MM.JJJJ)",
        "days" => "Tage",
        "goals" => "Ziele",
        "pledge" => "Verschwiegenheitserklärung unterzeichnet am",
        "feedback_guest" => "Rückmeldung Hospitierende/r",
        "feedback_host" => "Rückmeldung Gaststelle",
        "label" => "Fassung",
        "valid_from" => "Gültig ab (TT.MM.JJJJ)",
        "signatories" => "Unterzeichnende",
        "annexes" => "Anlagen",
        "review" => "Überprüfung bis (TT.MM.JJJJ)",
        "conference_within" => "Zusage: Fallkonferenz binnen … Arbeitstagen",
        "cp_feedback_within" => "Zusage: Rückmeldung zur Mitteilung binnen … Arbeitstagen",
        "cp_receipt_within" => "Zusage: Eingang bestätigt binnen … Arbeitstagen",
        "plenary_per_year" => "Zusage: Große Runden im Jahr",
        "hospitations_per_year" => "Zusage: Hospitationen im Jahr",
        "joint_trainings_per_year" => "Zusage: gemeinsame Fortbildungen im Jahr",
        _ => UNKNOWN,
    },
    required: "Bitte ausfüllen.",
    bad_date: "Datum als TT.MM.JJJJ eingeben, z. B. 12.11.2026.",
    bad_number: |lo, hi| format!("Bitte eine Zahl von {lo} bis {hi} eingeben."),
    end_before_start: "„Bis“ liegt vor „Von“.",
    wrong_year: |y| format!("Der Termin muss im Jahr {y} liegen."),
    plenary_first: "Für dieses Jahr ist noch keine Große Runde geplant (erst n, dann Beschlüsse).",
    nothing_selected: "Nichts gewählt.",
    only_staff: "Die Kooperation sehen Fachkräfte, Teamleitungen und Datenschutzbeauftragte.",
    due: "fällig",
    days: |n| {
        if n == 1 {
            "1 Tag".to_string()
        } else {
            format!("{n} Tage")
        }
    },
};

/// English texts.
pub static EN: CoopStrings = CoopStrings {
    sections: [
        "Plenary",
        "Meetings",
        "Trainings",
        "Hospitations",
        "Agreement",
        "Yearly report",
    ],
    year_line: |y| format!("Year {y}"),
    report_only_leads: "The yearly report is for team leads and data-protection officers.",
    empty: "Nothing recorded yet.",
    no_plenary: |y| format!("No plenary is planned for {y} yet."),
    plenary_labels: [
        "Date",
        "Location",
        "State",
        "Participants",
        "Agenda",
        "Minutes",
        "Decisions",
        "Open decisions of earlier years",
        "Approved by",
    ],
    not_set: "not set",
    meeting_columns: ["Date", "Kind", "Title", "State", "Part."],
    training_columns: [
        "Date", "Title", "Hrs", "Format", "Joint", "State", "JC", "JA",
    ],
    hospitation_columns: [
        "From",
        "To",
        "Guest",
        "Direction",
        "Days",
        "Pledge",
        "State",
    ],
    reciprocity: |a, b| format!("Reciprocity: JC → JA {a} · JA → JC {b} done"),
    agreement_labels: [
        "Version",
        "Valid from",
        "Signatories",
        "Annexes",
        "Review by",
        "Measurable commitments",
    ],
    participant_hours: |jc, ja| format!("Participant hours: jobcenter {jc} · youth office {ja}"),
    alert_plenary_date: |y| format!("⚠ The {y} plenary has no date yet."),
    alert_review: |d| format!("⚠ The cooperation agreement is due for review by {d}."),
    alert_decisions: |n| {
        if n == 1 {
            "⚠ 1 open decision is overdue.".to_string()
        } else {
            format!("⚠ {n} open decisions are overdue.")
        }
    },
    plenary_status: |s| match s {
        PlenaryStatus::Planned => "Planned",
        PlenaryStatus::Held => "Held",
        PlenaryStatus::MinutesApproved => "Minutes approved",
        PlenaryStatus::Done => "Decisions implemented",
    },
    decision_status: |s| match s {
        DecisionStatus::Open => "open",
        DecisionStatus::Done => "implemented",
        DecisionStatus::Dropped => "dropped",
    },
    event_status: |s| match s {
        EventStatus::Planned => "Planned",
        EventStatus::Held => "Held",
        EventStatus::Cancelled => "Cancelled",
    },
    hospitation_status: |s| match s {
        HospitationStatus::Agreed => "Agreed",
        HospitationStatus::PledgeSigned => "Pledge signed",
        HospitationStatus::Done => "Done",
        HospitationStatus::Feedback => "Feedback recorded",
        HospitationStatus::Cancelled => "Cancelled",
    },
    meeting_kind: |k| match k {
        MeetingKind::Team => "Team meeting",
        MeetingKind::Leads => "Leads' meeting",
        MeetingKind::WorkingGroup => "Working group",
        MeetingKind::Other => "Other",
    },
    training_format: |f| match f {
        TrainingFormat::Presence => "in person",
        TrainingFormat::Online => "online",
    },
    training_topic: |t| match t {
        TrainingTopic::ChildProtection => "Child protection",
        TrainingTopic::DataProtection => "Data protection",
        TrainingTopic::SgbII => "SGB II",
        TrainingTopic::SgbVIII => "SGB VIII",
        TrainingTopic::Conversation => "Conversation skills",
        TrainingTopic::Intercultural => "Intercultural work",
        TrainingTopic::Other => "Other",
    },
    commitment_kind: |k| match k {
        CommitmentKind::ConferenceWithin => "Case conference within N working days of the request",
        CommitmentKind::CpFeedbackWithin => "Feedback on a referral within N working days",
        CommitmentKind::CpReceiptWithin => "Receipt of a referral confirmed within N working days",
        CommitmentKind::PlenaryPerYear => "One plenary a year",
        CommitmentKind::HospitationsPerYear => "N hospitations a year",
        CommitmentKind::JointTrainingsPerYear => "N joint trainings a year",
    },
    report_title: |y| format!("Yearly report {y}"),
    legend: |t| {
        format!(
            "Counts only. \"< {t}\": fewer than {t} · \"x\": withheld so that nothing can be recomputed · \"–\": not shown"
        )
    },
    report_footer: "No breakdown by person or case.",
    report_label: en_label,
    code_label: |family, code| code_label(&super::en::EN, false, family, code),
    unit: |u| match u {
        "days" => "days",
        "wd" => "working days",
        "hours" => "h",
        _ => "",
    },
    reached: ["reached", "not reached"],
    footer: "←/→ section · +/- year · ↑/↓ row · s step · a agenda from report · ? help",
    agenda_from_report: |n| format!("{n} items from the yearly report added to the agenda."),
    saved: "Saved.",
    decimal_comma: false,
    form_titles: [
        "Plenary",
        "Decision of the plenary",
        "Meeting",
        "Training",
        "Hospitation",
        "Cooperation agreement",
    ],
    form_hint: "Tab next field · Space/←→ choose · Ctrl+S save · Esc close. What you type is kept as a draft.",
    field: |k| match k {
        "start" => "Date (DD.MM.YYYY HH:MM)",
        "duration" => "Duration (minutes)",
        "location" => "Location",
        "participants_jc" => "Participants jobcenter",
        "participants_ja" => "Participants youth office",
        "minutes" => "Minutes",
        "agenda" => "Agenda (one item per line)",
        "text" => "Decision",
        "owner" => "Responsible",
        "due" => "Due (DD.MM.YYYY)",
        "kind" => "Kind",
        "title" => "Title",
        "topics" => "Topics",
        "results" => "Results",
        "status" => "State",
        "hours" => "Length (hours)",
        "organiser" => "Organiser",
        "format" => "Format",
        "joint" => "Joint for both Stellen",
        "training_topics" => "Topics",
        "guest" => "Guest",
        "contact" => "Contact at the host",
        "from" => "From (DD.MM.YYYY)",
        "to" => "To (DD.MM.YYYY)",
        "days" => "Days",
        "goals" => "Goals",
        "pledge" => "Confidentiality pledge signed on",
        "feedback_guest" => "Guest's feedback",
        "feedback_host" => "Host's feedback",
        "label" => "Version",
        "valid_from" => "Valid from (DD.MM.YYYY)",
        "signatories" => "Signatories",
        "annexes" => "Annexes",
        "review" => "Review by (DD.MM.YYYY)",
        "conference_within" => "Commitment: conference within … working days",
        "cp_feedback_within" => "Commitment: referral feedback within … working days",
        "cp_receipt_within" => "Commitment: receipt confirmed within … working days",
        "plenary_per_year" => "Commitment: plenaries a year",
        "hospitations_per_year" => "Commitment: hospitations a year",
        "joint_trainings_per_year" => "Commitment: joint trainings a year",
        _ => UNKNOWN,
    },
    required: "Please fill in.",
    bad_date: "Enter the date as DD.MM.YYYY, e.g. 12.11.2026.",
    bad_number: |lo, hi| format!("Please enter a number from {lo} to {hi}."),
    end_before_start: "\"To\" lies before \"From\".",
    wrong_year: |y| format!("The date must lie in {y}."),
    plenary_first: "No plenary is planned for this year yet (first n, then decisions).",
    nothing_selected: "Nothing selected.",
    only_staff: "The cooperation is for caseworkers, team leads and data-protection officers.",
    due: "due",
    days: |n| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    },
};

/// A number with a decimal comma (German) or point (English).
pub fn number(de: bool, x: f64, digits: usize) -> String {
    if de {
        de_number(x, digits)
    } else {
        format!("{x:.digits$}")
    }
}

/// The label of a row of the yearly report (F5, `tandem report`, the PDF).
pub fn label_text(s: &Strings, label: &Label) -> String {
    match label {
        Label::Key(k) => (s.coop.report_label)(k).to_string(),
        Label::Code(family, code) => (s.coop.code_label)(family, code),
        Label::Text(t) => t.clone(),
    }
}

fn report_date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// One value of the yearly report as printed: a hidden count is never a number.
pub fn value_text(s: &Strings, r: &YearReport, v: &Value) -> String {
    let de = s.coop.decimal_comma;
    match v {
        Value::Count(id) => crate::domain::stats::label(r.count(*id), r.threshold),
        Value::Median { n, value, .. } => r
            .median(*n, *value)
            .map_or_else(|| "–".to_string(), |m| number(de, m, 1)),
        Value::Share { num, den } => r
            .share(*num, *den)
            .map_or_else(|| "–".to_string(), |p| format!("{} %", number(de, p, 0))),
        Value::Mean { num, den } => r
            .mean(*num, *den)
            .map_or_else(|| "–".to_string(), |m| number(de, m, 1)),
        Value::Date(d) => d.map_or_else(|| s.coop.not_set.to_string(), report_date),
        Value::Amount(a) => number(de, *a, 1),
        Value::Reached(ok) => s.coop.reached[usize::from(!ok)].to_string(),
        Value::None => String::new(),
    }
}
