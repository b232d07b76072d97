/*
 * provider/proxy.c - POST /v1/proxy/{service}/chat/completions (and /close):
 * the checks in DESIGN.md's order, the booking, the durable receipt, then
 * the hand-over to upstream.c. A rejected request changes no state: every
 * check that can fail runs before the single booking step (zg_accts_admit),
 * and a failure after it (store, upstream before any answer byte) undoes it.
 */
#define _GNU_SOURCE
#include "provider/broker_int.h"

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *lookup_header(void *ctx, const char *name)
{
    return evhttp_find_header((struct evkeyvalq *)ctx, name);
}

static void reject(zg_preq *p, int code, const char *msg)
{
    atomic_fetch_add(&p->w->b->d.metrics->requests[code], 1);
    zg_reply_error(p->req, code, msg);
    p->req = NULL;
    zg_preq_free(p);
}

void zg_preq_free(zg_preq *p)
{
    if (!p) return;
    if (p->committed) event_free(p->committed);
    free(p->up_body);
    free(p->usage_event);
    free(p->fail_msg);
    zg_buf_free(&p->sse);
    zg_buf_free(&p->plain);
    free(p);
}

/* "{service}/chat/completions" or "{service}/close" -> service + kind. */
static int split_path(const char *rest, size_t *name_len, int *is_close)
{
    const char *slash = strchr(rest, '/');
    if (!slash || slash == rest) return -1;
    *name_len = (size_t)(slash - rest);
    if (strcmp(slash, "/chat/completions") == 0) { *is_close = 0; return 0; }
    if (strcmp(slash, ZG_PROTO_CLOSE_SUFFIX) == 0) { *is_close = 1; return 0; }
    return -1;
}

/* The stream flag, and the body sent upstream: streams get
 * stream_options.include_usage forced on, so the usage chunk and [DONE] come
 * back whatever the customer asked. Plain bodies go upstream unchanged. */
static int prepare_upstream_body(zg_preq *p, const char *body, size_t len, zg_err *e)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, 0, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return zg_err_set(e, ZG_EINVAL, "request body is not a JSON object");
    }
    json_t *st = json_object_get(root, "stream");
    p->stream = json_is_true(st);
    int rc = ZG_OK;
    if (p->stream) {
        json_t *so = json_object_get(root, "stream_options");
        if (!json_is_object(so)) {
            so = json_object();
            json_object_set_new(root, "stream_options", so);
        }
        json_object_set_new(so, "include_usage", json_true());
        p->up_body = json_dumps(root, JSON_COMPACT);
        if (!p->up_body) rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
        else p->up_len = strlen(p->up_body);
    } else {
        p->up_body = malloc(len ? len : 1);
        if (!p->up_body) rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
        else { memcpy(p->up_body, body, len); p->up_len = len; }
    }
    json_decref(root);
    return rc;
}

/* Units in, minimum input fee and output reserve of the body. */
static int price_body(zg_preq *p, const char *body, size_t len, zg_err *e)
{
    const zg_fee_rule *rule = &p->svc->rule;
    if (p->is_close) {
        if (len != strlen(ZG_PROTO_CLOSE_BODY) || memcmp(body, ZG_PROTO_CLOSE_BODY, len) != 0)
            return zg_err_set(e, ZG_EINVAL, "a closing request's body must be exactly " ZG_PROTO_CLOSE_BODY);
        p->adm.min_input_fee = zg_u256_from_u64(0);
        p->adm.reserve = zg_u256_from_u64(0);
        return ZG_OK;
    }
    uint64_t units_in;
    int rc = zg_fee_units_in(rule, body, len, &units_in, e);
    if (!rc) rc = zg_fee_of_units(&rule->input_price, units_in, &p->adm.min_input_fee, e);
    if (!rc) rc = zg_fee_reserve(rule, body, len, &p->max_out, &p->adm.reserve, e);
    if (!rc) rc = prepare_upstream_body(p, body, len, e);
    return rc;
}

