/* Feedback and its templates (store/feedback.h).
 * Layer: store. All SQL is literal and bound. */
#include "store/feedback.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "store/outbox.h"

static const char SQL_INPUT[] =
    "SELECT i.id, i.text, i.language, i.status, i.received_at, i.assessment_id, p.id, p.title"
    " FROM input i JOIN process p ON p.id = i.process_id WHERE i.id = ?1 AND p.id = ?2";
static const char SQL_ASSESSMENT[] =
    "SELECT id, outcome, justification FROM assessment WHERE id = ?1";
static const char SQL_CONTACT[] =
    "SELECT name, email, consent FROM contact WHERE input_id = ?1";
static const char SQL_NEWEST[] =
    "SELECT id, body, language, written_at, written_by FROM feedback WHERE input_id = ?1"
    " ORDER BY written_at DESC, id DESC LIMIT 1";
static const char SQL_LATEST_PUBLIC[] =
    "SELECT f.body, f.language, f.written_at, a.outcome FROM feedback f"
    " JOIN assessment a ON a.id = f.assessment_id WHERE f.input_id = ?1"
    " ORDER BY f.written_at DESC, f.id DESC LIMIT 1";
static const char SQL_TEMPLATE[] =
    "SELECT outcome, language, subject, body FROM feedback_template"
    " WHERE outcome = ?1 AND language IN (?2, 'nb')"
    " ORDER BY language = ?2 DESC LIMIT 1";
static const char SQL_TEMPLATES[] =
    "SELECT outcome, language, subject, body FROM feedback_template ORDER BY"
    " CASE outcome WHEN 'tatt til følge' THEN 1 WHEN 'delvis tatt til følge' THEN 2"
    " WHEN 'ikke tatt til følge' THEN 3 WHEN 'utenfor mandat' THEN 4 ELSE 5 END,"
    " CASE language WHEN 'nb' THEN 1 WHEN 'nn' THEN 2 ELSE 3 END";
static const char SQL_TEMPLATE_OLD[] =
    "SELECT subject, body FROM feedback_template WHERE outcome = ?1 AND language = ?2";
static const char SQL_TEMPLATE_PUT[] =
    "INSERT INTO feedback_template (outcome, language, subject, body) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (outcome, language) DO UPDATE SET subject = excluded.subject,"
    " body = excluded.body";
static const char SQL_INSERT[] =
    "INSERT INTO feedback (input_id, assessment_id, language, body, written_by, written_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_PENDING[] =
    "SELECT i.id FROM input i WHERE i.process_id = ?1 AND i.assessment_id IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.input_id = i.id"
    " AND f.assessment_id = i.assessment_id) ORDER BY i.received_at, i.id LIMIT ?2";
static const char SQL_GIVEN[] =
    "SELECT 1 FROM input i JOIN feedback f ON f.input_id = i.id"
    " AND f.assessment_id = i.assessment_id WHERE i.id = ?1";
static const char SQL_STATUS[] = "UPDATE input SET status = 'tilbakemeldt' WHERE id = ?1";

static const char *const outcomes[] = {"tatt til følge", "delvis tatt til følge",
                                       "ikke tatt til følge", "utenfor mandat",
                                       "allerede ivaretatt"};
static const char *const languages[] = {"nb", "nn", "en"};

static bool in(const char *const *list, size_t n, const char *v)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(list[i], v) == 0)
            return true;
    return false;
}

static bool text_ok(const char *t, size_t max)
{
    if (!t || strlen(t) > max || !utf8_valid(t, strlen(t)))
        return false;
    for (; *t; t++)
        if (!strchr(" \t\r\n", *t))
            return true;
    return false; /* only blanks */
}

/* The one row of st (bound) as an object with names, or json null; PV_EDB on error. */
static int one_row(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                   json_t **out)
{
    int rc = store_one_row(s, st, names, n, n, out);
    if (rc == PV_ENOTFOUND) {
        *out = json_null();
        rc = PV_OK;
    }
    return rc;
}

