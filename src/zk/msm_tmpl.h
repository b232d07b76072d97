/*
 * msm_tmpl.h - Pippenger MSM written once for G1 and G2 (see msm.h).
 * Included by msm.c with MSM_P (Jacobian type), MSM_A (affine type), MSM_FE
 * and MSM_F(op) (the coordinate field), MSM_G(n) (group function names),
 * MSM_FN(n) (private names) and MSM_FB_NAME (the exported fixed-base
 * function). msm.c runs the plans (zg_msm_many).
 */

/*
 * Bucket accumulation in affine coordinates with batched inversions (the
 * "batch affine" Pippenger of e.g. gnark-crypto and Aztec's barretenberg):
 * up to MSM_BATCH pending bucket additions share one field inversion, so an
 * addition costs ~6 multiplications instead of ~11 for a mixed Jacobian one.
 * Two additions to one bucket cannot share a batch: the later one waits in
 * a retry queue for the next batch (only when that queue is full does it go
 * to the bucket's Jacobian overflow point, at the full price).
 */
#ifndef MSM_BATCH
#define MSM_BATCH 512
#endif

/* One MSM made ready for the windows: the m points with a nonzero scalar,
 * and a sum per window once run. */
typedef struct MSM_FN(plan) {
    const MSM_A *pts;
    const uint64_t (*k)[4];  /* canonical scalars, below 2^254 */
    uint32_t *idx;
    size_t m;
    int c, nw;
    MSM_P *window_sum;       /* nw */
} MSM_FN(plan);

/* A bucket addition: bucket[b] += (neg ? -P : P), P = pts[i]. */
typedef struct MSM_FN(add) {
    uint32_t b, i;
    int neg;
} MSM_FN(add);

typedef struct MSM_FN(ws) {
    const MSM_A *pts;
    MSM_A *bucket;
    /* bucket reduction: two point arrays of nb, their flags, and per pair a
     * denominator, a prefix product and a kind (nb / 2 each) */
    MSM_A *red[2];
    uint8_t *red_ok[2], *red_kind;
    MSM_FE *red_den, *red_pre;
    uint8_t *full;
    uint32_t *stamp, batch;
    MSM_FN(add) op[MSM_BATCH], retry[MSM_BATCH];
    uint8_t kind[MSM_BATCH];   /* 0 add, 1 double */
    MSM_FE den[MSM_BATCH], pre[MSM_BATCH];
    int nops, nretry, cap;
} MSM_FN(ws);

static void MSM_FN(point)(MSM_A *r, const MSM_FN(ws) *s, const MSM_FN(add) *a)
{
    *r = s->pts[a->i];
    if (a->neg) MSM_F(neg)(&r->y, &r->y);
}

/* Queues a; returns 0 when its bucket already has an addition in this batch.
 * The point is read in place (no copy): its sign is applied where it counts. */
static int MSM_FN(try_add)(MSM_FN(ws) *s, const MSM_FN(add) *a)
{
    uint32_t b = a->b;
    if (s->stamp[b] == s->batch) return 0;
    const MSM_A *p = &s->pts[a->i];
    if (!s->full[b]) {
        MSM_FN(point)(&s->bucket[b], s, a);
        s->full[b] = 1;
        return 1;
    }
    const MSM_A *q = &s->bucket[b];
    int k = s->nops;
    if (MSM_F(eq)(&q->x, &p->x)) {
        MSM_A sp;
        MSM_FN(point)(&sp, s, a);
        if (!MSM_F(eq)(&q->y, &sp.y)) { s->full[b] = 0; return 1; }   /* q + (-q) */
        MSM_F(double)(&s->den[k], &q->y);
        s->kind[k] = 1;
    } else {
        MSM_F(sub)(&s->den[k], &p->x, &q->x);
        s->kind[k] = 0;
    }
    s->op[k] = *a;
    s->stamp[b] = s->batch;
    s->nops++;
    return 1;
}

