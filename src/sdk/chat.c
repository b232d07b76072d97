/* chat.c - signed chat requests, fee tracking, streaming (see zg/chat.h). */
#include "zg/chat.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "sdk/client_internal.h"
#include "sdk/http.h"
#include "sdk/state.h"
#include "serving/fee.h"
#include "serving/protocol.h"

/* What one request needs from the service and the account. */
struct call {
    zg_client *c;
    zg_address provider;
    zg_fee_rule rule;
    char url[1024];
    zg_sdk_state_file sf;
    zg_chat_stream_fn on_text;
    void *ctx;
    zg_buf content;
    uint64_t units_out;
    char usage_fee[96];
    int bad_chunk;
    int done;
};

static int load_service(struct call *k, const char *provider, const char *service,
                        const char *suffix, zg_err *e)
{
    zg_service_entry s;
    int rc = zg_address_parse(provider, &k->provider, e);
    if (rc)
        return zg_err_wrap(e, rc, "provider address");
    if ((rc = zg_service_get(k->c, provider, service, &s, e)))
        return rc;
    zg_u256 ip, op;
    if (!(rc = zg_u256_from_dec(&ip, s.input_price, e)) && !(rc = zg_u256_from_dec(&op, s.output_price, e)))
        rc = zg_fee_rule_init(&k->rule, s.additional_properties, &ip, &op, e);
    if (rc)
        zg_err_wrap(e, rc, "service %s of %s", service, provider);
    size_t n = strlen(s.url);
    while (n && s.url[n - 1] == '/')
        n--;
    if (!rc && snprintf(k->url, sizeof k->url, "%.*s/v1/proxy/%s%s", (int)n, s.url, service, suffix) >=
                   (int)sizeof k->url)
        rc = zg_err_set(e, ZG_EINVAL, "service URL too long");
    zg_service_clear(&s);
    if (!rc)
        rc = zg_sdk_state_open(&k->sf, k->c->home, k->c->contract, k->c->user_str, provider, e);
    return rc;
}

/* Sets "stream" and "stream_options" and returns the exact body to send. */
static char *prepare_body(const char *body, int stream, zg_err *e)
{
    json_error_t je;
    json_t *o = json_loads(body, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        zg_err_set(e, ZG_EINVAL, "chat body is not a JSON object: %s", o ? "other type" : je.text);
        return NULL;
    }
    json_object_set_new(o, "stream", json_boolean(stream));
    if (stream)
        json_object_set_new(o, "stream_options", json_pack("{s:b}", "include_usage", 1));
    else
        json_object_del(o, "stream_options");
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s)
        zg_err_set(e, ZG_ENOMEM, "out of memory");
    return s;
}

/* Takes a nonce and the owed fee, signs, and records the new state. */
static int reserve_round(struct call *k, const char *body, size_t len, uint64_t units_in,
                         zg_proto_headers *h, zg_err *e)
{
    zg_sdk_state st;
    pthread_mutex_lock(&k->c->mu);
    int rc = zg_sdk_state_lock(&k->sf, &st, e);
    if (!rc) {
        memset(h, 0, sizeof *h);
        memcpy(h->user, k->c->user.b, 20);
        h->nonce = zg_sdk_next_nonce(st.last_nonce);
        h->prev_output_fee = st.owed_fee;
        rc = zg_fee_of_units(&k->rule.input_price, units_in, &h->input_fee, e);
        if (!rc && zg_u256_add(&h->fee, &h->input_fee, &h->prev_output_fee))
            rc = zg_err_set(e, ZG_ERANGE, "fee overflows");
        if (!rc)
            rc = zg_sdk_sign_receipt(k->c, &k->provider, h->nonce, &h->fee, body, len, h->signature, e);
        if (!rc) {
            st.last_nonce = h->nonce;
            st.owed_fee = zg_u256_from_u64(0);
            st.owed_units = 0;
            rc = zg_sdk_state_save(&k->sf, &st, e);
        }
        zg_sdk_state_unlock(&k->sf);
    }
    pthread_mutex_unlock(&k->c->mu);
    return rc;
}

/* Adds fee (and units) to what is owed on the account. */
static int add_owed(struct call *k, const zg_u256 *fee, uint64_t units, zg_err *e)
{
    zg_sdk_state st;
    pthread_mutex_lock(&k->c->mu);
    int rc = zg_sdk_state_lock(&k->sf, &st, e);
    if (!rc) {
        if (zg_u256_add(&st.owed_fee, &st.owed_fee, fee))
            rc = zg_err_set(e, ZG_ERANGE, "owed fee overflows");
        st.owed_units += units;
        if (!rc)
            rc = zg_sdk_state_save(&k->sf, &st, e);
        zg_sdk_state_unlock(&k->sf);
    }
    pthread_mutex_unlock(&k->c->mu);
    return rc;
}

