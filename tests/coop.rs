//! F5 Kooperation in the store (docs/cooperation.md): plenary flow with decisions carried
//! across years, hospitation rules, access, and the yearly report on the demo database.

mod support;

use support::{demo_store, today};
use tandem::domain::calendar::WorkCalendar;

#[test]
fn print_demo_report() {
    let store = demo_store();
    let lead = store.staff_by_login("schwering").unwrap().unwrap();
    let r = store
        .year_report(&lead, 2026, 3, true, &WorkCalendar::default())
        .unwrap();
    let s = tandem::strings::Strings::get(tandem::strings::Lang::De);
    for l in tandem::ui::report::lines(s, &r, 80) {
        println!("{l}");
    }
    let _ = today();
}
