/* Users, sessions, sign-in links, throttling and API tokens.
 * Layer: store. Each public function that writes runs one transaction that includes its
 * audit event (store/audit.h). */
#include "store/users.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- users */

static const char SQL_USER_COLUMNS[] =
    "SELECT id, email, name, coalesce(password_hash, ''), disabled, failures,"
    " failures_first_at, failures_last_at, locked_until,"
    " (SELECT group_concat(role, ',') FROM user_role r WHERE r.user_id = user.id)"
    " FROM user WHERE id = ?1";
static const char SQL_USER_BY_EMAIL[] =
    "SELECT id, email, name, coalesce(password_hash, ''), disabled, failures,"
    " failures_first_at, failures_last_at, locked_until,"
    " (SELECT group_concat(role, ',') FROM user_role r WHERE r.user_id = user.id)"
    " FROM user WHERE email = ?1";
static const char SQL_USERS_LIST[] =
    "SELECT u.id, u.email, u.name, u.disabled, u.locked_until, u.password_hash IS NOT NULL,"
    " u.created_at, (SELECT json_group_array(role) FROM (SELECT role FROM user_role r"
    "   WHERE r.user_id = u.id ORDER BY role))"
    " FROM user u ORDER BY u.name COLLATE nb, u.email";
static const char SQL_ACTIVE_ADMINS[] =
    "SELECT count(*) FROM user u JOIN user_role r ON r.user_id = u.id"
    " WHERE r.role = 'admin' AND u.disabled = 0";
static const char SQL_USER_INSERT[] =
    "INSERT INTO user (email, name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_ROLES_CLEAR[] = "DELETE FROM user_role WHERE user_id = ?1";
static const char SQL_ROLE_ADD[] = "INSERT INTO user_role (user_id, role) VALUES (?1, ?2)";
static const char SQL_SET_DISABLED[] = "UPDATE user SET disabled = ?2 WHERE id = ?1";
static const char SQL_SET_PASSWORD[] = "UPDATE user SET password_hash = ?2 WHERE id = ?1";
static const char SQL_SET_FAILURES[] =
    "UPDATE user SET failures = ?2, failures_first_at = ?3, failures_last_at = ?4,"
    " locked_until = ?5 WHERE id = ?1";
static const char SQL_SESSIONS_END_USER[] =
    "DELETE FROM session WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)";

static void copy_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", v ? v : "");
}

static int read_user(sqlite3_stmt *st, user_row *out)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    }
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    copy_text(out->email, sizeof out->email, st, 1);
    copy_text(out->name, sizeof out->name, st, 2);
    copy_text(out->password_hash, sizeof out->password_hash, st, 3);
    out->disabled = sqlite3_column_int(st, 4) != 0;
    out->failures = (auth_failures){sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
                                    sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8)};
    const char *roles = (const char *)sqlite3_column_text(st, 9);
    if (roles && auth_roles_parse(roles, &out->roles) != 0)
        out->roles = 0;
    sqlite3_reset(st);
    return PV_OK;
}

int store_user_by_email(store *s, const char *email, user_row *out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_USER_BY_EMAIL);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, email);
    return read_user(st, out);
}

int store_user_by_id(store *s, int64_t id, user_row *out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_USER_COLUMNS);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, id);
    return read_user(st, out);
}

int store_users_list(store *s, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_USERS_LIST);
    static const char *const names[] = {"id", "email", "name", "disabled", "locked_until",
                                         "has_password", "created_at", "roles"};
    int rc = st ? store_collect_rows_json(s, st, names, 8, 7, out) : PV_EDB;
    if (rc == 0) {
        size_t i;
        json_t *u;
        json_array_foreach(*out, i, u) { /* SQLite booleans are integers */
            json_object_set_new(u, "disabled",
                                json_boolean(json_integer_value(json_object_get(u, "disabled"))));
            json_object_set_new(
                u, "has_password",
                json_boolean(json_integer_value(json_object_get(u, "has_password"))));
        }
    }
    return rc;
}

int store_active_admins(store *s, int64_t *count)
{
    sqlite3_stmt *st = store_prepare(s, SQL_ACTIVE_ADMINS);
    if (!st)
        return PV_EDB;
    int rc = sqlite3_step(st) == SQLITE_ROW ? PV_OK : PV_EDB;
    *count = rc == 0 ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc;
}

/* Runs a prepared, bound statement to completion. */
static int done(sqlite3_stmt *st)
{
    int rc = st && sqlite3_step(st) == SQLITE_DONE ? PV_OK : PV_EDB;
    if (st)
        sqlite3_reset(st);
    return rc;
}

