/* Allocation wrappers that abort on out-of-memory, and strict number parsing.
 * Layer: core. */
#include "core/pv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void pv_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("planverk: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void *pv_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        pv_die("out of memory (%zu bytes)", n);
    return p;
}

void *pv_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        pv_die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *pv_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        pv_die("out of memory (%zu bytes)", n);
    return q;
}

char *pv_strndup(const char *s, size_t n)
{
    char *d = pv_malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pv_strdup(const char *s)
{
    return pv_strndup(s, strlen(s));
}

int pv_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return PV_EINVAL;
    /* strtol accepts leading blanks and '+'; we do not. */
    if (!(*s == '-' || (*s >= '0' && *s <= '9')))
        return PV_EINVAL;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return PV_EINVAL;
    *out = v;
    return PV_OK;
}
