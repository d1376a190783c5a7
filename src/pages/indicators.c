/* One indicator: /indikatorer/{id} (public) with its text, baseline and target, its plan and
 * goals, the readings as a table and as a line chart against the path to the target (the
 * chart's numbers also as a table), and how it stands (followup_indicator_track); the staff's
 * readings page (/arbeid/indikatorer/{id}/malinger) with its form; and the API of readings.
 * Layer: pages. A value is accepted as "33,5" or "33.5". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/followup.h"
#include "domain/plan.h"
#include "export/svg_chart.h"
#include "pages/followup.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/goals_edit.h"
#include "store/plans_edit.h"
#include "store/readings.h"
#include "web/session.h"

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static const char *decimal_mark(pv_req *r)
{
    return strcmp(r->lang, "en") == 0 ? "." : ",";
}

static pv_date today(void)
{
    return pv_date_of(session_now());
}

/* The indicator record, or 404. */
static int load(pv_req *r, json_t **ind)
{
    if (!plan_id_valid(r->params[0]))
        return 404;
    int rc = store_indicator_record(r->w->db, r->params[0], ind);
    return rc == 0 ? 0 : portfolio_status(rc);
}

/* ---------------------------------------------------------------- how it stands */

static indicator_goal goal_of(json_t *ind)
{
    json_t *bv = json_object_get(ind, "baseline_value"), *by = json_object_get(ind, "baseline_year");
    json_t *tv = json_object_get(ind, "target_value"), *ty = json_object_get(ind, "target_year");
    indicator_goal g = {.comparator = str(ind, "comparator")};
    g.has_baseline = json_is_number(bv) && json_is_integer(by);
    g.baseline_value = json_number_value(bv);
    g.baseline_year = (int)json_integer_value(by);
    g.has_target = json_is_number(tv);
    g.target_value = json_number_value(tv);
    g.target_year = json_is_integer(ty) ? (int)json_integer_value(ty) : 0;
    return g;
}

/* The readings as the domain takes them (oldest first); *n how many. */
static followup_reading *domain_readings(json_t *readings, size_t *n)
{
    followup_reading *out = pv_calloc(json_array_size(readings) + 1, sizeof *out);
    size_t i;
    json_t *e;
    *n = 0;
    json_array_foreach(readings, i, e) {
        pv_date d;
        if (pv_parse_date(str(e, "date"), &d) != 0)
            continue;
        out[(*n)++] = (followup_reading){json_number_value(json_object_get(e, "value")), d};
    }
    return out;
}

static json_t *track_view(pv_req *r, indicator_track t)
{
    const char *label, *key;
    if (!t.has_latest) {
        label = N_("Ingen målinger ennå");
        key = "none";
    } else if (t.met) {
        label = N_("Nådd");
        key = "met";
    } else if (!t.has_path) {
        label = N_("Ingen vei mot målet å sammenligne med");
        key = "no-path";
    } else if (t.behind) {
        label = N_("Bak planen");
        key = "behind";
    } else {
        label = N_("I rute");
        key = "on-track";
    }
    json_t *v = json_pack("{s:s, s:s}", "key", key, "label", T(r, label));
    if (t.has_path && t.has_latest) {
        char text[64];
        svg_chart_number(t.expected, decimal_mark(r), text, sizeof text);
        json_object_set_new(v, "expected", json_string(text));
    }
    return v;
}

/* ---------------------------------------------------------------- the chart */

static json_t *point(const char *date, double value)
{
    return json_pack("{s:s, s:f}", "date", date, "value", value);
}

