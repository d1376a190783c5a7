/* The route-table walk (DESIGN.md §6, STYLE.md habit 4): every non-public route, called
 * through the real request pipeline (dispatch, sessions, CSRF) on an in-process HTTP server,
 *  - anonymously: HTML routes send the caller to /logg-inn (303), JSON routes answer 401;
 *  - by a signed-in user without the route's roles: 403;
 *  - with a state-changing method from a session without its CSRF token: 403, and the
 *    database is exactly as before;
 * and every public route is one the test knows (a route made public by mistake fails).
 * A route added later is walked without anyone writing a test for it.
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "domain/auth.h"
#include "store/export.h"
#include "store/import.h"
#include "store/users.h"
#include "web/dispatch.h"
#include "web/session.h"
#include "web/router.h"
#include "fixture_db.h"

/* Public on purpose. A new public route must be added here, consciously. */
static const char *const public_routes[] = {
    "home", "plans", "plan", "goals", "search", "language", "static", "signin.form", "signin",
    "link.form", "link", "api.plans", "api.plan", "api.goals", "api.search", "api.openapi",
    /* participation without an account (pages/participation.h) */
    "participation", "participation.process", "participation.submit", "receipt.lookup",
    "receipt", "api.processes", "api.process", "api.process.inputs", "api.receipt",
    /* what came of the inputs: no personal data (pages/summary.h) */
    "summary",
    /* plan follow-up: measures, indicators and the overview; reports of closed periods only
     * (pages/followup.h) */
    "overview", "measure", "indicator", "api.units", "api.measures", "api.measure",
    "api.readings", "api.overview",
};

enum { USER_ALL = ROLE_COUNT, USERS }; /* one user per role, and one with every role */

typedef struct fixture {
    char dir[64];
    char db_path[128];
    store *db;
    pv_app app;
    pv_worker *worker;
    struct event_base *base;
    struct evhttp *http;
    int port;
    char token[USERS][SECRET_TOKEN_CHARS + 1];
    char csrf[USERS][SECRET_TOKEN_CHARS + 1];
} fixture;

static fixture *F;

typedef struct response {
    int status;
    char location[600];
} response;

/* ---- the in-process server and client -------------------------------------------------- */

static void on_request(struct evhttp_request *req, void *arg)
{
    web_handle(req, arg);
}

static void on_response(struct evhttp_request *req, void *arg)
{
    response *res = arg;
    res->status = req ? evhttp_request_get_response_code(req) : -1;
    const char *loc = req ? evhttp_find_header(evhttp_request_get_input_headers(req), "Location")
                          : NULL;
    snprintf(res->location, sizeof res->location, "%s", loc ? loc : "");
    event_base_loopbreak(F->base);
}

/* Sends one request on a fresh connection and runs the loop until the answer. who is a
 * user index or -1 (anonymous); with_csrf adds the session's token to the form. */
static response send_request(const char *method, const char *uri, int who, bool with_csrf)
{
    response res = {0};
    struct evhttp_connection *conn =
        evhttp_connection_base_new(F->base, NULL, "127.0.0.1", (ev_uint16_t)F->port);
    struct evhttp_request *req = evhttp_request_new(on_response, &res);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Host", "127.0.0.1");
    if (who >= 0) {
        char cookie[128];
        snprintf(cookie, sizeof cookie, "pv_session=%s", F->token[who]);
        evhttp_add_header(h, "Cookie", cookie);
    }
    enum evhttp_cmd_type type = EVHTTP_REQ_GET;
    if (strcmp(method, "GET") != 0) {
        type = strcmp(method, "POST") == 0    ? EVHTTP_REQ_POST
               : strcmp(method, "PUT") == 0   ? EVHTTP_REQ_PUT
               : strcmp(method, "PATCH") == 0 ? EVHTTP_REQ_PATCH
                                              : EVHTTP_REQ_DELETE;
        evhttp_add_header(h, "Content-Type", "application/x-www-form-urlencoded");
        char body[128] = "probe=1";
        if (with_csrf && who >= 0)
            snprintf(body, sizeof body, "probe=1&csrf=%s", F->csrf[who]);
        evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
    }
    if (evhttp_make_request(conn, req, type, uri) != 0)
        fail_msg("cannot send %s %s", method, uri);
    event_base_dispatch(F->base);
    evhttp_connection_free(conn);
    return res;
}

