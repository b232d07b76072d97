/*
 * msm.h - multi-scalar multiplication sum_i k_i P_i on G1 and G2
 * (Pippenger's bucket method, windows spread over pthreads).
 *
 * Scalars are Fr elements (Montgomery form, as the witness is); points are
 * affine. Zero scalars and points at infinity are dropped first. Signed
 * base-2^c digits (2^(c-1) buckets per window); c minimises an estimate of
 * the cost for the number of nonzero scalars (msm.c). Buckets are
 * accumulated in affine coordinates with batched inversions (see
 * msm_tmpl.h). Threads take windows one at a time from a shared counter
 * (window costs differ) and share nothing else but the read-only inputs.
 * Variable time in the scalars (like every Groth16 prover's MSM).
 */
#ifndef ZG_ZK_MSM_H
#define ZG_ZK_MSM_H

#include <stddef.h>

#include "zk/g1.h"
#include "zk/g2.h"

/* threads = 0 picks the number of online CPUs. ZG_ENOMEM / ZG_EINTERNAL
 * (thread creation) on failure; r is then unspecified. */
int zg_msm_g1(zg_g1 *r, const zg_g1_aff *pts, const zg_fr *k, size_t n, int threads);
int zg_msm_g2(zg_g2 *r, const zg_g2_aff *pts, const zg_fr *k, size_t n, int threads);

/* The same with canonical little-endian 4x64 scalars (already out of
 * Montgomery), each below 2^254 as every Fr value is. */
int zg_msm_g1_canon(zg_g1 *r, const zg_g1_aff *pts, const uint64_t (*k)[4], size_t n, int threads);
int zg_msm_g2_canon(zg_g2 *r, const zg_g2_aff *pts, const uint64_t (*k)[4], size_t n, int threads);

/* Several MSMs at once (a Groth16 proof needs five): the threads share one
 * queue of windows over all of them, so none waits between two MSMs.
 * Scalars are canonical (as for the _canon functions). ZG_ENOMEM,
 * ZG_ERANGE (a task of more than 2^32 points); results are then unspecified. */
typedef struct zg_msm_task {
    int g2;                    /* 0: pts1 -> *r1 on G1; 1: pts2 -> *r2 on G2 */
    const zg_g1_aff *pts1;
    zg_g1 *r1;
    const zg_g2_aff *pts2;
    zg_g2 *r2;
    const uint64_t (*k)[4];
    size_t n;
} zg_msm_task;
int zg_msm_many(const zg_msm_task *tasks, size_t n_tasks, int threads);

/* Fixed-base: out[i] = k[i] * base (affine), for n scalars; used by setups
 * (a 32 x 255 window table, threads split the scalars). ZG_ENOMEM. */
int zg_g1_batch_mul(zg_g1_aff *out, const zg_g1 *base, const zg_fr *k, size_t n, int threads);
int zg_g2_batch_mul(zg_g2_aff *out, const zg_g2 *base, const zg_fr *k, size_t n, int threads);

/* The number of threads to use for `threads` (0 = online CPUs, at most 64). */
int zg_msm_threads(int threads);

#endif
