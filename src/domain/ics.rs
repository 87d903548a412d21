//! An iCalendar writer (RFC 5545, with the iTIP methods of RFC 5546) for conference
//! invitations: one `.ics` file per staff invitee, updates with a higher SEQUENCE, and
//! cancellations.
//!
//! Output rules: CRLF line endings; content lines folded at 75 octets on UTF-8 character
//! boundaries (continuation lines start with one space); TEXT values escaped (backslash,
//! semicolon, comma, line break as `\n`) and stripped of control characters; local times with
//! `TZID=Europe/Berlin` and a matching VTIMEZONE; DTSTAMP in UTC. Events are marked
//! `CLASS:PRIVATE`: they concern young people. Name young people by [`initials`] only.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::text::sanitize;

/// The time zone id written into DTSTART/DTEND and the VTIMEZONE.
pub const TZID: &str = "Europe/Berlin";

/// Longest content line in octets, without the CRLF (RFC 5545 3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// The VTIMEZONE of Europe/Berlin: the EU rule since 1996, which [`super::tz`] implements.
const VTIMEZONE: [&str; 17] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// How much a conference's calendar title says (`ics-titles` in `[conferences]`): calendar
/// programs sync to servers outside the office, so by default the title names nothing of
/// the case (docs/data-exits.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IcsTitles {
    /// "Fallkonferenz · Tandem K-17": the word and Tandem's own reference, the
    /// conference's number (as in its UID).
    #[default]
    Neutral,
    /// Also the kind and the young person's initials where the viewer may see the name:
    /// "Fallkonferenz (Erstkonferenz) – J. M. · Tandem K-17". Never the case number.
    Initials,
}

/// The iTIP method of a calendar object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IcsMethod {
    /// Information only (no replies expected).
    Publish,
    /// An invitation or an update (higher SEQUENCE).
    Request,
    /// A cancellation; every event is written with `STATUS:CANCELLED`.
    Cancel,
}

impl IcsMethod {
    /// The value of the METHOD property.
    pub fn as_str(self) -> &'static str {
        match self {
            IcsMethod::Publish => "PUBLISH",
            IcsMethod::Request => "REQUEST",
            IcsMethod::Cancel => "CANCEL",
        }
    }
}

/// The STATUS of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IcsStatus {
    /// "CONFIRMED".
    Confirmed,
    /// "TENTATIVE".
    Tentative,
    /// "CANCELLED".
    Cancelled,
}

impl IcsStatus {
    /// The value of the STATUS property.
    pub fn as_str(self) -> &'static str {
        match self {
            IcsStatus::Confirmed => "CONFIRMED",
            IcsStatus::Tentative => "TENTATIVE",
            IcsStatus::Cancelled => "CANCELLED",
        }
    }
}

/// An attendee's answer (PARTSTAT, RFC 5545 3.2.12), as recorded in Tandem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartStat {
    /// Invited, no answer recorded.
    NeedsAction,
    /// Accepted ("zugesagt").
    Accepted,
    /// Declined ("abgesagt").
    Declined,
}

impl PartStat {
    /// The value of the PARTSTAT parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            PartStat::NeedsAction => "NEEDS-ACTION",
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
        }
    }
}

/// One ATTENDEE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsAttendee {
    /// Name (CN).
    pub name: String,
    /// E-mail address; without one the attendee is written with the address
    /// `invalid:nomail` and no reply requested (the form other calendar programs use for
    /// people without e-mail).
    pub email: Option<String>,
    /// The recorded answer.
    pub partstat: PartStat,
}

/// One event (VEVENT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique and stable across updates, e.g. from [`conference_uid`].
    pub uid: String,
    /// Revision: 0 for the first invitation, raised with every update or cancellation.
    pub sequence: u32,
    /// Event status (forced to cancelled under [`IcsMethod::Cancel`]).
    pub status: IcsStatus,
    /// Start, Berlin wall-clock.
    pub start_local: NaiveDateTime,
    /// End, Berlin wall-clock.
    pub end_local: NaiveDateTime,
    /// Whether the start and the end are the second (winter-time) instant of a wall-clock
    /// time that occurs twice at the autumn clock change. A local time with TZID names the
    /// first one (RFC 5545 3.3.5), so such a time is written in UTC (docs/domain.md 7.1).
    pub second: (bool, bool),
    /// SUMMARY (the young person by initials only).
    pub summary: String,
    /// DESCRIPTION (may contain line breaks).
    pub description: String,
    /// LOCATION (empty: omitted).
    pub location: String,
    /// ORGANIZER as name and e-mail address (RFC 5546 requires it in a REQUEST and a
    /// CANCEL).
    pub organizer: Option<(String, String)>,
    /// ATTENDEEs with their recorded answers.
    pub attendees: Vec<IcsAttendee>,
    /// DTSTAMP: when this version of the object was created.
    pub dtstamp_utc: DateTime<Utc>,
    /// CATEGORIES (empty: omitted).
    pub categories: Vec<String>,
}

