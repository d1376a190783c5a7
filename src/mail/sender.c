/* The outbox's sender thread and its one pass (mail/sender.h).
 * Layer: mail. The only state shared with other threads is the stop flag, under a mutex. */
#include "mail/sender.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "store/outbox.h"

#define SENDER_POLL_MS 1000

struct mail_sender {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    store *db;
    char *url, *from;
    int64_t retry_base;
};

static bool relay_configured; /* written once before the loops start */

bool mail_relay_configured(void)
{
    return relay_configured;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

int mail_send_due(store *db, const smtp_relay *relay, int64_t now, int64_t retry_base,
                  mail_pass_counts *counts)
{
    json_t *due;
    if (store_outbox_claim(db, now, 100, &due) != 0)
        return PV_EDB;
    int rc = PV_OK;
    for (size_t i = 0; i < json_array_size(due); i++) {
        json_t *m = json_array_get(due, i);
        int64_t id = json_integer_value(json_object_get(m, "id"));
        char err[512];
        int64_t at = (int64_t)time(NULL);
        if (at < now)
            at = now;
        if (smtp_send(relay, str(m, "to"), str(m, "subject"), str(m, "body"), at, err,
                      sizeof err) == 0) {
            if (store_outbox_sent(db, id, at) != 0)
                rc = PV_EDB;
            else if (counts)
                counts->sent++;
            continue;
        }
        bool given_up = false;
        if (store_outbox_failed(db, id, at, err, retry_base, &given_up) != 0)
            rc = PV_EDB;
        else if (counts)
            given_up ? counts->given_up++ : counts->retried++;
    }
    json_decref(due);
    return rc;
}

static void *run(void *arg)
{
    mail_sender *m = arg;
    smtp_relay relay = {m->url, m->from};
    pthread_mutex_lock(&m->lock);
    while (!m->stop) {
        pthread_mutex_unlock(&m->lock);
        mail_pass_counts c = {0};
        if (mail_send_due(m->db, &relay, (int64_t)time(NULL), m->retry_base, &c) != 0)
            pv_error("outbox: database error while sending");
        if (c.sent || c.retried || c.given_up)
            pv_info("outbox: %d sent, %d to retry, %d given up", c.sent, c.retried,
                    c.given_up);
        pthread_mutex_lock(&m->lock);
        if (m->stop)
            break;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += SENDER_POLL_MS / 1000;
        pthread_cond_timedwait(&m->wake, &m->lock, &until);
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

mail_sender *mail_sender_start(const mail_sender_options *o, char *err, size_t err_size)
{
    relay_configured = o->relay.url && *o->relay.url;
    if (!relay_configured)
        return NULL;
    if (!smtp_address_valid(o->relay.from)) {
        snprintf(err, err_size, "the sender address '%s' is not an e-mail address",
                 o->relay.from ? o->relay.from : "");
        relay_configured = false;
        return NULL;
    }
    if (strncmp(o->relay.url, "smtp://", 7) != 0 && strncmp(o->relay.url, "smtps://", 8) != 0) {
        snprintf(err, err_size, "the relay '%s' is not smtp://host:port or smtps://host:port",
                 o->relay.url);
        relay_configured = false;
        return NULL;
    }
    mail_sender *m = pv_calloc(1, sizeof *m);
    m->db = store_open(o->db_path, false, err, err_size);
    if (!m->db) {
        free(m);
        relay_configured = false;
        return NULL;
    }
    m->url = pv_strdup(o->relay.url);
    m->from = pv_strdup(o->relay.from);
    m->retry_base = o->retry_base > 0 ? o->retry_base : 60;
    pthread_mutex_init(&m->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&m->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&m->thread, NULL, run, m) != 0) {
        snprintf(err, err_size, "%s", "cannot start the outbox's sender thread");
        m->stop = true;
        relay_configured = false;
        pthread_cond_destroy(&m->wake);
        pthread_mutex_destroy(&m->lock);
        store_close(m->db);
        free(m->url);
        free(m->from);
        free(m);
        return NULL;
    }
    return m;
}

void mail_sender_stop(mail_sender *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->stop = true;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->lock);
    pthread_join(m->thread, NULL);
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    store_close(m->db);
    free(m->url);
    free(m->from);
    free(m);
}
