/* Measures (tiltak): the public page /tiltak/{id} (for a signed-in user also the reports of
 * open periods, marked «foreløpig»), the staff form (/arbeid/planer/{slug}/tiltak/ny and
 * /arbeid/tiltak/{id}), and the API (units, the list, one measure, create and change).
 * Layer: pages. A form and a JSON body become the same input and go through the same checks
 * (domain/measure.h, then store/measures.h inside the write's transaction). Who may call what
 * is declared in web/routes_followup.inc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "domain/assessment.h"
#include "domain/costs.h"
#include "domain/followup.h"
#include "domain/measure.h"
#include "pages/followup.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/measures.h"
#include "web/session.h"

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

bool measure_unit_member(pv_req *r)
{
    return r->user && r->n_params > 0 && plan_id_valid(r->params[0]) &&
           store_measure_unit_member(r->w->db, r->params[0], r->user->id);
}

static bool may_edit(pv_req *r, const char *id)
{
    return r->user && ((r->user->roles & MEASURE_EDIT_ROLES) ||
                       store_measure_unit_member(r->w->db, id, r->user->id));
}

/* ---------------------------------------------------------------- the page */

static json_t *amount_label(json_t *amount)
{
    if (!json_is_integer(amount))
        return json_null();
    char text[32];
    costs_format(json_integer_value(amount), text, sizeof text);
    return json_string(text);
}

static void costs_view(json_t *m)
{
    json_t *costs = json_object_get(m, "costs");
    long long sum = 0;
    size_t i;
    json_t *c;
    json_array_foreach(costs, i, c) {
        json_object_set_new(c, "amount_label", amount_label(json_object_get(c, "amount")));
        sum += json_integer_value(json_object_get(c, "amount"));
    }
    char text[32];
    costs_format(sum, text, sizeof text);
    json_object_set_new(m, "has_costs", json_boolean(json_array_size(costs) > 0));
    json_object_set_new(m, "cost_sum_label", json_string(text));
}

static void reports_view(pv_req *r, json_t *m)
{
    json_t *reports = json_object_get(m, "reports");
    size_t i;
    json_t *rep;
    json_array_foreach(reports, i, rep) {
        int kind = followup_period_kind_parse(str(rep, "period"));
        const char *label = kind >= 0 ? followup_period_label((enum period_kind)kind) : NULL;
        char text[64];
        snprintf(text, sizeof text, "%s %lld", label ? T(r, label) : str(rep, "period"),
                 (long long)json_integer_value(json_object_get(rep, "year")));
        json_object_set_new(rep, "period_label", json_string(text));
        const char *status = followup_status_label(str(rep, "status"));
        json_object_set_new(rep, "status_label", json_string(status ? T(r, status) : ""));
        json_object_set_new(rep, "provisional", json_boolean(!json_is_true(json_object_get(rep, "closed"))));
        json_t *progress = json_object_get(rep, "progress"); /* 0 % is a figure, not nothing */
        if (json_is_integer(progress)) {
            snprintf(text, sizeof text, "%lld %%", (long long)json_integer_value(progress));
            json_object_set_new(rep, "progress_text", json_string(text));
        }
    }
    json_object_set_new(m, "has_reports", json_boolean(json_array_size(reports) > 0));
    json_t *latest = json_array_get(reports, 0); /* newest first */
    json_object_set_new(m, "latest_status", latest ? json_deep_copy(latest) : json_null());
}

static void sdgs_view(pv_req *r, json_t *m)
{
    json_t *list = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(m, "sdgs"), i, n) {
        json_int_t k = json_integer_value(n);
        if (k >= 1 && k <= MEASURE_SDG_COUNT)
            json_array_append_new(list, json_pack("{s:I, s:s}", "number", k, "name",
                                                  T(r, measure_sdg_names[k - 1])));
    }
    json_object_set_new(m, "sdg_list", list);
    json_object_set_new(m, "has_sdgs", json_boolean(json_array_size(list) > 0));
}

