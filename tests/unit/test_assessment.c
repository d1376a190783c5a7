/* Unit tests for assessing inputs: the input state machine (domain/assessment.c), the
 * justification rule, the group assessment in one transaction (all or nothing), revisions
 * that keep the old row (and the triggers that refuse UPDATE and DELETE), links only into
 * the process's plan, the audit event, reading an input's history, and the inbox filters
 * (store/inputs_staff.c).
 * Layer: tests (domain, store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secret.h"
#include "domain/assessment.h"
#include "store/assessments.h"
#include "store/inputs_staff.h"
#include "fixture_db.h"

#define NOW 1800000000

static char DIR_[64];
static store *DB;
static const actor WHO = {7, "radgiver@moss.kommune.no", "127.0.0.1"};

static int64_t count(const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(DB), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Everything an assessment writes, as one number that any write changes. */
static int64_t written(void)
{
    return count("SELECT (SELECT count(*) FROM assessment) * 1000000"
                 " + (SELECT count(*) FROM assessment_input) * 10000"
                 " + (SELECT count(*) FROM assessment_link) * 100"
                 " + (SELECT count(*) FROM audit_event)"
                 " + (SELECT count(*) FROM input WHERE status <> 'mottatt') * 10000000");
}

static bool has_error(json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return true;
    return false;
}

static const char *status_of(int64_t input)
{
    static char out[32];
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(DB),
                                        "SELECT status FROM input WHERE id = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, input);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* Assesses; returns the store's result, the id in *id and the errors in *errors_out (or
 * frees them). */
static int assess(json_t *in, int64_t *id, json_t **errors_out)
{
    json_t *errors = json_array();
    int64_t own = 0;
    int rc = store_assessment_create(DB, &WHO, NOW, "apen", in, errors, id ? id : &own);
    json_decref(in);
    if (errors_out)
        *errors_out = errors;
    else
        json_decref(errors);
    return rc;
}

/* ---- the domain ------------------------------------------------------------------------ */

static void test_state_machine(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        input_event ev;
        int rc;
        const char *to;
    } table[] = {
        {"mottatt", INPUT_ASSESS, PV_OK, "vurdert"},
        {"vurdert", INPUT_ASSESS, PV_OK, "vurdert"},
        {"tilbakemeldt", INPUT_ASSESS, PV_OK, "vurdert"},
        {"mottatt", INPUT_FEEDBACK, PV_ECONFLICT, NULL}, /* no feedback before assessment */
        {"vurdert", INPUT_FEEDBACK, PV_OK, "tilbakemeldt"},
        {"tilbakemeldt", INPUT_FEEDBACK, PV_OK, "tilbakemeldt"},
        {"slettet", INPUT_ASSESS, PV_EINVAL, NULL},
        {NULL, INPUT_FEEDBACK, PV_EINVAL, NULL},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(table); i++) {
        const char *to = NULL;
        assert_int_equal(input_transition(table[i].from, table[i].ev, &to), table[i].rc);
        if (table[i].to)
            assert_string_equal(to, table[i].to);
        else
            assert_null(to);
    }
    /* A revision always names what it replaces; inputs with different ones are refused. */
    int64_t r = -1;
    int64_t none[] = {0, 0}, one[] = {0, 5, 5}, two[] = {5, 6};
    assert_int_equal(assessment_replaces(none, 2, &r), PV_OK);
    assert_int_equal(r, 0);
    assert_int_equal(assessment_replaces(one, 3, &r), PV_OK);
    assert_int_equal(r, 5);
    assert_int_equal(assessment_replaces(two, 2, &r), PV_ECONFLICT);
    /* Every stored outcome has a label of its own. */
    for (size_t i = 0; assessment_outcomes[i]; i++)
        assert_string_not_equal(assessment_outcome_label(assessment_outcomes[i]),
                                assessment_outcomes[i]);
    assert_string_equal(assessment_outcome_label("utenfor mandat"), "Utenfor prosessens mandat");
}

static json_t *checked(json_t *in)
{
    json_t *themes = json_pack("[s, s]", "Trafikk", "Annet"), *errors = json_array();
    assessment_normalize(in);
    assessment_check(in, themes, errors);
    json_decref(themes);
    json_decref(in);
    return errors;
}

