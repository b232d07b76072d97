/* abi_json.c - ABI values from and to their JSON form, and one-line text. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "eth/abi_internal.h"

/* Path of the value being read, for messages: "[1][0]". */
typedef struct path {
    char s[128];
} path;

static int at(zg_err *e, const path *p, int code, const char *what)
{
    return zg_err_set(e, code, "ABI value%s%s: %s", p->s[0] ? " at " : "", p->s, what);
}

static int from_json(zg_abi_value *v, const json_t *j, path *p, zg_err *e);

static int fill_items(zg_abi_value *v, const json_t *j, path *p, zg_err *e)
{
    size_t n = json_array_size(j), plen = strlen(p->s);
    for (size_t i = 0; i < n; i++) {
        snprintf(p->s + plen, sizeof p->s - plen, "[%zu]", i);
        int rc = from_json(&v->items[i], json_array_get(j, i), p, e);
        if (rc != ZG_OK)
            return rc;
    }
    p->s[plen] = '\0';
    return ZG_OK;
}

static int number_from_json(zg_abi_value *v, const json_t *j, path *p, zg_err *e)
{
    char tmp[32];
    const char *text;
    if (json_is_integer(j)) {
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        text = tmp;
    } else if (json_is_string(j)) {
        text = json_string_value(j);
    } else {
        return at(e, p, ZG_EINVAL, "expected a number (string or integer)");
    }
    zg_err sub;
    int rc = zg_abi_set_number(v, text, &sub);
    return rc ? at(e, p, rc, sub.msg) : ZG_OK;
}

static int bytes_from_json(zg_abi_value *v, const json_t *j, path *p, zg_err *e)
{
    if (!json_is_string(j))
        return at(e, p, ZG_EINVAL, "expected a 0x hex string");
    zg_buf b;
    zg_buf_init(&b);
    zg_err sub;
    int rc = zg_hex_decode_buf(json_string_value(j), &b, &sub);
    if (rc == ZG_OK)
        rc = zg_abi_set_bytes(v, b.data, b.len, &sub);
    zg_buf_free(&b);
    return rc ? at(e, p, rc, sub.msg) : ZG_OK;
}

static int from_json(zg_abi_value *v, const json_t *j, path *p, zg_err *e)
{
    zg_err sub;
    int rc;
    switch (v->type->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT:
        return number_from_json(v, j, p, e);
    case ZG_ABI_BOOL:
        if (!json_is_boolean(j))
            return at(e, p, ZG_EINVAL, "expected true or false");
        return zg_abi_set_bool(v, json_is_true(j), e);
    case ZG_ABI_ADDRESS: {
        zg_address a;
        if (!json_is_string(j))
            return at(e, p, ZG_EINVAL, "expected a 0x address string");
        rc = zg_address_parse(json_string_value(j), &a, &sub);
        return rc ? at(e, p, rc, sub.msg) : zg_abi_set_address(v, &a, e);
    }
    case ZG_ABI_FBYTES:
    case ZG_ABI_BYTES:
        return bytes_from_json(v, j, p, e);
    case ZG_ABI_STRING:
        if (!json_is_string(j))
            return at(e, p, ZG_EINVAL, "expected a string");
        rc = zg_abi_set_bytes(v, json_string_value(j), json_string_length(j), &sub);
        return rc ? at(e, p, rc, sub.msg) : ZG_OK;
    case ZG_ABI_DARRAY:
        if (!json_is_array(j))
            return at(e, p, ZG_EINVAL, "expected an array");
        rc = zg_abi_resize(v, json_array_size(j), e);
        return rc ? rc : fill_items(v, j, p, e);
    case ZG_ABI_ARRAY:
    case ZG_ABI_TUPLE:
        if (!json_is_array(j))
            return at(e, p, ZG_EINVAL, "expected an array");
        if (json_array_size(j) != v->n_items) {
            char msg[96];
            snprintf(msg, sizeof msg, "expected %zu elements, got %zu", v->n_items,
                     json_array_size(j));
            return at(e, p, ZG_EINVAL, msg);
        }
        return fill_items(v, j, p, e);
    }
    return ZG_EINTERNAL;
}

int zg_abi_value_from_json(zg_abi_value *v, const json_t *j, zg_err *e)
{
    path p = { "" };
    return from_json(v, j, &p, e);
}

int zg_abi_value_parse_json(const zg_abi_type *t, const char *json_text,
                            zg_abi_value **out, zg_err *e)
{
    *out = NULL;
    json_error_t je;
    json_t *j = json_loads(json_text, JSON_DECODE_ANY, &je);
    if (!j)
        return zg_err_set(e, ZG_EINVAL, "ABI value: bad JSON at line %d column %d: %s",
                          je.line, je.column, je.text);
    zg_abi_value *v = zg_abi_value_new(t);
    int rc = v ? zg_abi_value_from_json(v, j, e) : zg_err_set(e, ZG_ENOMEM, "out of memory");
    json_decref(j);
    if (rc != ZG_OK) {
        zg_abi_value_free(v);
        return rc;
    }
    *out = v;
    return ZG_OK;
}

