//! Demo and seed data: deterministic, realistic and entirely fictional staff and cooperation
//! cases for the Jobcenter Kreis Recklinghausen and the Jugendamt der Stadt Herten
//! (docs/domain.md 8).
//!
//! [`demo_data`] builds the small demo set (named staff, about 250 cases with the edge cases
//! of docs/domain.md 8); [`seed_data`] builds any number of cases for load tests; [`write`] puts
//! either into a store. Generation uses its own `SplitMix64` generator, so the same input
//! always gives the same data on every platform.
//!
//! All data is fictional: postcodes 45699/45701 with invented streets, phone numbers in the
//! invalid form "02366 0xxxxx" and e-mail addresses at `example.org`.
//!
//! May use: `domain`, `storage`. Must not use: `ui`, `app`, ratatui.

mod casefiles;
mod conferences;
mod cooperation;
mod early_help;
mod referrals;

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

use crate::domain::date;
use crate::domain::text::search_key;
use crate::domain::{
    Agency, CaseId, CaseStatus, ClosureReason, CoopCase, Gender, PersonId, ReasonCode, Role,
    StaffId, YoungPerson,
};
use crate::storage::staff::NewStaff;
use crate::storage::{StorageError, Store};

/// Login of the Jobcenter U25 caseworker the demo is usually started as (Frau Brinkmann).
pub const DEMO_USER: &str = "brinkmann";

/// The Jugendamt's administrator of the demo (role `admin` only: no case content).
pub const DEMO_JA_ADMIN: &str = "rademacher";

/// The Jobcenter's administrator of the demo (role `admin` only: no case content).
pub const DEMO_JC_ADMIN: &str = "hollmann";

/// Login of the Jugendamt worker who also holds the on-call role (Frau Hegemann).
pub const DEMO_ONCALL_USER: &str = "hegemann";

/// Number of cases in the demo set.
const DEMO_CASES: usize = 250;
/// Seed of the demo set.
const DEMO_SEED: u64 = 0x7A4D_E3A0_2025_0045;
/// Cases per extra generated caseworker in seed data.
const CASES_PER_EXTRA_WORKER: usize = 200;
/// Cases handed to the store per bulk call in [`write`].
const WRITE_CHUNK: usize = 5000;

/// Generated staff and cases, ready for [`write`].
///
/// In `cases`, `jc_staff` and `ja_staff` hold `StaffId(i)` where `i` is the 0-based index
/// into `staff`, not a database id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoData {
    /// Staff members in insertion order.
    pub staff: Vec<NewStaff>,
    /// Cases; staff references are indices into `staff`.
    pub cases: Vec<CoopCase>,
    /// With case files (consents, transfers, custody holders, children, measures, notes and
    /// deputies) relative to this day; the demo has them, bulk seeds do not.
    pub case_files: Option<NaiveDate>,
}

/// The demo set relative to `today`: 27 named staff (12 `jc_u25`, 9 `ja_staff` of whom one
/// is also `ja_oncall` and two will later be `InsoFa`, one lead, one DSB and one admin per
/// agency) and 250 cases including the edge cases of docs/domain.md 8.
pub fn demo_data(today: NaiveDate) -> DemoData {
    let staff = staff_pool();
    let mut rng = SplitMix64::new(DEMO_SEED);
    let mut generator = CaseGenerator::new(today, &staff);
    let demo_user = staff.iter().position(|s| s.login == DEMO_USER);
    let mut cases = Vec::with_capacity(DEMO_CASES);
    for spec in special_cases(&mut rng, today, demo_user) {
        cases.push(generator.case(&mut rng, &spec));
    }
    while cases.len() < DEMO_CASES {
        cases.push(generator.case(&mut rng, &Spec::default()));
    }
    DemoData {
        staff,
        cases,
        case_files: Some(today),
    }
}

/// The demo staff pool plus `cases / 200` generated caseworkers (logins `jc0001`, `ja0001`,
/// `jc0002`, … alternating agency) and exactly `cases` generated cases relative to `anchor`.
/// Fully deterministic for (`cases`, `seed`, `anchor`); linear in `cases`.
pub fn seed_data(cases: usize, seed: u64, anchor: NaiveDate) -> DemoData {
    let mut rng = SplitMix64::new(seed);
    let mut staff = staff_pool();
    let extra = cases / CASES_PER_EXTRA_WORKER;
    staff.reserve(extra);
    for k in 0..extra {
        staff.push(extra_worker(&mut rng, k));
    }
    let mut generator = CaseGenerator::new(anchor, &staff);
    let mut out = Vec::with_capacity(cases);
    for _ in 0..cases {
        out.push(generator.case(&mut rng, &Spec::default()));
    }
    DemoData {
        staff,
        cases: out,
        case_files: None,
    }
}

/// Inserts the staff (`Store::insert_staff`), maps the staff indices of the cases to the ids
/// the store returned and inserts the cases (`Store::insert_cases_bulk` without actor).
/// A case that refers to a staff index outside `data.staff` is refused with
/// [`StorageError::NotFound`] (staff already inserted stay).
pub fn write(store: &Store, data: &DemoData) -> Result<(), StorageError> {
    let ids = store.insert_staff(&data.staff)?;
    let map = |s: Option<StaffId>| -> Result<Option<StaffId>, StorageError> {
        match s {
            None => Ok(None),
            Some(StaffId(i)) => usize::try_from(i)
                .ok()
                .and_then(|i| ids.get(i))
                .copied()
                .map(Some)
                .ok_or(StorageError::NotFound),
        }
    };
    for chunk in data.cases.chunks(WRITE_CHUNK) {
        let mapped = chunk
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.jc_staff = map(c.jc_staff)?;
                c.ja_staff = map(c.ja_staff)?;
                Ok(c)
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        store.insert_cases_bulk(None, &mapped)?;
    }
    if let Some(today) = data.case_files {
        casefiles::write(store, &ids, today)?;
        // The rota first: the demo's referrals were received by the on-call worker in her
        // shifts.
        referrals::write_rota(store, today)?;
        referrals::write(store, today)?;
        early_help::write(store)?;
        cooperation::write_before(store, today)?;
        conferences::write(store, today)?;
        cooperation::write_after(store, today)?;
        // The demo's staff were told of the revocations in its history long ago
        // (docs/casework.md § 3): the login line starts clean.
        for s in store.active_staff()? {
            store.take_revocation_notices(&s)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------

/// `SplitMix64` (Steele, Lea, Flood 2014): tiny, fast and good enough for fictional data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 if `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// A number in `lo..=hi` (`lo` if the range is empty).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = u64::try_from(hi - lo).unwrap_or(0).saturating_add(1);
        lo + i64::try_from(self.below(span)).unwrap_or(0)
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// An index into a slice of length `len` (0 if empty).
    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(u64::try_from(len).unwrap_or(0))).unwrap_or(0)
    }

    /// One element of a list of names ("" if the list is empty).
    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items.get(self.index(items.len())).copied().unwrap_or("")
    }

    /// One value by weight; `fallback` if all weights are 0.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)], fallback: T) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut x = self.below(total);
        for (item, w) in items {
            let w = u64::from(*w);
            if x < w {
                return *item;
            }
            x -= w;
        }
        fallback
    }
}

// ---------------------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------------------

