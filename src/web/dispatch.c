/* The request pipeline.
 * Layer: web. Order matters: the language is chosen first so that even a 400 or 414 is
 * answered in the user's language; limits are checked before anything is decoded. */
#include "web/dispatch.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/utf8.h"
#include "http/json_shape.h"
#include "http/multipart.h"
#include "http/request.h"
#include "web/cache.h"
#include "web/render.h"
#include "web/router.h"
#include "web/session.h"

void *web_worker_start(void *app_ptr, int index, struct event_base *base)
{
    const pv_app *app = app_ptr;
    char err[512];
    store *db = store_open(app->db_path, false, err, sizeof err);
    if (!db) {
        pv_error("loop %d: %s", index, err);
        return NULL;
    }
    pv_worker *w = pv_calloc(1, sizeof *w);
    w->app = app;
    w->db = db;
    w->cache = app->cache ? cache_create(app->cache_bytes) : NULL;
    w->base = base;
    secret_random(&w->id_state, sizeof w->id_state);
    w->id_state |= 1; /* xorshift needs a state other than 0 */
    return w;
}

void web_worker_stop(void *ptr)
{
    pv_worker *w = ptr;
    store_close(w->db);
    cache_destroy(w->cache);
    free(w);
}

static const char *input_header(pv_req *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

/* Cookie first (the user's own choice), then Accept-Language. */
static const char *choose_language(pv_req *r)
{
    char value[16];
    if (http_cookie_get(r->ev, "lang", value, sizeof value) && i18n_supported(value))
        return i18n_supported(value);
    return i18n_negotiate(input_header(r, "Accept-Language"));
}

/* JSON when the route is an API route or the client asks for JSON rather than HTML. */
static bool wants_json(pv_req *r, const char *raw_path)
{
    if (strncmp(raw_path, "/api/", 5) == 0)
        return true;
    const char *accept = input_header(r, "Accept");
    if (accept)
        return strstr(accept, "application/json") && !strstr(accept, "text/html");
    /* A client that sends JSON and says nothing of what it accepts gets JSON back. */
    const char *type = input_header(r, "Content-Type");
    return type && strncmp(type, "application/json", 16) == 0;
}

/* Sends a response body (shared, not copied) with the headers of a page: language, Vary
 * and, for 200, the ETag, answering 304 when the client has that version. */
static void send_body(pv_req *r, int status, const char *content_type, http_body *body,
                      const char *etag)
{
    http_set_header(r->ev, "Content-Language", r->lang);
    http_set_header(r->ev, "Vary", "Accept, Accept-Language, Cookie");
    if (etag && *etag) {
        http_set_header(r->ev, "ETag", etag);
        /* Revalidate public pages; never keep what a staff member saw (the back button
         * after sign-out shows nothing). */
        bool staff = r->user || (r->route && r->route->access != ACCESS_PUBLIC);
        http_set_header(r->ev, "Cache-Control", staff ? "no-store" : "no-cache");
        const char *inm = input_header(r, "If-None-Match");
        if (status == 200 && http_etag_matches(inm, etag)) {
            http_send(r->ev, 304, NULL, NULL, 0);
            return;
        }
    }
    bool head = strcmp(r->method, "HEAD") == 0;
    http_send_shared(r->ev, status, content_type, head ? NULL : body);
}

static void reply_error(pv_req *r, int status)
{
    buf out = BUF_INIT;
    const char *type;
    render_error(r, status, &out, &type);
    if (status == 405 && r->route == NULL)
        http_set_header(r->ev, "Allow", "GET, HEAD");
    if (status == 503) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", r->retry_after > 0 ? r->retry_after : WEB_RETRY_AFTER);
        http_set_header(r->ev, "Retry-After", seconds);
    }
    size_t len = out.len;
    http_body *body = http_body_create(buf_steal(&out), len);
    send_body(r, status, type, body, NULL);
    http_body_release(body);
}

