//! The receipt confirmation for a referral's reporter ("Eingangsbestätigung", docs/domain.md
//! 4.5; docs/documents.md § 3): that the Jugendamt received the child-protection referral,
//! when and under which number, and who took it. Nothing of the assessment: the receipt
//! is always allowed, content feedback is a separate answer with its own legal basis.

use chrono::NaiveDateTime;

use super::{Block, Doc, clean};
use crate::domain::text::sanitize;
use crate::domain::tz::to_local;
use crate::model::referral::Referral;

/// "25.11.2026 um 10:00 Uhr".
fn at(t: NaiveDateTime) -> String {
    format!("{} um {} Uhr", t.format("%d.%m.%Y"), t.format("%H:%M"))
}

/// The receipt of `r`, or None while it is not received. `phone` is the Jugendamt's office
/// number (configuration).
pub fn receipt(r: &Referral, phone: &str, author: &str, made_at: NaiveDateTime) -> Option<Doc> {
    let received = to_local(r.received_at?);
    let number = r
        .row
        .ja_ref
        .as_deref()
        .map_or_else(|| "–".to_string(), clean);
    let by =
        r.ja.as_ref()
            .and_then(|j| j.received_by.as_deref())
            .map_or_else(|| "–".to_string(), clean);
    let mut blocks = vec![
        Block::Field("An".to_string(), clean(&r.row.reporter)),
        Block::Field("Vorgangsnummer".to_string(), number.clone()),
        Block::Para(format!(
            "Ihre Mitteilung zum Kinderschutz vom {} ist am {} beim Jugendamt \
             eingegangen. Sie wird unter der Vorgangsnummer {number} bearbeitet.",
            at(to_local(r.row.sent_at)),
            at(received)
        )),
        Block::Field("Entgegengenommen von".to_string(), by),
        Block::Para(
            "Diese Bestätigung sagt nur, dass Ihre Mitteilung eingegangen ist. Ob das \
             Jugendamt gewichtige Anhaltspunkte sieht und tätig wird, teilt es Ihnen \
             gesondert mit, soweit das zulässig ist."
                .to_string(),
        ),
        Block::Para(
            "Bitte nennen Sie bei Rückfragen und Nachträgen die Vorgangsnummer. Neue \
             Beobachtungen melden Sie bitte sofort als Nachtrag."
                .to_string(),
        ),
    ];
    if !phone.trim().is_empty() {
        blocks.push(Block::Field(
            "Telefon Jugendamt".to_string(),
            sanitize(phone.trim(), false),
        ));
    }
    Some(Doc {
        title: "Eingangsbestätigung Kinderschutz-Mitteilung".to_string(),
        lang: "de",
        author: author.to_string(),
        made_at,
        blocks,
    })
}
