/* Signing in and out: /logg-inn (e-mail and password), /logg-ut, and the one-time links
 * /logg-inn/lenke/{token} with which a new user sets a password.
 * Layer: pages. Passwords are checked and hashed on the worker pool (Argon2id takes a
 * fraction of a second); the event loop only sees the result. Failed sign-ins are counted
 * per account and per address and slow down and lock as domain/auth.h says; each is an
 * audit event. A password never reaches the log, the audit trail or a view-model. */
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
#include "core/utf8.h"
#include "domain/auth.h"
#include "http/request.h"
#include "pages/pages.h"
#include "store/users.h"
#include "web/dispatch.h"
#include "web/session.h"

/* A local path to go to after signing in ("/arbeid/…"), or the workspace. */
static const char *next_page(pv_req *r)
{
    const char *to = url_query_get(&r->form, "til");
    if (!to)
        to = url_query_get(&r->query, "til");
    if (!to || to[0] != '/' || to[1] == '/' || to[1] == '\\' || strchr(to, '\r') ||
        strchr(to, '\n') || strlen(to) > 512)
        return "/arbeid";
    return to;
}

static json_t *form_vm(pv_req *r, const char *email, const char *error)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:b}", "pre_csrf", session_pre_csrf(r), "til",
                     next_page(r), "email", email ? email : "", "error", error,
                     "signed_out", url_query_get(&r->query, "utlogget") != NULL);
}

int page_signin_form(pv_req *r, json_t **vm)
{
    if (r->user) {
        r->location = next_page(r);
        return 303;
    }
    *vm = form_vm(r, NULL, NULL);
    return 200;
}

/* ---------------------------------------------------------------- sign-in */

typedef struct signin_job {
    pv_req *r;
    char email[USER_EMAIL_MAX + 1];
    char password[SECRET_PASSWORD_MAX_BYTES + 1];
    char hash[SECRET_PASSWORD_HASH_MAX]; /* the user's, or the dummy */
    user_row user;
    bool user_found;
    bool verified;
    auth_failures by_address;
} signin_job;

static void signin_work(void *arg)
{
    signin_job *j = arg;
    j->verified = secret_password_verify(j->hash, j->password);
    secret_wipe(j->password, sizeof j->password);
}

static const char *failure_reason(const signin_job *j)
{
    if (!j->user_found)
        return "no such user";
    if (j->user.disabled)
        return "disabled";
    if (!j->user.password_hash[0])
        return "no password set";
    return "wrong password";
}

static void signin_done(void *arg, int status)
{
    signin_job *j = arg;
    pv_req *r = j->r;
    if (status != PV_OK) {
        secret_wipe(j, sizeof *j);
        free(j);
        web_finish(r, 500, NULL);
        return;
    }
    int64_t now = session_now();
    bool ok = j->verified && j->user_found && !j->user.disabled && j->user.password_hash[0];
    if (ok) {
        char token[SECRET_TOKEN_CHARS + 1], csrf[SECRET_TOKEN_CHARS + 1];
        secret_token(token);
        secret_token(csrf);
        uint8_t hash[SECRET_HASH_BYTES];
        secret_token_hash(token, hash);
        actor who = {j->user.id, j->user.email, r->address};
        if (store_signin_ok(r->w->db, &who, now, hash, csrf) != 0) {
            secret_wipe(token, sizeof token);
            free(j);
            web_finish(r, 500, NULL);
            return;
        }
        session_set_cookie(r, token);
        secret_wipe(token, sizeof token);
        r->location = next_page(r);
        free(j);
        web_finish(r, 303, NULL);
        return;
    }
    auth_failures account = j->user.failures;
    if (j->user_found)
        auth_record_failure(&account, now, true);
    auth_record_failure(&j->by_address, now, false);
    actor who = {j->user_found ? j->user.id : 0, j->email, r->address};
    int rc = store_signin_failed(r->w->db, &who, now, j->user_found ? j->user.id : 0, &account,
                                 r->address, &j->by_address, failure_reason(j));
    json_t *vm = rc == 0 ? form_vm(r, j->email, T(r, "Feil e-post eller passord.")) : NULL;
    free(j);
    web_finish(r, rc == 0 ? 200 : 500, vm);
}

/* Refuses an attempt while the address or the account must wait; returns 0 to go on. */
static int throttled(pv_req *r, signin_job *j, json_t **vm)
{
    int64_t now = session_now();
    int64_t wait = auth_wait_seconds(&j->by_address, now);
    if (j->user_found && auth_wait_seconds(&j->user.failures, now) > wait)
        wait = auth_wait_seconds(&j->user.failures, now);
    if (wait <= 0)
        return 0;
    /* Still an audit event, but not another failure: the password was not even tried. */
    actor who = {j->user_found ? j->user.id : 0, j->email, r->address};
    auth_failures account = j->user.failures;
    if (store_signin_failed(r->w->db, &who, now, j->user_found ? j->user.id : 0, &account,
                            r->address, &j->by_address,
                            auth_locked(&j->user.failures, now) ? "locked" : "throttled") != 0)
        return 500;
    char seconds[32];
    snprintf(seconds, sizeof seconds, "%lld", (long long)wait);
    http_set_header(r->ev, "Retry-After", seconds);
    *vm = form_vm(r, j->email, T(r, "For mange mislykkede forsøk. Vent litt og prøv igjen, eller be en administrator om hjelp."));
    return 429;
}

