/* Unit tests for URL decoding: percent escapes, '+', UTF-8 and NUL checks, query strings with
 * their limits, and the clean-path rule that guards static files.
 * Layer: tests (http). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/urlcodec.h"

/* ---- url_decode ----------------------------------------------------------------------- */

/* Decodes s and checks the result; returns the return code. */
static int decode(const char *s, bool plus_is_space, const char *expected)
{
    buf b = BUF_INIT;
    int rc = url_decode(s, strlen(s), plus_is_space, &b);
    if (rc == 0 && expected)
        assert_string_equal(buf_cstr(&b), expected);
    buf_finish(&b);
    return rc;
}

static void test_decode_plain(void **state)
{
    (void)state;
    assert_int_equal(decode("", true, ""), PV_OK);
    assert_int_equal(decode("planer", true, "planer"), PV_OK);
    assert_int_equal(decode("%41%42%43", true, "ABC"), PV_OK);
    assert_int_equal(decode("%2f%2F", true, "//"), PV_OK); /* either case of hex digits */
    assert_int_equal(decode("a%20b", true, "a b"), PV_OK);
    assert_int_equal(decode("%C3%A5", true, "å"), PV_OK);
    assert_int_equal(decode("%c3%a5pen", true, "åpen"), PV_OK);
    assert_int_equal(decode("Åsgård", true, "Åsgård"), PV_OK); /* raw UTF-8 passes */
    assert_int_equal(decode("%F0%9F%98%80", true, "😀"), PV_OK);
    assert_int_equal(decode("100%25", true, "100%"), PV_OK);
    assert_int_equal(decode("%25%32%35", true, "%25"), PV_OK); /* decoded once, not twice */
}

static void test_decode_plus(void **state)
{
    (void)state;
    assert_int_equal(decode("a+b", true, "a b"), PV_OK);
    assert_int_equal(decode("a+b", false, "a+b"), PV_OK); /* paths keep '+' */
    assert_int_equal(decode("%2B", true, "+"), PV_OK);    /* an escaped '+' is a plus */
    assert_int_equal(decode("++", true, "  "), PV_OK);
}

static void test_decode_appends(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "pre:");
    assert_int_equal(url_decode("a%20b", 5, true, &b), PV_OK);
    assert_string_equal(buf_cstr(&b), "pre:a b");
    /* Only n bytes are read. */
    assert_int_equal(url_decode("xyz%4", 3, true, &b), PV_OK);
    assert_string_equal(buf_cstr(&b), "pre:a bxyz");
    buf_finish(&b);
}

