/*
 * fake_upstream.h - a misbehaving OpenAI-compatible upstream for broker tests
 * (header-only). One evhttp loop in a thread; the path prefix picks the
 * behaviour:
 *   /ok/v1/chat/completions      fixed answer "Hello, world!" (plain or SSE)
 *   /slow/v1/chat/completions    the same, each SSE event 150 ms apart (plain: 300 ms late)
 *   /drop/v1/chat/completions    SSE: two events, then the connection is cut
 *   /error/v1/chat/completions   HTTP 500 with an OpenAI error body
 *   /garbage/v1/chat/completions HTTP 200 with a body that is not JSON
 * It remembers whether the last request asked for stream_options.include_usage.
 */
#ifndef ZG_TEST_FAKE_UPSTREAM_H
#define ZG_TEST_FAKE_UPSTREAM_H

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fake_upstream {
    struct event_base *base;
    struct evhttp *http;
    pthread_t thread;
    int port;
    atomic_int last_include_usage;
    atomic_int requests;
} fake_upstream;

static const char *const fake_pieces[] = {"Hello", ", ", "world", "!"};
#define FAKE_ANSWER "Hello, world!"

typedef struct fake_stream {
    struct evhttp_request *req;
    struct event *timer;
    int next, drop, usage, delay_ms;
} fake_stream;

static void fake_send(struct evhttp_request *req, const char *s)
{
    struct evbuffer *b = evbuffer_new();
    evbuffer_add_printf(b, "data: %s\n\n", s);
    evhttp_send_reply_chunk(req, b);
    evbuffer_free(b);
}

static void fake_piece(fake_stream *st, int i)
{
    char ev[256];
    snprintf(ev, sizeof ev, "{\"id\":\"f\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                            "\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}", fake_pieces[i]);
    fake_send(st->req, ev);
}

static void fake_tick(evutil_socket_t fd, short w, void *arg)
{
    fake_stream *st = arg;
    if (st->drop && st->next == 2) {
        /* cut the connection mid-stream: no terminating chunk, no [DONE] */
        evhttp_connection_free(evhttp_request_get_connection(st->req));
        event_free(st->timer);
        free(st);
        return;
    }
    if (st->next < 4) {
        fake_piece(st, st->next++);
        struct timeval tv = {0, st->delay_ms * 1000};
        event_add(st->timer, &tv);
        return;
    }
    if (st->usage)
        fake_send(st->req, "{\"id\":\"f\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                           "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}");
    fake_send(st->req, "[DONE]");
    evhttp_send_reply_end(st->req);
    event_free(st->timer);
    free(st);
}

static void fake_plain(struct evhttp_request *req)
{
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    evbuffer_add_printf(out, "{\"id\":\"f\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                             "{\"role\":\"assistant\",\"content\":\"%s\"},\"finish_reason\":\"stop\"}],"
                             "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}",
                        FAKE_ANSWER);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, 200, "OK", NULL);
}

typedef struct fake_delayed { struct evhttp_request *req; struct event *ev; } fake_delayed;

static void fake_plain_later(evutil_socket_t fd, short w, void *arg)
{
    fake_delayed *d = arg;
    fake_plain(d->req);
    event_free(d->ev);
    free(d);
}

static void fake_cb(struct evhttp_request *req, void *arg)
{
    fake_upstream *f = arg;
    atomic_fetch_add(&f->requests, 1);
    const char *uri = evhttp_request_get_uri(req);
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    char *body = calloc(1, len + 1);
    evbuffer_copyout(in, body, len);
    int stream = strstr(body, "\"stream\":true") || strstr(body, "\"stream\": true");
    int usage = strstr(body, "\"include_usage\":true") != NULL;
    free(body);
    atomic_store(&f->last_include_usage, usage);
    if (strncmp(uri, "/error/", 7) == 0) {
        evbuffer_add_printf(evhttp_request_get_output_buffer(req),
                            "{\"error\":{\"message\":\"model exploded\",\"type\":\"server_error\"}}");
        evhttp_send_reply(req, 500, "Internal Server Error", NULL);
        return;
    }
    if (strncmp(uri, "/garbage/", 9) == 0) {
        evbuffer_add_printf(evhttp_request_get_output_buffer(req), "this is not json");
        evhttp_send_reply(req, 200, "OK", NULL);
        return;
    }
    int slow = strncmp(uri, "/slow/", 6) == 0, drop = strncmp(uri, "/drop/", 6) == 0;
    if (!stream) {
        if (!slow) { fake_plain(req); return; }
        fake_delayed *d = calloc(1, sizeof *d);
        d->req = req;
        d->ev = evtimer_new(f->base, fake_plain_later, d);
        struct timeval tv = {0, 300000};
        event_add(d->ev, &tv);
        return;
    }
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/event-stream");
    evhttp_send_reply_start(req, 200, "OK");
    fake_stream *st = calloc(1, sizeof *st);
    st->req = req;
    st->drop = drop;
    st->usage = usage;
    st->delay_ms = slow ? 150 : 1;
    st->timer = evtimer_new(f->base, fake_tick, st);
    fake_send(req, "{\"id\":\"f\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                   "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    struct timeval tv = {0, st->delay_ms * 1000};
    event_add(st->timer, &tv);
}

static void *fake_main(void *arg)
{
    fake_upstream *f = arg;
    event_base_dispatch(f->base);
    return NULL;
}

static int fake_upstream_start(fake_upstream *f)
{
    memset(f, 0, sizeof *f);
    evthread_use_pthreads();
    f->base = event_base_new();
    f->http = evhttp_new(f->base);
    struct evhttp_bound_socket *s = evhttp_bind_socket_with_handle(f->http, "127.0.0.1", 0);
    if (!s) return -1;
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&a, &al);
    f->port = ntohs(a.sin_port);
    evhttp_set_gencb(f->http, fake_cb, f);
    return pthread_create(&f->thread, NULL, fake_main, f) ? -1 : 0;
}

static inline void fake_upstream_stop(fake_upstream *f)
{
    /* a second for streams still running (a slow one lasts < 1 s) to end and
     * free themselves, even when their client went away */
    struct timeval grace = {1, 0};
    event_base_loopexit(f->base, &grace);
    pthread_join(f->thread, NULL);
    evhttp_free(f->http);
    event_base_free(f->base);
}

#endif
