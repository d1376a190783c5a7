/* Common definitions for every layer of planverk: error codes, attributes, small macros.
 * Layer: core (no I/O, no dependencies beyond libc). */
#ifndef PV_H
#define PV_H

#include <stdbool.h>
#include <stddef.h>

/* Functions return 0 on success or one of these negative codes. */
enum {
    PV_OK = 0,
    PV_EINVAL = -1,    /* bad input: the caller's fault, message says what */
    PV_ENOTFOUND = -2, /* the thing asked for does not exist */
    PV_EIO = -3,       /* file or socket error */
    PV_EDB = -4,       /* database error */
    PV_ELIMIT = -5,    /* a size or count limit was exceeded */
    PV_ECONFLICT = -6, /* the change conflicts with the current state */
};

#define PV_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define PV_NODISCARD __attribute__((warn_unused_result))
#define PV_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* Marks a bokmål string for the message catalogs; it is translated where it is shown
 * (xgettext keyword N_). */
#define N_(s) s

/* Out-of-memory and programmer errors abort (STYLE.md habit 8). */
void *pv_malloc(size_t n);
void *pv_calloc(size_t n, size_t size);
void *pv_realloc(void *p, size_t n);
char *pv_strdup(const char *s);
char *pv_strndup(const char *s, size_t n);
_Noreturn void pv_die(const char *fmt, ...) PV_PRINTF(1, 2);

/* Parses a base-10 integer that must span the whole string and lie in [min, max]. */
int pv_parse_long(const char *s, long min, long max, long *out) PV_NODISCARD;

#endif
