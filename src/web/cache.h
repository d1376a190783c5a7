/* A per-loop cache of rendered public responses. Public pages depend only on the route's
 * declared parameters, the language, the representation and the data, so a rendered page can
 * be served again until the data change. Each entry remembers the store generation it was
 * made at; a lookup with another generation misses (and drops the stale entry).
 * The cache holds at most max_bytes (keys and bodies) and CACHE_MAX_ENTRIES entries; beyond
 * either, the least recently used entries are evicted one by one, so a flood of new keys
 * never empties it at once and the pages people read stay in it. One cache per event loop:
 * no locks. Layer: web. */
#ifndef PV_WEB_CACHE_H
#define PV_WEB_CACHE_H

#include <stdint.h>

#include "core/pv.h"
#include "http/request.h"

#define CACHE_MAX_ENTRIES 4096
#define CACHE_MAX_BODY (2u << 20)          /* larger responses are not kept */
#define CACHE_DEFAULT_BYTES (32u << 20)    /* per event loop */

typedef struct response_cache response_cache;

typedef struct cached_response {
    int status;
    const char *content_type; /* a static string */
    http_body *body;          /* shared: the cache holds its own reference */
    const char *etag;
} cached_response;

typedef struct cache_stats {
    size_t entries, bytes, max_bytes;
    uint64_t hits, misses, evictions;
} cache_stats;

/* A cache of at most max_bytes (0: CACHE_DEFAULT_BYTES). */
response_cache *cache_create(size_t max_bytes);
void cache_destroy(response_cache *c); /* accepts NULL */

/* Looks up key made at generation; a hit becomes the most recently used entry. The body
 * and etag stay valid until the next cache_put (retain the body to keep it longer). */
bool cache_get(response_cache *c, const char *key, uint64_t generation, cached_response *out);
/* Stores the response, retaining its body, evicting the least recently used entries until
 * it fits. A body larger than CACHE_MAX_BODY or than the whole cache is not kept. */
void cache_put(response_cache *c, const char *key, uint64_t generation,
               const cached_response *resp);

void cache_get_stats(const response_cache *c, cache_stats *out);

#endif
