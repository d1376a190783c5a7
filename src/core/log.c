/* Logging to standard error.
 * Layer: core. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum pv_log_level min_level = PV_LOG_INFO;
static _Thread_local const char *request_id;
static _Thread_local char last_error[256];

void pv_log_begin_request(const char *id)
{
    request_id = id;
    last_error[0] = '\0';
}

void pv_log_set_request(const char *id)
{
    request_id = id;
}

const char *pv_log_last_error(void)
{
    return last_error[0] ? last_error : NULL;
}

void pv_log_set_level(enum pv_log_level level)
{
    min_level = level;
}

void pv_log(enum pv_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    if (level < min_level)
        return;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);

    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (level == PV_LOG_ERROR)
        snprintf(last_error, sizeof last_error, "%s", line);
    /* One fprintf per line keeps lines from several threads whole. */
    if (request_id)
        fprintf(stderr, "%s %s req=%s %s\n", stamp, names[level], request_id, line);
    else
        fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}
