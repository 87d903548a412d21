-- Tandem schema 21: early help for young parents ("Kontaktvermittlung Frühe Hilfen",
-- docs/early-help.md). A Jobcenter worker records an observation, talks with the parent,
-- records the parent's consent with the data it lists, and sends a contact request that
-- Jugendamt staff with the new function `early_help` take, contact and close.

-- The staff function `early_help` (a CHECK cannot be altered in place: the table is rebuilt).
CREATE TABLE staff_function_21 (
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    function    TEXT NOT NULL CHECK (function IN ('insofa', 'cp_intake', 'cp_coord', 'early_help')),
    PRIMARY KEY (staff_id, function)
) WITHOUT ROWID;
INSERT INTO staff_function_21 (staff_id, function) SELECT staff_id, function FROM staff_function;
DROP TABLE staff_function;
ALTER TABLE staff_function_21 RENAME TO staff_function;

CREATE TABLE eh_request (
    id                  INTEGER PRIMARY KEY,
    requested_by        INTEGER NOT NULL REFERENCES staff (id),
    -- The cooperation case of the parent, when there is one (it sets the retention class).
    case_id             INTEGER REFERENCES coop_case (id) ON DELETE SET NULL,
    state               TEXT NOT NULL CHECK (state IN ('observed', 'talked', 'consented',
                            'declined', 'requested', 'taken', 'contacted', 'closed',
                            'withdrawn', 'converted')),
    -- The decision guide at the observation: what it showed, and the reason when the
    -- worker took early help where it showed another path.
    guide_path          TEXT NOT NULL,
    path_reason         TEXT NOT NULL DEFAULT '',
    weighty             INTEGER NOT NULL DEFAULT 0 CHECK (weighty IN (0, 1)),
    -- The parent (the young person) and what the talk brought.
    parent_name         TEXT NOT NULL CHECK (length(parent_name) > 0),
    parent_contact      TEXT NOT NULL DEFAULT '',
    concerns            TEXT NOT NULL DEFAULT '',
    own_words           TEXT NOT NULL DEFAULT '',
    contact_pref        TEXT NOT NULL DEFAULT '',
    best_times          TEXT NOT NULL DEFAULT '',
    -- The Jobcenter's own observation: never passed on.
    facts               TEXT NOT NULL DEFAULT '',
    talk_on             TEXT,
    -- The consent (purpose "Kontaktvermittlung Frühe Hilfen", recipient the Jugendamt's
    -- early help): who declared it, when, in which form, the data it lists, feedback yes/no.
    consent_on          TEXT,
    consent_by          TEXT,
    consent_form        TEXT,
    consent_ref         TEXT NOT NULL DEFAULT '',
    consent_data        TEXT NOT NULL DEFAULT '',
    consent_feedback    INTEGER NOT NULL DEFAULT 0 CHECK (consent_feedback IN (0, 1)),
    revoked_on          TEXT,
    declined_on         TEXT,
    follow_up_on        TEXT,
    -- What reached the Jugendamt, fixed at sending (the consent's list at that moment).
    sent_at             TEXT,
    passed_data         TEXT NOT NULL DEFAULT '',
    taken_by            INTEGER REFERENCES staff (id),
    taken_at            TEXT,
    first_contact_on    TEXT,
    outcome             TEXT CHECK (outcome IN ('accepted', 'no_help', 'no_contact')),
    help_kind           TEXT,
    closed_at           TEXT,
    converted_at        TEXT,
    referral_id         INTEGER REFERENCES cp_referral (id) ON DELETE SET NULL,
    -- The warm hand-over ("Gemeinsamer Termin") in the shared calendar of F3.
    joint_appointment_id INTEGER REFERENCES appointment (id) ON DELETE SET NULL,
    retention_class     TEXT NOT NULL DEFAULT 'early_help',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          INTEGER REFERENCES staff (id),
    version             INTEGER NOT NULL DEFAULT 1,
    CHECK ((state IN ('requested', 'taken', 'contacted')) <= (sent_at IS NOT NULL)),
    CHECK ((state = 'closed') <= (closed_at IS NOT NULL))
);
CREATE INDEX eh_request_by ON eh_request (requested_by, state);
CREATE INDEX eh_request_state ON eh_request (state, sent_at);

-- The children: a first name and an age band, never a birth date or a surname.
CREATE TABLE eh_child (
    request_id      INTEGER NOT NULL REFERENCES eh_request (id) ON DELETE CASCADE,
    no              INTEGER NOT NULL,
    first_name      TEXT NOT NULL,
    band            TEXT NOT NULL CHECK (band IN ('0', '1-2', '3-5', '6+', 'expected')),
    PRIMARY KEY (request_id, no)
) WITHOUT ROWID;

-- The indicators of the observation per child (gelb and rot only: grün is not stored).
-- The Jobcenter's record; they reach the Jugendamt only through a conversion into a referral.
CREATE TABLE eh_indicator (
    request_id      INTEGER NOT NULL REFERENCES eh_request (id) ON DELETE CASCADE,
    child_no        INTEGER NOT NULL,
    area            TEXT NOT NULL,
    rating          TEXT NOT NULL CHECK (rating IN ('yellow', 'red')),
    PRIMARY KEY (request_id, child_no, area)
) WITHOUT ROWID;

-- Every path the decision guide showed and the one taken, with the reason when they differ.
-- No person data: the codes, the worker, the time, the reason.
CREATE TABLE eh_guide_choice (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    at              TEXT NOT NULL,
    shown           TEXT NOT NULL,
    chosen          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    request_id      INTEGER REFERENCES eh_request (id) ON DELETE SET NULL
);