static int write_roles(store *s, int64_t id, unsigned roles)
{
    sqlite3_stmt *st = store_prepare(s, SQL_ROLES_CLEAR);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    int rc = done(st);
    for (unsigned bit = 1; rc == 0 && bit <= ROLE_ALL; bit <<= 1) {
        if (!(roles & bit))
            continue;
        st = store_prepare(s, SQL_ROLE_ADD);
        if (st) {
            sqlite3_bind_int64(st, 1, id);
            store_bind_text(st, 2, auth_role_name(bit));
        }
        rc = done(st);
    }
    return rc;
}

static json_t *roles_json(unsigned roles)
{
    buf b = BUF_INIT;
    auth_roles_format(roles, &b);
    json_t *v = json_string(buf_cstr(&b));
    buf_finish(&b);
    return v;
}

/* Commits when rc is 0, else rolls back; returns rc (or PV_EDB when the commit fails). */
static int finish(store *s, int rc)
{
    if (rc == 0)
        return store_commit(s);
    store_rollback(s);
    return rc;
}

static int audit_user(store *s, const actor *who, int64_t now, const char *action, int64_t id,
                      json_t *changes)
{
    char object_id[32];
    snprintf(object_id, sizeof object_id, "%lld", (long long)id);
    int rc = store_audit_append(s, who, now, action, "user", object_id, changes);
    json_decref(changes);
    return rc;
}

int store_user_add(store *s, const actor *who, int64_t now, const char *email,
                   const char *name, unsigned roles, const char *password_hash, int64_t *id)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_USER_INSERT);
    if (!st)
        return finish(s, PV_EDB);
    store_bind_text(st, 1, email);
    store_bind_text(st, 2, name);
    store_bind_text(st, 3, password_hash);
    sqlite3_bind_int64(st, 4, now);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_CONSTRAINT)
        return finish(s, PV_ECONFLICT);
    if (step != SQLITE_DONE)
        return finish(s, PV_EDB);
    *id = sqlite3_last_insert_rowid(store_handle(s));
    int rc = write_roles(s, *id, roles);
    if (rc == 0)
        rc = audit_user(s, who, now, "user.add", *id,
                        json_pack("{s:[ns], s:[ns], s:[no], s:[nb]}", "email", email, "name",
                                  name, "roles", roles_json(roles), "password",
                                  password_hash != NULL));
    return finish(s, rc);
}

/* The change of roles with its audit event, inside the caller's transaction. */
static int set_roles(store *s, const actor *who, int64_t now, int64_t id, unsigned roles)
{
    user_row before;
    int rc = store_user_by_id(s, id, &before);
    if (rc == 0)
        rc = write_roles(s, id, roles);
    if (rc == 0)
        rc = audit_user(s, who, now, "user.roles", id,
                        json_pack("{s:[oo]}", "roles", roles_json(before.roles), roles_json(roles)));
    return rc;
}

int store_user_set_roles(store *s, const actor *who, int64_t now, int64_t id, unsigned roles)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    return finish(s, set_roles(s, who, now, id, roles));
}

static int end_sessions(store *s, int64_t id, const uint8_t *keep)
{
    sqlite3_stmt *st = store_prepare(s, SQL_SESSIONS_END_USER);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        if (keep)
            sqlite3_bind_blob(st, 2, keep, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 2);
    }
    return done(st);
}

/* Disabling or enabling with its audit event, inside the caller's transaction. */
static int set_disabled(store *s, const actor *who, int64_t now, int64_t id, bool disabled)
{
    user_row before;
    int rc = store_user_by_id(s, id, &before);
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_SET_DISABLED) : NULL;
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, disabled);
        rc = done(st);
    } else if (rc == 0) {
        rc = PV_EDB;
    }
    if (rc == 0 && disabled)
        rc = end_sessions(s, id, NULL);
    if (rc == 0)
        rc = audit_user(s, who, now, disabled ? "user.disable" : "user.enable", id,
                        json_pack("{s:[bb]}", "disabled", before.disabled, disabled));
    return rc;
}

int store_user_set_disabled(store *s, const actor *who, int64_t now, int64_t id, bool disabled)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    return finish(s, set_disabled(s, who, now, id, disabled));
}

/* PV_ECONFLICT when no user is an active admin (checked inside the transaction that made a
 * change, so that it is undone). */
static int an_admin_remains(store *s, int rc)
{
    int64_t admins = 0;
    if (rc == 0)
        rc = store_active_admins(s, &admins);
    return rc == 0 && admins < 1 ? PV_ECONFLICT : rc;
}

