/* URL path and query decoding.
 * Layer: http. */
#include "http/urlcodec.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int url_decode(const char *s, size_t n, bool plus_is_space, buf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return PV_EINVAL;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return PV_EINVAL;
            buf_putc(out, (char)(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            buf_putc(out, ' ');
        } else {
            buf_putc(out, c);
        }
    }
    if (!utf8_valid(out->data ? out->data + start : "", out->len - start))
        return PV_EINVAL;
    return PV_OK;
}

typedef struct limits {
    size_t fields, value;
} limits;

static int add_param(url_query *q, const limits *lim, const char *k, size_t klen, const char *v,
                     size_t vlen)
{
    if (q->n >= lim->fields)
        return PV_ELIMIT;
    buf key = BUF_INIT, value = BUF_INIT;
    int rc = url_decode(k, klen, true, &key);
    if (rc == 0)
        rc = url_decode(v, vlen, true, &value);
    if (rc == 0 && (key.len > URL_MAX_KEY || value.len > lim->value))
        rc = PV_ELIMIT;
    if (rc != 0) {
        buf_finish(&key);
        buf_finish(&value);
        return rc;
    }
    q->items = pv_realloc(q->items, (q->n + 1) * sizeof *q->items);
    q->items[q->n].key = buf_steal(&key);
    q->items[q->n].value = buf_steal(&value);
    q->n++;
    return PV_OK;
}

static int parse(const char *s, size_t n, const limits *lim, url_query *q)
{
    q->items = NULL;
    q->n = 0;
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        if (end > i) {
            const char *eq = memchr(s + i, '=', end - i);
            size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
            const char *v = eq ? eq + 1 : s + end;
            size_t vlen = eq ? (size_t)(s + end - v) : 0;
            int rc = add_param(q, lim, s + i, klen, v, vlen);
            if (rc != 0) {
                url_query_finish(q);
                return rc;
            }
        }
        i = end + 1;
    }
    return PV_OK;
}

int url_query_parse(const char *s, size_t n, url_query *q)
{
    static const limits query = {URL_MAX_PARAMS, URL_MAX_VALUE};
    return parse(s, n, &query, q);
}

int url_form_parse(const char *s, size_t n, url_query *q)
{
    static const limits form = {FORM_MAX_FIELDS, FORM_MAX_VALUE};
    return parse(s, n, &form, q);
}

void url_query_finish(url_query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->items[i].key);
        free(q->items[i].value);
    }
    free(q->items);
    q->items = NULL;
    q->n = 0;
}

const char *url_query_get(const url_query *q, const char *key)
{
    for (size_t i = 0; i < q->n; i++)
        if (strcmp(q->items[i].key, key) == 0)
            return q->items[i].value;
    return NULL;
}

bool url_path_is_clean(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\'))
        return false;
    const char *seg = path + 1;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
        if ((len == 0 && slash) || (len == 1 && seg[0] == '.') ||
            (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return false;
        if (!slash)
            return true;
        seg = slash + 1;
    }
}
