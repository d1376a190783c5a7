/* The staff's reading and moderation of inputs (the batch insert of a workshop's notes is
 * in inputs.c, beside the insert it shares its rules with).
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3); every change is written
 * with its audit event in the same BEGIN IMMEDIATE transaction. */
#include "store/inputs_staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/input.h"

const char *const input_moderations[] = {"ny", "publisert", "avvist", NULL};

static const char SQL_LIST[] =
    "SELECT i.id, i.text, i.channel, i.sender_type, i.on_behalf_of, i.received_at,"
    " i.place_area, i.place_text, i.place_lat, i.place_lon, i.status, i.moderation, i.batch,"
    " u.name, i.themes, c.id, c.name, c.email, c.phone, c.consent, i.assessment_id, a.outcome"
    " FROM input i LEFT JOIN user u ON u.id = i.registered_by"
    " LEFT JOIN contact c ON c.input_id = i.id"
    " LEFT JOIN assessment a ON a.id = i.assessment_id"
    " WHERE i.process_id = ?1 AND (?2 IS NULL OR i.channel = ?2)"
    " AND (?3 IS NULL OR i.moderation = ?3) AND (?5 IS NULL OR i.status = ?5)"
    " AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(i.themes) t WHERE t.value = ?6))"
    " AND (?7 IS NULL OR a.outcome = ?7) AND (?8 IS NULL OR i.id = ?8)"
    " ORDER BY i.received_at DESC, i.id DESC LIMIT ?4";
static const char *const list_names[] = {
    "id",          "text",       "channel", "sender_type", "on_behalf_of",
    "received_at", "place_area", "place_text", "lat",      "lon",
    "status",      "moderation", "batch",   "registered_by"};

static const char SQL_COUNTS[] =
    "SELECT moderation, count(*) FROM input WHERE process_id = ?1 GROUP BY moderation";

static const char SQL_MODERATION_GET[] =
    "SELECT moderation FROM input WHERE id = ?1 AND process_id = ?2";
static const char SQL_MODERATION_SET[] = "UPDATE input SET moderation = ?2 WHERE id = ?1";

/* ---------------------------------------------------------------- reading */

static json_t *list_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    for (int i = 0; i < (int)PV_ARRAY_LEN(list_names); i++)
        json_object_set_new(o, list_names[i], store_column_json(st, i));
    json_object_set_new(o, "themes", store_column_parsed(st, 14));
    json_t *contact = json_null();
    if (sqlite3_column_type(st, 15) != SQLITE_NULL)
        contact = json_pack("{s:o, s:o, s:o, s:b}", "name", store_column_json(st, 16), "email",
                            store_column_json(st, 17), "phone", store_column_json(st, 18),
                            "consent", sqlite3_column_int(st, 19) != 0);
    json_object_set_new(o, "contact", contact);
    json_object_set_new(o, "assessment_id", store_column_json(st, 20));
    json_object_set_new(o, "outcome", store_column_json(st, 21));
    return o;
}

int store_inputs_staff_list(store *s, const char *process_id, const staff_input_filter *f,
                            json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LIST);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    store_bind_text(st, 2, f ? f->channel : NULL);
    store_bind_text(st, 3, f ? f->moderation : NULL);
    sqlite3_bind_int(st, 4, STAFF_INPUTS_LIST_MAX);
    store_bind_text(st, 5, f ? f->status : NULL);
    store_bind_text(st, 6, f ? f->theme : NULL);
    store_bind_text(st, 7, f ? f->outcome : NULL);
    sqlite3_bind_null(st, 8);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(list, list_row(st));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return PV_EDB;
    }
    *out = list;
    return PV_OK;
}

int store_input_staff_get(store *s, const char *process_id, int64_t input_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_LIST);
    if (!st)
        return PV_EDB;
    sqlite3_clear_bindings(st); /* no filter but the id */
    store_bind_text(st, 1, process_id);
    sqlite3_bind_int(st, 4, 1);
    sqlite3_bind_int64(st, 8, input_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = list_row(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

int store_inputs_staff_counts(store *s, const char *process_id, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_COUNTS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    json_t *counts = json_pack("{s:i, s:i, s:i, s:i}", "total", 0, "ny", 0, "publisert", 0,
                               "avvist", 0);
    json_int_t total = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *state = (const char *)sqlite3_column_text(st, 0);
        json_int_t n = sqlite3_column_int64(st, 1);
        if (state && input_in_list(input_moderations, state))
            json_object_set_new(counts, state, json_integer(n));
        total += n;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(counts);
        return PV_EDB;
    }
    json_object_set_new(counts, "total", json_integer(total));
    *out = counts;
    return PV_OK;
}

/* ---------------------------------------------------------------- moderation */

static int moderation_of(store *s, const char *process_id, int64_t input_id, char *out,
                         size_t size)
{
    sqlite3_stmt *st = store_prepare(s, SQL_MODERATION_GET);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, input_id);
    store_bind_text(st, 2, process_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

int store_input_moderate(store *s, const actor *who, int64_t now, const char *process_id,
                         int64_t input_id, const char *state)
{
    if (!input_in_list(input_moderations, state))
        return PV_EINVAL;
    int rc = store_begin(s);
    if (rc != 0)
        return rc;
    char before[16] = "";
    rc = moderation_of(s, process_id, input_id, before, sizeof before);
    bool changed = rc == 0 && strcmp(before, state) != 0;
    if (changed) {
        sqlite3_stmt *st = store_prepare(s, SQL_MODERATION_SET);
        if (!st) {
            rc = PV_EDB;
        } else {
            sqlite3_bind_int64(st, 1, input_id);
            store_bind_text(st, 2, state);
            rc = sqlite3_step(st) == SQLITE_DONE ? PV_OK : PV_EDB;
            sqlite3_reset(st);
        }
    }
    if (changed && rc == 0) {
        char object_id[24];
        snprintf(object_id, sizeof object_id, "%lld", (long long)input_id);
        json_t *changes = json_pack("{s:[s, s], s:[n, s]}", "moderation", before, state,
                                    "process_id", process_id);
        rc = store_audit_append(s, who, now, "input.moderate", "input", object_id, changes);
        json_decref(changes);
    }
    if (rc == 0 && changed)
        return store_commit(s);
    store_rollback(s);
    return rc;
}
