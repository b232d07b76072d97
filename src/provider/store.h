/*
 * provider/store.h - the broker's durable state in SQLite (WAL mode).
 *
 * Tables: receipts (every accepted signed request, the thing the provider is
 * paid for; settled ones are kept until zg_store_delete_settled), accounts
 * (what each customer owes for the last answer and the cached chain view),
 * settlements (each settleFees transaction and its fate).
 *
 * Writes from the request path (receipts, output fees, dropped receipts) are
 * appended to the receipt journal (journal.h) on the caller's thread, and a
 * background thread applies them to SQLite, many per transaction. A request
 * waits for its receipt's callback before it goes upstream: with
 * synchronous=normal the callback runs at once, the receipt being in the
 * journal (it survives a crash or SIGKILL of the broker); with
 * synchronous=full it runs after the next fdatasync of the journal, shared by
 * every write appended before it (it survives a power loss). Opening the
 * store applies whatever the journal holds beyond SQLite. Reads (start-up,
 * admin API, settlement) use their own connection and see every write made
 * before them.
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

/* Called once the write is durable (rc ZG_OK): on the caller's thread with
 * synchronous=normal, on the sync thread with full (quick: hand the result to
 * the owner's event loop). After a failed sync it is never called: see
 * zg_store_health. */
typedef void (*zg_store_done_fn)(void *arg, int rc);

/* Opens (creating if needed) the database and its journal, applying what the
 * journal holds beyond the database. sync_full: journal and database survive
 * a power loss (fdatasync) instead of a crash of the process only.
 * max_batch bounds the writes per SQLite transaction. */
int zg_store_open(zg_store **out, const char *path, int sync_full, size_t max_batch, zg_err *e);

/* Commits what is queued, stops the writer, closes. s may be NULL. */
void zg_store_close(zg_store *s);

/* Journals the receipt; done(arg, ZG_OK) once it is durable. ZG_EIO if the
 * journal cannot be written (nothing was), ZG_ENOMEM, ZG_ESTATE if closing. */
int zg_store_put_receipt(zg_store *s, const zg_store_receipt *r, zg_store_done_fn done, void *arg);

/* Journals: receipt (user, nonce) answered with units/fee; the account now
 * owes owed (the output fee the next request must pay). No callback. */
int zg_store_record_output(zg_store *s, const uint8_t user[20], uint64_t nonce, uint64_t units,
                           const zg_u256 *fee, const zg_u256 *owed);

/* Journals the removal of a receipt whose answer never began (upstream
 * failed before answering), restoring the account's owed amount; done (may
 * be NULL) once durable. */
int zg_store_drop_receipt(zg_store *s, const uint8_t user[20], uint64_t nonce, const zg_u256 *owed,
                          zg_store_done_fn done, void *arg);

/* Runs fn(db, arg) inside the next SQLite transaction on the writer thread
 * (after every write queued before it) and waits for the commit; returns
 * fn's result (non-zero rolls its writes back) or the commit's failure. For
 * the settlement loop's bookkeeping. */
struct sqlite3;
int zg_store_exec(zg_store *s, int (*fn)(struct sqlite3 *db, void *arg), void *arg);

/* The read connection (serialized by the caller through zg_store_read_lock). */
struct sqlite3 *zg_store_read_lock(zg_store *s);
void zg_store_read_unlock(zg_store *s);

/* What a customer's unsettled receipts add up to. */
typedef struct zg_store_unsettled {
    uint64_t last_nonce;   /* highest stored nonce, settled or not (0: none) */
    zg_u256 fees;          /* sum of the unsettled receipts' fees */
    int64_t oldest_ms;     /* created_ms of the oldest unsettled receipt (0: none) */
} zg_store_unsettled;

/* Reads it from db: the read connection (under zg_store_read_lock) or the
 * writer's (inside zg_store_exec). Its cost does not grow with the settled
 * receipts the store keeps. */
int zg_store_read_unsettled(struct sqlite3 *db, const uint8_t user[20], zg_store_unsettled *out, zg_err *e);

/* Calls fn once for every customer with receipts or an accounts row, in no
 * set order, without reading every receipt; stops at fn's first error and
 * returns it. */
typedef int (*zg_store_user_fn)(void *arg, const uint8_t user[20], zg_err *e);
int zg_store_each_user(struct sqlite3 *db, zg_store_user_fn fn, void *arg, zg_err *e);

/* Deletes up to max settled receipts created before before_ms, in one
 * transaction on the writer thread; *deleted gets how many. Unsettled
 * receipts are never deleted. ZG_EIO with why if the database failed. */
int zg_store_delete_settled(zg_store *s, int64_t before_ms, size_t max, size_t *deleted, zg_err *e);

/* Counters for metrics: SQLite commits and writes committed so far, writes
 * journaled but not yet in SQLite. */
void zg_store_stats(zg_store *s, uint64_t *commits, uint64_t *writes, uint64_t *queued);

/* ZG_OK while writes are accepted; else ZG_EIO and why (the journal could not
 * be written or synced): the broker must be restarted once the disk is fixed. */
int zg_store_health(zg_store *s, char *why, size_t cap);

/* Encoding helpers shared by the store's readers: nonces are stored as
 * 8-byte big-endian blobs (so SQLite orders them as unsigned 64-bit), fees as
 * decimal text. */
void zg_store_nonce_be(uint64_t nonce, uint8_t out[8]);
uint64_t zg_store_nonce_from_be(const void *p, int len);

#endif
