/* Unit tests for the participation rules of src/domain/participation.c: the process state
 * machine as a table of every from → to pair, when a process takes inputs, the days left
 * (in Oslo time, over daylight-saving changes), receipt codes (format, alphabet, groups, the
 * bits they carry, no collision in a million), reading typed codes, and the rate limit.
 * Layer: tests (domain). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/secret.h"
#include "domain/participation.h"

/* ---- the state machine ---------------------------------------------------------------- */

/* allowed[from][to], in the order of process_statuses: planlagt, åpen, til behandling,
 * tilbakemeldt, avsluttet. */
static const bool allowed[5][5] = {
    /* planlagt →       */ {false, true, false, false, true},
    /* åpen →           */ {false, false, true, false, false},
    /* til behandling → */ {false, true, false, true, false},
    /* tilbakemeldt →   */ {false, false, false, false, true},
    /* avsluttet →      */ {false, false, false, false, false},
};

static void test_statuses(void **state)
{
    (void)state;
    assert_string_equal(process_statuses[0], "planlagt");
    assert_string_equal(process_statuses[1], "åpen");
    assert_string_equal(process_statuses[2], "til behandling");
    assert_string_equal(process_statuses[3], "tilbakemeldt");
    assert_string_equal(process_statuses[4], "avsluttet");
    for (int i = 0; i < 5; i++)
        assert_true(process_status_valid(process_statuses[i]));
    const char *bad[] = {"", "Åpen", "apen", "open", "åpen ", "avsluttet\n", "til_behandling"};
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        assert_false(process_status_valid(bad[i]));
    assert_false(process_status_valid(NULL));
}

static void test_transitions_table(void **state)
{
    (void)state;
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++)
            if (process_transition_allowed(process_statuses[a], process_statuses[b]) !=
                allowed[a][b])
                fail_msg("%s → %s: expected %s", process_statuses[a], process_statuses[b],
                         allowed[a][b] ? "allowed" : "refused");
    /* Unknown statuses on either side are refused. */
    for (int i = 0; i < 5; i++) {
        assert_false(process_transition_allowed("ukjent", process_statuses[i]));
        assert_false(process_transition_allowed(process_statuses[i], "ukjent"));
        assert_false(process_transition_allowed(NULL, process_statuses[i]));
        assert_false(process_transition_allowed(process_statuses[i], NULL));
    }
}

static void test_next_statuses(void **state)
{
    (void)state;
    for (int a = 0; a < 5; a++) {
        const char *out[5] = {0};
        size_t n = process_next_statuses(process_statuses[a], out);
        /* The same pairs as the table, in the order of process_statuses. */
        size_t k = 0;
        for (int b = 0; b < 5; b++)
            if (allowed[a][b]) {
                assert_true(k < n);
                assert_string_equal(out[k], process_statuses[b]);
                k++;
            }
        assert_int_equal(n, k);
    }
    const char *out[5];
    assert_int_equal(process_next_statuses("avsluttet", out), 0);
    assert_int_equal(process_next_statuses("ukjent", out), 0);
    assert_int_equal(process_next_statuses(PROCESS_PLANNED, out), 2);
    assert_string_equal(out[0], PROCESS_OPEN);
    assert_string_equal(out[1], PROCESS_CLOSED);
}

/* ---- taking inputs -------------------------------------------------------------------- */

static void test_accepts_inputs(void **state)
{
    (void)state;
    const int64_t opens = 1700000000, deadline = 1700600000;
    /* Only while «åpen». */
    for (int i = 0; i < 5; i++)
        assert_int_equal(process_accepts_inputs(process_statuses[i], opens, deadline, opens + 10),
                         i == 1);
    assert_false(process_accepts_inputs(NULL, 0, 0, opens));
    /* The edges: from the moment it opens, until the moment of the deadline (excluded). */
    assert_false(process_accepts_inputs(PROCESS_OPEN, opens, deadline, opens - 1));
    assert_true(process_accepts_inputs(PROCESS_OPEN, opens, deadline, opens));
    assert_true(process_accepts_inputs(PROCESS_OPEN, opens, deadline, deadline - 1));
    assert_false(process_accepts_inputs(PROCESS_OPEN, opens, deadline, deadline));
    assert_false(process_accepts_inputs(PROCESS_OPEN, opens, deadline, deadline + 86400));
    /* 0 means no start or no deadline. */
    assert_true(process_accepts_inputs(PROCESS_OPEN, 0, deadline, 0));
    assert_true(process_accepts_inputs(PROCESS_OPEN, 0, deadline, deadline - 1));
    assert_false(process_accepts_inputs(PROCESS_OPEN, 0, deadline, deadline));
    assert_true(process_accepts_inputs(PROCESS_OPEN, opens, 0, INT64_MAX));
    assert_false(process_accepts_inputs(PROCESS_OPEN, opens, 0, opens - 1));
    assert_true(process_accepts_inputs(PROCESS_OPEN, 0, 0, 1));
    /* A closed process takes nothing, whatever its dates. */
    assert_false(process_accepts_inputs(PROCESS_PROCESSING, 0, 0, opens));
}

