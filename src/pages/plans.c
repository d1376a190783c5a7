/* The plan portfolio: /planer (the list, grouped by theme, with filters and status counts)
 * and /planer/{slug} (one plan with goals, links, focus areas and measures with costs; for a
 * signed-in staff member also the plan's change history).
 * Layer: pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/costs.h"
#include "domain/plan.h"
#include "pages/pages.h"
#include "pages/portfolio.h"
#include "store/plans.h"
#include "web/markdown.h"

/* ---------------------------------------------------------------- /planer */

/* A filter option list: [{value, label, count, selected}] from facet rows [{value|id, …}]. */
static json_t *options(pv_req *r, json_t *rows, const char *value_key, const char *label_key,
                       const char *context, const char *selected, const char *none_label)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *v = json_object_get(row, value_key);
        const char *value = json_is_string(v) ? json_string_value(v) : PLAN_FILTER_NONE;
        const char *text;
        if (!json_is_string(v))
            text = none_label;
        else if (context)
            text = i18n_pget(r->app->i18n, r->lang, context, value);
        else
            text = json_string_value(json_object_get(row, label_key));
        json_array_append_new(out, json_pack("{s:s, s:s, s:O, s:b}", "value", value, "label",
                                             text, "count", json_object_get(row, "count"),
                                             "selected", selected && strcmp(selected, value) == 0));
    }
    return out;
}

/* True when value is empty/absent or one of the option values. */
static bool allowed(json_t *opts, const char *value)
{
    if (!value)
        return true;
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
        if (strcmp(json_string_value(json_object_get(o, "value")), value) == 0)
            return true;
    return false;
}

static const char *param(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->query, name);
    return v && *v ? v : NULL;
}

/* Groups plans (already sorted) under the themes in overview order, then «no theme»
 * (the theme rows end with the one whose id is null). */
static json_t *group_by_theme(pv_req *r, json_t *themes, json_t *plans)
{
    json_t *groups = json_array();
    size_t t;
    json_t *theme;
    json_array_foreach(themes, t, theme) {
        const char *theme_id = json_string_value(json_object_get(theme, "id"));
        json_t *members = json_array();
        size_t i;
        json_t *p;
        json_array_foreach(plans, i, p) {
            const char *pid = json_string_value(json_object_get(p, "theme_id"));
            if ((theme_id && pid && strcmp(pid, theme_id) == 0) || (!theme_id && !pid))
                json_array_append_new(members, page_plan_summary(r, p));
        }
        if (json_array_size(members) == 0) {
            json_decref(members);
            continue;
        }
        json_array_append_new(
            groups, json_pack("{s:s, s:s, s:I, s:o}", "id", theme_id ? theme_id : PLAN_FILTER_NONE,
                              "name", theme_id ? json_string_value(json_object_get(theme, "name"))
                                               : page_no_theme(r),
                              "count", (json_int_t)json_array_size(members), "plans", members));
    }
    return groups;
}

static json_t *status_counts(pv_req *r, json_t *rows)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *status = json_object_get(row, "status");
        const char *value = json_is_string(status) ? json_string_value(status) : PLAN_FILTER_NONE;
        buf href = BUF_INIT;
        buf_puts(&href, "/planer?status=");
        buf_append_url(&href, value, strlen(value));
        json_t *summary = page_plan_summary(r, row);
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:s}", "status", status, "label",
                                             json_object_get(summary, "status_label"), "count",
                                             json_object_get(row, "count"), "href",
                                             buf_cstr(&href)));
        json_decref(summary);
        buf_finish(&href);
    }
    return out;
}

/* Reads the facets and builds the filter options; checks the requested values. */
static int build_filters(pv_req *r, plan_filter *f, json_t *vm, json_t **themes_out)
{
    json_t *themes = NULL, *types = NULL, *statuses = NULL;
    if (store_themes(r->w->db, &themes) != 0 || store_plan_types(r->w->db, &types) != 0 ||
        store_plan_statuses(r->w->db, &statuses) != 0) {
        json_decref(themes);
        json_decref(types);
        return 500;
    }
    json_t *opts = json_pack(
        "{s:o, s:o, s:o}", "themes",
        options(r, themes, "id", "name", NULL, f->theme_id, page_no_theme(r)), "types",
        options(r, types, "value", NULL, "plantype", f->type, page_not_given(r)), "statuses",
        options(r, statuses, "value", NULL, "planstatus", f->status, page_not_given(r)));
    json_decref(types);
    json_decref(statuses);
    json_object_set_new(vm, "options", opts);
    *themes_out = themes;

    struct {
        const char *name, *value, *key;
    } checks[] = {{"tema", f->theme_id, "themes"}, {"type", f->type, "types"},
                  {"status", f->status, "statuses"}};
    for (size_t i = 0; i < PV_ARRAY_LEN(checks); i++) {
        if (!allowed(json_object_get(opts, checks[i].key), checks[i].value)) {
            r->error = T(r, "Et filter har en verdi vi ikke kjenner. Velg blant verdiene i skjemaet.");
            return 400;
        }
    }
    return 0;
}

