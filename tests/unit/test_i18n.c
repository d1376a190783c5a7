/* Unit tests for translations: .mo images built in memory (valid, with msgctxt, and broken in
 * every way we could think of), the nn/en → nb → msgid fallback, Accept-Language negotiation,
 * and the real catalogs that the build compiles from po/.
 * Layer: tests (web). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "web/i18n.h"

/* ---- building .mo images -------------------------------------------------------------- */

typedef struct mo_pair {
    const char *msgid; /* "ctx\x04msgid" for a msgctxt entry */
    const char *msgstr;
} mo_pair;

static void put_u32(buf *b, uint32_t v, bool big_endian)
{
    unsigned char e[4];
    for (int i = 0; i < 4; i++)
        e[i] = (unsigned char)(big_endian ? v >> (24 - 8 * i) : v >> (8 * i));
    buf_append(b, (const char *)e, 4);
}

/* Writes a valid .mo image of pairs[0..n) into out: the 28-byte header, the table of
 * originals, the table of translations (each (length, offset) pairs), then the strings, each
 * NUL-terminated. Little-endian unless big_endian (readers must accept both). */
static void mo_build(const mo_pair *pairs, size_t n, bool big_endian, buf *out)
{
    uint32_t orig = 28, trans = orig + 8 * (uint32_t)n, strings = trans + 8 * (uint32_t)n;
    put_u32(out, 0x950412deu, big_endian);
    put_u32(out, 0, big_endian); /* revision */
    put_u32(out, (uint32_t)n, big_endian);
    put_u32(out, orig, big_endian);
    put_u32(out, trans, big_endian);
    put_u32(out, 0, big_endian); /* hash table size */
    put_u32(out, strings, big_endian);
    uint32_t at = strings;
    for (int table = 0; table < 2; table++) {
        for (size_t i = 0; i < n; i++) {
            const char *s = table == 0 ? pairs[i].msgid : pairs[i].msgstr;
            put_u32(out, (uint32_t)strlen(s), big_endian);
            put_u32(out, at, big_endian);
            at += (uint32_t)strlen(s) + 1;
        }
    }
    for (int table = 0; table < 2; table++)
        for (size_t i = 0; i < n; i++) {
            const char *s = table == 0 ? pairs[i].msgid : pairs[i].msgstr;
            buf_append(out, s, strlen(s) + 1);
        }
}

static const mo_pair en_pairs[] = {
    {"", "Content-Type: text/plain; charset=UTF-8\n"}, /* the header entry */
    {"Planer", "Plans"},
    {"Søk", "Search"},
    {"planstatus\x04vedtatt", "adopted"},
    {"plantype\x04" "Fagplan", "Sector plan"},
    {"Tom", ""}, /* an untranslated entry: falls back */
    {"Alle planer", "All plans"},
};

/* Offsets of the fields in the header and of the first table entries. */
enum { H_N = 8, H_ORIG = 12, H_TRANS = 16 };

static void set_u32(buf *b, size_t at, uint32_t v)
{
    memcpy(b->data + at, &v, 4); /* little-endian host, little-endian image */
}

static uint32_t get_u32(const buf *b, size_t at)
{
    uint32_t v;
    memcpy(&v, b->data + at, 4);
    return v;
}

/* ---- parsing and lookup --------------------------------------------------------------- */

