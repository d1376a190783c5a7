/* Loading, translating and compiling the page templates.
 * Layer: web. */
#include "web/templates.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"

#define MAX_TEMPLATES 128
#define I18N_OPEN "{{#i18n}}"
#define I18N_CLOSE "{{/i18n}}"

typedef struct named_tpl {
    char *name;
    mustache_tpl *per_lang[8]; /* indexed like i18n_languages */
} named_tpl;

struct templates {
    named_tpl items[MAX_TEMPLATES];
    size_t n;
};

typedef struct lookup_ctx {
    const templates *set;
    size_t lang_index;
} lookup_ctx;

static size_t line_of(const char *src, size_t at)
{
    size_t line = 1;
    for (size_t i = 0; i < at; i++)
        line += src[i] == '\n';
    return line;
}

int templates_translate(const char *src, size_t len, const i18n *tr, const char *lang,
                        buf *out, json_t *msgids, char *err, size_t err_size)
{
    size_t open_len = strlen(I18N_OPEN), close_len = strlen(I18N_CLOSE);
    size_t i = 0;
    while (i < len) {
        const char *open = memmem(src + i, len - i, I18N_OPEN, open_len);
        if (!open) {
            buf_append(out, src + i, len - i);
            break;
        }
        size_t at = (size_t)(open - src);
        buf_append(out, src + i, at - i);
        size_t text_at = at + open_len;
        const char *close = memmem(src + text_at, len - text_at, I18N_CLOSE, close_len);
        const char *nl = memchr(src + text_at, '\n', len - text_at);
        if (!close || (nl && nl < close)) {
            snprintf(err, err_size, "line %zu: {{#i18n}} must be closed on the same line",
                     line_of(src, at));
            return PV_EINVAL;
        }
        char *msgid = pv_strndup(src + text_at, (size_t)(close - (src + text_at)));
        if (msgids)
            json_array_append_new(msgids, json_string(msgid));
        const char *text = i18n_get(tr, lang, msgid);
        /* Escape the translation but keep {{tags}} inside it working. */
        buf_append_html(out, text, strlen(text));
        free(msgid);
        i = (size_t)(close - src) + close_len;
    }
    return PV_OK;
}

static const mustache_tpl *lookup_partial(void *ctx, const char *name, size_t len)
{
    const lookup_ctx *lc = ctx;
    for (size_t i = 0; i < lc->set->n; i++) {
        const named_tpl *nt = &lc->set->items[i];
        if (strlen(nt->name) == len && memcmp(nt->name, name, len) == 0)
            return nt->per_lang[lc->lang_index];
    }
    return NULL;
}

static int compile_one(templates *t, const char *path, const char *name, const i18n *tr,
                       char *err, size_t err_size)
{
    if (t->n >= MAX_TEMPLATES) {
        snprintf(err, err_size, "more than %d templates", MAX_TEMPLATES);
        return PV_ELIMIT;
    }
    buf src = BUF_INIT;
    if (pv_read_file(path, MUSTACHE_MAX_SOURCE, &src) != 0) {
        snprintf(err, err_size, "%s: cannot read", path);
        buf_finish(&src);
        return PV_EIO;
    }
    named_tpl *nt = &t->items[t->n++];
    nt->name = pv_strdup(name);
    int rc = PV_OK;
    for (size_t l = 0; l < i18n_language_count && rc == 0; l++) {
        buf translated = BUF_INIT;
        char msg[256];
        rc = templates_translate(buf_cstr(&src), src.len, tr, i18n_languages[l], &translated,
                                 NULL, msg, sizeof msg);
        if (rc == 0) {
            nt->per_lang[l] = mustache_compile(buf_cstr(&translated), translated.len, msg,
                                               sizeof msg);
            if (!nt->per_lang[l])
                rc = PV_EINVAL;
        }
        if (rc != 0)
            snprintf(err, err_size, "%s (%s): %s", path, i18n_languages[l], msg);
        buf_finish(&translated);
    }
    buf_finish(&src);
    return rc;
}

static int load_dir(templates *t, const char *dir, const i18n *tr, char *err, size_t err_size)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, err_size, "%s: cannot open the template folder", dir);
        return PV_EIO;
    }
    int rc = PV_OK;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        const char *ext = ".mustache";
        size_t ext_len = strlen(ext);
        if (len <= ext_len || strcmp(e->d_name + len - ext_len, ext) != 0)
            continue;
        char path[4096], name[256];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(name, sizeof name, "%.*s", (int)(len - ext_len), e->d_name);
        if (templates_exists(t, name)) {
            snprintf(err, err_size, "%s: a template named '%s' exists already", path, name);
            rc = PV_EINVAL;
            break;
        }
        rc = compile_one(t, path, name, tr, err, err_size);
    }
    closedir(d);
    return rc;
}

templates *templates_load(const char *dir, const i18n *tr, char *err, size_t err_size)
{
    templates *t = pv_calloc(1, sizeof *t);
    char partials[4096];
    snprintf(partials, sizeof partials, "%s/partials", dir);
    if (load_dir(t, dir, tr, err, err_size) != 0 ||
        load_dir(t, partials, tr, err, err_size) != 0) {
        templates_destroy(t);
        return NULL;
    }
    return t;
}

void templates_destroy(templates *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->items[i].name);
        for (size_t l = 0; l < i18n_language_count; l++)
            mustache_destroy(t->items[i].per_lang[l]);
    }
    free(t);
}

bool templates_exists(const templates *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return true;
    return false;
}

int templates_render(const templates *t, const char *lang, const char *name,
                     json_t *const *ctx, size_t n, buf *out)
{
    size_t l = 0;
    while (l < i18n_language_count && strcmp(i18n_languages[l], lang) != 0)
        l++;
    if (l == i18n_language_count)
        l = 0;
    lookup_ctx lc = {t, l};
    const mustache_tpl *tpl = lookup_partial(&lc, name, strlen(name));
    if (!tpl)
        return PV_ENOTFOUND;
    return mustache_render(tpl, ctx, n, lookup_partial, &lc, out);
}
