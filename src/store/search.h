/* Simple search over plan names and purposes and measure titles and descriptions (a LIKE
 * match on case-folded text; full-text search comes later).
 * Layer: store. */
#ifndef PV_STORE_SEARCH_H
#define PV_STORE_SEARCH_H

#include <jansson.h>

#include "store/db.h"

#define SEARCH_MAX_RESULTS 50

/* folded_query is already case-folded (utf8_fold). Fills plans [{the fields of
 * store_plans_list, purpose}] and measures [{id, title, kind, plan_id, plan_name}], each at most
 * SEARCH_MAX_RESULTS long, best first (name/title matches before text matches). */
int store_search(store *s, const char *folded_query, json_t **plans,
                 json_t **measures) PV_NODISCARD;

#endif
