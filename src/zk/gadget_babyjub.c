/*
 * gadget_babyjub.c - Baby Jubjub in R1CS: point addition (circomlib BabyAdd),
 * doubling, on-curve checks, fixed-base multiplication over a native window
 * table, and variable-base multiplication over an in-circuit window table.
 *
 * Constants: a = 168700, d = 168696, Base8 and the subgroup order l from
 * circomlibjs src/babyjub.js (EIP-2494). The twisted Edwards addition law is
 * complete on this curve (d is not a square), so no input needs a special case.
 */
#include "zk/gadgets.h"

#include <stdlib.h>
#include <string.h>

#define BJ_A 168700
#define BJ_D 168696

/* l = 2736030358979909402780800718157159386076813972158567259200215660948447373041 */
const uint64_t zg_bj_subgroup_order[4] = {0x677297dc392126f1ULL, 0xab3eedb83920ee0aULL,
                                          0x370a08b6d0302b0bULL, 0x060c89ce5c263405ULL};

void zg_bj_consts(zg_fr *a, zg_fr *d)
{
    zg_fr_set_u64(a, BJ_A);
    zg_fr_set_u64(d, BJ_D);
}

void zg_bj_base8(zg_bj_affine *b8)
{
    zg_fr_from_str(&b8->x, "5299619240641551281634865583518297030282874472190772894086521144482721001553", NULL);
    zg_fr_from_str(&b8->y, "16950150798460657717958625567821834550301663161624707787222815936182638968203", NULL);
}

void zg_bj_affine_add(zg_bj_affine *r, const zg_bj_affine *p, const zg_bj_affine *q)
{
    zg_fr a, d, x1x2, y1y2, x1y2, y1x2, dxy, one, num, den, t;
    zg_bj_consts(&a, &d);
    zg_fr_one(&one);
    zg_fr_mul(&x1x2, &p->x, &q->x);
    zg_fr_mul(&y1y2, &p->y, &q->y);
    zg_fr_mul(&x1y2, &p->x, &q->y);
    zg_fr_mul(&y1x2, &p->y, &q->x);
    zg_fr_mul(&dxy, &x1x2, &y1y2);
    zg_fr_mul(&dxy, &dxy, &d);
    /* one (variable-time: points here are public) inversion for both
     * denominators: 1 / (d1 d2) */
    zg_bj_affine out;
    zg_fr d1, d2, inv, num2;
    zg_fr_add(&num, &x1y2, &y1x2);
    zg_fr_mul(&t, &a, &x1x2);
    zg_fr_sub(&num2, &y1y2, &t);
    zg_fr_add(&d1, &one, &dxy);
    zg_fr_sub(&d2, &one, &dxy);
    zg_fr_mul(&den, &d1, &d2);
    zg_cs_fr_inv_vartime(&inv, &den);
    zg_fr_mul(&out.x, &num, &d2);
    zg_fr_mul(&out.x, &out.x, &inv);
    zg_fr_mul(&out.y, &num2, &d1);
    zg_fr_mul(&out.y, &out.y, &inv);
    *r = out;
}

void zg_bj_affine_mul(zg_bj_affine *r, const zg_bj_affine *p, const uint64_t k[4])
{
    zg_bj_affine acc, base = *p;
    zg_fr_zero(&acc.x);
    zg_fr_one(&acc.y);
    for (int i = 0; i < 256; i++) {
        if ((k[i / 64] >> (i % 64)) & 1)
            zg_bj_affine_add(&acc, &acc, &base);
        zg_bj_affine_add(&base, &base, &base);
    }
    *r = acc;
}

zg_cs_point zg_cs_point_const(zg_cs *cs, const zg_bj_affine *p)
{
    zg_cs_point r = {zg_lc_const(cs, &p->x), zg_lc_const(cs, &p->y)};
    return r;
}

zg_cs_point zg_cs_point_private(zg_cs *cs, const zg_bj_affine *p)
{
    zg_cs_point r;
    r.x = zg_cs_private(cs, &p->x);
    r.y = zg_cs_private(cs, &p->y);
    return r;
}

