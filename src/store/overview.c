/* The overview of plan follow-up: a handful of prepared statements read every 'tiltak' with
 * its latest visible report (picked in SQL by a correlated LIMIT 1 on the report index), its
 * units and costs (one statement each, joined in memory by id), the plans and the indicators
 * with readings; then store_overview_tally counts and sums it for the charts.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). */
#include "store/overview.h"

#include <string.h>

#include "domain/followup.h"
#include "domain/plan.h"

/* ?1 theme, ?2 plan, ?3 unit, ?4 year, ?5 status ('ingen': no report), ?6 staff (0/1).
 * The latest report: the last period (t1 < t2 < aar) among those visible, up to ?4. */
static const char SQL_MEASURES[] =
    "SELECT m.id, m.title, fa.name, m.plan_id, pl.name, m.deadline,"
    " r.year, r.period, r.status, r.progress,"
    " EXISTS (SELECT 1 FROM report_period p WHERE p.year = r.year AND p.period = r.period)"
    " FROM measure m JOIN plan pl ON pl.id = m.plan_id"
    " LEFT JOIN focus_area fa ON fa.id = m.focus_area_id"
    " LEFT JOIN measure_report r ON r.id = ("
    "  SELECT x.id FROM measure_report x WHERE x.measure_id = m.id"
    "  AND (?4 IS NULL OR x.year <= ?4)"
    "  AND (?6 OR EXISTS (SELECT 1 FROM report_period p"
    "                     WHERE p.year = x.year AND p.period = x.period))"
    "  ORDER BY x.year DESC,"
    "  CASE x.period WHEN 'aar' THEN 3 WHEN 't2' THEN 2 ELSE 1 END DESC LIMIT 1)"
    " WHERE m.kind = 'tiltak'"
    " AND (?1 IS NULL OR pl.theme_id = ?1)"
    " AND (?2 IS NULL OR m.plan_id = ?2)"
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM measure_unit mu"
    "                            WHERE mu.measure_id = m.id AND mu.unit_id = ?3))"
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM measure_cost c"
    "                            WHERE c.measure_id = m.id AND c.year = ?4)"
    "      OR EXISTS (SELECT 1 FROM measure_report y WHERE y.measure_id = m.id AND y.year = ?4"
    "                 AND (?6 OR EXISTS (SELECT 1 FROM report_period p"
    "                                    WHERE p.year = y.year AND p.period = y.period))))"
    " AND (?5 IS NULL OR coalesce(r.status, 'ingen') = ?5)"
    " ORDER BY pl.name COLLATE nb, pl.id, fa.position, m.position, m.id";

static const char SQL_UNITS[] =
    "SELECT mu.measure_id, u.id, u.name FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id"
    " ORDER BY mu.measure_id, mu.position";

/* ?1 year or NULL */
static const char SQL_COSTS[] =
    "SELECT measure_id, year, amount, note FROM measure_cost"
    " WHERE ?1 IS NULL OR year = ?1 ORDER BY measure_id, year";

/* ?1 theme, ?2 plan */
static const char SQL_PLANS[] =
    "SELECT p.id, p.name, p.theme_id, t.name, p.adopted_year, p.next_revision"
    " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id"
    " WHERE (?1 IS NULL OR p.theme_id = ?1) AND (?2 IS NULL OR p.id = ?2)"
    " ORDER BY p.name COLLATE nb, p.id";

static const char SQL_INDICATORS[] =
    "SELECT i.id, i.text, i.unit, i.comparator, i.baseline_value, i.baseline_year,"
    " i.target_value, i.target_year, i.plan_id, p.name"
    " FROM indicator i JOIN plan p ON p.id = i.plan_id"
    " WHERE EXISTS (SELECT 1 FROM indicator_reading x WHERE x.indicator_id = i.id)"
    " AND (?1 IS NULL OR p.theme_id = ?1) AND (?2 IS NULL OR p.id = ?2)"
    " ORDER BY p.name COLLATE nb, i.position, i.id";

static const char SQL_READINGS[] =
    "SELECT indicator_id, value, date FROM indicator_reading ORDER BY indicator_id, date, id";

