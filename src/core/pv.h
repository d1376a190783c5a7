/* Common definitions for every layer of planverk: error codes, attributes, small macros.
 * Layer: core (no I/O, no dependencies beyond libc). */
#ifndef PV_H
#define PV_H

#include <setjmp.h>
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

/* Allocation that never returns NULL. Running out of memory inside a recovery point (below)
 * jumps back to it; anywhere else (start-up, the command line) it ends the process with a
 * message (STYLE.md habit 8). */
void *pv_malloc(size_t n);
void *pv_calloc(size_t n, size_t size);
void *pv_realloc(void *p, size_t n);
char *pv_strdup(const char *s);
char *pv_strndup(const char *s, size_t n);
_Noreturn void pv_die(const char *fmt, ...) PV_PRINTF(1, 2);

/* A recovery point: nothing a request does can end the process (DESIGN.md §2), not even
 * running out of memory. A thread arms one around one unit of work — a request on an event
 * loop, a job on a worker — and an allocation that fails meanwhile (pv_malloc & co., and
 * jansson's and cmark's, which go through them) logs the failure and jumps back to it, where
 * the work is answered 500 and the thread goes on. What the work had allocated is given up
 * (bounded by what one request may hold). Use:
 *
 *     pv_recovery rec;
 *     pv_recovery_push(&rec);
 *     if (sigsetjmp(rec.env, 0) == 0)
 *         … the work …
 *     else
 *         … it ran out of memory …
 *     pv_recovery_pop(&rec);
 *
 * Locals changed between sigsetjmp and the jump must be volatile to be read after it. */
typedef struct pv_recovery {
    sigjmp_buf env;
    struct pv_recovery *outer;
} pv_recovery;
void pv_recovery_push(pv_recovery *rec);
void pv_recovery_pop(pv_recovery *rec);
/* For tests: the nth allocation of this thread from now (1 = the next) fails as if memory
 * had run out; 0 turns it off. Returns how many failed so far on this thread. */
void pv_alloc_fail_after(long n);
/* How many allocations are left before the one that fails (0: it failed, or none is set). */
long pv_alloc_fail_pending(void);
long pv_alloc_failures(void);

/* Parses a base-10 integer that must span the whole string and lie in [min, max]. */
int pv_parse_long(const char *s, long min, long max, long *out) PV_NODISCARD;

#endif
