/* fee.c - unit counting and fee arithmetic (see fee.h). */
#include "serving/fee.h"

#include <jansson.h>
#include <string.h>

static int below_2_128(const zg_u256 *a)
{
    return a->w[2] == 0 && a->w[3] == 0;
}

static int get_uint(json_t *o, const char *key, uint64_t lo, uint64_t hi, uint64_t *out,
                    zg_err *e)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return ZG_OK;
    if (!json_is_integer(v) || json_integer_value(v) < (json_int_t)lo ||
        json_integer_value(v) > (json_int_t)hi)
        return zg_err_set(e, ZG_EINVAL, "additionalProperties: \"%s\" must be an integer in %llu..%llu",
                          key, (unsigned long long)lo, (unsigned long long)hi);
    *out = (uint64_t)json_integer_value(v);
    return ZG_OK;
}

int zg_fee_rule_init(zg_fee_rule *r, const char *ap, const zg_u256 *input_price,
                     const zg_u256 *output_price, zg_err *e)
{
    zg_fee_rule t = {ZG_UNIT_BYTE, *input_price, *output_price, ZG_FEE_DEFAULT_MAX_TOKENS,
                     ZG_FEE_DEFAULT_BYTES_PER_TOKEN};
    if (ap && *ap) {
        json_t *o = json_loads(ap, 0, NULL);
        if (!json_is_object(o)) {
            json_decref(o);
            return zg_err_set(e, ZG_EINVAL, "additionalProperties is not a JSON object");
        }
        json_t *u = json_object_get(o, "unit");
        int rc = ZG_OK;
        if (u && !(json_is_string(u) && strcmp(json_string_value(u), "byte") == 0))
            rc = zg_err_set(e, ZG_EINVAL,
                            "unit rule %s%s%s is not supported by this version (only \"byte\")",
                            json_is_string(u) ? "\"" : "",
                            json_is_string(u) ? json_string_value(u) : "(not a string)",
                            json_is_string(u) ? "\"" : "");
        if (!rc)
            rc = get_uint(o, "maxTokens", 1, 1u << 24, &t.max_tokens, e);
        if (!rc)
            rc = get_uint(o, "bytesPerToken", 1, 1024, &t.bytes_per_token, e);
        json_decref(o);
        if (rc)
            return rc;
    }
    *r = t;
    return ZG_OK;
}

static json_t *load(const char *body, size_t len, const char *what, zg_err *e)
{
    json_error_t je;
    json_t *o = json_loadb(body, len, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        zg_err_set(e, ZG_EINVAL, "%s is not a JSON object (%s)", what, o ? "other type" : je.text);
        return NULL;
    }
    return o;
}

/* Bytes of one content value: string, null, or array of parts. */
static int content_units(json_t *c, size_t idx, uint64_t *units, zg_err *e)
{
    if (!c || json_is_null(c))
        return ZG_OK;
    if (json_is_string(c)) {
        *units += json_string_length(c);
        return ZG_OK;
    }
    if (!json_is_array(c))
        return zg_err_set(e, ZG_EINVAL, "messages[%zu].content is neither a string nor a list of parts", idx);
    size_t i;
    json_t *p;
    json_array_foreach(c, i, p) {
        json_t *type = json_object_get(p, "type"), *text = json_object_get(p, "text");
        if (!json_is_string(type) || strcmp(json_string_value(type), "text") != 0 || !json_is_string(text))
            return zg_err_set(e, ZG_EINVAL,
                              "messages[%zu].content[%zu] is not a text part (the byte rule counts text only)",
                              idx, i);
        *units += json_string_length(text);
    }
    return ZG_OK;
}

int zg_fee_units_in(const zg_fee_rule *r, const char *body, size_t len, uint64_t *units,
                    zg_err *e)
{
    json_t *o = load(body, len, "request body", e);
    if (!o)
        return ZG_EINVAL;
    json_t *msgs = json_object_get(o, "messages");
    int rc = ZG_OK;
    uint64_t n = 0;
    if (!json_is_array(msgs) || json_array_size(msgs) == 0)
        rc = zg_err_set(e, ZG_EINVAL, "request body has no non-empty \"messages\" list");
    size_t i;
    json_t *m;
    if (!rc)
        json_array_foreach(msgs, i, m) {
            if (!json_is_object(m)) {
                rc = zg_err_set(e, ZG_EINVAL, "messages[%zu] is not an object", i);
                break;
            }
            if ((rc = content_units(json_object_get(m, "content"), i, &n, e)))
                break;
        }
    json_decref(o);
    if (!rc)
        *units = n;
    return rc;
}