static const char SQL_OPT_THEMES[] =
    "SELECT t.id, t.name FROM theme t WHERE EXISTS (SELECT 1 FROM plan p JOIN measure m"
    " ON m.plan_id = p.id WHERE p.theme_id = t.id AND m.kind = 'tiltak') ORDER BY t.position";

static const char SQL_OPT_PLANS[] =
    "SELECT p.id, p.name FROM plan p WHERE EXISTS (SELECT 1 FROM measure m"
    " WHERE m.plan_id = p.id AND m.kind = 'tiltak') ORDER BY p.name COLLATE nb, p.id";

static const char SQL_OPT_UNITS[] =
    "SELECT u.id, u.name FROM unit u WHERE EXISTS (SELECT 1 FROM measure_unit mu"
    " JOIN measure m ON m.id = mu.measure_id WHERE mu.unit_id = u.id AND m.kind = 'tiltak')"
    " ORDER BY u.name COLLATE nb";

static const char SQL_OPT_YEARS[] =
    "SELECT year FROM measure_cost UNION SELECT year FROM measure_report ORDER BY 1";

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static json_t *measure_row(sqlite3_stmt *st, const overview_filter *f)
{
    json_t *report = json_null();
    const char *status = col_text(st, 8);
    if (sqlite3_column_type(st, 6) != SQLITE_NULL)
        report = json_pack("{s:I, s:s, s:s, s:o, s:b}", "year",
                           (json_int_t)sqlite3_column_int64(st, 6), "period", col_text(st, 7),
                           "status", status, "progress", store_column_json(st, 9), "closed",
                           sqlite3_column_int(st, 10) != 0);
    const char *deadline = col_text(st, 5);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:[], s:[], s:o, s:b}", "id",
                     store_column_json(st, 0), "title", store_column_json(st, 1), "focus_area",
                     store_column_json(st, 2), "plan_id", store_column_json(st, 3), "plan",
                     store_column_json(st, 4), "deadline", store_column_json(st, 5), "units",
                     "costs", "report", report, "overdue",
                     followup_overdue(deadline, status, f->today));
}

static int read_measures(store *s, const overview_filter *f, json_t *measures, json_t *by_id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_MEASURES);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, f->theme_id);
    store_bind_text(st, 2, f->plan_id);
    store_bind_text(st, 3, f->unit_id);
    if (f->year)
        sqlite3_bind_int(st, 4, f->year);
    store_bind_text(st, 5, f->status);
    sqlite3_bind_int(st, 6, f->staff ? 1 : 0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *m = measure_row(st, f);
        json_object_set(by_id, col_text(st, 0), m);
        json_array_append_new(measures, m);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

/* Appends the units and the costs to the measures read (by id; others are skipped). */
static int read_units_costs(store *s, const overview_filter *f, json_t *by_id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_UNITS);
    if (!st)
        return PV_EDB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *m = json_object_get(by_id, col_text(st, 0));
        if (m)
            json_array_append_new(json_object_get(m, "units"),
                                  json_pack("{s:o, s:o}", "id", store_column_json(st, 1), "name",
                                            store_column_json(st, 2)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || !(st = store_prepare(s, SQL_COSTS)))
        return PV_EDB;
    if (f->year)
        sqlite3_bind_int(st, 1, f->year);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *m = json_object_get(by_id, col_text(st, 0));
        if (m)
            json_array_append_new(json_object_get(m, "costs"),
                                  json_pack("{s:o, s:o, s:o}", "year", store_column_json(st, 1),
                                            "amount", store_column_json(st, 2), "note",
                                            store_column_json(st, 3)));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

static int read_plans(store *s, const overview_filter *f, json_t *plans)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PLANS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, f->theme_id);
    store_bind_text(st, 2, f->plan_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long adopted = sqlite3_column_type(st, 4) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 4);
        long stated = sqlite3_column_type(st, 5) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 5);
        long next = plan_next_revision(adopted, stated);
        json_array_append_new(
            plans, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id",
                             store_column_json(st, 0), "name", store_column_json(st, 1),
                             "theme_id", store_column_json(st, 2), "theme",
                             store_column_json(st, 3), "adopted_year", store_column_json(st, 4),
                             "next_revision", next ? json_integer(next) : json_null(),
                             "revision_due", followup_revision_due(next, f->today)));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

