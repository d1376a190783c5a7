/* Unit tests for the Excel export (export/xlsx.c): the sheet-name rule (at most 31
 * characters, none of [ ] : * ? / \, no apostrophe at either end, unique without regard to
 * case, shortened and numbered), and that a workbook is written (a ZIP file) for a valid
 * description and refused for another shape, with no temporary file left behind.
 * Layer: tests (export). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "export/xlsx.h"

static void name_is(json_t *taken, const char *in, const char *want)
{
    char out[XLSX_SHEET_NAME_SIZE];
    xlsx_sheet_name(in, taken, out);
    assert_string_equal(out, want);
    assert_true(utf8_length(out, strlen(out)) <= XLSX_SHEET_NAME_MAX);
}

static void test_sheet_names(void **state)
{
    (void)state;
    json_t *taken = json_object();
    name_is(taken, "Sammendrag", "Sammendrag");
    name_is(taken, "sammendrag", "sammendrag (2)"); /* case does not make it another name */
    name_is(taken, "Leve hele livet", "Leve hele livet");
    name_is(taken, "Plan: [utkast] a/b\\c*d?", "Plan- -utkast- a-b-c-d-");
    name_is(taken, "'Sitert'", "Sitert");
    name_is(taken, "", "-");
    /* 31 characters, counted as characters (æøå are two bytes each) */
    name_is(taken, "Kommunedelplan for idrett, fysisk aktivitet og friluftsliv",
            "Kommunedelplan for idrett, fysi");
    name_is(taken, "Kommunedelplan for idrett, fysisk aktivitet og naturopplevelser",
            "Kommunedelplan for idrett, (2)");
    name_is(taken, "Kommunedelplan for idrett, fysisk aktivitet og mer",
            "Kommunedelplan for idrett, (3)");
    name_is(taken, "Økonomiplan og årsbudsjett for årene 2025–2028 i Moss",
            "Økonomiplan og årsbudsjett for");
    name_is(taken, "ØKONOMIPLAN OG ÅRSBUDSJETT FOR ÅRENE", "ØKONOMIPLAN OG ÅRSBUDSJETT (2)");
    json_decref(taken);
}

static json_t *description(void)
{
    json_error_t je;
    json_t *d = json_loads(
        "{\"summary\": \"Sammendrag\", \"plan\": \"Plan\", \"total\": \"Sum\","
        " \"note\": \"Merknad\", \"columns\": [\"Tiltak\", \"Satsingsområde\", \"Ansvarlig\","
        " \"Status\", \"Periode\", \"Fremdrift %\", \"Frist\"], \"years\": [2025, 2026],"
        " \"plans\": [{\"name\": \"Leve hele livet\", \"rows\": ["
        "  {\"cells\": [\"Tiltak én\", \"Område\", \"Enhet A\", \"I rute\", \"2025 T1\", 20,"
        "    \"2026-01-01\"], \"amounts\": [100, null], \"notes\": [null, \"innenfor ramme\"]},"
        "  {\"cells\": [\"=Tiltak to\", null, null, null, null, null, null],"
        "   \"amounts\": [50, 30], \"notes\": [null, null]}]},"
        "  {\"name\": \"Sammendrag\", \"rows\": []}]}",
        0, &je);
    if (!d)
        fail_msg("%s", je.text);
    return d;
}

static size_t temp_files(void)
{
    DIR *d = opendir(getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, "planverk-xlsx.", 14) == 0;
    if (d)
        closedir(d);
    return n;
}

static void test_workbook(void **state)
{
    (void)state;
    size_t before = temp_files();
    json_t *d = description();
    buf out = BUF_INIT;
    assert_int_equal(xlsx_overview(d, &out), PV_OK);
    assert_true(out.len > 1000);
    assert_memory_equal(out.data, "PK\x03\x04", 4);
    assert_int_equal(temp_files(), before);
    buf_finish(&out);

    /* a row with a missing year is another shape */
    json_array_remove(json_object_get(json_array_get(json_object_get(json_array_get(
                          json_object_get(d, "plans"), 0), "rows"), 0), "amounts"), 1);
    buf bad = BUF_INIT;
    assert_int_equal(xlsx_overview(d, &bad), PV_EINVAL);
    assert_int_equal(bad.len, 0);
    buf_finish(&bad);
    json_decref(d);
    assert_int_equal(temp_files(), before);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_names),
        cmocka_unit_test(test_workbook),
    };
    return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL) ? 1 : 0;
}
