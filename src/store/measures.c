/* Measures for follow-up: reading one measure and the list, units and their members, and
 * the staff's edits of a measure.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). A write runs: begin → read
 * the record → check (domain/measure.h, then references) → write the row, its units and its
 * costs → read it again → one audit event with the difference → commit. */
#include "store/measures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/diff.h"
#include "domain/measure.h"
#include "domain/plan.h"
#include "store/plans_edit.h"

/* ---------------------------------------------------------------- statements */

static const char SQL_UNITS[] =
    "SELECT id, name, short_name, kind, parent_id FROM unit ORDER BY position, id";
static const char SQL_USER_UNITS[] =
    "SELECT u.id, u.name FROM unit_member m JOIN unit u ON u.id = m.unit_id"
    " WHERE m.user_id = ?1 ORDER BY u.position, u.id";
static const char SQL_USER_EXISTS[] = "SELECT 1 FROM user WHERE id = ?1";
static const char SQL_UNIT_EXISTS[] = "SELECT 1 FROM unit WHERE id = ?1";
static const char SQL_USER_UNITS_CLEAR[] = "DELETE FROM unit_member WHERE user_id = ?1";
static const char SQL_USER_UNIT_ADD[] =
    "INSERT OR IGNORE INTO unit_member (unit_id, user_id) VALUES (?2, ?1)";
static const char SQL_MEMBER[] =
    "SELECT 1 FROM measure_unit mu JOIN unit_member um ON um.unit_id = mu.unit_id"
    " WHERE mu.measure_id = ?1 AND um.user_id = ?2";

static const char SQL_GET[] =
    "SELECT m.id, m.kind, m.title, m.description, m.deadline, m.priority, m.type,"
    " p.id, p.name, fa.id, fa.name, g.id, g.text, g.level,"
    " m.responsible, m.partners, m.sdgs"
    " FROM measure m JOIN plan p ON p.id = m.plan_id"
    " LEFT JOIN focus_area fa ON fa.id = m.focus_area_id LEFT JOIN goal g ON g.id = m.goal_id"
    " WHERE m.id = ?1";
static const char SQL_MEASURE_UNITS[] =
    "SELECT u.id, u.name FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id"
    " WHERE mu.measure_id = ?1 ORDER BY mu.position, u.id";
static const char SQL_PLAN_GOALS[] =
    "SELECT g.id, g.text, g.level FROM plan_goal pg JOIN goal g ON g.id = pg.goal_id"
    " JOIN measure m ON m.plan_id = pg.plan_id WHERE m.id = ?1 AND g.retired = 0"
    " ORDER BY g.position";
static const char SQL_COSTS[] =
    "SELECT year, amount, note FROM measure_cost WHERE measure_id = ?1 ORDER BY year";
/* Newest first: t1 < t2 < aar within a year (domain/followup.h). The unit: those of the
 * measure's units the author belongs to. */
static const char SQL_REPORTS[] =
    "SELECT r.year, r.period, r.status, r.progress, r.comment, r.reported_at,"
    " (SELECT group_concat(name, ', ') FROM (SELECT u.name FROM measure_unit mu"
    "   JOIN unit_member um ON um.unit_id = mu.unit_id AND um.user_id = r.author_id"
    "   JOIN unit u ON u.id = mu.unit_id WHERE mu.measure_id = r.measure_id"
    "   ORDER BY mu.position)),"
    " EXISTS (SELECT 1 FROM report_period rp WHERE rp.year = r.year AND rp.period = r.period)"
    " FROM measure_report r WHERE r.measure_id = ?1 AND (?2 OR EXISTS (SELECT 1 FROM"
    "  report_period rp WHERE rp.year = r.year AND rp.period = r.period))"
    " ORDER BY r.year DESC, CASE r.period WHEN 't1' THEN 1 WHEN 't2' THEN 2 ELSE 3 END DESC";
/* Published inputs (as the public list of a process shows them) whose current assessment
 * points to the measure. No personal data: the text's start, never the contact. */
