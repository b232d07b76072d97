/*
 * provider/store_feed.c - the feeder thread: applies the journaled writes
 * (and the settlement loop's own transactions) to SQLite, many per
 * transaction, off the request path.
 *
 * It lets writes gather for ZG_FEED_DELAY_MS, then applies them in one
 * transaction, each write in its own SAVEPOINT so that one failing write does
 * not undo its neighbours. The same transaction records how far into which
 * journal file SQLite now is, so a restart applies the rest exactly once. If
 * the commit fails, the writes go back to the front of the queue (they are
 * safe in the journal) and the feeder tries again a second later.
 */
#define _GNU_SOURCE
#include "provider/store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>

#include "base/log.h"

/* ---- one write ------------------------------------------------------------ */

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

static void bind_key(sqlite3_stmt *st, int i, const zg_store_receipt *r, uint8_t nb[8])
{
    zg_store_nonce_be(r->nonce, nb);
    sqlite3_bind_blob(st, i, r->user, 20, SQLITE_STATIC);
    sqlite3_bind_blob(st, i + 1, nb, 8, SQLITE_STATIC);
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
    sqlite3_stmt *st = s->ins_receipt;
    bind_key(st, 1, r, nb);
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

static int run_output(zg_store *s, const zg_jrec *j)
{
    uint8_t nb[8];
    sqlite3_stmt *st = s->upd_output;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)j->r.output_units);
    bind_dec(st, 2, &j->r.output_fee);
    bind_key(st, 3, &j->r, nb);
    int rc = step_reset(st);
    return rc ? rc : upsert_owed(s, j->r.user, &j->owed);
}

static int run_drop(zg_store *s, const zg_jrec *j)
{
    uint8_t nb[8];
    bind_key(s->del_receipt, 1, &j->r, nb);
    int rc = step_reset(s->del_receipt);
    return rc ? rc : upsert_owed(s, j->r.user, &j->owed);
}

int zg_store_apply_op(zg_store *s, const zg_store_op *o)
{
    if (o->kind == ZG_OP_EXEC) return o->fn(s->wdb, o->fn_arg);
    switch (o->rec.kind) {
    case ZG_JREC_RECEIPT: return run_receipt(s, &o->rec.r);
    case ZG_JREC_OUTPUT: return run_output(s, &o->rec);
    case ZG_JREC_DROP: return run_drop(s, &o->rec);
    default: return ZG_EINVAL;
    }
}

/* ---- one transaction ------------------------------------------------------ */

static int run_stmt(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? ZG_OK : ZG_EIO;
}

static int set_applied(zg_store *s, uint64_t gen, uint64_t end)
{
    sqlite3_bind_int64(s->set_applied, 1, (sqlite3_int64)gen);
    sqlite3_bind_int64(s->set_applied, 2, (sqlite3_int64)end);
    return step_reset(s->set_applied);
}

/* BEGIN, each write in a savepoint, the journal position, COMMIT. Returns
 * the commit's result; each op's own result is in op->rc. */