/* Checks limits and decodes the target. Returns 0 or the error status to answer. */
static int parse_target(pv_req *r)
{
    const char *uri = evhttp_request_get_uri(r->ev);
    r->want_json = uri && wants_json(r, uri); /* errors below answer in the right format */
    if (!uri || strlen(uri) > PV_MAX_URI)
        return 414;
    if (evbuffer_get_length(evhttp_request_get_input_buffer(r->ev)) > PV_MAX_BODY)
        return 413;
    if (uri[0] != '/')
        return 400;
    const char *q = strchr(uri, '?');
    const char *hash = strchr(uri, '#');
    size_t path_len = q ? (size_t)(q - uri) : hash ? (size_t)(hash - uri) : strlen(uri);
    buf path = BUF_INIT;
    if (url_decode(uri, path_len, false, &path) != 0) {
        buf_finish(&path);
        r->error = T(r, "Adressen inneholder ugyldige tegn.");
        return 400;
    }
    r->path = buf_steal(&path);
    if (q) {
        size_t qlen = hash && hash > q ? (size_t)(hash - q - 1) : strlen(q + 1);
        r->query_raw = q + 1;
        int rc = url_query_parse(q + 1, qlen, &r->query);
        if (rc != 0) {
            r->error = rc == PV_ELIMIT ? T(r, "Adressen har for mange eller for lange parametere.")
                                       : T(r, "Adressen inneholder ugyldige tegn.");
            return 400;
        }
    }
    return 0;
}

/* Reads the request body: a form (application/x-www-form-urlencoded) into r->form, JSON
 * (application/json) into r->body. Returns 0 or the error status. */
static int parse_body(pv_req *r)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
    size_t len = evbuffer_get_length(in);
    if (len == 0)
        return 0;
    const char *type = input_header(r, "Content-Type");
    const char *data = (const char *)evbuffer_pullup(in, -1);
    if (type && strncmp(type, "application/x-www-form-urlencoded", 33) == 0) {
        int rc = url_form_parse(data, len, &r->form);
        if (rc != 0) {
            r->error = T(r, "Skjemaet inneholder ugyldige tegn eller for mange felt.");
            return 400;
        }
        return 0;
    }
    if (type && strncasecmp(type, "multipart/form-data", 19) == 0) {
        multipart_error why;
        if (multipart_form_parse(type, data, len, &r->form, &why) != 0) {
            if (why == MULTIPART_EFILE)
                r->error = T(r, "Vi tar ikke imot filer i dette skjemaet.");
            else if (why == MULTIPART_ETYPE || why == MULTIPART_EBROKEN)
                r->error = T(r, "Skjemaet kom ikke fram i riktig form. Send det på nytt.");
            else
                r->error = T(r, "Skjemaet inneholder ugyldige tegn eller for mange felt.");
            return 400;
        }
        return 0;
    }
    if (type && strncmp(type, "application/json", 16) == 0) {
        switch (json_shape_check(data, len)) {
        case JSON_SHAPE_OK:
        case JSON_SHAPE_BROKEN: /* jansson says it below */
            break;
        case JSON_SHAPE_DEPTH:
            r->error = T(r, "Innholdet er nestet for dypt (høyst 16 nivåer).");
            return 400;
        case JSON_SHAPE_KEYS:
            r->error = T(r, "Et objekt i innholdet har for mange felt (høyst 256).");
            return 400;
        case JSON_SHAPE_VALUES:
            r->error = T(r, "Innholdet har for mange verdier (høyst 10 000).");
            return 400;
        }
        json_error_t je;
        r->body = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
        if (!r->body || !json_is_object(r->body)) {
            r->error = T(r, "Innholdet er ikke gyldig JSON (et objekt i UTF-8).");
            return 400;
        }
        return 0;
    }
    r->error = T(r, "Vi tar bare imot skjemaer og JSON.");
    return 415;
}

/* For a cacheable route: keeps in r->query only the parameters the route declares (the first
 * value of each, in the order declared), and makes r->query_raw their canonical encoding. The
 * page is then made from exactly what its cache key says, and /planer?x=1 is /planer. */
