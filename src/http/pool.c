/* Worker threads with a bounded queue.
 * Layer: http. A job's done() is handed to its loop with event_base_once, which libevent
 * allows from another thread once evthread_use_pthreads() has run (server.c does). */
#include "http/pool.h"

#include <pthread.h>
#include <stdlib.h>

#define POOL_MAX_THREADS 16
#define POOL_QUEUE 256

typedef struct job {
    struct event_base *base;
    pool_work_fn work;
    pool_done_fn done;
    void *arg;
    pool *owner;
} job;

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* a job was queued, or the pool stops */
    pthread_cond_t idle;     /* a job finished */
    job *queue[POOL_QUEUE];
    size_t head, count;
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
    j->done(j->arg);
    free(j);
    pthread_mutex_lock(&p->lock);
    p->pending--;
    pthread_cond_broadcast(&p->idle);
    pthread_mutex_unlock(&p->lock);
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
        p->head = (p->head + 1) % POOL_QUEUE;
        p->count--;
        pthread_mutex_unlock(&p->lock);

        j->work(j->arg);
        static const struct timeval now = {0, 0};
        if (event_base_once(j->base, -1, EV_TIMEOUT, run_done, j, &now) != 0)
            pv_die("pool: cannot hand a finished job back to its loop");
    }
}

pool *pool_create(int threads)
{
    pool *p = pv_calloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->idle, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > POOL_MAX_THREADS)
        threads = POOL_MAX_THREADS;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0)
            pv_die("pool: cannot start a worker thread");
        p->n_threads++;
    }
    return p;
}

int pool_submit(pool *p, struct event_base *base, pool_work_fn work, pool_done_fn done,
                void *arg)
{
    pthread_mutex_lock(&p->lock);
    if (p->draining || p->count == POOL_QUEUE) {
        pthread_mutex_unlock(&p->lock);
        return PV_ELIMIT;
    }
    job *j = pv_malloc(sizeof *j);
    *j = (job){base, work, done, arg, p};
    p->queue[(p->head + p->count) % POOL_QUEUE] = j;
    p->count++;
    p->pending++;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    return PV_OK;
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
    free(p);
}
