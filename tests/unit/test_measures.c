/* Unit tests for measures (domain/measure.c, store/measures.c): the declared rules (costs
 * with notes, amounts written «1 250», repeated years, SDG 18), the units of the demo data,
 * creating and changing a measure with one audit event, refused input changing nothing,
 * the inputs a measure shows (published only) and the reports it shows (closed periods
 * unless the reader is staff), and unit membership.
 * Layer: tests (domain, store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/measure.h"
#include "store/audit.h"
#include "store/export.h"
#include "store/measures.h"
#include "store/users.h"
#include "fixture_db.h"

#define NOW 1800000000

static char dir[64];
static store *db;
static const actor WHO = {1, "planlegger@moss.kommune.no", "127.0.0.1"};

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    if (!doc)
        fail_msg("test document: %s: %s", text, je.text);
    return doc;
}

static bool has_error(json_t *errors, const char *field)
{
    return field_has_error(errors, field);
}

static size_t check(const char *text, bool partial, json_t **errors)
{
    json_t *in = parse(text);
    *errors = json_array();
    measure_normalize(in);
    size_t n = measure_check(in, partial, *errors);
    json_decref(in);
    return n;
}

static int64_t events(void)
{
    json_t *list;
    audit_filter every = {.limit = 500};
    assert_int_equal(store_audit_list(db, &every, &list), PV_OK);
    int64_t n = (int64_t)json_array_size(list);
    json_decref(list);
    return n;
}

/* ---- domain --------------------------------------------------------------------------- */

static void test_valid_measure(void **state)
{
    (void)state;
    json_t *errors;
    assert_int_equal(check("{\"title\": \"Et tiltak\", \"unit_ids\": [\"hr\"],"
                           " \"costs\": [{\"year\": 2025, \"amount\": 1250, \"note\": null},"
                           "  {\"year\": 2026, \"amount\": null, \"note\": \"Innenfor ramme\"},"
                           "  {\"year\": 2027, \"amount\": 0, \"note\": \"Oppstart\"}],"
                           " \"sdgs\": [3, 11], \"deadline\": \"2026-12-31\", \"priority\": 1,"
                           " \"partners\": [\"Frivilligsentralen\"], \"type\": \"tiltak\"}",
                           false, &errors),
                     0);
    json_decref(errors);
}

static void test_refused_fields(void **state)
{
    (void)state;
    json_t *errors;
    assert_int_equal(check("{\"unit_ids\": []}", false, &errors), 2);
    assert_true(has_error(errors, "title"));
    assert_true(has_error(errors, "unit_ids"));
    json_decref(errors);
    check("{\"title\": \"x\", \"unit_ids\": [\"hr\"], \"sdgs\": [18]}", false, &errors);
    assert_true(has_error(errors, "sdgs"));
    json_decref(errors);
    check("{\"sdgs\": [3, 3]}", true, &errors);
    assert_true(has_error(errors, "sdgs"));
    json_decref(errors);
    check("{\"deadline\": \"2026-02-30\", \"priority\": 1000, \"type\": \"drift\","
          " \"title\": \"to\\nlinjer\", \"partners\": [\"\\u0001\"], \"farge\": 1}",
          true, &errors);
    static const char *const bad[] = {"deadline", "priority", "type", "title", "partners",
                                      "farge"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        assert_true(has_error(errors, bad[i]));
    json_decref(errors);
    char eleven[400] = "{\"unit_ids\": [";
    for (int i = 0; i < 11; i++)
        snprintf(eleven + strlen(eleven), sizeof eleven - strlen(eleven), "%s\"u%d\"",
                 i ? ", " : "", i);
    strcat(eleven, "]}");
    check(eleven, true, &errors);
    assert_true(has_error(errors, "unit_ids"));
    json_decref(errors);
}

static void test_refused_costs(void **state)
{
    (void)state;
    json_t *errors;
    check("{\"costs\": [{\"year\": 2025, \"amount\": 5}, {\"year\": 2025, \"note\": \"x\"}]}",
          true, &errors);
    assert_true(has_error(errors, "costs.1.year"));
    assert_false(has_error(errors, "costs.0.year"));
    json_decref(errors);
    check("{\"costs\": [{\"year\": 1999, \"amount\": 5}, {\"year\": 2030},"
          " {\"year\": 2031, \"amount\": 10000001}, {\"year\": 2032, \"amount\": -1},"
          " {\"year\": 2033, \"note\": \"a\\nb\"}, {\"year\": 2034, \"amount\": \"1 250\"}]}",
          true, &errors);
    assert_true(has_error(errors, "costs.0.year"));
    assert_true(has_error(errors, "costs.1.amount")); /* neither amount nor note */
    assert_true(has_error(errors, "costs.2.amount"));
    assert_true(has_error(errors, "costs.3.amount"));
    assert_true(has_error(errors, "costs.4.note"));
    assert_true(has_error(errors, "costs.5.amount")); /* the API takes numbers */
    json_decref(errors);
    char many[2048] = "{\"costs\": [";
    for (int i = 0; i < 21; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many),
                 "%s{\"year\": %d, \"amount\": 1}", i ? ", " : "", 2000 + i);
    strcat(many, "]}");
    check(many, true, &errors);
    assert_true(has_error(errors, "costs"));
    json_decref(errors);
}

