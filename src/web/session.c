/* Sessions, tokens, client address and CSRF.
 * Layer: web. */
#include "web/session.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/secret.h"
#include "http/request.h"
#include "store/users.h"

int64_t session_now(void)
{
    return (int64_t)time(NULL);
}

static const char *header(pv_req *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

void session_client(pv_req *r)
{
    char *peer = NULL;
    ev_uint16_t port = 0;
    struct evhttp_connection *conn = evhttp_request_get_connection(r->ev);
    if (conn)
        evhttp_connection_get_peer(conn, &peer, &port);
    snprintf(r->address, sizeof r->address, "%s", peer ? peer : "");
    r->tls = false;
    if (!r->app->trusted_proxy || !peer || strcmp(peer, r->app->trusted_proxy) != 0)
        return;
    /* The proxy appends the address it saw last: that one, not what the client claimed. */
    const char *xff = header(r, "X-Forwarded-For");
    if (xff && *xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        size_t n = strcspn(last, " ");
        if (n > 0 && n < sizeof r->address)
            snprintf(r->address, sizeof r->address, "%.*s", (int)n, last);
    }
    const char *proto = header(r, "X-Forwarded-Proto");
    r->tls = proto && strcmp(proto, "https") == 0;
}

static int load_user(pv_req *r, int64_t id, pv_user *u)
{
    user_row row;
    int rc = store_user_by_id(r->w->db, id, &row);
    if (rc != 0)
        return rc;
    if (row.disabled)
        return PV_ENOTFOUND;
    u->id = row.id;
    snprintf(u->email, sizeof u->email, "%s", row.email);
    snprintf(u->name, sizeof u->name, "%s", row.name);
    u->roles = row.roles;
    return PV_OK;
}

/* Authorization: Bearer <token> — the API's personal tokens. */
static int identify_token(pv_req *r, const char *auth)
{
    const char *token = auth + strlen("Bearer ");
    if (!secret_token_shape(token))
        return 401;
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    int64_t user_id = 0;
    bool read_only = false;
    int rc = store_token_lookup(r->w->db, hash, session_now(), &user_id, &read_only);
    if (rc == PV_ENOTFOUND)
        return 401;
    if (rc != 0)
        return 500;
    pv_user *u = pv_calloc(1, sizeof *u);
    if (load_user(r, user_id, u) != 0) {
        free(u);
        return 401;
    }
    u->via_token = true;
    u->read_only = read_only;
    r->user = u;
    return 0;
}

static int identify_cookie(pv_req *r)
{
    char token[64];
    if (!http_cookie_get(r->ev, SESSION_COOKIE, token, sizeof token))
        return 0;
    if (!secret_token_shape(token)) {
        session_clear_cookie(r);
        return 0;
    }
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token_hash(token, hash);
    session_row s;
    int64_t now = session_now();
    int rc = store_session_get(r->w->db, hash, &s);
    if (rc == PV_ENOTFOUND || (rc == 0 && !auth_session_alive(s.created_at, s.last_seen_at, now))) {
        session_clear_cookie(r);
        return 0;
    }
    if (rc != 0)
        return 500;
    pv_user *u = pv_calloc(1, sizeof *u);
    if (load_user(r, s.user_id, u) != 0) {
        free(u);
        session_clear_cookie(r);
        return 0;
    }
    memcpy(u->session_hash, hash, sizeof hash);
    snprintf(u->csrf, sizeof u->csrf, "%s", s.csrf);
    r->user = u;
    if (now - s.last_seen_at >= AUTH_TOUCH_SECONDS && store_session_touch(r->w->db, hash, now) != 0)
        pv_warn("session: cannot record the last use");
    return 0;
}

int session_identify(pv_req *r)
{
    const char *auth = header(r, "Authorization");
    if (auth && strncmp(auth, "Bearer ", 7) == 0)
        return identify_token(r, auth);
    if (auth)
        return 401; /* Basic and the rest are not ours */
    return identify_cookie(r);
}

static const char *form_or_header_csrf(pv_req *r)
{
    const char *v = url_query_get(&r->form, "csrf");
    if (!v && r->body)
        v = json_string_value(json_object_get(r->body, "csrf"));
    return v ? v : header(r, "X-CSRF-Token");
}

static bool same_token(const char *a, const char *b)
{
    return a && b && strlen(a) == SECRET_TOKEN_CHARS && strlen(b) == SECRET_TOKEN_CHARS &&
           secret_equal(a, b, SECRET_TOKEN_CHARS);
}

bool session_csrf_ok(pv_req *r)
{
    return r->user && same_token(form_or_header_csrf(r), r->user->csrf);
}

bool session_pre_csrf_ok(pv_req *r)
{
    char cookie[64];
    return http_cookie_get(r->ev, PRE_CSRF_COOKIE, cookie, sizeof cookie) &&
           same_token(form_or_header_csrf(r), cookie);
}

const char *session_pre_csrf(pv_req *r)
{
    if (r->pre_csrf[0])
        return r->pre_csrf;
    char cookie[64];
    if (http_cookie_get(r->ev, PRE_CSRF_COOKIE, cookie, sizeof cookie) &&
        secret_token_shape(cookie)) {
        snprintf(r->pre_csrf, sizeof r->pre_csrf, "%s", cookie);
        return r->pre_csrf;
    }
    char token[SECRET_TOKEN_CHARS + 1];
    secret_token(token);
    snprintf(r->pre_csrf, sizeof r->pre_csrf, "%s", token);
    char value[160];
    snprintf(value, sizeof value, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", PRE_CSRF_COOKIE,
             token, r->tls ? "; Secure" : "");
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Set-Cookie", value);
    return r->pre_csrf;
}

void session_set_cookie(pv_req *r, const char *token)
{
    char value[200];
    snprintf(value, sizeof value, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
             SESSION_COOKIE, token, AUTH_ABSOLUTE_SECONDS, r->tls ? "; Secure" : "");
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Set-Cookie", value);
}

void session_clear_cookie(pv_req *r)
{
    char value[160];
    snprintf(value, sizeof value, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
             SESSION_COOKIE, r->tls ? "; Secure" : "");
    evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Set-Cookie", value);
}
