/* contract_error.c - Serving.sol's custom errors as typed codes (contract.h). */
#include <string.h>

#include "eth/abi.h"
#include "serving/contract.h"

/* In declaration order of Serving.sol; index = zg_serving_error - 1. */
const char *const zg_serving_error_sigs[ZG_SE_COUNT - 1] = {
    "InvalidLockTime()",
    "NoVerifiers()",
    "LengthMismatch(uint256 sizes, uint256 verifiers)",
    "InvalidCircuitSize(uint256 slots)",
    "DuplicateCircuitSize(uint256 slots)",
    "VerifierNotContract(uint256 slots, address verifier)",
    "EmptyServiceName()",
    "FieldTooLong(string field, uint256 length, uint256 max)",
    "InvalidServiceType(uint8 serviceType)",
    "ServiceNotFound(address provider, string name)",
    "InvalidProvider()",
    "AccountExists(address user, address provider)",
    "AccountNotFound(address user, address provider)",
    "InvalidSigner(uint256 x, uint256 y)",
    "ZeroDeposit()",
    "InvalidRefundAmount(uint256 amount, uint256 available)",
    "TooManyPendingRefunds(uint256 max)",
    "NoRefundDue(uint256 nextMaturity)",
    "AccountNotEmpty(uint256 balance)",
    "EmptySettlement()",
    "UnknownCircuitSize(uint256 slots)",
    "NonceNotAbove(address user, uint64 firstNonce, uint64 settledNonce)",
    "BadNonceRange(uint64 firstNonce, uint64 lastNonce)",
    "TotalTooLarge(uint256 total)",
    "InsufficientBalance(address user, uint256 total, uint256 balance)",
    "InvalidProof(uint256 slots)",
    "TransferFailed(address to, uint256 amount)",
    "Reentrancy()",
};

static const char *const names[ZG_SE_COUNT - 1] = {
    "InvalidLockTime",
    "NoVerifiers",
    "LengthMismatch",
    "InvalidCircuitSize",
    "DuplicateCircuitSize",
    "VerifierNotContract",
    "EmptyServiceName",
    "FieldTooLong",
    "InvalidServiceType",
    "ServiceNotFound",
    "InvalidProvider",
    "AccountExists",
    "AccountNotFound",
    "InvalidSigner",
    "ZeroDeposit",
    "InvalidRefundAmount",
    "TooManyPendingRefunds",
    "NoRefundDue",
    "AccountNotEmpty",
    "EmptySettlement",
    "UnknownCircuitSize",
    "NonceNotAbove",
    "BadNonceRange",
    "TotalTooLarge",
    "InsufficientBalance",
    "InvalidProof",
    "TransferFailed",
    "Reentrancy",
};

const char *zg_serving_error_name(zg_serving_error code)
{
    if (code <= ZG_SE_NONE || code >= ZG_SE_COUNT)
        return "";
    return names[code - 1];
}

zg_serving_error zg_serving_error_from_revert(const uint8_t *data, size_t len)
{
    if (!data || len < 4)
        return ZG_SE_NONE;
    for (int i = 0; i < ZG_SE_COUNT - 1; i++) {
        uint8_t sel[4];
        if (zg_abi_selector(zg_serving_error_sigs[i], sel, NULL) == ZG_OK && memcmp(sel, data, 4) == 0)
            return (zg_serving_error)(i + 1);
    }
    return ZG_SE_NONE;
}

zg_serving_error zg_serving_last_error(const zg_serving *s)
{
    size_t len = 0;
    const uint8_t *d = zg_rpc_last_revert(s->rpc, &len);
    return zg_serving_error_from_revert(d, len);
}
