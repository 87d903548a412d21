-- Tandem schema 16: the cooperation itself (docs/cooperation.md): the yearly plenary
-- ("Große Runde") with its agenda and a decision log across years, joint meetings,
-- trainings, hospitations (short placements at the partner), the cooperation agreement with
-- its measurable commitments, and the category of an agreed measure for the yearly report.
-- None of these tables names a young person or a case. Each dated record books one row of
-- `appointment`, so it lives in the shared calendar of F3 (clash checks, iCalendar).
-- Never edit once shipped; add a new numbered file instead.

CREATE TABLE plenary (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2999),
    starts_at       TEXT,
    duration_min    INTEGER NOT NULL DEFAULT 150 CHECK (duration_min BETWEEN 15 AND 600),
    location        TEXT NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    status          TEXT NOT NULL DEFAULT 'planned'
                        CHECK (status IN ('planned', 'held', 'minutes_approved', 'done')),
    minutes         TEXT NOT NULL DEFAULT '' CHECK (length(minutes) <= 20000),
    approved_by     INTEGER REFERENCES staff (id),
    approved_at     TEXT,
    appointment_id  INTEGER REFERENCES appointment (id) ON DELETE SET NULL,
    retention_class TEXT NOT NULL DEFAULT 'struct',
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1,
    -- Held needs a date; approved minutes need minutes and who approved them.
    CHECK (status = 'planned' OR starts_at IS NOT NULL),
    CHECK (status IN ('planned', 'held') OR (approved_by IS NOT NULL AND length(minutes) > 0))
);

-- The agenda ("Tagesordnung"): numbered items. `source` says where an item came from: the
-- default list, a lead, an open decision of an earlier year, or the yearly report.
CREATE TABLE plenary_agenda (
    plenary_id      INTEGER NOT NULL REFERENCES plenary (id) ON DELETE CASCADE,
    no              INTEGER NOT NULL CHECK (no >= 1),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    source          TEXT NOT NULL CHECK (source IN ('default', 'custom', 'decision', 'report')),
    decision_id     INTEGER REFERENCES plenary_decision (id) ON DELETE SET NULL,
    PRIMARY KEY (plenary_id, no)
) WITHOUT ROWID;

-- The decision log ("Beschlüsse"), kept across years: an open decision stays on each later
-- plenary's agenda until it is done or dropped.
CREATE TABLE plenary_decision (
    id              INTEGER PRIMARY KEY,
    plenary_id      INTEGER NOT NULL REFERENCES plenary (id) ON DELETE CASCADE,
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    owner           TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
    due_on          TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    closed_on       TEXT,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK ((status = 'open') = (closed_on IS NULL))
);
CREATE INDEX plenary_decision_open ON plenary_decision (status, plenary_id);

-- "Besprechung": never linked to a person or a case.
CREATE TABLE coop_meeting (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('team', 'leads', 'working_group', 'other')),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at       TEXT NOT NULL,
    duration_min    INTEGER NOT NULL DEFAULT 90 CHECK (duration_min BETWEEN 15 AND 600),
    location        TEXT NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    topics          TEXT NOT NULL DEFAULT '' CHECK (length(topics) <= 5000),
    results         TEXT NOT NULL DEFAULT '' CHECK (length(results) <= 10000),
    status          TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    owner_stelle    TEXT NOT NULL REFERENCES stelle (code),
    appointment_id  INTEGER REFERENCES appointment (id) ON DELETE SET NULL,
    retention_class TEXT NOT NULL DEFAULT 'struct',
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX coop_meeting_start ON coop_meeting (starts_at);

