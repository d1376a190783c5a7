/* Staff edits of goals and indicators.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3); the pattern of each write is
 * that of store/plans_edit.c: begin → read → check → write → read again → audit → commit. */
#include "store/goals_edit.h"

#include <stdio.h>
#include <string.h>

#include "domain/diff.h"
#include "domain/plan.h"
#include "store/plans_edit.h"

/* ---------------------------------------------------------------- statements */

static const char SQL_GOAL_RECORD[] =
    "SELECT id, text, level, parent_id, plan_id, lead_in, retired FROM goal WHERE id = ?1";
static const char *const goal_names[] = {"id", "text", "level", "parent_id", "plan_id",
                                         "lead_in", "retired"};
static const char SQL_GOALS_STAFF[] =
    "SELECT g.id, g.text, g.level, g.parent_id, g.plan_id, p.name, g.lead_in, g.retired"
    " FROM goal g LEFT JOIN plan p ON p.id = g.plan_id ORDER BY g.position";
static const char SQL_GOALS_RETIRED[] = "SELECT id FROM goal WHERE retired <> 0 ORDER BY id";
static const char SQL_GOAL_TREE[] = "SELECT id, parent_id, level, retired FROM goal";
static const char SQL_GOAL_EXISTS[] = "SELECT 1 FROM goal WHERE id = ?1";
static const char SQL_PLAN_EXISTS[] = "SELECT 1 FROM plan WHERE id = ?1";
static const char SQL_GOAL_INSERT[] =
    "INSERT INTO goal (id, text, level, parent_id, plan_id, lead_in, retired, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT coalesce(max(position), 0) + 1 FROM goal))";
static const char SQL_GOAL_UPDATE[] =
    "UPDATE goal SET text = ?2, level = ?3, parent_id = ?4, plan_id = ?5, lead_in = ?6,"
    " retired = ?7 WHERE id = ?1";

static const char SQL_IND_RECORD[] =
    "SELECT id, text, unit, comparator, baseline_value, baseline_year, baseline_text,"
    " target_value, target_year, plan_id FROM indicator WHERE id = ?1";
static const char *const ind_names[] = {"id", "text", "unit", "comparator", "baseline_value",
                                        "baseline_year", "baseline_text", "target_value",
                                        "target_year", "plan_id"};
static const char SQL_IND_GOALS[] =
    "SELECT goal_id FROM indicator_goal WHERE indicator_id = ?1 ORDER BY goal_id";
static const char SQL_GOAL_IND_IDS[] =
    "SELECT i.id FROM indicator i JOIN indicator_goal ig ON ig.indicator_id = i.id"
    " WHERE ig.goal_id = ?1 ORDER BY i.position, i.id";
static const char SQL_IND_EXISTS[] = "SELECT 1 FROM indicator WHERE id = ?1";
static const char SQL_IND_INSERT[] =
    "INSERT INTO indicator (id, text, unit, comparator, baseline_value, baseline_year,"
    " baseline_text, target_value, target_year, plan_id, position) VALUES (?1, ?2, ?3, ?4, ?5,"
    " ?6, ?7, ?8, ?9, ?10, (SELECT coalesce(max(position), 0) + 1 FROM indicator))";
static const char SQL_IND_UPDATE[] =
    "UPDATE indicator SET text = ?2, unit = ?3, comparator = ?4, baseline_value = ?5,"
    " baseline_year = ?6, baseline_text = ?7, target_value = ?8, target_year = ?9,"
    " plan_id = ?10 WHERE id = ?1";
static const char SQL_IND_GOALS_CLEAR[] = "DELETE FROM indicator_goal WHERE indicator_id = ?1";
static const char SQL_IND_GOAL_ADD[] =
    "INSERT OR IGNORE INTO indicator_goal (indicator_id, goal_id) VALUES (?1, ?2)";

/* ---------------------------------------------------------------- reading */

static void retired_as_bool(json_t *row)
{
    json_object_set_new(row, "retired",
                        json_boolean(json_integer_value(json_object_get(row, "retired"))));
}

int store_goal_record(store *s, const char *id, json_t **out)
{
    int rc = store_row_by_id(s, SQL_GOAL_RECORD, id, goal_names, PV_ARRAY_LEN(goal_names), out);
    if (rc == 0)
        retired_as_bool(*out);
    return rc;
}