/// (login, given name, surname, agency, roles) of the named staff pool.
#[rustfmt::skip]
const STAFF: [(&str, &str, &str, Agency, &[Role]); 27] = [
    ("brinkmann", "Sabine", "Brinkmann", Agency::Jobcenter, &[Role::JcU25]),
    ("karaca", "Murat", "Karaca", Agency::Jobcenter, &[Role::JcU25]),
    ("nowicki", "Marek", "Nowicki", Agency::Jobcenter, &[Role::JcU25]),
    ("moellers", "Stefanie", "Möllers", Agency::Jobcenter, &[Role::JcU25]),
    ("bussmann", "Thorsten", "Bußmann", Agency::Jobcenter, &[Role::JcU25]),
    ("sahin", "Derya", "Şahin", Agency::Jobcenter, &[Role::JcU25]),
    ("wojcik", "Katarzyna", "Wójcik", Agency::Jobcenter, &[Role::JcU25]),
    ("tenhagen", "Jens", "Tenhagen", Agency::Jobcenter, &[Role::JcU25]),
    ("grossewilde", "Nadine", "Große-Wilde", Agency::Jobcenter, &[Role::JcU25]),
    ("overbeck", "Rüdiger", "Overbeck", Agency::Jobcenter, &[Role::JcU25]),
    ("dogan", "Yasemin", "Doğan", Agency::Jobcenter, &[Role::JcU25]),
    ("becker", "Irina", "Becker", Agency::Jobcenter, &[Role::JcU25]),
    ("schwering", "Ludger", "Schwering", Agency::Jobcenter, &[Role::Lead]),
    ("wiemers", "Frank", "Wiemers", Agency::Jobcenter, &[Role::Dpo]),
    ("dabrowska", "Ewa", "Dąbrowska-Lenz", Agency::Jugendamt, &[Role::JaStaff]),
    ("hegemann", "Kathrin", "Hegemann", Agency::Jugendamt, &[Role::JaStaff, Role::JaOncall]),
    ("straeter", "Björn", "Sträter", Agency::Jugendamt, &[Role::JaStaff]),
    ("aksoy", "Leyla", "Aksoy", Agency::Jugendamt, &[Role::JaStaff]),
    // Pieper and Schröer become "Insoweit erfahrene Fachkraft" once functions exist.
    ("pieper", "Michael", "Pieper", Agency::Jugendamt, &[Role::JaStaff]),
    ("schroeer", "Julia", "Schröer", Agency::Jugendamt, &[Role::JaStaff]),
    ("kaczmarek", "Andrzej", "Kaczmarek", Agency::Jugendamt, &[Role::JaStaff]),
    ("huesken", "Miriam", "Hüsken", Agency::Jugendamt, &[Role::JaStaff]),
    ("wagner", "Olga", "Wagner", Agency::Jugendamt, &[Role::JaStaff]),
    ("tueshaus", "Monika", "Tüshaus", Agency::Jugendamt, &[Role::Lead]),
    ("kloeckner", "Petra", "Klöckner", Agency::Jugendamt, &[Role::Dpo]),
    ("rademacher", "Dirk", "Rademacher", Agency::Jugendamt, &[Role::Admin]),
    ("hollmann", "Annette", "Hollmann", Agency::Jobcenter, &[Role::Admin]),
];

/// Lower-case ASCII form of a name for logins and e-mail addresses ("Dąbrowska-Lenz" →
/// "dabrowska-lenz").
fn ascii_name(s: &str) -> String {
    search_key(s)
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect()
}

/// Office e-mail of a staff member: "s.brinkmann@example.org".
fn staff_email(given: &str, surname: &str) -> String {
    let initial: String = ascii_name(given).chars().take(1).collect();
    format!("{initial}.{}@example.org", ascii_name(surname))
}

fn staff_pool() -> Vec<NewStaff> {
    STAFF
        .iter()
        .zip(0u32..)
        .map(|(&(login, given, surname, agency, roles), i)| NewStaff {
            login: login.to_string(),
            surname: surname.to_string(),
            given_name: given.to_string(),
            agency,
            roles: roles.to_vec(),
            phone: format!("02366 0{:05}", 30_100 + i * 7),
            email: staff_email(given, surname),
        })
        .collect()
}

/// The `k`-th extra caseworker of seed data: even `k` Jobcenter ("jc0001", …), odd `k`
/// Jugendamt ("ja0001", …).
fn extra_worker(rng: &mut SplitMix64, k: usize) -> NewStaff {
    let (agency, prefix, role) = if k.is_multiple_of(2) {
        (Agency::Jobcenter, "jc", Role::JcU25)
    } else {
        (Agency::Jugendamt, "ja", Role::JaStaff)
    };
    let gender = if rng.chance(600) {
        Gender::Female
    } else {
        Gender::Male
    };
    let (surname, given_name) = random_name(rng, gender);
    let number = k / 2 + 1;
    NewStaff {
        login: format!("{prefix}{number:04}"),
        email: format!("{prefix}{number:04}@example.org"),
        phone: format!("02366 0{:05}", rng.below(100_000)),
        surname,
        given_name,
        agency,
        roles: vec![role],
    }
}

// ---------------------------------------------------------------------------------------
// Names (docs/domain.md 8); "male|female" marks surnames with gendered forms
// ---------------------------------------------------------------------------------------

