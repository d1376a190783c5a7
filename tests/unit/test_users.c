/* Unit tests of staff access below the web layer: Argon2id passwords, tokens and their
 * hashes (a hash stolen from the database signs nothing in), API tokens (lookup, read-only,
 * revocation, a disabled owner), the throttle and lock of failed sign-ins, session
 * lifetimes, and that every write of store/users.c appends its audit event with the right
 * before → after — and never a password, a hash or a token.
 * Each test gets a fresh database in a temporary folder.
 * Layer: tests (store, domain, core). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "domain/auth.h"
#include "store/audit.h"
#include "store/users.h"

#define T0 1800000000 /* a fixed "now" (2027-01-15) */
#define PASSWORD "en lang og god setning"

typedef struct fixture {
    char dir[64];
    char path[128];
    store *db;
} fixture;

static const actor CLI = {0, "cli", NULL};

/* ---- fixture and helpers --------------------------------------------------------------- */

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/planverk-users-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
    char err[512] = "";
    f->db = store_open(f->path, true, err, sizeof err);
    if (!f->db)
        fail_msg("store_open: %s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->db);
    static const char *const files[] = {"test.db", "test.db-wal", "test.db-shm"};
    for (size_t i = 0; i < PV_ARRAY_LEN(files); i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t add_user(store *db, const char *email, unsigned roles, const char *hash)
{
    int64_t id = 0;
    assert_int_equal(store_user_add(db, &CLI, T0, email, "Test Testesen", roles, hash, &id), 0);
    assert_true(id > 0);
    return id;
}

/* Starts a session for user id at time now; the token is written to token_out. */
static void sign_in(store *db, int64_t id, const char *email, int64_t now,
                    char token_out[SECRET_TOKEN_CHARS + 1], uint8_t hash_out[SECRET_HASH_BYTES])
{
    char csrf[SECRET_TOKEN_CHARS + 1];
    secret_token(token_out);
    secret_token(csrf);
    secret_token_hash(token_out, hash_out);
    actor who = {id, email, "10.0.0.1"};
    assert_int_equal(store_signin_ok(db, &who, now, hash_out, csrf), 0);
}

/* The newest audit event (a new reference), or fails. */
static json_t *last_event(store *db)
{
    audit_filter f = {.limit = 1};
    json_t *list = NULL;
    assert_int_equal(store_audit_list(db, &f, &list), 0);
    assert_int_equal(json_array_size(list), 1);
    json_t *e = json_incref(json_array_get(list, 0));
    json_decref(list);
    return e;
}

static size_t event_count(store *db)
{
    audit_filter f = {.limit = 500};
    json_t *list = NULL;
    assert_int_equal(store_audit_list(db, &f, &list), 0);
    size_t n = json_array_size(list);
    json_decref(list);
    return n;
}

/* Checks the newest event: action, object and a change of field from before to after
 * (JSON texts, compact; NULL: do not check a field). */
static void expect_event(store *db, const char *action, const char *type, int64_t object_id,
                         const char *field, const char *before_after)
{
    json_t *e = last_event(db);
    assert_string_equal(json_string_value(json_object_get(e, "action")), action);
    if (type) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)object_id);
        assert_string_equal(json_string_value(json_object_get(e, "object_type")), type);
        assert_string_equal(json_string_value(json_object_get(e, "object_id")), id);
    }
    if (field) {
        char *text = json_dumps(json_object_get(json_object_get(e, "changes"), field),
                                JSON_COMPACT | JSON_ENCODE_ANY);
        if (!text || strcmp(text, before_after) != 0)
            fail_msg("%s: changes.%s is %s, expected %s", action, field, text ? text : "(none)",
                     before_after);
        free(text);
    }
    json_decref(e);
}

/* The whole audit trail as one text, to search for secrets. */
static char *audit_text(store *db)
{
    audit_filter f = {.limit = 500};
    json_t *list = NULL;
    assert_int_equal(store_audit_list(db, &f, &list), 0);
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    return text;
}