int store_user_set_roles_keep_admin(store *s, const actor *who, int64_t now, int64_t id,
                                    unsigned roles)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    return finish(s, an_admin_remains(s, set_roles(s, who, now, id, roles)));
}

int store_user_set_disabled_keep_admin(store *s, const actor *who, int64_t now, int64_t id,
                                       bool disabled)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    return finish(s, an_admin_remains(s, set_disabled(s, who, now, id, disabled)));
}

int store_user_set_password(store *s, const actor *who, int64_t now, int64_t id,
                            const char *password_hash, const uint8_t keep[SECRET_HASH_BYTES])
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_SET_PASSWORD);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        store_bind_text(st, 2, password_hash);
    }
    int rc = done(st);
    if (rc == 0 && sqlite3_changes(store_handle(s)) == 0)
        rc = PV_ENOTFOUND;
    if (rc == 0)
        rc = end_sessions(s, id, keep);
    if (rc == 0) /* the audit trail says that it changed, never what to */
        rc = audit_user(s, who, now, "user.password", id,
                        json_pack("{s:[ss]}", "password", "…", "changed"));
    return finish(s, rc);
}

static int save_failures(store *s, int64_t id, const auth_failures *f)
{
    sqlite3_stmt *st = store_prepare(s, SQL_SET_FAILURES);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, f->count);
        sqlite3_bind_int64(st, 3, f->first_at);
        sqlite3_bind_int64(st, 4, f->last_at);
        sqlite3_bind_int64(st, 5, f->locked_until);
    }
    return done(st);
}

int store_user_unlock(store *s, const actor *who, int64_t now, int64_t id)
{
    user_row before;
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = store_user_by_id(s, id, &before);
    if (rc == 0)
        rc = save_failures(s, id, &(auth_failures){0});
    if (rc == 0)
        rc = audit_user(s, who, now, "user.unlock", id,
                        json_pack("{s:[II], s:[II]}", "locked_until",
                                  (json_int_t)before.failures.locked_until, (json_int_t)0,
                                  "failures", (json_int_t)before.failures.count, (json_int_t)0));
    return finish(s, rc);
}

/* ---------------------------------------------------------------- sign-in */

static const char SQL_THROTTLE_GET[] =
    "SELECT failures, first_at, last_at FROM throttle WHERE address = ?1";
static const char SQL_THROTTLE_SET[] =
    "INSERT INTO throttle (address, failures, first_at, last_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT(address) DO UPDATE SET failures = excluded.failures,"
    " first_at = excluded.first_at, last_at = excluded.last_at";
static const char SQL_SESSION_INSERT[] =
    "INSERT INTO session (token_hash, user_id, csrf, created_at, last_seen_at, address)"
    " VALUES (?1, ?2, ?3, ?4, ?4, ?5)";
/* Sessions past their absolute lifetime are cleared whenever someone signs in. */
static const char SQL_SESSIONS_PURGE[] =
    "DELETE FROM session WHERE created_at < ?1 OR last_seen_at < ?2";

int store_address_failures(store *s, const char *address, auth_failures *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_prepare(s, SQL_THROTTLE_GET);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, address ? address : "");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (auth_failures){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                               sqlite3_column_int64(st, 2), 0};
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

static int save_address_failures(store *s, const char *address, const auth_failures *f)
{
    sqlite3_stmt *st = store_prepare(s, SQL_THROTTLE_SET);
    if (st) {
        store_bind_text(st, 1, address ? address : "");
        sqlite3_bind_int64(st, 2, f->count);
        sqlite3_bind_int64(st, 3, f->first_at);
        sqlite3_bind_int64(st, 4, f->last_at);
    }
    return done(st);
}

int store_signin_failed(store *s, const actor *who, int64_t now, int64_t user_id,
                        const auth_failures *account, const char *address,
                        const auth_failures *by_address, const char *reason)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = user_id ? save_failures(s, user_id, account) : PV_OK;
    if (rc == 0)
        rc = save_address_failures(s, address, by_address);
    if (rc == 0) {
        char object_id[32];
        snprintf(object_id, sizeof object_id, "%lld", (long long)user_id);
        json_t *changes = json_pack("{s:[ns], s:[nI]}", "reason", reason, "failures",
                                    (json_int_t)(user_id ? account->count : by_address->count));
        rc = store_audit_append(s, who, now, "signin.failed", user_id ? "user" : NULL,
                                user_id ? object_id : NULL, changes);
        json_decref(changes);
    }
    return finish(s, rc);
}

