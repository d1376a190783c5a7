/* Unit tests for the rules of following plans up (domain/followup.c): period boundaries and
 * codes, every status change, report and reading validation, overdue measures and revisions,
 * and the track of an indicator towards its target (with the Moss indicators as cases).
 * Layer: tests (domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/followup.h"

static pv_date day(int y, int m, int d)
{
    return (pv_date){y, m, d};
}

/* ---- periods -------------------------------------------------------------------------- */

static void check_period_of(pv_date d, int year, enum period_kind kind)
{
    followup_period p = followup_period_of(d);
    if (p.year != year || p.kind != kind)
        fail_msg("%04d-%02d-%02d: got %d/%s, expected %d/%s", d.year, d.month, d.day, p.year,
                 followup_period_code(p.kind), year, followup_period_code(kind));
    /* the day lies within the period's bounds */
    pv_date first, last;
    followup_period_bounds(p, &first, &last);
    assert_true(first.year == d.year && last.year == d.year);
    assert_true(first.month * 100 + first.day <= d.month * 100 + d.day);
    assert_true(d.month * 100 + d.day <= last.month * 100 + last.day);
}

static void test_period_of_boundaries(void **state)
{
    (void)state;
    check_period_of(day(2026, 1, 1), 2026, PERIOD_T1);
    check_period_of(day(2026, 4, 30), 2026, PERIOD_T1);
    check_period_of(day(2026, 5, 1), 2026, PERIOD_T2);
    check_period_of(day(2026, 8, 31), 2026, PERIOD_T2);
    check_period_of(day(2026, 9, 1), 2026, PERIOD_YEAR);
    check_period_of(day(2026, 12, 31), 2026, PERIOD_YEAR);
    check_period_of(day(2024, 2, 29), 2024, PERIOD_T1); /* leap day */
    check_period_of(day(2000, 2, 29), 2000, PERIOD_T1);
    check_period_of(day(2024, 12, 31), 2024, PERIOD_YEAR);
}

static void check_bounds(followup_period p, pv_date f, pv_date l, pv_date opens)
{
    pv_date first, last;
    followup_period_bounds(p, &first, &last);
    assert_memory_equal(&first, &f, sizeof f);
    assert_memory_equal(&last, &l, sizeof l);
    pv_date o = followup_period_opens(p);
    assert_memory_equal(&o, &opens, sizeof o);
}

static void test_period_bounds_and_opens(void **state)
{
    (void)state;
    check_bounds((followup_period){2026, PERIOD_T1}, day(2026, 1, 1), day(2026, 4, 30),
                 day(2026, 1, 1));
    check_bounds((followup_period){2026, PERIOD_T2}, day(2026, 5, 1), day(2026, 8, 31),
                 day(2026, 5, 1));
    check_bounds((followup_period){2026, PERIOD_YEAR}, day(2026, 1, 1), day(2026, 12, 31),
                 day(2026, 9, 1));
    check_bounds((followup_period){2024, PERIOD_YEAR}, day(2024, 1, 1), day(2024, 12, 31),
                 day(2024, 9, 1));
    /* only one side asked for */
    pv_date first = {0};
    followup_period_bounds((followup_period){2025, PERIOD_T2}, &first, NULL);
    assert_int_equal(first.month, 5);
    pv_date last = {0};
    followup_period_bounds((followup_period){2025, PERIOD_T1}, NULL, &last);
    assert_int_equal(last.day, 30);
}

