// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Fixture} from "./Fixture.sol";
import {Serving} from "../src/Serving.sol";

/// @dev Fuzz tests: deposits, refunds and settlement amounts against a model.
contract ServingFuzzTest is Fixture {
    function testFuzz_deposits(uint96 first, uint96[4] calldata more) public {
        vm.deal(alice, first);
        _open(alice, provider, first, keyA);
        uint256 expected = first;
        for (uint256 i; i < 4; ++i) {
            if (more[i] == 0) continue;
            vm.deal(alice, more[i]);
            vm.prank(alice);
            serving.depositFund{value: more[i]}(provider);
            expected += more[i];
        }
        assertEq(serving.getAccount(alice, provider).balance, expected, "balance");
        assertEq(address(serving).balance, expected, "ether held");
    }

    function testFuzz_refund(uint96 deposit, uint96 amount, uint32 wait) public {
        vm.assume(deposit > 0);
        amount = uint96(bound(amount, 1, deposit));
        vm.deal(alice, deposit);
        _open(alice, provider, deposit, keyA);
        uint256 t0 = block.timestamp;
        vm.prank(alice);
        serving.requestRefund(provider, amount);
        vm.warp(t0 + wait);
        uint256 before = alice.balance;
        if (wait < LOCK) {
            vm.prank(alice);
            vm.expectRevert(abi.encodeWithSelector(Serving.NoRefundDue.selector, t0 + LOCK));
            serving.processRefund(provider);
            assertEq(serving.getAccount(alice, provider).balance, deposit, "not yet");
        } else {
            vm.prank(alice);
            serving.processRefund(provider);
            assertEq(alice.balance - before, amount, "refunded");
            assertEq(serving.getAccount(alice, provider).balance, deposit - amount, "rest");
        }
    }

    function testFuzz_refundTooMuch(uint96 deposit, uint256 amount) public {
        vm.deal(alice, deposit);
        _open(alice, provider, deposit, keyA);
        vm.assume(amount > deposit);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidRefundAmount.selector, amount, uint256(deposit)));
        serving.requestRefund(provider, amount);
    }

    /// Model of the draw order: free balance first, then refunds newest first.
    function testFuzz_settleAmounts(uint96 deposit, uint96[3] memory refunds, uint96 total) public {
        vm.deal(alice, deposit);
        _open(alice, provider, deposit, keyA);
        uint256[3] memory left;
        uint256 pending;
        vm.startPrank(alice);
        for (uint256 i; i < 3; ++i) {
            uint256 avail = uint256(deposit) - pending;
            if (avail == 0) break;
            left[i] = bound(refunds[i], 1, avail);
            serving.requestRefund(provider, left[i]);
            pending += left[i];
        }
        vm.stopPrank();
        uint256 before = provider.balance;
        if (total > deposit) {
            vm.prank(provider);
            vm.expectRevert(
                abi.encodeWithSelector(Serving.InsufficientBalance.selector, alice, uint256(total), uint256(deposit))
            );
            serving.settleFees(_one(_proof(16, alice, provider, 1, 1, total, keyA)));
            return;
        }
        _settle(provider, _proof(16, alice, provider, 1, 1, total, keyA));
        uint256 free = uint256(deposit) - pending;
        uint256 need = total > free ? total - free : 0;
        for (uint256 i = 3; i > 0 && need > 0;) {
            --i;
            uint256 take = need < left[i] ? need : left[i];
            left[i] -= take;
            need -= take;
        }
        (Serving.Refund[] memory rs, uint256 n) = serving.getRefunds(alice, provider, 0, 3);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            assertEq(rs[i].amount, left[i], "refund after draw");
            sum += left[i];
        }
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.pendingRefund, sum, "pending = sum of refunds");
        assertEq(a.balance, uint256(deposit) - total, "balance");
        assertEq(provider.balance - before, total, "paid");
        assertTrue(a.pendingRefund <= a.balance, "pending <= balance");
    }

    function testFuzz_settleNonce(uint64 settled, uint64 first, uint64 last) public {
        vm.assume(settled > 0);
        _open(alice, provider, 1 ether, keyA);
        _settle(provider, _proof(4, alice, provider, 1, settled, 1, keyA));
        vm.prank(provider);
        if (first <= settled) {
            vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, first, settled));
        } else if (last < first) {
            vm.expectRevert(abi.encodeWithSelector(Serving.BadNonceRange.selector, first, last));
        }
        serving.settleFees(_one(_proof(4, alice, provider, first, last, 1, keyA)));
        uint64 expected = first > settled && last >= first ? last : settled;
        assertEq(serving.getAccount(alice, provider).nonce, expected, "nonce");
    }
}
