/* The staff's reading and moderation of inputs, and the batch insert of a workshop's notes.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3); every change is written
 * with its audit event in the same BEGIN IMMEDIATE transaction. */
#include "store/inputs_staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "domain/input.h"
#include "domain/plan.h"

const char *const input_moderations[] = {"ny", "publisert", "avvist", NULL};

static const char SQL_LIST[] =
    "SELECT i.id, i.text, i.channel, i.sender_type, i.on_behalf_of, i.received_at,"
    " i.place_area, i.place_text, i.place_lat, i.place_lon, i.status, i.moderation, i.batch,"
    " u.name, i.themes, c.id, c.name, c.email, c.phone, c.consent"
    " FROM input i LEFT JOIN user u ON u.id = i.registered_by"
    " LEFT JOIN contact c ON c.input_id = i.id"
    " WHERE i.process_id = ?1 AND (?2 IS NULL OR i.channel = ?2)"
    " AND (?3 IS NULL OR i.moderation = ?3)"
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

static const char SQL_PROCESS_RULES[] = "SELECT themes, areas FROM process WHERE id = ?1";
static const char SQL_BATCH_INSERT[] =
    "INSERT INTO input (process_id, channel, sender_type, on_behalf_of, text, language,"
    " received_at, place_area, place_text, themes, registered_by, batch)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

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

/* ---------------------------------------------------------------- a batch */

typedef struct rules {
    json_t *themes, *areas;
} rules;

static int read_rules(store *s, const char *process_id, rules *out)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PROCESS_RULES);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->themes = store_column_parsed(st, 0);
        out->areas = store_column_parsed(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

/* Checks input k; its errors are appended to errors as {field "notes", message, detail}. */
static size_t check_one(json_t *in, size_t k, const rules *ru, json_t *errors)
{
    json_t *own = json_array();
    input_normalize(in);
    if (str(in, "name") || str(in, "email") || str(in, "phone"))
        field_error(own, "contact", N_("Notater fra et møte eller en workshop lagres uten kontaktopplysninger."), NULL);
    input_context ctx = {.themes = ru->themes, .areas = ru->areas, .staff = true};
    input_check(in, &ctx, own);
    char detail[24];
    snprintf(detail, sizeof detail, "%zu", k + 1);
    size_t i, n = json_array_size(own);
    json_t *e;
    json_array_foreach(own, i, e)
        json_array_append_new(errors, json_pack("{s:s, s:O, s:s}", "field", "notes", "message",
                                                json_object_get(e, "message"), "detail",
                                                detail));
    json_decref(own);
    return n;
}

static int insert_one(store *s, const actor *who, const char *process_id, int64_t received_at,
                      json_t *in, const char *batch, int64_t *id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_BATCH_INSERT);
    if (!st)
        return PV_EDB;
    const char *channel = str(in, "channel"), *sender = str(in, "sender_type");
    store_bind_text(st, 1, process_id);
    store_bind_text(st, 2, channel ? channel : "workshop");
    store_bind_text(st, 3, sender ? sender : "privatperson");
    store_bind_text(st, 4, str(in, "on_behalf_of"));
    store_bind_text(st, 5, str(in, "text"));
    store_bind_text(st, 6, str(in, "language"));
    sqlite3_bind_int64(st, 7, received_at);
    store_bind_text(st, 8, str(in, "place_area"));
    store_bind_text(st, 9, str(in, "place_text"));
    json_t *themes = json_object_get(in, "themes");
    char *themes_text = themes ? json_dumps(themes, JSON_COMPACT) : NULL;
    sqlite3_bind_text(st, 10, themes_text ? themes_text : "[]", -1, SQLITE_TRANSIENT);
    free(themes_text);
    if (who && who->user_id > 0)
        sqlite3_bind_int64(st, 11, who->user_id);
    else
        sqlite3_bind_null(st, 11);
    store_bind_text(st, 12, batch);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PV_EDB;
    *id = sqlite3_last_insert_rowid(store_handle(s));
    return PV_OK;
}

/* The audit event of one input of the batch: what input.create records for every staff
 * registration (store/inputs.c), without contact data. */
static int audit_one(store *s, const actor *who, int64_t now, const char *process_id,
                     int64_t id, json_t *in, const char *batch)
{
    char object_id[24];
    snprintf(object_id, sizeof object_id, "%lld", (long long)id);
    json_t *changes = json_object();
    static const char *const fields[] = {"channel", "sender_type", "on_behalf_of"};
    for (size_t i = 0; i < PV_ARRAY_LEN(fields); i++)
        if (str(in, fields[i]))
            json_object_set_new(changes, fields[i], json_pack("[n, s]", str(in, fields[i])));
    json_object_set_new(changes, "batch", json_pack("[n, s]", batch));
    json_object_set_new(changes, "process_id", json_pack("[n, s]", process_id));
    int rc = store_audit_append(s, who, now, "input.create", "input", object_id, changes);
    json_decref(changes);
    return rc;
}

static void new_batch_id(char out[STAFF_BATCH_ID_CHARS + 1])
{
    uint8_t raw[8];
    secret_random(raw, sizeof raw);
    out[0] = 'b';
    out[1] = '-';
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 + 2 * i, 3, "%02x", raw[i]);
}

int store_inputs_register_batch(store *s, const actor *who, const char *process_id,
                                int64_t received_at, int64_t now, json_t *inputs,
                                json_t *errors, char batch_out[STAFF_BATCH_ID_CHARS + 1])
{
    size_t n = json_array_size(inputs);
    if (!json_is_array(inputs) || n == 0 || n > STAFF_BATCH_MAX)
        return PV_ELIMIT;
    if (!process_id)
        return PV_ENOTFOUND;
    int rc = store_begin(s);
    if (rc != 0)
        return rc;
    rules ru = {0};
    rc = read_rules(s, process_id, &ru);
    size_t i;
    json_t *in;
    if (rc == 0) {
        size_t bad = 0;
        json_array_foreach(inputs, i, in) {
            if (json_is_object(in)) {
                bad += check_one(in, i, &ru, errors);
            } else {
                json_array_append_new(errors, json_pack("{s:s, s:s}", "field", "notes", "message",
                                                        N_("Innspillet må være et objekt.")));
                bad++;
            }
        }
        if (bad > 0)
            rc = PV_EINVAL;
    }
    char batch[STAFF_BATCH_ID_CHARS + 1];
    new_batch_id(batch);
    json_array_foreach(inputs, i, in) {
        int64_t id = 0;
        if (rc == 0)
            rc = insert_one(s, who, process_id, received_at, in, batch, &id);
        if (rc == 0)
            rc = audit_one(s, who, now, process_id, id, in, batch);
    }
    json_decref(ru.themes);
    json_decref(ru.areas);
    if (rc != 0) {
        store_rollback(s);
        return rc;
    }
    rc = store_commit(s);
    if (rc == 0)
        memcpy(batch_out, batch, sizeof batch);
    return rc;
}
