/* Unit tests for the Markdown wrapper: cmark-gfm in safe mode must never let a script, an
 * event handler or a javascript: link through, while ordinary plan text (emphasis, hard line
 * breaks, lists, tables) renders as expected. Its output is printed unescaped ({{{…_html}}}),
 * so this file is what makes that safe.
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/pv.h"
#include "web/markdown.h"

static char *md(const char *src)
{
    return markdown_to_html(src, strlen(src));
}

/* Checks one tag of rendered HTML (from '<' to '>'): a tag cmark-gfm produces, with only
 * harmless attributes, and no script-capable URL. Returns a problem or NULL. */
static const char *check_tag(const char *tag, size_t len, char *why, size_t why_size)
{
    static const char *const tags[] = {"p", "br", "strong", "em", "del", "a", "img", "ul", "ol",
                                       "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                       "thead", "tbody", "tr", "th", "td", "blockquote", "pre",
                                       "code", "hr"};
    static const char *const attrs[] = {"href", "src", "alt", "title", "align", "start"};
    size_t i = 1;
    if (i < len && tag[i] == '/')
        i++;
    size_t name_at = i;
    while (i < len && isalnum((unsigned char)tag[i]))
        i++;
    bool known = false;
    for (size_t k = 0; k < PV_ARRAY_LEN(tags) && !known; k++)
        known = strlen(tags[k]) == i - name_at && strncasecmp(tags[k], tag + name_at,
                                                               i - name_at) == 0;
    if (!known) {
        snprintf(why, why_size, "the element <%.*s>", (int)(i - name_at), tag + name_at);
        return why;
    }
    while (i < len) { /* attributes: name="value" */
        while (i < len && (tag[i] == ' ' || tag[i] == '/' || tag[i] == '>'))
            i++;
        size_t attr_at = i;
        while (i < len && tag[i] != '=' && tag[i] != ' ' && tag[i] != '>')
            i++;
        if (i == attr_at)
            break;
        bool allowed = false;
        for (size_t k = 0; k < PV_ARRAY_LEN(attrs) && !allowed; k++)
            allowed = strlen(attrs[k]) == i - attr_at && strncmp(attrs[k], tag + attr_at,
                                                                  i - attr_at) == 0;
        if (!allowed) {
            snprintf(why, why_size, "the attribute %.*s", (int)(i - attr_at), tag + attr_at);
            return why;
        }
        if (i < len && tag[i] == '=') {
            i++;
            if (i >= len || tag[i] != '"')
                return "an unquoted attribute value";
            size_t value_at = ++i;
            while (i < len && tag[i] != '"')
                i++;
            const char *v = tag + value_at;
            size_t vlen = i - value_at;
            static const char *const schemes[] = {"javascript:", "vbscript:", "data:", "file:"};
            for (size_t k = 0; k < PV_ARRAY_LEN(schemes); k++)
                if (vlen >= strlen(schemes[k]) && strncasecmp(v, schemes[k],
                                                              strlen(schemes[k])) == 0)
                    return "a script-capable URL";
            i++;
        }
    }
    return NULL;
}

/* Nothing in the rendered HTML may run script: every tag is one cmark-gfm makes from plain
 * Markdown, with plain attributes and safe URLs. */
static void assert_inert(const char *src)
{
    char *html = md(src);
    for (const char *p = html; (p = strchr(p, '<')) != NULL; p++) {
        if (strncmp(p, "<!-- raw HTML omitted -->", 25) == 0)
            continue;
        const char *end = strchr(p, '>');
        if (!end)
            fail_msg("Markdown %s rendered with an unclosed tag: %s", src, html);
        char why[128];
        const char *problem = check_tag(p, (size_t)(end - p + 1), why, sizeof why);
        if (problem)
            fail_msg("Markdown %s\nrendered as %s\nwhich has %s", src, html, problem);
    }
    free(html);
}

static int setup(void **state)
{
    (void)state;
    markdown_init();
    return 0;
}

