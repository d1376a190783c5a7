/* Plan portfolio queries.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). */
#include "store/plans.h"

#include <string.h>

#include "core/log.h"

#define PLAN_COLUMNS                                                                        \
    "p.id, p.name, p.abbreviation, p.type, p.status, p.status_detail, p.adopted_year,"     \
    " p.next_revision, p.theme_id, t.name, p.owner_unit"

static const char *const plan_column_names[] = {
    "id", "name", "abbreviation", "type", "status", "status_detail", "adopted_year",
    "next_revision", "theme_id", "theme", "owner_unit"};

/* ?1 theme, ?2 type, ?3 status; NULL = any, 'ikke-oppgitt' = empty. */
#define PLAN_FILTER_SQL                                                                     \
    " WHERE (?1 IS NULL OR (?1 = 'ikke-oppgitt' AND p.theme_id IS NULL) OR p.theme_id = ?1)" \
    " AND (?2 IS NULL OR (?2 = 'ikke-oppgitt' AND p.type IS NULL) OR p.type = ?2)"          \
    " AND (?3 IS NULL OR (?3 = 'ikke-oppgitt' AND p.status IS NULL) OR p.status = ?3)"

static const char SQL_LIST_BY_NAME[] =
    "SELECT " PLAN_COLUMNS " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id"
    PLAN_FILTER_SQL " ORDER BY p.name COLLATE nb, p.id";

static const char SQL_LIST_BY_YEAR[] =
    "SELECT " PLAN_COLUMNS " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id"
    PLAN_FILTER_SQL " ORDER BY p.adopted_year IS NULL, p.adopted_year DESC, p.name COLLATE nb";

static const char SQL_STATUS_COUNTS[] =
    "SELECT p.status, count(*) FROM plan p" PLAN_FILTER_SQL
    " GROUP BY p.status ORDER BY count(*) DESC, p.status IS NULL, p.status COLLATE nb";

/* The themes in overview order, then one row with a NULL id for the plans without a theme
 * (when there are any). */
static const char SQL_THEMES[] =
    "SELECT id, name, n FROM ("
    " SELECT t.id, t.name, (SELECT count(*) FROM plan p WHERE p.theme_id = t.id) AS n,"
    " t.position AS pos FROM theme t"
    " UNION ALL SELECT NULL, NULL, count(*), NULL FROM plan WHERE theme_id IS NULL)"
    " WHERE id IS NOT NULL OR n > 0 ORDER BY pos IS NULL, pos";

static const char SQL_TYPES[] =
    "SELECT type, count(*) FROM plan GROUP BY type ORDER BY type IS NULL, type COLLATE nb";

static const char SQL_STATUSES[] =
    "SELECT status, count(*) FROM plan GROUP BY status"
    " ORDER BY status IS NULL, count(*) DESC, status COLLATE nb";

static const char SQL_PLAN_GET[] =
    "SELECT " PLAN_COLUMNS ", p.purpose, p.seed_description, p.focus_areas_label,"
    " p.focus_areas_listed, p.type_variants, p.notes, p.source"
    " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id WHERE p.id = ?1";

static const char SQL_PARENTS[] =
    "SELECT p.id, p.name, pp.evidence FROM plan_parent pp JOIN plan p ON p.id = pp.parent_id"
    " WHERE pp.plan_id = ?1 ORDER BY p.name COLLATE nb";

static const char SQL_CHILDREN[] =
    "SELECT p.id, p.name, pp.evidence FROM plan_parent pp JOIN plan p ON p.id = pp.plan_id"
    " WHERE pp.parent_id = ?1 ORDER BY p.name COLLATE nb";

static const char SQL_RELATIONS[] =
    "SELECT p.id, p.name, r.relation FROM plan_relation r JOIN plan p ON p.id = r.other_id"
    " WHERE r.plan_id = ?1 ORDER BY r.position";

static const char SQL_PLAN_GOALS[] =
    "SELECT g.id, g.text, g.level, g.lead_in, pg.basis FROM plan_goal pg"
    " JOIN goal g ON g.id = pg.goal_id WHERE pg.plan_id = ?1 AND g.retired = 0"
    " ORDER BY CASE g.level WHEN 'visjon' THEN 0 WHEN 'hovedmål' THEN 1 ELSE 2 END,"
    " g.position";

