/* Assessments of inputs: the write of one assessment (one input or a group, one
 * transaction) and the reads of an input's assessment, its history and the plan's links.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3); the write and its audit
 * event are committed together in BEGIN IMMEDIATE, or nothing is. */
#include "store/assessments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/assessment.h"
#include "domain/plan.h"

static const char SQL_PROCESS[] = "SELECT themes FROM process WHERE id = ?1";
static const char SQL_INPUT[] =
    "SELECT status, assessment_id FROM input WHERE id = ?1 AND process_id = ?2";
static const char SQL_MEASURE_OK[] =
    "SELECT 1 FROM measure m JOIN process p ON p.plan_id = m.plan_id"
    " WHERE m.id = ?1 AND p.id = ?2";
static const char SQL_AREA_OK[] =
    "SELECT 1 FROM focus_area f JOIN process p ON p.plan_id = f.plan_id"
    " WHERE f.id = ?1 AND p.id = ?2";
static const char SQL_INSERT[] =
    "INSERT INTO assessment (process_id, outcome, justification, summary, themes, replaces,"
    " assessed_by, assessed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_INSERT_INPUT[] =
    "INSERT INTO assessment_input (assessment_id, input_id) VALUES (?1, ?2)";
static const char SQL_INSERT_LINK[] =
    "INSERT INTO assessment_link (assessment_id, measure_id, focus_area_id) VALUES (?1, ?2, ?3)";
static const char SQL_INPUT_SET[] =
    "UPDATE input SET assessment_id = ?2, status = ?3 WHERE id = ?1";

static const char SQL_GET[] =
    "SELECT a.id, a.process_id, a.outcome, a.justification, a.summary, a.replaces, u.name,"
    " a.assessed_at, a.themes FROM assessment a LEFT JOIN user u ON u.id = a.assessed_by"
    " WHERE a.id = ?1";
static const char *const get_names[] = {"id",       "process_id",  "outcome",
                                        "justification", "summary", "replaces",
                                        "assessed_by", "assessed_at", "themes"};
static const char SQL_GET_INPUTS[] =
    "SELECT input_id FROM assessment_input WHERE assessment_id = ?1 ORDER BY input_id";
static const char SQL_GET_MEASURES[] =
    "SELECT m.id, m.title FROM assessment_link l JOIN measure m ON m.id = l.measure_id"
    " WHERE l.assessment_id = ?1 ORDER BY m.position, m.id";
static const char SQL_GET_AREAS[] =
    "SELECT f.id, f.name FROM assessment_link l JOIN focus_area f ON f.id = l.focus_area_id"
    " WHERE l.assessment_id = ?1 ORDER BY f.position, f.id";
static const char SQL_HISTORY[] =
    "SELECT ai.assessment_id FROM assessment_input ai JOIN assessment a"
    " ON a.id = ai.assessment_id WHERE ai.input_id = ?1 AND ai.assessment_id IS NOT ?2"
    " ORDER BY a.assessed_at DESC, a.id DESC";
static const char SQL_AREAS[] =
    "SELECT f.id, f.name FROM focus_area f JOIN process p ON p.plan_id = f.plan_id"
    " WHERE p.id = ?1 ORDER BY f.position, f.id";
static const char SQL_MEASURES[] =
    "SELECT m.id, m.title, m.focus_area_id FROM measure m JOIN process p"
    " ON p.plan_id = m.plan_id WHERE p.id = ?1 ORDER BY m.position, m.id";

/* ---------------------------------------------------------------- small steps */

/* Runs a bound statement that returns no rows; resets it. */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? PV_OK : PV_EDB;
    sqlite3_reset(st);
    return rc;
}

/* Whether the bound statement st returns a row (1), none (0), or fails (PV_EDB). */
static int exists(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : PV_EDB;
}