/* Applies the queued additions with one inversion (Montgomery's trick) and
 * opens a new batch. For q + P: lam = (P.y - q.y) / (P.x - q.x); for q - P
 * the slope's sign flips, -lam = (P.y + q.y) / (P.x - q.x), and
 * y3 = lam (q.x - x3) - q.y = (-lam)(x3 - q.x) - q.y, so -P is never built. */
static void MSM_FN(flush)(MSM_FN(ws) *s)
{
    int n = s->nops;
    s->nops = 0;
    s->batch++;
    if (n == 0) return;
    MSM_FE acc, inv, t, lam, x3;
    MSM_F(one)(&acc);
    for (int i = 0; i < n; i++) {
        s->pre[i] = acc;
        MSM_F(mul)(&acc, &acc, &s->den[i]);
    }
    MSM_F(inv_vartime)(&acc, &acc);
    for (int i = n; i-- > 0;) {
        MSM_F(mul)(&inv, &acc, &s->pre[i]);
        MSM_F(mul)(&acc, &acc, &s->den[i]);
        MSM_A *q = &s->bucket[s->op[i].b];
        const MSM_A *p = &s->pts[s->op[i].i];
        int flip = 0;
        if (s->kind[i]) {                    /* doubling: q == the signed point */
            MSM_F(sqr)(&t, &q->x);
            MSM_F(add)(&lam, &t, &t);
            MSM_F(add)(&t, &lam, &t);        /* 3 x^2 */
        } else if (s->op[i].neg) {
            MSM_F(add)(&t, &p->y, &q->y);
            flip = 1;
        } else {
            MSM_F(sub)(&t, &p->y, &q->y);
        }
        MSM_F(mul)(&lam, &t, &inv);
        MSM_F(sqr)(&x3, &lam);
        MSM_F(sub)(&x3, &x3, &q->x);
        MSM_F(sub)(&x3, &x3, &p->x);         /* p.x: the signed point's x too */
        if (flip) MSM_F(sub)(&t, &x3, &q->x);
        else MSM_F(sub)(&t, &q->x, &x3);
        MSM_F(mul)(&t, &lam, &t);
        MSM_F(sub)(&q->y, &t, &q->y);
        q->x = x3;
    }
}

/* Flushes a full batch, then moves what waited into the new one. */
static void MSM_FN(flush_and_retry)(MSM_FN(ws) *s)
{
    MSM_FN(flush)(s);
    int kept = 0;
    for (int i = 0; i < s->nretry; i++)
        if (!MSM_FN(try_add)(s, &s->retry[i])) s->retry[kept++] = s->retry[i];
    s->nretry = kept;
}

/*
 * Bucket reduction, sum_b (b+1) B_b, in two levels. With b = q s + r
 * (0 <= r < s, 0 <= q < Q = nb / s):
 *   sum_b (b+1) B_b = s sum_q q U_q + sum_r r V_r + sum_q U_q,
 *   U_q = sum_r B_{qs+r} (blocks of s),  V_r = sum_q B_{qs+r} (columns).
 * U and V are sums of affine points by pairs, level by level, each level one
 * batch with one inversion (~2 nb additions at ~6 multiplications); only the
 * short weighted sums over U and V are Jacobian (2 (Q + s) additions). The
 * plain running sums over all buckets cost 2 nb Jacobian additions (~27
 * multiplications a bucket), about twice as much.
 */

/* out[k] = in[2k] + in[2k+1] for k < n_pairs (points flagged absent count
 * as infinity). Returns nothing; out and in must differ. */