int page_signin(pv_req *r, json_t **vm)
{
    const char *email = url_query_get(&r->form, "email");
    const char *password = url_query_get(&r->form, "password");
    if (!email || !*email || !password || !*password || strlen(email) > USER_EMAIL_MAX ||
        strlen(password) > SECRET_PASSWORD_MAX_BYTES) {
        *vm = form_vm(r, email && strlen(email) <= USER_EMAIL_MAX ? email : "",
                      T(r, "Skriv inn e-postadressen og passordet ditt."));
        return 400;
    }
    signin_job *j = pv_calloc(1, sizeof *j);
    j->r = r;
    snprintf(j->email, sizeof j->email, "%s", email);
    snprintf(j->password, sizeof j->password, "%s", password);
    int rc = store_user_by_email(r->w->db, email, &j->user);
    j->user_found = rc == 0;
    if ((rc != 0 && rc != PV_ENOTFOUND) ||
        store_address_failures(r->w->db, r->address, &j->by_address) != 0) {
        free(j);
        return 500;
    }
    int status = throttled(r, j, vm);
    if (status != 0) {
        secret_wipe(j, sizeof *j);
        free(j);
        return status;
    }
    snprintf(j->hash, sizeof j->hash, "%s",
             j->user_found && j->user.password_hash[0] ? j->user.password_hash
                                                       : r->app->dummy_hash);
    if (pool_submit(r->app->hash_pool, r->w->base, signin_work, signin_done, j) != 0) {
        secret_wipe(j, sizeof *j);
        free(j);
        return 503;
    }
    return PV_DEFERRED;
}

int page_signout(pv_req *r, json_t **vm)
{
    (void)vm;
    if (!r->user->via_token) {
        actor who = {r->user->id, r->user->email, r->address};
        if (store_session_end(r->w->db, &who, session_now(), r->user->session_hash) != 0)
            return 500;
        session_clear_cookie(r);
    }
    r->location = "/logg-inn?utlogget=1";
    return 303;
}

/* ---------------------------------------------------------------- one-time links */

typedef struct link_job {
    pv_req *r;
    int64_t user_id;
    char email[USER_EMAIL_MAX + 1];
    uint8_t link_hash[SECRET_HASH_BYTES];
    char password[SECRET_PASSWORD_MAX_BYTES + 1];
    char hash[SECRET_PASSWORD_HASH_MAX];
    int rc;
} link_job;

/* The user of the link in the path, or 0 when it is malformed, used or expired. */
static int64_t link_owner(pv_req *r, uint8_t hash[SECRET_HASH_BYTES], user_row *user)
{
    const char *token = r->params[0];
    int64_t user_id = 0;
    if (!secret_token_shape(token))
        return 0;
    secret_token_hash(token, hash);
    if (store_link_user(r->w->db, hash, session_now(), &user_id) != 0 ||
        store_user_by_id(r->w->db, user_id, user) != 0 || user->disabled)
        return 0;
    return user_id;
}

static json_t *link_vm(pv_req *r, const user_row *user, const char *error)
{
    return json_pack("{s:s, s:s, s:s?, s:b}", "pre_csrf", session_pre_csrf(r), "name",
                     user ? user->name : "", "error", error, "valid", user != NULL);
}

int page_link_form(pv_req *r, json_t **vm)
{
    uint8_t hash[SECRET_HASH_BYTES];
    user_row user;
    bool valid = link_owner(r, hash, &user) != 0;
    *vm = link_vm(r, valid ? &user : NULL, NULL);
    return valid ? 200 : 404;
}

static void link_work(void *arg)
{
    link_job *j = arg;
    j->rc = secret_password_hash(j->password, j->hash);
    secret_wipe(j->password, sizeof j->password);
}

static void link_done(void *arg, int status)
{
    link_job *j = arg;
    pv_req *r = j->r;
    if (status != PV_OK) {
        secret_wipe(j, sizeof *j);
        free(j);
        web_finish(r, 500, NULL);
        return;
    }
    if (j->rc != 0) {
        free(j);
        web_finish(r, 503, NULL);
        return;
    }
    char token[SECRET_TOKEN_CHARS + 1], csrf[SECRET_TOKEN_CHARS + 1];
    secret_token(token);
    secret_token(csrf);
    uint8_t session_hash[SECRET_HASH_BYTES];
    secret_token_hash(token, session_hash);
    actor who = {j->user_id, j->email, r->address};
    int rc = store_link_redeem(r->w->db, &who, session_now(), j->link_hash, j->hash,
                               session_hash, csrf);
    secret_wipe(j, sizeof *j);
    free(j);
    if (rc == PV_ENOTFOUND) { /* used meanwhile by another request */
        web_finish(r, 404, link_vm(r, NULL, NULL));
        return;
    }
    if (rc != 0) {
        web_finish(r, 500, NULL);
        return;
    }
    session_set_cookie(r, token);
    secret_wipe(token, sizeof token);
    r->location = "/arbeid";
    web_finish(r, 303, NULL);
}

int page_link(pv_req *r, json_t **vm)
{
    user_row user;
    link_job *j = pv_calloc(1, sizeof *j);
    j->r = r;
    j->user_id = link_owner(r, j->link_hash, &user);
    if (!j->user_id) {
        free(j);
        *vm = link_vm(r, NULL, NULL);
        return 404;
    }
    const char *password = url_query_get(&r->form, "password");
    const char *repeat = url_query_get(&r->form, "repeat");
    const char *problem = !password || !repeat ? N_("Skriv det nye passordet to ganger.")
                          : strcmp(password, repeat) != 0 ? N_("Passordene er ikke like.")
                                                          : auth_password_problem(password);
    if (problem) {
        free(j);
        *vm = link_vm(r, &user, T(r, problem));
        return 400;
    }
    snprintf(j->email, sizeof j->email, "%s", user.email);
    snprintf(j->password, sizeof j->password, "%s", password);
    if (pool_submit(r->app->hash_pool, r->w->base, link_work, link_done, j) != 0) {
        secret_wipe(j, sizeof *j);
        free(j);
        return 503;
    }
    return PV_DEFERRED;
}