/* The goal of an indicator row (columns 3..7). */
static indicator_goal goal_of(sqlite3_stmt *st)
{
    indicator_goal g = {0};
    g.comparator = col_text(st, 3);
    g.has_baseline = sqlite3_column_type(st, 4) != SQLITE_NULL &&
                     sqlite3_column_type(st, 5) != SQLITE_NULL;
    g.baseline_value = sqlite3_column_double(st, 4);
    g.baseline_year = sqlite3_column_int(st, 5);
    g.has_target = sqlite3_column_type(st, 6) != SQLITE_NULL;
    g.target_value = sqlite3_column_double(st, 6);
    g.target_year = sqlite3_column_int(st, 7);
    return g;
}

/* Every reading, grouped by indicator: {id: [[value, "date"], …]}. */
static int read_readings(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_READINGS);
    if (!st)
        return PV_EDB;
    json_t *all = json_object();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col_text(st, 0);
        json_t *list = json_object_get(all, id);
        if (!list) {
            list = json_array();
            json_object_set_new(all, id, list);
        }
        json_array_append_new(list, json_pack("[f, s]", sqlite3_column_double(st, 1),
                                              col_text(st, 2)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(all);
        return PV_EDB;
    }
    *out = all;
    return PV_OK;
}

static json_t *indicator_row(sqlite3_stmt *st, json_t *readings)
{
    size_t n = json_array_size(readings), k = 0;
    followup_reading *rs = pv_calloc(n ? n : 1, sizeof *rs);
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(readings, i);
        if (pv_parse_date(json_string_value(json_array_get(r, 1)), &rs[k].date) == 0)
            rs[k++].value = json_real_value(json_array_get(r, 0));
    }
    indicator_goal g = goal_of(st);
    indicator_track t = followup_indicator_track(&g, rs, k);
    free(rs);
    char day[11] = "";
    if (t.has_latest)
        pv_date_format(t.latest_date, day);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:f, s:s?, s:b, s:f, s:b, s:b, s:o}", "id",
                     store_column_json(st, 0), "text", store_column_json(st, 1), "unit",
                     store_column_json(st, 2), "plan_id", store_column_json(st, 8), "plan",
                     store_column_json(st, 9), "has_latest", t.has_latest, "latest", t.latest,
                     "latest_date", t.has_latest ? day : NULL, "has_path", t.has_path,
                     "expected", t.expected, "behind", t.behind, "met", t.met, "target",
                     store_column_json(st, 6));
}

static int read_indicators(store *s, const overview_filter *f, json_t *indicators)
{
    json_t *readings;
    if (read_readings(s, &readings) != PV_OK)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_INDICATORS);
    if (!st) {
        json_decref(readings);
        return PV_EDB;
    }
    store_bind_text(st, 1, f->theme_id);
    store_bind_text(st, 2, f->plan_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(indicators,
                              indicator_row(st, json_object_get(readings, col_text(st, 0))));
    sqlite3_reset(st);
    json_decref(readings);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

static json_t *years_of(json_t *measures, int year)
{
    if (year)
        return json_pack("[i]", year);
    /* the years in any measure's costs, ascending */
    bool seen[PLAN_YEAR_MAX - PLAN_YEAR_MIN + 1] = {0};
    size_t i, j;
    json_t *m, *c;
    json_array_foreach(measures, i, m) {
        json_array_foreach(json_object_get(m, "costs"), j, c) {
            json_int_t y = json_integer_value(json_object_get(c, "year"));
            if (y >= PLAN_YEAR_MIN && y <= PLAN_YEAR_MAX)
                seen[y - PLAN_YEAR_MIN] = true;
        }
    }
    json_t *years = json_array();
    for (int y = PLAN_YEAR_MIN; y <= PLAN_YEAR_MAX; y++)
        if (seen[y - PLAN_YEAR_MIN])
            json_array_append_new(years, json_integer(y));
    return years;
}

int store_overview(store *s, const overview_filter *f, json_t **out)
{
    json_t *measures = json_array(), *by_id = json_object(), *plans = json_array(),
           *indicators = json_array();
    int rc = read_measures(s, f, measures, by_id);
    if (rc == PV_OK)
        rc = read_units_costs(s, f, by_id);
    if (rc == PV_OK)
        rc = read_plans(s, f, plans);
    if (rc == PV_OK)
        rc = read_indicators(s, f, indicators);
    json_decref(by_id);
    if (rc != PV_OK) {
        json_decref(measures);
        json_decref(plans);
        json_decref(indicators);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:o, s:o}", "years", years_of(measures, f->year), "measures",
                     measures, "plans", plans, "indicators", indicators);
    return PV_OK;
}