static void keep_declared_query(pv_req *r)
{
    url_query kept = {0};
    buf canon = BUF_INIT;
    const char *names = r->route->query ? r->route->query : "";
    while (*names) {
        size_t n = strcspn(names, " ");
        char name[URL_MAX_KEY + 1];
        snprintf(name, sizeof name, "%.*s", (int)n, names);
        names += n + (names[n] == ' ');
        const char *v = url_query_get(&r->query, name);
        if (!v)
            continue;
        kept.items = pv_realloc(kept.items, (kept.n + 1) * sizeof *kept.items);
        kept.items[kept.n++] = (url_param){pv_strdup(name), pv_strdup(v)};
        if (canon.len)
            buf_putc(&canon, '&');
        buf_puts(&canon, name);
        buf_putc(&canon, '=');
        buf_append_url(&canon, v, strlen(v));
    }
    url_query_finish(&r->query);
    r->query = kept;
    r->canon_query = buf_steal(&canon);
    r->query_raw = r->canon_query;
}

/* The key of a cacheable answer: language, format, path and declared parameters — and the
 * local day, since pages say which processes are open now and a deadline passes at midnight
 * without any write. */
static void cache_key(pv_req *r, buf *key)
{
    char day[11];
    pv_date_format(pv_date_of((int64_t)time(NULL)), day);
    buf_printf(key, "%s %c %s %s?%s", r->lang, r->want_json ? 'j' : 'h', day, r->path,
               r->canon_query);
}

/* Whether the caller may use the route (STYLE.md habit 4: enforced here, never in
 * handlers). Returns 0 or the status to answer. No default: a new kind of access must be
 * decided here before it compiles without warnings. */
static int authorize(pv_req *r)
{
    const route *rt = r->route;
    switch (rt->access) {
    case ACCESS_PUBLIC:
        return 0;
    case ACCESS_SIGNED_IN:
        return r->user ? 0 : 401;
    case ACCESS_ROLES:
        if (!r->user)
            return 401;
        if (r->user->roles & rt->roles)
            return 0;
        if ((r->user->roles & rt->object_roles) && rt->object_check && rt->object_check(r))
            return 0;
        return 403;
    }
    return 403;
}

static bool changes_state(const pv_req *r)
{
    return strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
}

/* Access, then CSRF: a state-changing request from a session must carry the session's
 * token; from a read-only API token it is refused; a public form without a session
 * carries the pre-session token. */
static int guard(pv_req *r)
{
    int status = session_identify(r);
    if (status == 0)
        status = authorize(r);
    if (status != 0 || !changes_state(r))
        return status;
    if (r->user && r->user->via_token && r->user->read_only) {
        r->error = T(r, "Denne API-nøkkelen kan bare lese.");
        return 403;
    }
    if (r->user && !r->user->via_token && !session_csrf_ok(r)) {
        r->error = T(r, "Skjemaet var utløpt eller kom fra en annen side. Last siden på nytt og prøv igjen. Ingenting ble endret.");
        return 403;
    }
    if (!r->user && (r->route->flags & ROUTE_PRE_CSRF) && !session_pre_csrf_ok(r)) {
        r->error = T(r, "Skjemaet var utløpt eller kom fra en annen side. Last siden på nytt og prøv igjen. Ingenting ble endret.");
        return 403;
    }
    return 0;
}

/* 401 as the client wants it: a redirect to the sign-in page (HTML), or a problem object. */
static void reply_unauthorized(pv_req *r)
{
    if (r->want_json) {
        http_set_header(r->ev, "WWW-Authenticate", "Bearer realm=\"planverk\"");
        r->error = T(r, "Logg inn, eller send en API-nøkkel (Authorization: Bearer).");
        reply_error(r, 401);
        return;
    }
    buf to = BUF_INIT;
    buf_puts(&to, "/logg-inn?til=");
    const char *target = evhttp_request_get_uri(r->ev);
    buf_append_url(&to, target, strlen(target));
    http_set_header(r->ev, "Location", buf_cstr(&to));
    http_set_header(r->ev, "Cache-Control", "no-store");
    buf_finish(&to);
    http_send(r->ev, 303, NULL, NULL, 0);
}

/* Makes the view-model of a refused request a problem object: type, title, status and a
 * detail where the handler gave none (its own fields, such as "errors", stay). */