/// The UID of conference `id`: `conf-<id>@<host>`.
pub fn conference_uid(id: i64, host: &str) -> String {
    format!("conf-{id}@{}", host.trim())
}

/// "Jana", "Müller" → "J. M.": the first letter of the first given name and of the surname.
pub fn initials(given: &str, surname: &str) -> String {
    let first_letter = |s: &str| -> Option<String> {
        s.split_whitespace()
            .next()
            .and_then(|w| w.chars().find(|c| c.is_alphabetic()))
            .map(|c| {
                let mut out: String = c.to_uppercase().collect();
                out.push('.');
                out
            })
    };
    [first_letter(given), first_letter(surname)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks;
/// other control characters are dropped.
pub fn escape_text(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let clean = sanitize(&unified, true);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: always quoted; double quotes (not allowed inside) become single ones.
fn param_value(s: &str) -> String {
    let clean = sanitize(s, false).replace('"', "'");
    format!("\"{clean}\"")
}

/// A `mailto:` address; `None` when nothing usable remains.
fn mailto(email: &str) -> Option<String> {
    let clean: String = sanitize(email, false)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '<' | '>' | ';' | ','))
        .collect();
    let address = match clean.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &clean[7..],
        _ => clean.as_str(),
    };
    address.contains('@').then(|| format!("mailto:{address}"))
}

/// Appends one content line, folded at [`MAX_LINE_OCTETS`] on character boundaries.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut first = true;
    loop {
        let room = if first {
            MAX_LINE_OCTETS
        } else {
            MAX_LINE_OCTETS - 1
        };
        if !first {
            out.push(' ');
        }
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Why a calendar object cannot be written: RFC 5545 dates have four-digit years, and an
/// event must not end before it starts. Such an event is refused, never shifted or clamped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IcsError {
    /// A start, end or DTSTAMP outside the years [`MIN_YEAR`]..=[`MAX_YEAR`].
    #[error("event {uid}: a date outside the years 1 to 9999")]
    DateOutOfRange {
        /// The event's UID.
        uid: String,
    },
    /// The end lies before the start.
    #[error("event {uid}: ends before it starts")]
    EndBeforeStart {
        /// The event's UID.
        uid: String,
    },
}

/// First year an iCalendar DATE-TIME can hold (chrono writes year 0 and earlier with a sign
/// or as a year no calendar program reads).
pub const MIN_YEAR: i32 = 1;
/// Last year an iCalendar DATE-TIME can hold (four digits).
pub const MAX_YEAR: i32 = 9999;

/// Checks that `e` can be written as valid iCalendar.
pub fn check_event(e: &IcsEvent) -> Result<(), IcsError> {
    use chrono::Datelike as _;
    let fits = |year: i32| (MIN_YEAR..=MAX_YEAR).contains(&year);
    if !(fits(e.start_local.year()) && fits(e.end_local.year()) && fits(e.dtstamp_utc.year())) {
        return Err(IcsError::DateOutOfRange { uid: e.uid.clone() });
    }
    if e.end_local < e.start_local {
        return Err(IcsError::EndBeforeStart { uid: e.uid.clone() });
    }
    Ok(())
}

/// Writes a complete calendar object (VCALENDAR with the Berlin VTIMEZONE and `events`).
/// Refused as a whole when one event cannot be written validly ([`check_event`]).
pub fn write_calendar(
    method: IcsMethod,
    events: &[IcsEvent],
    prodid: &str,
) -> Result<String, IcsError> {
    for e in events {
        check_event(e)?;
    }
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, &format!("PRODID:{}", escape_text(prodid)));
    push_line(&mut out, "CALSCALE:GREGORIAN");
    push_line(&mut out, &format!("METHOD:{}", method.as_str()));
    for line in VTIMEZONE {
        push_line(&mut out, line);
    }
    for e in events {
        write_event(&mut out, method, e);
    }
    push_line(&mut out, "END:VCALENDAR");
    Ok(out)
}