int store_feedback_context(store *s, const char *process_id, int64_t input_id, json_t **out)
{
    static const char *const input_names[] = {"id", "text", "language", "status",
                                              "received_at", "assessment_id", "process_id",
                                              "process_title"};
    static const char *const a_names[] = {"id", "outcome", "justification"};
    static const char *const c_names[] = {"name", "email", "consent"};
    static const char *const f_names[] = {"id", "body", "language", "written_at",
                                          "written_by"};
    sqlite3_stmt *st = store_prepare(s, SQL_INPUT);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, input_id);
    store_bind_text(st, 2, process_id);
    json_t *input;
    int rc = one_row(s, st, input_names, PV_ARRAY_LEN(input_names), &input);
    if (rc != 0)
        return rc;
    if (json_is_null(input))
        return PV_ENOTFOUND;
    json_t *process = json_pack("{s:O, s:O}", "id", json_object_get(input, "process_id"),
                                "title", json_object_get(input, "process_title"));
    json_object_del(input, "process_id");
    json_object_del(input, "process_title");
    json_t *assessment = json_null(), *contact = json_null(), *feedback = json_null();
    json_t *aid = json_object_get(input, "assessment_id");
    if (json_is_integer(aid)) {
        st = store_prepare(s, SQL_ASSESSMENT);
        if (!st)
            rc = PV_EDB;
        else {
            sqlite3_bind_int64(st, 1, json_integer_value(aid));
            rc = one_row(s, st, a_names, PV_ARRAY_LEN(a_names), &assessment);
        }
    }
    if (rc == 0 && (st = store_prepare(s, SQL_CONTACT)) != NULL) {
        sqlite3_bind_int64(st, 1, input_id);
        rc = one_row(s, st, c_names, PV_ARRAY_LEN(c_names), &contact);
    } else if (rc == 0)
        rc = PV_EDB;
    if (rc == 0 && (st = store_prepare(s, SQL_NEWEST)) != NULL) {
        sqlite3_bind_int64(st, 1, input_id);
        rc = one_row(s, st, f_names, PV_ARRAY_LEN(f_names), &feedback);
    } else if (rc == 0)
        rc = PV_EDB;
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "input", input, "process", process,
                          "assessment", assessment ? assessment : json_null(), "contact",
                          contact ? contact : json_null(), "feedback",
                          feedback ? feedback : json_null());
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return PV_OK;
}

int store_feedback_template_get(store *s, const char *outcome, const char *language,
                                json_t **out)
{
    static const char *const names[] = {"outcome", "language", "subject", "body"};
    sqlite3_stmt *st = store_prepare(s, SQL_TEMPLATE);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, outcome);
    store_bind_text(st, 2, in(languages, 3, language) ? language : "nb");
    json_t *row;
    int rc = one_row(s, st, names, PV_ARRAY_LEN(names), &row);
    if (rc != 0)
        return rc;
    if (json_is_null(row))
        return PV_ENOTFOUND;
    *out = row;
    return PV_OK;
}

int store_feedback_templates(store *s, json_t **out)
{
    static const char *const names[] = {"outcome", "language", "subject", "body"};
    sqlite3_stmt *st = store_prepare(s, SQL_TEMPLATES);
    if (!st)
        return PV_EDB;
    return store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out);
}

int store_feedback_template_save(store *s, const actor *who, const char *outcome,
                                 const char *language, const char *subject, const char *body,
                                 int64_t now)
{
    if (!in(outcomes, PV_ARRAY_LEN(outcomes), outcome) || !in(languages, 3, language) ||
        !text_ok(subject, FEEDBACK_SUBJECT_MAX) || strpbrk(subject, "\r\n") ||
        !text_ok(body, FEEDBACK_BODY_MAX))
        return PV_EINVAL;
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *old = store_prepare(s, SQL_TEMPLATE_OLD);
    sqlite3_stmt *put = store_prepare(s, SQL_TEMPLATE_PUT);
    int rc = old && put ? PV_OK : PV_EDB;
    json_t *changes = json_object();
    if (rc == 0) {
        store_bind_text(old, 1, outcome);
        store_bind_text(old, 2, language);
        bool had = sqlite3_step(old) == SQLITE_ROW;
        const char *was_subject = had ? (const char *)sqlite3_column_text(old, 0) : NULL;
        const char *was_body = had ? (const char *)sqlite3_column_text(old, 1) : NULL;
        if (!was_subject || strcmp(was_subject, subject) != 0)
            json_object_set_new(changes, "subject", json_pack("[s?, s]", was_subject, subject));
        if (!was_body || strcmp(was_body, body) != 0)
            json_object_set_new(changes, "body", json_pack("[s?, s]", was_body, body));
        sqlite3_reset(old);
        store_bind_text(put, 1, outcome);
        store_bind_text(put, 2, language);
        store_bind_text(put, 3, subject);
        store_bind_text(put, 4, body);
        if (sqlite3_step(put) != SQLITE_DONE)
            rc = PV_EDB;
        sqlite3_reset(put);
    }
    char id[96];
    snprintf(id, sizeof id, "%s/%s", outcome, language);
    if (rc == 0 && json_object_size(changes) > 0 &&
        store_audit_append(s, who, now, "feedback_template.update", "feedback_template", id,
                           changes) != 0)
        rc = PV_EDB;
    json_decref(changes);
    if (rc == 0 && store_commit(s) == 0)
        return PV_OK;
    store_rollback(s);
    return rc ? rc : PV_EDB;
}

