-- Tandem schema 2: autosaved drafts of open forms, one per (staff, form, record). Drafts
-- hold what a person typed and are shown to nobody else; they are deleted after saving,
-- after discarding, and when they expire.

CREATE TABLE draft (
    staff_id            INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    form                TEXT NOT NULL,
    record_id           INTEGER NOT NULL,
    base_version        INTEGER NOT NULL,
    base_person_version INTEGER NOT NULL,
    content             TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (staff_id, form, record_id)
) WITHOUT ROWID;