/* ---------------------------------------------------------------- tallies */

static const char *status_key(json_t *measure)
{
    json_t *report = json_object_get(measure, "report");
    return json_is_object(report) ? json_string_value(json_object_get(report, "status"))
                                  : OVERVIEW_NO_REPORT;
}

static json_t *zero_counts(void)
{
    json_t *c = json_object();
    for (size_t i = 0; followup_statuses[i]; i++)
        json_object_set_new(c, followup_statuses[i], json_integer(0));
    json_object_set_new(c, OVERVIEW_NO_REPORT, json_integer(0));
    return c;
}

static void count_in(json_t *counts, const char *key)
{
    json_t *v = json_object_get(counts, key);
    if (v)
        json_integer_set(v, json_integer_value(v) + 1);
}

/* The group for id in groups (an object {id: group}, "" for none), made on first use and
 * appended to list. */
static json_t *group(json_t *groups, json_t *list, const char *id, json_t *name, size_t n_years)
{
    json_t *g = json_object_get(groups, id ? id : "");
    if (g)
        return g;
    json_t *amounts = json_array();
    for (size_t k = 0; k < n_years; k++)
        json_array_append_new(amounts, json_integer(0));
    g = json_pack("{s:s?, s:O, s:o, s:i, s:o}", "id", id, "name", name ? name : json_null(),
                  "counts", zero_counts(), "total", 0, "amounts", amounts);
    json_object_set_new(groups, id ? id : "", g);
    json_array_append(list, g);
    return g;
}

static void add_count(json_t *g, const char *status)
{
    count_in(json_object_get(g, "counts"), status);
    json_t *t = json_object_get(g, "total");
    json_integer_set(t, json_integer_value(t) + 1);
}

/* Adds the measure's amounts per year (a note-only year adds nothing) to amounts. */
static void add_costs(json_t *amounts, json_t *years, json_t *measure)
{
    size_t k, j;
    json_t *y, *c;
    json_array_foreach(years, k, y) {
        json_array_foreach(json_object_get(measure, "costs"), j, c) {
            json_t *amount = json_object_get(c, "amount");
            if (json_integer_value(json_object_get(c, "year")) == json_integer_value(y) &&
                json_is_integer(amount)) {
                json_t *cell = json_array_get(amounts, k);
                json_integer_set(cell, json_integer_value(cell) + json_integer_value(amount));
            }
        }
    }
}

static int by_name(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    bool xn = json_is_null(json_object_get(x, "id")), yn = json_is_null(json_object_get(y, "id"));
    if (xn != yn)
        return xn ? 1 : -1;
    const char *p = json_string_value(json_object_get(x, "name"));
    const char *q = json_string_value(json_object_get(y, "name"));
    return strcmp(p ? p : "", q ? q : "");
}

/* Sorts a JSON array of unit groups by name, the one without a unit last. */
static void sort_groups(json_t *list)
{
    size_t n = json_array_size(list);
    if (n < 2)
        return;
    json_t **items = pv_calloc(n, sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(list, i));
    qsort(items, n, sizeof *items, by_name);
    json_array_clear(list);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, items[i]);
    free(items);
}

