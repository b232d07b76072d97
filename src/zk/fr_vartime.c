/*
 * zk/fr_vartime.c - variable-time Fr helpers (see fr_vartime.h).
 */
#include "zk/fr_vartime.h"

#include <string.h>

void zg_fr_pow_vartime(zg_fr *r, const zg_fr *a, const uint64_t e[4])
{
    zg_fr tab[8], a2, acc; /* tab[i] = a^(2i+1) */
    tab[0] = *a;
    zg_fr_sqr(&a2, a);
    for (int i = 1; i < 8; i++) zg_fr_mul(&tab[i], &tab[i - 1], &a2);
    zg_fr_one(&acc);
    int i = 255;
    while (i >= 0 && !((e[i / 64] >> (i % 64)) & 1)) i--;
    while (i >= 0) {
        if (!((e[i / 64] >> (i % 64)) & 1)) {
            zg_fr_sqr(&acc, &acc);
            i--;
            continue;
        }
        /* the longest window of at most 4 bits ending in a 1 */
        int lo = i - 3 < 0 ? 0 : i - 3;
        while (!((e[lo / 64] >> (lo % 64)) & 1)) lo++;
        unsigned w = 0;
        for (int j = i; j >= lo; j--) {
            zg_fr_sqr(&acc, &acc);
            w = (w << 1) | (unsigned)((e[j / 64] >> (j % 64)) & 1);
        }
        zg_fr_mul(&acc, &acc, &tab[w >> 1]);
        i = lo - 1;
    }
    *r = acc;
}

void zg_fr_inv_vartime(zg_fr *r, const zg_fr *a)
{
    zg_mont_inv_vartime(r->v, a->v, &zg_fr_field);
}

int zg_fr_sqrt_ratio_vartime(zg_fr *x, const zg_fr *u, const zg_fr *v)
{
    const unsigned S = zg_fr_field.two_adicity;
    const zg_fr *one_p = NULL;
    zg_fr one;
    zg_fr_one(&one);
    one_p = &one;
    if (zg_fr_is_zero(v)) return 0;
    if (zg_fr_is_zero(u)) {
        zg_fr_zero(x);
        return 1;
    }
    /* tv2 = v^(2^S - 1), tv3 = v^(2^(S+1) - 1) */
    zg_fr tv2, tv3, tv4, tv5, y;
    tv2 = *v;
    for (unsigned i = 1; i < S; i++) {
        zg_fr_sqr(&tv2, &tv2);
        zg_fr_mul(&tv2, &tv2, v);
    }
    zg_fr_sqr(&tv3, &tv2);
    zg_fr_mul(&tv3, &tv3, v);
    /* y = u * v^(2^(S+1) - 1) is a square exactly when u/v is. */
    zg_fr_mul(&y, u, &tv3);
    zg_fr_pow_vartime(&tv5, &y, zg_fr_field.tm1h); /* y^((t-1)/2) */
    zg_fr_mul(&tv5, &tv5, &tv2);
    zg_fr_mul(&tv3, &tv5, u);      /* candidate: x^2 = b * u/v */
    zg_fr_mul(&tv2, &tv5, v);
    zg_fr_mul(&tv4, &tv3, &tv2);   /* b = y^t, of order dividing 2^S */
    /* Tonelli-Shanks on (tv3, b). */
    zg_fr z = *(const zg_fr *)(const void *)zg_fr_field.root;
    unsigned m = S;
    while (!zg_fr_eq(&tv4, one_p)) {
        unsigned k = 0;
        zg_fr t = tv4;
        while (!zg_fr_eq(&t, one_p)) {
            zg_fr_sqr(&t, &t);
            if (++k == m) return 0; /* b^(2^(m-1)) = -1: not a square */
        }
        zg_fr s = z;
        for (unsigned i = 0; i + 1 < m - k; i++) zg_fr_sqr(&s, &s);
        zg_fr_sqr(&z, &s);
        zg_fr_mul(&tv4, &tv4, &z);
        zg_fr_mul(&tv3, &tv3, &s);
        m = k;
    }
    *x = tv3;
    return 1;
}
