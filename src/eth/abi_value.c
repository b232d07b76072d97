/* abi_value.c - building, reading and freeing ABI value trees (see eth/abi.h). */
#include <stdlib.h>
#include <string.h>

#include "eth/abi_internal.h"

int zg_abi_node_init_(zg_abi_value *v, const zg_abi_type *t)
{
    memset(v, 0, sizeof *v);
    v->type = t;
    size_t n = t->kind == ZG_ABI_ARRAY ? t->len : t->kind == ZG_ABI_TUPLE ? t->n_fields : 0;
    if (t->kind == ZG_ABI_STRING) {
        /* Strings always carry a NUL so zg_abi_get_string can return them. */
        v->data = calloc(1, 1);
        if (!v->data)
            return ZG_ENOMEM;
    }
    if (!n)
        return ZG_OK;
    v->items = calloc(n, sizeof *v->items);
    if (!v->items)
        return ZG_ENOMEM;
    v->n_items = n;
    for (size_t i = 0; i < n; i++) {
        const zg_abi_type *ct = t->kind == ZG_ABI_ARRAY ? t->elem : t->fields[i];
        if (zg_abi_node_init_(&v->items[i], ct) != ZG_OK) {
            v->n_items = i + 1; /* clear what was built, including the partial one */
            return ZG_ENOMEM;
        }
    }
    return ZG_OK;
}

void zg_abi_node_clear_(zg_abi_value *v)
{
    for (size_t i = 0; i < v->n_items; i++)
        zg_abi_node_clear_(&v->items[i]);
    free(v->items);
    free(v->data);
    v->items = NULL;
    v->data = NULL;
    v->n_items = v->len = 0;
}

zg_abi_value *zg_abi_root_adopt_(zg_abi_type *t)
{
    zg_abi_value *v = malloc(sizeof *v);
    if (!v) {
        zg_abi_type_free(t);
        return NULL;
    }
    if (zg_abi_node_init_(v, t) != ZG_OK) {
        zg_abi_node_clear_(v);
        free(v);
        zg_abi_type_free(t);
        return NULL;
    }
    v->owned = t;
    return v;
}

zg_abi_value *zg_abi_value_new(const zg_abi_type *t)
{
    zg_abi_type *c = zg_abi_type_clone(t);
    return c ? zg_abi_root_adopt_(c) : NULL;
}

void zg_abi_value_free(zg_abi_value *v)
{
    if (!v)
        return;
    zg_abi_node_clear_(v);
    zg_abi_type_free(v->owned);
    free(v);
}

zg_abi_value *zg_abi_at(const zg_abi_value *v, size_t i)
{
    return v && i < v->n_items ? &v->items[i] : NULL;
}

size_t zg_abi_count(const zg_abi_value *v)
{
    switch (v->type->kind) {
    case ZG_ABI_ARRAY:
    case ZG_ABI_DARRAY:
    case ZG_ABI_TUPLE: return v->n_items;
    case ZG_ABI_BYTES:
    case ZG_ABI_STRING: return v->len;
    case ZG_ABI_FBYTES: return v->type->bits;
    default: return 0;
    }
}

int zg_abi_resize(zg_abi_value *v, size_t n, zg_err *e)
{
    if (v->type->kind != ZG_ABI_DARRAY)
        return zg_err_set(e, ZG_EINVAL, "ABI: resize needs a dynamic array T[]");
    for (size_t i = n; i < v->n_items; i++)
        zg_abi_node_clear_(&v->items[i]);
    if (n < v->n_items) {
        v->n_items = n;
        return ZG_OK;
    }
    if (n > SIZE_MAX / sizeof *v->items)
        return zg_err_set(e, ZG_ENOMEM, "ABI: array of %zu elements is too large", n);
    zg_abi_value *items = realloc(v->items, (n ? n : 1) * sizeof *items);
    if (!items)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    v->items = items;
    for (size_t i = v->n_items; i < n; i++) {
        if (zg_abi_node_init_(&items[i], v->type->elem) != ZG_OK) {
            v->n_items = i + 1;
            zg_abi_resize(v, i, NULL);
            return zg_err_set(e, ZG_ENOMEM, "out of memory");
        }
    }
    v->n_items = n;
    return ZG_OK;
}

static const char *kind_name(zg_abi_kind k)
{
    static const char *const names[] = { "uint", "int", "address", "bool", "bytes<M>",
                                         "bytes", "string", "T[k]", "T[]", "tuple" };
    return names[k];
}

