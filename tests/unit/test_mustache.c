/* Unit tests for the Mustache renderer: every case of the official spec as its own cmocka test,
 * then ours (error messages, limits, escaping, numbers, indentation, threads).
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/mustache.h"

#ifndef PV_TEST_SHARED
#define PV_TEST_SHARED "../shared"
#endif

/* The official spec lives in the project's shared folder (../shared/conformance), beside
 * the checkout; PLANVERK_SHARED names another place for it. */
static const char *shared_dir(void)
{
    const char *dir = getenv("PLANVERK_SHARED");
    return dir && *dir ? dir : PV_TEST_SHARED;
}

/* ---- helpers ------------------------------------------------------------------------- */

/* A set of named templates, looked up by name as partials and parents. */
struct library {
    size_t n;
    char *names[32];
    mustache_tpl *tpls[32];
};

static const mustache_tpl *library_lookup(void *ctx, const char *name, size_t len)
{
    const struct library *lib = ctx;
    for (size_t i = 0; i < lib->n; i++)
        if (strlen(lib->names[i]) == len && !memcmp(lib->names[i], name, len))
            return lib->tpls[i];
    return NULL;
}

static void library_add(struct library *lib, const char *name, const char *src)
{
    char err[256];
    assert_true(lib->n < 32);
    mustache_tpl *t = mustache_compile(src, strlen(src), err, sizeof(err));
    if (!t)
        fail_msg("partial %s: %s", name, err);
    lib->names[lib->n] = strdup(name);
    lib->tpls[lib->n++] = t;
}

static void library_free(struct library *lib)
{
    for (size_t i = 0; i < lib->n; i++) {
        free(lib->names[i]);
        mustache_destroy(lib->tpls[i]);
    }
    lib->n = 0;
}

static mustache_tpl *compile_ok(const char *src)
{
    char err[256];
    mustache_tpl *t = mustache_compile(src, strlen(src), err, sizeof(err));
    if (!t)
        fail_msg("compile failed: %s", err);
    return t;
}

/* Renders src against the JSON text data (with the partials in lib) and checks the output. */
static void expect_render(const char *src, const char *data, struct library *lib,
                          const char *expected)
{
    json_error_t jerr;
    json_t *ctx = json_loads(data, JSON_DECODE_ANY, &jerr);
    assert_non_null(ctx);
    mustache_tpl *t = compile_ok(src);
    buf out = BUF_INIT;
    assert_int_equal(mustache_render(t, &ctx, 1, lib ? library_lookup : NULL, lib, &out), 0);
    assert_string_equal(buf_cstr(&out), expected);
    buf_finish(&out);
    mustache_destroy(t);
    json_decref(ctx);
}

static void expect_error(const char *src, const char *part1, const char *part2)
{
    char err[256];
    mustache_tpl *t = mustache_compile(src, strlen(src), err, sizeof(err));
    assert_null(t);
    if (!strstr(err, part1) || (part2 && !strstr(err, part2)))
        fail_msg("message \"%s\" lacks \"%s\"/\"%s\"", err, part1, part2 ? part2 : "");
}

/* ---- the official spec ------------------------------------------------------------------ */

static void spec_case(void **state)
{
    const json_t *test = *state;
    struct library lib = {0};
    const char *name;
    json_t *partial;
    json_object_foreach((json_t *)json_object_get(test, "partials"), name, partial)
        library_add(&lib, name, json_string_value(partial));
    const char *src = json_string_value(json_object_get(test, "template"));
    char err[256];
    mustache_tpl *t = mustache_compile(src, strlen(src), err, sizeof(err));
    if (!t) {
        library_free(&lib);
        fail_msg("compile: %s", err);
    }
    json_t *data = json_object_get(test, "data");
    buf out = BUF_INIT;
    int rc = mustache_render(t, &data, 1, library_lookup, &lib, &out);
    const char *expected = json_string_value(json_object_get(test, "expected"));
    bool same = rc == 0 && !strcmp(buf_cstr(&out), expected);
    if (!same)
        print_error("template: %s\nexpected: [%s]\ngot:      [%s] (rc %d)\n", src, expected,
                    buf_cstr(&out), rc);
    buf_finish(&out);
    mustache_destroy(t);
    library_free(&lib);
    assert_true(same);
}

/* ---- our own tests ---------------------------------------------------------------------- */

