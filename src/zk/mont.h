/*
 * mont.h - arithmetic modulo a 254-bit prime in Montgomery form, 4 x 64-bit limbs.
 *
 * This is the engine behind the two BN254 fields (fr.h: the scalar field, which
 * is also Baby Jubjub's base field; fq.h: the base field of the BN254 curve).
 * An element holds a*R mod p with R = 2^256, limbs little-endian, always fully
 * reduced (< p), so equality is limb equality.
 *
 * The inline operations (add, sub, neg, mul) run in constant time: no branch
 * or memory access depends on the values, so they may touch secret scalars.
 * Functions that are variable time say so.
 */
#ifndef ZG_ZK_MONT_H
#define ZG_ZK_MONT_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"

typedef unsigned __int128 zg_u128;

/* The constants that define one prime field. */
typedef struct zg_mont_field {
    const char *name;    /* "BN254 Fr", for messages */
    uint64_t p[4];       /* the modulus */
    uint64_t pinv;       /* -p^-1 mod 2^64 */
    uint64_t r1[4];      /* R mod p: one in Montgomery form */
    uint64_t r2[4];      /* R^2 mod p: converts into Montgomery form */
    uint64_t pm2[4];     /* p - 2: the inversion exponent (Fermat) */
    uint64_t half[4];    /* (p - 1) / 2: the Legendre exponent */
    unsigned two_adicity;/* s with p - 1 = 2^s * t, t odd */
    uint64_t tm1h[4];    /* (t - 1) / 2, for Tonelli-Shanks */
    uint64_t root[4];    /* z^t in Montgomery form, z the least non-residue */
} zg_mont_field;

/* Add and subtract with carry: the x86-64 intrinsics compile to adc/sbb;
 * elsewhere the same meaning in portable C. */
#if defined(__x86_64__)
#include <x86intrin.h>
#define zg_addc(c, a, b, out) _addcarry_u64((c), (a), (b), (unsigned long long *)(out))
#define zg_subb(c, a, b, out) _subborrow_u64((c), (a), (b), (unsigned long long *)(out))
#else
static inline unsigned char zg_addc(unsigned char c, uint64_t a, uint64_t b, uint64_t *out)
{
    zg_u128 s = (zg_u128)a + b + c;
    *out = (uint64_t)s;
    return (unsigned char)(s >> 64);
}
static inline unsigned char zg_subb(unsigned char c, uint64_t a, uint64_t b, uint64_t *out)
{
    zg_u128 d = (zg_u128)a - b - c;
    *out = (uint64_t)d;
    return (unsigned char)((d >> 64) & 1);
}
#endif

/* r = x when keep_x is all ones, y when it is zero. */
static inline void zg_mont_pick(uint64_t r[4], uint64_t keep_x, const uint64_t x[4], const uint64_t y[4])
{
    for (int i = 0; i < 4; i++)
        r[i] = (x[i] & keep_x) | (y[i] & ~keep_x);
}

/* r = s - p unless (top:s) is already below p; (top:s) must be below 2p. */
static inline void zg_mont_reduce_once(uint64_t r[4], uint64_t top, const uint64_t s[4], const uint64_t p[4])
{
    uint64_t d[4], ignored;
    unsigned char b = zg_subb(0, s[0], p[0], &d[0]);
    b = zg_subb(b, s[1], p[1], &d[1]);
    b = zg_subb(b, s[2], p[2], &d[2]);
    b = zg_subb(b, s[3], p[3], &d[3]);
    b = zg_subb(b, top, 0, &ignored);
    zg_mont_pick(r, -(uint64_t)b, s, d);   /* a final borrow means s < p */
}

/* r = a + b mod p. */
static inline void zg_mont_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                               const uint64_t p[4])
{
    uint64_t s[4];
    unsigned char c = zg_addc(0, a[0], b[0], &s[0]);
    c = zg_addc(c, a[1], b[1], &s[1]);
    c = zg_addc(c, a[2], b[2], &s[2]);
    c = zg_addc(c, a[3], b[3], &s[3]);
    zg_mont_reduce_once(r, c, s, p);
}

/* r = a - b mod p. */
static inline void zg_mont_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                               const uint64_t p[4])
{
    uint64_t d[4], q[4];
    unsigned char b0 = zg_subb(0, a[0], b[0], &d[0]);
    b0 = zg_subb(b0, a[1], b[1], &d[1]);
    b0 = zg_subb(b0, a[2], b[2], &d[2]);
    b0 = zg_subb(b0, a[3], b[3], &d[3]);
    uint64_t mask = -(uint64_t)b0;     /* add p back when it borrowed */
    unsigned char c = zg_addc(0, d[0], p[0] & mask, &q[0]);
    c = zg_addc(c, d[1], p[1] & mask, &q[1]);
    c = zg_addc(c, d[2], p[2] & mask, &q[2]);
    zg_addc(c, d[3], p[3] & mask, &q[3]);
    for (int i = 0; i < 4; i++)
        r[i] = q[i];
}

