/* Unit tests for the worker pool: a full queue refuses at once (the page answers 503), the
 * jobs it took all finish, and each job's done() runs back on the loop that submitted it.
 * Layer: tests (http). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <pthread.h>
#include <time.h>

#include "http/pool.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t opened = PTHREAD_COND_INITIALIZER;
static bool gate_open;
static int done_count;
static pthread_t loop_thread;
static bool done_on_loop = true;

/* Waits until the test opens the gate: a job that holds its worker. */
static void held_work(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!gate_open)
        pthread_cond_wait(&opened, &lock);
    pthread_mutex_unlock(&lock);
}

static void count_done(void *arg, int status)
{
    (void)arg;
    assert_int_equal(status, PV_OK);
    done_on_loop = done_on_loop && pthread_equal(pthread_self(), loop_thread);
    done_count++;
}

/* Waits (bounded) until the pool runs `running` jobs and queues `queued`. */
static void wait_for(pool *p, size_t running, size_t queued)
{
    for (int i = 0; i < 5000; i++) {
        size_t q, r;
        pool_stats(p, &q, &r);
        if (q == queued && r == running)
            return;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    fail_msg("the pool did not reach %zu running, %zu queued", running, queued);
}

/* Runs the loop (bounded) until n jobs have called done(). */
static void run_until_done(struct event_base *base, int n)
{
    for (int i = 0; i < 5000 && done_count < n; i++) {
        event_base_loop(base, EVLOOP_NONBLOCK);
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    assert_int_equal(done_count, n);
}

static void test_full_queue_refuses(void **state)
{
    (void)state;
    assert_int_equal(evthread_use_pthreads(), 0);
    struct event_base *base = event_base_new();
    loop_thread = pthread_self();
    pool *p = pool_create(1, 2);
    assert_non_null(p);
    assert_int_equal(pool_submit(p, base, held_work, count_done, NULL), PV_OK);
    wait_for(p, 1, 0);
    assert_int_equal(pool_submit(p, base, held_work, count_done, NULL), PV_OK);
    assert_int_equal(pool_submit(p, base, held_work, count_done, NULL), PV_OK);
    wait_for(p, 1, 2);
    /* one running, two waiting: the next is refused at once */
    assert_int_equal(pool_submit(p, base, held_work, count_done, NULL), PV_ELIMIT);
    pthread_mutex_lock(&lock);
    gate_open = true;
    pthread_cond_broadcast(&opened);
    pthread_mutex_unlock(&lock);
    run_until_done(base, 3);
    assert_true(done_on_loop);
    /* room again */
    assert_int_equal(pool_submit(p, base, held_work, count_done, NULL), PV_OK);
    run_until_done(base, 4);
    pool_drain(p);
    assert_int_equal(pool_submit(p, base, held_work, count_done, NULL), PV_ELIMIT);
    pool_destroy(p);
    event_base_free(base);
    libevent_global_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_queue_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
