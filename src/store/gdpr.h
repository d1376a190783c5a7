/* Personal data of senders (contact rows): when they are due for erasure, the daily purge,
 * and a person's right to see and erase their data (GDPR art. 15 and 17).
 * Layer: store. The inputs' content and feedback are kept; only contact data go. */
#ifndef PV_STORE_GDPR_H
#define PV_STORE_GDPR_H

#include <jansson.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"

#define GDPR_BATCH 200 /* contacts erased per transaction: the purge never holds the lock long */

/* The actor of the daily purge. */
extern const actor GDPR_SYSTEM_ACTOR; /* {0, "system", NULL} */

/* Sets contact.erase_after of the inputs of process_id (NULL: every process) from the
 * process's end and retention (domain/retention.h); default_months when the process has
 * none. Call it when a process closes or its retention changes. *changed (may be NULL)
 * gets how many rows changed. */
int store_gdpr_recompute(store *s, const char *process_id, int default_months,
                         int *changed) PV_NODISCARD;

/* Recomputes every erase_after, then erases the contact data due at now (erase_after <= now):
 * the contact row is deleted, outbox.to_address of its input's feedback set to NULL, and
 * one audit event contact.erase per contact (actor «system», reason "retention"). Works in
 * transactions of GDPR_BATCH. *erased (may be NULL) gets the count. */
int store_gdpr_purge(store *s, int64_t now, int default_months, int *erased) PV_NODISCARD;

/* Every input whose contact e-mail is email (case-insensitive) with its contact data:
 * [{id, process_id, channel, sender_type, on_behalf_of, text, received_at, status,
 *   moderation, themes[], contact {name, email, phone, organisation, consent, erase_after},
 *   feedback [{written_at, language, body}]}]. */
int store_gdpr_export(store *s, const char *email, json_t **out) PV_NODISCARD;

/* Erases now the contact data whose e-mail is email, as the purge does, with reason
 * "request" and actor who. *erased gets the count (0: none found). */
int store_gdpr_erase(store *s, const actor *who, int64_t now, const char *email,
                     int *erased) PV_NODISCARD;

#endif
