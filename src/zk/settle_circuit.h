/*
 * settle_circuit.h - the settlement circuit (DESIGN.md "Settlement proof", and
 * the agreed interface in the team notes): N receipt slots of one account.
 *
 * Public inputs, in this order (wires 1..5):
 *   in0 = user     + (firstNonce << 160)   user as uint160, nonce u64
 *   in1 = provider + (lastNonce  << 160)
 *   in2 = total                            sum of fees, < 2^128
 *   in3 = signer.x, in4 = signer.y         Baby Jubjub key (circomlibjs affine)
 * Statement: slot 0 is a real receipt; real slots form a prefix, empty slots
 * have fee 0; every real slot has an EdDSA-Poseidon signature by signer over
 *   m = Poseidon(user, provider, nonce, fee, requestHash)
 * (circomlib EdDSAPoseidonVerifier semantics); nonces are u64 and strictly
 * increase over the real slots; fees are < 2^128; firstNonce is slot 0's
 * nonce, lastNonce the last real slot's; total is the sum of the fees.
 *
 * Costs: 3,700 constraints per slot (EdDSA 3,180, receipt hash 321, nonce
 * order 66, u128 fee 129, flags and sums 4) plus 3,838 per circuit (the
 * signer's key and signed-digit table 3,323, user, provider, first and last
 * nonce and total ranges): 3,838 + 3,700 N for N >= 2 (18,638 for N = 4),
 * 7,537 for N = 1, where one nonce-order constraint is not needed.
 * zg_settle_circuit_cost() measures C(2) - C(1), so it reports 3,701.
 * Witness: about 6 ms of CPU per slot (bench/bench_circuit.c).
 */
#ifndef ZG_ZK_SETTLE_CIRCUIT_H
#define ZG_ZK_SETTLE_CIRCUIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "zg/error.h"
#include "zk/fr.h"
#include "zk/r1cs.h"

#define ZG_SETTLE_N_PUBLIC 5
#define ZG_SETTLE_MAX_SLOTS 4096

/* One signed receipt, as the broker stores it. */
typedef struct zg_settle_receipt {
    uint64_t nonce;
    zg_u256 fee;          /* wei; must be < 2^128 for a provable receipt */
    zg_fr request_hash;   /* first 31 bytes of SHA-256 of the body, big-endian */
    zg_fr r8x, r8y;       /* signature point R8 (unpacked, affine) */
    zg_fr s;              /* signature scalar S (< l) */
} zg_settle_receipt;

/* A run of receipts of one account, in nonce order. */
typedef struct zg_settle_input {
    uint8_t user[20];                     /* the account's user address */
    uint8_t provider[20];                 /* the provider's address */
    zg_fr signer_x, signer_y;             /* the account's Baby Jubjub signer */
    size_t n_receipts;                    /* 1 .. n_slots of the circuit */
    const zg_settle_receipt *receipts;
} zg_settle_input;

/*
 * Broker helpers: a receipt slot from what the broker stores (nonce, fee,
 * the 31-byte request hash, the 64-byte packed signature of X-ZG-Signature),
 * and the signer from its packed 32-byte key. ZG_EINVAL / ZG_ECRYPTO when the
 * signature or key does not unpack (not on the curve, S >= l).
 */
int zg_settle_receipt_from_packed(zg_settle_receipt *out, uint64_t nonce, const zg_u256 *fee,
                                  const uint8_t request_hash[31], const uint8_t sig[64], zg_err *e);
int zg_settle_signer_from_packed(zg_settle_input *in, const uint8_t packed[32], zg_err *e);

/* The 5 public inputs for in (what the contract rebuilds on chain): needs
 * n_receipts >= 1, nonces as given (no order check here). */
int zg_settle_public_inputs(const zg_settle_input *in, zg_fr pub[ZG_SETTLE_N_PUBLIC], zg_err *e);

/*
 * Builds the circuit of n_slots slots and its witness for in (receipts fill
 * the first slots, the rest are empty). The result's witness satisfies the
 * system exactly when the receipts are valid; invalid receipts give a witness
 * that zg_r1cs_check() rejects (use zg_settle_check_input() first to get a
 * readable reason). n_slots in 1..ZG_SETTLE_MAX_SLOTS; the constraint system
 * depends on n_slots only.
 */
int zg_settle_circuit_build(unsigned n_slots, const zg_settle_input *in, zg_r1cs *out, zg_err *e);

/* The constraint system alone (witness of dummy values, always unsatisfied):
 * for the setup of a circuit size. */
int zg_settle_circuit_shape(unsigned n_slots, zg_r1cs *out, zg_err *e);

/* Native checks of what the circuit enforces, except signatures: counts,
 * nonce order, fee ranges. ZG_EINVAL with the reason. */
int zg_settle_check_input(unsigned n_slots, const zg_settle_input *in, zg_err *e);

/*
 * Lower level, for tests and tools: explicit slots (real flag per slot, any
 * order) and optionally claimed public inputs (NULL: computed honestly from
 * the slots as the circuit defines them). Nothing is validated; the witness
 * is whatever an honest computation from these values gives.
 */
typedef struct zg_settle_slot {
    int real;
    zg_settle_receipt r;
} zg_settle_slot;
int zg_settle_circuit_build_slots(unsigned n_slots, const zg_settle_input *in, const zg_settle_slot *slots,
                                  const zg_fr *claimed_pub, zg_r1cs *out, zg_err *e);

/* Constraints: fixed part (per circuit) and per slot, measured by building. */
int zg_settle_circuit_cost(uint32_t *fixed, uint32_t *per_slot, zg_err *e);

#endif
