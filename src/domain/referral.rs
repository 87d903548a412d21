//! Child-protection referrals (Kinderschutz-Mitteilungen, docs/domain.md 3.5 and 4.5): what the
//! Jobcenter reports, how the Jugendamt takes it in, the four-eyes steps, the deadlines and
//! the anonymous consultation of § 8b SGB VIII (4.6).
//!
//! The entry form is a map of field keys to text (the same map is the draft), so one
//! function, [`ReferralInput::from_values`], checks what was typed and says at which key
//! each problem is.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::calendar::WorkCalendar;
use super::consent::coded_enum;
use super::date::{format_german_date, parse_german_date};
use super::staff::{Agency, Role, Staff, StaffId};
use super::text::sanitize;
use super::tz;
use super::validation::Problem;

/// Longest one-line entry (names, phone numbers, places).
pub const MAX_LINE: usize = 200;
/// Longest free text (facts, statements, assessment).
pub const MAX_TEXT: usize = 8000;
/// Most children in one referral.
pub const MAX_CHILDREN: usize = 9;

coded_enum!(
    /// "Dringlichkeit".
    Urgency {
        /// "akut": danger now; phoned through first.
        Acute = "akut",
        /// "dringend".
        Urgent = "dringend",
        /// "nicht akut".
        NotAcute = "nicht_akut",
    }
);

coded_enum!(
    /// States of a referral (docs/domain.md 4.5).
    ReferralStatus {
        /// "Entwurf" (only ever a draft row of the reporter; see `drafts`).
        Draft = "draft",
        /// "Verworfen".
        Discarded = "discarded",
        /// "Gesendet".
        Sent = "sent",
        /// "Eingegangen".
        Received = "received",
        /// "Weitergeleitet" (another Jugendamt is responsible; terminal).
        Forwarded = "forwarded",
        /// "Ersteingeschätzt".
        Triaged = "triaged",
        /// "In Klärung".
        Investigating = "investigating",
        /// "Eingeschätzt".
        Assessed = "assessed",
        /// "Maßnahmen eingeleitet".
        Measures = "measures",
        /// "Abgeschlossen".
        Closed = "closed",
    }
);

impl ReferralStatus {
    /// Whether the Jugendamt still has to act.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ReferralStatus::Draft
                | ReferralStatus::Discarded
                | ReferralStatus::Forwarded
                | ReferralStatus::Closed
        )
    }
}

coded_enum!(
    /// Parallel feedback state.
    FeedbackStatus {
        /// "Rückmeldung offen".
        Open = "fb_open",
        /// "Rückmeldung erteilt".
        Given = "fb_given",
        /// "Rückmeldung nicht zulässig".
        NotPermitted = "fb_not_permitted",
    }
);

coded_enum!(
    /// "Rechtsgrundlage" of the referral (configurable list; these are the defaults).
    LegalBasis {
        /// "§ 69 Abs. 1 Nr. 1 SGB X".
        Sgbx69 = "sgbx_69",
        /// "§ 4 Abs. 3 KKG" (secrecy holders).
        Kkg4 = "kkg_4",
        /// "§ 71 SGB X".
        Sgbx71 = "sgbx_71",
        /// "Einwilligung".
        Consent = "consent",
    }
);

coded_enum!(
    /// "Berufsgeheimnisträger/in (§ 4 KKG)".
    SecrecyHolder {
        /// "ja".
        Yes = "yes",
        /// "nein".
        No = "no",
        /// "nicht geklärt".
        Unclear = "unclear",
    }
);

coded_enum!(
    /// "Bereich" of an indicator: the basic needs of the referral form.
    IndicatorArea {
        /// "Entwicklung".
        Development = "development",
        /// "Ernährung".
        Nutrition = "nutrition",
        /// "Kleidung".
        Clothing = "clothing",
        /// "Wohnen/Schlafplatz".
        Housing = "housing",
        /// "Hygiene".
        Hygiene = "hygiene",
        /// "Medizinische Versorgung".
        Medical = "medical",
        /// "Aufsicht".
        Supervision = "supervision",
        /// "Schutz vor Gefahren".
        Protection = "protection",
        /// "Körperliche Gewalt".
        PhysicalViolence = "physical_violence",
        /// "Psychische Gewalt".
        PsychologicalViolence = "psychological_violence",
        /// "Sexuelle Gewalt".
        SexualViolence = "sexual_violence",
        /// "Häusliche Gewalt".
        DomesticViolence = "domestic_violence",
        /// "Suchtmittelkonsum der Eltern".
        ParentalSubstance = "parental_substance",
        /// "Psychische Erkrankung der Eltern".
        ParentalMentalIllness = "parental_mental_illness",
        /// "Überforderung junger Eltern".
        OverwhelmedParents = "overwhelmed_parents",
        /// "Schulabsentismus".
        Truancy = "truancy",
    }
);

coded_enum!(
    /// "Ampel": shown as word and glyph, never colour alone.
    Rating {
        /// "grün".
        Green = "green",
        /// "gelb".
        Yellow = "yellow",
        /// "rot".
        Red = "red",
    }
);

coded_enum!(
    /// "Bisherige Schritte".
    PriorStep {
        /// "Gespräch mit den Eltern".
        TalkWithParents = "talk_parents",
        /// "Eltern über Mitteilung informiert" (always to be answered).
        ParentsInformed = "parents_informed",
        /// "Kind/Jugendliche/r einbezogen".
        ChildInvolved = "child_involved",
        /// "Leitung einbezogen".
        SupervisorInvolved = "supervisor",
        /// "Insoweit erfahrene Fachkraft beraten".
        SpecialistConsulted = "insofa",
        /// "Weitere Fachkräfte kontaktiert".
        OthersContacted = "others",
        /// "Schweigepflichtentbindung liegt vor".
        ReleaseFromSecrecy = "release",
    }
);

coded_enum!(
    /// "Einstufung" of the initial assessment.
    Classification {
        /// "akut".
        Acute = "akut",
        /// "dringend".
        Urgent = "dringend",
        /// "nicht akut".
        NotAcute = "nicht_akut",
        /// "keine gewichtigen Anhaltspunkte".
        NoIndicators = "keine",
    }
);

