/* Unit tests for the tertial reports (store/reports.c with the rules of domain/followup.h):
 * the periods that have opened and what is missing, the rows a user reports, a batch that is
 * saved whole or not at all, a closed period refused by the store and by the database's
 * trigger, a status change checked against the previous period, a non-member refused, and
 * one audit event per changed report.
 * Layer: tests (store, domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/followup.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/reports.h"
#include "fixture_db.h"

#define NOW 1780000000

typedef struct fixture {
    char dir[64];
    store *db;
} fixture;

static fixture *F;
/* user 1 plans; user 2 belongs to unit helse; user 3 to no unit */
static const actor PLANNER = {1, "planlegger@moss.kommune.no", "127.0.0.1"};
static const actor MEMBER = {2, "helse@moss.kommune.no", "127.0.0.1"};
static const actor OUTSIDER = {3, "annen@moss.kommune.no", "127.0.0.1"};
static const pv_date TODAY = {2026, 5, 10};

static const char SEED[] =
    "INSERT INTO user (id, email, name, created_at) VALUES"
    " (1, 'planlegger@moss.kommune.no', 'Plan Legger', 0),"
    " (2, 'helse@moss.kommune.no', 'Helse Medlem', 0),"
    " (3, 'annen@moss.kommune.no', 'Annen Person', 0);"
    "INSERT INTO plan (id, name, position) VALUES ('leve', 'Leve hele livet', 1);"
    "INSERT INTO measure (id, plan_id, kind, title, position) VALUES"
    " ('m1', 'leve', 'tiltak', 'Aktivitetsvenn', 1),"
    " ('m2', 'leve', 'tiltak', 'Møteplasser', 2),"
    " ('m3', 'leve', 'tiltak', 'Kulturtilbud', 3),"
    " ('s1', 'leve', 'strategi', 'En strategi', 4);"
    "INSERT INTO unit (id, name, kind, position) VALUES"
    " ('helse', 'Helse og mestring', 'kommunalområde', 1),"
    " ('kultur', 'Kultur, oppvekst og aktivitet', 'kommunalområde', 2);"
    "INSERT INTO unit_member (unit_id, user_id) VALUES ('helse', 2);"
    "INSERT INTO measure_unit (measure_id, unit_id, position) VALUES"
    " ('m1', 'helse', 1), ('m2', 'helse', 1), ('m2', 'kultur', 2), ('m3', 'kultur', 1);";

static int setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/pv-reports-XXXXXX", "t.db", NULL, 0);
    return F->db && fixture_db_exec(F->db, SEED) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fixture_db_remove(F->db, F->dir);
    free(F);
    return 0;
}

static followup_period period(const char *text)
{
    followup_period p;
    assert_int_equal(followup_period_parse(text, &p), PV_OK);
    return p;
}

static json_t *events(const char *action)
{
    json_t *list;
    audit_filter f = {.action = action, .limit = 500};
    assert_int_equal(store_audit_list(F->db, &f, &list), PV_OK);
    return list;
}

static size_t count_events(const char *action)
{
    json_t *list = events(action);
    size_t n = json_array_size(list);
    json_decref(list);
    return n;
}

static json_t *row_of(json_t *rows, const char *measure)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        if (strcmp(json_string_value(json_object_get(row, "measure_id")), measure) == 0)
            return row;
    return NULL;
}

static const char *report_status(const char *measure, const char *p)
{
    static char out[32];
    json_t *rep;
    int rc = store_report_get(F->db, measure, period(p), &rep);
    if (rc == PV_ENOTFOUND)
        return NULL;
    assert_int_equal(rc, PV_OK);
    snprintf(out, sizeof out, "%s", json_string_value(json_object_get(rep, "status")));
    json_decref(rep);
    return out;
}

static int save(const actor *who, bool all, const char *p, const report_input *in, size_t n,
                json_t **errors_out, int *saved)
{
    json_t *errors = json_array();
    int rc = store_reports_save(F->db, who, NOW, TODAY, period(p), all, in, n, errors, saved);
    if (errors_out)
        *errors_out = errors;
    else
        json_decref(errors);
    return rc;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void periods_opened_and_counted(void **state)
{
    (void)state;
    json_t *list;
    assert_int_equal(store_report_periods(F->db, TODAY, MEMBER.user_id, false, &list), PV_OK);
    /* 2026-aar opens on 1 September: not yet */
    assert_int_equal(json_array_size(list), 5);
    static const char *const order[] = {"2026-t2", "2026-t1", "2025-aar", "2025-t2", "2025-t1"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(list, i), "period")),
                            order[i]);
    json_t *t1 = json_array_get(list, 1);
    assert_int_equal(json_integer_value(json_object_get(t1, "total")), 2); /* m1, m2 */
    assert_int_equal(json_integer_value(json_object_get(t1, "missing")), 2);
    assert_false(json_is_true(json_object_get(t1, "closed")));
    json_decref(list);
    assert_int_equal(store_report_periods(F->db, TODAY, PLANNER.user_id, true, &list), PV_OK);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "total")), 3);
    json_decref(list);
    assert_int_equal(store_report_periods(F->db, TODAY, OUTSIDER.user_id, false, &list), PV_OK);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "total")), 0);
    json_decref(list);
}

