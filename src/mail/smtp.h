/* Sending one e-mail to the operator's SMTP relay with libcurl: an RFC 5322 message in
 * UTF-8 (Date, From, To, Subject as RFC 2047 encoded words when not plain ASCII,
 * Message-ID, MIME-Version; the body base64 in lines of 76), handed over with MAIL FROM and
 * RCPT TO. The relay does the rest (TLS to the world, DKIM, retries of its own).
 * Layer: mail (below pages, beside store; no logging: callers decide). */
#ifndef PV_MAIL_SMTP_H
#define PV_MAIL_SMTP_H

#include <stdint.h>

#include "core/buf.h"
#include "core/pv.h"

#define SMTP_TIMEOUT_SECONDS 30

/* The relay: url "smtp://host:port" (or "smtps://…"), from the envelope and From address. */
typedef struct smtp_relay {
    const char *url;
    const char *from;
} smtp_relay;

/* libcurl's process-wide set-up and tear-down: once, before any thread starts / after all
 * stopped (the top level calls them). */
int smtp_global_init(void) PV_NODISCARD;
void smtp_global_cleanup(void);

/* Whether address is one we put into a header and an envelope: 3..254 bytes, one '@' with
 * text on both sides, printable ASCII without blanks, '<', '>', ',', ';', '"', '\\'. */
bool smtp_address_valid(const char *address);

/* Appends the whole message (headers, blank line, base64 body, CRLF line ends) to out.
 * message_id is "<…@…>"; now is the Date (UTC). PV_EINVAL for an invalid address, a subject
 * with a line break, or text that is not UTF-8. */
int smtp_message_build(buf *out, const char *from, const char *to, const char *subject,
                       const char *body, int64_t now, const char *message_id) PV_NODISCARD;

/* Sends one message through relay to to. 0, PV_EINVAL (bad address or text), or PV_EIO with
 * the relay's or the connection's error in err. Blocks up to SMTP_TIMEOUT_SECONDS: call it
 * from the sender's thread, never from an event loop. */
int smtp_send(const smtp_relay *relay, const char *to, const char *subject, const char *body,
              int64_t now, char *err, size_t err_size) PV_NODISCARD;

#endif