static const char SQL_INPUTS[] =
    "SELECT DISTINCT i.id, substr(i.text, 1, 240), length(i.text) > 240, a.outcome, p.id,"
    " p.title FROM assessment_link l JOIN assessment a ON a.id = l.assessment_id"
    " JOIN input i ON i.assessment_id = a.id JOIN process p ON p.id = i.process_id"
    " WHERE l.measure_id = ?1 AND (i.moderation = 'publisert'"
    "  OR (p.publish_at_once <> 0 AND i.moderation <> 'avvist'))"
    " ORDER BY i.received_at, i.id";

static const char SQL_RECORD[] =
    "SELECT id, plan_id, kind, title, description, focus_area_id, deadline, priority, type,"
    " goal_id, partners, sdgs,"
    " (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM measure_unit"
    "   WHERE measure_id = m.id ORDER BY position))"
    " FROM measure m WHERE id = ?1";
static const char *const record_names[] = {"id", "plan_id", "kind", "title", "description",
                                           "focus_area_id", "deadline", "priority", "type",
                                           "goal_id", "partners", "sdgs", "unit_ids"};
#define RECORD_FIRST_JSON 10

static const char SQL_PLAN_EXISTS[] = "SELECT 1 FROM plan WHERE id = ?1";
static const char SQL_GOAL_EXISTS[] = "SELECT 1 FROM goal WHERE id = ?1";
static const char SQL_MEASURE_EXISTS[] = "SELECT 1 FROM measure WHERE id = ?1";
static const char SQL_AREA_OF_PLAN[] = "SELECT 1 FROM focus_area WHERE id = ?2 AND plan_id = ?1";
static const char SQL_PLAN_NAME[] = "SELECT id, name FROM plan WHERE id = ?1";
static const char SQL_CHOICE_AREAS[] =
    "SELECT id, name FROM focus_area WHERE plan_id = ?1 ORDER BY position, id";
static const char SQL_CHOICE_UNITS[] = "SELECT id, name FROM unit ORDER BY position, id";
static const char SQL_CHOICE_GOALS[] =
    "SELECT id, text FROM goal WHERE retired = 0 ORDER BY position";

static const char SQL_INSERT[] =
    "INSERT INTO measure (id, plan_id, kind, title, position)"
    " VALUES (?1, ?2, 'tiltak', '', (SELECT coalesce(max(position), 0) + 1 FROM measure))";
static const char SQL_UPDATE[] =
    "UPDATE measure SET title = ?2, description = ?3, focus_area_id = ?4, deadline = ?5,"
    " priority = ?6, type = ?7, goal_id = ?8, partners = ?9, sdgs = ?10, search_text = ?11"
    " WHERE id = ?1";
static const char SQL_RESPONSIBLE[] =
    "UPDATE measure SET responsible = (SELECT json_group_array(name) FROM (SELECT u.name"
    "  FROM measure_unit mu JOIN unit u ON u.id = mu.unit_id WHERE mu.measure_id = ?1"
    "  ORDER BY mu.position)) WHERE id = ?1";
static const char SQL_UNITS_CLEAR[] = "DELETE FROM measure_unit WHERE measure_id = ?1";
static const char SQL_UNIT_ADD[] =
    "INSERT INTO measure_unit (measure_id, unit_id, position) VALUES (?1, ?2, ?3)";
static const char SQL_COSTS_CLEAR[] = "DELETE FROM measure_cost WHERE measure_id = ?1";
static const char SQL_COST_ADD[] =
    "INSERT INTO measure_cost (measure_id, year, amount, note) VALUES (?1, ?2, ?3, ?4)";