static void inputs_view(pv_req *r, json_t *m)
{
    size_t i;
    json_t *in;
    json_array_foreach(json_object_get(m, "inputs"), i, in) {
        const char *label = assessment_outcome_label(str(in, "outcome"));
        json_object_set_new(in, "outcome_label", json_string(label ? T(r, label) : ""));
        json_t *p = json_object_get(in, "process");
        char url[200];
        snprintf(url, sizeof url, "/medvirkning/%s", str(p, "id"));
        json_object_set_new(p, "url", json_string(url));
    }
    json_object_set_new(m, "has_inputs", json_boolean(json_array_size(json_object_get(m, "inputs")) > 0));
}

static void goals_view(json_t *m)
{
    json_t *goal = json_object_get(m, "goal");
    char url[200];
    if (json_is_object(goal)) {
        snprintf(url, sizeof url, "/mal#mal-%s", str(goal, "id"));
        json_object_set_new(goal, "url", json_string(url));
    }
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(m, "plan_goals"), i, g) {
        snprintf(url, sizeof url, "/mal#mal-%s", str(g, "id"));
        json_object_set_new(g, "url", json_string(url));
    }
    json_object_set_new(m, "has_plan_goals",
                        json_boolean(!json_is_object(goal) &&
                                     json_array_size(json_object_get(m, "plan_goals")) > 0));
}

int page_measure(pv_req *r, json_t **vm)
{
    const char *id = r->params[0];
    if (!plan_id_valid(id))
        return 404;
    bool staff = r->user != NULL;
    json_t *m;
    int rc = store_measure_get(r->w->db, id, staff, &m);
    if (rc != 0)
        return portfolio_status(rc);
    char url[200];
    json_t *plan = json_object_get(m, "plan");
    snprintf(url, sizeof url, "/planer/%s", str(plan, "id"));
    json_object_set_new(plan, "url", json_string(url));
    json_t *area = json_object_get(m, "focus_area");
    if (json_is_object(area)) {
        snprintf(url, sizeof url, "/planer/%s#tiltak-%s", str(plan, "id"), id);
        json_object_set_new(area, "url", json_string(url));
    }
    const char *type = measure_type_label(str(m, "type"));
    json_object_set_new(m, "type_label", type ? json_string(T(r, type)) : json_null());
    json_object_set_new(m, "description_lines", page_lines(str(m, "description")));
    costs_view(m);
    reports_view(r, m);
    sdgs_view(r, m);
    inputs_view(r, m);
    goals_view(m);
    json_t *latest = json_object_get(m, "latest_status");
    json_object_set_new(m, "overdue",
                        json_boolean(followup_overdue(str(m, "deadline"), str(latest, "status"),
                                                      pv_date_of(session_now()))));
    json_object_set_new(m, "has_units", json_boolean(json_array_size(json_object_get(m, "units")) > 0));
    json_object_set_new(m, "has_partners",
                        json_boolean(json_array_size(json_object_get(m, "partners")) > 0));
    json_t *out = json_pack("{s:o, s:b}", "measure", m, "staff", staff);
    if (may_edit(r, id)) {
        snprintf(url, sizeof url, "/arbeid/tiltak/%s", id);
        json_object_set_new(out, "edit_url", json_string(url));
    }
    *vm = out;
    return 200;
}

/* ---------------------------------------------------------------- the staff form */

#define GRID_EXTRA 2 /* empty rows of the cost grid */
#define GRID_MAX (MEASURE_COSTS_MAX + GRID_EXTRA)

typedef struct label {
    const char *field, *msgid;
} label;

static const label labels[] = {
    {"title", N_("Tittel")},
    {"description", N_("Beskrivelse")},
    {"focus_area_id", N_("Satsingsområde")},
    {"unit_ids", N_("Ansvarlige enheter")},
    {"partners", N_("Samarbeidspartnere")},
    {"deadline", N_("Frist")},
    {"priority", N_("Prioritet")},
    {"type", N_("Type")},
    {"sdgs", N_("Bærekraftsmål")},
    {"goal_id", N_("Mål")},
    {"costs", N_("Kostnader")},
};

static const char *field_label(pv_req *r, const char *field)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].field, field) == 0)
            return T(r, labels[i].msgid);
    return T(r, "Kostnader");
}

