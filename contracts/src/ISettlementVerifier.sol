// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title ISettlementVerifier
/// @notice Batch Groth16 verifier of one settlement circuit size (one contract per
/// circuit size, generated from that circuit's verifying key).
/// @dev Agreed interface between the Serving contract, the verifier generator and
/// the broker. Each proof is 8 words in EIP-197 order
/// [A.x, A.y, B.x.im, B.x.re, B.y.im, B.y.re, C.x, C.y]; each proof has exactly
/// 5 public inputs (see docs/contract.md, "Settlement rules", and docs/zk.md).
interface ISettlementVerifier {
    /// @notice Verifies k proofs (8 words each) against k*5 public inputs with one
    /// pairing check (random linear combination; the randomness is derived by
    /// keccak over all proofs and inputs).
    /// @return true iff every proof is valid for its inputs.
    function verifyBatch(uint256[] calldata proofs, uint256[] calldata inputs) external view returns (bool);
}
