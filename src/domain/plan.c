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

/* ASCII spelling of a two-byte UTF-8 Latin letter (lower or upper case), or NULL. */
static const char *latin_ascii(unsigned char b1, unsigned char b2)
{
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
        out->len = start + PLAN_ID_MAX, out->data[out->len] = '\0';
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
