/* Static file serving.
 * Layer: http. Only regular files with a known extension are served, and the resolved path
 * must stay inside the mount (realpath check), so neither ".." nor a symlink leads out. */
#include "http/static.h"

#include <event2/buffer.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/request.h"
#include "http/urlcodec.h"

static const struct {
    const char *ext, *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},             {".png", "image/png"},
    {".ico", "image/x-icon"},              {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"}, {".json", "application/json"},
};

static const char *type_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < PV_ARRAY_LEN(types); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

static bool inside(const char *real, const char *dir)
{
    char real_dir[PATH_MAX];
    if (!realpath(dir, real_dir))
        return false;
    size_t n = strlen(real_dir);
    return strncmp(real, real_dir, n) == 0 && real[n] == '/';
}

int static_serve(struct evhttp_request *req, const static_mount *mounts, size_t n,
                 const char *path)
{
    if (!url_path_is_clean(path))
        return PV_ENOTFOUND;
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(mounts[i].prefix);
        if (strncmp(path, mounts[i].prefix, plen) != 0)
            continue;
        const char *type = type_for(path);
        char file[PATH_MAX], real[PATH_MAX];
        if (!type || snprintf(file, sizeof file, "%s/%s", mounts[i].dir, path + plen) >=
                         (int)sizeof file)
            return PV_ENOTFOUND;
        if (!realpath(file, real) || !inside(real, mounts[i].dir))
            return PV_ENOTFOUND;
        int fd = open(real, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0)
            return PV_ENOTFOUND;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            return PV_ENOTFOUND;
        }
        char etag[64];
        snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
                 (unsigned long long)st.st_mtime);
        http_set_header(req, "ETag", etag);
        http_set_header(req, "Cache-Control", "public, max-age=3600");
        const char *inm = evhttp_find_header(evhttp_request_get_input_headers(req),
                                             "If-None-Match");
        if (http_etag_matches(inm, etag)) {
            close(fd);
            http_send(req, 304, NULL, NULL, 0);
            return PV_OK;
        }
        http_add_security_headers(req);
        http_set_header(req, "Content-Type", type);
        struct evbuffer *out = evbuffer_new();
        if (st.st_size > 0)
            evbuffer_add_file(out, fd, 0, st.st_size); /* takes the descriptor */
        else
            close(fd);
        http_send_buffer(req, 200, out);
        evbuffer_free(out);
        return PV_OK;
    }
    return PV_ENOTFOUND;
}
