/* abi_error.c - making revert data readable: Error(string), Panic(uint256)
 * and custom errors given by signature. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eth/abi_internal.h"

const char *zg_abi_panic_reason(uint64_t code)
{
    /* Codes from the Solidity docs, "Panic via assert and Error via require"
     * (docs.soliditylang.org/en/v0.8.26/control-structures.html). */
    switch (code) {
    case 0x00: return "generic compiler panic";
    case 0x01: return "assert failed";
    case 0x11: return "arithmetic overflow or underflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum value";
    case 0x22: return "corrupt storage byte array";
    case 0x31: return "pop() on an empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "too much memory allocated";
    case 0x51: return "call to an uninitialised internal function";
    default: return "unknown panic code";
    }
}

/* Error(string) and Panic(uint256) come first, then the caller's. */
static int find_sig(const uint8_t sel[4], const char *const *sigs, size_t n,
                    zg_abi_sig **out, zg_err *e)
{
    static const char *const builtin[] = { "Error(string)", "Panic(uint256)" };
    for (size_t i = 0; i < 2 + n; i++) {
        const char *text = i < 2 ? builtin[i] : sigs[i - 2];
        zg_abi_sig *s;
        int rc = zg_abi_sig_parse(text, &s, e);
        if (rc != ZG_OK)
            return zg_err_wrap(e, rc, "error signature \"%s\"", text);
        if (memcmp(s->selector, sel, 4) == 0) {
            *out = s;
            return ZG_OK;
        }
        zg_abi_sig_free(s);
    }
    return zg_err_set(e, ZG_ENOTFOUND, "unknown error selector 0x%02x%02x%02x%02x",
                      sel[0], sel[1], sel[2], sel[3]);
}

int zg_abi_decode_revert(const uint8_t *data, size_t len,
                         const char *const *error_sigs, size_t n_sigs,
                         char **name, zg_abi_value **args, zg_err *e)
{
    *name = NULL;
    *args = NULL;
    if (len < 4)
        return zg_err_set(e, ZG_ENOTFOUND, "revert data of %zu bytes has no error selector", len);
    zg_abi_sig *s = NULL;
    int rc = find_sig(data, error_sigs, n_sigs, &s, e);
    if (rc != ZG_OK)
        return rc;
    rc = zg_abi_decode(s->inputs, data + 4, len - 4, args, e);
    if (rc == ZG_OK && !(*name = strdup(s->name))) {
        zg_abi_value_free(*args);
        *args = NULL;
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    } else if (rc != ZG_OK) {
        zg_err_wrap(e, rc, "arguments of error %s", s->canonical);
    }
    zg_abi_sig_free(s);
    return rc;
}

static void copy_out(char *out, size_t out_len, const char *s)
{
    if (!out_len)
        return;
    snprintf(out, out_len, "%s", s);
}

/* "Panic(0x11: arithmetic overflow or underflow)". */
static int describe_panic(const zg_abi_value *args, char *out, size_t out_len)
{
    zg_u256 code;
    uint64_t c = UINT64_MAX;
    zg_abi_get_uint(&args->items[0], &code, NULL);
    if (zg_u256_to_u64(&code, &c) != ZG_OK)
        c = UINT64_MAX;
    char hex[ZG_U256_HEX_MAX];
    zg_u256_to_hex(&code, hex);
    if (out_len)
        snprintf(out, out_len, "Panic(%s: %s)", hex, zg_abi_panic_reason(c));
    return ZG_OK;
}

int zg_abi_describe_revert(const uint8_t *data, size_t len,
                           const char *const *error_sigs, size_t n_sigs,
                           char *out, size_t out_len)
{
    char tmp[128];
    if (len == 0) {
        copy_out(out, out_len, "revert without reason");
        return ZG_OK;
    }
    char *name;
    zg_abi_value *args;
    zg_err e;
    int rc = zg_abi_decode_revert(data, len, error_sigs, n_sigs, &name, &args, &e);
    if (rc == ZG_ENOTFOUND) {
        if (len >= 4)
            snprintf(tmp, sizeof tmp, "unknown error 0x%02x%02x%02x%02x (+%zu bytes)",
                     data[0], data[1], data[2], data[3], len - 4);
        else
            snprintf(tmp, sizeof tmp, "malformed revert data (%zu bytes)", len);
        copy_out(out, out_len, tmp);
        return ZG_ENOTFOUND;
    }
    if (rc != ZG_OK) {
        copy_out(out, out_len, e.msg);
        return rc;
    }
    if (strcmp(name, "Panic") == 0 && args->n_items == 1) {
        rc = describe_panic(args, out, out_len);
    } else {
        zg_buf b;
        zg_buf_init(&b);
        rc = zg_buf_append(&b, name, strlen(name));
        if (rc == ZG_OK)
            rc = zg_abi_value_format_(args, &b); /* "(a, b)" */
        if (rc == ZG_OK)
            rc = zg_buf_append_byte(&b, 0);
        copy_out(out, out_len, rc == ZG_OK ? (const char *)b.data : "out of memory");
        zg_buf_free(&b);
    }
    free(name);
    zg_abi_value_free(args);
    return rc;
}
