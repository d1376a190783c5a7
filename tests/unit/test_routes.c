/* The guard over the route table (STYLE.md habit 4, DESIGN.md §6): walks EVERY row of
 * routes[] and checks that it is complete and consistent — a method, a pattern, a handler, a
 * name, a defined access rule, a template that exists (unless it answers JSON or sends its own
 * reply), JSON for everything under /api/, unique names and no two rows for the same method and
 * pattern, and that no row is shadowed by an earlier one.
 *
 * This is the test that makes a route added later without a rule fail the build. When the
 * sign-in issue adds staff roles to enum access, access_name() below stops compiling under
 * -Wswitch -Werror until the new role is named here, and each staff route must then be shown
 * to refuse an anonymous caller (DESIGN.md §6).
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web/router.h"

#define TEMPLATE_DIR PV_SOURCE_ROOT "/templates"

/* The name of a defined access value, or NULL. No default: a new enumerator must be added
 * here (the compiler says so), with its test of who is refused. */
static const char *access_name(enum access a)
{
    switch (a) {
    case ACCESS_PUBLIC:
        return "public";
    case ACCESS_SIGNED_IN:
        return "signed-in";
    case ACCESS_ROLES:
        return "roles";
    }
    return NULL;
}

static bool template_exists(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.mustache", TEMPLATE_DIR, name);
    if (access(path, R_OK) == 0)
        return true;
    snprintf(path, sizeof path, "%s/partials/%s.mustache", TEMPLATE_DIR, name);
    return access(path, R_OK) == 0;
}

static bool is_method(const char *m)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < PV_ARRAY_LEN(methods); i++)
        if (strcmp(m, methods[i]) == 0)
            return true;
    return false;
}

static void test_table_is_not_empty(void **state)
{
    (void)state;
    assert_true(routes_count > 0);
}

static void test_every_route_is_complete(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *r = &routes[i];
        const char *name = r->name ? r->name : "(no name)";
        if (!r->name || !r->name[0])
            fail_msg("route %zu has no name", i);
        if (!r->method || !is_method(r->method))
            fail_msg("route %s: method %s is not one of GET POST PUT PATCH DELETE "
                     "(HEAD is answered by GET)", name, r->method ? r->method : "NULL");
        if (!r->pattern || r->pattern[0] != '/')
            fail_msg("route %s: the pattern must start with '/'", name);
        if (!r->handler)
            fail_msg("route %s has no handler", name);
        if ((int)r->access == 0 || !access_name(r->access))
            fail_msg("route %s: access %d is not a defined enum access value", name,
                     (int)r->access);
        unsigned known = ROUTE_JSON | ROUTE_CACHE | ROUTE_RAW | ROUTE_PRE_CSRF;
        if (r->flags & ~known)
            fail_msg("route %s has unknown flags 0x%x", name, r->flags & ~known);
        if (r->access == ACCESS_ROLES && !r->roles)
            fail_msg("route %s: ACCESS_ROLES names no role with full right", name);
        if ((r->object_roles != 0) != (r->object_check != NULL))
            fail_msg("route %s: object_roles and object_check go together", name);
        if (r->access != ACCESS_ROLES && (r->roles || r->object_roles))
            fail_msg("route %s names roles but its access is not ACCESS_ROLES", name);
        if ((r->flags & ROUTE_CACHE) && (r->access != ACCESS_PUBLIC || strcmp(r->method, "GET")))
            fail_msg("route %s: only public GET routes may be cached", name);
        if ((r->flags & ROUTE_PRE_CSRF) && (r->access != ACCESS_PUBLIC || !strcmp(r->method, "GET")))
            fail_msg("route %s: ROUTE_PRE_CSRF is for public forms that change state", name);
    }
}

static void test_templates_exist(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *r = &routes[i];
        if (r->flags & (ROUTE_JSON | ROUTE_RAW))
            continue;
        /* A form's POST may only redirect (sign-out); a page (GET) always renders. */
        if (!r->template && strcmp(r->method, "GET") != 0)
            continue;
        if (!r->template)
            fail_msg("route %s renders HTML but names no template", r->name);
        if (!template_exists(r->template))
            fail_msg("route %s: template %s is neither %s/%s.mustache nor in partials/",
                     r->name, r->template, TEMPLATE_DIR, r->template);
    }
}

