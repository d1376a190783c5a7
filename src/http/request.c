/* Request and response helpers.
 * Layer: http. */
#include "http/request.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSP_HEAD "default-src 'self'; img-src 'self' data:"
#define CSP_TAIL                                                                          \
    "; style-src 'self'; script-src 'self'; font-src 'self'; connect-src 'self'; "         \
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
/* Written once before the event loops start (http_csp_allow_images), then only read. */
static char CSP[512] = CSP_HEAD CSP_TAIL;

int http_csp_allow_images(const char *origin)
{
    if (!origin || !*origin) {
        snprintf(CSP, sizeof CSP, "%s", CSP_HEAD CSP_TAIL);
        return 0;
    }
    if (strlen(origin) > 200)
        return -1;
    for (const char *p = origin; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == ':' || *p == '/'))
            return -1;
    size_t n = (size_t)snprintf(CSP, sizeof CSP, "%s %s%s", CSP_HEAD, origin, CSP_TAIL);
    return n < sizeof CSP ? 0 : -1;
}

void http_set_header(struct evhttp_request *req, const char *name, const char *value)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_remove_header(h, name);
    evhttp_add_header(h, name, value);
}

void http_add_security_headers(struct evhttp_request *req)
{
    http_set_header(req, "Content-Security-Policy", CSP);
    http_set_header(req, "X-Content-Type-Options", "nosniff");
    /* A page with a secret in its address (a receipt) has set a stricter policy already. */
    if (!evhttp_find_header(evhttp_request_get_output_headers(req), "Referrer-Policy"))
        http_set_header(req, "Referrer-Policy", "same-origin");
    http_set_header(req, "X-Frame-Options", "DENY");
    http_set_header(req, "Cross-Origin-Opener-Policy", "same-origin");
    http_set_header(req, "Permissions-Policy", "camera=(), microphone=(), payment=()");
}

bool http_cookie_get(struct evhttp_request *req, const char *name, char *out, size_t out_size)
{
    const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Cookie");
    size_t name_len = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        const char *end = strchr(h, ';');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        if (len > name_len && strncmp(h, name, name_len) == 0 && h[name_len] == '=') {
            size_t vlen = len - name_len - 1;
            if (vlen >= out_size)
                return false;
            memcpy(out, h + name_len + 1, vlen);
            out[vlen] = '\0';
            return true;
        }
        h = end;
    }
    return false;
}

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

/* What this thread sent last (the access log reads it once the request is done, when the
 * evhttp_request may be gone already). */
static _Thread_local struct {
    const struct evhttp_request *req;
    int status;
    size_t bytes;
} last_reply;

void http_last_reply_forget(void)
{
    last_reply.req = NULL;
}

bool http_last_reply(const struct evhttp_request *req, int *status, size_t *bytes)
{
    if (last_reply.req != req)
        return false;
    *status = last_reply.status;
    *bytes = last_reply.bytes;
    return true;
}

static void note_reply(const struct evhttp_request *req, int status, size_t bytes)
{
    last_reply.req = req;
    last_reply.status = status;
    last_reply.bytes = bytes;
}

void http_send(struct evhttp_request *req, int status, const char *content_type,
               const char *body, size_t len)
{
    note_reply(req, status, body ? len : 0);
    http_add_security_headers(req);
    if (content_type)
        http_set_header(req, "Content-Type", content_type);
    struct evbuffer *out = evbuffer_new();
    if (out && body && len)
        evbuffer_add(out, body, len);
    evhttp_send_reply(req, status, http_reason(status), out); /* out NULL: no body */
    if (out)
        evbuffer_free(out);
}

void http_send_buffer(struct evhttp_request *req, int status, struct evbuffer *out)
{
    note_reply(req, status, evbuffer_get_length(out));
    evhttp_send_reply(req, status, http_reason(status), out);
}

struct http_body {
    char *data;
    size_t len;
    unsigned refs;
};

http_body *http_body_create(char *data, size_t len)
{
    http_body *b = pv_malloc(sizeof *b);
    *b = (http_body){data, len, 1};
    return b;
}

http_body *http_body_retain(http_body *b)
{
    b->refs++;
    return b;
}

void http_body_release(http_body *b)
{
    if (b && --b->refs == 0) {
        free(b->data);
        free(b);
    }
}

const char *http_body_data(const http_body *b)
{
    return b->data;
}

size_t http_body_len(const http_body *b)
{
    return b->len;
}

/* Called by libevent when the bytes it referenced have been written (or dropped). */
static void release_after_write(const void *data, size_t len, void *arg)
{
    (void)data;
    (void)len;
    http_body_release(arg);
}

void http_send_shared(struct evhttp_request *req, int status, const char *content_type,
                      http_body *body)
{
    note_reply(req, status, body ? body->len : 0);
    http_add_security_headers(req);
    if (content_type)
        http_set_header(req, "Content-Type", content_type);
    struct evbuffer *out = evbuffer_new();
    if (body && body->len &&
        evbuffer_add_reference(out, body->data, body->len, release_after_write,
                               http_body_retain(body)) != 0)
        http_body_release(body); /* not added: drop the reference taken for it */
    evhttp_send_reply(req, status, http_reason(status), out);
    evbuffer_free(out);
}

const char *http_method_name(struct evhttp_request *req)
{
    switch (evhttp_request_get_command(req)) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_PATCH: return "PATCH";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    default: return NULL;
    }
}

unsigned long long http_hash(const char *data, size_t len)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* True when an If-None-Match header names etag: a list of tags, weak ("W/") or strong, or
 * "*" (RFC 9110 §13.1.2; weak comparison). */
bool http_etag_matches(const char *header, const char *etag)
{
    size_t n = strlen(etag);
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return true;
        p = strchr(p, ',');
    }
    return false;
}
