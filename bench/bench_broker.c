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
 * stand-in for the contract, and a lean load generator (raw keep-alive
 * connections, each request formatted before the clock starts and sent with
 * one write()), so that the instrument takes as little of the machine as it
 * can. Requests are pre-signed: one customer per connection, each sending
 * its requests in nonce order, each paying the previous answer's output fee
 * (known in advance because the model is deterministic).
 *
 * Three paths to the same model: direct; through a bare byte relay
 * (bench/lib/relay.c: one thread, no parsing, no checks, no disk), which
 * costs what any extra hop costs on this machine; and through the broker.
 * Each path gets one warm-up request per connection first (the broker's uses
 * each customer's first pre-signed request, so its accounts are cached and
 * its signer keys prepared before the clock starts). The paths then take
 * turns in rounds (-R, default 4), so that all see the same moments of a
 * machine whose speed varies from one second to the next.
 *
 * usage: bench_broker [-n requests per path] [-c connections] [-r rate/s
 *        (0 = as fast as possible)] [-R rounds] [-t broker threads]
 *        [-s (stream)] [-m max_tokens] [-y (synchronous=NORMAL)]
 *        [-u (also a broker without signature check)] [-v (each round's tail)]
 * -u adds a fourth path, "unchecked": a second broker, with its own database,
 * whose signature check accepts everything (every other check still runs).
 * It takes its turn in the same rounds and is sent the same pre-signed
 * requests, so "check" (broker over unchecked) is what the signature check
 * adds, measured at the same moments of the machine rather than in a
 * separate run whose noise would swamp it.
 * Prints p50/p90/p99/max latency of each path over all rounds, the whole
 * process's CPU time per request (load generator and model included: the
 * difference is what the hop or the broker costs), and three differences at
 * each percentile: "added" (broker over direct: the figure the broker is
 * judged by), "hop" (relay over direct: the floor any proxy pays here) and
 * "own" (broker over relay: what the broker's own work adds to a hop), and
 * with -u "check"; ratio = broker p99 / direct p99. -v also prints each
 * round's p99 and max per path, to show whether a tail came from a few slow
 * seconds or from all.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/util.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/hex.h"
#include "eth/key.h"
#include "model/corpus.h"
#include "model/server.h"
#include "provider/broker.h"
#include "provider/verify.h"
#include "relay.h"
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

/* ---- the load generator --------------------------------------------------- */

/* A lean HTTP/1.1 client, so that the instrument costs the machine as little
 * as it can: each request is formatted before the clock starts and goes out
 * with one write(); answers are read into a buffer and parsed just enough to
 * know where they end (Content-Length or chunked). Keep-alive connections,
 * one request in flight per connection. */

/* CPU time by thread name, from /proc/self/task (clock ticks). */
#define MAX_THREADS 32
typedef struct thread_cpu { char name[16]; double s; } thread_cpu;
typedef struct threads_cpu { thread_cpu t[MAX_THREADS]; size_t n; } threads_cpu;

typedef struct path path;

typedef struct conn {
    path *pa;
    size_t id;
    int fd;
    struct event *rd, *timer;
    size_t next, block_end;   /* next request to send; this block ends before block_end */
    size_t block_first;       /* first request of this block (for the schedule) */
    double sent;
    char in[65536];
    size_t in_len;
} conn;

struct path {
    const char *name;
    struct event_base *base;
    conn *cs;
    size_t n_conn;
    char **req;               /* [conn * stride + k]: the bytes of request k of a connection;
                               * with stride 0, req[0] for every request */
    size_t *req_len, stride;
    double rate, t0;
    double *lat;              /* every measured latency, over all blocks */
    size_t n_lat, failures, conns_done;
    int measuring;
    double cpu_s, elapsed_s;
    threads_cpu threads;      /* CPU time by thread while this path was measured */
};

static double process_cpu_s(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static thread_cpu *thread_slot(threads_cpu *tc, const char *name)
{
    for (size_t i = 0; i < tc->n; i++)
        if (!strcmp(tc->t[i].name, name)) return &tc->t[i];
    if (tc->n == MAX_THREADS) return NULL;
    thread_cpu *t = &tc->t[tc->n++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->s = 0;
    return t;
}

/* Adds sign * (each thread's CPU time so far) to tc, by thread name. */
static void threads_cpu_add(threads_cpu *tc, double sign)
{
    DIR *d = opendir("/proc/self/task");
    double tick = (double)sysconf(_SC_CLK_TCK);
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_name[0] == '.') continue;
        char path[300], buf[1024];
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", de->d_name);
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f) fclose(f);
        buf[n] = 0;
        char *open = strchr(buf, '('), *close = strrchr(buf, ')');
        if (!open || !close || close < open) continue;
        *close = 0;
        unsigned long long ut, st;
        /* after "(comm) ": state, then fields 4..13, then utime and stime */
        if (sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) continue;
        thread_cpu *t = thread_slot(tc, open + 1);
        if (t) t->s += sign * (double)(ut + st) / tick;
    }
    if (d) closedir(d);
}

static void fail(const char *what)
{
    fprintf(stderr, "bench_broker: %s\n", what);
    exit(1);
}

/* Length of a complete chunked body at b (n bytes), or 0 if incomplete. */
static size_t chunked_len(const char *b, size_t n)
{
    size_t at = 0;
    for (;;) {
        const char *eol = memmem(b + at, n - at, "\r\n", 2);
        if (!eol) return 0;
        size_t size = strtoul(b + at, NULL, 16);
        at = (size_t)(eol - b) + 2 + size + 2;
        if (at > n) return 0;
        if (size == 0) return at;
    }
}

/* Length of the complete answer at the start of c->in, 0 if incomplete; its
 * status in *status. */
static size_t answer_len(const conn *c, int *status)
{
    const char *hend = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!hend) return 0;
    size_t hlen = (size_t)(hend - c->in) + 4;
    *status = c->in_len > 12 ? atoi(c->in + 9) : 0;
    char head[4096];
    size_t k = hlen < sizeof head - 1 ? hlen : sizeof head - 1;
    memcpy(head, c->in, k);
    head[k] = 0;
    const char *cl = strcasestr(head, "\r\nContent-Length:");
    if (cl) {
        size_t total = hlen + strtoul(cl + 17, NULL, 10);
        return c->in_len >= total ? total : 0;
    }
    if (!strcasestr(head, "\r\nTransfer-Encoding: chunked")) fail("an answer with neither Content-Length nor chunks");
    size_t body = chunked_len(c->in + hlen, c->in_len - hlen);
    return body ? hlen + body : 0;
}

