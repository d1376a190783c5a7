/* Unit tests for feedback to senders: refused before the input is assessed; saved with the
 * input's status, the e-mail (only with an address and consent) and the audit event in one
 * transaction; the receipt shows the newest; templates by outcome and language with the
 * bokmål fallback; feedback to many in one transaction; rendering the placeholders without HTML escaping; editing templates.
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
#include "pages/feedback.h"
#include "store/feedback.h"
#include "store/inputs.h"
#include "store/outbox.h"
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

static void exec(const char *sql)
{
    assert_int_equal(fixture_db_exec(DB, sql), 0);
}

static const char *s(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A public input with the sender's e-mail and consent as given; its id, code in code. */
static int64_t submit(const char *text, const char *lang, const char *email, bool consent,
                      char code[RECEIPT_CODE_CHARS + 1])
{
    json_t *in = json_pack("{s:s, s:s}", "text", text, "language", lang);
    if (email) {
        json_object_set_new(in, "email", json_string(email));
        json_object_set_new(in, "consent", json_boolean(consent));
    }
    json_t *errors = json_array();
    input_meta meta = {.process_id = "apen", .who = consent || !email ? NULL : &WHO};
    int64_t id = 0;
    int rc = store_input_insert(DB, &meta, NOW - 1000, in, errors, code, &id);
    if (rc != 0)
        fprintf(stderr, "%s\n", json_dumps(errors, 0));
    assert_int_equal(rc, PV_OK);
    json_decref(in);
    json_decref(errors);
    return id;
}

/* Assesses input id with SQL (the schema of migration 0004). */
static void assess(int64_t id, const char *outcome, const char *why)
{
    char sql[600];
    snprintf(sql, sizeof sql,
             "INSERT INTO assessment (process_id, outcome, justification, assessed_by,"
             " assessed_at) VALUES ('apen', '%s', %s%s%s, 7, %d);"
             "INSERT INTO assessment_input VALUES (last_insert_rowid(), %lld);"
             "UPDATE input SET assessment_id = (SELECT max(id) FROM assessment),"
             " status = 'vurdert' WHERE id = %lld;",
             outcome, why ? "'" : "", why ? why : "NULL", why ? "'" : "", NOW - 500,
             (long long)id, (long long)id);
    exec(sql);
}

static int create(int64_t id, const char *process, const char *body, int64_t *fid,
                  int64_t *oid)
{
    feedback_new f = {process, id, "nb", body, "Svar på innspillet ditt"};
    return store_feedback_create(DB, &WHO, &f, NOW, fid, oid);
}

/* ---- saving ---------------------------------------------------------------------------- */

static void test_refused_before_assessment(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    int64_t id = submit("Flere benker langs kyststien.", "nb", "ola@example.no", true, code);
    int64_t before = count("SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM outbox)"
                           " + (SELECT count(*) FROM audit_event)");
    int64_t fid = 0, oid = 0;
    assert_int_equal(create(id, "apen", "Takk!", &fid, &oid), PV_ECONFLICT);
    assert_int_equal(count("SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM outbox)"
                           " + (SELECT count(*) FROM audit_event)"), before);
    json_t *ctx = NULL;
    assert_int_equal(store_feedback_context(DB, "apen", id, &ctx), PV_OK);
    assert_true(json_is_null(json_object_get(ctx, "assessment")));
    assert_string_equal(s(json_object_get(ctx, "contact"), "email"), "ola@example.no");
    json_decref(ctx);
    /* Another process's input, or none: not found. */
    assess(id, "tatt til følge", NULL);
    assert_int_equal(create(id, "annen", "Takk!", &fid, &oid), PV_ENOTFOUND);
    assert_int_equal(create(99999, "apen", "Takk!", &fid, &oid), PV_ENOTFOUND);
    /* An empty body or a subject with a line break is refused. */
    assert_int_equal(create(id, "apen", " \n ", &fid, &oid), PV_EINVAL);
    feedback_new f = {"apen", id, "nb", "Takk", "Svar\r\nBcc: x@y.no"};
    assert_int_equal(store_feedback_create(DB, &WHO, &f, NOW, &fid, &oid), PV_EINVAL);
}

