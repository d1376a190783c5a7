/* Unit tests for import validation (DESIGN.md §6: bad input gets a clear message and changes
 * nothing). Each bad document must give PV_EINVAL (or PV_ELIMIT), leave the database exactly
 * as it was (the whole export compared before and after), and say where the problem is: the
 * file label, the record ("plan 2"), its id and the field. Then the file-level checks of
 * store_import_load_file (NUL, size limit, syntax with line and column, invalid UTF-8), and
 * the good paths: re-import updates, measures.json alone imports into a database that has
 * the plans and goals.
 * Layer: tests (store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "store/export.h"
#include "store/import.h"
#include "store/plans.h"

#define DEMO_DIR PV_SOURCE_ROOT "/data/moss/"

typedef struct fixture {
    char dir[64];
    store *db; /* the demo data, imported once */
} fixture;

static fixture *F;

/* ---- helpers -------------------------------------------------------------------------- */

static void path_in(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", F->dir, name);
}

static store *open_store(const char *name)
{
    char path[256], err[512] = "";
    path_in(name, path, sizeof path);
    store *s = store_open(path, true, err, sizeof err);
    if (!s)
        fail_msg("store_open(%s): %s", path, err);
    return s;
}

static json_t *load_demo(const char *kind)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s.json", DEMO_DIR, kind);
    buf err = BUF_INIT;
    json_t *doc = store_import_load_file(path, &err);
    if (!doc)
        fail_msg("%s", buf_cstr(&err));
    buf_finish(&err);
    return doc;
}

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *doc = json_loads(text, JSON_DECODE_ANY, &je);
    if (!doc)
        fail_msg("test document: line %d: %s", je.line, je.text);
    return doc;
}

static void import_ok(store *s, const char *label, json_t *doc, import_counts *counts)
{
    buf err = BUF_INIT;
    import_counts local;
    int rc = store_import(s, label, doc, counts ? counts : &local, NULL, NULL, &err);
    if (rc != 0)
        fail_msg("store_import(%s) = %d: %s", label, rc, buf_cstr(&err));
    buf_finish(&err);
}

static json_t *snapshot(store *s)
{
    json_t *all;
    assert_int_equal(store_export(s, &all), PV_OK);
    json_t *counts;
    assert_int_equal(store_counts(s, &counts), PV_OK);
    json_object_set_new(all, "counts", counts);
    return all;
}

/* Imports text (JSON) as label into the demo database and expects it refused with rc, the
 * database unchanged, and every one of the NULL-terminated strings in the message. Frees
 * everything before it fails, so that a failure reads as one message, not as a leak report. */
