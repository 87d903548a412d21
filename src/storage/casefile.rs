//! The case file around a cooperation case: consents, custody holders, children, measures,
//! notes, transfers and break-glass grants; and the one place that decides, with
//! `domain::access`, what a person may read of a case.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, AuditAction, AuditEntry, detail, object};
use super::cases::parse_date as date;
use super::{StorageError, Store, berlin_day, ts};
use crate::domain::access::{self, Parties, Relation};
use crate::domain::alerts::{Alert, AlertFacts, DEFAULT_INACTIVE_WEEKS, case_alerts};
use crate::domain::casefile::{
    BreakGlassReason, Child, ChildRelation, Custody, FamilyRef, Guardian, Measure, MeasureStatus,
    Note, PERSON_FIELDS, Relation as Kin, Responsible, StatutoryBasis, Transfer, TransferBasis,
    field_category, field_owner,
};
use crate::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    RepresentationReason, RevokedHow,
};
use crate::domain::refusal::Refusal;
use crate::domain::restriction;
use crate::domain::{Agency, CaseId, CoopCase, Field, Staff, StaffId};
use crate::model::casefile::{CaseFileView, RevokedReceipt};

/// How long a break-glass grant lasts (docs/domain.md 5.1 rule 3, configurable later).
pub const BREAK_GLASS_HOURS: i64 = 8;

/// One break-glass grant for review by the DSB or a lead (no case content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    /// When it was granted (Berlin wall-clock).
    pub granted_at: NaiveDateTime,
    /// Until when it runs (Berlin wall-clock).
    pub until: NaiveDateTime,
    /// Who broke the glass.
    pub login: String,
    /// Their agency.
    pub agency: Agency,
    /// The case.
    pub case_id: CaseId,
    /// The reason chosen.
    pub reason: BreakGlassReason,
}

/// A stored UTC timestamp as Berlin wall-clock time (docs/domain.md 7), whatever the host's
/// time zone.
pub(crate) fn timestamp(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
        .map_or(NaiveDateTime::MIN, |utc| {
            crate::domain::tz::to_local(utc.and_utc())
        })
}

fn split_ids(s: &str) -> Vec<StaffId> {
    s.split(',')
        .filter_map(|x| x.parse().ok())
        .map(StaffId)
        .collect()
}

fn join_ids(ids: &[StaffId]) -> String {
    ids.iter()
        .map(|i| i.0.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn split_agencies(s: &str) -> Vec<Agency> {
    s.split(',').filter_map(Agency::from_code).collect()
}

fn join_agencies(a: &[Agency]) -> String {
    a.iter().map(|x| x.code()).collect::<Vec<_>>().join(",")
}

fn split_fields(s: &str) -> Vec<Field> {
    s.split(',').filter_map(Field::from_code).collect()
}

fn split_family(s: &str) -> Vec<FamilyRef> {
    s.split(',').filter_map(FamilyRef::from_code).collect()
}

const CONSENT_COLUMNS: &str = "id, case_id, recorded_by, declared_by, representation_reason, \
    insight_checked, signed_on, form, document_ref, purposes, categories, recipient_agencies, \
    recipient_staff, external_recipients, recurring, valid_from, valid_until, info_purpose, \
    info_refusal, info_revocable, status, revoked_on, revoked_how, version";

fn map_consent(r: &Row<'_>) -> rusqlite::Result<Consent> {
    Ok(Consent {
        id: ConsentId(r.get(0)?),
        case_id: r.get(1)?,
        recorded_by: Agency::from_code(&r.get::<_, String>(2)?).unwrap_or(Agency::Jobcenter),
        declared_by: DeclaredBy::from_code(&r.get::<_, String>(3)?)
            .unwrap_or(DeclaredBy::YoungPerson),
        representation_reason: r
            .get::<_, Option<String>>(4)?
            .as_deref()
            .and_then(RepresentationReason::from_code),
        insight_checked: r.get::<_, i64>(5)? == 1,
        signed_on: date(&r.get::<_, String>(6)?),
        form: ConsentForm::from_code(&r.get::<_, String>(7)?).unwrap_or(ConsentForm::Written),
        document_ref: r.get(8)?,
        purposes: Purpose::split(&r.get::<_, String>(9)?),
        categories: DataCategory::split(&r.get::<_, String>(10)?),
        recipient_agencies: split_agencies(&r.get::<_, String>(11)?),
        recipient_staff: split_ids(&r.get::<_, String>(12)?),
        external_recipients: r.get(13)?,
        recurring: r.get::<_, i64>(14)? == 1,
        valid_from: date(&r.get::<_, String>(15)?),
        valid_until: date(&r.get::<_, String>(16)?),
        info_purpose: r.get::<_, i64>(17)? == 1,
        info_refusal: r.get::<_, i64>(18)? == 1,
        info_revocable: r.get::<_, i64>(19)? == 1,
        status: ConsentStatus::from_code(&r.get::<_, String>(20)?).unwrap_or(ConsentStatus::Draft),
        revoked_on: r.get::<_, Option<String>>(21)?.as_deref().map(date),
        revoked_how: r
            .get::<_, Option<String>>(22)?
            .as_deref()
            .and_then(RevokedHow::from_code),
        version: r.get(23)?,
    })
}

/// The consents of a case, newest first.
pub(crate) fn consents_of(conn: &Connection, case: CaseId) -> Result<Vec<Consent>, StorageError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONSENT_COLUMNS} FROM consent WHERE case_id = ?1 ORDER BY signed_on DESC, id DESC"
    ))?;
    let rows = stmt.query_map([case.0], map_consent)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The transfers of a case, oldest first.
