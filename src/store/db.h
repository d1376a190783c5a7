/* The database: one SQLite connection per thread, WAL mode, numbered migrations, and a cache
 * of prepared statements. Every SQL statement of planverk lives in src/store/ (DESIGN.md §2);
 * each store file keeps its statements as string literals next to the functions that run
 * them, and prepares them through store_prepare().
 * Layer: store. */
#ifndef PV_STORE_DB_H
#define PV_STORE_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "core/pv.h"

typedef struct store store;

/* Opens (creating if allowed) the database at path, sets WAL, foreign keys and a busy
 * timeout, and applies pending migrations. On failure returns NULL with a message in err. */
store *store_open(const char *path, bool create, char *err, size_t err_size);
void store_close(store *s); /* accepts NULL */

/* The statement for sql (a string literal of the store), prepared once per connection and
 * reset for reuse; NULL on a prepare error (a bug: the message is logged). */
sqlite3_stmt *store_prepare(store *s, const char *sql);
/* How many statements the connection keeps prepared (the cache grows; it never refuses). */
size_t store_statement_count(const store *s);
sqlite3 *store_handle(store *s);

/* Short write transactions (BEGIN IMMEDIATE); rollback accepts a store with no transaction.
 * Every write goes through these: a commit is what store_generation() counts. */
int store_begin(store *s) PV_NODISCARD;
int store_commit(store *s) PV_NODISCARD;
void store_rollback(store *s);
/* After work given up halfway (core/pv.h, a recovery point): resets the statements it left
 * stepped halfway and rolls back its transaction, so the connection serves the next request. */
void store_recover(store *s);

/* Whether a write failed since store_clear_write_failed because the database cannot be
 * written now (read-only file or folder, disk full, I/O error, locked too long), not because
 * of what was written: the web layer answers 503 then instead of 500. */
bool store_write_failed(const store *s);
void store_clear_write_failed(store *s);

/* A number that changes whenever the database content may have changed: the response cache
 * keys on it. A commit through any store of this process changes it at once; a commit by
 * another process (planverk import while the server runs) within STORE_POLL_MS, since
 * asking SQLite (PRAGMA data_version) takes file locks and is kept off the hot path. */
#define STORE_POLL_MS 100
uint64_t store_generation(store *s);

/* The schema version (number of the last applied migration). */
int store_schema_version(store *s);

/* Steps the bound statement st to the end and collects each row as an object whose keys
 * are names[0..n) (one per column), then resets st. */
int store_collect_rows(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                       json_t **out) PV_NODISCARD;
/* As store_collect_rows, with columns first_json..n-1 holding JSON text (parsed; an empty
 * array when NULL). */
int store_collect_rows_json(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                            size_t first_json, json_t **out) PV_NODISCARD;
/* The one row of st (bound; NULL when it could not be prepared: PV_EDB) as with
 * store_collect_rows_json; PV_ENOTFOUND when there is no row. */
int store_one_row(store *s, sqlite3_stmt *st, const char *const *names, size_t n,
                  size_t first_json, json_t **out) PV_NODISCARD;
/* Whether sql returns a row with ?1 bound to the text id / to the integer id / to the
 * text a and ?2 to the integer b. False also when it cannot be prepared. */
bool store_exists(store *s, const char *sql, const char *id);
bool store_exists_int(store *s, const char *sql, int64_t id);
bool store_exists_pair(store *s, const char *sql, const char *a, int64_t b);
/* The one row of sql, its ?1 bound to the text id, with names; PV_ENOTFOUND without a row. */
int store_row_by_id(store *s, const char *sql, const char *id, const char *const *names,
                    size_t n, json_t **out) PV_NODISCARD;

/* Binds text or NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Column i as a new JSON value: string/integer/real, or null. */
json_t *store_column_json(sqlite3_stmt *st, int i);
/* Column i (a JSON text) parsed; an empty array when NULL or malformed. */
json_t *store_column_parsed(sqlite3_stmt *st, int i);

#endif