/* Within the transaction: the feedback row, the status, the e-mail, the audit event. */
static int create_in_tx(store *s, const actor *who, const feedback_new *f, json_t *ctx,
                        int64_t now, int64_t *feedback_id, int64_t *outbox_id)
{
    json_t *input = json_object_get(ctx, "input");
    json_t *contact = json_object_get(ctx, "contact");
    int64_t assessment = json_integer_value(json_object_get(input, "assessment_id"));
    sqlite3_stmt *st = store_prepare(s, SQL_INSERT);
    sqlite3_stmt *status = store_prepare(s, SQL_STATUS);
    if (!st || !status)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, f->input_id);
    sqlite3_bind_int64(st, 2, assessment);
    store_bind_text(st, 3, f->language);
    store_bind_text(st, 4, f->body);
    if (who && who->user_id > 0)
        sqlite3_bind_int64(st, 5, who->user_id);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int64(st, 6, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PV_EDB;
    *feedback_id = sqlite3_last_insert_rowid(store_handle(s));
    sqlite3_bind_int64(status, 1, f->input_id);
    rc = sqlite3_step(status);
    sqlite3_reset(status);
    if (rc != SQLITE_DONE)
        return PV_EDB;
    const char *email = json_string_value(json_object_get(contact, "email"));
    bool consent = json_integer_value(json_object_get(contact, "consent")) != 0;
    *outbox_id = 0;
    if (email && *email && consent) {
        rc = store_outbox_add(s, *feedback_id, email, f->subject, f->body, now, outbox_id);
        if (rc != 0)
            return rc;
    }
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)*feedback_id);
    json_t *changes = json_pack("{s:[n, I], s:[n, s], s:[n, b]}", "input", (json_int_t)f->input_id,
                                "language", f->language, "e-mail", *outbox_id > 0);
    rc = store_audit_append(s, who, now, "feedback.create", "feedback", id, changes);
    json_decref(changes);
    return rc ? PV_EDB : PV_OK;
}

/* Checks f and stores it within the caller's transaction. */
static int create_one(store *s, const actor *who, const feedback_new *f, int64_t now,
                      int64_t *feedback_id, int64_t *outbox_id)
{
    if (!in(languages, 3, f->language) || !text_ok(f->body, FEEDBACK_BODY_MAX) ||
        !text_ok(f->subject, OUTBOX_SUBJECT_MAX) || strpbrk(f->subject, "\r\n"))
        return PV_EINVAL;
    json_t *ctx = NULL;
    int rc = store_feedback_context(s, f->process_id, f->input_id, &ctx);
    if (rc == 0 && !json_is_object(json_object_get(ctx, "assessment")))
        rc = PV_ECONFLICT;
    if (rc == 0)
        rc = create_in_tx(s, who, f, ctx, now, feedback_id, outbox_id);
    json_decref(ctx);
    return rc;
}

int store_feedback_create(store *s, const actor *who, const feedback_new *f, int64_t now,
                          int64_t *feedback_id, int64_t *outbox_id)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = create_one(s, who, f, now, feedback_id, outbox_id);
    if (rc == 0 && store_commit(s) == 0)
        return PV_OK;
    store_rollback(s);
    return rc ? rc : PV_EDB;
}

int store_feedback_pending(store *s, const char *process_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PENDING);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    sqlite3_bind_int(st, 2, FEEDBACK_BULK_MAX);
    json_t *ids = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(ids);
        return PV_EDB;
    }
    *out = ids;
    return PV_OK;
}

int store_feedback_create_many(store *s, const actor *who, const feedback_new *fs, size_t n,
                               int64_t now, size_t *emails, size_t *failed)
{
    *emails = 0;
    *failed = 0;
    if (n > FEEDBACK_BULK_MAX)
        return PV_EINVAL;
    if (store_begin(s) != 0)
        return PV_EDB;
    sqlite3_stmt *given = store_prepare(s, SQL_GIVEN);
    int rc = given ? PV_OK : PV_EDB;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        *failed = i;
        sqlite3_bind_int64(given, 1, fs[i].input_id);
        int step = sqlite3_step(given);
        sqlite3_reset(given);
        if (step == SQLITE_ROW)
            rc = PV_ECONFLICT; /* already has feedback on its current assessment */
        else if (step != SQLITE_DONE)
            rc = PV_EDB;
        int64_t fid = 0, oid = 0;
        if (rc == 0)
            rc = create_one(s, who, &fs[i], now, &fid, &oid);
        if (rc == 0 && oid > 0)
            (*emails)++;
    }
    if (rc == 0 && store_commit(s) == 0)
        return PV_OK;
    store_rollback(s);
    *emails = 0;
    return rc ? rc : PV_EDB;
}

int store_feedback_latest(store *s, int64_t input_id, json_t **out)
{
    static const char *const names[] = {"text", "language", "written_at", "outcome"};
    sqlite3_stmt *st = store_prepare(s, SQL_LATEST_PUBLIC);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, input_id);
    return one_row(s, st, names, PV_ARRAY_LEN(names), out);
}