/* ---- fixture ------------------------------------------------------------------------------ */

static void binary_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    out[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
}

/* Creates user u (one role, or every role) and a session for it. */
static void add_user(int u)
{
    unsigned roles = u == USER_ALL ? ROLE_ALL : 1u << u;
    char email[64];
    snprintf(email, sizeof email, "bruker%d@moss.kommune.no", u);
    actor cli = {0, "cli", NULL};
    int64_t id;
    assert_int_equal(store_user_add(F->db, &cli, session_now(), email, "Test", roles, NULL, &id), 0);
    secret_token(F->token[u]);
    secret_token(F->csrf[u]);
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token_hash(F->token[u], hash);
    actor who = {id, email, "127.0.0.1"};
    assert_int_equal(store_signin_ok(F->db, &who, session_now(), hash, F->csrf[u]), 0);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(secret_init(), 0);
    F = calloc(1, sizeof *F);
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/planverk-access-XXXXXX", "test.db",
                            F->db_path, sizeof F->db_path);
    assert_non_null(F->db);
    static const char *const kinds[] = {"plans", "goals", "indicators", "measures"};
    assert_int_equal(fixture_db_import_demo(F->db, kinds, PV_ARRAY_LEN(kinds)), 0);
    char err[1024] = "";
    for (int u = 0; u < USERS; u++)
        add_user(u);

    char locale[PATH_MAX];
    binary_dir(locale, sizeof locale);
    web_app_options o = {.root = PV_SOURCE_ROOT, .db_path = F->db_path, .locale_dir = locale,
                         .pool_threads = 1};
    if (web_app_create(&F->app, &o, err, sizeof err) != 0)
        fail_msg("web_app_create: %s", err);
    F->base = event_base_new();
    F->worker = web_worker_start(&F->app, 0, F->base);
    assert_non_null(F->worker);
    F->http = evhttp_new(F->base);
    evhttp_set_allowed_methods(F->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_PATCH);
    evhttp_set_gencb(F->http, on_request, F->worker);
    struct evhttp_bound_socket *sock = evhttp_bind_socket_with_handle(F->http, "127.0.0.1", 0);
    assert_non_null(sock);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&ss, &len);
    F->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    evhttp_free(F->http);
    web_worker_stop(F->worker);
    event_base_free(F->base);
    web_app_finish(&F->app);
    fixture_db_remove(F->db, F->dir);
    free(F);
    return 0;
}

/* ---- the walk ------------------------------------------------------------------------------ */

/* A request target for a route pattern: placeholders get plausible values. */
static void target_for(const route *rt, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = rt->pattern; *p && o + 40 < size; p++) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            bool slug = strncmp(p, "{slug}", 6) == 0;
            o += (size_t)snprintf(out + o, size - o, "%s", slug ? "leve-hele-livet" : "1");
            p = close ? close : p;
        } else if (*p == '*') {
            o += (size_t)snprintf(out + o, size - o, "x");
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static bool is_public_by_design(const route *rt)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(public_routes); i++)
        if (strcmp(rt->name, public_routes[i]) == 0)
            return true;
    return false;
}

static bool answers_json(const route *rt)
{
    return (rt->flags & ROUTE_JSON) || strncmp(rt->pattern, "/api/", 5) == 0;
}

/* What the database holds, to prove a refused request changed nothing. */
static json_t *snapshot(void)
{
    json_t *bundle = NULL, *events = NULL;
    audit_filter all = {.limit = 500};
    assert_int_equal(store_export(F->db, &bundle), 0);
    assert_int_equal(store_audit_list(F->db, &all, &events), 0);
    json_object_set_new(bundle, "audit", events);
    return bundle;
}

