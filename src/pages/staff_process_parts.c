/* The parts of one process that the staff keep on pages of their own:
 * /arbeid/prosesser/{slug}/interessenter (the interessentanalyse as a table and as a 2×2 grid
 * of interest × influence), /arbeid/prosesser/{slug}/arrangementer (events at venues) and
 * /arbeid/prosesser/{slug}/medlemmer (staff added to the process).
 * Layer: pages. Each page has one form to add or edit a row (?rediger=id picks the row) and a
 * delete button per row; a POST names its action (save, delete) and the row (id). */
#include <stdio.h>
#include <string.h>

#include "domain/auth.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "pages/processes.h"
#include "store/processes.h"
#include "store/processes_edit.h"
#include "store/users.h"
#include "web/session.h"

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* The row named by ?rediger=id, or 0. */
static int64_t editing_id(pv_req *r)
{
    long id = 0;
    const char *v = url_query_get(&r->query, "rediger");
    if (!v || pv_parse_long(v, 1, 2000000000L, &id) != 0)
        return 0;
    return id;
}

/* The row in rows whose id is id, or NULL. */
static json_t *row_by_id(json_t *rows, int64_t id)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        if (json_integer_value(json_object_get(row, "id")) == id)
            return row;
    return NULL;
}

static int back_to(pv_req *r, json_t **vm, const char *part, const char *flag)
{
    char url[260];
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/%s?%s=1", r->params[0], part, flag);
    return portfolio_redirect(r, vm, url);
}

/* The head of the page, the messages after a redirect, and the errors of its form. */
static json_t *page_base(pv_req *r, const char *part, json_t *errors, int *status)
{
    json_t *head = process_head(r, r->params[0], status);
    if (!head)
        return NULL;
    char url[260];
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/%s", r->params[0], part);
    json_t *vm = json_pack("{s:o, s:s, s:b, s:b}", "process", head, "action", url, "saved",
                           portfolio_flag(r, "lagret"), "deleted", portfolio_flag(r, "slettet"));
    json_t *none = json_array();
    process_form_errors(r, vm, errors ? errors : none, "f-");
    json_decref(none);
    return vm;
}

static json_t *option(const char *value, const char *label, bool selected)
{
    return json_pack("{s:s, s:s, s:b}", "value", value, "label", label, "selected", selected);
}

/* ---------------------------------------------------------------- stakeholders */

static const char *level_label(pv_req *r, const char *level)
{
    return level && strcmp(level, "høy") == 0 ? T(r, "Høy") : T(r, "Lav");
}

static json_t *level_options(pv_req *r, const char *selected)
{
    json_t *out = json_array();
    json_array_append_new(out, option("", T(r, "Velg"), !selected || !*selected));
    json_array_append_new(out, option("lav", T(r, "Lav"), selected && strcmp(selected, "lav") == 0));
    json_array_append_new(out, option("høy", T(r, "Høy"), selected && strcmp(selected, "høy") == 0));
    return out;
}

/* The four quadrants of interest × influence, as the grid shows them (rows: influence high,
 * then low; columns: interest low, then high). */
static json_t *stakeholder_grid(pv_req *r, json_t *holders)
{
    static const struct {
        const char *influence, *interest, *name, *hint;
    } quads[] = {
        {"høy", "lav", N_("Hold tilfreds"), N_("Stor innflytelse, liten interesse")},
        {"høy", "høy", N_("Involver tett"), N_("Stor innflytelse, stor interesse")},
        {"lav", "lav", N_("Følg med"), N_("Liten innflytelse, liten interesse")},
        {"lav", "høy", N_("Hold godt informert"), N_("Liten innflytelse, stor interesse")},
    };
    json_t *rows = json_array();
    for (size_t q = 0; q < 4; q += 2) {
        json_t *cells = json_array();
        for (size_t k = q; k < q + 2; k++) {
            json_t *names = json_array();
            size_t i;
            json_t *h;
            json_array_foreach(holders, i, h)
                if (strcmp(str(h, "influence"), quads[k].influence) == 0 &&
                    strcmp(str(h, "interest"), quads[k].interest) == 0)
                    json_array_append(names, json_object_get(h, "name"));
            json_array_append_new(cells, json_pack("{s:s, s:s, s:o, s:b}", "name",
                                                   T(r, quads[k].name), "hint", T(r, quads[k].hint),
                                                   "names", names, "empty",
                                                   json_array_size(names) == 0));
        }
        json_array_append_new(rows, json_pack("{s:s, s:o}", "influence_label",
                                              q == 0 ? T(r, "Stor innflytelse")
                                                     : T(r, "Liten innflytelse"),
                                              "cells", cells));
    }
    return rows;
}

