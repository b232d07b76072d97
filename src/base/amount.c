/* amount.c - ether amounts with units (see base/amount.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/amount.h"

typedef struct unit {
    const char *name;
    unsigned decimals;
} unit;

/* Input quoted in error messages: short inputs only, since a long hex
 * string handed to the wrong parser may be a private key. */
static const char *quoted(const char *s)
{
    return strnlen(s, 41) <= 40 ? s : "(long input, not shown)";
}

/* Denominations from the Ethereum yellow paper / ethers' unit names. */
static const unit units[] = {{"eth", 18}, {"ether", 18}, {"gwei", 9}, {"wei", 0}};

static zg_u256 pow10_u256(unsigned n)
{
    zg_u256 r = zg_u256_from_u64(1), ten = zg_u256_from_u64(10);
    while (n--)
        zg_u256_mul(&r, &r, &ten); /* n <= 18: never overflows */
    return r;
}

static const unit *find_unit(const char *s)
{
    if (!*s)
        return &units[3]; /* no unit: wei */
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(s, units[i].name) == 0)
            return &units[i];
    return NULL;
}

/* Splits s into integer digits, fraction digits and unit; checks shape. */
static int split(const char *s, size_t *int_len, size_t *frac_off, size_t *frac_len,
                 const char **unit_s, zg_err *e)
{
    size_t i = 0;
    while (isdigit((unsigned char)s[i]))
        i++;
    *int_len = i;
    *frac_off = i;
    *frac_len = 0;
    if (s[i] == '.') {
        *frac_off = ++i;
        while (isdigit((unsigned char)s[i]))
            i++;
        *frac_len = i - *frac_off;
        if (*frac_len == 0)
            return zg_err_set(e, ZG_EINVAL, "invalid amount \"%s\": no digits after '.'",
                              quoted(s));
    }
    if (*int_len == 0)
        return zg_err_set(e, ZG_EINVAL, "invalid amount \"%s\": want e.g. 1.5eth, 20gwei, 7wei",
                          quoted(s));
    if (s[i] == ' ')
        i++;
    *unit_s = s + i;
    return ZG_OK;
}

/* r = digits * 10^shift, from a digit string of length n. */
static int scaled(const char *digits, size_t n, unsigned shift, zg_u256 *r, const char *s,
                  zg_err *e)
{
    char tmp[128];
    if (n == 0) {
        *r = zg_u256_from_u64(0);
        return ZG_OK;
    }
    if (n >= sizeof tmp)
        return zg_err_set(e, ZG_ERANGE, "amount \"%s\" is too large", quoted(s));
    memcpy(tmp, digits, n);
    tmp[n] = '\0';
    zg_u256 v, p = pow10_u256(shift);
    if (zg_u256_from_dec(&v, tmp, NULL) || zg_u256_mul(r, &v, &p))
        return zg_err_set(e, ZG_ERANGE, "amount \"%s\" is too large", quoted(s));
    return ZG_OK;
}

int zg_amount_parse(const char *s, zg_u256 *wei, zg_err *e)
{
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "invalid amount: missing");
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return zg_u256_from_hex(wei, s, e);
    size_t il, fo, fl;
    const char *us = "";
    int rc = split(s, &il, &fo, &fl, &us, e);
    if (rc)
        return rc;
    const unit *u = find_unit(us);
    if (!u)
        return zg_err_set(e, ZG_EINVAL, "invalid amount \"%s\": unknown unit (use eth, gwei or wei)",
                          quoted(s));
    if (fl > u->decimals)
        return zg_err_set(e, ZG_EINVAL, "invalid amount \"%s\": %s allows at most %u decimals",
                          quoted(s), u->name, u->decimals);
    zg_u256 a, b;
    if ((rc = scaled(s, il, u->decimals, &a, s, e)) ||
        (rc = scaled(s + fo, fl, u->decimals - (unsigned)fl, &b, s, e)))
        return rc;
    if (zg_u256_add(wei, &a, &b))
        return zg_err_set(e, ZG_ERANGE, "amount \"%s\" is too large", quoted(s));
    return ZG_OK;
}

/* Writes wei / 10^dec as an exact decimal without trailing zeros. */
static void format_scaled(const zg_u256 *wei, unsigned dec, const char *name,
                          char out[ZG_AMOUNT_STR_MAX])
{
    zg_u256 p = pow10_u256(dec), q, r;
    zg_u256_divmod(&q, &r, wei, &p);
    char qs[ZG_U256_DEC_MAX], rs[ZG_U256_DEC_MAX], frac[32];
    zg_u256_to_dec(&q, qs);
    zg_u256_to_dec(&r, rs);
    size_t rl = strlen(rs), fl = 0;
    frac[0] = '\0';
    if (!zg_u256_is_zero(&r)) { /* then 1 <= rl <= dec */
        memset(frac, '0', dec - rl);
        memcpy(frac + dec - rl, rs, rl + 1);
        fl = dec;
    }
    while (fl > 0 && frac[fl - 1] == '0')
        frac[--fl] = '\0';
    /* At most 78 digits, '.', a space and the unit: always fits in 96. */
    char tmp[ZG_U256_DEC_MAX + sizeof frac + 8];
    snprintf(tmp, sizeof tmp, "%s%s%s %s", qs, fl ? "." : "", frac, name);
    size_t n = strnlen(tmp, ZG_AMOUNT_STR_MAX - 1);
    memcpy(out, tmp, n);
    out[n] = '\0';
}

void zg_amount_format(const zg_u256 *wei, char out[ZG_AMOUNT_STR_MAX])
{
    zg_u256 gwei = pow10_u256(9), milli = pow10_u256(15);
    if (!zg_u256_is_zero(wei) && zg_u256_cmp(wei, &gwei) < 0)
        format_scaled(wei, 0, "wei", out);
    else if (!zg_u256_is_zero(wei) && zg_u256_cmp(wei, &milli) < 0)
        format_scaled(wei, 9, "gwei", out);
    else
        format_scaled(wei, 18, "eth", out);
}