static int wrong_kind(const zg_abi_value *v, const char *want, zg_err *e)
{
    return zg_err_set(e, ZG_EINVAL, "ABI: value is %s, not %s", kind_name(v->type->kind), want);
}

/* 1 if the top (256 - bits) bits of x are all equal to `fill` (0 or 1). */
static int high_bits_are(const zg_u256 *x, unsigned bits, int fill)
{
    for (unsigned i = bits; i < 256; i++) {
        int bit = (int)((x->w[i / 64] >> (i % 64)) & 1);
        if (bit != fill)
            return 0;
    }
    return 1;
}

/* Checks that a two's complement x fits int<bits>/uint<bits>. */
static int fits(const zg_abi_type *t, const zg_u256 *x)
{
    if (t->kind == ZG_ABI_UINT)
        return high_bits_are(x, t->bits, 0);
    int sign = (int)(x->w[3] >> 63);
    return high_bits_are(x, t->bits - 1, sign);
}

static int set_number(zg_abi_value *v, const zg_u256 *twos, int negative, zg_err *e)
{
    const zg_abi_type *t = v->type;
    if (t->kind != ZG_ABI_UINT && t->kind != ZG_ABI_INT)
        return wrong_kind(v, "an integer", e);
    if ((t->kind == ZG_ABI_UINT && negative) || !fits(t, twos))
        return zg_err_set(e, ZG_ERANGE, "ABI: value out of range for %s%u",
                          t->kind == ZG_ABI_UINT ? "uint" : "int", t->bits);
    v->num = *twos;
    return ZG_OK;
}

int zg_abi_set_uint(zg_abi_value *v, const zg_u256 *x, zg_err *e)
{
    /* A uint256 above 2^255 would read as negative in two's complement. */
    if (v->type->kind == ZG_ABI_INT && (x->w[3] >> 63))
        return zg_err_set(e, ZG_ERANGE, "ABI: value out of range for int%u", v->type->bits);
    return set_number(v, x, 0, e);
}

int zg_abi_set_int(zg_abi_value *v, const zg_u256 *twos, zg_err *e)
{
    if (v->type->kind != ZG_ABI_INT)
        return wrong_kind(v, "int<M>", e);
    return set_number(v, twos, 0, e);
}

int zg_abi_set_u64(zg_abi_value *v, uint64_t x, zg_err *e)
{
    zg_u256 u = zg_u256_from_u64(x);
    return zg_abi_set_uint(v, &u, e);
}

int zg_abi_set_i64(zg_abi_value *v, int64_t x, zg_err *e)
{
    zg_u256 u = zg_u256_from_u64((uint64_t)x);
    if (x < 0)
        u.w[1] = u.w[2] = u.w[3] = UINT64_MAX; /* sign extension */
    return set_number(v, &u, x < 0, e);
}

/* Two's complement negation: ~x + 1. */
static void negate(zg_u256 *x)
{
    int carry = 1;
    for (int i = 0; i < 4; i++) {
        x->w[i] = ~x->w[i] + (uint64_t)carry;
        carry = carry && x->w[i] == 0;
    }
}

int zg_abi_set_number(zg_abi_value *v, const char *text, zg_err *e)
{
    int negative = text[0] == '-';
    zg_u256 x = { { 0, 0, 0, 0 } };
    zg_err sub;
    if (zg_u256_parse(&x, text + negative, &sub) != ZG_OK)
        return zg_err_set(e, sub.code, "ABI: %s", sub.msg);
    if (negative) {
        if (v->type->kind != ZG_ABI_INT)
            return zg_err_set(e, ZG_ERANGE, "ABI: negative value for an unsigned type");
        /* The magnitude may be at most 2^255 (the most negative int256). */
        if ((x.w[3] >> 63) && !(x.w[3] == (1ull << 63) && !x.w[2] && !x.w[1] && !x.w[0]))
            return zg_err_set(e, ZG_ERANGE, "ABI: value out of range for int%u", v->type->bits);
        negate(&x);
        return set_number(v, &x, 1, e);
    }
    return zg_abi_set_uint(v, &x, e);
}

int zg_abi_set_address(zg_abi_value *v, const zg_address *a, zg_err *e)
{
    if (v->type->kind != ZG_ABI_ADDRESS)
        return wrong_kind(v, "address", e);
    memset(v->word, 0, 12);
    memcpy(v->word + 12, a->b, 20);
    return ZG_OK;
}