/* values: the form's texts; editing: the id of the row in the form (0: a new one). */
static int stakeholders_page(pv_req *r, json_t *values, int64_t editing, json_t *errors,
                             json_t **vm_out)
{
    int status = 200;
    json_t *vm = page_base(r, "interessenter", errors, &status);
    if (!vm)
        return status;
    json_t *p;
    if (store_process_get(r->w->db, r->params[0], &p) != 0) {
        json_decref(vm);
        return 500;
    }
    json_t *holders = json_incref(json_object_get(p, "stakeholders"));
    json_decref(p);
    size_t i;
    json_t *h;
    json_array_foreach(holders, i, h) {
        json_object_set_new(h, "interest_label", json_string(level_label(r, str(h, "interest"))));
        json_object_set_new(h, "influence_label", json_string(level_label(r, str(h, "influence"))));
        char url[260];
        snprintf(url, sizeof url, "%s?rediger=%lld#skjema", str(vm, "action"),
                 (long long)json_integer_value(json_object_get(h, "id")));
        json_object_set_new(h, "edit_url", json_string(url));
    }
    if (!values) { /* a fresh form, or the row asked for */
        json_t *row = editing ? row_by_id(holders, editing) : NULL;
        if (editing && !row) {
            json_decref(holders);
            json_decref(vm);
            return 404;
        }
        values = row ? json_pack("{s:O, s:O, s:O, s:s, s:b}", "name", json_object_get(row, "name"),
                                 "interest", json_object_get(row, "interest"), "influence",
                                 json_object_get(row, "influence"), "how_reached",
                                 str(row, "how_reached") ? str(row, "how_reached") : "",
                                 "reached", json_is_true(json_object_get(row, "reached")))
                     : json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", "", "interest", "",
                                 "influence", "", "how_reached", "", "reached", false);
    } else {
        json_incref(values);
    }
    json_object_set_new(vm, "form", json_pack("{s:O, s:o, s:o, s:I, s:b}", "values", values,
                                              "interest_options",
                                              level_options(r, str(values, "interest")),
                                              "influence_options",
                                              level_options(r, str(values, "influence")), "id",
                                              (json_int_t)editing, "editing", editing != 0));
    json_decref(values);
    json_object_set_new(vm, "grid", stakeholder_grid(r, holders));
    json_object_set_new(vm, "has_stakeholders", json_boolean(json_array_size(holders) > 0));
    json_object_set_new(vm, "stakeholders", holders);
    *vm_out = vm;
    return 200;
}

int page_staff_stakeholders(pv_req *r, json_t **vm)
{
    return stakeholders_page(r, NULL, editing_id(r), NULL, vm);
}

int page_staff_stakeholders_save(pv_req *r, json_t **vm)
{
    const char *action = process_form_action(r);
    int64_t id = process_form_id(r, "id");
    actor who = portfolio_actor(r);
    if (strcmp(action, "delete") == 0 && id) {
        int rc = store_stakeholder_delete(r->w->db, &who, session_now(), r->params[0], id);
        return rc ? portfolio_status(rc) : back_to(r, vm, "interessenter", "slettet");
    }
    if (strcmp(action, "save") != 0) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    const char *name = url_query_get(&r->form, "name");
    const char *how = url_query_get(&r->form, "how_reached");
    json_t *in = json_pack("{s:s, s:o, s:o, s:o, s:b}", "name", name ? name : "", "interest",
                           process_form_text(r, "interest"), "influence",
                           process_form_text(r, "influence"), "how_reached",
                           process_form_text(r, "how_reached"), "reached",
                           url_query_get(&r->form, "reached") != NULL);
    json_t *errors = json_array();
    int rc = store_stakeholder_save(r->w->db, &who, session_now(), r->params[0], id, in, errors,
                                    NULL);
    int status;
    if (rc == 0) {
        status = back_to(r, vm, "interessenter", "lagret");
    } else if (rc == PV_EINVAL) {
        const char *interest = url_query_get(&r->form, "interest");
        const char *influence = url_query_get(&r->form, "influence");
        json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", name ? name : "",
                                   "interest", interest ? interest : "", "influence",
                                   influence ? influence : "", "how_reached", how ? how : "",
                                   "reached", url_query_get(&r->form, "reached") != NULL);
        status = stakeholders_page(r, values, id, errors, vm);
        if (status == 200)
            status = 422;
        json_decref(values);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(in);
    json_decref(errors);
    return status;
}

