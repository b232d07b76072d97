/*
 * ec_tmpl.h - short Weierstrass y^2 = x^3 + b arithmetic (a = 0), Jacobian
 * coordinates, written once for G1 (over Fq) and G2 (over Fq2).
 *
 * Included by g1.c and g2.c after defining:
 *   EC_F(op)   the field operation, e.g. zg_fq_##op
 *   EC_FE      the field element type
 *   EC_P, EC_A the Jacobian and affine point types
 *   EC_FN(n)   the exported function name, e.g. zg_g1_##n
 *   EC_B(r)    a statement loading the curve constant b into r
 * Formulas: Bernstein-Lange Explicit-Formulas Database, "dbl-2009-l",
 * "add-2007-bl", "madd-2007-bl" (g = 0 curves in Jacobian coordinates).
 * Infinity: Z = 0 (Jacobian), (0, 0) (affine; (0, 0) is not on either curve,
 * the same convention as EIP-196/197 and snarkjs).
 */

void EC_FN(set_inf)(EC_P *r) { EC_F(one)(&r->x); EC_F(one)(&r->y); EC_F(zero)(&r->z); }
int EC_FN(is_inf)(const EC_P *a) { return EC_F(is_zero)(&a->z); }
int EC_FN(affine_is_inf)(const EC_A *a) { return EC_F(is_zero)(&a->x) & EC_F(is_zero)(&a->y); }

void EC_FN(from_affine)(EC_P *r, const EC_A *a)
{
    if (EC_FN(affine_is_inf)(a)) { EC_FN(set_inf)(r); return; }
    r->x = a->x; r->y = a->y; EC_F(one)(&r->z);
}

void EC_FN(to_affine)(EC_A *r, const EC_P *a)
{
    if (EC_FN(is_inf)(a)) { EC_F(zero)(&r->x); EC_F(zero)(&r->y); return; }
    EC_FE zi, zi2, zi3;
    EC_F(inv)(&zi, &a->z);
    EC_F(sqr)(&zi2, &zi);
    EC_F(mul)(&zi3, &zi2, &zi);
    EC_F(mul)(&r->x, &a->x, &zi2);
    EC_F(mul)(&r->y, &a->y, &zi3);
}

/* Montgomery's trick: one inversion for all n points. */
int EC_FN(batch_to_affine)(EC_A *r, const EC_P *a, size_t n)
{
    EC_FE *pre = malloc((n ? n : 1) * sizeof *pre);
    if (!pre) return ZG_ENOMEM;
    EC_FE acc, t, zi, zi2;
    EC_F(one)(&acc);
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (!EC_FN(is_inf)(&a[i])) EC_F(mul)(&acc, &acc, &a[i].z);
    }
    EC_F(inv)(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (EC_FN(is_inf)(&a[i])) { EC_F(zero)(&r[i].x); EC_F(zero)(&r[i].y); continue; }
        EC_F(mul)(&zi, &acc, &pre[i]);
        EC_F(mul)(&acc, &acc, &a[i].z);
        EC_F(sqr)(&zi2, &zi);
        t = a[i].y;
        EC_F(mul)(&r[i].x, &a[i].x, &zi2);
        EC_F(mul)(&zi2, &zi2, &zi);
        EC_F(mul)(&r[i].y, &t, &zi2);
    }
    free(pre);
    return ZG_OK;
}

void EC_FN(neg)(EC_P *r, const EC_P *a) { r->x = a->x; EC_F(neg)(&r->y, &a->y); r->z = a->z; }
void EC_FN(affine_neg)(EC_A *r, const EC_A *a) { r->x = a->x; EC_F(neg)(&r->y, &a->y); }

void EC_FN(dbl)(EC_P *r, const EC_P *p)
{
    if (EC_FN(is_inf)(p)) { *r = *p; return; }
    EC_FE A, B, C, D, E, F, t;
    EC_F(sqr)(&A, &p->x);
    EC_F(sqr)(&B, &p->y);
    EC_F(sqr)(&C, &B);
    EC_F(add)(&D, &p->x, &B);
    EC_F(sqr)(&D, &D);
    EC_F(sub)(&D, &D, &A);
    EC_F(sub)(&D, &D, &C);
    EC_F(double)(&D, &D);
    EC_F(double)(&E, &A);
    EC_F(add)(&E, &E, &A);
    EC_F(sqr)(&F, &E);
    EC_F(mul)(&r->z, &p->y, &p->z);
    EC_F(double)(&r->z, &r->z);
    EC_F(double)(&t, &D);
    EC_F(sub)(&r->x, &F, &t);
    EC_F(sub)(&t, &D, &r->x);
    EC_F(mul)(&t, &E, &t);
    EC_F(double)(&C, &C); EC_F(double)(&C, &C); EC_F(double)(&C, &C);
    EC_F(sub)(&r->y, &t, &C);
}

/* The end both additions share (EFD add-2007-bl and madd-2007-bl), with
 * r = 2 (S2 - S1), J = H I, V = U1 I: X3 = r^2 - J - 2V,
 * Y3 = r (V - X3) - 2 S1 J. Only locals are read, so out may alias an input. */
static void EC_FN(add_finish)(EC_P *out, const EC_FE *rr, const EC_FE *j, const EC_FE *v, const EC_FE *s1)
{
    EC_FE t, y;
    EC_F(sqr)(&out->x, rr);
    EC_F(sub)(&out->x, &out->x, j);
    EC_F(sub)(&out->x, &out->x, v);
    EC_F(sub)(&out->x, &out->x, v);
    EC_F(sub)(&t, v, &out->x);
    EC_F(mul)(&t, rr, &t);
    EC_F(mul)(&y, s1, j);
    EC_F(double)(&y, &y);
    EC_F(sub)(&out->y, &t, &y);
}

