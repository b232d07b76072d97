/*
 * bench_groth16.c - our Groth16 stack beside snarkjs 0.7.6, in one run, on the
 * same inputs:
 *   - proving: the real settlement circuit of N slots (default 4) filled with
 *     N valid signed receipts; our prover vs `snarkjs.groth16.prove` on our
 *     key exported as .zkey and our witness exported as .wtns (so both prove
 *     the very same statement with the very same key); per receipt = / N;
 *   - setup: our dev setup vs snarkjs `zkey new` (groth16 setup) from a
 *     powers-of-tau file (only with --snarkjs-setup: making the ptau takes
 *     minutes; its phase-1 time is not counted for snarkjs);
 *   - MSM: G1, 2^16 points, same bases and scalars (results compared);
 *   - NTT: 2^16 and 2^18 Fr elements, same input.
 * Run from the repository root (node finds bench/bench_groth16.js; NODE_PATH
 * must reach node_modules, e.g. NODE_PATH=$PWD/node_modules).
 *   bench_groth16 [N] [--snarkjs-setup]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "zk/eddsa.h"
#include "zk/groth16.h"
#include "zk/msm.h"
#include "zk/ntt.h"
#include "zk/poseidon.h"
#include "zk/r1cs_export.h"
#include "zk/settle_circuit.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t rng = 0x853c49e6748fea9bULL;
static void rand_fr(zg_fr *r)
{
    uint8_t b[48];
    for (int i = 0; i < 48; i++) {
        rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
        b[i] = (uint8_t)rng;
    }
    zg_fr_from_bytes_reduce(r, b, sizeof b);
}

/* Runs the node baseline and returns the value of line `key`, or -1. */
static double node_value(const char *dir, const char *args, const char *key, char *extra, size_t extra_len)
{
    char cmd[1024], line[512], want[64];
    snprintf(cmd, sizeof cmd, "node bench/bench_groth16.js %s %s 2>&1", dir, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    double v = -1;
    snprintf(want, sizeof want, "%s ", key);
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, want, strlen(want)) == 0) v = atof(line + strlen(want));
        else if (extra && strncmp(line, "msm_g1_x ", 9) == 0) snprintf(extra, extra_len, "%s", line + 9);
        else if (strstr(line, "Error")) fprintf(stderr, "node: %s", line);
    }
    pclose(p);
    return v;
}

/* N receipts signed natively by one Baby Jubjub key (circomlibjs-compatible). */
static int make_input(unsigned n, zg_settle_input *in, zg_settle_receipt *rs)
{
    uint8_t prv[32];
    for (int i = 0; i < 32; i++) prv[i] = (uint8_t)(i * 7 + 1);
    memset(in, 0, sizeof *in);
    for (int i = 0; i < 20; i++) {
        in->user[i] = (uint8_t)(0xa0 + i);
        in->provider[i] = (uint8_t)(0x10 + i);
    }
    zg_bj_point a;
    zg_eddsa_public_key(&a, prv);
    in->signer_x = a.x;
    in->signer_y = a.y;
    zg_fr user, prov;
    zg_fr_from_bytes_reduce(&user, in->user, 20);
    zg_fr_from_bytes_reduce(&prov, in->provider, 20);
    for (unsigned i = 0; i < n; i++) {
        zg_settle_receipt *r = &rs[i];
        memset(r, 0, sizeof *r);
        r->nonce = 100 + 3 * i;
        r->fee = zg_u256_from_u64(1000000 + i);
        zg_fr_set_u64(&r->request_hash, 0x5eed0000u + i);
        zg_fr m, msg[5], fee;
        zg_fr_set_u64(&fee, 1000000 + i);
        msg[0] = user;
        msg[1] = prov;
        zg_fr_set_u64(&msg[2], r->nonce);
        msg[3] = fee;
        msg[4] = r->request_hash;
        if (zg_poseidon(&m, msg, 5, NULL)) return -1;
        zg_eddsa_sig sig;
        zg_eddsa_sign(&sig, prv, &m);
        r->r8x = sig.r8.x;
        r->r8y = sig.r8.y;
        if (zg_fr_from_canonical(&r->s, sig.s, NULL)) return -1;
    }
    in->n_receipts = n;
    in->receipts = rs;
    return 0;
}

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return zg_write_file(path, p, n, NULL) == ZG_OK ? 0 : -1;
}

