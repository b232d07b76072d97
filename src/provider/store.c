/*
 * provider/store.c - SQLite schema and the group-commit writer thread.
 */
#include "provider/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum op_kind { OP_RECEIPT, OP_OUTPUT, OP_DROP, OP_EXEC };

typedef struct op {
    struct op *next;
    int kind;
    zg_store_receipt r;               /* OP_RECEIPT; user/nonce/units/fee for the others */
    zg_u256 owed;
    zg_store_done_fn done;
    void *arg;
    int (*fn)(sqlite3 *db, void *arg); /* OP_EXEC */
    void *fn_arg;
    int rc;
} op;

struct zg_store {
    sqlite3 *wdb, *rdb;
    sqlite3_stmt *ins_receipt, *upd_output, *del_receipt, *upsert_owed;
    sqlite3_stmt *sp_begin, *sp_release, *sp_rollback, *tx_begin, *tx_commit;
    pthread_t writer;
    /* WAL checkpoints run on their own thread and connection, so that the
     * writer's commits (and the requests waiting on them) never wait for one */
    sqlite3 *cdb;
    pthread_t checkpointer;
    int ckpt_started, ckpt_due;
    pthread_cond_t ckpt_cv;
    pthread_mutex_t mu, rmu;
    pthread_cond_t cv;
    op *head, *tail;
    size_t queued, max_batch;
    int stop;
    uint64_t commits, writes;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS receipts("
    " user BLOB NOT NULL, nonce BLOB NOT NULL, service TEXT NOT NULL,"
    " fee TEXT NOT NULL, input_fee TEXT NOT NULL, prev_output_fee TEXT NOT NULL,"
    " request_hash BLOB NOT NULL, signature BLOB NOT NULL, created_ms INTEGER NOT NULL,"
    " output_units INTEGER NOT NULL DEFAULT 0, output_fee TEXT NOT NULL DEFAULT '0',"
    " status INTEGER NOT NULL DEFAULT 0, settlement_id INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(user, nonce)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS receipts_open ON receipts(status, user, nonce);"
    "CREATE TABLE IF NOT EXISTS accounts("
    " user BLOB PRIMARY KEY, owed TEXT NOT NULL DEFAULT '0', balance TEXT, pending_refund TEXT,"
    " chain_nonce BLOB, signer BLOB, refreshed_ms INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS settlements("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, created_ms INTEGER NOT NULL, tx_hash TEXT,"
    " status TEXT NOT NULL, n_proofs INTEGER NOT NULL, n_receipts INTEGER NOT NULL,"
    " total TEXT NOT NULL, mined_ms INTEGER, error TEXT);";

void zg_store_nonce_be(uint64_t nonce, uint8_t out[8])
{
    for (int i = 7; i >= 0; i--) { out[i] = (uint8_t)nonce; nonce >>= 8; }
}

uint64_t zg_store_nonce_from_be(const void *p, int len)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    for (int i = 0; i < len && i < 8; i++) v = (v << 8) | b[i];
    return v;
}

/* ---- statements ----------------------------------------------------------- */

static void bind_dec(sqlite3_stmt *st, int i, const zg_u256 *v)
{
    char d[ZG_U256_DEC_MAX];
    zg_u256_to_dec(v, d);
    sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
}

static int step_reset(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? ZG_OK : ZG_EIO;
}

static int upsert_owed(zg_store *s, const uint8_t user[20], const zg_u256 *owed)
{
    sqlite3_bind_blob(s->upsert_owed, 1, user, 20, SQLITE_STATIC);
    bind_dec(s->upsert_owed, 2, owed);
    return step_reset(s->upsert_owed);
}

static int run_receipt(zg_store *s, const zg_store_receipt *r)
{
    uint8_t nb[8];
    zg_store_nonce_be(r->nonce, nb);
    sqlite3_stmt *st = s->ins_receipt;
    sqlite3_bind_blob(st, 1, r->user, 20, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, nb, 8, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->service, -1, SQLITE_STATIC);
    bind_dec(st, 4, &r->fee);
    bind_dec(st, 5, &r->input_fee);
    bind_dec(st, 6, &r->prev_output_fee);
    sqlite3_bind_blob(st, 7, r->request_hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, r->signature, 64, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, r->created_ms);
    int rc = step_reset(st);
    /* the request pays what the account owed: that debt is now in a receipt */
    zg_u256 zero = zg_u256_from_u64(0);
    return rc ? rc : upsert_owed(s, r->user, &zero);
}

static int run_output(zg_store *s, const op *o)
{
    uint8_t nb[8];
    zg_store_nonce_be(o->r.nonce, nb);
    sqlite3_stmt *st = s->upd_output;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)o->r.output_units);
    bind_dec(st, 2, &o->r.output_fee);
    sqlite3_bind_blob(st, 3, o->r.user, 20, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, nb, 8, SQLITE_STATIC);
    int rc = step_reset(st);
    return rc ? rc : upsert_owed(s, o->r.user, &o->owed);
}

