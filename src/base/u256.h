/*
 * base/u256.h - unsigned 256-bit integers (EVM uint256).
 *
 * Values are plain structs (w[0] least significant 64-bit word), passed by
 * pointer; results may alias operands. Arithmetic never wraps silently:
 * overflow and underflow return ZG_ERANGE (the result is then unspecified).
 * Parsers accept only digits (no sign, no spaces, no separators); leading
 * zeros are allowed; an empty string is ZG_EINVAL, a value above 2^256-1 is
 * ZG_ERANGE. Error messages quote the input only if it is at most 40
 * characters long (a long hex string may be a misplaced private key).
 */
#ifndef ZG_BASE_U256_H
#define ZG_BASE_U256_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"

typedef struct zg_u256 {
    uint64_t w[4]; /* w[0] least significant */
} zg_u256;

/* Buffer sizes: 78 decimal digits + NUL; "0x" + 64 digits + NUL. */
#define ZG_U256_DEC_MAX 80
#define ZG_U256_HEX_MAX 67

/* Returns the value v. */
zg_u256 zg_u256_from_u64(uint64_t v);

/* Reads 32 big-endian bytes. */
zg_u256 zg_u256_from_be(const uint8_t be[32]);

/* Writes 32 big-endian bytes. */
void zg_u256_to_be(uint8_t be[32], const zg_u256 *a);

/* Reads n <= 32 big-endian bytes (n may be 0 -> 0). ZG_ERANGE if n > 32. */
int zg_u256_from_be_bytes(zg_u256 *r, const uint8_t *p, size_t n);

/* Number of significant bytes (0 for zero), i.e. the minimal big-endian
 * length that zg_u256_to_be would leave after stripping leading zeros. */
size_t zg_u256_byte_len(const zg_u256 *a);

/* Returns ZG_OK and *out = a if a < 2^64, else ZG_ERANGE. */
int zg_u256_to_u64(const zg_u256 *a, uint64_t *out);

/* Parses decimal digits. ZG_EINVAL (empty, non-digit), ZG_ERANGE (> max). */
int zg_u256_from_dec(zg_u256 *r, const char *s, zg_err *e);

/* Parses hex digits with optional "0x"/"0X". ZG_EINVAL, ZG_ERANGE. */
int zg_u256_from_hex(zg_u256 *r, const char *s, zg_err *e);

/* Parses "0x..." as hex, anything else as decimal. ZG_EINVAL, ZG_ERANGE. */
int zg_u256_parse(zg_u256 *r, const char *s, zg_err *e);

/* Writes decimal without leading zeros ("0" for zero). */
void zg_u256_to_dec(const zg_u256 *a, char out[ZG_U256_DEC_MAX]);

/* Writes "0x" + hex without leading zeros ("0x0" for zero), the form of
 * JSON-RPC quantities. */
void zg_u256_to_hex(const zg_u256 *a, char out[ZG_U256_HEX_MAX]);

/* r = a + b; ZG_ERANGE on overflow. */
int zg_u256_add(zg_u256 *r, const zg_u256 *a, const zg_u256 *b);

/* r = a - b; ZG_ERANGE if b > a. */
int zg_u256_sub(zg_u256 *r, const zg_u256 *a, const zg_u256 *b);

/* r = a * b; ZG_ERANGE on overflow. */
int zg_u256_mul(zg_u256 *r, const zg_u256 *a, const zg_u256 *b);

/* q = a / b, rem = a % b (either may be NULL); ZG_EINVAL if b is zero. */
int zg_u256_divmod(zg_u256 *q, zg_u256 *rem, const zg_u256 *a, const zg_u256 *b);

/* -1, 0 or 1 as a <, ==, > b. */
int zg_u256_cmp(const zg_u256 *a, const zg_u256 *b);

/* 1 if a is zero, else 0. */
int zg_u256_is_zero(const zg_u256 *a);

#endif
