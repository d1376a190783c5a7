/* Logging to standard error, one line per event, with time and level. Only the top level of
 * each thread (main, the server loop) logs; library code returns error codes instead.
 * Layer: core. */
#ifndef PV_LOG_H
#define PV_LOG_H

#include "core/pv.h"

enum pv_log_level { PV_LOG_DEBUG, PV_LOG_INFO, PV_LOG_WARN, PV_LOG_ERROR };

void pv_log_set_level(enum pv_log_level level);
void pv_log(enum pv_log_level level, const char *fmt, ...) PV_PRINTF(2, 3);

/* The request this thread works on now (its id, kept by the caller until cleared with
 * NULL): every line logged meanwhile carries "req=ID", so a store error and the 500 it
 * caused can be found together from the id on the user's error page. begin also forgets
 * the last error; set (to go on with a request later, or to clear) keeps it. */
void pv_log_begin_request(const char *id);
void pv_log_set_request(const char *id);
/* The message of the last error logged on this thread since pv_log_set_request, or NULL. */
const char *pv_log_last_error(void);

#define pv_info(...) pv_log(PV_LOG_INFO, __VA_ARGS__)
#define pv_warn(...) pv_log(PV_LOG_WARN, __VA_ARGS__)
#define pv_error(...) pv_log(PV_LOG_ERROR, __VA_ARGS__)

#endif
