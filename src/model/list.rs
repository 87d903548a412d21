//! The case list as the user asks for it: filter, sort order, keyset anchors and the rows
//! built for the visible window. Pure data; the store answers these queries and fills the rows.

use chrono::NaiveDate;

use crate::domain::alerts::Alert;
use crate::domain::{CaseId, CaseStatus, Clock};

/// Columns the case list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// Surname, given names (DIN 5007).
    Name,
    /// Age, youngest first.
    Age,
    /// Status in workflow order.
    Status,
    /// Assigned Jobcenter staff.
    JcStaff,
    /// Assigned Jugendamt staff.
    JaStaff,
    /// Next date (review), soonest first, none last.
    NextDate,
}

impl SortColumn {
    /// All columns in display order.
    pub const ALL: [SortColumn; 6] = [
        SortColumn::Name,
        SortColumn::Age,
        SortColumn::Status,
        SortColumn::JcStaff,
        SortColumn::JaStaff,
        SortColumn::NextDate,
    ];

    /// The next column (wrapping), for the "sort by next column" key.
    pub fn next(self) -> SortColumn {
        let i = SortColumn::ALL.iter().position(|c| *c == self).unwrap_or(0);
        SortColumn::ALL[(i + 1) % SortColumn::ALL.len()]
    }
}

/// What the case list shows: filter text and sort order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Filter as typed; every word must match the start of a name, file number, staff name
    /// or status word.
    pub filter: String,
    /// Sort column.
    pub sort: SortColumn,
    /// Reverse order.
    pub descending: bool,
    /// Own caseload, or every case of the own agency (to open one by break-glass).
    pub scope: ListScope,
    /// The day the list is shown for (consents are valid or not as of this day).
    pub today: NaiveDate,
}

/// Which cases the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListScope {
    /// The cases the person is assigned to, deputises for or holds a grant for; a team
    /// lead sees every case of the agency.
    #[default]
    Caseload,
    /// Every case the person's agency takes part in; opening one outside the caseload asks
    /// for a break-glass reason.
    Agency,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            filter: String::new(),
            sort: SortColumn::Name,
            descending: false,
            scope: ListScope::Caseload,
            // The Berlin day by the real clock, never the host's zone (docs/domain.md 7);
            // callers that have a session clock set `today` from it.
            today: Clock::system().today(),
        }
    }
}

/// Where a page starts, in keyset terms (never OFFSET).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAnchor {
    /// The first rows in list order.
    First,
    /// The last rows in list order.
    Last,
    /// Rows after this one.
    After(String, CaseId),
    /// Rows before this one (returned in list order).
    Before(String, CaseId),
    /// This row and the rows after it (to keep the cursor on a row after a refresh).
    AtOrAfter(String, CaseId),
}

/// One row of the case list, built only for visible rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Case id.
    pub id: CaseId,
    /// "Nachname, Vorname(n)"; None when the partner agency owns it and it was not
    /// transferred to the viewer.
    pub name: Option<String>,
    /// Birth date (age is derived with the app's clock); withheld like the name.
    pub birth_date: Option<NaiveDate>,
    /// Status.
    pub status: CaseStatus,
    /// Assigned Jobcenter staff ("V. Nachname") or empty.
    pub jc_staff: String,
    /// Assigned Jugendamt staff or empty.
    pub ja_staff: String,
    /// Next date.
    pub next_date: Option<NaiveDate>,
    /// Keyset position of the row for the current sort.
    pub key: String,
    /// Alerts of the case, as far as the viewer may see their grounds.
    pub alerts: Vec<Alert>,
    /// Whether the case is restricted ("gesperrt", docs/access.md A12); its name and birth
    /// date are then withheld from everyone but the owning Stelle's lead.
    pub restricted: bool,
}
