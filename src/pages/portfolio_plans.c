/* The staff's plan pages: /arbeid/planer (the list), /arbeid/planer/ny and
 * /arbeid/planer/{slug} (the plan form, with a Markdown preview that needs no JavaScript),
 * /arbeid/planer/{slug}/satsingsomrader (focus areas), and the API writes of plans.
 * Layer: pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/plans_edit.h"
#include "store/users.h"
#include "web/markdown.h"
#include "web/session.h"

static const form_field plan_new_fields[] = {
    {"id", IN_ID},
    {"name", IN_TEXT},
    {"type", IN_TEXT},
    {"status", IN_CHOICE},
    {"adopted_year", IN_YEAR},
    {"next_revision", IN_YEAR},
    {"theme_id", IN_CHOICE},
    {"owner_unit", IN_TEXT},
    {"owner_user_id", IN_USER},
    {"parent_ids", IN_LIST},
    {"goal_ids", IN_LIST},
    {"purpose", IN_TEXT},
    {NULL, 0},
};
/* The same without the id, which never changes. */
static const form_field *const plan_edit_fields = plan_new_fields + 1;

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* ---------------------------------------------------------------- /arbeid/planer */

int page_staff_plans(pv_req *r, json_t **vm)
{
    json_t *rows;
    if (store_plans_staff_list(r->w->db, &rows) != 0)
        return 500;
    json_t *plans = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *p = page_plan_summary(r, row);
        char url[200];
        snprintf(url, sizeof url, "/arbeid/planer/%s", str(row, "id"));
        json_object_set_new(p, "edit_url", json_string(url));
        snprintf(url, sizeof url, "/arbeid/planer/%s/satsingsomrader", str(row, "id"));
        json_object_set_new(p, "areas_url", json_string(url));
        json_array_append_new(plans, p);
    }
    json_decref(rows);
    *vm = json_pack("{s:o, s:I}", "plans", plans, "count", (json_int_t)json_array_size(plans));
    return 200;
}

/* ---------------------------------------------------------------- the plan form */

/* A plan record as the text of its form fields. */
static json_t *record_values(json_t *rec)
{
    json_t *values = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v)
        json_object_set_new(values, key, json_is_array(v) ? json_incref(v) : portfolio_value_text(v));
    return values;
}


static json_t *status_options(pv_req *r, json_t *in_use, const char *selected)
{
    json_t *values = json_array();
    for (size_t i = 0; plan_base_statuses[i]; i++)
        json_array_append_new(values, json_string(plan_base_statuses[i]));
    size_t i;
    json_t *v;
    json_array_foreach(in_use, i, v)
        if (!json_list_has(values, json_string_value(v)))
            json_array_append(values, v);
    if (selected && *selected && !json_list_has(values, selected))
        json_array_append_new(values, json_string(selected));
    json_t *out = json_array();
    json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                         page_not_given(r), "selected", !selected || !*selected));
    json_array_foreach(values, i, v) {
        const char *s = json_string_value(v);
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", s, "label",
                                             i18n_pget(r->app->i18n, r->lang, "planstatus", s),
                                             "selected", selected && strcmp(selected, s) == 0));
    }
    json_decref(values);
    return out;
}

/* Staff members who may own a plan, and whoever owns it now. */
static int owner_options(pv_req *r, const char *selected, json_t **out)
{
    json_t *users;
    if (store_users_list(r->w->db, &users) != 0)
        return 500;
    json_t *opts = json_array();
    json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                          T(r, "Ingen eier"), "selected", !selected || !*selected));
    size_t i, j;
    json_t *u, *role;
    json_array_foreach(users, i, u) {
        unsigned roles = 0;
        json_array_foreach(json_object_get(u, "roles"), j, role)
            roles |= auth_role_parse(json_string_value(role));
        char id[32], label[600];
        snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(u, "id")));
        bool chosen = selected && strcmp(selected, id) == 0;
        bool may_own = (roles & (PLAN_EDIT_ROLES | PLAN_OWNER_ROLES)) &&
                       !json_is_true(json_object_get(u, "disabled"));
        if (!may_own && !chosen)
            continue;
        snprintf(label, sizeof label, "%s (%s)", str(u, "name"), str(u, "email"));
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", id, "label", label,
                                              "selected", chosen));
    }
    json_decref(users);
    *out = opts;
    return 0;
}

