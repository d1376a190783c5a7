/* Public participation pages: /medvirkning, /medvirkning/{slug} with its input form, the
 * receipt pages /kvittering and /kvittering/{code}, and their JSON API twins.
 * Layer: pages. A form and a JSON body become the same input object (domain/input.h) and go
 * through the same insert (store/inputs.h), which checks everything inside its transaction.
 * None of these routes is ROUTE_CACHE: they show days left and whether a process is open,
 * which change with the clock, not with the data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "domain/assessment.h"
#include "domain/input.h"
#include "domain/participation.h"
#include "http/request.h"
#include "pages/pages.h"
#include "pages/participation.h"
#include "pages/staff_inputs.h"
#include "pages/portfolio.h"
#include "store/inputs.h"
#include "store/processes.h"
#include "web/markdown.h"
#include "web/render.h"
#include "web/session.h"

#define PUBLISHED_SHOWN 200

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int64_t num(json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* ---------------------------------------------------------------- labels */

static const char *const month_names[12] = {
    N_("januar"), N_("februar"), N_("mars"), N_("april"), N_("mai"), N_("juni"),
    N_("juli"), N_("august"), N_("september"), N_("oktober"), N_("november"), N_("desember")};

/* "14. januar 2026" (with " kl. 23.59" when with_time) in the municipality's time zone. */
static json_t *day_text(pv_req *r, int64_t t, bool with_time)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return json_null();
    char out[96];
    if (with_time)
        snprintf(out, sizeof out, "%d. %s %d %s %02d.%02d", tm.tm_mday,
                 T(r, month_names[tm.tm_mon]), tm.tm_year + 1900, T(r, "kl."), tm.tm_hour,
                 tm.tm_min);
    else
        snprintf(out, sizeof out, "%d. %s %d", tm.tm_mday, T(r, month_names[tm.tm_mon]),
                 tm.tm_year + 1900);
    return json_string(out);
}

/* A date of a phase ("2021-05-01") as "1. mai 2021"; null when absent or malformed. */
static json_t *iso_day_text(pv_req *r, const char *iso)
{
    pv_date d;
    if (!iso || pv_parse_date(iso, &d) != 0)
        return json_null();
    char out[64];
    snprintf(out, sizeof out, "%d. %s %d", d.day, T(r, month_names[d.month - 1]), d.year);
    return json_string(out);
}

static const char *status_label(pv_req *r, const char *status)
{
    static const struct {
        const char *status, *msgid;
    } labels[] = {{PROCESS_PLANNED, N_("Planlagt")},
                  {PROCESS_OPEN, N_("Åpen for innspill")},
                  {PROCESS_PROCESSING, N_("Til behandling")},
                  {PROCESS_ANSWERED, N_("Tilbakemeldt")},
                  {PROCESS_CLOSED, N_("Avsluttet")}};
    for (size_t i = 0; status && i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].status, status) == 0)
            return T(r, labels[i].msgid);
    return status ? status : "";
}

static const char *input_status_label(pv_req *r, const char *status)
{
    if (status && strcmp(status, "mottatt") == 0)
        return T(r, "Mottatt – ikke vurdert ennå");
    if (status && strcmp(status, "vurdert") == 0)
        return T(r, "Vurdert");
    if (status && strcmp(status, "tilbakemeldt") == 0)
        return T(r, "Tilbakemelding gitt");
    return status ? status : "";
}

/* The label of a field of the input form, for the error summary. */
static const char *field_label(pv_req *r, const char *field)
{
    static const struct {
        const char *field, *msgid;
    } labels[] = {{"text", N_("Innspillet ditt")},
                  {"themes", N_("Tema")},
                  {"place", N_("Sted på kartet")},
                  {"place_area", N_("Område")},
                  {"place_text", N_("Beskriv stedet")},
                  {"name", N_("Navn")},
                  {"email", N_("E-post")},
                  {"phone", N_("Telefon")},
                  {"consent", N_("Samtykke")},
                  {"age_group", N_("Aldersgruppe")},
                  {"home_area", N_("Hvor bor du?")},
                  {"on_behalf_of", N_("På vegne av")},
                  {"sender_type", N_("Hvem sender innspillet?")},
                  {"process", N_("Innspill")},
                  {PARTICIPATION_HONEYPOT, N_("Innspill")}};
    for (size_t i = 0; i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].field, field) == 0)
            return T(r, labels[i].msgid);
    return field;
}

