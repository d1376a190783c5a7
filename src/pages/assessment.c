/* The staff's assessment of inputs: one input's page (the input, its current assessment and
 * history, and the form), the page that assesses several chosen inputs together, and the
 * assessments API.
 * Layer: pages. A form and a JSON body become the same assessment object
 * (domain/assessment.h), which store/assessments.h checks and writes in one transaction.
 * Contact data appear on these staff pages only. */
#include "pages/assessment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/assessment.h"
#include "domain/input.h"
#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "pages/processes.h"
#include "pages/staff_inputs.h"
#include "store/assessments.h"
#include "store/inputs_staff.h"
#include "web/session.h"

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static const char *field_label(pv_req *r, const char *field)
{
    static const struct {
        const char *field, *label;
    } labels[] = {
        {"input_ids", N_("Innspillene")},       {"outcome", N_("Utfall")},
        {"justification", N_("Begrunnelse")},   {"summary", N_("Sammendrag")},
        {"themes", N_("Tema")},                 {"measure_ids", N_("Tiltak")},
        {"focus_area_ids", N_("Satsingsområder")},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].field, field) == 0)
            return T(r, labels[i].label);
    return field;
}

/* ---------------------------------------------------------------- the process and inputs */

/* An input row (store/inputs_staff.h) as the page shows it. */
static json_t *input_view(pv_req *r, json_t *row, const char *process_id)
{
    json_t *v = json_deep_copy(row);
    char url[300];
    snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/%lld/vurdering", process_id,
             (long long)json_integer_value(json_object_get(row, "id")));
    json_object_set_new(v, "assessment_url", json_string(url));
    json_object_set_new(v, "paragraphs", staff_inputs_paragraphs(str(row, "text")));
    json_object_set_new(v, "channel_label",
                        json_string(T(r, input_channel_label(str(row, "channel")))));
    json_object_set_new(v, "sender_label",
                        json_string(T(r, input_sender_label(str(row, "sender_type")))));
    json_object_set_new(v, "status_label",
                        json_string(staff_input_status_label(r, str(row, "status"))));
    json_object_set_new(v, "outcome_label",
                        str(row, "outcome")
                            ? json_string(T(r, assessment_outcome_label(str(row, "outcome"))))
                            : json_null());
    json_object_set_new(v, "received_on", page_day(json_object_get(row, "received_at")));
    json_object_set_new(v, "has_themes",
                        json_boolean(json_array_size(json_object_get(row, "themes")) > 0));
    return v;
}

/* An assessment (store/assessments.h) as the page shows it. */
static json_t *assessment_view(pv_req *r, json_t *a)
{
    if (!json_is_object(a))
        return json_null();
    json_t *v = json_deep_copy(a);
    json_object_set_new(v, "outcome_label",
                        json_string(T(r, assessment_outcome_label(str(a, "outcome")))));
    json_object_set_new(v, "assessed_on", page_day(json_object_get(a, "assessed_at")));
    json_object_set_new(v, "group", json_boolean(json_array_size(json_object_get(a, "input_ids")) > 1));
    json_object_set_new(v, "has_themes",
                        json_boolean(json_array_size(json_object_get(a, "themes")) > 0));
    json_object_set_new(v, "has_links",
                        json_boolean(json_array_size(json_object_get(a, "measures")) +
                                         json_array_size(json_object_get(a, "focus_areas")) >
                                     0));
    return v;
}

/* ---------------------------------------------------------------- the form */

/* All values of key in the form (or the query), as strings. */
static json_t *form_list(const url_query *q, const char *key)
{
    json_t *out = json_array();
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->items[i].key, key) == 0)
            json_array_append_new(out, json_string(q->items[i].value));
    return out;
}

/* Form values as positive integers; a value that is not one is kept as a string, which the
 * rules refuse. */
static json_t *form_ids(const url_query *q, const char *key)
{
    json_t *out = json_array();
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->items[i].key, key) != 0)
            continue;
        long id;
        if (pv_parse_long(q->items[i].value, 1, 1L << 50, &id) == 0)
            json_array_append_new(out, json_integer(id));
        else
            json_array_append_new(out, json_string(q->items[i].value));
    }
    return out;
}