coded_enum!(
    /// "Nächster Schritt" after the initial assessment.
    NextStep {
        /// "Hausbesuch".
        HomeVisit = "home_visit",
        /// "Einladung ins Amt".
        Invitation = "invitation",
        /// "Kontakt über Kita/Schule".
        ViaSchool = "via_school",
        /// "Beratungsangebot".
        Counselling = "counselling",
        /// "Weiterleitung".
        Forwarding = "forwarding",
        /// "Abschluss".
        Closure = "closure",
    }
);

coded_enum!(
    /// "Ergebnis" of the risk assessment (official categories), per child.
    AssessmentResult {
        /// "akute Kindeswohlgefährdung".
        Acute = "acute",
        /// "latente Kindeswohlgefährdung".
        Latent = "latent",
        /// "keine Kindeswohlgefährdung, aber Hilfebedarf".
        HelpNeeded = "help_needed",
        /// "keine Kindeswohlgefährdung und kein Hilfebedarf".
        NoNeed = "no_need",
    }
);

coded_enum!(
    /// "Unmittelbarer Eindruck".
    DirectImpression {
        /// "Hausbesuch".
        HomeVisit = "home_visit",
        /// "im Amt".
        Office = "office",
        /// "in Kita/Schule".
        School = "school",
        /// "keiner".
        None = "none",
    }
);

coded_enum!(
    /// "Folgemaßnahmen".
    FollowUp {
        /// "Schutzplan".
        SafetyPlan = "safety_plan",
        /// "Hilfe zur Erziehung".
        Hze = "hze",
        /// "andere Hilfe".
        OtherHelp = "other_help",
        /// "Anrufung des Familiengerichts".
        FamilyCourt = "family_court",
        /// "Inobhutnahme".
        Custody = "inobhutnahme",
        /// "keine".
        None = "none",
    }
);

coded_enum!(
    /// "Jugendamt tätig" (second answer of the content feedback).
    JaActive {
        /// "ja".
        Yes = "yes",
        /// "war tätig".
        Was = "was",
        /// "nein".
        No = "no",
    }
);

coded_enum!(
    /// "Alter des Kindes" of an anonymous consultation.
    AgeBand {
        /// "0–2".
        A0 = "0-2",
        /// "3–5".
        A3 = "3-5",
        /// "6–9".
        A6 = "6-9",
        /// "10–13".
        A10 = "10-13",
        /// "14–17".
        A14 = "14-17",
    }
);

coded_enum!(
    /// "Ergebnis" of an anonymous consultation.
    ConsultResult {
        /// "kein Handlungsbedarf".
        NoAction = "no_action",
        /// "Gespräch mit den Eltern".
        TalkParents = "talk_parents",
        /// "weitere Beobachtung".
        Observe = "observe",
        /// "Mitteilung an das Jugendamt empfohlen".
        Refer = "refer",
    }
);

/// A four-eyes step: one JA professional proposes, a different one confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FourEyesStep {
    /// "Ersteinschätzung".
    Triage,
    /// "Abschließen" at triage with "keine gewichtigen Anhaltspunkte".
    CloseAtTriage,
    /// "Einschätzung abschließen".
    Assessment,
    /// "Inhaltliche Rückmeldung" (second signature by a lead).
    ContentFeedback,
}

impl FourEyesStep {
    /// Stable code (database, audit detail).
    pub fn code(self) -> &'static str {
        match self {
            FourEyesStep::Triage => "triage",
            FourEyesStep::CloseAtTriage => "close_at_triage",
            FourEyesStep::Assessment => "assessment",
            FourEyesStep::ContentFeedback => "content_feedback",
        }
    }

    /// Parses the code.
    pub fn from_code(code: &str) -> Option<FourEyesStep> {
        [
            FourEyesStep::Triage,
            FourEyesStep::CloseAtTriage,
            FourEyesStep::Assessment,
            FourEyesStep::ContentFeedback,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// The state the referral must be in for this step.
    pub fn from_status(self) -> ReferralStatus {
        match self {
            FourEyesStep::Triage => ReferralStatus::Received,
            FourEyesStep::CloseAtTriage => ReferralStatus::Triaged,
            FourEyesStep::Assessment => ReferralStatus::Investigating,
            FourEyesStep::ContentFeedback => ReferralStatus::Assessed,
        }
    }
}

/// Why a second signature is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FourEyesError {
    /// The first signer tried to confirm their own proposal.
    SamePerson,
    /// The second person is not an active Jugendamt professional (or lead, for feedback).
    NotQualified,
}

/// Whether `who` may take part in a Jugendamt child-protection step at all.
pub fn is_ja_professional(who: &Staff) -> bool {
    who.active
        && who.agency == Agency::Jugendamt
        && (who.has_role(Role::JaStaff) || who.has_role(Role::JaOncall) || who.has_role(Role::Lead))
}

/// Checks the second signature of `step` (docs/domain.md 5.5): a different, active user of the
/// Jugendamt with the required function. The content feedback needs a lead when
/// `lead_signs_feedback` (the site's switch, docs/casework.md § 6), else any professional.
pub fn check_second(
    step: FourEyesStep,
    first: StaffId,
    second: &Staff,
    lead_signs_feedback: bool,
) -> Result<(), FourEyesError> {
    if second.id == first {
        return Err(FourEyesError::SamePerson);
    }
    let qualified = match step {
        FourEyesStep::ContentFeedback if lead_signs_feedback => {
            second.active && second.agency == Agency::Jugendamt && second.has_role(Role::Lead)
        }
        _ => is_ja_professional(second),
    };
    if qualified {
        Ok(())
    } else {
        Err(FourEyesError::NotQualified)
    }
}

/// A single step the Jugendamt takes (one person).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// "Eingang erfassen".
    Receive,
    /// "Weiterleiten".
    Forward,
    /// "Klärung beginnen" (first contact documented).
    StartClarification,
    /// "Maßnahmen erfassen".
    RecordMeasures,
    /// "Abschließen" after the assessment.
    Close,
    /// "Rückmeldung nicht zulässig".
    FeedbackNotPermitted,
}

