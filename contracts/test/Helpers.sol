// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Serving} from "../src/Serving.sol";

/// @dev A user or provider that refuses ether (TransferFailed paths).
contract Refuser {
    function open(Serving s, address provider, uint256[2] calldata key) external payable {
        s.addAccount{value: msg.value}(provider, key);
    }

    function refund(Serving s, address provider, uint256 amount) external {
        s.requestRefund(provider, amount);
    }

    function process(Serving s, address provider) external {
        s.processRefund(provider);
    }

    function settle(Serving s, Serving.SettlementProof[] calldata ps) external {
        s.settleFees(ps);
    }
}

/// @dev Re-enters the Serving contract from its receive hook and records the
/// revert selector it got, then accepts the ether (so the outer call succeeds
/// and the test can see that re-entry was refused with Reentrancy()).
contract Reenterer {
    Serving internal s;
    address internal provider;
    bytes4 public seen;
    uint256 public received;
    bool internal asProvider;

    function open(Serving s_, address provider_, uint256[2] calldata key) external payable {
        s = s_;
        provider = provider_;
        s_.addAccount{value: msg.value}(provider_, key);
    }

    function refund(uint256 amount) external {
        s.requestRefund(provider, amount);
    }

    function process() external {
        s.processRefund(provider);
    }

    function settle(Serving s_, Serving.SettlementProof[] calldata ps) external {
        s = s_;
        asProvider = true;
        s_.settleFees(ps);
    }

    receive() external payable {
        received += msg.value;
        if (asProvider) {
            try s.settleFees(new Serving.SettlementProof[](1)) {} catch (bytes memory err) {
                seen = bytes4(err);
            }
        } else {
            try s.processRefund(provider) {} catch (bytes memory err) {
                seen = bytes4(err);
            }
        }
    }
}
