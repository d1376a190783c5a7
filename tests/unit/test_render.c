/* The unescaped-output allowlist (DESIGN.md §2, STYLE.md habit 1) and the template translation
 * step. Every template file is scanned for {{{name}}} and {{& name}}: each name must be on the
 * allowlist below, and every allowed name must end in "_html" (HTML our own code produced
 * safely: Markdown rendered by cmark-gfm in safe mode, SVG charts, QR codes). Adding a place
 * that prints raw HTML therefore means adding it here, in review. The same scan runs on every
 * template after translation with the real catalogs, since a translation could otherwise bring
 * a raw tag in. templates_translate is tested on escaping, {{tags}} inside the text, msgid
 * collection and its line-numbered errors.
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "web/i18n.h"
#include "web/mustache.h"
#include "web/templates.h"

#define TEMPLATE_DIR PV_SOURCE_ROOT "/templates"

/* The names that templates may print without escaping. Keep it short; every entry must end in
 * "_html" and be produced by our own code from trusted input. */
static const char *const raw_allowlist[] = {
    "purpose_html", /* plan purpose: Markdown → cmark-gfm, safe mode (src/web/markdown.c) */
    "summary_html", /* a process's summary: the same Markdown path (pages/participation.c) */
    "chart_svg_html", /* an indicator's line chart, the overview's bar charts:
                         export/svg_chart.c escapes every label (pages/indicators.c,
                         pages/overview.c) */
};

/* ---- scanning ------------------------------------------------------------------------- */

static bool allowed(const char *name, size_t len)
{
    for (size_t i = 0; i < PV_ARRAY_LEN(raw_allowlist); i++)
        if (strlen(raw_allowlist[i]) == len && memcmp(raw_allowlist[i], name, len) == 0)
            return true;
    return false;
}

static size_t line_at(const char *src, const char *p)
{
    size_t line = 1;
    for (const char *q = src; q < p; q++)
        line += *q == '\n';
    return line;
}

/* Scans src for tags that print without escaping, and for delimiter changes (which would hide
 * such tags from this scan). Returns NULL when every raw tag is allowed, counting them in
 * *seen; else a message (with the line) in why. */
static const char *find_raw_problem(const char *src, size_t *seen, char *why, size_t why_size)
{
    for (const char *p = strstr(src, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *q = p + 2;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '=') {
            snprintf(why, why_size, "line %zu: templates must not change the delimiters",
                     line_at(src, p));
            return why;
        }
        if (*q != '{' && *q != '&')
            continue;
        const char *close_tag = *q == '{' ? "}}}" : "}}";
        const char *name = q + 1;
        const char *end = strstr(name, close_tag);
        if (!end) {
            snprintf(why, why_size, "line %zu: an unclosed raw tag", line_at(src, p));
            return why;
        }
        while (name < end && (*name == ' ' || *name == '\t'))
            name++;
        const char *name_end = end;
        while (name_end > name && (name_end[-1] == ' ' || name_end[-1] == '\t'))
            name_end--;
        int n = (int)(name_end - name);
        if (!allowed(name, (size_t)n)) {
            snprintf(why, why_size, "line %zu: %.*s prints without escaping, and %.*s is not "
                     "on the allowlist in tests/unit/test_render.c", line_at(src, p),
                     (int)(end + strlen(close_tag) - p), p, n, name);
            return why;
        }
        (*seen)++;
        p = end;
    }
    return NULL;
}

/* Fails the test when src (the template `what`) has a raw tag that is not allowed; returns
 * how many allowed ones it has. */
static size_t scan_raw_tags(const char *what, const char *src)
{
    size_t seen = 0;
    char why[512];
    if (find_raw_problem(src, &seen, why, sizeof why))
        fail_msg("%s %s", what, why);
    return seen;
}

static void read_file(const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, got);
    fclose(f);
}

typedef void (*template_fn)(const char *path, const buf *src, void *ctx);

/* Calls fn for every .mustache file in templates/ and templates/partials/; returns the count. */
static size_t for_each_template(template_fn fn, void *ctx)
{
    static const char *const dirs[] = {TEMPLATE_DIR, TEMPLATE_DIR "/partials"};
    size_t count = 0;
    for (size_t d = 0; d < PV_ARRAY_LEN(dirs); d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir)
            fail_msg("cannot open %s", dirs[d]);
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len <= 9 || strcmp(e->d_name + len - 9, ".mustache") != 0)
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
            buf src = BUF_INIT;
            read_file(path, &src);
            fn(path, &src, ctx);
            buf_finish(&src);
            count++;
        }
        closedir(dir);
    }
    return count;
}

