/* abi_sig.c - function/event/error signatures, selectors, calldata. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "eth/abi_internal.h"
#include "eth/keccak.h"

void zg_abi_sig_free(zg_abi_sig *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->canonical);
    zg_abi_type_free(s->inputs);
    zg_abi_type_free(s->outputs);
    free(s);
}

static void skip_spaces(const char *s, size_t *i)
{
    while (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n')
        (*i)++;
}

/* Skips one of the keywords (followed by a space) if present. */
static void skip_keyword(const char *s, size_t *i, const char *kw)
{
    size_t n = strlen(kw);
    if (strncmp(s + *i, kw, n) == 0 && (s[*i + n] == ' ' || s[*i + n] == '\t')) {
        *i += n;
        skip_spaces(s, i);
    }
}

static int parse_name(const char *s, size_t *i, zg_abi_sig *sig, zg_err *e)
{
    size_t start = *i;
    if (!(isalpha((unsigned char)s[*i]) || s[*i] == '_' || s[*i] == '$'))
        return zg_err_set(e, ZG_EINVAL, "ABI signature: expected a name at position %zu", *i);
    while (isalnum((unsigned char)s[*i]) || s[*i] == '_' || s[*i] == '$')
        (*i)++;
    sig->name = strndup(s + start, *i - start);
    return sig->name ? ZG_OK : zg_err_set(e, ZG_ENOMEM, "out of memory");
}

/* Skips Solidity words that may follow a parameter list when a signature
 * is pasted from source: "external view returns (...)". */
static void skip_modifiers(const char *s, size_t *i)
{
    static const char *const words[] = { "external", "public", "internal", "private", "view",
                                         "pure", "payable", "nonpayable", "virtual", "override",
                                         "anonymous", "returns" };
    for (int again = 1; again;) {
        again = 0;
        skip_spaces(s, i);
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            size_t n = strlen(words[w]);
            if (strncmp(s + *i, words[w], n) == 0 && !isalnum((unsigned char)s[*i + n]) &&
                s[*i + n] != '_') {
                *i += n;
                again = 1;
            }
        }
    }
}

/* Optional outputs: "(...)" or "returns (...)" after the inputs. */
static int parse_outputs(const char *s, size_t *i, zg_abi_sig *sig, zg_err *e)
{
    skip_modifiers(s, i);
    if (s[*i] == '(') {
        int rc = zg_abi_parse_list_(s, i, 1, &sig->outputs, e);
        if (rc != ZG_OK)
            return rc;
        skip_spaces(s, i);
    }
    if (s[*i] != '\0')
        return zg_err_set(e, ZG_EINVAL, "ABI signature: unexpected text at position %zu", *i);
    return ZG_OK;
}

static int finish(zg_abi_sig *sig, zg_err *e)
{
    char *args = zg_abi_type_canonical(sig->inputs);
    if (!args)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    size_t n = strlen(sig->name) + strlen(args) + 1;
    sig->canonical = malloc(n);
    if (!sig->canonical) {
        free(args);
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    }
    memcpy(sig->canonical, sig->name, strlen(sig->name));
    memcpy(sig->canonical + strlen(sig->name), args, strlen(args) + 1);
    free(args);
    zg_keccak256(sig->canonical, strlen(sig->canonical), sig->topic);
    memcpy(sig->selector, sig->topic, 4);
    return ZG_OK;
}

int zg_abi_sig_parse(const char *s, zg_abi_sig **out, zg_err *e)
{
    *out = NULL;
    if (!s)
        return zg_err_set(e, ZG_EINVAL, "ABI signature: missing");
    zg_abi_sig *sig = calloc(1, sizeof *sig);
    if (!sig)
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    size_t i = 0;
    skip_spaces(s, &i);
    skip_keyword(s, &i, "function");
    skip_keyword(s, &i, "event");
    skip_keyword(s, &i, "error");
    int rc = parse_name(s, &i, sig, e);
    if (rc == ZG_OK) {
        skip_spaces(s, &i);
        rc = zg_abi_parse_list_(s, &i, 1, &sig->inputs, e);
    }
    if (rc == ZG_OK)
        rc = parse_outputs(s, &i, sig, e);
    if (rc == ZG_OK)
        rc = finish(sig, e);
    if (rc != ZG_OK) {
        zg_abi_sig_free(sig);
        return rc;
    }
    *out = sig;
    return ZG_OK;
}

