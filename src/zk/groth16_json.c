/*
 * groth16_json.c - verifying keys, proofs and public inputs as snarkjs JSON
 * (the vkey.json / proof.json / public.json of snarkjs 0.7: affine points as
 * decimal strings with a trailing "1"; G2 coordinates as [c0, c1], real part
 * first; infinity as ["0", "1", "0"] like ffjavascript's toObject).
 */
#include <string.h>

#include "zk/groth16.h"

static int put(zg_buf *b, const char *s) { return zg_buf_append(b, s, strlen(s)); }

static int put_fq(zg_buf *b, const zg_fq *x)
{
    char d[80];
    zg_fq_to_dec(d, x);
    int rc = put(b, "\"");
    if (!rc) rc = put(b, d);
    if (!rc) rc = put(b, "\"");
    return rc;
}

static int put_g1(zg_buf *b, const zg_g1_aff *p)
{
    if (zg_g1_affine_is_inf(p)) return put(b, "[\"0\", \"1\", \"0\"]");
    int rc = put(b, "[");
    if (!rc) rc = put_fq(b, &p->x);
    if (!rc) rc = put(b, ", ");
    if (!rc) rc = put_fq(b, &p->y);
    if (!rc) rc = put(b, ", \"1\"]");
    return rc;
}

static int put_fq2(zg_buf *b, const zg_fq2 *x)
{
    int rc = put(b, "[");
    if (!rc) rc = put_fq(b, &x->c0);
    if (!rc) rc = put(b, ", ");
    if (!rc) rc = put_fq(b, &x->c1);
    if (!rc) rc = put(b, "]");
    return rc;
}

static int put_g2(zg_buf *b, const zg_g2_aff *p)
{
    if (zg_g2_affine_is_inf(p)) return put(b, "[[\"0\", \"0\"], [\"1\", \"0\"], [\"0\", \"0\"]]");
    int rc = put(b, "[");
    if (!rc) rc = put_fq2(b, &p->x);
    if (!rc) rc = put(b, ", ");
    if (!rc) rc = put_fq2(b, &p->y);
    if (!rc) rc = put(b, ", [\"1\", \"0\"]]");
    return rc;
}

static int finish(zg_buf *b, int rc)
{
    if (!rc) rc = zg_buf_append_byte(b, 0);
    if (!rc) b->len--;   /* keep the NUL out of len */
    return rc;
}

int zg_groth16_vk_to_snarkjs(zg_buf *out, const zg_groth16_vk *vk)
{
    char n[16];
    snprintf(n, sizeof n, "%u", vk->n_public);
    int rc = put(out, "{\n \"protocol\": \"groth16\",\n \"curve\": \"bn128\",\n \"nPublic\": ");
    if (!rc) rc = put(out, n);
    if (!rc) rc = put(out, ",\n \"vk_alpha_1\": ");
    if (!rc) rc = put_g1(out, &vk->alpha1);
    if (!rc) rc = put(out, ",\n \"vk_beta_2\": ");
    if (!rc) rc = put_g2(out, &vk->beta2);
    if (!rc) rc = put(out, ",\n \"vk_gamma_2\": ");
    if (!rc) rc = put_g2(out, &vk->gamma2);
    if (!rc) rc = put(out, ",\n \"vk_delta_2\": ");
    if (!rc) rc = put_g2(out, &vk->delta2);
    if (!rc) rc = put(out, ",\n \"IC\": [");
    for (uint32_t i = 0; !rc && i <= vk->n_public; i++) {
        rc = put(out, i ? ",\n  " : "\n  ");
        if (!rc) rc = put_g1(out, &vk->ic[i]);
    }
    if (!rc) rc = put(out, "\n ]\n}\n");
    return finish(out, rc);
}

int zg_groth16_proof_to_snarkjs(zg_buf *out, const zg_groth16_proof *p)
{
    int rc = put(out, "{\n \"pi_a\": ");
    if (!rc) rc = put_g1(out, &p->a);
    if (!rc) rc = put(out, ",\n \"pi_b\": ");
    if (!rc) rc = put_g2(out, &p->b);
    if (!rc) rc = put(out, ",\n \"pi_c\": ");
    if (!rc) rc = put_g1(out, &p->c);
    if (!rc) rc = put(out, ",\n \"protocol\": \"groth16\",\n \"curve\": \"bn128\"\n}\n");
    return finish(out, rc);
}

int zg_groth16_public_to_snarkjs(zg_buf *out, const zg_fr *inputs, uint32_t n_public)
{
    int rc = put(out, "[");
    for (uint32_t i = 0; !rc && i < n_public; i++) {
        char d[80];
        zg_fr_to_dec(d, &inputs[i]);
        rc = put(out, i ? ",\n \"" : "\n \"");
        if (!rc) rc = put(out, d);
        if (!rc) rc = put(out, "\"");
    }
    if (!rc) rc = put(out, "\n]\n");
    return finish(out, rc);
}
