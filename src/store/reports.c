/* The tertial reports: periods, the measures a user reports, saving a batch, closing a period.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). The order of periods in SQL
 * (year * 3 + t1 0 / t2 1 / aar 2) is that of followup_period_compare. */
#include "store/reports.h"

#include <stdio.h>
#include <string.h>

#include "domain/plan.h"
#include "store/plans_edit.h"

/* ---------------------------------------------------------------- statements */

#define PERIOD_ORDINAL(alias)                                                               \
    "(" alias ".year * 3 + CASE " alias ".period WHEN 't1' THEN 0 WHEN 't2' THEN 1 ELSE 2 END)"

/* ?1 all (1/0), ?2 user id: the measure m is one the user reports */
#define REPORTS_SCOPE                                                                       \
    " m.kind = 'tiltak' AND (?1 = 1 OR EXISTS (SELECT 1 FROM measure_unit mu"              \
    " JOIN unit_member um ON um.unit_id = mu.unit_id WHERE mu.measure_id = m.id"           \
    " AND um.user_id = ?2))"

static const char SQL_PERIOD_CLOSED[] =
    "SELECT closed_at FROM report_period WHERE year = ?1 AND period = ?2";
static const char SQL_PERIOD_COUNTS[] =
    "SELECT count(*), count(r.id) FROM measure m LEFT JOIN measure_report r"
    " ON r.measure_id = m.id AND r.year = ?3 AND r.period = ?4 WHERE" REPORTS_SCOPE;
static const char SQL_REPORT_ROWS[] =
    "SELECT m.id, m.title, m.plan_id, p.name,"
    " (SELECT group_concat(name, ', ') FROM (SELECT un.name FROM measure_unit mu"
    "  JOIN unit un ON un.id = mu.unit_id WHERE mu.measure_id = m.id ORDER BY mu.position)),"
    " r.id, r.status, r.progress, r.comment, r.reported_at, us.name,"
    " (SELECT r2.status FROM measure_report r2 WHERE r2.measure_id = m.id"
    "  AND " PERIOD_ORDINAL("r2") " < ?6 ORDER BY " PERIOD_ORDINAL("r2") " DESC LIMIT 1),"
    " (SELECT r2.year || '-' || r2.period FROM measure_report r2 WHERE r2.measure_id = m.id"
    "  AND " PERIOD_ORDINAL("r2") " < ?6 ORDER BY " PERIOD_ORDINAL("r2") " DESC LIMIT 1)"
    " FROM measure m JOIN plan p ON p.id = m.plan_id"
    " LEFT JOIN measure_report r ON r.measure_id = m.id AND r.year = ?3 AND r.period = ?4"
    " LEFT JOIN user us ON us.id = r.author_id"
    " WHERE" REPORTS_SCOPE
    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM measure_unit mu WHERE mu.measure_id = m.id"
    " AND mu.unit_id = ?5))"
    " ORDER BY r.id IS NOT NULL, p.name, m.position, m.id";
static const char SQL_UNITS_OF[] =
    "SELECT u.id, u.name FROM unit u WHERE ?1 = 1 OR EXISTS (SELECT 1 FROM unit_member um"
    " WHERE um.unit_id = u.id AND um.user_id = ?2) ORDER BY u.position, u.name";
static const char SQL_MEASURE_KIND[] = "SELECT kind FROM measure WHERE id = ?1";
static const char SQL_MEMBER[] =
    "SELECT 1 FROM measure_unit mu JOIN unit_member um ON um.unit_id = mu.unit_id"
    " WHERE mu.measure_id = ?1 AND um.user_id = ?2";
static const char SQL_PREVIOUS[] =
    "SELECT r.status FROM measure_report r WHERE r.measure_id = ?1"
    " AND " PERIOD_ORDINAL("r") " < ?2 ORDER BY " PERIOD_ORDINAL("r") " DESC LIMIT 1";
