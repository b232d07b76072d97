/*
 * provider/upstream.c - relay a booked request to the service's
 * OpenAI-compatible upstream and the answer back, counting output units.
 *
 * Streams are relayed event by event as they arrive (never buffered whole):
 * each complete SSE event is forwarded at once; the upstream's usage chunk is
 * held back and re-sent last with the broker's zg_output_units/zg_output_fee
 * added, then [DONE]. Units are counted from exactly what is forwarded, so
 * the customer counting what it received gets the same number; an event cut
 * by a dropped connection is neither forwarded nor charged.
 */
#define _GNU_SOURCE
#include "provider/broker_int.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLAIN_ANSWER (64u << 20) /* a plain answer larger than this is refused */

/* ---- connection pool ------------------------------------------------------ */

static struct evhttp_connection *pool_get(zg_preq *p)
{
    zg_upool *pl = &p->w->pools[p->svc_index];
    if (pl->n) return pl->idle[--pl->n];
    struct evhttp_connection *c =
        evhttp_connection_base_new(p->w->base, NULL, p->svc->up_host, (unsigned short)p->svc->up_port);
    if (c) evhttp_connection_set_timeout(c, (int)p->w->b->cfg->upstream_timeout_s);
    return c;
}

/* Back to the pool (evhttp reconnects by itself if the server closed it). */
static void pool_put(zg_worker *w, size_t si, struct evhttp_connection *c)
{
    zg_upool *pl = &w->pools[si];
    if (pl->n < ZG_POOL_MAX) pl->idle[pl->n++] = c;
    else evhttp_connection_free_on_completion(c);
}

void zg_upool_free(zg_upool *pl)
{
    for (int i = 0; i < pl->n; i++) evhttp_connection_free(pl->idle[i]);
    pl->n = 0;
}

/* ---- the end of a request ------------------------------------------------- */

/* Output units charged (capped at the reserve's bound) and their fee. */
static void output_fee(const zg_preq *p, uint64_t *units, zg_u256 *fee)
{
    *units = p->units;
    if (!p->is_close && *units > p->max_out) *units = p->max_out;
    if (zg_fee_of_units(&p->svc->rule.output_price, *units, fee, NULL)) *fee = p->adm.reserve;
}

void zg_preq_answered(zg_preq *p)
{
    zg_broker *b = p->w->b;
    uint64_t units;
    zg_u256 fee, owed = zg_u256_from_u64(0);
    output_fee(p, &units, &fee);
    zg_accts_answered(b->d.accts, p->h.user, &p->adm.reserve, &fee, &owed);
    zg_store_record_output(b->d.store, p->h.user, p->h.nonce, units, &fee, &owed);
    p->w->inflight--;
    atomic_fetch_sub(&b->d.metrics->inflight, 1);
    atomic_fetch_add(&b->d.metrics->output_units, units);
    zg_preq_free(p);
}

/* The 502 goes out once the receipt's removal is durable, so that what the
 * customer sees ("rejected, nothing charged") is what a crash would leave. */
static void on_dropped(evutil_socket_t fd, short what, void *arg)
{
    zg_preq *p = arg;
    zg_reply_error(p->req, ZG_PROTO_UPSTREAM, p->fail_msg ? p->fail_msg : "the model server failed");
    p->req = NULL;
    zg_preq_free(p);
}

static void drop_done(void *arg, int rc)
{
    zg_preq *p = arg;
    event_active(p->committed, EV_WRITE, 0);
}

void zg_preq_fail_upstream(zg_preq *p, const char *msg)
{
    zg_broker *b = p->w->b;
    zg_u256 owed = zg_u256_from_u64(0);
    zg_accts_rollback(b->d.accts, p->h.user, &p->adm, &owed);
    p->w->inflight--;
    atomic_fetch_sub(&b->d.metrics->inflight, 1);
    atomic_fetch_add(&b->d.metrics->upstream_failures, 1);
    atomic_fetch_add(&b->d.metrics->requests[ZG_PROTO_UPSTREAM], 1);
    p->fail_msg = strdup(msg);
    if (p->committed) event_free(p->committed);
    p->committed = event_new(p->w->base, -1, 0, on_dropped, p);
    if (!p->committed || zg_store_drop_receipt(b->d.store, p->h.user, p->h.nonce, &owed, drop_done, p))
        on_dropped(-1, 0, p);
}

