//! No side channel through order (docs/access.md A6): a case-list row whose name or birth
//! date the viewer may not read is placed by what the viewer sees, never by the withheld
//! value. Checked the strict way: changing the withheld values changes nothing in any
//! ordering of the viewer's list, in any sort column and direction, while the viewer's own
//! cases sit right around the hidden name.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use support::{creatable, demo_store, today};
use tandem::domain::{CaseId, CoopCase, Staff};
use tandem::model::list::{ListQuery, PageAnchor, SortColumn};
use tandem::storage::Store;

fn who(store: &Store, login: &str) -> Staff {
    store.staff_by_login(login).unwrap().unwrap()
}

/// Every row of `viewer`'s list in the order of `sort`/`descending`, walked page by page
/// forwards (keyset anchors), as (case, name shown).
fn walk(
    store: &Store,
    viewer: &Staff,
    sort: SortColumn,
    descending: bool,
) -> Vec<(CaseId, Option<String>)> {
    let q = ListQuery {
        sort,
        descending,
        today: today(),
        ..ListQuery::default()
    };
    let mut out = Vec::new();
    let mut anchor = PageAnchor::First;
    loop {
        let page = store.case_page(viewer, &q, &anchor, 7).unwrap();
        let Some(last) = page.last() else { break };
        anchor = PageAnchor::After(last.key.clone(), last.id);
        out.extend(page.iter().map(|r| (r.id, r.name.clone())));
    }
    assert_eq!(
        out.len(),
        store.case_count(viewer, &q).unwrap(),
        "count = rows"
    );
    // Walking back from the end gives the same order.
    let mut back = Vec::new();
    let mut anchor = PageAnchor::Last;
    loop {
        let page = store.case_page(viewer, &q, &anchor, 5).unwrap();
        let Some(first) = page.first() else { break };
        anchor = PageAnchor::Before(first.key.clone(), first.id);
        back.splice(0..0, page.iter().map(|r| (r.id, r.name.clone())));
    }
    assert_eq!(out, back, "the same order forwards and backwards");
    out
}

/// Every ordering of `viewer`'s list.
fn orderings(store: &Store, viewer: &Staff) -> Vec<Vec<(CaseId, Option<String>)>> {
    let mut all = Vec::new();
    for sort in [
        SortColumn::Name,
        SortColumn::Age,
        SortColumn::Status,
        SortColumn::JcStaff,
        SortColumn::JaStaff,
        SortColumn::NextDate,
    ] {
        for descending in [false, true] {
            all.push(walk(store, viewer, sort, descending));
        }
    }
    all
}

#[test]
fn a_hidden_partner_name_between_two_visible_ones_does_not_place_the_row() {
    let store = demo_store();
    let me = who(&store, "brinkmann");
    // A row of her list whose name the Jugendamt did not transfer.
    let q = ListQuery {
        today: today(),
        ..ListQuery::default()
    };
    let hidden = store
        .case_page(&me, &q, &PageAnchor::First, 1000)
        .unwrap()
        .into_iter()
        .find(|r| r.name.is_none() && r.birth_date.is_none())
        .expect("a withheld row in the demo");
    // Its owner sees the name; the viewer creates cases of her own right around it.
    let owner_staff = {
        let ja = store
            .load_case(&me, hidden.id)
            .unwrap()
            .ja_staff
            .expect("a Jugendamt worker on the case");
        store.staff_by_id(ja).unwrap().unwrap()
    };
    let real: CoopCase = store.load_case(&owner_staff, hidden.id).unwrap();
    let template = {
        let mine = store
            .case_page(&me, &q, &PageAnchor::First, 1000)
            .unwrap()
            .into_iter()
            .find(|r| r.name.is_some())
            .unwrap();
        creatable(&store.load_case(&me, mine.id).unwrap(), me.agency)
    };
    for (surname, days) in [("A", -1), ("B", 1)] {
        let mut c = template.clone();
        c.id = CaseId(0);
        c.version = 0;
        c.person.id = tandem::domain::PersonId(0);
        c.person.surname = format!("{}{surname}", real.person.surname);
        c.person.given_names = real.person.given_names.clone();
        c.person.birth_date = real.person.birth_date + chrono::Duration::days(days);
        c.jc_staff = Some(me.id);
        store.create_case(&me, &c).unwrap();
    }
    let before = orderings(&store, &me);
    // The owner renames the young person and corrects the birth date: nothing the viewer
    // may see changes, so no ordering may change.
    let mut moved = real.clone();
    moved.person.surname = "Aaberg".into();
    moved.person.birth_date = real.person.birth_date - chrono::Duration::days(3000);
    store.update_case(&owner_staff, &moved).unwrap();
    let after = orderings(&store, &me);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "an ordering follows the withheld name or birth date");
    }
    // And the withheld row sits after every row with a readable name, not by the name.
    let by_name = &before[0];
    let at = by_name.iter().position(|(id, _)| *id == hidden.id).unwrap();
    assert!(
        by_name[at..].iter().all(|(_, n)| n.is_none()),
        "withheld rows come last: {by_name:?}"
    );
}

/// Everything a viewer's list shows under one plan: the rows forwards (pages of 7) with
/// their keys, and the count.
fn listing(
    store: &Store,
    viewer: &Staff,
    q: &ListQuery,
) -> (Vec<(CaseId, Option<String>, String)>, usize) {
    let mut out = Vec::new();
    let mut anchor = PageAnchor::First;
    loop {
        let page = store.case_page(viewer, q, &anchor, 7).unwrap();
        let Some(last) = page.last() else { break };
        anchor = PageAnchor::After(last.key.clone(), last.id);
        out.extend(page.into_iter().map(|r| (r.id, r.name, r.key)));
    }
    (out, store.case_count(viewer, q).unwrap())
}

