-- Tandem schema 6: case conferences (Fallkonferenzen) with participants, minutes and
-- decisions that become measures; other appointments and absences for the calendar.

CREATE TABLE conference (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('first', 'follow_up', 'crisis', 'transition')),
    status          TEXT NOT NULL CHECK (status IN ('requested', 'scheduled', 'invited', 'held',
                        'minutes_draft', 'minutes_approved', 'postponed', 'cancelled')),
    question        TEXT NOT NULL,
    requested_by    INTEGER NOT NULL REFERENCES staff (id),
    requested_at    TEXT NOT NULL,
    starts_at       TEXT,
    duration_min    INTEGER NOT NULL DEFAULT 90 CHECK (duration_min BETWEEN 15 AND 480),
    location        TEXT NOT NULL DEFAULT '',
    anonymised      INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1)),
    cancel_reason   TEXT NOT NULL DEFAULT '',
    sequence        INTEGER NOT NULL DEFAULT 0,
    minutes         TEXT NOT NULL DEFAULT '',
    minutes_by      INTEGER REFERENCES staff (id),
    approved_by     INTEGER REFERENCES staff (id),
    approved_second INTEGER REFERENCES staff (id),
    approved_at     TEXT,
    retention_class TEXT NOT NULL DEFAULT 'case',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conference_case ON conference (case_id);
CREATE INDEX conference_start ON conference (starts_at);

CREATE TABLE conference_participant (
    conference_id   INTEGER NOT NULL REFERENCES conference (id) ON DELETE CASCADE,
    no              INTEGER NOT NULL,
    staff_id        INTEGER REFERENCES staff (id),
    external_name   TEXT NOT NULL DEFAULT '',
    external_org    TEXT NOT NULL DEFAULT '',
    agency          TEXT REFERENCES stelle (code),
    role            TEXT NOT NULL,
    invitation      TEXT NOT NULL DEFAULT 'invited',
    attendance      TEXT,
    PRIMARY KEY (conference_id, no)
) WITHOUT ROWID;
CREATE INDEX conference_participant_staff ON conference_participant (staff_id);

-- Decisions of a conference are measures of the case; this says which conference agreed one.
ALTER TABLE measure ADD COLUMN conference_id INTEGER REFERENCES conference (id) ON DELETE SET NULL;

-- Appointments other than conferences: plenary, team meetings, trainings, hospitations,
-- absences. No case data.
CREATE TABLE appointment (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    ends_at         TEXT NOT NULL,
    room            TEXT,
    created_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointment_start ON appointment (starts_at);

CREATE TABLE appointment_attendee (
    appointment_id  INTEGER NOT NULL REFERENCES appointment (id) ON DELETE CASCADE,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    PRIMARY KEY (appointment_id, staff_id)
) WITHOUT ROWID;
CREATE INDEX appointment_attendee_staff ON appointment_attendee (staff_id);
