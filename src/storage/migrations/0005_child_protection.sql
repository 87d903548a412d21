-- Tandem schema 5: child-protection referrals (Kinderschutz-Mitteilungen) from the Jobcenter
-- to the Jugendamt, with the Jugendamt's intake, four-eyes steps and feedback; anonymous
-- consultations (§ 8b SGB VIII); staff functions (InsoFa, Eingang Kinderschutz).

CREATE TABLE staff_function (
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    function    TEXT NOT NULL CHECK (function IN ('insofa', 'cp_intake', 'cp_coord')),
    PRIMARY KEY (staff_id, function)
) WITHOUT ROWID;

CREATE TABLE cp_referral (
    id                  INTEGER PRIMARY KEY,
    owner_stelle        TEXT NOT NULL DEFAULT 'jc' REFERENCES stelle (code),
    reporter_id         INTEGER NOT NULL REFERENCES staff (id),
    reporter_phone      TEXT NOT NULL,
    reachable_until     TEXT NOT NULL DEFAULT '',
    secrecy_holder      TEXT NOT NULL CHECK (secrecy_holder IN ('yes', 'no', 'unclear')),
    legal_basis         TEXT NOT NULL,
    urgency             TEXT NOT NULL CHECK (urgency IN ('akut', 'dringend', 'nicht_akut')),
    phoned_at           TEXT,
    phoned_to           TEXT NOT NULL DEFAULT '',
    case_id             INTEGER REFERENCES coop_case (id) ON DELETE SET NULL,
    household           TEXT NOT NULL DEFAULT '',
    observed_on         TEXT,
    facts               TEXT NOT NULL CHECK (length(facts) > 0),
    verbatim            TEXT NOT NULL DEFAULT '',
    assessment          TEXT NOT NULL DEFAULT '',
    immediate_actions   TEXT NOT NULL DEFAULT '',
    wants_receipt       INTEGER NOT NULL DEFAULT 0 CHECK (wants_receipt IN (0, 1)),
    channel             TEXT NOT NULL DEFAULT 'tandem',
    status              TEXT NOT NULL CHECK (status IN ('sent', 'received', 'forwarded', 'triaged',
                            'investigating', 'assessed', 'measures', 'closed')),
    feedback_status     TEXT CHECK (feedback_status IN ('fb_open', 'fb_given', 'fb_not_permitted')),
    sent_at             TEXT NOT NULL,
    ja_ref              TEXT UNIQUE,
    received_at         TEXT,
    received_by         INTEGER REFERENCES staff (id),
    receipt_sent_at     TEXT,
    assigned_to         INTEGER REFERENCES staff (id),
    forwarded_to        TEXT,
    classification      TEXT,
    next_step           TEXT,
    triaged_at          TEXT,
    contact_due         TEXT,
    contact_at          TEXT,
    assessed_at         TEXT,
    direct_impression   TEXT,
    follow_up           TEXT,
    feedback_confirmed  INTEGER,
    feedback_ja_active  TEXT,
    feedback_reason     TEXT,
    feedback_at         TEXT,
    feedback_by         INTEGER REFERENCES staff (id),
    closed_at           TEXT,
    -- A four-eyes step waiting for its second signature.
    pending_step        TEXT,
    pending_by          INTEGER REFERENCES staff (id),
    pending_second      INTEGER REFERENCES staff (id),
    pending_at          TEXT,
    pending_payload     TEXT,
    retention_class     TEXT NOT NULL DEFAULT 'cp_jc',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    updated_by          INTEGER REFERENCES staff (id),
    version             INTEGER NOT NULL DEFAULT 1,
    CHECK ((pending_step IS NULL) = (pending_by IS NULL))
);
CREATE INDEX cp_referral_status ON cp_referral (status, sent_at);
CREATE INDEX cp_referral_reporter ON cp_referral (reporter_id);

CREATE TABLE cp_child (
    referral_id     INTEGER NOT NULL REFERENCES cp_referral (id) ON DELETE CASCADE,
    no              INTEGER NOT NULL,
    surname         TEXT NOT NULL DEFAULT '',
    given_names     TEXT NOT NULL,
    birth_date      TEXT,
    whereabouts     TEXT NOT NULL,
    custody         TEXT NOT NULL DEFAULT '',
    result          TEXT,
    PRIMARY KEY (referral_id, no)
) WITHOUT ROWID;

CREATE TABLE cp_indicator (
    referral_id     INTEGER NOT NULL REFERENCES cp_referral (id) ON DELETE CASCADE,
    area            TEXT NOT NULL,
    rating          TEXT NOT NULL CHECK (rating IN ('green', 'yellow', 'red')),
    PRIMARY KEY (referral_id, area)
) WITHOUT ROWID;

CREATE TABLE cp_prior_step (
    referral_id     INTEGER NOT NULL REFERENCES cp_referral (id) ON DELETE CASCADE,
    step            TEXT NOT NULL,
    answer          TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
    on_date         TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (referral_id, step),
    CHECK ((answer = 'yes') = (on_date IS NOT NULL))
) WITHOUT ROWID;

-- The referral's timeline: every transition with time and person(s). Only addenda carry text.
CREATE TABLE cp_event (
    id              INTEGER PRIMARY KEY,
    referral_id     INTEGER NOT NULL REFERENCES cp_referral (id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    staff_id        INTEGER REFERENCES staff (id),
    second_id       INTEGER REFERENCES staff (id),
    kind            TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cp_event_referral ON cp_event (referral_id, at);

CREATE TABLE anon_consult (
    id              INTEGER PRIMARY KEY,
    case_code       TEXT NOT NULL UNIQUE,
    requested_by    INTEGER NOT NULL REFERENCES staff (id),
    insofa_id       INTEGER REFERENCES staff (id),
    requested_at    TEXT NOT NULL,
    child_age_band  TEXT NOT NULL,
    summary         TEXT NOT NULL CHECK (length(summary) > 0),
    result          TEXT,
    advice          TEXT NOT NULL DEFAULT '',
    advised_at      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'advised', 'closed')),
    retention_class TEXT NOT NULL DEFAULT 'anon',
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
