/*
 * gadget_eddsa.c - EdDSA-Poseidon verification in R1CS, with circomlib's
 * EdDSAPoseidonVerifier semantics (circomlib circuits/eddsaposeidon.circom):
 *   S < l;  h = Poseidon(R8.x, R8.y, A.x, A.y, M) as its 254 unique bits;
 *   S * Base8 == R8 + h * (8 A)   (checked when enabled).
 * The work that depends only on the key (A on the curve, 8 A not of small
 * order, the window table of 8 A) is done once per key, so a circuit that
 * verifies many signatures by one signer pays for it once.
 */
#include "zk/gadgets.h"

void zg_cs_eddsa_key_prepare(zg_cs *cs, zg_cs_point a, const zg_bj_fixed_table *b8,
                             zg_cs_eddsa_key *key)
{
    key->a = a;
    key->b8 = b8;
    zg_cs_bj_assert_on_curve(cs, a);
    zg_cs_point a8 = zg_cs_bj_double(cs, zg_cs_bj_double(cs, zg_cs_bj_double(cs, a)));
    /* A8.x != 0 (circomlib's IsZero check): x has an inverse. A8 = (0, +-1)
     * would make every signature with S * Base8 == R8 valid. */
    (void)zg_cs_inv(cs, a8.x);
    zg_cs_bj_otable_build(cs, a8, &key->a8);
}

void zg_cs_eddsa_verify(zg_cs *cs, zg_lc enabled, const zg_cs_eddsa_key *key, zg_lc msg,
                        zg_cs_point r8, zg_lc s)
{
    zg_lc sbits[253], hbits[254];
    uint64_t lm1[4];
    for (int i = 0; i < 4; i++)
        lm1[i] = zg_bj_subgroup_order[i];
    lm1[0] -= 1;   /* l is odd */

    zg_cs_bj_assert_on_curve(cs, r8);
    /* S < l */
    zg_cs_to_bits(cs, s, 253, sbits);
    zg_cs_bits_le_const(cs, sbits, 253, lm1);
    /* h = Poseidon(R8, A, M) and its canonical bits */
    zg_lc hin[5] = {r8.x, r8.y, key->a.x, key->a.y, msg};
    zg_lc h = zg_cs_poseidon(cs, hin, 5);
    zg_cs_to_bits_strict(cs, h, hbits);
    /* S * Base8 == R8 + h * A8 */
    zg_cs_point left = zg_cs_bj_mul_fixed(cs, key->b8, sbits, 253);
    zg_cs_point right = zg_cs_bj_add(cs, r8, zg_cs_bj_mul_otable(cs, &key->a8, hbits, 254));
    zg_cs_assert_zero_if(cs, enabled, zg_lc_sub(cs, left.x, right.x));
    zg_cs_assert_zero_if(cs, enabled, zg_lc_sub(cs, left.y, right.y));
}
