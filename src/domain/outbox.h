/* When an e-mail that the relay did not take is tried again: 1, 5, 30 minutes, 2 hours, then
 * every 6 hours, and given up 3 days after it was queued, so a relay outage of a weekend
 * loses nothing and a wrong address does not knock forever.
 * Layer: domain (pure: no I/O, no clock). */
#ifndef PV_DOMAIN_OUTBOX_H
#define PV_DOMAIN_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

/* The schedule is counted in units of base seconds: 60 in production (minutes); the
 * end-to-end tests pass 1 (planverk serve --outbox-retry-base 1) so it runs in seconds. */
#define OUTBOX_RETRY_BASE 60
#define OUTBOX_GIVE_UP_UNITS (3 * 24 * 60)  /* 3 days in minutes */
#define OUTBOX_MAX_ATTEMPTS 100             /* a bound, whatever the clock says */

/* The delay in seconds before attempt number attempts + 1, after attempts failed ones
 * (attempts >= 1): base × 1, 5, 30, 120, then 360 for every later one. */
int64_t outbox_retry_delay(int attempts, int64_t base);

/* After a failed attempt at now (the attempts-th, counted with it) of a message queued at
 * created_at: false when it is given up (its next attempt would fall past the give-up time,
 * or attempts reached OUTBOX_MAX_ATTEMPTS); otherwise true with the time of the next attempt
 * in *next_at. */
bool outbox_schedule(int attempts, int64_t created_at, int64_t now, int64_t base,
                     int64_t *next_at);

#endif