static int on_sse(void *ctx, const char *data, size_t len)
{
    struct call *k = ctx;
    if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
        k->done = 1;
        return 0;
    }
    json_t *o = json_loadb(data, len, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        k->bad_chunk = 1;
        return 0;
    }
    zg_fee_units_out_chunk(&k->rule, data, len, &k->units_out, NULL);
    json_t *usage = json_object_get(o, "usage"), *uf = json_object_get(usage, ZG_USAGE_OUTPUT_FEE);
    if (json_is_string(uf))
        snprintf(k->usage_fee, sizeof k->usage_fee, "%s", json_string_value(uf));
    size_t i;
    json_t *ch;
    int stop = 0;
    json_array_foreach(json_object_get(o, "choices"), i, ch) {
        json_t *t = json_object_get(json_object_get(ch, "delta"), "content");
        if (!json_is_string(t) || stop)
            continue;
        zg_buf_append(&k->content, json_string_value(t), json_string_length(t));
        if (k->on_text)
            stop = k->on_text(k->ctx, json_string_value(t), json_string_length(t));
    }
    json_decref(o);
    return stop;
}

/* Turns a non-2xx answer into ZG_EHTTP with the provider's code and text. */
static int refused(const zg_sdk_http_resp *r, zg_err *e)
{
    int code;
    char name[32], msg[400];
    if (zg_proto_error_parse((const char *)r->body.data, r->body.len, &code, name, msg, sizeof msg,
                             NULL) == ZG_OK)
        return zg_err_set(e, ZG_EHTTP, "provider refused (%ld %s): %s", r->status, name, msg);
    return zg_err_set(e, ZG_EHTTP, "provider answered HTTP %ld: %.200s", r->status,
                      r->body.len ? (const char *)r->body.data : "(empty body)");
}

static void fill_fees(zg_chat_result *r, const zg_proto_headers *h)
{
    r->nonce = h->nonce;
    zg_u256_to_dec(&h->input_fee, r->input_fee);
    zg_u256_to_dec(&h->prev_output_fee, r->prev_output_fee);
    zg_u256_to_dec(&h->fee, r->fee);
}

/* Counts the output of the answer and checks the provider's claim. */
static int account_answer(struct call *k, const zg_sdk_http_resp *resp, int stream,
                          zg_chat_result *r, zg_err *e)
{
    int rc = ZG_OK;
    const char *claim = stream ? k->usage_fee : resp->output_fee;
    if (!stream) {
        json_t *o = json_loadb((const char *)resp->body.data, resp->body.len, 0, NULL);
        rc = zg_fee_units_out_answer(&k->rule, (const char *)resp->body.data, resp->body.len,
                                     &k->units_out, e);
        json_t *t = json_object_get(json_object_get(json_array_get(json_object_get(o, "choices"), 0),
                                                    "message"), "content");
        if (json_is_string(t))
            zg_buf_append(&k->content, json_string_value(t), json_string_length(t));
        json_decref(o);
        if (rc)
            zg_err_wrap(e, rc, "the provider's answer");
    }
    zg_u256 out = zg_u256_from_u64(0), told;
    if (!rc)
        rc = zg_fee_of_units(&k->rule.output_price, k->units_out, &out, e);
    if (!rc)
        rc = add_owed(k, &out, k->units_out, e);
    r->units_out = k->units_out;
    zg_u256_to_dec(&out, r->output_fee);
    snprintf(r->provider_output_fee, sizeof r->provider_output_fee, "%.*s",
             (int)sizeof r->provider_output_fee - 1, claim);
    if (claim[0] && (zg_u256_from_dec(&told, claim, NULL) || zg_u256_cmp(&told, &out) != 0))
        snprintf(r->warning, sizeof r->warning,
                 "provider claims output fee %s wei, local count gives %s wei (paying the local count)",
                 claim, r->output_fee);
    else if (stream && !k->done)
        snprintf(r->warning, sizeof r->warning, "stream ended without [DONE]");
    return rc;
}

static int send_round(struct call *k, const char *body, size_t len, uint64_t units_in, int stream,
                      int is_close, zg_chat_result *r, zg_err *e)
{
    zg_proto_headers h;
    int rc = reserve_round(k, body, len, units_in, &h, e);
    if (rc)
        return rc;
    fill_fees(r, &h);
    r->units_in = units_in;
    zg_proto_pair p[ZG_PROTO_NHEADERS];
    zg_proto_headers_format(&h, p);
    char lines[ZG_PROTO_NHEADERS][200];
    const char *hdrs[ZG_PROTO_NHEADERS];
    for (int i = 0; i < ZG_PROTO_NHEADERS; i++) {
        snprintf(lines[i], sizeof lines[i], "%s: %s", p[i].name, p[i].value);
        hdrs[i] = lines[i];
    }
    zg_sdk_http_resp resp;
    rc = zg_sdk_http_post(k->url, hdrs, ZG_PROTO_NHEADERS, body, len, 600, stream ? on_sse : NULL, k,
                          &resp, e);
    if (!rc && (resp.status < 200 || resp.status >= 300)) {
        rc = refused(&resp, e);
        zg_sdk_http_resp_free(&resp);
    }
    if (rc) {
        /* The provider took nothing: what was owed is owed still. */
        zg_err tmp;
        add_owed(k, &h.prev_output_fee, 0, &tmp);
        return rc;
    }
    if (!is_close)
        rc = account_answer(k, &resp, stream, r, e);
    else
        snprintf(r->output_fee, sizeof r->output_fee, "0");
    if (!stream && !rc && resp.body.len) {
        r->raw = malloc(resp.body.len + 1);
        if (r->raw) {
            memcpy(r->raw, resp.body.data, resp.body.len);
            r->raw[resp.body.len] = '\0';
        }
    }
    zg_sdk_http_resp_free(&resp);
    return rc;
}

