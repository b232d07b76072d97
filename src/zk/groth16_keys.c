/*
 * groth16_keys.c - freeing and copying Groth16 keys, and the QAP domain size.
 */
#include <stdlib.h>
#include <string.h>

#include "zk/groth16.h"

void zg_groth16_vk_free(zg_groth16_vk *vk)
{
    if (!vk) return;
    free(vk->ic);
    memset(vk, 0, sizeof *vk);
}

void zg_groth16_pk_free(zg_groth16_pk *pk)
{
    if (!pk) return;
    free(pk->a1);
    free(pk->b1);
    free(pk->b2);
    free(pk->l1);
    free(pk->h1);
    zg_groth16_vk_free(&pk->vk);
    memset(pk, 0, sizeof *pk);
}

int zg_groth16_vk_copy(zg_groth16_vk *dst, const zg_groth16_vk *src)
{
    size_t n = (size_t)src->n_public + 1;
    zg_g1_aff *ic = malloc(n * sizeof *ic);
    if (!ic) return ZG_ENOMEM;
    memcpy(ic, src->ic, n * sizeof *ic);
    *dst = *src;
    dst->ic = ic;
    return ZG_OK;
}

unsigned zg_groth16_domain_log(uint32_t n_constraints, uint32_t n_public)
{
    uint64_t need = (uint64_t)n_constraints + n_public + 1;
    unsigned lg = 0;
    while (((uint64_t)1 << lg) < need) lg++;
    return lg;
}

static void *dup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (q) memcpy(q, p, n);
    return q;
}

int zg_groth16_pk_copy(zg_groth16_pk *dst, const zg_groth16_pk *src)
{
    zg_groth16_pk k = *src;
    size_t nw = src->n_wires, npriv = src->n_wires - src->n_public - 1, n = (size_t)1 << src->log_n;
    k.a1 = dup(src->a1, nw * sizeof *k.a1);
    k.b1 = dup(src->b1, nw * sizeof *k.b1);
    k.b2 = dup(src->b2, nw * sizeof *k.b2);
    k.l1 = dup(src->l1, npriv * sizeof *k.l1);
    k.h1 = dup(src->h1, n * sizeof *k.h1);
    k.vk.ic = dup(src->vk.ic, ((size_t)src->n_public + 1) * sizeof *k.vk.ic);
    if (!k.a1 || !k.b1 || !k.b2 || !k.l1 || !k.h1 || !k.vk.ic) {
        zg_groth16_pk_free(&k);
        return ZG_ENOMEM;
    }
    *dst = k;
    return ZG_OK;
}
