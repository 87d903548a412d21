-- Tandem schema 15: the retention classes beyond the cooperation case (docs/retention.md).
-- Never edit once shipped; add a new numbered file instead.

-- A deletion run may erase the timeline of a child-protection referral that is due, once
-- the erasure of each row is recorded (as schema 13 allowed for the change history, the
-- transfer log and the break-glass grants).
DROP TRIGGER cp_event_no_delete;
CREATE TRIGGER cp_event_no_delete BEFORE DELETE ON cp_event
WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'cp_event' AND e.row_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'cp_event is append-only');
END;

-- A legal hold ("Sperrvermerk") may hold a child-protection referral as well as a case.
CREATE TABLE legal_hold_v15 (
    id          INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL CHECK (record_type IN ('coop_case', 'cp_referral')),
    record_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('rechtsstreit', 'auskunftsverfahren', 'archivangebot')),
    by_staff    INTEGER NOT NULL REFERENCES staff (id),
    created_at  TEXT NOT NULL,
    until       TEXT NOT NULL
);
INSERT INTO legal_hold_v15 (id, record_type, record_id, reason, by_staff, created_at, until)
    SELECT id, record_type, record_id, reason, by_staff, created_at, until FROM legal_hold;
DROP TABLE legal_hold;
ALTER TABLE legal_hold_v15 RENAME TO legal_hold;
CREATE INDEX legal_hold_record ON legal_hold (record_type, record_id, until);

-- The access log (class `access_log`): a deletion run deletes audit rows whose period ran
-- in both Stellen, except those that a kept change-history row names (they explain a
-- record that still exists). Before a row goes, its sequence number, previous hash, hash
-- and the evidence heads it recorded ("table:id:hash;…", hashes and ids only) are kept
-- here, so that verification bridges the gap (docs/retention.md, docs/audit.md). This
-- table is itself an evidence table: append-only and hash-chained, its head recorded by
-- the run's audit row, so that a row slipped in by hand is found.
CREATE TABLE audit_erasure (
    id              INTEGER PRIMARY KEY,
    row_seq         INTEGER NOT NULL UNIQUE,
    row_prev_hash   TEXT NOT NULL,
    row_hash        TEXT NOT NULL,
    row_evidence    TEXT,
    run_id          INTEGER NOT NULL,
    audit_seq       INTEGER,
    prev_hash       TEXT,
    hash            TEXT
);

CREATE TRIGGER audit_erasure_no_update BEFORE UPDATE ON audit_erasure
BEGIN
    SELECT RAISE(ABORT, 'audit_erasure is append-only');
END;

CREATE TRIGGER audit_erasure_no_delete BEFORE DELETE ON audit_erasure
BEGIN
    SELECT RAISE(ABORT, 'audit_erasure is append-only');
END;

CREATE TRIGGER audit_erasure_chained BEFORE INSERT ON audit_erasure
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_erasure rows are hash-chained');
END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_erasure e WHERE e.row_seq = OLD.seq)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Where logins came from goes with the access log, row by row as erased evidence.
DROP TRIGGER login_origin_no_delete;
CREATE TRIGGER login_origin_no_delete BEFORE DELETE ON login_origin
WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'login_origin' AND e.row_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'login_origin is append-only');
END;

-- The review list of the access log asks, per audit row, whether a change-history row
-- still names it.
CREATE INDEX change_history_audit_seq ON change_history (audit_seq);
