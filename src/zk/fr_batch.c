/*
 * fr_batch.c - batch inversion and OS randomness over Fr (see fr_batch.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "zk/fr_batch.h"

int zg_fr_batch_inv(zg_fr *a, size_t n)
{
    zg_fr *pre = malloc((n ? n : 1) * sizeof *pre);
    if (!pre) return ZG_ENOMEM;
    zg_fr acc, t;
    zg_fr_one(&acc);
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (!zg_fr_is_zero(&a[i])) zg_fr_mul(&acc, &acc, &a[i]);
    }
    zg_fr_inv(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (zg_fr_is_zero(&a[i])) continue;
        zg_fr_mul(&t, &acc, &pre[i]);
        zg_fr_mul(&acc, &acc, &a[i]);
        a[i] = t;
    }
    free(pre);
    return ZG_OK;
}

int zg_fr_random(zg_fr *r, zg_err *e)
{
    uint8_t b[64];
    do {
        size_t got = 0;
        while (got < sizeof b) {
            ssize_t k = getrandom(b + got, sizeof b - got, 0);
            if (k < 0) {
                if (errno == EINTR) continue;
                return zg_err_set(e, ZG_EIO, "getrandom failed: %s", strerror(errno));
            }
            got += (size_t)k;
        }
        zg_fr_from_bytes_reduce(r, b, sizeof b);
    } while (zg_fr_is_zero(r));
    memset(b, 0, sizeof b);
    return ZG_OK;
}