/* ---- streams -------------------------------------------------------------- */

static void on_client_closed(struct evhttp_connection *conn, void *arg);

static void send_event(zg_preq *p, const char *payload, size_t len)
{
    if (!p->began) {
        struct evhttp_connection *cc = evhttp_request_get_connection(p->req);
        if (cc) evhttp_connection_set_closecb(cc, on_client_closed, p);
        struct evkeyvalq *h = evhttp_request_get_output_headers(p->req);
        evhttp_add_header(h, "Content-Type", "text/event-stream");
        evhttp_add_header(h, "Cache-Control", "no-cache");
        evhttp_send_reply_start(p->req, 200, "OK");
        p->began = 1;
        atomic_fetch_add(&p->w->b->d.metrics->streams, 1);
    }
    struct evbuffer *out = evbuffer_new();
    if (!out) return;
    evbuffer_add(out, "data: ", 6);
    evbuffer_add(out, payload, len);
    evbuffer_add(out, "\n\n", 2);
    evhttp_send_reply_chunk(p->req, out);
    evbuffer_free(out);
}

/* Extracts the data of one event (data lines joined by \n) into out. */
static int event_data(const char *ev, size_t len, zg_buf *out)
{
    size_t i = 0;
    int any = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && ev[j] != '\n') j++;
        size_t l = j - i;
        if (l && ev[i + l - 1] == '\r') l--;
        if (l >= 5 && memcmp(ev + i, "data:", 5) == 0) {
            size_t off = (l > 5 && ev[i + 5] == ' ') ? 6 : 5;
            if (any && zg_buf_append_byte(out, '\n')) return ZG_ENOMEM;
            if (zg_buf_append(out, ev + i + off, l - off)) return ZG_ENOMEM;
            any = 1;
        }
        i = j + 1;
    }
    return any ? ZG_OK : ZG_ENOTFOUND;
}

/* The usage chunk: choices empty and a usage object. */
static int is_usage_chunk(const char *data, size_t len)
{
    if (!memmem(data, len, "\"usage\"", 7)) return 0;
    json_t *j = json_loadb(data, len, 0, NULL);
    json_t *c = json_object_get(j, "choices");
    int r = json_is_object(json_object_get(j, "usage")) && (!c || (json_is_array(c) && json_array_size(c) == 0));
    json_decref(j);
    return r;
}

static void handle_event(zg_preq *p, const char *ev, size_t len)
{
    zg_buf d;
    zg_buf_init(&d);
    if (event_data(ev, len, &d) || !d.len) { zg_buf_free(&d); return; }
    const char *data = (const char *)d.data;
    if (d.len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        p->done_seen = 1;
    } else if (is_usage_chunk(data, d.len)) {
        free(p->usage_event);
        p->usage_event = strndup(data, d.len);
    } else if (!p->done_seen) {
        uint64_t units = p->units;
        /* a chunk that is not JSON is forwarded but counts nothing */
        if (!zg_fee_units_out_chunk(&p->svc->rule, data, d.len, &units, NULL)) p->units = units;
        send_event(p, data, d.len);
    }
    zg_buf_free(&d);
}

/* Forwards every complete event in p->sse ("\n\n" or "\r\n\r\n" ends one). */
static void drain_events(zg_preq *p)
{
    size_t start = 0;
    const char *s = (const char *)p->sse.data;
    for (size_t i = 0; i + 1 < p->sse.len; i++) {
        size_t end = 0;
        if (s[i] == '\n' && s[i + 1] == '\n') end = i + 2;
        else if (i + 3 < p->sse.len && memcmp(s + i, "\r\n\r\n", 4) == 0) end = i + 4;
        if (!end) continue;
        handle_event(p, s + start, i - start);
        start = end;
        i = end - 1;
    }
    if (start) {
        memmove(p->sse.data, p->sse.data + start, p->sse.len - start);
        p->sse.len -= start;
    }
}

