/* Inputs: the insert shared by every channel, receipts, published inputs, the rate limit.
 * Layer: store. All SQL is literal and bound (STYLE.md habit 3). The insert reads the
 * process inside its own BEGIN IMMEDIATE transaction, so what was checked (open, themes,
 * areas) is what holds when the row is written. */
#include "store/inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "domain/input.h"
#include "domain/plan.h"
#include "store/feedback.h"

static const char SQL_PROCESS[] =
    "SELECT status, coalesce(opens_at, 0), coalesce(deadline, 0), themes, areas"
    " FROM process WHERE id = ?1";

static const char SQL_INSERT[] =
    "INSERT INTO input (process_id, channel, sender_type, on_behalf_of, text, language,"
    " received_at, place_lat, place_lon, place_area, place_text, themes, age_group,"
    " home_area, receipt_hash, registered_by, batch)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

static const char SQL_CONTACT[] =
    "INSERT INTO contact (input_id, name, email, phone, organisation, consent, erase_after)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static const char SQL_HASH_TAKEN[] = "SELECT 1 FROM input WHERE receipt_hash = ?1";

#define PUBLIC_COLUMNS                                                                      \
    "i.id, i.text, i.place_area, i.place_text, i.place_lat, i.place_lon, i.channel,"        \
    " i.sender_type, i.on_behalf_of, i.received_at, i.status, i.moderation, i.themes"
static const char *const public_names[] = {
    "id", "text", "place_area", "place_text", "lat", "lon", "channel", "sender_type",
    "on_behalf_of", "received_at", "status", "moderation", "themes"};

static const char SQL_RECEIPT[] =
    "SELECT " PUBLIC_COLUMNS ", p.id, p.title, p.status, p.deadline"
    " FROM input i JOIN process p ON p.id = i.process_id WHERE i.receipt_hash = ?1";

static const char SQL_PUBLISHED[] =
    "SELECT " PUBLIC_COLUMNS " FROM input i JOIN process p ON p.id = i.process_id"
    " WHERE i.process_id = ?1 AND (i.moderation = 'publisert'"
    "  OR (p.publish_at_once <> 0 AND i.moderation <> 'avvist'))"
    " ORDER BY i.received_at, i.id LIMIT ?2";

static const char SQL_RATE_GET[] = "SELECT window_start, count FROM rate_limit WHERE key = ?1";
static const char SQL_RATE_PUT[] =
    "INSERT INTO rate_limit (key, window_start, count) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start,"
    " count = excluded.count";
static const char SQL_RATE_PRUNE[] = "DELETE FROM rate_limit WHERE window_start < ?1";

/* ---------------------------------------------------------------- insert */

typedef struct process_state {
    char status[32];
    int64_t opens_at, deadline;
    json_t *themes, *areas;
} process_state;

static int read_process(store *s, const char *id, process_state *p)
{
    sqlite3_stmt *st = store_prepare(s, SQL_PROCESS);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(p->status, sizeof p->status, "%s", (const char *)sqlite3_column_text(st, 0));
        p->opens_at = sqlite3_column_int64(st, 1);
        p->deadline = sqlite3_column_int64(st, 2);
        p->themes = store_column_parsed(st, 3);
        p->areas = store_column_parsed(st, 4);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? PV_OK : rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
}

static const char *str(json_t *in, const char *key)
{
    return json_string_value(json_object_get(in, key));
}

static void bind_opt_real(sqlite3_stmt *st, int i, json_t *v)
{
    if (json_is_number(v))
        sqlite3_bind_double(st, i, json_number_value(v));
    else
        sqlite3_bind_null(st, i);
}

/* A new receipt code not yet in use; its hash into hash. */
static int new_receipt(store *s, char code[RECEIPT_CODE_CHARS + 1],
                       uint8_t hash[SECRET_HASH_BYTES])
{
    for (int attempt = 0; attempt < 4; attempt++) {
        uint8_t raw[RECEIPT_RAW_BYTES];
        char norm[RECEIPT_SYMBOLS + 1];
        secret_random(raw, sizeof raw);
        receipt_code_format(raw, code);
        if (!receipt_code_normalize(code, norm))
            return PV_EINVAL; /* cannot happen: a formatted code reads back */
        secret_token_hash(norm, hash);
        sqlite3_stmt *st = store_prepare(s, SQL_HASH_TAKEN);
        if (!st)
            return PV_EDB;
        sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return PV_OK;
        if (rc != SQLITE_ROW)
            return PV_EDB;
    }
    return PV_EDB; /* four collisions of 100 random bits: the generator is broken */
}

