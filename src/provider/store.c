/*
 * provider/store.c - the store's SQLite side: schema, statements, opening
 * (which applies what the journal holds beyond SQLite), closing, reads,
 * the settlement loop's transactions, checkpoints.
 */
#define _GNU_SOURCE
#include "provider/store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS receipts("
    " user BLOB NOT NULL, nonce BLOB NOT NULL, service TEXT NOT NULL,"
    " fee TEXT NOT NULL, input_fee TEXT NOT NULL, prev_output_fee TEXT NOT NULL,"
    " request_hash BLOB NOT NULL, signature BLOB NOT NULL, created_ms INTEGER NOT NULL,"
    " output_units INTEGER NOT NULL DEFAULT 0, output_fee TEXT NOT NULL DEFAULT '0',"
    " status INTEGER NOT NULL DEFAULT 0, settlement_id INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(user, nonce)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS receipts_open ON receipts(status, user, nonce);"
    /* settled receipts by age, for store.keep_settled_s (store_retention.c);
     * a row enters it only when its receipt is marked settled */
    "CREATE INDEX IF NOT EXISTS receipts_settled_age ON receipts(created_ms) WHERE status=2;"
    "CREATE TABLE IF NOT EXISTS accounts("
    " user BLOB PRIMARY KEY, owed TEXT NOT NULL DEFAULT '0', balance TEXT, pending_refund TEXT,"
    " chain_nonce BLOB, signer BLOB, refreshed_ms INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS settlements("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, created_ms INTEGER NOT NULL, tx_hash TEXT,"
    " status TEXT NOT NULL, n_proofs INTEGER NOT NULL, n_receipts INTEGER NOT NULL,"
    " total TEXT NOT NULL, mined_ms INTEGER, error TEXT);"
    /* how far SQLite has applied the receipt journal */
    "CREATE TABLE IF NOT EXISTS journal_applied("
    " id INTEGER PRIMARY KEY CHECK(id = 1), generation INTEGER NOT NULL, offset INTEGER NOT NULL);";

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

/* ---- checkpoints ---------------------------------------------------------- */

#define CKPT_PAGES 1000 /* SQLite's own auto-checkpoint size */

/* Called by SQLite after each commit on the writer's connection. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    zg_store *s = arg;
    if (pages >= CKPT_PAGES) {
        pthread_mutex_lock(&s->ckpt_mu);
        s->ckpt_due = 1;
        pthread_cond_signal(&s->ckpt_cv);
        pthread_mutex_unlock(&s->ckpt_mu);
    }
    return SQLITE_OK;
}

/* Background work at nice 19, like the feeder. It shares only its own
 * mutex with the feeder, never one a worker waits for: a low-priority thread
 * preempted while holding it would keep the workers waiting. */
static void *checkpoint_main(void *arg)
{
    zg_store *s = arg;
    setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
    pthread_mutex_lock(&s->ckpt_mu);
    for (;;) {
        while (!s->ckpt_due && !s->ckpt_stop) pthread_cond_wait(&s->ckpt_cv, &s->ckpt_mu);
        if (s->ckpt_stop) break;
        s->ckpt_due = 0;
        pthread_mutex_unlock(&s->ckpt_mu);
        /* PASSIVE: copies what it can without blocking the writer */
        sqlite3_wal_checkpoint_v2(s->cdb, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&s->ckpt_mu);
    }
    pthread_mutex_unlock(&s->ckpt_mu);
    return NULL;
}

/* ---- the settlement loop's transactions, and reads ------------------------ */

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
    zg_store_op *o = calloc(1, sizeof *o);
    if (!o) return ZG_ENOMEM;
    o->kind = ZG_OP_EXEC; o->fn = fn; o->fn_arg = arg; o->done = wake; o->done_arg = &w;
    pthread_mutex_lock(&s->mu);
    if (s->stop) {
        pthread_mutex_unlock(&s->mu);
        free(o);
        return ZG_ESTATE;
    }
    zg_store_queue(s, o);
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_lock(&w.mu);
    while (!w.done) pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    return w.rc;
}

static int nothing(sqlite3 *db, void *arg) { return ZG_OK; }

/* Reads see every write made before them: whatever is queued or being
 * applied is committed first. */
