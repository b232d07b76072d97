// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Fixture} from "./Fixture.sol";
import {Serving} from "../src/Serving.sol";

/// @dev settleFees with 1, 4 and 16 proofs, each for a different account, all
/// of circuit size 4 (one verifyBatch call). Verified by the TestVerifier, so
/// the figures are the Serving contract's own cost plus a cheap keccak check per
/// proof, not the pairing check. Each is the first settlement of its account
/// (the account's packed nonce slot is already non-zero from addAccount, so a
/// later settlement costs about the same).
/// Figures: `forge test --gas-report --match-contract ServingGasTest` (docs/contract.md).
contract ServingGasTest is Fixture {
    address[16] internal users;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 16; ++i) {
            users[i] = vm.addr(100 + i);
            vm.deal(users[i], 10 ether);
            _open(users[i], provider, 10 ether, keyA);
        }
    }

    function _run(uint256 n) internal {
        Serving.SettlementProof[] memory ps = new Serving.SettlementProof[](n);
        for (uint256 i; i < n; ++i) {
            ps[i] = _proof(4, users[i], provider, 1, 9, 0.01 ether, keyA);
        }
        vm.prank(provider);
        serving.settleFees(ps);
        assertEq(serving.getAccount(users[n - 1], provider).nonce, 9, "settled");
    }

    function test_gasSettle01() public {
        _run(1);
    }

    function test_gasSettle04() public {
        _run(4);
    }

    function test_gasSettle16() public {
        _run(16);
    }
}