impl Step {
    /// Stable code (audit detail, timeline).
    pub fn code(self) -> &'static str {
        match self {
            Step::Receive => "receive",
            Step::Forward => "forward",
            Step::StartClarification => "start_clarification",
            Step::RecordMeasures => "record_measures",
            Step::Close => "close",
            Step::FeedbackNotPermitted => "feedback_not_permitted",
        }
    }

    /// Whether the step may be taken in `status`.
    pub fn allowed_in(self, status: ReferralStatus) -> bool {
        use ReferralStatus as S;
        match self {
            Step::Receive => status == S::Sent,
            Step::Forward => status == S::Received,
            Step::StartClarification => status == S::Triaged,
            Step::RecordMeasures => status == S::Assessed,
            Step::Close => matches!(status, S::Assessed | S::Measures),
            Step::FeedbackNotPermitted => {
                matches!(status, S::Assessed | S::Measures | S::Closed)
            }
        }
    }
}

/// One child of a referral.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReferralChild {
    /// "Nachname".
    pub surname: String,
    /// "Vorname(n)".
    pub given_names: String,
    /// "Geburtsdatum" (may be unknown).
    pub birth_date: Option<NaiveDate>,
    /// "Derzeitiger Aufenthalt".
    pub whereabouts: String,
    /// "Sorgeberechtigte".
    pub custody: String,
}

/// One answered prior step: yes with a date, or no with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepAnswer {
    /// "Ja, am …".
    Yes(NaiveDate),
    /// "Nein, weil …".
    No(String),
}

/// What a reporter sends: the checked content of the entry form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralInput {
    /// "Dringlichkeit".
    pub urgency: Urgency,
    /// "Telefonisch vorab gemeldet" (local time) and to whom.
    pub phoned_ahead: Option<(NaiveDateTime, String)>,
    /// "Telefon" of the reporter.
    pub reporter_phone: String,
    /// "Erreichbar bis".
    pub reachable_until: String,
    /// "Berufsgeheimnisträger/in".
    pub secrecy_holder: SecrecyHolder,
    /// "Rechtsgrundlage".
    pub legal_basis: LegalBasis,
    /// "Bezug zur jungen Person": a case number, if any.
    pub case_id: Option<i64>,
    /// The children, at least one.
    pub children: Vec<ReferralChild>,
    /// "Eltern und weitere Personen im Haushalt".
    pub household: String,
    /// "Beobachtet am".
    pub observed_on: Option<NaiveDate>,
    /// "Tatsachen (was, wann, durch wen wahrgenommen)".
    pub facts: String,
    /// "Wörtliche Äußerungen".
    pub verbatim: String,
    /// "Eigene Einschätzung", kept apart from the facts.
    pub assessment: String,
    /// Indicators with their rating, per child: the index into `children` first
    /// (docs/casework.md § 6: a rating belongs to one child, not to the referral).
    pub indicators: Vec<(usize, IndicatorArea, Rating)>,
    /// Answered prior steps.
    pub steps: Vec<(PriorStep, StepAnswer)>,
    /// "Bereits veranlasst".
    pub immediate_actions: String,
    /// "Eingangsbestätigung erbeten".
    pub wants_receipt: bool,
    /// "Rückmeldung erbeten".
    pub wants_feedback: bool,
}

/// Form keys. The child keys are `child.N.surname` etc. (N from 0), the indicator keys
/// `child.N.ind.AREA` (a draft from before indicators were per child has `ind.AREA`, read
/// as the first child's), the step keys `step.CODE` (yes/no) and `step.CODE.detail`.
pub mod key {
    /// Urgency code.
    pub const URGENCY: &str = "urgency";
    /// Time of the advance phone call.
    pub const PHONED_AT: &str = "phoned_at";
    /// Whom the call reached.
    pub const PHONED_TO: &str = "phoned_to";
    /// Reporter's phone.
    pub const PHONE: &str = "reporter_phone";
    /// Reachable until.
    pub const REACHABLE: &str = "reachable_until";
    /// Secrecy holder code.
    pub const SECRECY: &str = "secrecy_holder";
    /// Legal basis code.
    pub const BASIS: &str = "legal_basis";
    /// Case number.
    pub const CASE: &str = "case_no";
    /// Number of child blocks.
    pub const CHILDREN: &str = "children";
    /// Household.
    pub const HOUSEHOLD: &str = "household";
    /// Observed on.
    pub const OBSERVED: &str = "observed_on";
    /// Facts.
    pub const FACTS: &str = "facts";
    /// Verbatim statements.
    pub const VERBATIM: &str = "verbatim";
    /// Own assessment.
    pub const ASSESSMENT: &str = "assessment";
    /// Already done.
    pub const ACTIONS: &str = "immediate_actions";
    /// Receipt wanted ("1").
    pub const RECEIPT: &str = "wants_receipt";
    /// Feedback wanted ("1").
    pub const FEEDBACK: &str = "wants_feedback";
    /// Child field names, in form order.
    pub const CHILD_FIELDS: [&str; 5] = [
        "surname",
        "given_names",
        "birth_date",
        "whereabouts",
        "custody",
    ];

    /// The key of field `f` of child `i`.
    pub fn child(i: usize, f: &str) -> String {
        format!("child.{i}.{f}")
    }

    /// The key of an indicator of child `i`.
    pub fn indicator(i: usize, area: super::IndicatorArea) -> String {
        format!("child.{i}.ind.{}", area.code())
    }

    /// The key of an indicator in a draft from before indicators were per child.
    pub fn legacy_indicator(area: super::IndicatorArea) -> String {
        format!("ind.{}", area.code())
    }

    /// The key of a step's answer.
    pub fn step(s: super::PriorStep) -> String {
        format!("step.{}", s.code())
    }

    /// The key of a step's date or reason.
    pub fn step_detail(s: super::PriorStep) -> String {
        format!("step.{}.detail", s.code())
    }
}

/// A problem at one form key.
pub type KeyProblem = (String, Problem);

