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
    const char *content_type; /* static strings */
    const char *lang;
    char *body;
    size_t len;
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
        free(c->slots[i].body);
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
    *out = (cached_response){s->status, s->content_type, s->body, s->len, s->etag, s->lang};
    return true;
}

void cache_put(response_cache *c, const char *key, uint64_t generation,
               const cached_response *resp)
{
    if (resp->len > CACHE_MAX_BODY)
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
    free(s->body);
    s->generation = generation;
    s->status = resp->status;
    s->content_type = resp->content_type;
    s->lang = resp->lang;
    s->body = pv_malloc(resp->len ? resp->len : 1);
    memcpy(s->body, resp->body, resp->len);
    s->len = resp->len;
    snprintf(s->etag, sizeof s->etag, "%s", resp->etag ? resp->etag : "");
}
