/* The staff's planning of participation processes: /arbeid/prosesser (the list),
 * /arbeid/prosesser/ny and /arbeid/prosesser/{slug} (the guided form that asks the questions of
 * the Medvirkningsplan in order: hvorfor, hvem, når, hvordan), and the status buttons; the
 * helpers the other process pages share.
 * Layer: pages. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/participation.h"
#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "pages/processes.h"
#include "store/processes.h"
#include "store/processes_edit.h"
#include "web/session.h"

/* Rows for phases in the form besides those stored. */
#define BLANK_PHASES 3

bool process_member_of(pv_req *r)
{
    return r->user && r->n_params > 0 && plan_id_valid(r->params[0]) &&
           store_process_member(r->w->db, r->params[0], r->user->id);
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* ---------------------------------------------------------------- shared helpers */

typedef struct label {
    const char *field, *msgid;
} label;

static const label labels[] = {
    {"title", N_("Tittel")},
    {"purpose", N_("Hvorfor skal vi ha medvirkning?")},
    {"can_influence", N_("Hva kan deltakerne påvirke?")},
    {"cannot_influence", N_("Hva kan de ikke påvirke?")},
    {"target_groups", N_("Målgrupper")},
    {"methods", N_("Metoder")},
    {"themes", N_("Temaer i innspillsskjemaet")},
    {"areas", N_("Områder i innspillsskjemaet")},
    {"phases", N_("Faser")},
    {"opens_on", N_("Åpner for innspill")},
    {"deadline_on", N_("Frist for innspill")},
    {"ladder_step_id", N_("Trinn i medvirkningstrappa")},
    {"plan_id", N_("Plan")},
    {"publish_at_once", N_("Publiser innspill med en gang")},
    {"communication_plan", N_("Kommunikasjonsplan")},
    {"evaluation_plan", N_("Evalueringsplan")},
    {"hours_spent", N_("Timer brukt")},
    {"cost_spent", N_("Kostnad (kroner)")},
    {"summary", N_("Oppsummering")},
    {"status", N_("Status")},
    {"name", N_("Navn")},
    {"interest", N_("Interesse")},
    {"influence", N_("Innflytelse")},
    {"how_reached", N_("Hvordan de nås")},
    {"reached", N_("Nådd")},
    {"kind", N_("Type")},
    {"date", N_("Dato")},
    {"starts", N_("Starter")},
    {"ends", N_("Slutter")},
    {"venue_id", N_("Lokale")},
    {"method", N_("Metode")},
    {"accessibility", N_("Tilgjengelighet")},
    {"user_id", N_("Ansatt")},
    {"explanation", N_("Forklaring")},
    {"address", N_("Adresse")},
    {"area", N_("Område")},
    {"capacity", N_("Kapasitet")},
    {"universal_design", N_("Universell utforming")},
    {"equipment", N_("Utstyr")},
};

static const char *field_label(pv_req *r, const char *field)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].field, field) == 0)
            return T(r, labels[i].msgid);
    return field;
}

/* The message in r's language: a "%s" in it takes the detail, else the detail follows. */
static json_t *error_message(pv_req *r, json_t *e)
{
    const char *detail = str(e, "detail");
    const char *text = T(r, str(e, "message"));
    const char *slot = strstr(text, "%s");
    buf out = BUF_INIT;
    if (slot && detail) {
        buf_append(&out, text, (size_t)(slot - text));
        buf_puts(&out, detail);
        buf_puts(&out, slot + 2);
    } else {
        buf_puts(&out, text);
        if (detail)
            buf_printf(&out, " (%s)", detail);
    }
    json_t *v = json_string(buf_cstr(&out));
    buf_finish(&out);
    return v;
}

void process_form_errors(pv_req *r, json_t *vm, json_t *errors, const char *id_prefix)
{
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field");
        char anchor[160];
        snprintf(anchor, sizeof anchor, "%s%s", id_prefix, field);
        json_t *message = error_message(r, e);
        json_object_set(by_field, field, message);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "field", field, "label",
                                              field_label(r, field), "message", message,
                                              "anchor", anchor));
    }
    json_object_set_new(vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(vm, "errors", list);
    json_object_set_new(vm, "err", by_field);
}

const char *process_status_label(pv_req *r, const char *status)
{
    static const struct {
        const char *status, *msgid;
    } names[] = {
        {PROCESS_PLANNED, N_("Planlagt")},
        {PROCESS_OPEN, N_("Åpen for innspill")},
        {PROCESS_PROCESSING, N_("Til behandling")},
        {PROCESS_ANSWERED, N_("Tilbakemeldt")},
        {PROCESS_CLOSED, N_("Avsluttet")},
    };
    for (size_t i = 0; status && i < PV_ARRAY_LEN(names); i++)
        if (strcmp(names[i].status, status) == 0)
            return T(r, names[i].msgid);
    return status ? status : "";
}

