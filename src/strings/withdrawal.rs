//! Texts of the information at benefit withdrawal (docs/casework.md § 9). German and
//! English, both full struct literals.

use crate::domain::withdrawal::{Decision, NoInfoGround, WithdrawalStatus, WithdrawalStep};

/// The texts.
#[derive(Debug)]
pub struct WithdrawalStrings {
    /// "Information bei Leistungsentzug" (section, menu and list title).
    pub title: &'static str,
    /// The states.
    pub status: fn(WithdrawalStatus) -> &'static str,
    /// The decisions.
    pub decision: fn(Decision) -> &'static str,
    /// Why no information.
    pub ground: fn(NoInfoGround) -> &'static str,
    /// The steps (menu entries and form titles).
    pub step: fn(WithdrawalStep) -> &'static str,
    /// Labels by field key.
    pub field: fn(&str) -> &'static str,
    /// Nothing to do here for this person now.
    pub none: &'static str,
    /// The form's first lines: never automatic, the reason is mandatory.
    pub form_hint: &'static str,
    /// The list is empty.
    pub empty: &'static str,
    /// The kind of an incoming notice in the Jugendamt's list.
    pub kind: &'static str,
    /// "Eingang erfasst: LE-2026-0001".
    pub received: fn(&str) -> String,
    /// Saved.
    pub saved: &'static str,
    /// A number out of range (minors).
    pub bad_count: &'static str,
    /// The F4 list's line for the Jugendamt: how many are new.
    pub new_count: fn(usize) -> String,
    /// "Neu" (not received yet).
    pub new: &'static str,
    /// The question before the Jugendamt records a receipt (the young person's name).
    pub receive_question: fn(&str) -> String,
    /// The login line: proposals waiting for this lead, information waiting for receipt.
    pub login: fn(crate::domain::Agency, usize) -> String,
}

fn de_field(k: &str) -> &'static str {
    match k {
        "bg_no" => "BG-Nummer",
        "minors_count" => "Minderjährige in der BG",
        "decision" => "Entscheidung",
        "ground" => "Keine Information, weil",
        "reason" => "Begründung",
        "legal_basis" => "Rechtsgrundlage",
        "second" => "Bestätigung durch (Leitung)",
        "decided_by" => "Vorgeschlagen von",
        "pending_with" => "Zur Bestätigung bei",
        "second_by" => "Bestätigt von",
        "opened" => "Prüfung begonnen",
        "received" => "Eingang",
        "person" => "Junge Person",
        _ => "?",
    }
}

fn en_field(k: &str) -> &'static str {
    match k {
        "bg_no" => "Household (BG) number",
        "minors_count" => "Minors in the household",
        "decision" => "Decision",
        "ground" => "No information, because",
        "reason" => "Reason",
        "legal_basis" => "Legal basis",
        "second" => "Confirmed by (lead)",
        "decided_by" => "Proposed by",
        "pending_with" => "Awaiting confirmation by",
        "second_by" => "Confirmed by",
        "opened" => "Review opened",
        "received" => "Received",
        "person" => "Young person",
        _ => "?",
    }
}