static void test_amounts_and_grid(void **state)
{
    (void)state;
    static const struct { const char *text; json_int_t value; } ok[] = {
        {"1250", 1250}, {"1 250", 1250}, {"1\xc2\xa0" "250", 1250}, {" 0 ", 0}};
    for (size_t i = 0; i < PV_ARRAY_LEN(ok); i++) {
        json_t *v = measure_amount_parse(ok[i].text);
        assert_true(json_is_integer(v));
        assert_int_equal(json_integer_value(v), ok[i].value);
        json_decref(v);
    }
    json_t *v = measure_amount_parse("");
    assert_true(json_is_null(v));
    json_decref(v);
    v = measure_amount_parse("1,5");
    assert_string_equal(json_string_value(v), "1,5");
    json_decref(v);
    const char *years[] = {"2025", "2026", "", ""};
    const char *amounts[] = {"1 250", "", "", "7"};
    const char *notes[] = {"", "Innenfor ramme", "", ""};
    json_t *costs = measure_costs_from_grid(years, amounts, notes, 4);
    json_t *want = parse("[{\"year\": 2025, \"amount\": 1250, \"note\": null},"
                         " {\"year\": 2026, \"amount\": null, \"note\": \"Innenfor ramme\"},"
                         " {\"year\": null, \"amount\": 7, \"note\": null}]");
    assert_true(json_equal(costs, want));
    json_t *in = json_pack("{s:O}", "costs", costs), *errors = json_array();
    measure_check(in, true, errors);
    assert_int_equal(json_array_size(errors), 1); /* the row without a year */
    assert_true(has_error(errors, "costs.2.year"));
    json_decref(errors);
    json_decref(in);
    json_decref(want);
    json_decref(costs);
}

/* ---- store ---------------------------------------------------------------------------- */

static void test_demo_units(void **state)
{
    (void)state;
    json_t *m;
    assert_int_equal(store_measure_get(db, "lhl-aldersvennlig-t04", false, &m), PV_OK);
    json_t *units = json_object_get(m, "units");
    assert_int_equal(json_array_size(units), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(units, 0), "id")),
                        "plan-miljo-og-teknikk");
    assert_string_equal(json_string_value(json_object_get(json_object_get(m, "plan"), "id")),
                        "leve-hele-livet");
    assert_true(json_array_size(json_object_get(m, "costs")) > 0);
    json_decref(m);
    /* «Alle kommunalområder» is the three kommunalområder. */
    json_t *list;
    assert_int_equal(store_measures_list(db, "medvirkningsplan", NULL, false, &list), PV_OK);
    size_t i, with_three = 0;
    json_array_foreach(list, i, m) {
        json_t *rec;
        assert_int_equal(store_measure_record(db, json_string_value(json_object_get(m, "id")),
                                              &rec), PV_OK);
        json_t *want = parse("[\"helse-og-mestring\", \"kultur-oppvekst-og-aktivitet\","
                             " \"plan-miljo-og-teknikk\"]");
        with_three += json_equal(json_object_get(rec, "unit_ids"), want);
        json_decref(want);
        json_decref(rec);
    }
    assert_int_equal(with_three, 2);
    json_decref(list);
    /* «Prosesseier» names no unit; the filter by unit */
    assert_int_equal(store_measures_list(db, NULL, "moss-kommunale-eiendomsselskap", false,
                                         &list), PV_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(store_units(db, &list), PV_OK);
    assert_int_equal(json_array_size(list), 13);
    json_decref(list);
}