/* The checker itself catches what it must (else every test below would pass vacuously). */
static void test_checker_bites(void **state)
{
    (void)state;
    static const char *const bad[] = {"<script>", "<SCRIPT src=\"x\">", "<iframe>",
                                      "<img src=\"x\" onerror=\"alert(1)\" />",
                                      "<a href=\"javascript:alert(1)\">",
                                      "<a href=\"JAVASCRIPT:alert(1)\">", "<a href=x>",
                                      "<img src=\"data:text/html,x\" />", "<p style=\"x\">"};
    char why[128];
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (!check_tag(bad[i], strlen(bad[i]), why, sizeof why))
            fail_msg("the checker let %s through", bad[i]);
    static const char *const good[] = {"<p>", "</p>", "<br />", "<a href=\"https://x.no/\">",
                                       "<img src=\"bilde.png\" alt=\"Et bilde\" />",
                                       "<td align=\"right\">"};
    for (size_t i = 0; i < PV_ARRAY_LEN(good); i++)
        if (check_tag(good[i], strlen(good[i]), why, sizeof why))
            fail_msg("the checker refused %s: %s", good[i], why);
}

static void test_script_is_dropped(void **state)
{
    (void)state;
    assert_inert("<script>alert(1)</script>");
    assert_inert("Tekst <script>alert(1)</script> videre");
    assert_inert("<SCRIPT SRC=//evil.example/x.js></SCRIPT>");
    assert_inert("<scr<script>ipt>alert(1)</script>");
    assert_inert("> <script>alert(1)</script>");
    assert_inert("- <script>alert(1)</script>");
    assert_inert("| a |\n|---|\n| <script>alert(1)</script> |");
    char *html = md("Før\n\n<script>alert(1)</script>\n\nEtter");
    assert_non_null(strstr(html, "Før"));
    assert_non_null(strstr(html, "Etter"));
    free(html);
}

static void test_javascript_links_are_dropped(void **state)
{
    (void)state;
    assert_inert("[x](javascript:alert(1))");
    assert_inert("[x](JaVaScRiPt:alert(1))");
    assert_inert("[x](  javascript:alert(1)  )");
    assert_inert("[x](vbscript:msgbox(1))");
    assert_inert("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)");
    assert_inert("[x][r]\n\n[r]: javascript:alert(1)");
    assert_inert("<javascript:alert(1)>");
    assert_inert("![x](javascript:alert(1))");
    /* An entity-encoded scheme is decoded by the parser, then refused. */
    assert_inert("[x](&#106;avascript:alert(1))");
    assert_inert("[x](java&#x09;script:alert(1))");
    /* The link text itself survives. */
    char *html = md("[klikk](javascript:alert(1))");
    assert_non_null(strstr(html, "klikk"));
    free(html);
    /* Ordinary links keep their href. */
    html = md("[Moss kommune](https://www.moss.kommune.no/)");
    assert_non_null(strstr(html, "<a href=\"https://www.moss.kommune.no/\">Moss kommune</a>"));
    free(html);
}

static void test_raw_html_is_inert(void **state)
{
    (void)state;
    assert_inert("<img src=x onerror=alert(1)>");
    assert_inert("Tekst <img src=x onerror=alert(1)> midt i");
    assert_inert("<div onclick=\"alert(1)\">x</div>");
    assert_inert("<iframe src=\"https://evil.example\"></iframe>");
    assert_inert("<svg onload=alert(1)>");
    assert_inert("<a href=\"javascript:alert(1)\">x</a>");
    assert_inert("<style>body{display:none}</style>");
    assert_inert("<meta http-equiv=refresh content=0;url=https://evil.example>");
    assert_inert("<form action=https://evil.example><input></form>");
    assert_inert("<!-- <script>alert(1)</script> -->");
    /* Escaped text is fine: it shows as text, not as markup. */
    char *html = md("5 < 6 & 7 > 3 \"sitat\"");
    assert_non_null(strstr(html, "5 &lt; 6 &amp; 7 &gt; 3 &quot;sitat&quot;"));
    free(html);
}

static void test_bold_and_emphasis(void **state)
{
    (void)state;
    char *html = md("**bold** and *em* and ~~gone~~");
    assert_non_null(strstr(html, "<strong>bold</strong>"));
    assert_non_null(strstr(html, "<em>em</em>"));
    assert_non_null(strstr(html, "<del>gone</del>"));
    free(html);
}