/* The dashed path from the start to the target, or NULL. */
static json_t *path_series(pv_req *r, const indicator_goal *g, json_t *readings)
{
    if (!g->has_target || g->target_year == 0)
        return NULL;
    char start[16], end[16];
    double from;
    if (g->has_baseline) {
        snprintf(start, sizeof start, "%04d-12-31", g->baseline_year);
        from = g->baseline_value;
    } else if (json_array_size(readings)) {
        json_t *first = json_array_get(readings, 0);
        snprintf(start, sizeof start, "%s", str(first, "date"));
        from = json_number_value(json_object_get(first, "value"));
    } else {
        return NULL;
    }
    snprintf(end, sizeof end, "%04d-12-31", g->target_year);
    if (strcmp(start, end) >= 0)
        return NULL;
    return json_pack("{s:s, s:b, s:[o, o]}", "label", T(r, "Vei mot målet"), "dashed", true,
                     "points", point(start, from), point(end, g->target_value));
}

static json_t *chart_of(pv_req *r, json_t *ind, const indicator_goal *g, json_t *readings)
{
    json_t *points = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(readings, i, e)
        json_array_append_new(points, point(str(e, "date"),
                                            json_number_value(json_object_get(e, "value"))));
    json_t *series = json_array();
    json_array_append_new(series, json_pack("{s:s, s:o}", "label", T(r, "Målinger"), "points",
                                            points));
    json_t *path = path_series(r, g, readings);
    if (path)
        json_array_append_new(series, path);
    char desc[600];
    snprintf(desc, sizeof desc, "%s: %s", T(r, "Målinger over tid"), str(ind, "text"));
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", "indikator-malinger", "title",
                              T(r, "Utvikling"), "desc", desc, "decimal", decimal_mark(r),
                              "series", series);
    if (str(ind, "unit"))
        json_object_set(chart, "unit", json_object_get(ind, "unit"));
    return chart;
}

/* ---------------------------------------------------------------- the views */

static json_t *reading_rows(pv_req *r, json_t *readings)
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(readings, i, e) {
        char text[64];
        svg_chart_number(json_number_value(json_object_get(e, "value")), decimal_mark(r), text,
                         sizeof text);
        json_array_append_new(out, json_pack("{s:O, s:s, s:O, s:O, s:O}", "value",
                                             json_object_get(e, "value"), "value_text", text,
                                             "date", json_object_get(e, "date"), "source",
                                             json_object_get(e, "source"), "note",
                                             json_object_get(e, "note")));
    }
    return out;
}

/* The goals the indicator measures: [{id, text, level_label, url}]. */
static json_t *goal_links(pv_req *r, json_t *ind)
{
    json_t *out = json_array();
    size_t i;
    json_t *id;
    json_array_foreach(json_object_get(ind, "goal_ids"), i, id) {
        json_t *g;
        if (store_goal_record(r->w->db, json_string_value(id), &g) != 0)
            continue;
        char url[200];
        snprintf(url, sizeof url, "/mal#mal-%s", json_string_value(id));
        json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:s}", "id", id, "text",
                                             json_object_get(g, "text"), "level_label",
                                             page_level_label(r, str(g, "level")), "url", url));
        json_decref(g);
    }
    return out;
}

/* The view of an indicator with its readings, chart and track. */
static int indicator_view(pv_req *r, json_t *ind, json_t **out)
{
    json_t *readings;
    if (store_readings(r->w->db, str(ind, "id"), &readings) != 0)
        return 500;
    json_t *v = page_indicator_view(r, ind);
    const char *plan_id = str(ind, "plan_id");
    json_t *plan;
    if (plan_id && store_plan_record(r->w->db, plan_id, &plan) == 0) {
        json_object_set_new(v, "plan_name", json_incref(json_object_get(plan, "name")));
        json_decref(plan);
    }
    indicator_goal g = goal_of(ind);
    size_t n;
    followup_reading *dr = domain_readings(readings, &n);
    indicator_track t = followup_indicator_track(&g, dr, n);
    free(dr);
    json_t *goals = goal_links(r, ind);
    json_t *vm = json_pack("{s:o, s:o, s:o, s:b, s:b, s:o}", "indicator", v, "readings",
                           reading_rows(r, readings), "track", track_view(r, t), "has_readings",
                           json_array_size(readings) > 0, "has_goals",
                           json_array_size(goals) > 0, "goals", goals);
    json_t *chart = chart_of(r, ind, &g, readings);
    buf svg = BUF_INIT;
    if (json_array_size(readings) && svg_chart_lines(chart, &svg) == 0) {
        json_object_set_new(vm, "chart_svg_html", json_string(buf_cstr(&svg)));
        json_object_set_new(vm, "chart_table", svg_chart_table(chart));
    }
    buf_finish(&svg);
    json_decref(chart);
    json_decref(readings);
    *out = vm;
    return 0;
}