json_t *process_head(pv_req *r, const char *id, int *status_out)
{
    json_t *rec;
    int rc = store_process_record(r->w->db, id, &rec);
    if (rc != 0) {
        *status_out = rc == PV_ENOTFOUND ? 404 : 500;
        return NULL;
    }
    static const struct {
        const char *key, *prefix, *suffix;
    } urls[] = {
        {"edit_url", "/arbeid/prosesser/", ""},
        {"public_url", "/medvirkning/", ""},
        {"inputs_url", "/arbeid/prosesser/", "/innspill"},
        {"new_input_url", "/arbeid/prosesser/", "/innspill/ny"},
        {"merknad_url", "/arbeid/prosesser/", "/merknadsbehandling"},
        {"summary_url", "/medvirkning/", "/oppsummering"},
        {"stakeholders_url", "/arbeid/prosesser/", "/interessenter"},
        {"events_url", "/arbeid/prosesser/", "/arrangementer"},
        {"members_url", "/arbeid/prosesser/", "/medlemmer"},
    };
    json_t *head = json_pack("{s:s, s:O, s:O, s:s}", "id", id, "title",
                             json_object_get(rec, "title"), "status",
                             json_object_get(rec, "status"), "status_label",
                             process_status_label(r, str(rec, "status")));
    for (size_t i = 0; i < PV_ARRAY_LEN(urls); i++) {
        char url[200];
        snprintf(url, sizeof url, "%s%s%s", urls[i].prefix, id, urls[i].suffix);
        json_object_set_new(head, urls[i].key, json_string(url));
    }
    json_decref(rec);
    return head;
}

const char *process_form_action(pv_req *r)
{
    const char *a = url_query_get(&r->form, "action");
    return a ? a : "";
}

int64_t process_form_id(pv_req *r, const char *name)
{
    long id = 0;
    const char *v = url_query_get(&r->form, name);
    if (!v || pv_parse_long(v, 1, 2000000000L, &id) != 0)
        return 0;
    return id;
}

json_t *process_form_text(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->form, name);
    return v && *v ? json_string(v) : json_null();
}

json_t *process_lines(const char *text)
{
    json_t *list = json_array();
    while (text && *text) {
        const char *end = strpbrk(text, "\r\n");
        size_t len = end ? (size_t)(end - text) : strlen(text);
        if (len)
            json_array_append_new(list, json_stringn(text, len));
        text += len;
        while (*text == '\r' || *text == '\n')
            text++;
    }
    return list;
}

json_t *process_lines_text(json_t *list)
{
    buf out = BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (!json_is_string(v))
            continue;
        if (out.len)
            buf_putc(&out, '\n');
        buf_puts(&out, json_string_value(v));
    }
    json_t *s = json_string(buf_cstr(&out));
    buf_finish(&out);
    return s;
}

json_t *process_form_integer(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->form, name);
    if (!v || !*v)
        return json_null();
    char digits[32];
    size_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p == ' ')
            continue;
        if (n + 1 >= sizeof digits)
            return json_string(v);
        digits[n++] = *p;
    }
    digits[n] = '\0';
    long value;
    if (n && pv_parse_long(digits, 0, 2000000000L, &value) == 0)
        return json_integer(value);
    return n ? json_string(v) : json_null();
}

/* A decimal number as typed (12,5 or 12.5), "" → null, else the text. */
static json_t *form_decimal(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->form, name);
    if (!v || !*v)
        return json_null();
    char text[40];
    if (strlen(v) >= sizeof text)
        return json_string(v);
    snprintf(text, sizeof text, "%s", v);
    for (char *p = text; *p; p++)
        if (*p == ',')
            *p = '.';
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    bool plain = (text[0] >= '0' && text[0] <= '9') && !strpbrk(text, "xXeEpP");
    if (errno || *end || !plain || !isfinite(d))
        return json_string(v);
    return json_real(d);
}

/* ---------------------------------------------------------------- the list */