static void errors_have_line_numbers(void **state)
{
    (void)state;
    expect_error("a\n{{#items}}\nb\n", "line 2", "never closed");
    expect_error("{{#a}}\n\n{{/b}}", "line 3", "opened on line 1");
    expect_error("x\ny\nHello {{name", "line 3", "unclosed tag");
    expect_error("x\n{{/a}}", "line 2", "without an opening tag");
    expect_error("{{=a=}}", "line 1", "delimiter");
    expect_error("{{= a b c =}}", "line 1", "delimiter");
    expect_error("\n\n\n{{ }}", "line 4", "empty tag");
    expect_error("{{<p}}{{$b}}{{/p}}{{/b}}", "line 1", "does not match");
    char err[8];
    assert_null(mustache_compile("{{#a}}", 6, err, sizeof(err))); /* truncated, not overrun */
    assert_int_equal(strlen(err), sizeof(err) - 1);
    assert_null(mustache_compile("{{#a}}", 6, NULL, 0));
}

static void partial_recursion_is_limited(void **state)
{
    (void)state;
    struct library lib = {0};
    library_add(&lib, "p", "x{{>p}}");
    library_add(&lib, "q", "{{<q}}{{/q}}");
    library_add(&lib, "r", "{{$a}}{{/a}}");
    json_t *ctx = json_object();
    buf out = BUF_INIT;

    mustache_tpl *t = compile_ok("{{>p}}");
    assert_int_equal(mustache_render(t, &ctx, 1, library_lookup, &lib, &out), PV_ELIMIT);
    assert_int_equal(out.len, MUSTACHE_MAX_DEPTH); /* one x per level reached */
    mustache_destroy(t);

    t = compile_ok("{{<q}}{{/q}}");
    assert_int_equal(mustache_render(t, &ctx, 1, library_lookup, &lib, &out), PV_ELIMIT);
    mustache_destroy(t);

    /* An argument that contains its own block expands itself without end. */
    t = compile_ok("{{<r}}{{$a}}{{$a}}y{{/a}}{{/a}}{{/r}}");
    assert_int_equal(mustache_render(t, &ctx, 1, library_lookup, &lib, &out), PV_ELIMIT);
    mustache_destroy(t);

    buf_finish(&out);
    json_decref(ctx);
    library_free(&lib);
}

static char *nested_sections(int depth)
{
    buf b = BUF_INIT;
    for (int i = 0; i < depth; i++)
        buf_puts(&b, "{{#a}}");
    buf_puts(&b, "{{b}}");
    for (int i = 0; i < depth; i++)
        buf_puts(&b, "{{/a}}");
    return buf_steal(&b);
}

static void nesting_is_limited(void **state)
{
    (void)state;
    char *ok = nested_sections(MUSTACHE_MAX_DEPTH);
    expect_render(ok, "{\"a\": true, \"b\": \"deep\"}", NULL, "deep");
    free(ok);
    char *deep = nested_sections(MUSTACHE_MAX_DEPTH + 1);
    expect_error(deep, "line 1", "nested deeper");
    free(deep);
}

static void source_size_is_limited(void **state)
{
    (void)state;
    size_t n = MUSTACHE_MAX_SOURCE + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    char err[256];
    assert_null(mustache_compile(big, n, err, sizeof(err)));
    assert_non_null(strstr(err, "limit"));
    mustache_tpl *t = mustache_compile(big, n - 1, err, sizeof(err));
    assert_non_null(t);
    buf out = BUF_INIT;
    assert_int_equal(mustache_render(t, NULL, 0, NULL, NULL, &out), 0);
    assert_int_equal(out.len, n - 1);
    buf_finish(&out);
    mustache_destroy(t);
    free(big);
}

static void escaping(void **state)
{
    (void)state;
    const char *data = "{\"s\": \"<a href=\\\"x\\\">'Tom' & Jerry</a>\"}";
    expect_render("{{s}}", data, NULL,
                  "&lt;a href=&quot;x&quot;&gt;&#39;Tom&#39; &amp; Jerry&lt;/a&gt;");
    expect_render("{{{s}}}|{{&s}}", data, NULL,
                  "<a href=\"x\">'Tom' & Jerry</a>|<a href=\"x\">'Tom' & Jerry</a>");
    expect_render("{{=<% %>=}}<%s%>|<%{s}%>", "{\"s\": \"'\"}", NULL, "&#39;|'");
}

