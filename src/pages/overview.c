/* The overview of the whole follow-up effort: /oversikt (reports of closed periods) and
 * /arbeid/oversikt (also open periods, marked «foreløpig»), filtered by tema, plan, enhet,
 * aar and status. Sections with an SVG chart and the same numbers as a table, overdue
 * measures, plans past revision, indicators behind their path, and every measure with its
 * costs per year; the same route answers ?format=csv&tabell=… (one table) and ?format=xlsx
 * (the workbook, written on a pool thread), which the handler sends itself.
 * Layer: pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/costs.h"
#include "domain/followup.h"
#include "domain/plan.h"
#include "export/csv.h"
#include "export/svg_chart.h"
#include "export/xlsx.h"
#include "http/pool.h"
#include "http/request.h"
#include "pages/followup.h"
#include "pages/pages.h"
#include "store/overview.h"
#include "web/dispatch.h"

/* The tables of ?tabell=, in page order; the first five are charts. */
static const char *const tables[] = {"tiltak", "status", "plan", "enhet", "kostnad-plan",
                                     "kostnad-enhet", "forsinket", "revisjon", "indikatorer"};

typedef struct ov_ctx {
    pv_req *r;
    overview_filter f;
    const char *year_text; /* aar as given */
    json_t *data, *tally;
    buf query;             /* the filters as a query string: "tema=…&plan=…" (may be empty) */
    size_t page;           /* ?side=: the page of the list of every measure (0: the first) */
} ov_ctx;

/* Rows per page of the list of every measure, and the most overdue measures listed (a page
 * of 2000 rows is 1.4 MB, slow to build and to read; the downloads hold every row). */
#define OVERVIEW_PAGE_SIZE 100
#define OVERVIEW_OVERDUE_MAX 50

static const char *param(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->query, name);
    return v && *v ? v : NULL;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---------------------------------------------------------------- the request */

static bool listed(json_t *rows, const char *id)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        if (str(row, "id") && strcmp(str(row, "id"), id) == 0)
            return true;
    return false;
}

static bool status_known(const char *s)
{
    return strcmp(s, OVERVIEW_NO_REPORT) == 0 || followup_status_valid(s);
}

/* Reads and checks the filters against the options; 0 or 400 with r->error. */
static int read_filters(ov_ctx *c, json_t *opts)
{
    pv_req *r = c->r;
    c->f.theme_id = param(r, "tema");
    c->f.plan_id = param(r, "plan");
    c->f.unit_id = param(r, "enhet");
    c->f.status = param(r, "status");
    c->year_text = param(r, "aar");
    bool ok = (!c->f.theme_id || listed(json_object_get(opts, "themes"), c->f.theme_id)) &&
              (!c->f.plan_id || listed(json_object_get(opts, "plans"), c->f.plan_id)) &&
              (!c->f.unit_id || listed(json_object_get(opts, "units"), c->f.unit_id)) &&
              (!c->f.status || status_known(c->f.status));
    if (ok && c->year_text) {
        char *end;
        long y = strtol(c->year_text, &end, 10);
        ok = strlen(c->year_text) == 4 && *end == '\0' && y >= PLAN_YEAR_MIN && y <= PLAN_YEAR_MAX;
        c->f.year = ok ? (int)y : 0;
    }
    const char *page = param(r, "side");
    long n = 0;
    if (ok && page) {
        ok = pv_parse_long(page, 1, 100000, &n) == 0;
        c->page = (size_t)n;
    }
    if (!ok) {
        r->error = T(r, "Et filter har en verdi vi ikke kjenner. Velg blant verdiene i skjemaet.");
        return 400;
    }
    struct {
        const char *name, *value;
    } q[] = {{"tema", c->f.theme_id}, {"plan", c->f.plan_id}, {"enhet", c->f.unit_id},
             {"aar", c->year_text}, {"status", c->f.status}};
    for (size_t i = 0; i < PV_ARRAY_LEN(q); i++) {
        if (!q[i].value)
            continue;
        if (c->query.len)
            buf_putc(&c->query, '&');
        buf_printf(&c->query, "%s=", q[i].name);
        buf_append_url(&c->query, q[i].value, strlen(q[i].value));
    }
    return 0;
}

/* path?filters&tail: the page with the same filters and tail ("format=csv", "side=2" …). */
static json_t *filtered_href(ov_ctx *c, const char *tail)
{
    buf href = BUF_INIT;
    buf_printf(&href, "%s?", c->r->path);
    if (c->query.len)
        buf_printf(&href, "%s&", buf_cstr(&c->query));
    buf_puts(&href, tail);
    json_t *s = json_string(buf_cstr(&href));
    buf_finish(&href);
    return s;
}

