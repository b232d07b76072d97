/*
 * eth/abi.h - Solidity ABI: types, values, encoding, decoding, selectors,
 * event topics and revert reasons.
 *
 * Spec: https://docs.soliditylang.org/en/v0.8.26/abi-spec.html
 *
 * Three objects:
 *   zg_abi_type   a parsed type string: "uint256", "(address,(string,bytes32)[])",
 *                 "uint8[3][]". Immutable once parsed.
 *   zg_abi_value  a tree of values shaped like a type. zg_abi_value_new(t)
 *                 builds the tree with zero values (fixed arrays and tuples
 *                 already have their children, dynamic arrays are empty);
 *                 callers set leaves with zg_abi_set_* (range-checked) and grow
 *                 dynamic arrays with zg_abi_resize. A value owns a private
 *                 copy of its type, so the caller may free the type at once.
 *   zg_abi_sig    a parsed function / event / error signature:
 *                 "transfer(address to, uint256 amount)",
 *                 "balanceOf(address)(uint256)" (cast style: outputs after),
 *                 "Transfer(address indexed from, address indexed to, uint256)".
 *                 Parameter names are optional and ignored except "indexed".
 *
 * Encoding takes a value (normally a tuple: the argument list). Decoding is
 * strict and never reads out of bounds: truncated data, offsets or lengths
 * out of range, dirty high bits (uint<M>, int<M> not sign-extended, address,
 * bool other than 0/1, bytes<M> with non-zero padding) are ZG_EINVAL with the
 * byte position in the message. Offsets may point anywhere inside the data
 * (as Solidity accepts), but the decoded tree is bounded by the input size,
 * so no input makes the decoder allocate more than a small multiple of it.
 *
 * JSON form of values (zg_abi_value_from_json / _to_json), handy for generic
 * callers, logs and tests:
 *   uint/int   "123", "-5", "0x1f" (strings; JSON integers also accepted on input)
 *   address    "0x..." (40 hex; output is EIP-55 checksummed)
 *   bool       true / false
 *   bytes<M>, bytes   "0x..." hex
 *   string     a JSON string (UTF-8 is passed through as bytes)
 *   arrays, tuples    JSON arrays
 *
 * Threads: types, sigs and values are plain data; share them read-only.
 */
#ifndef ZG_ETH_ABI_H
#define ZG_ETH_ABI_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/u256.h"
#include "eth/key.h"
#include "zg/error.h"

/* Nesting deeper than this is rejected (protects the stack). */
#define ZG_ABI_MAX_DEPTH 32

typedef enum zg_abi_kind {
    ZG_ABI_UINT,    /* uint<M>, M = 8..256 step 8; bits = M */
    ZG_ABI_INT,     /* int<M>; bits = M */
    ZG_ABI_ADDRESS,
    ZG_ABI_BOOL,
    ZG_ABI_FBYTES,  /* bytes<M>, M = 1..32; bits = M (a byte count here) */
    ZG_ABI_BYTES,   /* bytes */
    ZG_ABI_STRING,  /* string */
    ZG_ABI_ARRAY,   /* T[k]; len = k >= 1, elem = T */
    ZG_ABI_DARRAY,  /* T[]; elem = T */
    ZG_ABI_TUPLE    /* (T1,...,Tn); fields */
} zg_abi_kind;

typedef struct zg_abi_type {
    zg_abi_kind kind;
    unsigned bits;                 /* see zg_abi_kind */
    size_t len;                    /* ZG_ABI_ARRAY */
    struct zg_abi_type *elem;      /* ZG_ABI_ARRAY, ZG_ABI_DARRAY */
    struct zg_abi_type **fields;   /* ZG_ABI_TUPLE */
    size_t n_fields;
    unsigned char *indexed;        /* event tuples from zg_abi_sig_parse: n_fields flags, else NULL */
} zg_abi_type;

/* ---- types (abi_type.c) ---- */

/* Parses one type: elementary, tuple "(...)" or "tuple(...)", arrays.
 * Aliases: uint = uint256, int = int256, byte = bytes1. Spaces around
 * commas and parentheses are allowed. ZG_EINVAL with the position. The empty
 * tuple "()" is allowed only as the outermost type (an empty argument list);
 * T[0] is rejected. */
int zg_abi_type_parse(const char *s, zg_abi_type **out, zg_err *e);

void zg_abi_type_free(zg_abi_type *t);

/* Deep copy, or NULL on ENOMEM. */
zg_abi_type *zg_abi_type_clone(const zg_abi_type *t);

/* 1 if the type is dynamic in the ABI sense (bytes, string, T[], or contains one). */
int zg_abi_type_is_dynamic(const zg_abi_type *t);

/* Bytes the type takes in its parent's head: 32 if dynamic, else its full
 * static size. */
size_t zg_abi_type_head_size(const zg_abi_type *t);

/* Canonical form, as hashed for selectors: "(uint256,address)[]".
 * Returns a malloc'ed string (caller frees) or NULL on ENOMEM. */