static const char *basis_note(pv_req *r, const char *basis)
{
    if (strcmp(basis, "eier") == 0)
        return T(r, "planens eget mål");
    if (strcmp(basis, "strategi") == 0)
        return T(r, "gjennom planens strategier");
    if (strcmp(basis, "satsingsområde") == 0)
        return T(r, "gjennom planens satsingsområder");
    if (strcmp(basis, "tema") == 0)
        return T(r, "samme tema i planoversikten");
    return NULL;
}

/* The goals to tick: every active goal, and retired ones that are ticked. A goal linked on
 * another basis says so. */
static json_t *goal_choices(pv_req *r, json_t *goals, json_t *links, json_t *checked)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *g, *link;
    json_array_foreach(goals, i, g) {
        const char *id = str(g, "id");
        bool on = json_list_has(checked, id);
        bool retired = json_is_true(json_object_get(g, "retired"));
        if (retired && !on)
            continue;
        const char *note = NULL;
        json_array_foreach(links, j, link)
            if (strcmp(str(link, "goal_id"), id) == 0)
                note = basis_note(r, str(link, "basis"));
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s?, s:s, s:s?, s:b, s:b}", "id", id, "text",
                           str(g, "text"), "lead_in", str(g, "lead_in"), "level_label",
                           page_level_label(r, str(g, "level")), "note", note, "checked", on,
                           "retired", retired));
    }
    return out;
}

static json_t *parent_choices(json_t *plans, const char *self, json_t *checked)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(plans, i, p) {
        if (self && strcmp(str(p, "id"), self) == 0)
            continue;
        json_array_append_new(out, json_pack("{s:O, s:O, s:b}", "id", json_object_get(p, "id"),
                                             "name", json_object_get(p, "name"), "checked",
                                             json_list_has(checked, str(p, "id"))));
    }
    return out;
}

/* The choices of the form for values (field texts). */
static int plan_options(pv_req *r, const char *plan_id, json_t *values, json_t **out)
{
    json_t *c, *owners;
    if (store_plan_choices(r->w->db, plan_id, &c) != 0)
        return 500;
    if (owner_options(r, str(values, "owner_user_id"), &owners) != 0) {
        json_decref(c);
        return 500;
    }
    json_t *themes = portfolio_options(json_object_get(c, "themes"), "id", "name",
                                       str(values, "theme_id"));
    json_array_insert_new(themes, 0,
                          json_pack("{s:s, s:s, s:b}", "value", "", "label", page_no_theme(r),
                                    "selected", !str(values, "theme_id") || !*str(values, "theme_id")));
    *out = json_pack(
        "{s:O, s:o, s:o, s:o, s:o, s:o}", "types", json_object_get(c, "types"), "statuses",
        status_options(r, json_object_get(c, "statuses"), str(values, "status")), "themes",
        themes, "owners", owners, "parents",
        parent_choices(json_object_get(c, "plans"), plan_id, json_object_get(values, "parent_ids")),
        "goals",
        goal_choices(r, json_object_get(c, "goals"), json_object_get(c, "links"),
                     json_object_get(values, "goal_ids")));
    json_decref(c);
    return 0;
}

/* The view-model of the plan form: values (texts of the fields), options, errors, the
 * preview of the purpose. plan is the stored record (NULL for a new plan). */
