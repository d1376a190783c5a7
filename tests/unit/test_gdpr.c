/* Unit tests for personal data: retention dates (month arithmetic, the end of a month, summer
 * time), the purge (contact gone, content and feedback kept, one audit event per contact,
 * nothing else touched), and a person's export and erasure by e-mail.
 * Layer: tests (domain, store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "domain/retention.h"
#include "store/gdpr.h"
#include "fixture_db.h"

static char DIR_[64];
static store *DB;

static int64_t count(const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(DB), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t local(int y, int m, int d, int hh, int mm)
{
    return pv_date_local((pv_date){y, m, d}, hh, mm, 0);
}

/* ---- retention dates ------------------------------------------------------------------ */

static void assert_add(pv_date d, int months, pv_date want)
{
    pv_date got = retention_add_months(d, months);
    assert_int_equal(got.year, want.year);
    assert_int_equal(got.month, want.month);
    assert_int_equal(got.day, want.day);
}

static void test_add_months(void **state)
{
    (void)state;
    assert_add((pv_date){2026, 3, 15}, 12, (pv_date){2027, 3, 15});
    assert_add((pv_date){2026, 11, 30}, 3, (pv_date){2027, 2, 28});
    assert_add((pv_date){2027, 11, 30}, 3, (pv_date){2028, 2, 29}); /* leap year */
    assert_add((pv_date){2026, 1, 31}, 1, (pv_date){2026, 2, 28});
    assert_add((pv_date){2026, 8, 31}, 1, (pv_date){2026, 9, 30});
    assert_add((pv_date){2026, 12, 31}, 0, (pv_date){2026, 12, 31});
    assert_add((pv_date){2026, 12, 5}, 1, (pv_date){2027, 1, 5});
    assert_add((pv_date){2024, 2, 29}, 12, (pv_date){2025, 2, 28});
    assert_add((pv_date){2026, 5, 31}, 120, (pv_date){2036, 5, 31});
}

static void test_erase_after(void **state)
{
    (void)state;
    /* the day 12 months after, erased from local midnight the day after */
    assert_int_equal(retention_erase_after(local(2026, 3, 15, 23, 59), 12), local(2027, 3, 16, 0, 0));
    /* 31 January + 1 month: the last day of February, then midnight 1 March */
    assert_int_equal(retention_erase_after(local(2026, 1, 31, 12, 0), 1), local(2026, 3, 1, 0, 0));
    /* summer time: a deadline in winter, erasure in summer — local midnight, not +24h steps */
    int64_t winter = local(2026, 1, 10, 0, 30);
    int64_t due = retention_erase_after(winter, 5); /* 10 June → 11 June 00:00 CEST */
    assert_int_equal(due, local(2026, 6, 11, 0, 0));
    struct tm tm;
    time_t t = (time_t)due;
    localtime_r(&t, &tm);
    assert_int_equal(tm.tm_hour, 0);
    assert_int_equal(tm.tm_isdst, 1);
    /* the night the clocks go forward (29 March 2026) */
    assert_int_equal(retention_erase_after(local(2026, 2, 28, 22, 0), 1), local(2026, 3, 29, 0, 0));
    assert_int_equal(local(2026, 3, 30, 0, 0) - local(2026, 3, 29, 0, 0), 23 * 3600);
    /* a negative retention means the default */
    assert_int_equal(retention_erase_after(winter, -1), retention_erase_after(winter, 12));
    assert_int_equal(retention_end(5, 6, 7), 5);
    assert_int_equal(retention_end(0, 6, 7), 6);
    assert_int_equal(retention_end(0, 0, 7), 7);
    int m;
    assert_int_equal(retention_parse_months("24", &m), PV_OK);
    assert_int_equal(m, 24);
    assert_int_equal(retention_parse_months("121", &m), PV_EINVAL);
    assert_int_equal(retention_parse_months("-1", &m), PV_EINVAL);
    assert_int_equal(retention_parse_months("12x", &m), PV_EINVAL);
}

/* ---- the store ------------------------------------------------------------------------ */