static void test_api_routes_answer_json(void **state)
{
    (void)state;
    size_t api = 0;
    for (size_t i = 0; i < routes_count; i++) {
        const route *r = &routes[i];
        if (strncmp(r->pattern, "/api/", 5) != 0)
            continue;
        api++;
        if (!(r->flags & ROUTE_JSON))
            fail_msg("route %s (%s) is under /api/ but lacks ROUTE_JSON", r->name, r->pattern);
        if (strncmp(r->pattern, "/api/v1/", 8) != 0)
            fail_msg("route %s (%s): the API is versioned under /api/v1/", r->name, r->pattern);
    }
    assert_true(api > 0);
}

static void test_names_and_routes_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++)
        for (size_t j = i + 1; j < routes_count; j++) {
            if (strcmp(routes[i].name, routes[j].name) == 0)
                fail_msg("routes %zu and %zu are both named %s", i, j, routes[i].name);
            if (strcmp(routes[i].method, routes[j].method) == 0 &&
                strcmp(routes[i].pattern, routes[j].pattern) == 0)
                fail_msg("routes %s and %s are both %s %s", routes[i].name, routes[j].name,
                         routes[i].method, routes[i].pattern);
        }
}

/* Checks the pattern's syntax and writes a path that it matches, with "x1", "x2" … for the
 * placeholders and "rest/of/path" for a final "*". Returns the number of captures. */
static size_t sample_path(const route *r, char *out, size_t size)
{
    size_t o = 0, captures = 0;
    for (const char *p = r->pattern; *p; p++) {
        char piece[32] = "";
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close || close == p + 1 || memchr(p, '/', (size_t)(close - p)))
                fail_msg("route %s: bad placeholder in %s", r->name, r->pattern);
            if (p == r->pattern || p[-1] != '/' || (close[1] != '/' && close[1] != '\0'))
                fail_msg("route %s: a placeholder must be a whole segment in %s", r->name,
                         r->pattern);
            snprintf(piece, sizeof piece, "x%zu", ++captures);
            p = close;
        } else if (*p == '*') {
            if (p[1] != '\0' || p == r->pattern || p[-1] != '/')
                fail_msg("route %s: '*' must be the last segment of %s", r->name, r->pattern);
            snprintf(piece, sizeof piece, "rest/of/path");
            captures++;
        } else if (*p == '}') {
            fail_msg("route %s: stray '}' in %s", r->name, r->pattern);
        } else {
            piece[0] = *p;
            piece[1] = '\0';
        }
        size_t n = strlen(piece);
        assert_true(o + n < size);
        memcpy(out + o, piece, n);
        o += n;
    }
    out[o] = '\0';
    if (captures > PV_MAX_ROUTE_PARAMS)
        fail_msg("route %s captures %zu values, more than %d", r->name, captures,
                 PV_MAX_ROUTE_PARAMS);
    return captures;
}

/* Every route is reachable: a path made from its pattern is matched by that very route, not
 * by an earlier one, and the captures come back in order. */
static void test_every_route_is_reachable(void **state)
{
    (void)state;
    for (size_t i = 0; i < routes_count; i++) {
        const route *r = &routes[i];
        char path[1024];
        size_t captures = sample_path(r, path, sizeof path);
        char *params[PV_MAX_ROUTE_PARAMS];
        size_t n = 0;
        bool known = false;
        const route *got = router_match(r->method, path, params, &n, &known);
        if (got != r)
            fail_msg("%s %s (made from route %s) matched %s", r->method, path, r->name,
                     got ? got->name : "nothing");
        assert_int_equal(n, captures);
        for (size_t k = 0; k < n; k++) {
            char expected[32];
            if (k + 1 == n && r->pattern[strlen(r->pattern) - 1] == '*')
                snprintf(expected, sizeof expected, "rest/of/path");
            else
                snprintf(expected, sizeof expected, "x%zu", k + 1);
            assert_string_equal(params[k], expected);
            free(params[k]);
        }
    }
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_not_empty),
        cmocka_unit_test(test_every_route_is_complete),
        cmocka_unit_test(test_templates_exist),
        cmocka_unit_test(test_api_routes_answer_json),
        cmocka_unit_test(test_names_and_routes_unique),
        cmocka_unit_test(test_every_route_is_reachable),
    };
    return cmocka_run_group_tests_name("routes", tests, NULL, NULL) ? 1 : 0;
}
