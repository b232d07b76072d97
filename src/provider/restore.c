/*
 * provider/restore.c - rebuild the account books from the store at start-up,
 * so that a restarted broker (even after SIGKILL) knows every receipt it
 * accepted: nonces are never accepted twice and unsettled fees still count
 * against the deposit. It reads each customer's last nonce and unsettled
 * receipts only (store_unsettled.c), so a start-up after months takes what
 * one after a day takes.
 */
#include <sqlite3.h>
#include <string.h>

#include "provider/broker.h"

static int read_owed(sqlite3 *db, const uint8_t user[20], zg_u256 *owed, zg_err *e)
{
    sqlite3_stmt *st = NULL;
    *owed = zg_u256_from_u64(0);
    if (sqlite3_prepare_v2(db, "SELECT owed FROM accounts WHERE user=?", -1, &st, NULL) != SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_blob(st, 1, user, 20, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_ROW ? zg_u256_from_dec(owed, (const char *)sqlite3_column_text(st, 0), e)
                                            : ZG_OK;
    sqlite3_finalize(st);
    return rc ? zg_err_wrap(e, rc, "database: an account's owed fee") : ZG_OK;
}

typedef struct restore_job { sqlite3 *db; zg_accts *accts; } restore_job;

static int restore_one(void *arg, const uint8_t user[20], zg_err *e)
{
    restore_job *j = arg;
    zg_store_unsettled u;
    zg_u256 owed;
    int rc = zg_store_read_unsettled(j->db, user, &u, e);
    if (!rc) rc = read_owed(j->db, user, &owed, e);
    if (!rc) zg_accts_restore(j->accts, user, u.last_nonce, &u.fees, &owed, u.oldest_ms);
    return rc;
}

int zg_broker_restore(zg_store *store, zg_accts *accts, zg_err *e)
{
    restore_job j = { zg_store_read_lock(store), accts };
    int rc = zg_store_each_user(j.db, restore_one, &j, e);
    zg_store_read_unlock(store);
    return rc;
}