static const char SQL_LIST[] =
    "SELECT m.id, m.title, m.plan_id, fa.name, m.deadline, m.type,"
    " (SELECT json_group_array(unit_id) FROM (SELECT unit_id FROM measure_unit"
    "   WHERE measure_id = m.id ORDER BY position)),"
    " (SELECT json_object('year', r.year, 'period', r.period, 'status', r.status,"
    "   'progress', r.progress) FROM measure_report r WHERE r.measure_id = m.id"
    "   AND (?3 OR EXISTS (SELECT 1 FROM report_period rp WHERE rp.year = r.year"
    "   AND rp.period = r.period))"
    "   ORDER BY r.year DESC, CASE r.period WHEN 't1' THEN 1 WHEN 't2' THEN 2 ELSE 3 END DESC"
    "   LIMIT 1)"
    " FROM measure m JOIN plan p ON p.id = m.plan_id"
    " LEFT JOIN focus_area fa ON fa.id = m.focus_area_id"
    " WHERE m.kind = 'tiltak' AND (?1 IS NULL OR m.plan_id = ?1)"
    " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM measure_unit mu WHERE mu.measure_id = m.id"
    "  AND mu.unit_id = ?2))"
    " ORDER BY p.position, m.position";

/* ---------------------------------------------------------------- helpers */

static int rows_by_id(store *s, const char *sql, const char *id, const char *const *names,
                      size_t n, size_t first_json, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    return store_collect_rows_json(s, st, names, n, first_json, out);
}

static int exec_id(store *s, const char *sql, const char *id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st)
        store_bind_text(st, 1, id);
    return store_edit_step(st);
}

/* ---------------------------------------------------------------- units */

int store_units(store *s, json_t **out)
{
    static const char *const names[] = {"id", "name", "short_name", "kind", "parent_id"};
    sqlite3_stmt *st = store_prepare(s, SQL_UNITS);
    if (!st)
        return PV_EDB;
    return store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out);
}

int store_user_units(store *s, int64_t user_id, json_t **out)
{
    static const char *const names[] = {"id", "name"};
    sqlite3_stmt *st = store_prepare(s, SQL_USER_UNITS);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    return store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out);
}

static json_t *unit_ids_of(json_t *units)
{
    json_t *ids = json_array();
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
        json_array_append(ids, json_object_get(u, "id"));
    return ids;
}

int store_user_units_set(store *s, const actor *who, int64_t now, int64_t user_id,
                         json_t *unit_ids, json_t *errors)
{
    if (!json_is_array(unit_ids))
        return PV_EINVAL;
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = store_exists_int(s, SQL_USER_EXISTS, user_id) ? PV_OK : PV_ENOTFOUND;
    size_t i;
    json_t *v;
    json_array_foreach(unit_ids, i, v) {
        if (rc == 0 && (!json_is_string(v) ||
                        !store_exists(s, SQL_UNIT_EXISTS, json_string_value(v)))) {
            field_error(errors, "unit_ids", N_("Velg enheter fra listen."),
                        json_is_string(v) ? json_string_value(v) : NULL);
            rc = PV_EINVAL;
        }
    }
    json_t *before = NULL, *after = NULL;
    if (rc == 0)
        rc = store_user_units(s, user_id, &before);
    if (rc == 0) {
        sqlite3_stmt *st = store_prepare(s, SQL_USER_UNITS_CLEAR);
        if (st)
            sqlite3_bind_int64(st, 1, user_id);
        rc = store_edit_step(st);
    }
    json_array_foreach(unit_ids, i, v) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_USER_UNIT_ADD) : NULL;
        if (!st)
            break;
        sqlite3_bind_int64(st, 1, user_id);
        store_bind_text(st, 2, json_string_value(v));
        rc = store_edit_step(st);
    }
    if (rc == 0)
        rc = store_user_units(s, user_id, &after);
    if (rc == 0) {
        json_t *a = unit_ids_of(before), *b = unit_ids_of(after);
        if (!json_equal(a, b)) {
            char object_id[32];
            snprintf(object_id, sizeof object_id, "%lld", (long long)user_id);
            json_t *changes = json_pack("{s:[O,O]}", "unit_ids", a, b);
            rc = store_audit_append(s, who, now, "user.units", "user", object_id, changes);
            json_decref(changes);
        }
        json_decref(a);
        json_decref(b);
    }
    json_decref(before);
    json_decref(after);
    return store_edit_finish(s, rc);
}

