/* Unit tests for the shape check of JSON bodies: depth, keys per object and values, each at
 * and past its limit, and strings whose escapes or brackets must not be miscounted.
 * Layer: tests (http). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/json_shape.h"

static json_shape_error check(const char *s)
{
    return json_shape_check(s, strlen(s));
}

static void test_plain_bodies(void **state)
{
    (void)state;
    assert_int_equal(check(""), JSON_SHAPE_OK);
    assert_int_equal(check("{}"), JSON_SHAPE_OK);
    assert_int_equal(check("{\"text\": \"hei\", \"themes\": [\"bolig\", \"eldre\"], \"n\": -1.5e3}"),
                     JSON_SHAPE_OK);
    assert_int_equal(check(" [ true , false , null ] "), JSON_SHAPE_OK);
    /* brackets, quotes and colons inside strings are text */
    assert_int_equal(check("{\"a\": \"{[}]: , \\\" \\\\\"}"), JSON_SHAPE_OK);
}

static void test_broken(void **state)
{
    (void)state;
    assert_int_equal(check("{"), JSON_SHAPE_BROKEN);
    assert_int_equal(check("{]"), JSON_SHAPE_BROKEN);
    assert_int_equal(check("[}"), JSON_SHAPE_BROKEN);
    assert_int_equal(check("}"), JSON_SHAPE_BROKEN);
    assert_int_equal(check("{\"a\": \"not ended}"), JSON_SHAPE_BROKEN);
    assert_int_equal(check("\"ends in an escape\\"), JSON_SHAPE_BROKEN);
}

/* n arrays nested in each other. */
static json_shape_error nested(size_t n)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_putc(&b, ']');
    json_shape_error e = json_shape_check(b.data, b.len);
    buf_finish(&b);
    return e;
}

static void test_depth(void **state)
{
    (void)state;
    assert_int_equal(nested(JSON_MAX_DEPTH), JSON_SHAPE_OK);
    assert_int_equal(nested(JSON_MAX_DEPTH + 1), JSON_SHAPE_DEPTH);
    assert_int_equal(nested(100000), JSON_SHAPE_DEPTH);
}

/* An object of n keys, each with value, and optionally the same object nested once. */
static json_shape_error object_of(size_t n, const char *value)
{
    buf b = BUF_INIT;
    buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s\"k%zu\":%s", i ? "," : "", i, value);
    buf_putc(&b, '}');
    json_shape_error e = json_shape_check(b.data, b.len);
    buf_finish(&b);
    return e;
}

static void test_keys(void **state)
{
    (void)state;
    assert_int_equal(object_of(JSON_MAX_KEYS, "0"), JSON_SHAPE_OK);
    assert_int_equal(object_of(JSON_MAX_KEYS + 1, "0"), JSON_SHAPE_KEYS);
    assert_int_equal(object_of(60000, "0"), JSON_SHAPE_KEYS);
    /* string values are values, not keys */
    assert_int_equal(object_of(JSON_MAX_KEYS, "\"v\""), JSON_SHAPE_OK);
    /* keys are counted per object: two objects of the most keys each pass */
    buf b = BUF_INIT;
    buf_puts(&b, "[{");
    for (size_t i = 0; i < JSON_MAX_KEYS; i++)
        buf_printf(&b, "%s\"k%zu\":{\"inner\":1}", i ? "," : "", i);
    buf_puts(&b, "},{");
    for (size_t i = 0; i < JSON_MAX_KEYS; i++)
        buf_printf(&b, "%s\"k%zu\":1", i ? "," : "", i);
    buf_puts(&b, "}]");
    assert_int_equal(json_shape_check(b.data, b.len), JSON_SHAPE_OK);
    buf_finish(&b);
}

static json_shape_error array_of(size_t n, const char *value)
{
    buf b = BUF_INIT;
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%s", i ? "," : "", value);
    buf_putc(&b, ']');
    json_shape_error e = json_shape_check(b.data, b.len);
    buf_finish(&b);
    return e;
}

static void test_values(void **state)
{
    (void)state;
    /* the array itself is one value */
    assert_int_equal(array_of(JSON_MAX_VALUES - 1, "1"), JSON_SHAPE_OK);
    assert_int_equal(array_of(JSON_MAX_VALUES, "1"), JSON_SHAPE_VALUES);
    assert_int_equal(array_of(JSON_MAX_VALUES, "\"s\""), JSON_SHAPE_VALUES);
    assert_int_equal(array_of(JSON_MAX_VALUES / 2, "[]"), JSON_SHAPE_OK);
    assert_int_equal(array_of(JSON_MAX_VALUES, "{}"), JSON_SHAPE_VALUES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_bodies),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
