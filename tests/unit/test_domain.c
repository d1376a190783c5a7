/* Unit tests for the pure plan rules (ids, slugs, revision years, the four headings) and the
 * yearly cost sums of measures, ending with the key fact of the Leve hele livet plan: its
 * tiltak cost 3 910, 2 960, 3 090 and 3 610 thousand NOK in 2023–2026.
 * Layer: tests (domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/costs.h"
#include "domain/plan.h"

#define NBSP "\xC2\xA0"

/* ---- plan ids and slugs --------------------------------------------------------------- */

static void test_plan_id_valid(void **state)
{
    (void)state;
    const char *good[] = {"a", "0", "leve-hele-livet", "kommuneplanens-samfunnsdel", "2024-plan",
                          "a-b-c", "a--b"};
    for (size_t i = 0; i < PV_ARRAY_LEN(good); i++)
        if (!plan_id_valid(good[i]))
            fail_msg("plan_id_valid refused \"%s\"", good[i]);
    const char *bad[] = {"", "-a", "-", "Hei Hå", "hei hå", "Leve", "a_b", "a.b", "a/b", "a b",
                         "æøå", "a\n", " a", "a%20b", "../x"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (plan_id_valid(bad[i]))
            fail_msg("plan_id_valid accepted \"%s\"", bad[i]);
    char id[PLAN_ID_MAX + 2];
    memset(id, 'a', sizeof id);
    id[PLAN_ID_MAX] = '\0';
    assert_true(plan_id_valid(id)); /* exactly the maximum */
    id[PLAN_ID_MAX] = 'a';
    id[PLAN_ID_MAX + 1] = '\0';
    assert_false(plan_id_valid(id));
}

static void check_slug(const char *name, const char *expected)
{
    buf b = BUF_INIT;
    plan_slugify(name, &b);
    if (strcmp(buf_cstr(&b), expected) != 0)
        fail_msg("plan_slugify(\"%s\") = \"%s\", expected \"%s\"", name, buf_cstr(&b), expected);
    buf_finish(&b);
}

static void test_plan_slugify(void **state)
{
    (void)state;
    check_slug("Areal og transport", "areal-og-transport");
    check_slug("Levekår, folkehelse og livskvalitet", "levekar-folkehelse-og-livskvalitet");
    check_slug("Natur, klima og miljø", "natur-klima-og-miljo");
    check_slug("Samarbeid for å nå målene - innbyggerdialog, medvirkning, frivillighet og "
               "samarbeid",
               "samarbeid-for-a-na-malene-innbyggerdialog-medvirkning-frivillighet-og-samarbeid");
    check_slug("Samarbeid for å nå målene - …", "samarbeid-for-a-na-malene");
    check_slug("Utdanning, kultur, aktivitet", "utdanning-kultur-aktivitet");
    check_slug("Łódź og Gdańsk", "lodz-og-gdansk"); /* Latin Extended-A to base letters */
    check_slug("Žemaitija ąčęėįšųūž", "zemaitija-aceeisuuz");
    check_slug("Moss kommune som organisasjon og arbeidsgiver",
               "moss-kommune-som-organisasjon-og-arbeidsgiver");
    check_slug("ÆRLIG Østre ÅS", "aerlig-ostre-as");
    check_slug("Café Crème Über Señor", "cafe-creme-uber-senor");
    check_slug("  --Plan 2024--  ", "plan-2024");
    check_slug("Plan (LOLL) – «utkast»", "plan-loll-utkast");
    check_slug("", "");
    check_slug("!!!", "");
    /* Appends: what was in the buffer stays. */
    buf b = BUF_INIT;
    buf_puts(&b, "x:");
    plan_slugify("Ny plan", &b);
    assert_string_equal(buf_cstr(&b), "x:ny-plan");
    buf_finish(&b);
}

static void test_plan_slugify_is_a_valid_id(void **state)
{
    (void)state;
    /* Long names are cut at PLAN_ID_MAX, also when the cut falls in "ae". */
    char name[400];
    for (size_t shift = 0; shift < 3; shift++) {
        size_t o = 0;
        for (size_t i = 0; i < 99 + shift; i++)
            name[o++] = 'a';
        memcpy(name + o, "Æ Æ Æ", strlen("Æ Æ Æ") + 1);
        buf b = BUF_INIT;
        plan_slugify(name, &b);
        assert_true(b.len <= PLAN_ID_MAX);
        assert_true(plan_id_valid(buf_cstr(&b)));
        buf_finish(&b);
    }
    for (size_t i = 0; i < 390; i += 2)
        name[i] = 'o', name[i + 1] = ' ';
    name[390] = '\0';
    buf b = BUF_INIT;
    plan_slugify(name, &b);
    /* "o-o-…" cut at 100 would end in '-': the dash goes, so 99 remain. */
    size_t len = b.len;
    bool valid = plan_id_valid(buf_cstr(&b)) && b.data[b.len - 1] != '-';
    buf_finish(&b);
    assert_int_equal(len, PLAN_ID_MAX - 1);
    assert_true(valid);
}

static void test_plan_next_revision(void **state)
{
    (void)state;
    assert_int_equal(plan_next_revision(2020, 2026), 2026); /* stated wins */
    assert_int_equal(plan_next_revision(2020, 2022), 2022); /* even when sooner */
    assert_int_equal(plan_next_revision(0, 2027), 2027);
    assert_int_equal(plan_next_revision(2020, 0), 2020 + PLAN_REVISION_YEARS);
    assert_int_equal(plan_next_revision(2021, 0), 2025);
    assert_int_equal(plan_next_revision(0, 0), 0); /* unknown */
    assert_int_equal(plan_next_revision(-1, -1), 0);
}

static void test_plan_heading_for_kind(void **state)
{
    (void)state;
    assert_int_equal(plan_heading_for_kind("mål"), HEADING_SLIK_VIL_VI);
    assert_int_equal(plan_heading_for_kind("strategi"), HEADING_SLIK_KOMMER_VI);
    assert_int_equal(plan_heading_for_kind("tiltak"), HEADING_SLIK_GJOR_VI);
    assert_int_equal(plan_heading_for_kind("Tiltak"), -1);
    assert_int_equal(plan_heading_for_kind("mal"), -1);
    assert_int_equal(plan_heading_for_kind(""), -1);
    assert_int_equal(plan_heading_for_kind("superhovedmål"), -1);
    assert_string_equal(plan_heading_keys[HEADING_HER_ER_VI], "her_er_vi");
    assert_string_equal(plan_heading_keys[HEADING_SLIK_VIL_VI], "slik_vil_vi_ha_det");
    assert_string_equal(plan_heading_keys[HEADING_SLIK_KOMMER_VI], "slik_kommer_vi_dit");
    assert_string_equal(plan_heading_keys[HEADING_SLIK_GJOR_VI], "slik_gjor_vi_det");
}

/* ---- costs ---------------------------------------------------------------------------- */

/* Measures in the store's shape, with notes and gaps. */
static json_t *sample_measures(void)
{
    json_t *m = json_loads(
        "[{\"id\": \"a\", \"costs\": [{\"year\": 2024, \"amount\": 100, \"note\": null},"
        "                           {\"year\": 2023, \"amount\": 50, \"note\": null}]},"
        " {\"id\": \"b\", \"costs\": [{\"year\": 2023, \"amount\": null,"
        "                             \"note\": \"innenfor ramme\"},"
        "                           {\"year\": 2026, \"amount\": 7, \"note\": \"oppstart\"}]},"
        " {\"id\": \"c\", \"costs\": []},"
        " {\"id\": \"d\"},"
        " {\"id\": \"e\", \"costs\": [{\"year\": 2024, \"amount\": 3860, \"note\": null}]}]",
        0, NULL);
    assert_non_null(m);
    return m;
}

static void test_costs_years(void **state)
{
    (void)state;
    json_t *m = sample_measures();
    json_t *years = costs_years(m);
    json_t *expected = json_pack("[i, i, i]", 2023, 2024, 2026); /* ascending, unique */
    assert_true(json_equal(years, expected));
    json_decref(expected);
    json_decref(years);
    json_t *none = json_array();
    years = costs_years(none);
    assert_int_equal(json_array_size(years), 0);
    json_decref(years);
    json_decref(none);
    json_decref(m);
}

static void test_costs_sum(void **state)
{
    (void)state;
    json_t *m = sample_measures();
    json_t *years = costs_years(m);
    json_t *sums = costs_sum(m, years);
    /* A note-only year counts as zero; 2026 has an amount beside its note. */
    json_t *expected = json_loads("[{\"year\": 2023, \"amount\": 50},"
                                  " {\"year\": 2024, \"amount\": 3960},"
                                  " {\"year\": 2026, \"amount\": 7}]", 0, NULL);
    if (!json_equal(sums, expected)) {
        char got[512];
        json_dumpb(sums, got, sizeof got - 1, 0);
        got[sizeof got - 1] = '\0';
        fail_msg("costs_sum gave %.200s", got);
    }
    json_decref(expected);
    json_decref(sums);
    /* A year no measure has sums to 0. */
    json_t *other = json_pack("[i]", 2030);
    sums = costs_sum(m, other);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(sums, 0), "amount")), 0);
    json_decref(sums);
    json_decref(other);
    json_decref(years);
    json_decref(m);
}