int store_goals_staff(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GOALS_STAFF);
    static const char *const names[] = {"id", "text", "level", "parent_id", "plan_id",
                                        "plan_name", "lead_in", "retired"};
    int rc = st ? store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out) : PV_EDB;
    size_t i;
    json_t *g;
    if (rc == 0)
        json_array_foreach(*out, i, g) retired_as_bool(g);
    return rc;
}

int store_goals_retired(store *s, json_t **out)
{
    return store_edit_column(s, SQL_GOALS_RETIRED, NULL, out);
}

int store_indicator_record(store *s, const char *id, json_t **out)
{
    json_t *rec, *goals;
    int rc = store_row_by_id(s, SQL_IND_RECORD, id, ind_names, PV_ARRAY_LEN(ind_names), &rec);
    if (rc != 0)
        return rc;
    if ((rc = store_edit_column(s, SQL_IND_GOALS, id, &goals)) != 0) {
        json_decref(rec);
        return rc;
    }
    json_object_set_new(rec, "goal_ids", goals);
    *out = rec;
    return PV_OK;
}

int store_goal_indicators(store *s, const char *goal_id, json_t **out)
{
    json_t *ids;
    int rc = store_edit_column(s, SQL_GOAL_IND_IDS, goal_id, &ids);
    if (rc != 0)
        return rc;
    json_t *list = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        json_t *rec;
        if (rc == 0 && (rc = store_indicator_record(s, json_string_value(v), &rec)) == 0)
            json_array_append_new(list, rec);
    }
    json_decref(ids);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return PV_OK;
}

/* ---------------------------------------------------------------- ids of new records */

/* A free id made from prefix and text: the slug (at most 60 characters), then -2, -3 …
 * until no row of exists_sql has it. */
static void unique_id(store *s, const char *exists_sql, const char *prefix, const char *text,
                      buf *out)
{
    buf base = BUF_INIT;
    buf_puts(&base, prefix);
    buf slug = BUF_INIT;
    plan_slugify(text ? text : "", &slug);
    if (slug.len > 60) {
        slug.len = 60;
        while (slug.len && slug.data[slug.len - 1] == '-')
            slug.len--;
        slug.data[slug.len] = '\0';
    }
    buf_puts(&base, slug.len ? buf_cstr(&slug) : "mal");
    buf_finish(&slug);
    for (int n = 1; n < 100000; n++) {
        buf_reset(out);
        buf_puts(out, buf_cstr(&base));
        if (n > 1)
            buf_printf(out, "-%d", n);
        if (strcmp(buf_cstr(out), PLAN_ID_RESERVED) != 0 &&
            !store_exists(s, exists_sql, buf_cstr(out)))
            break;
    }
    buf_finish(&base);
}

/* The id of a new record: the given one (checked), else a free one made from the text. */
static void new_id(store *s, const char *exists_sql, const char *prefix, json_t *rec,
                   json_t *errors, const char *taken_msg, buf *id)
{
    const char *given = json_string_value(json_object_get(rec, "id"));
    if (!given) {
        unique_id(s, exists_sql, prefix, json_string_value(json_object_get(rec, "text")), id);
        return;
    }
    buf_puts(id, given);
    if (field_has_error(errors, "id"))
        return;
    if (strcmp(given, PLAN_ID_RESERVED) == 0)
        field_error(errors, "id", N_("«ny» kan ikke brukes som id. Skriv en annen id."), NULL);
    else if (store_exists(s, exists_sql, given))
        field_error(errors, "id", taken_msg, given);
}

static bool changed(json_t *diff, const char *field)
{
    return diff == NULL || json_object_get(diff, field) != NULL;
}

/* ---------------------------------------------------------------- checking a goal */

