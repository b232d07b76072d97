/* protocol.c - X-ZG-* request headers and JSON error bodies (see protocol.h). */
#include "serving/protocol.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hex.h"

static const struct {
    const char *name;
    int status;
} codes[ZG_PROTO_NCODES] = {
    [ZG_PROTO_OK] = {"ok", 200},
    [ZG_PROTO_MISSING_HEADER] = {"missing_header", 400},
    [ZG_PROTO_BAD_HEADER] = {"bad_header", 400},
    [ZG_PROTO_BAD_REQUEST] = {"bad_request", 400},
    [ZG_PROTO_UNKNOWN_SERVICE] = {"unknown_service", 404},
    [ZG_PROTO_BAD_SIGNATURE] = {"bad_signature", 401},
    [ZG_PROTO_NO_ACCOUNT] = {"no_account", 402},
    [ZG_PROTO_NONCE_REUSED] = {"nonce_reused", 409},
    [ZG_PROTO_FEE_MISMATCH] = {"fee_mismatch", 409},
    [ZG_PROTO_INPUT_FEE_LOW] = {"input_fee_low", 402},
    [ZG_PROTO_OUTPUT_FEE_OWED] = {"output_fee_owed", 402},
    [ZG_PROTO_INSUFFICIENT_BALANCE] = {"insufficient_balance", 402},
    [ZG_PROTO_UPSTREAM] = {"upstream_error", 502},
    [ZG_PROTO_OVERLOADED] = {"overloaded", 503},
    [ZG_PROTO_INTERNAL] = {"internal_error", 500},
};

int zg_proto_status(int code)
{
    if (code < 0 || code >= ZG_PROTO_NCODES)
        return 500;
    return codes[code].status;
}

const char *zg_proto_code_name(int code)
{
    if (code < 0 || code >= ZG_PROTO_NCODES)
        return "unknown";
    return codes[code].name;
}

int zg_proto_code_from_name(const char *name)
{
    for (int i = 0; name && i < ZG_PROTO_NCODES; i++)
        if (strcmp(codes[i].name, name) == 0)
            return i;
    return -1;
}

/* Copies v without surrounding HTTP whitespace into out (NULL if too long). */
static const char *trim(const char *v, char *out, size_t cap)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n >= cap)
        return NULL;
    memcpy(out, v, n);
    out[n] = '\0';
    return out;
}

static int bad(int *code, int c, zg_err *e, const char *hdr, const char *why)
{
    if (code)
        *code = c;
    return zg_err_set(e, ZG_EINVAL, "header %s: %s", hdr, why);
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int zg_proto_parse_fee(zg_u256 *fee, const char *s, const char *what, zg_err *e)
{
    if (!all_digits(s))
        return zg_err_set(e, ZG_EINVAL, "%s: not a decimal number of wei", what);
    if (strlen(s) > 40 || zg_u256_from_dec(fee, s, NULL) != ZG_OK || fee->w[2] || fee->w[3])
        return zg_err_set(e, ZG_ERANGE, "%s: above the largest fee (2^128-1 wei)", what);
    return ZG_OK;
}

static int parse_user(zg_proto_headers *h, const char *v, int *code, zg_err *e)
{
    if (strlen(v) != 42 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X'))
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_USER,
                   "expected an address: 0x and 40 hex digits");
    if (zg_hex_decode(v, h->user, 20, NULL) != ZG_OK)
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_USER, "address has a non-hex digit");
    return ZG_OK;
}

static int parse_nonce(zg_proto_headers *h, const char *v, int *code, zg_err *e)
{
    zg_u256 n;
    uint64_t u;
    if (!all_digits(v))
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_NONCE, "not a decimal number");
    if (strlen(v) > 30 || zg_u256_from_dec(&n, v, NULL) != ZG_OK || zg_u256_to_u64(&n, &u) != ZG_OK)
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_NONCE, "above 2^64-1");
    if (u == 0)
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_NONCE, "must be at least 1");
    h->nonce = u;
    return ZG_OK;
}

static int parse_fee_hdr(zg_u256 *fee, const char *v, const char *hdr, int *code, zg_err *e)
{
    char what[64];
    snprintf(what, sizeof what, "header %s", hdr);
    int rc = zg_proto_parse_fee(fee, v, what, e);
    if (rc && code)
        *code = ZG_PROTO_BAD_HEADER;
    return rc ? ZG_EINVAL : ZG_OK;
}

static int parse_sig(zg_proto_headers *h, const char *v, int *code, zg_err *e)
{
    if (strlen(v) != 130 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X'))
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_SIGNATURE,
                   "expected 0x and 128 hex digits (64-byte packed signature)");
    if (zg_hex_decode(v, h->signature, 64, NULL) != ZG_OK)
        return bad(code, ZG_PROTO_BAD_HEADER, e, ZG_HDR_SIGNATURE, "non-hex digit");
    return ZG_OK;
}

