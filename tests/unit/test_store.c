/* Unit tests for the store on a real SQLite file in a temporary folder: creation and
 * migration, WAL, the Moss demo data imported as one bundle and read back through every query
 * (lists, filters, Norwegian sorting, one plan with everything on it, goals, search), the
 * generation counter across two connections, and export → import → export as a round trip.
 * Layer: tests (store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/utf8.h"
#include "domain/costs.h"
#include "store/db.h"
#include "store/export.h"
#include "store/goals.h"
#include "store/import.h"
#include "store/plans.h"
#include "store/search.h"

#define DEMO_DIR PV_SOURCE_ROOT "/data/moss/"
#define MIGRATIONS_DIR PV_SOURCE_ROOT "/src/store/migrations"

typedef struct fixture {
    char dir[64];
    char path[128]; /* the demo database */
    store *db;
} fixture;

/* ---- helpers -------------------------------------------------------------------------- */

static void db_path(const fixture *f, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", f->dir, name);
}

static store *open_store(const char *path)
{
    char err[512] = "";
    store *s = store_open(path, true, err, sizeof err);
    if (!s)
        fail_msg("store_open(%s): %s", path, err);
    return s;
}

/* The four demo files as one bundle {plans, goals, indicators, measures}. */
static json_t *demo_bundle(void)
{
    static const char *const kinds[] = {"plans", "goals", "indicators", "measures"};
    json_t *bundle = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(kinds); i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s.json", DEMO_DIR, kinds[i]);
        buf err = BUF_INIT;
        json_t *doc = store_import_load_file(path, &err);
        if (!doc)
            fail_msg("%s", buf_cstr(&err));
        buf_finish(&err);
        json_object_set_new(bundle, kinds[i], doc);
    }
    return bundle;
}

static void import_doc(store *s, const char *label, json_t *doc, import_counts *counts)
{
    buf err = BUF_INIT;
    import_counts local;
    int rc = store_import(s, label, doc, counts ? counts : &local, NULL, NULL, &err);
    if (rc != 0)
        fail_msg("store_import(%s) = %d: %s", label, rc, buf_cstr(&err));
    buf_finish(&err);
}

/* The number of the last migration file NNNN_name.sql. */
static int last_migration(void)
{
    DIR *d = opendir(MIGRATIONS_DIR);
    assert_non_null(d);
    int last = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 9 || strcmp(e->d_name + len - 4, ".sql") != 0)
            continue;
        int v = atoi(e->d_name);
        if (v > last)
            last = v;
    }
    closedir(d);
    return last;
}

static const char *text_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_t *plans_list(store *s, const char *theme, const char *type, const char *status,
                          bool by_year)
{
    plan_filter f = {theme, type, status, by_year};
    json_t *list = NULL;
    assert_int_equal(store_plans_list(s, &f, &list), PV_OK);
    return list;
}

static size_t count_plans(store *s, const char *theme, const char *type, const char *status)
{
    json_t *list = plans_list(s, theme, type, status, false);
    size_t n = json_array_size(list);
    json_decref(list);
    return n;
}

/* Removes the folder and the files in it (the store leaves -wal and -shm beside a db). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int group_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/pv-test-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/demo.db", f->dir);
    char err[512];
    f->db = store_open(f->path, true, err, sizeof err);
    if (!f->db) {
        fprintf(stderr, "# store_open: %s\n", err);
        return -1;
    }
    json_t *bundle = demo_bundle();
    buf msg = BUF_INIT;
    import_counts counts;
    int rc = store_import(f->db, "demo", bundle, &counts, NULL, NULL, &msg);
    if (rc != 0)
        fprintf(stderr, "# import: %s\n", buf_cstr(&msg));
    buf_finish(&msg);
    json_decref(bundle);
    *state = f;
    return rc == 0 && counts.plans == 58 && counts.goals == 49 && counts.indicators == 9 &&
                   counts.measures == 216
               ? 0
               : -1;
}

static int group_teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    store_close(f->db);
    remove_dir(f->dir);
    free(f);
    return 0;
}

/* ---- opening and migrating ------------------------------------------------------------ */

