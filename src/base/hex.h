/*
 * base/hex.h - hexadecimal encoding of bytes.
 *
 * Decoders accept an optional "0x"/"0X" prefix and upper- or lower-case
 * digits; nothing else (no spaces, no odd digit counts). Error messages name
 * the position of the bad character but never echo the input, because hex
 * strings are often private keys.
 */
#ifndef ZG_BASE_HEX_H
#define ZG_BASE_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "zg/error.h"

/* Decodes hex of exactly out_len bytes into out. Errors: ZG_EINVAL for a
 * non-hex character, an odd number of digits, or a length other than
 * out_len bytes. out is unspecified on error. */
int zg_hex_decode(const char *hex, uint8_t *out, size_t out_len, zg_err *e);

/* Decodes hex of any even digit count (also zero) and APPENDS the bytes to
 * out. Errors: ZG_EINVAL (bad character, odd count; out unchanged),
 * ZG_ENOMEM. */
int zg_hex_decode_buf(const char *hex, zg_buf *out, zg_err *e);

/* Writes "0x", 2n lower-case hex digits and a NUL to out, which must hold
 * 2n + 3 characters. */
void zg_hex_encode(const uint8_t *p, size_t n, char *out);

/* Value of one hex digit, or -1 if c is not one. */
int zg_hex_digit(char c);

#endif
