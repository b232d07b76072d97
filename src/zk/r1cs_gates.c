/*
 * r1cs_gates.c - gates built from the builder core: products, booleans,
 * selection, zero tests, bit decomposition, range checks and comparators
 * (see r1cs_builder.h for the costs).
 */
#include "zk/r1cs_builder.h"

#include <string.h>

static int u256_is_one(const uint64_t a[4])
{
    return a[0] == 1 && (a[1] | a[2] | a[3]) == 0;
}

static int u256_geq(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--)
        if (a[i] != b[i])
            return a[i] > b[i];
    return 1;
}

static void u256_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    zg_u128 borrow = 0;
    for (int i = 0; i < 4; i++) {
        zg_u128 t = (zg_u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)t;
        borrow = (t >> 64) & 1;
    }
}

static void u256_shr1(uint64_t a[4])
{
    for (int i = 0; i < 3; i++)
        a[i] = (a[i] >> 1) | (a[i + 1] << 63);
    a[3] >>= 1;
}

/* x / 2 mod p for x < p (p odd, p < 2^255 so x + p does not overflow). */
static void half_mod(uint64_t x[4], const uint64_t p[4])
{
    if (x[0] & 1) {
        zg_u128 c = 0;
        for (int i = 0; i < 4; i++) {
            c += (zg_u128)x[i] + p[i];
            x[i] = (uint64_t)c;
            c >>= 64;
        }
    }
    u256_shr1(x);
}

void zg_cs_fr_inv_vartime(zg_fr *r, const zg_fr *a)
{
    /* Binary inversion (Hankerson-Menezes-Vanstone, Guide to ECC, alg. 2.22)
     * on the Montgomery representative A = aR gives A^-1 = a^-1 R^-1; one
     * Montgomery product with R^3 turns that into a^-1 R. */
    const uint64_t *p = zg_fr_field.p;
    if (zg_fr_is_zero(a)) {
        zg_fr_zero(r);
        return;
    }
    uint64_t u[4], v[4], x1[4] = {1, 0, 0, 0}, x2[4] = {0, 0, 0, 0};
    memcpy(u, a->v, sizeof u);
    memcpy(v, p, sizeof v);
    while (!u256_is_one(u) && !u256_is_one(v)) {
        while (!(u[0] & 1)) {
            u256_shr1(u);
            half_mod(x1, p);
        }
        while (!(v[0] & 1)) {
            u256_shr1(v);
            half_mod(x2, p);
        }
        if (u256_geq(u, v)) {
            u256_sub(u, u, v);
            zg_mont_sub(x1, x1, x2, p);
        } else {
            u256_sub(v, v, u);
            zg_mont_sub(x2, x2, x1, p);
        }
    }
    zg_fr inv, r3, r2;
    memcpy(inv.v, u256_is_one(u) ? x1 : x2, sizeof inv.v);
    memcpy(r2.v, zg_fr_field.r2, sizeof r2.v);
    zg_fr_mul(&r3, &r2, &r2);   /* R^4 / R = R^3 */
    zg_fr_mul(r, &inv, &r3);
}

zg_lc zg_cs_mul(zg_cs *cs, zg_lc a, zg_lc b)
{
    zg_fr k, va, vb, v;
    if (zg_lc_is_const(a, &k))
        return zg_lc_scale(cs, b, &k);
    if (zg_lc_is_const(b, &k))
        return zg_lc_scale(cs, a, &k);
    zg_cs_value(cs, a, &va);
    zg_cs_value(cs, b, &vb);
    zg_fr_mul(&v, &va, &vb);
    zg_lc w = zg_cs_private(cs, &v);
    zg_cs_enforce(cs, a, b, w);
    return w;
}

zg_lc zg_cs_square(zg_cs *cs, zg_lc a) { return zg_cs_mul(cs, a, a); }

zg_lc zg_cs_inv(zg_cs *cs, zg_lc a)
{
    zg_fr v;
    zg_cs_value(cs, a, &v);
    zg_cs_fr_inv_vartime(&v, &v);
    zg_lc w = zg_cs_private(cs, &v);
    zg_cs_enforce(cs, a, w, zg_lc_u64(cs, 1));
    return w;
}

void zg_cs_assert_equal(zg_cs *cs, zg_lc a, zg_lc b)
{
    zg_lc d = zg_lc_sub(cs, a, b);
    if (d.n == 0)
        return;   /* identical combinations: nothing to state */
    zg_cs_enforce(cs, d, zg_lc_u64(cs, 1), zg_lc_zero());
}

void zg_cs_assert_zero_if(zg_cs *cs, zg_lc en, zg_lc a)
{
    zg_fr k;
    if (zg_lc_is_const(en, &k)) {
        if (zg_fr_is_zero(&k))
            return;
        zg_cs_assert_equal(cs, a, zg_lc_zero());
        return;
    }
    zg_cs_enforce(cs, en, a, zg_lc_zero());
}