static void batch_saved_whole_with_audit(void **state)
{
    (void)state;
    report_input in[] = {{"m1", "i rute", 40, "Godt i gang"}, {"m2", "ikke startet", -1, NULL}};
    int saved = -1;
    size_t before = count_events("report.save");
    assert_int_equal(save(&MEMBER, false, "2026-t1", in, 2, NULL, &saved), PV_OK);
    assert_int_equal(saved, 2);
    assert_string_equal(report_status("m1", "2026-t1"), "i rute");
    assert_string_equal(report_status("m2", "2026-t1"), "ikke startet");
    assert_int_equal(count_events("report.save"), before + 2);
    json_t *list = events("report.save");
    json_t *ev = json_array_get(list, 1); /* newest first: m2, then m1 */
    assert_string_equal(json_string_value(json_object_get(ev, "object_id")), "m1");
    json_t *ch = json_object_get(ev, "changes");
    assert_true(json_is_null(json_array_get(json_object_get(ch, "status"), 0)));
    assert_string_equal(json_string_value(json_array_get(json_object_get(ch, "status"), 1)),
                        "i rute");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(ch, "progress"), 1)), 40);
    json_decref(list);

    /* the same again: nothing changed, nothing written */
    assert_int_equal(save(&MEMBER, false, "2026-t1", in, 2, NULL, &saved), PV_OK);
    assert_int_equal(saved, 0);
    assert_int_equal(count_events("report.save"), before + 2);

    /* the rows: reported ones last, with their report */
    json_t *rows;
    assert_int_equal(store_report_rows(F->db, period("2026-t1"), MEMBER.user_id, false, NULL,
                                       &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 2);
    json_t *r1 = row_of(rows, "m1");
    assert_non_null(r1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r1, "report"),
                                                          "author")), "Helse Medlem");
    json_decref(rows);
}

static void batch_refused_whole(void **state)
{
    (void)state;
    /* the second row is invalid (fullført is 100 per cent): the first is not saved either */
    report_input in[] = {{"m1", "forsinket", 30, NULL}, {"m2", "fullført", 50, NULL}};
    int saved = -1;
    size_t before = count_events("report.save");
    json_t *errors;
    assert_int_equal(save(&MEMBER, false, "2026-t2", in, 2, &errors, &saved), PV_EINVAL);
    assert_int_equal(saved, 0);
    assert_int_equal(json_array_size(errors), 1);
    json_t *e = json_array_get(errors, 0);
    assert_int_equal(json_integer_value(json_object_get(e, "index")), 1);
    assert_string_equal(json_string_value(json_object_get(e, "measure_id")), "m2");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "progress");
    json_decref(errors);
    assert_null(report_status("m1", "2026-t2"));
    assert_int_equal(count_events("report.save"), before);

    /* an unknown status */
    report_input bad[] = {{"m1", "ferdig", -1, NULL}};
    assert_int_equal(save(&MEMBER, false, "2026-t2", bad, 1, &errors, &saved), PV_EINVAL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "field")),
                        "status");
    json_decref(errors);
}

static void change_checked_against_previous_period(void **state)
{
    (void)state;
    /* 2025-t2 (earlier): m3 ended as fullført */
    report_input done[] = {{"m3", "fullført", 100, NULL}};
    int saved;
    assert_int_equal(save(&PLANNER, true, "2025-t2", done, 1, NULL, &saved), PV_OK);
    json_t *rows;
    assert_int_equal(store_report_rows(F->db, period("2026-t1"), PLANNER.user_id, true,
                                       "kultur", &rows), PV_OK);
    assert_int_equal(json_array_size(rows), 2); /* m2, m3 of unit kultur */
    json_t *r3 = row_of(rows, "m3");
    assert_string_equal(json_string_value(json_object_get(r3, "previous_status")), "fullført");
    assert_string_equal(json_string_value(json_object_get(r3, "previous_period")), "2025-t2");
    json_decref(rows);
    /* an ended measure stays ended */
    report_input again[] = {{"m3", "i rute", 20, NULL}};
    json_t *errors;
    assert_int_equal(save(&PLANNER, true, "2026-t1", again, 1, &errors, &saved), PV_EINVAL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "field")),
                        "status");
    json_decref(errors);
    /* a report of an EARLIER period is not checked against a later one */
    report_input earlier[] = {{"m3", "i rute", 50, NULL}};
    assert_int_equal(save(&PLANNER, true, "2025-t1", earlier, 1, NULL, &saved), PV_OK);
    assert_int_equal(saved, 1);
}

