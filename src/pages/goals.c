/* /mal: the goal tree (visjon → hovedmål → delmål), with the plans that serve each goal and
 * the indicators with baseline and target; then goals without a stated parent, grouped by
 * plan and theme; then indicators that the data tie to a plan but to no goal. Goals the staff
 * have retired are left out.
 * Layer: pages. */
#include <stdio.h>
#include <string.h>

#include "domain/plan.h"
#include "pages/pages.h"
#include "store/goals.h"
#include "store/goals_edit.h"

const char *page_level_label(pv_req *r, const char *level)
{
    if (strcmp(level, "visjon") == 0)
        return T(r, "Visjon");
    if (strcmp(level, "hovedmål") == 0)
        return T(r, "Hovedmål");
    return T(r, "Delmål");
}

static const char *comparator_label(pv_req *r, const char *c)
{
    if (!c)
        return NULL;
    if (strcmp(c, ">") == 0)
        return T(r, "over");
    if (strcmp(c, ">=") == 0)
        return T(r, "minst");
    if (strcmp(c, "<") == 0)
        return T(r, "under");
    return T(r, "høyst");
}

/* A number as people in r's language write it: 33,5 in Norwegian, 33.5 in English. */
static json_t *number_label(pv_req *r, json_t *v)
{
    if (!json_is_number(v))
        return json_null();
    char text[64];
    snprintf(text, sizeof text, "%.15g", json_number_value(v));
    if (strcmp(r->lang, "en") != 0) {
        char *dot = strchr(text, '.');
        if (dot)
            *dot = ',';
    }
    return json_string(text);
}

json_t *page_indicator_view(pv_req *r, json_t *ind)
{
    json_t *v = json_deep_copy(ind);
    json_object_set_new(v, "baseline_label", number_label(r, json_object_get(ind, "baseline_value")));
    json_object_set_new(v, "target_label", number_label(r, json_object_get(ind, "target_value")));
    const char *cmp = comparator_label(r, json_string_value(json_object_get(ind, "comparator")));
    json_object_set_new(v, "comparator_label", cmp ? json_string(cmp) : json_null());
    const char *plan_id = json_string_value(json_object_get(ind, "plan_id"));
    if (plan_id) {
        char url[160];
        snprintf(url, sizeof url, "/planer/%s", plan_id);
        json_object_set_new(v, "plan_url", json_string(url));
    }
    return v;
}


/* A goal node: the goal, the plans that serve it, its indicators and (recursively) its
 * children. depth keeps a broken tree from recursing without end. */
static json_t *goal_node(pv_req *r, json_t *goal, json_t *goals, json_t *links,
                         json_t *indicators, int depth)
{
    const char *id = json_string_value(json_object_get(goal, "id"));
    json_t *node = json_deep_copy(goal);
    json_object_set_new(node, "level_label",
                        json_string(page_level_label(r, json_string_value(json_object_get(goal, "level")))));
    json_t *plans = json_array(), *inds = json_array(), *children = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(links, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "goal_id")), id) != 0)
            continue;
        char url[160];
        snprintf(url, sizeof url, "/planer/%s", json_string_value(json_object_get(v, "plan_id")));
        json_array_append_new(plans, json_pack("{s:O, s:O, s:s}", "id", json_object_get(v, "plan_id"),
                                               "name", json_object_get(v, "plan_name"), "url", url));
    }
    json_array_foreach(indicators, i, v)
        if (json_list_has(json_object_get(v, "goal_ids"), id))
            json_array_append_new(inds, page_indicator_view(r, v));
    if (depth < 8) {
        json_array_foreach(goals, i, v) {
            const char *parent = json_string_value(json_object_get(v, "parent_id"));
            if (parent && strcmp(parent, id) == 0)
                json_array_append_new(children, goal_node(r, v, goals, links, indicators, depth + 1));
        }
    }
    const char *level = json_string_value(json_object_get(goal, "level"));
    json_object_set_new(node, "level_class",
                        json_string(strcmp(level, "visjon") == 0     ? "visjon"
                                    : strcmp(level, "hovedmål") == 0 ? "hovedmal"
                                                                     : "delmal"));
    json_object_set_new(node, "context", json_null());
    json_object_set_new(node, "has_plans", json_boolean(json_array_size(plans) > 0));
    json_object_set_new(node, "has_indicators", json_boolean(json_array_size(inds) > 0));
    json_object_set_new(node, "plans", plans);
    json_object_set_new(node, "indicators", inds);
    json_object_set_new(node, "children", children);
    json_object_set_new(node, "has_children", json_boolean(json_array_size(children) > 0));
    return node;
}

