/* A small pool of worker threads for work that must not block an event loop (password
 * hashing, the overview's Excel workbook). A job runs work() on a pool thread, then done()
 * back on the event loop that submitted it, where it may reply (DESIGN.md §2, the shape
 * Bitcoin Core's httpserver.cpp uses around evhttp). Each kind of slow work has its own
 * pool with its own bounded queue, so a burst of one kind never makes the other wait; a
 * full queue refuses at once (the caller answers 503 with Retry-After).
 * Layer: http. */
#ifndef PV_HTTP_POOL_H
#define PV_HTTP_POOL_H

#include <event2/event.h>

#include "core/pv.h"

typedef struct pool pool;

typedef void (*pool_work_fn)(void *arg);
/* status is PV_OK, or PV_ELIMIT when work() ran out of memory and was given up: what it was
 * to leave in arg is then incomplete, and the request is answered 500. */
typedef void (*pool_done_fn)(void *arg, int status);

/* Starts threads (1..16) that take jobs from a queue of at most queue_max; NULL when a
 * thread cannot be started. */
pool *pool_create(int threads, size_t queue_max);
/* Queues a job; done runs on base's loop thread. Returns PV_ELIMIT when the queue is full,
 * the pool is draining or memory is short (the caller answers 503). Call it on base's loop
 * thread. */
int pool_submit(pool *p, struct event_base *base, pool_work_fn work, pool_done_fn done,
                void *arg) PV_NODISCARD;
/* How many jobs wait in the queue and how many run now. */
void pool_stats(pool *p, size_t *queued, size_t *running);
/* Refuses new jobs and waits until every job, done() included, has finished. The loops
 * must still be running (done runs on them). */
void pool_drain(pool *p);
/* Stops the threads; call after pool_drain. Accepts NULL. */
void pool_destroy(pool *p);

#endif