-- "Fortbildung"; `hours_tenths` is the length in tenths of an hour (7,5 h = 75).
CREATE TABLE training (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at       TEXT NOT NULL,
    hours_tenths    INTEGER NOT NULL CHECK (hours_tenths BETWEEN 1 AND 800),
    organiser       TEXT NOT NULL DEFAULT '' CHECK (length(organiser) <= 200),
    format          TEXT NOT NULL CHECK (format IN ('presence', 'online')),
    joint           INTEGER NOT NULL DEFAULT 0 CHECK (joint IN (0, 1)),
    topics          TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    status          TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    owner_stelle    TEXT NOT NULL REFERENCES stelle (code),
    appointment_id  INTEGER REFERENCES appointment (id) ON DELETE SET NULL,
    retention_class TEXT NOT NULL DEFAULT 'struct',
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX training_start ON training (starts_at);

-- Who takes part in a plenary, a meeting or a training (their Stelle is the staff row's).
CREATE TABLE coop_participant (
    kind            TEXT NOT NULL CHECK (kind IN ('plenary', 'meeting', 'training')),
    record_id       INTEGER NOT NULL,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    PRIMARY KEY (kind, record_id, staff_id)
) WITHOUT ROWID;
CREATE INDEX coop_participant_staff ON coop_participant (staff_id);

-- "Hospitation": a staff member spends days at the partner Stelle. It never grants access
-- to case data (docs/access.md A14): nothing in the access relation reads this table.
CREATE TABLE hospitation (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    home_stelle     TEXT NOT NULL REFERENCES stelle (code),
    host_stelle     TEXT NOT NULL REFERENCES stelle (code),
    host_contact    TEXT NOT NULL DEFAULT '' CHECK (length(host_contact) <= 200),
    from_on         TEXT NOT NULL,
    to_on           TEXT NOT NULL,
    days            INTEGER NOT NULL CHECK (days BETWEEN 1 AND 60),
    goals           TEXT NOT NULL DEFAULT '' CHECK (length(goals) <= 5000),
    pledge_on       TEXT,
    feedback_guest  TEXT NOT NULL DEFAULT '' CHECK (length(feedback_guest) <= 5000),
    feedback_host   TEXT NOT NULL DEFAULT '' CHECK (length(feedback_host) <= 5000),
    status          TEXT NOT NULL DEFAULT 'agreed'
                        CHECK (status IN ('agreed', 'pledge_signed', 'done', 'feedback', 'cancelled')),
    appointment_id  INTEGER REFERENCES appointment (id) ON DELETE SET NULL,
    retention_class TEXT NOT NULL DEFAULT 'struct',
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK (home_stelle != host_stelle),
    CHECK (to_on >= from_on),
    -- "Durchgeführt" and later only with the confidentiality pledge (docs/domain.md 4.9).
    CHECK (status IN ('agreed', 'cancelled') OR pledge_on IS NOT NULL)
);
CREATE INDEX hospitation_from ON hospitation (from_on);

-- "Kooperationsvereinbarung": one row per version.
CREATE TABLE agreement_version (
    id              INTEGER PRIMARY KEY,
    label           TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    valid_from      TEXT NOT NULL,
    signatories     TEXT NOT NULL DEFAULT '' CHECK (length(signatories) <= 2000),
    annexes         TEXT NOT NULL DEFAULT '' CHECK (length(annexes) <= 2000),
    review_on       TEXT,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1
);

-- The agreement's measurable commitments. `kind` names how the yearly report measures it;
-- `target` is its number (working days, or a count per year).
CREATE TABLE agreement_commitment (
    id              INTEGER PRIMARY KEY,
    agreement_id    INTEGER NOT NULL REFERENCES agreement_version (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('conference_within', 'cp_feedback_within',
                        'cp_receipt_within', 'plenary_per_year', 'hospitations_per_year',
                        'joint_trainings_per_year')),
    target          INTEGER NOT NULL CHECK (target BETWEEN 0 AND 365),
    text            TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 300),
    UNIQUE (agreement_id, kind)
);

-- The category of an agreed measure ("Kategorie", docs/domain.md 3.4), for the report.
ALTER TABLE measure ADD COLUMN category TEXT;