/* Every goal: id → {parent_id, level, retired}. */
static json_t *goal_tree(store *s)
{
    json_t *tree = json_object();
    sqlite3_stmt *st = store_prepare(s, SQL_GOAL_TREE);
    while (st && sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(tree, (const char *)sqlite3_column_text(st, 0),
                            json_pack("{s:o, s:o, s:b}", "parent_id", store_column_json(st, 1),
                                      "level", store_column_json(st, 2), "retired",
                                      sqlite3_column_int(st, 3) != 0));
    if (st)
        sqlite3_reset(st);
    return tree;
}

static const char *tree_str(json_t *tree, const char *id, const char *key)
{
    return json_string_value(json_object_get(json_object_get(tree, id), key));
}

/* The checks of the goal's place in the tree: its parent, its level and its sub-goals. */
static void check_place(json_t *tree, const char *id, json_t *rec, json_t *diff, json_t *errors)
{
    const char *level = json_string_value(json_object_get(rec, "level"));
    const char *parent = json_string_value(json_object_get(rec, "parent_id"));
    json_t *parent_node = parent ? json_object_get(tree, parent) : NULL;
    if (!level || field_has_error(errors, "level") || field_has_error(errors, "parent_id"))
        return;
    if (changed(diff, "parent_id") && parent) {
        if (!parent_node) {
            field_error(errors, "parent_id", N_("Målet finnes ikke. Velg et mål fra listen."), parent);
            return;
        }
        if (goal_parent_cycle(tree, id, parent)) {
            field_error(errors, "parent_id", N_("Et mål kan ikke ligge under seg selv eller under et av sine egne undermål."), NULL);
            return;
        }
        if (json_is_true(json_object_get(parent_node, "retired")))
            field_error(errors, "parent_id", N_("Det overordnede målet er trukket tilbake. Velg et annet."), NULL);
    }
    if ((changed(diff, "parent_id") || changed(diff, "level")) && (!parent || parent_node)) {
        const char *problem = goal_parent_problem(level, parent ? tree_str(tree, parent, "level") : NULL);
        if (problem)
            field_error(errors, changed(diff, "parent_id") ? "parent_id" : "level", problem, NULL);
    }
    if (diff && changed(diff, "level")) {
        const char *key;
        json_t *node;
        json_object_foreach(tree, key, node) {
            const char *p = json_string_value(json_object_get(node, "parent_id"));
            const char *child_level = json_string_value(json_object_get(node, "level"));
            if (p && strcmp(p, id) == 0 && child_level && goal_parent_problem(child_level, level)) {
                field_error(errors, "level", N_("Målet har undermål som ikke kan ligge under et mål på dette nivået. Flytt dem først."), key);
                break;
            }
        }
    }
}

/* Retiring needs no active sub-goals; bringing back needs an active parent. */
static void check_retired(json_t *tree, const char *id, json_t *rec, json_t *diff,
                          json_t *errors)
{
    if (!changed(diff, "retired") || field_has_error(errors, "retired"))
        return;
    const char *parent = json_string_value(json_object_get(rec, "parent_id"));
    if (json_is_true(json_object_get(rec, "retired"))) {
        const char *key;
        json_t *node;
        json_object_foreach(tree, key, node) {
            const char *p = json_string_value(json_object_get(node, "parent_id"));
            if (p && strcmp(p, id) == 0 && !json_is_true(json_object_get(node, "retired"))) {
                field_error(errors, "retired", N_("Målet har undermål som ikke er trukket tilbake. Trekk dem tilbake eller flytt dem først."), key);
                return;
            }
        }
    } else if (diff && parent && json_is_true(json_object_get(json_object_get(tree, parent), "retired")) &&
               !changed(diff, "parent_id")) {
        field_error(errors, "retired", N_("Det overordnede målet er trukket tilbake. Gjenopprett det først."), NULL);
    }
}

static void check_goal(store *s, const char *id, json_t *rec, json_t *diff, json_t *errors)
{
    const char *plan = json_string_value(json_object_get(rec, "plan_id"));
    if (changed(diff, "plan_id") && plan && !field_has_error(errors, "plan_id") &&
        !store_exists(s, SQL_PLAN_EXISTS, plan))
        field_error(errors, "plan_id", N_("Planen finnes ikke. Velg en plan fra listen."), NULL);
    json_t *tree = goal_tree(s);
    if (!json_object_get(tree, id)) /* a new goal: part of the tree for the cycle check */
        json_object_set_new(tree, id, json_object());
    json_object_set(json_object_get(tree, id), "parent_id", json_object_get(rec, "parent_id"));
    check_place(tree, id, rec, diff, errors);
    check_retired(tree, id, rec, diff, errors);
    json_decref(tree);
}

/* ---------------------------------------------------------------- writing a goal */

static int write_goal(store *s, const char *sql, const char *id, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    for (size_t i = 1; i < PV_ARRAY_LEN(goal_names); i++)
        store_edit_bind(st, (int)i + 1, json_object_get(rec, goal_names[i]));
    return store_edit_step(st);
}

/* The plans whose derived goal links may have moved: the goal's plan before and after. */
static int derive_for(store *s, json_t *before, json_t *after)
{
    const char *a = json_string_value(json_object_get(before, "plan_id"));
    const char *b = json_string_value(json_object_get(after, "plan_id"));
    int rc = a ? store_plan_derive_goals(s, a) : PV_OK;
    if (rc == 0 && b && (!a || strcmp(a, b) != 0))
        rc = store_plan_derive_goals(s, b);
    return rc;
}

static const char *goal_action(json_t *diff, json_t *after)
{
    if (json_object_size(diff) == 1 && json_object_get(diff, "retired"))
        return json_is_true(json_object_get(after, "retired")) ? "goal.retire" : "goal.unretire";
    if (json_object_size(diff) == 1 && json_object_get(diff, "parent_id"))
        return "goal.move";
    return "goal.update";
}

static int audit_goal(store *s, const actor *who, int64_t now, const char *action,
                      const char *id, json_t *before)
{
    json_t *after;
    int rc = store_goal_record(s, id, &after);
    if (rc != 0)
        return rc;
    json_t *diff = diff_fields(before, after);
    if (json_object_size(diff))
        rc = store_audit_append(s, who, now, action ? action : goal_action(diff, after), "goal",
                                id, diff);
    if (rc == 0)
        rc = derive_for(s, before, after);
    json_decref(diff);
    json_decref(after);
    return rc;
}

static json_t *empty_goal(void)
{
    json_t *rec = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(goal_names); i++)
        json_object_set_new(rec, goal_names[i], json_null());
    json_object_set_new(rec, "retired", json_false());
    return rec;
}

