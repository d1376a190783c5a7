/* The database of a unit test: a fresh one in a temporary folder, seeded with SQL or with the
 * Moss demo data, and removed with its folder at the end. Header-only (static inline), so
 * every test binary compiles its own copy. Functions return 0 or -1 and print why to stderr;
 * the caller's setup returns -1 or asserts, as it does for its other steps.
 * Layer: tests. */
#ifndef PV_TEST_FIXTURE_DB_H
#define PV_TEST_FIXTURE_DB_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/pv.h"
#include "store/db.h"
#include "store/import.h"

/* Makes a folder from template (ending in XXXXXX) in dir[size], and opens or creates the
 * database `name` in it; the path goes to path[path_size] when path is not NULL. */
static inline store *fixture_db_open(char *dir, size_t size, const char *template,
                                     const char *name, char *path, size_t path_size)
{
    char own[256], err[1024] = "";
    if (!path) {
        path = own;
        path_size = sizeof own;
    }
    snprintf(dir, size, "%s", template);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return NULL;
    }
    snprintf(path, path_size, "%s/%s", dir, name);
    store *db = store_open(path, true, err, sizeof err);
    if (!db)
        fprintf(stderr, "store_open(%s): %s\n", path, err);
    return db;
}

/* Runs the statements of sql (seed data) on db. */
static inline int fixture_db_exec(store *db, const char *sql)
{
    char *e = NULL;
    if (sqlite3_exec(store_handle(db), sql, NULL, NULL, &e) != SQLITE_OK) {
        fprintf(stderr, "setup: %s\n", e);
        sqlite3_free(e);
        return -1;
    }
    return 0;
}

/* Imports data/moss/<kind>.json of the source tree for each of the n kinds, as one bundle. */
static inline int fixture_db_import_demo(store *db, const char *const *kinds, size_t n)
{
    json_t *bundle = json_object();
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[512];
        buf err = BUF_INIT;
        snprintf(path, sizeof path, "%s/data/moss/%s.json", PV_SOURCE_ROOT, kinds[i]);
        json_t *doc = store_import_load_file(path, &err);
        if (doc)
            json_object_set_new(bundle, kinds[i], doc);
        else {
            fprintf(stderr, "%s: %s\n", path, buf_cstr(&err));
            rc = -1;
        }
        buf_finish(&err);
    }
    if (rc == 0) {
        import_counts counts;
        buf err = BUF_INIT;
        if (store_import(db, "demo", bundle, &counts, NULL, NULL, &err) != 0) {
            fprintf(stderr, "import: %s\n", buf_cstr(&err));
            rc = -1;
        }
        buf_finish(&err);
    }
    json_decref(bundle);
    return rc;
}

/* Closes db (NULL is fine) and removes the folder dir with the files in it. */
static inline void fixture_db_remove(store *db, const char *dir)
{
    store_close(db);
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *ent;
        while ((ent = readdir(d))) {
            if (ent->d_name[0] == '.')
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
            unlink(path);
        }
        closedir(d);
    }
    if (rmdir(dir) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

#endif
