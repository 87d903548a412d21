//! Case files of the demo: deputies, consents (granted, refused, revoked, expiring,
//! expired, parent-declared), transfers both ways, custody holders, children, measures
//! (done, open, overdue), notes with one § 65 note, and a few § 41 helps ending — so that
//! every alert and every access rule can be seen in the demo. Deterministic.

use chrono::{Duration, Months, NaiveDate, NaiveTime};

use crate::domain::casefile::{
    Child, ChildRelation, Custody, Guardian, Measure, MeasureStatus, PERSON_FIELDS, Relation,
    Responsible, TransferBasis, field_owner,
};
use crate::domain::consent::{
    Consent, ConsentForm, ConsentId, ConsentStatus, DataCategory, DeclaredBy, Purpose,
    RepresentationReason, RevokedHow,
};
use crate::domain::date::age_on;
use crate::domain::{Agency, CaseId, CaseStatus, ReasonCode, Staff, StaffId};
use crate::storage::{StorageError, Store};

/// `n` days (demo arithmetic on small counters).
fn days(n: usize) -> Duration {
    Duration::days(i64::try_from(n).unwrap_or(0))
}

/// Writes the case files for every case in the store.
pub(super) fn write(
    store: &Store,
    staff_ids: &[StaffId],
    today: NaiveDate,
) -> Result<(), StorageError> {
    // Demo creation writes a fresh file: durability per statement buys nothing here.
    store.conn().pragma_update(None, "synchronous", "OFF")?;
    let result = write_all(store, staff_ids, today);
    store.conn().pragma_update(None, "synchronous", "FULL")?;
    result
}

