-- Plan follow-up (DESIGN.md §5): the units that own measures and the staff who belong to
-- them, what a measure needs to be followed up (deadline, type, sustainable development
-- goals), the tertial reports of its progress, the reporting periods and whether they are
-- closed, and the readings of indicators over time.

-- A kommunalområde, a staff (stab), a unit under either (enhet), or a municipal company.
CREATE TABLE unit (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    short_name  TEXT,                   -- HM, KOA, PMT, MKE
    kind        TEXT NOT NULL CHECK (kind IN ('kommunalområde', 'stab', 'enhet', 'selskap')),
    parent_id   TEXT REFERENCES unit(id),
    aliases     TEXT NOT NULL DEFAULT '[]',  -- JSON: names the source documents use for it
    position    INTEGER NOT NULL
);

-- The staff who belong to a unit: they edit and report the measures the unit is responsible for.
CREATE TABLE unit_member (
    unit_id     TEXT NOT NULL REFERENCES unit(id),
    user_id     INTEGER NOT NULL REFERENCES user(id),
    PRIMARY KEY (unit_id, user_id)
) WITHOUT ROWID;
CREATE INDEX unit_member_user ON unit_member(user_id);

-- The units responsible for a measure, in the order named (measure.responsible keeps the
-- source's own words, such as «Prosesseier», which name no unit).
CREATE TABLE measure_unit (
    measure_id  TEXT NOT NULL REFERENCES measure(id),
    unit_id     TEXT NOT NULL REFERENCES unit(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (measure_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX measure_unit_unit ON measure_unit(unit_id);

-- deadline: YYYY-MM-DD or NULL. type: what kind of effort it is in the budget (NULL: not
-- stated). sdgs: JSON list of the UN sustainable development goals it serves, 1–17.
ALTER TABLE measure ADD COLUMN deadline TEXT;
ALTER TABLE measure ADD COLUMN type TEXT
    CHECK (type IN ('oppdrag', 'tiltak', 'investering', 'klimatiltak'));
ALTER TABLE measure ADD COLUMN sdgs TEXT NOT NULL DEFAULT '[]';

-- A reporting period: 't1' (January–April), 't2' (May–August) or 'aar' (the annual report).
-- A period without a row is open. Closing one publishes its reports and makes them read-only.
CREATE TABLE report_period (
    year        INTEGER NOT NULL,
    period      TEXT NOT NULL CHECK (period IN ('t1', 't2', 'aar')),
    closed_at   INTEGER NOT NULL,
    closed_by   INTEGER REFERENCES user(id),
    PRIMARY KEY (year, period)
) WITHOUT ROWID;

-- The report of one measure for one period, by its responsible unit. While the period is
-- open a new report replaces the old (the audit trail keeps both); once it is closed,
-- nothing can change it.
CREATE TABLE measure_report (
    id          INTEGER PRIMARY KEY,
    measure_id  TEXT NOT NULL REFERENCES measure(id),
    year        INTEGER NOT NULL,
    period      TEXT NOT NULL CHECK (period IN ('t1', 't2', 'aar')),
    status      TEXT NOT NULL CHECK (status IN ('ikke startet', 'i rute', 'forsinket',
                                                 'fullført', 'avbrutt', 'utsatt')),
    progress    INTEGER CHECK (progress BETWEEN 0 AND 100),  -- per cent, or NULL
    comment     TEXT,
    author_id   INTEGER REFERENCES user(id),
    reported_at INTEGER NOT NULL,
    UNIQUE (measure_id, year, period)
);
CREATE INDEX measure_report_period ON measure_report(year, period);

CREATE TRIGGER measure_report_closed_insert BEFORE INSERT ON measure_report
WHEN EXISTS (SELECT 1 FROM report_period p WHERE p.year = NEW.year AND p.period = NEW.period)
BEGIN
    SELECT RAISE(ABORT, 'the reporting period is closed');
END;
CREATE TRIGGER measure_report_closed_update BEFORE UPDATE ON measure_report
WHEN EXISTS (SELECT 1 FROM report_period p WHERE p.year = OLD.year AND p.period = OLD.period)
BEGIN
    SELECT RAISE(ABORT, 'the reporting period is closed');
END;
CREATE TRIGGER measure_report_closed_delete BEFORE DELETE ON measure_report
WHEN EXISTS (SELECT 1 FROM report_period p WHERE p.year = OLD.year AND p.period = OLD.period)
BEGIN
    SELECT RAISE(ABORT, 'the reporting period is closed');
END;

-- A measured value of an indicator: on which day, from which source.
CREATE TABLE indicator_reading (
    id              INTEGER PRIMARY KEY,
    indicator_id    TEXT NOT NULL REFERENCES indicator(id),
    value           REAL NOT NULL,
    date            TEXT NOT NULL,      -- YYYY-MM-DD
    source          TEXT NOT NULL,
    note            TEXT,
    created_by      INTEGER REFERENCES user(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX indicator_reading_indicator ON indicator_reading(indicator_id, date);
