/* Response cache: open addressing on a hash of the key.
 * Layer: web. */
#include "web/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"

#define SLOTS (CACHE_MAX_ENTRIES * 2)

typedef struct slot {
    char *key;
    uint64_t generation;
    int status;
    const char *content_type; /* a static string */
    http_body *body;
    char etag[24];
} slot;

struct response_cache {
    slot slots[SLOTS];
    size_t used;
};

response_cache *cache_create(void)
{
    return pv_calloc(1, sizeof(response_cache));
}

static void clear(response_cache *c)
{
    for (size_t i = 0; i < SLOTS; i++) {
        free(c->slots[i].key);
        http_body_release(c->slots[i].body);
    }
    memset(c->slots, 0, sizeof c->slots);
    c->used = 0;
}

void cache_destroy(response_cache *c)
{
    if (!c)
        return;
    clear(c);
    free(c);
}

static slot *find(response_cache *c, const char *key, bool *found)
{
    size_t i = http_hash(key, strlen(key)) % SLOTS;
    for (size_t probe = 0; probe < SLOTS; probe++, i = (i + 1) % SLOTS) {
        slot *s = &c->slots[i];
        if (!s->key) {
            *found = false;
            return s;
        }
        if (strcmp(s->key, key) == 0) {
            *found = true;
            return s;
        }
    }
    *found = false;
    return NULL;
}

bool cache_get(response_cache *c, const char *key, uint64_t generation, cached_response *out)
{
    bool found;
    slot *s = find(c, key, &found);
    if (!found || s->generation != generation)
        return false;
    *out = (cached_response){s->status, s->content_type, s->body, s->etag};
    return true;
}

void cache_put(response_cache *c, const char *key, uint64_t generation,
               const cached_response *resp)
{
    if (http_body_len(resp->body) > CACHE_MAX_BODY)
        return;
    bool found;
    slot *s = find(c, key, &found);
    if (!found && c->used >= CACHE_MAX_ENTRIES) {
        clear(c);
        s = find(c, key, &found);
    }
    if (!s)
        return;
    if (!found) {
        s->key = pv_strdup(key);
        c->used++;
    }
    http_body_release(s->body);
    s->generation = generation;
    s->status = resp->status;
    s->content_type = resp->content_type;
    s->body = http_body_retain(resp->body);
    snprintf(s->etag, sizeof s->etag, "%s", resp->etag ? resp->etag : "");
}
