/*
 * eth/rlp.h - Recursive Length Prefix encoding (Ethereum yellow paper,
 * appendix B).
 *
 * Encoding appends to a zg_buf. Lists are written in place: remember the
 * mark from zg_rlp_list_begin, append the items, then zg_rlp_list_end puts
 * the list header in front of them.
 *
 * Decoding is zero-copy: a zg_rlp_item points into the caller's bytes. The
 * decoder is strict (the canonical form only, as geth requires): a single
 * byte < 0x80 must be encoded as itself, long-form lengths must exceed 55
 * and have no leading zero bytes, and every length must fit in the input.
 * It never reads outside [p, p + n), and nesting is limited to
 * ZG_RLP_MAX_DEPTH. Decoding errors are ZG_EINVAL with a message saying what
 * is wrong.
 */
#ifndef ZG_ETH_RLP_H
#define ZG_ETH_RLP_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/u256.h"
#include "zg/error.h"

#define ZG_RLP_MAX_DEPTH 64

/* --- encoding (all return ZG_OK or ZG_ENOMEM) --- */

/* Appends a byte string item. */
int zg_rlp_put_bytes(zg_buf *out, const uint8_t *p, size_t n);

/* Appends an unsigned integer as its minimal big-endian bytes (0 -> 0x80). */
int zg_rlp_put_u64(zg_buf *out, uint64_t v);
int zg_rlp_put_u256(zg_buf *out, const zg_u256 *v);

/* Appends already encoded RLP (an item or several) unchanged. */
int zg_rlp_put_raw(zg_buf *out, const uint8_t *p, size_t n);

/* Starts a list: *mark records where its payload begins. */
void zg_rlp_list_begin(const zg_buf *out, size_t *mark);

/* Ends the list started at mark, inserting its header before the payload. */
int zg_rlp_list_end(zg_buf *out, size_t mark);

/* --- decoding --- */

typedef struct zg_rlp_item {
    int is_list;            /* 1 for a list, 0 for a byte string */
    const uint8_t *payload; /* string bytes, or the encoded list items */
    size_t len;             /* payload length */
} zg_rlp_item;

/* Decodes p[0..n) as exactly one item (no trailing bytes), checking every
 * nested item. ZG_EINVAL on any malformation or depth > ZG_RLP_MAX_DEPTH. */
int zg_rlp_decode(const uint8_t *p, size_t n, zg_rlp_item *item, zg_err *e);

/* Decodes the header of the first item in p[0..n): fills item and sets
 * *used to the item's total encoded size. Nested items are not checked. */
int zg_rlp_decode_head(const uint8_t *p, size_t n, zg_rlp_item *item, size_t *used,
                       zg_err *e);

/* Walks the items of a list decoded by zg_rlp_decode. */
typedef struct zg_rlp_iter {
    const uint8_t *p;
    size_t left;
} zg_rlp_iter;

void zg_rlp_iter_init(zg_rlp_iter *it, const zg_rlp_item *list);

/* Next item: ZG_OK, ZG_ENOTFOUND at the end (no message), ZG_EINVAL. */
int zg_rlp_next(zg_rlp_iter *it, zg_rlp_item *item, zg_err *e);

/* Number of items in a list. ZG_EINVAL if not a list or malformed. */
int zg_rlp_list_count(const zg_rlp_item *list, size_t *count, zg_err *e);

/* Reads a string item as a canonical unsigned integer (no leading zero
 * byte). ZG_EINVAL (list, leading zero), ZG_ERANGE (too long). */
int zg_rlp_get_u64(const zg_rlp_item *item, uint64_t *v, zg_err *e);
int zg_rlp_get_u256(const zg_rlp_item *item, zg_u256 *v, zg_err *e);

#endif
