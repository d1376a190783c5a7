/* The request pipeline: limits, decoding, language, routing, the cache, the handler,
 * rendering and the reply. Everything a route declares is enforced here, once.
 * Layer: web. */
#ifndef PV_WEB_DISPATCH_H
#define PV_WEB_DISPATCH_H

#include "web/app.h"

/* Creates and frees the per-loop state (database connection, cache). */
void *web_worker_start(void *app, int index, struct event_base *base);
void web_worker_stop(void *worker);

/* Handles one request on its loop (the http_handlers.handle callback). */
void web_handle(struct evhttp_request *ev, void *worker);

/* Replies to r with status and the view-model vm (taken over), and frees r: what the
 * dispatcher does after a handler returns, and what a handler that returned PV_DEFERRED
 * calls from its pool callback. A 303 with r->location redirects; a 4xx with a view-model
 * renders it (a form shown again with its errors) or, for a JSON client, sends it as an
 * RFC 9457 problem object (type, title, status, detail added where missing); a 4xx
 * without one is an error page. */
void web_finish(pv_req *r, int status, json_t *vm);

#endif