static void test_open_creates_and_migrates(void **state)
{
    fixture *f = *state;
    char path[256];
    db_path(f, "fresh.db", path, sizeof path);
    assert_int_not_equal(access(path, F_OK), 0);
    store *s = open_store(path);
    assert_int_equal(access(path, F_OK), 0);
    int last = last_migration();
    assert_true(last >= 1);
    assert_int_equal(store_schema_version(s), last);
    /* The tables of the first migration exist and are empty. */
    json_t *counts;
    assert_int_equal(store_counts(s, &counts), PV_OK);
    json_t *zero = json_pack("{s:i, s:i, s:i, s:i}", "plans", 0, "goals", 0, "measures", 0,
                             "indicators", 0);
    assert_true(json_equal(counts, zero));
    json_decref(zero);
    json_decref(counts);
    store_close(s);
    store_close(NULL);
}

static int schema_objects(store *s)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(s), "SELECT count(*) FROM sqlite_master",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_open_again_is_a_noop(void **state)
{
    fixture *f = *state;
    char path[256];
    db_path(f, "fresh.db", path, sizeof path); /* made by the test above, or made now */
    store *s = open_store(path);
    int version = store_schema_version(s), objects = schema_objects(s);
    store_close(s);
    for (int i = 0; i < 3; i++) {
        s = open_store(path);
        assert_int_equal(store_schema_version(s), version);
        assert_int_equal(schema_objects(s), objects);
        store_close(s);
    }
    /* The demo database keeps its data when opened a second time. */
    s = open_store(f->path);
    assert_int_equal(count_plans(s, NULL, NULL, NULL), 58);
    store_close(s);
}

static void test_open_without_create(void **state)
{
    fixture *f = *state;
    char path[256], err[512] = "";
    db_path(f, "missing.db", path, sizeof path);
    assert_null(store_open(path, false, err, sizeof err));
    assert_non_null(strstr(err, "missing.db"));
    assert_int_not_equal(access(path, F_OK), 0);
    /* A file that is not a database is refused with a message, not a crash. */
    db_path(f, "garbage.db", path, sizeof path);
    FILE *g = fopen(path, "wb");
    assert_non_null(g);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database. ", g);
    fclose(g);
    err[0] = '\0';
    assert_null(store_open(path, true, err, sizeof err));
    assert_non_null(strstr(err, "garbage.db"));
}

