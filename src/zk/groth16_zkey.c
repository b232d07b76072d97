/*
 * groth16_zkey.c - import of a snarkjs Groth16 .zkey (BN254) as our proving key.
 *
 * The .zkey is an iden3 binfile (snarkjs src/zkey_utils.js): "zkey", version
 * u32, section count u32, then sections (type u32, size u64, data). Used here:
 *   1 header: protocol u32 (1 = groth16)
 *   2 groth16 header: n8q u32, q, n8r u32, r, nVars u32, nPublic u32,
 *     domainSize u32, alpha1, beta1, beta2, gamma2, delta1, delta2
 *   3 IC (nPublic + 1 G1)     4 coefficients (only to find nConstraints)
 *   5 A (nVars G1)  6 B1 (nVars G1)  7 B2 (nVars G2)
 *   8 C (nVars - nPublic - 1 G1)  9 H (domainSize G1)
 * Points are affine, each coordinate 32 bytes little-endian in Montgomery
 * form with R = 2^256 (ffjavascript "LEM") - the same representation as
 * zg_fq, so limbs are taken as they are after a range check; G2 is
 * x.c0 x.c1 y.c0 y.c1; infinity is all zeros. snarkjs' H query and domain
 * match groth16.h, so our prover uses the imported key unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "zk/groth16.h"

typedef struct zfile {
    uint8_t *data;
    size_t len;
    size_t off[11], size[11];   /* sections 1..10 */
} zfile;

static uint32_t u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t u64le(const uint8_t *p) { return (uint64_t)u32le(p) | (uint64_t)u32le(p + 4) << 32; }

static int index_sections(zfile *z, zg_err *e)
{
    if (z->len < 12 || memcmp(z->data, "zkey", 4) != 0) return zg_err_set(e, ZG_EINVAL, "not a .zkey file");
    uint32_t ns = u32le(z->data + 8);
    size_t p = 12;
    memset(z->off, 0, sizeof z->off);
    for (uint32_t i = 0; i < ns; i++) {
        if (z->len - p < 12) return zg_err_set(e, ZG_EINVAL, ".zkey: truncated section table");
        uint32_t type = u32le(z->data + p);
        uint64_t size = u64le(z->data + p + 4);
        p += 12;
        if (size > z->len - p) return zg_err_set(e, ZG_EINVAL, ".zkey: section %u runs past the end", type);
        if (type >= 1 && type <= 10) {
            if (z->off[type]) return zg_err_set(e, ZG_EINVAL, ".zkey: section %u twice", type);
            z->off[type] = p;
            z->size[type] = (size_t)size;
        }
        p += (size_t)size;
    }
    for (int t = 1; t <= 9; t++)
        if (!z->off[t]) return zg_err_set(e, ZG_EINVAL, ".zkey: section %d missing", t);
    return ZG_OK;
}

/* One LEM coordinate: must be < q; its limbs are our Montgomery limbs. */
static int lem(zg_fq *x, const uint8_t *p)
{
    for (int i = 0; i < 4; i++) {
        x->v[i] = 0;
        for (int b = 0; b < 8; b++) x->v[i] |= (uint64_t)p[8 * i + b] << (8 * b);
    }
    for (int i = 3; i >= 0; i--) {
        if (x->v[i] < zg_fq_field.p[i]) return 1;
        if (x->v[i] > zg_fq_field.p[i]) return 0;
    }
    return 0;
}

static int g1_at(zg_g1_aff *r, const uint8_t *p)
{
    return lem(&r->x, p) && lem(&r->y, p + 32) && zg_g1_affine_on_curve(r);
}

static int g2_at(zg_g2_aff *r, const uint8_t *p)
{
    return lem(&r->x.c0, p) && lem(&r->x.c1, p + 32) && lem(&r->y.c0, p + 64) && lem(&r->y.c1, p + 96) &&
           zg_g2_affine_on_curve(r);
}

static int g1_section(zg_g1_aff **out, const zfile *z, int sec, size_t n, zg_err *e)
{
    if (z->size[sec] != n * 64) return zg_err_set(e, ZG_EINVAL, ".zkey: section %d has the wrong size", sec);
    zg_g1_aff *a = malloc((n ? n : 1) * sizeof *a);
    if (!a) return zg_err_set(e, ZG_ENOMEM, ".zkey: out of memory");
    for (size_t i = 0; i < n; i++)
        if (!g1_at(&a[i], z->data + z->off[sec] + 64 * i)) {
            free(a);
            return zg_err_set(e, ZG_EINVAL, ".zkey: section %d point %zu is not on the curve", sec, i);
        }
    *out = a;
    return ZG_OK;
}

/* nConstraints = (largest row of the coefficients) - nPublic: the last rows
 * are snarkjs' public-input rows nConstraints + 0..nPublic. */
