/* The outbox's statements (store/outbox.h).
 * Layer: store. All SQL is literal and bound. */
#include "store/outbox.h"

#include <string.h>

#include "core/utf8.h"
#include "domain/outbox.h"

static const char SQL_ADD[] =
    "INSERT INTO outbox (feedback_id, to_address, subject, body, created_at, next_attempt_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_DUE[] =
    "SELECT id, to_address, subject, body, attempts, created_at FROM outbox"
    " WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= ?1"
    " AND to_address IS NOT NULL ORDER BY next_attempt_at, id LIMIT ?2";
static const char SQL_ANY_DUE[] =
    "SELECT 1 FROM outbox WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= ?1"
    " AND to_address IS NOT NULL LIMIT 1";
static const char SQL_LEASE[] = "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1";
static const char SQL_SENT[] =
    "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL"
    " WHERE id = ?1 AND sent_at IS NULL";
static const char SQL_GET[] = "SELECT attempts, created_at FROM outbox WHERE id = ?1";
static const char SQL_RETRY[] =
    "UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, last_error = ?4 WHERE id = ?1";
static const char SQL_GIVE_UP[] =
    "UPDATE outbox SET attempts = ?2, given_up_at = ?3, last_error = ?4 WHERE id = ?1";

#define LIST_COLUMNS                                                                        \
    "id, feedback_id, to_address, subject, created_at, attempts, next_attempt_at, sent_at,"   \
    " given_up_at, last_error,"                                                               \
    " CASE WHEN sent_at IS NOT NULL THEN 'sendt' WHEN given_up_at IS NOT NULL"               \
    " THEN 'gitt opp' ELSE 'venter' END"
static const char *const list_names[] = {
    "id", "feedback_id", "to", "subject", "created_at", "attempts", "next_attempt_at",
    "sent_at", "given_up_at", "last_error", "state"};
static const char SQL_LIST[] = "SELECT " LIST_COLUMNS " FROM outbox ORDER BY id DESC LIMIT ?1";
static const char SQL_OF_FEEDBACK[] =
    "SELECT " LIST_COLUMNS " FROM outbox WHERE feedback_id = ?1 ORDER BY id DESC LIMIT 1";

static bool text_ok(const char *t, size_t max)
{
    return t && *t && strlen(t) <= max && utf8_valid(t, strlen(t));
}

int store_outbox_add(store *s, int64_t feedback_id, const char *to, const char *subject,
                     const char *body, int64_t now, int64_t *id_out)
{
    if (!text_ok(to, OUTBOX_ADDRESS_MAX) || strpbrk(to, "\r\n") ||
        !text_ok(subject, OUTBOX_SUBJECT_MAX) || !text_ok(body, OUTBOX_BODY_MAX))
        return PV_EINVAL;
    sqlite3_stmt *st = store_prepare(s, SQL_ADD);
    if (!st)
        return PV_EDB;
    if (feedback_id > 0)
        sqlite3_bind_int64(st, 1, feedback_id);
    else
        sqlite3_bind_null(st, 1);
    store_bind_text(st, 2, to);
    store_bind_text(st, 3, subject);
    store_bind_text(st, 4, body);
    sqlite3_bind_int64(st, 5, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PV_EDB;
    if (id_out)
        *id_out = sqlite3_last_insert_rowid(store_handle(s));
    return PV_OK;
}

int store_outbox_claim(store *s, int64_t now, int limit, json_t **out)
{
    static const char *const names[] = {"id", "to", "subject", "body", "attempts", "created_at"};
    if (limit < 1 || limit > 100)
        limit = 100;
    /* A read first: the sender asks every second, and a write transaction (even an empty
     * one) would count as a change and empty every loop's page cache (store_generation). */
    sqlite3_stmt *any = store_prepare(s, SQL_ANY_DUE);
    if (!any)
        return PV_EDB;
    sqlite3_bind_int64(any, 1, now);
    int step = sqlite3_step(any);
    sqlite3_reset(any);
    if (step == SQLITE_DONE) {
        *out = json_array();
        return PV_OK;
    }
    if (step != SQLITE_ROW || store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_DUE);
    sqlite3_stmt *lease = store_prepare(s, SQL_LEASE);
    json_t *rows = NULL;
    int rc = PV_EDB;
    if (st && lease) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int(st, 2, limit);
        rc = store_collect_rows(s, st, names, PV_ARRAY_LEN(names), &rows);
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(rows); i++) {
        sqlite3_bind_int64(lease, 1, json_integer_value(json_object_get(json_array_get(rows, i), "id")));
        sqlite3_bind_int64(lease, 2, now + OUTBOX_LEASE_SECONDS);
        if (sqlite3_step(lease) != SQLITE_DONE)
            rc = PV_EDB;
        sqlite3_reset(lease);
    }
    if (rc == 0 && store_commit(s) == 0) {
        *out = rows;
        return PV_OK;
    }
    store_rollback(s);
    json_decref(rows);
    return PV_EDB;
}

