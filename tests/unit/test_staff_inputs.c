/* Unit tests for the staff's work with inputs: splitting a meeting's notes into inputs
 * (pages/staff_inputs.c), the batch insert (one transaction, one batch id, the rules of
 * domain/input.h, nothing stored on any error), moderation with its audit event, and the
 * staff list with its filters and contact data.
 * Layer: tests (store, pages). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "domain/input.h"
#include "pages/staff_inputs.h"
#include "store/inputs.h"
#include "store/inputs_staff.h"
#include "fixture_db.h"

#define NOW 1800000000
#define RECEIVED 1799000000

static char DIR_[64];
static store *DB;
static const actor WHO = {7, "radgiver@moss.kommune.no", "127.0.0.1"};

/* ---- helpers -------------------------------------------------------------------------- */

static int64_t count(const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(DB), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t inputs_and_events(void)
{
    return count("SELECT (SELECT count(*) FROM input) * 100000 + (SELECT count(*) FROM audit_event)"
                 " + (SELECT count(*) FROM contact) * 1000");
}

static json_t *split(const char *text)
{
    json_t *out = NULL;
    assert_int_equal(staff_inputs_split_notes(text, &out), PV_OK);
    return out;
}

static void assert_notes(const char *text, size_t n, const char *const *expected)
{
    json_t *notes = split(text);
    assert_int_equal(json_array_size(notes), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(notes, i)), expected[i]);
    json_decref(notes);
}

/* A workshop note as the page builds it. */
static json_t *note(const char *text)
{
    return json_pack("{s:s, s:s, s:[s]}", "text", text, "channel", "workshop", "themes",
                     "Trafikk");
}

/* ---- splitting notes ------------------------------------------------------------------ */

static void test_split(void **state)
{
    (void)state;
    static const char *const three[] = {"Første.", "Andre linje én\nlinje to.", "Tredje."};
    assert_notes("Første.\n\nAndre linje én\nlinje to.\n\nTredje.", 3, three);
    /* Blank lines around, doubled, of spaces and tabs; CRLF; blanks around a paragraph. */
    assert_notes("\r\n\r\n  Første.  \r\n\r\n\r\n\tAndre linje én\r\nlinje to.\r\n   \r\n\t\r\n"
                 "Tredje.\r\n\r\n",
                 3, three);
    static const char *const one[] = {"Bare ett avsnitt\nover to linjer."};
    assert_notes("Bare ett avsnitt\nover to linjer.", 1, one);
    /* Empty paragraphs are dropped: nothing, only blank lines, only blanks. */
    assert_notes("", 0, NULL);
    assert_notes("\n\n\n", 0, NULL);
    assert_notes("   \n\t\n \r\n", 0, NULL);
    /* A blank inside a line does not split. */
    static const char *const spaced[] = {"a  b", "c"};
    assert_notes("a  b\n \nc", 2, spaced);
}

static void test_split_limits(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    for (int i = 0; i < STAFF_BATCH_MAX; i++)
        buf_printf(&b, "Notat %d.\n\n", i + 1);
    json_t *notes = split(buf_cstr(&b));
    assert_int_equal(json_array_size(notes), STAFF_BATCH_MAX);
    assert_string_equal(json_string_value(json_array_get(notes, 99)), "Notat 100.");
    json_decref(notes);
    buf_puts(&b, "Ett for mye.");
    json_t *out = NULL;
    assert_int_equal(staff_inputs_split_notes(buf_cstr(&b), &out), PV_ELIMIT);
    assert_null(out);
    buf_finish(&b);
}

/* ---- the batch ------------------------------------------------------------------------ */