bool store_measure_unit_member(store *s, const char *measure_id, int64_t user_id)
{
    return measure_id && user_id > 0 && store_exists_pair(s, SQL_MEMBER, measure_id, user_id);
}

/* ---------------------------------------------------------------- reading */

static json_t *pair_or_null(sqlite3_stmt *st, int id_col, const char *const *keys, int n)
{
    if (sqlite3_column_type(st, id_col) == SQLITE_NULL)
        return json_null();
    json_t *o = json_object();
    for (int i = 0; i < n; i++)
        json_object_set_new(o, keys[i], store_column_json(st, id_col + i));
    return o;
}

static int read_costs(store *s, const char *id, json_t **out)
{
    static const char *const names[] = {"year", "amount", "note"};
    return rows_by_id(s, SQL_COSTS, id, names, PV_ARRAY_LEN(names), PV_ARRAY_LEN(names), out);
}

static int read_main(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GET);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    }
    static const char *const cols[] = {"id", "kind", "title", "description", "deadline",
                                       "priority", "type"};
    json_t *m = json_object();
    for (int i = 0; i < 7; i++)
        json_object_set_new(m, cols[i], store_column_json(st, i));
    static const char *const pair[] = {"id", "name"};
    static const char *const goal[] = {"id", "text", "level"};
    json_object_set_new(m, "plan", pair_or_null(st, 7, pair, 2));
    json_object_set_new(m, "focus_area", pair_or_null(st, 9, pair, 2));
    json_object_set_new(m, "goal", pair_or_null(st, 11, goal, 3));
    json_object_set_new(m, "responsible", store_column_parsed(st, 14));
    json_object_set_new(m, "partners", store_column_parsed(st, 15));
    json_object_set_new(m, "sdgs", store_column_parsed(st, 16));
    sqlite3_reset(st);
    *out = m;
    return PV_OK;
}

static int read_reports(store *s, const char *id, bool with_open, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_REPORTS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    sqlite3_bind_int(st, 2, with_open);
    static const char *const names[] = {"year", "period", "status", "progress", "comment",
                                        "reported_at", "unit", "closed"};
    int rc = store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out);
    size_t i;
    json_t *r;
    json_array_foreach(rc == 0 ? *out : NULL, i, r)
        json_object_set_new(r, "closed",
                            json_boolean(json_integer_value(json_object_get(r, "closed"))));
    return rc;
}

static int read_inputs(store *s, const char *id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INPUTS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *excerpt = store_column_json(st, 1);
        if (sqlite3_column_int(st, 2)) {
            json_t *more = json_sprintf("%s…", json_string_value(excerpt));
            json_decref(excerpt);
            excerpt = more;
        }
        json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:{s:o, s:o}}", "id",
                                              store_column_json(st, 0), "excerpt", excerpt,
                                              "outcome", store_column_json(st, 3), "process",
                                              "id", store_column_json(st, 4), "title",
                                              store_column_json(st, 5)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return PV_EDB;
    }
    *out = list;
    return PV_OK;
}

int store_measure_get(store *s, const char *id, bool with_open, json_t **out)
{
    json_t *m = NULL, *v = NULL;
    int rc = read_main(s, id, &m);
    static const char *const pair[] = {"id", "name"};
    static const char *const goal[] = {"id", "text", "level"};
    if (rc == 0 && (rc = rows_by_id(s, SQL_MEASURE_UNITS, id, pair, 2, 2, &v)) == 0)
        json_object_set_new(m, "units", v);
    if (rc == 0 && (rc = rows_by_id(s, SQL_PLAN_GOALS, id, goal, 3, 3, &v)) == 0)
        json_object_set_new(m, "plan_goals", v);
    if (rc == 0 && (rc = read_costs(s, id, &v)) == 0)
        json_object_set_new(m, "costs", v);
    if (rc == 0 && (rc = read_reports(s, id, with_open, &v)) == 0)
        json_object_set_new(m, "reports", v);
    if (rc == 0 && (rc = read_inputs(s, id, &v)) == 0)
        json_object_set_new(m, "inputs", v);
    if (rc != 0) {
        json_decref(m);
        return rc;
    }
    *out = m;
    return PV_OK;
}

