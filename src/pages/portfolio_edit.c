/* What the portfolio pages share: reading a form or a JSON body into the input object that
 * the rules check, showing field errors (next to the fields and in a summary) or sending them
 * as a problem object, the 201 reply of the API, the owner check of the route table, and the
 * change history on the public plan page.
 * Layer: pages. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/plans_edit.h"
#include "web/render.h"

/* ---------------------------------------------------------------- who may edit */

bool portfolio_may_edit_plan(pv_req *r, const char *plan_id)
{
    if (!r->user || !plan_id)
        return false;
    if (r->user->roles & PLAN_EDIT_ROLES)
        return true;
    int64_t owner = 0;
    return (r->user->roles & PLAN_OWNER_ROLES) &&
           store_plan_owner(r->w->db, plan_id, &owner) == 0 && owner == r->user->id;
}

bool portfolio_plan_owned(pv_req *r)
{
    int64_t owner = 0;
    return r->user && r->n_params > 0 && plan_id_valid(r->params[0]) &&
           store_plan_owner(r->w->db, r->params[0], &owner) == 0 && owner == r->user->id;
}

actor portfolio_actor(pv_req *r)
{
    return (actor){r->user->id, r->user->email, r->address};
}

int portfolio_status(int rc)
{
    switch (rc) {
    case PV_OK: return 0;
    case PV_ENOTFOUND: return 404;
    case PV_EINVAL: return 422;
    default: return 500;
    }
}

int portfolio_redirect(pv_req *r, json_t **vm, const char *url)
{
    *vm = json_pack("{s:s}", "location", url);
    r->location = json_string_value(json_object_get(*vm, "location"));
    return 303;
}

bool portfolio_flag(pv_req *r, const char *key)
{
    return url_query_get(&r->query, key) != NULL;
}

/* ---------------------------------------------------------------- reading input */

/* The value without surrounding blanks, in a buffer of the caller. */
static const char *trimmed(const char *v, char *out, size_t size)
{
    while (*v == ' ' || *v == '\t')
        v++;
    snprintf(out, size, "%s", v);
    size_t n = strlen(out);
    while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        out[--n] = '\0';
    return out;
}

static json_t *whole_number(const char *v)
{
    char text[64];
    long n;
    if (strlen(v) >= sizeof text)
        return json_string(v);
    trimmed(v, text, sizeof text);
    if (!text[0])
        return json_null();
    if (pv_parse_long(text, -1000000000L, 1000000000L, &n) == 0)
        return json_integer(n);
    return json_string(v); /* the rules say what is wrong with it */
}

static json_t *decimal_number(const char *v)
{
    char text[64];
    if (strlen(v) >= sizeof text)
        return json_string(v);
    trimmed(v, text, sizeof text);
    if (!text[0])
        return json_null();
    for (char *p = text; *p; p++)
        if (*p == ',')
            *p = '.';
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    bool plain = (text[0] == '-' || (text[0] >= '0' && text[0] <= '9')) && !strpbrk(text, "xXeEpP");
    if (errno || *end || !plain || !isfinite(d))
        return json_string(v);
    return json_real(d);
}

static json_t *all_values(const url_query *q, const char *name)
{
    json_t *list = json_array();
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->items[i].key, name) == 0 && q->items[i].value[0])
            json_array_append_new(list, json_string(q->items[i].value));
    return list;
}

json_t *portfolio_form_input(pv_req *r, const form_field *fields)
{
    json_t *in = json_object();
    for (const form_field *f = fields; f->name; f++) {
        const char *v = url_query_get(&r->form, f->name);
        json_t *value = NULL;
        switch (f->kind) {
        case IN_TEXT:
            value = json_string(v ? v : "");
            break;
        case IN_ID:
            value = v && *v ? json_string(v) : NULL;
            break;
        case IN_CHOICE:
            value = v && *v ? json_string(v) : json_null();
            break;
        case IN_YEAR:
        case IN_USER:
            value = whole_number(v ? v : "");
            break;
        case IN_NUMBER:
            value = decimal_number(v ? v : "");
            break;
        case IN_LIST:
            value = all_values(&r->form, f->name);
            break;
        }
        if (value)
            json_object_set_new(in, f->name, value);
    }
    return in;
}

json_t *portfolio_form_values(pv_req *r, const form_field *fields)
{
    json_t *values = json_object();
    for (const form_field *f = fields; f->name; f++) {
        const char *v = url_query_get(&r->form, f->name);
        json_object_set_new(values, f->name, f->kind == IN_LIST ? all_values(&r->form, f->name)
                                                                : json_string(v ? v : ""));
    }
    return values;
}

