/*
 * bench_broker.c - what the broker adds to a request: latency through
 * zg-provider's proxy against the same upstream called directly, measured in
 * one run with all checks on (headers, EdDSA signature, nonce, fee binding,
 * balance with reserve) and durable receipts (the receipt journal,
 * synchronous=FULL unless -y).
 *
 * Everything runs in this process on loopback: zg-model as the upstream
 * (greedy, short answers, so it is fast and deterministic), the broker with
 * a database in a temporary directory, accounts served by an in-memory
 * stand-in for the contract, and a libevent load generator. Requests are
 * pre-signed before the clock starts: one customer per connection, each
 * sending its requests in nonce order, each paying the previous answer's
 * output fee (known in advance because the model is deterministic). Both
 * paths get one warm-up request per connection first (the broker's uses each
 * customer's first pre-signed request, so its accounts are cached and its
 * signer keys prepared before the clock starts).
 *
 * usage: bench_broker [-n requests] [-c connections] [-r rate/s (0 = as fast
 *        as possible)] [-t broker threads] [-s (stream)] [-m max_tokens]
 *        [-y (synchronous=NORMAL)]
 * Prints p50/p90/p99/max latency of both paths, the added latency at each
 * percentile, and the throughput; ratio = broker p99 / direct p99.
 */
#define _GNU_SOURCE
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hex.h"
#include "eth/key.h"
#include "model/corpus.h"
#include "model/server.h"
#include "provider/broker.h"
#include "provider/verify.h"
#include "serving/fee.h"
#include "serving/protocol.h"
#include "serving/receipt.h"

#define IN_PRICE 1000
#define OUT_PRICE 2000
#define BODY "{\"messages\":[{\"role\":\"user\",\"content\":\"Where did the White Rabbit go?\"}],\"max_tokens\":%d,\"temperature\":0%s}"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- accounts: an in-memory stand-in for the contract --------------------- */

typedef struct chain { size_t n; uint8_t (*user)[20]; uint8_t (*signer)[64]; } chain;

static int chain_fetch(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e)
{
    chain *c = ctx;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < c->n; i++) {
        if (memcmp(c->user[i], user, 20)) continue;
        out->exists = 1;
        out->balance = zg_u256_from_u64(UINT64_MAX);
        memcpy(out->signer, c->signer[i], 64);
    }
    return ZG_OK;
}

/* ---- pre-signed requests -------------------------------------------------- */

typedef struct preq_s { zg_proto_pair h[ZG_PROTO_NHEADERS]; } preq_s;

typedef struct conn {
    struct evhttp_connection *c;
    struct event *timer;
    struct bench *b;
    size_t id, next, done;
    double sent;
} conn;

typedef struct bench {
    struct event_base *base;
    const char *host;
    int port;
    const char *path;
    const char *body;
    int signed_reqs;
    preq_s *reqs;              /* [conn * stride + i]: stride pre-signed requests per connection */
    size_t n_conn, per_conn, stride, first;   /* a run sends requests first .. first + per_conn - 1 */
    double rate, t0;
    double *lat;
    size_t n_lat, failures, finished_conns;
} bench;

static void send_next(conn *c);

static void on_done(struct evhttp_request *r, void *arg)
{
    conn *c = arg;
    bench *b = c->b;
    double t = now_s();
    if (!r || evhttp_request_get_response_code(r) != 200) b->failures++;
    else b->lat[b->n_lat++] = t - c->sent;
    c->done++;
    if (c->next < b->per_conn) send_next(c);
    else if (++b->finished_conns == b->n_conn) event_base_loopbreak(b->base);
}

static void fire(evutil_socket_t fd, short w, void *arg)
{
    conn *c = arg;
    bench *b = c->b;
    struct evhttp_request *r = evhttp_request_new(on_done, c);
    struct evkeyvalq *h = evhttp_request_get_output_headers(r);
    evhttp_add_header(h, "Host", "127.0.0.1");
    evhttp_add_header(h, "Content-Type", "application/json");
    if (b->signed_reqs) {
        preq_s *p = &b->reqs[c->id * b->stride + b->first + c->next];
        for (int i = 0; i < ZG_PROTO_NHEADERS; i++) evhttp_add_header(h, p->h[i].name, p->h[i].value);
    }
    evbuffer_add(evhttp_request_get_output_buffer(r), b->body, strlen(b->body));
    c->next++;
    c->sent = now_s();
    evhttp_make_request(c->c, r, EVHTTP_REQ_POST, b->path);
}

/* Open loop when a rate is set: request k of connection i is due at
 * t0 + (k * n_conn + i) / rate; a late one goes at once. */
