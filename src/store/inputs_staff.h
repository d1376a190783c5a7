/* The staff's side of inputs: every input of a process with its contact data (for staff
 * eyes only), and moderation. Registering is in store/inputs.h (one input, or a workshop's
 * notes as a batch). Layer: store. */
#ifndef PV_STORE_INPUTS_STAFF_H
#define PV_STORE_INPUTS_STAFF_H

#include <jansson.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/inputs.h"
#include "store/db.h"

#define STAFF_INPUTS_LIST_MAX 2000 /* inputs on one list page */

/* The moderation states, as stored (input.moderation). */
extern const char *const input_moderations[]; /* "ny", "publisert", "avvist", NULL */

typedef struct staff_input_filter {
    const char *channel;    /* one of input_channels, or NULL: any */
    const char *moderation; /* one of input_moderations, or NULL: any */
    const char *status;     /* one of input_statuses (domain/assessment.h), or NULL: any */
    const char *theme;      /* a theme the input was given, or NULL: any */
    const char *outcome;    /* the outcome of its current assessment, or NULL: any */
} staff_input_filter;

/* The inputs of process_id, newest received first, at most STAFF_INPUTS_LIST_MAX:
 * [{id, text, channel, sender_type, on_behalf_of, received_at, place_area, place_text, lat,
 * lon, status, moderation, batch, registered_by (a name or null), themes[], contact {name,
 * email, phone, consent} or null, assessment_id, outcome (of the current assessment, or
 * null)}]. Contact data: for the staff pages only. */
int store_inputs_staff_list(store *s, const char *process_id, const staff_input_filter *f,
                            json_t **out) PV_NODISCARD;

/* One input of process_id as a row of store_inputs_staff_list. PV_ENOTFOUND when the
 * process has no such input. */
int store_input_staff_get(store *s, const char *process_id, int64_t input_id,
                          json_t **out) PV_NODISCARD;

/* How many inputs process_id has in each moderation state: {total, ny, publisert, avvist}. */
int store_inputs_staff_counts(store *s, const char *process_id, json_t **out) PV_NODISCARD;

/* Sets the moderation of input input_id, which must belong to process_id, to state (one of
 * input_moderations), with the audit event input.moderate {moderation: [before, after]}, in
 * one transaction. PV_ENOTFOUND when the process has no such input, PV_EINVAL for an unknown
 * state; a state that is already set changes nothing and writes no event. */
int store_input_moderate(store *s, const actor *who, int64_t now, const char *process_id,
                         int64_t input_id, const char *state) PV_NODISCARD;

#endif
