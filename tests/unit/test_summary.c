/* Unit tests for the summary and the merknadsbehandling: grouping and ordering of the rows
 * (domain/merknad.c), CSV quoting per RFC 4180 with the formula guard, and the store's
 * reading of a process (no contact data in the public summary).
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
#include "domain/merknad.h"
#include "export/csv.h"
#include "store/summary.h"
#include "fixture_db.h"

static char DIR_[64];
static store *DB;

/* ---- CSV ------------------------------------------------------------------------------ */

static void assert_field(const char *in, const char *expected)
{
    buf b = BUF_INIT;
    csv_field(&b, in);
    assert_string_equal(buf_cstr(&b), expected);
    buf_finish(&b);
}

static void test_csv_field(void **state)
{
    (void)state;
    assert_field("plain", "plain");
    assert_field(NULL, "");
    assert_field("", "");
    assert_field("a,b", "\"a,b\"");
    assert_field("a;b", "\"a;b\"");
    assert_field("she said \"no\"", "\"she said \"\"no\"\"\"");
    assert_field("line one\nline two", "\"line one\nline two\"");
    assert_field("cr\r\nlf", "\"cr\r\nlf\"");
    assert_field("=SUM(A1:A9)", "'=SUM(A1:A9)");
    assert_field("+47 99", "'+47 99");
    assert_field("-1", "'-1");
    assert_field("@cmd", "'@cmd");
    assert_field("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    assert_field("\tx", "'\tx");
    assert_field("a=b", "a=b");
    assert_field("Ærlig talt, blåbær – «sykkel»", "\"Ærlig talt, blåbær – «sykkel»\"");
    assert_field("Øst", "Øst");
}

static void test_csv_record(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char *fields[] = {"1", NULL, "x,y", "=1"};
    csv_record(&b, fields, 4, ',');
    csv_record(&b, fields, 1, ',');
    assert_string_equal(buf_cstr(&b), "1,,\"x,y\",'=1\r\n1\r\n");
    buf_finish(&b);
}

/* ---- grouping ------------------------------------------------------------------------- */

static json_t *row(int id, const char *sender, const char *org, long long at, int aid,
                   const char *outcome, const char *theme)
{
    json_t *r = json_pack("{s:i, s:s, s:s, s:s, s:s?, s:I, s:s, s:[], s:[]}", "id", id, "text",
                          "tekst", "channel", "web", "sender_type", sender, "on_behalf_of", org,
                          "received_at", (json_int_t)at, "moderation", "publisert", "themes",
                          "assessment_themes");
    if (theme)
        json_array_append_new(json_object_get(r, "themes"), json_string(theme));
    if (aid) {
        json_object_set_new(r, "assessment_id", json_integer(aid));
        json_object_set_new(r, "outcome", json_string(outcome));
        json_object_set_new(r, "justification", json_string("fordi"));
        json_object_set_new(r, "summary", json_null());
    } else {
        json_object_set_new(r, "assessment_id", json_null());
        json_object_set_new(r, "outcome", json_null());
        json_object_set_new(r, "justification", json_null());
        json_object_set_new(r, "summary", json_null());
    }
    json_object_set_new(r, "assessed_at", json_null());
    return r;
}

static json_int_t first_id(json_t *g)
{
    return json_integer_value(json_array_get(json_object_get(g, "input_ids"), 0));
}

static void test_group_and_order(void **state)
{
    (void)state;
    json_t *rows = json_array();
    /* assessment 1 covers inputs 1, 2, 3 (theme Trafikk, ikke tatt til følge) */
    json_array_append_new(rows, row(1, "privatperson", "Ignored", 300, 1, "ikke tatt til følge", "Trafikk"));
    json_array_append_new(rows, row(2, "organisasjon", "Moss Velforening", 200, 1, "ikke tatt til følge", "Trafikk"));
    json_array_append_new(rows, row(3, "privatperson", NULL, 100, 1, "ikke tatt til følge", "Trafikk"));
    /* assessment 2: Trafikk, tatt til følge, later date — comes before 1 by outcome */
    json_array_append_new(rows, row(4, "råd/utvalg", "Eldrerådet", 900, 2, "tatt til følge", "Trafikk"));
    /* unassessed, Trafikk: after every outcome */
    json_array_append_new(rows, row(5, "privatperson", NULL, 50, 0, NULL, "Trafikk"));
    /* Bolig sorts before Trafikk; Østsiden (Ø) after Trafikk in Norwegian collation */
    json_array_append_new(rows, row(6, "offentlig myndighet", "Statsforvalteren", 999, 3, "utenfor mandat", "Bolig"));
    json_array_append_new(rows, row(7, "privatperson", NULL, 10, 0, NULL, "Østsiden"));
    /* no theme: last */
    json_array_append_new(rows, row(8, "privatperson", NULL, 1, 4, "tatt til følge", NULL));
    /* same theme and outcome as 8's group? no: two unassessed Bolig inputs ordered by date */
    json_array_append_new(rows, row(9, "privatperson", NULL, 500, 0, NULL, "Bolig"));
    json_array_append_new(rows, row(10, "organisasjon", NULL, 400, 0, NULL, "Bolig"));

    json_t *g = merknad_group(rows);
    json_decref(rows);
    json_int_t expected[] = {6, 10, 9, 4, 1, 5, 7, 8};
    assert_int_equal(json_array_size(g), 8);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(first_id(json_array_get(g, i)), expected[i]);

    json_t *grouped = json_array_get(g, 4);
    assert_int_equal(json_array_size(json_object_get(grouped, "input_ids")), 3);
    assert_int_equal(json_integer_value(json_object_get(grouped, "received_at")), 100);
    assert_string_equal(json_string_value(json_object_get(grouped, "outcome")), "ikke tatt til følge");
    /* senders: the private persons collapse into one entry counted twice, on_behalf_of of a
     * private person is never used as a name */
    json_t *senders = json_object_get(grouped, "senders");
    assert_int_equal(json_array_size(senders), 2);
    json_t *p = json_array_get(senders, 0), *o = json_array_get(senders, 1);
    assert_string_equal(json_string_value(json_object_get(p, "type")), "privatperson");
    assert_true(json_is_null(json_object_get(p, "name")) || !json_object_get(p, "name"));
    assert_int_equal(json_integer_value(json_object_get(p, "count")), 2);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "Moss Velforening");
    /* without its own summary the group's summary is the inputs' texts */
    assert_string_equal(json_string_value(json_object_get(grouped, "summary")),
                        "tekst\n\ntekst\n\ntekst");
    /* unassessed rows have no outcome */
    assert_true(json_is_null(json_object_get(json_array_get(g, 5), "outcome")));
    assert_true(json_is_null(json_object_get(json_array_get(g, 7), "theme")));
    json_decref(g);
}

