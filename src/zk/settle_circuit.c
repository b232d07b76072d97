/*
 * settle_circuit.c - the settlement circuit (see settle_circuit.h).
 *
 * Layout: the 5 public inputs; user and provider (160-bit range checks); the
 * signer's verification key, prepared once (on-curve, 8A, window table); then
 * per slot: real flag (prefix), nonce (u64), fee (u128, 0 when empty),
 * request hash, m = Poseidon(user, provider, nonce, fee, requestHash), the
 * EdDSA check enabled by the real flag, and nonce order enabled by it too.
 * Nonces: slot 0's and the last real one's are range-checked as u64; the
 * order checks (n_i - n_{i-1} - 1 in [0, 2^64) for real slots) then keep every
 * real nonce between them, as integers, without a range check per slot.
 * lastNonce = sum nonce_i (real_i - real_{i+1}) picks the last real slot.
 * Each slot's scratch is released before the next one (arena marks).
 */
#include "zk/settle_circuit.h"

#include <stdlib.h>
#include <string.h>

#include "zk/babyjub.h"
#include "zk/eddsa.h"
#include "zk/gadgets.h"

static void fr_of_address(zg_fr *r, const uint8_t a[20])
{
    zg_fr_from_bytes_reduce(r, a, 20);
}

static void fr_of_u256(zg_fr *r, const zg_u256 *v)
{
    uint8_t be[32];
    zg_u256_to_be(be, v);
    zg_fr_from_bytes_reduce(r, be, 32);
}

static void fr_pow2(zg_fr *r, unsigned k)
{
    uint64_t c[4] = {0, 0, 0, 0};
    c[k / 64] = 1ULL << (k % 64);
    zg_fr_from_canonical(r, c, NULL);
}

/* a + b * 2^160 */
static void pack160(zg_fr *r, const zg_fr *a, const zg_fr *b)
{
    zg_fr s;
    fr_pow2(&s, 160);
    zg_fr_mul(&s, &s, b);
    zg_fr_add(r, a, &s);
}

/* The five public inputs from the account in `in` and the run's first
 * nonce, last nonce and total (settle_circuit.h). */
static void pack_public(const zg_settle_input *in, const zg_fr *first, const zg_fr *last, const zg_fr *total,
                        zg_fr pub[ZG_SETTLE_N_PUBLIC])
{
    zg_fr user, prov;
    fr_of_address(&user, in->user);
    fr_of_address(&prov, in->provider);
    pack160(&pub[0], &user, first);
    pack160(&pub[1], &prov, last);
    pub[2] = *total;
    pub[3] = in->signer_x;
    pub[4] = in->signer_y;
}

/* The public inputs as the circuit defines them from explicit slots. */
static void honest_public(const zg_settle_input *in, const zg_settle_slot *slots, unsigned n, zg_fr pub[5])
{
    zg_fr first, last, total, t, k;
    zg_fr_set_u64(&first, slots[0].r.nonce);
    zg_fr_zero(&last);
    zg_fr_zero(&total);
    for (unsigned i = 0; i < n; i++) {
        int real = i == 0 ? 1 : (slots[i].real != 0);
        int next = i + 1 < n ? (slots[i + 1].real != 0) : 0;
        zg_fr_set_u64(&t, slots[i].r.nonce);
        zg_fr_set_u64(&k, (uint64_t)(real - next + 1));   /* real - next in {-1,0,1} */
        zg_fr one;
        zg_fr_one(&one);
        zg_fr_sub(&k, &k, &one);
        zg_fr_mul(&t, &t, &k);
        zg_fr_add(&last, &last, &t);
        fr_of_u256(&t, &slots[i].r.fee);
        zg_fr_add(&total, &total, &t);
    }
    pack_public(in, &first, &last, &total, pub);
}

