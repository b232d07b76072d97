/*
 * provider/settle.h - the settlement loop: turns stored receipts into
 * Groth16 proofs and settleFees transactions.
 *
 * When: an account is settled when its unsettled fees reach the threshold,
 * when its oldest unsettled receipt reaches max_age_s, when one of its refunds
 * matures within refund_margin_s (receipts signed before a refund request stay
 * payable only until it matures), and on demand (POST /admin/settle).
 *
 * How: per account, the chain is read first (settled nonce, balance, signer);
 * receipts at or below the settled nonce are already paid and are marked so
 * (pruning: this is what makes a retry after a crash idempotent). The rest,
 * in nonce order and as far as the balance covers, are cut into runs that fit
 * the circuit sizes (the largest size while many remain, then the smallest
 * size that holds the tail), one proof per run; up to max_proofs_per_tx
 * proofs go in one settleFees transaction. Receipts are marked settled only
 * after the transaction is mined successfully; a reverted or lost
 * transaction leaves them unsettled for the next round, and the chain nonce
 * check then makes sure that nothing is paid twice.
 *
 * Proving keys: proving_dir/settle_N.pk (zg_groth16_pk_save format), one
 * per circuit size N, from the same setup as the contract's verifiers.
 */
#ifndef ZG_PROVIDER_SETTLE_H
#define ZG_PROVIDER_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "provider/accounts.h"
#include "provider/config.h"
#include "provider/metrics.h"
#include "provider/store.h"
#include "zg/error.h"

/* One proof as settleFees takes it (Serving.SettlementProof). */
typedef struct zg_settle_proof {
    uint32_t slots;
    uint8_t user[20];
    uint64_t first_nonce, last_nonce;
    zg_u256 total;
    uint8_t proof[256];   /* uint256[8], EIP-197 order, big-endian words */
} zg_settle_proof;

/* Sends settleFees(proofs) and waits for it to be mined. ZG_OK: mined and
 * successful (tx_hash set). ZG_EREVERT: refused or reverted, nothing paid.
 * Anything else: the outcome is unknown; the next round reads the chain's
 * nonces before it proves again, so a transaction that did land is not paid
 * twice. */
typedef int (*zg_settle_submit_fn)(void *ctx, const zg_settle_proof *proofs, size_t n,
                                   uint8_t tx_hash[32], zg_err *e);

typedef struct zg_settler_opts {
    const zg_pcfg *cfg;
    zg_store *store;
    zg_accts *accts;
    zg_metrics *metrics;
    uint8_t provider[20];
    zg_settle_submit_fn submit;
    void *submit_ctx;
    int prove_threads;      /* 0: all CPUs */
} zg_settler_opts;

typedef struct zg_settler zg_settler;

int zg_settler_new(zg_settler **out, const zg_settler_opts *o, zg_err *e);

/* Starts the background loop (every settlement.interval_s). */
int zg_settler_start(zg_settler *s, zg_err *e);

/* One round now; force = settle every account with unsettled receipts.
 * summary_json (optional, malloc'ed): {"proofs":..,"receipts":..,"total":"..","txs":[..],"errors":[..]}.
 * Rounds never overlap (the loop and admin calls take turns). */
int zg_settler_run(zg_settler *s, int force, char **summary_json, zg_err *e);

/* zg_settle_now_fn for the broker's POST /admin/settle (ctx: zg_settler). */
int zg_settler_settle_now(void *ctx, char **summary_json, zg_err *e);

/* Stops the loop (finishing a round in progress) and frees. s may be NULL. */
void zg_settler_free(zg_settler *s);

/* Chooses the circuit size for the next run of `remaining` receipts:
 * the largest size <= remaining if remaining exceeds the largest size, else
 * the smallest size >= remaining. sizes need not be sorted. */
uint32_t zg_settle_pick_size(const uint32_t *sizes, size_t n, size_t remaining);

#endif