static void test_group_empty(void **state)
{
    (void)state;
    json_t *rows = json_array();
    json_t *g = merknad_group(rows);
    assert_int_equal(json_array_size(g), 0);
    json_decref(g);
    json_decref(rows);
}

/* ---- the store ------------------------------------------------------------------------ */

static void test_store_summary(void **state)
{
    (void)state;
    json_t *s = NULL;
    assert_int_equal(store_summary_get(DB, "p", &s), PV_OK);
    /* input 4 is rejected: not counted */
    assert_int_equal(json_integer_value(json_object_get(s, "total")), 3);
    json_t *inputs = json_object_get(s, "inputs");
    assert_int_equal(json_array_size(inputs), 2); /* 1 and 2 published; 3 not */
    json_t *one = json_array_get(inputs, 0), *two = json_array_get(inputs, 1);
    assert_int_equal(json_integer_value(json_object_get(one, "id")), 1);
    assert_true(json_is_null(json_object_get(one, "on_behalf_of"))); /* private person */
    assert_string_equal(json_string_value(json_object_get(two, "on_behalf_of")), "Idrettsrådet");
    json_t *a = json_object_get(one, "assessment");
    assert_string_equal(json_string_value(json_object_get(a, "outcome")), "delvis tatt til følge");
    assert_string_equal(json_string_value(json_object_get(a, "justification")), "Vi gjør noe.");
    json_t *links = json_object_get(a, "links");
    assert_int_equal(json_array_size(links), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(links, 0), "title")),
                        "Flere sykkelveier");
    assert_true(json_is_null(json_object_get(two, "assessment")));
    /* no personal data anywhere in the summary */
    char *dump = json_dumps(s, 0);
    assert_null(strstr(dump, "kari@example.no"));
    assert_null(strstr(dump, "Kari Nordmann"));
    assert_null(strstr(dump, "40000000"));
    assert_null(strstr(dump, "30-39"));
    assert_null(strstr(dump, "Privatpersonens forening"));
    free(dump);
    /* counts by theme, channel, outcome */
    json_t *themes = json_object_get(s, "themes");
    assert_string_equal(json_string_value(json_object_get(json_array_get(themes, 0), "name")), "Sykkel");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(themes, 0), "count")), 2);
    json_t *outcomes = json_object_get(s, "outcomes");
    assert_int_equal(json_array_size(outcomes), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(outcomes, 0), "outcome")),
                        "delvis tatt til følge");
    assert_true(json_is_null(json_object_get(json_array_get(outcomes, 1), "outcome")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(outcomes, 0), "count")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(outcomes, 1), "count")), 1);
    json_t *channels = json_object_get(s, "channels");
    assert_int_equal(json_array_size(channels), 2);
    json_decref(s);

    assert_int_equal(store_summary_get(DB, "tom", &s), PV_OK);
    assert_int_equal(json_integer_value(json_object_get(s, "total")), 0);
    assert_int_equal(json_array_size(json_object_get(s, "inputs")), 0);
    json_decref(s);
}