fn line(values: &BTreeMap<String, String>, k: &str, errors: &mut Vec<KeyProblem>) -> String {
    let v = sanitize(values.get(k).map_or("", String::as_str).trim(), false);
    let len = v.chars().count();
    if len > MAX_LINE {
        errors.push((k.to_string(), Problem::TooLong { max: MAX_LINE, len }));
    }
    v
}

fn text(values: &BTreeMap<String, String>, k: &str, errors: &mut Vec<KeyProblem>) -> String {
    let v = sanitize(values.get(k).map_or("", String::as_str).trim(), true);
    let len = v.chars().count();
    if len > MAX_TEXT {
        errors.push((k.to_string(), Problem::TooLong { max: MAX_TEXT, len }));
    }
    v
}

fn date(
    values: &BTreeMap<String, String>,
    k: &str,
    today: NaiveDate,
    errors: &mut Vec<KeyProblem>,
) -> Option<NaiveDate> {
    let v = values.get(k).map_or("", |s| s.trim());
    if v.is_empty() {
        return None;
    }
    match parse_german_date(v) {
        Ok(d) if d > today => {
            errors.push((k.to_string(), Problem::InFuture));
            None
        }
        Ok(d) => Some(d),
        Err(p) => {
            errors.push((k.to_string(), p));
            None
        }
    }
}

/// Parses `HH:MM` (today) or `TT.MM.JJJJ HH:MM`, local time.
pub fn parse_time_today(input: &str, today: NaiveDate) -> Result<NaiveDateTime, Problem> {
    let s = input.trim();
    let (day, clock) = match s.rsplit_once(' ') {
        Some((d, c)) => (parse_german_date(d.trim())?, c.trim()),
        None => (today, s),
    };
    let (h, m) = clock.split_once(':').ok_or(Problem::TimeFormat)?;
    let ok = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !ok(h) || !ok(m) {
        return Err(Problem::TimeFormat);
    }
    let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else {
        return Err(Problem::TimeFormat);
    };
    let t = NaiveTime::from_hms_opt(h, m, 0).ok_or(Problem::TimeFormat)?;
    Ok(day.and_time(t))
}

impl ReferralInput {
    /// Checks the typed form (`values`, see [`key`]) as the "Mitteilung senden" guard of
    /// docs/domain.md 4.5 does: at least one child, facts, urgency, legal basis, the advance
    /// phone call for "akut", and the prior steps answered. For "akut" only "Eltern
    /// informiert" must be answered; the other steps never block an acute referral (5.3).
    pub fn from_values(
        values: &BTreeMap<String, String>,
        now_local: NaiveDateTime,
    ) -> Result<ReferralInput, Vec<KeyProblem>> {
        let today = now_local.date();
        let mut errors: Vec<KeyProblem> = Vec::new();
        let get = |k: &str| values.get(k).map_or("", |s| s.trim());
        let urgency = Urgency::from_code(get(key::URGENCY));
        if urgency.is_none() {
            errors.push((key::URGENCY.to_string(), Problem::Required));
        }
        let phoned_to = line(values, key::PHONED_TO, &mut errors);
        let phoned_at = get(key::PHONED_AT);
        let mut phoned_ahead = None;
        if !phoned_at.is_empty() {
            match parse_time_today(phoned_at, today) {
                Ok(t) if t > now_local + Duration::minutes(5) => {
                    errors.push((key::PHONED_AT.to_string(), Problem::InFuture));
                }
                Ok(t) => phoned_ahead = Some((t, phoned_to.clone())),
                Err(p) => errors.push((key::PHONED_AT.to_string(), p)),
            }
        }
        if urgency == Some(Urgency::Acute) {
            if phoned_at.is_empty() {
                errors.push((key::PHONED_AT.to_string(), Problem::PhoneFirst));
            }
            if phoned_to.is_empty() {
                errors.push((key::PHONED_TO.to_string(), Problem::Required));
            }
        }
        let reporter_phone = line(values, key::PHONE, &mut errors);
        if reporter_phone.is_empty() {
            errors.push((key::PHONE.to_string(), Problem::Required));
        }
        let reachable_until = line(values, key::REACHABLE, &mut errors);
        let secrecy_holder =
            SecrecyHolder::from_code(get(key::SECRECY)).unwrap_or(SecrecyHolder::No);
        let legal_basis = LegalBasis::from_code(get(key::BASIS));
        if legal_basis.is_none() {
            errors.push((key::BASIS.to_string(), Problem::Required));
        }
        let case_text = get(key::CASE);
        let case_id = if case_text.is_empty() {
            None
        } else {
            match case_text.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.push((key::CASE.to_string(), Problem::CaseNumber));
                    None
                }
            }
        };
        let count = get(key::CHILDREN)
            .parse::<usize>()
            .unwrap_or(1)
            .clamp(1, MAX_CHILDREN);
        let mut children = Vec::new();
        let mut indicators = Vec::new();
        for i in 0..count {
            let c = ReferralChild {
                surname: line(values, &key::child(i, "surname"), &mut errors),
                given_names: line(values, &key::child(i, "given_names"), &mut errors),
                birth_date: date(values, &key::child(i, "birth_date"), today, &mut errors),
                whereabouts: line(values, &key::child(i, "whereabouts"), &mut errors),
                custody: line(values, &key::child(i, "custody"), &mut errors),
            };
            let empty = c.surname.is_empty()
                && c.given_names.is_empty()
                && c.birth_date.is_none()
                && c.whereabouts.is_empty()
                && c.custody.is_empty();
            if empty && i > 0 {
                continue;
            }
            // A child is identified by a given name (the surname may be the parents').
            if c.given_names.is_empty() {
                errors.push((key::child(i, "given_names"), Problem::Required));
            }
            if c.whereabouts.is_empty() {
                errors.push((key::child(i, "whereabouts"), Problem::Required));
            }
            let no = children.len();
            for a in IndicatorArea::ALL {
                let mut code = get(&key::indicator(i, *a));
                if code.is_empty() && i == 0 {
                    code = get(&key::legacy_indicator(*a));
                }
                if let Some(r) = Rating::from_code(code) {
                    indicators.push((no, *a, r));
                }
            }
            children.push(c);
        }
        let household = text(values, key::HOUSEHOLD, &mut errors);
        let observed_on = date(values, key::OBSERVED, today, &mut errors);
        let facts = text(values, key::FACTS, &mut errors);
        if facts.is_empty() {
            errors.push((key::FACTS.to_string(), Problem::Required));
        }
        let verbatim = text(values, key::VERBATIM, &mut errors);
        let assessment = text(values, key::ASSESSMENT, &mut errors);
        let mut steps = Vec::new();
        for s in PriorStep::ALL {
            let k = key::step(*s);
            let dk = key::step_detail(*s);
            let detail = get(&dk);
            let needed = *s == PriorStep::ParentsInformed || urgency != Some(Urgency::Acute);
            match get(&k) {
                "yes" => match parse_german_date(detail) {
                    Ok(d) if d > today => errors.push((dk, Problem::InFuture)),
                    Ok(d) => steps.push((*s, StepAnswer::Yes(d))),
                    Err(_) if detail.is_empty() => errors.push((dk, Problem::StepDate)),
                    Err(p) => errors.push((dk, p)),
                },
                "no" => {
                    let reason = line(values, &dk, &mut errors);
                    if reason.is_empty() {
                        errors.push((dk, Problem::StepReason));
                    } else {
                        steps.push((*s, StepAnswer::No(reason)));
                    }
                }
                _ if needed => errors.push((k, Problem::Required)),
                _ => {}
            }
        }
        let immediate_actions = text(values, key::ACTIONS, &mut errors);
        let flag = |k: &str| get(k) == "1";
        match (urgency, legal_basis) {
            (Some(urgency), Some(legal_basis)) if errors.is_empty() => Ok(ReferralInput {
                urgency,
                phoned_ahead,
                reporter_phone,
                reachable_until,
                secrecy_holder,
                legal_basis,
                case_id,
                children,
                household,
                observed_on,
                facts,
                verbatim,
                assessment,
                indicators,
                steps,
                immediate_actions,
                wants_receipt: flag(key::RECEIPT),
                wants_feedback: flag(key::FEEDBACK),
            }),
            _ => Err(errors),
        }
    }
}