static void send_next(conn *c);

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    path *pa = c->pa;
    ssize_t n = read(fd, c->in + c->in_len, sizeof c->in - c->in_len);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN) return;
        fail(n == 0 ? "the server closed a connection" : "reading an answer failed");
    }
    c->in_len += (size_t)n;
    int status;
    size_t len = answer_len(c, &status);
    if (!len) {
        if (c->in_len == sizeof c->in) fail("an answer larger than 64 KiB");
        return;
    }
    double t = now_s();
    if (pa->measuring) {
        if (status == 200) pa->lat[pa->n_lat++] = t - c->sent;
        else pa->failures++;
    }
    memmove(c->in, c->in + len, c->in_len - len);
    c->in_len -= len;
    if (c->next < c->block_end) send_next(c);
    else if (++pa->conns_done == pa->n_conn) event_base_loopbreak(pa->base);
}

static void fire(evutil_socket_t fd, short w, void *arg)
{
    conn *c = arg;
    path *pa = c->pa;
    size_t k = pa->stride ? c->id * pa->stride + c->next : 0;
    c->next++;
    c->sent = now_s();
    if (write(c->fd, pa->req[k], pa->req_len[k]) != (ssize_t)pa->req_len[k]) fail("sending a request failed");
}

/* Open loop when a rate is set: request k of a block on connection i is due
 * at t0 + (k * n_conn + i) / rate; a late one goes at once. */
