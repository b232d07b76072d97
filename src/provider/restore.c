/*
 * provider/restore.c - rebuild the account books from the store at start-up,
 * so that a restarted broker (even after SIGKILL) knows every receipt it
 * accepted: nonces are never accepted twice and unsettled fees still count
 * against the deposit.
 */
#include <sqlite3.h>
#include <string.h>

#include "provider/broker.h"

typedef struct book { uint8_t user[20]; uint64_t last; zg_u256 unsettled, owed; int64_t oldest; } book;

static int restore_one(zg_accts *accts, sqlite3 *db, const uint8_t user[20], zg_err *e)
{
    sqlite3_stmt *st = NULL;
    book b;
    memset(&b, 0, sizeof b);
    memcpy(b.user, user, 20);
    if (sqlite3_prepare_v2(db, "SELECT nonce, fee, status, created_ms FROM receipts WHERE user=?", -1, &st, NULL) !=
        SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t n = zg_store_nonce_from_be(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0));
        if (n > b.last) b.last = n;
        if (sqlite3_column_int(st, 2) == ZG_RECEIPT_SETTLED) continue;
        zg_u256 fee;
        int rc = zg_u256_from_dec(&fee, (const char *)sqlite3_column_text(st, 1), e);
        if (!rc && zg_u256_add(&b.unsettled, &b.unsettled, &fee))
            rc = zg_err_set(e, ZG_ERANGE, "the unsettled fees overflow 256 bits");
        if (rc) {
            sqlite3_finalize(st);
            return zg_err_wrap(e, rc, "database: a receipt's fee");
        }
        int64_t t = sqlite3_column_int64(st, 3);
        if (!b.oldest || t < b.oldest) b.oldest = t;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT owed FROM accounts WHERE user=?", -1, &st, NULL) != SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_ROW ? zg_u256_from_dec(&b.owed, (const char *)sqlite3_column_text(st, 0), e)
                                            : ZG_OK;
    if (rc) {
        sqlite3_finalize(st);
        return zg_err_wrap(e, rc, "database: an account's owed fee");
    }
    sqlite3_finalize(st);
    zg_accts_restore(accts, b.user, b.last, &b.unsettled, &b.owed, b.oldest);
    return ZG_OK;
}

int zg_broker_restore(zg_store *store, zg_accts *accts, zg_err *e)
{
    sqlite3 *db = zg_store_read_lock(store);
    sqlite3_stmt *users = NULL;
    int rc = ZG_OK;
    if (sqlite3_prepare_v2(db, "SELECT user FROM receipts UNION SELECT user FROM accounts", -1, &users, NULL)
        != SQLITE_OK)
        rc = zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    while (!rc && sqlite3_step(users) == SQLITE_ROW) {
        if (sqlite3_column_bytes(users, 0) != 20) continue;
        uint8_t user[20];
        memcpy(user, sqlite3_column_blob(users, 0), 20);
        rc = restore_one(accts, db, user, e);
    }
    sqlite3_finalize(users);
    zg_store_read_unlock(store);
    return rc;
}
