//! Texts of the child-protection screens (Kinderschutz, Bereitschaft), German and English.
//! Both are full struct literals, so a missing translation does not compile.

use crate::domain::referral::{
    AgeBand, AssessmentResult, Classification, Clock, ConsultResult, DirectImpression,
    FeedbackStatus, FollowUp, FourEyesStep, IndicatorArea, JaActive, LegalBasis, NextStep,
    PriorStep, Rating, ReferralStatus, SecrecyHolder, Urgency, key,
};

/// The steps offered in the step menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MenuItem {
    /// "Eingang erfassen".
    Receive,
    /// "Weiterleiten".
    Forward,
    /// "Ersteinschätzung".
    Triage,
    /// Confirm a waiting four-eyes step.
    Confirm,
    /// Decline a waiting four-eyes step.
    Decline,
    /// "Klärung beginnen (Erstkontakt erfolgt)".
    Clarify,
    /// "Einschätzung abschließen".
    Assess,
    /// "Maßnahmen erfassen".
    Measures,
    /// "Abschließen".
    Close,
    /// "Abschließen (keine gewichtigen Anhaltspunkte)".
    CloseAtTriage,
    /// "Rückmeldung erteilen".
    Feedback,
    /// "Rückmeldung nicht zulässig".
    FeedbackNotPermitted,
    /// "Nachtrag".
    Addendum,
    /// "Anonyme Fallberatung anfragen".
    ConsultRequest,
    /// "Beratungsergebnis erfassen".
    ConsultAdvise,
}

/// The labelled fields of the referral form and of the step dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CpField {
    /// "Dringlichkeit" (urgency).
    Urgency,
    /// Time of the advance phone call.
    PhonedAt,
    /// Whom the call reached.
    PhonedTo,
    /// The reporter's phone.
    ReporterPhone,
    /// Reachable until.
    ReachableUntil,
    /// Professional secrecy holder.
    SecrecyHolder,
    /// Legal basis.
    LegalBasis,
    /// Case number.
    CaseNo,
    /// Number of children.
    Children,
    /// A child's surname.
    Surname,
    /// A child's given names.
    GivenNames,
    /// A child's date of birth.
    BirthDate,
    /// Where a child is now.
    Whereabouts,
    /// A child's custody holders.
    Custody,
    /// Parents and household.
    Household,
    /// Observed on.
    ObservedOn,
    /// Facts.
    Facts,
    /// Verbatim statements.
    Verbatim,
    /// The reporter's own assessment.
    Assessment,
    /// Already done.
    ImmediateActions,
    /// Receipt confirmation requested.
    WantsReceipt,
    /// Feedback requested.
    WantsFeedback,
    /// A prior step's date or reason.
    StepDetail,
    /// Classification (triage dialog).
    Class,
    /// Next step (triage dialog).
    NextStep,
    /// Direct impression (assessment dialog).
    Impression,
}

impl CpField {
    /// The fields of one child block, in form order.
    pub const CHILD: [CpField; 5] = [
        CpField::Surname,
        CpField::GivenNames,
        CpField::BirthDate,
        CpField::Whereabouts,
        CpField::Custody,
    ];

    /// The form key (a child field's key is its part of `child.N.FIELD`).
    pub fn key(self) -> &'static str {
        match self {
            CpField::Urgency => key::URGENCY,
            CpField::PhonedAt => key::PHONED_AT,
            CpField::PhonedTo => key::PHONED_TO,
            CpField::ReporterPhone => key::PHONE,
            CpField::ReachableUntil => key::REACHABLE,
            CpField::SecrecyHolder => key::SECRECY,
            CpField::LegalBasis => key::BASIS,
            CpField::CaseNo => key::CASE,
            CpField::Children => key::CHILDREN,
            CpField::Surname => "surname",
            CpField::GivenNames => "given_names",
            CpField::BirthDate => "birth_date",
            CpField::Whereabouts => "whereabouts",
            CpField::Custody => "custody",
            CpField::Household => key::HOUSEHOLD,
            CpField::ObservedOn => key::OBSERVED,
            CpField::Facts => key::FACTS,
            CpField::Verbatim => key::VERBATIM,
            CpField::Assessment => key::ASSESSMENT,
            CpField::ImmediateActions => key::ACTIONS,
            CpField::WantsReceipt => key::RECEIPT,
            CpField::WantsFeedback => key::FEEDBACK,
            CpField::StepDetail => "detail",
            CpField::Class => "class",
            CpField::NextStep => "next_step",
            CpField::Impression => "impression",
        }
    }
}

/// Titles of the child-protection screens and layers.
#[derive(Debug)]
pub struct CpTitles {
    /// The Jobcenter's list of its own referrals.
    pub list: &'static str,
    /// The Jugendamt's inbox.
    pub inbox: &'static str,
    /// The on-call view.
    pub oncall: &'static str,
    /// The referral form.
    pub form: &'static str,
    /// A referral's detail.
    pub detail: &'static str,
}

