-- Following up participation (DESIGN.md §5, seed 002 «Oppfølging», pbl. § 11-14): every input
-- is assessed (append-only: a revised assessment replaces the old one and keeps it), each
-- sender gets feedback, e-mails wait in an outbox until the relay takes them, and contact data
-- are erased when the process's retention runs out.

CREATE TABLE assessment (
    id              INTEGER PRIMARY KEY,
    process_id      TEXT NOT NULL REFERENCES process(id),
    outcome         TEXT NOT NULL CHECK (outcome IN ('tatt til følge', 'delvis tatt til følge',
                        'ikke tatt til følge', 'utenfor mandat', 'allerede ivaretatt')),
    justification   TEXT,                     -- required unless 'tatt til følge'
    summary         TEXT,                     -- the input(s) in short, for the merknadsbehandling
    themes          TEXT NOT NULL DEFAULT '[]',
    replaces        INTEGER REFERENCES assessment(id),  -- the assessment this one revised
    assessed_by     INTEGER REFERENCES user(id),
    assessed_at     INTEGER NOT NULL
);
CREATE INDEX assessment_process ON assessment(process_id, assessed_at);

-- Assessments are a record: never changed or deleted, only replaced by a newer one.
CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are kept as they were made; add a new one'); END;
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are kept as they were made'); END;

-- The inputs an assessment covers: one, or several similar ones assessed together.
CREATE TABLE assessment_input (
    assessment_id   INTEGER NOT NULL REFERENCES assessment(id),
    input_id        INTEGER NOT NULL REFERENCES input(id),
    PRIMARY KEY (assessment_id, input_id)
) WITHOUT ROWID;
CREATE INDEX assessment_input_input ON assessment_input(input_id);

-- The measures or focus areas of the plan an assessment points to.
CREATE TABLE assessment_link (
    assessment_id   INTEGER NOT NULL REFERENCES assessment(id),
    measure_id      TEXT REFERENCES measure(id),
    focus_area_id   INTEGER REFERENCES focus_area(id),
    CHECK ((measure_id IS NULL) <> (focus_area_id IS NULL))
);
CREATE INDEX assessment_link_assessment ON assessment_link(assessment_id);

-- The input's current assessment (the newest; older ones are reached through replaces).
ALTER TABLE input ADD COLUMN assessment_id INTEGER REFERENCES assessment(id);

-- Feedback to the sender of an input; the newest per input is the one shown.
CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY,
    input_id        INTEGER NOT NULL REFERENCES input(id),
    assessment_id   INTEGER NOT NULL REFERENCES assessment(id),
    language        TEXT NOT NULL CHECK (language IN ('nb', 'nn', 'en')),
    body            TEXT NOT NULL,
    written_by      INTEGER REFERENCES user(id),
    written_at      INTEGER NOT NULL
);
CREATE INDEX feedback_input ON feedback(input_id, written_at);

-- The text feedback starts from, per outcome and language (staff edit them).
CREATE TABLE feedback_template (
    outcome         TEXT NOT NULL,
    language        TEXT NOT NULL CHECK (language IN ('nb', 'nn', 'en')),
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    PRIMARY KEY (outcome, language)
) WITHOUT ROWID;

-- E-mail waiting for the relay: retried on a schedule, so an outage loses nothing.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    feedback_id     INTEGER REFERENCES feedback(id),
    to_address      TEXT,                     -- NULL once the contact data are erased
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    given_up_at     INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;

-- Retention of contact data: months after the process ended (NULL: the configured default,
-- 12); closed_at is when the process was set to «avsluttet».
ALTER TABLE process ADD COLUMN retention_months INTEGER;
ALTER TABLE process ADD COLUMN closed_at INTEGER;