int store_measure_record(store *s, const char *id, json_t **out)
{
    json_t *rec, *costs;
    sqlite3_stmt *st = store_prepare(s, SQL_RECORD);
    if (st)
        store_bind_text(st, 1, id);
    int rc = store_one_row(s, st, record_names, PV_ARRAY_LEN(record_names), RECORD_FIRST_JSON,
                           &rec);
    if (rc != 0)
        return rc;
    if ((rc = read_costs(s, id, &costs)) != 0) {
        json_decref(rec);
        return rc;
    }
    json_object_set_new(rec, "costs", costs);
    *out = rec;
    return PV_OK;
}

int store_measure_choices(store *s, const char *plan_id, json_t **out)
{
    static const char *const pair[] = {"id", "name"};
    static const char *const goal[] = {"id", "text"};
    json_t *plan = NULL, *areas = NULL, *units = NULL, *goals = NULL;
    int rc = store_row_by_id(s, SQL_PLAN_NAME, plan_id, pair, 2, &plan);
    if (rc != 0)
        return rc;
    rc = rows_by_id(s, SQL_CHOICE_AREAS, plan_id, pair, 2, 2, &areas);
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_CHOICE_UNITS) : NULL;
    if (rc == 0)
        rc = st ? store_collect_rows(s, st, pair, 2, &units) : PV_EDB;
    st = rc == 0 ? store_prepare(s, SQL_CHOICE_GOALS) : NULL;
    if (rc == 0)
        rc = st ? store_collect_rows(s, st, goal, 2, &goals) : PV_EDB;
    if (rc != 0) {
        json_decref(plan);
        json_decref(areas);
        json_decref(units);
        return rc;
    }
    *out = json_pack("{s:O, s:o, s:o, s:o}", "plan_name", json_object_get(plan, "name"),
                     "focus_areas", areas, "units", units, "goals", goals);
    json_decref(plan);
    return PV_OK;
}

/* ---------------------------------------------------------------- writing */

static int cost_year_compare(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "year"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "year"));
    return (x > y) - (x < y);
}

static int int_compare(const void *a, const void *b)
{
    json_int_t x = json_integer_value(*(json_t *const *)a);
    json_int_t y = json_integer_value(*(json_t *const *)b);
    return (x > y) - (x < y);
}

/* A new array with the items of list sorted by cmp (checked lists only). */
static json_t *sorted(json_t *list, int (*cmp)(const void *, const void *))
{
    size_t n = json_array_size(list);
    json_t **items = pv_calloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(list, i);
    qsort(items, n, sizeof *items, cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_deep_copy(items[i]);
        if (json_is_object(c)) { /* a cost row: every key, null when absent */
            if (!json_object_get(c, "amount"))
                json_object_set_new(c, "amount", json_null());
            if (!json_object_get(c, "note"))
                json_object_set_new(c, "note", json_null());
        }
        json_array_append_new(out, c);
    }
    free(items);
    return out;
}

/* The references of the merged record, inside the transaction. */
static void check_refs(store *s, json_t *rec, json_t *errors)
{
    json_t *area = json_object_get(rec, "focus_area_id");
    if (json_is_integer(area) && !field_has_error(errors, "focus_area_id") &&
        !store_exists_pair(s, SQL_AREA_OF_PLAN, json_string_value(json_object_get(rec, "plan_id")),
                     json_integer_value(area)))
        field_error(errors, "focus_area_id",
                    N_("Velg et satsingsområde i planen tiltaket hører til."), NULL);
    const char *goal = json_string_value(json_object_get(rec, "goal_id"));
    if (goal && !field_has_error(errors, "goal_id") &&
        !store_exists(s, SQL_GOAL_EXISTS, goal))
        field_error(errors, "goal_id", N_("Velg et mål fra listen."), goal);
    size_t i;
    json_t *u;
    json_array_foreach(field_has_error(errors, "unit_ids") ? NULL
                                                            : json_object_get(rec, "unit_ids"),
                       i, u) {
        if (!store_exists(s, SQL_UNIT_EXISTS, json_string_value(u))) {
            field_error(errors, "unit_ids", N_("Velg enheter fra listen."), json_string_value(u));
            break;
        }
    }
}