static void test_wal_mode(void **state)
{
    fixture *f = *state;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(f->db), "PRAGMA journal_mode", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(store_handle(f->db), "PRAGMA foreign_keys", -1, &st,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
}

/* A day of use prepares every statement of the store; the cache grows past its first size
 * (once 128, where the server aborted) and every statement keeps working. */
static void test_statement_cache_grows(void **state)
{
    fixture *f = *state;
    enum { N = 1000 };
    static char sql[N][48];
    size_t before = store_statement_count(f->db);
    for (int i = 0; i < N; i++) {
        snprintf(sql[i], sizeof sql[i], "SELECT %d + 0", i);
        sqlite3_stmt *st = store_prepare(f->db, sql[i]);
        assert_non_null(st);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
        sqlite3_reset(st);
    }
    assert_int_equal(store_statement_count(f->db), before + N);
    for (int i = N - 1; i >= 0; i--) { /* found again, not prepared anew */
        sqlite3_stmt *st = store_prepare(f->db, sql[i]);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
        sqlite3_reset(st);
    }
    assert_int_equal(store_statement_count(f->db), before + N);
}

/* ---- the plan portfolio --------------------------------------------------------------- */

static void test_counts(void **state)
{
    fixture *f = *state;
    json_t *counts;
    assert_int_equal(store_counts(f->db, &counts), PV_OK);
    json_t *expected = json_pack("{s:i, s:i, s:i, s:i}", "plans", 58, "goals", 49, "measures",
                                 216, "indicators", 9);
    assert_true(json_equal(counts, expected));
    json_decref(expected);
    json_decref(counts);
}

static void test_plans_list_and_filters(void **state)
{
    fixture *f = *state;
    json_t *all = plans_list(f->db, NULL, NULL, NULL, false);
    assert_int_equal(json_array_size(all), 58);
    /* Every row has the summary fields. */
    static const char *const fields[] = {"id", "name", "abbreviation", "type", "status",
                                         "status_detail", "adopted_year", "next_revision",
                                         "theme_id", "theme", "owner_unit"};
    json_t *first = json_array_get(all, 0);
    for (size_t i = 0; i < PV_ARRAY_LEN(fields); i++)
        if (!json_object_get(first, fields[i]))
            fail_msg("a plan row lacks %s", fields[i]);
    json_decref(all);

    assert_int_equal(count_plans(f->db, "levekar-folkehelse-og-livskvalitet", NULL, NULL), 15);
    assert_int_equal(count_plans(f->db, "areal-og-transport", NULL, NULL), 10);
    assert_int_equal(count_plans(f->db, PLAN_FILTER_NONE, NULL, NULL), 7);
    assert_int_equal(count_plans(f->db, "finnes-ikke", NULL, NULL), 0);
    assert_int_equal(count_plans(f->db, NULL, "Fagplan", NULL), 27);
    assert_int_equal(count_plans(f->db, NULL, PLAN_FILTER_NONE, NULL), 19);
    assert_int_equal(count_plans(f->db, NULL, NULL, "vedtatt"), 30);
    assert_int_equal(count_plans(f->db, NULL, NULL, "under arbeid"), 10);
    assert_int_equal(count_plans(f->db, NULL, NULL, PLAN_FILTER_NONE), 15);
    /* Filters combine. */
    json_t *both = plans_list(f->db, "levekar-folkehelse-og-livskvalitet", "Fagplan", NULL,
                              false);
    size_t i;
    json_t *p;
    json_array_foreach(both, i, p) {
        assert_string_equal(text_of(p, "theme_id"), "levekar-folkehelse-og-livskvalitet");
        assert_string_equal(text_of(p, "type"), "Fagplan");
    }
    assert_true(json_array_size(both) > 0);
    assert_true(json_array_size(both) < 15);
    json_decref(both);
    /* A filter value is data, never SQL. */
    assert_int_equal(count_plans(f->db, "x' OR '1'='1", NULL, NULL), 0);
}

static void test_plans_sorted_by_name(void **state)
{
    fixture *f = *state;
    json_t *list = plans_list(f->db, NULL, NULL, NULL, false);
    size_t i;
    json_t *p;
    const char *prev = NULL;
    size_t lower_at = 0;
    json_array_foreach(list, i, p) {
        const char *name = text_of(p, "name");
        if (prev && utf8_collate_nb(prev, strlen(prev), name, strlen(name)) > 0)
            fail_msg("\"%s\" is listed before \"%s\"", prev, name);
        if (!strcmp(name, "offentlige rom"))
            lower_at = i;
        prev = name;
    }
    /* Case-insensitive: the lower-case "offentlige rom" stands among the O's, not last. */
    assert_true(lower_at > 0 && lower_at < 57);
    assert_true(strncasecmp(text_of(json_array_get(list, lower_at - 1), "name"), "n", 1) >= 0);
    json_decref(list);
}

static void test_plans_sorted_by_year(void **state)
{
    fixture *f = *state;
    json_t *list = plans_list(f->db, NULL, NULL, NULL, true);
    assert_int_equal(json_array_size(list), 58);
    assert_string_equal(text_of(json_array_get(list, 0), "name"), "Naturmangfoldsplan");
    size_t i;
    json_t *p;
    json_int_t prev = 9999;
    bool seen_null = false;
    size_t nulls = 0;
    json_array_foreach(list, i, p) {
        json_t *year = json_object_get(p, "adopted_year");
        if (json_is_null(year)) {
            seen_null = true;
            nulls++;
            continue;
        }
        if (seen_null)
            fail_msg("%s (%lld) comes after a plan without a year", text_of(p, "name"),
                     (long long)json_integer_value(year));
        if (json_integer_value(year) > prev)
            fail_msg("%s is out of year order", text_of(p, "name"));
        prev = json_integer_value(year);
    }
    assert_int_equal(nulls, 34);
    json_decref(list);
}

static size_t sum_counts(json_t *rows, const char *key)
{
    size_t total = 0, i;
    json_t *r;
    json_array_foreach(rows, i, r)
        total += (size_t)json_integer_value(json_object_get(r, key));
    return total;
}

static void test_status_counts(void **state)
{
    fixture *f = *state;
    plan_filter any = {NULL, NULL, "vedtatt", false}; /* status is ignored */
    json_t *rows;
    assert_int_equal(store_plans_status_counts(f->db, &any, &rows), PV_OK);
    assert_int_equal(sum_counts(rows, "count"), 58);
    /* Most frequent first; the plans without a status are one row with null. */
    json_t *top = json_array_get(rows, 0);
    assert_string_equal(text_of(top, "status"), "vedtatt");
    assert_int_equal(json_integer_value(json_object_get(top, "count")), 30);
    size_t i;
    json_t *r;
    bool null_row = false;
    json_array_foreach(rows, i, r) {
        if (json_is_null(json_object_get(r, "status"))) {
            null_row = true;
            assert_int_equal(json_integer_value(json_object_get(r, "count")), 15);
        }
    }
    assert_true(null_row);
    json_decref(rows);

    plan_filter theme = {"areal-og-transport", NULL, NULL, false};
    assert_int_equal(store_plans_status_counts(f->db, &theme, &rows), PV_OK);
    assert_int_equal(sum_counts(rows, "count"), 10);
    json_decref(rows);
}

static void test_facets(void **state)
{
    fixture *f = *state;
    json_t *rows;
    assert_int_equal(store_themes(f->db, &rows), PV_OK);
    /* Eight themes in overview order, then one row without an id for the 7 plans that have
     * no theme. */
    assert_int_equal(json_array_size(rows), 9);
    assert_int_equal(sum_counts(rows, "count"), 58);
    json_t *last = json_array_get(rows, 8);
    assert_true(json_is_null(json_object_get(last, "id")));
    assert_int_equal(json_integer_value(json_object_get(last, "count")), 7);
    assert_string_equal(text_of(json_array_get(rows, 0), "id"), "verdiskaping-og-kompetanse");
    json_decref(rows);
    assert_int_equal(store_plan_types(f->db, &rows), PV_OK);
    assert_int_equal(sum_counts(rows, "count"), 58);
    assert_true(json_is_null(json_object_get(json_array_get(rows, json_array_size(rows) - 1),
                                             "value"))); /* "not given" last */
    json_decref(rows);
    assert_int_equal(store_plan_statuses(f->db, &rows), PV_OK);
    assert_int_equal(sum_counts(rows, "count"), 58);
    json_decref(rows);
}

static void test_plan_get(void **state)
{
    fixture *f = *state;
    json_t *plan;
    assert_int_equal(store_plan_get(f->db, "leve-hele-livet", &plan), PV_OK);
    assert_string_equal(text_of(plan, "id"), "leve-hele-livet");
    json_t *areas = json_object_get(plan, "focus_areas");
    assert_int_equal(json_array_size(areas), 5);
    assert_string_equal(text_of(json_array_get(areas, 0), "name"), "Et aldersvennlig Moss");
    json_t *measures = json_object_get(plan, "measures");
    assert_int_equal(json_array_size(measures), 77);
    assert_int_equal(json_array_size(json_object_get(plan, "parents")), 3);
    assert_true(json_array_size(json_object_get(plan, "goals")) > 0);
    assert_true(json_is_array(json_object_get(plan, "children")));
    assert_true(json_is_array(json_object_get(plan, "relations")));
    assert_int_equal(json_array_size(json_object_get(plan, "indicators")), 2);
    /* The tiltak carry their yearly costs: the sums of the plan's cost table. */
    json_t *tiltak = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(measures, i, m) {
        assert_true(json_is_array(json_object_get(m, "costs")));
        assert_true(json_is_array(json_object_get(m, "responsible")));
        if (!strcmp(text_of(m, "kind"), "tiltak"))
            json_array_append(tiltak, m);
    }
    assert_int_equal(json_array_size(tiltak), 36);
    json_t *years = costs_years(tiltak);
    json_t *sums = costs_sum(tiltak, years);
    json_t *expected = json_loads("[{\"year\": 2023, \"amount\": 3910},"
                                  " {\"year\": 2024, \"amount\": 2960},"
                                  " {\"year\": 2025, \"amount\": 3090},"
                                  " {\"year\": 2026, \"amount\": 3610}]", 0, NULL);
    assert_true(json_equal(sums, expected));
    json_decref(expected);
    json_decref(sums);
    json_decref(years);
    json_decref(tiltak);
    json_decref(plan);
}

static void test_plan_get_unknown(void **state)
{
    fixture *f = *state;
    json_t *plan = (json_t *)0x1;
    assert_int_equal(store_plan_get(f->db, "finnes-ikke", &plan), PV_ENOTFOUND);
    assert_ptr_equal(plan, (json_t *)0x1); /* untouched */
    assert_int_equal(store_plan_get(f->db, "", &plan), PV_ENOTFOUND);
    assert_int_equal(store_plan_get(f->db, "leve-hele-livet' --", &plan), PV_ENOTFOUND);
}

static void test_goals(void **state)
{
    fixture *f = *state;
    json_t *goals;
    assert_int_equal(store_goals(f->db, &goals), PV_OK);
    assert_int_equal(json_array_size(goals), 49);
    json_t *first = json_array_get(goals, 0);
    assert_string_equal(text_of(first, "level"), "visjon");
    assert_string_equal(text_of(first, "id"), "moss2030-visjon");
    assert_true(json_is_null(json_object_get(first, "parent_id")));
    size_t i, visions = 0;
    json_t *g;
    json_array_foreach(goals, i, g) {
        visions += !strcmp(text_of(g, "level"), "visjon");
        assert_true(json_is_array(json_object_get(g, "themes")));
    }
    assert_int_equal(visions, 1);
    json_decref(goals);

    json_t *links, *indicators;
    assert_int_equal(store_goal_plans(f->db, &links), PV_OK);
    assert_true(json_array_size(links) > 0);
    json_decref(links);
    assert_int_equal(store_indicators(f->db, &indicators), PV_OK);
    assert_int_equal(json_array_size(indicators), 9);
    json_decref(indicators);
}

static void search(store *s, const char *query, json_t **plans, json_t **measures)
{
    buf folded = BUF_INIT;
    utf8_fold(query, strlen(query), &folded);
    assert_int_equal(store_search(s, buf_cstr(&folded), plans, measures), PV_OK);
    buf_finish(&folded);
}

static void test_search(void **state)
{
    fixture *f = *state;
    json_t *plans, *measures;
    search(f->db, "DEMENS", &plans, &measures);
    assert_int_equal(json_array_size(plans), 1);
    assert_string_equal(text_of(json_array_get(plans, 0), "name"),
                        "Plan for helse- og omsorgstjenester til personer med demens");
    assert_int_equal(json_array_size(measures), 1);
    json_t *lower_plans, *lower_measures;
    search(f->db, "demens", &lower_plans, &lower_measures);
    assert_true(json_equal(plans, lower_plans));
    assert_true(json_equal(measures, lower_measures));
    json_decref(lower_plans);
    json_decref(lower_measures);
    json_decref(plans);
    json_decref(measures);

    /* Folding covers æ ø å. */
    search(f->db, "LEVEKÅR", &plans, &measures);
    assert_true(json_array_size(plans) > 0);
    json_decref(plans);
    json_decref(measures);

    /* LIKE wildcards in the query are literal characters. */
    search(f->db, "%", &plans, &measures);
    assert_int_equal(json_array_size(plans), 0);
    json_decref(plans);
    json_decref(measures);
    search(f->db, "_", &plans, &measures);
    assert_int_equal(json_array_size(plans), 0);
    json_decref(plans);
    json_decref(measures);

    /* A name match ranks before a match in the purpose only; results are capped. */
    search(f->db, "plan", &plans, &measures);
    assert_true(json_array_size(plans) <= SEARCH_MAX_RESULTS);
    assert_true(json_array_size(measures) <= SEARCH_MAX_RESULTS);
    assert_non_null(strcasestr(text_of(json_array_get(plans, 0), "name"), "plan"));
    json_decref(plans);
    json_decref(measures);
}

/* ---- generation, Norwegian order on import, round trip -------------------------------- */

static json_t *one_plan(const char *id, const char *name)
{
    return json_pack("[{s:s, s:s}]", "id", id, "name", name);
}

static void test_generation_sees_other_connections(void **state)
{
    fixture *f = *state;
    store *other = open_store(f->path);
    uint64_t before = store_generation(f->db);
    assert_int_equal(store_generation(f->db), before); /* stable while nothing changes */
    json_t *doc = one_plan("generasjonstest", "Generasjonstest");
    import_doc(other, "plans.json", doc, NULL);
    json_decref(doc);
    uint64_t after = store_generation(f->db);
    assert_true(after != before);
    /* A write on this connection changes it too. */
    doc = one_plan("generasjonstest", "Generasjonstest 2");
    import_doc(f->db, "plans.json", doc, NULL);
    json_decref(doc);
    assert_true(store_generation(f->db) != after);
    /* And the other connection sees this one's write. */
    uint64_t other_before = store_generation(other);
    doc = one_plan("generasjonstest", "Generasjonstest 3");
    import_doc(f->db, "plans.json", doc, NULL);
    json_decref(doc);
    assert_true(store_generation(other) != other_before);
    store_close(other);
}

static void test_norwegian_order(void **state)
{
    fixture *f = *state;
    char path[256];
    db_path(f, "order.db", path, sizeof path);
    store *s = open_store(path);
    json_t *doc = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]",
                            "id", "a", "name", "Åsgård skoleplan", "id", "b", "name", "Zebra",
                            "id", "c", "name", "øl og mat", "id", "d", "name", "Ærlig plan",
                            "id", "e", "name", "apotek", "id", "f", "name", "Beredskap");
    import_doc(s, "plans.json", doc, NULL);
    json_decref(doc);
    json_t *list = plans_list(s, NULL, NULL, NULL, false);
    static const char *const expected[] = {"apotek", "Beredskap", "Zebra", "Ærlig plan",
                                           "øl og mat", "Åsgård skoleplan"};
    assert_int_equal(json_array_size(list), PV_ARRAY_LEN(expected));
    for (size_t i = 0; i < PV_ARRAY_LEN(expected); i++)
        assert_string_equal(text_of(json_array_get(list, i), "name"), expected[i]);
    json_decref(list);
    store_close(s);
}