static void test_period_parse_format(void **state)
{
    (void)state;
    const struct {
        const char *text;
        int year;
        enum period_kind kind;
    } good[] = {{"2026-t1", 2026, PERIOD_T1}, {"2026-t2", 2026, PERIOD_T2},
                {"2026-aar", 2026, PERIOD_YEAR}, {"1800-t1", 1800, PERIOD_T1},
                {"2200-aar", 2200, PERIOD_YEAR}};
    for (size_t i = 0; i < PV_ARRAY_LEN(good); i++) {
        followup_period p = {0};
        if (followup_period_parse(good[i].text, &p) != 0)
            fail_msg("refused \"%s\"", good[i].text);
        assert_int_equal(p.year, good[i].year);
        assert_int_equal(p.kind, good[i].kind);
        char out[FOLLOWUP_PERIOD_TEXT];
        followup_period_format(p, out);
        assert_string_equal(out, good[i].text);
    }
    const char *bad[] = {"2026-T1", "26-t1",   "2026-t3",  "2026-t1x", "",        "2026",
                         "2026-",   "2026t1",  "1799-t1",  "2201-t1",  " 2026-t1", "2026-t1 ",
                         "2026-AAR", "2026-år", "02026-t1", "2026-t0",  "+026-t1", "2026--t1",
                         "2026-a",  "2026-aarx", "-026-t1"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++) {
        followup_period p = {1234, PERIOD_T2};
        if (followup_period_parse(bad[i], &p) != PV_EINVAL)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(p.year, 1234); /* untouched */
    }
    assert_int_equal(followup_period_parse(NULL, NULL), PV_EINVAL);
    assert_int_equal(followup_period_parse("2026-t2", NULL), 0);
}

static void test_period_codes_labels(void **state)
{
    (void)state;
    assert_string_equal(followup_period_code(PERIOD_T1), "t1");
    assert_string_equal(followup_period_code(PERIOD_T2), "t2");
    assert_string_equal(followup_period_code(PERIOD_YEAR), "aar");
    assert_int_equal(followup_period_kind_parse("t1"), PERIOD_T1);
    assert_int_equal(followup_period_kind_parse("t2"), PERIOD_T2);
    assert_int_equal(followup_period_kind_parse("aar"), PERIOD_YEAR);
    assert_int_equal(followup_period_kind_parse("T1"), -1);
    assert_int_equal(followup_period_kind_parse(""), -1);
    assert_int_equal(followup_period_kind_parse(NULL), -1);
    assert_int_equal(followup_period_kind_parse("t1 "), -1);
    assert_string_equal(followup_period_label(PERIOD_T1), "1. tertial");
    assert_string_equal(followup_period_label(PERIOD_T2), "2. tertial");
    assert_string_equal(followup_period_label(PERIOD_YEAR), "Årsrapport");
}

static void test_period_compare(void **state)
{
    (void)state;
    followup_period order[] = {{2025, PERIOD_T1}, {2025, PERIOD_T2}, {2025, PERIOD_YEAR},
                               {2026, PERIOD_T1}, {2026, PERIOD_T2}, {2026, PERIOD_YEAR},
                               {2100, PERIOD_T1}};
    size_t n = PV_ARRAY_LEN(order);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int c = followup_period_compare(order[i], order[j]);
            int want = (i > j) - (i < j);
            if ((c > 0) - (c < 0) != want)
                fail_msg("compare(%zu, %zu) = %d", i, j, c);
        }
}

/* ---- statuses ------------------------------------------------------------------------- */

static void test_statuses_and_labels(void **state)
{
    (void)state;
    const char *want[] = {"ikke startet", "i rute", "forsinket", "fullført", "avbrutt",
                          "utsatt"};
    const char *labels[] = {"Ikke startet", "I rute", "Forsinket", "Fullført", "Avbrutt",
                            "Utsatt"};
    size_t n = 0;
    while (followup_statuses[n])
        n++;
    assert_int_equal(n, PV_ARRAY_LEN(want));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(followup_statuses[i], want[i]);
        assert_true(followup_status_valid(want[i]));
        assert_string_equal(followup_status_label(want[i]), labels[i]);
    }
    const char *bad[] = {"", "Ikke startet", "ferdig", "fullfort", "i rute ", NULL};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++) {
        assert_false(followup_status_valid(bad[i]));
        assert_null(followup_status_label(bad[i]));
    }
    assert_true(followup_status_ended("fullført"));
    assert_true(followup_status_ended("avbrutt"));
    assert_false(followup_status_ended("utsatt"));
    assert_false(followup_status_ended("i rute"));
    assert_false(followup_status_ended("forsinket"));
    assert_false(followup_status_ended("ikke startet"));
    assert_false(followup_status_ended(NULL));
}

/* The whole matrix: rows are `from` (NULL first), columns `to`, in followup_statuses order.
 * 1 = allowed. */