int page_plans(pv_req *r, json_t **vm_out)
{
    const char *sort = param(r, "sorter");
    if (sort && strcmp(sort, "navn") != 0 && strcmp(sort, "vedtatt") != 0) {
        r->error = T(r, "Sorteringen må være «navn» eller «vedtatt».");
        return 400;
    }
    plan_filter f = {param(r, "tema"), param(r, "type"), param(r, "status"),
                     sort && strcmp(sort, "vedtatt") == 0};
    json_t *vm = json_object(), *themes = NULL;
    int status = build_filters(r, &f, vm, &themes);
    json_t *plans = NULL, *counts = NULL, *all = NULL;
    plan_filter none = {0};
    if (status == 0 && (store_plans_list(r->w->db, &f, &plans) != 0 ||
                        store_plans_status_counts(r->w->db, &f, &counts) != 0 ||
                        store_plans_list(r->w->db, &none, &all) != 0))
        status = 500;
    if (status != 0) {
        json_decref(vm);
        json_decref(themes);
        json_decref(plans);
        json_decref(counts);
        return status;
    }
    json_object_set_new(vm, "filters",
                        json_pack("{s:s?, s:s?, s:s?, s:s}", "tema", f.theme_id, "type", f.type,
                                  "status", f.status, "sorter", f.sort_by_year ? "vedtatt" : "navn"));
    json_object_set_new(vm, "sort_by_year", json_boolean(f.sort_by_year));
    json_object_set_new(vm, "filtered", json_boolean(f.theme_id || f.type || f.status));
    json_object_set_new(vm, "total", json_integer((json_int_t)json_array_size(all)));
    json_object_set_new(vm, "shown", json_integer((json_int_t)json_array_size(plans)));
    json_object_set_new(vm, "status_counts", status_counts(r, counts));
    json_object_set_new(vm, "groups", group_by_theme(r, themes, plans));
    json_decref(themes);
    json_decref(plans);
    json_decref(counts);
    json_decref(all);
    *vm_out = vm;
    return 200;
}

/* ---------------------------------------------------------------- /planer/{slug} */

static json_t *link_list(json_t *rows, const char *url_prefix)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *item = json_deep_copy(row);
        buf url = BUF_INIT;
        buf_printf(&url, "%s%s", url_prefix, json_string_value(json_object_get(row, "id")));
        json_object_set_new(item, "url", json_string(buf_cstr(&url)));
        buf_finish(&url);
        json_array_append_new(out, item);
    }
    return out;
}

static const char *basis_label(pv_req *r, const char *basis)
{
    if (!basis)
        return "";
    if (strcmp(basis, "eier") == 0)
        return T(r, "planens eget mål");
    if (strcmp(basis, "strategi") == 0)
        return T(r, "gjennom planens strategier");
    if (strcmp(basis, "satsingsområde") == 0)
        return T(r, "gjennom planens satsingsområder");
    if (strcmp(basis, "tema") == 0)
        return T(r, "samme tema i planoversikten");
    return T(r, "oppgitt av planleggeren");
}

static json_t *goals_served(pv_req *r, json_t *goals)
{
    json_t *out = link_list(goals, "/mal#mal-");
    size_t i;
    json_t *g;
    json_array_foreach(out, i, g) {
        json_object_set_new(g, "basis_label",
                            json_string(basis_label(r, json_string_value(json_object_get(g, "basis")))));
        json_object_set_new(g, "level_label",
                            json_string(page_level_label(r, json_string_value(json_object_get(g, "level")))));
    }
    return out;
}

/* Sets amount_label on each cell: the amount written the Norwegian way, or null. */
static json_t *label_amounts(json_t *cells)
{
    size_t i;
    json_t *cell;
    json_array_foreach(cells, i, cell) {
        json_t *amount = json_object_get(cell, "amount");
        char text[32];
        if (json_is_integer(amount))
            costs_format(json_integer_value(amount), text, sizeof text);
        json_object_set_new(cell, "amount_label",
                            json_is_integer(amount) ? json_string(text) : json_null());
    }
    return cells;
}

