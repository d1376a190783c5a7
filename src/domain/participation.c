/* Participation rules.
 * Layer: domain (pure; the days left are counted in local time through core/date). */
#include "domain/participation.h"

#include <string.h>

#include "core/date.h"

const char *const process_statuses[5] = {PROCESS_PLANNED, PROCESS_OPEN, PROCESS_PROCESSING,
                                         PROCESS_ANSWERED, PROCESS_CLOSED};

static int status_index(const char *s)
{
    for (int i = 0; s && i < 5; i++)
        if (strcmp(s, process_statuses[i]) == 0)
            return i;
    return -1;
}

bool process_status_valid(const char *status)
{
    return status_index(status) >= 0;
}

bool process_transition_allowed(const char *from, const char *to)
{
    int a = status_index(from), b = status_index(to);
    if (a < 0 || b < 0)
        return false;
    if (b == a + 1)
        return true;
    if (a == 2 && b == 1) /* til behandling → åpen: the deadline was extended */
        return true;
    return a == 0 && b == 4; /* planlagt → avsluttet: called off */
}

size_t process_next_statuses(const char *status, const char *out[5])
{
    size_t n = 0;
    for (int i = 0; i < 5; i++)
        if (process_transition_allowed(status, process_statuses[i]))
            out[n++] = process_statuses[i];
    return n;
}

bool process_accepts_inputs(const char *status, int64_t opens_at, int64_t deadline, int64_t now)
{
    return status && strcmp(status, PROCESS_OPEN) == 0 && (opens_at == 0 || now >= opens_at) &&
           (deadline == 0 || now < deadline);
}

/* Days since 1970-01-01 of a civil date (the days-from-civil algorithm of H. Hinnant). */
static int64_t day_number(pv_date d)
{
    int64_t y = d.year - (d.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t process_days_left(int64_t deadline, int64_t now)
{
    if (now >= deadline)
        return -1;
    /* Local calendar days, not 24-hour blocks: a day of 23 or 25 hours (daylight saving)
     * is one day, so the count changes at midnight all the year round. */
    return day_number(pv_date_of(deadline - 1)) - day_number(pv_date_of(now));
}

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void receipt_code_format(const uint8_t raw[RECEIPT_RAW_BYTES], char *out)
{
    size_t o = 0;
    for (int i = 0; i < RECEIPT_SYMBOLS; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = ((unsigned)raw[byte] << 8 | raw[byte + 1]) >> (11 - shift);
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = crockford[v & 31];
    }
    out[o] = '\0';
}

bool receipt_code_normalize(const char *in, char *out)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (c == 'I' || c == 'L')
            c = '1';
        else if (c == 'O')
            c = '0';
        if (!strchr(crockford, c) || c == '\0' || n >= RECEIPT_SYMBOLS)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == RECEIPT_SYMBOLS;
}

bool rate_allow(rate_window *w, int64_t now, int64_t limit, int64_t window_seconds)
{
    if (w->count == 0 || now - w->start >= window_seconds || now < w->start) {
        w->start = now;
        w->count = 0;
    }
    w->count++;
    return w->count <= limit;
}
