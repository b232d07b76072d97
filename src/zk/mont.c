/*
 * mont.c - the slower field operations of mont.h: powers, inverses, square
 * roots, and conversion to and from bytes and text.
 */
#include <string.h>

#include "base/hex.h"
#include "zk/mont.h"

static void mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const zg_mont_field *f)
{
    zg_mont_mul(r, a, b, f->p, f->pinv);
}

void zg_mont_pow(uint64_t r[4], const uint64_t a[4], const uint64_t e[4], const zg_mont_field *f)
{
    uint64_t acc[4], base[4], prod[4];
    memcpy(acc, f->r1, sizeof acc);
    memcpy(base, a, sizeof base);
    /* Left to right; the product is always computed and kept by a mask, so
     * the sequence of operations does not depend on the exponent's bits. */
    for (int i = 255; i >= 0; i--) {
        mul(acc, acc, acc, f);
        mul(prod, acc, base, f);
        zg_mont_select(acc, (int)((e[i / 64] >> (i % 64)) & 1), prod, acc);
    }
    memcpy(r, acc, sizeof acc);
}

void zg_mont_inv(uint64_t r[4], const uint64_t a[4], const zg_mont_field *f)
{
    zg_mont_pow(r, a, f->pm2, f);
}

int zg_mont_legendre(const uint64_t a[4], const zg_mont_field *f)
{
    uint64_t t[4];
    zg_mont_pow(t, a, f->half, f);
    if (zg_mont_eq(t, f->r1))
        return 1;
    static const uint64_t zero[4] = {0, 0, 0, 0};
    return zg_mont_eq(t, zero) ? 0 : -1;
}

/* Tonelli-Shanks, in the form that starts from w = a^((t-1)/2). */
int zg_mont_sqrt(uint64_t r[4], const uint64_t a[4], const zg_mont_field *f)
{
    static const uint64_t zero[4] = {0, 0, 0, 0};
    if (zg_mont_eq(a, zero)) {
        memset(r, 0, 32);
        return 1;
    }
    if (zg_mont_legendre(a, f) != 1)
        return 0;
    uint64_t w[4], x[4], b[4], z[4];
    zg_mont_pow(w, a, f->tm1h, f);
    mul(x, a, w, f);          /* x = a^((t+1)/2) */
    mul(b, x, w, f);          /* b = a^t */
    memcpy(z, f->root, sizeof z);
    unsigned v = f->two_adicity;
    while (!zg_mont_eq(b, f->r1)) {
        /* Least k with b^(2^k) == 1; k < v because a is a square. */
        unsigned k = 0;
        uint64_t t[4];
        memcpy(t, b, sizeof t);
        while (!zg_mont_eq(t, f->r1)) {
            mul(t, t, t, f);
            k++;
        }
        uint64_t s[4];
        memcpy(s, z, sizeof s);
        for (unsigned i = 0; i + 1 < v - k; i++)
            mul(s, s, s, f);
        mul(z, s, s, f);
        mul(b, b, z, f);
        mul(x, x, s, f);
        v = k;
    }
    memcpy(r, x, 32);
    return 1;
}

void zg_mont_to_mont(uint64_t r[4], const uint64_t canon[4], const zg_mont_field *f)
{
    mul(r, canon, f->r2, f);
}

void zg_mont_from_mont(uint64_t canon[4], const uint64_t a[4], const zg_mont_field *f)
{
    static const uint64_t one[4] = {1, 0, 0, 0};
    mul(canon, a, one, f);
}

/* 1 when the canonical limbs x are below p. */
static int below_p(const uint64_t x[4], const zg_mont_field *f)
{
    for (int i = 3; i >= 0; i--) {
        if (x[i] != f->p[i])
            return x[i] < f->p[i];
    }
    return 0;
}

int zg_mont_from_bytes(uint64_t r[4], const uint8_t in[32], int little_endian,
                       const zg_mont_field *f, zg_err *e)
{
    uint64_t x[4] = {0, 0, 0, 0};
    for (int i = 0; i < 32; i++) {
        uint8_t byte = little_endian ? in[i] : in[31 - i];
        x[i / 8] |= (uint64_t)byte << (8 * (i % 8));
    }
    if (!below_p(x, f))
        return zg_err_set(e, ZG_ERANGE, "value is not below the %s modulus", f->name);
    zg_mont_to_mont(r, x, f);
    return ZG_OK;
}