static void test_create_update_audit(void **state)
{
    (void)state;
    int64_t n = events();
    json_t *in = parse("{\"title\": \" Nytt tiltak \", \"unit_ids\": [\"hr\", \"geodata\"],"
                       " \"costs\": [{\"year\": 2026, \"amount\": 300},"
                       "  {\"year\": 2025, \"note\": \"Innenfor ramme\"}], \"sdgs\": [11, 3]}");
    json_t *errors = json_array();
    buf id = BUF_INIT;
    assert_int_equal(store_measure_create(db, &WHO, NOW, "leve-hele-livet", in, errors, &id),
                     PV_OK);
    assert_string_equal(buf_cstr(&id), "leve-hele-livet-tiltak-1");
    assert_int_equal(events(), n + 1);
    json_t *rec;
    assert_int_equal(store_measure_record(db, buf_cstr(&id), &rec), PV_OK);
    assert_string_equal(json_string_value(json_object_get(rec, "title")), "Nytt tiltak");
    assert_string_equal(json_string_value(json_object_get(rec, "type")), "tiltak");
    json_t *want = parse("[{\"year\": 2025, \"amount\": null, \"note\": \"Innenfor ramme\"},"
                         " {\"year\": 2026, \"amount\": 300, \"note\": null}]");
    assert_true(json_equal(json_object_get(rec, "costs"), want));
    json_decref(want);
    want = parse("[3, 11]");
    assert_true(json_equal(json_object_get(rec, "sdgs"), want));
    json_decref(want);
    json_decref(rec);

    /* update: only the given fields change; one event with before → after */
    json_t *changes = parse("{\"deadline\": \"2026-06-30\", \"costs\": [{\"year\": 2026,"
                            " \"amount\": 450}]}");
    assert_int_equal(store_measure_update(db, &WHO, NOW + 1, buf_cstr(&id), changes, errors),
                     PV_OK);
    json_t *last;
    audit_filter newest = {.limit = 1};
    assert_int_equal(store_audit_list(db, &newest, &last), PV_OK);
    json_t *ev = json_array_get(last, 0);
    assert_string_equal(json_string_value(json_object_get(ev, "action")), "measure.update");
    json_t *ch = json_object_get(ev, "changes");
    assert_int_equal(json_object_size(ch), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "deadline"), 1)),
                        "2026-06-30");
    assert_non_null(json_object_get(ch, "costs"));
    json_decref(last);
    assert_int_equal(events(), n + 2);
    /* the same again: nothing changes, no event */
    assert_int_equal(store_measure_update(db, &WHO, NOW + 2, buf_cstr(&id), changes, errors),
                     PV_OK);
    assert_int_equal(events(), n + 2);
    json_decref(changes);

    /* refused: nothing written */
    json_t *before_all, *after_all;
    assert_int_equal(store_export(db, &before_all), PV_OK);
    changes = parse("{\"focus_area_id\": 999999, \"unit_ids\": [\"finnes-ikke\"],"
                    " \"goal_id\": \"finnes-ikke\"}");
    assert_int_equal(store_measure_update(db, &WHO, NOW + 3, buf_cstr(&id), changes, errors),
                     PV_EINVAL);
    assert_true(has_error(errors, "focus_area_id"));
    assert_true(has_error(errors, "unit_ids"));
    assert_true(has_error(errors, "goal_id"));
    assert_int_equal(store_export(db, &after_all), PV_OK);
    assert_true(json_equal(before_all, after_all));
    assert_int_equal(events(), n + 2);
    json_decref(before_all);
    json_decref(after_all);
    json_decref(changes);
    json_decref(errors);
    errors = json_array();
    /* a focus area of another plan is refused */
    changes = json_pack("{s:I}", "focus_area_id", (json_int_t)0);
    sqlite3_stmt *st = store_prepare(db, "SELECT id FROM focus_area WHERE plan_id <> 'leve-hele-livet' LIMIT 1");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    json_object_set_new(changes, "focus_area_id", json_integer(sqlite3_column_int64(st, 0)));
    sqlite3_reset(st);
    assert_int_equal(store_measure_update(db, &WHO, NOW + 3, buf_cstr(&id), changes, errors),
                     PV_EINVAL);
    assert_true(has_error(errors, "focus_area_id"));
    json_decref(changes);
    json_decref(errors);
    errors = json_array();
    assert_int_equal(store_measure_update(db, &WHO, NOW, "finnes-ikke", in, errors),
                     PV_ENOTFOUND);
    assert_int_equal(store_measure_create(db, &WHO, NOW, "finnes-ikke", in, errors, &id),
                     PV_ENOTFOUND);
    json_decref(errors);
    json_decref(in);
    buf_finish(&id);
}

