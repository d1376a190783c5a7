/* Static files (our CSS and images, and Designsystemet's CSS from node_modules), with
 * Content-Type by extension, ETag from size and modification time, and no way out of the
 * mounted folders. Layer: http. */
#ifndef PV_HTTP_STATIC_H
#define PV_HTTP_STATIC_H

#include <event2/http.h>

#include "core/pv.h"

typedef struct static_mount {
    const char *prefix; /* URL prefix ending in '/', e.g. "/static/ds/" */
    char *dir;          /* absolute folder without trailing '/' */
} static_mount;

/* Serves path (decoded, clean) from the first mount whose prefix matches. Returns 0 when a
 * reply was sent (200/304), PV_ENOTFOUND when no such file (nothing sent). */
int static_serve(struct evhttp_request *req, const static_mount *mounts, size_t n,
                 const char *path);

#endif