static void test_status_change_matrix(void **state)
{
    (void)state;
    const char *from[] = {NULL, "ikke startet", "i rute", "forsinket", "fullført", "avbrutt",
                          "utsatt"};
    static const int allowed[7][6] = {
        /*             ikke  rute  fors  full  avbr  utsa */
        /* none    */ {1, 1, 1, 1, 1, 1},
        /* ikke st */ {1, 1, 1, 1, 1, 1},
        /* i rute  */ {0, 1, 1, 1, 1, 1},
        /* forsink */ {0, 1, 1, 1, 1, 1},
        /* fullført*/ {0, 0, 0, 1, 0, 0},
        /* avbrutt */ {0, 0, 0, 0, 1, 0},
        /* utsatt  */ {1, 1, 1, 1, 1, 1},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(from); i++)
        for (size_t j = 0; followup_statuses[j]; j++) {
            const char *why = followup_status_change_error(from[i], followup_statuses[j]);
            if ((why == NULL) != (allowed[i][j] == 1))
                fail_msg("%s → %s: %s", from[i] ? from[i] : "(none)", followup_statuses[j],
                         why ? why : "allowed");
        }
    /* the messages say why */
    assert_non_null(strstr(followup_status_change_error("fullført", "i rute"), "fullført"));
    assert_non_null(strstr(followup_status_change_error("avbrutt", "i rute"), "avbrutt"));
    assert_non_null(
        strstr(followup_status_change_error("i rute", "ikke startet"), "Ikke startet"));
    /* an unknown target is refused, whatever the source */
    assert_non_null(followup_status_change_error(NULL, "ferdig"));
    assert_non_null(followup_status_change_error("i rute", NULL));
    assert_non_null(followup_status_change_error("utsatt", ""));
}

/* ---- reports -------------------------------------------------------------------------- */

static void check_report(const char *prev, const char *status, int progress,
                         const char *comment, const char *want_field)
{
    const char *field = "untouched";
    const char *why = followup_report_error(prev, status, progress, comment, &field);
    if (!want_field) {
        if (why)
            fail_msg("%s/%d refused: %s (%s)", status ? status : "(null)", progress, why,
                     field ? field : "");
        return;
    }
    if (!why)
        fail_msg("%s/%d accepted, expected an error on %s", status ? status : "(null)",
                 progress, want_field);
    assert_non_null(field);
    assert_string_equal(field, want_field);
}

static void test_report_validation(void **state)
{
    (void)state;
    check_report(NULL, "i rute", 40, "Godt i gang.", NULL);
    check_report(NULL, "i rute", -1, NULL, NULL);
    check_report(NULL, "i rute", 0, "", NULL);
    check_report(NULL, "i rute", 100, NULL, NULL);
    check_report(NULL, "fullført", 100, NULL, NULL);
    check_report(NULL, "fullført", -1, NULL, NULL);
    check_report(NULL, "ikke startet", 0, NULL, NULL);
    check_report(NULL, "ikke startet", -1, NULL, NULL);
    check_report("i rute", "forsinket", 30, "Forsinket på grunn av anbud.", NULL);
    check_report(NULL, "avbrutt", 20, NULL, NULL);
    check_report(NULL, "utsatt", 0, NULL, NULL);
    /* status */
    check_report(NULL, "ferdig", 50, NULL, "status");
    check_report(NULL, NULL, 50, NULL, "status");
    check_report("fullført", "i rute", 50, NULL, "status");
    check_report("i rute", "ikke startet", 0, NULL, "status");
    /* progress */
    check_report(NULL, "i rute", 101, NULL, "progress");
    check_report(NULL, "i rute", -2, NULL, "progress");
    check_report(NULL, "fullført", 99, NULL, "progress");
    check_report(NULL, "fullført", 0, NULL, "progress");
    check_report(NULL, "ikke startet", 1, NULL, "progress");
    check_report(NULL, "ikke startet", 100, NULL, "progress");
    /* comment: 2000 bytes fit, 2001 do not; æ counts as two */
    char comment[FOLLOWUP_COMMENT_MAX + 2];
    memset(comment, 'a', FOLLOWUP_COMMENT_MAX);
    comment[FOLLOWUP_COMMENT_MAX] = '\0';
    check_report(NULL, "i rute", 50, comment, NULL);
    comment[FOLLOWUP_COMMENT_MAX] = 'a';
    comment[FOLLOWUP_COMMENT_MAX + 1] = '\0';
    check_report(NULL, "i rute", 50, comment, "comment");
    memset(comment, 'a', FOLLOWUP_COMMENT_MAX - 1);
    memcpy(comment + FOLLOWUP_COMMENT_MAX - 1, "\xC3\xA6", 3); /* 1999 + 2 bytes = 2001 */
    check_report(NULL, "i rute", 50, comment, "comment");
    check_report(NULL, "i rute", 50, "bl\xE5" "b\xE6" "r", "comment");     /* Latin-1 */
    check_report(NULL, "i rute", 50, "\xC0\xAF", "comment");         /* overlong */
    check_report(NULL, "i rute", 50, "\xED\xA0\x80", "comment");     /* surrogate */
    check_report(NULL, "i rute", 50, "Blåbær og «sitat»", NULL);
    /* the status is named first when several fields are wrong */
    check_report("fullført", "i rute", 500, "\xff", "status");
    check_report(NULL, "i rute", 500, "\xff", "progress");
    /* field may be NULL */
    assert_non_null(followup_report_error(NULL, "i rute", 101, NULL, NULL));
    /* on success the field is cleared */
    const char *field = "x";
    assert_null(followup_report_error(NULL, "i rute", 1, NULL, &field));
    assert_null(field);
}