/* The assessment object of a submitted form; input_ids are set by the caller. */
static json_t *form_input(pv_req *r)
{
    json_t *in = json_object();
    static const char *const texts[] = {"outcome", "justification", "summary"};
    for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++) {
        const char *v = url_query_get(&r->form, texts[i]);
        json_object_set_new(in, texts[i], v ? json_string(v) : json_null());
    }
    json_object_set_new(in, "themes", form_list(&r->form, "themes"));
    json_object_set_new(in, "measure_ids", form_list(&r->form, "measure_ids"));
    json_object_set_new(in, "focus_area_ids", form_ids(&r->form, "focus_area_ids"));
    return in;
}

/* The start of text (at most ASSESSMENT_SUMMARY_PREFILL characters, cut at a word), as the
 * summary's first draft. */
static json_t *summary_prefill(const char *text)
{
    if (!text)
        return json_string("");
    size_t n = strlen(text), chars = 0, i = 0, cut = 0;
    while (i < n && chars < ASSESSMENT_SUMMARY_PREFILL) {
        unsigned char c = (unsigned char)text[i];
        size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        if (c == ' ' || c == '\n')
            cut = i;
        i += len;
        chars++;
    }
    if (i >= n)
        return json_string(text);
    if (cut == 0)
        cut = i;
    buf b = BUF_INIT;
    buf_append(&b, text, cut);
    buf_append(&b, " …", strlen(" …"));
    json_t *out = json_string(buf_cstr(&b));
    buf_finish(&b);
    return out;
}

/* Values for the form: from the current assessment, or fresh from the inputs. */
static json_t *values_from(json_t *current, json_t *inputs)
{
    if (json_is_object(current)) {
        json_t *measures = json_array(), *areas = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(current, "measures"), i, v)
            json_array_append(measures, json_object_get(v, "id"));
        json_array_foreach(json_object_get(current, "focus_areas"), i, v)
            json_array_append(areas, json_object_get(v, "id"));
        return json_pack("{s:O, s:s, s:s, s:O, s:o, s:o}", "outcome",
                         json_object_get(current, "outcome"), "justification",
                         str(current, "justification") ? str(current, "justification") : "",
                         "summary", str(current, "summary") ? str(current, "summary") : "",
                         "themes", json_object_get(current, "themes"), "measure_ids", measures,
                         "focus_area_ids", areas);
    }
    json_t *themes = json_array();
    size_t i, j;
    json_t *in, *t;
    json_array_foreach(inputs, i, in)
        json_array_foreach(json_object_get(in, "themes"), j, t)
            if (!json_list_has(themes, json_string_value(t)))
                json_array_append(themes, t);
    return json_pack("{s:n, s:s, s:o, s:o, s:[], s:[]}", "outcome", "justification", "",
                     "summary", summary_prefill(str(json_array_get(inputs, 0), "text")),
                     "themes", themes, "measure_ids", "focus_area_ids");
}

static bool list_has_value(json_t *list, json_t *v)
{
    size_t i;
    json_t *w;
    json_array_foreach(list, i, w)
        if (json_equal(w, v))
            return true;
    return false;
}

static json_t *form_options(pv_req *r, json_t *rec, json_t *values, json_t *links)
{
    json_t *outcomes = json_array();
    for (size_t i = 0; assessment_outcomes[i]; i++)
        json_array_append_new(
            outcomes, json_pack("{s:s, s:s, s:I, s:b}", "value", assessment_outcomes[i], "label",
                                T(r, assessment_outcome_label(assessment_outcomes[i])), "n",
                                (json_int_t)i, "selected",
                                str(values, "outcome") &&
                                    strcmp(str(values, "outcome"), assessment_outcomes[i]) == 0));
    json_t *themes = json_array();
    size_t i, j;
    json_t *v, *area, *m;
    json_array_foreach(json_object_get(rec, "themes"), i, v)
        json_array_append_new(themes, json_pack("{s:O, s:I, s:b}", "value", v, "n", (json_int_t)i,
                                                "selected",
                                                list_has_value(json_object_get(values, "themes"), v)));
    json_t *groups = json_deep_copy(links);
    json_int_t n = 0;
    json_array_foreach(groups, i, area) {
        bool loose = json_is_null(json_object_get(area, "id"));
        json_object_set_new(area, "loose", json_boolean(loose));
        json_object_set_new(area, "n", json_integer((json_int_t)i));
        if (!loose)
            json_object_set_new(area, "selected",
                                json_boolean(list_has_value(
                                    json_object_get(values, "focus_area_ids"),
                                    json_object_get(area, "id"))));
        json_array_foreach(json_object_get(area, "measures"), j, m) {
            json_object_set_new(m, "n", json_integer(n++));
            json_object_set_new(m, "selected",
                                json_boolean(list_has_value(json_object_get(values, "measure_ids"),
                                                            json_object_get(m, "id"))));
        }
    }
    return json_pack("{s:o, s:o, s:o, s:b, s:b}", "outcomes", outcomes, "themes", themes, "links",
                     groups, "has_themes", json_array_size(themes) > 0, "has_links",
                     json_array_size(groups) > 0);
}

