/* The difference between two versions of a record, as the audit trail records it: only the
 * fields that changed, each with its value before and after.
 * Layer: domain (pure: no I/O). */
#ifndef PV_DOMAIN_DIFF_H
#define PV_DOMAIN_DIFF_H

#include <jansson.h>

/* Returns a new object {"field": [before, after]} with one entry for every key of before or
 * after whose values differ (json_equal; a missing key counts as null, so {"a": null} and {}
 * are the same). before and after are objects or NULL (= {}). The result is empty when
 * nothing changed; the caller owns it. */
json_t *diff_fields(json_t *before, json_t *after);

#endif