/* One measure's cost cells for display: the amount, the note, or an empty marker. */
static json_t *cost_cells(json_t *measure, json_t *years)
{
    json_t *row = label_amounts(costs_row(measure, years));
    size_t i;
    json_t *cell;
    json_array_foreach(row, i, cell)
        json_object_set_new(cell, "empty",
                            json_boolean(json_is_null(json_object_get(cell, "amount_label")) &&
                                         !json_is_string(json_object_get(cell, "note"))));
    return row;
}

static json_t *sum_cells(json_t *measures, json_t *years)
{
    return label_amounts(costs_sum(measures, years));
}

static const char *heading_label(pv_req *r, int h)
{
    switch (h) {
    case HEADING_HER_ER_VI: return T(r, "Her er vi");
    case HEADING_SLIK_VIL_VI: return T(r, "Slik vil vi ha det");
    case HEADING_SLIK_KOMMER_VI: return T(r, "Slik kommer vi dit");
    default: return T(r, "Slik gjør vi det");
    }
}

/* A measure for display: its fields, responsible units joined, and its cost cells. */
static json_t *measure_view(json_t *m, json_t *years)
{
    json_t *v = json_deep_copy(m);
    buf who = BUF_INIT;
    size_t i;
    json_t *unit;
    json_array_foreach(json_object_get(m, "responsible"), i, unit) {
        if (i)
            buf_puts(&who, ", ");
        buf_puts(&who, json_string_value(unit));
    }
    json_object_set_new(v, "responsible_label", who.len ? json_string(who.data) : json_null());
    buf_finish(&who);
    const char *title = json_string_value(json_object_get(m, "title"));
    const char *desc = json_string_value(json_object_get(m, "description"));
    json_object_set_new(v, "has_more", json_boolean(desc && title && strcmp(desc, title) != 0));
    json_object_set_new(v, "description_lines", page_lines(desc));
    char url[160];
    snprintf(url, sizeof url, "/tiltak/%s", json_string_value(json_object_get(m, "id")));
    json_object_set_new(v, "url", json_string(url));
    if (json_array_size(years))
        json_object_set_new(v, "cells", cost_cells(m, years));
    return v;
}

/* Builds one focus area: the four headings with the measures that belong under each. */
static json_t *focus_area_view(pv_req *r, json_t *area, json_t *measures, json_t *years)
{
    json_int_t area_id = json_integer_value(json_object_get(area, "id"));
    json_t *by_heading[HEADING_COUNT];
    for (int h = 0; h < HEADING_COUNT; h++)
        by_heading[h] = json_array();
    json_t *tiltak = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(measures, i, m) {
        json_t *fa = json_object_get(m, "focus_area_id");
        bool here = area ? json_integer_value(fa) == area_id : json_is_null(fa);
        int h = plan_heading_for_kind(json_string_value(json_object_get(m, "kind")));
        if (!here || h < 0)
            continue;
        json_array_append_new(by_heading[h], measure_view(m, years));
        if (h == HEADING_SLIK_GJOR_VI)
            json_array_append(tiltak, m);
    }
    json_t *headings = json_array();
    int items = 0;
    for (int h = 0; h < HEADING_COUNT; h++) {
        json_t *text = area ? json_object_get(area, plan_heading_keys[h]) : NULL;
        size_t n = json_array_size(by_heading[h]);
        items += (int)n + (json_is_string(text) ? 1 : 0);
        json_array_append_new(
            headings, json_pack("{s:s, s:s, s:O, s:o, s:b, s:b, s:b}", "key",
                                plan_heading_keys[h], "label", heading_label(r, h), "text",
                                text ? text : json_null(), "measures", by_heading[h],
                                "has_measures", n > 0, "is_table",
                                h == HEADING_SLIK_GJOR_VI && n > 0, "empty",
                                n == 0 && !json_is_string(text)));
    }
    json_t *view = json_pack(
        "{s:O, s:s, s:o, s:b}", "id", area ? json_object_get(area, "id") : json_null(), "name",
        area ? json_string_value(json_object_get(area, "name")) : T(r, "Uten satsingsområde"),
        "headings", headings, "has_content", items > 0);
    if (json_array_size(years) && json_array_size(tiltak))
        json_object_set_new(view, "sums", sum_cells(tiltak, years));
    json_decref(tiltak);
    return view;
}