int zg_proto_headers_parse(zg_proto_headers *h, zg_proto_lookup_fn get, void *ctx,
                           int *code, zg_err *e)
{
    static const char *const names[ZG_PROTO_NHEADERS] = {
        ZG_HDR_USER, ZG_HDR_NONCE, ZG_HDR_INPUT_FEE,
        ZG_HDR_PREV_OUTPUT_FEE, ZG_HDR_FEE, ZG_HDR_SIGNATURE,
    };
    char vals[ZG_PROTO_NHEADERS][160];
    zg_proto_headers tmp;
    memset(&tmp, 0, sizeof tmp);
    if (code)
        *code = ZG_PROTO_OK;
    /* Missing headers are reported before malformed ones, in table order. */
    for (int i = 0; i < ZG_PROTO_NHEADERS; i++) {
        const char *raw = get(ctx, names[i]);
        if (!raw)
            return bad(code, ZG_PROTO_MISSING_HEADER, e, names[i], "missing");
        if (!trim(raw, vals[i], sizeof vals[i]))
            return bad(code, ZG_PROTO_BAD_HEADER, e, names[i], "value too long");
    }
    int rc;
    if ((rc = parse_user(&tmp, vals[0], code, e)) || (rc = parse_nonce(&tmp, vals[1], code, e)) ||
        (rc = parse_fee_hdr(&tmp.input_fee, vals[2], names[2], code, e)) ||
        (rc = parse_fee_hdr(&tmp.prev_output_fee, vals[3], names[3], code, e)) ||
        (rc = parse_fee_hdr(&tmp.fee, vals[4], names[4], code, e)) ||
        (rc = parse_sig(&tmp, vals[5], code, e)))
        return rc;
    *h = tmp;
    return ZG_OK;
}

struct pairs {
    const char *const *names, *const *values;
    size_t n;
};

static const char *pairs_get(void *ctx, const char *name)
{
    const struct pairs *p = ctx;
    for (size_t i = 0; i < p->n; i++)
        if (p->names[i] && strcasecmp(p->names[i], name) == 0)
            return p->values[i];
    return NULL;
}

int zg_proto_headers_parse_pairs(zg_proto_headers *h, const char *const *names,
                                 const char *const *values, size_t n, int *code,
                                 zg_err *e)
{
    struct pairs p = {names, values, n};
    return zg_proto_headers_parse(h, pairs_get, &p, code, e);
}

void zg_proto_headers_format(const zg_proto_headers *h,
                             zg_proto_pair out[ZG_PROTO_NHEADERS])
{
    out[0].name = ZG_HDR_USER;
    zg_hex_encode(h->user, 20, out[0].value);
    out[1].name = ZG_HDR_NONCE;
    snprintf(out[1].value, sizeof out[1].value, "%llu", (unsigned long long)h->nonce);
    out[2].name = ZG_HDR_INPUT_FEE;
    zg_u256_to_dec(&h->input_fee, out[2].value);
    out[3].name = ZG_HDR_PREV_OUTPUT_FEE;
    zg_u256_to_dec(&h->prev_output_fee, out[3].value);
    out[4].name = ZG_HDR_FEE;
    zg_u256_to_dec(&h->fee, out[4].value);
    out[5].name = ZG_HDR_SIGNATURE;
    zg_hex_encode(h->signature, 64, out[5].value);
}

int zg_proto_check_fee_sum(const zg_proto_headers *h, int *code, zg_err *e)
{
    zg_u256 sum;
    if (zg_u256_add(&sum, &h->input_fee, &h->prev_output_fee) == ZG_OK &&
        zg_u256_cmp(&sum, &h->fee) == 0)
        return ZG_OK;
    char a[ZG_U256_DEC_MAX], b[ZG_U256_DEC_MAX], c[ZG_U256_DEC_MAX];
    zg_u256_to_dec(&h->fee, a);
    zg_u256_to_dec(&h->input_fee, b);
    zg_u256_to_dec(&h->prev_output_fee, c);
    if (code)
        *code = ZG_PROTO_FEE_MISMATCH;
    return zg_err_set(e, ZG_EINVAL,
                      "X-ZG-Fee %s wei is not X-ZG-Input-Fee %s + X-ZG-Previous-Output-Fee %s",
                      a, b, c);
}

char *zg_proto_error_body(int code, const char *message)
{
    json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", zg_proto_code_name(code),
                          "message", message ? message : "");
    if (!o)
        return NULL;
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

int zg_proto_error_parse(const char *body, size_t len, int *code, char *code_name,
                         char *msg, size_t msg_len, zg_err *e)
{
    json_t *o = json_loadb(body, len, 0, NULL);
    json_t *err = o ? json_object_get(o, "error") : NULL;
    json_t *c = err ? json_object_get(err, "code") : NULL;
    json_t *m = err ? json_object_get(err, "message") : NULL;
    if (!json_is_string(c) || !json_is_string(m)) {
        json_decref(o);
        return zg_err_set(e, ZG_EINVAL, "not a zg error body {\"error\":{\"code\",\"message\"}}");
    }
    if (code)
        *code = zg_proto_code_from_name(json_string_value(c));
    if (code_name)
        snprintf(code_name, 32, "%s", json_string_value(c));
    if (msg && msg_len)
        snprintf(msg, msg_len, "%s", json_string_value(m));
    json_decref(o);
    return ZG_OK;
}