static void expect_refused(const char *label, const char *text, int rc, ...)
{
    json_t *doc = parse(text);
    json_t *before = snapshot(F->db);
    buf err = BUF_INIT;
    import_counts counts = {1, 1, 1, 1};
    int got = store_import(F->db, label, doc, &counts, NULL, NULL, &err);
    json_t *after = snapshot(F->db);
    char problem[1024] = "";
    if (got != rc)
        snprintf(problem, sizeof problem, "store_import returned %d, expected %d", got, rc);
    else if (counts.plans + counts.goals + counts.indicators + counts.measures != 0)
        snprintf(problem, sizeof problem, "the counts were not reset");
    else if (!json_equal(before, after))
        snprintf(problem, sizeof problem, "a refused import changed the database");
    else if (strchr(buf_cstr(&err), '\n')) /* one line: the CLI prints it as it is */
        snprintf(problem, sizeof problem, "the message has more than one line");
    va_list ap;
    va_start(ap, rc);
    for (const char *want; !problem[0] && (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(buf_cstr(&err), want))
            snprintf(problem, sizeof problem, "the message should contain \"%s\"", want);
    va_end(ap);
    char message[1024];
    snprintf(message, sizeof message, "%s", buf_cstr(&err));
    buf_finish(&err);
    json_decref(after);
    json_decref(before);
    json_decref(doc);
    if (problem[0])
        fail_msg("%s\n  document: %s\n  message: %s", problem, text, message);
}

static void remove_dir(const char *dir)
{
    static const char *const names[] = {"demo.db", "demo.db-wal", "demo.db-shm", "a.db",
                                        "a.db-wal", "a.db-shm", "b.db", "b.db-wal", "b.db-shm",
                                        "nul.json", "big.json", "bad.json", "utf8.json",
                                        "bom.json", "empty.json"};
    for (size_t i = 0; i < PV_ARRAY_LEN(names); i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    if (rmdir(dir) != 0)
        fprintf(stderr, "# could not remove %s\n", dir);
}

static int group_setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    if (!F)
        return -1;
    snprintf(F->dir, sizeof F->dir, "/tmp/pv-test-import-XXXXXX");
    if (!mkdtemp(F->dir))
        return -1;
    char path[256], err[512];
    path_in("demo.db", path, sizeof path);
    F->db = store_open(path, true, err, sizeof err);
    if (!F->db)
        return -1;
    static const char *const kinds[] = {"plans", "goals", "indicators", "measures"};
    json_t *bundle = json_object();
    for (size_t i = 0; i < PV_ARRAY_LEN(kinds); i++) {
        snprintf(path, sizeof path, "%s%s.json", DEMO_DIR, kinds[i]);
        buf msg = BUF_INIT;
        json_t *doc = store_import_load_file(path, &msg);
        buf_finish(&msg);
        if (!doc)
            return -1;
        json_object_set_new(bundle, kinds[i], doc);
    }
    buf msg = BUF_INIT;
    import_counts counts;
    int rc = store_import(F->db, "demo", bundle, &counts, NULL, NULL, &msg);
    if (rc)
        fprintf(stderr, "# %s\n", buf_cstr(&msg));
    buf_finish(&msg);
    json_decref(bundle);
    return rc;
}

static int group_teardown(void **state)
{
    (void)state;
    store_close(F->db);
    remove_dir(F->dir);
    free(F);
    return 0;
}

/* A valid first record, so that the bad one is record 2. */
#define GOOD_PLAN "{\"id\": \"ny-plan\", \"name\": \"Ny plan\"}"
#define GOOD_GOAL "{\"id\": \"nytt-mal\", \"text\": \"Et mål\", \"level\": \"delmål\"}"
#define GOOD_MEASURE                                                                        \
    "{\"id\": \"nytt-tiltak\", \"plan_id\": \"leve-hele-livet\", \"kind\": \"tiltak\","    \
    " \"title\": \"Et tiltak\"}"
#define GOOD_INDICATOR "{\"id\": \"ny-indikator\", \"text\": \"En indikator\"}"

/* ---- plans ---------------------------------------------------------------------------- */

static void test_plan_missing_name(void **state)
{
    (void)state;
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"id\": \"uten-navn\"}]", PV_EINVAL,
                   "plans.json", "plan 2", "\"uten-navn\"", "field \"name\"", "is required",
                   NULL);
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"id\": \"tomt\", \"name\": \"\"}]",
                   PV_EINVAL, "plan 2", "\"tomt\"", "field \"name\"", "is required", NULL);
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"id\": \"tall\", \"name\": 7}]", PV_EINVAL,
                   "plan 2", "field \"name\"", "must be text", NULL);
}

static void test_plan_adopted_year(void **state)
{
    (void)state;
    expect_refused("plans.json",
                   "[" GOOD_PLAN ", {\"id\": \"aar\", \"name\": \"X\", \"adopted_year\": \"2020\"}]",
                   PV_EINVAL, "plans.json", "plan 2", "\"aar\"", "field \"adopted_year\"",
                   "year", NULL);
    expect_refused("plans.json",
                   "[" GOOD_PLAN ", {\"id\": \"aar\", \"name\": \"X\", \"adopted_year\": 99999}]",
                   PV_EINVAL, "plan 2", "field \"adopted_year\"", NULL);
    expect_refused("plans.json",
                   "[" GOOD_PLAN ", {\"id\": \"aar\", \"name\": \"X\", \"adopted_year\": 2020.5}]",
                   PV_EINVAL, "plan 2", "field \"adopted_year\"", NULL);
    expect_refused("plans.json",
                   "[{\"id\": \"aar\", \"name\": \"X\", \"next_revision\": 1799}]", PV_EINVAL,
                   "plan 1", "field \"next_revision\"", NULL);
}