/* path?filters&format=…(&tabell=…) */
static json_t *download_href(ov_ctx *c, const char *format, const char *table)
{
    char tail[64];
    snprintf(tail, sizeof tail, "format=%s%s%s", format, table ? "&tabell=" : "",
             table ? table : "");
    return filtered_href(c, tail);
}

/* ---------------------------------------------------------------- labels */

static const char *status_label(pv_req *r, const char *status)
{
    if (!status || strcmp(status, OVERVIEW_NO_REPORT) == 0)
        return T(r, "Ikke rapportert");
    const char *label = followup_status_label(status);
    return label ? T(r, label) : status;
}

/* «2. tertial 2025» of a report, into out. */
static void period_text(pv_req *r, json_t *report, char *out, size_t size)
{
    out[0] = '\0';
    if (!json_is_object(report))
        return;
    int kind = followup_period_kind_parse(str(report, "period"));
    snprintf(out, size, "%s %lld", kind >= 0 ? T(r, followup_period_label(kind)) : "",
             (long long)json_integer_value(json_object_get(report, "year")));
}

static const char *decimal_mark(pv_req *r)
{
    return strcmp(r->lang, "en") == 0 ? "." : ",";
}

/* The units of a measure as «A, B», or «ikke oppgitt». */
static void units_text(pv_req *r, json_t *m, buf *out)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(m, "units"), i, u) {
        if (i)
            buf_puts(out, ", ");
        buf_puts(out, str(u, "name"));
    }
    if (!out->len)
        buf_puts(out, page_not_given(r));
}

/* The cost cell of a measure in year y: {amount (or null), note (or null)}. */
static json_t *cost_cell(json_t *m, json_t *y)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(m, "costs"), i, c)
        if (json_integer_value(json_object_get(c, "year")) == json_integer_value(y))
            return c;
    return NULL;
}

/* ---------------------------------------------------------------- charts */

static json_t *status_series_filtered(ov_ctx *c, json_t *groups, const char *key)
{
    /* one series per status that occurs in any group (in the statuses' order) */
    json_t *series = json_array();
    size_t s, g;
    json_t *st, *grp;
    json_array_foreach(json_object_get(c->tally, "statuses"), s, st) {
        json_t *values = json_array();
        json_int_t any = 0;
        json_array_foreach(groups, g, grp) {
            json_int_t n = json_integer_value(json_object_get(json_object_get(grp, key),
                                                              json_string_value(st)));
            any += n;
            json_array_append_new(values, json_integer(n));
        }
        if (any)
            json_array_append_new(series, json_pack("{s:s, s:o}", "label",
                                                    status_label(c->r, json_string_value(st)),
                                                    "values", values));
        else
            json_decref(values);
    }
    return series;
}

static const char *group_name(ov_ctx *c, json_t *g, bool unit)
{
    const char *n = str(g, "name");
    return n ? n : unit ? T(c->r, "Uten ansvarlig enhet") : page_not_given(c->r);
}

static json_t *categories_of(ov_ctx *c, json_t *groups, bool unit)
{
    json_t *cats = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
        json_array_append_new(cats, json_string(group_name(c, g, unit)));
    return cats;
}

static json_t *chart_base(ov_ctx *c, const char *id, const char *title, const char *desc)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", id, "title", title, "desc", desc, "decimal",
                     decimal_mark(c->r));
}

static json_t *chart_status(ov_ctx *c)
{
    pv_req *r = c->r;
    json_t *ch = chart_base(c, "status", T(r, "Tiltak etter status"),
                            T(r, "Antall tiltak etter siste rapporterte status."));
    json_t *cats = json_array(), *values = json_array();
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(c->tally, "statuses"), i, st) {
        json_array_append_new(cats, json_string(status_label(r, json_string_value(st))));
        json_array_append(values, json_object_get(json_object_get(c->tally, "by_status"),
                                                  json_string_value(st)));
    }
    json_object_set_new(ch, "categories", cats);
    json_object_set_new(ch, "series",
                        json_pack("[{s:s, s:o}]", "label", T(r, "Tiltak"), "values", values));
    return ch;
}

static json_t *chart_counts(ov_ctx *c, const char *id, const char *key, bool unit,
                            const char *title, const char *desc)
{
    json_t *groups = json_object_get(c->tally, key);
    json_t *ch = chart_base(c, id, title, desc);
    json_object_set_new(ch, "categories", categories_of(c, groups, unit));
    json_object_set_new(ch, "series", status_series_filtered(c, groups, "counts"));
    return ch;
}

