/* The set of page templates, compiled once per UI language at start-up.
 * Layer: web. Templates are the .mustache files in templates/ and templates/partials/;
 * a template or partial is named by its file name without extension. UI text in a template
 * is written {{#i18n}}Bokmål text{{/i18n}} on one line; before compiling, each such
 * section is replaced by its translation (HTML-escaped), so rendering costs nothing extra. */
#ifndef PV_TEMPLATES_H
#define PV_TEMPLATES_H

#include <jansson.h>

#include "core/buf.h"
#include "web/i18n.h"
#include "web/mustache.h"

typedef struct templates templates;

/* Loads and compiles every template under dir for every UI language. On error returns NULL
 * with a message naming the file and line in err. */
templates *templates_load(const char *dir, const i18n *tr, char *err, size_t err_size);
void templates_destroy(templates *t); /* accepts NULL */

/* Renders template name in lang with the context stack ctx[0..n) (last is innermost). */
int templates_render(const templates *t, const char *lang, const char *name,
                     json_t *const *ctx, size_t n, buf *out);
bool templates_exists(const templates *t, const char *name);

/* Replaces every {{#i18n}}…{{/i18n}} in src with its translation into lang and appends the
 * result to out. Returns PV_EINVAL (message in err) for an unclosed or multi-line section.
 * When msgids is non-NULL, each msgid found is appended to it (for the catalog check). */
int templates_translate(const char *src, size_t len, const i18n *tr, const char *lang,
                        buf *out, json_t *msgids, char *err, size_t err_size);

#endif