/* The point (xn / xd, yn / yd) as two new wires with den * w = num
 * constraints; one inversion for both (xd, yd != 0 on the curve). */
static zg_cs_point div_pair(zg_cs *cs, zg_lc xn, zg_lc xd, zg_lc yn, zg_lc yd)
{
    zg_fr vxn, vxd, vyn, vyd, inv, vx, vy;
    zg_cs_value(cs, xn, &vxn);
    zg_cs_value(cs, xd, &vxd);
    zg_cs_value(cs, yn, &vyn);
    zg_cs_value(cs, yd, &vyd);
    zg_fr_mul(&inv, &vxd, &vyd);
    zg_cs_fr_inv_vartime(&inv, &inv);          /* 1 / (xd yd), 0 if either is 0 */
    zg_fr_mul(&vx, &vxn, &vyd);
    zg_fr_mul(&vx, &vx, &inv);
    zg_fr_mul(&vy, &vyn, &vxd);
    zg_fr_mul(&vy, &vy, &inv);
    zg_cs_point r;
    r.x = zg_cs_private(cs, &vx);
    r.y = zg_cs_private(cs, &vy);
    zg_cs_enforce(cs, xd, r.x, xn);
    zg_cs_enforce(cs, yd, r.y, yn);
    return r;
}

zg_cs_point zg_cs_bj_add(zg_cs *cs, zg_cs_point p, zg_cs_point q)
{
    zg_fr a, d, ma, md;
    zg_bj_consts(&a, &d);
    zg_fr_neg(&ma, &a);
    zg_fr_neg(&md, &d);
    zg_lc beta = zg_cs_mul(cs, p.x, q.y);
    zg_lc gamma = zg_cs_mul(cs, p.y, q.x);
    zg_lc delta = zg_cs_mul(cs, zg_lc_add_scaled(cs, p.y, &ma, p.x), zg_lc_add(cs, q.x, q.y));
    zg_lc tau = zg_cs_mul(cs, beta, gamma);
    zg_lc one = zg_lc_u64(cs, 1);
    zg_lc xnum = zg_lc_add(cs, beta, gamma), xden = zg_lc_add_scaled(cs, one, &d, tau);
    zg_lc ynum = zg_lc_sub(cs, zg_lc_add_scaled(cs, delta, &a, beta), gamma);
    zg_lc yden = zg_lc_add_scaled(cs, one, &md, tau);
    return div_pair(cs, xnum, xden, ynum, yden);
}

zg_cs_point zg_cs_bj_double(zg_cs *cs, zg_cs_point p)
{
    /* x3 = 2xy / (a x^2 + y^2), y3 = (y^2 - a x^2) / (2 - a x^2 - y^2): the
     * curve equation turns the addition law's denominators into these. */
    zg_fr a, d, ma, two;
    zg_bj_consts(&a, &d);
    zg_fr_neg(&ma, &a);
    zg_fr_set_u64(&two, 2);
    zg_lc xx = zg_cs_mul(cs, p.x, p.x);
    zg_lc yy = zg_cs_mul(cs, p.y, p.y);
    zg_lc xy = zg_cs_mul(cs, p.x, p.y);
    zg_lc axx = zg_lc_scale(cs, xx, &a);
    zg_lc den = zg_lc_sub(cs, zg_lc_sub(cs, zg_lc_u64(cs, 2), axx), yy);
    return div_pair(cs, zg_lc_scale(cs, xy, &two), zg_lc_add(cs, axx, yy), zg_lc_sub(cs, yy, axx), den);
}