sqlite3 *zg_store_read_lock(zg_store *s)
{
    pthread_mutex_lock(&s->mu);
    int pending = s->head || s->feeding;
    pthread_mutex_unlock(&s->mu);
    if (pending) zg_store_exec(s, nothing, NULL);
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

int zg_store_health(zg_store *s, char *why, size_t cap)
{
    pthread_mutex_lock(&s->mu);
    int broken = s->broken[0] != 0;
    if (broken) snprintf(why, cap, "%s", s->broken);
    pthread_mutex_unlock(&s->mu);
    return broken ? ZG_EIO : ZG_OK;
}

/* ---- open: the journal beyond SQLite -------------------------------------- */

static int read_applied(zg_store *s, uint64_t *gen, uint64_t *off)
{
    sqlite3_stmt *st;
    *gen = *off = 0;
    if (sqlite3_prepare_v2(s->wdb, "SELECT generation, offset FROM journal_applied WHERE id=1", -1, &st, NULL))
        return ZG_EIO;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *gen = (uint64_t)sqlite3_column_int64(st, 0);
        *off = (uint64_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return ZG_OK;
}

typedef struct replay { zg_store *s; uint64_t gen; size_t n; zg_store_op op; } replay;

static int replay_one(void *arg, const zg_jrec *rec)
{
    replay *r = arg;
    r->op.kind = ZG_OP_JOURNAL;
    r->op.rec = *rec;
    if (zg_store_apply_op(r->s, &r->op))
        zg_log(ZG_LOG_ERROR, "store: a write from journal %" PRIu64 " (kind %d, nonce %" PRIu64 ") failed: %s",
               r->gen, rec->kind, rec->r.nonce, sqlite3_errmsg(r->s->wdb));
    r->n++;
    return ZG_OK;
}

/* Applies each journal file's records past the recorded position. */
static int replay_files(zg_store *s, const uint64_t *gens, size_t n, uint64_t gen0, uint64_t off0, size_t *applied,
                        zg_err *e)
{
    replay r = {.s = s};
    for (size_t i = 0; i < n; i++) {
        if (gens[i] < gen0) continue;
        uint64_t end, ignored;
        r.gen = gens[i];
        int rc = zg_journal_replay(s->path, gens[i], gens[i] == gen0 ? off0 : 0, replay_one, &r, &end, &ignored, e);
        if (rc) return rc;
        if (ignored)
            zg_log(ZG_LOG_WARN, "store: journal %" PRIu64 " ends in %" PRIu64 " bytes that are not a whole record "
                   "(cut by a crash); they are ignored", gens[i], ignored);
    }
    *applied = r.n;
    return ZG_OK;
}

/* In one transaction: the journal's records beyond SQLite, then a new,
 * empty journal file as the position. Then the old files go. */
static int recover_journal(zg_store *s, zg_err *e)
{
    uint64_t *gens = NULL, gen0, off0;
    size_t n = 0, applied = 0;
    int rc = zg_journal_list(s->path, &gens, &n, e);
    if (!rc && read_applied(s, &gen0, &off0)) rc = zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(s->wdb));
    if (rc) { free(gens); return rc; }
    uint64_t next = gen0 + 1;
    if (n && gens[n - 1] >= next) next = gens[n - 1] + 1;
    if (sqlite3_exec(s->wdb, "BEGIN IMMEDIATE", NULL, NULL, NULL))
        rc = zg_err_set(e, ZG_EIO, "database: %s", sqlite3_errmsg(s->wdb));
    if (!rc) rc = replay_files(s, gens, n, gen0, off0, &applied, e);
    if (!rc) rc = zg_journal_create(s->path, next, s->sync_full, &s->jfd, e);
    sqlite3_stmt *st = s->set_applied;
    if (!rc) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)next);
        sqlite3_bind_int64(st, 2, ZG_JOURNAL_HDR);
        int done = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
        if (!done || sqlite3_exec(s->wdb, "COMMIT", NULL, NULL, NULL))
            rc = zg_err_set(e, ZG_EIO, "database '%s': %s", s->path, sqlite3_errmsg(s->wdb));
    }
    if (rc) {
        sqlite3_exec(s->wdb, "ROLLBACK", NULL, NULL, NULL);
        free(gens);
        return zg_err_wrap(e, rc, "applying the receipt journal");
    }
    if (applied) zg_log(ZG_LOG_INFO, "store: applied %zu journaled writes that were not yet in SQLite", applied);
    s->jgen = next;
    s->jend = ZG_JOURNAL_HDR;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        if (!zg_journal_path(path, sizeof path, s->path, gens[i]) && unlink(path) && errno != ENOENT)
            zg_log(ZG_LOG_WARN, "store: cannot delete the applied journal file '%s': %s", path, strerror(errno));
    }
    free(gens);
    return ZG_OK;
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
    if (!rc) rc = prepare(s->wdb, "INSERT INTO journal_applied(id, generation, offset) VALUES(1,?1,?2)"
                          " ON CONFLICT(id) DO UPDATE SET generation=?1, offset=?2", &s->set_applied);
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
    sqlite3_stmt *all[] = {s->ins_receipt, s->upd_output, s->del_receipt, s->upsert_owed, s->set_applied,
                           s->sp_begin, s->sp_release, s->sp_rollback, s->tx_begin, s->tx_commit};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sqlite3_finalize(all[i]);
}

