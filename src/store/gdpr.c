/* Erasing senders' contact data when their retention runs out or when they ask, and
 * exporting what we hold about an e-mail address.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3); each erased contact is
 * written with its audit event in the same transaction. The audit event names the input,
 * never the person. */
#include "store/gdpr.h"

#include <stdio.h>
#include <string.h>

#include "domain/retention.h"

const actor GDPR_SYSTEM_ACTOR = {0, "system", NULL};

static const char SQL_ENDS[] =
    "SELECT c.id, c.erase_after, coalesce(p.closed_at, 0), coalesce(p.deadline, 0),"
    " i.received_at, coalesce(p.retention_months, -1)"
    " FROM contact c JOIN input i ON i.id = c.input_id LEFT JOIN process p ON p.id = i.process_id"
    " WHERE ?1 IS NULL OR i.process_id = ?1";
static const char SQL_SET_ERASE[] = "UPDATE contact SET erase_after = ?2 WHERE id = ?1";

static const char SQL_DUE[] =
    "SELECT c.id, c.input_id FROM contact c WHERE c.erase_after IS NOT NULL"
    " AND c.erase_after <= ?1 ORDER BY c.id LIMIT ?2";
static const char SQL_BY_EMAIL[] =
    "SELECT c.id, c.input_id FROM contact c WHERE lower(c.email) = lower(?1) ORDER BY c.id"
    " LIMIT ?2";
/* The address goes; a message not yet sent can no longer be, so it is given up. */
static const char SQL_OUTBOX_FORGET[] =
    "UPDATE outbox SET to_address = NULL,"
    " given_up_at = CASE WHEN sent_at IS NULL THEN coalesce(given_up_at, unixepoch()) END,"
    " last_error = CASE WHEN sent_at IS NULL AND given_up_at IS NULL"
    "  THEN 'the contact data were erased' ELSE last_error END"
    " WHERE to_address IS NOT NULL AND feedback_id IN"
    " (SELECT id FROM feedback WHERE input_id = ?1)";
static const char SQL_CONTACT_DELETE[] = "DELETE FROM contact WHERE id = ?1";

static const char SQL_EXPORT[] =
    "SELECT i.id, i.process_id, i.channel, i.sender_type, i.on_behalf_of, i.text,"
    " i.received_at, i.status, i.moderation, i.themes, c.name, c.email, c.phone,"
    " c.organisation, c.consent, c.erase_after"
    " FROM contact c JOIN input i ON i.id = c.input_id WHERE lower(c.email) = lower(?1)"
    " ORDER BY i.received_at, i.id";
static const char SQL_EXPORT_FEEDBACK[] =
    "SELECT written_at, language, body FROM feedback WHERE input_id = ?1 ORDER BY written_at, id";

/* ---------------------------------------------------------------- erase_after */

int store_gdpr_recompute(store *s, const char *process_id, int default_months, int *changed)
{
    if (changed)
        *changed = 0;
    int rc = store_begin(s);
    if (rc != 0)
        return rc;
    sqlite3_stmt *st = store_prepare(s, SQL_ENDS), *set = store_prepare(s, SQL_SET_ERASE);
    if (!st || !set) {
        store_rollback(s);
        return PV_EDB;
    }
    store_bind_text(st, 1, process_id);
    int n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int months = sqlite3_column_int(st, 5);
        if (months < 0)
            months = default_months;
        int64_t end = retention_end(sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                                    sqlite3_column_int64(st, 4));
        int64_t due = retention_erase_after(end, months);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL && sqlite3_column_int64(st, 1) == due)
            continue;
        sqlite3_bind_int64(set, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_int64(set, 2, due);
        int step = sqlite3_step(set);
        sqlite3_reset(set);
        if (step != SQLITE_DONE) {
            rc = SQLITE_ERROR;
            break;
        }
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_rollback(s);
        return PV_EDB;
    }
    if (changed)
        *changed = n;
    return store_commit(s);
}

/* ---------------------------------------------------------------- erasing */