int zg_settle_receipt_from_packed(zg_settle_receipt *out, uint64_t nonce, const zg_u256 *fee,
                                  const uint8_t request_hash[31], const uint8_t sig[64], zg_err *e)
{
    zg_eddsa_sig s;
    memset(out, 0, sizeof *out);
    int rc = zg_eddsa_sig_unpack(&s, sig, e);
    if (rc)
        return zg_err_wrap(e, rc, "receipt nonce %llu", (unsigned long long)nonce);
    rc = zg_fr_from_canonical(&out->s, s.s, e);
    if (rc)
        return zg_err_wrap(e, rc, "receipt nonce %llu: signature S", (unsigned long long)nonce);
    out->nonce = nonce;
    out->fee = *fee;
    zg_fr_from_bytes_reduce(&out->request_hash, request_hash, 31);
    out->r8x = s.r8.x;
    out->r8y = s.r8.y;
    return ZG_OK;
}

int zg_settle_signer_from_packed(zg_settle_input *in, const uint8_t packed[32], zg_err *e)
{
    zg_bj_point a;
    int rc = zg_bj_unpack(&a, packed, e);
    if (rc)
        return zg_err_wrap(e, rc, "signer key");
    in->signer_x = a.x;
    in->signer_y = a.y;
    return ZG_OK;
}

int zg_settle_public_inputs(const zg_settle_input *in, zg_fr pub[ZG_SETTLE_N_PUBLIC], zg_err *e)
{
    if (!in || in->n_receipts == 0 || !in->receipts)
        return zg_err_set(e, ZG_EINVAL, "a settlement needs at least one receipt");
    zg_fr first, last, total, t;
    zg_fr_set_u64(&first, in->receipts[0].nonce);
    zg_fr_set_u64(&last, in->receipts[in->n_receipts - 1].nonce);
    zg_fr_zero(&total);
    for (size_t i = 0; i < in->n_receipts; i++) {
        fr_of_u256(&t, &in->receipts[i].fee);
        zg_fr_add(&total, &total, &t);
    }
    pack_public(in, &first, &last, &total, pub);
    return ZG_OK;
}

int zg_settle_check_input(unsigned n_slots, const zg_settle_input *in, zg_err *e)
{
    if (n_slots == 0 || n_slots > ZG_SETTLE_MAX_SLOTS)
        return zg_err_set(e, ZG_EINVAL, "settlement circuit size %u is not in 1..%d", n_slots,
                          ZG_SETTLE_MAX_SLOTS);
    if (!in || in->n_receipts == 0 || !in->receipts)
        return zg_err_set(e, ZG_EINVAL, "a settlement needs at least one receipt");
    if (in->n_receipts > n_slots)
        return zg_err_set(e, ZG_EINVAL, "%zu receipts do not fit a circuit of %u slots",
                          in->n_receipts, n_slots);
    for (size_t i = 0; i < in->n_receipts; i++) {
        const zg_settle_receipt *r = &in->receipts[i];
        if (r->fee.w[2] || r->fee.w[3])
            return zg_err_set(e, ZG_EINVAL, "receipt %zu (nonce %llu): fee is not below 2^128", i,
                              (unsigned long long)r->nonce);
        if (i > 0 && r->nonce <= in->receipts[i - 1].nonce)
            return zg_err_set(e, ZG_EINVAL, "receipt %zu: nonce %llu does not follow %llu", i,
                              (unsigned long long)r->nonce,
                              (unsigned long long)in->receipts[i - 1].nonce);
    }
    return ZG_OK;
}

/* State carried from one slot to the next (kept across arena releases). */
enum { K_REAL, K_NONCE, K_TOTAL, K_LAST, K_COUNT };

