// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Fixture} from "./Fixture.sol";
import {Serving} from "../src/Serving.sol";
import {TestVerifier} from "./TestVerifier.sol";

/// @dev Constructor and the service registry.
contract ServingServicesTest is Fixture {
    event ServiceUpdated(address indexed provider, string name, Serving.ServiceParams service, uint256 updatedAt);
    event ServiceRemoved(address indexed provider, string name);

    // ------------------------------------------------------------ constructor

    function test_constructor_storesConfig() public view {
        assertEq(serving.lockTime(), LOCK, "lockTime");
        uint32[] memory sizes = serving.circuitSizes();
        assertEq(sizes.length, 2, "sizes");
        assertEq(sizes[0], 4, "size 0");
        assertEq(sizes[1], 16, "size 1");
        assertEq(serving.verifierOf(4), address(v4), "verifier 4");
        assertEq(serving.verifierOf(16), address(v16), "verifier 16");
        assertEq(serving.verifierOf(64), address(0), "no verifier 64");
    }

    function _deploy(uint256 lock, uint32[] memory sizes, address[] memory vs) internal returns (Serving) {
        return new Serving(lock, sizes, vs);
    }

    function _one32(uint32 s) internal pure returns (uint32[] memory a) {
        a = new uint32[](1);
        a[0] = s;
    }

    function _oneAddr(address v) internal pure returns (address[] memory a) {
        a = new address[](1);
        a[0] = v;
    }

    function test_constructor_revertsOnZeroLockTime() public {
        vm.expectRevert(Serving.InvalidLockTime.selector);
        _deploy(0, _one32(4), _oneAddr(address(v4)));
    }

    function test_constructor_revertsOnHugeLockTime() public {
        vm.expectRevert(Serving.InvalidLockTime.selector);
        _deploy(uint256(type(uint64).max) + 1, _one32(4), _oneAddr(address(v4)));
    }

    function test_constructor_revertsWithoutVerifiers() public {
        vm.expectRevert(Serving.NoVerifiers.selector);
        _deploy(LOCK, new uint32[](0), new address[](0));
    }

    function test_constructor_revertsOnLengthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(Serving.LengthMismatch.selector, 1, 2));
        _deploy(LOCK, _one32(4), new address[](2));
    }

    function test_constructor_revertsOnZeroSize() public {
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidCircuitSize.selector, 0));
        _deploy(LOCK, _one32(0), _oneAddr(address(v4)));
    }

    function test_constructor_revertsOnDuplicateSize() public {
        uint32[] memory sizes = new uint32[](2);
        sizes[0] = 4;
        sizes[1] = 4;
        address[] memory vs = new address[](2);
        vs[0] = address(v4);
        vs[1] = address(v16);
        vm.expectRevert(abi.encodeWithSelector(Serving.DuplicateCircuitSize.selector, 4));
        _deploy(LOCK, sizes, vs);
    }

    function test_constructor_revertsOnVerifierWithoutCode() public {
        vm.expectRevert(abi.encodeWithSelector(Serving.VerifierNotContract.selector, 4, alice));
        _deploy(LOCK, _one32(4), _oneAddr(alice));
    }

    function test_plainTransferIsRefused() public {
        vm.prank(alice);
        (bool ok,) = address(serving).call{value: 1 ether}("");
        assertTrue(!ok, "plain ether transfer must fail");
    }

    // --------------------------------------------------------------- services

    function test_addService_storesEverything() public {
        Serving.ServiceParams memory p = _params("chat-1", 5);
        p.serviceType = 2;
        p.verifiability = "TeeML";
        vm.warp(1_700_000_123);
        vm.expectEmit(true, false, false, true, address(serving));
        emit ServiceUpdated(provider, "chat-1", p, 1_700_000_123);
        vm.prank(provider);
        serving.addOrUpdateService(p);

        Serving.Service memory s = serving.getService(provider, "chat-1");
        assertEq(s.provider, provider, "provider");
        assertEq(s.name, "chat-1", "name");
        assertEq(s.serviceType, 2, "type");
        assertEq(s.url, p.url, "url");
        assertEq(s.model, p.model, "model");
        assertEq(s.verifiability, "TeeML", "verifiability");
        assertEq(s.inputPrice, 5, "inputPrice");
        assertEq(s.outputPrice, 10, "outputPrice");
        assertEq(s.additionalProperties, p.additionalProperties, "additionalProperties");
        assertEq(s.updatedAt, 1_700_000_123, "updatedAt");
        assertEq(serving.serviceCount(), 1, "count");
        assertTrue(serving.serviceExists(provider, "chat-1"), "exists");
        assertTrue(!serving.serviceExists(provider2, "chat-1"), "other provider's name is free");
    }

    function test_updateService_replacesFieldsKeepsCount() public {
        vm.prank(provider);
        serving.addOrUpdateService(_params("chat-1", 5));
        vm.warp(block.timestamp + 100);
        Serving.ServiceParams memory p = _params("chat-1", 7);
        p.url = "https://example.org";
        p.serviceType = 1;
        vm.prank(provider);
        serving.addOrUpdateService(p);
        Serving.Service memory s = serving.getService(provider, "chat-1");
        assertEq(s.inputPrice, 7, "new price");
        assertEq(s.url, "https://example.org", "new url");
        assertEq(s.serviceType, 1, "new type");
        assertEq(s.updatedAt, block.timestamp, "updatedAt moves");
        assertEq(serving.serviceCount(), 1, "still one");
    }

    function test_sameNameDifferentProvidersAreDistinct() public {
        vm.prank(provider);
        serving.addOrUpdateService(_params("chat", 1));
        vm.prank(provider2);
        serving.addOrUpdateService(_params("chat", 2));
        assertEq(serving.serviceCount(), 2, "two services");
        assertEq(serving.getService(provider, "chat").inputPrice, 1, "p1");
        assertEq(serving.getService(provider2, "chat").inputPrice, 2, "p2");
    }

    function test_addService_revertsOnEmptyName() public {
        vm.prank(provider);
        vm.expectRevert(Serving.EmptyServiceName.selector);
        serving.addOrUpdateService(_params("", 1));
    }

    function test_addService_revertsOnBadType() public {
        Serving.ServiceParams memory p = _params("x", 1);
        p.serviceType = 3;
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.InvalidServiceType.selector, 3));
        serving.addOrUpdateService(p);
    }

    function _long(uint256 n) internal pure returns (string memory) {
        bytes memory b = new bytes(n);
        for (uint256 i; i < n; ++i) {
            b[i] = "a";
        }
        return string(b);
    }

    function _expectTooLong(Serving.ServiceParams memory p, string memory field, uint256 len, uint256 max)
        internal
    {
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(Serving.FieldTooLong.selector, field, len, max));
        serving.addOrUpdateService(p);
    }

    function test_addService_revertsOnLongFields() public {
        Serving.ServiceParams memory p = _params(_long(65), 1);
        _expectTooLong(p, "name", 65, 64);
        p = _params("ok", 1);
        p.url = _long(513);
        _expectTooLong(p, "url", 513, 512);
        p = _params("ok", 1);
        p.model = _long(257);
        _expectTooLong(p, "model", 257, 256);
        p = _params("ok", 1);
        p.verifiability = _long(65);
        _expectTooLong(p, "verifiability", 65, 64);
        p = _params("ok", 1);
        p.additionalProperties = _long(4097);
        _expectTooLong(p, "additionalProperties", 4097, 4096);
        // The limits themselves are accepted.
        p = _params(_long(64), 1);
        p.url = _long(512);
        p.model = _long(256);
        p.verifiability = _long(64);
        p.additionalProperties = _long(4096);
        vm.prank(provider);
        serving.addOrUpdateService(p);
    }

    function test_removeService_emitsAndForgets() public {
        vm.startPrank(provider);
        serving.addOrUpdateService(_params("a", 1));
        serving.addOrUpdateService(_params("b", 2));
        serving.addOrUpdateService(_params("c", 3));
        vm.expectEmit(true, false, false, true, address(serving));
        emit ServiceRemoved(provider, "a");
        serving.removeService("a");
        vm.stopPrank();
        assertEq(serving.serviceCount(), 2, "two left");
        assertTrue(!serving.serviceExists(provider, "a"), "a gone");
        (Serving.Service[] memory page, uint256 total) = serving.getServices(0, 10);
        assertEq(total, 2, "total");
        assertEq(page.length, 2, "page");
        // Swap-remove moved the last one into the hole.
        assertEq(page[0].name, "c", "c moved first");
        assertEq(page[1].name, "b", "b second");
        vm.expectRevert(abi.encodeWithSelector(Serving.ServiceNotFound.selector, provider, "a"));
        serving.getService(provider, "a");
        // The name can be registered again.
        vm.prank(provider);
        serving.addOrUpdateService(_params("a", 9));
        assertEq(serving.getService(provider, "a").inputPrice, 9, "re-added");
    }

    function test_removeService_lastOne() public {
        vm.startPrank(provider);
        serving.addOrUpdateService(_params("a", 1));
        serving.removeService("a");
        vm.stopPrank();
        assertEq(serving.serviceCount(), 0, "empty");
    }

    function test_removeService_revertsWhenMissing() public {
        vm.prank(provider);
        serving.addOrUpdateService(_params("a", 1));
        // Another provider cannot remove it: the key includes msg.sender.
        vm.prank(provider2);
        vm.expectRevert(abi.encodeWithSelector(Serving.ServiceNotFound.selector, provider2, "a"));
        serving.removeService("a");
        assertTrue(serving.serviceExists(provider, "a"), "untouched");
    }

    function test_getServices_paginates() public {
        vm.startPrank(provider);
        for (uint256 i; i < 5; ++i) {
            serving.addOrUpdateService(_params(vm.toString(i), i));
        }
        vm.stopPrank();
        (Serving.Service[] memory page, uint256 total) = serving.getServices(1, 2);
        assertEq(total, 5, "total");
        assertEq(page.length, 2, "len");
        assertEq(page[0].name, "1", "first");
        assertEq(page[1].name, "2", "second");
        (page, total) = serving.getServices(4, 10);
        assertEq(page.length, 1, "tail");
        (page, total) = serving.getServices(5, 10);
        assertEq(page.length, 0, "past the end");
        (page, total) = serving.getServices(0, 0);
        assertEq(page.length, 0, "limit 0");
    }

    function test_getServices_capsPageSize() public {
        vm.startPrank(provider);
        for (uint256 i; i < 101; ++i) {
            serving.addOrUpdateService(_params(vm.toString(i), i));
        }
        vm.stopPrank();
        (Serving.Service[] memory page, uint256 total) = serving.getServices(0, type(uint256).max);
        assertEq(total, 101, "total");
        assertEq(page.length, serving.MAX_PAGE(), "capped");
    }

    function test_keys() public view {
        assertEq(serving.serviceKey(provider, "x"), keccak256(abi.encode(provider, "x")), "service key");
        assertEq(serving.accountKey(alice, provider), keccak256(abi.encode(alice, provider)), "account key");
    }

    function test_testVerifier_rejectsBadLengths() public {
        TestVerifier t = new TestVerifier();
        vm.expectRevert(abi.encodeWithSelector(TestVerifier.BadLengths.selector, 8, 4));
        t.verifyBatch(new uint256[](8), new uint256[](4));
        assertTrue(t.isTestVerifier(), "marked as test verifier");
    }
}