void zg_cs_assert_bool(zg_cs *cs, zg_lc a)
{
    /* a * a = a: the same solutions as a * (a - 1) = 0 (0 and 1) */
    zg_cs_enforce(cs, a, a, a);
}

zg_lc zg_cs_bool_private(zg_cs *cs, int bit)
{
    zg_fr v;
    zg_fr_set_u64(&v, bit ? 1 : 0);
    zg_lc b = zg_cs_private(cs, &v);
    zg_cs_assert_bool(cs, b);
    return b;
}

zg_lc zg_cs_select(zg_cs *cs, zg_lc cond, zg_lc a, zg_lc b)
{
    return zg_lc_add(cs, b, zg_cs_mul(cs, cond, zg_lc_sub(cs, a, b)));
}

zg_lc zg_cs_is_zero(zg_cs *cs, zg_lc a)
{
    zg_fr v, inv, out;
    if (zg_lc_is_const(a, &v))
        return zg_lc_u64(cs, zg_fr_is_zero(&v) ? 1 : 0);
    zg_cs_value(cs, a, &v);
    zg_cs_fr_inv_vartime(&inv, &v);   /* 0 for 0 */
    zg_fr_set_u64(&out, zg_fr_is_zero(&v) ? 1 : 0);
    zg_lc winv = zg_cs_private(cs, &inv);
    zg_lc wout = zg_cs_private(cs, &out);
    /* a * inv = 1 - out: when a = 0, out = 1; a * out = 0: when a != 0, out = 0. */
    zg_cs_enforce(cs, a, winv, zg_lc_sub(cs, zg_lc_u64(cs, 1), wout));
    zg_cs_enforce(cs, a, wout, zg_lc_zero());
    return wout;
}

zg_lc zg_cs_is_equal(zg_cs *cs, zg_lc a, zg_lc b)
{
    return zg_cs_is_zero(cs, zg_lc_sub(cs, a, b));
}

zg_lc zg_cs_and(zg_cs *cs, zg_lc a, zg_lc b) { return zg_cs_mul(cs, a, b); }

zg_lc zg_cs_or(zg_cs *cs, zg_lc a, zg_lc b)
{
    return zg_lc_sub(cs, zg_lc_add(cs, a, b), zg_cs_mul(cs, a, b));
}

zg_lc zg_cs_not(zg_cs *cs, zg_lc a) { return zg_lc_sub(cs, zg_lc_u64(cs, 1), a); }

zg_lc zg_cs_from_bits(zg_cs *cs, const zg_lc *bits, unsigned n)
{
    /* Fast path: single wires in increasing order (fresh bit wires) give the
     * sorted sum directly instead of n merges. */
    int simple = n > 0;
    zg_fr one;
    zg_fr_one(&one);
    for (unsigned i = 0; i < n && simple; i++)
        simple = bits[i].n == 1 && bits[i].t[0].wire != 0 && zg_fr_eq(&bits[i].t[0].coeff, &one) &&
                 (i == 0 || bits[i].t[0].wire > bits[i - 1].t[0].wire);
    if (simple && n <= 256) {
        zg_r1cs_term t[256];
        zg_fr pow = one;
        for (unsigned i = 0; i < n; i++) {
            t[i].wire = bits[i].t[0].wire;
            t[i].coeff = pow;
            zg_fr_double(&pow, &pow);
        }
        return zg_lc_from_terms(cs, t, n);
    }
    zg_lc acc = zg_lc_zero();
    zg_fr pow;
    zg_fr_one(&pow);
    for (unsigned i = 0; i < n; i++) {
        acc = zg_lc_add_scaled(cs, acc, &pow, bits[i]);
        zg_fr_double(&pow, &pow);
    }
    return acc;
}

/* Boolean wires holding the low n bits of the canonical value of a. */
static void bits_of_value(zg_cs *cs, zg_lc a, unsigned n, zg_lc *bits)
{
    zg_fr v;
    uint64_t c[4];
    zg_cs_value(cs, a, &v);
    zg_fr_to_canonical(c, &v);
    for (unsigned i = 0; i < n; i++)
        bits[i] = zg_cs_bool_private(cs, i < 256 ? (int)((c[i / 64] >> (i % 64)) & 1) : 0);
}

void zg_cs_to_bits(zg_cs *cs, zg_lc a, unsigned n, zg_lc *bits)
{
    zg_lc local[254];
    zg_lc *b = bits ? bits : local;
    if (n > 253) {
        if (cs->status == ZG_OK)
            cs->status = ZG_EINVAL;   /* a circuit bug: use zg_cs_to_bits_strict */
        return;
    }
    bits_of_value(cs, a, n, b);
    zg_cs_assert_equal(cs, zg_cs_from_bits(cs, b, n), a);
}

void zg_cs_range(zg_cs *cs, zg_lc a, unsigned n) { zg_cs_to_bits(cs, a, n, NULL); }

static int bit_of(const uint64_t c[4], unsigned i)
{
    return (int)((c[i / 64] >> (i % 64)) & 1);
}

