-- Tandem schema 18: the case file's own records are edited and ended in Tandem, not only
-- seeded (docs/casework.md § 1). A custody holder or a child is ended, never deleted: the
-- partner may have received it, and the history says who changed what.
ALTER TABLE guardian ADD COLUMN ended_on TEXT;
ALTER TABLE guardian ADD COLUMN updated_by INTEGER REFERENCES staff (id);
ALTER TABLE child ADD COLUMN ended_on TEXT;
ALTER TABLE child ADD COLUMN updated_by INTEGER REFERENCES staff (id);
ALTER TABLE measure ADD COLUMN updated_by INTEGER REFERENCES staff (id);

-- Which revoked consents a recipient has been told about at login (docs/casework.md § 3):
-- the notice is derived from the transfer log, and this only remembers that it was shown.
CREATE TABLE revocation_seen (
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    consent_id  INTEGER NOT NULL REFERENCES consent (id) ON DELETE CASCADE,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (staff_id, consent_id)
) WITHOUT ROWID;

-- Conferences (docs/casework.md § 4): a numbered agenda ("Tagesordnung", TOP) with the open
-- agreements carried in, minutes per item and per life area, a plain-language summary, the
-- item a decision was taken under, addenda after approval (approved like the minutes), and
-- custody holders of the case as participants.
ALTER TABLE conference ADD COLUMN plain_summary TEXT NOT NULL DEFAULT '';
CREATE TABLE conference_item (
    conference_id       INTEGER NOT NULL REFERENCES conference (id) ON DELETE CASCADE,
    no                  INTEGER NOT NULL CHECK (no >= 1),
    title               TEXT NOT NULL,
    carried_measure_id  INTEGER REFERENCES measure (id) ON DELETE SET NULL,
    minutes             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (conference_id, no)
) WITHOUT ROWID;
CREATE TABLE conference_area (
    conference_id   INTEGER NOT NULL REFERENCES conference (id) ON DELETE CASCADE,
    area            TEXT NOT NULL CHECK (area IN ('school', 'work', 'housing', 'family',
                        'health', 'finances', 'justice', 'social')),
    text            TEXT NOT NULL,
    PRIMARY KEY (conference_id, area)
) WITHOUT ROWID;
ALTER TABLE measure ADD COLUMN agenda_no INTEGER;
CREATE TABLE conference_addendum (
    id              INTEGER PRIMARY KEY,
    conference_id   INTEGER NOT NULL REFERENCES conference (id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    written_by      INTEGER NOT NULL REFERENCES staff (id),
    written_at      TEXT NOT NULL,
    approved_by     INTEGER REFERENCES staff (id),
    approved_second INTEGER REFERENCES staff (id),
    approved_at     TEXT
);
CREATE INDEX conference_addendum_conf ON conference_addendum (conference_id);
ALTER TABLE conference_participant ADD COLUMN guardian_id INTEGER REFERENCES guardian (id) ON DELETE SET NULL;

-- The on-call rota (docs/casework.md § 5): a `ja_oncall` worker reads the Jugendamt's
-- referrals and gets the on-call view only inside a shift the Jugendamt's lead entered.
CREATE TABLE oncall_shift (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES staff (id),
    created_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX oncall_shift_time ON oncall_shift (ends_at, starts_at);
CREATE INDEX oncall_shift_staff ON oncall_shift (staff_id, starts_at);

-- A passed deadline a deputy or lead has acknowledged (docs/casework.md § 6): the
-- escalation stays in their login line and status until then.
CREATE TABLE escalation_ack (
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    referral_id INTEGER NOT NULL REFERENCES cp_referral (id) ON DELETE CASCADE,
    clock       TEXT NOT NULL,
    due         TEXT NOT NULL,
    acked_at    TEXT NOT NULL,
    PRIMARY KEY (staff_id, referral_id, clock, due)
) WITHOUT ROWID;

-- Indicators ("Anhaltspunkte") belong to a child, not to the referral (docs/casework.md
-- § 6). Those recorded per referral before are kept for each of its children.
CREATE TABLE cp_indicator_child (
    referral_id     INTEGER NOT NULL REFERENCES cp_referral (id) ON DELETE CASCADE,
    child_no        INTEGER NOT NULL,
    area            TEXT NOT NULL,
    rating          TEXT NOT NULL CHECK (rating IN ('green', 'yellow', 'red')),
    PRIMARY KEY (referral_id, child_no, area)
) WITHOUT ROWID;
INSERT INTO cp_indicator_child (referral_id, child_no, area, rating)
    SELECT i.referral_id, c.no, i.area, i.rating
    FROM cp_indicator i JOIN cp_child c ON c.referral_id = i.referral_id;
DROP TABLE cp_indicator;
ALTER TABLE cp_indicator_child RENAME TO cp_indicator;

-- The hand-over Jugendamt → Jobcenter when a youth help ends (§ 36b / § 41 Abs. 3 SGB VIII,
-- docs/casework.md § 3a). One per case; "Vorgemerkt" is derived from the planned end until
-- the first step stores the row.
CREATE TABLE handover (
    case_id         INTEGER PRIMARY KEY REFERENCES coop_case (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('flagged', 'checking', 'agreed', 'applied',
                        'handed_over', 'dropped')),
    help_type       TEXT CHECK (help_type IN ('hze', 'sgb8_35a', 'sgb8_41')),
    planned_end     TEXT,
    hilfeplan_ref   TEXT NOT NULL DEFAULT '',
    applied_on      TEXT,
    handed_over_on  TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id)
);
