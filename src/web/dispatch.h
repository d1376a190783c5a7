/* The request pipeline: limits, decoding, language, routing, the cache, the handler,
 * rendering and the reply. Everything a route declares is enforced here, once.
 * Layer: web. */
#ifndef PV_WEB_DISPATCH_H
#define PV_WEB_DISPATCH_H

#include "web/app.h"

/* Creates and frees the per-loop state (database connection, cache). */
void *web_worker_start(void *app, int index);
void web_worker_stop(void *worker);

/* Handles one request on its loop (the http_handlers.handle callback). */
void web_handle(struct evhttp_request *ev, void *worker);

#endif
