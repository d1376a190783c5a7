/* The staff's goal pages: /arbeid/mal (the whole tree, retired goals marked), the goal form
 * (/arbeid/mal/ny, /arbeid/mal/{id}) with moving, retiring and bringing back, the indicator
 * form (/arbeid/mal/{id}/indikatorer/ny, /arbeid/indikatorer/{id}), and the API of goals and
 * indicators.
 * Layer: pages. */
#include <stdio.h>
#include <string.h>

#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/goals_edit.h"
#include "store/plans_edit.h"
#include "web/session.h"

static const form_field goal_new_fields[] = {
    {"id", IN_ID},
    {"text", IN_TEXT},
    {"level", IN_CHOICE},
    {"parent_id", IN_CHOICE},
    {"plan_id", IN_CHOICE},
    {"lead_in", IN_TEXT},
    {NULL, 0},
};
static const form_field *const goal_edit_fields = goal_new_fields + 1;

static const form_field indicator_new_fields[] = {
    {"id", IN_ID},
    {"text", IN_TEXT},
    {"unit", IN_TEXT},
    {"comparator", IN_CHOICE},
    {"baseline_value", IN_NUMBER},
    {"baseline_year", IN_YEAR},
    {"baseline_text", IN_TEXT},
    {"target_value", IN_NUMBER},
    {"target_year", IN_YEAR},
    {"plan_id", IN_CHOICE},
    {"goal_ids", IN_LIST},
    {NULL, 0},
};
static const form_field *const indicator_edit_fields = indicator_new_fields + 1;

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}


/* A goal in one line for a choice: «Hovedmål: Moss skal …», cut after about 90 bytes (on a
 * character boundary). */
static json_t *goal_line(pv_req *r, json_t *g)
{
    buf text = BUF_INIT;
    buf_printf(&text, "%s: ", page_level_label(r, str(g, "level")));
    const char *t = str(g, "text");
    size_t n = strlen(t);
    if (n > 90) {
        n = 90;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--;
        buf_append(&text, t, n);
        buf_puts(&text, "…");
    } else {
        buf_puts(&text, t);
    }
    if (json_is_true(json_object_get(g, "retired")))
        buf_printf(&text, " (%s)", T(r, "trukket tilbake"));
    json_t *v = json_string(buf_cstr(&text));
    buf_finish(&text);
    return v;
}

/* ---------------------------------------------------------------- /arbeid/mal */

static json_t *tree_node(pv_req *r, json_t *goal, json_t *goals, int depth)
{
    const char *id = str(goal, "id");
    char url[200];
    snprintf(url, sizeof url, "/arbeid/mal/%s", id);
    json_t *children = json_array();
    size_t i;
    json_t *g;
    if (depth < 8) {
        json_array_foreach(goals, i, g) {
            const char *parent = str(g, "parent_id");
            if (parent && strcmp(parent, id) == 0)
                json_array_append_new(children, tree_node(r, g, goals, depth + 1));
        }
    }
    return json_pack("{s:s, s:O, s:O, s:s, s:O, s:O, s:s, s:b, s:o}", "id", id, "text",
                     json_object_get(goal, "text"), "lead_in", json_object_get(goal, "lead_in"),
                     "level_label", page_level_label(r, str(goal, "level")), "retired",
                     json_object_get(goal, "retired"), "plan_name",
                     json_object_get(goal, "plan_name"), "edit_url", url, "has_children",
                     json_array_size(children) > 0, "children", children);
}

static bool known_goal(json_t *goals, const char *id)
{
    size_t i;
    json_t *g;
    json_array_foreach(goals, i, g)
        if (strcmp(str(g, "id"), id) == 0)
            return true;
    return false;
}

int page_staff_goals(pv_req *r, json_t **vm)
{
    json_t *goals;
    if (store_goals_staff(r->w->db, &goals) != 0)
        return 500;
    json_t *roots = json_array();
    size_t i, retired = 0;
    json_t *g;
    json_array_foreach(goals, i, g) {
        const char *parent = str(g, "parent_id");
        retired += json_is_true(json_object_get(g, "retired"));
        if (!parent || !known_goal(goals, parent))
            json_array_append_new(roots, tree_node(r, g, goals, 0));
    }
    *vm = json_pack("{s:o, s:I, s:I}", "roots", roots, "count",
                    (json_int_t)json_array_size(goals), "retired_count", (json_int_t)retired);
    json_decref(goals);
    return 200;
}

