/*
 * groth16_io.c - binary formats of Groth16 proofs and keys (see groth16.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zk/groth16.h"

void zg_groth16_proof_to_bytes(uint8_t out[ZG_GROTH16_PROOF_BYTES], const zg_groth16_proof *p)
{
    zg_g1_to_bytes(out, &p->a);
    zg_g2_to_bytes(out + 64, &p->b);
    zg_g1_to_bytes(out + 192, &p->c);
}

int zg_groth16_proof_from_bytes(zg_groth16_proof *p, const uint8_t in[ZG_GROTH16_PROOF_BYTES], zg_err *e)
{
    zg_groth16_proof t;
    int rc;
    if ((rc = zg_g1_from_bytes(&t.a, in, e)) || (rc = zg_g2_from_bytes(&t.b, in + 64, e)) ||
        (rc = zg_g1_from_bytes(&t.c, in + 192, e)))
        return zg_err_wrap(e, rc, "proof");
    *p = t;
    return ZG_OK;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int put_g1(zg_buf *b, const zg_g1_aff *a)
{
    uint8_t t[64];
    zg_g1_to_bytes(t, a);
    return zg_buf_append(b, t, sizeof t);
}

static int put_g2(zg_buf *b, const zg_g2_aff *a)
{
    uint8_t t[128];
    zg_g2_to_bytes(t, a);
    return zg_buf_append(b, t, sizeof t);
}

/* The vk body without magic (shared by the vk and pk formats). */
static int vk_body(zg_buf *out, const zg_groth16_vk *vk)
{
    uint8_t n[4];
    put_u32(n, vk->n_public);
    int rc = zg_buf_append(out, n, 4);
    if (!rc) rc = put_g1(out, &vk->alpha1);
    if (!rc) rc = put_g2(out, &vk->beta2);
    if (!rc) rc = put_g2(out, &vk->gamma2);
    if (!rc) rc = put_g2(out, &vk->delta2);
    for (uint32_t i = 0; !rc && i <= vk->n_public; i++) rc = put_g1(out, &vk->ic[i]);
    return rc;
}

int zg_groth16_vk_write(zg_buf *out, const zg_groth16_vk *vk)
{
    int rc = zg_buf_append(out, "ZGV1", 4);
    return rc ? rc : vk_body(out, vk);
}

/* Parses a vk body at in (len bytes available); *used = bytes consumed. */
static int vk_parse(zg_groth16_vk *vk, const uint8_t *in, size_t len, size_t *used, zg_err *e)
{
    if (len < 4 + 64 + 3 * 128) return zg_err_set(e, ZG_EINVAL, "verifying key: truncated");
    uint32_t np = get_u32(in);
    if (np > (1u << 24)) return zg_err_set(e, ZG_EINVAL, "verifying key: %u public inputs is implausible", np);
    size_t need = 4 + 64 + 3 * 128 + ((size_t)np + 1) * 64;
    if (len < need) return zg_err_set(e, ZG_EINVAL, "verifying key: truncated (%zu of %zu bytes)", len, need);
    zg_groth16_vk k;
    memset(&k, 0, sizeof k);
    k.n_public = np;
    k.ic = malloc(((size_t)np + 1) * sizeof *k.ic);
    if (!k.ic) return zg_err_set(e, ZG_ENOMEM, "verifying key: out of memory");
    const uint8_t *p = in + 4;
    int rc = zg_g1_from_bytes(&k.alpha1, p, e);
    if (!rc) rc = zg_g2_from_bytes(&k.beta2, p + 64, e);
    if (!rc) rc = zg_g2_from_bytes(&k.gamma2, p + 192, e);
    if (!rc) rc = zg_g2_from_bytes(&k.delta2, p + 320, e);
    p += 448;
    for (uint32_t i = 0; !rc && i <= np; i++, p += 64) rc = zg_g1_from_bytes(&k.ic[i], p, e);
    if (rc) {
        free(k.ic);
        return zg_err_wrap(e, rc, "verifying key");
    }
    *vk = k;
    *used = need;
    return ZG_OK;
}

