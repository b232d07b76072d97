/*
 * provider/chain.h - the broker's link to the Serving contract: account
 * reads (zg_chain_account_fn), service registration at start, and
 * settleFees submission (zg_settle_submit_fn).
 *
 * Built over the contract's C bindings (serving/contract*.h, owned by the
 * contract engineer). A build without them (the bindings had not landed when
 * this was written) reports ZG_ESTATE from zg_pchain_new with an explicit
 * message; the broker then cannot run against a chain.
 */
#ifndef ZG_PROVIDER_CHAIN_H
#define ZG_PROVIDER_CHAIN_H

#include "eth/key.h"
#include "provider/accounts.h"
#include "provider/config.h"
#include "provider/settle.h"
#include "zg/error.h"

typedef struct zg_pchain zg_pchain;

/* Connects to cfg's RPC and contract with the provider key (copied). */
int zg_pchain_new(zg_pchain **out, const zg_pcfg *cfg, const zg_eth_key *key, zg_err *e);
void zg_pchain_free(zg_pchain *c);

/* addOrUpdateService for every configured service whose on-chain entry differs. */
int zg_pchain_register(zg_pchain *c, zg_err *e);

/* zg_chain_account_fn (ctx: zg_pchain). */
int zg_pchain_account(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e);

/* Follows the contract's events about this provider's accounts (deposits,
 * refunds, settlements, new and deleted accounts) from the current block on,
 * every chain.events_poll_s seconds on a thread of its own, and re-reads
 * each cached account they name, so a deposit or refund request shows at
 * once instead of at the next miss. ZG_OK (also when polling is off). */
int zg_pchain_follow(zg_pchain *c, zg_accts *accts, zg_err *e);

/* zg_settle_submit_fn (ctx: zg_pchain). */
int zg_pchain_settle(void *ctx, const zg_settle_proof *proofs, size_t n, uint8_t tx_hash[32], zg_err *e);

#endif
