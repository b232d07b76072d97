// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {TestBase} from "./Base.sol";
import {TestVerifier} from "./TestVerifier.sol";
import {Serving} from "../src/Serving.sol";

/// @dev Shared set-up: a Serving contract trusting two TestVerifiers (circuit
/// sizes 4 and 16), lockTime one day, a provider, users with ether, valid Baby
/// Jubjub keys, and helpers that build proofs the TestVerifier accepts.
abstract contract Fixture is TestBase {
    uint256 internal constant LOCK = 1 days;
    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    Serving internal serving;
    TestVerifier internal v4;
    TestVerifier internal v16;
    address internal provider;
    address internal provider2;
    address internal alice;
    address internal bob;

    // k*Base8 for k = 1, 2, 12345 (computed with circomlibjs babyJub.mulPointEscalar).
    uint256[2] internal keyA = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
    uint256[2] internal keyB = [
        10031262171927540148667355526369034398030886437092045105752248699557385197826,
        633281375905621697187330766174974863687049529291089048651929454608812697683
    ];
    uint256[2] internal keyC = [
        19099552327547260981542886231210125691902505931204088720746463491300185142606,
        13276557205153692030187527501273228448057533426731746626187331221465573305487
    ];

    function setUp() public virtual {
        v4 = new TestVerifier();
        v16 = new TestVerifier();
        uint32[] memory sizes = new uint32[](2);
        sizes[0] = 4;
        sizes[1] = 16;
        address[] memory vs = new address[](2);
        vs[0] = address(v4);
        vs[1] = address(v16);
        serving = new Serving(LOCK, sizes, vs);
        provider = makeAddr("provider");
        provider2 = makeAddr("provider2");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        vm.deal(alice, 1000 ether);
        vm.deal(bob, 1000 ether);
        vm.warp(1_700_000_000);
    }

    function _open(address user, address prov, uint256 amount, uint256[2] memory key) internal {
        vm.prank(user);
        serving.addAccount{value: amount}(prov, key);
    }

    function _inputs(address user, address prov, uint64 first, uint64 last, uint256 total, uint256[2] memory key)
        internal
        pure
        returns (uint256[5] memory ins)
    {
        ins[0] = uint256(uint160(user)) | (uint256(first) << 160);
        ins[1] = uint256(uint160(prov)) | (uint256(last) << 160);
        ins[2] = total;
        ins[3] = key[0];
        ins[4] = key[1];
    }

    /// @dev A proof the TestVerifier accepts for exactly these public inputs.
    function _proof(
        uint32 slots,
        address user,
        address prov,
        uint64 first,
        uint64 last,
        uint256 total,
        uint256[2] memory key
    ) internal pure returns (Serving.SettlementProof memory p) {
        p.slots = slots;
        p.user = user;
        p.firstNonce = first;
        p.lastNonce = last;
        p.total = total;
        // Computed here, not by calling the verifier, so that building a proof
        // never consumes a vm.prank or vm.expectRevert meant for settleFees.
        p.proof[0] = uint256(keccak256(abi.encodePacked("zg-test-proof", _inputs(user, prov, first, last, total, key))));
        for (uint256 w = 1; w < 8; ++w) {
            p.proof[w] = w;
        }
    }

    function _one(Serving.SettlementProof memory p) internal pure returns (Serving.SettlementProof[] memory ps) {
        ps = new Serving.SettlementProof[](1);
        ps[0] = p;
    }

    function _settle(address prov, Serving.SettlementProof memory p) internal {
        vm.prank(prov);
        serving.settleFees(_one(p));
    }

    function _params(string memory name, uint256 inPrice) internal pure returns (Serving.ServiceParams memory s) {
        s.name = name;
        s.serviceType = 0;
        s.url = "http://127.0.0.1:8080";
        s.model = "zg-ngram-small";
        s.verifiability = "none";
        s.inputPrice = inPrice;
        s.outputPrice = 2 * inPrice;
        s.additionalProperties = "{\"unit\":\"byte\"}";
    }
}
