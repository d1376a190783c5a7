/* Translations from gettext .mo files, and language negotiation.
 * Layer: web. The .mo format: a header with the number of strings and the offsets of two
 * tables of (length, offset) pairs, originals and translations; a msgctxt is stored as
 * "context\x04msgid". We keep a sorted copy so lookup is a binary search. */
#include "web/i18n.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"

const char *const i18n_languages[] = {"nb", "nn", "en"};
const size_t i18n_language_count = PV_ARRAY_LEN(i18n_languages);

#define MO_MAGIC 0x950412deu
#define MO_MAGIC_SWAPPED 0xde120495u
#define MO_MAX_SIZE (16u << 20)

typedef struct entry {
    const char *msgid;
    const char *msgstr;
} entry;

typedef struct catalog {
    char lang[8];
    char *image; /* a copy of the .mo file; entries point into it */
    entry *entries;
    size_t n;
} catalog;

struct i18n {
    catalog cats[8];
    size_t n;
};

static uint32_t read_u32(const unsigned char *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->msgid, ((const entry *)b)->msgid);
}

/* Reads string i of the table at table_off; checks that it lies inside the image and is
 * NUL-terminated there. */
static const char *mo_string(const unsigned char *img, size_t size, uint32_t table_off,
                             uint32_t i, bool swap)
{
    uint64_t at = (uint64_t)table_off + (uint64_t)i * 8;
    if (at + 8 > size)
        return NULL;
    uint32_t len = read_u32(img + at, swap), off = read_u32(img + at + 4, swap);
    if ((uint64_t)off + len + 1 > size || img[off + len] != '\0')
        return NULL;
    return (const char *)img + off;
}

static int catalog_parse(catalog *c, const char *lang, const void *data, size_t size)
{
    const unsigned char *img = data;
    if (size < 20 || size > MO_MAX_SIZE || strlen(lang) >= sizeof c->lang)
        return PV_EINVAL;
    uint32_t magic;
    memcpy(&magic, img, 4);
    if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
        return PV_EINVAL;
    bool swap = magic == MO_MAGIC_SWAPPED;
    uint32_t n = read_u32(img + 8, swap);
    uint32_t orig = read_u32(img + 12, swap), trans = read_u32(img + 16, swap);
    if (n > size / 16)
        return PV_EINVAL;

    memset(c, 0, sizeof *c);
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    c->image = pv_malloc(size);
    memcpy(c->image, data, size);
    c->entries = pv_calloc(n, sizeof *c->entries);
    const unsigned char *copy = (const unsigned char *)c->image;
    for (uint32_t i = 0; i < n; i++) {
        const char *id = mo_string(copy, size, orig, i, swap);
        const char *str = mo_string(copy, size, trans, i, swap);
        if (!id || !str) {
            free(c->image);
            free(c->entries);
            return PV_EINVAL;
        }
        if (id[0] == '\0' || str[0] == '\0') /* the header entry, or an empty translation */
            continue;
        c->entries[c->n++] = (entry){id, str};
    }
    qsort(c->entries, c->n, sizeof *c->entries, cmp_entry);
    return PV_OK;
}

i18n *i18n_create(const char *mo_dir, char *err, size_t err_size)
{
    i18n *t = pv_calloc(1, sizeof *t);
    for (size_t i = 0; i < i18n_language_count; i++) {
        const char *lang = i18n_languages[i];
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.mo", mo_dir, lang);
        buf image = BUF_INIT;
        int rc = pv_read_file(path, MO_MAX_SIZE, &image);
        if (rc == PV_ENOTFOUND && strcmp(lang, I18N_SOURCE_LANG) == 0) {
            buf_finish(&image);
            continue;
        }
        if (rc == 0)
            rc = catalog_parse(&t->cats[t->n], lang, image.data, image.len);
        buf_finish(&image);
        if (rc != 0) {
            snprintf(err, err_size, "cannot load the %s catalog %s: %s", lang, path,
                     rc == PV_ENOTFOUND ? "no such file" : "not a valid .mo file");
            i18n_destroy(t);
            return NULL;
        }
        t->n++;
    }
    return t;
}

i18n *i18n_create_from_mo(const char *lang, const void *data, size_t size)
{
    i18n *t = pv_calloc(1, sizeof *t);
    if (catalog_parse(&t->cats[0], lang, data, size) != 0) {
        free(t);
        return NULL;
    }
    t->n = 1;
    return t;
}

void i18n_destroy(i18n *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->cats[i].image);
        free(t->cats[i].entries);
    }
    free(t);
}

static const char *lookup(const i18n *t, const char *lang, const char *key)
{
    for (size_t i = 0; i < t->n; i++) {
        const catalog *c = &t->cats[i];
        if (strcmp(c->lang, lang) != 0)
            continue;
        entry probe = {key, NULL};
        const entry *e = bsearch(&probe, c->entries, c->n, sizeof *c->entries, cmp_entry);
        return e ? e->msgstr : NULL;
    }
    return NULL;
}

bool i18n_has(const i18n *t, const char *lang, const char *msgid)
{
    return lookup(t, lang, msgid) != NULL;
}

const char *i18n_get(const i18n *t, const char *lang, const char *msgid)
{
    const char *s = lookup(t, lang, msgid);
    if (!s && strcmp(lang, I18N_SOURCE_LANG) != 0)
        s = lookup(t, I18N_SOURCE_LANG, msgid);
    return s ? s : msgid;
}

const char *i18n_pget(const i18n *t, const char *lang, const char *context, const char *msgid)
{
    char key[512];
    int n = snprintf(key, sizeof key, "%s\x04%s", context, msgid);
    if (n < 0 || (size_t)n >= sizeof key)
        return msgid;
    const char *s = lookup(t, lang, key);
    if (!s && strcmp(lang, I18N_SOURCE_LANG) != 0)
        s = lookup(t, I18N_SOURCE_LANG, key);
    return s ? s : msgid;
}

const char *i18n_supported(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < i18n_language_count; i++)
        if (strcmp(code, i18n_languages[i]) == 0)
            return i18n_languages[i];
    return NULL;
}

/* Maps a language range ("nb-NO", "no", "en-GB", "nn") to a supported code, or NULL. */
static const char *match_range(const char *range, size_t len)
{
    char primary[9];
    size_t k = 0;
    while (k < len && k < 8 && range[k] != '-' && range[k] != '_') {
        primary[k] = (char)tolower((unsigned char)range[k]);
        k++;
    }
    primary[k] = '\0';
    if (strcmp(primary, "no") == 0 || strcmp(primary, "nob") == 0)
        return "nb";
    if (strcmp(primary, "nno") == 0)
        return "nn";
    return i18n_supported(primary);
}

const char *i18n_negotiate(const char *header)
{
    const char *best = NULL;
    double best_q = 0.0;
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        size_t len = (size_t)(p - start);
        double q = 1.0;
        while (*p && *p != ',') { /* parameters: only q matters */
            if (p[0] == 'q' && p[1] == '=')
                q = strtod(p + 2, NULL);
            p++;
        }
        const char *code = len ? match_range(start, len) : NULL;
        if (code && q > best_q) { /* the first of equal weights wins */
            best = code;
            best_q = q;
        }
    }
    return best ? best : I18N_SOURCE_LANG;
}
