//! Access requests (Art. 15 DSGVO): [`Store::subject_export`] collects what the requesting
//! DSB's Stelle holds about one person, in every capacity (young person, custody holder,
//! child of a referral, reporter, staff member), with purposes, recipients from the
//! transfer log and the default retention; third parties' data and entrusted notes are
//! replaced by markers. The rules are docs/subject-access.md (§ numbers cited below).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::audit::{self, AuditAction, AuditEntry};
use super::{StorageError, Store, ts};
use crate::domain::refusal::Refusal;
use crate::domain::retention_defaults::{RetentionClass, deletion_date, transfer_deletion_date};
use crate::domain::text::filter_words;
use crate::domain::{Agency, Role, Staff};
use crate::model::subject::{
    Entry, FORMAT, REDACTED_CHILD, REDACTED_ENTRUSTED, REDACTED_OTHER, REDACTED_REPORTER,
    Recipient, Retention, SubjectExport, SubjectQuery, SubjectRecord, SubjectRole, code_label,
    german_date,
};

/// Audit object type of an access-request export; the object id is the number of records
/// it contains, the fields name the capacities found (docs/subject-access.md § 6).
pub const OBJECT: &str = "subject_export";
/// Audit detail of the export row.
pub const DETAIL: &str = "art15";

/// Fixed purposes per record type (docs/subject-access.md § 3).
mod purpose {
    pub const PERSON: &str = "Durchführung der Kooperation von Jobcenter und Jugendamt für junge Menschen unter 25 (§ 18 Abs. 1a SGB II, § 81 SGB VIII): Stammdaten der jungen Person";
    pub const CASE: &str =
        "Planung und Dokumentation des Kooperationsfalls (Fallführung, Wiedervorlage, Abschluss)";
    pub const CONSENT: &str = "Nachweis der Einwilligung in die Übermittlung zwischen den Stellen (Art. 7 Abs. 1 DSGVO, § 67b SGB X)";
    pub const MEASURE: &str =
        "Vereinbarte Schritte und Hilfen des Kooperationsfalls und ihre Nachverfolgung";
    pub const CONFERENCE: &str = "Vorbereitung, Durchführung und Protokoll der Fallkonferenz";
    pub const NOTE: &str = "Dokumentation der Fallarbeit (Gesprächsvermerke)";
    pub const TRANSFER: &str =
        "Nachweis jeder Übermittlung zwischen den Stellen (Übermittlungsprotokoll, § 67d SGB X)";
    pub const GUARDIAN: &str = "Beteiligung der Sorgeberechtigten im Kooperationsfall (Einladungen, Einwilligung Minderjähriger)";
    pub const REFERRAL: &str = "Schutzauftrag bei Kindeswohlgefährdung (§ 8a SGB VIII, § 4 KKG): Mitteilung des Jobcenters an das Jugendamt";
    pub const REPORTER: &str =
        "Rückfragen des Jugendamts zur Kinderschutz-Mitteilung und Nachweis der Meldung";
    pub const STAFF: &str = "Benutzerverwaltung, Zugriffsrechte und Vertretung";
    pub const WITHDRAWAL: &str = "Prüfung einer Information des Jugendamts bei Leistungsentzug (Einzelfallentscheidung mit Begründung)";
    pub const AUDIT: &str =
        "Protokollierung der Zugriffe und Änderungen (Art. 5 Abs. 2, Art. 32 DSGVO, § 78a SGB X)";
}

/// Every query word occurs among `words` of the candidate.
fn words_match(query: &str, candidate: &str) -> bool {
    let q = filter_words(query);
    let c = filter_words(candidate);
    !q.is_empty() && q.iter().all(|w| c.contains(w))
}

/// The person's names match a record's surname and given names.
fn person_matches(q: &SubjectQuery, surname: &str, given: &str) -> bool {
    words_match(&q.surname, surname) && words_match(&q.given_names, given)
}

/// The day of a stored date or instant (its first ten characters).
fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn shown_day(s: Option<&str>) -> String {
    s.and_then(day).map_or_else(|| "–".to_string(), german_date)
}

fn entry(label: &str, value: impl Into<String>) -> Entry {
    Entry {
        label: label.to_string(),
        value: value.into(),
    }
}

/// The German label of a person field code (the codes of `transfer_log.fields`).
fn field_label(code: &str) -> &str {
    match code {
        "surname" => "Nachname",
        "given_names" => "Vorname(n)",
        "birth_date" => "Geburtsdatum",
        "gender" => "Geschlecht",
        "address" => "Anschrift",
        "phone" => "Telefon",
        "email" => "E-Mail",
        "jc_customer_no" => "Kundennummer JC",
        "bg_no" => "BG-Nummer",
        "ja_file_no" => "Aktenzeichen JA",
        "reasons" => "Anlass",
        "question" => "Fragestellung",
        // Family records transferred (docs/casework.md § 2): named by kind, not by id.
        other if other.starts_with("guardian:") => "Sorgeberechtigte/r",
        other if other.starts_with("child:") => "Kind",
        other => other,
    }
}

/// The German label of a case reason ("Anlass").
fn reason_label(code: &str) -> &str {
    match code {
        "dropout" => "Schul-/Ausbildungsabbruch",
        "housing" => "Wohnungsnot/Auszug U25",
        "family" => "Familienkonflikt",
        "young_parents" => "Schwangerschaft/junge Eltern",
        "addiction" => "Sucht",
        "mental" => "Psychische Belastung",
        "debt" => "Schulden",
        "offending" => "Straffälligkeit",
        "truancy" => "Schulabsentismus",
        "lost_contact" => "Fehlende Mitwirkung/Kontaktabbruch",
        "transition" => "Übergang aus HzE/§ 41",
        other => other,
    }
}