int page_staff_processes(pv_req *r, json_t **vm)
{
    json_t *rows;
    bool all = (r->user->roles & PROCESS_EDIT_ROLES) != 0;
    int rc = all ? store_processes_list(r->w->db, &rows)
                 : store_processes_for_user(r->w->db, r->user->id, &rows);
    if (rc != 0)
        return 500;
    size_t i;
    json_t *p;
    json_array_foreach(rows, i, p) {
        char url[200], day[11];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s", str(p, "id"));
        json_object_set_new(p, "edit_url", json_string(url));
        json_object_set_new(p, "status_label",
                            json_string(process_status_label(r, str(p, "status"))));
        json_t *deadline = json_object_get(p, "deadline");
        if (json_is_integer(deadline)) {
            pv_date_format(pv_date_of(json_integer_value(deadline)), day);
            json_object_set_new(p, "deadline_on", json_string(day));
        }
    }
    *vm = json_pack("{s:o, s:I, s:b, s:b}", "processes", rows, "count",
                    (json_int_t)json_array_size(rows), "has_processes",
                    json_array_size(rows) > 0, "all", all);
    json_object_set_new(*vm, "advisor", json_boolean(all));
    return 200;
}

/* ---------------------------------------------------------------- the form */

/* The councils and bodies of 002 that a process may involve, offered as checkboxes. */
static const char *const councils[] = {
    N_("Eldreråd"), N_("Råd for personer med funksjonsnedsettelse"), N_("Ungdomsråd"),
    N_("Flerkulturelt råd"), N_("Råd for psykisk helse"), N_("Brukerråd"),
};


/* The items of list not in known (a list of strings), as lines. */
static json_t *others_text(json_t *list, json_t *known)
{
    json_t *rest = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && !json_list_has(known, json_string_value(v)))
            json_array_append(rest, v);
    json_t *text = process_lines_text(rest);
    json_decref(rest);
    return text;
}

static json_t *council_choices(json_t *chosen, json_t **known)
{
    json_t *out = json_array();
    *known = json_array();
    for (size_t i = 0; i < PV_ARRAY_LEN(councils); i++) {
        json_array_append_new(*known, json_string(councils[i]));
        json_array_append_new(out, json_pack("{s:s, s:I, s:b}", "value", councils[i], "n",
                                             (json_int_t)i + 1, "checked",
                                             json_list_has(chosen, councils[i])));
    }
    return out;
}

/* The steps as radio buttons, and every method they name (in ladder order, once). */
static void ladder_choices(json_t *ladder, const char *step, json_t *methods, json_t **steps_out,
                           json_t **methods_out, json_t **known)
{
    json_t *steps = json_array(), *choices = json_array(), *none = json_array();
    *known = json_array();
    size_t i, j;
    json_t *s, *m;
    json_array_foreach(ladder, i, s) {
        const char *id = str(s, "id");
        json_t *names = json_object_get(s, "methods");
        json_array_append_new(steps, json_pack("{s:s, s:O, s:O, s:o, s:b}", "id", id, "name",
                                               json_object_get(s, "name"), "explanation",
                                               json_object_get(s, "explanation"), "methods_text",
                                               others_text(names, none), "checked",
                                               step && strcmp(step, id) == 0));
        json_array_foreach(names, j, m) {
            if (!json_is_string(m) || json_list_has(*known, json_string_value(m)))
                continue;
            json_array_append(*known, m);
            json_array_append_new(choices,
                                  json_pack("{s:O, s:I, s:b}", "value", m, "n",
                                            (json_int_t)json_array_size(*known), "checked",
                                            json_list_has(methods, json_string_value(m))));
        }
    }
    json_decref(none);
    *steps_out = steps;
    *methods_out = choices;
}

/* Phase rows: the given ones and BLANK_PHASES empty rows (at most PROCESS_PHASES_MAX + 3). */
static json_t *phase_rows(json_t *phases)
{
    json_t *rows = json_array();
    size_t i, n = json_array_size(phases);
    json_t *p;
    json_array_foreach(phases, i, p)
        json_array_append_new(rows, json_pack("{s:I, s:O?, s:O?, s:O?}", "n", (json_int_t)i + 1,
                                              "name", json_object_get(p, "name"), "starts_on",
                                              json_object_get(p, "starts_on"), "ends_on",
                                              json_object_get(p, "ends_on")));
    for (size_t k = 0; k < BLANK_PHASES && n + k < PROCESS_PHASES_MAX + BLANK_PHASES; k++)
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s}", "n",
                                              (json_int_t)(n + k + 1), "name", "", "starts_on",
                                              "", "ends_on", ""));
    return rows;
}

/* A number of the record as form text (a refused text stays as typed). */
static json_t *number_text(pv_req *r, json_t *v)
{
    if (json_is_string(v))
        return json_incref(v);
    if (json_is_integer(v)) {
        char text[32];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        return json_string(text);
    }
    return portfolio_number_text(r, v);
}

