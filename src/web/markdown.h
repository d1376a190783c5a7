/* Markdown to safe HTML with cmark-gfm: raw HTML is omitted, and links and images with an
 * unsafe scheme (javascript:, vbscript:, file:, data:) are replaced by their text. Line breaks inside a
 * paragraph are kept, since plan texts are written one statement per line.
 * Layer: web. The result is one of the few values templates may print unescaped
 * ({{{…_html}}}); see tests/unit/test_render.c for the allowlist. */
#ifndef PV_MARKDOWN_H
#define PV_MARKDOWN_H

#include <stddef.h>

/* Call once before threads start (registers the GFM extensions). */
void markdown_init(void);
/* Returns newly allocated HTML (free() it). md must be valid UTF-8. */
char *markdown_to_html(const char *md, size_t len);

#endif
