-- Tandem schema 3: the tamper-evident audit log and the history of previous field values
-- (docs/architecture.md § 5.4). Never edit once shipped; add a new numbered file instead.
--
-- audit_log holds no personal data: ids, codes and field NAMES only, never values or free
-- text. Each row's hash covers the previous row's hash and the row itself (storage/audit.rs
-- defines the serialisation); `tandem audit verify` recomputes the chain.
--
-- `action` has no CHECK list on purpose: SQLite cannot change a CHECK without rebuilding the
-- table, and later features (transfers, break-glass, exports, prints) add actions. The
-- program writes only the codes of `AuditAction`, and the hash covers the stored text.

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    staff_id     INTEGER,
    stelle       TEXT,
    action       TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    object_type  TEXT NOT NULL,
    object_id    INTEGER,
    fields       TEXT NOT NULL DEFAULT '',
    new_version  INTEGER,
    detail       TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);

-- Append-only inside the program. (Someone with the file can drop these triggers; the hash
-- chain is what shows that afterwards.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Previous values of changed fields, one row per field, keyed to the audit row of the change.
-- This table DOES hold personal data and follows the retention of its record.
CREATE TABLE change_history (
    id          INTEGER PRIMARY KEY,
    audit_seq   INTEGER NOT NULL REFERENCES audit_log (seq),
    table_name  TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    field       TEXT NOT NULL,
    old_value   TEXT
);
CREATE INDEX change_history_record ON change_history (table_name, record_id, audit_seq);