static void test_plan_bad_id(void **state)
{
    (void)state;
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"id\": \"Hei Hå\", \"name\": \"X\"}]",
                   PV_EINVAL, "plans.json", "plan 2", "\"Hei Hå\"", "field \"id\"", NULL);
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"name\": \"Uten id\"}]", PV_EINVAL,
                   "plan 2", "field \"id\"", NULL);
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"id\": 12, \"name\": \"X\"}]", PV_EINVAL,
                   "plan 2", "field \"id\"", NULL);
    expect_refused("plans.json", "[" GOOD_PLAN ", {\"id\": \"-x\", \"name\": \"X\"}]",
                   PV_EINVAL, "plan 2", "field \"id\"", NULL);
}

static void test_plan_theme_needs_an_id(void **state)
{
    (void)state;
    /* A theme is identified by its name made into an id: "!!!" gives none. */
    expect_refused("plans.json", "[{\"id\": \"x\", \"name\": \"X\", \"theme\": \"!!!\"}]",
                   PV_EINVAL, "plan 1", "field \"theme\"", "letter or a digit", NULL);
}

static void test_plan_themes_must_not_clash(void **state)
{
    (void)state;
    /* Two names that give the same theme id would merge two themes silently. */
    expect_refused("plans.json",
                   "[{\"id\": \"a\", \"name\": \"A\", \"theme\": \"Areal og transport\"},"
                   " {\"id\": \"b\", \"name\": \"B\", \"theme\": \"Areal, og transport!\"}]",
                   PV_EINVAL, "plan 2", "field \"theme\"", "areal-og-transport", NULL);
}

static void test_message_is_one_line(void **state)
{
    (void)state;
    /* An id with a newline is not echoed: an error message is always one line. */
    expect_refused("plans.json", "[{\"id\": \"a\\nb\", \"name\": \"X\"}]", PV_EINVAL,
                   "plan 1", "field \"id\"", NULL);
}

static void test_plan_duplicate_id(void **state)
{
    (void)state;
    expect_refused("plans.json", "[" GOOD_PLAN ", " GOOD_PLAN "]", PV_EINVAL, "plans.json",
                   "plan 2", "\"ny-plan\"", "field \"id\"", "twice", NULL);
}

static void test_plan_unknown_parent(void **state)
{
    (void)state;
    expect_refused("plans.json",
                   "[" GOOD_PLAN ", {\"id\": \"barn\", \"name\": \"X\","
                   " \"parent_plans\": [\"kommuneplanens-samfunnsdel\", \"finnes-ikke\"]}]",
                   PV_EINVAL, "plans.json", "plan 2", "\"barn\"", "field \"parent_plans[1]\"",
                   "\"finnes-ikke\"", "does not exist", NULL);
    /* A nested list of objects names the item and its field. */
    expect_refused("plans.json",
                   "[" GOOD_PLAN ", {\"id\": \"rel\", \"name\": \"X\","
                   " \"relations\": [{\"plan_id\": \"finnes-ikke\", \"relation\": \"nabo\"}]}]",
                   PV_EINVAL, "plan 2", "field \"relations[0].plan_id\"", "does not exist",
                   NULL);
    expect_refused("plans.json",
                   "[{\"id\": \"rel\", \"name\": \"X\", \"relations\": [\"leve-hele-livet\"]}]",
                   PV_EINVAL, "plan 1", "field \"relations[0]\"", "must be an object", NULL);
    expect_refused("plans.json",
                   "[{\"id\": \"g\", \"name\": \"X\", \"goal_ids\": [\"finnes-ikke\"]}]",
                   PV_EINVAL, "plan 1", "field \"goal_ids[0]\"", "goal", NULL);
}

