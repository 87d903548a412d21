//! SSH public keys of staff members and the origin of SSH logins (docs/architecture.md § 7).
//!
//! A key line of an OpenSSH `.pub` file is parsed and checked here (type, structure, RSA
//! size), its fingerprint computed as OpenSSH prints it (`SHA256:` and the unpadded base64
//! of SHA-256 over the decoded key blob). Keys are added and removed by an active
//! administrator of the owner's agency, audited in the same transaction (the audit row names
//! the key row, whose fingerprint stays after removal; key material never goes into the
//! log). `tandem keys` turns the keys of active staff into the authorized_keys file.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::audit::{self, AuditAction, AuditEntry};
use super::{StorageError, Store, ts};
use crate::domain::{Agency, Role, Staff, StaffId};

/// Audit object types of this module.
pub mod object {
    /// An SSH public key of a staff member (`ssh_key`).
    pub const SSH_KEY: &str = "ssh_key";
}

/// Audit detail codes of this module.
pub mod detail {
    /// A login through SSH with a key that is not (or no longer) one of the person's keys:
    /// the authorized_keys file is older than the staff table.
    pub const KEY_NOT_OWNED: &str = "ssh_key_not_owned";
    /// The first administrator, created by `tandem init`.
    pub const INIT: &str = "init";
}

/// Key types Tandem accepts (OpenSSH names). DSA and certificates are not among them.
pub const KEY_TYPES: [&str; 7] = [
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
];

/// The smallest RSA modulus accepted, in bits (BSI TR-02102-1: at least 3000 bits).
pub const RSA_MIN_BITS: usize = 3072;

/// Longest comment kept, in characters.
const COMMENT_MAX: usize = 100;

/// Why a text is not an acceptable public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// Nothing but blank lines.
    Empty,
    /// A private key (the file without `.pub`).
    PrivateKey,
    /// More than one key line.
    SeveralKeys,
    /// The first word is no key type Tandem accepts (the word, cleaned).
    UnknownType(String),
    /// The key data is not base64 or does not have the structure of its type.
    Malformed,
    /// An RSA key below [`RSA_MIN_BITS`] (its size in bits).
    RsaTooShort(usize),
}

/// A parsed, checked public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// The key type, e.g. `ssh-ed25519`.
    pub algorithm: String,
    /// The key blob in base64, as in the `.pub` file.
    pub blob: String,
    /// The comment, cleaned ([`clean_comment`]).
    pub comment: String,
    /// `SHA256:…` as OpenSSH prints it.
    pub fingerprint: String,
}

impl PublicKey {
    /// Parses the content of an OpenSSH `.pub` file: one line `type base64 [comment]`
    /// (blank lines and `#` lines around it are ignored).
    pub fn parse(text: &str) -> Result<PublicKey, KeyProblem> {
        if text.contains("PRIVATE KEY") {
            return Err(KeyProblem::PrivateKey);
        }
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let line = lines.next().ok_or(KeyProblem::Empty)?;
        if lines.next().is_some() {
            return Err(KeyProblem::SeveralKeys);
        }
        let mut words = line.splitn(3, char::is_whitespace);
        let algorithm = words.next().unwrap_or_default();
        if !KEY_TYPES.contains(&algorithm) {
            let shown: String = crate::domain::text::sanitize(algorithm, false)
                .chars()
                .take(40)
                .collect();
            return Err(KeyProblem::UnknownType(shown));
        }
        let blob_text = words.next().ok_or(KeyProblem::Malformed)?.trim();
        let blob = base64_decode(blob_text).ok_or(KeyProblem::Malformed)?;
        check_blob(algorithm, &blob)?;
        Ok(PublicKey {
            algorithm: algorithm.to_string(),
            // Re-encoded: one canonical spelling per key.
            blob: base64_encode(&blob, true),
            comment: clean_comment(words.next().unwrap_or_default()),
            fingerprint: fingerprint(&blob),
        })
    }
}

/// `SHA256:` and the unpadded base64 of SHA-256 over `blob` (as `ssh-keygen -l` prints it).
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", base64_encode(&Sha256::digest(blob), false))
}