static void test_public_routes_are_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++)
        if (routes[i].access == ACCESS_PUBLIC && !is_public_by_design(&routes[i]))
            fail_msg("route %s (%s %s) is public but not in this test's list of public routes: "
                     "give it an access rule, or add it here if it really is for everyone",
                     routes[i].name, routes[i].method, routes[i].pattern);
}

static void test_anonymous_callers_are_refused(void **state)
{
    (void)state;
    size_t walked = 0;
    for (size_t i = 0; i < routes_count; i++) {
        const route *rt = &routes[i];
        if (rt->access == ACCESS_PUBLIC)
            continue;
        char uri[512];
        target_for(rt, uri, sizeof uri);
        response res = send_request(rt->method, uri, -1, false);
        if (answers_json(rt)) {
            if (res.status != 401)
                fail_msg("%s %s anonymously: %d, expected 401", rt->method, uri, res.status);
        } else if (res.status != 303 || strncmp(res.location, "/logg-inn?til=", 14) != 0) {
            fail_msg("%s %s anonymously: %d to \"%s\", expected 303 to /logg-inn", rt->method,
                     uri, res.status, res.location);
        }
        walked++;
    }
    assert_true(walked > 0);
}

static void test_callers_without_the_role_are_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *rt = &routes[i];
        if (rt->access != ACCESS_ROLES)
            continue;
        char uri[512];
        target_for(rt, uri, sizeof uri);
        for (int u = 0; u < ROLE_COUNT; u++) {
            if ((1u << u) & (rt->roles | rt->object_roles))
                continue; /* this user has a right (or a right to some objects) */
            response res = send_request(rt->method, uri, u, true);
            if (res.status != 403)
                fail_msg("%s %s as %s: %d, expected 403", rt->method, uri,
                         auth_role_name(1u << u), res.status);
        }
    }
}

static void test_state_changes_need_the_csrf_token(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *rt = &routes[i];
        if (rt->access == ACCESS_PUBLIC || strcmp(rt->method, "GET") == 0)
            continue;
        char uri[512];
        target_for(rt, uri, sizeof uri);
        json_t *before = snapshot();
        response res = send_request(rt->method, uri, USER_ALL, false);
        json_t *after = snapshot();
        bool same = json_equal(before, after);
        json_decref(before);
        json_decref(after);
        if (res.status != 403)
            fail_msg("%s %s without the CSRF token: %d, expected 403", rt->method, uri,
                     res.status);
        if (!same)
            fail_msg("%s %s without the CSRF token changed the database", rt->method, uri);
    }
}

static void test_public_forms_need_the_pre_session_token(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *rt = &routes[i];
        if (!(rt->flags & ROUTE_PRE_CSRF))
            continue;
        char uri[512];
        target_for(rt, uri, sizeof uri);
        response res = send_request(rt->method, uri, -1, false);
        if (res.status != 403)
            fail_msg("%s %s without the pre-session token: %d, expected 403", rt->method, uri,
                     res.status);
    }
}

/* The walk is not vacuous: with every role, a signed-in user gets past the guard. */
static void test_the_right_role_gets_in(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *rt = &routes[i];
        if (rt->access == ACCESS_PUBLIC || strcmp(rt->method, "GET") != 0)
            continue;
        char uri[512];
        target_for(rt, uri, sizeof uri);
        response res = send_request("GET", uri, USER_ALL, false);
        if (res.status == 401 || res.status == 403 || res.status >= 500 ||
            (res.status == 303 && strncmp(res.location, "/logg-inn", 9) == 0))
            fail_msg("GET %s with every role: %d, expected to get past the guard", uri,
                     res.status);
    }
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_routes_are_known),
        cmocka_unit_test(test_anonymous_callers_are_refused),
        cmocka_unit_test(test_callers_without_the_role_are_refused),
        cmocka_unit_test(test_state_changes_need_the_csrf_token),
        cmocka_unit_test(test_public_forms_need_the_pre_session_token),
        cmocka_unit_test(test_the_right_role_gets_in),
    };
    return cmocka_run_group_tests_name("access", tests, setup, teardown);
}