int page_indicator(pv_req *r, json_t **vm)
{
    json_t *ind;
    int status = load(r, &ind);
    if (status)
        return status;
    status = indicator_view(r, ind, vm);
    if (status == 0 && r->user) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/indikatorer/%s/malinger", str(ind, "id"));
        json_object_set_new(*vm, "staff_url", json_string(url));
    }
    json_decref(ind);
    return status ? status : 200;
}

/* ---------------------------------------------------------------- the staff's form */

/* A value as typed: "33,5", "33.5", " 1 200 " (spaces between groups). false when it is not
 * a finite number. */
static bool parse_value(const char *s, double *out)
{
    char clean[64];
    size_t n = 0;
    if (!s)
        return false;
    for (; *s && n < sizeof clean - 1; s++) {
        if (*s == ' ')
            continue;
        clean[n++] = *s == ',' ? '.' : *s;
    }
    if (*s || n == 0)
        return false;
    clean[n] = '\0';
    char *end;
    double v = strtod(clean, &end);
    if (*end || !isfinite(v) || strspn(clean, "+-0123456789.") != n)
        return false;
    *out = v;
    return true;
}

static json_t *form_values(pv_req *r)
{
    static const char *const names[] = {"value", "date", "source", "note"};
    json_t *v = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(names); i++) {
        const char *t = url_query_get(&r->form, names[i]);
        json_object_set_new(v, names[i], json_string(t ? t : ""));
    }
    return v;
}

static const char *field_label(pv_req *r, const char *field)
{
    if (strcmp(field, "value") == 0)
        return T(r, "Verdi");
    if (strcmp(field, "date") == 0)
        return T(r, "Dato");
    if (strcmp(field, "source") == 0)
        return T(r, "Kilde");
    return T(r, "Merknad");
}

static int readings_form(pv_req *r, json_t *ind, json_t *values, json_t *errors, int status,
                         json_t **vm)
{
    if (indicator_view(r, ind, vm) != 0)
        return 500;
    char url[200];
    snprintf(url, sizeof url, "/arbeid/indikatorer/%s/malinger", str(ind, "id"));
    json_object_set_new(*vm, "action", json_string(url));
    snprintf(url, sizeof url, "/indikatorer/%s", str(ind, "id"));
    json_object_set_new(*vm, "public_url", json_string(url));
    snprintf(url, sizeof url, "/arbeid/indikatorer/%s", str(ind, "id"));
    json_object_set_new(*vm, "edit_url", json_string(url));
    json_object_set_new(*vm, "values", json_incref(values));
    json_t *list = json_array(), *by_field = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *field = str(e, "field");
        char anchor[64];
        snprintf(anchor, sizeof anchor, "f-%s", field);
        json_object_set_new(by_field, field, json_string(T(r, str(e, "message"))));
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "label", field_label(r, field),
                                              "message", T(r, str(e, "message")), "anchor",
                                              anchor));
    }
    json_object_set_new(*vm, "has_errors", json_boolean(json_array_size(list) > 0));
    json_object_set_new(*vm, "errors", list);
    json_object_set_new(*vm, "err", by_field);
    json_object_set_new(*vm, "saved", json_boolean(portfolio_flag(r, "lagret")));
    return status;
}

int page_staff_readings(pv_req *r, json_t **vm)
{
    json_t *ind;
    int status = load(r, &ind);
    if (status)
        return status;
    char day[11];
    pv_date_format(today(), day);
    json_t *values = json_pack("{s:s, s:s, s:s, s:s}", "value", "", "date", day, "source", "",
                               "note", "");
    json_t *errors = json_array();
    status = readings_form(r, ind, values, errors, 200, vm);
    json_decref(values);
    json_decref(errors);
    json_decref(ind);
    return status;
}

