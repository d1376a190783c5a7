-- Participation (DESIGN.md §5): the municipality's own participation ladder, processes on
-- it with phases, members, stakeholders and events, a shared list of venues, and the inputs
-- (innspill) from every channel with their contact data kept apart. Times are Unix seconds,
-- dates of phases ISO text (YYYY-MM-DD).

-- The local medvirkningstrapp: data the municipality edits, not code.
CREATE TABLE ladder_step (
    id          TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    explanation TEXT NOT NULL,   -- plain language: what this step means for a citizen
    methods     TEXT NOT NULL DEFAULT '[]'   -- JSON: methods that fit the step
);

INSERT INTO ladder_step (id, position, name, explanation, methods) VALUES
('informasjon', 1, 'Informasjon',
 'Kommunen forteller hva som skal skje, og hvorfor. Du kan følge med og stille spørsmål, men du er ikke med og bestemmer.',
 '["informasjonsmøte", "nettside", "sosiale medier", "stand", "QR-kode", "SMS"]'),
('konsultasjon', 2, 'Konsultasjon',
 'Kommunen spør hva du mener før saken avgjøres. Alle innspill blir vurdert, og du får vite hva som skjedde med ditt.',
 '["høring", "spørreundersøkelse", "intervju", "pop-up", "QR-kode", "SMS"]'),
('dialog', 3, 'Dialog',
 'Vi snakker sammen, gjerne flere ganger, og lærer av hverandre. Det du forteller, er med på å forme forslaget.',
 '["fokusgruppe", "gjestebud", "workshop", "barnetråkk", "frokostmøte", "informasjonsmøte"]'),
('medbestemmelse', 4, 'Medbestemmelse',
 'Du er med på å bestemme innenfor rammer som er gitt på forhånd, for eksempel i en innspillsgruppe eller et brukerråd.',
 '["innspillsgruppe", "nærmiljøutvalg", "brukerråd", "referansegruppe"]'),
('samskaping', 5, 'Samskaping',
 'Innbyggere, organisasjoner og kommunen lager løsningen sammen, som likeverdige partnere, og tar ansvar for den sammen.',
 '["framtidsverksted", "workshop", "digital dugnad", "pop-up bydelslab", "gjestebud"]');

CREATE TABLE process (
    id                  TEXT PRIMARY KEY,         -- the slug of /medvirkning/{slug}
    title               TEXT NOT NULL,
    plan_id             TEXT REFERENCES plan(id),
    ladder_step_id      TEXT REFERENCES ladder_step(id),
    status              TEXT NOT NULL DEFAULT 'planlagt'
                        CHECK (status IN ('planlagt', 'åpen', 'til behandling', 'tilbakemeldt', 'avsluttet')),
    purpose             TEXT,                     -- hvorfor (Markdown)
    can_influence       TEXT,                     -- what participants can influence
    cannot_influence    TEXT,                     -- and what they cannot
    target_groups       TEXT NOT NULL DEFAULT '[]',   -- JSON: hvem (councils, groups)
    methods             TEXT NOT NULL DEFAULT '[]',   -- JSON: hvordan
    themes              TEXT NOT NULL DEFAULT '[]',   -- JSON: themes an input can be given
    areas               TEXT NOT NULL DEFAULT '[]',   -- JSON: areas to choose a place from
    opens_at            INTEGER,
    deadline            INTEGER,                  -- last moment for inputs
    publish_at_once     INTEGER NOT NULL DEFAULT 0,   -- publish inputs without moderation
    communication_plan  TEXT,
    evaluation_plan     TEXT,
    hours_spent         REAL,
    cost_spent          INTEGER,                  -- NOK
    summary             TEXT,                     -- what came of it (Markdown)
    registered_inputs   INTEGER,                  -- inputs counted outside planverk
    demo                INTEGER NOT NULL DEFAULT 0,   -- a demonstration: the page says so
    owner_user_id       INTEGER REFERENCES user(id),
    source              TEXT NOT NULL DEFAULT '[]',   -- JSON: where the facts come from
    created_at          INTEGER NOT NULL,
    position            INTEGER NOT NULL
);

