/* libFuzzer target for URL decoding: the input is decoded as a path ('+' kept) and as a form
 * value ('+' is a space), parsed as a query string, and its decoded form checked by the
 * clean-path rule. Besides crashes and leaks it traps when a promise of urlcodec.h is broken:
 * decoded text is valid UTF-8 without NUL, a parsed query keeps its limits, and a path called
 * clean has no "." or ".." segment, no empty segment and no backslash.
 * Layer: fuzz (http). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "http/urlcodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond))                                                                        \
            __builtin_trap();                                                               \
    } while (0)

/* The clean-path rule, written the other way round: every segment is looked at. */
static bool path_really_clean(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\'))
        return false;
    const char *seg = path + 1;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (end && len == 0)
            return false;
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (!end)
            return true;
        seg = end + 1;
    }
}

static void check_decode(const char *s, size_t n, bool plus_is_space)
{
    buf out = BUF_INIT;
    buf_puts(&out, "/"); /* decoding appends: what was there stays */
    if (url_decode(s, n, plus_is_space, &out) == 0) {
        CHECK(out.data[0] == '/');
        CHECK(out.len <= n + 1); /* decoding never grows the text */
        CHECK(utf8_valid(out.data + 1, out.len - 1));
        CHECK(strlen(out.data) == out.len); /* no NUL inside */
        bool clean = url_path_is_clean(out.data);
        CHECK(clean == path_really_clean(out.data));
        if (clean) {
            CHECK(!strstr(out.data, "/../") && !strstr(out.data, "/./"));
            CHECK(!strstr(out.data, "//"));
        }
    }
    buf_finish(&out);
}

static void check_query(const char *s, size_t n)
{
    url_query q;
    int rc = url_query_parse(s, n, &q);
    if (rc == 0) {
        CHECK(q.n <= URL_MAX_PARAMS);
        for (size_t i = 0; i < q.n; i++) {
            size_t klen = strlen(q.items[i].key), vlen = strlen(q.items[i].value);
            CHECK(klen <= URL_MAX_KEY && vlen <= URL_MAX_VALUE);
            CHECK(utf8_valid(q.items[i].key, klen) && utf8_valid(q.items[i].value, vlen));
            CHECK(url_query_get(&q, q.items[i].key) != NULL);
        }
    } else {
        CHECK(rc == PV_EINVAL || rc == PV_ELIMIT);
        CHECK(q.n == 0 && q.items == NULL);
    }
    url_query_finish(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_decode(s, size, false);
    check_decode(s, size, true);
    check_query(s, size);
    /* url_path_is_clean on the raw input too (as a C string, up to any NUL). */
    char *raw = malloc(size + 1);
    if (!raw)
        return 0;
    memcpy(raw, data, size);
    raw[size] = '\0';
    CHECK(url_path_is_clean(raw) == path_really_clean(raw));
    free(raw);
    return 0;
}
