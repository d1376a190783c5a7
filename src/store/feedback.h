/* Feedback to the sender of an input, and the templates it starts from. Feedback is given
 * only for an assessed input; saving it records the feedback, marks the input
 * 'tilbakemeldt', queues an e-mail when the sender left an address and agreed to be
 * contacted (store/outbox.h), and appends the audit event feedback.create — all in one
 * transaction.
 * Layer: store. Contact data are read here for staff pages and the outbox only. */
#ifndef PV_STORE_FEEDBACK_H
#define PV_STORE_FEEDBACK_H

#include <jansson.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"

#define FEEDBACK_BODY_MAX 20000     /* bytes of a feedback text or a template's body */
#define FEEDBACK_SUBJECT_MAX 200    /* bytes of a template's subject */

/* What the feedback page needs of input input_id of process process_id: {input {id, text,
 * language, status, received_at, assessment_id}, process {id, title}, assessment {id,
 * outcome, justification} or null, contact {name, email, consent} or null, feedback (the
 * newest) {id, body, language, written_at, written_by} or null}. PV_ENOTFOUND when the input
 * is not one of the process's. */
int store_feedback_context(store *s, const char *process_id, int64_t input_id,
                           json_t **out) PV_NODISCARD;

/* The template of outcome in language, else the bokmål one: {outcome, language, subject,
 * body} (language is the one found). PV_ENOTFOUND when there is neither. */
int store_feedback_template_get(store *s, const char *outcome, const char *language,
                                json_t **out) PV_NODISCARD;

/* Every template, by outcome and language: [{outcome, language, subject, body}]. */
int store_feedback_templates(store *s, json_t **out) PV_NODISCARD;

/* Stores the template of outcome and language (replacing it) with the audit event
 * feedback_template.update. PV_EINVAL for an unknown outcome or language, an empty or
 * overlong subject or body, or text that is not UTF-8. */
int store_feedback_template_save(store *s, const actor *who, const char *outcome,
                                 const char *language, const char *subject, const char *body,
                                 int64_t now) PV_NODISCARD;

typedef struct feedback_new {
    const char *process_id;
    int64_t input_id;
    const char *language; /* "nb", "nn" or "en": the language it is written in */
    const char *body;     /* the text to the sender */
    const char *subject;  /* the e-mail's subject */
} feedback_new;

/* Saves feedback f (see the top of this file). Writes the new feedback's id into
 * *feedback_id and the queued e-mail's id, or 0 when none was queued, into *outbox_id.
 * Returns PV_ENOTFOUND (no such input in the process), PV_ECONFLICT (the input is not
 * assessed), PV_EINVAL (empty, overlong or non-UTF-8 body or subject, unknown language),
 * PV_EDB. Nothing is stored unless it returns 0. */
int store_feedback_create(store *s, const actor *who, const feedback_new *f, int64_t now,
                          int64_t *feedback_id, int64_t *outbox_id) PV_NODISCARD;

/* The most inputs one bulk feedback covers (store_feedback_pending lists no more). */
#define FEEDBACK_BULK_MAX 500

/* The ids of the inputs of process_id that are assessed and have no feedback on their
 * current assessment (none at all, or only on an older one), oldest first, at most
 * FEEDBACK_BULK_MAX: [id]. */
int store_feedback_pending(store *s, const char *process_id, json_t **out) PV_NODISCARD;

/* Saves the n feedbacks fs as store_feedback_create does each, all in one transaction, and
 * counts the queued e-mails into *emails. PV_ECONFLICT also when an input already has
 * feedback on its current assessment (someone sent it meanwhile); *failed is the index of
 * the feedback that was refused. Nothing is stored unless it returns 0. */
int store_feedback_create_many(store *s, const actor *who, const feedback_new *fs, size_t n,
                               int64_t now, size_t *emails, size_t *failed) PV_NODISCARD;

/* The newest feedback of an input for its sender: {text, language, written_at, outcome},
 * or json null. */
int store_feedback_latest(store *s, int64_t input_id, json_t **out) PV_NODISCARD;

#endif