int store_goal_create(store *s, const actor *who, int64_t now, json_t *input, json_t *errors,
                      buf *id_out)
{
    json_t *rec = empty_goal(), *in = json_deep_copy(input);
    fields_normalize(goal_field_rules, in);
    fields_check(goal_field_rules, in, false, errors);
    json_object_update(rec, in);
    json_decref(in);
    if (store_begin(s) != 0) {
        json_decref(rec);
        return PV_EDB;
    }
    buf id = BUF_INIT;
    new_id(s, SQL_GOAL_EXISTS, "", rec, errors,
           N_("Det finnes allerede et mål med denne id-en. Skriv en annen id."), &id);
    check_goal(s, buf_cstr(&id), rec, NULL, errors);
    int rc = json_array_size(errors) ? PV_EINVAL : PV_OK;
    json_t *before = empty_goal();
    json_object_set_new(before, "retired", json_null());
    if (rc == 0)
        rc = write_goal(s, SQL_GOAL_INSERT, buf_cstr(&id), rec);
    if (rc == 0)
        rc = audit_goal(s, who, now, "goal.create", buf_cstr(&id), before);
    rc = store_edit_finish(s, rc);
    if (rc == 0)
        buf_puts(id_out, buf_cstr(&id));
    buf_finish(&id);
    json_decref(before);
    json_decref(rec);
    return rc;
}

static int update_goal(store *s, const actor *who, int64_t now, const char *id,
                       json_t *before, json_t *rec)
{
    int rc = write_goal(s, SQL_GOAL_UPDATE, id, rec);
    return rc == 0 ? audit_goal(s, who, now, NULL, id, before) : rc;
}

int store_goal_update(store *s, const actor *who, int64_t now, const char *id,
                      json_t *changes, json_t *errors)
{
    static const edit_kind goal = {goal_field_rules, N_("Id-en til et mål kan ikke endres."),
                                   store_goal_record, check_goal, update_goal};
    return store_edit_update(s, &goal, who, now, id, changes, errors);
}

/* ---------------------------------------------------------------- indicators */

static void check_indicator(store *s, json_t *rec, json_t *diff, json_t *errors)
{
    const char *plan = json_string_value(json_object_get(rec, "plan_id"));
    if (changed(diff, "plan_id") && plan && !field_has_error(errors, "plan_id") &&
        !store_exists(s, SQL_PLAN_EXISTS, plan))
        field_error(errors, "plan_id", N_("Planen finnes ikke. Velg en plan fra listen."), NULL);
    json_t *goals = json_object_get(rec, "goal_ids");
    if (!changed(diff, "goal_ids") || !json_is_array(goals) || field_has_error(errors, "goal_ids"))
        return;
    buf missing = BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(goals, i, v) {
        if (store_exists(s, SQL_GOAL_EXISTS, json_string_value(v)))
            continue;
        if (missing.len)
            buf_puts(&missing, ", ");
        buf_puts(&missing, json_string_value(v));
    }
    if (missing.len)
        field_error(errors, "goal_ids", N_("Et av målene finnes ikke. Velg mål fra listen."),
                    buf_cstr(&missing));
    buf_finish(&missing);
}

