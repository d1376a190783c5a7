/* Measures (tiltak) for follow-up: one measure with everything its page shows, the list for
 * the API, the units and the staff who belong to them, and the staff's edits of a measure
 * (fields, units, SDGs and yearly costs in one transaction with one audit event).
 * Layer: store. Writes check input with domain/measure.h, then the references inside the
 * transaction (focus area of the same plan, existing units, goal); validation errors come
 * back as PV_EINVAL with {field, message (a bokmål msgid)} entries in errors. */
#ifndef PV_STORE_MEASURES_H
#define PV_STORE_MEASURES_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/audit.h"
#include "store/db.h"

/* Every unit in order: [{id, name, short_name, kind, parent_id}]. */
int store_units(store *s, json_t **out) PV_NODISCARD;
/* The units a user belongs to: [{id, name}]. */
int store_user_units(store *s, int64_t user_id, json_t **out) PV_NODISCARD;
/* Sets the units a user belongs to (unit_ids: array of unit ids, may be empty). Audit:
 * user.units {unit_ids: [before, after]}; no event when nothing changes. PV_ENOTFOUND for
 * no such user; PV_EINVAL with an error on "unit_ids" for an unknown unit. */
int store_user_units_set(store *s, const actor *who, int64_t now, int64_t user_id,
                         json_t *unit_ids, json_t *errors) PV_NODISCARD;
/* True when the user belongs to one of the units responsible for the measure. */
bool store_measure_unit_member(store *s, const char *measure_id, int64_t user_id);

/* One measure for its page: {id, plan {id, name}, kind, title, description, focus_area
 * {id, name} | null, units [{id, name}], responsible [source words], partners, deadline,
 * priority, type, sdgs [n], goal {id, text, level} | null, plan_goals [{id, text, level}],
 * costs [{year, amount, note}], reports [{year, period, status, progress, comment,
 * reported_at, unit, closed}] (newest first; those of open periods only when
 * with_open), inputs [{id, excerpt, outcome, process {id, title}}] (published inputs whose
 * current assessment links to it)}. PV_ENOTFOUND when there is none. */
int store_measure_get(store *s, const char *id, bool with_open, json_t **out) PV_NODISCARD;

/* The editable record: {id, plan_id, kind, title, description, focus_area_id, unit_ids,
 * partners, deadline, priority, type, sdgs, goal_id, costs}. */
int store_measure_record(store *s, const char *id, json_t **out) PV_NODISCARD;

/* What the form of a measure of plan_id offers: {plan_name, focus_areas [{id, name}], units [{id,
 * name}], goals [{id, text}]}. PV_ENOTFOUND for no such plan. */
int store_measure_choices(store *s, const char *plan_id, json_t **out) PV_NODISCARD;

/* Creates a measure of kind 'tiltak' in plan_id (id made from the plan's: "<plan>-tiltak-N").
 * Audit: measure.create. PV_ENOTFOUND for no such plan. */
int store_measure_create(store *s, const actor *who, int64_t now, const char *plan_id,
                         json_t *input, json_t *errors, buf *id_out) PV_NODISCARD;
/* Changes the fields present in changes. Audit: measure.update with the changed fields; no
 * event when nothing changes. PV_ENOTFOUND for no such measure. */
int store_measure_update(store *s, const actor *who, int64_t now, const char *id,
                         json_t *changes, json_t *errors) PV_NODISCARD;

/* Measures of kind 'tiltak' for the API, by plan and position, filtered by plan id and unit
 * id (NULL: any): [{id, title, plan_id, focus_area, unit_ids, deadline, type, latest
 * {year, period, status, progress} | null}] (latest: of closed periods, or any with_open). */
int store_measures_list(store *s, const char *plan_id, const char *unit_id, bool with_open,
                        json_t **out) PV_NODISCARD;

#endif
