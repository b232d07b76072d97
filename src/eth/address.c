/* address.c - EIP-55 checksummed address text (see eth/key.h).
 * EIP-55: hex digit i is upper case iff nibble i of keccak256(lowercase hex
 * without 0x) is >= 8. */
#include <string.h>

#include "base/hex.h"
#include "eth/keccak.h"
#include "eth/key.h"

/* Nibble i (0 = high nibble of byte 0) of the hash of the lower-case hex. */
static int hash_nibble(const uint8_t h[32], int i)
{
    return (h[i / 2] >> (i % 2 ? 0 : 4)) & 15;
}

void zg_address_to_checksum(const zg_address *a, char out[ZG_ADDRESS_STR_MAX])
{
    uint8_t h[32];
    zg_hex_encode(a->b, 20, out);
    zg_keccak256(out + 2, 40, h);
    for (int i = 0; i < 40; i++) {
        char c = out[2 + i];
        if (c >= 'a' && c <= 'f' && hash_nibble(h, i) >= 8)
            out[2 + i] = (char)(c - 'a' + 'A');
    }
}

static int has_upper_and_lower(const char *s)
{
    int up = 0, lo = 0;
    for (; *s; s++) {
        up |= *s >= 'A' && *s <= 'F';
        lo |= *s >= 'a' && *s <= 'f';
    }
    return up && lo;
}

int zg_address_parse(const char *s, zg_address *out, zg_err *e)
{
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "invalid address: missing");
    const char *d = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
    size_t n = strlen(d);
    /* The wrong-length input is not quoted: it may be a private key pasted
     * in the wrong place. */
    if (n != 40)
        return zg_err_set(e, ZG_EINVAL, "invalid address: want 0x and 40 hex digits, got %zu", n);
    zg_address a;
    if (zg_hex_decode(d, a.b, 20, NULL))
        return zg_err_set(e, ZG_EINVAL, "invalid address \"%s\": not hex", s);
    if (has_upper_and_lower(d)) {
        char want[ZG_ADDRESS_STR_MAX];
        zg_address_to_checksum(&a, want);
        if (strcmp(want + 2, d) != 0)
            return zg_err_set(e, ZG_EINVAL,
                              "invalid address \"%s\": bad EIP-55 checksum (expected %s)", s,
                              want);
    }
    *out = a;
    return ZG_OK;
}
