/* /arbeid/meg: the signed-in user's own account — who they are and with which roles, a new
 * password, and personal API tokens (create, list, revoke).
 * Layer: pages. The current password is verified and the new one hashed with Argon2id on
 * the worker pool (http/pool.h), never on the event loop. A wrong current password counts
 * as a failed sign-in for the account (throttled and locked alike). A new token is shown
 * once, in the reply that made it; only its SHA-256 is stored. Passwords and tokens never
 * reach the log or the audit trail. Changing the password or making tokens needs a browser
 * session: an API token cannot mint further tokens or change the password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "domain/auth.h"
#include "http/request.h"
#include "pages/admin.h"
#include "pages/pages.h"
#include "store/users.h"
#include "web/dispatch.h"
#include "web/session.h"

#define TOKEN_NAME_MAX 100

static const char *done_message(pv_req *r)
{
    const char *done = url_query_get(&r->query, "endret");
    if (!done)
        return NULL;
    if (strcmp(done, "passord") == 0)
        return T(r, "Passordet er byttet. Du er logget ut på alle andre enheter.");
    if (strcmp(done, "nokkel") == 0)
        return T(r, "Nøkkelen er trukket tilbake og virker ikke lenger.");
    return NULL;
}

/* Times of a token row as text; "–" where there is none. */
static void token_view(json_t *t)
{
    static const char *const times[][2] = {
        {"created_at", "created"}, {"last_used_at", "last_used"}, {"revoked_at", "revoked"}};
    for (size_t i = 0; i < PV_ARRAY_LEN(times); i++) {
        json_t *at = json_object_get(t, times[i][0]);
        if (!json_is_integer(at))
            continue;
        char text[32];
        page_format_time(json_integer_value(at), text, sizeof text);
        json_object_set_new(t, times[i][1], json_string(text));
    }
    char url[96];
    snprintf(url, sizeof url, "/arbeid/meg/nokler/%lld/trekk-tilbake",
             (long long)json_integer_value(json_object_get(t, "id")));
    json_object_set_new(t, "revoke_url", json_string(url));
    json_object_set_new(t, "active", json_boolean(!json_is_integer(json_object_get(t, "revoked_at"))));
}

/* The page's view-model; token_name and read_only refill the token form. NULL on a
 * database error. */
static json_t *account_vm(pv_req *r, const char *token_name, bool read_only)
{
    json_t *tokens = NULL;
    if (store_tokens_list(r->w->db, r->user->id, &tokens) != 0)
        return NULL;
    size_t i;
    json_t *t;
    json_array_foreach(tokens, i, t)
        token_view(t);
    json_t *vm = json_pack(
        "{s:{s:I, s:s, s:s, s:o, s:b}, s:o, s:b, s:{s:s, s:b}, s:o}", "account", "id",
        (json_int_t)r->user->id, "name", r->user->name, "email", r->user->email,
        "roles_label", admin_roles_label(r, r->user->roles), "via_token", r->user->via_token,
        "tokens", tokens, "has_tokens", json_array_size(tokens) > 0, "token_form", "name",
        token_name ? token_name : "", "read_only", read_only, "nav", admin_nav(r, "account"));
    const char *message = done_message(r);
    if (message)
        json_object_set_new(vm, "message", json_string(message));
    return vm;
}

int page_account(pv_req *r, json_t **vm)
{
    *vm = account_vm(r, NULL, false);
    return *vm ? 200 : 500;
}

/* A redirect to the account page saying what was done (the address lives in the
 * view-model, freed by the dispatcher after the reply). */
static int back_to_account(pv_req *r, const char *what, json_t **vm)
{
    char to[64];
    snprintf(to, sizeof to, "/arbeid/meg?endret=%s", what);
    json_decref(*vm);
    *vm = json_pack("{s:s}", "location", to);
    r->location = json_string_value(json_object_get(*vm, "location"));
    return 303;
}

static int needs_session(pv_req *r)
{
    r->error = T(r, "Dette kan du bare gjøre i nettleseren, ikke med en API-nøkkel.");
    return 403;
}

/* ---------------------------------------------------------------- password */

typedef struct password_job {
    pv_req *r;
    char stored[SECRET_PASSWORD_HASH_MAX];
    char current[SECRET_PASSWORD_MAX_BYTES + 1];
    char password[SECRET_PASSWORD_MAX_BYTES + 1];
    char hash[SECRET_PASSWORD_HASH_MAX];
    auth_failures failures;
    bool verified;
    int rc;
} password_job;

static void password_work(void *arg)
{
    password_job *j = arg;
    j->verified = j->stored[0] && secret_password_verify(j->stored, j->current);
    j->rc = j->verified ? secret_password_hash(j->password, j->hash) : PV_OK;
    secret_wipe(j->current, sizeof j->current);
    secret_wipe(j->password, sizeof j->password);
}

/* The form again with one error on one field; status is the answer's. */
static int password_error(pv_req *r, json_t **vm, const char *field, const char *anchor,
                          const char *message, int status)
{
    json_decref(*vm);
    *vm = account_vm(r, NULL, false);
    if (!*vm)
        return 500;
    admin_field_error(*vm, field, anchor, message);
    r->error = message;
    return status;
}