static void non_member_refused(void **state)
{
    (void)state;
    report_input in[] = {{"m3", "i rute", 10, NULL}}; /* kultur's, not helse's */
    int saved;
    json_t *errors;
    assert_int_equal(save(&MEMBER, false, "2026-t2", in, 1, &errors, &saved), PV_EINVAL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "field")),
                        "measure_id");
    json_decref(errors);
    assert_int_equal(save(&OUTSIDER, false, "2026-t2", in, 1, NULL, &saved), PV_EINVAL);
    /* a strategy is not reported on */
    report_input s1[] = {{"s1", "i rute", 10, NULL}};
    assert_int_equal(save(&PLANNER, true, "2026-t2", s1, 1, NULL, &saved), PV_EINVAL);
    assert_null(report_status("m3", "2026-t2"));
    assert_null(report_status("s1", "2026-t2"));
}

static void closed_period_refused(void **state)
{
    (void)state;
    size_t before = count_events("period.close");
    /* not yet opened */
    assert_int_equal(store_period_close(F->db, &PLANNER, NOW, TODAY, period("2026-aar")),
                     PV_ECONFLICT);
    report_input future[] = {{"m1", "i rute", 60, NULL}};
    int saved;
    assert_int_equal(save(&MEMBER, false, "2026-aar", future, 1, NULL, &saved), PV_ECONFLICT);

    assert_int_equal(store_period_close(F->db, &PLANNER, NOW, TODAY, period("2026-t1")), PV_OK);
    assert_int_equal(count_events("period.close"), before + 1);
    json_t *list = events("period.close");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "object_id")),
                        "2026-t1");
    json_decref(list);
    bool closed = false;
    assert_int_equal(store_period_closed(F->db, period("2026-t1"), &closed), PV_OK);
    assert_true(closed);
    assert_int_equal(store_period_close(F->db, &PLANNER, NOW, TODAY, period("2026-t1")),
                     PV_ECONFLICT);
    assert_int_equal(count_events("period.close"), before + 1);

    /* the store refuses */
    report_input in[] = {{"m1", "forsinket", 45, NULL}};
    assert_int_equal(save(&MEMBER, false, "2026-t1", in, 1, NULL, &saved), PV_ECONFLICT);
    assert_string_equal(report_status("m1", "2026-t1"), "i rute");
    /* and so does the database */
    sqlite3 *h = store_handle(F->db);
    assert_int_not_equal(sqlite3_exec(h,
                                      "UPDATE measure_report SET status = 'forsinket'"
                                      " WHERE measure_id = 'm1' AND year = 2026 AND period = 't1'",
                                      NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h,
                                      "INSERT INTO measure_report (measure_id, year, period,"
                                      " status, reported_at) VALUES ('m3', 2026, 't1', 'i rute', 1)",
                                      NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h,
                                      "DELETE FROM measure_report WHERE year = 2026 AND period = 't1'",
                                      NULL, NULL, NULL), SQLITE_OK);
    assert_string_equal(report_status("m1", "2026-t1"), "i rute");
    /* the list says it is closed */
    assert_int_equal(store_report_periods(F->db, TODAY, MEMBER.user_id, false, &list), PV_OK);
    assert_true(json_is_true(json_object_get(json_array_get(list, 1), "closed")));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "closed_at")),
                     NOW);
    json_decref(list);
}

static void units_of_a_user(void **state)
{
    (void)state;
    json_t *u;
    assert_int_equal(store_report_units(F->db, MEMBER.user_id, false, &u), PV_OK);
    assert_int_equal(json_array_size(u), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(u, 0), "id")), "helse");
    json_decref(u);
    assert_int_equal(store_report_units(F->db, PLANNER.user_id, true, &u), PV_OK);
    assert_int_equal(json_array_size(u), 2);
    json_decref(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(periods_opened_and_counted),
        cmocka_unit_test(units_of_a_user),
        cmocka_unit_test(batch_saved_whole_with_audit),
        cmocka_unit_test(batch_refused_whole),
        cmocka_unit_test(change_checked_against_previous_period),
        cmocka_unit_test(non_member_refused),
        cmocka_unit_test(closed_period_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