#[rustfmt::skip]
const GERMAN_SURNAMES: &[&str] = &[
    "Schäfer", "Müller", "Mueller", "Weiß", "Groß", "Kößler", "Brüggemann", "Hölscher",
    "Schulte-Heß", "Übing", "Tewes", "Meier", "Meyer", "Schmitz", "Wessels", "Kuhlmann", "Böckmann",
    "Hüls", "Terhorst", "Jürgens", "Vogt", "Krüger", "Neumann", "Schröder", "Bergmann", "Wiesmann",
    "Lohmann", "Kemper", "Dörr", "Overkamp", "Strauß", "Heßling", "Große-Kleimann", "Tenbrink",
    "Hülsmann", "Schulte", "Fischer", "Hoffmann", "Köhler", "Pöppelmann", "Niehues", "Rößler",
    "Buschmann", "Wöstmann", "Lange",
];
#[rustfmt::skip]
const GERMAN_MALE: &[&str] = &[
    "Lukas", "Sören", "Maximilian", "Jonas", "Finn", "Ben", "Leon", "Niklas", "Tim", "Luca",
    "Jannik", "Marvin", "Dennis", "Kevin", "Justin", "Pascal", "Tobias", "Till", "Moritz", "Nils",
    "Felix", "Paul", "Elias", "Jörg", "Jan-Luca", "Björn", "Fabian", "Julian",
];
#[rustfmt::skip]
const GERMAN_FEMALE: &[&str] = &[
    "Jana", "Lea", "Mia", "Paula", "Lena", "Laura", "Sophie", "Anna-Lena", "Michelle", "Jessica",
    "Chantal", "Celina", "Vanessa", "Sarah", "Jule", "Hannah", "Emily", "Lara", "Leonie", "Marie",
    "Jasmin", "Nicole", "Jördis", "Lisa-Marie", "Annika",
];
/// Old-established Ruhr-Polish families: Polish surnames, German given names.
#[rustfmt::skip]
const RUHR_POLISH_SURNAMES: &[&str] = &[
    "Kowalski", "Schimanski", "Kaminski", "Wolniak", "Lewandowski", "Grabowski", "Tomczak",
    "Rutkowski", "Przybilla", "Sobczak", "Kuczera", "Pawlowski", "Czerwinski", "Szepanski", "Nowak",
    "Gorny", "Matuschek",
];
#[rustfmt::skip]
const POLISH_SURNAMES: &[&str] = &[
    "Wiśniewski|Wiśniewska", "Szymański|Szymańska", "Nowak", "Kowalczyk", "Wójcik",
    "Kamiński|Kamińska", "Zieliński|Zielińska", "Woźniak", "Mazur", "Krawczyk",
    "Michalski|Michalska", "Łuczak", "Jabłoński|Jabłońska", "Dąbrowski|Dąbrowska", "Kaczmarek",
    "Sikora", "Głowacki|Głowacka",
];
#[rustfmt::skip]
const POLISH_MALE: &[&str] = &[
    "Łukasz", "Kacper", "Mateusz", "Jakub", "Bartosz", "Szymon", "Piotr", "Michał", "Paweł",
    "Wojciech", "Dawid", "Kamil",
];
#[rustfmt::skip]
const POLISH_FEMALE: &[&str] = &[
    "Zuzanna", "Katarzyna", "Agnieszka", "Natalia", "Wiktoria", "Aleksandra", "Julia", "Małgorzata",
    "Magdalena", "Oliwia", "Weronika",
];
#[rustfmt::skip]
const TURKISH_SURNAMES: &[&str] = &[
    "Yılmaz", "Kaya", "Öztürk", "Demir", "Aydın", "Çelik", "Şahin", "Yıldız", "Arslan", "Doğan",
    "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özdemir", "Erdoğan", "Güneş", "Polat", "Bulut",
    "Karataş", "Akgün",
];
#[rustfmt::skip]
const TURKISH_MALE: &[&str] = &[
    "Emre", "Mehmet", "Can", "Burak", "Mustafa", "Yusuf", "Ömer", "Furkan", "Kerem", "Enes",
    "Baran", "Mert", "Arda", "Eren", "Hüseyin", "Oğuz", "Mehmet Ali",
];
#[rustfmt::skip]
const TURKISH_FEMALE: &[&str] = &[
    "Elif", "Zeynep", "Büşra", "Merve", "Ayşe", "Esra", "Melike", "Sıla", "Gülşen", "Hatice",
    "İrem", "Cansu", "Ebru", "Tuğba", "Dilara",
];
#[rustfmt::skip]
const ARABIC_SURNAMES: &[&str] = &[
    "Al-Hassan", "Haddad", "Khalil", "Saleh", "El-Zein", "Abdullah", "Hamdan", "Mansour", "Nasser",
    "Al-Ahmad", "Ibrahim", "Youssef", "Othman", "Darwish", "Al-Khatib", "Kassem", "Hussein",
    "Suleiman",
];
#[rustfmt::skip]
const ARABIC_MALE: &[&str] = &[
    "Omar", "Yousef", "Mohammed", "Muhammad", "Ahmad", "Ali", "Hassan", "Khaled", "Karim", "Bilal",
    "Mahmoud", "Tarek", "Samer", "Rami", "Jamal",
];
#[rustfmt::skip]
const ARABIC_FEMALE: &[&str] = &[
    "Layla", "Amira", "Fatima", "Nour", "Rania", "Hiba", "Lina", "Yasmin", "Aya", "Maryam", "Sara",
    "Dana", "Rasha", "Hanan",
];
#[rustfmt::skip]
const RUSSIAN_SURNAMES: &[&str] = &[
    "Iwanow|Iwanowa", "Petrow|Petrowa", "Schmidt", "Kusnezow|Kusnezowa", "Bondarenko",
    "Schewtschenko", "Kowalenko", "Wolkow|Wolkowa", "Dück", "Janzen", "Friesen", "Penner",
    "Martens", "Tkatschenko", "Melnyk", "Sokolow|Sokolowa", "Morosow|Morosowa", "Hein",
];
#[rustfmt::skip]
const RUSSIAN_MALE: &[&str] = &[
    "Dmitri", "Viktor", "Artem", "Maxim", "Alexander", "Waldemar", "Eduard", "Nikita", "Andrej",
    "Denis", "Ilja", "Roman", "Daniil", "Bohdan", "Taras",
];
#[rustfmt::skip]
const RUSSIAN_FEMALE: &[&str] = &[
    "Anastasia", "Olga", "Alina", "Jelena", "Natalia", "Kristina", "Swetlana", "Daria", "Polina",
    "Viktoria", "Oksana", "Sofia", "Irina",
];
/// Given names used for "divers" and "ohne Angabe".
const NEUTRAL_GIVEN: &[&str] = &[
    "Kim", "Robin", "Alex", "Luca", "Charlie", "Sascha", "Deniz", "Noa",
];

/// Name pools: (surnames, male given names, female given names); German first, then
/// Ruhr-Polish, Polish, Turkish, Arabic, Russian-German/Ukrainian.
#[rustfmt::skip]
const ORIGINS: [(&[&str], &[&str], &[&str]); 6] = [
    (GERMAN_SURNAMES, GERMAN_MALE, GERMAN_FEMALE),
    (RUHR_POLISH_SURNAMES, GERMAN_MALE, GERMAN_FEMALE),
    (POLISH_SURNAMES, POLISH_MALE, POLISH_FEMALE),
    (TURKISH_SURNAMES, TURKISH_MALE, TURKISH_FEMALE),
    (ARABIC_SURNAMES, ARABIC_MALE, ARABIC_FEMALE),
    (RUSSIAN_SURNAMES, RUSSIAN_MALE, RUSSIAN_FEMALE),
];
/// (index into [`ORIGINS`], weight in per cent).
const ORIGIN_WEIGHTS: [(usize, u32); 6] = [(0, 45), (1, 10), (2, 7), (3, 18), (4, 10), (5, 10)];