static void password_done(void *arg, int work_status)
{
    password_job *j = arg;
    pv_req *r = j->r;
    int64_t now = session_now();
    json_t *vm = NULL;
    int status;
    actor who = {r->user->id, r->user->email, r->address};
    if (work_status != PV_OK) {
        status = 500;
    } else if (!j->verified) {
        auth_record_failure(&j->failures, now, true);
        status = store_password_failed(r->w->db, &who, now, &j->failures) != 0
                     ? 500
                     : password_error(r, &vm, "current", "account-current",
                                      T(r, "Det nåværende passordet er feil."), 400);
    } else if (j->rc != 0) {
        status = 503;
    } else if (store_user_set_password(r->w->db, &who, now, r->user->id, j->hash,
                                       r->user->session_hash) != 0) {
        status = 500;
    } else {
        status = back_to_account(r, "passord", &vm);
    }
    secret_wipe(j, sizeof *j);
    free(j);
    web_finish(r, status, vm);
}

int page_account_password(pv_req *r, json_t **vm)
{
    if (r->user->via_token)
        return needs_session(r);
    const char *current = admin_field(r, "current");
    const char *password = admin_field(r, "password");
    const char *repeat = admin_field(r, "repeat");
    *vm = account_vm(r, NULL, false);
    if (!*vm)
        return 500;
    if (!current || !*current)
        admin_field_error(*vm, "current", "account-current",
                          T(r, "Skriv passordet du bruker nå."));
    const char *problem = !password || !*password ? N_("Skriv det nye passordet to ganger.")
                                                  : auth_password_problem(password);
    if (problem)
        admin_field_error(*vm, "password", "account-password", T(r, problem));
    else if (!repeat || strcmp(password, repeat) != 0)
        admin_field_error(*vm, "repeat", "account-repeat", T(r, "Passordene er ikke like."));
    if (json_object_get(*vm, "errors")) {
        r->error = T(r, "Noen felt i skjemaet må rettes.");
        return 400;
    }

    user_row me;
    if (store_user_by_id(r->w->db, r->user->id, &me) != 0)
        return 500;
    int64_t wait = auth_wait_seconds(&me.failures, session_now());
    if (wait > 0) { /* guessing the current password is throttled as signing in is */
        char seconds[32];
        snprintf(seconds, sizeof seconds, "%lld", (long long)wait);
        http_set_header(r->ev, "Retry-After", seconds);
        return password_error(r, vm, "current", "account-current",
                              T(r, "For mange mislykkede forsøk. Vent litt og prøv igjen, eller be en administrator om hjelp."),
                              429);
    }
    password_job *j = pv_calloc(1, sizeof *j);
    j->r = r;
    j->failures = me.failures;
    snprintf(j->stored, sizeof j->stored, "%s", me.password_hash);
    snprintf(j->current, sizeof j->current, "%s", current);
    snprintf(j->password, sizeof j->password, "%s", password);
    if (pool_submit(r->app->hash_pool, r->w->base, password_work, password_done, j) != 0) {
        secret_wipe(j, sizeof *j);
        free(j);
        return 503;
    }
    json_decref(*vm);
    *vm = NULL;
    return PV_DEFERRED;
}

/* ---------------------------------------------------------------- API tokens */

int page_token_create(pv_req *r, json_t **vm)
{
    if (r->user->via_token)
        return needs_session(r);
    const char *name = admin_field(r, "name");
    bool read_only = admin_flag(r, "read_only");
    char kept[TOKEN_NAME_MAX + 1];
    snprintf(kept, sizeof kept, "%s", name ? name : "");
    if (!name || !name[strspn(name, " \t\r\n")] || strlen(name) > TOKEN_NAME_MAX) {
        *vm = account_vm(r, kept, read_only);
        if (!*vm)
            return 500;
        admin_field_error(*vm, "name", "token-name",
                          !name || strlen(name) <= TOKEN_NAME_MAX
                              ? T(r, "Gi nøkkelen et navn, for eksempel hva den skal brukes til.")
                              : T(r, "Navnet er for langt."));
        r->error = T(r, "Noen felt i skjemaet må rettes.");
        return 400;
    }
    char token[SECRET_TOKEN_CHARS + 1];
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token(token);
    secret_token_hash(token, hash);
    int64_t id = 0;
    actor who = {r->user->id, r->user->email, r->address};
    if (store_token_create(r->w->db, &who, session_now(), name, read_only, hash, &id) != 0) {
        secret_wipe(token, sizeof token);
        return 500;
    }
    *vm = json_pack("{s:{s:I, s:s, s:b, s:s}, s:o}", "created", "id", (json_int_t)id, "name",
                    name, "read_only", read_only, "token", token, "nav",
                    admin_nav(r, "account"));
    secret_wipe(token, sizeof token);
    return 200;
}

int page_token_revoke(pv_req *r, json_t **vm)
{
    long id;
    actor who = {r->user->id, r->user->email, r->address};
    int rc = pv_parse_long(r->params[0], 1, 1L << 53, &id) != 0
                 ? PV_ENOTFOUND
                 : store_token_revoke(r->w->db, &who, session_now(), id);
    if (rc == PV_ENOTFOUND) {
        r->error = T(r, "Nøkkelen finnes ikke, eller den er alt trukket tilbake.");
        return 404;
    }
    if (rc != 0)
        return 500;
    return back_to_account(r, "nokkel", vm);
}
