/*
 * zg/account.h - a customer's prepaid account with one provider.
 *
 * An account is keyed by (customer wallet, provider). It holds a balance the
 * provider is paid from when it settles signed receipts, a pending refund
 * that matures after the contract's lockTime, the last settled nonce and the
 * customer's Baby Jubjub signer key for this provider. The signer key is
 * derived from the wallet (nothing to store): the same wallet on any machine
 * signs for the same account.
 *
 *   char tx[ZG_HASH_MAX];
 *   zg_account_create(c, provider, "1000000000000000000", tx, &err);  // 1 eth
 *   zg_account a; zg_account_get(c, NULL, provider, &a, &err);
 *
 * Each call that sends a transaction waits until it is mined and returns its
 * hash in tx (may be NULL). A reverted transaction is ZG_EREVERT with the
 * contract's error decoded ("AccountExists(0x.., 0x..)"); nothing is sent when
 * a check made beforehand fails (ZG_ESTATE, ZG_EFUNDS).
 */
#ifndef ZG_ACCOUNT_H
#define ZG_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "zg/client.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct zg_account_refund {
    char amount[ZG_WEI_MAX];
    uint64_t created_at;      /* unix seconds */
    uint64_t matures_at;      /* created_at + lockTime */
    int processed;
} zg_account_refund;

typedef struct zg_account {
    char user[ZG_ADDR_MAX];
    char provider[ZG_ADDR_MAX];
    char balance[ZG_WEI_MAX];         /* includes pending refunds */
    char pending_refund[ZG_WEI_MAX];
    char available[ZG_WEI_MAX];       /* balance - pending_refund */
    uint64_t nonce;                   /* last settled receipt nonce */
    char signer_x[ZG_HASH_MAX], signer_y[ZG_HASH_MAX]; /* Baby Jubjub point, hex */
    zg_account_refund refunds[16];
    size_t n_refunds;
} zg_account;

/* Creates the wallet's account with provider, registering the derived signer
 * key, and deposits deposit_wei (may be "0"). ZG_ESTATE if it exists. */
int zg_account_create(zg_client *c, const char *provider, const char *deposit_wei,
                      char tx[ZG_HASH_MAX], zg_err *e);

/* Adds amount_wei (> 0) to the account. ZG_ENOTFOUND if there is no account. */
int zg_account_deposit(zg_client *c, const char *provider, const char *amount_wei,
                       char tx[ZG_HASH_MAX], zg_err *e);

/* Reads the account of user (NULL: the wallet) with provider.
 * ZG_ENOTFOUND if it does not exist. */
int zg_account_get(zg_client *c, const char *user, const char *provider,
                   zg_account *out, zg_err *e);

/* Lists the wallet's accounts (up to max). */
int zg_account_list(zg_client *c, zg_account *out, size_t max, size_t *n, zg_err *e);

/* Asks for amount_wei back; it matures after lockTime. ZG_EFUNDS if above
 * the available balance. */
int zg_account_refund_request(zg_client *c, const char *provider, const char *amount_wei,
                              char tx[ZG_HASH_MAX], zg_err *e);

/* Pays out every matured refund. ZG_ESTATE ("no refund is due before ...")
 * when none has matured. */
int zg_account_refund_process(zg_client *c, const char *provider, char tx[ZG_HASH_MAX],
                              zg_err *e);

#ifdef __cplusplus
}
#endif
#endif