/* ---- the allowlist -------------------------------------------------------------------- */

static void test_allowlist_names_end_in_html(void **state)
{
    (void)state;
    for (size_t i = 0; i < PV_ARRAY_LEN(raw_allowlist); i++) {
        size_t n = strlen(raw_allowlist[i]);
        if (n <= 5 || strcmp(raw_allowlist[i] + n - 5, "_html") != 0)
            fail_msg("allowlist entry %s does not end in _html", raw_allowlist[i]);
    }
}

static void scan_source(const char *path, const buf *src, void *ctx)
{
    *(size_t *)ctx += scan_raw_tags(path, buf_cstr(src));
}

static void test_templates_use_only_allowed_raw_tags(void **state)
{
    (void)state;
    size_t raw = 0;
    size_t files = for_each_template(scan_source, &raw);
    assert_true(files >= 5);
    assert_true(raw >= 1); /* plan.mustache prints purpose_html */
}

/* The scanner catches every spelling of a raw tag (else the test above proves nothing). */
static void test_scanner_catches_raw_tags(void **state)
{
    (void)state;
    assert_int_equal(scan_raw_tags("ok", "<p>{{x}} {{#s}}{{/s}} {{{purpose_html}}}</p>"), 1);
    assert_int_equal(scan_raw_tags("ok", "{{& purpose_html}} {{{ purpose_html }}}"), 2);
    assert_int_equal(scan_raw_tags("ok", "{{ &purpose_html }}"), 1);
    assert_int_equal(scan_raw_tags("ok", "plain text, {{name}}, {{> partial}}"), 0);
}

static void test_scanner_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {"<p>{{{name}}}</p>", "<p>{{&name}}</p>",
                                      "<p>{{ & name }}</p>", "{{{ purpose }}}",
                                      "{{{purpose_html_x}}}", "a\n{{{x_html}}}",
                                      "{{=<% %>=}}<%{name}%>", "{{ =| |=}}", "{{{purpose_html"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++) {
        size_t seen = 0;
        char why[512];
        if (!find_raw_problem(bad[i], &seen, why, sizeof why))
            fail_msg("the scanner let %s through", bad[i]);
    }
    size_t seen = 0;
    char why[512];
    assert_non_null(find_raw_problem("x\ny\n{{{name}}}", &seen, why, sizeof why));
    assert_non_null(strstr(why, "line 3"));
}

/* ---- translation ---------------------------------------------------------------------- */

typedef struct mo_pair {
    const char *msgid, *msgstr;
} mo_pair;

static void put_u32(buf *b, uint32_t v)
{
    buf_append(b, (const char *)&v, 4); /* little-endian host, little-endian image */
}

/* A valid little-endian .mo image of pairs (header, two tables, then the strings). */
static i18n *catalog(const char *lang, const mo_pair *pairs, size_t n)
{
    buf mo = BUF_INIT;
    uint32_t orig = 28, trans = orig + 8 * (uint32_t)n, at = trans + 8 * (uint32_t)n;
    uint32_t header[] = {0x950412deu, 0, (uint32_t)n, orig, trans, 0, at};
    for (size_t i = 0; i < PV_ARRAY_LEN(header); i++)
        put_u32(&mo, header[i]);
    for (int table = 0; table < 2; table++)
        for (size_t i = 0; i < n; i++) {
            const char *s = table ? pairs[i].msgstr : pairs[i].msgid;
            put_u32(&mo, (uint32_t)strlen(s));
            put_u32(&mo, at);
            at += (uint32_t)strlen(s) + 1;
        }
    for (int table = 0; table < 2; table++)
        for (size_t i = 0; i < n; i++) {
            const char *s = table ? pairs[i].msgstr : pairs[i].msgid;
            buf_append(&mo, s, strlen(s) + 1);
        }
    i18n *t = i18n_create_from_mo(lang, mo.data, mo.len);
    buf_finish(&mo);
    assert_non_null(t);
    return t;
}

static const mo_pair en_pairs[] = {
    {"Planer", "Plans & <programmes>"},
    {"Hei {{name}}", "Hello {{name}}, it's \"{{place}}\""},
    {"Søk", "Search"},
};