static void test_batch_saved(void **state)
{
    (void)state;
    int64_t inputs = count("SELECT count(*) FROM input");
    int64_t events = count("SELECT count(*) FROM audit_event WHERE action = 'input.create'");
    json_t *list = json_pack("[o, o, o]", note("Første."), note("Andre."), note("Tredje.  \n"));
    json_t *errors = json_array();
    char batch[STAFF_BATCH_ID_CHARS + 1] = "";
    assert_int_equal(store_inputs_register_batch(DB, &WHO, "apen", RECEIVED, NOW, list, errors,
                                                 batch),
                     PV_OK);
    assert_int_equal(json_array_size(errors), 0);
    assert_int_equal(strlen(batch), STAFF_BATCH_ID_CHARS);
    assert_int_equal(strncmp(batch, "b-", 2), 0);
    assert_int_equal(count("SELECT count(*) FROM input") - inputs, 3);
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM input WHERE batch = '%s' AND process_id = 'apen'"
             " AND channel = 'workshop' AND received_at = %d AND registered_by = 7"
             " AND moderation = 'ny' AND status = 'mottatt' AND receipt_hash IS NULL"
             " AND themes = '[\"Trafikk\"]'",
             batch, RECEIVED);
    assert_int_equal(count(sql), 3);
    /* Tidied on the way (input_normalize): the blanks after the third are gone. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM input WHERE batch = '%s' AND text = 'Tredje.'",
             batch);
    assert_int_equal(count(sql), 1);
    /* One input.create per input, naming the batch, by the staff member. */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_event WHERE action = 'input.create' AND user_id = 7"
             " AND changes LIKE '%%%s%%'",
             batch);
    assert_int_equal(count(sql), 3);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'input.create'") - events,
                     3);
    json_decref(errors);

    /* A second batch gets another id. */
    char second[STAFF_BATCH_ID_CHARS + 1] = "";
    json_t *one = json_pack("[o]", note("Fjerde."));
    errors = json_array();
    assert_int_equal(store_inputs_register_batch(DB, &WHO, "apen", RECEIVED, NOW, one, errors,
                                                 second),
                     PV_OK);
    assert_string_not_equal(batch, second);
    /* A closed process takes a batch too: staff register late letters and notes. */
    assert_int_equal(store_inputs_register_batch(DB, &WHO, "lukket", RECEIVED, NOW, one, errors,
                                                 second),
                     PV_OK);
    json_decref(one);
    json_decref(errors);
    json_decref(list);
}

/* Registers list and asserts it is refused with rc, changing nothing. */
static json_t *refused(json_t *list, const char *process, int rc)
{
    int64_t before = inputs_and_events();
    json_t *errors = json_array();
    char batch[STAFF_BATCH_ID_CHARS + 1] = "unchanged";
    assert_int_equal(store_inputs_register_batch(DB, &WHO, process, RECEIVED, NOW, list, errors,
                                                 batch),
                     rc);
    assert_int_equal(inputs_and_events(), before);
    assert_string_equal(batch, "unchanged");
    json_decref(list);
    return errors;
}

/* The first error of errors, which must be about note n. */
static void assert_note_error(json_t *errors, const char *n)
{
    assert_true(json_array_size(errors) >= 1);
    json_t *e = json_array_get(errors, 0);
    assert_string_equal(json_string_value(json_object_get(e, "field")), "notes");
    assert_string_equal(json_string_value(json_object_get(e, "detail")), n);
    assert_non_null(json_string_value(json_object_get(e, "message")));
    json_decref(errors);
}