static void test_decode_bad_escapes(void **state)
{
    (void)state;
    const char *bad[] = {"%", "%4", "%ZZ", "%G0", "%0G", "a%", "a%4", "%%41", "% 41", "%-1",
                         "%+1", "%x41"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (decode(bad[i], true, NULL) != PV_EINVAL)
            fail_msg("url_decode accepted \"%s\"", bad[i]);
    /* A truncated escape at the very end of a longer string. */
    buf b = BUF_INIT;
    assert_int_equal(url_decode("abc%4", 5, true, &b), PV_EINVAL);
    buf_finish(&b);
}

static void test_decode_invalid_utf8(void **state)
{
    (void)state;
    const char *bad[] = {"%FF", "%C3%28", "%C3", "a%C3", "%E2%82", "%C0%AF", "%ED%A0%80",
                         "%F4%90%80%80", "%80", "\xFF", "\xC3("};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (decode(bad[i], true, NULL) != PV_EINVAL)
            fail_msg("url_decode accepted invalid UTF-8 in \"%s\"", bad[i]);
}

static void test_decode_nul(void **state)
{
    (void)state;
    assert_int_equal(decode("%00", true, NULL), PV_EINVAL);
    assert_int_equal(decode("a%00b", false, NULL), PV_EINVAL);
    buf b = BUF_INIT;
    assert_int_equal(url_decode("a\0b", 3, true, &b), PV_EINVAL); /* a raw NUL as well */
    buf_finish(&b);
}

/* ---- url_query_parse ------------------------------------------------------------------ */

static int parse(const char *s, url_query *q)
{
    return url_query_parse(s, strlen(s), q);
}

static void test_query_basic(void **state)
{
    (void)state;
    url_query q;
    assert_int_equal(parse("tema=areal-og-transport&sort=navn&q=eldre+omsorg", &q), PV_OK);
    assert_int_equal(q.n, 3);
    assert_string_equal(q.items[0].key, "tema");
    assert_string_equal(q.items[0].value, "areal-og-transport");
    assert_string_equal(url_query_get(&q, "sort"), "navn");
    assert_string_equal(url_query_get(&q, "q"), "eldre omsorg");
    assert_null(url_query_get(&q, "missing"));
    assert_null(url_query_get(&q, "Sort")); /* names are case-sensitive */
    url_query_finish(&q);
    assert_int_equal(q.n, 0);
    assert_null(q.items);
    url_query_finish(&q); /* twice is harmless */
}

static void test_query_pieces(void **state)
{
    (void)state;
    url_query q;
    assert_int_equal(parse("", &q), PV_OK);
    assert_int_equal(q.n, 0);
    url_query_finish(&q);

    assert_int_equal(parse("&&&", &q), PV_OK); /* only empty pieces */
    assert_int_equal(q.n, 0);
    url_query_finish(&q);

    assert_int_equal(parse("a=1&&b=2&", &q), PV_OK);
    assert_int_equal(q.n, 2);
    assert_string_equal(url_query_get(&q, "a"), "1");
    assert_string_equal(url_query_get(&q, "b"), "2");
    url_query_finish(&q);

    /* No '=': the value is empty. '=' with nothing before it: the key is empty. */
    assert_int_equal(parse("flag&x=", &q), PV_OK);
    assert_int_equal(q.n, 2);
    assert_string_equal(url_query_get(&q, "flag"), "");
    assert_string_equal(url_query_get(&q, "x"), "");
    url_query_finish(&q);

    assert_int_equal(parse("=v", &q), PV_OK);
    assert_int_equal(q.n, 1);
    assert_string_equal(q.items[0].key, "");
    assert_string_equal(q.items[0].value, "v");
    url_query_finish(&q);

    /* Only the first '=' splits; the rest belongs to the value. */
    assert_int_equal(parse("a=b=c", &q), PV_OK);
    assert_string_equal(url_query_get(&q, "a"), "b=c");
    url_query_finish(&q);

    /* Encoded separators in keys and values are data, not separators. */
    assert_int_equal(parse("k%3D=v%26w&%C3%A5r=2024", &q), PV_OK);
    assert_int_equal(q.n, 2);
    assert_string_equal(q.items[0].key, "k=");
    assert_string_equal(q.items[0].value, "v&w");
    assert_string_equal(url_query_get(&q, "år"), "2024");
    url_query_finish(&q);
}

static void test_query_duplicates(void **state)
{
    (void)state;
    url_query q;
    assert_int_equal(parse("tema=a&tema=b&tema=c", &q), PV_OK);
    assert_int_equal(q.n, 3); /* all kept, in order */
    assert_string_equal(url_query_get(&q, "tema"), "a"); /* get gives the first */
    assert_string_equal(q.items[1].value, "b");
    assert_string_equal(q.items[2].value, "c");
    url_query_finish(&q);
}

static void test_query_bad_encoding(void **state)
{
    (void)state;
    const char *bad[] = {"a=%", "a=%4", "a=%ZZ", "%=1", "a=%FF", "a=%C3%28", "a=%00",
                         "ok=1&bad=%E2%82"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++) {
        url_query q;
        if (parse(bad[i], &q) != PV_EINVAL)
            fail_msg("url_query_parse accepted \"%s\"", bad[i]);
        assert_int_equal(q.n, 0); /* q is empty after an error */
        assert_null(q.items);
    }
}

/* Builds "p0=1&p1=1&…" with n parameters. */
static void many_params(size_t n, buf *out)
{
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%sp%zu=1", i ? "&" : "", i);
}

static void test_query_limits(void **state)
{
    (void)state;
    url_query q;
    buf s = BUF_INIT;

    /* Exactly URL_MAX_PARAMS is fine, one more is not. */
    many_params(URL_MAX_PARAMS, &s);
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_OK);
    assert_int_equal(q.n, URL_MAX_PARAMS);
    url_query_finish(&q);
    buf_reset(&s);
    many_params(URL_MAX_PARAMS + 1, &s);
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);
    assert_null(q.items);
    buf_reset(&s);
    /* Empty pieces do not count. */
    many_params(URL_MAX_PARAMS, &s);
    buf_puts(&s, "&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&");
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_OK);
    url_query_finish(&q);

    /* A key of URL_MAX_KEY decoded bytes is fine, one more is not. */
    buf_reset(&s);
    for (int i = 0; i < URL_MAX_KEY; i++)
        buf_putc(&s, 'k');
    buf_puts(&s, "=v");
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_OK);
    url_query_finish(&q);
    buf_reset(&s);
    for (int i = 0; i <= URL_MAX_KEY; i++)
        buf_putc(&s, 'k');
    buf_puts(&s, "=v");
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);

    /* The limit is on decoded bytes: 64 escaped 'k' are 192 raw bytes and still fine. */
    buf_reset(&s);
    for (int i = 0; i < URL_MAX_KEY; i++)
        buf_puts(&s, "%6B");
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_OK);
    assert_int_equal(strlen(q.items[0].key), URL_MAX_KEY);
    url_query_finish(&q);

    /* A value of URL_MAX_VALUE bytes is fine, one more is not. */
    buf_reset(&s);
    buf_puts(&s, "q=");
    for (int i = 0; i < URL_MAX_VALUE; i++)
        buf_putc(&s, 'v');
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_OK);
    assert_int_equal(strlen(url_query_get(&q, "q")), URL_MAX_VALUE);
    url_query_finish(&q);
    buf_putc(&s, 'v');
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);
    /* …also when the long value comes after good parameters (they are freed). */
    buf_reset(&s);
    buf_puts(&s, "a=1&b=2&q=");
    for (int i = 0; i <= URL_MAX_VALUE; i++)
        buf_puts(&s, "%C3%A5"); /* å: two decoded bytes each */
    assert_int_equal(url_query_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);
    buf_finish(&s);
}