static const char SQL_FOCUS_AREAS[] =
    "SELECT id, name, her_er_vi, slik_vil_vi_ha_det, slik_kommer_vi_dit, slik_gjor_vi_det"
    " FROM focus_area WHERE plan_id = ?1 ORDER BY position";

static const char SQL_MEASURES[] =
    "SELECT id, focus_area_id, kind, title, description, responsible, partners, priority"
    " FROM measure WHERE plan_id = ?1 ORDER BY focus_area_id, kind, position";

static const char SQL_MEASURE_COSTS[] =
    "SELECT c.measure_id, c.year, c.amount, c.note FROM measure_cost c"
    " JOIN measure m ON m.id = c.measure_id WHERE m.plan_id = ?1 ORDER BY c.measure_id, c.year";

static const char SQL_PLAN_INDICATORS[] =
    "SELECT id, text, unit, comparator, baseline_value, baseline_year, baseline_text,"
    " target_value, target_year FROM indicator WHERE plan_id = ?1 ORDER BY position";

static const char SQL_LIST_OWNED[] =
    "SELECT " PLAN_COLUMNS " FROM plan p LEFT JOIN theme t ON t.id = p.theme_id"
    " WHERE p.owner_user_id = ?1 ORDER BY p.name COLLATE nb";

static const char SQL_COUNTS[] =
    "SELECT (SELECT count(*) FROM plan), (SELECT count(*) FROM goal),"
    " (SELECT count(*) FROM measure), (SELECT count(*) FROM indicator)";

static sqlite3_stmt *prepare_filtered(store *s, const char *sql, const plan_filter *f)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st) {
        store_bind_text(st, 1, f->theme_id);
        store_bind_text(st, 2, f->type);
        store_bind_text(st, 3, f->status);
    }
    return st;
}

int store_plans_list(store *s, const plan_filter *f, json_t **out)
{
    sqlite3_stmt *st = prepare_filtered(s, f->sort_by_year ? SQL_LIST_BY_YEAR : SQL_LIST_BY_NAME,
                                        f);
    if (!st)
        return PV_EDB;
    return store_collect_rows(s, st, plan_column_names, PV_ARRAY_LEN(plan_column_names), out);
}

int store_plans_owned(store *s, int64_t user_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LIST_OWNED);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    return store_collect_rows(s, st, plan_column_names, PV_ARRAY_LEN(plan_column_names), out);
}

int store_plans_status_counts(store *s, const plan_filter *f, json_t **out)
{
    plan_filter any_status = *f;
    any_status.status = NULL;
    sqlite3_stmt *st = prepare_filtered(s, SQL_STATUS_COUNTS, &any_status);
    if (!st)
        return PV_EDB;
    static const char *const names[] = {"status", "count"};
    return store_collect_rows(s, st, names, 2, out);
}

int store_themes(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_THEMES);
    static const char *const names[] = {"id", "name", "count"};
    return st ? store_collect_rows(s, st, names, 3, out) : PV_EDB;
}

int store_plan_types(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_TYPES);
    static const char *const names[] = {"value", "count"};
    return st ? store_collect_rows(s, st, names, 2, out) : PV_EDB;
}

int store_plan_statuses(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_STATUSES);
    static const char *const names[] = {"value", "count"};
    return st ? store_collect_rows(s, st, names, 2, out) : PV_EDB;
}

static int query_by_id(store *s, const char *sql, const char *id, const char *const *names,
                       size_t n, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    return store_collect_rows(s, st, names, n, out);
}

/* Reads the plan row itself; the JSON text columns are parsed. */
static int plan_row(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PLAN_GET);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    }
    json_t *plan = json_object();
    size_t n = PV_ARRAY_LEN(plan_column_names);
    for (size_t i = 0; i < n; i++)
        json_object_set_new(plan, plan_column_names[i], store_column_json(st, (int)i));
    static const char *const text_cols[] = {"purpose", "seed_description", "focus_areas_label"};
    for (size_t i = 0; i < 3; i++)
        json_object_set_new(plan, text_cols[i], store_column_json(st, (int)(n + i)));
    static const char *const json_cols[] = {"focus_areas_listed", "type_variants", "notes",
                                            "source"};
    for (size_t i = 0; i < 4; i++)
        json_object_set_new(plan, json_cols[i], store_column_parsed(st, (int)(n + 3 + i)));
    sqlite3_reset(st);
    *out = plan;
    return PV_OK;
}

