/*
 * base/buf.h - a growable byte buffer.
 *
 * A zg_buf owns its memory: init it, append to it, free it. data is NULL
 * until the first append. Appending never leaves the buffer half-changed: on
 * ZG_ENOMEM (or a size that would overflow size_t) the content is unchanged.
 */
#ifndef ZG_BASE_BUF_H
#define ZG_BASE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "zg/error.h"

typedef struct zg_buf {
    uint8_t *data;
    size_t len, cap;
} zg_buf;

/* Makes b an empty buffer (no allocation). */
void zg_buf_init(zg_buf *b);

/* Frees the memory of b and makes it empty again; b may be reused. */
void zg_buf_free(zg_buf *b);

/* Ensures room for `extra` more bytes without another allocation.
 * Returns ZG_OK or ZG_ENOMEM. */
int zg_buf_reserve(zg_buf *b, size_t extra);

/* Appends n bytes from p (p may be NULL when n is 0). ZG_OK or ZG_ENOMEM. */
int zg_buf_append(zg_buf *b, const void *p, size_t n);

/* Appends one byte. ZG_OK or ZG_ENOMEM. */
int zg_buf_append_byte(zg_buf *b, uint8_t c);

/* Sets the length to 0, keeping the allocation. */
void zg_buf_reset(zg_buf *b);

/* Appends the whole content of the file at path. ZG_EIO if it cannot be
 * opened or read, ZG_ENOMEM; on failure b may hold part of it (free b
 * either way). */
int zg_buf_read_file(zg_buf *b, const char *path, zg_err *e);

/* Creates (or empties) the file at path and writes n bytes from p to it.
 * ZG_OK, or ZG_EIO with the reason. */
int zg_write_file(const char *path, const void *p, size_t n, zg_err *e);

#endif