static void test_saved_with_email(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    int64_t id = submit("Gatelys på Kambo stasjon.", "nb", "kari@example.no", true, code);
    assess(id, "delvis tatt til følge", "Vi setter opp lys på perrongen.");
    json_t *rec = NULL;
    assert_int_equal(store_receipt_get(DB, code, &rec), PV_OK);
    assert_true(json_is_null(json_object_get(rec, "feedback")));
    json_decref(rec);
    int64_t fid = 0, oid = 0;
    assert_int_equal(create(id, "apen", "Takk, Kari. Vi setter opp lys.", &fid, &oid), PV_OK);
    assert_true(fid > 0);
    assert_true(oid > 0);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM input WHERE id = %lld AND status = 'tilbakemeldt'",
             (long long)id);
    assert_int_equal(count(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE id = %lld AND feedback_id = %lld"
             " AND to_address = 'kari@example.no' AND sent_at IS NULL", (long long)oid, (long long)fid);
    assert_int_equal(count(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_event WHERE action = 'feedback.create'"
             " AND object_id = '%lld'", (long long)fid);
    assert_int_equal(count(sql), 1);
    json_t *mail = NULL;
    assert_int_equal(store_outbox_of_feedback(DB, fid, &mail), PV_OK);
    assert_string_equal(s(mail, "state"), "venter");
    json_decref(mail);
    /* The receipt shows the newest feedback, with its outcome; never the address. */
    assert_int_equal(create(id, "apen", "Rettet: lys på perrongen og i undergangen.", &fid, &oid),
                     PV_OK);
    assert_int_equal(store_receipt_get(DB, code, &rec), PV_OK);
    json_t *fb = json_object_get(rec, "feedback");
    assert_string_equal(s(fb, "text"), "Rettet: lys på perrongen og i undergangen.");
    assert_string_equal(s(fb, "outcome"), "delvis tatt til følge");
    assert_int_equal(json_integer_value(json_object_get(fb, "written_at")), NOW);
    char *dump = json_dumps(rec, 0);
    assert_null(strstr(dump, "kari@example.no"));
    free(dump);
    json_decref(rec);
}

static void test_no_email_without_consent(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    int64_t without = submit("Uten e-post.", "nb", NULL, false, code);
    assess(without, "utenfor mandat", "Gjelder fylkesveien.");
    int64_t fid = 0, oid = 99;
    assert_int_equal(create(without, "apen", "Takk for innspillet.", &fid, &oid), PV_OK);
    assert_int_equal(oid, 0);
    /* Staff registered an address without consent: no e-mail either. */
    int64_t no_consent = submit("Brev med adresse.", "nb", "per@example.no", false, code);
    assess(no_consent, "allerede ivaretatt", "Står i tiltak 4.");
    oid = 99;
    assert_int_equal(create(no_consent, "apen", "Takk for brevet.", &fid, &oid), PV_OK);
    assert_int_equal(oid, 0);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_address = 'per@example.no'"), 0);
}

/* ---- to many at once ------------------------------------------------------------------- */

static bool has_id(json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) if (json_integer_value(v) == id) return true;
    return false;
}