static void numbers_and_literals(void **state)
{
    (void)state;
    expect_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
                  "{\"a\": 1.21, \"b\": 0.5, \"c\": 33.5, \"d\": 0.1, \"e\": 100.0, "
                  "\"f\": -2.25, \"g\": 1e300, \"h\": 0.30000000000000004}",
                  NULL, "1.21 0.5 33.5 0.1 100 -2.25 1e+300 0.30000000000000004");
    expect_render("{{a}} {{b}} {{c}}", "{\"a\": 9223372036854775807, \"b\": -42, \"c\": 0}",
                  NULL, "9223372036854775807 -42 0");
    expect_render("[{{t}}|{{f}}|{{n}}|{{o}}|{{l}}|{{m}}]",
                  "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"x\": 1}, \"l\": [1]}",
                  NULL, "[true|false||||]");
}

static void falsey_values(void **state)
{
    (void)state;
    const char *tpl = "{{#v}}yes{{/v}}{{^v}}no{{/v}}";
    expect_render(tpl, "{\"v\": \"\"}", NULL, "no");
    expect_render(tpl, "{\"v\": \"x\"}", NULL, "yes");
    expect_render(tpl, "{\"v\": 0}", NULL, "yes");
    expect_render(tpl, "{\"v\": 0.0}", NULL, "yes");
    expect_render(tpl, "{\"v\": {}}", NULL, "yes");
    expect_render(tpl, "{\"v\": []}", NULL, "no");
    expect_render(tpl, "{\"v\": null}", NULL, "no");
    expect_render(tpl, "{}", NULL, "no");
    expect_render("{{#v}}{{.}}{{/v}}", "{\"v\": [\"a\", \"\", \"b\"]}", NULL, "ab");
}

static void context_stack_and_lookup(void **state)
{
    (void)state;
    json_t *ctx[2] = {json_pack("{s:s, s:s}", "a", "outer", "b", "outer b"),
                      json_pack("{s:s}", "a", "inner")};
    mustache_tpl *t = compile_ok("{{a}} {{b}} {{>missing}}{{<missing}}{{/missing}}.");
    buf out = BUF_INIT;
    assert_int_equal(mustache_render(t, ctx, 2, NULL, NULL, &out), 0);
    assert_string_equal(buf_cstr(&out), "inner outer b .");
    buf_reset(&out);
    assert_int_equal(mustache_render(t, NULL, 0, NULL, NULL, &out), 0);
    assert_string_equal(buf_cstr(&out), "  .");
    buf_finish(&out);
    mustache_destroy(t);
    mustache_destroy(NULL);
    json_decref(ctx[0]);
    json_decref(ctx[1]);

    /* Empty templates, as a page and as a partial (found by the fuzzer: NULL + 0). */
    struct library lib = {0};
    library_add(&lib, "empty", "");
    expect_render("", "{}", &lib, "");
    expect_render("[{{>empty}}{{<empty}}{{/empty}}]", "{}", &lib, "[]");
    library_free(&lib);

    /* The source need not be NUL-terminated: only len bytes count. */
    char err[64];
    t = mustache_compile("{{a}}{{b", 5, err, sizeof(err));
    assert_non_null(t);
    mustache_destroy(t);
}

static void indentation(void **state)
{
    (void)state;
    struct library lib = {0};
    library_add(&lib, "a", "<ul>\n  {{>b}}\n</ul>\n");
    library_add(&lib, "b", "{{#items}}\n<li>{{.}}</li>\n{{/items}}\n");
    library_add(&lib, "layout", "<body>\n  <main>\n    {{$content}}\n    {{/content}}\n"
                                "  </main>\n</body>\n");
    expect_render("<div>\n  {{>a}}\n</div>\n", "{\"items\": [\"x\", \"y\"]}", &lib,
                  "<div>\n  <ul>\n    <li>x</li>\n    <li>y</li>\n  </ul>\n</div>\n");
    /* Data is never indented, only template lines are. */
    expect_render("  {{>b}}\n", "{\"items\": [\"1\\n2\"]}", &lib, "  <li>1\n2</li>\n");
    /* A page fills the layout's block; its own indentation is replaced by the layout's. */
    expect_render("{{<layout}}\n{{$content}}\n  <h1>{{t}}</h1>\n  <p>Hi</p>\n{{/content}}\n"
                  "{{/layout}}\n",
                  "{\"t\": \"T\"}", &lib,
                  "<body>\n  <main>\n    <h1>T</h1>\n    <p>Hi</p>\n  </main>\n</body>\n");
    library_free(&lib);
}

