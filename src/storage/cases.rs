//! Cooperation cases: the access-checked case list (keyset pages over a read model), loading,
//! creating and saving with optimistic version checks.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{StorageError, Store, now_utc};
use crate::domain::access;
pub use crate::domain::list::{CaseRow, ListQuery, PageAnchor, SortColumn};
use crate::domain::text::{prefix_upper_bound, search_words, sort_key};
use crate::domain::{
    Agency, CaseId, CaseStatus, ClosureReason, CoopCase, Gender, PersonId, ReasonCode, Staff,
    StaffId, YoungPerson,
};

/// The index column that orders the list by `sort`.
fn key_column(sort: SortColumn) -> &'static str {
    match sort {
        SortColumn::Name => "name_key",
        SortColumn::Age => "age_key",
        SortColumn::Status => "status_key",
        SortColumn::JcStaff => "jc_key",
        SortColumn::JaStaff => "ja_key",
        SortColumn::NextDate => "next_key",
    }
}

/// Most filter words considered (more words only narrow further; bounded query size).
const MAX_FILTER_WORDS: usize = 6;
/// Sort value for "none", after every real value.
const LAST: &str = "\u{10FFFF}";
/// Above this many matching filter words the page query walks the sort index and checks
/// each row; below it, it collects the matches and sorts them (DESIGN.md § 5.8).
const SCAN_THRESHOLD: i64 = 3000;

type Args = Vec<rusqlite::types::Value>;

/// One filter word as an index range, with the number of index entries in it.
struct Word {
    low: String,
    high: String,
    entries: i64,
}

/// The filter words of `query`, most selective first.
fn plan_words(conn: &rusqlite::Connection, query: &ListQuery) -> Result<Vec<Word>, StorageError> {
    let mut words = Vec::new();
    for w in search_words(&query.filter)
        .into_iter()
        .take(MAX_FILTER_WORDS)
    {
        let high = prefix_upper_bound(&w);
        let entries: i64 = conn
            .prepare_cached("SELECT count(*) FROM case_search WHERE token >= ?1 AND token < ?2")?
            .query_row(params![w, high], |r| r.get(0))?;
        words.push(Word {
            low: w,
            high,
            entries,
        });
    }
    words.sort_by_key(|w| w.entries);
    Ok(words)
}

/// `AND EXISTS (…)` for each word: the case has a filter word in the word's range.
fn exists_sql(words: &[Word], outer: &str, sql: &mut String, args: &mut Args) {
    for w in words {
        let _ = write!(
            sql,
            " AND EXISTS (SELECT 1 FROM case_search x WHERE x.case_id = {outer}.case_id \
             AND x.token >= ? AND x.token < ?)"
        );
        args.push(w.low.clone().into());
        args.push(w.high.clone().into());
    }
}

/// The FROM and WHERE of the case list for `viewer` and the filter `words`: either walking
/// the sort index (no filter or a common word) or starting from the rarest word's matches.
fn list_source(key: &str, mask: i64, words: &[Word], sql: &mut String, args: &mut Args) {
    match words.split_first() {
        Some((rare, rest)) if rare.entries <= SCAN_THRESHOLD => {
            sql.push_str(
                " FROM case_list WHERE (visible_to & ?) != 0 AND case_id IN \
                 (SELECT case_id FROM case_search WHERE token >= ? AND token < ?)",
            );
            args.extend([
                mask.into(),
                rare.low.clone().into(),
                rare.high.clone().into(),
            ]);
            exists_sql(rest, "case_list", sql, args);
        }
        _ => {
            let index = format!("case_list_{}", key.trim_end_matches("_key"));
            let _ = write!(
                sql,
                " FROM case_list INDEXED BY {index} WHERE (visible_to & ?) != 0"
            );
            args.push(mask.into());
            exists_sql(words, "case_list", sql, args);
        }
    }
}

fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

fn map_row(row: &Row<'_>) -> rusqlite::Result<CaseRow> {
    let status: String = row.get(3)?;
    let next: Option<String> = row.get(6)?;
    Ok(CaseRow {
        id: CaseId(row.get(0)?),
        name: row.get(1)?,
        birth_date: parse_date(&row.get::<_, String>(2)?),
        status: CaseStatus::from_code(&status).unwrap_or(CaseStatus::Requested),
        jc_staff: row.get(4)?,
        ja_staff: row.get(5)?,
        next_date: next.as_deref().map(parse_date),
        key: row.get(7)?,
    })
}