/* ---- overdue and revision ------------------------------------------------------------- */

static void test_overdue(void **state)
{
    (void)state;
    pv_date today = day(2026, 3, 15);
    assert_false(followup_overdue(NULL, "i rute", today));
    assert_false(followup_overdue("", "i rute", today));
    assert_false(followup_overdue("ikke en dato", NULL, today));
    assert_false(followup_overdue("2026-03-15", "i rute", today)); /* today: not yet */
    assert_false(followup_overdue("2026-03-16", "i rute", today));
    assert_true(followup_overdue("2026-03-14", "i rute", today)); /* yesterday */
    assert_true(followup_overdue("2026-03-14", NULL, today));     /* no report yet */
    assert_true(followup_overdue("2025-12-31", "forsinket", today));
    assert_true(followup_overdue("2025-12-31", "utsatt", today));
    assert_true(followup_overdue("2025-12-31", "ikke startet", today));
    assert_false(followup_overdue("2025-12-31", "fullført", today));
    assert_false(followup_overdue("2025-12-31", "avbrutt", today));
    /* across a year end and a leap day */
    assert_true(followup_overdue("2025-12-31", "i rute", day(2026, 1, 1)));
    assert_false(followup_overdue("2024-02-29", "i rute", day(2024, 2, 29)));
    assert_true(followup_overdue("2024-02-29", "i rute", day(2024, 3, 1)));
}

static void test_revision_due(void **state)
{
    (void)state;
    pv_date today = day(2026, 6, 1);
    assert_false(followup_revision_due(0, today));
    assert_false(followup_revision_due(-1, today));
    assert_false(followup_revision_due(2026, today)); /* this year: not yet past */
    assert_false(followup_revision_due(2027, today));
    assert_true(followup_revision_due(2025, today));
    assert_true(followup_revision_due(2020, day(2026, 1, 1)));
}

/* ---- indicators ----------------------------------------------------------------------- */

#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)

/* Heltid in helse og mestring: 33,5 % today (no year given, so the first reading is the
 * start), target more than 50 % by 2024. */
static void test_track_full_time_share(void **state)
{
    (void)state;
    indicator_goal g = {.comparator = ">", .has_baseline = false, .baseline_value = 33.5,
                        .has_target = true, .target_value = 50, .target_year = 2024};
    /* no readings: nothing known but the direction */
    indicator_track t = followup_indicator_track(&g, NULL, 0);
    assert_false(t.has_latest);
    assert_false(t.has_path);
    assert_false(t.behind);
    assert_false(t.met);
    assert_int_equal(t.direction, 1);

    /* one reading: the start itself, exactly on the path */
    followup_reading r[] = {{33.5, {2022, 12, 31}}, {40.0, {2023, 12, 31}},
                            {50.0, {2024, 12, 31}}, {50.5, {2024, 12, 31}}};
    t = followup_indicator_track(&g, r, 1);
    assert_true(t.has_latest);
    assert_true(t.has_path);
    assert_true(NEAR(t.latest, 33.5));
    assert_true(NEAR(t.expected, 33.5));
    assert_false(t.behind);
    assert_false(t.met);
    /* the stated baseline without a year is not a start */
    assert_false(followup_indicator_track(&g, NULL, 0).has_path);
}

