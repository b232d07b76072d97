/*
 * anvil_world.h - the world of the broker's chain tests (test_anvil,
 * test_anvil_crash): the broker against a real chain: anvil, the Serving
 * contract with Groth16 verifiers from a development setup, customers with
 * on-chain accounts signing their requests, zg-model upstream. Checks the
 * rejection paths that need the chain (no account, overdraft), that
 * accepted requests are settled on chain with proofs, that the provider's
 * income equals the sum of the accepted receipts' fees to the wei, that a
 * second settlement pays nothing twice, and that a restarted broker settles
 * what it accepted before. Crash safety: a broker process is SIGKILLed in
 * the middle of a load of streamed requests from two customers, restarted,
 * and every receipt whose answer began is settled on chain exactly once.
 */
#ifndef ZG_TEST_ANVIL_WORLD_H
#define ZG_TEST_ANVIL_WORLD_H

#pragma GCC diagnostic ignored "-Wunused-function"

#include <event2/event.h>
#include <jansson.h>
#include <signal.h>
#include <unistd.h>

#include <sqlite3.h>

#include "chain_setup.h"
#include "customer.h"
#include "fake_upstream.h"
#include "load.h"
#include "eth/rpc.h"
#include "model/corpus.h"
#include "model/server.h"
#include "provider/broker.h"
#include "provider/chain.h"
#include "provider/settle.h"
#include "provider/verify.h"
#include "serving/contract.h"
#include "zg_anvil.h"
#include "zg_test.h"

#define IN_PRICE 1000000
#define OUT_PRICE 2000000
#define DEPOSIT_A 1000000000000000000ull   /* 1 eth */
#define DEPOSIT_B 50000000ull              /* too little for a default reserve */

typedef struct world {
    zg_anvil anvil;
    char dir[64], serving[64];
    zg_rpc *rpc;
    zg_serving sv;
    zg_ngram *model;
    zg_model_server *msrv;
    zg_pcfg cfg;
    zg_eth_key pkey;
    uint8_t provider[20];
    zg_pchain *chain;
    zg_store *store;
    zg_accts *accts;
    zg_metrics metrics;
    zg_verifier *ver;
    zg_settler *settler;
    zg_broker *broker;
    customer a, b, c;
    zg_fee_rule rule;
    char base[96], admin[96];
} world;

static world W;
static zg_u256 fees_sent;     /* sum of the fees of every accepted request */
static uint64_t nonce_a, owed_a;