/* The final usage chunk: upstream's (if any) with the broker's figures. */
static void send_usage(zg_preq *p)
{
    uint64_t units;
    zg_u256 fee;
    output_fee(p, &units, &fee);
    char dec[ZG_U256_DEC_MAX];
    zg_u256_to_dec(&fee, dec);
    json_t *j = p->usage_event ? json_loads(p->usage_event, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        j = json_pack("{s:s,s:[],s:{}}", "object", "chat.completion.chunk", "choices", "usage");
    }
    json_t *u = json_object_get(j, "usage");
    json_object_set_new(u, ZG_USAGE_OUTPUT_UNITS, json_integer((json_int_t)units));
    json_object_set_new(u, ZG_USAGE_OUTPUT_FEE, json_string(dec));
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (s) send_event(p, s, strlen(s));
    free(s);
}

static void finish_stream(zg_preq *p, int complete)
{
    drain_events(p);
    send_usage(p);
    if (complete && p->done_seen) send_event(p, "[DONE]", 6);
    struct evhttp_connection *cc = evhttp_request_get_connection(p->req);
    if (cc) evhttp_connection_set_closecb(cc, NULL, NULL); /* the connection may serve more requests */
    evhttp_send_reply_end(p->req);
    p->req = NULL;
    zg_preq_answered(p);
}

/* The customer hung up mid-stream: stop the model (no one reads the rest)
 * and charge what was relayed. libevent has already detached the request
 * from the dying connection when it reports an EOF; if it has not (the
 * broker is shutting down), the request is left for libevent to free. */
static void on_client_closed(struct evhttp_connection *conn, void *arg)
{
    zg_preq *p = arg;
    if (!p->ureq) return;
    evhttp_cancel_request(p->ureq); /* its callbacks will not run */
    p->ureq = NULL;
    if (p->uc) pool_put(p->w, p->svc_index, p->uc);
    p->uc = NULL;
    if (evhttp_request_get_connection(p->req) == NULL) evhttp_send_reply_end(p->req); /* frees it */
    p->req = NULL;
    zg_preq_answered(p);
}

/* ---- plain answers -------------------------------------------------------- */

static void finish_plain(zg_preq *p)
{
    uint64_t units = 0;
    zg_err err;
    if (zg_fee_units_out_answer(&p->svc->rule, (const char *)p->plain.data, p->plain.len, &units, &err)) {
        char msg[600];
        snprintf(msg, sizeof msg, "the model server's answer is not a chat completion: %s", err.msg);
        zg_preq_fail_upstream(p, msg);
        return;
    }
    p->units = units;
    uint64_t charged;
    zg_u256 fee;
    output_fee(p, &charged, &fee);
    char dec[ZG_U256_DEC_MAX], num[24];
    zg_u256_to_dec(&fee, dec);
    snprintf(num, sizeof num, "%llu", (unsigned long long)charged);
    struct evkeyvalq *h = evhttp_request_get_output_headers(p->req);
    evhttp_add_header(h, "Content-Type", "application/json");
    evhttp_add_header(h, ZG_HDR_OUTPUT_FEE, dec);
    evhttp_add_header(h, ZG_HDR_OUTPUT_UNITS, num);
    struct evbuffer *out = evhttp_request_get_output_buffer(p->req);
    evbuffer_add(out, p->plain.data, p->plain.len);
    evhttp_send_reply(p->req, 200, "OK", NULL);
    p->req = NULL;
    p->began = 1;
    atomic_fetch_add(&p->w->b->d.metrics->plain, 1);
    zg_preq_answered(p);
}

/* ---- libevent callbacks --------------------------------------------------- */

