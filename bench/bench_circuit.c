/*
 * bench_circuit.c - the settlement circuit: constraints per slot and witness
 * generation (build, CPU) time per slot for several sizes (all slots filled
 * with receipts signed by our native EdDSA; the witness is checked), beside circomlibjs'
 * verifyPoseidon time per signature measured in the same run (node), which
 * computes the same curve arithmetic natively in JavaScript.
 *
 * usage: bench_circuit [max_slots]   (default 64; 1024 needs ~2 GB of memory)
 * Run from the repository root with NODE_PATH=node_modules for the baseline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zk/eddsa.h"
#include "zk/poseidon.h"
#include "zk/settle_circuit.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* circomlibjs verifyPoseidon: seconds per signature, or < 0 when node fails. */
static double circomlibjs_verify_seconds(int n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "node -e \"const c=require('circomlibjs');(async()=>{const e=await c.buildEddsa();"
             "const F=e.babyJub.F;const k=Buffer.alloc(32,7);const A=e.prv2pub(k);"
             "const s=e.signPoseidon(k,F.e(12345n));const t=process.hrtime.bigint();"
             "for(let i=0;i<%d;i++)e.verifyPoseidon(F.e(12345n),s,A);"
             "console.log(Number(process.hrtime.bigint()-t)/1e9/%d)})()\" 2>/dev/null",
             n, n);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    double s = -1;
    if (fscanf(f, "%lf", &s) != 1)
        s = -1;
    if (pclose(f) != 0)
        s = -1;
    return s;
}

/* n receipts with real signatures (our native EdDSA), so that the witness
 * computation does real field work (dummy zeros would flatter it). */
static zg_settle_receipt *signed_receipts(zg_settle_input *in, unsigned n)
{
    uint8_t prv[32];
    for (int i = 0; i < 32; i++)
        prv[i] = (uint8_t)(i * 7 + 1);
    memset(in, 0, sizeof *in);
    for (int i = 0; i < 20; i++) {
        in->user[i] = (uint8_t)(0x10 + i);
        in->provider[i] = (uint8_t)(0x80 + i);
    }
    zg_bj_point a;
    zg_eddsa_public_key(&a, prv);
    in->signer_x = a.x;
    in->signer_y = a.y;
    zg_settle_receipt *rs = calloc(n, sizeof *rs);
    if (!rs)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        zg_settle_receipt *r = &rs[i];
        r->nonce = 1000 + 3 * (uint64_t)i;
        r->fee.w[0] = 123456789 + i;
        zg_fr_set_u64(&r->request_hash, 0xabcdef + i);
        zg_fr msg[5], m;
        zg_fr_from_bytes_reduce(&msg[0], in->user, 20);
        zg_fr_from_bytes_reduce(&msg[1], in->provider, 20);
        zg_fr_set_u64(&msg[2], r->nonce);
        zg_fr_set_u64(&msg[3], r->fee.w[0]);
        msg[4] = r->request_hash;
        zg_poseidon(&m, msg, 5, NULL);
        zg_eddsa_sig sig;
        zg_eddsa_sign(&sig, prv, &m);
        r->r8x = sig.r8.x;
        r->r8y = sig.r8.y;
        zg_fr_from_canonical(&r->s, sig.s, NULL);
    }
    in->receipts = rs;
    in->n_receipts = n;
    return rs;
}

int main(int argc, char **argv)
{
    unsigned max = argc > 1 ? (unsigned)atoi(argv[1]) : 64;
    zg_err err;
    uint32_t fixed, per_slot;
    if (zg_settle_circuit_cost(&fixed, &per_slot, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("settlement circuit: %u constraints per slot + %u per circuit\n", per_slot, fixed);
    printf("  circomlib EdDSAPoseidonVerifier alone: 4207 -> ratio %.2f (ours: a whole slot, receipt hash and nonce/fee checks included)\n",
           per_slot / 4207.0);
    double js = circomlibjs_verify_seconds(20);
    if (js > 0)
        printf("baseline circomlibjs verifyPoseidon: %.2f ms per signature\n", js * 1e3);
    else
        printf("baseline circomlibjs: node unavailable (set NODE_PATH=node_modules)\n");
    printf("%8s %12s %10s %10s %10s %14s %12s\n", "slots", "constraints", "wires", "wall s", "cpu s",
           "cpu ms/slot", "vs js verify");
    for (unsigned n = 4; n <= max; n *= 4) {
        zg_r1cs r;
        zg_settle_input in;
        zg_settle_receipt *rs = signed_receipts(&in, n);
        if (!rs)
            return 1;
        double t0 = now();
        clock_t c0 = clock();
        int rc = zg_settle_circuit_build(n, &in, &r, &err);
        double dt = now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        free(rs);
        if (rc || zg_r1cs_check(&r, r.witness, NULL, &err)) {
            fprintf(stderr, "%u slots: %s\n", n, err.msg);
            return 1;
        }
        double per = cpu / n;   /* CPU time: the machine is shared */
        printf("%8u %12u %10u %10.3f %10.3f %14.3f", n, r.n_constraints, r.n_wires, dt, cpu, per * 1e3);
        if (js > 0)
            printf(" %11.2fx", js / per);
        printf("\n");
        zg_r1cs_free(&r);
    }
    return 0;
}