/* ---------------------------------------------------------------- events */

static const struct {
    const char *kind, *msgid;
} event_kinds[] = {
    {"møte", N_("Møte")}, {"workshop", N_("Workshop")}, {"pop-up", N_("Pop-up")},
    {"stand", N_("Stand")}, {"annet", N_("Annet")},
};

static const char *kind_label(pv_req *r, const char *kind)
{
    for (size_t i = 0; kind && i < PV_ARRAY_LEN(event_kinds); i++)
        if (strcmp(event_kinds[i].kind, kind) == 0)
            return T(r, event_kinds[i].msgid);
    return kind ? kind : "";
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

/* An event for the table: the date and times as its form has them, the kind in words. */
static void event_view(pv_req *r, json_t *e, const char *action)
{
    json_t *rec;
    int64_t id = json_integer_value(json_object_get(e, "id"));
    if (store_event_record(r->w->db, r->params[0], id, &rec) == 0) {
        json_object_set(e, "date", json_object_get(rec, "date"));
        json_object_set(e, "starts", json_object_get(rec, "starts"));
        json_object_set(e, "ends", json_object_get(rec, "ends"));
        json_decref(rec);
    }
    json_object_set_new(e, "kind_label", json_string(kind_label(r, str(e, "kind"))));
    char url[260];
    snprintf(url, sizeof url, "%s?rediger=%lld#skjema", action, (long long)id);
    json_object_set_new(e, "edit_url", json_string(url));
}

static int events_page(pv_req *r, json_t *values, int64_t editing, json_t *errors,
                       json_t **vm_out)
{
    int status = 200;
    json_t *vm = page_base(r, "arrangementer", errors, &status);
    if (!vm)
        return status;
    json_t *p, *venues;
    if (store_process_get(r->w->db, r->params[0], &p) != 0) {
        json_decref(vm);
        return 500;
    }
    if (store_venues(r->w->db, &venues) != 0) {
        json_decref(p);
        json_decref(vm);
        return 500;
    }
    json_t *events = json_incref(json_object_get(p, "events"));
    json_decref(p);
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
        event_view(r, e, str(vm, "action"));
    if (!values) {
        json_t *rec = NULL;
        if (editing && store_event_record(r->w->db, r->params[0], editing, &rec) != 0) {
            json_decref(events);
            json_decref(venues);
            json_decref(vm);
            return 404;
        }
        values = json_object();
        static const char *const fields[] = {"kind", "title", "date", "starts", "ends",
                                             "venue_id", "method", "accessibility"};
        for (size_t k = 0; k < PV_ARRAY_LEN(fields); k++)
            json_object_set_new(values, fields[k], text_of(json_object_get(rec, fields[k])));
        json_decref(rec);
    } else {
        json_incref(values);
    }
    json_t *kinds = json_array();
    for (size_t k = 0; k < PV_ARRAY_LEN(event_kinds); k++)
        json_array_append_new(kinds, option(event_kinds[k].kind, T(r, event_kinds[k].msgid),
                                            str(values, "kind") &&
                                                strcmp(str(values, "kind"), event_kinds[k].kind) == 0));
    json_t *venue_options = portfolio_options(venues, "id", "name", str(values, "venue_id"));
    json_array_insert_new(venue_options, 0,
                          option("", T(r, "Ikke bestemt ennå"), !*str(values, "venue_id")));
    json_object_set_new(vm, "form", json_pack("{s:o, s:o, s:o, s:I, s:b}", "values", values,
                                              "kinds", kinds, "venues", venue_options, "id",
                                              (json_int_t)editing, "editing", editing != 0));
    json_decref(venues);
    json_object_set_new(vm, "has_events", json_boolean(json_array_size(events) > 0));
    json_object_set_new(vm, "events", events);
    *vm_out = vm;
    return 200;
}

int page_staff_events(pv_req *r, json_t **vm)
{
    return events_page(r, NULL, editing_id(r), NULL, vm);
}

int page_staff_events_save(pv_req *r, json_t **vm)
{
    const char *action = process_form_action(r);
    int64_t id = process_form_id(r, "id");
    actor who = portfolio_actor(r);
    if (strcmp(action, "delete") == 0 && id) {
        int rc = store_event_delete(r->w->db, &who, session_now(), r->params[0], id);
        return rc ? portfolio_status(rc) : back_to(r, vm, "arrangementer", "slettet");
    }
    if (strcmp(action, "save") != 0) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    static const char *const fields[] = {"kind", "title", "date", "starts", "ends", "venue_id",
                                         "method", "accessibility"};
    json_t *in = json_object(), *values = json_object();
    for (size_t k = 0; k < PV_ARRAY_LEN(fields); k++) {
        const char *v = url_query_get(&r->form, fields[k]);
        json_object_set_new(values, fields[k], json_string(v ? v : ""));
        json_object_set_new(in, fields[k], strcmp(fields[k], "venue_id") == 0
                                               ? process_form_integer(r, fields[k])
                                               : process_form_text(r, fields[k]));
    }
    if (json_is_null(json_object_get(in, "title")))
        json_object_set_new(in, "title", json_string(""));
    json_t *errors = json_array();
    int rc = store_event_save(r->w->db, &who, session_now(), r->params[0], id, in, errors, NULL);
    int status;
    if (rc == 0) {
        status = back_to(r, vm, "arrangementer", "lagret");
    } else if (rc == PV_EINVAL) {
        status = events_page(r, values, id, errors, vm);
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

/* ---------------------------------------------------------------- members */

static int members_page(pv_req *r, json_t *errors, json_t **vm_out)
{
    int status = 200;
    json_t *vm = page_base(r, "medlemmer", errors, &status);
    if (!vm)
        return status;
    json_t *p, *users;
    if (store_process_get(r->w->db, r->params[0], &p) != 0) {
        json_decref(vm);
        return 500;
    }
    if (store_users_list(r->w->db, &users) != 0) {
        json_decref(p);
        json_decref(vm);
        return 500;
    }
    json_t *members = json_object_get(p, "members");
    json_int_t owner = json_integer_value(json_object_get(p, "owner_user_id"));
    json_t *candidates = json_array();
    json_array_append_new(candidates, option("", T(r, "Velg en ansatt"), true));
    size_t i, j;
    json_t *u, *role;
    json_array_foreach(users, i, u) {
        json_int_t id = json_integer_value(json_object_get(u, "id"));
        if (id == owner) {
            json_object_set_new(vm, "owner", json_pack("{s:O, s:O}", "name", json_object_get(u, "name"),
                                                       "email", json_object_get(u, "email")));
            continue;
        }
        unsigned roles = 0;
        json_array_foreach(json_object_get(u, "roles"), j, role)
            roles |= auth_role_parse(json_string_value(role));
        if (!(roles & (ROLE_PROSESSEIER | ROLE_RADGIVER | ROLE_ADMIN)) ||
            json_is_true(json_object_get(u, "disabled")) || row_by_id(members, id))
            continue;
        char value[32], label[600];
        snprintf(value, sizeof value, "%lld", (long long)id);
        snprintf(label, sizeof label, "%s (%s)", str(u, "name"), str(u, "email"));
        json_array_append_new(candidates, option(value, label, false));
    }
    json_object_set_new(vm, "members", json_incref(members));
    json_object_set_new(vm, "has_members", json_boolean(json_array_size(members) > 0));
    json_object_set_new(vm, "candidates", candidates);
    json_object_set_new(vm, "has_candidates", json_boolean(json_array_size(candidates) > 1));
    json_decref(users);
    json_decref(p);
    *vm_out = vm;
    return 200;
}

int page_staff_members(pv_req *r, json_t **vm)
{
    return members_page(r, NULL, vm);
}

int page_staff_members_save(pv_req *r, json_t **vm)
{
    const char *action = process_form_action(r);
    int64_t user = process_form_id(r, "user_id");
    actor who = portfolio_actor(r);
    int64_t now = session_now();
    if (strcmp(action, "remove") == 0 && user) {
        int rc = store_process_member_remove(r->w->db, &who, now, r->params[0], user);
        return rc ? portfolio_status(rc) : back_to(r, vm, "medlemmer", "slettet");
    }
    if (strcmp(action, "add") != 0) {
        r->error = T(r, "Skjemaet mangler en handling. Last siden på nytt og prøv igjen.");
        return 400;
    }
    json_t *errors = json_array();
    int rc = user ? store_process_member_add(r->w->db, &who, now, r->params[0], user, errors)
                  : PV_EINVAL;
    if (!user)
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "user_id", "message",
                                                N_("Velg en ansatt fra listen.")));
    int status;
    if (rc == 0) {
        status = back_to(r, vm, "medlemmer", "lagret");
    } else if (rc == PV_EINVAL) {
        status = members_page(r, errors, vm);
        if (status == 200)
            status = 422;
    } else {
        status = portfolio_status(rc);
    }
    json_decref(errors);
    return status;
}