/* Sums the bytes of choices[*].<field>.content. */
static int choices_units(json_t *o, const char *field, uint64_t *units, zg_err *e)
{
    json_t *ch = json_object_get(o, "choices");
    if (!ch)
        return ZG_OK;
    if (!json_is_array(ch))
        return zg_err_set(e, ZG_EINVAL, "\"choices\" is not a list");
    size_t i;
    json_t *c;
    json_array_foreach(ch, i, c) {
        json_t *content = json_object_get(json_object_get(c, field), "content");
        if (json_is_string(content))
            *units += json_string_length(content);
    }
    return ZG_OK;
}

int zg_fee_units_out_answer(const zg_fee_rule *r, const char *body, size_t len,
                            uint64_t *units, zg_err *e)
{
    json_t *o = load(body, len, "answer", e);
    if (!o)
        return ZG_EINVAL;
    uint64_t n = 0;
    int rc = ZG_OK;
    if (!json_is_array(json_object_get(o, "choices")))
        rc = zg_err_set(e, ZG_EINVAL, "answer has no \"choices\" list");
    if (!rc)
        rc = choices_units(o, "message", &n, e);
    json_decref(o);
    if (!rc)
        *units = n;
    return rc;
}

int zg_fee_units_out_chunk(const zg_fee_rule *r, const char *chunk, size_t len,
                           uint64_t *units, zg_err *e)
{
    json_t *o = load(chunk, len, "stream chunk", e);
    if (!o)
        return ZG_EINVAL;
    uint64_t n = 0;
    int rc = choices_units(o, "delta", &n, e);
    json_decref(o);
    if (!rc)
        *units += n;
    return rc;
}

int zg_fee_of_units(const zg_u256 *price, uint64_t units, zg_u256 *fee, zg_err *e)
{
    zg_u256 u = zg_u256_from_u64(units), f;
    if (zg_u256_mul(&f, price, &u) != ZG_OK || !below_2_128(&f))
        return zg_err_set(e, ZG_ERANGE, "fee of %llu units at the service's price reaches 2^128 wei",
                          (unsigned long long)units);
    *fee = f;
    return ZG_OK;
}

int zg_fee_compute(const zg_fee_rule *r, uint64_t units_in, uint64_t prev_units_out,
                   zg_u256 *input_fee, zg_u256 *prev_output_fee, zg_u256 *fee, zg_err *e)
{
    zg_u256 in, out, sum;
    int rc;
    if ((rc = zg_fee_of_units(&r->input_price, units_in, &in, e)) ||
        (rc = zg_fee_of_units(&r->output_price, prev_units_out, &out, e)))
        return rc;
    if (zg_u256_add(&sum, &in, &out) != ZG_OK || !below_2_128(&sum))
        return zg_err_set(e, ZG_ERANGE, "input fee + previous output fee reaches 2^128 wei");
    if (input_fee)
        *input_fee = in;
    if (prev_output_fee)
        *prev_output_fee = out;
    if (fee)
        *fee = sum;
    return ZG_OK;
}

int zg_fee_reserve(const zg_fee_rule *r, const char *body, size_t len,
                   uint64_t *max_units_out, zg_u256 *reserve, zg_err *e)
{
    json_t *o = load(body, len, "request body", e);
    if (!o)
        return ZG_EINVAL;
    json_t *mt = json_object_get(o, "max_completion_tokens");
    if (!mt || json_is_null(mt))
        mt = json_object_get(o, "max_tokens");
    uint64_t tokens = r->max_tokens;
    int rc = ZG_OK;
    if (mt && !json_is_null(mt)) {
        if (!json_is_integer(mt) || json_integer_value(mt) < 1)
            rc = zg_err_set(e, ZG_EINVAL, "max_tokens must be a positive integer");
        else if ((uint64_t)json_integer_value(mt) < tokens)
            tokens = (uint64_t)json_integer_value(mt);
    }
    json_decref(o);
    if (rc)
        return rc;
    uint64_t units = tokens * r->bytes_per_token; /* <= 2^24 * 2^10: no overflow */
    zg_u256 res;
    if ((rc = zg_fee_of_units(&r->output_price, units, &res, e)))
        return rc;
    if (max_units_out)
        *max_units_out = units;
    if (reserve)
        *reserve = res;
    return ZG_OK;
}
