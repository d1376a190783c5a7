/* libFuzzer target for the Mustache compiler and renderer: the input is a template, optionally
 * followed by a NUL byte and a partial named "p" ("self" names the template itself).
 * Layer: fuzz (web). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "web/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
    "{\"name\": \"Ola <Nordmann> & 'co'\", \"empty\": \"\", \"n\": 42, \"neg\": -7,"
    " \"real\": 1.21, \"tiny\": 5e-324, \"yes\": true, \"no\": false, \"nil\": null,"
    " \"list\": [1, \"two\", 3.5, {\"name\": \"inner\", \"list\": [\"a\", \"b\"]}, [1, [2]], null],"
    " \"none\": [],"
    " \"obj\": {\"a\": {\"b\": {\"c\": \"deep\", \"list\": [{\"x\": 1}, {\"x\": 2}]}},"
    "          \"name\": \"obj name\", \"s\": \"{{name}}\"},"
    " \"a.b\": \"dotted key\", \"html\": \"<b>\\n</b>\\n\"}";

struct inputs {
    const mustache_tpl *self;
    const mustache_tpl *partial;
};

static const mustache_tpl *lookup(void *ctx, const char *name, size_t len)
{
    const struct inputs *in = ctx;
    if (len == 1 && name[0] == 'p')
        return in->partial;
    if (len == 4 && !memcmp(name, "self", 4))
        return in->self;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *context;
    if (!context)
        context = json_loads(context_json, 0, NULL);

    const char *src = (const char *)data;
    const char *nul = memchr(src, '\0', size);
    size_t main_len = nul ? (size_t)(nul - src) : size;
    char err[128];
    mustache_tpl *tpl = mustache_compile(src, main_len, err, sizeof(err));
    mustache_tpl *partial = NULL;
    if (nul)
        partial = mustache_compile(nul + 1, size - main_len - 1, err, sizeof(err));

    if (tpl) {
        struct inputs in = {tpl, partial};
        json_t *stack[2] = {context, json_object_get(context, "obj")};
        buf out = BUF_INIT;
        mustache_render(tpl, stack, 2, lookup, &in, &out);
        buf_finish(&out);
    }
    mustache_destroy(partial);
    mustache_destroy(tpl);
    return 0;
}
