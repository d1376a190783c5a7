/* Assessments of inputs: writing one (for one input or several together, in one
 * transaction, with its audit event) and reading an input's assessment with its history.
 * Assessments are append-only (triggers of migration 0004): a revision is a new row whose
 * `replaces` names the old one. Layer: store. */
#ifndef PV_STORE_ASSESSMENTS_H
#define PV_STORE_ASSESSMENTS_H

#include <jansson.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/db.h"

/* Assesses the inputs in `in` (the object of domain/assessment.h, checked again here with
 * the process's themes) of process_id, in ONE BEGIN IMMEDIATE transaction: a new assessment
 * row (replaces = the inputs' current assessment, if any), one assessment_input row per
 * input, one assessment_link row per measure or focus area (each must belong to the plan of
 * the process), input.assessment_id and input.status = 'vurdert' for each input, and the
 * audit event assessment.create. On refused input returns PV_EINVAL with {field, message[,
 * detail]} in errors and stores nothing; PV_ENOTFOUND when there is no such process. The new
 * id goes to *id. */
int store_assessment_create(store *s, const actor *who, int64_t now, const char *process_id,
                            json_t *in, json_t *errors, int64_t *id) PV_NODISCARD;

/* One assessment: {id, process_id, outcome, justification, summary, themes[], replaces,
 * assessed_by (a name or null), assessed_at, input_ids[], measures [{id, title}],
 * focus_areas [{id, name}]}. PV_ENOTFOUND when there is none. */
int store_assessment_get(store *s, int64_t id, json_t **out) PV_NODISCARD;

/* The assessments of input input_id of process_id: {current: assessment or null,
 * history: [earlier assessments of the input, newest first]}. PV_ENOTFOUND when the
 * process has no such input. */
int store_assessment_of_input(store *s, const char *process_id, int64_t input_id,
                              json_t **out) PV_NODISCARD;

/* What an assessment of process_id may link to: the focus areas of its plan with their
 * measures, [{id, name, measures [{id, title}]}] in the plan's order, with the measures
 * that have no focus area last under {id: null, name: null}. [] when the process has no
 * plan. */
int store_assessment_plan_links(store *s, const char *process_id, json_t **out) PV_NODISCARD;

#endif
