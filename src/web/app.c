/* Creating and freeing what every event loop shares (pv_app): catalogs, templates, the
 * OpenAPI text, static mounts, the worker pool. Used by `planverk serve` and by tests that
 * run the real request pipeline in-process.
 * Layer: web. */
#include "web/app.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/secret.h"
#include "http/request.h"
#include "web/markdown.h"

int web_app_create(pv_app *app, const web_app_options *o, char *err, size_t err_size)
{
    char path[PATH_MAX];
    memset(app, 0, sizeof *app);
    /* jansson allocates through pv_malloc, so that a request running out of memory returns
     * to its recovery point (core/pv.h) instead of getting NULL where no one looks. */
    json_set_alloc_funcs(pv_malloc, free);
    app->root = pv_strdup(o->root);
    app->db_path = pv_strdup(o->db_path);
    app->cache = o->cache;
    app->cache_bytes = o->cache_bytes;
    app->access_log = o->access_log;
    app->trusted_proxy = o->trusted_proxy ? pv_strdup(o->trusted_proxy) : NULL;
    app->i18n = i18n_create(o->locale_dir, err, err_size);
    if (!app->i18n)
        return PV_EIO;
    snprintf(path, sizeof path, "%s/templates", o->root);
    char msg[768];
    app->templates = templates_load(path, app->i18n, msg, sizeof msg);
    if (!app->templates) {
        snprintf(err, err_size, "template %s", msg);
        return PV_EINVAL;
    }
    snprintf(path, sizeof path, "%s/docs/api/openapi.json", o->root);
    buf doc = BUF_INIT;
    if (pv_read_file(path, 1u << 20, &doc) != 0) {
        snprintf(err, err_size, "%s: cannot read it", path);
        buf_finish(&doc);
        return PV_EIO;
    }
    app->openapi_len = doc.len;
    app->openapi = buf_steal(&doc);
    snprintf(path, sizeof path, "%s/node_modules/@digdir/designsystemet-css/dist", o->root);
    app->mounts[0] = (static_mount){"/static/ds/", pv_strdup(path)};
    snprintf(path, sizeof path, "%s/node_modules/leaflet/dist", o->root);
    app->mounts[1] = (static_mount){"/static/leaflet/", pv_strdup(path)};
    snprintf(path, sizeof path, "%s/static", o->root);
    app->mounts[2] = (static_mount){"/static/", pv_strdup(path)};
    app->map_tiles = pv_strdup(o->map_tiles ? o->map_tiles : WEB_MAP_TILES);
    char origin[256];
    if (web_tile_origin(app->map_tiles, origin, sizeof origin) != 0 ||
        http_csp_allow_images(origin) != 0) {
        snprintf(err, err_size, "map tiles: '%s' is not an http(s) URL", app->map_tiles);
        return PV_EINVAL;
    }
    markdown_init();
    /* A hash of a random password: a sign-in for an unknown account is checked against it,
     * so it takes as long as one for a real account. */
    char random_password[SECRET_TOKEN_CHARS + 1], dummy[SECRET_PASSWORD_HASH_MAX];
    secret_token(random_password);
    if (secret_password_hash(random_password, dummy) != 0) {
        snprintf(err, err_size, "not enough memory to hash passwords");
        return PV_ELIMIT;
    }
    app->dummy_hash = pv_strdup(dummy);
    app->hash_pool = pool_create(o->pool_threads > 0 ? o->pool_threads : 2, WEB_HASH_QUEUE);
    app->export_pool = pool_create(1, WEB_EXPORT_QUEUE);
    if (!app->hash_pool || !app->export_pool) {
        snprintf(err, err_size, "cannot start the worker threads");
        return PV_EIO;
    }
    return PV_OK;
}

int web_tile_origin(const char *url, char *out, size_t size)
{
    size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    if (!scheme)
        return -1;
    size_t n = scheme;
    while (url[n] && url[n] != '/' && url[n] != '?' && url[n] != '#') {
        char c = url[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':'))
            return -1;
        n++;
    }
    if (n == scheme || n >= size)
        return -1;
    memcpy(out, url, n);
    out[n] = '\0';
    return 0;
}

void web_app_stopping(pv_app *app)
{
    if (app->hash_pool)
        pool_drain(app->hash_pool);
    if (app->export_pool)
        pool_drain(app->export_pool);
}

void web_app_finish(pv_app *app)
{
    pool_destroy(app->hash_pool);
    pool_destroy(app->export_pool);
    free(app->trusted_proxy);
    free(app->dummy_hash);
    free(app->map_tiles);
    templates_destroy(app->templates);
    i18n_destroy(app->i18n);
    free(app->openapi);
    free(app->root);
    free(app->db_path);
    for (size_t i = 0; i < PV_ARRAY_LEN(app->mounts); i++)
        free(app->mounts[i].dir);
    memset(app, 0, sizeof *app);
}