char *zg_abi_type_canonical(const zg_abi_type *t);

/* ---- values (abi_value.c, abi_json.c) ---- */

typedef struct zg_abi_value {
    const zg_abi_type *type;   /* points into the root's private copy */
    zg_u256 num;               /* uint; int as 256-bit two's complement; bool 0/1 */
    uint8_t word[32];          /* address (last 20 bytes), bytes<M> (first M bytes) */
    uint8_t *data;             /* bytes, string: len bytes (+ a NUL for strings) */
    size_t len;
    struct zg_abi_value *items; /* arrays and tuples: n_items children */
    size_t n_items;
    zg_abi_type *owned;        /* root only: the private copy of the type */
} zg_abi_value;

/* A zero value of type t (see the top of the file). NULL on ENOMEM. */
zg_abi_value *zg_abi_value_new(const zg_abi_type *t);

/* Frees a root value from zg_abi_value_new or a decoder. NULL is fine. */
void zg_abi_value_free(zg_abi_value *v);

/* Child i of an array or tuple, or NULL if out of range / not a container. */
zg_abi_value *zg_abi_at(const zg_abi_value *v, size_t i);

/* Number of children (arrays, tuples) or bytes (bytes, string, bytes<M>). */
size_t zg_abi_count(const zg_abi_value *v);

/* Dynamic arrays only: sets the length to n; new elements are zero values.
 * ZG_EINVAL (not T[]), ZG_ENOMEM. */
int zg_abi_resize(zg_abi_value *v, size_t n, zg_err *e);

/* Setters check the kind (ZG_EINVAL) and range (ZG_ERANGE). */
int zg_abi_set_uint(zg_abi_value *v, const zg_u256 *x, zg_err *e);   /* uint<M>; int<M> if x < 2^(M-1) */
int zg_abi_set_u64(zg_abi_value *v, uint64_t x, zg_err *e);          /* uint<M>, int<M> */
int zg_abi_set_i64(zg_abi_value *v, int64_t x, zg_err *e);           /* int<M>, uint<M> if x >= 0 */
int zg_abi_set_int(zg_abi_value *v, const zg_u256 *twos, zg_err *e); /* int<M>: 256-bit two's complement */
/* uint/int from text: decimal, "-decimal" (int only), or 0x hex. */
int zg_abi_set_number(zg_abi_value *v, const char *text, zg_err *e);
int zg_abi_set_address(zg_abi_value *v, const zg_address *a, zg_err *e);
int zg_abi_set_bool(zg_abi_value *v, int b, zg_err *e);
/* bytes: any length; bytes<M>: exactly M; string: any bytes (also UTF-8). */
int zg_abi_set_bytes(zg_abi_value *v, const void *p, size_t n, zg_err *e);
int zg_abi_set_string(zg_abi_value *v, const char *s, zg_err *e);

/* Getters check the kind (ZG_EINVAL) and, for narrowing, the range (ZG_ERANGE). */
int zg_abi_get_uint(const zg_abi_value *v, zg_u256 *out, zg_err *e); /* uint; int as two's complement; bool */
int zg_abi_get_u64(const zg_abi_value *v, uint64_t *out, zg_err *e);
int zg_abi_get_i64(const zg_abi_value *v, int64_t *out, zg_err *e);
int zg_abi_get_address(const zg_abi_value *v, zg_address *out, zg_err *e);
int zg_abi_get_bool(const zg_abi_value *v, int *out, zg_err *e);
/* bytes, string, bytes<M>: pointer to the bytes (valid while v lives) and n.
 * Strings are also NUL-terminated. NULL if v is another kind. */
const uint8_t *zg_abi_get_bytes(const zg_abi_value *v, size_t *n);
const char *zg_abi_get_string(const zg_abi_value *v); /* NULL unless string */

/* Fills v (shaped by its type) from the JSON form above; dynamic arrays are
 * resized to the JSON array's length. ZG_EINVAL names the path ("[2][0]"). */
int zg_abi_value_from_json(zg_abi_value *v, const json_t *j, zg_err *e);

/* The JSON form of v (new reference) or NULL on ENOMEM. */
json_t *zg_abi_value_to_json(const zg_abi_value *v);

/* One-line text for people (logs, CLI): 123, -5, 0xAbC.. (checksummed),
 * true, "text" (escaped), 0x01ff, [a, b], (a, b). malloc'ed; NULL on ENOMEM. */
char *zg_abi_value_to_text(const zg_abi_value *v);

/* Builds a value of type t from JSON text in one call (e.g. args of a call). */
int zg_abi_value_parse_json(const zg_abi_type *t, const char *json_text,
                            zg_abi_value **out, zg_err *e);

/* ---- encoding and decoding (abi_encode.c, abi_decode.c) ---- */