/// The German label of a conference participant's role.
fn participant_label(code: &str) -> &str {
    match code {
        "young_person" => "Junge Person",
        "custody_holder" => "Sorgeberechtigte/r",
        "pap" => "pAp",
        "case_manager" => "Fallmanager/in",
        "asd" => "ASD-Fachkraft",
        "youth_vocational" => "Jugendberufshilfe",
        "provider" => "Träger",
        "school" => "Schule",
        "therapist" => "Therapeut/in",
        "interpreter" => "Dolmetscher/in",
        "other" => "Sonstige",
        other => other,
    }
}

/// The owner of a person field (docs/access.md A3): the numbers belong to their agency,
/// everything else to the record's owner.
fn field_owner(code: &str, owner: Agency) -> Agency {
    match code {
        "jc_customer_no" | "bg_no" => Agency::Jobcenter,
        "ja_file_no" => Agency::Jugendamt,
        _ => owner,
    }
}

/// One row of `transfer_log`.
struct Transfer {
    id: i64,
    case_id: i64,
    from: Agency,
    to: Agency,
    fields: Vec<String>,
    purpose: String,
    basis: String,
    justification: String,
    on: Option<NaiveDate>,
}

/// A case the person is in, with what decides its retention.
struct CaseRow {
    id: i64,
    owner: Agency,
    status: String,
    opened_on: String,
    closed_on: Option<String>,
    closure_reason: Option<String>,
    question: String,
}

impl CaseRow {
    fn delete_on(&self) -> Option<NaiveDate> {
        deletion_date(
            RetentionClass::Case,
            self.closed_on.as_deref().and_then(day),
        )
    }
}

/// id, text, responsible kind, due, status, result, owner.
type MeasureRow = (i64, String, String, String, String, String, Option<String>);
/// no, surname, given names, birth date, whereabouts, custody, result.
type ChildRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);
/// id, login, surname, given name, Stelle, phone, email, active.
type StaffRow = (i64, String, String, String, String, String, String, bool);

/// What is being put together.
struct Builder<'a> {
    store: &'a Store,
    me: Agency,
    records: Vec<SubjectRecord>,
    redacted: usize,
    notices: Vec<String>,
    stelle_names: BTreeMap<String, String>,
}

