/* A per-loop cache of rendered public responses. Public pages depend only on the URL, the
 * language, the representation and the data, so a rendered page can be served again until
 * the data change. Each entry remembers the store generation it was made at; a lookup with
 * another generation misses. One cache per event loop: no locks. Layer: web. */
#ifndef PV_WEB_CACHE_H
#define PV_WEB_CACHE_H

#include <stdint.h>

#include "core/pv.h"
#include "http/request.h"

#define CACHE_MAX_ENTRIES 512
#define CACHE_MAX_BODY (2u << 20)

typedef struct response_cache response_cache;

typedef struct cached_response {
    int status;
    const char *content_type; /* a static string */
    http_body *body;          /* shared: the cache holds its own reference */
    const char *etag;
} cached_response;

response_cache *cache_create(void);
void cache_destroy(response_cache *c); /* accepts NULL */

/* Looks up key made at generation. The body and etag stay valid until the next cache_put
 * (retain the body to keep it longer). */
bool cache_get(response_cache *c, const char *key, uint64_t generation, cached_response *out);
/* Stores the response, retaining its body. When the cache is full it is emptied first
 * (simple and bounded). */
void cache_put(response_cache *c, const char *key, uint64_t generation,
               const cached_response *resp);

#endif
