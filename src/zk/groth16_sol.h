/*
 * groth16_sol.h - the Solidity batch verifier generator.
 *
 * zg_groth16_solidity writes one contract (Solidity ^0.8.20) implementing
 * ISettlementVerifier.verifyBatch(uint256[] proofs, uint256[] inputs) for the
 * given verifying key:
 *   - k = inputs.length / n_public proofs of 8 words each (EIP-197 order
 *     [A.x, A.y, B.x.im, B.x.re, B.y.im, B.y.re, C.x, C.y]); any length
 *     mismatch, k = 0, or an input >= r returns false;
 *   - randomness: seed = keccak256(abi.encodePacked(proofs, inputs)),
 *     rho_0 = 1, rho_j = uint256(keccak256(abi.encodePacked(seed, j))) mod r;
 *   - one pairing check of k + 3 pairs:
 *       prod_j e(rho_j A_j, B_j) * e((sum rho_j) alpha, -beta)
 *         * e(sum_j rho_j L_j, -gamma) * e(sum_j rho_j C_j, -delta) == 1
 *     with sum_j rho_j L_j = (sum rho_j) IC_0 + sum_t (sum_j rho_j x_jt) IC_t
 *     (so the input MSM costs n_public + 1 ecMul for the whole batch);
 *   - invalid points (off curve, coordinates >= q, G2 outside the subgroup)
 *     make a precompile fail, and verifyBatch returns false.
 * Gas, measured on anvil (tests/zk/test_groth16_sol.c, docs/zk.md): about 58.5k
 * per proof plus about 209k per batch; the precompiles alone (2 ecMul + 1
 * pairing pair per proof) are about 46k of each proof's share.
 */
#ifndef ZG_ZK_GROTH16_SOL_H
#define ZG_ZK_GROTH16_SOL_H

#include "base/buf.h"
#include "zg/error.h"
#include "zk/groth16.h"

/* contract_name: a Solidity identifier (e.g. "SettlementVerifier16").
 * interface_import: the import path of ISettlementVerifier.sol (e.g.
 * "./ISettlementVerifier.sol"), or NULL to declare the interface inline so
 * the file compiles alone. Writes NUL-terminated source into out. ZG_EINVAL
 * on a bad name, ZG_ENOMEM. */
int zg_groth16_solidity(zg_buf *out, const zg_groth16_vk *vk, const char *contract_name,
                        const char *interface_import, zg_err *e);

#endif
