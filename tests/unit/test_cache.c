/* Unit tests for the response cache: hits and misses by key and generation, the least
 * recently used entry evicted first under the byte cap and the entry cap, never the whole
 * cache at once, and bodies that stay valid for replies still being written.
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/cache.h"

static void put(response_cache *c, const char *key, uint64_t gen, size_t len)
{
    char *data = malloc(len ? len : 1);
    memset(data, 'x', len);
    http_body *b = http_body_create(data, len);
    cache_put(c, key, gen, &(cached_response){200, "text/html", b, "\"e\""});
    http_body_release(b);
}

static bool has(response_cache *c, const char *key, uint64_t gen)
{
    cached_response hit;
    return cache_get(c, key, gen, &hit);
}

static void test_hit_and_generation(void **state)
{
    (void)state;
    response_cache *c = cache_create(0);
    assert_false(has(c, "nb h /planer?", 1));
    put(c, "nb h /planer?", 1, 100);
    cached_response hit;
    assert_true(cache_get(c, "nb h /planer?", 1, &hit));
    assert_int_equal(http_body_len(hit.body), 100);
    assert_string_equal(hit.etag, "\"e\"");
    assert_false(has(c, "nb h /planer?", 2)); /* the data changed: a miss, and dropped */
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.bytes, 0);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 2);
    cache_destroy(c);
}

/* Under a flood of new keys the cache keeps its byte cap, evicts one by one from the least
 * recently used end, and keeps the page that is read between them. */
static void test_lru_under_byte_cap(void **state)
{
    (void)state;
    enum { CAP = 1 << 20, BODY = 10000 };
    response_cache *c = cache_create(CAP);
    put(c, "hot", 1, BODY);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "cold %d", i);
        put(c, key, 1, BODY);
        assert_true(has(c, "hot", 1));
        cache_stats st;
        cache_get_stats(c, &st);
        assert_true(st.bytes <= CAP);
        if (i > 200) /* full, and never emptied at once */
            assert_true(st.entries > CAP / (BODY + 200) - 2);
    }
    assert_false(has(c, "cold 0", 1));    /* the oldest went first */
    assert_true(has(c, "cold 4999", 1)); /* the newest stayed */
    cache_stats st;
    cache_get_stats(c, &st);
    assert_true(st.evictions > 4000);
    cache_destroy(c);
}

static void test_entry_cap(void **state)
{
    (void)state;
    response_cache *c = cache_create(1u << 30);
    char key[32];
    for (int i = 0; i < CACHE_MAX_ENTRIES + 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        put(c, key, 1, 1);
    }
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.entries, CACHE_MAX_ENTRIES);
    assert_false(has(c, "k99", 1));
    assert_true(has(c, "k100", 1));
    cache_destroy(c);
}

static void test_too_large_and_replace(void **state)
{
    (void)state;
    response_cache *c = cache_create(1 << 16);
    put(c, "big", 1, 1 << 17); /* larger than the whole cache: not kept */
    assert_false(has(c, "big", 1));
    put(c, "page", 1, 10);
    put(c, "page", 2, 20); /* made again after a change: replaces */
    cached_response hit;
    assert_true(cache_get(c, "page", 2, &hit));
    assert_int_equal(http_body_len(hit.body), 20);
    cache_stats st;
    cache_get_stats(c, &st);
    assert_int_equal(st.entries, 1);
    cache_destroy(c);
}

/* A reply still being written holds its own reference: evicting the entry does not free it. */
static void test_body_outlives_eviction(void **state)
{
    (void)state;
    response_cache *c = cache_create(1 << 16);
    put(c, "page", 1, 1000);
    cached_response hit;
    assert_true(cache_get(c, "page", 1, &hit));
    http_body *held = http_body_retain(hit.body);
    put(c, "other", 1, 65000); /* evicts "page" */
    assert_false(has(c, "page", 1));
    assert_int_equal(http_body_len(held), 1000);
    assert_int_equal(http_body_data(held)[999], 'x');
    http_body_release(held);
    cache_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_generation),
        cmocka_unit_test(test_lru_under_byte_cap),
        cmocka_unit_test(test_entry_cap),
        cmocka_unit_test(test_too_large_and_replace),
        cmocka_unit_test(test_body_outlives_eviction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