/// A comment as it may stand in a key line: printable characters only, no quotes or
/// backslashes, runs of white space as one space, at most [`COMMENT_MAX`] characters.
pub fn clean_comment(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '\\' | '`'))
        .collect();
    let kept = crate::domain::text::sanitize(&kept, false);
    kept.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(COMMENT_MAX)
        .collect()
}

/// Reads the SSH wire format: u32 length-prefixed strings.
struct Wire<'a> {
    rest: &'a [u8],
}

impl<'a> Wire<'a> {
    fn string(&mut self) -> Result<&'a [u8], KeyProblem> {
        let (len, rest) = self
            .rest
            .split_first_chunk::<4>()
            .ok_or(KeyProblem::Malformed)?;
        let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| KeyProblem::Malformed)?;
        if len > rest.len() {
            return Err(KeyProblem::Malformed);
        }
        let (s, rest) = rest.split_at(len);
        self.rest = rest;
        Ok(s)
    }

    fn end(&self) -> Result<(), KeyProblem> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(KeyProblem::Malformed)
        }
    }
}

/// Checks that `blob` is a key of type `algorithm` with the fields of that type.
fn check_blob(algorithm: &str, blob: &[u8]) -> Result<(), KeyProblem> {
    let mut w = Wire { rest: blob };
    if w.string()? != algorithm.as_bytes() {
        return Err(KeyProblem::Malformed);
    }
    let point = |w: &mut Wire<'_>, curve: &str, len: usize| -> Result<(), KeyProblem> {
        if w.string()? != curve.as_bytes() {
            return Err(KeyProblem::Malformed);
        }
        let q = w.string()?;
        if q.len() == len && q.first() == Some(&4) {
            Ok(())
        } else {
            Err(KeyProblem::Malformed)
        }
    };
    match algorithm {
        "ssh-ed25519" | "sk-ssh-ed25519@openssh.com" => {
            if w.string()?.len() != 32 {
                return Err(KeyProblem::Malformed);
            }
        }
        "ecdsa-sha2-nistp256" | "sk-ecdsa-sha2-nistp256@openssh.com" => {
            point(&mut w, "nistp256", 65)?;
        }
        "ecdsa-sha2-nistp384" => point(&mut w, "nistp384", 97)?,
        "ecdsa-sha2-nistp521" => point(&mut w, "nistp521", 133)?,
        "ssh-rsa" => {
            let e = w.string()?;
            let n = w.string()?;
            if e.is_empty() || n.is_empty() {
                return Err(KeyProblem::Malformed);
            }
            // An mpint: big-endian, a leading zero byte when the top bit is set.
            let n = n
                .iter()
                .skip_while(|b| **b == 0)
                .copied()
                .collect::<Vec<u8>>();
            let bits = n.first().map_or(0, |top| {
                n.len() * 8 - usize::try_from(top.leading_zeros()).unwrap_or(0)
            });
            if bits < RSA_MIN_BITS {
                return Err(KeyProblem::RsaTooShort(bits));
            }
        }
        _ => return Err(KeyProblem::Malformed),
    }
    if algorithm.starts_with("sk-") {
        // The FIDO application ("ssh:").
        w.string()?;
    }
    w.end()
}

/// Standard base64 (RFC 4648 § 4) as OpenSSH writes it: key blobs padded, fingerprints
/// without `=`.
pub fn base64_encode(bytes: &[u8], pad: bool) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    if pad {
        STANDARD.encode(bytes)
    } else {
        STANDARD_NO_PAD.encode(bytes)
    }
}

/// Decodes standard base64 with or without padding; none for any other character, a
/// length no encoder produces, or nothing at all.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::DecodePaddingMode;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    if text.is_empty() {
        return None;
    }
    LENIENT.decode(text).ok()
}

