/*
 * provider/server.c - listening sockets, worker event loops, routing.
 */
#define _GNU_SOURCE
#include "provider/broker_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

uint64_t zg_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void zg_reply_json(struct evhttp_request *req, int status, const char *json)
{
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evbuffer_add(out, json, strlen(json));
    evbuffer_add(out, "\n", 1);
    evhttp_send_reply(req, status, NULL, NULL);
}

void zg_reply_error(struct evhttp_request *req, int code, const char *msg)
{
    char *body = zg_proto_error_body(code, msg);
    zg_reply_json(req, zg_proto_status(code),
                  body ? body : "{\"error\":{\"code\":\"internal_error\",\"message\":\"out of memory\"}}");
    free(body);
}

/* The public address serves only /v1/proxy/...; the rest is 404. */
static void route_public(struct evhttp_request *req, void *arg)
{
    zg_worker *w = arg;
    atomic_fetch_add(&w->requests, 1);
    if (atomic_load(&w->b->stopping)) {
        zg_reply_error(req, ZG_PROTO_OVERLOADED, "the provider is shutting down; retry shortly");
        return;
    }
    const char *uri = evhttp_request_get_uri(req);
    char path[512];
    size_t plen = strcspn(uri, "?");
    if (plen >= sizeof path) plen = sizeof path - 1;
    memcpy(path, uri, plen);
    path[plen] = 0;
    if (strncmp(path, "/v1/proxy/", 10) == 0) {
        if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
            char *body = zg_proto_error_body(ZG_PROTO_BAD_REQUEST, "use POST");
            zg_reply_json(req, 405, body ? body : "{}");
            free(body);
            return;
        }
        zg_proxy_handle(w, req, path + 10);
        return;
    }
    char *body = zg_proto_error_body(ZG_PROTO_UNKNOWN_SERVICE,
                                     "not found: the provider serves POST /v1/proxy/{service}/chat/completions");
    zg_reply_json(req, 404, body ? body : "{}");
    free(body);
}

/* A listening socket. With reuseport, every worker has its own socket on
 * the same port, and the kernel spreads new connections over them by a hash
 * of their addresses; with one socket shared by all loops, whichever loop
 * woke first took every connection of a burst (a load of 32 connections
 * all went to one of two workers). */
static int listen_on(const char *host, int port, int reuseport, int *fd_out, int *port_out, zg_err *e)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
        return zg_err_set(e, ZG_EINVAL, "listen address '%s' is not an IPv4 address", host);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return zg_err_set(e, ZG_EIO, "socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one)) {
        int err = errno;
        close(fd);
        return zg_err_set(e, ZG_EIO, "cannot share port %d between worker threads (SO_REUSEPORT): %s", port,
                          strerror(err));
    }
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 4096)) {
        int err = errno;
        close(fd);
        return zg_err_set(e, ZG_EIO, "cannot listen on %s:%d: %s", host, port, strerror(err));
    }
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    *fd_out = fd;
    *port_out = ntohs(a.sin_port);
    return ZG_OK;
}

static void *worker_main(void *arg)
{
    zg_worker *w = arg;
    event_base_dispatch(w->base);
    return NULL;
}

/* An event loop whose epoll changes are batched per loop turn: evhttp
 * deletes, re-adds and modifies a socket's events several times while
 * handling one request, and each change would otherwise be its own system
 * call (about half of a worker's calls per request). libevent's warning for
 * this flag concerns a dup()ed descriptor closed while its twin stays
 * registered in the same loop; each loop holds just one dup of the listening
 * socket, closed only when the loop is freed. */