/* Cost per year (categories) stacked by the groups of key (series). */
static json_t *chart_costs(ov_ctx *c, const char *id, const char *key, bool unit,
                           const char *title, const char *desc)
{
    json_t *ch = chart_base(c, id, title, desc);
    /* «3 910 tusen kr»: «3 910 1000 kr» would read as one number */
    json_object_set_new(ch, "unit", json_string(T(c->r, "tusen kr")));
    json_t *cats = json_array();
    size_t i;
    json_t *y, *g;
    json_array_foreach(json_object_get(c->data, "years"), i, y) {
        char year[16];
        snprintf(year, sizeof year, "%lld", (long long)json_integer_value(y));
        json_array_append_new(cats, json_string(year));
    }
    json_object_set_new(ch, "categories", cats);
    json_t *series = json_array();
    json_array_foreach(json_object_get(c->tally, key), i, g)
        json_array_append_new(series, json_pack("{s:s, s:O}", "label", group_name(c, g, unit),
                                                "values", json_object_get(g, "amounts")));
    json_object_set_new(ch, "series", series);
    return ch;
}

/* The five charts in page order, with their ?tabell= codes tables[1..5]. */
static json_t *charts(ov_ctx *c)
{
    pv_req *r = c->r;
    return json_pack(
        "[o, o, o, o, o]", chart_status(c),
        chart_counts(c, "plan", "by_plan", false, T(r, "Tiltak etter plan og status"),
                     T(r, "Antall tiltak i hver plan, delt etter siste rapporterte status.")),
        chart_counts(c, "enhet", "by_unit", true, T(r, "Tiltak etter ansvarlig enhet og status"),
                     T(r, "Antall tiltak hver enhet har ansvar for, delt etter siste rapporterte "
                          "status. Et tiltak med flere ansvarlige enheter telles under hver av dem.")),
        chart_costs(c, "kostnad-plan", "cost_by_plan", false, T(r, "Kostnad per år etter plan"),
                    T(r, "Sum av tiltakenes kostnader per år i 1000 kr, delt etter plan. Et år "
                         "med bare en merknad, som «innenfor ramme», teller som 0.")),
        chart_costs(c, "kostnad-enhet", "cost_by_unit", true,
                    T(r, "Kostnad per år etter ansvarlig enhet"),
                    T(r, "Sum av tiltakenes kostnader per år i 1000 kr, delt etter ansvarlig "
                         "enhet. Et tiltak med flere ansvarlige enheter regnes under den første "
                         "av dem.")));
}

/* Adds a «Sum» column to the table of a stacked chart: the totals the bars end with. */
static void table_totals(ov_ctx *c, json_t *chart, json_t *table)
{
    json_t *series = json_object_get(chart, "series");
    if (json_array_size(series) < 2)
        return;
    json_array_append_new(json_object_get(table, "columns"), json_string(T(c->r, "Sum")));
    const char *unit = str(chart, "unit");
    size_t k, s;
    json_t *row, *ser;
    json_array_foreach(json_object_get(table, "rows"), k, row) {
        double total = 0;
        json_array_foreach(series, s, ser)
            total += json_number_value(json_array_get(json_object_get(ser, "values"), k));
        char num[64], cell[128];
        svg_chart_number(total, decimal_mark(c->r), num, sizeof num);
        snprintf(cell, sizeof cell, "%s%s%s", num, unit ? " " : "", unit ? unit : "");
        json_array_append_new(json_object_get(row, "cells"), json_string(cell));
    }
}

/* The view of one chart section: heading, description, SVG, table, CSV link. */
static json_t *chart_section(ov_ctx *c, json_t *chart, const char *table, const char *first)
{
    buf svg = BUF_INIT;
    if (svg_chart_bars(chart, &svg) != 0)
        buf_reset(&svg); /* too many bars to draw: the table still has every number */
    json_t *s = json_pack("{s:O, s:O, s:O, s:s, s:o, s:s, s:o}", "id",
                          json_object_get(chart, "id"), "title", json_object_get(chart, "title"),
                          "desc", json_object_get(chart, "desc"), "chart_svg_html", buf_cstr(&svg),
                          "table", svg_chart_table(chart), "first_column", first, "csv_href",
                          download_href(c, "csv", table));
    json_object_set_new(s, "has_svg", json_boolean(svg.len > 0));
    table_totals(c, chart, json_object_get(s, "table"));
    buf_finish(&svg);
    return s;
}

/* ---------------------------------------------------------------- lists */