static json_t *text_or_empty(json_t *v)
{
    return json_is_string(v) ? json_incref(v) : json_string("");
}

/* The view-model of the form from rec (a record or a refused input), with errors. */
static int process_form(pv_req *r, const char *id, json_t *rec, json_t *errors, json_t **vm_out)
{
    json_t *ladder, *plans;
    if (store_ladder(r->w->db, &ladder) != 0)
        return 500;
    if (store_plan_names(r->w->db, &plans) != 0) {
        json_decref(ladder);
        return 500;
    }
    json_t *known_groups, *known_methods, *steps, *methods;
    json_t *groups = council_choices(json_object_get(rec, "target_groups"), &known_groups);
    ladder_choices(ladder, str(rec, "ladder_step_id"), json_object_get(rec, "methods"), &steps,
                   &methods, &known_methods);
    json_t *plan_options = portfolio_options(plans, "id", "name", str(rec, "plan_id"));
    json_array_insert_new(plan_options, 0,
                          json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                    T(r, "Ingen plan"), "selected", !str(rec, "plan_id")));
    json_t *values = json_object();
    static const char *const texts[] = {"title", "purpose", "can_influence", "cannot_influence",
                                        "opens_on", "deadline_on", "communication_plan",
                                        "evaluation_plan", "summary"};
    for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++)
        json_object_set_new(values, texts[i], text_or_empty(json_object_get(rec, texts[i])));
    json_object_set_new(values, "other_groups",
                        others_text(json_object_get(rec, "target_groups"), known_groups));
    json_object_set_new(values, "other_methods",
                        others_text(json_object_get(rec, "methods"), known_methods));
    json_object_set_new(values, "themes", process_lines_text(json_object_get(rec, "themes")));
    json_object_set_new(values, "areas", process_lines_text(json_object_get(rec, "areas")));
    json_object_set_new(values, "hours_spent", number_text(r, json_object_get(rec, "hours_spent")));
    json_object_set_new(values, "cost_spent", number_text(r, json_object_get(rec, "cost_spent")));
    json_object_set_new(values, "publish_at_once",
                        json_boolean(json_is_true(json_object_get(rec, "publish_at_once"))));
    json_t *vm = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "is_new", id == NULL,
                           "values", values, "councils", groups, "steps", steps, "methods",
                           methods, "plans", plan_options, "phases",
                           phase_rows(json_object_get(rec, "phases")));
    json_decref(known_groups);
    json_decref(known_methods);
    json_decref(ladder);
    json_decref(plans);
    if (id) {
        int status = 0;
        json_t *head = process_head(r, id, &status);
        if (!head) {
            json_decref(vm);
            return status;
        }
        const char *now = str(head, "status");
        const char *next[5];
        size_t n = process_next_statuses(now, next);
        json_t *buttons = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(buttons, json_pack("{s:s, s:s}", "value", next[i], "label",
                                                     process_status_label(r, next[i])));
        json_object_set_new(head, "next_statuses", buttons);
        json_object_set_new(head, "has_next", json_boolean(n > 0));
        char url[200];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s/status", id);
        json_object_set_new(head, "status_url", json_string(url));
        json_object_set_new(vm, "process", head);
        json_object_set_new(vm, "action", json_string(str(head, "edit_url")));
    } else {
        json_object_set_new(vm, "action", json_string("/arbeid/prosesser/ny"));
    }
    process_form_errors(r, vm, errors, "f-");
    json_object_set_new(vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    json_object_set_new(vm, "created", json_boolean(portfolio_flag(r, "opprettet")));
    json_object_set_new(vm, "status_changed", json_boolean(portfolio_flag(r, "status")));
    *vm_out = vm;
    return 0;
}

/* The lists of checkboxes name plus the lines of the text field other. */
static json_t *checked_and_lines(pv_req *r, const char *name, const char *other)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->form.n; i++)
        if (strcmp(r->form.items[i].key, name) == 0 && r->form.items[i].value[0])
            json_array_append_new(list, json_string(r->form.items[i].value));
    json_t *lines = process_lines(url_query_get(&r->form, other));
    json_array_extend(list, lines);
    json_decref(lines);
    return list;
}

