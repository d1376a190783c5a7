/* The application as the web layer sees it: what is shared read-only by every loop (pv_app),
 * what each loop owns (pv_worker), and what one request carries (pv_req).
 * Layer: web. */
#ifndef PV_WEB_APP_H
#define PV_WEB_APP_H

#include <event2/http.h>
#include <jansson.h>

#include "http/static.h"
#include "http/urlcodec.h"
#include "store/db.h"
#include "web/i18n.h"
#include "web/templates.h"

#define PV_MAX_URI 8192            /* longer request targets get 414 */
#define PV_MAX_BODY (1u << 20)     /* longer bodies get 413 */
#define PV_MAX_ROUTE_PARAMS 4

/* Shared by every loop; never written after start-up. */
typedef struct pv_app {
    char *root;             /* folder with templates/, static/, docs/ */
    char *db_path;
    i18n *i18n;
    templates *templates;
    static_mount mounts[2];
    char *openapi;          /* docs/api/openapi.json, served as is */
    size_t openapi_len;
    bool cache;             /* keep rendered public pages in memory */
} pv_app;

struct response_cache;

/* Owned by one event loop. */
typedef struct pv_worker {
    const pv_app *app;
    store *db;
    struct response_cache *cache;
} pv_worker;

struct route;

/* One request; lives until its reply is sent. */
typedef struct pv_req {
    struct evhttp_request *ev;
    pv_worker *w;
    const pv_app *app;
    const struct route *route;
    const char *method;
    char *path;             /* decoded, valid UTF-8 */
    const char *query_raw;  /* as sent, after '?', or NULL */
    url_query query;
    const char *lang;       /* "nb", "nn" or "en" */
    char *params[PV_MAX_ROUTE_PARAMS]; /* captured {placeholders}, decoded */
    size_t n_params;
    bool want_json;
    const char *error;      /* translated message for an error reply */
} pv_req;

/* The translation of msgid in the request's language. */
#define T(r, msgid) i18n_get((r)->app->i18n, (r)->lang, (msgid))

#endif