static json_t *measure_view(ov_ctx *c, json_t *m)
{
    pv_req *r = c->r;
    json_t *report = json_object_get(m, "report");
    const char *status = json_is_object(report) ? str(report, "status") : NULL;
    char period[64], progress[16] = "", url[300];
    period_text(r, report, period, sizeof period);
    json_t *pr = json_is_object(report) ? json_object_get(report, "progress") : NULL;
    if (json_is_integer(pr))
        snprintf(progress, sizeof progress, "%lld %%", (long long)json_integer_value(pr));
    buf units = BUF_INIT;
    units_text(r, m, &units);
    snprintf(url, sizeof url, "/tiltak/%s", str(m, "id"));
    json_t *costs = json_array();
    size_t i;
    json_t *y;
    json_array_foreach(json_object_get(c->data, "years"), i, y) {
        json_t *cell = cost_cell(m, y);
        json_t *amount = cell ? json_object_get(cell, "amount") : NULL;
        char text[32] = "";
        if (json_is_integer(amount))
            costs_format(json_integer_value(amount), text, sizeof text);
        json_array_append_new(costs, json_pack("{s:s, s:s?}", "amount", text, "note",
                                               cell ? str(cell, "note") : NULL));
    }
    json_t *v = json_pack(
        "{s:O, s:O, s:s, s:O, s:O, s:O, s:s, s:s?, s:s, s:s?, s:s, s:b, s:O, s:o}", "id",
        json_object_get(m, "id"), "title", json_object_get(m, "title"), "url", url, "plan",
        json_object_get(m, "plan"), "plan_id", json_object_get(m, "plan_id"), "focus_area",
        json_object_get(m, "focus_area"), "units_text", buf_cstr(&units), "status", status,
        "status_label", status_label(r, status), "period", period[0] ? period : NULL, "progress", progress,
        "preliminary", json_is_object(report) && !json_is_true(json_object_get(report, "closed")),
        "deadline", json_object_get(m, "deadline"), "costs", costs);
    json_object_set(v, "overdue", json_object_get(m, "overdue"));
    if (c->f.staff) {
        snprintf(url, sizeof url, "/arbeid/tiltak/%s", str(m, "id"));
        json_object_set_new(v, "edit_url", json_string(url));
    }
    buf_finish(&units);
    return v;
}

/* The rows from..from+max of the measures (only the overdue ones when overdue_only); *total
 * gets how many there are in all. */
static json_t *measure_views(ov_ctx *c, bool overdue_only, size_t from, size_t max,
                             size_t *total)
{
    json_t *out = json_array();
    size_t i, n = 0;
    json_t *m;
    json_array_foreach(json_object_get(c->data, "measures"), i, m) {
        if (overdue_only && !json_is_true(json_object_get(m, "overdue")))
            continue;
        if (n >= from && n - from < max)
            json_array_append_new(out, measure_view(c, m));
        n++;
    }
    *total = n;
    return out;
}

/* path?filters&side=n, at the list */
static json_t *page_href(ov_ctx *c, size_t page)
{
    char tail[64];
    snprintf(tail, sizeof tail, "side=%zu#ov-heading-tiltak", page);
    return filtered_href(c, tail);
}

/* The list of every measure, one page of OVERVIEW_PAGE_SIZE rows at a time (the charts and
 * tables above count them all; the downloads hold them all): "measures", "measures_total"
 * and "paging" {number, count, first, last, previous_href, next_href}. */
static void measures_page(ov_ctx *c, json_t *vm)
{
    size_t total;
    size_t page = c->page ? c->page : 1;
    json_t *rows = measure_views(c, false, (page - 1) * OVERVIEW_PAGE_SIZE, OVERVIEW_PAGE_SIZE,
                                 &total);
    size_t count = total ? (total + OVERVIEW_PAGE_SIZE - 1) / OVERVIEW_PAGE_SIZE : 1;
    if (page > count) { /* past the end: the last page */
        json_decref(rows);
        page = count;
        rows = measure_views(c, false, (page - 1) * OVERVIEW_PAGE_SIZE, OVERVIEW_PAGE_SIZE,
                             &total);
    }
    size_t first = (page - 1) * OVERVIEW_PAGE_SIZE;
    json_t *paging = json_pack("{s:I, s:I, s:I, s:I, s:b}", "number", (json_int_t)page, "count",
                               (json_int_t)count, "first", (json_int_t)(total ? first + 1 : 0),
                               "last", (json_int_t)(first + json_array_size(rows)), "several",
                               count > 1);
    if (page > 1)
        json_object_set_new(paging, "previous_href", page_href(c, page - 1));
    if (page < count)
        json_object_set_new(paging, "next_href", page_href(c, page + 1));
    json_object_set_new(vm, "measures", rows);
    json_object_set_new(vm, "measures_total", json_integer((json_int_t)total));
    json_object_set_new(vm, "paging", paging);
}

static json_t *revision_views(ov_ctx *c)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(c->data, "plans"), i, p) {
        if (!json_is_true(json_object_get(p, "revision_due")))
            continue;
        char url[300];
        snprintf(url, sizeof url, "/planer/%s", str(p, "id"));
        json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:O, s:O}", "id",
                                             json_object_get(p, "id"), "name",
                                             json_object_get(p, "name"), "url", url,
                                             "adopted_year", json_object_get(p, "adopted_year"),
                                             "next_revision", json_object_get(p, "next_revision")));
    }
    return out;
}

