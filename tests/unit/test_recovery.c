/* Running out of memory while serving ends the request, not the server (DESIGN.md §2): the
 * allocators jump back to the recovery point of the unit of work (core/pv.h), and the real
 * request pipeline, served in-process, answers 500 — for every allocation of a request that
 * might be the one to fail — and then serves the next request as if nothing had happened,
 * with no transaction or statement left open on its connection.
 * Layer: tests (core, web). */
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
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/secret.h"
#include "web/dispatch.h"
#include "web/markdown.h"
#include "fixture_db.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* What a request given up held is lost on purpose: not a leak to report. */
#define LEAKS_EXPECTED_BEGIN() __lsan_disable()
#define LEAKS_EXPECTED_END() __lsan_enable()
#else
#define LEAKS_EXPECTED_BEGIN() ((void)0)
#define LEAKS_EXPECTED_END() ((void)0)
#endif

/* ---- the allocators on their own --------------------------------------------------------- */

/* Runs fn with the nth allocation failing; true when it came back through the recovery
 * point. */
static bool fails_over(void (*fn)(void), long n)
{
    pv_recovery rec;
    volatile bool recovered = false;
    pv_recovery_push(&rec);
    if (sigsetjmp(rec.env, 0) == 0) {
        pv_alloc_fail_after(n);
        fn();
        pv_recovery_pop(&rec);
    } else {
        pv_recovery_pop(&rec);
        recovered = true;
    }
    pv_alloc_fail_after(0);
    return recovered;
}

static void allocate_with_pv(void)
{
    char *a = pv_malloc(10);
    char *b = pv_calloc(4, 4);
    a = pv_realloc(a, 100);
    char *c = pv_strdup("tekst");
    free(a);
    free(b);
    free(c);
}

static void allocate_with_jansson(void)
{
    json_t *o = json_pack("{s:s, s:[i, i]}", "navn", "Moss", "år", 2026, 2030);
    char *text = json_dumps(o, JSON_COMPACT);
    free(text);
    json_decref(o);
}

static void allocate_with_cmark(void)
{
    free(markdown_to_html("# Mål\n\n*Alle* skal **med**.", 28));
}

static void allocate_with_buf(void)
{
    buf b = BUF_INIT;
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "linje %d\n", i);
    buf_finish(&b);
}

static void test_each_allocator_returns_to_the_recovery_point(void **state)
{
    (void)state;
    json_set_alloc_funcs(pv_malloc, free); /* as web_app_create does */
    void (*fns[])(void) = {allocate_with_pv, allocate_with_jansson, allocate_with_cmark,
                           allocate_with_buf};
    for (size_t f = 0; f < PV_ARRAY_LEN(fns); f++) {
        assert_false(fails_over(fns[f], 0)); /* nothing fails: runs through */
        LEAKS_EXPECTED_BEGIN();
        long before = pv_alloc_failures();
        assert_true(fails_over(fns[f], 1));
        assert_int_equal(pv_alloc_failures(), before + 1);
        LEAKS_EXPECTED_END();
    }
}

/* ---- the request pipeline ------------------------------------------------------------------ */

typedef struct fixture {
    char dir[64];
    char db_path[128];
    store *db;
    pv_app app;
    pv_worker *worker;
    struct event_base *base;
    struct evhttp *http;
    int port;
} fixture;

static fixture *F;

static void on_request(struct evhttp_request *req, void *arg)
{
    web_handle(req, arg);
}

static void on_response(struct evhttp_request *req, void *arg)
{
    *(int *)arg = req ? evhttp_request_get_response_code(req) : -1;
    event_base_loopbreak(F->base);
}

/* Sends one request (a JSON body when body is not NULL) and returns the status. */
static int send_request(const char *method, const char *uri, const char *body)
{
    int status = 0;
    struct evhttp_connection *conn =
        evhttp_connection_base_new(F->base, NULL, "127.0.0.1", (ev_uint16_t)F->port);
    struct evhttp_request *req = evhttp_request_new(on_response, &status);
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Host", "127.0.0.1");
    if (body) {
        evhttp_add_header(h, "Content-Type", "application/json");
        evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
    }
    if (evhttp_make_request(conn, req, strcmp(method, "GET") == 0 ? EVHTTP_REQ_GET
                                                                   : EVHTTP_REQ_POST, uri) != 0)
        fail_msg("cannot send %s %s", method, uri);
    event_base_dispatch(F->base);
    evhttp_connection_free(conn);
    return status;
}

