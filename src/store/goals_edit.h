/* Staff edits of the goal tree and its indicators: the editable records, creating, changing,
 * moving and retiring goals (never deleting them), and creating and changing indicators.
 * Layer: store. As in store/plans_edit.h: one BEGIN IMMEDIATE transaction per write that
 * checks the input (domain/plan.h rules, then the references and the shape of the tree),
 * writes, and appends ONE audit event with the fields that changed; on any error nothing is
 * written, and validation errors come back as PV_EINVAL with {field, message, detail?}
 * entries in errors. */
#ifndef PV_STORE_GOALS_EDIT_H
#define PV_STORE_GOALS_EDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/audit.h"
#include "store/db.h"

/* {id, text, level, parent_id, plan_id, lead_in, retired (bool)}; PV_ENOTFOUND. */
int store_goal_record(store *s, const char *id, json_t **out) PV_NODISCARD;

/* Every goal in document order, retired ones too: [{id, text, level, parent_id, plan_id,
 * plan_name, lead_in, retired}]. */
int store_goals_staff(store *s, json_t **out) PV_NODISCARD;

/* The ids of the retired goals: ["id", …]. */
int store_goals_retired(store *s, json_t **out) PV_NODISCARD;

/* Creates a goal (id optional: made from the text, made unique with -2, -3 …). Audit:
 * goal.create. The new id goes into id_out. */
int store_goal_create(store *s, const actor *who, int64_t now, json_t *input, json_t *errors,
                      buf *id_out) PV_NODISCARD;

/* Changes the fields present in changes. A goal keeps to the tree: a delmål under a hovedmål,
 * a hovedmål under a visjon, a visjon at the top; no goal under itself or its own sub-goals;
 * a goal is retired only without active sub-goals, and brought back only under an active
 * parent. Audit: goal.move when only the parent changed, goal.retire / goal.unretire when only
 * «retired» did, else goal.update; no event when nothing changed. PV_ENOTFOUND. */
int store_goal_update(store *s, const actor *who, int64_t now, const char *id,
                      json_t *changes, json_t *errors) PV_NODISCARD;

/* {id, text, unit, comparator, baseline_value, baseline_year, baseline_text, target_value,
 * target_year, plan_id, goal_ids[]}; PV_ENOTFOUND. */
int store_indicator_record(store *s, const char *id, json_t **out) PV_NODISCARD;

/* The records of the indicators that measure goal_id, in order. */
int store_goal_indicators(store *s, const char *goal_id, json_t **out) PV_NODISCARD;

/* Creates an indicator (id optional: "ind-" and the text, made unique). Audit:
 * indicator.create. */
int store_indicator_create(store *s, const actor *who, int64_t now, json_t *input,
                           json_t *errors, buf *id_out) PV_NODISCARD;

/* Changes the fields present in changes. Audit: indicator.update. PV_ENOTFOUND. */
int store_indicator_update(store *s, const actor *who, int64_t now, const char *id,
                           json_t *changes, json_t *errors) PV_NODISCARD;

#endif
