/* Allocation wrappers that recover from out-of-memory where a recovery point is armed (and
 * abort elsewhere), and strict number parsing.
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

static _Thread_local pv_recovery *recovery;
static _Thread_local long fail_countdown;
static _Thread_local long failures;

void pv_recovery_push(pv_recovery *rec)
{
    rec->outer = recovery;
    recovery = rec;
}

void pv_recovery_pop(pv_recovery *rec)
{
    recovery = rec->outer;
}

void pv_alloc_fail_after(long n)
{
    fail_countdown = n;
}

long pv_alloc_fail_pending(void)
{
    return fail_countdown;
}

long pv_alloc_failures(void)
{
    return failures;
}

/* True when this allocation is to fail on purpose (a test asked for it). */
static bool injected_failure(void)
{
    return fail_countdown > 0 && --fail_countdown == 0;
}

/* An allocation of n bytes failed: back to the recovery point, or the end. */
_Noreturn static void out_of_memory(size_t n)
{
    failures++;
    if (!recovery)
        pv_die("out of memory (%zu bytes)", n);
    fprintf(stderr, "planverk: out of memory (%zu bytes): the work in progress is given up\n", n);
    siglongjmp(recovery->env, 1);
}

void *pv_malloc(size_t n)
{
    void *p = injected_failure() ? NULL : malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *pv_calloc(size_t n, size_t size)
{
    void *p = injected_failure() ? NULL : calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *pv_realloc(void *p, size_t n)
{
    void *q = injected_failure() ? NULL : realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
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