/// Response times (docs/domain.md 4.5 defaults; every one is a configuration value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Deadlines {
    /// Receipt of an "akut" referral, minutes after sending.
    pub receipt_acute_minutes: u32,
    /// Receipt of a "dringend" referral, minutes after sending.
    pub receipt_urgent_minutes: u32,
    /// Receipt of a "nicht akut" referral, working days after sending.
    pub receipt_working_days: u32,
    /// Initial assessment of an "akut" referral, minutes after receipt (the others: the
    /// same working day).
    pub triage_acute_minutes: u32,
    /// First contact for "akut", hours after receipt.
    pub contact_acute_hours: u32,
    /// First contact for "dringend", hours after receipt.
    pub contact_urgent_hours: u32,
    /// First contact for "nicht akut", working days after receipt.
    pub contact_working_days: u32,
    /// Feedback decision, working days after "Eingeschätzt".
    pub feedback_working_days: u32,
    /// Nothing moved for this many calendar days: an alert.
    pub idle_days: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            receipt_acute_minutes: 30,
            receipt_urgent_minutes: 120,
            receipt_working_days: 1,
            triage_acute_minutes: 60,
            contact_acute_hours: 4,
            contact_urgent_hours: 72,
            contact_working_days: 10,
            feedback_working_days: 5,
            idle_days: 14,
        }
    }
}

/// Which clock a deadline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Clock {
    /// "Eingang" (receipt).
    Receipt,
    /// "Ersteinschätzung".
    Triage,
    /// "Erstkontakt".
    Contact,
    /// "Rückmeldung".
    Feedback,
    /// Nothing moved.
    Idle,
}

impl Clock {
    /// A stable code (the acknowledgement of an escalation names its clock).
    pub fn code(self) -> &'static str {
        match self {
            Clock::Receipt => "receipt",
            Clock::Triage => "triage",
            Clock::Contact => "contact",
            Clock::Feedback => "feedback",
            Clock::Idle => "idle",
        }
    }
}

/// One running deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// Which clock.
    pub clock: Clock,
    /// When it started (UTC).
    pub start: DateTime<Utc>,
    /// When it ends (UTC).
    pub due: DateTime<Utc>,
}

/// How a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeadlineState {
    /// More than a quarter of the time and more than [`SOON_WINDOW`] left.
    Ok,
    /// Less than a quarter or at most [`SOON_WINDOW`] left ("amber").
    Soon,
    /// Passed ("red"); escalated to deputy and lead.
    Overdue,
}

/// The last stretch before any deadline that counts as close, whatever the urgency: an
/// akut receipt clock (30 minutes) is close from its start, a dringend one (2 hours) in
/// its last hour, exactly like a first-contact clock. Without it, the quarter rule alone
/// marked a dringend referral 20 minutes before its deadline but not an akut one 20
/// minutes before its own (docs/domain.md, deadlines).
pub const SOON_WINDOW: Duration = Duration::hours(1);

impl Deadline {
    /// The state at `now`: overdue once passed; close ("Soon") when at most
    /// [`SOON_WINDOW`] or less than a quarter of the whole time is left.
    pub fn state(&self, now: DateTime<Utc>) -> DeadlineState {
        if now >= self.due {
            return DeadlineState::Overdue;
        }
        let total = (self.due - self.start).num_seconds().max(1);
        let left = (self.due - now).num_seconds();
        if left * 4 < total || left <= SOON_WINDOW.num_seconds() {
            DeadlineState::Soon
        } else {
            DeadlineState::Ok
        }
    }

    /// Remaining time at `now` (negative when overdue).
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        self.due - now
    }
}

/// 24:00 local of the `n`-th working day after the local day of `start`.
fn working_days_end(start: DateTime<Utc>, n: u32, cal: &WorkCalendar) -> DateTime<Utc> {
    let day = cal.add_working_days(tz::to_local(start).date(), n);
    end_of_local_day(day)
}

