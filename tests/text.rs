//! Odd text (issue #16): names typed without their special letters find the case
//! (docs/architecture.md § 5.8), and hostile or odd characters in names neither break the
//! layout nor leave stale cells (§ 6).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod support;

use std::collections::BTreeSet;

use support::{keys, test_app};
use tandem::app::App;
use tandem::domain::CaseId;
use tandem::model::list::{ListQuery, PageAnchor};

/// Types `filter` into the case filter of `app` (words separated by spaces), returns the
/// number of matches and the ids on the first page, and clears the filter again.
fn filter(app: &mut App, filter: &str) -> (usize, BTreeSet<CaseId>) {
    let typed = filter.split(' ').collect::<Vec<_>>().join(" <space> ");
    keys(app, &format!("/ {typed}"));
    assert_eq!(app.cases.list.query.filter, filter);
    let found = (
        app.cases.list.total,
        app.cases.list.rows.iter().map(|r| r.id).collect(),
    );
    keys(app, "<enter> <esc>");
    assert_eq!(app.cases.list.query.filter, "");
    found
}

/// The leads of both agencies: between them they see every case of the demo by name.
fn leads() -> [App; 2] {
    [test_app("schwering"), test_app("tueshaus")]
}

/// The demo's young people and staff whose names have special letters (src/demo.rs), as
/// written and as typed on a keyboard without those letters — both ways for ä, ö, ü.
#[rustfmt::skip]
const TYPED: &[(&str, &[&str])] = &[
    ("schäfer lukas", &["schafer lukas", "schaefer lukas"]),
    ("weiß sören", &["weiss soren", "weiss soeren"]),
    ("groß maximilian", &["gross maximilian"]),
    ("kößler lea", &["kossler lea", "koessler lea"]),
    ("brüggemann jörg", &["bruggemann jorg", "brueggemann joerg"]),
    ("hölscher mia", &["holscher mia", "hoelscher mia"]),
    ("schulte-heß ben", &["schulte-hess ben", "schulte hess ben"]),
    ("übing paula", &["ubing paula", "uebing paula"]),
    ("wiśniewska zuzanna", &["wisniewska zuzanna"]),
    ("szymański łukasz", &["szymanski lukasz"]),
    ("yılmaz emre", &["yilmaz emre"]),
    ("öztürk mehmet", &["ozturk mehmet", "oeztuerk mehmet"]),
    ("aydın can", &["aydin can"]),
    ("çelik büşra", &["celik busra", "celik buesra"]),
    ("yıldız sıla", &["yildiz sila"]),
    ("müller jana", &["muller jana", "mueller jana"]),
    // Staff names (both agencies of a case may filter by them).
    ("möllers", &["mollers", "moellers"]),
    ("bußmann", &["bussmann"]),
    ("şahin", &["sahin"]),
    ("wójcik", &["wojcik"]),
    ("große-wilde", &["grosse-wilde", "grosse wilde"]),
    ("doğan", &["dogan"]),
    ("dąbrowska-lenz", &["dabrowska-lenz"]),
    ("sträter", &["strater", "straeter"]),
    ("schröer", &["schroer", "schroeer"]),
    ("hüsken", &["husken", "huesken"]),
];

#[test]
fn names_typed_without_special_letters_find_the_case() {
    let mut apps = leads();
    for (written, typings) in TYPED {
        let exact: Vec<_> = apps.iter_mut().map(|a| filter(a, written)).collect();
        assert!(
            exact.iter().any(|(n, _)| *n > 0),
            "{written} is in the demo data"
        );
        for typed in *typings {
            for (app, want) in apps.iter_mut().zip(&exact) {
                let got = filter(app, typed);
                assert_eq!(&got, want, "{typed:?} finds what {written:?} finds");
            }
        }
    }
}

#[test]
fn mueller_and_mueller_meet_whichever_way_they_are_typed() {
    let [mut jc, mut ja] = leads();
    for app in [&mut jc, &mut ja] {
        let (n, _) = filter(app, "mueller");
        for typed in ["müller", "muller", "mul", "mue", "mü"] {
            assert!(filter(app, typed).0 >= n, "{typed}");
        }
        assert_eq!(filter(app, "muller"), filter(app, "mueller"));
        assert_eq!(filter(app, "müller"), filter(app, "mueller"));
    }
}

/// The test's own keyboard rule for one letter: its typings without special letters.
fn typings_of(c: char) -> &'static [&'static str] {
    match c {
        'ä' => &["a", "ae"],
        'ö' => &["o", "oe"],
        'ü' => &["u", "ue"],
        'ß' => &["ss"],
        'ą' => &["a"],
        'ç' | 'ć' | 'č' => &["c"],
        'ę' | 'é' | 'è' | 'ě' => &["e"],
        'ğ' => &["g"],
        'ı' | 'í' => &["i"],
        'ł' => &["l"],
        'ń' | 'ň' => &["n"],
        'ó' => &["o"],
        'ř' => &["r"],
        'ś' | 'ş' | 'š' => &["s"],
        'ź' | 'ż' | 'ž' => &["z"],
        _ => &[],
    }
}

/// Every way of typing `word` by [`typings_of`]: all base letters, or all two-letter forms.
fn typed_forms(word: &str) -> Vec<String> {
    let mut forms = vec![String::new(), String::new()];
    for c in word.chars().flat_map(char::to_lowercase) {
        let t = typings_of(c);
        if t.is_empty() {
            assert!(
                c.is_ascii(),
                "the test's keyboard rule lacks {c:?} of {word}"
            );
        }
        for (i, form) in forms.iter_mut().enumerate() {
            match t {
                [] => form.push(c),
                [one] => form.push_str(one),
                [plain, two] => form.push_str(if i == 0 { plain } else { two }),
                _ => unreachable!(),
            }
        }
    }
    forms.dedup();
    forms
}

#[test]
fn every_demo_name_with_special_letters_is_found_typed_plainly() {
    for app in leads() {
        let store = app.store();
        let me = &app.me;
        let all = store
            .case_page(me, &ListQuery::default(), &PageAnchor::First, 100_000)
            .unwrap();
        let words: BTreeSet<String> = all
            .iter()
            .filter_map(|r| r.name.as_deref())
            .flat_map(|n| n.split([',', ' ', '-']))
            .filter(|w| !w.is_ascii())
            .map(str::to_string)
            .collect();
        assert!(words.len() > 40, "the demo has many such names: {words:?}");
        for word in words {
            let count = |f: &str| {
                let q = ListQuery {
                    filter: f.into(),
                    ..ListQuery::default()
                };
                store.case_count(me, &q).unwrap()
            };
            let exact = count(&word);
            assert!(exact > 0, "{word}");
            for typed in typed_forms(&word) {
                assert!(count(&typed) >= exact, "{typed:?} finds every {word:?}");
            }
        }
    }
}