static void test_bulk(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    int64_t mail = submit("Bulk: svar meg på e-post.", "nn", "bulk@example.no", true, code);
    int64_t plain = submit("Bulk: uten e-post.", "en", NULL, false, code);
    int64_t open = submit("Bulk: ikke vurdert.", "nb", NULL, false, code);
    int64_t done = submit("Bulk: har fått svar.", "nb", NULL, false, code);
    assess(mail, "tatt til følge", "Vi gjør det.");
    assess(plain, "utenfor mandat", NULL);
    assess(done, "allerede ivaretatt", NULL);
    int64_t fid = 0, oid = 0;
    assert_int_equal(create(done, "apen", "Takk.", &fid, &oid), PV_OK);
    json_t *ids = NULL;
    assert_int_equal(store_feedback_pending(DB, "apen", &ids), PV_OK);
    assert_true(has_id(ids, mail) && has_id(ids, plain));
    assert_false(has_id(ids, open) || has_id(ids, done));
    json_decref(ids);

    /* One not assessed among them: nothing at all is stored, and the index says which. */
    int64_t before = count("SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM outbox)"
                           " + (SELECT count(*) FROM audit_event)");
    feedback_new bad[2] = {{"apen", plain, "en", "Thanks.", "Svar"},
                           {"apen", open, "nb", "Takk.", "Svar"}};
    size_t emails = 9, failed = 9;
    assert_int_equal(store_feedback_create_many(DB, &WHO, bad, 2, NOW, &emails, &failed),
                     PV_ECONFLICT);
    assert_int_equal(failed, 1);
    assert_int_equal(emails, 0);
    assert_int_equal(count("SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM outbox)"
                           " + (SELECT count(*) FROM audit_event)"), before);

    /* Both in one go: two feedbacks, two statuses, one e-mail (only one gave consent), two
     * audit events. */
    feedback_new fs[2] = {{"apen", mail, "nn", "Takk, vi gjer det.", "Svar"},
                          {"apen", plain, "en", "Thanks, outside our mandate.", "Answer"}};
    assert_int_equal(store_feedback_create_many(DB, &WHO, fs, 2, NOW, &emails, &failed), PV_OK);
    assert_int_equal(emails, 1);
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM input WHERE id IN (%lld, %lld)"
             " AND status = 'tilbakemeldt'", (long long)mail, (long long)plain);
    assert_int_equal(count(sql), 2);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_address = 'bulk@example.no'"), 1);
    assert_int_equal(count("SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM outbox)"
                           " + (SELECT count(*) FROM audit_event)"), before + 2 + 1 + 2);
    assert_int_equal(store_feedback_pending(DB, "apen", &ids), PV_OK);
    assert_false(has_id(ids, mail) || has_id(ids, plain));
    json_decref(ids);

    /* Sent twice (two staff pressing at once): the second is refused, nothing is sent again. */
    assert_int_equal(store_feedback_create_many(DB, &WHO, fs, 1, NOW, &emails, &failed),
                     PV_ECONFLICT);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_address = 'bulk@example.no'"), 1);

    /* A revised assessment makes it pending again. */
    assess(mail, "delvis tatt til følge", "Bare delvis.");
    assert_int_equal(store_feedback_pending(DB, "apen", &ids), PV_OK);
    assert_true(has_id(ids, mail));
    assert_false(has_id(ids, plain));
    json_decref(ids);
    assert_int_equal(store_feedback_pending(DB, "annen", &ids), PV_OK);
    assert_false(has_id(ids, mail));
    json_decref(ids);
}

/* ---- templates ------------------------------------------------------------------------- */

static void test_templates_and_fallback(void **state)
{
    (void)state;
    json_t *all = NULL;
    assert_int_equal(store_feedback_templates(DB, &all), PV_OK);
    assert_int_equal(json_array_size(all), 15); /* 5 outcomes × nb, nn, en (migration 0006) */
    assert_string_equal(s(json_array_get(all, 0), "outcome"), "tatt til følge");
    assert_string_equal(s(json_array_get(all, 0), "language"), "nb");
    json_decref(all);
    json_t *t = NULL;
    assert_int_equal(store_feedback_template_get(DB, "ikke tatt til følge", "nn", &t), PV_OK);
    assert_string_equal(s(t, "language"), "nn");
    assert_non_null(strstr(s(t, "body"), "{{begrunnelse}}"));
    json_decref(t);
    exec("DELETE FROM feedback_template WHERE outcome = 'utenfor mandat' AND language = 'en'");
    assert_int_equal(store_feedback_template_get(DB, "utenfor mandat", "en", &t), PV_OK);
    assert_string_equal(s(t, "language"), "nb"); /* the bokmål one */
    json_decref(t);
    assert_int_equal(store_feedback_template_get(DB, "utenfor mandat", "se", &t), PV_OK);
    assert_string_equal(s(t, "language"), "nb");
    json_decref(t);
    assert_int_equal(store_feedback_template_get(DB, "ukjent", "nb", &t), PV_ENOTFOUND);
    /* Editing: stored with its audit event; nonsense refused. */
    assert_int_equal(store_feedback_template_save(DB, &WHO, "utenfor mandat", "en",
                                                  "About your input", "Thanks. {{begrunnelse}}",
                                                  NOW), PV_OK);
    assert_int_equal(store_feedback_template_get(DB, "utenfor mandat", "en", &t), PV_OK);
    assert_string_equal(s(t, "body"), "Thanks. {{begrunnelse}}");
    json_decref(t);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action ="
                           " 'feedback_template.update' AND object_id = 'utenfor mandat/en'"), 1);
    assert_int_equal(store_feedback_template_save(DB, &WHO, "ukjent", "nb", "S", "B", NOW),
                     PV_EINVAL);
    assert_int_equal(store_feedback_template_save(DB, &WHO, "utenfor mandat", "de", "S", "B",
                                                  NOW), PV_EINVAL);
    assert_int_equal(store_feedback_template_save(DB, &WHO, "utenfor mandat", "nb", "", "B",
                                                  NOW), PV_EINVAL);
    assert_int_equal(store_feedback_template_save(DB, &WHO, "utenfor mandat", "nb", "S\nT",
                                                  "B", NOW), PV_EINVAL);
}

