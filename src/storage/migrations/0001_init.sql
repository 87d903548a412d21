-- Tandem schema 1: agencies, staff, young people, cooperation cases and the case-list read
-- model. Never edit once shipped; add a new numbered file instead.

CREATE TABLE stelle (
    code        TEXT PRIMARY KEY CHECK (code IN ('jc', 'ja')),
    name        TEXT NOT NULL,
    legal_body  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

INSERT INTO stelle (code, name, legal_body) VALUES
    ('jc', 'Vestische Arbeit – Jobcenter Kreis Recklinghausen, Geschäftsstelle Herten', 'Kreis Recklinghausen'),
    ('ja', 'Jugendamt der Stadt Herten', 'Stadt Herten');

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    login       TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),
    surname     TEXT NOT NULL,
    given_name  TEXT NOT NULL,
    stelle      TEXT NOT NULL REFERENCES stelle (code),
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff_role (
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('jc_u25', 'ja_staff', 'ja_oncall', 'lead', 'dpo', 'admin')),
    PRIMARY KEY (staff_id, role)
) WITHOUT ROWID;

CREATE TABLE young_person (
    id              INTEGER PRIMARY KEY,
    owner_stelle    TEXT NOT NULL REFERENCES stelle (code),
    surname         TEXT NOT NULL,
    given_names     TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    gender          TEXT NOT NULL CHECK (gender IN ('m', 'w', 'd', 'x')),
    address         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    jc_customer_no  TEXT NOT NULL DEFAULT '',
    bg_no           TEXT NOT NULL DEFAULT '',
    ja_file_no      TEXT NOT NULL DEFAULT '',
    retention_class TEXT NOT NULL DEFAULT 'case',
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE coop_case (
    id              INTEGER PRIMARY KEY,
    young_person_id INTEGER NOT NULL REFERENCES young_person (id),
    owner_stelle    TEXT NOT NULL REFERENCES stelle (code),
    status          TEXT NOT NULL CHECK (status IN
                        ('requested', 'consent_pending', 'active', 'dormant', 'closed', 'declined')),
    question        TEXT NOT NULL DEFAULT '',
    lead_stelle     TEXT NOT NULL REFERENCES stelle (code),
    jc_staff_id     INTEGER REFERENCES staff (id),
    ja_staff_id     INTEGER REFERENCES staff (id),
    opened_on       TEXT NOT NULL,
    next_review     TEXT,
    closed_on       TEXT,
    closure_reason  TEXT,
    retention_class TEXT NOT NULL DEFAULT 'case',
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES staff (id),
    updated_at      TEXT NOT NULL,
    updated_by      INTEGER REFERENCES staff (id),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX coop_case_person ON coop_case (young_person_id);
CREATE INDEX coop_case_jc_staff ON coop_case (jc_staff_id);
CREATE INDEX coop_case_ja_staff ON coop_case (ja_staff_id);

CREATE TABLE case_reason (
    case_id     INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    PRIMARY KEY (case_id, reason)
) WITHOUT ROWID;

-- Read model of the case list, rewritten in the same transaction as every change of a case,
-- its person or an assigned staff member. Each *_key column is the sort value followed by
-- char(1) and the name's sort key, so every sort is a keyset walk over one index.
CREATE TABLE case_list (
    case_id     INTEGER PRIMARY KEY REFERENCES coop_case (id) ON DELETE CASCADE,
    visible_to  INTEGER NOT NULL,
    name        TEXT NOT NULL,
    birth_date  TEXT NOT NULL,
    status      TEXT NOT NULL,
    jc_staff    TEXT NOT NULL,
    ja_staff    TEXT NOT NULL,
    next_date   TEXT,
    name_key    TEXT NOT NULL,
    age_key     TEXT NOT NULL,
    status_key  TEXT NOT NULL,
    jc_key      TEXT NOT NULL,
    ja_key      TEXT NOT NULL,
    next_key    TEXT NOT NULL
);
CREATE INDEX case_list_name ON case_list (name_key, case_id, visible_to);
CREATE INDEX case_list_age ON case_list (age_key, case_id, visible_to);
CREATE INDEX case_list_status ON case_list (status_key, case_id, visible_to);
CREATE INDEX case_list_jc ON case_list (jc_key, case_id, visible_to);
CREATE INDEX case_list_ja ON case_list (ja_key, case_id, visible_to);
CREATE INDEX case_list_next ON case_list (next_key, case_id, visible_to);

-- Filter words of each case (folded names, file numbers, staff names, status words).
-- visible_to repeats case_list's mask so that counting matches needs this table alone.
CREATE TABLE case_search (
    token       TEXT NOT NULL,
    case_id     INTEGER NOT NULL REFERENCES coop_case (id) ON DELETE CASCADE,
    visible_to  INTEGER NOT NULL,
    PRIMARY KEY (token, case_id)
) WITHOUT ROWID;
CREATE INDEX case_search_case ON case_search (case_id, token);