/* ---- url_form_parse (a form body: the same rules, larger limits) ---------------------- */

static void test_form_basic(void **state)
{
    (void)state;
    url_query q;
    const char *body = "csrf=abc&tekst=F%C3%B8rste+linje%0D%0AAndre&tema=a&tema=b";
    assert_int_equal(url_form_parse(body, strlen(body), &q), PV_OK);
    assert_int_equal(q.n, 4);
    assert_string_equal(url_query_get(&q, "tekst"), "Første linje\r\nAndre");
    assert_string_equal(q.items[3].value, "b");
    url_query_finish(&q);
}

static void test_form_limits(void **state)
{
    (void)state;
    url_query q;
    buf s = BUF_INIT;
    /* FORM_MAX_FIELDS fields are fine (far more than a query may have), one more is not. */
    many_params(FORM_MAX_FIELDS, &s);
    assert_int_equal(url_form_parse(s.data, s.len, &q), PV_OK);
    assert_int_equal(q.n, FORM_MAX_FIELDS);
    url_query_finish(&q);
    buf_reset(&s);
    many_params(FORM_MAX_FIELDS + 1, &s);
    assert_int_equal(url_form_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);
    assert_null(q.items);

    /* A value of FORM_MAX_VALUE decoded bytes is fine, one more is not. */
    buf_reset(&s);
    buf_puts(&s, "a=1&tekst=");
    for (size_t i = 0; i < FORM_MAX_VALUE; i++)
        buf_putc(&s, 'v');
    assert_int_equal(url_form_parse(s.data, s.len, &q), PV_OK);
    assert_int_equal(strlen(url_query_get(&q, "tekst")), FORM_MAX_VALUE);
    url_query_finish(&q);
    buf_putc(&s, 'v');
    assert_int_equal(url_form_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);
    assert_null(q.items);
    /* The name keeps the query's limit. */
    buf_reset(&s);
    for (int i = 0; i <= URL_MAX_KEY; i++)
        buf_putc(&s, 'k');
    buf_puts(&s, "=1");
    assert_int_equal(url_form_parse(s.data, s.len, &q), PV_ELIMIT);
    assert_int_equal(q.n, 0);
    buf_finish(&s);
}