static char *render(const char *tpl, json_t *values, int expect)
{
    char *out = NULL, err[120] = "";
    assert_int_equal(feedback_render(tpl, values, &out, err, sizeof err), expect);
    if (expect != 0)
        assert_true(err[0] != '\0');
    return out;
}

static void test_render(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s}", "prosess", "Kystsoneplanen", "innspill",
                          "Stier & <benker>", "mottatt", "3.11.2026", "utfall",
                          "ikke tatt til følge", "begrunnelse", "");
    char *out = render("Om {{prosess}}: «{{ innspill }}» ({{mottatt}}) – {{utfall}}."
                       "{{#begrunnelse}} Fordi {{begrunnelse}}.{{/begrunnelse}}"
                       "{{^begrunnelse}} Uten begrunnelse.{{/begrunnelse}}", v, 0);
    /* Plain text: nothing escaped; the empty justification leaves its part out. */
    assert_string_equal(out, "Om Kystsoneplanen: «Stier & <benker>» (3.11.2026) – ikke tatt til"
                             " følge. Uten begrunnelse.");
    free(out);
    json_object_set_new(v, "begrunnelse", json_string("det er \"fylkets\" vei"));
    out = render("{{#begrunnelse}}Fordi {{begrunnelse}}.{{/begrunnelse}}", v, 0);
    assert_string_equal(out, "Fordi det er \"fylkets\" vei.");
    free(out);
    /* Every default template renders. */
    json_t *all = NULL;
    assert_int_equal(store_feedback_templates(DB, &all), PV_OK);
    size_t i;
    json_t *t;
    json_array_foreach(all, i, t) {
        free(render(s(t, "subject"), v, 0));
        out = render(s(t, "body"), v, 0);
        if (strstr(s(t, "body"), "{{innspill}}")) /* all but the one edited above */
            assert_non_null(strstr(out, "Stier & <benker>"));
        assert_null(strstr(out, "{{"));
        free(out);
    }
    json_decref(all);
    /* Unknown placeholders, triple braces, partials and broken sections are refused. */
    assert_null(render("Hei {{navn}}", v, PV_EINVAL));
    assert_null(render("Hei {{{innspill}}}", v, PV_EINVAL));
    assert_null(render("{{>layout}}", v, PV_EINVAL));
    assert_null(render("{{#begrunnelse}}uten slutt", v, PV_EINVAL));
    assert_null(render("Hei {{innspill", v, PV_EINVAL));
    out = render("Ingen plassholdere.", v, 0);
    assert_string_equal(out, "Ingen plassholdere.");
    free(out);
    json_decref(v);
}

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-feedback-XXXXXX", "t.db", NULL, 0);
    if (!DB || secret_init() != 0)
        return -1;
    return fixture_db_exec(
        DB,
        "INSERT INTO user (id, email, name, password_hash, created_at)"
        "  VALUES (7, 'radgiver@moss.kommune.no', 'Rådgiver', 'x', 1);"
        "INSERT INTO process (id, title, status, themes, areas, opens_at, deadline, created_at,"
        " position) VALUES"
        " ('apen', 'Åpen', 'åpen', '[]', '[]', 1790000000, 1810000000, 1, 1),"
        " ('annen', 'Annen', 'åpen', '[]', '[]', 1790000000, 1810000000, 1, 2);");
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
        cmocka_unit_test(test_refused_before_assessment),
        cmocka_unit_test(test_saved_with_email),
        cmocka_unit_test(test_no_email_without_consent),
        cmocka_unit_test(test_bulk),
        cmocka_unit_test(test_templates_and_fallback),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