/// All child-protection texts of one language.
#[derive(Debug)]
pub struct CpStrings {
    /// "Dringlichkeit" values.
    pub urgency: fn(Urgency) -> &'static str,
    /// State labels.
    pub status: fn(ReferralStatus) -> &'static str,
    /// Feedback state labels.
    pub feedback: fn(FeedbackStatus) -> &'static str,
    /// Legal bases.
    pub basis: fn(LegalBasis) -> &'static str,
    /// Secrecy holder answers.
    pub secrecy: fn(SecrecyHolder) -> &'static str,
    /// Indicator areas.
    pub area: fn(IndicatorArea) -> &'static str,
    /// Ratings, word and glyph.
    pub rating: fn(Rating) -> &'static str,
    /// Prior steps.
    pub step: fn(PriorStep) -> &'static str,
    /// Classifications.
    pub class: fn(Classification) -> &'static str,
    /// Next steps.
    pub next_step: fn(NextStep) -> &'static str,
    /// Assessment results.
    pub result: fn(AssessmentResult) -> &'static str,
    /// Direct impressions.
    pub impression: fn(DirectImpression) -> &'static str,
    /// Follow-up measures.
    pub follow_up: fn(FollowUp) -> &'static str,
    /// "Jugendamt tätig" answers.
    pub ja_active: fn(JaActive) -> &'static str,
    /// Age bands.
    pub age_band: fn(AgeBand) -> &'static str,
    /// Consultation results.
    pub consult_result: fn(ConsultResult) -> &'static str,
    /// Four-eyes step names.
    pub four_eyes: fn(FourEyesStep) -> &'static str,
    /// Deadline names.
    pub clock: fn(Clock) -> &'static str,
    /// Step menu entries.
    pub menu: fn(MenuItem) -> &'static str,
    /// Labels of the form and dialog fields.
    pub label: fn(CpField) -> &'static str,
    /// Timeline entry kinds.
    pub event: fn(&str) -> &'static str,
    /// The acute notice in the form: office number, on-call number, after-hours route.
    pub acute_notice: fn(&str, &str, &str) -> String,
    /// Remaining time: "noch 3 Std. 20 Min." / "überfällig seit 40 Min.".
    pub remaining: fn(i64) -> String,
    /// Screen and layer titles.
    pub titles: CpTitles,
    /// List column headers: Dringl., Kinder, Status, Frist, Eingang.
    pub columns: [&'static str; 5],
    /// Nothing in the list.
    pub empty: &'static str,
    /// Nothing open on call.
    pub oncall_empty: &'static str,
    /// Form section headings: reporter, children, facts, indicators, prior steps, wishes.
    pub sections: [&'static str; 6],
    /// Child block heading ("Kind 1").
    pub child: fn(usize) -> String,
    /// "noch offen" for unanswered step choices.
    pub unanswered: &'static str,
    /// "Ja, am …", "Nein, weil …".
    pub yes_no_step: [&'static str; 2],
    /// Detail headings: reporter, children, facts, assessment, indicators, steps,
    /// Jugendamt, timeline, feedback.
    pub detail: [&'static str; 9],
    /// After sending.
    pub sent: &'static str,
    /// Footer label of the form's send key ("Senden").
    pub send_key: &'static str,
    /// Help text of the form's send key.
    pub send_help: &'static str,
    /// Ctrl+S on a referral with problems: nothing was sent.
    pub check_send: &'static str,
    /// Title-line hint of the form: the input is kept as a draft by itself.
    pub draft_kept: &'static str,
    /// The question before sending: children (count, given names), urgency, prior steps
    /// ("Label: ja"), the advance call for akut (whom, when; empty when none).
    pub confirm_send: fn(usize, &str, &str, &str, &str, &str) -> String,
    /// The reporter's own overdue akut referral: children, then the office number, the
    /// on-call number and the after-hours route to phone.
    pub reporter_overdue: fn(&str, &str, &str, &str) -> String,
    /// After a step.
    pub done: &'static str,
    /// After proposing a four-eyes step.
    pub proposed: fn(&str) -> String,
    /// "Eingang erfassen" lost the race: who recorded it, when (Berlin time), the number.
    pub already_received: fn(&str, &str, &str) -> String,
    /// Marker of an escalated line.
    pub escalated: &'static str,
    /// Waiting for a second signature by whom.
    pub waiting: fn(&str, &str) -> String,
    /// Title of the step menu.
    pub menu_title: &'static str,
    /// No step possible now.
    pub no_steps: &'static str,
    /// Dialog labels: second person, target, reason, text, confirmed, active.
    pub dialog: [&'static str; 6],
    /// Hint of the form and dialogs.
    pub form_hint: &'static str,
    /// Draft title in the offer.
    pub draft_name: &'static str,
    /// "Erreichbar bis".
    pub reachable: &'static str,
    /// Line for the on-call view's hint at 60 columns.
    pub oncall_hint: &'static str,
    /// Heading of anonymous consultations.
    pub consults: &'static str,
    /// A deadline's end: "(bis 18.05.2026 24:00)".
    pub until: fn(&str) -> String,
    /// Login line of the Jugendamt: referrals waiting for receipt, overdue ones (counts only).
    pub banner: fn(usize, usize) -> String,
    /// Consultation states: requested, advised, closed.
    pub consult_status: fn(&str) -> &'static str,
    /// Labels: age band, summary (without names), result, advice.
    pub consult_fields: [&'static str; 4],
    /// Empty consultation list.
    pub consults_empty: &'static str,
    /// After a consultation was requested or advised.
    pub consult_saved: &'static str,
}

/// German.
pub static DE: CpStrings = CpStrings {
    urgency: |u| match u {
        Urgency::Acute => "akut",
        Urgency::Urgent => "dringend",
        Urgency::NotAcute => "nicht akut",
    },
    status: |s| match s {
        ReferralStatus::Draft => "Entwurf",
        ReferralStatus::Discarded => "Verworfen",
        ReferralStatus::Sent => "Gesendet",
        ReferralStatus::Received => "Eingegangen",
        ReferralStatus::Forwarded => "Weitergeleitet",
        ReferralStatus::Triaged => "Ersteingeschätzt",
        ReferralStatus::Investigating => "In Klärung",
        ReferralStatus::Assessed => "Eingeschätzt",
        ReferralStatus::Measures => "Maßnahmen eingeleitet",
        ReferralStatus::Closed => "Abgeschlossen",
    },
    feedback: |f| match f {
        FeedbackStatus::Open => "Rückmeldung offen",
        FeedbackStatus::Given => "Rückmeldung erteilt",
        FeedbackStatus::NotPermitted => "Rückmeldung nicht zulässig",
    },
    basis: |b| match b {
        LegalBasis::Sgbx69 => "§ 69 Abs. 1 Nr. 1 SGB X",
        LegalBasis::Kkg4 => "§ 4 Abs. 3 KKG",
        LegalBasis::Sgbx71 => "§ 71 SGB X",
        LegalBasis::Consent => "Einwilligung",
    },
    secrecy: |s| match s {
        SecrecyHolder::Yes => "ja",
        SecrecyHolder::No => "nein",
        SecrecyHolder::Unclear => "nicht geklärt",
    },
    area: |a| match a {
        IndicatorArea::Development => "Entwicklung",
        IndicatorArea::Nutrition => "Ernährung",
        IndicatorArea::Clothing => "Kleidung",
        IndicatorArea::Housing => "Wohnen/Schlafplatz",
        IndicatorArea::Hygiene => "Hygiene",
        IndicatorArea::Medical => "Medizinische Versorgung",
        IndicatorArea::Supervision => "Aufsicht",
        IndicatorArea::Protection => "Schutz vor Gefahren",
        IndicatorArea::PhysicalViolence => "Körperliche Gewalt",
        IndicatorArea::PsychologicalViolence => "Psychische Gewalt",
        IndicatorArea::SexualViolence => "Sexuelle Gewalt",
        IndicatorArea::DomesticViolence => "Häusliche Gewalt",
        IndicatorArea::ParentalSubstance => "Suchtmittelkonsum der Eltern",
        IndicatorArea::ParentalMentalIllness => "Psychische Erkrankung der Eltern",
        IndicatorArea::OverwhelmedParents => "Überforderung junger Eltern",
        IndicatorArea::Truancy => "Schulabsentismus",
    },
    rating: |r| match r {
        Rating::Green => "● grün",
        Rating::Yellow => "▲ gelb",
        Rating::Red => "■ rot",
    },
    step: |s| match s {
        PriorStep::TalkWithParents => "Gespräch mit den Eltern",
        PriorStep::ParentsInformed => "Eltern über Mitteilung informiert",
        PriorStep::ChildInvolved => "Kind/Jugendliche/r einbezogen",
        PriorStep::SupervisorInvolved => "Leitung einbezogen",
        PriorStep::SpecialistConsulted => "Insoweit erfahrene Fachkraft beraten",
        PriorStep::OthersContacted => "Weitere Fachkräfte kontaktiert",
        PriorStep::ReleaseFromSecrecy => "Schweigepflichtentbindung liegt vor",
    },
    class: |c| match c {
        Classification::Acute => "akut",
        Classification::Urgent => "dringend",
        Classification::NotAcute => "nicht akut",
        Classification::NoIndicators => "keine gewichtigen Anhaltspunkte",
    },
    next_step: |n| match n {
        NextStep::HomeVisit => "Hausbesuch",
        NextStep::Invitation => "Einladung ins Amt",
        NextStep::ViaSchool => "Kontakt über Kita/Schule",
        NextStep::Counselling => "Beratungsangebot",
        NextStep::Forwarding => "Weiterleitung",
        NextStep::Closure => "Abschluss",
    },
    result: |r| match r {
        AssessmentResult::Acute => "akute Kindeswohlgefährdung",
        AssessmentResult::Latent => "latente Kindeswohlgefährdung",
        AssessmentResult::HelpNeeded => "keine Kindeswohlgefährdung, aber Hilfebedarf",
        AssessmentResult::NoNeed => "keine Kindeswohlgefährdung und kein Hilfebedarf",
    },
    impression: |i| match i {
        DirectImpression::HomeVisit => "Hausbesuch",
        DirectImpression::Office => "im Amt",
        DirectImpression::School => "in Kita/Schule",
        DirectImpression::None => "keiner",
    },
    follow_up: |f| match f {
        FollowUp::SafetyPlan => "Schutzplan",
        FollowUp::Hze => "Hilfe zur Erziehung",
        FollowUp::OtherHelp => "andere Hilfe",
        FollowUp::FamilyCourt => "Anrufung des Familiengerichts",
        FollowUp::Custody => "Inobhutnahme",
        FollowUp::None => "keine",
    },
    ja_active: |a| match a {
        JaActive::Yes => "ja",
        JaActive::Was => "war tätig",
        JaActive::No => "nein",
    },
    age_band: |a| match a {
        AgeBand::A0 => "0–2 Jahre",
        AgeBand::A3 => "3–5 Jahre",
        AgeBand::A6 => "6–9 Jahre",
        AgeBand::A10 => "10–13 Jahre",
        AgeBand::A14 => "14–17 Jahre",
    },
    consult_result: |r| match r {
        ConsultResult::NoAction => "kein Handlungsbedarf",
        ConsultResult::TalkParents => "Gespräch mit den Eltern",
        ConsultResult::Observe => "weitere Beobachtung",
        ConsultResult::Refer => "Mitteilung an das Jugendamt empfohlen",
    },
    four_eyes: |s| match s {
        FourEyesStep::Triage => "Ersteinschätzung",
        FourEyesStep::CloseAtTriage => "Abschluss ohne gewichtige Anhaltspunkte",
        FourEyesStep::Assessment => "Gefährdungseinschätzung",
        FourEyesStep::ContentFeedback => "Inhaltliche Rückmeldung",
    },
    clock: |c| match c {
        Clock::Receipt => "Eingang",
        Clock::Triage => "Ersteinschätzung",
        Clock::Contact => "Erstkontakt",
        Clock::Feedback => "Rückmeldung",
        Clock::Idle => "Wiedervorlage",
    },
    menu: |m| match m {
        MenuItem::Receive => "Eingang erfassen",
        MenuItem::Forward => "Weiterleiten an anderes Jugendamt",
        MenuItem::Triage => "Ersteinschätzung vorschlagen (Vier-Augen)",
        MenuItem::Confirm => "Als zweite Fachkraft bestätigen",
        MenuItem::Decline => "Vorschlag ablehnen",
        MenuItem::Clarify => "Klärung beginnen (Erstkontakt erfolgt)",
        MenuItem::Assess => "Einschätzung abschließen (Vier-Augen)",
        MenuItem::Measures => "Maßnahmen erfassen",
        MenuItem::Close => "Abschließen",
        MenuItem::CloseAtTriage => "Abschließen: keine gewichtigen Anhaltspunkte (Vier-Augen)",
        MenuItem::Feedback => "Inhaltliche Rückmeldung (mit Leitung)",
        MenuItem::FeedbackNotPermitted => "Rückmeldung nicht zulässig",
        MenuItem::Addendum => "Nachtrag senden",
        MenuItem::ConsultRequest => "Anonyme Fallberatung anfragen (§ 8b SGB VIII)",
        MenuItem::ConsultAdvise => "Beratungsergebnis erfassen",
    },
    label: |k| match k {
        CpField::Urgency => "Dringlichkeit",
        CpField::PhonedAt => "Vorab angerufen um",
        CpField::PhonedTo => "Gesprochen mit",
        CpField::ReporterPhone => "Mein Telefon",
        CpField::ReachableUntil => "Erreichbar bis",
        CpField::SecrecyHolder => "Berufsgeheimnisträger/in",
        CpField::LegalBasis => "Rechtsgrundlage",
        CpField::CaseNo => "Fallnummer (optional)",
        CpField::Children => "Anzahl Kinder",
        CpField::Surname => "Nachname",
        CpField::GivenNames => "Vorname(n)",
        CpField::BirthDate => "Geburtsdatum",
        CpField::Whereabouts => "Aufenthalt jetzt",
        CpField::Custody => "Sorgeberechtigte",
        CpField::Household => "Eltern und Haushalt",
        CpField::ObservedOn => "Beobachtet am",
        CpField::Facts => "Tatsachen (was, wann, wer)",
        CpField::Verbatim => "Wörtliche Äußerungen",
        CpField::Assessment => "Eigene Einschätzung",
        CpField::ImmediateActions => "Bereits veranlasst",
        CpField::WantsReceipt => "Eingangsbestätigung erbeten",
        CpField::WantsFeedback => "Rückmeldung erbeten",
        CpField::StepDetail => "am (Datum) / weil",
        CpField::Class => "Einstufung",
        CpField::NextStep => "Nächster Schritt",
        CpField::Impression => "Unmittelbarer Eindruck",
    },
    event: |k| match k {
        "sent" => "Gesendet",
        "receive" => "Eingang erfasst",
        "receipt_sent" => "Eingangsbestätigung versandt",
        "forward" => "Weitergeleitet",
        "proposed" => "Zur Bestätigung vorgelegt",
        "declined" => "Vorschlag abgelehnt",
        "triage" => "Ersteinschätzung (Vier-Augen)",
        "close_at_triage" => "Abgeschlossen ohne gewichtige Anhaltspunkte",
        "start_clarification" => "Erstkontakt, Klärung begonnen",
        "assessment" => "Gefährdungseinschätzung abgeschlossen",
        "record_measures" => "Maßnahmen erfasst",
        "close" => "Abgeschlossen",
        "feedback" => "Rückmeldung erteilt",
        "feedback_not_permitted" => "Rückmeldung nicht zulässig",
        "addendum" => "Nachtrag",
        "pending_cleared" => "Vorschlag aufgehoben (Nachtrag nach dem Vorschlag)",
        _ => "Schritt",
    },
    acute_notice: |office, oncall, after| {
        format!(
            "⚠ AKUTE GEFAHR: ZUERST ANRUFEN! Jugendamt (Dienstzeit) {office} · \
             Rufbereitschaft {oncall} · außerhalb: {after}. Tandem ersetzt den Anruf nicht."
        )
    },
    remaining: |minutes| {
        let m = minutes.abs();
        let text = if m >= 48 * 60 {
            format!("{} Tg. {} Std.", m / (24 * 60), (m / 60) % 24)
        } else if m >= 60 {
            format!("{} Std. {} Min.", m / 60, m % 60)
        } else {
            format!("{m} Min.")
        };
        if minutes < 0 {
            format!("überfällig {text}")
        } else {
            format!("noch {text}")
        }
    },
    titles: CpTitles {
        list: "Meine Kinderschutz-Mitteilungen",
        inbox: "Eingang Kinderschutz",
        oncall: "Bereitschaft – offene akute und dringende Mitteilungen",
        form: "Kinderschutz-Mitteilung an das Jugendamt",
        detail: "Kinderschutz-Mitteilung",
    },
    columns: ["Dringl.", "Kinder", "Stand", "Frist", "Gesendet"],
    empty: "Keine Mitteilungen. Neue Mitteilung: n",
    oncall_empty: "Nichts offen: keine akuten oder dringenden Mitteilungen.",
    sections: [
        "Dringlichkeit und Meldende/r",
        "Kinder",
        "Sachverhalt (Tatsachen getrennt von der Einschätzung)",
        "Anhaltspunkte (Ampel)",
        "Bisherige Schritte",
        "Wünsche an das Jugendamt",
    ],
    child: |i| format!("Kind {i}"),
    unanswered: "– noch offen –",
    yes_no_step: ["Ja, am …", "Nein, weil …"],
    detail: [
        "Meldende Fachkraft",
        "Kinder",
        "Tatsachen",
        "Eigene Einschätzung der meldenden Fachkraft",
        "Anhaltspunkte",
        "Bisherige Schritte",
        "Jugendamt",
        "Verlauf",
        "Rückmeldung",
    ],
    sent: "Mitteilung gesendet. Das Jugendamt sieht sie jetzt im Eingang.",
    send_key: "Senden",
    send_help: "Mitteilung an das Jugendamt senden (fragt vorher mit einer Zusammenfassung)",
    check_send: "Nicht gesendet: Bitte prüfen Sie die markierten Felder.",
    draft_kept: "Eingaben bleiben automatisch als Entwurf erhalten",
    confirm_send: |n, names, urgency, steps, to, at| {
        let steps = if steps.is_empty() {
            String::new()
        } else {
            format!(" · Bisher: {steps}")
        };
        let phoned = if to.is_empty() {
            String::new()
        } else {
            format!(" · Vorab angerufen: {to} um {at}")
        };
        format!(
            "Jetzt an das Jugendamt senden? {n} Kind(er): {names} · Dringlichkeit: {urgency}{steps}{phoned}"
        )
    },
    reporter_overdue: |children, office, oncall, after| {
        format!(
            "⚠ Akute Mitteilung ({children}) noch nicht eingegangen – Frist überschritten. \
             JETZT ANRUFEN: Jugendamt {office} · Rufbereitschaft {oncall} · {after}"
        )
    },
    done: "Schritt erfasst.",
    proposed: |who| format!("Zur Bestätigung vorgelegt: {who}"),
    already_received: |who, at, no| {
        format!("Bereits als eingegangen erfasst von {who}, {at} ({no}).")
    },
    escalated: "ESKALIERT",
    waiting: |step, who| format!("Wartet auf zweite Fachkraft: {step} (vorgeschlagen von {who})"),
    menu_title: "Nächster Schritt",
    no_steps: "Für Sie ist hier gerade kein Schritt möglich.",
    dialog: [
        "Zweite Fachkraft",
        "Weitergeleitet an",
        "Begründung",
        "Text",
        "Gewichtige Anhaltspunkte bestätigt",
        "Jugendamt tätig",
    ],
    form_hint: "Tab/↑↓ Feld · ←→/Leertaste wählen · Strg+S senden · Esc schließen",
    draft_name: "Kinderschutz-Mitteilung (Entwurf)",
    reachable: "erreichbar bis",
    oncall_hint: "Enter öffnen · F4 Eingang",
    consults: "Anonyme Fallberatungen (§ 8b SGB VIII)",
    until: |t| format!("(bis {t})"),
    banner: |waiting, overdue| {
        format!(
            "Kinderschutz: {waiting} Mitteilung(en) warten auf Eingang · {overdue} Frist(en) überschritten (F4/F6)"
        )
    },
    consult_status: |c| match c {
        "requested" => "Angefragt",
        "advised" => "Beraten",
        _ => "Abgeschlossen",
    },
    consult_fields: [
        "Alter des Kindes",
        "Sachverhalt (ohne Namen, Anschriften, Geburtsdaten)",
        "Ergebnis",
        "Empfehlung",
    ],
    consults_empty: "Keine anonymen Fallberatungen. Neue Anfrage: n",
    consult_saved: "Fallberatung gespeichert.",
};

/// English.
pub static EN: CpStrings = CpStrings {
    urgency: |u| match u {
        Urgency::Acute => "acute",
        Urgency::Urgent => "urgent",
        Urgency::NotAcute => "not acute",
    },
    status: |s| match s {
        ReferralStatus::Draft => "Draft",
        ReferralStatus::Discarded => "Discarded",
        ReferralStatus::Sent => "Sent",
        ReferralStatus::Received => "Received",
        ReferralStatus::Forwarded => "Forwarded",
        ReferralStatus::Triaged => "Triaged",
        ReferralStatus::Investigating => "Investigating",
        ReferralStatus::Assessed => "Assessed",
        ReferralStatus::Measures => "Measures taken",
        ReferralStatus::Closed => "Closed",
    },
    feedback: |f| match f {
        FeedbackStatus::Open => "Feedback open",
        FeedbackStatus::Given => "Feedback given",
        FeedbackStatus::NotPermitted => "Feedback not permitted",
    },
    basis: |b| match b {
        LegalBasis::Sgbx69 => "§ 69 (1) no. 1 SGB X",
        LegalBasis::Kkg4 => "§ 4 (3) KKG",
        LegalBasis::Sgbx71 => "§ 71 SGB X",
        LegalBasis::Consent => "Consent",
    },
    secrecy: |s| match s {
        SecrecyHolder::Yes => "yes",
        SecrecyHolder::No => "no",
        SecrecyHolder::Unclear => "not clarified",
    },
    area: |a| match a {
        IndicatorArea::Development => "Development",
        IndicatorArea::Nutrition => "Nutrition",
        IndicatorArea::Clothing => "Clothing",
        IndicatorArea::Housing => "Housing/place to sleep",
        IndicatorArea::Hygiene => "Hygiene",
        IndicatorArea::Medical => "Medical care",
        IndicatorArea::Supervision => "Supervision",
        IndicatorArea::Protection => "Protection from danger",
        IndicatorArea::PhysicalViolence => "Physical violence",
        IndicatorArea::PsychologicalViolence => "Psychological violence",
        IndicatorArea::SexualViolence => "Sexual violence",
        IndicatorArea::DomesticViolence => "Domestic violence",
        IndicatorArea::ParentalSubstance => "Parents' substance use",
        IndicatorArea::ParentalMentalIllness => "Parents' mental illness",
        IndicatorArea::OverwhelmedParents => "Overwhelmed young parents",
        IndicatorArea::Truancy => "School absence",
    },
    rating: |r| match r {
        Rating::Green => "● green",
        Rating::Yellow => "▲ yellow",
        Rating::Red => "■ red",
    },
    step: |s| match s {
        PriorStep::TalkWithParents => "Talked with the parents",
        PriorStep::ParentsInformed => "Parents informed of the referral",
        PriorStep::ChildInvolved => "Child involved",
        PriorStep::SupervisorInvolved => "Supervisor involved",
        PriorStep::SpecialistConsulted => "Child-protection specialist consulted",
        PriorStep::OthersContacted => "Other professionals contacted",
        PriorStep::ReleaseFromSecrecy => "Release from confidentiality on file",
    },
    class: |c| match c {
        Classification::Acute => "acute",
        Classification::Urgent => "urgent",
        Classification::NotAcute => "not acute",
        Classification::NoIndicators => "no weighty indicators",
    },
    next_step: |n| match n {
        NextStep::HomeVisit => "Home visit",
        NextStep::Invitation => "Invitation to the office",
        NextStep::ViaSchool => "Contact via day care/school",
        NextStep::Counselling => "Counselling offer",
        NextStep::Forwarding => "Forwarding",
        NextStep::Closure => "Closure",
    },
    result: |r| match r {
        AssessmentResult::Acute => "acute endangerment",
        AssessmentResult::Latent => "latent endangerment",
        AssessmentResult::HelpNeeded => "no endangerment, but need for help",
        AssessmentResult::NoNeed => "no endangerment and no need for help",
    },
    impression: |i| match i {
        DirectImpression::HomeVisit => "Home visit",
        DirectImpression::Office => "At the office",
        DirectImpression::School => "At day care/school",
        DirectImpression::None => "None",
    },
    follow_up: |f| match f {
        FollowUp::SafetyPlan => "Safety plan",
        FollowUp::Hze => "Educational help",
        FollowUp::OtherHelp => "Other help",
        FollowUp::FamilyCourt => "Family court",
        FollowUp::Custody => "Taken into care",
        FollowUp::None => "None",
    },
    ja_active: |a| match a {
        JaActive::Yes => "yes",
        JaActive::Was => "was active",
        JaActive::No => "no",
    },
    age_band: |a| match a {
        AgeBand::A0 => "0–2 years",
        AgeBand::A3 => "3–5 years",
        AgeBand::A6 => "6–9 years",
        AgeBand::A10 => "10–13 years",
        AgeBand::A14 => "14–17 years",
    },
    consult_result: |r| match r {
        ConsultResult::NoAction => "no action needed",
        ConsultResult::TalkParents => "talk with the parents",
        ConsultResult::Observe => "keep observing",
        ConsultResult::Refer => "referral to the Jugendamt recommended",
    },
    four_eyes: |s| match s {
        FourEyesStep::Triage => "Initial assessment",
        FourEyesStep::CloseAtTriage => "Closure without weighty indicators",
        FourEyesStep::Assessment => "Risk assessment",
        FourEyesStep::ContentFeedback => "Content feedback",
    },
    clock: |c| match c {
        Clock::Receipt => "Receipt",
        Clock::Triage => "Initial assessment",
        Clock::Contact => "First contact",
        Clock::Feedback => "Feedback",
        Clock::Idle => "Follow-up",
    },
    menu: |m| match m {
        MenuItem::Receive => "Record receipt",
        MenuItem::Forward => "Forward to another Jugendamt",
        MenuItem::Triage => "Propose initial assessment (four eyes)",
        MenuItem::Confirm => "Confirm as second professional",
        MenuItem::Decline => "Decline the proposal",
        MenuItem::Clarify => "Start clarification (first contact made)",
        MenuItem::Assess => "Complete the assessment (four eyes)",
        MenuItem::Measures => "Record measures",
        MenuItem::Close => "Close",
        MenuItem::CloseAtTriage => "Close: no weighty indicators (four eyes)",
        MenuItem::Feedback => "Content feedback (with lead)",
        MenuItem::FeedbackNotPermitted => "Feedback not permitted",
        MenuItem::Addendum => "Send an addendum",
        MenuItem::ConsultRequest => "Request an anonymous consultation (§ 8b SGB VIII)",
        MenuItem::ConsultAdvise => "Record the advice",
    },
    label: |k| match k {
        CpField::Urgency => "Urgency",
        CpField::PhonedAt => "Phoned ahead at",
        CpField::PhonedTo => "Spoke to",
        CpField::ReporterPhone => "My phone",
        CpField::ReachableUntil => "Reachable until",
        CpField::SecrecyHolder => "Professional secrecy holder",
        CpField::LegalBasis => "Legal basis",
        CpField::CaseNo => "Case number (optional)",
        CpField::Children => "Number of children",
        CpField::Surname => "Surname",
        CpField::GivenNames => "Given name(s)",
        CpField::BirthDate => "Date of birth",
        CpField::Whereabouts => "Where now",
        CpField::Custody => "Custody holders",
        CpField::Household => "Parents and household",
        CpField::ObservedOn => "Observed on",
        CpField::Facts => "Facts (what, when, who)",
        CpField::Verbatim => "Verbatim statements",
        CpField::Assessment => "Own assessment",
        CpField::ImmediateActions => "Already done",
        CpField::WantsReceipt => "Receipt confirmation requested",
        CpField::WantsFeedback => "Feedback requested",
        CpField::StepDetail => "on (date) / because",
        CpField::Class => "Classification",
        CpField::NextStep => "Next step",
        CpField::Impression => "Direct impression",
    },
    event: |k| match k {
        "sent" => "Sent",
        "receive" => "Receipt recorded",
        "receipt_sent" => "Receipt confirmation sent",
        "forward" => "Forwarded",
        "proposed" => "Put forward for confirmation",
        "declined" => "Proposal declined",
        "triage" => "Initial assessment (four eyes)",
        "close_at_triage" => "Closed without weighty indicators",
        "start_clarification" => "First contact, clarification started",
        "assessment" => "Risk assessment completed",
        "record_measures" => "Measures recorded",
        "close" => "Closed",
        "feedback" => "Feedback given",
        "feedback_not_permitted" => "Feedback not permitted",
        "addendum" => "Addendum",
        "pending_cleared" => "Proposal cleared (addendum after the proposal)",
        _ => "Step",
    },
    acute_notice: |office, oncall, after| {
        format!(
            "⚠ ACUTE DANGER: PHONE FIRST! Jugendamt (office hours) {office} · on call {oncall} · \
             otherwise: {after}. Tandem does not replace the call."
        )
    },
    remaining: |minutes| {
        let m = minutes.abs();
        let text = if m >= 48 * 60 {
            format!("{} d {} h", m / (24 * 60), (m / 60) % 24)
        } else if m >= 60 {
            format!("{} h {} min", m / 60, m % 60)
        } else {
            format!("{m} min")
        };
        if minutes < 0 {
            format!("overdue {text}")
        } else {
            format!("{text} left")
        }
    },
    titles: CpTitles {
        list: "My child-protection referrals",
        inbox: "Child-protection inbox",
        oncall: "On call – open acute and urgent referrals",
        form: "Child-protection referral to the Jugendamt",
        detail: "Child-protection referral",
    },
    columns: ["Urgency", "Children", "State", "Deadline", "Sent"],
    empty: "No referrals. New referral: n",
    oncall_empty: "Nothing open: no acute or urgent referrals.",
    sections: [
        "Urgency and reporter",
        "Children",
        "Facts (kept apart from the assessment)",
        "Indicators (traffic light)",
        "Steps so far",
        "Requests to the Jugendamt",
    ],
    child: |i| format!("Child {i}"),
    unanswered: "– not answered –",
    yes_no_step: ["Yes, on …", "No, because …"],
    detail: [
        "Reporting professional",
        "Children",
        "Facts",
        "Reporter's own assessment",
        "Indicators",
        "Steps so far",
        "Jugendamt",
        "Timeline",
        "Feedback",
    ],
    sent: "Referral sent. The Jugendamt sees it in its inbox now.",
    send_key: "Send",
    send_help: "Send the referral to the Jugendamt (asks first with a summary)",
    check_send: "Not sent: please check the marked fields.",
    draft_kept: "input is kept as a draft automatically",
    confirm_send: |n, names, urgency, steps, to, at| {
        let steps = if steps.is_empty() {
            String::new()
        } else {
            format!(" · So far: {steps}")
        };
        let phoned = if to.is_empty() {
            String::new()
        } else {
            format!(" · Phoned ahead: {to} at {at}")
        };
        format!(
            "Send to the Jugendamt now? {n} child(ren): {names} · Urgency: {urgency}{steps}{phoned}"
        )
    },
    reporter_overdue: |children, office, oncall, after| {
        format!(
            "⚠ Acute referral ({children}) not yet received – deadline passed. \
             PHONE NOW: Jugendamt {office} · on call {oncall} · {after}"
        )
    },
    done: "Step recorded.",
    proposed: |who| format!("Put forward for confirmation: {who}"),
    already_received: |who, at, no| format!("Already recorded as received by {who}, {at} ({no})."),
    escalated: "ESCALATED",
    waiting: |step, who| format!("Waiting for a second professional: {step} (proposed by {who})"),
    menu_title: "Next step",
    no_steps: "No step is open to you here right now.",
    dialog: [
        "Second professional",
        "Forwarded to",
        "Reason",
        "Text",
        "Weighty indicators confirmed",
        "Jugendamt active",
    ],
    form_hint: "Tab/↑↓ field · ←→/space choose · Ctrl+S send · Esc close",
    draft_name: "Child-protection referral (draft)",
    reachable: "reachable until",
    oncall_hint: "Enter open · F4 inbox",
    consults: "Anonymous consultations (§ 8b SGB VIII)",
    until: |t| format!("(until {t})"),
    banner: |waiting, overdue| {
        format!(
            "Child protection: {waiting} referral(s) awaiting receipt · {overdue} deadline(s) passed (F4/F6)"
        )
    },
    consult_status: |c| match c {
        "requested" => "Requested",
        "advised" => "Advised",
        _ => "Closed",
    },
    consult_fields: [
        "Age of the child",
        "Situation (no names, addresses, dates of birth)",
        "Result",
        "Advice",
    ],
    consults_empty: "No anonymous consultations. New request: n",
    consult_saved: "Consultation saved.",
};