static int constraints_from_coefs(uint32_t *m, const zfile *z, uint32_t np, zg_err *e)
{
    const uint8_t *p = z->data + z->off[4];
    size_t sz = z->size[4];
    if (sz < 4) return zg_err_set(e, ZG_EINVAL, ".zkey: empty coefficient section");
    uint32_t n = u32le(p);
    if ((sz - 4) / 44 < n) return zg_err_set(e, ZG_EINVAL, ".zkey: coefficient section too short");
    uint32_t maxrow = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t row = u32le(p + 4 + 44 * (size_t)i + 4);
        if (row > maxrow) maxrow = row;
    }
    if (maxrow < np) return zg_err_set(e, ZG_EINVAL, ".zkey: no public-input rows");
    *m = maxrow - np;
    return ZG_OK;
}

static int parse(zg_groth16_pk *k, const zfile *z, zg_err *e)
{
    if (z->size[1] < 4 || u32le(z->data + z->off[1]) != 1)
        return zg_err_set(e, ZG_EINVAL, ".zkey: not a Groth16 key (protocol id != 1)");
    const uint8_t *h = z->data + z->off[2];
    if (z->size[2] != 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128 || u32le(h) != 32 || u32le(h + 36) != 32)
        return zg_err_set(e, ZG_EINVAL, ".zkey: unexpected header (not BN254?)");
    uint8_t q[32], r[32];
    for (int i = 0; i < 32; i++) {
        q[i] = (uint8_t)(zg_fq_field.p[i / 8] >> (8 * (i % 8)));
        r[i] = (uint8_t)(zg_fr_field.p[i / 8] >> (8 * (i % 8)));
    }
    if (memcmp(h + 4, q, 32) != 0 || memcmp(h + 40, r, 32) != 0)
        return zg_err_set(e, ZG_EINVAL, ".zkey: the curve is not BN254 (bn128)");
    uint32_t nvars = u32le(h + 72), np = u32le(h + 76), dom = u32le(h + 80);
    if (nvars < np + 1 || dom == 0 || (dom & (dom - 1)) || dom > (1u << 27))
        return zg_err_set(e, ZG_EINVAL, ".zkey: inconsistent sizes");
    memset(k, 0, sizeof *k);
    k->n_wires = nvars;
    k->n_public = np;
    k->vk.n_public = np;
    while ((1u << k->log_n) < dom) k->log_n++;
    int rc = constraints_from_coefs(&k->n_constraints, z, np, e);
    if (rc) return rc;
    if (zg_groth16_domain_log(k->n_constraints, np) != k->log_n)
        return zg_err_set(e, ZG_EINVAL, ".zkey: domain size does not match its constraints");
    const uint8_t *pt = h + 84;
    if (!g1_at(&k->vk.alpha1, pt) || !g1_at(&k->beta1, pt + 64) || !g2_at(&k->vk.beta2, pt + 128) ||
        !g2_at(&k->vk.gamma2, pt + 256) || !g1_at(&k->delta1, pt + 384) || !g2_at(&k->vk.delta2, pt + 448))
        return zg_err_set(e, ZG_EINVAL, ".zkey: a header point is not on its curve");
    if (!zg_g2_affine_in_subgroup(&k->vk.beta2) || !zg_g2_affine_in_subgroup(&k->vk.gamma2) ||
        !zg_g2_affine_in_subgroup(&k->vk.delta2))
        return zg_err_set(e, ZG_EINVAL, ".zkey: a G2 key point is outside the subgroup");
    size_t nw = nvars, npriv = nvars - np - 1, n = dom;
    if ((rc = g1_section(&k->vk.ic, z, 3, np + 1, e)) || (rc = g1_section(&k->a1, z, 5, nw, e)) ||
        (rc = g1_section(&k->b1, z, 6, nw, e)) || (rc = g1_section(&k->l1, z, 8, npriv, e)) ||
        (rc = g1_section(&k->h1, z, 9, n, e)))
        return rc;
    if (z->size[7] != nw * 128) return zg_err_set(e, ZG_EINVAL, ".zkey: section 7 has the wrong size");
    k->b2 = malloc(nw * sizeof *k->b2);
    if (!k->b2) return zg_err_set(e, ZG_ENOMEM, ".zkey: out of memory");
    for (size_t i = 0; i < nw; i++)
        if (!g2_at(&k->b2[i], z->data + z->off[7] + 128 * i))
            return zg_err_set(e, ZG_EINVAL, ".zkey: B2 point %zu is not on the twist", i);
    return ZG_OK;
}

int zg_groth16_zkey_import(zg_groth16_pk *pk, const char *path, zg_err *e)
{
    zfile z;
    memset(&z, 0, sizeof z);
    zg_buf file;
    zg_buf_init(&file);
    int rc = zg_buf_read_file(&file, path, e);
    if (rc) {
        zg_buf_free(&file);
        return rc;
    }
    z.data = file.data;
    z.len = file.len;
    zg_groth16_pk k;
    memset(&k, 0, sizeof k);
    rc = index_sections(&z, e);
    if (!rc) rc = parse(&k, &z, e);
    free(z.data);
    if (rc) {
        zg_groth16_pk_free(&k);
        return zg_err_wrap(e, rc, "%s", path);
    }
    *pk = k;
    return ZG_OK;
}