/* Errors as the form shows them: a summary [{label, message, anchor}] and per field. */
static void form_errors(pv_req *r, json_t *vm, json_t *errors)
{
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field");
        json_t *message = page_error_message(r, e);
        char anchor[64];
        snprintf(anchor, sizeof anchor, "f-%s", field);
        if (!json_object_get(by_field, field))
            json_object_set(by_field, field, message);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:s}", "field", field, "label",
                                              field_label(r, field), "message", message,
                                              "anchor", anchor));
    }
    json_object_set_new(vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(vm, "errors", list);
    json_object_set_new(vm, "err", by_field);
}

/* The inputs of ids (an array of integers) of the process, as views; 404 when one is not
 * the process's (or not a number), 500 on a database error. */
static int load_inputs(pv_req *r, const char *process_id, json_t *ids, json_t **out)
{
    json_t *list = json_array();
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        json_t *row;
        int rc = json_is_integer(id) ? store_input_staff_get(r->w->db, process_id,
                                                              json_integer_value(id), &row)
                                     : PV_ENOTFOUND;
        if (rc != 0) {
            json_decref(list);
            return rc == PV_ENOTFOUND ? 404 : 500;
        }
        json_array_append_new(list, input_view(r, row, process_id));
        json_decref(row);
    }
    *out = list;
    return 0;
}

typedef struct assess_page {
    json_t *head, *rec;
    json_t *ids;    /* the input ids (integers) */
    json_t *inputs; /* their views */
    bool group;
} assess_page;

static void page_finish(assess_page *p)
{
    json_decref(p->head);
    json_decref(p->rec);
    json_decref(p->ids);
    json_decref(p->inputs);
}

/* The page's view-model. values: the form's values (taken over); errors: [] or the store's. */
static int page_vm(pv_req *r, assess_page *p, json_t *values, json_t *errors, json_t **vm)
{
    const char *pid = str(p->head, "id");
    json_t *links = NULL, *of = NULL;
    if (store_assessment_plan_links(r->w->db, pid, &links) != 0) {
        json_decref(values);
        return 500;
    }
    json_t *current = json_null(), *history = json_array();
    if (!p->group) {
        if (store_assessment_of_input(r->w->db, pid,
                                      json_integer_value(json_array_get(p->ids, 0)), &of) != 0) {
            json_decref(links);
            json_decref(values);
            json_decref(history);
            return 500;
        }
        current = assessment_view(r, json_object_get(of, "current"));
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(of, "history"), i, a)
            json_array_append_new(history, assessment_view(r, a));
        json_decref(of);
    }
    if (!values)
        values = values_from(json_object_get(current, "id") ? current : NULL, p->inputs);
    char action[300];
    if (p->group)
        snprintf(action, sizeof action, "%s", str(p->head, "group_url"));
    else
        snprintf(action, sizeof action, "%s", str(json_array_get(p->inputs, 0), "assessment_url"));
    json_t *options = form_options(r, p->rec, values, links);
    json_decref(links);
    *vm = json_pack("{s:O, s:b, s:O, s:I, s:o, s:o, s:b, s:s, s:o, s:o, s:b}", "process",
                    p->head, "group", p->group, "inputs", p->inputs, "input_count",
                    (json_int_t)json_array_size(p->inputs), "current", current, "history",
                    history, "has_history", json_array_size(history) > 0, "action", action,
                    "values", values, "options", options, "saved",
                    portfolio_flag(r, "lagret"));
    json_object_set_new(*vm, "has_inputs", json_boolean(json_array_size(p->inputs) > 0));
    json_object_set_new(*vm, "justification_optional_outcome",
                        json_string(T(r, assessment_outcome_label(ASSESSMENT_ACCEPTED))));
    form_errors(r, *vm, errors);
    return 0;
}

/* Loads the process and the inputs of the page: the one of {id}, or the chosen ones
 * (innspill=… in q). Returns 0 or an HTTP status. */