static int apply_batch(zg_store *s, zg_store_op *batch)
{
    int rc = run_stmt(s->tx_begin);
    const zg_store_op *last_journaled = NULL;
    size_t n = 0;
    for (zg_store_op *o = batch; o && !rc; o = o->next) {
        rc = run_stmt(s->sp_begin);
        if (rc) break;
        o->rc = zg_store_apply_op(s, o);
        if (o->rc) {
            if (o->kind == ZG_OP_JOURNAL)
                zg_log(ZG_LOG_ERROR, "store: a journaled write (kind %d, nonce %" PRIu64 ") failed: %s",
                       o->rec.kind, o->rec.r.nonce, sqlite3_errmsg(s->wdb));
            run_stmt(s->sp_rollback);
        }
        run_stmt(s->sp_release);
        /* even at nice 19, a thread keeps its CPU for up to a scheduler
         * slice (0.75 ms) when a worker wakes there: most of the slowest 1%
         * of requests used to run while a batch was applied. Yielding every
         * few writes keeps each burst near 0.1 ms. */
        if (++n % ZG_FEED_YIELD_OPS == 0) sched_yield();
        /* after some errors (full disk, I/O, out of memory) SQLite rolls the
         * whole transaction back: what follows would commit on its own, and
         * the journal position with it, so the batch is retried instead */
        if (sqlite3_get_autocommit(s->wdb)) rc = ZG_EIO;
        if (o->kind == ZG_OP_JOURNAL) last_journaled = o;
    }
    if (!rc && last_journaled) rc = set_applied(s, last_journaled->gen, last_journaled->end);
    if (!rc && run_stmt(s->tx_commit)) rc = ZG_EIO;
    if (rc) {
        zg_log(ZG_LOG_ERROR, "store: committing to '%s' failed: %s; the writes stay in the journal, retrying",
               s->path, sqlite3_errmsg(s->wdb));
        sqlite3_exec(s->wdb, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

/* ---- the thread ----------------------------------------------------------- */

static void wait_ms(zg_store *s, pthread_cond_t *cv, long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t); /* feed_cv waits on the monotonic clock */
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) { t.tv_sec++; t.tv_nsec -= 1000000000L; }
    pthread_cond_timedwait(cv, &s->mu, &t);
}

/* Up to max_batch ops from the front of the queue (mu held). */
static zg_store_op *take(zg_store *s, size_t *n_out)
{
    zg_store_op *batch = s->head, *last = batch;
    size_t n = 1;
    while (last->next && n < s->max_batch) { last = last->next; n++; }
    s->head = last->next;
    if (!s->head) s->tail = NULL;
    last->next = NULL;
    s->queued -= n;
    *n_out = n;
    return batch;
}

/* After a failed commit: the journaled ops go back in front, in order; the
 * exec ops are answered with the failure (mu held). */
static zg_store_op *requeue(zg_store *s, zg_store_op *batch, int rc)
{
    zg_store_op *failed = NULL, **keep = &batch;
    while (*keep) {
        zg_store_op *o = *keep;
        if (o->kind == ZG_OP_EXEC) {
            *keep = o->next;
            o->rc = rc;
            o->next = failed;
            failed = o;
            continue;
        }
        s->queued++;
        if (!o->next) {
            o->next = s->head;
            if (!s->head) s->tail = o;
            s->head = batch;
            break;
        }
        keep = &o->next;
    }
    return failed;
}

/* Journal rotation. Its slow file work (creating the next file, with an
 * fdatasync of it and of its directory under synchronous=full; deleting an
 * applied one) happens outside s->mu, so appends never wait for it: the next
 * file is made in advance as a spare, and the switch under the lock only
 * swaps descriptors. */

/* Makes the spare for the next generation once the journal is half full
 * (called without mu). */
static void prepare_spare(zg_store *s)
{
    pthread_mutex_lock(&s->mu);
    int need = s->spare_fd < 0 && s->jend >= s->rotate_bytes / 2;
    uint64_t gen = s->jgen + 1;
    pthread_mutex_unlock(&s->mu);
    if (!need) return;
    int fd;
    zg_err err;
    if (zg_journal_create(s->path, gen, s->sync_full, &fd, &err)) {
        zg_log(ZG_LOG_WARN, "store: cannot prepare the next journal file, appending to this one: %s", err.msg);
        return;
    }
    pthread_mutex_lock(&s->mu);
    int kept = s->spare_fd < 0 && s->jgen + 1 == gen;
    if (kept) s->spare_fd = fd;
    pthread_mutex_unlock(&s->mu);
    if (!kept) close(fd); /* cannot happen: only the feeder rotates */
}

/* Switches to the spare once the journal is full (mu held). With
 * synchronous=full only while no fdatasync is pending, so that every
 * waiting receipt is synced in the file it was written to. */
static void maybe_rotate(zg_store *s)
{
    if (s->jend < s->rotate_bytes || s->spare_fd < 0 || s->retired_fd >= 0 || s->sync_head || s->syncing) return;
    s->retired_fd = s->jfd;
    s->retired_gen = s->jgen;
    s->jfd = s->spare_fd;
    s->spare_fd = -1;
    s->jgen++;
    s->jend = ZG_JOURNAL_HDR;
}

/* The retired file, once SQLite has applied all of it (mu held); -1 if not
 * yet. The caller deletes it after unlocking. */
static int take_retired(zg_store *s, uint64_t *gen)
{
    if (s->retired_fd < 0 || (s->head && s->head->gen <= s->retired_gen)) return -1;
    int fd = s->retired_fd;
    *gen = s->retired_gen;
    s->retired_fd = -1;
    return fd;
}

static void delete_journal(zg_store *s, int fd, uint64_t gen)
{
    char path[4096];
    close(fd);
    if (!zg_journal_path(path, sizeof path, s->path, gen) && unlink(path) && errno != ENOENT)
        zg_log(ZG_LOG_WARN, "store: cannot delete the applied journal file '%s': %s", path, strerror(errno));
}

static void finish(zg_store_op *batch)
{
    for (zg_store_op *o = batch, *next; o; o = next) {
        next = o->next;
        if (o->done) o->done(o->done_arg, o->rc);
        free(o);
    }
}

/* One batch: take, apply, hand back or finish (called and returns with mu
 * held). Returns the commit's result. */
static int feed_once(zg_store *s)
{
    size_t n;
    zg_store_op *batch = take(s, &n);
    maybe_rotate(s);
    s->feeding = 1;
    s->urgent = 0;
    pthread_mutex_unlock(&s->mu);
    int rc = apply_batch(s, batch);
    pthread_mutex_lock(&s->mu);
    s->feeding = 0;
    zg_store_op *answered = batch;
    int applied_fd = -1;
    uint64_t applied_gen = 0;
    if (rc) {
        answered = requeue(s, batch, rc);
    } else {
        s->commits++;
        s->writes += n;
        applied_fd = take_retired(s, &applied_gen);
    }
    pthread_mutex_unlock(&s->mu);
    finish(answered);
    if (applied_fd >= 0) delete_journal(s, applied_fd, applied_gen);
    prepare_spare(s);
    pthread_mutex_lock(&s->mu);
    if (rc && !s->stop) wait_ms(s, &s->feed_cv, ZG_FEED_RETRY_MS);
    return rc;
}

int zg_store_may_raise_priority(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NICE, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 20)) return 1;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long caps = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "CapEff: %llx", &caps) == 1) break;
    if (f) fclose(f);
    return (caps >> 23) & 1; /* CAP_SYS_NICE */
}