static void test_justification_rule(void **state)
{
    (void)state;
    /* «tatt til følge» needs no justification; every other outcome does. */
    json_t *e = checked(json_pack("{s:[i], s:s}", "input_ids", 1, "outcome", "tatt til følge"));
    assert_int_equal(json_array_size(e), 0);
    json_decref(e);
    for (size_t i = 1; assessment_outcomes[i]; i++) {
        e = checked(json_pack("{s:[i], s:s, s:s}", "input_ids", 1, "outcome",
                              assessment_outcomes[i], "justification", "  \n "));
        assert_true(has_error(e, "justification"));
        json_decref(e);
        e = checked(json_pack("{s:[i], s:s, s:s}", "input_ids", 1, "outcome",
                              assessment_outcomes[i], "justification", "Fordi."));
        assert_int_equal(json_array_size(e), 0);
        json_decref(e);
    }
    /* Unknown outcome, no inputs, repeated ids, a theme not in the list, an unknown key, a
     * justification over its limit. */
    e = checked(json_pack("{s:[], s:s, s:[s], s:b}", "input_ids", "outcome", "kanskje",
                          "themes", "Vær", "extra", 1));
    assert_true(has_error(e, "input_ids") && has_error(e, "outcome") && has_error(e, "themes") &&
                has_error(e, "extra"));
    json_decref(e);
    char *long_text = malloc(ASSESSMENT_JUSTIFICATION_MAX + 2);
    memset(long_text, 'a', ASSESSMENT_JUSTIFICATION_MAX + 1);
    long_text[ASSESSMENT_JUSTIFICATION_MAX + 1] = '\0';
    e = checked(json_pack("{s:[i, i], s:s, s:s}", "input_ids", 2, 2, "outcome",
                          "ikke tatt til følge", "justification", long_text));
    free(long_text);
    assert_true(has_error(e, "input_ids") && has_error(e, "justification"));
    json_decref(e);
}

/* ---- the store ------------------------------------------------------------------------- */

static void test_single_and_revision(void **state)
{
    (void)state;
    int64_t first = 0, second = 0;
    assert_int_equal(assess(json_pack("{s:[i], s:s, s:s, s:[s], s:[s], s:[i]}", "input_ids", 1,
                                      "outcome", "ikke tatt til følge", "justification",
                                      "Utenfor budsjettet.", "themes", "Trafikk", "measure_ids",
                                      "m1", "focus_area_ids", 1),
                            &first, NULL),
                     PV_OK);
    assert_string_equal(status_of(1), "vurdert");
    assert_int_equal(count("SELECT assessment_id FROM input WHERE id = 1"), first);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'assessment.create'"
                           " AND object_type = 'assessment'"),
                     1);
    /* A revision is a new row that replaces the first; the first is kept as it was. */
    assert_int_equal(assess(json_pack("{s:[i], s:s}", "input_ids", 1, "outcome",
                                      "tatt til følge"),
                            &second, NULL),
                     PV_OK);
    assert_true(second > first);
    assert_int_equal(count("SELECT replaces FROM assessment WHERE id = (SELECT assessment_id"
                           " FROM input WHERE id = 1)"),
                     first);
    assert_int_equal(count("SELECT count(*) FROM assessment WHERE outcome = 'ikke tatt til"
                           " følge' AND justification = 'Utenfor budsjettet.'"),
                     1);
    json_t *of;
    assert_int_equal(store_assessment_of_input(DB, "apen", 1, &of), PV_OK);
    json_t *cur = json_object_get(of, "current");
    assert_int_equal(json_integer_value(json_object_get(cur, "id")), second);
    assert_int_equal(json_integer_value(json_object_get(cur, "replaces")), first);
    assert_int_equal(json_array_size(json_object_get(of, "history")), 1);
    json_t *old = json_array_get(json_object_get(of, "history"), 0);
    assert_string_equal(json_string_value(json_object_get(old, "outcome")), "ikke tatt til følge");
    assert_string_equal(json_string_value(json_object_get(old, "assessed_by")), "Rådgiver");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(old, "measures"), 0), "title")),
                        "Fortau");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(old, "focus_areas"), 0), "name")),
                        "Trygg skolevei");
    json_decref(of);
    assert_int_equal(store_assessment_of_input(DB, "lukket", 1, &of), PV_ENOTFOUND);
    /* The triggers keep the record: no UPDATE, no DELETE. */
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(store_handle(DB),
                                      "UPDATE assessment SET outcome = 'tatt til følge'", NULL,
                                      NULL, &err),
                         SQLITE_OK);
    sqlite3_free(err);
    assert_int_not_equal(sqlite3_exec(store_handle(DB), "DELETE FROM assessment", NULL, NULL,
                                      &err),
                         SQLITE_OK);
    sqlite3_free(err);
    assert_int_equal(count("SELECT count(*) FROM assessment"), 2);
}

