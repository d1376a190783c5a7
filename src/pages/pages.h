/* The page handlers: one per resource. Each validates its input, reads through store/ and
 * domain/, and builds ONE view-model; it never prints HTML (DESIGN.md §2).
 * Layer: pages. */
#ifndef PV_PAGES_H
#define PV_PAGES_H

#include "web/router.h"

int page_home(pv_req *r, json_t **vm);
int page_plans(pv_req *r, json_t **vm);
int page_plan(pv_req *r, json_t **vm);
int page_goals(pv_req *r, json_t **vm);
int page_search(pv_req *r, json_t **vm);

/* Raw handlers send their own reply and return 0, or return an error status. */
int page_static(pv_req *r, json_t **vm);
int page_language(pv_req *r, json_t **vm);
int page_openapi(pv_req *r, json_t **vm);

/* The context under every page's view-model: language, the language switch, the current
 * path. Used by web/render.c; lives here because it is page content. */
json_t *site_context(pv_req *r);

/* Helpers shared by the handlers. */
/* A label for a value that the data leave open: «ikke oppgitt» in the user's language. */
const char *page_not_given(pv_req *r);
/* The name under which plans without a theme are listed. */
const char *page_no_theme(pv_req *r);
/* A plan summary for lists: id, name, url, type/status with labels, years (the next
 * revision worked out by domain/plan.c), theme. */
json_t *page_plan_summary(pv_req *r, json_t *plan);

/* The level of a goal (visjon, hovedmål, delmål) in the user's language. */
const char *page_level_label(pv_req *r, const char *level);

/* An indicator for display: values as the user's language writes numbers, the comparator in
 * words (over, minst …), and a link to its plan. */
json_t *page_indicator_view(pv_req *r, json_t *indicator);

#endif
