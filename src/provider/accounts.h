/*
 * provider/accounts.h - the broker's in-memory view of its customers' accounts.
 *
 * Per customer: the on-chain account (balance, pending refund, settled nonce,
 * signer), read lazily from the contract and refreshed on a miss, on a failed
 * balance check, after a settlement and when too old; and the broker's own
 * books: the last accepted nonce, unsettled fees, reserves of answers still
 * running, and the output fee the next request must pay. The request path
 * checks and books a request under one lock, so concurrent requests of one
 * customer can never together overdraw the deposit.
 */
#ifndef ZG_PROVIDER_ACCOUNTS_H
#define ZG_PROVIDER_ACCOUNTS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "zg/error.h"

/* What the contract says about (user, this provider). */
typedef struct zg_chain_account {
    int exists;
    zg_u256 balance;
    zg_u256 pending_refund;
    uint64_t nonce;             /* last settled receipt nonce */
    uint8_t signer[64];         /* Baby Jubjub public key x || y, 32-byte big-endian each */
    uint64_t refund_matures_at; /* unix seconds of the earliest unprocessed refund maturing; 0 none */
} zg_chain_account;

/* Reads an account from the chain. ZG_OK with exists = 0 when there is none. */
typedef int (*zg_chain_account_fn)(void *ctx, const uint8_t user[20], zg_chain_account *out, zg_err *e);

typedef struct zg_acct {
    uint8_t user[20];
    zg_chain_account chain;
    int64_t refreshed_ms;
    uint64_t last_nonce;       /* highest accepted (stored) nonce, >= chain.nonce */
    zg_u256 unsettled;         /* fees of stored receipts above chain.nonce */
    zg_u256 reserved;          /* output reserves of answers in flight */
    zg_u256 owed;              /* output fees of finished answers not yet paid */
    int64_t oldest_ms;         /* created_ms of the oldest unsettled receipt; 0 none */
    uint32_t inflight;
} zg_acct;

typedef struct zg_accts zg_accts;

int zg_accts_new(zg_accts **out, zg_chain_account_fn fetch, void *fetch_ctx, uint64_t refresh_s);
void zg_accts_free(zg_accts *t);

/* What a request asks of an account, and what booking it undid/changed. */
typedef struct zg_admit {
    uint64_t nonce;
    zg_u256 fee, input_fee, prev_output_fee;
    zg_u256 min_input_fee;     /* units_in * inputPrice */
    zg_u256 reserve;           /* max output * outputPrice */
    int64_t now_ms;
    /* set on success, for zg_accts_rollback */
    uint64_t prev_last_nonce;
    zg_u256 prev_owed;
} zg_admit;

/* Makes sure the account is cached (fetching it on a miss or when stale)
 * and copies its signer. ZG_OK; ZG_ENOTFOUND when it does not exist on chain;
 * ZG_ERPC when the chain cannot be read. */
int zg_accts_signer(zg_accts *t, const uint8_t user[20], uint8_t signer[64], zg_err *e);

/* The nonce, fee and balance checks, then the booking, atomically. Returns
 * ZG_OK, or a zg_proto code (ZG_PROTO_NONCE_REUSED, ZG_PROTO_FEE_MISMATCH, ZG_PROTO_INPUT_FEE_LOW,
 * ZG_PROTO_OUTPUT_FEE_OWED, ZG_PROTO_INSUFFICIENT_BALANCE) with e->msg, and
 * then nothing changed. A failed balance check re-reads the chain once. */
int zg_accts_admit(zg_accts *t, const uint8_t user[20], zg_admit *a, zg_err *e);

/* Undoes an admission whose answer never began (its receipt is dropped).
 * *owed_out gets the owed amount to persist. */
void zg_accts_rollback(zg_accts *t, const uint8_t user[20], const zg_admit *a, zg_u256 *owed_out);

/* An answer finished: frees its reserve and adds its output fee to what the
 * next request owes. *owed_out gets the new owed amount. */
void zg_accts_answered(zg_accts *t, const uint8_t user[20], const zg_u256 *reserve,
                       const zg_u256 *output_fee, zg_u256 *owed_out);

/* Restores the books at start-up from the receipt store. */
void zg_accts_restore(zg_accts *t, const uint8_t user[20], uint64_t last_nonce,
                      const zg_u256 *unsettled, const zg_u256 *owed, int64_t oldest_ms);

/* After a settlement is mined (or a refresh shows a higher chain nonce):
 * receipts up to nonce are paid; their fees leave unsettled. */
void zg_accts_settled(zg_accts *t, const uint8_t user[20], uint64_t nonce, const zg_u256 *paid,
                      int64_t oldest_ms_left);

/* Forces a re-read from the chain (events, admin). */
int zg_accts_refresh(zg_accts *t, const uint8_t user[20], zg_err *e);

/* 1 when the account is in the cache (events refresh only those). */
int zg_accts_is_cached(zg_accts *t, const uint8_t user[20]);

/* Copies of every cached account (caller frees *out). */
int zg_accts_snapshot(zg_accts *t, zg_acct **out, size_t *n);

/* One account's copy; ZG_ENOTFOUND when not cached. */
int zg_accts_get(zg_accts *t, const uint8_t user[20], zg_acct *out);

#endif
