/* The merknadsbehandling: the table for the political case, one row per assessment (a group
 * of inputs assessed together is one row), inputs not yet assessed as rows of their own,
 * ordered by theme, then outcome, then date; and the CSV it is downloaded as.
 * Layer: domain. Pure functions on JSON and buffers, no I/O. */
#ifndef PV_DOMAIN_MERKNAD_H
#define PV_DOMAIN_MERKNAD_H

#include <jansson.h>

#include "core/buf.h"

/* The outcomes in their order in the table (as stored in assessment.outcome). */
extern const char *const merknad_outcomes[]; /* …, NULL */

/* Groups rows of store_merknad_rows into a new array, one element per assessment or
 * unassessed input:
 *   {assessment_id (or null), outcome (or null: «ikke vurdert»), justification, summary
 *    (the assessment's, else the inputs' texts joined by a blank line), theme (the first
 *    theme of the assessment, else of its first input; null: none), received_at (the
 *    earliest), input_ids[], senders [{type, name (on_behalf_of, null for private persons
 *    or when not given), count}]}
 * Senders are listed once each, in the order met; private persons collapse into one entry
 * with their count. Ordered by theme (none last; Norwegian collation), then outcome (in
 * merknad_outcomes order, not assessed last), then received_at, then first input id. */
json_t *merknad_group(json_t *rows);

#endif