/// The index walk of a whole agency's name-sorted list (docs/performance.md § 2) gives
/// exactly the list of the general plan, which sorts every row: the same rows in the same
/// order with the same names withheld, the same count; and every anchor — backwards from
/// the end, at a row, after it — and every rank agree with that list. Checked for both
/// leads and a caseworker, both directions, unfiltered and with common and rare words, on
/// the demo (transfers, a restricted case, withheld names) and on a seeded office.
#[test]
fn the_index_walk_gives_the_same_list_as_sorting_every_row() {
    use tandem::storage::cases::ListPlan;
    use tandem::storage::testing::set_list_plan;
    let seeded = {
        let store = support::test_store();
        let anchor = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        tandem::demo::write(&store, &tandem::demo::seed_data(400, 5, anchor)).unwrap();
        store
    };
    let mut checked_walks = 0;
    for store in [demo_store(), seeded] {
        for login in ["schwering", "tueshaus", "brinkmann"] {
            let viewer = who(&store, login);
            for filter in ["", "a", "e", "m", "aktiv", "zz"] {
                for descending in [false, true] {
                    let q = ListQuery {
                        filter: filter.into(),
                        descending,
                        today: today(),
                        ..ListQuery::default()
                    };
                    // Every word with an entry counts as common: the walk takes filters too.
                    set_list_plan(
                        &store,
                        ListPlan {
                            walk_names: false,
                            scan_threshold: 0,
                        },
                    );
                    let (general, general_count) = listing(&store, &viewer, &q);
                    set_list_plan(
                        &store,
                        ListPlan {
                            walk_names: true,
                            scan_threshold: 0,
                        },
                    );
                    let (walked, count) = listing(&store, &viewer, &q);
                    let what = format!("{login} {filter:?} descending={descending}");
                    assert_eq!(walked, general, "{what}: rows");
                    assert_eq!(count, general_count, "{what}: count");
                    assert_eq!(walked.len(), count, "{what}: count = rows");
                    // Lists with both segments: names read and names withheld.
                    checked_walks += usize::from(
                        walked.iter().any(|r| r.1.is_some())
                            && walked.iter().any(|r| r.1.is_none()),
                    );
                    // Backwards from the end, pages of 5.
                    let mut back = Vec::new();
                    let mut anchor = PageAnchor::Last;
                    loop {
                        let page = store.case_page(&viewer, &q, &anchor, 5).unwrap();
                        let Some(first) = page.first() else { break };
                        anchor = PageAnchor::Before(first.key.clone(), first.id);
                        back.splice(0..0, page.into_iter().map(|r| (r.id, r.name, r.key)));
                    }
                    assert_eq!(back, walked, "{what}: backwards");
                    for (i, (id, _, key)) in walked.iter().enumerate().step_by(3) {
                        let at = store
                            .case_page(&viewer, &q, &PageAnchor::AtOrAfter(key.clone(), *id), 4)
                            .unwrap();
                        let at: Vec<CaseId> = at.iter().map(|r| r.id).collect();
                        let want: Vec<CaseId> = walked[i..(i + 4).min(walked.len())]
                            .iter()
                            .map(|r| r.0)
                            .collect();
                        assert_eq!(at, want, "{what}: at or after row {i}");
                        assert_eq!(
                            store.case_rank(&viewer, &q, key, *id).unwrap(),
                            i,
                            "{what}: rank of row {i}"
                        );
                    }
                }
            }
        }
        set_list_plan(&store, ListPlan::default());
    }
    assert!(
        checked_walks > 20,
        "lists with both segments: {checked_walks}"
    );
}

/// The count of a long list waits for idle time in a terminal session (docs/performance.md
/// § 2.4): the rows come at once, the count and the rank are pending; a pause computes
/// them, and a key that arrives during the count stops it — the count stays pending and
/// nothing else changes.
#[test]
fn counts_wait_for_idle_time_and_give_way_to_a_key() {
    let store = demo_store();
    let lead = who(&store, "schwering");
    let mut list = tandem::app::CaseList {
        page: 7,
        defer_counts: true,
        query: ListQuery {
            today: today(),
            ..ListQuery::default()
        },
        ..tandem::app::CaseList::default()
    };
    list.reload_first(&store, &lead).unwrap();
    assert_eq!(list.rows.len(), 7);
    assert_eq!(list.shown_total(), None, "the count waits");
    assert_eq!(
        list.position(),
        Some(1),
        "the first page's position is known"
    );
    list.page_down(&store, &lead).unwrap();
    list.refresh(&store, &lead, None).unwrap();
    assert_eq!(list.position(), None, "the rank waits too");
    // A key is waiting all the time: nothing is computed, nothing changes.
    let rows = list.rows.clone();
    assert!(!list.settle(&store, &lead, || true).unwrap());
    assert!(list.unsettled());
    assert_eq!(list.rows, rows);
    // A pause: both are computed, and they are the counts of the list.
    assert!(list.settle(&store, &lead, || false).unwrap());
    assert!(!list.unsettled());
    let all = store.case_count(&lead, &list.query).unwrap();
    assert!(all > 14);
    assert_eq!(list.shown_total(), Some(all));
    assert_eq!(list.position(), Some(8), "the second page's first row");
    // The store's own check: an interrupted query fails as interrupted, not otherwise.
    let e = store
        .interruptible(|| true, |s| s.case_count(&lead, &list.query))
        .unwrap_err();
    assert!(e.is_interrupted(), "{e}");
    assert_eq!(
        store
            .interruptible(|| false, |s| s.case_count(&lead, &list.query))
            .unwrap(),
        all
    );
}