static int write_indicator(store *s, const char *sql, const char *id, json_t *rec)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    for (size_t i = 1; i < PV_ARRAY_LEN(ind_names); i++) {
        json_t *v = json_object_get(rec, ind_names[i]);
        if (json_is_integer(v) && (strcmp(ind_names[i], "baseline_value") == 0 ||
                                   strcmp(ind_names[i], "target_value") == 0))
            sqlite3_bind_double(st, (int)i + 1, (double)json_integer_value(v));
        else
            store_edit_bind(st, (int)i + 1, v);
    }
    int rc = store_edit_step(st);
    if (rc == 0 && (st = store_prepare(s, SQL_IND_GOALS_CLEAR)) != NULL) {
        store_bind_text(st, 1, id);
        rc = store_edit_step(st);
    }
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(rec, "goal_ids"), i, g) {
        if (rc != 0 || (st = store_prepare(s, SQL_IND_GOAL_ADD)) == NULL)
            return PV_EDB;
        store_bind_text(st, 1, id);
        store_bind_text(st, 2, json_string_value(g));
        rc = store_edit_step(st);
    }
    return rc;
}

static int audit_indicator(store *s, const actor *who, int64_t now, const char *action,
                           const char *id, json_t *before)
{
    json_t *after;
    int rc = store_indicator_record(s, id, &after);
    if (rc != 0)
        return rc;
    json_t *diff = diff_fields(before, after);
    if (json_object_size(diff))
        rc = store_audit_append(s, who, now, action, "indicator", id, diff);
    json_decref(diff);
    json_decref(after);
    return rc;
}

static json_t *empty_indicator(void)
{
    json_t *rec = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(ind_names); i++)
        json_object_set_new(rec, ind_names[i], json_null());
    json_object_set_new(rec, "goal_ids", json_array());
    return rec;
}

int store_indicator_create(store *s, const actor *who, int64_t now, json_t *input,
                           json_t *errors, buf *id_out)
{
    json_t *rec = empty_indicator(), *in = json_deep_copy(input);
    fields_normalize(indicator_field_rules, in);
    fields_check(indicator_field_rules, in, false, errors);
    json_object_update(rec, in);
    json_decref(in);
    if (store_begin(s) != 0) {
        json_decref(rec);
        return PV_EDB;
    }
    buf id = BUF_INIT;
    new_id(s, SQL_IND_EXISTS, "ind-", rec, errors,
           N_("Det finnes allerede en indikator med denne id-en. Skriv en annen id."), &id);
    check_indicator(s, rec, NULL, errors);
    int rc = json_array_size(errors) ? PV_EINVAL : PV_OK;
    json_t *before = empty_indicator();
    if (rc == 0)
        rc = write_indicator(s, SQL_IND_INSERT, buf_cstr(&id), rec);
    if (rc == 0)
        rc = audit_indicator(s, who, now, "indicator.create", buf_cstr(&id), before);
    rc = store_edit_finish(s, rc);
    if (rc == 0)
        buf_puts(id_out, buf_cstr(&id));
    buf_finish(&id);
    json_decref(before);
    json_decref(rec);
    return rc;
}

static void check_indicator_record(store *s, const char *id, json_t *rec, json_t *diff,
                                   json_t *errors)
{
    (void)id;
    check_indicator(s, rec, diff, errors);
}

static int update_indicator(store *s, const actor *who, int64_t now, const char *id,
                            json_t *before, json_t *rec)
{
    int rc = write_indicator(s, SQL_IND_UPDATE, id, rec);
    return rc == 0 ? audit_indicator(s, who, now, "indicator.update", id, before) : rc;
}

int store_indicator_update(store *s, const actor *who, int64_t now, const char *id,
                           json_t *changes, json_t *errors)
{
    static const edit_kind indicator = {indicator_field_rules,
                                        N_("Id-en til en indikator kan ikke endres."),
                                        store_indicator_record, check_indicator_record,
                                        update_indicator};
    return store_edit_update(s, &indicator, who, now, id, changes, errors);
}
