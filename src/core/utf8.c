/* UTF-8 validation and case folding.
 * Layer: core. */
#include "core/utf8.h"

#include <string.h>

/* Length of the sequence that starts at s[i], or 0 when it is malformed. */
static size_t seq_len(const unsigned char *s, size_t i, size_t n, unsigned *cp)
{
    unsigned c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (i + len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = seq_len(u, i, n, &cp);
        if (len == 0 || cp == 0)
            return false;
        i += len;
    }
    return true;
}

size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static unsigned fold_cp(unsigned c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) /* Latin-1 capitals, not × */
        return c + 32;
    if (c >= 0x100 && c <= 0x137 && (c & 1) == 0) /* Ā..Ķ: capital even, small odd */
        return c + 1;
    if (c >= 0x139 && c <= 0x148 && (c & 1) == 1) /* Ĺ..Ň: capital odd */
        return c + 1;
    if (c >= 0x14A && c <= 0x177 && (c & 1) == 0) /* Ŋ..Ŷ */
        return c + 1;
    if (c == 0x178) /* Ÿ */
        return 0xFF;
    if (c >= 0x179 && c <= 0x17E && (c & 1) == 1) /* Ź..Ž */
        return c + 1;
    return c;
}

static void put_cp(buf *out, unsigned c)
{
    char e[4];
    if (c < 0x80) {
        buf_putc(out, (char)c);
    } else if (c < 0x800) {
        e[0] = (char)(0xC0 | (c >> 6));
        e[1] = (char)(0x80 | (c & 0x3F));
        buf_append(out, e, 2);
    } else if (c < 0x10000) {
        e[0] = (char)(0xE0 | (c >> 12));
        e[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        e[2] = (char)(0x80 | (c & 0x3F));
        buf_append(out, e, 3);
    } else {
        e[0] = (char)(0xF0 | (c >> 18));
        e[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        e[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        e[3] = (char)(0x80 | (c & 0x3F));
        buf_append(out, e, 4);
    }
}

void utf8_fold(const char *s, size_t n, buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = seq_len(u, i, n, &cp);
        if (len == 0) { /* not valid: copy the byte, never loop forever */
            buf_putc(out, s[i]);
            i++;
            continue;
        }
        put_cp(out, fold_cp(cp));
        i += len;
    }
}

/* Maps a folded code point to its primary sort weight in the Norwegian alphabet: every
 * code point weighs 4 × itself, so æ ø å can sit right after z (4·z + 1, 2, 3) without
 * meeting «{ | }»; accented letters weigh as their base letter. */
static unsigned nb_weight(unsigned c)
{
    switch (c) {
    case 0xE6: case 0xE4: return 4 * 'z' + 1;                   /* æ ä */
    case 0xF8: case 0xF6: return 4 * 'z' + 2;                   /* ø ö */
    case 0xE5: return 4 * 'z' + 3;                               /* å */
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: return 4 * 'a'; /* à á â ã */
    case 0xE7: return 4 * 'c';
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: return 4 * 'e';
    case 0xEC: case 0xED: case 0xEE: case 0xEF: return 4 * 'i';
    case 0xF1: return 4 * 'n';
    case 0xF2: case 0xF3: case 0xF4: case 0xF5: return 4 * 'o';
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: return 4 * 'u';
    case 0xFD: case 0xFF: return 4 * 'y';
    default: return 4 * c;
    }
}

static unsigned next_weight(const unsigned char *s, size_t n, size_t *i)
{
    unsigned cp;
    size_t len = seq_len(s, *i, n, &cp);
    if (len == 0) {
        cp = s[*i];
        len = 1;
    }
    *i += len;
    return nb_weight(fold_cp(cp));
}

int utf8_collate_nb(const char *a, size_t alen, const char *b, size_t blen)
{
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    size_t i = 0, j = 0;
    while (i < alen && j < blen) {
        unsigned wa = next_weight(ua, alen, &i), wb = next_weight(ub, blen, &j);
        if (wa != wb)
            return wa < wb ? -1 : 1;
    }
    if (i < alen || j < blen)
        return i < alen ? 1 : -1;
    size_t n = alen < blen ? alen : blen;
    int c = memcmp(a, b, n);
    return c ? c : (alen > blen) - (alen < blen);
}