static json_t *form_phases(pv_req *r)
{
    json_t *phases = json_array();
    for (int i = 1; i <= PROCESS_PHASES_MAX + BLANK_PHASES; i++) {
        char name[32], start[32], end[32];
        snprintf(name, sizeof name, "phase_name_%d", i);
        snprintf(start, sizeof start, "phase_start_%d", i);
        snprintf(end, sizeof end, "phase_end_%d", i);
        json_t *p = json_pack("{s:o, s:o, s:o}", "name", process_form_text(r, name), "starts_on",
                              process_form_text(r, start), "ends_on", process_form_text(r, end));
        bool empty = json_is_null(json_object_get(p, "name")) &&
                     json_is_null(json_object_get(p, "starts_on")) &&
                     json_is_null(json_object_get(p, "ends_on"));
        if (json_is_null(json_object_get(p, "name")))
            json_object_set_new(p, "name", json_string(""));
        if (empty)
            json_decref(p);
        else
            json_array_append_new(phases, p);
    }
    return phases;
}

/* The input object of the submitted form (editing adds the fields of a running process). */
static json_t *form_input(pv_req *r, bool editing)
{
    const char *title = url_query_get(&r->form, "title");
    json_t *in = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
                           "title", title ? title : "", "purpose", process_form_text(r, "purpose"),
                           "can_influence", process_form_text(r, "can_influence"),
                           "cannot_influence", process_form_text(r, "cannot_influence"),
                           "target_groups", checked_and_lines(r, "target_groups", "other_groups"),
                           "methods", checked_and_lines(r, "methods", "other_methods"), "themes",
                           process_lines(url_query_get(&r->form, "themes")), "areas",
                           process_lines(url_query_get(&r->form, "areas")), "phases",
                           form_phases(r), "opens_on", process_form_text(r, "opens_on"),
                           "deadline_on", process_form_text(r, "deadline_on"), "ladder_step_id",
                           process_form_text(r, "ladder_step_id"), "plan_id",
                           process_form_text(r, "plan_id"), "publish_at_once",
                           url_query_get(&r->form, "publish_at_once") != NULL);
    if (editing) {
        json_object_set_new(in, "communication_plan", process_form_text(r, "communication_plan"));
        json_object_set_new(in, "evaluation_plan", process_form_text(r, "evaluation_plan"));
        json_object_set_new(in, "summary", process_form_text(r, "summary"));
        json_object_set_new(in, "hours_spent", form_decimal(r, "hours_spent"));
        json_object_set_new(in, "cost_spent", process_form_integer(r, "cost_spent"));
    }
    return in;
}

static int form_reply(pv_req *r, const char *id, json_t *rec, json_t *errors, int status,
                      json_t **vm)
{
    int rc = process_form(r, id, rec, errors, vm);
    return rc ? rc : status;
}

int page_staff_process_new(pv_req *r, json_t **vm)
{
    json_t *rec = json_pack("{s:[], s:[], s:[], s:[], s:[]}", "target_groups", "methods",
                            "themes", "areas", "phases");
    json_t *errors = json_array();
    int status = form_reply(r, NULL, rec, errors, 200, vm);
    json_decref(rec);
    json_decref(errors);
    return status;
}

int page_staff_process_create(pv_req *r, json_t **vm)
{
    json_t *in = form_input(r, false), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    int rc = store_process_create(r->w->db, &who, session_now(), in, errors, &id);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s?opprettet=1", buf_cstr(&id));
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = form_reply(r, NULL, in, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    buf_finish(&id);
    json_decref(in);
    json_decref(errors);
    return status;
}

int page_staff_process_edit(pv_req *r, json_t **vm)
{
    json_t *rec;
    int rc = store_process_record(r->w->db, r->params[0], &rec);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *errors = json_array();
    int status = form_reply(r, r->params[0], rec, errors, 200, vm);
    json_decref(errors);
    json_decref(rec);
    return status;
}

int page_staff_process_save(pv_req *r, json_t **vm)
{
    json_t *in = form_input(r, true), *errors = json_array();
    actor who = portfolio_actor(r);
    int rc = store_process_update(r->w->db, &who, session_now(), r->params[0], in, errors);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s?lagret=1", r->params[0]);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = form_reply(r, r->params[0], in, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(in);
    json_decref(errors);
    return status;
}

int page_staff_process_status(pv_req *r, json_t **vm)
{
    json_t *errors = json_array();
    actor who = portfolio_actor(r);
    int rc = store_process_set_status(r->w->db, &who, session_now(), r->params[0],
                                      url_query_get(&r->form, "status"), errors);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s?status=1", r->params[0]);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        json_t *rec;
        rc = store_process_record(r->w->db, r->params[0], &rec);
        status = rc ? portfolio_status(rc) : form_reply(r, r->params[0], rec, errors, 422, vm);
        if (rc == 0)
            json_decref(rec);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(errors);
    return status;
}
