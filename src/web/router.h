/* The route table and how a request path is matched against it (STYLE.md habit 4): every
 * route names its method, pattern, handler, template, who may call it, and its flags. The
 * dispatcher (web/dispatch.c) enforces these; handlers never re-check.
 * Layer: web. */
#ifndef PV_WEB_ROUTER_H
#define PV_WEB_ROUTER_H

#include "web/app.h"

/* A handler validates the request, reads through store/ and domain/, and builds ONE
 * view-model. It returns an HTTP status: 200 with *vm set, or an error status (400, 404 …)
 * with r->error optionally set to a translated message. */
typedef int (*page_fn)(pv_req *r, json_t **vm);

/* Who may call a route. Only public pages exist so far; staff roles come with sign-in. */
enum access { ACCESS_PUBLIC = 1 };

enum route_flags {
    ROUTE_JSON = 1 << 0,  /* always answers JSON (the /api/v1 routes) */
    ROUTE_CACHE = 1 << 1, /* the answer depends only on URL, language and data: cacheable */
    ROUTE_RAW = 1 << 2,   /* the handler sends its own reply (static files, redirects) */
};

typedef struct route {
    const char *method;   /* "GET" (also answers HEAD) */
    const char *pattern;  /* "/planer/{slug}"; a final "*" matches any rest */
    page_fn handler;
    const char *template; /* template that renders the view-model as HTML */
    enum access access;
    unsigned flags;
    const char *name;     /* stable name for logs and tests */
} route;

extern const route routes[];
extern const size_t routes_count;

/* Finds the route for method and path; captures go into r->params (newly allocated).
 * Returns the route, or NULL with *path_known set when the path exists for another method
 * (→ 405). */
const route *router_match(const char *method, const char *path, char **params,
                          size_t *n_params, bool *path_known);

#endif
