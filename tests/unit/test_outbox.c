/* Unit tests for the outbox: the retry schedule (domain/outbox.c), a message's states in the
 * store (due, claimed, sent, retried, given up), the e-mail as the relay gets it (headers,
 * encoded subject, base64 body) and a refused connection counted as a failed attempt.
 * Layer: tests (domain, store, mail). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "domain/outbox.h"
#include "mail/sender.h"
#include "mail/smtp.h"
#include "store/outbox.h"
#include "fixture_db.h"

#define NOW 1800000000

static char DIR_[64];
static store *DB;

static int add(const char *to, int64_t at)
{
    assert_int_equal(store_begin(DB), 0);
    int64_t id = 0;
    int rc = store_outbox_add(DB, 0, to, "Svar på innspillet ditt", "Hei!\nTakk.", at, &id);
    if (rc == 0)
        assert_int_equal(store_commit(DB), 0);
    else
        store_rollback(DB);
    return rc == 0 ? (int)id : rc;
}

static json_t *claim(int64_t now)
{
    json_t *out = NULL;
    assert_int_equal(store_outbox_claim(DB, now, 100, &out), PV_OK);
    return out;
}

static json_t *row(int64_t id)
{
    json_t *list = NULL, *found = NULL;
    assert_int_equal(store_outbox_list(DB, 1000, &list), PV_OK);
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m)
        if (json_integer_value(json_object_get(m, "id")) == id)
            found = json_incref(m);
    json_decref(list);
    assert_non_null(found);
    return found;
}

static const char *s(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t n(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* ---- the schedule ---------------------------------------------------------------------- */

static void test_schedule(void **state)
{
    (void)state;
    assert_int_equal(outbox_retry_delay(1, 60), 60);
    assert_int_equal(outbox_retry_delay(2, 60), 300);
    assert_int_equal(outbox_retry_delay(3, 60), 1800);
    assert_int_equal(outbox_retry_delay(4, 60), 7200);
    assert_int_equal(outbox_retry_delay(5, 60), 21600);
    assert_int_equal(outbox_retry_delay(17, 60), 21600);
    assert_int_equal(outbox_retry_delay(2, 1), 5); /* the tests' fast schedule */
    assert_int_equal(outbox_retry_delay(0, 0), 1); /* nonsense is bounded, not zero */
    int64_t next = 0;
    assert_true(outbox_schedule(1, NOW, NOW, 60, &next));
    assert_int_equal(next, NOW + 60);
    /* Given up once the next attempt would be more than 3 days after it was queued. */
    assert_true(outbox_schedule(9, NOW, NOW + 3 * 86400 - 21600, 60, &next));
    assert_int_equal(next, NOW + 3 * 86400);
    assert_false(outbox_schedule(10, NOW, NOW + 3 * 86400 - 21599, 60, &next));
    assert_false(outbox_schedule(OUTBOX_MAX_ATTEMPTS, NOW, NOW, 60, &next));
}

/* ---- the store ------------------------------------------------------------------------- */

static void test_refused_rows(void **state)
{
    (void)state;
    assert_int_equal(add("", NOW), PV_EINVAL);
    assert_int_equal(add("a@b.no\r\nBcc: x@y.no", NOW), PV_EINVAL);
    char bad[] = {'a', '@', (char)0xC3, 0};
    assert_int_equal(add(bad, NOW), PV_EINVAL);
}

static void test_nothing_due_changes_nothing(void **state)
{
    (void)state;
    /* The sender asks every second: with nothing due it must not count as a change, or
     * every page cache would be emptied each second. */
    uint64_t before = store_generation(DB);
    json_t *due = claim(NOW - 100000);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
    assert_true(store_generation(DB) == before);
}