static void bench_msm(const char *dir)
{
    size_t n = 1 << 16;
    zg_fr *k = malloc(n * sizeof *k), *s = malloc(n * sizeof *s);
    zg_g1_aff *pts = malloc(n * sizeof *pts);
    uint8_t *sc = malloc(n * 32);
    zg_g1 g, r;
    zg_g1_generator(&g);
    for (size_t i = 0; i < n; i++) {
        rand_fr(&k[i]);
        rand_fr(&s[i]);
    }
    zg_g1_batch_mul(pts, &g, k, n, 0);
    for (size_t i = 0; i < n; i++) zg_fr_to_bytes_le(sc + 32 * i, &s[i]);
    write_file(dir, "msm_bases.bin", pts, n * sizeof *pts);   /* our limbs = ffjavascript's LEM */
    write_file(dir, "msm_scalars.bin", sc, n * 32);
    double t = now_ms();
    zg_msm_g1(&r, pts, s, n, 0);
    double ours = now_ms() - t;
    zg_g1_aff ra;
    zg_g1_to_affine(&ra, &r);
    char ourx[80], theirx[600] = "";
    zg_fq_to_dec(ourx, &ra.x);
    char args[64];
    snprintf(args, sizeof args, "msm %zu", n);
    double theirs = node_value(dir, args, "msm_g1", theirx, sizeof theirx);
    theirx[strcspn(theirx, "\n")] = 0;
    printf("MSM G1 2^16: ours %.1f ms (%.2f Mpts/s), snarkjs %.1f ms -> %.2fx  [results %s]\n", ours,
           n / ours / 1e3, theirs, theirs / ours, strcmp(ourx, theirx) == 0 ? "equal" : "DIFFER");
    free(k);
    free(s);
    free(pts);
    free(sc);
}

static void bench_ntt(const char *dir)
{
    for (unsigned lg = 16; lg <= 18; lg += 2) {
        size_t n = (size_t)1 << lg;
        zg_ntt_domain d;
        zg_fr *a = malloc(n * sizeof *a);
        for (size_t i = 0; i < n; i++) rand_fr(&a[i]);
        write_file(dir, "ntt_in.bin", a, n * sizeof *a);   /* Montgomery limbs, as ffjavascript holds Fr */
        zg_ntt_domain_init(&d, lg, NULL);
        double t = now_ms();
        zg_ntt_forward(&d, a);
        double ours = now_ms() - t;
        char args[64];
        snprintf(args, sizeof args, "ntt %zu", n);
        double theirs = node_value(dir, args, "ntt", NULL, 0);
        printf("NTT 2^%u: ours %.1f ms (%.2f Melem/s), snarkjs %.1f ms -> %.2fx\n", lg, ours, n / ours / 1e3,
               theirs, theirs / ours);
        zg_ntt_domain_free(&d);
        free(a);
    }
}

