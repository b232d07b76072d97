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
 * ceil(255 / c) x (m + 2.5 x 2^(c-1)), in units of one batch-affine
 * addition (~6 multiplications; the two-level bucket reduction of
 * msm_tmpl.h costs about two of them per bucket, plus copies; 2.5 measured
 * best among 2, 2.5, 3 and 4.5 on settlement proofs). Counting only nonzero
 * scalars matters for Groth16: about a third of a circuit's witness is 0.
 */
static int msm_window(size_t m)
{
    int best = 2;
    double best_cost = 0;
    for (int c = 2; c <= 20; c++) {
        double cost = (double)((255 + c - 1) / c) * ((double)m + 2.5 * (double)((size_t)1 << (c - 1)));
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

/*
 * Signed digits in base 2^c, each in [-(2^(c-1) - 1), 2^(c-1)]: a window
 * whose bits plus the carry from below exceed half = 2^(c-1) borrows 2^c
 * from the next. Computed per window, without the windows below: the carry
 * into window w is 1 exactly when the scalar's low c w bits exceed
 * T_w = sum_{j<w} half 2^(c j) (by induction on w: the low bits exceed T_w
 * when window w-1's bits exceed half, or equal it with a carry into w-1).
 * So each thread recodes only the windows it runs. Scalars must be below
 * 2^254 (every Fr value is), so the top window never carries out.
 */
typedef struct digit_window {
    unsigned bit;        /* c w */
    int c;
    uint64_t t[4];       /* T_w */
} digit_window;

static void digit_window_init(digit_window *dw, int c, int w)
{
    memset(dw, 0, sizeof *dw);
    dw->bit = (unsigned)(c * w);
    dw->c = c;
    for (int j = 0; j < w; j++) {
        unsigned b = (unsigned)(c * j + c - 1);   /* half 2^(c j) = 2^(c j + c - 1) */
        if (b < 256) dw->t[b / 64] |= (uint64_t)1 << (b % 64);
    }
}

/* 1 when k mod 2^bit > t (both below 2^bit). */
static inline int low_bits_above(const uint64_t k[4], const uint64_t t[4], unsigned bit)
{
    for (int l = 3; l >= 0; l--) {
        unsigned lo = 64u * (unsigned)l;
        if (lo >= bit) continue;
        uint64_t kl = bit - lo < 64 ? k[l] & (((uint64_t)1 << (bit - lo)) - 1) : k[l];
        if (kl != t[l]) return kl > t[l];
    }
    return 0;
}

static inline int32_t signed_digit(const digit_window *dw, const uint64_t k[4])
{
    int32_t half = (int32_t)1 << (dw->c - 1);
    int32_t v = (int32_t)window_digit(k, dw->bit, dw->c) + low_bits_above(k, dw->t, dw->bit);
    return v > half ? v - ((int32_t)1 << dw->c) : v;
}

#define MSM_P zg_g1
#define MSM_FE zg_fq
#define MSM_F(op) zg_fq_##op
#define MSM_A zg_g1_aff
#define MSM_FN(n) g1_msm_##n
#define MSM_G(n) zg_g1_##n
#define MSM_FB_NAME zg_g1_batch_mul
#include "zk/msm_tmpl.h"
#undef MSM_P
#undef MSM_A
#undef MSM_FN
#undef MSM_G
#undef MSM_FE
#undef MSM_F
#undef MSM_FB_NAME

#define MSM_P zg_g2
#define MSM_FE zg_fq2
#define MSM_F(op) zg_fq2_##op
#define MSM_A zg_g2_aff
#define MSM_FN(n) g2_msm_##n
#define MSM_G(n) zg_g2_##n
#define MSM_FB_NAME zg_g2_batch_mul
#include "zk/msm_tmpl.h"

/* ---- running plans: one queue of windows over several MSMs ---------------- */

typedef struct msm_item {
    size_t task;             /* index in the caller's tasks */
    int g2;
    g1_msm_plan p1;
    g2_msm_plan p2;
    atomic_int next_window;
} msm_item;

typedef struct msm_run {
    msm_item *items;
    size_t n;
    atomic_int rc;
} msm_run;

/* Each thread works through the items in order, taking windows as they
 * come, so threads only wait for each other at the very end. */
static void *msm_worker(void *arg)
{
    msm_run *run = arg;
    for (size_t i = 0; i < run->n; i++) {
        msm_item *it = &run->items[i];
        int rc = it->g2 ? g2_msm_plan_work(&it->p2, &it->next_window)
                        : g1_msm_plan_work(&it->p1, &it->next_window);
        if (rc) atomic_store(&run->rc, rc);
    }
    return NULL;
}

static void msm_run_threads(msm_run *run, int nt)
{
    pthread_t tid[64];
    int created[64] = {0};
    for (int t = 1; t < nt; t++) created[t] = pthread_create(&tid[t], NULL, msm_worker, run) == 0;
    msm_worker(run);   /* a thread that could not start leaves its share to the others */
    for (int t = 1; t < nt; t++)
        if (created[t]) pthread_join(tid[t], NULL);
}

/* Prepares the items: G2 first, whose windows cost the most, so that the
 * cheap G1 windows fill in at the end. */
static int msm_plan_all(msm_item *items, const zg_msm_task *tasks, size_t n, size_t *total)
{
    size_t k = 0;
    *total = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (size_t i = 0; i < n; i++) {
            const zg_msm_task *t = &tasks[i];
            if (t->g2 != pass) continue;
            msm_item *it = &items[k++];
            it->task = i;
            it->g2 = t->g2;
            atomic_init(&it->next_window, 0);
            int rc = t->g2 ? g2_msm_plan_init(&it->p2, t->pts2, t->k, t->n)
                           : g1_msm_plan_init(&it->p1, t->pts1, t->k, t->n);
            if (rc) return rc;
            *total += t->g2 ? it->p2.m : it->p1.m;
        }
    return ZG_OK;
}

int zg_msm_many(const zg_msm_task *tasks, size_t n, int threads)
{
    msm_item *items = calloc(n ? n : 1, sizeof *items);
    if (!items) return ZG_ENOMEM;
    size_t total;
    int rc = msm_plan_all(items, tasks, n, &total);
    if (!rc) {
        msm_run run = {items, n, ZG_OK};
        msm_run_threads(&run, total < 64 ? 1 : zg_msm_threads(threads));
        rc = atomic_load(&run.rc);
    }
    for (size_t i = 0; i < n; i++) {
        msm_item *it = &items[i];
        const zg_msm_task *t = &tasks[it->task];
        if (!rc) {
            if (it->g2) g2_msm_plan_result(&it->p2, t->r2);
            else g1_msm_plan_result(&it->p1, t->r1);
        }
        g1_msm_plan_free(&it->p1);
        g2_msm_plan_free(&it->p2);
    }
    free(items);
    return rc;
}

int zg_msm_g1_canon(zg_g1 *r, const zg_g1_aff *pts, const uint64_t (*k)[4], size_t n, int threads)
{
    zg_msm_task t = {.pts1 = pts, .r1 = r, .k = k, .n = n};
    return zg_msm_many(&t, 1, threads);
}

int zg_msm_g2_canon(zg_g2 *r, const zg_g2_aff *pts, const uint64_t (*k)[4], size_t n, int threads)
{
    zg_msm_task t = {.g2 = 1, .pts2 = pts, .r2 = r, .k = k, .n = n};
    return zg_msm_many(&t, 1, threads);
}

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
