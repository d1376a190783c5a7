/* The HTTP server: one libevent loop per core, each with its own listening socket on the
 * same port (SO_REUSEPORT), so the kernel spreads connections and no lock is shared on the
 * request path (DESIGN.md §2). Requests are handed to one callback with the loop's own
 * per-thread state. Layer: http. */
#ifndef PV_HTTP_SERVER_H
#define PV_HTTP_SERVER_H

#include <event2/http.h>

#include "core/pv.h"

#define HTTP_MAX_THREADS 64

typedef struct http_config {
    const char *listen; /* address to bind, e.g. "127.0.0.1" or "::1" */
    int port;           /* 0: let the kernel choose a free port */
    int threads;        /* event loops; 0: one per core */
    size_t max_body;    /* evhttp's own hard cap; the web layer enforces the real limit */
    size_t max_headers; /* bytes of request line and headers */
    int idle_timeout;   /* seconds a keep-alive connection may idle */
} http_config;

typedef struct http_handlers {
    /* Creates the state of loop number index (database connection, cache …). */
    void *(*thread_start)(void *app, int index, struct event_base *base);
    void (*thread_stop)(void *thread_state);
    /* Called once a stop signal arrived, while the loops still run (to finish work that
     * replies on them). May be NULL. */
    void (*before_stop)(void *app);
    /* Handles one request on its loop thread; must send exactly one reply. */
    void (*handle)(struct evhttp_request *req, void *thread_state);
} http_handlers;

/* Binds, prints "planverk: serving http://ADDR:PORT/" on standard output, and serves until
 * SIGINT or SIGTERM, then stops every loop and returns 0. Returns a negative code (message
 * in err) when it cannot bind or start. */
int http_server_run(const http_config *cfg, const http_handlers *h, void *app, char *err,
                    size_t err_size);

#endif
