/* The route table and how a request path is matched against it (STYLE.md habit 4): every
 * route names its method, pattern, handler, template, who may call it, and its flags. The
 * dispatcher (web/dispatch.c) enforces these; handlers never re-check.
 * Layer: web. */
#ifndef PV_WEB_ROUTER_H
#define PV_WEB_ROUTER_H

#include "web/app.h"

/* A handler validates the request, reads through store/ and domain/, and builds ONE
 * view-model. It returns an HTTP status: 200 with *vm set, or an error status (400, 404 …)
 * with r->error optionally set to a translated message, or 0 when it sent the reply itself
 * (http_send: a download such as a CSV or Excel file, on any route; nothing is cached). */
typedef int (*page_fn)(pv_req *r, json_t **vm);

/* Who may call a route (the dispatcher decides it before the handler runs):
 *  ACCESS_PUBLIC     anyone;
 *  ACCESS_SIGNED_IN  any signed-in staff member;
 *  ACCESS_ROLES      a staff member with one of `roles`, or with one of `object_roles` for
 *                    whom `object_check` says yes (the owner of this plan …).
 * An anonymous caller of a non-public route is sent to /logg-inn (HTML) or gets 401 (JSON);
 * a signed-in caller without the right gets 403. */
enum access { ACCESS_PUBLIC = 1, ACCESS_SIGNED_IN, ACCESS_ROLES };

enum route_flags {
    ROUTE_JSON = 1 << 0,  /* always answers JSON (the /api/v1 routes) */
    ROUTE_CACHE = 1 << 1, /* the answer depends only on URL, language and data: cacheable */
    ROUTE_RAW = 1 << 2,   /* the handler sends its own reply (static files, redirects) */
    /* A public form that changes state without a session (sign-in): it must carry the
     * pre-session CSRF token, a double-submit of the pv_pre cookie. */
    ROUTE_PRE_CSRF = 1 << 3,
};

typedef struct route {
    const char *method;   /* "GET" (also answers HEAD), "POST", "PATCH" … */
    const char *pattern;  /* "/planer/{slug}"; a final "*" matches any rest */
    page_fn handler;
    const char *template; /* template that renders the view-model as HTML */
    enum access access;
    unsigned roles;        /* ACCESS_ROLES: enum role bits with full right */
    unsigned object_roles; /* ACCESS_ROLES: roles with a right to some objects … */
    bool (*object_check)(pv_req *r); /* … those for which this says yes */
    unsigned flags;
    const char *name;     /* stable name for logs and tests */
    /* ROUTE_CACHE: the query parameters the page depends on, space-separated ("tema side").
     * The dispatcher drops every other parameter before the handler runs and keys the cache
     * on these alone, so unknown parameters neither reach the page nor make new entries. */
    const char *query;
} route;

extern const route routes[];
extern const size_t routes_count;

/* Finds the route for method and path; captures go into r->params (newly allocated).
 * Returns the route, or NULL with *path_known set when the path exists for another method
 * (→ 405). */
const route *router_match(const char *method, const char *path, char **params,
                          size_t *n_params, bool *path_known);

#endif
