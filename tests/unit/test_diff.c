/* Unit tests for the audit trail's difference of two records (domain/diff.c): only fields
 * that changed, each as [before, after]; a missing field is the same as null; lists and
 * objects compare by value.
 * Layer: tests (domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/diff.h"

/* diff_fields(before, after) must equal the JSON text want. */
static void expect_diff(const char *before, const char *after, const char *want)
{
    json_t *b = before ? json_loads(before, 0, NULL) : NULL;
    json_t *a = after ? json_loads(after, 0, NULL) : NULL;
    json_t *w = json_loads(want, 0, NULL);
    assert_true((!before || b) && (!after || a) && w);
    json_t *got = diff_fields(b, a);
    char *text = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
    bool same = json_equal(got, w);
    char message[512];
    snprintf(message, sizeof message, "diff(%s, %s) = %s, expected %s", before ? before : "NULL",
             after ? after : "NULL", text, want);
    free(text);
    json_decref(got);
    json_decref(w);
    json_decref(a);
    json_decref(b);
    if (!same)
        fail_msg("%s", message);
}

static void test_nothing_changed(void **state)
{
    (void)state;
    expect_diff("{}", "{}", "{}");
    expect_diff("{\"a\": 1, \"b\": \"x\", \"c\": [1, 2]}", "{\"c\": [1, 2], \"b\": \"x\", \"a\": 1}", "{}");
    expect_diff("{\"a\": null}", "{}", "{}");
    expect_diff(NULL, NULL, "{}");
}

static void test_only_changed_fields(void **state)
{
    (void)state;
    expect_diff("{\"name\": \"A\", \"status\": \"vedtatt\", \"year\": 2023}",
                "{\"name\": \"A\", \"status\": \"utgått\", \"year\": 2023}",
                "{\"status\": [\"vedtatt\", \"utgått\"]}");
    expect_diff("{\"a\": 1, \"b\": 2}", "{\"a\": 2, \"b\": 1}", "{\"a\": [1, 2], \"b\": [2, 1]}");
}

static void test_added_and_removed(void **state)
{
    (void)state;
    expect_diff("{}", "{\"a\": \"x\"}", "{\"a\": [null, \"x\"]}");
    expect_diff("{\"a\": \"x\"}", "{}", "{\"a\": [\"x\", null]}");
    expect_diff("{\"a\": \"x\"}", "{\"a\": null}", "{\"a\": [\"x\", null]}");
    expect_diff(NULL, "{\"a\": 1}", "{\"a\": [null, 1]}");
    expect_diff("{\"a\": 1}", NULL, "{\"a\": [1, null]}");
}

static void test_values_compare_by_value(void **state)
{
    (void)state;
    expect_diff("{\"ids\": [\"a\", \"b\"]}", "{\"ids\": [\"a\"]}",
                "{\"ids\": [[\"a\", \"b\"], [\"a\"]]}");
    expect_diff("{\"ids\": [\"a\", \"b\"]}", "{\"ids\": [\"b\", \"a\"]}",
                "{\"ids\": [[\"a\", \"b\"], [\"b\", \"a\"]]}"); /* order is part of a list */
    expect_diff("{\"o\": {\"x\": 1}}", "{\"o\": {\"x\": 1}}", "{}");
    expect_diff("{\"flag\": false}", "{\"flag\": true}", "{\"flag\": [false, true]}");
    expect_diff("{\"n\": 1}", "{\"n\": \"1\"}", "{\"n\": [1, \"1\"]}");
    expect_diff("{\"t\": \"æøå\"}", "{\"t\": \"æøå \"}", "{\"t\": [\"æøå\", \"æøå \"]}");
}

static void test_inputs_are_not_changed(void **state)
{
    (void)state;
    json_t *before = json_pack("{s:s}", "a", "x"), *after = json_pack("{s:s}", "a", "y");
    json_t *d = diff_fields(before, after);
    assert_string_equal(json_string_value(json_object_get(before, "a")), "x");
    assert_string_equal(json_string_value(json_object_get(after, "a")), "y");
    assert_int_equal(json_object_size(d), 1);
    json_decref(d);
    json_decref(before);
    json_decref(after);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_changed),
        cmocka_unit_test(test_only_changed_fields),
        cmocka_unit_test(test_added_and_removed),
        cmocka_unit_test(test_values_compare_by_value),
        cmocka_unit_test(test_inputs_are_not_changed),
    };
    return cmocka_run_group_tests_name("diff", tests, NULL, NULL) ? 1 : 0;
}