static int translate(const i18n *t, const char *lang, const char *src, buf *out, json_t *ids,
                     char *err, size_t err_size)
{
    return templates_translate(src, strlen(src), t, lang, out, ids, err, err_size);
}

static void test_translate_replaces_and_escapes(void **state)
{
    (void)state;
    i18n *t = catalog("en", en_pairs, PV_ARRAY_LEN(en_pairs));
    buf out = BUF_INIT;
    char err[256] = "";
    const char *src = "<h1>{{#i18n}}Planer{{/i18n}}</h1>\n<a>{{#i18n}}Søk{{/i18n}}</a> "
                      "{{#i18n}}Søk{{/i18n}}\n";
    assert_int_equal(translate(t, "en", src, &out, NULL, err, sizeof err), PV_OK);
    assert_string_equal(buf_cstr(&out),
                        "<h1>Plans &amp; &lt;programmes&gt;</h1>\n<a>Search</a> Search\n");
    /* nb (no catalog here): the msgid itself, also escaped. */
    buf_reset(&out);
    assert_int_equal(translate(t, "nb", "<p>{{#i18n}}A & B < C{{/i18n}}</p>", &out, NULL, err,
                               sizeof err), PV_OK);
    assert_string_equal(buf_cstr(&out), "<p>A &amp; B &lt; C</p>");
    /* No section: copied as it is; an empty section gives nothing. */
    buf_reset(&out);
    assert_int_equal(translate(t, "en", "{{x}} & <b>", &out, NULL, err, sizeof err), PV_OK);
    assert_string_equal(buf_cstr(&out), "{{x}} & <b>");
    buf_reset(&out);
    assert_int_equal(translate(t, "en", "[{{#i18n}}{{/i18n}}]", &out, NULL, err, sizeof err),
                     PV_OK);
    assert_string_equal(buf_cstr(&out), "[]");
    buf_reset(&out);
    assert_int_equal(translate(t, "en", "", &out, NULL, err, sizeof err), PV_OK);
    assert_string_equal(buf_cstr(&out), "");
    buf_finish(&out);
    i18n_destroy(t);
}

static void test_translate_keeps_tags_working(void **state)
{
    (void)state;
    i18n *t = catalog("en", en_pairs, PV_ARRAY_LEN(en_pairs));
    buf out = BUF_INIT;
    char err[256] = "";
    assert_int_equal(translate(t, "en", "<p>{{#i18n}}Hei {{name}}{{/i18n}}</p>", &out, NULL, err,
                               sizeof err), PV_OK);
    /* The translation's quotes are escaped; its {{tags}} are left for Mustache. */
    assert_string_equal(buf_cstr(&out),
                        "<p>Hello {{name}}, it&#39;s &quot;{{place}}&quot;</p>");
    mustache_tpl *tpl = mustache_compile(out.data, out.len, err, sizeof err);
    if (!tpl)
        fail_msg("the translated template does not compile: %s", err);
    json_t *ctx = json_pack("{s:s, s:s}", "name", "<Ola>", "place", "Moss");
    buf html = BUF_INIT;
    assert_int_equal(mustache_render(tpl, &ctx, 1, NULL, NULL, &html), PV_OK);
    assert_string_equal(buf_cstr(&html),
                        "<p>Hello &lt;Ola&gt;, it&#39;s &quot;Moss&quot;</p>");
    buf_finish(&html);
    json_decref(ctx);
    mustache_destroy(tpl);
    buf_finish(&out);
    i18n_destroy(t);
}

static void test_translate_collects_msgids(void **state)
{
    (void)state;
    i18n *t = catalog("en", en_pairs, PV_ARRAY_LEN(en_pairs));
    buf out = BUF_INIT;
    char err[256] = "";
    json_t *ids = json_array();
    assert_int_equal(translate(t, "en", "{{#i18n}}Planer{{/i18n}}\n{{#i18n}}Ny tekst{{/i18n}}"
                               " {{#i18n}}Planer{{/i18n}}", &out, ids, err, sizeof err), PV_OK);
    assert_int_equal(json_array_size(ids), 3);
    assert_string_equal(json_string_value(json_array_get(ids, 0)), "Planer");
    assert_string_equal(json_string_value(json_array_get(ids, 1)), "Ny tekst");
    assert_string_equal(json_string_value(json_array_get(ids, 2)), "Planer");
    json_decref(ids);
    buf_finish(&out);
    i18n_destroy(t);
}