/* ---------------------------------------------------------------- the goal form */

static json_t *goal_values(json_t *rec)
{
    json_t *values = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v)
        json_object_set_new(values, key, portfolio_value_text(v));
    return values;
}

static json_t *level_options(pv_req *r, const char *selected)
{
    json_t *out = json_array();
    for (size_t i = 0; goal_levels[i]; i++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", goal_levels[i], "label",
                                             page_level_label(r, goal_levels[i]), "selected",
                                             selected && strcmp(selected, goal_levels[i]) == 0));
    return out;
}

/* The goals a goal may stand under: all but itself, active ones (and the current choice). */
static json_t *parent_options(pv_req *r, json_t *goals, const char *self, const char *selected)
{
    json_t *out = json_array();
    json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                         T(r, "Ingen (øverst i treet)"), "selected",
                                         !selected || !*selected));
    size_t i;
    json_t *g;
    json_array_foreach(goals, i, g) {
        const char *id = str(g, "id");
        bool chosen = selected && strcmp(selected, id) == 0;
        if ((self && strcmp(self, id) == 0) ||
            (json_is_true(json_object_get(g, "retired")) && !chosen) ||
            strcmp(str(g, "level"), "delmål") == 0)
            continue; /* a delmål has no sub-goals */
        json_array_append_new(out, json_pack("{s:s, s:o, s:b}", "value", id, "label",
                                             goal_line(r, g), "selected", chosen));
    }
    return out;
}

static int plan_options(pv_req *r, const char *selected, json_t **out)
{
    json_t *c;
    if (store_plan_choices(r->w->db, NULL, &c) != 0)
        return 500;
    json_t *opts = portfolio_options(json_object_get(c, "plans"), "id", "name", selected);
    json_array_insert_new(opts, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                             T(r, "Ingen plan"), "selected",
                                             !selected || !*selected));
    json_decref(c);
    *out = opts;
    return 0;
}

static json_t *indicator_rows(pv_req *r, json_t *records)
{
    json_t *out = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(records, i, ind) {
        json_t *v = page_indicator_view(r, ind);
        char url[200];
        snprintf(url, sizeof url, "/arbeid/indikatorer/%s", str(ind, "id"));
        json_object_set_new(v, "edit_url", json_string(url));
        json_array_append_new(out, v);
    }
    return out;
}