static int write_input(store *s, const input_meta *m, int64_t received, json_t *in,
                       const uint8_t hash[SECRET_HASH_BYTES], int64_t *id)
{
    sqlite3_stmt *st = store_prepare(s, SQL_INSERT);
    if (!st)
        return PV_EDB;
    const char *channel = str(in, "channel"), *sender = str(in, "sender_type");
    store_bind_text(st, 1, m->process_id);
    store_bind_text(st, 2, channel ? channel : "web");
    store_bind_text(st, 3, sender ? sender : "privatperson");
    store_bind_text(st, 4, str(in, "on_behalf_of"));
    store_bind_text(st, 5, str(in, "text"));
    store_bind_text(st, 6, str(in, "language"));
    sqlite3_bind_int64(st, 7, received);
    bind_opt_real(st, 8, json_object_get(in, "lat"));
    bind_opt_real(st, 9, json_object_get(in, "lon"));
    store_bind_text(st, 10, str(in, "place_area"));
    store_bind_text(st, 11, str(in, "place_text"));
    json_t *themes = json_object_get(in, "themes");
    char *themes_text = themes ? json_dumps(themes, JSON_COMPACT) : NULL;
    sqlite3_bind_text(st, 12, themes_text ? themes_text : "[]", -1, SQLITE_TRANSIENT);
    free(themes_text);
    store_bind_text(st, 13, str(in, "age_group"));
    store_bind_text(st, 14, str(in, "home_area"));
    if (hash)
        sqlite3_bind_blob(st, 15, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 15); /* a batch of notes: no sender waits for a receipt */
    if (m->who && m->who->user_id > 0)
        sqlite3_bind_int64(st, 16, m->who->user_id);
    else
        sqlite3_bind_null(st, 16);
    store_bind_text(st, 17, m->batch);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return PV_EDB;
    *id = sqlite3_last_insert_rowid(store_handle(s));
    return PV_OK;
}

static int write_contact(store *s, int64_t id, int64_t received, json_t *in)
{
    const char *name = str(in, "name"), *email = str(in, "email"), *phone = str(in, "phone");
    if (!name && !email && !phone)
        return PV_OK;
    sqlite3_stmt *st = store_prepare(s, SQL_CONTACT);
    if (!st)
        return PV_EDB;
    sqlite3_bind_int64(st, 1, id);
    store_bind_text(st, 2, name);
    store_bind_text(st, 3, email);
    store_bind_text(st, 4, phone);
    store_bind_text(st, 5, str(in, "on_behalf_of"));
    sqlite3_bind_int(st, 6, json_is_true(json_object_get(in, "consent")));
    sqlite3_bind_int64(st, 7, received + INPUT_CONTACT_KEEP_SECONDS);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? PV_OK : PV_EDB;
}

static int audit_create(store *s, const input_meta *m, int64_t now, int64_t id, json_t *in)
{
    if (!m->who)
        return PV_OK;
    char object_id[24];
    snprintf(object_id, sizeof object_id, "%lld", (long long)id);
    /* What was registered, without the contact data (the audit trail is read by staff,
     * but it is kept for ever and contact data are not). */
    json_t *changes = json_object();
    static const char *const fields[] = {"channel", "sender_type", "on_behalf_of", "batch"};
    for (size_t i = 0; i < PV_ARRAY_LEN(fields); i++) {
        const char *v = i == 3 ? m->batch : str(in, fields[i]);
        if (v)
            json_object_set_new(changes, fields[i], json_pack("[n, s]", v));
    }
    json_object_set_new(changes, "process_id", json_pack("[n, s]", m->process_id));
    int rc = store_audit_append(s, m->who, now, "input.create", "input", object_id, changes);
    json_decref(changes);
    return rc;
}

static void process_state_finish(process_state *p)
{
    json_decref(p->themes);
    json_decref(p->areas);
    *p = (process_state){0};
}

static bool process_state_same(const process_state *a, const process_state *b)
{
    return strcmp(a->status, b->status) == 0 && a->opens_at == b->opens_at &&
           a->deadline == b->deadline && json_equal(a->themes, b->themes) &&
           json_equal(a->areas, b->areas);
}

/* Whether process p takes input in now, and in fits it: PV_ECONFLICT (closed) or
 * PV_EINVAL with the reasons in errors. */
static int check_input(const input_meta *m, int64_t now, const process_state *p, json_t *in,
                       json_t *errors)
{
    if (!m->who && !process_accepts_inputs(p->status, p->opens_at, p->deadline, now)) {
        bool not_yet = strcmp(p->status, "planlagt") == 0 || (p->opens_at && now < p->opens_at);
        field_error(errors, "process",
                    not_yet ? N_("Denne prosessen har ikke åpnet for innspill ennå. Ingenting ble lagret.")
                            : N_("Fristen for innspill er ute, så innspillet ble ikke lagret. Ta kontakt med kommunen hvis du likevel vil si noe."),
                    NULL);
        return PV_ECONFLICT;
    }
    input_context ctx = {.themes = p->themes, .areas = p->areas, .staff = m->who != NULL};
    return input_check(in, &ctx, errors) > 0 ? PV_EINVAL : PV_OK;
}