static void indentation_details(void **state)
{
    (void)state;
    struct library lib = {0};
    library_add(&lib, "two", "1\n2\n");
    library_add(&lib, "outer", "a\n  {{>inner}}\nb {{>two}}c\n");
    library_add(&lib, "inner", "x\ny\n");
    library_add(&lib, "frame", "<nav>\n  {{$links}}\n    <a>home</a>\n  {{/links}}\n</nav>\n");
    /* Standalone partials nest their indentation; an inline one gets none. */
    expect_render("  {{>outer}}\n", "{}", &lib, "  a\n    x\n    y\n  b 1\n2\nc\n");
    /* A block's default content sets where an argument lands (spec: "Intrinsic indentation"). */
    expect_render("{{<frame}}{{/frame}}", "{}", &lib, "<nav>\n    <a>home</a>\n</nav>\n");
    expect_render("{{<frame}}{{$links}}\n<a>x</a>\n<a>y</a>\n{{/links}}{{/frame}}", "{}", &lib,
                  "<nav>\n    <a>x</a>\n    <a>y</a>\n</nav>\n");
    /* CRLF lines are standalone too, and stay CRLF. */
    expect_render("<p>\r\n  {{#a}}\r\n  {{>two}}\r\n  {{/a}}\r\n</p>\r\n", "{\"a\": true}", &lib,
                  "<p>\r\n  1\n  2\n</p>\r\n");
    library_free(&lib);
}

static void runaway_render_is_stopped(void **state)
{
    (void)state;
    /* 10 lists of 10 nested: 10^10 turns if nothing stopped it. */
    char *tpl = nested_sections(10);
    json_t *ctx = json_pack("{s:[i,i,i,i,i,i,i,i,i,i], s:s}", "a", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                            "b", "x");
    mustache_tpl *t = compile_ok(tpl);
    buf out = BUF_INIT;
    assert_int_equal(mustache_render(t, &ctx, 1, NULL, NULL, &out), PV_ELIMIT);
    buf_finish(&out);
    mustache_destroy(t);
    json_decref(ctx);
    free(tpl);
}

/* Indentation longer than the renderer's flat copy, and a budget hit inside indented text. */
static void long_indentation(void **state)
{
    (void)state;
    char pad[101], page[200], mid[200], want[500];
    memset(pad, ' ', 100);
    pad[100] = '\0';
    snprintf(page, sizeof(page), "%s{{>mid}}\n", pad);
    snprintf(mid, sizeof(mid), "%s{{>leaf}}\n", pad);
    snprintf(want, sizeof(want), "%s%sa\n%s%sb\n", pad, pad, pad, pad);
    struct library lib = {0};
    library_add(&lib, "mid", mid);
    library_add(&lib, "leaf", "a\nb\n");
    expect_render(page, "{}", &lib, want);

    /* A million lines, each owed 100 bytes of indentation: stops at the output budget. */
    size_t n = 1000000;
    char *lines = malloc(n + 1);
    assert_non_null(lines);
    memset(lines, '\n', n);
    lines[n] = '\0';
    library_add(&lib, "lines", lines);
    free(lines);
    snprintf(page, sizeof(page), "%s{{>lines}}\n", pad);
    mustache_tpl *t = compile_ok(page);
    json_t *ctx = json_object();
    buf out = BUF_INIT;
    assert_int_equal(mustache_render(t, &ctx, 1, library_lookup, &lib, &out), PV_ELIMIT);
    assert_true(out.len < 100 * n);
    buf_finish(&out);
    json_decref(ctx);
    mustache_destroy(t);
    library_free(&lib);
}

struct thread_job {
    const mustache_tpl *t;
    json_t *ctx;
    struct library *lib;
    char *result;
    bool same;
};

static void *render_many(void *arg)
{
    struct thread_job *job = arg;
    job->same = true;
    for (int i = 0; i < 300; i++) {
        buf out = BUF_INIT;
        if (mustache_render(job->t, &job->ctx, 1, library_lookup, job->lib, &out) != 0 ||
            strcmp(buf_cstr(&out), job->result))
            job->same = false;
        buf_finish(&out);
    }
    return NULL;
}

