/* Worker threads with a bounded queue.
 * Layer: http. A job's done() is handed back to its loop by activating an event made for it
 * when it was submitted (on the loop's thread, where an allocation failure can still be
 * refused); event_active from another thread allocates nothing and is allowed once
 * evthread_use_pthreads() has run (server.c does). */
#include "http/pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"

#define POOL_MAX_THREADS 16

typedef struct job {
    struct event *back;      /* activated when work() is done: runs done() on its loop */
    int status;              /* PV_OK, or PV_ELIMIT when work() ran out of memory */
    pool_work_fn work;
    pool_done_fn done;
    void *arg;
    pool *owner;
} job;

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* a job was queued, or the pool stops */
    pthread_cond_t idle;     /* a job finished */
    job **queue;             /* a ring of queue_max jobs */
    size_t queue_max;
    size_t head, count;
    size_t running;          /* in work() now */
    size_t pending;          /* queued + running + waiting for done() */
    bool draining, stopping;
    pthread_t threads[POOL_MAX_THREADS];
    int n_threads;
};

/* Runs on the loop thread. */
static void run_done(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    job *j = arg;
    pool *p = j->owner;
    pv_recovery rec;
    pv_recovery_push(&rec);
    if (sigsetjmp(rec.env, 0) == 0) {
        j->done(j->arg, j->status);
        pv_recovery_pop(&rec);
    } else { /* the request it was to answer is given up with it; its connection times out */
        pv_recovery_pop(&rec);
        pv_error("pool: a finished job ran out of memory on its loop");
    }
    event_free(j->back);
    free(j);
    pthread_mutex_lock(&p->lock);
    p->pending--;
    pthread_cond_broadcast(&p->idle);
    pthread_mutex_unlock(&p->lock);
}

/* Runs the job's work; running out of memory gives it up (its done() is told). */
static void run_work(job *j)
{
    pv_recovery rec;
    pv_recovery_push(&rec);
    if (sigsetjmp(rec.env, 0) == 0) {
        j->work(j->arg);
        pv_recovery_pop(&rec);
    } else {
        pv_recovery_pop(&rec);
        j->status = PV_ELIMIT;
    }
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->count == 0 && !p->stopping)
            pthread_cond_wait(&p->wake, &p->lock);
        if (p->count == 0 && p->stopping) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        job *j = p->queue[p->head];
        p->head = (p->head + 1) % p->queue_max;
        p->count--;
        p->running++;
        pthread_mutex_unlock(&p->lock);

        run_work(j);
        pthread_mutex_lock(&p->lock);
        p->running--;
        pthread_mutex_unlock(&p->lock);
        event_active(j->back, EV_TIMEOUT, 1);
    }
}

pool *pool_create(int threads, size_t queue_max)
{
    pool *p = pv_calloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->idle, NULL);
    p->queue_max = queue_max > 0 ? queue_max : 1;
    p->queue = pv_calloc(p->queue_max, sizeof *p->queue);
    if (threads < 1)
        threads = 1;
    if (threads > POOL_MAX_THREADS)
        threads = POOL_MAX_THREADS;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0) {
            pool_destroy(p);
            return NULL;
        }
        p->n_threads++;
    }
    return p;
}

int pool_submit(pool *p, struct event_base *base, pool_work_fn work, pool_done_fn done,
                void *arg)
{
    job *j = malloc(sizeof *j);
    struct event *back = j ? event_new(base, -1, 0, run_done, j) : NULL;
    if (!back) {
        free(j);
        return PV_ELIMIT;
    }
    *j = (job){back, PV_OK, work, done, arg, p};
    pthread_mutex_lock(&p->lock);
    if (p->draining || p->count == p->queue_max) {
        pthread_mutex_unlock(&p->lock);
        event_free(back);
        free(j);
        return PV_ELIMIT;
    }
    p->queue[(p->head + p->count) % p->queue_max] = j;
    p->count++;
    p->pending++;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    return PV_OK;
}

void pool_stats(pool *p, size_t *queued, size_t *running)
{
    pthread_mutex_lock(&p->lock);
    *queued = p->count;
    *running = p->running;
    pthread_mutex_unlock(&p->lock);
}

void pool_drain(pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->draining = true;
    while (p->pending > 0)
        pthread_cond_wait(&p->idle, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

void pool_destroy(pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->idle);
    free(p->queue);
    free(p);
}