static void test_batch_refused(void **state)
{
    (void)state;
    /* One note too long among good ones: nothing of the batch is stored. */
    char *long_text = malloc(INPUT_TEXT_MAX + 2);
    memset(long_text, 'x', INPUT_TEXT_MAX + 1);
    long_text[INPUT_TEXT_MAX + 1] = '\0';
    assert_note_error(refused(json_pack("[o, o, o]", note("God."), note(long_text), note("God.")),
                              "apen", PV_EINVAL),
                      "2");
    /* Exactly INPUT_TEXT_MAX is fine (checked in the next test's count). */
    long_text[INPUT_TEXT_MAX] = '\0';
    json_t *errors = json_array();
    char batch[STAFF_BATCH_ID_CHARS + 1];
    json_t *ok = json_pack("[o]", note(long_text));
    assert_int_equal(store_inputs_register_batch(DB, &WHO, "apen", RECEIVED, NOW, ok, errors,
                                                 batch),
                     PV_OK);
    json_decref(ok);
    json_decref(errors);
    free(long_text);

    /* An empty note, an unknown theme, invalid UTF-8, contact data, an unknown field. */
    assert_note_error(refused(json_pack("[o, o]", note("God."), note("   ")), "apen", PV_EINVAL),
                      "2");
    json_t *bad_theme = note("Tekst.");
    json_object_set_new(bad_theme, "themes", json_pack("[s]", "Finnes ikke"));
    assert_note_error(refused(json_pack("[o]", bad_theme), "apen", PV_EINVAL), "1");
    json_t *bad_utf8 = note("x");
    json_object_set_new(bad_utf8, "text", json_stringn_nocheck("a\xff" "b", 3));
    assert_note_error(refused(json_pack("[o, o]", note("God."), bad_utf8), "apen", PV_EINVAL),
                      "2");
    json_t *contact = note("Tekst.");
    json_object_set_new(contact, "email", json_string("kari@example.no"));
    assert_note_error(refused(json_pack("[o]", contact), "apen", PV_EINVAL), "1");
    json_t *unknown = note("Tekst.");
    json_object_set_new(unknown, "farge", json_string("blå"));
    assert_note_error(refused(json_pack("[o]", unknown), "apen", PV_EINVAL), "1");
    json_t *web = note("Tekst.");
    json_object_set_new(web, "channel", json_string("brevdue"));
    assert_note_error(refused(json_pack("[o]", web), "apen", PV_EINVAL), "1");
    /* Not an object. */
    json_decref(refused(json_pack("[s]", "tekst"), "apen", PV_EINVAL));

    /* None, too many, no process. */
    json_decref(refused(json_array(), "apen", PV_ELIMIT));
    json_t *many = json_array();
    for (int i = 0; i <= STAFF_BATCH_MAX; i++)
        json_array_append_new(many, note("Kort."));
    json_decref(refused(many, "apen", PV_ELIMIT));
    json_decref(refused(json_pack("[o]", note("Tekst.")), "finnes-ikke", PV_ENOTFOUND));
    json_decref(refused(json_pack("[o]", note("Tekst.")), NULL, PV_ENOTFOUND));
}

/* ---- moderation and the list ------------------------------------------------------------ */

static int64_t letter_id;

static void register_letter(void)
{
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "text", "Et brev om trafikken.",
                           "channel", "brev", "sender_type", "organisasjon", "on_behalf_of",
                           "Velforeningen", "name", "Kari Nordmann", "email", "kari@example.no");
    json_t *errors = json_array();
    char code[RECEIPT_CODE_CHARS + 1];
    input_meta meta = {"apen", RECEIVED, &WHO, NULL};
    assert_int_equal(store_input_insert(DB, &meta, NOW, in, errors, code, &letter_id), PV_OK);
    json_decref(in);
    json_decref(errors);
}

static int64_t moderation_events(void)
{
    return count("SELECT count(*) FROM audit_event WHERE action = 'input.moderate'");
}

static bool is_published(int64_t id)
{
    json_t *list;
    assert_int_equal(store_inputs_published(DB, "apen", 1000, &list), PV_OK);
    bool found = false;
    size_t i;
    json_t *in;
    json_array_foreach(list, i, in)
        found |= json_integer_value(json_object_get(in, "id")) == id;
    json_decref(list);
    return found;
}

static void test_moderation(void **state)
{
    (void)state;
    register_letter();
    assert_false(is_published(letter_id));
    int64_t events = moderation_events();
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", letter_id, "publisert"), PV_OK);
    assert_true(is_published(letter_id));
    assert_int_equal(moderation_events(), events + 1);
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_event WHERE action = 'input.moderate' AND object_type ="
             " 'input' AND object_id = '%lld' AND user_id = 7 AND json_extract(changes,"
             " '$.moderation') = json('[\"ny\",\"publisert\"]')",
             (long long)letter_id);
    assert_int_equal(count(sql), 1);
    /* The same state again: nothing changes, no event. */
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", letter_id, "publisert"), PV_OK);
    assert_int_equal(moderation_events(), events + 1);
    /* Refused: an unknown state, another process's input, no such input. */
    int64_t before = inputs_and_events();
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", letter_id, "slettet"), PV_EINVAL);
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", letter_id, NULL), PV_EINVAL);
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "lukket", letter_id, "avvist"),
                     PV_ENOTFOUND);
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", 999999, "avvist"),
                     PV_ENOTFOUND);
    assert_int_equal(inputs_and_events(), before);
    assert_true(is_published(letter_id));
    /* Rejected: gone from the public list; and back. */
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", letter_id, "avvist"), PV_OK);
    assert_false(is_published(letter_id));
    assert_int_equal(store_input_moderate(DB, &WHO, NOW, "apen", letter_id, "ny"), PV_OK);
    assert_int_equal(moderation_events(), events + 3);
}

