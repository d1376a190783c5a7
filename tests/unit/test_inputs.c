/* Unit tests for innspill: the rules of every field (domain/input.c) and the store
 * (store/inputs.c): a refused input — bad field, closed or not yet open process, unknown
 * process — changes nothing; a stored one has a receipt that finds it in any case and
 * without dashes and shows no contact data; staff registrations write an audit event; the
 * published list holds only what may be public; the rate limit counts per address.
 * Layer: tests (domain, store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/input.h"
#include "domain/participation.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/inputs.h"
#include "fixture_db.h"

#define NOW 1800000000

static store *DB;
static char DIR_[64];

/* ---- helpers -------------------------------------------------------------------------- */

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    if (!doc)
        fail_msg("test document: %s: %s", text, je.text);
    return doc;
}

static input_context context(void)
{
    static json_t *themes, *areas;
    if (!themes) {
        themes = parse("[\"Trafikk\", \"Grøntområder\", \"Annet\"]");
        areas = parse("[\"Moss sentrum\", \"Kambo\"]");
    }
    return (input_context){.themes = themes, .areas = areas};
}

/* Checks input (JSON text) and expects exactly one error, on field, whose msgid contains
 * want (or no error when field is NULL). */
static void expect(const char *text, const char *field, const char *want)
{
    json_t *in = parse(text), *errors = json_array();
    input_context ctx = context();
    input_normalize(in);
    size_t n = input_check(in, &ctx, errors);
    char *listed = json_dumps(errors, JSON_COMPACT);
    if (!field) {
        if (n != 0)
            fail_msg("%s: expected no error, got %s", text, listed);
    } else {
        json_t *e = json_array_get(errors, 0);
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        if (n != 1 || !f || strcmp(f, field) != 0 || !m || !strstr(m, want))
            fail_msg("%s: expected one error on %s with «%s», got %s", text, field, want, listed);
    }
    free(listed);
    json_decref(in);
    json_decref(errors);
}

static json_t *text_of_chars(const char *ch, size_t n)
{
    size_t len = strlen(ch);
    char *s = malloc(n * len + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, ch, len);
    s[n * len] = '\0';
    json_t *v = json_string(s);
    free(s);
    return v;
}

static void expect_obj(json_t *in, const char *field, const char *want)
{
    char *text = json_dumps(in, JSON_COMPACT);
    expect(text, field, want);
    free(text);
}

static long long count(const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(DB), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(store_handle(DB), sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

/* ---- the rules of each field ------------------------------------------------------------ */

static void test_text(void **state)
{
    (void)state;
    expect("{\"text\": \"Flere benker langs sjøen.\"}", NULL, NULL);
    expect("{}", "text", "Skriv innspillet");
    expect("{\"text\": \"   \\n \"}", "text", "Skriv innspillet");
    expect("{\"text\": 12}", "text", "Må være tekst");
    expect("{\"text\": \"a\\u0007b\"}", "text", "kontrolltegn");
    expect("{\"text\": \"linje 1\\r\\nlinje 2\\tinnrykk\"}", NULL, NULL);
    /* 5 000 code points of two bytes each pass; 5 001 do not */
    json_t *in = json_object();
    json_object_set_new(in, "text", text_of_chars("ø", INPUT_TEXT_MAX));
    expect_obj(in, NULL, NULL);
    json_object_set_new(in, "text", text_of_chars("ø", INPUT_TEXT_MAX + 1));
    expect_obj(in, "text", "5 000 tegn");
    json_decref(in);
    /* invalid UTF-8 that slipped into a json_t unchecked */
    in = json_object();
    json_object_set_new(in, "text", json_stringn_nocheck("ab\xc3\x28", 4));
    json_t *errors = json_array();
    input_context ctx = context();
    assert_int_equal(input_check(in, &ctx, errors), 1);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(errors, 0), "message")),
                           "UTF-8"));
    json_decref(errors);
    json_object_set_new(in, "text", json_string("ok"));
    json_object_set_new(in, "place_text", json_stringn_nocheck("\xff", 1));
    errors = json_array();
    assert_int_equal(input_check(in, &ctx, errors), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "field")),
                        "place_text");
    json_decref(errors);
    json_decref(in);
}

