/* A growable byte buffer (always NUL-terminated) and the escaping writers that fill it.
 * Layer: core. Escaping is named where output is made (STYLE.md habit 1). */
#ifndef PV_BUF_H
#define PV_BUF_H

#include "core/pv.h"

typedef struct buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

void buf_init(buf *b);
/* Frees the contents; the buf may be reused after buf_init. */
void buf_finish(buf *b);
void buf_reset(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) PV_PRINTF(2, 3);
/* Appends s with & < > " ' replaced by HTML entities: safe in text and quoted attributes. */
void buf_append_html(buf *b, const char *s, size_t n);
/* Appends s percent-encoded for a URL query value (RFC 3986 unreserved kept). */
void buf_append_url(buf *b, const char *s, size_t n);
/* Hands the contents to the caller (free() it) and leaves b empty. */
char *buf_steal(buf *b);
/* The contents as a C string ("" when empty). */
const char *buf_cstr(const buf *b);

#endif