static void test_translate_errors_with_line(void **state)
{
    (void)state;
    i18n *t = catalog("en", en_pairs, PV_ARRAY_LEN(en_pairs));
    static const struct {
        const char *src, *line;
    } cases[] = {
        {"{{#i18n}}Planer", "line 1:"},                              /* never closed */
        {"a\nb\n<p>{{#i18n}}Planer\n{{/i18n}}</p>", "line 3:"},      /* closed on the next line */
        {"{{#i18n}}Søk{{/i18n}}\n\n\n\n{{#i18n}}x\n", "line 5:"},   /* a later one, at the end */
        {"{{#i18n}}Søk{{/i18n}}\n{{#i18n}}", "line 2:"},             /* opened at the very end */
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(cases); i++) {
        buf out = BUF_INIT;
        char err[256] = "";
        assert_int_equal(translate(t, "en", cases[i].src, &out, NULL, err, sizeof err),
                         PV_EINVAL);
        if (!strstr(err, cases[i].line) || !strstr(err, "same line"))
            fail_msg("case %zu: the message \"%s\" should name %s", i, err, cases[i].line);
        buf_finish(&out);
    }
    i18n_destroy(t);
}

/* The folder of this test binary: meson puts the compiled <lang>.mo there. */
static void build_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    assert_true(n > 0);
    out[n] = '\0';
    *strrchr(out, '/') = '\0';
}

typedef struct translated_scan {
    const i18n *t;
    size_t raw;
} translated_scan;

static void scan_translated(const char *path, const buf *src, void *ctx)
{
    translated_scan *ts = ctx;
    for (size_t l = 0; l < i18n_language_count; l++) {
        buf out = BUF_INIT;
        char err[256] = "", what[1100];
        if (templates_translate(buf_cstr(src), src->len, ts->t, i18n_languages[l], &out, NULL,
                                err, sizeof err) != 0)
            fail_msg("%s: %s", path, err);
        snprintf(what, sizeof what, "%s (translated to %s)", path, i18n_languages[l]);
        ts->raw += scan_raw_tags(what, buf_cstr(&out));
        buf_finish(&out);
    }
}

/* A translation cannot bring in a raw tag: scan every template after translation into every
 * language with the real catalogs the build compiles. */
static void test_translated_templates_use_only_allowed_raw_tags(void **state)
{
    (void)state;
    char dir[PATH_MAX], err[512] = "";
    build_dir(dir, sizeof dir);
    i18n *t = i18n_create(dir, err, sizeof err);
    if (!t)
        fail_msg("cannot load the catalogs in %s: %s", dir, err);
    translated_scan ts = {t, 0};
    for_each_template(scan_translated, &ts);
    assert_true(ts.raw >= i18n_language_count);
    i18n_destroy(t);
}

/* The real templates load and compile in every language. */
static void test_real_templates_load(void **state)
{
    (void)state;
    char dir[PATH_MAX], err[512] = "";
    build_dir(dir, sizeof dir);
    i18n *t = i18n_create(dir, err, sizeof err);
    assert_non_null(t);
    templates *tpl = templates_load(TEMPLATE_DIR, t, err, sizeof err);
    if (!tpl)
        fail_msg("templates_load: %s", err);
    assert_true(templates_exists(tpl, "plan"));
    assert_true(templates_exists(tpl, "layout"));
    assert_true(templates_exists(tpl, "measure_table")); /* a partial */
    assert_false(templates_exists(tpl, "nope"));
    templates_destroy(tpl);
    templates_destroy(NULL);
    i18n_destroy(t);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowlist_names_end_in_html),
        cmocka_unit_test(test_templates_use_only_allowed_raw_tags),
        cmocka_unit_test(test_scanner_catches_raw_tags),
        cmocka_unit_test(test_scanner_refuses),
        cmocka_unit_test(test_translate_replaces_and_escapes),
        cmocka_unit_test(test_translate_keeps_tags_working),
        cmocka_unit_test(test_translate_collects_msgids),
        cmocka_unit_test(test_translate_errors_with_line),
        cmocka_unit_test(test_translated_templates_use_only_allowed_raw_tags),
        cmocka_unit_test(test_real_templates_load),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL) ? 1 : 0;
}