static json_t *indicator_views(ov_ctx *c)
{
    json_t *out = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(c->data, "indicators"), i, ind) {
        if (!json_is_true(json_object_get(ind, "behind")))
            continue;
        char latest[64], expected[64], url[300];
        svg_chart_number(json_real_value(json_object_get(ind, "latest")), decimal_mark(c->r),
                         latest, sizeof latest);
        svg_chart_number(json_real_value(json_object_get(ind, "expected")), decimal_mark(c->r),
                         expected, sizeof expected);
        snprintf(url, sizeof url, "/indikatorer/%s", str(ind, "id"));
        json_array_append_new(
            out, json_pack("{s:O, s:O, s:s, s:O, s:O, s:s, s:O, s:s}", "id",
                           json_object_get(ind, "id"), "text", json_object_get(ind, "text"),
                           "url", url, "plan", json_object_get(ind, "plan"), "unit",
                           json_object_get(ind, "unit"), "latest", latest, "latest_date",
                           json_object_get(ind, "latest_date"), "expected", expected));
    }
    return out;
}

/* ---------------------------------------------------------------- filter options */

static json_t *choices(json_t *rows, const char *selected)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(out, json_pack("{s:O, s:O, s:b}", "value", json_object_get(row, "id"),
                                             "label", json_object_get(row, "name"), "selected",
                                             selected && strcmp(selected, str(row, "id")) == 0));
    return out;
}

static json_t *filter_options(ov_ctx *c, json_t *opts)
{
    json_t *years = json_array(), *statuses = json_array();
    size_t i;
    json_t *y;
    json_array_foreach(json_object_get(opts, "years"), i, y) {
        char text[16];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(y));
        json_array_append_new(years, json_pack("{s:s, s:s, s:b}", "value", text, "label", text,
                                               "selected", c->f.year == json_integer_value(y)));
    }
    for (size_t k = 0; followup_statuses[k]; k++)
        json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "value", followup_statuses[k],
                                                  "label", status_label(c->r, followup_statuses[k]),
                                                  "selected", c->f.status &&
                                                      strcmp(c->f.status, followup_statuses[k]) == 0));
    json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "value", OVERVIEW_NO_REPORT,
                                              "label", status_label(c->r, NULL), "selected",
                                              c->f.status && strcmp(c->f.status, OVERVIEW_NO_REPORT) == 0));
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "themes",
                     choices(json_object_get(opts, "themes"), c->f.theme_id), "plans",
                     choices(json_object_get(opts, "plans"), c->f.plan_id), "units",
                     choices(json_object_get(opts, "units"), c->f.unit_id), "years", years,
                     "statuses", statuses);
}

/* ---------------------------------------------------------------- the page */

static json_t *year_heads(json_t *years)
{
    json_t *out = json_array();
    size_t i;
    json_t *y;
    json_array_foreach(years, i, y) {
        char text[16];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(y));
        json_array_append_new(out, json_string(text));
    }
    return out;
}

static json_t *page_view(ov_ctx *c, json_t *opts)
{
    pv_req *r = c->r;
    json_t *vm = json_object();
    json_t *measures = json_object_get(c->data, "measures");
    json_object_set_new(vm, "staff", json_boolean(c->f.staff));
    json_object_set_new(vm, "path", json_string(r->path));
    json_object_set_new(vm, "filters",
                        json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "tema", c->f.theme_id, "plan",
                                  c->f.plan_id, "enhet", c->f.unit_id, "aar", c->year_text,
                                  "status", c->f.status));
    json_object_set_new(vm, "filtered", json_boolean(c->query.len > 0));
    json_object_set_new(vm, "options", filter_options(c, opts));
    json_object_set_new(vm, "shown", json_integer((json_int_t)json_array_size(measures)));
    json_object_set_new(vm, "xlsx_href", download_href(c, "xlsx", NULL));
    json_object_set_new(vm, "csv_href", download_href(c, "csv", "tiltak"));
    json_object_set_new(vm, "years", year_heads(json_object_get(c->data, "years")));
    json_object_set(vm, "tally", c->tally); /* the numbers, for API clients */
    json_t *sections = json_array();
    if (json_array_size(measures)) {
        json_t *ch = charts(c);
        static const char *const firsts[] = {N_("Status"), N_("Plan"), N_("Ansvarlig enhet"),
                                             N_("År"), N_("År")};
        for (size_t i = 0; i < 5; i++)
            json_array_append_new(sections, chart_section(c, json_array_get(ch, i), tables[i + 1],
                                                          T(r, firsts[i])));
        json_decref(ch);
    }
    json_object_set_new(vm, "charts", sections);
    json_object_set_new(vm, "has_measures", json_boolean(json_array_size(measures) > 0));
    size_t overdue_total;
    json_object_set_new(vm, "overdue", measure_views(c, true, 0, OVERVIEW_OVERDUE_MAX,
                                                     &overdue_total));
    json_object_set_new(vm, "overdue_total", json_integer((json_int_t)overdue_total));
    json_object_set_new(vm, "overdue_shown",
                        json_integer((json_int_t)json_array_size(json_object_get(vm, "overdue"))));
    json_object_set_new(vm, "overdue_cut", json_boolean(overdue_total > OVERVIEW_OVERDUE_MAX));
    json_object_set_new(vm, "overdue_csv_href", download_href(c, "csv", "forsinket"));
    json_object_set_new(vm, "revision_due", revision_views(c));
    json_object_set_new(vm, "revision_csv_href", download_href(c, "csv", "revisjon"));
    json_object_set_new(vm, "indicators_behind", indicator_views(c));
    json_object_set_new(vm, "indicators_csv_href", download_href(c, "csv", "indikatorer"));
    measures_page(c, vm);
    static const char *const lists[] = {"overdue", "revision_due", "indicators_behind"};
    for (size_t i = 0; i < PV_ARRAY_LEN(lists); i++) {
        char key[64];
        snprintf(key, sizeof key, "has_%s", lists[i]);
        json_object_set_new(vm, key, json_boolean(json_array_size(json_object_get(vm, lists[i]))));
    }
    if (c->f.staff) {
        char period[FOLLOWUP_PERIOD_TEXT], url[64];
        followup_period_format(followup_period_of(c->f.today), period);
        snprintf(url, sizeof url, "/arbeid/rapportering/%s", period);
        json_object_set_new(vm, "report_url", json_string(url));
    }
    return vm;
}

