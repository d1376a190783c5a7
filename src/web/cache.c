/* Response cache: a chained hash table of entries that are also on a list from the most to
 * the least recently used; eviction takes from the tail.
 * Layer: web. */
#include "web/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS (CACHE_MAX_ENTRIES * 2) /* a power of two */

typedef struct entry {
    char *key;
    size_t bytes;             /* what it costs: key, body and this record */
    uint64_t generation;
    int status;
    const char *content_type; /* a static string */
    http_body *body;
    char etag[24];
    struct entry *next_in_bucket;
    struct entry *newer, *older; /* the recency list */
} entry;

struct response_cache {
    entry *buckets[BUCKETS];
    entry *newest, *oldest;
    size_t entries, bytes, max_bytes;
    uint64_t hits, misses, evictions;
};

response_cache *cache_create(size_t max_bytes)
{
    response_cache *c = pv_calloc(1, sizeof *c);
    c->max_bytes = max_bytes ? max_bytes : CACHE_DEFAULT_BYTES;
    return c;
}

static entry **bucket_of(response_cache *c, const char *key)
{
    return &c->buckets[http_hash(key, strlen(key)) & (BUCKETS - 1)];
}

static void unlink_recency(response_cache *c, entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void link_newest(response_cache *c, entry *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest)
        c->newest->newer = e;
    c->newest = e;
    if (!c->oldest)
        c->oldest = e;
}

static void remove_entry(response_cache *c, entry *e)
{
    for (entry **p = bucket_of(c, e->key); *p; p = &(*p)->next_in_bucket) {
        if (*p == e) {
            *p = e->next_in_bucket;
            break;
        }
    }
    unlink_recency(c, e);
    c->entries--;
    c->bytes -= e->bytes;
    http_body_release(e->body);
    free(e->key);
    free(e);
}

void cache_destroy(response_cache *c)
{
    if (!c)
        return;
    while (c->oldest)
        remove_entry(c, c->oldest);
    free(c);
}

static entry *find(response_cache *c, const char *key)
{
    for (entry *e = *bucket_of(c, key); e; e = e->next_in_bucket)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

bool cache_get(response_cache *c, const char *key, uint64_t generation, cached_response *out)
{
    entry *e = find(c, key);
    if (e && e->generation != generation) {
        remove_entry(c, e); /* made from data that changed: it will not be asked for again */
        e = NULL;
    }
    if (!e) {
        c->misses++;
        return false;
    }
    unlink_recency(c, e);
    link_newest(c, e);
    c->hits++;
    *out = (cached_response){e->status, e->content_type, e->body, e->etag};
    return true;
}

void cache_put(response_cache *c, const char *key, uint64_t generation,
               const cached_response *resp)
{
    size_t bytes = sizeof(entry) + strlen(key) + 1 + http_body_len(resp->body);
    if (http_body_len(resp->body) > CACHE_MAX_BODY || bytes > c->max_bytes)
        return;
    entry *old = find(c, key);
    if (old)
        remove_entry(c, old);
    while (c->oldest && (c->bytes + bytes > c->max_bytes || c->entries >= CACHE_MAX_ENTRIES)) {
        remove_entry(c, c->oldest);
        c->evictions++;
    }
    entry *e = pv_calloc(1, sizeof *e);
    e->key = pv_strdup(key);
    e->bytes = bytes;
    e->generation = generation;
    e->status = resp->status;
    e->content_type = resp->content_type;
    e->body = http_body_retain(resp->body);
    snprintf(e->etag, sizeof e->etag, "%s", resp->etag ? resp->etag : "");
    entry **b = bucket_of(c, key);
    e->next_in_bucket = *b;
    *b = e;
    link_newest(c, e);
    c->entries++;
    c->bytes += bytes;
}

void cache_get_stats(const response_cache *c, cache_stats *out)
{
    *out = (cache_stats){c->entries, c->bytes, c->max_bytes, c->hits, c->misses, c->evictions};
}