static json_t *error_message(pv_req *r, json_t *e)
{
    const char *detail = str(e, "detail");
    buf text = BUF_INIT;
    buf_puts(&text, T(r, str(e, "message")));
    if (detail)
        buf_printf(&text, " %s", detail);
    json_t *v = json_string(buf_cstr(&text));
    buf_finish(&text);
    return v;
}

/* ---------------------------------------------------------------- summaries */

static json_t *markdown_html(const char *md)
{
    if (!md || !*md)
        return json_null();
    char *html = markdown_to_html(md, strlen(md));
    json_t *v = json_string(html ? html : "");
    free(html);
    return v;
}

/* Deadline and days left of a process, into obj: deadline_text, days_left, last_day,
 * one_day, many_days. */
static void add_deadline(pv_req *r, json_t *obj, int64_t deadline, int64_t now)
{
    if (deadline <= 0) {
        json_object_set_new(obj, "deadline_text", json_null());
        return;
    }
    json_object_set_new(obj, "deadline_text", day_text(r, deadline, true));
    int64_t days = process_days_left(deadline, now);
    if (days < 0)
        return;
    json_object_set_new(obj, "days_left", json_integer(days));
    json_object_set_new(obj, "last_day", json_boolean(days == 0));
    json_object_set_new(obj, "one_day", json_boolean(days == 1));
    json_object_set_new(obj, "many_days", json_boolean(days > 1));
}

enum phase { PHASE_OPEN, PHASE_COMING, PHASE_DONE };

static enum phase phase_of(const char *status, int64_t opens_at, int64_t deadline, int64_t now)
{
    if (process_accepts_inputs(status, opens_at, deadline, now))
        return PHASE_OPEN;
    if (status && (strcmp(status, PROCESS_PLANNED) == 0 ||
                   (strcmp(status, PROCESS_OPEN) == 0 && opens_at && now < opens_at)))
        return PHASE_COMING;
    return PHASE_DONE;
}

static json_t *process_summary(pv_req *r, json_t *row, int64_t now)
{
    char url[160];
    snprintf(url, sizeof url, "/medvirkning/%s", str(row, "id"));
    json_t *p = json_pack("{s:O, s:O, s:s, s:O, s:s, s:O, s:O, s:O}", "id",
                          json_object_get(row, "id"), "title", json_object_get(row, "title"),
                          "url", url, "status", json_object_get(row, "status"), "status_label",
                          status_label(r, str(row, "status")), "ladder_step",
                          json_object_get(row, "ladder_step"), "demo",
                          json_object_get(row, "demo"), "registered_inputs",
                          json_object_get(row, "registered_inputs"));
    json_object_set_new(p, "plan_name", json_incref(json_object_get(row, "plan_name")));
    add_deadline(r, p, num(row, "deadline"), now);
    if (num(row, "opens_at") > 0)
        json_object_set_new(p, "opens_text", day_text(r, num(row, "opens_at"), false));
    return p;
}

/* For concluded processes: their summary, methods and the inputs counted outside planverk. */
static void add_conclusion(pv_req *r, json_t *p)
{
    json_t *full;
    if (store_process_get(r->w->db, str(p, "id"), &full) != 0)
        return;
    json_object_set_new(p, "summary_html", markdown_html(str(full, "summary")));
    json_object_set_new(p, "methods", json_incref(json_object_get(full, "methods")));
    json_object_set_new(p, "has_methods",
                        json_boolean(json_array_size(json_object_get(full, "methods")) > 0));
    json_object_set_new(p, "input_count", json_incref(json_object_get(full, "input_count")));
    json_decref(full);
}