/* The end of day d in Oslo: the deadline of a date. */
static int64_t end_of(int y, int m, int d)
{
    pv_date next = pv_date_add_days((pv_date){y, m, d}, 1);
    return pv_date_local(next, 0, 0, 0);
}

static int64_t at(int y, int m, int d, int hh, int mm)
{
    return pv_date_local((pv_date){y, m, d}, hh, mm, 0);
}

static void test_days_left(void **state)
{
    (void)state;
    int64_t deadline = end_of(2025, 6, 30);
    assert_int_equal(process_days_left(deadline, at(2025, 6, 30, 0, 0)), 0); /* last day */
    assert_int_equal(process_days_left(deadline, at(2025, 6, 30, 23, 59)), 0);
    assert_int_equal(process_days_left(deadline, deadline - 1), 0);
    assert_int_equal(process_days_left(deadline, deadline), -1); /* passed */
    assert_int_equal(process_days_left(deadline, deadline + 86400 * 10), -1);
    assert_int_equal(process_days_left(deadline, at(2025, 6, 29, 0, 0)), 1);
    assert_int_equal(process_days_left(deadline, at(2025, 6, 29, 23, 59)), 1);
    assert_int_equal(process_days_left(deadline, at(2025, 6, 1, 12, 0)), 29);
    assert_int_equal(process_days_left(deadline, at(2024, 6, 30, 12, 0)), 365);
    /* Over the spring change (30 March 2025 has 23 hours): late on 29 March two days are
     * left (30 and 31), as early that day. */
    deadline = end_of(2025, 3, 31);
    assert_int_equal(process_days_left(deadline, at(2025, 3, 29, 0, 30)), 2);
    assert_int_equal(process_days_left(deadline, at(2025, 3, 29, 23, 30)), 2);
    assert_int_equal(process_days_left(deadline, at(2025, 3, 30, 23, 30)), 1);
    /* Over the autumn change (26 October 2025 has 25 hours). */
    deadline = end_of(2025, 10, 27);
    assert_int_equal(process_days_left(deadline, at(2025, 10, 25, 0, 30)), 2);
    assert_int_equal(process_days_left(deadline, at(2025, 10, 26, 0, 30)), 1);
    assert_int_equal(process_days_left(deadline, at(2025, 10, 26, 23, 30)), 1);
    assert_int_equal(process_days_left(deadline, at(2025, 10, 27, 0, 0)), 0);
    /* Over a new year and a leap day. */
    deadline = end_of(2024, 3, 1);
    assert_int_equal(process_days_left(deadline, at(2023, 12, 31, 12, 0)), 61);
    /* A deadline that is not midnight: the day of its last moment is the last day. */
    deadline = at(2025, 6, 30, 12, 0);
    assert_int_equal(process_days_left(deadline, at(2025, 6, 30, 11, 59)), 0);
    assert_int_equal(process_days_left(deadline, at(2025, 6, 29, 13, 0)), 1);
}

/* ---- receipt codes -------------------------------------------------------------------- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Packs 20 five-bit symbols into raw, most significant bit first (written independently of
 * the code under test). */
