-- Tandem schema 10: reserved for staff administration (issue #12 part 1), which is built on
-- another branch. rusqlite_migration counts versions by position, so schema 11 needs a
-- step 10; this empty placeholder is replaced by the real 0010 when the branches meet.
SELECT 1;