static void test_members(void **state)
{
    (void)state;
    actor cli = {0, "cli", NULL};
    int64_t user;
    assert_int_equal(store_user_add(db, &cli, NOW, "leser@moss.kommune.no", "Leser", ROLE_LESER,
                                    NULL, &user), PV_OK);
    assert_false(store_measure_unit_member(db, "lhl-aldersvennlig-t04", user));
    json_t *ids = parse("[\"plan-miljo-og-teknikk\"]"), *errors = json_array();
    int64_t n = events();
    assert_int_equal(store_user_units_set(db, &WHO, NOW, user, ids, errors), PV_OK);
    assert_int_equal(events(), n + 1);
    assert_true(store_measure_unit_member(db, "lhl-aldersvennlig-t04", user));
    assert_false(store_measure_unit_member(db, "lhl-aldersvennlig-t01", user));
    json_t *units;
    assert_int_equal(store_user_units(db, user, &units), PV_OK);
    assert_int_equal(json_array_size(units), 1);
    json_decref(units);
    json_decref(ids);
    ids = parse("[\"finnes-ikke\"]");
    assert_int_equal(store_user_units_set(db, &WHO, NOW, user, ids, errors), PV_EINVAL);
    assert_true(has_error(errors, "unit_ids"));
    assert_true(store_measure_unit_member(db, "lhl-aldersvennlig-t04", user));
    assert_int_equal(store_user_units_set(db, &WHO, NOW, 999999, ids, errors), PV_ENOTFOUND);
    json_decref(ids);
    json_decref(errors);
}

