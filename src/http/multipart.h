/* Parsing of multipart/form-data bodies (RFC 7578, framing of RFC 2046) into the url_query
 * that the urlencoded form parser fills, with the same limits; text fields only.
 * Layer: http. A fuzz target (fuzz/fuzz_multipart.c) drives these functions. */
#ifndef PV_MULTIPART_H
#define PV_MULTIPART_H

#include "http/urlcodec.h"

#define MULTIPART_MAX_BOUNDARY 70       /* RFC 2046: 1 to 70 characters */
#define MULTIPART_MAX_HEADER_LINE 1024  /* bytes in one header line of a part */
#define MULTIPART_MAX_HEADERS 8         /* header lines of one part */

/* Why a body was refused (for the message the user sees; the return code says the class). */
typedef enum multipart_error {
    MULTIPART_OK = 0,
    MULTIPART_ETYPE,   /* not multipart/form-data, or no valid boundary parameter */
    MULTIPART_EBROKEN, /* framing: delimiters, CRLF line endings, part headers, no name */
    MULTIPART_EHEADER, /* a part has too many header lines or one that is too long */
    MULTIPART_ELIMIT,  /* too many fields, a name or a value too long */
    MULTIPART_EUTF8,   /* a name or value is not UTF-8, holds NUL, or names another charset */
    MULTIPART_EFILE,   /* a file part (filename, or a non-text content type): no uploads yet */
} multipart_error;

/* Reads the boundary parameter of a Content-Type value "multipart/form-data; boundary=…"
 * (type and parameter names in any case, the value quoted or not; RFC 2046 characters, 1-70
 * long, not ending in a space). Writes it NUL-terminated into out. Returns PV_EINVAL when
 * the type is another or the boundary is missing, empty, too long or has a bad character. */
int multipart_boundary(const char *content_type, char out[MULTIPART_MAX_BOUNDARY + 1])
    PV_NODISCARD;

/* Parses body[0..n), sent with the given Content-Type, into q (free with
 * url_query_finish). Each part needs CRLF line endings, a Content-Disposition "form-data"
 * with a name, and at most a Content-Type text/plain (charset UTF-8 or US-ASCII); a
 * preamble and an epilogue are ignored; LF-only line endings are refused. Names are at
 * most URL_MAX_KEY bytes, values FORM_MAX_VALUE, FORM_MAX_FIELDS fields, all valid UTF-8
 * without NUL. Returns PV_ELIMIT (MULTIPART_ELIMIT, MULTIPART_EHEADER) or PV_EINVAL (every
 * other refusal); q is then empty, and *why (when why is not NULL) says what was wrong. */
int multipart_form_parse(const char *content_type, const char *body, size_t n, url_query *q,
                         multipart_error *why) PV_NODISCARD;

#endif
