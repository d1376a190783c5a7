/* libFuzzer target for the multipart/form-data parser. The input's first line (up to '\n')
 * is the Content-Type, the rest the body. Besides crashes and leaks it traps when a promise
 * of multipart.h is broken: a boundary read is 1-70 characters of RFC 2046; a parsed form
 * keeps its limits, every name and value is valid UTF-8 without NUL and every value is a
 * piece of the body; a refused body leaves q empty and says why, with the matching return
 * code; and a parsed form, written out again with the same boundary, parses to the same
 * fields (no value can hold a delimiter).
 * Layer: fuzz (http). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond))                                                                        \
            __builtin_trap();                                                               \
    } while (0)

static void check_boundary(const char *ct)
{
    char b[MULTIPART_MAX_BOUNDARY + 1];
    if (multipart_boundary(ct, b) != 0)
        return;
    size_t n = strlen(b);
    CHECK(n >= 1 && n <= MULTIPART_MAX_BOUNDARY && b[n - 1] != ' ');
    CHECK(strspn(b, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
          == n);
}

/* Writes q out again as a browser would, with the boundary of ct. */
static void reencode(const char *ct, const url_query *q, buf *out)
{
    char b[MULTIPART_MAX_BOUNDARY + 1];
    CHECK(multipart_boundary(ct, b) == 0);
    for (size_t i = 0; i < q->n; i++) {
        buf_printf(out, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n", b,
                   q->items[i].key);
        buf_puts(out, q->items[i].value);
        buf_puts(out, "\r\n");
    }
    buf_printf(out, "--%s--\r\n", b);
}

static void check_form(const char *ct, const char *body, size_t n)
{
    url_query q;
    multipart_error why = MULTIPART_OK;
    int rc = multipart_form_parse(ct, body, n, &q, &why);
    if (rc != 0) {
        CHECK(q.n == 0 && q.items == NULL);
        CHECK(why != MULTIPART_OK);
        bool limit = why == MULTIPART_ELIMIT || why == MULTIPART_EHEADER;
        CHECK(rc == (limit ? PV_ELIMIT : PV_EINVAL));
        return;
    }
    CHECK(why == MULTIPART_OK);
    CHECK(q.n <= FORM_MAX_FIELDS);
    for (size_t i = 0; i < q.n; i++) {
        size_t klen = strlen(q.items[i].key), vlen = strlen(q.items[i].value);
        CHECK(klen <= URL_MAX_KEY && vlen <= FORM_MAX_VALUE);
        CHECK(utf8_valid(q.items[i].key, klen) && utf8_valid(q.items[i].value, vlen));
        CHECK(vlen == 0 || memmem(body, n, q.items[i].value, vlen) != NULL);
    }
    buf again = BUF_INIT;
    reencode(ct, &q, &again);
    url_query q2;
    CHECK(multipart_form_parse(ct, again.data, again.len, &q2, NULL) == 0);
    CHECK(q2.n == q.n);
    for (size_t i = 0; i < q.n; i++) {
        CHECK(strcmp(q.items[i].key, q2.items[i].key) == 0);
        CHECK(strcmp(q.items[i].value, q2.items[i].value) == 0);
    }
    url_query_finish(&q2);
    buf_finish(&again);
    url_query_finish(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t ctlen = nl ? (size_t)(nl - s) : size;
    if (ctlen > 512)
        return 0; /* a short Content-Type: the time goes to bodies */
    char ct[513];
    memcpy(ct, s, ctlen);
    ct[ctlen] = '\0';
    if (strlen(ct) != ctlen)
        return 0; /* a NUL: not a header value */
    check_boundary(ct);
    const char *body = nl ? nl + 1 : s + size;
    check_form(ct, body, (size_t)(s + size - body));
    return 0;
}
