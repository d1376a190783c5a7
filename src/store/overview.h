/* The overview of plan follow-up (/oversikt): one read of every measure of kind 'tiltak'
 * with its plan, units, yearly costs, deadline and latest visible report, plus the plans and
 * the indicators with their readings; and the tallies the page draws (by status, plan, unit,
 * cost per year), computed from that one read without further queries.
 * Layer: store. */
#ifndef PV_STORE_OVERVIEW_H
#define PV_STORE_OVERVIEW_H

#include <jansson.h>

#include "core/date.h"
#include "store/db.h"

/* The status key of a measure without a visible report (none is «ikke rapportert»). */
#define OVERVIEW_NO_REPORT "ingen"

typedef struct overview_filter {
    const char *theme_id; /* tema; NULL any */
    const char *plan_id;  /* plan */
    const char *unit_id;  /* enhet: one of the measure's units */
    int year;             /* aar: 0 any; else costs of that year only, and measures with a
                             cost or a report that year; the latest report up to that year */
    const char *status;   /* the latest visible status, or OVERVIEW_NO_REPORT; NULL any */
    bool staff;           /* also reports of open periods (else closed periods only) */
    pv_date today;        /* for overdue measures, revisions and indicator paths */
} overview_filter;

/* Reads the overview (new reference in *out):
 *  "years": [2024, …] the cost years of the measures shown (or [year] when filtered);
 *  "measures": [{id, title, focus_area, plan_id, plan, deadline, units [{id, name}],
 *                costs [{year, amount, note}], report {year, period, status, progress,
 *                closed} or null, overdue}], by plan name then the plan's order;
 *  "plans": [{id, name, theme_id, theme, adopted_year, next_revision, revision_due}] the
 *           plans of the filter (theme, plan) that have at least one 'tiltak';
 *  "indicators": [{id, text, unit, plan_id, plan, has_latest, latest, latest_date,
 *                  has_path, expected, behind, met}] of those plans that have readings.
 * PV_EDB on a database error. */
int store_overview(store *s, const overview_filter *f, json_t **out) PV_NODISCARD;

/* Tallies of a store_overview result (pure; new reference):
 *  "statuses": [status keys in order: followup_statuses…, OVERVIEW_NO_REPORT];
 *  "by_status": {status: n};
 *  "by_plan": [{id, name, counts {status: n}, total}] in the order of "plans" with measures;
 *  "by_unit": [{id (null: none), name, counts, total}] a measure counted under each of its
 *             units, by name, «none» last;
 *  "cost_by_plan": [{id, name, amounts [n per year of "years"]}];
 *  "cost_by_unit": [{id, name, amounts}] under the measure's FIRST unit;
 *  "cost_total": [n per year];
 *  a year holding only a note counts as 0. */
json_t *store_overview_tally(json_t *overview);

/* Filter choices: "themes" [{id, name}] with 'tiltak', "plans" [{id, name}] with 'tiltak',
 * "units" [{id, name}] responsible for some 'tiltak', "years" [y…] of costs and reports. */
int store_overview_options(store *s, json_t **out) PV_NODISCARD;

#endif