static void test_costs_row(void **state)
{
    (void)state;
    json_t *m = sample_measures();
    json_t *years = costs_years(m);
    json_t *row = costs_row(json_array_get(m, 1), years);
    json_t *expected = json_loads(
        "[{\"year\": 2023, \"amount\": null, \"note\": \"innenfor ramme\"},"
        " {\"year\": 2024, \"amount\": null, \"note\": null},"
        " {\"year\": 2026, \"amount\": 7, \"note\": \"oppstart\"}]", 0, NULL);
    assert_true(json_equal(row, expected));
    json_decref(expected);
    json_decref(row);
    row = costs_row(json_array_get(m, 3), years); /* no costs at all */
    assert_int_equal(json_array_size(row), 3);
    assert_true(json_is_null(json_object_get(json_array_get(row, 0), "amount")));
    json_decref(row);
    json_decref(years);
    json_decref(m);
}

static void check_format(long long amount, const char *expected)
{
    char out[64];
    costs_format(amount, out, sizeof out);
    if (strcmp(out, expected) != 0)
        fail_msg("costs_format(%lld) = \"%s\", expected \"%s\"", amount, out, expected);
}

static void test_costs_format(void **state)
{
    (void)state;
    check_format(3910, "3" NBSP "910");
    check_format(0, "0");
    check_format(7, "7");
    check_format(999, "999");
    check_format(1000, "1" NBSP "000");
    check_format(12345, "12" NBSP "345");
    check_format(100000, "100" NBSP "000");
    check_format(1000000, "1" NBSP "000" NBSP "000");
    check_format(-3910, "-3" NBSP "910");
    check_format(-999, "-999");
    check_format(-1000000, "-1" NBSP "000" NBSP "000");
    check_format(LLONG_MAX, "9" NBSP "223" NBSP "372" NBSP "036" NBSP "854" NBSP "775" NBSP "807");
    check_format(LLONG_MIN,
                 "-9" NBSP "223" NBSP "372" NBSP "036" NBSP "854" NBSP "775" NBSP "808");
}