static void test_themes_and_unknown_fields(void **state)
{
    (void)state;
    expect("{\"text\": \"x\", \"themes\": [\"Trafikk\", \"Annet\"]}", NULL, NULL);
    expect("{\"text\": \"x\", \"themes\": \"Trafikk\"}", NULL, NULL); /* one as a string */
    expect("{\"text\": \"x\", \"themes\": [\"Skole\"]}", "themes", "finnes ikke");
    expect("{\"text\": \"x\", \"themes\": [\"Trafikk\", \"Trafikk\"]}", "themes", "to ganger");
    expect("{\"text\": \"x\", \"themes\": {\"a\": 1}}", "themes", "fra listen");
    expect("{\"text\": \"x\", \"admin\": true}", "admin", "finnes ikke");
}

static void test_place(void **state)
{
    (void)state;
    expect("{\"text\": \"x\", \"place_area\": \"Kambo\"}", NULL, NULL);
    expect("{\"text\": \"x\", \"place_area\": \"Oslo\"}", "place_area", "område");
    json_t *in = parse("{\"text\": \"x\"}");
    json_object_set_new(in, "place_text", text_of_chars("å", INPUT_PLACE_TEXT_MAX));
    expect_obj(in, NULL, NULL);
    json_object_set_new(in, "place_text", text_of_chars("å", INPUT_PLACE_TEXT_MAX + 1));
    expect_obj(in, "place_text", "300 tegn");
    json_decref(in);
    expect("{\"text\": \"x\", \"place_text\": \"ved\\nkaia\"}", "place_text", "linjeskift");
    expect("{\"text\": \"x\", \"lat\": 59.4341, \"lon\": 10.659}", NULL, NULL);
    expect("{\"text\": \"x\", \"lat\": \"59,4341\", \"lon\": \" 10.659 \"}", NULL, NULL);
    expect("{\"text\": \"x\", \"lat\": \"\", \"lon\": \"\"}", NULL, NULL); /* no point */
    expect("{\"text\": \"x\", \"lat\": 59.4}", "place", "både");
    expect("{\"text\": \"x\", \"lat\": \"nord\", \"lon\": 10.6}", "place", "både");
    expect("{\"text\": \"x\", \"lat\": 48.85, \"lon\": 2.35}", "place", "ikke i Norge");
    expect("{\"text\": \"x\", \"lat\": 78.22, \"lon\": 15.65}", NULL, NULL); /* Longyearbyen */
    assert_false(input_point_plausible(0.0 / 0.0, 10));
}

static void test_contact(void **state)
{
    (void)state;
    expect("{\"text\": \"x\", \"email\": \"ola@example.no\", \"consent\": true}", NULL, NULL);
    expect("{\"text\": \"x\", \"email\": \"ola@example.no\", \"consent\": \"ja\"}", NULL, NULL);
    expect("{\"text\": \"x\", \"email\": \"ola@example.no\"}", "consent", "Kryss av");
    expect("{\"text\": \"x\", \"phone\": \"+47 912 34 567\"}", "consent", "Kryss av");
    expect("{\"text\": \"x\", \"email\": \"ola@example.no\", \"consent\": false}", "consent",
           "Kryss av");
    expect("{\"text\": \"x\", \"consent\": true}", NULL, NULL); /* consent without contact */
    static const char *const bad_emails[] = {"ola", "ola@", "@example.no", "ola@example",
                                             "ola@@example.no", "ola @example.no",
                                             "ola@example..no", "ola@-example.no",
                                             "ola.@example.no", "ola@example.n"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad_emails); i++)
        assert_false(input_email_valid(bad_emails[i]));
    expect("{\"text\": \"x\", \"email\": \"ola@example\", \"consent\": true}", "email",
           "navn@eksempel.no");
    assert_true(input_email_valid("kari.nordmann+moss@post.moss.kommune.no"));
    char longmail[300];
    memset(longmail, 'a', 250);
    memcpy(longmail + 250, "@x.no", 6);
    assert_false(input_email_valid(longmail));
    json_t *in = parse("{\"text\": \"x\", \"consent\": true}");
    json_object_set_new(in, "email", json_string(longmail));
    expect_obj(in, "email", "for lang");
    json_decref(in);
    assert_true(input_phone_valid("91234567"));
    assert_true(input_phone_valid("+47 912 34 567"));
    assert_false(input_phone_valid("1234567"));           /* 7 digits */
    assert_false(input_phone_valid("1234567890123456"));  /* 16 digits */
    assert_false(input_phone_valid("912-34-567"));
    assert_false(input_phone_valid("47+91234567"));
    expect("{\"text\": \"x\", \"phone\": \"ring meg\", \"consent\": true}", "phone", "8 til 15");
    /* staff registering a letter: the address came with the letter */
    json_t *letter = parse("{\"text\": \"x\", \"email\": \"ola@example.no\", \"name\": \"Ola\"}");
    json_t *errors = json_array();
    input_context ctx = context();
    ctx.staff = true;
    assert_int_equal(input_check(letter, &ctx, errors), 0);
    json_decref(letter);
    json_decref(errors);
}