static void test_mo_parse_and_lookup(void **state)
{
    (void)state;
    buf mo = BUF_INIT;
    mo_build(en_pairs, PV_ARRAY_LEN(en_pairs), false, &mo);
    i18n *t = i18n_create_from_mo("en", mo.data, mo.len);
    buf_finish(&mo); /* the catalog keeps its own copy */
    assert_non_null(t);
    assert_string_equal(i18n_get(t, "en", "Planer"), "Plans");
    assert_string_equal(i18n_get(t, "en", "Søk"), "Search");
    assert_string_equal(i18n_get(t, "en", "Alle planer"), "All plans");
    assert_true(i18n_has(t, "en", "Planer"));
    assert_false(i18n_has(t, "en", "Ukjent"));
    assert_false(i18n_has(t, "en", "Tom"));     /* empty msgstr is not a translation */
    assert_false(i18n_has(t, "en", ""));        /* nor is the header */
    assert_false(i18n_has(t, "nn", "Planer")); /* no nn catalog here */
    /* Unknown, untranslated: the msgid itself, the very same pointer. */
    const char *unknown = "Finnes ikke";
    assert_ptr_equal(i18n_get(t, "en", unknown), unknown);
    assert_string_equal(i18n_get(t, "en", "Tom"), "Tom");
    assert_string_equal(i18n_get(t, "nn", "Planer"), "Planer"); /* no nn, no nb: msgid */
    /* A msgctxt entry is found only with its context. */
    assert_string_equal(i18n_pget(t, "en", "planstatus", "vedtatt"), "adopted");
    assert_string_equal(i18n_pget(t, "en", "plantype", "Fagplan"), "Sector plan");
    assert_string_equal(i18n_get(t, "en", "vedtatt"), "vedtatt");
    assert_string_equal(i18n_pget(t, "en", "plantype", "vedtatt"), "vedtatt");
    assert_string_equal(i18n_pget(t, "en", "planstatus", "Planer"), "Planer");
    assert_string_equal(i18n_pget(t, "en", "x", "Ukjent"), "Ukjent");
    /* A context + msgid too long for the lookup key gives the msgid back. */
    char long_id[600];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    assert_ptr_equal(i18n_pget(t, "en", "planstatus", long_id), long_id);
    i18n_destroy(t);
    i18n_destroy(NULL);
}

static void test_mo_big_endian(void **state)
{
    (void)state;
    buf mo = BUF_INIT;
    mo_build(en_pairs, PV_ARRAY_LEN(en_pairs), true, &mo);
    i18n *t = i18n_create_from_mo("en", mo.data, mo.len);
    buf_finish(&mo);
    assert_non_null(t);
    assert_string_equal(i18n_get(t, "en", "Planer"), "Plans");
    assert_string_equal(i18n_pget(t, "en", "planstatus", "vedtatt"), "adopted");
    i18n_destroy(t);
}

static void test_mo_empty_catalog(void **state)
{
    (void)state;
    buf mo = BUF_INIT;
    mo_build(NULL, 0, false, &mo);
    i18n *t = i18n_create_from_mo("nb", mo.data, mo.len);
    buf_finish(&mo);
    assert_non_null(t);
    assert_string_equal(i18n_get(t, "nb", "Planer"), "Planer");
    i18n_destroy(t);
}

/* Expects the (mutated) image to be refused. */
static void refuse(const buf *mo, size_t size, const char *what)
{
    i18n *t = i18n_create_from_mo("en", mo->data, size);
    if (t) {
        i18n_destroy(t);
        fail_msg("a malformed .mo image was accepted: %s", what);
    }
}