static void send_next(conn *c)
{
    bench *b = c->b;
    if (b->rate <= 0) { fire(-1, 0, c); return; }
    double due = b->t0 + ((double)c->next * (double)b->n_conn + (double)c->id) / b->rate, wait = due - now_s();
    if (wait <= 0) { fire(-1, 0, c); return; }
    struct timeval tv = {(time_t)wait, (suseconds_t)((wait - (double)(time_t)wait) * 1e6)};
    evtimer_add(c->timer, &tv);
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

typedef struct result { double p50, p90, p99, max, rps; size_t ok, failed; } result;

static result run(bench *b)
{
    /* precise timers: libevent's default rounds timeouts up to whole
     * milliseconds, which bunches an open-loop schedule into bursts */
    struct event_config *ec = event_config_new();
    event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
    b->base = event_base_new_with_config(ec);
    event_config_free(ec);
    conn *cs = calloc(b->n_conn, sizeof *cs);
    b->lat = calloc(b->n_conn * b->per_conn, sizeof *b->lat);
    b->n_lat = b->failures = b->finished_conns = 0;
    for (size_t i = 0; i < b->n_conn; i++) {
        cs[i] = (conn){.c = evhttp_connection_base_new(b->base, NULL, b->host, (unsigned short)b->port), .b = b, .id = i};
        cs[i].timer = evtimer_new(b->base, fire, &cs[i]);
    }
    b->t0 = now_s();
    for (size_t i = 0; i < b->n_conn; i++) send_next(&cs[i]);
    event_base_dispatch(b->base);
    double el = now_s() - b->t0;
    for (size_t i = 0; i < b->n_conn; i++) { evhttp_connection_free(cs[i].c); event_free(cs[i].timer); }
    free(cs);
    event_base_free(b->base);
    qsort(b->lat, b->n_lat, sizeof *b->lat, cmp_d);
    result r = {0};
    if (b->n_lat) {
        r.p50 = b->lat[b->n_lat / 2];
        r.p90 = b->lat[(size_t)((double)b->n_lat * 0.90)];
        r.p99 = b->lat[(size_t)((double)b->n_lat * 0.99)];
        r.max = b->lat[b->n_lat - 1];
    }
    r.ok = b->n_lat;
    r.failed = b->failures;
    r.rps = (double)b->n_lat / el;
    free(b->lat);
    return r;
}

/* ---- set-up --------------------------------------------------------------- */

typedef struct world {
    zg_ngram *model;
    zg_model_server *msrv;
    zg_pcfg cfg;
    zg_store *store;
    zg_accts *accts;
    zg_metrics metrics;
    zg_verifier *verifier;
    zg_broker *broker;
    chain ch;
    uint8_t provider[20];
    char dir[64];
} world;

static int presign(world *w, bench *b, uint64_t out_units, zg_fee_rule *rule)
{
    uint64_t in_units;
    zg_u256 in_fee, prev_fee, fee;
    zg_err err;
    if (zg_fee_units_in(rule, b->body, strlen(b->body), &in_units, &err)) return -1;
    uint8_t rh[31];
    zg_receipt_request_hash(b->body, strlen(b->body), rh);
    for (size_t i = 0; i < b->n_conn; i++) {
        uint8_t secret[32] = {0}, prv[32];
        secret[31] = (uint8_t)(i + 1); secret[30] = (uint8_t)((i + 1) >> 8); secret[0] = 0x42;
        zg_eth_key k;
        zg_address a;
        zg_bj_point pub;
        if (zg_eth_key_from_secret(&k, secret, &err)) return -1;
        zg_eth_key_address(&k, &a);
        memcpy(w->ch.user[i], a.b, 20);
        if (zg_signer_key_derive(prv, &k, w->provider, &err)) return -1;
        zg_signer_public(prv, &pub, NULL);
        zg_fr_to_bytes_be(w->ch.signer[i], &pub.x);
        zg_fr_to_bytes_be(w->ch.signer[i] + 32, &pub.y);
        for (size_t j = 0; j < b->stride; j++) {
            if (zg_fee_compute(rule, in_units, j ? out_units : 0, &in_fee, &prev_fee, &fee, &err)) return -1;
            zg_receipt r;
            memcpy(r.user, a.b, 20);
            memcpy(r.provider, w->provider, 20);
            r.nonce = j + 1;
            r.fee = fee;
            memcpy(r.request_hash, rh, 31);
            zg_proto_headers h = {.nonce = j + 1, .input_fee = in_fee, .prev_output_fee = prev_fee, .fee = fee};
            memcpy(h.user, a.b, 20);
            if (zg_receipt_sign(h.signature, &r, prv, &err)) return -1;
            zg_proto_headers_format(&h, b->reqs[i * b->stride + j].h);
        }
        zg_eth_key_wipe(&k);
    }
    w->ch.n = b->n_conn;
    return 0;
}

/* The answer's output units, from one direct call (the model is greedy). */
static uint64_t probe_units(int port, const char *body, zg_fee_rule *rule)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "curl -s -m 10 http://127.0.0.1:%d/v1/chat/completions -d '%s'", port, body);
    FILE *f = popen(cmd, "r");
    if (!f) return 0;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    pclose(f);
    uint64_t units = 0;
    zg_fee_units_out_answer(rule, buf, n, &units, NULL);
    return units;
}

