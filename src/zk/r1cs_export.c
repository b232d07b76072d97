/* r1cs_export.c - iden3 .r1cs (v1) and .wtns (v2) writers (see r1cs_export.h;
 * the layout follows iden3's r1csfile and snarkjs' wtns_utils readers). */
#include "zk/r1cs_export.h"

static int put_u32(zg_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return zg_buf_append(b, x, 4);
}

static int put_u64(zg_buf *b, uint64_t v)
{
    return put_u32(b, (uint32_t)v) | put_u32(b, (uint32_t)(v >> 32));
}

static int put_fr(zg_buf *b, const zg_fr *a)
{
    uint8_t x[32];
    zg_fr_to_bytes_le(x, a);
    return zg_buf_append(b, x, 32);
}

static int put_prime(zg_buf *b)
{
    uint8_t x[32];
    for (int i = 0; i < 32; i++)
        x[i] = (uint8_t)(zg_fr_field.p[i / 8] >> (8 * (i % 8)));
    return put_u32(b, 32) | zg_buf_append(b, x, 32);
}

static int put_lc(zg_buf *b, const zg_r1cs *r, int m, uint32_t i)
{
    uint32_t lo = r->row[m][i], hi = r->row[m][i + 1];
    int rc = put_u32(b, hi - lo);
    for (uint32_t k = lo; k < hi && rc == ZG_OK; k++)
        rc = put_u32(b, r->terms[m][k].wire) | put_fr(b, &r->terms[m][k].coeff);
    return rc;
}

int zg_r1cs_encode_r1cs(const zg_r1cs *r, zg_buf *out, zg_err *e)
{
    uint64_t terms = zg_r1cs_n_terms(r);
    uint64_t csize = (uint64_t)r->n_constraints * 12 + terms * 36;
    int rc = zg_buf_append(out, "r1cs", 4) | put_u32(out, 1) | put_u32(out, 3);
    /* section 1: header */
    rc |= put_u32(out, 1) | put_u64(out, 4 + 32 + 4 * 4 + 8 + 4);
    rc |= put_prime(out) | put_u32(out, r->n_wires) | put_u32(out, 0) | put_u32(out, r->n_public) |
          put_u32(out, r->n_wires - 1 - r->n_public) | put_u64(out, r->n_wires) |
          put_u32(out, r->n_constraints);
    /* section 2: constraints */
    rc |= put_u32(out, 2) | put_u64(out, csize);
    if (rc == ZG_OK)
        rc = zg_buf_reserve(out, csize + 12 + (uint64_t)r->n_wires * 8);
    for (uint32_t i = 0; i < r->n_constraints && rc == ZG_OK; i++)
        rc = put_lc(out, r, 0, i) | put_lc(out, r, 1, i) | put_lc(out, r, 2, i);
    /* section 3: wire -> label (identity) */
    rc |= put_u32(out, 3) | put_u64(out, (uint64_t)r->n_wires * 8);
    for (uint32_t i = 0; i < r->n_wires && rc == ZG_OK; i++)
        rc = put_u64(out, i);
    return rc ? zg_err_set(e, ZG_ENOMEM, "out of memory encoding the .r1cs file") : ZG_OK;
}

int zg_r1cs_encode_wtns(const zg_fr *w, uint32_t n_wires, zg_buf *out, zg_err *e)
{
    int rc = zg_buf_append(out, "wtns", 4) | put_u32(out, 2) | put_u32(out, 2);
    rc |= put_u32(out, 1) | put_u64(out, 4 + 32 + 4) | put_prime(out) | put_u32(out, n_wires);
    rc |= put_u32(out, 2) | put_u64(out, (uint64_t)n_wires * 32);
    if (rc == ZG_OK)
        rc = zg_buf_reserve(out, (size_t)n_wires * 32);
    for (uint32_t i = 0; i < n_wires && rc == ZG_OK; i++)
        rc = put_fr(out, &w[i]);
    return rc ? zg_err_set(e, ZG_ENOMEM, "out of memory encoding the .wtns file") : ZG_OK;
}

int zg_r1cs_write_r1cs(const zg_r1cs *r, const char *path, zg_err *e)
{
    zg_buf b;
    zg_buf_init(&b);
    int rc = zg_r1cs_encode_r1cs(r, &b, e);
    if (rc == ZG_OK)
        rc = zg_write_file(path, b.data, b.len, e);
    zg_buf_free(&b);
    return rc;
}

int zg_r1cs_write_wtns(const zg_fr *w, uint32_t n_wires, const char *path, zg_err *e)
{
    zg_buf b;
    zg_buf_init(&b);
    int rc = zg_r1cs_encode_wtns(w, n_wires, &b, e);
    if (rc == ZG_OK)
        rc = zg_write_file(path, b.data, b.len, e);
    zg_buf_free(&b);
    return rc;
}
