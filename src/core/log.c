/* Logging to standard error.
 * Layer: core. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum pv_log_level min_level = PV_LOG_INFO;

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
    /* One fprintf per line keeps lines from several threads whole. */
    fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}