static void MSM_FN(pair_level)(MSM_FN(ws) *s, const MSM_A *in, const uint8_t *in_ok, MSM_A *out,
                               uint8_t *out_ok, size_t n_pairs)
{
    MSM_FE acc, inv, t, lam, x3;
    MSM_F(one)(&acc);
    for (size_t k = 0; k < n_pairs; k++) {
        const MSM_A *a = &in[2 * k], *b = &in[2 * k + 1];
        uint8_t kind;                          /* 0 add, 1 double, 2 copy a, 3 copy b, 4 infinity */
        if (!in_ok[2 * k + 1]) kind = in_ok[2 * k] ? 2 : 4;
        else if (!in_ok[2 * k]) kind = 3;
        else if (!MSM_F(eq)(&a->x, &b->x)) kind = 0;
        else kind = MSM_F(eq)(&a->y, &b->y) ? 1 : 4;
        s->red_kind[k] = kind;
        if (kind > 1) continue;
        if (kind == 0) MSM_F(sub)(&s->red_den[k], &b->x, &a->x);
        else MSM_F(double)(&s->red_den[k], &a->y);
        s->red_pre[k] = acc;
        MSM_F(mul)(&acc, &acc, &s->red_den[k]);
    }
    MSM_F(inv_vartime)(&acc, &acc);
    for (size_t k = n_pairs; k-- > 0;) {
        const MSM_A *a = &in[2 * k], *b = &in[2 * k + 1];
        uint8_t kind = s->red_kind[k];
        out_ok[k] = kind != 4;
        if (kind == 2) out[k] = *a;
        if (kind == 3) out[k] = *b;
        if (kind > 1) continue;
        MSM_F(mul)(&inv, &acc, &s->red_pre[k]);
        MSM_F(mul)(&acc, &acc, &s->red_den[k]);
        if (kind == 1) {
            MSM_F(sqr)(&t, &a->x);
            MSM_F(add)(&lam, &t, &t);
            MSM_F(add)(&t, &lam, &t);
        } else {
            MSM_F(sub)(&t, &b->y, &a->y);
        }
        MSM_F(mul)(&lam, &t, &inv);
        MSM_F(sqr)(&x3, &lam);
        MSM_F(sub)(&x3, &x3, &a->x);
        MSM_F(sub)(&x3, &x3, &b->x);
        MSM_F(sub)(&t, &a->x, &x3);
        MSM_F(mul)(&t, &lam, &t);
        MSM_F(sub)(&out[k].y, &t, &a->y);
        out[k].x = x3;
    }
}

/* Sums the n points of red[0] in groups of len (a power of two, aligned)
 * by pairs, leaving the n / len group sums in red[0]. */
static void MSM_FN(group_sums)(MSM_FN(ws) *s, size_t n, size_t len)
{
    for (; len > 1; len /= 2, n /= 2) {
        MSM_FN(pair_level)(s, s->red[0], s->red_ok[0], s->red[1], s->red_ok[1], n / 2);
        MSM_A *t = s->red[0];
        s->red[0] = s->red[1];
        s->red[1] = t;
        uint8_t *o = s->red_ok[0];
        s->red_ok[0] = s->red_ok[1];
        s->red_ok[1] = o;
    }
}

/* acc = sum_i i P_i and all = sum_i P_i over n points by running sums. */
static void MSM_FN(weighted_sum)(MSM_P *acc, MSM_P *all, const MSM_A *p, const uint8_t *ok, size_t n)
{
    MSM_P run;
    MSM_G(set_inf)(&run);
    MSM_G(set_inf)(acc);
    for (size_t i = n; i-- > 1;) {
        if (ok[i]) MSM_G(add_affine)(&run, &run, &p[i]);
        MSM_G(add)(acc, acc, &run);
    }
    if (n && ok[0]) MSM_G(add_affine)(&run, &run, &p[0]);
    *all = run;
}