static void test_due_sent(void **state)
{
    (void)state;
    int later = add("senere@example.no", NOW + 100);
    int id = add("hei@example.no", NOW);
    json_t *due = claim(NOW);
    assert_int_equal(json_array_size(due), 1); /* the later one is not due yet */
    json_t *m = json_array_get(due, 0);
    assert_int_equal(n(m, "id"), id);
    assert_string_equal(s(m, "to"), "hei@example.no");
    assert_string_equal(s(m, "body"), "Hei!\nTakk.");
    json_decref(due);
    /* Claimed: no second sender takes it while the lease runs. */
    due = claim(NOW + 1);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
    assert_int_equal(store_outbox_sent(DB, id, NOW + 2), PV_OK);
    json_t *r = row(id);
    assert_string_equal(s(r, "state"), "sendt");
    assert_int_equal(n(r, "sent_at"), NOW + 2);
    assert_int_equal(n(r, "attempts"), 1);
    json_decref(r);
    /* Sent stays sent, even after the lease would have run out. */
    due = claim(NOW + OUTBOX_LEASE_SECONDS + 200);
    assert_int_equal(json_array_size(due), 1);
    assert_int_equal(n(json_array_get(due, 0), "id"), later);
    json_decref(due);
    assert_int_equal(store_outbox_sent(DB, later, NOW + 400), PV_OK);
}

static void test_retry_and_give_up(void **state)
{
    (void)state;
    int id = add("borte@example.no", NOW);
    json_t *due = claim(NOW);
    json_decref(due);
    bool given_up = true;
    assert_int_equal(store_outbox_failed(DB, id, NOW, "Couldn't connect to server\r\nx", 60,
                                         &given_up), PV_OK);
    assert_false(given_up);
    json_t *r = row(id);
    assert_string_equal(s(r, "state"), "venter");
    assert_int_equal(n(r, "attempts"), 1);
    assert_int_equal(n(r, "next_attempt_at"), NOW + 60);
    assert_string_equal(s(r, "last_error"), "Couldn't connect to server  x");
    json_decref(r);
    due = claim(NOW + 59);
    assert_int_equal(json_array_size(due), 0); /* not before its time */
    json_decref(due);
    due = claim(NOW + 60);
    assert_int_equal(json_array_size(due), 1);
    json_decref(due);
    /* Fail again and again until three days are used up. */
    int64_t at = NOW + 60;
    int attempts = 1;
    while (!given_up && attempts < 50) {
        assert_int_equal(store_outbox_failed(DB, id, at, "refused", 60, &given_up), PV_OK);
        attempts++;
        r = row(id);
        if (!given_up)
            at = n(r, "next_attempt_at");
        json_decref(r);
    }
    assert_true(given_up);
    assert_int_equal(attempts, 16); /* 1+5+30+120 minutes, then every 6 hours for 3 days */
    r = row(id);
    assert_string_equal(s(r, "state"), "gitt opp");
    assert_int_equal(n(r, "given_up_at"), at);
    json_decref(r);
    due = claim(NOW + 30 * 86400);
    for (size_t i = 0; i < json_array_size(due); i++)
        assert_int_not_equal(n(json_array_get(due, i), "id"), id);
    json_decref(due);
    assert_int_equal(store_outbox_failed(DB, 99999, NOW, "x", 60, &given_up), PV_ENOTFOUND);
}

/* ---- the message ----------------------------------------------------------------------- */