/* "costs.2.amount" → row 2, part "amount"; false for other fields. */
static bool cost_field(const char *field, size_t *row, const char **part)
{
    if (strncmp(field, "costs.", 6) != 0)
        return false;
    char *end;
    unsigned long n = strtoul(field + 6, &end, 10);
    if (*end != '.')
        return false;
    *row = n;
    *part = end + 1;
    return true;
}

/* errors → vm.errors (summary), vm.err {field: message}; cost rows get theirs in rows. */
static void form_errors(pv_req *r, json_t *vm, json_t *errors, json_t *rows)
{
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field");
        json_t *message = page_error_message(r, e);
        char anchor[80], label_text[200];
        size_t row;
        const char *part;
        if (cost_field(field, &row, &part)) {
            snprintf(anchor, sizeof anchor, "f-cost-%s-%zu", part, row);
            snprintf(label_text, sizeof label_text, "%s, %s %zu", T(r, "Kostnader"),
                     T(r, "rad"), row + 1);
            json_t *cells = json_array_get(rows, row);
            if (cells) {
                char key[32];
                snprintf(key, sizeof key, "err_%s", part);
                json_object_set(cells, key, message);
            }
        } else {
            snprintf(anchor, sizeof anchor, "f-%s", field);
            snprintf(label_text, sizeof label_text, "%s", field_label(r, field));
            json_object_set(by_field, field, message);
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "field", field, "label",
                                              label_text, "message", message, "anchor", anchor));
    }
    json_object_set_new(vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(vm, "errors", list);
    json_object_set_new(vm, "err", by_field);
}

/* An amount as the form shows it: digits without grouping, "" for null. */
static json_t *amount_text_of(json_t *amount)
{
    return portfolio_value_text(amount);
}

/* The form's texts of a stored record. */
static json_t *record_values(json_t *rec)
{
    json_t *v = json_object();
    static const char *const texts[] = {"title", "description", "deadline", "type", "goal_id"};
    for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++)
        json_object_set_new(v, texts[i], json_string(str(rec, texts[i]) ? str(rec, texts[i]) : ""));
    json_object_set_new(v, "focus_area_id", portfolio_value_text(json_object_get(rec, "focus_area_id")));
    json_object_set_new(v, "priority", portfolio_value_text(json_object_get(rec, "priority")));
    buf partners = BUF_INIT;
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(rec, "partners"), i, p)
        buf_printf(&partners, "%s%s", i ? "\n" : "", json_string_value(p));
    json_object_set_new(v, "partners", json_string(buf_cstr(&partners)));
    buf_finish(&partners);
    json_object_set(v, "unit_ids", json_object_get(rec, "unit_ids"));
    json_t *sdgs = json_array();
    json_array_foreach(json_object_get(rec, "sdgs"), i, p) {
        char n[8];
        snprintf(n, sizeof n, "%lld", (long long)json_integer_value(p));
        json_array_append_new(sdgs, json_string(n));
    }
    json_object_set_new(v, "sdgs", sdgs);
    json_t *rows = json_array(), *c;
    json_array_foreach(json_object_get(rec, "costs"), i, c) {
        json_t *note = json_object_get(c, "note");
        json_array_append_new(rows, json_pack("{s:o, s:o, s:s}", "year",
                                              portfolio_value_text(json_object_get(c, "year")),
                                              "amount", amount_text_of(json_object_get(c, "amount")),
                                              "note", json_is_string(note) ? json_string_value(note) : ""));
    }
    json_object_set_new(v, "costs", rows);
    return v;
}

