-- The plan portfolio and the goal tree (DESIGN.md §5): themes, plans, goals, indicators,
-- focus areas and measures with yearly costs. JSON columns hold lists and the provenance
-- (source lines, notes) carried over from data/moss/.

CREATE TABLE theme (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    position    INTEGER NOT NULL
);

CREATE TABLE plan (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    abbreviation        TEXT,
    type                TEXT,
    status              TEXT,
    status_detail       TEXT,
    adopted_year        INTEGER,
    next_revision       INTEGER,          -- NULL: adopted_year + 4 (src/domain/plan.c)
    theme_id            TEXT REFERENCES theme(id),
    owner_unit          TEXT,
    purpose             TEXT,             -- Markdown
    seed_description    TEXT,
    focus_areas_label   TEXT,
    focus_areas_listed  TEXT NOT NULL DEFAULT '[]',  -- JSON: the areas as the overview lists them
    type_variants       TEXT NOT NULL DEFAULT '[]',  -- JSON
    notes               TEXT NOT NULL DEFAULT '[]',  -- JSON
    source              TEXT NOT NULL DEFAULT '[]',  -- JSON
    position            INTEGER NOT NULL,
    search_text         TEXT NOT NULL DEFAULT ''     -- case-folded name and purpose
);
CREATE INDEX plan_theme ON plan(theme_id);

CREATE TABLE plan_parent (
    plan_id     TEXT NOT NULL REFERENCES plan(id),
    parent_id   TEXT NOT NULL REFERENCES plan(id),
    evidence    TEXT,
    PRIMARY KEY (plan_id, parent_id)
) WITHOUT ROWID;
CREATE INDEX plan_parent_parent ON plan_parent(parent_id);

-- The key columns come first: SQLite 3.40's integrity_check misreads NOT NULL columns of a
-- WITHOUT ROWID table that stand before a key column.
CREATE TABLE plan_relation (
    plan_id     TEXT NOT NULL REFERENCES plan(id),
    position    INTEGER NOT NULL,
    other_id    TEXT NOT NULL REFERENCES plan(id),
    relation    TEXT NOT NULL,
    PRIMARY KEY (plan_id, position)
) WITHOUT ROWID;

CREATE TABLE goal (
    id          TEXT PRIMARY KEY,
    text        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('visjon', 'hovedmål', 'delmål')),
    parent_id   TEXT REFERENCES goal(id),
    plan_id     TEXT REFERENCES plan(id),
    lead_in     TEXT,
    themes      TEXT NOT NULL DEFAULT '[]',  -- JSON: overview themes the goal stands under
    focus_areas TEXT NOT NULL DEFAULT '[]',  -- JSON
    notes       TEXT NOT NULL DEFAULT '[]',
    source      TEXT NOT NULL DEFAULT '[]',
    position    INTEGER NOT NULL
);
CREATE INDEX goal_parent ON goal(parent_id);

-- Which plans serve which goals, and on what basis ('eier', 'tema', 'strategi', 'oppgitt').
CREATE TABLE plan_goal (
    plan_id     TEXT NOT NULL REFERENCES plan(id),
    goal_id     TEXT NOT NULL REFERENCES goal(id),
    basis       TEXT NOT NULL,
    PRIMARY KEY (plan_id, goal_id)
) WITHOUT ROWID;
CREATE INDEX plan_goal_goal ON plan_goal(goal_id);

CREATE TABLE indicator (
    id              TEXT PRIMARY KEY,
    text            TEXT NOT NULL,
    unit            TEXT,
    comparator      TEXT CHECK (comparator IN ('>', '>=', '<', '<=')),
    baseline_value  REAL,
    baseline_year   INTEGER,
    baseline_text   TEXT,
    target_value    REAL,
    target_year     INTEGER,
    plan_id         TEXT REFERENCES plan(id),
    notes           TEXT NOT NULL DEFAULT '[]',
    source          TEXT NOT NULL DEFAULT '[]',
    position        INTEGER NOT NULL
);

CREATE TABLE indicator_goal (
    indicator_id    TEXT NOT NULL REFERENCES indicator(id),
    goal_id         TEXT NOT NULL REFERENCES goal(id),
    PRIMARY KEY (indicator_id, goal_id)
) WITHOUT ROWID;

CREATE TABLE focus_area (
    id          INTEGER PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES plan(id),
    name        TEXT NOT NULL,
    her_er_vi   TEXT,       -- the plan's own text under «Her er vi», when known
    position    INTEGER NOT NULL,
    UNIQUE (plan_id, name)
);

CREATE TABLE measure (
    id                  TEXT PRIMARY KEY,
    plan_id             TEXT NOT NULL REFERENCES plan(id),
    focus_area_id       INTEGER REFERENCES focus_area(id),
    kind                TEXT NOT NULL CHECK (kind IN ('tiltak', 'strategi', 'mål')),
    title               TEXT NOT NULL,
    description         TEXT,
    strategy            TEXT,
    goal_id             TEXT REFERENCES goal(id),
    responsible         TEXT NOT NULL DEFAULT '[]',  -- JSON: units
    responsible_detail  TEXT NOT NULL DEFAULT '[]',
    partners            TEXT NOT NULL DEFAULT '[]',
    priority            INTEGER,
    position            INTEGER NOT NULL,
    notes               TEXT NOT NULL DEFAULT '[]',
    source              TEXT NOT NULL DEFAULT '[]',
    search_text         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX measure_plan ON measure(plan_id, focus_area_id);

-- Cost of a measure in one year: an amount in 1000 NOK, a note («innenfor ramme»), or both.
CREATE TABLE measure_cost (
    measure_id  TEXT NOT NULL REFERENCES measure(id),
    year        INTEGER NOT NULL,
    amount      INTEGER,
    note        TEXT,
    PRIMARY KEY (measure_id, year)
) WITHOUT ROWID;

CREATE TABLE indicator_measure (
    indicator_id    TEXT NOT NULL REFERENCES indicator(id),
    measure_id      TEXT NOT NULL REFERENCES measure(id),
    PRIMARY KEY (indicator_id, measure_id)
) WITHOUT ROWID;