/* ---------------------------------------------------------------- CSV */

static void csv_row(buf *out, json_t *fields)
{
    size_t n = json_array_size(fields);
    const char **f = pv_calloc(n ? n : 1, sizeof *f);
    char (*nums)[32] = pv_calloc(n ? n : 1, sizeof *nums);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(fields, i);
        if (json_is_integer(v)) {
            snprintf(nums[i], sizeof nums[i], "%lld", (long long)json_integer_value(v));
            f[i] = nums[i];
        } else {
            f[i] = json_string_value(v);
        }
    }
    csv_record(out, f, n, ';');
    free(f);
    free(nums);
}

/* A chart's numbers: [first column, series…], one row per category, plain numbers. */
static void csv_chart(buf *out, json_t *chart, const char *first)
{
    json_t *head = json_pack("[s]", first);
    size_t i, k;
    json_t *s, *cat;
    json_t *series = json_object_get(chart, "series");
    json_array_foreach(series, i, s)
        json_array_append(head, json_object_get(s, "label"));
    csv_row(out, head);
    json_decref(head);
    json_array_foreach(json_object_get(chart, "categories"), k, cat) {
        json_t *row = json_pack("[O]", cat);
        json_array_foreach(series, i, s)
            json_array_append(row, json_array_get(json_object_get(s, "values"), k));
        csv_row(out, row);
        json_decref(row);
    }
}

/* The measures (all, or the overdue ones) with their costs per year. */
static void csv_measures(ov_ctx *c, buf *out, bool overdue_only)
{
    pv_req *r = c->r;
    json_t *years = json_object_get(c->data, "years");
    json_t *head = json_pack("[s, s, s, s, s, s, s, s]", T(r, "Tiltak"), T(r, "Plan"),
                             T(r, "Satsingsområde"), T(r, "Ansvarlig"), T(r, "Status"),
                             T(r, "Periode"), T(r, "Fremdrift %"), T(r, "Frist"));
    size_t i;
    json_t *y, *m;
    json_array_foreach(years, i, y) {
        char text[64];
        snprintf(text, sizeof text, "%lld (%s)", (long long)json_integer_value(y),
                 T(r, "1000 kr"));
        json_array_append_new(head, json_string(text));
    }
    csv_row(out, head);
    json_decref(head);
    json_array_foreach(json_object_get(c->data, "measures"), i, m) {
        if (overdue_only && !json_is_true(json_object_get(m, "overdue")))
            continue;
        json_t *v = measure_view(c, m);
        buf status = BUF_INIT;
        buf_puts(&status, str(v, "status_label"));
        if (json_is_true(json_object_get(v, "preliminary")))
            buf_printf(&status, " (%s)", T(r, "foreløpig"));
        json_t *report = json_object_get(m, "report");
        json_t *progress = json_is_object(report) ? json_object_get(report, "progress") : NULL;
        json_t *row = json_pack("[O, O, O, s, s, s?, O, O]", json_object_get(m, "title"),
                                json_object_get(m, "plan"), json_object_get(m, "focus_area"),
                                str(v, "units_text"), buf_cstr(&status), str(v, "period"),
                                progress ? progress : json_null(), json_object_get(m, "deadline"));
        size_t k;
        json_array_foreach(years, k, y) {
            json_t *cell = cost_cell(m, y);
            json_t *amount = cell ? json_object_get(cell, "amount") : NULL;
            json_array_append(row, json_is_integer(amount) ? amount
                                   : cell && json_is_string(json_object_get(cell, "note"))
                                       ? json_object_get(cell, "note")
                                       : json_null());
        }
        csv_row(out, row);
        json_decref(row);
        json_decref(v);
        buf_finish(&status);
    }
}

