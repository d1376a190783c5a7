/* Staff edits of the plan portfolio: the editable record of a plan, the choices its form
 * offers, creating and updating a plan, its focus areas, and the plan's change history.
 * Layer: store. Each write is one BEGIN IMMEDIATE transaction that checks the input
 * (domain/plan.h rules, then the references against the database — so what was checked is
 * what is written), writes, and appends ONE audit event with the fields that changed,
 * before → after (domain/diff.h). On any error nothing is written; validation errors come
 * back as PV_EINVAL with entries {field, message (a bokmål msgid), detail?} in errors. */
#ifndef PV_STORE_PLANS_EDIT_H
#define PV_STORE_PLANS_EDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/plan.h"
#include "store/audit.h"
#include "store/db.h"

/* The editable fields of a plan: {id, name, type, status, adopted_year, next_revision,
 * theme_id, owner_unit, owner_user_id, parent_ids[], goal_ids[] (basis 'oppgitt'), purpose},
 * lists sorted. PV_ENOTFOUND when there is no such plan. */
int store_plan_record(store *s, const char *id, json_t **out) PV_NODISCARD;

/* The owning staff member of a plan (0: none). PV_ENOTFOUND when there is no such plan. */
int store_plan_owner(store *s, const char *id, int64_t *owner_user_id) PV_NODISCARD;

/* Every plan for the staff list, by name: [{id, name, type, status, adopted_year,
 * next_revision, owner_unit, owner_user_id, owner_name}]. */
int store_plans_staff_list(store *s, json_t **out) PV_NODISCARD;

/* What a plan form offers: {plans [{id, name}], themes [{id, name}], types [string],
 * statuses [string] (in use), goals [{id, text, level, lead_in, retired}],
 * links [{goal_id, basis}] (the goals plan_id serves now, every basis; [] for NULL)}. */
int store_plan_choices(store *s, const char *plan_id, json_t **out) PV_NODISCARD;

/* Creates a plan from input (the fields of the record; id optional: made from the name with
 * plan_slugify when absent). Writes the new id into id_out. Audit: plan.create. */
int store_plan_create(store *s, const actor *who, int64_t now, json_t *input, json_t *errors,
                      buf *id_out) PV_NODISCARD;

/* Changes the fields present in changes (a partial record; "id" may only repeat the id).
 * Audit: plan.update with the changed fields; no event when nothing changed. PV_ENOTFOUND
 * when there is no such plan. */
int store_plan_update(store *s, const actor *who, int64_t now, const char *id,
                      json_t *changes, json_t *errors) PV_NODISCARD;

/* The audit events of a plan and of its focus areas, newest first: [{id, at, actor, action,
 * object_type, object_id, changes{}, focus_area (name or null)}]. */
int store_plan_history(store *s, const char *plan_id, int limit, json_t **out) PV_NODISCARD;

/* Recomputes the plan's derived goal links (every basis but 'oppgitt': eier, strategi,
 * satsingsområde, tema) after a change that may move them. Inside the caller's
 * transaction. */
int store_plan_derive_goals(store *s, const char *plan_id) PV_NODISCARD;

/* ---- focus areas */

/* The focus areas of a plan in order: [{id, name, her_er_vi, slik_vil_vi_ha_det,
 * slik_kommer_vi_dit, slik_gjor_vi_det, position (1, 2, …)}]. */
int store_focus_areas(store *s, const char *plan_id, json_t **out) PV_NODISCARD;

/* Adds a focus area at the end (input: the focus area fields). Audit: focus_area.create. */
int store_focus_area_create(store *s, const actor *who, int64_t now, const char *plan_id,
                            json_t *input, json_t *errors, int64_t *id_out) PV_NODISCARD;
/* Changes name and texts. Audit: focus_area.update. PV_ENOTFOUND when the plan has no such
 * area. */
int store_focus_area_update(store *s, const actor *who, int64_t now, const char *plan_id,
                            int64_t area_id, json_t *changes, json_t *errors) PV_NODISCARD;
/* Moves an area one place up (delta -1) or down (+1); at the end already: nothing happens.
 * Audit: focus_area.move with its position before → after. */
int store_focus_area_move(store *s, const actor *who, int64_t now, const char *plan_id,
                          int64_t area_id, int delta) PV_NODISCARD;

/* ---- shared by the edit stores (plans_edit.c, goals_edit.c) */

/* The first column of every row of sql (bound to id) as an array of strings. */
int store_edit_column(store *s, const char *sql, const char *id, json_t **out) PV_NODISCARD;
/* Binds a JSON string/integer/real/null value. */
void store_edit_bind(sqlite3_stmt *st, int i, json_t *v);
/* Runs a prepared statement to its end; PV_EDB on an error. */
int store_edit_step(sqlite3_stmt *st) PV_NODISCARD;
/* Commits when rc is 0, else rolls back; returns rc (PV_EDB when the commit fails). */
int store_edit_finish(store *s, int rc) PV_NODISCARD;

/* How one kind of record (plan, goal, indicator) is changed in place. */
typedef struct edit_kind {
    const field_rule *rules;
    const char *fixed_id_message; /* msgid: the id cannot be changed */
    int (*read)(store *s, const char *id, json_t **out);
    /* Adds the errors of the merged record; diff holds the fields that change. */
    void (*check)(store *s, const char *id, json_t *rec, json_t *diff, json_t *errors);
    /* Writes rec over the row (and what hangs on it), and appends the audit event. */
    int (*write)(store *s, const actor *who, int64_t now, const char *id, json_t *before,
                 json_t *rec);
} edit_kind;

/* The shared update: normalizes and checks the changes, merges them into the stored record,
 * checks the result, and — when something changes — writes it and its one audit event in
 * one transaction. PV_EINVAL with errors filled, PV_ENOTFOUND, or PV_EDB. */
int store_edit_update(store *s, const edit_kind *k, const actor *who, int64_t now,
                      const char *id, json_t *changes, json_t *errors) PV_NODISCARD;

#endif
