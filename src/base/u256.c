/* u256.c - unsigned 256-bit arithmetic (see base/u256.h). */
#include <string.h>

#include "base/hex.h"
#include "base/u256.h"

typedef unsigned __int128 u128;

/* Input quoted in error messages: short inputs only, since a long hex
 * string handed to the wrong parser may be a private key. */
static const char *quoted(const char *s)
{
    return strnlen(s, 41) <= 40 ? s : "(long input, not shown)";
}

zg_u256 zg_u256_from_u64(uint64_t v)
{
    zg_u256 r = {{v, 0, 0, 0}};
    return r;
}

zg_u256 zg_u256_from_be(const uint8_t be[32])
{
    zg_u256 r = {{0, 0, 0, 0}};
    for (int i = 0; i < 32; i++)
        r.w[3 - i / 8] |= (uint64_t)be[i] << (8 * (7 - i % 8));
    return r;
}

void zg_u256_to_be(uint8_t be[32], const zg_u256 *a)
{
    for (int i = 0; i < 32; i++)
        be[i] = (uint8_t)(a->w[3 - i / 8] >> (8 * (7 - i % 8)));
}

int zg_u256_from_be_bytes(zg_u256 *r, const uint8_t *p, size_t n)
{
    if (n > 32)
        return ZG_ERANGE;
    uint8_t be[32] = {0};
    if (n)
        memcpy(be + 32 - n, p, n);
    *r = zg_u256_from_be(be);
    return ZG_OK;
}

size_t zg_u256_byte_len(const zg_u256 *a)
{
    uint8_t be[32];
    zg_u256_to_be(be, a);
    size_t i = 0;
    while (i < 32 && be[i] == 0)
        i++;
    return 32 - i;
}

int zg_u256_to_u64(const zg_u256 *a, uint64_t *out)
{
    if (a->w[1] || a->w[2] || a->w[3])
        return ZG_ERANGE;
    *out = a->w[0];
    return ZG_OK;
}

int zg_u256_is_zero(const zg_u256 *a)
{
    return (a->w[0] | a->w[1] | a->w[2] | a->w[3]) == 0;
}

