/* Staff writes of participation: planning a process (hvorfor, hvem, når, hvordan), its status,
 * stakeholders (interessentanalyse), events, members, the municipality's ladder and the shared
 * venues.
 * Layer: store. Each write is one BEGIN IMMEDIATE transaction that checks the input (declared
 * field rules of domain/plan.h, then the references against the database), writes, and
 * appends ONE audit event with the fields that changed, before → after. On any error nothing
 * is written; validation errors come back as PV_EINVAL with entries {field, message (a bokmål
 * msgid), detail?} in errors. Input objects are JSON in the shapes documented below; a form is
 * turned into that shape by the page. */
#ifndef PV_STORE_PROCESSES_EDIT_H
#define PV_STORE_PROCESSES_EDIT_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/audit.h"
#include "store/db.h"

/* Limits of what staff write. */
#define PROCESS_TEXT_MAX 20000  /* purpose, plans, summary */
#define PROCESS_LIST_MAX 50     /* items of target groups, methods, themes, areas */
#define PROCESS_ITEM_MAX 300    /* bytes of one such item */
#define PROCESS_PHASES_MAX 20
#define PROCESS_HOURS_MAX 1000000.0
#define PROCESS_COST_MAX 1000000000LL /* NOK */
#define LADDER_STEPS_MAX 12

/* ---- processes */

/* The editable record of a process: {id, title, plan_id, ladder_step_id, status, purpose,
 * can_influence, cannot_influence, target_groups[], methods[], themes[], areas[],
 * phases [{name, starts_on, ends_on}], opens_on, deadline_on (YYYY-MM-DD in local time, or
 * null), publish_at_once (bool), communication_plan, evaluation_plan, hours_spent (number),
 * cost_spent (integer), summary, owner_user_id}. PV_ENOTFOUND when there is none. */
int store_process_record(store *s, const char *id, json_t **out) PV_NODISCARD;

/* Creates a process from input (the record's fields but id, status and owner; title
 * required). The id is the slug of the title (plan_slugify), made unique with -2, -3 …; the
 * acting user becomes the owner. Writes the new id into id_out. Audit: process.create. */
int store_process_create(store *s, const actor *who, int64_t now, json_t *input,
                         json_t *errors, buf *id_out) PV_NODISCARD;

/* Changes the fields present in input (as for create). Audit: process.update with the
 * fields that changed; nothing is written when nothing changed. */
int store_process_update(store *s, const actor *who, int64_t now, const char *id,
                         json_t *input, json_t *errors) PV_NODISCARD;

/* Moves the process to status `to` when domain/participation.h allows it from where it is;
 * opening needs a deadline that has not passed. A refused change is PV_EINVAL with an error
 * on "status" that says why, and changes nothing. Audit: process.status. */
int store_process_set_status(store *s, const actor *who, int64_t now, const char *id,
                             const char *to, json_t *errors) PV_NODISCARD;

/* ---- stakeholders: input {name, interest ("lav"|"høy"), influence, how_reached, reached} */

/* Adds (stakeholder_id 0; the new id in *id_out) or changes a stakeholder of a process.
 * Audit: stakeholder.create|update. PV_ENOTFOUND when the process has no such one. */
int store_stakeholder_save(store *s, const actor *who, int64_t now, const char *process_id,
                           int64_t stakeholder_id, json_t *input, json_t *errors,
                           int64_t *id_out) PV_NODISCARD;
/* Audit: stakeholder.delete with what it held. */
int store_stakeholder_delete(store *s, const actor *who, int64_t now, const char *process_id,
                             int64_t stakeholder_id) PV_NODISCARD;

/* ---- events: input {kind (møte|workshop|pop-up|stand|annet), title, date (YYYY-MM-DD),
 * starts, ends (HH:MM, local time), venue_id (integer or null), method, accessibility} */

/* An event of a process as its form shows it (the input shape, with id). */
int store_event_record(store *s, const char *process_id, int64_t event_id,
                       json_t **out) PV_NODISCARD;
int store_event_save(store *s, const actor *who, int64_t now, const char *process_id,
                     int64_t event_id, json_t *input, json_t *errors,
                     int64_t *id_out) PV_NODISCARD;
int store_event_delete(store *s, const actor *who, int64_t now, const char *process_id,
                       int64_t event_id) PV_NODISCARD;

/* ---- members */

/* Adds a staff member with a process role (prosesseier, radgiver, admin) who is not disabled
 * and not already on it. Audit: process.member_add. */
int store_process_member_add(store *s, const actor *who, int64_t now, const char *process_id,
                             int64_t user_id, json_t *errors) PV_NODISCARD;
/* Audit: process.member_remove. PV_ENOTFOUND when the user is not a member. */
int store_process_member_remove(store *s, const actor *who, int64_t now,
                                const char *process_id, int64_t user_id) PV_NODISCARD;

/* ---- the ladder: input {name, explanation, methods[]} */

/* Adds a step at the top (step_id NULL: the id is the slug of the name, written into id_out)
 * or changes one. Audit: ladder_step.create|update. */
int store_ladder_step_save(store *s, const actor *who, int64_t now, const char *step_id,
                           json_t *input, json_t *errors, buf *id_out) PV_NODISCARD;
/* Moves a step one place down (delta -1) or up (+1) the ladder; at the end already nothing
 * happens. Audit: ladder_step.move. */
int store_ladder_step_move(store *s, const actor *who, int64_t now, const char *step_id,
                           int delta) PV_NODISCARD;

/* ---- venues: input {name, address, area, capacity (integer), universal_design, equipment} */

int store_venue_save(store *s, const actor *who, int64_t now, int64_t venue_id, json_t *input,
                     json_t *errors, int64_t *id_out) PV_NODISCARD;

#endif