static void csv_revision(ov_ctx *c, buf *out)
{
    pv_req *r = c->r;
    json_t *head = json_pack("[s, s, s]", T(r, "Plan"), T(r, "Vedtatt"), T(r, "Skulle revideres"));
    csv_row(out, head);
    json_decref(head);
    json_t *list = revision_views(c);
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        json_t *row = json_pack("[O, O, O]", json_object_get(p, "name"),
                                json_object_get(p, "adopted_year"),
                                json_object_get(p, "next_revision"));
        csv_row(out, row);
        json_decref(row);
    }
    json_decref(list);
}

static void csv_indicators(ov_ctx *c, buf *out)
{
    pv_req *r = c->r;
    json_t *head = json_pack("[s, s, s, s, s, s]", T(r, "Indikator"), T(r, "Plan"),
                             T(r, "Enhet"), T(r, "Siste måling"), T(r, "Dato"),
                             T(r, "Forventet etter banen"));
    csv_row(out, head);
    json_decref(head);
    json_t *list = indicator_views(c);
    size_t i;
    json_t *ind;
    json_array_foreach(list, i, ind) {
        json_t *row = json_pack("[O, O, O, O, O, O]", json_object_get(ind, "text"),
                                json_object_get(ind, "plan"), json_object_get(ind, "unit"),
                                json_object_get(ind, "latest"), json_object_get(ind, "latest_date"),
                                json_object_get(ind, "expected"));
        csv_row(out, row);
        json_decref(row);
    }
    json_decref(list);
}

static void send_download(pv_req *r, const char *type, const char *filename, buf *body)
{
    char disposition[200];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
    http_set_header(r->ev, "Content-Disposition", disposition);
    http_set_header(r->ev, "Cache-Control", "no-store");
    http_set_header(r->ev, "X-Content-Type-Options", "nosniff");
    bool only_head = strcmp(r->method, "HEAD") == 0;
    http_send(r->ev, 200, type, only_head ? NULL : body->data, only_head ? 0 : body->len);
}

static int send_csv(ov_ctx *c, const char *table)
{
    buf out = BUF_INIT;
    buf_puts(&out, CSV_BOM);
    size_t t = 0;
    while (strcmp(tables[t], table) != 0)
        t++;
    if (t == 0) {
        csv_measures(c, &out, false);
    } else if (t <= 5) {
        json_t *ch = charts(c);
        static const char *const firsts[] = {N_("Status"), N_("Plan"), N_("Ansvarlig enhet"),
                                             N_("År"), N_("År")};
        csv_chart(&out, json_array_get(ch, t - 1), T(c->r, firsts[t - 1]));
        json_decref(ch);
    } else if (t == 6) {
        csv_measures(c, &out, true);
    } else if (t == 7) {
        csv_revision(c, &out);
    } else {
        csv_indicators(c, &out);
    }
    char name[64];
    snprintf(name, sizeof name, "oversikt-%s.csv", table);
    send_download(c->r, "text/csv; charset=utf-8", name, &out);
    buf_finish(&out);
    return 0;
}

/* ---------------------------------------------------------------- Excel */

static json_t *xlsx_row(ov_ctx *c, json_t *m)
{
    json_t *v = measure_view(c, m);
    json_t *report = json_object_get(m, "report");
    json_t *progress = json_is_object(report) ? json_object_get(report, "progress") : NULL;
    buf status = BUF_INIT;
    buf_puts(&status, str(v, "status_label"));
    if (json_is_true(json_object_get(v, "preliminary")))
        buf_printf(&status, " (%s)", T(c->r, "foreløpig"));
    json_t *cells = json_pack("[O, O, s, s, s?, O, O]", json_object_get(m, "title"),
                              json_object_get(m, "focus_area"), str(v, "units_text"),
                              buf_cstr(&status), str(v, "period"), progress ? progress : json_null(),
                              json_object_get(m, "deadline"));
    json_t *amounts = json_array(), *notes = json_array();
    size_t k;
    json_t *y;
    json_array_foreach(json_object_get(c->data, "years"), k, y) {
        json_t *cell = cost_cell(m, y);
        json_t *amount = cell ? json_object_get(cell, "amount") : NULL;
        json_t *note = cell ? json_object_get(cell, "note") : NULL;
        json_array_append(amounts, json_is_integer(amount) ? amount : json_null());
        json_array_append(notes, json_is_string(note) ? note : json_null());
    }
    buf_finish(&status);
    json_decref(v);
    return json_pack("{s:o, s:o, s:o}", "cells", cells, "amounts", amounts, "notes", notes);
}

