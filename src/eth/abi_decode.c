/* abi_decode.c - strict, bounds-checked ABI decoding into value trees.
 *
 * Every read is checked against the data length before it happens. Offsets
 * may point anywhere inside the data (Solidity accepts that too), which lets
 * a hostile input reuse one region many times; a budget of "words charged"
 * (one per leaf, length word and 32 bytes of bytes/string content), set from
 * the input length, keeps the decoded tree proportional to the input. */
#include <stdlib.h>
#include <string.h>

#include "eth/abi_internal.h"

typedef struct dec {
    const uint8_t *data;
    size_t len;
    size_t budget;  /* words that may still be charged */
    size_t nodes;   /* value nodes that may still be allocated */
    zg_err *e;
} dec;

static int bad(dec *d, size_t pos, const char *what);

/* Nodes zg_abi_node_init_ allocates for t (dynamic arrays empty); saturates. */
static size_t min_nodes(const zg_abi_type *t)
{
    size_t n = 1;
    if (t->kind == ZG_ABI_ARRAY) {
        size_t c = min_nodes(t->elem);
        n += c > SIZE_MAX / 2 / t->len ? SIZE_MAX / 2 : c * t->len;
    } else if (t->kind == ZG_ABI_TUPLE) {
        for (size_t i = 0; i < t->n_fields && n < SIZE_MAX / 4; i++)
            n += min_nodes(t->fields[i]);
    }
    return n;
}

/* Takes `count` trees of type t out of the node budget. */
static int charge_nodes(dec *d, const zg_abi_type *t, size_t count, size_t pos)
{
    size_t per = min_nodes(t);
    if (count && per > d->nodes / count)
        return bad(d, pos, "data decodes to more values than it holds");
    d->nodes -= per * count;
    return ZG_OK;
}

static int bad(dec *d, size_t pos, const char *what)
{
    return zg_err_set(d->e, ZG_EINVAL, "ABI decode: %s at byte %zu of %zu", what, pos, d->len);
}

static int charge(dec *d, size_t words, size_t pos)
{
    if (words > d->budget)
        return bad(d, pos, "data decodes to more values than it holds (overlapping offsets)");
    d->budget -= words;
    return ZG_OK;
}

/* The 32-byte word at pos, or NULL (with an error) if it is not all there. */
static const uint8_t *word_at(dec *d, size_t pos)
{
    if (pos > d->len || d->len - pos < 32) {
        bad(d, pos, "data too short (truncated)");
        return NULL;
    }
    return d->data + pos;
}

/* A word that must be a size or offset: fits in size_t and <= len. */
static int size_at(dec *d, size_t pos, size_t *out)
{
    const uint8_t *w = word_at(d, pos);
    if (!w)
        return ZG_EINVAL;
    for (int i = 0; i < 24; i++)
        if (w[i])
            return bad(d, pos, "offset or length out of range");
    uint64_t v = 0;
    for (int i = 24; i < 32; i++)
        v = v << 8 | w[i];
    if (v > d->len)
        return bad(d, pos, "offset or length out of range");
    *out = (size_t)v;
    return ZG_OK;
}

static int decode_value(dec *d, zg_abi_value *v, size_t pos);

/* n values (types from the nodes already initialised in items) laid out as
 * a tuple whose heads start at base. */
static int decode_seq(dec *d, zg_abi_value *items, size_t n, size_t base)
{
    size_t head = base;
    for (size_t i = 0; i < n; i++) {
        const zg_abi_type *t = items[i].type;
        int rc;
        if (zg_abi_type_is_dynamic(t)) {
            size_t off;
            rc = size_at(d, head, &off);
            if (rc == ZG_OK && off > d->len - base)
                rc = bad(d, head, "offset points past the end");
            if (rc == ZG_OK)
                rc = decode_value(d, &items[i], base + off);
            head += 32;
        } else {
            rc = decode_value(d, &items[i], head);
            head += zg_abi_type_head_size(t);
        }
        if (rc != ZG_OK)
            return rc;
    }
    return ZG_OK;
}