int store_outbox_sent(store *s, int64_t id, int64_t now)
{
    sqlite3_stmt *st = store_prepare(s, SQL_SENT);
    if (!st || store_begin(s) != 0)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE || store_commit(s) != 0) {
        store_rollback(s);
        return PV_EDB;
    }
    return PV_OK;
}

int store_outbox_failed(store *s, int64_t id, int64_t now, const char *error, int64_t base,
                        bool *given_up)
{
    char line[300];
    size_t n = 0;
    for (const char *p = error ? error : ""; *p && n + 1 < sizeof line; p++)
        line[n++] = (*p == '\r' || *p == '\n') ? ' ' : *p;
    while (n > 0 && ((unsigned char)line[n - 1] & 0xC0) == 0x80)
        n--; /* never cut a UTF-8 sequence: drop its continuation bytes … */
    if (n > 0 && ((unsigned char)line[n - 1] & 0x80))
        n--; /* … and its lead byte */
    line[n] = '\0';
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *get = store_prepare(s, SQL_GET);
    int rc = PV_EDB;
    if (get) {
        sqlite3_bind_int64(get, 1, id);
        int step = sqlite3_step(get);
        int attempts = step == SQLITE_ROW ? sqlite3_column_int(get, 0) + 1 : 0;
        int64_t created = step == SQLITE_ROW ? sqlite3_column_int64(get, 1) : 0;
        sqlite3_reset(get);
        rc = step == SQLITE_ROW ? PV_OK : step == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
        int64_t next = 0;
        bool again = rc == 0 && outbox_schedule(attempts, created, now, base, &next);
        sqlite3_stmt *up = rc == 0 ? store_prepare(s, again ? SQL_RETRY : SQL_GIVE_UP) : NULL;
        if (up) {
            sqlite3_bind_int64(up, 1, id);
            sqlite3_bind_int(up, 2, attempts);
            sqlite3_bind_int64(up, 3, again ? next : now);
            store_bind_text(up, 4, line);
            if (sqlite3_step(up) != SQLITE_DONE)
                rc = PV_EDB;
            sqlite3_reset(up);
        } else if (rc == 0)
            rc = PV_EDB;
        if (given_up)
            *given_up = !again;
    }
    if (rc == 0 && store_commit(s) == 0)
        return PV_OK;
    store_rollback(s);
    return rc ? rc : PV_EDB;
}

int store_outbox_list(store *s, int limit, json_t **out)
{
    if (limit < 1 || limit > 1000)
        limit = 1000;
    sqlite3_stmt *st = store_prepare(s, SQL_LIST);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int(st, 1, limit);
    return store_collect_rows(s, st, list_names, PV_ARRAY_LEN(list_names), out);
}

int store_outbox_of_feedback(store *s, int64_t feedback_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_OF_FEEDBACK);
    if (st)
        sqlite3_bind_int64(st, 1, feedback_id);
    int rc = store_one_row(s, st, list_names, PV_ARRAY_LEN(list_names),
                           PV_ARRAY_LEN(list_names), out);
    if (rc == PV_ENOTFOUND) {
        *out = json_null();
        rc = PV_OK;
    }
    return rc;
}