/* The feeder is background work: at nice 19, any request-path thread that
 * wants the CPU gets it first. But when the CPU is saturated, nice 19 gets
 * almost nothing and the queue would grow until writes are refused, so with
 * a long queue the feeder goes back to normal priority until it has caught
 * up. Going back needs the right to raise a priority; without it the feeder
 * always runs at normal priority. (SCHED_IDLE was tried: it made a worker's
 * wait shorter still, but an idle thread preempted inside a file write holds
 * the file system's journal handle, and every fdatasync waits for it: with
 * synchronous=full, the p99 went from 2-5 ms to 11 ms.) */
static void set_nice(zg_store *s)
{
    int want = s->queued >= ZG_FEED_HIGH_WATER ? 0 : 19;
    if (want != s->feeder_nice && setpriority(PRIO_PROCESS, (id_t)gettid(), want) == 0) s->feeder_nice = want;
}

void *zg_store_feeder_main(void *arg)
{
    zg_store *s = arg;
    int adapt = zg_store_may_raise_priority();
    pthread_mutex_lock(&s->mu);
    s->feeder_nice = 0;
    for (;;) {
        while (!s->head && !s->stop) pthread_cond_wait(&s->feed_cv, &s->mu);
        if (!s->head) break;
        if (adapt) set_nice(s);
        if (!s->urgent && !s->stop && s->queued < ZG_FEED_HIGH_WATER) wait_ms(s, &s->feed_cv, ZG_FEED_DELAY_MS);
        if (!s->head) continue;
        if (feed_once(s) && s->stop) {
            zg_log(ZG_LOG_WARN, "store: closing with %zu writes not in SQLite; the next start applies them from "
                   "the journal", s->queued);
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}