/* The disk's own floor for synchronous=FULL: p50 and p99 of fdatasync after
 * a receipt-sized append, in the bench's directory. */
static void disk_sync_floor(const char *dir, double *p50, double *p99)
{
    char path[128];
    snprintf(path, sizeof path, "%s/sync-probe", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    enum { N = 200 };
    double t[N];
    char rec[300] = {0};
    *p50 = *p99 = 0;
    if (fd < 0) return;
    for (int i = 0; i < N; i++) {
        double t0 = now_s();
        if (write(fd, rec, sizeof rec) != (ssize_t)sizeof rec || fdatasync(fd)) { close(fd); return; }
        t[i] = now_s() - t0;
    }
    close(fd);
    unlink(path);
    qsort(t, N, sizeof t[0], cmp_d);
    *p50 = t[N / 2];
    *p99 = t[N * 99 / 100];
}

static void print(const char *name, const result *r)
{
    printf("%-8s ok %6zu failed %4zu  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  %8.0f req/s\n", name,
           r->ok, r->failed, r->p50 * 1e3, r->p90 * 1e3, r->p99 * 1e3, r->max * 1e3, r->rps);
}

int main(int argc, char **argv)
{
    size_t n = 20000, nc = 32;
    int threads = 2, stream = 0, max_tokens = 8, sync_normal = 0;
    double rate = 0;
    int c;
    while ((c = getopt(argc, argv, "n:c:r:t:sm:yh")) != -1) {
        switch (c) {
        case 'n': n = strtoul(optarg, NULL, 10); break;
        case 'c': nc = strtoul(optarg, NULL, 10); break;
        case 'r': rate = strtod(optarg, NULL); break;
        case 't': threads = atoi(optarg); break;
        case 's': stream = 1; break;
        case 'm': max_tokens = atoi(optarg); break;
        case 'y': sync_normal = 1; break;
        default:
            fprintf(stderr, "usage: bench_broker [-n requests] [-c connections] [-r rate/s] [-t broker threads] "
                            "[-s stream] [-m max_tokens] [-y (synchronous=NORMAL)]\n");
            return 2;
        }
    }
    if (!nc || n < nc || threads < 1) return 2;
    signal(SIGPIPE, SIG_IGN);
    evthread_use_pthreads();
    static world w;
    zg_err err;
    snprintf(w.dir, sizeof w.dir, "/tmp/zg-bench-broker-XXXXXX");
    if (!mkdtemp(w.dir)) return 1;
    if (zg_ngram_train(&w.model, zg_model_corpus_alice, &err)) return 1;
    zg_model_opts mo = {"127.0.0.1", 0, 1, "zg-ngram-alice", 1, 0, 64, 0};
    if (zg_model_server_start(&w.msrv, &mo, w.model, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    int mport = zg_model_server_port(w.msrv);
    char cfg[1024], body[512];
    snprintf(body, sizeof body, BODY, max_tokens, stream ? ",\"stream\":true" : "");
    snprintf(cfg, sizeof cfg, "{\"listen\":\"127.0.0.1:0\",\"admin_listen\":\"127.0.0.1:0\",\"threads\":%d,"
             "\"database\":\"%s/bench.db\",\"services\":[{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:%d\","
             "\"input_price\":%d,\"output_price\":%d}],\"limits\":{\"max_inflight\":100000},"
             "\"store\":{\"synchronous\":\"%s\"}}",
             threads, w.dir, mport, IN_PRICE, OUT_PRICE, sync_normal ? "normal" : "full");
    if (zg_pcfg_load_text(&w.cfg, cfg, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    zg_u256 ip = zg_u256_from_u64(IN_PRICE), op = zg_u256_from_u64(OUT_PRICE);
    zg_fee_rule rule;
    zg_fee_rule_init(&rule, NULL, &ip, &op, &err);
    zg_eth_key pk;
    zg_address pa;
    zg_eth_key_from_hex(&pk, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", NULL);
    zg_eth_key_address(&pk, &pa);
    memcpy(w.provider, pa.b, 20);

    /* one request more per customer than measured: the broker's warm-up */
    bench b = {.host = "127.0.0.1", .body = body, .n_conn = nc, .per_conn = n / nc, .stride = n / nc + 1,
               .rate = rate};
    b.reqs = calloc(nc * b.stride, sizeof *b.reqs);
    w.ch.user = calloc(nc, 20);
    w.ch.signer = calloc(nc, 64);
    char plain[512];
    snprintf(plain, sizeof plain, BODY, max_tokens, "");
    uint64_t units = probe_units(mport, plain, &rule);
    fprintf(stderr, "pre-signing %zu requests for %zu customers (answer: %llu output units)...\n",
            nc * b.stride, nc, (unsigned long long)units);
    if (!units || presign(&w, &b, units, &rule)) { fprintf(stderr, "pre-signing failed\n"); return 1; }

    if (zg_store_open(&w.store, w.cfg.database, w.cfg.sync_full, w.cfg.commit_max_batch, &err) ||
        zg_accts_new(&w.accts, chain_fetch, &w.ch, 0) || zg_verifier_new(&w.verifier, nc + 16)) {
        fprintf(stderr, "set-up failed: %s\n", err.msg);
        return 1;
    }
    zg_broker_deps d = {w.store, w.accts, &w.metrics, zg_verifier_check, w.verifier, NULL, NULL};
    if (zg_broker_start(&w.broker, &w.cfg, w.provider, &d, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }

    printf("bench_broker: %zu requests, %zu connections, %s, rate %s, broker threads %d, %s answers, "
           "max_tokens %d, synchronous=%s\n", nc * b.per_conn, nc, rate > 0 ? "open loop" : "closed loop",
           rate > 0 ? "fixed" : "max", threads, stream ? "streamed" : "plain", max_tokens,
           sync_normal ? "NORMAL" : "FULL");
    /* warm-up: the signer keys get prepared, connections open */
    bench warm = b;
    warm.per_conn = 1;
    warm.port = mport; warm.path = "/v1/chat/completions"; warm.signed_reqs = 0;
    run(&warm);

    b.port = mport; b.path = "/v1/chat/completions"; b.signed_reqs = 0;
    result direct = run(&b);
    b.port = zg_broker_port(w.broker); b.path = "/v1/proxy/chat/chat/completions"; b.signed_reqs = 1;
    warm = b;
    warm.per_conn = 1;
    run(&warm);
    b.first = 1;
    result broker = run(&b);
    print("direct", &direct);
    print("broker", &broker);
    printf("added    p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms\n", (broker.p50 - direct.p50) * 1e3,
           (broker.p90 - direct.p90) * 1e3, (broker.p99 - direct.p99) * 1e3);
    uint64_t commits, writes, queued;
    zg_store_stats(w.store, &commits, &writes, &queued);
    printf("store    %llu writes in %llu commits (%.1f per fsync)\n", (unsigned long long)writes,
           (unsigned long long)commits, commits ? (double)writes / (double)commits : 0.0);
    unsigned long long ac = atomic_load(&w.metrics.admit_count), as = atomic_load(&w.metrics.admit_sum_us);
    printf("admit    mean %.3f ms (checks + durable receipt, from the broker's own histogram)\n",
           ac ? (double)as / (double)ac / 1e3 : 0.0);
    if (!sync_normal) {
        double f50, f99;
        disk_sync_floor(w.dir, &f50, &f99);
        printf("disk     write + fdatasync of a receipt: p50 %.3f ms  p99 %.3f ms (the floor that FULL adds)\n",
               f50 * 1e3, f99 * 1e3);
    }
    printf("ratio    broker/direct p99 = %.2f, throughput = %.2f\n", direct.p99 > 0 ? broker.p99 / direct.p99 : 0,
           direct.rps > 0 ? broker.rps / direct.rps : 0);

    zg_broker_stop(w.broker);
    zg_store_close(w.store);
    zg_accts_free(w.accts);
    zg_verifier_free(w.verifier);
    zg_pcfg_free(&w.cfg);
    zg_model_server_stop(w.msrv);
    zg_ngram_free(w.model);
    free(b.reqs); free(w.ch.user); free(w.ch.signer);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", w.dir);
    if (system(cmd)) {}
    return broker.failed ? 1 : 0;
}
