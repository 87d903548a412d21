//! The answer to an access request (Art. 15 DSGVO, docs/subject-access.md): everything the
//! requesting DSB's Stelle holds about one person, record by record, with its purpose, its
//! recipients, its retention class and deletion day, third parties' data replaced by fixed
//! markers. Filled by `Store::subject_export`; written out as JSON (serde) and as readable
//! German text ([`SubjectExport::to_german_text`]).
//!
//! The document is for the person and is in German, the office's language; JSON keys are
//! English codes.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::retention_defaults::RetentionClass;

/// The format tag of the JSON document; a changed structure gets a new number.
pub const FORMAT: &str = "tandem-subject-export/1";

/// Marker for a note entrusted under § 65 SGB VIII (docs/subject-access.md § 4).
pub const REDACTED_ENTRUSTED: &str =
    "[Anvertraute Mitteilung einer anderen Person – nicht beauskunftet]";
/// Marker for the identity of the person who made a child-protection referral.
pub const REDACTED_REPORTER: &str = "[Meldende Person – nicht beauskunftet]";
/// Marker for another child of a referral or a case.
pub const REDACTED_CHILD: &str = "[Anderes Kind – nicht beauskunftet]";
/// Marker for any other third person (a young person seen from a custody holder's
/// export, a household, a custody holder seen from the young person's).
pub const REDACTED_OTHER: &str = "[Angaben zu einer anderen Person – nicht beauskunftet]";

/// Whom the request is about: names as the person gave them, the birth date where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectQuery {
    /// "Nachname".
    pub surname: String,
    /// "Vorname(n)".
    pub given_names: String,
    /// "Geburtsdatum"; records that carry a birth date must match it when given.
    pub birth_date: Option<NaiveDate>,
}

/// A request for an access-request export under four eyes (docs/subject-access.md § 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    /// Its id.
    pub id: i64,
    /// Login of the DSB who asked.
    pub requested_by: String,
    /// When (UTC, stored form).
    pub requested_at: String,
    /// About whom.
    pub query: SubjectQuery,
    /// Login of the second person, once decided.
    pub decided_by: Option<String>,
    /// Released (`true`) or refused (`false`), once decided.
    pub approved: Option<bool>,
}

/// In which capacity a record is about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectRole {
    /// The young person of a cooperation case.
    YoungPerson,
    /// A custody holder or relative ("Sorgeberechtigte/Angehörige") in a case.
    CustodyHolder,
    /// A child named in a child-protection referral.
    Child,
    /// The staff member who made a referral.
    Reporter,
    /// A staff member of the Stelle.
    Staff,
}

impl SubjectRole {
    /// The stored code (also the audit field name).
    pub fn code(self) -> &'static str {
        match self {
            SubjectRole::YoungPerson => "young_person",
            SubjectRole::CustodyHolder => "custody_holder",
            SubjectRole::Child => "child",
            SubjectRole::Reporter => "reporter",
            SubjectRole::Staff => "staff",
        }
    }

    /// The heading of its section in the German text.
    pub fn heading(self) -> &'static str {
        match self {
            SubjectRole::YoungPerson => "Als junge Person",
            SubjectRole::CustodyHolder => "Als Sorgeberechtigte/r oder Angehörige/r",
            SubjectRole::Child => "Als Kind in einer Kinderschutz-Mitteilung",
            SubjectRole::Reporter => "Als meldende Fachkraft",
            SubjectRole::Staff => "Als Mitarbeiter/in",
        }
    }

    /// Every role, in the order of the text.
    pub const ALL: [SubjectRole; 5] = [
        SubjectRole::YoungPerson,
        SubjectRole::CustodyHolder,
        SubjectRole::Child,
        SubjectRole::Reporter,
        SubjectRole::Staff,
    ];
}

/// One labelled value of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// German label.
    pub label: String,
    /// The value as text, or a redaction marker.
    pub value: String,
}

/// One transfer of the record's data to another Stelle (from the transfer log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The receiving Stelle's name.
    pub to: String,
    /// Purpose as recorded.
    pub purpose: String,
    /// Legal basis ("Einwilligung Nr. 12", "§ 69 Abs. 1 Nr. 1 SGB X").
    pub basis: String,
    /// Day of the transfer.
    pub on: NaiveDate,
    /// The transferred fields (codes).
    pub fields: Vec<String>,
}

/// Retention of one record under the default periods (docs/subject-access.md § 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// The class.
    pub class: RetentionClass,
    /// Its German label.
    pub label: String,
    /// What starts the period.
    pub trigger: String,
    /// The day the record is due for deletion; none while the trigger has not happened.
    pub delete_on: Option<NaiveDate>,
}

impl Recipient {
    /// "Jugendamt … am 25.11.2026 – Zweck: … – Rechtsgrundlage: …" (the text and the PDF).
    pub fn describe(&self) -> String {
        format!(
            "{} am {} – Zweck: {} – Rechtsgrundlage: {}",
            self.to,
            german_date(self.on),
            self.purpose,
            self.basis
        )
    }
}

