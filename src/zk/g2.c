/*
 * g2.c - BN254 G2 on the twist (see g2.h); the formulas are in ec_tmpl.h.
 */
#include <stdlib.h>

#include "zk/g2.h"

/* b' = 3 / (9 + u), Montgomery form; decimal: 19485874751759354771024239261021720505790618469301721065564631296452457478373
 * + 266929791119991161246907387137283842545076965332900288569378510910307636690 u
 * (EIP-197; recomputed from 3 and xi in tests/zk/test_pairing.c). */
static const zg_fq2 twist_b = {
    {.v = {0x3bf938e377b802a8ULL, 0x020b1b273633535dULL, 0x26b7edf049755260ULL, 0x2514c6324384a86dULL}},
    {.v = {0x38e7ecccd1dcff67ULL, 0x65f0b37d93ce0d3eULL, 0xd749d0dd22ac00aaULL, 0x0141b9ce4a688d4dULL}},
};

#define EC_F(op) zg_fq2_##op
#define EC_FE zg_fq2
#define EC_P zg_g2
#define EC_A zg_g2_aff
#define EC_FN(n) zg_g2_##n
#define EC_B(r) ((r) = twist_b)
#include "zk/ec_tmpl.h"

/* The generator of EIP-197 (also snarkjs' and go-ethereum's). */
void zg_g2_generator(zg_g2 *r)
{
    static const char *const dec[4] = {
        "10857046999023057135944570762232829481370756359578518086990519993285655852781",
        "11559732032986387107991004021392285783925812861821192530917403151452391805634",
        "8495653923123431417604973247489272438418190587263600148770280649306958101930",
        "4082367875863433681332203403145435568316851327593401208105741076214120093531",
    };
    zg_fq_from_str(&r->x.c0, dec[0], NULL);
    zg_fq_from_str(&r->x.c1, dec[1], NULL);
    zg_fq_from_str(&r->y.c0, dec[2], NULL);
    zg_fq_from_str(&r->y.c1, dec[3], NULL);
    zg_fq2_one(&r->z);
}

int zg_g2_affine_in_subgroup(const zg_g2_aff *a)
{
    const uint64_t *r = zg_fr_field.p;
    zg_g2 p, t;
    zg_g2_from_affine(&p, a);
    zg_g2_mul(&t, &p, r);
    return zg_g2_is_inf(&t);
}

void zg_g2_to_bytes(uint8_t out[128], const zg_g2_aff *a)
{
    zg_fq_to_bytes_be(out, &a->x.c1);
    zg_fq_to_bytes_be(out + 32, &a->x.c0);
    zg_fq_to_bytes_be(out + 64, &a->y.c1);
    zg_fq_to_bytes_be(out + 96, &a->y.c0);
}

int zg_g2_from_bytes(zg_g2_aff *r, const uint8_t in[128], zg_err *e)
{
    zg_g2_aff t;
    if (zg_fq_from_bytes_be(&t.x.c1, in, NULL) || zg_fq_from_bytes_be(&t.x.c0, in + 32, NULL) ||
        zg_fq_from_bytes_be(&t.y.c1, in + 64, NULL) || zg_fq_from_bytes_be(&t.y.c0, in + 96, NULL))
        return zg_err_set(e, ZG_EINVAL, "G2 point: coordinate is not below the field modulus");
    if (!zg_g2_affine_on_curve(&t))
        return zg_err_set(e, ZG_EINVAL, "G2 point: not on the twist curve");
    if (!zg_g2_affine_in_subgroup(&t))
        return zg_err_set(e, ZG_EINVAL, "G2 point: not in the order-r subgroup");
    *r = t;
    return ZG_OK;
}
