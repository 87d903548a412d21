-- Tandem schema 14: what the data-protection officer (DSB) decides and what a person may
-- demand of their data (docs/dpo.md, docs/access.md, docs/subject-access.md).
-- Never edit once shipped; add a new numbered file instead.

-- The review of a break-glass access ("Notfallzugriff", docs/access.md A4): the DSB or the
-- lead of the accessing person's Stelle marks it justified or not. A grant may be reviewed
-- again; the newest review counts. The comment is short and must not name persons.
CREATE TABLE grant_review (
    id           INTEGER PRIMARY KEY,
    grant_id     INTEGER NOT NULL REFERENCES access_grant (id) ON DELETE CASCADE,
    reviewer_id  INTEGER NOT NULL REFERENCES staff (id),
    verdict      TEXT NOT NULL CHECK (verdict IN ('justified', 'unjustified')),
    comment      TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
    at           TEXT NOT NULL
);
CREATE INDEX grant_review_grant ON grant_review (grant_id, id);

-- A request for a subject-access export (Art. 15 DSGVO) under four eyes (docs/subject-access.md):
-- the DSB who asks and a lead of the same Stelle who releases it; the export is made by the
-- requester after the release. The name identifies the person asked about; the row is
-- deleted with the retention of the export itself (docs/retention.md).
CREATE TABLE export_request (
    id            INTEGER PRIMARY KEY,
    stelle        TEXT NOT NULL REFERENCES stelle (code),
    requested_by  INTEGER NOT NULL REFERENCES staff (id),
    requested_at  TEXT NOT NULL,
    surname       TEXT NOT NULL CHECK (length(surname) BETWEEN 1 AND 100),
    given         TEXT NOT NULL CHECK (length(given) BETWEEN 1 AND 100),
    birth         TEXT,
    decided_by    INTEGER REFERENCES staff (id),
    decided_at    TEXT,
    approved      INTEGER CHECK (approved IN (0, 1)),
    done_at       TEXT,
    CHECK (decided_by IS NULL OR decided_by != requested_by),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL) AND (decided_by IS NULL) = (approved IS NULL)),
    CHECK (done_at IS NULL OR approved = 1)
);
CREATE INDEX export_request_open ON export_request (stelle, decided_at, done_at);

-- Restriction of processing (Art. 18 DSGVO, § 84 SGB X: "gesperrt"): while a restriction
-- is open the case is readable only by the DSB and the lead of the owning Stelle and
-- writable by nobody (docs/access.md). At most one open restriction per case.
CREATE TABLE restriction (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason IN ('accuracy', 'unlawful', 'legal_claims', 'objection')),
    by_staff    INTEGER NOT NULL REFERENCES staff (id),
    at          TEXT NOT NULL,
    lifted_by   INTEGER REFERENCES staff (id),
    lifted_at   TEXT,
    CHECK ((lifted_by IS NULL) = (lifted_at IS NULL))
);
CREATE UNIQUE INDEX restriction_open ON restriction (case_id) WHERE lifted_at IS NULL;

-- The case list learns which cases are restricted, so that a restricted row is shown as
-- "gesperrt" without its name (docs/access.md A6).
ALTER TABLE case_list ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;

-- A field whose accuracy the person disputes (Art. 16 DSGVO): the field keeps its value,
-- marked "bestritten", until the dispute is resolved (corrected or confirmed).
CREATE TABLE field_dispute (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    field        TEXT NOT NULL CHECK (length(field) BETWEEN 1 AND 40),
    statement    TEXT NOT NULL DEFAULT '' CHECK (length(statement) <= 1000),
    by_staff     INTEGER NOT NULL REFERENCES staff (id),
    at           TEXT NOT NULL,
    resolved_by  INTEGER REFERENCES staff (id),
    resolved_at  TEXT,
    outcome      TEXT CHECK (outcome IN ('corrected', 'confirmed')),
    CHECK ((resolved_by IS NULL) = (resolved_at IS NULL) AND (resolved_at IS NULL) = (outcome IS NULL))
);
CREATE UNIQUE INDEX field_dispute_open ON field_dispute (case_id, field) WHERE resolved_at IS NULL;