/// German.
pub const DE: WithdrawalStrings = WithdrawalStrings {
    title: "Information bei Leistungsentzug",
    status: |s| match s {
        WithdrawalStatus::InReview => "In Prüfung",
        WithdrawalStatus::NoInfo => "Keine Information",
        WithdrawalStatus::InfoSent => "Information an das Jugendamt",
    },
    decision: |d| match d {
        Decision::NoInfo => "Keine Information",
        Decision::InfoSent => "Information an das Jugendamt",
    },
    ground: |g| match g {
        NoInfoGround::Hardship => "Härtefall",
        NoInfoGround::NoCause => "Kein Anlass",
        NoInfoGround::NoMinors => "Keine Minderjährigen betroffen",
    },
    step: |s| match s {
        WithdrawalStep::Open => "Prüfung beginnen",
        WithdrawalStep::Propose => "Entscheidung vorschlagen",
        WithdrawalStep::Confirm => "Entscheidung bestätigen (Leitung)",
        WithdrawalStep::Decline => "Vorschlag zurückgeben",
        WithdrawalStep::Receive => "Eingang erfassen",
    },
    field: de_field,
    none: "An der Information bei Leistungsentzug ist gerade nichts von Ihnen zu tun.",
    form_hint: "Nie automatisch: eine begründete Entscheidung im Einzelfall, bestätigt von der Leitung. Strg+S speichern · Esc schließen",
    empty: "Keine Informationen bei Leistungsentzug.",
    kind: "Information",
    received: |no| format!("Eingang erfasst: {no}"),
    saved: "Gespeichert.",
    bad_count: "Bitte eine Zahl von 0 bis 99 eingeben.",
    new_count: |n| format!("Informationen bei Leistungsentzug: {n} neu (l)"),
    new: "Neu",
    receive_question: |who| {
        format!(
            "Eingang der Information bei Leistungsentzug ({who}) jetzt erfassen? Sie erhält eine Vorgangsnummer."
        )
    },
    login: |a, n| {
        match (a, n) {
        (crate::domain::Agency::Jobcenter, 1) => {
            "⚠ Eine Entscheidung zur Information bei Leistungsentzug wartet auf Ihre Bestätigung (F4, l).".to_string()
        }
        (crate::domain::Agency::Jobcenter, n) => format!(
            "⚠ {n} Entscheidungen zur Information bei Leistungsentzug warten auf Ihre Bestätigung (F4, l)."
        ),
        (_, 1) => "⚠ Eine Information bei Leistungsentzug ist eingegangen (F4, l).".to_string(),
        (_, n) => format!("⚠ {n} Informationen bei Leistungsentzug sind eingegangen (F4, l)."),
    }
    },
};

/// English.
pub const EN: WithdrawalStrings = WithdrawalStrings {
    title: "Information at benefit withdrawal",
    status: |s| match s {
        WithdrawalStatus::InReview => "Under review",
        WithdrawalStatus::NoInfo => "No information",
        WithdrawalStatus::InfoSent => "Youth office informed",
    },
    decision: |d| match d {
        Decision::NoInfo => "No information",
        Decision::InfoSent => "Inform the youth office",
    },
    ground: |g| match g {
        NoInfoGround::Hardship => "Hardship",
        NoInfoGround::NoCause => "No cause",
        NoInfoGround::NoMinors => "No minors concerned",
    },
    step: |s| match s {
        WithdrawalStep::Open => "Open a review",
        WithdrawalStep::Propose => "Propose the decision",
        WithdrawalStep::Confirm => "Confirm the decision (lead)",
        WithdrawalStep::Decline => "Return the proposal",
        WithdrawalStep::Receive => "Record receipt",
    },
    field: en_field,
    none: "Nothing on the information at benefit withdrawal is yours to do right now.",
    form_hint: "Never automatic: a justified decision in the single case, confirmed by the lead. Ctrl+S save · Esc close",
    empty: "No information at benefit withdrawal.",
    kind: "Information",
    received: |no| format!("Receipt recorded: {no}"),
    saved: "Saved.",
    bad_count: "Please enter a number from 0 to 99.",
    new_count: |n| format!("Information at benefit withdrawal: {n} new (l)"),
    new: "New",
    receive_question: |who| {
        format!(
            "Record the receipt of the information at benefit withdrawal ({who}) now? It gets a file number."
        )
    },
    login: |a, n| match a {
        crate::domain::Agency::Jobcenter => format!(
            "⚠ {n} decision(s) on information at benefit withdrawal await your confirmation (F4, l)."
        ),
        crate::domain::Agency::Jugendamt => {
            format!("⚠ {n} information(s) at benefit withdrawal came in (F4, l).")
        }
    },
};