static void test_list_and_counts(void **state)
{
    (void)state;
    json_t *all, *counts;
    assert_int_equal(store_inputs_staff_list(DB, "apen", NULL, &all), PV_OK);
    assert_int_equal(store_inputs_staff_counts(DB, "apen", &counts), PV_OK);
    assert_int_equal(json_integer_value(json_object_get(counts, "total")),
                     (json_int_t)json_array_size(all));
    assert_int_equal(json_integer_value(json_object_get(counts, "total")),
                     count("SELECT count(*) FROM input WHERE process_id = 'apen'"));
    assert_int_equal(json_integer_value(json_object_get(counts, "ny")),
                     count("SELECT count(*) FROM input WHERE process_id = 'apen' AND moderation = 'ny'"));
    json_decref(counts);
    /* The letter carries its contact data (staff only) and who registered it. */
    json_t *letter = NULL;
    size_t i;
    json_t *in;
    json_array_foreach(all, i, in)
        if (json_integer_value(json_object_get(in, "id")) == letter_id)
            letter = in;
    assert_non_null(letter);
    json_t *contact = json_object_get(letter, "contact");
    assert_string_equal(json_string_value(json_object_get(contact, "email")), "kari@example.no");
    assert_string_equal(json_string_value(json_object_get(contact, "name")), "Kari Nordmann");
    assert_true(json_is_null(json_object_get(contact, "phone")));
    assert_string_equal(json_string_value(json_object_get(letter, "registered_by")), "Rådgiver");
    assert_string_equal(json_string_value(json_object_get(letter, "on_behalf_of")), "Velforeningen");
    assert_true(json_is_null(json_object_get(letter, "batch")));
    /* The workshop notes have no contact. */
    json_t *first = json_array_get(all, json_array_size(all) - 1);
    assert_true(json_is_null(json_object_get(first, "contact")));
    json_decref(all);

    /* Filters. */
    staff_input_filter letters = {"brev", NULL}, workshop_new = {"workshop", "ny"},
                       published = {NULL, "publisert"};
    json_t *list;
    assert_int_equal(store_inputs_staff_list(DB, "apen", &letters, &list), PV_OK);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(store_inputs_staff_list(DB, "apen", &workshop_new, &list), PV_OK);
    assert_int_equal(json_array_size(list),
                     count("SELECT count(*) FROM input WHERE process_id = 'apen'"
                           " AND channel = 'workshop'"));
    json_decref(list);
    assert_int_equal(store_inputs_staff_list(DB, "apen", &published, &list), PV_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    assert_int_equal(store_inputs_staff_list(DB, "finnes-ikke", NULL, &list), PV_OK);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
}

/* ---- fixture -------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-staff-inputs-XXXXXX", "t.db", NULL, 0);
    if (!DB)
        return -1;
    return fixture_db_exec(
        DB,
        "INSERT INTO user (id, email, name, password_hash, created_at)"
        "  VALUES (7, 'radgiver@moss.kommune.no', 'Rådgiver', 'x', 1);"
        "INSERT INTO process (id, title, status, themes, areas, opens_at, deadline, created_at,"
        " position) VALUES"
        " ('apen', 'Åpen', 'åpen', '[\"Trafikk\", \"Annet\"]', '[\"Kambo\"]', 1790000000,"
        "  1810000000, 1, 1),"
        " ('lukket', 'Lukket', 'avsluttet', '[\"Trafikk\"]', '[]', NULL, 1700000000, 1, 2);");
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
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_limits),
        cmocka_unit_test(test_batch_saved),
        cmocka_unit_test(test_batch_refused),
        cmocka_unit_test(test_moderation),
        cmocka_unit_test(test_list_and_counts),
    };
    return cmocka_run_group_tests_name("staff_inputs", tests, group_setup, group_teardown) ? 1
                                                                                            : 0;
}
