/*
 * provider/store.h - the broker's durable state in SQLite (WAL mode).
 *
 * Tables: receipts (every accepted signed request, the thing the provider is
 * paid for), accounts (what each customer owes for the last answer and the
 * cached chain view), settlements (each settleFees transaction and its fate).
 *
 * Writes go through one writer thread that commits in groups: every write
 * queued while the previous commit was running lands in the next transaction,
 * so one fsync covers many requests (group commit). A request waits for its
 * receipt's commit callback before it goes upstream: an accepted request is
 * never lost, even if the broker is killed right after. Each write runs in
 * its own SAVEPOINT, so one failing write does not undo its neighbours.
 * Reads (start-up, admin API, settlement) use their own connection.
 */
#ifndef ZG_PROVIDER_STORE_H
#define ZG_PROVIDER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/u256.h"
#include "zg/error.h"

typedef struct zg_store zg_store;

enum zg_receipt_status {
    ZG_RECEIPT_ACCEPTED = 0,  /* stored; answer not finished (or broker died) */
    ZG_RECEIPT_ANSWERED = 1,  /* answer finished, output fee recorded */
    ZG_RECEIPT_SETTLED = 2    /* paid on chain (tx mined) */
};

typedef struct zg_store_receipt {
    uint8_t user[20];
    uint64_t nonce;
    char service[64];
    zg_u256 fee, input_fee, prev_output_fee;
    uint8_t request_hash[32];   /* SHA-256 of the body; the receipt uses the first 31 bytes */
    uint8_t signature[64];      /* packed EdDSA-Poseidon signature */
    int64_t created_ms;
    uint64_t output_units;
    zg_u256 output_fee;
    int status;
    int64_t settlement_id;      /* 0 until settled */
} zg_store_receipt;

/* Called on the writer thread once the write is committed (rc ZG_OK) or has
 * failed. Must be quick: hand the result to the owner's event loop. */
typedef void (*zg_store_done_fn)(void *arg, int rc);

/* Opens (creating if needed) the database. sync_full: PRAGMA synchronous=FULL
 * (a commit survives power loss) instead of NORMAL (survives a process
 * crash). max_batch bounds the writes per transaction. */
int zg_store_open(zg_store **out, const char *path, int sync_full, size_t max_batch, zg_err *e);

/* Commits what is queued, stops the writer, closes. s may be NULL. */
void zg_store_close(zg_store *s);

/* Queues the receipt; done(arg, rc) after its commit. ZG_ENOMEM. */
int zg_store_put_receipt(zg_store *s, const zg_store_receipt *r, zg_store_done_fn done, void *arg);

/* Queues: receipt (user, nonce) answered with units/fee; the account now owes
 * owed (the output fee the next request must pay). No callback. */
int zg_store_record_output(zg_store *s, const uint8_t user[20], uint64_t nonce, uint64_t units,
                           const zg_u256 *fee, const zg_u256 *owed);

/* Queues the removal of a receipt whose answer never began (upstream failed
 * before answering), restoring the account's owed amount; done (may be NULL)
 * after the commit. */
int zg_store_drop_receipt(zg_store *s, const uint8_t user[20], uint64_t nonce, const zg_u256 *owed,
                          zg_store_done_fn done, void *arg);

/* Runs fn(db, arg) inside the next group transaction on the writer thread and
 * waits for the commit; returns fn's result (non-zero rolls its writes back)
 * or the commit's failure. For the settlement loop's bookkeeping. */
struct sqlite3;
int zg_store_exec(zg_store *s, int (*fn)(struct sqlite3 *db, void *arg), void *arg);

/* The read connection (serialized by the caller through zg_store_read_lock). */
struct sqlite3 *zg_store_read_lock(zg_store *s);
void zg_store_read_unlock(zg_store *s);

/* Counters for metrics: commits and writes committed so far. */
void zg_store_stats(zg_store *s, uint64_t *commits, uint64_t *writes, uint64_t *queued);

/* Encoding helpers shared by the store's readers: nonces are stored as
 * 8-byte big-endian blobs (so SQLite orders them as unsigned 64-bit), fees as
 * decimal text. */
void zg_store_nonce_be(uint64_t nonce, uint8_t out[8]);
uint64_t zg_store_nonce_from_be(const void *p, int len);

#endif
