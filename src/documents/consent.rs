//! The consent declaration ("Einwilligungserklärung") of a case file, prefilled from a
//! recorded consent: who declares it for whom, the purposes, the data categories, the
//! recipients, how long it holds, that it is voluntary and can be revoked at any time, and
//! the lines to sign (docs/documents.md § 2). Only what the printing person may read in the
//! case file goes in: a withheld declarant or a hidden person field stays out.

use chrono::NaiveDateTime;

use super::{Block, Doc, clean};
use crate::domain::Field;
use crate::domain::consent::{Consent, DeclaredBy};
use crate::domain::date::format_german_date;
use crate::domain::text::sanitize;
use crate::model::casefile::CaseFileView;
use crate::strings::Strings;

/// The declaration of consent `consent` of the case file `view`, made by `author` at
/// `made_at` (Berlin time). German: it is the paper the person signs.
pub fn declaration(
    s: &Strings,
    view: &CaseFileView,
    consent: &Consent,
    author: &str,
    made_at: NaiveDateTime,
) -> Doc {
    let p = &view.case.person;
    let name = format!("{}, {}", clean(&p.surname), clean(&p.given_names));
    // A field the printing person may not read stays out.
    let birth = if view.hidden.contains(&Field::BirthDate) {
        "–".to_string()
    } else {
        format_german_date(p.birth_date)
    };
    let join = |items: Vec<&str>| {
        if items.is_empty() {
            "–".to_string()
        } else {
            items.join(", ")
        }
    };
    let purposes = join(consent.purposes.iter().map(|x| (s.purpose)(*x)).collect());
    let categories = join(
        consent
            .categories
            .iter()
            .map(|x| (s.category)(*x))
            .collect(),
    );
    let mut recipients: Vec<String> = consent
        .recipient_agencies
        .iter()
        .map(|a| (s.agency)(*a).to_string())
        .collect();
    let named: Vec<String> = consent
        .recipient_staff
        .iter()
        .filter_map(|id| view.staff_names.get(id))
        .map(|n| sanitize(n, false))
        .collect();
    if !named.is_empty() {
        recipients.push(format!("namentlich: {}", named.join(", ")));
    }
    if !consent.external_recipients.trim().is_empty() {
        recipients.push(sanitize(consent.external_recipients.trim(), false));
    }
    let withheld = view.declarant_withheld.contains(&consent.id);
    let declarant = if withheld {
        "–".to_string()
    } else {
        (s.declared_by)(consent.declared_by).to_string()
    };
    let mut blocks = vec![
        Block::Para(format!(
            "Einwilligung in die Übermittlung von Sozialdaten zwischen Jobcenter und \
             Jugendamt für junge Menschen unter 25 (Art. 6 Abs. 1 lit. a, Art. 7 DSGVO, \
             § 67b SGB X). Aufgenommen von: {}.",
            (s.agency)(consent.recorded_by)
        )),
        Block::Heading("Person".to_string()),
        Block::Field("Name".to_string(), name),
        Block::Field("Geburtsdatum".to_string(), birth),
        Block::Field("Erklärt durch".to_string(), declarant),
        Block::Heading("Umfang der Einwilligung".to_string()),
        Block::Field("Zwecke".to_string(), purposes),
        Block::Field("Datenkategorien".to_string(), categories),
        Block::Field(
            "Empfänger".to_string(),
            join(recipients.iter().map(String::as_str).collect()),
        ),
        Block::Field(
            "Gültig".to_string(),
            format!(
                "vom {} bis zum {}",
                format_german_date(consent.valid_from),
                format_german_date(consent.valid_until)
            ),
        ),
        Block::Field(
            "Wiederholte Übermittlung".to_string(),
            if consent.recurring { "ja" } else { "nein" }.to_string(),
        ),
        Block::Heading("Freiwilligkeit und Widerruf".to_string()),
        Block::Item(
            "Die Einwilligung ist freiwillig. Wer sie nicht gibt oder widerruft, verliert \
             dadurch keine Leistungen."
                .to_string(),
        ),
        Block::Item(
            "Sie kann jederzeit ohne Angabe von Gründen für die Zukunft widerrufen werden, \
             mündlich oder schriftlich, beim Jobcenter oder beim Jugendamt (Art. 7 Abs. 3 \
             DSGVO). Was bis zum Widerruf übermittelt wurde, bleibt rechtmäßig."
                .to_string(),
        ),
        Block::Item(
            "Nach dem Widerruf oder dem Ende der Gültigkeit werden keine Daten mehr auf \
             Grund dieser Einwilligung übermittelt; die empfangende Stelle nutzt sie nicht \
             weiter."
                .to_string(),
        ),
        Block::Heading("Unterschriften".to_string()),
    ];
    let signer = match consent.declared_by {
        _ if withheld => "Unterschrift der erklärenden Person",
        DeclaredBy::YoungPerson => "Unterschrift der jungen Person",
        DeclaredBy::CustodyHolders => "Unterschrift der/des Sorgeberechtigten",
        DeclaredBy::Guardian => "Unterschrift des Vormunds",
        DeclaredBy::LegalCarer => "Unterschrift der rechtlichen Betreuung",
    };
    blocks.push(Block::Signature(format!("Ort, Datum, {signer}")));
    if consent.declared_by == DeclaredBy::CustodyHolders && !withheld {
        blocks.push(Block::Signature(
            "Ort, Datum, Unterschrift der/des weiteren Sorgeberechtigten".to_string(),
        ));
    }
    blocks.push(Block::Signature(format!(
        "Ort, Datum, Name und Unterschrift für {}",
        (s.agency)(consent.recorded_by)
    )));
    Doc {
        title: "Einwilligungserklärung".to_string(),
        lang: "de",
        author: sanitize(author, false),
        made_at,
        blocks,
    }
}