static void test_costs_format_buffer_sizes(void **state)
{
    (void)state;
    /* The documented minimum of 32 bytes holds every positive amount, LLONG_MAX included. */
    char *out = malloc(32); /* on the heap, so AddressSanitizer sees the exact bounds */
    assert_non_null(out);
    costs_format(LLONG_MAX, out, 32);
    assert_string_equal(out, "9" NBSP "223" NBSP "372" NBSP "036" NBSP "854" NBSP "775" NBSP
                             "807");
    costs_format(-123456789012345678LL, out, 32);
    assert_string_equal(out, "-123" NBSP "456" NBSP "789" NBSP "012" NBSP "345" NBSP "678");
    /* LLONG_MIN needs 33 bytes: in 32 it is cut, but stays inside and NUL-terminated. */
    costs_format(LLONG_MIN, out, 32);
    assert_true(strlen(out) < 32);
    free(out);
    /* Smaller buffers are cut, never overrun, and never split a no-break space. */
    for (size_t size = 1; size < 12; size++) {
        char *small = malloc(size);
        assert_non_null(small);
        costs_format(-1234567, small, size);
        size_t len = strlen(small);
        assert_true(len < size);
        assert_false(len > 0 && (unsigned char)small[len - 1] == 0xC2);
        free(small);
    }
}

