//! Every user-facing sentence, label and key name, one struct per language. `de` is the
//! source; `en` must fill every field, so a missing translation is a compile error.
//!
//! May use: `domain` types, `action`, `keymap`. No logic beyond choosing words.

pub mod admin;
pub mod casework;
pub mod conf;
pub mod coop;
pub mod cp;
mod de;
pub mod documents;
pub mod dpo;
pub mod early_help;
mod en;
pub mod restrict;
pub mod ssh;
pub mod subject;
pub mod withdrawal;

use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::domain::access::Relation;
use crate::domain::alerts::Alert;
use crate::domain::casefile::{
    BreakGlassReason, Custody, MeasureStatus, Relation as Kin, StatutoryBasis,
};
use crate::domain::consent::{
    ConsentForm, ConsentStatus, DataCategory, DeclaredBy, Purpose, RepresentationReason,
};
use crate::domain::validation::Problem;
use crate::domain::{Agency, CaseStatus, ClosureReason, Field, Gender, ReasonCode, Role};

/// One entry of a case's timeline, for wording.
#[derive(Debug, Clone, Copy)]
pub enum TimelineEvent<'a> {
    /// The case was opened.
    Opened,
    /// A consent was given (declared by whom).
    ConsentSigned(&'a str),
    /// A consent was revoked.
    ConsentRevoked,
    /// A consent runs out.
    ConsentEnds,
    /// Fields went to the other agency (to whom, how many fields).
    Transfer(&'a str, usize),
    /// A measure is (or was) due (text, status).
    MeasureDue(&'a str, &'a str),
    /// A note was written (by whom).
    Note(&'a str),
}
use crate::keymap::Context;

/// User interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    /// German (default).
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// Parses "de" or "en".
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Names of keys as shown in hints and help.
#[derive(Debug)]
pub struct KeyNames {
    /// Enter.
    pub enter: &'static str,
    /// Escape.
    pub esc: &'static str,
    /// Tab.
    pub tab: &'static str,
    /// Shift+Tab.
    pub backtab: &'static str,
    /// Backspace.
    pub backspace: &'static str,
    /// Delete.
    pub delete: &'static str,
    /// Insert.
    pub insert: &'static str,
    /// Home.
    pub home: &'static str,
    /// End.
    pub end: &'static str,
    /// Page up.
    pub page_up: &'static str,
    /// Page down.
    pub page_down: &'static str,
    /// Space bar.
    pub space: &'static str,
    /// Ctrl modifier.
    pub ctrl: &'static str,
    /// Alt modifier.
    pub alt: &'static str,
    /// Shift modifier.
    pub shift: &'static str,
}

/// The titles of the six screens (tabs).
#[derive(Debug)]
pub struct ScreenTitles {
    /// "Fälle".
    pub cases: &'static str,
    /// "Konferenzen".
    pub conferences: &'static str,
    /// "Kinderschutz".
    pub child_protection: &'static str,
    /// "Kooperation".
    pub cooperation: &'static str,
    /// "Bereitschaft".
    pub on_call: &'static str,
    /// "Verwaltung".
    pub admin: &'static str,
    /// "Datenschutz".
    pub dpo: &'static str,
}

/// All texts of one language.
#[derive(Debug)]
pub struct Strings {
    /// Key names.
    pub keys: KeyNames,
    /// Screen tab titles.
    pub screen_titles: ScreenTitles,
    /// Title of the case file view.
    pub case_file: &'static str,
    /// Title of the new-case form.
    pub new_case: &'static str,
    /// Title of the edit form.
    pub edit_case: &'static str,
    /// Shown instead of the layout below 40×10.
    pub too_small: &'static str,
    /// The help's first section in accessible mode: heading and text.
    pub accessible_help: (&'static str, &'static str),
    /// Accessible mode's words for what a glyph shows elsewhere (docs/accessibility.md § 2).
    pub words: MarkerWords,
    /// The last line of a list that continues below the screen: how many entries follow.
    pub more_below: fn(usize) -> String,
    /// Agency names.
    pub agency: fn(Agency) -> &'static str,
    /// Short agency names (JC, JA).
    pub agency_short: fn(Agency) -> &'static str,
    /// Role labels.
    pub role: fn(Role) -> &'static str,
    /// Case status labels.
    pub status: fn(CaseStatus) -> &'static str,
    /// Case status labels for the case list's narrow column: a longer label shortened by
    /// a rule of the language, never cut mid-word.
    pub status_short: fn(CaseStatus) -> &'static str,
    /// Gender labels.
    pub gender: fn(Gender) -> &'static str,
    /// Case reason labels.
    pub reason: fn(ReasonCode) -> &'static str,
    /// Closure reason labels.
    pub closure: fn(ClosureReason) -> &'static str,
    /// Form field labels.
    pub field: fn(Field) -> &'static str,
    /// Message for a validation problem.
    pub problem: fn(&Problem, &Strings) -> String,
    /// Case list column headers: Name, Alter, Status, JC, JA, Termin.
    pub columns: [&'static str; 6],
    /// Case list title with position and count.
    pub list_position: fn(Option<usize>, Option<usize>) -> String,
    /// Case list title with the count alone (low-bandwidth mode).
    pub list_count: fn(Option<usize>) -> String,
    /// Label before the filter text.
    pub filter_label: &'static str,
    /// Shown when the list is empty.
    pub no_cases: &'static str,
    /// Shown when the filter matches nothing.
    pub no_match: &'static str,
    /// Value shown for an empty or missing field.
    pub none: &'static str,
    /// Shown instead of partner data that was not transferred (or no longer may be seen).
    pub withheld: &'static str,
    /// List title suffix for the whole-agency scope.
    pub scope_agency: &'static str,
    /// Value of an unassigned staff choice.
    pub unassigned: &'static str,
    /// "{n} Jahre".
    pub years: fn(u32) -> String,
    /// Section titles of the case file: person, case, responsibility.
    pub file_sections: [&'static str; 3],
    /// "U25 endet am".
    pub u25_end: &'static str,
    /// "Angelegt am".
    pub opened_on: &'static str,
    /// "Abgeschlossen am".
    pub closed_on: &'static str,
    /// "Eigentümer-Stelle".
    pub owner: &'static str,
    /// Status line after a successful save.
    pub saved: &'static str,
    /// Status line after creating a case.
    pub created: &'static str,
    /// Status line when fields are wrong.
    pub check_fields: &'static str,
    /// Status line on a save conflict of a case (who, when in Berlin time).
    pub conflict: fn(Option<&str>, Option<&str>) -> String,
    /// Status line when any other record changed since it was shown (who, when in Berlin
    /// time): nothing was written.
    pub changed_meanwhile: fn(Option<&str>, Option<&str>) -> String,
    /// The case is gone or no longer visible.
    pub not_found: &'static str,
    /// A database error while saving; the input stays.
    pub save_failed: &'static str,
    /// A database error while reading.
    pub load_failed: &'static str,
    /// Question before quitting with unsaved input.
    pub confirm_quit: &'static str,
    /// Question before leaving a form with unsaved input.
    pub confirm_discard: &'static str,
    /// Title of the question box.
    pub question_title: &'static str,
    /// Title of the help overlay.
    pub help_title: &'static str,
    /// Help section per keymap context.
    pub context: fn(Context) -> &'static str,
    /// What a context is about, shown atop the help when it is opened from there ("" for
    /// the contexts the key list explains well enough).
    pub context_about: fn(Context) -> &'static str,
    /// Description of each action (help and footer).
    pub action: fn(Action) -> &'static str,
    /// Short footer label of each action.
    pub action_short: fn(Action) -> &'static str,
    /// The help's description of an action where it means something more particular than
    /// [`Strings::action`] says (`Enter` opens a conference on F3, not a case file); `None`
    /// keeps the general one.
    pub action_in: fn(Context, Action) -> Option<&'static str>,
    /// A footer label of an action where it means something more particular than
    /// [`Strings::action_short`] says (`Enter` in a step menu chooses, it does not say
    /// "Ja"); `None` keeps the general one.
    pub action_short_in: fn(Context, Action) -> Option<&'static str>,
    /// The footer label of a view toggle while the other view is shown: the way back
    /// ("w Liste" in the week view); `None` for actions that toggle nothing.
    pub toggle_back: fn(Action) -> Option<&'static str>,
    /// Marker shown after the label of an unsaved form.
    pub unsaved_marker: &'static str,
    /// Hint at a focused choice field.
    pub choice_hint: &'static str,
    /// Hint at a focused multi-choice field.
    pub multi_hint: &'static str,
    /// Date format hint, e.g. "TT.MM.JJJJ".
    pub date_hint: &'static str,
    /// Sent to stderr when `--user` names no active staff member.
    pub unknown_user: fn(&str) -> String,
    /// The operating-system account name could not be determined.
    pub no_os_user: &'static str,
    /// Database file missing.
    pub db_missing: fn(&str) -> String,
    /// Not an SQLite file or corrupt.
    pub db_not_a_database: fn(&str) -> String,
    /// An SQLite file of another program.
    pub db_foreign: fn(&str) -> String,
    /// Schema older than the program.
    pub db_too_old: fn(&str) -> String,
    /// Schema newer than the program.
    pub db_too_new: fn(&str) -> String,
    /// Cannot open (permissions, folder).
    pub db_cannot_open: fn(&str) -> String,
    /// WAL impossible.
    pub db_not_wal: fn(&str) -> String,
    /// Other database failure.
    pub db_other: fn(&str) -> String,
    /// The database file can be read but not written (every session writes its audit rows).
    pub db_read_only: fn(&str) -> String,
    /// A draft offered at login: what, and the case it belongs to.
    pub offer_for_case: fn(&str, i64) -> String,
    /// A minutes draft offered at login: "Protokoll", the conference's day, its case.
    pub offer_minutes: fn(&str, &str, i64) -> String,
    /// At login: drafts older than the expiry (days) were deleted (count, days).
    pub drafts_expired: fn(u32, u32) -> String,
    /// At login: the person's approval of minutes was cleared because they changed (the
    /// conference's day, its case number, who changed them, when).
    pub approval_cleared: fn(&str, i64, &str, &str) -> String,
    /// At login: the person's four-eyes proposal was cleared by an addendum (the step, the
    /// referral's number, when).
    pub proposal_cleared: fn(&str, &str, &str) -> String,
    /// Command line: an option or command that does not exist.
    pub cli_unknown: fn(&str) -> String,
    /// Command line: a value an option does not take (option, value).
    pub cli_bad_value: fn(&str, &str) -> String,
    /// Command line: a required option is missing (its name, or empty for a command).
    pub cli_missing: fn(&str) -> String,
    /// Command line: any other mistake.
    pub cli_other: fn(&str) -> String,
    /// `tandem audit verify` succeeded: number of rows and the head hash (16 hex digits).
    pub audit_ok: fn(u64, &str) -> String,
    /// `tandem audit verify` failed at row `seq` for the reason given.
    pub audit_broken: fn(i64, &str) -> String,
    /// Reason: the row's content does not match its hash.
    pub audit_hash_mismatch: &'static str,
    /// Reason: the reference to the previous row is wrong.
    pub audit_chain_broken: &'static str,
    /// Reason: a sequence number is missing before this row.
    pub audit_seq_gap: &'static str,
    /// Reason: the row named by the anchor is gone.
    pub audit_missing: &'static str,
    /// Reason: the row named by the anchor has another hash.
    pub audit_anchor_mismatch: &'static str,
    /// `--anchor` is not `SEQ:HASH`.
    pub audit_bad_anchor: &'static str,
    /// `tandem audit verify`, second line: rows per evidence table, protecting triggers.
    pub audit_evidence_ok: fn(&[(&str, u64)], usize) -> String,
    /// A protecting trigger is missing: trigger, table.
    pub audit_trigger_missing: fn(&str, &str) -> String,
    /// A protecting trigger was replaced by another: trigger, table.
    pub audit_trigger_changed: fn(&str, &str) -> String,
    /// An evidence table's chain fails at row `id`: table, id, reason.
    pub audit_evidence_broken: fn(&str, i64, &str) -> String,
    /// Reason: the evidence row does not match its hash.
    pub audit_evidence_changed: &'static str,
    /// Reason: the evidence row does not chain to the one before it.
    pub audit_evidence_chain_broken: &'static str,
    /// Reason: the audit log recorded the evidence row, it is gone.
    pub audit_evidence_missing: &'static str,
    /// Reason: the evidence row is not recorded in the audit log.
    pub audit_evidence_unrecorded: &'static str,
    /// Reason: the evidence row differs from the one the audit log recorded.
    pub audit_evidence_rewritten: &'static str,
    /// TERM=dumb or no terminal.
    pub unsupported_terminal: &'static str,
    /// The configuration file is wrong: file, line and column (never its content).
    pub bad_config: fn(&str, Option<(usize, usize)>) -> String,
    /// A key binding of the configuration file is refused (unknown screen, action or key,
    /// or a key bound twice): file, line and column (never its content).
    pub bad_keys: fn(&str, Option<(usize, usize)>) -> String,
    /// The configuration file cannot be read: file.
    pub config_unreadable: fn(&str) -> String,
    /// The program met an internal error (panic); no personal data.
    pub crashed: &'static str,
    /// Status after the conflict choices were applied.
    pub conflict_resolved: &'static str,
    /// Status after a conflict that merged without a question.
    pub conflict_merged: &'static str,
    /// Title of the conflict box.
    pub conflict_title: &'static str,
    /// Column heading: this person's value.
    pub conflict_mine: &'static str,
    /// Column heading: the stored value (who saved it).
    pub conflict_theirs: fn(Option<&str>) -> String,
    /// A form was opened for a record whose draft was kept for later: what, when.
    pub draft_kept_for_later: fn(&str, &str) -> String,
    /// Letters typed on a choice field of a form.
    pub typed_on_choice: &'static str,
    /// A character typed into a full field: its limit.
    pub field_full: fn(usize) -> String,
    /// A paste that does not fit its field: the limit, the characters in the field and
    /// those of the paste.
    pub paste_refused: fn(usize, usize, usize) -> String,
    /// A paste longer than any field (bytes dropped as they came): its size in bytes.
    pub paste_too_long: fn(u64) -> String,
    /// Status after leaving the conflict box without a choice.
    pub conflict_left: &'static str,
    /// Explanation in the conflict box.
    pub conflict_hint: &'static str,
    /// Status after a draft was restored.
    pub draft_restored: &'static str,
    /// A draft whose record is gone, no longer visible or no longer open for that step.
    pub draft_not_restorable: &'static str,
    /// Question offering a draft: what (name or "neuer Fall") and when (local time).
    pub draft_offer: fn(&str, &str) -> String,
    /// The session ended because the account was deactivated or its access changed.
    pub access_locked: &'static str,
    /// Printed after the session ended for inactivity.
    pub idle_locked: &'static str,
    /// Case-file section titles: consents, custody holders, children, measures, notes,
    /// transfers, timeline, alerts.
    pub file_more_sections: [&'static str; 8],
    /// Consent status labels.
    pub consent_status: fn(ConsentStatus) -> &'static str,
    /// Purpose labels.
    pub purpose: fn(Purpose) -> &'static str,
    /// Data category labels.
    pub category: fn(DataCategory) -> &'static str,
    /// "Erklärt durch" labels.
    pub declared_by: fn(DeclaredBy) -> &'static str,
    /// Family relation labels.
    pub kin: fn(Kin) -> &'static str,
    /// Custody labels.
    pub custody: fn(Custody) -> &'static str,
    /// Measure status labels.
    pub measure_status: fn(MeasureStatus) -> &'static str,
    /// Statutory basis labels.
    pub statute: fn(StatutoryBasis) -> &'static str,
    /// Break-glass reason labels.
    pub break_glass_reason: fn(BreakGlassReason) -> &'static str,
    /// How the viewer stands to the case.
    pub relation: fn(Relation) -> &'static str,
    /// An alert as one short line.
    pub alert: fn(Alert) -> String,
    /// Sharing state: allowed until (date) or not.
    pub sharing: fn(Option<&str>) -> String,
    /// Marker after a field received from the partner.
    pub received_marker: &'static str,
    /// Marker after a read-only value that was not received but may not be changed here
    /// (the partner's field, the Fallführung of the other agency).
    pub locked_marker: &'static str,
    /// Label of an entrusted note.
    pub entrusted: &'static str,
    /// Entrusted notes of others: count and dates only.
    pub withheld_notes: fn(usize, &str) -> String,
    /// "Vertretung".
    pub deputy: &'static str,
    /// "Junge Person" as responsible for a measure.
    pub young_person: &'static str,
    /// Timeline entries.
    pub timeline: fn(TimelineEvent<'_>) -> String,
    /// Title of the break-glass box.
    pub break_glass_title: &'static str,
    /// Explanation in the break-glass box.
    pub break_glass_hint: &'static str,
    /// Title of the transfer preview.
    pub transfer_title: &'static str,
    /// Explanation of the transfer preview: to whom, on which basis.
    pub transfer_hint: fn(&str, &str) -> String,
    /// The § 64 (2) declaration of the Jugendamt as sender.
    pub transfer_64_2: &'static str,
    /// Nothing can be transferred: no active consent.
    pub transfer_no_basis: &'static str,
    /// After a transfer.
    pub transferred: &'static str,
    /// Question before recording a revocation.
    pub confirm_revoke: fn(&str) -> String,
    /// After a revocation.
    pub revoked: &'static str,
    /// No consent to revoke.
    pub nothing_to_revoke: &'static str,
    /// Title of the note box.
    pub note_title: &'static str,
    /// Hint in the note box (with the § 65 switch for the Jugendamt).
    pub note_hint: fn(bool, bool) -> String,
    /// After saving a note.
    pub note_saved: &'static str,
    /// List marker column title for alerts.
    pub alert_column: &'static str,
    /// Editing refused: the person may only read this case.
    pub read_only: &'static str,
    /// Why the store refused a write, transfer, grant or step (docs/access.md A7); exhaustive,
    /// so a reason without a text does not compile.
    pub refused: fn(crate::domain::refusal::Refusal) -> String,
    /// Label of the number field of a break-glass lookup.
    pub lookup_label: &'static str,
    /// Status hint when the number field opens.
    pub lookup_hint: &'static str,
    /// No case of the agency has that number.
    pub lookup_none: &'static str,
    /// A partner consent whose declarant is withheld ("Erklärt durch" would reveal the age).
    pub declarant_withheld: &'static str,
    /// A transfer's basis when it is a consent.
    pub basis_consent: &'static str,
    /// "Kontakt gefährdet" marker of a custody holder.
    pub do_not_contact: &'static str,
    /// `tandem seed` without `--db`.
    pub seed_needs_db: &'static str,
    /// `tandem seed` into a file that already holds data.
    pub seed_not_empty: fn(&str) -> String,
    /// `tandem seed` into a file that already exists (left untouched).
    pub seed_exists: fn(&str) -> String,
    /// `tandem seed` done: cases, staff, seconds, file.
    pub seeded: fn(usize, usize, f64, &str) -> String,
    /// `tandem migrate` done: file, schema version.
    pub migrated: fn(&str, usize) -> String,
    /// Title of the list of break-glass accesses.
    pub grants_title: &'static str,
    /// Title of the consent form.
    pub consent_title: &'static str,
    /// After saving a consent.
    pub consent_saved: &'static str,
    /// Keys of the consent form.
    pub consent_hint: &'static str,
    /// The three information ticks.
    pub info_ticks: [&'static str; 3],
    /// Reasons for representation.
    pub representation: fn(RepresentationReason) -> &'static str,
    /// Written or electronic.
    pub consent_form: fn(ConsentForm) -> &'static str,
    /// "ja".
    pub yes: &'static str,
    /// "nein".
    pub no: &'static str,
    /// "ja", "nein" by position: only for the consent dialog until its rewrite moves it to
    /// `yes`/`no` (the same texts).
    pub yes_no: [&'static str; 2],
    /// Child-protection texts.
    pub cp: &'static cp::CpStrings,
    /// Conference texts.
    pub conf: &'static conf::ConfStrings,
    /// Texts of the SSH front door and its administration commands.
    pub ssh: &'static ssh::SshStrings,
    /// Texts of the administration screen.
    pub admin: &'static admin::AdminStrings,
    /// Texts of the data-protection officer's screen.
    pub dpo: &'static dpo::DpoStrings,
    /// Texts of F5 Kooperation and the yearly report.
    pub coop: &'static coop::CoopStrings,
    /// Texts of the case file's own records (custody holders, children, measures).
    pub casework: &'static casework::CaseworkStrings,
    /// The information at benefit withdrawal (docs/casework.md § 9).
    pub withdrawal: &'static withdrawal::WithdrawalStrings,
    /// Early help for young parents (docs/early-help.md).
    pub early_help: &'static early_help::EhStrings,
    /// Printed documents (docs/documents.md).
    pub documents: &'static documents::DocumentStrings,
    /// Information tick of the consent form: informed about the purpose.
    pub info_purpose: &'static str,
    /// Information tick: informed about the consequences of refusing.
    pub info_refusal: &'static str,
    /// Information tick: informed that the consent can be revoked.
    pub info_revocable: &'static str,
    /// Label of the free text of a break-glass reason.
    pub break_glass_text: &'static str,
    /// The reason "Sonstiges" was chosen without a text.
    pub break_glass_text_required: &'static str,
    /// Label of the purpose of a transfer (recorded in the transfer log).
    pub transfer_purpose: &'static str,
    /// Label of the § 64 (2) SGB VIII tick of a Jugendamt transfer.
    pub transfer_64_2_tick: &'static str,
    /// The § 64 (2) SGB VIII tick was not ticked.
    pub transfer_64_2_required: &'static str,
    /// Label of the reason of a break-glass access.
    pub break_glass_reason_label: &'static str,
    /// Texts of restriction and disputed fields (docs/access.md A12).
    pub restrict: &'static restrict::RestrictStrings,
}

impl Strings {
    /// The texts of `lang`.
    pub fn get(lang: Lang) -> &'static Strings {
        match lang {
            Lang::De => &de::DE,
            Lang::En => &en::EN,
        }
    }
}

/// Words that stand for a glyph in accessible mode, where no meaning may rest on a glyph or
/// a colour alone (docs/accessibility.md § 2).
#[derive(Debug, Clone, Copy)]
pub struct MarkerWords {
    /// The sort order of the case list: ascending, descending (instead of ▲ / ▼).
    pub sort: [&'static str; 2],
    /// Before the alerts of the selected case in the announcement ("Hinweise").
    pub alerts: &'static str,
    /// Before an agreement whose date has passed (instead of ⚠).
    pub overdue: &'static str,
}

/// A size in bytes as a German reads it: "812 Bytes", "33,5 KB", "50,0 MB" (binary units).
pub fn byte_size_de(bytes: u64) -> String {
    byte_size_en(bytes)
        .replace('.', ",")
        .replace("bytes", "Bytes")
}

/// A size in bytes in English: "812 bytes", "33.5 KB", "50.0 MB" (binary units).
pub fn byte_size_en(bytes: u64) -> String {
    // Tenths of a unit, in integers: exact enough for a message and free of casts.
    let tenths = |unit: u64| {
        let t = (bytes * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", tenths(1024))
    } else {
        format!("{} MB", tenths(1024 * 1024))
    }
}