static void test_mo_malformed(void **state)
{
    (void)state;
    buf good = BUF_INIT;
    mo_build(en_pairs, PV_ARRAY_LEN(en_pairs), false, &good);
    buf mo = BUF_INIT;
#define FRESH() (buf_reset(&mo), buf_append(&mo, good.data, good.len))

    /* Too short for a header, and nothing at all. */
    FRESH();
    refuse(&mo, 0, "empty");
    refuse(&mo, 19, "19 bytes");
    /* Truncated anywhere after the header: some string or table entry falls outside. */
    for (size_t cut = 20; cut < good.len; cut += 7)
        refuse(&mo, cut, "truncated");
    refuse(&mo, good.len - 1, "last NUL cut off");

    /* A wrong magic number. */
    FRESH();
    set_u32(&mo, 0, 0x12345678u);
    refuse(&mo, mo.len, "bad magic");

    /* Tables placed outside the image, or straddling its end. */
    FRESH();
    set_u32(&mo, H_ORIG, (uint32_t)mo.len);
    refuse(&mo, mo.len, "originals table at the end");
    FRESH();
    set_u32(&mo, H_TRANS, 0xFFFFFFF0u);
    refuse(&mo, mo.len, "translations table far outside");
    FRESH();
    set_u32(&mo, H_ORIG, (uint32_t)mo.len - 4);
    refuse(&mo, mo.len, "originals table straddling the end");

    /* A string whose offset or length points outside the image, including wrap-around. */
    uint32_t orig = get_u32(&good, H_ORIG);
    FRESH();
    set_u32(&mo, orig + 8 + 4, (uint32_t)mo.len); /* offset of string 1 */
    refuse(&mo, mo.len, "string offset at the end");
    FRESH();
    set_u32(&mo, orig + 8 + 4, 0xFFFFFFFFu);
    refuse(&mo, mo.len, "string offset 0xFFFFFFFF");
    FRESH();
    set_u32(&mo, orig + 8, 0xFFFFFFFFu); /* length of string 1 */
    refuse(&mo, mo.len, "string length 0xFFFFFFFF");
    FRESH();
    set_u32(&mo, orig + 8, (uint32_t)mo.len);
    refuse(&mo, mo.len, "string length past the end");

    /* A string that is not NUL-terminated where its length says. */
    FRESH();
    uint32_t len1 = get_u32(&good, orig + 8), off1 = get_u32(&good, orig + 12);
    mo.data[off1 + len1] = 'X';
    refuse(&mo, mo.len, "missing NUL");
    FRESH();
    set_u32(&mo, orig + 8, len1 - 1); /* one short: the byte there is not NUL */
    refuse(&mo, mo.len, "length one short");

    /* Huge counts: more strings than the image could hold. */
    FRESH();
    set_u32(&mo, H_N, 0xFFFFFFFFu);
    refuse(&mo, mo.len, "count 0xFFFFFFFF");
    FRESH();
    set_u32(&mo, H_N, 0x20000000u); /* 0x20000000 * 8 overflows 32 bits */
    refuse(&mo, mo.len, "count 2^29");
    FRESH();
    set_u32(&mo, H_N, (uint32_t)PV_ARRAY_LEN(en_pairs) + 1);
    refuse(&mo, mo.len, "count one too many");

    /* A language code longer than a catalog keeps is refused, not truncated. */
    assert_null(i18n_create_from_mo("verylonglanguage", good.data, good.len));

    /* Garbage of every small size does not crash. */
    unsigned char noise[64];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (unsigned char)(i * 37 + 11);
    memcpy(noise, "\xde\x12\x04\x95", 4);
    for (size_t n = 0; n <= sizeof noise; n++) {
        i18n *t = i18n_create_from_mo("en", noise, n);
        i18n_destroy(t);
    }
#undef FRESH
    buf_finish(&mo);
    buf_finish(&good);
}

