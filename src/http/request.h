/* Small helpers over evhttp requests: headers every response carries, cookies, replies.
 * Layer: http. */
#ifndef PV_HTTP_REQUEST_H
#define PV_HTTP_REQUEST_H

#include <event2/http.h>

#include "core/buf.h"

/* Adds the security headers that every response carries: a Content-Security-Policy without
 * 'unsafe-inline', nosniff, Referrer-Policy, frame-ancestors 'none' and friends. */
void http_add_security_headers(struct evhttp_request *req);
/* Lets the CSP's img-src allow one more origin ("https://cache.kartverket.no": the map's
 * tile server) beside 'self' and data:; NULL or "" allows none. Call before the event loops
 * start. Returns -1 (and changes nothing) for an origin with characters an origin cannot
 * have. */
int http_csp_allow_images(const char *origin);

/* The value of cookie name from the Cookie header, copied into out (at most out_size-1
 * bytes); false when absent or too long. */
bool http_cookie_get(struct evhttp_request *req, const char *name, char *out, size_t out_size);

/* Sets a header on the response (replacing one with the same name). */
void http_set_header(struct evhttp_request *req, const char *name, const char *value);

/* Sends status with body (may be NULL) and Content-Type; security headers are added. */
void http_send(struct evhttp_request *req, int status, const char *content_type,
               const char *body, size_t len);

/* Sends status with the bytes of out (headers already set; the caller frees out). */
void http_send_buffer(struct evhttp_request *req, int status, struct evbuffer *out);

/* A response body that the page cache and the replies still being written share without
 * copying: it is freed when its last holder lets go. Reference counts are not atomic, so a
 * body belongs to one event loop. */
typedef struct http_body http_body;

/* Creates a body from data (taken over; free()d at the end) holding one reference. */
http_body *http_body_create(char *data, size_t len);
http_body *http_body_retain(http_body *b);
void http_body_release(http_body *b); /* accepts NULL */
const char *http_body_data(const http_body *b);
size_t http_body_len(const http_body *b);

/* As http_send, with a shared body that is written out without a copy (NULL: empty). */
void http_send_shared(struct evhttp_request *req, int status, const char *content_type,
                      http_body *body);

/* The status and body length of the reply this thread last sent, when it was to req (the
 * pointer is compared, never followed: req may have been freed since). */
bool http_last_reply(const struct evhttp_request *req, int *status, size_t *bytes);
/* Forgets it: call before a new request is handled (its evhttp_request may have the address
 * of one that was answered and freed). */
void http_last_reply_forget(void);

/* A reason phrase for the status line. */
const char *http_reason(int status);

/* The request method as text ("GET"), or NULL for one we do not serve. HEAD is "HEAD". */
const char *http_method_name(struct evhttp_request *req);

/* True when an If-None-Match header value (may be NULL) names etag: one of a list of
 * tags, weak or strong, or "*". */
bool http_etag_matches(const char *if_none_match, const char *etag);

/* 64-bit FNV-1a hash, for ETags. */
unsigned long long http_hash(const char *data, size_t len);

#endif
