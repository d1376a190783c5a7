/* Storing innspill (inputs) and reading them back: the one insert that both the public form
 * (and the JSON API) and the staff's registering use, the receipt lookup, the published
 * inputs of a process, and the per-address rate limit of public writes.
 * Layer: store. Contact data go into their own table (contact) and are never read by
 * anything here that a public page shows. Receipt codes are stored only as the SHA-256 of
 * their normalized form (domain/participation.h), like session tokens: the database alone
 * opens no receipt. */
#ifndef PV_STORE_INPUTS_H
#define PV_STORE_INPUTS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/participation.h"
#include "store/audit.h"
#include "store/db.h"

/* Contact data are kept this long after the input was received, then erased (the input's
 * content stays): long enough for the process to be assessed and answered. */
#define INPUT_CONTACT_KEEP_SECONDS (2 * 365 * 86400LL)

/* How an input came in, beside what the sender wrote (domain/input.h). */
typedef struct input_meta {
    const char *process_id;  /* the process; required */
    int64_t received_at;     /* 0: now (staff give the date a letter came) */
    const actor *who;        /* the staff member registering it, or NULL: the sender
                                themselves through the form or the API */
    const char *batch;       /* inputs registered together (a workshop's notes), or NULL */
} input_meta;

/* Checks and stores one input in ONE transaction (BEGIN IMMEDIATE): reads the process,
 * checks in (domain/input.h: input_normalize, then input_check with the process's themes
 * and areas), and for a public input (meta->who NULL) that the process takes inputs now
 * (process_accepts_inputs); then writes the input (moderation 'ny', status 'mottatt',
 * channel default 'web', sender_type default 'privatperson'), its contact row when any
 * contact field was given, and its receipt hash. A staff registration also appends the
 * audit event input.create. On success writes the receipt code (formatted, "XXXX-…")
 * into code_out and the new id into id_out (may be NULL). Returns
 *   PV_ENOTFOUND  no such process (nothing stored),
 *   PV_ECONFLICT  the process does not take inputs now (errors gets {field "process",
 *                 message} saying whether it has not opened yet or is closed),
 *   PV_EINVAL     errors filled ({field, message msgid, detail?}),
 *   PV_EDB.
 * Nothing is stored unless it returns 0. in is normalized in place. */
int store_input_insert(store *s, const input_meta *meta, int64_t now, json_t *in,
                       json_t *errors, char code_out[RECEIPT_CODE_CHARS + 1],
                       int64_t *id_out) PV_NODISCARD;

#define STAFF_BATCH_MAX 100        /* inputs registered in one batch */
#define STAFF_BATCH_ID_CHARS 18    /* "b-" and 16 hex digits */

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

/* The input behind a receipt code as a person typed it (any case, dashes optional):
 * {code (formatted), input {id, text, themes[], place_area, place_text, lat, lon, channel,
 * sender_type, on_behalf_of, received_at, status, moderation}, process {id, title, status,
 * deadline}, feedback (the newest) {text, language, written_at, outcome} or null}. Never
 * contact data. PV_ENOTFOUND for a code that is malformed or unknown. */
int store_receipt_get(store *s, const char *code, json_t **out) PV_NODISCARD;

/* The inputs of a process the public may read, oldest first: moderated ('publisert'), or
 * every one not rejected when the process publishes at once. At most limit (1..1000):
 * [{id, text, themes[], place_area, place_text, lat, lon, channel, sender_type,
 * on_behalf_of, received_at, status}]. Never contact data or background answers. */
int store_inputs_published(store *s, const char *process_id, int limit,
                           json_t **out) PV_NODISCARD;

/* Counts one public write from address at now in the table rate_limit (keyed by the hex
 * SHA-256 of the address, so addresses are not stored) and says whether it is within
 * RATE_LIMIT_COUNT per RATE_LIMIT_WINDOW (rate_allow). Its own short transaction; windows
 * long past are pruned on the way. Returns 1 (allowed), 0 (over the limit), or PV_EDB when
 * the count could not be written: the caller refuses then too (fails closed). */
int store_rate_allow(store *s, const char *address, int64_t now) PV_NODISCARD;

#endif