static void test_background_and_sender(void **state)
{
    (void)state;
    expect("{\"text\": \"x\", \"age_group\": \"67–79\", \"home_area\": \"Kambo\"}", NULL, NULL);
    expect("{\"text\": \"x\", \"age_group\": \"gammel\"}", "age_group", "aldersgruppe");
    expect("{\"text\": \"x\", \"home_area\": \"Bergen\"}", "home_area", "område");
    expect("{\"text\": \"x\", \"sender_type\": \"råd/utvalg\", \"on_behalf_of\": \"Eldrerådet\"}",
           NULL, NULL);
    expect("{\"text\": \"x\", \"sender_type\": \"konge\"}", "sender_type", "Velg hvem");
    expect("{\"text\": \"x\", \"channel\": \"sms\"}", NULL, NULL);
    /* A letter is registered by staff; a sender cannot claim to have written one. */
    expect("{\"text\": \"x\", \"channel\": \"brev\"}", "channel", "kanal");
    expect("{\"text\": \"x\", \"channel\": \"brevdue\"}", "channel", "kanal");
    json_t *in = parse("{\"text\": \"x\"}");
    json_object_set_new(in, "on_behalf_of", text_of_chars("æ", INPUT_ON_BEHALF_MAX + 1));
    expect_obj(in, "on_behalf_of", "200 tegn");
    json_decref(in);
}

/* ---- the store -------------------------------------------------------------------------- */

static long long inputs_count(void)
{
    return count("SELECT count(*) FROM input");
}

static long long contacts_count(void)
{
    return count("SELECT count(*) FROM contact");
}

/* Inserts in (JSON text) as the public; expects rc, and that nothing was stored unless 0. */
static void insert_public(const char *process, const char *text, int want_rc,
                          const char *error_field, char code[RECEIPT_CODE_CHARS + 1])
{
    long long before = inputs_count(), contacts = contacts_count();
    json_t *in = parse(text), *errors = json_array();
    input_meta m = {.process_id = process};
    char scratch[RECEIPT_CODE_CHARS + 1];
    int rc = store_input_insert(DB, &m, NOW, in, errors, code ? code : scratch, NULL);
    char *listed = json_dumps(errors, JSON_COMPACT);
    if (rc != want_rc)
        fail_msg("%s into %s: rc %d, expected %d (%s)", text, process, rc, want_rc, listed);
    if (error_field && !strstr(listed, error_field))
        fail_msg("%s: no error on %s: %s", text, error_field, listed);
    free(listed);
    if (want_rc != 0) {
        assert_int_equal(inputs_count(), before);
        assert_int_equal(contacts_count(), contacts);
    } else {
        assert_int_equal(inputs_count(), before + 1);
    }
    json_decref(in);
    json_decref(errors);
}