int page_participation(pv_req *r, json_t **vm)
{
    json_t *rows;
    if (store_processes_list(r->w->db, &rows) != 0)
        return 500;
    int64_t now = session_now();
    json_t *open = json_array(), *coming = json_array(), *done = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *p = process_summary(r, row, now);
        switch (phase_of(str(row, "status"), num(row, "opens_at"), num(row, "deadline"), now)) {
        case PHASE_OPEN:
            json_array_insert_new(open, 0, p); /* the list is newest deadline first */
            break;
        case PHASE_COMING:
            json_array_append_new(coming, p);
            break;
        case PHASE_DONE:
            add_conclusion(r, p);
            json_array_append_new(done, p);
            break;
        }
    }
    json_decref(rows);
    *vm = json_pack("{s:o, s:o, s:o, s:b, s:b, s:b}", "open", open, "coming", coming,
                    "concluded", done, "has_open", json_array_size(open) > 0, "has_coming",
                    json_array_size(coming) > 0, "has_concluded", json_array_size(done) > 0);
    return 200;
}

json_t *participation_open_now(pv_req *r)
{
    json_t *rows;
    if (store_processes_list(r->w->db, &rows) != 0)
        return NULL;
    int64_t now = session_now();
    json_t *open = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        if (phase_of(str(row, "status"), num(row, "opens_at"), num(row, "deadline"), now) ==
            PHASE_OPEN) {
            char url[160];
            snprintf(url, sizeof url, "/medvirkning/%s", str(row, "id"));
            /* The front page is cached until the data change: the deadline as a date, never
             * a count of days. */
            json_t *p = json_pack("{s:O, s:O, s:s, s:O}", "id", json_object_get(row, "id"),
                                  "title", json_object_get(row, "title"), "url", url, "demo",
                                  json_object_get(row, "demo"));
            json_object_set_new(p, "deadline_text",
                                num(row, "deadline") > 0 ? day_text(r, num(row, "deadline"), true)
                                                         : json_null());
            json_array_insert_new(open, 0, p);
        }
    json_decref(rows);
    return open;
}

/* ---------------------------------------------------------------- the process page */

static json_t *ladder_view(pv_req *r, json_t *step)
{
    json_t *ladder;
    if (store_ladder(r->w->db, &ladder) != 0)
        return json_array();
    const char *current = str(step, "id");
    size_t i;
    json_t *s;
    json_array_foreach(ladder, i, s)
        json_object_set_new(s, "current",
                            json_boolean(current && strcmp(current, str(s, "id")) == 0));
    (void)r;
    return ladder;
}

static json_t *phases_view(pv_req *r, json_t *phases)
{
    json_t *out = json_array();
    size_t i;
    json_t *ph;
    json_array_foreach(phases, i, ph)
        json_array_append_new(out, json_pack("{s:O, s:o, s:o}", "name",
                                             json_object_get(ph, "name"), "starts_text",
                                             iso_day_text(r, str(ph, "starts_on")), "ends_text",
                                             iso_day_text(r, str(ph, "ends_on"))));
    return out;
}

static json_t *events_view(pv_req *r, json_t *events)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) {
        json_t *v = json_pack("{s:O, s:O, s:O, s:O, s:O}", "kind", json_object_get(e, "kind"),
                              "title", json_object_get(e, "title"), "method",
                              json_object_get(e, "method"), "accessibility",
                              json_object_get(e, "accessibility"), "venue",
                              json_object_get(e, "venue"));
        json_object_set_new(v, "starts_text", num(e, "starts_at") > 0
                                                  ? day_text(r, num(e, "starts_at"), true)
                                                  : json_null());
        json_array_append_new(out, v);
    }
    return out;
}

/* A published input for the page: its fields and a date; never contact data. */
static json_t *input_view(pv_req *r, json_t *in)
{
    json_t *v = json_deep_copy(in);
    json_object_set_new(v, "received_text", day_text(r, num(in, "received_at"), false));
    json_object_set_new(v, "status_label", input_status_label(r, str(in, "status"))
                                               ? json_string(input_status_label(r, str(in, "status")))
                                               : json_null());
    json_object_set_new(v, "has_themes", json_boolean(json_array_size(json_object_get(in, "themes")) > 0));
    json_object_set_new(v, "has_point", json_boolean(json_is_number(json_object_get(in, "lat"))));
    json_object_del(v, "moderation");
    return v;
}

/* [{value, checked}] for a list of strings, with the values of chosen (a list or a string)
 * marked. */
static json_t *choices(json_t *list, json_t *chosen, const char *key)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *v, *c;
    json_array_foreach(list, i, v) {
        bool on = false;
        if (json_is_array(chosen)) {
            json_array_foreach(chosen, j, c)
                on = on || json_equal(c, v);
        } else {
            on = json_equal(chosen, v);
        }
        json_array_append_new(out, json_pack("{s:O, s:b, s:I}", "value", v, key, on, "n",
                                             (json_int_t)i));
    }
    return out;
}

