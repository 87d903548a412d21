//! The planning form's case field: a case number or a name. A number shows the young
//! person's name (or the withheld mark) right beside it; a name is searched in the viewer's
//! case list as the list filter searches (docs/domain.md, search), and several matches are
//! offered as a choice that puts the chosen number into the field.

use crate::app::App;
use crate::app::rows::{RowEditor, RowItem};
use crate::domain::CaseId;
use crate::domain::date::age_on;
use crate::domain::text::sanitize;
use crate::model::list::{CaseRow, ListQuery, PageAnchor};
use crate::strings::conf::ConfField;

/// Key of the choice row with the matches of a typed name.
pub(super) const PICK: &str = "case_pick";

/// How many matches the choice offers; more are counted, not listed.
const SHOWN: usize = 8;

/// What the typed case field refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CaseRef {
    /// Nothing typed.
    Empty,
    /// One case of the viewer's list (by number, or the only match of a name).
    Found(CaseRow),
    /// A number that is not in the viewer's list (or does not exist: the same to her).
    UnknownNumber,
    /// A name that matches nothing.
    NoMatch,
    /// A name that matches several cases: the first [`SHOWN`] and the total.
    Several(Vec<CaseRow>, usize),
}

impl CaseRef {
    /// The case the form plans for, when there is exactly one.
    pub(super) fn id(&self) -> Option<CaseId> {
        match self {
            CaseRef::Found(row) => Some(row.id),
            _ => None,
        }
    }
}

/// Resolves the typed `text` in the viewer's case list.
pub(super) fn resolve(app: &App, text: &str) -> CaseRef {
    let text = text.trim();
    if text.is_empty() {
        return CaseRef::Empty;
    }
    let query = ListQuery {
        today: app.today(),
        ..ListQuery::default()
    };
    if let Ok(n) = text.trim_start_matches('#').parse::<i64>() {
        return match app.store.case_row(&app.me, &query, CaseId(n)) {
            Ok(Some(row)) => CaseRef::Found(row),
            _ => CaseRef::UnknownNumber,
        };
    }
    let query = ListQuery {
        filter: text.to_string(),
        ..query
    };
    let rows = app
        .store
        .case_page(&app.me, &query, &PageAnchor::First, SHOWN)
        .unwrap_or_default();
    match rows.len() {
        0 => CaseRef::NoMatch,
        1 => rows
            .into_iter()
            .next()
            .map_or(CaseRef::NoMatch, CaseRef::Found),
        _ => {
            let total = app.store.case_count(&app.me, &query).unwrap_or(rows.len());
            CaseRef::Several(rows, total)
        }
    }
}

/// The name of `row` as the list shows it: sanitised, or the withheld mark.
fn name_of(app: &App, row: &CaseRow) -> String {
    row.name
        .as_deref()
        .map_or_else(|| app.strings.withheld.to_string(), |n| sanitize(n, false))
}

/// Shows `found` in the form: a note beside the case field, and the choice of matches
/// right below it when a name matches several cases. Keeps the focus.
pub(super) fn place_case_rows(form: &mut RowEditor, app: &App, found: &CaseRef) {
    let s = app.strings.conf;
    let key = form.current().map(|r| r.key.clone());
    form.rows.retain(|r| r.key != PICK);
    let note = match found {
        CaseRef::Empty | CaseRef::Several(..) => None,
        CaseRef::Found(row) => Some((s.case_found)(
            &name_of(app, row),
            row.birth_date.map(|b| age_on(b, app.today())),
        )),
        CaseRef::UnknownNumber => Some(format!("⚠ {}", s.case_unknown)),
        CaseRef::NoMatch => Some(format!("⚠ {}", s.case_no_match)),
    };
    let Some(at) = form.rows.iter().position(|r| r.key == "case_no") else {
        return;
    };
    form.rows[at].note = note.map(|n| format!("  {n}"));
    if let CaseRef::Several(rows, total) = found {
        let mut options = vec![(String::new(), format!("– {} –", (s.case_several)(*total)))];
        options.extend(rows.iter().map(|r| {
            (
                r.id.0.to_string(),
                (s.case_option)(r.id.0, &name_of(app, r)),
            )
        }));
        form.rows.insert(
            at + 1,
            RowItem::choice(PICK, s.label(ConfField::CasePick), options, ""),
        );
    }
    if let Some(k) = key {
        form.focus(&k);
    }
}