static void test_form_bad_encoding(void **state)
{
    (void)state;
    /* Broken escapes, invalid UTF-8 (escaped or raw), NUL; also after good fields. */
    const char *bad[] = {"tekst=%",       "tekst=50%",     "tekst=%G1",      "tekst=%4",
                         "te%kst=1",      "a=1&tekst=%ZZ", "tekst=%FF",      "tekst=%C3%28",
                         "tekst=\xC3(",   "tekst=%ED%A0%80", "a=1&tekst=%C0%AF", "%FF=1",
                         "tekst=a%00b"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++) {
        url_query q;
        if (url_form_parse(bad[i], strlen(bad[i]), &q) != PV_EINVAL)
            fail_msg("url_form_parse accepted \"%s\"", bad[i]);
        assert_int_equal(q.n, 0);
        assert_null(q.items);
    }
    /* A raw NUL byte in the body. */
    url_query q;
    assert_int_equal(url_form_parse("a=1&b=x\0y", 9, &q), PV_EINVAL);
    assert_int_equal(q.n, 0);
}

/* ---- url_path_is_clean ---------------------------------------------------------------- */

static void test_path_clean(void **state)
{
    (void)state;
    const char *good[] = {"/", "/static/css/site.css", "/planer/leve-hele-livet",
                          "/planer/", "/a.b/c..d/.e/f.", "/...", "/åpen/ø"};
    for (size_t i = 0; i < PV_ARRAY_LEN(good); i++)
        if (!url_path_is_clean(good[i]))
            fail_msg("url_path_is_clean refused \"%s\"", good[i]);
    const char *bad[] = {"", "static/x", "/static/../x", "/..", "/../etc/passwd", "/static/..",
                         "/./x", "/static/./x", "/.", "//", "//etc/passwd", "/static//x",
                         "/static\\..\\x", "/a\\b", "\\", "/static/.."};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (url_path_is_clean(bad[i]))
            fail_msg("url_path_is_clean accepted \"%s\"", bad[i]);
}

/* The check runs on the decoded path: an escaped slash or dot must not slip through. */
static void test_path_clean_after_decoding(void **state)
{
    (void)state;
    const char *raw[] = {"/static/..%2fsecret", "/static/%2e%2e/x", "/static/%2E%2E%2Fx",
                         "/static/.%2e/x", "/static/%2e/x", "/static%2f%2fx", "/static/%5c..",
                         "/static/..%5cx"};
    for (size_t i = 0; i < PV_ARRAY_LEN(raw); i++) {
        buf b = BUF_INIT;
        assert_int_equal(url_decode(raw[i], strlen(raw[i]), false, &b), PV_OK);
        if (url_path_is_clean(buf_cstr(&b)))
            fail_msg("\"%s\" decodes to \"%s\", which was accepted", raw[i], buf_cstr(&b));
        buf_finish(&b);
    }
    /* The raw form of the first one looks harmless: one segment "..%2fsecret". */
    assert_true(url_path_is_clean("/static/..%2fsecret"));
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_plain),
        cmocka_unit_test(test_decode_plus),
        cmocka_unit_test(test_decode_appends),
        cmocka_unit_test(test_decode_bad_escapes),
        cmocka_unit_test(test_decode_invalid_utf8),
        cmocka_unit_test(test_decode_nul),
        cmocka_unit_test(test_query_basic),
        cmocka_unit_test(test_query_pieces),
        cmocka_unit_test(test_query_duplicates),
        cmocka_unit_test(test_query_bad_encoding),
        cmocka_unit_test(test_query_limits),
        cmocka_unit_test(test_form_basic),
        cmocka_unit_test(test_form_limits),
        cmocka_unit_test(test_form_bad_encoding),
        cmocka_unit_test(test_path_clean),
        cmocka_unit_test(test_path_clean_after_decoding),
    };
    return cmocka_run_group_tests_name("urlcodec", tests, NULL, NULL) ? 1 : 0;
}