-- når: the phases of a process.
CREATE TABLE process_phase (
    process_id  TEXT NOT NULL REFERENCES process(id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    starts_on   TEXT,
    ends_on     TEXT,
    PRIMARY KEY (process_id, position)
) WITHOUT ROWID;

-- Staff added to a process (its owner is process.owner_user_id).
CREATE TABLE process_member (
    process_id  TEXT NOT NULL REFERENCES process(id),
    user_id     INTEGER NOT NULL REFERENCES user(id),
    PRIMARY KEY (process_id, user_id)
) WITHOUT ROWID;

-- Interessentanalyse: who has interest and influence, and how they are reached.
CREATE TABLE stakeholder (
    id          INTEGER PRIMARY KEY,
    process_id  TEXT NOT NULL REFERENCES process(id),
    name        TEXT NOT NULL,
    interest    TEXT NOT NULL CHECK (interest IN ('lav', 'høy')),
    influence   TEXT NOT NULL CHECK (influence IN ('lav', 'høy')),
    how_reached TEXT,
    reached     INTEGER NOT NULL DEFAULT 0
);

-- Venues of the whole municipality (002: «oversikt over lokaler»).
CREATE TABLE venue (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    address             TEXT,
    area                TEXT,
    capacity            INTEGER,
    universal_design    TEXT,
    equipment           TEXT
);

CREATE TABLE event (
    id              INTEGER PRIMARY KEY,
    process_id      TEXT NOT NULL REFERENCES process(id),
    kind            TEXT NOT NULL CHECK (kind IN ('møte', 'workshop', 'pop-up', 'stand', 'annet')),
    title           TEXT NOT NULL,
    starts_at       INTEGER,
    ends_at         INTEGER,
    venue_id        INTEGER REFERENCES venue(id),
    method          TEXT,
    accessibility   TEXT
);
CREATE INDEX event_process ON event(process_id, starts_at);

-- An innspill. Contact data live in their own table (DESIGN.md §6).
CREATE TABLE input (
    id              INTEGER PRIMARY KEY,
    process_id      TEXT REFERENCES process(id),  -- NULL: «Meld fra» outside any process
    channel         TEXT NOT NULL CHECK (channel IN ('web', 'e-post', 'brev', 'telefon', 'møte',
                        'workshop', 'råd', 'sms', 'spørreundersøkelse', 'meld-fra')),
    sender_type     TEXT NOT NULL DEFAULT 'privatperson' CHECK (sender_type IN
                        ('privatperson', 'organisasjon', 'offentlig myndighet', 'råd/utvalg')),
    on_behalf_of    TEXT,                     -- the organisation or council
    text            TEXT NOT NULL,
    language        TEXT,
    received_at     INTEGER NOT NULL,
    place_lat       REAL,
    place_lon       REAL,
    place_area      TEXT,
    place_text      TEXT,
    themes          TEXT NOT NULL DEFAULT '[]',
    age_group       TEXT,                     -- anonymous background, for representativity
    home_area       TEXT,
    status          TEXT NOT NULL DEFAULT 'mottatt'
                    CHECK (status IN ('mottatt', 'vurdert', 'tilbakemeldt')),
    moderation      TEXT NOT NULL DEFAULT 'ny' CHECK (moderation IN ('ny', 'publisert', 'avvist')),
    receipt_hash    BLOB UNIQUE,              -- SHA-256 of the receipt code
    registered_by   INTEGER REFERENCES user(id),
    batch           TEXT                      -- inputs registered together (a workshop's notes)
);
CREATE INDEX input_process ON input(process_id, received_at);

CREATE TABLE contact (
    id              INTEGER PRIMARY KEY,
    input_id        INTEGER NOT NULL UNIQUE REFERENCES input(id),
    name            TEXT,
    email           TEXT,
    phone           TEXT,
    organisation    TEXT,
    consent         INTEGER NOT NULL,         -- the sender agreed to be contacted
    erase_after     INTEGER
);

-- Public writes per client address and window.
CREATE TABLE rate_limit (
    key             TEXT PRIMARY KEY,
    window_start    INTEGER NOT NULL,
    count           INTEGER NOT NULL
) WITHOUT ROWID;
