/* abi_encode.c - ABI encoding of value trees (head/tail layout of the spec). */
#include <string.h>

#include "eth/abi_internal.h"

static int put_word(zg_buf *out, const uint8_t w[32])
{
    return zg_buf_append(out, w, 32);
}

static int put_size(zg_buf *out, size_t n)
{
    uint8_t w[32];
    zg_u256 u = zg_u256_from_u64((uint64_t)n);
    zg_u256_to_be(w, &u);
    return put_word(out, w);
}

static int encode_value(const zg_abi_value *v, zg_buf *out);

/* Encodes n values as a tuple: all heads (static values inline, offsets for
 * dynamic ones, counted from the start of the heads), then all tails. */
static int encode_seq(const zg_abi_value *items, size_t n, zg_buf *out)
{
    size_t head_len = 0;
    for (size_t i = 0; i < n; i++)
        head_len += zg_abi_type_head_size(items[i].type);
    zg_buf heads, tails;
    zg_buf_init(&heads);
    zg_buf_init(&tails);
    int rc = ZG_OK;
    for (size_t i = 0; i < n && rc == ZG_OK; i++) {
        if (zg_abi_type_is_dynamic(items[i].type)) {
            rc = put_size(&heads, head_len + tails.len);
            if (rc == ZG_OK)
                rc = encode_value(&items[i], &tails);
        } else {
            rc = encode_value(&items[i], &heads);
        }
    }
    if (rc == ZG_OK)
        rc = zg_buf_append(out, heads.data, heads.len);
    if (rc == ZG_OK)
        rc = zg_buf_append(out, tails.data, tails.len);
    zg_buf_free(&heads);
    zg_buf_free(&tails);
    return rc;
}

static int encode_value(const zg_abi_value *v, zg_buf *out)
{
    uint8_t w[32];
    int rc;
    switch (v->type->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT:
    case ZG_ABI_BOOL:
        zg_u256_to_be(w, &v->num);
        return put_word(out, w);
    case ZG_ABI_ADDRESS:
    case ZG_ABI_FBYTES:
        return put_word(out, v->word);
    case ZG_ABI_BYTES:
    case ZG_ABI_STRING: {
        static const uint8_t zeros[32];
        rc = put_size(out, v->len);
        if (rc == ZG_OK && v->len)
            rc = zg_buf_append(out, v->data, v->len);
        if (rc == ZG_OK && v->len % 32)
            rc = zg_buf_append(out, zeros, 32 - v->len % 32);
        return rc;
    }
    case ZG_ABI_DARRAY:
        rc = put_size(out, v->n_items);
        return rc ? rc : encode_seq(v->items, v->n_items, out);
    case ZG_ABI_ARRAY:
    case ZG_ABI_TUPLE:
        return encode_seq(v->items, v->n_items, out);
    }
    return ZG_EINTERNAL;
}

int zg_abi_encode(const zg_abi_value *v, zg_buf *out, zg_err *e)
{
    size_t before = out->len;
    int rc = encode_value(v, out);
    if (rc != ZG_OK) {
        out->len = before; /* leave out as it was */
        return zg_err_set(e, rc, "ABI encode: out of memory");
    }
    return ZG_OK;
}
