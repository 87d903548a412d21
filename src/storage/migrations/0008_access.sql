-- Tandem schema 8: the access rules of docs/access.md.

-- Absence periods ("Abwesenheit"): a deputy stands in only while the colleague is away
-- (docs/access.md A2). Days are local (Europe/Berlin) calendar days, both inclusive.
CREATE TABLE staff_absence (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    from_day    TEXT NOT NULL,
    to_day      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK (from_day <= to_day)
);
CREATE INDEX staff_absence_staff ON staff_absence (staff_id, to_day);

-- Every measure has an owner agency (docs/access.md A3): the agency that recorded it.
-- Existing measures: the agency of the responsible caseworker, else the case owner.
ALTER TABLE measure ADD COLUMN owner_stelle TEXT REFERENCES stelle (code);
UPDATE measure SET owner_stelle = coalesce(
    CASE WHEN responsible_kind = 'staff' THEN responsible_agency END,
    (SELECT c.owner_stelle FROM coop_case c WHERE c.id = measure.case_id));