/// 24:00 local of `day` (00:00 of the next day), as UTC.
pub fn end_of_local_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    tz::from_local(next.and_time(NaiveTime::MIN))
}

/// When receipt is due for a referral sent at `sent`.
pub fn receipt_due(
    urgency: Urgency,
    sent: DateTime<Utc>,
    cal: &WorkCalendar,
    d: &Deadlines,
) -> DateTime<Utc> {
    match urgency {
        Urgency::Acute => sent + Duration::minutes(i64::from(d.receipt_acute_minutes)),
        Urgency::Urgent => sent + Duration::minutes(i64::from(d.receipt_urgent_minutes)),
        Urgency::NotAcute => working_days_end(sent, d.receipt_working_days, cal),
    }
}

/// When the initial assessment is due for a referral received at `received`: within the
/// hour for "akut", otherwise by the end of that working day (of the next one when it came
/// in on a weekend or holiday).
pub fn triage_due(
    urgency: Urgency,
    received: DateTime<Utc>,
    cal: &WorkCalendar,
    d: &Deadlines,
) -> DateTime<Utc> {
    match urgency {
        Urgency::Acute => received + Duration::minutes(i64::from(d.triage_acute_minutes)),
        _ => end_of_local_day(cal.roll_forward(tz::to_local(received).date())),
    }
}

/// When first contact is due: calendar hours for "akut" and "dringend" (never paused), working
/// days for "nicht akut". None for "keine gewichtigen Anhaltspunkte".
pub fn contact_due(
    class: Classification,
    received: DateTime<Utc>,
    cal: &WorkCalendar,
    d: &Deadlines,
) -> Option<DateTime<Utc>> {
    match class {
        Classification::Acute => Some(received + Duration::hours(i64::from(d.contact_acute_hours))),
        Classification::Urgent => {
            Some(received + Duration::hours(i64::from(d.contact_urgent_hours)))
        }
        Classification::NotAcute => Some(working_days_end(received, d.contact_working_days, cal)),
        Classification::NoIndicators => None,
    }
}

/// The classification a referral's urgency stands for until the Jugendamt has classified it.
pub fn provisional_class(u: Urgency) -> Classification {
    match u {
        Urgency::Acute => Classification::Acute,
        Urgency::Urgent => Classification::Urgent,
        Urgency::NotAcute => Classification::NotAcute,
    }
}

/// The times a referral's deadlines depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    /// State.
    pub status: ReferralStatus,
    /// Urgency given by the reporter.
    pub urgency: Urgency,
    /// The Jugendamt's classification, once confirmed.
    pub class: Option<Classification>,
    /// Sent at.
    pub sent: DateTime<Utc>,
    /// Received at.
    pub received: Option<DateTime<Utc>>,
    /// First contact at.
    pub contacted: Option<DateTime<Utc>>,
    /// Assessment completed at.
    pub assessed: Option<DateTime<Utc>>,
    /// Feedback state (None: not requested).
    pub feedback: Option<FeedbackStatus>,
    /// Last change.
    pub last_change: DateTime<Utc>,
}

/// Every deadline that still runs for a referral, earliest first.
pub fn open_deadlines(c: &Clocks, cal: &WorkCalendar, d: &Deadlines) -> Vec<Deadline> {
    use ReferralStatus as S;
    let mut out = Vec::new();
    if !c.status.is_open() {
        return out;
    }
    match c.status {
        S::Sent => out.push(Deadline {
            clock: Clock::Receipt,
            start: c.sent,
            due: receipt_due(c.urgency, c.sent, cal, d),
        }),
        S::Received => {
            let r = c.received.unwrap_or(c.sent);
            out.push(Deadline {
                clock: Clock::Triage,
                start: r,
                due: triage_due(c.urgency, r, cal, d),
            });
        }
        _ => {}
    }
    if matches!(c.status, S::Received | S::Triaged) && c.contacted.is_none() {
        let r = c.received.unwrap_or(c.sent);
        let class = c.class.unwrap_or_else(|| provisional_class(c.urgency));
        if let Some(due) = contact_due(class, r, cal, d) {
            out.push(Deadline {
                clock: Clock::Contact,
                start: r,
                due,
            });
        }
    }
    if matches!(c.status, S::Assessed | S::Measures)
        && c.feedback == Some(FeedbackStatus::Open)
        && let Some(a) = c.assessed
    {
        out.push(Deadline {
            clock: Clock::Feedback,
            start: a,
            due: working_days_end(a, d.feedback_working_days, cal),
        });
    }
    out.push(Deadline {
        clock: Clock::Idle,
        start: c.last_change,
        due: c.last_change + Duration::days(i64::from(d.idle_days)),
    });
    out.sort_by_key(|x| x.due);
    out
}

/// Local `TT.MM.JJJJ HH:MM` of a UTC instant, or the date alone when it is midnight (the end
/// of a working-day deadline is shown as the day it ends on, "bis 18.05.2026 24:00").
pub fn format_due(due: DateTime<Utc>) -> String {
    let local = tz::to_local(due);
    if local.time() == NaiveTime::MIN {
        let day = local.date().pred_opt().unwrap_or(local.date());
        format!("{} 24:00", format_german_date(day))
    } else {
        local.format("%d.%m.%Y %H:%M").to_string()
    }
}

/// A pseudonym for an anonymous consultation: "AB-2026-0007" from a running number, never
/// from a name or date of birth.
pub fn consult_code(year: i32, n: i64) -> String {
    format!("AB-{year}-{n:04}")
}

