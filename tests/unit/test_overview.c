/* Unit tests for the follow-up overview (store/overview.c): which report is a measure's
 * latest for the public (closed periods only) and for the staff (all), the filters (tema,
 * plan, enhet, aar, status), overdue measures, plans past revision, indicators behind their
 * path, and the tallies the charts draw: counts by status, plan and unit, and cost sums per
 * year (a year with only a note counts 0; cost by unit under the FIRST unit).
 * Layer: tests (store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/overview.h"
#include "fixture_db.h"

typedef struct fixture {
    char dir[64];
    store *db;
} fixture;

static fixture *F;

/* Two plans, three 'tiltak' and a 'strategi' (never in the overview), two units, costs with a
 * note-only year, reports in two closed periods and an open one, one indicator with a
 * reading and one without. Reports are written before their periods are closed. */
static const char SEED[] =
    "INSERT INTO theme (id, name, position) VALUES ('helse', 'Helse', 1);"
    "INSERT INTO plan (id, name, theme_id, adopted_year, position) VALUES"
    " ('p1', 'Leve hele livet', 'helse', 2019, 1), ('p2', 'Annen plan', NULL, 2024, 2);"
    "INSERT INTO focus_area (id, plan_id, name, position) VALUES (1, 'p1', 'Område A', 1);"
    "INSERT INTO measure (id, plan_id, focus_area_id, kind, title, position, deadline) VALUES"
    " ('m1', 'p1', 1, 'tiltak', 'Tiltak én', 1, '2020-01-01'),"
    " ('m2', 'p1', 1, 'tiltak', 'Tiltak to', 2, '2030-01-01'),"
    " ('m3', 'p2', NULL, 'tiltak', 'Tiltak tre', 1, NULL),"
    " ('s1', 'p1', 1, 'strategi', 'En strategi', 3, NULL);"
    "INSERT INTO unit (id, name, kind, position) VALUES ('u-a', 'Enhet A', 'enhet', 1),"
    " ('u-b', 'Enhet B', 'enhet', 2);"
    "INSERT INTO measure_unit VALUES ('m1', 'u-a', 1), ('m1', 'u-b', 2), ('m2', 'u-b', 1),"
    " ('s1', 'u-a', 1);"
    "INSERT INTO measure_cost (measure_id, year, amount, note) VALUES"
    " ('m1', 2025, 100, NULL), ('m1', 2026, NULL, 'innenfor ramme'), ('m2', 2025, 50, NULL),"
    " ('m2', 2026, 30, NULL), ('m3', 2026, 7, NULL), ('s1', 2025, 999, NULL);"
    "INSERT INTO measure_report (measure_id, year, period, status, progress, reported_at)"
    " VALUES ('m1', 2025, 't1', 'i rute', 20, 1), ('m1', 2025, 't2', 'forsinket', 40, 2),"
    " ('m1', 2025, 'aar', 'fullført', 100, 3), ('m2', 2025, 'aar', 'i rute', 10, 3);"
    "INSERT INTO report_period (year, period, closed_at) VALUES (2025, 't1', 10),"
    " (2025, 't2', 20);"
    "INSERT INTO indicator (id, text, comparator, baseline_value, baseline_year, target_value,"
    " target_year, plan_id, position) VALUES"
    " ('i1', 'Andel som trener', '>=', 10, 2020, 50, 2030, 'p1', 1),"
    " ('i2', 'Uten målinger', '>=', 1, 2020, 2, 2030, 'p1', 2);"
    "INSERT INTO indicator_reading (indicator_id, value, date, source, created_at) VALUES"
    " ('i1', 12, '2024-06-01', 'SSB', 1);";

static const pv_date TODAY = {2026, 3, 1};

static int group_setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/pv-overview-XXXXXX", "t.db", NULL, 0);
    if (!F->db || fixture_db_exec(F->db, SEED) != 0)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fixture_db_remove(F->db, F->dir);
    free(F);
    return 0;
}

static json_t *read_overview(overview_filter f)
{
    f.today = TODAY;
    json_t *o = NULL;
    assert_int_equal(store_overview(F->db, &f, &o), PV_OK);
    return o;
}

/* The ids of the measures, joined with ','. */
static void ids(json_t *o, char *out, size_t size)
{
    out[0] = '\0';
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(o, "measures"), i, m) {
        if (i)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, json_string_value(json_object_get(m, "id")), size - strlen(out) - 1);
    }
}

static json_t *measure(json_t *o, const char *id)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(o, "measures"), i, m)
        if (strcmp(json_string_value(json_object_get(m, "id")), id) == 0)
            return m;
    fail_msg("no measure %s", id);
    return NULL;
}

static const char *latest(json_t *o, const char *id)
{
    json_t *r = json_object_get(measure(o, id), "report");
    return json_is_object(r) ? json_string_value(json_object_get(r, "status")) : "-";
}