/* Finds or adds the group called name in groups ([{name, anchor, plan_id, plan_url,
 * items[]}]) and returns its items. */
static json_t *group_for(json_t *groups, const char *prefix, const char *name,
                         const char *plan_id)
{
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
        if (strcmp(json_string_value(json_object_get(g, "name")), name) == 0)
            return json_object_get(g, "items");
    json_t *items = json_array();
    char anchor[160];
    snprintf(anchor, sizeof anchor, "%s-%s", prefix, plan_id ? plan_id : "uten-plan");
    json_t *group = json_pack("{s:s, s:s, s:s?, s:o}", "name", name, "anchor", anchor, "plan_id",
                              plan_id, "items", items);
    if (plan_id) {
        char url[160];
        snprintf(url, sizeof url, "/planer/%s", plan_id);
        json_object_set_new(group, "plan_url", json_string(url));
    }
    json_array_append_new(groups, group);
    return items;
}

/* Leaves out the goals the staff have retired, and drops them from the indicators' goals
 * (an indicator left without a goal is then listed under its plan). */
static void hide_retired(json_t *goals, json_t *indicators, json_t *retired)
{
    for (size_t i = json_array_size(goals); i-- > 0;)
        if (json_list_has(retired, json_string_value(json_object_get(json_array_get(goals, i), "id"))))
            json_array_remove(goals, i);
    size_t i;
    json_t *ind;
    json_array_foreach(indicators, i, ind) {
        json_t *ids = json_object_get(ind, "goal_ids");
        for (size_t j = json_array_size(ids); j-- > 0;)
            if (json_list_has(retired, json_string_value(json_array_get(ids, j))))
                json_array_remove(ids, j);
    }
}

int page_goals(pv_req *r, json_t **vm_out)
{
    json_t *goals = NULL, *links = NULL, *indicators = NULL, *retired = NULL;
    if (store_goals(r->w->db, &goals) != 0 || store_goal_plans(r->w->db, &links) != 0 ||
        store_indicators(r->w->db, &indicators) != 0 ||
        store_goals_retired(r->w->db, &retired) != 0) {
        json_decref(goals);
        json_decref(links);
        json_decref(indicators);
        return 500;
    }
    hide_retired(goals, indicators, retired);
    json_decref(retired);
    json_t *trees = json_array(), *loose = json_array(), *plan_indicators = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(goals, i, g) {
        if (!json_is_null(json_object_get(g, "parent_id")))
            continue;
        json_t *node = goal_node(r, g, goals, links, indicators, 0);
        if (json_is_true(json_object_get(node, "has_children"))) {
            const char *plan_name = json_string_value(json_object_get(g, "plan_name"));
            char anchor[160];
            snprintf(anchor, sizeof anchor, "tre-%s", json_string_value(json_object_get(g, "id")));
            json_array_append_new(
                trees, json_pack("{s:s, s:s, s:o}", "title",
                                 plan_name ? plan_name : T(r, "Kommunens visjon og hovedmål"),
                                 "anchor", anchor, "root", node));
            continue;
        }
        /* A goal without parent or children: group it by its plan, then by theme. */
        const char *plan_name = json_string_value(json_object_get(g, "plan_name"));
        const char *plan_id = json_string_value(json_object_get(g, "plan_id"));
        json_t *themes = json_object_get(g, "themes");
        json_t *areas = json_object_get(g, "focus_areas");
        const char *sub = json_array_size(themes) ? json_string_value(json_array_get(themes, 0))
                          : json_array_size(areas) ? json_string_value(json_array_get(areas, 0))
                                                   : NULL;
        json_object_set_new(node, "context", sub ? json_string(sub) : json_null());
        json_array_append_new(
            group_for(loose, "gruppe",
                      plan_name ? plan_name : T(r, "Mål fra overordnet planverk uten oppgitt plan"),
                      plan_id),
            node);
    }
    json_array_foreach(indicators, i, g) {
        if (json_array_size(json_object_get(g, "goal_ids")))
            continue;
        const char *plan_name = json_string_value(json_object_get(g, "plan_name"));
        json_array_append_new(group_for(plan_indicators, "indikatorer",
                                        plan_name ? plan_name : T(r, "Uten plan"),
                                        json_string_value(json_object_get(g, "plan_id"))),
                              page_indicator_view(r, g));
    }
    *vm_out = json_pack("{s:o, s:o, s:o, s:I, s:I}", "trees", trees, "loose", loose,
                        "plan_indicators", plan_indicators, "goal_count",
                        (json_int_t)json_array_size(goals), "indicator_count",
                        (json_int_t)json_array_size(indicators));
    json_decref(goals);
    json_decref(links);
    json_decref(indicators);
    return 200;
}