/// The Jugendamt's file number of a received referral: "KS-2026-0012".
pub fn ja_reference(year: i32, n: i64) -> String {
    format!("KS-{year}-{n:04}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        tz::from_local(
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|x| x.and_hms_opt(h, min, 0))
                .expect("valid"),
        )
    }

    fn staff(id: i64, agency: Agency, roles: &[Role]) -> Staff {
        Staff {
            id: StaffId(id),
            login: format!("s{id}"),
            surname: "S".into(),
            given_name: "T".into(),
            agency,
            roles: roles.to_vec(),
            active: true,
        }
    }

    /// Deadlines by hand, docs/domain.md 4.5 and 7: weekends, 1 May, Ascension Day, Christmas,
    /// and hours that run through the night and the October clock change.
    #[test]
    fn hand_computed_deadline_table() {
        let cal = WorkCalendar::default();
        let d = Deadlines::default();
        // (received, class, expected contact due as local "TT.MM.JJJJ HH:MM")
        let table = [
            // nicht akut on Thu 30.04.2026: Fri 1 May off; 10 working days skip Ascension
            // (Thu 14.05.) → Mon 18.05.2026, 24:00.
            (
                local(2026, 4, 30, 10, 0),
                Classification::NotAcute,
                "18.05.2026 24:00",
            ),
            // Friday afternoon: Mon–Fri, Mon–Fri → Fri 13.11.2026.
            (
                local(2026, 10, 30, 15, 0),
                Classification::NotAcute,
                "13.11.2026 24:00",
            ),
            // Over Christmas: 21.12.2026 → 06.01.2027 (docs/domain.md 7 vector).
            (
                local(2026, 12, 21, 9, 0),
                Classification::NotAcute,
                "06.01.2027 24:00",
            ),
            // dringend on Christmas Eve 15:00 → Sun 27.12.2026 15:00 (hours never pause).
            (
                local(2026, 12, 24, 15, 0),
                Classification::Urgent,
                "27.12.2026 15:00",
            ),
            // akut Saturday night → four hours later, Sunday 01:30.
            (
                local(2026, 5, 2, 21, 30),
                Classification::Acute,
                "03.05.2026 01:30",
            ),
            // akut across the October change: 00:00 + 4 real hours = 03:00 local.
            (
                local(2026, 10, 25, 0, 0),
                Classification::Acute,
                "25.10.2026 03:00",
            ),
        ];
        for (received, class, want) in table {
            let due = contact_due(class, received, &cal, &d).expect("a contact deadline");
            assert_eq!(format_due(due), want, "{class:?} received {received}");
        }
        assert_eq!(
            contact_due(
                Classification::NoIndicators,
                local(2026, 4, 30, 10, 0),
                &cal,
                &d
            ),
            None
        );
        // Receipt: nicht akut sent Thu 30.04. → Mon 04.05.2026 24:00; akut 30 min.
        assert_eq!(
            format_due(receipt_due(
                Urgency::NotAcute,
                local(2026, 4, 30, 10, 0),
                &cal,
                &d
            )),
            "04.05.2026 24:00"
        );
        assert_eq!(
            format_due(receipt_due(
                Urgency::Acute,
                local(2026, 4, 30, 23, 50),
                &cal,
                &d
            )),
            "01.05.2026 00:20"
        );
        // Triage: received on Saturday → end of Monday.
        assert_eq!(
            format_due(triage_due(
                Urgency::Urgent,
                local(2026, 5, 2, 11, 0),
                &cal,
                &d
            )),
            "04.05.2026 24:00"
        );
    }

    #[test]
    fn deadline_states() {
        let start = Utc
            .with_ymd_and_hms(2026, 1, 5, 8, 0, 0)
            .single()
            .expect("t");
        let dl = Deadline {
            clock: Clock::Contact,
            start,
            due: start + Duration::hours(4),
        };
        assert_eq!(dl.state(start + Duration::hours(1)), DeadlineState::Ok);
        assert_eq!(
            dl.state(start + Duration::minutes(3 * 60 + 30)),
            DeadlineState::Soon
        );
        assert_eq!(dl.state(start + Duration::hours(5)), DeadlineState::Overdue);
        // A 30-minute clock is close from its start, like any clock in its last hour.
        let akut = Deadline {
            clock: Clock::Receipt,
            start,
            due: start + Duration::minutes(30),
        };
        assert_eq!(akut.state(start), DeadlineState::Soon);
        let day = Deadline {
            clock: Clock::Receipt,
            start,
            due: start + Duration::hours(2),
        };
        assert_eq!(day.state(start + Duration::minutes(59)), DeadlineState::Ok);
        assert_eq!(
            day.state(start + Duration::minutes(60)),
            DeadlineState::Soon
        );
    }

    #[test]
    fn open_deadlines_follow_the_state() {
        let cal = WorkCalendar::default();
        let d = Deadlines::default();
        let sent = local(2026, 4, 30, 10, 0);
        let mut c = Clocks {
            status: ReferralStatus::Sent,
            urgency: Urgency::NotAcute,
            class: None,
            sent,
            received: None,
            contacted: None,
            assessed: None,
            feedback: Some(FeedbackStatus::Open),
            last_change: sent,
        };
        let first = open_deadlines(&c, &cal, &d)[0];
        assert_eq!(first.clock, Clock::Receipt);
        c.status = ReferralStatus::Received;
        c.received = Some(sent);
        let clocks: Vec<Clock> = open_deadlines(&c, &cal, &d)
            .iter()
            .map(|x| x.clock)
            .collect();
        assert_eq!(clocks, vec![Clock::Triage, Clock::Idle, Clock::Contact]);
        c.status = ReferralStatus::Closed;
        assert!(open_deadlines(&c, &cal, &d).is_empty());
    }

    #[test]
    fn four_eyes_refuses_the_same_person_and_non_professionals() {
        let a = staff(1, Agency::Jugendamt, &[Role::JaStaff]);
        let b = staff(2, Agency::Jugendamt, &[Role::JaOncall]);
        let jc = staff(3, Agency::Jobcenter, &[Role::JcU25]);
        let dpo = staff(4, Agency::Jugendamt, &[Role::Dpo]);
        let lead = staff(5, Agency::Jugendamt, &[Role::Lead]);
        assert_eq!(
            check_second(FourEyesStep::Triage, a.id, &a, true),
            Err(FourEyesError::SamePerson)
        );
        assert_eq!(check_second(FourEyesStep::Triage, a.id, &b, true), Ok(()));
        assert_eq!(
            check_second(FourEyesStep::Triage, a.id, &jc, true),
            Err(FourEyesError::NotQualified)
        );
        assert_eq!(
            check_second(FourEyesStep::Assessment, a.id, &dpo, true),
            Err(FourEyesError::NotQualified)
        );
        assert_eq!(
            check_second(FourEyesStep::ContentFeedback, a.id, &b, true),
            Err(FourEyesError::NotQualified)
        );
        assert_eq!(
            check_second(FourEyesStep::ContentFeedback, a.id, &lead, true),
            Ok(())
        );
        // With the site's switch off, any Jugendamt professional signs the feedback second.
        assert_eq!(
            check_second(FourEyesStep::ContentFeedback, a.id, &b, false),
            Ok(())
        );
        let mut gone = b.clone();
        gone.active = false;
        assert_eq!(
            check_second(FourEyesStep::Triage, a.id, &gone, true),
            Err(FourEyesError::NotQualified)
        );
    }

    fn complete() -> BTreeMap<String, String> {
        let mut v = BTreeMap::new();
        let mut put = |k: &str, val: &str| v.insert(k.to_string(), val.to_string());
        put(key::URGENCY, "nicht_akut");
        put(key::PHONE, "02366 0100");
        put(key::BASIS, "sgbx_69");
        put(
            key::FACTS,
            "Kind kam dreimal ohne Jacke.\nMutter wirkte abwesend.",
        );
        put("child.0.given_names", "Mia");
        put("child.0.whereabouts", "bei der Mutter");
        for s in PriorStep::ALL {
            put(&key::step(*s), "no");
            put(&key::step_detail(*s), "noch nicht möglich");
        }
        put(&key::indicator(0, IndicatorArea::Clothing), "yellow");
        v
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 25)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("valid")
    }

    #[test]
    fn indicators_belong_to_their_child_and_an_old_draft_fills_the_first() {
        let mut v = complete();
        v.insert(key::CHILDREN.to_string(), "2".to_string());
        v.insert("child.1.given_names".to_string(), "Ben".to_string());
        v.insert("child.1.whereabouts".to_string(), "Kita".to_string());
        v.insert(
            key::indicator(1, IndicatorArea::Supervision),
            "red".to_string(),
        );
        let r = ReferralInput::from_values(&v, now()).expect("complete");
        assert_eq!(
            r.indicators,
            vec![
                (0, IndicatorArea::Clothing, Rating::Yellow),
                (1, IndicatorArea::Supervision, Rating::Red)
            ]
        );
        // A draft written before indicators were per child.
        let mut old = complete();
        old.remove(&key::indicator(0, IndicatorArea::Clothing));
        old.insert(
            key::legacy_indicator(IndicatorArea::Hygiene),
            "green".to_string(),
        );
        let r = ReferralInput::from_values(&old, now()).expect("complete");
        assert_eq!(
            r.indicators,
            vec![(0, IndicatorArea::Hygiene, Rating::Green)]
        );
    }

    #[test]
    fn a_complete_form_is_accepted() {
        let r = ReferralInput::from_values(&complete(), now()).expect("complete");
        assert_eq!(r.children.len(), 1);
        assert_eq!(r.urgency, Urgency::NotAcute);
        assert_eq!(
            r.indicators,
            vec![(0, IndicatorArea::Clothing, Rating::Yellow)]
        );
        assert!(r.facts.contains('\n'), "facts keep their lines");
    }

    #[test]
    fn problems_are_reported_at_their_keys() {
        let mut v = complete();
        v.remove(key::FACTS);
        v.insert("child.0.given_names".into(), String::new());
        v.insert(key::step(PriorStep::TalkWithParents), "yes".into());
        v.insert(
            key::step_detail(PriorStep::TalkWithParents),
            "31.02.2026".into(),
        );
        v.insert(key::step_detail(PriorStep::ChildInvolved), String::new());
        let errs = ReferralInput::from_values(&v, now()).expect_err("incomplete");
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&"facts"));
        assert!(keys.contains(&"child.0.given_names"));
        assert!(keys.contains(&"step.talk_parents.detail"));
        assert!(keys.contains(&"step.child_involved.detail"));
    }

    #[test]
    fn acute_needs_the_phone_call_but_not_every_step() {
        let mut v = complete();
        v.insert(key::URGENCY.into(), "akut".into());
        for s in PriorStep::ALL {
            v.remove(&key::step(*s));
            v.remove(&key::step_detail(*s));
        }
        let errs = ReferralInput::from_values(&v, now()).expect_err("no call");
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(keys.contains(&key::PHONED_AT));
        assert!(keys.contains(&key::PHONED_TO));
        assert!(keys.contains(&"step.parents_informed"));
        assert!(
            !keys.contains(&"step.talk_parents"),
            "other steps never block akut"
        );
        v.insert(key::PHONED_AT.into(), "09:40".into());
        v.insert(key::PHONED_TO.into(), "Frau Hegemann".into());
        v.insert(key::step(PriorStep::ParentsInformed), "no".into());
        v.insert(
            key::step_detail(PriorStep::ParentsInformed),
            "würde das Kind gefährden".into(),
        );
        let r = ReferralInput::from_values(&v, now()).expect("acute complete");
        assert_eq!(
            r.phoned_ahead.map(|p| p.0.format("%H:%M").to_string()),
            Some("09:40".into())
        );
    }

    #[test]
    fn nothing_is_truncated_silently() {
        let mut v = complete();
        v.insert(key::PHONE.into(), "1".repeat(MAX_LINE + 1));
        let errs = ReferralInput::from_values(&v, now()).expect_err("too long");
        assert!(errs.iter().any(|(k, p)| k == key::PHONE
            && *p
                == Problem::TooLong {
                    max: MAX_LINE,
                    len: MAX_LINE + 1
                }));
    }

    #[test]
    fn steps_and_states() {
        assert!(Step::Receive.allowed_in(ReferralStatus::Sent));
        assert!(!Step::Receive.allowed_in(ReferralStatus::Received));
        assert!(Step::Close.allowed_in(ReferralStatus::Measures));
        assert!(!Step::Close.allowed_in(ReferralStatus::Triaged));
        assert!(!ReferralStatus::Forwarded.is_open());
        assert_eq!(ja_reference(2026, 12), "KS-2026-0012");
    }
}