json_t *portfolio_json_input(pv_req *r)
{
    json_t *in = r->body ? json_deep_copy(r->body) : json_object();
    json_object_del(in, "csrf"); /* the session's CSRF token may travel in the body */
    return in;
}

json_t *portfolio_value_text(json_t *v)
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

json_t *portfolio_number_text(pv_req *r, json_t *v)
{
    if (!json_is_number(v))
        return json_string("");
    char text[64];
    snprintf(text, sizeof text, "%.15g", json_number_value(v));
    char *dot = strchr(text, '.');
    if (dot && strcmp(r->lang, "en") != 0)
        *dot = ',';
    return json_string(text);
}

json_t *portfolio_options(json_t *rows, const char *value_key, const char *label_key,
                          const char *selected)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *value = portfolio_value_text(json_object_get(row, value_key));
        json_array_append_new(out, json_pack("{s:o, s:O, s:b}", "value", value, "label",
                                             json_object_get(row, label_key), "selected",
                                             selected && strcmp(selected, json_string_value(value)) == 0));
    }
    return out;
}

/* ---------------------------------------------------------------- labels and errors */

typedef struct label {
    const char *kind, *field, *msgid;
} label;

static const label labels[] = {
    {"plan", "id", N_("Id")},
    {"plan", "name", N_("Navn")},
    {"plan", "type", N_("Type")},
    {"plan", "status", N_("Status")},
    {"plan", "adopted_year", N_("Vedtaksår")},
    {"plan", "next_revision", N_("Neste revisjon")},
    {"plan", "theme_id", N_("Tema")},
    {"plan", "owner_unit", N_("Ansvarlig enhet")},
    {"plan", "owner_user_id", N_("Eier")},
    {"plan", "parent_ids", N_("Forankret i")},
    {"plan", "goal_ids", N_("Mål planen skal bidra til")},
    {"plan", "purpose", N_("Formål")},
    {"goal", "id", N_("Id")},
    {"goal", "text", N_("Mål")},
    {"goal", "level", N_("Nivå")},
    {"goal", "parent_id", N_("Overordnet mål")},
    {"goal", "plan_id", N_("Plan")},
    {"goal", "lead_in", N_("Innledning")},
    {"goal", "retired", N_("Trukket tilbake")},
    {"indicator", "id", N_("Id")},
    {"indicator", "text", N_("Indikator")},
    {"indicator", "unit", N_("Enhet")},
    {"indicator", "comparator", N_("Sammenligning")},
    {"indicator", "baseline_value", N_("Utgangspunkt")},
    {"indicator", "baseline_year", N_("År for utgangspunktet")},
    {"indicator", "baseline_text", N_("Kilde for utgangspunktet")},
    {"indicator", "target_value", N_("Målverdi")},
    {"indicator", "target_year", N_("År for målverdien")},
    {"indicator", "plan_id", N_("Plan")},
    {"indicator", "goal_ids", N_("Mål indikatoren måler")},
    {"focus_area", "name", N_("Navn")},
    {"focus_area", "her_er_vi", N_("Her er vi")},
    {"focus_area", "slik_vil_vi_ha_det", N_("Slik vil vi ha det")},
    {"focus_area", "slik_kommer_vi_dit", N_("Slik kommer vi dit")},
    {"focus_area", "slik_gjor_vi_det", N_("Slik gjør vi det")},
    {"focus_area", "position", N_("Plassering")},
    {"focus_area", "plan_id", N_("Plan")},
};

const char *portfolio_field_label(pv_req *r, const char *kind, const char *field)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].kind, kind) == 0 && strcmp(labels[i].field, field) == 0)
            return T(r, labels[i].msgid);
    return field;
}

void portfolio_form_errors(pv_req *r, json_t *vm, json_t *errors, const char *kind,
                           const char *id_prefix)
{
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = json_string_value(json_object_get(e, "field"));
        char anchor[160];
        snprintf(anchor, sizeof anchor, "%s%s", id_prefix, field);
        json_t *message = page_error_message(r, e);
        json_object_set(by_field, field, message);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "field", field, "label",
                                              portfolio_field_label(r, kind, field), "message",
                                              message, "anchor", anchor));
    }
    json_object_set_new(vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(vm, "errors", list);
    json_object_set_new(vm, "err", by_field);
}

json_t *portfolio_problem(pv_req *r, json_t *errors)
{
    json_t *list = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
        json_array_append_new(list, json_pack("{s:O, s:o}", "field", json_object_get(e, "field"),
                                              "message", page_error_message(r, e)));
    return json_pack("{s:s, s:s, s:o}", "title", T(r, "Noen av feltene har feil"), "detail",
                     T(r, "Rett opp feltene som står i «errors», og send igjen. Ingenting ble lagret."),
                     "errors", list);
}