static void bind_list(sqlite3_stmt *st, int i, json_t *v)
{
    char *text = json_is_array(v) ? json_dumps(v, JSON_COMPACT) : NULL;
    sqlite3_bind_text(st, i, text ? text : "[]", -1, SQLITE_TRANSIENT);
    free(text);
}

static int write_row(store *s, const char *id, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, SQL_UPDATE);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    static const char *const fields[] = {"title", "description", "focus_area_id", "deadline",
                                         "priority", "type", "goal_id"};
    for (int i = 0; i < 7; i++)
        store_edit_bind(st, i + 2, json_object_get(rec, fields[i]));
    bind_list(st, 9, json_object_get(rec, "partners"));
    bind_list(st, 10, json_object_get(rec, "sdgs"));
    const char *title = json_string_value(json_object_get(rec, "title"));
    const char *desc = json_string_value(json_object_get(rec, "description"));
    buf text = BUF_INIT, folded = BUF_INIT;
    buf_printf(&text, "%s\n%s", title ? title : "", desc ? desc : "");
    utf8_fold(text.data, text.len, &folded);
    sqlite3_bind_text(st, 11, buf_cstr(&folded), (int)folded.len, SQLITE_TRANSIENT);
    buf_finish(&text);
    buf_finish(&folded);
    return store_edit_step(st);
}

static int write_units(store *s, const char *id, json_t *unit_ids)
{
    int rc = exec_id(s, SQL_UNITS_CLEAR, id);
    size_t i;
    json_t *u;
    json_array_foreach(unit_ids, i, u) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_UNIT_ADD) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(u));
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        rc = store_edit_step(st);
    }
    return rc == 0 ? exec_id(s, SQL_RESPONSIBLE, id) : rc;
}

static int write_costs(store *s, const char *id, json_t *costs)
{
    int rc = exec_id(s, SQL_COSTS_CLEAR, id);
    size_t i;
    json_t *c;
    json_array_foreach(costs, i, c) {
        sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_COST_ADD) : NULL;
        if (!st)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_edit_bind(st, 2, json_object_get(c, "year"));
        store_edit_bind(st, 3, json_object_get(c, "amount"));
        store_edit_bind(st, 4, json_object_get(c, "note"));
        rc = store_edit_step(st);
    }
    return rc;
}

/* Writes rec over the measure, then reads it back and appends the audit event. */
static int write_all(store *s, const actor *who, int64_t now, const char *action,
                     const char *id, json_t *before, json_t *rec, json_t *diff)
{
    int rc = write_row(s, id, rec);
    if (rc == 0 && (!before || json_object_get(diff, "unit_ids")))
        rc = write_units(s, id, json_object_get(rec, "unit_ids"));
    if (rc == 0 && (!before || json_object_get(diff, "costs")))
        rc = write_costs(s, id, json_object_get(rec, "costs"));
    json_t *after = NULL;
    if (rc == 0)
        rc = store_measure_record(s, id, &after);
    if (rc == 0) {
        json_t *changes = diff_fields(before, after);
        if (!before)
            json_object_del(changes, "id");
        rc = store_audit_append(s, who, now, action, "measure", id, changes);
        json_decref(changes);
    }
    json_decref(after);
    return rc;
}

/* Tidies and checks input; the lists that are kept sorted are sorted. */
static json_t *prepared_input(json_t *input, bool partial, json_t *errors)
{
    json_t *in = json_is_object(input) ? json_deep_copy(input) : json_object();
    measure_normalize(in);
    if (measure_check(in, partial, errors) == 0) {
        json_t *costs = json_object_get(in, "costs"), *sdgs = json_object_get(in, "sdgs");
        if (json_is_array(costs))
            json_object_set_new(in, "costs", sorted(costs, cost_year_compare));
        if (json_is_array(sdgs))
            json_object_set_new(in, "sdgs", sorted(sdgs, int_compare));
    }
    return in;
}

