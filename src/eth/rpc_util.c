/* rpc_util.c - reading JSON-RPC quantities and data strings. */
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "eth/rpc_internal.h"

/* JSON-RPC quantities are "0x" hex strings; anything else is malformed. */
int zg_rpc_quantity_u256_(const json_t *v, const char *what, zg_u256 *out, zg_err *e)
{
    const char *s = json_string_value(v);
    if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return zg_err_set(e, ZG_EINVAL, "RPC answer: %s is not a 0x quantity", what);
    zg_err sub;
    if (zg_u256_from_hex(out, s, &sub) != ZG_OK)
        return zg_err_set(e, ZG_EINVAL, "RPC answer: %s: %s", what, sub.msg);
    return ZG_OK;
}

int zg_rpc_quantity_u64_(const json_t *v, const char *what, uint64_t *out, zg_err *e)
{
    zg_u256 x;
    int rc = zg_rpc_quantity_u256_(v, what, &x, e);
    if (rc == ZG_OK && zg_u256_to_u64(&x, out) != ZG_OK)
        rc = zg_err_set(e, ZG_EINVAL, "RPC answer: %s does not fit 64 bits", what);
    return rc;
}

int zg_rpc_data_(const json_t *v, const char *what, zg_buf *out, zg_err *e)
{
    const char *s = json_string_value(v);
    if (!s || s[0] != '0' || s[1] != 'x')
        return zg_err_set(e, ZG_EINVAL, "RPC answer: %s is not 0x data", what);
    zg_err sub;
    int rc = zg_hex_decode_buf(s, out, &sub);
    return rc ? zg_err_set(e, rc, "RPC answer: %s: %s", what, sub.msg) : ZG_OK;
}

int zg_rpc_fixed_(const json_t *v, const char *what, uint8_t *out, size_t n, zg_err *e)
{
    const char *s = json_string_value(v);
    if (!s || s[0] != '0' || s[1] != 'x' || strlen(s) != 2 + 2 * n ||
        zg_hex_decode(s, out, n, NULL) != ZG_OK)
        return zg_err_set(e, ZG_EINVAL, "RPC answer: %s is not %zu bytes of 0x hex", what, n);
    return ZG_OK;
}

json_t *zg_rpc_hex_json_(const uint8_t *p, size_t n)
{
    if (n > (SIZE_MAX - 3) / 2)
        return NULL;
    char *s = malloc(2 * n + 3);
    if (!s)
        return NULL;
    zg_hex_encode(p, n, s);
    json_t *j = json_string(s);
    free(s);
    return j;
}
