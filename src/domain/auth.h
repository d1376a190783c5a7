/* The rules of staff access that need no I/O: roles, how long a session lives, how failed
 * sign-ins slow down and lock, and what a password must be.
 * Layer: domain. The policy is that of issue «Staff workspace» and docs/security.md. */
#ifndef PV_DOMAIN_AUTH_H
#define PV_DOMAIN_AUTH_H

#include <stdint.h>

#include "core/buf.h"

/* Roles as bits; a user may hold several. */
enum role {
    ROLE_ADMIN = 1u << 0,       /* users and settings */
    ROLE_RADGIVER = 1u << 1,    /* participation advisor: all processes and reports */
    ROLE_PLANLEGGER = 1u << 2,  /* plans, goals, measures */
    ROLE_PROSESSEIER = 1u << 3, /* the processes they own or are added to */
    ROLE_LESER = 1u << 4,       /* reads internal pages */
};
#define ROLE_ALL (ROLE_ADMIN | ROLE_RADGIVER | ROLE_PLANLEGGER | ROLE_PROSESSEIER | ROLE_LESER)
#define ROLE_COUNT 5

/* The name of one role bit ("admin" …), or NULL. */
const char *auth_role_name(unsigned role);
/* The bit of a role name, or 0. */
unsigned auth_role_parse(const char *name);
/* Parses "planlegger,leser" (commas or spaces); PV_EINVAL on an unknown or no role. */
int auth_roles_parse(const char *list, unsigned *roles) PV_NODISCARD;
/* Appends "admin, planlegger" (in the order of enum role). */
void auth_roles_format(unsigned roles, buf *out);

/* A session ends 8 hours after its last use, and 7 days after sign-in in any case. */
#define AUTH_IDLE_SECONDS (8 * 3600)
#define AUTH_ABSOLUTE_SECONDS (7 * 24 * 3600)
/* A session's last use is written at most this often (it is a database write). */
#define AUTH_TOUCH_SECONDS 60
bool auth_session_alive(int64_t created_at, int64_t last_seen_at, int64_t now);

/* Failed sign-ins, per account and per client address. The first five cost nothing; from
 * then on each further attempt must wait 2^(n-5) seconds after the last failure (at most a
 * minute). Ten failures within fifteen minutes lock an account for fifteen minutes, even for
 * the right password, unless an admin lifts it. */
#define AUTH_FREE_FAILURES 5
#define AUTH_LOCK_FAILURES 10
#define AUTH_WINDOW_SECONDS (15 * 60)
#define AUTH_LOCK_SECONDS (15 * 60)
#define AUTH_MAX_DELAY_SECONDS 60

typedef struct auth_failures {
    int64_t count;        /* failures in the current window */
    int64_t first_at;     /* when the window began (0: no failures) */
    int64_t last_at;      /* the last failure */
    int64_t locked_until; /* 0: not locked */
} auth_failures;

/* Seconds to wait before another attempt is even checked (0: go ahead). */
int64_t auth_wait_seconds(const auth_failures *f, int64_t now);
/* Counts one failure at now; lockable is true for accounts, false for addresses. */
void auth_record_failure(auth_failures *f, int64_t now, bool lockable);
/* True while the account is locked. */
bool auth_locked(const auth_failures *f, int64_t now);

/* NULL when password is acceptable, else a message (a bokmål msgid to translate):
 * at least 12 characters, at most 1024 bytes, valid UTF-8. */
const char *auth_password_problem(const char *password);

#endif
