//! Early help for young parents ("Kontaktvermittlung Frühe Hilfen", docs/early-help.md): the
//! decision guide at an observation, the states of a contact request, what its consent may
//! list, and its deadlines in working days.
//!
//! The rules here are pure; the store (`storage::early_help`) applies them and decides who
//! sees what.

use chrono::{DateTime, NaiveDate, Utc};

use super::calendar::WorkCalendar;
use super::consent::coded_enum;
use super::referral::{Rating, end_of_local_day, is_ja_professional};
use super::staff::{Agency, Role, Staff, StaffId};
use super::tz;

/// Most children in one request.
pub const MAX_CHILDREN: usize = 9;

coded_enum!(
    /// States of a contact request (docs/early-help.md § 3).
    EhState {
        /// "Beobachtung": recorded by the Jobcenter worker, nothing sent.
        Observed = "observed",
        /// "Gespräch geführt".
        Talked = "talked",
        /// "Einwilligung liegt vor".
        Consented = "consented",
        /// "Einwilligung verweigert".
        Declined = "declined",
        /// "Kontaktanfrage gesendet".
        Requested = "requested",
        /// "Übernommen" by the Jugendamt's early-help staff.
        Taken = "taken",
        /// "Kontakt aufgenommen".
        Contacted = "contacted",
        /// "Abgeschlossen" (outcome set).
        Closed = "closed",
        /// "Zurückgezogen": the parent revoked the consent.
        Withdrawn = "withdrawn",
        /// "In Kinderschutz-Mitteilung überführt".
        Converted = "converted",
    }
);

impl EhState {
    /// Whether the request has reached the Jugendamt (it was sent at some point).
    pub fn was_sent(self) -> bool {
        matches!(
            self,
            EhState::Requested | EhState::Taken | EhState::Contacted | EhState::Closed
        )
    }

    /// Whether no further step of early help is possible (closing a revoked request once,
    /// and the conversion into a referral, stay possible; docs/early-help.md § 4 and § 7).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            EhState::Closed | EhState::Withdrawn | EhState::Converted
        )
    }
}

coded_enum!(
    /// "Anliegen".
    Concern {
        /// "Überforderung".
        Overwhelmed = "overwhelmed",
        /// "Gesundheit/U-Untersuchungen".
        Health = "health",
        /// "Schwangerschaft".
        Pregnancy = "pregnancy",
        /// "Wohnen".
        Housing = "housing",
        /// "Alleinerziehend".
        SingleParent = "single_parent",
        /// "Sprache/Orientierung".
        Language = "language",
        /// "Sonstiges".
        Other = "other",
    }
);

coded_enum!(
    /// "Alter des Kindes" as the request carries it: a band, never a birth date.
    ChildBand {
        /// "unter 1 Jahr" (the short first-contact deadline applies).
        Under1 = "0",
        /// "1–2 Jahre".
        B1 = "1-2",
        /// "3–5 Jahre".
        B3 = "3-5",
        /// "6 Jahre und älter".
        B6 = "6+",
        /// "erwartet" (pregnancy; no child born yet).
        Expected = "expected",
    }
);

impl ChildBand {
    /// The report's band (docs/domain.md § 6: 0–2, 3–5, 6+); an expected child counts as 0–2.
    pub fn report_band(self) -> &'static str {
        match self {
            ChildBand::Under1 | ChildBand::B1 | ChildBand::Expected => "0-2",
            ChildBand::B3 => "3-5",
            ChildBand::B6 => "6+",
        }
    }
}

coded_enum!(
    /// "Kontaktwunsch".
    ContactPref {
        /// "Telefon".
        Phone = "phone",
        /// "Hausbesuch".
        HomeVisit = "home_visit",
        /// "Gemeinsamer Termin".
        Joint = "joint",
        /// "Im Amt".
        Office = "office",
    }
);

coded_enum!(
    /// What the consent lists (docs/early-help.md § 4); nothing else ever reaches the
    /// Jugendamt.
    EhData {
        /// "Name und Kontaktdaten der Eltern".
        Contact = "contact",
        /// "Vornamen und Alter der Kinder".
        Children = "children",
        /// "Anliegen".
        Concern = "concern",
        /// "In Worten der Eltern".
        OwnWords = "own_words",
    }
);