static json_t *fixed_list(const char *const *items)
{
    json_t *out = json_array();
    for (size_t i = 0; items[i]; i++)
        json_array_append_new(out, json_string(items[i]));
    return out;
}

static json_t *sender_type_options(pv_req *r, const char *chosen)
{
    static const char *const labels[] = {N_("Meg selv (privatperson)"), N_("En organisasjon, et lag eller en bedrift"),
                                         N_("En offentlig myndighet"), N_("Et råd eller utvalg")};
    json_t *out = json_array();
    for (size_t i = 0; input_sender_types[i] && i < PV_ARRAY_LEN(labels); i++) {
        bool on = chosen ? strcmp(chosen, input_sender_types[i]) == 0 : i == 0;
        json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:I}", "value",
                                             input_sender_types[i], "label", T(r, labels[i]),
                                             "checked", on, "n", (json_int_t)i));
    }
    return out;
}

/* The form: values as typed (for showing it again), options, errors by field. */
static json_t *form_view(pv_req *r, json_t *process, json_t *values, json_t *errors)
{
    if (!values)
        values = json_object();
    json_t *themes = json_object_get(values, "themes");
    json_t *age_groups = fixed_list(input_age_groups);
    json_t *form = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o}", "themes",
        choices(json_object_get(process, "themes"), themes, "checked"), "areas",
        choices(json_object_get(process, "areas"), json_object_get(values, "place_area"),
                "selected"),
        "home_areas",
        choices(json_object_get(process, "areas"), json_object_get(values, "home_area"),
                "selected"),
        "age_groups", choices(age_groups, json_object_get(values, "age_group"), "selected"),
        "sender_types", sender_type_options(r, str(values, "sender_type")), "values", values);
    json_decref(age_groups);
    json_object_set_new(form, "has_themes",
                        json_boolean(json_array_size(json_object_get(process, "themes")) > 0));
    json_object_set_new(form, "has_areas",
                        json_boolean(json_array_size(json_object_get(process, "areas")) > 0));
    json_object_set_new(form, "consent_checked", json_boolean(str(values, "consent") &&
                                                             *str(values, "consent")));
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field");
        char anchor[80];
        snprintf(anchor, sizeof anchor, "f-%s", field);
        if (strcmp(field, "process") == 0 || strcmp(field, PARTICIPATION_HONEYPOT) == 0)
            snprintf(anchor, sizeof anchor, "f-text");
        json_t *message = error_message(r, e);
        json_object_set(by_field, field, message);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "field", field, "label",
                                              field_label(r, field), "message", message,
                                              "anchor", anchor));
    }
    json_object_set_new(form, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(form, "errors", list);
    json_object_set_new(form, "err", by_field);
    return form;
}

/* The public view of a process (no staff fields: stakeholders, members, plans for
 * communication and evaluation, hours and costs stay in the workspace). */