pub(crate) fn transfers_of(conn: &Connection, case: CaseId) -> Result<Vec<Transfer>, StorageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, from_stelle, to_stelle, fields, purpose, consent_id, statutory_basis, decided_by, at \
         FROM transfer_log WHERE case_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([case.0], |r| {
        let consent: Option<i64> = r.get(5)?;
        let statute: Option<String> = r.get(6)?;
        let basis = match (
            consent,
            statute.as_deref().and_then(StatutoryBasis::from_code),
        ) {
            (Some(c), _) => TransferBasis::Consent(ConsentId(c)),
            (None, Some(s)) => TransferBasis::Statute(s),
            (None, None) => TransferBasis::Statute(StatutoryBasis::Sgb10S69),
        };
        Ok(Transfer {
            id: r.get(0)?,
            from: Agency::from_code(&r.get::<_, String>(1)?).unwrap_or(Agency::Jobcenter),
            to: Agency::from_code(&r.get::<_, String>(2)?).unwrap_or(Agency::Jugendamt),
            fields: split_fields(&r.get::<_, String>(3)?),
            family: split_family(&r.get::<_, String>(3)?),
            purpose: r.get(4)?,
            basis,
            decided_by: StaffId(r.get(7)?),
            at: timestamp(&r.get::<_, String>(8)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What `agency` received on consents of case `id` that are revoked now, one receipt per
/// consent (docs/casework.md § 3).
pub(crate) fn revoked_receipts(
    id: CaseId,
    transfers: &[Transfer],
    consents: &[Consent],
    agency: Agency,
) -> Vec<RevokedReceipt> {
    let mut out: Vec<RevokedReceipt> = Vec::new();
    for c in consents {
        let Some(on) = c.revoked_on.filter(|_| c.status == ConsentStatus::Revoked) else {
            continue;
        };
        let mut fields: Vec<Field> = Vec::new();
        let mut family: Vec<FamilyRef> = Vec::new();
        for t in transfers {
            if t.to == agency && t.basis == TransferBasis::Consent(c.id) {
                for f in &t.fields {
                    if !fields.contains(f) {
                        fields.push(*f);
                    }
                }
                family.extend(t.family.iter().copied());
            }
        }
        family.sort_unstable();
        family.dedup();
        if fields.is_empty() && family.is_empty() {
            continue;
        }
        let guardians = family
            .iter()
            .filter(|r| matches!(r, FamilyRef::Guardian(_)))
            .count();
        out.push(RevokedReceipt {
            case: id,
            consent: c.id,
            revoked_on: on,
            fields,
            family: (guardians, family.len() - guardians),
        });
    }
    out
}

/// What one transfer carries and rests on ([`Store::transfer`]).
#[derive(Debug, Clone, Copy)]
pub struct TransferRequest<'a> {
    /// The person fields.
    pub fields: &'a [Field],
    /// The custody holders and children.
    pub family: &'a [FamilyRef],
    /// "Zweck".
    pub purpose: &'a str,
    /// Consent or statute.
    pub basis: TransferBasis,
    /// The justification of a statutory transfer (required then).
    pub justification: &'a str,
    /// The Jugendamt's § 64 (2) SGB VIII check.
    pub check_64_2: bool,
    /// The day the consent must cover.
    pub today: NaiveDate,
}

/// The values of a family record as sent, for the transfer's content hash.
fn family_snapshot(conn: &Connection, r: FamilyRef) -> Result<String, StorageError> {
    let (sql, id) = match r {
        FamilyRef::Guardian(id) => (
            "SELECT name || '|' || relation || '|' || custody || '|' || phone || '|' || do_not_contact \
             || '|' || coalesce(ended_on, '') FROM guardian WHERE id = ?1",
            id,
        ),
        FamilyRef::Child(id) => (
            "SELECT name || '|' || birth_date || '|' || relation || '|' || whereabouts || '|' \
             || coalesce(ended_on, '') FROM child WHERE id = ?1",
            id,
        ),
    };
    Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?)
}

/// Whether deputies stand in at all times on this connection (docs/access.md A2).
pub(crate) fn permanent_deputies(conn: &Connection) -> Result<bool, StorageError> {
    Ok(conn
        .prepare_cached("SELECT value FROM temp.session_setting WHERE key = 'permanent_deputies'")?
        .query_row([], |r| r.get::<_, i64>(0))
        .optional()?
        == Some(1))
}

/// Whether staff member `id` is away today: an absence period covers today, or they left
/// (inactive). Their deputy stands in then (docs/access.md A2).
pub(crate) fn is_away(
    conn: &Connection,
    id: StaffId,
    today: NaiveDate,
) -> Result<bool, StorageError> {
    let day = today.to_string();
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM staff s WHERE s.id = ?1 AND (s.active = 0 OR EXISTS (SELECT 1 FROM staff_absence a \
             WHERE a.staff_id = s.id AND a.from_day <= ?2 AND a.to_day >= ?2))",
        )?
        .query_row(params![id.0, day], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The parties of a case with the deputies of its assigned staff and whether they stand in
/// at instant `now` (an absence covers the Berlin day of `now`).
pub(crate) fn parties_of(
    conn: &Connection,
    case: &CoopCase,
    now: DateTime<Utc>,
) -> Result<Parties, StorageError> {
    let permanent = permanent_deputies(conn)?;
    let today = berlin_day(now);
    let side = |id: Option<StaffId>| -> Result<Option<access::Side>, StorageError> {
        let Some(id) = id else { return Ok(None) };
        let d: Option<i64> = conn
            .prepare_cached("SELECT deputy_id FROM staff WHERE id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?
            .flatten();
        let deputy = d.map(StaffId);
        let deputy_active = deputy.is_some() && (permanent || is_away(conn, id, today)?);
        Ok(Some(access::Side {
            assigned: id,
            deputy,
            deputy_active,
        }))
    };
    Ok(Parties {
        owner: case.owner,
        jc: side(case.jc_staff)?,
        ja: side(case.ja_staff)?,
    })
}

/// Whether `viewer` holds a break-glass grant for `case` that runs at instant `now`.
pub(crate) fn has_grant(
    conn: &Connection,
    viewer: StaffId,
    case: CaseId,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM access_grant WHERE case_id = ?1 AND staff_id = ?2 AND until > ?3",
        )?
        .query_row(params![case.0, viewer.0, ts(now)], |r| r.get(0))?;
    Ok(n > 0)
}

/// Whether case `id` has an open restriction ("gesperrt", docs/access.md A12).
pub(crate) fn is_restricted(conn: &Connection, id: CaseId) -> Result<bool, StorageError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM restriction WHERE case_id = ?1 AND lifted_at IS NULL")?
        .query_row([id.0], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The viewer's relation to a loaded case at instant `now` as if it were not restricted:
/// what decides whether the case exists for them at all, and who may ask for a restriction
/// or a dispute.
pub(crate) fn base_relation_to(
    conn: &Connection,
    viewer: &Staff,
    case: &CoopCase,
    now: DateTime<Utc>,
) -> Result<Relation, StorageError> {
    let parties = parties_of(conn, case, now)?;
    let grant = has_grant(conn, viewer.id, case.id, now)?;
    Ok(access::relation(viewer, &parties, grant))
}

/// The viewer's relation to a loaded case at instant `now`: the one every read goes
/// through. While the case is restricted only the owning Stelle's lead keeps one (as lead,
/// reading), everyone else has none (docs/access.md A12).
pub(crate) fn relation_to(
    conn: &Connection,
    viewer: &Staff,
    case: &CoopCase,
    now: DateTime<Utc>,
) -> Result<Relation, StorageError> {
    let base = base_relation_to(conn, viewer, case, now)?;
    if base != Relation::None && is_restricted(conn, case.id)? {
        return Ok(restriction::restricted_relation(viewer, case.owner, base));
    }
    Ok(base)
}

/// What a write of case data may rest on (docs/access.md A7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteNeeds {
    /// Assigned or Deputy: every write of the case and its records.
    Worker,
    /// Assigned or Deputy of the case owner's agency: its custody holders and children
    /// (A3), which the partner never reads.
    OwnerWorker,
    /// Assigned, Deputy or Lead: a transfer of the own agency's fields.
    WorkerOrLead,
}

impl WriteNeeds {
    fn allows(self, actor: &Staff, case: &CoopCase, relation: Relation) -> bool {
        let worker = access::may_write(relation);
        match self {
            WriteNeeds::Worker => worker,
            WriteNeeds::OwnerWorker => worker && actor.agency == case.owner,
            WriteNeeds::WorkerOrLead => worker || relation == Relation::Lead,
        }
    }
}

/// The write gate of case data (docs/access.md A7), inside the write's own transaction:
/// the case `case` as stored now (None: the record names no case) and `actor`'s relation
/// to it at `now`. What the relation does not allow leaves one `refused` audit row on
/// `object`/`object_id` and comes back as the inner error, which the caller returns as a
/// value so that the row is committed: a case the actor may not see (or that does not
/// exist) is [`StorageError::NotFound`] with detail `not_visible`, as for reads (A9); a
/// relation that reads but does not write is [`Refusal::NotAllowed`].
pub(crate) fn write_gate(
    tx: &rusqlite::Transaction<'_>,
    actor: &Staff,
    case: Option<CaseId>,
    now: DateTime<Utc>,
    needs: WriteNeeds,
    object: &'static str,
    object_id: Option<i64>,
) -> Result<Result<(CoopCase, Relation), StorageError>, StorageError> {
    let loaded = match case {
        Some(id) => super::cases::load_case_unchecked(tx, id)?,
        None => None,
    };
    let relation = match &loaded {
        Some(c) => base_relation_to(tx, actor, c, now)?,
        None => Relation::None,
    };
    // A restricted case is written by nobody (docs/access.md A12); who does not see the
    // case at all still learns nothing of it.
    let restricted = match &loaded {
        Some(c) if relation != Relation::None => is_restricted(tx, c.id)?,
        _ => false,
    };
    let refused = match (loaded, relation) {
        (Some(_), _) if restricted => (
            Refusal::Restricted.code(),
            StorageError::Refused(Refusal::Restricted),
        ),
        (Some(c), r) if needs.allows(actor, &c, r) => return Ok(Ok((c, r))),
        (_, Relation::None) => (detail::NOT_VISIBLE, StorageError::NotFound),
        _ => (
            Refusal::NotAllowed.code(),
            StorageError::Refused(Refusal::NotAllowed),
        ),
    };
    let mut entry = AuditEntry::new(AuditAction::Refused, object)
        .by(actor)
        .detail(refused.0);
    if let Some(id) = object_id.or(case.map(|c| c.0)) {
        entry = entry.object(id);
    }
    audit::append_at(tx, &entry, &ts(now))?;
    Ok(Err(refused.1))
}

/// The case a stored record of `table` (`consent`, `measure`, `conference`) belongs to.
pub(crate) fn case_of_record(
    conn: &Connection,
    table: &'static str,
    id: i64,
) -> Result<Option<CaseId>, StorageError> {
    let sql = format!("SELECT case_id FROM {table} WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| r.get(0))
        .optional()?
        .map(CaseId))
}

impl Store {
    /// One write of case data behind the write gate ([`write_gate`]): in one IMMEDIATE
    /// transaction, the relation of `actor` to the case is checked against the stored
    /// records and, if it allows the write, `f` runs; otherwise one `refused` row is
    /// committed and the refusal returned. `case` finds the case inside the transaction
    /// (a record names its case as stored, not as the caller believes).
    pub(crate) fn write_case<T>(
        &self,
        actor: &Staff,
        needs: WriteNeeds,
        target: (&'static str, Option<i64>),
        case: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<Option<CaseId>, StorageError>,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &CoopCase, Relation) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let now = self.now();
        self.write(|tx| {
            let id = case(tx)?;
            match write_gate(tx, actor, id, now, needs, target.0, target.1)? {
                Ok((c, rel)) => f(tx, &c, rel).map(Ok),
                Err(e) => Ok(Err(e)),
            }
        })?
    }
}

/// Whether a transfer of `field` to the viewer is on record and its basis still holds.
fn received(
    field: Field,
    viewer: &Staff,
    transfers: &[Transfer],
    consents: &[Consent],
    birth: NaiveDate,
    today: NaiveDate,
) -> bool {
    transfers.iter().any(|t| {
        t.to == viewer.agency
            && t.fields.contains(&field)
            && match t.basis {
                TransferBasis::Statute(_) => true,
                TransferBasis::Consent(id) => consents.iter().any(|c| {
                    c.id == id
                        && c.covers(
                            today,
                            birth,
                            viewer.agency,
                            Some(viewer.id),
                            field_category(field),
                        )
                }),
            }
    })
}

/// Whether a transfer of the custody holder or child `r` to the viewer is on record and its
/// basis still holds: a statute, or a consent covering "Familie" for the viewer today.
pub(crate) fn received_family(
    r: FamilyRef,
    viewer: &Staff,
    transfers: &[Transfer],
    consents: &[Consent],
    birth: NaiveDate,
    today: NaiveDate,
) -> bool {
    transfers.iter().any(|t| {
        t.to == viewer.agency
            && t.family.contains(&r)
            && match t.basis {
                TransferBasis::Statute(_) => true,
                TransferBasis::Consent(id) => consents.iter().any(|c| {
                    c.id == id
                        && c.covers(today, birth, viewer.agency, Some(viewer.id), r.category())
                }),
            }
    })
}

/// What of a case's records one viewer may read (docs/access.md A4), decided on every read
/// from the consents as they are today: own-agency records with any relation, partner
/// records only as assigned, deputy or lead and only while a basis holds.
pub(crate) struct Reader<'a> {
    viewer: &'a Staff,
    relation: Relation,
    consents: &'a [Consent],
    /// The real birth date (consent validity at 18 depends on it), never shown from here.
    birth: NaiveDate,
    today: NaiveDate,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        viewer: &'a Staff,
        relation: Relation,
        consents: &'a [Consent],
        birth: NaiveDate,
        today: NaiveDate,
    ) -> Self {
        Reader {
            viewer,
            relation,
            consents,
            birth,
            today,
        }
    }

    /// Whether some consent of the case lets `category` reach the viewer today.
    fn covered(&self, category: DataCategory) -> bool {
        self.consents.iter().any(|c| {
            c.covers(
                self.today,
                self.birth,
                self.viewer.agency,
                Some(self.viewer.id),
                category,
            )
        })
    }

    /// A measure owned by `owner`: the partner reads it while a consent covers "Maßnahmen".
    pub(crate) fn measure(&self, owner: Agency) -> bool {
        access::record_visible(
            self.viewer,
            self.relation,
            owner,
            owner == self.viewer.agency || self.covered(DataCategory::Measures),
        )
    }

    /// A consent record: the partner reads it while it is in force and names them.
    pub(crate) fn consent(&self, c: &Consent) -> bool {
        let names_viewer = c.recipient_agencies.contains(&self.viewer.agency)
            && (c.recipient_staff.is_empty() || c.recipient_staff.contains(&self.viewer.id));
        access::record_visible(
            self.viewer,
            self.relation,
            c.recorded_by,
            names_viewer && c.is_active(self.today, self.birth),
        )
    }

    /// A transfer receipt: the sender's agency always; the recipient while its basis still
    /// carries one of its fields or family records.
    pub(crate) fn transfer(&self, t: &Transfer) -> bool {
        let basis = t.to == self.viewer.agency
            && match t.basis {
                TransferBasis::Statute(_) => true,
                TransferBasis::Consent(id) => self.consents.iter().any(|c| {
                    let covers = |cat| {
                        c.covers(
                            self.today,
                            self.birth,
                            self.viewer.agency,
                            Some(self.viewer.id),
                            cat,
                        )
                    };
                    c.id == id
                        && (t.fields.iter().any(|f| covers(field_category(*f)))
                            || t.family.iter().any(|r| covers(r.category())))
                }),
            };
        access::record_visible(self.viewer, self.relation, t.from, basis)
    }

    /// A conference of a case owned by `case_owner`: the partner reads its content while it
    /// is anonymised or a consent for "Fallkonferenz" covers them. `participant` lets a
    /// participant without a relation to the case read it on the same terms.
    pub(crate) fn conference(
        &self,
        case_owner: Agency,
        anonymised: bool,
        participant: bool,
    ) -> bool {
        let basis = anonymised
            || self.consents.iter().any(|c| {
                c.purposes.contains(&Purpose::Conference)
                    && c.covers(
                        self.today,
                        self.birth,
                        self.viewer.agency,
                        Some(self.viewer.id),
                        DataCategory::MasterData,
                    )
            });
        let relation =
            if self.relation == Relation::None && participant && self.viewer.may_see_cases() {
                // A participant reads like an assigned caseworker, for this conference only.
                Relation::Assigned
            } else {
                self.relation
            };
        access::record_visible(self.viewer, relation, case_owner, basis)
    }
}

/// Empties a person field of `case`.
pub(crate) fn blank(case: &mut CoopCase, field: Field) {
    let p = &mut case.person;
    match field {
        Field::Surname => p.surname.clear(),
        Field::GivenNames => p.given_names.clear(),
        Field::BirthDate => p.birth_date = NaiveDate::MIN,
        Field::Gender => p.gender = crate::domain::Gender::Unspecified,
        Field::Address => p.address.clear(),
        Field::Phone => p.phone.clear(),
        Field::Email => p.email.clear(),
        Field::JcCustomerNo => p.jc_customer_no.clear(),
        Field::BgNo => p.bg_no.clear(),
        Field::JaFileNo => p.ja_file_no.clear(),
        Field::Reasons => case.reasons.clear(),
        Field::Question => case.question.clear(),
        _ => {}
    }
}

/// The value of a person field as text (for previews and content hashes).
pub fn field_text(case: &CoopCase, field: Field) -> String {
    let p = &case.person;
    match field {
        Field::Surname => p.surname.clone(),
        Field::GivenNames => p.given_names.clone(),
        Field::BirthDate => p.birth_date.format("%d.%m.%Y").to_string(),
        Field::Gender => p.gender.code().to_string(),
        Field::Address => p.address.clone(),
        Field::Phone => p.phone.clone(),
        Field::Email => p.email.clone(),
        Field::JcCustomerNo => p.jc_customer_no.clone(),
        Field::BgNo => p.bg_no.clone(),
        Field::JaFileNo => p.ja_file_no.clone(),
        Field::Reasons => crate::domain::ReasonCode::join(&case.reasons),
        Field::Question => case.question.clone(),
        _ => String::new(),
    }
}

/// The case as `viewer` may see it: person fields they may not read are emptied and listed.
pub(crate) fn redact(
    viewer: &Staff,
    relation: Relation,
    mut case: CoopCase,
    transfers: &[Transfer],
    consents: &[Consent],
    today: NaiveDate,
) -> (CoopCase, Vec<Field>, Vec<Field>) {
    let birth = case.person.birth_date;
    let mut hidden = Vec::new();
    let mut got = Vec::new();
    for field in PERSON_FIELDS {
        let owner = field_owner(field, case.owner);
        let transferred =
            owner != viewer.agency && received(field, viewer, transfers, consents, birth, today);
        if access::field_visible(viewer, relation, owner, transferred) {
            if owner != viewer.agency {
                got.push(field);
            }
        } else {
            hidden.push(field);
        }
    }
    for f in &hidden {
        blank(&mut case, *f);
    }
    (case, hidden, got)
}

/// The person fields of `case` that `viewer` may not read at instant `now` (docs/access.md
/// A4).
pub(crate) fn hidden_fields(
    conn: &Connection,
    viewer: &Staff,
    case: &CoopCase,
    now: DateTime<Utc>,
) -> Result<Vec<Field>, StorageError> {
    let relation = relation_to(conn, viewer, case, now)?;
    let transfers = transfers_of(conn, case.id)?;
    let consents = consents_of(conn, case.id)?;
    let (_, hidden, _) = redact(
        viewer,
        relation,
        case.clone(),
        &transfers,
        &consents,
        berlin_day(now),
    );
    Ok(hidden)
}

impl Store {
    /// Everything `viewer` may see of case `id`, or NotFound when they may see nothing.
    pub fn case_file(
        &self,
        viewer: &Staff,
        id: CaseId,
        today: NaiveDate,
    ) -> Result<CaseFileView, StorageError> {
        let conn = self.conn();
        let case = super::cases::load_case_unchecked(conn, id)?.ok_or(StorageError::NotFound)?;
        let now = self.now();
        let parties = parties_of(conn, &case, now)?;
        let base = access::relation(viewer, &parties, has_grant(conn, viewer.id, id, now)?);
        if base == Relation::None {
            return Err(StorageError::NotFound);
        }
        // A restricted case is read by the owning Stelle's lead alone (docs/access.md A12);
        // whoever else works on it is told that it is restricted, nothing more.
        let restriction = super::restriction::open_restriction(conn, id)?;
        let relation = if restriction.is_some() {
            restriction::restricted_relation(viewer, case.owner, base)
        } else {
            base
        };
        if relation == Relation::None {
            return Err(StorageError::Refused(Refusal::Restricted));
        }
        let all_consents = consents_of(conn, id)?;
        let all_transfers = transfers_of(conn, id)?;
        let revoked_received = if access::reads_partner_records(relation) {
            revoked_receipts(id, &all_transfers, &all_consents, viewer.agency)
        } else {
            Vec::new()
        };
        // Custody holders and children are the owner's data; the partner reads those that
        // were transferred while the transfer's basis holds (docs/casework.md § 2).
        let case_owner = case.owner;
        let birth = case.person.birth_date;
        let (case, hidden, received) =
            redact(viewer, relation, case, &all_transfers, &all_consents, today);
        // Every other record by its owner and basis (docs/access.md A3, A4).
        let reader = Reader::new(viewer, relation, &all_consents, birth, today);
        let transfers: Vec<Transfer> = all_transfers
            .iter()
            .filter(|t| reader.transfer(t))
            .cloned()
            .collect();
        let mut declarant_withheld = Vec::new();
        let mut consents: Vec<Consent> = Vec::new();
        for c in all_consents.iter().filter(|c| reader.consent(c)) {
            let mut c = c.clone();
            // Who declared a consent reveals the age band: the partner learns it only with
            // the birth date.
            if c.recorded_by != viewer.agency && hidden.contains(&Field::BirthDate) {
                c.declared_by = DeclaredBy::YoungPerson;
                c.representation_reason = None;
                c.insight_checked = false;
                declarant_withheld.push(c.id);
            }
            consents.push(c);
        }
        let family = |r: FamilyRef| {
            case_owner == viewer.agency
                || access::record_visible(
                    viewer,
                    relation,
                    case_owner,
                    received_family(r, viewer, &all_transfers, &all_consents, birth, today),
                )
        };
        let guardians: Vec<Guardian> = self
            .guardians_of(id)?
            .into_iter()
            .filter(|g| family(FamilyRef::Guardian(g.id)))
            .collect();
        let children: Vec<Child> = self
            .children_of(id)?
            .into_iter()
            .filter(|c| family(FamilyRef::Child(c.id)))
            .collect();
        let own_family = case_owner == viewer.agency;
        let guardians = (own_family || !guardians.is_empty()).then_some(guardians);
        let children = (own_family || !children.is_empty()).then_some(children);
        let mut notes = Vec::new();
        let mut withheld = Vec::new();
        for note in self.notes_of(id)? {
            if access::note_visible(viewer, relation, &note) {
                notes.push(note);
            } else if note.agency == viewer.agency && relation != Relation::BreakGlass {
                withheld.push(note.at);
            }
        }
        let mut staff_names = HashMap::new();
        let mut ids: Vec<StaffId> = [case.jc_staff, case.ja_staff]
            .into_iter()
            .flatten()
            .collect();
        ids.extend(notes.iter().map(|n| n.author));
        ids.extend(transfers.iter().map(|t| t.decided_by));
        let measures: Vec<Measure> = self
            .measures_owned(id)?
            .into_iter()
            .filter(|(_, owner)| reader.measure(*owner))
            .map(|(m, _)| m)
            .collect();
        for m in &measures {
            if let Responsible::Staff(_, s) = m.responsible {
                ids.push(s);
            }
        }
        let deputies = (
            parties.jc.and_then(|s| s.deputy),
            parties.ja.and_then(|s| s.deputy),
        );
        let help_end: Option<NaiveDate> = self
            .conn()
            .prepare_cached("SELECT help_end FROM coop_case WHERE id = ?1")?
            .query_row([id.0], |r| r.get::<_, Option<String>>(0))?
            .as_deref()
            .map(date);
        let last_activity = self.last_activity(id, case.opened_on)?;
        // Break-glass grants are the grantee's agency's records: its staff on the case and
        // its lead see them, the partner never (docs/access.md A4).
        let grants = if access::reads_partner_records(relation) {
            self.grants_of(id, viewer.agency)?
        } else {
            Vec::new()
        };
        for (sid, _, _) in &grants {
            if let Some(st) = self.staff_by_id(*sid)? {
                staff_names.insert(*sid, st.display_name());
            }
        }
        let alerts = case_alerts(
            &AlertFacts {
                open: case.status.is_open(),
                birth: (!hidden.contains(&Field::BirthDate)).then_some(case.person.birth_date),
                consents: &consents,
                measures: &measures,
                help_end,
                last_activity,
                inactive_weeks: DEFAULT_INACTIVE_WEEKS,
            },
            today,
        );
        ids.extend([deputies.0, deputies.1].into_iter().flatten());
        let disputed: Vec<Field> = super::restriction::disputed_fields(conn, id)?
            .into_iter()
            .filter(|f| !hidden.contains(f))
            .collect();
        for sid in ids {
            if let Some(s) = self.staff_by_id(sid)? {
                staff_names.insert(sid, s.display_name());
            }
        }
        Ok(CaseFileView {
            case,
            relation,
            hidden,
            received,
            consents,
            guardians,
            children,
            measures,
            notes,
            withheld_notes: withheld,
            transfers,
            staff_names,
            deputies,
            help_end,
            last_activity,
            alerts,
            grants,
            declarant_withheld,
            restriction: restriction.map(|r| (r.reason, r.at)),
            disputed,
            revoked_received,
            handover: super::handover::handover_of(conn, id, help_end, today, viewer.agency)?,
            withdrawals: super::withdrawal::notices_of(conn, id, viewer)?,
        })
    }

    /// The break-glass grants of a case given to staff of `agency`, newest first.
    fn grants_of(
        &self,
        id: CaseId,
        agency: Agency,
    ) -> Result<Vec<(StaffId, BreakGlassReason, NaiveDateTime)>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT g.staff_id, g.reason, g.granted_at FROM access_grant g JOIN staff s ON s.id = g.staff_id \
             WHERE g.case_id = ?1 AND s.stelle = ?2 ORDER BY g.granted_at DESC",
        )?;
        let rows = stmt.query_map(params![id.0, agency.code()], |r| {
            Ok((
                StaffId(r.get(0)?),
                BreakGlassReason::from_code(&r.get::<_, String>(1)?)
                    .unwrap_or(BreakGlassReason::Other),
                timestamp(&r.get::<_, String>(2)?),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The alerts of a list row (only visible rows are ever built, so this runs for at
    /// most a page of cases).
    pub(crate) fn row_alerts(
        &self,
        row: &crate::model::list::CaseRow,
        today: NaiveDate,
    ) -> Result<Vec<Alert>, StorageError> {
        if !row.status.is_open() {
            return Ok(Vec::new());
        }
        let consents = consents_of(self.conn(), row.id)?;
        let measures = self.measures_of(row.id)?;
        let (opened, help_end): (String, Option<String>) = self
            .conn()
            .prepare_cached("SELECT opened_on, help_end FROM coop_case WHERE id = ?1")?
            .query_row([row.id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let last_activity = self.last_activity(row.id, date(&opened))?;
        Ok(case_alerts(
            &AlertFacts {
                open: true,
                birth: row.birth_date,
                consents: &consents,
                measures: &measures,
                help_end: help_end.as_deref().map(date),
                last_activity,
                inactive_weeks: DEFAULT_INACTIVE_WEEKS,
            },
            today,
        ))
    }

    /// The last day of case work: opening, consents given or revoked, notes.
    fn last_activity(&self, id: CaseId, opened: NaiveDate) -> Result<NaiveDate, StorageError> {
        let latest: Option<String> = self.conn().prepare_cached(
            "SELECT max(d) FROM (SELECT substr(at, 1, 10) AS d FROM note WHERE case_id = ?1 \
             UNION ALL SELECT signed_on FROM consent WHERE case_id = ?1 \
             UNION ALL SELECT revoked_on FROM consent WHERE case_id = ?1 AND revoked_on IS NOT NULL)",
        )?
        .query_row([id.0], |r| r.get(0))?;
        Ok(latest.as_deref().map_or(opened, date).max(opened))
    }

    fn guardians_of(&self, id: CaseId) -> Result<Vec<Guardian>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, relation, custody, phone, do_not_contact, ended_on FROM guardian WHERE case_id = ?1 \
             ORDER BY ended_on IS NOT NULL, id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(Guardian {
                id: r.get(0)?,
                name: r.get(1)?,
                relation: Kin::from_code(&r.get::<_, String>(2)?).unwrap_or(Kin::Other),
                custody: Custody::from_code(&r.get::<_, String>(3)?).unwrap_or(Custody::None),
                phone: r.get(4)?,
                do_not_contact: r.get::<_, i64>(5)? == 1,
                ended_on: r.get::<_, Option<String>>(6)?.as_deref().map(date),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn children_of(&self, id: CaseId) -> Result<Vec<Child>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, birth_date, relation, whereabouts, ended_on FROM child WHERE case_id = ?1 \
             ORDER BY ended_on IS NOT NULL, birth_date",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(Child {
                id: r.get(0)?,
                name: r.get(1)?,
                birth_date: date(&r.get::<_, String>(2)?),
                relation: ChildRelation::from_code(&r.get::<_, String>(3)?)
                    .unwrap_or(ChildRelation::Own),
                whereabouts: r.get(4)?,
                ended_on: r.get::<_, Option<String>>(5)?.as_deref().map(date),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The measures of a case, by due date, unfiltered: alerts and counts; what a person
    /// is shown goes through [`Reader::measure`].
    pub(crate) fn measures_of(&self, id: CaseId) -> Result<Vec<Measure>, StorageError> {
        Ok(self
            .measures_owned(id)?
            .into_iter()
            .map(|(m, _)| m)
            .collect())
    }

    /// The measures of a case with their owner agency (docs/access.md A3), by due date.
    pub(crate) fn measures_owned(
        &self,
        id: CaseId,
    ) -> Result<Vec<(Measure, Agency)>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id, m.text, m.responsible_kind, m.responsible_agency, m.responsible_staff, m.responsible_name, \
             m.due_on, m.status, m.result, coalesce(m.owner_stelle, c.owner_stelle) \
             FROM measure m JOIN coop_case c ON c.id = m.case_id WHERE m.case_id = ?1 ORDER BY m.due_on, m.id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            let kind: String = r.get(2)?;
            let agency: Option<String> = r.get(3)?;
            let staff: Option<i64> = r.get(4)?;
            let name: String = r.get(5)?;
            let responsible = match (
                kind.as_str(),
                agency.as_deref().and_then(Agency::from_code),
                staff,
            ) {
                ("staff", Some(a), Some(s)) => Responsible::Staff(a, StaffId(s)),
                ("young_person", _, _) => Responsible::YoungPerson,
                _ => Responsible::External(name),
            };
            let owner = Agency::from_code(&r.get::<_, String>(9)?).unwrap_or(Agency::Jobcenter);
            Ok((
                Measure {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    responsible,
                    due_on: date(&r.get::<_, String>(6)?),
                    status: MeasureStatus::from_code(&r.get::<_, String>(7)?)
                        .unwrap_or(MeasureStatus::Open),
                    result: r.get(8)?,
                },
                owner,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn notes_of(&self, id: CaseId) -> Result<Vec<Note>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, author, stelle, entrusted, text, at FROM note WHERE case_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            Ok(Note {
                id: r.get(0)?,
                author: StaffId(r.get(1)?),
                agency: Agency::from_code(&r.get::<_, String>(2)?).unwrap_or(Agency::Jobcenter),
                entrusted: r.get::<_, i64>(3)? == 1,
                text: r.get(4)?,
                at: timestamp(&r.get::<_, String>(5)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a consent for its case, recorded by `actor`'s agency; only the case's
    /// assigned caseworker or active deputy records one (docs/access.md A7).
    pub fn add_consent(&self, actor: &Staff, consent: &Consent) -> Result<ConsentId, StorageError> {
        let now = ts(self.now());
        let case = CaseId(consent.case_id);
        let target = (object::CONSENT, None);
        let find = |_: &rusqlite::Transaction<'_>| Ok(Some(case));
        self.write_case(actor, WriteNeeds::Worker, target, find, |tx, _, _| {
            tx.prepare_cached(
                "INSERT INTO consent (case_id, recorded_by, declared_by, representation_reason, insight_checked, \
                 signed_on, form, document_ref, purposes, categories, recipient_agencies, recipient_staff, \
                 external_recipients, recurring, valid_from, valid_until, info_purpose, info_refusal, info_revocable, \
                 status, revoked_on, revoked_how, created_at, created_by, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
                 ?21, ?22, ?23, ?24, ?23, ?24)",
            )?
            .execute(params![
                consent.case_id,
                actor.agency.code(),
                consent.declared_by.code(),
                consent.representation_reason.map(RepresentationReason::code),
                i64::from(consent.insight_checked),
                consent.signed_on.to_string(),
                consent.form.code(),
                consent.document_ref,
                Purpose::join(&consent.purposes),
                DataCategory::join(&consent.categories),
                join_agencies(&consent.recipient_agencies),
                join_ids(&consent.recipient_staff),
                consent.external_recipients,
                i64::from(consent.recurring),
                consent.valid_from.to_string(),
                consent.valid_until.to_string(),
                i64::from(consent.info_purpose),
                i64::from(consent.info_refusal),
                i64::from(consent.info_revocable),
                consent.status.code(),
                consent.revoked_on.map(|d| d.to_string()),
                consent.revoked_how.map(RevokedHow::code),
                now,
                actor.id.0
            ])?;
            let id = tx.last_insert_rowid();
            audit::log_create(tx, &now, Some(actor), object::CONSENT, id, vec![
                "case_id", "declared_by", "signed_on", "form", "purposes", "categories",
                "recipient_agencies", "recipient_staff", "external_recipients", "valid_from",
                "valid_until", "status",
            ])?;
            Ok(ConsentId(id))
        })
    }

    /// Records the revocation of a consent; effective from `on`, version-checked. The
    /// case's assigned caseworker or active deputy of either agency records it, whichever
    /// agency recorded the consent: a revocation may be declared to either (docs/access.md
    /// A7).
    pub fn revoke_consent(
        &self,
        actor: &Staff,
        consent: &Consent,
        on: NaiveDate,
        how: RevokedHow,
    ) -> Result<(), StorageError> {
        let now = self.now();
        let at = ts(now);
        // The consent's case as stored, not as the caller's copy says (docs/access.md A7).
        let find = |tx: &rusqlite::Transaction<'_>| case_of_record(tx, "consent", consent.id.0);
        let target = (object::CONSENT, Some(consent.id.0));
        self.write_case(actor, WriteNeeds::Worker, target, find, |tx, case, _| {
            let n = tx.execute(
                "UPDATE consent SET status = 'revoked', revoked_on = ?3, revoked_how = ?4, updated_at = ?5, \
                 updated_by = ?6, version = version + 1 WHERE id = ?1 AND version = ?2 AND status = 'granted'",
                params![consent.id.0, consent.version, on.to_string(), how.code(), at, actor.id.0],
            )?;
            if n == 0 {
                return Err(StorageError::Conflict { by: None, at: None });
            }
            let entry = AuditEntry::new(AuditAction::Update, object::CONSENT)
                .by(actor)
                .object(consent.id.0)
                .version(consent.version + 1);
            let before = [
                ("status", Some(consent.status.code().to_string())),
                ("revoked_on", consent.revoked_on.map(|d| d.to_string())),
                ("revoked_how", consent.revoked_how.map(|h| h.code().to_string())),
            ];
            let after = [
                ("status", Some("revoked".to_string())),
                ("revoked_on", Some(on.to_string())),
                ("revoked_how", Some(how.code().to_string())),
            ];
            audit::log_update(tx, entry, &at, &before, &after)?;
            // Conferences that rested on it and are still planned are cancelled with the
            // reason shown (docs/access.md A5).
            super::conferences::cancel_uncovered(tx, actor, case, now)?;
            Ok(())
        })
    }

    /// Adds a custody holder or relative to a case, by the assigned caseworker or active
    /// deputy of the case owner's agency (docs/access.md A3, A7).
    pub fn add_guardian(
        &self,
        actor: &Staff,
        case: CaseId,
        g: &Guardian,
    ) -> Result<(), StorageError> {
        let now = ts(self.now());
        let target = (object::GUARDIAN, Some(case.0));
        let find = |_: &rusqlite::Transaction<'_>| Ok(Some(case));
        self.write_case(actor, WriteNeeds::OwnerWorker, target, find, |tx, _, _| {
            tx.execute(
                "INSERT INTO guardian (case_id, name, relation, custody, phone, do_not_contact, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![case.0, g.name, g.relation.code(), g.custody.code(), g.phone, i64::from(g.do_not_contact), now],
            )?;
            let fields = vec!["case_id", "name", "relation", "custody", "phone", "do_not_contact"];
            let id = tx.last_insert_rowid();
            audit::log_create(tx, &now, Some(actor), object::GUARDIAN, id, fields)?;
            Ok(())
        })
    }

    /// Adds a child to a case, by the assigned caseworker or active deputy of the case
    /// owner's agency (docs/access.md A3, A7).
    pub fn add_child(&self, actor: &Staff, case: CaseId, c: &Child) -> Result<(), StorageError> {
        let now = ts(self.now());
        let target = (object::CHILD, Some(case.0));
        let find = |_: &rusqlite::Transaction<'_>| Ok(Some(case));
        self.write_case(actor, WriteNeeds::OwnerWorker, target, find, |tx, _, _| {
            tx.execute(
                "INSERT INTO child (case_id, name, birth_date, relation, whereabouts, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![case.0, c.name, c.birth_date.to_string(), c.relation.code(), c.whereabouts, now],
            )?;
            let fields = vec!["case_id", "name", "birth_date", "relation", "whereabouts"];
            let id = tx.last_insert_rowid();
            audit::log_create(tx, &now, Some(actor), object::CHILD, id, fields)?;
            Ok(())
        })
    }

    /// Adds an agreed measure to a case, by its assigned caseworker or active deputy
    /// (docs/access.md A7).
    pub fn add_measure(
        &self,
        actor: &Staff,
        case: CaseId,
        m: &Measure,
    ) -> Result<i64, StorageError> {
        let now = ts(self.now());
        let target = (object::MEASURE, Some(case.0));
        let find = |_: &rusqlite::Transaction<'_>| Ok(Some(case));
        self.write_case(actor, WriteNeeds::Worker, target, find, |tx, _, _| {
            let (kind, agency, staff, name) = match &m.responsible {
                Responsible::Staff(a, s) => ("staff", Some(a.code()), Some(s.0), String::new()),
                Responsible::YoungPerson => ("young_person", None, None, String::new()),
                Responsible::External(n) => ("external", None, None, n.clone()),
            };
            // The owner (docs/access.md A3): the responsible caseworker's agency, else the
            // case owner. Minutes record theirs with the minute taker's agency.
            tx.execute(
                "INSERT INTO measure (case_id, text, responsible_kind, responsible_agency, responsible_staff, \
                 responsible_name, due_on, status, result, created_at, updated_at, owner_stelle) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, \
                 coalesce(?4, (SELECT owner_stelle FROM coop_case WHERE id = ?1)))",
                params![case.0, m.text, kind, agency, staff, name, m.due_on.to_string(), m.status.code(), m.result, now],
            )?;
            let id = tx.last_insert_rowid();
            audit::log_create(tx, &now, Some(actor), object::MEASURE, id, vec![
                "case_id", "text", "responsible_kind", "responsible_agency", "responsible_staff",
                "responsible_name", "due_on", "status", "result",
            ])?;
            Ok(id)
        })
    }

    /// Writes a note by `author` on a case now: only the case's assigned caseworker or
    /// active deputy writes one (docs/access.md A7). Only Jugendamt staff may mark a note as
    /// entrusted (§ 65 SGB VIII).
    pub fn add_note(
        &self,
        author: &Staff,
        case: CaseId,
        text: &str,
        entrusted: bool,
    ) -> Result<(), StorageError> {
        self.add_note_at(author, case, text, entrusted, self.clock().local())
    }

    /// Writes a note dated `at`, Berlin wall-clock time (docs/domain.md 7): stored in UTC and
    /// read back as the same wall-clock time; demo data and imports.
    pub fn add_note_at(
        &self,
        author: &Staff,
        case: CaseId,
        text: &str,
        entrusted: bool,
        at: NaiveDateTime,
    ) -> Result<(), StorageError> {
        let entrusted = entrusted && author.agency == Agency::Jugendamt;
        let now = ts(self.now());
        let target = (object::NOTE, Some(case.0));
        let find = |_: &rusqlite::Transaction<'_>| Ok(Some(case));
        self.write_case(author, WriteNeeds::Worker, target, find, |tx, _, _| {
            tx.execute(
                "INSERT INTO note (case_id, author, stelle, entrusted, text, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    case.0,
                    author.id.0,
                    author.agency.code(),
                    i64::from(entrusted),
                    text,
                    ts(crate::domain::tz::from_local(at))
                ],
            )?;
            let mut entry = AuditEntry::new(AuditAction::Create, object::NOTE)
                .by(author)
                .object(tx.last_insert_rowid())
                .fields(vec!["case_id", "entrusted", "text", "at"])
                .version(1);
            if entrusted {
                entry = entry.detail(detail::ENTRUSTED);
            }
            audit::append_at(tx, &entry, &now)?;
            Ok(())
        })
    }

    /// Sets the planned end of a running youth help (§ 41 SGB VIII) of a case, by its
    /// assigned caseworker or active deputy (docs/access.md A7).
    pub fn set_help_end(
        &self,
        actor: &Staff,
        case: CaseId,
        end: Option<NaiveDate>,
    ) -> Result<(), StorageError> {
        let now = ts(self.now());
        let target = (object::CASE, Some(case.0));
        self.write_case(
            actor,
            WriteNeeds::Worker,
            target,
            |_| Ok(Some(case)),
            |tx, _, _| {
                let old: Option<Option<String>> = tx
                    .query_row(
                        "SELECT help_end FROM coop_case WHERE id = ?1",
                        [case.0],
                        |r| r.get(0),
                    )
                    .optional()?;
                let old = old.ok_or(StorageError::NotFound)?;
                let new = end.map(|d| d.to_string());
                tx.execute(
                    "UPDATE coop_case SET help_end = ?2 WHERE id = ?1",
                    params![case.0, new],
                )?;
                // No version: the planned end is not part of the version-checked form.
                let entry = AuditEntry::new(AuditAction::Update, object::CASE)
                    .by(actor)
                    .object(case.0);
                audit::log_update(tx, entry, &now, &[("help_end", old)], &[("help_end", new)])?;
                Ok(())
            },
        )
    }

    /// The break-glass grants `viewer` may review (docs/access.md A4): the DSB and the lead
    /// the grants of their own agency's staff (the two Stellen are separate data owners;
    /// docs/dpo.md); anyone else none. Metadata only — who, when, which case, the reason's
    /// code — and the review itself is logged.
    pub fn break_glass_grants(&self, viewer: &Staff) -> Result<Vec<GrantRow>, StorageError> {
        use crate::domain::Role;
        if !(viewer.active && (viewer.has_role(Role::Dpo) || viewer.has_role(Role::Lead))) {
            return Ok(Vec::new());
        }
        let rows: Vec<GrantRow> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT g.granted_at, g.until, s.login, s.stelle, g.case_id, g.reason \
                 FROM access_grant g JOIN staff s ON s.id = g.staff_id \
                 WHERE s.stelle = ?1 ORDER BY g.granted_at DESC, g.id DESC",
            )?;
            let mapped = stmt.query_map(params![viewer.agency.code()], |r| {
                Ok(GrantRow {
                    granted_at: timestamp(&r.get::<_, String>(0)?),
                    until: timestamp(&r.get::<_, String>(1)?),
                    login: r.get(2)?,
                    agency: Agency::from_code(&r.get::<_, String>(3)?).unwrap_or(Agency::Jobcenter),
                    case_id: CaseId(r.get(4)?),
                    reason: BreakGlassReason::from_code(&r.get::<_, String>(5)?)
                        .unwrap_or(BreakGlassReason::Other),
                })
            })?;
            mapped.collect::<Result<_, _>>()?
        };
        self.log_screen_read(viewer, access::ScreenRead::GrantReview)?;
        Ok(rows)
    }

    /// Records an absence period ("Abwesenheit", local days, both inclusive) of a staff
    /// member (administration); their deputy stands in while it lasts (docs/access.md A2).
    pub fn add_absence(
        &self,
        staff: StaffId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, StorageError> {
        if to < from {
            return Err(StorageError::Refused(Refusal::AbsenceOrder));
        }
        let now = ts(self.now());
        self.write(|tx| {
            let known: Option<i64> = tx
                .query_row("SELECT id FROM staff WHERE id = ?1", [staff.0], |r| r.get(0))
                .optional()?;
            known.ok_or(StorageError::NotFound)?;
            tx.execute(
                "INSERT INTO staff_absence (staff_id, from_day, to_day, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![staff.0, from.to_string(), to.to_string(), now],
            )?;
            let id = tx.last_insert_rowid();
            audit::log_create(tx, &now, None, object::ABSENCE, id, vec!["staff_id", "from_day", "to_day"])?;
            Ok(id)
        })
    }

    /// The absence periods of a staff member that end today or later, soonest first.
    pub fn absences_of(&self, staff: StaffId) -> Result<Vec<(NaiveDate, NaiveDate)>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT from_day, to_day FROM staff_absence WHERE staff_id = ?1 AND to_day >= ?2 ORDER BY from_day",
        )?;
        let rows = stmt.query_map(params![staff.0, self.today().to_string()], |r| {
            Ok((date(&r.get::<_, String>(0)?), date(&r.get::<_, String>(1)?)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets a staff member's deputy (administration).
    pub fn set_deputy(&self, staff: StaffId, deputy: Option<StaffId>) -> Result<(), StorageError> {
        // A deputy works for the same agency, and is someone else.
        if let Some(d) = deputy {
            let a = self.staff_by_id(staff)?.ok_or(StorageError::NotFound)?;
            let b = self.staff_by_id(d)?.ok_or(StorageError::NotFound)?;
            if a.agency != b.agency || a.id == b.id {
                return Err(StorageError::Refused(Refusal::DeputyAgency));
            }
        }
        let now = ts(self.now());
        self.write(|tx| {
            let old: Option<(Option<i64>, i64)> = tx
                .query_row(
                    "SELECT deputy_id, version FROM staff WHERE id = ?1",
                    [staff.0],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (old, version) = old.ok_or(StorageError::NotFound)?;
            tx.execute(
                "UPDATE staff SET deputy_id = ?2, version = version + 1 WHERE id = ?1",
                params![staff.0, deputy.map(|d| d.0)],
            )?;
            let entry = AuditEntry::new(AuditAction::Update, object::STAFF)
                .object(staff.0)
                .version(version + 1);
            let text = |v: Option<i64>| v.map(|i| i.to_string());
            audit::log_update(
                tx,
                entry,
                &now,
                &[("deputy_id", text(old))],
                &[("deputy_id", text(deputy.map(|d| d.0)))],
            )?;
            Ok(())
        })
    }

    /// The fields of case `id` that `sender`'s agency owns and could disclose to the
    /// partner, with their current values: exactly what the partner will see.
    pub fn transfer_preview(
        &self,
        sender: &Staff,
        id: CaseId,
    ) -> Result<Vec<(Field, String)>, StorageError> {
        let case =
            super::cases::load_case_unchecked(self.conn(), id)?.ok_or(StorageError::NotFound)?;
        let relation = relation_to(self.conn(), sender, &case, self.now())?;
        if !matches!(
            relation,
            Relation::Assigned | Relation::Deputy | Relation::Lead
        ) {
            return Err(StorageError::NotFound);
        }
        Ok(PERSON_FIELDS
            .into_iter()
            .filter(|f| field_owner(*f, case.owner) == sender.agency)
            .map(|f| (f, field_text(&case, f)))
            .collect())
    }

    /// Records a transfer of `fields` of case `id` from `sender`'s agency to the partner.
    /// With a consent, every field's data category must be covered for the partner today;
    /// a statutory basis needs a justification; the Jugendamt as sender confirms § 64 (2).
    #[expect(
        clippy::too_many_arguments,
        reason = "every argument is a required part of the receipt"
    )]
    pub fn record_transfer(
        &self,
        sender: &Staff,
        id: CaseId,
        fields: &[Field],
        purpose: &str,
        basis: TransferBasis,
        justification: &str,
        check_64_2: bool,
        today: NaiveDate,
    ) -> Result<i64, StorageError> {
        self.transfer(
            sender,
            id,
            &TransferRequest {
                fields,
                family: &[],
                purpose,
                basis,
                justification,
                check_64_2,
                today,
            },
        )
    }

    /// Records a transfer of fields and family records (custody holders, children) of case
    /// `id` from `sender`'s agency to the partner (docs/casework.md § 2). The family records
    /// are the case owner's and must belong to the case; with a consent, "Familie" must be
    /// covered for them as each field's category is for it.
    pub fn transfer(
        &self,
        sender: &Staff,
        id: CaseId,
        req: &TransferRequest<'_>,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        let target = (object::CASE, Some(id.0));
        let TransferRequest {
            fields,
            family,
            purpose,
            basis,
            justification,
            check_64_2,
            today,
        } = *req;
        self.write_case(
            sender,
            WriteNeeds::WorkerOrLead,
            target,
            |_| Ok(Some(id)),
            |tx, case, _| {
                let to = sender.agency.partner();
                if (fields.is_empty() && family.is_empty())
                    || fields
                        .iter()
                        .any(|f| field_owner(*f, case.owner) != sender.agency)
                    || (!family.is_empty() && case.owner != sender.agency)
                {
                    return Err(StorageError::Refused(Refusal::TransferFields));
                }
                let mut family_text = Vec::new();
                for r in family {
                    let (table, rid) = match r {
                        FamilyRef::Guardian(x) => ("guardian", *x),
                        FamilyRef::Child(x) => ("child", *x),
                    };
                    // Only a current record of this case goes (docs/casework.md § 2).
                    let ended: bool = tx
                        .prepare_cached(&format!(
                            "SELECT ended_on IS NOT NULL FROM {table} WHERE id = ?1"
                        ))?
                        .query_row([rid], |r| r.get(0))
                        .optional()?
                        .unwrap_or(true);
                    if ended || case_of_record(tx, table, rid)? != Some(id) {
                        return Err(StorageError::Refused(Refusal::TransferFields));
                    }
                    family_text.push((r.code(), family_snapshot(tx, *r)?));
                }
                if sender.agency == Agency::Jugendamt && !check_64_2 {
                    return Err(StorageError::Refused(Refusal::TransferCheck642));
                }
                let (consent_id, statute) = match basis {
                    TransferBasis::Consent(cid) => {
                        let consents = consents_of(tx, id)?;
                        let Some(c) = consents.iter().find(|c| c.id == cid) else {
                            return Err(StorageError::Refused(Refusal::TransferConsent));
                        };
                        let birth = case.person.birth_date;
                        // The agency receives the data; a consent naming persons then lets
                        // only those persons read it (checked when reading).
                        let categories = fields
                            .iter()
                            .map(|f| field_category(*f))
                            .chain(family.iter().map(|r| r.category()));
                        if !categories
                            .into_iter()
                            .all(|cat| c.covers_agency(today, birth, to, cat))
                        {
                            return Err(StorageError::Refused(Refusal::TransferNotCovered));
                        }
                        (Some(cid.0), None)
                    }
                    TransferBasis::Statute(s) => {
                        if justification.trim().is_empty() {
                            return Err(StorageError::Refused(Refusal::TransferJustification));
                        }
                        (None, Some(s.code()))
                    }
                };
                let mut codes: Vec<String> = fields.iter().map(|f| f.code().to_string()).collect();
                codes.extend(family_text.iter().map(|(c, _)| c.clone()));
                let mut snapshot = String::new();
                for f in fields {
                    let _ = write!(snapshot, "{}={}\u{1f}", f.code(), field_text(case, *f));
                }
                for (code, text) in &family_text {
                    let _ = write!(snapshot, "{code}={text}\u{1f}");
                }
                audit::insert_evidence(
                    tx,
                    &audit::TRANSFER_LOG,
                    params![
                        id.0,
                        sender.agency.code(),
                        to.code(),
                        codes.join(","),
                        content_hash(&snapshot),
                        purpose,
                        consent_id,
                        statute,
                        justification,
                        i64::from(check_64_2),
                        sender.id.0,
                        at
                    ],
                )?;
                let transfer = tx.last_insert_rowid();
                // The receipt (who, what, why) is transfer_log; the audit row names the fields
                // (a family record by its kind) and the kind of basis only.
                let mut named: Vec<&'static str> = fields.iter().map(|f| f.code()).collect();
                if family.iter().any(|r| matches!(r, FamilyRef::Guardian(_))) {
                    named.push("guardian");
                }
                if family.iter().any(|r| matches!(r, FamilyRef::Child(_))) {
                    named.push("child");
                }
                let entry = AuditEntry::new(AuditAction::Transfer, object::CASE)
                    .by(sender)
                    .object(id.0)
                    .fields(named)
                    .detail(statute.unwrap_or(detail::CONSENT));
                audit::append_at(tx, &entry, &at)?;
                Ok(transfer)
            },
        )
    }

    /// Opens case `id` outside the viewer's caseload for `BREAK_GLASS_HOURS` with a reason.
    /// Only within the viewer's own agency; never for someone who has no case work.
    pub fn break_glass(
        &self,
        viewer: &Staff,
        id: CaseId,
        reason: BreakGlassReason,
        text: &str,
    ) -> Result<(), StorageError> {
        let now = self.now();
        self.write(|tx| {
            let case = super::cases::load_case_unchecked(tx, id)?.ok_or(StorageError::NotFound)?;
            let parties = parties_of(tx, &case, now)?;
            if !viewer.may_see_cases() || !parties.involves(viewer.agency) {
                return Err(StorageError::NotFound);
            }
            if reason == BreakGlassReason::Other && text.trim().is_empty() {
                return Err(StorageError::Refused(Refusal::BreakGlassReasonText));
            }
            // A restricted case is not opened to anyone new (docs/access.md A12).
            if is_restricted(tx, id)? {
                let r = Refusal::Restricted;
                let entry = AuditEntry::new(AuditAction::Refused, object::CASE)
                    .by(viewer)
                    .object(id.0)
                    .detail(r.code());
                audit::append_at(tx, &entry, &ts(now))?;
                return Ok(Err(StorageError::Refused(r)));
            }
            let until = now + chrono::Duration::hours(BREAK_GLASS_HOURS);
            audit::insert_evidence(
                tx,
                &audit::ACCESS_GRANT,
                params![id.0, viewer.id.0, reason.code(), text, ts(now), ts(until)],
            )?;
            // The reason's code only; its free text stays in access_grant.
            let entry = AuditEntry::new(AuditAction::BreakGlass, object::CASE)
                .by(viewer)
                .object(id.0)
                .detail(reason.code());
            audit::append_at(tx, &entry, &ts(now))?;
            Ok(Ok(()))
        })?
    }
}

/// SHA-256 of the disclosed snapshot, hex; the receipt proves what was shown without
/// keeping a second copy of it in the log.
fn content_hash(snapshot: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(snapshot.as_bytes());
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}
