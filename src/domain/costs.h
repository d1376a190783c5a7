/* Yearly cost sums of measures (tiltak). Amounts are whole thousands of NOK; a year that
 * holds only a note («innenfor ramme», «oppstart») counts as zero.
 * Layer: domain. */
#ifndef PV_DOMAIN_COSTS_H
#define PV_DOMAIN_COSTS_H

#include <jansson.h>

#include "core/pv.h"

/* The years that occur in any measure's costs, ascending: [2023, 2024, …]. measures is an
 * array of objects with "costs": [{year, amount, note}]. */
json_t *costs_years(json_t *measures);

/* Sums the amounts of measures per year in years: [{year, amount}] (amount 0 when no
 * measure has an amount that year). */
json_t *costs_sum(json_t *measures, json_t *years);

/* The cells of one measure for years: [{year, amount (or null), note (or null)}]. */
json_t *costs_row(json_t *measure, json_t *years);

/* Formats thousands of NOK the Norwegian way, with a no-break space between groups:
 * 3910 → "3 910". Writes into out (at least 32 bytes). */
void costs_format(long long amount, char *out, size_t out_size);

#endif