static int run_drop(zg_store *s, const op *o)
{
    uint8_t nb[8];
    zg_store_nonce_be(o->r.nonce, nb);
    sqlite3_bind_blob(s->del_receipt, 1, o->r.user, 20, SQLITE_STATIC);
    sqlite3_bind_blob(s->del_receipt, 2, nb, 8, SQLITE_STATIC);
    int rc = step_reset(s->del_receipt);
    return rc ? rc : upsert_owed(s, o->r.user, &o->owed);
}

static int run_op(zg_store *s, op *o)
{
    switch (o->kind) {
    case OP_RECEIPT: return run_receipt(s, &o->r);
    case OP_OUTPUT: return run_output(s, o);
    case OP_DROP: return run_drop(s, o);
    default: return o->fn(s->wdb, o->fn_arg);
    }
}

/* ---- checkpoints ---------------------------------------------------------- */

#define CKPT_PAGES 1000 /* SQLite's own auto-checkpoint size */

/* Called by SQLite after each commit on the writer's connection. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    zg_store *s = arg;
    if (pages >= CKPT_PAGES) {
        pthread_mutex_lock(&s->mu);
        s->ckpt_due = 1;
        pthread_cond_signal(&s->ckpt_cv);
        pthread_mutex_unlock(&s->mu);
    }
    return SQLITE_OK;
}

static void *checkpoint_main(void *arg)
{
    zg_store *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->ckpt_due && !s->stop) pthread_cond_wait(&s->ckpt_cv, &s->mu);
        if (s->stop) break;
        s->ckpt_due = 0;
        pthread_mutex_unlock(&s->mu);
        /* PASSIVE: copies what it can without blocking the writer */
        sqlite3_wal_checkpoint_v2(s->cdb, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- writer thread -------------------------------------------------------- */

static int exec_sql(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? ZG_OK : ZG_EIO;
}

static int run_stmt(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ZG_OK : ZG_EIO;
}

/* One group: BEGIN, each op in a savepoint, COMMIT, then the callbacks.
 * (The transaction statements are prepared once: they run for every op.) */
static void commit_batch(zg_store *s, op *batch)
{
    int rc = run_stmt(s->tx_begin);
    for (op *o = batch; o; o = o->next) {
        if (rc) { o->rc = rc; continue; }
        run_stmt(s->sp_begin);
        o->rc = run_op(s, o);
        if (o->rc) run_stmt(s->sp_rollback);
        run_stmt(s->sp_release);
    }
    if (!rc && run_stmt(s->tx_commit)) {
        exec_sql(s->wdb, "ROLLBACK");
        rc = ZG_EIO;
    }
    size_t n = 0;
    for (op *o = batch, *next; o; o = next) {
        next = o->next;
        if (rc) o->rc = rc;
        n++;
        if (o->done) o->done(o->arg, o->rc);
        free(o);
    }
    pthread_mutex_lock(&s->mu);
    s->commits++;
    s->writes += n;
    pthread_mutex_unlock(&s->mu);
}

static void *writer_main(void *arg)
{
    zg_store *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stop) pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head) { pthread_mutex_unlock(&s->mu); break; }
        op *batch = s->head, *last = batch;
        size_t n = 1;
        while (last->next && n < s->max_batch) { last = last->next; n++; }
        s->head = last->next;
        if (!s->head) s->tail = NULL;
        s->queued -= n;
        last->next = NULL;
        pthread_mutex_unlock(&s->mu);
        commit_batch(s, batch);
    }
    return NULL;
}