/* (t2:t1:t0) += x * y: one step of a column of the product. */
#define ZG_MONT_MAC(x, y)                                                      \
    do {                                                                       \
        zg_u128 p_ = (zg_u128)(x) * (y);                                       \
        unsigned char c_ = zg_addc(0, t0, (uint64_t)p_, &t0);                  \
        c_ = zg_addc(c_, t1, (uint64_t)(p_ >> 64), &t1);                       \
        t2 += c_;                                                              \
    } while (0)
/* Moves the accumulator down one limb once its low limb is done. */
#define ZG_MONT_SHIFT() (t0 = t1, t1 = t2, t2 = 0)

/*
 * r = a * b / R mod p. Montgomery multiplication in product-scanning form
 * (FIPS, "finely integrated product scanning", Koc, Acar and Kaliski 1996):
 * each column of a*b + m*p is summed in a three-limb accumulator, which keeps
 * the working set in registers; about half the instructions of the
 * operand-scanning (CIOS) form with 128-bit carries. r may alias a or b.
 * No column sums more than 8 products, so the accumulator cannot overflow.
 */
static inline void zg_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                               const uint64_t p[4], uint64_t pinv)
{
    uint64_t t0 = 0, t1 = 0, t2 = 0, m[4], s[4];
    /* Columns 0..3: each fixes one limb of m so that the column ends in 0. */
    ZG_MONT_MAC(a[0], b[0]);
    m[0] = t0 * pinv;
    ZG_MONT_MAC(m[0], p[0]);
    ZG_MONT_SHIFT();
    ZG_MONT_MAC(a[0], b[1]); ZG_MONT_MAC(a[1], b[0]); ZG_MONT_MAC(m[0], p[1]);
    m[1] = t0 * pinv;
    ZG_MONT_MAC(m[1], p[0]);
    ZG_MONT_SHIFT();
    ZG_MONT_MAC(a[0], b[2]); ZG_MONT_MAC(a[1], b[1]); ZG_MONT_MAC(a[2], b[0]);
    ZG_MONT_MAC(m[0], p[2]); ZG_MONT_MAC(m[1], p[1]);
    m[2] = t0 * pinv;
    ZG_MONT_MAC(m[2], p[0]);
    ZG_MONT_SHIFT();
    ZG_MONT_MAC(a[0], b[3]); ZG_MONT_MAC(a[1], b[2]); ZG_MONT_MAC(a[2], b[1]); ZG_MONT_MAC(a[3], b[0]);
    ZG_MONT_MAC(m[0], p[3]); ZG_MONT_MAC(m[1], p[2]); ZG_MONT_MAC(m[2], p[1]);
    m[3] = t0 * pinv;
    ZG_MONT_MAC(m[3], p[0]);
    ZG_MONT_SHIFT();
    /* Columns 4..7: the limbs of the result. */
    ZG_MONT_MAC(a[1], b[3]); ZG_MONT_MAC(a[2], b[2]); ZG_MONT_MAC(a[3], b[1]);
    ZG_MONT_MAC(m[1], p[3]); ZG_MONT_MAC(m[2], p[2]); ZG_MONT_MAC(m[3], p[1]);
    s[0] = t0;
    ZG_MONT_SHIFT();
    ZG_MONT_MAC(a[2], b[3]); ZG_MONT_MAC(a[3], b[2]); ZG_MONT_MAC(m[2], p[3]); ZG_MONT_MAC(m[3], p[2]);
    s[1] = t0;
    ZG_MONT_SHIFT();
    ZG_MONT_MAC(a[3], b[3]); ZG_MONT_MAC(m[3], p[3]);
    s[2] = t0;
    s[3] = t1;
    zg_mont_reduce_once(r, t2, s, p);   /* the sum is below 2p */
}
#undef ZG_MONT_MAC
#undef ZG_MONT_SHIFT

/* 1 when a == b, else 0; constant time. */
static inline int zg_mont_eq(const uint64_t a[4], const uint64_t b[4])
{
    uint64_t x = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]);
    return (int)(((x | (0 - x)) >> 63) ^ 1);
}

