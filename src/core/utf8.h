/* UTF-8: strict validation, and case folding for search.
 * Layer: core. */
#ifndef PV_UTF8_H
#define PV_UTF8_H

#include "core/buf.h"

/* True when s[0..n) is well-formed UTF-8 (no overlong forms, no surrogates, at most
 * U+10FFFF) and contains no NUL byte. */
bool utf8_valid(const char *s, size_t n);

/* Appends s folded to lower case for matching: ASCII, Latin-1 (Æ Ø Å É …) and Latin
 * Extended-A (Polish, Lithuanian … letters). Other characters are copied unchanged.
 * s must be valid UTF-8. */
void utf8_fold(const char *s, size_t n, buf *out);

/* Compares two UTF-8 strings in Norwegian alphabetical order: case-insensitive, with
 * æ ø å after z, accented letters beside their base letter; ties broken bytewise.
 * Returns <0, 0, >0. Used as the SQLite collation "nb". */
int utf8_collate_nb(const char *a, size_t alen, const char *b, size_t blen);

/* Number of code points in valid UTF-8 s. */
size_t utf8_length(const char *s, size_t n);

#endif