impl Builder<'_> {
    fn stelle_name(&self, a: Agency) -> String {
        self.stelle_names
            .get(a.code())
            .cloned()
            .unwrap_or_else(|| a.code().to_string())
    }

    fn redact(&mut self, label: &str, marker: &str) -> Entry {
        self.redacted += 1;
        entry(label, marker)
    }

    fn recipient(&self, t: &Transfer) -> Recipient {
        Recipient {
            to: self.stelle_name(t.to),
            purpose: t.purpose.clone(),
            basis: t.basis.clone(),
            on: t.on.unwrap_or_default(),
            fields: t.fields.clone(),
        }
    }

    fn case_row(&self, id: i64) -> Result<Option<CaseRow>, StorageError> {
        Ok(self
            .store
            .conn()
            .query_row(
                "SELECT id, owner_stelle, status, opened_on, closed_on, closure_reason, question \
                 FROM coop_case WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?
            .and_then(
                |(id, owner, status, opened_on, closed_on, closure_reason, question)| {
                    Some(CaseRow {
                        id,
                        owner: Agency::from_code(&owner)?,
                        status,
                        opened_on,
                        closed_on,
                        closure_reason,
                        question,
                    })
                },
            ))
    }

    /// The open restriction of processing (Art. 18 DSGVO) of case `id` and the fields the
    /// person disputes or disputed (Art. 16), with their own statement: the person has a
    /// right to know both (docs/subject-access.md § 3.1, docs/access.md A12).
    fn restriction_entries(&self, id: i64, entries: &mut Vec<Entry>) -> Result<(), StorageError> {
        let conn = self.store.conn();
        let open: Option<(String, String)> = conn
            .query_row(
                "SELECT reason, at FROM restriction WHERE case_id = ?1 AND lifted_at IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((reason, at)) = open {
            let why = match reason.as_str() {
                "accuracy" => "Richtigkeit bestritten",
                "unlawful" => "unrechtmäßige Verarbeitung",
                "legal_claims" => "für Rechtsansprüche benötigt",
                _ => "Widerspruch eingelegt",
            };
            entries.push(entry(
                "Verarbeitung eingeschränkt (Art. 18 DSGVO)",
                format!("seit {} – {why}", shown_day(Some(&at))),
            ));
        }
        let mut stmt = conn.prepare_cached(
            "SELECT field, statement, at, outcome, resolved_at FROM field_dispute \
             WHERE case_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        for row in rows {
            let (field, statement, at, outcome, resolved) = row?;
            let state = match outcome.as_deref() {
                None => "offen".to_string(),
                Some(o) => format!(
                    "{} am {}",
                    if o == "corrected" {
                        "berichtigt"
                    } else {
                        "bestätigt"
                    },
                    shown_day(resolved.as_deref())
                ),
            };
            let said = if statement.is_empty() {
                String::new()
            } else {
                format!("; Ihre Angabe: {statement}")
            };
            let value = format!(
                "{} – bestritten am {}, {state}{said}",
                field_label(&field),
                shown_day(Some(&at))
            );
            entries.push(entry("Bestrittene Angabe (Art. 16 DSGVO)", value));
        }
        Ok(())
    }

    fn transfers(&self, case_id: i64) -> Result<Vec<Transfer>, StorageError> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT id, case_id, from_stelle, to_stelle, fields, purpose, consent_id, \
             statutory_basis, justification, at FROM transfer_log WHERE case_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, case_id, from, to, fields, purpose, consent, statute, justification, at) =
                row?;
            let (Some(from), Some(to)) = (Agency::from_code(&from), Agency::from_code(&to)) else {
                continue;
            };
            let basis = match (consent, statute) {
                (Some(c), _) => format!("Einwilligung Nr. {c}"),
                (None, Some(s)) => code_label(&s).to_string(),
                (None, None) => "–".to_string(),
            };
            out.push(Transfer {
                id,
                case_id,
                from,
                to,
                fields: fields
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect(),
                purpose,
                basis,
                justification,
                on: day(&at),
            });
        }
        Ok(out)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one record's parts, each named at the call"
    )]
    fn push(
        &mut self,
        role: SubjectRole,
        (kind, title): (&str, &str),
        (record_id, case_id, owner): (i64, Option<i64>, Agency),
        entries: Vec<Entry>,
        purpose: &str,
        recipients: Vec<Recipient>,
        retention: Retention,
    ) {
        self.records.push(SubjectRecord {
            role,
            kind: kind.to_string(),
            title: title.to_string(),
            record_id,
            case_id,
            owner: owner.code().to_string(),
            received: owner != self.me,
            entries,
            purpose: purpose.to_string(),
            recipients,
            retention,
        });
    }

    // -----------------------------------------------------------------------------------
    // As young person (docs/subject-access.md § 3.1)
    // -----------------------------------------------------------------------------------

    fn young_persons(&mut self, q: &SubjectQuery) -> Result<(), StorageError> {
        let mut people = Vec::new();
        {
            let mut stmt = self.store.conn().prepare(
                "SELECT id, owner_stelle, surname, given_names, birth_date, gender, address, \
                 phone, email, jc_customer_no, bg_no, ja_file_no FROM young_person ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let surname: String = r.get(2)?;
                let given: String = r.get(3)?;
                let birth: String = r.get(4)?;
                if !person_matches(q, &surname, &given)
                    || q.birth_date.is_some_and(|b| day(&birth) != Some(b))
                {
                    continue;
                }
                let mut values = Vec::new();
                for (i, code) in [
                    "surname",
                    "given_names",
                    "birth_date",
                    "gender",
                    "address",
                    "phone",
                    "email",
                    "jc_customer_no",
                    "bg_no",
                    "ja_file_no",
                ]
                .into_iter()
                .enumerate()
                {
                    let v: String = r.get(i + 2)?;
                    let v = if code == "birth_date" {
                        shown_day(Some(&v))
                    } else {
                        v
                    };
                    values.push((code, v));
                }
                let owner: String = r.get(1)?;
                if let Some(owner) = Agency::from_code(&owner) {
                    people.push((r.get::<_, i64>(0)?, owner, values, birth));
                }
            }
        }
        let births: BTreeSet<&String> = people.iter().map(|p| &p.3).collect();
        if births.len() > 1 {
            self.notices.push(format!(
                "{} junge Personen mit diesem Namen und verschiedenen Geburtsdaten gefunden; Identität vor dem Versand prüfen oder mit --birth eingrenzen.",
                births.len()
            ));
        }
        for (id, owner, values, _) in people {
            self.young_person(id, owner, &values)?;
        }
        Ok(())
    }

    fn young_person(
        &mut self,
        person: i64,
        owner: Agency,
        values: &[(&str, String)],
    ) -> Result<(), StorageError> {
        let case_ids: Vec<i64> = {
            let mut stmt = self.store.conn().prepare_cached(
                "SELECT id FROM coop_case WHERE young_person_id = ?1 ORDER BY id",
            )?;
            stmt.query_map([person], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let mut cases = Vec::new();
        let mut transfers = Vec::new();
        for id in case_ids {
            if let Some(c) = self.case_row(id)? {
                transfers.extend(self.transfers(id)?);
                cases.push(c);
            }
        }
        let me = self.me;
        // The person record: own fields, and fields the partner transferred to us.
        let received: BTreeSet<&str> = transfers
            .iter()
            .filter(|t| t.to == me)
            .flat_map(|t| t.fields.iter().map(String::as_str))
            .collect();
        let mut entries = Vec::new();
        let mut any_own = false;
        for (code, value) in values {
            if value.trim().is_empty() {
                continue;
            }
            let own = field_owner(code, owner) == me;
            any_own |= own;
            if own {
                entries.push(entry(field_label(code), value.clone()));
            } else if received.contains(code) {
                entries.push(entry(
                    &format!("{} (übermittelt)", field_label(code)),
                    value.clone(),
                ));
            }
        }
        let sent: Vec<Recipient> = transfers
            .iter()
            .filter(|t| t.from == me)
            .map(|t| self.recipient(t))
            .collect();
        // A person record lives as long as the last of its cases.
        let delete_on = if cases.iter().any(|c| c.closed_on.is_none()) {
            None
        } else {
            cases.iter().filter_map(CaseRow::delete_on).max()
        };
        if !entries.is_empty() {
            self.push(
                SubjectRole::YoungPerson,
                ("young_person", "Junge Person"),
                (person, None, if any_own { me } else { owner }),
                entries,
                purpose::PERSON,
                sent,
                Retention::new(RetentionClass::Case, delete_on),
            );
        }
        for c in &cases {
            let case_transfers: Vec<&Transfer> =
                transfers.iter().filter(|t| t.case_id == c.id).collect();
            let ours = c.owner == me;
            if !ours && !case_transfers.iter().any(|t| t.to == me) {
                // An information at benefit withdrawal is held without a transfer-log row:
                // the Jobcenter's review, the Jugendamt's receipt (docs/casework.md § 9).
                self.withdrawals(c, &Retention::new(RetentionClass::Case, c.delete_on()))?;
                continue;
            }
            self.case_as_young_person(c, &case_transfers)?;
        }
        for t in transfers.iter().filter(|t| t.from == me || t.to == me) {
            let entries = vec![
                entry("Von", self.stelle_name(t.from)),
                entry("An", self.stelle_name(t.to)),
                entry("Datum", t.on.map_or_else(|| "–".into(), german_date)),
                entry(
                    "Übermittelte Daten",
                    t.fields
                        .iter()
                        .map(|f| field_label(f))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                entry("Zweck der Übermittlung", t.purpose.clone()),
                entry("Rechtsgrundlage", t.basis.clone()),
                entry(
                    "Begründung",
                    if t.justification.is_empty() {
                        "–".to_string()
                    } else {
                        t.justification.clone()
                    },
                ),
            ];
            let record_delete = cases
                .iter()
                .find(|c| c.id == t.case_id)
                .and_then(CaseRow::delete_on);
            let delete_on =
                t.on.and_then(|on| transfer_deletion_date(on, record_delete));
            // The sender owns the receipt; the receiver holds it (docs/access.md A3).
            self.push(
                SubjectRole::YoungPerson,
                ("transfer_log", "Übermittlung"),
                (t.id, Some(t.case_id), t.from),
                entries,
                purpose::TRANSFER,
                Vec::new(),
                Retention::new(RetentionClass::TransferLog, delete_on),
            );
        }
        Ok(())
    }

    fn case_as_young_person(
        &mut self,
        c: &CaseRow,
        transfers: &[&Transfer],
    ) -> Result<(), StorageError> {
        let me = self.me;
        let ours = c.owner == me;
        let conn = self.store.conn();
        let mut entries = vec![
            entry("Status", code_label(&c.status)),
            entry("Angelegt am", shown_day(Some(&c.opened_on))),
            entry("Abgeschlossen am", shown_day(c.closed_on.as_deref())),
        ];
        let got = |code: &str| {
            transfers
                .iter()
                .any(|t| t.to == me && t.fields.iter().any(|f| f == code))
        };
        if let Some(reason) = &c.closure_reason {
            entries.push(entry("Abschlussgrund", reason.clone()));
        }
        if ours {
            self.restriction_entries(c.id, &mut entries)?;
        }
        if ours || got("reasons") {
            let reasons: Vec<String> = conn
                .prepare_cached(
                    "SELECT reason FROM case_reason WHERE case_id = ?1 ORDER BY reason",
                )?
                .query_map([c.id], |r| r.get::<_, String>(0))?
                .map(|r| r.map(|code| reason_label(&code).to_string()))
                .collect::<Result<_, _>>()?;
            entries.push(entry("Anlass", reasons.join(", ")));
        }
        if ours || got("question") {
            entries.push(entry("Fragestellung", c.question.clone()));
        }
        let recipients = transfers
            .iter()
            .filter(|t| t.from == me && t.fields.iter().any(|f| f == "reasons" || f == "question"))
            .map(|t| self.recipient(t))
            .collect();
        let retention = Retention::new(RetentionClass::Case, c.delete_on());
        self.push(
            SubjectRole::YoungPerson,
            ("coop_case", "Kooperationsfall"),
            (c.id, Some(c.id), c.owner),
            entries,
            purpose::CASE,
            recipients,
            retention.clone(),
        );
        self.withdrawals(c, &retention)?;
        if !ours {
            // Only the case and what was transferred: the partner's other records are
            // the partner's to answer for (docs/subject-access.md § 2).
            return Ok(());
        }
        self.consents(c, SubjectRole::YoungPerson, None)?;
        // Measures of the own Stelle.
        let measures: Vec<MeasureRow> = conn
            .prepare_cached(
                "SELECT id, text, responsible_kind, due_on, status, result, owner_stelle \
                 FROM measure WHERE case_id = ?1 ORDER BY id",
            )?
            .query_map([c.id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (id, text, responsible, due, status, result, owner) in measures {
            let owner = owner
                .as_deref()
                .and_then(Agency::from_code)
                .unwrap_or(c.owner);
            if owner != me {
                continue;
            }
            let responsible = match responsible.as_str() {
                "young_person" => "Junge Person",
                "external" => "Externe Stelle",
                _ => "Fachkraft",
            };
            self.push(
                SubjectRole::YoungPerson,
                ("measure", "Vereinbarung"),
                (id, Some(c.id), owner),
                vec![
                    entry("Vereinbarung", text),
                    entry("Verantwortlich", responsible),
                    entry("Fällig am", shown_day(Some(&due))),
                    entry("Status", code_label(&status)),
                    entry("Ergebnis", result),
                ],
                purpose::MEASURE,
                Vec::new(),
                retention.clone(),
            );
        }
        self.conferences(c, SubjectRole::YoungPerson, None)?;
        // Notes of the own Stelle; entrusted ones only as a marker (docs/subject-access.md § 4).
        let notes: Vec<(i64, String, bool, String, String)> = conn
            .prepare_cached(
                "SELECT id, stelle, entrusted, text, at FROM note WHERE case_id = ?1 ORDER BY id",
            )?
            .query_map([c.id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get::<_, i64>(2)? != 0,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (id, stelle, entrusted, text, at) in notes {
            if Agency::from_code(&stelle) != Some(me) {
                continue;
            }
            let mut entries = vec![entry("Datum", shown_day(Some(&at)))];
            if entrusted {
                entries.push(self.redact("Vermerk", REDACTED_ENTRUSTED));
            } else {
                entries.push(entry("Vermerk", text));
            }
            self.push(
                SubjectRole::YoungPerson,
                ("note", "Vermerk"),
                (id, Some(c.id), me),
                entries,
                purpose::NOTE,
                Vec::new(),
                retention.clone(),
            );
        }
        // Custody holders and children are other persons: only that they are recorded.
        let guardians: Vec<(i64, String)> = conn
            .prepare_cached("SELECT id, relation FROM guardian WHERE case_id = ?1 ORDER BY id")?
            .query_map([c.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, relation) in guardians {
            let entries = vec![
                entry("Beziehung", code_label(&relation)),
                self.redact("Name und Kontakt", REDACTED_OTHER),
            ];
            self.push(
                SubjectRole::YoungPerson,
                ("guardian", "Sorgeberechtigte/Angehörige"),
                (id, Some(c.id), c.owner),
                entries,
                purpose::GUARDIAN,
                Vec::new(),
                retention.clone(),
            );
        }
        let children: Vec<(i64, String)> = conn
            .prepare_cached("SELECT id, relation FROM child WHERE case_id = ?1 ORDER BY id")?
            .query_map([c.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, relation) in children {
            let entries = vec![
                entry("Bezug", code_label(&relation)),
                self.redact("Angaben zum Kind", REDACTED_CHILD),
            ];
            self.push(
                SubjectRole::YoungPerson,
                ("child", "Kind"),
                (id, Some(c.id), c.owner),
                entries,
                purpose::CASE,
                Vec::new(),
                retention.clone(),
            );
        }
        // Referrals about this case: the person as the parent ("Bezug zur jungen Person").
        let referrals: Vec<i64> = conn
            .prepare_cached("SELECT id FROM cp_referral WHERE case_id = ?1 ORDER BY id")?
            .query_map([c.id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in referrals {
            self.referral(id, SubjectRole::YoungPerson, None)?;
        }
        Ok(())
    }

    /// The reviews of an information at benefit withdrawal on case `c`: every one for the
    /// Jobcenter, whose records they are whoever owns the case; the information received
    /// for the Jugendamt (docs/casework.md § 9).
    fn withdrawals(&mut self, c: &CaseRow, retention: &Retention) -> Result<(), StorageError> {
        type Row = (
            i64,
            String,
            String,
            i64,
            Option<String>,
            String,
            String,
            String,
            Option<String>,
        );
        let me = self.me;
        let sql = if me == Agency::Jobcenter {
            "SELECT id, status, bg_no, minors_count, decision, reason, legal_basis, opened_at, \
             decided_at FROM withdrawal_notice WHERE case_id = ?1 ORDER BY id"
        } else {
            "SELECT id, status, bg_no, minors_count, decision, reason, legal_basis, opened_at, \
             decided_at FROM withdrawal_notice WHERE case_id = ?1 AND status = 'info_sent' \
             ORDER BY id"
        };
        let rows: Vec<Row> = self
            .store
            .conn()
            .prepare_cached(sql)?
            .query_map([c.id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (id, status, bg_no, minors, decision, reason, basis, opened, decided) in rows {
            let state = match status.as_str() {
                "no_info" => "Keine Information",
                "info_sent" => "Information an das Jugendamt",
                _ => "In Prüfung",
            };
            let mut recipients = Vec::new();
            if status == "info_sent" && me == Agency::Jobcenter {
                recipients.push(Recipient {
                    to: self.stelle_name(Agency::Jugendamt),
                    purpose: "Information bei Leistungsentzug".into(),
                    basis: basis.clone(),
                    on: decided.as_deref().and_then(day).unwrap_or_default(),
                    fields: ["person", "bg_no", "minors_count", "reason", "legal_basis"]
                        .map(String::from)
                        .to_vec(),
                });
            }
            let mut entries = vec![
                entry("Stand", state),
                entry("BG-Nummer", bg_no),
                entry("Minderjährige in der BG", minors.to_string()),
                entry("Prüfung begonnen am", shown_day(Some(&opened))),
                entry("Entschieden am", shown_day(decided.as_deref())),
            ];
            if decision.is_some() || !reason.is_empty() {
                entries.push(entry("Begründung", reason));
            }
            if !basis.is_empty() {
                entries.push(entry("Rechtsgrundlage", basis));
            }
            self.push(
                SubjectRole::YoungPerson,
                ("withdrawal_notice", "Information bei Leistungsentzug"),
                (id, Some(c.id), Agency::Jobcenter),
                entries,
                purpose::WITHDRAWAL,
                recipients,
                retention.clone(),
            );
        }
        Ok(())
    }

    /// Consents of case `c` recorded by the own Stelle; for a custody holder only those
    /// whose "Erklärt durch" is one of `declared_by`.
    fn consents(
        &mut self,
        c: &CaseRow,
        role: SubjectRole,
        declared_by: Option<&[&str]>,
    ) -> Result<(), StorageError> {
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = self
            .store
            .conn()
            .prepare_cached(
                "SELECT id, recorded_by, declared_by, signed_on, form, purposes, categories, \
                 recipient_agencies, valid_from, valid_until, revoked_on, status \
                 FROM consent WHERE case_id = ?1 ORDER BY id",
            )?
            .query_map([c.id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (
            id,
            by,
            declared,
            signed,
            form,
            purposes,
            categories,
            recipients,
            from,
            until,
            revoked,
            status,
        ) in rows
        {
            if Agency::from_code(&by) != Some(self.me)
                || declared_by.is_some_and(|d| !d.contains(&declared.as_str()))
            {
                continue;
            }
            let trigger = revoked
                .as_deref()
                .and_then(day)
                .or_else(|| day(&until))
                .filter(|d| status != "granted" || revoked.is_some() || *d <= self.store.today());
            let list = |s: &str| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(|x| code_label(x).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let entries = vec![
                entry("Erklärt durch", code_label(&declared)),
                entry("Erteilt am", shown_day(Some(&signed))),
                entry("Form", code_label(&form)),
                entry("Zwecke", list(&purposes)),
                entry("Datenarten", list(&categories)),
                entry("Empfänger", list(&recipients)),
                entry("Gültig ab", shown_day(Some(&from))),
                entry("Gültig bis", shown_day(Some(&until))),
                entry("Status", code_label(&status)),
                entry("Widerrufen am", shown_day(revoked.as_deref())),
            ];
            self.push(
                role,
                ("consent", "Einwilligung"),
                (id, Some(c.id), self.me),
                entries,
                purpose::CONSENT,
                Vec::new(),
                Retention::new(
                    RetentionClass::Consent,
                    deletion_date(RetentionClass::Consent, trigger),
                ),
            );
        }
        Ok(())
    }

    /// Conferences of case `c` (owned by the own Stelle). For a custody holder only those
    /// where a participant of the role "Sorgeberechtigte/r" carries the name (`name`), and
    /// only their own participation.
    fn conferences(
        &mut self,
        c: &CaseRow,
        role: SubjectRole,
        name: Option<&SubjectQuery>,
    ) -> Result<(), StorageError> {
        type Row = (i64, String, String, String, Option<String>, String, String);
        let rows: Vec<Row> = self
            .store
            .conn()
            .prepare_cached(
                "SELECT id, kind, status, question, starts_at, location, minutes \
                 FROM conference WHERE case_id = ?1 ORDER BY id",
            )?
            .query_map([c.id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (id, kind, status, question, starts, location, minutes) in rows {
            type P = (
                Option<String>,
                String,
                String,
                String,
                String,
                Option<String>,
            );
            let participants: Vec<P> = self
                .store
                .conn()
                .prepare_cached(
                    "SELECT s.given_name || ' ' || s.surname, p.external_name, p.external_org, \
                     p.role, p.invitation, p.attendance FROM conference_participant p \
                     LEFT JOIN staff s ON s.id = p.staff_id WHERE p.conference_id = ?1 ORDER BY p.no",
                )?
                .query_map([id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
                })?
                .collect::<Result<_, _>>()?;
            let mut entries = vec![
                entry("Art", code_label(&kind)),
                entry("Status", code_label(&status)),
                entry("Termin", shown_day(starts.as_deref())),
            ];
            if let Some(q) = name {
                let mine: Vec<&P> = participants
                    .iter()
                    .filter(|p| {
                        !p.1.is_empty()
                            && words_match(&q.surname, &p.1)
                            && words_match(&q.given_names, &p.1)
                    })
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                for p in mine {
                    entries.push(entry("Ihre Rolle", participant_label(&p.3)));
                    entries.push(entry("Einladung", code_label(&p.4)));
                    entries.push(entry(
                        "Anwesenheit",
                        p.5.clone().unwrap_or_else(|| "–".into()),
                    ));
                }
            } else {
                entries.push(entry("Ort", location));
                entries.push(entry("Fragestellung", question));
                for p in &participants {
                    let who = p.0.clone().unwrap_or_else(|| {
                        if p.2.is_empty() {
                            p.1.clone()
                        } else {
                            format!("{} ({})", p.1, p.2)
                        }
                    });
                    let role = participant_label(&p.3);
                    let line = if who.trim().is_empty() {
                        role.to_string()
                    } else {
                        format!("{who} – {role}")
                    };
                    entries.push(entry("Teilnehmende", line));
                }
                if !minutes.is_empty() {
                    entries.push(entry("Protokoll", minutes));
                }
            }
            self.push(
                role,
                ("conference", "Fallkonferenz"),
                (id, Some(c.id), c.owner),
                entries,
                purpose::CONFERENCE,
                Vec::new(),
                Retention::new(RetentionClass::Case, c.delete_on()),
            );
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // As custody holder (docs/subject-access.md § 3.2)
    // -----------------------------------------------------------------------------------

    fn custody_holders(&mut self, q: &SubjectQuery) -> Result<(), StorageError> {
        let rows: Vec<(i64, i64, String, String, String, String, bool)> = self
            .store
            .conn()
            .prepare(
                "SELECT g.id, g.case_id, g.name, g.relation, g.custody, g.phone, g.do_not_contact \
                 FROM guardian g JOIN coop_case c ON c.id = g.case_id \
                 WHERE c.owner_stelle = ?1 ORDER BY g.id",
            )?
            .query_map([self.me.code()], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get::<_, i64>(6)? != 0,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut cases_done = BTreeSet::new();
        let mut any = false;
        for (id, case_id, name, relation, custody, phone, do_not_contact) in rows {
            if !(words_match(&q.surname, &name) && words_match(&q.given_names, &name)) {
                continue;
            }
            any = true;
            let Some(c) = self.case_row(case_id)? else {
                continue;
            };
            let retention = Retention::new(RetentionClass::Case, c.delete_on());
            self.push(
                SubjectRole::CustodyHolder,
                ("guardian", "Sorgeberechtigte/Angehörige"),
                (id, Some(case_id), c.owner),
                vec![
                    entry("Name", name),
                    entry("Beziehung", code_label(&relation)),
                    entry("Sorgerecht", code_label(&custody)),
                    entry(
                        "Telefon",
                        if phone.is_empty() {
                            "–".into()
                        } else {
                            phone
                        },
                    ),
                    entry(
                        "Kontakt gefährdet",
                        if do_not_contact { "ja" } else { "nein" },
                    ),
                ],
                purpose::GUARDIAN,
                Vec::new(),
                retention.clone(),
            );
            if cases_done.insert(case_id) {
                let entries = vec![
                    self.redact("Junge Person", REDACTED_OTHER),
                    entry("Status", code_label(&c.status)),
                    entry("Angelegt am", shown_day(Some(&c.opened_on))),
                    entry("Abgeschlossen am", shown_day(c.closed_on.as_deref())),
                ];
                self.push(
                    SubjectRole::CustodyHolder,
                    ("coop_case", "Kooperationsfall"),
                    (c.id, Some(c.id), c.owner),
                    entries,
                    purpose::CASE,
                    Vec::new(),
                    retention,
                );
                // Declared by custody holders or a Vormund.
                self.consents(
                    &c,
                    SubjectRole::CustodyHolder,
                    Some(&["custody", "guardian"]),
                )?;
                self.conferences(&c, SubjectRole::CustodyHolder, Some(q))?;
            }
        }
        if any {
            self.notices.push(
                "Sorgeberechtigte sind nur mit ihrem Namen gespeichert (ohne Geburtsdatum): Zuordnung vor dem Versand prüfen.".into(),
            );
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Child-protection referrals (docs/subject-access.md § 3.3)
    // -----------------------------------------------------------------------------------

    fn children(&mut self, q: &SubjectQuery) -> Result<(), StorageError> {
        let rows: Vec<(i64, i64, String, String, Option<String>)> = self
            .store
            .conn()
            .prepare(
                "SELECT referral_id, no, surname, given_names, birth_date FROM cp_child \
                 ORDER BY referral_id, no",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        for (referral, no, surname, given, birth) in rows {
            if !person_matches(q, &surname, &given) {
                continue;
            }
            if let (Some(want), Some(have)) = (q.birth_date, birth.as_deref().and_then(day))
                && want != have
            {
                continue;
            }
            self.referral(referral, SubjectRole::Child, Some(no))?;
        }
        Ok(())
    }

    /// One referral as seen by `role`: the child `child_no` (or, for the young person, the
    /// parent, none) in full, every other child and the reporter as markers.
    fn referral(
        &mut self,
        id: i64,
        role: SubjectRole,
        child_no: Option<i64>,
    ) -> Result<(), StorageError> {
        type Row = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let Some((owner, urgency, basis, status, facts, assessment, sent_at, closed_at, forwarded)): Option<Row> = self
            .store
            .conn()
            .query_row(
                "SELECT owner_stelle, urgency, legal_basis, status, facts, assessment, sent_at, \
                 closed_at, forwarded_to FROM cp_referral WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                },
            )
            .optional()?
        else {
            return Ok(());
        };
        let owner = Agency::from_code(&owner).unwrap_or(Agency::Jobcenter);
        let me = self.me;
        let mut entries = vec![
            entry("Gesendet am", shown_day(Some(&sent_at))),
            self.redact("Meldende Person", REDACTED_REPORTER),
            entry("Dringlichkeit", code_label(&urgency)),
            entry("Rechtsgrundlage", code_label(&basis)),
            entry("Status", code_label(&status)),
        ];
        let children: Vec<ChildRow> = self
            .store
            .conn()
            .prepare_cached(
                "SELECT no, surname, given_names, birth_date, whereabouts, custody, result \
                 FROM cp_child WHERE referral_id = ?1 ORDER BY no",
            )?
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        for (no, surname, given, birth, whereabouts, custody, result) in children {
            if Some(no) == child_no {
                entries.push(entry("Kind", format!("{given} {surname}")));
                entries.push(entry("Geburtsdatum", shown_day(birth.as_deref())));
                entries.push(entry("Derzeitiger Aufenthalt", whereabouts));
                if !custody.is_empty() {
                    entries.push(entry("Sorgeberechtigte", custody));
                }
                if let Some(r) = result {
                    entries.push(entry("Ergebnis der Gefährdungseinschätzung", r));
                }
            } else {
                entries.push(self.redact("Weiteres Kind", REDACTED_CHILD));
            }
        }
        entries.push(self.redact("Weitere Personen im Haushalt", REDACTED_OTHER));
        entries.push(entry("Tatsachen", facts));
        if !assessment.is_empty() {
            entries.push(entry("Einschätzung der meldenden Stelle", assessment));
        }
        let indicators: Vec<(i64, String, String)> = self
            .store
            .conn()
            .prepare_cached(
                "SELECT child_no, area, rating FROM cp_indicator WHERE referral_id = ?1 \
                 ORDER BY child_no, area",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        for (child, area, rating) in indicators {
            entries.push(entry(
                "Anhaltspunkt",
                format!(
                    "Kind {}: {}: {}",
                    child + 1,
                    code_label(&area),
                    code_label(&rating)
                ),
            ));
        }
        let closed = closed_at.as_deref().and_then(day);
        let class = if me == Agency::Jobcenter {
            RetentionClass::CpJc
        } else {
            RetentionClass::CpJa
        };
        // The sender's referral went to the Jugendamt (and maybe on, § 8a Abs. 5 SGB VIII).
        let mut recipients = Vec::new();
        if owner == me {
            recipients.push(Recipient {
                to: self.stelle_name(Agency::Jugendamt),
                purpose: "Kinderschutz-Mitteilung".into(),
                basis: code_label(&basis).to_string(),
                on: day(&sent_at).unwrap_or_default(),
                fields: vec!["referral".into()],
            });
        }
        if me == Agency::Jugendamt
            && let Some(to) = forwarded.filter(|f| !f.is_empty())
        {
            recipients.push(Recipient {
                to,
                purpose: "Weiterleitung an das zuständige Jugendamt".into(),
                basis: "§ 8a Abs. 5 SGB VIII".into(),
                on: day(&sent_at).unwrap_or_default(),
                fields: vec!["referral".into()],
            });
        }
        self.push(
            role,
            ("cp_referral", "Kinderschutz-Mitteilung"),
            (id, None, owner),
            entries,
            purpose::REFERRAL,
            recipients,
            Retention::new(class, deletion_date(class, closed)),
        );
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // As reporter and staff member (docs/subject-access.md § 3.4, § 3.5)
    // -----------------------------------------------------------------------------------

    fn staff(&mut self, q: &SubjectQuery) -> Result<(), StorageError> {
        let rows: Vec<StaffRow> = self
            .store
            .conn()
            .prepare(
                "SELECT id, login, surname, given_name, stelle, phone, email, active FROM staff \
                 ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get::<_, i64>(7)? != 0,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let today = self.store.today();
        for (id, login, surname, given, stelle, phone, email, active) in rows {
            if !person_matches(q, &surname, &given) {
                continue;
            }
            let Some(stelle) = Agency::from_code(&stelle) else {
                continue;
            };
            if stelle == self.me {
                let roles: Vec<String> = self
                    .store
                    .conn()
                    .prepare_cached(
                        "SELECT role FROM staff_role WHERE staff_id = ?1 ORDER BY role",
                    )?
                    .query_map([id], |r| r.get::<_, String>(0))?
                    .map(|r| r.map(|c| code_label(&c).to_string()))
                    .collect::<Result<_, _>>()?;
                self.push(
                    SubjectRole::Staff,
                    ("staff", "Mitarbeiterdaten"),
                    (id, None, stelle),
                    vec![
                        entry("Anmeldename", login),
                        entry("Name", format!("{given} {surname}")),
                        entry("Stelle", self.stelle_name(stelle)),
                        entry("Rollen", roles.join(", ")),
                        entry("Telefon", phone),
                        entry("E-Mail", email),
                        entry("Aktiv", if active { "ja" } else { "nein" }),
                    ],
                    purpose::STAFF,
                    Vec::new(),
                    Retention::new(RetentionClass::Staff, None),
                );
                // The audit rows about the person's actions: counts per action, oldest day.
                let counts: Vec<(String, i64, String)> = self
                    .store
                    .conn()
                    .prepare_cached(
                        "SELECT action, count(*), min(at) FROM audit_log WHERE staff_id = ?1 \
                         GROUP BY action ORDER BY action",
                    )?
                    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<Result<_, _>>()?;
                if !counts.is_empty() {
                    let oldest = counts.iter().filter_map(|c| day(&c.2)).min();
                    let entries = counts
                        .iter()
                        .map(|(action, n, _)| entry(&format!("Aktion {action}"), n.to_string()))
                        .collect();
                    self.push(
                        SubjectRole::Staff,
                        ("audit_log", "Protokolleinträge zu Ihren Aktionen (Anzahl)"),
                        (id, None, stelle),
                        entries,
                        purpose::AUDIT,
                        Vec::new(),
                        Retention::new(
                            RetentionClass::AccessLog,
                            deletion_date(RetentionClass::AccessLog, oldest).map(|d| d.max(today)),
                        ),
                    );
                }
            }
            // Referrals this person made: metadata only (both Stellen hold them).
            let referrals: Vec<(i64, String, String, String, String, Option<String>)> = self
                .store
                .conn()
                .prepare_cached(
                    "SELECT id, owner_stelle, sent_at, urgency, status, closed_at FROM cp_referral \
                     WHERE reporter_id = ?1 ORDER BY id",
                )?
                .query_map([id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })?
                .collect::<Result<_, _>>()?;
            let class = if self.me == Agency::Jobcenter {
                RetentionClass::CpJc
            } else {
                RetentionClass::CpJa
            };
            for (rid, owner, sent, urgency, status, closed) in referrals {
                let owner = Agency::from_code(&owner).unwrap_or(Agency::Jobcenter);
                let content = self.redact("Betroffene Kinder und Inhalt", REDACTED_OTHER);
                self.push(
                    SubjectRole::Reporter,
                    (
                        "cp_referral",
                        "Kinderschutz-Mitteilung (als meldende Fachkraft)",
                    ),
                    (rid, None, owner),
                    vec![
                        entry("Gesendet am", shown_day(Some(&sent))),
                        entry("Dringlichkeit", code_label(&urgency)),
                        entry("Status", code_label(&status)),
                        content,
                    ],
                    purpose::REPORTER,
                    Vec::new(),
                    Retention::new(class, deletion_date(class, closed.as_deref().and_then(day))),
                );
            }
        }
        Ok(())
    }
}

impl Store {
    /// Everything the Stelle of `actor` (a DSB, role `dpo`) holds about the person of
    /// `query` in Tandem, for an access request (Art. 15 DSGVO; docs/subject-access.md).
    /// Anyone else is refused ([`Refusal::NotAllowed`], with a `refused` audit row). The
    /// export itself is written to the audit log: action `export`, object
    /// [`OBJECT`], object id = number of records, fields = the capacities found, never a
    /// name.
    pub fn subject_export(
        &self,
        actor: &Staff,
        query: &SubjectQuery,
    ) -> Result<SubjectExport, StorageError> {
        if !actor.active || !actor.has_role(Role::Dpo) {
            return Err(self.refused_logged(actor, OBJECT, None, Refusal::NotAllowed));
        }
        // Four eyes where configured (docs/subject-access.md § 7): a released request of
        // this DSB for this person must wait; it is used up by the export's own write.
        let four_eyes = self.export_four_eyes(actor.agency)?;
        if four_eyes && !super::export_request::release_waiting(self.conn(), actor, query)? {
            return Err(self.refused_logged(actor, OBJECT, None, Refusal::ExportNotReleased));
        }
        let stelle_names: BTreeMap<String, String> = self
            .conn()
            .prepare_cached("SELECT code, name FROM stelle")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut b = Builder {
            store: self,
            me: actor.agency,
            records: Vec::new(),
            redacted: 0,
            notices: Vec::new(),
            stelle_names,
        };
        b.young_persons(query)?;
        b.custody_holders(query)?;
        b.children(query)?;
        b.staff(query)?;
        let mut found: Vec<SubjectRole> = b.records.iter().map(|r| r.role).collect();
        found.sort();
        found.dedup();
        let now = ts(self.now());
        let export = SubjectExport {
            format: FORMAT.to_string(),
            created_at: now.clone(),
            controller: actor.agency.code().to_string(),
            controller_name: b.stelle_name(actor.agency),
            made_by: actor.login.clone(),
            query: query.clone(),
            found_as: found,
            notices: b.notices,
            records: b.records,
            redacted: b.redacted,
        };
        let entry = AuditEntry::new(AuditAction::Export, OBJECT)
            .by(actor)
            .object(i64::try_from(export.records.len()).unwrap_or(i64::MAX))
            .fields(export.found_as.iter().map(|r| r.code()).collect())
            .detail(DETAIL);
        let written = self.write(|tx| {
            if four_eyes && !super::export_request::consume_release(tx, actor, query, &now)? {
                return Err(StorageError::Refused(Refusal::ExportNotReleased));
            }
            audit::append_at(tx, &entry, &now)
        });
        match written {
            // Another export used the release up meanwhile: refused and logged like above.
            Err(StorageError::Refused(r)) => Err(self.refused_logged(actor, OBJECT, None, r)),
            Err(e) => Err(e),
            Ok(_) => Ok(export),
        }
    }
}