static const char SQL_REPORT_GET[] =
    "SELECT r.measure_id, r.year || '-' || r.period, r.status, r.progress, r.comment,"
    " r.reported_at, us.name FROM measure_report r LEFT JOIN user us ON us.id = r.author_id"
    " WHERE r.measure_id = ?1 AND r.year = ?2 AND r.period = ?3";
static const char *const report_names[] = {"measure_id", "period", "status", "progress",
                                           "comment", "reported_at", "author"};
static const char SQL_REPORT_UPSERT[] =
    "INSERT INTO measure_report (measure_id, year, period, status, progress, comment,"
    " author_id, reported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT (measure_id, year, period) DO UPDATE SET status = excluded.status,"
    " progress = excluded.progress, comment = excluded.comment,"
    " author_id = excluded.author_id, reported_at = excluded.reported_at";
static const char SQL_PERIOD_CLOSE[] =
    "INSERT INTO report_period (year, period, closed_at, closed_by) VALUES (?1, ?2, ?3, ?4)";

/* ---------------------------------------------------------------- helpers */

static int ordinal(followup_period p)
{
    return p.year * 3 + (int)p.kind;
}

static void bind_period(sqlite3_stmt *st, int i, followup_period p)
{
    sqlite3_bind_int(st, i, p.year);
    sqlite3_bind_text(st, i + 1, followup_period_code(p.kind), -1, SQLITE_STATIC);
}

static void bind_scope(sqlite3_stmt *st, int64_t user_id, bool all)
{
    sqlite3_bind_int(st, 1, all ? 1 : 0);
    sqlite3_bind_int64(st, 2, user_id);
}

int store_period_closed(store *s, followup_period p, bool *closed)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PERIOD_CLOSED);
    if (!st)
        return PV_EDB;
    bind_period(st, 1, p);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return PV_EDB;
    *closed = rc == SQLITE_ROW;
    return PV_OK;
}

static int closed_at(store *s, followup_period p, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PERIOD_CLOSED);
    if (!st)
        return PV_EDB;
    bind_period(st, 1, p);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? store_column_json(st, 0) : json_null();
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

/* ---------------------------------------------------------------- reading */

static int period_entry(store *s, followup_period p, int64_t user_id, bool all, json_t **out)
{
    json_t *at;
    if (closed_at(s, p, &at) != 0)
        return PV_EDB;
    sqlite3_stmt *st = store_prepare(s, SQL_PERIOD_COUNTS);
    if (!st) {
        json_decref(at);
        return PV_EDB;
    }
    bind_scope(st, user_id, all);
    bind_period(st, 3, p);
    int rc = sqlite3_step(st);
    json_int_t total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    json_int_t reported = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        json_decref(at);
        return PV_EDB;
    }
    char text[FOLLOWUP_PERIOD_TEXT];
    followup_period_format(p, text);
    *out = json_pack("{s:s, s:i, s:s, s:b, s:o, s:I, s:I, s:I}", "period", text, "year", p.year,
                     "code", followup_period_code(p.kind), "closed", !json_is_null(at),
                     "closed_at", at, "total", total, "reported", reported, "missing",
                     total - reported);
    return PV_OK;
}

int store_report_periods(store *s, pv_date today, int64_t user_id, bool all, json_t **out)
{
    json_t *list = json_array();
    for (int year = today.year; year >= today.year - 1; year--) {
        for (int k = PERIOD_KIND_COUNT - 1; k >= 0; k--) {
            followup_period p = {year, (enum period_kind)k};
            json_t *e;
            if (!followup_period_opened(p, today))
                continue;
            if (period_entry(s, p, user_id, all, &e) != 0) {
                json_decref(list);
                return PV_EDB;
            }
            json_array_append_new(list, e);
        }
    }
    *out = list;
    return PV_OK;
}