/* The texts of the submitted form, for showing it again. */
static json_t *sent_values(pv_req *r)
{
    json_t *v = json_object();
    static const char *const texts[] = {"title", "description", "deadline", "type", "goal_id",
                                        "focus_area_id", "priority", "partners"};
    for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++) {
        const char *t = url_query_get(&r->form, texts[i]);
        json_object_set_new(v, texts[i], json_string(t ? t : ""));
    }
    json_t *units = json_array(), *sdgs = json_array(), *rows = json_array();
    for (size_t i = 0; i < r->form.n; i++) {
        if (strcmp(r->form.items[i].key, "unit_ids") == 0)
            json_array_append_new(units, json_string(r->form.items[i].value));
        else if (strcmp(r->form.items[i].key, "sdgs") == 0)
            json_array_append_new(sdgs, json_string(r->form.items[i].value));
    }
    for (size_t i = 0; i < GRID_MAX; i++) {
        char y[32], a[32], n[32];
        snprintf(y, sizeof y, "cost_year_%zu", i);
        snprintf(a, sizeof a, "cost_amount_%zu", i);
        snprintf(n, sizeof n, "cost_note_%zu", i);
        const char *yv = url_query_get(&r->form, y), *av = url_query_get(&r->form, a),
                   *nv = url_query_get(&r->form, n);
        if (!yv && !av && !nv)
            break;
        if (blank(yv) && blank(av) && blank(nv))
            continue; /* as measure_costs_from_grid: the errors' row numbers match */
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "year", yv ? yv : "",
                                              "amount", av ? av : "", "note", nv ? nv : ""));
    }
    json_object_set_new(v, "unit_ids", units);
    json_object_set_new(v, "sdgs", sdgs);
    json_object_set_new(v, "costs", rows);
    return v;
}

/* A whole number of a form field: "" → null, digits → the number, else the text. */
static json_t *form_number(const char *text)
{
    json_t *v = measure_amount_parse(text ? text : "");
    if (json_is_integer(v) && strchr(text, ' ')) { /* "1 2" is no priority or id */
        json_decref(v);
        return json_string(text);
    }
    return v;
}

/* The input object of the submitted form (values: as sent_values made it). */
static json_t *form_input(json_t *values)
{
    json_t *in = json_object();
    json_object_set(in, "title", json_object_get(values, "title"));
    json_object_set(in, "description", json_object_get(values, "description"));
    static const char *const choices[] = {"deadline", "type", "goal_id"};
    for (size_t i = 0; i < PV_ARRAY_LEN(choices); i++) {
        const char *t = str(values, choices[i]);
        json_object_set_new(in, choices[i], t && *t ? json_string(t) : json_null());
    }
    json_object_set_new(in, "focus_area_id", form_number(str(values, "focus_area_id")));
    json_object_set_new(in, "priority", form_number(str(values, "priority")));
    json_t *partners = json_array();
    const char *p = str(values, "partners");
    while (p && *p) {
        size_t n = strcspn(p, "\r\n");
        json_array_append_new(partners, json_stringn(p, n));
        p += n;
        while (*p == '\r' || *p == '\n')
            p++;
    }
    json_object_set_new(in, "partners", partners);
    json_object_set(in, "unit_ids", json_object_get(values, "unit_ids"));
    json_t *sdgs = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(values, "sdgs"), i, s)
        json_array_append_new(sdgs, form_number(json_string_value(s)));
    json_object_set_new(in, "sdgs", sdgs);
    json_t *rows = json_object_get(values, "costs");
    size_t n = json_array_size(rows);
    const char **years = pv_calloc(n + 1, sizeof *years), **amounts = pv_calloc(n + 1, sizeof *amounts),
               **notes = pv_calloc(n + 1, sizeof *notes);
    json_t *row;
    json_array_foreach(rows, i, row) {
        years[i] = str(row, "year");
        amounts[i] = str(row, "amount");
        notes[i] = str(row, "note");
    }
    json_object_set_new(in, "costs", measure_costs_from_grid(years, amounts, notes, n));
    free(years);
    free(amounts);
    free(notes);
    return in;
}

static json_t *checked_options(json_t *rows, const char *value_key, const char *label_key,
                               json_t *chosen)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *value = portfolio_value_text(json_object_get(row, value_key));
        json_array_append_new(out, json_pack("{s:o, s:O, s:b, s:I}", "value", value, "label",
                                             json_object_get(row, label_key), "checked",
                                             json_list_has(chosen, json_string_value(value)),
                                             "index", (json_int_t)i));
    }
    return out;
}

static json_t *with_none(pv_req *r, json_t *options, const char *selected)
{
    json_array_insert_new(options, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                T(r, "Ikke valgt"), "selected",
                                                !selected || !*selected));
    return options;
}

