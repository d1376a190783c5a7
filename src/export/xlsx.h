/* Excel workbooks (.xlsx, with libxlsxwriter) of the follow-up overview: a «Sammendrag» sheet
 * whose cells are formulas over the plans' sheets (with the computed values cached, so a
 * reader that does not calculate still shows them), then one sheet per plan.
 * Layer: export. Texts come translated from the page layer. */
#ifndef PV_EXPORT_XLSX_H
#define PV_EXPORT_XLSX_H

#include <jansson.h>

#include "core/buf.h"
#include "core/pv.h"

/* Excel's limit on a sheet name, in characters. */
#define XLSX_SHEET_NAME_MAX 31
/* Room for a sheet name in UTF-8 (31 characters of up to 4 bytes, and the NUL). */
#define XLSX_SHEET_NAME_SIZE (XLSX_SHEET_NAME_MAX * 4 + 1)

/* Makes a sheet name from name: the characters Excel refuses ([ ] : * ? / \) become '-',
 * control characters are dropped, leading and trailing apostrophes and spaces are trimmed,
 * at most 31 characters are kept (an empty result is "-"); when the name is taken already
 * (case-insensitively: `taken` is an object whose keys are the folded names in use) it is
 * shortened and numbered "Name (2)", "Name (3)" … Records the name in `taken`. name must be
 * valid UTF-8. */
void xlsx_sheet_name(const char *name, json_t *taken, char out[XLSX_SHEET_NAME_SIZE]);

/* The workbook of the overview. wb describes it (texts translated, numbers as numbers):
 *   {"summary": "Sammendrag", "plan": "Plan", "total": "Sum", "note": "Merknad",
 *    "columns": ["Tiltak", "Satsingsområde", "Ansvarlig", "Status", "Periode",
 *                "Fremdrift %", "Frist"],     the 7 leading columns of a plan's sheet
 *    "years": [2024, …],
 *    "plans": [{"name": "Leve hele livet",
 *               "rows": [{"cells": [7 strings, numbers or nulls],
 *                         "amounts": [number or null per year],
 *                         "notes": [string or null per year]}]}]}
 * A plan's sheet has the 7 columns, one column per year with the amounts (1000 kr; a year
 * with only a note is an empty cell), then a «Merknad YYYY» column for each year in which
 * some measure of the plan has a note. «Sammendrag» has one row per plan and one column per
 * year: =SUM('Plan'!H2:H41) with the sum cached, and a total row of =SUM over the column.
 * Appends the file to out. PV_EINVAL for a description of another shape, PV_EIO when the
 * library or the temporary file fails. */
int xlsx_overview(json_t *wb, buf *out) PV_NODISCARD;

#endif
