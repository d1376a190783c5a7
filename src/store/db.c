/* Connection set-up, migrations and the prepared-statement cache.
 * Layer: store. */
#include "store/db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/utf8.h"

struct pv_migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct pv_migration pv_migrations[];
extern const size_t pv_migrations_count;

/* The statement cache: open addressing by the address of the SQL literal. It starts with
 * STMT_INITIAL_SLOTS and doubles when half full, so it never refuses a statement: its keys
 * are the string literals of src/store/, a set fixed when the program is compiled (about 250
 * today), which bounds it. Nothing is evicted: a statement handed out may still be in use by
 * a caller further up the stack. */
#define STMT_INITIAL_SLOTS 256

typedef struct stmt_slot {
    const char *sql;
    sqlite3_stmt *stmt;
} stmt_slot;

struct store {
    sqlite3 *db;
    stmt_slot *slots;
    size_t n_slots;          /* a power of two */
    size_t n_used;
    bool write_failed;       /* a write failed because the database cannot be written */
    uint64_t data_version;   /* last PRAGMA data_version */
    uint64_t polled_at_ms;   /* when it was read (monotonic), 0 = never */
};

/* Commits by every connection of this process (store_commit). */
static _Atomic uint64_t process_commits;

static int exec(store *s, const char *sql, char *err, size_t err_size)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_size, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return PV_EDB;
    }
    return PV_OK;
}

int store_schema_version(store *s)
{
    sqlite3_stmt *st = store_prepare(s, "PRAGMA user_version");
    int v = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    if (st)
        sqlite3_reset(st);
    return v;
}

/* Applies each migration newer than PRAGMA user_version in its own transaction. */
static int migrate(store *s, char *err, size_t err_size)
{
    int current = store_schema_version(s);
    for (size_t i = 0; i < pv_migrations_count; i++) {
        const struct pv_migration *m = &pv_migrations[i];
        if (m->version <= current)
            continue;
        char msg[512];
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
        if (exec(s, "BEGIN IMMEDIATE", msg, sizeof msg) != 0 ||
            exec(s, m->sql, msg, sizeof msg) != 0 || exec(s, pragma, msg, sizeof msg) != 0 ||
            exec(s, "COMMIT", msg, sizeof msg) != 0) {
            store_rollback(s);
            snprintf(err, err_size, "migration %s failed: %s", m->name, msg);
            return PV_EDB;
        }
    }
    return PV_OK;
}

static int collate_nb(void *unused, int alen, const void *a, int blen, const void *b)
{
    (void)unused;
    return utf8_collate_nb(a, (size_t)alen, b, (size_t)blen);
}

store *store_open(const char *path, bool create, char *err, size_t err_size)
{
    store *s = pv_calloc(1, sizeof *s);
    s->n_slots = STMT_INITIAL_SLOTS;
    s->slots = pv_calloc(s->n_slots, sizeof *s->slots);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err_size, "cannot open the database %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_create_collation(s->db, "nb", SQLITE_UTF8, NULL, collate_nb);
    char msg[512];
    /* synchronous=FULL: a reply that says "saved" survives power loss, not only kill -9. */
    if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
             msg, sizeof msg) != 0 ||
        migrate(s, msg, sizeof msg) != 0) {
        snprintf(err, err_size, "%s: %s", path, msg);
        store_close(s);
        return NULL;
    }
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_slots; i++)
        sqlite3_finalize(s->slots[i].stmt);
    free(s->slots);
    sqlite3_close(s->db);
    free(s);
}

sqlite3 *store_handle(store *s)
{
    return s->db;
}

static size_t stmt_hash(const char *sql, size_t n_slots)
{
    return ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull & (n_slots - 1);
}

/* The slot of sql: its own, or the empty one where it belongs. The table is never full. */
static stmt_slot *stmt_slot_of(stmt_slot *slots, size_t n_slots, const char *sql)
{
    size_t i = stmt_hash(sql, n_slots);
    while (slots[i].sql && slots[i].sql != sql)
        i = (i + 1) & (n_slots - 1);
    return &slots[i];
}

/* Doubles the table (statements keep their handles; only their slots move). */
static void stmt_grow(store *s)
{
    size_t n = s->n_slots * 2;
    stmt_slot *slots = pv_calloc(n, sizeof *slots);
    for (size_t i = 0; i < s->n_slots; i++)
        if (s->slots[i].sql)
            *stmt_slot_of(slots, n, s->slots[i].sql) = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->n_slots = n;
}

size_t store_statement_count(const store *s)
{
    return s->n_used;
}

