/* Who is behind a request: a staff member's session cookie (pv_session) or, on the API,
 * a personal token (Authorization: Bearer). Also the client's address, the CSRF checks, and
 * the cookies that carry a session. The token in a cookie or header is never stored or
 * logged: only its SHA-256 is looked up (core/secret.h).
 * Layer: web. */
#ifndef PV_WEB_SESSION_H
#define PV_WEB_SESSION_H

#include "web/app.h"

#define SESSION_COOKIE "pv_session"
#define PRE_CSRF_COOKIE "pv_pre"

/* Sets r->address and r->tls from the connection, believing X-Forwarded-For and
 * X-Forwarded-Proto only from the configured proxy. */
void session_client(pv_req *r);

/* Sets r->user from a valid token or session (else leaves it NULL). A dead or unknown
 * session cookie is cleared in the response. Returns 0, or an HTTP status (401 for a
 * malformed or unknown Bearer token, 500). */
int session_identify(pv_req *r);

/* True when a state-changing request from a session carries its CSRF token (form field
 * "csrf" or header X-CSRF-Token). */
bool session_csrf_ok(pv_req *r);
/* True when a pre-session form carries the token of its pv_pre cookie. */
bool session_pre_csrf_ok(pv_req *r);
/* The pre-session CSRF token of this browser, set as a cookie when it has none yet. */
const char *session_pre_csrf(pv_req *r);

/* Starts a session cookie holding token (a fresh secret_token). */
void session_set_cookie(pv_req *r, const char *token);
void session_clear_cookie(pv_req *r);

/* The current Unix time (the one clock of the web layer). */
int64_t session_now(void);

#endif
