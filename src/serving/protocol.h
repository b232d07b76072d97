/*
 * serving/protocol.h - the request protocol between a customer (SDK) and a
 * provider's broker: the X-ZG-* headers of a signed chat request, the headers
 * and usage fields of an answer, and the JSON error body with its HTTP status.
 *
 * A request to POST {service.url}/v1/proxy/{serviceName}/chat/completions
 * carries (names are case-insensitive, values exactly as below):
 *
 *   X-ZG-User                  0x + 40 hex digits (any case; checksum not checked)
 *   X-ZG-Nonce                 decimal u64, no sign, no leading '+', 1..2^64-1
 *   X-ZG-Input-Fee             decimal wei, < 2^128
 *   X-ZG-Previous-Output-Fee   decimal wei, < 2^128
 *   X-ZG-Fee                   decimal wei, < 2^128; must equal input + previous output
 *   X-ZG-Signature             0x + 128 hex digits: the packed EdDSA-Poseidon
 *                              signature (circomlibjs packSignature, 64 bytes)
 *
 * An answer carries X-ZG-Output-Fee (decimal wei the NEXT request must pay as
 * its previous output fee) and X-ZG-Output-Units (decimal) on plain answers.
 * A streamed answer ends with an OpenAI "usage" chunk whose usage object has
 * the extra members "zg_output_units" (integer) and "zg_output_fee" (decimal
 * string), before "data: [DONE]".
 *
 * Closing a conversation: POST {service.url}/v1/proxy/{serviceName}/close
 * with the same six headers, X-ZG-Input-Fee 0, X-ZG-Previous-Output-Fee =
 * X-ZG-Fee = the output fee still owed, and the exact body "{}" (its hash is
 * the receipt's requestHash). The broker stores the receipt and answers 200
 * {"paid":"<wei>"} without calling the model. ZG_PROTO_CLOSE_BODY below.
 *
 * Errors are a JSON body {"error":{"code":"<code>","message":"<text>"}}
 * with the status of zg_proto_status(); codes are the strings of
 * zg_proto_code_name(). See docs/protocol.md.
 */
#ifndef ZG_SERVING_PROTOCOL_H
#define ZG_SERVING_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "zg/error.h"

#define ZG_HDR_USER "X-ZG-User"
#define ZG_HDR_NONCE "X-ZG-Nonce"
#define ZG_HDR_INPUT_FEE "X-ZG-Input-Fee"
#define ZG_HDR_PREV_OUTPUT_FEE "X-ZG-Previous-Output-Fee"
#define ZG_HDR_FEE "X-ZG-Fee"
#define ZG_HDR_SIGNATURE "X-ZG-Signature"
#define ZG_HDR_OUTPUT_FEE "X-ZG-Output-Fee"
#define ZG_HDR_OUTPUT_UNITS "X-ZG-Output-Units"

/* The path suffix and body of a closing (pay-only) request. */
#define ZG_PROTO_CLOSE_SUFFIX "/close"
#define ZG_PROTO_CLOSE_BODY "{}"

/* Members added to the OpenAI usage object of the last stream chunk. */
#define ZG_USAGE_OUTPUT_UNITS "zg_output_units"
#define ZG_USAGE_OUTPUT_FEE "zg_output_fee"

/* The number of request headers, and the value buffer size that fits each
 * formatted value (the signature: "0x" + 128 digits + NUL). */
#define ZG_PROTO_NHEADERS 6
#define ZG_PROTO_VALUE_MAX 131

/* What the provider checks and rejects, in the order it checks them. */
enum zg_proto_code {
    ZG_PROTO_OK = 0,
    ZG_PROTO_MISSING_HEADER,   /* 400 a required X-ZG-* header is absent */
    ZG_PROTO_BAD_HEADER,       /* 400 a header is malformed */
    ZG_PROTO_BAD_REQUEST,      /* 400 the body is not a usable chat request */
    ZG_PROTO_UNKNOWN_SERVICE,  /* 404 no such service at this provider */
    ZG_PROTO_BAD_SIGNATURE,    /* 401 the signature does not verify with the account's signer */
    ZG_PROTO_NO_ACCOUNT,       /* 402 the user has no account with this provider */
    ZG_PROTO_NONCE_REUSED,     /* 409 nonce not above the last accepted one */
    ZG_PROTO_FEE_MISMATCH,     /* 409 fee != input fee + previous output fee */
    ZG_PROTO_INPUT_FEE_LOW,    /* 402 input fee below units_in * inputPrice */
    ZG_PROTO_OUTPUT_FEE_OWED,  /* 402 previous output fee below what is owed */
    ZG_PROTO_INSUFFICIENT_BALANCE, /* 402 unsettled + fee + reserve > balance - pendingRefund */
    ZG_PROTO_UPSTREAM,         /* 502 the model server failed */
    ZG_PROTO_OVERLOADED,       /* 503 too many requests in flight */
    ZG_PROTO_INTERNAL,         /* 500 a broker fault (database, chain read) */
    ZG_PROTO_NCODES
};