static int process_view(pv_req *r, const char *id, json_t *values, json_t *errors, json_t **vm)
{
    json_t *p;
    int rc = store_process_get(r->w->db, id, &p);
    if (rc == PV_ENOTFOUND) {
        r->error = T(r, "Vi finner ingen medvirkningsprosess med denne adressen.");
        return 404;
    }
    if (rc != 0)
        return 500;
    int64_t now = session_now();
    enum phase ph = phase_of(str(p, "status"), num(p, "opens_at"), num(p, "deadline"), now);
    json_t *published = NULL;
    if (store_inputs_published(r->w->db, id, PUBLISHED_SHOWN, &published) != 0) {
        json_decref(p);
        return 500;
    }
    json_t *inputs = json_array();
    size_t i;
    json_t *in;
    json_array_foreach(published, i, in)
        json_array_append_new(inputs, input_view(r, in));
    json_decref(published);

    json_t *plan = json_object_get(p, "plan");
    json_t *plan_view = json_null();
    if (json_is_object(plan)) {
        char url[160];
        snprintf(url, sizeof url, "/planer/%s", str(plan, "id"));
        plan_view = json_pack("{s:O, s:O, s:s}", "id", json_object_get(plan, "id"), "name",
                              json_object_get(plan, "name"), "url", url);
    }
    json_t *step = json_object_get(p, "ladder_step");
    json_t *proc = json_pack(
        "{s:O, s:O, s:O, s:s, s:o, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o}",
        "id", json_object_get(p, "id"), "title", json_object_get(p, "title"), "status",
        json_object_get(p, "status"), "status_label", status_label(r, str(p, "status")),
        "purpose_html", markdown_html(str(p, "purpose")), "can_influence",
        json_object_get(p, "can_influence"), "cannot_influence",
        json_object_get(p, "cannot_influence"), "target_groups",
        json_object_get(p, "target_groups"), "methods", json_object_get(p, "methods"),
        "themes", json_object_get(p, "themes"), "areas", json_object_get(p, "areas"), "demo",
        json_object_get(p, "demo"), "publish_at_once", json_object_get(p, "publish_at_once"),
        "registered_inputs", json_object_get(p, "registered_inputs"), "input_count",
        json_object_get(p, "input_count"), "summary_html", markdown_html(str(p, "summary")));
    json_object_set_new(proc, "plan", plan_view);
    json_object_set_new(proc, "deadline", json_incref(json_object_get(p, "deadline")));
    json_object_set_new(proc, "opens_at", json_incref(json_object_get(p, "opens_at")));
    add_deadline(r, proc, num(p, "deadline"), now);
    if (num(p, "opens_at") > 0)
        json_object_set_new(proc, "opens_text", day_text(r, num(p, "opens_at"), true));
    json_object_set_new(proc, "has_target_groups",
                        json_boolean(json_array_size(json_object_get(p, "target_groups")) > 0));
    json_object_set_new(proc, "has_methods",
                        json_boolean(json_array_size(json_object_get(p, "methods")) > 0));

    json_t *phases = phases_view(r, json_object_get(p, "phases"));
    json_t *events = events_view(r, json_object_get(p, "events"));
    *vm = json_pack("{s:o, s:o, s:O, s:o, s:o, s:o, s:b, s:b, s:b, s:b, s:b, s:b}", "process",
                    proc, "ladder", ladder_view(r, step), "step", step ? step : json_null(),
                    "phases", phases, "events", events, "inputs", inputs, "has_phases",
                    json_array_size(phases) > 0, "has_events", json_array_size(events) > 0,
                    "has_inputs", json_array_size(inputs) > 0, "open", ph == PHASE_OPEN,
                    "coming", ph == PHASE_COMING, "closed", ph == PHASE_DONE);
    if (ph == PHASE_OPEN)
        json_object_set_new(*vm, "form", form_view(r, p, values ? json_incref(values) : NULL,
                                                   errors));
    char action[160];
    snprintf(action, sizeof action, "/medvirkning/%s", id);
    json_object_set_new(*vm, "action", json_string(action));
    json_object_set_new(*vm, "map_tiles", json_string(r->app->map_tiles));
    json_decref(p);
    return 200;
}

int page_participation_process(pv_req *r, json_t **vm)
{
    return process_view(r, r->params[0], NULL, NULL, vm);
}

/* ---------------------------------------------------------------- submitting */

static const form_field input_fields[] = {
    {"text", IN_TEXT},         {"themes", IN_LIST},       {"place_area", IN_CHOICE},
    {"place_text", IN_TEXT},   {"lat", IN_TEXT},          {"lon", IN_TEXT},
    {"email", IN_TEXT},        {"phone", IN_TEXT},        {"consent", IN_CHOICE},
    {"age_group", IN_CHOICE},  {"home_area", IN_CHOICE},  {"on_behalf_of", IN_TEXT},
    {"sender_type", IN_CHOICE}, {NULL, 0},
};

static int too_many(pv_req *r)
{
    r->error = T(r, "Du har sendt mange innspill på kort tid. Vent ti minutter og prøv igjen. Innspillet ble ikke lagret.");
    http_set_header(r->ev, "Retry-After", "600");
    return 429;
}

static void receipt_url(const char *code, char *out, size_t size)
{
    snprintf(out, size, "/kvittering/%s", code);
}