int zg_groth16_vk_read(zg_groth16_vk *vk, const uint8_t *in, size_t len, zg_err *e)
{
    size_t used;
    if (len < 4 || memcmp(in, "ZGV1", 4) != 0)
        return zg_err_set(e, ZG_EINVAL, "verifying key: not a zg Groth16 key (magic ZGV1 missing)");
    int rc = vk_parse(vk, in + 4, len - 4, &used, e);
    if (rc) return rc;
    if (used != len - 4) {
        zg_groth16_vk_free(vk);
        return zg_err_set(e, ZG_EINVAL, "verifying key: %zu trailing bytes", len - 4 - used);
    }
    return ZG_OK;
}

/* Streams n points to f in chunks through one buffer. */
static int write_points(FILE *f, const void *pts, size_t n, int g2)
{
    uint8_t t[128];
    for (size_t i = 0; i < n; i++) {
        if (g2) zg_g2_to_bytes(t, (const zg_g2_aff *)pts + i);
        else zg_g1_to_bytes(t, (const zg_g1_aff *)pts + i);
        if (fwrite(t, g2 ? 128 : 64, 1, f) != 1) return ZG_EIO;
    }
    return ZG_OK;
}

int zg_groth16_pk_write(FILE *f, const zg_groth16_pk *pk, zg_err *e)
{
    zg_buf b;
    zg_buf_init(&b);
    uint8_t h[16];
    put_u32(h, pk->n_wires);
    put_u32(h + 4, pk->n_public);
    put_u32(h + 8, pk->n_constraints);
    put_u32(h + 12, pk->log_n);
    int rc = zg_buf_append(&b, "ZGP1", 4);
    if (!rc) rc = zg_buf_append(&b, h, 16);
    if (!rc) rc = put_g1(&b, &pk->beta1);
    if (!rc) rc = put_g1(&b, &pk->delta1);
    if (!rc) rc = vk_body(&b, &pk->vk);
    if (rc) {
        zg_buf_free(&b);
        return zg_err_set(e, rc, "proving key: out of memory");
    }
    size_t nw = pk->n_wires, npriv = nw - pk->n_public - 1, n = (size_t)1 << pk->log_n;
    rc = fwrite(b.data, b.len, 1, f) == 1 ? ZG_OK : ZG_EIO;
    zg_buf_free(&b);
    if (!rc) rc = write_points(f, pk->a1, nw, 0);
    if (!rc) rc = write_points(f, pk->b1, nw, 0);
    if (!rc) rc = write_points(f, pk->b2, nw, 1);
    if (!rc) rc = write_points(f, pk->l1, npriv, 0);
    if (!rc) rc = write_points(f, pk->h1, n, 0);
    if (rc) return zg_err_set(e, ZG_EIO, "proving key: write failed: %s", strerror(errno));
    return ZG_OK;
}

/* Reads n points, checking each is on its curve (not the G2 subgroup: a
 * proving key is the prover's own data, and a bad point only spoils proofs). */
static int read_points(FILE *f, void *pts, size_t n, int g2, zg_err *e)
{
    uint8_t t[128];
    size_t sz = g2 ? 128 : 64;
    for (size_t i = 0; i < n; i++) {
        if (fread(t, sz, 1, f) != 1) return zg_err_set(e, ZG_EINVAL, "proving key: truncated");
        if (g2) {
            zg_g2_aff *q = (zg_g2_aff *)pts + i;
            if (zg_fq_from_bytes_be(&q->x.c1, t, NULL) || zg_fq_from_bytes_be(&q->x.c0, t + 32, NULL) ||
                zg_fq_from_bytes_be(&q->y.c1, t + 64, NULL) || zg_fq_from_bytes_be(&q->y.c0, t + 96, NULL) ||
                !zg_g2_affine_on_curve(q))
                return zg_err_set(e, ZG_EINVAL, "proving key: bad G2 point %zu", i);
        } else {
            int rc = zg_g1_from_bytes((zg_g1_aff *)pts + i, t, e);
            if (rc)
                return zg_err_wrap(e, rc, "proving key: point %zu", i);
        }
    }
    return ZG_OK;
}