coded_enum!(
    /// "Ergebnis".
    Outcome {
        /// "Hilfe angenommen".
        Accepted = "accepted",
        /// "Kontakt zustande gekommen – keine Hilfe gewünscht".
        NoHelpWanted = "no_help",
        /// "Kontakt nicht zustande gekommen".
        NoContact = "no_contact",
    }
);

coded_enum!(
    /// The kind of help accepted.
    HelpKind {
        /// "Familienhebamme/FGKiKP".
        FamilyMidwife = "midwife",
        /// "Willkommensbesuch".
        Welcome = "welcome",
        /// "Eltern-Kind-Gruppe".
        Group = "group",
        /// "Erziehungsberatung".
        Counselling = "counselling",
        /// "Schreiambulanz".
        CryClinic = "cry_clinic",
        /// "Hilfe zur Erziehung beantragt".
        Hze = "hze",
        /// "andere".
        Other = "other",
    }
);

coded_enum!(
    /// A path the decision guide shows, or the one the worker took.
    Path {
        /// "Kein Handlungsbedarf": nothing about the child is stored.
        Nothing = "nothing",
        /// "Gespräch führen und Frühe Hilfen anbieten".
        EarlyHelp = "early_help",
        /// "Anonyme Fallberatung mit einer InsoFa".
        Consult = "consult",
        /// "Kinderschutz-Mitteilung".
        Referral = "referral",
    }
);

/// From which side a viewer reads a request; decides which fields the store fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EhSide {
    /// The Jobcenter worker who recorded it: everything of the Jobcenter's record; the
    /// outcome only when the consent allows feedback.
    Requester,
    /// The Jobcenter's lead: reads the Jobcenter's record like the requester.
    JcLead,
    /// The Jugendamt's early-help staff (once sent): only what the consent lists.
    EarlyHelp,
    /// The Jugendamt's lead (once sent): reads like the early-help staff.
    JaLead,
    /// The data-protection officer: metadata only.
    Dpo,
}

/// The side from which `viewer` reads a request of `requested_by` (docs/early-help.md § 6,
/// default deny): the requester and the Jobcenter's lead; once sent, the Jugendamt's
/// early-help professionals (`early_help`: whether the viewer holds the function) while
/// the request is open to take or was taken by them, and the Jugendamt's lead; the DSB of
/// either Stelle for metadata (the Jugendamt's once sent). Nobody else.
pub fn side(
    viewer: &Staff,
    requested_by: StaffId,
    sent: bool,
    taken_by: Option<StaffId>,
    early_help: bool,
) -> Option<EhSide> {
    if !viewer.active {
        return None;
    }
    match viewer.agency {
        Agency::Jobcenter => {
            if viewer.id == requested_by && viewer.has_role(Role::JcU25) {
                Some(EhSide::Requester)
            } else if viewer.has_role(Role::Lead) {
                Some(EhSide::JcLead)
            } else if viewer.has_role(Role::Dpo) {
                Some(EhSide::Dpo)
            } else {
                None
            }
        }
        Agency::Jugendamt if sent => {
            if early_help && is_ja_professional(viewer) && taken_by.is_none_or(|t| t == viewer.id) {
                Some(EhSide::EarlyHelp)
            } else if viewer.has_role(Role::Lead) {
                Some(EhSide::JaLead)
            } else if viewer.has_role(Role::Dpo) {
                Some(EhSide::Dpo)
            } else {
                None
            }
        }
        Agency::Jugendamt => None,
    }
}

/// What the guide shows for the indicators of every child of one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guidance {
    /// The path that fits.
    pub path: Path,
    /// An alternative that fits as well (the anonymous consultation beside early help).
    pub also: Option<Path>,
    /// The danger is acute: the phone numbers come first.
    pub phone_first: bool,
}

