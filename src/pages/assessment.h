/* Pages of assessing inputs (one, or several together), and the assessments API.
 * Layer: pages. Who may call them is declared in web/routes_assessment.inc (the process's
 * members and the advisors); handlers never check it again. */
#ifndef PV_PAGES_ASSESSMENT_H
#define PV_PAGES_ASSESSMENT_H

#include "web/router.h"

/* GET /arbeid/prosesser/{slug}/innspill/{id}/vurdering: the input (with contact data), its
 * current assessment and history, and the form (prefilled from the current assessment, or
 * the summary from the start of the text). */
int page_staff_assessment(pv_req *r, json_t **vm);
/* POST …/innspill/{id}/vurdering: a new assessment (a revision replaces the current one);
 * 303 back to the page with ?lagret=1, or 422 with the form as typed and its errors. */
int page_staff_assessment_save(pv_req *r, json_t **vm);
/* GET /arbeid/prosesser/{slug}/vurdering?innspill=1&innspill=2…: the chosen inputs and one
 * form for all of them. */
int page_staff_group_assessment(pv_req *r, json_t **vm);
/* POST /arbeid/prosesser/{slug}/vurdering (innspill=… in the form): one assessment for all
 * the inputs, in one transaction; 303 to the inbox with ?vurdert=N, or 422. */
int page_staff_group_assessment_save(pv_req *r, json_t **vm);
/* POST /api/v1/processes/{slug}/assessments: JSON {input_ids, outcome, justification,
 * summary, themes, measure_ids, focus_area_ids} → 201 {id, input_ids, url}; 422 problem. */
int page_api_assessment_create(pv_req *r, json_t **vm);

#endif