/* The workbook is written on a pool thread (tens of milliseconds for a large overview,
 * which would stall every request on this loop), then sent from the loop (DESIGN.md §2). */
typedef struct xlsx_job {
    pv_req *r;
    json_t *desc; /* xlsx_overview's description, owned by the job */
    buf out;
    int rc;
    char name[64];
} xlsx_job;

static void xlsx_work(void *arg)
{
    xlsx_job *j = arg;
    j->rc = xlsx_overview(j->desc, &j->out);
}

static void xlsx_done(void *arg, int status)
{
    xlsx_job *j = arg;
    if (status != PV_OK)
        j->rc = status;
    if (j->rc == PV_OK)
        send_download(j->r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      j->name, &j->out);
    web_finish(j->r, j->rc == PV_OK ? 0 : 500, NULL);
    json_decref(j->desc);
    buf_finish(&j->out);
    free(j);
}

static int send_xlsx(ov_ctx *c)
{
    pv_req *r = c->r;
    json_t *plans = json_array(), *by_plan = json_object();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(c->data, "measures"), i, m) {
        json_t *p = json_object_get(by_plan, str(m, "plan_id"));
        if (!p) {
            p = json_pack("{s:O, s:[]}", "name", json_object_get(m, "plan"), "rows");
            json_object_set_new(by_plan, str(m, "plan_id"), p);
            json_array_append(plans, p);
        }
        json_array_append_new(json_object_get(p, "rows"), xlsx_row(c, m));
    }
    json_decref(by_plan);
    xlsx_job *j = pv_calloc(1, sizeof *j);
    *j = (xlsx_job){.r = r, .out = BUF_INIT};
    /* a deep copy: the job must share no reference counts with this thread's values */
    json_t *desc = json_pack(
        "{s:s, s:s, s:s, s:s, s:[s, s, s, s, s, s, s], s:O, s:o}", "summary", T(r, "Sammendrag"),
        "plan", T(r, "Plan"), "total", T(r, "Sum"), "note", T(r, "Merknad"), "columns",
        T(r, "Tiltak"), T(r, "Satsingsområde"), T(r, "Ansvarlig"), T(r, "Status"),
        T(r, "Periode"), T(r, "Fremdrift %"), T(r, "Frist"), "years",
        json_object_get(c->data, "years"), "plans", plans);
    j->desc = json_deep_copy(desc);
    json_decref(desc);
    char day[11];
    pv_date_format(c->f.today, day);
    snprintf(j->name, sizeof j->name, "tiltaksoversikt-%s.xlsx", day);
    if (pool_submit(r->app->export_pool, r->w->base, xlsx_work, xlsx_done, j) != 0) {
        json_decref(j->desc);
        free(j);
        return 503;
    }
    return PV_DEFERRED;
}

/* ---------------------------------------------------------------- handlers */

static int overview(pv_req *r, json_t **vm, bool staff)
{
    const char *format = param(r, "format"), *table = param(r, "tabell");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        r->error = T(r, "Formatet må være «csv» eller «xlsx».");
        return 400;
    }
    if (table) {
        size_t t = 0;
        while (t < PV_ARRAY_LEN(tables) && strcmp(tables[t], table) != 0)
            t++;
        if (t == PV_ARRAY_LEN(tables)) {
            r->error = T(r, "Tabellen finnes ikke. Velg en av: tiltak, status, plan, enhet, "
                            "kostnad-plan, kostnad-enhet, forsinket, revisjon, indikatorer.");
            return 400;
        }
    }
    ov_ctx c = {.r = r, .query = BUF_INIT};
    c.f.staff = staff;
    c.f.today = pv_date_of(time(NULL));
    json_t *opts = NULL;
    if (store_overview_options(r->w->db, &opts) != PV_OK) {
        buf_finish(&c.query);
        return 500;
    }
    int status = read_filters(&c, opts);
    if (status == 0 && store_overview(r->w->db, &c.f, &c.data) != PV_OK)
        status = 500;
    if (status == 0) {
        c.tally = store_overview_tally(c.data);
        if (format && strcmp(format, "csv") == 0)
            status = send_csv(&c, table ? table : "tiltak");
        else if (format)
            status = send_xlsx(&c);
        else {
            *vm = page_view(&c, opts);
            status = 200;
        }
    }
    json_decref(opts);
    json_decref(c.data);
    json_decref(c.tally);
    buf_finish(&c.query);
    return status;
}

int page_overview(pv_req *r, json_t **vm)
{
    return overview(r, vm, false);
}

int page_staff_overview(pv_req *r, json_t **vm)
{
    return overview(r, vm, true);
}
