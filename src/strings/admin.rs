//! Texts of the administration screen ("Verwaltung", docs/access.md A11), German and
//! English. Both are full struct literals, so a missing translation does not compile.

use crate::model::referral::Function;

/// The texts.
#[derive(Debug)]
pub struct AdminStrings {
    /// The screen key was pressed by someone who is no admin.
    pub only_admins: &'static str,
    /// Heading of the staff list (Stelle, count).
    pub staff_title: fn(&str, usize) -> String,
    /// Column heads: login, name, roles, functions, state, keys (at most 5 characters).
    pub columns: [&'static str; 6],
    /// State of an active account.
    pub active: &'static str,
    /// State of a deactivated account.
    pub deactivated: &'static str,
    /// Marker of roles waiting for a second admin (the roles).
    pub waiting: fn(&str) -> String,
    /// Line under the staff list when grants are open (count).
    pub grants_waiting: fn(usize) -> String,
    /// Heading of the open grants.
    pub grants_title: &'static str,
    /// No open grants.
    pub grants_empty: &'static str,
    /// One open grant (role, login, requested by, when).
    pub grant_line: fn(&str, &str, &str, &str) -> String,
    /// A grant key pressed on the staff list.
    pub no_grant_selected: &'static str,
    /// Title of the form for a new staff member.
    pub new_title: &'static str,
    /// Title of the form for an existing staff member (name).
    pub edit_title: fn(&str) -> String,
    /// Form labels: login, surname, given name, e-mail, phone, roles, functions, deputy.
    pub labels: [&'static str; 8],
    /// Hint above the form.
    pub form_hint: &'static str,
    /// The deputy choice "none".
    pub no_deputy: &'static str,
    /// The name of a function.
    pub function: fn(Function) -> &'static str,
    /// Saved (login).
    pub saved: fn(&str) -> String,
    /// Saved, and roles wait for a second admin (login, roles).
    pub saved_pending: fn(&str, &str) -> String,
    /// Notice at the top of the form after a conflict (who, when, what is stored now).
    pub changed_meanwhile: fn(Option<&str>, Option<&str>, &str) -> String,
    /// Question before deactivating (name, login).
    pub ask_deactivate: fn(&str, &str) -> String,
    /// Question before reactivating (name, login).
    pub ask_reactivate: fn(&str, &str) -> String,
    /// Question before confirming a grant (role, login).
    pub ask_confirm_grant: fn(&str, &str) -> String,
    /// Question before refusing a grant (role, login).
    pub ask_refuse_grant: fn(&str, &str) -> String,
    /// Question before removing a key (fingerprint, name).
    pub ask_remove_key: fn(&str, &str) -> String,
    /// Deactivated (name).
    pub deactivated_done: fn(&str) -> String,
    /// Reactivated (name).
    pub reactivated_done: fn(&str) -> String,
    /// Already in that state (name).
    pub unchanged: fn(&str) -> String,
    /// A grant confirmed (role, login).
    pub grant_confirmed: fn(&str, &str) -> String,
    /// A grant refused (role, login).
    pub grant_refused: fn(&str, &str) -> String,
    /// Title of the key list (name).
    pub keys_title: fn(&str) -> String,
    /// No keys yet.
    pub keys_empty: &'static str,
    /// Title of the box for a new key (name).
    pub key_add_title: fn(&str) -> String,
    /// Label of the key line.
    pub key_label: &'static str,
    /// Placeholder of the key line.
    pub key_placeholder: &'static str,
    /// Hint of the box for a new key.
    pub key_hint: &'static str,
}

/// German.
pub static DE: AdminStrings = AdminStrings {
    only_admins: "Nur für die Administration.",
    staff_title: |stelle, n| format!("Mitarbeitende · {stelle} · {n}"),
    columns: [
        "Anmeldung",
        "Name",
        "Rollen",
        "Funktionen",
        "Status",
        "Schl.",
    ],
    active: "aktiv",
    deactivated: "deaktiviert",
    waiting: |r| format!("wartet: {r}"),
    grants_waiting: |n| {
        if n == 1 {
            "1 Rolle wartet auf Bestätigung durch eine zweite Administration (g: Freigaben)."
                .to_string()
        } else {
            format!(
                "{n} Rollen warten auf Bestätigung durch eine zweite Administration (g: Freigaben)."
            )
        }
    },
    grants_title: "Offene Freigaben (Vier-Augen-Prinzip)",
    grants_empty: "Keine offenen Freigaben.",
    grant_line: |role, login, by, at| format!("{role} für {login} · beantragt von {by} am {at}"),
    no_grant_selected: "Keine Freigabe gewählt: g zeigt die offenen Freigaben.",
    new_title: "Neue Mitarbeiterin / neuer Mitarbeiter",
    edit_title: |n| format!("Mitarbeitende bearbeiten: {n}"),
    labels: [
        "Anmeldename",
        "Nachname",
        "Vorname",
        "E-Mail (dienstlich)",
        "Telefon (dienstlich)",
        "Rollen",
        "Funktionen",
        "Vertretung",
    ],
    form_hint: "Tab nächstes Feld, Leertaste an/aus, ←/→ wählen, Strg+S speichern, Esc abbrechen. Administration und Datenschutz gelten erst nach Bestätigung durch eine zweite Administration.",
    no_deputy: "keine",
    function: |f| match f {
        Function::Insofa => "Insoweit erfahrene Fachkraft",
        Function::Intake => "Eingang Kinderschutz",
        Function::Coordination => "Kinderschutzkoordination",
        Function::EarlyHelp => "Frühe Hilfen",
    },
    saved: |l| format!("Gespeichert: {l}."),
    saved_pending: |l, r| {
        format!("Gespeichert: {l}. {r} wartet auf Bestätigung durch eine zweite Administration.")
    },
    changed_meanwhile: |by, at, now| {
        let who = by.unwrap_or("Eine andere Person");
        let when = at.map(|a| format!(" am {a}")).unwrap_or_default();
        format!(
            "{who} hat diesen Eintrag{when} inzwischen geändert. Gespeichert ist jetzt: {now}. Ihre Eingaben stehen unten; Strg+S speichert sie über den neuen Stand."
        )
    },
    ask_deactivate: |n, l| {
        format!(
            "{n} ({l}) deaktivieren? Die Anmeldung wird sofort gesperrt; eine laufende Sitzung endet innerhalb von 30 Sekunden."
        )
    },
    ask_reactivate: |n, l| {
        format!("{n} ({l}) wieder aktivieren? Die Anmeldung ist dann wieder möglich.")
    },
    ask_confirm_grant: |r, l| format!("Die Rolle {r} für {l} bestätigen? Sie gilt dann sofort."),
    ask_refuse_grant: |r, l| {
        format!("Die Rolle {r} für {l} ablehnen? Der Antrag endet ohne die Rolle.")
    },
    ask_remove_key: |f, n| {
        format!(
            "Den Schlüssel {f} von {n} entfernen? Anmeldungen mit diesem Schlüssel sind dann nicht mehr möglich."
        )
    },
    deactivated_done: |n| format!("{n} ist deaktiviert."),
    reactivated_done: |n| format!("{n} ist wieder aktiv."),
    unchanged: |n| format!("{n}: keine Änderung."),
    grant_confirmed: |r, l| format!("Rolle {r} für {l} bestätigt."),
    grant_refused: |r, l| format!("Rolle {r} für {l} abgelehnt."),
    keys_title: |n| format!("SSH-Schlüssel von {n}"),
    keys_empty: "Noch kein Schlüssel eingetragen (a: hinzufügen).",
    key_add_title: |n| format!("SSH-Schlüssel für {n} hinzufügen"),
    key_label: "Öffentlicher Schlüssel",
    key_placeholder: "ssh-ed25519 AAAA… name@rechner",
    key_hint: "Die Zeile aus der Datei mit der Endung .pub einfügen oder eintippen; Strg+S speichern, Esc abbrechen.",
};

/// English.
pub static EN: AdminStrings = AdminStrings {
    only_admins: "For administrators only.",
    staff_title: |stelle, n| format!("Staff · {stelle} · {n}"),
    columns: ["Login", "Name", "Roles", "Functions", "State", "Keys"],
    active: "active",
    deactivated: "deactivated",
    waiting: |r| format!("waiting: {r}"),
    grants_waiting: |n| {
        if n == 1 {
            "1 role awaits a second administrator's confirmation (g: grants).".to_string()
        } else {
            format!("{n} roles await a second administrator's confirmation (g: grants).")
        }
    },
    grants_title: "Open grants (four eyes)",
    grants_empty: "No open grants.",
    grant_line: |role, login, by, at| format!("{role} for {login} · requested by {by} on {at}"),
    no_grant_selected: "No grant selected: g shows the open grants.",
    new_title: "New staff member",
    edit_title: |n| format!("Edit staff member: {n}"),
    labels: [
        "Login",
        "Surname",
        "Given name",
        "E-mail (office)",
        "Phone (office)",
        "Roles",
        "Functions",
        "Deputy",
    ],
    form_hint: "Tab next field, Space on/off, ←/→ choose, Ctrl+S save, Esc cancel. Administration and data protection take effect only when a second administrator confirms them.",
    no_deputy: "none",
    function: |f| match f {
        Function::Insofa => "Child protection specialist (InsoFa)",
        Function::Intake => "Child protection intake",
        Function::Coordination => "Child protection coordination",
        Function::EarlyHelp => "Early help",
    },
    saved: |l| format!("Saved: {l}."),
    saved_pending: |l, r| format!("Saved: {l}. {r} awaits a second administrator's confirmation."),
    changed_meanwhile: |by, at, now| {
        let who = by.unwrap_or("Someone else");
        let when = at.map(|a| format!(" on {a}")).unwrap_or_default();
        format!(
            "{who} changed this record meanwhile{when}. Stored now: {now}. Your input is below; Ctrl+S saves it over the new state."
        )
    },
    ask_deactivate: |n, l| {
        format!(
            "Deactivate {n} ({l})? The login is refused at once; a running session ends within 30 seconds."
        )
    },
    ask_reactivate: |n, l| format!("Reactivate {n} ({l})? The login works again."),
    ask_confirm_grant: |r, l| format!("Confirm the role {r} for {l}? It takes effect at once."),
    ask_refuse_grant: |r, l| format!("Refuse the role {r} for {l}? The request ends without it."),
    ask_remove_key: |f, n| format!("Remove the key {f} of {n}? Logins with this key stop working."),
    deactivated_done: |n| format!("{n} is deactivated."),
    reactivated_done: |n| format!("{n} is active again."),
    unchanged: |n| format!("{n}: nothing changed."),
    grant_confirmed: |r, l| format!("Role {r} for {l} confirmed."),
    grant_refused: |r, l| format!("Role {r} for {l} refused."),
    keys_title: |n| format!("SSH keys of {n}"),
    keys_empty: "No key yet (a: add).",
    key_add_title: |n| format!("Add an SSH key for {n}"),
    key_label: "Public key",
    key_placeholder: "ssh-ed25519 AAAA… name@host",
    key_hint: "Paste or type the line of the file ending in .pub; Ctrl+S save, Esc cancel.",
};