static void fill_receipt(zg_preq *p, const char *body, size_t len)
{
    zg_store_receipt *r = &p->rcpt;
    memcpy(r->user, p->h.user, 20);
    r->nonce = p->h.nonce;
    snprintf(r->service, sizeof r->service, "%s", p->svc->name);
    r->fee = p->h.fee;
    r->input_fee = p->h.input_fee;
    r->prev_output_fee = p->h.prev_output_fee;
    SHA256((const unsigned char *)body, len, r->request_hash);
    memcpy(r->signature, p->h.signature, 64);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r->created_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Signature: the account's signer, then EdDSA over the receipt. */
static int check_signature(zg_preq *p, zg_err *e)
{
    zg_broker *b = p->w->b;
    uint8_t signer[64];
    int rc = zg_accts_signer(b->d.accts, p->h.user, signer, e);
    if (rc == ZG_ENOTFOUND) return ZG_PROTO_NO_ACCOUNT;
    if (rc) { zg_err_wrap(e, rc, "reading the account from the chain"); return ZG_PROTO_INTERNAL; }
    if (!b->d.verify) {
        zg_err_set(e, ZG_EINTERNAL, "this broker was built without signature verification");
        return ZG_PROTO_INTERNAL;
    }
    if (b->d.verify(b->d.verify_ctx, &p->rcpt, b->provider, signer, e)) return ZG_PROTO_BAD_SIGNATURE;
    return ZG_PROTO_OK;
}

static void on_committed(evutil_socket_t fd, short what, void *arg);

/* The receipt is durable. With synchronous=normal this runs inside
 * zg_store_put_receipt, on the worker's thread, and admit() goes on by
 * itself; with full it runs on the store's sync thread: hand the result to
 * the worker's loop. */
static void store_done(void *arg, int rc)
{
    zg_preq *p = arg;
    p->commit_rc = rc;
    if (p->admitting) p->durable_now = 1;
    else event_active(p->committed, EV_WRITE, 0);
}

static void close_conversation(zg_preq *p)
{
    char body[160], fee[ZG_U256_DEC_MAX];
    zg_u256_to_dec(&p->h.fee, fee);
    snprintf(body, sizeof body, "{\"paid\":\"%s\"}", fee);
    zg_reply_json(p->req, 200, body);
    p->req = NULL;
    p->began = 1;
    atomic_fetch_add(&p->w->b->d.metrics->closes, 1);
    zg_preq_answered(p);
}

static void on_committed(evutil_socket_t fd, short what, void *arg)
{
    zg_preq *p = arg;
    zg_broker *b = p->w->b;
    if (p->commit_rc) {
        zg_u256 owed;
        zg_accts_rollback(b->d.accts, p->h.user, &p->adm, &owed);
        p->w->inflight--;
        atomic_fetch_sub(&b->d.metrics->inflight, 1);
        reject(p, ZG_PROTO_INTERNAL, "the receipt could not be stored; nothing was charged, retry");
        return;
    }
    zg_metrics_observe_admit(b->d.metrics, zg_now_us() - p->t0_us);
    atomic_fetch_add(&b->d.metrics->requests[ZG_PROTO_OK], 1);
    if (p->is_close) close_conversation(p);
    else zg_upstream_send(p);
}

/* Books the request and queues its receipt; the reply continues in
 * on_committed once the receipt is durable. */
static void admit(zg_preq *p)
{
    zg_broker *b = p->w->b;
    zg_err err;
    p->adm.nonce = p->h.nonce;
    p->adm.fee = p->h.fee;
    p->adm.input_fee = p->h.input_fee;
    p->adm.prev_output_fee = p->h.prev_output_fee;
    p->adm.now_ms = p->rcpt.created_ms;
    int code = zg_accts_admit(b->d.accts, p->h.user, &p->adm, &err);
    if (code) return reject(p, code, err.msg);
    p->w->inflight++;
    atomic_fetch_add(&b->d.metrics->inflight, 1);
    p->committed = event_new(p->w->base, -1, 0, on_committed, p);
    p->admitting = 1;
    int stored = p->committed && zg_store_put_receipt(b->d.store, &p->rcpt, store_done, p) == ZG_OK;
    p->admitting = 0;
    if (stored && p->durable_now) on_committed(-1, 0, p);
    if (!stored) {
        p->commit_rc = ZG_ENOMEM;
        if (p->committed) on_committed(-1, 0, p);
        else {
            zg_u256 owed;
            zg_accts_rollback(b->d.accts, p->h.user, &p->adm, &owed);
            p->w->inflight--;
            atomic_fetch_sub(&b->d.metrics->inflight, 1);
            reject(p, ZG_PROTO_INTERNAL, "out of memory");
        }
    }
}

void zg_proxy_handle(zg_worker *w, struct evhttp_request *req, const char *rest)
{
    zg_broker *b = w->b;
    zg_preq *p = calloc(1, sizeof *p);
    if (!p) { zg_reply_error(req, ZG_PROTO_INTERNAL, "out of memory"); return; }
    p->w = w;
    p->req = req;
    p->t0_us = zg_now_us();
    zg_buf_init(&p->sse);
    zg_buf_init(&p->plain);
    zg_err err;
    int code = 0;
    if (w->inflight >= b->cfg->max_inflight)
        return reject(p, ZG_PROTO_OVERLOADED, "too many requests in flight; retry shortly");
    if (zg_proto_headers_parse(&p->h, lookup_header, evhttp_request_get_input_headers(req), &code, &err))
        return reject(p, code ? code : ZG_PROTO_BAD_HEADER, err.msg);
    size_t name_len;
    if (split_path(rest, &name_len, &p->is_close) ||
        !(p->svc = zg_pcfg_service_find(b->cfg, rest, name_len)))
        return reject(p, ZG_PROTO_UNKNOWN_SERVICE, "no such service at this provider");
    p->svc_index = (size_t)(p->svc - b->cfg->services);
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    const char *body = (const char *)evbuffer_pullup(in, -1);
    if (!body) body = "";
    if (price_body(p, body, len, &err)) return reject(p, ZG_PROTO_BAD_REQUEST, err.msg);
    fill_receipt(p, body, len);
    if ((code = check_signature(p, &err))) return reject(p, code, err.msg);
    admit(p);
}