int zg_abi_set_bool(zg_abi_value *v, int b, zg_err *e)
{
    if (v->type->kind != ZG_ABI_BOOL)
        return wrong_kind(v, "bool", e);
    v->num = zg_u256_from_u64(b ? 1 : 0);
    return ZG_OK;
}

int zg_abi_set_bytes(zg_abi_value *v, const void *p, size_t n, zg_err *e)
{
    zg_abi_kind k = v->type->kind;
    if (k == ZG_ABI_FBYTES) {
        if (n != v->type->bits)
            return zg_err_set(e, ZG_EINVAL, "ABI: bytes%u needs exactly %u bytes, got %zu",
                              v->type->bits, v->type->bits, n);
        memset(v->word, 0, 32);
        memcpy(v->word, p, n);
        return ZG_OK;
    }
    if (k != ZG_ABI_BYTES && k != ZG_ABI_STRING)
        return wrong_kind(v, "bytes or string", e);
    if (n == SIZE_MAX)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    uint8_t *d = malloc(n + 1);
    if (!d)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    if (n)
        memcpy(d, p, n);
    d[n] = 0;
    free(v->data);
    v->data = d;
    v->len = n;
    return ZG_OK;
}

int zg_abi_set_string(zg_abi_value *v, const char *s, zg_err *e)
{
    if (v->type->kind != ZG_ABI_STRING)
        return wrong_kind(v, "string", e);
    return zg_abi_set_bytes(v, s, strlen(s), e);
}

int zg_abi_get_uint(const zg_abi_value *v, zg_u256 *out, zg_err *e)
{
    zg_abi_kind k = v->type->kind;
    if (k != ZG_ABI_UINT && k != ZG_ABI_INT && k != ZG_ABI_BOOL)
        return wrong_kind(v, "an integer", e);
    *out = v->num;
    return ZG_OK;
}

int zg_abi_get_u64(const zg_abi_value *v, uint64_t *out, zg_err *e)
{
    zg_u256 x = { { 0, 0, 0, 0 } };
    int rc = zg_abi_get_uint(v, &x, e);
    if (rc)
        return rc;
    if (v->type->kind == ZG_ABI_INT && (x.w[3] >> 63))
        return zg_err_set(e, ZG_ERANGE, "ABI: negative value does not fit uint64");
    if (zg_u256_to_u64(&x, out) != ZG_OK)
        return zg_err_set(e, ZG_ERANGE, "ABI: value does not fit uint64");
    return ZG_OK;
}

int zg_abi_get_i64(const zg_abi_value *v, int64_t *out, zg_err *e)
{
    zg_u256 x = { { 0, 0, 0, 0 } };
    int rc = zg_abi_get_uint(v, &x, e);
    if (rc)
        return rc;
    int neg = v->type->kind == ZG_ABI_INT && (x.w[3] >> 63);
    int ok = neg ? (x.w[1] == UINT64_MAX && x.w[2] == UINT64_MAX && x.w[3] == UINT64_MAX &&
                    (x.w[0] >> 63))
                 : (!x.w[1] && !x.w[2] && !x.w[3] && !(x.w[0] >> 63));
    if (!ok)
        return zg_err_set(e, ZG_ERANGE, "ABI: value does not fit int64");
    *out = (int64_t)x.w[0];
    return ZG_OK;
}

int zg_abi_get_address(const zg_abi_value *v, zg_address *out, zg_err *e)
{
    if (v->type->kind != ZG_ABI_ADDRESS)
        return wrong_kind(v, "address", e);
    memcpy(out->b, v->word + 12, 20);
    return ZG_OK;
}

int zg_abi_get_bool(const zg_abi_value *v, int *out, zg_err *e)
{
    if (v->type->kind != ZG_ABI_BOOL)
        return wrong_kind(v, "bool", e);
    *out = !zg_u256_is_zero(&v->num);
    return ZG_OK;
}

const uint8_t *zg_abi_get_bytes(const zg_abi_value *v, size_t *n)
{
    zg_abi_kind k = v->type->kind;
    if (k == ZG_ABI_FBYTES) {
        *n = v->type->bits;
        return v->word;
    }
    if (k != ZG_ABI_BYTES && k != ZG_ABI_STRING)
        return NULL;
    *n = v->len;
    /* An empty bytes value may have no buffer; give a valid pointer anyway. */
    return v->data ? v->data : v->word;
}

const char *zg_abi_get_string(const zg_abi_value *v)
{
    return v->type->kind == ZG_ABI_STRING ? (const char *)v->data : NULL;
}