void zg_cs_bj_assert_on_curve(zg_cs *cs, zg_cs_point p)
{
    zg_fr a, d, m1;
    zg_bj_consts(&a, &d);
    zg_fr_one(&m1);
    zg_fr_neg(&m1, &m1);
    zg_lc xx = zg_cs_mul(cs, p.x, p.x);
    zg_lc yy = zg_cs_mul(cs, p.y, p.y);
    /* (d x^2) * y^2 = a x^2 + y^2 - 1 */
    zg_cs_enforce(cs, zg_lc_scale(cs, xx, &d), yy,
                  zg_lc_add_const(cs, zg_lc_add_scaled(cs, yy, &a, xx), &m1));
}

zg_cs_point zg_cs_bj_select(zg_cs *cs, zg_lc cond, zg_cs_point p, zg_cs_point q)
{
    zg_cs_point r = {zg_cs_select(cs, cond, p.x, q.x), zg_cs_select(cs, cond, p.y, q.y)};
    return r;
}

/* ---- fixed base ---- */

void zg_bj_fixed_table_init(zg_bj_fixed_table *t, const zg_bj_affine *base)
{
    zg_bj_affine b = *base;
    for (int i = 0; i < ZG_BJ_FIX_WINDOWS; i++) {
        zg_fr_zero(&t->w[i][0].x);
        zg_fr_one(&t->w[i][0].y);
        for (int k = 1; k < 8; k++)
            zg_bj_affine_add(&t->w[i][k], &t->w[i][k - 1], &b);
        zg_bj_affine_add(&b, &t->w[i][7], &b);   /* 8 * b */
    }
}

/* c0 + (c1-c0) s0 + (c2-c0) s1 + (c3-c2-c1+c0) s01: the 2-bit constant lookup. */
static zg_lc lookup4(zg_cs *cs, const zg_fr c[4], zg_lc s0, zg_lc s1, zg_lc s01)
{
    zg_fr k;
    zg_lc r = zg_lc_const(cs, &c[0]);
    zg_fr_sub(&k, &c[1], &c[0]);
    r = zg_lc_add_scaled(cs, r, &k, s0);
    zg_fr_sub(&k, &c[2], &c[0]);
    r = zg_lc_add_scaled(cs, r, &k, s1);
    zg_fr_sub(&k, &c[3], &c[2]);
    zg_fr_sub(&k, &k, &c[1]);
    zg_fr_add(&k, &k, &c[0]);
    return zg_lc_add_scaled(cs, r, &k, s01);
}

/* Entry s0 + 2 s1 + 4 s2 of one window (missing bits are constant 0). */
static zg_cs_point fixed_lookup(zg_cs *cs, const zg_bj_affine w[8], const zg_lc *bits, unsigned nb)
{
    zg_lc zero = zg_lc_zero();
    zg_lc s0 = bits[0], s1 = nb > 1 ? bits[1] : zero, s2 = nb > 2 ? bits[2] : zero;
    zg_lc s01 = nb > 1 ? zg_cs_mul(cs, s0, s1) : zero;
    zg_cs_point r;
    for (int coord = 0; coord < 2; coord++) {
        zg_fr lo[4], hi[4];
        for (int k = 0; k < 4; k++) {
            lo[k] = coord ? w[k].y : w[k].x;
            hi[k] = coord ? w[k + 4].y : w[k + 4].x;
        }
        zg_lc l = lookup4(cs, lo, s0, s1, s01);
        zg_lc v = l;
        if (nb > 2)
            v = zg_lc_add(cs, l, zg_cs_mul(cs, s2, zg_lc_sub(cs, lookup4(cs, hi, s0, s1, s01), l)));
        if (coord)
            r.y = v;
        else
            r.x = v;
    }
    return r;
}

zg_cs_point zg_cs_bj_mul_fixed(zg_cs *cs, const zg_bj_fixed_table *t, const zg_lc *bits, unsigned n)
{
    zg_cs_point acc;
    zg_bj_affine id;
    zg_fr_zero(&id.x);
    zg_fr_one(&id.y);
    acc = zg_cs_point_const(cs, &id);
    if (n > 3 * ZG_BJ_FIX_WINDOWS) {
        if (cs->status == ZG_OK)
            cs->status = ZG_EINVAL;
        return acc;
    }
    for (unsigned i = 0; 3 * i < n; i++) {
        unsigned nb = n - 3 * i < 3 ? n - 3 * i : 3;
        zg_cs_point p = fixed_lookup(cs, t->w[i], bits + 3 * i, nb);
        acc = i == 0 ? p : zg_cs_bj_add(cs, acc, p);
    }
    return acc;
}

