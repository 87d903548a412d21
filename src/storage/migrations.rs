//! Numbered migrations, embedded with `include_str!`; a shipped file is never edited.

use std::collections::BTreeMap;

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookError, HookResult, M, Migrations};

use super::{APPLICATION_ID, StorageError};
use crate::domain::Clock;
use crate::domain::text::filter_words;

/// The migrations in order; index + 1 is the schema version. `clock` dates the audit row a
/// migration step may write.
fn list(clock: &Clock) -> Migrations<'static> {
    let clock = clock.clone();
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_init.sql")),
        M::up(include_str!("migrations/0002_drafts.sql")),
        M::up(include_str!("migrations/0003_audit.sql")),
        M::up(include_str!("migrations/0004_case_file.sql")),
        M::up(include_str!("migrations/0005_child_protection.sql")),
        M::up(include_str!("migrations/0006_conferences.sql")),
        M::up_with_hook(evidence_columns(), move |tx: &Transaction<'_>| {
            chain_evidence(tx, &clock)
        }),
        M::up(include_str!("migrations/0008_access.sql")),
        M::up(include_str!("migrations/0009_sessions.sql")),
        M::up(include_str!("migrations/0010_staff_admin.sql")),
        M::up(include_str!("migrations/0011_ssh_keys.sql")),
        M::up_with_hook(
            include_str!("migrations/0012_filter_words.sql"),
            |tx: &Transaction<'_>| refold_filter_words(tx).map_err(HookError::from),
        ),
        M::up(include_str!("migrations/0013_retention.sql")),
        M::up(include_str!("migrations/0014_dpo.sql")),
        M::up(include_str!("migrations/0015_retention_classes.sql")),
        M::up(include_str!("migrations/0016_cooperation.sql")),
        M::up(include_str!("migrations/0017_list_count.sql")),
        M::up(include_str!("migrations/0018_case_records.sql")),
        M::up(include_str!("migrations/0019_withdrawal_notice.sql")),
        M::up(include_str!("migrations/0020_document.sql")),
        M::up(include_str!("migrations/0021_early_help.sql")),
    ])
}

/// Migration 7 ([`EVIDENCE`]): its first part adds the columns, then [`chain_evidence`]
/// chains the existing rows and creates the triggers of its second part.
const EVIDENCE: &str = include_str!("migrations/0007_evidence.sql");

/// The line of [`EVIDENCE`] where the program's step comes.
const EVIDENCE_STEP: &str = "-- @chain-existing-rows";

fn evidence_columns() -> &'static str {
    EVIDENCE
        .split_once(EVIDENCE_STEP)
        .map_or(EVIDENCE, |(columns, _)| columns)
}

/// Hash-chains the evidence rows that exist (SQLite has no SHA-256), then creates the
/// triggers that forbid changing them.
fn chain_evidence(tx: &Transaction<'_>, clock: &Clock) -> HookResult {
    super::audit::chain_existing(tx, clock.now()).map_err(|e| HookError::Hook(e.to_string()))?;
    let triggers = EVIDENCE
        .split_once(EVIDENCE_STEP)
        .map(|(_, triggers)| triggers)
        .ok_or_else(|| HookError::Hook("0007_evidence.sql: step marker missing".into()))?;
    tx.execute_batch(triggers)?;
    Ok(())
}

/// Migration 12: folds every stored filter word again with [`filter_words`], OR-ing the
/// visibility bits of words that now meet ("mueller" and "muller" of one case become one
/// row). It works from the stored words alone, not from the case tables, so that later
/// schemas cannot break it; words were split before folding, so a name stored with
/// combining marks may stay split where a fresh save would join it.
fn refold_filter_words(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut rows: BTreeMap<(i64, String), i64> = BTreeMap::new();
    {
        let mut stmt = tx.prepare("SELECT case_id, token, visible_to FROM case_search")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let (case_id, token, bits): (i64, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            for word in filter_words(&token) {
                *rows.entry((case_id, word)).or_insert(0) |= bits;
            }
        }
    }
    tx.execute("DELETE FROM case_search", [])?;
    let mut ins =
        tx.prepare("INSERT INTO case_search (token, case_id, visible_to) VALUES (?1, ?2, ?3)")?;
    for ((case_id, token), bits) in rows {
        ins.execute(rusqlite::params![token, case_id, bits])?;
    }
    Ok(())
}

/// The schema version this program expects.
pub const LATEST: usize = 21;

/// Brings the database to [`LATEST`] and stamps the application id.
pub fn migrate(conn: &mut Connection, clock: &Clock) -> Result<(), StorageError> {
    list(clock)
        .to_latest(conn)
        .map_err(|e| StorageError::Migration(e.to_string()))?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    Ok(())
}

