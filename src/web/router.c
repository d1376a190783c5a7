/* Matching paths against the route table.
 * Layer: web (pure: no I/O). */
#include "web/router.h"

#include <stdlib.h>
#include <string.h>

/* Matches path against pattern; on success fills params (allocated) and returns true. */
static bool match(const char *pattern, const char *path, char **params, size_t *n)
{
    size_t count = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (p[0] == '*' && p[1] == '\0') {
            if (count < PV_MAX_ROUTE_PARAMS)
                params[count++] = pv_strdup(s);
            *n = count;
            return true;
        }
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *seg_end = strchr(s, '/');
            size_t len = seg_end ? (size_t)(seg_end - s) : strlen(s);
            if (!close || len == 0 || count >= PV_MAX_ROUTE_PARAMS)
                break;
            params[count++] = pv_strndup(s, len);
            p = close + 1;
            s += len;
            continue;
        }
        if (*p != *s)
            break;
        p++;
        s++;
    }
    if (*p == '\0' && *s == '\0') {
        *n = count;
        return true;
    }
    for (size_t i = 0; i < count; i++)
        free(params[i]);
    return false;
}

const route *router_match(const char *method, const char *path, char **params,
                          size_t *n_params, bool *path_known)
{
    *path_known = false;
    *n_params = 0;
    const char *as = strcmp(method, "HEAD") == 0 ? "GET" : method;
    for (size_t i = 0; i < routes_count; i++) {
        char *caught[PV_MAX_ROUTE_PARAMS];
        size_t n = 0;
        if (!match(routes[i].pattern, path, caught, &n))
            continue;
        if (strcmp(routes[i].method, as) == 0) {
            memcpy(params, caught, n * sizeof *caught);
            *n_params = n;
            return &routes[i];
        }
        *path_known = true;
        for (size_t k = 0; k < n; k++)
            free(caught[k]);
    }
    return NULL;
}
