/* Event loops, listeners and orderly shutdown.
 * Layer: http. The main thread binds every listener (so a port of 0 can be resolved once
 * and shared), starts one thread per loop, then waits for a signal with sigwait(). */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <event2/bufferevent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct loop {
    struct event_base *base;
    struct evhttp *http;
    pthread_t thread;
    bool started;
    void *state;
    void *app;
    int index;
    const http_handlers *h;
} loop;

static void on_request(struct evhttp_request *req, void *arg)
{
    loop *l = arg;
    l->h->handle(req, l->state);
}

/* The connection's bufferevent: libevent writes at most 16 KiB per turn by default, so a
 * 50 KB page would take four turns of the loop; let a whole response go in one write. */
static struct bufferevent *connection_bufferevent(struct event_base *base, void *arg)
{
    (void)arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (bev)
        bufferevent_set_max_single_write(bev, 1 << 20);
    return bev;
}

static void *loop_main(void *arg)
{
    loop *l = arg;
    event_base_dispatch(l->base);
    return NULL;
}

static int resolve(const char *addr, int port, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return PV_OK;
    }
    if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return PV_OK;
    }
    return PV_EINVAL;
}

static int bound_port(evutil_socket_t fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int loop_init(loop *l, const http_config *cfg, int *port, char *err, size_t err_size)
{
    /* The changelist lets epoll apply the write-interest changes of a turn at once. */
    struct event_config *ec = event_config_new();
    if (ec)
        event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    l->base = ec ? event_base_new_with_config(ec) : NULL;
    if (ec)
        event_config_free(ec);
    l->http = l->base ? evhttp_new(l->base) : NULL;
    if (!l->http) {
        snprintf(err, err_size, "cannot create an event loop");
        return PV_EIO;
    }
    evhttp_set_max_body_size(l->http, (ev_ssize_t)cfg->max_body);
    evhttp_set_max_headers_size(l->http, (ev_ssize_t)cfg->max_headers);
    evhttp_set_timeout(l->http, cfg->idle_timeout);
    evhttp_set_allowed_methods(l->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                            EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
    evhttp_set_gencb(l->http, on_request, l);
    evhttp_set_bevcb(l->http, connection_bufferevent, NULL);

    struct sockaddr_storage ss;
    socklen_t len;
    if (resolve(cfg->listen, *port, &ss, &len) != 0) {
        snprintf(err, err_size, "not an IP address: %s", cfg->listen);
        return PV_EINVAL;
    }
    struct evconnlistener *lst = evconnlistener_new_bind(
        l->base, NULL, NULL,
        LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_FREE |
            LEV_OPT_CLOSE_ON_EXEC,
        1024, (struct sockaddr *)&ss, (int)len);
    if (!lst) {
        snprintf(err, err_size, "cannot listen on %s port %d: %s", cfg->listen, *port,
                 strerror(errno));
        return PV_EIO;
    }
    /* Without TCP_NODELAY the last part of each response waits for the client's delayed ACK
     * (Nagle): about 40 ms per keep-alive response. Accepted sockets inherit it on Linux. */
    int one = 1;
    setsockopt(evconnlistener_get_fd(lst), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!evhttp_bind_listener(l->http, lst)) {
        evconnlistener_free(lst);
        snprintf(err, err_size, "cannot bind the HTTP listener");
        return PV_EIO;
    }
    if (*port == 0)
        *port = bound_port(evconnlistener_get_fd(lst));
    return PV_OK;
}

static void loop_finish(loop *l)
{
    if (l->state && l->h->thread_stop)
        l->h->thread_stop(l->state);
    if (l->http)
        evhttp_free(l->http);
    if (l->base)
        event_base_free(l->base);
}

int http_server_run(const http_config *cfg, const http_handlers *h, void *app, char *err,
                    size_t err_size)
{
    if (evthread_use_pthreads() != 0) {
        snprintf(err, err_size, "libevent has no thread support");
        return PV_EIO;
    }
    int n = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > HTTP_MAX_THREADS)
        n = HTTP_MAX_THREADS;

    /* The loop threads inherit this mask; only the main thread takes the signals. */
    sigset_t stop_signals, old_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
    signal(SIGPIPE, SIG_IGN);

    loop loops[HTTP_MAX_THREADS];
    memset(loops, 0, sizeof loops);
    int port = cfg->port, rc = PV_OK;
    for (int i = 0; i < n && rc == 0; i++) {
        loops[i] = (loop){.app = app, .index = i, .h = h};
        rc = loop_init(&loops[i], cfg, &port, err, err_size);
        if (rc == 0 && h->thread_start) {
            loops[i].state = h->thread_start(app, i, loops[i].base);
            if (!loops[i].state) {
                snprintf(err, err_size, "cannot start loop %d (see the log)", i);
                rc = PV_EIO;
            }
        }
    }
    for (int i = 0; i < n && rc == 0; i++) {
        if (pthread_create(&loops[i].thread, NULL, loop_main, &loops[i]) != 0) {
            snprintf(err, err_size, "cannot start a thread");
            rc = PV_EIO;
            break;
        }
        loops[i].started = true;
    }
    if (rc == 0) {
        bool v6 = strchr(cfg->listen, ':') != NULL;
        printf("planverk: serving http://%s%s%s:%d/ with %d event loops\n", v6 ? "[" : "",
               cfg->listen, v6 ? "]" : "", port, n);
        fflush(stdout);
        int sig;
        sigwait(&stop_signals, &sig);
        if (h->before_stop)
            h->before_stop(app);
    }
    for (int i = 0; i < n; i++)
        if (loops[i].base)
            event_base_loopexit(loops[i].base, NULL);
    for (int i = 0; i < n; i++)
        if (loops[i].started)
            pthread_join(loops[i].thread, NULL);
    for (int i = 0; i < n; i++)
        loop_finish(&loops[i]);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    libevent_global_shutdown();
    return rc;
}