/* ---------------------------------------------------------------- replies */

int portfolio_created(pv_req *r, const char *location, json_t *vm)
{
    buf out = BUF_INIT;
    const char *type = CONTENT_JSON;
    r->want_json = true;
    int rc = render_view(r, NULL, vm, &out, &type);
    json_decref(vm);
    if (rc != 0) {
        buf_finish(&out);
        return 500;
    }
    http_set_header(r->ev, "Location", location);
    http_set_header(r->ev, "Content-Language", r->lang);
    http_set_header(r->ev, "Vary", "Accept, Accept-Language, Cookie");
    http_set_header(r->ev, "Cache-Control", "no-store");
    http_send(r->ev, 201, type, out.data, out.len);
    buf_finish(&out);
    return 0;
}

/* ---------------------------------------------------------------- the public plan page */

static const char *action_label(pv_req *r, const char *action)
{
    static const struct {
        const char *action, *msgid;
    } names[] = {
        {"plan.create", N_("Planen ble opprettet")},
        {"plan.update", N_("Planen ble endret")},
        {"focus_area.create", N_("Satsingsområde lagt til")},
        {"focus_area.update", N_("Satsingsområde endret")},
        {"focus_area.move", N_("Satsingsområde flyttet")},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(names); i++)
        if (strcmp(names[i].action, action) == 0)
            return T(r, names[i].msgid);
    return action;
}

/* A list of ids as one line, "a, b" («–» when empty); other values stay as they are. */
static json_t *list_text(json_t *v)
{
    if (!json_is_array(v))
        return json_incref(v);
    if (json_array_size(v) == 0)
        return json_null();
    buf text = BUF_INIT;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (i)
            buf_puts(&text, ", ");
        buf_puts(&text, json_is_string(item) ? json_string_value(item) : "?");
    }
    json_t *s = json_string(buf_cstr(&text));
    buf_finish(&text);
    return s;
}

/* Lists in the changes of an event become lines of text before they are labelled. */
static void lists_as_text(json_t *event)
{
    const char *field;
    json_t *pair;
    json_object_foreach(json_object_get(event, "changes"), field, pair) {
        for (size_t k = 0; k < 2 && json_is_array(pair); k++)
            json_array_set_new(pair, k, list_text(json_array_get(pair, k)));
    }
}

json_t *portfolio_plan_staff_view(pv_req *r, const char *plan_id)
{
    json_t *events;
    if (store_plan_history(r->w->db, plan_id, 100, &events) != 0)
        return NULL;
    size_t i, j;
    json_t *ev, *change;
    json_array_foreach(events, i, ev) {
        lists_as_text(ev);
        page_audit_event_labels(r, ev);
        const char *type = json_string_value(json_object_get(ev, "object_type"));
        json_object_set_new(ev, "action_label",
                            json_string(action_label(r, json_string_value(json_object_get(ev, "action")))));
        json_array_foreach(json_object_get(ev, "changes_list"), j, change)
            json_object_set_new(change, "label",
                                json_string(portfolio_field_label(
                                    r, type ? type : "plan",
                                    json_string_value(json_object_get(change, "field")))));
        json_object_del(ev, "changes"); /* shown as changes_list */
    }
    json_t *view = json_pack("{s:o, s:b}", "history", events, "has_history",
                             json_array_size(events) > 0);
    if (portfolio_may_edit_plan(r, plan_id)) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/planer/%s", plan_id);
        json_object_set_new(view, "edit_url", json_string(url));
        snprintf(url, sizeof url, "/arbeid/planer/%s/satsingsomrader", plan_id);
        json_object_set_new(view, "areas_url", json_string(url));
    }
    return view;
}

int portfolio_api_created(pv_req *r, int rc, json_t *errors, const char *prefix,
                          const char *id, portfolio_detail_fn detail, json_t **vm)
{
    if (rc == PV_EINVAL) {
        *vm = portfolio_problem(r, errors);
        return 422;
    }
    if (rc != 0)
        return portfolio_status(rc);
    json_t *body = NULL;
    int status = detail(r, id, &body);
    if (status != 200)
        return status;
    char url[200];
    snprintf(url, sizeof url, "%s%s", prefix, id);
    return portfolio_created(r, url, body);
}

/* The reply of a change: 422 with the problem, or 200 with the record's detail. */
int portfolio_api_changed(pv_req *r, int rc, json_t *errors, portfolio_detail_fn detail,
                          json_t **vm)
{
    if (rc == PV_EINVAL) {
        *vm = portfolio_problem(r, errors);
        return 422;
    }
    return rc != 0 ? portfolio_status(rc) : detail(r, r->params[0], vm);
}
