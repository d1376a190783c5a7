/* The retry schedule of the outbox (domain/outbox.h).
 * Layer: domain. */
#include "domain/outbox.h"

int64_t outbox_retry_delay(int attempts, int64_t base)
{
    static const int64_t units[] = {1, 5, 30, 120, 360};
    if (base < 1)
        base = 1;
    if (attempts < 1)
        attempts = 1;
    int i = attempts - 1;
    if (i > 4)
        i = 4;
    return units[i] * base;
}

bool outbox_schedule(int attempts, int64_t created_at, int64_t now, int64_t base,
                     int64_t *next_at)
{
    if (base < 1)
        base = 1;
    if (attempts >= OUTBOX_MAX_ATTEMPTS)
        return false;
    int64_t next = now + outbox_retry_delay(attempts, base);
    if (next > created_at + OUTBOX_GIVE_UP_UNITS * base)
        return false;
    *next_at = next;
    return true;
}
