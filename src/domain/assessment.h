/* Assessing inputs (DESIGN.md §5, pbl. § 11-14): the outcomes and their labels, the input's
 * state machine mottatt → vurdert → tilbakemeldt and what it refuses, and the rules of an
 * assessment written from a form or a JSON body.
 * Layer: domain (no I/O; the store checks the same rules again inside its transaction). */
#ifndef PV_DOMAIN_ASSESSMENT_H
#define PV_DOMAIN_ASSESSMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/pv.h"

#define ASSESSMENT_GROUP_MAX 200          /* inputs assessed together */
#define ASSESSMENT_JUSTIFICATION_MAX 10000 /* bytes */
#define ASSESSMENT_SUMMARY_MAX 2000        /* bytes */
#define ASSESSMENT_LINKS_MAX 100           /* measures + focus areas */
#define ASSESSMENT_THEMES_MAX 30
#define ASSESSMENT_SUMMARY_PREFILL 300 /* characters of the input's text the summary starts from */

/* The outcomes as stored (assessment.outcome), NULL-terminated; the first needs no
 * justification. */
extern const char *const assessment_outcomes[];
#define ASSESSMENT_ACCEPTED "tatt til følge"

/* The label of an outcome, a bokmål msgid (N_) for the page layer to translate; the outcome
 * itself when unknown. */
const char *assessment_outcome_label(const char *outcome);

/* The input statuses as stored (input.status), in order, NULL-terminated. */
extern const char *const input_statuses[];

/* What happens to an input. */
typedef enum input_event {
    INPUT_ASSESS,   /* an assessment (a first one, or a revision) */
    INPUT_FEEDBACK, /* feedback to the sender */
} input_event;

/* The state machine: the status an input with status `from` gets on ev, in *to.
 *   mottatt      + assess   → vurdert
 *   vurdert      + assess   → vurdert      (a revision: a new assessment that replaces)
 *   tilbakemeldt + assess   → vurdert      (revised after the answer: answer again)
 *   mottatt      + feedback → refused      (no feedback before an assessment)
 *   vurdert      + feedback → tilbakemeldt
 *   tilbakemeldt + feedback → tilbakemeldt (a corrected answer)
 * Returns PV_OK, PV_ECONFLICT when refused, PV_EINVAL for an unknown status. */
int input_transition(const char *from, input_event ev, const char **to) PV_NODISCARD;

/* Which assessment a new one of the n inputs replaces, from their current assessments
 * (current[i], 0: none). A revision always replaces (the old row is kept and named), so the
 * inputs must share at most one current assessment: *replaces gets it (0: a first
 * assessment for all). PV_ECONFLICT when they have different ones. */
int assessment_replaces(const int64_t *current, size_t n, int64_t *replaces) PV_NODISCARD;

/* Tidies an assessment input object in place: texts lose surrounding blanks; empty optional
 * texts become null; absent lists become []. */
void assessment_normalize(json_t *in);

/* Checks an assessment input object {input_ids[], outcome, justification, summary, themes[],
 * measure_ids[], focus_area_ids[]}: known keys only; 1..ASSESSMENT_GROUP_MAX positive input
 * ids without repeats; a known outcome; a justification unless ASSESSMENT_ACCEPTED; texts
 * valid UTF-8 within their limits; themes from `themes` (the process's list); links ids of
 * the right type (that they belong to the process's plan is checked by the store). Appends
 * {field, message} errors (field_error of domain/plan.h); returns how many it added. */
size_t assessment_check(json_t *in, json_t *themes, json_t *errors);

#endif
