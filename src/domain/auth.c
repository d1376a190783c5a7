/* Staff access rules.
 * Layer: domain (pure). */
#include "domain/auth.h"

#include <string.h>

#include "core/secret.h"
#include "core/utf8.h"

static const char *const role_names[ROLE_COUNT] = {"admin", "radgiver", "planlegger",
                                                   "prosesseier", "leser"};

const char *auth_role_name(unsigned role)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (role == 1u << i)
            return role_names[i];
    return NULL;
}

unsigned auth_role_parse(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0)
            return 1u << i;
    return 0;
}

int auth_roles_parse(const char *list, unsigned *roles)
{
    unsigned out = 0;
    const char *p = list;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        char name[32];
        if (n >= sizeof name)
            return PV_EINVAL;
        memcpy(name, p, n);
        name[n] = '\0';
        unsigned bit = auth_role_parse(name);
        if (!bit)
            return PV_EINVAL;
        out |= bit;
        p += n;
    }
    if (!out)
        return PV_EINVAL;
    *roles = out;
    return PV_OK;
}

void auth_roles_format(unsigned roles, buf *out)
{
    bool first = true;
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (!(roles & (1u << i)))
            continue;
        if (!first)
            buf_puts(out, ", ");
        buf_puts(out, role_names[i]);
        first = false;
    }
}

bool auth_session_alive(int64_t created_at, int64_t last_seen_at, int64_t now)
{
    return now - last_seen_at < AUTH_IDLE_SECONDS && now - created_at < AUTH_ABSOLUTE_SECONDS &&
           created_at <= now + 60; /* not from the future (a clock step back of a minute is ok) */
}

bool auth_locked(const auth_failures *f, int64_t now)
{
    return f->locked_until > now;
}

int64_t auth_wait_seconds(const auth_failures *f, int64_t now)
{
    if (auth_locked(f, now))
        return f->locked_until - now;
    if (f->count < AUTH_FREE_FAILURES || now - f->first_at >= AUTH_WINDOW_SECONDS)
        return 0;
    int64_t extra = f->count - AUTH_FREE_FAILURES;
    int64_t delay = extra >= 6 ? AUTH_MAX_DELAY_SECONDS : (int64_t)1 << extra;
    if (delay > AUTH_MAX_DELAY_SECONDS)
        delay = AUTH_MAX_DELAY_SECONDS;
    int64_t wait = f->last_at + delay - now;
    return wait > 0 ? wait : 0;
}

void auth_record_failure(auth_failures *f, int64_t now, bool lockable)
{
    if (f->count == 0 || now - f->first_at >= AUTH_WINDOW_SECONDS) {
        f->count = 0;
        f->first_at = now;
    }
    f->count++;
    f->last_at = now;
    if (lockable && f->count >= AUTH_LOCK_FAILURES)
        f->locked_until = now + AUTH_LOCK_SECONDS;
}

const char *auth_password_problem(const char *password)
{
    size_t bytes = strlen(password);
    if (bytes > SECRET_PASSWORD_MAX_BYTES)
        return N_("Passordet er for langt.");
    if (!utf8_valid(password, bytes))
        return N_("Passordet inneholder ugyldige tegn.");
    if (utf8_length(password, bytes) < SECRET_PASSWORD_MIN_CHARS)
        return N_("Passordet må ha minst 12 tegn.");
    return NULL;
}
