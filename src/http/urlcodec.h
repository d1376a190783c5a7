/* Decoding of URL paths and query strings, with limits and UTF-8 validation.
 * Layer: http. A fuzz target (fuzz/fuzz_urlcodec.c) drives these functions. */
#ifndef PV_URLCODEC_H
#define PV_URLCODEC_H

#include "core/buf.h"

#define URL_MAX_PARAMS 32     /* query parameters per request */
#define URL_MAX_KEY 64        /* bytes in a decoded parameter name */
#define URL_MAX_VALUE 2048    /* bytes in a decoded parameter value */
#define FORM_MAX_FIELDS 1000  /* fields of a form body (many checkboxes) */
#define FORM_MAX_VALUE (1u << 20) /* bytes in one decoded form field (a long purpose) */

typedef struct url_param {
    char *key;
    char *value;
} url_param;

typedef struct url_query {
    url_param *items;
    size_t n;
} url_query;

/* Percent-decodes s[0..n) and appends it to out ('+' becomes a space when plus_is_space).
 * Returns PV_EINVAL for a broken escape, a NUL byte or invalid UTF-8; out is then
 * undefined. */
int url_decode(const char *s, size_t n, bool plus_is_space, buf *out) PV_NODISCARD;

/* Parses an application/x-www-form-urlencoded string (a query string without '?').
 * Empty pieces ("a=1&&b=2") are skipped. Returns PV_EINVAL (bad encoding) or PV_ELIMIT
 * (too many parameters, key or value too long); q is then empty. Free with
 * url_query_finish. */
int url_query_parse(const char *s, size_t n, url_query *q) PV_NODISCARD;
/* As url_query_parse, with the larger limits of a form body (FORM_MAX_*). */
int url_form_parse(const char *s, size_t n, url_query *q) PV_NODISCARD;
void url_query_finish(url_query *q);

/* The value of the first parameter named key, or NULL. */
const char *url_query_get(const url_query *q, const char *key);

/* True when a decoded path is safe to map onto files: it starts with '/', and has no
 * empty, "." or ".." segment and no backslash. */
bool url_path_is_clean(const char *path);

#endif
