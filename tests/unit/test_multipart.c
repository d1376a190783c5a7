/* Unit tests for the multipart/form-data parser: the boundary parameter, good bodies as
 * browsers send them, the framing rules (missing close, a boundary inside a value, LF-only
 * lines, preamble and epilogue), the limits shared with the urlencoded parser, UTF-8 and
 * NUL, part headers, and file parts refused.
 * Layer: tests (http). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

/* ---- multipart_boundary --------------------------------------------------------------- */

static void test_boundary_good(void **state)
{
    (void)state;
    char b[MULTIPART_MAX_BOUNDARY + 1];
    struct {
        const char *ct, *boundary;
    } good[] = {
        {"multipart/form-data; boundary=abc", "abc"},
        {"multipart/form-data;boundary=abc", "abc"},
        {"Multipart/Form-Data; BOUNDARY=abc", "abc"}, /* type and name in any case */
        {"multipart/form-data; boundary=\"a b:c\"", "a b:c"}, /* quoted, with a space */
        {"multipart/form-data; charset=utf-8; boundary=x", "x"},
        {"multipart/form-data; boundary=x ; charset=utf-8", "x"},
        {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
         "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
        {"multipart/form-data; boundary=---------------------------9051914041544843365972754266",
         "---------------------------9051914041544843365972754266"}, /* Firefox */
        {"multipart/form-data; boundary='()+_,-./:=?", "'()+_,-./:=?"}, /* every bchar */
        {"multipart/form-data; boundary=x;", "x"},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(good); i++) {
        if (multipart_boundary(good[i].ct, b) != PV_OK)
            fail_msg("refused \"%s\"", good[i].ct);
        assert_string_equal(b, good[i].boundary);
    }
    /* 70 characters is the most RFC 2046 allows. */
    char ct[200] = "multipart/form-data; boundary=";
    for (int i = 0; i < 70; i++)
        strcat(ct, "b");
    assert_int_equal(multipart_boundary(ct, b), PV_OK);
    assert_int_equal(strlen(b), 70);
    strcat(ct, "b");
    assert_int_equal(multipart_boundary(ct, b), PV_EINVAL);
}

static void test_boundary_bad(void **state)
{
    (void)state;
    char b[MULTIPART_MAX_BOUNDARY + 1];
    const char *bad[] = {
        "multipart/form-data",                          /* no boundary */
        "multipart/form-data; boundary=",               /* empty */
        "multipart/form-data; boundary=\"\"",           /* empty, quoted */
        "multipart/form-data; boundary=\"abc ",         /* unterminated quote */
        "multipart/form-data; boundary=\"abc \"",       /* ends in a space */
        "multipart/form-data; boundary=a*b",            /* '*' is no bchar */
        "multipart/form-data; boundary=\"a\\\"b\"",     /* a quoted-pair is no bchar */
        "multipart/form-data; boundary=\"a\xc3\xa5\"",  /* non-ASCII */
        "multipart/form-data; boundary=a; boundary=b",  /* twice */
        "multipart/mixed; boundary=abc",                /* another type */
        "multipart/form-datax; boundary=abc",
        "text/plain; boundary=abc",
        "multipart/form-data boundary=abc",             /* no ';' */
        "multipart/form-data; boundary abc",            /* no '=' */
        "multipart/form-data; =abc",
        "",
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (multipart_boundary(bad[i], b) != PV_EINVAL)
            fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(multipart_boundary(NULL, b), PV_EINVAL);
}

/* ---- multipart_form_parse ------------------------------------------------------------- */

static int parse_ct(const char *ct, const char *body, size_t n, url_query *q,
                    multipart_error *why)
{
    int rc = multipart_form_parse(ct, body, n, q, why);
    if (rc != 0) {
        assert_int_equal(q->n, 0); /* q is empty after an error */
        assert_null(q->items);
    }
    return rc;
}

static int parse(const char *body, url_query *q, multipart_error *why)
{
    return parse_ct(CT, body, strlen(body), q, why);
}

/* Asserts that body is refused with the given reason and return code. */
static void refused(const char *body, size_t n, multipart_error expect)
{
    url_query q;
    multipart_error why = MULTIPART_OK;
    int rc = parse_ct(CT, body, n, &q, &why);
    if (rc == 0 || why != expect)
        fail_msg("body %.60s…: rc %d, reason %d, expected reason %d", body, rc, why, expect);
    assert_int_equal(rc, expect == MULTIPART_ELIMIT || expect == MULTIPART_EHEADER ? PV_ELIMIT
                                                                                   : PV_EINVAL);
}

/* refused() for a body without NUL bytes. */
static void refused_s(const char *body, multipart_error expect)
{
    refused(body, strlen(body), expect);
}

static void test_parse_browser_body(void **state)
{
    (void)state;
    /* As Chromium sends a form with a text field, a textarea with two lines, and a repeated
     * checkbox, in UTF-8. */
    const char *body = "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"csrf\"\r\n"
                       "\r\n"
                       "tok123\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"tekst\"\r\n"
                       "\r\n"
                       "Første linje\r\nAndre linje: æøå\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"tema\"\r\n"
                       "\r\n"
                       "trafikk\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"tema\"\r\n"
                       "\r\n"
                       "grøntområder\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"tom\"\r\n"
                       "\r\n"
                       "\r\n"
                       "--XyZ--\r\n";
    url_query q;
    multipart_error why = MULTIPART_ETYPE;
    assert_int_equal(parse(body, &q, &why), PV_OK);
    assert_int_equal(why, MULTIPART_OK);
    assert_int_equal(q.n, 5);
    assert_string_equal(url_query_get(&q, "csrf"), "tok123");
    assert_string_equal(url_query_get(&q, "tekst"), "Første linje\r\nAndre linje: æøå");
    assert_string_equal(q.items[2].value, "trafikk");
    assert_string_equal(q.items[3].key, "tema");
    assert_string_equal(q.items[3].value, "grøntområder");
    assert_string_equal(url_query_get(&q, "tom"), ""); /* an empty value */
    url_query_finish(&q);
    assert_int_equal(q.n, 0);
}

static void test_parse_header_variants(void **state)
{
    (void)state;
    url_query q;
    /* Header names in any case, text/plain with UTF-8, a transfer encoding that changes
     * nothing, an unknown header, a name not quoted, padding after a delimiter, a preamble
     * and an epilogue. */
    const char *body = "This is the preamble.\r\n"
                       "--XyZ  \r\n"
                       "content-disposition: FORM-DATA; name=a\r\n"
                       "Content-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n"
                       "X-Other: ignored\r\n"
                       "\r\n"
                       "1\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"b\\c\"\r\n" /* HTML: '\' kept */
                       "\r\n"
                       "2\r\n"
                       "--XyZ--\r\nepilogue, ignored\r\n--XyZ\r\nrubbish";
    assert_int_equal(parse(body, &q, NULL), PV_OK);
    assert_int_equal(q.n, 2);
    assert_string_equal(url_query_get(&q, "a"), "1");
    assert_string_equal(q.items[1].key, "b\\c");
    assert_string_equal(q.items[1].value, "2");
    url_query_finish(&q);

    /* No form at all: only the close delimiter. */
    assert_int_equal(parse("--XyZ--", &q, NULL), PV_OK);
    assert_int_equal(q.n, 0);
    url_query_finish(&q);
}

static void test_parse_quoted_boundary(void **state)
{
    (void)state;
    const char *ct = "multipart/form-data; boundary=\"gc0p4Jq0M2Yt08j34c0p: x\"";
    const char *body = "--gc0p4Jq0M2Yt08j34c0p: x\r\n"
                       "Content-Disposition: form-data; name=\"navn\"\r\n"
                       "\r\n"
                       "Kari\r\n"
                       "--gc0p4Jq0M2Yt08j34c0p: x--\r\n";
    url_query q;
    assert_int_equal(parse_ct(ct, body, strlen(body), &q, NULL), PV_OK);
    assert_int_equal(q.n, 1);
    assert_string_equal(url_query_get(&q, "navn"), "Kari");
    url_query_finish(&q);
    /* The boundary is case-sensitive. */
    const char *upper = "multipart/form-data; boundary=\"GC0P4JQ0M2YT08J34C0P: X\"";
    multipart_error why;
    assert_int_equal(parse_ct(upper, body, strlen(body), &q, &why), PV_EINVAL);
    assert_int_equal(why, MULTIPART_EBROKEN);
}

static void test_parse_boundary_inside_value(void **state)
{
    (void)state;
    /* The boundary text is data unless it starts a line as "--boundary" after CRLF. */
    const char *body = "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"v\"\r\n"
                       "\r\n"
                       "XyZ --XyZ\n--XyZ \r--XyZ--XyZ\r\n-XyZ\r\n"
                       "--XyZ--\r\n";
    url_query q;
    assert_int_equal(parse(body, &q, NULL), PV_OK);
    assert_int_equal(q.n, 1);
    assert_string_equal(url_query_get(&q, "v"), "XyZ --XyZ\n--XyZ \r--XyZ--XyZ\r\n-XyZ");
    url_query_finish(&q);

    /* A delimiter line followed by more text than padding is a broken body. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=\"v\"\r\n\r\n1\r\n--XyZabc\r\n"
              "--XyZ--\r\n",
              MULTIPART_EBROKEN);
}

static void test_parse_broken(void **state)
{
    (void)state;
    const char *broken[] = {
        "",                                                    /* nothing */
        "--XyZ",                                               /* delimiter, then nothing */
        "--Other\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--Other--\r\n",
        /* missing close delimiter */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1",
        /* the close delimiter not on its own line */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1--XyZ--\r\n",
        /* headers never end */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n",
        /* no Content-Disposition, or no name in it, or not form-data */
        "--XyZ\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name*=UTF-8''a\r\n\r\n1\r\n--XyZ--\r\n",
        /* two names, two dispositions, two content types */
        "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
        "Content-Disposition: form-data; name=b\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: text/plain\r\n"
        "Content-Type: text/plain\r\n\r\n1\r\n--XyZ--\r\n",
        /* malformed header lines and parameters */
        "--XyZ\r\nContent-Disposition form-data; name=a\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\n: form-data; name=a\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=\r\n\r\n1\r\n--XyZ--\r\n",
        "--XyZ\r\nContent-Disposition: form-data name=a\r\n\r\n1\r\n--XyZ--\r\n",
        /* a folded header line (obsolete) */
        "--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--XyZ--\r\n",
        /* a bare CR inside a header line */
        "--XyZ\r\nContent-Disposition: form-data; name=a\rb\r\n\r\n1\r\n--XyZ--\r\n",
        /* an encoding we do not decode */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n--XyZ--\r\n",
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(broken); i++)
        refused_s(broken[i], MULTIPART_EBROKEN);
}

/* LF-only line endings: RFC 2046 and RFC 7578 ask for CRLF and every browser sends it, so a
 * body with bare LF is refused as broken rather than guessed at. */
static void test_parse_lf_only(void **state)
{
    (void)state;
    refused_s("--XyZ\nContent-Disposition: form-data; name=a\n\n1\n--XyZ--\n",
              MULTIPART_EBROKEN);
    /* CRLF after the delimiter but LF between the headers. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\n\n1\r\n--XyZ--\r\n",
              MULTIPART_EBROKEN);
    /* A bare LF before the delimiter: the value never ends. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\n--XyZ--\n",
              MULTIPART_EBROKEN);
}

static void test_parse_wrong_type(void **state)
{
    (void)state;
    url_query q;
    multipart_error why;
    const char *body = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--\r\n";
    assert_int_equal(parse_ct("multipart/form-data", body, strlen(body), &q, &why), PV_EINVAL);
    assert_int_equal(why, MULTIPART_ETYPE);
    assert_int_equal(parse_ct("application/x-www-form-urlencoded", body, strlen(body), &q, &why),
                     PV_EINVAL);
    assert_int_equal(why, MULTIPART_ETYPE);
    assert_int_equal(parse_ct(NULL, body, strlen(body), &q, &why), PV_EINVAL);
    assert_int_equal(why, MULTIPART_ETYPE);
}

static void test_parse_file_refused(void **state)
{
    (void)state;
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=\"vedlegg\"; "
              "filename=\"brev.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
              "--XyZ--\r\n",
              MULTIPART_EFILE);
    /* An empty file input still names a filename. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=\"vedlegg\"; filename=\"\"\r\n"
              "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n",
              MULTIPART_EFILE);
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a; filename*=UTF-8''x.txt\r\n"
              "\r\nx\r\n--XyZ--\r\n",
              MULTIPART_EFILE);
    /* Not text, even without a filename. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
              "Content-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ--\r\n",
              MULTIPART_EFILE);
    /* A good field before the file part is not kept (q is empty). */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
              "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n2\r\n"
              "--XyZ--\r\n",
              MULTIPART_EFILE);
}