static int process_themes(store *s, const char *process_id, json_t **themes)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PROCESS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *themes = store_column_parsed(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

static void id_error(json_t *errors, const char *field, const char *message, json_int_t id)
{
    char detail[24];
    snprintf(detail, sizeof detail, "%lld", (long long)id);
    field_error(errors, field, message, detail);
}

/* The inputs: each of the process, each may be assessed; their current assessments into
 * current[] (0: none), and what they replace into *replaces. */
static int check_inputs(store *s, const char *process_id, json_t *ids, int64_t *current,
                        json_t *errors, int64_t *replaces)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INPUT);
    if (!st)
        return PV_EDB;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        sqlite3_bind_int64(st, 1, json_integer_value(v));
        store_bind_text(st, 2, process_id);
        int rc = sqlite3_step(st);
        const char *to = NULL;
        current[i] = 0;
        if (rc == SQLITE_ROW) {
            current[i] = sqlite3_column_int64(st, 1);
            if (input_transition((const char *)sqlite3_column_text(st, 0), INPUT_ASSESS, &to) != 0)
                id_error(errors, "input_ids", N_("Dette innspillet kan ikke vurderes nå."),
                         json_integer_value(v));
        }
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            id_error(errors, "input_ids", N_("Innspillet finnes ikke i denne prosessen."),
                     json_integer_value(v));
        else if (rc != SQLITE_ROW)
            return PV_EDB;
    }
    if (assessment_replaces(current, json_array_size(ids), replaces) != 0)
        field_error(errors, "input_ids",
                    N_("Innspillene har ulike vurderinger fra før. Vurder dem hver for seg."),
                    NULL);
    return PV_OK;
}

/* Every link must point into the process's plan. */
static int check_links(store *s, const char *process_id, json_t *in, json_t *errors)
{
    sqlite3_stmt *m = store_prepare(s, SQL_MEASURE_OK), *a = store_prepare(s, SQL_AREA_OK);
    if (!m || !a)
        return PV_EDB;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(in, "measure_ids"), i, v) {
        store_bind_text(m, 1, json_string_value(v));
        store_bind_text(m, 2, process_id);
        int rc = exists(m);
        if (rc < 0)
            return rc;
        if (rc == 0)
            field_error(errors, "measure_ids",
                        N_("Tiltaket hører ikke til planen prosessen gjelder."),
                        json_string_value(v));
    }
    json_array_foreach(json_object_get(in, "focus_area_ids"), i, v) {
        sqlite3_bind_int64(a, 1, json_integer_value(v));
        store_bind_text(a, 2, process_id);
        int rc = exists(a);
        if (rc < 0)
            return rc;
        if (rc == 0)
            id_error(errors, "focus_area_ids",
                     N_("Satsingsområdet hører ikke til planen prosessen gjelder."),
                     json_integer_value(v));
    }
    return PV_OK;
}

static int insert_row(store *s, const actor *who, int64_t now, const char *process_id,
                      json_t *in, int64_t replaces, int64_t *id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INSERT);
    if (!st)
        return PV_EDB;
    char *themes = json_dumps(json_object_get(in, "themes"), JSON_COMPACT);
    store_bind_text(st, 1, process_id);
    store_bind_text(st, 2, json_string_value(json_object_get(in, "outcome")));
    store_bind_text(st, 3, json_string_value(json_object_get(in, "justification")));
    store_bind_text(st, 4, json_string_value(json_object_get(in, "summary")));
    store_bind_text(st, 5, themes ? themes : "[]");
    if (replaces)
        sqlite3_bind_int64(st, 6, replaces);
    else
        sqlite3_bind_null(st, 6);
    if (who && who->user_id > 0)
        sqlite3_bind_int64(st, 7, who->user_id);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_int64(st, 8, now);
    int rc = run(st);
    free(themes);
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(store_handle(s));
    return rc;
}