impl Retention {
    /// "Kooperationsfall – Löschung am …", or "– Frist beginnt mit: …" before its trigger.
    pub fn describe(&self) -> String {
        let due = self.delete_on.map_or_else(
            || format!("Frist beginnt mit: {}", self.trigger),
            |d| format!("Löschung am {}", german_date(d)),
        );
        format!("{} – {due}", self.label)
    }

    /// The retention of `class` with its deletion day `delete_on`.
    pub fn new(class: RetentionClass, delete_on: Option<NaiveDate>) -> Retention {
        Retention {
            class,
            label: class.label().to_string(),
            trigger: class.trigger().to_string(),
            delete_on,
        }
    }
}

/// One record held about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectRecord {
    /// In which capacity it is about the person.
    pub role: SubjectRole,
    /// Table code ("young_person", "coop_case", "consent", …).
    pub kind: String,
    /// German title ("Kooperationsfall").
    pub title: String,
    /// Record id in its table.
    pub record_id: i64,
    /// The case it belongs to.
    pub case_id: Option<i64>,
    /// Code of the Stelle that owns it ("jc", "ja").
    pub owner: String,
    /// Whether the requesting Stelle holds it only because it was transferred to it.
    pub received: bool,
    /// The data.
    pub entries: Vec<Entry>,
    /// Why it is processed (fixed German text per record type).
    pub purpose: String,
    /// To whom it was transferred.
    pub recipients: Vec<Recipient>,
    /// Retention class and deletion day.
    pub retention: Retention,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectExport {
    /// [`FORMAT`].
    pub format: String,
    /// When it was made (UTC, as stored).
    pub created_at: String,
    /// Code of the controller whose records these are ("jc", "ja").
    pub controller: String,
    /// Its name.
    pub controller_name: String,
    /// Login of the DSB who made it.
    pub made_by: String,
    /// Whom it is about.
    pub query: SubjectQuery,
    /// The capacities in which records were found.
    pub found_as: Vec<SubjectRole>,
    /// Hints for the DSB (several persons matched, matching by name only).
    pub notices: Vec<String>,
    /// The records, grouped by role.
    pub records: Vec<SubjectRecord>,
    /// How many values were replaced by a marker.
    pub redacted: usize,
}

/// The German label of a stored code, for values shown in the export; unknown codes are
/// shown as they are.
pub fn code_label(code: &str) -> &str {
    match code {
        "mother" => "Mutter",
        "father" => "Vater",
        "step_mother" => "Stiefmutter",
        "step_father" => "Stiefvater",
        "foster_mother" => "Pflegemutter",
        "foster_father" => "Pflegevater",
        "guardian" => "Vormund",
        "sole" => "allein",
        "joint" => "gemeinsam",
        "none" => "kein",
        "own" => "eigenes Kind",
        "sibling" => "Geschwister",
        "household" => "Kind im Haushalt",
        "open" => "Offen",
        "in_progress" => "In Bearbeitung",
        "done" => "Erledigt",
        "not_done" => "Nicht erledigt",
        "dropped" => "Entfallen",
        "requested" => "Angefragt",
        "consent_pending" => "Einwilligung ausstehend",
        "active" => "Aktiv",
        "dormant" => "Ruhend",
        "closed" => "Abgeschlossen",
        "declined" => "Abgelehnt",
        "draft" => "Entwurf",
        "granted" => "Erteilt",
        "refused" => "Verweigert",
        "revoked" => "Widerrufen",
        "young_person" => "junge Person",
        "custody" => "Sorgeberechtigte",
        "legal_carer" => "rechtliche Betreuung",
        "written" => "schriftlich",
        "electronic" => "elektronisch",
        "akut" => "akut",
        "dringend" => "dringend",
        "nicht_akut" => "nicht akut",
        "sent" => "Gesendet",
        "received" => "Eingegangen",
        "forwarded" => "Weitergeleitet",
        "triaged" => "Ersteinschätzung erfolgt",
        "investigating" => "Gefährdungseinschätzung läuft",
        "assessed" => "Eingeschätzt",
        "measures" => "Maßnahmen",
        "sgbx_69" | "sgb10_69" => "§ 69 Abs. 1 Nr. 1 SGB X",
        "sgbx_71" | "sgb10_71" => "§ 71 SGB X",
        "kkg_4" | "kkg_4_3" => "§ 4 Abs. 3 KKG",
        "sgb8_8a_5" => "§ 8a Abs. 5 SGB VIII",
        "consent" => "Einwilligung",
        "first" => "Erstkonferenz",
        "follow_up" => "Folgekonferenz",
        "crisis" => "Krisenkonferenz",
        "transition" => "Übergangskonferenz (§ 36b)",
        "scheduled" => "Terminiert",
        "invited" => "Eingeladen",
        "held" => "Durchgeführt",
        "minutes_draft" => "Protokoll im Entwurf",
        "minutes_approved" => "Protokoll freigegeben",
        "postponed" => "Verschoben",
        "cancelled" => "Abgesagt",
        "development" => "Entwicklung",
        "nutrition" => "Ernährung",
        "clothing" => "Kleidung",
        "housing" => "Wohnen",
        "hygiene" => "Hygiene",
        "medical" => "Medizinische Versorgung",
        "supervision" => "Aufsicht",
        "protection" => "Schutz vor Gefahren",
        "physical_violence" => "Körperliche Gewalt",
        "psychological_violence" => "Psychische Gewalt",
        "sexual_violence" => "Sexuelle Gewalt",
        "domestic_violence" => "Häusliche Gewalt",
        "parental_substance" => "Suchtmittelkonsum der Eltern",
        "parental_mental_illness" => "Psychische Erkrankung der Eltern",
        "overwhelmed_parents" => "Überforderung junger Eltern",
        "truancy" => "Schulabsentismus",
        "master" => "Stammdaten",
        "school" => "Schule/Ausbildung",
        "benefits" => "Leistungsbezug",
        "family" => "Familie",
        "health" => "Gesundheit",
        "addiction" => "Sucht",
        "debt" => "Schulden",
        "justice" => "Justiz",
        "conference" => "Fallkonferenz",
        "mutual_information" => "Gegenseitige Information über Hilfen und Maßnahmen",
        "statement_22" => "Stellungnahme zu § 22 Abs. 5 SGB II",
        "transition_36b" => "Übergang nach § 36b SGB VIII",
        "other" => "Sonstiges",
        "green" => "grün",
        "yellow" => "gelb",
        "red" => "rot",
        "jc" => "Jobcenter",
        "ja" => "Jugendamt",
        "jc_u25" => "Jobcenter U25",
        "ja_staff" => "Jugendamt Fachkraft",
        "ja_oncall" => "Kinderschutz-Bereitschaft",
        "lead" => "Teamleitung",
        "dpo" => "Datenschutz/Revision",
        "admin" => "Administration",
        other => other,
    }
}