static int on_headers(struct evhttp_request *ureq, void *arg)
{
    zg_preq *p = arg;
    p->up_status = evhttp_request_get_response_code(ureq);
    return 0;
}

static void on_chunk(struct evhttp_request *ureq, void *arg)
{
    zg_preq *p = arg;
    struct evbuffer *in = evhttp_request_get_input_buffer(ureq);
    size_t n = evbuffer_get_length(in);
    zg_buf *dst = (p->stream && p->up_status == 200) ? &p->sse : &p->plain;
    if (dst->len + n <= MAX_PLAIN_ANSWER && !zg_buf_reserve(dst, n)) {
        evbuffer_remove(in, dst->data + dst->len, n);
        dst->len += n;
    } else {
        evbuffer_drain(in, n);
    }
    if (dst == &p->sse) drain_events(p);
}

static void fail_status(zg_preq *p)
{
    char msg[400];
    int n = (int)(p->plain.len > 200 ? 200 : p->plain.len);
    snprintf(msg, sizeof msg, "the model server answered HTTP %d: %.*s", p->up_status, n,
             p->plain.data ? (const char *)p->plain.data : "");
    zg_preq_fail_upstream(p, msg);
}

static void on_done(struct evhttp_request *ureq, void *arg)
{
    zg_preq *p = arg;
    zg_worker *w = p->w;
    size_t si = p->svc_index;
    struct evhttp_connection *c = p->uc;
    int ok = ureq && evhttp_request_get_response_code(ureq) != 0;
    if (ok && !p->up_status) p->up_status = evhttp_request_get_response_code(ureq);
    if (ok && ureq) on_chunk(ureq, p); /* anything not yet delivered */
    p->uc = NULL;
    p->ureq = NULL;
    if (!ok) {
        if (p->began) {
            atomic_fetch_add(&w->b->d.metrics->upstream_dropped, 1);
            finish_stream(p, 0);
        } else {
            zg_preq_fail_upstream(p, "the model server is unreachable or did not answer in time");
        }
    } else if (p->up_status != 200) {
        if (p->began) finish_stream(p, 0);
        else fail_status(p);
    } else if (p->stream) {
        drain_events(p);
        if (!p->began) zg_preq_fail_upstream(p, "the model server's stream carried no events");
        else finish_stream(p, 1);
    } else {
        finish_plain(p);
    }
    if (c) pool_put(w, si, c);
}

void zg_upstream_send(zg_preq *p)
{
    p->uc = pool_get(p);
    p->ureq = p->uc ? evhttp_request_new(on_done, p) : NULL;
    if (!p->ureq) {
        if (p->uc) pool_put(p->w, p->svc_index, p->uc);
        p->uc = NULL;
        zg_preq_fail_upstream(p, "cannot open a connection to the model server");
        return;
    }
    evhttp_request_set_header_cb(p->ureq, on_headers);
    evhttp_request_set_chunked_cb(p->ureq, on_chunk);
    struct evkeyvalq *h = evhttp_request_get_output_headers(p->ureq);
    char host[300];
    snprintf(host, sizeof host, "%s:%d", p->svc->up_host, p->svc->up_port);
    evhttp_add_header(h, "Host", host);
    evhttp_add_header(h, "Content-Type", "application/json");
    evhttp_add_header(h, "Accept", p->stream ? "text/event-stream" : "application/json");
    evbuffer_add(evhttp_request_get_output_buffer(p->ureq), p->up_body, p->up_len);
    char uri[300];
    snprintf(uri, sizeof uri, "%s/v1/chat/completions", p->svc->up_prefix);
    if (evhttp_make_request(p->uc, p->ureq, EVHTTP_REQ_POST, uri)) {
        /* evhttp_make_request frees the request when it fails */
        p->ureq = NULL;
        pool_put(p->w, p->svc_index, p->uc);
        p->uc = NULL;
        zg_preq_fail_upstream(p, "cannot send the request to the model server");
    }
}