static void test_track_full_time_share_behind(void **state)
{
    (void)state;
    indicator_goal g = {.comparator = ">", .has_target = true, .target_value = 50,
                        .target_year = 2024};
    followup_reading r[] = {{33.5, {2022, 12, 31}}, {40.0, {2023, 12, 31}},
                            {50.0, {2024, 12, 31}}, {50.5, {2024, 12, 31}}};
    /* a year later (365 of the 731 days to the end of 2024): 41.74 expected, 40 is behind */
    double expect = 33.5 + 16.5 * 365.0 / 731.0;
    indicator_track t = followup_indicator_track(&g, r, 2);
    assert_true(NEAR(t.expected, expect));
    assert_true(t.behind);
    assert_false(t.met);
    /* 50 exactly on the target day: on the path, but «more than 50» is not met */
    t = followup_indicator_track(&g, r, 3);
    assert_true(NEAR(t.expected, 50));
    assert_false(t.behind);
    assert_false(t.met);
    t = followup_indicator_track(&g, r, 4);
    assert_true(t.met);
    assert_false(t.behind);
    assert_true(NEAR(t.latest, 50.5));
    assert_int_equal(t.latest_date.year, 2024);
}

/* Emissions: reduced by 0 % in 2016, 60 % by 2030 (no comparator: up, as 60 > 0). */
static void test_track_emissions(void **state)
{
    (void)state;
    indicator_goal g = {.comparator = NULL, .has_baseline = true, .baseline_value = 0,
                        .baseline_year = 2016, .has_target = true, .target_value = 60,
                        .target_year = 2030};
    /* 2023-12-31 is 7 of 14 years along: the path expects 30 % (in days: 2556 of 5113) */
    double frac = 2556.0 / 5113.0;
    followup_reading behind[] = {{12, {2020, 12, 31}}, {25, {2023, 12, 31}}};
    indicator_track t = followup_indicator_track(&g, behind, 2);
    assert_int_equal(t.direction, 1);
    assert_true(t.has_path);
    assert_true(NEAR(t.expected, 60 * frac));
    assert_true(t.behind);
    assert_false(t.met);
    followup_reading ahead[] = {{31, {2023, 12, 31}}};
    t = followup_indicator_track(&g, ahead, 1);
    assert_false(t.behind);
    assert_false(t.met);
    /* before the baseline's day the path expects the baseline; after the target's, the target */
    followup_reading early[] = {{0, {2016, 6, 1}}};
    t = followup_indicator_track(&g, early, 1);
    assert_true(NEAR(t.expected, 0));
    assert_false(t.behind);
    followup_reading late[] = {{59, {2031, 6, 1}}};
    t = followup_indicator_track(&g, late, 1);
    assert_true(NEAR(t.expected, 60));
    assert_true(t.behind);
    assert_false(t.met);
    followup_reading done[] = {{60, {2029, 1, 1}}};
    t = followup_indicator_track(&g, done, 1);
    assert_true(t.met);
    assert_false(t.behind);
}

/* A '<' target: sick leave below 7 % by 2027 from 9 % in 2024 (lower is better). */
static void test_track_less_than(void **state)
{
    (void)state;
    indicator_goal g = {.comparator = "<", .has_baseline = true, .baseline_value = 9,
                        .baseline_year = 2024, .has_target = true, .target_value = 7,
                        .target_year = 2027};
    followup_reading r[] = {{8.9, {2025, 12, 31}}};
    indicator_track t = followup_indicator_track(&g, r, 1);
    assert_int_equal(t.direction, -1);
    assert_true(NEAR(t.expected, 9 - 2 * 365.0 / 1095.0)); /* 8.33 */
    assert_true(t.behind);
    assert_false(t.met);
    followup_reading good[] = {{8.0, {2025, 12, 31}}};
    t = followup_indicator_track(&g, good, 1);
    assert_false(t.behind);
    followup_reading at[] = {{7.0, {2027, 12, 31}}};
    t = followup_indicator_track(&g, at, 1);
    assert_false(t.met); /* strictly below */
    assert_false(t.behind);
    followup_reading below[] = {{6.9, {2027, 12, 31}}};
    t = followup_indicator_track(&g, below, 1);
    assert_true(t.met);
    /* '<=' meets at equality */
    g.comparator = "<=";
    t = followup_indicator_track(&g, at, 1);
    assert_true(t.met);
    /* a '<' comparator rules the direction even when the target is above the start */
    indicator_goal up = {.comparator = "<", .has_baseline = true, .baseline_value = 5,
                         .baseline_year = 2024, .has_target = true, .target_value = 7,
                         .target_year = 2027};
    t = followup_indicator_track(&up, good, 1);
    assert_int_equal(t.direction, -1);
}

