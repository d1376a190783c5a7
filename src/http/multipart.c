/* multipart/form-data parsing: the Content-Type boundary, the framing of parts (RFC 2046
 * delimiters on CRLF lines, a preamble and an epilogue ignored), part headers with limits,
 * and the fields handed over in a url_query like the urlencoded parser's.
 * Layer: http. The body is not NUL-terminated: every scan is bounded by its end. */
#include "http/multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"

typedef struct span {
    const char *s;
    size_t n;
} span;

static bool span_is(span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && strncasecmp(a.s, lit, n) == 0;
}

static const char *skip_ows(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* RFC 9110 tchar: the characters of a token (header and parameter names). */
static bool is_tchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars: what a boundary may be made of (a space, but not at the end). */
static bool is_bchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* The media type or disposition type at the start of a header value: up to ';' or space. */
static span leading_type(const char **p, const char *end)
{
    const char *s = skip_ows(*p, end), *t = s;
    while (t < end && *t != ';' && *t != ' ' && *t != '\t')
        t++;
    *p = t;
    return (span){s, (size_t)(t - s)};
}

typedef struct param {
    span name, value;
} param;

/* Reads the next parameter, *( OWS ";" OWS name "=" value ), from *p. A quoted value ends at
 * the next '"' without backslash escapes: browsers percent-encode '"' in field names (HTML
 * form encoding), and a backslash in a name is a backslash. Returns 1 with *out set, 0 at the
 * end, -1 when malformed. */
static int next_param(const char **p, const char *end, param *out)
{
    const char *s = skip_ows(*p, end);
    if (s == end)
        return 0;
    if (*s != ';')
        return -1;
    s = skip_ows(s + 1, end);
    if (s == end)
        return 0; /* a trailing ';' */
    const char *name = s;
    while (s < end && is_tchar(*s))
        s++;
    if (s == name || s == end || *s != '=')
        return -1;
    out->name = (span){name, (size_t)(s - name)};
    s++;
    if (s < end && *s == '"') {
        const char *v = ++s;
        while (s < end && *s != '"')
            s++;
        if (s == end)
            return -1;
        out->value = (span){v, (size_t)(s - v)};
        s++;
    } else {
        const char *v = s;
        while (s < end && *s != ';' && *s != '"' && (unsigned char)*s > 0x20 && *s != 0x7f)
            s++;
        if (s == v)
            return -1;
        out->value = (span){v, (size_t)(s - v)};
    }
    *p = s;
    return 1;
}

int multipart_boundary(const char *content_type, char out[MULTIPART_MAX_BOUNDARY + 1])
{
    if (!content_type)
        return PV_EINVAL;
    const char *p = content_type, *end = content_type + strlen(content_type);
    if (!span_is(leading_type(&p, end), "multipart/form-data"))
        return PV_EINVAL;
    bool found = false;
    param prm;
    int more;
    while ((more = next_param(&p, end, &prm)) == 1) {
        if (!span_is(prm.name, "boundary"))
            continue;
        span v = prm.value;
        if (found || v.n == 0 || v.n > MULTIPART_MAX_BOUNDARY || v.s[v.n - 1] == ' ')
            return PV_EINVAL;
        for (size_t i = 0; i < v.n; i++)
            if (!is_bchar(v.s[i]))
                return PV_EINVAL;
        memcpy(out, v.s, v.n);
        out[v.n] = '\0';
        found = true;
    }
    return more == 0 && found ? PV_OK : PV_EINVAL;
}

/* What the headers of one part said. */
typedef struct part {
    span name;
    bool have_name, have_disposition, have_type;
} part;

static multipart_error read_disposition(const char *p, const char *end, part *pt)
{
    if (pt->have_disposition)
        return MULTIPART_EBROKEN;
    pt->have_disposition = true;
    if (!span_is(leading_type(&p, end), "form-data"))
        return MULTIPART_EBROKEN;
    param prm;
    int more;
    while ((more = next_param(&p, end, &prm)) == 1) {
        if (span_is(prm.name, "filename") || span_is(prm.name, "filename*"))
            return MULTIPART_EFILE;
        if (span_is(prm.name, "name")) {
            if (pt->have_name)
                return MULTIPART_EBROKEN;
            pt->name = prm.value;
            pt->have_name = true;
        }
    }
    return more == 0 ? MULTIPART_OK : MULTIPART_EBROKEN;
}

static multipart_error read_content_type(const char *p, const char *end, part *pt)
{
    if (pt->have_type)
        return MULTIPART_EBROKEN;
    pt->have_type = true;
    if (!span_is(leading_type(&p, end), "text/plain"))
        return MULTIPART_EFILE; /* anything but text is a file, whatever it is called */
    param prm;
    int more;
    while ((more = next_param(&p, end, &prm)) == 1)
        if (span_is(prm.name, "charset") && !span_is(prm.value, "utf-8") &&
            !span_is(prm.value, "us-ascii"))
            return MULTIPART_EUTF8;
    return more == 0 ? MULTIPART_OK : MULTIPART_EBROKEN;
}

/* One header line (without its CRLF): "Name: value". Unknown headers are ignored. */
static multipart_error read_header(const char *p, const char *end, part *pt)
{
    for (const char *c = p; c < end; c++)
        if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
            return MULTIPART_EBROKEN; /* bare CR or LF, NUL, other controls */
    const char *name = p;
    while (p < end && is_tchar(*p))
        p++;
    if (p == name || p == end || *p != ':')
        return MULTIPART_EBROKEN; /* also a folded line, which starts with a space */
    span hn = {name, (size_t)(p - name)};
    p = skip_ows(p + 1, end);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (span_is(hn, "Content-Disposition"))
        return read_disposition(p, end, pt);
    if (span_is(hn, "Content-Type"))
        return read_content_type(p, end, pt);
    if (span_is(hn, "Content-Transfer-Encoding")) {
        span v = {p, (size_t)(end - p)};
        return span_is(v, "7bit") || span_is(v, "8bit") || span_is(v, "binary")
                   ? MULTIPART_OK
                   : MULTIPART_EBROKEN;
    }
    return MULTIPART_OK;
}

/* Reads the header lines of a part from *p up to and including the empty line. */
static multipart_error read_headers(const char **p, const char *end, part *pt)
{
    const char *s = *p;
    for (int lines = 0;; lines++) {
        size_t room = (size_t)(end - s);
        size_t look = room < MULTIPART_MAX_HEADER_LINE + 2 ? room : MULTIPART_MAX_HEADER_LINE + 2;
        const char *eol = memmem(s, look, "\r\n", 2);
        if (!eol)
            return room > MULTIPART_MAX_HEADER_LINE ? MULTIPART_EHEADER : MULTIPART_EBROKEN;
        if (eol == s)
            break;
        if (lines >= MULTIPART_MAX_HEADERS)
            return MULTIPART_EHEADER;
        multipart_error e = read_header(s, eol, pt);
        if (e != MULTIPART_OK)
            return e;
        s = eol + 2;
    }
    *p = s + 2;
    return pt->have_name ? MULTIPART_OK : MULTIPART_EBROKEN;
}

static multipart_error add_field(url_query *q, span name, const char *value, size_t vlen)
{
    if (q->n >= FORM_MAX_FIELDS || name.n > URL_MAX_KEY || vlen > FORM_MAX_VALUE)
        return MULTIPART_ELIMIT;
    if (!utf8_valid(name.s, name.n) || !utf8_valid(value, vlen))
        return MULTIPART_EUTF8;
    q->items = pv_realloc(q->items, (q->n + 1) * sizeof *q->items);
    q->items[q->n].key = pv_strndup(name.s, name.n);
    q->items[q->n].value = pv_strndup(value, vlen);
    q->n++;
    return MULTIPART_OK;
}

/* The parts of body[0..n) between delimiters "CRLF--boundary" (the first may open the
 * body). */
static multipart_error parse_parts(const char *boundary, const char *body, size_t n,
                                   url_query *q)
{
    char needle[MULTIPART_MAX_BOUNDARY + 5];
    size_t nlen = (size_t)snprintf(needle, sizeof needle, "\r\n--%s", boundary);
    const char *end = body + n, *p;
    if (n >= nlen - 2 && memcmp(body, needle + 2, nlen - 2) == 0) {
        p = body + nlen - 2;
    } else {
        const char *first = memmem(body, n, needle, nlen);
        if (!first)
            return MULTIPART_EBROKEN;
        p = first + nlen;
    }
    for (;;) {
        /* Just after a delimiter: "--" closes, else optional padding and CRLF. */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return MULTIPART_OK;
        p = skip_ows(p, end);
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return MULTIPART_EBROKEN;
        p += 2;
        part pt = {0};
        multipart_error e = read_headers(&p, end, &pt);
        if (e != MULTIPART_OK)
            return e;
        const char *next = memmem(p, (size_t)(end - p), needle, nlen);
        if (!next)
            return MULTIPART_EBROKEN; /* no closing delimiter */
        e = add_field(q, pt.name, p, (size_t)(next - p));
        if (e != MULTIPART_OK)
            return e;
        p = next + nlen;
    }
}

int multipart_form_parse(const char *content_type, const char *body, size_t n, url_query *q,
                         multipart_error *why)
{
    q->items = NULL;
    q->n = 0;
    char boundary[MULTIPART_MAX_BOUNDARY + 1];
    multipart_error e = MULTIPART_ETYPE;
    if (multipart_boundary(content_type, boundary) == 0)
        e = parse_parts(boundary, body ? body : "", body ? n : 0, q);
    if (why)
        *why = e;
    if (e == MULTIPART_OK)
        return PV_OK;
    url_query_finish(q);
    return e == MULTIPART_ELIMIT || e == MULTIPART_EHEADER ? PV_ELIMIT : PV_EINVAL;
}