/* Checks a static word against its type: no dirty bits. */
static int check_word(dec *d, const zg_abi_type *t, const uint8_t *w, size_t pos)
{
    size_t zero_from = 0, zero_to = 0; /* bytes that must be zero */
    switch (t->kind) {
    case ZG_ABI_UINT:
        zero_to = 32 - t->bits / 8;
        break;
    case ZG_ABI_INT: {
        /* Bytes above the value must repeat its sign bit. */
        size_t first = 32 - t->bits / 8;
        uint8_t fill = (w[first] & 0x80) ? 0xff : 0x00;
        for (size_t i = 0; i < first; i++)
            if (w[i] != fill)
                return bad(d, pos, "int value not sign-extended (dirty high bits)");
        return ZG_OK;
    }
    case ZG_ABI_ADDRESS:
        zero_to = 12;
        break;
    case ZG_ABI_BOOL:
        zero_to = 31;
        if (w[31] > 1)
            return bad(d, pos, "bool value other than 0 or 1");
        break;
    case ZG_ABI_FBYTES:
        zero_from = t->bits;
        zero_to = 32;
        break;
    default:
        return ZG_EINTERNAL;
    }
    for (size_t i = zero_from; i < zero_to; i++)
        if (w[i])
            return bad(d, pos, "dirty bits outside the value");
    return ZG_OK;
}

static int decode_leaf(dec *d, zg_abi_value *v, size_t pos)
{
    const uint8_t *w = word_at(d, pos);
    if (!w)
        return ZG_EINVAL;
    int rc = charge(d, 1, pos);
    if (rc == ZG_OK)
        rc = check_word(d, v->type, w, pos);
    if (rc != ZG_OK)
        return rc;
    if (v->type->kind == ZG_ABI_ADDRESS || v->type->kind == ZG_ABI_FBYTES)
        memcpy(v->word, w, 32);
    else
        v->num = zg_u256_from_be(w);
    return ZG_OK;
}

static int decode_bytes(dec *d, zg_abi_value *v, size_t pos)
{
    size_t n;
    int rc = size_at(d, pos, &n);
    if (rc != ZG_OK)
        return rc;
    if (n > d->len - pos - 32)
        return bad(d, pos, "bytes/string length runs past the end");
    rc = charge(d, 1 + (n + 31) / 32, pos);
    if (rc != ZG_OK)
        return rc;
    uint8_t *p = malloc(n + 1);
    if (!p)
        return zg_err_set(d->e, ZG_ENOMEM, "out of memory");
    memcpy(p, d->data + pos + 32, n);
    p[n] = 0;
    free(v->data);
    v->data = p;
    v->len = n;
    return ZG_OK;
}

static int decode_darray(dec *d, zg_abi_value *v, size_t pos)
{
    size_t n;
    int rc = size_at(d, pos, &n);
    if (rc != ZG_OK)
        return rc;
    size_t base = pos + 32, room = d->len - base;
    /* Every element takes at least its head inside the data. */
    size_t hs = zg_abi_type_head_size(v->type->elem);
    if (hs && n > room / hs)
        return bad(d, pos, "array length runs past the end");
    rc = charge(d, 1, pos);
    if (rc == ZG_OK && n > d->budget)
        rc = bad(d, pos, "array longer than the data allows");
    if (rc == ZG_OK)
        rc = charge_nodes(d, v->type->elem, n, pos);
    if (rc == ZG_OK)
        rc = zg_abi_resize(v, n, d->e);
    return rc ? rc : decode_seq(d, v->items, v->n_items, base);
}

static int decode_value(dec *d, zg_abi_value *v, size_t pos)
{
    switch (v->type->kind) {
    case ZG_ABI_BYTES:
    case ZG_ABI_STRING:
        return decode_bytes(d, v, pos);
    case ZG_ABI_DARRAY:
        return decode_darray(d, v, pos);
    case ZG_ABI_ARRAY:
    case ZG_ABI_TUPLE:
        return decode_seq(d, v->items, v->n_items, pos);
    default:
        return decode_leaf(d, v, pos);
    }
}

int zg_abi_decode(const zg_abi_type *t, const uint8_t *data, size_t len,
                  zg_abi_value **out, zg_err *e)
{
    *out = NULL;
    if (!data && len)
        return zg_err_set(e, ZG_EINVAL, "ABI decode: no data");
    /* Legit encodings hold one word per charged unit; +16 covers missing
     * padding of a last string. A node per byte is far more than any legit
     * encoding needs (at most ZG_ABI_MAX_DEPTH + 1 nodes per word). */
    dec d = { data ? data : (const uint8_t *)"", len, len / 32 + 16,
              (len / 32 + 16) * (ZG_ABI_MAX_DEPTH + 2), e };
    /* The static part of the type is allocated up front: refuse it first
     * when the data cannot hold it. */
    if (charge_nodes(&d, t, 1, 0) != ZG_OK)
        return ZG_EINVAL;
    zg_abi_value *v = zg_abi_value_new(t);
    if (!v)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = decode_value(&d, v, 0);
    if (rc != ZG_OK) {
        zg_abi_value_free(v);
        return rc;
    }
    *out = v;
    return ZG_OK;
}