static void test_group_all_or_nothing(void **state)
{
    (void)state;
    int64_t before = written();
    json_t *errors;
    /* Input 9 belongs to another process: nothing at all is written for 2 and 3 either. */
    assert_int_equal(assess(json_pack("{s:[i, i, i], s:s, s:s}", "input_ids", 2, 3, 9,
                                      "outcome", "allerede ivaretatt", "justification",
                                      "Står i planen."),
                            NULL, &errors),
                     PV_EINVAL);
    assert_true(has_error(errors, "input_ids"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "detail")),
                        "9");
    json_decref(errors);
    assert_int_equal(written(), before);
    assert_string_equal(status_of(2), "mottatt");
    /* Missing justification: nothing written. */
    assert_int_equal(assess(json_pack("{s:[i, i], s:s}", "input_ids", 2, 3, "outcome",
                                      "utenfor mandat"),
                            NULL, NULL),
                     PV_EINVAL);
    assert_int_equal(written(), before);
    /* Together: one assessment, both inputs point to it, one audit event. */
    int64_t id = 0;
    assert_int_equal(assess(json_pack("{s:[i, i], s:s, s:s, s:s}", "input_ids", 2, 3,
                                      "outcome", "delvis tatt til følge", "justification",
                                      "Delvis.", "summary", "Ønsker fortau."),
                            &id, NULL),
                     PV_OK);
    assert_int_equal(count("SELECT count(DISTINCT assessment_id) FROM input WHERE id IN (2, 3)"),
                     1);
    assert_int_equal(count("SELECT assessment_id FROM input WHERE id = 2"), id);
    assert_int_equal(count("SELECT count(*) FROM assessment_input WHERE assessment_id ="
                           " (SELECT assessment_id FROM input WHERE id = 3)"),
                     2);
    assert_string_equal(status_of(3), "vurdert");
    json_t *a;
    assert_int_equal(store_assessment_get(DB, id, &a), PV_OK);
    assert_int_equal(json_array_size(json_object_get(a, "input_ids")), 2);
    assert_string_equal(json_string_value(json_object_get(a, "summary")), "Ønsker fortau.");
    json_decref(a);
    json_t *events;
    audit_filter f = {.action = "assessment.create", .limit = 10};
    assert_int_equal(store_audit_list(DB, &f, &events), PV_OK);
    json_t *changes = json_object_get(json_array_get(events, 0), "changes");
    assert_int_equal(json_array_size(json_array_get(json_object_get(changes, "input_ids"), 1)), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(changes, "outcome"), 1)),
                        "delvis tatt til følge");
    json_decref(events);
    /* Input 1 (assessed alone) with 2 (assessed in the group): different current
     * assessments, so refused — a revision must name the one it replaces. */
    before = written();
    assert_int_equal(assess(json_pack("{s:[i, i], s:s}", "input_ids", 1, 2, "outcome",
                                      "tatt til følge"),
                            NULL, &errors),
                     PV_EINVAL);
    assert_true(has_error(errors, "input_ids"));
    json_decref(errors);
    assert_int_equal(written(), before);
}

static void test_links_only_to_own_plan(void **state)
{
    (void)state;
    int64_t before = written();
    json_t *errors;
    assert_int_equal(assess(json_pack("{s:[i], s:s, s:[s]}", "input_ids", 4, "outcome",
                                      "tatt til følge", "measure_ids", "m2"),
                            NULL, &errors),
                     PV_EINVAL);
    assert_true(has_error(errors, "measure_ids"));
    json_decref(errors);
    assert_int_equal(assess(json_pack("{s:[i], s:s, s:[i]}", "input_ids", 4, "outcome",
                                      "tatt til følge", "focus_area_ids", 2),
                            NULL, &errors),
                     PV_EINVAL);
    assert_true(has_error(errors, "focus_area_ids"));
    json_decref(errors);
    assert_int_equal(written(), before);
    /* The plan's links as the form lists them: areas with their measures, loose ones last. */
    json_t *links;
    assert_int_equal(store_assessment_plan_links(DB, "apen", &links), PV_OK);
    assert_int_equal(json_array_size(links), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(links, 0), "name")),
                        "Trygg skolevei");
    assert_int_equal(json_array_size(json_object_get(json_array_get(links, 0), "measures")), 1);
    assert_true(json_is_null(json_object_get(json_array_get(links, 1), "id")));
    json_decref(links);
    assert_int_equal(store_assessment_plan_links(DB, "lukket", &links), PV_OK);
    assert_int_equal(json_array_size(links), 0);
    json_decref(links);
}

