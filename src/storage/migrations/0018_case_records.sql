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