fn write_all(store: &Store, staff_ids: &[StaffId], today: NaiveDate) -> Result<(), StorageError> {
    let mut staff: Vec<Staff> = Vec::new();
    for id in staff_ids {
        if let Some(s) = store.staff_by_id(*id)? {
            staff.push(s);
        }
    }
    // Deputies: each caseworker covers for the next one of the same agency.
    for agency in Agency::ALL {
        let workers: Vec<&Staff> = staff
            .iter()
            .filter(|s| {
                s.agency == agency
                    && (s.has_role(crate::domain::Role::JcU25)
                        || s.has_role(crate::domain::Role::JaStaff))
            })
            .collect();
        for (i, s) in workers.iter().enumerate() {
            let deputy = workers[(i + 1) % workers.len()];
            store.set_deputy(s.id, Some(deputy.id))?;
        }
    }
    let by_id = |id: Option<StaffId>| id.and_then(|i| staff.iter().find(|s| s.id == i));
    let ids: Vec<i64> = store
        .conn()
        .prepare("SELECT id FROM coop_case ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut entrusted_written = false;
    for (k, id) in ids.into_iter().enumerate() {
        let Some(case) = crate::storage::cases::load_case_unchecked(store.conn(), CaseId(id))?
        else {
            continue;
        };
        let k = k + 1;
        let birth = case.person.birth_date;
        let owner_worker = match case.owner {
            Agency::Jobcenter => by_id(case.jc_staff),
            Agency::Jugendamt => by_id(case.ja_staff),
        };
        let partner_worker = match case.owner {
            Agency::Jobcenter => by_id(case.ja_staff),
            Agency::Jugendamt => by_id(case.jc_staff),
        };
        // Custody holders and children are the owner's records: only its caseworker adds
        // them (docs/access.md A3, A7).
        let owner_side = owner_worker;
        let Some(owner_worker) = owner_worker.or(partner_worker) else {
            continue;
        };

        // Consent.
        let signed = std::cmp::max(case.opened_on, today - days(300 - (k % 90)));
        let minor_at_signing = age_on(birth, signed) < 18;
        let mut consent = Consent {
            id: ConsentId(0),
            case_id: id,
            recorded_by: case.owner,
            declared_by: DeclaredBy::YoungPerson,
            representation_reason: None,
            insight_checked: minor_at_signing,
            signed_on: signed,
            form: if k % 3 == 0 {
                ConsentForm::Electronic
            } else {
                ConsentForm::Written
            },
            document_ref: format!("EW-{}-{id:05}", signed.format("%Y")),
            purposes: vec![Purpose::Conference, Purpose::MutualInformation],
            categories: vec![
                DataCategory::MasterData,
                DataCategory::Measures,
                DataCategory::School,
                DataCategory::Benefits,
            ],
            recipient_agencies: vec![Agency::Jobcenter, Agency::Jugendamt],
            recipient_staff: Vec::new(),
            external_recipients: String::new(),
            recurring: false,
            valid_from: signed,
            valid_until: signed.checked_add_months(Months::new(12)).unwrap_or(signed)
                - Duration::days(1),
            info_purpose: true,
            info_refusal: true,
            info_revocable: true,
            status: ConsentStatus::Granted,
            revoked_on: None,
            revoked_how: None,
            version: 1,
        };
        if k % 4 == 0 || case.reasons.contains(&ReasonCode::YoungParents) {
            consent.categories.push(DataCategory::Family);
        }
        if minor_at_signing && k % 2 == 0 {
            // Custody holders declared it; at 18 the person must confirm.
            consent.declared_by = DeclaredBy::CustodyHolders;
            consent.representation_reason = Some(RepresentationReason::NoCapacity);
            consent.insight_checked = false;
        }
        if k % 13 == 0 {
            // Runs out within 30 days.
            consent.valid_until = today + days(k % 25 + 1);
            consent.valid_from = consent.valid_until - Duration::days(330);
            consent.signed_on = consent.valid_from;
        }
        if k % 17 == 0 {
            consent.valid_until = today - days(k % 40 + 1);
            consent.valid_from = consent.valid_until - Duration::days(364);
            consent.signed_on = consent.valid_from;
        }
        let consent_status = match case.status {
            CaseStatus::Requested => None,
            CaseStatus::ConsentPending => Some(ConsentStatus::Draft),
            CaseStatus::Declined if k % 2 == 0 => Some(ConsentStatus::Refused),
            CaseStatus::Declined => None,
            _ => Some(ConsentStatus::Granted),
        };
        if let Some(status) = consent_status {
            consent.status = status;
            if status != ConsentStatus::Granted {
                consent.document_ref.clear();
                consent.info_refusal = status != ConsentStatus::Refused;
            }
            let cid = store.add_consent(owner_worker, &consent)?;
            consent.id = cid;
            if status == ConsentStatus::Granted {
                // Each agency sends what it owns, under the consent, on the signing day.
                for sender in [owner_worker, partner_worker.unwrap_or(owner_worker)] {
                    let fields: Vec<_> = PERSON_FIELDS
                        .into_iter()
                        .filter(|f| field_owner(*f, case.owner) == sender.agency)
                        .collect();
                    if sender.agency == case.owner
                        || case.jc_staff.is_some() && case.ja_staff.is_some()
                    {
                        let _ = store.record_transfer(
                            sender,
                            CaseId(id),
                            &fields,
                            "Fallkonferenz und gegenseitige Information",
                            TransferBasis::Consent(cid),
                            "",
                            sender.agency == Agency::Jugendamt,
                            consent.signed_on,
                        );
                    }
                }
                if k % 20 == 0 {
                    let revoked = std::cmp::min(
                        today - Duration::days(5),
                        consent.signed_on + Duration::days(60),
                    );
                    let stored = crate::storage::casefile::consents_of(store.conn(), CaseId(id))?;
                    if let Some(c) = stored.into_iter().find(|c| c.id == cid) {
                        store.revoke_consent(owner_worker, &c, revoked, RevokedHow::Written)?;
                    }
                }
            }
        }

        // Custody holders of minors, children of young parents.
        if age_on(birth, today) < 18
            && let Some(owner_worker) = owner_side
        {
            let surname = case.person.surname.clone();
            store.add_guardian(
                owner_worker,
                CaseId(id),
                &Guardian {
                    id: 0,
                    name: format!("Mutter {surname}"),
                    relation: Relation::Mother,
                    custody: Custody::Joint,
                    phone: format!("02366 0{:05}", 10_000 + k * 37 % 89_999),
                    do_not_contact: false,
                    ended_on: None,
                },
            )?;
            store.add_guardian(
                owner_worker,
                CaseId(id),
                &Guardian {
                    id: 0,
                    name: format!("Vater {surname}"),
                    relation: Relation::Father,
                    custody: Custody::Joint,
                    phone: String::new(),
                    do_not_contact: k % 5 == 0,
                    ended_on: None,
                },
            )?;
        }
        if case.reasons.contains(&ReasonCode::YoungParents)
            && let Some(owner_worker) = owner_side
        {
            for c in 0..=(k % 2) {
                store.add_child(
                    owner_worker,
                    CaseId(id),
                    &Child {
                        id: 0,
                        name: format!(
                            "{} {}",
                            ["Mia", "Emir", "Lina", "Noah", "Ela"][(k + c) % 5],
                            case.person.surname
                        ),
                        birth_date: today - days(200 + (k * 131 + c * 400) % 2000),
                        relation: ChildRelation::Own,
                        whereabouts: "im Haushalt der Mutter".into(),
                        ended_on: None,
                    },
                )?;
            }
        }

        // Measures and notes on cases in work.
        if matches!(case.status, CaseStatus::Active | CaseStatus::Dormant) {
            let texts = [
                "Anmeldung zur Berufsvorbereitung (BvB)",
                "Termin bei der Schuldnerberatung (§ 16a SGB II) wahrnehmen",
                "Bewerbungsunterlagen gemeinsam erstellen",
                "Kontakt zur Suchtberatung herstellen",
                "Wohnungssuche mit Unterstützung der Jugendberufshilfe",
            ];
            for m in 0..(2 + k % 2) {
                let overdue = (k + m) % 7 == 0;
                let done = !overdue && (k + m) % 10 < 7;
                let due = if overdue || done {
                    today - days(3 + (k * 7 + m * 11) % 40)
                } else {
                    today + days(5 + (k * 3 + m) % 60)
                };
                let responsible = match m % 3 {
                    0 => Responsible::Staff(owner_worker.agency, owner_worker.id),
                    1 => Responsible::YoungPerson,
                    _ => Responsible::External("Träger Arbeit & Bildung e. V.".into()),
                };
                store.add_measure(
                    owner_worker,
                    CaseId(id),
                    &Measure {
                        id: 0,
                        text: texts[(k + m) % texts.len()].into(),
                        responsible,
                        due_on: due,
                        status: if done {
                            MeasureStatus::Done
                        } else {
                            MeasureStatus::Open
                        },
                        result: if done {
                            "erledigt".into()
                        } else {
                            String::new()
                        },
                    },
                )?;
            }
        }
        if case.status.is_open() {
            // Most cases had contact in the last four weeks; every eleventh lies still.
            let days_ago = if k % 11 == 0 { 80 + k % 30 } else { k % 27 };
            let at = (today - days(days_ago))
                .and_time(NaiveTime::from_hms_opt(10, 15, 0).unwrap_or_default());
            store.add_note_at(
                owner_worker,
                CaseId(id),
                "Gespräch mit der jungen Person geführt; nächste Schritte besprochen.",
                false,
                at,
            )?;
            if !entrusted_written
                && let Some(ja) = by_id(case.ja_staff)
                && ja.agency == Agency::Jugendamt
            {
                store.add_note_at(
                    ja,
                    CaseId(id),
                    "Die junge Person hat im Vertrauen von Gewalt in der früheren Beziehung berichtet; keine Weitergabe.",
                    true,
                    at,
                )?;
                entrusted_written = true;
            }
        }
        if case.reasons.contains(&ReasonCode::Transition) && case.status.is_open() {
            store.set_help_end(owner_worker, CaseId(id), Some(today + days(30 + (k % 300))))?;
        }
    }
    Ok(())
}
