/* The overview as an Excel workbook, written with libxlsxwriter. Version 1.1.4 cannot write
 * into memory, so the workbook goes to a temporary file (mkstemp) that is read back and
 * always unlinked.
 * Layer: export. */
#include "export/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/file.h"
#include "core/utf8.h"

#define XLSX_LEAD_COLUMNS 7
#define XLSX_MAX_BYTES (64u << 20)

/* ---------------------------------------------------------------- sheet names */

/* The length in bytes of the UTF-8 sequence starting with c. */
static size_t seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

/* Copies at most max_chars characters of s (cleaned) into out[XLSX_SHEET_NAME_SIZE]. */
static void clean_name(const char *s, size_t max_chars, char *out)
{
    size_t o = 0, chars = 0;
    for (size_t i = 0; s[i] && chars < max_chars;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = seq_len(c);
        if (c < 0x20 || c == 0x7F) {
            i++;
            continue;
        }
        if (strchr("[]:*?/\\", c)) {
            out[o++] = '-';
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
        chars++;
    }
    out[o] = '\0';
    /* trim apostrophes and spaces at both ends (Excel refuses a leading or trailing ') */
    while (o > 0 && (out[o - 1] == '\'' || out[o - 1] == ' '))
        out[--o] = '\0';
    size_t start = 0;
    while (out[start] == '\'' || out[start] == ' ')
        start++;
    memmove(out, out + start, o - start + 1);
    if (!out[0])
        strcpy(out, "-");
}

static bool taken_has(json_t *taken, const char *name)
{
    buf folded = BUF_INIT;
    utf8_fold(name, strlen(name), &folded);
    bool has = json_object_get(taken, buf_cstr(&folded)) != NULL;
    buf_finish(&folded);
    return has;
}

static void taken_add(json_t *taken, const char *name)
{
    buf folded = BUF_INIT;
    utf8_fold(name, strlen(name), &folded);
    json_object_set_new(taken, buf_cstr(&folded), json_true());
    buf_finish(&folded);
}

void xlsx_sheet_name(const char *name, json_t *taken, char out[XLSX_SHEET_NAME_SIZE])
{
    clean_name(name, XLSX_SHEET_NAME_MAX, out);
    for (int k = 2; taken_has(taken, out); k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%d)", k);
        clean_name(name, XLSX_SHEET_NAME_MAX - strlen(suffix), out);
        strcat(out, suffix);
    }
    taken_add(taken, out);
}

/* ---------------------------------------------------------------- the workbook */

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold, *number, *bold_number;
    json_t *years;
    size_t n_years;
} book;

/* Writes a cell from JSON: string, number, or nothing for null. */
static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v,
                       lxw_format *number)
{
    if (json_is_string(v))
        worksheet_write_string(ws, row, col, json_string_value(v), NULL);
    else if (json_is_number(v))
        worksheet_write_number(ws, row, col, json_number_value(v), number);
}

static bool plan_shape_ok(json_t *plan, size_t n_years)
{
    json_t *rows = json_object_get(plan, "rows");
    if (!json_is_string(json_object_get(plan, "name")) || !json_is_array(rows))
        return false;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (json_array_size(json_object_get(r, "cells")) != XLSX_LEAD_COLUMNS ||
            json_array_size(json_object_get(r, "amounts")) != n_years ||
            json_array_size(json_object_get(r, "notes")) != n_years)
            return false;
    }
    return true;
}

/* Whether some row of the plan has a note in year k. */
static bool has_note(json_t *rows, size_t k)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        if (json_is_string(json_array_get(json_object_get(r, "notes"), k)))
            return true;
    return false;
}