/* Reads the process and checks what is to be written against it (check, with arg) before
 * the write lock is taken, so that no other write of the server waits while a body is
 * validated; then begins the write and reads the process again. Only when it changed in
 * between (rare: a deadline moved) is the check made again, under the lock. On success the
 * transaction is open and *p holds the process as it is inside it. */
static int check_then_begin(store *s, const char *process_id, process_state *p,
                            int (*check)(const process_state *p, void *arg), void *arg)
{
    int rc = read_process(s, process_id, p);
    if (rc == 0)
        rc = check(p, arg);
    if (rc == 0)
        rc = store_begin(s);
    if (rc != 0)
        return rc;
    process_state now = {0};
    rc = read_process(s, process_id, &now);
    if (rc == 0 && !process_state_same(p, &now))
        rc = check(&now, arg);
    process_state_finish(p);
    *p = now;
    if (rc != 0)
        store_rollback(s);
    return rc;
}

typedef struct one_input {
    const input_meta *m;
    int64_t now;
    json_t *in, *errors;
} one_input;

static int check_one(const process_state *p, void *arg)
{
    one_input *o = arg;
    return check_input(o->m, o->now, p, o->in, o->errors);
}

int store_input_insert(store *s, const input_meta *m, int64_t now, json_t *in, json_t *errors,
                       char code_out[RECEIPT_CODE_CHARS + 1], int64_t *id_out)
{
    if (!m->process_id)
        return PV_ENOTFOUND;
    input_normalize(in);
    process_state p = {0};
    one_input o = {m, now, in, errors};
    int rc = check_then_begin(s, m->process_id, &p, check_one, &o);
    process_state_finish(&p);
    if (rc != 0)
        return rc;
    uint8_t hash[SECRET_HASH_BYTES];
    int64_t id = 0, received = m->received_at > 0 ? m->received_at : now;
    rc = new_receipt(s, code_out, hash);
    if (rc == 0)
        rc = write_input(s, m, received, in, hash, &id);
    if (rc == 0)
        rc = write_contact(s, id, received, in);
    if (rc == 0)
        rc = audit_create(s, m, now, id, in);
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (rc == 0 && id_out)
        *id_out = id;
    return rc;
}

/* ---------------------------------------------------------------- a batch */

/* Checks input k of a batch; its errors are appended as {field "notes", message, detail}. */
static size_t check_batch_item(json_t *in, size_t k, const process_state *p, json_t *errors)
{
    json_t *own = json_array();
    if (!json_is_object(in)) {
        field_error(own, "notes", N_("Innspillet må være et objekt."), NULL);
    } else {
        input_normalize(in);
        if (str(in, "name") || str(in, "email") || str(in, "phone"))
            field_error(own, "contact", N_("Notater fra et møte eller en workshop lagres uten kontaktopplysninger."), NULL);
        input_context ctx = {.themes = p->themes, .areas = p->areas, .staff = true};
        input_check(in, &ctx, own);
    }
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

static void new_batch_id(char out[STAFF_BATCH_ID_CHARS + 1])
{
    uint8_t raw[8];
    secret_random(raw, sizeof raw);
    out[0] = 'b';
    out[1] = '-';
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 + 2 * i, 3, "%02x", raw[i]);
}

typedef struct batch_check {
    json_t *inputs, *errors;
} batch_check;

static int check_batch(const process_state *p, void *arg)
{
    batch_check *b = arg;
    size_t i, bad = 0;
    json_t *in;
    json_array_foreach(b->inputs, i, in) bad += check_batch_item(in, i, p, b->errors);
    return bad > 0 ? PV_EINVAL : PV_OK;
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
    process_state p = {0};
    batch_check b = {inputs, errors};
    int rc = check_then_begin(s, process_id, &p, check_batch, &b);
    process_state_finish(&p);
    if (rc != 0)
        return rc;
    char batch[STAFF_BATCH_ID_CHARS + 1];
    new_batch_id(batch);
    input_meta m = {.process_id = process_id, .received_at = received_at, .who = who,
                    .batch = batch};
    size_t i;
    json_t *in;
    json_array_foreach(inputs, i, in) {
        int64_t id = 0;
        if (rc == 0 && !str(in, "channel"))
            json_object_set_new(in, "channel", json_string("workshop"));
        if (rc == 0)
            rc = write_input(s, &m, received_at, in, NULL, &id);
        if (rc == 0)
            rc = audit_create(s, &m, now, id, in);
    }
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (rc == 0)
        memcpy(batch_out, batch, sizeof batch);
    return rc;
}