/* The view-model of the goal form. goal: the stored record (NULL: a new goal). */
static int goal_form(pv_req *r, json_t *goal, json_t *values, json_t *errors, json_t **vm_out)
{
    json_t *goals, *plans;
    const char *id = goal ? str(goal, "id") : NULL;
    if (store_goals_staff(r->w->db, &goals) != 0)
        return 500;
    if (plan_options(r, str(values, "plan_id"), &plans) != 0) {
        json_decref(goals);
        return 500;
    }
    json_t *options = json_pack("{s:o, s:o, s:o}", "levels", level_options(r, str(values, "level")),
                                "parents", parent_options(r, goals, id, str(values, "parent_id")),
                                "plans", plans);
    json_decref(goals);
    json_t *vm = json_pack("{s:b, s:O, s:o}", "is_new", goal == NULL, "values", values,
                           "options", options);
    char url[200];
    if (goal) {
        json_t *inds;
        if (store_goal_indicators(r->w->db, id, &inds) != 0) {
            json_decref(vm);
            return 500;
        }
        json_t *g = json_pack("{s:s, s:O, s:O, s:s}", "id", id, "text",
                              json_object_get(goal, "text"), "retired",
                              json_object_get(goal, "retired"), "level_label",
                              page_level_label(r, str(goal, "level")));
        snprintf(url, sizeof url, "/mal#mal-%s", id);
        json_object_set_new(g, "public_url", json_string(url));
        snprintf(url, sizeof url, "/arbeid/mal/%s/trekk-tilbake", id);
        json_object_set_new(g, "retire_action", json_string(url));
        snprintf(url, sizeof url, "/arbeid/mal/%s/gjenopprett", id);
        json_object_set_new(g, "unretire_action", json_string(url));
        snprintf(url, sizeof url, "/arbeid/mal/%s/indikatorer/ny", id);
        json_object_set_new(g, "new_indicator_url", json_string(url));
        json_object_set_new(vm, "goal", g);
        json_object_set_new(vm, "indicators", indicator_rows(r, inds));
        json_object_set_new(vm, "has_indicators", json_boolean(json_array_size(inds) > 0));
        json_decref(inds);
        snprintf(url, sizeof url, "/arbeid/mal/%s", id);
    } else {
        snprintf(url, sizeof url, "/arbeid/mal/ny");
    }
    json_object_set_new(vm, "action", json_string(url));
    portfolio_form_errors(r, vm, errors, "goal", "f-");
    json_object_set_new(vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    json_object_set_new(vm, "created", json_boolean(portfolio_flag(r, "opprettet")));
    *vm_out = vm;
    return 0;
}

static int goal_reply(pv_req *r, json_t *goal, json_t *values, json_t *errors, int status,
                      json_t **vm)
{
    int rc = goal_form(r, goal, values, errors, vm);
    return rc ? rc : status;
}

int page_staff_goal_new(pv_req *r, json_t **vm)
{
    json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", "", "text", "", "level",
                               "delmål", "parent_id", "", "plan_id", "", "lead_in", "");
    const char *parent = url_query_get(&r->query, "forelder");
    if (parent && plan_id_valid(parent))
        json_object_set_new(values, "parent_id", json_string(parent));
    json_t *errors = json_array();
    int status = goal_reply(r, NULL, values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    return status;
}

int page_staff_goal_create(pv_req *r, json_t **vm)
{
    json_t *values = portfolio_form_values(r, goal_new_fields);
    json_t *input = portfolio_form_input(r, goal_new_fields), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    int rc = store_goal_create(r->w->db, &who, session_now(), input, errors, &id);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/mal/%s?opprettet=1", buf_cstr(&id));
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = goal_reply(r, NULL, values, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    buf_finish(&id);
    json_decref(values);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_staff_goal_edit(pv_req *r, json_t **vm)
{
    json_t *goal;
    int rc = store_goal_record(r->w->db, r->params[0], &goal);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = goal_values(goal), *errors = json_array();
    int status = goal_reply(r, goal, values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    json_decref(goal);
    return status;
}

/* Applies changes to the goal of the address; shows the form again on refused input. */
static int goal_change(pv_req *r, json_t *changes, json_t *values, json_t **vm)
{
    json_t *goal;
    int rc = store_goal_record(r->w->db, r->params[0], &goal);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *errors = json_array();
    actor who = portfolio_actor(r);
    rc = store_goal_update(r->w->db, &who, session_now(), r->params[0], changes, errors);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/mal/%s?lagret=1", r->params[0]);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        json_t *shown = values ? json_incref(values) : goal_values(goal);
        status = goal_reply(r, goal, shown, errors, 422, vm);
        json_decref(shown);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(errors);
    json_decref(goal);
    return status;
}

int page_staff_goal_save(pv_req *r, json_t **vm)
{
    json_t *values = portfolio_form_values(r, goal_edit_fields);
    json_t *input = portfolio_form_input(r, goal_edit_fields);
    json_object_set_new(values, "id", json_string(r->params[0]));
    int status = goal_change(r, input, values, vm);
    json_decref(values);
    json_decref(input);
    return status;
}

static int set_retired(pv_req *r, bool retired, json_t **vm)
{
    json_t *changes = json_pack("{s:b}", "retired", retired);
    int status = goal_change(r, changes, NULL, vm);
    json_decref(changes);
    return status;
}

int page_staff_goal_retire(pv_req *r, json_t **vm)
{
    return set_retired(r, true, vm);
}

int page_staff_goal_unretire(pv_req *r, json_t **vm)
{
    return set_retired(r, false, vm);
}

/* ---------------------------------------------------------------- the indicator form */

static json_t *indicator_values(pv_req *r, json_t *rec)
{
    json_t *values = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v) {
        if (json_is_array(v))
            json_object_set_new(values, key, json_incref(v));
        else if (strcmp(key, "baseline_value") == 0 || strcmp(key, "target_value") == 0)
            json_object_set_new(values, key, portfolio_number_text(r, v));
        else
            json_object_set_new(values, key, portfolio_value_text(v));
    }
    return values;
}

static json_t *comparator_options(pv_req *r, const char *selected)
{
    static const struct {
        const char *value, *msgid;
    } cmp[] = {{"", N_("Ingen")}, {">", "over"}, {">=", "minst"}, {"<", "under"}, {"<=", "høyst"}};
    json_t *out = json_array();
    for (size_t i = 0; i < PV_ARRAY_LEN(cmp); i++) {
        char label[160];
        if (cmp[i].value[0])
            snprintf(label, sizeof label, "%s (%s)", T(r, cmp[i].msgid), cmp[i].value);
        else
            snprintf(label, sizeof label, "%s", T(r, cmp[i].msgid));
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", cmp[i].value, "label",
                                             label, "selected",
                                             strcmp(selected ? selected : "", cmp[i].value) == 0));
    }
    return out;
}

static json_t *goal_checks(pv_req *r, json_t *goals, json_t *checked)
{
    json_t *out = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(goals, i, g) {
        bool on = json_list_has(checked, str(g, "id"));
        if (json_is_true(json_object_get(g, "retired")) && !on)
            continue;
        json_array_append_new(out, json_pack("{s:O, s:o, s:b}", "id", json_object_get(g, "id"),
                                             "label", goal_line(r, g), "checked", on));
    }
    return out;
}

/* The view-model of the indicator form. ind: the stored record (NULL: new, from goal). */
static int indicator_form(pv_req *r, json_t *ind, const char *goal, json_t *values,
                          json_t *errors, json_t **vm_out)
{
    json_t *goals, *plans;
    if (store_goals_staff(r->w->db, &goals) != 0)
        return 500;
    if (plan_options(r, str(values, "plan_id"), &plans) != 0) {
        json_decref(goals);
        return 500;
    }
    json_t *options = json_pack("{s:o, s:o, s:o}", "comparators",
                                comparator_options(r, str(values, "comparator")), "plans", plans,
                                "goals", goal_checks(r, goals, json_object_get(values, "goal_ids")));
    json_t *vm = json_pack("{s:b, s:O, s:o}", "is_new", ind == NULL, "values", values,
                           "options", options);
    char url[200];
    if (ind) {
        snprintf(url, sizeof url, "/arbeid/indikatorer/%s", str(ind, "id"));
        json_object_set_new(vm, "indicator",
                            json_pack("{s:O, s:O}", "id", json_object_get(ind, "id"), "text",
                                      json_object_get(ind, "text")));
    } else {
        snprintf(url, sizeof url, "/arbeid/mal/%s/indikatorer/ny", goal);
    }
    json_object_set_new(vm, "action", json_string(url));
    /* links back to the goals the indicator measures */
    json_t *back = json_array();
    size_t i, j;
    json_t *g, *row;
    json_array_foreach(ind ? json_object_get(ind, "goal_ids") : json_object_get(values, "goal_ids"), i, g) {
        json_array_foreach(goals, j, row) {
            if (strcmp(str(row, "id"), json_string_value(g)) != 0)
                continue;
            snprintf(url, sizeof url, "/arbeid/mal/%s", json_string_value(g));
            json_array_append_new(back, json_pack("{s:O, s:o, s:s}", "id", g, "label",
                                                  goal_line(r, row), "url", url));
        }
    }
    json_decref(goals);
    json_object_set_new(vm, "goal_links", back);
    json_object_set_new(vm, "has_goal_links", json_boolean(json_array_size(back) > 0));
    portfolio_form_errors(r, vm, errors, "indicator", "f-");
    json_object_set_new(vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    json_object_set_new(vm, "created", json_boolean(portfolio_flag(r, "opprettet")));
    *vm_out = vm;
    return 0;
}

static int indicator_reply(pv_req *r, json_t *ind, const char *goal, json_t *values,
                           json_t *errors, int status, json_t **vm)
{
    int rc = indicator_form(r, ind, goal, values, errors, vm);
    return rc ? rc : status;
}

int page_staff_indicator_new(pv_req *r, json_t **vm)
{
    json_t *goal;
    int rc = store_goal_record(r->w->db, r->params[0], &goal);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:[s]}", "id", "", "text", "", "unit",
        "", "comparator", "", "baseline_value", "", "baseline_year", "", "baseline_text", "",
        "target_value", "", "target_year", "", "plan_id",
        portfolio_value_text(json_object_get(goal, "plan_id")), "goal_ids", r->params[0]);
    json_t *errors = json_array();
    int status = indicator_reply(r, NULL, r->params[0], values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    json_decref(goal);
    return status;
}

int page_staff_indicator_create(pv_req *r, json_t **vm)
{
    json_t *goal;
    int rc = store_goal_record(r->w->db, r->params[0], &goal);
    if (rc != 0)
        return portfolio_status(rc);
    json_decref(goal);
    json_t *values = portfolio_form_values(r, indicator_new_fields);
    json_t *input = portfolio_form_input(r, indicator_new_fields), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    rc = store_indicator_create(r->w->db, &who, session_now(), input, errors, &id);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/indikatorer/%s?opprettet=1", buf_cstr(&id));
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = indicator_reply(r, NULL, r->params[0], values, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    buf_finish(&id);
    json_decref(values);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_staff_indicator_edit(pv_req *r, json_t **vm)
{
    json_t *ind;
    int rc = store_indicator_record(r->w->db, r->params[0], &ind);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = indicator_values(r, ind), *errors = json_array();
    int status = indicator_reply(r, ind, NULL, values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    json_decref(ind);
    return status;
}

int page_staff_indicator_save(pv_req *r, json_t **vm)
{
    json_t *ind;
    int rc = store_indicator_record(r->w->db, r->params[0], &ind);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = portfolio_form_values(r, indicator_edit_fields);
    json_t *input = portfolio_form_input(r, indicator_edit_fields), *errors = json_array();
    json_object_set_new(values, "id", json_string(r->params[0]));
    actor who = portfolio_actor(r);
    rc = store_indicator_update(r->w->db, &who, session_now(), r->params[0], input, errors);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/indikatorer/%s?lagret=1", r->params[0]);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = indicator_reply(r, ind, NULL, values, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(values);
    json_decref(input);
    json_decref(errors);
    json_decref(ind);
    return status;
}

/* ---------------------------------------------------------------- the API */

/* {goal: record with level_label, indicators: [records]} */
static int goal_detail(pv_req *r, const char *id, json_t **vm)
{
    json_t *goal, *inds;
    if (!plan_id_valid(id))
        return 404;
    int rc = store_goal_record(r->w->db, id, &goal);
    if (rc != 0)
        return portfolio_status(rc);
    if (store_goal_indicators(r->w->db, id, &inds) != 0) {
        json_decref(goal);
        return 500;
    }
    json_object_set_new(goal, "level_label", json_string(page_level_label(r, str(goal, "level"))));
    *vm = json_pack("{s:o, s:o}", "goal", goal, "indicators", inds);
    return 200;
}

static int indicator_detail(pv_req *r, const char *id, json_t **vm)
{
    json_t *ind;
    if (!plan_id_valid(id))
        return 404;
    int rc = store_indicator_record(r->w->db, id, &ind);
    if (rc != 0)
        return portfolio_status(rc);
    *vm = json_pack("{s:o}", "indicator", ind);
    return 200;
}

int page_api_goal(pv_req *r, json_t **vm)
{
    return goal_detail(r, r->params[0], vm);
}

int page_api_indicator(pv_req *r, json_t **vm)
{
    return indicator_detail(r, r->params[0], vm);
}

int page_api_goal_create(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    int rc = store_goal_create(r->w->db, &who, session_now(), input, errors, &id);
    status = portfolio_api_created(r, rc, errors, "/api/v1/goals/", buf_cstr(&id), goal_detail, vm);
    buf_finish(&id);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_api_goal_update(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    int rc = store_goal_update(r->w->db, &who, session_now(), r->params[0], input, errors);
    status = portfolio_api_changed(r, rc, errors, goal_detail, vm);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_api_indicator_create(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *goal;
    int rc = plan_id_valid(r->params[0]) ? store_goal_record(r->w->db, r->params[0], &goal)
                                         : PV_ENOTFOUND;
    if (rc != 0)
        return portfolio_status(rc);
    json_decref(goal);
    json_t *input = portfolio_json_input(r), *errors = json_array();
    /* the goal of the address is one of the goals the indicator measures */
    json_t *goals = json_object_get(input, "goal_ids");
    if (!goals)
        json_object_set_new(input, "goal_ids", json_pack("[s]", r->params[0]));
    else if (json_is_array(goals) && !json_list_has(goals, r->params[0]))
        json_array_append_new(goals, json_string(r->params[0]));
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    rc = store_indicator_create(r->w->db, &who, session_now(), input, errors, &id);
    status = portfolio_api_created(r, rc, errors, "/api/v1/indicators/", buf_cstr(&id), indicator_detail, vm);
    buf_finish(&id);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_api_indicator_update(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    int rc = store_indicator_update(r->w->db, &who, session_now(), r->params[0], input, errors);
    status = portfolio_api_changed(r, rc, errors, indicator_detail, vm);
    json_decref(input);
    json_decref(errors);
    return status;
}