/* Appends the ABI encoding of v to out (a tuple encodes as its members: the
 * form of call arguments). ZG_ENOMEM.
 * Careful: argument lists, return data and event data are TUPLES. To
 * decode a function's single `string` result use the type "(string)", not
 * "string": a non-tuple root encodes as the bare value (for a dynamic type,
 * without the leading offset word), which is what abi.encode of a tuple
 * member looks like, not what a function returns. */
int zg_abi_encode(const zg_abi_value *v, zg_buf *out, zg_err *e);

/* Decodes data as type t (a tuple for argument/return lists). Strict: see
 * the top of the file. On success *out is a new root value. */
int zg_abi_decode(const zg_abi_type *t, const uint8_t *data, size_t len,
                  zg_abi_value **out, zg_err *e);

/* ---- signatures, selectors, topics, calls, events (abi_sig.c, abi_event.c) ---- */

typedef struct zg_abi_sig {
    char *name;           /* "transfer" */
    char *canonical;      /* "transfer(address,uint256)" */
    zg_abi_type *inputs;  /* tuple; for events, ->indexed marks indexed params */
    zg_abi_type *outputs; /* tuple, or NULL when the signature gave none */
    uint8_t selector[4];  /* first 4 bytes of keccak256(canonical) */
    uint8_t topic[32];    /* keccak256(canonical): event topic 0 */
} zg_abi_sig;

/* Parses "name(T1 [indexed] [name1], ...)[(R1, ...)]"; also accepts a
 * leading "function ", "event " or "error " and a "returns" before the outputs.
 * The name must be a Solidity identifier. */
int zg_abi_sig_parse(const char *sig, zg_abi_sig **out, zg_err *e);
void zg_abi_sig_free(zg_abi_sig *s);

/* Selector / topic straight from a signature string (any accepted form). */
int zg_abi_selector(const char *sig, uint8_t out[4], zg_err *e);
int zg_abi_event_topic(const char *sig, uint8_t out[32], zg_err *e);

/* Calldata: selector ++ encode(args). args must have the type of s->inputs
 * (compare canonical forms); ZG_EINVAL otherwise. */
int zg_abi_encode_call(const zg_abi_sig *s, const zg_abi_value *args,
                       zg_buf *out, zg_err *e);

/* Convenience: calldata from a signature string and JSON arguments, e.g.
 * zg_abi_encode_call_json("transfer(address,uint256)", "[\"0xab..\", \"5\"]", &b, &e). */
int zg_abi_encode_call_json(const char *sig, const char *args_json,
                            zg_buf *out, zg_err *e);

/* Decodes calldata of s (checks the selector): *args is a tuple value. */
int zg_abi_decode_call(const zg_abi_sig *s, const uint8_t *data, size_t len,
                       zg_abi_value **args, zg_err *e);

/* Decodes return data with s->outputs (ZG_EINVAL if s has no outputs). */
int zg_abi_decode_output(const zg_abi_sig *s, const uint8_t *data, size_t len,
                         zg_abi_value **out, zg_err *e);

/* Decodes an event log of s: topics[0] must be s->topic (ZG_ENOTFOUND if it
 * is not: a different event), indexed params come from topics[1..], the
 * rest from data. *out is a tuple in declaration order; an indexed
 * parameter that is not a value type (string, bytes, any array or tuple)
 * holds only its keccak256 in the log, so its value has type bytes32.
 * Anonymous events (no topic 0) are not supported. */
int zg_abi_decode_event(const zg_abi_sig *s, const uint8_t (*topics)[32],
                        size_t n_topics, const uint8_t *data, size_t len,
                        zg_abi_value **out, zg_err *e);

/* ---- revert data (abi_error.c) ---- */

/* Makes revert data readable: "Error(\"not owner\")", "Panic(0x11: arithmetic
 * overflow or underflow)", "InsufficientBalance(100, 250)" when one of
 * error_sigs (e.g. "InsufficientBalance(uint256 have, uint256 want)")
 * matches the selector, else "unknown error 0x12345678 (+N bytes)";
 * empty data is "revert without reason". Always writes a NUL-terminated
 * string (truncated to out_len). Returns ZG_OK when the data decoded as a
 * known error, ZG_ENOTFOUND for an unknown selector, ZG_EINVAL for a known
 * selector with malformed arguments. */
int zg_abi_describe_revert(const uint8_t *data, size_t len,
                           const char *const *error_sigs, size_t n_sigs,
                           char *out, size_t out_len);

/* Structured form: *name gets the error's name ("Error", "Panic" or the
 * custom error's; malloc'ed) and *args its decoded arguments (a tuple).
 * ZG_ENOTFOUND for an unknown selector or data shorter than 4 bytes. */
int zg_abi_decode_revert(const uint8_t *data, size_t len,
                         const char *const *error_sigs, size_t n_sigs,
                         char **name, zg_abi_value **args, zg_err *e);

/* Meaning of a Solidity Panic code (0x01 assert, 0x11 overflow, 0x12 division
 * by zero, ...), or "unknown panic code". */
const char *zg_abi_panic_reason(uint64_t code);

#endif