/* ---------------------------------------------------------------- reading */

/* The public fields of the row st is on (columns 0..12). */
static json_t *public_input(sqlite3_stmt *st)
{
    json_t *o = json_object();
    for (int i = 0; i < 12; i++)
        json_object_set_new(o, public_names[i], store_column_json(st, i));
    json_object_set_new(o, "themes", store_column_parsed(st, 12));
    return o;
}

int store_receipt_get(store *s, const char *code, json_t **out)
{
    char norm[RECEIPT_SYMBOLS + 1];
    if (!code || strlen(code) > 64 || !receipt_code_normalize(code, norm))
        return PV_ENOTFOUND;
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token_hash(norm, hash);
    sqlite3_stmt *st = store_prepare(s, SQL_RECEIPT);
    if (!st)
        return PV_EDB;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_BYTES, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char formatted[RECEIPT_CODE_CHARS + 1];
        size_t o = 0;
        for (int i = 0; i < RECEIPT_SYMBOLS; i++) {
            if (i > 0 && i % 4 == 0)
                formatted[o++] = '-';
            formatted[o++] = norm[i];
        }
        formatted[o] = '\0';
        json_t *process = json_object();
        json_object_set_new(process, "id", store_column_json(st, 13));
        json_object_set_new(process, "title", store_column_json(st, 14));
        json_object_set_new(process, "status", store_column_json(st, 15));
        json_object_set_new(process, "deadline", store_column_json(st, 16));
        *out = json_pack("{s:s, s:o, s:o}", "code", formatted, "input", public_input(st),
                         "process", process);
    }
    int64_t input_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? PV_ENOTFOUND : PV_EDB;
    /* The newest feedback to the sender: {text, language, written_at, outcome}, or null. */
    json_t *feedback;
    if (store_feedback_latest(s, input_id, &feedback) != 0) {
        json_decref(*out);
        *out = NULL;
        return PV_EDB;
    }
    json_object_set_new(*out, "feedback", feedback);
    return PV_OK;
}

int store_inputs_published(store *s, const char *process_id, int limit, json_t **out)
{
    if (limit < 1 || limit > 1000)
        limit = 1000;
    sqlite3_stmt *st = store_prepare(s, SQL_PUBLISHED);
    if (!st)
        return PV_EDB;
    store_bind_text(st, 1, process_id);
    sqlite3_bind_int(st, 2, limit);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(list, public_input(st));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return PV_EDB;
    }
    *out = list;
    return PV_OK;
}

/* ---------------------------------------------------------------- rate limit */

int store_rate_allow(store *s, const char *address, int64_t now)
{
    uint8_t hash[SECRET_HASH_BYTES];
    secret_token_hash(address ? address : "", hash);
    char key[2 * SECRET_HASH_BYTES + 1];
    for (size_t i = 0; i < SECRET_HASH_BYTES; i++)
        snprintf(key + 2 * i, 3, "%02x", hash[i]);
    if (store_begin(s) != 0)
        return PV_EDB;
    rate_window w = {0};
    sqlite3_stmt *get = store_prepare(s, SQL_RATE_GET);
    sqlite3_stmt *put = store_prepare(s, SQL_RATE_PUT);
    sqlite3_stmt *prune = store_prepare(s, SQL_RATE_PRUNE);
    int rc = get && put && prune ? PV_OK : PV_EDB;
    if (rc == 0) {
        store_bind_text(get, 1, key);
        int step = sqlite3_step(get);
        if (step == SQLITE_ROW) {
            w.start = sqlite3_column_int64(get, 0);
            w.count = sqlite3_column_int64(get, 1);
        } else if (step != SQLITE_DONE) {
            rc = PV_EDB;
        }
        sqlite3_reset(get);
    }
    bool allowed = rc == 0 && rate_allow(&w, now, RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW);
    if (rc == 0) {
        store_bind_text(put, 1, key);
        sqlite3_bind_int64(put, 2, w.start);
        sqlite3_bind_int64(put, 3, w.count);
        rc = sqlite3_step(put) == SQLITE_DONE ? PV_OK : PV_EDB;
        sqlite3_reset(put);
    }
    if (rc == 0) {
        sqlite3_bind_int64(prune, 1, now - 2 * RATE_LIMIT_WINDOW);
        rc = sqlite3_step(prune) == SQLITE_DONE ? PV_OK : PV_EDB;
        sqlite3_reset(prune);
    }
    if (rc == 0)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc != 0 ? PV_EDB : allowed ? 1 : 0;
}
