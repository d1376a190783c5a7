/* /arbeid/brukere: the administrators' list of staff users, adding a user (who then gets a
 * one-time sign-in link to hand over), and per user: roles, disable/enable, unlock, a new
 * link. Also the helpers pages/admin.h shares with the log and account pages.
 * Layer: pages. The route table lets only admins in. Guard rails: an admin keeps their own
 * admin role and cannot disable themselves, and the last active admin stays (checked in the
 * store's transaction). A link is shown once in the reply and never stored: the store keeps
 * only its hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "core/utf8.h"
#include "domain/auth.h"
#include "domain/plan.h"
#include "pages/admin.h"
#include "pages/pages.h"
#include "store/measures.h"
#include "store/users.h"
#include "web/session.h"

/* ---------------------------------------------------------------- shared helpers */

const char *admin_field(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->form, name);
    if (!v && r->body)
        v = json_string_value(json_object_get(r->body, name));
    return v;
}

bool admin_flag(pv_req *r, const char *name)
{
    const char *v = url_query_get(&r->form, name);
    if (v)
        return strcmp(v, "0") != 0;
    return r->body && json_is_true(json_object_get(r->body, name));
}

static const struct {
    unsigned role;
    const char *label, *description;
} role_texts[ROLE_COUNT] = {
    {ROLE_ADMIN, N_("Administrator"), N_("brukere og innstillinger, og loggen")},
    {ROLE_RADGIVER, N_("Medvirkningsrådgiver"), N_("alle medvirkningsprosesser og rapporter, og loggen")},
    {ROLE_PLANLEGGER, N_("Planlegger"), N_("planer, mål, indikatorer og tiltak")},
    {ROLE_PROSESSEIER, N_("Prosesseier"), N_("medvirkningsprosessene de eier")},
    {ROLE_LESER, N_("Leser"), N_("leser de interne sidene")},
};

json_t *admin_role_options(pv_req *r, unsigned roles)
{
    json_t *out = json_array();
    for (size_t i = 0; i < PV_ARRAY_LEN(role_texts); i++)
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:b}", "value", auth_role_name(role_texts[i].role),
                           "label", T(r, role_texts[i].label), "description",
                           T(r, role_texts[i].description), "checked",
                           (roles & role_texts[i].role) != 0));
    return out;
}

json_t *admin_roles_label(pv_req *r, unsigned roles)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < PV_ARRAY_LEN(role_texts); i++) {
        if (!(roles & role_texts[i].role))
            continue;
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, T(r, role_texts[i].label));
    }
    json_t *v = json_string(buf_cstr(&b));
    buf_finish(&b);
    return v;
}

void admin_field_error(json_t *vm, const char *field, const char *anchor, const char *message)
{
    json_t *errors = json_object_get(vm, "errors");
    if (!errors) {
        errors = json_object();
        json_object_set_new(vm, "errors", errors);
        json_object_set_new(vm, "error_list", json_array());
    }
    if (json_object_get(errors, field))
        return; /* the first problem of a field is the one to fix */
    json_object_set_new(errors, field, json_string(message));
    buf href = BUF_INIT;
    buf_printf(&href, "#%s", anchor);
    json_array_append_new(json_object_get(vm, "error_list"),
                          json_pack("{s:s, s:s}", "href", buf_cstr(&href), "message", message));
    buf_finish(&href);
    json_object_set_new(vm, "has_errors", json_true());
}

json_t *admin_nav(pv_req *r, const char *current)
{
    json_t *here = json_object();
    json_object_set_new(here, current, json_true());
    unsigned roles = r->user ? r->user->roles : 0;
    return json_pack("{s:b, s:b, s:o}", "users", (roles & ROLE_ADMIN) != 0, "log",
                     (roles & (ROLE_ADMIN | ROLE_RADGIVER)) != 0, "current", here);
}

/* ---------------------------------------------------------------- reading the forms */

/* The roles of the form: every "roles" field (checkboxes), or a JSON array of names.
 * Returns false when a value names no role. */
static bool form_roles(pv_req *r, unsigned *roles)
{
    *roles = 0;
    for (size_t i = 0; i < r->form.n; i++) {
        if (strcmp(r->form.items[i].key, "roles") != 0)
            continue;
        unsigned bit = auth_role_parse(r->form.items[i].value);
        if (!bit)
            return false;
        *roles |= bit;
    }
    json_t *list = r->body ? json_object_get(r->body, "roles") : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        unsigned bit = json_is_string(v) ? auth_role_parse(json_string_value(v)) : 0;
        if (!bit)
            return false;
        *roles |= bit;
    }
    return list == NULL || json_is_array(list);
}

