/* The municipality's shared participation settings: /arbeid/medvirkningstrapp (the local
 * ladder: each step's name, plain-language explanation and methods; adding a step; order)
 * and /arbeid/lokaler (the venues of the whole municipality).
 * Layer: pages. */
#include <stdio.h>
#include <string.h>

#include "pages/pages.h"
#include "pages/portfolio.h"
#include "pages/processes.h"
#include "store/processes.h"
#include "store/processes_edit.h"
#include "web/session.h"

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_t *text_of(json_t *v)
{
    if (json_is_string(v))
        return json_incref(v);
    if (json_is_integer(v)) {
        char text[32];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        return json_string(text);
    }
    return json_string("");
}

/* ---------------------------------------------------------------- the ladder */

/* The ladder page. failed: the id of the step whose save was refused ("" for the new-step
 * form, NULL: none), with sent (its submitted values) and errors. */
static int ladder_page(pv_req *r, const char *failed, json_t *sent, json_t *errors,
                       json_t **vm_out)
{
    json_t *ladder;
    if (store_ladder(r->w->db, &ladder) != 0)
        return 500;
    json_t *none = json_array();
    size_t i, n = json_array_size(ladder);
    json_t *s;
    json_array_foreach(ladder, i, s) {
        bool this = failed && strcmp(failed, str(s, "id")) == 0;
        char prefix[PLAN_ID_MAX + 16];
        snprintf(prefix, sizeof prefix, "trinn-%s-", str(s, "id"));
        json_t *values = this ? json_incref(sent)
                              : json_pack("{s:O, s:O, s:o}", "name", json_object_get(s, "name"),
                                          "explanation", json_object_get(s, "explanation"),
                                          "methods", process_lines_text(json_object_get(s, "methods")));
        json_object_set_new(s, "values", values);
        json_object_set_new(s, "prefix", json_string(prefix));
        json_object_set_new(s, "first", json_boolean(i == 0));
        json_object_set_new(s, "last", json_boolean(i + 1 == n));
        process_form_errors(r, s, this ? errors : none, prefix);
    }
    json_t *vm = json_pack("{s:o, s:s, s:b}", "steps", ladder, "action",
                           "/arbeid/medvirkningstrapp", "saved", portfolio_flag(r, "lagret"));
    bool fresh_failed = failed && !*failed;
    json_t *fresh = json_pack("{s:o}", "values",
                              fresh_failed ? json_incref(sent)
                                           : json_pack("{s:s, s:s, s:s}", "name", "",
                                                       "explanation", "", "methods", ""));
    process_form_errors(r, fresh, fresh_failed ? errors : none, "nytt-trinn-");
    json_object_set_new(vm, "new_step", fresh);
    char prefix[PLAN_ID_MAX + 16] = "nytt-trinn-";
    if (failed && *failed)
        snprintf(prefix, sizeof prefix, "trinn-%s-", failed);
    process_form_errors(r, vm, failed ? errors : none, prefix);
    json_decref(none);
    *vm_out = vm;
    return 200;
}

int page_staff_ladder(pv_req *r, json_t **vm)
{
    return ladder_page(r, NULL, NULL, NULL, vm);
}

int page_staff_ladder_save(pv_req *r, json_t **vm)
{
    const char *action = process_form_action(r);
    const char *step = url_query_get(&r->form, "step");
    actor who = portfolio_actor(r);
    int64_t now = session_now();
    bool valid_step = step && plan_id_valid(step);
    if ((strcmp(action, "up") == 0 || strcmp(action, "down") == 0) && valid_step) {
        int rc = store_ladder_step_move(r->w->db, &who, now, step,
                                        strcmp(action, "up") == 0 ? 1 : -1);
        char url[PLAN_ID_MAX + 60];
        snprintf(url, sizeof url, "/arbeid/medvirkningstrapp#trinn-%s", step);
        return rc ? portfolio_status(rc) : portfolio_redirect(r, vm, url);
    }
    bool adding = strcmp(action, "add") == 0;
    if (!adding && !(strcmp(action, "save") == 0 && valid_step)) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    const char *name = url_query_get(&r->form, "name");
    const char *explanation = url_query_get(&r->form, "explanation");
    const char *methods = url_query_get(&r->form, "methods");
    json_t *in = json_pack("{s:s, s:s, s:o}", "name", name ? name : "", "explanation",
                           explanation ? explanation : "", "methods", process_lines(methods));
    json_t *sent = json_pack("{s:s, s:s, s:s}", "name", name ? name : "", "explanation",
                             explanation ? explanation : "", "methods", methods ? methods : "");
    json_t *errors = json_array();
    buf id = BUF_INIT;
    int rc = store_ladder_step_save(r->w->db, &who, now, adding ? NULL : step, in, errors, &id);
    int status;
    if (rc == 0) {
        char url[PLAN_ID_MAX + 60];
        snprintf(url, sizeof url, "/arbeid/medvirkningstrapp?lagret=1#trinn-%s", buf_cstr(&id));
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = ladder_page(r, adding ? "" : step, sent, errors, vm);
        if (status == 200)
            status = 422;
    } else {
        status = portfolio_status(rc);
    }
    buf_finish(&id);
    json_decref(sent);
    json_decref(in);
    json_decref(errors);
    return status;
}

