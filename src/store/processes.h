/* Reading participation processes, the ladder and the venues (writes are in
 * processes_edit.c, inputs in inputs.c).
 * Layer: store. */
#ifndef PV_STORE_PROCESSES_H
#define PV_STORE_PROCESSES_H

#include <jansson.h>

#include "store/db.h"

/* Every process, newest deadline first: [{id, title, status, plan_id, plan_name,
 * ladder_step_id, ladder_step, ladder_position, opens_at, deadline, summary,
 * registered_inputs, demo, input_count, published_count}]. */
int store_processes_list(store *s, json_t **out) PV_NODISCARD;

/* The processes user_id owns or was added to, as store_processes_list. */
int store_processes_for_user(store *s, int64_t user_id, json_t **out) PV_NODISCARD;

/* The plans a process may serve, by name: [{id, name}]. */
int store_plan_names(store *s, json_t **out) PV_NODISCARD;

/* One process with everything on it: the columns of process (JSON lists parsed), the plan
 * {id, name} or null, the ladder step {id, position, name, explanation, methods[]} or null,
 * phases [{name, starts_on, ends_on}], events [{id, kind, title, starts_at, ends_at, method,
 * accessibility, venue {id, name, address, universal_design} or null}], stakeholders
 * [{id, name, interest, influence, how_reached, reached}], members [{id, name, email}],
 * input_count, published_count. PV_ENOTFOUND when there is none. */
int store_process_get(store *s, const char *id, json_t **out) PV_NODISCARD;

/* The ladder, bottom step first: [{id, position, name, explanation, methods[]}]. */
int store_ladder(store *s, json_t **out) PV_NODISCARD;

/* The venues by name: [{id, name, address, area, capacity, universal_design, equipment}]. */
int store_venues(store *s, json_t **out) PV_NODISCARD;

/* True when user_id owns process id or was added to it. */
bool store_process_member(store *s, const char *id, int64_t user_id);

#endif
