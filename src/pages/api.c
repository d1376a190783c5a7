/* Routes that send their own reply: static files, the language switch, and the OpenAPI
 * description of the JSON API.
 * Layer: pages. */
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "http/static.h"
#include "pages/pages.h"

int page_static(pv_req *r, json_t **vm)
{
    (void)vm;
    return static_serve(r->ev, r->app->mounts, PV_ARRAY_LEN(r->app->mounts), r->path) == 0
               ? 0
               : 404;
}

/* True for a local path we may send the user back to: "/…", not "//host", no control
 * characters. */
static bool local_target(const char *to)
{
    if (!to || to[0] != '/' || to[1] == '/' || to[1] == '\\')
        return false;
    for (const char *p = to; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

/* /sprak?lang=nn&til=/planer: remembers the language in a cookie and goes back. */
int page_language(pv_req *r, json_t **vm)
{
    (void)vm;
    const char *lang = i18n_supported(url_query_get(&r->query, "lang"));
    const char *to = url_query_get(&r->query, "til");
    if (!lang) {
        r->error = T(r, "Språket finnes ikke her. Velg bokmål, nynorsk eller English.");
        return 400;
    }
    if (!local_target(to))
        to = "/";
    char cookie[96];
    snprintf(cookie, sizeof cookie, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
             lang);
    http_set_header(r->ev, "Set-Cookie", cookie);
    /* The target is sent percent-encoded as it came in; only our own host is reachable. */
    buf location = BUF_INIT;
    for (const char *p = to; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c > 0x7e || c == ' ' || c == '"')
            buf_printf(&location, "%%%02X", c);
        else
            buf_putc(&location, (char)c);
    }
    http_set_header(r->ev, "Location", buf_cstr(&location));
    http_set_header(r->ev, "Cache-Control", "no-store");
    buf_finish(&location);
    http_send(r->ev, 303, NULL, NULL, 0);
    return 0;
}

int page_openapi(pv_req *r, json_t **vm)
{
    (void)vm;
    http_set_header(r->ev, "Cache-Control", "no-cache");
    http_send(r->ev, 200, "application/json", r->app->openapi, r->app->openapi_len);
    return 0;
}