/* ---- the Leve hele livet cost table, from the real data ------------------------------- */

/* Turns a data/moss measure ({costs: {"2023": n|null}, cost_notes: {"2023": s|null}}) into the
 * store's shape {costs: [{year, amount, note}]}. */
static json_t *store_shape(json_t *measure)
{
    json_t *costs = json_object_get(measure, "costs");
    json_t *notes = json_object_get(measure, "cost_notes");
    json_t *cells = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(costs, key, v) {
        long year = strtol(key, NULL, 10);
        json_t *note = json_object_get(notes, key);
        json_array_append_new(cells, json_pack("{s:I, s:O, s:O}", "year", (json_int_t)year,
                                               "amount", v, "note", note ? note : json_null()));
    }
    json_object_foreach(notes, key, v) {
        if (json_object_get(costs, key))
            continue;
        long year = strtol(key, NULL, 10);
        json_array_append_new(cells, json_pack("{s:I, s:n, s:O}", "year", (json_int_t)year,
                                               "note", v));
    }
    return json_pack("{s:O, s:o}", "id", json_object_get(measure, "id"), "costs", cells);
}

static void test_leve_hele_livet_costs(void **state)
{
    (void)state;
    json_error_t je;
    json_t *all = json_load_file(PV_SOURCE_ROOT "/data/moss/measures.json", 0, &je);
    if (!all)
        fail_msg("measures.json: line %d: %s", je.line, je.text);
    json_t *tiltak = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(all, i, m) {
        const char *plan = json_string_value(json_object_get(m, "plan_id"));
        const char *kind = json_string_value(json_object_get(m, "kind"));
        if (plan && kind && !strcmp(plan, "leve-hele-livet") && !strcmp(kind, "tiltak"))
            json_array_append_new(tiltak, store_shape(m));
    }
    assert_int_equal(json_array_size(tiltak), 36);
    json_t *years = costs_years(tiltak);
    json_t *expected_years = json_pack("[i, i, i, i]", 2023, 2024, 2025, 2026);
    assert_true(json_equal(years, expected_years));
    json_t *sums = costs_sum(tiltak, years);
    static const long long expected[] = {3910, 2960, 3090, 3610};
    static const char *const formatted[] = {"3" NBSP "910", "2" NBSP "960", "3" NBSP "090",
                                            "3" NBSP "610"};
    assert_int_equal(json_array_size(sums), 4);
    for (size_t k = 0; k < 4; k++) {
        json_t *cell = json_array_get(sums, k);
        assert_int_equal(json_integer_value(json_object_get(cell, "year")), 2023 + (int)k);
        assert_int_equal(json_integer_value(json_object_get(cell, "amount")), expected[k]);
        char out[32];
        costs_format(json_integer_value(json_object_get(cell, "amount")), out, sizeof out);
        assert_string_equal(out, formatted[k]);
    }
    json_decref(sums);
    json_decref(expected_years);
    json_decref(years);
    json_decref(tiltak);
    json_decref(all);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_id_valid),
        cmocka_unit_test(test_plan_slugify),
        cmocka_unit_test(test_plan_slugify_is_a_valid_id),
        cmocka_unit_test(test_plan_next_revision),
        cmocka_unit_test(test_plan_heading_for_kind),
        cmocka_unit_test(test_costs_years),
        cmocka_unit_test(test_costs_sum),
        cmocka_unit_test(test_costs_row),
        cmocka_unit_test(test_costs_format),
        cmocka_unit_test(test_costs_format_buffer_sizes),
        cmocka_unit_test(test_leve_hele_livet_costs),
    };
    return cmocka_run_group_tests_name("domain", tests, NULL, NULL) ? 1 : 0;
}