/* r = a when bit is 1, b when bit is 0; constant time. */
static inline void zg_mont_select(uint64_t r[4], int bit, const uint64_t a[4], const uint64_t b[4])
{
    zg_mont_pick(r, -(uint64_t)(bit & 1), a, b);
}

/* The operations below are out of line: they are slower and less hot. */

/* r = a^e for a 256-bit exponent e (little-endian limbs). Constant time in e. */
void zg_mont_pow(uint64_t r[4], const uint64_t a[4], const uint64_t e[4], const zg_mont_field *f);
/* r = a^-1, and 0 for 0 (Fermat: a^(p-2)). Constant time. */
void zg_mont_inv(uint64_t r[4], const uint64_t a[4], const zg_mont_field *f);
/* r = a square root of a; returns 1, or 0 (r untouched) when a is not a square.
 * Variable time (Tonelli-Shanks): for public values only. */
int zg_mont_sqrt(uint64_t r[4], const uint64_t a[4], const zg_mont_field *f);
/* Legendre symbol: 1 square, -1 non-square, 0 zero. */
int zg_mont_legendre(const uint64_t a[4], const zg_mont_field *f);

/* Conversion between canonical integers (< p) and Montgomery form. */
void zg_mont_to_mont(uint64_t r[4], const uint64_t canon[4], const zg_mont_field *f);
void zg_mont_from_mont(uint64_t canon[4], const uint64_t a[4], const zg_mont_field *f);

/* Bytes of the canonical value, 32 of them, big- or little-endian. from_bytes
 * rejects values >= p with ZG_ERANGE; from_bytes_reduce takes any number of
 * big-endian bytes and reduces them mod p. */
int zg_mont_from_bytes(uint64_t r[4], const uint8_t in[32], int little_endian,
                       const zg_mont_field *f, zg_err *e);
void zg_mont_to_bytes(uint8_t out[32], const uint64_t a[4], int little_endian,
                      const zg_mont_field *f);
void zg_mont_from_bytes_reduce(uint64_t r[4], const uint8_t *in, size_t n, const zg_mont_field *f);

/* Text: decimal, or hex with 0x. Rejects empty strings, stray characters and
 * values >= p (ZG_EINVAL / ZG_ERANGE). to_dec needs 80 bytes; to_hex 67. */
int zg_mont_from_str(uint64_t r[4], const char *s, const zg_mont_field *f, zg_err *e);
void zg_mont_to_dec(char out[80], const uint64_t a[4], const zg_mont_field *f);
void zg_mont_to_hex(char out[67], const uint64_t a[4], const zg_mont_field *f);

/*
 * ZG_MONT_DEFINE_FIELD(fr) defines, for the element type zg_fr and the
 * field constant zg_fr_field, the inline API every field shares:
 *   zg_fr_zero, zg_fr_one, zg_fr_set_u64, zg_fr_add, zg_fr_sub, zg_fr_neg,
 *   zg_fr_double, zg_fr_mul, zg_fr_sqr, zg_fr_eq, zg_fr_is_zero, zg_fr_select,
 *   zg_fr_inv, zg_fr_pow, zg_fr_sqrt, zg_fr_legendre, zg_fr_from_bytes_be/le,
 *   zg_fr_to_bytes_be/le, zg_fr_from_bytes_reduce, zg_fr_from_str,
 *   zg_fr_to_dec, zg_fr_to_hex, zg_fr_to_canonical, zg_fr_from_canonical.
 * One definition serves both fields, so they cannot drift apart.
 */