static struct event_base *new_loop(void)
{
    struct event_config *cfg = event_config_new();
    if (!cfg) return NULL;
    event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    struct event_base *base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

/* A loop that accepts on fd, which it owns from now on (evhttp closes the
 * socket it accepts on when freed). */
static int worker_init(zg_worker *w, zg_broker *b, int fd, void (*cb)(struct evhttp_request *, void *))
{
    w->b = b;
    w->base = new_loop();
    w->http = w->base ? evhttp_new(w->base) : NULL;
    w->pools = calloc(b->cfg->n_services, sizeof *w->pools);
    if (!w->http || !w->pools) {
        close(fd);
        return ZG_ENOMEM;
    }
    evhttp_set_max_body_size(w->http, (ev_ssize_t)b->cfg->max_body);
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
    evhttp_set_timeout(w->http, 60);
    evhttp_set_gencb(w->http, cb, w);
    if (!evhttp_accept_socket_with_handle(w->http, fd)) { close(fd); return ZG_EIO; }
    return ZG_OK;
}

/* Worker i's listening socket: the broker's own (a descriptor of it) for
 * the first, a new one on the same port for the others. */
static int worker_socket(const zg_broker *b, int i, int *fd, zg_err *e)
{
    if (i > 0) {
        int port;
        return listen_on(b->cfg->listen_host, b->port, 1, fd, &port, e);
    }
    *fd = dup(b->fd);
    if (*fd < 0) return zg_err_set(e, ZG_EIO, "dup: %s", strerror(errno));
    return ZG_OK;
}

static void worker_free(zg_worker *w, size_t n_services)
{
    if (w->http) evhttp_free(w->http);
    if (w->pools)
        for (size_t i = 0; i < n_services; i++) zg_upool_free(&w->pools[i]);
    free(w->pools);
    if (w->base) event_base_free(w->base);
}

static int start_threads(zg_broker *b, zg_err *e)
{
    for (int i = 0; i < b->n_workers; i++) {
        if (pthread_create(&b->workers[i].thread, NULL, worker_main, &b->workers[i]))
            return zg_err_set(e, ZG_EIO, "cannot start worker thread %d", i);
        char name[16];
        snprintf(name, sizeof name, "zg-worker-%d", i % 1000); /* names hold 15 characters */
        pthread_setname_np(b->workers[i].thread, name);
        b->workers[i].started = 1;
    }
    if (pthread_create(&b->admin.thread, NULL, worker_main, &b->admin))
        return zg_err_set(e, ZG_EIO, "cannot start the admin thread");
    pthread_setname_np(b->admin.thread, "zg-admin");
    b->admin.started = 1;
    return ZG_OK;
}

int zg_broker_start(zg_broker **out, const zg_pcfg *cfg, const uint8_t provider[20],
                    const zg_broker_deps *deps, zg_err *e)
{
    *out = NULL;
    if (evthread_use_pthreads()) return zg_err_set(e, ZG_EINTERNAL, "libevent lacks pthreads support");
    zg_broker *b = calloc(1, sizeof *b);
    if (!b) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    b->cfg = cfg;
    memcpy(b->provider, provider, 20);
    b->d = *deps;
    b->fd = b->admin_fd = -1;
    int rc = listen_on(cfg->listen_host, cfg->listen_port, 1, &b->fd, &b->port, e);
    if (!rc) rc = listen_on(cfg->admin_host, cfg->admin_port, 0, &b->admin_fd, &b->admin_port, e);
    if (!rc && !(b->workers = calloc((size_t)cfg->threads, sizeof *b->workers)))
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    if (!rc) b->n_workers = cfg->threads;
    for (int i = 0; !rc && i < b->n_workers; i++) {
        int fd;
        rc = worker_socket(b, i, &fd, e);
        if (!rc && worker_init(&b->workers[i], b, fd, route_public))
            rc = zg_err_set(e, ZG_EIO, "cannot set up HTTP worker %d", i);
    }
    int admin_fd = rc ? -1 : dup(b->admin_fd);
    if (!rc && (admin_fd < 0 || worker_init(&b->admin, b, admin_fd, zg_admin_handle)))
        rc = zg_err_set(e, ZG_EIO, "cannot set up the admin HTTP server");
    if (!rc) rc = start_threads(b, e);
    if (rc) {
        zg_broker_stop(b);
        return rc;
    }
    *out = b;
    return ZG_OK;
}

int zg_broker_port(const zg_broker *b) { return b->port; }
int zg_broker_admin_port(const zg_broker *b) { return b->admin_port; }

/* Lets requests in flight finish (new ones get 503) before the loops end,
 * so that no answer is cut and no receipt callback outlives its loop. */
static void drain(zg_broker *b)
{
    atomic_store(&b->stopping, 1);
    for (int i = 0; i < 1000 && atomic_load(&b->d.metrics->inflight) > 0; i++) usleep(10000);
}

void zg_broker_stop(zg_broker *b)
{
    if (!b) return;
    if (b->d.metrics) drain(b);
    for (int i = 0; i < b->n_workers; i++)
        if (b->workers[i].base) event_base_loopexit(b->workers[i].base, NULL);
    if (b->admin.base) event_base_loopexit(b->admin.base, NULL);
    for (int i = 0; i < b->n_workers; i++) {
        if (b->workers[i].started) pthread_join(b->workers[i].thread, NULL);
        worker_free(&b->workers[i], b->cfg->n_services);
    }
    if (b->admin.started) pthread_join(b->admin.thread, NULL);
    worker_free(&b->admin, b->cfg->n_services);
    free(b->workers);
    if (b->fd >= 0) close(b->fd);
    if (b->admin_fd >= 0) close(b->admin_fd);
    free(b);
}
