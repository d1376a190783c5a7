/* The rules of participation that need no I/O: the life of a process (planlagt → åpen for
 * innspill → til behandling → tilbakemeldt → avsluttet), when it takes inputs, receipt codes,
 * and the limit on public submissions per address.
 * Layer: domain. */
#ifndef PV_DOMAIN_PARTICIPATION_H
#define PV_DOMAIN_PARTICIPATION_H

#include <stdint.h>

#include "core/pv.h"

/* Statuses as stored (process.status). */
#define PROCESS_PLANNED "planlagt"
#define PROCESS_OPEN "åpen"
#define PROCESS_PROCESSING "til behandling"
#define PROCESS_ANSWERED "tilbakemeldt"
#define PROCESS_CLOSED "avsluttet"

extern const char *const process_statuses[5]; /* in order */

/* True for a known status. */
bool process_status_valid(const char *status);
/* True when a process may go from one status to the other: forwards one step at a time, back
 * from «til behandling» to «åpen» (the deadline is extended), and from «planlagt» straight to
 * «avsluttet» (a process that was called off). */
bool process_transition_allowed(const char *from, const char *to);
/* The statuses reachable from status, in order; returns how many were written (≤ 5). */
size_t process_next_statuses(const char *status, const char *out[5]);

/* True while a process takes inputs: open, after opens_at (0: no start) and before the
 * deadline (0: no deadline). */
bool process_accepts_inputs(const char *status, int64_t opens_at, int64_t deadline, int64_t now);
/* Days left until the deadline in local calendar days: 0 on the last day (the day of the
 * last moment before the deadline), 1 on the day before, …; -1 once it has passed. */
int64_t process_days_left(int64_t deadline, int64_t now);

/* A receipt code: 20 symbols of Crockford's base 32 (100 random bits) in groups of four,
 * "K7Q2-9XTB-…", easy to read aloud and to type from paper. */
#define RECEIPT_SYMBOLS 20
#define RECEIPT_RAW_BYTES 13 /* 104 bits of randomness, 100 used */
#define RECEIPT_CODE_CHARS (RECEIPT_SYMBOLS + RECEIPT_SYMBOLS / 4 - 1)

/* Formats random bytes as a code (out holds RECEIPT_CODE_CHARS + 1). */
void receipt_code_format(const uint8_t raw[RECEIPT_RAW_BYTES], char *out);
/* Reads a code as a person may type it: any case, with or without dashes and spaces, I and L
 * as 1, O as 0. Writes the 20 symbols (NUL-terminated) into out[RECEIPT_SYMBOLS + 1];
 * false when it is not a code. */
bool receipt_code_normalize(const char *in, char *out);

/* Public submissions: at most RATE_LIMIT_COUNT per address in RATE_LIMIT_WINDOW seconds. */
#define RATE_LIMIT_COUNT 10
#define RATE_LIMIT_WINDOW (10 * 60)

typedef struct rate_window {
    int64_t start;
    int64_t count;
} rate_window;

/* Counts one submission at now and says whether it is within the limit. */
bool rate_allow(rate_window *w, int64_t now, int64_t limit, int64_t window_seconds);

#endif
