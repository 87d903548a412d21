-- Printed documents (docs/documents.md § 2): which file in the export folder a person
-- wrote, for which record, so that the SSH verb `dokument N` hands exactly that file to
-- exactly the person who made it. The file's content is never stored here.
CREATE TABLE document (
    id          INTEGER PRIMARY KEY,
    made_by     INTEGER NOT NULL REFERENCES staff (id),
    made_at     TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    -- A bare file name inside the export folder: no folder part, nothing hidden.
    file        TEXT NOT NULL CHECK (
        length(file) BETWEEN 5 AND 200
        AND instr(file, '/') = 0
        AND substr(file, 1, 1) <> '.'
    )
);
CREATE INDEX document_by_maker ON document (made_by, id);
