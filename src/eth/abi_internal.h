/*
 * eth/abi_internal.h - pieces shared by the abi_*.c files; not an API.
 */
#ifndef ZG_ETH_ABI_INTERNAL_H
#define ZG_ETH_ABI_INTERNAL_H

#include "eth/abi.h"

/* Parses a parenthesised parameter list starting at s[*pos] == '(' into a
 * tuple type. allow_names: accept "T [indexed] [name]" items and record
 * indexed flags in the tuple. Advances *pos past ')'. */
int zg_abi_parse_list_(const char *s, size_t *pos, int allow_names,
                       zg_abi_type **out, zg_err *e);

/* Makes *v a zero value of type t (children allocated). ZG_ENOMEM. */
int zg_abi_node_init_(zg_abi_value *v, const zg_abi_type *t);

/* Frees what a node owns (not the node itself). */
void zg_abi_node_clear_(zg_abi_value *v);

/* Wraps a type (taking ownership) into a new zero root value. NULL on ENOMEM
 * (the type is freed then). */
zg_abi_value *zg_abi_root_adopt_(zg_abi_type *t);

/* Human-readable one-line form of v: 123, -5, 0xAbC.., true, "text", 0xff..,
 * [a, b], (a, b). Appends to out; ZG_ENOMEM. */
int zg_abi_value_format_(const zg_abi_value *v, zg_buf *out);

#endif