static void build_slot(zg_cs *cs, unsigned i, const zg_settle_slot *sl, zg_lc user, zg_lc prov,
                       const zg_cs_eddsa_key *key, zg_lc in0, zg_lc keep[K_COUNT])
{
    zg_fr v, two160;
    fr_pow2(&two160, 160);
    /* real: slot 0 always; afterwards only while the previous slot was real */
    zg_lc real = i == 0 ? zg_lc_u64(cs, 1) : zg_cs_bool_private(cs, sl->real != 0);
    if (i > 0)
        zg_cs_assert_zero_if(cs, real, zg_cs_not(cs, keep[K_REAL]));
    zg_fr_set_u64(&v, sl->r.nonce);
    zg_lc nonce = zg_cs_private(cs, &v);
    /* Only slot 0's nonce needs a range check here: later real nonces are
     * bounded by the order checks (each step in [1, 2^64]) and by the last
     * nonce's range check at the end; empty slots' nonces have no effect. */
    if (i == 0)
        zg_cs_range(cs, nonce, 64);
    fr_of_u256(&v, &sl->r.fee);
    zg_lc fee = zg_cs_private(cs, &v);
    zg_cs_range(cs, fee, 128);
    if (i > 0)
        zg_cs_assert_zero_if(cs, zg_cs_not(cs, real), fee);
    zg_lc rh = zg_cs_private(cs, &sl->r.request_hash);
    zg_lc msg_in[5] = {user, prov, nonce, fee, rh};
    zg_lc m = zg_cs_poseidon(cs, msg_in, 5);
    zg_bj_affine r8 = {sl->r.r8x, sl->r.r8y};
    zg_cs_eddsa_verify(cs, real, key, m, zg_cs_point_private(cs, &r8), zg_cs_private(cs, &sl->r.s));
    if (i == 0) {
        zg_cs_assert_equal(cs, in0, zg_lc_add_scaled(cs, user, &two160, nonce));
        keep[K_TOTAL] = zg_lc_zero();
        keep[K_LAST] = zg_lc_zero();
    } else {
        zg_cs_assert_less_than_if(cs, real, keep[K_NONCE], nonce, 64);
        /* the previous slot is the last real one when it is real and this one is not */
        zg_lc d = zg_lc_sub(cs, keep[K_REAL], real);
        keep[K_LAST] = zg_lc_add(cs, keep[K_LAST], zg_cs_mul(cs, keep[K_NONCE], d));
    }
    keep[K_TOTAL] = zg_lc_add(cs, keep[K_TOTAL], fee);
    keep[K_REAL] = real;
    keep[K_NONCE] = nonce;
}

int zg_settle_circuit_build_slots(unsigned n_slots, const zg_settle_input *in, const zg_settle_slot *slots,
                                  const zg_fr *claimed_pub, zg_r1cs *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (n_slots == 0 || n_slots > ZG_SETTLE_MAX_SLOTS || !in || !slots)
        return zg_err_set(e, ZG_EINVAL, "settlement circuit size %u is not in 1..%d", n_slots,
                          ZG_SETTLE_MAX_SLOTS);
    zg_bj_fixed_table *b8tab = malloc(sizeof *b8tab);
    zg_cs_eddsa_key *key = malloc(sizeof *key);
    if (!b8tab || !key) {
        free(b8tab);
        free(key);
        return zg_err_set(e, ZG_ENOMEM, "out of memory building the settlement circuit");
    }
    zg_bj_affine b8;
    zg_bj_base8(&b8);
    zg_bj_fixed_table_init(b8tab, &b8);

    zg_fr pub[5], v, two160;
    if (claimed_pub)
        memcpy(pub, claimed_pub, sizeof pub);
    else
        honest_public(in, slots, n_slots, pub);
    fr_pow2(&two160, 160);

    zg_cs cs;
    zg_cs_init(&cs);
    zg_lc pin[5];
    for (int i = 0; i < 5; i++)
        pin[i] = zg_cs_public(&cs, &pub[i]);
    fr_of_address(&v, in->user);
    zg_lc user = zg_cs_private(&cs, &v);
    zg_cs_range(&cs, user, 160);
    fr_of_address(&v, in->provider);
    zg_lc prov = zg_cs_private(&cs, &v);
    zg_cs_range(&cs, prov, 160);
    zg_cs_point signer = {pin[3], pin[4]};
    zg_cs_eddsa_key_prepare(&cs, signer, b8tab, key);

    zg_lc keep[K_COUNT];
    for (unsigned i = 0; i < n_slots; i++) {
        zg_cs_mark mk = zg_cs_mark_get(&cs);
        uint32_t w0 = cs.n_wires, c0 = cs.n_constraints;
        size_t t0[3] = {cs.n_terms[0], cs.n_terms[1], cs.n_terms[2]};
        build_slot(&cs, i, &slots[i], user, prov, key, pin[0], keep);
        zg_cs_compact(&cs, mk, keep, K_COUNT);
        if (i == 1 && n_slots > 2) {
            /* every further slot is the same size as slot 1: grow once */
            unsigned rest = n_slots - 2;
            size_t terms[3];
            for (int m = 0; m < 3; m++)
                terms[m] = (cs.n_terms[m] - t0[m]) * rest + 1024;
            zg_cs_reserve(&cs, (cs.n_wires - w0) * rest + 1024, (cs.n_constraints - c0) * rest + 1024, terms);
        }
    }
    /* the last slot closes the run if it is real */
    keep[K_LAST] = zg_lc_add(&cs, keep[K_LAST], zg_cs_mul(&cs, keep[K_NONCE], keep[K_REAL]));
    zg_cs_range(&cs, keep[K_LAST], 64);   /* so every real nonce is a u64 */
    zg_cs_assert_equal(&cs, pin[1], zg_lc_add_scaled(&cs, prov, &two160, keep[K_LAST]));
    zg_cs_range(&cs, pin[2], 128);
    zg_cs_assert_equal(&cs, pin[2], keep[K_TOTAL]);

    int rc = zg_cs_finalize(&cs, out, e);
    zg_cs_free(&cs);
    free(b8tab);
    free(key);
    if (rc)
        zg_err_wrap(e, rc, "settlement circuit of %u slots", n_slots);
    return rc;
}