static void test_recompute(void **state)
{
    (void)state;
    int changed = -1;
    assert_int_equal(store_gdpr_recompute(DB, NULL, 12, &changed), PV_OK);
    assert_int_equal(changed, 4);
    /* closed 2025-06-15, retention 6 months → 2025-12-15 → erase from 2025-12-16 00:00 */
    assert_int_equal(count("SELECT erase_after FROM contact WHERE input_id = 1"), local(2025, 12, 16, 0, 0));
    /* open process, deadline 2026-01-31, default 12 → 2027-01-31 → 2027-02-01 */
    assert_int_equal(count("SELECT erase_after FROM contact WHERE input_id = 3"), local(2027, 2, 1, 0, 0));
    /* no process: the input's arrival (2025-03-31) + 12 → 2026-03-31 → 2026-04-01 */
    assert_int_equal(count("SELECT erase_after FROM contact WHERE input_id = 4"), local(2026, 4, 1, 0, 0));
    /* nothing changed: nothing written */
    assert_int_equal(store_gdpr_recompute(DB, NULL, 12, &changed), PV_OK);
    assert_int_equal(changed, 0);
    /* another default changes only the process without its own retention */
    assert_int_equal(store_gdpr_recompute(DB, "open", 24, &changed), PV_OK);
    assert_int_equal(changed, 2);
    assert_int_equal(count("SELECT erase_after FROM contact WHERE input_id = 3"), local(2028, 2, 1, 0, 0));
    assert_int_equal(count("SELECT erase_after FROM contact WHERE input_id = 1"), local(2025, 12, 16, 0, 0));
    assert_int_equal(store_gdpr_recompute(DB, NULL, 12, &changed), PV_OK);
    assert_int_equal(changed, 2);
}

static const char FINGERPRINT[] =
    "SELECT (SELECT group_concat(id || text || status || moderation, '|') FROM input)"
    " || (SELECT group_concat(id || body, '|') FROM feedback)"
    " || (SELECT group_concat(id || subject || body || coalesce(to_address, '-'), '|') FROM outbox)"
    " || (SELECT count(*) FROM assessment) || (SELECT count(*) FROM process)";

static char *fingerprint(void)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_handle(DB), FINGERPRINT, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static void test_purge(void **state)
{
    (void)state;
    int erased = -1;
    int64_t events = count("SELECT count(*) FROM audit_event");
    /* the day before the first is due: nothing */
    assert_int_equal(store_gdpr_purge(DB, local(2025, 12, 15, 23, 59), 12, &erased), PV_OK);
    assert_int_equal(erased, 0);
    assert_int_equal(count("SELECT count(*) FROM contact"), 4);
    assert_int_equal(count("SELECT count(*) FROM audit_event"), events);

    char *before = fingerprint();
    assert_int_equal(store_gdpr_purge(DB, local(2025, 12, 16, 0, 0), 12, &erased), PV_OK);
    assert_int_equal(erased, 1);
    assert_int_equal(count("SELECT count(*) FROM contact WHERE input_id = 1"), 0);
    assert_int_equal(count("SELECT count(*) FROM contact"), 3);
    /* the input and its feedback are kept; the outbox forgets the address */
    assert_int_equal(count("SELECT count(*) FROM input WHERE id = 1 AND text = 'Tekst 1'"), 1);
    assert_int_equal(count("SELECT count(*) FROM feedback WHERE input_id = 1"), 1);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_address IS NULL"), 1);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_address = 'ola@example.no'"), 1);
    /* one audit event, by «system», naming the input and not the person */
    assert_int_equal(count("SELECT count(*) FROM audit_event"), events + 1);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'contact.erase'"
                           " AND actor = 'system' AND object_type = 'input' AND object_id = '1'"
                           " AND changes NOT LIKE '%example.no%' AND changes NOT LIKE '%Kari%'"),
                     1);
    /* nothing else touched: only the erased address differs */
    char *after = fingerprint();
    assert_string_not_equal(before, after);
    char *expected = strdup(before);
    char *at = strstr(expected, "kari@example.no");
    assert_non_null(at);
    memmove(at + 1, at + strlen("kari@example.no"), strlen(at + strlen("kari@example.no")) + 1);
    *at = '-';
    assert_string_equal(expected, after);
    free(expected);
    free(before);
    free(after);

    /* again at the same moment: nothing more */
    assert_int_equal(store_gdpr_purge(DB, local(2025, 12, 16, 0, 0), 12, &erased), PV_OK);
    assert_int_equal(erased, 0);
    /* far later: all of them */
    assert_int_equal(store_gdpr_purge(DB, local(2030, 1, 1, 0, 0), 12, &erased), PV_OK);
    assert_int_equal(erased, 3);
    assert_int_equal(count("SELECT count(*) FROM contact"), 0);
    assert_int_equal(count("SELECT count(*) FROM input"), 4);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'contact.erase'"), 4);
}