static int enqueue(zg_store *s, op *o)
{
    pthread_mutex_lock(&s->mu);
    if (s->stop) {
        pthread_mutex_unlock(&s->mu);
        free(o);
        return ZG_ESTATE;
    }
    if (s->tail) s->tail->next = o; else s->head = o;
    s->tail = o;
    s->queued++;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return ZG_OK;
}

int zg_store_put_receipt(zg_store *s, const zg_store_receipt *r, zg_store_done_fn done, void *arg)
{
    op *o = calloc(1, sizeof *o);
    if (!o) return ZG_ENOMEM;
    o->kind = OP_RECEIPT; o->r = *r; o->done = done; o->arg = arg;
    return enqueue(s, o);
}

int zg_store_record_output(zg_store *s, const uint8_t user[20], uint64_t nonce, uint64_t units,
                           const zg_u256 *fee, const zg_u256 *owed)
{
    op *o = calloc(1, sizeof *o);
    if (!o) return ZG_ENOMEM;
    o->kind = OP_OUTPUT;
    memcpy(o->r.user, user, 20);
    o->r.nonce = nonce; o->r.output_units = units; o->r.output_fee = *fee; o->owed = *owed;
    return enqueue(s, o);
}

int zg_store_drop_receipt(zg_store *s, const uint8_t user[20], uint64_t nonce, const zg_u256 *owed,
                          zg_store_done_fn done, void *arg)
{
    op *o = calloc(1, sizeof *o);
    if (!o) return ZG_ENOMEM;
    o->kind = OP_DROP; o->done = done; o->arg = arg;
    memcpy(o->r.user, user, 20);
    o->r.nonce = nonce; o->owed = *owed;
    return enqueue(s, o);
}

typedef struct waiter { pthread_mutex_t mu; pthread_cond_t cv; int done, rc; } waiter;

static void wake(void *arg, int rc)
{
    waiter *w = arg;
    pthread_mutex_lock(&w->mu);
    w->done = 1; w->rc = rc;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

int zg_store_exec(zg_store *s, int (*fn)(sqlite3 *db, void *arg), void *arg)
{
    waiter w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    op *o = calloc(1, sizeof *o);
    if (!o) return ZG_ENOMEM;
    o->kind = OP_EXEC; o->fn = fn; o->fn_arg = arg; o->done = wake; o->arg = &w;
    int rc = enqueue(s, o);
    if (rc) return rc;
    pthread_mutex_lock(&w.mu);
    while (!w.done) pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    return w.rc;
}

/* ---- open / close --------------------------------------------------------- */

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK ? ZG_OK : ZG_EIO;
}

static int open_conn(const char *path, sqlite3 **db, int sync_full, zg_err *e)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "cannot open database '%s': %s", path,
                          *db ? sqlite3_errmsg(*db) : "out of memory");
    sqlite3_busy_timeout(*db, 10000);
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;",
             sync_full ? "FULL" : "NORMAL");
    if (sqlite3_exec(*db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return zg_err_set(e, ZG_EIO, "database '%s': %s", path, sqlite3_errmsg(*db));
    return ZG_OK;
}

static int prepare_all(zg_store *s, zg_err *e)
{
    int rc = prepare(s->wdb,
        "INSERT INTO receipts(user, nonce, service, fee, input_fee, prev_output_fee,"
        " request_hash, signature, created_ms) VALUES(?,?,?,?,?,?,?,?,?)", &s->ins_receipt);
    if (!rc) rc = prepare(s->wdb, "UPDATE receipts SET output_units=?, output_fee=?,"
                          " status=MAX(status,1) WHERE user=? AND nonce=?", &s->upd_output);
    if (!rc) rc = prepare(s->wdb, "DELETE FROM receipts WHERE user=? AND nonce=? AND status<2", &s->del_receipt);
    if (!rc) rc = prepare(s->wdb, "INSERT INTO accounts(user, owed) VALUES(?1,?2)"
                          " ON CONFLICT(user) DO UPDATE SET owed=?2", &s->upsert_owed);
    if (!rc) rc = prepare(s->wdb, "SAVEPOINT w", &s->sp_begin);
    if (!rc) rc = prepare(s->wdb, "RELEASE w", &s->sp_release);
    if (!rc) rc = prepare(s->wdb, "ROLLBACK TO w", &s->sp_rollback);
    if (!rc) rc = prepare(s->wdb, "BEGIN IMMEDIATE", &s->tx_begin);
    if (!rc) rc = prepare(s->wdb, "COMMIT", &s->tx_commit);
    if (rc) return zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(s->wdb));
    return ZG_OK;
}

