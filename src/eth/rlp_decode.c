/* rlp_decode.c - strict, bounds-checked RLP decoding (see eth/rlp.h). */
#include "eth/rlp.h"

/* Reads a long-form length of nb bytes at p (p has >= nb bytes). */
static int read_long_len(const uint8_t *p, size_t nb, size_t *len, zg_err *e)
{
    if (p[0] == 0)
        return zg_err_set(e, ZG_EINVAL, "rlp: length has a leading zero byte");
    if (nb > sizeof(size_t))
        return zg_err_set(e, ZG_EINVAL, "rlp: length of %zu bytes is too large", nb);
    size_t v = 0;
    for (size_t i = 0; i < nb; i++)
        v = v << 8 | p[i];
    if (v <= 55)
        return zg_err_set(e, ZG_EINVAL, "rlp: long form used for length %zu <= 55", v);
    *len = v;
    return ZG_OK;
}

int zg_rlp_decode_head(const uint8_t *p, size_t n, zg_rlp_item *item, size_t *used,
                       zg_err *e)
{
    if (n == 0)
        return zg_err_set(e, ZG_EINVAL, "rlp: unexpected end of input");
    uint8_t b = p[0];
    size_t hl = 1, len = 0;
    item->is_list = b >= 0xc0;
    if (b < 0x80) { /* the byte is its own encoding */
        item->payload = p;
        item->len = 1;
        *used = 1;
        return ZG_OK;
    }
    uint8_t base = item->is_list ? 0xc0 : 0x80;
    if (b - base <= 55) {
        len = (size_t)(b - base);
    } else {
        size_t nb = (size_t)(b - base - 55);
        if (nb > n - 1)
            return zg_err_set(e, ZG_EINVAL, "rlp: truncated length (%zu bytes)", nb);
        int rc = read_long_len(p + 1, nb, &len, e);
        if (rc)
            return rc;
        hl += nb;
    }
    if (len > n - hl)
        return zg_err_set(e, ZG_EINVAL, "rlp: item of %zu bytes exceeds the %zu available",
                          len, n - hl);
    if (!item->is_list && len == 1 && p[hl] < 0x80)
        return zg_err_set(e, ZG_EINVAL, "rlp: byte 0x%02x must be encoded as itself", p[hl]);
    item->payload = p + hl;
    item->len = len;
    *used = hl + len;
    return ZG_OK;
}

/* Checks every nested item of a list payload. */
static int check_list(const zg_rlp_item *list, int depth, zg_err *e)
{
    if (depth > ZG_RLP_MAX_DEPTH)
        return zg_err_set(e, ZG_EINVAL, "rlp: nesting deeper than %d", ZG_RLP_MAX_DEPTH);
    const uint8_t *p = list->payload;
    size_t left = list->len;
    while (left) {
        zg_rlp_item it;
        size_t used = 0;
        int rc = zg_rlp_decode_head(p, left, &it, &used, e);
        if (!rc && it.is_list)
            rc = check_list(&it, depth + 1, e);
        if (rc)
            return rc;
        p += used;
        left -= used;
    }
    return ZG_OK;
}

int zg_rlp_decode(const uint8_t *p, size_t n, zg_rlp_item *item, zg_err *e)
{
    size_t used = 0;
    int rc = zg_rlp_decode_head(p, n, item, &used, e);
    if (rc)
        return rc;
    if (used != n)
        return zg_err_set(e, ZG_EINVAL, "rlp: %zu trailing bytes after the item", n - used);
    return item->is_list ? check_list(item, 1, e) : ZG_OK;
}

void zg_rlp_iter_init(zg_rlp_iter *it, const zg_rlp_item *list)
{
    it->p = list->payload;
    it->left = list->is_list ? list->len : 0;
}

int zg_rlp_next(zg_rlp_iter *it, zg_rlp_item *item, zg_err *e)
{
    if (it->left == 0)
        return ZG_ENOTFOUND;
    size_t used = 0;
    int rc = zg_rlp_decode_head(it->p, it->left, item, &used, e);
    if (rc)
        return rc;
    it->p += used;
    it->left -= used;
    return ZG_OK;
}

int zg_rlp_list_count(const zg_rlp_item *list, size_t *count, zg_err *e)
{
    if (!list->is_list)
        return zg_err_set(e, ZG_EINVAL, "rlp: expected a list, got a string");
    zg_rlp_iter it;
    zg_rlp_item x;
    size_t c = 0;
    int rc;
    zg_rlp_iter_init(&it, list);
    while ((rc = zg_rlp_next(&it, &x, e)) == ZG_OK)
        c++;
    if (rc != ZG_ENOTFOUND)
        return rc;
    *count = c;
    return ZG_OK;
}

int zg_rlp_get_u256(const zg_rlp_item *item, zg_u256 *v, zg_err *e)
{
    if (item->is_list)
        return zg_err_set(e, ZG_EINVAL, "rlp: expected an integer, got a list");
    if (item->len > 32)
        return zg_err_set(e, ZG_ERANGE, "rlp: integer of %zu bytes exceeds 256 bits", item->len);
    if (item->len > 0 && item->payload[0] == 0)
        return zg_err_set(e, ZG_EINVAL, "rlp: integer has a leading zero byte");
    return zg_u256_from_be_bytes(v, item->payload, item->len);
}

int zg_rlp_get_u64(const zg_rlp_item *item, uint64_t *v, zg_err *e)
{
    zg_u256 u;
    int rc = zg_rlp_get_u256(item, &u, e);
    if (rc)
        return rc;
    if (zg_u256_to_u64(&u, v))
        return zg_err_set(e, ZG_ERANGE, "rlp: integer exceeds 64 bits");
    return ZG_OK;
}
