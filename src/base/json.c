/* json.c - typed jansson helpers (see base/json.h). */
#include <stdio.h>

#include "base/json.h"

const char *zg_json_type_name(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE: case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

int zg_json_parse(const char *text, size_t len, json_t **out, zg_err *e)
{
    json_error_t je;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        return zg_err_set(e, ZG_EINVAL, "invalid JSON at line %d column %d: %s", je.line,
                          je.column, je.text);
    *out = v;
    return ZG_OK;
}

/* The field, or NULL after setting a "missing" error. */
static json_t *field(const json_t *obj, const char *key, zg_err *e)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!v)
        zg_err_set(e, ZG_EINVAL, "field \"%s\": missing", key);
    return v;
}

static int wrong_type(const char *key, const char *want, const json_t *v, zg_err *e)
{
    return zg_err_set(e, ZG_EINVAL, "field \"%s\": expected %s, got %s", key, want,
                      zg_json_type_name(v));
}

int zg_json_get_str(const json_t *obj, const char *key, const char **out, zg_err *e)
{
    json_t *v = field(obj, key, e);
    if (!v)
        return ZG_EINVAL;
    if (!json_is_string(v))
        return wrong_type(key, "a string", v, e);
    *out = json_string_value(v);
    return ZG_OK;
}

int zg_json_get_str_opt(const json_t *obj, const char *key, const char **out, zg_err *e)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v))
        return ZG_ENOTFOUND;
    return zg_json_get_str(obj, key, out, e);
}

int zg_json_get_bool(const json_t *obj, const char *key, int *out, zg_err *e)
{
    json_t *v = field(obj, key, e);
    if (!v)
        return ZG_EINVAL;
    if (!json_is_boolean(v))
        return wrong_type(key, "true or false", v, e);
    *out = json_is_true(v);
    return ZG_OK;
}

static int get_typed(const json_t *obj, const char *key, json_t **out, int type,
                     const char *want, zg_err *e)
{
    json_t *v = field(obj, key, e);
    if (!v)
        return ZG_EINVAL;
    if ((int)json_typeof(v) != type)
        return wrong_type(key, want, v, e);
    *out = v;
    return ZG_OK;
}

int zg_json_get_obj(const json_t *obj, const char *key, json_t **out, zg_err *e)
{
    return get_typed(obj, key, out, JSON_OBJECT, "an object", e);
}

int zg_json_get_array(const json_t *obj, const char *key, json_t **out, zg_err *e)
{
    return get_typed(obj, key, out, JSON_ARRAY, "an array", e);
}

int zg_json_to_u256(const json_t *v, const char *what, zg_u256 *out, zg_err *e)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < 0)
            return zg_err_set(e, ZG_ERANGE, "%s: negative value %lld", what, (long long)i);
        *out = zg_u256_from_u64((uint64_t)i);
        return ZG_OK;
    }
    if (!json_is_string(v))
        return zg_err_set(e, ZG_EINVAL, "%s: expected an integer or a numeric string, got %s",
                          what, zg_json_type_name(v));
    int rc = zg_u256_parse(out, json_string_value(v), e);
    return rc ? zg_err_wrap(e, rc, "%s", what) : ZG_OK;
}

int zg_json_get_u256(const json_t *obj, const char *key, zg_u256 *out, zg_err *e)
{
    json_t *v = field(obj, key, e);
    if (!v)
        return ZG_EINVAL;
    char what[160];
    snprintf(what, sizeof what, "field \"%s\"", key);
    return zg_json_to_u256(v, what, out, e);
}

int zg_json_get_u64(const json_t *obj, const char *key, uint64_t *out, zg_err *e)
{
    zg_u256 v;
    int rc = zg_json_get_u256(obj, key, &v, e);
    if (rc)
        return rc;
    if (zg_u256_to_u64(&v, out))
        return zg_err_set(e, ZG_ERANGE, "field \"%s\": value does not fit in 64 bits", key);
    return ZG_OK;
}

json_t *zg_json_u256_hex(const zg_u256 *a)
{
    char s[ZG_U256_HEX_MAX];
    zg_u256_to_hex(a, s);
    return json_string(s);
}

json_t *zg_json_u256_dec(const zg_u256 *a)
{
    char s[ZG_U256_DEC_MAX];
    zg_u256_to_dec(a, s);
    return json_string(s);
}
