-- Tandem schema 9: drafts belong to the session that typed them (docs/architecture.md § 4).
-- Two sessions of one person no longer share a draft row: each autosaves, saves and
-- discards only its own, and a draft is offered at a login only when the session that wrote
-- it has ended (logged out, hung up, killed). Drafts deleted because they expired, and an
-- approval cleared because the approved text changed, leave a notice for the person
-- concerned, shown once at their next login.

CREATE TABLE app_session (
    id          TEXT PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    -- The process that runs the session and its start time (clock ticks after boot, from
    -- /proc): a pid that was reused by another process is not mistaken for the session.
    pid         INTEGER NOT NULL,
    proc_start  INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    ended_at    TEXT
) WITHOUT ROWID;

CREATE INDEX app_session_staff ON app_session (staff_id);

-- Drafts written before schema 9 belong to no session ('') and count as ended.
CREATE TABLE draft_v9 (
    staff_id            INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    session             TEXT NOT NULL,
    form                TEXT NOT NULL,
    record_id           INTEGER NOT NULL,
    base_version        INTEGER NOT NULL,
    base_person_version INTEGER NOT NULL,
    content             TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (staff_id, session, form, record_id)
) WITHOUT ROWID;

INSERT INTO draft_v9 (staff_id, session, form, record_id, base_version, base_person_version,
                      content, updated_at)
SELECT staff_id, '', form, record_id, base_version, base_person_version, content, updated_at
FROM draft;

DROP TABLE draft;
ALTER TABLE draft_v9 RENAME TO draft;

CREATE TABLE staff_notice (
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL
                CHECK (kind IN ('drafts_expired', 'approval_cleared', 'proposal_cleared')),
    -- drafts_expired: how many; approval_cleared: the conference; proposal_cleared: the
    -- referral.
    object_id   INTEGER NOT NULL,
    -- proposal_cleared: the four-eyes step that was proposed.
    detail      TEXT NOT NULL DEFAULT '',
    by_staff    INTEGER REFERENCES staff (id),
    at          TEXT NOT NULL
);

CREATE INDEX staff_notice_staff ON staff_notice (staff_id);
