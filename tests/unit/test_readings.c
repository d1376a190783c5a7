/* Unit tests for indicator readings (store/readings.c with followup_reading_error): a reading
 * is checked before it is written (value, day, source, note), an unknown indicator is
 * refused, every accepted one writes one audit event, and the list comes oldest first.
 * Layer: tests (store, domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/followup.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/readings.h"
#include "fixture_db.h"

#define NOW 1780000000

typedef struct fixture {
    char dir[64];
    store *db;
} fixture;

static fixture *F;
static const actor WHO = {1, "planlegger@moss.kommune.no", "127.0.0.1"};
static const pv_date TODAY = {2026, 5, 10};

static const char SEED[] =
    "INSERT INTO user (id, email, name, created_at) VALUES"
    " (1, 'planlegger@moss.kommune.no', 'Plan Legger', 0);"
    "INSERT INTO indicator (id, text, unit, comparator, baseline_value, baseline_year,"
    " target_value, target_year, position) VALUES"
    " ('ind-a', 'Andel som trener', 'prosent', '>=', 30, 2022, 40, 2030, 1);";

static int setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->db = fixture_db_open(F->dir, sizeof F->dir, "/tmp/pv-readings-XXXXXX", "t.db", NULL, 0);
    return F->db && fixture_db_exec(F->db, SEED) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fixture_db_remove(F->db, F->dir);
    free(F);
    return 0;
}

static size_t count_events(void)
{
    json_t *list;
    audit_filter f = {.action = "reading.add", .limit = 500};
    assert_int_equal(store_audit_list(F->db, &f, &list), PV_OK);
    size_t n = json_array_size(list);
    json_decref(list);
    return n;
}

static size_t count_readings(void)
{
    json_t *list;
    assert_int_equal(store_readings(F->db, "ind-a", &list), PV_OK);
    size_t n = json_array_size(list);
    json_decref(list);
    return n;
}

/* Adds in; returns the rc and the field of the first error (or ""). */
static int add(reading_input in, const char **field)
{
    json_t *errors = json_array();
    int64_t id = 0;
    int rc = store_reading_add(F->db, &WHO, NOW, TODAY, "ind-a", &in, errors, &id);
    static char f[32];
    const char *name = json_string_value(json_object_get(json_array_get(errors, 0), "field"));
    snprintf(f, sizeof f, "%s", name ? name : "");
    *field = f;
    if (rc == 0)
        assert_true(id > 0);
    json_decref(errors);
    return rc;
}

static void refused_readings_write_nothing(void **state)
{
    (void)state;
    const char *field;
    size_t events = count_events();
    assert_int_equal(add((reading_input){0, false, "2025-01-01", "SSB", NULL}, &field), PV_EINVAL);
    assert_string_equal(field, "value");
    assert_int_equal(add((reading_input){33, true, "2025-02-30", "SSB", NULL}, &field), PV_EINVAL);
    assert_string_equal(field, "date");
    assert_int_equal(add((reading_input){33, true, "2027-01-01", "SSB", NULL}, &field), PV_EINVAL);
    assert_string_equal(field, "date"); /* after today */
    assert_int_equal(add((reading_input){33, true, "2025-01-01", "", NULL}, &field), PV_EINVAL);
    assert_string_equal(field, "source");
    char long_note[READING_NOTE_MAX + 2];
    memset(long_note, 'x', sizeof long_note - 1);
    long_note[sizeof long_note - 1] = '\0';
    assert_int_equal(add((reading_input){33, true, "2025-01-01", "SSB", long_note}, &field),
                     PV_EINVAL);
    assert_string_equal(field, "note");
    assert_int_equal(add((reading_input){33, true, "2025-01-01", "SSB\xff", NULL}, &field),
                     PV_EINVAL);
    assert_string_equal(field, "source");
    assert_int_equal(count_readings(), 0);
    assert_int_equal(count_events(), events);

    json_t *errors = json_array();
    int64_t id;
    reading_input ok = {33, true, "2025-01-01", "SSB", NULL};
    assert_int_equal(store_reading_add(F->db, &WHO, NOW, TODAY, "ind-ukjent", &ok, errors, &id),
                     PV_ENOTFOUND);
    json_decref(errors);
}

static void readings_listed_oldest_first(void **state)
{
    (void)state;
    const char *field;
    size_t events = count_events();
    assert_int_equal(add((reading_input){35.5, true, "2025-06-30", "Folkehelseprofil", "Ny metode"},
                         &field), PV_OK);
    assert_int_equal(add((reading_input){31, true, "2023-06-30", "Ungdata", NULL}, &field), PV_OK);
    assert_int_equal(add((reading_input){33, true, "2024-06-30", "Ungdata", ""}, &field), PV_OK);
    assert_int_equal(count_events(), events + 3);
    json_t *list;
    assert_int_equal(store_readings(F->db, "ind-a", &list), PV_OK);
    assert_int_equal(json_array_size(list), 3);
    static const char *const days[] = {"2023-06-30", "2024-06-30", "2025-06-30"};
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(list, i), "date")),
                            days[i]);
    json_t *last = json_array_get(list, 2);
    assert_true(json_is_real(json_object_get(last, "value")));
    assert_true(json_real_value(json_object_get(last, "value")) == 35.5);
    assert_string_equal(json_string_value(json_object_get(last, "note")), "Ny metode");
    assert_true(json_is_null(json_object_get(json_array_get(list, 1), "note")));
    json_decref(list);

    /* the audit event names the indicator and the values */
    audit_filter f = {.action = "reading.add", .limit = 1};
    assert_int_equal(store_audit_list(F->db, &f, &list), PV_OK);
    json_t *ev = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(ev, "object_id")), "ind-a");
    assert_string_equal(json_string_value(json_array_get(
                            json_object_get(json_object_get(ev, "changes"), "date"), 1)),
                        "2024-06-30");
    json_decref(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refused_readings_write_nothing),
        cmocka_unit_test(readings_listed_oldest_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