#define ZG_MONT_DEFINE_FIELD(N)                                                             \
    typedef struct zg_##N { uint64_t v[4]; } zg_##N;                                        \
    extern const zg_mont_field zg_##N##_field;                                              \
    static inline void zg_##N##_zero(zg_##N *r) { r->v[0] = r->v[1] = r->v[2] = r->v[3] = 0; } \
    static inline void zg_##N##_one(zg_##N *r)                                              \
    { for (int i = 0; i < 4; i++) r->v[i] = zg_##N##_field.r1[i]; }                         \
    static inline void zg_##N##_add(zg_##N *r, const zg_##N *a, const zg_##N *b)            \
    { zg_mont_add(r->v, a->v, b->v, zg_##N##_field.p); }                                    \
    static inline void zg_##N##_sub(zg_##N *r, const zg_##N *a, const zg_##N *b)            \
    { zg_mont_sub(r->v, a->v, b->v, zg_##N##_field.p); }                                    \
    static inline void zg_##N##_neg(zg_##N *r, const zg_##N *a)                             \
    { static const uint64_t z[4] = {0, 0, 0, 0}; zg_mont_sub(r->v, z, a->v, zg_##N##_field.p); } \
    static inline void zg_##N##_double(zg_##N *r, const zg_##N *a)                          \
    { zg_mont_add(r->v, a->v, a->v, zg_##N##_field.p); }                                    \
    static inline void zg_##N##_mul(zg_##N *r, const zg_##N *a, const zg_##N *b)            \
    { zg_mont_mul(r->v, a->v, b->v, zg_##N##_field.p, zg_##N##_field.pinv); }               \
    static inline void zg_##N##_sqr(zg_##N *r, const zg_##N *a)                             \
    { zg_mont_mul(r->v, a->v, a->v, zg_##N##_field.p, zg_##N##_field.pinv); }               \
    static inline int zg_##N##_eq(const zg_##N *a, const zg_##N *b)                         \
    { return zg_mont_eq(a->v, b->v); }                                                      \
    static inline int zg_##N##_is_zero(const zg_##N *a)                                     \
    { static const uint64_t z[4] = {0, 0, 0, 0}; return zg_mont_eq(a->v, z); }             \
    static inline void zg_##N##_select(zg_##N *r, int bit, const zg_##N *a, const zg_##N *b) \
    { zg_mont_select(r->v, bit, a->v, b->v); }                                              \
    static inline void zg_##N##_set_u64(zg_##N *r, uint64_t x)                              \
    { const uint64_t c[4] = {x, 0, 0, 0}; zg_mont_to_mont(r->v, c, &zg_##N##_field); }      \
    static inline void zg_##N##_inv(zg_##N *r, const zg_##N *a)                             \
    { zg_mont_inv(r->v, a->v, &zg_##N##_field); }                                           \
    static inline void zg_##N##_pow(zg_##N *r, const zg_##N *a, const uint64_t e[4])        \
    { zg_mont_pow(r->v, a->v, e, &zg_##N##_field); }                                        \
    static inline int zg_##N##_sqrt(zg_##N *r, const zg_##N *a)                             \
    { return zg_mont_sqrt(r->v, a->v, &zg_##N##_field); }                                   \
    static inline int zg_##N##_legendre(const zg_##N *a)                                    \
    { return zg_mont_legendre(a->v, &zg_##N##_field); }                                     \
    static inline int zg_##N##_from_bytes_be(zg_##N *r, const uint8_t in[32], zg_err *e)    \
    { return zg_mont_from_bytes(r->v, in, 0, &zg_##N##_field, e); }                         \
    static inline int zg_##N##_from_bytes_le(zg_##N *r, const uint8_t in[32], zg_err *e)    \
    { return zg_mont_from_bytes(r->v, in, 1, &zg_##N##_field, e); }                         \
    static inline void zg_##N##_to_bytes_be(uint8_t out[32], const zg_##N *a)               \
    { zg_mont_to_bytes(out, a->v, 0, &zg_##N##_field); }                                    \
    static inline void zg_##N##_to_bytes_le(uint8_t out[32], const zg_##N *a)               \
    { zg_mont_to_bytes(out, a->v, 1, &zg_##N##_field); }                                    \
    static inline void zg_##N##_from_bytes_reduce(zg_##N *r, const uint8_t *in, size_t n)   \
    { zg_mont_from_bytes_reduce(r->v, in, n, &zg_##N##_field); }                            \
    static inline int zg_##N##_from_str(zg_##N *r, const char *s, zg_err *e)                \
    { return zg_mont_from_str(r->v, s, &zg_##N##_field, e); }                               \
    static inline void zg_##N##_to_dec(char out[80], const zg_##N *a)                       \
    { zg_mont_to_dec(out, a->v, &zg_##N##_field); }                                         \
    static inline void zg_##N##_to_hex(char out[67], const zg_##N *a)                       \
    { zg_mont_to_hex(out, a->v, &zg_##N##_field); }                                         \
    static inline void zg_##N##_to_canonical(uint64_t out[4], const zg_##N *a)              \
    { zg_mont_from_mont(out, a->v, &zg_##N##_field); }                                      \
    static inline int zg_##N##_from_canonical(zg_##N *r, const uint64_t in[4], zg_err *e)   \
    {                                                                                       \
        uint8_t b[32];                                                                      \
        for (int i = 0; i < 32; i++) b[i] = (uint8_t)(in[i / 8] >> (8 * (i % 8)));         \
        return zg_mont_from_bytes(r->v, b, 1, &zg_##N##_field, e);                          \
    }

#endif
