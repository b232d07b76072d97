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

/* r = s - p unless s is already below p; s must be below 2p. Plain 128-bit
 * borrows: an sbb-intrinsic chain measured slower here, both at the end of
 * the multiplication and in the addition. */
static inline void zg_mont_reduce_once(uint64_t r[4], const uint64_t s[4], const uint64_t p[4])
{
    uint64_t d[4];
    zg_u128 borrow = 0;
    for (int i = 0; i < 4; i++) {
        zg_u128 z = (zg_u128)s[i] - p[i] - borrow;
        d[i] = (uint64_t)z;
        borrow = (z >> 64) & 1;
    }
    zg_mont_pick(r, -(uint64_t)borrow, s, d);   /* a final borrow means s < p */
}

/* r = a + b mod p. */
static inline void zg_mont_add_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                               const uint64_t p[4])
{
    /* a + b < 2p < 2^256 (p below 2^254, as the no-carry multiplication
     * needs too): no carry leaves the top limb. */
    uint64_t s[4];
    unsigned char c = zg_addc(0, a[0], b[0], &s[0]);
    c = zg_addc(c, a[1], b[1], &s[1]);
    c = zg_addc(c, a[2], b[2], &s[2]);
    zg_addc(c, a[3], b[3], &s[3]);
    zg_mont_reduce_once(r, s, p);
}

/* r = a - b mod p. */
static inline void zg_mont_sub_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
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

/*
 * r = a * b / R mod p: Montgomery multiplication, operand scanning (CIOS)
 * without the two extra carry words. That shortcut ("no-carry", Botrel and
 * others, gnark-crypto 2020) is exact when the modulus' top limb is below
 * 2^63 - 1; both BN254 moduli have it below 2^62, and tests/zk/test_fields.c
 * checks it for every field. r may alias a or b. Constant time.
 *
 * Measured against the other forms in one run (a dependent chain of
 * multiplications, this machine): no-carry CIOS 34 ns, CIOS with carry
 * words 38 ns, product scanning (FIPS) 48 ns. FIPS executes the fewest
 * instructions, but its single accumulator serialises every carry.
 */
static inline void zg_mont_mul_portable(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                        const uint64_t p[4], uint64_t pinv)
{
    /* Unrolled with the running sum in named variables, not an array: gcc
     * keeps them in registers (10-15% faster than the loop form here). */
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b[i];
        zg_u128 x = (zg_u128)a[0] * bi + t0;
        t0 = (uint64_t)x;
        uint64_t ab = (uint64_t)(x >> 64);
        uint64_t m = t0 * pinv;
        zg_u128 y = (zg_u128)m * p[0] + t0;
        uint64_t mp = (uint64_t)(y >> 64);
        x = (zg_u128)a[1] * bi + t1 + ab;
        t1 = (uint64_t)x;
        ab = (uint64_t)(x >> 64);
        y = (zg_u128)m * p[1] + t1 + mp;
        t0 = (uint64_t)y;
        mp = (uint64_t)(y >> 64);
        x = (zg_u128)a[2] * bi + t2 + ab;
        t2 = (uint64_t)x;
        ab = (uint64_t)(x >> 64);
        y = (zg_u128)m * p[2] + t2 + mp;
        t1 = (uint64_t)y;
        mp = (uint64_t)(y >> 64);
        x = (zg_u128)a[3] * bi + t3 + ab;
        t3 = (uint64_t)x;
        ab = (uint64_t)(x >> 64);
        y = (zg_u128)m * p[3] + t3 + mp;
        t2 = (uint64_t)y;
        mp = (uint64_t)(y >> 64);
        t3 = mp + ab;
    }
    const uint64_t t[4] = {t0, t1, t2, t3};
    zg_mont_reduce_once(r, t, p);   /* t is below 2p */
}

/*
 * The operations every field uses: the assembly of mont_x86.h on x86-64
 * (multiplication only where the target has BMI2 and ADX), else the portable
 * C above. Both give the same results in constant time.
 */
#if defined(__x86_64__)
#include "zk/mont_x86.h"
#define ZG_MONT_ADD_X86 1
#define ZG_MONT_ADDSUB(op) zg_mont_##op##_x86
#else
#define ZG_MONT_ADD_X86 0
#define ZG_MONT_ADDSUB(op) zg_mont_##op##_portable
#endif
static inline void zg_mont_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t p[4])
{
    ZG_MONT_ADDSUB(add)(r, a, b, p);
}
static inline void zg_mont_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t p[4])
{
    ZG_MONT_ADDSUB(sub)(r, a, b, p);
}
#undef ZG_MONT_ADDSUB

#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__)
#define ZG_MONT_MUL_ADX 1
#define ZG_MONT_MUL_IMPL zg_mont_mul_adx
#else
#define ZG_MONT_MUL_ADX 0
#define ZG_MONT_MUL_IMPL zg_mont_mul_portable
#endif
static inline void zg_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                               const uint64_t p[4], uint64_t pinv)
{
    ZG_MONT_MUL_IMPL(r, a, b, p, pinv);
}
#undef ZG_MONT_MUL_IMPL

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
/* The same, about 20x faster but variable time (GMP's extended gcd): for
 * public values only (mont_inv_vartime.c). */
void zg_mont_inv_vartime(uint64_t r[4], const uint64_t a[4], const zg_mont_field *f);
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