static int plan_form(pv_req *r, json_t *plan, json_t *values, json_t *errors, bool preview,
                     json_t **vm_out)
{
    const char *id = plan ? str(plan, "id") : NULL;
    json_t *options;
    int status = plan_options(r, id, values, &options);
    if (status != 0)
        return status;
    json_t *vm = json_pack("{s:b, s:O, s:o}", "is_new", plan == NULL, "values", values,
                           "options", options);
    char url[200];
    if (plan) {
        snprintf(url, sizeof url, "/arbeid/planer/%s", id);
        json_object_set_new(vm, "action", json_string(url));
        json_t *p = json_pack("{s:s, s:O}", "id", id, "name", json_object_get(plan, "name"));
        snprintf(url, sizeof url, "/planer/%s", id);
        json_object_set_new(p, "url", json_string(url));
        snprintf(url, sizeof url, "/arbeid/planer/%s/satsingsomrader", id);
        json_object_set_new(p, "areas_url", json_string(url));
        json_object_set_new(vm, "plan", p);
    } else {
        json_object_set_new(vm, "action", json_string("/arbeid/planer/ny"));
    }
    if (preview) {
        const char *md = str(values, "purpose");
        char *html = md && *md ? markdown_to_html(md, strlen(md)) : NULL;
        json_object_set_new(vm, "preview", json_pack("{s:s?}", "purpose_html", html));
        free(html);
    }
    portfolio_form_errors(r, vm, errors, "plan", "f-");
    json_object_set_new(vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    json_object_set_new(vm, "created", json_boolean(portfolio_flag(r, "opprettet")));
    *vm_out = vm;
    return 0;
}

static int form_reply(pv_req *r, json_t *plan, json_t *values, json_t *errors, bool preview,
                      int status, json_t **vm)
{
    int rc = plan_form(r, plan, values, errors, preview, vm);
    return rc ? rc : status;
}

int page_staff_plan_new(pv_req *r, json_t **vm)
{
    json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:s}",
                               "id", "", "name", "", "type", "", "status", "under arbeid",
                               "adopted_year", "", "next_revision", "", "theme_id", "",
                               "owner_unit", "", "owner_user_id", "", "parent_ids", "goal_ids",
                               "purpose", "");
    json_t *errors = json_array();
    int status = form_reply(r, NULL, values, errors, false, 200, vm);
    json_decref(values);
    json_decref(errors);
    return status;
}

static bool previewing(pv_req *r)
{
    const char *action = url_query_get(&r->form, "action");
    return action && strcmp(action, "preview") == 0;
}

int page_staff_plan_create(pv_req *r, json_t **vm)
{
    json_t *values = portfolio_form_values(r, plan_new_fields);
    json_t *errors = json_array();
    int status;
    if (previewing(r)) {
        status = form_reply(r, NULL, values, errors, true, 200, vm);
    } else {
        json_t *input = portfolio_form_input(r, plan_new_fields);
        actor who = portfolio_actor(r);
        buf id = BUF_INIT;
        int rc = store_plan_create(r->w->db, &who, session_now(), input, errors, &id);
        json_decref(input);
        if (rc == 0) {
            char url[200];
            snprintf(url, sizeof url, "/arbeid/planer/%s?opprettet=1", buf_cstr(&id));
            status = portfolio_redirect(r, vm, url);
        } else if (rc == PV_EINVAL) {
            status = form_reply(r, NULL, values, errors, false, 422, vm);
        } else {
            status = portfolio_status(rc);
        }
        buf_finish(&id);
    }
    json_decref(values);
    json_decref(errors);
    return status;
}

int page_staff_plan_edit(pv_req *r, json_t **vm)
{
    json_t *plan;
    int rc = store_plan_record(r->w->db, r->params[0], &plan);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = record_values(plan), *errors = json_array();
    int status = form_reply(r, plan, values, errors, false, 200, vm);
    json_decref(values);
    json_decref(errors);
    json_decref(plan);
    return status;
}