/* ---- variable base ---- */

void zg_cs_bj_table_build(zg_cs *cs, zg_cs_point base, unsigned n_bits, zg_cs_bj_table *t)
{
    unsigned nw = (n_bits + 1) / 2;
    if (nw > ZG_BJ_VAR_WINDOWS) {
        if (cs->status == ZG_OK)
            cs->status = ZG_EINVAL;
        nw = ZG_BJ_VAR_WINDOWS;
    }
    t->n_windows = nw;
    zg_cs_point p = base;
    for (unsigned i = 0; i < nw; i++) {
        t->p[i][0] = p;
        t->p[i][1] = zg_cs_bj_double(cs, p);
        t->p[i][2] = zg_cs_bj_add(cs, t->p[i][1], p);
        if (i + 1 < nw)
            p = zg_cs_bj_double(cs, t->p[i][1]);
    }
}

/* One coordinate of entry b0 + 2 b1 of [e0, p1, p2, p3] by three muxes. */
static zg_lc var_lookup_coord(zg_cs *cs, zg_lc e0, zg_lc p1, zg_lc p2, zg_lc p3, zg_lc b0, zg_lc b1,
                              int two_bits)
{
    zg_lc lo = zg_cs_select(cs, b0, p1, e0);
    if (!two_bits)
        return lo;
    zg_lc hi = zg_cs_select(cs, b0, p3, p2);
    return zg_cs_select(cs, b1, hi, lo);
}

zg_cs_point zg_cs_bj_mul_table(zg_cs *cs, const zg_cs_bj_table *t, const zg_lc *bits, unsigned n)
{
    zg_cs_point acc = {zg_lc_zero(), zg_lc_u64(cs, 1)};
    if ((n + 1) / 2 > t->n_windows) {
        if (cs->status == ZG_OK)
            cs->status = ZG_EINVAL;
        return acc;
    }
    for (unsigned i = 0; 2 * i < n; i++) {
        int two = 2 * i + 1 < n;
        zg_lc b0 = bits[2 * i], b1 = two ? bits[2 * i + 1] : zg_lc_zero();
        const zg_cs_point *e = t->p[i];
        zg_cs_point p;
        p.x = var_lookup_coord(cs, zg_lc_zero(), e[0].x, e[1].x, e[2].x, b0, b1, two);
        p.y = var_lookup_coord(cs, zg_lc_u64(cs, 1), e[0].y, e[1].y, e[2].y, b0, b1, two);
        acc = i == 0 ? p : zg_cs_bj_add(cs, acc, p);
    }
    return acc;
}

zg_cs_point zg_cs_bj_mul_any(zg_cs *cs, zg_cs_point base, const zg_lc *bits, unsigned n)
{
    zg_cs_bj_table *t = malloc(sizeof *t);
    zg_cs_point r = {zg_lc_zero(), zg_lc_u64(cs, 1)};
    if (!t) {
        if (cs->status == ZG_OK)
            cs->status = ZG_ENOMEM;
        return r;
    }
    zg_cs_bj_table_build(cs, base, n, t);
    r = zg_cs_bj_mul_table(cs, t, bits, n);
    free(t);
    return r;
}

/* ---- variable base, signed odd digits ---- */

