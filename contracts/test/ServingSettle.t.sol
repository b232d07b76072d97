// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Fixture} from "./Fixture.sol";
import {Serving} from "../src/Serving.sol";
import {ISettlementVerifier} from "../src/ISettlementVerifier.sol";
import {Refuser, Reenterer} from "./Helpers.sol";

interface VmCalls {
    function expectCall(address callee, bytes calldata data, uint64 count) external;
}

/// @dev settleFees: the settlement rules of DESIGN.md, one by one.
contract ServingSettleTest is Fixture {
    event FeesSettled(
        address indexed user,
        address indexed provider,
        uint64 firstNonce,
        uint64 lastNonce,
        uint256 total,
        uint256 balance,
        uint256 pendingRefund
    );
    event RefundDrawn(address indexed user, address indexed provider, uint256 index, uint256 drawn, uint256 remaining);

    function setUp() public override {
        super.setUp();
        _open(alice, provider, 10 ether, keyA);
    }

    function test_settle_paysProviderAndAdvancesNonce() public {
        uint256 before = provider.balance;
        vm.expectEmit(true, true, false, true, address(serving));
        emit FeesSettled(alice, provider, 1, 7, 3 ether, 7 ether, 0);
        _settle(provider, _proof(4, alice, provider, 1, 7, 3 ether, keyA));
        assertEq(provider.balance - before, 3 ether, "provider paid");
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.balance, 7 ether, "balance");
        assertEq(a.nonce, 7, "nonce = last");
        assertEq(address(serving).balance, 7 ether, "ether held");
    }

    function test_settle_zeroTotalAdvancesNonceOnly() public {
        _settle(provider, _proof(4, alice, provider, 1, 1, 0, keyA));
        assertEq(serving.getAccount(alice, provider).nonce, 1, "nonce");
        assertEq(serving.getAccount(alice, provider).balance, 10 ether, "balance");
    }

    function test_settle_neverTwice_sameProof() public {
        Serving.SettlementProof memory p = _proof(4, alice, provider, 1, 5, 1 ether, keyA);
        _settle(provider, p);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, 1, 5));
        serving.settleFees(_one(p));
    }

    function test_settle_neverTwice_firstEqualsSettled() public {
        _settle(provider, _proof(4, alice, provider, 1, 5, 1 ether, keyA));
        // A run starting at the settled nonce would pay receipt 5 again.
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, 5, 5));
        serving.settleFees(_one(_proof(4, alice, provider, 5, 9, 1 ether, keyA)));
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, 3, 5));
        serving.settleFees(_one(_proof(4, alice, provider, 3, 9, 1 ether, keyA)));
        _settle(provider, _proof(4, alice, provider, 6, 9, 1 ether, keyA));
        assertEq(serving.getAccount(alice, provider).nonce, 9, "nonce");
    }

    function test_settle_firstNonceZeroRejectedOnFreshAccount() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, 0, 0));
        serving.settleFees(_one(_proof(4, alice, provider, 0, 3, 1, keyA)));
    }

    function test_settle_neverTwice_withinOneBatch() public {
        Serving.SettlementProof[] memory ps = new Serving.SettlementProof[](2);
        ps[0] = _proof(4, alice, provider, 1, 5, 1 ether, keyA);
        ps[1] = _proof(4, alice, provider, 5, 8, 1 ether, keyA);
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, 5, 5));
        serving.settleFees(ps);
        ps[1] = _proof(4, alice, provider, 6, 8, 1 ether, keyA);
        vm.prank(provider);
        serving.settleFees(ps);
        assertEq(serving.getAccount(alice, provider).nonce, 8, "both runs");
        assertEq(serving.getAccount(alice, provider).balance, 8 ether, "both paid");
    }

    function test_settle_neverTwice_afterDeleteAndReopen() public {
        _settle(provider, _proof(4, alice, provider, 1, 5, 10 ether, keyA));
        vm.prank(alice);
        serving.deleteAccount(provider);
        assertEq(serving.settledNonce(alice, provider), 5, "nonce survives deletion");
        _open(alice, provider, 10 ether, keyA);
        assertEq(serving.getAccount(alice, provider).nonce, 5, "reopened with old nonce");
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.NonceNotAbove.selector, alice, 1, 5));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 5, 10 ether, keyA)));
    }

    function test_settle_revertsOnBadNonceRange() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.BadNonceRange.selector, 5, 4));
        serving.settleFees(_one(_proof(4, alice, provider, 5, 4, 1, keyA)));
    }

    function test_settle_signerMismatch() public {
        // Receipts signed by another key: the contract builds in3/in4 from the
        // account's signer, so the proof does not verify.
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidProof.selector, 4));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 1 ether, keyB)));
        assertEq(serving.getAccount(alice, provider).nonce, 0, "unchanged");
    }

    function test_settle_callerMustBeProvider_noAccount() public {
        vm.prank(provider2);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, provider2));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 1 ether, keyA)));
    }

    function test_settle_callerMustBeProvider_otherAccount() public {
        // alice also has an account with provider2 (same key): provider2 cannot
        // use receipts made out to provider, in1 carries msg.sender.
        _open(alice, provider2, 10 ether, keyA);
        vm.prank(provider2);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidProof.selector, 4));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 1 ether, keyA)));
        // Nor can the user settle for the provider.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, alice));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 1 ether, keyA)));
    }

    function test_settle_wrongTotalOrNoncesFailProof() public {
        Serving.SettlementProof memory p = _proof(4, alice, provider, 1, 2, 1 ether, keyA);
        p.total = 2 ether; // claims more than was proven
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidProof.selector, 4));
        serving.settleFees(_one(p));
        p = _proof(4, alice, provider, 1, 2, 1 ether, keyA);
        p.lastNonce = 3;
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidProof.selector, 4));
        serving.settleFees(_one(p));
        p = _proof(4, alice, provider, 1, 2, 1 ether, keyA);
        p.slots = 16; // verifier of another size: the test marker still matches,
        _settle(provider, p); // so only the size routing is checked here
    }

    function test_settle_revertsOnInsufficientBalance() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InsufficientBalance.selector, alice, 10 ether + 1, 10 ether));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 10 ether + 1, keyA)));
        _settle(provider, _proof(4, alice, provider, 1, 2, 10 ether, keyA));
        assertEq(serving.getAccount(alice, provider).balance, 0, "all of it");
    }

    function test_settle_revertsOnTotalTooLarge() public {
        uint256 t = uint256(type(uint128).max) + 1;
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.TotalTooLarge.selector, t));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, t, keyA)));
    }

    function test_settle_revertsOnUnknownSize() public {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.UnknownCircuitSize.selector, 8));
        serving.settleFees(_one(_proof(8, alice, provider, 1, 2, 1, keyA)));
    }

    function test_settle_revertsOnEmpty() public {
        vm.prank(provider);
        vm.expectRevert(Serving.EmptySettlement.selector);
        serving.settleFees(new Serving.SettlementProof[](0));
    }

    function test_settle_oneBadProofRevertsBatch() public {
        _open(bob, provider, 10 ether, keyB);
        Serving.SettlementProof[] memory ps = new Serving.SettlementProof[](2);
        ps[0] = _proof(4, alice, provider, 1, 2, 1 ether, keyA);
        ps[1] = _proof(4, bob, provider, 1, 2, 1 ether, keyA); // bob's key is keyB
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidProof.selector, 4));
        serving.settleFees(ps);
        assertEq(serving.getAccount(alice, provider).nonce, 0, "alice unchanged");
        assertEq(serving.getAccount(alice, provider).balance, 10 ether, "alice balance unchanged");
    }

    function test_settle_groupsBySizeOneVerifierCallEach() public {
        _open(bob, provider, 10 ether, keyB);
        Serving.SettlementProof[] memory ps = new Serving.SettlementProof[](4);
        ps[0] = _proof(4, alice, provider, 1, 2, 1 ether, keyA);
        ps[1] = _proof(16, bob, provider, 1, 9, 2 ether, keyB);
        ps[2] = _proof(4, bob, provider, 10, 12, 3 ether, keyB);
        ps[3] = _proof(16, alice, provider, 3, 20, 4 ether, keyA);
        VmCalls(address(vm)).expectCall(
            address(v4), abi.encodePacked(ISettlementVerifier.verifyBatch.selector), 1
        );
        VmCalls(address(vm)).expectCall(
            address(v16), abi.encodePacked(ISettlementVerifier.verifyBatch.selector), 1
        );
        uint256 before = provider.balance;
        vm.prank(provider);
        serving.settleFees(ps);
        assertEq(provider.balance - before, 10 ether, "one payment of the sum");
        assertEq(serving.getAccount(alice, provider).balance, 5 ether, "alice");
        assertEq(serving.getAccount(bob, provider).balance, 5 ether, "bob");
        assertEq(serving.getAccount(alice, provider).nonce, 20, "alice nonce");
        assertEq(serving.getAccount(bob, provider).nonce, 12, "bob nonce");
    }

    function test_settle_onlyUsedSizesAreVerified() public {
        VmCalls(address(vm)).expectCall(
            address(v16), abi.encodePacked(ISettlementVerifier.verifyBatch.selector), 0
        );
        _settle(provider, _proof(4, alice, provider, 1, 2, 1 ether, keyA));
    }

    function test_settle_drawOrder_balanceThenRefundsNewestFirst() public {
        vm.startPrank(alice);
        serving.requestRefund(provider, 3 ether); // older
        vm.warp(block.timestamp + 10);
        serving.requestRefund(provider, 4 ether); // newer
        vm.stopPrank();
        // free = 10 - 7 = 3; a total of 5 takes 3 free, then 2 from the newest.
        vm.expectEmit(true, true, false, true, address(serving));
        emit RefundDrawn(alice, provider, 1, 2 ether, 2 ether);
        vm.expectEmit(true, true, false, true, address(serving));
        emit FeesSettled(alice, provider, 1, 3, 5 ether, 5 ether, 5 ether);
        _settle(provider, _proof(4, alice, provider, 1, 3, 5 ether, keyA));
        (Serving.Refund[] memory rs,) = serving.getRefunds(alice, provider, 0, 10);
        assertEq(rs[0].amount, 3 ether, "older untouched");
        assertEq(rs[1].amount, 2 ether, "newer reduced");
        // Next: 4 more: the rest of the newest (2), then 2 of the older one.
        vm.expectEmit(true, true, false, true, address(serving));
        emit RefundDrawn(alice, provider, 1, 2 ether, 0);
        vm.expectEmit(true, true, false, true, address(serving));
        emit RefundDrawn(alice, provider, 0, 2 ether, 1 ether);
        _settle(provider, _proof(4, alice, provider, 4, 6, 4 ether, keyA));
        (rs,) = serving.getRefunds(alice, provider, 0, 10);
        assertEq(rs[0].amount, 1 ether, "older reduced");
        assertEq(rs[1].amount, 0, "newer used up");
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.balance, 1 ether, "balance");
        assertEq(a.pendingRefund, 1 ether, "pending");
        // The refunds mature: only what is left is paid out.
        vm.warp(block.timestamp + LOCK);
        uint256 before = alice.balance;
        vm.prank(alice);
        serving.processRefund(provider);
        assertEq(alice.balance - before, 1 ether, "rest refunded");
        a = serving.getAccount(alice, provider);
        assertEq(a.balance, 0, "empty");
        assertEq(a.pendingRefund, 0, "no pending");
    }

    function test_settle_freeBalanceCoversTotal_refundsUntouched() public {
        vm.prank(alice);
        serving.requestRefund(provider, 4 ether);
        _settle(provider, _proof(4, alice, provider, 1, 2, 6 ether, keyA));
        (Serving.Refund[] memory rs,) = serving.getRefunds(alice, provider, 0, 1);
        assertEq(rs[0].amount, 4 ether, "refund intact");
    }

    function test_settle_processedRefundsAreNotDrawn() public {
        vm.prank(alice);
        serving.requestRefund(provider, 8 ether);
        vm.warp(block.timestamp + LOCK);
        vm.prank(alice);
        serving.processRefund(provider);
        // 2 ether left; the processed refund cannot be drawn any more.
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InsufficientBalance.selector, alice, 3 ether, 2 ether));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 3 ether, keyA)));
        _settle(provider, _proof(4, alice, provider, 1, 2, 2 ether, keyA));
    }

    function test_settle_receiptsBeforeRefundStayPayableUntilMaturity() public {
        vm.prank(alice);
        serving.requestRefund(provider, 10 ether);
        vm.warp(block.timestamp + LOCK - 1);
        _settle(provider, _proof(4, alice, provider, 1, 2, 10 ether, keyA));
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        serving.processRefund(provider); // matured, but drawn to 0: pays nothing
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.balance, 0, "all paid to provider");
        assertEq(a.refundHead, 1, "closed");
    }

    function test_settle_cannotDrawMaturedRefunds() public {
        vm.prank(alice);
        serving.requestRefund(provider, 8 ether);
        vm.warp(block.timestamp + LOCK); // matured, not yet processed
        // Only the 2 ether not asked back are payable now.
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InsufficientBalance.selector, alice, 3 ether, 2 ether));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 3 ether, keyA)));
        _settle(provider, _proof(4, alice, provider, 1, 2, 2 ether, keyA));
        (Serving.Refund[] memory rs,) = serving.getRefunds(alice, provider, 0, 1);
        assertEq(rs[0].amount, 8 ether, "matured refund intact");
    }

    function test_settle_drawsOnlyUnmaturedRefunds() public {
        vm.prank(alice);
        serving.requestRefund(provider, 4 ether); // older: matures first
        vm.warp(block.timestamp + LOCK / 2);
        vm.prank(alice);
        serving.requestRefund(provider, 4 ether); // newer
        vm.warp(block.timestamp + LOCK / 2); // the older one has matured
        // free 2 + newer 4 = 6 payable; 7 is too much.
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InsufficientBalance.selector, alice, 7 ether, 6 ether));
        serving.settleFees(_one(_proof(4, alice, provider, 1, 2, 7 ether, keyA)));
        _settle(provider, _proof(4, alice, provider, 1, 2, 6 ether, keyA));
        (Serving.Refund[] memory rs,) = serving.getRefunds(alice, provider, 0, 2);
        assertEq(rs[0].amount, 4 ether, "older (matured) intact");
        assertEq(rs[1].amount, 0, "newer drawn");
        uint256 before = alice.balance;
        vm.prank(alice);
        serving.processRefund(provider);
        assertEq(alice.balance - before, 4 ether, "matured refund paid in full");
    }

    function test_settle_revertsWhenProviderRefusesEther() public {
        Refuser r = new Refuser();
        _open(bob, address(r), 1 ether, keyB);
        Serving.SettlementProof[] memory ps = _one(_proof(4, bob, address(r), 1, 1, 1 ether, keyB));
        vm.expectRevert(abi.encodeWithSelector(Serving.TransferFailed.selector, address(r), 1 ether));
        r.settle(serving, ps);
        assertEq(serving.getAccount(bob, address(r)).nonce, 0, "rolled back");
    }

    function test_settle_blocksReentry() public {
        Reenterer r = new Reenterer();
        _open(bob, address(r), 1 ether, keyB);
        r.settle(serving, _one(_proof(4, bob, address(r), 1, 1, 1 ether, keyB)));
        assertEq(r.seen(), Serving.Reentrancy.selector, "re-entry refused");
        assertEq(r.received(), 1 ether, "paid once");
    }
}