static int page_load(pv_req *r, bool group, const url_query *q, assess_page *p)
{
    *p = (assess_page){.group = group};
    int status = staff_inputs_process(r, &p->head, &p->rec);
    if (status != 0)
        return status;
    if (group) {
        p->ids = form_ids(q, "innspill");
    } else {
        long id;
        if (r->n_params < 2 || pv_parse_long(r->params[1], 1, 1L << 50, &id) != 0)
            return 404;
        p->ids = json_pack("[I]", (json_int_t)id);
    }
    if (json_array_size(p->ids) > ASSESSMENT_GROUP_MAX) {
        r->error = T(r, "Velg høyst 200 innspill om gangen.");
        return 400;
    }
    return load_inputs(r, str(p->head, "id"), p->ids, &p->inputs);
}

static int show(pv_req *r, json_t **vm, bool group, const url_query *q)
{
    assess_page p;
    int status = page_load(r, group, q, &p);
    json_t *errors = json_array();
    if (status == 0 && group && json_array_size(p.ids) == 0)
        field_error(errors, "input_ids",
                    N_("Velg ett eller flere innspill i innspillslisten, og trykk «Vurder valgte innspill samlet»."),
                    NULL);
    if (status == 0)
        status = page_vm(r, &p, NULL, errors, vm) == 0 ? 200 : 500;
    json_decref(errors);
    page_finish(&p);
    return status;
}

static int save(pv_req *r, json_t **vm, bool group)
{
    assess_page p;
    int status = page_load(r, group, &r->form, &p);
    if (status != 0) {
        page_finish(&p);
        return status;
    }
    json_t *in = form_input(r), *errors = json_array();
    json_object_set(in, "input_ids", p.ids);
    json_t *values = json_deep_copy(in); /* as typed, before the store tidies it */
    actor who = portfolio_actor(r);
    int64_t id = 0;
    int rc = store_assessment_create(r->w->db, &who, session_now(), str(p.head, "id"), in,
                                     errors, &id);
    json_decref(in);
    if (rc == 0) {
        char url[400];
        if (group)
            snprintf(url, sizeof url, "%s?vurdert=%zu", str(p.head, "inputs_url"),
                     json_array_size(p.ids));
        else
            snprintf(url, sizeof url, "%s?lagret=1",
                     str(json_array_get(p.inputs, 0), "assessment_url"));
        status = portfolio_redirect(r, vm, url);
        json_decref(values);
    } else if (rc == PV_EINVAL) {
        /* null texts back to "" for the form */
        static const char *const texts[] = {"outcome", "justification", "summary"};
        for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++)
            if (!json_is_string(json_object_get(values, texts[i])))
                json_object_set_new(values, texts[i], json_string(""));
        status = page_vm(r, &p, values, errors, vm) == 0 ? 422 : 500;
    } else {
        json_decref(values);
        status = portfolio_status(rc);
    }
    json_decref(errors);
    page_finish(&p);
    return status;
}

int page_staff_assessment(pv_req *r, json_t **vm)
{
    return show(r, vm, false, &r->query);
}

int page_staff_assessment_save(pv_req *r, json_t **vm)
{
    return save(r, vm, false);
}

int page_staff_group_assessment(pv_req *r, json_t **vm)
{
    return show(r, vm, true, &r->query);
}

int page_staff_group_assessment_save(pv_req *r, json_t **vm)
{
    return save(r, vm, true);
}

/* ---------------------------------------------------------------- the API */

int page_api_assessment_create(pv_req *r, json_t **vm)
{
    int needs = page_needs_json(r);
    if (needs)
        return needs;
    const char *pid = r->params[0];
    if (!plan_id_valid(pid))
        return 404;
    json_t *in = portfolio_json_input(r), *errors = json_array();
    actor who = portfolio_actor(r);
    int64_t id = 0;
    int rc = store_assessment_create(r->w->db, &who, session_now(), pid, in, errors, &id);
    int status;
    if (rc == PV_EINVAL) {
        *vm = portfolio_problem(r, errors);
        status = 422;
    } else if (rc != 0) {
        status = portfolio_status(rc);
    } else {
        char url[300];
        snprintf(url, sizeof url, "/arbeid/prosesser/%s/innspill/%lld/vurdering", pid,
                 (long long)json_integer_value(json_array_get(json_object_get(in, "input_ids"), 0)));
        json_t *body = json_pack("{s:I, s:O, s:s}", "id", (json_int_t)id, "input_ids",
                                 json_object_get(in, "input_ids"), "url", url);
        status = portfolio_created(r, url, body);
    }
    json_decref(in);
    json_decref(errors);
    return status;
}
