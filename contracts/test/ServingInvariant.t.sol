// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {TestBase} from "./Base.sol";
import {Fixture} from "./Fixture.sol";
import {Serving} from "../src/Serving.sol";

/// @dev Drives random sequences of every user and provider call. Inputs are
/// bounded so most calls are meaningful; a call that reverts changes nothing
/// (ghosts included). Ghosts are measured from ether movements, not from the
/// contract's own bookkeeping.
contract Handler is TestBase {
    Serving public serving;
    address[3] public users;
    address[2] public providers;
    uint256[2][3] internal keys;
    mapping(bytes32 => uint64) internal lastNonce; // the "chain" of receipts per account

    uint256 public deposited;
    uint256 public paid;
    uint256 public refunded;
    uint256 public calls;

    constructor(Serving s, uint256[2][3] memory ks) {
        serving = s;
        keys = ks;
        for (uint256 i; i < 3; ++i) {
            users[i] = vm.addr(1000 + i);
            vm.deal(users[i], 1_000_000 ether);
        }
        providers[0] = vm.addr(2000);
        providers[1] = vm.addr(2001);
    }

    function _u(uint256 seed) internal view returns (address) {
        return users[seed % 3];
    }

    function _p(uint256 seed) internal view returns (address) {
        return providers[seed % 2];
    }

    function addAccount(uint256 us, uint256 ps, uint256 amount) external {
        address u = _u(us);
        amount = bound(amount, 0, 100 ether);
        vm.prank(u);
        serving.addAccount{value: amount}(_p(ps), keys[us % 3]);
        deposited += amount;
        calls++;
    }

    function depositFund(uint256 us, uint256 ps, uint256 amount) external {
        address u = _u(us);
        if (!serving.accountExists(u, _p(ps))) return;
        amount = bound(amount, 1, 100 ether);
        vm.prank(u);
        serving.depositFund{value: amount}(_p(ps));
        deposited += amount;
        calls++;
    }

    function requestRefund(uint256 us, uint256 ps, uint256 amount) external {
        address u = _u(us);
        address p = _p(ps);
        if (!serving.accountExists(u, p)) return;
        Serving.AccountInfo memory a = serving.getAccount(u, p);
        if (a.balance == a.pendingRefund || a.refundCount - a.refundHead >= 16) return;
        amount = bound(amount, 1, a.balance - a.pendingRefund);
        vm.prank(u);
        serving.requestRefund(p, amount);
        calls++;
    }

    /// Waits a random time (up to two lock times) and processes what matured.
    function processRefund(uint256 us, uint256 ps, uint256 dt) external {
        address u = _u(us);
        if (!serving.accountExists(u, _p(ps))) return;
        vm.warp(block.timestamp + bound(dt, 0, 2 * serving.lockTime()));
        uint256 before = u.balance;
        vm.prank(u);
        try serving.processRefund(_p(ps)) {
            refunded += u.balance - before;
            calls++;
        } catch (bytes memory err) {
            require(bytes4(err) == Serving.NoRefundDue.selector, "unexpected processRefund failure");
        }
    }

    /// The whole exit: refund everything free, wait, process, delete if empty.
    function exitAccount(uint256 us, uint256 ps) external {
        address u = _u(us);
        address p = _p(ps);
        if (!serving.accountExists(u, p)) return;
        Serving.AccountInfo memory a = serving.getAccount(u, p);
        vm.startPrank(u);
        if (a.balance > a.pendingRefund && a.refundCount - a.refundHead < 16) {
            serving.requestRefund(p, a.balance - a.pendingRefund);
        }
        vm.warp(block.timestamp + serving.lockTime());
        uint256 before = u.balance;
        if (serving.getAccount(u, p).pendingRefund > 0) serving.processRefund(p);
        refunded += u.balance - before;
        if (serving.getAccount(u, p).balance == 0) serving.deleteAccount(p);
        vm.stopPrank();
        calls++;
    }

    function deleteAccount(uint256 us, uint256 ps) external {
        vm.prank(_u(us));
        serving.deleteAccount(_p(ps));
        calls++;
    }

    function settle(uint256 us, uint256 ps, uint256 total, uint64 run) external {
        address u = _u(us);
        address p = _p(ps);
        if (!serving.accountExists(u, p)) return;
        Serving.AccountInfo memory a = serving.getAccount(u, p);
        total = bound(total, 0, a.balance);
        uint64 first = a.nonce + 1;
        uint64 last = first + uint64(bound(run, 0, 20));
        Serving.SettlementProof[] memory ps_ = _batch(us, p, first, last, total);
        uint256 before = p.balance;
        vm.prank(p);
        serving.settleFees(ps_);
        paid += p.balance - before;
        calls++;
    }

    /// A replay of an already settled run: must always fail.
    function replay(uint256 us, uint256 ps, uint256 back) external {
        address u = _u(us);
        address p = _p(ps);
        uint64 n = serving.settledNonce(u, p);
        if (n == 0) return;
        uint64 first = n - uint64(bound(back, 0, n - 1));
        Serving.SettlementProof[] memory ps_ = _batch(us, p, first, n, 0);
        vm.prank(p);
        try serving.settleFees(ps_) {
            revert("replay accepted");
        } catch {}
    }

    function addOrUpdateService(uint256 ps, uint256 name, uint256 price) external {
        Serving.ServiceParams memory s;
        s.name = vm.toString(name % 4);
        s.serviceType = uint8(price % 3);
        s.url = "http://x";
        s.inputPrice = price;
        vm.prank(_p(ps));
        serving.addOrUpdateService(s);
        calls++;
    }

    function removeService(uint256 ps, uint256 name) external {
        vm.prank(_p(ps));
        serving.removeService(vm.toString(name % 4));
        calls++;
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 2 days));
    }

    function _batch(uint256 us, address p, uint64 first, uint64 last, uint256 total)
        internal
        view
        returns (Serving.SettlementProof[] memory b)
    {
        b = new Serving.SettlementProof[](1);
        b[0] = _proof(us % 2 == 0 ? 4 : 16, _u(us), p, first, last, total, keys[us % 3]);
    }

    function _proof(uint32 slots, address u, address p, uint64 first, uint64 last, uint256 total, uint256[2] memory k)
        internal
        pure
        returns (Serving.SettlementProof memory r)
    {
        r.slots = slots;
        r.user = u;
        r.firstNonce = first;
        r.lastNonce = last;
        r.total = total;
        uint256[5] memory ins = [
            uint256(uint160(u)) | (uint256(first) << 160),
            uint256(uint160(p)) | (uint256(last) << 160),
            total,
            k[0],
            k[1]
        ];
        r.proof[0] = uint256(keccak256(abi.encodePacked("zg-test-proof", ins)));
    }

    function sumBalances() external view returns (uint256 sum) {
        for (uint256 i; i < 3; ++i) {
            for (uint256 j; j < 2; ++j) {
                if (serving.accountExists(users[i], providers[j])) {
                    sum += serving.getAccount(users[i], providers[j]).balance;
                }
            }
        }
    }

    /// The paginated lists hold exactly the existing accounts.
    function checkLists() external view {
        for (uint256 i; i < 3; ++i) {
            (Serving.AccountInfo[] memory page, uint256 total) = serving.getAccountsOfUser(users[i], 0, 10);
            uint256 n;
            for (uint256 j; j < 2; ++j) {
                if (serving.accountExists(users[i], providers[j])) ++n;
            }
            require(total == n && page.length == n, "user list size");
            for (uint256 k; k < page.length; ++k) {
                require(page[k].user == users[i], "user list owner");
                require(serving.accountExists(users[i], page[k].provider), "user list entry");
            }
        }
        for (uint256 j; j < 2; ++j) {
            (Serving.AccountInfo[] memory page, uint256 total) = serving.getAccountsOfProvider(providers[j], 0, 10);
            uint256 n;
            for (uint256 i; i < 3; ++i) {
                if (serving.accountExists(users[i], providers[j])) ++n;
            }
            require(total == n && page.length == n, "provider list size");
            for (uint256 k; k < page.length; ++k) {
                require(serving.accountExists(page[k].user, providers[j]), "provider list entry");
            }
        }
    }

    function checkAccounts() external view {
        for (uint256 i; i < 3; ++i) {
            for (uint256 j; j < 2; ++j) {
                if (!serving.accountExists(users[i], providers[j])) continue;
                Serving.AccountInfo memory a = serving.getAccount(users[i], providers[j]);
                require(a.pendingRefund <= a.balance, "pending > balance");
                (Serving.Refund[] memory rs,) = serving.getRefunds(users[i], providers[j], 0, 100);
                uint256 open;
                for (uint256 r = a.refundHead; r < rs.length; ++r) {
                    require(!rs[r].processed, "processed above head");
                    open += rs[r].amount;
                }
                require(open == a.pendingRefund, "pending != open refunds");
            }
        }
    }
}

contract ServingInvariantTest is Fixture {
    Handler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new Handler(serving, [keyA, keyB, keyC]);
    }

    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    /// sum of balances + paid to providers + refunded == deposited
    function invariant_conservation() public view {
        uint256 sum = handler.sumBalances();
        assertEq(sum + handler.paid() + handler.refunded(), handler.deposited(), "conservation");
        assertEq(address(serving).balance, sum, "contract holds exactly the balances");
    }

    /// pendingRefund == open refunds <= balance; lists match the accounts.
    function invariant_accounts() public view {
        handler.checkAccounts();
        handler.checkLists();
    }
}