/* ---- fallbacks across catalogs -------------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void write_mo(const char *dir, const char *lang, const mo_pair *pairs, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.mo", dir, lang);
    buf mo = BUF_INIT;
    mo_build(pairs, n, false, &mo);
    write_file(path, mo.data, mo.len);
    buf_finish(&mo);
}

static void remove_mo(const char *dir, const char *lang)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.mo", dir, lang);
    unlink(path);
}

static void test_fallback_chain(void **state)
{
    (void)state;
    char dir[] = "/tmp/pv-test-i18n-XXXXXX";
    assert_non_null(mkdtemp(dir));
    /* nb corrects a wording of the source; nn translates one; en another. */
    static const mo_pair nb[] = {{"Planer", "Planer i Moss"},
                                 {"planstatus\x04vedtatt", "vedtatt (nb)"}};
    static const mo_pair nn[] = {{"Søk", "Søk (nn)"}};
    static const mo_pair en[] = {{"Søk", "Search"}, {"Planer", "Plans"}};
    write_mo(dir, "nb", nb, PV_ARRAY_LEN(nb));
    write_mo(dir, "nn", nn, PV_ARRAY_LEN(nn));
    write_mo(dir, "en", en, PV_ARRAY_LEN(en));
    char err[512] = "";
    i18n *t = i18n_create(dir, err, sizeof err);
    assert_non_null(t);
    assert_string_equal(i18n_get(t, "nn", "Søk"), "Søk (nn)");      /* own translation */
    assert_string_equal(i18n_get(t, "nn", "Planer"), "Planer i Moss"); /* nn → nb */
    assert_string_equal(i18n_get(t, "en", "Planer"), "Plans");
    assert_string_equal(i18n_get(t, "nb", "Planer"), "Planer i Moss");
    assert_string_equal(i18n_get(t, "nb", "Søk"), "Søk");            /* nb → msgid */
    assert_string_equal(i18n_get(t, "en", "Mål"), "Mål");            /* en → nb → msgid */
    assert_string_equal(i18n_pget(t, "en", "planstatus", "vedtatt"), "vedtatt (nb)");
    assert_string_equal(i18n_pget(t, "nn", "planstatus", "vedtatt"), "vedtatt (nb)");
    assert_string_equal(i18n_pget(t, "nn", "planstatus", "utgått"), "utgått");
    assert_false(i18n_has(t, "nn", "Planer")); /* has() does not fall back */
    assert_true(i18n_has(t, "nb", "Planer"));
    i18n_destroy(t);

    /* nb.mo may be missing (nb is the source language): then nb falls back to the msgid. */
    remove_mo(dir, "nb");
    t = i18n_create(dir, err, sizeof err);
    assert_non_null(t);
    assert_string_equal(i18n_get(t, "nn", "Planer"), "Planer");
    assert_string_equal(i18n_get(t, "en", "Planer"), "Plans");
    i18n_destroy(t);

    /* Any other missing catalog is an error that names it. */
    remove_mo(dir, "nn");
    assert_null(i18n_create(dir, err, sizeof err));
    assert_non_null(strstr(err, "nn"));
    assert_non_null(strstr(err, "no such file"));

    /* So is a malformed one. */
    char nn_path[512];
    snprintf(nn_path, sizeof nn_path, "%s/nn.mo", dir);
    write_file(nn_path, "not a catalog", 13);
    err[0] = '\0';
    assert_null(i18n_create(dir, err, sizeof err));
    assert_non_null(strstr(err, "nn"));
    assert_non_null(strstr(err, "not a valid .mo file"));

    remove_mo(dir, "nn");
    remove_mo(dir, "en");
    assert_int_equal(rmdir(dir), 0);
}

/* ---- the real catalogs ---------------------------------------------------------------- */

/* The folder of this test binary: meson puts the compiled <lang>.mo there. */
static void build_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1);
    assert_true(n > 0);
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    assert_non_null(slash);
    *slash = '\0';
}

static void test_real_catalogs(void **state)
{
    (void)state;
    char dir[PATH_MAX];
    build_dir(dir, sizeof dir);
    char err[512] = "";
    i18n *t = i18n_create(dir, err, sizeof err);
    if (!t)
        fail_msg("cannot load the catalogs in %s: %s", dir, err);
    /* nb.po leaves msgstr empty (nb is the source): nb falls back to the msgid. */
    assert_string_equal(i18n_get(t, "nb", "Alle planer"), "Alle planer");
    assert_false(i18n_has(t, "nb", "Alle planer"));
    /* en and nn translate it. */
    assert_true(i18n_has(t, "en", "Alle planer"));
    assert_string_equal(i18n_get(t, "en", "Alle planer"), "All plans");
    assert_true(i18n_has(t, "nn", "Alle planer"));
    assert_string_not_equal(i18n_get(t, "nn", "Alle planer"), "");
    /* A msgctxt entry of the real catalog. */
    assert_string_equal(i18n_pget(t, "en", "plantype", "Fagplan"), "Sector plan");
    assert_string_equal(i18n_pget(t, "nb", "plantype", "Fagplan"), "Fagplan");
    /* A msgid that is in no catalog. */
    assert_string_equal(i18n_get(t, "en", "Dette finnes ikke i katalogen"),
                        "Dette finnes ikke i katalogen");
    i18n_destroy(t);
}