int zg_abi_selector(const char *sig, uint8_t out[4], zg_err *e)
{
    zg_abi_sig *s;
    int rc = zg_abi_sig_parse(sig, &s, e);
    if (rc == ZG_OK)
        memcpy(out, s->selector, 4);
    zg_abi_sig_free(s);
    return rc;
}

int zg_abi_event_topic(const char *sig, uint8_t out[32], zg_err *e)
{
    zg_abi_sig *s;
    int rc = zg_abi_sig_parse(sig, &s, e);
    if (rc == ZG_OK)
        memcpy(out, s->topic, 32);
    zg_abi_sig_free(s);
    return rc;
}

/* 1 if two types are the same ABI type. */
static int same_type(const zg_abi_type *a, const zg_abi_type *b)
{
    if (a->kind != b->kind || a->bits != b->bits || a->len != b->len ||
        a->n_fields != b->n_fields)
        return 0;
    if (a->elem && !same_type(a->elem, b->elem))
        return 0;
    for (size_t i = 0; i < a->n_fields; i++)
        if (!same_type(a->fields[i], b->fields[i]))
            return 0;
    return 1;
}

int zg_abi_encode_call(const zg_abi_sig *s, const zg_abi_value *args,
                       zg_buf *out, zg_err *e)
{
    if (!same_type(s->inputs, args->type))
        return zg_err_set(e, ZG_EINVAL, "ABI: arguments do not match %s", s->canonical);
    size_t before = out->len;
    int rc = zg_buf_append(out, s->selector, 4);
    if (rc != ZG_OK)
        return zg_err_set(e, rc, "out of memory");
    rc = zg_abi_encode(args, out, e);
    if (rc != ZG_OK)
        out->len = before;
    return rc;
}

int zg_abi_encode_call_json(const char *sig, const char *args_json,
                            zg_buf *out, zg_err *e)
{
    zg_abi_sig *s;
    int rc = zg_abi_sig_parse(sig, &s, e);
    if (rc != ZG_OK)
        return rc;
    zg_abi_value *v;
    rc = zg_abi_value_parse_json(s->inputs, args_json, &v, e);
    if (rc == ZG_OK) {
        rc = zg_abi_encode_call(s, v, out, e);
        zg_abi_value_free(v);
    }
    if (rc != ZG_OK)
        zg_err_wrap(e, rc, "%s", s->canonical);
    zg_abi_sig_free(s);
    return rc;
}

int zg_abi_decode_call(const zg_abi_sig *s, const uint8_t *data, size_t len,
                       zg_abi_value **args, zg_err *e)
{
    *args = NULL;
    if (len < 4 || memcmp(data, s->selector, 4) != 0)
        return zg_err_set(e, ZG_EINVAL, "ABI: calldata is not a call of %s", s->canonical);
    int rc = zg_abi_decode(s->inputs, data + 4, len - 4, args, e);
    return rc ? zg_err_wrap(e, rc, "arguments of %s", s->canonical) : ZG_OK;
}

int zg_abi_decode_output(const zg_abi_sig *s, const uint8_t *data, size_t len,
                         zg_abi_value **out, zg_err *e)
{
    *out = NULL;
    if (!s->outputs)
        return zg_err_set(e, ZG_EINVAL, "ABI: %s declares no outputs", s->canonical);
    int rc = zg_abi_decode(s->outputs, data, len, out, e);
    return rc ? zg_err_wrap(e, rc, "result of %s", s->canonical) : ZG_OK;
}