static void test_plan_other_fields(void **state)
{
    (void)state;
    char *long_name = malloc(400);
    assert_non_null(long_name);
    memset(long_name, 'x', 301);
    long_name[301] = '\0';
    char text[600];
    snprintf(text, sizeof text, "[{\"id\": \"lang\", \"name\": \"%s\"}]", long_name);
    free(long_name);
    expect_refused("plans.json", text, PV_EINVAL, "plan 1", "field \"name\"", "too long", NULL);
    expect_refused("plans.json", "[{\"id\": \"x\", \"name\": \"X\", \"notes\": \"en\"}]",
                   PV_EINVAL, "plan 1", "field \"notes\"", "must be a list", NULL);
    expect_refused("plans.json", "[{\"id\": \"x\", \"name\": \"X\", \"notes\": [1]}]", PV_EINVAL,
                   "plan 1", "field \"notes[0]\"", NULL);
    expect_refused("plans.json", "[" GOOD_PLAN ", 7]", PV_EINVAL, "plan 2",
                   "must be an object", NULL);
}

/* ---- goals, measures, indicators ------------------------------------------------------ */

static void test_goal_level(void **state)
{
    (void)state;
    expect_refused("goals.json",
                   "[" GOOD_GOAL ", {\"id\": \"super\", \"text\": \"T\","
                   " \"level\": \"superhovedmål\"}]",
                   PV_EINVAL, "goals.json", "goal 2", "\"super\"", "field \"level\"",
                   "\"visjon\" \"hovedmål\" \"delmål\"", NULL);
    expect_refused("goals.json", "[{\"id\": \"uten\", \"text\": \"T\"}]", PV_EINVAL, "goal 1",
                   "field \"level\"", "is required", NULL);
}

static void test_goal_cycle(void **state)
{
    (void)state;
    expect_refused("goals.json",
                   "[{\"id\": \"a\", \"text\": \"A\", \"level\": \"delmål\", \"parent_id\": \"b\"},"
                   " {\"id\": \"b\", \"text\": \"B\", \"level\": \"delmål\", \"parent_id\": \"a\"}]",
                   PV_EINVAL, "goals.json", "goal", "field \"parent_id\"", "cycle", NULL);
    expect_refused("goals.json",
                   "[{\"id\": \"selv\", \"text\": \"S\", \"level\": \"delmål\","
                   " \"parent_id\": \"selv\"}]",
                   PV_EINVAL, "\"selv\"", "cycle", NULL);
    /* A cycle through a goal that is already stored: moss2030-visjon under one of its own. */
    expect_refused("goals.json",
                   "[{\"id\": \"moss2030-visjon\", \"text\": \"V\", \"level\": \"visjon\","
                   " \"parent_id\": \"moss2030-hovedmal-1\"}]",
                   PV_EINVAL, "cycle", NULL);
    expect_refused("goals.json",
                   "[{\"id\": \"x\", \"text\": \"X\", \"level\": \"delmål\","
                   " \"parent_id\": \"finnes-ikke\"}]",
                   PV_EINVAL, "goal 1", "field \"parent_id\"", "does not exist", NULL);
}

static void test_measure_kind_and_refs(void **state)
{
    (void)state;
    expect_refused("measures.json",
                   "[" GOOD_MEASURE ", {\"id\": \"rart\", \"plan_id\": \"leve-hele-livet\","
                   " \"kind\": \"ønske\", \"title\": \"T\"}]",
                   PV_EINVAL, "measures.json", "measure 2", "\"rart\"", "field \"kind\"",
                   "must be one of", NULL);
    expect_refused("measures.json",
                   "[{\"id\": \"m\", \"plan_id\": \"finnes-ikke\", \"kind\": \"tiltak\","
                   " \"title\": \"T\"}]",
                   PV_EINVAL, "measure 1", "field \"plan_id\"", "does not exist", NULL);
    expect_refused("measures.json",
                   "[{\"id\": \"m\", \"kind\": \"tiltak\", \"title\": \"T\"}]", PV_EINVAL,
                   "measure 1", "field \"plan_id\"", "is required", NULL);
    expect_refused("measures.json",
                   "[{\"id\": \"m\", \"plan_id\": \"leve-hele-livet\", \"kind\": \"tiltak\","
                   " \"title\": \"T\", \"priority_order\": -1}]",
                   PV_EINVAL, "measure 1", "field \"priority_order\"", NULL);
}

