/*
 * serving/fee.h - how a request's fee is counted, identically by customer and
 * provider, so that neither has to trust the other's count.
 *
 * A service names its unit rule in its on-chain additionalProperties JSON:
 *
 *   {"unit":"byte", "maxTokens":1024, "bytesPerToken":16}
 *
 *   unit           "byte" (the only rule of v0.1; also the default when the
 *                  JSON is empty or has no "unit")
 *   maxTokens      the output cap used when a request sets neither
 *                  max_tokens nor max_completion_tokens, and the upper
 *                  bound of what a request may ask (default 1024)
 *   bytesPerToken  the bound of output bytes per token used for the reserve
 *                  (default 16; 1..1024)
 *
 * Rule "byte":
 *   units_in  = UTF-8 bytes of every message's content in the OpenAI chat
 *               body (a string content counts its bytes; an array of parts
 *               counts the "text" of each {"type":"text"} part; null counts
 *               0); roles, names and other fields are not counted.
 *   units_out = UTF-8 bytes of the generated content (message.content of
 *               every choice of a plain answer; delta.content of every
 *               choice of every stream chunk).
 *   fee_k     = units_in(k) * inputPrice + units_out(k-1) * outputPrice.
 *   max_out   = min(max_tokens (or max_completion_tokens, or maxTokens),
 *               maxTokens) * bytesPerToken units: the largest output a
 *               request may produce. The broker stops the answer there, so
 *               an answer never costs more than its reserve.
 *   reserve   = max_out * outputPrice.
 * All fees are below 2^128 wei (the receipt's fee field); bigger is ZG_ERANGE.
 */
#ifndef ZG_SERVING_FEE_H
#define ZG_SERVING_FEE_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "zg/error.h"

#define ZG_FEE_DEFAULT_MAX_TOKENS 1024
#define ZG_FEE_DEFAULT_BYTES_PER_TOKEN 16

enum zg_unit_rule { ZG_UNIT_BYTE = 1 };

typedef struct zg_fee_rule {
    int unit;                  /* enum zg_unit_rule */
    zg_u256 input_price;       /* wei per input unit */
    zg_u256 output_price;      /* wei per output unit */
    uint64_t max_tokens;       /* service cap and default */
    uint64_t bytes_per_token;  /* reserve bound */
} zg_fee_rule;

/* Builds the rule of a service from its additionalProperties JSON (NULL or
 * "" mean {}) and its prices. ZG_EINVAL for malformed JSON, an unknown unit
 * ("unit rule \"token\" is not supported ...") or out-of-range numbers. */
int zg_fee_rule_init(zg_fee_rule *r, const char *additional_properties,
                     const zg_u256 *input_price, const zg_u256 *output_price,
                     zg_err *e);

/* units_in of an OpenAI chat request body. ZG_EINVAL if the body is not
 * JSON, has no "messages" array, or a content that is neither a string,
 * null nor an array of text parts. */
int zg_fee_units_in(const zg_fee_rule *r, const char *body, size_t len,
                    uint64_t *units, zg_err *e);

/* units_out of a plain (non-stream) chat completion answer. ZG_EINVAL if it
 * is not a chat completion object with "choices". */
int zg_fee_units_out_answer(const zg_fee_rule *r, const char *body, size_t len,
                            uint64_t *units, zg_err *e);

/* Adds the units_out of one stream chunk (the JSON after "data: ") to *units.
 * A chunk without choices (the usage chunk) adds 0. ZG_EINVAL if not JSON. */
int zg_fee_units_out_chunk(const zg_fee_rule *r, const char *chunk, size_t len,
                           uint64_t *units, zg_err *e);

/* fee = units * price, ZG_ERANGE when >= 2^128. */
int zg_fee_of_units(const zg_u256 *price, uint64_t units, zg_u256 *fee, zg_err *e);

/* The fees of round k: input_fee = units_in * inputPrice, prev_output_fee =
 * prev_units_out * outputPrice, fee = their sum. Any output may be NULL.
 * ZG_ERANGE when any of them reaches 2^128. */
int zg_fee_compute(const zg_fee_rule *r, uint64_t units_in, uint64_t prev_units_out,
                   zg_u256 *input_fee, zg_u256 *prev_output_fee, zg_u256 *fee,
                   zg_err *e);

/* The largest output of a request (max_out above) and its reserve (either
 * may be NULL). ZG_EINVAL if the body is not JSON or max_tokens is not a
 * positive integer; ZG_ERANGE if the reserve reaches 2^128. A request asking
 * more than the service's maxTokens is capped, not refused. */
int zg_fee_reserve(const zg_fee_rule *r, const char *body, size_t len,
                   uint64_t *max_units_out, zg_u256 *reserve, zg_err *e);

#endif