void zg_cs_bj_otable_build(zg_cs *cs, zg_cs_point base, zg_cs_bj_otable *t)
{
    /* Q = base / 2 in the subgroup: ((l + 1) / 2) * base natively; the circuit
     * checks Q on the curve and 2 Q == base (any such Q works, see gadgets.h). */
    zg_bj_affine bv, qv;
    zg_cs_value(cs, base.x, &bv.x);
    zg_cs_value(cs, base.y, &bv.y);
    uint64_t half[4];
    zg_u128 c = 1;
    for (int i = 0; i < 4; i++) {
        c += zg_bj_subgroup_order[i];
        half[i] = (uint64_t)c;
        c >>= 64;
    }
    for (int i = 0; i < 4; i++)   /* (l + 1) / 2 */
        half[i] = (half[i] >> 1) | (i < 3 ? half[i + 1] << 63 : 0);
    zg_bj_affine_mul(&qv, &bv, half);
    zg_cs_point q = zg_cs_point_private(cs, &qv);
    zg_cs_bj_assert_on_curve(cs, q);
    zg_cs_point q2 = zg_cs_bj_double(cs, q);
    zg_cs_assert_equal(cs, q2.x, base.x);
    zg_cs_assert_equal(cs, q2.y, base.y);
    zg_cs_point qi = q;
    for (unsigned i = 0; i < ZG_BJ_ODD_WINDOWS; i++) {
        zg_cs_point d = i == 0 ? q2 : zg_cs_bj_double(cs, qi);
        t->p[i][0] = qi;
        for (int k = 1; k < 4; k++)
            t->p[i][k] = zg_cs_bj_add(cs, t->p[i][k - 1], d);
        t->offset = i == 0 ? t->p[0][3] : zg_cs_bj_add(cs, t->offset, t->p[i][3]);
        if (i + 1 < ZG_BJ_ODD_WINDOWS)
            qi = zg_cs_bj_double(cs, zg_cs_bj_double(cs, d));   /* 8 * Q_i */
    }
}

/* 1 - a - b + 2ab: 1 when the booleans a and b are equal. */
static zg_lc xnor(zg_cs *cs, zg_lc a, zg_lc b)
{
    zg_fr two;
    zg_fr_set_u64(&two, 2);
    zg_lc r = zg_lc_sub(cs, zg_lc_sub(cs, zg_lc_u64(cs, 1), a), b);
    return zg_lc_add_scaled(cs, r, &two, zg_cs_mul(cs, a, b));
}

zg_cs_point zg_cs_bj_mul_otable(zg_cs *cs, const zg_cs_bj_otable *t, const zg_lc *bits, unsigned n)
{
    zg_cs_point acc = t->offset;
    if (n > 3 * ZG_BJ_ODD_WINDOWS) {
        if (cs->status == ZG_OK)
            cs->status = ZG_EINVAL;
        return acc;
    }
    zg_fr two, m1;
    zg_fr_set_u64(&two, 2);
    zg_fr_one(&m1);
    zg_fr_neg(&m1, &m1);
    for (unsigned i = 0; i < ZG_BJ_ODD_WINDOWS; i++) {
        zg_lc b[3];
        for (unsigned k = 0; k < 3; k++)
            b[k] = 3 * i + k < n ? bits[3 * i + k] : zg_lc_zero();
        /* digit 2v - 7: magnitude index (b0, b1) when b2 = 1, else (1-b0, 1-b1) */
        zg_lc c0 = xnor(cs, b[0], b[2]), c1 = xnor(cs, b[1], b[2]);
        const zg_cs_point *e = t->p[i];
        zg_cs_point p;
        zg_lc lox = zg_cs_select(cs, c0, e[1].x, e[0].x), hix = zg_cs_select(cs, c0, e[3].x, e[2].x);
        zg_lc loy = zg_cs_select(cs, c0, e[1].y, e[0].y), hiy = zg_cs_select(cs, c0, e[3].y, e[2].y);
        p.x = zg_cs_select(cs, c1, hix, lox);
        p.y = zg_cs_select(cs, c1, hiy, loy);
        /* negative digit when b2 = 0: -(x, y) = (-x, y) */
        p.x = zg_cs_mul(cs, zg_lc_add_const(cs, zg_lc_scale(cs, b[2], &two), &m1), p.x);
        acc = zg_cs_bj_add(cs, acc, p);
    }
    return acc;
}
