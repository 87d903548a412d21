//! The answer to an access request (Art. 15 DSGVO, docs/subject-access.md) as a document
//! (docs/documents.md § 3): the same content as the German text of
//! `tandem subject-export --text` — controller, date, the person, in which capacities data
//! is held, the hints (several matches, redactions), then per capacity every record with
//! its data, purpose, recipients and retention — laid out with headings so that a screen
//! reader can move from record to record.

use chrono::NaiveDateTime;

use super::{Block, Doc};
use crate::model::subject::{SubjectExport, SubjectRecord, SubjectRole, code_label, german_date};

fn record(blocks: &mut Vec<Block>, r: &SubjectRecord) {
    let case = r
        .case_id
        .map_or_else(String::new, |c| format!(", Fall {c}"));
    blocks.push(Block::Subheading(format!(
        "{} Nr. {}{case}",
        r.title, r.record_id
    )));
    let owner = code_label(&r.owner);
    blocks.push(Block::Field(
        "Herkunft".to_string(),
        if r.received {
            format!("übermittelt von {owner}")
        } else {
            format!("eigene Daten ({owner})")
        },
    ));
    for e in &r.entries {
        blocks.push(Block::Field(e.label.clone(), e.value.replace('\n', " / ")));
    }
    blocks.push(Block::Field("Zweck".to_string(), r.purpose.clone()));
    if r.recipients.is_empty() {
        blocks.push(Block::Field(
            "Empfänger".to_string(),
            "keine Übermittlung".to_string(),
        ));
    }
    for x in &r.recipients {
        blocks.push(Block::Field("Empfänger".to_string(), x.describe()));
    }
    blocks.push(Block::Field(
        "Löschklasse".to_string(),
        r.retention.describe(),
    ));
}

/// The access answer `e` as a document made by `author` at `made_at`.
pub fn access_answer(e: &SubjectExport, author: &str, made_at: NaiveDateTime) -> Doc {
    let birth = e
        .query
        .birth_date
        .map_or_else(|| "nicht angegeben".to_string(), german_date);
    let mut blocks = vec![
        Block::Field(
            "Verantwortliche Stelle".to_string(),
            e.controller_name.clone(),
        ),
        Block::Field(
            "Betroffene Person".to_string(),
            format!(
                "{} {} (Geburtsdatum: {birth})",
                e.query.given_names, e.query.surname
            ),
        ),
    ];
    if e.found_as.is_empty() {
        blocks.push(Block::Para(
            "Zu dieser Person sind bei der Stelle keine Daten in Tandem gespeichert.".to_string(),
        ));
    } else {
        let roles: Vec<&str> = e.found_as.iter().map(|r| r.heading()).collect();
        blocks.push(Block::Field("Gespeichert".to_string(), roles.join("; ")));
    }
    for n in &e.notices {
        blocks.push(Block::Field("Hinweis".to_string(), n.clone()));
    }
    if e.redacted > 0 {
        blocks.push(Block::Field(
            "Hinweis".to_string(),
            format!(
                "{} Angaben zu anderen Personen oder anvertraute Mitteilungen sind nicht \
                 beauskunftet (§ 65 SGB VIII, Art. 15 Abs. 4 DSGVO).",
                e.redacted
            ),
        ));
    }
    for role in SubjectRole::ALL {
        let records: Vec<&SubjectRecord> = e.records.iter().filter(|r| r.role == role).collect();
        if records.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(role.heading().to_string()));
        for r in records {
            record(&mut blocks, r);
        }
    }
    Doc {
        title: "Auskunft nach Art. 15 DSGVO".to_string(),
        lang: "de",
        author: author.to_string(),
        made_at,
        blocks,
    }
}
