/*
 * provider_test_proxy - the broker's request path end to end, without a
 * chain: a real customer signs requests (serving/receipt.h), the broker runs
 * in process with its real store, checks and upstream relay, and the
 * account view comes from a stand-in for the contract. Upstreams: zg-model
 * and a fake that is slow, drops the connection mid-stream, fails, or
 * answers garbage. Every rejection path is checked for its status, its
 * error code, and that it changed no state (the admin API's account books
 * and the stored receipts).
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "customer.h"
#include "fake_upstream.h"
#include "model/corpus.h"
#include "model/server.h"
#include "provider/broker.h"
#include "provider/verify.h"
#include "zg_test.h"

#define PROVIDER_KEY "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
#define KEY_A "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
#define KEY_B "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
#define KEY_C "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"
#define IN_PRICE 1000
#define OUT_PRICE 2000

/* ---- a stand-in for the contract's account view --------------------------- */

typedef struct fake_chain {
    pthread_mutex_t mu;
    zg_chain_account acct[2];
    uint8_t user[2][20];
    int reads;
} fake_chain;

static int fake_fetch(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e)
{
    fake_chain *fc = ctx;
    pthread_mutex_lock(&fc->mu);
    fc->reads++;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 2; i++)
        if (memcmp(fc->user[i], user, 20) == 0) *out = fc->acct[i];
    pthread_mutex_unlock(&fc->mu);
    return ZG_OK;
}

/* ---- the test world ------------------------------------------------------- */

typedef struct world {
    char dir[64], db[96];
    zg_ngram *model;
    zg_model_server *msrv;
    fake_upstream fake;
    fake_chain chain;
    zg_pcfg cfg;
    zg_store *store;
    zg_accts *accts;
    zg_metrics metrics;
    zg_verifier *verifier;
    zg_broker *broker;
    uint8_t provider[20];
    customer a, b, c;
    zg_fee_rule rule;
    char base[64], admin[64];
} world;

static world W;