static void send_next(conn *c)
{
    path *pa = c->pa;
    if (pa->rate <= 0) { fire(-1, 0, c); return; }
    double k = (double)(c->next - c->block_first);
    double due = pa->t0 + (k * (double)pa->n_conn + (double)c->id) / pa->rate, wait = due - now_s();
    if (wait <= 0) { fire(-1, 0, c); return; }
    struct timeval tv = {(time_t)wait, (suseconds_t)((wait - (double)(time_t)wait) * 1e6)};
    evtimer_add(c->timer, &tv);
}

static void path_open(path *pa, int port)
{
    /* precise timers: libevent's default rounds timeouts up to whole
     * milliseconds, which bunches an open-loop schedule into bursts */
    struct event_config *ec = event_config_new();
    event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER);
    pa->base = event_base_new_with_config(ec);
    event_config_free(ec);
    pa->cs = calloc(pa->n_conn, sizeof *pa->cs);
    if (!pa->base || !pa->cs) fail("out of memory");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (size_t i = 0; i < pa->n_conn; i++) {
        conn *c = &pa->cs[i];
        c->pa = pa;
        c->id = i;
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof a) ||
            setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) || evutil_make_socket_nonblocking(c->fd))
            fail("cannot connect to the server");
        c->rd = event_new(pa->base, c->fd, EV_READ | EV_PERSIST, on_readable, c);
        c->timer = evtimer_new(pa->base, fire, c);
        if (!c->rd || !c->timer || event_add(c->rd, NULL)) fail("out of memory");
    }
}

static void path_close(path *pa)
{
    for (size_t i = 0; i < pa->n_conn; i++) {
        event_free(pa->cs[i].rd);
        event_free(pa->cs[i].timer);
        close(pa->cs[i].fd);
    }
    free(pa->cs);
    event_base_free(pa->base);
}

