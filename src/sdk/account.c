/* account.c - the customer's account life cycle (see zg/account.h). */
#include "zg/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/amount.h"
#include "base/hex.h"
#include "sdk/client_internal.h"

static int parse_amount(const char *wei, zg_u256 *v, const char *what, zg_err *e)
{
    int rc = zg_u256_from_dec(v, wei ? wei : "", e);
    return rc ? zg_err_wrap(e, rc, "%s (decimal wei)", what) : ZG_OK;
}

static int parse_provider(const char *provider, zg_address *p, zg_err *e)
{
    int rc = zg_address_parse(provider ? provider : "", p, e);
    return rc ? zg_err_wrap(e, rc, "provider address") : ZG_OK;
}

static int exists(zg_client *c, const zg_address *user, const zg_address *p, int *yes, zg_err *e)
{
    zg_sdk_rpc_lock(c);
    int rc = zg_serving_account_exists(&c->serving, user, p, yes, e);
    zg_sdk_rpc_unlock(c);
    return rc;
}

static int not_found(zg_client *c, const zg_address *user, const zg_address *p, zg_err *e)
{
    char u[ZG_ADDR_MAX], a[ZG_ADDR_MAX];
    zg_address_to_checksum(user, u);
    zg_address_to_checksum(p, a);
    return zg_err_set(e, ZG_ENOTFOUND, "%s has no account with provider %s (create one with `zg account create`)",
                      u, a);
}

/* The wallet can pay value plus gas: ZG_EFUNDS with both figures if not. */
static int wallet_covers(zg_client *c, const zg_u256 *value, zg_err *e)
{
    zg_u256 bal;
    zg_sdk_rpc_lock(c);
    int rc = zg_rpc_balance(c->rpc, &c->user, &bal, e);
    zg_sdk_rpc_unlock(c);
    if (rc || zg_u256_cmp(&bal, value) > 0)
        return rc;
    char have[ZG_AMOUNT_STR_MAX], need[ZG_AMOUNT_STR_MAX];
    zg_amount_format(&bal, have);
    zg_amount_format(value, need);
    return zg_err_set(e, ZG_EFUNDS, "insufficient funds: wallet %s holds %s, the transaction needs %s plus gas",
                      c->user_str, have, need);
}

int zg_account_create(zg_client *c, const char *provider, const char *deposit_wei, char tx[ZG_HASH_MAX],
                      zg_err *e)
{
    zg_address p;
    zg_u256 value, signer[2];
    uint8_t x[32], y[32];
    int rc, yes = 0;
    if ((rc = zg_sdk_need_wallet(c, e)) || (rc = parse_provider(provider, &p, e)) ||
        (rc = parse_amount(deposit_wei ? deposit_wei : "0", &value, "deposit", e)))
        return rc;
    /* Checks first, so that a refused creation sends nothing. */
    if ((rc = zg_sdk_provider_known(c, &p, e)) || (rc = exists(c, &c->user, &p, &yes, e)))
        return rc;
    if (yes)
        return zg_err_set(e, ZG_ESTATE, "the account of %s with provider %s already exists "
                          "(add funds with `zg account deposit`)", c->user_str, provider);
    if ((rc = wallet_covers(c, &value, e)) || (rc = zg_sdk_signer_public(c, &p, x, y, e)))
        return rc;
    signer[0] = zg_u256_from_be(x);
    signer[1] = zg_u256_from_be(y);
    zg_rpc_receipt r;
    memset(&r, 0, sizeof r);
    zg_sdk_rpc_lock(c);
    rc = zg_serving_add_account(&c->serving, &c->key, &p, signer, &value, NULL, &r, e);
    zg_sdk_rpc_unlock(c);
    if (!rc)
        zg_sdk_tx_hex(&r, tx);
    zg_rpc_receipt_free(&r);
    return rc;
}

int zg_account_deposit(zg_client *c, const char *provider, const char *amount_wei, char tx[ZG_HASH_MAX],
                       zg_err *e)
{
    zg_address p;
    zg_u256 value;
    int rc, yes = 0;
    if ((rc = zg_sdk_need_wallet(c, e)) || (rc = parse_provider(provider, &p, e)) ||
        (rc = parse_amount(amount_wei, &value, "amount", e)))
        return rc;
    if (zg_u256_is_zero(&value))
        return zg_err_set(e, ZG_EINVAL, "the deposit must be above 0");
    if ((rc = exists(c, &c->user, &p, &yes, e)))
        return rc;
    if (!yes)
        return not_found(c, &c->user, &p, e);
    if ((rc = wallet_covers(c, &value, e)))
        return rc;
    zg_rpc_receipt r;
    memset(&r, 0, sizeof r);
    zg_sdk_rpc_lock(c);
    rc = zg_serving_deposit_fund(&c->serving, &c->key, &p, &value, NULL, &r, e);
    zg_sdk_rpc_unlock(c);
    if (!rc)
        zg_sdk_tx_hex(&r, tx);
    zg_rpc_receipt_free(&r);
    return rc;
}

static void fill(zg_account *out, const zg_account_info *a)
{
    uint8_t be[32];
    zg_u256 avail;
    memset(out, 0, sizeof *out);
    zg_address_to_checksum(&a->user, out->user);
    zg_address_to_checksum(&a->provider, out->provider);
    zg_u256_to_dec(&a->balance, out->balance);
    zg_u256_to_dec(&a->pending_refund, out->pending_refund);
    if (zg_u256_sub(&avail, &a->balance, &a->pending_refund))
        avail = zg_u256_from_u64(0);
    zg_u256_to_dec(&avail, out->available);
    out->nonce = a->nonce;
    zg_u256_to_be(be, &a->signer[0]);
    zg_hex_encode(be, 32, out->signer_x);
    zg_u256_to_be(be, &a->signer[1]);
    zg_hex_encode(be, 32, out->signer_y);
}

