/* libFuzzer target for the JSON import: the input is parsed as store_import_load_file does
 * (jansson, duplicate keys refused) and, when it parses, imported into an in-memory SQLite
 * database — as plans.json when it is a list, as a bundle when it is an object. The database is
 * opened once, holding a small base (a plan, goals, a measure) that records may refer to. A
 * refused import rolls back by design; after an import that wrote records the database is
 * opened afresh, so every run starts from the same state and a crash always reproduces.
 * Besides crashes and leaks it traps when a promise of import.h is broken: a refused import
 * says why and writes nothing (the counts are unchanged), a successful one counts what it
 * wrote.
 * Layer: fuzz (store). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/db.h"
#include "store/import.h"
#include "store/plans.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond))                                                                        \
            __builtin_trap();                                                               \
    } while (0)

static const char base_bundle[] =
    "{\"plans\": [{\"id\": \"p\", \"name\": \"Plan\", \"theme\": \"Tema\"},"
    "             {\"id\": \"q\", \"name\": \"Q\", \"parent_plans\": [\"p\"]}],"
    " \"goals\": [{\"id\": \"v\", \"text\": \"Visjon\", \"level\": \"visjon\"},"
    "             {\"id\": \"g\", \"text\": \"Mål\", \"level\": \"hovedmål\", \"parent_id\": \"v\","
    "              \"plan_id\": \"p\"}],"
    " \"measures\": [{\"id\": \"m\", \"plan_id\": \"p\", \"kind\": \"tiltak\", \"title\": \"T\","
    "                 \"focus_area\": \"Område\", \"costs\": {\"2023\": 10}}]}";

static store *db;

static store *open_base(void)
{
    char err[512];
    store *s = store_open(":memory:", true, err, sizeof err);
    if (!s) {
        fprintf(stderr, "fuzz_import: %s\n", err);
        abort();
    }
    json_t *base = json_loads(base_bundle, 0, NULL);
    buf msg = BUF_INIT;
    import_counts counts;
    if (!base || store_import(s, "base.json", base, &counts, NULL, NULL, &msg) != 0) {
        fprintf(stderr, "fuzz_import: the base does not import: %s\n", buf_cstr(&msg));
        abort();
    }
    buf_finish(&msg);
    json_decref(base);
    return s;
}

/* plans + goals + measures + indicators in the database. */
static json_int_t total_rows(store *s)
{
    json_t *counts;
    CHECK(store_counts(s, &counts) == 0);
    json_int_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(counts, key, v) n += json_integer_value(v);
    json_decref(counts);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        db = open_base();
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return 0;
    const char *label = json_is_array(doc) ? "plans.json" : "bundle.json";
    json_int_t before = total_rows(db);
    buf err = BUF_INIT;
    import_counts counts;
    int rc = store_import(db, label, doc, &counts, NULL, NULL, &err);
    if (rc == 0) {
        CHECK(err.len == 0);
        /* Records replace those with the same id, so rows grow by at most the count. */
        json_int_t written = (json_int_t)(counts.plans + counts.goals + counts.indicators +
                                          counts.measures);
        CHECK(total_rows(db) <= before + written);
        if (written > 0) { /* back to the base; an empty import leaves it as it was */
            store_close(db);
            db = open_base();
        }
    } else {
        CHECK(rc == PV_EINVAL || rc == PV_ELIMIT); /* PV_EDB would be a validation gap */
        CHECK(err.len > 0 && strncmp(err.data, label, strlen(label)) == 0);
        CHECK(counts.plans + counts.goals + counts.indicators + counts.measures == 0);
        CHECK(total_rows(db) == before);
    }
    buf_finish(&err);
    json_decref(doc);
    return 0;
}