static void test_measure_costs(void **state)
{
    (void)state;
#define MEASURE_WITH(extra)                                                                 \
    "[" GOOD_MEASURE ", {\"id\": \"kost\", \"plan_id\": \"leve-hele-livet\","               \
    " \"kind\": \"tiltak\", \"title\": \"T\", " extra "}]"
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\"år\": 5}"), PV_EINVAL,
                   "measures.json", "measure 2", "\"kost\"", "field \"costs\"", "not a year",
                   NULL);
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\"2023\": -5}"), PV_EINVAL,
                   "measure 2", "field \"costs\"", "0 or more", NULL);
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\"2023\": 1.5}"), PV_EINVAL,
                   "measure 2", "field \"costs\"", NULL);
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\"2023\": \"100\"}"), PV_EINVAL,
                   "measure 2", "field \"costs\"", NULL);
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\" 2023\": 1}"), PV_EINVAL,
                   "measure 2", "field \"costs\"", NULL);
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\"1799\": 1}"), PV_EINVAL,
                   "measure 2", "field \"costs\"", NULL);
    /* A year is written the one way: "02023" would be a second key for 2023. */
    expect_refused("measures.json", MEASURE_WITH("\"costs\": {\"2023\": 1, \"02023\": 2}"),
                   PV_EINVAL, "measure 2", "field \"costs\"", "not a year", NULL);
    expect_refused("measures.json",
                   MEASURE_WITH("\"costs\": {\"2023\": 1}, \"cost_notes\": {\"02023\": \"x\"}"),
                   PV_EINVAL, "measure 2", "field \"cost_notes\"", NULL);
    expect_refused("measures.json", MEASURE_WITH("\"costs\": [100]"), PV_EINVAL, "measure 2",
                   "field \"costs\"", NULL);
    expect_refused("measures.json", MEASURE_WITH("\"cost_notes\": {\"2023\": 5}"), PV_EINVAL,
                   "measure 2", "field \"cost_notes\"", NULL);
#undef MEASURE_WITH
}

static void test_indicator_fields(void **state)
{
    (void)state;
    expect_refused("indicators.json",
                   "[" GOOD_INDICATOR ", {\"id\": \"ind\", \"text\": \"T\","
                   " \"comparator\": \"=>\"}]",
                   PV_EINVAL, "indicators.json", "indicator 2", "\"ind\"",
                   "field \"comparator\"", NULL);
    expect_refused("indicators.json",
                   "[{\"id\": \"ind\", \"text\": \"T\", \"baseline\": {\"year\": \"i fjor\"}}]",
                   PV_EINVAL, "indicator 1", "field \"baseline.year\"", NULL);
    expect_refused("indicators.json",
                   "[{\"id\": \"ind\", \"text\": \"T\", \"target\": {\"value\": \"60\"}}]",
                   PV_EINVAL, "indicator 1", "field \"target.value\"", "number", NULL);
    expect_refused("indicators.json",
                   "[{\"id\": \"ind\", \"text\": \"T\", \"measure_ids\": [\"finnes-ikke\"]}]",
                   PV_EINVAL, "indicator 1", "field \"measure_ids[0]\"", "measure", NULL);
}

/* ---- documents as a whole ------------------------------------------------------------- */

