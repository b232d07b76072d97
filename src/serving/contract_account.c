/* contract_account.c - accounts and refunds of Serving.sol (see contract.h). */
#include <stdlib.h>
#include <string.h>

#include "serving/contract_internal.h"

int zg_serving_add_account(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                           const zg_u256 signer[2], const zg_u256 *value,
                           const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e)
{
    json_t *args = json_pack("[o,[o,o]]", zg_sv_json_addr(provider), zg_sv_json_u256(&signer[0]),
                             zg_sv_json_u256(&signer[1]));
    return zg_sv_send(s, k, value, "addAccount(address,uint256[2])", args, opts, rc, e);
}

int zg_serving_deposit_fund(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                            const zg_u256 *value, const zg_send_opts *opts, zg_rpc_receipt *rc,
                            zg_err *e)
{
    return zg_sv_send(s, k, value, "depositFund(address)", json_pack("[o]", zg_sv_json_addr(provider)),
                      opts, rc, e);
}

int zg_serving_request_refund(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                              const zg_u256 *amount, const zg_send_opts *opts, zg_rpc_receipt *rc,
                              zg_err *e)
{
    return zg_sv_send(s, k, NULL, "requestRefund(address,uint256)",
                      json_pack("[o,o]", zg_sv_json_addr(provider), zg_sv_json_u256(amount)), opts, rc,
                      e);
}

int zg_serving_process_refund(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                              const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e)
{
    return zg_sv_send(s, k, NULL, "processRefund(address)", json_pack("[o]", zg_sv_json_addr(provider)),
                      opts, rc, e);
}

int zg_serving_delete_account(const zg_serving *s, const zg_eth_key *k, const zg_address *provider,
                              const zg_send_opts *opts, zg_rpc_receipt *rc, zg_err *e)
{
    return zg_sv_send(s, k, NULL, "deleteAccount(address)", json_pack("[o]", zg_sv_json_addr(provider)),
                      opts, rc, e);
}

static json_t *pair(const zg_address *a, const zg_address *b)
{
    return json_pack("[o,o]", zg_sv_json_addr(a), zg_sv_json_addr(b));
}

int zg_serving_get_account(const zg_serving *s, const zg_address *user, const zg_address *provider,
                           zg_account_info *out, zg_err *e)
{
    zg_abi_value *v = NULL;
    memset(out, 0, sizeof *out);
    int rc = zg_sv_view(s, "getAccount(address,address)(" ZG_T_ACCOUNT ")", pair(user, provider), &v, e);
    if (!rc)
        rc = zg_sv_account_from(zg_abi_at(v, 0), out, e);
    zg_abi_value_free(v);
    return rc;
}

int zg_serving_account_exists(const zg_serving *s, const zg_address *user,
                              const zg_address *provider, int *exists, zg_err *e)
{
    zg_abi_value *v = NULL;
    int rc = zg_sv_view(s, "accountExists(address,address)(bool)", pair(user, provider), &v, e);
    if (!rc)
        rc = zg_abi_get_bool(zg_abi_at(v, 0), exists, e);
    zg_abi_value_free(v);
    return rc;
}

int zg_serving_settled_nonce(const zg_serving *s, const zg_address *user,
                             const zg_address *provider, uint64_t *nonce, zg_err *e)
{
    zg_abi_value *v = NULL;
    int rc = zg_sv_view(s, "settledNonce(address,address)(uint64)", pair(user, provider), &v, e);
    if (!rc)
        rc = zg_abi_get_u64(zg_abi_at(v, 0), nonce, e);
    zg_abi_value_free(v);
    return rc;
}

/* Shared by the two account list views: (AccountInfo[] page, uint256 total). */
static int account_from(const zg_abi_value *v, void *elem, zg_err *e)
{
    return zg_sv_account_from(v, elem, e);
}

static int refund_from(const zg_abi_value *v, void *elem, zg_err *e)
{
    return zg_sv_refund_from(v, elem, e);
}

static void free_plain(void *list, size_t n)
{
    (void)n;
    free(list);
}

static const zg_sv_page_kind account_kind = {sizeof(zg_account_info), account_from, free_plain};
static const zg_sv_page_kind refund_kind = {sizeof(zg_refund), refund_from, free_plain};

