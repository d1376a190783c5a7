/* CSV fields and records (export/csv.h).
 * Layer: export. */
#include "export/csv.h"

#include <stdbool.h>
#include <string.h>

void csv_field(buf *out, const char *s)
{
    if (!s)
        return;
    bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]);
    bool quote = strpbrk(s, ",;\"\r\n") != NULL;
    if (quote)
        buf_putc(out, '"');
    if (formula)
        buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    if (quote)
        buf_putc(out, '"');
}

void csv_record(buf *out, const char *const *fields, size_t n, char sep)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, sep);
        csv_field(out, fields[i]);
    }
    buf_puts(out, "\r\n");
}
