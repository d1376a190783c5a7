/* Field-by-field differences for the audit trail.
 * Layer: domain (pure). */
#include "domain/diff.h"

static json_t *value_or_null(json_t *obj, const char *key)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    return v ? v : json_null();
}

/* Adds key to out when its values in a and b differ (and it is not there yet). */
static void compare(json_t *out, const char *key, json_t *before, json_t *after)
{
    if (json_object_get(out, key))
        return;
    json_t *a = value_or_null(before, key), *b = value_or_null(after, key);
    if (!json_equal(a, b))
        json_object_set_new(out, key, json_pack("[OO]", a, b));
}

json_t *diff_fields(json_t *before, json_t *after)
{
    json_t *out = json_object();
    const char *key;
    json_t *v;
    if (json_is_object(before))
        json_object_foreach(before, key, v) compare(out, key, before, after);
    if (json_is_object(after))
        json_object_foreach(after, key, v) compare(out, key, before, after);
    return out;
}
