/* The outbox: e-mails waiting for the relay. A row is added in the same transaction as what
 * it tells about (the feedback), so nothing is sent for a change that was rolled back and
 * nothing is lost if the relay is down: the sender (mail/sender.h) claims due rows, sends,
 * and marks each sent or schedules its retry (domain/outbox.h) until it is given up.
 * Layer: store. */
#ifndef PV_STORE_OUTBOX_H
#define PV_STORE_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* How long a claimed row is kept from other senders (a second planverk, or `planverk outbox
 * send` while the server runs); a sender that died mid-send lets it go after this. */
#define OUTBOX_LEASE_SECONDS 300
#define OUTBOX_ADDRESS_MAX 254
#define OUTBOX_SUBJECT_MAX 998
#define OUTBOX_BODY_MAX (64 * 1024)

/* Queues one message, due at once. Must run inside a transaction of the caller. PV_EINVAL
 * for an empty or overlong address, subject or body. */
int store_outbox_add(store *s, int64_t feedback_id, const char *to, const char *subject,
                     const char *body, int64_t now, int64_t *id_out) PV_NODISCARD;

/* Takes up to limit (1..100) due rows (not sent, not given up, next_attempt_at <= now, with
 * an address) in its own transaction and leases them (next_attempt_at = now +
 * OUTBOX_LEASE_SECONDS): [{id, to, subject, body, attempts, created_at}], oldest first.
 * When nothing is due it only reads (no transaction, so no change is counted). */
int store_outbox_claim(store *s, int64_t now, int limit, json_t **out) PV_NODISCARD;

/* The relay took message id. */
int store_outbox_sent(store *s, int64_t id, int64_t now) PV_NODISCARD;

/* An attempt at now failed with error (one line, kept shortened): counts it and schedules
 * the next one with base (domain/outbox.h), or gives the message up (*given_up). */
int store_outbox_failed(store *s, int64_t id, int64_t now, const char *error, int64_t base,
                        bool *given_up) PV_NODISCARD;

/* The newest limit (1..1000) messages, newest first: [{id, feedback_id, to, subject,
 * created_at, attempts, next_attempt_at, sent_at, given_up_at, last_error, state}], state
 * "sendt", "gitt opp" or "venter". */
int store_outbox_list(store *s, int limit, json_t **out) PV_NODISCARD;

/* The newest message of a feedback as in store_outbox_list, or json null. */
int store_outbox_of_feedback(store *s, int64_t feedback_id, json_t **out) PV_NODISCARD;

#endif