static int account_page(const zg_serving *s, const char *sig, const zg_address *who,
                        uint64_t offset, uint64_t limit, zg_account_info **list, size_t *n,
                        uint64_t *total, zg_err *e)
{
    zg_abi_value *v = NULL;
    *list = NULL;
    *n = 0;
    int rc = zg_sv_view(s, sig, json_pack("[o,o,o]", zg_sv_json_addr(who), zg_sv_json_u64(offset),
                                          zg_sv_json_u64(limit)), &v, e);
    void *page = NULL;
    if (!rc)
        rc = zg_sv_page(v, &account_kind, &page, n, total, e);
    zg_abi_value_free(v);
    *list = page;
    return rc;
}

int zg_serving_get_accounts_of_user(const zg_serving *s, const zg_address *user, uint64_t offset,
                                    uint64_t limit, zg_account_info **list, size_t *n,
                                    uint64_t *total, zg_err *e)
{
    return account_page(s, "getAccountsOfUser(address,uint256,uint256)(" ZG_T_ACCOUNT "[],uint256)",
                        user, offset, limit, list, n, total, e);
}

int zg_serving_get_accounts_of_provider(const zg_serving *s, const zg_address *provider,
                                        uint64_t offset, uint64_t limit, zg_account_info **list,
                                        size_t *n, uint64_t *total, zg_err *e)
{
    return account_page(s, "getAccountsOfProvider(address,uint256,uint256)(" ZG_T_ACCOUNT "[],uint256)",
                        provider, offset, limit, list, n, total, e);
}

int zg_serving_get_refunds(const zg_serving *s, const zg_address *user, const zg_address *provider,
                           uint64_t offset, uint64_t limit, zg_refund **list, size_t *n,
                           uint64_t *total, zg_err *e)
{
    zg_abi_value *v = NULL;
    *list = NULL;
    *n = 0;
    int rc = zg_sv_view(s, "getRefunds(address,address,uint256,uint256)(" ZG_T_REFUND "[],uint256)",
                        json_pack("[o,o,o,o]", zg_sv_json_addr(user), zg_sv_json_addr(provider),
                                  zg_sv_json_u64(offset), zg_sv_json_u64(limit)), &v, e);
    if (rc)
        return rc;
    void *page = NULL;
    rc = zg_sv_page(v, &refund_kind, &page, n, total, e);
    zg_abi_value_free(v);
    *list = page;
    return rc;
}

int zg_serving_lock_time(const zg_serving *s, uint64_t *out, zg_err *e)
{
    zg_abi_value *v = NULL;
    int rc = zg_sv_view(s, "lockTime()(uint256)", json_array(), &v, e);
    if (!rc)
        rc = zg_abi_get_u64(zg_abi_at(v, 0), out, e);
    zg_abi_value_free(v);
    return rc;
}

int zg_serving_circuit_sizes(const zg_serving *s, uint32_t **sizes, size_t *n, zg_err *e)
{
    zg_abi_value *v = NULL;
    *sizes = NULL;
    *n = 0;
    int rc = zg_sv_view(s, "circuitSizes()(uint32[])", json_array(), &v, e);
    if (rc)
        return rc;
    const zg_abi_value *arr = zg_abi_at(v, 0);
    size_t count = zg_abi_count(arr);
    uint32_t *out = count ? calloc(count, sizeof *out) : NULL;
    if (count && !out)
        rc = zg_err_set(e, ZG_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++) {
        uint64_t x;
        rc = zg_abi_get_u64(zg_abi_at(arr, i), &x, e);
        out[i] = (uint32_t)x;
    }
    zg_abi_value_free(v);
    if (rc) {
        free(out);
        return rc;
    }
    *sizes = out;
    *n = count;
    return ZG_OK;
}

int zg_serving_verifier_of(const zg_serving *s, uint32_t slots, zg_address *out, zg_err *e)
{
    zg_abi_value *v = NULL;
    int rc = zg_sv_view(s, "verifierOf(uint32)(address)", json_pack("[o]", zg_sv_json_u64(slots)), &v, e);
    if (!rc)
        rc = zg_abi_get_address(zg_abi_at(v, 0), out, e);
    zg_abi_value_free(v);
    return rc;
}
