//! Texts of restriction ("Sperre", Art. 18 DSGVO) and disputed fields ("Bestreiten",
//! Art. 16 DSGVO; docs/access.md A12), German and English. Both are full struct literals,
//! so a missing translation does not compile.

use crate::domain::restriction::{DisputeOutcome, RestrictionReason};

/// The texts.
#[derive(Debug)]
pub struct RestrictStrings {
    /// The name cell of a restricted row the viewer may not read.
    pub row: &'static str,
    /// Banner of a restricted case file (since when, reason).
    pub banner: fn(&str, &str) -> String,
    /// Marker after a disputed field's value.
    pub disputed: &'static str,
    /// A reason of Art. 18 Abs. 1.
    pub reason: fn(RestrictionReason) -> &'static str,
    /// An outcome of a dispute.
    pub outcome: fn(DisputeOutcome) -> &'static str,
    /// Title of the restriction dialog.
    pub restrict_title: &'static str,
    /// Question before lifting (since when).
    pub lift_question: fn(&str) -> String,
    /// Status line after restricting.
    pub restricted_done: &'static str,
    /// Status line after lifting.
    pub lifted_done: &'static str,
    /// Title of the dispute dialog.
    pub dispute_box_title: &'static str,
    /// Label of the field choice.
    pub field_label: &'static str,
    /// Label of the statement.
    pub statement: &'static str,
    /// Status line after recording a dispute.
    pub disputed_done: &'static str,
    /// Status line after resolving a dispute.
    pub resolved_done: &'static str,
    /// Label of the outcome choice.
    pub outcome_label: &'static str,
    /// The outcome "still open" (records a new dispute instead).
    pub outcome_open: &'static str,
    /// Hint: put the cursor on a person field first.
    pub no_field: &'static str,
}

/// German.
pub const DE: RestrictStrings = RestrictStrings {
    row: "– gesperrt –",
    banner: |since, reason| format!("Gesperrt (Art. 18 DSGVO) seit {since} – {reason}"),
    disputed: "(bestritten)",
    reason: |r| match r {
        RestrictionReason::Accuracy => "Richtigkeit bestritten",
        RestrictionReason::Unlawful => "unrechtmäßige Verarbeitung",
        RestrictionReason::LegalClaims => "für Rechtsansprüche benötigt",
        RestrictionReason::Objection => "Widerspruch eingelegt",
    },
    outcome: |o| match o {
        DisputeOutcome::Corrected => "berichtigt",
        DisputeOutcome::Confirmed => "bestätigt",
    },
    restrict_title: "Fall sperren (Art. 18 DSGVO) – Grund",
    lift_question: |since| format!("Sperre seit {since} aufheben?"),
    restricted_done: "Fall gesperrt. Bearbeiten ist bis zur Aufhebung nicht möglich.",
    lifted_done: "Sperre aufgehoben.",
    dispute_box_title: "Angabe bestreiten (Art. 16 DSGVO)",
    field_label: "Angabe",
    statement: "Stellungnahme",
    disputed_done: "Als bestritten vermerkt.",
    resolved_done: "Bestreiten erledigt.",
    outcome_label: "Erledigt als",
    outcome_open: "– offen –",
    no_field: "Bitte zuerst eine Personenangabe auswählen.",
};

/// English.
pub const EN: RestrictStrings = RestrictStrings {
    row: "– restricted –",
    banner: |since, reason| format!("Restricted (Art. 18 GDPR) since {since} – {reason}"),
    disputed: "(disputed)",
    reason: |r| match r {
        RestrictionReason::Accuracy => "accuracy contested",
        RestrictionReason::Unlawful => "unlawful processing",
        RestrictionReason::LegalClaims => "needed for legal claims",
        RestrictionReason::Objection => "objection lodged",
    },
    outcome: |o| match o {
        DisputeOutcome::Corrected => "corrected",
        DisputeOutcome::Confirmed => "confirmed",
    },
    restrict_title: "Restrict case (Art. 18 GDPR) – reason",
    lift_question: |since| format!("Lift the restriction of {since}?"),
    restricted_done: "Case restricted. It cannot be edited until the restriction is lifted.",
    lifted_done: "Restriction lifted.",
    dispute_box_title: "Dispute a field (Art. 16 GDPR)",
    field_label: "Field",
    statement: "Statement",
    disputed_done: "Marked as disputed.",
    resolved_done: "Dispute resolved.",
    outcome_label: "Resolved as",
    outcome_open: "– open –",
    no_field: "Please select a person field first.",
};