int zg_u256_cmp(const zg_u256 *a, const zg_u256 *b)
{
    for (int i = 3; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

int zg_u256_add(zg_u256 *r, const zg_u256 *a, const zg_u256 *b)
{
    u128 carry = 0;
    zg_u256 t;
    for (int i = 0; i < 4; i++) {
        carry += (u128)a->w[i] + b->w[i];
        t.w[i] = (uint64_t)carry;
        carry >>= 64;
    }
    *r = t;
    return carry ? ZG_ERANGE : ZG_OK;
}

int zg_u256_sub(zg_u256 *r, const zg_u256 *a, const zg_u256 *b)
{
    uint64_t borrow = 0;
    zg_u256 t;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a->w[i] - b->w[i] - borrow;
        t.w[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 127); /* set when the word went negative */
    }
    *r = t;
    return borrow ? ZG_ERANGE : ZG_OK;
}

int zg_u256_mul(zg_u256 *r, const zg_u256 *a, const zg_u256 *b)
{
    uint64_t p[8] = {0};
    for (int i = 0; i < 4; i++) {
        u128 carry = 0;
        for (int j = 0; j < 4; j++) {
            carry += (u128)a->w[i] * b->w[j] + p[i + j];
            p[i + j] = (uint64_t)carry;
            carry >>= 64;
        }
        p[i + 4] = (uint64_t)carry;
    }
    memcpy(r->w, p, sizeof r->w);
    return (p[4] | p[5] | p[6] | p[7]) ? ZG_ERANGE : ZG_OK;
}

static int bit_len(const zg_u256 *a)
{
    for (int i = 3; i >= 0; i--)
        if (a->w[i])
            return 64 * i + 64 - __builtin_clzll(a->w[i]);
    return 0;
}

static void shl1(zg_u256 *a, unsigned bit)
{
    for (int i = 3; i > 0; i--)
        a->w[i] = a->w[i] << 1 | a->w[i - 1] >> 63;
    a->w[0] = a->w[0] << 1 | bit;
}

int zg_u256_divmod(zg_u256 *q, zg_u256 *rem, const zg_u256 *a, const zg_u256 *b)
{
    if (zg_u256_is_zero(b))
        return ZG_EINVAL;
    /* Restoring binary long division; 256 steps at most, fine for the
     * amounts and fees this project divides. */
    zg_u256 qq = zg_u256_from_u64(0), r = zg_u256_from_u64(0), d = *b, n = *a;
    for (int i = bit_len(&n) - 1; i >= 0; i--) {
        shl1(&r, (unsigned)(n.w[i / 64] >> (i % 64)) & 1);
        shl1(&qq, 0);
        if (zg_u256_cmp(&r, &d) >= 0) {
            zg_u256_sub(&r, &r, &d);
            qq.w[0] |= 1;
        }
    }
    if (q)
        *q = qq;
    if (rem)
        *rem = r;
    return ZG_OK;
}

/* r = r * base + digit, reporting overflow. */
static int mul_add_small(zg_u256 *r, uint64_t base, uint64_t digit)
{
    u128 carry = digit;
    for (int i = 0; i < 4; i++) {
        carry += (u128)r->w[i] * base;
        r->w[i] = (uint64_t)carry;
        carry >>= 64;
    }
    return carry ? ZG_ERANGE : ZG_OK;
}

static int parse_digits(zg_u256 *r, const char *s, unsigned base, const char *what,
                        zg_err *e)
{
    if (!*s)
        return zg_err_set(e, ZG_EINVAL, "invalid %s integer: no digits", what);
    zg_u256 v = zg_u256_from_u64(0);
    for (size_t i = 0; s[i]; i++) {
        int d = base == 16 ? zg_hex_digit(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
        if (d < 0)
            return zg_err_set(e, ZG_EINVAL, "invalid %s integer \"%s\": bad character at %zu",
                              what, quoted(s), i);
        if (mul_add_small(&v, base, (uint64_t)d))
            return zg_err_set(e, ZG_ERANGE, "%s integer \"%s\" does not fit in 256 bits",
                              what, quoted(s));
    }
    *r = v;
    return ZG_OK;
}

int zg_u256_from_dec(zg_u256 *r, const char *s, zg_err *e)
{
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "invalid decimal integer: missing");
    return parse_digits(r, s, 10, "decimal", e);
}

int zg_u256_from_hex(zg_u256 *r, const char *s, zg_err *e)
{
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "invalid hex integer: missing");
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    return parse_digits(r, s, 16, "hex", e);
}

int zg_u256_parse(zg_u256 *r, const char *s, zg_err *e)
{
    if (s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return zg_u256_from_hex(r, s, e);
    return zg_u256_from_dec(r, s, e);
}

/* a = a / d for a single-word divisor; returns the remainder. */
static uint64_t div_small(zg_u256 *a, uint64_t d)
{
    u128 rem = 0;
    for (int i = 3; i >= 0; i--) {
        u128 cur = rem << 64 | a->w[i];
        a->w[i] = (uint64_t)(cur / d);
        rem = cur % d;
    }
    return (uint64_t)rem;
}

void zg_u256_to_dec(const zg_u256 *a, char out[ZG_U256_DEC_MAX])
{
    char tmp[ZG_U256_DEC_MAX];
    size_t n = 0;
    zg_u256 v = *a;
    do
        tmp[n++] = (char)('0' + div_small(&v, 10));
    while (!zg_u256_is_zero(&v));
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void zg_u256_to_hex(const zg_u256 *a, char out[ZG_U256_HEX_MAX])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t be[32];
    zg_u256_to_be(be, a);
    size_t n = 2;
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 64; i++) {
        unsigned d = (be[i / 2] >> (i % 2 ? 0 : 4)) & 15;
        if (d || n > 2 || i == 63)
            out[n++] = digits[d];
    }
    out[n] = '\0';
}
