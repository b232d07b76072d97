/* rlp_encode.c - RLP encoding (see eth/rlp.h). */
#include <string.h>

#include "eth/rlp.h"

/* Writes the header for a payload of length len with the given base
 * (0x80 strings, 0xc0 lists) into h; returns the header length. */
static size_t make_header(uint8_t h[9], size_t len, uint8_t base)
{
    if (len <= 55) {
        h[0] = (uint8_t)(base + len);
        return 1;
    }
    size_t nb = 0;
    for (size_t v = len; v; v >>= 8)
        nb++;
    h[0] = (uint8_t)(base + 55 + nb);
    for (size_t i = 0; i < nb; i++)
        h[nb - i] = (uint8_t)(len >> (8 * i));
    return 1 + nb;
}

int zg_rlp_put_bytes(zg_buf *out, const uint8_t *p, size_t n)
{
    if (n == 1 && p[0] < 0x80)
        return zg_buf_append_byte(out, p[0]);
    uint8_t h[9];
    size_t hl = make_header(h, n, 0x80);
    int rc = zg_buf_reserve(out, hl + n);
    if (rc)
        return rc;
    zg_buf_append(out, h, hl);
    return zg_buf_append(out, p, n);
}

int zg_rlp_put_u256(zg_buf *out, const zg_u256 *v)
{
    uint8_t be[32];
    zg_u256_to_be(be, v);
    size_t n = zg_u256_byte_len(v);
    return zg_rlp_put_bytes(out, be + 32 - n, n);
}

int zg_rlp_put_u64(zg_buf *out, uint64_t v)
{
    zg_u256 u = zg_u256_from_u64(v);
    return zg_rlp_put_u256(out, &u);
}

int zg_rlp_put_raw(zg_buf *out, const uint8_t *p, size_t n)
{
    return zg_buf_append(out, p, n);
}

void zg_rlp_list_begin(const zg_buf *out, size_t *mark)
{
    *mark = out->len;
}

int zg_rlp_list_end(zg_buf *out, size_t mark)
{
    uint8_t h[9];
    size_t len = out->len - mark;
    size_t hl = make_header(h, len, 0xc0);
    int rc = zg_buf_reserve(out, hl);
    if (rc)
        return rc;
    memmove(out->data + mark + hl, out->data + mark, len);
    memcpy(out->data + mark, h, hl);
    out->len += hl;
    return ZG_OK;
}
