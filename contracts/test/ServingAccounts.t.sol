// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Fixture} from "./Fixture.sol";
import {Serving} from "../src/Serving.sol";
import {Refuser, Reenterer} from "./Helpers.sol";

/// @dev Accounts: open, deposit, refunds (lockTime), delete, views.
contract ServingAccountsTest is Fixture {
    event AccountCreated(
        address indexed user, address indexed provider, uint256 signerX, uint256 signerY, uint256 balance, uint64 nonce
    );
    event Deposited(address indexed user, address indexed provider, uint256 amount, uint256 balance);
    event RefundRequested(
        address indexed user, address indexed provider, uint256 index, uint256 amount, uint256 createdAt
    );
    event RefundProcessed(address indexed user, address indexed provider, uint256 index, uint256 amount);
    event AccountDeleted(address indexed user, address indexed provider, uint64 nonce);

    // ---------------------------------------------------------------- addAccount

    function test_addAccount_storesAndLists() public {
        vm.expectEmit(true, true, false, true, address(serving));
        emit AccountCreated(alice, provider, keyA[0], keyA[1], 3 ether, 0);
        _open(alice, provider, 3 ether, keyA);
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.user, alice, "user");
        assertEq(a.provider, provider, "provider");
        assertEq(a.balance, 3 ether, "balance");
        assertEq(a.pendingRefund, 0, "pending");
        assertEq(a.nonce, 0, "nonce");
        assertEq(a.signer[0], keyA[0], "signer x");
        assertEq(a.signer[1], keyA[1], "signer y");
        assertEq(a.refundCount, 0, "refunds");
        assertEq(a.createdAt, block.timestamp, "createdAt");
        assertEq(address(serving).balance, 3 ether, "ether held");
        assertTrue(serving.accountExists(alice, provider), "exists");
        assertTrue(!serving.accountExists(alice, provider2), "not with provider2");
    }

    function test_addAccount_zeroValueAllowed() public {
        _open(alice, provider, 0, keyA);
        assertEq(serving.getAccount(alice, provider).balance, 0, "empty account");
    }

    function test_addAccount_revertsOnZeroProvider() public {
        vm.prank(alice);
        vm.expectRevert(Serving.InvalidProvider.selector);
        serving.addAccount{value: 1}(address(0), keyA);
    }

    function test_addAccount_revertsWhenExists() public {
        _open(alice, provider, 1 ether, keyA);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountExists.selector, alice, provider));
        serving.addAccount{value: 1 ether}(provider, keyB);
    }

    function _expectBadSigner(uint256 x, uint256 y) internal {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidSigner.selector, x, y));
        serving.addAccount{value: 1}(provider, [x, y]);
    }

    function test_addAccount_revertsOnInvalidSigners() public {
        _expectBadSigner(0, 0); // not on the curve
        _expectBadSigner(keyA[0], keyA[1] + 1); // not on the curve
        _expectBadSigner(keyA[0] + P, keyA[1]); // not reduced
        _expectBadSigner(keyA[0], keyA[1] + P); // not reduced
        _expectBadSigner(0, 1); // identity: anyone could sign for it
        _expectBadSigner(0, P - 1); // order 2
        _expectBadSigner(2957874849018779266517920829765869116077630550401372566248359756137677864698, 0); // order 4
        _expectBadSigner( // order 8
            17545522957889784193459637215142187266023652151580582754000402781682644312291,
            4826523245007015323400664741523384119579596407052839571721035538011798951543
        );
        assertTrue(!serving.accountExists(alice, provider), "nothing created");
    }

    function test_addAccount_acceptsLargeOrderPoints() public {
        // Base8 plus a point of order 8: on the curve, not of small order.
        _open(
            alice,
            provider,
            1,
            [
                569547302592035236033975578869018366198897880982226612741665576829963728497,
                6266602099192856638467815355000289784994924449795939114227301713575875279489
            ]
        );
        _open(bob, provider, 1, keyC);
    }

    // --------------------------------------------------------------- depositFund

    function test_deposit_addsAndEmits() public {
        _open(alice, provider, 1 ether, keyA);
        vm.expectEmit(true, true, false, true, address(serving));
        emit Deposited(alice, provider, 2 ether, 3 ether);
        vm.prank(alice);
        serving.depositFund{value: 2 ether}(provider);
        assertEq(serving.getAccount(alice, provider).balance, 3 ether, "balance");
    }

    function test_deposit_revertsWithoutAccount() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, provider));
        serving.depositFund{value: 1 ether}(provider);
    }

    function test_deposit_revertsOnZero() public {
        _open(alice, provider, 1 ether, keyA);
        vm.prank(alice);
        vm.expectRevert(Serving.ZeroDeposit.selector);
        serving.depositFund(provider);
    }

    // ------------------------------------------------------------- requestRefund

    function test_requestRefund_recordsAndEmits() public {
        _open(alice, provider, 5 ether, keyA);
        vm.expectEmit(true, true, false, true, address(serving));
        emit RefundRequested(alice, provider, 0, 2 ether, block.timestamp);
        vm.prank(alice);
        serving.requestRefund(provider, 2 ether);
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.balance, 5 ether, "balance unchanged until processed");
        assertEq(a.pendingRefund, 2 ether, "pending");
        assertEq(a.refundCount, 1, "count");
        (Serving.Refund[] memory rs, uint256 total) = serving.getRefunds(alice, provider, 0, 10);
        assertEq(total, 1, "total");
        assertEq(rs[0].amount, 2 ether, "amount");
        assertEq(rs[0].createdAt, block.timestamp, "createdAt");
        assertTrue(!rs[0].processed, "not processed");
    }

    function test_requestRefund_revertsOnZeroOrTooMuch() public {
        _open(alice, provider, 5 ether, keyA);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidRefundAmount.selector, 0, 5 ether));
        serving.requestRefund(provider, 0);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidRefundAmount.selector, 5 ether + 1, 5 ether));
        serving.requestRefund(provider, 5 ether + 1);
        serving.requestRefund(provider, 4 ether);
        // Only what is not already pending can be asked for.
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidRefundAmount.selector, 2 ether, 1 ether));
        serving.requestRefund(provider, 2 ether);
        serving.requestRefund(provider, 1 ether);
        vm.stopPrank();
    }

    function test_requestRefund_revertsWithoutAccount() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, provider));
        serving.requestRefund(provider, 1);
    }

    function test_requestRefund_capsPendingCount() public {
        _open(alice, provider, 100, keyA);
        vm.startPrank(alice);
        for (uint256 i; i < serving.MAX_PENDING_REFUNDS(); ++i) {
            serving.requestRefund(provider, 1);
        }
        vm.expectRevert(abi.encodeWithSelector(Serving.TooManyPendingRefunds.selector, 16));
        serving.requestRefund(provider, 1);
        // Processing frees the slots again.
        vm.warp(block.timestamp + LOCK);
        serving.processRefund(provider);
        serving.requestRefund(provider, 1);
        vm.stopPrank();
        assertEq(serving.getAccount(alice, provider).refundHead, 16, "head");
        assertEq(serving.getAccount(alice, provider).refundCount, 17, "count");
    }

    // ------------------------------------------------------------- processRefund

    function test_processRefund_onlyAfterLockTime() public {
        _open(alice, provider, 5 ether, keyA);
        uint256 t0 = block.timestamp;
        vm.prank(alice);
        serving.requestRefund(provider, 2 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.NoRefundDue.selector, t0 + LOCK));
        serving.processRefund(provider);
        vm.warp(t0 + LOCK - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.NoRefundDue.selector, t0 + LOCK));
        serving.processRefund(provider);
        vm.warp(t0 + LOCK);
        uint256 before = alice.balance;
        vm.expectEmit(true, true, false, true, address(serving));
        emit RefundProcessed(alice, provider, 0, 2 ether);
        vm.prank(alice);
        serving.processRefund(provider);
        assertEq(alice.balance - before, 2 ether, "paid out");
        Serving.AccountInfo memory a = serving.getAccount(alice, provider);
        assertEq(a.balance, 3 ether, "balance");
        assertEq(a.pendingRefund, 0, "pending");
        (Serving.Refund[] memory rs,) = serving.getRefunds(alice, provider, 0, 10);
        assertTrue(rs[0].processed, "processed");
        assertEq(address(serving).balance, 3 ether, "ether held");
    }

    function test_processRefund_paysOnlyMaturedOnes() public {
        _open(alice, provider, 10 ether, keyA);
        uint256 t0 = block.timestamp;
        vm.prank(alice);
        serving.requestRefund(provider, 1 ether);
        vm.warp(t0 + 100);
        vm.prank(alice);
        serving.requestRefund(provider, 2 ether);
        vm.warp(t0 + LOCK + 50);
        uint256 before = alice.balance;
        vm.prank(alice);
        serving.processRefund(provider);
        assertEq(alice.balance - before, 1 ether, "first only");
        assertEq(serving.getAccount(alice, provider).pendingRefund, 2 ether, "second pending");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.NoRefundDue.selector, t0 + 100 + LOCK));
        serving.processRefund(provider);
        vm.warp(t0 + 100 + LOCK);
        vm.prank(alice);
        serving.processRefund(provider);
        assertEq(alice.balance - before, 3 ether, "both");
        assertEq(serving.getAccount(alice, provider).balance, 7 ether, "balance");
    }

    function test_processRefund_revertsWithoutRefunds() public {
        _open(alice, provider, 1 ether, keyA);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.NoRefundDue.selector, 0));
        serving.processRefund(provider);
    }

    function test_processRefund_revertsWithoutAccount() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, provider));
        serving.processRefund(provider);
    }

    function test_processRefund_revertsWhenUserRefusesEther() public {
        Refuser r = new Refuser();
        r.open{value: 1 ether}(serving, provider, keyA);
        r.refund(serving, provider, 1 ether);
        vm.warp(block.timestamp + LOCK);
        vm.expectRevert(abi.encodeWithSelector(Serving.TransferFailed.selector, address(r), 1 ether));
        r.process(serving, provider);
        assertEq(serving.getAccount(address(r), provider).balance, 1 ether, "nothing changed");
    }

    function test_processRefund_blocksReentry() public {
        Reenterer r = new Reenterer();
        r.open{value: 2 ether}(serving, provider, keyA);
        r.refund(1 ether);
        r.refund(1 ether);
        vm.warp(block.timestamp + LOCK);
        r.process();
        assertEq(r.seen(), Serving.Reentrancy.selector, "re-entry refused");
        assertEq(r.received(), 2 ether, "paid once");
        assertEq(address(serving).balance, 0, "nothing left");
    }

    // ------------------------------------------------------------- deleteAccount

    function test_deleteAccount_onlyWhenEmpty() public {
        _open(alice, provider, 1 ether, keyA);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotEmpty.selector, 1 ether));
        serving.deleteAccount(provider);
        vm.prank(alice);
        serving.requestRefund(provider, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotEmpty.selector, 1 ether));
        serving.deleteAccount(provider);
        vm.warp(block.timestamp + LOCK);
        vm.prank(alice);
        serving.processRefund(provider);
        vm.expectEmit(true, true, false, true, address(serving));
        emit AccountDeleted(alice, provider, 0);
        vm.prank(alice);
        serving.deleteAccount(provider);
        assertTrue(!serving.accountExists(alice, provider), "gone");
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, provider));
        serving.getAccount(alice, provider);
    }

    function test_deleteAccount_revertsWithoutAccount() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, alice, provider));
        serving.deleteAccount(provider);
    }

    function test_deleteAccount_keepsListsConsistent() public {
        _open(alice, provider, 0, keyA);
        _open(alice, provider2, 0, keyA);
        _open(bob, provider, 0, keyB);
        vm.prank(alice);
        serving.deleteAccount(provider);
        (Serving.AccountInfo[] memory page, uint256 total) = serving.getAccountsOfUser(alice, 0, 10);
        assertEq(total, 1, "alice has one");
        assertEq(page[0].provider, provider2, "with provider2");
        (page, total) = serving.getAccountsOfProvider(provider, 0, 10);
        assertEq(total, 1, "provider has one");
        assertEq(page[0].user, bob, "bob");
        // The moved entries' positions were updated: deleting them works too.
        vm.prank(bob);
        serving.deleteAccount(provider);
        vm.prank(alice);
        serving.deleteAccount(provider2);
        (, total) = serving.getAccountsOfUser(alice, 0, 10);
        assertEq(total, 0, "alice none");
        (, total) = serving.getAccountsOfProvider(provider, 0, 10);
        assertEq(total, 0, "provider none");
    }

    function test_deleteAccount_movesMiddleEntry() public {
        address[3] memory ps = [provider, provider2, makeAddr("provider3")];
        for (uint256 i; i < 3; ++i) {
            _open(alice, ps[i], 0, keyA);
        }
        vm.prank(alice);
        serving.deleteAccount(provider);
        (Serving.AccountInfo[] memory page,) = serving.getAccountsOfUser(alice, 0, 10);
        assertEq(page.length, 2, "two left");
        assertEq(page[0].provider, ps[2], "last moved to the front");
        vm.prank(alice);
        serving.deleteAccount(ps[2]);
        (page,) = serving.getAccountsOfUser(alice, 0, 10);
        assertEq(page.length, 1, "one left");
        assertEq(page[0].provider, provider2, "provider2");
    }

    // ---------------------------------------------------------------- views

    function test_accountViews_paginate() public {
        address[5] memory users;
        for (uint256 i; i < 5; ++i) {
            users[i] = makeAddr(vm.toString(i));
            vm.deal(users[i], 1 ether);
            _open(users[i], provider, i + 1, keyA);
        }
        (Serving.AccountInfo[] memory page, uint256 total) = serving.getAccountsOfProvider(provider, 2, 2);
        assertEq(total, 5, "total");
        assertEq(page.length, 2, "len");
        assertEq(page[0].user, users[2], "third");
        assertEq(page[1].balance, 4, "fourth balance");
        (page, total) = serving.getAccountsOfProvider(provider, 9, 2);
        assertEq(page.length, 0, "past end");
        (page, total) = serving.getAccountsOfUser(users[3], 0, 5);
        assertEq(total, 1, "user total");
        assertEq(page[0].provider, provider, "provider");
    }

    function test_getRefunds_paginatesAndChecksAccount() public {
        _open(alice, provider, 10, keyA);
        vm.startPrank(alice);
        for (uint256 i = 1; i <= 4; ++i) {
            serving.requestRefund(provider, i);
        }
        vm.stopPrank();
        (Serving.Refund[] memory rs, uint256 total) = serving.getRefunds(alice, provider, 1, 2);
        assertEq(total, 4, "total");
        assertEq(rs.length, 2, "len");
        assertEq(rs[0].amount, 2, "second");
        assertEq(rs[1].amount, 3, "third");
        vm.expectRevert(abi.encodeWithSelector(Serving.AccountNotFound.selector, bob, provider));
        serving.getRefunds(bob, provider, 0, 1);
    }
}