fn write_event(out: &mut String, method: IcsMethod, e: &IcsEvent) {
    let status = if method == IcsMethod::Cancel {
        IcsStatus::Cancelled
    } else {
        e.status
    };
    let mut line = |l: &str| push_line(out, l);
    line("BEGIN:VEVENT");
    line(&format!("UID:{}", escape_text(&e.uid)));
    line(&format!("DTSTAMP:{}", utc(e.dtstamp_utc)));
    let at = |t: NaiveDateTime, second: bool| {
        if second && let super::tz::Wall::Twice { second, .. } = super::tz::resolve(t) {
            return format!(":{}", utc(second));
        }
        format!(";TZID={TZID}:{}", local(t))
    };
    line(&format!("DTSTART{}", at(e.start_local, e.second.0)));
    line(&format!("DTEND{}", at(e.end_local, e.second.1)));
    line(&format!("SEQUENCE:{}", e.sequence));
    line(&format!("STATUS:{}", status.as_str()));
    line(&format!("SUMMARY:{}", escape_text(&e.summary)));
    if !e.description.trim().is_empty() {
        line(&format!("DESCRIPTION:{}", escape_text(&e.description)));
    }
    if !e.location.trim().is_empty() {
        line(&format!("LOCATION:{}", escape_text(&e.location)));
    }
    let categories: Vec<String> = e
        .categories
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| escape_text(c))
        .collect();
    if !categories.is_empty() {
        line(&format!("CATEGORIES:{}", categories.join(",")));
    }
    if let Some((name, email)) = &e.organizer {
        let mut l = String::from("ORGANIZER");
        if !name.trim().is_empty() {
            let _ = write!(l, ";CN={}", param_value(name));
        }
        let _ = write!(
            l,
            ":{}",
            mailto(email).unwrap_or_else(|| "invalid:nomail".into())
        );
        line(&l);
    }
    for a in &e.attendees {
        let address = a.email.as_deref().and_then(mailto);
        let mut l = String::from("ATTENDEE");
        if !a.name.trim().is_empty() {
            let _ = write!(l, ";CN={}", param_value(&a.name));
        }
        // A reply is asked for only from someone who has not answered yet.
        let rsvp = address.is_some()
            && method == IcsMethod::Request
            && a.partstat == PartStat::NeedsAction;
        let _ = write!(
            l,
            ";ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP={}:{}",
            a.partstat.as_str(),
            if rsvp { "TRUE" } else { "FALSE" },
            address.unwrap_or_else(|| "invalid:nomail".into())
        );
        line(&l);
    }
    line("CLASS:PRIVATE");
    line(&format!(
        "TRANSP:{}",
        if status == IcsStatus::Cancelled {
            "TRANSPARENT"
        } else {
            "OPAQUE"
        }
    ));
    line("END:VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("valid test time")
    }

    fn event() -> IcsEvent {
        IcsEvent {
            uid: conference_uid(12, "tandem.herten.example"),
            sequence: 0,
            status: IcsStatus::Confirmed,
            start_local: at(2026, 12, 3, 14, 30),
            end_local: at(2026, 12, 3, 16, 0),
            second: (false, false),
            summary: format!("Fallkonferenz {}", initials("Jana", "Müller")),
            description: "Erstkonferenz\nBitte Unterlagen mitbringen; danke, Frau Brinkmann".into(),
            location: "Rathaus Herten, Raum 2.14".into(),
            organizer: Some(("Frau Brinkmann".into(), "brinkmann@example.org".into())),
            attendees: vec![
                IcsAttendee {
                    name: "Herr Karaca".into(),
                    email: Some("karaca@example.org".into()),
                    partstat: PartStat::NeedsAction,
                },
                IcsAttendee {
                    name: "Herr \"Kaya\"; Schule".into(),
                    email: None,
                    partstat: PartStat::NeedsAction,
                },
                IcsAttendee {
                    name: "Frau Dabrowska".into(),
                    email: Some("dabrowska@example.org".into()),
                    partstat: PartStat::Accepted,
                },
            ],
            dtstamp_utc: Utc
                .with_ymd_and_hms(2026, 11, 20, 9, 15, 0)
                .single()
                .expect("valid"),
            categories: vec!["Fallkonferenz".into(), "Tandem".into()],
        }
    }

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    fn lines(s: &str) -> Vec<String> {
        unfold(s)
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn initials_only() {
        assert_eq!(initials("Jana", "Müller"), "J. M.");
        assert_eq!(initials("  anna lena ", "schulte-heß"), "A. S.");
        assert_eq!(initials("Łukasz", "Öztürk"), "Ł. Ö.");
        assert_eq!(initials("", "Yılmaz"), "Y.");
        assert_eq!(initials("", ""), "");
        assert_eq!(conference_uid(12, " h.example "), "conf-12@h.example");
    }

    #[test]
    fn a_complete_invitation() {
        let ics = write_calendar(
            IcsMethod::Request,
            &[event()],
            "-//Tandem//Fallkonferenz//DE",
        )
        .expect("valid dates");
        let l = lines(&ics);
        let expect_start = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Tandem//Fallkonferenz//DE",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Berlin",
            "BEGIN:DAYLIGHT",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "TZNAME:CEST",
            "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "TZNAME:CET",
            "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:conf-12@tandem.herten.example",
            "DTSTAMP:20261120T091500Z",
            "DTSTART;TZID=Europe/Berlin:20261203T143000",
            "DTEND;TZID=Europe/Berlin:20261203T160000",
            "SEQUENCE:0",
            "STATUS:CONFIRMED",
            "SUMMARY:Fallkonferenz J. M.",
            "DESCRIPTION:Erstkonferenz\\nBitte Unterlagen mitbringen\\; danke\\, Frau Brinkmann",
            "LOCATION:Rathaus Herten\\, Raum 2.14",
            "CATEGORIES:Fallkonferenz,Tandem",
            "ORGANIZER;CN=\"Frau Brinkmann\":mailto:brinkmann@example.org",
            "ATTENDEE;CN=\"Herr Karaca\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:karaca@example.org",
            "ATTENDEE;CN=\"Herr 'Kaya'; Schule\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:invalid:nomail",
            "ATTENDEE;CN=\"Frau Dabrowska\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:dabrowska@example.org",
            "CLASS:PRIVATE",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ];
        assert_eq!(l, expect_start);
    }

    #[test]
    fn crlf_everywhere_and_lines_of_at_most_75_octets() {
        let mut e = event();
        e.description = "Zeile eins\r\nZeile zwei\rZeile drei\n".repeat(10);
        let ics =
            write_calendar(IcsMethod::Request, &[e.clone(), e], "-//Tandem//DE").expect("valid");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        let bytes = ics.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at {i}");
            }
            if *b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
            }
        }
        for line in ics.split("\r\n") {
            assert!(line.len() <= MAX_LINE_OCTETS, "{line:?}");
        }
    }

    #[test]
    fn folding_keeps_umlauts_whole_and_unfolds_to_the_original() {
        let summary: String = "Müßiggang öffentlich über Äpfel – ".repeat(7);
        let summary: String = summary.chars().take(200).collect();
        assert_eq!(summary.chars().count(), 200);
        let mut e = event();
        e.summary.clone_from(&summary);
        let ics = write_calendar(IcsMethod::Publish, &[e], "-//Tandem//DE").expect("valid");
        let physical: Vec<&str> = ics.split("\r\n").collect();
        let start = physical
            .iter()
            .position(|l| l.starts_with("SUMMARY:"))
            .expect("summary line");
        assert!(physical[start + 1].starts_with(' '), "folded");
        for l in &physical {
            assert!(l.len() <= MAX_LINE_OCTETS, "{} octets: {l:?}", l.len());
        }
        // Splitting inside a multi-byte character would make the pieces invalid UTF-8; the
        // split above already proved each piece is a str. Unfolded, it is the original.
        let unfolded = lines(&ics);
        assert!(unfolded.contains(&format!("SUMMARY:{summary}")));
        // Boundary cases of the folder itself.
        for len in [74, 75, 76, 149, 150, 151] {
            let text = "ä".repeat(len / 2) + &"a".repeat(len % 2);
            let mut out = String::new();
            push_line(&mut out, &text);
            assert_eq!(unfold(&out), format!("{text}\r\n"));
            assert!(out.split("\r\n").all(|l| l.len() <= MAX_LINE_OCTETS));
        }
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(75));
        assert_eq!(out.matches("\r\n").count(), 1, "75 octets fit on one line");
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(76));
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("a\r\nb\nc\rd"), r"a\nb\nc\nd");
        assert_eq!(escape_text("a\u{1b}[2Jb\u{202e}c\td"), "a[2Jbcd");
        assert_eq!(escape_text("Groß: 10:00"), "Groß: 10:00");
    }

    #[test]
    fn december_and_july_keep_their_wall_clock_with_the_berlin_zone() {
        let mut winter = event();
        winter.start_local = at(2026, 12, 3, 14, 30);
        winter.end_local = at(2026, 12, 3, 16, 0);
        let mut summer = event();
        summer.uid = conference_uid(13, "tandem.herten.example");
        summer.start_local = at(2026, 7, 9, 9, 0);
        summer.end_local = at(2026, 7, 9, 10, 30);
        let ics =
            write_calendar(IcsMethod::Request, &[winter, summer], "-//Tandem//DE").expect("valid");
        let l = lines(&ics);
        for expected in [
            "DTSTART;TZID=Europe/Berlin:20261203T143000",
            "DTEND;TZID=Europe/Berlin:20261203T160000",
            "DTSTART;TZID=Europe/Berlin:20260709T090000",
            "DTEND;TZID=Europe/Berlin:20260709T103000",
        ] {
            assert!(l.iter().any(|x| x == expected), "{expected}");
        }
        // One VTIMEZONE serves both; every TZID reference names it.
        assert_eq!(l.iter().filter(|x| *x == "BEGIN:VTIMEZONE").count(), 1);
        assert!(
            l.iter()
                .filter(|x| x.contains("TZID="))
                .all(|x| x.contains("TZID=Europe/Berlin:"))
        );
    }

    #[test]
    fn cancellation_and_update() {
        let mut e = event();
        e.sequence = 2;
        let ics = write_calendar(IcsMethod::Cancel, &[e], "-//Tandem//DE").expect("valid");
        let l = lines(&ics);
        assert!(l.contains(&"METHOD:CANCEL".to_string()));
        assert!(l.contains(&"STATUS:CANCELLED".to_string()));
        assert!(l.contains(&"SEQUENCE:2".to_string()));
        assert!(l.contains(&"UID:conf-12@tandem.herten.example".to_string()));
        assert!(l.iter().all(|x| !x.contains("RSVP=TRUE")));
        let mut tentative = event();
        tentative.status = IcsStatus::Tentative;
        tentative.location.clear();
        tentative.description.clear();
        tentative.categories.clear();
        tentative.organizer = None;
        let l = lines(
            &write_calendar(IcsMethod::Publish, &[tentative], "-//Tandem//DE").expect("valid"),
        );
        assert!(l.contains(&"STATUS:TENTATIVE".to_string()));
        assert!(l.iter().all(|x| !x.starts_with("LOCATION")
            && !x.starts_with("DESCRIPTION")
            && !x.starts_with("CATEGORIES")
            && !x.starts_with("ORGANIZER")));
        // Odd addresses are cleaned or replaced, never break the line structure.
        assert_eq!(
            mailto(" MAILTO:a@b.example\r\n"),
            Some("mailto:a@b.example".into())
        );
        assert_eq!(mailto("nobody"), None);
        assert_eq!(
            mailto("a b@c.example;x"),
            Some("mailto:ab@c.examplex".into())
        );
    }

    #[test]
    fn dates_no_calendar_can_hold_are_refused_not_clamped() {
        // A conference on 31.12.9999 at 23:00 for 90 minutes ends in the year 10000, which
        // chrono would print as "+100000101T003000": refused, the whole file.
        let mut late = event();
        late.start_local = at(9999, 12, 31, 23, 0);
        late.end_local = late.start_local + chrono::Duration::minutes(90);
        assert_eq!(late.end_local.format("%Y").to_string(), "+10000");
        let refused = IcsError::DateOutOfRange {
            uid: late.uid.clone(),
        };
        assert_eq!(check_event(&late), Err(refused.clone()));
        assert_eq!(
            write_calendar(
                IcsMethod::Publish,
                &[event(), late.clone()],
                "-//Tandem//DE"
            ),
            Err(refused)
        );
        // The last minute that fits is written as it is.
        late.end_local = at(9999, 12, 31, 23, 59);
        let ics = write_calendar(IcsMethod::Request, &[late.clone()], "-//Tandem//DE")
            .expect("year 9999 fits");
        assert!(lines(&ics).contains(&"DTEND;TZID=Europe/Berlin:99991231T235900".to_string()));
        // Before the year 1, and an end before the start.
        let mut early = event();
        early.start_local = at(0, 1, 1, 10, 0);
        assert!(matches!(
            write_calendar(IcsMethod::Request, &[early], "-//Tandem//DE"),
            Err(IcsError::DateOutOfRange { .. })
        ));
        let mut backwards = event();
        backwards.end_local = backwards.start_local - chrono::Duration::minutes(1);
        assert_eq!(
            write_calendar(IcsMethod::Request, &[backwards.clone()], "-//Tandem//DE"),
            Err(IcsError::EndBeforeStart { uid: backwards.uid })
        );
    }
}