static void test_one_bad_record_in_a_bundle_writes_nothing(void **state)
{
    (void)state;
    /* Good plans and goals, and one bad measure at the end: nothing of it is written. */
    expect_refused("bundle.json",
                   "{\"plans\": [" GOOD_PLAN "], \"goals\": [" GOOD_GOAL "],"
                   " \"measures\": [{\"id\": \"m\", \"plan_id\": \"ny-plan\", \"kind\": \"x\","
                   " \"title\": \"T\"}]}",
                   PV_EINVAL, "bundle.json", "measure 1", "field \"kind\"", NULL);
    /* A renamed existing plan is not renamed either. */
    expect_refused("plans.json",
                   "[{\"id\": \"leve-hele-livet\", \"name\": \"Nytt navn\"},"
                   " {\"id\": \"x\", \"name\": \"X\", \"adopted_year\": \"2020\"}]",
                   PV_EINVAL, "plan 2", NULL);
    json_t *plan;
    assert_int_equal(store_plan_get(F->db, "leve-hele-livet", &plan), PV_OK);
    assert_string_not_equal(json_string_value(json_object_get(plan, "name")), "Nytt navn");
    json_decref(plan);
}

static void test_not_an_import_file(void **state)
{
    (void)state;
    expect_refused("population.json", "[]", PV_EINVAL, "population.json",
                   "not an import file", NULL);
    expect_refused("data/plans.json.bak", "[]", PV_EINVAL, "not an import file", NULL);
    expect_refused("bundle.json", "{\"population\": []}", PV_EINVAL, "not an import file",
                   NULL);
    expect_refused("bundle.json", "\"plans\"", PV_EINVAL, "not an import file", NULL);
    expect_refused("bundle.json", "{\"plans\": {}}", PV_EINVAL, "\"plans\" must be a list",
                   NULL);
    expect_refused("bundle.json", "{\"plans\": null}", PV_EINVAL, "\"plans\" must be a list",
                   NULL);
    /* The real population.json, loaded like the CLI does. */
    buf err = BUF_INIT;
    json_t *doc = store_import_load_file(DEMO_DIR "population.json", &err);
    assert_non_null(doc);
    import_counts counts;
    assert_int_equal(store_import(F->db, DEMO_DIR "population.json", doc, &counts, NULL, NULL,
                                  &err), PV_EINVAL);
    assert_non_null(strstr(buf_cstr(&err), "population.json: not an import file"));
    json_decref(doc);
    buf_finish(&err);
}

static void test_too_many_records(void **state)
{
    (void)state;
    json_t *doc = json_array();
    for (size_t i = 0; i <= IMPORT_MAX_RECORDS; i++)
        json_array_append_new(doc, json_object());
    buf err = BUF_INIT;
    import_counts counts;
    json_t *before = snapshot(F->db);
    assert_int_equal(store_import(F->db, "goals.json", doc, &counts, NULL, NULL, &err),
                     PV_ELIMIT);
    assert_non_null(strstr(buf_cstr(&err), "goals.json"));
    json_t *after = snapshot(F->db);
    assert_true(json_equal(before, after));
    json_decref(before);
    json_decref(after);
    buf_finish(&err);
    json_decref(doc);
}

/* ---- files ---------------------------------------------------------------------------- */

static void write_file(const char *name, const void *data, size_t n, char *path, size_t size)
{
    path_in(name, path, size);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Loads the file and expects NULL with a message that has every NULL-terminated string. */
static void expect_load_error(const char *path, ...)
{
    buf err = BUF_INIT;
    json_t *doc = store_import_load_file(path, &err);
    if (doc) {
        json_decref(doc);
        fail_msg("%s was loaded", path);
    }
    va_list ap;
    va_start(ap, path);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(buf_cstr(&err), want))
            fail_msg("the message \"%s\" should contain \"%s\"", buf_cstr(&err), want);
    va_end(ap);
    buf_finish(&err);
}

static void test_file_with_nul(void **state)
{
    (void)state;
    char path[256];
    const char text[] = "[{\"id\": \"x\",\n \"name\": \"a\\u0000b\"}]";
    write_file("nul.json", text, strlen(text), path, sizeof path);
    /* jansson refuses \u0000 unless JSON_ALLOW_NUL is given, which the store never does. */
    expect_load_error(path, "nul.json", "line 2", "column", "\\u0000", NULL);
    /* A raw NUL byte in the file is refused as well. */
    write_file("nul.json", "[\"a\0b\"]", 7, path, sizeof path);
    expect_load_error(path, "nul.json", "line 1", NULL);
}