static void pack(const int sym[RECEIPT_SYMBOLS], uint8_t raw[RECEIPT_RAW_BYTES])
{
    memset(raw, 0, RECEIPT_RAW_BYTES);
    for (int i = 0; i < RECEIPT_SYMBOLS; i++)
        for (int b = 0; b < 5; b++)
            if (sym[i] >> (4 - b) & 1) {
                int bit = i * 5 + b;
                raw[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
            }
}

static void check_shape(const char *code)
{
    assert_int_equal(strlen(code), RECEIPT_CODE_CHARS);
    assert_int_equal(RECEIPT_CODE_CHARS, 24);
    for (int i = 0; i < RECEIPT_CODE_CHARS; i++) {
        if (i % 5 == 4)
            assert_int_equal(code[i], '-'); /* groups of four */
        else if (!strchr(crockford, code[i]) || code[i] == '\0')
            fail_msg("'%c' in %s is not Crockford base 32", code[i], code);
    }
}

static void test_receipt_format(void **state)
{
    (void)state;
    char code[RECEIPT_CODE_CHARS + 1];
    uint8_t raw[RECEIPT_RAW_BYTES] = {0};
    receipt_code_format(raw, code);
    assert_string_equal(code, "0000-0000-0000-0000-0000");
    memset(raw, 0xff, sizeof raw);
    receipt_code_format(raw, code);
    assert_string_equal(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");

    /* Every symbol lands where it belongs. */
    int sym[RECEIPT_SYMBOLS];
    for (int i = 0; i < RECEIPT_SYMBOLS; i++)
        sym[i] = i;
    pack(sym, raw);
    receipt_code_format(raw, code);
    assert_string_equal(code, "0123-4567-89AB-CDEF-GHJK");
    for (int i = 0; i < RECEIPT_SYMBOLS; i++)
        sym[i] = 31 - i;
    pack(sym, raw);
    receipt_code_format(raw, code);
    assert_string_equal(code, "ZYXW-VTSR-QPNM-KJHG-FEDC");
    /* One bit at a time: each of the 100 bits shows, the last 4 of 104 do not. */
    for (int bit = 0; bit < RECEIPT_RAW_BYTES * 8; bit++) {
        memset(raw, 0, sizeof raw);
        raw[bit / 8] = (uint8_t)(0x80 >> (bit % 8));
        receipt_code_format(raw, code);
        check_shape(code);
        bool zero = strcmp(code, "0000-0000-0000-0000-0000") == 0;
        assert_int_equal(zero, bit >= 100);
    }
}

static int compare_code(const void *a, const void *b)
{
    return memcmp(a, b, RECEIPT_SYMBOLS);
}

/* A million codes from the real random source: the right shape, every symbol of the
 * alphabet used, and no two alike. */
static void test_receipt_no_collisions(void **state)
{
    (void)state;
    enum { N = 1000000 };
    char *all = malloc((size_t)N * RECEIPT_SYMBOLS);
    assert_non_null(all);
    size_t seen[32] = {0};
    for (size_t i = 0; i < N; i++) {
        uint8_t raw[RECEIPT_RAW_BYTES];
        char code[RECEIPT_CODE_CHARS + 1], norm[RECEIPT_SYMBOLS + 1];
        secret_random(raw, sizeof raw);
        receipt_code_format(raw, code);
        if (i < 1000)
            check_shape(code);
        assert_true(receipt_code_normalize(code, norm));
        memcpy(all + i * RECEIPT_SYMBOLS, norm, RECEIPT_SYMBOLS);
        for (int k = 0; k < RECEIPT_SYMBOLS; k++)
            seen[strchr(crockford, norm[k]) - crockford]++;
    }
    /* Each symbol about 20 M / 32 = 625 000 times; far outside ±1 % means a broken mapping. */
    for (int k = 0; k < 32; k++)
        if (seen[k] < 618750 || seen[k] > 631250)
            fail_msg("symbol %c seen %zu times", crockford[k], seen[k]);
    qsort(all, N, RECEIPT_SYMBOLS, compare_code);
    for (size_t i = 1; i < N; i++)
        if (memcmp(all + (i - 1) * RECEIPT_SYMBOLS, all + i * RECEIPT_SYMBOLS,
                   RECEIPT_SYMBOLS) == 0)
            fail_msg("two equal codes: %.20s", all + i * RECEIPT_SYMBOLS);
    free(all);
}

static void test_receipt_normalize(void **state)
{
    (void)state;
    char out[RECEIPT_SYMBOLS + 1];
    struct {
        const char *in, *out;
    } good[] = {
        {"K7Q2-9XTB-0000-ZZZZ-ABCD", "K7Q29XTB0000ZZZZABCD"},
        {"k7q2-9xtb-0000-zzzz-abcd", "K7Q29XTB0000ZZZZABCD"}, /* any case */
        {"K7Q29XTB0000ZZZZABCD", "K7Q29XTB0000ZZZZABCD"},     /* no dashes */
        {"K7Q2 9XTB 0000 ZZZZ ABCD", "K7Q29XTB0000ZZZZABCD"}, /* spaces */
        {" K7Q2--9XTB 0000-ZZZZABCD ", "K7Q29XTB0000ZZZZABCD"},
        {"IiLl-OoOo-1111-0000-2222", "11110000111100002222"}, /* I, L → 1; O → 0 */
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(good); i++) {
        if (!receipt_code_normalize(good[i].in, out))
            fail_msg("refused \"%s\"", good[i].in);
        assert_string_equal(out, good[i].out);
    }
    const char *bad[] = {
        "",
        "----",
        "K7Q2-9XTB-0000-ZZZZ-ABC",    /* 19 symbols */
        "K7Q2-9XTB-0000-ZZZZ-ABCDE",  /* 21 */
        "K7Q2-9XTB-0000-ZZZZ-ABCDEFGHJKMNPQRSTVWXYZ",
        "K7Q2-9XTB-0000-ZZZZ-ABCU",   /* U is not in the alphabet */
        "K7Q2-9XTB-0000-ZZZZ-AB_D",
        "K7Q2-9XTB-0000-ZZZZ-AB\tD",  /* only dashes and spaces are skipped */
        "K7Q2-9XTB-0000-ZZZZ-ABÅD",   /* non-ASCII */
        "K7Q2.9XTB.0000.ZZZZ.ABCD",
        "../../../etc/passwd",
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(bad); i++)
        if (receipt_code_normalize(bad[i], out))
            fail_msg("accepted \"%s\"", bad[i]);
}

/* ---- the rate limit ------------------------------------------------------------------- */

static void test_rate_allow(void **state)
{
    (void)state;
    rate_window w = {0, 0};
    const int64_t t0 = 1700000000;
    for (int i = 0; i < RATE_LIMIT_COUNT; i++)
        assert_true(rate_allow(&w, t0 + i, RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW));
    assert_false(rate_allow(&w, t0 + 20, RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW)); /* the 11th */
    assert_false(rate_allow(&w, t0 + RATE_LIMIT_WINDOW - 1, RATE_LIMIT_COUNT,
                            RATE_LIMIT_WINDOW)); /* still the same window */
    /* A new window starts when the old one has passed. */
    assert_true(rate_allow(&w, t0 + RATE_LIMIT_WINDOW, RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW));
    assert_int_equal(w.start, t0 + RATE_LIMIT_WINDOW);
    assert_int_equal(w.count, 1);

    /* A limit of 1 in 60 s. */
    rate_window one = {0, 0};
    assert_true(rate_allow(&one, 100, 1, 60));
    assert_false(rate_allow(&one, 159, 1, 60));
    assert_true(rate_allow(&one, 160, 1, 60));
    /* A clock that went backwards starts a new window rather than locking out. */
    assert_false(rate_allow(&one, 161, 1, 60));
    assert_true(rate_allow(&one, 50, 1, 60));
    /* An empty window (count 0) starts at the first submission, whatever start says. */
    rate_window fresh = {t0 + 1000000, 0};
    assert_true(rate_allow(&fresh, t0, 1, 60));
    assert_int_equal(fresh.start, t0);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    setenv("TZ", "Europe/Oslo", 1); /* as main does: deadlines are Norwegian days */
    tzset();
    if (secret_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_transitions_table),
        cmocka_unit_test(test_next_statuses),
        cmocka_unit_test(test_accepts_inputs),
        cmocka_unit_test(test_days_left),
        cmocka_unit_test(test_receipt_format),
        cmocka_unit_test(test_receipt_no_collisions),
        cmocka_unit_test(test_receipt_normalize),
        cmocka_unit_test(test_rate_allow),
    };
    return cmocka_run_group_tests_name("participation", tests, NULL, NULL) ? 1 : 0;
}