/* An id for a new measure of the plan: "<plan>-tiltak-N", the first N not taken. */
static void new_id(store *s, const char *plan_id, buf *id)
{
    char suffix[32];
    for (int n = 1; n < 100000; n++) {
        buf_reset(id);
        snprintf(suffix, sizeof suffix, "-tiltak-%d", n);
        size_t room = PLAN_ID_MAX - strlen(suffix);
        buf_printf(id, "%.*s%s", (int)(strlen(plan_id) < room ? strlen(plan_id) : room),
                   plan_id, suffix);
        if (!store_exists(s, SQL_MEASURE_EXISTS, buf_cstr(id)))
            return;
    }
}

int store_measure_create(store *s, const actor *who, int64_t now, const char *plan_id,
                         json_t *input, json_t *errors, buf *id_out)
{
    json_t *in = prepared_input(input, false, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    int rc = store_exists(s, SQL_PLAN_EXISTS, plan_id) ? PV_OK : PV_ENOTFOUND;
    buf id = BUF_INIT;
    if (rc == 0) {
        json_object_set_new(in, "plan_id", json_string(plan_id));
        check_refs(s, in, errors);
        json_object_del(in, "plan_id");
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    if (rc == 0) {
        new_id(s, plan_id, &id);
        if (!json_object_get(in, "type"))
            json_object_set_new(in, "type", json_string("tiltak"));
        sqlite3_stmt *st = store_prepare(s, SQL_INSERT);
        if (st) {
            store_bind_text(st, 1, buf_cstr(&id));
            store_bind_text(st, 2, plan_id);
        }
        rc = store_edit_step(st);
    }
    if (rc == 0)
        rc = write_all(s, who, now, "measure.create", buf_cstr(&id), NULL, in, NULL);
    rc = store_edit_finish(s, rc);
    if (rc == 0)
        buf_puts(id_out, buf_cstr(&id));
    buf_finish(&id);
    json_decref(in);
    return rc;
}

int store_measure_update(store *s, const actor *who, int64_t now, const char *id,
                         json_t *changes, json_t *errors)
{
    json_t *in = prepared_input(changes, true, errors);
    if (store_begin(s) != 0) {
        json_decref(in);
        return PV_EDB;
    }
    json_t *before = NULL, *rec = NULL, *diff = NULL;
    int rc = store_measure_record(s, id, &before);
    if (rc == 0) {
        rec = json_deep_copy(before);
        json_object_update(rec, in);
        diff = diff_fields(before, rec);
        check_refs(s, rec, errors);
        if (json_array_size(errors))
            rc = PV_EINVAL;
    }
    if (rc == 0 && json_object_size(diff) == 0)
        store_rollback(s); /* nothing changes: no write, no event */
    else
        rc = store_edit_finish(s, rc == 0 ? write_all(s, who, now, "measure.update", id, before,
                                                      rec, diff)
                                          : rc);
    json_decref(diff);
    json_decref(rec);
    json_decref(before);
    json_decref(in);
    return rc;
}

/* ---------------------------------------------------------------- the list */

int store_measures_list(store *s, const char *plan_id, const char *unit_id, bool with_open,
                        json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LIST);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, plan_id);
    store_bind_text(st, 2, unit_id);
    sqlite3_bind_int(st, 3, with_open);
    static const char *const names[] = {"id", "title", "plan_id", "focus_area", "deadline",
                                        "type", "unit_ids", "latest"};
    int rc = store_collect_rows_json(s, st, names, PV_ARRAY_LEN(names), 6, out);
    size_t i;
    json_t *m;
    json_array_foreach(rc == 0 ? *out : NULL, i, m) {
        json_t *latest = json_object_get(m, "latest");
        if (json_is_array(latest)) /* no report: NULL became [] */
            json_object_set_new(m, "latest", json_null());
    }
    return rc;
}
