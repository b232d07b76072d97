/*
 * model/server.c - evhttp server of zg-model: routing, plain and SSE answers.
 */
#define _GNU_SOURCE
#include "model/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "model/chat.h"

#define MAX_BODY (1u << 20)

typedef struct worker {
    struct zg_model_server *srv;
    struct event_base *base;
    struct evhttp *http;
    pthread_t thread;
    int started;
} worker;

struct zg_model_server {
    zg_model_opts o;
    const zg_ngram *model;
    int fd, port;
    int n_workers;
    worker *workers;
    atomic_ullong next_id;
};

/* ---- small reply helpers ------------------------------------------------ */

static void reply_json(struct evhttp_request *req, int code, const char *reason, char *json)
{
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    if (json) {
        evbuffer_add(out, json, strlen(json));
        evbuffer_add(out, "\n", 1);
    }
    free(json);
    evhttp_send_reply(req, code, reason, NULL);
}

static void reply_error(struct evhttp_request *req, int code, const char *reason,
                        const char *type, const char *ecode, const char *msg)
{
    reply_json(req, code, reason, zg_chat_render_error(type, ecode, msg));
}

/* ---- generation --------------------------------------------------------- */

typedef struct collected { char **pieces; size_t n, cap; int oom; } collected;

static int collect_piece(void *arg, const char *piece, size_t len)
{
    collected *c = arg;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        char **p = realloc(c->pieces, cap * sizeof *p);
        if (!p) { c->oom = 1; return 1; }
        c->pieces = p; c->cap = cap;
    }
    char *s = strndup(piece, len);
    if (!s) { c->oom = 1; return 1; }
    c->pieces[c->n++] = s;
    return 0;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->pieces[i]);
    free(c->pieces);
}

static int generate(zg_model_server *s, const zg_chat_req *r, collected *c, int *stopped)
{
    zg_ngram_params p = {
        .seed = r->has_seed ? r->seed : s->o.seed,
        .temperature = r->has_temperature ? r->temperature : s->o.temperature,
        .max_tokens = r->max_tokens ? r->max_tokens : s->o.default_max_tokens,
    };
    size_t n;
    memset(c, 0, sizeof *c);
    int rc = zg_ngram_generate(s->model, r->prompt, &p, collect_piece, c, &n, stopped);
    return rc ? rc : (c->oom ? ZG_ENOMEM : ZG_OK);
}

/* ---- streaming ---------------------------------------------------------- */

/* One SSE answer in flight: every event is rendered up front, then sent one
 * per tick (token_delay_ms) so that a client sees tokens arrive over time. */
typedef struct stream {
    struct evhttp_request *req;
    struct event *timer;
    char **events;     /* "data: ...\n\n" strings */
    size_t n, next;
    int closed;        /* the client went away: finish without writing */
    unsigned delay_ms;
} stream;

static void stream_free(stream *st)
{
    for (size_t i = 0; i < st->n; i++) free(st->events[i]);
    free(st->events);
    if (st->timer) event_free(st->timer);
    free(st);
}

static int add_event(stream *st, char *json)
{
    if (!json) return ZG_ENOMEM;
    char *ev = NULL;
    int n = asprintf(&ev, "data: %s\n\n", json);
    free(json);
    if (n < 0) return ZG_ENOMEM;
    st->events[st->n++] = ev;
    return ZG_OK;
}

static int build_events(stream *st, const zg_chat_meta *m, const zg_chat_req *r,
                        const collected *c, int stopped)
{
    st->events = calloc(c->n + 5, sizeof *st->events);
    if (!st->events) return ZG_ENOMEM;
    int rc = add_event(st, zg_chat_render_chunk(m, "assistant", "", NULL));
    for (size_t i = 0; !rc && i < c->n; i++)
        rc = add_event(st, zg_chat_render_chunk(m, NULL, c->pieces[i], NULL));
    if (!rc) rc = add_event(st, zg_chat_render_chunk(m, NULL, NULL, stopped ? "stop" : "length"));
    if (!rc && r->include_usage)
        rc = add_event(st, zg_chat_render_usage_chunk(m, r->prompt_tokens, c->n));
    if (!rc) {
        char *done = strdup("data: [DONE]\n\n");
        if (!done) return ZG_ENOMEM;
        st->events[st->n++] = done;
    }
    return rc;
}

static void stream_closed(struct evhttp_connection *conn, void *arg)
{
    stream *st = arg;
    st->closed = 1;
}