static int start_broker(void)
{
    zg_err err;
    memset(&W.metrics, 0, sizeof W.metrics);
    if (zg_pchain_new(&W.chain, &W.cfg, &W.pkey, &err) || zg_pchain_register(W.chain, &err) ||
        zg_store_open(&W.store, W.cfg.database, 1, 512, &err)) {
        fprintf(stderr, "start: %s\n", err.msg);
        return -1;
    }
    zg_accts_new(&W.accts, zg_pchain_account, W.chain, 0);
    if (zg_broker_restore(W.store, W.accts, &err) || zg_pchain_follow(W.chain, W.accts, &err)) return -1;
    zg_settler_opts so = {&W.cfg, W.store, W.accts, &W.metrics, {0}, zg_pchain_settle, W.chain, 0};
    memcpy(so.provider, W.provider, 20);
    if (zg_settler_new(&W.settler, &so, &err)) return -1;
    zg_broker_deps d = {W.store, W.accts, &W.metrics, zg_verifier_check, W.ver, zg_settler_settle_now, W.settler};
    if (zg_broker_start(&W.broker, &W.cfg, W.provider, &d, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    snprintf(W.base, sizeof W.base, "http://127.0.0.1:%d/v1/proxy/", zg_broker_port(W.broker));
    snprintf(W.admin, sizeof W.admin, "http://127.0.0.1:%d", zg_broker_admin_port(W.broker));
    return 0;
}

static void stop_broker(void)
{
    zg_broker_stop(W.broker);
    zg_settler_free(W.settler);
    zg_pchain_free(W.chain);
    zg_store_close(W.store);
    zg_accts_free(W.accts);
}

static int open_account(const customer *c, uint64_t deposit)
{
    zg_eth_key k = c->wallet;
    zg_address prov;
    memcpy(prov.b, W.provider, 20);
    zg_u256 signer[2] = {zg_u256_from_be(c->signer_pub), zg_u256_from_be(c->signer_pub + 32)};
    zg_u256 v = zg_u256_from_u64(deposit);
    zg_err err;
    int rc = zg_serving_add_account(&W.sv, &k, &prov, signer, &v, NULL, NULL, &err);
    if (rc) fprintf(stderr, "addAccount: %s\n", err.msg);
    return rc;
}

#define N_D 2
static customer D[N_D];   /* the customers of the crash test */

/* Chain, contracts, keys and accounts: no threads yet (the crash test forks). */
static int setup_chain(void)
{
    zg_err err;
    if (zg_anvil_start(&W.anvil)) { fprintf(stderr, "anvil did not start\n"); return -1; }
    snprintf(W.dir, sizeof W.dir, "/tmp/zg-anvil-test-XXXXXX");
    if (!mkdtemp(W.dir)) return -1;
    const unsigned sizes[] = {4};
    if (chain_setup(W.anvil.url, zg_anvil_keys[0], W.dir, sizes, 1, 3600, W.serving)) {
        fprintf(stderr, "deploying the contracts failed\n");
        return -1;
    }
    if (zg_rpc_new(W.anvil.url, &W.rpc, &err)) return -1;
    zg_address sa;
    zg_address_parse(W.serving, &sa, NULL);
    zg_serving_init(&W.sv, W.rpc, &sa);
    if (zg_eth_key_from_hex(&W.pkey, zg_anvil_keys[1], &err)) return -1;
    zg_address pa;
    zg_eth_key_address(&W.pkey, &pa);
    memcpy(W.provider, pa.b, 20);
    if (customer_init(&W.a, zg_anvil_keys[2], W.provider) || customer_init(&W.b, zg_anvil_keys[3], W.provider) ||
        customer_init(&W.c, zg_anvil_keys[4], W.provider))
        return -1;
    if (open_account(&W.a, DEPOSIT_A) || open_account(&W.b, DEPOSIT_B)) return -1;
    for (int i = 0; i < N_D; i++)
        if (customer_init(&D[i], zg_anvil_keys[5 + i], W.provider) || open_account(&D[i], DEPOSIT_A)) return -1;
    return 0;
}

/* The model, the broker's configuration, the broker. */
static int setup(void)
{
    zg_err err;
    if (zg_ngram_train(&W.model, zg_model_corpus_alice, &err)) return -1;
    zg_model_opts mo = {"127.0.0.1", 0, 1, "zg-ngram-alice", 5, 0.8, 64, 0};
    if (zg_model_server_start(&W.msrv, &mo, W.model, &err)) return -1;
    char cfg[2048];
    snprintf(cfg, sizeof cfg,
             "{\"listen\":\"127.0.0.1:0\",\"admin_listen\":\"127.0.0.1:0\",\"threads\":2,\"database\":\"%s/broker.db\","
             "\"chain\":{\"rpc_url\":\"%s\",\"contract\":\"%s\",\"events_poll_s\":1},"
             "\"services\":[{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:%d\",\"url\":\"http://127.0.0.1:1\","
             "\"model\":\"zg-ngram-alice\",\"input_price\":%d,\"output_price\":%d,"
             "\"additional_properties\":{\"unit\":\"byte\",\"maxTokens\":64,\"bytesPerToken\":16}},"
             "{\"name\":\"down\",\"upstream\":\"http://127.0.0.1:1\",\"input_price\":%d,\"output_price\":%d}],"
             "\"settlement\":{\"circuit_sizes\":[4],\"proving_dir\":\"%s\",\"interval_s\":3600,"
             "\"refund_margin_s\":7200}}",
             W.dir, W.anvil.url, W.serving, zg_model_server_port(W.msrv), IN_PRICE, OUT_PRICE, IN_PRICE, OUT_PRICE,
             W.dir);
    if (zg_pcfg_load_text(&W.cfg, cfg, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    zg_u256 ip = zg_u256_from_u64(IN_PRICE), op = zg_u256_from_u64(OUT_PRICE);
    if (zg_fee_rule_init(&W.rule, "{\"unit\":\"byte\",\"maxTokens\":64,\"bytesPerToken\":16}", &ip, &op, &err)) return -1;
    if (zg_verifier_new(&W.ver, 16)) return -1;
    return start_broker();
}

/* Undoes setup() and the chain: broker, model, anvil, the temporary folder. */
static void teardown(void)
{
    stop_broker();
    zg_verifier_free(W.ver);
    zg_pcfg_free(&W.cfg);
    zg_model_server_stop(W.msrv);
    zg_ngram_free(W.model);
    zg_rpc_free(W.rpc);
    zg_anvil_stop(&W.anvil);
    if (zg_test_remove_dir(W.dir)) fprintf(stderr, "cannot remove %s\n", W.dir);
    curl_global_cleanup();
    libevent_global_shutdown();
}

/* ---- crash safety --------------------------------------------------------- */

#define CRASH_BODY "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}],\"max_tokens\":16,\"stream\":true}"

/* The broker process that gets killed: chain-backed, a slow fake upstream. */
static void crash_child(int fd)
{
    static fake_upstream fake;
    static zg_pcfg cfg;
    static zg_metrics metrics;
    zg_pchain *chain;
    zg_store *store;
    zg_accts *accts;
    zg_verifier *ver;
    zg_broker *b;
    zg_err err;
    char text[1024];
    if (fake_upstream_start(&fake)) _exit(3);
    snprintf(text, sizeof text,
             "{\"listen\":\"127.0.0.1:0\",\"admin_listen\":\"127.0.0.1:0\",\"database\":\"%s/broker.db\","
             "\"chain\":{\"rpc_url\":\"%s\",\"contract\":\"%s\",\"register_services\":false},"
             "\"services\":[{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:%d/slow\",\"input_price\":%d}]}",
             W.dir, W.anvil.url, W.serving, fake.port, IN_PRICE);
    if (zg_pcfg_load_text(&cfg, text, &err) || zg_pchain_new(&chain, &cfg, &W.pkey, &err) ||
        zg_store_open(&store, cfg.database, 1, 512, &err) || zg_accts_new(&accts, zg_pchain_account, chain, 0) ||
        zg_verifier_new(&ver, 16))
        _exit(4);
    zg_broker_deps d = {store, accts, &metrics, zg_verifier_check, ver, NULL, NULL};
    if (zg_broker_start(&b, &cfg, W.provider, &d, &err)) _exit(5);
    int port = zg_broker_port(b);
    if (write(fd, &port, sizeof port) != sizeof port) _exit(6);
    sleep(60);
    _exit(0);
}

static load_run R;

static void test_crash_load(void)
{
    int fds[2];
    CHECK_EQ_INT(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) { close(fds[0]); crash_child(fds[1]); }
    close(fds[1]);
    int port = 0;
    CHECK(read(fds[0], &port, sizeof port) == sizeof port);
    close(fds[0]);
    if (!port) { kill(pid, SIGKILL); waitpid(pid, NULL, 0); return; }
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/proxy/chat/chat/completions", port);
    uint64_t next[N_D] = {1, 1};
    R.custs = D;
    R.n_cust = N_D;
    R.url = url;
    R.body = CRASH_BODY;
    R.in_fee = load_in_fee(CRASH_BODY, IN_PRICE);
    load_and_kill(&R, pid, 4, next);
    int began = 0;
    for (size_t i = 0; i < R.n_log; i++) began += R.log[i].began;
    fprintf(stderr, "  %zu requests sent, %d answers began, broker killed\n", R.n_log, began);
    CHECK(began >= 4);
}

/* Sum of fees and top nonce of the receipts the killed broker stored. */
static void stored_receipts(const customer *c, zg_u256 *sum, uint64_t *top, size_t *n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/broker.db", W.dir);
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    *sum = zg_u256_from_u64(0);
    *top = 0;
    *n = 0;
    sqlite3_open(path, &d);
    sqlite3_prepare_v2(d, "SELECT nonce, fee FROM receipts WHERE user=?", -1, &st, NULL);
    sqlite3_bind_blob(st, 1, c->addr, 20, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t nonce = zg_store_nonce_from_be(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
        zg_u256 fee;
        zg_u256_from_dec(&fee, (const char *)sqlite3_column_text(st, 1), NULL);
        zg_u256_add(sum, sum, &fee);
        if (nonce > *top) *top = nonce;
        (*n)++;
    }
    sqlite3_finalize(st);
    sqlite3_close(d);
}

static void chain_state(const customer *c, zg_u256 *balance, uint64_t *nonce);
static json_t *settle_now(void);
static void send_ok(const customer *c, const char *path, const char *body, uint64_t nonce, uint64_t prev,
                    http_answer *a);

/* After the restart: every receipt settled once, every began answer among them. */
static void test_crash_settled_once(void)
{
    json_t *s = settle_now();
    json_decref(s);
    for (int i = 0; i < N_D; i++) {
        zg_u256 sum, bal, paid, dep = zg_u256_from_u64(DEPOSIT_A);
        uint64_t top, nonce;
        size_t n;
        stored_receipts(&D[i], &sum, &top, &n);
        chain_state(&D[i], &bal, &nonce);
        zg_u256_sub(&paid, &dep, &bal);
        CHECK_EQ_U64(nonce, top);
        CHECK_EQ_INT(zg_u256_cmp(&paid, &sum), 0);
        for (size_t k = 0; k < R.n_log; k++)
            if (R.log[k].cust == i && R.log[k].began)
                CHECK_MSG(R.log[k].nonce <= nonce, "customer %d nonce %llu began but was not settled", i,
                          (unsigned long long)R.log[k].nonce);
    }
    /* a second round pays nothing: exactly once */
    s = settle_now();
    CHECK_EQ_INT(json_integer_value(json_object_get(s, "receipts")), 0);
    json_decref(s);
}

/* ---- requests ------------------------------------------------------------- */

static zg_u256 input_fee_of(const char *body)
{
    uint64_t units = 0;
    zg_u256 fee;
    zg_fee_units_in(&W.rule, body, strlen(body), &units, NULL);
    zg_fee_of_units(&W.rule.input_price, units, &fee, NULL);
    return fee;
}

static void send_ok(const customer *c, const char *path, const char *body, uint64_t nonce, uint64_t prev,
                    http_answer *a)
{
    zg_u256 in = input_fee_of(body), p = zg_u256_from_u64(prev), fee;
    zg_u256_add(&fee, &in, &p);
    char url[200];
    snprintf(url, sizeof url, "%s%s", W.base, path);
    http_do(url, body, customer_headers(c, body, nonce, &in, &p, &fee), a);
    if (a->status == 200) zg_u256_add(&fees_sent, &fees_sent, &fee);
}

static const char *err_code(const http_answer *a)
{
    static char code[32];
    code[0] = 0;
    zg_proto_error_parse((const char *)a->body.data, a->body.len, NULL, code, NULL, 0, NULL);
    return code;
}

/* Output units of a stream: the zg_output_units of its usage chunk. */
static long long stream_units(const http_answer *a)
{
    const char *p = strstr((const char *)a->body.data, "\"" ZG_USAGE_OUTPUT_UNITS "\":");
    return p ? atoll(p + strlen(ZG_USAGE_OUTPUT_UNITS) + 3) : -1;
}

#define Q(s) "{\"messages\":[{\"role\":\"user\",\"content\":\"" s "\"}],\"max_tokens\":12%s}"

static void test_requests(void)
{
    http_answer a = {0};
    const char *questions[] = {"Who is the White Rabbit?", "Where does the rabbit-hole go?", "What is in the bottle?",
                               "Why is Alice so tired?", "What did the Cat say?", "Is Dinah a cat?"};
    for (int i = 0; i < 6; i++) {
        char body[256];
        int stream = i % 2;
        snprintf(body, sizeof body, "{\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}],\"max_tokens\":12%s}",
                 questions[i], stream ? ",\"stream\":true" : "");
        send_ok(&W.a, "chat/chat/completions", body, ++nonce_a, owed_a, &a);
        CHECK_EQ_INT(a.status, 200);
        long long units = stream ? stream_units(&a) : atoll(a.output_units);
        CHECK(units > 0);
        owed_a = (uint64_t)units * OUT_PRICE;
    }
    /* the conversation ends: pay the last output */
    zg_u256 zero = zg_u256_from_u64(0), prev = zg_u256_from_u64(owed_a);
    char url[200];
    snprintf(url, sizeof url, "%schat/close", W.base);
    http_do(url, ZG_PROTO_CLOSE_BODY, customer_headers(&W.a, ZG_PROTO_CLOSE_BODY, ++nonce_a, &zero, &prev, &prev), &a);
    CHECK_EQ_INT(a.status, 200);
    if (a.status == 200) zg_u256_add(&fees_sent, &fees_sent, &prev);
    owed_a = 0;
    zg_buf_free(&a.body);
}

static void test_chain_rejections(void)
{
    http_answer a = {0};
    const char *small = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
    const char *big = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":64}";
    zg_u256 before = fees_sent;
    send_ok(&W.c, "chat/chat/completions", small, 1, 0, &a);
    CHECK_EQ_INT(a.status, 402);
    CHECK_EQ_STR(err_code(&a), "no_account");
    send_ok(&W.b, "chat/chat/completions", big, 1, 0, &a);   /* reserve 64*16*2e6 > 5e7 */
    CHECK_EQ_INT(a.status, 402);
    CHECK_EQ_STR(err_code(&a), "insufficient_balance");
    send_ok(&W.a, "down/chat/completions", small, nonce_a + 1, 0, &a);
    CHECK_EQ_INT(a.status, 502);
    send_ok(&W.a, "chat/chat/completions", small, nonce_a, 0, &a);
    CHECK_EQ_INT(a.status, 409);
    CHECK_EQ_INT(zg_u256_cmp(&before, &fees_sent), 0);
    zg_buf_free(&a.body);
}

/* A refund request makes the account due for settlement (its receipts are
 * payable only until the refund matures), with no threshold or age reached. */
static void test_refund_triggers_settlement(void)
{
    http_answer a = {0};
    const char *body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Off with her head\"}],\"max_tokens\":4}";
    send_ok(&W.a, "chat/chat/completions", body, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    owed_a = (uint64_t)atoll(a.output_units) * OUT_PRICE;
    zg_buf_free(&a.body);
    char *sum = NULL;
    zg_err err;
    CHECK_OK(zg_settler_run(W.settler, 0, &sum, &err));   /* not due: below threshold, young */
    CHECK(sum && strstr(sum, "\"receipts\":0") != NULL);
    free(sum);
    zg_eth_key k = W.a.wallet;
    zg_address prov;
    memcpy(prov.b, W.provider, 20);
    zg_u256 amount = zg_u256_from_u64(1000);
    CHECK_OK(zg_serving_request_refund(&W.sv, &k, &prov, &amount, NULL, NULL, &err));
    zg_acct now;
    int seen = 0;
    for (int i = 0; i < 50 && !seen; i++) {
        usleep(100000);
        seen = zg_accts_get(W.accts, W.a.addr, &now) == ZG_OK && now.chain.refund_matures_at != 0;
    }
    CHECK_MSG(seen, "the RefundRequested event did not reach the account cache");
    sum = NULL;
    CHECK_OK(zg_settler_run(W.settler, 0, &sum, &err));
    CHECK(sum && strstr(sum, "\"receipts\":1") != NULL);
    free(sum);
    zg_u256 bal;
    uint64_t nonce;
    chain_state(&W.a, &bal, &nonce);
    CHECK_EQ_U64(nonce, nonce_a);
}

/* A deposit reaches the broker through the contract's events, without a
 * request having to miss first. */
static void test_deposit_event(void)
{
    zg_eth_key k = W.b.wallet;
    zg_address prov;
    memcpy(prov.b, W.provider, 20);
    zg_u256 more = zg_u256_from_u64(777), want;
    zg_err err;
    zg_acct before, now;
    CHECK_EQ_INT(zg_accts_get(W.accts, W.b.addr, &before), ZG_OK);
    CHECK_OK(zg_serving_deposit_fund(&W.sv, &k, &prov, &more, NULL, NULL, &err));
    zg_u256_add(&want, &before.chain.balance, &more);
    int seen = 0;
    for (int i = 0; i < 50 && !seen; i++) {
        usleep(100000);
        seen = zg_accts_get(W.accts, W.b.addr, &now) == ZG_OK && zg_u256_cmp(&now.chain.balance, &want) == 0;
    }
    CHECK_MSG(seen, "the Deposited event did not refresh the cached account");
}

/* POST /admin/settle; returns the parsed summary. */
static json_t *settle_now(void)
{
    http_answer a = {0};
    char url[160];
    snprintf(url, sizeof url, "%s/admin/settle", W.admin);
    http_do(url, "", NULL, &a);
    CHECK_EQ_INT(a.status, 200);
    if (a.status != 200) fprintf(stderr, "settle: %s\n", (char *)a.body.data);
    json_t *j = json_loads((char *)a.body.data, 0, NULL);
    zg_buf_free(&a.body);
    return j;
}

static void chain_state(const customer *c, zg_u256 *balance, uint64_t *nonce)
{
    zg_address u, p;
    memcpy(u.b, c->addr, 20);
    memcpy(p.b, W.provider, 20);
    zg_account_info info;
    zg_err err;
    CHECK_OK(zg_serving_get_account(&W.sv, &u, &p, &info, &err));
    *balance = info.balance;
    *nonce = info.nonce;
}

static zg_u256 provider_eth(void)
{
    zg_address p;
    memcpy(p.b, W.provider, 20);
    zg_u256 b = zg_u256_from_u64(0);
    zg_rpc_balance(W.rpc, &p, &b, NULL);
    return b;
}

/* Gas paid by the settlement transactions of a summary. */
static zg_u256 gas_of(json_t *summary)
{
    zg_u256 total = zg_u256_from_u64(0);
    size_t i;
    json_t *tx;
    json_array_foreach(json_object_get(summary, "txs"), i, tx) {
        uint8_t h[32];
        zg_rpc_receipt rc;
        memset(&rc, 0, sizeof rc);
        if (zg_hex_decode(json_string_value(tx), h, 32, NULL) || zg_rpc_get_receipt(W.rpc, h, &rc, NULL)) continue;
        zg_u256 g = zg_u256_from_u64(rc.gas_used), cost;
        zg_u256_mul(&cost, &g, &rc.effective_gas_price);
        zg_u256_add(&total, &total, &cost);
        zg_rpc_receipt_free(&rc);
    }
    return total;
}

static void test_settlement(void)
{
    zg_u256 bal0, eth0 = provider_eth(), bal1, eth1, paid, income, dep = zg_u256_from_u64(DEPOSIT_A);
    uint64_t nonce;
    chain_state(&W.a, &bal0, &nonce);
    CHECK_EQ_INT(zg_u256_cmp(&bal0, &dep), 0);
    CHECK_EQ_U64(nonce, 0);
    json_t *s = settle_now();
    CHECK_EQ_INT(json_integer_value(json_object_get(s, "receipts")), (long long)nonce_a);
    CHECK_EQ_INT(json_integer_value(json_object_get(s, "proofs")), 2); /* 7 receipts: 4 + 3 (padded to 4) */
    CHECK_EQ_INT(json_array_size(json_object_get(s, "txs")), 1);
    chain_state(&W.a, &bal1, &nonce);
    CHECK_EQ_U64(nonce, nonce_a);
    zg_u256_sub(&paid, &bal0, &bal1);
    char x[80], y[80];
    zg_u256_to_dec(&paid, x);
    zg_u256_to_dec(&fees_sent, y);
    CHECK_EQ_STR(x, y);                        /* the account paid exactly the accepted fees */
    eth1 = provider_eth();
    zg_u256 gas = gas_of(s);
    zg_u256_add(&income, &eth1, &gas);
    zg_u256_sub(&income, &income, &eth0);
    zg_u256_to_dec(&income, x);
    CHECK_EQ_STR(x, y);                        /* the provider earned exactly them, to the wei */
    CHECK_EQ_STR(json_string_value(json_object_get(s, "total")), y);
    fprintf(stderr, "  fees accepted %s wei, provider income %s wei, %zu tx\n", y, x, json_array_size(json_object_get(s, "txs")));
    json_decref(s);
    /* idempotent: nothing left, nothing paid twice */
    s = settle_now();
    CHECK_EQ_INT(json_integer_value(json_object_get(s, "receipts")), 0);
    CHECK_EQ_INT(json_array_size(json_object_get(s, "txs")), 0);
    json_decref(s);
    zg_u256 bal2;
    chain_state(&W.a, &bal2, &nonce);
    CHECK_EQ_INT(zg_u256_cmp(&bal1, &bal2), 0);
}

/* Settled receipts past store.keep_settled_s are deleted by the next
 * settlement round; a broker restarted without them still refuses their
 * nonces, because it reads the account's settled nonce from the chain before
 * it admits anything. */
static void test_old_settled_deleted(void)
{
    zg_u256 sum;
    uint64_t top, chain_nonce;
    size_t before, after;
    zg_u256 bal;
    chain_state(&W.a, &bal, &chain_nonce);
    stored_receipts(&W.a, &sum, &top, &before);
    CHECK(before >= 2);
    CHECK_EQ_U64(top, nonce_a);
    CHECK_EQ_U64(chain_nonce, nonce_a); /* every receipt of A is settled */
    uint64_t keep = W.cfg.keep_settled_s;
    W.cfg.keep_settled_s = 1;
    usleep(1100 * 1000);
    json_decref(settle_now());
    W.cfg.keep_settled_s = keep;
    stored_receipts(&W.a, &sum, &top, &after);
    CHECK_EQ_U64(after, 0);
    CHECK_EQ_U64(atomic_load(&W.metrics.deleted_receipts), before);
    stop_broker();
    CHECK_EQ_INT(start_broker(), 0);
    http_answer a = {0};
    const char *small = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
    zg_u256 fees = fees_sent;
    send_ok(&W.a, "chat/chat/completions", small, nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 409);
    CHECK_EQ_STR(err_code(&a), "nonce_reused");
    CHECK_EQ_INT(zg_u256_cmp(&fees, &fees_sent), 0);
    zg_buf_free(&a.body);
}

/* Receipts accepted before a restart are settled after it. */
static void test_restart_then_settle(void)
{
    http_answer a = {0};
    zg_u256 before = fees_sent;
    const char *body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Curiouser and curiouser\"}],\"max_tokens\":8}";
    send_ok(&W.a, "chat/chat/completions", body, ++nonce_a, 0, &a);
    CHECK_EQ_INT(a.status, 200);
    owed_a = (uint64_t)atoll(a.output_units) * OUT_PRICE;
    send_ok(&W.a, "chat/chat/completions", body, ++nonce_a, owed_a, &a);
    CHECK_EQ_INT(a.status, 200);
    zg_buf_free(&a.body);
    stop_broker();
    CHECK_EQ_INT(start_broker(), 0);
    zg_u256 bal0, bal1, paid, expect;
    uint64_t nonce;
    chain_state(&W.a, &bal0, &nonce);
    json_t *s = settle_now();
    CHECK_EQ_INT(json_integer_value(json_object_get(s, "receipts")), 2);
    json_decref(s);
    chain_state(&W.a, &bal1, &nonce);
    CHECK_EQ_U64(nonce, nonce_a);
    zg_u256_sub(&paid, &bal0, &bal1);
    zg_u256_sub(&expect, &fees_sent, &before);
    CHECK_EQ_INT(zg_u256_cmp(&paid, &expect), 0);
}

#endif