static void base64url(const uint8_t *bytes, size_t n, char *out, size_t size)
{
    sodium_bin2base64(out, size, bytes, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* ---- passwords -------------------------------------------------------------------------- */

static void test_password_hash_and_verify(void **state)
{
    (void)state;
    char a[SECRET_PASSWORD_HASH_MAX], b[SECRET_PASSWORD_HASH_MAX];
    assert_int_equal(secret_password_hash(PASSWORD, a), 0);
    assert_int_equal(secret_password_hash(PASSWORD, b), 0);
    assert_int_equal(strncmp(a, "$argon2id$", 10), 0);
    assert_null(strstr(a, PASSWORD));
    assert_string_not_equal(a, b); /* a random salt per hash */
    assert_true(secret_password_verify(a, PASSWORD));
    assert_true(secret_password_verify(b, PASSWORD));
    assert_false(secret_password_verify(a, "en lang og god setninG"));
    assert_false(secret_password_verify(a, ""));
    assert_false(secret_password_verify("not a hash", PASSWORD));
    /* Non-ASCII passwords are bytes like any other. */
    assert_int_equal(secret_password_hash("blåbærsyltetøy på brødskiva", a), 0);
    assert_true(secret_password_verify(a, "blåbærsyltetøy på brødskiva"));
    assert_false(secret_password_verify(a, "blabaersyltetoy pa brodskiva"));
}

static void test_password_policy(void **state)
{
    (void)state;
    assert_non_null(auth_password_problem(""));
    assert_non_null(auth_password_problem("elleve tegn"));   /* 11 */
    assert_null(auth_password_problem("tolv tegn ok"));       /* 12 */
    assert_null(auth_password_problem("æøåæøåæøåæøå"));       /* 12 characters, 24 bytes */
    assert_non_null(auth_password_problem("æøåæøåæøåæø"));    /* 11 characters */
    assert_non_null(auth_password_problem("gyldig lengde \xff\xfe")); /* not UTF-8 */
    char *long_one = malloc(SECRET_PASSWORD_MAX_BYTES + 2);
    memset(long_one, 'x', SECRET_PASSWORD_MAX_BYTES + 1);
    long_one[SECRET_PASSWORD_MAX_BYTES + 1] = '\0';
    assert_non_null(auth_password_problem(long_one));
    long_one[SECRET_PASSWORD_MAX_BYTES] = '\0';
    assert_null(auth_password_problem(long_one));
    free(long_one);
}

/* ---- tokens ----------------------------------------------------------------------------- */

static void test_tokens_are_random_and_hashed(void **state)
{
    (void)state;
    char a[SECRET_TOKEN_CHARS + 1], b[SECRET_TOKEN_CHARS + 1];
    secret_token(a);
    secret_token(b);
    assert_int_equal(strlen(a), SECRET_TOKEN_CHARS);
    assert_true(secret_token_shape(a));
    assert_string_not_equal(a, b);
    uint8_t ha[SECRET_HASH_BYTES], ha2[SECRET_HASH_BYTES], hb[SECRET_HASH_BYTES];
    secret_token_hash(a, ha);
    secret_token_hash(a, ha2);
    secret_token_hash(b, hb);
    assert_memory_equal(ha, ha2, SECRET_HASH_BYTES);
    assert_memory_not_equal(ha, hb, SECRET_HASH_BYTES);
    /* SHA-256 of the text as presented. */
    uint8_t expect[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(expect, (const unsigned char *)a, strlen(a));
    assert_memory_equal(ha, expect, SECRET_HASH_BYTES);
    assert_false(secret_token_shape("pv_abc"));
    assert_false(secret_token_shape(""));
    char longer[SECRET_TOKEN_CHARS + 2];
    snprintf(longer, sizeof longer, "%sA", a);
    assert_false(secret_token_shape(longer));
    char bad[SECRET_TOKEN_CHARS + 1];
    memcpy(bad, a, sizeof bad);
    bad[5] = '+'; /* base64, not base64url */
    assert_false(secret_token_shape(bad));
}

static void test_api_token_lookup_and_revoke(void **state)
{
    fixture *f = *state;
    int64_t uid = add_user(f->db, "ola@moss.kommune.no", ROLE_PLANLEGGER, NULL);
    actor who = {uid, "ola@moss.kommune.no", "10.0.0.1"};
    char token[SECRET_TOKEN_CHARS + 1], reader[SECRET_TOKEN_CHARS + 1];
    uint8_t hash[SECRET_HASH_BYTES], reader_hash[SECRET_HASH_BYTES];
    secret_token(token);
    secret_token(reader);
    secret_token_hash(token, hash);
    secret_token_hash(reader, reader_hash);
    int64_t tid = 0, rid = 0;
    assert_int_equal(store_token_create(f->db, &who, T0, "QGIS", false, hash, &tid), 0);
    expect_event(f->db, "token.create", "api_token", tid, "read_only", "[null,false]");
    assert_int_equal(store_token_create(f->db, &who, T0, "Rapport", true, reader_hash, &rid), 0);
    expect_event(f->db, "token.create", "api_token", rid, "name", "[null,\"Rapport\"]");

    int64_t user_id = 0;
    bool read_only = true;
    assert_int_equal(store_token_lookup(f->db, hash, T0 + 5, &user_id, &read_only), 0);
    assert_int_equal(user_id, uid);
    assert_false(read_only);
    assert_int_equal(store_token_lookup(f->db, reader_hash, T0 + 5, &user_id, &read_only), 0);
    assert_true(read_only);

    /* last_used_at is written at most once a minute. */
    json_t *list = NULL;
    assert_int_equal(store_token_lookup(f->db, hash, T0 + 30, &user_id, &read_only), 0);
    assert_int_equal(store_tokens_list(f->db, uid, &list), 0);
    assert_int_equal(json_array_size(list), 2);
    json_t *qgis = json_array_get(list, 0);
    if (strcmp(json_string_value(json_object_get(qgis, "name")), "QGIS") != 0)
        qgis = json_array_get(list, 1);
    assert_int_equal(json_integer_value(json_object_get(qgis, "last_used_at")), T0 + 5);
    json_decref(list);
    assert_int_equal(store_token_lookup(f->db, hash, T0 + 70, &user_id, &read_only), 0);
    assert_int_equal(store_tokens_list(f->db, uid, &list), 0);
    qgis = json_array_get(list, 0);
    if (strcmp(json_string_value(json_object_get(qgis, "name")), "QGIS") != 0)
        qgis = json_array_get(list, 1);
    assert_int_equal(json_integer_value(json_object_get(qgis, "last_used_at")), T0 + 70);
    json_decref(list);

    /* Another user cannot revoke it. */
    int64_t other = add_user(f->db, "kari@moss.kommune.no", ROLE_ADMIN, NULL);
    actor them = {other, "kari@moss.kommune.no", NULL};
    size_t before = event_count(f->db);
    assert_int_equal(store_token_revoke(f->db, &them, T0 + 80, tid), PV_ENOTFOUND);
    assert_int_equal(event_count(f->db), before);
    assert_int_equal(store_token_lookup(f->db, hash, T0 + 80, &user_id, &read_only), 0);

    /* The owner can, once; then it signs nothing in. */
    assert_int_equal(store_token_revoke(f->db, &who, T0 + 90, tid), 0);
    expect_event(f->db, "token.revoke", "api_token", tid, NULL, NULL);
    assert_int_equal(store_token_lookup(f->db, hash, T0 + 95, &user_id, &read_only), PV_ENOTFOUND);
    assert_int_equal(store_token_revoke(f->db, &who, T0 + 96, tid), PV_ENOTFOUND);
    assert_int_equal(store_tokens_list(f->db, uid, &list), 0);
    json_t *t;
    size_t i;
    json_array_foreach(list, i, t)
        if (json_integer_value(json_object_get(t, "id")) == tid)
            assert_int_equal(json_integer_value(json_object_get(t, "revoked_at")), T0 + 90);
    json_decref(list);

    /* A disabled user's tokens stop at once, and work again when enabled. */
    assert_int_equal(store_user_set_disabled(f->db, &CLI, T0 + 100, uid, true), 0);
    assert_int_equal(store_token_lookup(f->db, reader_hash, T0 + 101, &user_id, &read_only),
                     PV_ENOTFOUND);
    assert_int_equal(store_user_set_disabled(f->db, &CLI, T0 + 102, uid, false), 0);
    assert_int_equal(store_token_lookup(f->db, reader_hash, T0 + 103, &user_id, &read_only), 0);
}

/* What a thief of the database has: the stored SHA-256 of a token. Presented as a token
 * (in any spelling that has a token's shape) it is hashed again and matches nothing. */
static void test_a_stolen_hash_signs_nothing_in(void **state)
{
    fixture *f = *state;
    int64_t uid = add_user(f->db, "ola@moss.kommune.no", ROLE_ADMIN, NULL);
    actor who = {uid, "ola@moss.kommune.no", NULL};
    char token[SECRET_TOKEN_CHARS + 1], session[SECRET_TOKEN_CHARS + 1];
    uint8_t hash[SECRET_HASH_BYTES], session_hash[SECRET_HASH_BYTES];
    secret_token(token);
    secret_token_hash(token, hash);
    int64_t tid;
    assert_int_equal(store_token_create(f->db, &who, T0, "x", false, hash, &tid), 0);
    sign_in(f->db, uid, who.name, T0, session, session_hash);

    /* Read the hashes as they lie in the database file. */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open_v2(f->path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    const char *const queries[] = {"SELECT token_hash FROM api_token",
                                   "SELECT token_hash FROM session"};
    uint8_t stolen[2][SECRET_HASH_BYTES];
    for (int q = 0; q < 2; q++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(raw, queries[q], -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_bytes(st, 0), SECRET_HASH_BYTES);
        memcpy(stolen[q], sqlite3_column_blob(st, 0), SECRET_HASH_BYTES);
        sqlite3_finalize(st);
    }
    sqlite3_close(raw);
    assert_memory_equal(stolen[0], hash, SECRET_HASH_BYTES); /* the hash, not the token */
    assert_memory_equal(stolen[1], session_hash, SECRET_HASH_BYTES);

    for (int q = 0; q < 2; q++) {
        char presented[SECRET_TOKEN_CHARS + 1];
        base64url(stolen[q], SECRET_HASH_BYTES, presented, sizeof presented);
        assert_true(secret_token_shape(presented)); /* it passes the parser's shape test … */
        uint8_t rehashed[SECRET_HASH_BYTES];
        secret_token_hash(presented, rehashed); /* … and is hashed like any token */
        int64_t user_id = 0;
        bool ro;
        session_row s;
        assert_int_equal(store_token_lookup(f->db, rehashed, T0 + 1, &user_id, &ro), PV_ENOTFOUND);
        assert_int_equal(store_session_get(f->db, rehashed, &s), PV_ENOTFOUND);
    }
    /* The real ones still work. */
    int64_t user_id = 0;
    bool ro;
    session_row s;
    assert_int_equal(store_token_lookup(f->db, hash, T0 + 1, &user_id, &ro), 0);
    assert_int_equal(store_session_get(f->db, session_hash, &s), 0);
    assert_int_equal(s.user_id, uid);
}

/* ---- the throttle ----------------------------------------------------------------------- */

static void test_throttle_sequence(void **state)
{
    (void)state;
    auth_failures f = {0};
    int64_t t = T0;
    for (int i = 1; i <= AUTH_FREE_FAILURES; i++) {
        assert_int_equal(auth_wait_seconds(&f, t), 0); /* the first five cost nothing */
        auth_record_failure(&f, t, true);
        assert_int_equal(f.count, i);
    }
    /* After the fifth: wait 2^0 = 1 s after the last failure, then 2, 4, 8, 16. */
    assert_int_equal(auth_wait_seconds(&f, t), 1);
    assert_int_equal(auth_wait_seconds(&f, t + 1), 0);
    int64_t delay = 1;
    const int64_t expected[] = {2, 4, 8, 16};
    for (size_t i = 0; i < PV_ARRAY_LEN(expected); i++) {
        t += delay;
        assert_int_equal(auth_wait_seconds(&f, t - 1), 1); /* one second to go */
        assert_int_equal(auth_wait_seconds(&f, t), 0);
        auth_record_failure(&f, t, true);
        delay = expected[i];
        assert_int_equal(auth_wait_seconds(&f, t), delay);
        assert_false(auth_locked(&f, t));
    }
    assert_int_equal(f.count, 9);
    /* The tenth failure within the window locks for fifteen minutes. */
    t += 16;
    auth_record_failure(&f, t, true);
    assert_int_equal(f.count, AUTH_LOCK_FAILURES);
    assert_true(auth_locked(&f, t));
    assert_int_equal(f.locked_until, t + AUTH_LOCK_SECONDS);
    assert_int_equal(auth_wait_seconds(&f, t), AUTH_LOCK_SECONDS);
    assert_int_equal(auth_wait_seconds(&f, t + 600), AUTH_LOCK_SECONDS - 600);
    assert_true(auth_locked(&f, t + AUTH_LOCK_SECONDS - 1));
    assert_false(auth_locked(&f, t + AUTH_LOCK_SECONDS));
}

static void test_throttle_caps_and_window(void **state)
{
    (void)state;
    /* An address is never locked; its delay stops at a minute. */
    auth_failures a = {0};
    for (int i = 0; i < 20; i++)
        auth_record_failure(&a, T0 + i, false);
    assert_int_equal(a.locked_until, 0);
    assert_false(auth_locked(&a, T0 + 20));
    assert_int_equal(auth_wait_seconds(&a, T0 + 19), AUTH_MAX_DELAY_SECONDS);

    /* Failures older than the window are forgotten: the count starts again at one. */
    auth_failures f = {0};
    for (int i = 0; i < 9; i++)
        auth_record_failure(&f, T0, true);
    assert_int_equal(auth_wait_seconds(&f, T0 + AUTH_WINDOW_SECONDS), 0);
    auth_record_failure(&f, T0 + AUTH_WINDOW_SECONDS, true);
    assert_int_equal(f.count, 1);
    assert_int_equal(f.first_at, T0 + AUTH_WINDOW_SECONDS);
    assert_false(auth_locked(&f, T0 + AUTH_WINDOW_SECONDS));
    /* Nine spread over more than the window never lock. */
    auth_failures g = {0};
    for (int i = 0; i < 30; i++)
        auth_record_failure(&g, T0 + i * 120, true);
    assert_false(auth_locked(&g, T0 + 30 * 120));
}

/* The lock is stored with the account, refuses before any password is checked (the wait
 * is positive whatever is typed), survives a new connection, and an admin lifts it. */
static void test_lock_is_stored_and_unlocked(void **state)
{
    fixture *f = *state;
    char hash[SECRET_PASSWORD_HASH_MAX];
    assert_int_equal(secret_password_hash(PASSWORD, hash), 0);
    int64_t uid = add_user(f->db, "ola@moss.kommune.no", ROLE_LESER, hash);
    user_row u;
    auth_failures addr = {0};
    int64_t t = T0;
    for (int i = 0; i < AUTH_LOCK_FAILURES; i++) {
        assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
        t += auth_wait_seconds(&u.failures, t); /* waits as told */
        auth_record_failure(&u.failures, t, true);
        auth_record_failure(&addr, t, false);
        actor who = {uid, u.email, "10.0.0.9"};
        assert_int_equal(store_signin_failed(f->db, &who, t, uid, &u.failures, "10.0.0.9", &addr,
                                             "wrong password"),
                         0);
        expect_event(f->db, "signin.failed", "user", uid, "reason", "[null,\"wrong password\"]");
    }
    expect_event(f->db, "signin.failed", "user", uid, "failures", "[null,10]");
    store_close(f->db);
    char err[256];
    f->db = store_open(f->path, false, err, sizeof err);
    assert_non_null(f->db);
    assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
    assert_int_equal(u.failures.count, AUTH_LOCK_FAILURES);
    assert_true(auth_locked(&u.failures, t + 1));
    /* The right password does not help: the wait comes first. */
    assert_true(secret_password_verify(u.password_hash, PASSWORD));
    assert_true(auth_wait_seconds(&u.failures, t + 1) > 0);
    auth_failures by_addr;
    assert_int_equal(store_address_failures(f->db, "10.0.0.9", &by_addr), 0);
    assert_int_equal(by_addr.count, AUTH_LOCK_FAILURES);
    assert_int_equal(by_addr.locked_until, 0);

    assert_int_equal(store_user_unlock(f->db, &CLI, t + 2, uid), 0);
    char expect[64];
    snprintf(expect, sizeof expect, "[%lld,0]", (long long)u.failures.locked_until);
    expect_event(f->db, "user.unlock", "user", uid, "locked_until", expect);
    expect_event(f->db, "user.unlock", "user", uid, "failures", "[10,0]");
    assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
    assert_false(auth_locked(&u.failures, t + 3));
    assert_int_equal(auth_wait_seconds(&u.failures, t + 3), 0);
    assert_int_equal(u.failures.count, 0);

    /* A failure for an unknown account: only the address counts, no object. */
    actor nobody = {0, "finnes.ikke@moss.kommune.no", "10.0.0.8"};
    auth_failures one = {1, t, t, 0};
    assert_int_equal(store_signin_failed(f->db, &nobody, t, 0, NULL, "10.0.0.8", &one,
                                         "no such user"),
                     0);
    json_t *e = last_event(f->db);
    assert_true(json_is_null(json_object_get(e, "object_type")));
    assert_string_equal(json_string_value(json_object_get(e, "actor")), nobody.name);
    assert_string_equal(json_string_value(json_object_get(e, "address")), "10.0.0.8");
    json_decref(e);
}

/* ---- sessions --------------------------------------------------------------------------- */

static void test_session_lifetimes(void **state)
{
    (void)state;
    int64_t now = T0;
    assert_true(auth_session_alive(now, now, now));
    assert_true(auth_session_alive(now - 3600, now - AUTH_IDLE_SECONDS + 1, now));
    assert_false(auth_session_alive(now - 3600, now - AUTH_IDLE_SECONDS, now)); /* idle 8 h */
    assert_int_equal(AUTH_IDLE_SECONDS, 8 * 3600);
    assert_int_equal(AUTH_ABSOLUTE_SECONDS, 7 * 24 * 3600);
    /* Used a minute ago, but signed in seven days ago: over. */
    assert_true(auth_session_alive(now - AUTH_ABSOLUTE_SECONDS + 1, now - 60, now));
    assert_false(auth_session_alive(now - AUTH_ABSOLUTE_SECONDS, now - 60, now));
    /* Kept alive by use every few hours, it still ends after seven days. */
    int64_t created = now, seen = now;
    int64_t t = now;
    while (auth_session_alive(created, seen, t)) {
        seen = t;
        t += 7 * 3600;
    }
    assert_true(t - created >= AUTH_ABSOLUTE_SECONDS);
    assert_true(t - created < AUTH_ABSOLUTE_SECONDS + 7 * 3600);
    /* A session from the future is not believed (beyond a minute of clock step). */
    assert_true(auth_session_alive(now + 60, now + 60, now));
    assert_false(auth_session_alive(now + 61, now + 61, now));
}

static void test_sessions_in_the_store(void **state)
{
    fixture *f = *state;
    int64_t uid = add_user(f->db, "ola@moss.kommune.no", ROLE_LESER, NULL);
    char a[SECRET_TOKEN_CHARS + 1], b[SECRET_TOKEN_CHARS + 1];
    uint8_t ha[SECRET_HASH_BYTES], hb[SECRET_HASH_BYTES];
    sign_in(f->db, uid, "ola@moss.kommune.no", T0, a, ha);
    expect_event(f->db, "signin.ok", "user", uid, NULL, NULL);
    sign_in(f->db, uid, "ola@moss.kommune.no", T0 + 10, b, hb);
    session_row s;
    assert_int_equal(store_session_get(f->db, ha, &s), 0);
    assert_int_equal(s.created_at, T0);
    assert_int_equal(s.last_seen_at, T0);
    assert_int_equal(store_session_touch(f->db, ha, T0 + 100), 0);
    assert_int_equal(store_session_get(f->db, ha, &s), 0);
    assert_int_equal(s.last_seen_at, T0 + 100);
    assert_int_equal(strlen(s.csrf), SECRET_TOKEN_CHARS);

    actor who = {uid, "ola@moss.kommune.no", "10.0.0.1"};
    assert_int_equal(store_session_end(f->db, &who, T0 + 200, ha), 0);
    expect_event(f->db, "signout", "user", uid, NULL, NULL);
    assert_int_equal(store_session_get(f->db, ha, &s), PV_ENOTFOUND);
    assert_int_equal(store_session_get(f->db, hb, &s), 0);

    /* A sign-in purges sessions past their lifetime (of anyone). */
    char c[SECRET_TOKEN_CHARS + 1];
    uint8_t hc[SECRET_HASH_BYTES];
    sign_in(f->db, uid, "ola@moss.kommune.no", T0 + 10 + AUTH_IDLE_SECONDS + 1, c, hc);
    assert_int_equal(store_session_get(f->db, hb, &s), PV_ENOTFOUND);
    assert_int_equal(store_session_get(f->db, hc, &s), 0);
}

/* ---- every write has its audit event --------------------------------------------------- */

static void test_user_writes_are_audited(void **state)
{
    fixture *f = *state;
    char hash[SECRET_PASSWORD_HASH_MAX];
    assert_int_equal(secret_password_hash(PASSWORD, hash), 0);
    actor admin = {0, "cli", NULL};

    int64_t uid = add_user(f->db, "ola@moss.kommune.no", ROLE_PLANLEGGER | ROLE_LESER, hash);
    expect_event(f->db, "user.add", "user", uid, "email", "[null,\"ola@moss.kommune.no\"]");
    expect_event(f->db, "user.add", "user", uid, "roles", "[null,\"planlegger, leser\"]");
    expect_event(f->db, "user.add", "user", uid, "password", "[null,true]");
    int64_t nopw = add_user(f->db, "kari@moss.kommune.no", ROLE_ADMIN, NULL);
    expect_event(f->db, "user.add", "user", nopw, "password", "[null,false]");
    expect_event(f->db, "user.add", "user", nopw, "name", "[null,\"Test Testesen\"]");
    json_t *e = last_event(f->db);
    assert_true(json_is_null(json_object_get(e, "user_id")));
    assert_string_equal(json_string_value(json_object_get(e, "actor")), "cli");
    json_decref(e);

    /* A duplicate e-mail (any case) is refused and writes nothing. */
    size_t n = event_count(f->db);
    int64_t id;
    assert_int_equal(store_user_add(f->db, &admin, T0, "OLA@moss.kommune.no", "Dup", ROLE_LESER,
                                    NULL, &id),
                     PV_ECONFLICT);
    assert_int_equal(event_count(f->db), n);

    actor kari = {nopw, "kari@moss.kommune.no", "10.1.2.3"};
    assert_int_equal(store_user_set_roles(f->db, &kari, T0 + 1, uid, ROLE_RADGIVER), 0);
    expect_event(f->db, "user.roles", "user", uid, "roles", "[\"planlegger, leser\",\"radgiver\"]");
    e = last_event(f->db);
    assert_int_equal(json_integer_value(json_object_get(e, "user_id")), nopw);
    assert_string_equal(json_string_value(json_object_get(e, "actor")), "kari@moss.kommune.no");
    assert_string_equal(json_string_value(json_object_get(e, "address")), "10.1.2.3");
    assert_int_equal(json_integer_value(json_object_get(e, "at")), T0 + 1);
    json_decref(e);
    user_row u;
    assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
    assert_int_equal(u.roles, ROLE_RADGIVER);

    /* Disabling ends every session of the user. */
    char s1[SECRET_TOKEN_CHARS + 1], s2[SECRET_TOKEN_CHARS + 1];
    uint8_t h1[SECRET_HASH_BYTES], h2[SECRET_HASH_BYTES];
    sign_in(f->db, uid, "ola@moss.kommune.no", T0 + 2, s1, h1);
    sign_in(f->db, uid, "ola@moss.kommune.no", T0 + 2, s2, h2);
    assert_int_equal(store_user_set_disabled(f->db, &kari, T0 + 3, uid, true), 0);
    expect_event(f->db, "user.disable", "user", uid, "disabled", "[false,true]");
    session_row s;
    assert_int_equal(store_session_get(f->db, h1, &s), PV_ENOTFOUND);
    assert_int_equal(store_session_get(f->db, h2, &s), PV_ENOTFOUND);
    assert_int_equal(store_user_set_disabled(f->db, &kari, T0 + 4, uid, false), 0);
    expect_event(f->db, "user.enable", "user", uid, "disabled", "[true,false]");

    /* A new password ends the other sessions and keeps the one that changed it. */
    sign_in(f->db, uid, "ola@moss.kommune.no", T0 + 5, s1, h1);
    sign_in(f->db, uid, "ola@moss.kommune.no", T0 + 5, s2, h2);
    char new_hash[SECRET_PASSWORD_HASH_MAX];
    assert_int_equal(secret_password_hash("et helt nytt passord", new_hash), 0);
    actor ola = {uid, "ola@moss.kommune.no", "10.0.0.1"};
    assert_int_equal(store_user_set_password(f->db, &ola, T0 + 6, uid, new_hash, h1), 0);
    expect_event(f->db, "user.password", "user", uid, "password", "[\"…\",\"changed\"]");
    assert_int_equal(store_session_get(f->db, h1, &s), 0);
    assert_int_equal(store_session_get(f->db, h2, &s), PV_ENOTFOUND);
    assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
    assert_string_equal(u.password_hash, new_hash);
    assert_int_equal(store_user_set_password(f->db, &ola, T0 + 6, 999, new_hash, NULL),
                     PV_ENOTFOUND);

    /* A wrong current password counts against the account. */
    auth_failures one = {1, T0 + 7, T0 + 7, 0};
    assert_int_equal(store_password_failed(f->db, &ola, T0 + 7, &one), 0);
    expect_event(f->db, "user.password_failed", "user", uid, "failures", "[null,1]");
    assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
    assert_int_equal(u.failures.count, 1);

    /* A link: made, read, redeemed once (password set, sessions replaced). */
    char link[SECRET_TOKEN_CHARS + 1];
    uint8_t link_hash[SECRET_HASH_BYTES];
    secret_token(link);
    secret_token_hash(link, link_hash);
    assert_int_equal(store_link_create(f->db, &kari, T0 + 8, uid, link_hash, T0 + 8 + 3600), 0);
    char expires[48];
    snprintf(expires, sizeof expires, "[null,%lld]", (long long)(T0 + 8 + 3600));
    expect_event(f->db, "user.link", "user", uid, "expires_at", expires);
    int64_t owner = 0;
    assert_int_equal(store_link_user(f->db, link_hash, T0 + 9, &owner), 0);
    assert_int_equal(owner, uid);
    assert_int_equal(store_link_user(f->db, link_hash, T0 + 8 + 3600, &owner), PV_ENOTFOUND);
    char s3[SECRET_TOKEN_CHARS + 1], csrf[SECRET_TOKEN_CHARS + 1];
    uint8_t h3[SECRET_HASH_BYTES];
    secret_token(s3);
    secret_token(csrf);
    secret_token_hash(s3, h3);
    char link_pw[SECRET_PASSWORD_HASH_MAX];
    assert_int_equal(secret_password_hash("passord fra lenken", link_pw), 0);
    /* Redeemed only as the link's own user. */
    actor wrong = {nopw, "kari@moss.kommune.no", NULL};
    assert_int_equal(store_link_redeem(f->db, &wrong, T0 + 10, link_hash, link_pw, h3, csrf),
                     PV_ENOTFOUND);
    assert_int_equal(store_link_redeem(f->db, &ola, T0 + 10, link_hash, link_pw, h3, csrf), 0);
    expect_event(f->db, "user.password", "user", uid, "password",
                 "[\"…\",\"set with a sign-in link\"]");
    assert_int_equal(store_session_get(f->db, h1, &s), PV_ENOTFOUND);
    assert_int_equal(store_session_get(f->db, h3, &s), 0);
    assert_int_equal(store_user_by_id(f->db, uid, &u), 0);
    assert_string_equal(u.password_hash, link_pw);
    assert_int_equal(u.failures.count, 0);
    assert_int_equal(store_link_redeem(f->db, &ola, T0 + 11, link_hash, hash, h2, csrf),
                     PV_ENOTFOUND);
    assert_int_equal(store_link_user(f->db, link_hash, T0 + 11, &owner), PV_ENOTFOUND);

    /* Nothing secret in the whole trail: passwords, their hashes, tokens, CSRF tokens, the
     * token hashes in any spelling. */
    char *trail = audit_text(f->db);
    const char *secrets[] = {PASSWORD, "et helt nytt passord", "passord fra lenken", hash,
                             new_hash, link_pw, "$argon2", s1, s2, s3, link, csrf};
    for (size_t i = 0; i < PV_ARRAY_LEN(secrets); i++)
        if (strstr(trail, secrets[i]))
            fail_msg("the audit trail holds a secret (%zu): %.20s…", i, secrets[i]);
    const uint8_t *hashes[] = {h1, h2, h3, link_hash};
    for (size_t i = 0; i < PV_ARRAY_LEN(hashes); i++) {
        char b64[SECRET_TOKEN_CHARS + 1], hex[2 * SECRET_HASH_BYTES + 1];
        base64url(hashes[i], SECRET_HASH_BYTES, b64, sizeof b64);
        sodium_bin2hex(hex, sizeof hex, hashes[i], SECRET_HASH_BYTES);
        assert_null(strstr(trail, b64));
        assert_null(strstr(trail, hex));
    }
    free(trail);
}

static void test_token_events_hold_no_token(void **state)
{
    fixture *f = *state;
    int64_t uid = add_user(f->db, "ola@moss.kommune.no", ROLE_LESER, NULL);
    actor who = {uid, "ola@moss.kommune.no", NULL};
    char token[SECRET_TOKEN_CHARS + 1], hex[2 * SECRET_HASH_BYTES + 1], b64[SECRET_TOKEN_CHARS + 1];
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token(token);
    secret_token_hash(token, hash);
    int64_t tid;
    assert_int_equal(store_token_create(f->db, &who, T0, "Skript", true, hash, &tid), 0);
    assert_int_equal(store_token_revoke(f->db, &who, T0 + 1, tid), 0);
    char *trail = audit_text(f->db);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    base64url(hash, sizeof hash, b64, sizeof b64);
    assert_null(strstr(trail, token));
    assert_null(strstr(trail, hex));
    assert_null(strstr(trail, b64));
    assert_non_null(strstr(trail, "\"Skript\""));
    free(trail);
}

/* The last active admin cannot lose the role or be disabled: refused with nothing changed
 * and no event, checked inside the transaction of the change. */
static void test_the_last_admin_stays(void **state)
{
    fixture *f = *state;
    int64_t a = add_user(f->db, "a@moss.kommune.no", ROLE_ADMIN, NULL);
    int64_t b = add_user(f->db, "b@moss.kommune.no", ROLE_ADMIN | ROLE_LESER, NULL);
    int64_t admins = 0;
    assert_int_equal(store_active_admins(f->db, &admins), 0);
    assert_int_equal(admins, 2);
    actor who = {a, "a@moss.kommune.no", NULL};
    assert_int_equal(store_user_set_disabled_keep_admin(f->db, &who, T0, b, true), 0);
    expect_event(f->db, "user.disable", "user", b, "disabled", "[false,true]");
    assert_int_equal(store_active_admins(f->db, &admins), 0);
    assert_int_equal(admins, 1);

    size_t n = event_count(f->db);
    assert_int_equal(store_user_set_disabled_keep_admin(f->db, &who, T0, a, true), PV_ECONFLICT);
    assert_int_equal(store_user_set_roles_keep_admin(f->db, &who, T0, a, ROLE_LESER),
                     PV_ECONFLICT);
    assert_int_equal(event_count(f->db), n);
    user_row u;
    assert_int_equal(store_user_by_id(f->db, a, &u), 0);
    assert_int_equal(u.roles, ROLE_ADMIN);
    assert_false(u.disabled);

    /* Other changes go through; so does giving the role to someone else first. */
    assert_int_equal(store_user_set_roles_keep_admin(f->db, &who, T0, a, ROLE_ADMIN | ROLE_LESER), 0);
    assert_int_equal(store_user_set_disabled_keep_admin(f->db, &who, T0, b, false), 0);
    assert_int_equal(store_user_set_roles_keep_admin(f->db, &who, T0, a, ROLE_LESER), 0);
    expect_event(f->db, "user.roles", "user", a, "roles", "[\"admin, leser\",\"leser\"]");
    assert_int_equal(store_user_set_roles_keep_admin(f->db, &who, T0, 999, ROLE_LESER),
                     PV_ENOTFOUND);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    if (secret_init() != 0)
        return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_password_hash_and_verify),
        T(test_password_policy),
        T(test_tokens_are_random_and_hashed),
        T(test_api_token_lookup_and_revoke),
        T(test_a_stolen_hash_signs_nothing_in),
        T(test_throttle_sequence),
        T(test_throttle_caps_and_window),
        T(test_lock_is_stored_and_unlocked),
        T(test_session_lifetimes),
        T(test_sessions_in_the_store),
        T(test_user_writes_are_audited),
        T(test_token_events_hold_no_token),
        T(test_the_last_admin_stays),
    };
#undef T
    return cmocka_run_group_tests_name("users", tests, NULL, NULL) ? 1 : 0;
}