static json_t *focus_areas_view(pv_req *r, json_t *plan, json_t *years)
{
    json_t *areas = json_object_get(plan, "focus_areas"), *measures = json_object_get(plan, "measures");
    json_t *out = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(areas, i, a)
        json_array_append_new(out, focus_area_view(r, a, measures, years));
    bool loose = false; /* measures outside any focus area */
    json_array_foreach(measures, i, a)
        loose |= json_is_null(json_object_get(a, "focus_area_id"));
    if (loose)
        json_array_append_new(out, focus_area_view(r, NULL, measures, years));
    return out;
}

/* The yearly cost table of the whole plan: one row per focus area, and the total. */
static json_t *cost_summary(pv_req *r, json_t *plan, json_t *areas, json_t *years)
{
    json_t *tiltak = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(plan, "measures"), i, m)
        if (plan_heading_for_kind(json_string_value(json_object_get(m, "kind"))) ==
            HEADING_SLIK_GJOR_VI)
            json_array_append(tiltak, m);
    json_t *rows = json_array();
    json_t *a;
    json_array_foreach(areas, i, a)
        if (json_object_get(a, "sums"))
            json_array_append_new(rows, json_pack("{s:O, s:O}", "name", json_object_get(a, "name"),
                                                  "sums", json_object_get(a, "sums")));
    json_t *summary = json_pack("{s:O, s:o, s:o, s:s}", "years", years, "rows", rows, "total",
                                sum_cells(tiltak, years), "unit", T(r, "1000 kr"));
    json_decref(tiltak);
    return summary;
}

static void add_plan_facts(json_t *plan, json_t *view)
{
    const char *purpose = json_string_value(json_object_get(plan, "purpose"));
    char *html = purpose ? markdown_to_html(purpose, strlen(purpose)) : NULL;
    json_object_set_new(view, "purpose_html", html ? json_string(html) : json_null());
    free(html);
    json_object_del(view, "purpose");
    json_object_set_new(view, "has_listed_areas",
                        json_boolean(json_array_size(json_object_get(view, "focus_areas_listed"))));
    json_object_set_new(view, "has_notes",
                        json_boolean(json_array_size(json_object_get(view, "notes"))));
}

/* Sets has_<key> for each list in vm, so templates can leave out empty sections. */
static void set_presence(json_t *vm, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "has_%s", keys[i]);
        json_object_set_new(vm, flag, json_boolean(json_array_size(json_object_get(vm, keys[i]))));
    }
}

static json_t *indicators_view(pv_req *r, json_t *indicators)
{
    json_t *out = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind)
        json_array_append_new(out, page_indicator_view(r, ind));
    return out;
}

int page_plan(pv_req *r, json_t **vm_out)
{
    const char *id = r->params[0];
    json_t *plan;
    if (!plan_id_valid(id))
        return 404;
    int rc = store_plan_get(r->w->db, id, &plan);
    if (rc == PV_ENOTFOUND)
        return 404;
    if (rc != 0)
        return 500;
    json_t *view = page_plan_summary(r, plan);
    static const char *const heavy[] = {"parents", "children", "relations", "goals",
                                        "focus_areas", "measures", "indicators"};
    for (size_t i = 0; i < PV_ARRAY_LEN(heavy); i++)
        json_object_del(view, heavy[i]);
    add_plan_facts(plan, view);

    json_t *years = costs_years(json_object_get(plan, "measures"));
    json_t *areas = focus_areas_view(r, plan, years);
    json_t *vm = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "plan", view, "parents",
                           link_list(json_object_get(plan, "parents"), "/planer/"), "children",
                           link_list(json_object_get(plan, "children"), "/planer/"), "relations",
                           link_list(json_object_get(plan, "relations"), "/planer/"), "goals",
                           goals_served(r, json_object_get(plan, "goals")), "indicators",
                           indicators_view(r, json_object_get(plan, "indicators")), "has_costs",
                           json_array_size(years) > 0);
    json_object_set_new(vm, "measure_count",
                        json_integer((json_int_t)json_array_size(json_object_get(plan, "measures"))));
    if (json_array_size(years))
        json_object_set_new(vm, "costs", cost_summary(r, plan, areas, years));
    json_object_set_new(vm, "focus_areas", areas);
    static const char *const lists[] = {"goals", "parents", "children", "relations",
                                        "focus_areas", "indicators"};
    set_presence(vm, lists, PV_ARRAY_LEN(lists));
    json_decref(years);
    json_decref(plan);
    if (r->user) { /* staff see the plan's change history (never cached: r->user is set) */
        json_t *staff = portfolio_plan_staff_view(r, id);
        if (!staff) {
            json_decref(vm);
            return 500;
        }
        json_object_set_new(vm, "staff", staff);
    }
    *vm_out = vm;
    return 200;
}