static void test_parse_utf8_and_nul(void **state)
{
    (void)state;
    /* Invalid UTF-8 in a value, in a name; an overlong form; a surrogate. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\xfe\r\n--XyZ--\r\n",
              MULTIPART_EUTF8);
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=\"\xc3(\"\r\n\r\n1\r\n--XyZ--\r\n",
              MULTIPART_EUTF8);
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xc0\xaf\r\n--XyZ--\r\n",
              MULTIPART_EUTF8);
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xed\xa0\x80\r\n--XyZ--\r\n",
              MULTIPART_EUTF8);
    /* A value cut in the middle of a character by the delimiter. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\xc3\r\n--XyZ--\r\n",
              MULTIPART_EUTF8);
    /* Another charset. */
    refused_s("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
              "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n\xe5\r\n--XyZ--\r\n",
              MULTIPART_EUTF8);

    /* A NUL byte in a value (length given, the body is binary). */
    static const char nul_value[] = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
                                    "x\0y\r\n--XyZ--\r\n";
    refused(nul_value, sizeof nul_value - 1, MULTIPART_EUTF8);
    /* A NUL byte in a header line. */
    static const char nul_header[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n"
                                     "\r\n1\r\n--XyZ--\r\n";
    refused(nul_header, sizeof nul_header - 1, MULTIPART_EBROKEN);
    /* A NUL in the epilogue is not read. */
    static const char nul_epilogue[] = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
                                       "1\r\n--XyZ--\r\n\0";
    url_query q;
    assert_int_equal(parse_ct(CT, nul_epilogue, sizeof nul_epilogue - 1, &q, NULL), PV_OK);
    assert_int_equal(q.n, 1);
    url_query_finish(&q);
}

/* Appends one part. */
static void add_part(buf *b, const char *name, const char *value, size_t vlen)
{
    buf_printf(b, "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n", name);
    buf_append(b, value, vlen);
    buf_puts(b, "\r\n");
}

static void test_parse_too_many_fields(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    for (int i = 0; i < FORM_MAX_FIELDS; i++)
        add_part(&b, "tema", "x", 1);
    buf_puts(&b, "--XyZ--\r\n");
    url_query q;
    assert_int_equal(parse_ct(CT, b.data, b.len, &q, NULL), PV_OK);
    assert_int_equal(q.n, FORM_MAX_FIELDS);
    url_query_finish(&q);
    buf_reset(&b);
    for (int i = 0; i <= FORM_MAX_FIELDS; i++)
        add_part(&b, "tema", "x", 1);
    buf_puts(&b, "--XyZ--\r\n");
    refused(b.data, b.len, MULTIPART_ELIMIT);
    buf_finish(&b);
}

static void test_parse_long_name_and_value(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    url_query q;
    char name[URL_MAX_KEY + 2];
    memset(name, 'k', URL_MAX_KEY);
    name[URL_MAX_KEY] = '\0';
    add_part(&b, name, "1", 1);
    buf_puts(&b, "--XyZ--\r\n");
    assert_int_equal(parse_ct(CT, b.data, b.len, &q, NULL), PV_OK);
    assert_int_equal(strlen(q.items[0].key), URL_MAX_KEY);
    url_query_finish(&q);
    buf_reset(&b);
    strcat(name, "k");
    add_part(&b, name, "1", 1);
    buf_puts(&b, "--XyZ--\r\n");
    refused(b.data, b.len, MULTIPART_ELIMIT);

    /* A value of FORM_MAX_VALUE bytes is fine, one more is not. */
    char *value = malloc(FORM_MAX_VALUE + 1);
    memset(value, 'v', FORM_MAX_VALUE + 1);
    buf_reset(&b);
    add_part(&b, "tekst", value, FORM_MAX_VALUE);
    buf_puts(&b, "--XyZ--\r\n");
    assert_int_equal(parse_ct(CT, b.data, b.len, &q, NULL), PV_OK);
    assert_int_equal(strlen(url_query_get(&q, "tekst")), FORM_MAX_VALUE);
    url_query_finish(&q);
    buf_reset(&b);
    add_part(&b, "a", "1", 1);
    add_part(&b, "tekst", value, FORM_MAX_VALUE + 1);
    buf_puts(&b, "--XyZ--\r\n");
    refused(b.data, b.len, MULTIPART_ELIMIT);
    free(value);
    buf_finish(&b);
}

static void test_parse_header_limits(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    url_query q;
    /* A header line of exactly MULTIPART_MAX_HEADER_LINE bytes is fine. */
    const char *start = "X-Pad: ";
    buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
    buf_puts(&b, start);
    for (size_t i = strlen(start); i < MULTIPART_MAX_HEADER_LINE; i++)
        buf_putc(&b, 'p');
    buf_puts(&b, "\r\n\r\n1\r\n--XyZ--\r\n");
    assert_int_equal(parse_ct(CT, b.data, b.len, &q, NULL), PV_OK);
    url_query_finish(&q);
    /* One byte more is too long, also when the line never ends. */
    buf_reset(&b);
    buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
    buf_puts(&b, start);
    for (size_t i = strlen(start); i <= MULTIPART_MAX_HEADER_LINE; i++)
        buf_putc(&b, 'p');
    size_t unended = b.len;
    buf_puts(&b, "\r\n\r\n1\r\n--XyZ--\r\n");
    refused(b.data, b.len, MULTIPART_EHEADER);
    refused(b.data, unended, MULTIPART_EHEADER);
    /* A long name inside the disposition line counts too. */
    buf_reset(&b);
    buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"");
    for (int i = 0; i < 2 * MULTIPART_MAX_HEADER_LINE; i++)
        buf_putc(&b, 'n');
    buf_puts(&b, "\"\r\n\r\n1\r\n--XyZ--\r\n");
    refused(b.data, b.len, MULTIPART_EHEADER);

    /* MULTIPART_MAX_HEADERS lines are fine, one more is not. */
    for (int extra = 0; extra <= 1; extra++) {
        buf_reset(&b);
        buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
        for (int i = 1; i < MULTIPART_MAX_HEADERS + extra; i++)
            buf_printf(&b, "X-Line-%d: %d\r\n", i, i);
        buf_puts(&b, "\r\n1\r\n--XyZ--\r\n");
        if (extra) {
            refused(b.data, b.len, MULTIPART_EHEADER);
        } else {
            assert_int_equal(parse_ct(CT, b.data, b.len, &q, NULL), PV_OK);
            url_query_finish(&q);
        }
    }
    buf_finish(&b);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary_good),
        cmocka_unit_test(test_boundary_bad),
        cmocka_unit_test(test_parse_browser_body),
        cmocka_unit_test(test_parse_header_variants),
        cmocka_unit_test(test_parse_quoted_boundary),
        cmocka_unit_test(test_parse_boundary_inside_value),
        cmocka_unit_test(test_parse_broken),
        cmocka_unit_test(test_parse_lf_only),
        cmocka_unit_test(test_parse_wrong_type),
        cmocka_unit_test(test_parse_file_refused),
        cmocka_unit_test(test_parse_utf8_and_nul),
        cmocka_unit_test(test_parse_too_many_fields),
        cmocka_unit_test(test_parse_long_name_and_value),
        cmocka_unit_test(test_parse_header_limits),
    };
    return cmocka_run_group_tests_name("multipart", tests, NULL, NULL) ? 1 : 0;
}