/* sum_b (b+1) bucket[b] for the nb buckets (see above). */
static void MSM_FN(bucket_sum)(MSM_FN(ws) *s, size_t nb, MSM_P *r)
{
    unsigned lg = 0;
    while (((size_t)1 << lg) < nb) lg++;
    size_t sl = (size_t)1 << ((lg + 1) / 2), Q = nb / sl;
    MSM_P su, allu, sv, allv;
    /* V first, from the buckets laid out column by column */
    for (size_t q = 0; q < Q; q++)
        for (size_t r0 = 0; r0 < sl; r0++) {
            s->red[0][r0 * Q + q] = s->bucket[q * sl + r0];
            s->red_ok[0][r0 * Q + q] = s->full[q * sl + r0];
        }
    MSM_FN(group_sums)(s, nb, Q);
    MSM_FN(weighted_sum)(&sv, &allv, s->red[0], s->red_ok[0], sl);
    memcpy(s->red[0], s->bucket, nb * sizeof *s->bucket);
    memcpy(s->red_ok[0], s->full, nb);
    MSM_FN(group_sums)(s, nb, sl);
    MSM_FN(weighted_sum)(&su, &allu, s->red[0], s->red_ok[0], Q);
    for (size_t i = 1; i < sl; i *= 2) MSM_G(dbl)(&su, &su);   /* s sum_q q U_q */
    MSM_G(add)(r, &su, &sv);
    MSM_G(add)(r, r, &allu);
}

/* r += (b+1) over[b] for the buckets that overflowed (few: see window()). */
static void MSM_FN(add_overflows)(MSM_P *r, const MSM_P *over, size_t nb)
{
    for (size_t b = 0; b < nb; b++) {
        if (MSM_G(is_inf)(&over[b])) continue;
        MSM_P m, base = over[b];
        MSM_G(set_inf)(&m);
        for (size_t k = b + 1; k; k >>= 1) {   /* double and add over the bits of b + 1 */
            if (k & 1) MSM_G(add)(&m, &m, &base);
            MSM_G(dbl)(&base, &base);
        }
        MSM_G(add)(r, r, &m);
    }
}

/* Sends what still waits to the Jacobian overflow points. */
static void MSM_FN(spill_retries)(MSM_FN(ws) *s, MSM_P *over)
{
    for (int i = 0; i < s->nretry; i++) {
        MSM_A p;
        MSM_FN(point)(&p, s, &s->retry[i]);
        MSM_G(add_affine)(&over[s->retry[i].b], &over[s->retry[i].b], &p);
    }
    s->nretry = 0;
}

/* One window: digits into buckets, then sum_b (b+1) bucket[b]. */
static void MSM_FN(window)(MSM_FN(plan) *j, MSM_FN(ws) *s, MSM_P *over, int w)
{
    size_t nb = (size_t)1 << (j->c - 1);
    memset(s->full, 0, nb);
    memset(s->stamp, 0, nb * sizeof *s->stamp);
    for (size_t b = 0; b < nb; b++) MSM_G(set_inf)(&over[b]);
    s->batch = 1;
    s->nops = s->nretry = 0;
    digit_window dw;
    digit_window_init(&dw, j->c, w);
    for (size_t i = 0; i < j->m; i++) {
        uint32_t pi = j->idx[i];
        int32_t d = signed_digit(&dw, j->k[pi]);
        if (d == 0) continue;
        MSM_FN(add) a = {(uint32_t)(d < 0 ? -d : d) - 1, pi, d < 0};
        if (!MSM_FN(try_add)(s, &a)) {
            if (s->nretry < MSM_BATCH) {
                s->retry[s->nretry++] = a;
            } else {
                MSM_A p;
                MSM_FN(point)(&p, s, &a);
                MSM_G(add_affine)(&over[a.b], &over[a.b], &p);
            }
        }
        if (s->nops >= s->cap) MSM_FN(flush_and_retry)(s);
    }
    /* What waits targets few buckets (many equal digits, as in the top
     * window or from scalars equal to 1): once a batch would be mostly its
     * inversion, the rest goes to the overflow points. */
    while (s->nretry) {
        MSM_FN(flush_and_retry)(s);
        if (s->nretry && s->nops <= s->cap / 8) MSM_FN(spill_retries)(s, over);
    }
    MSM_FN(flush)(s);
    MSM_FN(bucket_sum)(s, nb, &j->window_sum[w]);
    MSM_FN(add_overflows)(&j->window_sum[w], over, nb);
}