/* name: what top -H, perf and gdb show (at most 15 characters). */
static int start_thread(pthread_t *t, int *started, void *(*fn)(void *), zg_store *s, const char *what,
                        const char *name, zg_err *e)
{
    if (pthread_create(t, NULL, fn, s)) return zg_err_set(e, ZG_EIO, "cannot start the store's %s thread", what);
    pthread_setname_np(*t, name);
    *started = 1;
    return ZG_OK;
}

static int open_all(zg_store *s, zg_err *e)
{
    const char *path = s->path;
    int rc = open_conn(path, &s->wdb, s->sync_full, e);
    if (!rc && sqlite3_exec(s->wdb, schema, NULL, NULL, NULL) != SQLITE_OK)
        rc = zg_err_set(e, ZG_EIO, "database '%s': creating tables: %s", path, sqlite3_errmsg(s->wdb));
    if (!rc) rc = prepare_all(s, e);
    if (!rc) rc = recover_journal(s, e);
    if (!rc) rc = open_conn(path, &s->rdb, s->sync_full, e);
    if (!rc) rc = open_conn(path, &s->cdb, s->sync_full, e);
    if (!rc) {
        sqlite3_wal_autocheckpoint(s->wdb, 0);
        sqlite3_wal_hook(s->wdb, wal_hook, s);
    }
    if (!rc)
        rc = start_thread(&s->checkpointer, &s->ckpt_started, checkpoint_main, s, "checkpoint", "zg-checkpoint", e);
    if (!rc)
        rc = start_thread(&s->feeder, &s->feeder_started, zg_store_feeder_main, s, "database writer", "zg-feeder", e);
    if (!rc && s->sync_full)
        rc = start_thread(&s->syncer, &s->syncer_started, zg_store_syncer_main, s, "sync", "zg-sync", e);
    return rc;
}

int zg_store_open(zg_store **out, const char *path, int sync_full, size_t max_batch, zg_err *e)
{
    *out = NULL;
    zg_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return zg_err_set(e, ZG_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->rmu, NULL);
    pthread_mutex_init(&s->ckpt_mu, NULL);
    pthread_condattr_t mono;
    pthread_condattr_init(&mono);
    pthread_condattr_setclock(&mono, CLOCK_MONOTONIC); /* the feeder's timed waits ignore clock changes */
    pthread_cond_init(&s->feed_cv, &mono);
    pthread_condattr_destroy(&mono);
    pthread_cond_init(&s->sync_cv, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    s->sync_full = sync_full;
    s->max_batch = max_batch ? max_batch : 512;
    s->jfd = s->retired_fd = s->spare_fd = -1;
    s->rotate_bytes = ZG_JOURNAL_ROTATE;
    int rc = open_all(s, e);
    if (rc) {
        zg_store_close(s);
        return rc;
    }
    *out = s;
    return ZG_OK;
}

/* Ops the feeder left behind (commits failing while closing): they are in
 * the journal; the settlement loop's transactions are answered. */
static void free_queue(zg_store *s)
{
    for (zg_store_op *o = s->head, *next; o; o = next) {
        next = o->next;
        if (o->done) o->done(o->done_arg, ZG_ESTATE);
        free(o);
    }
    s->head = s->tail = NULL;
}

void zg_store_close(zg_store *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_broadcast(&s->feed_cv);
    pthread_cond_broadcast(&s->sync_cv);
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_lock(&s->ckpt_mu);
    s->ckpt_stop = 1;
    pthread_cond_broadcast(&s->ckpt_cv);
    pthread_mutex_unlock(&s->ckpt_mu);
    if (s->syncer_started) pthread_join(s->syncer, NULL);
    if (s->feeder_started) pthread_join(s->feeder, NULL);
    if (s->ckpt_started) pthread_join(s->checkpointer, NULL);
    free_queue(s);
    finalize_all(s);
    sqlite3_close(s->wdb);
    sqlite3_close(s->rdb);
    sqlite3_close(s->cdb);
    if (s->jfd >= 0) close(s->jfd);
    if (s->retired_fd >= 0) close(s->retired_fd);
    if (s->spare_fd >= 0) close(s->spare_fd); /* an empty file: the next start applies nothing from it */
    pthread_cond_destroy(&s->feed_cv);
    pthread_cond_destroy(&s->sync_cv);
    pthread_cond_destroy(&s->ckpt_cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->rmu);
    pthread_mutex_destroy(&s->ckpt_mu);
    free(s->path);
    free(s);
}
