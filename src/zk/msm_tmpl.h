/*
 * msm_tmpl.h - Pippenger MSM written once for G1 and G2 (see msm.h).
 * Included by msm.c with MSM_P (Jacobian type), MSM_A (affine type) and
 * MSM_G(n) (group function names), MSM_FN(n) (private names) and MSM_NAME
 * (the exported name) defined.
 */

typedef struct MSM_FN(job) {
    const MSM_A *pts;
    const uint64_t (*k)[4];
    size_t n;
    int c, n_windows, first, step;
    MSM_P *window_sum;   /* one per window */
    int rc;
} MSM_FN(job);

static void *MSM_FN(worker)(void *arg)
{
    MSM_FN(job) *j = arg;
    size_t nb = ((size_t)1 << j->c) - 1;
    MSM_P *bucket = malloc(nb * sizeof *bucket);
    if (!bucket) { j->rc = ZG_ENOMEM; return NULL; }
    for (int w = j->first; w < j->n_windows; w += j->step) {
        for (size_t b = 0; b < nb; b++) MSM_G(set_inf)(&bucket[b]);
        unsigned bit = (unsigned)w * (unsigned)j->c;
        for (size_t i = 0; i < j->n; i++) {
            uint64_t d = window_digit(j->k[i], bit, j->c);
            if (d) MSM_G(add_affine)(&bucket[d - 1], &bucket[d - 1], &j->pts[i]);
        }
        /* sum_d d * bucket[d-1] by running sums from the top. */
        MSM_P run, acc;
        MSM_G(set_inf)(&run);
        MSM_G(set_inf)(&acc);
        for (size_t b = nb; b-- > 0;) {
            MSM_G(add)(&run, &run, &bucket[b]);
            MSM_G(add)(&acc, &acc, &run);
        }
        j->window_sum[w] = acc;
    }
    free(bucket);
    return NULL;
}

int MSM_NAME(MSM_P *r, const MSM_A *pts, const uint64_t (*k)[4], size_t n, int threads)
{
    int c = msm_window(n);
    int nw = (254 + c - 1) / c;
    int nt = zg_msm_threads(threads);
    if (nt > nw) nt = nw;
    if (n < 64) nt = 1;
    MSM_P *ws = malloc((size_t)nw * sizeof *ws);
    MSM_FN(job) *jobs = calloc((size_t)nt, sizeof *jobs);
    pthread_t *tid = calloc((size_t)nt, sizeof *tid);
    int rc = ZG_OK;
    if (!ws || !jobs || !tid) { rc = ZG_ENOMEM; goto out; }
    int started = 0;
    for (int t = 0; t < nt; t++) {
        jobs[t] = (MSM_FN(job)){pts, k, n, c, nw, t, nt, ws, ZG_OK};
        if (t > 0) {
            if (pthread_create(&tid[t], NULL, MSM_FN(worker), &jobs[t]) != 0) {
                jobs[t].rc = ZG_EINTERNAL;
                break;
            }
            started = t;
        }
    }
    MSM_FN(worker)(&jobs[0]);
    for (int t = 1; t <= started; t++) pthread_join(tid[t], NULL);
    for (int t = 0; t < nt; t++)
        if (jobs[t].rc) rc = jobs[t].rc;
    if (rc) goto out;
    MSM_G(set_inf)(r);
    for (int w = nw; w-- > 0;) {
        for (int i = 0; i < c; i++) MSM_G(dbl)(r, r);
        MSM_G(add)(r, r, &ws[w]);
    }
out:
    free(ws);
    free(jobs);
    free(tid);
    return rc;
}

/* Fixed-base batch multiplication out[i] = k[i] * base, for a setup that
 * multiplies one generator by many scalars: a table of d * 2^(8w) * base
 * (32 windows of 255 affine points) turns each product into 32 additions. */
typedef struct MSM_FN(fbjob) {
    const MSM_A *table;
    const zg_fr *k;
    MSM_P *out;
    size_t lo, hi;
} MSM_FN(fbjob);

static void *MSM_FN(fbworker)(void *arg)
{
    MSM_FN(fbjob) *j = arg;
    for (size_t i = j->lo; i < j->hi; i++) {
        uint64_t c[4];
        zg_fr_to_canonical(c, &j->k[i]);
        MSM_G(set_inf)(&j->out[i]);
        for (int w = 0; w < 32; w++) {
            unsigned d = (unsigned)(c[w / 8] >> (8 * (w % 8))) & 0xff;
            if (d) MSM_G(add_affine)(&j->out[i], &j->out[i], &j->table[w * 255 + d - 1]);
        }
    }
    return NULL;
}

int MSM_FB_NAME(MSM_A *out, const MSM_P *base, const zg_fr *k, size_t n, int threads)
{
    int rc = ZG_ENOMEM;
    MSM_P *jt = malloc(32 * 255 * sizeof *jt);
    MSM_A *table = malloc(32 * 255 * sizeof *table);
    MSM_P *res = malloc((n ? n : 1) * sizeof *res);
    if (!jt || !table || !res) goto out;
    MSM_P b = *base;
    for (int w = 0; w < 32; w++) {
        jt[w * 255] = b;
        for (int d = 1; d < 255; d++) MSM_G(add)(&jt[w * 255 + d], &jt[w * 255 + d - 1], &b);
        for (int i = 0; i < 8; i++) MSM_G(dbl)(&b, &b);
    }
    if ((rc = MSM_G(batch_to_affine)(table, jt, 32 * 255))) goto out;
    int nt = zg_msm_threads(threads);
    if (n < 256) nt = 1;
    MSM_FN(fbjob) jobs[64];
    pthread_t tid[64];
    int created[64] = {0};
    for (int t = 0; t < nt; t++) {
        jobs[t] = (MSM_FN(fbjob)){table, k, res, n * (size_t)t / (size_t)nt, n * (size_t)(t + 1) / (size_t)nt};
        if (t > 0) created[t] = pthread_create(&tid[t], NULL, MSM_FN(fbworker), &jobs[t]) == 0;
    }
    MSM_FN(fbworker)(&jobs[0]);
    for (int t = 1; t < nt; t++) {
        if (created[t]) pthread_join(tid[t], NULL);
        else MSM_FN(fbworker)(&jobs[t]);   /* no thread: do that share here */
    }
    rc = MSM_G(batch_to_affine)(out, res, n);
out:
    free(jt);
    free(table);
    free(res);
    return rc;
}