static int insert_parts(store *s, int64_t id, json_t *in)
{
    sqlite3_stmt *ai = store_prepare(s, SQL_INSERT_INPUT), *set = store_prepare(s, SQL_INPUT_SET),
                 *link = store_prepare(s, SQL_INSERT_LINK);
    if (!ai || !set || !link)
        return PV_EDB;
    int rc = PV_OK;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(in, "input_ids"), i, v) {
        sqlite3_bind_int64(ai, 1, id);
        sqlite3_bind_int64(ai, 2, json_integer_value(v));
        sqlite3_bind_int64(set, 1, json_integer_value(v));
        sqlite3_bind_int64(set, 2, id);
        store_bind_text(set, 3, "vurdert");
        if (rc == 0)
            rc = run(ai);
        if (rc == 0)
            rc = run(set);
    }
    json_array_foreach(json_object_get(in, "measure_ids"), i, v) {
        sqlite3_bind_int64(link, 1, id);
        store_bind_text(link, 2, json_string_value(v));
        sqlite3_bind_null(link, 3);
        if (rc == 0)
            rc = run(link);
    }
    json_array_foreach(json_object_get(in, "focus_area_ids"), i, v) {
        sqlite3_bind_int64(link, 1, id);
        sqlite3_bind_null(link, 2);
        sqlite3_bind_int64(link, 3, json_integer_value(v));
        if (rc == 0)
            rc = run(link);
    }
    return rc;
}

static int audit(store *s, const actor *who, int64_t now, const char *process_id, json_t *in,
                 int64_t id, int64_t replaces)
{
    char object_id[24];
    snprintf(object_id, sizeof object_id, "%lld", (long long)id);
    json_t *changes = json_pack("{s:[n, O], s:[n, O], s:[n, s], s:[n, o]}", "outcome",
                                json_object_get(in, "outcome"), "input_ids",
                                json_object_get(in, "input_ids"), "process_id", process_id,
                                "replaces", replaces ? json_integer(replaces) : json_null());
    int rc = store_audit_append(s, who, now, "assessment.create", "assessment", object_id, changes);
    json_decref(changes);
    return rc;
}

/* ---------------------------------------------------------------- writing */

int store_assessment_create(store *s, const actor *who, int64_t now, const char *process_id,
                            json_t *in, json_t *errors, int64_t *id)
{
    int rc = store_begin(s);
    if (rc != 0)
        return rc;
    json_t *themes = NULL;
    rc = process_themes(s, process_id, &themes);
    int64_t *current = NULL, replaces = 0;
    if (rc == 0) {
        assessment_normalize(in);
        assessment_check(in, themes, errors);
        /* The references are checked too when the rest has errors: every error at once. */
        if (!field_has_error(errors, "input_ids")) {
            size_t n = json_array_size(json_object_get(in, "input_ids"));
            current = pv_calloc(n ? n : 1, sizeof *current);
            rc = check_inputs(s, process_id, json_object_get(in, "input_ids"), current, errors,
                              &replaces);
        }
        if (rc == 0 && !field_has_error(errors, "measure_ids") &&
            !field_has_error(errors, "focus_area_ids"))
            rc = check_links(s, process_id, in, errors);
        if (rc == 0 && json_array_size(errors) > 0)
            rc = PV_EINVAL;
    }
    if (rc == 0)
        rc = insert_row(s, who, now, process_id, in, replaces, id);
    if (rc == 0)
        rc = insert_parts(s, *id, in);
    if (rc == 0)
        rc = audit(s, who, now, process_id, in, *id, replaces);
    free(current);
    json_decref(themes);
    if (rc == 0)
        return store_commit(s);
    store_rollback(s);
    return rc;
}

/* ---------------------------------------------------------------- reading */

static int collect_column(store *s, const char *sql, int64_t id, const char *const *names,
                          size_t n, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, id);
    return store_collect_rows(s, st, names, n, out);
}

