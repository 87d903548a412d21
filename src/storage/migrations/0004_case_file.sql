-- Tandem schema 4: the case file around a cooperation case — deputies, consent, custody
-- holders, children, measures, notes, transfers and break-glass grants.

ALTER TABLE staff ADD COLUMN deputy_id INTEGER REFERENCES staff (id);

-- "Geplantes Hilfeende" of a running youth help (§ 41 SGB VIII), for the transition alert.
ALTER TABLE coop_case ADD COLUMN help_end TEXT;

CREATE TABLE consent (
    id                    INTEGER PRIMARY KEY,
    case_id               INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    recorded_by           TEXT NOT NULL REFERENCES stelle (code),
    declared_by           TEXT NOT NULL,
    representation_reason TEXT,
    insight_checked       INTEGER NOT NULL DEFAULT 0,
    signed_on             TEXT NOT NULL,
    form                  TEXT NOT NULL,
    document_ref          TEXT NOT NULL DEFAULT '',
    purposes              TEXT NOT NULL,
    categories            TEXT NOT NULL,
    recipient_agencies    TEXT NOT NULL,
    recipient_staff       TEXT NOT NULL DEFAULT '',
    external_recipients   TEXT NOT NULL DEFAULT '',
    recurring             INTEGER NOT NULL DEFAULT 0,
    valid_from            TEXT NOT NULL,
    valid_until           TEXT NOT NULL,
    info_purpose          INTEGER NOT NULL DEFAULT 0,
    info_refusal          INTEGER NOT NULL DEFAULT 0,
    info_revocable        INTEGER NOT NULL DEFAULT 0,
    status                TEXT NOT NULL CHECK (status IN ('draft', 'granted', 'refused', 'revoked')),
    revoked_on            TEXT,
    revoked_how           TEXT,
    retention_class       TEXT NOT NULL DEFAULT 'consent',
    created_at            TEXT NOT NULL,
    created_by            INTEGER REFERENCES staff (id),
    updated_at            TEXT NOT NULL,
    updated_by            INTEGER REFERENCES staff (id),
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX consent_case ON consent (case_id);

CREATE TABLE guardian (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    relation        TEXT NOT NULL,
    custody         TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    do_not_contact  INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX guardian_case ON guardian (case_id);

CREATE TABLE child (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    relation        TEXT NOT NULL,
    whereabouts     TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX child_case ON child (case_id);

CREATE TABLE measure (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    text                TEXT NOT NULL,
    responsible_kind    TEXT NOT NULL CHECK (responsible_kind IN ('staff', 'young_person', 'external')),
    responsible_agency  TEXT REFERENCES stelle (code),
    responsible_staff   INTEGER REFERENCES staff (id),
    responsible_name    TEXT NOT NULL DEFAULT '',
    due_on              TEXT NOT NULL,
    status              TEXT NOT NULL,
    result              TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX measure_case ON measure (case_id);

CREATE TABLE note (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    author          INTEGER NOT NULL REFERENCES staff (id),
    stelle          TEXT NOT NULL REFERENCES stelle (code),
    entrusted       INTEGER NOT NULL DEFAULT 0,
    text            TEXT NOT NULL,
    at              TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX note_case ON note (case_id);

-- Immutable receipts of every disclosure to the other agency (docs/domain.md 3.7).
CREATE TABLE transfer_log (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    from_stelle     TEXT NOT NULL REFERENCES stelle (code),
    to_stelle       TEXT NOT NULL REFERENCES stelle (code),
    fields          TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    consent_id      INTEGER REFERENCES consent (id),
    statutory_basis TEXT,
    justification   TEXT NOT NULL DEFAULT '',
    check_64_2      INTEGER NOT NULL DEFAULT 0,
    decided_by      INTEGER NOT NULL REFERENCES staff (id),
    at              TEXT NOT NULL,
    CHECK ((consent_id IS NULL) != (statutory_basis IS NULL))
);
CREATE INDEX transfer_case ON transfer_log (case_id);
CREATE TRIGGER transfer_log_no_update BEFORE UPDATE ON transfer_log
BEGIN SELECT RAISE(ABORT, 'transfer_log is immutable'); END;

CREATE TABLE access_grant (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    reason          TEXT NOT NULL,
    reason_text     TEXT NOT NULL DEFAULT '',
    granted_at      TEXT NOT NULL,
    until           TEXT NOT NULL
);
CREATE INDEX access_grant_case ON access_grant (case_id, staff_id);

-- The case list learns who is assigned (caseload scope) and which agency owns the person
-- data (a partner sees names only when they were transferred).
ALTER TABLE case_list ADD COLUMN owner_bit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_list ADD COLUMN jc_staff_id INTEGER;
ALTER TABLE case_list ADD COLUMN ja_staff_id INTEGER;
UPDATE case_list SET
    owner_bit = (SELECT CASE c.owner_stelle WHEN 'jc' THEN 1 ELSE 2 END FROM coop_case c WHERE c.id = case_list.case_id),
    jc_staff_id = (SELECT c.jc_staff_id FROM coop_case c WHERE c.id = case_list.case_id),
    ja_staff_id = (SELECT c.ja_staff_id FROM coop_case c WHERE c.id = case_list.case_id);
CREATE INDEX case_list_jc_staff ON case_list (jc_staff_id);
CREATE INDEX case_list_ja_staff ON case_list (ja_staff_id);
