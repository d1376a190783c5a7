/* Reading the goal tree, the plans that serve each goal, and the indicators.
 * Layer: store. */
#ifndef PV_STORE_GOALS_H
#define PV_STORE_GOALS_H

#include <jansson.h>

#include "store/db.h"

/* Every goal in document order: [{id, text, level, parent_id, plan_id, plan_name, lead_in,
 * themes[], focus_areas[]}]. */
int store_goals(store *s, json_t **out) PV_NODISCARD;

/* Every link between a plan and a goal it serves: [{goal_id, plan_id, plan_name, basis}]. */
int store_goal_plans(store *s, json_t **out) PV_NODISCARD;

/* Every indicator: [{id, text, unit, comparator, baseline_value, baseline_year,
 * baseline_text, target_value, target_year, plan_id, plan_name, goal_ids[]}]. */
int store_indicators(store *s, json_t **out) PV_NODISCARD;

#endif
