-- Tandem schema 7: evidence beside the hash chain (docs/audit.md). Never edit once shipped.
--
-- change_history (previous values), transfer_log (disclosures), access_grant (break-glass
-- grants) and cp_event (child-protection timeline) become append-only and hash-chained per
-- table: each row's hash covers the table name, the row's content and the previous row's
-- hash (storage/audit/evidence.rs defines the serialisation). The audit row written in the
-- same transaction records the new head of each table that got rows (audit_log.evidence,
-- "table:id:hash;…", covered by the audit row's own hash), so `tandem audit verify` finds an
-- edited, deleted, cut-off or out-of-band row, and a dropped or altered protecting trigger.
--
-- Nothing in Tandem updates or deletes these rows. A case or referral with such rows can no
-- longer be deleted (the ON DELETE CASCADE of these tables now aborts); a retention job will
-- need its own, logged path (docs/audit.md).
--
-- The file has two parts. Between them the program hash-chains the rows that exist already
-- (SQLite has no SHA-256) and appends one audit row ("seal") that records the heads; then the
-- second part creates the triggers, which from then on forbid exactly such updates.

ALTER TABLE audit_log ADD COLUMN evidence TEXT;

-- Lifted for the program's step only (same transaction), created again below unchanged.
DROP TRIGGER transfer_log_no_update;

ALTER TABLE change_history ADD COLUMN prev_hash TEXT;
ALTER TABLE change_history ADD COLUMN hash TEXT;

-- audit_seq: the audit row written with the receipt, grant or event (no foreign key: the
-- evidence row is written first, in the same transaction).
ALTER TABLE transfer_log ADD COLUMN audit_seq INTEGER;
ALTER TABLE transfer_log ADD COLUMN prev_hash TEXT;
ALTER TABLE transfer_log ADD COLUMN hash TEXT;

ALTER TABLE access_grant ADD COLUMN audit_seq INTEGER;
ALTER TABLE access_grant ADD COLUMN prev_hash TEXT;
ALTER TABLE access_grant ADD COLUMN hash TEXT;

ALTER TABLE cp_event ADD COLUMN audit_seq INTEGER;
ALTER TABLE cp_event ADD COLUMN prev_hash TEXT;
ALTER TABLE cp_event ADD COLUMN hash TEXT;

-- @chain-existing-rows
-- Here the program chains the existing rows; the triggers follow.

CREATE TRIGGER change_history_no_update BEFORE UPDATE ON change_history
BEGIN
    SELECT RAISE(ABORT, 'change_history is append-only');
END;

CREATE TRIGGER change_history_no_delete BEFORE DELETE ON change_history
BEGIN
    SELECT RAISE(ABORT, 'change_history is append-only');
END;

CREATE TRIGGER change_history_chained BEFORE INSERT ON change_history
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'change_history rows are hash-chained');
END;

-- As in schema 4.
CREATE TRIGGER transfer_log_no_update BEFORE UPDATE ON transfer_log
BEGIN SELECT RAISE(ABORT, 'transfer_log is immutable'); END;

CREATE TRIGGER transfer_log_no_delete BEFORE DELETE ON transfer_log
BEGIN
    SELECT RAISE(ABORT, 'transfer_log is immutable');
END;

CREATE TRIGGER transfer_log_chained BEFORE INSERT ON transfer_log
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'transfer_log rows are hash-chained');
END;

CREATE TRIGGER access_grant_no_update BEFORE UPDATE ON access_grant
BEGIN
    SELECT RAISE(ABORT, 'access_grant is append-only');
END;

CREATE TRIGGER access_grant_no_delete BEFORE DELETE ON access_grant
BEGIN
    SELECT RAISE(ABORT, 'access_grant is append-only');
END;

CREATE TRIGGER access_grant_chained BEFORE INSERT ON access_grant
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'access_grant rows are hash-chained');
END;

CREATE TRIGGER cp_event_no_update BEFORE UPDATE ON cp_event
BEGIN
    SELECT RAISE(ABORT, 'cp_event is append-only');
END;

CREATE TRIGGER cp_event_no_delete BEFORE DELETE ON cp_event
BEGIN
    SELECT RAISE(ABORT, 'cp_event is append-only');
END;

CREATE TRIGGER cp_event_chained BEFORE INSERT ON cp_event
WHEN NEW.hash IS NULL OR NEW.prev_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'cp_event rows are hash-chained');
END;