/* Runs windows of pl, taken from *next, until none is left. ZG_ENOMEM. */
static int MSM_FN(plan_work)(MSM_FN(plan) *pl, atomic_int *next)
{
    size_t nb = (size_t)1 << (pl->c - 1);
    MSM_FN(ws) *s = malloc(sizeof *s);
    MSM_P *over = malloc(nb * sizeof *over);
    int rc = ZG_ENOMEM;
    if (s) {
        s->pts = pl->pts;
        s->bucket = malloc(nb * sizeof *s->bucket);
        s->full = malloc(nb);
        s->stamp = malloc(nb * sizeof *s->stamp);
        for (int i = 0; i < 2; i++) {
            s->red[i] = malloc(nb * sizeof *s->red[i]);
            s->red_ok[i] = malloc(nb);
        }
        s->red_kind = malloc(nb);
        s->red_den = malloc(nb * sizeof *s->red_den);
        s->red_pre = malloc(nb * sizeof *s->red_pre);
        s->cap = (int)(nb / 2 < MSM_BATCH ? (nb / 2 ? nb / 2 : 1) : MSM_BATCH);
    }
    if (s && over && s->bucket && s->full && s->stamp && s->red[0] && s->red[1] && s->red_ok[0] &&
        s->red_ok[1] && s->red_kind && s->red_den && s->red_pre) {
        for (int w; (w = atomic_fetch_add(next, 1)) < pl->nw;) MSM_FN(window)(pl, s, over, w);
        rc = ZG_OK;
    }
    if (s) {
        free(s->bucket);
        free(s->full);
        free(s->stamp);
        for (int i = 0; i < 2; i++) {
            free(s->red[i]);
            free(s->red_ok[i]);
        }
        free(s->red_kind);
        free(s->red_den);
        free(s->red_pre);
    }
    free(s);
    free(over);
    return rc;
}

static void MSM_FN(plan_free)(MSM_FN(plan) *pl)
{
    free(pl->idx);
    free(pl->window_sum);
    memset(pl, 0, sizeof *pl);
}

/* Drops zero scalars and points at infinity and picks the window size.
 * ZG_ERANGE (more than 2^32 points), ZG_ENOMEM. */
static int MSM_FN(plan_init)(MSM_FN(plan) *pl, const MSM_A *pts, const uint64_t (*k)[4], size_t n)
{
    memset(pl, 0, sizeof *pl);
    if (n > UINT32_MAX) return ZG_ERANGE;
    pl->pts = pts;
    pl->k = k;
    pl->idx = malloc((n ? n : 1) * sizeof *pl->idx);
    if (!pl->idx) return ZG_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if ((k[i][0] | k[i][1] | k[i][2] | k[i][3]) && !MSM_G(affine_is_inf)(&pts[i])) pl->idx[m++] = (uint32_t)i;
    pl->m = m;
    pl->c = msm_window(m);
    pl->nw = (255 + pl->c - 1) / pl->c;
    pl->window_sum = malloc((size_t)pl->nw * sizeof *pl->window_sum);
    if (!pl->window_sum) {
        MSM_FN(plan_free)(pl);
        return ZG_ENOMEM;
    }
    return ZG_OK;
}

/* r = sum_w 2^(c w) window_sum[w], once every window has run. */
static void MSM_FN(plan_result)(const MSM_FN(plan) *pl, MSM_P *r)
{
    MSM_G(set_inf)(r);
    for (int w = pl->nw; w-- > 0;) {
        for (int i = 0; i < pl->c; i++) MSM_G(dbl)(r, r);
        MSM_G(add)(r, r, &pl->window_sum[w]);
    }
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