/* Writes one plan's sheet; the sums of its year columns go to sums[n_years]. */
static void plan_sheet(book *b, json_t *desc, json_t *plan, const char *sheet, double *sums)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, sheet);
    json_t *rows = json_object_get(plan, "rows"), *columns = json_object_get(desc, "columns");
    const char *note = json_string_value(json_object_get(desc, "note"));
    static const double widths[XLSX_LEAD_COLUMNS] = {50, 30, 30, 14, 14, 12, 12};
    for (lxw_col_t c = 0; c < XLSX_LEAD_COLUMNS; c++) {
        worksheet_write_string(ws, 0, c, json_string_value(json_array_get(columns, c)), b->bold);
        worksheet_set_column(ws, c, c, widths[c], NULL);
    }
    lxw_col_t col = XLSX_LEAD_COLUMNS;
    for (size_t k = 0; k < b->n_years; k++, col++) {
        char year[16];
        snprintf(year, sizeof year, "%lld", (long long)json_integer_value(json_array_get(b->years, k)));
        worksheet_write_string(ws, 0, col, year, b->bold_number);
        worksheet_set_column(ws, col, col, 11, NULL);
    }
    lxw_col_t note_col[64];
    for (size_t k = 0; k < b->n_years && k < 64; k++) {
        note_col[k] = 0;
        if (!has_note(rows, k))
            continue;
        char head[64];
        snprintf(head, sizeof head, "%s %lld", note,
                 (long long)json_integer_value(json_array_get(b->years, k)));
        worksheet_write_string(ws, 0, col, head, b->bold);
        worksheet_set_column(ws, col, col, 24, NULL);
        note_col[k] = col++;
    }
    for (size_t k = 0; k < b->n_years; k++)
        sums[k] = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        for (lxw_col_t c = 0; c < XLSX_LEAD_COLUMNS; c++)
            write_cell(ws, row, c, json_array_get(json_object_get(r, "cells"), c), NULL);
        for (size_t k = 0; k < b->n_years; k++) {
            json_t *amount = json_array_get(json_object_get(r, "amounts"), k);
            write_cell(ws, row, (lxw_col_t)(XLSX_LEAD_COLUMNS + k), amount, b->number);
            if (json_is_number(amount))
                sums[k] += json_number_value(amount);
            json_t *text = json_array_get(json_object_get(r, "notes"), k);
            if (k < 64 && note_col[k] && json_is_string(text))
                worksheet_write_string(ws, row, note_col[k], json_string_value(text), NULL);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(rows), col - 1);
}

/* An Excel string literal of a sheet name for a formula: 'Leve hele livet' (' doubled). */
static void quote_sheet(const char *name, buf *out)
{
    buf_putc(out, '\'');
    for (const char *p = name; *p; p++) {
        if (*p == '\'')
            buf_putc(out, '\'');
        buf_putc(out, *p);
    }
    buf_putc(out, '\'');
}