int store_assessment_get(store *s, int64_t id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GET);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    json_t *a;
    int rc = store_one_row(s, st, get_names, PV_ARRAY_LEN(get_names), 8, &a);
    if (rc != 0)
        return rc;
    static const char *const input_names[] = {"id"};
    static const char *const measure_names[] = {"id", "title"};
    static const char *const area_names[] = {"id", "name"};
    json_t *inputs = NULL, *measures = NULL, *areas = NULL;
    rc = collect_column(s, SQL_GET_INPUTS, id, input_names, 1, &inputs);
    if (rc == 0)
        rc = collect_column(s, SQL_GET_MEASURES, id, measure_names, 2, &measures);
    if (rc == 0)
        rc = collect_column(s, SQL_GET_AREAS, id, area_names, 2, &areas);
    if (rc != 0) {
        json_decref(a);
        json_decref(inputs);
        json_decref(measures);
        return rc;
    }
    json_t *ids = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(inputs, i, v)
        json_array_append(ids, json_object_get(v, "id"));
    json_decref(inputs);
    json_object_set_new(a, "input_ids", ids);
    json_object_set_new(a, "measures", measures);
    json_object_set_new(a, "focus_areas", areas);
    *out = a;
    return PV_OK;
}

int store_assessment_of_input(store *s, const char *process_id, int64_t input_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INPUT);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, input_id);
    store_bind_text(st, 2, process_id);
    int rc = sqlite3_step(st);
    int64_t current = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    st = store_prepare(s, SQL_HISTORY);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, input_id);
    if (current)
        sqlite3_bind_int64(st, 2, current);
    else
        sqlite3_bind_null(st, 2);
    static const char *const names[] = {"id"};
    json_t *ids;
    if ((rc = store_collect_rows(s, st, names, 1, &ids)) != 0)
        return rc;
    json_t *result = json_pack("{s:n, s:[]}", "current", "history");
    json_t *a = NULL;
    if (current && (rc = store_assessment_get(s, current, &a)) == 0)
        json_object_set_new(result, "current", a);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        if (rc != 0)
            break;
        if ((rc = store_assessment_get(s, json_integer_value(json_object_get(v, "id")), &a)) == 0)
            json_array_append_new(json_object_get(result, "history"), a);
    }
    json_decref(ids);
    if (rc != 0) {
        json_decref(result);
        return rc;
    }
    *out = result;
    return PV_OK;
}

int store_assessment_plan_links(store *s, const char *process_id, json_t **out)
{
    static const char *const area_names[] = {"id", "name"};
    static const char *const measure_names[] = {"id", "title", "focus_area_id"};
    sqlite3_stmt *st = store_prepare(s, SQL_AREAS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    json_t *areas, *measures;
    int rc = store_collect_rows(s, st, area_names, 2, &areas);
    if (rc != 0)
        return rc;
    if (!(st = store_prepare(s, SQL_MEASURES))) {
        json_decref(areas);
        return PV_EDB;
    }
    store_bind_text(st, 1, process_id);
    if ((rc = store_collect_rows(s, st, measure_names, 3, &measures)) != 0) {
        json_decref(areas);
        return rc;
    }
    json_t *loose = json_pack("{s:n, s:n, s:[]}", "id", "name", "measures");
    size_t i, j;
    json_t *area, *m;
    json_array_foreach(areas, i, area)
        json_object_set_new(area, "measures", json_array());
    json_array_foreach(measures, j, m) {
        json_t *home = loose;
        json_array_foreach(areas, i, area)
            if (json_equal(json_object_get(area, "id"), json_object_get(m, "focus_area_id")))
                home = area;
        json_object_del(m, "focus_area_id");
        json_array_append(json_object_get(home, "measures"), m);
    }
    json_decref(measures);
    if (json_array_size(json_object_get(loose, "measures")) > 0)
        json_array_append(areas, loose);
    json_decref(loose);
    *out = areas;
    return PV_OK;
}