impl Store {
    /// The number of cases `viewer` may see that match `query`.
    pub fn case_count(&self, viewer: &Staff, query: &ListQuery) -> Result<usize, StorageError> {
        let mask = access::viewer_mask(viewer);
        if mask == 0 {
            return Ok(0);
        }
        let words = plan_words(self.conn(), query)?;
        let mut args: Args = Vec::new();
        let sql = match words.split_first() {
            None => {
                args.push(mask.into());
                "SELECT count(*) FROM case_list WHERE (visible_to & ?) != 0".to_string()
            }
            // Counted on the filter index alone: the rarest word's distinct cases that are
            // visible and have the other words too.
            Some((rare, rest)) => {
                let mut sql = String::from(
                    "SELECT count(DISTINCT s.case_id) FROM case_search s \
                     WHERE s.token >= ? AND s.token < ? AND (s.visible_to & ?) != 0",
                );
                args.extend([
                    rare.low.clone().into(),
                    rare.high.clone().into(),
                    mask.into(),
                ]);
                exists_sql(rest, "s", &mut sql, &mut args);
                sql
            }
        };
        let n: i64 = self
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` rows of the case list, in list order, starting at `anchor`.
    pub fn case_page(
        &self,
        viewer: &Staff,
        query: &ListQuery,
        anchor: &PageAnchor,
        limit: usize,
    ) -> Result<Vec<CaseRow>, StorageError> {
        let mask = access::viewer_mask(viewer);
        if mask == 0 || limit == 0 {
            return Ok(Vec::new());
        }
        let key = key_column(query.sort);
        let words = plan_words(self.conn(), query)?;
        let mut sql = format!(
            "SELECT case_id, name, birth_date, status, jc_staff, ja_staff, next_date, {key}"
        );
        let mut args: Args = Vec::new();
        list_source(key, mask, &words, &mut sql, &mut args);
        // `backwards` walks against list order; the result is reversed afterwards.
        let backwards = matches!(anchor, PageAnchor::Last | PageAnchor::Before(..));
        let ascending = query.descending == backwards;
        let (op, k, id) = match anchor {
            PageAnchor::First | PageAnchor::Last => (None, None, None),
            PageAnchor::After(k, id) | PageAnchor::Before(k, id) => {
                (Some(if ascending { ">" } else { "<" }), Some(k), Some(id))
            }
            PageAnchor::AtOrAfter(k, id) => {
                (Some(if ascending { ">=" } else { "<=" }), Some(k), Some(id))
            }
        };
        if let (Some(op), Some(k), Some(id)) = (op, k, id) {
            let _ = write!(sql, " AND ({key}, case_id) {op} (?, ?)");
            args.push(k.clone().into());
            args.push(id.0.into());
        }
        let dir = if ascending { "ASC" } else { "DESC" };
        let _ = write!(sql, " ORDER BY {key} {dir}, case_id {dir} LIMIT ?");
        args.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows: Vec<CaseRow> = stmt
            .query_map(rusqlite::params_from_iter(args), map_row)?
            .collect::<Result<_, _>>()?;
        if backwards {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The list row of case `id` under `query`, if the case is visible and passes the
    /// filter.
    pub fn case_row(
        &self,
        viewer: &Staff,
        query: &ListQuery,
        id: CaseId,
    ) -> Result<Option<CaseRow>, StorageError> {
        let mask = access::viewer_mask(viewer);
        if mask == 0 {
            return Ok(None);
        }
        let key = key_column(query.sort);
        let words = plan_words(self.conn(), query)?;
        let mut sql = format!(
            "SELECT case_id, name, birth_date, status, jc_staff, ja_staff, next_date, {key} \
             FROM case_list WHERE (visible_to & ?) != 0 AND case_id = ?"
        );
        let mut args: Args = vec![mask.into(), id.0.into()];
        exists_sql(&words, "case_list", &mut sql, &mut args);
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), map_row)
            .optional()?)
    }

    /// The number of rows before the row (`key`, `id`) in list order, for the position shown
    /// in the list header after a jump.
    pub fn case_rank(
        &self,
        viewer: &Staff,
        query: &ListQuery,
        key_value: &str,
        id: CaseId,
    ) -> Result<usize, StorageError> {
        let mask = access::viewer_mask(viewer);
        let key = key_column(query.sort);
        let op = if query.descending { ">" } else { "<" };
        let words = plan_words(self.conn(), query)?;
        let mut sql = String::from("SELECT count(*)");
        let mut args: Args = Vec::new();
        list_source(key, mask, &words, &mut sql, &mut args);
        let _ = write!(sql, " AND ({key}, case_id) {op} (?, ?)");
        args.extend([key_value.to_string().into(), id.0.into()]);
        let n: i64 = self
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Loads one case for `viewer`; a case they may not see is reported as not found.
    pub fn load_case(&self, viewer: &Staff, id: CaseId) -> Result<CoopCase, StorageError> {
        let case = load_case_unchecked(self.conn(), id)?.ok_or(StorageError::NotFound)?;
        if !access::may_view(viewer, access::visibility_mask(&case)) {
            return Err(StorageError::NotFound);
        }
        Ok(case)
    }

    /// Creates a case with its young person for `actor`; returns the new id.
    pub fn create_case(&self, actor: &Staff, case: &CoopCase) -> Result<CaseId, StorageError> {
        if access::viewer_mask(actor) == 0 {
            return Err(StorageError::NotFound);
        }
        self.write(|tx| insert_case(tx, Some(actor.id), case, &now_utc()))
    }

    /// Saves changes to an existing case. The versions in `case` must be the ones it was
    /// loaded with; if someone saved in between, nothing is written and
    /// [`StorageError::Conflict`] names who saved last.
    pub fn update_case(&self, actor: &Staff, case: &CoopCase) -> Result<(), StorageError> {
        self.write(|tx| {
            let stored = load_case_unchecked(tx, case.id)?.ok_or(StorageError::NotFound)?;
            if !access::may_view(actor, access::visibility_mask(&stored)) {
                return Err(StorageError::NotFound);
            }
            let now = now_utc();
            let p = &case.person;
            let n = tx.execute(
                "UPDATE young_person SET surname = ?3, given_names = ?4, birth_date = ?5, gender = ?6, \
                 address = ?7, phone = ?8, email = ?9, jc_customer_no = ?10, bg_no = ?11, ja_file_no = ?12, \
                 updated_at = ?13, updated_by = ?14, version = version + 1 WHERE id = ?1 AND version = ?2",
                params![
                    p.id.0, p.version, p.surname, p.given_names, p.birth_date.to_string(),
                    p.gender.code(), p.address, p.phone, p.email, p.jc_customer_no, p.bg_no,
                    p.ja_file_no, now, actor.id.0
                ],
            )?;
            if n == 0 {
                return Err(conflict(tx, "young_person", p.id.0));
            }
            let n = tx.execute(
                "UPDATE coop_case SET status = ?3, question = ?4, lead_stelle = ?5, jc_staff_id = ?6, \
                 ja_staff_id = ?7, next_review = ?8, closed_on = ?9, closure_reason = ?10, \
                 updated_at = ?11, updated_by = ?12, version = version + 1 WHERE id = ?1 AND version = ?2",
                params![
                    case.id.0, case.version, case.status.code(), case.question, case.lead.code(),
                    case.jc_staff.map(|s| s.0), case.ja_staff.map(|s| s.0),
                    case.next_review.map(|d| d.to_string()), case.closed_on.map(|d| d.to_string()),
                    case.closure_reason.map(ClosureReason::code), now, actor.id.0
                ],
            )?;
            if n == 0 {
                return Err(conflict(tx, "coop_case", case.id.0));
            }
            write_reasons(tx, case.id, &case.reasons)?;
            refresh_read_model(tx, case.id)
        })
    }

    /// Inserts many generated cases in batches of short transactions (demo and seed data).
    pub fn insert_cases_bulk(
        &self,
        actor: Option<StaffId>,
        cases: &[CoopCase],
    ) -> Result<(), StorageError> {
        let now = now_utc();
        // Index inserts land in random places; a large page cache for the duration keeps
        // them in memory instead of re-reading pages (100 000 cases: 17 s → a few s).
        let cache: i64 = self
            .conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn().pragma_update(None, "cache_size", -262_144)?;
        let result = cases.chunks(5000).try_for_each(|chunk| {
            self.write(|tx| {
                for case in chunk {
                    insert_case(tx, actor, case, &now)?;
                }
                Ok(())
            })
        });
        self.conn().pragma_update(None, "cache_size", cache)?;
        result
    }

    /// Rebuilds the case-list read model of every case (after a staff rename, or to repair).
    pub fn rebuild_case_list(&self) -> Result<(), StorageError> {
        self.write(|tx| {
            let ids: Vec<i64> = tx
                .prepare("SELECT id FROM coop_case")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in ids {
                refresh_read_model(tx, CaseId(id))?;
            }
            Ok(())
        })
    }
}

fn conflict(tx: &Transaction<'_>, table: &str, id: i64) -> StorageError {
    let row: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            &format!(
                "SELECT t.updated_at, s.given_name || ' ' || s.surname FROM {table} t \
                 LEFT JOIN staff s ON s.id = t.updated_by WHERE t.id = ?1"
            ),
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .ok()
        .flatten();
    match row {
        Some((at, by)) => StorageError::Conflict { by, at },
        None => StorageError::NotFound,
    }
}

fn insert_case(
    tx: &Transaction<'_>,
    actor: Option<StaffId>,
    case: &CoopCase,
    now: &str,
) -> Result<CaseId, StorageError> {
    let p = &case.person;
    tx.prepare_cached(
        "INSERT INTO young_person (owner_stelle, surname, given_names, birth_date, gender, address, phone, \
         email, jc_customer_no, bg_no, ja_file_no, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?13)",
    )?
    .execute(params![
        case.owner.code(), p.surname, p.given_names, p.birth_date.to_string(), p.gender.code(),
        p.address, p.phone, p.email, p.jc_customer_no, p.bg_no, p.ja_file_no, now,
        actor.map(|a| a.0)
    ])?;
    let person_id = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO coop_case (young_person_id, owner_stelle, status, question, lead_stelle, jc_staff_id, \
         ja_staff_id, opened_on, next_review, closed_on, closure_reason, created_at, created_by, updated_at, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?13)",
    )?
    .execute(params![
        person_id, case.owner.code(), case.status.code(), case.question, case.lead.code(),
        case.jc_staff.map(|s| s.0), case.ja_staff.map(|s| s.0), case.opened_on.to_string(),
        case.next_review.map(|d| d.to_string()), case.closed_on.map(|d| d.to_string()),
        case.closure_reason.map(ClosureReason::code), now, actor.map(|a| a.0)
    ])?;
    let id = CaseId(tx.last_insert_rowid());
    write_reasons(tx, id, &case.reasons)?;
    refresh_read_model(tx, id)?;
    Ok(id)
}

fn write_reasons(
    tx: &Transaction<'_>,
    id: CaseId,
    reasons: &[ReasonCode],
) -> Result<(), StorageError> {
    tx.prepare_cached("DELETE FROM case_reason WHERE case_id = ?1")?
        .execute([id.0])?;
    let mut ins =
        tx.prepare_cached("INSERT OR IGNORE INTO case_reason (case_id, reason) VALUES (?1, ?2)")?;
    for r in reasons {
        ins.execute(params![id.0, r.code()])?;
    }
    Ok(())
}

const CASE_SELECT: &str = "SELECT c.id, c.owner_stelle, c.status, c.question, c.lead_stelle, c.jc_staff_id, \
    c.ja_staff_id, c.opened_on, c.next_review, c.closed_on, c.closure_reason, c.version, \
    p.id, p.surname, p.given_names, p.birth_date, p.gender, p.address, p.phone, p.email, \
    p.jc_customer_no, p.bg_no, p.ja_file_no, p.version, \
    (SELECT group_concat(reason, ',') FROM case_reason r WHERE r.case_id = c.id) \
    FROM coop_case c JOIN young_person p ON p.id = c.young_person_id WHERE c.id = ?1";

fn opt_date(s: Option<&str>) -> Option<NaiveDate> {
    s.map(parse_date)
}

fn map_case(r: &Row<'_>) -> rusqlite::Result<CoopCase> {
    let agency = |s: String| Agency::from_code(&s).unwrap_or(Agency::Jobcenter);
    let mut reasons = ReasonCode::split(&r.get::<_, Option<String>>(24)?.unwrap_or_default());
    reasons.sort();
    Ok(CoopCase {
        id: CaseId(r.get(0)?),
        owner: agency(r.get(1)?),
        status: CaseStatus::from_code(&r.get::<_, String>(2)?).unwrap_or(CaseStatus::Requested),
        question: r.get(3)?,
        lead: agency(r.get(4)?),
        jc_staff: r.get::<_, Option<i64>>(5)?.map(StaffId),
        ja_staff: r.get::<_, Option<i64>>(6)?.map(StaffId),
        opened_on: parse_date(&r.get::<_, String>(7)?),
        next_review: opt_date(r.get::<_, Option<String>>(8)?.as_deref()),
        closed_on: opt_date(r.get::<_, Option<String>>(9)?.as_deref()),
        closure_reason: r
            .get::<_, Option<String>>(10)?
            .as_deref()
            .and_then(ClosureReason::from_code),
        version: r.get(11)?,
        person: YoungPerson {
            id: PersonId(r.get(12)?),
            surname: r.get(13)?,
            given_names: r.get(14)?,
            birth_date: parse_date(&r.get::<_, String>(15)?),
            gender: Gender::from_code(&r.get::<_, String>(16)?).unwrap_or(Gender::Unspecified),
            address: r.get(17)?,
            phone: r.get(18)?,
            email: r.get(19)?,
            jc_customer_no: r.get(20)?,
            bg_no: r.get(21)?,
            ja_file_no: r.get(22)?,
            version: r.get(23)?,
        },
        reasons,
    })
}

fn load_case_unchecked(
    conn: &rusqlite::Connection,
    id: CaseId,
) -> Result<Option<CoopCase>, StorageError> {
    Ok(conn
        .prepare_cached(CASE_SELECT)?
        .query_row([id.0], map_case)
        .optional()?)
}

/// Short display form of a staff member: "V. Nachname".
fn short_staff(given: &str, surname: &str) -> String {
    match given.chars().next() {
        Some(c) => format!("{c}. {surname}"),
        None => surname.to_string(),
    }
}

/// Rewrites the case-list row and the filter words of one case from the base tables.
fn refresh_read_model(tx: &Transaction<'_>, id: CaseId) -> Result<(), StorageError> {
    let case = load_case_unchecked(tx, id)?.ok_or(StorageError::NotFound)?;
    let staff_names = |sid: Option<StaffId>| -> Result<Option<(String, String)>, StorageError> {
        let Some(sid) = sid else { return Ok(None) };
        Ok(tx
            .prepare_cached("SELECT given_name, surname FROM staff WHERE id = ?1")?
            .query_row([sid.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    };
    let mask = access::visibility_mask(&case);
    let jc = staff_names(case.jc_staff)?;
    let ja = staff_names(case.ja_staff)?;
    let p = &case.person;
    let name_key = format!("{}\u{2}{}", sort_key(&p.surname), sort_key(&p.given_names));
    let compose = |v: &str| format!("{v}\u{1}{name_key}");
    let staff_key = |s: &Option<(String, String)>| match s {
        Some((g, n)) => compose(&format!("{}\u{2}{}", sort_key(n), sort_key(g))),
        None => compose(LAST),
    };
    let birth = p.birth_date.format("%Y%m%d").to_string();
    let birth_num: i64 = birth.parse().unwrap_or(0);
    let age_key = compose(&format!("{:08}", 99_999_999 - birth_num));
    let rank = CaseStatus::ALL
        .iter()
        .position(|s| *s == case.status)
        .unwrap_or(0);
    let next = case.next_date();
    let next_key = compose(&next.map_or_else(|| LAST.to_string(), |d| d.to_string()));
    tx.prepare_cached(
        "INSERT OR REPLACE INTO case_list (case_id, visible_to, name, birth_date, status, jc_staff, ja_staff, \
         next_date, name_key, age_key, status_key, jc_key, ja_key, next_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        id.0,
        mask,
        p.display_name(),
        p.birth_date.to_string(),
        case.status.code(),
        jc.as_ref().map(|(g, n)| short_staff(g, n)).unwrap_or_default(),
        ja.as_ref().map(|(g, n)| short_staff(g, n)).unwrap_or_default(),
        next.map(|d| d.to_string()),
        name_key,
        age_key,
        compose(&rank.to_string()),
        staff_key(&jc),
        staff_key(&ja),
        next_key,
    ])?;
    tx.prepare_cached("DELETE FROM case_search WHERE case_id = ?1")?
        .execute([id.0])?;
    let mut words: Vec<String> = Vec::new();
    for text in [
        &p.surname,
        &p.given_names,
        &p.jc_customer_no,
        &p.bg_no,
        &p.ja_file_no,
    ] {
        words.extend(search_words(text));
    }
    for (g, n) in jc.iter().chain(ja.iter()) {
        words.extend(search_words(g));
        words.extend(search_words(n));
    }
    words.extend(case.status.search_words().iter().map(|w| (*w).to_string()));
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO case_search (token, case_id, visible_to) VALUES (?1, ?2, ?3)",
    )?;
    for w in words {
        ins.execute(params![w, id.0, mask])?;
    }
    Ok(())
}