static void finalize_all(zg_store *s)
{
    sqlite3_stmt *all[] = {s->ins_receipt, s->upd_output, s->del_receipt, s->upsert_owed, s->sp_begin,
                           s->sp_release, s->sp_rollback, s->tx_begin, s->tx_commit};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sqlite3_finalize(all[i]);
}

int zg_store_open(zg_store **out, const char *path, int sync_full, size_t max_batch, zg_err *e)
{
    *out = NULL;
    zg_store *s = calloc(1, sizeof *s);
    if (!s) return zg_err_set(e, ZG_ENOMEM, "out of memory");
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->rmu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    s->max_batch = max_batch ? max_batch : 512;
    int rc = open_conn(path, &s->wdb, sync_full, e);
    if (!rc && sqlite3_exec(s->wdb, schema, NULL, NULL, NULL) != SQLITE_OK)
        rc = zg_err_set(e, ZG_EIO, "database '%s': creating tables: %s", path, sqlite3_errmsg(s->wdb));
    if (!rc) rc = prepare_all(s, e);
    if (!rc) rc = open_conn(path, &s->rdb, sync_full, e);
    if (!rc) rc = open_conn(path, &s->cdb, sync_full, e);
    if (!rc) {
        sqlite3_wal_autocheckpoint(s->wdb, 0);
        sqlite3_wal_hook(s->wdb, wal_hook, s);
    }
    if (!rc && pthread_create(&s->checkpointer, NULL, checkpoint_main, s))
        rc = zg_err_set(e, ZG_EIO, "cannot start the database checkpoint thread");
    if (!rc) s->ckpt_started = 1;
    if (!rc && pthread_create(&s->writer, NULL, writer_main, s))
        rc = zg_err_set(e, ZG_EIO, "cannot start the database writer thread");
    if (rc) {
        pthread_mutex_lock(&s->mu);
        s->stop = 1;
        pthread_cond_signal(&s->ckpt_cv);
        pthread_mutex_unlock(&s->mu);
        if (s->ckpt_started) pthread_join(s->checkpointer, NULL);
        finalize_all(s);
        sqlite3_close(s->wdb); sqlite3_close(s->rdb); sqlite3_close(s->cdb);
        free(s);
        return rc;
    }
    *out = s;
    return ZG_OK;
}

void zg_store_close(zg_store *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_cond_signal(&s->ckpt_cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->writer, NULL);
    pthread_join(s->checkpointer, NULL);
    finalize_all(s);
    sqlite3_close(s->wdb);
    sqlite3_close(s->rdb);
    sqlite3_close(s->cdb);
    pthread_cond_destroy(&s->ckpt_cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->rmu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

sqlite3 *zg_store_read_lock(zg_store *s)
{
    pthread_mutex_lock(&s->rmu);
    return s->rdb;
}

void zg_store_read_unlock(zg_store *s) { pthread_mutex_unlock(&s->rmu); }

void zg_store_stats(zg_store *s, uint64_t *commits, uint64_t *writes, uint64_t *queued)
{
    pthread_mutex_lock(&s->mu);
    *commits = s->commits; *writes = s->writes; *queued = s->queued;
    pthread_mutex_unlock(&s->mu);
}
