/* How long the contact data of a sender are kept: until the process ended (closed_at, else
 * its deadline, else the input's arrival) plus the process's retention in months (else the
 * configured default). Pure date arithmetic in local (Norwegian) time, no I/O.
 * Layer: domain. */
#ifndef PV_DOMAIN_RETENTION_H
#define PV_DOMAIN_RETENTION_H

#include <stdint.h>

#include "core/date.h"

#define RETENTION_DEFAULT_MONTHS 12
#define RETENTION_MAX_MONTHS 120 /* ten years: longer is a typing error */

/* The day `months` months after d; a day the target month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February). months may be 0..RETENTION_MAX_MONTHS. */
pv_date retention_add_months(pv_date d, int months);

/* When a process ended, for retention: closed_at, else deadline, else received_at (0: not
 * known). */
int64_t retention_end(int64_t closed_at, int64_t deadline, int64_t received_at);

/* The moment the contact data may be erased: local midnight at the start of the day after
 * the day `months` months after the local day of end. months < 0 means the default. */
int64_t retention_erase_after(int64_t end, int months);

/* Parses a number of months (0..RETENTION_MAX_MONTHS) from text. */
int retention_parse_months(const char *s, int *out) PV_NODISCARD;

#endif
