/* Unit tests for the core layer: the growable buffer and its escaping writers, strict UTF-8
 * validation, case folding and Norwegian collation, and strict number parsing.
 * Layer: tests (core). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/pv.h"
#include "core/utf8.h"

/* ---- buf ------------------------------------------------------------------------------ */

static void test_buf_empty(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_null(b.data);
    assert_string_equal(buf_cstr(&b), "");
    char *s = buf_steal(&b); /* an empty buf still hands out a string */
    assert_string_equal(s, "");
    free(s);
    buf_finish(&b); /* finishing an empty buf is fine */
    buf_reset(&b);  /* so is resetting one */
    assert_int_equal(b.len, 0);
}

static void test_buf_growth(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* Many small appends and one large one: the contents stay intact and NUL-terminated. */
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], '\0');
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    char big[70000];
    memset(big, 'x', sizeof big);
    buf_append(&b, big, sizeof big);
    assert_int_equal(b.len, 80000);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.data[79999], 'x');
    buf_append(&b, "", 0); /* appending nothing keeps everything */
    assert_int_equal(b.len, 80000);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_cstr(&b), "");
    buf_puts(&b, "again");
    assert_string_equal(buf_cstr(&b), "again");
    buf_finish(&b);
    assert_null(b.data);
}

static void test_buf_printf(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_printf(&b, "%s=%d", "n", 42);
    buf_printf(&b, "; %05.1f", 3.14159);
    assert_string_equal(buf_cstr(&b), "n=42; 003.1");
    /* A long formatted piece goes through the reserve path. */
    buf_printf(&b, "%0500d", 7);
    assert_int_equal(b.len, strlen("n=42; 003.1") + 500);
    assert_int_equal(b.data[b.len - 1], '7');
    char *s = buf_steal(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(strlen(s), 511);
    free(s);
}

static void test_buf_html_escaping(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char *in = "<a href=\"x\" title='y'>Tom & Jerry</a>";
    buf_append_html(&b, in, strlen(in));
    assert_string_equal(buf_cstr(&b), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; "
                                      "Jerry&lt;/a&gt;");
    buf_reset(&b);
    buf_append_html(&b, "Æ ø å – ok", strlen("Æ ø å – ok")); /* UTF-8 passes unchanged */
    assert_string_equal(buf_cstr(&b), "Æ ø å – ok");
    buf_reset(&b);
    buf_append_html(&b, "&&", 2);
    assert_string_equal(buf_cstr(&b), "&amp;&amp;");
    buf_reset(&b);
    buf_append_html(&b, "<x>", 1); /* only n bytes are read */
    assert_string_equal(buf_cstr(&b), "&lt;");
    buf_reset(&b);
    buf_append_html(&b, "", 0);
    assert_string_equal(buf_cstr(&b), "");
    buf_finish(&b);
}

static void test_buf_url_encoding(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char *in = "a b&c=d/e?f#g+h%i";
    buf_append_url(&b, in, strlen(in));
    assert_string_equal(buf_cstr(&b), "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i");
    buf_reset(&b);
    buf_append_url(&b, "AZaz09-_.~", 10); /* unreserved characters stay */
    assert_string_equal(buf_cstr(&b), "AZaz09-_.~");
    buf_reset(&b);
    buf_append_url(&b, "å", strlen("å")); /* UTF-8 bytes, upper-case hex */
    assert_string_equal(buf_cstr(&b), "%C3%A5");
    buf_reset(&b);
    buf_append_url(&b, "\"<'>\x01\x7f", 6);
    assert_string_equal(buf_cstr(&b), "%22%3C%27%3E%01%7F");
    buf_finish(&b);
}

/* ---- utf8 ----------------------------------------------------------------------------- */

static bool valid(const char *s)
{
    return utf8_valid(s, strlen(s));
}

static void test_utf8_valid_sequences(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(valid("plain ASCII"));
    assert_true(valid("Æ Ø Å æ ø å"));
    assert_true(valid("\xC2\x80"));         /* U+0080, smallest two-byte */
    assert_true(valid("\xDF\xBF"));         /* U+07FF */
    assert_true(valid("\xE0\xA0\x80"));     /* U+0800, smallest three-byte */
    assert_true(valid("\xED\x9F\xBF"));     /* U+D7FF, just below the surrogates */
    assert_true(valid("\xEE\x80\x80"));     /* U+E000, just above */
    assert_true(valid("\xEF\xBF\xBF"));     /* U+FFFF */
    assert_true(valid("\xF0\x90\x80\x80")); /* U+10000 */
    assert_true(valid("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last code point */
    assert_true(valid("€ 😀 ł"));
}

static void test_utf8_invalid_sequences(void **state)
{
    (void)state;
    /* Overlong forms. */
    assert_false(valid("\xC0\x80"));         /* NUL as two bytes */
    assert_false(valid("\xC1\xBF"));         /* U+007F as two bytes */
    assert_false(valid("\xE0\x80\xAF"));     /* '/' as three bytes */
    assert_false(valid("\xE0\x9F\xBF"));     /* U+07FF as three bytes */
    assert_false(valid("\xF0\x8F\xBF\xBF")); /* U+FFFF as four bytes */
    /* Surrogates. */
    assert_false(valid("\xED\xA0\x80")); /* U+D800 */
    assert_false(valid("\xED\xBF\xBF")); /* U+DFFF */
    assert_false(valid("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 pair */
    /* Beyond U+10FFFF, and bytes that never start a sequence. */
    assert_false(valid("\xF4\x90\x80\x80")); /* U+110000 */
    assert_false(valid("\xF7\xBF\xBF\xBF"));
    assert_false(valid("\xF8\x88\x80\x80\x80")); /* five-byte form */
    assert_false(valid("\xFC\x84\x80\x80\x80\x80"));
    assert_false(valid("\xFE"));
    assert_false(valid("\xFF"));
    assert_false(valid("\x80"));      /* lone continuation byte */
    assert_false(valid("a\xBF" "b")); /* continuation in the middle */
    /* Truncated sequences, at the end and in the middle. */
    assert_false(valid("\xC3"));
    assert_false(valid("\xE2\x82"));
    assert_false(valid("\xF0\x9F\x98"));
    assert_false(valid("\xC3" "a"));
    assert_false(valid("\xE2\x82" "a"));
    assert_false(utf8_valid("\xC3\xA5", 1)); /* n cuts the sequence */
    /* NUL is refused anywhere. */
    assert_false(utf8_valid("\0", 1));
    assert_false(utf8_valid("a\0b", 3));
    assert_true(utf8_valid("a\0b", 1));
}

static void check_fold(const char *in, const char *expected)
{
    buf b = BUF_INIT;
    utf8_fold(in, strlen(in), &b);
    assert_string_equal(buf_cstr(&b), expected);
    buf_finish(&b);
}

static void test_utf8_fold(void **state)
{
    (void)state;
    check_fold("", "");
    check_fold("ABC xyz 123 !?", "abc xyz 123 !?");
    check_fold("ÆØÅ æøå", "æøå æøå");
    check_fold("ÉÈÊËÄÖÜ", "éèêëäöü");
    check_fold("×÷ß", "×÷ß");                /* not letters with a case pair */
    check_fold("ŁÓDŹ Łódź", "łódź łódź");      /* Polish */
    check_fold("ŠIAULIAI Šiauliai", "šiauliai šiauliai"); /* Lithuanian */
    check_fold("ĄĘĮŲ ŽĖ", "ąęįų žė");
    check_fold("Ÿ", "ÿ");
    check_fold("€😀", "€😀"); /* other characters are copied */
    check_fold("DEMENS", "demens");
    /* Malformed input is copied byte by byte rather than looping or dropping. */
    buf b = BUF_INIT;
    utf8_fold("A\xFF" "B", 3, &b);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\xFF" "b", 3);
    buf_finish(&b);
}

static void test_utf8_length(void **state)
{
    (void)state;
    assert_int_equal(utf8_length("", 0), 0);
    assert_int_equal(utf8_length("abc", 3), 3);
    assert_int_equal(utf8_length("æøå", strlen("æøå")), 3);
    assert_int_equal(utf8_length("€😀", strlen("€😀")), 2);
}

static int collate(const char *a, const char *b)
{
    int c = utf8_collate_nb(a, strlen(a), b, strlen(b));
    return (c > 0) - (c < 0);
}

static void test_utf8_collate_nb(void **state)
{
    (void)state;
    /* æ ø å come after z, in that order. */
    assert_int_equal(collate("Zebra", "Åsgård"), -1);
    assert_int_equal(collate("Åsgård", "Zebra"), 1);
    assert_int_equal(collate("zz", "øl"), -1);
    assert_int_equal(collate("øl", "å"), -1);
    assert_int_equal(collate("æ", "ø"), -1);
    assert_int_equal(collate("ø", "å"), -1);
    assert_int_equal(collate("Ærlig", "Øvre"), -1);
    /* Case-insensitive at the first level, bytewise as the tie-break. */
    assert_int_equal(collate("apple", "Banana"), -1);
    assert_int_equal(collate("Banana", "apple"), 1);
    assert_int_equal(collate("offentlige rom", "Sykkelplan"), -1);
    assert_int_equal(collate("Øl", "øl") != 0, 1);         /* equal letters, not equal bytes */
    assert_int_equal(collate("Øl", "øl"), -collate("øl", "Øl"));
    assert_int_equal(collate("Øl", "øl"), collate("Ø", "ø")); /* bytewise tie-break */
    assert_int_equal(collate("ABC", "abd"), -1);            /* letters decide before case */
    assert_int_equal(collate("abc", "ABD"), -1);
    assert_int_equal(collate("same", "same"), 0);
    assert_int_equal(collate("", ""), 0);
    /* A prefix sorts first. */
    assert_int_equal(collate("plan", "planer"), -1);
    assert_int_equal(collate("planer", "plan"), 1);
    assert_int_equal(collate("", "a"), -1);
    /* Accented letters sort beside their base letter, before the next one. */
    assert_int_equal(collate("é", "f"), -1);
    assert_int_equal(collate("é", "d"), 1);
    assert_int_equal(collate("Élan", "elan") != 0, 1);
    assert_int_equal(collate("élan", "elbe"), -1);
    /* ä and ö (Swedish) sort as æ and ø. */
    assert_int_equal(collate("ä", "z"), 1);
    assert_int_equal(collate("ö", "å"), -1);
    /* Malformed bytes do not crash and still give a total order. */
    assert_int_equal(collate("\xFF", "\xFE"), -collate("\xFE", "\xFF"));
    assert_int_equal(utf8_collate_nb("\xC3", 1, "\xC3\xA5", 2) != 0, 1);
}

static int cmp_nb(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return utf8_collate_nb(x, strlen(x), y, strlen(y));
}

static void test_utf8_collate_sorts_a_list(void **state)
{
    (void)state;
    const char *names[] = {"Åsgård", "zz", "Øl", "abc", "Ærlig", "Zebra", "Abd", "å", "øl", "Moss"};
    const char *expected[] = {"abc", "Abd", "Moss", "Zebra", "zz", "Ærlig", "Øl", "øl", "å",
                              "Åsgård"};
    qsort(names, PV_ARRAY_LEN(names), sizeof names[0], cmp_nb);
    for (size_t i = 0; i < PV_ARRAY_LEN(names); i++)
        assert_string_equal(names[i], expected[i]);
}

/* ---- pv_parse_long -------------------------------------------------------------------- */

static void test_parse_long_accepts(void **state)
{
    (void)state;
    long v = -1;
    assert_int_equal(pv_parse_long("0", 0, 10, &v), PV_OK);
    assert_int_equal(v, 0);
    assert_int_equal(pv_parse_long("2024", 1800, 2200, &v), PV_OK);
    assert_int_equal(v, 2024);
    assert_int_equal(pv_parse_long("-5", -10, 10, &v), PV_OK);
    assert_int_equal(v, -5);
    assert_int_equal(pv_parse_long("007", 0, 10, &v), PV_OK);
    assert_int_equal(v, 7);
    assert_int_equal(pv_parse_long("1800", 1800, 2200, &v), PV_OK); /* bounds are inclusive */
    assert_int_equal(pv_parse_long("2200", 1800, 2200, &v), PV_OK);
    assert_int_equal(pv_parse_long("9223372036854775807", LONG_MIN, LONG_MAX, &v), PV_OK);
    assert_true(v == LONG_MAX);
    assert_int_equal(pv_parse_long("-9223372036854775808", LONG_MIN, LONG_MAX, &v), PV_OK);
    assert_true(v == LONG_MIN);
}

static void test_parse_long_rejects(void **state)
{
    (void)state;
    long v = 12345;
    const char *bad[] = {"", " 1", "1 ", "+1", "1x", "x1", "0x10", "1.0", "1e3", "-", "--1",
                         "- 1", "\t1", "1\n", "١", /* Arabic-Indic digit one */
                         "99999999999999999999", "-99999999999999999999"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++) {
        if (pv_parse_long(bad[i], LONG_MIN, LONG_MAX, &v) != PV_EINVAL)
            fail_msg("pv_parse_long accepted \"%s\"", bad[i]);
    }
    assert_int_equal(pv_parse_long(NULL, 0, 10, &v), PV_EINVAL);
    /* Out of range. */
    assert_int_equal(pv_parse_long("11", 0, 10, &v), PV_EINVAL);
    assert_int_equal(pv_parse_long("-1", 0, 10, &v), PV_EINVAL);
    assert_int_equal(pv_parse_long("1799", 1800, 2200, &v), PV_EINVAL);
    assert_int_equal(pv_parse_long("2201", 1800, 2200, &v), PV_EINVAL);
    /* A failure leaves *out alone. */
    assert_int_equal(v, 12345);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_empty),
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_buf_html_escaping),
        cmocka_unit_test(test_buf_url_encoding),
        cmocka_unit_test(test_utf8_valid_sequences),
        cmocka_unit_test(test_utf8_invalid_sequences),
        cmocka_unit_test(test_utf8_fold),
        cmocka_unit_test(test_utf8_length),
        cmocka_unit_test(test_utf8_collate_nb),
        cmocka_unit_test(test_utf8_collate_sorts_a_list),
        cmocka_unit_test(test_parse_long_accepts),
        cmocka_unit_test(test_parse_long_rejects),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL) ? 1 : 0;
}
