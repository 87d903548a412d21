//! Cooperation cases: the access-checked case list (keyset pages over a read model), loading,
//! creating and saving with optimistic version checks.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::audit::{self, AuditAction, AuditEntry, FieldValue, detail, object};
use super::{StorageError, Store, berlin_day, ts};
use crate::domain::access::{self, Relation};
use crate::domain::text::{filter_words, prefix_upper_bound, sort_key};
use crate::domain::{
    Agency, CaseId, CaseStatus, ClosureReason, CoopCase, Gender, PersonId, ReasonCode, Role, Staff,
    StaffId, YoungPerson,
};
use crate::model::list::{CaseRow, ListQuery, PageAnchor, SortColumn};

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
/// Extra bit of a search word that comes from the name (a partner may search it once the
/// name was transferred).
const NAME_TOKEN: i64 = 4;
/// Sort value for "none", after every real value.
const LAST: &str = "\u{10FFFF}";
/// Above this many matching filter words the page query walks the sort index and checks
/// each row; below it, it collects the matches and sorts them (docs/architecture.md § 5.8).
const SCAN_THRESHOLD: i64 = 3000;

type Args = Vec<rusqlite::types::Value>;

/// How the case list plans its pages (docs/performance.md § 2). Only the tests that prove
/// both plans give the same list change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPlan {
    /// Whether a whole agency's name-sorted list is walked along the indexes
    /// ([`Store::name_walk`]); otherwise it is sorted from all its rows.
    pub walk_names: bool,
    /// Most index entries of a filter word for which its matches are the candidates.
    pub scan_threshold: i64,
}

impl Default for ListPlan {
    fn default() -> Self {
        ListPlan {
            walk_names: true,
            scan_threshold: SCAN_THRESHOLD,
        }
    }
}

/// One filter word as an index range, with the number of index entries in it (counted up
/// to just past the plan's threshold).
struct Word {
    low: String,
    high: String,
    entries: i64,
    /// At most the threshold: the word's matches are few enough to start from.
    few: bool,
}

/// The filter words of `query`, most selective first.
fn plan_words(
    conn: &rusqlite::Connection,
    query: &ListQuery,
    plan: ListPlan,
) -> Result<Vec<Word>, StorageError> {
    let mut words = Vec::new();
    for w in filter_words(&query.filter)
        .into_iter()
        .take(MAX_FILTER_WORDS)
    {
        let high = prefix_upper_bound(&w);
        // Counted up to just past the threshold: beyond it the plan is the same, and a
        // one-letter word would otherwise count half the index on every keystroke.
        let entries: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE token >= ?1 AND token < ?2 \
                 LIMIT ?3)",
            )?
            .query_row(
                params![w, high, plan.scan_threshold.saturating_add(1)],
                |r| r.get(0),
            )?;
        words.push(Word {
            low: w,
            high,
            entries,
            few: entries <= plan.scan_threshold,
        });
    }
    words.sort_by_key(|w| w.entries);
    Ok(words)
}

/// Who is asking, resolved once per query: the agency, whether the person leads a team,
/// and whose caseload they cover (their own and that of staff they deputise for).
struct Scope {
    agency: Agency,
    me: i64,
    lead: bool,
    whole_agency: bool,
    covered: Vec<i64>,
    today: String,
    /// The instant of the query (stored form): break-glass grants running then count.
    now: String,
}