static long long num(json_t *v)
{
    assert_true(json_is_integer(v));
    return (long long)json_integer_value(v);
}

static void test_measures_and_visibility(void **state)
{
    (void)state;
    char list[200];
    json_t *pub = read_overview((overview_filter){0});
    ids(pub, list, sizeof list);
    assert_string_equal(list, "m3,m1,m2"); /* by plan name: «Annen plan» first */
    /* the public sees the latest CLOSED period: T2 2025, not the open annual report */
    assert_string_equal(latest(pub, "m1"), "forsinket");
    json_t *r = json_object_get(measure(pub, "m1"), "report");
    assert_string_equal(json_string_value(json_object_get(r, "period")), "t2");
    assert_true(json_is_true(json_object_get(r, "closed")));
    assert_int_equal(num(json_object_get(r, "progress")), 40);
    assert_string_equal(latest(pub, "m2"), "-");
    assert_string_equal(latest(pub, "m3"), "-");
    /* overdue: a deadline in the past and not ended */
    assert_true(json_is_true(json_object_get(measure(pub, "m1"), "overdue")));
    assert_false(json_is_true(json_object_get(measure(pub, "m2"), "overdue")));
    /* units in their order, costs of the measure */
    json_t *units = json_object_get(measure(pub, "m1"), "units");
    assert_int_equal(json_array_size(units), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(units, 0), "id")), "u-a");
    assert_int_equal(json_array_size(json_object_get(measure(pub, "m1"), "costs")), 2);
    json_t *years = json_object_get(pub, "years");
    assert_int_equal(json_array_size(years), 2);
    assert_int_equal(num(json_array_get(years, 0)), 2025);

    json_t *staff = read_overview((overview_filter){.staff = true});
    assert_string_equal(latest(staff, "m1"), "fullført");
    r = json_object_get(measure(staff, "m1"), "report");
    assert_false(json_is_true(json_object_get(r, "closed")));
    assert_string_equal(latest(staff, "m2"), "i rute");
    /* ended: no longer overdue */
    assert_false(json_is_true(json_object_get(measure(staff, "m1"), "overdue")));
    json_decref(pub);
    json_decref(staff);
}