/* Decimal text of a uint or (signed) int value. */
static void number_text(const zg_abi_value *v, char out[ZG_U256_DEC_MAX + 1])
{
    zg_u256 x = v->num;
    int neg = v->type->kind == ZG_ABI_INT && (x.w[3] >> 63);
    if (neg) { /* magnitude = ~x + 1 */
        int carry = 1;
        for (int i = 0; i < 4; i++) {
            x.w[i] = ~x.w[i] + (uint64_t)carry;
            carry = carry && x.w[i] == 0;
        }
    }
    out[0] = '-';
    zg_u256_to_dec(&x, out + neg);
}

/* Hex text of bytes (malloc'ed), or NULL. */
static char *hex_text(const uint8_t *p, size_t n)
{
    if (n > (SIZE_MAX - 3) / 2)
        return NULL;
    char *s = malloc(2 * n + 3);
    if (s)
        zg_hex_encode(p, n, s);
    return s;
}

json_t *zg_abi_value_to_json(const zg_abi_value *v)
{
    char tmp[ZG_U256_DEC_MAX + 1];
    switch (v->type->kind) {
    case ZG_ABI_UINT:
    case ZG_ABI_INT:
        number_text(v, tmp);
        return json_string(tmp);
    case ZG_ABI_BOOL:
        return json_boolean(!zg_u256_is_zero(&v->num));
    case ZG_ABI_ADDRESS: {
        zg_address a;
        memcpy(a.b, v->word + 12, 20);
        zg_address_to_checksum(&a, tmp);
        return json_string(tmp);
    }
    case ZG_ABI_FBYTES:
    case ZG_ABI_BYTES: {
        size_t n;
        const uint8_t *p = zg_abi_get_bytes(v, &n);
        char *s = hex_text(p, n);
        json_t *j = s ? json_string(s) : NULL;
        free(s);
        return j;
    }
    case ZG_ABI_STRING: {
        json_t *j = json_stringn((const char *)v->data, v->len);
        if (j || !v->len)
            return j;
        /* Not UTF-8 (contracts may emit anything): JSON needs valid text,
         * so non-ASCII bytes become '?'; zg_abi_get_bytes keeps the raw bytes. */
        char *copy = malloc(v->len);
        if (!copy)
            return NULL;
        for (size_t i = 0; i < v->len; i++)
            copy[i] = v->data[i] < 0x80 ? (char)v->data[i] : '?';
        j = json_stringn(copy, v->len);
        free(copy);
        return j;
    }
    default: {
        json_t *a = json_array();
        for (size_t i = 0; a && i < v->n_items; i++) {
            json_t *c = zg_abi_value_to_json(&v->items[i]);
            if (!c || json_array_append_new(a, c) != 0) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    }
}

static int put(zg_buf *out, const char *s)
{
    return zg_buf_append(out, s, strlen(s));
}

/* A string in double quotes with \" \\ and non-printable bytes escaped. */
static int put_quoted(zg_buf *out, const uint8_t *p, size_t n)
{
    int rc = zg_buf_append_byte(out, '"');
    for (size_t i = 0; i < n && rc == ZG_OK; i++) {
        char esc[8];
        if (p[i] == '"' || p[i] == '\\') {
            esc[0] = '\\';
            esc[1] = (char)p[i];
            esc[2] = 0;
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", p[i]);
        } else {
            esc[0] = (char)p[i];
            esc[1] = 0;
        }
        rc = put(out, esc);
    }
    return rc ? rc : zg_buf_append_byte(out, '"');
}

int zg_abi_value_format_(const zg_abi_value *v, zg_buf *out)
{
    zg_abi_kind k = v->type->kind;
    if (k == ZG_ABI_STRING)
        return put_quoted(out, v->data, v->len);
    if (k == ZG_ABI_ARRAY || k == ZG_ABI_DARRAY || k == ZG_ABI_TUPLE) {
        int rc = zg_buf_append_byte(out, k == ZG_ABI_TUPLE ? '(' : '[');
        for (size_t i = 0; i < v->n_items && rc == ZG_OK; i++) {
            if (i)
                rc = put(out, ", ");
            if (rc == ZG_OK)
                rc = zg_abi_value_format_(&v->items[i], out);
        }
        return rc ? rc : zg_buf_append_byte(out, k == ZG_ABI_TUPLE ? ')' : ']');
    }
    json_t *j = zg_abi_value_to_json(v);
    if (!j)
        return ZG_ENOMEM;
    int rc = json_is_string(j) ? put(out, json_string_value(j))
                               : put(out, json_is_true(j) ? "true" : "false");
    json_decref(j);
    return rc;
}

char *zg_abi_value_to_text(const zg_abi_value *v)
{
    zg_buf b;
    zg_buf_init(&b);
    if (zg_abi_value_format_(v, &b) != ZG_OK || zg_buf_append_byte(&b, 0) != ZG_OK) {
        zg_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}
