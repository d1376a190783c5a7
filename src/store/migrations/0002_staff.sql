-- Staff: users with roles, sessions, one-time sign-in links, throttling of failed sign-ins,
-- personal API tokens, and the append-only audit trail. Tokens are stored only as SHA-256
-- hashes; passwords only as Argon2id hashes. Times are Unix seconds (UTC).

CREATE TABLE user (
    id                  INTEGER PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name                TEXT NOT NULL,
    password_hash       TEXT,                 -- NULL until the user sets a password
    disabled            INTEGER NOT NULL DEFAULT 0,
    failures            INTEGER NOT NULL DEFAULT 0,  -- failed sign-ins in the window
    failures_first_at   INTEGER NOT NULL DEFAULT 0,
    failures_last_at    INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);

CREATE TABLE user_role (
    user_id INTEGER NOT NULL REFERENCES user(id),
    role    TEXT NOT NULL CHECK (role IN ('admin', 'radgiver', 'planlegger', 'prosesseier', 'leser')),
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE session (
    token_hash      BLOB PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES user(id),
    csrf            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    address         TEXT
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

-- A link printed by `planverk user add` that lets the new user set a password, once.
CREATE TABLE signin_link (
    token_hash  BLOB PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES user(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) WITHOUT ROWID;

-- Failed sign-ins per client address.
CREATE TABLE throttle (
    address     TEXT PRIMARY KEY,
    failures    INTEGER NOT NULL,
    first_at    INTEGER NOT NULL,
    last_at     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_token (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES user(id),
    name            TEXT NOT NULL,
    token_hash      BLOB NOT NULL UNIQUE,
    read_only       INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,
    revoked_at      INTEGER
);

-- Every change by a staff member, and every sign-in event. Never changed, never deleted.
CREATE TABLE audit_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES user(id),
    actor       TEXT NOT NULL,          -- the user's e-mail then, or «cli», or the e-mail tried
    action      TEXT NOT NULL,          -- plan.update, user.add, signin.failed …
    object_type TEXT,
    object_id   TEXT,
    changes     TEXT NOT NULL DEFAULT '{}',  -- JSON: {"field": [before, after]}
    address     TEXT
);
CREATE INDEX audit_event_object ON audit_event(object_type, object_id);
CREATE INDEX audit_event_at ON audit_event(at);
CREATE TRIGGER audit_event_append_only_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be changed');
END;
CREATE TRIGGER audit_event_append_only_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit events cannot be deleted');
END;

-- Plans get an owning staff member; goals can be retired instead of deleted; a focus area
-- keeps a text under each of its four headings.
ALTER TABLE plan ADD COLUMN owner_user_id INTEGER REFERENCES user(id);
ALTER TABLE goal ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE focus_area ADD COLUMN slik_vil_vi_ha_det TEXT;
ALTER TABLE focus_area ADD COLUMN slik_kommer_vi_dit TEXT;
ALTER TABLE focus_area ADD COLUMN slik_gjor_vi_det TEXT;