int main(int argc, char **argv)
{
    unsigned n_slots = 4;
    int snark_setup = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--snarkjs-setup") == 0) snark_setup = 1;
        else n_slots = (unsigned)atoi(argv[i]);
    }
    if (n_slots < 1 || n_slots > 256) n_slots = 4;
    zg_err err;
    char dir[] = "/tmp/zg_bench_groth16_XXXXXX";
    if (!mkdtemp(dir)) return 1;
    zg_settle_receipt *rs = calloc(n_slots, sizeof *rs);
    zg_settle_input in;
    zg_r1cs cs;
    if (make_input(n_slots, &in, rs) || zg_settle_circuit_build(n_slots, &in, &cs, &err) ||
        zg_r1cs_check(&cs, cs.witness, NULL, &err)) {
        fprintf(stderr, "building the settlement circuit failed: %s\n", err.msg);
        return 1;
    }
    FILE *la = fopen("/proc/loadavg", "r");
    char load[64] = "?";
    if (la) {
        if (!fgets(load, sizeof load, la)) snprintf(load, sizeof load, "?");
        fclose(la);
    }
    load[strcspn(load, "\n")] = 0;
    printf("load average at start: %s (both sides share the machine; ratios are what counts)\n", load);
    printf("settlement circuit, %u slots: %u constraints, %u wires, domain 2^%u\n", n_slots, cs.n_constraints,
           cs.n_wires, zg_groth16_domain_log(cs.n_constraints, cs.n_public));

    zg_groth16_pk pk;
    double t = now_ms();
    if (zg_groth16_setup_dev(&pk, &cs, 0, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    double our_setup = now_ms() - t;

    const int reps = 3;
    zg_groth16_proof proof;
    zg_groth16_prove(&proof, &pk, &cs, NULL, 0, &err);   /* warm-up */
    double sum = 0, best = 1e30;
    for (int r = 0; r < reps; r++) {
        t = now_ms();
        if (zg_groth16_prove(&proof, &pk, &cs, NULL, 0, &err)) {
            fprintf(stderr, "prove: %s\n", err.msg);
            return 1;
        }
        double dt = now_ms() - t;
        sum += dt;
        if (dt < best) best = dt;
    }
    int ok = zg_groth16_verify(&pk.vk, cs.witness + 1, 5, &proof, &err) == ZG_OK;
    double our_prove = sum / reps;

    char path[512];
    snprintf(path, sizeof path, "%s/c.zkey", dir);
    zg_groth16_zkey_export(&pk, &cs, path, &err);
    snprintf(path, sizeof path, "%s/c.wtns", dir);
    zg_r1cs_write_wtns(cs.witness, cs.n_wires, path, &err);
    snprintf(path, sizeof path, "%s/c.r1cs", dir);
    zg_r1cs_write_r1cs(&cs, path, &err);
    char args[64];
    snprintf(args, sizeof args, "prove %d", reps);
    double their_prove = node_value(dir, args, "prove_mean", NULL, 0);
    printf("prove (%u receipts): ours %.1f ms (best %.1f, verifies: %s), snarkjs %.1f ms -> %.2fx\n", n_slots,
           our_prove, best, ok ? "yes" : "NO", their_prove, their_prove / our_prove);
    printf("prove per receipt: ours %.1f ms, snarkjs %.1f ms\n", our_prove / n_slots, their_prove / n_slots);

    double their_setup = -1;
    if (snark_setup) {
        char cmd[1024];
        unsigned pw = zg_groth16_domain_log(cs.n_constraints, cs.n_public) + 1;
        snprintf(cmd, sizeof cmd,
                 "cd %s && node %s/node_modules/snarkjs/cli.js powersoftau new bn128 %u pot0.ptau >/dev/null 2>&1 &&"
                 " node %s/node_modules/snarkjs/cli.js powersoftau prepare phase2 pot0.ptau pot.ptau >/dev/null 2>&1",
                 dir, getenv("ZG_ROOT") ? getenv("ZG_ROOT") : ".", pw, getenv("ZG_ROOT") ? getenv("ZG_ROOT") : ".");
        if (system(cmd) == 0) their_setup = node_value(dir, "setup", "setup", NULL, 0);
    }
    if (their_setup > 0)
        printf("setup: ours (dev, phases 1+2) %.1f ms, snarkjs groth16 setup (phase 2 from a ready ptau) %.1f ms -> %.2fx\n",
               our_setup, their_setup, their_setup / our_setup);
    else
        printf("setup: ours (dev, phases 1+2) %.1f ms; snarkjs not measured (pass --snarkjs-setup)\n", our_setup);

    bench_msm(dir);
    bench_ntt(dir);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    zg_groth16_pk_free(&pk);
    zg_r1cs_free(&cs);
    free(rs);
    return 0;
}