impl Scope {
    fn of(
        conn: &rusqlite::Connection,
        viewer: &Staff,
        query: &ListQuery,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Scope>, StorageError> {
        if access::viewer_mask(viewer) == 0 {
            return Ok(None);
        }
        let mut covered = vec![viewer.id.0];
        // Deputies cover for staff of their own agency while those are away — an absence
        // covering today, or they left — or always with the office's switch, as in
        // `access::relation` (docs/access.md A2).
        let permanent = super::casefile::permanent_deputies(conn)?;
        let today = berlin_day(now);
        let mut stmt =
            conn.prepare_cached("SELECT id FROM staff WHERE deputy_id = ?1 AND stelle = ?2")?;
        let colleagues = stmt
            .query_map(params![viewer.id.0, viewer.agency.code()], |r| {
                r.get::<_, i64>(0)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for id in colleagues {
            if permanent || super::casefile::is_away(conn, StaffId(id), today)? {
                covered.push(id);
            }
        }
        let lead = viewer.has_role(Role::Lead);
        // The list of every case of the agency is the leads' (docs/access.md A6); for
        // anyone else, whatever scope they ask for, the list is their caseload.
        Ok(Some(Scope {
            agency: viewer.agency,
            me: viewer.id.0,
            lead,
            whole_agency: lead,
            covered,
            today: query.today.to_string(),
            now: ts(now),
        }))
    }

    fn covered_sql(&self) -> String {
        self.covered
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `AND …` restricting `case_list` rows to the scope.
    fn where_sql(&self, sql: &mut String, args: &mut Args) {
        sql.push_str(" AND (case_list.visible_to & ?) != 0");
        args.push(self.agency.bit().into());
        if !self.whole_agency {
            let ids = self.covered_sql();
            let _ = write!(
                sql,
                " AND (case_list.jc_staff_id IN ({ids}) OR case_list.ja_staff_id IN ({ids}) \
                 OR case_list.case_id IN (SELECT case_id FROM access_grant WHERE staff_id = ? AND until > ?))"
            );
            args.extend([self.me.into(), self.now.clone().into()]);
        }
    }

    /// SQL that is true when the viewer may read the given master-data fields (codes) of a
    /// `case_list` row: their agency owns them, or each was transferred to them on a basis
    /// that still holds and they work on the case (assigned, deputy or lead; break-glass
    /// never crosses over). The same rule as the case file's, for the list.
    fn fields_visible_sql(&self, fields: &[&str], args: &mut Args) -> String {
        let ids = self.covered_sql();
        let code = self.agency.code();
        // A restricted case shows its person data to the owning Stelle's lead alone
        // (docs/access.md A12); for everyone else its row is withheld like an untransferred
        // one, in sort order and filter too (A6).
        let open = self.restricted_readable_sql(args);
        args.extend([self.agency.bit().into(), i64::from(self.lead).into()]);
        let mut sql = format!(
            "({open} AND ((case_list.owner_bit & ?) != 0 OR ((? = 1 OR case_list.jc_staff_id IN ({ids}) \
             OR case_list.ja_staff_id IN ({ids}))"
        );
        for field in fields {
            args.extend([
                code.to_string().into(),
                self.today.clone().into(),
                self.today.clone().into(),
                code.to_string().into(),
                self.me.to_string().into(),
                self.today.clone().into(),
            ]);
            let _ = write!(
                sql,
                " AND EXISTS (SELECT 1 FROM transfer_log t \
                 WHERE t.case_id = case_list.case_id AND t.to_stelle = ? \
                 AND instr(',' || t.fields || ',', ',{field},') > 0 \
                 AND (t.statutory_basis IS NOT NULL OR EXISTS (SELECT 1 FROM consent c WHERE c.id = t.consent_id \
                 AND c.status = 'granted' AND c.valid_from <= ? AND c.valid_until >= ? \
                 AND instr(',' || c.recipient_agencies || ',', ',' || ? || ',') > 0 \
                 AND instr(',' || c.categories || ',', ',master,') > 0 \
                 AND (c.recipient_staff = '' OR instr(',' || c.recipient_staff || ',', ',' || ? || ',') > 0) \
                 AND NOT (c.declared_by = 'custody' AND date(case_list.birth_date, '+18 years') <= ? \
                 AND date(case_list.birth_date, '+18 years') > c.signed_on))))"
            );
        }
        sql.push_str(")))");
        sql
    }

    /// SQL that is true unless the row is restricted and the viewer is not a lead of the
    /// owning Stelle (docs/access.md A12).
    fn restricted_readable_sql(&self, args: &mut Args) -> String {
        args.extend([i64::from(self.lead).into(), self.agency.bit().into()]);
        "(case_list.restricted = 0 OR (? = 1 AND (case_list.owner_bit & ?) != 0))".to_string()
    }

    /// [`Self::fields_visible_sql`] for the name shown in the list (surname and given names).
    fn name_visible_sql(&self, args: &mut Args) -> String {
        self.fields_visible_sql(&["surname", "given_names"], args)
    }
}

/// `AND EXISTS (…)` for each word: the case has a filter word in the word's range that the
/// viewer may search: person data by the agency that owns it, and — in the caseload — also
/// by the partner it was transferred to (the same rule that shows the name).
fn exists_sql(words: &[Word], outer: &str, scope: &Scope, sql: &mut String, args: &mut Args) {
    // A restricted row is found by no word at all, unless the viewer reads it: whatever was
    // typed, so that no word tells anything about the hidden data (docs/access.md A12, A6).
    if !words.is_empty() && outer == "case_list" {
        let readable = scope.restricted_readable_sql(args);
        let _ = write!(sql, " AND {readable}");
    }
    for w in words {
        let _ = write!(
            sql,
            " AND EXISTS (SELECT 1 FROM case_search x WHERE x.case_id = {outer}.case_id \
             AND x.token >= ? AND x.token < ? AND ((x.visible_to & ?) != 0"
        );
        args.push(w.low.clone().into());
        args.push(w.high.clone().into());
        args.push(scope.agency.bit().into());
        if outer == "case_list" {
            // A partner — caseworker or lead — finds a case by its name once the name was
            // transferred to them, never by other words (file numbers stay with their
            // owner; docs/access.md A6).
            let _ = write!(sql, " OR ((x.visible_to & {NAME_TOKEN}) != 0 AND ");
            let visible = scope.name_visible_sql(args);
            let _ = write!(sql, "{visible})");
        }
        sql.push_str("))");
    }
}

/// The FROM and WHERE of the case list for `scope` and the filter `words`: either walking
/// the sort index (no filter or a common word) or starting from the rarest word's matches.
fn list_source(key: &str, scope: &Scope, words: &[Word], sql: &mut String, args: &mut Args) {
    if !scope.whole_agency {
        // A caseload: the staff indexes find its few hundred cases; each is then checked
        // against the words and sorted (docs/performance.md § 2).
        sql.push_str(" FROM case_list WHERE 1");
        scope.where_sql(sql, args);
        exists_sql(words, "case_list", scope, sql, args);
        return;
    }
    match words.split_first() {
        Some((rare, _)) if rare.few => {
            // The rarest word's cases are the candidates; every word (that one included)
            // is then checked with the visibility rule.
            sql.push_str(
                " FROM case_list WHERE case_list.case_id IN \
                 (SELECT case_id FROM case_search WHERE token >= ? AND token < ?)",
            );
            args.extend([rare.low.clone().into(), rare.high.clone().into()]);
            scope.where_sql(sql, args);
            exists_sql(words, "case_list", scope, sql, args);
        }
        _ => {
            let index = format!("case_list_{}", key.trim_end_matches("_key"));
            let _ = write!(sql, " FROM case_list INDEXED BY {index} WHERE 1");
            scope.where_sql(sql, args);
            exists_sql(words, "case_list", scope, sql, args);
        }
    }
}

pub(crate) fn parse_date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// The sort value of a `case_list` row for `sort` as the viewer may see it. Each stored
/// key is the column's value, then `\u{1}` and the name as tie-breaker (see
/// `refresh_read_model`). Where the viewer may not read the name, the tie-breaker gives way
/// to the case number; where she may not read the sorted value itself (the name, the
/// birth date behind the age), the row goes after every real value, in case-number order.
/// So a withheld row's place tells nothing about the withheld value (docs/access.md A6).
fn key_sql(sort: SortColumn, scope: &Scope, args: &mut Args) -> String {
    let column = format!("case_list.{}", key_column(sort));
    let name_visible = scope.name_visible_sql(args);
    let number = "printf('%012d', case_list.case_id)";
    let value = format!("substr({column}, 1, instr({column}, char(1)))");
    match sort {
        SortColumn::Name => {
            args.push(LAST.to_string().into());
            format!("CASE WHEN {name_visible} THEN {column} ELSE ? || {number} END")
        }
        SortColumn::Age => {
            let birth_visible = scope.fields_visible_sql(&["birth_date"], args);
            let birth_visible_too = scope.fields_visible_sql(&["birth_date"], args);
            args.extend([LAST.to_string().into(), LAST.to_string().into()]);
            format!(
                "CASE WHEN {name_visible} AND {birth_visible} THEN {column} \
                 WHEN {birth_visible_too} THEN {value} || ? || {number} \
                 ELSE ? || char(1) || {number} END"
            )
        }
        SortColumn::Status | SortColumn::JcStaff | SortColumn::JaStaff | SortColumn::NextDate => {
            args.push(LAST.to_string().into());
            format!("CASE WHEN {name_visible} THEN {column} ELSE {value} || ? || {number} END")
        }
    }
}

/// The SELECT list of a page, with person data withheld where the viewer may not read it;
/// the columns are named (`id`, …, `skey`) for the paging query around it.
fn select_sql(sort: SortColumn, scope: &Scope, args: &mut Args) -> String {
    let name_visible = scope.name_visible_sql(args);
    let birth_visible = scope.fields_visible_sql(&["birth_date"], args);
    let key = key_sql(sort, scope, args);
    format!(
        "SELECT case_list.case_id AS id, CASE WHEN {name_visible} THEN name END AS name, \
         CASE WHEN {birth_visible} THEN birth_date END AS birth, status AS status, \
         jc_staff AS jc, ja_staff AS ja, next_date AS next, {key} AS skey, \
         case_list.restricted AS restricted"
    )
}

fn map_row(row: &Row<'_>) -> rusqlite::Result<CaseRow> {
    let status: String = row.get(3)?;
    let next: Option<String> = row.get(6)?;
    Ok(CaseRow {
        id: CaseId(row.get(0)?),
        name: row.get(1)?,
        birth_date: row.get::<_, Option<String>>(2)?.as_deref().map(parse_date),
        status: CaseStatus::from_code(&status).unwrap_or(CaseStatus::Requested),
        jc_staff: row.get(4)?,
        ja_staff: row.get(5)?,
        next_date: next.as_deref().map(parse_date),
        key: row.get(7)?,
        alerts: Vec::new(),
        restricted: row.get::<_, i64>(8)? == 1,
    })
}

impl Store {
    /// The number of cases `viewer` may see that match `query`.
    pub fn case_count(&self, viewer: &Staff, query: &ListQuery) -> Result<usize, StorageError> {
        let Some(scope) = Scope::of(self.conn(), viewer, query, self.now())? else {
            return Ok(0);
        };
        let words = plan_words(self.conn(), query, self.list_plan.get())?;
        let mut args: Args = Vec::new();
        let sql = match words.split_first() {
            // A caseload: found by the staff indexes (see `list_source`).
            _ if !scope.whole_agency => {
                let mut sql = String::from("SELECT count(*) FROM case_list WHERE 1");
                scope.where_sql(&mut sql, &mut args);
                exists_sql(&words, "case_list", &scope, &mut sql, &mut args);
                sql
            }
            // With a filter: the rarest word's cases are the candidates, each checked with
            // the visibility rule (a lead finds a partner's case by a transferred name too,
            // so the filter index alone cannot count).
            Some((rare, _)) if rare.few => {
                let mut sql = String::from(
                    "SELECT count(*) FROM case_list WHERE case_list.case_id IN \
                     (SELECT case_id FROM case_search WHERE token >= ? AND token < ?)",
                );
                args.extend([rare.low.clone().into(), rare.high.clone().into()]);
                scope.where_sql(&mut sql, &mut args);
                exists_sql(&words, "case_list", &scope, &mut sql, &mut args);
                sql
            }
            _ => {
                let mut sql = String::from("SELECT count(*) FROM case_list WHERE 1");
                scope.where_sql(&mut sql, &mut args);
                exists_sql(&words, "case_list", &scope, &mut sql, &mut args);
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
        let Some(scope) = Scope::of(self.conn(), viewer, query, self.now())? else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let key = key_column(query.sort);
        let words = plan_words(self.conn(), query, self.list_plan.get())?;
        if self.walks_names(&scope, query, &words) {
            let mut rows = self.name_walk(&scope, query, &words, anchor, limit)?;
            self.add_alerts(&mut rows, query.today)?;
            return Ok(rows);
        }
        let mut args: Args = Vec::new();
        let mut sql = String::from("SELECT * FROM (");
        sql.push_str(&select_sql(query.sort, &scope, &mut args));
        list_source(key, &scope, &words, &mut sql, &mut args);
        sql.push_str(") WHERE 1");
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
            let _ = write!(sql, " AND (skey, id) {op} (?, ?)");
            args.push(k.clone().into());
            args.push(id.0.into());
        }
        let dir = if ascending { "ASC" } else { "DESC" };
        let _ = write!(sql, " ORDER BY skey {dir}, id {dir} LIMIT ?");
        args.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows: Vec<CaseRow> = stmt
            .query_map(rusqlite::params_from_iter(args), map_row)?
            .collect::<Result<_, _>>()?;
        if backwards {
            rows.reverse();
        }
        self.add_alerts(&mut rows, query.today)?;
        Ok(rows)
    }

    /// The alerts of each row; a restricted row the viewer may not read tells nothing of
    /// the case's content, not even through its alerts (docs/access.md A12).
    fn add_alerts(&self, rows: &mut [CaseRow], today: NaiveDate) -> Result<(), StorageError> {
        for row in rows {
            if !(row.restricted && row.name.is_none()) {
                row.alerts = self.row_alerts(row, today)?;
            }
        }
        Ok(())
    }

    /// Whether a page of `query` is walked along the indexes ([`Self::name_walk`]): the
    /// name-sorted list of a whole agency, unfiltered or with words too common to start
    /// from their matches.
    fn walks_names(&self, scope: &Scope, query: &ListQuery, words: &[Word]) -> bool {
        self.list_plan.get().walk_names
            && scope.whole_agency
            && query.sort == SortColumn::Name
            && words.first().is_none_or(|w| !w.few)
    }

    /// The FROM and WHERE of one segment of the name walk: segment 0 holds the rows whose
    /// name the viewer reads (walked along the name index), segment 1 the withheld ones.
    fn segment_source(
        scope: &Scope,
        words: &[Word],
        segment: usize,
        sql: &mut String,
        args: &mut Args,
    ) {
        let index = if segment == 0 {
            "INDEXED BY case_list_name"
        } else {
            ""
        };
        let _ = write!(sql, " FROM case_list {index} WHERE 1");
        scope.where_sql(sql, args);
        exists_sql(words, "case_list", scope, sql, args);
        // The two segments split the rows between them by construction: a rule that ever
        // yielded NULL would otherwise drop a row from both.
        let visible = scope.name_visible_sql(args);
        let not = if segment == 0 { "" } else { "NOT " };
        let _ = write!(sql, " AND {not}coalesce({visible}, 0)");
    }

    /// [`Self::case_rank`] for the name walk: the rows before the anchor in its segment,
    /// plus the whole first segment when the anchor is a withheld row. Near the top of the
    /// list this reads as few rows as the page.
    fn name_rank(
        &self,
        scope: &Scope,
        query: &ListQuery,
        words: &[Word],
        key_value: &str,
        id: CaseId,
    ) -> Result<usize, StorageError> {
        let anchor_segment = usize::from(key_value.starts_with(LAST));
        // The segment that comes first in list order.
        let first = usize::from(query.descending);
        let op = if query.descending { ">" } else { "<" };
        let mut n: i64 = 0;
        for segment in [first, 1 - first] {
            let mut args: Args = Vec::new();
            let mut sql = String::from("SELECT count(*)");
            Self::segment_source(scope, words, segment, &mut sql, &mut args);
            if segment == anchor_segment {
                if segment == 0 {
                    let _ = write!(
                        sql,
                        " AND (case_list.name_key, case_list.case_id) {op} (?, ?)"
                    );
                    args.extend([key_value.to_string().into(), id.0.into()]);
                } else {
                    let _ = write!(sql, " AND case_list.case_id {op} ?");
                    args.push(id.0.into());
                }
            }
            n += self
                .conn()
                .prepare_cached(&sql)?
                .query_row(rusqlite::params_from_iter(args), |r| r.get::<_, i64>(0))?;
            if segment == anchor_segment {
                break;
            }
        }
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// A page of the name-sorted list of a whole agency, walked along indexes so that it
    /// reads about as many rows as it shows, however many cases there are
    /// (docs/performance.md § 2). In name order the list has two segments: the rows whose
    /// name the viewer reads, by `name_key` (the name index), and then the withheld rows,
    /// whose sort value is `LAST` and the case number, by case number (the primary key).
    /// The walk starts in the anchor's segment and goes on into the next one until the
    /// page is full; the result is the same as the general query's (`tests/list_order.rs`).
    fn name_walk(
        &self,
        scope: &Scope,
        query: &ListQuery,
        words: &[Word],
        anchor: &PageAnchor,
        limit: usize,
    ) -> Result<Vec<CaseRow>, StorageError> {
        let backwards = matches!(anchor, PageAnchor::Last | PageAnchor::Before(..));
        // Walking towards greater keys?
        let ascending = query.descending == backwards;
        let (cond, inclusive) = match anchor {
            PageAnchor::First | PageAnchor::Last => (None, false),
            PageAnchor::After(k, id) | PageAnchor::Before(k, id) => (Some((k, *id)), false),
            PageAnchor::AtOrAfter(k, id) => (Some((k, *id)), true),
        };
        // Segment 0: readable names; segment 1: withheld rows. In key order 0 comes first.
        let anchor_segment = cond.map(|(k, _)| usize::from(k.starts_with(LAST)));
        let order: [usize; 2] = if ascending { [0, 1] } else { [1, 0] };
        let mut rows: Vec<CaseRow> = Vec::with_capacity(limit);
        let mut started = anchor_segment.is_none();
        for segment in order {
            if !started {
                if Some(segment) != anchor_segment {
                    continue;
                }
                started = true;
            }
            let from_anchor = if Some(segment) == anchor_segment {
                cond
            } else {
                None
            };
            let want = limit - rows.len();
            let mut args: Args = Vec::new();
            let mut sql = select_sql(SortColumn::Name, scope, &mut args);
            Self::segment_source(scope, words, segment, &mut sql, &mut args);
            let op = match (ascending, inclusive) {
                (true, false) => ">",
                (true, true) => ">=",
                (false, false) => "<",
                (false, true) => "<=",
            };
            let dir = if ascending { "ASC" } else { "DESC" };
            if segment == 0 {
                if let Some((k, id)) = from_anchor {
                    let _ = write!(
                        sql,
                        " AND (case_list.name_key, case_list.case_id) {op} (?, ?)"
                    );
                    args.extend([k.clone().into(), id.0.into()]);
                }
                let _ = write!(
                    sql,
                    " ORDER BY case_list.name_key {dir}, case_list.case_id {dir} LIMIT ?"
                );
            } else {
                if let Some((_, id)) = from_anchor {
                    let _ = write!(sql, " AND case_list.case_id {op} ?");
                    args.push(id.0.into());
                }
                let _ = write!(sql, " ORDER BY case_list.case_id {dir} LIMIT ?");
            }
            args.push(i64::try_from(want).unwrap_or(i64::MAX).into());
            let mut stmt = self.conn().prepare_cached(&sql)?;
            let found = stmt.query_map(rusqlite::params_from_iter(args), map_row)?;
            for row in found {
                rows.push(row?);
            }
            if rows.len() >= limit {
                break;
            }
        }
        if backwards {
            rows.reverse();
        }
        Ok(rows)
    }

    /// The list row of case `id` under `query`, if the case is in the viewer's list and
    /// passes the filter.
    pub fn case_row(
        &self,
        viewer: &Staff,
        query: &ListQuery,
        id: CaseId,
    ) -> Result<Option<CaseRow>, StorageError> {
        let Some(scope) = Scope::of(self.conn(), viewer, query, self.now())? else {
            return Ok(None);
        };
        let words = plan_words(self.conn(), query, self.list_plan.get())?;
        let mut args: Args = Vec::new();
        let mut sql = select_sql(query.sort, &scope, &mut args);
        sql.push_str(" FROM case_list WHERE case_list.case_id = ?");
        args.push(id.0.into());
        scope.where_sql(&mut sql, &mut args);
        exists_sql(&words, "case_list", &scope, &mut sql, &mut args);
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
        let Some(scope) = Scope::of(self.conn(), viewer, query, self.now())? else {
            return Ok(0);
        };
        let key = key_column(query.sort);
        let op = if query.descending { ">" } else { "<" };
        let words = plan_words(self.conn(), query, self.list_plan.get())?;
        if self.walks_names(&scope, query, &words) {
            return self.name_rank(&scope, query, &words, key_value, id);
        }
        let mut args: Args = Vec::new();
        let mut sql = String::from("SELECT count(*) FROM (SELECT case_list.case_id AS id, ");
        let sort_value = key_sql(query.sort, &scope, &mut args);
        let _ = write!(sql, "{sort_value} AS skey");
        list_source(key, &scope, &words, &mut sql, &mut args);
        let _ = write!(sql, ") WHERE (skey, id) {op} (?, ?)");
        args.extend([key_value.to_string().into(), id.0.into()]);
        let n: i64 = self
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Opens the case file `id` for `viewer` and logs it: `view`, or `refused` (detail
    /// `not_visible`) when the case does not exist or they may not see it, which is then
    /// reported as not found. Load and log are one IMMEDIATE transaction.
    pub fn open_case_file(&self, viewer: &Staff, id: CaseId) -> Result<CoopCase, StorageError> {
        // The refusal must be committed too, so the closure returns it as a value.
        let now = self.now();
        self.write(|tx| {
            let loaded = load_case_unchecked(tx, id)?;
            let (base, relation) = match &loaded {
                Some(c) => (
                    super::casefile::base_relation_to(tx, viewer, c, now)?,
                    super::casefile::relation_to(tx, viewer, c, now)?,
                ),
                None => (Relation::None, Relation::None),
            };
            // Someone who works on a restricted case but may not read it is told it is
            // restricted (docs/access.md A12); anyone else learns nothing (A9).
            let (entry, res) = match loaded {
                Some(c) if relation != Relation::None => {
                    (AuditEntry::new(AuditAction::View, object::CASE), Ok(c))
                }
                Some(_) if base != Relation::None => (
                    AuditEntry::new(AuditAction::Refused, object::CASE)
                        .detail(access::Refusal::Restricted.code()),
                    Err(StorageError::Refused(access::Refusal::Restricted)),
                ),
                _ => (
                    AuditEntry::new(AuditAction::Refused, object::CASE).detail(detail::NOT_VISIBLE),
                    Err(StorageError::NotFound),
                ),
            };
            audit::append_at(tx, &entry.by(viewer).object(id.0), &ts(now))?;
            Ok(res)
        })?
    }

    /// Logs that `me` was shown a list screen (docs/access.md A9): one `view` row naming
    /// the screen; what was typed into a search is never logged.
    pub fn log_screen_read(
        &self,
        me: &Staff,
        read: access::ScreenRead,
    ) -> Result<(), StorageError> {
        let now = ts(self.now());
        self.write(|tx| {
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::View, read.code()).by(me),
                &now,
            )?;
            Ok(())
        })
    }

    /// Finds the case whose own-agency number (Kundennummer or BG-Nummer for the Jobcenter,
    /// Aktenzeichen for the Jugendamt) or case number is exactly `number`, among the cases
    /// `viewer`'s agency is party to — the way into break-glass for a case outside the
    /// caseload (docs/access.md A6). Every lookup is logged, found or not; nothing of the
    /// case but its id is returned.
    pub fn lookup_case(
        &self,
        viewer: &Staff,
        number: &str,
    ) -> Result<Option<CaseId>, StorageError> {
        let number = number.trim();
        if !viewer.may_see_cases() || number.is_empty() {
            return Ok(None);
        }
        let column_sql = match viewer.agency {
            Agency::Jobcenter => {
                "(upper(p.jc_customer_no) = upper(?1) OR upper(p.bg_no) = upper(?1))"
            }
            Agency::Jugendamt => "upper(p.ja_file_no) = upper(?1)",
        };
        let by_id = number.trim_start_matches('#').parse::<i64>().ok();
        let staff_column = match viewer.agency {
            Agency::Jobcenter => "c.jc_staff_id",
            Agency::Jugendamt => "c.ja_staff_id",
        };
        let sql = format!(
            "SELECT c.id FROM coop_case c JOIN young_person p ON p.id = c.young_person_id \
             WHERE ({column_sql} OR c.id = ?2) AND (c.owner_stelle = ?3 OR {staff_column} IS NOT NULL) \
             ORDER BY c.id LIMIT 2"
        );
        let now = ts(self.now());
        self.write(|tx| {
            let ids: Vec<i64> = tx
                .prepare(&sql)?
                .query_map(
                    params![number, by_id.unwrap_or(-1), viewer.agency.code()],
                    |r| r.get(0),
                )?
                .collect::<Result<_, _>>()?;
            // Two cases with one number: nothing is opened blindly.
            let found = match ids.as_slice() {
                [one] => Some(CaseId(*one)),
                _ => None,
            };
            let mut entry = AuditEntry::new(
                if found.is_some() {
                    AuditAction::View
                } else {
                    AuditAction::Refused
                },
                access::ScreenRead::CaseLookup.code(),
            )
            .by(viewer);
            if let Some(id) = found {
                entry = entry.object(id.0);
            } else {
                entry = entry.detail(detail::NOT_VISIBLE);
            }
            audit::append_at(tx, &entry, &now)?;
            Ok(found)
        })
    }

    /// Loads one case for `viewer` WITHOUT logging a view (saves, refreshes of a file that is
    /// already open, conflict handling); a case they may not see is reported as not found,
    /// a restricted one they work on as [`access::Refusal::Restricted`].
    /// Showing a case file to a person goes through [`Store::open_case_file`].
    pub fn load_case(&self, viewer: &Staff, id: CaseId) -> Result<CoopCase, StorageError> {
        let case = load_case_unchecked(self.conn(), id)?.ok_or(StorageError::NotFound)?;
        let now = self.now();
        if super::casefile::base_relation_to(self.conn(), viewer, &case, now)? == Relation::None {
            return Err(StorageError::NotFound);
        }
        // Someone who works on a restricted case is told so (docs/access.md A12).
        if super::casefile::relation_to(self.conn(), viewer, &case, now)? == Relation::None {
            return Err(StorageError::Refused(access::Refusal::Restricted));
        }
        Ok(case)
    }

    /// Creates a case with its young person for `actor`; returns the new id.
    /// The case belongs to `actor`'s agency; the other agency's person fields and
    /// caseworker stay empty and the Fallführung is the creating agency's, or the store
    /// refuses with [`StorageError::Refused`] and a `refused` audit row (docs/access.md A7).
    pub fn create_case(&self, actor: &Staff, case: &CoopCase) -> Result<CaseId, StorageError> {
        // Only caseworkers create cases; a lead reads, the administrator and the DSB see no
        // case content (docs/access.md A1, A7). The refusal is logged like any other.
        if !actor.may_create_cases() {
            let now = ts(self.now());
            let r = access::Refusal::CaseCreate;
            self.write(|tx| log_refusal(tx, &now, actor, None, r))?;
            return Err(StorageError::Refused(r));
        }
        let mut case = case.clone();
        case.owner = actor.agency;
        let blank = blank_case(&case);
        let refusal = refused_change(actor, &blank, &case, &[], true);
        let audit = AuditEntry::new(AuditAction::Create, object::CASE).by(actor);
        let now = ts(self.now());
        self.write(|tx| {
            // A caseworker named on either side works for that side's agency.
            let refusal = match refusal {
                Some(r) => Some(r),
                None if !works_for(tx, case.jc_staff, Agency::Jobcenter)?
                    || !works_for(tx, case.ja_staff, Agency::Jugendamt)? =>
                {
                    Some(access::Refusal::PartnerAssignment)
                }
                None => None,
            };
            if let Some(r) = refusal {
                log_refusal(tx, &now, actor, None, r)?;
                return Ok(Err(StorageError::Refused(r)));
            }
            Ok(Ok(insert_case(tx, &audit, &case, &now, true)?))
        })?
    }

    /// Saves changes to an existing case. The versions in `case` must be the ones it was
    /// loaded with; if someone saved in between, nothing is written and
    /// [`StorageError::Conflict`] names who saved last.
    pub fn update_case(&self, actor: &Staff, case: &CoopCase) -> Result<(), StorageError> {
        let at = self.now();
        let now = ts(at);
        self.write(|tx| {
            // A case that does not exist or that the actor may not see is refused like a
            // read of it (docs/access.md A7, A9): one `refused` row, reported as not found.
            let Some(stored) = load_case_unchecked(tx, case.id)? else {
                log_refusal_code(tx, &now, actor, Some(case.id), detail::NOT_VISIBLE)?;
                return Ok(Err(StorageError::NotFound));
            };
            // Only the people who work on the case write it (a lead reads, a break-glass
            // grant reads); and each agency writes only the person data it owns.
            let relation = super::casefile::base_relation_to(tx, actor, &stored, at)?;
            // A restricted case is written by nobody, its lead included (docs/access.md A12).
            if relation != Relation::None && super::casefile::is_restricted(tx, stored.id)? {
                let r = access::Refusal::Restricted;
                log_refusal(tx, &now, actor, Some(stored.id), r)?;
                return Ok(Err(StorageError::Refused(r)));
            }
            match relation {
                Relation::Assigned | Relation::Deputy => {}
                Relation::None => {
                    log_refusal_code(tx, &now, actor, Some(stored.id), detail::NOT_VISIBLE)?;
                    return Ok(Err(StorageError::NotFound));
                }
                Relation::Lead | Relation::BreakGlass => {
                    log_refusal_code(tx, &now, actor, Some(stored.id), detail::READ_ONLY)?;
                    return Ok(Err(StorageError::ReadOnly));
                }
            }
            // The other agency's fields, its caseworker and a Fallführung the own agency
            // does not hold stay as stored (docs/access.md A7). A person field the actor
            // may not read arrives empty and means "unchanged".
            let hidden = super::casefile::hidden_fields(tx, actor, &stored, at)?;
            if let Some(r) = refused_change(actor, &stored, case, &hidden, false) {
                log_refusal(tx, &now, actor, Some(stored.id), r)?;
                return Ok(Err(StorageError::Refused(r)));
            }
            let case = &keep_partner_fields(actor, &stored, case);
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
            refresh_read_model(tx, case.id)?;
            // Both rows got a new version: one audit row each, naming the changed fields
            // (possibly none) and keeping their old values in the history.
            let update = |table, id| {
                AuditEntry::new(AuditAction::Update, table)
                    .by(actor)
                    .object(id)
            };
            audit::log_update(
                tx,
                update(object::PERSON, p.id.0).version(p.version + 1),
                &now,
                &person_values(&stored.person),
                &person_values(p),
            )?;
            audit::log_update(
                tx,
                update(object::CASE, case.id.0).version(case.version + 1),
                &now,
                &case_values(&stored),
                &case_values(case),
            )?;
            Ok(Ok(()))
        })?
    }

    /// Inserts many generated cases in batches of short transactions (demo and seed data).
    pub fn insert_cases_bulk(
        &self,
        actor: Option<StaffId>,
        cases: &[CoopCase],
    ) -> Result<(), StorageError> {
        let now = ts(self.now());
        let mut audit = AuditEntry::new(AuditAction::Create, object::CASE).detail(detail::SEED);
        audit.staff = actor;
        // Index inserts land in random places; a large page cache for the duration keeps
        // them in memory instead of re-reading pages (100 000 cases: 17 s → a few s).
        let cache: i64 = self
            .conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn().pragma_update(None, "cache_size", -262_144)?;
        let result = cases.chunks(5000).try_for_each(|chunk| {
            self.write(|tx| {
                for case in chunk {
                    insert_case(tx, &audit, case, &now, false)?;
                }
                Ok(())
            })
        });
        self.conn().pragma_update(None, "cache_size", cache)?;
        result
    }
}

pub(crate) fn conflict(tx: &Transaction<'_>, table: &str, id: i64) -> StorageError {
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

/// Inserts `case` with its person and logs the creation; `audit` carries the actor, their
/// Stelle and the detail. With `log_person` the person gets its own create row; bulk seeds
/// write only the case's row (it names `young_person_id`) to stay fast and small.
fn insert_case(
    tx: &Transaction<'_>,
    audit: &AuditEntry,
    case: &CoopCase,
    now: &str,
    log_person: bool,
) -> Result<CaseId, StorageError> {
    let actor = audit.staff;
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
    let created = |table, id, fields: &[&'static str], more: &[FieldValue]| {
        let mut entry = audit.clone();
        entry.object_type = table;
        entry.object_id = Some(id);
        entry.fields = fields
            .iter()
            .copied()
            .chain(more.iter().map(|f| f.0))
            .collect();
        entry.new_version = Some(1);
        audit::append_at(tx, &entry, now)
    };
    if log_person {
        created(
            object::PERSON,
            person_id,
            &["owner_stelle"],
            &person_values(p),
        )?;
    }
    created(
        object::CASE,
        id.0,
        &["young_person_id", "owner_stelle", "opened_on"],
        &case_values(case),
    )?;
    Ok(id)
}

/// The editable fields of a person in their stored text form, for the audit field list and
/// the change history.
fn person_values(p: &YoungPerson) -> [FieldValue; 10] {
    [
        ("surname", Some(p.surname.clone())),
        ("given_names", Some(p.given_names.clone())),
        ("birth_date", Some(p.birth_date.to_string())),
        ("gender", Some(p.gender.code().to_string())),
        ("address", Some(p.address.clone())),
        ("phone", Some(p.phone.clone())),
        ("email", Some(p.email.clone())),
        ("jc_customer_no", Some(p.jc_customer_no.clone())),
        ("bg_no", Some(p.bg_no.clone())),
        ("ja_file_no", Some(p.ja_file_no.clone())),
    ]
}

/// The editable fields of a case in their stored text form; `reasons` is the sorted,
/// comma-separated list of reason codes.
fn case_values(c: &CoopCase) -> [FieldValue; 9] {
    let mut reasons: Vec<&str> = c.reasons.iter().map(|r| r.code()).collect();
    reasons.sort_unstable();
    reasons.dedup();
    [
        ("status", Some(c.status.code().to_string())),
        ("question", Some(c.question.clone())),
        ("lead_stelle", Some(c.lead.code().to_string())),
        ("jc_staff_id", c.jc_staff.map(|s| s.0.to_string())),
        ("ja_staff_id", c.ja_staff.map(|s| s.0.to_string())),
        ("next_review", c.next_review.map(|d| d.to_string())),
        ("closed_on", c.closed_on.map(|d| d.to_string())),
        (
            "closure_reason",
            c.closure_reason.map(|r| r.code().to_string()),
        ),
        ("reasons", Some(reasons.join(","))),
    ]
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

pub(crate) fn load_case_unchecked(
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
         next_date, name_key, age_key, status_key, jc_key, ja_key, next_key, owner_bit, jc_staff_id, ja_staff_id, \
         restricted) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
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
        case.owner.bit(),
        case.jc_staff.map(|s| s.0),
        case.ja_staff.map(|s| s.0),
        i64::from(super::casefile::is_restricted(tx, id)?),
    ])?;
    tx.prepare_cached("DELETE FROM case_search WHERE case_id = ?1")?
        .execute([id.0])?;
    // Person data can be searched only by the agency that owns it; staff names and status
    // words by both agencies of the case.
    let jc_bit = Agency::Jobcenter.bit();
    let ja_bit = Agency::Jugendamt.bit();
    let mut words: Vec<(String, i64)> = Vec::new();
    for (text, bit) in [
        (&p.surname, case.owner.bit() | NAME_TOKEN),
        (&p.given_names, case.owner.bit() | NAME_TOKEN),
        (&p.jc_customer_no, jc_bit),
        (&p.bg_no, jc_bit),
        (&p.ja_file_no, ja_bit),
    ] {
        words.extend(filter_words(text).into_iter().map(|w| (w, bit)));
    }
    for (g, n) in jc.iter().chain(ja.iter()) {
        words.extend(filter_words(g).into_iter().map(|w| (w, mask)));
        words.extend(filter_words(n).into_iter().map(|w| (w, mask)));
    }
    // Status words are folded like typed text ("requested" is stored as "requsted").
    for w in case.status.search_words() {
        words.extend(filter_words(w).into_iter().map(|w| (w, mask)));
    }
    // One row per word: a word found in fields of both agencies is searchable by both.
    let mut merged: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for (w, bit) in words {
        *merged.entry(w).or_insert(0) |= bit;
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO case_search (token, case_id, visible_to) VALUES (?1, ?2, ?3)",
    )?;
    for (w, bit) in merged {
        // Only agencies that take part in the case may find it by a word.
        let bit = (bit & mask) | (bit & NAME_TOKEN);
        if bit != 0 {
            ins.execute(params![w, id.0, bit])?;
        }
    }
    Ok(())
}

/// Whether `staff` (if any) is an active member of `agency`.
fn works_for(
    tx: &Transaction<'_>,
    staff: Option<StaffId>,
    agency: Agency,
) -> Result<bool, StorageError> {
    let Some(id) = staff else { return Ok(true) };
    Ok(tx
        .query_row(
            "SELECT 1 FROM staff WHERE id = ?1 AND stelle = ?2 AND active = 1",
            params![id.0, agency.code()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// A case with every field empty but its owner, for comparing a new case against.
fn blank_case(case: &CoopCase) -> CoopCase {
    let mut out = case.clone();
    for field in crate::domain::casefile::PERSON_FIELDS {
        super::casefile::blank(&mut out, field);
    }
    out.jc_staff = None;
    out.ja_staff = None;
    out.lead = case.owner;
    out
}

/// The first change from `stored` to `case` that `actor` may not make (docs/access.md A7):
/// a person field of the other agency, the other agency's caseworker, or the Fallführung
/// when the own agency does not hold it. A field in `hidden` may arrive empty.
fn refused_change(
    actor: &Staff,
    stored: &CoopCase,
    case: &CoopCase,
    hidden: &[crate::domain::Field],
    is_new: bool,
) -> Option<access::Refusal> {
    use crate::domain::Field;
    let mut empty = stored.clone();
    for f in hidden {
        super::casefile::blank(&mut empty, *f);
    }
    for field in access::readonly_case_fields(actor.agency, stored.owner, stored.lead, is_new) {
        let changed = match field {
            Field::JcStaff => case.jc_staff != stored.jc_staff,
            Field::JaStaff => case.ja_staff != stored.ja_staff,
            Field::Lead => case.lead != stored.lead,
            f => {
                let new = super::casefile::field_text(case, f);
                new != super::casefile::field_text(stored, f)
                    && !(hidden.contains(&f) && new == super::casefile::field_text(&empty, f))
            }
        };
        if changed {
            return Some(match field {
                Field::JcStaff | Field::JaStaff => access::Refusal::PartnerAssignment,
                Field::Lead => access::Refusal::LeadChange,
                f => access::Refusal::PartnerField(f),
            });
        }
    }
    None
}

/// One `refused` audit row (at `at`) for a refused write of a case, its detail the
/// refusal's code.
fn log_refusal(
    tx: &Transaction<'_>,
    at: &str,
    actor: &Staff,
    case: Option<CaseId>,
    refusal: access::Refusal,
) -> Result<(), StorageError> {
    log_refusal_code(tx, at, actor, case, refusal.code())
}

fn log_refusal_code(
    tx: &Transaction<'_>,
    at: &str,
    actor: &Staff,
    case: Option<CaseId>,
    code: &'static str,
) -> Result<(), StorageError> {
    let mut entry = AuditEntry::new(AuditAction::Refused, object::CASE)
        .by(actor)
        .detail(code);
    if let Some(id) = case {
        entry = entry.object(id.0);
    }
    audit::append_at(tx, &entry, at)?;
    Ok(())
}

/// `case` with every person field that `actor`'s agency does not own put back to its stored
/// value: a partner may have seen it (transferred) or not at all, but never writes it.
fn keep_partner_fields(actor: &Staff, stored: &CoopCase, case: &CoopCase) -> CoopCase {
    use crate::domain::Field;
    use crate::domain::casefile::field_owner;
    let mut out = case.clone();
    let own = |f: Field| field_owner(f, stored.owner) == actor.agency;
    let (p, s) = (&mut out.person, &stored.person);
    if !own(Field::Surname) {
        p.surname.clone_from(&s.surname);
    }
    if !own(Field::GivenNames) {
        p.given_names.clone_from(&s.given_names);
    }
    if !own(Field::BirthDate) {
        p.birth_date = s.birth_date;
    }
    if !own(Field::Gender) {
        p.gender = s.gender;
    }
    if !own(Field::Address) {
        p.address.clone_from(&s.address);
    }
    if !own(Field::Phone) {
        p.phone.clone_from(&s.phone);
    }
    if !own(Field::Email) {
        p.email.clone_from(&s.email);
    }
    if !own(Field::JcCustomerNo) {
        p.jc_customer_no.clone_from(&s.jc_customer_no);
    }
    if !own(Field::BgNo) {
        p.bg_no.clone_from(&s.bg_no);
    }
    if !own(Field::JaFileNo) {
        p.ja_file_no.clone_from(&s.ja_file_no);
    }
    if !own(Field::Reasons) {
        out.reasons.clone_from(&stored.reasons);
    }
    if !own(Field::Question) {
        out.question.clone_from(&stored.question);
    }
    out
}