int store_password_failed(store *s, const actor *who, int64_t now, const auth_failures *account)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = save_failures(s, who->user_id, account);
    if (rc == 0)
        rc = audit_user(s, who, now, "user.password_failed", who->user_id,
                        json_pack("{s:[nI]}", "failures", (json_int_t)account->count));
    return finish(s, rc);
}

static int insert_session(store *s, int64_t user_id, int64_t now, const char *address,
                          const uint8_t hash[SECRET_HASH_BYTES], const char *csrf)
{
    sqlite3_stmt *st = store_prepare(s, SQL_SESSIONS_PURGE);
    if (st) {
        sqlite3_bind_int64(st, 1, now - AUTH_ABSOLUTE_SECONDS);
        sqlite3_bind_int64(st, 2, now - AUTH_IDLE_SECONDS);
    }
    int rc = done(st);
    st = rc == 0 ? store_prepare(s, SQL_SESSION_INSERT) : NULL;
    if (st) {
        sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, user_id);
        store_bind_text(st, 3, csrf);
        sqlite3_bind_int64(st, 4, now);
        store_bind_text(st, 5, address);
    }
    return rc == 0 ? done(st) : rc;
}

int store_signin_ok(store *s, const actor *who, int64_t now,
                    const uint8_t session_hash[SECRET_HASH_BYTES], const char *csrf)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = insert_session(s, who->user_id, now, who->address, session_hash, csrf);
    if (rc == 0)
        rc = save_failures(s, who->user_id, &(auth_failures){0});
    if (rc == 0)
        rc = audit_user(s, who, now, "signin.ok", who->user_id, NULL);
    return finish(s, rc);
}

/* ---------------------------------------------------------------- sessions */

static const char SQL_SESSION_GET[] =
    "SELECT user_id, csrf, created_at, last_seen_at FROM session WHERE token_hash = ?1";
static const char SQL_SESSION_TOUCH[] =
    "UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM session WHERE token_hash = ?1";

int store_session_get(store *s, const uint8_t hash[SECRET_HASH_BYTES], session_row *out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_SESSION_GET);
    if (!st)
        return PV_EDB;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->user_id = sqlite3_column_int64(st, 0);
        copy_text(out->csrf, sizeof out->csrf, st, 1);
        out->created_at = sqlite3_column_int64(st, 2);
        out->last_seen_at = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

int store_session_touch(store *s, const uint8_t hash[SECRET_HASH_BYTES], int64_t now)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_SESSION_TOUCH);
    if (st) {
        sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, now);
    }
    return finish(s, done(st));
}

int store_session_end(store *s, const actor *who, int64_t now,
                      const uint8_t hash[SECRET_HASH_BYTES])
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_SESSION_DELETE);
    if (st)
        sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
    int rc = done(st);
    if (rc == 0)
        rc = audit_user(s, who, now, "signout", who->user_id, NULL);
    return finish(s, rc);
}

/* ---------------------------------------------------------------- links */

static const char SQL_LINK_INSERT[] =
    "INSERT INTO signin_link (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_LINK_GET[] =
    "SELECT user_id FROM signin_link WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2";
static const char SQL_LINK_USE[] =
    "UPDATE signin_link SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL";

int store_link_create(store *s, const actor *who, int64_t now, int64_t user_id,
                      const uint8_t hash[SECRET_HASH_BYTES], int64_t expires_at)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_LINK_INSERT);
    if (st) {
        sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, user_id);
        sqlite3_bind_int64(st, 3, now);
        sqlite3_bind_int64(st, 4, expires_at);
    }
    int rc = done(st);
    if (rc == 0)
        rc = audit_user(s, who, now, "user.link", user_id,
                        json_pack("{s:[nI]}", "expires_at", (json_int_t)expires_at));
    return finish(s, rc);
}

int store_link_user(store *s, const uint8_t hash[SECRET_HASH_BYTES], int64_t now,
                    int64_t *user_id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LINK_GET);
    if (!st)
        return PV_EDB;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *user_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