int page_staff_plan_save(pv_req *r, json_t **vm)
{
    json_t *plan;
    int rc = store_plan_record(r->w->db, r->params[0], &plan);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = portfolio_form_values(r, plan_edit_fields);
    json_object_set_new(values, "id", json_string(r->params[0]));
    json_t *errors = json_array();
    int status;
    if (previewing(r)) {
        status = form_reply(r, plan, values, errors, true, 200, vm);
    } else {
        json_t *input = portfolio_form_input(r, plan_edit_fields);
        actor who = portfolio_actor(r);
        rc = store_plan_update(r->w->db, &who, session_now(), r->params[0], input, errors);
        json_decref(input);
        if (rc == 0) {
            char url[200];
            snprintf(url, sizeof url, "/arbeid/planer/%s?lagret=1", r->params[0]);
            status = portfolio_redirect(r, vm, url);
        } else if (rc == PV_EINVAL) {
            status = form_reply(r, plan, values, errors, false, 422, vm);
        } else {
            status = portfolio_status(rc);
        }
    }
    json_decref(values);
    json_decref(errors);
    json_decref(plan);
    return status;
}

/* ---------------------------------------------------------------- focus areas */

static const form_field area_fields[] = {
    {"name", IN_TEXT},
    {"her_er_vi", IN_TEXT},
    {"slik_vil_vi_ha_det", IN_TEXT},
    {"slik_kommer_vi_dit", IN_TEXT},
    {"slik_gjor_vi_det", IN_TEXT},
    {NULL, 0},
};

/* One area for its form: the stored values, or the submitted ones when it is the area whose
 * save was refused (with its errors). */
static json_t *area_view(pv_req *r, json_t *area, size_t i, size_t n, json_t *sent,
                         json_t *errors)
{
    json_t *v = json_object();
    json_int_t id = json_integer_value(json_object_get(area, "id"));
    json_t *values = sent ? json_incref(sent) : record_values(area);
    char prefix[48];
    snprintf(prefix, sizeof prefix, "omrade-%lld-", (long long)id);
    json_object_set_new(v, "id", json_integer(id));
    json_object_set(v, "name", json_object_get(area, "name"));
    json_object_set_new(v, "values", values);
    json_object_set_new(v, "prefix", json_string(prefix));
    json_object_set_new(v, "position", json_integer((json_int_t)i + 1));
    json_object_set_new(v, "first", json_boolean(i == 0));
    json_object_set_new(v, "last", json_boolean(i + 1 == n));
    json_t *none = json_array();
    portfolio_form_errors(r, v, sent ? errors : none, "focus_area", prefix);
    json_decref(none);
    return v;
}

/* The focus area page. failed_area: the area whose save was refused (0: none; -1: the new
 * area form), with sent (its submitted values) and errors. */
