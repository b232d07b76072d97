/* hex.c - hexadecimal encoding and decoding (see base/hex.h). */
#include <string.h>

#include "base/hex.h"

int zg_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static const char *skip_prefix(const char *hex)
{
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        return hex + 2;
    return hex;
}

/* Decodes digit pairs of s (n_digits long, even) into out. */
static int decode_digits(const char *s, size_t n_digits, uint8_t *out, zg_err *e)
{
    for (size_t i = 0; i < n_digits; i += 2) {
        int hi = zg_hex_digit(s[i]), lo = zg_hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0)
            return zg_err_set(e, ZG_EINVAL, "invalid hex: bad character at digit %zu",
                              hi < 0 ? i : i + 1);
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return ZG_OK;
}

int zg_hex_decode(const char *hex, uint8_t *out, size_t out_len, zg_err *e)
{
    if (!hex)
        return zg_err_set(e, ZG_EINVAL, "invalid hex: missing");
    const char *s = skip_prefix(hex);
    size_t n = strlen(s);
    if (n % 2)
        return zg_err_set(e, ZG_EINVAL, "invalid hex: odd number of digits (%zu)", n);
    if (n / 2 != out_len)
        return zg_err_set(e, ZG_EINVAL, "invalid hex: expected %zu bytes, got %zu",
                          out_len, n / 2);
    return decode_digits(s, n, out, e);
}

int zg_hex_decode_buf(const char *hex, zg_buf *out, zg_err *e)
{
    if (!hex)
        return zg_err_set(e, ZG_EINVAL, "invalid hex: missing");
    const char *s = skip_prefix(hex);
    size_t n = strlen(s);
    if (n % 2)
        return zg_err_set(e, ZG_EINVAL, "invalid hex: odd number of digits (%zu)", n);
    if (zg_buf_reserve(out, n / 2))
        return zg_err_set(e, ZG_ENOMEM, "out of memory decoding %zu hex bytes", n / 2);
    int rc = decode_digits(s, n, out->data ? out->data + out->len : NULL, e);
    if (rc)
        return rc;
    out->len += n / 2;
    return ZG_OK;
}

void zg_hex_encode(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = digits[p[i] >> 4];
        out[3 + 2 * i] = digits[p[i] & 15];
    }
    out[2 + 2 * n] = '\0';
}
