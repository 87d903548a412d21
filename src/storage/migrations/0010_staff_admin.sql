-- Tandem schema 10: staff administration by the `admin` role of each Stelle
-- (docs/access.md "A11 Administration"). Office e-mail and phone, functions
-- (`staff_function`, schema 5), the deputy (`deputy_id`, schema 4) and `version` exist
-- already; this adds who saved a staff record last (for the conflict message) and the
-- four-eyes grants of the roles `admin` and `dpo`.

ALTER TABLE staff ADD COLUMN updated_by INTEGER REFERENCES staff (id);

-- A request to give `staff_id` the role `admin` or `dpo`. The role takes effect only when
-- a second active admin of the same Stelle (neither the requester nor the person
-- concerned) confirms it; refusing ends the request without the role.
CREATE TABLE role_grant (
    id              INTEGER PRIMARY KEY,
    staff_id        INTEGER NOT NULL REFERENCES staff (id),
    role            TEXT NOT NULL CHECK (role IN ('admin', 'dpo')),
    requested_by    INTEGER NOT NULL REFERENCES staff (id),
    requested_at    TEXT NOT NULL,
    decided_by      INTEGER REFERENCES staff (id),
    decided_at      TEXT,
    outcome         TEXT CHECK (outcome IN ('confirmed', 'refused')),
    CHECK ((outcome IS NULL) = (decided_by IS NULL)),
    CHECK ((outcome IS NULL) = (decided_at IS NULL))
);

-- At most one open request per person and role.
CREATE UNIQUE INDEX role_grant_open ON role_grant (staff_id, role) WHERE outcome IS NULL;