static void test_export_import_round_trip(void **state)
{
    fixture *f = *state;
    json_t *first;
    assert_int_equal(store_export(f->db, &first), PV_OK);
    assert_string_equal(text_of(first, "format"), EXPORT_FORMAT);
    assert_int_equal(json_integer_value(json_object_get(first, "version")), EXPORT_VERSION);
    assert_true(json_array_size(json_object_get(first, "plans")) >= 58);
    assert_int_equal(json_array_size(json_object_get(first, "measures")), 216);

    char path[256];
    db_path(f, "copy.db", path, sizeof path);
    store *copy = open_store(path);
    import_counts counts;
    import_doc(copy, "export.json", first, &counts);
    assert_int_equal(counts.plans, json_array_size(json_object_get(first, "plans")));
    assert_int_equal(counts.goals, 49);
    assert_int_equal(counts.indicators, 9);
    assert_int_equal(counts.measures, 216);
    json_t *second;
    assert_int_equal(store_export(copy, &second), PV_OK);
    if (!json_equal(first, second)) {
        /* Name the first record that differs. */
        static const char *const kinds[] = {"plans", "goals", "indicators", "measures"};
        for (size_t k = 0; k < PV_ARRAY_LEN(kinds); k++) {
            json_t *a = json_object_get(first, kinds[k]), *b = json_object_get(second, kinds[k]);
            for (size_t i = 0; i < json_array_size(a); i++)
                if (!json_equal(json_array_get(a, i), json_array_get(b, i)))
                    fail_msg("the round trip changed %s %zu (%s)", kinds[k], i,
                             text_of(json_array_get(a, i), "id"));
        }
        fail_msg("the round trip changed the bundle");
    }
    json_decref(second);
    store_close(copy);
    json_decref(first);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_and_migrates),
        cmocka_unit_test(test_open_again_is_a_noop),
        cmocka_unit_test(test_open_without_create),
        cmocka_unit_test(test_wal_mode),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_plans_list_and_filters),
        cmocka_unit_test(test_plans_sorted_by_name),
        cmocka_unit_test(test_plans_sorted_by_year),
        cmocka_unit_test(test_status_counts),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_plan_get),
        cmocka_unit_test(test_plan_get_unknown),
        cmocka_unit_test(test_goals),
        cmocka_unit_test(test_statement_cache_grows),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_generation_sees_other_connections),
        cmocka_unit_test(test_norwegian_order),
        cmocka_unit_test(test_export_import_round_trip),
    };
    return cmocka_run_group_tests_name("store", tests, group_setup, group_teardown) ? 1 : 0;
}
