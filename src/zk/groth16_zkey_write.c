/*
 * groth16_zkey_write.c - export of our proving key as a snarkjs .zkey, so
 * snarkjs can prove with a key we made (interop, and the benchmark runs
 * snarkjs on exactly our key). Layout as in groth16_zkey.c; in addition:
 *   4 coefficients: count u32, then per entry matrix u32 (0 = A, 1 = B),
 *     row u32, wire u32, value: c R^2 mod r little-endian (snarkjs
 *     zkey_new.js writes Fr.toRprLE(Fr.mul(c, R2r)), i.e. c R^2 as an integer);
 *     the rows n_constraints + i (A = wire i) come last, as snarkjs writes them.
 *  10 MPC parameters: an all-zero circuit hash and no contributions (our
 *     phase-2 history is not in snarkjs' format).
 */
#include <errno.h>
#include <string.h>

#include "zk/groth16.h"

typedef struct zw {
    FILE *f;
    int bad;
} zw;

static void wbytes(zw *w, const void *p, size_t n)
{
    if (!w->bad && n && fwrite(p, n, 1, w->f) != 1) w->bad = 1;
}

static void wu32(zw *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    wbytes(w, b, 4);
}

static void wu64(zw *w, uint64_t v)
{
    wu32(w, (uint32_t)v);
    wu32(w, (uint32_t)(v >> 32));
}

static void wlimbs(zw *w, const uint64_t v[4])
{
    uint8_t b[32];
    for (int i = 0; i < 32; i++) b[i] = (uint8_t)(v[i / 8] >> (8 * (i % 8)));
    wbytes(w, b, 32);
}

static void wg1(zw *w, const zg_g1_aff *p)
{
    wlimbs(w, p->x.v);
    wlimbs(w, p->y.v);
}

static void wg2(zw *w, const zg_g2_aff *p)
{
    wlimbs(w, p->x.c0.v);
    wlimbs(w, p->x.c1.v);
    wlimbs(w, p->y.c0.v);
    wlimbs(w, p->y.c1.v);
}

static void section(zw *w, uint32_t type, uint64_t size)
{
    wu32(w, type);
    wu64(w, size);
}

static uint32_t count_coefs(const zg_r1cs *cs)
{
    return cs->row[0][cs->n_constraints] + cs->row[1][cs->n_constraints] + cs->n_public + 1;
}

static void write_coefs(zw *w, const zg_r1cs *cs)
{
    zg_fr k, v, one;
    zg_fr_from_canonical(&k, zg_fr_field.r1, NULL);   /* limbs R^2: x * k has limbs x R^2 */
    for (int m = 0; m < 2; m++)
        for (uint32_t j = 0; j < cs->n_constraints; j++)
            for (uint32_t t = cs->row[m][j]; t < cs->row[m][j + 1]; t++) {
                wu32(w, (uint32_t)m);
                wu32(w, j);
                wu32(w, cs->terms[m][t].wire);
                zg_fr_mul(&v, &cs->terms[m][t].coeff, &k);
                wlimbs(w, v.v);
            }
    zg_fr_one(&one);
    zg_fr_mul(&v, &one, &k);
    for (uint32_t s = 0; s <= cs->n_public; s++) {
        wu32(w, 0);
        wu32(w, cs->n_constraints + s);
        wu32(w, s);
        wlimbs(w, v.v);
    }
}

int zg_groth16_zkey_export(const zg_groth16_pk *pk, const zg_r1cs *cs, const char *path, zg_err *e)
{
    if (pk->n_wires != cs->n_wires || pk->n_public != cs->n_public || pk->n_constraints != cs->n_constraints)
        return zg_err_set(e, ZG_EINVAL, "zkey export: the key does not belong to this circuit");
    FILE *f = fopen(path, "wb");
    if (!f) return zg_err_set(e, ZG_EIO, "cannot create %s: %s", path, strerror(errno));
    zw w = {f, 0};
    uint64_t nw = pk->n_wires, np = pk->n_public, n = (uint64_t)1 << pk->log_n;
    wbytes(&w, "zkey", 4);
    wu32(&w, 1);
    wu32(&w, 10);
    section(&w, 1, 4);
    wu32(&w, 1);
    section(&w, 2, 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128);
    wu32(&w, 32);
    wlimbs(&w, zg_fq_field.p);
    wu32(&w, 32);
    wlimbs(&w, zg_fr_field.p);
    wu32(&w, pk->n_wires);
    wu32(&w, pk->n_public);
    wu32(&w, (uint32_t)n);
    wg1(&w, &pk->vk.alpha1);
    wg1(&w, &pk->beta1);
    wg2(&w, &pk->vk.beta2);
    wg2(&w, &pk->vk.gamma2);
    wg1(&w, &pk->delta1);
    wg2(&w, &pk->vk.delta2);
    section(&w, 3, (np + 1) * 64);
    for (uint64_t i = 0; i <= np; i++) wg1(&w, &pk->vk.ic[i]);
    section(&w, 4, 4 + (uint64_t)count_coefs(cs) * 44);
    wu32(&w, count_coefs(cs));
    write_coefs(&w, cs);
    section(&w, 5, nw * 64);
    for (uint64_t i = 0; i < nw; i++) wg1(&w, &pk->a1[i]);
    section(&w, 6, nw * 64);
    for (uint64_t i = 0; i < nw; i++) wg1(&w, &pk->b1[i]);
    section(&w, 7, nw * 128);
    for (uint64_t i = 0; i < nw; i++) wg2(&w, &pk->b2[i]);
    section(&w, 8, (nw - np - 1) * 64);
    for (uint64_t i = 0; i < nw - np - 1; i++) wg1(&w, &pk->l1[i]);
    section(&w, 9, n * 64);
    for (uint64_t i = 0; i < n; i++) wg1(&w, &pk->h1[i]);
    section(&w, 10, 64 + 4);
    uint8_t zero[64] = {0};
    wbytes(&w, zero, 64);
    wu32(&w, 0);
    if (fclose(f) != 0) w.bad = 1;
    if (w.bad) return zg_err_set(e, ZG_EIO, "cannot write %s: %s", path, strerror(errno));
    return ZG_OK;
}