static void test_inputs_and_reports(void **state)
{
    (void)state;
    assert_int_equal(fixture_db_exec(db,
        "INSERT INTO process (id, title, status, publish_at_once, created_at, position) VALUES"
        " ('p-test', 'Testprosess', 'åpen', 0, 1, 900);"
        "INSERT INTO input (id, process_id, channel, text, received_at, moderation) VALUES"
        " (9001, 'p-test', 'web', 'Publisert innspill om benker', 1, 'publisert'),"
        " (9002, 'p-test', 'web', 'Ikke moderert innspill', 2, 'ny'),"
        " (9003, 'p-test', 'web', 'Gammel vurdering', 3, 'publisert');"
        "INSERT INTO contact (input_id, name, email, consent) VALUES"
        " (9001, 'Kari Hemmelig', 'kari@example.no', 1);"
        "INSERT INTO assessment (id, process_id, outcome, assessed_at) VALUES"
        " (9001, 'p-test', 'tatt til følge', 1), (9002, 'p-test', 'tatt til følge', 1),"
        " (9003, 'p-test', 'tatt til følge', 1), (9004, 'p-test', 'utenfor mandat', 2);"
        "INSERT INTO assessment_link (assessment_id, measure_id) VALUES"
        " (9001, 'lhl-aldersvennlig-t04'), (9002, 'lhl-aldersvennlig-t04'),"
        " (9003, 'lhl-aldersvennlig-t04');"
        "UPDATE input SET assessment_id = 9001 WHERE id = 9001;"
        "UPDATE input SET assessment_id = 9002 WHERE id = 9002;"
        "UPDATE input SET assessment_id = 9004 WHERE id = 9003;"
        "INSERT INTO measure_report (measure_id, year, period, status, progress, reported_at)"
        " VALUES ('lhl-aldersvennlig-t04', 2026, 't1', 'i rute', 20, 1),"
        " ('lhl-aldersvennlig-t04', 2026, 't2', 'forsinket', 30, 2);"
        "INSERT INTO report_period (year, period, closed_at) VALUES (2026, 't1', 3);"), 0);
    json_t *m;
    assert_int_equal(store_measure_get(db, "lhl-aldersvennlig-t04", false, &m), PV_OK);
    json_t *inputs = json_object_get(m, "inputs");
    assert_int_equal(json_array_size(inputs), 1); /* not the unmoderated, not the reassessed */
    json_t *first = json_array_get(inputs, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "id")), 9001);
    char *text = json_dumps(m, 0);
    assert_null(strstr(text, "Kari"));
    assert_null(strstr(text, "example.no"));
    free(text);
    json_t *reports = json_object_get(m, "reports");
    assert_int_equal(json_array_size(reports), 1); /* t2 is open */
    assert_string_equal(json_string_value(json_object_get(json_array_get(reports, 0), "period")),
                        "t1");
    json_decref(m);
    assert_int_equal(store_measure_get(db, "lhl-aldersvennlig-t04", true, &m), PV_OK);
    reports = json_object_get(m, "reports");
    assert_int_equal(json_array_size(reports), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(reports, 0), "period")),
                        "t2"); /* newest first */
    json_decref(m);
    json_t *list;
    assert_int_equal(store_measures_list(db, "leve-hele-livet", "plan-miljo-og-teknikk", false,
                                         &list), PV_OK);
    json_t *latest = NULL;
    size_t i;
    json_array_foreach(list, i, m)
        if (strcmp(json_string_value(json_object_get(m, "id")), "lhl-aldersvennlig-t04") == 0)
            latest = json_object_get(m, "latest");
    assert_string_equal(json_string_value(json_object_get(latest, "status")), "i rute");
    json_decref(list);
    assert_int_equal(store_measure_get(db, "finnes-ikke", false, &m), PV_ENOTFOUND);
}

static int group_setup(void **state)
{
    (void)state;
    db = fixture_db_open(dir, sizeof dir, "/tmp/pv-test-measures-XXXXXX", "t.db", NULL, 0);
    static const char *const kinds[] = {"units", "plans", "goals", "indicators", "measures"};
    if (!db || fixture_db_import_demo(db, kinds, PV_ARRAY_LEN(kinds)) != 0)
        return -1;
    actor cli = {0, "cli", NULL};
    int64_t id; /* the planner who acts (WHO) */
    return store_user_add(db, &cli, NOW, WHO.name, "Planlegger", ROLE_PLANLEGGER, NULL, &id) == 0 &&
                   id == WHO.user_id
               ? 0
               : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    fixture_db_remove(db, dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_measure),
        cmocka_unit_test(test_refused_fields),
        cmocka_unit_test(test_refused_costs),
        cmocka_unit_test(test_amounts_and_grid),
        cmocka_unit_test(test_demo_units),
        cmocka_unit_test(test_create_update_audit),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_inputs_and_reports),
    };
    return cmocka_run_group_tests_name("measures", tests, group_setup, group_teardown) ? 1 : 0;
}