static void stream_send_one(stream *st)
{
    struct evbuffer *b = evbuffer_new();
    if (b) {
        evbuffer_add(b, st->events[st->next], strlen(st->events[st->next]));
        evhttp_send_reply_chunk(st->req, b);
        evbuffer_free(b);
    }
    st->next++;
}

static void stream_finish(stream *st)
{
    struct evhttp_connection *conn = evhttp_request_get_connection(st->req);
    if (conn) evhttp_connection_set_closecb(conn, NULL, NULL);
    evhttp_send_reply_end(st->req); /* frees req, also when the peer has gone */
    stream_free(st);
}

static void stream_tick(evutil_socket_t fd, short what, void *arg)
{
    stream *st = arg;
    if (st->closed || st->next >= st->n) { stream_finish(st); return; }
    stream_send_one(st);
    struct timeval tv = {st->delay_ms / 1000, (st->delay_ms % 1000) * 1000};
    event_add(st->timer, st->next < st->n ? &tv : &(struct timeval){0, 0});
}

static void start_stream(worker *w, struct evhttp_request *req, stream *st)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", "text/event-stream");
    evhttp_add_header(h, "Cache-Control", "no-cache");
    evhttp_send_reply_start(req, 200, "OK");
    st->req = req;
    if (!st->delay_ms) { /* everything at once, still as separate chunks */
        while (st->next < st->n) stream_send_one(st);
        evhttp_send_reply_end(req);
        stream_free(st);
        return;
    }
    st->timer = evtimer_new(w->base, stream_tick, st);
    if (!st->timer) { evhttp_send_reply_end(req); stream_free(st); return; }
    evhttp_connection_set_closecb(evhttp_request_get_connection(req), stream_closed, st);
    stream_send_one(st);
    struct timeval tv = {st->delay_ms / 1000, (st->delay_ms % 1000) * 1000};
    event_add(st->timer, &tv);
}

/* ---- handlers ----------------------------------------------------------- */

static char *join_pieces(const collected *c)
{
    size_t len = 0;
    for (size_t i = 0; i < c->n; i++) len += strlen(c->pieces[i]);
    char *s = malloc(len + 1);
    if (!s) return NULL;
    size_t off = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t l = strlen(c->pieces[i]);
        memcpy(s + off, c->pieces[i], l);
        off += l;
    }
    s[off] = 0;
    return s;
}

static void answer(worker *w, struct evhttp_request *req, const zg_chat_req *r)
{
    zg_model_server *s = w->srv;
    collected c;
    int stopped = 0;
    if (generate(s, r, &c, &stopped)) {
        collected_free(&c);
        reply_error(req, 500, "Internal Server Error", "server_error", "out_of_memory", "out of memory");
        return;
    }
    char id[48];
    snprintf(id, sizeof id, "chatcmpl-zg%llu", (unsigned long long)atomic_fetch_add(&s->next_id, 1));
    zg_chat_meta m = {id, s->o.model_name, (long long)time(NULL)};
    if (!r->stream) {
        char *content = join_pieces(&c);
        char *json = content ? zg_chat_render_answer(&m, content, stopped ? "stop" : "length",
                                                     r->prompt_tokens, c.n) : NULL;
        free(content);
        collected_free(&c);
        if (!json) reply_error(req, 500, "Internal Server Error", "server_error", "out_of_memory", "out of memory");
        else reply_json(req, 200, "OK", json);
        return;
    }
    stream *st = calloc(1, sizeof *st);
    int rc = st ? build_events(st, &m, r, &c, stopped) : ZG_ENOMEM;
    collected_free(&c);
    if (rc) {
        if (st) stream_free(st);
        reply_error(req, 500, "Internal Server Error", "server_error", "out_of_memory", "out of memory");
        return;
    }
    st->delay_ms = s->o.token_delay_ms;
    start_stream(w, req, st);
}

static void handle_chat(worker *w, struct evhttp_request *req)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    const char *body = (const char *)evbuffer_pullup(in, -1);
    zg_chat_req r;
    zg_err err;
    if (zg_chat_req_parse(&r, body ? body : "", len, &err)) {
        reply_error(req, 400, "Bad Request", "invalid_request_error", "invalid_request", err.msg);
        return;
    }
    answer(w, req, &r);
    zg_chat_req_free(&r);
}

