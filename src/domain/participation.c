/* Participation rules.
 * Layer: domain (pure). */
#include "domain/participation.h"

#include <string.h>

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

int64_t process_days_left(int64_t deadline, int64_t now)
{
    if (now >= deadline)
        return -1;
    return (deadline - now - 1) / 86400;
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
