/* Unit tests for router_match against the real route table: literal paths, {placeholders},
 * a trailing "*", HEAD answered by GET routes, unknown paths, and paths that exist for another
 * method (→ 405). Captured parameters are newly allocated copies that the caller frees.
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "web/router.h"

typedef struct match_result {
    const route *r;
    char *params[PV_MAX_ROUTE_PARAMS];
    size_t n;
    bool path_known;
} match_result;

static match_result match(const char *method, const char *path)
{
    match_result m;
    memset(&m, 0, sizeof m);
    m.n = 99; /* must be reset */
    m.path_known = true;
    m.r = router_match(method, path, m.params, &m.n, &m.path_known);
    return m;
}

static void release(match_result *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->params[i]);
    m->n = 0;
}

/* Matches path with method and checks that the route called name answered with the params
 * given (NULL-terminated). */
static void expect(const char *method, const char *path, const char *name, ...)
{
    match_result m = match(method, path);
    if (!m.r)
        fail_msg("%s %s matched no route (expected %s)", method, path, name);
    assert_string_equal(m.r->name, name);
    va_list ap;
    va_start(ap, name);
    size_t i = 0;
    for (const char *p; (p = va_arg(ap, const char *)) != NULL; i++) {
        assert_true(i < m.n);
        assert_string_equal(m.params[i], p);
    }
    va_end(ap);
    assert_int_equal(m.n, i);
    release(&m);
}

static void expect_none(const char *method, const char *path, bool known)
{
    match_result m = match(method, path);
    if (m.r)
        fail_msg("%s %s matched route %s", method, path, m.r->name);
    assert_int_equal(m.n, 0);
    if (m.path_known != known)
        fail_msg("%s %s: path_known is %d, expected %d", method, path, m.path_known, known);
}

static void test_literal_routes(void **state)
{
    (void)state;
    expect("GET", "/", "home", NULL);
    expect("GET", "/planer", "plans", NULL);
    expect("GET", "/mal", "goals", NULL);
    expect("GET", "/sok", "search", NULL);
    expect("GET", "/sprak", "language", NULL);
    expect("GET", "/api/v1/plans", "api.plans", NULL);
    expect("GET", "/api/v1/goals", "api.goals", NULL);
    expect("GET", "/api/v1/search", "api.search", NULL);
    expect("GET", "/api/v1/openapi.json", "api.openapi", NULL);
}

static void test_placeholder_routes(void **state)
{
    (void)state;
    expect("GET", "/planer/leve-hele-livet", "plan", "leve-hele-livet", NULL);
    expect("GET", "/api/v1/plans/leve-hele-livet", "api.plan", "leve-hele-livet", NULL);
    expect("GET", "/planer/x", "plan", "x", NULL);
    /* The router does not judge the value; the handler validates the slug. */
    expect("GET", "/planer/Åsgård ø", "plan", "Åsgård ø", NULL);
    expect("GET", "/planer/..", "plan", "..", NULL);
    /* A placeholder is one whole, non-empty segment. */
    expect_none("GET", "/planer/", false);
    expect_none("GET", "/planer/a/b", false);
    expect_none("GET", "/planer/a/", false);
    expect_none("GET", "/api/v1/plans/", false);
    expect_none("GET", "/api/v1/plans/a/b", false);
}

static void test_rest_routes(void **state)
{
    (void)state;
    expect("GET", "/static/css/site.css", "static", "css/site.css", NULL);
    expect("GET", "/static/a", "static", "a", NULL);
    expect("GET", "/static/", "static", "", NULL);
    expect("GET", "/static/a/b/c/d/e/f", "static", "a/b/c/d/e/f", NULL);
    expect_none("GET", "/static", false);
    expect_none("GET", "/staticx/a", false);
}

static void test_head_matches_get(void **state)
{
    (void)state;
    expect("HEAD", "/", "home", NULL);
    expect("HEAD", "/planer/leve-hele-livet", "plan", "leve-hele-livet", NULL);
    expect("HEAD", "/static/x.css", "static", "x.css", NULL);
    expect("HEAD", "/api/v1/plans", "api.plans", NULL);
}

static void test_unknown_paths(void **state)
{
    (void)state;
    const char *paths[] = {"", "/finnes-ikke", "/PLANER", "/planer/x/y/z", "/planerx",
                           "/plane", "//", "/api", "/api/v1", "/api/v1/", "/api/v2/plans",
                           "/api/v1/plansx", "/mal/", "/sok/x", "/?q=x"};
    for (size_t i = 0; i < PV_ARRAY_LEN(paths); i++) {
        expect_none("GET", paths[i], false);
        expect_none("POST", paths[i], false);
    }
}

static void test_known_for_another_method(void **state)
{
    (void)state;
    const char *methods[] = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get", "TRACE"};
    for (size_t i = 0; i < PV_ARRAY_LEN(methods); i++) {
        expect_none(methods[i], "/", true);
        expect_none(methods[i], "/planer", true);
        expect_none(methods[i], "/planer/leve-hele-livet", true);
        expect_none(methods[i], "/static/site.css", true);
        expect_none(methods[i], "/api/v1/openapi.json", true);
    }
}

static void test_params_are_copies(void **state)
{
    (void)state;
    char path[] = "/planer/levekar-og-livskvalitet";
    match_result m = match("GET", path);
    assert_non_null(m.r);
    assert_int_equal(m.n, 1);
    /* Not a pointer into the path: changing the path leaves the parameter alone. */
    assert_true(m.params[0] < path || m.params[0] >= path + sizeof path);
    memset(path, 'x', sizeof path - 1);
    assert_string_equal(m.params[0], "levekar-og-livskvalitet");
    release(&m);

    /* A failed match leaves nothing allocated (LeakSanitizer checks), even after a
     * placeholder was captured on the way. */
    for (int i = 0; i < 100; i++) {
        match_result none = match("GET", "/planer/a/b");
        assert_null(none.r);
        match_result other = match("POST", "/api/v1/plans/a");
        assert_null(other.r);
        assert_true(other.path_known);
    }
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_routes),
        cmocka_unit_test(test_placeholder_routes),
        cmocka_unit_test(test_rest_routes),
        cmocka_unit_test(test_head_matches_get),
        cmocka_unit_test(test_unknown_paths),
        cmocka_unit_test(test_known_for_another_method),
        cmocka_unit_test(test_params_are_copies),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL) ? 1 : 0;
}
