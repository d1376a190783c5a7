/* Rendering a view-model: as JSON for API clients, or through the route's Mustache template
 * (with the site context beneath it) as HTML for people. Errors become a translated page or
 * an RFC 9457 problem object. Layer: web. */
#ifndef PV_WEB_RENDER_H
#define PV_WEB_RENDER_H

#include "core/buf.h"
#include "web/app.h"

#define CONTENT_HTML "text/html; charset=utf-8"
#define CONTENT_JSON "application/json"
#define CONTENT_PROBLEM "application/problem+json"

/* Renders vm for r into out and sets *content_type. Returns 0 or PV_ENOTFOUND (no template)
 * / PV_ELIMIT (template recursion) — both bugs, answered with 500. */
int render_view(pv_req *r, const char *template_name, json_t *vm, buf *out,
                const char **content_type);

/* Renders the error page (or problem JSON) for status into out. */
void render_error(pv_req *r, int status, buf *out, const char **content_type);

#endif