static void test_filters(void **state)
{
    (void)state;
    char list[200];
    struct {
        overview_filter f;
        const char *want;
    } cases[] = {
        {{.theme_id = "helse"}, "m1,m2"},
        {{.plan_id = "p2"}, "m3"},
        {{.unit_id = "u-a"}, "m1"},
        {{.unit_id = "u-b"}, "m1,m2"},
        {{.year = 2026}, "m3,m1,m2"}, /* m1 has only a note in 2026: still a cost row */
        {{.year = 2025}, "m1,m2"},
        {{.year = 2024}, ""},
        {{.status = "ingen"}, "m3,m2"},
        {{.status = "forsinket"}, "m1"},
        {{.status = "forsinket", .staff = true}, ""},
        {{.status = "fullført", .staff = true}, "m1"},
        {{.theme_id = "helse", .unit_id = "u-b", .status = "ingen"}, "m2"},
        {{.plan_id = "finnes-ikke"}, ""},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(cases); i++) {
        json_t *o = read_overview(cases[i].f);
        ids(o, list, sizeof list);
        if (strcmp(list, cases[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, list, cases[i].want);
        json_decref(o);
    }
    /* a year filter keeps the costs of that year only, and the latest report up to it */
    json_t *o = read_overview((overview_filter){.year = 2026});
    assert_int_equal(json_array_size(json_object_get(o, "years")), 1);
    assert_int_equal(json_array_size(json_object_get(measure(o, "m2"), "costs")), 1);
    json_decref(o);
}

static void test_plans_and_indicators(void **state)
{
    (void)state;
    json_t *o = read_overview((overview_filter){0});
    json_t *plans = json_object_get(o, "plans");
    assert_int_equal(json_array_size(plans), 2);
    json_t *p2 = json_array_get(plans, 0), *p1 = json_array_get(plans, 1);
    assert_string_equal(json_string_value(json_object_get(p1, "id")), "p1");
    assert_int_equal(num(json_object_get(p1, "next_revision")), 2023); /* adopted + 4 */
    assert_true(json_is_true(json_object_get(p1, "revision_due")));
    assert_false(json_is_true(json_object_get(p2, "revision_due")));
    json_t *ind = json_object_get(o, "indicators");
    assert_int_equal(json_array_size(ind), 1); /* only the one with readings */
    json_t *i1 = json_array_get(ind, 0);
    assert_string_equal(json_string_value(json_object_get(i1, "id")), "i1");
    assert_true(json_is_true(json_object_get(i1, "has_latest")));
    assert_string_equal(json_string_value(json_object_get(i1, "latest_date")), "2024-06-01");
    assert_true(json_is_true(json_object_get(i1, "behind"))); /* 12 against a path of ~24 */
    json_decref(o);
    o = read_overview((overview_filter){.plan_id = "p2"});
    assert_int_equal(json_array_size(json_object_get(o, "plans")), 1);
    assert_int_equal(json_array_size(json_object_get(o, "indicators")), 0);
    json_decref(o);
}

static json_t *group_by_id(json_t *list, const char *id)
{
    size_t i;
    json_t *g;
    json_array_foreach(list, i, g) {
        json_t *gid = json_object_get(g, "id");
        if ((!id && json_is_null(gid)) || (id && gid && strcmp(json_string_value(gid), id) == 0))
            return g;
    }
    fail_msg("no group %s", id ? id : "(none)");
    return NULL;
}

static void assert_amounts(json_t *g, long long a, long long b)
{
    json_t *amounts = json_object_get(g, "amounts");
    assert_int_equal(json_array_size(amounts), 2);
    assert_int_equal(num(json_array_get(amounts, 0)), a);
    assert_int_equal(num(json_array_get(amounts, 1)), b);
}

static void test_tally(void **state)
{
    (void)state;
    json_t *o = read_overview((overview_filter){0});
    json_t *t = store_overview_tally(o);
    json_t *st = json_object_get(t, "by_status");
    assert_int_equal(num(json_object_get(st, "forsinket")), 1);
    assert_int_equal(num(json_object_get(st, "ingen")), 2);
    assert_int_equal(num(json_object_get(st, "i rute")), 0);
    json_t *statuses = json_object_get(t, "statuses");
    assert_int_equal(json_array_size(statuses), 7);
    assert_string_equal(json_string_value(json_array_get(statuses, 6)), "ingen");

    json_t *by_plan = json_object_get(t, "by_plan");
    assert_int_equal(json_array_size(by_plan), 2);
    json_t *p1 = group_by_id(by_plan, "p1");
    assert_int_equal(num(json_object_get(p1, "total")), 2);
    assert_int_equal(num(json_object_get(json_object_get(p1, "counts"), "forsinket")), 1);
    assert_int_equal(num(json_object_get(json_object_get(p1, "counts"), "ingen")), 1);

    /* by unit: under each of a measure's units; the measures without a unit last */
    json_t *by_unit = json_object_get(t, "by_unit");
    assert_int_equal(json_array_size(by_unit), 3);
    assert_int_equal(num(json_object_get(group_by_id(by_unit, "u-a"), "total")), 1);
    assert_int_equal(num(json_object_get(group_by_id(by_unit, "u-b"), "total")), 2);
    assert_true(json_is_null(json_object_get(json_array_get(by_unit, 2), "id")));

    /* costs: m1's note-only 2026 counts 0; the strategi's 999 is not there */
    json_t *cost_plan = json_object_get(t, "cost_by_plan");
    assert_amounts(group_by_id(cost_plan, "p1"), 150, 30);
    assert_amounts(group_by_id(cost_plan, "p2"), 0, 7);
    json_t *cost_unit = json_object_get(t, "cost_by_unit");
    assert_int_equal(json_array_size(cost_unit), 3);
    assert_amounts(group_by_id(cost_unit, "u-a"), 100, 0); /* m1 only under its first unit */
    assert_amounts(group_by_id(cost_unit, "u-b"), 50, 30);
    assert_amounts(group_by_id(cost_unit, NULL), 0, 7);
    json_t *total = json_object_get(t, "cost_total");
    assert_int_equal(num(json_array_get(total, 0)), 150);
    assert_int_equal(num(json_array_get(total, 1)), 37);
    json_decref(t);
    json_decref(o);

    /* staff: the open annual report counts */
    o = read_overview((overview_filter){.staff = true});
    t = store_overview_tally(o);
    st = json_object_get(t, "by_status");
    assert_int_equal(num(json_object_get(st, "fullført")), 1);
    assert_int_equal(num(json_object_get(st, "i rute")), 1);
    assert_int_equal(num(json_object_get(st, "ingen")), 1);
    json_decref(t);
    json_decref(o);
}

static void test_options(void **state)
{
    (void)state;
    json_t *o;
    assert_int_equal(store_overview_options(F->db, &o), PV_OK);
    assert_int_equal(json_array_size(json_object_get(o, "themes")), 1);
    json_t *plans = json_object_get(o, "plans");
    assert_int_equal(json_array_size(plans), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(plans, 0), "name")),
                        "Annen plan");
    assert_int_equal(json_array_size(json_object_get(o, "units")), 2);
    json_t *years = json_object_get(o, "years");
    assert_int_equal(json_array_size(years), 2);
    assert_int_equal(num(json_array_get(years, 1)), 2026);
    json_decref(o);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measures_and_visibility),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_plans_and_indicators),
        cmocka_unit_test(test_tally),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests_name("overview", tests, group_setup, group_teardown) ? 1 : 0;
}
