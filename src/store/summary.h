/* What a process's summary and merknadsbehandling read: counts of inputs by theme, channel
 * and outcome, the published inputs with their current assessment (no personal data), and
 * every input with its assessment for the staff's table.
 * Layer: store. */
#ifndef PV_STORE_SUMMARY_H
#define PV_STORE_SUMMARY_H

#include <jansson.h>

#include "store/db.h"

#define SUMMARY_INPUTS_MAX 5000 /* inputs read for one page */

/* The public summary of process_id. Inputs rejected in moderation are not counted:
 * {total, themes [{name, count}], channels [{channel, count}], outcomes [{outcome, count}]
 * (outcome null: not assessed yet), inputs [{id, text, channel, sender_type, on_behalf_of
 * (null for private persons), received_at, themes[], assessment {id, outcome,
 * justification, links [{measure_id, focus_area_id, title}]} or null}]} — only published
 * inputs, oldest first. Never contact data, names of persons or background answers. */
int store_summary_get(store *s, const char *process_id, json_t **out) PV_NODISCARD;

/* Every input of process_id with its current assessment, for the merknadsbehandling
 * (domain/merknad.h groups them): [{id, text, channel, sender_type, on_behalf_of,
 * received_at, themes[], moderation, assessment_id, outcome, justification, summary,
 * assessment_themes[], assessed_at}]. */
int store_merknad_rows(store *s, const char *process_id, json_t **out) PV_NODISCARD;

#endif
