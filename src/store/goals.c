/* Goal tree and indicator queries.
 * Layer: store. */
#include "store/goals.h"

static const char SQL_GOALS[] =
    "SELECT g.id, g.text, g.level, g.parent_id, g.plan_id, p.name, g.lead_in, g.themes,"
    " g.focus_areas FROM goal g LEFT JOIN plan p ON p.id = g.plan_id ORDER BY g.position";

static const char SQL_GOAL_PLANS[] =
    "SELECT pg.goal_id, pg.plan_id, p.name, pg.basis FROM plan_goal pg"
    " JOIN plan p ON p.id = pg.plan_id"
    " ORDER BY pg.goal_id, CASE pg.basis WHEN 'eier' THEN 0 ELSE 1 END, p.name COLLATE nb";

static const char SQL_INDICATORS[] =
    "SELECT i.id, i.text, i.unit, i.comparator, i.baseline_value, i.baseline_year,"
    " i.baseline_text, i.target_value, i.target_year, i.plan_id, p.name,"
    " (SELECT json_group_array(goal_id) FROM indicator_goal ig WHERE ig.indicator_id = i.id)"
    " FROM indicator i LEFT JOIN plan p ON p.id = i.plan_id ORDER BY i.position";

int store_goals(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GOALS);
    static const char *const names[] = {"id", "text", "level", "parent_id", "plan_id",
                                         "plan_name", "lead_in", "themes", "focus_areas"};
    return st ? store_collect_rows_json(s, st, names, PV_ARRAY_LEN(names), 7, out) : PV_EDB;
}

int store_goal_plans(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_GOAL_PLANS);
    static const char *const names[] = {"goal_id", "plan_id", "plan_name", "basis"};
    return st ? store_collect_rows(s, st, names, 4, out) : PV_EDB;
}

int store_indicators(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INDICATORS);
    static const char *const names[] = {"id", "text", "unit", "comparator", "baseline_value",
                                         "baseline_year", "baseline_text", "target_value",
                                         "target_year", "plan_id", "plan_name", "goal_ids"};
    return st ? store_collect_rows_json(s, st, names, PV_ARRAY_LEN(names), 11, out) : PV_EDB;
}