/// The form of a "male|female" surname for `gender`.
fn surname_form(entry: &'static str, gender: Gender) -> &'static str {
    match entry.split_once('|') {
        Some((_, female)) if gender == Gender::Female => female,
        Some((male, _)) => male,
        None => entry,
    }
}

/// A random (surname, given names) pair; families mix (German given name with a Turkish
/// surname), some people have two given names.
fn random_name(rng: &mut SplitMix64, gender: Gender) -> (String, String) {
    let origin = rng.weighted(&ORIGIN_WEIGHTS, 0);
    let (surnames, male, female) = ORIGINS.get(origin).copied().unwrap_or(ORIGINS[0]);
    let surname = surname_form(rng.pick(surnames), gender);
    // About one in eight children of immigrant families has a German given name.
    let (male, female) = if origin >= 2 && rng.chance(125) {
        (GERMAN_MALE, GERMAN_FEMALE)
    } else {
        (male, female)
    };
    let pool = match gender {
        Gender::Male => male,
        Gender::Female => female,
        Gender::Diverse | Gender::Unspecified => NEUTRAL_GIVEN,
    };
    let first = rng.pick(pool);
    let given = if rng.chance(100) {
        let second = rng.pick(pool);
        if second == first || second.contains(' ') || first.contains(' ') {
            first.to_string()
        } else {
            format!("{first} {second}")
        }
    } else {
        first.to_string()
    };
    (surname.to_string(), given)
}

// ---------------------------------------------------------------------------------------
// Addresses, numbers, texts
// ---------------------------------------------------------------------------------------

/// Invented streets (Herten has none of these).
#[rustfmt::skip]
const STREETS: &[&str] = &[
    "Am Förderturm", "Kohlenpottweg", "Lampenstubenstraße", "Kauenweg", "Zechenbahnweg",
    "Grubenwehrstraße", "Hauerweg", "Schachtring", "Am Seilscheibenhang", "Flözweg", "Haldenblick",
    "Im Löwenzahn", "Birkenkamp", "Ulmenhof", "Am Kükenbusch", "Holunderstieg", "Zur Waschkaue",
    "Schlägelstraße", "Lüftungsweg", "Große Heidestraße", "Steigerkamp", "Brikettweg",
    "Am Grubenpferd", "Markenkontrolle", "Weißdornstraße", "Fördermaschinenweg",
];

/// Days from `d` by `n` (negative: back); `d` itself if out of range.
fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    TimeDelta::try_days(n)
        .and_then(|t| d.checked_add_signed(t))
        .unwrap_or(d)
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(12 * years)).unwrap_or(d)
}

/// A birth date at which a person is exactly `age` on `today`.
fn birth_for_age(rng: &mut SplitMix64, today: NaiveDate, age: u32) -> NaiveDate {
    let latest = years_before(today, age);
    let earliest = add_days(years_before(today, age + 1), 1);
    let birth = add_days(earliest, rng.range(0, days_between(earliest, latest)));
    if date::age_on(birth, today) == age {
        birth
    } else {
        latest
    }
}

/// A birth date following the age distribution of docs/domain.md 8 (15–17: 15 %, 18–20: 40 %,
/// 21–24: 45 %).
fn random_birth(rng: &mut SplitMix64, today: NaiveDate) -> NaiveDate {
    let band = rng.weighted(
        &[((15, 17), 150), ((18, 20), 400), ((21, 24), 450)],
        (18, 20),
    );
    let age = u32::try_from(rng.range(band.0, band.1)).unwrap_or(18);
    birth_for_age(rng, today, age)
}

fn random_gender(rng: &mut SplitMix64) -> Gender {
    rng.weighted(
        &[
            (Gender::Male, 550),
            (Gender::Female, 440),
            (Gender::Diverse, 5),
            (Gender::Unspecified, 5),
        ],
        Gender::Male,
    )
}

/// "Fragestellung" opening sentences per reason.
fn question_texts(reason: ReasonCode, gender: Gender) -> &'static [&'static str] {
    match reason {
        ReasonCode::TrainingDropout => &[
            "Ausbildung im ersten Lehrjahr abgebrochen. Welche Anschlussperspektive (neue Ausbildung, EQ, BvB) ist realistisch?",
            "Schule ohne Abschluss verlassen. Wie kann der Hauptschulabschluss nachgeholt werden, und wer begleitet dabei?",
            "Abbruch der Berufsfachschule. Berufswunsch, Motivation und Unterstützungsbedarf gemeinsam klären.",
        ],
        ReasonCode::Housing => &[
            "Droht wohnungslos zu werden, übernachtet bei Freunden. Ist ein Auszug nach § 22 Abs. 5 SGB II begründet, und welche Wohnform passt?",
            "Wunsch nach eigener Wohnung. Stellungnahme des Jugendamts zu § 22 Abs. 5 SGB II erbeten.",
        ],
        ReasonCode::FamilyConflict => &[
            "Massiver Konflikt mit den Eltern, Auszug steht im Raum. Gemeinsame Einschätzung der Familiensituation und möglicher Hilfen.",
            "Streit im Elternhaus eskaliert wiederholt. Kommt Beratung, Hilfe zur Erziehung oder Hilfe nach § 41 SGB VIII in Frage?",
        ],
        ReasonCode::YoungParents if gender == Gender::Female => &[
            "Junge Mutter, alleinerziehend, Kind unter einem Jahr. Kinderbetreuung und Einstieg in Ausbildung abstimmen.",
            "Schwangerschaft bekannt. Welche Hilfen (Frühe Hilfen, Mutter-Kind-Einrichtung, Leistungen nach SGB II) sind abzustimmen?",
        ],
        ReasonCode::YoungParents => &[
            "Junge Eltern mit Kleinkind im Haushalt. Betreuung des Kindes und Arbeitssuche aufeinander abstimmen.",
        ],
        ReasonCode::Addiction => &[
            "Regelmäßiger Cannabiskonsum, Termine werden häufig versäumt. Anbindung an die Suchtberatung (§ 16a SGB II) prüfen.",
            "Alkoholkonsum gefährdet die Maßnahme. Gemeinsames Vorgehen von Jobcenter und Jugendamt abstimmen.",
        ],
        ReasonCode::MentalStrain => &[
            "Starke psychische Belastung, zieht sich zurück. Zugang zu Beratung oder Therapie und eine passende Tagesstruktur klären.",
            "Angststörung diagnostiziert. Ist eine Eingliederungshilfe nach § 35a SGB VIII zu prüfen?",
        ],
        ReasonCode::Debt => &[
            "Schulden aus Handyverträgen, Inkassoschreiben. Schuldnerberatung vermitteln und Kontopfändung abwenden.",
        ],
        ReasonCode::Offending => &[
            "Jugendstrafverfahren anhängig, Auflagen der Jugendgerichtshilfe. Termine mit der Maßnahme im Jobcenter abstimmen.",
        ],
        ReasonCode::Truancy => &[
            "Seit Monaten kaum Schulbesuch. Mit der Schule Ursachen klären und die Rückkehr in den Unterricht planen.",
        ],
        ReasonCode::LostContact => &[
            "Meldet sich nicht mehr, Einladungen bleiben unbeantwortet. Wie kann der Kontakt wiederhergestellt werden (§ 16h SGB II)?",
            "Kontaktabbruch nach Leistungsminderung. Aufsuchende Ansprache über die Jugendberufshilfe prüfen.",
        ],
        ReasonCode::Transition => &[
            "Hilfe nach § 41 SGB VIII endet in einigen Monaten. Übergang ins SGB II vorbereiten (§ 36b SGB VIII).",
            "Auszug aus der Wohngruppe geplant. Anschlussversorgung und Leistungen nach SGB II klären.",
        ],
    }
}

/// Short German label of a reason for the "Zusätzlich" sentence.
fn reason_label(reason: ReasonCode) -> &'static str {
    match reason {
        ReasonCode::TrainingDropout => "Schul-/Ausbildungsabbruch",
        ReasonCode::Housing => "Wohnungsnot",
        ReasonCode::FamilyConflict => "Familienkonflikt",
        ReasonCode::YoungParents => "junge Elternschaft",
        ReasonCode::Addiction => "Suchtmittelkonsum",
        ReasonCode::MentalStrain => "psychische Belastung",
        ReasonCode::Debt => "Schulden",
        ReasonCode::Offending => "Straffälligkeit",
        ReasonCode::Truancy => "Schulabsentismus",
        ReasonCode::LostContact => "fehlende Mitwirkung",
        ReasonCode::Transition => "Übergang aus der Jugendhilfe",
    }
}