/* The form's options for plan_id and the chosen values. */
static int form_options(pv_req *r, const char *plan_id, json_t *values, json_t **out)
{
    json_t *c;
    int rc = store_measure_choices(r->w->db, plan_id, &c);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *types = json_array();
    for (size_t i = 0; measure_types[i]; i++)
        json_array_append_new(types, json_pack("{s:s, s:s, s:b}", "value", measure_types[i],
                                               "label", T(r, measure_type_label(measure_types[i])),
                                               "selected", str(values, "type") &&
                                               strcmp(str(values, "type"), measure_types[i]) == 0));
    json_t *sdgs = json_array();
    for (int i = 0; i < MEASURE_SDG_COUNT; i++) {
        char n[8];
        snprintf(n, sizeof n, "%d", i + 1);
        json_array_append_new(sdgs, json_pack("{s:s, s:i, s:s, s:b}", "value", n, "number",
                                              i + 1, "name", T(r, measure_sdg_names[i]),
                                              "checked",
                                              json_list_has(json_object_get(values, "sdgs"), n)));
    }
    *out = json_pack(
        "{s:O, s:o, s:o, s:o, s:o, s:o}", "plan_name", json_object_get(c, "plan_name"),
        "focus_areas",
        with_none(r, portfolio_options(json_object_get(c, "focus_areas"), "id", "name",
                                       str(values, "focus_area_id")),
                  str(values, "focus_area_id")),
        "units", checked_options(json_object_get(c, "units"), "id", "name",
                                 json_object_get(values, "unit_ids")),
        "types", with_none(r, types, str(values, "type")), "goals",
        with_none(r, portfolio_options(json_object_get(c, "goals"), "id", "text",
                                       str(values, "goal_id")),
                  str(values, "goal_id")),
        "sdgs", sdgs);
    json_decref(c);
    return 0;
}

/* The rows of the cost grid: the values' rows and GRID_EXTRA empty ones. */
static json_t *grid_rows(json_t *values)
{
    json_t *rows = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(values, "costs"), i, row) {
        json_t *copy = json_deep_copy(row);
        json_object_set_new(copy, "index", json_integer((json_int_t)i));
        json_object_set_new(copy, "row", json_integer((json_int_t)i + 1));
        json_array_append_new(rows, copy);
    }
    for (size_t k = 0; k < GRID_EXTRA && json_array_size(rows) < GRID_MAX; k++)
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I, s:I}", "year", "", "amount",
                                              "", "note", "", "index",
                                              (json_int_t)json_array_size(rows), "row",
                                              (json_int_t)json_array_size(rows) + 1));
    return rows;
}

/* The view-model of the form. id: the measure (NULL for a new one of plan_id). */
static int measure_form(pv_req *r, const char *plan_id, const char *plan_name, const char *id,
                        json_t *values, json_t *errors, int status, json_t **vm_out)
{
    json_t *options = NULL;
    int rc = form_options(r, plan_id, values, &options);
    if (rc != 0)
        return rc;
    if (!plan_name)
        plan_name = str(options, "plan_name");
    json_t *rows = grid_rows(values);
    char url[240];
    json_t *vm = json_pack("{s:b, s:O, s:o, s:o, s:{s:s, s:s}}", "is_new", id == NULL,
                           "values", values, "options", options, "rows", rows, "plan", "id",
                           plan_id, "name", plan_name ? plan_name : plan_id);
    snprintf(url, sizeof url, "/planer/%s", plan_id);
    json_object_set_new(json_object_get(vm, "plan"), "url", json_string(url));
    if (id) {
        snprintf(url, sizeof url, "/arbeid/tiltak/%s", id);
        json_object_set_new(vm, "action", json_string(url));
        snprintf(url, sizeof url, "/tiltak/%s", id);
        json_object_set_new(vm, "measure", json_pack("{s:s, s:s}", "id", id, "url", url));
    } else {
        snprintf(url, sizeof url, "/arbeid/planer/%s/tiltak/ny", plan_id);
        json_object_set_new(vm, "action", json_string(url));
    }
    form_errors(r, vm, errors, rows);
    *vm_out = vm;
    return status;
}

int page_staff_measure_new(pv_req *r, json_t **vm)
{
    const char *plan_id = r->params[0];
    if (!plan_id_valid(plan_id))
        return 404;
    json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[]}",
                               "title", "", "description", "", "deadline", "", "type", "tiltak",
                               "goal_id", "", "focus_area_id", "", "priority", "", "partners",
                               "", "unit_ids", "sdgs", "costs");
    json_t *errors = json_array();
    int status = measure_form(r, plan_id, NULL, NULL, values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    return status;
}