int page_participation_submit(pv_req *r, json_t **vm)
{
    json_t *values = portfolio_form_values(r, input_fields);
    json_t *errors = json_array();
    int status;
    const char *honey = url_query_get(&r->form, PARTICIPATION_HONEYPOT);
    if (honey && *honey) {
        json_array_append_new(errors, json_pack("{s:s, s:s}", "field", PARTICIPATION_HONEYPOT,
                                                "message",
                                                N_("Innspillet ble ikke lagret, fordi et felt som skal stå tomt, var fylt ut. Er du et menneske, så last siden på nytt og send igjen.")));
        status = process_view(r, r->params[0], values, errors, vm);
        status = status == 200 ? 400 : status;
        goto done;
    }
    int allowed = store_rate_allow(r->w->db, r->address, session_now());
    if (allowed <= 0) { /* a count that cannot be written refuses too (503) */
        status = allowed < 0 ? 500 : too_many(r);
        goto done;
    }
    json_t *input = portfolio_form_input(r, input_fields);
    json_object_set_new(input, "channel", json_string("web"));
    json_object_set_new(input, "language", json_string(r->lang));
    char code[RECEIPT_CODE_CHARS + 1];
    input_meta meta = {.process_id = r->params[0]};
    int rc = store_input_insert(r->w->db, &meta, session_now(), input, errors, code, NULL);
    json_decref(input);
    if (rc == 0) {
        char url[80];
        receipt_url(code, url, sizeof url);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL || rc == PV_ECONFLICT) {
        status = process_view(r, r->params[0], values, errors, vm);
        if (status == 200 && rc == PV_ECONFLICT) {
            /* the form is gone: say why at the top */
            json_t *e = json_array_get(errors, 0);
            json_object_set_new(*vm, "refused", error_message(r, e));
        }
        status = status == 200 ? (rc == PV_EINVAL ? 422 : 409) : status;
    } else if (rc == PV_ENOTFOUND) {
        r->error = T(r, "Vi finner ingen medvirkningsprosess med denne adressen.");
        status = 404;
    } else {
        status = 500;
    }
done:
    json_decref(values);
    json_decref(errors);
    return status;
}

int page_api_input_create(pv_req *r, json_t **vm)
{
    if (!r->body) {
        r->error = T(r, "Send innspillet som JSON (Content-Type: application/json).");
        return 415;
    }
    int allowed = store_rate_allow(r->w->db, r->address, session_now());
    if (allowed <= 0) /* a count that cannot be written refuses too (503) */
        return allowed < 0 ? 500 : too_many(r);
    json_t *input = json_deep_copy(r->body), *errors = json_array();
    if (!json_object_get(input, "channel"))
        json_object_set_new(input, "channel", json_string("web"));
    char code[RECEIPT_CODE_CHARS + 1];
    input_meta meta = {.process_id = r->params[0]};
    int rc = store_input_insert(r->w->db, &meta, session_now(), input, errors, code, NULL);
    json_decref(input);
    int status;
    if (rc == 0) {
        char url[80], api[96];
        receipt_url(code, url, sizeof url);
        snprintf(api, sizeof api, "/api/v1/receipts/%s", code);
        json_t *body = json_pack("{s:s, s:s, s:s}", "code", code, "url", url, "api_url", api);
        status = portfolio_created(r, url, body);
    } else if (rc == PV_EINVAL) {
        *vm = portfolio_problem(r, errors);
        status = 422;
    } else if (rc == PV_ECONFLICT) {
        *vm = portfolio_problem(r, errors);
        json_object_set_new(*vm, "title", json_string(T(r, "Prosessen tar ikke imot innspill nå")));
        json_object_set_new(*vm, "detail", error_message(r, json_array_get(errors, 0)));
        status = 409;
    } else if (rc == PV_ENOTFOUND) {
        r->error = T(r, "Vi finner ingen medvirkningsprosess med denne adressen.");
        status = 404;
    } else {
        status = 500;
    }
    json_decref(errors);
    return status;
}

/* ---------------------------------------------------------------- receipts */

/* Sends vm through template (or as JSON) with the headers of a private page: never stored
 * by a browser or proxy, never named in a Referer. Returns 0 (the route is ROUTE_RAW). */