static int finish_content(struct call *k, zg_chat_result *r)
{
    if (zg_buf_append_byte(&k->content, 0) != ZG_OK)
        return ZG_ENOMEM;
    r->content = (char *)k->content.data;
    k->content.data = NULL;
    return ZG_OK;
}

int zg_chat(zg_client *c, const char *provider, const char *service, const char *body,
            zg_chat_stream_fn on_text, void *ctx, zg_chat_result *result, zg_err *e)
{
    zg_chat_result local;
    zg_chat_result *r = result ? result : &local;
    memset(r, 0, sizeof *r);
    int rc = zg_sdk_need_wallet(c, e);
    if (rc)
        return rc;
    struct call k;
    memset(&k, 0, sizeof k);
    k.c = c;
    k.on_text = on_text;
    k.ctx = ctx;
    zg_buf_init(&k.content);
    if ((rc = load_service(&k, provider, service, "/chat/completions", e)))
        return rc;
    int stream = on_text != NULL;
    char *exact = prepare_body(body, stream, e);
    if (!exact)
        return e ? e->code : ZG_EINVAL;
    uint64_t units_in = 0;
    rc = zg_fee_units_in(&k.rule, exact, strlen(exact), &units_in, e);
    if (!rc)
        rc = send_round(&k, exact, strlen(exact), units_in, stream, 0, r, e);
    free(exact);
    if (!rc && finish_content(&k, r))
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    zg_buf_free(&k.content);
    if (!result)
        zg_chat_result_clear(r);
    return rc;
}

int zg_chat_close(zg_client *c, const char *provider, const char *service, zg_chat_result *result,
                  zg_err *e)
{
    zg_chat_result local;
    zg_chat_result *r = result ? result : &local;
    memset(r, 0, sizeof *r);
    char owed[ZG_WEI_MAX];
    int rc = zg_chat_owed(c, provider, owed, NULL, e);
    if (rc)
        return rc;
    if (strcmp(owed, "0") == 0) {
        snprintf(r->fee, sizeof r->fee, "0");
        snprintf(r->input_fee, sizeof r->input_fee, "0");
        snprintf(r->prev_output_fee, sizeof r->prev_output_fee, "0");
        snprintf(r->output_fee, sizeof r->output_fee, "0");
        return ZG_OK;
    }
    struct call k;
    memset(&k, 0, sizeof k);
    k.c = c;
    zg_buf_init(&k.content);
    if (!(rc = load_service(&k, provider, service, ZG_PROTO_CLOSE_SUFFIX, e)))
        rc = send_round(&k, ZG_PROTO_CLOSE_BODY, strlen(ZG_PROTO_CLOSE_BODY), 0, 0, 1, r, e);
    zg_buf_free(&k.content);
    if (!result)
        zg_chat_result_clear(r);
    return rc;
}

int zg_chat_owed(zg_client *c, const char *provider, char owed[ZG_WEI_MAX], uint64_t *last_nonce,
                 zg_err *e)
{
    int rc = zg_sdk_need_wallet(c, e);
    zg_address p;
    if (!rc && (rc = zg_address_parse(provider, &p, e)))
        zg_err_wrap(e, rc, "provider address");
    if (rc)
        return rc;
    zg_sdk_state_file sf;
    zg_sdk_state st;
    if ((rc = zg_sdk_state_open(&sf, c->home, c->contract, c->user_str, provider, e)))
        return rc;
    pthread_mutex_lock(&c->mu);
    rc = zg_sdk_state_lock(&sf, &st, e);
    zg_sdk_state_unlock(&sf);
    pthread_mutex_unlock(&c->mu);
    if (rc)
        return rc;
    zg_u256_to_dec(&st.owed_fee, owed);
    if (last_nonce)
        *last_nonce = st.last_nonce;
    return ZG_OK;
}

void zg_chat_result_clear(zg_chat_result *r)
{
    free(r->content);
    free(r->raw);
    r->content = NULL;
    r->raw = NULL;
}
