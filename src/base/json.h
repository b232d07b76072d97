/*
 * base/json.h - typed access to jansson values with useful errors.
 *
 * Every getter names the field in its error ("field \"nonce\": expected a
 * string, got number"), so a caller can pass the message straight on.
 * Getters that return pointers borrow them from the JSON object: they live
 * as long as the object does. Missing field -> ZG_EINVAL unless a getter
 * says otherwise (the *_opt forms return ZG_ENOTFOUND and leave *out as is).
 */
#ifndef ZG_BASE_JSON_H
#define ZG_BASE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/u256.h"
#include "zg/error.h"

/* Parses text of length len into *out (caller json_decref's it).
 * ZG_EINVAL with line and column on a syntax error. */
int zg_json_parse(const char *text, size_t len, json_t **out, zg_err *e);

/* Borrowed string field. ZG_EINVAL if missing or not a string. */
int zg_json_get_str(const json_t *obj, const char *key, const char **out, zg_err *e);

/* As zg_json_get_str, but ZG_ENOTFOUND (no message) if the field is absent
 * or null. */
int zg_json_get_str_opt(const json_t *obj, const char *key, const char **out, zg_err *e);

/* Boolean field. ZG_EINVAL if missing or not true/false. */
int zg_json_get_bool(const json_t *obj, const char *key, int *out, zg_err *e);

/* Non-negative integer field, given as a JSON integer or a decimal / 0x-hex
 * string (JSON-RPC quantities). ZG_EINVAL, ZG_ERANGE (> 2^64-1 or < 0). */
int zg_json_get_u64(const json_t *obj, const char *key, uint64_t *out, zg_err *e);

/* 256-bit field, as a JSON integer >= 0 or a decimal / 0x-hex string.
 * ZG_EINVAL, ZG_ERANGE. */
int zg_json_get_u256(const json_t *obj, const char *key, zg_u256 *out, zg_err *e);

/* Borrowed object / array field. ZG_EINVAL if missing or of another type. */
int zg_json_get_obj(const json_t *obj, const char *key, json_t **out, zg_err *e);
int zg_json_get_array(const json_t *obj, const char *key, json_t **out, zg_err *e);

/* Reads a value (not a field) as u256; `what` names it in the error. */
int zg_json_to_u256(const json_t *v, const char *what, zg_u256 *out, zg_err *e);

/* New JSON strings for a u256: "0x..." minimal hex, or decimal. NULL on
 * allocation failure. */
json_t *zg_json_u256_hex(const zg_u256 *a);
json_t *zg_json_u256_dec(const zg_u256 *a);

/* Name of a value's JSON type ("string", "object", ...), for messages. */
const char *zg_json_type_name(const json_t *v);

#endif
