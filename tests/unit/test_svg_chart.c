/* Unit tests for the SVG charts (export/svg_chart.c): every chart is well-formed XML (checked
 * by xmllint, a parser we did not write), carries its title and description for assistive
 * technology, escapes every label, shows every number of its table, stacks and sums bars
 * right, draws lines with one point, equal or negative values without dividing by zero, uses
 * colours with enough contrast, and refuses bad descriptions without writing anything.
 * Layer: tests (export). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <jansson.h>

#include "core/buf.h"
#include "export/svg_chart.h"

#define NBSP "\xC2\xA0"
#define MINUS "\xE2\x88\x92"

static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (!j)
        fail_msg("bad test JSON: %s: %s", err.text, text);
    return j;
}

/* xmllint --noout reads the document from stdin and fails on anything not well-formed. */
static void assert_well_formed(const char *svg)
{
    FILE *p = popen("xmllint --noout - 2>&1", "w");
    if (!p)
        fail_msg("cannot run xmllint (install libxml2-utils)");
    fputs(svg, p);
    int status = pclose(p);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("xmllint refused the SVG (exit %d; 127: xmllint missing):\n%s",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, svg);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Draws a chart from JSON text; fails the test when it is refused. The caller frees. */
static char *draw(const char *text, bool lines)
{
    json_t *j = parse(text);
    buf b = BUF_INIT;
    int rc = lines ? svg_chart_lines(j, &b) : svg_chart_bars(j, &b);
    if (rc != 0)
        fail_msg("refused: %s", text);
    json_decref(j);
    assert_well_formed(buf_cstr(&b));
    /* no number went wrong on the way */
    if (strstr(b.data, "nan") || strstr(b.data, "inf") || strstr(b.data, "NaN"))
        fail_msg("a number is not finite:\n%s", b.data);
    return buf_steal(&b);
}

/* Every cell of the table, escaped as the SVG writes it, appears in the SVG. */
static void assert_table_in_svg(const char *text, const char *svg)
{
    json_t *j = parse(text);
    json_t *t = svg_chart_table(j);
    assert_non_null(t);
    size_t i, k;
    json_t *row, *cell;
    json_array_foreach(json_object_get(t, "rows"), i, row) {
        json_array_foreach(json_object_get(row, "cells"), k, cell) {
            const char *s = json_string_value(cell);
            if (!*s)
                continue;
            buf e = BUF_INIT;
            buf_append_html(&e, s, strlen(s));
            if (!strstr(svg, buf_cstr(&e)))
                fail_msg("table cell \"%s\" is not in the SVG", s);
            buf_finish(&e);
        }
    }
    json_decref(t);
    json_decref(j);
}

/* ---- numbers -------------------------------------------------------------------------- */

static void check_number(double v, const char *decimal, const char *want)
{
    char out[64];
    svg_chart_number(v, decimal, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("%g → \"%s\", expected \"%s\"", v, out, want);
}

static void test_number(void **state)
{
    (void)state;
    check_number(3910, ",", "3" NBSP "910");
    check_number(33.5, ",", "33,5");
    check_number(33.5, ".", "33.5");
    check_number(33.5, NULL, "33,5");
    check_number(0, ",", "0");
    check_number(-0.04, ",", "0"); /* no «−0» */
    check_number(999, ",", "999");
    check_number(1000, ",", "1" NBSP "000");
    check_number(1234567, ",", "1" NBSP "234" NBSP "567");
    check_number(-1234.56, ",", MINUS "1" NBSP "234,6");
    check_number(12.96, ",", "13");
    check_number(0.25, ",", "0,3");
    check_number(2.0, ",", "2");
    check_number(1e12, ",", "1" NBSP "000" NBSP "000" NBSP "000" NBSP "000");
    check_number(NAN, ",", "");
    check_number(INFINITY, ",", "");
    /* a short buffer is cut, never overrun (ASan watches) */
    char small[4];
    svg_chart_number(1234567, ",", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    svg_chart_number(1, ",", small, 0);
}

/* ---- bars ----------------------------------------------------------------------------- */

/* Leve hele livet: the tiltak of three focus areas, in thousand NOK, summing to 3 910, 2 960,
 * 3 090 and 3 610 (the sums in tests/unit/test_domain.c). */
static const char *const stacked =
    "{\"id\": \"cost-by-year\", \"title\": \"Kostnader per år\", \"desc\": \"Tiltakenes "
    "kostnader\", \"unit\": \"1000 kr\", \"decimal\": \",\","
    " \"categories\": [\"2023\", \"2024\", \"2025\", \"2026\"],"
    " \"series\": [{\"label\": \"Aktivitet og fellesskap\", \"values\": [1500, 1000, 1090.5, 1610]},"
    "  {\"label\": \"Mat og måltider\", \"values\": [2000, 1500, 1500, 1000]},"
    "  {\"label\": \"Helsetjenester\", \"values\": [410, 460, 499.5, 1000]}]}";

static void test_bars_stacked(void **state)
{
    (void)state;
    char *svg = draw(stacked, false);
    /* the totals at the bar ends */
    assert_non_null(strstr(svg, "class=\"chart-value\">3" NBSP "910<"));
    assert_non_null(strstr(svg, "class=\"chart-value\">2" NBSP "960<"));
    assert_non_null(strstr(svg, "class=\"chart-value\">3" NBSP "090<"));
    assert_non_null(strstr(svg, "class=\"chart-value\">3" NBSP "610<"));
    assert_int_equal(count(svg, "class=\"chart-value\""), 4);
    /* one segment per value, each with its own title */
    assert_int_equal(count(svg, "<rect x="), 12 + 3 /* legend swatches */);
    assert_int_equal(count(svg, "<title>"), 12);
    assert_non_null(strstr(svg, "<title>2025, Aktivitet og fellesskap: 1" NBSP "090,5" NBSP
                                "1000 kr</title>"));
    /* a legend, since there are several series */
    assert_non_null(strstr(svg, "class=\"chart-legend\""));
    assert_int_equal(count(svg, "class=\"chart-legend-label\""), 3);
    /* the categories are named */
    assert_non_null(strstr(svg, "class=\"chart-category\">2023<"));
    assert_table_in_svg(stacked, svg);
    free(svg);
}

static void test_bars_root_and_table(void **state)
{
    (void)state;
    char *svg = draw(stacked, false);
    const char *head = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                       "aria-labelledby=\"cost-by-year-title cost-by-year-desc\" viewBox=\"0 0 640 ";
    assert_memory_equal(svg, head, strlen(head));
    assert_non_null(strstr(svg, "class=\"chart\""));
    assert_non_null(strstr(svg, "<title id=\"cost-by-year-title\">Kostnader per år</title>"));
    assert_non_null(strstr(svg, "<desc id=\"cost-by-year-desc\">Tiltakenes kostnader</desc>"));
    assert_null(strstr(svg, " width=\"100%\""));
    assert_null(strstr(svg, "<svg width"));
    assert_int_equal(count(svg, "<svg"), 1);
    free(svg);

    json_t *j = parse(stacked);
    json_t *t = svg_chart_table(j);
#define K NBSP "1000 kr"
    json_t *want = parse(
        "{\"caption\": \"Kostnader per år\","
        " \"columns\": [\"Aktivitet og fellesskap\", \"Mat og måltider\", \"Helsetjenester\"],"
        " \"rows\": ["
        "  {\"label\": \"2023\", \"cells\": [\"1" NBSP "500" K "\", \"2" NBSP "000" K "\", \"410" K "\"]},"
        "  {\"label\": \"2024\", \"cells\": [\"1" NBSP "000" K "\", \"1" NBSP "500" K "\", \"460" K "\"]},"
        "  {\"label\": \"2025\", \"cells\": [\"1" NBSP "090,5" K "\", \"1" NBSP "500" K "\", \"499,5" K "\"]},"
        "  {\"label\": \"2026\", \"cells\": [\"1" NBSP "610" K "\", \"1" NBSP "000" K "\", \"1" NBSP "000" K "\"]}]}");
#undef K
    if (!json_equal(t, want)) {
        char *got = json_dumps(t, JSON_SORT_KEYS);
        fail_msg("table: %s", got);
    }
    json_decref(want);
    json_decref(t);
    json_decref(j);
}

static void test_bars_single_series_and_nulls(void **state)
{
    (void)state;
    const char *text = "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"Plan A\", \"Plan B\", "
                       "\"Plan C\"], \"series\": [{\"label\": \"Kostnad\", \"values\": [12.5, "
                       "null, 0]}]}";
    char *svg = draw(text, false);
    assert_null(strstr(svg, "chart-legend")); /* one series: no legend */
    assert_int_equal(count(svg, "<rect"), 2);  /* null: no segment; 0: an empty one */
    assert_non_null(strstr(svg, "class=\"chart-value\">12,5<"));
    assert_non_null(strstr(svg, "<desc id=\"a-desc\"></desc>")); /* desc may be absent */
    assert_table_in_svg(text, svg);
    json_t *j = parse(text), *t = svg_chart_table(j);
    json_t *cells = json_object_get(json_array_get(json_object_get(t, "rows"), 1), "cells");
    assert_string_equal(json_string_value(json_array_get(cells, 0)), "");
    cells = json_object_get(json_array_get(json_object_get(t, "rows"), 0), "cells");
    assert_string_equal(json_string_value(json_array_get(cells, 0)), "12,5");
    json_decref(t);
    json_decref(j);
    free(svg);
}

/* The axis has 4 or 5 ticks at round numbers (3 when 0,25 steps would be needed: one decimal
 * at most), starting at 0 for positive bars. */
static void test_bars_axis_ticks(void **state)
{
    (void)state;
    const struct {
        double max;
        const char *last_tick;
    } cases[] = {{3910, "4" NBSP "000"}, {10, "10"}, {1, "1"},  {0.3, "0,3"},
                 {7, "8"},               {11, "15"}, {99, "100"}, {123456, "150" NBSP "000"},
                 {0, "1"}};
    for (size_t i = 0; i < PV_ARRAY_LEN(cases); i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "{\"id\": \"t\", \"title\": \"T\", \"categories\": [\"x\"], \"series\": "
                 "[{\"label\": \"s\", \"values\": [%.1f]}]}",
                 cases[i].max);
        char *svg = draw(text, false);
        size_t ticks = count(svg, "class=\"chart-tick\"");
        if (ticks < (cases[i].max <= 1 ? 3 : 4) || ticks > 5)
            fail_msg("max %g: %zu ticks\n%s", cases[i].max, ticks, svg);
        assert_non_null(strstr(svg, "class=\"chart-tick\">0<"));
        char want[64];
        snprintf(want, sizeof want, "class=\"chart-tick\">%s<", cases[i].last_tick);
        if (!strstr(svg, want))
            fail_msg("max %g: no tick %s\n%s", cases[i].max, cases[i].last_tick, svg);
        free(svg);
    }
}

static void test_bars_negative(void **state)
{
    (void)state;
    const char *text = "{\"id\": \"n\", \"title\": \"Avvik\", \"categories\": [\"A\", \"B\"],"
                       " \"series\": [{\"label\": \"Drift\", \"values\": [-120, 40]},"
                       " {\"label\": \"Investering\", \"values\": [20, -10]}]}";
    char *svg = draw(text, false);
    assert_non_null(strstr(svg, "class=\"chart-value\">" MINUS "100<"));
    assert_non_null(strstr(svg, "class=\"chart-value\">30<"));
    assert_non_null(strstr(svg, "class=\"chart-tick\">0<"));
    assert_table_in_svg(text, svg);
    free(svg);
}

/* Every label is escaped: a category, a series, the title, the desc and the unit. */
static void test_escaping(void **state)
{
    (void)state;
    const char *bars = "{\"id\": \"e\", \"title\": \"T <&\\\"'>\", \"desc\": \"D <&\\\"'>\","
                       " \"unit\": \"<&\\\"'>\", \"categories\": [\"C <&\\\"'>\", \"Æ ø å\"],"
                       " \"series\": [{\"label\": \"S1 <&\\\"'>\", \"values\": [1, 2]},"
                       " {\"label\": \"S2 <b>\", \"values\": [3, 4]}]}";
    char *svg = draw(bars, false);
    assert_null(strstr(svg, "<&"));
    assert_null(strstr(svg, "<b>"));
    assert_null(strstr(svg, "'>"));
    assert_non_null(strstr(svg, "T &lt;&amp;&quot;&#39;&gt;</title>"));
    assert_non_null(strstr(svg, "D &lt;&amp;&quot;&#39;&gt;</desc>"));
    assert_non_null(strstr(svg, ">C &lt;&amp;&quot;&#39;&gt;</text>"));
    assert_non_null(strstr(svg, ">S1 &lt;&amp;&quot;&#39;&gt;</text>"));
    assert_non_null(strstr(svg, "S2 &lt;b&gt;"));
    assert_non_null(strstr(svg, "1" NBSP "&lt;&amp;&quot;&#39;&gt;</title>"));
    assert_table_in_svg(bars, svg);
    free(svg);

    const char *lines = "{\"id\": \"l\", \"title\": \"<x>\", \"series\": [{\"label\": "
                        "\"A&B \\\"q\\\"\", \"points\": [{\"date\": \"2024-01-01\", \"value\": 1}]}]}";
    svg = draw(lines, true);
    assert_null(strstr(svg, "<x>"));
    assert_non_null(strstr(svg, "A&amp;B &quot;q&quot;"));
    free(svg);
}

/* ---- lines ---------------------------------------------------------------------------- */

static const char *const share =
    "{\"id\": \"heltid\", \"title\": \"Andel heltid\", \"desc\": \"Helse og mestring\","
    " \"unit\": \"%\", \"series\": ["
    " {\"label\": \"Målt\", \"points\": [{\"date\": \"2023-12-31\", \"value\": 40},"
    "   {\"date\": \"2022-12-31\", \"value\": 33.5}, {\"date\": \"2024-06-30\", \"value\": 44.2}]},"
    " {\"label\": \"Vei til målet\", \"dashed\": true, \"points\": ["
    "   {\"date\": \"2022-12-31\", \"value\": 33.5}, {\"date\": \"2024-12-31\", \"value\": 50}]}]}";

static void test_lines(void **state)
{
    (void)state;
    char *svg = draw(share, true);
    assert_int_equal(count(svg, "<circle"), 5);
    assert_int_equal(count(svg, "<polyline"), 2);
    assert_int_equal(count(svg, "stroke-dasharray=\"6 4\""), 2); /* the path and its legend */
    assert_non_null(strstr(svg, "<title>Målt, 2022-12-31: 33,5" NBSP "%</title>"));
    assert_non_null(strstr(svg, "<title>Vei til målet, 2024-12-31: 50" NBSP "%</title>"));
    assert_non_null(strstr(svg, "class=\"chart-legend\""));
    /* the years 2023 and 2024 on the time axis; the values 33,5–50 on 30–50 (0 left out:
     * the lowest value is more than half the highest) */
    assert_non_null(strstr(svg, "class=\"chart-tick\">2023<"));
    assert_non_null(strstr(svg, "class=\"chart-tick\">2024<"));
    assert_non_null(strstr(svg, "class=\"chart-tick\">30<"));
    assert_non_null(strstr(svg, "class=\"chart-tick\">50<"));
    assert_null(strstr(svg, "class=\"chart-tick\">0<"));
    assert_table_in_svg(share, svg);
    /* points are drawn oldest first whatever their order in the description */
    const char *a = strstr(svg, "2022-12-31: 33,5"), *b = strstr(svg, "2023-12-31: 40");
    assert_true(a && b && a < b);
    free(svg);

    json_t *j = parse(share), *t = svg_chart_table(j);
    json_t *rows = json_object_get(t, "rows");
    assert_int_equal(json_array_size(rows), 4); /* 2022-12-31, 2023-12-31, 2024-06-30, 2024-12-31 */
    const char *dates[] = {"2022-12-31", "2023-12-31", "2024-06-30", "2024-12-31"};
    const char *measured[] = {"33,5" NBSP "%", "40" NBSP "%", "44,2" NBSP "%", ""};
    const char *path[] = {"33,5" NBSP "%", "", "", "50" NBSP "%"};
    for (size_t i = 0; i < 4; i++) {
        json_t *row = json_array_get(rows, i);
        assert_string_equal(json_string_value(json_object_get(row, "label")), dates[i]);
        json_t *cells = json_object_get(row, "cells");
        assert_int_equal(json_array_size(cells), 2);
        assert_string_equal(json_string_value(json_array_get(cells, 0)), measured[i]);
        assert_string_equal(json_string_value(json_array_get(cells, 1)), path[i]);
    }
    assert_string_equal(json_string_value(json_object_get(t, "caption")), "Andel heltid");
    json_decref(t);
    json_decref(j);
}

static void test_lines_one_point(void **state)
{
    (void)state;
    const char *text = "{\"id\": \"one\", \"title\": \"Én måling\", \"series\": [{\"label\": \"A\","
                       " \"points\": [{\"date\": \"2025-03-01\", \"value\": 7}]}]}";
    char *svg = draw(text, true);
    assert_int_equal(count(svg, "<circle"), 1);
    assert_int_equal(count(svg, "<polyline"), 0);
    assert_non_null(strstr(svg, "class=\"chart-tick\">2025-03-01<"));
    assert_table_in_svg(text, svg);
    free(svg);
    /* a series without points beside one with a point */
    text = "{\"id\": \"two\", \"title\": \"T\", \"series\": [{\"label\": \"A\", \"points\": []},"
           " {\"label\": \"B\", \"points\": [{\"date\": \"2025-03-01\", \"value\": 0}]}]}";
    svg = draw(text, true);
    assert_int_equal(count(svg, "<circle"), 1);
    free(svg);
}

static void test_lines_equal_and_negative(void **state)
{
    (void)state;
    /* equal values on the same day and on several days: no division by zero */
    const char *same = "{\"id\": \"s\", \"title\": \"T\", \"series\": [{\"label\": \"A\", \"points\": "
                       "[{\"date\": \"2025-01-01\", \"value\": 5}, {\"date\": \"2025-01-01\", "
                       "\"value\": 5}]}, {\"label\": \"B\", \"points\": [{\"date\": \"2025-01-01\","
                       " \"value\": 5}]}]}";
    char *svg = draw(same, true);
    assert_int_equal(count(svg, "<circle"), 3);
    free(svg);
    /* 0 is on the axis when the lowest value is at most half the highest */
    const char *low = "{\"id\": \"z\", \"title\": \"T\", \"series\": [{\"label\": \"A\", \"points\": "
                      "[{\"date\": \"2020-01-01\", \"value\": 10}, {\"date\": \"2025-01-01\", "
                      "\"value\": 50}]}]}";
    svg = draw(low, true);
    assert_non_null(strstr(svg, "class=\"chart-tick\">0<"));
    assert_non_null(strstr(svg, "class=\"chart-tick\">2025<"));
    free(svg);
    const char *flat = "{\"id\": \"f\", \"title\": \"T\", \"series\": [{\"label\": \"A\", \"points\": "
                       "[{\"date\": \"2020-01-01\", \"value\": 0}, {\"date\": \"2025-01-01\", "
                       "\"value\": 0}]}]}";
    svg = draw(flat, true);
    assert_non_null(strstr(svg, "class=\"chart-tick\">0<"));
    free(svg);
    const char *neg = "{\"id\": \"n\", \"title\": \"Netto\", \"decimal\": \".\", \"series\": "
                      "[{\"label\": \"A\", \"points\": [{\"date\": \"2020-06-01\", \"value\": -5.5},"
                      " {\"date\": \"2021-06-01\", \"value\": 3}, {\"date\": \"2022-06-01\", "
                      "\"value\": -1200}]}]}";
    svg = draw(neg, true);
    assert_non_null(strstr(svg, MINUS "5.5"));
    assert_non_null(strstr(svg, MINUS "1" NBSP "200"));
    assert_non_null(strstr(svg, "class=\"chart-tick\">0<"));
    assert_table_in_svg(neg, svg);
    free(svg);
    const char *allneg = "{\"id\": \"m\", \"title\": \"T\", \"series\": [{\"label\": \"A\", "
                         "\"points\": [{\"date\": \"2020-06-01\", \"value\": -5}, {\"date\": "
                         "\"2021-06-01\", \"value\": -5}]}]}";
    svg = draw(allneg, true);
    assert_non_null(strstr(svg, "class=\"chart-tick\">0<"));
    free(svg);
}

/* ---- colours -------------------------------------------------------------------------- */

/* x^2.4 = x^2 · (x^2)^(1/5), the fifth root by Newton's method (the library links without
 * libm, so the test does too). */
static double pow24(double x)
{
    double sq = x * x, r = 1;
    for (int i = 0; i < 100; i++)
        r -= (r * r * r * r * r - sq) / (5 * r * r * r * r);
    return sq * r;
}

static double channel(int v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow24((c + 0.055) / 1.055);
}

static double contrast_with_white(const char *hex)
{
    unsigned r, g, b;
    if (sscanf(hex, "%2x%2x%2x", &r, &g, &b) != 3)
        fail_msg("bad colour %s", hex);
    double l = 0.2126 * channel((int)r) + 0.7152 * channel((int)g) + 0.0722 * channel((int)b);
    return 1.05 / (l + 0.05);
}

static void test_colours(void **state)
{
    (void)state;
    /* the measure itself: black, a light yellow and the palette's blue */
    assert_true(contrast_with_white("000000") > 20.9 && contrast_with_white("000000") < 21.1);
    assert_true(contrast_with_white("ffcc00") < 3.0);
    assert_true(contrast_with_white("767676") > 4.5 && contrast_with_white("777777") < 4.5);
    buf text = BUF_INIT;
    buf_puts(&text, "{\"id\": \"c\", \"title\": \"T\", \"categories\": [\"x\"], \"series\": [");
    for (int i = 0; i < 12; i++)
        buf_printf(&text, "%s{\"label\": \"S%d\", \"values\": [%d]}", i ? ", " : "", i, i + 1);
    buf_puts(&text, "]}");
    char *svg = draw(buf_cstr(&text), false);
    char seen[12][8];
    size_t n = 0;
    for (const char *p = strstr(svg, "<rect "); p; p = strstr(p + 1, "<rect ")) {
        const char *f = strstr(p, "fill=\"#");
        assert_non_null(f);
        char hex[7];
        memcpy(hex, f + 7, 6);
        hex[6] = '\0';
        double ratio = contrast_with_white(hex);
        if (ratio < 3.0)
            fail_msg("#%s has a contrast of %.2f against white", hex, ratio);
        if (n < 10) {
            for (size_t k = 0; k < n; k++)
                if (strcmp(seen[k], hex) == 0)
                    fail_msg("series %zu repeats the colour #%s of series %zu", n, hex, k);
            memcpy(seen[n], hex, 7);
        }
        n++;
        if (n == 12)
            break;
    }
    assert_int_equal(n, 12);
    free(svg);
    buf_finish(&text);
}

/* ---- bad descriptions ----------------------------------------------------------------- */

static void test_bad_shapes(void **state)
{
    (void)state;
    const char *bad_bars[] = {
        "[]", "null", "{}",
        "{\"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"A\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a b\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\\\"b\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": 5, \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [], \"series\": [{\"label\": \"s\", \"values\": []}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": []}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1, 2]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [\"1\"]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1e300]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [1], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\\u0001\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\\u0000x\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\\uffff\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"decimal\": \";\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"unit\": 3, \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [{\"date\": \"2024-01-01\", \"value\": 1}]}]}",
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(bad_bars); i++) {
        json_t *j = parse(bad_bars[i]);
        buf b = BUF_INIT;
        buf_puts(&b, "before");
        if (svg_chart_bars(j, &b) != PV_EINVAL)
            fail_msg("bars accepted %s", bad_bars[i]);
        assert_string_equal(buf_cstr(&b), "before");
        if (json_is_object(j) && json_object_get(j, "categories"))
            assert_null(svg_chart_table(j));
        buf_finish(&b);
        json_decref(j);
    }
    const char *bad_lines[] = {
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": []}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [{\"date\": \"2024-02-30\", \"value\": 1}]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [{\"date\": \"1.1.2024\", \"value\": 1}]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [{\"value\": 1}]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [{\"date\": \"2024-01-01\"}]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [{\"date\": \"2024-01-01\", \"value\": null}]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"points\": [[\"2024-01-01\", 1]]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"dashed\": \"yes\", \"points\": [{\"date\": \"2024-01-01\", \"value\": 1}]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"series\": [{\"label\": \"s\", \"values\": [1]}]}",
        "{\"id\": \"a\", \"title\": \"T\", \"categories\": [\"a\"], \"series\": [{\"label\": \"s\", \"points\": [{\"date\": \"2024-01-01\", \"value\": 1}]}]}",
        "{\"id\": \"a\", \"title\": \"T\"}",
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(bad_lines); i++) {
        json_t *j = parse(bad_lines[i]);
        buf b = BUF_INIT;
        if (svg_chart_lines(j, &b) != PV_EINVAL)
            fail_msg("lines accepted %s", bad_lines[i]);
        assert_int_equal(b.len, 0);
        if (!json_object_get(j, "categories"))
            assert_null(svg_chart_table(j));
        buf_finish(&b);
        json_decref(j);
    }
    assert_null(svg_chart_table(NULL));
    buf b = BUF_INIT;
    assert_int_equal(svg_chart_bars(NULL, &b), PV_EINVAL);
    assert_int_equal(svg_chart_lines(NULL, &b), PV_EINVAL);
    assert_int_equal(b.len, 0);
}

static json_t *bars_of(size_t categories, size_t series)
{
    json_t *cats = json_array(), *ser = json_array();
    for (size_t k = 0; k < categories; k++)
        json_array_append_new(cats, json_sprintf("k%zu", k));
    for (size_t s = 0; s < series; s++) {
        json_t *values = json_array();
        for (size_t k = 0; k < categories; k++)
            json_array_append_new(values, json_integer((json_int_t)(k + s)));
        json_array_append_new(ser, json_pack("{s:o, s:o}", "label", json_sprintf("s%zu", s),
                                             "values", values));
    }
    return json_pack("{s:s, s:s, s:o, s:o}", "id", "lim", "title", "T", "categories", cats,
                     "series", ser);
}

static void test_limits(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    json_t *j = bars_of(SVG_CHART_MAX_CATEGORIES, 2);
    assert_int_equal(svg_chart_bars(j, &b), 0);
    assert_well_formed(buf_cstr(&b));
    json_decref(j);
    buf_reset(&b);
    j = bars_of(SVG_CHART_MAX_CATEGORIES + 1, 1);
    assert_int_equal(svg_chart_bars(j, &b), PV_EINVAL);
    assert_int_equal(b.len, 0);
    json_decref(j);
    j = bars_of(1, SVG_CHART_MAX_SERIES);
    assert_int_equal(svg_chart_bars(j, &b), 0);
    json_decref(j);
    buf_reset(&b);
    j = bars_of(1, SVG_CHART_MAX_SERIES + 1);
    assert_int_equal(svg_chart_bars(j, &b), PV_EINVAL);
    json_decref(j);

    /* points: the limit counts all series together */
    for (int extra = 0; extra <= 1; extra++) {
        json_t *a = json_array(), *c = json_array();
        for (int i = 0; i < SVG_CHART_MAX_POINTS / 2; i++) {
            json_array_append_new(a, json_pack("{s:s, s:i}", "date", "2024-01-01", "value", i));
            json_array_append_new(c, json_pack("{s:s, s:i}", "date", "2025-01-01", "value", i));
        }
        if (extra)
            json_array_append_new(c, json_pack("{s:s, s:i}", "date", "2025-01-02", "value", 1));
        j = json_pack("{s:s, s:s, s:[{s:s, s:o}, {s:s, s:o}]}", "id", "p", "title", "T",
                      "series", "label", "a", "points", a, "label", "c", "points", c);
        buf_reset(&b);
        assert_int_equal(svg_chart_lines(j, &b), extra ? PV_EINVAL : 0);
        json_decref(j);
    }
    buf_finish(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_bars_stacked),
        cmocka_unit_test(test_bars_root_and_table),
        cmocka_unit_test(test_bars_single_series_and_nulls),
        cmocka_unit_test(test_bars_axis_ticks),
        cmocka_unit_test(test_bars_negative),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_lines_one_point),
        cmocka_unit_test(test_lines_equal_and_negative),
        cmocka_unit_test(test_colours),
        cmocka_unit_test(test_bad_shapes),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests_name("svg_chart", tests, NULL, NULL) ? 1 : 0;
}
