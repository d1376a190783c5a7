/* The application as the web layer sees it: what is shared read-only by every loop (pv_app),
 * what each loop owns (pv_worker), and what one request carries (pv_req).
 * Layer: web. */
#ifndef PV_WEB_APP_H
#define PV_WEB_APP_H

#include <event2/http.h>
#include <jansson.h>

#include "http/pool.h"
#include "http/static.h"
#include "http/urlcodec.h"
#include "store/db.h"
#include "web/i18n.h"
#include "web/templates.h"

#define PV_MAX_URI 8192            /* longer request targets get 414 */
#define PV_MAX_BODY (1u << 20)     /* longer bodies get 413 */
#define PV_MAX_ROUTE_PARAMS 4
/* Jobs that may wait for a worker: sign-ins and password changes (each about 0.1 s of
 * Argon2id on one of two threads) and workbooks (one thread). A full queue answers 503. */
#define WEB_HASH_QUEUE 32
#define WEB_EXPORT_QUEUE 8
/* Seconds a 503 asks the client to wait (Retry-After) unless the handler says otherwise. */
#define WEB_RETRY_AFTER 5

/* Shared by every loop; never written after start-up. */
typedef struct pv_app {
    char *root;             /* folder with templates/, static/, docs/ */
    char *db_path;
    i18n *i18n;
    templates *templates;
    static_mount mounts[3];
    char *openapi;          /* docs/api/openapi.json, served as is */
    size_t openapi_len;
    bool cache;             /* keep rendered public pages in memory */
    size_t cache_bytes;     /* … at most this much per event loop (0: the default) */
    bool access_log;        /* one logfmt line per request on standard error */
    pool *hash_pool;        /* worker threads that hash and check passwords */
    pool *export_pool;      /* the worker thread that writes Excel workbooks */
    char *trusted_proxy;    /* the proxy whose X-Forwarded-For/-Proto we believe, or NULL */
    char *dummy_hash;       /* a password hash to verify against when there is no user, so
                               a sign-in takes as long whether the account exists or not */
    char *map_tiles;        /* the map's tile URL template ({z}/{y}/{x}); the CSP allows its
                               origin in img-src and nothing else */
} pv_app;

struct response_cache;

/* Owned by one event loop. */
typedef struct pv_worker {
    const pv_app *app;
    store *db;
    struct response_cache *cache;
    struct event_base *base;
    uint64_t id_state;      /* makes request ids (xorshift, seeded at random) */
} pv_worker;

/* The staff member behind a request (web/session.c), or none. */
typedef struct pv_user {
    int64_t id;
    char email[256];
    char name[256];
    unsigned roles;                       /* enum role bits (domain/auth.h) */
    bool via_token;                       /* Authorization: Bearer, not a session cookie */
    bool read_only;                       /* a read-only API token */
    uint8_t session_hash[32];             /* the session's token hash (cookie sessions) */
    char csrf[48];                        /* the session's CSRF token */
} pv_user;

struct route;

/* One request; lives until its reply is sent. */
typedef struct pv_req {
    struct evhttp_request *ev;
    char id[16];            /* quoted in the log, the X-Request-Id header and error pages */
    uint64_t started_us;    /* when it arrived (monotonic) */
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
    pv_user *user;          /* NULL: anonymous */
    char address[64];       /* the client (the proxy's X-Forwarded-For when trusted) */
    bool tls;               /* the client reached us over TLS (X-Forwarded-Proto: https) */
    url_query form;         /* a form body (urlencoded or multipart/form-data) */
    json_t *body;           /* an application/json body, or NULL */
    const char *location;   /* a 303 target set by a handler, or NULL */
    char pre_csrf[48];      /* the pv_pre cookie's token (web/session.c), or "" */
    int retry_after;        /* seconds for the Retry-After of a 503 (0: WEB_RETRY_AFTER) */
    /* the dispatcher's own: the cache key and generation of a cacheable request, and its
     * declared parameters encoded (what query_raw then points at) */
    char *cache_key;
    uint64_t generation;
    char *canon_query;
} pv_req;

/* What a handler returns to say it handed the request to the pool: the pool's done
 * callback finishes it with web_finish (web/dispatch.h). */
#define PV_DEFERRED 1

typedef struct web_app_options {
    const char *root;          /* folder with templates/, static/, docs/, node_modules/ */
    const char *db_path;
    const char *locale_dir;    /* folder with nb.mo, nn.mo, en.mo */
    const char *trusted_proxy; /* or NULL */
    bool cache;
    size_t cache_bytes;        /* per event loop; 0: CACHE_DEFAULT_BYTES */
    bool access_log;
    int pool_threads;          /* threads that hash passwords; 0: 2 */
    const char *map_tiles;     /* tile URL template (http or https); NULL: WEB_MAP_TILES */
} web_app_options;

/* The default map tiles: Kartverket's open topographic map (CC BY 4.0). */
#define WEB_MAP_TILES \
    "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png"

/* The origin ("https://host[:port]") of a tile URL template into out; -1 when the URL is
 * not http(s)://host… or the host has characters a host cannot have. */
int web_tile_origin(const char *url, char *out, size_t size) PV_NODISCARD;

/* Builds the shared state; on failure returns a negative code with a message in err (app
 * is then safe to pass to web_app_finish). */
int web_app_create(pv_app *app, const web_app_options *o, char *err, size_t err_size) PV_NODISCARD;
/* Lets work on the pool finish and reply; the loops must still run. */
void web_app_stopping(pv_app *app);
void web_app_finish(pv_app *app);

/* The translation of msgid in the request's language. */
#define T(r, msgid) i18n_get((r)->app->i18n, (r)->lang, (msgid))

#endif
