/*
 * msm.c - Pippenger multi-scalar multiplication on G1 and G2 (see msm.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zk/fq_inv.h"
#include "zk/msm.h"

int zg_msm_threads(int threads)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    return threads > 64 ? 64 : threads;
}

/*
 * Window bits for m nonzero scalars: the c that minimises the estimated
 * cost, windows x (bucket additions + bucket reduction) =
 * ceil(255 / c) x (m + 4.5 x 2^(c-1)), in units of one batch-affine
 * addition (~6 multiplications; the reduction's two Jacobian additions per
 * bucket cost ~27). Counting only nonzero scalars matters for Groth16: about
 * a third of a circuit's witness is 0.
 */
static int msm_window(size_t m)
{
    int best = 2;
    double best_cost = 0;
    for (int c = 2; c <= 20; c++) {
        double cost = (double)((255 + c - 1) / c) * ((double)m + 4.5 * (double)((size_t)1 << (c - 1)));
        if (c == 2 || cost < best_cost) { best = c; best_cost = cost; }
    }
    return best;
}

/* Bits [bit, bit + c) of the 256-bit little-endian k. */
static inline uint64_t window_digit(const uint64_t k[4], unsigned bit, int c)
{
    unsigned limb = bit / 64, off = bit % 64;
    if (limb >= 4) return 0;
    uint64_t v = k[limb] >> off;
    if (off + (unsigned)c > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - off);
    return v & (((uint64_t)1 << c) - 1);
}

/* Signed digits of k in base 2^c, nw of them (c nw >= 255), each in
 * [-(2^(c-1) - 1), 2^(c-1)]: a digit above 2^(c-1) borrows 2^c from the next. */
static void signed_digits(int32_t *d, const uint64_t k[4], int c, int nw)
{
    int32_t carry = 0, half = (int32_t)1 << (c - 1);
    for (int w = 0; w < nw; w++) {
        int32_t v = (int32_t)window_digit(k, (unsigned)(w * c), c) + carry;
        carry = v > half;
        d[w] = carry ? v - ((int32_t)1 << c) : v;
    }
}

#define MSM_P zg_g1
#define MSM_FE zg_fq
#define MSM_F(op) zg_fq_##op
#define MSM_A zg_g1_aff
#define MSM_FN(n) g1_msm_##n
#define MSM_G(n) zg_g1_##n
#define MSM_NAME zg_msm_g1_canon
#define MSM_FB_NAME zg_g1_batch_mul
#include "zk/msm_tmpl.h"
#undef MSM_P
#undef MSM_A
#undef MSM_FN
#undef MSM_G
#undef MSM_FE
#undef MSM_F
#undef MSM_NAME
#undef MSM_FB_NAME

#define MSM_P zg_g2
#define MSM_FE zg_fq2
#define MSM_F(op) zg_fq2_##op
#define MSM_A zg_g2_aff
#define MSM_FN(n) g2_msm_##n
#define MSM_G(n) zg_g2_##n
#define MSM_NAME zg_msm_g2_canon
#define MSM_FB_NAME zg_g2_batch_mul
#include "zk/msm_tmpl.h"

static uint64_t (*to_canon(const zg_fr *k, size_t n))[4]
{
    uint64_t (*c)[4] = malloc((n ? n : 1) * sizeof *c);
    if (!c) return NULL;
    for (size_t i = 0; i < n; i++) zg_fr_to_canonical(c[i], &k[i]);
    return c;
}

int zg_msm_g1(zg_g1 *r, const zg_g1_aff *pts, const zg_fr *k, size_t n, int threads)
{
    uint64_t (*c)[4] = to_canon(k, n);
    if (!c) return ZG_ENOMEM;
    int rc = zg_msm_g1_canon(r, pts, (const uint64_t (*)[4])c, n, threads);
    free(c);
    return rc;
}

int zg_msm_g2(zg_g2 *r, const zg_g2_aff *pts, const zg_fr *k, size_t n, int threads)
{
    uint64_t (*c)[4] = to_canon(k, n);
    if (!c) return ZG_ENOMEM;
    int rc = zg_msm_g2_canon(r, pts, (const uint64_t (*)[4])c, n, threads);
    free(c);
    return rc;
}
