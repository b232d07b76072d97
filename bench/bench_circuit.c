/*
 * bench_circuit.c - the settlement circuit: constraints per slot and witness
 * generation (build, CPU) time per slot for several sizes, beside circomlibjs'
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
        double t0 = now();
        clock_t c0 = clock();
        int rc = zg_settle_circuit_shape(n, &r, &err);
        double dt = now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        if (rc) {
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
