/*
 * bench/bench_zk.c - native ZK primitives vs circomlibjs (owner h4).
 *
 * Measures, on one core: Fr multiplication, Poseidon(5), EdDSA-Poseidon sign,
 * verify with a prepared key (the broker's hot path), verify from a bare key
 * (subgroup check included), and prints each beside circomlibjs measured in
 * the same run by bench/bench_zk.js (node), with the ratio.
 * Both sides are timed in CPU time of the running thread/process (not wall
 * clock), so a busy shared machine distorts the figures less.
 * Run from the repository root or set ZG_ROOT; NODE_PATH must reach
 * node_modules (e.g. NODE_PATH=$PWD/node_modules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zk/eddsa.h"
#include "zk/poseidon.h"

static double now(void)
{
    struct timespec ts;
    /* CPU time of this thread: the machine is shared, and the figure asked
     * for is throughput per core, not per wall-clock second. */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs fn in batches until min_s seconds passed; returns operations/s. */
#define RATE(min_s, body) RATE_BATCH(min_s, 16, body)
/* batch: operations between two clock reads (reading the CPU clock costs
 * about a microsecond, so cheap operations need large batches). */
#define RATE_BATCH(min_s, batch, body)                                     \
    ({                                                                     \
        double t0_ = now(), dt_;                                           \
        long n_ = 0;                                                       \
        do {                                                               \
            for (int i_ = 0; i_ < (batch); i_++) { body; }                 \
            n_ += (batch);                                                 \
            dt_ = now() - t0_;                                             \
        } while (dt_ < (min_s));                                           \
        (double)n_ / dt_;                                                  \
    })

static double js_rate(const char *out, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, name, n) == 0 && p[n] == ' ') return atof(p + n + 1);
    }
    return 0;
}

static void row(const char *name, double c, double js)
{
    if (js > 0)
        printf("%-26s %14.0f /s   circomlibjs %12.0f /s   ratio %8.1fx\n", name, c, js, c / js);
    else
        printf("%-26s %14.0f /s   circomlibjs %12s\n", name, c, "n/a");
}

int main(void)
{
    /* circomlibjs first, so the two never compete for the core. */
    const char *root = getenv("ZG_ROOT");
    char cmd[4096], js[4096] = "";
    snprintf(cmd, sizeof cmd, "node '%s/bench/bench_zk.js'", root ? root : ".");
    FILE *pp = popen(cmd, "r");
    if (pp) {
        size_t n = fread(js, 1, sizeof js - 1, pp);
        js[n] = 0;
        if (pclose(pp) != 0) js[0] = 0;
    }
    if (!js[0]) fprintf(stderr, "bench_zk: circomlibjs baseline unavailable (node, NODE_PATH?)\n");

    zg_fr a, b;
    zg_fr_set_u64(&a, 123456789);
    zg_fr_set_u64(&b, 987654321);
    double mul = RATE_BATCH(0.3, 4096, zg_fr_mul(&a, &a, &b));

    zg_fr in[5];
    for (int i = 0; i < 5; i++) zg_fr_set_u64(&in[i], (uint64_t)i + 1);
    double pos = RATE(0.3, zg_poseidon(&in[0], in, 5, NULL));

    uint8_t prv[32];
    memset(prv, 7, sizeof prv);
    zg_fr msg;
    zg_fr_set_u64(&msg, 42);
    zg_eddsa_sig sig;
    zg_bj_point pub;
    zg_eddsa_public_key(&pub, prv);
    zg_eddsa_sign(&sig, prv, &msg);
    double sign = RATE(0.5, zg_eddsa_sign(&sig, prv, &msg));

    zg_eddsa_pubkey *pk = malloc(sizeof *pk);
    if (!pk || zg_eddsa_pubkey_prepare(pk, &pub, NULL) != ZG_OK) {
        fprintf(stderr, "bench_zk: prepare failed\n");
        return 1;
    }
    int bad = 0;
    uint8_t packed[64];
    zg_eddsa_sig_pack(packed, &sig);
    double ver = RATE(0.5, bad |= zg_eddsa_verify_prepared(pk, &msg, &sig, NULL));
    double verp = RATE(0.5, bad |= zg_eddsa_verify_packed(pk, &msg, packed, NULL));
    double verb = RATE(0.5, bad |= zg_eddsa_verify(&pub, &msg, &sig, NULL));
    double prep = RATE(0.3, bad |= zg_eddsa_pubkey_prepare(pk, &pub, NULL));
    free(pk);
    if (bad) {
        fprintf(stderr, "bench_zk: a verification failed\n");
        return 1;
    }
    printf("zg-serving ZK primitives, one core (circomlibjs 0.1.7 in the same run)\n");
    row("Fr multiplication", mul, js_rate(js, "fr_mul"));
    row("Poseidon(5)", pos, js_rate(js, "poseidon5"));
    row("EdDSA sign", sign, js_rate(js, "sign"));
    row("EdDSA verify (prepared)", ver, js_rate(js, "verify"));
    row("EdDSA verify (packed sig)", verp, js_rate(js, "verify"));
    row("EdDSA verify (bare key)", verb, js_rate(js, "verify"));
    row("EdDSA key prepare", prep, 0);
    printf("Poseidon(5): %.2f us; verify (prepared): %.1f us\n", 1e6 / pos, 1e6 / ver);
    return 0;
}