/* Sends the next per_conn requests of every connection, measured or not. */
static void path_block(path *pa, size_t per_conn, int measuring)
{
    pa->measuring = measuring;
    pa->conns_done = 0;
    for (size_t i = 0; i < pa->n_conn; i++) {
        pa->cs[i].block_first = pa->cs[i].next;
        pa->cs[i].block_end = pa->cs[i].next + per_conn;
    }
    double cpu0 = process_cpu_s();
    if (measuring) threads_cpu_add(&pa->threads, -1);
    pa->t0 = now_s();
    for (size_t i = 0; i < pa->n_conn; i++) send_next(&pa->cs[i]);
    event_base_dispatch(pa->base);
    if (measuring) {
        pa->elapsed_s += now_s() - pa->t0;
        pa->cpu_s += process_cpu_s() - cpu0;
        threads_cpu_add(&pa->threads, +1);
    }
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* p99 and max of lat[from..to), without disturbing lat (path_result sorts it later). */
static void slice_tail(const double *lat, size_t from, size_t to, double *p99, double *max)
{
    size_t n = to - from;
    *p99 = *max = 0;
    double *c = n ? malloc(n * sizeof *c) : NULL;
    if (!c) return;
    memcpy(c, lat + from, n * sizeof *c);
    qsort(c, n, sizeof *c, cmp_d);
    *p99 = c[(size_t)((double)n * 0.99)];
    *max = c[n - 1];
    free(c);
}

/* One line per round with -v: where in the run the tail was. from[i] is
 * where path i's latencies of this round begin. */
static void print_round(int r, path *const *ps, const size_t *from, size_t n)
{
    printf("round %2d", r + 1);
    for (size_t i = 0; i < n; i++) {
        double p99, max;
        slice_tail(ps[i]->lat, from[i], ps[i]->n_lat, &p99, &max);
        printf("  %s p99 %6.3f max %6.3f ms", ps[i]->name, p99 * 1e3, max * 1e3);
    }
    printf("\n");
}

typedef struct result { double p50, p90, p99, max, rps, cpu_us; size_t ok, failed; } result;

static result path_result(path *pa)
{
    result r = {0};
    qsort(pa->lat, pa->n_lat, sizeof *pa->lat, cmp_d);
    if (pa->n_lat) {
        r.p50 = pa->lat[pa->n_lat / 2];
        r.p90 = pa->lat[(size_t)((double)pa->n_lat * 0.90)];
        r.p99 = pa->lat[(size_t)((double)pa->n_lat * 0.99)];
        r.max = pa->lat[pa->n_lat - 1];
        r.cpu_us = pa->cpu_s / (double)pa->n_lat * 1e6;
        r.rps = (double)pa->n_lat / pa->elapsed_s;
    }
    r.ok = pa->n_lat;
    r.failed = pa->failures;
    return r;
}

/* The bytes of one POST with the given extra headers (may be NULL). */
static char *format_request(const char *target, const char *body, const zg_proto_pair *h, size_t *len)
{
    char head[4096];
    int n = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n", target, strlen(body));
    for (int i = 0; h && i < ZG_PROTO_NHEADERS; i++)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s: %s\r\n", h[i].name, h[i].value);
    char *out;
    if (asprintf(&out, "%s\r\n%s", head, body) < 0) fail("out of memory");
    *len = strlen(out);
    return out;
}

/* ---- set-up --------------------------------------------------------------- */

/* One broker under test, with its own database, account cache and metrics,
 * so that two can serve the same customers' requests side by side. */
typedef struct broker_side {
    zg_pcfg cfg;
    zg_store *store;
    zg_accts *accts;
    zg_metrics metrics;
    zg_broker *broker;
} broker_side;

typedef struct world {
    zg_ngram *model;
    zg_model_server *msrv;
    zg_verifier *verifier;
    broker_side checked, unchecked;   /* unchecked: only with -u */
    chain ch;
    uint8_t provider[20];
    char dir[64];
} world;

/* Signs every request of the broker's path: one customer per connection,
 * nonces 1, 2, ..., each paying the previous answer's out_units. */
static int presign(world *w, path *pa, const char *target, const char *body, uint64_t out_units,
                   zg_fee_rule *rule)
{
    uint64_t in_units;
    zg_u256 in_fee, prev_fee, fee;
    zg_err err;
    if (zg_fee_units_in(rule, body, strlen(body), &in_units, &err)) return -1;
    uint8_t rh[31];
    zg_receipt_request_hash(body, strlen(body), rh);
    for (size_t i = 0; i < pa->n_conn; i++) {
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
        for (size_t j = 0; j < pa->stride; j++) {
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
            zg_proto_pair hs[ZG_PROTO_NHEADERS];
            zg_proto_headers_format(&h, hs);
            size_t k = i * pa->stride + j;
            pa->req[k] = format_request(target, body, hs, &pa->req_len[k]);
        }
        zg_eth_key_wipe(&k);
    }
    w->ch.n = pa->n_conn;
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

/* Each busy thread's CPU per request on a path ("bench_broker" is the load
 * generator). /proc counts in clock ticks: a thread under one tick per
 * 1,000 requests is left out. */
static void print_threads(const path *pa)
{
    printf("%-9s cpu by thread, us/req:", pa->name);
    for (size_t i = 0; i < pa->threads.n; i++) {
        double us = pa->n_lat ? pa->threads.t[i].s / (double)pa->n_lat * 1e6 : 0;
        if (us >= 1) printf("  %s %.0f", pa->threads.t[i].name, us);
    }
    printf("\n");
}

static void print(const char *name, const result *r)
{
    printf("%-9s ok %6zu failed %4zu  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  %8.0f req/s  "
           "cpu %4.0f us/req\n", name, r->ok, r->failed, r->p50 * 1e3, r->p90 * 1e3, r->p99 * 1e3, r->max * 1e3,
           r->rps, r->cpu_us);
}

/* What path a adds to path b at each percentile, and in CPU per request. */
static void print_added(const char *name, const result *a, const result *b)
{
    printf("%-9s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  cpu %4.0f us/req\n", name, (a->p50 - b->p50) * 1e3,
           (a->p90 - b->p90) * 1e3, (a->p99 - b->p99) * 1e3, a->cpu_us - b->cpu_us);
}

static int accept_any_signature(void *ctx, const zg_store_receipt *r, const uint8_t provider[20],
                                const uint8_t signer[64], zg_err *e)
{
    (void)ctx; (void)r; (void)provider; (void)signer; (void)e;
    return ZG_OK;
}

/* Starts a broker with its own database (db, in the bench's directory) in
 * front of the model on mport; verify checks its signatures. */
static int side_start(broker_side *s, world *w, const char *db, int threads, int sync_normal, int mport,
                      zg_verify_fn verify)
{
    char cfg[1024];
    zg_err err;
    snprintf(cfg, sizeof cfg, "{\"listen\":\"127.0.0.1:0\",\"admin_listen\":\"127.0.0.1:0\",\"threads\":%d,"
             "\"database\":\"%s/%s\",\"services\":[{\"name\":\"chat\",\"upstream\":\"http://127.0.0.1:%d\","
             "\"input_price\":%d,\"output_price\":%d}],\"limits\":{\"max_inflight\":100000},"
             "\"store\":{\"synchronous\":\"%s\"}}",
             threads, w->dir, db, mport, IN_PRICE, OUT_PRICE, sync_normal ? "normal" : "full");
    if (zg_pcfg_load_text(&s->cfg, cfg, &err) ||
        zg_store_open(&s->store, s->cfg.database, s->cfg.sync_full, s->cfg.commit_max_batch, &err)) {
        fprintf(stderr, "set-up failed: %s\n", err.msg);
        return -1;
    }
    if (zg_accts_new(&s->accts, chain_fetch, &w->ch, 0)) {
        fprintf(stderr, "set-up failed: out of memory for the account cache\n");
        return -1;
    }
    zg_broker_deps d = {s->store, s->accts, &s->metrics, verify, w->verifier, NULL, NULL};
    if (zg_broker_start(&s->broker, &s->cfg, w->provider, &d, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static void side_stop(broker_side *s)
{
    zg_broker_stop(s->broker);
    zg_store_close(s->store);
    zg_accts_free(s->accts);
    zg_pcfg_free(&s->cfg);
}

int main(int argc, char **argv)
{
    size_t n = 20000, nc = 32;
    int threads = 2, stream = 0, max_tokens = 8, sync_normal = 0, unchecked_too = 0, rounds = 4, per_round = 0;
    double rate = 0;
    int c;
    while ((c = getopt(argc, argv, "n:c:r:R:t:sm:yuvh")) != -1) {
        switch (c) {
        case 'n': n = strtoul(optarg, NULL, 10); break;
        case 'c': nc = strtoul(optarg, NULL, 10); break;
        case 'r': rate = strtod(optarg, NULL); break;
        case 'R': rounds = atoi(optarg); break;
        case 't': threads = atoi(optarg); break;
        case 's': stream = 1; break;
        case 'm': max_tokens = atoi(optarg); break;
        case 'y': sync_normal = 1; break;
        case 'u': unchecked_too = 1; break;
        case 'v': per_round = 1; break;
        default:
            fprintf(stderr, "usage: bench_broker [-n requests per path] [-c connections] [-r rate/s] [-R rounds] "
                            "[-t broker threads] [-s stream] [-m max_tokens] [-y (synchronous=NORMAL)] "
                            "[-u (also a broker without signature check)] [-v (each round's p99 and max)]\n");
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
    char body[512];
    snprintf(body, sizeof body, BODY, max_tokens, stream ? ",\"stream\":true" : "");
    zg_u256 ip = zg_u256_from_u64(IN_PRICE), op = zg_u256_from_u64(OUT_PRICE);
    zg_fee_rule rule;
    zg_fee_rule_init(&rule, NULL, &ip, &op, &err);
    zg_eth_key pk;
    zg_address pa_addr;
    zg_eth_key_from_hex(&pk, "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", NULL);
    zg_eth_key_address(&pk, &pa_addr);
    memcpy(w.provider, pa_addr.b, 20);

    /* The direct path sends the same bytes every time (stride 0); the
     * broker's path one pre-signed request per nonce, one more per customer
     * than measured: the broker's warm-up. */
    size_t per_conn = n / nc;
    if (rounds < 1 || (size_t)rounds > per_conn) rounds = 1;
    path direct = {.name = "direct", .n_conn = nc, .stride = 0, .rate = rate};
    path relay = {.name = "relay", .n_conn = nc, .stride = 0, .rate = rate};
    path broker = {.name = "broker", .n_conn = nc, .stride = per_conn + 1, .rate = rate};
    path unchecked = {.name = "unchecked", .n_conn = nc, .stride = per_conn + 1, .rate = rate};
    direct.req = calloc(1, sizeof *direct.req);
    direct.req_len = calloc(1, sizeof *direct.req_len);
    broker.req = calloc(nc * broker.stride, sizeof *broker.req);
    broker.req_len = calloc(nc * broker.stride, sizeof *broker.req_len);
    direct.lat = calloc(nc * per_conn, sizeof *direct.lat);
    relay.lat = calloc(nc * per_conn, sizeof *relay.lat);
    broker.lat = calloc(nc * per_conn, sizeof *broker.lat);
    unchecked.lat = calloc(nc * per_conn, sizeof *unchecked.lat);
    w.ch.user = calloc(nc, 20);
    w.ch.signer = calloc(nc, 64);
    if (!direct.req || !direct.req_len || !broker.req || !broker.req_len || !direct.lat || !relay.lat || !broker.lat ||
        !unchecked.lat || !w.ch.user || !w.ch.signer)
        fail("out of memory");
    direct.req[0] = format_request("/v1/chat/completions", body, NULL, &direct.req_len[0]);
    relay.req = direct.req;  /* the relay passes the same bytes to the model */
    relay.req_len = direct.req_len;
    char plain[512];
    snprintf(plain, sizeof plain, BODY, max_tokens, "");
    uint64_t units = probe_units(mport, plain, &rule);
    fprintf(stderr, "pre-signing %zu requests for %zu customers (answer: %llu output units)...\n",
            nc * broker.stride, nc, (unsigned long long)units);
    if (!units || presign(&w, &broker, "/v1/proxy/chat/chat/completions", body, units, &rule)) {
        fprintf(stderr, "pre-signing failed\n");
        return 1;
    }

    /* the unchecked broker gets the same pre-signed bytes: its own database
     * keeps its own nonces, so each customer's sequence is new to it */
    unchecked.req = broker.req;
    unchecked.req_len = broker.req_len;
    if (zg_verifier_new(&w.verifier, nc + 16)) fail("out of memory for the signer keys");
    if (side_start(&w.checked, &w, "bench.db", threads, sync_normal, mport, zg_verifier_check) ||
        (unchecked_too &&
         side_start(&w.unchecked, &w, "unchecked.db", threads, sync_normal, mport, accept_any_signature)))
        return 1;
    bench_relay *hop = bench_relay_start(mport);
    if (!hop) return 1;

    printf("bench_broker: %zu requests per path in %d rounds, %zu connections, %s, rate %s, broker threads %d, "
           "%s answers, max_tokens %d, synchronous=%s%s\n", nc * per_conn, rounds, nc,
           rate > 0 ? "open loop" : "closed loop", rate > 0 ? "fixed" : "max", threads, stream ? "streamed" : "plain",
           max_tokens, sync_normal ? "NORMAL" : "FULL", unchecked_too ? ", and a broker without signature check" : "");
    /* warm-up: connections open, the broker's accounts cached and signer
     * keys prepared; then the paths take turns, so that all see the same
     * moments of a shared machine */
    enum { DIRECT, RELAY, BROKER, UNCHECKED, NPATHS };  /* unchecked last: it runs only with -u */
    path *paths[NPATHS] = {[DIRECT] = &direct, [RELAY] = &relay, [BROKER] = &broker, [UNCHECKED] = &unchecked};
    size_t np = unchecked_too ? NPATHS : UNCHECKED;
    path_open(&direct, mport);
    path_open(&relay, bench_relay_port(hop));
    path_open(&broker, zg_broker_port(w.checked.broker));
    if (unchecked_too) path_open(&unchecked, zg_broker_port(w.unchecked.broker));
    for (size_t i = 0; i < np; i++) path_block(paths[i], 1, 0);
    for (int r = 0; r < rounds; r++) {
        size_t block = per_conn / (size_t)rounds + (r + 1 == rounds ? per_conn % (size_t)rounds : 0);
        size_t from[NPATHS];
        for (size_t i = 0; i < np; i++) {
            from[i] = paths[i]->n_lat;
            path_block(paths[i], block, 1);
        }
        if (per_round) print_round(r, paths, from, np);
    }
    for (size_t i = 0; i < np; i++) path_close(paths[i]);
    bench_relay_stop(hop);
    result res[NPATHS];
    for (size_t i = 0; i < np; i++) {
        res[i] = path_result(paths[i]);
        print(paths[i]->name, &res[i]);
    }
    for (size_t i = 0; i < np; i++) print_threads(paths[i]);
    const result *dr = &res[DIRECT], *rr = &res[RELAY], *br = &res[BROKER];
    print_added("added", br, dr);
    print_added("hop", rr, dr);
    print_added("own", br, rr);
    if (unchecked_too) print_added("check", br, &res[UNCHECKED]);
    uint64_t commits, writes, queued;
    zg_store_stats(w.checked.store, &commits, &writes, &queued);
    printf("store     %llu writes in %llu commits (%.1f per fsync)\n", (unsigned long long)writes,
           (unsigned long long)commits, commits ? (double)writes / (double)commits : 0.0);
    unsigned long long ac = atomic_load(&w.checked.metrics.admit_count),
                       as = atomic_load(&w.checked.metrics.admit_sum_us);
    printf("admit     mean %.3f ms (checks + durable receipt, from the broker's own histogram)\n",
           ac ? (double)as / (double)ac / 1e3 : 0.0);
    if (!sync_normal) {
        double f50, f99;
        disk_sync_floor(w.dir, &f50, &f99);
        printf("disk      write + fdatasync of a receipt: p50 %.3f ms  p99 %.3f ms (the floor that FULL adds)\n",
               f50 * 1e3, f99 * 1e3);
    }
    printf("ratio     broker/direct p99 = %.2f, throughput = %.2f\n", dr->p99 > 0 ? br->p99 / dr->p99 : 0,
           dr->rps > 0 ? br->rps / dr->rps : 0);

    side_stop(&w.checked);
    if (unchecked_too) side_stop(&w.unchecked);
    zg_verifier_free(w.verifier);
    zg_model_server_stop(w.msrv);
    zg_ngram_free(w.model);
    free(direct.req[0]);
    for (size_t i = 0; i < nc * broker.stride; i++) free(broker.req[i]);
    free(direct.req); free(direct.req_len); free(direct.lat); free(relay.lat);
    free(broker.req); free(broker.req_len); free(broker.lat); free(unchecked.lat);
    free(w.ch.user); free(w.ch.signer);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", w.dir);
    if (system(cmd)) {}
    int failed = 0;
    for (size_t i = 0; i < np; i++) failed |= res[i].failed != 0;
    return failed;
}