static void test_inbox_filters(void **state)
{
    (void)state;
    json_t *rows;
    staff_input_filter f = {.outcome = "delvis tatt til følge"};
    assert_int_equal(store_inputs_staff_list(DB, "apen", &f, &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "outcome")),
                        "delvis tatt til følge");
    json_decref(rows);
    f = (staff_input_filter){.status = "mottatt"};
    assert_int_equal(store_inputs_staff_list(DB, "apen", &f, &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 1); /* input 4 */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), 4);
    json_decref(rows);
    f = (staff_input_filter){.theme = "Annet"};
    assert_int_equal(store_inputs_staff_list(DB, "apen", &f, &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 1); /* input 3 */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), 3);
    json_decref(rows);
    f = (staff_input_filter){.theme = "Trafikk", .status = "vurdert", .channel = "brev"};
    assert_int_equal(store_inputs_staff_list(DB, "apen", &f, &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 1); /* input 2 */
    json_decref(rows);
}

/* ---- fixture -------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-assessment-XXXXXX", "t.db", NULL, 0);
    if (!DB)
        return -1;
    return fixture_db_exec(
        DB,
        "INSERT INTO user (id, email, name, password_hash, created_at)"
        "  VALUES (7, 'radgiver@moss.kommune.no', 'Rådgiver', 'x', 1);"
        "INSERT INTO plan (id, name, position) VALUES ('p1', 'Trafikkplan', 1),"
        " ('p2', 'Annen plan', 2);"
        "INSERT INTO focus_area (id, plan_id, name, position) VALUES (1, 'p1', 'Trygg skolevei', 1),"
        " (2, 'p2', 'Noe annet', 1);"
        "INSERT INTO measure (id, plan_id, focus_area_id, kind, title, position) VALUES"
        " ('m1', 'p1', 1, 'tiltak', 'Fortau', 1), ('m3', 'p1', NULL, 'tiltak', 'Løst', 2),"
        " ('m2', 'p2', 2, 'tiltak', 'Annet tiltak', 1);"
        "INSERT INTO process (id, title, status, themes, areas, opens_at, deadline, created_at,"
        " position, plan_id) VALUES"
        " ('apen', 'Åpen', 'åpen', '[\"Trafikk\", \"Annet\"]', '[]', 1790000000, 1810000000,"
        "  1, 1, 'p1'),"
        " ('lukket', 'Lukket', 'avsluttet', '[\"Trafikk\"]', '[]', NULL, 1700000000, 1, 2, NULL);"
        "INSERT INTO input (id, process_id, channel, text, received_at, themes) VALUES"
        " (1, 'apen', 'web', 'Fortau langs skoleveien.', 1, '[\"Trafikk\"]'),"
        " (2, 'apen', 'brev', 'Bedre fortau.', 2, '[\"Trafikk\"]'),"
        " (3, 'apen', 'web', 'Fortau, takk.', 3, '[\"Annet\"]'),"
        " (4, 'apen', 'e-post', 'Noe helt annet.', 4, '[]'),"
        " (9, 'lukket', 'web', 'Gammelt.', 5, '[]');");
}

static int group_teardown(void **state)
{
    (void)state;
    fixture_db_remove(DB, DIR_);
    return 0;
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    if (secret_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_machine),
        cmocka_unit_test(test_justification_rule),
        cmocka_unit_test(test_single_and_revision),
        cmocka_unit_test(test_group_all_or_nothing),
        cmocka_unit_test(test_links_only_to_own_plan),
        cmocka_unit_test(test_inbox_filters),
    };
    return cmocka_run_group_tests_name("assessment", tests, group_setup, group_teardown) ? 1 : 0;
}