static int run_id(store *s, const char *sql, int64_t id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

/* Erases one contact with its event; inside the caller's transaction. */
static int erase_one(store *s, const actor *who, int64_t now, int64_t contact_id,
                     int64_t input_id, const char *reason)
{
    int rc = run_id(s, SQL_OUTBOX_FORGET, input_id);
    if (rc == 0)
        rc = run_id(s, SQL_CONTACT_DELETE, contact_id);
    if (rc != 0)
        return rc;
    char object_id[24];
    snprintf(object_id, sizeof object_id, "%lld", (long long)input_id);
    json_t *changes = json_pack("{s:[s, s], s:[n, s]}", "contact", "kept", "erased", "reason",
                                reason);
    rc = store_audit_append(s, who, now, "contact.erase", "input", object_id, changes);
    json_decref(changes);
    return rc;
}

/* One batch: the contacts the statement sql (bound with key) names, at most GDPR_BATCH,
 * erased in one transaction. *n gets how many. */
static int erase_batch(store *s, const actor *who, int64_t now, const char *sql, int64_t due,
                       const char *email, const char *reason, int *n)
{
    *n = 0;
    int rc = store_begin(s);
    if (rc != 0)
        return rc;
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st) {
        store_rollback(s);
        return PV_EDB;
    }
    if (email)
        store_bind_text(st, 1, email);
    else
        sqlite3_bind_int64(st, 1, due);
    sqlite3_bind_int(st, 2, GDPR_BATCH);
    int64_t ids[GDPR_BATCH][2];
    int count = 0, step;
    while (count < GDPR_BATCH && (step = sqlite3_step(st)) == SQLITE_ROW) {
        ids[count][0] = sqlite3_column_int64(st, 0);
        ids[count][1] = sqlite3_column_int64(st, 1);
        count++;
    }
    sqlite3_reset(st);
    for (int i = 0; i < count && rc == 0; i++)
        rc = erase_one(s, who, now, ids[i][0], ids[i][1], reason);
    if (rc != 0) {
        store_rollback(s);
        return rc;
    }
    *n = count;
    return store_commit(s);
}

static int erase_all(store *s, const actor *who, int64_t now, const char *sql, const char *email,
                     const char *reason, int *erased)
{
    int total = 0, n, rc;
    do {
        rc = erase_batch(s, who, now, sql, now, email, reason, &n);
        total += n;
    } while (rc == 0 && n == GDPR_BATCH);
    if (erased)
        *erased = total;
    return rc;
}

int store_gdpr_purge(store *s, int64_t now, int default_months, int *erased)
{
    if (erased)
        *erased = 0;
    int rc = store_gdpr_recompute(s, NULL, default_months, NULL);
    if (rc != 0)
        return rc;
    return erase_all(s, &GDPR_SYSTEM_ACTOR, now, SQL_DUE, NULL, "retention", erased);
}

int store_gdpr_erase(store *s, const actor *who, int64_t now, const char *email, int *erased)
{
    if (erased)
        *erased = 0;
    if (!email || !*email)
        return PV_EINVAL;
    return erase_all(s, who, now, SQL_BY_EMAIL, email, "request", erased);
}

/* ---------------------------------------------------------------- export */

static json_t *feedback_of(store *s, int64_t input_id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_EXPORT_FEEDBACK);
    json_t *out = json_array();
    if (!st)
        return out;
    sqlite3_bind_int64(st, 1, input_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:o, s:o, s:o}", "written_at",
                                             store_column_json(st, 0), "language",
                                             store_column_json(st, 1), "body",
                                             store_column_json(st, 2)));
    sqlite3_reset(st);
    return out;
}

int store_gdpr_export(store *s, const char *email, json_t **out)
{
    static const char *const names[] = {"id",          "process_id", "channel",
                                        "sender_type", "on_behalf_of", "text",
                                        "received_at", "status",     "moderation"};
    sqlite3_stmt *st = store_prepare(s, SQL_EXPORT);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, email);
    json_t *rows = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < (int)PV_ARRAY_LEN(names); i++)
            json_object_set_new(o, names[i], store_column_json(st, i));
        json_object_set_new(o, "themes", store_column_parsed(st, 9));
        json_object_set_new(o, "contact",
                            json_pack("{s:o, s:o, s:o, s:o, s:b, s:o}", "name",
                                      store_column_json(st, 10), "email",
                                      store_column_json(st, 11), "phone",
                                      store_column_json(st, 12), "organisation",
                                      store_column_json(st, 13), "consent",
                                      sqlite3_column_int(st, 14) != 0, "erase_after",
                                      store_column_json(st, 15)));
        json_array_append_new(rows, o);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(rows);
        return PV_EDB;
    }
    size_t i;
    json_t *o;
    json_array_foreach(rows, i, o)
        json_object_set_new(o, "feedback",
                            feedback_of(s, json_integer_value(json_object_get(o, "id"))));
    *out = rows;
    return PV_OK;
}