/// Why a key could not be added, listed or removed.
#[derive(Debug, thiserror::Error)]
pub enum KeyAdminError {
    /// The acting person is no active administrator.
    #[error("not an administrator")]
    NotAdmin,
    /// The staff member belongs to the other agency.
    #[error("staff member of the other agency")]
    OtherAgency,
    /// No staff member with that login, or no active key with that fingerprint.
    #[error("not found")]
    NotFound,
    /// The key is already registered (for this person or for another one).
    #[error("key already registered")]
    Duplicate,
    /// `tandem init` on a database that already has staff.
    #[error("database already has staff")]
    NotEmpty,
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<rusqlite::Error> for KeyAdminError {
    fn from(e: rusqlite::Error) -> Self {
        KeyAdminError::Storage(StorageError::Sqlite(e))
    }
}

/// One registered key, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    /// The owner's login.
    pub login: String,
    /// The owner's agency.
    pub agency: Agency,
    /// Whether the owner is active (a deactivated owner's keys give no key line).
    pub owner_active: bool,
    /// Key type.
    pub algorithm: String,
    /// Base64 key blob.
    pub blob: String,
    /// Cleaned comment.
    pub comment: String,
    /// `SHA256:…`.
    pub fingerprint: String,
    /// When it was added (UTC, as stored).
    pub added_at: String,
}

/// Where an SSH login came from (`login_origin`, written with its audit row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOrigin {
    /// The key's fingerprint (sshd's `SSH_USER_AUTH`).
    pub key_fingerprint: Option<String>,
    /// Client address and port (`SSH_CONNECTION`), e.g. `192.0.2.7 50514`.
    pub client: Option<String>,
    /// What was asked for: `tui` or a verb such as `ics`.
    pub verb: &'static str,
}

/// One stored login origin with its audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOriginRow {
    /// The audit row's sequence number.
    pub audit_seq: i64,
    /// The audit row's action code (`login`, `login_refused`).
    pub action: String,
    /// The staff member, if known.
    pub staff_id: Option<i64>,
    /// The key's fingerprint.
    pub key_fingerprint: Option<String>,
    /// Client address and port.
    pub client: Option<String>,
    /// What was asked for.
    pub verb: String,
}

/// The acting administrator may manage `owner`'s keys: active, role admin, same agency.
fn check_admin(actor: &Staff, owner_agency: Agency) -> Result<(), KeyAdminError> {
    if !actor.active || !actor.has_role(Role::Admin) {
        return Err(KeyAdminError::NotAdmin);
    }
    if actor.agency != owner_agency {
        return Err(KeyAdminError::OtherAgency);
    }
    Ok(())
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ConstraintViolation)
    )
}

const KEY_COLUMNS: &str = "s.login, s.stelle, s.active, k.algorithm, k.blob, k.comment, \
     k.fingerprint, k.added_at";