/* Reads the measures of a plan with their parsed lists and their yearly costs. */
static int plan_measures(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_MEASURES);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    json_t *measures = json_array();
    json_t *by_id = json_object(); /* borrowed references for the cost join */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *m = json_object();
        json_object_set_new(m, "id", store_column_json(st, 0));
        json_object_set_new(m, "focus_area_id", store_column_json(st, 1));
        json_object_set_new(m, "kind", store_column_json(st, 2));
        json_object_set_new(m, "title", store_column_json(st, 3));
        json_object_set_new(m, "description", store_column_json(st, 4));
        json_object_set_new(m, "responsible", store_column_parsed(st, 5));
        json_object_set_new(m, "partners", store_column_parsed(st, 6));
        json_object_set_new(m, "priority", store_column_json(st, 7));
        json_object_set_new(m, "costs", json_array());
        json_object_set(by_id, (const char *)sqlite3_column_text(st, 0), m);
        json_array_append_new(measures, m);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE && (st = store_prepare(s, SQL_MEASURE_COSTS)) != NULL) {
        store_bind_text(st, 1, id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *m = json_object_get(by_id, (const char *)sqlite3_column_text(st, 0));
            json_t *cell = json_object();
            json_object_set_new(cell, "year", store_column_json(st, 1));
            json_object_set_new(cell, "amount", store_column_json(st, 2));
            json_object_set_new(cell, "note", store_column_json(st, 3));
            json_array_append_new(json_object_get(m, "costs"), cell);
        }
        sqlite3_reset(st);
    }
    json_decref(by_id);
    if (rc != SQLITE_DONE) {
        json_decref(measures);
        return PV_EDB;
    }
    *out = measures;
    return PV_OK;
}

int store_plan_get(store *s, const char *id, json_t **out)
{
    json_t *plan;
    int rc = plan_row(s, id, &plan);
    if (rc != 0)
        return rc;

    static const char *const link[] = {"id", "name", "relation"};
    static const char *const goal[] = {"id", "text", "level", "lead_in", "basis"};
    static const char *const area[] = {"id", "name", "her_er_vi", "slik_vil_vi_ha_det",
                                       "slik_kommer_vi_dit", "slik_gjor_vi_det"};
    static const char *const ind[] = {"id", "text", "unit", "comparator", "baseline_value",
                                      "baseline_year", "baseline_text", "target_value",
                                      "target_year"};
    struct {
        const char *key, *sql;
        const char *const *names;
        size_t n;
    } parts[] = {
        {"parents", SQL_PARENTS, link, 3},
        {"children", SQL_CHILDREN, link, 3},
        {"relations", SQL_RELATIONS, link, 3},
        {"goals", SQL_PLAN_GOALS, goal, 5},
        {"focus_areas", SQL_FOCUS_AREAS, area, 6},
        {"indicators", SQL_PLAN_INDICATORS, ind, 9},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(parts) && rc == 0; i++) {
        json_t *rows;
        rc = query_by_id(s, parts[i].sql, id, parts[i].names, parts[i].n, &rows);
        if (rc == 0)
            json_object_set_new(plan, parts[i].key, rows);
    }
    json_t *measures;
    if (rc == 0 && (rc = plan_measures(s, id, &measures)) == 0)
        json_object_set_new(plan, "measures", measures);
    if (rc != 0) {
        json_decref(plan);
        return rc;
    }
    *out = plan;
    return PV_OK;
}

int store_counts(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_COUNTS);
    if (!st)
        return PV_EDB;
    static const char *const names[] = {"plans", "goals", "measures", "indicators"};
    json_t *rows;
    int rc = store_collect_rows(s, st, names, 4, &rows);
    if (rc != 0)
        return rc;
    *out = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return PV_OK;
}
