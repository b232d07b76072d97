/*
 * provider/store_retention.c - deleting settled receipts once they are older
 * than the provider keeps them (store.keep_settled_s).
 *
 * A settled receipt has done its work: the chain paid it, and the chain's
 * settled nonce, which only goes up, is what refuses its nonce from then on
 * (a restarted broker reads each account from the chain before it admits a
 * request). Only settled rows are deleted; an unsettled receipt never is,
 * however old. The partial index receipts_settled_age holds the created_ms
 * of settled rows only, so the old ones are found without reading the rest,
 * and the request path pays nothing for it: a row enters the index when its
 * receipt is marked settled.
 */
#include <sqlite3.h>

#include "provider/store.h"

typedef struct delete_job {
    int64_t before_ms;
    size_t max, deleted;
    zg_err why;       /* set when the DELETE itself failed */
} delete_job;

static int delete_fn(sqlite3 *db, void *arg)
{
    delete_job *j = arg;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "DELETE FROM receipts WHERE (user, nonce) IN (SELECT user, nonce FROM receipts"
                               " INDEXED BY receipts_settled_age WHERE status=2 AND created_ms < ?1 LIMIT ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return zg_err_set(&j->why, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, j->before_ms);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)j->max);
    int rc = sqlite3_step(st) == SQLITE_DONE ? ZG_OK : zg_err_set(&j->why, ZG_EIO, "database: %s", sqlite3_errmsg(db));
    if (!rc) j->deleted = (size_t)sqlite3_changes(db);
    sqlite3_finalize(st);
    return rc;
}

int zg_store_delete_settled(zg_store *s, int64_t before_ms, size_t max, size_t *deleted, zg_err *e)
{
    delete_job j = {before_ms, max, 0, {0, ""}};
    *deleted = 0;
    int rc = zg_store_exec(s, delete_fn, &j);
    if (rc) return zg_err_set(e, rc, "deleting settled receipts: %s", j.why.code ? j.why.msg : "the commit failed");
    *deleted = j.deleted;
    return ZG_OK;
}