/* ---- languages and negotiation -------------------------------------------------------- */

static void test_supported(void **state)
{
    (void)state;
    assert_int_equal(i18n_language_count, 3);
    assert_string_equal(i18n_languages[0], I18N_SOURCE_LANG);
    assert_string_equal(i18n_supported("nb"), "nb");
    assert_string_equal(i18n_supported("nn"), "nn");
    assert_string_equal(i18n_supported("en"), "en");
    assert_null(i18n_supported("NB"));
    assert_null(i18n_supported("no"));
    assert_null(i18n_supported("pl"));
    assert_null(i18n_supported(""));
    assert_null(i18n_supported(NULL));
}

static void test_negotiate(void **state)
{
    (void)state;
    static const struct {
        const char *header, *expected;
    } cases[] = {
        {"nb-NO,nb;q=0.9,en;q=0.8", "nb"},
        {"no", "nb"},
        {"nob", "nb"},
        {"nn-NO", "nn"},
        {"nno", "nn"},
        {"nn", "nn"},
        {"en-GB", "en"},
        {"EN-us", "en"},
        {"en_GB", "en"},
        {"pl,en;q=0.5", "en"},
        {"pl", "nb"},
        {"*", "nb"},
        {"", "nb"},
        {"de-DE, nn;q=0.4, en;q=0.7", "en"},   /* the highest weight wins */
        {"en;q=0.5, nn;q=0.5", "en"},           /* the first of equal weights */
        {"en;q=0, nn;q=0", "nb"},               /* q=0 means "not this" */
        {"en ; q=0.3 , nn ; q=0.2", "en"},      /* blanks around separators */
        {"en;level=1;q=0.2,nn;q=0.1", "en"},
        {"en-GB-oxendict", "en"},
        {"english", "nb"},
        {"nbx", "nb"},
        {"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "nb"}, /* a long range is not a prefix match */
        {",,,;;;q=,=,;", "nb"},
        {"q=1", "nb"},
        {";q=1,en;q=0.1", "en"},
        {"\xff\xfe\xfd", "nb"},
        {"en;q=-1, nn", "nn"},
    };
    for (size_t i = 0; i < PV_ARRAY_LEN(cases); i++) {
        const char *got = i18n_negotiate(cases[i].header);
        if (!got || strcmp(got, cases[i].expected) != 0)
            fail_msg("i18n_negotiate(\"%s\") = %s, expected %s", cases[i].header,
                     got ? got : "NULL", cases[i].expected);
    }
    assert_string_equal(i18n_negotiate(NULL), "nb");
    /* Malformed weights and odd bytes give some supported language, never NULL or a crash. */
    static const char *const odd[] = {"en;q=abc", "en;q=", "en;q", "en;q=1e999", "en;q=nan",
                                      ";", "-", "-nb", "nb-", "\t", "q=q=q=", "nb;q=0.5;q"};
    for (size_t i = 0; i < PV_ARRAY_LEN(odd); i++)
        assert_non_null(i18n_supported(i18n_negotiate(odd[i])));
    /* A header of thousands of ranges is walked without trouble. */
    buf long_header = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        buf_puts(&long_header, "xx-YY;q=0.9, ");
    buf_puts(&long_header, "nn;q=0.1");
    assert_string_equal(i18n_negotiate(buf_cstr(&long_header)), "nn");
    buf_finish(&long_header);
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mo_parse_and_lookup),
        cmocka_unit_test(test_mo_big_endian),
        cmocka_unit_test(test_mo_empty_catalog),
        cmocka_unit_test(test_mo_malformed),
        cmocka_unit_test(test_fallback_chain),
        cmocka_unit_test(test_real_catalogs),
        cmocka_unit_test(test_supported),
        cmocka_unit_test(test_negotiate),
    };
    return cmocka_run_group_tests_name("i18n", tests, NULL, NULL) ? 1 : 0;
}