int zg_settle_circuit_build(unsigned n_slots, const zg_settle_input *in, zg_r1cs *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    if (n_slots == 0 || n_slots > ZG_SETTLE_MAX_SLOTS)
        return zg_err_set(e, ZG_EINVAL, "settlement circuit size %u is not in 1..%d", n_slots,
                          ZG_SETTLE_MAX_SLOTS);
    if (!in || in->n_receipts == 0 || in->n_receipts > n_slots || !in->receipts)
        return zg_err_set(e, ZG_EINVAL, "a settlement of %u slots needs 1..%u receipts", n_slots, n_slots);
    zg_settle_slot *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return zg_err_set(e, ZG_ENOMEM, "out of memory building the settlement circuit");
    for (unsigned i = 0; i < n_slots; i++) {
        if (i < in->n_receipts) {
            slots[i].real = 1;
            slots[i].r = in->receipts[i];
        } else {
            zg_fr_one(&slots[i].r.r8y);   /* empty slot: R8 = (0, 1), S = 0, fee 0 */
        }
    }
    int rc = zg_settle_circuit_build_slots(n_slots, in, slots, NULL, out, e);
    free(slots);
    return rc;
}

int zg_settle_circuit_shape(unsigned n_slots, zg_r1cs *out, zg_err *e)
{
    if (n_slots == 0 || n_slots > ZG_SETTLE_MAX_SLOTS)
        return zg_err_set(e, ZG_EINVAL, "settlement circuit size %u is not in 1..%d", n_slots,
                          ZG_SETTLE_MAX_SLOTS);
    zg_settle_slot *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return zg_err_set(e, ZG_ENOMEM, "out of memory building the settlement circuit");
    zg_settle_input in;
    memset(&in, 0, sizeof in);
    int rc = zg_settle_circuit_build_slots(n_slots, &in, slots, NULL, out, e);
    free(slots);
    return rc;
}

int zg_settle_circuit_cost(uint32_t *fixed, uint32_t *per_slot, zg_err *e)
{
    zg_r1cs a, b;
    int rc = zg_settle_circuit_shape(1, &a, e);
    if (rc)
        return rc;
    rc = zg_settle_circuit_shape(2, &b, e);
    if (rc) {
        zg_r1cs_free(&a);
        return rc;
    }
    *per_slot = b.n_constraints - a.n_constraints;
    *fixed = a.n_constraints - *per_slot;
    zg_r1cs_free(&a);
    zg_r1cs_free(&b);
    return ZG_OK;
}
