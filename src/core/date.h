/* Calendar dates as people write them (YYYY-MM-DD) and as moments in local time. The process
 * runs with TZ set (main sets Europe/Oslo unless TZ is given), so «the end of 30 June» is the
 * municipality's midnight, summer time included.
 * Layer: core. */
#ifndef PV_CORE_DATE_H
#define PV_CORE_DATE_H

#include <stdint.h>

#include "core/pv.h"

typedef struct pv_date {
    int year, month, day;
} pv_date;

/* Parses "YYYY-MM-DD", a day that exists (years 1800–2200); out may be NULL to only check. */
int pv_parse_date(const char *s, pv_date *out) PV_NODISCARD;
/* Writes d as "YYYY-MM-DD" into out[11]. */
void pv_date_format(pv_date d, char out[11]);
/* The local moment hour:minute:second on day d (Unix seconds). */
int64_t pv_date_local(pv_date d, int hour, int minute, int second);
/* The local day of the moment t. */
pv_date pv_date_of(int64_t t);
/* <0, 0, >0 as day a comes before, is, or comes after day b. */
int pv_date_compare(pv_date a, pv_date b);
/* The day n days after d (n may be negative). */
pv_date pv_date_add_days(pv_date d, int n);

#endif