static void test_store_merknad_rows(void **state)
{
    (void)state;
    json_t *rows = NULL;
    assert_int_equal(store_merknad_rows(DB, "p", &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 4); /* every input, rejected too */
    json_t *g = merknad_group(rows);
    json_decref(rows);
    /* Idrett (input 2, not assessed), then Sykkel: assessment 11 (replacing 10) covers
     * inputs 1 and 3 in one row; then the rejected input without a theme */
    assert_int_equal(json_array_size(g), 3);
    assert_int_equal(first_id(json_array_get(g, 0)), 2);
    assert_int_equal(first_id(json_array_get(g, 2)), 4);
    json_t *first = json_array_get(g, 1);
    assert_int_equal(json_integer_value(json_object_get(first, "assessment_id")), 11);
    assert_int_equal(json_array_size(json_object_get(first, "input_ids")), 2);
    assert_string_equal(json_string_value(json_object_get(first, "summary")), "Kort om sykkel");
    json_decref(g);
}

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-summary-XXXXXX", "t.db", NULL, 0);
    if (!DB)
        return -1;
    return fixture_db_exec(
        DB,
        "INSERT INTO plan (id, name, position) VALUES ('pl', 'Plan', 1);"
        "INSERT INTO measure (id, plan_id, kind, title, position) VALUES ('m1', 'pl', 'tiltak', 'Flere sykkelveier', 1);"
        "INSERT INTO process (id, title, status, created_at, position) VALUES"
        " ('p', 'Prosess', 'tilbakemeldt', 1, 1), ('tom', 'Tom', 'åpen', 1, 2);"
        "INSERT INTO input (id, process_id, channel, sender_type, on_behalf_of, text, received_at,"
        " themes, age_group, home_area, moderation) VALUES"
        " (1, 'p', 'web', 'privatperson', 'Privatpersonens forening', 'Mer sykkel', 100,"
        "  '[\"Sykkel\"]', '30-39', 'Jeløy', 'publisert'),"
        " (2, 'p', 'råd', 'råd/utvalg', 'Idrettsrådet', 'Flere baner', 200, '[\"Idrett\"]', NULL,"
        "  NULL, 'publisert'),"
        " (3, 'p', 'web', 'privatperson', NULL, 'Enda mer sykkel', 300, '[\"Sykkel\"]', NULL, NULL,"
        "  'ny'),"
        " (4, 'p', 'web', 'privatperson', NULL, 'Spam', 400, '[]', NULL, NULL, 'avvist');"
        "INSERT INTO contact (input_id, name, email, phone, consent) VALUES"
        " (1, 'Kari Nordmann', 'kari@example.no', '40000000', 1);"
        "INSERT INTO assessment (id, process_id, outcome, justification, summary, themes,"
        " assessed_at) VALUES (10, 'p', 'ikke tatt til følge', 'Nei.', NULL, '[]', 500),"
        " (11, 'p', 'delvis tatt til følge', 'Vi gjør noe.', 'Kort om sykkel', '[\"Sykkel\"]', 600);"
        "INSERT INTO assessment_input VALUES (10, 1), (11, 1), (11, 3);"
        "INSERT INTO assessment_link (assessment_id, measure_id) VALUES (11, 'm1');"
        "UPDATE input SET assessment_id = 11 WHERE id IN (1, 3);");
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
    setenv("TZ", "Europe/Oslo", 1);
    if (secret_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_field),        cmocka_unit_test(test_csv_record),
        cmocka_unit_test(test_group_and_order),  cmocka_unit_test(test_group_empty),
        cmocka_unit_test(test_store_summary),    cmocka_unit_test(test_store_merknad_rows),
    };
    return cmocka_run_group_tests_name("summary", tests, group_setup, group_teardown) ? 1 : 0;
}