int store_report_rows(store *s, followup_period p, int64_t user_id, bool all, const char *unit,
                      json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_REPORT_ROWS);
    if (!st)
        return PV_EDB;
    bind_scope(st, user_id, all);
    bind_period(st, 3, p);
    store_bind_text(st, 5, unit);
    sqlite3_bind_int(st, 6, ordinal(p));
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *report = json_null();
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            report = json_pack("{s:o, s:o, s:o, s:o, s:o}", "status", store_column_json(st, 6),
                               "progress", store_column_json(st, 7), "comment",
                               store_column_json(st, 8), "reported_at",
                               store_column_json(st, 9), "author", store_column_json(st, 10));
        json_array_append_new(
            list, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "measure_id",
                            store_column_json(st, 0), "title", store_column_json(st, 1),
                            "plan_id", store_column_json(st, 2), "plan_name",
                            store_column_json(st, 3), "units", store_column_json(st, 4),
                            "report", report, "previous_status", store_column_json(st, 11),
                            "previous_period", store_column_json(st, 12)));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return PV_EDB;
    }
    *out = list;
    return PV_OK;
}

int store_report_units(store *s, int64_t user_id, bool all, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_UNITS_OF);
    if (!st)
        return PV_EDB;
    bind_scope(st, user_id, all);
    static const char *const names[] = {"id", "name"};
    return store_collect_rows(s, st, names, PV_ARRAY_LEN(names), out);
}

int store_report_get(store *s, const char *measure_id, followup_period p, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_REPORT_GET);
    if (st) {
        store_bind_text(st, 1, measure_id);
        bind_period(st, 2, p);
    }
    return store_one_row(s, st, report_names, PV_ARRAY_LEN(report_names),
                         PV_ARRAY_LEN(report_names), out);
}

/* ---------------------------------------------------------------- saving */

static void report_error(json_t *errors, size_t index, const char *measure_id,
                         const char *field, const char *message)
{
    json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s}", "index", (json_int_t)index,
                                            "measure_id", measure_id ? measure_id : "", "field",
                                            field, "message", message));
}

static int one_text(store *s, const char *sql, const char *id, int64_t n, bool bind_n,
                    char *out, size_t size, bool *found)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    if (bind_n)
        sqlite3_bind_int64(st, 2, n);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (out)
        snprintf(out, size, "%s",
                 *found && sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
                                                      : "");
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

/* Checks one report; adds its errors. */
static int check_report(store *s, const actor *who, followup_period p, bool all,
                        const report_input *in, size_t index, json_t *errors)
{
    char kind[32], previous[32];
    bool found, member;
    int rc = one_text(s, SQL_MEASURE_KIND, in->measure_id, 0, false, kind, sizeof kind, &found);
    if (rc != 0)
        return rc;
    if (!found || strcmp(kind, "tiltak") != 0) {
        report_error(errors, index, in->measure_id, "measure_id",
                     N_("Tiltaket finnes ikke, eller det følges ikke opp med rapporter."));
        return PV_OK;
    }
    if (!all) {
        if ((rc = one_text(s, SQL_MEMBER, in->measure_id, who->user_id, true, NULL, 0,
                           &member)) != 0)
            return rc;
        if (!member) {
            report_error(errors, index, in->measure_id, "measure_id",
                         N_("Du hører ikke til en enhet som har ansvar for dette tiltaket."));
            return PV_OK;
        }
    }
    if ((rc = one_text(s, SQL_PREVIOUS, in->measure_id, ordinal(p), true, previous,
                       sizeof previous, &found)) != 0)
        return rc;
    const char *field = "status";
    const char *problem = followup_report_error(found ? previous : NULL, in->status,
                                                in->progress, in->comment, &field);
    if (problem)
        report_error(errors, index, in->measure_id, field ? field : "status", problem);
    return PV_OK;
}

static json_t *progress_json(int progress)
{
    return progress < 0 ? json_null() : json_integer(progress);
}

static json_t *comment_json(const char *comment)
{
    return comment && *comment ? json_string(comment) : json_null();
}