int page_staff_measure_create(pv_req *r, json_t **vm)
{
    const char *plan_id = r->params[0];
    if (!plan_id_valid(plan_id))
        return 404;
    json_t *values = sent_values(r), *input = form_input(values), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    int rc = store_measure_create(r->w->db, &who, session_now(), plan_id, input, errors, &id);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/tiltak/%s", buf_cstr(&id));
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = measure_form(r, plan_id, NULL, NULL, values, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    buf_finish(&id);
    json_decref(values);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_staff_measure_edit(pv_req *r, json_t **vm)
{
    json_t *rec;
    int rc = store_measure_record(r->w->db, r->params[0], &rec);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = record_values(rec), *errors = json_array();
    json_object_set_new(values, "title_was", json_string(str(rec, "title")));
    int status = measure_form(r, str(rec, "plan_id"), NULL, r->params[0], values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    json_decref(rec);
    return status;
}

int page_staff_measure_save(pv_req *r, json_t **vm)
{
    json_t *rec;
    int rc = store_measure_record(r->w->db, r->params[0], &rec);
    if (rc != 0)
        return portfolio_status(rc);
    json_t *values = sent_values(r), *input = form_input(values), *errors = json_array();
    actor who = portfolio_actor(r);
    rc = store_measure_update(r->w->db, &who, session_now(), r->params[0], input, errors);
    int status;
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/tiltak/%s", r->params[0]);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = measure_form(r, str(rec, "plan_id"), NULL, r->params[0], values, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(values);
    json_decref(input);
    json_decref(errors);
    json_decref(rec);
    return status;
}

/* ---------------------------------------------------------------- the API */

int page_api_units(pv_req *r, json_t **vm)
{
    json_t *units;
    int rc = store_units(r->w->db, &units);
    if (rc != 0)
        return portfolio_status(rc);
    *vm = json_pack("{s:o}", "units", units);
    return 200;
}

int page_api_measures(pv_req *r, json_t **vm)
{
    const char *plan = url_query_get(&r->query, "plan"), *unit = url_query_get(&r->query, "enhet");
    if ((plan && *plan && !plan_id_valid(plan)) || (unit && *unit && !plan_id_valid(unit))) {
        r->error = T(r, "Filtrene plan og enhet tar en id med små bokstaver a–z, sifre og bindestrek.");
        return 400;
    }
    json_t *list;
    int rc = store_measures_list(r->w->db, plan && *plan ? plan : NULL,
                                 unit && *unit ? unit : NULL, r->user != NULL, &list);
    if (rc != 0)
        return portfolio_status(rc);
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        char url[200];
        snprintf(url, sizeof url, "/tiltak/%s", str(m, "id"));
        json_object_set_new(m, "url", json_string(url));
    }
    *vm = json_pack("{s:o}", "measures", list);
    return 200;
}

/* The measure's view-model (as GET /api/v1/measures/{id}) for the measure just written. */
static int measure_detail(pv_req *r, const char *id, json_t **vm)
{
    if (r->n_params == 0) {
        r->params[0] = pv_strdup(id);
        r->n_params = 1;
    } else if (strcmp(r->params[0], id) != 0) {
        free(r->params[0]);
        r->params[0] = pv_strdup(id);
    }
    return page_measure(r, vm);
}

int page_api_measure_create(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    buf id = BUF_INIT;
    int rc = store_measure_create(r->w->db, &who, session_now(), r->params[0], input, errors,
                                  &id);
    status = portfolio_api_created(r, rc, errors, "/api/v1/measures/", buf_cstr(&id), measure_detail, vm);
    buf_finish(&id);
    json_decref(input);
    json_decref(errors);
    return status;
}

int page_api_measure_update(pv_req *r, json_t **vm)
{
    int status = page_needs_json(r);
    if (status)
        return status;
    json_t *input = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    int rc = store_measure_update(r->w->db, &who, session_now(), r->params[0], input, errors);
    status = portfolio_api_changed(r, rc, errors, measure_detail, vm);
    json_decref(input);
    json_decref(errors);
    return status;
}
