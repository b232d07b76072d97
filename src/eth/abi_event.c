/* abi_event.c - decoding event logs (topics + data) with an event signature. */
#include <stdlib.h>
#include <string.h>

#include "eth/abi_internal.h"

/* Points v's types at t (same shape), after moving v between trees. */
static void rebind(zg_abi_value *v, const zg_abi_type *t)
{
    v->type = t;
    for (size_t i = 0; i < v->n_items; i++)
        rebind(&v->items[i], t->kind == ZG_ABI_TUPLE ? t->fields[i] : t->elem);
}

/* Moves the content of src (a decoded node) into dst, typed by t. */
static void move_into(zg_abi_value *dst, zg_abi_value *src, const zg_abi_type *t)
{
    zg_abi_type *owned = src->owned; /* stays with src's root */
    zg_abi_node_clear_(dst);
    *dst = *src;
    dst->owned = NULL;
    memset(src, 0, sizeof *src);
    src->type = t; /* src is now empty: safe to clear */
    src->owned = owned;
    rebind(dst, t);
}

/* Indexed parameters that are not value types (bytes, string, arrays,
 * structs - even static ones) are stored as the keccak256 of their
 * encoding (ABI spec, "Events"). */
static int hashed_when_indexed(const zg_abi_type *t)
{
    return t->kind == ZG_ABI_BYTES || t->kind == ZG_ABI_STRING || t->kind == ZG_ABI_ARRAY ||
           t->kind == ZG_ABI_DARRAY || t->kind == ZG_ABI_TUPLE;
}

/* The tuple type of the decoded event: inputs, with hashed indexed
 * parameters turned into bytes32 (the log holds only their hash). */
static zg_abi_type *result_type(const zg_abi_type *inputs)
{
    zg_abi_type *t = zg_abi_type_clone(inputs);
    if (!t)
        return NULL;
    for (size_t i = 0; i < t->n_fields; i++) {
        if (!(t->indexed && t->indexed[i]) || !hashed_when_indexed(t->fields[i]))
            continue;
        zg_abi_type *b32;
        if (zg_abi_type_parse("bytes32", &b32, NULL) != ZG_OK) {
            zg_abi_type_free(t);
            return NULL;
        }
        zg_abi_type_free(t->fields[i]);
        t->fields[i] = b32;
    }
    return t;
}

/* The tuple of the non-indexed parameters (clones). */
static zg_abi_type *data_type(const zg_abi_type *rt)
{
    zg_abi_type *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->kind = ZG_ABI_TUPLE;
    d->fields = calloc(rt->n_fields ? rt->n_fields : 1, sizeof *d->fields);
    if (!d->fields) {
        free(d);
        return NULL;
    }
    for (size_t i = 0; i < rt->n_fields; i++) {
        if (rt->indexed && rt->indexed[i])
            continue;
        if (!(d->fields[d->n_fields] = zg_abi_type_clone(rt->fields[i]))) {
            zg_abi_type_free(d);
            return NULL;
        }
        d->n_fields++;
    }
    return d;
}

static int fill(zg_abi_value *root, const uint8_t (*topics)[32], size_t n_topics,
                const uint8_t *data, size_t len, zg_err *e)
{
    const zg_abi_type *rt = root->type;
    size_t n_indexed = 0;
    for (size_t i = 0; i < rt->n_fields; i++)
        n_indexed += rt->indexed && rt->indexed[i];
    if (n_topics != n_indexed + 1)
        return zg_err_set(e, ZG_EINVAL, "event log has %zu topics, the event needs %zu",
                          n_topics, n_indexed + 1);
    zg_abi_type *dt = data_type(rt);
    if (!dt)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    zg_abi_value *dv;
    int rc = zg_abi_decode(dt, data, len, &dv, e);
    zg_abi_type_free(dt);
    if (rc != ZG_OK)
        return zg_err_wrap(e, rc, "event data");
    size_t ti = 1, di = 0;
    for (size_t i = 0; i < rt->n_fields && rc == ZG_OK; i++) {
        const zg_abi_type *ft = rt->fields[i];
        if (!(rt->indexed && rt->indexed[i])) {
            move_into(&root->items[i], &dv->items[di++], ft);
            continue;
        }
        zg_abi_value *tv;
        rc = zg_abi_decode(ft, topics[ti++], 32, &tv, e);
        if (rc != ZG_OK) {
            zg_err_wrap(e, rc, "event topic %zu", ti - 1);
            break;
        }
        move_into(&root->items[i], tv, ft);
        zg_abi_value_free(tv);
    }
    zg_abi_value_free(dv);
    return rc;
}

int zg_abi_decode_event(const zg_abi_sig *s, const uint8_t (*topics)[32],
                        size_t n_topics, const uint8_t *data, size_t len,
                        zg_abi_value **out, zg_err *e)
{
    *out = NULL;
    if (n_topics < 1 || memcmp(topics[0], s->topic, 32) != 0)
        return zg_err_set(e, ZG_ENOTFOUND, "log is not a %s event", s->canonical);
    zg_abi_type *rt = result_type(s->inputs);
    zg_abi_value *root = rt ? zg_abi_root_adopt_(rt) : NULL;
    if (!root)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    int rc = fill(root, topics, n_topics, data, len, e);
    if (rc != ZG_OK) {
        zg_abi_value_free(root);
        return zg_err_wrap(e, rc, "%s", s->canonical);
    }
    *out = root;
    return ZG_OK;
}