fn question(rng: &mut SplitMix64, reasons: &[ReasonCode], gender: Gender) -> String {
    let Some(&first) = reasons.first() else {
        return String::new();
    };
    let mut text = rng.pick(question_texts(first, gender)).to_string();
    let others: Vec<&str> = reasons.iter().skip(1).map(|r| reason_label(*r)).collect();
    if !others.is_empty() {
        text.push_str(" Zusätzlich: ");
        text.push_str(&others.join(", "));
        text.push('.');
    }
    text
}

/// "Anlass" following docs/domain.md 8 (multi-select, at least one).
fn random_reasons(rng: &mut SplitMix64, age: u32, gender: Gender) -> Vec<ReasonCode> {
    use ReasonCode::{
        Addiction, Debt, FamilyConflict, Housing, LostContact, MentalStrain, Offending,
        TrainingDropout, Transition, Truancy, YoungParents,
    };
    let parent_chance = if gender == Gender::Female { 330 } else { 60 };
    let candidates = [
        (TrainingDropout, true, 250),
        (FamilyConflict, true, 200),
        (Housing, age >= 17, 100),
        (YoungParents, age >= 16, parent_chance),
        (MentalStrain, true, 150),
        (Addiction, true, 100),
        (Debt, age >= 18, 120),
        (Offending, true, 50),
        (Truancy, age <= 17, 300),
        (LostContact, true, 150),
        (Transition, (17..=21).contains(&age), 70),
    ];
    let mut reasons: Vec<ReasonCode> = candidates
        .iter()
        .filter(|&&(_, allowed, p)| allowed && rng.chance(p))
        .map(|c| c.0)
        .collect();
    if reasons.is_empty() {
        reasons.push(rng.weighted(
            &[
                (TrainingDropout, 25),
                (FamilyConflict, 20),
                (MentalStrain, 15),
                (LostContact, 15),
                (Addiction, 10),
                (if age >= 18 { Debt } else { Truancy }, 10),
                (Offending, 5),
            ],
            TrainingDropout,
        ));
    }
    reasons.sort();
    reasons.dedup();
    reasons
}

// ---------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------

/// Fixed parts of a case to generate; everything left `None` is random.
#[derive(Debug, Clone, Default)]
struct Spec {
    surname: Option<&'static str>,
    given: Option<&'static str>,
    gender: Option<Gender>,
    birth: Option<NaiveDate>,
    status: Option<CaseStatus>,
    owner: Option<Agency>,
    /// Index of the Jobcenter caseworker.
    jc_staff: Option<usize>,
}

/// Caseworkers of one agency as indices into the staff list.
struct Workers {
    index: Vec<usize>,
}

impl Workers {
    fn of(staff: &[NewStaff], role: Role) -> Workers {
        Workers {
            index: (0..staff.len())
                .filter(|&i| staff.get(i).is_some_and(|s| s.roles.contains(&role)))
                .collect(),
        }
    }

    fn pick(&self, rng: &mut SplitMix64) -> Option<StaffId> {
        self.index
            .get(rng.index(self.index.len()))
            .and_then(|&i| i64::try_from(i).ok())
            .map(StaffId)
    }
}

/// Generates cases one by one; keeps the running numbers that must stay unique.
struct CaseGenerator {
    today: NaiveDate,
    jc: Workers,
    ja: Workers,
    serial: u64,
    ja_file_no: BTreeMap<i32, u32>,
}

impl CaseGenerator {
    fn new(today: NaiveDate, staff: &[NewStaff]) -> CaseGenerator {
        CaseGenerator {
            today,
            jc: Workers::of(staff, Role::JcU25),
            ja: Workers::of(staff, Role::JaStaff),
            serial: 0,
            ja_file_no: BTreeMap::new(),
        }
    }

    #[expect(
        clippy::similar_names,
        reason = "jc_/ja_ name the two agencies, as in CoopCase"
    )]
    fn case(&mut self, rng: &mut SplitMix64, spec: &Spec) -> CoopCase {
        let today = self.today;
        let gender = spec.gender.unwrap_or_else(|| random_gender(rng));
        let birth = spec.birth.unwrap_or_else(|| random_birth(rng, today));
        let age = date::age_on(birth, today);
        let (random_surname, random_given) = random_name(rng, gender);
        let surname = spec.surname.map_or(random_surname, str::to_string);
        let given_names = spec.given.map_or(random_given, str::to_string);
        let status = spec.status.unwrap_or_else(|| {
            rng.weighted(
                &[
                    (CaseStatus::Requested, 6),
                    (CaseStatus::ConsentPending, 8),
                    (CaseStatus::Active, 55),
                    (CaseStatus::Dormant, 7),
                    (CaseStatus::Closed, 19),
                    (CaseStatus::Declined, 5),
                ],
                CaseStatus::Active,
            )
        });
        let owner = spec.owner.unwrap_or_else(|| {
            if rng.chance(600) {
                Agency::Jobcenter
            } else {
                Agency::Jugendamt
            }
        });
        let lead = if rng.chance(750) {
            owner
        } else {
            owner.partner()
        };
        let (opened_on, closed_on) = self.dates(rng, status, birth);
        let jc_staff = if let Some(i) = spec.jc_staff {
            i64::try_from(i).ok().map(StaffId)
        } else {
            let chance = match (owner, status) {
                (Agency::Jobcenter, _) => 970,
                (Agency::Jugendamt, CaseStatus::Requested) => 600,
                (Agency::Jugendamt, _) => 900,
            };
            if rng.chance(chance) {
                self.jc.pick(rng)
            } else {
                None
            }
        };
        let ja_staff = if status != CaseStatus::Requested || owner == Agency::Jugendamt {
            self.ja.pick(rng)
        } else {
            None
        };
        let reasons = random_reasons(rng, age, gender);
        let question = question(rng, &reasons, gender);
        let closure_reason = (status == CaseStatus::Closed).then(|| random_closure(rng));
        let next_review = self.next_review(rng, status, opened_on);
        let mut person = YoungPerson {
            id: PersonId(0),
            surname,
            given_names,
            birth_date: birth,
            gender,
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            jc_customer_no: String::new(),
            bg_no: String::new(),
            ja_file_no: String::new(),
            version: 0,
        };
        contact(rng, &mut person);
        let jc_involved = owner == Agency::Jobcenter || jc_staff.is_some();
        let ja_involved = owner == Agency::Jugendamt || ja_staff.is_some();
        self.numbers(rng, &mut person, jc_involved, ja_involved, opened_on);
        CoopCase {
            id: CaseId(0),
            person,
            owner,
            status,
            reasons,
            question,
            lead,
            jc_staff,
            ja_staff,
            opened_on,
            next_review,
            closed_on,
            closure_reason,
            version: 0,
        }
    }

    /// "Angelegt am" within about two years (never before the 14th birthday) and, for
    /// closed and declined cases, "Abgeschlossen am" between opening and today.
    fn dates(
        &self,
        rng: &mut SplitMix64,
        status: CaseStatus,
        birth: NaiveDate,
    ) -> (NaiveDate, Option<NaiveDate>) {
        let today = self.today;
        let max_ago = days_between(date::birthday_in_year(birth, 14), today).clamp(0, 730);
        let (lo, hi) = match status {
            CaseStatus::Requested => (0, 20),
            CaseStatus::ConsentPending => (3, 45),
            CaseStatus::Active => (20, 730),
            CaseStatus::Dormant => (90, 730),
            CaseStatus::Closed => (45, 730),
            CaseStatus::Declined => (10, 730),
        };
        let ago = rng.range(lo.min(max_ago), hi.min(max_ago));
        let opened_on = add_days(today, -ago);
        let closed_on = match status {
            CaseStatus::Closed => Some(add_days(opened_on, rng.range(ago.min(30), ago))),
            CaseStatus::Declined => Some(add_days(opened_on, rng.range(ago.min(2), ago.min(25)))),
            _ => None,
        };
        (opened_on, closed_on)
    }

    /// "Wiedervorlage": open cases mostly within the next three months, some overdue, some
    /// without; never before the opening date.
    fn next_review(
        &self,
        rng: &mut SplitMix64,
        status: CaseStatus,
        opened_on: NaiveDate,
    ) -> Option<NaiveDate> {
        let today = self.today;
        let ahead = |rng: &mut SplitMix64, lo, hi| Some(add_days(today, rng.range(lo, hi)));
        let review = match status {
            CaseStatus::Requested if rng.chance(700) => Some(add_days(opened_on, 14)),
            CaseStatus::ConsentPending if rng.chance(850) => ahead(rng, 1, 30),
            CaseStatus::Active => match rng.below(100) {
                0..=79 => ahead(rng, 1, 90),
                80..=89 => ahead(rng, -30, -1),
                _ => None,
            },
            CaseStatus::Dormant if rng.chance(600) => ahead(rng, 14, 90),
            _ => None,
        };
        review.map(|d| d.max(opened_on))
    }

    /// Jobcenter numbers when the Jobcenter is involved, the Jugendamt file number when the
    /// Jugendamt is. Customer and BG numbers are unique for up to a million cases.
    #[expect(
        clippy::similar_names,
        reason = "jc_/ja_ name the two agencies, as in CoopCase"
    )]
    fn numbers(
        &mut self,
        rng: &mut SplitMix64,
        p: &mut YoungPerson,
        jc_involved: bool,
        ja_involved: bool,
        opened_on: NaiveDate,
    ) {
        self.serial += 1;
        let serial = self.serial;
        if jc_involved && rng.chance(970) {
            // Multiplying by a number coprime to 10^n permutes 0..10^n: unique, unordered.
            p.jc_customer_no = format!("234D{:06}", (serial * 7_919 + 104_729) % 1_000_000);
            if rng.chance(920) {
                p.bg_no = format!("23401//{:07}", (serial * 15_485_863 + 3_571) % 10_000_000);
            }
        }
        if ja_involved {
            let year = opened_on.year();
            let counter = self.ja_file_no.entry(year).or_insert(0);
            *counter += 1 + u32::try_from(rng.below(3)).unwrap_or(0);
            p.ja_file_no = format!("51-{year}-{:04}", *counter);
        }
    }
}