/* Lærlinger: at least 2 per 1000, no year: no path, but met or not. */
static void test_track_no_target_year(void **state)
{
    (void)state;
    indicator_goal g = {.comparator = ">=", .has_target = true, .target_value = 2};
    followup_reading r[] = {{1.4, {2023, 12, 31}}, {1.8, {2024, 12, 31}}};
    indicator_track t = followup_indicator_track(&g, r, 2);
    assert_true(t.has_latest);
    assert_false(t.has_path);
    assert_false(t.behind);
    assert_false(t.met);
    assert_int_equal(t.direction, 1);
    followup_reading r2[] = {{2.0, {2025, 12, 31}}};
    t = followup_indicator_track(&g, r2, 1);
    assert_true(t.met);
    /* no comparator, no year: the direction comes from the first reading to the target */
    indicator_goal h = {.has_target = true, .target_value = 100};
    followup_reading r3[] = {{80, {2023, 1, 1}}, {85, {2024, 1, 1}}};
    t = followup_indicator_track(&h, r3, 2);
    assert_int_equal(t.direction, 1);
    assert_false(t.has_path);
    assert_false(t.met);
    followup_reading r4[] = {{120, {2023, 1, 1}}, {101, {2024, 1, 1}}};
    t = followup_indicator_track(&h, r4, 2);
    assert_int_equal(t.direction, -1);
    assert_false(t.met);
}

static void test_track_edge_cases(void **state)
{
    (void)state;
    /* no goal at all */
    followup_reading r[] = {{3, {2024, 1, 1}}};
    indicator_track t = followup_indicator_track(NULL, r, 1);
    assert_true(t.has_latest);
    assert_false(t.has_path);
    assert_int_equal(t.direction, 0);
    /* no target */
    indicator_goal g = {.comparator = ">", .has_baseline = true, .baseline_value = 1,
                        .baseline_year = 2020};
    t = followup_indicator_track(&g, r, 1);
    assert_false(t.has_path);
    assert_false(t.met);
    assert_int_equal(t.direction, 1);
    /* start equals the target and no comparator: direction unknown, never behind */
    indicator_goal same = {.has_baseline = true, .baseline_value = 13, .baseline_year = 2022,
                           .has_target = true, .target_value = 13, .target_year = 2024};
    followup_reading r13[] = {{12, {2023, 6, 1}}};
    t = followup_indicator_track(&same, r13, 1);
    assert_int_equal(t.direction, 0);
    assert_true(t.has_path);
    assert_false(t.behind);
    assert_false(t.met);
    /* the start's day on or after the target's day: the path is the target (no division by 0) */
    indicator_goal late = {.has_baseline = true, .baseline_value = 0, .baseline_year = 2024,
                           .has_target = true, .target_value = 13, .target_year = 2024};
    followup_reading r10[] = {{10, {2024, 12, 31}}};
    t = followup_indicator_track(&late, r10, 1);
    assert_true(isfinite(t.expected));
    assert_true(NEAR(t.expected, 13));
    assert_true(t.behind);
    /* the first reading after the target year */
    indicator_goal tavler = {.has_target = true, .target_value = 13, .target_year = 2023};
    followup_reading r2[] = {{5, {2025, 1, 1}}, {6, {2025, 6, 1}}};
    t = followup_indicator_track(&tavler, r2, 2);
    assert_true(isfinite(t.expected));
    assert_true(NEAR(t.expected, 13));
    assert_true(t.behind);
    /* a met target is not behind even if the path (falling from above) expects more */
    indicator_goal above = {.comparator = ">", .has_baseline = true, .baseline_value = 60,
                            .baseline_year = 2020, .has_target = true, .target_value = 50,
                            .target_year = 2030};
    followup_reading r55[] = {{51, {2021, 12, 31}}};
    t = followup_indicator_track(&above, r55, 1);
    assert_true(t.met);
    assert_false(t.behind);
}

