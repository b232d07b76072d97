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
