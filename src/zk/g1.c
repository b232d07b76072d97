/*
 * g1.c - BN254 G1 (see g1.h); the formulas are in ec_tmpl.h.
 */
#include <stdlib.h>

#include "zk/fq.h"
#include "zk/g1.h"

#define EC_F(op) zg_fq_##op
#define EC_FE zg_fq
#define EC_P zg_g1
#define EC_A zg_g1_aff
#define EC_FN(n) zg_g1_##n
#define EC_B(r) zg_fq_set_u64(&(r), 3)
#include "zk/ec_tmpl.h"

void zg_g1_generator(zg_g1 *r)
{
    zg_fq_set_u64(&r->x, 1);
    zg_fq_set_u64(&r->y, 2);
    zg_fq_one(&r->z);
}

void zg_g1_to_bytes(uint8_t out[64], const zg_g1_aff *a)
{
    zg_fq_to_bytes_be(out, &a->x);
    zg_fq_to_bytes_be(out + 32, &a->y);
}

int zg_g1_from_bytes(zg_g1_aff *r, const uint8_t in[64], zg_err *e)
{
    zg_g1_aff t;
    if (zg_fq_from_bytes_be(&t.x, in, NULL) || zg_fq_from_bytes_be(&t.y, in + 32, NULL))
        return zg_err_set(e, ZG_EINVAL, "G1 point: coordinate is not below the field modulus");
    if (!zg_g1_affine_on_curve(&t))
        return zg_err_set(e, ZG_EINVAL, "G1 point: not on the curve y^2 = x^3 + 3");
    *r = t;
    return ZG_OK;
}