/// A day as "TT.MM.JJJJ".
pub fn german_date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

impl SubjectExport {
    /// The readable German document: a header, one section per capacity with every record
    /// (data, purpose, recipients, retention), and the confidentiality line.
    pub fn to_german_text(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(
            t,
            "Auskunft nach Art. 15 DSGVO (Access request, Art. 15 GDPR)"
        );
        let _ = writeln!(t, "Vertraulich – Sozialdaten");
        let _ = writeln!(t);
        let _ = writeln!(t, "Verantwortliche Stelle: {}", self.controller_name);
        let _ = writeln!(
            t,
            "Erstellt am: {} (durch {})",
            self.created_at, self.made_by
        );
        let birth = self
            .query
            .birth_date
            .map_or_else(|| "nicht angegeben".to_string(), german_date);
        let _ = writeln!(
            t,
            "Betroffene Person: {} {} (Geburtsdatum: {birth})",
            self.query.given_names, self.query.surname
        );
        if self.found_as.is_empty() {
            let _ = writeln!(
                t,
                "\nZu dieser Person sind bei der Stelle keine Daten in Tandem gespeichert."
            );
        } else {
            let roles: Vec<&str> = self.found_as.iter().map(|r| r.heading()).collect();
            let _ = writeln!(t, "Gespeichert: {}", roles.join("; "));
        }
        for n in &self.notices {
            let _ = writeln!(t, "Hinweis: {n}");
        }
        if self.redacted > 0 {
            let _ = writeln!(
                t,
                "Hinweis: {} Angaben zu anderen Personen oder anvertraute Mitteilungen sind nicht beauskunftet (§ 65 SGB VIII, Art. 15 Abs. 4 DSGVO).",
                self.redacted
            );
        }
        for role in SubjectRole::ALL {
            let records: Vec<&SubjectRecord> =
                self.records.iter().filter(|r| r.role == role).collect();
            if records.is_empty() {
                continue;
            }
            let _ = writeln!(
                t,
                "\n{}\n{}",
                role.heading(),
                "=".repeat(role.heading().chars().count())
            );
            for r in records {
                write_record(&mut t, r);
            }
        }
        let _ = writeln!(t, "\nVertraulich – Sozialdaten");
        t
    }
}

fn write_record(t: &mut String, r: &SubjectRecord) {
    let case = r
        .case_id
        .map_or_else(String::new, |c| format!(", Fall {c}"));
    let _ = writeln!(t, "\n{} Nr. {}{case}", r.title, r.record_id);
    let owner = code_label(&r.owner);
    if r.received {
        let _ = writeln!(t, "  Herkunft: übermittelt von {owner}");
    } else {
        let _ = writeln!(t, "  Herkunft: eigene Daten ({owner})");
    }
    for e in &r.entries {
        // Continuation lines of a multi-line value stay inside the record.
        let value = e.value.replace('\n', "\n    ");
        let _ = writeln!(t, "  {}: {value}", e.label);
    }
    let _ = writeln!(t, "  Zweck: {}", r.purpose);
    if r.recipients.is_empty() {
        let _ = writeln!(t, "  Empfänger: keine Übermittlung");
    } else {
        for x in &r.recipients {
            let _ = writeln!(t, "  Empfänger: {}", x.describe());
        }
    }
    let _ = writeln!(t, "  Löschklasse: {}", r.retention.describe());
}
