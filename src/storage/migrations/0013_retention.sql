-- Retention and deletion (docs/retention.md): periods per Stelle and class, legal holds
-- ("Sperrvermerk"), four-eyes deletion runs, anonymised counters for the yearly report,
-- and the record of erased evidence rows that lets verification bridge their gaps.

CREATE TABLE retention_rule (
    stelle      TEXT NOT NULL REFERENCES stelle (code),
    class       TEXT NOT NULL CHECK (class IN ('case', 'consent', 'cp_jc', 'cp_ja', 'anon',
                    'struct', 'access_log', 'transfer_log')),
    months      INTEGER NOT NULL CHECK (months BETWEEN 1 AND 600),
    action      TEXT NOT NULL CHECK (action IN ('delete', 'anonymise')),
    PRIMARY KEY (stelle, class)
) WITHOUT ROWID;

INSERT INTO retention_rule (stelle, class, months, action)
SELECT s.code, r.class, r.months, r.action FROM stelle s, (
    SELECT 'case' AS class, 36 AS months, 'delete' AS action
    UNION ALL SELECT 'consent', 36, 'delete'
    UNION ALL SELECT 'cp_jc', 120, 'delete'
    UNION ALL SELECT 'cp_ja', 120, 'delete'
    UNION ALL SELECT 'anon', 36, 'delete'
    UNION ALL SELECT 'struct', 60, 'anonymise'
    UNION ALL SELECT 'access_log', 24, 'delete'
    UNION ALL SELECT 'transfer_log', 24, 'delete'
) r;

CREATE TABLE legal_hold (
    id          INTEGER PRIMARY KEY,
    record_type TEXT NOT NULL CHECK (record_type IN ('coop_case')),
    record_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('rechtsstreit', 'auskunftsverfahren', 'archivangebot')),
    by_staff    INTEGER NOT NULL REFERENCES staff (id),
    created_at  TEXT NOT NULL,
    until       TEXT NOT NULL
);
CREATE INDEX legal_hold_record ON legal_hold (record_type, record_id, until);

CREATE TABLE deletion_run (
    id            INTEGER PRIMARY KEY,
    stelle        TEXT NOT NULL REFERENCES stelle (code),
    planned_at    TEXT NOT NULL,
    planned_for   TEXT NOT NULL,
    preview       TEXT NOT NULL,
    requested_by  INTEGER NOT NULL REFERENCES staff (id),
    approved_by   INTEGER REFERENCES staff (id),
    executed_at   TEXT,
    counts        TEXT,
    certificate   TEXT,
    CHECK (approved_by IS NULL OR approved_by != requested_by),
    CHECK ((approved_by IS NULL) = (executed_at IS NULL))
);

-- The records a planned run covers (ids only), fixed at planning.
CREATE TABLE deletion_run_item (
    run_id      INTEGER NOT NULL REFERENCES deletion_run (id),
    class       TEXT NOT NULL,
    record_id   INTEGER NOT NULL,
    PRIMARY KEY (run_id, class, record_id)
) WITHOUT ROWID;

CREATE TABLE retention_counter (
    year        INTEGER NOT NULL,
    stelle      TEXT NOT NULL REFERENCES stelle (code),
    metric      TEXT NOT NULL,
    count       INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (year, stelle, metric)
) WITHOUT ROWID;

CREATE TABLE evidence_erasure (
    id              INTEGER PRIMARY KEY,
    table_name      TEXT NOT NULL,
    row_id          INTEGER NOT NULL,
    row_prev_hash   TEXT NOT NULL,
    row_hash        TEXT NOT NULL,
    run_id          INTEGER NOT NULL,
    audit_seq       INTEGER,
    prev_hash       TEXT,
    hash            TEXT,
    UNIQUE (table_name, row_id)
);

CREATE TRIGGER evidence_erasure_no_update BEFORE UPDATE ON evidence_erasure
BEGIN
    SELECT RAISE(ABORT, 'evidence_erasure is append-only');
END;

CREATE TRIGGER evidence_erasure_no_delete BEFORE DELETE ON evidence_erasure
BEGIN
    SELECT RAISE(ABORT, 'evidence_erasure is append-only');
END;

CREATE TRIGGER evidence_erasure_chained BEFORE INSERT ON evidence_erasure
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'evidence_erasure rows are hash-chained');
END;

-- Evidence rows of deleted records may go only after their erasure was recorded.
DROP TRIGGER change_history_no_delete;
CREATE TRIGGER change_history_no_delete BEFORE DELETE ON change_history
WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'change_history' AND e.row_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'change_history is append-only');
END;

DROP TRIGGER transfer_log_no_delete;
CREATE TRIGGER transfer_log_no_delete BEFORE DELETE ON transfer_log
WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'transfer_log' AND e.row_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'transfer_log is immutable');
END;

DROP TRIGGER access_grant_no_delete;
CREATE TRIGGER access_grant_no_delete BEFORE DELETE ON access_grant
WHEN NOT EXISTS (SELECT 1 FROM evidence_erasure e WHERE e.table_name = 'access_grant' AND e.row_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'access_grant is append-only');
END;