/// Address, phone and e-mail (each sometimes missing).
fn contact(rng: &mut SplitMix64, p: &mut YoungPerson) {
    if rng.chance(970) {
        let letter = if rng.chance(100) { "a" } else { "" };
        let postcode = if rng.chance(550) { "45699" } else { "45701" };
        p.address = format!(
            "{} {}{letter}, {postcode} Herten",
            rng.pick(STREETS),
            rng.range(1, 120)
        );
    }
    if rng.chance(850) {
        p.phone = format!("02366 0{:05}", rng.below(100_000));
    }
    if rng.chance(650) {
        let given = ascii_name(p.given_names.split(' ').next().unwrap_or_default());
        let surname = ascii_name(&p.surname);
        let year = p.birth_date.year() % 100;
        let local = match rng.below(3) {
            0 => format!("{given}.{surname}"),
            1 => format!("{given}{surname}{year:02}"),
            _ => format!("{surname}.{given}{}", rng.range(1, 99)),
        };
        if !given.is_empty() && !surname.is_empty() {
            p.email = format!("{local}@example.org");
        }
    }
}

fn random_closure(rng: &mut SplitMix64) -> ClosureReason {
    // "25. Lebensjahr vollendet" cannot occur: every generated person is under 25 today.
    rng.weighted(
        &[
            (ClosureReason::Training, 20),
            (ClosureReason::Work, 15),
            (ClosureReason::JcProgramme, 12),
            (ClosureReason::YouthHelp, 12),
            (ClosureReason::Housing, 10),
            (ClosureReason::School, 8),
            (ClosureReason::LostContact, 8),
            (ClosureReason::MovedAway, 6),
            (ClosureReason::ConsentRevoked, 5),
            (ClosureReason::Other, 4),
        ],
        ClosureReason::Other,
    )
}

// ---------------------------------------------------------------------------------------
// Edge cases of the demo set
// ---------------------------------------------------------------------------------------

/// The young people named in docs/domain.md 8.
#[rustfmt::skip]
const NAMED: [(&str, &str, Gender); 31] = [
    ("Schäfer", "Lukas", Gender::Male),
    ("Weiß", "Sören", Gender::Male),
    ("Groß", "Maximilian", Gender::Male),
    ("Kößler", "Lea", Gender::Female),
    ("Brüggemann", "Jörg", Gender::Male),
    ("Hölscher", "Mia", Gender::Female),
    ("Schulte-Heß", "Ben", Gender::Male),
    ("Übing", "Paula", Gender::Female),
    ("Tewes", "Finn", Gender::Male),
    ("Kowalski", "Kevin", Gender::Male),
    ("Schimanski", "Nicole", Gender::Female),
    ("Wiśniewska", "Zuzanna", Gender::Female),
    ("Szymański", "Łukasz", Gender::Male),
    ("Nowak", "Kacper", Gender::Male),
    ("Kowalczyk", "Mateusz", Gender::Male),
    ("Yılmaz", "Emre", Gender::Male),
    ("Kaya", "Elif", Gender::Female),
    ("Öztürk", "Mehmet", Gender::Male),
    ("Demir", "Zeynep", Gender::Female),
    ("Aydın", "Can", Gender::Male),
    ("Çelik", "Büşra", Gender::Female),
    ("Al-Hassan", "Omar", Gender::Male),
    ("Haddad", "Layla", Gender::Female),
    ("Khalil", "Yousef", Gender::Male),
    ("Saleh", "Amira", Gender::Female),
    ("Iwanow", "Dmitri", Gender::Male),
    ("Petrowa", "Anastasia", Gender::Female),
    ("Schmidt", "Viktor", Gender::Male),
    ("Kusnezowa", "Olga", Gender::Female),
    ("Bondarenko", "Artem", Gender::Male),
    ("Yıldız", "Sıla", Gender::Female),
];

/// Named people assigned to the demo user.
const NAMED_FOR_DEMO_USER: [&str; 6] = [
    "Schulte-Heß",
    "Yılmaz",
    "Szymański",
    "Çelik",
    "Kowalski",
    "Haddad",
];