static void binary_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    out[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(secret_init(), 0);
    F = calloc(1, sizeof *F);
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/planverk-recovery-XXXXXX", "test.db",
                            F->db_path, sizeof F->db_path);
    assert_non_null(F->db);
    static const char *const kinds[] = {"units", "plans", "goals", "indicators", "measures",
                                        "processes"};
    assert_int_equal(fixture_db_import_demo(F->db, kinds, PV_ARRAY_LEN(kinds)), 0);
    char locale[PATH_MAX], err[1024] = "";
    binary_dir(locale, sizeof locale);
    web_app_options o = {.root = PV_SOURCE_ROOT, .db_path = F->db_path, .locale_dir = locale,
                         .pool_threads = 1, .cache = false};
    if (web_app_create(&F->app, &o, err, sizeof err) != 0)
        fail_msg("web_app_create: %s", err);
    F->base = event_base_new();
    F->worker = web_worker_start(&F->app, 0, F->base);
    assert_non_null(F->worker);
    F->http = evhttp_new(F->base);
    evhttp_set_allowed_methods(F->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
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

/* No transaction open, no statement stepped halfway on the loop's connection. */
static void assert_connection_clean(void)
{
    sqlite3 *db = store_handle(F->worker->db);
    assert_true(sqlite3_get_autocommit(db));
    for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
        assert_false(sqlite3_stmt_busy(st));
}

/* For n = 1, 2, 3 … 16, 18, 20 … (each step an eighth more: a page makes thousands of
 * allocations), the nth allocation of the request fails. Each answer is 500 (or the normal
 * one, once n is past the request's last allocation), the next request is served normally,
 * and the loop's connection is clean. Returns how many were answered 500. */
static int fail_each_allocation(const char *method, const char *uri, const char *body,
                                int normal)
{
    int failed = 0;
    for (long n = 1; n < 10000000; n += n / 8 + 1) {
        LEAKS_EXPECTED_BEGIN();
        pv_alloc_fail_after(n);
        int status = send_request(method, uri, body);
        bool reached = pv_alloc_fail_pending() == 0;
        pv_alloc_fail_after(0);
        LEAKS_EXPECTED_END();
        assert_connection_clean();
        if (!reached) { /* the request made fewer than n allocations */
            assert_int_equal(status, normal);
            return failed;
        }
        if (status != normal)
            assert_int_equal(status, 500);
        failed += status == 500;
        assert_int_equal(send_request("GET", "/planer/leve-hele-livet", NULL), 200);
    }
    fail_msg("%s %s made 10 million allocations", method, uri);
    return failed;
}

static void test_a_page_survives_every_failed_allocation(void **state)
{
    (void)state;
    assert_true(fail_each_allocation("GET", "/planer", NULL, 200) > 10);
    assert_true(fail_each_allocation("GET", "/api/v1/plans/leve-hele-livet", NULL, 200) > 10);
}

static int count_inputs(void)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(F->db), "SELECT count(*) FROM input", -1,
                                        &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* An input sent through the API, its nth allocation failing for n = 1, 8, 15 …: 500, or
 * stored whole (201), or refused by the rate limit (429, which counts the attempt first);
 * only what was answered 201 is in the database. */
static void test_a_write_survives_every_failed_allocation(void **state)
{
    (void)state;
    int before = count_inputs(), failed = 0, created = 0;
    for (long n = 1; n < 400; n += 7) {
        LEAKS_EXPECTED_BEGIN();
        pv_alloc_fail_after(n);
        int status = send_request("POST", "/api/v1/processes/horing-medvirkningsplan/inputs",
                                  "{\"text\": \"Flere benker langs kyststien.\"}");
        pv_alloc_fail_after(0);
        LEAKS_EXPECTED_END();
        assert_connection_clean();
        assert_true(status == 500 || status == 201 || status == 429);
        failed += status == 500;
        created += status == 201;
    }
    assert_true(failed > 10);
    assert_int_equal(count_inputs(), before + created);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_allocator_returns_to_the_recovery_point),
        cmocka_unit_test_setup_teardown(test_a_page_survives_every_failed_allocation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_write_survives_every_failed_allocation, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