sqlite3_stmt *store_prepare(store *s, const char *sql)
{
    stmt_slot *slot = stmt_slot_of(s->slots, s->n_slots, sql);
    if (slot->sql) {
        sqlite3_reset(slot->stmt);
        sqlite3_clear_bindings(slot->stmt);
        return slot->stmt;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        pv_error("store: cannot prepare [%s]: %s", sql, sqlite3_errmsg(s->db));
        return NULL;
    }
    if (2 * (s->n_used + 1) > s->n_slots) {
        stmt_grow(s);
        slot = stmt_slot_of(s->slots, s->n_slots, sql);
    }
    *slot = (stmt_slot){sql, st};
    s->n_used++;
    return st;
}

/* Notes a failure of the connection's last operation that is the database's, not the
 * caller's: the file or folder is read-only, the disk is full, the file cannot be written or
 * another writer held the lock past the busy timeout. */
static void note_write_failure(store *s)
{
    switch (sqlite3_errcode(s->db)) {
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
        s->write_failed = true;
        break;
    default:
        break;
    }
}

bool store_write_failed(const store *s)
{
    return s->write_failed;
}

void store_clear_write_failed(store *s)
{
    s->write_failed = false;
}

int store_begin(store *s)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
        return PV_OK;
    pv_error("store: cannot begin a write: %s", sqlite3_errmsg(s->db));
    note_write_failure(s);
    return PV_EDB;
}

int store_commit(store *s)
{
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
        process_commits++;
        return PV_OK;
    }
    pv_error("store: commit failed: %s", sqlite3_errmsg(s->db));
    note_write_failure(s); /* the commit may have rolled back already */
    store_rollback(s);
    return PV_EDB;
}

void store_rollback(store *s)
{
    note_write_failure(s); /* the statement that failed, if one did, set the error code */
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_recover(store *s)
{
    for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st; st = sqlite3_next_stmt(s->db, st))
        if (sqlite3_stmt_busy(st))
            sqlite3_reset(st);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static uint64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts); /* no system call: read from the vDSO */
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t store_generation(store *s)
{
    uint64_t now = monotonic_ms();
    if (s->polled_at_ms == 0 || now - s->polled_at_ms >= STORE_POLL_MS) {
        /* data_version changes when another connection (or process) commits. */
        sqlite3_stmt *st = store_prepare(s, "PRAGMA data_version");
        if (st && sqlite3_step(st) == SQLITE_ROW)
            s->data_version = (uint64_t)sqlite3_column_int64(st, 0);
        if (st)
            sqlite3_reset(st);
        s->polled_at_ms = now ? now : 1;
    }
    return (s->data_version << 32) ^ process_commits;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

json_t *store_column_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_TEXT:
        return json_stringn((const char *)sqlite3_column_text(st, i),
                            (size_t)sqlite3_column_bytes(st, i));
    default:
        return json_null();
    }
}

json_t *store_column_parsed(sqlite3_stmt *st, int i)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_array();
}

/* Runs st (already bound) and collects each row as an object with the given names. */
int store_collect_rows(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                       json_t **out)
{
    return store_collect_rows_json(s, st, names, n, n, out);
}

int store_collect_rows_json(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                            size_t first_json, json_t **out)
{
    json_t *rows = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_object();
        for (size_t i = 0; i < n; i++)
            json_object_set_new(row, names[i], i < first_json ? store_column_json(st, (int)i)
                                                              : store_column_parsed(st, (int)i));
        json_array_append_new(rows, row);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        pv_error("store: query failed: %s", sqlite3_errmsg(store_handle(s)));
        json_decref(rows);
        return PV_EDB;
    }
    *out = rows;
    return PV_OK;
}

int store_one_row(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                  size_t first_json, json_t **out)
{
    if (!st)
        return PV_EDB;
    json_t *rows;
    int rc = store_collect_rows_json(s, st, names, n, first_json, &rows);
    if (rc != 0)
        return rc;
    if (json_array_size(rows) == 0) {
        json_decref(rows);
        return PV_ENOTFOUND;
    }
    *out = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return PV_OK;
}

/* Steps st once (bound) and resets it: true when it gave a row. */
static bool has_row(sqlite3_stmt *st)
{
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

bool store_exists(store *s, const char *sql, const char *id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return false;
    store_bind_text(st, 1, id);
    return has_row(st);
}

bool store_exists_int(store *s, const char *sql, int64_t id)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    return has_row(st);
}

bool store_exists_pair(store *s, const char *sql, const char *a, int64_t b)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (!st)
        return false;
    store_bind_text(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    return has_row(st);
}

int store_row_by_id(store *s, const char *sql, const char *id, const char *const *names,
                    size_t n, json_t **out)
{
    sqlite3_stmt *st = store_prepare(s, sql);
    if (st)
        store_bind_text(st, 1, id);
    return store_one_row(s, st, names, n, n, out);
}
