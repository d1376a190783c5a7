/* Reading the plan portfolio: lists with filters, facets and one plan with everything that
 * hangs on it. Results are jansson values owned by the caller.
 * Layer: store. */
#ifndef PV_STORE_PLANS_H
#define PV_STORE_PLANS_H

#include <jansson.h>

#include "store/db.h"

/* Filter values; NULL means "any". PLAN_FILTER_NONE matches plans where the field is empty
 * (no theme, type or status given in the data). */
#define PLAN_FILTER_NONE "ikke-oppgitt"

typedef struct plan_filter {
    const char *theme_id;
    const char *type;
    const char *status;
    bool sort_by_year; /* newest adopted first, unknown years last; else by name */
} plan_filter;

/* Plans matching f: [{id, name, abbreviation, type, status, status_detail, adopted_year,
 * next_revision, theme_id, theme, owner_unit}]. */
int store_plans_list(store *s, const plan_filter *f, json_t **out) PV_NODISCARD;

/* The plans a staff member owns, by name (same fields as store_plans_list). */
int store_plans_owned(store *s, int64_t user_id, json_t **out) PV_NODISCARD;

/* Counts of plans by status among those matching f's theme and type (f->status is
 * ignored): [{status (string or null), count}], most frequent first. */
int store_plans_status_counts(store *s, const plan_filter *f, json_t **out) PV_NODISCARD;

/* Every theme [{id, name, count}] in overview order, then {id: null, name: null, count}
 * for the plans without a theme (if any); types and statuses in use [{value, count}] with
 * null for "not given". */
int store_themes(store *s, json_t **out) PV_NODISCARD;
int store_plan_types(store *s, json_t **out) PV_NODISCARD;
int store_plan_statuses(store *s, json_t **out) PV_NODISCARD;

/* One plan with its links: the summary fields plus purpose, seed_description,
 * focus_areas_label, focus_areas_listed, type_variants, notes, source; "parents",
 * "children", "relations" [{id, name, relation?}], "goals" [{id, text, level, basis}] (not
 * the retired ones), "focus_areas" [{id, name, her_er_vi, slik_vil_vi_ha_det,
 * slik_kommer_vi_dit, slik_gjor_vi_det}] (the texts under the four headings), "measures"
 * [{id, focus_area_id, kind, title, description, responsible[], partners[], priority,
 * costs [{year, amount, note}]}], "indicators". PV_ENOTFOUND when there is no such plan. */
int store_plan_get(store *s, const char *id, json_t **out) PV_NODISCARD;

/* Totals for the front page: {plans, goals, measures, indicators}. */
int store_counts(store *s, json_t **out) PV_NODISCARD;

#endif