int store_link_redeem(store *s, const actor *who, int64_t now,
                      const uint8_t link_hash[SECRET_HASH_BYTES], const char *password_hash,
                      const uint8_t session_hash[SECRET_HASH_BYTES], const char *csrf)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int64_t user_id = 0;
    int rc = store_link_user(s, link_hash, now, &user_id);
    if (rc == 0 && user_id != who->user_id)
        rc = PV_ENOTFOUND;
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_LINK_USE) : NULL;
    if (st) {
        sqlite3_bind_blob(st, 1, link_hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, now);
        rc = done(st);
    }
    if (rc == 0 && (st = store_prepare(s, SQL_SET_PASSWORD)) != NULL) {
        sqlite3_bind_int64(st, 1, user_id);
        store_bind_text(st, 2, password_hash);
        rc = done(st);
    }
    if (rc == 0)
        rc = end_sessions(s, user_id, NULL);
    if (rc == 0)
        rc = insert_session(s, user_id, now, who->address, session_hash, csrf);
    if (rc == 0)
        rc = save_failures(s, user_id, &(auth_failures){0});
    if (rc == 0)
        rc = audit_user(s, who, now, "user.password", user_id,
                        json_pack("{s:[ss]}", "password", "…", "set with a sign-in link"));
    return finish(s, rc);
}

/* ---------------------------------------------------------------- API tokens */

static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_token (user_id, name, token_hash, read_only, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TOKENS_LIST[] =
    "SELECT id, name, read_only, created_at, last_used_at, revoked_at FROM api_token"
    " WHERE user_id = ?1 ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_token SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL";
static const char SQL_TOKEN_GET[] =
    "SELECT t.id, t.user_id, t.read_only, coalesce(t.last_used_at, 0) FROM api_token t"
    " JOIN user u ON u.id = t.user_id WHERE t.token_hash = ?1 AND t.revoked_at IS NULL"
    " AND u.disabled = 0";
static const char SQL_TOKEN_USED[] = "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1";

int store_token_create(store *s, const actor *who, int64_t now, const char *name,
                       bool read_only, const uint8_t hash[SECRET_HASH_BYTES], int64_t *id)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_TOKEN_INSERT);
    if (st) {
        sqlite3_bind_int64(st, 1, who->user_id);
        store_bind_text(st, 2, name);
        sqlite3_bind_blob(st, 3, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, read_only);
        sqlite3_bind_int64(st, 5, now);
    }
    int rc = done(st);
    if (rc == 0) {
        *id = sqlite3_last_insert_rowid(store_handle(s));
        char object_id[32];
        snprintf(object_id, sizeof object_id, "%lld", (long long)*id);
        json_t *changes = json_pack("{s:[ns], s:[nb]}", "name", name, "read_only", read_only);
        rc = store_audit_append(s, who, now, "token.create", "api_token", object_id, changes);
        json_decref(changes);
    }
    return finish(s, rc);
}

int store_tokens_list(store *s, int64_t user_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_TOKENS_LIST);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    static const char *const names[] = {"id", "name", "read_only", "created_at",
                                         "last_used_at", "revoked_at"};
    int rc = store_collect_rows(s, st, names, 6, out);
    if (rc == 0) {
        size_t i;
        json_t *t;
        json_array_foreach(*out, i, t)
            json_object_set_new(t, "read_only",
                                json_boolean(json_integer_value(json_object_get(t, "read_only"))));
    }
    return rc;
}

int store_token_revoke(store *s, const actor *who, int64_t now, int64_t token_id)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_TOKEN_REVOKE);
    if (st) {
        sqlite3_bind_int64(st, 1, token_id);
        sqlite3_bind_int64(st, 2, who->user_id);
        sqlite3_bind_int64(st, 3, now);
    }
    int rc = done(st);
    if (rc == 0 && sqlite3_changes(store_handle(s)) == 0)
        rc = PV_ENOTFOUND;
    if (rc == 0) {
        char object_id[32];
        snprintf(object_id, sizeof object_id, "%lld", (long long)token_id);
        rc = store_audit_append(s, who, now, "token.revoke", "api_token", object_id, NULL);
    }
    return finish(s, rc);
}

int store_token_lookup(store *s, const uint8_t hash[SECRET_HASH_BYTES], int64_t now,
                       int64_t *user_id, bool *read_only)
{
    sqlite3_stmt *st = store_prepare(s, SQL_TOKEN_GET);
    if (!st)
        return PV_EDB;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int64_t id = 0, last_used = 0;
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        *user_id = sqlite3_column_int64(st, 1);
        *read_only = sqlite3_column_int(st, 2) != 0;
        last_used = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    if (now - last_used >= AUTH_TOUCH_SECONDS && store_begin(s) == 0) {
        st = store_prepare(s, SQL_TOKEN_USED);
        if (st) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int64(st, 2, now);
        }
        if (finish(s, done(st)) != 0)
            return PV_EDB;
    }
    return PV_OK;
}
