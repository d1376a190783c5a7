/* One e-mail to the relay (mail/smtp.h).
 * Layer: mail. */
#include "mail/smtp.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/utf8.h"

int smtp_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? PV_OK : PV_EIO;
}

void smtp_global_cleanup(void)
{
    curl_global_cleanup();
}

bool smtp_address_valid(const char *a)
{
    size_t n = a ? strlen(a) : 0;
    if (n < 3 || n > 254)
        return false;
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const char *p = a; *p; p++)
        if (*p <= ' ' || *p > '~' || strchr("<>,;\"\\()[]:", *p))
            return false;
    return true;
}

/* "Mon, 23 Nov 2026 23:15:43 +0000", without the locale. */
static void rfc5322_date(int64_t now, char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void put_base64(buf *out, const unsigned char *bin, size_t n)
{
    char b64[128];
    sodium_bin2base64(b64, sizeof b64, bin, n, sodium_base64_VARIANT_ORIGINAL);
    buf_puts(out, b64);
}

/* The subject as is when it is printable ASCII, else as encoded words of at most 45 bytes
 * of UTF-8 each (never splitting a character), folded onto continuation lines. */
static void put_subject(buf *out, const char *s)
{
    bool plain = strlen(s) <= 900;
    for (const char *p = s; *p && plain; p++)
        plain = *p >= ' ' && *p <= '~' && !(p[0] == '=' && p[1] == '?');
    buf_puts(out, "Subject: ");
    if (plain) {
        buf_puts(out, s);
        buf_puts(out, "\r\n");
        return;
    }
    size_t n = strlen(s), i = 0;
    while (i < n) {
        size_t take = n - i > 45 ? 45 : n - i;
        while (i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        if (i > 0)
            buf_puts(out, "\r\n ");
        buf_puts(out, "=?UTF-8?B?");
        put_base64(out, (const unsigned char *)s + i, take);
        buf_puts(out, "?=");
        i += take;
    }
    buf_puts(out, "\r\n");
}

int smtp_message_build(buf *out, const char *from, const char *to, const char *subject,
                       const char *body, int64_t now, const char *message_id)
{
    if (!smtp_address_valid(from) || !smtp_address_valid(to) || !subject ||
        strpbrk(subject, "\r\n") || !utf8_valid(subject, strlen(subject)) || !body ||
        !utf8_valid(body, strlen(body)) || !message_id || strpbrk(message_id, "\r\n"))
        return PV_EINVAL;
    char date[40];
    rfc5322_date(now, date);
    buf_printf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: %s\r\n", date, from, to,
               message_id);
    put_subject(out, subject);
    buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n");
    /* The canonical form of text is CRLF line ends; then base64 in lines of 76 (57 bytes). */
    buf crlf = BUF_INIT;
    for (const char *p = body; *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            buf_putc(&crlf, '\r');
        buf_putc(&crlf, *p);
    }
    const unsigned char *bin = (const unsigned char *)buf_cstr(&crlf);
    size_t n = strlen(buf_cstr(&crlf));
    for (size_t i = 0; i < n; i += 57) {
        put_base64(out, bin + i, n - i > 57 ? 57 : n - i);
        buf_puts(out, "\r\n");
    }
    buf_finish(&crlf);
    return PV_OK;
}

typedef struct upload {
    const char *data;
    size_t len, off;
} upload;

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ctx)
{
    upload *u = ctx;
    size_t room = size * nmemb, left = u->len - u->off;
    size_t n = left < room ? left : room;
    memcpy(ptr, u->data + u->off, n);
    u->off += n;
    return n;
}

int smtp_send(const smtp_relay *relay, const char *to, const char *subject, const char *body,
              int64_t now, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s", "");
    if (!relay || !relay->url || !smtp_address_valid(relay->from) || !smtp_address_valid(to)) {
        snprintf(err, err_size, "%s", "invalid relay or address");
        return PV_EINVAL;
    }
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    char hex[33], message_id[400];
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    snprintf(message_id, sizeof message_id, "<%s%s>", hex, strchr(relay->from, '@'));
    buf msg = BUF_INIT;
    if (smtp_message_build(&msg, relay->from, to, subject, body, now, message_id) != 0) {
        buf_finish(&msg);
        snprintf(err, err_size, "%s", "invalid message");
        return PV_EINVAL;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        buf_finish(&msg);
        snprintf(err, err_size, "%s", "libcurl cannot start");
        return PV_EIO;
    }
    char from[300], rcpt_text[300], cerr[CURL_ERROR_SIZE] = "";
    snprintf(from, sizeof from, "<%s>", relay->from);
    snprintf(rcpt_text, sizeof rcpt_text, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_text);
    upload u = {buf_cstr(&msg), strlen(buf_cstr(&msg)), 0};
    curl_easy_setopt(c, CURLOPT_URL, relay->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SMTP_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        snprintf(err, err_size, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    buf_finish(&msg);
    return rc == CURLE_OK ? PV_OK : PV_EIO;
}
