/* A small pool of worker threads for work that must not block an event loop (password
 * hashing, the overview's Excel workbook). A job runs work() on a pool thread, then done()
 * back on the event loop that submitted it, where it may reply (DESIGN.md §2, the shape
 * Bitcoin Core's httpserver.cpp uses around evhttp).
 * Layer: http. */
#ifndef PV_HTTP_POOL_H
#define PV_HTTP_POOL_H

#include <event2/event.h>

#include "core/pv.h"

typedef struct pool pool;

typedef void (*pool_work_fn)(void *arg);
typedef void (*pool_done_fn)(void *arg);

/* Starts n threads (n ≥ 1). */
pool *pool_create(int threads);
/* Queues a job; done runs on base's loop thread. Returns PV_ELIMIT when the queue is full
 * or the pool is draining (the caller answers 503). */
int pool_submit(pool *p, struct event_base *base, pool_work_fn work, pool_done_fn done,
                void *arg) PV_NODISCARD;
/* Refuses new jobs and waits until every job, done() included, has finished. The loops
 * must still be running (done runs on them). */
void pool_drain(pool *p);
/* Stops the threads; call after pool_drain. Accepts NULL. */
void pool_destroy(pool *p);

#endif