/* Strips the working keys a list of groups does not need ("amounts" or "counts"). */
static void drop_key(json_t *list, const char *key)
{
    size_t i;
    json_t *g;
    json_array_foreach(list, i, g)
        json_object_del(g, key);
}

json_t *store_overview_tally(json_t *overview)
{
    json_t *years = json_object_get(overview, "years");
    size_t ny = json_array_size(years);
    json_t *statuses = json_array();
    for (size_t i = 0; followup_statuses[i]; i++)
        json_array_append_new(statuses, json_string(followup_statuses[i]));
    json_array_append_new(statuses, json_string(OVERVIEW_NO_REPORT));
    json_t *by_status = zero_counts(), *plans = json_array(), *plan_groups = json_object(),
           *units = json_array(), *unit_groups = json_object(), *cost_units = json_array(),
           *cost_unit_groups = json_object(), *total = json_array();
    for (size_t k = 0; k < ny; k++)
        json_array_append_new(total, json_integer(0));
    size_t i, j;
    json_t *m, *u;
    json_array_foreach(json_object_get(overview, "measures"), i, m) {
        const char *status = status_key(m);
        count_in(by_status, status);
        json_t *p = group(plan_groups, plans, json_string_value(json_object_get(m, "plan_id")),
                          json_object_get(m, "plan"), ny);
        add_count(p, status);
        add_costs(json_object_get(p, "amounts"), years, m);
        add_costs(total, years, m);
        json_t *mu = json_object_get(m, "units");
        json_array_foreach(mu, j, u)
            add_count(group(unit_groups, units, json_string_value(json_object_get(u, "id")),
                            json_object_get(u, "name"), ny), status);
        if (json_array_size(mu) == 0)
            add_count(group(unit_groups, units, NULL, NULL, ny), status);
        u = json_array_get(mu, 0);
        json_t *cu = group(cost_unit_groups, cost_units,
                           u ? json_string_value(json_object_get(u, "id")) : NULL,
                           u ? json_object_get(u, "name") : NULL, ny);
        add_costs(json_object_get(cu, "amounts"), years, m);
    }
    sort_groups(units);
    sort_groups(cost_units);
    /* cost_by_plan shares the plan groups: copy them before dropping keys */
    json_t *cost_plans = json_deep_copy(plans);
    drop_key(plans, "amounts");
    drop_key(units, "amounts");
    drop_key(cost_plans, "counts");
    drop_key(cost_plans, "total");
    drop_key(cost_units, "counts");
    drop_key(cost_units, "total");
    json_decref(plan_groups);
    json_decref(unit_groups);
    json_decref(cost_unit_groups);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "statuses", statuses, "by_status",
                     by_status, "by_plan", plans, "by_unit", units, "cost_by_plan", cost_plans,
                     "cost_by_unit", cost_units, "cost_total", total);
}

/* ---------------------------------------------------------------- options */

static int collect(store *s, const char *sql, json_t *out, const char *key)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    static const char *const names[] = {"id", "name"};
    json_t *rows;
    if (!st || store_collect_rows(s, st, names, 2, &rows) != PV_OK)
        return PV_EDB;
    json_object_set_new(out, key, rows);
    return PV_OK;
}

int store_overview_options(store *s, json_t **out)
{
    json_t *o = json_object();
    int rc = collect(s, SQL_OPT_THEMES, o, "themes");
    if (rc == PV_OK)
        rc = collect(s, SQL_OPT_PLANS, o, "plans");
    if (rc == PV_OK)
        rc = collect(s, SQL_OPT_UNITS, o, "units");
    sqlite3_stmt *st = rc == PV_OK ? store_prepare(s, SQL_OPT_YEARS) : NULL;
    if (st) {
        json_t *years = json_array();
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(years, json_integer(sqlite3_column_int(st, 0)));
        sqlite3_reset(st);
        json_object_set_new(o, "years", years);
        rc = rc == SQLITE_DONE ? PV_OK : PV_EDB;
    } else {
        rc = PV_EDB;
    }
    if (rc != PV_OK) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return PV_OK;
}
