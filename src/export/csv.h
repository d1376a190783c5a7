/* CSV as spreadsheets read it (RFC 4180): the merknadsbehandling and the overview tables.
 * Layer: export. */
#ifndef PV_EXPORT_CSV_H
#define PV_EXPORT_CSV_H

#include <stddef.h>

#include "core/buf.h"

/* The byte order mark that makes Excel read a CSV file as UTF-8 (Norwegian letters). */
#define CSV_BOM "\xEF\xBB\xBF"

/* Appends one field: quoted when it holds a comma, semicolon, quote, CR or LF (quotes
 * doubled), so it reads the same whichever separator the spreadsheet expects; a field
 * starting with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet never runs it as
 * a formula. NULL is an empty field. */
void csv_field(buf *out, const char *s);

/* Appends one record: the n fields separated by sep (',' or ';'), ended by CRLF. */
void csv_record(buf *out, const char *const *fields, size_t n, char sep);

#endif