static void test_hard_line_breaks(void **state)
{
    (void)state;
    /* One statement per line stays one per line. */
    char *html = md("Første linje\nAndre linje\nTredje linje");
    assert_string_equal(html, "<p>Første linje<br />\nAndre linje<br />\nTredje linje</p>\n");
    free(html);
    html = md("Avsnitt en\n\nAvsnitt to");
    assert_string_equal(html, "<p>Avsnitt en</p>\n<p>Avsnitt to</p>\n");
    free(html);
}

static void test_lists_and_headings(void **state)
{
    (void)state;
    char *html = md("## Mål\n\n- en\n- to\n\n1. første\n2. andre");
    assert_non_null(strstr(html, "<h2>Mål</h2>"));
    assert_non_null(strstr(html, "<ul>\n<li>en</li>\n<li>to</li>\n</ul>"));
    assert_non_null(strstr(html, "<ol>\n<li>første</li>"));
    free(html);
}

static void test_table(void **state)
{
    (void)state;
    char *html = md("| År | Kostnad |\n|---|---:|\n| 2023 | 3 910 |\n| 2024 | 2 960 |");
    assert_non_null(strstr(html, "<table>"));
    assert_non_null(strstr(html, "<th>År</th>"));
    assert_non_null(strstr(html, "<td>2023</td>"));
    assert_non_null(strstr(html, "<td align=\"right\">3 910</td>"));
    assert_non_null(strstr(html, "</table>"));
    free(html);
}

static void test_autolink(void **state)
{
    (void)state;
    char *html = md("Se www.moss.kommune.no for mer.");
    assert_non_null(strstr(html, "<a href=\"http://www.moss.kommune.no\">"));
    free(html);
}

static void test_odd_input_does_not_crash(void **state)
{
    (void)state;
    /* Empty, invalid UTF-8 (replaced), NUL bytes (replaced), deep nesting, long lines. */
    char *html = markdown_to_html("", 0);
    assert_string_equal(html, "");
    free(html);
    html = markdown_to_html("\xff\xfe\xc3(\xed\xa0\x80", 7);
    assert_non_null(html);
    free(html);
    html = markdown_to_html("a\0b", 3);
    assert_non_null(html);
    assert_null(memchr(html, '\0', strlen(html))); /* a C string */
    free(html);
    char deep[20001];
    for (size_t i = 0; i < 10000; i++) {
        deep[2 * i] = '>';
        deep[2 * i + 1] = i % 2 ? ' ' : '[';
    }
    deep[20000] = '\0';
    html = md(deep);
    assert_non_null(html);
    free(html);
    char brackets[30001];
    memset(brackets, '[', 15000);
    memset(brackets + 15000, ']', 15000);
    brackets[30000] = '\0';
    html = md(brackets);
    free(html);
    char stars[30001];
    for (size_t i = 0; i < 30000; i++)
        stars[i] = "*_~`"[i % 4];
    stars[30000] = '\0';
    html = md(stars);
    free(html);
    /* A table header with thousands of columns. */
    char *wide = malloc(40003);
    assert_non_null(wide);
    size_t o = 0;
    for (int i = 0; i < 10000; i++)
        wide[o++] = '|', wide[o++] = 'a';
    wide[o++] = '\n';
    for (int i = 0; i < 10000; i++)
        wide[o++] = '|', wide[o++] = '-';
    wide[o] = '\0';
    html = markdown_to_html(wide, o);
    free(html);
    free(wide);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_bites),
        cmocka_unit_test(test_script_is_dropped),
        cmocka_unit_test(test_javascript_links_are_dropped),
        cmocka_unit_test(test_raw_html_is_inert),
        cmocka_unit_test(test_bold_and_emphasis),
        cmocka_unit_test(test_hard_line_breaks),
        cmocka_unit_test(test_lists_and_headings),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_autolink),
        cmocka_unit_test(test_odd_input_does_not_crash),
    };
    return cmocka_run_group_tests_name("markdown", tests, setup, NULL) ? 1 : 0;
}