static int areas_page(pv_req *r, int64_t failed_area, json_t *sent, json_t *errors,
                      json_t **vm_out)
{
    const char *plan_id = r->params[0];
    json_t *plan, *areas;
    int rc = store_plan_record(r->w->db, plan_id, &plan);
    if (rc != 0)
        return portfolio_status(rc);
    if (store_focus_areas(r->w->db, plan_id, &areas) != 0) {
        json_decref(plan);
        return 500;
    }
    json_t *list = json_array();
    size_t i, n = json_array_size(areas);
    json_t *a;
    json_array_foreach(areas, i, a) {
        bool failed = json_integer_value(json_object_get(a, "id")) == failed_area;
        json_array_append_new(list, area_view(r, a, i, n, failed ? sent : NULL, errors));
    }
    char url[200];
    json_t *vm = json_pack("{s:{s:s, s:O}, s:o, s:b}", "plan", "id", plan_id, "name",
                           json_object_get(plan, "name"), "areas", list, "has_areas", n > 0);
    json_t *p = json_object_get(vm, "plan");
    snprintf(url, sizeof url, "/planer/%s", plan_id);
    json_object_set_new(p, "url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/planer/%s", plan_id);
    json_object_set_new(p, "edit_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/planer/%s/satsingsomrader", plan_id);
    json_object_set_new(vm, "action", json_string(url));
    json_t *fresh = json_object();
    json_object_set_new(fresh, "values", failed_area == -1 ? json_incref(sent)
                                                            : json_pack("{s:s}", "name", ""));
    json_t *none = json_array();
    portfolio_form_errors(r, fresh, failed_area == -1 ? errors : none, "focus_area", "nytt-omrade-");
    json_object_set_new(vm, "new_area", fresh);
    /* the summary at the top: the errors of whichever form failed */
    json_t *summary = json_object();
    const char *prefix = "nytt-omrade-";
    char area_prefix[48];
    if (failed_area > 0) {
        snprintf(area_prefix, sizeof area_prefix, "omrade-%lld-", (long long)failed_area);
        prefix = area_prefix;
    }
    portfolio_form_errors(r, summary, failed_area ? errors : none, "focus_area", prefix);
    json_object_update(vm, summary);
    json_decref(summary);
    json_decref(none);
    json_object_set_new(vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    json_decref(areas);
    json_decref(plan);
    *vm_out = vm;
    return 200;
}

int page_staff_focus_areas(pv_req *r, json_t **vm)
{
    return areas_page(r, 0, NULL, NULL, vm);
}

/* The area named by the form's "area" field, or 0. */
static int64_t form_area(pv_req *r)
{
    long id = 0;
    const char *v = url_query_get(&r->form, "area");
    if (!v || pv_parse_long(v, 1, 2000000000L, &id) != 0)
        return 0;
    return id;
}

static int area_redirect(pv_req *r, json_t **vm, int64_t area_id, bool saved)
{
    char url[260];
    snprintf(url, sizeof url, "/arbeid/planer/%s/satsingsomrader%s#omrade-%lld", r->params[0],
             saved ? "?lagret=1" : "", (long long)area_id);
    return portfolio_redirect(r, vm, url);
}

int page_staff_focus_areas_save(pv_req *r, json_t **vm)
{
    const char *action = url_query_get(&r->form, "action");
    const char *plan_id = r->params[0];
    int64_t area = form_area(r);
    actor who = portfolio_actor(r);
    int64_t now = session_now();
    if (!action) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    if ((strcmp(action, "up") == 0 || strcmp(action, "down") == 0) && area) {
        int rc = store_focus_area_move(r->w->db, &who, now, plan_id, area,
                                       strcmp(action, "up") == 0 ? -1 : 1);
        return rc == 0 ? area_redirect(r, vm, area, false) : portfolio_status(rc);
    }
    bool adding = strcmp(action, "add") == 0;
    if (!adding && !(strcmp(action, "save") == 0 && area)) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    json_t *errors = json_array();
    json_t *input = portfolio_form_input(r, area_fields);
    json_t *sent = portfolio_form_values(r, area_fields);
    int64_t id = area;
    int rc = adding ? store_focus_area_create(r->w->db, &who, now, plan_id, input, errors, &id)
                    : store_focus_area_update(r->w->db, &who, now, plan_id, area, input, errors);
    int status;
    if (rc == 0) {
        status = area_redirect(r, vm, id, true);
    } else if (rc == PV_EINVAL) {
        status = areas_page(r, adding ? -1 : area, sent, errors, vm);
        if (status == 200)
            status = 422;
    } else {
        status = portfolio_status(rc);
    }
    json_decref(sent);
    json_decref(input);
    json_decref(errors);
    return status;
}

/* ---------------------------------------------------------------- the API */

/* The plan's public view-model (as GET /api/v1/plans/{slug}) for the plan just written. */
static int plan_detail(pv_req *r, const char *id, json_t **vm)
{
    if (r->n_params == 0) {
        r->params[0] = pv_strdup(id);
        r->n_params = 1;
    }
    return page_plan(r, vm);
}

int page_api_plan_create(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    int rc = store_plan_create(r->w->db, &who, session_now(), input, errors, &id);
    status = portfolio_api_created(r, rc, errors, "/api/v1/plans/", buf_cstr(&id), plan_detail, vm);
    buf_finish(&id);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_api_plan_update(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    int rc = store_plan_update(r->w->db, &who, session_now(), r->params[0], input, errors);
    status = portfolio_api_changed(r, rc, errors, plan_detail, vm);
    json_decref(input);
    json_decref(errors);
    return status;
}