void zg_mont_to_bytes(uint8_t out[32], const uint64_t a[4], int little_endian,
                      const zg_mont_field *f)
{
    uint64_t x[4];
    zg_mont_from_mont(x, a, f);
    for (int i = 0; i < 32; i++) {
        uint8_t byte = (uint8_t)(x[i / 8] >> (8 * (i % 8)));
        out[little_endian ? i : 31 - i] = byte;
    }
}

/* x (canonical, < 2^256) reduced below p: p > 2^253, so at most 7 subtractions. */
static void reduce_once_below_2_256(uint64_t x[4], const zg_mont_field *f)
{
    while (!below_p(x, f)) {
        zg_u128 borrow = 0;
        for (int i = 0; i < 4; i++) {
            zg_u128 t = (zg_u128)x[i] - f->p[i] - borrow;
            x[i] = (uint64_t)t;
            borrow = (t >> 64) & 1;
        }
    }
}

void zg_mont_from_bytes_reduce(uint64_t r[4], const uint8_t *in, size_t n, const zg_mont_field *f)
{
    /* Horner over 32-byte chunks, most significant first, in canonical form:
     * acc = acc * 2^256 + chunk. mont_mul(acc, R^2) = acc * R mod p = acc * 2^256. */
    uint64_t acc[4] = {0, 0, 0, 0};
    size_t first = n % 32 ? n % 32 : 32;
    for (size_t off = 0; off < n;) {
        size_t len = off == 0 ? first : 32;
        uint64_t chunk[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < len; i++) {
            size_t bit = 8 * (len - 1 - i);
            chunk[bit / 64] |= (uint64_t)in[off + i] << (bit % 64);
        }
        reduce_once_below_2_256(chunk, f);
        mul(acc, acc, f->r2, f);
        zg_mont_add(acc, acc, chunk, f->p);
        off += len;
    }
    zg_mont_to_mont(r, acc, f);
}

/* x = x * m + a on canonical 256-bit limbs; returns 1 on overflow. */
static int mul_add_small(uint64_t x[4], uint64_t m, uint64_t a)
{
    zg_u128 c = a;
    for (int i = 0; i < 4; i++) {
        c += (zg_u128)x[i] * m;
        x[i] = (uint64_t)c;
        c >>= 64;
    }
    return c != 0;
}

int zg_mont_from_str(uint64_t r[4], const char *s, const zg_mont_field *f, zg_err *e)
{
    if (!s || !*s)
        return zg_err_set(e, ZG_EINVAL, "empty %s element", f->name);
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *d = hex ? s + 2 : s;
    if (!*d)
        return zg_err_set(e, ZG_EINVAL, "\"%s\" has no digits", s);
    uint64_t x[4] = {0, 0, 0, 0};
    for (const char *c = d; *c; c++) {
        int v = hex ? zg_hex_digit(*c) : (*c >= '0' && *c <= '9' ? *c - '0' : -1);
        if (v < 0)
            return zg_err_set(e, ZG_EINVAL, "bad %s digit '%c' in a %s element",
                              hex ? "hex" : "decimal", *c, f->name);
        if (mul_add_small(x, hex ? 16 : 10, (uint64_t)v))
            return zg_err_set(e, ZG_ERANGE, "%s element does not fit 256 bits", f->name);
    }
    if (!below_p(x, f))
        return zg_err_set(e, ZG_ERANGE, "value is not below the %s modulus", f->name);
    zg_mont_to_mont(r, x, f);
    return ZG_OK;
}

/* x = x / d, returns the remainder. */
static uint64_t div_small(uint64_t x[4], uint64_t d)
{
    zg_u128 rem = 0;
    for (int i = 3; i >= 0; i--) {
        zg_u128 cur = (rem << 64) | x[i];
        x[i] = (uint64_t)(cur / d);
        rem = cur % d;
    }
    return (uint64_t)rem;
}

void zg_mont_to_dec(char out[80], const uint64_t a[4], const zg_mont_field *f)
{
    uint64_t x[4];
    zg_mont_from_mont(x, a, f);
    char tmp[80];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + div_small(x, 10));
    } while (x[0] | x[1] | x[2] | x[3]);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void zg_mont_to_hex(char out[67], const uint64_t a[4], const zg_mont_field *f)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t b[32];
    zg_mont_to_bytes(b, a, 0, f);
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 32; i++) {
        out[2 + 2 * i] = digits[b[i] >> 4];
        out[3 + 2 * i] = digits[b[i] & 15];
    }
    out[66] = '\0';
}