static void route(struct evhttp_request *req, void *arg)
{
    worker *w = arg;
    const char *uri = evhttp_request_get_uri(req);
    size_t plen = strcspn(uri, "?");
    enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
#define IS(path) (plen == strlen(path) && strncmp(uri, path, plen) == 0)
    if (IS("/v1/chat/completions")) {
        if (cmd != EVHTTP_REQ_POST)
            return reply_error(req, 405, "Method Not Allowed", "invalid_request_error",
                               "method_not_allowed", "use POST for /v1/chat/completions");
        return handle_chat(w, req);
    }
    if (IS("/v1/models") && cmd == EVHTTP_REQ_GET)
        return reply_json(req, 200, "OK", zg_chat_render_models(w->srv->o.model_name));
    if (IS("/health") && cmd == EVHTTP_REQ_GET)
        return reply_json(req, 200, "OK", strdup("{\"status\":\"ok\"}"));
#undef IS
    reply_error(req, 404, "Not Found", "invalid_request_error", "not_found", "no such endpoint");
}

/* ---- lifecycle ---------------------------------------------------------- */

static int listen_socket(const zg_model_opts *o, int *fd_out, int *port_out, zg_err *e)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, o->host, &a.sin_addr) != 1)
        return zg_err_set(e, ZG_EINVAL, "listen address '%s' is not an IPv4 address", o->host);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return zg_err_set(e, ZG_EIO, "socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1024)) {
        int err = errno;
        close(fd);
        return zg_err_set(e, ZG_EIO, "cannot listen on %s:%d: %s", o->host, o->port, strerror(err));
    }
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    *fd_out = fd;
    *port_out = ntohs(a.sin_port);
    return ZG_OK;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    event_base_dispatch(w->base);
    return NULL;
}

static int worker_init(worker *w, zg_model_server *s)
{
    w->srv = s;
    w->base = event_base_new();
    w->http = w->base ? evhttp_new(w->base) : NULL;
    if (!w->http) return ZG_ENOMEM;
    evhttp_set_max_body_size(w->http, MAX_BODY);
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
    evhttp_set_timeout(w->http, 60);
    evhttp_set_gencb(w->http, route, w);
    /* evhttp closes the socket it accepts on when freed: give each worker
     * its own descriptor of the one shared listening socket */
    int fd = dup(s->fd);
    if (fd < 0) return ZG_EIO;
    if (!evhttp_accept_socket_with_handle(w->http, fd)) { close(fd); return ZG_EIO; }
    return ZG_OK;
}

int zg_model_server_start(zg_model_server **out, const zg_model_opts *o, const zg_ngram *model,
                          zg_err *e)
{
    *out = NULL;
    if (o->threads < 1 || o->threads > 256)
        return zg_err_set(e, ZG_EINVAL, "threads must be 1..256, not %d", o->threads);
    if (evthread_use_pthreads())
        return zg_err_set(e, ZG_EINTERNAL, "libevent has no pthreads support");
    zg_model_server *s = calloc(1, sizeof *s);
    if (!s) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    s->o = *o;
    s->model = model;
    s->fd = -1;
    int rc = listen_socket(o, &s->fd, &s->port, e);
    if (rc) { free(s); return rc; }
    s->workers = calloc((size_t)o->threads, sizeof *s->workers);
    if (!s->workers) { zg_model_server_stop(s); return zg_err_set(e, ZG_ENOMEM, "out of memory"); }
    s->n_workers = o->threads;
    for (int i = 0; i < o->threads; i++) {
        if (worker_init(&s->workers[i], s)) {
            zg_model_server_stop(s);
            return zg_err_set(e, ZG_EIO, "cannot set up HTTP worker %d", i);
        }
    }
    for (int i = 0; i < o->threads; i++) {
        if (pthread_create(&s->workers[i].thread, NULL, worker_main, &s->workers[i])) {
            zg_model_server_stop(s);
            return zg_err_set(e, ZG_EIO, "cannot start worker thread %d", i);
        }
        char name[16];
        snprintf(name, sizeof name, "zg-model-%d", i % 1000); /* names hold 15 characters */
        pthread_setname_np(s->workers[i].thread, name);
        s->workers[i].started = 1;
    }
    *out = s;
    return ZG_OK;
}

int zg_model_server_port(const zg_model_server *s) { return s->port; }

void zg_model_server_stop(zg_model_server *s)
{
    if (!s) return;
    for (int i = 0; i < s->n_workers; i++)
        if (s->workers[i].base) event_base_loopexit(s->workers[i].base, NULL);
    for (int i = 0; i < s->n_workers; i++) {
        worker *w = &s->workers[i];
        if (w->started) pthread_join(w->thread, NULL);
        if (w->http) evhttp_free(w->http);
        if (w->base) event_base_free(w->base);
    }
    free(s->workers);
    if (s->fd >= 0) close(s->fd);
    free(s);
}
