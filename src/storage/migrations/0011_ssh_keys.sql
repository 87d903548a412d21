-- Tandem schema 11: the SSH front door (docs/architecture.md § 7). Never edit once shipped.
--
-- ssh_key: the public keys of staff members. `tandem keys` turns the keys of active staff
-- into the authorized_keys file of the service account, one forced-command line per key,
-- so the key a person logs in with decides who they are. A key belongs to one person only
-- (fingerprint unique among the keys not removed): otherwise sshd would take the first
-- matching line and the other person would log in as the first. A removed key keeps its
-- row (removed_at), so the audit rows that name the key keep its fingerprint.
CREATE TABLE ssh_key (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    -- The key type as OpenSSH writes it: ssh-ed25519, ecdsa-sha2-nistp256, …
    algorithm   TEXT NOT NULL,
    -- The key blob, base64 as in the .pub file (a public key: no secret).
    blob        TEXT NOT NULL,
    -- The comment of the .pub file, cleaned (no quotes, no control characters).
    comment     TEXT NOT NULL DEFAULT '',
    -- "SHA256:" and the unpadded base64 of SHA-256 over the decoded blob, as ssh-keygen -l
    -- and sshd's log print it.
    fingerprint TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
    added_at    TEXT NOT NULL,
    -- The administrator who added it (none: `tandem init`).
    added_by    INTEGER REFERENCES staff (id),
    removed_at  TEXT,
    removed_by  INTEGER REFERENCES staff (id)
);
CREATE INDEX ssh_key_staff ON ssh_key (staff_id);
CREATE UNIQUE INDEX ssh_key_fingerprint ON ssh_key (fingerprint) WHERE removed_at IS NULL;

-- login_origin: where a login through SSH came from, written with its audit row (login or
-- refused login) and chained like the other evidence tables (docs/audit.md): the key's
-- fingerprint from sshd's ExposeAuthInfo (SSH_USER_AUTH), the client address and port
-- from SSH_CONNECTION, and what was asked for (the interactive program or a plain-data
-- verb of SSH_ORIGINAL_COMMAND). Never key material.
CREATE TABLE login_origin (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER REFERENCES staff (id),
    at              TEXT NOT NULL,
    key_fingerprint TEXT,
    client          TEXT,
    verb            TEXT NOT NULL,
    audit_seq       INTEGER,
    prev_hash       TEXT,
    hash            TEXT
);

CREATE TRIGGER login_origin_no_update BEFORE UPDATE ON login_origin
BEGIN
    SELECT RAISE(ABORT, 'login_origin is append-only');
END;

CREATE TRIGGER login_origin_no_delete BEFORE DELETE ON login_origin
BEGIN
    SELECT RAISE(ABORT, 'login_origin is append-only');
END;

CREATE TRIGGER login_origin_chained BEFORE INSERT ON login_origin
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'login_origin rows are hash-chained');
END;