/* ---- readings ------------------------------------------------------------------------- */

static void check_reading(double value, bool given, const char *date, const char *source,
                          const char *note, const char *want_field)
{
    const char *field = "untouched";
    const char *why = followup_reading_error(value, given, date, source, note,
                                             day(2026, 3, 15), &field);
    if (!want_field) {
        if (why)
            fail_msg("refused %s/%s: %s", date ? date : "", source ? source : "", why);
        assert_null(field);
        return;
    }
    if (!why)
        fail_msg("accepted %s/%s, expected an error on %s", date ? date : "",
                 source ? source : "", want_field);
    assert_string_equal(field, want_field);
}

static void test_reading_validation(void **state)
{
    (void)state;
    check_reading(33.5, true, "2025-12-31", "Helse og mestring, årsrapport 2025", NULL, NULL);
    check_reading(-4, true, "2026-03-15", "SSB", "Foreløpig tall.", NULL); /* today */
    check_reading(0, true, "2024-02-29", "SSB", "", NULL);
    check_reading(0, false, "2025-12-31", "SSB", NULL, "value");
    check_reading(NAN, true, "2025-12-31", "SSB", NULL, "value");
    check_reading(INFINITY, true, "2025-12-31", "SSB", NULL, "value");
    check_reading(1, true, NULL, "SSB", NULL, "date");
    check_reading(1, true, "", "SSB", NULL, "date");
    check_reading(1, true, "2026-03-16", "SSB", NULL, "date"); /* tomorrow */
    check_reading(1, true, "2025-02-29", "SSB", NULL, "date");
    check_reading(1, true, "31.12.2025", "SSB", NULL, "date");
    check_reading(1, true, "2025-12-31", NULL, NULL, "source");
    check_reading(1, true, "2025-12-31", "", NULL, "source");
    check_reading(1, true, "2025-12-31", "S\xE9", NULL, "source");
    char text[READING_NOTE_MAX + 2];
    memset(text, 'x', READING_SOURCE_MAX);
    text[READING_SOURCE_MAX] = '\0';
    check_reading(1, true, "2025-12-31", text, NULL, NULL);
    text[READING_SOURCE_MAX] = 'x';
    text[READING_SOURCE_MAX + 1] = '\0';
    check_reading(1, true, "2025-12-31", text, NULL, "source");
    memset(text, 'x', READING_NOTE_MAX);
    text[READING_NOTE_MAX] = '\0';
    check_reading(1, true, "2025-12-31", "SSB", text, NULL);
    text[READING_NOTE_MAX] = 'x';
    text[READING_NOTE_MAX + 1] = '\0';
    check_reading(1, true, "2025-12-31", "SSB", text, "note");
    check_reading(1, true, "2025-12-31", "SSB", "\xC3", "note");
    /* field may be NULL */
    assert_non_null(followup_reading_error(0, false, NULL, NULL, NULL, day(2026, 1, 1), NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_of_boundaries),
        cmocka_unit_test(test_period_bounds_and_opens),
        cmocka_unit_test(test_period_parse_format),
        cmocka_unit_test(test_period_codes_labels),
        cmocka_unit_test(test_period_compare),
        cmocka_unit_test(test_statuses_and_labels),
        cmocka_unit_test(test_status_change_matrix),
        cmocka_unit_test(test_report_validation),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_revision_due),
        cmocka_unit_test(test_track_full_time_share),
        cmocka_unit_test(test_track_full_time_share_behind),
        cmocka_unit_test(test_track_emissions),
        cmocka_unit_test(test_track_less_than),
        cmocka_unit_test(test_track_no_target_year),
        cmocka_unit_test(test_track_edge_cases),
        cmocka_unit_test(test_reading_validation),
    };
    return cmocka_run_group_tests_name("followup", tests, NULL, NULL) ? 1 : 0;
}
