/*
 * provider/store_unsettled.c - the reads of start-up and settlement: which
 * customers the store knows, and what each one's unsettled receipts add up
 * to.
 *
 * Settled receipts are kept, so after months a customer may have millions of
 * them and a handful open. Both reads here cost the same either way: the
 * open receipts are found through the receipts_open index (status, user,
 * nonce), the highest nonce at the end of the primary key, and the customers
 * by stepping the primary key one user at a time. Reading a customer's rows
 * through the primary key and skipping the settled ones would take a time
 * that grows with the history (bench_restore measures both).
 */
#include <sqlite3.h>
#include <string.h>

#include "provider/store.h"

/* INDEXED BY makes the plan a promise: without statistics SQLite would pick
 * the primary key for user=? (an equality on its first column) and walk the
 * whole history; with the index named, a query the index cannot serve fails
 * to prepare instead of quietly scanning. */
static const char open_sql[] =
    "SELECT fee, created_ms FROM receipts INDEXED BY receipts_open WHERE status IN (0, 1) AND user=?";
static const char last_sql[] = "SELECT MAX(nonce) FROM receipts WHERE user=?";

/* Every user with receipts: the smallest, then repeatedly the smallest above
 * the last one (a skip scan, one primary-key search per user); and every user
 * with an accounts row. */
static const char users_sql[] =
    "WITH RECURSIVE u(user) AS (SELECT MIN(user) FROM receipts"
    " UNION ALL SELECT (SELECT MIN(user) FROM receipts WHERE user > u.user) FROM u WHERE u.user IS NOT NULL)"
    " SELECT user FROM u WHERE user IS NOT NULL UNION SELECT user FROM accounts";

static int prepare_for_user(sqlite3 *db, const char *sql, const uint8_t user[20], sqlite3_stmt **st, zg_err *e)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_blob(*st, 1, user, 20, SQLITE_STATIC);
    return ZG_OK;
}

static int read_last_nonce(sqlite3 *db, const uint8_t user[20], uint64_t *last, zg_err *e)
{
    sqlite3_stmt *st;
    int rc = prepare_for_user(db, last_sql, user, &st, e);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *last = zg_store_nonce_from_be(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
    else
        rc = zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

static int add_open_row(sqlite3_stmt *st, zg_store_unsettled *out, zg_err *e)
{
    zg_u256 fee;
    int rc = zg_u256_from_dec(&fee, (const char *)sqlite3_column_text(st, 0), e);
    if (rc) return zg_err_wrap(e, rc, "database: a receipt's fee");
    if (zg_u256_add(&out->fees, &out->fees, &fee))
        return zg_err_set(e, ZG_ERANGE, "database: the unsettled fees overflow 256 bits");
    int64_t t = sqlite3_column_int64(st, 1);
    if (!out->oldest_ms || t < out->oldest_ms) out->oldest_ms = t;
    return ZG_OK;
}

int zg_store_read_unsettled(struct sqlite3 *db, const uint8_t user[20], zg_store_unsettled *out, zg_err *e)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = read_last_nonce(db, user, &out->last_nonce, e);
    if (!rc) rc = prepare_for_user(db, open_sql, user, &st, e);
    if (rc) return rc;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) rc = add_open_row(st, out, e);
    if (!rc && step != SQLITE_DONE) rc = zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int zg_store_each_user(struct sqlite3 *db, zg_store_user_fn fn, void *arg, zg_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, users_sql, -1, &st, NULL) != SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    int rc = ZG_OK, step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 20) continue; /* not an address: not ours to restore */
        uint8_t user[20];
        memcpy(user, sqlite3_column_blob(st, 0), 20);
        rc = fn(arg, user, e);
    }
    if (!rc && step != SQLITE_DONE) rc = zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}
