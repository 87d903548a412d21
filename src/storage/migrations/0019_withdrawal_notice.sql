-- The information at benefit withdrawal ("Information bei Leistungsentzug",
-- docs/casework.md § 9): a Jobcenter decision per case, taken by the caseworker and
-- confirmed by a Jobcenter lead; only a confirmed "Information an das Jugendamt" reaches
-- the Jugendamt, whose intake records its receipt. Never created by a rule.
CREATE TABLE withdrawal_notice (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('in_review', 'no_info', 'info_sent')),
    bg_no           TEXT NOT NULL CHECK (length(bg_no) > 0),
    minors_count    INTEGER NOT NULL CHECK (minors_count BETWEEN 0 AND 99),
    -- The decision proposed (status in_review) or taken (no_info, info_sent).
    decision        TEXT CHECK (decision IN ('no_info', 'info_sent')),
    no_info_ground  TEXT CHECK (no_info_ground IN ('hardship', 'no_cause', 'no_minors')),
    reason          TEXT NOT NULL DEFAULT '',
    legal_basis     TEXT NOT NULL DEFAULT '',
    opened_by       INTEGER NOT NULL REFERENCES staff (id),
    opened_at       TEXT NOT NULL,
    decided_by      INTEGER REFERENCES staff (id),
    proposed_at     TEXT,
    -- The lead asked to confirm, and who confirmed once decided_at is set.
    second_by       INTEGER REFERENCES staff (id),
    decided_at      TEXT,
    ja_ref          TEXT UNIQUE,
    received_at     TEXT,
    received_by     INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    CHECK (status = 'in_review' OR (decision = status AND decided_at IS NOT NULL))
);
CREATE INDEX withdrawal_notice_case ON withdrawal_notice (case_id);
-- One open review per case.
CREATE UNIQUE INDEX withdrawal_notice_open ON withdrawal_notice (case_id) WHERE status = 'in_review';
CREATE INDEX withdrawal_notice_sent ON withdrawal_notice (status, decided_at);