static int start_broker(world *w)
{
    zg_err err;
    memset(&w->metrics, 0, sizeof w->metrics);
    if (zg_store_open(&w->store, w->db, 1, 512, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    if (zg_accts_new(&w->accts, fake_fetch, &w->chain, 0)) return -1;
    if (zg_broker_restore(w->store, w->accts, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    zg_broker_deps d = {w->store, w->accts, &w->metrics, zg_verifier_check, w->verifier, NULL, NULL};
    if (zg_broker_start(&w->broker, &w->cfg, w->provider, &d, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    snprintf(w->base, sizeof w->base, "http://127.0.0.1:%d/v1/proxy/", zg_broker_port(w->broker));
    snprintf(w->admin, sizeof w->admin, "http://127.0.0.1:%d", zg_broker_admin_port(w->broker));
    return 0;
}

static void stop_broker(world *w)
{
    zg_broker_stop(w->broker);
    zg_store_close(w->store);
    zg_accts_free(w->accts);
    w->broker = NULL;
}

static int setup(world *w)
{
    zg_err err;
    snprintf(w->dir, sizeof w->dir, "/tmp/zg-provider-test-XXXXXX");
    if (!mkdtemp(w->dir)) return -1;
    snprintf(w->db, sizeof w->db, "%s/broker.db", w->dir);
    if (zg_ngram_train(&w->model, zg_model_corpus_alice, &err)) return -1;
    zg_model_opts mo = {"127.0.0.1", 0, 1, "zg-ngram-alice", 1, 0.7, 64, 0};
    if (zg_model_server_start(&w->msrv, &mo, w->model, &err)) return -1;
    if (fake_upstream_start(&w->fake)) return -1;
    char cfg[3000];
    int mp = zg_model_server_port(w->msrv), fp = w->fake.port;
    snprintf(cfg, sizeof cfg,
        "{\"listen\":\"127.0.0.1:0\",\"admin_listen\":\"127.0.0.1:0\",\"threads\":2,\"database\":\"%s\","
        "\"services\":["
        "{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:%d\",\"input_price\":%d,\"output_price\":%d},"
        "{\"name\":\"ok\",\"upstream\":\"http://127.0.0.1:%d/ok/v1\",\"input_price\":%d,\"output_price\":%d},"
        "{\"name\":\"slow\",\"upstream\":\"http://127.0.0.1:%d/slow\",\"input_price\":%d,\"output_price\":%d},"
        "{\"name\":\"drop\",\"upstream\":\"http://127.0.0.1:%d/drop\",\"input_price\":%d,\"output_price\":%d},"
        "{\"name\":\"err\",\"upstream\":\"http://127.0.0.1:%d/error\",\"input_price\":%d,\"output_price\":%d},"
        "{\"name\":\"garbage\",\"upstream\":\"http://127.0.0.1:%d/garbage\",\"input_price\":%d,\"output_price\":%d},"
        "{\"name\":\"down\",\"upstream\":\"http://127.0.0.1:1\",\"input_price\":%d,\"output_price\":%d}],"
        "\"limits\":{\"upstream_timeout_s\":5}}",
        w->db, mp, IN_PRICE, OUT_PRICE, fp, IN_PRICE, OUT_PRICE, fp, IN_PRICE, OUT_PRICE, fp, IN_PRICE,
        OUT_PRICE, fp, IN_PRICE, OUT_PRICE, fp, IN_PRICE, OUT_PRICE, IN_PRICE, OUT_PRICE);
    if (zg_pcfg_load_text(&w->cfg, cfg, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    zg_eth_key pk;
    zg_address pa;
    zg_eth_key_from_hex(&pk, PROVIDER_KEY, NULL);
    zg_eth_key_address(&pk, &pa);
    memcpy(w->provider, pa.b, 20);
    if (customer_init(&w->a, KEY_A, w->provider) || customer_init(&w->b, KEY_B, w->provider) ||
        customer_init(&w->c, KEY_C, w->provider))
        return -1;
    pthread_mutex_init(&w->chain.mu, NULL);
    memcpy(w->chain.user[0], w->a.addr, 20);
    memcpy(w->chain.user[1], w->b.addr, 20);
    w->chain.acct[0] = (zg_chain_account){.exists = 1, .balance = zg_u256_from_u64(1000000000000ull)};
    memcpy(w->chain.acct[0].signer, w->a.signer_pub, 64);
    w->chain.acct[1] = (zg_chain_account){.exists = 1, .balance = zg_u256_from_u64(100000)};
    memcpy(w->chain.acct[1].signer, w->b.signer_pub, 64);
    zg_u256 ip = zg_u256_from_u64(IN_PRICE), op = zg_u256_from_u64(OUT_PRICE);
    if (zg_fee_rule_init(&w->rule, NULL, &ip, &op, &err)) return -1;
    if (zg_verifier_new(&w->verifier, 16)) return -1;
    return start_broker(w);
}

static void teardown(world *w)
{
    stop_broker(w);
    zg_verifier_free(w->verifier);
    zg_pcfg_free(&w->cfg);
    fake_upstream_stop(&w->fake);
    zg_model_server_stop(w->msrv);
    zg_ngram_free(w->model);
    if (zg_test_remove_dir(w->dir)) fprintf(stderr, "cannot remove %s\n", w->dir);
}

/* ---- helpers -------------------------------------------------------------- */

typedef struct books { long long last_nonce; char unsettled[80], owed[80]; long long receipts; } books;

static void get_books(const customer *c, books *bk)
{
    char url[160], hex[43];
    zg_hex_encode(c->addr, 20, hex);
    http_answer a = {0};
    memset(bk, 0, sizeof *bk);
    snprintf(url, sizeof url, "%s/admin/accounts/%s", W.admin, hex);
    http_do(url, NULL, NULL, &a);
    json_t *j = json_loads((char *)a.body.data, 0, NULL);
    bk->last_nonce = json_integer_value(json_object_get(j, "last_nonce"));
    snprintf(bk->unsettled, sizeof bk->unsettled, "%s", json_string_value(json_object_get(j, "unsettled")) ?: "?");
    snprintf(bk->owed, sizeof bk->owed, "%s", json_string_value(json_object_get(j, "owed")) ?: "?");
    json_decref(j);
    snprintf(url, sizeof url, "%s/admin/receipts?user=%s", W.admin, hex);
    http_do(url, NULL, NULL, &a);
    j = json_loads((char *)a.body.data, 0, NULL);
    bk->receipts = (long long)json_array_size(json_object_get(j, "receipts"));
    json_decref(j);
    zg_buf_free(&a.body);
}

static int same_books(const books *x, const books *y)
{
    return x->last_nonce == y->last_nonce && strcmp(x->unsettled, y->unsettled) == 0 &&
           strcmp(x->owed, y->owed) == 0 && x->receipts == y->receipts;
}

static zg_u256 u(uint64_t v) { return zg_u256_from_u64(v); }

/* Input fee a body costs. */
static zg_u256 input_fee_of(const char *body)
{
    uint64_t units = 0;
    zg_u256 fee;
    zg_fee_units_in(&W.rule, body, strlen(body), &units, NULL);
    zg_fee_of_units(&W.rule.input_price, units, &fee, NULL);
    return fee;
}

/* Sends a request signed by c; fees: input, previous output, total. */
static void send_req(const customer *c, const char *path, const char *body, uint64_t nonce,
                     zg_u256 in, zg_u256 prev, zg_u256 fee, http_answer *a)
{
    char url[200];
    snprintf(url, sizeof url, "%s%s", W.base, path);
    http_do(url, body, customer_headers(c, body, nonce, &in, &prev, &fee), a);
}

/* A correctly priced request. */
static void send_ok(const customer *c, const char *path, const char *body, uint64_t nonce,
                    uint64_t prev, http_answer *a)
{
    zg_u256 in = input_fee_of(body), p = u(prev), fee;
    zg_u256_add(&fee, &in, &p);
    send_req(c, path, body, nonce, in, p, fee, a);
}

static const char *err_code(const http_answer *a)
{
    static char code[32];
    code[0] = 0;
    zg_proto_error_parse((const char *)a->body.data, a->body.len, NULL, code, NULL, 0, NULL);
    return code;
}

/* Parses an SSE answer: content bytes, [DONE] seen, and the zg usage figures. */
typedef struct sse_result { uint64_t bytes; int done; long long units; char fee[80]; char text[512]; } sse_result;

static void parse_sse(const http_answer *a, sse_result *r)
{
    memset(r, 0, sizeof *r);
    r->units = -1;
    char *copy = strndup((const char *)a->body.data, a->body.len), *save = NULL;
    for (char *ev = strtok_r(copy, "\n", &save); ev; ev = strtok_r(NULL, "\n", &save)) {
        if (strncmp(ev, "data: ", 6) != 0) continue;
        if (strcmp(ev + 6, "[DONE]") == 0) { r->done = 1; continue; }
        json_t *j = json_loads(ev + 6, 0, NULL);
        json_t *usage = json_object_get(j, "usage");
        if (json_is_object(usage)) {
            r->units = json_integer_value(json_object_get(usage, ZG_USAGE_OUTPUT_UNITS));
            snprintf(r->fee, sizeof r->fee, "%s", json_string_value(json_object_get(usage, ZG_USAGE_OUTPUT_FEE)) ?: "");
        }
        const char *content = json_string_value(json_object_get(
            json_object_get(json_array_get(json_object_get(j, "choices"), 0), "delta"), "content"));
        if (content) {
            r->bytes += strlen(content);
            strncat(r->text, content, sizeof r->text - strlen(r->text) - 1);
        }
        json_decref(j);
    }
    free(copy);
}

#define BODY_PLAIN "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is the White Rabbit?\"}],\"max_tokens\":16}"
#define BODY_STREAM "{\"messages\":[{\"role\":\"user\",\"content\":\"Drink me\"}],\"max_tokens\":16,\"stream\":true}"

static uint64_t owed_a; /* what customer A owes for its last answer */
static uint64_t nonce_a;

/* ---- tests ---------------------------------------------------------------- */

static void test_plain_answer(void)
{
    http_answer a = {0};
    send_ok(&W.a, "chat/chat/completions", BODY_PLAIN, ++nonce_a, 0, &a);
    CHECK_EQ_INT(a.status, 200);
    json_t *j = json_loads((char *)a.body.data, 0, NULL);
    const char *content = json_string_value(json_object_get(
        json_object_get(json_array_get(json_object_get(j, "choices"), 0), "message"), "content"));
    CHECK(content && strlen(content) > 0);
    uint64_t units = content ? strlen(content) : 0;
    char want[40];
    snprintf(want, sizeof want, "%llu", (unsigned long long)(units * OUT_PRICE));
    CHECK_EQ_STR(a.output_fee, want);
    CHECK_EQ_U64(strtoull(a.output_units, NULL, 10), units);
    owed_a = units * OUT_PRICE;
    json_decref(j);
    books bk;
    get_books(&W.a, &bk);
    CHECK_EQ_INT(bk.last_nonce, 1);
    CHECK_EQ_INT(bk.receipts, 1);
    CHECK_EQ_U64(strtoull(bk.owed, NULL, 10), owed_a);
    zg_buf_free(&a.body);
}

/* Each rejection: status, code, and unchanged books. */
static void expect_reject(http_answer *a, long status, const char *code, const books *before)
{
    CHECK_EQ_INT(a->status, status);
    CHECK_EQ_STR(err_code(a), code);
    books after;
    get_books(&W.a, &after);
    CHECK_MSG(same_books(before, &after), "state changed by a rejected request (%s)", code);
}

static void test_rejections(void)
{
    books before;
    get_books(&W.a, &before);
    http_answer a = {0};
    uint64_t n = nonce_a + 1;
    char url[200];
    zg_u256 in = input_fee_of(BODY_PLAIN), prev = u(owed_a), fee, fee1;
    zg_u256_add(&fee, &in, &prev);

    /* missing header */
    struct curl_slist *h = curl_slist_append(NULL, "X-ZG-User: 0x0000000000000000000000000000000000000001");
    snprintf(url, sizeof url, "%schat/chat/completions", W.base);
    http_do(url, BODY_PLAIN, h, &a);
    expect_reject(&a, 400, "missing_header", &before);
    /* malformed header */
    h = customer_headers(&W.a, BODY_PLAIN, n, &in, &prev, &fee);
    for (struct curl_slist *it = h; it; it = it->next)
        if (strncmp(it->data, "X-ZG-Nonce:", 11) == 0) { free(it->data); it->data = strdup("X-ZG-Nonce: 12abc"); }
    http_do(url, BODY_PLAIN, h, &a);
    expect_reject(&a, 400, "bad_header", &before);
    /* unknown service */
    send_req(&W.a, "nope/chat/completions", BODY_PLAIN, n, in, prev, fee, &a);
    expect_reject(&a, 404, "unknown_service", &before);
    /* body not a chat request */
    send_req(&W.a, "chat/chat/completions", "[1,2]", n, in, prev, fee, &a);
    expect_reject(&a, 400, "bad_request", &before);
    /* bad signature: signed over another body */
    http_do(url, BODY_PLAIN, customer_headers(&W.a, BODY_STREAM, n, &in, &prev, &fee), &a);
    expect_reject(&a, 401, "bad_signature", &before);
    /* bad signature: signed by another customer's key, claiming A */
    {
        customer mallory = W.b;
        memcpy(mallory.addr, W.a.addr, 20);
        send_req(&mallory, "chat/chat/completions", BODY_PLAIN, n, in, prev, fee, &a);
        expect_reject(&a, 401, "bad_signature", &before);
    }
    /* replayed and old nonce */
    send_req(&W.a, "chat/chat/completions", BODY_PLAIN, nonce_a, in, prev, fee, &a);
    expect_reject(&a, 409, "nonce_reused", &before);
    /* fee not bound to its parts */
    zg_u256_add(&fee1, &fee, &(zg_u256){{1, 0, 0, 0}});
    send_req(&W.a, "chat/chat/completions", BODY_PLAIN, n, in, prev, fee1, &a);
    expect_reject(&a, 409, "fee_mismatch", &before);
    /* underpaid input */
    {
        zg_u256 in_low, fee_low;
        zg_u256_sub(&in_low, &in, &(zg_u256){{1, 0, 0, 0}});
        zg_u256_add(&fee_low, &in_low, &prev);
        send_req(&W.a, "chat/chat/completions", BODY_PLAIN, n, in_low, prev, fee_low, &a);
        expect_reject(&a, 402, "input_fee_low", &before);
    }
    /* unpaid previous output */
    {
        zg_u256 prev_low = u(owed_a - 1), fee_low;
        zg_u256_add(&fee_low, &in, &prev_low);
        send_req(&W.a, "chat/chat/completions", BODY_PLAIN, n, in, prev_low, fee_low, &a);
        expect_reject(&a, 402, "output_fee_owed", &before);
    }
    /* upstream down, failing, or answering garbage: 502 and nothing charged */
    send_req(&W.a, "down/chat/completions", BODY_PLAIN, n, in, prev, fee, &a);
    expect_reject(&a, 502, "upstream_error", &before);
    send_req(&W.a, "err/chat/completions", BODY_PLAIN, n, in, prev, fee, &a);
    expect_reject(&a, 502, "upstream_error", &before);
    CHECK(strstr((char *)a.body.data, "500") != NULL);
    send_req(&W.a, "garbage/chat/completions", BODY_PLAIN, n, in, prev, fee, &a);
    expect_reject(&a, 502, "upstream_error", &before);
    {
        zg_u256 in_s = input_fee_of(BODY_STREAM), fee_s;
        zg_u256_add(&fee_s, &in_s, &prev);
        send_req(&W.a, "down/chat/completions", BODY_STREAM, n, in_s, prev, fee_s, &a);
        expect_reject(&a, 502, "upstream_error", &before);
        send_req(&W.a, "err/chat/completions", BODY_STREAM, n, in_s, prev, fee_s, &a);
        expect_reject(&a, 502, "upstream_error", &before);
    }
    /* the public port serves nothing else */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/admin/accounts", zg_broker_port(W.broker));
    http_do(url, NULL, NULL, &a);
    CHECK_EQ_INT(a.status, 404);
    zg_buf_free(&a.body);
}

static void test_stream_answer(void)
{
    http_answer a = {0};
    send_ok(&W.a, "chat/chat/completions", BODY_STREAM, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    sse_result r;
    parse_sse(&a, &r);
    CHECK(r.done);
    CHECK(r.bytes > 0);
    CHECK_EQ_INT(r.units, (long long)r.bytes);
    char want[40];
    snprintf(want, sizeof want, "%llu", (unsigned long long)(r.bytes * OUT_PRICE));
    CHECK_EQ_STR(r.fee, want);
    owed_a = r.bytes * OUT_PRICE;
    books bk;
    get_books(&W.a, &bk);
    CHECK_EQ_U64(strtoull(bk.owed, NULL, 10), owed_a);
    CHECK_EQ_INT(bk.receipts, 2);
    zg_buf_free(&a.body);
}

static void test_upstream_misbehaving(void)
{
    http_answer a = {0};
    sse_result r;
    /* dropped mid-stream: what was relayed is charged, no [DONE] */
    send_ok(&W.a, "drop/chat/completions", BODY_STREAM, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    parse_sse(&a, &r);
    CHECK(!r.done);
    CHECK_EQ_STR(r.text, "Hello, ");   /* the fake cuts the stream after two pieces */
    CHECK_EQ_INT(r.units, 7);
    owed_a = 7 * OUT_PRICE;
    /* slow stream, customer did not ask for usage: forced upstream, reported anyway */
    send_ok(&W.a, "slow/chat/completions", BODY_STREAM, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    parse_sse(&a, &r);
    CHECK(r.done);
    CHECK_EQ_STR(r.text, FAKE_ANSWER);
    CHECK_EQ_INT(r.units, (long long)strlen(FAKE_ANSWER));
    CHECK_EQ_INT(atomic_load(&W.fake.last_include_usage), 1);
    owed_a = strlen(FAKE_ANSWER) * OUT_PRICE;
    /* slow plain answer */
    send_ok(&W.a, "slow/chat/completions", BODY_PLAIN, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    CHECK_EQ_U64(strtoull(a.output_units, NULL, 10), strlen(FAKE_ANSWER));
    owed_a = strlen(FAKE_ANSWER) * OUT_PRICE;
    zg_buf_free(&a.body);
}

static size_t abort_after_first(char *p, size_t sz, size_t n, void *arg)
{
    return 0; /* curl aborts the transfer: the customer hangs up mid-stream */
}

/* A customer hanging up mid-stream: the broker stops the model and charges
 * what it relayed; it keeps serving. */
static void test_client_gone(void)
{
    char url[200];
    snprintf(url, sizeof url, "%sslow/chat/completions", W.base);
    zg_u256 in = input_fee_of(BODY_STREAM), prev = u(owed_a), fee;
    zg_u256_add(&fee, &in, &prev);
    struct curl_slist *h = customer_headers(&W.a, BODY_STREAM, ++nonce_a, &in, &prev, &fee);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, BODY_STREAM);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, abort_after_first);
    int before = atomic_load(&W.fake.requests);
    CHECK_EQ_INT(curl_easy_perform(c), CURLE_WRITE_ERROR);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    /* booked once the broker notices (at its next write), for what it relayed */
    books bk;
    int booked = 0;
    for (int i = 0; i < 40 && !booked; i++) {
        usleep(50000);
        booked = atomic_load(&W.metrics.inflight) == 0;
    }
    get_books(&W.a, &bk);
    CHECK_EQ_INT(bk.last_nonce, (long long)nonce_a);
    uint64_t owed = strtoull(bk.owed, NULL, 10);
    CHECK_MSG(booked, "the abandoned answer was not booked (owed %s)", bk.owed);
    /* cut short: at most what was relayed before the hang-up was noticed */
    CHECK(owed % OUT_PRICE == 0 && owed < strlen(FAKE_ANSWER) * OUT_PRICE);
    CHECK_EQ_INT(atomic_load(&W.fake.requests), before + 1);
    owed_a = owed;
    http_answer a = {0};
    send_ok(&W.a, "ok/chat/completions", BODY_PLAIN, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    owed_a = strtoull(a.output_units, NULL, 10) * OUT_PRICE;
    zg_buf_free(&a.body);
}

static void test_close(void)
{
    http_answer a = {0};
    zg_u256 zero = u(0), prev = u(owed_a);
    send_req(&W.a, "ok/close", ZG_PROTO_CLOSE_BODY, ++nonce_a, zero, prev, prev, &a);
    CHECK_EQ_INT(a.status, 200);
    char want[80];
    snprintf(want, sizeof want, "\"paid\":\"%llu\"", (unsigned long long)owed_a);
    CHECK(strstr((char *)a.body.data, want) != NULL);
    books bk;
    get_books(&W.a, &bk);
    CHECK_EQ_STR(bk.owed, "0");
    CHECK_EQ_INT(bk.last_nonce, (long long)nonce_a);
    owed_a = 0;
    zg_buf_free(&a.body);
}

static void test_balance(void)
{
    http_answer a = {0};
    /* B holds 100000 wei: the default output reserve (1024 tokens) does not fit */
    const char *big = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    int reads = W.chain.reads;
    send_ok(&W.b, "chat/chat/completions", big, 1, 0, &a);
    CHECK_EQ_INT(a.status, 402);
    CHECK_EQ_STR(err_code(&a), "insufficient_balance");
    CHECK(W.chain.reads > reads); /* a failed balance check re-reads the chain */
    /* a small answer fits */
    const char *small = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
    send_ok(&W.b, "ok/chat/completions", small, 1, 0, &a);
    CHECK_EQ_INT(a.status, 200);
    /* after a deposit the big request is accepted: the refresh sees it */
    pthread_mutex_lock(&W.chain.mu);
    W.chain.acct[1].balance = u(1000000000000ull);
    pthread_mutex_unlock(&W.chain.mu);
    send_ok(&W.b, "ok/chat/completions", big, 2, strlen(FAKE_ANSWER) * OUT_PRICE, &a);
    CHECK_EQ_INT(a.status, 200);
    /* C has no account */
    send_ok(&W.c, "chat/chat/completions", small, 1, 0, &a);
    CHECK_EQ_INT(a.status, 402);
    CHECK_EQ_STR(err_code(&a), "no_account");
    zg_buf_free(&a.body);
}

/* zg_worker_requests_total of worker i in a /metrics answer. */
static unsigned long long worker_requests(const http_answer *a, int i)
{
    char key[64];
    snprintf(key, sizeof key, "zg_worker_requests_total{worker=\"%d\"} ", i);
    const char *at = a->body.data ? strstr((const char *)a->body.data, key) : NULL;
    return at ? strtoull(at + strlen(key), NULL, 10) : 0;
}

/* The receipts listing (?user, ?status): how many rows, and whether their
 * nonces rise; -1 if the answer is not a listing. */
static long list_receipts(const char *query, int *ascending)
{
    char url[256];
    http_answer a = {0};
    snprintf(url, sizeof url, "%s/admin/receipts%s", W.admin, query);
    http_do(url, NULL, NULL, &a);
    json_t *j = a.status == 200 ? json_loads((char *)a.body.data, 0, NULL) : NULL;
    json_t *rows = json_object_get(j, "receipts");
    long n = json_is_array(rows) ? (long)json_array_size(rows) : -1;
    *ascending = 1;
    for (long i = 1; i < n; i++)
        if (json_integer_value(json_object_get(json_array_get(rows, (size_t)i), "nonce")) <=
            json_integer_value(json_object_get(json_array_get(rows, (size_t)i - 1), "nonce")))
            *ascending = 0;
    json_decref(j);
    zg_buf_free(&a.body);
    return n;
}

static void test_admin_receipts(void)
{
    char q[160], hex[43];
    zg_hex_encode(W.a.addr, 20, hex);
    int up;
    snprintf(q, sizeof q, "?user=%s", hex);
    long all = list_receipts(q, &up);
    CHECK(all >= 2);
    CHECK(up);
    snprintf(q, sizeof q, "?user=%s&status=open", hex);
    CHECK_EQ_INT(list_receipts(q, &up), all); /* nothing is settled without a chain */
    CHECK(up);
    snprintf(q, sizeof q, "?user=%s&status=settled", hex);
    CHECK_EQ_INT(list_receipts(q, &up), 0);
    snprintf(q, sizeof q, "?user=%s&status=open&limit=1", hex);
    CHECK_EQ_INT(list_receipts(q, &up), 1);
    CHECK(list_receipts("?status=open", &up) > all); /* customer B's too */
    CHECK_EQ_INT(list_receipts("?status=settled", &up), 0);
    /* a bad address is refused, not read as "every customer" */
    CHECK_EQ_INT(list_receipts("?user=0x12zz", &up), -1);
    http_answer a = {0};
    char url[160];
    snprintf(url, sizeof url, "%s/admin/receipts?user=0x12zz", W.admin);
    http_do(url, NULL, NULL, &a);
    CHECK_EQ_INT(a.status, 400);
    zg_buf_free(&a.body);
}

static void test_admin(void)
{
    http_answer a = {0};
    char url[160];
    snprintf(url, sizeof url, "%s/metrics", W.admin);
    http_do(url, NULL, NULL, &a);
    CHECK_EQ_INT(a.status, 200);
    CHECK(strstr((char *)a.body.data, "zg_requests_total{code=\"bad_signature\"} 2") != NULL);
    CHECK(strstr((char *)a.body.data, "zg_admit_seconds_bucket") != NULL);
    snprintf(url, sizeof url, "%s/health", W.admin);
    http_do(url, NULL, NULL, &a);
    CHECK_EQ_INT(a.status, 200);
    snprintf(url, sizeof url, "%s/admin/services", W.admin);
    http_do(url, NULL, NULL, &a);
    CHECK(strstr((char *)a.body.data, "\"name\":\"slow\"") != NULL);
    snprintf(url, sizeof url, "%s/admin/settle", W.admin);
    http_do(url, "", NULL, &a);
    CHECK_EQ_INT(a.status, 503);
    zg_buf_free(&a.body);
}

static size_t discard(char *p, size_t size, size_t n, void *arg) { return size * n; }

/* Each worker has its own listening socket on the port (SO_REUSEPORT), so
 * the kernel spreads connections over them: with one shared socket, a burst
 * of connections all went to whichever worker woke first. 24 connections
 * (each a 404) all landing on one of two workers by chance: 2^-23. */
static void test_workers_share_connections(void)
{
    http_answer a = {0};
    char url[160];
    snprintf(url, sizeof url, "%s/metrics", W.admin);
    unsigned long long before[2], after[2];
    http_do(url, NULL, NULL, &a);
    for (int i = 0; i < 2; i++) before[i] = worker_requests(&a, i);
    /* a burst: 24 connections opened at once */
    CURLM *m = curl_multi_init();
    CURL *c[24];
    snprintf(url, sizeof url, "%s/v1/unknown", W.base);
    for (int i = 0; i < 24; i++) {
        c[i] = curl_easy_init();
        curl_easy_setopt(c[i], CURLOPT_URL, url);
        curl_easy_setopt(c[i], CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(c[i], CURLOPT_TIMEOUT, 30L);
        curl_multi_add_handle(m, c[i]);
    }
    int running = 1;
    while (running && curl_multi_perform(m, &running) == CURLM_OK)
        if (running) curl_multi_poll(m, NULL, 0, 1000, NULL);
    for (int i = 0; i < 24; i++) {
        curl_multi_remove_handle(m, c[i]);
        curl_easy_cleanup(c[i]);
    }
    curl_multi_cleanup(m);
    snprintf(url, sizeof url, "%s/metrics", W.admin);
    http_do(url, NULL, NULL, &a);
    for (int i = 0; i < 2; i++) after[i] = worker_requests(&a, i);
    CHECK_EQ_INT((long long)(after[0] - before[0] + after[1] - before[1]), 24);
    CHECK_MSG(after[0] > before[0] && after[1] > before[1], "requests per worker: %llu and %llu",
              after[0] - before[0], after[1] - before[1]);
    zg_buf_free(&a.body);
}

/* A restarted broker knows what it accepted. */
static void test_restart(void)
{
    books before, after;
    get_books(&W.a, &before);
    stop_broker(&W);
    CHECK_EQ_INT(start_broker(&W), 0);
    get_books(&W.a, &after);
    CHECK_EQ_INT(after.last_nonce, before.last_nonce);
    CHECK_EQ_STR(after.unsettled, before.unsettled);
    CHECK_EQ_STR(after.owed, before.owed);
    CHECK_EQ_INT(after.receipts, before.receipts);
    CHECK_EQ_INT(after.receipts, (long long)nonce_a);  /* one per accepted nonce */
    http_answer a = {0};
    send_ok(&W.a, "ok/chat/completions", BODY_PLAIN, nonce_a, 0, &a);
    CHECK_EQ_INT(a.status, 409);
    zg_buf_free(&a.body);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (setup(&W)) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    ZG_RUN(test_plain_answer);
    ZG_RUN(test_rejections);
    ZG_RUN(test_stream_answer);
    ZG_RUN(test_upstream_misbehaving);
    ZG_RUN(test_client_gone);
    ZG_RUN(test_close);
    ZG_RUN(test_balance);
    ZG_RUN(test_admin);
    ZG_RUN(test_admin_receipts);
    ZG_RUN(test_workers_share_connections);
    ZG_RUN(test_restart);
    teardown(&W);
    curl_global_cleanup();
    libevent_global_shutdown();
    ZG_TEST_END();
}
