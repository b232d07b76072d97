// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {ISettlementVerifier} from "../src/ISettlementVerifier.sol";

/// @title TestVerifier - TEST ONLY, accepts forged proofs by design.
/// @notice Stands in for the generated Groth16 verifiers in forge tests and in the
/// anvil integration test. A proof is "valid" iff its first word is the marker
/// keccak256("zg-test-proof", in0..in4) of its own 5 public inputs, so tests still
/// see exactly which inputs the Serving contract built. The C deploy path refuses
/// this contract (name Test*, and the isTestVerifier() function in its ABI)
/// unless the caller passes the explicit test-only flag.
contract TestVerifier is ISettlementVerifier {
    error BadLengths(uint256 proofWords, uint256 inputWords);


    function isTestVerifier() external pure returns (bool) {
        return true;
    }

    /// @notice The marker word that makes a proof valid for these inputs.
    function marker(uint256[5] memory inputs) public pure returns (uint256) {
        return uint256(keccak256(abi.encodePacked("zg-test-proof", inputs)));
    }

    function verifyBatch(uint256[] calldata proofs, uint256[] calldata inputs) external pure returns (bool) {
        uint256 k = inputs.length / 5;
        if (k == 0 || inputs.length != k * 5 || proofs.length != k * 8) {
            revert BadLengths(proofs.length, inputs.length);
        }
        for (uint256 i; i < k; ++i) {
            uint256[5] memory in5;
            for (uint256 w; w < 5; ++w) {
                in5[w] = inputs[i * 5 + w];
            }
            if (proofs[i * 8] != marker(in5)) return false;
        }
        return true;
    }
}
