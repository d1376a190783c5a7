/* Plan rules.
 * Layer: domain (pure). */
#include "domain/plan.h"

#include <string.h>

const char *const plan_heading_keys[HEADING_COUNT] = {"her_er_vi", "slik_vil_vi_ha_det",
                                                       "slik_kommer_vi_dit", "slik_gjor_vi_det"};

bool plan_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > PLAN_ID_MAX || id[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

/* The base letter of each of U+0100..U+017F (Latin Extended-A: Polish, Lithuanian …),
 * as 128 two-byte strings. */
static const char extended_a[] =
    "a\0a\0a\0a\0a\0a\0c\0c\0c\0c\0c\0c\0c\0c\0d\0d\0d\0d\0e\0e\0e\0e\0e\0e\0"
    "e\0e\0e\0e\0g\0g\0g\0g\0g\0g\0g\0g\0h\0h\0h\0h\0i\0i\0i\0i\0i\0i\0i\0i\0"
    "i\0i\0i\0i\0j\0j\0k\0k\0k\0l\0l\0l\0l\0l\0l\0l\0l\0l\0l\0n\0n\0n\0n\0n\0"
    "n\0n\0n\0n\0o\0o\0o\0o\0o\0o\0o\0o\0r\0r\0r\0r\0r\0r\0s\0s\0s\0s\0s\0s\0"
    "s\0s\0t\0t\0t\0t\0t\0t\0u\0u\0u\0u\0u\0u\0u\0u\0u\0u\0u\0u\0w\0w\0y\0y\0"
    "y\0z\0z\0z\0z\0z\0z\0s\0";

/* ASCII spelling of a two-byte UTF-8 Latin letter (lower or upper case), or NULL. */
static const char *latin_ascii(unsigned char b1, unsigned char b2)
{
    if (b1 == 0xC4 || b1 == 0xC5)
        return &extended_a[((unsigned)(b1 - 0xC4) * 64 + (b2 & 0x3F)) * 2];
    if (b1 != 0xC3)
        return NULL;
    unsigned cp = 0xC0 + (b2 & 0x3F);
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        cp += 32; /* to lower case */
    switch (cp) {
    case 0xE6: return "ae";
    case 0xF8: case 0xF6: return "o";
    case 0xE5: case 0xE4: case 0xE0: case 0xE1: case 0xE2: return "a";
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: return "e";
    case 0xEC: case 0xED: case 0xEE: case 0xEF: return "i";
    case 0xF2: case 0xF3: case 0xF4: return "o";
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: return "u";
    case 0xE7: return "c";
    case 0xF1: return "n";
    default: return NULL;
    }
}

void plan_slugify(const char *name, buf *out)
{
    size_t start = out->len;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        const char *ascii = NULL;
        char one[2] = {0, 0};
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            one[0] = (char)*p;
            ascii = one;
        } else if (*p >= 'A' && *p <= 'Z') {
            one[0] = (char)(*p + 32);
            ascii = one;
        } else if (p[1] && (ascii = latin_ascii(p[0], p[1])) != NULL) {
            p++;
        }
        if (!ascii) {
            dash = true;
            continue;
        }
        if (dash && out->len > start)
            buf_putc(out, '-');
        dash = false;
        buf_puts(out, ascii);
        if (out->len - start >= PLAN_ID_MAX)
            break;
    }
    if (out->len - start > PLAN_ID_MAX)
        out->len = start + PLAN_ID_MAX;
    while (out->len > start && out->data[out->len - 1] == '-') /* cut inside a gap */
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
}

long plan_next_revision(long adopted_year, long stated_next_revision)
{
    if (stated_next_revision > 0)
        return stated_next_revision;
    if (adopted_year > 0)
        return adopted_year + PLAN_REVISION_YEARS;
    return 0;
}

int plan_heading_for_kind(const char *kind)
{
    if (strcmp(kind, "mål") == 0)
        return HEADING_SLIK_VIL_VI;
    if (strcmp(kind, "strategi") == 0)
        return HEADING_SLIK_KOMMER_VI;
    if (strcmp(kind, "tiltak") == 0)
        return HEADING_SLIK_GJOR_VI;
    return -1;
}