static int send_private(pv_req *r, int status, const char *template, json_t *vm)
{
    buf out = BUF_INIT;
    const char *type = NULL;
    int rc = render_view(r, r->want_json ? NULL : template, vm, &out, &type);
    json_decref(vm);
    if (rc != 0) {
        buf_finish(&out);
        return 500;
    }
    http_set_header(r->ev, "Cache-Control", "no-store");
    http_set_header(r->ev, "Referrer-Policy", "no-referrer");
    http_set_header(r->ev, "Content-Language", r->lang);
    http_set_header(r->ev, "Vary", "Accept, Accept-Language, Cookie");
    bool head = strcmp(r->method, "HEAD") == 0;
    http_send(r->ev, status, type, head ? NULL : out.data, head ? 0 : out.len);
    buf_finish(&out);
    return 0;
}

static json_t *lookup_view(pv_req *r, const char *typed, bool not_found)
{
    json_t *vm = json_pack("{s:s, s:b}", "typed", typed ? typed : "", "not_found", not_found);
    if (not_found) {
        json_object_set_new(vm, "title", json_string(T(r, "Vi fant ikke kvitteringen")));
        json_object_set_new(vm, "detail",
                            json_string(T(r, "Sjekk at koden er skrevet riktig. Den har 20 tegn, for eksempel K7Q2-9XTB-M4PA-0RCE-5DHW. Store og små bokstaver er likt, og du trenger ikke bindestrekene.")));
    }
    return vm;
}

int page_receipt(pv_req *r, json_t **vm)
{
    (void)vm;
    json_t *rec;
    int rc = store_receipt_get(r->w->db, r->params[0], &rec);
    if (rc == PV_ENOTFOUND)
        return send_private(r, 404, "receipt_lookup", lookup_view(r, r->params[0], true));
    if (rc != 0)
        return 500;
    json_t *in = json_object_get(rec, "input"), *proc = json_object_get(rec, "process");
    json_object_set_new(in, "received_text", day_text(r, num(in, "received_at"), true));
    json_object_set_new(in, "status_label", json_string(input_status_label(r, str(in, "status"))));
    json_object_set_new(in, "has_themes", json_boolean(json_array_size(json_object_get(in, "themes")) > 0));
    json_object_set_new(in, "has_point", json_boolean(json_is_number(json_object_get(in, "lat"))));
    json_object_set_new(in, "published", json_boolean(strcmp(str(in, "moderation"), "publisert") == 0));
    char url[160];
    snprintf(url, sizeof url, "/medvirkning/%s", str(proc, "id"));
    json_object_set_new(proc, "url", json_string(url));
    json_object_set_new(proc, "status_label", json_string(status_label(r, str(proc, "status"))));
    add_deadline(r, proc, num(proc, "deadline"), session_now());
    receipt_url(str(rec, "code"), url, sizeof url);
    json_object_set_new(rec, "url", json_string(url));
    json_t *fb = json_object_get(rec, "feedback");
    if (json_is_object(fb)) { /* the newest feedback: its day and outcome in r's language */
        json_object_set_new(fb, "written_text", day_text(r, num(fb, "written_at"), true));
        json_object_set_new(fb, "paragraphs", staff_inputs_paragraphs(str(fb, "text")));
        json_object_set_new(fb, "outcome_label", json_string(T(r, assessment_outcome_label(str(fb, "outcome")))));
    }
    return send_private(r, 200, "receipt", rec);
}

int page_receipt_lookup(pv_req *r, json_t **vm)
{
    (void)vm;
    const char *typed = url_query_get(&r->query, "kode");
    if (!typed)
        return send_private(r, 200, "receipt_lookup", lookup_view(r, NULL, false));
    char norm[RECEIPT_SYMBOLS + 1];
    if (strlen(typed) > 64 || !receipt_code_normalize(typed, norm))
        return send_private(r, 404, "receipt_lookup", lookup_view(r, typed, true));
    char url[80];
    size_t o = snprintf(url, sizeof url, "/kvittering/");
    for (int i = 0; i < RECEIPT_SYMBOLS; i++) {
        if (i > 0 && i % 4 == 0)
            url[o++] = '-';
        url[o++] = norm[i];
    }
    url[o] = '\0';
    http_set_header(r->ev, "Location", url);
    http_set_header(r->ev, "Cache-Control", "no-store");
    http_set_header(r->ev, "Referrer-Policy", "no-referrer");
    http_send(r->ev, 303, NULL, NULL, 0);
    return 0;
}