/* Adds the reading of in; fills errors. */
static int add_reading(pv_req *r, const char *value_text, json_t *value_json, const char *date,
                       const char *source, const char *note, json_t *errors, int64_t *id)
{
    reading_input in = {0, false, date ? date : "", source ? source : "", note};
    if (value_json && json_is_number(value_json)) {
        in.value = json_number_value(value_json);
        in.value_given = true;
    } else if (value_text) {
        in.value_given = parse_value(value_text, &in.value);
    }
    actor who = portfolio_actor(r);
    return store_reading_add(r->w->db, &who, session_now(), today(), r->params[0], &in, errors,
                             id);
}

int page_staff_reading_add(pv_req *r, json_t **vm)
{
    json_t *ind;
    int status = load(r, &ind);
    if (status)
        return status;
    json_t *values = form_values(r), *errors = json_array();
    int64_t id;
    int rc = add_reading(r, str(values, "value"), NULL, str(values, "date"), str(values, "source"),
                         str(values, "note"), errors, &id);
    if (rc == 0) {
        char url[200];
        snprintf(url, sizeof url, "/arbeid/indikatorer/%s/malinger?lagret=1", r->params[0]);
        status = portfolio_redirect(r, vm, url);
    } else if (rc == PV_EINVAL) {
        status = readings_form(r, ind, values, errors, 422, vm);
    } else {
        status = portfolio_status(rc);
    }
    json_decref(values);
    json_decref(errors);
    json_decref(ind);
    return status;
}

/* ---------------------------------------------------------------- the API */

int page_api_readings(pv_req *r, json_t **vm)
{
    json_t *ind, *readings;
    int status = load(r, &ind);
    if (status)
        return status;
    if (store_readings(r->w->db, r->params[0], &readings) != 0) {
        json_decref(ind);
        return 500;
    }
    indicator_goal g = goal_of(ind);
    size_t n;
    followup_reading *dr = domain_readings(readings, &n);
    indicator_track t = followup_indicator_track(&g, dr, n);
    free(dr);
    json_t *track = track_view(r, t);
    json_object_set_new(track, "behind", json_boolean(t.has_path && t.has_latest && t.behind));
    json_object_set_new(track, "met", json_boolean(t.met));
    *vm = json_pack("{s:O, s:o, s:o}", "indicator_id", json_object_get(ind, "id"), "readings",
                    readings, "track", track);
    json_decref(ind);
    return 200;
}

int page_api_reading_create(pv_req *r, json_t **vm)
{
    int needs = page_needs_json(r);
    if (needs)
        return needs;
    json_t *ind;
    int status = load(r, &ind);
    if (status)
        return status;
    json_decref(ind);
    json_t *body = r->body, *errors = json_array();
    json_t *value = json_object_get(body, "value");
    int64_t id;
    int rc = add_reading(r, json_string_value(value), value, str(body, "date"), str(body, "source"),
                         str(body, "note"), errors, &id);
    if (rc == PV_EINVAL) {
        *vm = portfolio_problem(r, errors);
        status = 400;
    } else if (rc != 0) {
        status = portfolio_status(rc);
    } else {
        json_t *readings;
        if (store_readings(r->w->db, r->params[0], &readings) != 0) {
            status = 500;
        } else {
            json_t *made = NULL;
            size_t i;
            json_t *e;
            json_array_foreach(readings, i, e)
                if (json_integer_value(json_object_get(e, "id")) == id)
                    made = json_incref(e);
            json_decref(readings);
            char url[200];
            snprintf(url, sizeof url, "/api/v1/indicators/%s/readings", r->params[0]);
            status = portfolio_created(r, url, json_pack("{s:o}", "reading",
                                                         made ? made : json_null()));
        }
    }
    json_decref(errors);
    return status;
}
