/* What the staff may write into a measure (tiltak): the declared rules of its fields, its
 * yearly costs, the UN sustainable development goals it serves, and how the staff form's
 * cost grid and amounts («1 250») are read. The same rules serve the form and the JSON API.
 * Layer: domain (no I/O). Messages are bokmål msgids (N_) that the page layer translates;
 * references (focus area of the same plan, units, goal) are checked by store/measures.c. */
#ifndef PV_DOMAIN_MEASURE_H
#define PV_DOMAIN_MEASURE_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/plan.h"

#define MEASURE_TITLE_MAX 300
#define MEASURE_DESCRIPTION_MAX 4000
#define MEASURE_UNITS_MAX 10
#define MEASURE_PARTNERS_MAX 20
#define MEASURE_PARTNER_MAX 200
#define MEASURE_PRIORITY_MAX 999
#define MEASURE_COST_YEAR_MIN 2000
#define MEASURE_COST_YEAR_MAX 2100
#define MEASURE_COST_AMOUNT_MAX 10000000 /* thousands of NOK */
#define MEASURE_COST_NOTE_MAX 200
#define MEASURE_COSTS_MAX 20
#define MEASURE_SDG_COUNT 17

/* The types a measure may have (NULL-terminated): oppdrag, tiltak, investering, klimatiltak. */
extern const char *const measure_types[];
/* The label msgid of a type («Oppdrag» …), or NULL. */
const char *measure_type_label(const char *type);
/* The names of the 17 UN sustainable development goals in bokmål (msgids), [0] is goal 1. */
extern const char *const measure_sdg_names[MEASURE_SDG_COUNT];

/* The fields of a measure: {title (required), description, focus_area_id (integer or null),
 * unit_ids (required, 1..10 ids), partners [string], deadline ("YYYY-MM-DD" or null),
 * priority (1..999 or null), type (enum or null), sdgs [1..17], goal_id (id or null),
 * costs [{year, amount, note}]}. */
extern const char *const measure_fields[];

/* Tidies input in place: texts lose surrounding blanks; an empty optional text becomes
 * null; partners lose empty entries. */
void measure_normalize(json_t *input);

/* Checks input (an object) against the rules; unless partial, required fields must be
 * there. Appends {field, message} per bad field to errors (for costs the field names the
 * row: "costs.2.amount"; "costs" for the whole list). Returns the number of errors added. */
size_t measure_check(json_t *input, bool partial, json_t *errors);

/* Reads an amount as the form writes it: "1 250", "1250", "1 250" (no-break space) → 1250;
 * "" → null; anything else stays the text (which measure_check refuses). New reference. */
json_t *measure_amount_parse(const char *text);

/* The costs list of the form's grid: rows of year, amount and note texts (n of each); a row
 * with all three empty is left out. A year that is not a number stays text. New reference. */
json_t *measure_costs_from_grid(const char *const *years, const char *const *amounts,
                                const char *const *notes, size_t n);

#endif