/// The decision guide (docs/early-help.md § 2). It shows, never decides: all grün (or
/// nothing rated) — nothing to do; any gelb and no rot — early help, or an anonymous
/// consultation; any rot or "gewichtige Anhaltspunkte" — the referral, after a phone call
/// when the danger is acute.
pub fn guide(ratings: &[Rating], weighty: bool, acute: bool) -> Guidance {
    let red = ratings.contains(&Rating::Red);
    let yellow = ratings.contains(&Rating::Yellow);
    if red || weighty || acute {
        Guidance {
            path: Path::Referral,
            also: None,
            phone_first: acute,
        }
    } else if yellow {
        Guidance {
            path: Path::EarlyHelp,
            also: Some(Path::Consult),
            phone_first: false,
        }
    } else {
        Guidance {
            path: Path::Nothing,
            also: None,
            phone_first: false,
        }
    }
}

/// Whether taking `chosen` where the guide showed `g` needs a recorded reason.
pub fn needs_reason(g: Guidance, chosen: Path) -> bool {
    chosen != g.path && Some(chosen) != g.also
}

/// The deadlines of a request (docs/early-help.md § 5), in working days; configurable in
/// `[child-protection.early-help]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct EhDeadlines {
    /// Taken by the Jugendamt, working days after sending.
    pub take_working_days: u32,
    /// First contact, working days after sending.
    pub contact_working_days: u32,
    /// First contact for a pregnancy or a child under one.
    pub contact_short_working_days: u32,
}

impl Default for EhDeadlines {
    fn default() -> Self {
        EhDeadlines {
            take_working_days: 3,
            contact_working_days: 10,
            contact_short_working_days: 5,
        }
    }
}

/// End (24:00 local) of the `n`-th working day after the day of `start`.
fn working_days_end(start: DateTime<Utc>, n: u32, cal: &WorkCalendar) -> DateTime<Utc> {
    end_of_local_day(cal.add_working_days(tz::to_local(start).date(), n))
}

/// Whether the short first-contact deadline applies: a pregnancy, or a child under one.
pub fn short_contact(concerns: &[Concern], bands: &[ChildBand]) -> bool {
    concerns.contains(&Concern::Pregnancy)
        || bands
            .iter()
            .any(|b| matches!(b, ChildBand::Under1 | ChildBand::Expected))
}

/// The deadline that runs in `state` for a request sent at `sent`, or none.
pub fn due(
    state: EhState,
    sent: Option<DateTime<Utc>>,
    short: bool,
    cal: &WorkCalendar,
    d: &EhDeadlines,
) -> Option<(DueKind, DateTime<Utc>)> {
    let sent = sent?;
    match state {
        EhState::Requested => Some((
            DueKind::Take,
            working_days_end(sent, d.take_working_days, cal),
        )),
        EhState::Taken => {
            let n = if short {
                d.contact_short_working_days
            } else {
                d.contact_working_days
            };
            Some((DueKind::Contact, working_days_end(sent, n, cal)))
        }
        _ => None,
    }
}

coded_enum!(
    /// The steps of a request, as its menu offers them (docs/early-help.md § 3).
    EhStep {
        /// "Gespräch erfassen".
        Talk = "talk",
        /// "Einwilligung erfassen".
        Consent = "consent",
        /// "Einwilligung verweigert".
        Decline = "decline",
        /// "Kontaktanfrage senden".
        Send = "send",
        /// "Übernehmen".
        Take = "take",
        /// "Erstkontakt erfassen".
        Contact = "contact",
        /// "Abschließen".
        Close = "close",
        /// "Widerruf erfassen".
        Revoke = "revoke",
        /// "In Kinderschutz-Mitteilung überführen".
        Convert = "convert",
        /// "Gemeinsamer Termin" (the warm hand-over).
        Joint = "joint",
    }
);