int zg_groth16_pk_read(zg_groth16_pk *pk, FILE *f, zg_err *e)
{
    uint8_t h[20 + 128];
    if (fread(h, 20, 1, f) != 1 || memcmp(h, "ZGP1", 4) != 0)
        return zg_err_set(e, ZG_EINVAL, "proving key: not a zg Groth16 key (magic ZGP1 missing)");
    zg_groth16_pk k;
    memset(&k, 0, sizeof k);
    k.n_wires = get_u32(h + 4);
    k.n_public = get_u32(h + 8);
    k.n_constraints = get_u32(h + 12);
    k.log_n = get_u32(h + 16);
    if (k.n_wires < k.n_public + 1 || k.log_n > 27 || k.n_wires > (1u << 28) ||
        k.log_n != zg_groth16_domain_log(k.n_constraints, k.n_public))
        return zg_err_set(e, ZG_EINVAL, "proving key: inconsistent header");
    uint8_t two[128];
    if (fread(two, 128, 1, f) != 1) return zg_err_set(e, ZG_EINVAL, "proving key: truncated");
    int rc;
    if ((rc = zg_g1_from_bytes(&k.beta1, two, e)) || (rc = zg_g1_from_bytes(&k.delta1, two + 64, e)))
        return zg_err_wrap(e, rc, "proving key");
    size_t vklen = 4 + 64 + 3 * 128 + ((size_t)k.n_public + 1) * 64, used;
    uint8_t *vb = malloc(vklen);
    if (!vb) return zg_err_set(e, ZG_ENOMEM, "proving key: out of memory");
    rc = fread(vb, vklen, 1, f) == 1 ? vk_parse(&k.vk, vb, vklen, &used, e)
                                         : zg_err_set(e, ZG_EINVAL, "proving key: truncated");
    free(vb);
    if (rc) return rc;
    size_t nw = k.n_wires, npriv = nw - k.n_public - 1, n = (size_t)1 << k.log_n;
    k.a1 = malloc(nw * sizeof *k.a1);
    k.b1 = malloc(nw * sizeof *k.b1);
    k.b2 = malloc(nw * sizeof *k.b2);
    k.l1 = malloc((npriv ? npriv : 1) * sizeof *k.l1);
    k.h1 = malloc(n * sizeof *k.h1);
    if (!k.a1 || !k.b1 || !k.b2 || !k.l1 || !k.h1) {
        zg_groth16_pk_free(&k);
        return zg_err_set(e, ZG_ENOMEM, "proving key: out of memory");
    }
    if ((rc = read_points(f, k.a1, nw, 0, e)) || (rc = read_points(f, k.b1, nw, 0, e)) ||
        (rc = read_points(f, k.b2, nw, 1, e)) || (rc = read_points(f, k.l1, npriv, 0, e)) ||
        (rc = read_points(f, k.h1, n, 0, e))) {
        zg_groth16_pk_free(&k);
        return rc;
    }
    *pk = k;
    return ZG_OK;
}

int zg_groth16_pk_save(const char *path, const zg_groth16_pk *pk, zg_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f) return zg_err_set(e, ZG_EIO, "cannot create %s: %s", path, strerror(errno));
    int rc = zg_groth16_pk_write(f, pk, e);
    if (fclose(f) != 0 && !rc) rc = zg_err_set(e, ZG_EIO, "cannot write %s: %s", path, strerror(errno));
    return rc ? zg_err_wrap(e, rc, "%s", path) : ZG_OK;
}

int zg_groth16_pk_load(zg_groth16_pk *pk, const char *path, zg_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) return zg_err_set(e, ZG_EIO, "cannot open %s: %s", path, strerror(errno));
    int rc = zg_groth16_pk_read(pk, f, e);
    fclose(f);
    return rc ? zg_err_wrap(e, rc, "%s", path) : ZG_OK;
}