/// Checks the migration list itself (used by a test).
pub fn validate() -> Result<(), StorageError> {
    list(&Clock::system())
        .validate()
        .map_err(|e| StorageError::Migration(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Store;
    use crate::storage::audit::{EvidenceProblem, Finding};

    /// A schema-6 database with evidence rows written before schema 7 (foreign keys off:
    /// only the evidence tables matter here), brought to the current schema.
    fn migrated_from_6() -> Result<Store, StorageError> {
        let mut conn = Connection::open_in_memory()?;
        let clock = Clock::fixed_local(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 7)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap_or_default(),
        );
        list(&clock)
            .to_version(&mut conn, 6)
            .map_err(|e| StorageError::Migration(e.to_string()))?;
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO change_history (audit_seq, table_name, record_id, field, old_value)
                 VALUES (1, 'young_person', 1, 'surname', 'Alt'), (1, 'young_person', 1, 'phone', NULL);
             INSERT INTO transfer_log (case_id, from_stelle, to_stelle, fields, content_hash, purpose,
                 consent_id, statutory_basis, justification, check_64_2, decided_by, at)
                 VALUES (1, 'jc', 'ja', 'phone', '00', 'beratung', NULL, 'sgb_x_69', 'Eilfall', 0, 1,
                         '2026-01-05T09:00:00.000Z'),
                        (1, 'jc', 'ja', 'surname', '01', 'beratung', 7, NULL, '', 0, 1,
                         '2026-01-06T09:00:00.000Z');
             INSERT INTO access_grant (case_id, staff_id, reason, reason_text, granted_at, until)
                 VALUES (1, 2, 'other', 'Anruf', '2026-01-05T09:00:00.000Z', '2026-01-05T17:00:00.000Z');
             INSERT INTO cp_event (referral_id, at, staff_id, second_id, kind, detail)
                 VALUES (1, '2026-01-05T09:00:00.000Z', 1, NULL, 'sent', ''),
                        (1, '2026-01-05T09:10:00.000Z', 2, NULL, 'receive', '');",
        )?;
        migrate(&mut conn, &clock)?;
        Ok(Store {
            conn,
            path: None,
            clock,
            encrypted: false,
            list_plan: std::cell::Cell::default(),
        })
    }

    #[test]
    fn existing_evidence_is_chained_and_sealed() -> Result<(), StorageError> {
        let store = migrated_from_6()?;
        let report = store.verify_audit()?;
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(
            report.evidence_rows,
            [
                ("change_history", 2),
                ("transfer_log", 2),
                ("access_grant", 1),
                ("cp_event", 2),
                ("login_origin", 0),
                ("evidence_erasure", 0),
                ("audit_erasure", 0)
            ]
        );
        let seal = store.audit_tail(1)?;
        assert_eq!(
            (seal.len(), seal[0].action.as_str(), report.rows),
            (1, "seal", 1)
        );
        // Dated by the store's clock (07.01.2026 10:00 in Berlin is 09:00 UTC).
        assert_eq!(seal[0].at, "2026-01-07T09:00:00.000Z");
        // The triggers stand, and the sealed rows are covered like new ones.
        let refused = store
            .conn()
            .execute("DELETE FROM cp_event WHERE id = 1", []);
        assert!(refused.is_err());
        store
            .conn()
            .execute_batch("DROP TRIGGER cp_event_no_delete; DELETE FROM cp_event WHERE id = 1;")?;
        let report = store.verify_audit()?;
        assert_eq!(
            report.findings,
            [
                Finding::TriggerMissing {
                    name: "cp_event_no_delete",
                    table: "cp_event"
                },
                Finding::Evidence {
                    table: "cp_event",
                    id: 2,
                    problem: EvidenceProblem::ChainBroken
                }
            ]
        );
        Ok(())
    }

    #[test]
    fn schema_12_folds_the_stored_filter_words_again() -> Result<(), StorageError> {
        let mut conn = Connection::open_in_memory()?;
        let clock = Clock::fixed_local(chrono::NaiveDateTime::default());
        list(&clock)
            .to_version(&mut conn, 11)
            .map_err(|e| StorageError::Migration(e.to_string()))?;
        // Words as schema 11 folded them (ä → ae): Müller and Mueller of case 1 meet in one
        // word, whose bits are OR-ed; case 2's "requested" loses its "e" after the "u".
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO case_search (token, case_id, visible_to) VALUES
                 ('mueller', 1, 5), ('muller', 1, 2), ('oeztuerk', 1, 1), ('szymański', 1, 1),
                 ('requested', 2, 3), ('12345', 2, 1);",
        )?;
        migrate(&mut conn, &clock)?;
        let rows: Vec<(String, i64, i64)> = conn
            .prepare("SELECT token, case_id, visible_to FROM case_search ORDER BY case_id, token")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let want = [
            ("muller", 1, 7),
            ("ozturk", 1, 1),
            ("szymanski", 1, 1),
            ("12345", 2, 1),
            ("requsted", 2, 3),
        ];
        assert_eq!(rows, want.map(|(t, c, b)| (t.to_string(), c, b)).to_vec());
        Ok(())
    }

    #[test]
    fn a_new_database_has_no_seal() -> Result<(), StorageError> {
        let store = Store::open_in_memory()?;
        assert_eq!(store.audit_head()?, None);
        assert!(store.verify_audit()?.is_ok());
        Ok(())
    }
}