/* The parsed request headers. Fees are below 2^128 (checked by the parser). */
typedef struct zg_proto_headers {
    uint8_t user[20];          /* the customer's address */
    uint64_t nonce;
    zg_u256 input_fee;
    zg_u256 prev_output_fee;
    zg_u256 fee;
    uint8_t signature[64];     /* packed EdDSA signature: R8 packed (32) || S (32, LE) */
} zg_proto_headers;

/* One formatted header: name points at a constant, value is owned. */
typedef struct zg_proto_pair {
    const char *name;
    char value[ZG_PROTO_VALUE_MAX];
} zg_proto_pair;

/* HTTP status of a code (200 for ZG_PROTO_OK, 500 for unknown codes). */
int zg_proto_status(int code);

/* Stable string of a code, used in error bodies: "missing_header",
 * "bad_header", "bad_request", "unknown_service", "bad_signature",
 * "no_account", "nonce_reused", "fee_mismatch", "input_fee_low",
 * "output_fee_owed", "insufficient_balance", "upstream_error", "overloaded",
 * "internal_error"; "ok" for 0; "unknown" otherwise. */
const char *zg_proto_code_name(int code);

/* Code of a string from zg_proto_code_name, or -1 if unknown. */
int zg_proto_code_from_name(const char *name);

/* Looks up a header value by (case-insensitive) name; returns NULL when the
 * header is absent. ctx is the caller's (e.g. a struct evkeyvalq *). */
typedef const char *(*zg_proto_lookup_fn)(void *ctx, const char *name);

/* Parses the six request headers through get(). On failure returns ZG_EINVAL,
 * sets *code (if not NULL) to ZG_PROTO_MISSING_HEADER or ZG_PROTO_BAD_HEADER,
 * and e->msg names the header and the problem, e.g.
 * "header X-ZG-Nonce: not a decimal number". Header values are trimmed of
 * surrounding spaces/tabs (HTTP optional whitespace) but nothing else. */
int zg_proto_headers_parse(zg_proto_headers *h, zg_proto_lookup_fn get, void *ctx,
                           int *code, zg_err *e);

/* The same over arrays of n name/value pairs (names case-insensitive; the
 * first occurrence of a name wins). */
int zg_proto_headers_parse_pairs(zg_proto_headers *h, const char *const *names,
                                 const char *const *values, size_t n, int *code,
                                 zg_err *e);

/* Formats the six headers in the order of the table above. */
void zg_proto_headers_format(const zg_proto_headers *h,
                             zg_proto_pair out[ZG_PROTO_NHEADERS]);

/* Checks fee == input_fee + prev_output_fee. ZG_OK, or ZG_EINVAL with *code
 * = ZG_PROTO_FEE_MISMATCH and a message stating the three figures. */
int zg_proto_check_fee_sum(const zg_proto_headers *h, int *code, zg_err *e);

/* Parses a decimal fee (X-ZG-Output-Fee, X-ZG-Fee ...) below 2^128. ZG_EINVAL
 * (not decimal digits) or ZG_ERANGE (>= 2^128); `what` names it in messages. */
int zg_proto_parse_fee(zg_u256 *fee, const char *s, const char *what, zg_err *e);

/* Builds the error body {"error":{"code":"...","message":"..."}} (message
 * JSON-escaped). Returns a malloc'd NUL-terminated string the caller frees,
 * or NULL when out of memory. */
char *zg_proto_error_body(int code, const char *message);

/* Reads an error body. On success *code is the code (-1 if the code string
 * is unknown), code_name (optional, >= 32 bytes) the code string, and msg
 * (optional, msg_len bytes) the message, truncated to fit. ZG_EINVAL if the
 * body is not such a JSON object. */
int zg_proto_error_parse(const char *body, size_t len, int *code, char *code_name,
                         char *msg, size_t msg_len, zg_err *e);

#endif