static void renders_from_two_threads(void **state)
{
    (void)state;
    struct library lib = {0};
    library_add(&lib, "row", "  <tr><td>{{name}}</td><td>{{score}}</td></tr>\n");
    library_add(&lib, "layout", "<table>\n  {{$rows}}{{/rows}}\n</table>\n");
    mustache_tpl *t = compile_ok("{{<layout}}{{$rows}}\n{{#people}}\n{{>row}}\n{{/people}}\n"
                                 "{{/rows}}{{/layout}}\n");
    json_t *people = json_array();
    for (int i = 0; i < 200; i++)
        json_array_append_new(people, json_pack("{s:s, s:f}", "name", "Ola <N>", "score", i * 0.5));
    json_t *ctx = json_pack("{s:o}", "people", people);
    buf first = BUF_INIT;
    assert_int_equal(mustache_render(t, &ctx, 1, library_lookup, &lib, &first), 0);
    assert_non_null(strstr(buf_cstr(&first), "<tr><td>Ola &lt;N&gt;</td><td>99.5</td></tr>"));

    struct thread_job jobs[2];
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        jobs[i] = (struct thread_job){t, ctx, &lib, (char *)buf_cstr(&first), false};
        assert_int_equal(pthread_create(&threads[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
        assert_true(jobs[i].same);
    }
    buf_finish(&first);
    json_decref(ctx);
    mustache_destroy(t);
    library_free(&lib);
}

/* ---- main ------------------------------------------------------------------------------- */

static const struct CMUnitTest own_tests[] = {
    cmocka_unit_test(errors_have_line_numbers),
    cmocka_unit_test(partial_recursion_is_limited),
    cmocka_unit_test(nesting_is_limited),
    cmocka_unit_test(source_size_is_limited),
    cmocka_unit_test(escaping),
    cmocka_unit_test(numbers_and_literals),
    cmocka_unit_test(falsey_values),
    cmocka_unit_test(context_stack_and_lookup),
    cmocka_unit_test(indentation),
    cmocka_unit_test(indentation_details),
    cmocka_unit_test(runaway_render_is_stopped),
    cmocka_unit_test(long_indentation),
    cmocka_unit_test(renders_from_two_threads),
};

static const char *const spec_files[] = {
    "comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance",
};

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    json_t *specs[PV_ARRAY_LEN(spec_files)];
    size_t n_tests = PV_ARRAY_LEN(own_tests), cap = n_tests;
    for (size_t i = 0; i < PV_ARRAY_LEN(spec_files); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/conformance/mustache-spec/%s.json", shared_dir(),
                 spec_files[i]);
        json_error_t jerr;
        specs[i] = json_load_file(path, 0, &jerr);
        if (!specs[i]) {
            fprintf(stderr, "%s: %s\n(the Mustache spec is in the project's shared folder, "
                            "expected beside the checkout as ../shared; set PLANVERK_SHARED to "
                            "its path)\n", path, jerr.text);
            return 1;
        }
        cap += json_array_size(json_object_get(specs[i], "tests"));
    }

    /* The spec cases are only known at run time, so the array is built here and handed to
     * _cmocka_run_group_tests (cmocka_run_group_tests_name needs an array of fixed size). */
    struct CMUnitTest *tests = calloc(cap, sizeof(*tests));
    char **names = calloc(cap, sizeof(*names));
    size_t n = 0;
    for (size_t i = 0; i < PV_ARRAY_LEN(spec_files); i++) {
        size_t k;
        json_t *test;
        json_array_foreach(json_object_get(specs[i], "tests"), k, test) {
            const char *title = json_string_value(json_object_get(test, "name"));
            size_t len = strlen(spec_files[i]) + strlen(title) + 3;
            names[n] = malloc(len);
            snprintf(names[n], len, "%s: %s", spec_files[i], title);
            tests[n] = (struct CMUnitTest){.name = names[n], .test_func = spec_case,
                                           .initial_state = test};
            n++;
        }
    }
    for (size_t i = 0; i < n_tests; i++)
        tests[n++] = own_tests[i];

    int failed = _cmocka_run_group_tests("mustache", tests, n, NULL, NULL);

    for (size_t i = 0; i < cap; i++)
        free(names[i]);
    free(names);
    free(tests);
    for (size_t i = 0; i < PV_ARRAY_LEN(spec_files); i++)
        json_decref(specs[i]);
    return failed ? 1 : 0;
}