static void problem_fields(pv_req *r, int status, json_t *vm)
{
    if (!json_object_get(vm, "type"))
        json_object_set_new(vm, "type", json_string("about:blank"));
    json_object_set_new(vm, "status", json_integer(status));
    if (!json_object_get(vm, "title"))
        json_object_set_new(vm, "title", json_string(T(r, "Forespørselen kan ikke behandles")));
    if (!json_object_get(vm, "detail") && r->error)
        json_object_set_new(vm, "detail", json_string(r->error));
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* A fresh request id: 12 hex digits from the loop's own xorshift generator. */
static void new_request_id(pv_worker *w, char out[16])
{
    uint64_t x = w->id_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    w->id_state = x;
    snprintf(out, 16, "%012llx", (unsigned long long)(x >> 16));
}

/* The path for the log: the route's pattern with its parameters filled in, except those that
 * are secrets (a receipt code, a sign-in link's token), which show as «…». No query. */
static void loggable_path(const pv_req *r, buf *out)
{
    if (!r->route) {
        buf_puts(out, r->path ? r->path : "-");
        return;
    }
    size_t param = 0;
    for (const char *p = r->route->pattern; *p; p++) {
        if (*p != '{') {
            buf_putc(out, *p);
            continue;
        }
        const char *end = strchr(p, '}');
        bool secret = strncmp(p, "{code}", 6) == 0 || strncmp(p, "{token}", 7) == 0;
        buf_puts(out, secret || param >= r->n_params ? "…" : r->params[param]);
        param++;
        p = end ? end : p + strlen(p) - 1;
    }
}

/* Every 5xx in the log with what happened (the last error logged for this request), and,
 * with --access-log, one logfmt line for every request. */
static void log_request(pv_req *r)
{
    int status = 0;
    size_t bytes = 0;
    http_last_reply(r->ev, &status, &bytes);
    const char *name = r->route ? r->route->name : "-";
    if (status >= 500) {
        buf path = BUF_INIT;
        loggable_path(r, &path);
        const char *why = pv_log_last_error();
        pv_error("%d %s route=%s path=%s: %s", status, r->method ? r->method : "-", name,
                 buf_cstr(&path), why ? why : r->error ? r->error : "no detail");
        buf_finish(&path);
    }
    if (r->app->access_log) {
        char stamp[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(stderr, "time=%s id=%s method=%s route=%s status=%d bytes=%zu us=%llu\n", stamp,
                r->id, r->method ? r->method : "-", name, status, bytes,
                (unsigned long long)(now_us() - r->started_us));
    }
}

static void web_free(pv_req *r)
{
    log_request(r);
    pv_log_set_request(NULL);
    free(r->path);
    url_query_finish(&r->query);
    url_query_finish(&r->form);
    json_decref(r->body);
    for (size_t i = 0; i < r->n_params; i++)
        free(r->params[i]);
    free(r->user);
    free(r->cache_key);
    free(r->canon_query);
    free(r);
}

void web_finish(pv_req *r, int status, json_t *vm)
{
    const route *rt = r->route;
    pv_log_set_request(r->id); /* also when a pool job finishes the request */
    if (status == 500 && store_write_failed(r->w->db)) {
        /* the database cannot be written (disk full, read-only): say so, and when to retry */
        status = 503;
        r->error = T(r, "Vi kan ikke lagre noe akkurat nå. Ingenting ble endret. Prøv igjen om litt.");
        json_decref(vm);
        vm = NULL;
    }
    if (r->user || rt->access != ACCESS_PUBLIC) /* staff data: never kept by a browser */
        http_set_header(r->ev, "Cache-Control", "no-store");
    if (status == 0) {
        /* the handler replied itself (a redirect, a file, a download): nothing is cached */
    } else if (status == 303 && r->location) {
        http_set_header(r->ev, "Location", r->location);
        http_send(r->ev, 303, NULL, NULL, 0);
    } else {
        buf out = BUF_INIT;
        const char *type = NULL;
        if (status >= 400 && vm && r->want_json) /* a refused API write: RFC 9457 */
            problem_fields(r, status, vm);
        if ((status == 200 || (status >= 400 && vm)) &&
            render_view(r, rt->template, vm, &out, &type) != 0)
            status = 500;
        if (status >= 400 && vm && r->want_json)
            type = CONTENT_PROBLEM;
        if (status == 401) {
            reply_unauthorized(r);
        } else if (status != 200 && !(status >= 400 && vm)) {
            reply_error(r, status);
        } else {
            /* 200, or a form shown again with its errors (4xx with a view-model) */
            char etag[24];
            snprintf(etag, sizeof etag, "\"%016llx\"", http_hash(buf_cstr(&out), out.len));
            size_t len = out.len;
            http_body *body = http_body_create(buf_steal(&out), len);
            send_body(r, status, type, body, status == 200 ? etag : NULL);
            if (r->cache_key && status == 200)
                cache_put(r->w->cache, r->cache_key, r->generation,
                          &(cached_response){200, type, body, etag});
            http_body_release(body);
        }
        buf_finish(&out);
    }
    json_decref(vm);
    web_free(r);
}

static void run_route(pv_req *r)
{
    const route *rt = r->route;
    /* Public pages are the same for every anonymous visitor; a signed-in one may see more. */
    if (rt->flags & ROUTE_CACHE)
        keep_declared_query(r);
    if ((rt->flags & ROUTE_CACHE) && r->w->cache && !r->user &&
        strcmp(r->method, "GET") == 0) {
        buf key = BUF_INIT;
        cache_key(r, &key);
        r->cache_key = buf_steal(&key);
        r->generation = store_generation(r->w->db);
        cached_response hit;
        if (cache_get(r->w->cache, r->cache_key, r->generation, &hit)) {
            http_set_header(r->ev, "X-Cache", "hit");
            send_body(r, hit.status, hit.content_type, hit.body, hit.etag);
            web_free(r);
            return;
        }
        http_set_header(r->ev, "X-Cache", "miss");
    }
    json_t *vm = NULL;
    int status = rt->handler(r, &vm);
    if (status == PV_DEFERRED)
        return; /* the pool's done callback calls web_finish */
    web_finish(r, status, vm);
}

static void handle(struct evhttp_request *ev, pv_worker *w)
{
    pv_req *r = pv_calloc(1, sizeof *r);
    *r = (pv_req){.ev = ev, .w = w, .app = w->app, .started_us = now_us()};
    new_request_id(w, r->id);
    pv_log_begin_request(r->id);
    http_set_header(ev, "X-Request-Id", r->id);
    store_clear_write_failed(w->db);
    r->method = http_method_name(ev);
    r->lang = choose_language(r);
    session_client(r);
    int status = r->method ? parse_target(r) : 405;
    if (status == 0) {
        bool path_known;
        r->route = router_match(r->method, r->path, r->params, &r->n_params, &path_known);
        if (!r->route)
            status = path_known ? 405 : 404;
        else if (r->route->flags & ROUTE_JSON)
            r->want_json = true;
    }
    if (status == 0)
        status = parse_body(r);
    if (status == 0)
        status = guard(r);
    if (status == 0) {
        run_route(r);
        pv_log_set_request(NULL); /* a deferred request sets it again when it finishes */
        return;
    }
    if (status == 401 && r->route) {
        reply_unauthorized(r);
    } else {
        if (status == 405)
            r->route = NULL;
        reply_error(r, status);
    }
    web_free(r);
}

void web_handle(struct evhttp_request *ev, void *worker)
{
    pv_worker *w = worker;
    http_last_reply_forget();
    pv_recovery rec;
    pv_recovery_push(&rec);
    if (sigsetjmp(rec.env, 0) == 0) {
        handle(ev, w);
        pv_recovery_pop(&rec);
    } else {
        /* Out of memory: the request is given up (what it held is lost), the connection's
         * statements and transaction are put right, and it is answered 500 unless it was
         * answered already. The loop goes on. (Out of memory again here ends the process.) */
        pv_recovery_pop(&rec);
        pv_error("out of memory: the request was given up");
        store_recover(w->db);
        int status;
        size_t bytes;
        if (!http_last_reply(ev, &status, &bytes))
            http_send(ev, 500, NULL, NULL, 0);
        pv_log_set_request(NULL);
    }
}