fn map_key(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyRow> {
    let agency: String = r.get(1)?;
    Ok(KeyRow {
        login: r.get(0)?,
        agency: Agency::from_code(&agency).unwrap_or(Agency::Jobcenter),
        owner_active: r.get::<_, i64>(2)? == 1,
        algorithm: r.get(3)?,
        blob: r.get(4)?,
        comment: r.get(5)?,
        fingerprint: r.get(6)?,
        added_at: r.get(7)?,
    })
}

impl Store {
    /// Adds `key` to the staff member `login`, as `actor` (an active administrator of that
    /// person's agency). Audited as the creation of the key row.
    pub fn add_ssh_key(
        &self,
        actor: &Staff,
        login: &str,
        key: &PublicKey,
    ) -> Result<(), KeyAdminError> {
        let owner = self.staff_by_login(login)?.ok_or(KeyAdminError::NotFound)?;
        check_admin(actor, owner.agency)?;
        let now = ts(self.now());
        let result = self.write(|tx| {
            insert_key(tx, owner.id, key, Some(actor.id), &now)?;
            let id = tx.last_insert_rowid();
            let entry = AuditEntry::new(AuditAction::Create, object::SSH_KEY)
                .by(actor)
                .object(id)
                .fields(vec!["staff_id", "algorithm", "fingerprint", "comment"])
                .version(1);
            audit::append_at(tx, &entry, &now)?;
            Ok(())
        });
        match result {
            Err(StorageError::Sqlite(e)) if is_unique_violation(&e) => {
                Err(KeyAdminError::Duplicate)
            }
            other => Ok(other?),
        }
    }

    /// Removes the active key with `fingerprint`, as `actor` (an active administrator of
    /// the owner's agency). The row stays, marked removed, so the audit row that names it
    /// keeps its fingerprint.
    pub fn remove_ssh_key(&self, actor: &Staff, fingerprint: &str) -> Result<(), KeyAdminError> {
        let found: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT k.id, s.stelle FROM ssh_key k JOIN staff s ON s.id = k.staff_id \
                 WHERE k.fingerprint = ?1 AND k.removed_at IS NULL",
                [fingerprint],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (id, agency) = found.ok_or(KeyAdminError::NotFound)?;
        check_admin(
            actor,
            Agency::from_code(&agency).unwrap_or(Agency::Jobcenter),
        )?;
        let now = ts(self.now());
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE ssh_key SET removed_at = ?2, removed_by = ?3 \
                 WHERE id = ?1 AND removed_at IS NULL",
                params![id, now, actor.id.0],
            )?;
            if changed != 1 {
                return Err(StorageError::NotFound);
            }
            let entry = AuditEntry::new(AuditAction::Delete, object::SSH_KEY)
                .by(actor)
                .object(id);
            audit::append_at(tx, &entry, &now)?;
            Ok(())
        })
        .map_err(|e| match e {
            StorageError::NotFound => KeyAdminError::NotFound,
            e => KeyAdminError::Storage(e),
        })
    }

    /// The active keys of the agency of `actor` (an active administrator), of one person
    /// when `login` is given; by login and date added.
    pub fn list_ssh_keys(
        &self,
        actor: &Staff,
        login: Option<&str>,
    ) -> Result<Vec<KeyRow>, KeyAdminError> {
        check_admin(actor, actor.agency)?;
        if let Some(l) = login {
            let owner = self.staff_by_login(l)?.ok_or(KeyAdminError::NotFound)?;
            check_admin(actor, owner.agency)?;
        }
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {KEY_COLUMNS} FROM ssh_key k JOIN staff s ON s.id = k.staff_id \
             WHERE k.removed_at IS NULL AND s.stelle = ?1 AND (?2 IS NULL OR s.login = ?2) \
             ORDER BY s.login, k.added_at, k.id"
        ))?;
        let rows = stmt.query_map(params![actor.agency.code(), login], map_key)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every key that may log in: the active keys of active staff, by login and date
    /// added (the content of `tandem keys`).
    pub fn authorized_keys(&self) -> Result<Vec<KeyRow>, StorageError> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {KEY_COLUMNS} FROM ssh_key k JOIN staff s ON s.id = k.staff_id \
             WHERE k.removed_at IS NULL AND s.active = 1 \
             ORDER BY s.login, k.added_at, k.id"
        ))?;
        let rows = stmt.query_map([], map_key)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The owner of the active key with `fingerprint`, if any.
    pub fn ssh_key_owner(&self, fingerprint: &str) -> Result<Option<StaffId>, StorageError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT staff_id FROM ssh_key WHERE fingerprint = ?1 AND removed_at IS NULL",
                [fingerprint],
                |r| r.get(0).map(StaffId),
            )
            .optional()?)
    }

    /// `tandem init`: the first administrator of a new database, with role admin and one
    /// key, in one transaction. Refused when the database has staff already.
    pub fn create_first_admin(
        &self,
        staff: &super::staff::NewStaff,
        key: &PublicKey,
    ) -> Result<StaffId, KeyAdminError> {
        let now = ts(self.now());
        self.write(|tx| {
            let existing: i64 = tx.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?;
            if existing > 0 {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO staff (login, surname, given_name, stelle, phone, email, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![
                    staff.login,
                    staff.surname,
                    staff.given_name,
                    staff.agency.code(),
                    staff.phone,
                    staff.email,
                    now
                ],
            )?;
            let id = StaffId(tx.last_insert_rowid());
            for role in &staff.roles {
                tx.execute(
                    "INSERT INTO staff_role (staff_id, role) VALUES (?1, ?2)",
                    params![id.0, role.code()],
                )?;
            }
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, audit::object::STAFF)
                    .object(id.0)
                    .fields(vec!["login", "surname", "given_name", "stelle", "roles"])
                    .version(1)
                    .detail(detail::INIT),
                &now,
            )?;
            insert_key(tx, id, key, None, &now)?;
            audit::append_at(
                tx,
                &AuditEntry::new(AuditAction::Create, object::SSH_KEY)
                    .object(tx.last_insert_rowid())
                    .fields(vec!["staff_id", "algorithm", "fingerprint", "comment"])
                    .version(1)
                    .detail(detail::INIT),
                &now,
            )?;
            Ok(Some(id))
        })?
        .ok_or(KeyAdminError::NotEmpty)
    }

    /// Appends `entry` (a login or refused login) with the row of `login_origin` that says
    /// where it came from, in one transaction.
    pub fn record_login_with_origin(
        &self,
        entry: &AuditEntry,
        origin: &LoginOrigin,
    ) -> Result<i64, StorageError> {
        let at = ts(self.now());
        self.write(|tx| {
            audit::insert_evidence(
                tx,
                &audit::LOGIN_ORIGIN,
                &[
                    &entry.staff.map(|s| s.0),
                    &at,
                    &origin.key_fingerprint,
                    &origin.client,
                    &origin.verb,
                ],
            )?;
            audit::append_at(tx, entry, &at)
        })
    }

    /// Every stored login origin with its audit row, oldest first.
    pub fn login_origins(&self) -> Result<Vec<LoginOriginRow>, StorageError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT o.audit_seq, a.action, o.staff_id, o.key_fingerprint, o.client, o.verb \
             FROM login_origin o JOIN audit_log a ON a.seq = o.audit_seq ORDER BY o.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LoginOriginRow {
                audit_seq: r.get(0)?,
                action: r.get(1)?,
                staff_id: r.get(2)?,
                key_fingerprint: r.get(3)?,
                client: r.get(4)?,
                verb: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn insert_key(
    tx: &rusqlite::Transaction<'_>,
    owner: StaffId,
    key: &PublicKey,
    by: Option<StaffId>,
    now: &str,
) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO ssh_key (staff_id, algorithm, blob, comment, fingerprint, added_at, added_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            owner.0,
            key.algorithm,
            key.blob,
            key.comment,
            key.fingerprint,
            now,
            by.map(|b| b.0)
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real ed25519 public key (from ssh-keygen) and its fingerprint as ssh-keygen -l
    /// prints it.
    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII+MZRVfli+mYiL1RijOEDNEMaUIjTckpdFEu53CF342 anna@pc";

    #[test]
    fn base64_round_trips() {
        for n in 1..20u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(
                base64_decode(&base64_encode(&bytes, true)),
                Some(bytes.clone())
            );
            assert_eq!(base64_decode(&base64_encode(&bytes, false)), Some(bytes));
        }
        assert_eq!(base64_decode(""), None);
        assert_eq!(base64_encode(b"foob", true), "Zm9vYg==");
        assert_eq!(base64_encode(b"foob", false), "Zm9vYg");
        assert_eq!(base64_decode("Zm9v!"), None);
    }

    #[test]
    fn parses_an_ed25519_key() {
        let key = PublicKey::parse(&format!("\n{ED}\n")).expect("valid");
        assert_eq!(key.algorithm, "ssh-ed25519");
        assert_eq!(key.comment, "anna@pc");
        assert_eq!(
            key.fingerprint,
            "SHA256:RPLKlIzOupc33NaBwPBrt+kVILI96EbVTyDAmFqkHok"
        );
    }

    #[test]
    fn refuses_garbage_and_private_keys() {
        assert_eq!(PublicKey::parse(""), Err(KeyProblem::Empty));
        assert_eq!(
            PublicKey::parse("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n"),
            Err(KeyProblem::PrivateKey)
        );
        assert_eq!(
            PublicKey::parse("ssh-dss AAAA"),
            Err(KeyProblem::UnknownType("ssh-dss".into()))
        );
        assert_eq!(
            PublicKey::parse("ssh-ed25519 AAAA"),
            Err(KeyProblem::Malformed)
        );
        // The blob of one type under the name of another.
        let blob = ED.split(' ').nth(1).unwrap_or_default();
        assert_eq!(
            PublicKey::parse(&format!("ecdsa-sha2-nistp256 {blob}")),
            Err(KeyProblem::Malformed)
        );
        assert_eq!(
            PublicKey::parse(&format!("{ED}\n{ED}")),
            Err(KeyProblem::SeveralKeys)
        );
    }

    #[test]
    fn comments_cannot_break_the_key_line() {
        assert_eq!(
            clean_comment("a\"b\n command=\"x\"\t\u{1b}[2J  c"),
            "ab command=x [2J c"
        );
    }
}