/* Adds the unprocessed refunds (at most 16, the contract's limit). */
static int add_refunds(zg_client *c, const zg_account_info *a, zg_account *out, zg_err *e)
{
    if (a->refund_count == a->refund_head)
        return ZG_OK;
    zg_refund *list = NULL;
    size_t n = 0;
    uint64_t total = 0, lock = 0;
    zg_sdk_rpc_lock(c);
    int rc = zg_serving_lock_time(&c->serving, &lock, e);
    if (!rc)
        rc = zg_serving_get_refunds(&c->serving, &a->user, &a->provider, a->refund_head, 16, &list, &n,
                                    &total, e);
    zg_sdk_rpc_unlock(c);
    for (size_t i = 0; !rc && i < n && out->n_refunds < 16; i++) {
        zg_account_refund *r = &out->refunds[out->n_refunds++];
        zg_u256_to_dec(&list[i].amount, r->amount);
        r->created_at = list[i].created_at;
        r->matures_at = list[i].created_at + lock;
        r->processed = list[i].processed;
    }
    free(list);
    return rc;
}

int zg_account_get(zg_client *c, const char *user, const char *provider, zg_account *out, zg_err *e)
{
    zg_address u, p;
    int rc, yes = 0;
    memset(out, 0, sizeof *out);
    if (user) {
        if ((rc = zg_address_parse(user, &u, e)))
            return zg_err_wrap(e, rc, "user address");
    } else {
        if ((rc = zg_sdk_need_wallet(c, e)))
            return rc;
        u = c->user;
    }
    if ((rc = parse_provider(provider, &p, e)) || (rc = exists(c, &u, &p, &yes, e)))
        return rc;
    if (!yes)
        return not_found(c, &u, &p, e);
    zg_account_info a;
    zg_sdk_rpc_lock(c);
    rc = zg_serving_get_account(&c->serving, &u, &p, &a, e);
    zg_sdk_rpc_unlock(c);
    if (rc)
        return rc;
    fill(out, &a);
    return add_refunds(c, &a, out, e);
}

int zg_account_list(zg_client *c, zg_account *out, size_t max, size_t *n, zg_err *e)
{
    *n = 0;
    int rc = zg_sdk_need_wallet(c, e);
    if (rc)
        return rc;
    zg_account_info *list = NULL;
    size_t k = 0;
    uint64_t total = 0;
    zg_sdk_rpc_lock(c);
    rc = zg_serving_get_accounts_of_user(&c->serving, &c->user, 0, max < ZG_SERVING_MAX_PAGE ? max : ZG_SERVING_MAX_PAGE,
                                         &list, &k, &total, e);
    zg_sdk_rpc_unlock(c);
    for (size_t i = 0; !rc && i < k && i < max; i++) {
        fill(&out[i], &list[i]);
        rc = add_refunds(c, &list[i], &out[i], e);
        *n = i + 1;
    }
    free(list);
    return rc;
}

int zg_account_refund_request(zg_client *c, const char *provider, const char *amount_wei,
                              char tx[ZG_HASH_MAX], zg_err *e)
{
    zg_address p;
    zg_u256 value, avail;
    zg_account a;
    int rc;
    if ((rc = parse_provider(provider, &p, e)) || (rc = parse_amount(amount_wei, &value, "amount", e)) ||
        (rc = zg_account_get(c, NULL, provider, &a, e)) || (rc = zg_u256_from_dec(&avail, a.available, e)))
        return rc;
    if (zg_u256_is_zero(&value) || zg_u256_cmp(&value, &avail) > 0) {
        char want[ZG_AMOUNT_STR_MAX], have[ZG_AMOUNT_STR_MAX];
        zg_amount_format(&value, want);
        zg_amount_format(&avail, have);
        return zg_err_set(e, zg_u256_is_zero(&value) ? ZG_EINVAL : ZG_EFUNDS,
                          "cannot refund %s: the account has %s available (balance minus pending refunds)",
                          want, have);
    }
    zg_rpc_receipt r;
    memset(&r, 0, sizeof r);
    zg_sdk_rpc_lock(c);
    rc = zg_serving_request_refund(&c->serving, &c->key, &p, &value, NULL, &r, e);
    zg_sdk_rpc_unlock(c);
    if (!rc)
        zg_sdk_tx_hex(&r, tx);
    zg_rpc_receipt_free(&r);
    return rc;
}

int zg_account_refund_process(zg_client *c, const char *provider, char tx[ZG_HASH_MAX], zg_err *e)
{
    zg_address p;
    zg_account a;
    int rc;
    if ((rc = parse_provider(provider, &p, e)) || (rc = zg_account_get(c, NULL, provider, &a, e)))
        return rc;
    zg_rpc_receipt r;
    memset(&r, 0, sizeof r);
    zg_sdk_rpc_lock(c);
    rc = zg_serving_process_refund(&c->serving, &c->key, &p, NULL, &r, e);
    int which = rc == ZG_EREVERT ? (int)zg_serving_last_error(&c->serving) : 0;
    zg_sdk_rpc_unlock(c);
    if (rc == ZG_EREVERT && which == ZG_SE_NO_REFUND_DUE) {
        char why[ZG_ERR_MSG_MAX];
        snprintf(why, sizeof why, "%s", e ? e->msg : "");
        rc = zg_err_set(e, ZG_ESTATE, "no refund has matured yet (each matures lockTime after its request): %.400s",
                        why);
    }
    if (!rc)
        zg_sdk_tx_hex(&r, tx);
    zg_rpc_receipt_free(&r);
    return rc;
}