/* The changes of in against the stored report (NULL: none) in p. */
static json_t *report_changes(json_t *stored, const report_input *in, followup_period p)
{
    char text[FOLLOWUP_PERIOD_TEXT];
    followup_period_format(p, text);
    json_t *after = json_pack("{s:s, s:o, s:o}", "status", in->status, "progress",
                              progress_json(in->progress), "comment", comment_json(in->comment));
    json_t *changes = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(after, key, v) {
        json_t *before = stored ? json_object_get(stored, key) : NULL;
        if (!before)
            before = json_null();
        if (!json_equal(before, v))
            json_object_set_new(changes, key, json_pack("[O, O]", before, v));
    }
    json_decref(after);
    if (json_object_size(changes))
        json_object_set_new(changes, "period", stored ? json_pack("[s, s]", text, text)
                                                      : json_pack("[n, s]", text));
    return changes;
}

static int write_report(store *s, const actor *who, int64_t now, followup_period p,
                        const report_input *in)
{
    sqlite3_stmt *st = store_prepare(s, SQL_REPORT_UPSERT);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, in->measure_id);
    bind_period(st, 2, p);
    store_bind_text(st, 4, in->status);
    if (in->progress >= 0)
        sqlite3_bind_int(st, 5, in->progress);
    else
        sqlite3_bind_null(st, 5);
    store_bind_text(st, 6, in->comment && *in->comment ? in->comment : NULL);
    if (who->user_id > 0)
        sqlite3_bind_int64(st, 7, who->user_id);
    else
        sqlite3_bind_null(st, 7);
    sqlite3_bind_int64(st, 8, now);
    return store_edit_step(st);
}

/* Writes in when it differs from the stored report; audits it. */
static int save_one(store *s, const actor *who, int64_t now, followup_period p,
                    const report_input *in, int *saved)
{
    json_t *stored = NULL;
    int rc = store_report_get(s, in->measure_id, p, &stored);
    if (rc != 0 && rc != PV_ENOTFOUND)
        return rc;
    json_t *changes = report_changes(rc == 0 ? stored : NULL, in, p);
    rc = PV_OK;
    if (json_object_size(changes)) {
        rc = write_report(s, who, now, p, in);
        if (rc == 0)
            rc = store_audit_append(s, who, now, "report.save", "measure", in->measure_id,
                                    changes);
        if (rc == 0)
            (*saved)++;
    }
    json_decref(changes);
    json_decref(stored);
    return rc;
}

/* PV_ECONFLICT unless p has opened by today and is not closed. */
static int period_open(store *s, followup_period p, pv_date today)
{
    bool closed;
    int rc = store_period_closed(s, p, &closed);
    if (rc != 0)
        return rc;
    return closed || !followup_period_opened(p, today) ? PV_ECONFLICT : PV_OK;
}

int store_reports_save(store *s, const actor *who, int64_t now, pv_date today,
                       followup_period p, bool all, const report_input *in, size_t n,
                       json_t *errors, int *saved)
{
    *saved = 0;
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = period_open(s, p, today);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = check_report(s, who, p, all, &in[i], i, errors);
    if (rc == 0 && json_array_size(errors))
        rc = PV_EINVAL;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = save_one(s, who, now, p, &in[i], saved);
    rc = store_edit_finish(s, rc);
    if (rc != 0)
        *saved = 0;
    return rc;
}

int store_period_close(store *s, const actor *who, int64_t now, pv_date today,
                       followup_period p)
{
    if (store_begin(s) != 0)
        return PV_EDB;
    int rc = period_open(s, p, today);
    sqlite3_stmt *st = rc == 0 ? store_prepare(s, SQL_PERIOD_CLOSE) : NULL;
    if (rc == 0 && !st)
        rc = PV_EDB;
    if (rc == 0) {
        bind_period(st, 1, p);
        sqlite3_bind_int64(st, 3, now);
        if (who->user_id > 0)
            sqlite3_bind_int64(st, 4, who->user_id);
        else
            sqlite3_bind_null(st, 4);
        rc = store_edit_step(st);
    }
    if (rc == 0) {
        char text[FOLLOWUP_PERIOD_TEXT];
        followup_period_format(p, text);
        json_t *changes = json_pack("{s:[b, b]}", "closed", false, true);
        rc = store_audit_append(s, who, now, "period.close", "report_period", text, changes);
        json_decref(changes);
    }
    return store_edit_finish(s, rc);
}