void EC_FN(add)(EC_P *r, const EC_P *p, const EC_P *q)
{
    if (EC_FN(is_inf)(p)) { *r = *q; return; }
    if (EC_FN(is_inf)(q)) { *r = *p; return; }
    EC_FE z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    EC_F(sqr)(&z1z1, &p->z);
    EC_F(sqr)(&z2z2, &q->z);
    EC_F(mul)(&u1, &p->x, &z2z2);
    EC_F(mul)(&u2, &q->x, &z1z1);
    EC_F(mul)(&s1, &p->y, &q->z);
    EC_F(mul)(&s1, &s1, &z2z2);
    EC_F(mul)(&s2, &q->y, &p->z);
    EC_F(mul)(&s2, &s2, &z1z1);
    EC_F(sub)(&h, &u2, &u1);
    EC_F(sub)(&rr, &s2, &s1);
    if (EC_F(is_zero)(&h)) {
        if (EC_F(is_zero)(&rr)) { EC_FN(dbl)(r, p); return; }
        EC_FN(set_inf)(r);
        return;
    }
    EC_F(double)(&i, &h);
    EC_F(sqr)(&i, &i);
    EC_F(mul)(&j, &h, &i);
    EC_F(double)(&rr, &rr);
    EC_F(mul)(&v, &u1, &i);
    EC_F(add)(&t, &p->z, &q->z);
    EC_F(sqr)(&t, &t);
    EC_F(sub)(&t, &t, &z1z1);
    EC_F(sub)(&t, &t, &z2z2);
    EC_F(mul)(&r->z, &t, &h);
    EC_FN(add_finish)(r, &rr, &j, &v, &s1);
}

void EC_FN(add_affine)(EC_P *r, const EC_P *p, const EC_A *q)
{
    if (EC_FN(affine_is_inf)(q)) { *r = *p; return; }
    if (EC_FN(is_inf)(p)) { EC_FN(from_affine)(r, q); return; }
    EC_FE z1z1, u2, s2, h, hh, i, j, rr, v, t;
    EC_F(sqr)(&z1z1, &p->z);
    EC_F(mul)(&u2, &q->x, &z1z1);
    EC_F(mul)(&s2, &q->y, &p->z);
    EC_F(mul)(&s2, &s2, &z1z1);
    EC_F(sub)(&h, &u2, &p->x);
    EC_F(sub)(&rr, &s2, &p->y);
    if (EC_F(is_zero)(&h)) {
        if (EC_F(is_zero)(&rr)) { EC_FN(dbl)(r, p); return; }
        EC_FN(set_inf)(r);
        return;
    }
    EC_F(sqr)(&hh, &h);
    EC_F(double)(&i, &hh);
    EC_F(double)(&i, &i);
    EC_F(mul)(&j, &h, &i);
    EC_F(double)(&rr, &rr);
    EC_F(mul)(&v, &p->x, &i);
    EC_F(add)(&t, &p->z, &h);
    EC_F(sqr)(&t, &t);
    EC_F(sub)(&t, &t, &z1z1);
    EC_FE y1 = p->y;   /* r may be p */
    EC_F(sub)(&r->z, &t, &hh);
    EC_FN(add_finish)(r, &rr, &j, &v, &y1);
}

/* Jacobian equality: X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3. */
int EC_FN(eq)(const EC_P *p, const EC_P *q)
{
    int ip = EC_FN(is_inf)(p), iq = EC_FN(is_inf)(q);
    if (ip || iq) return ip && iq;
    EC_FE z1z1, z2z2, a, b;
    EC_F(sqr)(&z1z1, &p->z);
    EC_F(sqr)(&z2z2, &q->z);
    EC_F(mul)(&a, &p->x, &z2z2);
    EC_F(mul)(&b, &q->x, &z1z1);
    if (!EC_F(eq)(&a, &b)) return 0;
    EC_F(mul)(&z2z2, &z2z2, &q->z);
    EC_F(mul)(&z1z1, &z1z1, &p->z);
    EC_F(mul)(&a, &p->y, &z2z2);
    EC_F(mul)(&b, &q->y, &z1z1);
    return EC_F(eq)(&a, &b);
}

int EC_FN(affine_on_curve)(const EC_A *a)
{
    if (EC_FN(affine_is_inf)(a)) return 1;
    EC_FE l, r, b;
    EC_B(b);
    EC_F(sqr)(&l, &a->y);
    EC_F(sqr)(&r, &a->x);
    EC_F(mul)(&r, &r, &a->x);
    EC_F(add)(&r, &r, &b);
    return EC_F(eq)(&l, &r);
}

/* r = k p for a canonical little-endian 256-bit k; variable time (public
 * scalars, tests and setup only). */
void EC_FN(mul)(EC_P *r, const EC_P *p, const uint64_t k[4])
{
    EC_P acc, base = *p;
    EC_FN(set_inf)(&acc);
    for (int i = 255; i >= 0; i--) {
        EC_FN(dbl)(&acc, &acc);
        if ((k[i / 64] >> (i % 64)) & 1) EC_FN(add)(&acc, &acc, &base);
    }
    *r = acc;
}

void EC_FN(mul_fr)(EC_P *r, const EC_P *p, const zg_fr *k)
{
    uint64_t c[4];
    zg_fr_to_canonical(c, k);
    EC_FN(mul)(r, p, c);
}