/* ---------------------------------------------------------------- venues */

static const char *const venue_fields[] = {"name", "address", "area", "capacity",
                                           "universal_design", "equipment"};

static int venues_page(pv_req *r, json_t *values, int64_t editing, json_t *errors,
                       json_t **vm_out)
{
    json_t *venues;
    if (store_venues(r->w->db, &venues) != 0)
        return 500;
    json_t *row = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(venues, i, v) {
        int64_t id = json_integer_value(json_object_get(v, "id"));
        char url[80];
        snprintf(url, sizeof url, "/arbeid/lokaler?rediger=%lld#skjema", (long long)id);
        json_object_set_new(v, "edit_url", json_string(url));
        if (id == editing)
            row = v;
    }
    if (editing && !row) {
        json_decref(venues);
        return 404;
    }
    if (values) {
        json_incref(values);
    } else {
        values = json_object();
        for (size_t k = 0; k < PV_ARRAY_LEN(venue_fields); k++)
            json_object_set_new(values, venue_fields[k],
                                text_of(row ? json_object_get(row, venue_fields[k]) : NULL));
    }
    json_t *vm = json_pack("{s:o, s:b, s:s, s:b, s:{s:o, s:I, s:b}}", "venues", venues,
                           "has_venues", json_array_size(venues) > 0, "action", "/arbeid/lokaler",
                           "saved", portfolio_flag(r, "lagret"), "form", "values", values, "id",
                           (json_int_t)editing, "editing", editing != 0);
    json_t *none = json_array();
    process_form_errors(r, vm, errors ? errors : none, "f-");
    json_decref(none);
    *vm_out = vm;
    return 200;
}

int page_staff_venues(pv_req *r, json_t **vm)
{
    long id = 0;
    const char *v = url_query_get(&r->query, "rediger");
    if (v && pv_parse_long(v, 1, 2000000000L, &id) != 0)
        return 404;
    return venues_page(r, NULL, id, NULL, vm);
}

int page_staff_venues_save(pv_req *r, json_t **vm)
{
    if (strcmp(process_form_action(r), "save") != 0) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    int64_t id = process_form_id(r, "id");
    json_t *in = json_object(), *values = json_object();
    for (size_t k = 0; k < PV_ARRAY_LEN(venue_fields); k++) {
        const char *f = venue_fields[k];
        const char *v = url_query_get(&r->form, f);
        json_object_set_new(values, f, json_string(v ? v : ""));
        json_object_set_new(in, f, strcmp(f, "capacity") == 0 ? process_form_integer(r, f)
                                                              : process_form_text(r, f));
    }
    if (json_is_null(json_object_get(in, "name")))
        json_object_set_new(in, "name", json_string(""));
    json_t *errors = json_array();
    actor who = portfolio_actor(r);
    int64_t saved = 0;
    int rc = store_venue_save(r->w->db, &who, session_now(), id, in, errors, &saved);
    int status;
    if (rc == 0) {
        char url[80];
        snprintf(url, sizeof url, "/arbeid/lokaler?lagret=1#lokale-%lld", (long long)saved);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = venues_page(r, values, id, errors, vm);
        if (status == 200)
            status = 422;
    } else {
        status = portfolio_status(rc);
    }
    json_decref(values);
    json_decref(in);
    json_decref(errors);
    return status;
}