/* A plausible e-mail address: one '@' with text on both sides, a dot in the domain, no
 * spaces or control characters. */
static bool email_ok(const char *email)
{
    size_t n = strlen(email);
    const char *at = strchr(email, '@');
    if (n > USER_EMAIL_MAX || !at || at == email || strchr(at + 1, '@'))
        return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)email; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static bool blank(const char *s)
{
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

static int parse_id(pv_req *r, int64_t *id)
{
    long v;
    if (r->n_params < 1 || pv_parse_long(r->params[0], 1, 1L << 53, &v) != 0)
        return PV_EINVAL;
    *id = v;
    return PV_OK;
}

/* ---------------------------------------------------------------- one-time links */

static bool host_ok(const char *host)
{
    size_t n = host ? strlen(host) : 0;
    if (n == 0 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = host[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

/* The address users reach planverk at: $PLANVERK_BASE_URL when set (as for `planverk user
 * link`), else the scheme and Host of this request. */
static void base_url(pv_req *r, buf *out)
{
    const char *base = getenv("PLANVERK_BASE_URL");
    if (base && *base) {
        size_t n = strlen(base);
        buf_append(out, base, base[n - 1] == '/' ? n - 1 : n);
        return;
    }
    const char *host =
        evhttp_find_header(evhttp_request_get_input_headers(r->ev), "Host");
    buf_printf(out, "%s://%s", r->tls ? "https" : "http", host_ok(host) ? host : "localhost");
}

/* Makes a new link for the user and returns {url, expires} to show once, or NULL. */
static json_t *new_link(pv_req *r, int64_t user_id)
{
    char token[SECRET_TOKEN_CHARS + 1];
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token(token);
    secret_token_hash(token, hash);
    int64_t now = session_now();
    actor who = {r->user->id, r->user->email, r->address};
    if (store_link_create(r->w->db, &who, now, user_id, hash, now + ADMIN_LINK_SECONDS) != 0) {
        secret_wipe(token, sizeof token);
        return NULL;
    }
    buf url = BUF_INIT;
    base_url(r, &url);
    buf_printf(&url, "/logg-inn/lenke/%s", token);
    secret_wipe(token, sizeof token);
    char expires[32];
    page_format_time(now + ADMIN_LINK_SECONDS, expires, sizeof expires);
    json_t *link = json_pack("{s:s, s:s, s:I}", "url", buf_cstr(&url), "expires", expires,
                             "expires_at", (json_int_t)(now + ADMIN_LINK_SECONDS));
    secret_wipe(url.data, url.len);
    buf_finish(&url);
    return link;
}

/* ---------------------------------------------------------------- the list */

static const char *state_of(bool disabled, bool locked, bool has_password)
{
    return disabled ? "disabled" : locked ? "locked" : has_password ? "active" : "no_password";
}

static const char *state_label(pv_req *r, const char *state)
{
    if (strcmp(state, "disabled") == 0)
        return T(r, "Deaktivert");
    if (strcmp(state, "locked") == 0)
        return T(r, "Sperret etter mislykkede innlogginger");
    if (strcmp(state, "no_password") == 0)
        return T(r, "Har ikke valgt passord ennå");
    return T(r, "Aktiv");
}

/* Adds what the list shows to a row of store_users_list. */
static void user_summary(pv_req *r, json_t *u, int64_t now)
{
    unsigned roles = 0;
    size_t i;
    json_t *role;
    json_array_foreach(json_object_get(u, "roles"), i, role)
        roles |= auth_role_parse(json_string_value(role));
    const char *state =
        state_of(json_is_true(json_object_get(u, "disabled")),
                 json_integer_value(json_object_get(u, "locked_until")) > now,
                 json_is_true(json_object_get(u, "has_password")));
    int64_t id = json_integer_value(json_object_get(u, "id"));
    char url[64], created[32];
    snprintf(url, sizeof url, "/arbeid/brukere/%lld", (long long)id);
    page_format_time(json_integer_value(json_object_get(u, "created_at")), created,
                     sizeof created);
    json_object_set_new(u, "url", json_string(url));
    json_object_set_new(u, "roles_label", admin_roles_label(r, roles));
    json_object_set_new(u, "state", json_string(state));
    json_object_set_new(u, "state_label", json_string(state_label(r, state)));
    json_object_set_new(u, "created", json_string(created));
    json_object_set_new(u, "is_me", json_boolean(r->user && id == r->user->id));
}

/* The list page's view-model with the add form filled with email, name and roles. */
static int users_vm(pv_req *r, const char *email, const char *name, unsigned roles, json_t **vm)
{
    json_t *users = NULL;
    if (store_users_list(r->w->db, &users) != 0)
        return 500;
    int64_t now = session_now();
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
        user_summary(r, u, now);
    *vm = json_pack("{s:o, s:I, s:{s:s, s:s, s:o}, s:o}", "users", users, "count",
                    (json_int_t)json_array_size(users), "form", "email", email ? email : "",
                    "name", name ? name : "", "roles", admin_role_options(r, roles), "nav",
                    admin_nav(r, "users"));
    return 200;
}

int page_users(pv_req *r, json_t **vm)
{
    return users_vm(r, NULL, NULL, 0, vm);
}

int page_user_add(pv_req *r, json_t **vm)
{
    const char *email = admin_field(r, "email");
    const char *name = admin_field(r, "name");
    unsigned roles = 0;
    bool roles_known = form_roles(r, &roles);
    /* The form is shown again with what was typed (cut to the limits of its fields). */
    char email_kept[USER_EMAIL_MAX + 1], name_kept[USER_NAME_MAX + 1];
    snprintf(email_kept, sizeof email_kept, "%s", email ? email : "");
    snprintf(name_kept, sizeof name_kept, "%s", name ? name : "");
    int status = users_vm(r, email_kept, name_kept, roles, vm);
    if (status != 200)
        return status;

    if (blank(email))
        admin_field_error(*vm, "email", "user-email", T(r, "Skriv e-postadressen til brukeren."));
    else if (!email_ok(email))
        admin_field_error(*vm, "email", "user-email",
                          T(r, "Skriv en gyldig e-postadresse, for eksempel navn@moss.kommune.no."));
    if (blank(name))
        admin_field_error(*vm, "name", "user-name", T(r, "Skriv navnet til brukeren."));
    else if (strlen(name) > USER_NAME_MAX)
        admin_field_error(*vm, "name", "user-name", T(r, "Navnet er for langt."));
    if (!roles_known)
        admin_field_error(*vm, "roles", "user-role-admin", T(r, "En av rollene finnes ikke."));
    else if (!roles)
        admin_field_error(*vm, "roles", "user-role-admin", T(r, "Velg minst én rolle."));
    if (json_object_get(*vm, "errors")) {
        r->error = T(r, "Noen felt i skjemaet må rettes.");
        return 400;
    }

    int64_t id = 0;
    actor who = {r->user->id, r->user->email, r->address};
    int rc = store_user_add(r->w->db, &who, session_now(), email, name, roles, NULL, &id);
    if (rc == PV_ECONFLICT) {
        admin_field_error(*vm, "email", "user-email",
                          T(r, "Det finnes allerede en bruker med denne e-postadressen."));
        r->error = T(r, "Noen felt i skjemaet må rettes.");
        return 409;
    }
    json_t *link = rc == 0 ? new_link(r, id) : NULL;
    json_decref(*vm);
    *vm = NULL;
    if (!link)
        return 500;
    /* The list again, with the new user in it, an empty form, and the link shown once. */
    status = users_vm(r, NULL, NULL, 0, vm);
    if (status != 200) {
        json_decref(link);
        return status;
    }
    json_object_set_new(*vm, "created",
                        json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "email", email,
                                  "name", name, "link", link));
    return 200;
}

/* ---------------------------------------------------------------- one user */

static const char *done_message(pv_req *r)
{
    const char *done = url_query_get(&r->query, "endret");
    if (!done)
        return NULL;
    if (strcmp(done, "roller") == 0)
        return T(r, "Rollene er lagret.");
    if (strcmp(done, "deaktivert") == 0)
        return T(r, "Brukeren er deaktivert og logget ut overalt.");
    if (strcmp(done, "aktivert") == 0)
        return T(r, "Brukeren er aktivert igjen.");
    if (strcmp(done, "sperre") == 0)
        return T(r, "Sperren er opphevet. Brukeren kan logge inn igjen.");
    return NULL;
}

/* The unit checkboxes of a user: [{value, label, checked}], checked from chosen (an array of
 * ids) or, when NULL, from the units the user belongs to. */
static json_t *unit_options(pv_req *r, int64_t user_id, json_t *chosen)
{
    json_t *units = NULL, *mine = NULL, *out = json_array();
    if (store_units(r->w->db, &units) != 0 ||
        (!chosen && store_user_units(r->w->db, user_id, &mine) != 0)) {
        json_decref(units);
        return out;
    }
    size_t i, k;
    json_t *u, *m;
    json_array_foreach(units, i, u) {
        const char *id = json_string_value(json_object_get(u, "id"));
        bool checked = chosen && json_list_has(chosen, id);
        json_array_foreach(mine, k, m)
            checked |= strcmp(json_string_value(json_object_get(m, "id")), id) == 0;
        json_array_append_new(out, json_pack("{s:s, s:O, s:b}", "value", id, "label",
                                             json_object_get(u, "name"), "checked", checked));
    }
    json_decref(units);
    json_decref(mine);
    return out;
}

/* The view-model of one user (row), with the role checkboxes showing roles. */
static json_t *user_vm(pv_req *r, const user_row *u, unsigned roles)
{
    int64_t now = session_now();
    bool locked = auth_locked(&u->failures, now);
    const char *state = state_of(u->disabled, locked, u->password_hash[0] != '\0');
    char locked_until[32] = "", url[64], log_url[96];
    if (locked)
        page_format_time(u->failures.locked_until, locked_until, sizeof locked_until);
    snprintf(url, sizeof url, "/arbeid/brukere/%lld", (long long)u->id);
    snprintf(log_url, sizeof log_url, "/arbeid/logg?type=user&id=%lld", (long long)u->id);
    bool is_me = u->id == r->user->id;
    json_t *vm = json_pack(
        "{s:{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:b, s:b, s:s?, s:I, s:b}, s:o, s:s, s:o}",
        "user", "id", (json_int_t)u->id, "email", u->email, "name", u->name, "url", url,
        "roles_label", admin_roles_label(r, u->roles), "state", state, "state_label",
        state_label(r, state), "disabled", u->disabled, "locked", locked, "is_me", is_me,
        "locked_until", locked ? locked_until : NULL, "failures",
        (json_int_t)(u->failures.first_at && now - u->failures.first_at < AUTH_WINDOW_SECONDS
                         ? u->failures.count
                         : 0),
        "has_password", u->password_hash[0] != '\0', "roles", admin_role_options(r, roles),
        "log_url", log_url, "nav", admin_nav(r, "user"));
    json_object_set_new(vm, "units", unit_options(r, u->id, NULL));
    const char *message = done_message(r);
    if (message)
        json_object_set_new(vm, "message", json_string(message));
    return vm;
}

/* Loads the user of the path; 404 (with r->error) when there is none. */
static int load_user(pv_req *r, user_row *u)
{
    int64_t id;
    int rc = parse_id(r, &id) == 0 ? store_user_by_id(r->w->db, id, u) : PV_ENOTFOUND;
    if (rc == PV_ENOTFOUND) {
        r->error = T(r, "Brukeren finnes ikke.");
        return 404;
    }
    return rc == 0 ? 0 : 500;
}

int page_user(pv_req *r, json_t **vm)
{
    user_row u;
    int status = load_user(r, &u);
    if (status)
        return status;
    *vm = user_vm(r, &u, u.roles);
    return 200;
}

/* After a change: back to the user's page, which says what was done. The address lives in
 * the view-model, which the dispatcher frees only after the reply is sent. */
static int changed(pv_req *r, const user_row *u, const char *what, json_t **vm)
{
    char to[96];
    snprintf(to, sizeof to, "/arbeid/brukere/%lld?endret=%s", (long long)u->id, what);
    json_decref(*vm);
    *vm = json_pack("{s:s}", "location", to);
    r->location = json_string_value(json_object_get(*vm, "location"));
    return 303;
}

int page_user_roles(pv_req *r, json_t **vm)
{
    user_row u;
    int status = load_user(r, &u);
    if (status)
        return status;
    unsigned roles = 0;
    bool known = form_roles(r, &roles);
    *vm = user_vm(r, &u, roles);
    if (!known)
        admin_field_error(*vm, "roles", "role-admin", T(r, "En av rollene finnes ikke."));
    else if (!roles)
        admin_field_error(*vm, "roles", "role-admin", T(r, "Velg minst én rolle."));
    else if (u.id == r->user->id && (u.roles & ROLE_ADMIN) && !(roles & ROLE_ADMIN))
        admin_field_error(*vm, "roles", "role-admin",
                          T(r, "Du kan ikke fjerne din egen administratorrolle."));
    if (json_object_get(*vm, "errors")) {
        r->error = T(r, "Noen felt i skjemaet må rettes.");
        return 400;
    }
    actor who = {r->user->id, r->user->email, r->address};
    /* The form also sets the units the user belongs to (a member edits and reports the
     * unit's measures); a caller without the units field leaves them as they are. */
    json_t *unit_ids = NULL;
    if (url_query_get(&r->form, "units_form")) {
        unit_ids = json_array();
        for (size_t i = 0; i < r->form.n; i++)
            if (strcmp(r->form.items[i].key, "unit_ids") == 0)
                json_array_append_new(unit_ids, json_string(r->form.items[i].value));
        json_object_set_new(*vm, "units", unit_options(r, u.id, unit_ids));
    }
    json_t *unit_errors = json_array();
    int rc = unit_ids ? store_user_units_set(r->w->db, &who, session_now(), u.id, unit_ids,
                                             unit_errors)
                      : 0;
    json_decref(unit_ids);
    json_decref(unit_errors);
    if (rc == PV_EINVAL) {
        admin_field_error(*vm, "units", "unit-0", T(r, "Velg enheter fra listen."));
        r->error = T(r, "Noen felt i skjemaet må rettes.");
        return 400;
    }
    if (rc == 0)
        rc = store_user_set_roles_keep_admin(r->w->db, &who, session_now(), u.id, roles);
    if (rc == PV_ECONFLICT) {
        admin_field_error(*vm, "roles", "role-admin",
                          T(r, "Det må være minst én aktiv administrator."));
        r->error = T(r, "Det må være minst én aktiv administrator.");
        return 409;
    }
    if (rc != 0)
        return 500;
    return changed(r, &u, "roller", vm);
}

static int set_disabled(pv_req *r, json_t **vm, bool disabled)
{
    user_row u;
    int status = load_user(r, &u);
    if (status)
        return status;
    if (disabled && u.id == r->user->id) {
        *vm = user_vm(r, &u, u.roles);
        admin_field_error(*vm, "access", "tilgang", T(r, "Du kan ikke deaktivere deg selv."));
        r->error = T(r, "Du kan ikke deaktivere deg selv.");
        return 409;
    }
    actor who = {r->user->id, r->user->email, r->address};
    int rc = store_user_set_disabled_keep_admin(r->w->db, &who, session_now(), u.id, disabled);
    if (rc == PV_ECONFLICT) {
        *vm = user_vm(r, &u, u.roles);
        admin_field_error(*vm, "access", "tilgang",
                          T(r, "Det må være minst én aktiv administrator."));
        r->error = T(r, "Det må være minst én aktiv administrator.");
        return 409;
    }
    if (rc != 0)
        return 500;
    return changed(r, &u, disabled ? "deaktivert" : "aktivert", vm);
}

int page_user_disable(pv_req *r, json_t **vm)
{
    return set_disabled(r, vm, true);
}

int page_user_enable(pv_req *r, json_t **vm)
{
    return set_disabled(r, vm, false);
}

int page_user_unlock(pv_req *r, json_t **vm)
{
    user_row u;
    int status = load_user(r, &u);
    if (status)
        return status;
    actor who = {r->user->id, r->user->email, r->address};
    if (store_user_unlock(r->w->db, &who, session_now(), u.id) != 0)
        return 500;
    return changed(r, &u, "sperre", vm);
}

int page_user_link(pv_req *r, json_t **vm)
{
    user_row u;
    int status = load_user(r, &u);
    if (status)
        return status;
    *vm = user_vm(r, &u, u.roles);
    if (u.disabled) {
        admin_field_error(*vm, "access", "tilgang",
                          T(r, "Brukeren er deaktivert. Aktiver brukeren før du lager en innloggingslenke."));
        r->error = T(r, "Brukeren er deaktivert. Aktiver brukeren før du lager en innloggingslenke.");
        return 409;
    }
    json_t *link = new_link(r, u.id);
    if (!link)
        return 500;
    json_object_set_new(*vm, "link", link);
    return 200;
}
