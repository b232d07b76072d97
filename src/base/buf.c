/* buf.c - growable byte buffer (see base/buf.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void zg_buf_init(zg_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void zg_buf_free(zg_buf *b)
{
    free(b->data);
    zg_buf_init(b);
}

void zg_buf_reset(zg_buf *b)
{
    b->len = 0;
}

int zg_buf_reserve(zg_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len)
        return ZG_ENOMEM;
    size_t need = b->len + extra;
    if (need <= b->cap)
        return ZG_OK;
    /* Grow geometrically so that n appends cost O(n) in total. */
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return ZG_ENOMEM;
    b->data = p;
    b->cap = cap;
    return ZG_OK;
}

int zg_buf_append(zg_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return ZG_OK;
    int rc = zg_buf_reserve(b, n);
    if (rc)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return ZG_OK;
}

int zg_buf_append_byte(zg_buf *b, uint8_t c)
{
    return zg_buf_append(b, &c, 1);
}

int zg_buf_read_file(zg_buf *b, const char *path, zg_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return zg_err_set(e, ZG_EIO, "cannot open '%s': %s", path, strerror(errno));
    int rc = ZG_OK;
    for (size_t n = 1; n > 0;) {
        if (zg_buf_reserve(b, 1 << 16)) {
            rc = zg_err_set(e, ZG_ENOMEM, "out of memory reading '%s'", path);
            break;
        }
        n = fread(b->data + b->len, 1, b->cap - b->len, f);
        b->len += n;
    }
    if (!rc && ferror(f))
        rc = zg_err_set(e, ZG_EIO, "cannot read '%s'", path);
    fclose(f);
    return rc;
}

int zg_write_file(const char *path, const void *p, size_t n, zg_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return zg_err_set(e, ZG_EIO, "cannot create '%s': %s", path, strerror(errno));
    int bad = fwrite(p, 1, n, f) != n;
    bad |= fclose(f) != 0;
    return bad ? zg_err_set(e, ZG_EIO, "cannot write '%s': %s", path, strerror(errno)) : ZG_OK;
}