static char *decoded_body(const char *msg)
{
    const char *b = strstr(msg, "\r\n\r\n");
    assert_non_null(b);
    b += 4;
    char *joined = calloc(1, strlen(b) + 1);
    size_t k = 0;
    for (const char *p = b; *p; p++)
        if (*p != '\r' && *p != '\n')
            joined[k++] = *p;
    unsigned char *bin = calloc(1, k + 1);
    size_t len = 0;
    assert_int_equal(sodium_base642bin(bin, k + 1, joined, k, NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    free(joined);
    return (char *)bin;
}

static void test_message(void **state)
{
    (void)state;
    buf m = BUF_INIT;
    char body[400];
    snprintf(body, sizeof body, "%s", "Takk for innspillet ditt.\n\nVi har vurdert det: «tatt til følge». "
             "Ærlig talt, dette er en lang linje som må brytes i base64 over flere linjer.");
    assert_int_equal(smtp_message_build(&m, "ikke-svar@moss.kommune.no", "ola@example.no",
                                        "Innspillet ditt til Kystsoneplanen er tatt til følge",
                                        body, 1795000000, "<abc@moss.kommune.no>"), PV_OK);
    const char *msg = buf_cstr(&m);
    assert_non_null(strstr(msg, "Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n"));
    assert_non_null(strstr(msg, " +0000\r\n"));
    assert_non_null(strstr(msg, "\r\nFrom: ikke-svar@moss.kommune.no\r\n"));
    assert_non_null(strstr(msg, "\r\nTo: ola@example.no\r\n"));
    assert_non_null(strstr(msg, "\r\nMessage-ID: <abc@moss.kommune.no>\r\n"));
    assert_non_null(strstr(msg, "\r\nMIME-Version: 1.0\r\n"));
    assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(msg, "Content-Transfer-Encoding: base64\r\n"));
    /* A subject with ø is encoded words, folded; no raw 8-bit byte in the headers. */
    assert_non_null(strstr(msg, "Subject: =?UTF-8?B?"));
    const char *end = strstr(msg, "\r\n\r\n");
    for (const char *p = msg; p < end; p++)
        assert_true((unsigned char)*p < 0x80);
    /* Body lines are at most 76 characters, and decode to the text with CRLF. */
    for (const char *p = end + 4, *nl; (nl = strstr(p, "\r\n")); p = nl + 2)
        assert_true(nl - p <= 76);
    char *text = decoded_body(msg);
    assert_non_null(strstr(text, "Takk for innspillet ditt.\r\n\r\nVi har vurdert det: «tatt til følge»."));
    free(text);
    buf_finish(&m);

    buf p = BUF_INIT;
    assert_int_equal(smtp_message_build(&p, "a@b.no", "c@d.no", "Plain subject", "x", 0,
                                        "<1@b.no>"), PV_OK);
    assert_non_null(strstr(buf_cstr(&p), "\r\nSubject: Plain subject\r\n"));
    buf_finish(&p);
    /* Header injection and bad addresses are refused. */
    buf q = BUF_INIT;
    assert_int_equal(smtp_message_build(&q, "a@b.no", "c@d.no", "Hi\r\nBcc: e@f.no", "x", 0,
                                        "<1@b.no>"), PV_EINVAL);
    assert_int_equal(smtp_message_build(&q, "a@b.no", "c@d.no\r\nBcc: e@f.no", "Hi", "x", 0,
                                        "<1@b.no>"), PV_EINVAL);
    buf_finish(&q);
    assert_true(smtp_address_valid("ola.nordmann+plan@example.no"));
    assert_false(smtp_address_valid("ola"));
    assert_false(smtp_address_valid("@example.no"));
    assert_false(smtp_address_valid("a@b@c"));
    assert_false(smtp_address_valid("Ola <ola@example.no>"));
    assert_false(smtp_address_valid("ola@exa mple.no"));
}

/* A port on loopback that nobody listens on (bound, then closed). */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_pass_without_relay_retries(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", closed_port());
    smtp_relay relay = {url, "ikke-svar@moss.kommune.no"};
    int id = add("ventende@example.no", NOW + 1000);
    mail_pass_counts c = {0};
    assert_int_equal(mail_send_due(DB, &relay, NOW + 1000, 1, &c), PV_OK);
    assert_int_equal(c.sent, 0);
    assert_true(c.retried >= 1);
    json_t *r = row(id);
    assert_string_equal(s(r, "state"), "venter");
    assert_int_equal(n(r, "attempts"), 1);
    assert_non_null(s(r, "last_error"));
    json_decref(r);
}

static int group_setup(void **state)
{
    (void)state;
    DB = fixture_db_open(DIR_, sizeof DIR_, "/tmp/pv-test-outbox-XXXXXX", "t.db", NULL, 0);
    return DB && sodium_init() >= 0 && smtp_global_init() == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    fixture_db_remove(DB, DIR_);
    smtp_global_cleanup();
    return 0;
}

int main(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_refused_rows),
        cmocka_unit_test(test_nothing_due_changes_nothing),
        cmocka_unit_test(test_due_sent),
        cmocka_unit_test(test_retry_and_give_up),
        cmocka_unit_test(test_message),
        cmocka_unit_test(test_pass_without_relay_retries),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