static void test_file_over_the_limit(void **state)
{
    (void)state;
    char path[256];
    path_in("big.json", path, sizeof path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    /* A sparse file: one byte past the limit, no disk space used. */
    assert_int_equal(ftruncate(fd, (off_t)IMPORT_MAX_FILE_BYTES + 1), 0);
    close(fd);
    expect_load_error(path, "big.json", "larger than 64 MiB", NULL);
    unlink(path);
}

static void test_file_with_bad_json(void **state)
{
    (void)state;
    char path[256];
    const char text[] = "[\n  {\"id\": \"x\",\n   \"name\": }\n]";
    write_file("bad.json", text, strlen(text), path, sizeof path);
    expect_load_error(path, "bad.json: line 3, column 12", NULL);
    write_file("bad.json", "[{\"id\": \"x\", \"id\": \"y\"}]", 24, path, sizeof path);
    expect_load_error(path, "bad.json", "duplicate", NULL); /* duplicate keys are refused */
    write_file("empty.json", "", 0, path, sizeof path);
    expect_load_error(path, "empty.json", "line", NULL);
    path_in("does-not-exist.json", path, sizeof path);
    expect_load_error(path, "does-not-exist.json", "No such file", NULL);
}

static void test_file_with_invalid_utf8(void **state)
{
    (void)state;
    char path[256];
    const char text[] = "[{\"id\": \"x\", \"name\": \"Sm\xF8rbr\xF8""d\"}]"; /* Latin-1 ø */
    write_file("utf8.json", text, strlen(text), path, sizeof path);
    expect_load_error(path, "utf8.json", "line 1", "0xf8", NULL);
    const char surrogate[] = "[\"\xED\xA0\x80\"]";
    write_file("utf8.json", surrogate, strlen(surrogate), path, sizeof path);
    expect_load_error(path, "utf8.json", NULL);
    const char overlong[] = "[\"\xC0\xAF\"]";
    write_file("utf8.json", overlong, strlen(overlong), path, sizeof path);
    expect_load_error(path, "utf8.json", NULL);
}

/* ---- good paths ----------------------------------------------------------------------- */

static void test_reimport_updates(void **state)
{
    (void)state;
    json_t *plans = load_demo("plans");
    size_t i;
    json_t *p;
    json_array_foreach(plans, i, p)
        if (!strcmp(json_string_value(json_object_get(p, "id")), "leve-hele-livet"))
            json_object_set_new(p, "name", json_string("Leve hele livet i Moss (ny)"));
    import_counts counts;
    import_ok(F->db, "plans.json", plans, &counts);
    assert_int_equal(counts.plans, 58);
    assert_int_equal(counts.measures, 0);
    json_t *totals;
    assert_int_equal(store_counts(F->db, &totals), PV_OK);
    assert_int_equal(json_integer_value(json_object_get(totals, "plans")), 58);
    assert_int_equal(json_integer_value(json_object_get(totals, "measures")), 216);
    json_decref(totals);
    json_t *plan;
    assert_int_equal(store_plan_get(F->db, "leve-hele-livet", &plan), PV_OK);
    assert_string_equal(json_string_value(json_object_get(plan, "name")),
                        "Leve hele livet i Moss (ny)");
    /* The links of the plan are rebuilt, not doubled. */
    assert_int_equal(json_array_size(json_object_get(plan, "parents")), 3);
    assert_int_equal(json_array_size(json_object_get(plan, "focus_areas")), 5);
    assert_int_equal(json_array_size(json_object_get(plan, "measures")), 77);
    json_decref(plan);
    json_decref(plans);
    /* Importing the same data twice gives the same database. */
    plans = load_demo("plans");
    import_ok(F->db, "plans.json", plans, NULL);
    json_t *first = snapshot(F->db);
    import_ok(F->db, "plans.json", plans, NULL);
    json_t *second = snapshot(F->db);
    assert_true(json_equal(first, second));
    json_decref(first);
    json_decref(second);
    json_decref(plans);
}

static void test_measures_alone(void **state)
{
    (void)state;
    store *s = open_store("a.db");
    /* Measures need their plans (and the goals some of them serve) to be there. */
    json_t *measures = load_demo("measures");
    buf err = BUF_INIT;
    import_counts counts;
    assert_int_equal(store_import(s, "measures.json", measures, &counts, NULL, NULL, &err),
                     PV_EINVAL);
    assert_non_null(strstr(buf_cstr(&err), "does not exist"));
    buf_finish(&err);

    json_t *plans = load_demo("plans"), *goals = load_demo("goals");
    import_ok(s, "data/moss/plans.json", plans, &counts);
    assert_int_equal(counts.plans, 58);
    import_ok(s, "goals.json", goals, &counts);
    assert_int_equal(counts.goals, 49);
    import_ok(s, "measures.json", measures, &counts);
    assert_int_equal(counts.measures, 216);
    assert_int_equal(counts.plans + counts.goals + counts.indicators, 0);
    json_t *plan;
    assert_int_equal(store_plan_get(s, "leve-hele-livet", &plan), PV_OK);
    assert_int_equal(json_array_size(json_object_get(plan, "measures")), 77);
    assert_int_equal(json_array_size(json_object_get(plan, "focus_areas")), 5);
    json_decref(plan);
    json_decref(plans);
    json_decref(goals);
    json_decref(measures);
    store_close(s);
}

static void progress(void *ctx, const char *phase, size_t done, size_t total)
{
    size_t *calls = ctx;
    assert_true(!strcmp(phase, "validate") || !strcmp(phase, "write"));
    assert_true(done >= 1 && done <= total);
    calls[!strcmp(phase, "write")]++;
}

static void test_progress_is_reported(void **state)
{
    (void)state;
    store *s = open_store("b.db");
    json_t *doc = parse("[" GOOD_PLAN ", {\"id\": \"to\", \"name\": \"To\"}]");
    size_t calls[2] = {0, 0};
    buf err = BUF_INIT;
    import_counts counts;
    assert_int_equal(store_import(s, "plans.json", doc, &counts, progress, calls, &err), PV_OK);
    assert_int_equal(calls[0], 2);
    assert_int_equal(calls[1], 2);
    buf_finish(&err);
    json_decref(doc);
    store_close(s);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_missing_name),
        cmocka_unit_test(test_plan_adopted_year),
        cmocka_unit_test(test_plan_bad_id),
        cmocka_unit_test(test_plan_theme_needs_an_id),
        cmocka_unit_test(test_plan_themes_must_not_clash),
        cmocka_unit_test(test_message_is_one_line),
        cmocka_unit_test(test_plan_duplicate_id),
        cmocka_unit_test(test_plan_unknown_parent),
        cmocka_unit_test(test_plan_other_fields),
        cmocka_unit_test(test_goal_level),
        cmocka_unit_test(test_goal_cycle),
        cmocka_unit_test(test_measure_kind_and_refs),
        cmocka_unit_test(test_measure_costs),
        cmocka_unit_test(test_indicator_fields),
        cmocka_unit_test(test_one_bad_record_in_a_bundle_writes_nothing),
        cmocka_unit_test(test_not_an_import_file),
        cmocka_unit_test(test_too_many_records),
        cmocka_unit_test(test_file_with_nul),
        cmocka_unit_test(test_file_over_the_limit),
        cmocka_unit_test(test_file_with_bad_json),
        cmocka_unit_test(test_file_with_invalid_utf8),
        cmocka_unit_test(test_reimport_updates),
        cmocka_unit_test(test_measures_alone),
        cmocka_unit_test(test_progress_is_reported),
    };
    return cmocka_run_group_tests_name("import", tests, group_setup, group_teardown) ? 1 : 0;
}