/* eq * (all of bits[lo..hi] are 1): a product chain, or one zero test of
 * (count - sum) when the run is long. */
static zg_lc and_run(zg_cs *cs, zg_lc eq, const zg_lc *bits, unsigned lo, unsigned hi)
{
    unsigned k = hi - lo + 1;
    int eq_is_one = 0;
    zg_fr c;
    if (zg_lc_is_const(eq, &c)) {
        zg_fr one;
        zg_fr_one(&one);
        eq_is_one = zg_fr_eq(&c, &one);
    }
    unsigned chain = eq_is_one ? k - 1 : k;       /* cost of the product chain */
    unsigned test = eq_is_one ? 2 : 3;            /* cost of the zero test */
    if (chain <= test) {
        for (unsigned i = hi + 1; i-- > lo;)
            eq = zg_cs_mul(cs, eq, bits[i]);
        return eq;
    }
    zg_lc missing = zg_lc_u64(cs, k);            /* k - sum: 0 exactly when all are 1 */
    for (unsigned i = lo; i <= hi; i++)
        missing = zg_lc_sub(cs, missing, bits[i]);
    return zg_cs_mul(cs, eq, zg_cs_is_zero(cs, missing));
}

void zg_cs_bits_le_const(zg_cs *cs, const zg_lc *bits, unsigned n, const uint64_t c[4])
{
    for (unsigned i = n; i < 256; i++)
        if (bit_of(c, i))
            return;   /* c >= 2^n: always true */
    /* Below the lowest zero bit of c nothing can exceed c any more. */
    unsigned lowest_zero = n;
    for (unsigned i = 0; i < n; i++) {
        if (!bit_of(c, i)) {
            lowest_zero = i;
            break;
        }
    }
    /* From the top, eq = "the bits so far equal those of c". A run of ones
     * of c continues eq only if the bits are all 1; in a run of zeros the
     * bits must all be 0 while eq holds: eq * sum(run) = 0, one constraint
     * (a sum of at most 254 booleans is zero only when each is). */
    zg_lc eq = zg_lc_u64(cs, 1);
    unsigned i = n;
    while (i > lowest_zero) {
        unsigned hi = i - 1, lo = hi;
        int one = bit_of(c, hi);
        while (lo > lowest_zero && bit_of(c, lo - 1) == one)
            lo--;
        if (one) {
            eq = and_run(cs, eq, bits, lo, hi);
        } else {
            zg_lc sum = zg_lc_zero();
            for (unsigned k = lo; k <= hi; k++)
                sum = zg_lc_add(cs, sum, bits[k]);
            zg_cs_assert_zero_if(cs, eq, sum);
        }
        i = lo;
    }
}

void zg_cs_to_bits_strict(zg_cs *cs, zg_lc a, zg_lc bits[254])
{
    bits_of_value(cs, a, 254, bits);
    zg_cs_assert_equal(cs, zg_cs_from_bits(cs, bits, 254), a);
    uint64_t rm1[4];
    for (int i = 0; i < 4; i++)
        rm1[i] = zg_fr_field.p[i];
    rm1[0] -= 1;   /* r is odd: no borrow */
    zg_cs_bits_le_const(cs, bits, 254, rm1);
}

zg_lc zg_cs_less_than(zg_cs *cs, zg_lc a, zg_lc b, unsigned n)
{
    zg_lc bits[254];
    zg_fr two_n;
    uint64_t e[4] = {0, 0, 0, 0};
    if (n > 252) {
        if (cs->status == ZG_OK)
            cs->status = ZG_EINVAL;
        return zg_lc_zero();
    }
    e[n / 64] = 1ULL << (n % 64);
    zg_fr_from_canonical(&two_n, e, NULL);
    /* a - b + 2^n is in [0, 2^(n+1)); its top bit is 1 exactly when a >= b. */
    zg_lc d = zg_lc_add_const(cs, zg_lc_sub(cs, a, b), &two_n);
    zg_cs_to_bits(cs, d, n + 1, bits);
    return zg_cs_not(cs, bits[n]);
}

void zg_cs_assert_less_than(zg_cs *cs, zg_lc a, zg_lc b, unsigned n)
{
    /* b - a - 1 in [0, 2^n) with a, b < 2^n means a < b. */
    zg_fr m1;
    zg_fr_one(&m1);
    zg_fr_neg(&m1, &m1);
    zg_cs_range(cs, zg_lc_add_const(cs, zg_lc_sub(cs, b, a), &m1), n);
}

void zg_cs_assert_less_than_if(zg_cs *cs, zg_lc enabled, zg_lc a, zg_lc b, unsigned n)
{
    zg_fr m1;
    zg_fr_one(&m1);
    zg_fr_neg(&m1, &m1);
    zg_lc d = zg_lc_add_const(cs, zg_lc_sub(cs, b, a), &m1);
    zg_cs_range(cs, zg_cs_mul(cs, enabled, d), n);
}