static void test_export_and_erase(void **state)
{
    (void)state;
    assert_int_equal(fixture_db_exec(DB,
                                     "INSERT INTO contact (input_id, name, email, consent) VALUES"
                                     " (2, 'Per', 'Per@Example.no', 1), (3, 'Per', 'per@example.no', 0);"),
                     0);
    json_t *out = NULL;
    assert_int_equal(store_gdpr_export(DB, "PER@example.NO", &out), PV_OK);
    assert_int_equal(json_array_size(out), 2);
    json_t *first = json_array_get(out, 0);
    assert_string_equal(json_string_value(json_object_get(first, "text")), "Tekst 2");
    assert_string_equal(json_string_value(json_object_get(json_object_get(first, "contact"), "name")), "Per");
    assert_int_equal(json_array_size(json_object_get(first, "feedback")), 1);
    json_decref(out);
    assert_int_equal(store_gdpr_export(DB, "ingen@example.no", &out), PV_OK);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);

    const actor who = {0, "cli", NULL};
    int erased = -1;
    assert_int_equal(store_gdpr_erase(DB, &who, 1800000000, "ingen@example.no", &erased), PV_OK);
    assert_int_equal(erased, 0);
    assert_int_equal(store_gdpr_erase(DB, &who, 1800000000, "", &erased), PV_EINVAL);
    assert_int_equal(store_gdpr_erase(DB, &who, 1800000000, "per@example.no", &erased), PV_OK);
    assert_int_equal(erased, 2);
    assert_int_equal(count("SELECT count(*) FROM contact"), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'contact.erase'"
                           " AND actor = 'cli' AND changes LIKE '%request%'"),
                     2);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_address IS NOT NULL"), 0);
}

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-gdpr-XXXXXX", "t.db", NULL, 0);
    if (!DB)
        return -1;
    char sql[4096];
    snprintf(sql, sizeof sql,
             "INSERT INTO process (id, title, status, deadline, closed_at, retention_months,"
             " created_at, position) VALUES"
             " ('closed', 'Lukket', 'avsluttet', %lld, %lld, 6, 1, 1),"
             " ('open', 'Åpen', 'åpen', %lld, NULL, NULL, 1, 2);"
             "INSERT INTO input (id, process_id, channel, text, received_at) VALUES"
             " (1, 'closed', 'web', 'Tekst 1', %lld), (2, 'open', 'web', 'Tekst 2', %lld),"
             " (3, 'open', 'web', 'Tekst 3', %lld), (4, NULL, 'meld-fra', 'Tekst 4', %lld);"
             "INSERT INTO contact (input_id, name, email, phone, consent) VALUES"
             " (1, 'Kari', 'kari@example.no', '40000000', 1), (2, 'Ola', 'ola@example.no', NULL, 1),"
             " (3, NULL, NULL, '41111111', 0), (4, 'Anne', 'anne@example.no', NULL, 1);"
             "INSERT INTO assessment (id, process_id, outcome, justification, assessed_at)"
             " VALUES (1, 'closed', 'tatt til følge', NULL, 1);"
             "INSERT INTO feedback (id, input_id, assessment_id, language, body, written_at) VALUES"
             " (1, 1, 1, 'nb', 'Takk, Kari', 2), (2, 2, 1, 'nb', 'Takk, Ola', 2);"
             "INSERT INTO outbox (feedback_id, to_address, subject, body, created_at, next_attempt_at)"
             " VALUES (1, 'kari@example.no', 'Svar', 'Takk, Kari', 2, 2),"
             " (2, 'ola@example.no', 'Svar', 'Takk, Ola', 2, 2);",
             (long long)local(2025, 5, 31, 23, 59), (long long)local(2025, 6, 15, 10, 0),
             (long long)local(2026, 1, 31, 23, 59), (long long)local(2025, 5, 1, 9, 0),
             (long long)local(2025, 5, 2, 9, 0), (long long)local(2025, 12, 1, 9, 0),
             (long long)local(2025, 3, 31, 9, 0));
    return fixture_db_exec(DB, sql);
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
    tzset();
    if (secret_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_months), cmocka_unit_test(test_erase_after),
        cmocka_unit_test(test_recompute),  cmocka_unit_test(test_purge),
        cmocka_unit_test(test_export_and_erase),
    };
    return cmocka_run_group_tests_name("gdpr", tests, group_setup, group_teardown) ? 1 : 0;
}