static void test_insert_and_receipt(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    insert_public("apen",
                  "{\"text\": \"Benker ved kaia, takk.\", \"themes\": [\"Annet\"],"
                  " \"place_area\": \"Kambo\", \"lat\": \"59,44\", \"lon\": 10.66,"
                  " \"email\": \"ola@example.no\", \"phone\": \"91234567\", \"consent\": \"on\","
                  " \"age_group\": \"80 eller eldre\", \"home_area\": \"Kambo\"}",
                  0, NULL, code);
    assert_int_equal(strlen(code), RECEIPT_CODE_CHARS);
    assert_int_equal(count("SELECT count(*) FROM contact WHERE email = 'ola@example.no'"
                           " AND consent = 1 AND erase_after > 1800000000"), 1);
    assert_int_equal(count("SELECT count(*) FROM input WHERE channel = 'web'"
                           " AND moderation = 'ny' AND status = 'mottatt'"
                           " AND sender_type = 'privatperson' AND place_lat = 59.44"), 1);
    /* the code itself is not stored, only its hash */
    assert_int_equal(count("SELECT count(*) FROM input WHERE length(receipt_hash) = 32"), 1);

    char typed[64];
    for (size_t i = 0, o = 0; i <= strlen(code); i++)
        if (code[i] != '-')
            typed[o++] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
    json_t *rec;
    assert_int_equal(store_receipt_get(DB, typed, &rec), PV_OK);
    assert_string_equal(json_string_value(json_object_get(rec, "code")), code);
    json_t *in = json_object_get(rec, "input");
    assert_string_equal(json_string_value(json_object_get(in, "text")), "Benker ved kaia, takk.");
    assert_string_equal(json_string_value(json_object_get(in, "status")), "mottatt");
    assert_string_equal(json_string_value(json_object_get(json_object_get(rec, "process"), "id")),
                        "apen");
    char *dump = json_dumps(rec, 0);
    assert_null(strstr(dump, "ola@example.no"));
    assert_null(strstr(dump, "91234567"));
    assert_null(strstr(dump, "80 eller eldre")); /* background answers stay anonymous */
    free(dump);
    json_decref(rec);

    assert_int_equal(store_receipt_get(DB, "0000-0000-0000-0000-0000", &rec), PV_ENOTFOUND);
    assert_int_equal(store_receipt_get(DB, "not a code", &rec), PV_ENOTFOUND);
    assert_int_equal(store_receipt_get(DB, "", &rec), PV_ENOTFOUND);
}

static void test_insert_refused(void **state)
{
    (void)state;
    insert_public("apen", "{\"text\": \"\"}", PV_EINVAL, "\"text\"", NULL);
    insert_public("apen", "{\"text\": \"x\", \"themes\": [\"Skole\"]}", PV_EINVAL, "themes", NULL);
    insert_public("apen", "{\"text\": \"x\", \"email\": \"ola@example.no\"}", PV_EINVAL,
                  "consent", NULL);
    insert_public("apen", "{\"text\": \"x\", \"email\": \"nei\", \"consent\": true}", PV_EINVAL,
                  "email", NULL);
    insert_public("lukket", "{\"text\": \"For sent?\"}", PV_ECONFLICT, "Fristen", NULL);
    insert_public("planlagt", "{\"text\": \"For tidlig?\"}", PV_ECONFLICT, "ikke åpnet", NULL);
    insert_public("senere", "{\"text\": \"For tidlig?\"}", PV_ECONFLICT, "ikke åpnet", NULL);
    insert_public("finnes-ikke", "{\"text\": \"Hei\"}", PV_ENOTFOUND, NULL, NULL);
}

static void test_staff_registration(void **state)
{
    (void)state;
    actor who = {7, "radgiver@moss.kommune.no", "127.0.0.1"};
    input_meta m = {.process_id = "lukket", .received_at = NOW - 86400 * 3, .who = &who,
                    .batch = "verksted-1"};
    json_t *in = parse("{\"text\": \"Brev fra eldrerådet.\", \"channel\": \"brev\","
                       " \"sender_type\": \"råd/utvalg\", \"on_behalf_of\": \"Eldrerådet\","
                       " \"name\": \"Kari\", \"email\": \"kari@example.no\"}");
    json_t *errors = json_array();
    char code[RECEIPT_CODE_CHARS + 1];
    int64_t id = 0;
    long long events = count("SELECT count(*) FROM audit_event");
    /* a letter may be registered after the deadline, and without a consent box */
    assert_int_equal(store_input_insert(DB, &m, NOW, in, errors, code, &id), PV_OK);
    assert_true(id > 0);
    assert_int_equal(count("SELECT count(*) FROM input WHERE channel = 'brev' AND batch ="
                           " 'verksted-1' AND registered_by = 7 AND received_at = 1799740800"),
                     1);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'input.create'"
                           " AND object_type = 'input' AND actor = 'radgiver@moss.kommune.no'"
                           " AND changes NOT LIKE '%kari@%'"),
                     1);
    assert_int_equal(count("SELECT count(*) FROM audit_event"), events + 1);
    json_decref(in);
    json_decref(errors);
}