/// The steps `side` may take on a request in `state` (docs/early-help.md § 3 and § 4);
/// `closed`: a closing was recorded (a revoked request can still be closed once);
/// `linked`: the conversion became a sent referral (it cannot be converted again).
pub fn steps(side: EhSide, state: EhState, sent: bool, closed: bool, linked: bool) -> Vec<EhStep> {
    match side {
        EhSide::Requester => {
            let mut v = match state {
                EhState::Observed => vec![EhStep::Talk],
                EhState::Talked => vec![EhStep::Talk, EhStep::Consent, EhStep::Decline],
                EhState::Consented => vec![EhStep::Send, EhStep::Decline, EhStep::Revoke],
                EhState::Declined => vec![EhStep::Consent],
                EhState::Requested => vec![EhStep::Revoke],
                EhState::Taken | EhState::Contacted => vec![EhStep::Joint, EhStep::Revoke],
                _ => Vec::new(),
            };
            let unsent_open = !sent
                && !closed
                && matches!(
                    state,
                    EhState::Observed
                        | EhState::Talked
                        | EhState::Consented
                        | EhState::Declined
                        | EhState::Withdrawn
                );
            if unsent_open {
                v.push(EhStep::Close);
            }
            // Child protection does not rest on the consent: the conversion stays possible
            // after a revocation, and again after a discarded referral draft (§ 7).
            if !(state == EhState::Converted && linked) {
                v.push(EhStep::Convert);
            }
            v
        }
        EhSide::EarlyHelp => match state {
            EhState::Requested => vec![EhStep::Take],
            EhState::Taken => vec![
                EhStep::Contact,
                EhStep::Joint,
                EhStep::Close,
                EhStep::Revoke,
            ],
            EhState::Contacted => vec![EhStep::Joint, EhStep::Close, EhStep::Revoke],
            EhState::Withdrawn if sent && !closed => vec![EhStep::Close],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Which deadline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// "Übernahme bis".
    Take,
    /// "Erstkontakt bis".
    Contact,
}

/// Working days from sending to the first contact (the report's median).
pub fn working_days_to_contact(sent: NaiveDate, contact: NaiveDate, cal: &WorkCalendar) -> u32 {
    cal.working_days_between(sent, contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_follows_the_worst_rating() {
        let g = guide(&[], false, false);
        assert_eq!(g.path, Path::Nothing);
        let g = guide(&[Rating::Green, Rating::Green], false, false);
        assert_eq!(g.path, Path::Nothing);
        let g = guide(&[Rating::Green, Rating::Yellow], false, false);
        assert_eq!((g.path, g.also), (Path::EarlyHelp, Some(Path::Consult)));
        assert!(!needs_reason(g, Path::Consult));
        assert!(needs_reason(g, Path::Referral));
        assert!(needs_reason(g, Path::Nothing));
        let g = guide(&[Rating::Yellow, Rating::Red], false, false);
        assert_eq!(g.path, Path::Referral);
        assert!(!g.phone_first);
        assert!(needs_reason(g, Path::EarlyHelp));
        let g = guide(&[Rating::Yellow], true, false);
        assert_eq!(g.path, Path::Referral);
        let g = guide(&[Rating::Green], false, true);
        assert!(g.phone_first);
    }

    #[test]
    fn deadlines_count_working_days_from_sending() {
        let cal = WorkCalendar::default();
        // Wednesday 25 November 2026, 10:00 local.
        let sent = tz::from_local(
            NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap_or_default(),
        );
        let d = EhDeadlines::default();
        let (k, at) = due(EhState::Requested, Some(sent), false, &cal, &d)
            .unwrap_or((DueKind::Contact, DateTime::<Utc>::MIN_UTC));
        assert_eq!(k, DueKind::Take);
        // Three working days: Thu, Fri, Mon → end of Monday 30 November.
        assert_eq!(
            tz::to_local(at).date(),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
        );
        let long = due(EhState::Taken, Some(sent), false, &cal, &d).map(|x| x.1);
        let short = due(EhState::Taken, Some(sent), true, &cal, &d).map(|x| x.1);
        assert!(short < long);
        assert_eq!(
            short.map(|t| tz::to_local(t).date()),
            NaiveDate::from_ymd_opt(2026, 12, 3)
        );
        assert_eq!(due(EhState::Contacted, Some(sent), true, &cal, &d), None);
        assert!(short_contact(&[Concern::Pregnancy], &[]));
        assert!(short_contact(&[], &[ChildBand::B3, ChildBand::Under1]));
        assert!(!short_contact(&[Concern::Housing], &[ChildBand::B1]));
    }
}
