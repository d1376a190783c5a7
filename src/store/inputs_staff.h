/* The staff's side of inputs: every input of a process with its contact data (for staff
 * eyes only), moderation, and registering a workshop's notes as several inputs at once.
 * Layer: store. One input at a time is registered through store_input_insert
 * (store/inputs.h), the insert every channel shares; a batch needs one transaction around
 * all its inputs, which that function (its own BEGIN IMMEDIATE) cannot join, so the batch
 * insert is here, with the same rules (domain/input.h) and the same audit event. */
#ifndef PV_STORE_INPUTS_STAFF_H
#define PV_STORE_INPUTS_STAFF_H

#include <jansson.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"

#define STAFF_INPUTS_LIST_MAX 2000 /* inputs on one list page */
#define STAFF_BATCH_MAX 100        /* inputs registered in one batch */
#define STAFF_BATCH_ID_CHARS 18    /* "b-" and 16 hex digits */

/* The moderation states, as stored (input.moderation). */
extern const char *const input_moderations[]; /* "ny", "publisert", "avvist", NULL */

typedef struct staff_input_filter {
    const char *channel;    /* one of input_channels, or NULL: any */
    const char *moderation; /* one of input_moderations, or NULL: any */
} staff_input_filter;

/* The inputs of process_id, newest received first, at most STAFF_INPUTS_LIST_MAX:
 * [{id, text, channel, sender_type, on_behalf_of, received_at, place_area, place_text, lat,
 * lon, status, moderation, batch, registered_by (a name or null), themes[], contact {name,
 * email, phone, consent} or null}]. Contact data: for the staff pages only. */
int store_inputs_staff_list(store *s, const char *process_id, const staff_input_filter *f,
                            json_t **out) PV_NODISCARD;

/* How many inputs process_id has in each moderation state: {total, ny, publisert, avvist}. */
int store_inputs_staff_counts(store *s, const char *process_id, json_t **out) PV_NODISCARD;

/* Sets the moderation of input input_id, which must belong to process_id, to state (one of
 * input_moderations), with the audit event input.moderate {moderation: [before, after]}, in
 * one transaction. PV_ENOTFOUND when the process has no such input, PV_EINVAL for an unknown
 * state; a state that is already set changes nothing and writes no event. */
int store_input_moderate(store *s, const actor *who, int64_t now, const char *process_id,
                         int64_t input_id, const char *state) PV_NODISCARD;

/* Registers the inputs (an array of 1..STAFF_BATCH_MAX input objects of domain/input.h,
 * without contact fields) for process_id, received at received_at, by who, in ONE
 * transaction with a new shared batch id (written into batch_out): each is tidied and
 * checked (input_normalize, input_check as staff, with the process's themes and areas)
 * and stored with moderation 'ny', status 'mottatt' and no receipt code (no sender waits
 * for one), with the audit event input.create each. Errors of input k (0-based) are
 * appended as {field "notes", message, detail "k+1"}. Returns PV_ENOTFOUND (no process),
 * PV_EINVAL (errors filled), PV_ELIMIT (no inputs or too many), PV_EDB; nothing is stored
 * unless it returns 0. The input objects are normalized in place. */
int store_inputs_register_batch(store *s, const actor *who, const char *process_id,
                                int64_t received_at, int64_t now, json_t *inputs,
                                json_t *errors, char batch_out[STAFF_BATCH_ID_CHARS + 1])
    PV_NODISCARD;

#endif