static void test_published(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    insert_public("apen", "{\"text\": \"Ikke moderert ennå\"}", 0, NULL, code);
    insert_public("apen", "{\"text\": \"Moderert\", \"email\": \"a@b.no\", \"consent\": true}", 0,
                  NULL, code);
    exec("UPDATE input SET moderation = 'publisert' WHERE text = 'Moderert'");
    json_t *list;
    assert_int_equal(store_inputs_published(DB, "apen", 100, &list), PV_OK);
    assert_int_equal(json_array_size(list), 1);
    char *dump = json_dumps(list, 0);
    assert_non_null(strstr(dump, "Moderert"));
    assert_null(strstr(dump, "a@b.no"));
    free(dump);
    json_decref(list);
    /* a process that publishes at once shows everything but the rejected */
    exec("UPDATE process SET publish_at_once = 1 WHERE id = 'apen'");
    exec("UPDATE input SET moderation = 'avvist' WHERE text = 'Benker ved kaia, takk.'");
    long long shown = count("SELECT count(*) FROM input WHERE process_id = 'apen'"
                            " AND moderation <> 'avvist'");
    assert_int_equal(store_inputs_published(DB, "apen", 1000, &list), PV_OK);
    assert_int_equal(json_array_size(list), shown);
    json_decref(list);
    exec("UPDATE process SET publish_at_once = 0 WHERE id = 'apen'");
}

static void test_rate_limit(void **state)
{
    (void)state;
    for (int i = 0; i < RATE_LIMIT_COUNT; i++)
        assert_int_equal(store_rate_allow(DB, "203.0.113.9", NOW + i), 1);
    assert_int_equal(store_rate_allow(DB, "203.0.113.9", NOW + 20), 0);
    assert_int_equal(store_rate_allow(DB, "203.0.113.10", NOW + 20), 1); /* another address */
    assert_int_equal(store_rate_allow(DB, "203.0.113.9", NOW + RATE_LIMIT_WINDOW + 1), 1);
    /* addresses are not stored, only their hashes */
    assert_int_equal(count("SELECT count(*) FROM rate_limit WHERE key LIKE '203.%'"), 0);
    assert_int_equal(count("SELECT count(*) FROM rate_limit WHERE length(key) = 64"), 2);
    /* old windows are pruned */
    assert_int_equal(store_rate_allow(DB, "198.51.100.1", NOW + 10 * RATE_LIMIT_WINDOW), 1);
    assert_int_equal(count("SELECT count(*) FROM rate_limit"), 1);
}

/* A count that cannot be written refuses (it once let every request through), and the
 * store says the database could not be written, so the page answers 503, not 500. */
static void test_rate_limit_fails_closed(void **state)
{
    (void)state;
    store_clear_write_failed(DB);
    exec("PRAGMA query_only = 1");
    assert_int_equal(store_rate_allow(DB, "203.0.113.77", NOW), PV_EDB);
    assert_true(store_write_failed(DB));
    exec("PRAGMA query_only = 0");
    store_clear_write_failed(DB);
    assert_int_equal(store_rate_allow(DB, "203.0.113.77", NOW), 1);
    assert_false(store_write_failed(DB));
}

/* ---- fixture ---------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-inputs-XXXXXX", "t.db", NULL, 0);
    if (!DB)
        return -1;
    return fixture_db_exec(
        DB,
        "INSERT INTO user (id, email, name, password_hash, created_at)"
        "  VALUES (7, 'radgiver@moss.kommune.no', 'Rådgiver', 'x', 1);"
        "INSERT INTO process (id, title, status, themes, areas, opens_at, deadline, created_at,"
        " position) VALUES"
        " ('apen', 'Åpen', 'åpen', '[\"Trafikk\", \"Grøntområder\", \"Annet\"]',"
        "  '[\"Moss sentrum\", \"Kambo\"]', 1790000000, 1810000000, 1, 1),"
        " ('lukket', 'Lukket', 'åpen', '[]', '[]', NULL, 1799999999, 1, 2),"
        " ('planlagt', 'Planlagt', 'planlagt', '[]', '[]', NULL, NULL, 1, 3),"
        " ('senere', 'Senere', 'åpen', '[]', '[]', 1800000001, NULL, 1, 4);");
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
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_themes_and_unknown_fields),
        cmocka_unit_test(test_place),
        cmocka_unit_test(test_contact),
        cmocka_unit_test(test_background_and_sender),
        cmocka_unit_test(test_insert_and_receipt),
        cmocka_unit_test(test_insert_refused),
        cmocka_unit_test(test_staff_registration),
        cmocka_unit_test(test_published),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_rate_limit_fails_closed),
    };
    return cmocka_run_group_tests_name("inputs", tests, group_setup, group_teardown) ? 1 : 0;
}