/// 29 February of a leap year at which the person is 15–24 on `today` (2004 if possible).
fn leap_birthday(today: NaiveDate) -> Option<NaiveDate> {
    let ok = |d: &NaiveDate| (15..=24).contains(&date::age_on(*d, today));
    NaiveDate::from_ymd_opt(2004, 2, 29).filter(ok).or_else(|| {
        (today.year() - 25..=today.year() - 15)
            .rev()
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 2, 29))
            .find(ok)
    })
}

/// The fixed people and situations of docs/domain.md 8: named people, near-duplicates, a
/// 29 February birthday, people 60–90 days before their 25th birthday, one turning 18.
fn special_cases(rng: &mut SplitMix64, today: NaiveDate, demo_user: Option<usize>) -> Vec<Spec> {
    let mut specs: Vec<Spec> = NAMED
        .iter()
        .map(|&(surname, given, gender)| Spec {
            surname: Some(surname),
            given: Some(given),
            gender: Some(gender),
            jc_staff: demo_user.filter(|_| NAMED_FOR_DEMO_USER.contains(&surname)),
            ..Spec::default()
        })
        .collect();
    let person =
        |surname: &'static str, given: &'static str, gender: Gender, birth: NaiveDate| Spec {
            surname: Some(surname),
            given: Some(given),
            gender: Some(gender),
            birth: Some(birth),
            ..Spec::default()
        };
    // Transliteration variants of one person, once at each agency (duplicate check).
    let el_zein = birth_for_age(rng, today, 19);
    specs.push(Spec {
        owner: Some(Agency::Jobcenter),
        status: Some(CaseStatus::Active),
        jc_staff: demo_user,
        ..person("El-Zein", "Mohammed", Gender::Male, el_zein)
    });
    specs.push(Spec {
        owner: Some(Agency::Jugendamt),
        status: Some(CaseStatus::Requested),
        ..person("El-Zein", "Muhammad", Gender::Male, el_zein)
    });
    // Müller/Mueller: same birth date; Meier/Meyer: different people.
    let mueller = birth_for_age(rng, today, 17);
    specs.push(Spec {
        jc_staff: demo_user,
        ..person("Müller", "Jana", Gender::Female, mueller)
    });
    specs.push(person("Mueller", "Jana", Gender::Female, mueller));
    specs.push(person(
        "Meier",
        "Marvin",
        Gender::Male,
        birth_for_age(rng, today, 20),
    ));
    specs.push(person(
        "Meyer",
        "Marvin",
        Gender::Male,
        birth_for_age(rng, today, 22),
    ));
    if let Some(leap) = leap_birthday(today) {
        specs.push(Spec {
            status: Some(CaseStatus::Active),
            jc_staff: demo_user,
            ..person("Kuhlmann", "Lara", Gender::Female, leap)
        });
    }
    // 60–90 days before the 25th birthday (alert and proposal to close).
    let near_25 = [
        ("Arslan", "Burak", Gender::Male, 62),
        ("Janzen", "Kristina", Gender::Female, 70),
        ("Große-Kleimann", "Tobias", Gender::Male, 77),
        ("Mansour", "Rania", Gender::Female, 84),
        ("Łuczak", "Dawid", Gender::Male, 89),
    ];
    for (k, (surname, given, gender, days)) in near_25.into_iter().enumerate() {
        let birth = years_before(add_days(today, days), 25);
        specs.push(Spec {
            status: Some(CaseStatus::Active),
            jc_staff: demo_user.filter(|_| k < 2),
            ..person(surname, given, gender, birth)
        });
    }
    // Turns 18 in three weeks; consent signed by the parents so far.
    specs.push(Spec {
        status: Some(CaseStatus::ConsentPending),
        jc_staff: demo_user,
        ..person(
            "Hülsmann",
            "Celina",
            Gender::Female,
            years_before(add_days(today, 21), 18),
        )
    });
    // A dormant case of the demo user.
    specs.push(Spec {
        status: Some(CaseStatus::Dormant),
        jc_staff: demo_user,
        ..person("Kılıç", "Oğuz", Gender::Male, birth_for_age(rng, today, 21))
    });
    specs
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::list::ListQuery;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn anchors() -> [NaiveDate; 5] {
        [
            d(2026, 3, 14),
            d(2028, 2, 29),
            d(2025, 1, 1),
            d(2027, 12, 31),
            d(2026, 2, 28),
        ]
    }

    fn check_valid(data: &DemoData, today: NaiveDate) {
        let n_staff = data.staff.len();
        for case in &data.cases {
            let copy = case.clone();
            assert_eq!(copy.validate(Some(case.status), today), Ok(()), "{case:?}");
            let age = case.person.age_on(today);
            assert!((15..=24).contains(&age), "age {age}: {case:?}");
            assert!(!case.reasons.is_empty());
            assert!(!case.question.is_empty());
            assert!(case.opened_on <= today);
            assert!(case.opened_on >= add_days(today, -731));
            match case.status {
                CaseStatus::Closed => {
                    assert!(case.closure_reason.is_some());
                    let closed = case.closed_on.expect("closed_on of closed case");
                    assert!(closed >= case.opened_on && closed <= today);
                }
                CaseStatus::Declined => {
                    let closed = case.closed_on.expect("closed_on of declined case");
                    assert!(closed >= case.opened_on && closed <= today);
                    assert!(case.next_review.is_none());
                }
                _ => assert!(case.closed_on.is_none() && case.closure_reason.is_none()),
            }
            for (sid, agency, role) in [
                (case.jc_staff, Agency::Jobcenter, Role::JcU25),
                (case.ja_staff, Agency::Jugendamt, Role::JaStaff),
            ] {
                if let Some(StaffId(i)) = sid {
                    let i = usize::try_from(i).expect("index");
                    assert!(i < n_staff);
                    assert_eq!(data.staff[i].agency, agency);
                    assert!(data.staff[i].roles.contains(&role));
                }
            }
            let ja_involved = case.owner == Agency::Jugendamt || case.ja_staff.is_some();
            assert_eq!(!case.person.ja_file_no.is_empty(), ja_involved, "{case:?}");
            if case.status == CaseStatus::Requested && case.owner == Agency::Jobcenter {
                assert!(case.ja_staff.is_none());
            }
            let p = &case.person;
            assert!(p.address.is_empty() || p.address.ends_with("Herten"));
            assert!(
                p.address.is_empty()
                    || p.address.contains(", 45699 ")
                    || p.address.contains(", 45701 ")
            );
            assert!(p.phone.is_empty() || (p.phone.starts_with("02366 0") && p.phone.len() == 12));
            if !p.email.is_empty() {
                let (local, domain) = p.email.split_once('@').expect("@");
                assert_eq!(domain, "example.org");
                assert!(
                    local.chars().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == '.'
                        || c == '-'),
                    "{local}"
                );
            }
        }
    }

    #[test]
    fn seed_is_deterministic() {
        let a = seed_data(1000, 7, d(2026, 3, 14));
        let b = seed_data(1000, 7, d(2026, 3, 14));
        assert_eq!(a, b);
        assert_ne!(a.cases, seed_data(1000, 8, d(2026, 3, 14)).cases);
        assert_eq!(demo_data(d(2026, 3, 14)), demo_data(d(2026, 3, 14)));
    }

    #[test]
    fn generated_cases_are_valid() {
        for today in anchors() {
            let demo = demo_data(today);
            assert_eq!(demo.cases.len(), DEMO_CASES);
            check_valid(&demo, today);
            let seed = seed_data(3000, 99, today);
            assert_eq!(seed.cases.len(), 3000);
            check_valid(&seed, today);
        }
    }

    #[test]
    fn distributions_roughly_hold() {
        let today = d(2026, 3, 14);
        let data = seed_data(20_000, 1, today);
        let float = |n: usize| f64::from(u32::try_from(n).expect("small count"));
        let n = float(data.cases.len());
        let share =
            |f: &dyn Fn(&CoopCase) -> bool| float(data.cases.iter().filter(|c| f(c)).count()) / n;
        let age = |c: &CoopCase| c.person.age_on(today);
        let young = share(&|c| (15..=17).contains(&age(c)));
        let middle = share(&|c| (18..=20).contains(&age(c)));
        let older = share(&|c| (21..=24).contains(&age(c)));
        assert!((0.13..=0.17).contains(&young), "{young}");
        assert!((0.37..=0.43).contains(&middle), "{middle}");
        assert!((0.42..=0.48).contains(&older), "{older}");
        let male = share(&|c| c.person.gender == Gender::Male);
        let female = share(&|c| c.person.gender == Gender::Female);
        assert!((0.52..=0.58).contains(&male), "{male}");
        assert!((0.41..=0.47).contains(&female), "{female}");
        let active = share(&|c| c.status == CaseStatus::Active);
        assert!((0.5..=0.6).contains(&active), "{active}");
        let dropout = share(&|c| c.reasons.contains(&ReasonCode::TrainingDropout));
        assert!((0.22..=0.36).contains(&dropout), "{dropout}");
        let open_with_review = share(&|c| c.status.is_open() && c.next_review.is_some());
        let open = share(&|c| c.status.is_open());
        assert!(open_with_review / open > 0.7);
        // The demo set is small but shows the same picture.
        let demo = demo_data(today);
        let older = demo
            .cases
            .iter()
            .filter(|c| c.person.age_on(today) >= 21)
            .count();
        assert!((90..=140).contains(&older), "{older}");
    }

    #[test]
    fn demo_has_every_state_and_the_edge_cases() {
        let today = d(2026, 3, 14);
        let demo = demo_data(today);
        for status in CaseStatus::ALL {
            assert!(demo.cases.iter().any(|c| c.status == status), "{status:?}");
        }
        assert!(
            demo.cases
                .iter()
                .any(|c| c.person.birth_date == d(2004, 2, 29))
        );
        let near_25 = demo
            .cases
            .iter()
            .filter(|c| (60..=90).contains(&days_between(today, c.person.u25_end())))
            .count();
        assert!(near_25 >= 5, "{near_25}");
        for name in ["Mohammed", "Muhammad"] {
            assert!(
                demo.cases
                    .iter()
                    .any(|c| c.person.surname == "El-Zein" && c.person.given_names == name)
            );
        }
        for name in [
            "Müller",
            "Mueller",
            "Meier",
            "Meyer",
            "Schulte-Heß",
            "Yılmaz",
            "Szymański",
        ] {
            assert!(
                demo.cases.iter().any(|c| c.person.surname == name),
                "{name}"
            );
        }
        let gender = |g| demo.cases.iter().filter(|c| c.person.gender == g).count();
        assert!(gender(Gender::Male) > 100 && gender(Gender::Female) > 80);
    }

    #[test]
    fn staff_pool_and_logins() {
        let demo = demo_data(d(2026, 3, 14));
        let with = |role| {
            demo.staff
                .iter()
                .filter(|s| s.roles.contains(&role))
                .count()
        };
        assert_eq!(with(Role::JcU25), 12);
        assert_eq!(with(Role::JaStaff), 9);
        assert_eq!(with(Role::JaOncall), 1);
        assert_eq!(with(Role::Lead), 2);
        assert_eq!(with(Role::Dpo), 2);
        assert_eq!(with(Role::Admin), 2);
        let users: Vec<_> = demo.staff.iter().filter(|s| s.login == DEMO_USER).collect();
        assert_eq!(users.len(), 1);
        assert!(users[0].roles.contains(&Role::JcU25));
        assert_eq!(users[0].agency, Agency::Jobcenter);
        let oncall = demo
            .staff
            .iter()
            .find(|s| s.login == DEMO_ONCALL_USER)
            .expect("on-call user");
        assert!(oncall.roles.contains(&Role::JaOncall) && oncall.roles.contains(&Role::JaStaff));
        assert_eq!(oncall.agency, Agency::Jugendamt);

        let seed = seed_data(1000, 3, d(2026, 3, 14));
        assert_eq!(seed.staff.len(), demo.staff.len() + 5);
        assert_eq!(seed.staff[27].login, "jc0001");
        assert_eq!(seed.staff[28].login, "ja0001");
        assert_eq!(seed.staff[29].login, "jc0002");
        assert_eq!(seed.staff[28].agency, Agency::Jugendamt);
        for data in [&demo, &seed] {
            let logins: HashSet<&str> = data.staff.iter().map(|s| s.login.as_str()).collect();
            assert_eq!(logins.len(), data.staff.len());
            for s in &data.staff {
                assert!(
                    s.login
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                    "{}",
                    s.login
                );
                assert!(s.phone.starts_with("02366 0") && s.email.ends_with("@example.org"));
                assert!(!s.roles.is_empty());
            }
        }
    }

    #[test]
    fn seed_scales_linearly() {
        let start = std::time::Instant::now();
        let data = seed_data(100_000, 5, d(2026, 3, 14));
        assert_eq!(data.cases.len(), 100_000);
        assert_eq!(data.staff.len(), 27 + 500);
        let numbers: HashSet<&str> = data
            .cases
            .iter()
            .map(|c| c.person.jc_customer_no.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let with_number = data
            .cases
            .iter()
            .filter(|c| !c.person.jc_customer_no.is_empty())
            .count();
        assert_eq!(numbers.len(), with_number, "customer numbers are unique");
        // Generous bound for unoptimised test builds; release is far faster.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn write_into_store() {
        let store = Store::open_in_memory().expect("store");
        let demo = demo_data(d(2026, 3, 14));
        write(&store, &demo).expect("write demo data");
        let user = store
            .staff_by_login(DEMO_USER)
            .expect("query")
            .expect("demo user");
        let count = store
            .case_count(&user, &ListQuery::default())
            .expect("count");
        assert!(count > 0, "{count}");
        let oncall = store
            .staff_by_login(DEMO_ONCALL_USER)
            .expect("query")
            .expect("on-call user");
        assert!(oncall.has_role(Role::JaOncall));
        let dpo = store
            .staff_by_login("wiemers")
            .expect("query")
            .expect("dpo");
        assert_eq!(
            store
                .case_count(&dpo, &ListQuery::default())
                .expect("count"),
            0
        );
    }

    #[test]
    fn write_refuses_unknown_staff_index() {
        let store = Store::open_in_memory().expect("store");
        let mut demo = demo_data(d(2026, 3, 14));
        demo.cases.truncate(1);
        demo.cases[0].jc_staff = Some(StaffId(999));
        assert!(matches!(write(&store, &demo), Err(StorageError::NotFound)));
    }
}