/* Writes the summary sheet (added first) once the plans' sheets are known. */
static void summary_sheet(book *b, lxw_worksheet *ws, json_t *desc, char (*names)[XLSX_SHEET_NAME_SIZE],
                          size_t *n_rows, double *sums, size_t n_plans)
{
    json_t *plans = json_object_get(desc, "plans");
    worksheet_write_string(ws, 0, 0, json_string_value(json_object_get(desc, "plan")), b->bold);
    worksheet_set_column(ws, 0, 0, 50, NULL);
    for (size_t k = 0; k < b->n_years; k++) {
        char year[16];
        snprintf(year, sizeof year, "%lld", (long long)json_integer_value(json_array_get(b->years, k)));
        worksheet_write_string(ws, 0, (lxw_col_t)(k + 1), year, b->bold_number);
        worksheet_set_column(ws, (lxw_col_t)(k + 1), (lxw_col_t)(k + 1), 12, NULL);
    }
    for (size_t p = 0; p < n_plans; p++) {
        lxw_row_t row = (lxw_row_t)(p + 1);
        worksheet_write_string(ws, row, 0,
                               json_string_value(json_object_get(json_array_get(plans, p), "name")),
                               NULL);
        for (size_t k = 0; k < b->n_years; k++) {
            char col[LXW_MAX_COL_NAME_LENGTH];
            lxw_col_to_name(col, (lxw_col_t)(XLSX_LEAD_COLUMNS + k), 0);
            buf f = BUF_INIT;
            buf_puts(&f, "=SUM(");
            quote_sheet(names[p], &f);
            buf_printf(&f, "!%s2:%s%zu)", col, col, n_rows[p] + 1);
            worksheet_write_formula_num(ws, row, (lxw_col_t)(k + 1), buf_cstr(&f), b->number,
                                        sums[p * b->n_years + k]);
            buf_finish(&f);
        }
    }
    lxw_row_t total = (lxw_row_t)(n_plans + 1);
    worksheet_write_string(ws, total, 0, json_string_value(json_object_get(desc, "total")),
                           b->bold);
    for (size_t k = 0; k < b->n_years; k++) {
        char col[LXW_MAX_COL_NAME_LENGTH];
        lxw_col_to_name(col, (lxw_col_t)(k + 1), 0);
        double sum = 0;
        for (size_t p = 0; p < n_plans; p++)
            sum += sums[p * b->n_years + k];
        char f[64];
        if (n_plans)
            snprintf(f, sizeof f, "=SUM(%s2:%s%zu)", col, col, n_plans + 1);
        else
            snprintf(f, sizeof f, "=0");
        worksheet_write_formula_num(ws, total, (lxw_col_t)(k + 1), f, b->bold_number, sum);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static bool desc_ok(json_t *desc)
{
    static const char *const texts[] = {"summary", "plan", "total", "note"};
    for (size_t i = 0; i < PV_ARRAY_LEN(texts); i++)
        if (!json_is_string(json_object_get(desc, texts[i])))
            return false;
    json_t *years = json_object_get(desc, "years"), *columns = json_object_get(desc, "columns");
    if (!json_is_array(years) || json_array_size(years) > 64 ||
        json_array_size(columns) != XLSX_LEAD_COLUMNS ||
        !json_is_array(json_object_get(desc, "plans")))
        return false;
    size_t i;
    json_t *v;
    json_array_foreach(columns, i, v) if (!json_is_string(v)) return false;
    json_array_foreach(years, i, v) if (!json_is_integer(v)) return false;
    json_array_foreach(json_object_get(desc, "plans"), i, v)
        if (!plan_shape_ok(v, json_array_size(years)))
            return false;
    return true;
}

static int write_book(json_t *desc, const char *path)
{
    book b = {.years = json_object_get(desc, "years")};
    b.n_years = json_array_size(b.years);
    b.wb = workbook_new(path);
    if (!b.wb)
        return PV_EIO;
    b.bold = workbook_add_format(b.wb);
    format_set_bold(b.bold);
    b.number = workbook_add_format(b.wb);
    format_set_num_format(b.number, "# ##0");
    b.bold_number = workbook_add_format(b.wb);
    format_set_bold(b.bold_number);
    format_set_num_format(b.bold_number, "# ##0");
    format_set_align(b.bold_number, LXW_ALIGN_RIGHT);

    json_t *plans = json_object_get(desc, "plans"), *taken = json_object();
    size_t n = json_array_size(plans);
    char summary_name[XLSX_SHEET_NAME_SIZE];
    xlsx_sheet_name(json_string_value(json_object_get(desc, "summary")), taken, summary_name);
    lxw_worksheet *summary = workbook_add_worksheet(b.wb, summary_name);
    char (*names)[XLSX_SHEET_NAME_SIZE] = pv_calloc(n ? n : 1, sizeof *names);
    size_t *n_rows = pv_calloc(n ? n : 1, sizeof *n_rows);
    double *sums = pv_calloc((n ? n : 1) * (b.n_years ? b.n_years : 1), sizeof *sums);
    for (size_t p = 0; p < n; p++) {
        json_t *plan = json_array_get(plans, p);
        xlsx_sheet_name(json_string_value(json_object_get(plan, "name")), taken, names[p]);
        n_rows[p] = json_array_size(json_object_get(plan, "rows"));
        plan_sheet(&b, desc, plan, names[p], sums + p * b.n_years);
    }
    summary_sheet(&b, summary, desc, names, n_rows, sums, n);
    lxw_error err = workbook_close(b.wb);
    free(names);
    free(n_rows);
    free(sums);
    json_decref(taken);
    return err == LXW_NO_ERROR ? PV_OK : PV_EIO;
}

int xlsx_overview(json_t *desc, buf *out)
{
    if (!desc_ok(desc))
        return PV_EINVAL;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/planverk-xlsx.XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return PV_EIO;
    close(fd);
    int rc = write_book(desc, path);
    if (rc == PV_OK && pv_read_file(path, XLSX_MAX_BYTES, out) != PV_OK)
        rc = PV_EIO;
    unlink(path);
    return rc;
}
