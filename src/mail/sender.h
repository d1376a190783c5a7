/* The outbox's sender: a thread of `planverk serve` that wakes every second, claims the due
 * e-mails (store/outbox.h), hands each to the relay (mail/smtp.h) and marks it sent or
 * schedules its retry. It has its own database connection and never touches an event loop,
 * so a slow relay slows nobody's page. `planverk outbox send` runs one pass of the same code.
 * Layer: mail. */
#ifndef PV_MAIL_SENDER_H
#define PV_MAIL_SENDER_H

#include <jansson.h>

#include <stdint.h>

#include "mail/smtp.h"
#include "store/db.h"

typedef struct mail_sender mail_sender;

typedef struct mail_sender_options {
    const char *db_path;
    smtp_relay relay;    /* url NULL: no relay, nothing is started and mail waits */
    int64_t retry_base;  /* seconds per unit of the retry schedule (domain/outbox.h) */
} mail_sender_options;

typedef struct mail_pass_counts {
    int sent, retried, given_up;
} mail_pass_counts;

/* One pass: claims up to 100 due e-mails at now and sends them. Returns 0 or PV_EDB. */
int mail_send_due(store *db, const smtp_relay *relay, int64_t now, int64_t retry_base,
                  mail_pass_counts *counts) PV_NODISCARD;

/* Starts the sender thread. With no relay (o->relay.url NULL or empty) starts nothing and
 * returns NULL without an error; NULL with err set when it cannot start. Call before the
 * event loops start: it also records whether a relay is configured (mail_relay_configured). */
mail_sender *mail_sender_start(const mail_sender_options *o, char *err, size_t err_size);

/* Wakes the thread, lets it finish the message in hand, joins and frees it. Accepts NULL. */
void mail_sender_stop(mail_sender *m);

/* Whether this process sends mail (serve with --smtp-url): the feedback page says when mail
 * only waits in the outbox. Set once by mail_sender_start, before the loops start. */
bool mail_relay_configured(void);

#endif
